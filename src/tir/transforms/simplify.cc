/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file simplify.cc
 * \brief Simplify: simplify every expression of a PrimFunc with the arith
 *  Analyzer, using what the statements around it tell.
 *
 * Assumes: nothing (any PrimFunc body).
 *
 * Guarantees: each expression is replaced by Analyzer::Simplify of it,
 *  where loop variables are bound to their ranges ([min, min + extent)),
 *  thread and virtual-thread variables to [0, extent), non-negative
 *  parameters of buffer shapes are known, and inside an if the condition
 *  (else: its negation) is assumed. So guards that always hold -- for example
 *  the if T.likely(i_outer * 32 + i_inner < 1024) of a split that divides
 *  its extent -- disappear: an if whose condition is proven true or false
 *  keeps only the taken branch, an assert proven true is dropped, and a
 *  let of a constant or variable is substituted into its body unless a
 *  buffer definition uses it (a let whose variable is unused is dropped). Running it again changes nothing.
 *
 *   before:  for i_inner in range(32):            after:  for i_inner in range(32):
 *                if T.likely(i_outer * 32 + i_inner < 1024):   B[i_outer * 32 + i_inner] = A[...]
 *                    B[i_outer * 32 + i_inner] = A[...]
 *            (i_outer in range(32))
 */
#include <tvm/arith/analyzer.h>
#include <tvm/ir/structural_equal.h>
#include <tvm/runtime/registry.h>
#include <tvm/tir/transform.h>

#include "ir_utils.h"

namespace tvm {
namespace tir {
namespace {

class StmtSimplifier : public StmtExprMutator {
 public:
  explicit StmtSimplifier(arith::Analyzer* analyzer) : analyzer_(analyzer) {}

 protected:
  PrimExpr VisitExpr(const PrimExpr& e) final {
    if (e.as<IntImmNode>() || e.as<FloatImmNode>() || e.as<StringImmNode>()) return e;
    return analyzer_->Simplify(e);
  }

  Stmt VisitStmt_(const ForNode* op) final {
    PrimExpr min = VisitExpr(op->min);
    PrimExpr extent = VisitExpr(op->extent);
    analyzer_->Bind(op->loop_var, Range::FromMinExtent(min, extent), true);
    Stmt body = VisitStmt(op->body);
    if (min.same_as(op->min) && extent.same_as(op->extent) && body.same_as(op->body)) return GetRef<Stmt>(op);
    auto n = make_object<ForNode>(*op);
    n->min = min;
    n->extent = extent;
    n->body = body;
    return Stmt(ObjectPtr<Object>(std::move(n)));
  }

  Stmt VisitStmt_(const AttrStmtNode* op) final {
    if (op->attr_key == attr::thread_extent || op->attr_key == attr::virtual_thread) {
      if (const auto* iv = op->node.as<IterVarNode>()) {
        PrimExpr extent = VisitExpr(op->value);
        analyzer_->Bind(iv->var, Range::FromMinExtent(make_zero(extent.dtype()), extent), true);
        Stmt body = VisitStmt(op->body);
        if (extent.same_as(op->value) && body.same_as(op->body)) return GetRef<Stmt>(op);
        return AttrStmt(op->node, op->attr_key, extent, body);
      }
    }
    return StmtExprMutator::VisitStmt_(op);
  }

  Stmt VisitStmt_(const IfThenElseNode* op) final {
    PrimExpr cond = VisitExpr(op->condition);
    if (auto c = as_const_int(cond)) {
      if (*c) return VisitStmt(op->then_case);
      return op->else_case.defined() ? VisitStmt(op->else_case) : Evaluate(0);
    }
    Stmt then_case, else_case;
    {
      With<arith::ConstraintContext> ctx(analyzer_, cond);
      then_case = VisitStmt(op->then_case);
    }
    if (op->else_case.defined()) {
      With<arith::ConstraintContext> ctx(analyzer_, logical_not(cond));
      else_case = VisitStmt(op->else_case);
    }
    if (cond.same_as(op->condition) && then_case.same_as(op->then_case) && else_case.same_as(op->else_case)) {
      return GetRef<Stmt>(op);
    }
    return IfThenElse(cond, then_case, else_case);
  }

  Stmt VisitStmt_(const AssertStmtNode* op) final {
    PrimExpr cond = VisitExpr(op->condition);
    if (is_one(cond)) return op->body.defined() ? VisitStmt(op->body) : Evaluate(0);
    Stmt body;
    if (op->body.defined()) {
      With<arith::ConstraintContext> ctx(analyzer_, cond);
      body = VisitStmt(op->body);
    }
    if (cond.same_as(op->condition) && body.same_as(op->body)) return GetRef<Stmt>(op);
    return AssertStmt(cond, op->message, body);
  }

