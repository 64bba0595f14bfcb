/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Operations of tensor expressions: placeholder, compute (plain, reduction,
// tuple reduction), extern; indexing and validation errors.
#include <gtest/gtest.h>
#include <tvm/runtime/logging.h>
#include <tvm/te/operation.h>
#include <tvm/tir/op.h>

#include <string>

namespace {

using namespace tvm;      // NOLINT(*)
using namespace tvm::te;  // NOLINT(*)

/*! \brief The message of the error f throws (empty when it does not throw). */
template <typename F>
std::string ErrorOf(F f) {
  try {
    f();
  } catch (const runtime::Error& e) {
    return e.what();
  }
  return "";
}

TEST(TeOperation, PlaceholderAndCompute) {
  Tensor A = placeholder({16, 8}, DataType::Float(32), "A");
  EXPECT_EQ(A.ndim(), 2u);
  EXPECT_TRUE(A.op().as<PlaceholderOpNode>() != nullptr);
  Tensor B = compute({16, 8}, [&](const Array<Var>& i) { return A(i[0], i[1]) * 2.0f; }, "B");
  const auto* op = B.op().as<ComputeOpNode>();
  ASSERT_TRUE(op != nullptr);
  EXPECT_EQ(op->axis.size(), 2u);
  EXPECT_EQ(op->num_outputs(), 1);
  Array<Tensor> inputs = op->InputTensors();
  ASSERT_EQ(inputs.size(), 1u);
  EXPECT_TRUE(inputs[0] == A);
  EXPECT_TRUE(B.op().output(0) == B);
  EXPECT_EQ(TensorHash()(B.op().output(0)), TensorHash()(B));
  EXPECT_EQ(std::string(B->GetNameHint()), "B");
}

TEST(TeOperation, WrongIndexCount) {
  Tensor A = placeholder({4, 4}, DataType::Float(32), "A");
  std::string msg = ErrorOf([&] { A(Array<PrimExpr>{0}); });
  EXPECT_NE(msg.find("tensor A has 2 dimensions but is indexed with 1 index"), std::string::npos) << msg;
}

TEST(TeOperation, ReductionAndValidation) {
  Tensor A = placeholder({8, 8}, DataType::Float(32), "A");
  IterVar k = reduce_axis(Range(0, 8), "k");
  Tensor B = compute({8}, [&](const Array<Var>& i) { return sum(A(i[0], k->var), {k}); }, "B");
  const auto* op = B.op().as<ComputeOpNode>();
  ASSERT_EQ(op->reduce_axis.size(), 1u);
  EXPECT_TRUE(op->reduce_axis[0].same_as(k));
  EXPECT_EQ(op->root_iter_vars().size(), 2u);

  std::string nested = ErrorOf([&] {
    compute({8}, [&](const Array<Var>& i) { return sum(A(i[0], k->var), {k}) + 1.0f; }, "C");
  });
  EXPECT_NE(nested.find("compute C: a reduction"), std::string::npos) << nested;

  IterVar k2 = reduce_axis(Range(0, 8), "k2");
  std::string mixed = ErrorOf([&] {
    compute(
        {8},
        [&](const Array<Var>& i) {
          return Array<PrimExpr>{sum(A(i[0], k->var), {k}), sum(A(i[0], k2->var), {k2})};
        },
        "D");
  });
  EXPECT_NE(mixed.find("compute D: output 1 is a different reduction from output 0"), std::string::npos) << mixed;
}

TEST(TeOperation, MaxMinIdentities) {
  Tensor A = placeholder({8}, DataType::Int(32), "A");
  IterVar k = reduce_axis(Range(0, 8), "k");
  PrimExpr mx = te::max(A(k->var), Array<IterVar>{k});
  PrimExpr mn = te::min(A(k->var), Array<IterVar>{k});
  EXPECT_EQ(mx.as<ReduceNode>()->combiner->identity_element[0].as<IntImmNode>()->value, -2147483648LL);
  EXPECT_EQ(mn.as<ReduceNode>()->combiner->identity_element[0].as<IntImmNode>()->value, 2147483647LL);
}

TEST(TeOperation, ExternOp) {
  Tensor A = placeholder({16}, DataType::Float(32), "A");
  Buffer in = decl_buffer({16}, DataType::Float(32), "A");
  Buffer out = decl_buffer({16}, DataType::Float(32), "C");
  Operation op = ExternOp("C", "", {}, {A}, {in}, {out}, Evaluate(0));
  EXPECT_EQ(op->num_outputs(), 1);
  EXPECT_TRUE(op->InputTensors()[0] == A);
  Buffer bad = decl_buffer({16}, DataType::Int(8), "A");
  std::string msg = ErrorOf([&] { ExternOp("E", "", {}, {A}, {bad}, {out}, Evaluate(0)); });
  EXPECT_NE(msg.find("extern E: input 0 (A) is float32 but its buffer is int8"), std::string::npos) << msg;
}

TEST(TeOperation, ReplaceInputs) {
  Tensor A = placeholder({8}, DataType::Float(32), "A");
  Tensor A2 = placeholder({8}, DataType::Float(32), "A2");
  Tensor B = compute({8}, [&](const Array<Var>& i) { return A(i[0]) + 1.0f; }, "B");
  std::unordered_map<Tensor, Tensor, TensorHash, TensorEqual> rmap{{A, A2}};
  Operation replaced = B.op()->ReplaceInputs(B.op(), rmap);
  EXPECT_FALSE(replaced.same_as(B.op()));
  EXPECT_TRUE(replaced->InputTensors()[0] == A2);
  std::unordered_map<Tensor, Tensor, TensorHash, TensorEqual> none;
  EXPECT_TRUE(B.op()->ReplaceInputs(B.op(), none).same_as(B.op()));
}

}  // namespace
