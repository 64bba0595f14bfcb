/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// The C++ interface of the iterator maps: detection, conversion back to
// expressions, simplification, inversion and region bounds.
#include <gtest/gtest.h>
#include <tvm/arith/analyzer.h>
#include <tvm/arith/iter_affine_map.h>
#include <tvm/ir/repr_printer.h>
#include <tvm/ir/structural_equal.h>
#include <tvm/tir/op.h>

#include <string>

namespace {

using namespace tvm;       // NOLINT(*)
using namespace tvm::tir;  // NOLINT(*)
using tvm::arith::Analyzer;
using tvm::arith::IterMapLevel;

PrimExpr I(int64_t v) { return IntImm(DataType::Int(32), v); }

TEST(IterAffineMap, FuseAndSplitRoundTrip) {
  Var i("i"), j("j");
  Map<Var, Range> dom{{i, Range(I(0), I(4))}, {j, Range(I(0), I(6))}};
  PrimExpr fused = i * 6 + j;
  Analyzer ana;
  auto res = arith::DetectIterMap({floordiv(fused, 4), floormod(fused, 4)}, dom, const_true(),
                                  IterMapLevel::Bijective, &ana);
  ASSERT_EQ(res->indices.size(), 2U) << (res->errors.empty() ? "" : std::string(res->errors[0]));
  EXPECT_EQ(res->indices[0]->args[0]->extent.as<IntImmNode>()->value, 6);
  EXPECT_EQ(res->indices[1]->args[0]->extent.as<IntImmNode>()->value, 4);
  // Back to expressions, then inverted: output0 * 4 + output1 is the fused index.
  Var o0("o0"), o1("o1");
  Map<Var, PrimExpr> inverse = arith::InverseAffineIterMap(res->indices, {o0, o1});
  EXPECT_TRUE(ana.CanProveEqual(inverse.at(i), floordiv(o0 * 4 + o1, 6)));
  EXPECT_TRUE(ana.CanProveEqual(inverse.at(j), floormod(o0 * 4 + o1, 6)));
}

TEST(IterAffineMap, FailuresExplainThemselves) {
  Var i("i"), j("j");
  Map<Var, Range> dom{{i, Range(I(0), I(4))}, {j, Range(I(0), I(6))}};
  Analyzer ana;
  auto res = arith::DetectIterMap({i * j}, dom, const_true(), IterMapLevel::Surjective, &ana);
  EXPECT_TRUE(res->indices.empty());
  ASSERT_FALSE(res->errors.empty());
  EXPECT_NE(std::string(res->errors[0]).find("product of two iterators"), std::string::npos);
}

TEST(IterAffineMap, SimplifyFusedSplit) {
  Var i("i"), j("j");
  Map<Var, Range> dom{{i, Range(I(0), I(4))}, {j, Range(I(0), I(8))}};
  Analyzer ana;
  PrimExpr fused = i * 8 + j;
  Array<PrimExpr> out = arith::IterMapSimplify({floordiv(fused, 8) * 8 + floormod(fused, 8)}, dom, const_true(),
                                               IterMapLevel::Surjective, &ana);
  EXPECT_TRUE(StructuralEqual()(out[0], fused));
}

TEST(IterAffineMap, RegionStrictBound) {
  Var i("i");
  Map<Var, Range> dom{{i, Range(I(0), I(16))}};
  Analyzer ana;
  // Windows [4i, 4i + 6) overlap: together they touch [0, 66).
  auto strict = arith::EstimateRegionStrictBound({Range::FromMinExtent(i * 4, I(6))}, dom, const_true(), &ana);
  ASSERT_TRUE(strict.has_value());
  EXPECT_EQ((*strict)[0].min().as<IntImmNode>()->value, 0);
  EXPECT_EQ((*strict)[0].max().as<IntImmNode>()->value, 65);
  // Windows [4i, 4i + 2) leave gaps: no strict bound.
  EXPECT_FALSE(arith::EstimateRegionStrictBound({Range::FromMinExtent(i * 4, I(2))}, dom, const_true(), &ana));
}

}  // namespace
