/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// DeduceBound: solve a comparison for one variable.
//
// The comparison is moved to one side, e <= 0, e >= 0 or e == 0 (strict
// comparisons of integers shift by one), simplified, and written as
// c * v + rest with DetectLinearEquation. The sign of c, decided over the
// hint and relax domains, says which way dividing by c turns the
// comparison. The bound on v is then rest / c rounded inwards, evaluated
// over the relaxed variables: an upper bound must hold for every value, so
// it is the set's minimum, a lower bound the set's maximum.
#include <tvm/arith/analyzer.h>
#include <tvm/arith/bound.h>
#include <tvm/arith/pattern.h>
#include <tvm/runtime/registry.h>
#include <tvm/tir/op.h>

#include "interval_set.h"

namespace tvm {
namespace arith {

using namespace tir;  // NOLINT(build/namespaces)

namespace {

enum class Side { kUpper, kLower, kEqual };

std::unordered_map<const VarNode*, IntSet> ToVarNodeMap(const Map<Var, IntSet>& dom_map) {
  std::unordered_map<const VarNode*, IntSet> out;
  for (const auto& kv : dom_map) out[kv.first.get()] = kv.second;
  return out;
}

}  // namespace

IntSet DeduceBound(PrimExpr v, PrimExpr cond, const std::unordered_map<const VarNode*, IntSet>& hint_map,
                   const std::unordered_map<const VarNode*, IntSet>& relax_map) {
  const auto* var = v.as<VarNode>();
  if (var == nullptr || !cond.defined()) return IntSet::Nothing();
  // e <= 0 (kUpper), e >= 0 (kLower) or e == 0.
  PrimExpr e;
  Side side;
  auto one = [](const PrimExpr& x) { return make_const(x.dtype(), 1); };
  if (const auto* n = cond.as<LTNode>()) {
    e = n->a - n->b + one(n->a), side = Side::kUpper;
  } else if (const auto* n = cond.as<LENode>()) {
    e = n->a - n->b, side = Side::kUpper;
  } else if (const auto* n = cond.as<GTNode>()) {
    e = n->a - n->b - one(n->a), side = Side::kLower;
  } else if (const auto* n = cond.as<GENode>()) {
    e = n->a - n->b, side = Side::kLower;
  } else if (const auto* n = cond.as<EQNode>()) {
    e = n->a - n->b, side = Side::kEqual;
  } else {
    return IntSet::Nothing();
  }
  if (!(e.dtype().is_int() || e.dtype().is_uint()) || e.dtype().lanes() != 1) return IntSet::Nothing();

  Analyzer analyzer;
  Var x = GetRef<Var>(var);
  Array<PrimExpr> form = DetectLinearEquation(analyzer.Simplify(e), {x});
  if (form.empty() || is_zero(form[0])) return IntSet::Nothing();
  PrimExpr c = form[0], rest = form[1];

  // The sign of the coefficient over every domain we know.
  std::unordered_map<const VarNode*, IntSet> all = hint_map;
  for (const auto& kv : relax_map) all[kv.first] = kv.second;
  int sign = 0;
  if (const auto* imm = c.as<IntImmNode>()) {
    sign = imm->value > 0 ? 1 : -1;
  } else {
    IntSet cs = EvalInterval(&analyzer, c, all);
    if (cs.CanProvePositive()) sign = 1;
    if (cs.CanProveNegative()) sign = -1;
  }
  if (sign == 0) return IntSet::Nothing();

  // c * x + rest (<=, >=, ==) 0, divided by c.
  PrimExpr bound;
  Side result_side = side;
  if (side == Side::kEqual) {
    if (is_one(c)) {
      bound = neg(rest);
    } else if (is_const_int(c, -1)) {
      bound = rest;
    } else {
      return IntSet::Nothing();
    }
  } else {
    bool upper = (side == Side::kUpper) == (sign > 0);
    result_side = upper ? Side::kUpper : Side::kLower;
    PrimExpr magnitude = sign > 0 ? c : neg(c);
    // sign > 0: c x <= -rest or c x >= -rest; sign < 0: |c| x >= rest or |c| x <= rest.
    PrimExpr numerator = sign > 0 ? neg(rest) : rest;
    if (is_one(magnitude)) {
      bound = numerator;
    } else if (upper) {
      bound = floordiv(numerator, magnitude);
    } else {
      bound = floordiv(numerator + magnitude - one(magnitude), magnitude);
    }
  }
  bound = analyzer.Simplify(bound);

  // Relaxed variables: the bound must hold for all their values.
  IntSet range = EvalInterval(&analyzer, bound, relax_map);
  switch (result_side) {
    case Side::kUpper:
      if (!range.HasLowerBound()) return IntSet::Nothing();
      return IntSet::Interval(neg_inf(), range.min());
    case Side::kLower:
      if (!range.HasUpperBound()) return IntSet::Nothing();
      return IntSet::Interval(range.max(), pos_inf());
    default:
      if (!range.IsSinglePoint()) return IntSet::Nothing();
      return IntSet::SinglePoint(range.min());
  }
}

IntSet DeduceBound(PrimExpr v, PrimExpr cond, const Map<Var, IntSet>& hint_map, const Map<Var, IntSet>& relax_map) {
  return DeduceBound(v, cond, ToVarNodeMap(hint_map), ToVarNodeMap(relax_map));
}

TVM_REGISTER_GLOBAL("arith.DeduceBound")
    .set_body_typed([](PrimExpr v, PrimExpr cond, Map<Var, IntSet> hint_map, Map<Var, IntSet> relax_map) {
      return DeduceBound(v, cond, hint_map, relax_map);
    });

}  // namespace arith
}  // namespace tvm
