/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file relay/transforms/defuse_ops.cc
 * \brief DefuseOps: the inverse of FuseOps. Every call of a function literal
 *  (the fused groups FuseOps makes, primitive or not) is replaced by the
 *  function's body with its parameters replaced by the call's arguments, so
 *  DefuseOps(FuseOps(f)) equals f.
 *
 *   %f = fn (%p0, Primitive=1) { exp(add(%p0, 1f)) }; %f(%x)   =>   exp(add(%x, 1f))
 *
 * Parameters are matched by identity (not by name, so two parameters that
 * share a name are no problem). The walk is post order without recursion
 * (MixedModeMutator): fused calls inside fused calls are inlined bottom-up.
 */
#include <tvm/relay/expr_functor.h>
#include <tvm/relay/transform.h>
#include <tvm/runtime/registry.h>

namespace tvm {
namespace relay {

namespace {

class DefuseOpsMutator : public MixedModeMutator {
 public:
  using MixedModeMutator::VisitExpr_;

  Expr Rewrite_(const CallNode* pre, const Expr& post) final {
    const auto* call = post.as<CallNode>();
    const auto* func = call != nullptr ? call->op.as<FunctionNode>() : nullptr;
    if (func == nullptr) return post;
    TVM_CHECK(func->params.size() == call->args.size(), "ValueError")
        << "DefuseOps: a function of " << func->params.size() << " parameters is called with "
        << call->args.size() << " arguments";
    Map<Var, Expr> binds;
    for (size_t i = 0; i < func->params.size(); ++i) binds.Set(func->params[i], call->args[i]);
    return Bind(func->body, binds);
  }
};

}  // namespace

Expr DefuseOps(const Expr& expr) { return DefuseOpsMutator().Mutate(expr); }

namespace transform {

Pass DefuseOps() {
  auto pass_func = [](Function f, IRModule, PassContext) { return Downcast<Function>(relay::DefuseOps(f)); };
  return CreateFunctionPass(pass_func, 3, "DefuseOps", {"InferType"});
}

TVM_REGISTER_GLOBAL("relay._transform.DefuseOps").set_body_typed([]() { return DefuseOps(); });

}  // namespace transform
}  // namespace relay
}  // namespace tvm
