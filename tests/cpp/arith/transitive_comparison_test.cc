/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// TransitiveComparisonAnalyzer: comparisons proven from known ones, directly
// (the two compared terms) or through chains, with constant offsets; facts
// leave with their scope; contradicting facts prove nothing.
#include <gtest/gtest.h>
#include <tvm/arith/analyzer.h>
#include <tvm/tir/op.h>

namespace {

using namespace tvm;       // NOLINT(*)
using namespace tvm::tir;  // NOLINT(*)
using tvm::arith::Analyzer;
using tvm::arith::CompareResult;
using tvm::arith::ConstraintContext;

class TransitiveComparison : public ::testing::Test {
 protected:
  CompareResult Direct(const PrimExpr& a, const PrimExpr& b) { return ana.transitive_comparisons.TryCompare(a, b, false); }
  CompareResult Chained(const PrimExpr& a, const PrimExpr& b) { return ana.transitive_comparisons.TryCompare(a, b, true); }
  Var i{"i"}, j{"j"}, k{"k"}, n{"n"};
  Analyzer ana;
};

TEST_F(TransitiveComparison, DirectWithOffsets) {
  With<ConstraintContext> ctx(&ana, i < j);
  EXPECT_EQ(Direct(i, j), CompareResult::kLT);
  EXPECT_EQ(Direct(j, i), CompareResult::kGT);
  EXPECT_EQ(Direct(i, j + 1), CompareResult::kLT);
  EXPECT_EQ(Direct(i + 1, j), CompareResult::kLE);
  EXPECT_EQ(Direct(i + 2, j), CompareResult::kUnknown);
  EXPECT_EQ(Direct(i, k), CompareResult::kUnknown);
}

TEST_F(TransitiveComparison, ChainsNeedPropagation) {
  With<ConstraintContext> ctx(&ana, logical_and(i < j + 5, j < k + 7));
  EXPECT_EQ(Direct(i, k + 11), CompareResult::kUnknown);
  EXPECT_EQ(Chained(i, k + 11), CompareResult::kLT);
  EXPECT_EQ(Chained(i, k + 10), CompareResult::kLE);
  EXPECT_EQ(Chained(i, k + 9), CompareResult::kUnknown);
}

TEST_F(TransitiveComparison, NotEqualThroughEquality) {
  With<ConstraintContext> ctx(&ana, logical_and(i == j, j != k));
  EXPECT_EQ(Chained(i, k), CompareResult::kNE);
  EXPECT_EQ(Chained(i, j), CompareResult::kEQ);
  EXPECT_EQ(Direct(i, k), CompareResult::kUnknown);
}

TEST_F(TransitiveComparison, FactsLeaveWithTheirScope) {
  {
    With<ConstraintContext> ctx(&ana, i <= j);
    EXPECT_EQ(Direct(i, j), CompareResult::kLE);
  }
  EXPECT_EQ(Direct(i, j), CompareResult::kUnknown);
}

TEST_F(TransitiveComparison, BindingsAreFacts) {
  ana.Bind(k, Range::FromMinExtent(0, n));
  EXPECT_EQ(Direct(k, n), CompareResult::kLT);
  EXPECT_TRUE(ana.CanProve(k < n));
  // Rebinding replaces the old facts.
  ana.Bind(k, Range::FromMinExtent(0, n + 5), true);
  EXPECT_EQ(Direct(k, n), CompareResult::kUnknown);
}

TEST_F(TransitiveComparison, ContradictionsProveNothing) {
  With<ConstraintContext> ctx(&ana, logical_and(logical_and(i < j, j < k), k < i));
  EXPECT_EQ(Chained(i, k), CompareResult::kUnknown);
}

TEST_F(TransitiveComparison, OnlySignedIntegers) {
  Var u("u", DataType::UInt(32)), v("v", DataType::UInt(32));
  With<ConstraintContext> ctx(&ana, u < v);
  EXPECT_EQ(Direct(u, v), CompareResult::kUnknown);
}

}  // namespace
