/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Rewrite rules of min, max, comparisons and boolean logic.
//
// Min, max and comparisons of integers first ask what is known about the
// difference of their operands (bounds, modular set, after simplifying the
// difference): min(x, x + 1) is x, i < 16 is true for i in [0, 16),
// x * 2 == 5 is false. Then structural rules move constants to one side
// (x + 3 < 10 becomes x < 7, x * 4 < 10 becomes x < 3) and cancel common
// terms. Entered constraints (ConstraintContext) and their negations
// simplify to true and false.
#include "rewrite_simplify.h"

namespace tvm {
namespace arith {

namespace {

int64_t V(const PVar<IntImm>& c) { return c.IntValue(); }

PrimExpr Bool(const PrimExpr& like, bool value) { return make_const(like.dtype(), value); }

/*! \brief ceil(a / b) for b > 0. */
int64_t CeilDivInt(int64_t a, int64_t b) { return -FloorDivInt(-a, b); }

/*! \brief Whether e is one of the operands of a left-nested chain min(min(min(a, b), c), d) of Node. */
template <typename Node>
bool InChain(const PrimExpr& chain, const PrimExpr& e) {
  PrimExpr cur = chain;
  while (const auto* n = cur.as<Node>()) {
    if (ExprDeepEqual(n->b, e)) return true;
    cur = n->a;
  }
  return ExprDeepEqual(cur, e);
}

}  // namespace

// ---------------------------------------------------------------------------
// min and max

PrimExpr RewriteSimplifier::Impl::ApplyMin(PrimExpr ret) {
  if (PrimExpr folded = FoldConstants(ret); folded.defined()) return folded;
  PVar<PrimExpr> x, y, z;
  PVar<IntImm> c1, c2;
  PVar<int> lanes;
  if (ret.dtype().lanes() != 1) {
    REWRITE_AGAIN(min(broadcast(x, lanes), broadcast(y, lanes)), broadcast(min(x, y), lanes));
  }
  if (!IsIndexType(ret.dtype())) return ret;
  const auto* op = ret.as<MinNode>();
  if (op == nullptr) return ret;

  REWRITE(min(x, x), x);
  // Selects on one condition; vector operands gather their broadcasts.
  PVar<PrimExpr> b1, b2;
  if ((min(select(x, y, z), select(x, b1, b2))).Match(ret)) {
    return Select(x.Eval(), tvm::min(y.Eval(), b1.Eval()), tvm::min(z.Eval(), b2.Eval()));
  }
  if (ret.dtype().lanes() != 1) {
    REWRITE_AGAIN(min(min(x, broadcast(y, lanes)), broadcast(z, lanes)), min(x, broadcast(min(y, z), lanes)));
  }
  if (ret.dtype().lanes() == 1) {
    Bounds ba = BoundsOf(op->a), bb = BoundsOf(op->b);
    if (ba.max_value <= bb.min_value) return op->a;
    if (bb.max_value <= ba.min_value) return op->b;
    switch (TryCompare(op->a, op->b)) {
      case Compare::kLT:
      case Compare::kLE:
      case Compare::kEQ:
        return op->a;
      case Compare::kGT:
      case Compare::kGE:
        return op->b;
      default:
        break;
    }
  }
  // Absorption.
  REWRITE(min(min(x, y), x), min(x, y));
  REWRITE(min(min(x, y), y), min(x, y));
  REWRITE(min(x, min(x, y)), min(x, y));
  REWRITE(min(y, min(x, y)), min(x, y));
  REWRITE(min(max(x, y), x), x);
  REWRITE(min(max(x, y), y), y);
  REWRITE(min(x, max(x, y)), x);
  REWRITE(min(y, max(x, y)), y);
  REWRITE(min(max(x, y), min(x, y)), min(x, y));
  REWRITE(min(max(x, y), min(y, x)), min(x, y));
  if (InChain<MinNode>(op->a, op->b)) return op->a;  // min(min(min(x, y), z), y)
  REWRITE_AGAIN(min(min(x, y), min(x, z)), min(min(x, y), z));
  REWRITE_AGAIN(min(max(x, y), max(x, z)), max(min(y, z), x));
  REWRITE_AGAIN(min(max(x, y), max(z, x)), max(min(y, z), x));
  REWRITE_AGAIN(min(max(y, x), max(x, z)), max(min(y, z), x));
  REWRITE_AGAIN(min(max(y, x), max(z, x)), max(min(y, z), x));
  // Common terms and factors.
  REWRITE_AGAIN(min(x + y, x + z), min(y, z) + x);
  REWRITE_AGAIN(min(y + x, z + x), min(y, z) + x);
  REWRITE_AGAIN(min(x + y, z + x), min(y, z) + x);
  REWRITE_AGAIN(min(y + x, x + z), min(y, z) + x);
  REWRITE_AGAIN(min(x - y, x - z), x - max(y, z));
  REWRITE_AGAIN(min(y - x, z - x), min(y, z) - x);
  REWRITE_AGAIN(min(x + c1, y + c1), min(x, y) + c1);
  REWRITE_AGAIN_IF(min(x * c1, y * c1), min(x, y) * c1, V(c1) > 0);
  REWRITE_AGAIN_IF(min(x * c1, y * c1), max(x, y) * c1, V(c1) < 0);
  REWRITE_AGAIN_IF(min(x * c1, c2), min(x, floordiv(c2, c1)) * c1, V(c1) > 0 && V(c2) % V(c1) == 0);
  REWRITE_AGAIN_IF(min(floordiv(x, c1), floordiv(y, c1)), floordiv(min(x, y), c1), V(c1) > 0);
  REWRITE_AGAIN_IF(min(truncdiv(x, c1), truncdiv(y, c1)), truncdiv(min(x, y), c1), V(c1) > 0);
  REWRITE_AGAIN_IF(min(floordiv(x, c1), floordiv(y, c1)), floordiv(max(x, y), c1), V(c1) < 0);
  REWRITE_AGAIN_IF(min(truncdiv(x, c1), truncdiv(y, c1)), truncdiv(max(x, y), c1), V(c1) < 0);
  REWRITE_AGAIN_IF(min(x * c1, c2), max(x, truncdiv(c2, c1)) * c1, V(c1) < 0 && V(c2) % V(c1) == 0);
  REWRITE_AGAIN_IF(min(c1 - x, c2), c1 - max(x, c1 - c2), ret.dtype().is_int());
  // Rounding x up to a multiple of c2 never goes below x.
  REWRITE_IF(min(floordiv(x + c1, c2) * c2, x), x, V(c2) > 0 && V(c1) + 1 == V(c2));
  REWRITE_IF(min(x, floordiv(x + c1, c2) * c2), x, V(c2) > 0 && V(c1) + 1 == V(c2));
  REWRITE_IF(min(truncdiv(x + c1, c2) * c2, x), x, V(c2) > 0 && V(c1) + 1 == V(c2));
  REWRITE_IF(min(x, truncdiv(x + c1, c2) * c2), x, V(c2) > 0 && V(c1) + 1 == V(c2));
  // ... and, for x >= 1, never below c2 either.
  {
    auto round_up = [&]() { return V(c2) > 0 && V(c1) + 1 == V(c2) && CanProveGE(x.Eval(), 1); };
    REWRITE_IF(min(floordiv(x + c1, c2) * c2, max(x, c2)), max(x, c2), round_up());
    REWRITE_IF(min(max(x, c2), floordiv(x + c1, c2) * c2), max(x, c2), round_up());
    REWRITE_IF(min(truncdiv(x + c1, c2) * c2, max(x, c2)), max(x, c2), round_up());
    REWRITE_IF(min(max(x, c2), truncdiv(x + c1, c2) * c2), max(x, c2), round_up());
  }
  // Constants.
  REWRITE_AGAIN(min(min(x, c1), c2), min(x, min(c1, c2)));
  if (min(c1, x).Match(ret)) return ApplyMin(Min(x.Eval(), c1.Eval()));
  return ret;
}

PrimExpr RewriteSimplifier::Impl::ApplyMax(PrimExpr ret) {
  if (PrimExpr folded = FoldConstants(ret); folded.defined()) return folded;
  PVar<PrimExpr> x, y, z;
  PVar<IntImm> c1, c2;
  PVar<int> lanes;
  if (ret.dtype().lanes() != 1) {
    REWRITE_AGAIN(max(broadcast(x, lanes), broadcast(y, lanes)), broadcast(max(x, y), lanes));
  }
  if (!IsIndexType(ret.dtype())) return ret;
  const auto* op = ret.as<MaxNode>();
  if (op == nullptr) return ret;

  REWRITE(max(x, x), x);
  PVar<PrimExpr> b1, b2;
  if ((max(select(x, y, z), select(x, b1, b2))).Match(ret)) {
    return Select(x.Eval(), tvm::max(y.Eval(), b1.Eval()), tvm::max(z.Eval(), b2.Eval()));
  }
  if (ret.dtype().lanes() != 1) {
    REWRITE_AGAIN(max(max(x, broadcast(y, lanes)), broadcast(z, lanes)), max(x, broadcast(max(y, z), lanes)));
  }
  if (ret.dtype().lanes() == 1) {
    Bounds ba = BoundsOf(op->a), bb = BoundsOf(op->b);
    if (ba.min_value >= bb.max_value) return op->a;
    if (bb.min_value >= ba.max_value) return op->b;
    switch (TryCompare(op->a, op->b)) {
      case Compare::kGT:
      case Compare::kGE:
      case Compare::kEQ:
        return op->a;
      case Compare::kLT:
      case Compare::kLE:
        return op->b;
      default:
        break;
    }
  }
  REWRITE(max(max(x, y), x), max(x, y));
  REWRITE(max(max(x, y), y), max(x, y));
  REWRITE(max(x, max(x, y)), max(x, y));
  REWRITE(max(y, max(x, y)), max(x, y));
  REWRITE(max(min(x, y), x), x);
  REWRITE(max(min(x, y), y), y);
  REWRITE(max(x, min(x, y)), x);
  REWRITE(max(y, min(x, y)), y);
  REWRITE(max(min(x, y), max(x, y)), max(x, y));
  REWRITE(max(min(x, y), max(y, x)), max(x, y));
  if (InChain<MaxNode>(op->a, op->b)) return op->a;
  REWRITE_AGAIN(max(max(x, y), max(x, z)), max(max(x, y), z));
  REWRITE_AGAIN(max(min(x, y), min(x, z)), min(max(y, z), x));
  REWRITE_AGAIN(max(min(x, y), min(z, x)), min(max(y, z), x));
  REWRITE_AGAIN(max(min(y, x), min(x, z)), min(max(y, z), x));
  REWRITE_AGAIN(max(min(y, x), min(z, x)), min(max(y, z), x));
  REWRITE_AGAIN(max(x + y, x + z), max(y, z) + x);
  REWRITE_AGAIN(max(y + x, z + x), max(y, z) + x);
  REWRITE_AGAIN(max(x + y, z + x), max(y, z) + x);
  REWRITE_AGAIN(max(y + x, x + z), max(y, z) + x);
  REWRITE_AGAIN(max(x - y, x - z), x - min(y, z));
  REWRITE_AGAIN(max(y - x, z - x), max(y, z) - x);
  REWRITE_AGAIN(max(x + c1, y + c1), max(x, y) + c1);
  REWRITE_AGAIN_IF(max(x * c1, y * c1), max(x, y) * c1, V(c1) > 0);
  REWRITE_AGAIN_IF(max(x * c1, y * c1), min(x, y) * c1, V(c1) < 0);
  REWRITE_AGAIN_IF(max(x * c1, c2), max(x, floordiv(c2, c1)) * c1, V(c1) > 0 && V(c2) % V(c1) == 0);
  REWRITE_AGAIN_IF(max(floordiv(x, c1), floordiv(y, c1)), floordiv(max(x, y), c1), V(c1) > 0);
  REWRITE_AGAIN_IF(max(truncdiv(x, c1), truncdiv(y, c1)), truncdiv(max(x, y), c1), V(c1) > 0);
  REWRITE_AGAIN_IF(max(floordiv(x, c1), floordiv(y, c1)), floordiv(min(x, y), c1), V(c1) < 0);
  REWRITE_AGAIN_IF(max(truncdiv(x, c1), truncdiv(y, c1)), truncdiv(min(x, y), c1), V(c1) < 0);
  REWRITE_AGAIN_IF(max(x * c1, c2), min(x, truncdiv(c2, c1)) * c1, V(c1) < 0 && V(c2) % V(c1) == 0);
  REWRITE_AGAIN_IF(max(c1 - x, c2), c1 - min(x, c1 - c2), ret.dtype().is_int());
  REWRITE_IF(max(floordiv(x + c1, c2) * c2, x), floordiv(x + c1, c2) * c2, V(c2) > 0 && V(c1) + 1 == V(c2));
  REWRITE_IF(max(x, floordiv(x + c1, c2) * c2), floordiv(x + c1, c2) * c2, V(c2) > 0 && V(c1) + 1 == V(c2));
  REWRITE_IF(max(truncdiv(x + c1, c2) * c2, x), truncdiv(x + c1, c2) * c2, V(c2) > 0 && V(c1) + 1 == V(c2));
  REWRITE_IF(max(x, truncdiv(x + c1, c2) * c2), truncdiv(x + c1, c2) * c2, V(c2) > 0 && V(c1) + 1 == V(c2));
  REWRITE_AGAIN(max(max(x, c1), c2), max(x, max(c1, c2)));
  // The clamp form is min(max(x, lo), hi).
  REWRITE_AGAIN_IF(max(min(x, c2), c1), min(max(x, c1), c2), V(c1) <= V(c2));
  if (max(c1, x).Match(ret)) return ApplyMax(Max(x.Eval(), c1.Eval()));
  return ret;
}

// ---------------------------------------------------------------------------
// Comparisons

PrimExpr RewriteSimplifier::Impl::ApplyEQ(PrimExpr ret) {
  if (PrimExpr folded = FoldConstants(ret); folded.defined()) return folded;
  if (auto known = MatchConstraint(ret)) return Bool(ret, *known);
  const auto* op = ret.as<EQNode>();
  if (op == nullptr) return ret;
  PVar<PrimExpr> x, y, z;
  PVar<IntImm> c1, c2;
  PVar<int> lanes;
  if (ret.dtype().lanes() != 1) {
    REWRITE_AGAIN(broadcast(x, lanes) == broadcast(y, lanes), broadcast(x == y, lanes));
  }
  if (!IsIndexType(op->a.dtype())) return ret;
  const bool ret_is_signed = op->a.dtype().is_int();
  if (ExprDeepEqual(op->a, op->b)) return Bool(ret, true);
  if (op->a.dtype().lanes() == 1) {
    switch (TryCompare(op->a, op->b)) {
      case Compare::kEQ:
        return Bool(ret, true);
      case Compare::kLT:
      case Compare::kGT:
      case Compare::kNE:
        return Bool(ret, false);
      default:
        break;
    }
  }
  if ((c1 == x).Match(ret)) return ApplyEQ(EQ(x.Eval(), c1.Eval()));
  REWRITE_AGAIN(x + c1 == c2, x == c2 - c1);
  REWRITE_AGAIN(c1 - x == c2, x == c1 - c2);
  if ((x * c1 == c2).Match(ret) && V(c1) != 0) {
    if (V(c2) % V(c1) != 0) return Bool(ret, false);
    if (auto r = TryBuild([&] { return PrimExpr(EQ(x.Eval(), make_const(x.Eval().dtype(), V(c2) / V(c1)))); })) return RecursiveRewrite(*r);
  }
  REWRITE_AGAIN(x + y == x + z, y == z);
  REWRITE_AGAIN(y + x == z + x, y == z);
  REWRITE_AGAIN(x + y == z + x, y == z);
  REWRITE_AGAIN(y + x == x + z, y == z);
  REWRITE_AGAIN(x - y == x - z, y == z);
  if ((x - y == 0).Match(ret)) return ApplyEQ(EQ(x.Eval(), y.Eval()));
  // A product is zero when a factor is (no overflow, as everywhere in index arithmetic).
  REWRITE_AGAIN_IF(x * y == 0, x == 0 || y == 0, ret_is_signed);
  return ret;
}

PrimExpr RewriteSimplifier::Impl::ApplyNE(PrimExpr ret) {
  if (PrimExpr folded = FoldConstants(ret); folded.defined()) return folded;
  if (auto known = MatchConstraint(ret)) return Bool(ret, *known);
  const auto* op = ret.as<NENode>();
  if (op == nullptr) return ret;
  if (IsScalarIndex(op->a.dtype())) {
    // Known a >= b (a <= b): a != b holds exactly when b < a (a < b).
    switch (TryCompare(op->a, op->b)) {
      case Compare::kGE:
        return ApplyLT(LT(op->b, op->a));
      case Compare::kLE:
        return ApplyLT(LT(op->a, op->b));
      default:
        break;
    }
  }
  // a != b is the negation of a == b.
  PrimExpr eq = ApplyEQ(EQ(op->a, op->b));
  if (const auto* imm = eq.as<IntImmNode>()) return Bool(ret, imm->value == 0);
  if (const auto* b = eq.as<BroadcastNode>()) {
    if (const auto* imm = b->value.as<IntImmNode>()) return Bool(ret, imm->value == 0);
  }
  if (const auto* e = eq.as<EQNode>()) {
    if (e->a.same_as(op->a) && e->b.same_as(op->b)) return ret;
    PrimExpr ne = NE(e->a, e->b);
    if (auto known = MatchConstraint(ne)) return Bool(ret, *known);
    return ne;
  }
  return ApplyNot(Not(eq));
}

PrimExpr RewriteSimplifier::Impl::ApplyLT(PrimExpr ret) {
  if (PrimExpr folded = FoldConstants(ret); folded.defined()) return folded;
  if (auto known = MatchConstraint(ret)) return Bool(ret, *known);
  const auto* op = ret.as<LTNode>();
  if (op == nullptr) return ret;
  PVar<PrimExpr> x, y, z;
  PVar<IntImm> c1, c2;
  PVar<int> lanes;
  if (ret.dtype().lanes() != 1) {
    REWRITE_AGAIN(broadcast(x, lanes) < broadcast(y, lanes), broadcast(x < y, lanes));
    if (PrimExpr uniform = UniformRampCompare(ret, true); uniform.defined()) return uniform;
  }
  if (!IsIndexType(op->a.dtype())) return ret;
  const bool ret_is_signed = op->a.dtype().is_int();
  if (ExprDeepEqual(op->a, op->b)) return Bool(ret, false);
  if (op->a.dtype().lanes() == 1) {
    switch (TryCompare(op->a, op->b)) {
      case Compare::kLT:
        return Bool(ret, true);
      case Compare::kEQ:
      case Compare::kGT:
      case Compare::kGE:
        return Bool(ret, false);
      default:
        break;
    }
  }
  // Constants to the right-hand side. (Unsigned: a constant below zero does
  // not fit, and such a rule does not apply.)
  REWRITE_AGAIN(x + c1 < c2, x < c2 - c1);
  REWRITE_AGAIN_IF(x - c1 < c2, x < c2 + c1, ret_is_signed);
  REWRITE_AGAIN_IF(c1 < x - c2, c1 + c2 < x, ret_is_signed);
  // x * c1 + y with 0 <= y < c1 against a multiple of c1: y cannot reach the next one.
  REWRITE_AGAIN_IF(x * c1 + y < c2, x < floordiv(c2, c1),
                   V(c1) > 0 && V(c2) % V(c1) == 0 && InRange(y.Eval(), V(c1)));
  REWRITE_AGAIN(c1 < x + c2, c1 - c2 < x);
  REWRITE_AGAIN(c1 - x < c2, c1 - c2 < x);
  REWRITE_AGAIN(c1 < c2 - x, x < c2 - c1);
  // A subtracted term to the other side, so the constant stands alone.
  REWRITE_AGAIN_IF(x < c1 - y, x + y < c1, ret_is_signed);
  REWRITE_AGAIN_IF(c1 - y < x, c1 < x + y, ret_is_signed);
  if ((x * c1 < c2).Match(ret) && V(c1) > 0) {
    if (auto r = TryBuild([&] { return PrimExpr(LT(x.Eval(), make_const(x.Eval().dtype(), CeilDivInt(V(c2), V(c1))))); })) return RecursiveRewrite(*r);
  }
  REWRITE_AGAIN_IF(c1 < x * c2, floordiv(c1, c2) < x, V(c2) > 0);
  // Negative factors: x * -k < c iff floor(-c / k) < x; c < x * -k iff x < ceil(-c / k).
  if ((x * c1 < c2).Match(ret) && V(c1) < 0 && ret_is_signed) {
    if (auto r = TryBuild([&] { return PrimExpr(LT(make_const(x.Eval().dtype(), FloorDivInt(-V(c2), -V(c1))), x.Eval())); })) return RecursiveRewrite(*r);
  }
  if ((c1 < x * c2).Match(ret) && V(c2) < 0 && ret_is_signed) {
    if (auto r = TryBuild([&] { return PrimExpr(LT(x.Eval(), make_const(x.Eval().dtype(), CeilDivInt(-V(c1), -V(c2))))); })) return RecursiveRewrite(*r);
  }
  // truncdiv(x, c) < k iff truncdiv(x, c) <= k - 1 (rounding is towards zero on both sides of 0).
  if ((truncdiv(x, c1) < c2).Match(ret) && V(c1) > 0) {
    int64_t bound = V(c2) > 0 ? V(c2) * V(c1) : (V(c2) - 1) * V(c1) + 1;
    if (auto r = TryBuild([&] { return PrimExpr(LT(x.Eval(), make_const(x.Eval().dtype(), bound))); })) return RecursiveRewrite(*r);
  }
  if ((c1 < truncdiv(x, c2)).Match(ret) && V(c2) > 0) {
    int64_t k = V(c1) + 1;
    int64_t bound = k > 0 ? k * V(c2) - 1 : k * V(c2) - V(c2);
    if (auto r = TryBuild([&] { return PrimExpr(LT(make_const(x.Eval().dtype(), bound), x.Eval())); })) return RecursiveRewrite(*r);
  }
  // A value rounded down to a multiple of c1 against the value: the remainder decides.
  REWRITE_AGAIN_IF(floordiv(x, c1) * c1 < x, 0 < floormod(x, c1), V(c1) > 0);
  REWRITE_AGAIN_IF(floordiv(x, c1) * c1 < x + y, 0 < floormod(x, c1) + y, V(c1) > 0);
  REWRITE_AGAIN_IF(floordiv(x, c1) * c1 < x - y, y < floormod(x, c1), V(c1) > 0);
  REWRITE_AGAIN_IF(truncdiv(x, c1) * c1 < x, 0 < truncmod(x, c1), V(c1) > 0);
  REWRITE_AGAIN_IF(truncdiv(x, c1) * c1 < x + y, 0 < truncmod(x, c1) + y, V(c1) > 0);
  REWRITE_AGAIN_IF(truncdiv(x, c1) * c1 < x - y, y < truncmod(x, c1), V(c1) > 0);
  // A min or max with a constant that does not decide the comparison.
  REWRITE_AGAIN_IF(min(x, c1) < c2, x < c2, V(c1) >= V(c2));
  REWRITE_AGAIN_IF(c2 < max(x, c1), c2 < x, V(c1) <= V(c2));
  REWRITE_AGAIN_IF(floordiv(x, c1) < c2, x < c2 * c1, V(c1) > 0);
  REWRITE_AGAIN_IF(c1 < floordiv(x, c2), (c1 + 1) * c2 - 1 < x, V(c2) > 0);
  // Common terms and factors.
  REWRITE_AGAIN_IF(x * c1 < y * c1, x < y, V(c1) > 0);
  REWRITE_AGAIN_IF(x * c1 < y * c1, y < x, V(c1) < 0);
  REWRITE_AGAIN(x + y < x + z, y < z);
  REWRITE_AGAIN(y + x < z + x, y < z);
  REWRITE_AGAIN(x + y < z + x, y < z);
  REWRITE_AGAIN(y + x < x + z, y < z);
  REWRITE_AGAIN(x - y < x - z, z < y);
  REWRITE_AGAIN(y - x < z - x, y < z);
  REWRITE_AGAIN(x + y < x, y < 0);
  REWRITE_AGAIN(y + x < x, y < 0);
  REWRITE_AGAIN(x < x + y, 0 < y);
  REWRITE_AGAIN(x < y + x, 0 < y);
  if (ret_is_signed) {
    // One positive constant, on the side it lands: x + 5 < y + 10 is x < y + 5;
    // x < y + 1 is x <= y.
    if ((x + c1 < y + c2).Match(ret)) {
      int64_t d = V(c2) - V(c1);
      DataType t = x.Eval().dtype();
      if (d == 0) return RecursiveRewrite(LT(x.Eval(), y.Eval()));
      if (d > 0 && FitsInType(t, d)) return RecursiveRewrite(LT(x.Eval(), y.Eval() + make_const(t, d)));
      if (d < 0 && FitsInType(t, -d)) return RecursiveRewrite(LT(x.Eval() + make_const(t, -d), y.Eval()));
    }
    REWRITE_AGAIN_IF(x + c1 < y, x < y + (0 - c1), V(c1) < 0);
    REWRITE_AGAIN_IF(x < y + c1, x + (0 - c1) < y, V(c1) < 0);
    REWRITE_AGAIN_IF(x < y + c1, x <= y, V(c1) == 1);
  } else {
    REWRITE_AGAIN(x + c1 < y + c2, x + (c1 - c2) < y);
  }
  return ret;
}

PrimExpr RewriteSimplifier::Impl::ApplyLE(PrimExpr ret) {
  if (PrimExpr folded = FoldConstants(ret); folded.defined()) return folded;
  if (auto known = MatchConstraint(ret)) return Bool(ret, *known);
  const auto* op = ret.as<LENode>();
  if (op == nullptr) return ret;
  PVar<PrimExpr> x, y, z;
  PVar<IntImm> c1, c2;
  PVar<int> lanes;
  if (ret.dtype().lanes() != 1) {
    REWRITE_AGAIN(broadcast(x, lanes) <= broadcast(y, lanes), broadcast(x <= y, lanes));
    if (PrimExpr uniform = UniformRampCompare(ret, false); uniform.defined()) return uniform;
  }
  if (!IsIndexType(op->a.dtype())) return ret;
  const bool ret_is_signed = op->a.dtype().is_int();
  if (ExprDeepEqual(op->a, op->b)) return Bool(ret, true);
  Compare known = Compare::kUnknown;
  if (op->a.dtype().lanes() == 1) {
    known = TryCompare(op->a, op->b);
    switch (known) {
      case Compare::kLT:
      case Compare::kLE:
      case Compare::kEQ:
        return Bool(ret, true);
      case Compare::kGT:
        return Bool(ret, false);
      default:
        break;
    }
  }
  REWRITE_AGAIN(x + c1 <= c2, x <= c2 - c1);
  REWRITE_AGAIN_IF(x - c1 <= c2, x <= c2 + c1, ret_is_signed);
  REWRITE_AGAIN_IF(c1 <= x - c2, c1 + c2 <= x, ret_is_signed);
  REWRITE_AGAIN(c1 <= x + c2, c1 - c2 <= x);
  REWRITE_AGAIN(c1 - x <= c2, c1 - c2 <= x);
  REWRITE_AGAIN(c1 <= c2 - x, x <= c2 - c1);
  REWRITE_AGAIN_IF(x <= c1 - y, x + y <= c1, ret_is_signed);
  REWRITE_AGAIN_IF(c1 - y <= x, c1 <= x + y, ret_is_signed);
  REWRITE_AGAIN_IF(x * c1 <= c2, x <= floordiv(c2, c1), V(c1) > 0);
  if ((c1 <= x * c2).Match(ret) && V(c2) > 0) {
    if (auto r = TryBuild([&] { return PrimExpr(LE(make_const(x.Eval().dtype(), CeilDivInt(V(c1), V(c2))), x.Eval())); })) return RecursiveRewrite(*r);
  }
  REWRITE_AGAIN_IF(floordiv(x, c1) <= c2, x <= (c2 + 1) * c1 - 1, V(c1) > 0);
  REWRITE_AGAIN_IF(c1 <= floordiv(x, c2), c1 * c2 <= x, V(c2) > 0);
  // Negative factors: x * -k <= c iff ceil(-c / k) <= x; c <= x * -k iff x <= floor(-c / k).
  if ((x * c1 <= c2).Match(ret) && V(c1) < 0 && ret_is_signed) {
    if (auto r = TryBuild([&] { return PrimExpr(LE(make_const(x.Eval().dtype(), CeilDivInt(-V(c2), -V(c1))), x.Eval())); })) return RecursiveRewrite(*r);
  }
  if ((c1 <= x * c2).Match(ret) && V(c2) < 0 && ret_is_signed) {
    if (auto r = TryBuild([&] { return PrimExpr(LE(x.Eval(), make_const(x.Eval().dtype(), FloorDivInt(-V(c1), -V(c2))))); })) return RecursiveRewrite(*r);
  }
  if ((truncdiv(x, c1) <= c2).Match(ret) && V(c1) > 0) {
    int64_t bound = V(c2) >= 0 ? V(c2) * V(c1) + V(c1) - 1 : V(c2) * V(c1);
    if (auto r = TryBuild([&] { return PrimExpr(LE(x.Eval(), make_const(x.Eval().dtype(), bound))); })) return RecursiveRewrite(*r);
  }
  if ((c1 <= truncdiv(x, c2)).Match(ret) && V(c2) > 0) {
    int64_t bound = V(c1) > 0 ? V(c1) * V(c2) : V(c1) * V(c2) - V(c2) + 1;
    if (auto r = TryBuild([&] { return PrimExpr(LE(make_const(x.Eval().dtype(), bound), x.Eval())); })) return RecursiveRewrite(*r);
  }
  // A value rounded to a multiple of c1 against the value: the remainder decides.
  REWRITE_AGAIN_IF(x <= floordiv(x, c1) * c1, floormod(x, c1) <= 0, V(c1) > 0);
  REWRITE_AGAIN_IF(x <= floordiv(x + c2, c1) * c1, floormod(x + c2, c1) <= c2, V(c1) > 0);
  REWRITE_AGAIN_IF(x + y <= floordiv(x + c2, c1) * c1, floormod(x + c2, c1) + y <= c2, V(c1) > 0);
  REWRITE_AGAIN_IF(x - y <= floordiv(x + c2, c1) * c1, floormod(x + c2, c1) <= y + c2, V(c1) > 0);
  REWRITE_AGAIN_IF(x <= truncdiv(x, c1) * c1, truncmod(x, c1) <= 0, V(c1) > 0);
  REWRITE_AGAIN_IF(x <= truncdiv(x + c2, c1) * c1, truncmod(x + c2, c1) <= c2, V(c1) > 0);
  REWRITE_AGAIN_IF(x + y <= truncdiv(x + c2, c1) * c1, truncmod(x + c2, c1) + y <= c2, V(c1) > 0);
  REWRITE_AGAIN_IF(x - y <= truncdiv(x + c2, c1) * c1, truncmod(x + c2, c1) <= y + c2, V(c1) > 0);
  REWRITE_AGAIN_IF(min(x, c1) <= c2, x <= c2, V(c1) > V(c2));
  // A remainder is never negative: at most 0 is equal to 0.
  REWRITE_AGAIN_IF(floormod(x, c1) <= 0, floormod(x, c1) == 0, V(c1) > 0);
  REWRITE_AGAIN_IF(c2 <= max(x, c1), c2 <= x, V(c1) < V(c2));
  REWRITE_AGAIN_IF(x * c1 <= y * c1, x <= y, V(c1) > 0);
  REWRITE_AGAIN_IF(x * c1 <= y * c1, y <= x, V(c1) < 0);
  REWRITE_AGAIN(x + y <= x + z, y <= z);
  REWRITE_AGAIN(y + x <= z + x, y <= z);
  REWRITE_AGAIN(x + y <= z + x, y <= z);
  REWRITE_AGAIN(y + x <= x + z, y <= z);
  REWRITE_AGAIN(x - y <= x - z, z <= y);
  REWRITE_AGAIN(y - x <= z - x, y <= z);
  REWRITE_AGAIN(x + y <= x, y <= 0);
  REWRITE_AGAIN(y + x <= x, y <= 0);
  REWRITE_AGAIN(x <= x + y, 0 <= y);
  REWRITE_AGAIN(x <= y + x, 0 <= y);
  REWRITE_AGAIN(x + c1 <= y + c2, x + (c1 - c2) <= y);
  if (op->a.dtype().lanes() == 1) {
    // No rule applies: the most restrictive form that is equivalent under what is known.
    switch (known) {
      case Compare::kGE:  // a >= b: a <= b only as a == b
        return ApplyEQ(EQ(op->a, op->b));
      case Compare::kNE:  // a != b: a <= b only as a < b
        return ApplyLT(LT(op->a, op->b));
      default:
        break;
    }
  }
  return ret;
}


// A ramp compared with a broadcast has the same answer in every lane when
// the broadcast value cannot fall strictly inside the ramp's span; then the
// comparison is that of lane 0, broadcast. Vectorised bound checks
// (ramp(i * 4, 1, 4) < broadcast(n * 4)) need this.
PrimExpr RewriteSimplifier::Impl::UniformRampCompare(const PrimExpr& ret, bool strict) {
  PVar<PrimExpr> x, y;
  PVar<IntImm> c1;
  PVar<int> lanes;
  bool ramp_left;
  if (strict ? (ramp(x, c1, lanes) < broadcast(y, lanes)).Match(ret)
             : (ramp(x, c1, lanes) <= broadcast(y, lanes)).Match(ret)) {
    ramp_left = true;
  } else if (strict ? (broadcast(y, lanes) < ramp(x, c1, lanes)).Match(ret)
                    : (broadcast(y, lanes) <= ramp(x, c1, lanes)).Match(ret)) {
    ramp_left = false;
  } else {
    return PrimExpr();
  }
  int64_t stride = V(c1);
  // Unsigned differences wrap; only signed lanes are compared through y - x.
  if (stride <= 0 || !IsScalarIndex(x.Eval().dtype()) || x.Eval().dtype().is_uint()) return PrimExpr();
  int64_t span = stride * (lanes.Eval() - 1);
  // Lane i compares stride * i with t (ramp on the left: x + s*i < y iff s*i < t, t = y - x
  // (+1 when not strict)); or u with stride * i (broadcast on the left: y < x + s*i iff
  // u < s*i, u = y - x (-1 when not strict)).
  PrimExpr diff = SimplifiedDiff(y.Eval(), x.Eval());
  int64_t shift = ramp_left ? (strict ? 0 : 1) : (strict ? 0 : -1);
  Bounds b = BoundsOf(diff);
  int64_t lo = BoundAdd(b.min_value, shift), hi = BoundAdd(b.max_value, shift);
  ModularSet m = analyzer_->modular_set(diff);
  int64_t coeff = m->coeff, base = m->coeff == 0 ? m->base + shift : FloorModInt(m->base + shift, m->coeff);
  bool uniform;
  if (ramp_left) {
    // Mixed lanes need 0 < t <= span.
    if (hi <= 0) return make_const(ret.dtype(), false);
    if (lo > span) return make_const(ret.dtype(), true);
    int64_t smallest_positive = coeff == 0 ? base : (base == 0 ? coeff : base);
    uniform = coeff == 0 ? (base <= 0 || base > span) : smallest_positive > span;
  } else {
    // Mixed lanes need 0 <= u < span.
    if (hi < 0) return make_const(ret.dtype(), true);
    if (lo >= span) return make_const(ret.dtype(), false);
    uniform = coeff == 0 ? (base < 0 || base >= span) : base >= span;
  }
  if (!uniform) return PrimExpr();
  PrimExpr lane0 = ramp_left ? (strict ? PrimExpr(LT(x.Eval(), y.Eval())) : PrimExpr(LE(x.Eval(), y.Eval())))
                             : (strict ? PrimExpr(LT(y.Eval(), x.Eval())) : PrimExpr(LE(y.Eval(), x.Eval())));
  return RecursiveRewrite(Broadcast(lane0, lanes.Eval()));
}

// ---------------------------------------------------------------------------
// Logic

PrimExpr RewriteSimplifier::Impl::ApplyAnd(PrimExpr ret) {
  const auto* op = ret.as<AndNode>();
  if (op == nullptr) return ret;
  if (auto v = as_const_int(op->a)) return *v != 0 ? op->b : op->a;
  if (auto v = as_const_int(op->b)) return *v != 0 ? op->a : op->b;
  if (auto known = MatchConstraint(ret)) return Bool(ret, *known);
  PVar<PrimExpr> x, y, z;
  PVar<IntImm> c1, c2, c3;
  PVar<int> lanes;
  REWRITE_AGAIN(broadcast(x, lanes) && broadcast(y, lanes), broadcast(x && y, lanes));
  REWRITE(x && x, x);
  if ((x && !x).Match(ret) || (!x && x).Match(ret)) return Bool(ret, false);
  REWRITE(x && (x && y), x && y);
  if ((x == y && x != y).Match(ret) || (x != y && x == y).Match(ret)) return Bool(ret, false);
  // 0 <= x - y * c < c says y is the quotient.
  if (((0 <= x - y * c1 && x - y * c1 < c2).Match(ret) || (x - y * c1 < c2 && 0 <= x - y * c1).Match(ret)) &&
      V(c1) > 0 && V(c1) == V(c2)) {
    return RecursiveRewrite(EQ(y.Eval(), floordiv(x.Eval(), c1.Eval())));
  }
  REWRITE_AGAIN(x && (y && z), (x && y) && z);
  // Quotient and remainder fixed together: a value, or a range of values.
  if ((floordiv(x, c1) == c2 && floormod(x, c1) == c3).Match(ret) ||
      (floormod(x, c1) == c3 && floordiv(x, c1) == c2).Match(ret)) {
    if (V(c1) > 0 && V(c3) >= 0 && V(c3) < V(c1)) {
      if (auto r = TryBuild([&] { return PrimExpr(EQ(x.Eval(), make_const(x.Eval().dtype(), V(c2) * V(c1) + V(c3)))); })) return RecursiveRewrite(*r);
    }
  }
  if ((floordiv(x, c1) == c2 && floormod(x, c1) < c3).Match(ret) && V(c1) > 0 && V(c3) > 0 && V(c3) <= V(c1)) {
    DataType t = x.Eval().dtype();
    int64_t lo = V(c1) * V(c2);
    if (auto r = TryBuild([&] { return PrimExpr(And(LE(make_const(t, lo), x.Eval()), LT(x.Eval(), make_const(t, lo + V(c3))))); })) return RecursiveRewrite(*r);
  }
  if ((floordiv(x, c1) == c2 && floormod(x, c1) <= c3).Match(ret) && V(c1) > 0 && V(c3) >= 0 && V(c3) < V(c1)) {
    DataType t = x.Eval().dtype();
    int64_t lo = V(c1) * V(c2);
    if (auto r = TryBuild([&] { return PrimExpr(And(LE(make_const(t, lo), x.Eval()), LE(x.Eval(), make_const(t, lo + V(c3))))); })) return RecursiveRewrite(*r);
  }
  if ((floordiv(x, c1) == c2 && c3 < floormod(x, c1)).Match(ret) && V(c1) > 0 && V(c3) >= 0 && V(c3) < V(c1)) {
    DataType t = x.Eval().dtype();
    int64_t lo = V(c1) * V(c2);
    if (auto r = TryBuild([&] { return PrimExpr(And(LT(make_const(t, lo + V(c3)), x.Eval()), LT(x.Eval(), make_const(t, lo + V(c1))))); })) return RecursiveRewrite(*r);
  }
  if ((floordiv(x, c1) == c2 && c3 <= floormod(x, c1)).Match(ret) && V(c1) > 0 && V(c3) >= 0 && V(c3) < V(c1)) {
    DataType t = x.Eval().dtype();
    int64_t lo = V(c1) * V(c2);
    if (auto r = TryBuild([&] { return PrimExpr(And(LE(make_const(t, lo + V(c3)), x.Eval()), LT(x.Eval(), make_const(t, lo + V(c1))))); })) return RecursiveRewrite(*r);
  }
  // x < c1 && x % c2 < c3 (0 < c3 < c2): the values of x just below c1 whose remainder
  // is c3 or more fail the second condition, so the bound drops to the last one that passes.
  {
    std::optional<int64_t> limit;  // x < limit
    if ((x < c1 && floormod(x, c2) < c3).Match(ret)) {
      limit = V(c1);
    } else if ((x <= c1 && floormod(x, c2) < c3).Match(ret) && V(c1) < std::numeric_limits<int64_t>::max()) {
      limit = V(c1) + 1;
    }
    if (limit.has_value() && V(c2) > 0 && V(c3) > 0 && V(c3) < V(c2)) {
      int64_t r = FloorModInt(*limit, V(c2));
      int64_t tight = r == 0 ? *limit - V(c2) + V(c3) : (r > V(c3) ? *limit - r + V(c3) : *limit);
      DataType t = x.Eval().dtype();
      if (tight != *limit) {
        if (auto r2 = TryBuild([&] { return PrimExpr(And(LT(x.Eval(), make_const(t, tight)), op->b)); })) {
          return RecursiveRewrite(*r2);
        }
      }
    }
  }
  REWRITE((x && y) && x, x && y);
  REWRITE((x && y) && y, x && y);
  // Contradictory comparisons (operands are integers once normalised to < and <=).
  if ((x < y && y < x).Match(ret) || (x <= y && y < x).Match(ret) || (x < y && y <= x).Match(ret) ||
      (x < y && x == y).Match(ret) || (x == y && x < y).Match(ret)) {
    return Bool(ret, false);
  }
  if (((x < c1 && c2 < x).Match(ret) || (c2 < x && x < c1).Match(ret)) && V(c2) + 1 >= V(c1)) return Bool(ret, false);
  if (((x <= c1 && c2 < x).Match(ret) || (c2 < x && x <= c1).Match(ret)) && V(c2) >= V(c1)) return Bool(ret, false);
  if (((x < c1 && c2 <= x).Match(ret) || (c2 <= x && x < c1).Match(ret)) && V(c2) >= V(c1)) return Bool(ret, false);
  if (((x <= c1 && c2 <= x).Match(ret) || (c2 <= x && x <= c1).Match(ret)) && V(c2) > V(c1)) return Bool(ret, false);
  if ((x == c1 && x == c2).Match(ret) && V(c1) != V(c2)) return Bool(ret, false);
  REWRITE_IF(x == c1 && x != c2, x == c1, V(c1) != V(c2));
  REWRITE_IF(x != c2 && x == c1, x == c1, V(c1) != V(c2));
  // Redundant bounds.
  REWRITE_IF(x < c1 && x < c2, x < c1, V(c1) <= V(c2));
  REWRITE_IF(x < c1 && x < c2, x < c2, V(c2) < V(c1));
  REWRITE_IF(c1 < x && c2 < x, c1 < x, V(c1) >= V(c2));
  REWRITE_IF(c1 < x && c2 < x, c2 < x, V(c2) > V(c1));
  return ret;
}

PrimExpr RewriteSimplifier::Impl::ApplyOr(PrimExpr ret) {
  const auto* op = ret.as<OrNode>();
  if (op == nullptr) return ret;
  if (auto v = as_const_int(op->a)) return *v != 0 ? op->a : op->b;
  if (auto v = as_const_int(op->b)) return *v != 0 ? op->b : op->a;
  if (auto known = MatchConstraint(ret)) return Bool(ret, *known);
  PVar<PrimExpr> x, y, z;
  PVar<IntImm> c1, c2;
  PVar<int> lanes;
  REWRITE_AGAIN(broadcast(x, lanes) || broadcast(y, lanes), broadcast(x || y, lanes));
  REWRITE(x || x, x);
  if ((x || !x).Match(ret) || (!x || x).Match(ret)) return Bool(ret, true);
  REWRITE(x || (x || y), x || y);
  if ((x == y || x != y).Match(ret) || (x != y || x == y).Match(ret)) return Bool(ret, true);
  REWRITE_AGAIN(x || (y || z), (x || y) || z);
  REWRITE((x || y) || x, x || y);
  REWRITE((x || y) || y, x || y);
  // Comparisons that cover every integer.
  if (((x < y || y <= x).Match(ret) || (y <= x || x < y).Match(ret) || (x <= y || y < x).Match(ret) ||
       (x <= y || y <= x).Match(ret)) &&
      IsIndexType(x.Eval().dtype())) {
    return Bool(ret, true);
  }
  if (((x < c1 || c2 < x).Match(ret) || (c2 < x || x < c1).Match(ret)) && V(c2) < V(c1)) return Bool(ret, true);
  if (((x <= c1 || c2 < x).Match(ret) || (c2 < x || x <= c1).Match(ret)) && V(c2) <= V(c1)) return Bool(ret, true);
  if (((x < c1 || c2 <= x).Match(ret) || (c2 <= x || x < c1).Match(ret)) && V(c2) <= V(c1)) return Bool(ret, true);
  if (((x <= c1 || c2 <= x).Match(ret) || (c2 <= x || x <= c1).Match(ret)) && V(c2) <= V(c1) + 1) {
    return Bool(ret, true);
  }
  if ((x != c1 || x != c2).Match(ret) && V(c1) != V(c2)) return Bool(ret, true);
  REWRITE_IF(x != c1 || x == c2, x != c1, V(c1) != V(c2));
  REWRITE_IF(x == c2 || x != c1, x != c1, V(c1) != V(c2));
  REWRITE_IF(x < c1 || x < c2, x < c2, V(c1) <= V(c2));
  REWRITE_IF(x < c1 || x < c2, x < c1, V(c2) < V(c1));
  // < or == is <= (the most restrictive rewrites of comparisons produce both halves).
  REWRITE_AGAIN(x < y || x == y, x <= y);
  REWRITE_AGAIN(x < y || y == x, x <= y);
  REWRITE_AGAIN(x == y || x < y, x <= y);
  REWRITE_AGAIN(y == x || x < y, x <= y);
  return ret;
}

PrimExpr RewriteSimplifier::Impl::ApplyNot(PrimExpr ret) {
  const auto* op = ret.as<NotNode>();
  if (op == nullptr) return ret;
  if (const auto* imm = op->a.as<IntImmNode>()) return make_const(ret.dtype(), imm->value == 0);
  if (auto known = MatchConstraint(ret)) return Bool(ret, *known);
  PVar<PrimExpr> x, y;
  PVar<int> lanes;
  REWRITE_AGAIN(!broadcast(x, lanes), broadcast(!x, lanes));
  REWRITE(!!x, x);
  REWRITE(!(x == y), x != y);
  REWRITE(!(x != y), x == y);
  // Comparisons flip for integers (not for floats: NaN compares false both ways).
  if (const auto* lt = op->a.as<LTNode>()) {
    if (IsIndexType(lt->a.dtype())) return ApplyLE(LE(lt->b, lt->a));
  }
  if (const auto* le = op->a.as<LENode>()) {
    if (IsIndexType(le->a.dtype())) return ApplyLT(LT(le->b, le->a));
  }
  REWRITE_AGAIN(!(x && y), !x || !y);
  REWRITE_AGAIN(!(x || y), !x && !y);
  return ret;
}

}  // namespace arith
}  // namespace tvm
