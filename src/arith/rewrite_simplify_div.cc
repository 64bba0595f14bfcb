/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Rewrite rules of division and remainder: floordiv/floormod (rounding
// towards negative infinity) and truncdiv/truncmod (the C operators).
//
// The floor forms satisfy the identities of index arithmetic for every sign,
// e.g. floordiv(x * 4 + y, 4) = x + floordiv(y, 4), so most of their rules
// are unconditional. The truncating forms only agree with them when the
// dividend is non-negative, so their rules ask the bounds for that first.
// Rules that drop a remainder use the bounds (floordiv(x * 4 + y, 4) is x
// when 0 <= y < 4) or the modular set (floormod(x * 8 + 4, 4) is 0).
//
// Vector forms: a ramp whose stride the divisor divides, or which stays
// within one block of the divisor, divides into a ramp or a broadcast; this
// is what vectorised index arithmetic (VectorizeLoop) needs.
#include "int_operator.h"
#include "rewrite_simplify.h"

namespace tvm {
namespace arith {

namespace {

/*! \brief Whether b > 0 divides a. */
bool Divides(int64_t b, int64_t a) { return b > 0 && a % b == 0; }

int64_t V(const PVar<IntImm>& c) { return c.IntValue(); }

/*!
 * \brief Whether base, base + 1, ..., base + span lie in one block [k * c, (k + 1) * c) for
 *  every value of a base in the modular set m: the base's residue modulo g = gcd(coeff, c)
 *  is fixed, the largest residue modulo c it reaches is c - g + base mod g.
 */
bool LanesInOneBlock(const ModularSet& m, int64_t c, int64_t span) {
  if (m->coeff == 0) return FloorModInt(m->base, c) + span < c;
  int64_t g = GCD(m->coeff, c);
  return FloorModInt(m->base, g) + span < g;
}

}  // namespace

// ---------------------------------------------------------------------------
// floordiv

PrimExpr RewriteSimplifier::Impl::ApplyFloorDiv(PrimExpr ret) {
  if (PrimExpr folded = FoldConstants(ret); folded.defined()) return folded;
  const auto* op = ret.as<FloorDivNode>();
  if (op == nullptr || is_zero(op->b)) return ret;
  DataType dtype = ret.dtype();
  PVar<PrimExpr> x, y, z, b1;
  PVar<IntImm> c1, c2, c3;
  PVar<int> lanes;

  if (dtype.lanes() != 1) {
    REWRITE_AGAIN(floordiv(broadcast(x, lanes), broadcast(y, lanes)), broadcast(floordiv(x, y), lanes));
    if (floordiv(ramp(b1, c1, lanes), broadcast(c2, lanes)).Match(ret) && V(c2) > 0) {
      int64_t stride = V(c1), c = V(c2);
      DataType t = c1.Value().dtype();
      if (stride % c == 0) {
        return RecursiveRewrite(Ramp(floordiv(b1.Eval(), c2.Eval()), IntImm(t, stride / c), lanes.Eval()));
      }
      if (stride >= 0) {
        // Every lane falls into the block of the base.
        ModularSet m = analyzer_->modular_set(b1.Eval());
        int64_t span = stride * (lanes.Eval() - 1);
        if (LanesInOneBlock(m, c, span)) {
          return RecursiveRewrite(Broadcast(floordiv(b1.Eval(), c2.Eval()), lanes.Eval()));
        }
        Bounds bb = BoundsOf(b1.Eval());
        if (!IsInf(bb.min_value) && !IsInf(bb.max_value) &&
            FloorDivInt(bb.min_value, c) == FloorDivInt(bb.max_value + span, c)) {
          return Broadcast(IntImm(t, FloorDivInt(bb.min_value, c)), lanes.Eval());
        }
      }
    }
    return ret;
  }
  if (!IsIndexType(dtype)) return ret;

  REWRITE(floordiv(x, 1), x);
  if (const auto* divisor = op->b.as<IntImmNode>(); divisor != nullptr && divisor->value > 0) {
    int64_t c = divisor->value;
    // The quotient is the same constant for every value of the dividend.
    Bounds ba = BoundsOf(op->a);
    if (!IsInf(ba.min_value) && !IsInf(ba.max_value) &&
        FloorDivInt(ba.min_value, c) == FloorDivInt(ba.max_value, c)) {
      return make_const(dtype, FloorDivInt(ba.min_value, c));
    }
    // Scaled dividends.
    REWRITE_IF(floordiv(x * c1, c2), x * floordiv(c1, c2), Divides(c, V(c1)));
    if (floordiv(x * c1, c2).Match(ret) && Divides(V(c1), c)) {
      return ApplyFloorDiv(FloorDiv(x.Eval(), IntImm(dtype, c / V(c1))));
    }
    REWRITE_AGAIN_IF(floordiv(x * c1 + y, c2), x * floordiv(c1, c2) + floordiv(y, c2), Divides(c, V(c1)));
    REWRITE_AGAIN_IF(floordiv(y + x * c1, c2), x * floordiv(c1, c2) + floordiv(y, c2), Divides(c, V(c1)));
    REWRITE_AGAIN_IF(floordiv(x + c1, c2), floordiv(x, c2) + floordiv(c1, c2), Divides(c, V(c1)));
    // Three terms, one a multiple of c.
    REWRITE_AGAIN_IF(floordiv(x * c1 + y + z, c2), x * floordiv(c1, c2) + floordiv(y + z, c2), Divides(c, V(c1)));
    REWRITE_AGAIN_IF(floordiv(y + x * c1 + z, c2), x * floordiv(c1, c2) + floordiv(y + z, c2), Divides(c, V(c1)));
    // A min or max with a multiple of c divides termwise (floor division is monotonic).
    REWRITE_AGAIN_IF(floordiv(min(x * c1, y), c2), min(x * floordiv(c1, c2), floordiv(y, c2)), Divides(c, V(c1)));
    REWRITE_AGAIN_IF(floordiv(max(x * c1, y), c2), max(x * floordiv(c1, c2), floordiv(y, c2)), Divides(c, V(c1)));
    REWRITE_AGAIN_IF(floordiv(min(y, x * c1), c2), min(floordiv(y, c2), x * floordiv(c1, c2)), Divides(c, V(c1)));
    REWRITE_AGAIN_IF(floordiv(max(y, x * c1), c2), max(floordiv(y, c2), x * floordiv(c1, c2)), Divides(c, V(c1)));
    // x * c1 + c3 with c1 | c: the constant's multiple of c1 joins x, its remainder cannot carry.
    if (floordiv(x * c1 + c3, c2).Match(ret) && Divides(V(c1), c) && V(c1) > 1 && !Divides(V(c1), V(c3))) {
      PrimExpr inner = x.Eval() + make_const(dtype, FloorDivInt(V(c3), V(c1)));
      if (auto r = TryBuild([&] { return PrimExpr(floordiv(inner, make_const(dtype, c / V(c1)))); })) return RecursiveRewrite(*r);
    }
    REWRITE_AGAIN_IF(floordiv(x - floormod(x, c1), c2), floordiv(x, c2), V(c1) == c);
    // floormod(x, 2) + 1 reaches 2 exactly when floormod(x, 2) is 1.
    if (floordiv(floormod(x, c1) + 1, c2).Match(ret) && c == 2 && V(c1) == 2) return floormod(x.Eval(), c2.Eval());
    // x * c1 + y: the part of x * c1 that c divides comes out as x * (c1 // c), and
    // what is left, floordiv(x * (c1 % c) + y % c, c), may be a known constant
    // (floordiv(x * 360 + y, 16) is x * 22 for x in [0, 1], y in [0, 6]).
    auto residue_rule = [&](const PrimExpr& xv, int64_t c1v, const PrimExpr& yv) -> std::optional<PrimExpr> {
      if (Divides(c, c1v)) return std::nullopt;
      DataType xt = xv.dtype();
      Bounds br = BoundsOf(floordiv(xv * make_const(xt, FloorModInt(c1v, c)) + floormod(yv, op->b), op->b));
      if (br.min_value != br.max_value || IsInf(br.min_value)) return std::nullopt;
      Bounds by = BoundsOf(yv);
      bool y_div_zero = by.min_value >= 0 && by.max_value < c;
      auto r = TryBuild([&] {
        PrimExpr rest = make_const(dtype, br.min_value);
        if (!y_div_zero) rest = floordiv(yv, op->b) + rest;
        return PrimExpr(xv * make_const(dtype, FloorDivInt(c1v, c)) + rest);
      });
      if (!r.has_value() || !WrapFree(ret, *r)) return std::nullopt;
      return r;
    };
    std::optional<PrimExpr> residue;
    if (floordiv(x * c1 + y, c2).Match(ret) || floordiv(y + x * c1, c2).Match(ret)) {
      residue = residue_rule(x.Eval(), V(c1), y.Eval());
    } else if (floordiv(x * c1, c2).Match(ret)) {
      residue = residue_rule(x.Eval(), V(c1), make_zero(dtype));
    }
    if (residue.has_value()) return RecursiveRewrite(*residue);
    // x * c1 + y with 0 <= y < c1: y never carries into the quotient.
    REWRITE_AGAIN_IF(floordiv(x * c1 + y, c2), floordiv(x, floordiv(c2, c1)),
                     Divides(V(c1), c) && InRange(y.Eval(), V(c1)));
    REWRITE_AGAIN_IF(floordiv(y + x * c1, c2), floordiv(x, floordiv(c2, c1)),
                     Divides(V(c1), c) && InRange(y.Eval(), V(c1)));
    REWRITE_AGAIN_IF(floordiv(x * c1 + y + z, c2), floordiv(x, floordiv(c2, c1)),
                     Divides(V(c1), c) && InRange(y.Eval() + z.Eval(), V(c1)));
    // Nested division and remainder.
    REWRITE_AGAIN_IF(floordiv(floordiv(x, c1), c2), floordiv(x, c1 * c2), V(c1) > 0);
    REWRITE_AGAIN_IF(floordiv(floordiv(x, c1) + c2, c3), floordiv(x + c1 * c2, c1 * c3), V(c1) > 0);
    REWRITE_AGAIN_IF(floordiv(floormod(x, c1), c2), floormod(floordiv(x, c2), floordiv(c1, c2)),
                     V(c1) > 0 && Divides(c, V(c1)));
    // x is c * k + r with r known: floordiv(x + c1, c) = floordiv(x, c) + floordiv(r + c1, c).
    if (floordiv(x + c1, c2).Match(ret)) {
      ModularSet m = analyzer_->modular_set(x.Eval());
      if (m->coeff > 0 && m->coeff % c == 0) {
        int64_t r = FloorModInt(m->base, c);
        int64_t carry = FloorDivInt(r + V(c1), c);
        if (auto r = TryBuild([&] { return PrimExpr(floordiv(x.Eval(), c2.Eval()) + make_const(dtype, carry)); })) return RecursiveRewrite(*r);
      }
    }
  }
  // Symbolic divisors (division by zero is undefined, so the divisor is assumed non-zero).
  if (ExprDeepEqual(op->a, op->b)) return make_const(dtype, 1);
  REWRITE(floordiv(x * y, y), x);
  REWRITE(floordiv(y * x, y), x);
  REWRITE_AGAIN(floordiv(x + y, x), floordiv(y, x) + 1);
  REWRITE_AGAIN(floordiv(y + x, x), floordiv(y, x) + 1);
  REWRITE_AGAIN(floordiv((x + y) + z, x), floordiv(y + z, x) + 1);
  REWRITE_AGAIN(floordiv((y + x) + z, x), floordiv(y + z, x) + 1);
  REWRITE_AGAIN(floordiv(y + (x + z), x), floordiv(y + z, x) + 1);
  REWRITE_AGAIN(floordiv(y + (z + x), x), floordiv(y + z, x) + 1);
  REWRITE_AGAIN(floordiv(x * z + y, z), x + floordiv(y, z));
  REWRITE_AGAIN(floordiv(z * x + y, z), x + floordiv(y, z));
  REWRITE_AGAIN(floordiv(y + x * z, z), floordiv(y, z) + x);
  REWRITE_AGAIN(floordiv(y + z * x, z), floordiv(y, z) + x);
  return ret;
}

// ---------------------------------------------------------------------------
// floormod

PrimExpr RewriteSimplifier::Impl::ApplyFloorMod(PrimExpr ret) {
  if (PrimExpr folded = FoldConstants(ret); folded.defined()) return folded;
  const auto* op = ret.as<FloorModNode>();
  if (op == nullptr || is_zero(op->b)) return ret;
  DataType dtype = ret.dtype();
  PVar<PrimExpr> x, y, b1;
  PVar<IntImm> c1, c2;
  PVar<int> lanes;

  if (dtype.lanes() != 1) {
    REWRITE_AGAIN(floormod(broadcast(x, lanes), broadcast(y, lanes)), broadcast(floormod(x, y), lanes));
    if (floormod(ramp(b1, c1, lanes), broadcast(c2, lanes)).Match(ret) && V(c2) > 0) {
      int64_t stride = V(c1), c = V(c2);
      if (stride % c == 0) return RecursiveRewrite(Broadcast(floormod(b1.Eval(), c2.Eval()), lanes.Eval()));
      if (stride >= 0) {
        ModularSet m = analyzer_->modular_set(b1.Eval());
        int64_t span = stride * (lanes.Eval() - 1);
        if (LanesInOneBlock(m, c, span)) {
          return RecursiveRewrite(Ramp(floormod(b1.Eval(), c2.Eval()), c1.Eval(), lanes.Eval()));
        }
        // The base's residue is known: only it matters (floormod(ramp(x * 8 + 7, 1, 4), 4) = floormod(ramp(3, 1, 4), 4)).
        if (m->coeff > 0 && m->coeff % c == 0 && !b1.Eval().as<IntImmNode>()) {
          PrimExpr base = make_const(b1.Eval().dtype(), FloorModInt(m->base, c));
          return floormod(Ramp(base, c1.Eval(), lanes.Eval()), op->b);
        }
        Bounds bb = BoundsOf(b1.Eval());
        if (!IsInf(bb.min_value) && !IsInf(bb.max_value) &&
            FloorDivInt(bb.min_value, c) == FloorDivInt(bb.max_value + span, c)) {
          int64_t k = FloorDivInt(bb.min_value, c);
          PrimExpr base = k == 0 ? b1.Eval() : b1.Eval() - make_const(b1.Eval().dtype(), k * c);
          return RecursiveRewrite(Ramp(base, c1.Eval(), lanes.Eval()));
        }
      }
    }
    return ret;
  }
  if (!IsIndexType(dtype)) return ret;

  if (floormod(x, 1).Match(ret)) return make_zero(dtype);
  if (const auto* divisor = op->b.as<IntImmNode>(); divisor != nullptr && divisor->value > 0) {
    int64_t c = divisor->value;
    // The dividend stays within one block of c.
    Bounds ba = BoundsOf(op->a);
    if (ba.min_value >= 0 && ba.max_value < c) return op->a;
    if (!IsInf(ba.min_value) && !IsInf(ba.max_value) &&
        FloorDivInt(ba.min_value, c) == FloorDivInt(ba.max_value, c)) {
      if (auto r = TryBuild([&] { return PrimExpr(op->a - make_const(dtype, FloorDivInt(ba.min_value, c) * c)); })) return RecursiveRewrite(*r);
    }
    // The residue is known.
    ModularSet m = analyzer_->modular_set(op->a);
    if (m->coeff > 0 && m->coeff % c == 0) return make_const(dtype, FloorModInt(m->base, c));
    if (floormod(x * c1, c2).Match(ret) && Divides(c, V(c1))) return make_zero(dtype);
    REWRITE_AGAIN_IF(floormod(x * c1 + y, c2), floormod(y, c2), Divides(c, V(c1)));
    REWRITE_AGAIN_IF(floormod(y + x * c1, c2), floormod(y, c2), Divides(c, V(c1)));
    REWRITE_AGAIN_IF(floormod(x + c1, c2), floormod(x, c2), Divides(c, V(c1)));
    REWRITE_AGAIN_IF(floormod(x + c1, c2), floormod(x + floormod(c1, c2), c2), FloorModInt(V(c1), c) != V(c1));
    // A factor counts modulo c: floormod(x * 9600, 6400) = floormod(x * 3200, 6400).
    REWRITE_AGAIN_IF(floormod(x * c1, c2), floormod(x * floormod(c1, c2), c2),
                     V(c1) > c && !Divides(V(c1), c) && !Divides(c, V(c1)));
    // (Not inside a sum: floordiv(i, 37) * 37 + floormod(i, 37) must still meet as i.)
    REWRITE_AGAIN_IF(floormod(floormod(x, c1), c2), floormod(x, c2), Divides(c, V(c1)));
    // A scaled dividend keeps its scale: floormod(x * 4, 16) = floormod(x, 4) * 4.
    REWRITE_AGAIN_IF(floormod(x * c1, c2), floormod(x, floordiv(c2, c1)) * c1, Divides(V(c1), c));
    REWRITE_AGAIN_IF(floormod(x * c1 + y, c2), floormod(x, floordiv(c2, c1)) * c1 + y,
                     Divides(V(c1), c) && InRange(y.Eval(), V(c1)));
    REWRITE_AGAIN_IF(floormod(y + x * c1, c2), y + floormod(x, floordiv(c2, c1)) * c1,
                     Divides(V(c1), c) && InRange(y.Eval(), V(c1)));
  }
  if (ExprDeepEqual(op->a, op->b) || is_zero(op->a)) return make_zero(dtype);
  if (floormod(x * y, y).Match(ret) || floormod(y * x, y).Match(ret)) return make_zero(dtype);
  // Padding to a multiple: floormod(z, y) is z up to a multiple of y, so
  // floormod(x + floormod(z, y), y) is floormod(x + z, y), zero when that is
  // ((x + floormod(-x, 9)) % 9); and x - floormod(x, +-y) is a multiple of y.
  {
    PVar<PrimExpr> z;
    auto sum_is_multiple = [&]() {
      return analyzer_->CanProveEqual(floormod(x.Eval() + z.Eval(), y.Eval()), make_zero(dtype));
    };
    if ((floormod(x + floormod(z, y), y).Match(ret) || floormod(floormod(z, y) + x, y).Match(ret)) &&
        sum_is_multiple()) {
      return make_zero(dtype);
    }
    auto same_magnitude = [&]() {
      return analyzer_->CanProveEqual(y.Eval(), z.Eval()) || analyzer_->CanProveEqual(y.Eval() + z.Eval(), make_zero(dtype));
    };
    if ((floormod(x - floormod(x, z), y).Match(ret) || floormod(floormod(x, z) - x, y).Match(ret)) &&
        same_magnitude()) {
      return make_zero(dtype);
    }
  }
  return ret;
}

// ---------------------------------------------------------------------------
// truncdiv

PrimExpr RewriteSimplifier::Impl::ApplyDiv(PrimExpr ret) {
  if (PrimExpr folded = FoldConstants(ret); folded.defined()) return folded;
  const auto* op = ret.as<DivNode>();
  if (op == nullptr || is_zero(op->b)) return ret;
  DataType dtype = ret.dtype();
  PVar<PrimExpr> x, y, z, b1;
  PVar<IntImm> c1, c2, c3;
  PVar<int> lanes;

  if (dtype.lanes() != 1) {
    REWRITE_AGAIN(truncdiv(broadcast(x, lanes), broadcast(y, lanes)), broadcast(truncdiv(x, y), lanes));
    if (IsIndexType(dtype) && truncdiv(ramp(b1, c1, lanes), broadcast(c2, lanes)).Match(ret) && V(c2) > 0 &&
        V(c1) >= 0 && CanProveGE(b1.Eval(), 0)) {
      // Every lane is non-negative, so truncation is floor division.
      int64_t stride = V(c1), c = V(c2);
      DataType t = c1.Value().dtype();
      if (stride % c == 0) {
        return RecursiveRewrite(Ramp(truncdiv(b1.Eval(), c2.Eval()), IntImm(t, stride / c), lanes.Eval()));
      }
      ModularSet m = analyzer_->modular_set(b1.Eval());
      int64_t span = stride * (lanes.Eval() - 1);
      if ((m->coeff == 0 || m->coeff % c == 0) && FloorModInt(m->base, c) + span < c) {
        return RecursiveRewrite(Broadcast(truncdiv(b1.Eval(), c2.Eval()), lanes.Eval()));
      }
    }
    return ret;
  }
  if (!IsIndexType(dtype)) return ret;

  REWRITE(truncdiv(x, 1), x);
  if (const auto* divisor = op->b.as<IntImmNode>(); divisor != nullptr && divisor->value > 0) {
    int64_t c = divisor->value;
    Bounds ba = BoundsOf(op->a);
    if (!IsInf(ba.min_value) && !IsInf(ba.max_value) && ba.min_value / c == ba.max_value / c) {
      return make_const(dtype, ba.min_value / c);
    }
    // Exact or sign-independent rules.
    REWRITE_IF(truncdiv(x * c1, c2), x * truncdiv(c1, c2), Divides(c, V(c1)));
    if (truncdiv(x * c1, c2).Match(ret) && Divides(V(c1), c)) {
      return ApplyDiv(Div(x.Eval(), IntImm(dtype, c / V(c1))));
    }
    REWRITE_AGAIN_IF(truncdiv(truncdiv(x, c1), c2), truncdiv(x, c1 * c2), V(c1) > 0);
    REWRITE_AGAIN_IF(truncdiv(truncmod(x, c1), c2), truncmod(truncdiv(x, c2), truncdiv(c1, c2)),
                     Divides(c, V(c1)));
    // Rules that need a non-negative dividend.
    REWRITE_AGAIN_IF(truncdiv(x * c1 + y, c2), x * truncdiv(c1, c2) + truncdiv(y, c2),
                     Divides(c, V(c1)) && V(c1) > 0 && CanProveGE(x.Eval(), 0) && CanProveGE(y.Eval(), 0));
    REWRITE_AGAIN_IF(truncdiv(y + x * c1, c2), truncdiv(y, c2) + x * truncdiv(c1, c2),
                     Divides(c, V(c1)) && V(c1) > 0 && CanProveGE(x.Eval(), 0) && CanProveGE(y.Eval(), 0));
    REWRITE_AGAIN_IF(truncdiv(x + c1, c2), truncdiv(x, c2) + truncdiv(c1, c2),
                     Divides(c, V(c1)) && CanProveGE(x.Eval(), 0) && CanProveGE(op->a, 0));
    REWRITE_AGAIN_IF(truncdiv(x * c1 + y, c2), truncdiv(x, truncdiv(c2, c1)),
                     Divides(V(c1), c) && CanProveGE(x.Eval(), 0) && InRange(y.Eval(), V(c1)));
    REWRITE_AGAIN_IF(truncdiv(y + x * c1, c2), truncdiv(x, truncdiv(c2, c1)),
                     Divides(V(c1), c) && CanProveGE(x.Eval(), 0) && InRange(y.Eval(), V(c1)));
    // Non-negative operands: truncation is floor division, so the floor rules hold.
    auto nonneg = [&](std::initializer_list<PrimExpr> es) {
      for (const PrimExpr& e : es) {
        if (!CanProveGE(e, 0)) return false;
      }
      return true;
    };
    REWRITE_AGAIN_IF(truncdiv(truncdiv(x, c1) + c3, c2), truncdiv(x + c1 * c3, c1 * c2),
                     V(c1) > 0 && V(c3) >= 0 && nonneg({x.Eval()}));
    REWRITE_AGAIN_IF(truncdiv(x * c1 + y + z, c2), x * truncdiv(c1, c2) + truncdiv(y + z, c2),
                     Divides(c, V(c1)) && nonneg({x.Eval(), y.Eval() + z.Eval()}));
    REWRITE_AGAIN_IF(truncdiv(y + x * c1 + z, c2), x * truncdiv(c1, c2) + truncdiv(y + z, c2),
                     Divides(c, V(c1)) && nonneg({x.Eval(), y.Eval() + z.Eval()}));
    REWRITE_AGAIN_IF(truncdiv(min(x * c1, y), c2), min(x * truncdiv(c1, c2), truncdiv(y, c2)),
                     Divides(c, V(c1)) && nonneg({x.Eval(), y.Eval()}));
    REWRITE_AGAIN_IF(truncdiv(max(x * c1, y), c2), max(x * truncdiv(c1, c2), truncdiv(y, c2)),
                     Divides(c, V(c1)) && nonneg({x.Eval(), y.Eval()}));
    REWRITE_AGAIN_IF(truncdiv(min(y, x * c1), c2), min(truncdiv(y, c2), x * truncdiv(c1, c2)),
                     Divides(c, V(c1)) && nonneg({x.Eval(), y.Eval()}));
    REWRITE_AGAIN_IF(truncdiv(max(y, x * c1), c2), max(truncdiv(y, c2), x * truncdiv(c1, c2)),
                     Divides(c, V(c1)) && nonneg({x.Eval(), y.Eval()}));
    // An exact multiple of c divides exactly, whatever its sign: (x * 48 + 16) / 16 = x * 3 + 1.
    REWRITE_AGAIN_IF(truncdiv(x * c1 + c3, c2), x * truncdiv(c1, c2) + truncdiv(c3, c2),
                     Divides(c, V(c1)) && Divides(c, V(c3)));
  }
  if (ExprDeepEqual(op->a, op->b)) return make_const(dtype, 1);
  REWRITE(truncdiv(x * y, y), x);
  REWRITE(truncdiv(y * x, y), x);
  // Symbolic divisors need non-negative operands (then truncation is flooring).
  auto ge0 = [&](const PrimExpr& e) { return CanProveGE(e, 0); };
  REWRITE_AGAIN_IF(truncdiv(x + y, x), truncdiv(y, x) + 1, ge0(x.Eval()) && ge0(y.Eval()));
  REWRITE_AGAIN_IF(truncdiv(y + x, x), truncdiv(y, x) + 1, ge0(x.Eval()) && ge0(y.Eval()));
  REWRITE_AGAIN_IF(truncdiv((x + y) + z, x), truncdiv(y + z, x) + 1, ge0(x.Eval()) && ge0(y.Eval() + z.Eval()));
  REWRITE_AGAIN_IF(truncdiv((y + x) + z, x), truncdiv(y + z, x) + 1, ge0(x.Eval()) && ge0(y.Eval() + z.Eval()));
  REWRITE_AGAIN_IF(truncdiv(y + (x + z), x), truncdiv(y + z, x) + 1, ge0(x.Eval()) && ge0(y.Eval() + z.Eval()));
  REWRITE_AGAIN_IF(truncdiv(y + (z + x), x), truncdiv(y + z, x) + 1, ge0(x.Eval()) && ge0(y.Eval() + z.Eval()));
  REWRITE_AGAIN_IF(truncdiv(x * z + y, z), x + truncdiv(y, z), ge0(x.Eval()) && ge0(y.Eval()) && ge0(z.Eval()));
  REWRITE_AGAIN_IF(truncdiv(z * x + y, z), x + truncdiv(y, z), ge0(x.Eval()) && ge0(y.Eval()) && ge0(z.Eval()));
  REWRITE_AGAIN_IF(truncdiv(y + x * z, z), truncdiv(y, z) + x, ge0(x.Eval()) && ge0(y.Eval()) && ge0(z.Eval()));
  REWRITE_AGAIN_IF(truncdiv(y + z * x, z), truncdiv(y, z) + x, ge0(x.Eval()) && ge0(y.Eval()) && ge0(z.Eval()));
  return ret;
}

// ---------------------------------------------------------------------------
// truncmod

PrimExpr RewriteSimplifier::Impl::ApplyMod(PrimExpr ret) {
  if (PrimExpr folded = FoldConstants(ret); folded.defined()) return folded;
  const auto* op = ret.as<ModNode>();
  if (op == nullptr || is_zero(op->b)) return ret;
  DataType dtype = ret.dtype();
  PVar<PrimExpr> x, y, b1;
  PVar<IntImm> c1, c2;
  PVar<int> lanes;

  if (dtype.lanes() != 1) {
    REWRITE_AGAIN(truncmod(broadcast(x, lanes), broadcast(y, lanes)), broadcast(truncmod(x, y), lanes));
    if (IsIndexType(dtype) && truncmod(ramp(b1, c1, lanes), broadcast(c2, lanes)).Match(ret) && V(c2) > 0 &&
        V(c1) >= 0 && CanProveGE(b1.Eval(), 0)) {
      int64_t stride = V(c1), c = V(c2);
      if (stride % c == 0) return RecursiveRewrite(Broadcast(truncmod(b1.Eval(), c2.Eval()), lanes.Eval()));
      ModularSet m = analyzer_->modular_set(b1.Eval());
      int64_t span = stride * (lanes.Eval() - 1);
      if ((m->coeff == 0 || m->coeff % c == 0) && FloorModInt(m->base, c) + span < c) {
        return RecursiveRewrite(Ramp(truncmod(b1.Eval(), c2.Eval()), c1.Eval(), lanes.Eval()));
      }
    }
    return ret;
  }
  if (!IsIndexType(dtype)) return ret;

  if (truncmod(x, 1).Match(ret)) return make_zero(dtype);
  // The remainder takes the dividend's sign, not the divisor's: truncmod(x, -c) = truncmod(x, c).
  if (const auto* divisor = op->b.as<IntImmNode>(); divisor != nullptr && divisor->value < 0 &&
                                                   divisor->value != std::numeric_limits<int64_t>::min()) {
    if (auto r = TryBuild([&] { return PrimExpr(truncmod(op->a, make_const(dtype, -divisor->value))); })) return RecursiveRewrite(*r);
  }
  if (const auto* divisor = op->b.as<IntImmNode>(); divisor != nullptr && divisor->value > 0) {
    int64_t c = divisor->value;
    // |dividend| < c: nothing to take away.
    Bounds ba = BoundsOf(op->a);
    if (ba.min_value > -c && ba.max_value < c) return op->a;
    if (ba.min_value >= 0) {
      ModularSet m = analyzer_->modular_set(op->a);
      if (m->coeff > 0 && m->coeff % c == 0) return make_const(dtype, FloorModInt(m->base, c));
      if (!IsInf(ba.max_value) && ba.min_value / c == ba.max_value / c) {
        if (auto r = TryBuild([&] { return PrimExpr(op->a - make_const(dtype, (ba.min_value / c) * c)); })) return RecursiveRewrite(*r);
      }
    }
    // Exact or sign-independent rules.
    if (truncmod(x * c1, c2).Match(ret) && Divides(c, V(c1))) return make_zero(dtype);
    REWRITE_AGAIN_IF(truncmod(truncmod(x, c1), c2), truncmod(x, c2), Divides(c, V(c1)));
    REWRITE_AGAIN_IF(truncmod(x * c1, c2), truncmod(x, truncdiv(c2, c1)) * c1, Divides(V(c1), c));
    // Rules that need a non-negative dividend.
    // A multiple of c drops out when it has the sign of the rest (the rounding direction is kept).
    auto same_sign = [&](const PrimExpr& a, const PrimExpr& b) {
      Bounds ba = BoundsOf(a), bb = BoundsOf(b);
      return (ba.min_value >= 0 && bb.min_value >= 0) || (ba.max_value <= 0 && bb.max_value <= 0);
    };
    REWRITE_AGAIN_IF(truncmod(x * c1 + y, c2), truncmod(y, c2),
                     Divides(c, V(c1)) && same_sign(x.Eval() * c1.Eval(), y.Eval()));
    REWRITE_AGAIN_IF(truncmod(y + x * c1, c2), truncmod(y, c2),
                     Divides(c, V(c1)) && same_sign(x.Eval() * c1.Eval(), y.Eval()));
    REWRITE_AGAIN_IF(truncmod(x + c1, c2), truncmod(x, c2),
                     Divides(c, V(c1)) && CanProveGE(x.Eval(), 0) && CanProveGE(op->a, 0));
    REWRITE_AGAIN_IF(truncmod(x * c1 + y, c2), truncmod(x, truncdiv(c2, c1)) * c1 + y,
                     Divides(V(c1), c) && CanProveGE(x.Eval(), 0) && InRange(y.Eval(), V(c1)));
    REWRITE_AGAIN_IF(truncmod(y + x * c1, c2), y + truncmod(x, truncdiv(c2, c1)) * c1,
                     Divides(V(c1), c) && CanProveGE(x.Eval(), 0) && InRange(y.Eval(), V(c1)));
  }
  if (ExprDeepEqual(op->a, op->b) || is_zero(op->a)) return make_zero(dtype);
  if (truncmod(x * y, y).Match(ret) || truncmod(y * x, y).Match(ret)) return make_zero(dtype);
  return ret;
}

}  // namespace arith
}  // namespace tvm
