/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// IndexMap from C++: the inverse of a split round-trips every point; padding is refused by name.
#include <gtest/gtest.h>
#include <tvm/ir/repr_printer.h>
#include <tvm/runtime/logging.h>
#include <tvm/tir/index_map.h>
#include <tvm/tir/op.h>

#include <string>

namespace {

using namespace tvm;       // NOLINT(*)
using namespace tvm::tir;  // NOLINT(*)

int64_t Value(const PrimExpr& e) {
  const auto* imm = e.as<IntImmNode>();
  EXPECT_NE(imm, nullptr) << e;
  return imm ? imm->value : -1;
}

TEST(IndexMap, SplitInverseRoundTrips) {
  Var i("i", DataType::Int(32));
  IndexMap split({i}, {floordiv(i, 4), floormod(i, 4)});
  Array<PrimExpr> shape{make_const(DataType::Int(32), 24)};
  Array<PrimExpr> new_shape = split->MapShape(shape);
  ASSERT_EQ(new_shape.size(), 2u);
  EXPECT_EQ(Value(new_shape[0]), 6);
  EXPECT_EQ(Value(new_shape[1]), 4);
  IndexMap inverse = split.Inverse(shape);
  for (int v = 0; v < 24; ++v) {
    Array<PrimExpr> there = split->MapIndices({make_const(DataType::Int(32), v)});
    Array<PrimExpr> back = inverse->MapIndices(there);
    ASSERT_EQ(back.size(), 1u);
    EXPECT_EQ(Value(back[0]), v);
  }
}

TEST(IndexMap, PaddingHasNoInverse) {
  Var c("c", DataType::Int(32));
  IndexMap split({c}, {floordiv(c, 4), floormod(c, 4)});
  Array<PrimExpr> shape{make_const(DataType::Int(32), 3)};
  std::string why;
  EXPECT_FALSE(split.IsBijective(shape, &why));
  EXPECT_NE(why.find("padding"), std::string::npos) << why;
  try {
    split.Inverse(shape);
    FAIL() << "expected an error";
  } catch (const tvm::runtime::Error& e) {
    EXPECT_NE(std::string(e.what()).find("has no inverse over the shape"), std::string::npos) << e.what();
  }
}

}  // namespace
