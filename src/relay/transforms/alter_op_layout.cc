/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file relay/transforms/alter_op_layout.cc
 * \brief AlterOpLayout: each call whose operator has an "FTVMAlterOpLayout"
 *  function (registered from Python, target-dispatched through generic_func)
 *  is offered to it, with its new arguments, placeholders of its inputs' types
 *  and its output type; a returned expression replaces the call.
 *
 *    nn.dense(x, W)   ->   nn.contrib_dense_pack(x, layout_transform(W, "NC", "NC16n"))
 *
 *  A later FoldConstant then packs a constant weight once, at compile time.
 *
 *  Scope: the replacement must compute the call's value in the call's own
 *  output layout (as the dense rewrite does); rewrites that change the layout
 *  of activations (conv2d into NCHW[x]c) need layout propagation through the
 *  ops between them, which this pass does not do yet. Needs types; runs at
 *  opt_level 3 and inside the target's scope (the functions look it up).
 */
#include <tvm/relay/expr_functor.h>
#include <tvm/te/operation.h>

#include "pass_util.h"

namespace tvm {
namespace relay {
namespace {

class OpLayoutAlterer : public MixedModeMutator {
 public:
  using MixedModeMutator::VisitExpr_;

  Expr Rewrite_(const CallNode* pre, const Expr& post) final {
    static const auto falter = Op::GetAttrMap<runtime::PackedFunc>("FTVMAlterOpLayout");
    const auto* call = post.as<CallNode>();
    if (call == nullptr) return post;
    const auto* op = call->op.as<OpNode>();
    if (op == nullptr || !falter.count(GetRef<Op>(op))) return post;
    // The functions read shapes and dtypes from te placeholders, as they do in TVM.
    Array<te::Tensor> tinfos;
    for (const Expr& arg : pre->args) {
      const TensorTypeNode* type = pass_util::TensorTypeOf(arg);
      if (type == nullptr) return post;  // tuple inputs and untyped arguments: left alone
      tinfos.push_back(te::placeholder(type->shape, type->dtype));
    }
    runtime::TVMRetValue rv = falter[GetRef<Op>(op)](call->attrs, call->args, tinfos, pre->checked_type());
    if (rv.type_code() == kTVMNullptr) return post;
    Expr altered = rv.AsType<Expr>();
    return altered.defined() ? altered : post;
  }
};

}  // namespace

namespace transform {

Pass AlterOpLayout() {
  return pass_util::FunctionRewritePass(
      [](Function f, IRModule) { return Downcast<Function>(OpLayoutAlterer().Mutate(f)); }, 3, "AlterOpLayout",
      {"InferType"}, /*needs_types=*/true);
}

TVM_REGISTER_GLOBAL("relay._transform.AlterOpLayout").set_body_typed([]() { return AlterOpLayout(); });

}  // namespace transform
}  // namespace relay
}  // namespace tvm
