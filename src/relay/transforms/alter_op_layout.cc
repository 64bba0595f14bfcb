/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file relay/transforms/alter_op_layout.cc
 * \brief AlterOpLayout: each call whose operator registers FTVMAlterOpLayout is offered to that
 *  hook, which may return a replacement, typically the same operator reading its weight in the
 *  layout the target's implementation computes in:
 *
 *    nn.conv2d(%x, %w: const [64, 64, 3, 3], kernel_layout="OIHW")
 *      -> nn.conv2d(%x, layout_transform(%w, "OIHW", "OIHW8i32o"), kernel_layout="OIHW8i32o")
 *    nn.dense(%x, %w: const)  ->  nn.contrib_dense_pack(%x, layout_transform(%w, "NC", "NC16n"))
 *
 *  and FoldConstant then transforms the weight once, at compile time. The hook is called as
 *  TVM's: hook(attrs, args, tinfos, out_type) with tinfos one TE placeholder per argument, in the
 *  scope of the current target; it returns a relay expression or None.
 *
 *  What this pass guarantees: a replacement has exactly the call's output type (checked on the
 *  replacement alone, with the non-constant arguments stood in by typed variables, so the check
 *  is linear in the graph); a hook that changes the output type is an error naming the operator.
 *  Layouts are not propagated between operators: activations keep their layouts, so the
 *  blocked-activation form (nn.contrib_conv2d_NCHWc with layout_transform only at the
 *  boundaries) is the next step of this pass.
 */
#include <tvm/ir/op.h>
#include <tvm/ir/repr_printer.h>
#include <tvm/ir/structural_equal.h>
#include <tvm/relay/expr_functor.h>
#include <tvm/relay/transform.h>
#include <tvm/te/operation.h>

#include "pass_util.h"

namespace tvm {
namespace relay {
namespace {

class LayoutAlterer : public ExprRewriter {
 public:
  Expr Rewrite_(const CallNode* pre, const Expr& post) final {
    const auto* op = pre->op.as<OpNode>();
    if (op == nullptr || !Op::HasAttrMap("FTVMAlterOpLayout")) return post;
    static const auto falter = Op::GetAttrMap<runtime::PackedFunc>("FTVMAlterOpLayout");
    Op call_op = GetRef<Op>(op);
    if (!falter.count(call_op)) return post;
    const auto* call = post.as<CallNode>();
    TVM_CHECK(pre->checked_type_.defined(), "ValueError")
        << "AlterOpLayout: the call of " << op->name << " has no type; run relay.transform.InferType() first";

    // The hook sees the constants themselves and typed variables for everything else.
    Array<Expr> stand_ins;
    Array<te::Tensor> tinfos;
    Map<Var, Expr> binds;
    for (size_t i = 0; i < pre->args.size(); ++i) {
      const Expr& arg = call->args[i];
      const auto* ttype = pass_util::TensorTypeOf(pre->args[i]);
      if (ttype == nullptr) return post;  // tuples and other non-tensor arguments: left alone
      tinfos.push_back(te::placeholder(ttype->shape, ttype->dtype, "arg" + std::to_string(i)));
      if (arg.as<ConstantNode>()) {
        stand_ins.push_back(arg);
      } else {
        Var var("alter_arg" + std::to_string(i), pre->args[i]->checked_type());
        stand_ins.push_back(var);
        binds.Set(var, arg);
      }
    }
    runtime::TVMRetValue result = falter[call_op](call->attrs, stand_ins, tinfos, pre->checked_type());
    if (result.type_code() == kTVMNullptr) return post;
    Expr altered = result;
    if (altered.same_as(post)) return post;
    Type altered_type = InferTypeLocal(altered);
    TVM_CHECK(StructuralEqual()(altered_type, pre->checked_type()), "ValueError")
        << "AlterOpLayout: the FTVMAlterOpLayout hook of " << op->name << " returned an expression of type "
        << altered_type << " for a call of type " << pre->checked_type()
        << "; a replacement must keep the call's output type (layouts are not propagated)";
    return binds.empty() ? altered : Bind(altered, binds);
  }
};

}  // namespace

Expr AlterOpLayout(const Expr& expr) {
  LayoutAlterer alterer;
  return PostOrderRewrite(expr, &alterer);
}

namespace transform {

Pass AlterOpLayout() {
  return pass_util::FunctionRewritePass(
      [](Function f, IRModule) { return Downcast<Function>(relay::AlterOpLayout(f)); }, 3, "AlterOpLayout",
      {"InferType"}, /*needs_types=*/true);
}

TVM_REGISTER_GLOBAL("relay._transform.AlterOpLayout").set_body_typed([]() { return AlterOpLayout(); });

}  // namespace transform
}  // namespace relay
}  // namespace tvm
