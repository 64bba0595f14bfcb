/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Relay type inference from C++: operator relations solved to a fixed point
// (a relation called again once its argument types are known), type_args,
// and every error of a program reported in one DiagnosticError.
#include <gtest/gtest.h>
#include <tvm/ir/module.h>
#include <tvm/ir/structural_equal.h>
#include <tvm/relay/function.h>
#include <tvm/relay/op.h>
#include <tvm/relay/transform.h>
#include <tvm/runtime/ndarray.h>

#include <string>

namespace {

using namespace tvm;         // NOLINT(*)
using namespace tvm::relay;  // NOLINT(*)

int counted_calls = 0;

// out = in, counting how often inference asks.
bool CountingIdentityRel(const Array<Type>& types, int, const Attrs&, const TypeReporter& reporter) {
  ++counted_calls;
  if (types[0].as<IncompleteTypeNode>()) return false;
  reporter->Assign(types[1], types[0]);
  return true;
}

RELAY_REGISTER_OP("test.relay.counting_identity")
    .set_num_inputs(1)
    .add_argument("data", "Tensor", "the input")
    .add_type_rel("CountingIdentity", CountingIdentityRel);

TensorType Tensor(std::initializer_list<int64_t> shape, DataType dtype = DataType::Float(32)) {
  Array<PrimExpr> dims;
  for (int64_t d : shape) dims.push_back(IntImm(DataType::Int(32), d));
  return TensorType(dims, dtype);
}

TEST(RelayTypeInfer, RelationWaitsForItsArgument) {
  // let %f = fn (%p) { counting_identity(%p) }; %f(exp(%x)): the relation of the
  // function's body is queued before exp's, which decides %p.
  Var p("p", Type());
  Function inner({p}, Call(Op::Get("test.relay.counting_identity"), {p}));
  Var f("f", Type());
  Var x("x", Tensor({2, 3}));
  Expr let = Let(f, inner, Call(f, {Call(Op::Get("exp"), {x})}));
  counted_calls = 0;
  Type t = InferTypeLocal(let);
  EXPECT_TRUE(StructuralEqual()(t, Tensor({2, 3})));
  EXPECT_EQ(counted_calls, 2);  // once too early, once when %p became known
  EXPECT_TRUE(StructuralEqual()(p->checked_type(), Tensor({2, 3})));
}

TEST(RelayTypeInfer, ModulePassFillsTypesAndTypeArgs) {
  Var x("x", Tensor({4, 1}));
  Var y("y", Tensor({5}));
  Call add(Op::Get("add"), {x, y});
  Function fn({x, y}, add);
  IRModule mod({{GlobalVar("main"), fn}});
  mod = relay::transform::InferType()(mod);
  Function main = Downcast<Function>(mod->Lookup("main"));
  EXPECT_TRUE(StructuralEqual()(main->body->checked_type(), Tensor({4, 5})));
  const auto* call = main->body.as<CallNode>();
  ASSERT_EQ(call->type_args.size(), 2u);
  EXPECT_TRUE(StructuralEqual()(call->type_args[1], Tensor({5})));
}

TEST(RelayTypeInfer, AllErrorsInOneDiagnostic) {
  Var x("x", Tensor({2, 3}));
  Var b("b", Tensor({2}, DataType::Int(32)));
  Expr bad_shape = Call(Op::Get("multiply"), {x, Var("z", Tensor({4}))});
  Expr bad_dtype = Call(Op::Get("logical_not"), {b});
  Expr bad_arity = Call(Op::Get("exp"), {x, x});
  try {
    InferTypeLocal(Function({x, b}, Tuple({bad_shape, bad_dtype, bad_arity})));
    FAIL() << "expected a DiagnosticError";
  } catch (const runtime::Error& e) {
    std::string msg = e.what();
    EXPECT_EQ(e.kind(), "DiagnosticError");
    EXPECT_NE(msg.find("3 errors"), std::string::npos) << msg;
    EXPECT_NE(msg.find("multiply: shapes (2, 3) and (4,) do not broadcast"), std::string::npos) << msg;
    EXPECT_NE(msg.find("logical_not: the input must have a bool dtype, got int32"), std::string::npos) << msg;
    EXPECT_NE(msg.find("exp takes 1 argument, got 2"), std::string::npos) << msg;
  }
}

}  // namespace
