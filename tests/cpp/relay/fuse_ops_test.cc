/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// FuseOps and CreateFunctionPass from C++: the pass found by name as Sequential
// requires it, primitive functions skipped, and the fused result typed.
#include <gtest/gtest.h>
#include <tvm/ir/module.h>
#include <tvm/ir/structural_equal.h>
#include <tvm/relay/function.h>
#include <tvm/relay/op.h>
#include <tvm/relay/transform.h>

namespace {

using namespace tvm;         // NOLINT(*)
using namespace tvm::relay;  // NOLINT(*)

TensorType Tensor1D(int64_t n) { return TensorType({IntImm(DataType::Int(32), n)}, DataType::Float(32)); }

TEST(RelayFuseOps, ElementwiseChainBecomesOnePrimitiveCall) {
  Var x("x", Tensor1D(8));
  Expr body = Call(Op::Get("negative"), {Call(Op::Get("exp"), {x})});
  IRModule mod({{GlobalVar("main"), Function({x}, body)}});
  // Sequential runs FuseOps' required InferType first (found by name).
  IRModule out = tvm::transform::Sequential({relay::transform::FuseOps(2)})(mod);
  auto main = Downcast<Function>(out->Lookup("main"));
  const auto* call = main->body.as<CallNode>();
  ASSERT_NE(call, nullptr);
  const auto* fused = call->op.as<FunctionNode>();
  ASSERT_NE(fused, nullptr);
  EXPECT_TRUE(fused->attrs.HasNonzeroAttr(relay::attr::kPrimitive));
  ASSERT_EQ(fused->params.size(), 1u);
  EXPECT_EQ(std::string(fused->params[0]->name_hint), "p0");
  EXPECT_TRUE(call->args[0].same_as(x));
  EXPECT_TRUE(StructuralEqual()(main->body->checked_type(), Tensor1D(8)));
}

TEST(RelayFunctionPass, SkipsPrimitiveFunctionsAndKeepsTheInput) {
  int visited = 0;
  auto rename = [&visited](Function f, IRModule, tvm::transform::PassContext) {
    ++visited;
    return Function(f->params, Call(Op::Get("exp"), {f->body}), Type(), f->type_params, f->attrs);
  };
  tvm::transform::Pass pass = relay::transform::CreateFunctionPass(rename, 1, "ExpBody");
  Var p("p", Tensor1D(2));
  Function prim = WithAttr(Function({p}, p), relay::attr::kPrimitive, Integer(1));
  Var x("x", Tensor1D(2));
  IRModule mod({{GlobalVar("main"), Function({x}, x)}, {GlobalVar("prim"), prim}});
  IRModule out = pass(mod);
  EXPECT_EQ(visited, 1);
  // Not rewritten (InferType may give it a copy with its result type filled in).
  EXPECT_TRUE(Downcast<Function>(out->Lookup("prim"))->body.same_as(p));
  EXPECT_TRUE(Downcast<Function>(mod->Lookup("main"))->body.same_as(x));  // input unchanged
  auto main = Downcast<Function>(out->Lookup("main"));
  EXPECT_TRUE(StructuralEqual()(main->body->checked_type(), Tensor1D(2)));  // typed again
}

}  // namespace
