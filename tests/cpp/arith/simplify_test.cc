/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// The rewrite and canonical simplifiers on the identities index arithmetic
// relies on: constant folding, cancellation, division and remainder by
// constants (floor and trunc, with negative values), split/fuse index
// patterns, min/max and comparisons decided by bounds, logic, select, and
// the vector forms VectorizeLoop produces.
#include <gtest/gtest.h>
#include <tvm/arith/analyzer.h>
#include <tvm/ir/repr_printer.h>
#include <tvm/ir/structural_equal.h>
#include <tvm/tir/builtin.h>
#include <tvm/tir/op.h>

namespace {

using namespace tvm;        // NOLINT(*)
using namespace tvm::tir;   // NOLINT(*)
using tvm::arith::Analyzer;

::testing::AssertionResult SameExpr(const PrimExpr& got, const PrimExpr& want) {
  if (StructuralEqual()(got, want)) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "got " << got << ", want " << want;
}

#define EXPECT_SIMPLIFY(ana, expr, want) EXPECT_TRUE(SameExpr((ana).Simplify(expr), (want))) << "input " << (expr)
#define EXPECT_REWRITE(ana, expr, want) \
  EXPECT_TRUE(SameExpr((ana).rewrite_simplify(expr), (want))) << "input " << (expr)
#define EXPECT_CANONICAL(ana, expr, want) \
  EXPECT_TRUE(SameExpr((ana).canonical_simplify(expr), (want))) << "input " << (expr)

PrimExpr I(int64_t v) { return IntImm(DataType::Int(32), v); }

class ArithSimplify : public ::testing::Test {
 protected:
  Var x{"x"}, y{"y"}, z{"z"}, n{"n"};
  Var i{"i"}, j{"j"}, io{"i_outer"}, ii{"i_inner"};
  Analyzer ana;
};

TEST_F(ArithSimplify, ConstantFolding) {
  EXPECT_REWRITE(ana, Add(I(2), I(3)), I(5));
  EXPECT_REWRITE(ana, Mul(Add(I(2), I(3)), I(4)), I(20));
  EXPECT_REWRITE(ana, FloorDiv(I(-7), I(2)), I(-4));
  EXPECT_REWRITE(ana, FloorMod(I(-7), I(2)), I(1));
  EXPECT_REWRITE(ana, Div(I(-7), I(2)), I(-3));
  EXPECT_REWRITE(ana, Mod(I(-7), I(2)), I(-1));
  EXPECT_REWRITE(ana, Min(I(3), I(-2)), I(-2));
  EXPECT_REWRITE(ana, LT(I(3), I(4)), Bool(true));
  EXPECT_REWRITE(ana, Cast(DataType::Int(64), I(7)), IntImm(DataType::Int(64), 7));
  // Division by a constant zero (scalar or vector) has no value: a ZeroDivisionError naming it (as TVM).
  for (PrimExpr bad : {PrimExpr(FloorDiv(x, I(0))), PrimExpr(Mod(x, I(0))),
                       PrimExpr(Div(Ramp(x, I(1), 4), Broadcast(I(0), 4)))}) {
    try {
      ana.rewrite_simplify(bad);
      ADD_FAILURE() << "no error for " << bad;
    } catch (const runtime::Error& e) {
      EXPECT_EQ(e.kind(), "ZeroDivisionError");
      EXPECT_NE(std::string(e.what()).find("division by zero"), std::string::npos) << e.what();
    }
  }
}

TEST_F(ArithSimplify, AddSubMul) {
  EXPECT_REWRITE(ana, Add(x, I(0)), x);
  EXPECT_REWRITE(ana, Mul(x, I(1)), x);
  EXPECT_REWRITE(ana, Mul(x, I(0)), I(0));
  EXPECT_REWRITE(ana, Sub(x, x), I(0));
  EXPECT_REWRITE(ana, Add(Add(x, I(1)), I(2)), Add(x, I(3)));
  EXPECT_REWRITE(ana, Add(Sub(x, y), y), x);
  EXPECT_REWRITE(ana, Sub(Add(x, y), x), y);
  EXPECT_REWRITE(ana, Add(Mul(x, I(3)), Mul(x, I(4))), Mul(x, I(7)));
  EXPECT_REWRITE(ana, Mul(Mul(x, I(2)), I(3)), Mul(x, I(6)));
  EXPECT_REWRITE(ana, Sub(Add(x, I(5)), Add(x, I(2))), I(3));
  EXPECT_REWRITE(ana, Sub(floordiv(x, 4) * 4 + floormod(x, 4), x), I(0));
}

TEST_F(ArithSimplify, CanonicalSums) {
  EXPECT_CANONICAL(ana, (x + y * 4 + 2) - (y * 4 + x), I(2));
  EXPECT_CANONICAL(ana, x * 3 - x * 4 + 1, Sub(I(1), x));
  EXPECT_CANONICAL(ana, y + x * 3 - x * 5 + 1 + y, Sub(Add(Mul(y, I(2)), I(1)), Mul(x, I(2))));
  EXPECT_CANONICAL(ana, 2 + (x * 3 + z + y + 1) * 4 + x,
                   Add(Add(Add(Mul(x, I(13)), Mul(z, I(4))), Mul(y, I(4))), I(6)));
  // Larger scales first, ties in order of appearance.
  EXPECT_CANONICAL(ana, x + y * 4, Add(Mul(y, I(4)), x));
  EXPECT_CANONICAL(ana, x - 1, Sub(x, I(1)));
  EXPECT_CANONICAL(ana, I(0) - x - 1, Sub(I(-1), x));
  // Equal inputs written differently give identical outputs.
  PrimExpr a = ana.canonical_simplify((x + 1) * 4 + y * 2 - 3);
  PrimExpr b = ana.canonical_simplify(y * 2 + x * 4 + 1);
  EXPECT_TRUE(SameExpr(a, b));
}

TEST_F(ArithSimplify, FloorDivModByConstant) {
  ana.Bind(y, Range(0, 4));
  EXPECT_SIMPLIFY(ana, floordiv(x * 4 + y, 4), x);
  EXPECT_SIMPLIFY(ana, floormod(x * 4 + y, 4), y);
  EXPECT_SIMPLIFY(ana, floordiv(y + x * 4, 4), x);
  EXPECT_SIMPLIFY(ana, floordiv(x * 8, 4), Mul(x, I(2)));
  EXPECT_SIMPLIFY(ana, floordiv(x * 4, 8), FloorDiv(x, I(2)));
  EXPECT_SIMPLIFY(ana, floormod(x * 8, 4), I(0));
  EXPECT_SIMPLIFY(ana, floormod(x * 4, 8), Mul(FloorMod(x, I(2)), I(4)));
  EXPECT_SIMPLIFY(ana, floormod(x * 4 + 2, 2), I(0));
  EXPECT_SIMPLIFY(ana, floordiv(x, 1), x);
  EXPECT_SIMPLIFY(ana, floormod(x, 1), I(0));
  EXPECT_SIMPLIFY(ana, floordiv(floordiv(x, 4), 8), FloorDiv(x, I(32)));
  EXPECT_SIMPLIFY(ana, floormod(floormod(x, 16), 4), FloorMod(x, I(4)));
  EXPECT_SIMPLIFY(ana, floordiv(x * 4 - 1, 4), Sub(x, I(1)));
  EXPECT_SIMPLIFY(ana, floormod(x * 4 - 1, 4), I(3));
  EXPECT_SIMPLIFY(ana, floordiv(x + 8, 4), Add(FloorDiv(x, I(4)), I(2)));
  // floordiv(floormod(x, 32), 8) and floormod(floordiv(x, 8), 4) are the same value.
  EXPECT_TRUE(SameExpr(ana.canonical_simplify(floordiv(floormod(x, 32), 8)),
                       ana.canonical_simplify(floormod(floordiv(x, 8), 4))));
}

TEST_F(ArithSimplify, TruncDivModNeedsNonNegative) {
  // x may be negative: truncdiv(x * 4 - 1, 4) is not x - 1.
  PrimExpr e = truncdiv(x * 4 - 1, 4);
  PrimExpr s = ana.Simplify(e);
  EXPECT_FALSE(StructuralEqual()(s, Sub(x, I(1)))) << s;
  EXPECT_SIMPLIFY(ana, truncdiv(x * 4, 4), x);
  EXPECT_SIMPLIFY(ana, truncmod(x * 4, 2), I(0));
  // Non-negative operands: the same identities as floor division.
  ana.Bind(i, Range(0, 100));
  ana.Bind(j, Range(0, 4));
  EXPECT_SIMPLIFY(ana, truncdiv(i * 4 + j, 4), i);
  EXPECT_SIMPLIFY(ana, truncmod(i * 4 + j, 4), j);
  EXPECT_SIMPLIFY(ana, truncdiv(j, 4), I(0));
  // Negative ranges: truncation rounds towards zero.
  Var k("k");
  ana.Bind(k, Range::FromMinExtent(-3, 4));  // k in [-3, 0]
  EXPECT_SIMPLIFY(ana, truncdiv(k, 4), I(0));
  EXPECT_SIMPLIFY(ana, floordiv(k, 4), FloorDiv(k, I(4)));
  EXPECT_SIMPLIFY(ana, truncmod(k, 4), k);
  Var m("m");
  ana.Bind(m, Range::FromMinExtent(-4, 4));  // m in [-4, -1]
  EXPECT_SIMPLIFY(ana, floordiv(m, 4), I(-1));
  EXPECT_SIMPLIFY(ana, floormod(m, 4), Add(m, I(4)));
}

TEST_F(ArithSimplify, SplitAndFuseIndices) {
  // Loop splitting produces i = i_outer * 32 + i_inner with 0 <= i_inner < 32.
  ana.Bind(io, Range(0, 8));
  ana.Bind(ii, Range(0, 32));
  PrimExpr fused = io * 32 + ii;
  EXPECT_SIMPLIFY(ana, floordiv(fused, 32), io);
  EXPECT_SIMPLIFY(ana, floormod(fused, 32), ii);
  EXPECT_SIMPLIFY(ana, floordiv(fused, 16), Add(Mul(io, I(2)), FloorDiv(ii, I(16))));
  EXPECT_SIMPLIFY(ana, floormod(fused, 16), FloorMod(ii, I(16)));
  EXPECT_SIMPLIFY(ana, floordiv(fused, 64), FloorDiv(io, I(2)));
  // Fusing back: the quotient and remainder recombine.
  EXPECT_SIMPLIFY(ana, floordiv(fused, 32) * 32 + floormod(fused, 32), fused);
  EXPECT_CANONICAL(ana, floordiv(x, 8) * 8 + floormod(x, 8), x);
  EXPECT_CANONICAL(ana, floordiv(x + y, 4) * 4 + floormod(x + y, 4) - y, x);
  EXPECT_CANONICAL(ana, floordiv(floormod(x, 16), 2) * 2 + floormod(x, 2), FloorMod(x, I(16)));
  // Fused loop j_fused in [0, 12) over (3, 4): the original indices come back.
  Var f("fused");
  ana.Bind(f, Range(0, 12));
  EXPECT_SIMPLIFY(ana, floordiv(f, 4) * 4 + floormod(f, 4), f);
}

TEST_F(ArithSimplify, MinMax) {
  ana.Bind(i, Range(0, 10));
  EXPECT_SIMPLIFY(ana, min(i, 20), i);
  EXPECT_SIMPLIFY(ana, max(i, 20), I(20));
  EXPECT_SIMPLIFY(ana, max(i, -1), i);
  EXPECT_SIMPLIFY(ana, min(x, x + 1), x);
  EXPECT_SIMPLIFY(ana, max(x * 4, x * 4 + 3), Add(Mul(x, I(4)), I(3)));
  EXPECT_SIMPLIFY(ana, min(min(x, 4), 2), Min(x, I(2)));
  EXPECT_SIMPLIFY(ana, min(x, y) + max(x, y), Add(x, y));
  EXPECT_SIMPLIFY(ana, min(x + 3, y + 3), Add(Min(x, y), I(3)));
  EXPECT_SIMPLIFY(ana, max(min(x, 5), 1), Min(Max(x, I(1)), I(5)));
}

TEST_F(ArithSimplify, Comparisons) {
  ana.Bind(i, Range(0, 16));
  EXPECT_SIMPLIFY(ana, i < 16, Bool(true));
  EXPECT_SIMPLIFY(ana, i >= 16, Bool(false));
  EXPECT_SIMPLIFY(ana, i < 15, LT(i, I(15)));
  EXPECT_SIMPLIFY(ana, x + 3 < 10, LT(x, I(7)));
  EXPECT_SIMPLIFY(ana, x * 4 < 10, LT(x, I(3)));
  EXPECT_SIMPLIFY(ana, x > y, LT(y, x));
  EXPECT_SIMPLIFY(ana, x + 1 < x, Bool(false));
  EXPECT_SIMPLIFY(ana, x * 2 == 5, Bool(false));
  EXPECT_SIMPLIFY(ana, x * 4 + 1 != x * 4, Bool(true));
  EXPECT_SIMPLIFY(ana, x == x, Bool(true));
  EXPECT_SIMPLIFY(ana, floordiv(x, 4) < 3, LT(x, I(12)));
}

TEST_F(ArithSimplify, Logic) {
  PrimExpr c = x < y;
  EXPECT_SIMPLIFY(ana, logical_and(Bool(true), c), c);
  EXPECT_SIMPLIFY(ana, And(c, Not(c)), Bool(false));
  EXPECT_SIMPLIFY(ana, Or(c, Not(c)), Bool(true));
  EXPECT_SIMPLIFY(ana, And(c, c), c);
  EXPECT_SIMPLIFY(ana, And(x < 3, x > 5), Bool(false));
  EXPECT_SIMPLIFY(ana, Or(x < 5, x > 3), Bool(true));
  EXPECT_SIMPLIFY(ana, Not(x < y), LE(y, x));
  EXPECT_SIMPLIFY(ana, Not(PrimExpr(Not(c))), c);
}

TEST_F(ArithSimplify, Select) {
  ana.Bind(i, Range(0, 8));
  EXPECT_SIMPLIFY(ana, Select(i < 8, x, y), x);
  EXPECT_SIMPLIFY(ana, Select(i >= 8, x, y), y);
  EXPECT_SIMPLIFY(ana, Select(x < y, z, z), z);
  // Inside a branch, the condition is known.
  EXPECT_SIMPLIFY(ana, Select(x < 4, min(x, 10), I(0)), Select(LT(x, I(4)), x, I(0)));
}

TEST_F(ArithSimplify, ConstraintScope) {
  {
    With<arith::ConstraintContext> ctx(&ana, x < n);
    EXPECT_SIMPLIFY(ana, x < n, Bool(true));
    EXPECT_SIMPLIFY(ana, n <= x, Bool(false));
    EXPECT_SIMPLIFY(ana, n > x, Bool(true));
  }
  EXPECT_SIMPLIFY(ana, x < n, LT(x, n));
  {
    With<arith::ConstraintContext> ctx(&ana, logical_and(x >= 0, x < 4));
    EXPECT_SIMPLIFY(ana, floordiv(x + y * 4, 4), y);
    EXPECT_TRUE(ana.CanProve(x < 5));
  }
  EXPECT_FALSE(ana.CanProve(x < 5));
  {
    // Known as bounds, not substituted (an index stays x inside `if x == 4`).
    With<arith::ConstraintContext> ctx(&ana, x == 4);
    EXPECT_TRUE(ana.CanProve(x + 1 == 5));
    EXPECT_FALSE(ana.CanProve(x + 1 == 6));
  }
}

TEST_F(ArithSimplify, BindExpression) {
  ana.Bind(z, x * 4 + 1);
  EXPECT_SIMPLIFY(ana, z - x * 4, I(1));
  EXPECT_SIMPLIFY(ana, floormod(z, 4), I(1));
  // Rebinding to something else is an error unless allowed.
  EXPECT_THROW(ana.Bind(z, x), runtime::Error);
  ana.Bind(z, x, true);
  EXPECT_SIMPLIFY(ana, z - x, I(0));
}

TEST_F(ArithSimplify, Vectors) {
  PrimExpr r1 = Ramp(x, I(1), 4), r2 = Ramp(y, I(2), 4);
  EXPECT_SIMPLIFY(ana, Add(r1, r2), Ramp(Add(x, y), I(3), 4));
  EXPECT_SIMPLIFY(ana, Add(r1, Broadcast(y, 4)), Ramp(Add(x, y), I(1), 4));
  EXPECT_SIMPLIFY(ana, Add(Broadcast(x, 4), Broadcast(y, 4)), Broadcast(Add(x, y), 4));
  EXPECT_SIMPLIFY(ana, Mul(Ramp(x, I(1), 4), Broadcast(I(2), 4)), Ramp(Mul(x, I(2)), I(2), 4));
  // Vectorised split index: floordiv(ramp(x * 4, 1, 4), 4) is broadcast(x).
  EXPECT_SIMPLIFY(ana, FloorDiv(Ramp(x * 4, I(1), 4), Broadcast(I(4), 4)), Broadcast(x, 4));
  EXPECT_SIMPLIFY(ana, FloorMod(Ramp(x * 4, I(1), 4), Broadcast(I(4), 4)), Ramp(I(0), I(1), 4));
  EXPECT_SIMPLIFY(ana, FloorDiv(Ramp(x * 8, I(4), 4), Broadcast(I(2), 4)), Ramp(Mul(x, I(4)), I(2), 4));
  EXPECT_SIMPLIFY(ana, Sub(Ramp(x, I(1), 4), Ramp(x, I(1), 4)), Broadcast(I(0), 4));
  // Comparisons whose lanes all agree become a broadcast scalar comparison.
  EXPECT_SIMPLIFY(ana, LT(Ramp(x * 4, I(1), 4), Broadcast(n * 4, 4)), Broadcast(LT(x, n), 4));
  EXPECT_SIMPLIFY(ana, LE(Broadcast(n * 4, 4), Ramp(x * 4, I(1), 4)), Broadcast(LE(n, x), 4));
  PrimExpr mixed = LT(Ramp(x * 4, I(1), 4), Broadcast(n * 4 + 2, 4));
  EXPECT_TRUE(SameExpr(ana.Simplify(mixed), ana.rewrite_simplify(mixed)));
  EXPECT_FALSE(ana.Simplify(mixed).as<BroadcastNode>());
  ana.Bind(i, Range(0, 8));
  EXPECT_SIMPLIFY(ana, LT(Ramp(i * 4, I(1), 4), Broadcast(I(32), 4)), Broadcast(Bool(true), 4));
  EXPECT_SIMPLIFY(ana, LT(Ramp(i * 4, I(1), 4), Broadcast(I(0), 4)), Broadcast(Bool(false), 4));
}

TEST_F(ArithSimplify, FloatsOnlyFold) {
  Var f("f", DataType::Float(32));
  // f - f is not 0 when f is NaN or infinite.
  PrimExpr e = Sub(f, f);
  EXPECT_TRUE(SameExpr(ana.Simplify(e), e));
  EXPECT_SIMPLIFY(ana, Add(FloatImm(DataType::Float(32), 1.5), FloatImm(DataType::Float(32), 2.0)),
                  FloatImm(DataType::Float(32), 3.5));
}

TEST_F(ArithSimplify, Let) {
  EXPECT_SIMPLIFY(ana, Let(z, I(3), z + x - 3), x);
}

TEST_F(ArithSimplify, CanProve) {
  ana.Bind(i, Range(0, 10));
  EXPECT_TRUE(ana.CanProve(i < 10));
  EXPECT_TRUE(ana.CanProveGreaterEqual(i, 0));
  EXPECT_TRUE(ana.CanProveLess(i * 2, 19));
  EXPECT_FALSE(ana.CanProveLess(i * 2, 18));
  EXPECT_TRUE(ana.CanProveEqual(x * 2 + x, x * 3));
  EXPECT_FALSE(ana.CanProve(x < 10));
  // Symbolic bounds: i in [0, n) gives i < n only with kSymbolicBound.
  Var k("k");
  ana.Bind(k, Range(0, n));
  EXPECT_TRUE(ana.CanProve(k < n, arith::ProofStrength::kSymbolicBound));
}

}  // namespace