  Stmt VisitStmt_(const BufferStoreNode* op) final {
    Stmt stmt = StmtExprMutator::VisitStmt_(op);
    // A[i] = A[i] (after simplification) stores what is already there.
    const auto* store = stmt.as<BufferStoreNode>();
    const auto* load = store ? store->value.as<BufferLoadNode>() : nullptr;
    if (load != nullptr && SameElement(load->buffer, load->indices, store->buffer, store->indices)) {
      return Evaluate(0);
    }
    return stmt;
  }

  Stmt VisitStmt_(const LetStmtNode* op) final {
    PrimExpr value = VisitExpr(op->value);
    bool cheap = value.as<IntImmNode>() || value.as<FloatImmNode>() || value.as<VarNode>();
    // Substitution does not reach into buffer definitions: a let that a buffer's
    // data, shape, strides or offset uses stays.
    if (cheap && !UsedByBuffer(op->body, op->var.get())) {
      Stmt body = Substitute(op->body, [&](const Var& v) -> std::optional<PrimExpr> {
        if (v.same_as(op->var)) return value;
        return std::nullopt;
      });
      return VisitStmt(body);
    }
    if (value.dtype().is_int() && value.dtype().lanes() == 1) {
      analyzer_->const_int_bound.Update(op->var, analyzer_->const_int_bound(value), true);
    }
    Stmt body = VisitStmt(op->body);
    if (!HasSideEffect(value) && !UsesVar(body, op->var.get()) && !UsedByBuffer(body, op->var.get())) return body;
    if (value.same_as(op->value) && body.same_as(op->body)) return GetRef<Stmt>(op);
    return LetStmt(op->var, value, body);
  }

 private:
  static bool UsedByBuffer(const Stmt& body, const VarNode* var) {
    bool used = false;
    auto check = [&](const Buffer& b) {
      if (used) return;
      used = b->data.get() == var || UsesVar(b->elem_offset, var);
      for (const PrimExpr& e : b->shape) used = used || UsesVar(e, var);
      for (const PrimExpr& e : b->strides) used = used || UsesVar(e, var);
    };
    PostOrderVisit(body, [&](const ObjectRef& n) {
      if (const auto* d = n.as<DeclBufferNode>()) check(d->buffer);
      if (const auto* l = n.as<BufferLoadNode>()) check(l->buffer);
      if (const auto* st = n.as<BufferStoreNode>()) check(st->buffer);
    });
    return used;
  }

  /*! \brief Whether a[ia] and b[ib] are one element: same memory, layout and indices. */
  static bool SameElement(const Buffer& a, const Array<PrimExpr>& ia, const Buffer& b, const Array<PrimExpr>& ib) {
    StructuralEqual equal;
    return a->data.same_as(b->data) && a->dtype == b->dtype && equal(ia, ib) && equal(a->shape, b->shape) &&
           equal(a->strides, b->strides) && equal(a->elem_offset, b->elem_offset);
  }

  arith::Analyzer* analyzer_;
};

}  // namespace

namespace transform {

Pass Simplify() {
  auto fpass = [](PrimFunc f, IRModule m, PassContext ctx) {
    // TVM's options extend the analyzer with proofs this project's lacks:
    // accepted when off (this pass's behaviour), refused when on.
    static const char* kOptions[] = {"transitively_prove_inequalities", "convert_boolean_to_and_of_ors",
                                     "apply_constraints_to_boolean_branches",
                                     "propagate_knowns_to_prove_conditional",
                                     "propagate_knowns_to_simplify_expressions"};
    CheckPassOptions(ctx->GetConfig<Map<String, ObjectRef>>("tir.Simplify"), "tir.Simplify",
                     {kOptions[0], kOptions[1], kOptions[2], kOptions[3], kOptions[4]},
                     {kOptions[0], kOptions[1], kOptions[2], kOptions[3], kOptions[4]});
    arith::Analyzer analyzer;
    // Symbolic dimensions of parameter buffers are sizes: never negative.
    for (const auto& kv : f->buffer_map) {
      for (const PrimExpr& d : kv.second->shape) {
        if (d.as<VarNode>()) analyzer.MarkGlobalNonNegValue(d);
      }
    }
    Stmt body = StmtSimplifier(&analyzer)(f->body);
    if (body.same_as(f->body)) return f;
    f.CopyOnWrite()->body = body;
    return f;
  };
  return CreatePrimFuncPass(fpass, 0, "tir.Simplify", {});
}

static const bool kSimplifyConfigRegistered = (PassContext::RegisterConfigOption("tir.Simplify", "Map"), true);

TVM_REGISTER_GLOBAL("tir.transform.Simplify").set_body_typed([]() { return Simplify(); });

}  // namespace transform
}  // namespace tir
}  // namespace tvm
