/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file rewrite_unsafe_select.cc
 * \brief RewriteUnsafeSelect: a Select evaluates both of its values; one that
 *  reads memory or calls something with effects becomes if_then_else, which
 *  evaluates only the chosen one.
 *
 *   before:  Select(i < 129, A[i] + B[i], 0.0)    (A[i] out of bounds for i >= 129)
 *   after:   if_then_else(i < 129, A[i] + B[i], 0.0)
 *
 * Selects of pure arithmetic, and vector Selects, stay (they become blends).
 */
#include <tvm/runtime/registry.h>
#include <tvm/tir/builtin.h>
#include <tvm/tir/op.h>
#include <tvm/tir/stmt_functor.h>
#include <tvm/tir/transform.h>

namespace tvm {
namespace tir {
namespace {

bool IsUnsafe(const PrimExpr& e) {
  bool unsafe = false;
  PostOrderVisit(e, [&unsafe](const ObjectRef& n) {
    if (n.as<BufferLoadNode>() || n.as<ProducerLoadNode>()) unsafe = true;
    if (const auto* call = n.as<CallNode>()) {
      const auto* op = call->op.as<OpNode>();
      // if_then_else only evaluates its chosen value: its loads are guarded.
      if (op == nullptr || (!call->op.same_as(builtin::if_then_else()) &&
                            GetCallEffectKind(GetRef<Op>(op)) > CallEffectKind::kPure)) {
        unsafe = true;
      }
    }
  });
  return unsafe;
}

class UnsafeSelectRewriter : public StmtExprMutator {
 public:
  PrimExpr VisitExpr_(const SelectNode* op) final {
    PrimExpr e = StmtExprMutator::VisitExpr_(op);
    const auto* sel = e.as<SelectNode>();
    // if_then_else takes one scalar condition; a vector Select stays a blend.
    if (sel == nullptr || sel->condition.dtype() != DataType::Bool()) return e;
    if (!IsUnsafe(sel->true_value) && !IsUnsafe(sel->false_value)) return e;
    return Call(sel->dtype, builtin::if_then_else(), {sel->condition, sel->true_value, sel->false_value});
  }
};

}  // namespace

namespace transform {

Pass RewriteUnsafeSelect() {
  auto fpass = [](PrimFunc f, IRModule m, PassContext ctx) {
    Stmt body = UnsafeSelectRewriter()(f->body);
    if (body.same_as(f->body)) return f;
    f.CopyOnWrite()->body = body;
    return f;
  };
  return CreatePrimFuncPass(fpass, 0, "tir.RewriteUnsafeSelect", {});
}

TVM_REGISTER_GLOBAL("tir.transform.RewriteUnsafeSelect").set_body_typed([]() { return RewriteUnsafeSelect(); });

}  // namespace transform
}  // namespace tir
}  // namespace tvm
