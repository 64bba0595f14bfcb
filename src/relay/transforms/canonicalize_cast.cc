/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file relay/transforms/canonicalize_cast.cc
 * \brief CanonicalizeCast: an upcast read by several elementwise or broadcast operators is
 *  repeated, one copy per reader after the first, so that FuseOps can fuse each copy into its
 *  reader instead of fusing the one cast into its producer (which would then write the wider
 *  type to memory):
 *
 *    %1 = cast(%0, "int32"); add(%1, %b1); add(%1, %b2)
 *      ->  %1 = cast(%0, "int32"); add(%1, %b1); add(cast(%0, "int32"), %b2)
 *
 *  Readers of other kinds (convolutions, reductions) share the cast as before; downcasts and
 *  casts that keep the width are left alone.
 */
#include <tvm/relay/attrs/elemwise.h>
#include <tvm/relay/expr_functor.h>
#include <tvm/relay/op.h>

#include <unordered_map>

#include "pass_util.h"

namespace tvm {
namespace relay {
namespace {

class CastCopier : public MixedModeMutator {
 public:
  using MixedModeMutator::VisitExpr_;

  Expr Rewrite_(const CallNode* pre, const Expr& post) final {
    static const auto fpattern = Op::GetAttrMap<TOpPattern>("TOpPattern");
    const auto* op = pre->op.as<OpNode>();
    if (op == nullptr || fpattern.get(GetRef<Op>(op), kOpaque) > kBroadcast) return post;
    const auto* call = post.as<CallNode>();
    Array<Expr> args = call->args;
    bool copied = false;
    for (size_t i = 0; i < pre->args.size(); ++i) {
      if (!IsUpcast(pre->args[i]) || ++readers_[pre->args[i].get()] == 1) continue;
      const auto* cast = args[i].as<CallNode>();
      Call copy(cast->op, cast->args, cast->attrs, cast->type_args, cast->span);
      copy->checked_type_ = pre->args[i]->checked_type_;
      args.Set(i, copy);
      copied = true;
    }
    if (!copied) return post;
    Call out(call->op, args, call->attrs, call->type_args, call->span);
    out->checked_type_ = pre->checked_type_;
    return out;
  }

 private:
  bool IsUpcast(const Expr& expr) const {
    const auto* call = expr.as<CallNode>();
    if (call == nullptr || !call->op.same_as(cast_) || call->args.size() != 1) return false;
    const auto* from = pass_util::TensorTypeOf(call->args[0]);
    const auto* attrs = call->attrs.as<CastAttrs>();
    return from != nullptr && attrs != nullptr && from->dtype.bits() < attrs->dtype.bits();
  }

  const Op cast_ = Op::Get("cast");
  std::unordered_map<const Object*, int> readers_;
};

}  // namespace

Expr CanonicalizeCast(const Expr& expr) { return CastCopier().Mutate(expr); }

namespace transform {

Pass CanonicalizeCast() {
  return pass_util::FunctionRewritePass(
      [](Function f, IRModule) { return Downcast<Function>(relay::CanonicalizeCast(f)); }, 3, "CanonicalizeCast",
      {"InferType"}, /*needs_types=*/true);
}

TVM_REGISTER_GLOBAL("relay._transform.CanonicalizeCast").set_body_typed([]() { return CanonicalizeCast(); });

}  // namespace transform
}  // namespace relay
}  // namespace tvm
