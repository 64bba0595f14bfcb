/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// TOPI from C++ (as Relay's FTVMCompute calls it): shapes, tags, errors, and the
// generic schedules' loop structure.
#include <gtest/gtest.h>
#include <tvm/runtime/logging.h>
#include <tvm/te/operation.h>
#include <tvm/topi/broadcast.h>
#include <tvm/topi/elemwise.h>
#include <tvm/topi/generic/injective.h>
#include <tvm/topi/reduction.h>
#include <tvm/topi/transform.h>

#include <string>

namespace {

using namespace tvm;  // NOLINT(*)
using te::Tensor;

template <typename F>
std::string ErrorOf(F f) {
  try {
    f();
  } catch (const runtime::Error& e) {
    return e.kind() + ": " + e.what();
  }
  return "";
}

std::vector<int64_t> Shape(const Tensor& t) {
  std::vector<int64_t> out;
  for (const PrimExpr& d : t->shape) out.push_back(*as_const_int(d));
  return out;
}

TEST(Topi, BroadcastShapesAndTags) {
  Tensor a = te::placeholder({4, 1, 3}, DataType::Float(32), "a");
  Tensor b = te::placeholder({5, 1}, DataType::Float(32), "b");
  Tensor c = topi::add(a, b);
  EXPECT_EQ(Shape(c), (std::vector<int64_t>{4, 5, 3}));
  EXPECT_EQ(c.op()->tag, "broadcast");
  Tensor d = topi::multiply(a, PrimExpr(2.0f));
  EXPECT_EQ(d.op()->tag, "elemwise");
  EXPECT_EQ(topi::less(a, b)->dtype, DataType::Bool());
  std::string err = ErrorOf([&] { topi::add(a, te::placeholder({2}, DataType::Float(32), "e")); });
  EXPECT_NE(err.find("ValueError: topi.add: shapes (4, 1, 3) and (2,) do not broadcast"), std::string::npos) << err;
}

TEST(Topi, ReductionsAndTransforms) {
  Tensor a = te::placeholder({2, 3, 4}, DataType::Float(32), "a");
  EXPECT_EQ(Shape(topi::sum(a, Array<Integer>{1}, true)), (std::vector<int64_t>{2, 1, 4}));
  EXPECT_EQ(Shape(topi::max(a, std::nullopt)), std::vector<int64_t>{});
  EXPECT_EQ(Shape(topi::sum(a, Array<Integer>{-1}, false, false, /*exclude=*/true)), (std::vector<int64_t>{4}));
  EXPECT_EQ(topi::argmax(a, Array<Integer>{2})->dtype, DataType::Int(32));
  EXPECT_EQ(Shape(topi::transpose(a, std::nullopt)), (std::vector<int64_t>{4, 3, 2}));
  EXPECT_EQ(Shape(topi::strided_slice(a, {0, -1}, {2, 0}, {1, -1})), (std::vector<int64_t>{2, 2, 4}));
  EXPECT_EQ(Shape(topi::layout_transform(te::placeholder({1, 32, 2, 2}, DataType::Float(32), "x"), "NCHW",
                                         "NCHW16c")),
            (std::vector<int64_t>{1, 2, 2, 2, 16}));
  std::string err = ErrorOf([&] { topi::sum(a, Array<Integer>{3}); });
  EXPECT_NE(err.find("ValueError: topi.sum: axis 3 is out of range for a tensor of 3 dimensions"), std::string::npos)
      << err;
  err = ErrorOf([&] { topi::split_sections(a, 2, 1); });
  EXPECT_NE(err.find("does not divide into 2 equal sections"), std::string::npos) << err;
}

TEST(Topi, GenericInjectiveScheduleFusesAndVectorises) {
  Tensor a = te::placeholder({64, 128}, DataType::Float(32), "a");
  Tensor out = topi::exp(topi::add(a, PrimExpr(1.0f)));
  te::Schedule s = topi::generic::schedule_injective(Target("llvm"), {out});
  te::Stage stage = s[out.op()];
  // fused, then split by 8 lanes: two leaves, the inner vectorised, the outer parallel
  ASSERT_EQ(stage->leaf_iter_vars.size(), 2u);
  EXPECT_EQ(stage->iter_var_attrs.at(stage->leaf_iter_vars[1])->iter_type, tir::kVectorized);
  EXPECT_EQ(stage->iter_var_attrs.at(stage->leaf_iter_vars[0])->iter_type, tir::kParallelized);
  // The add was inlined.
  const auto* body = out.op().as<te::ComputeOpNode>();
  ASSERT_NE(body, nullptr);
  Tensor added = body->InputTensors()[0];
  EXPECT_EQ(s[added.op()]->attach_type, te::kInline);
}

}  // namespace
