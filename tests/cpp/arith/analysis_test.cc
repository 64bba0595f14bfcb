/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Constant bounds, modular sets, interval sets, DeduceBound and the linear
// pattern detectors.
#include <gtest/gtest.h>
#include <tvm/arith/analyzer.h>
#include <tvm/arith/bound.h>
#include <tvm/arith/int_set.h>
#include <tvm/arith/pattern.h>
#include <tvm/ir/repr_printer.h>
#include <tvm/ir/structural_equal.h>
#include <tvm/tir/op.h>

#include <utility>

namespace {

using namespace tvm;       // NOLINT(*)
using namespace tvm::tir;  // NOLINT(*)
using tvm::arith::Analyzer;
using tvm::arith::ConstIntBound;
using tvm::arith::IntSet;

constexpr int64_t kPosInf = ConstIntBound::kPosInf;
constexpr int64_t kNegInf = ConstIntBound::kNegInf;

PrimExpr I(int64_t v) { return IntImm(DataType::Int(32), v); }

std::pair<int64_t, int64_t> Bounds(Analyzer* ana, const PrimExpr& e) {
  ConstIntBound b = ana->const_int_bound(e);
  return {b->min_value, b->max_value};
}

std::pair<int64_t, int64_t> Residue(Analyzer* ana, const PrimExpr& e) {
  arith::ModularSet m = ana->modular_set(e);
  return {m->coeff, m->base};
}

::testing::AssertionResult SameExpr(const PrimExpr& got, const PrimExpr& want) {
  if (StructuralEqual()(got, want)) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "got " << got << ", want " << want;
}

using P = std::pair<int64_t, int64_t>;

TEST(ArithConstIntBound, DtypesAndVariables) {
  Analyzer ana;
  EXPECT_EQ(Bounds(&ana, Var("x")), P(-2147483648LL, 2147483647LL));
  EXPECT_EQ(Bounds(&ana, Var("x", DataType::Int(64))), P(kNegInf, kPosInf));
  EXPECT_EQ(Bounds(&ana, Var("x", DataType::UInt(8))), P(0, 255));
  EXPECT_EQ(Bounds(&ana, Var("b", DataType::Bool())), P(0, 1));
  // An unbound size is any non-negative value (no particular maximum).
  EXPECT_EQ(Bounds(&ana, SizeVar("n")), P(0, kPosInf));
  EXPECT_EQ(Bounds(&ana, I(7)), P(7, 7));
}

TEST(ArithConstIntBound, Arithmetic) {
  Analyzer ana;
  Var x("x"), y("y");
  ana.const_int_bound.Update(x, ConstIntBound(-3, 5));
  ana.const_int_bound.Update(y, ConstIntBound(2, 4));
  EXPECT_EQ(Bounds(&ana, x + y), P(-1, 9));
  EXPECT_EQ(Bounds(&ana, x - y), P(-7, 3));
  EXPECT_EQ(Bounds(&ana, x * y), P(-12, 20));
  EXPECT_EQ(Bounds(&ana, floordiv(x, y)), P(-2, 2));
  EXPECT_EQ(Bounds(&ana, truncdiv(x, y)), P(-1, 2));
  EXPECT_EQ(Bounds(&ana, floormod(x, y)), P(0, 3));
  EXPECT_EQ(Bounds(&ana, truncmod(x, y)), P(-3, 3));
  EXPECT_EQ(Bounds(&ana, min(x, y)), P(-3, 4));
  EXPECT_EQ(Bounds(&ana, max(x, y)), P(2, 5));
  EXPECT_EQ(Bounds(&ana, Select(x < 0, x, y)), P(-3, 5));
  EXPECT_EQ(Bounds(&ana, floormod(x, 8)), P(0, 7));
  EXPECT_EQ(Bounds(&ana, floordiv(x, -2)), P(-3, 1));
  EXPECT_EQ(Bounds(&ana, Cast(DataType::Int(64), x)), P(-3, 5));
  EXPECT_EQ(Bounds(&ana, Cast(DataType::Int(8), x * 100)), P(-128, 127));
  EXPECT_EQ(Bounds(&ana, Let(Var("t"), x, x + 1)), P(-2, 6));
  EXPECT_EQ(Bounds(&ana, Ramp(x, I(2), 4)), P(-3, 11));
  EXPECT_EQ(Bounds(&ana, bitwise_and(y, I(6))), P(0, 4));
  EXPECT_EQ(Bounds(&ana, right_shift(y, I(1))), P(1, 2));
  // A divisor range containing zero: division by zero itself is excluded.
  Var d("d");
  ana.const_int_bound.Update(d, ConstIntBound(-2, 2));
  EXPECT_EQ(Bounds(&ana, floordiv(I(10), d)), P(-10, 10));
}

TEST(ArithConstIntBound, InfinitiesSaturate) {
  Analyzer ana;
  Var x("x", DataType::Int(64));
  ana.const_int_bound.Update(x, ConstIntBound(0, kPosInf));
  EXPECT_EQ(Bounds(&ana, x + IntImm(DataType::Int(64), 1)), P(1, kPosInf));
  EXPECT_EQ(Bounds(&ana, x * IntImm(DataType::Int(64), -2)), P(kNegInf, 0));
  EXPECT_EQ(Bounds(&ana, floordiv(x, IntImm(DataType::Int(64), 4))), P(0, kPosInf));
  Var big("big", DataType::Int(64));
  ana.const_int_bound.Update(big, ConstIntBound(0, int64_t{1} << 62));
  EXPECT_EQ(Bounds(&ana, big * IntImm(DataType::Int(64), 4)), P(0, kPosInf));
}

TEST(ArithConstIntBound, BindUpdateAndConstraints) {
  Analyzer ana;
  Var i("i"), x("x"), n("n");
  ana.Bind(i, Range(0, 16));
  EXPECT_EQ(Bounds(&ana, i * 2 + 1), P(1, 31));
  EXPECT_TRUE(ana.const_int_bound.IsBound(i));
  EXPECT_THROW(ana.const_int_bound.Update(i, ConstIntBound(0, 3)), runtime::Error);
  {
    With<arith::ConstraintContext> ctx(&ana, logical_and(x >= 2, x < 10));
    EXPECT_EQ(Bounds(&ana, x), P(2, 9));
  }
  {
    With<arith::ConstraintContext> ctx(&ana, i < 4);
    EXPECT_EQ(Bounds(&ana, i), P(0, 3));
  }
  EXPECT_EQ(Bounds(&ana, i), P(0, 15));
  {
    With<arith::ConstraintContext> ctx(&ana, x * 2 < 7);
    EXPECT_EQ(Bounds(&ana, x * 2).second, 6);
  }
  {
    // A symbolic other side contributes its bounds.
    ana.const_int_bound.Update(n, ConstIntBound(0, 100));
    With<arith::ConstraintContext> ctx(&ana, logical_and(0 <= x, x < n));
    EXPECT_EQ(Bounds(&ana, x), P(0, 99));
  }
  // Marking a shape value non-negative.
  Var m("m");
  ana.MarkGlobalNonNegValue(m - 1);
  EXPECT_EQ(Bounds(&ana, m).first, 1);
}

TEST(ArithModularSet, Arithmetic) {
  Analyzer ana;
  Var x("x"), y("y");
  EXPECT_EQ(Residue(&ana, x * 4 + 2), P(4, 2));
  EXPECT_EQ(Residue(&ana, (x * 8 + 4) * 3), P(24, 12));
  EXPECT_EQ(Residue(&ana, x * 4 + y * 6), P(2, 0));
  EXPECT_EQ(Residue(&ana, x * 4 - 1), P(4, 3));
  EXPECT_EQ(Residue(&ana, floordiv(x * 8 + 4, 4)), P(2, 1));
  EXPECT_EQ(Residue(&ana, floormod(x * 6 + 1, 4)), P(2, 1));
  EXPECT_EQ(Residue(&ana, min(x * 4 + 1, x * 8 + 5)), P(4, 1));
  EXPECT_EQ(Residue(&ana, I(9)), P(0, 9));
  EXPECT_EQ(Residue(&ana, x), P(1, 0));
  EXPECT_EQ(Residue(&ana, left_shift(x, I(3))), P(8, 0));
  // truncdiv needs a non-negative dividend, unless the division is exact.
  EXPECT_EQ(Residue(&ana, truncdiv(x * 8 + 5, 4)), P(1, 0));
  EXPECT_EQ(Residue(&ana, truncdiv(x * 8 + 4, 4)), P(2, 1));
  ana.Bind(y, Range(0, 100));
  EXPECT_EQ(Residue(&ana, truncdiv(y * 8 + 5, 4)), P(2, 1));
}

TEST(ArithModularSet, BindAndConstraints) {
  Analyzer ana;
  Var x("x"), z("z");
  {
    With<arith::ConstraintContext> ctx(&ana, floormod(x, 3) == 1);
    EXPECT_EQ(Residue(&ana, x), P(3, 1));
    EXPECT_EQ(Residue(&ana, x * 2), P(6, 2));
  }
  EXPECT_EQ(Residue(&ana, x), P(1, 0));
  ana.Bind(z, x * 6 + 3);
  EXPECT_EQ(Residue(&ana, z), P(6, 3));
  ana.modular_set.Update(x, arith::ModularSet(4, 1));
  EXPECT_EQ(Residue(&ana, x * 2 + 1), P(8, 3));
}

TEST(ArithIntSet, Construction) {
  IntSet s = IntSet::Interval(I(0), I(7));
  EXPECT_TRUE(SameExpr(s.min(), I(0)));
  EXPECT_TRUE(SameExpr(s.max(), I(7)));
  EXPECT_TRUE(IntSet::SinglePoint(I(3)).IsSinglePoint());
  EXPECT_TRUE(IntSet::Everything().IsEverything());
  EXPECT_TRUE(IntSet::Nothing().IsNothing());
  EXPECT_FALSE(IntSet::Everything().HasLowerBound());
  IntSet r = IntSet::FromRange(Range(2, 10));
  EXPECT_TRUE(SameExpr(r.max(), I(9)));
  EXPECT_TRUE(r.MatchRange(Range(2, 10)));
  EXPECT_FALSE(r.MatchRange(Range(2, 11)));
  EXPECT_TRUE(r.CanProvePositive());
  EXPECT_EQ(r.GetSignType(), arith::kPositive);
  Range cover = r.CoverRange(Range(0, 100));
  EXPECT_TRUE(SameExpr(cover->min, I(2)));
  EXPECT_TRUE(SameExpr(cover->extent, I(8)));
  EXPECT_TRUE(SameExpr(IntSet::SinglePoint(I(4)).PointValue(), I(4)));
  IntSet v = IntSet::Vector(Ramp(I(4), I(2), 4));
  EXPECT_TRUE(SameExpr(v.min(), I(4)));
  EXPECT_TRUE(SameExpr(v.max(), I(10)));
}

TEST(ArithIntSet, EvalConstantDomains) {
  Var x("x"), y("y");
  Map<Var, IntSet> dom{{x, IntSet::Interval(I(0), I(7))}, {y, IntSet::Interval(I(-2), I(3))}};
  auto check = [&](const PrimExpr& e, int64_t lo, int64_t hi) {
    IntSet s = arith::EvalSet(e, dom);
    EXPECT_TRUE(SameExpr(s.min(), I(lo))) << e << ": min " << s.min();
    EXPECT_TRUE(SameExpr(s.max(), I(hi))) << e << ": max " << s.max();
  };
  check(x * 4 + y, -2, 31);
  check(x - y, -3, 9);
  check(x * -2, -14, 0);
  check(floordiv(x, 2), 0, 3);
  check(floordiv(y, 2), -1, 1);
  check(truncdiv(y, 2), -1, 1);
  check(floormod(x + 3, 4), 0, 3);
  check(floormod(x, 16), 0, 7);
  check(max(x, y), 0, 7);
  check(min(x, y), -2, 3);
  check(x * y, -14, 21);
  check(Select(x < y, x, y), -2, 7);
  // A variable outside the map stays symbolic.
  Var z("z");
  IntSet s = arith::EvalSet(z + x, dom);
  EXPECT_TRUE(SameExpr(s.min(), z));
  EXPECT_TRUE(SameExpr(s.max(), z + 7));
}

TEST(ArithIntSet, SymbolicSplitBound) {
  SizeVar n("n");
  Var io("i_outer"), ii("i_inner");
  Map<Var, IntSet> dom{{io, IntSet::FromRange(Range(0, floordiv(n, 4)))}, {ii, IntSet::FromRange(Range(0, 4))}};
  IntSet s = arith::EvalSet(io * 4 + ii, dom);
  EXPECT_TRUE(SameExpr(s.min(), I(0)));
  EXPECT_TRUE(SameExpr(s.max(), Sub(Mul(FloorDiv(n, I(4)), I(4)), I(1))));
  // The same through an analyzer whose loop variables are bound.
  Analyzer ana;
  ana.Bind(io, Range(0, floordiv(n, 4)));
  ana.Bind(ii, Range(0, 4));
  IntSet t = ana.int_set(io * 4 + ii);
  EXPECT_TRUE(SameExpr(t.max(), s.max()));
  // Strided ranges and unions.
  IntSet r = arith::EvalSet(Range::FromMinExtent(io * 8, 8), {{io.get(), IntSet::FromRange(Range(0, 4))}});
  EXPECT_TRUE(SameExpr(r.min(), I(0)));
  EXPECT_TRUE(SameExpr(r.max(), I(31)));
}

TEST(ArithIntSet, UnionIntersect) {
  IntSet a = IntSet::Interval(I(0), I(3)), b = IntSet::Interval(I(10), I(12)), c = IntSet::Interval(I(4), I(7));
  IntSet u = arith::Union({a, b});
  EXPECT_TRUE(SameExpr(u.min(), I(0)));
  EXPECT_TRUE(SameExpr(u.max(), I(12)));
  IntSet i = arith::Intersect({IntSet::Interval(I(0), I(8)), IntSet::Interval(I(4), I(12))});
  EXPECT_TRUE(SameExpr(i.min(), I(4)));
  EXPECT_TRUE(SameExpr(i.max(), I(8)));
  EXPECT_TRUE(arith::Intersect({a, b}).IsNothing());
  IntSet lb = arith::UnionLowerBound({a, c});
  EXPECT_TRUE(SameExpr(lb.max(), I(7)));
  IntSet gap = arith::UnionLowerBound({a, b});
  EXPECT_TRUE(SameExpr(gap.max(), I(3)));
  EXPECT_TRUE(arith::Union({a, IntSet::Everything()}).IsEverything());
  Var n("n");
  IntSet sym = arith::Union({IntSet::Interval(I(0), n), IntSet::Interval(I(0), n + 4)});
  EXPECT_TRUE(SameExpr(sym.max(), Add(n, I(4))));
}

TEST(ArithDeduceBound, LinearConditions) {
  Var x("x"), y("y"), n("n");
  Map<Var, IntSet> none;
  Map<Var, IntSet> relax{{y, IntSet::Interval(I(0), I(3))}};
  IntSet s = arith::DeduceBound(x, x * 2 + y < 10, none, relax);
  EXPECT_TRUE(arith::is_neg_inf(s.min()));
  EXPECT_TRUE(SameExpr(s.max(), I(3)));
  s = arith::DeduceBound(x, x + y >= 5, none, relax);
  EXPECT_TRUE(SameExpr(s.min(), I(5)));
  EXPECT_TRUE(arith::is_pos_inf(s.max()));
  s = arith::DeduceBound(x, 10 - x * 3 > 1, none, none);
  EXPECT_TRUE(SameExpr(s.max(), I(2)));
  s = arith::DeduceBound(x, x * 3 <= 10, none, none);
  EXPECT_TRUE(SameExpr(s.max(), I(3)));
  s = arith::DeduceBound(x, x * 3 >= 10, none, none);
  EXPECT_TRUE(SameExpr(s.min(), I(4)));
  s = arith::DeduceBound(x, x + 1 == n, none, none);
  EXPECT_TRUE(s.IsSinglePoint());
  EXPECT_TRUE(SameExpr(s.PointValue(), Sub(n, I(1))));
  // Symbolic bound: x * 4 + 3 < n  ->  x <= floordiv(n - 4, 4) = floordiv(n, 4) - 1.
  s = arith::DeduceBound(x, x * 4 + 3 < n, none, none);
  EXPECT_TRUE(SameExpr(s.max(), Sub(FloorDiv(n, I(4)), I(1)))) << s.max();
  // Unknown sign, or x twice: nothing.
  EXPECT_TRUE(arith::DeduceBound(x, x * n < 10, none, none).IsNothing());
  EXPECT_TRUE(arith::DeduceBound(x, x * x < 10, none, none).IsNothing());
  // floordiv(x, 2) <= 9 is x <= 19.
  s = arith::DeduceBound(x, floordiv(x, 2) < 10, none, none);
  EXPECT_TRUE(SameExpr(s.max(), I(19))) << s.max();
  Map<Var, IntSet> hint{{n, IntSet::Interval(I(1), I(4))}};
  EXPECT_FALSE(arith::DeduceBound(x, x * n < 10, hint, none).IsNothing());
}

TEST(ArithPattern, DetectLinearEquation) {
  Var x("x"), y("y"), z("z");
  Array<PrimExpr> c = arith::DetectLinearEquation(x * 4 + y * 2 + 1, {x, y});
  ASSERT_EQ(c.size(), 3u);
  EXPECT_TRUE(SameExpr(c[0], I(4)));
  EXPECT_TRUE(SameExpr(c[1], I(2)));
  EXPECT_TRUE(SameExpr(c[2], I(1)));
  c = arith::DetectLinearEquation(x * z + 3 + x, {x});
  ASSERT_EQ(c.size(), 2u);
  EXPECT_TRUE(SameExpr(c[0], Add(z, I(1))));
  c = arith::DetectLinearEquation((x + y) * 3 - y, {x, y});
  EXPECT_TRUE(SameExpr(c[1], I(2)));
  EXPECT_TRUE(SameExpr(c[2], I(0)));
  EXPECT_EQ(arith::DetectLinearEquation(x * x, {x}).size(), 0u);
  EXPECT_EQ(arith::DetectLinearEquation(floordiv(x, 2), {x}).size(), 0u);
  c = arith::DetectLinearEquation(z * 5, {x});
  EXPECT_TRUE(SameExpr(c[0], I(0)));
  EXPECT_TRUE(SameExpr(c[1], Mul(z, I(5))));
}

TEST(ArithPattern, DetectClipBound) {
  Var x("x"), y("y"), n("n");
  Array<PrimExpr> b = arith::DetectClipBound(logical_and(x >= 0, x < n), {x});
  ASSERT_EQ(b.size(), 2u);
  EXPECT_TRUE(SameExpr(b[0], I(0)));
  EXPECT_TRUE(SameExpr(b[1], Sub(n, I(1))));
  b = arith::DetectClipBound(logical_and(x * 2 >= 3, y <= 5), {x, y});
  ASSERT_EQ(b.size(), 4u);
  EXPECT_TRUE(SameExpr(b[0], I(2)));
  EXPECT_FALSE(b[1].defined());
  EXPECT_FALSE(b[2].defined());
  EXPECT_TRUE(SameExpr(b[3], I(5)));
  EXPECT_EQ(arith::DetectClipBound(x * y < 3, {x, y}).size(), 0u);
  EXPECT_EQ(arith::DetectClipBound(logical_or(x < 3, y < 3), {x, y}).size(), 0u);
}

}  // namespace
