/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file relay/transforms/canonicalize_ops.cc
 * \brief CanonicalizeOps: operators written as simpler ones, so that fusion
 *  and the operator library see fewer kinds.
 *
 *   nn.bias_add(x, b, axis=1)  (x: 4-d)  ->  add(x, expand_dims(b, 1, num_newaxis=2))
 */
#include <tvm/relay/attrs/nn.h>
#include <tvm/relay/expr_functor.h>

#include "pass_util.h"

namespace tvm {
namespace relay {
namespace {

class BiasAddCanonicalizer : public MixedModeMutator {
 public:
  using MixedModeMutator::VisitExpr_;

  Expr Rewrite_(const CallNode* pre, const Expr& post) final {
    if (!pre->op.same_as(bias_add_)) return post;
    const auto* call = post.as<CallNode>();
    const TensorTypeNode* data = pass_util::TensorTypeOf(pre->args[0]);
    TVM_CHECK(data != nullptr, "ValueError")
        << "CanonicalizeOps: the data of nn.bias_add has no tensor type; run relay.transform.InferType() first";
    int ndim = static_cast<int>(data->shape.size());
    int axis = call->attrs.as<BiasAddAttrs>()->axis;
    if (axis < 0) axis += ndim;
    TVM_CHECK(axis >= 0 && axis < ndim, "ValueError")
        << "CanonicalizeOps: nn.bias_add axis " << call->attrs.as<BiasAddAttrs>()->axis
        << " is out of range for data of rank " << ndim;
    Expr bias = call->args[1];
    int pad = ndim - axis - 1;  // trailing unit axes so the bias broadcasts along `axis`
    if (pad > 0) bias = pass_util::MakeOp("expand_dims", bias, 1, pad);
    Expr out = pass_util::MakeOp("add", call->args[0], bias);
    out->checked_type_ = pre->checked_type_;
    return out;
  }

 private:
  Op bias_add_ = Op::Get("nn.bias_add");
};

}  // namespace

Expr CanonicalizeOps(const Expr& expr) { return BiasAddCanonicalizer().Mutate(expr); }

namespace transform {

Pass CanonicalizeOps() {
  return pass_util::FunctionRewritePass(
      [](Function f, IRModule) { return Downcast<Function>(relay::CanonicalizeOps(f)); }, 3, "CanonicalizeOps",
      {"InferType"}, /*needs_types=*/true);
}

TVM_REGISTER_GLOBAL("relay._transform.CanonicalizeOps").set_body_typed([]() { return CanonicalizeOps(); });

}  // namespace transform
}  // namespace relay
}  // namespace tvm
