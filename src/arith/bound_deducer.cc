/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// DeduceBound: solve a comparison for one variable.
//
// The variable must occur exactly once. The comparison is turned so that the
// side holding it reads `e (<=, >=, ==) rhs`; both sides are relaxed over the
// relax domains (the side with the variable towards its hardest case, rhs
// towards its easiest), and then e is peeled from the root down to the
// variable, applying the inverse of each node to rhs:
//
//   b * 3 + floordiv(a, 8) < 63      a <= floordiv(62 - b * 3, 1) * 8 + 7
//   e + k     ->  rhs - k
//   k - e     ->  k - rhs, and the comparison turns around
//   e * k     ->  rhs / k rounded inwards (the sign of k from the hints;
//                 turns around when k < 0; == needs k | rhs)
//   e // k    ->  rhs * k (>=) or rhs * k + k - 1 (<=)
//
// Any other node (min, max, a remainder, a load, the variable as a divisor)
// cannot be inverted and gives the empty set.
#include <tvm/arith/analyzer.h>
#include <tvm/arith/bound.h>
#include <tvm/runtime/registry.h>
#include <tvm/tir/op.h>

#include <optional>

#include "interval_set.h"

namespace tvm {
namespace arith {

using namespace tir;  // NOLINT(build/namespaces)

namespace {

enum class Relation { kLE, kGE, kEQ };

Relation TurnAround(Relation r) {
  if (r == Relation::kLE) return Relation::kGE;
  if (r == Relation::kGE) return Relation::kLE;
  return r;
}

/*! \brief How many times var occurs in e, counting shared sub-trees each time they are reached. */
size_t CountOccurrences(const PrimExpr& e, const VarNode* var) {
  if (e.get() == var) return 1;
  size_t n = 0;
  auto add = [&](const PrimExpr& child) { n += CountOccurrences(child, var); };
  if (const auto* op = e.as<AddNode>()) return add(op->a), add(op->b), n;
  if (const auto* op = e.as<SubNode>()) return add(op->a), add(op->b), n;
  if (const auto* op = e.as<MulNode>()) return add(op->a), add(op->b), n;
  if (const auto* op = e.as<FloorDivNode>()) return add(op->a), add(op->b), n;
  if (const auto* op = e.as<FloorModNode>()) return add(op->a), add(op->b), n;
  if (const auto* op = e.as<DivNode>()) return add(op->a), add(op->b), n;
  if (const auto* op = e.as<ModNode>()) return add(op->a), add(op->b), n;
  if (const auto* op = e.as<MinNode>()) return add(op->a), add(op->b), n;
  if (const auto* op = e.as<MaxNode>()) return add(op->a), add(op->b), n;
  if (const auto* op = e.as<CastNode>()) return add(op->value), n;
  if (const auto* op = e.as<SelectNode>()) return add(op->condition), add(op->true_value), add(op->false_value), n;
  if (const auto* op = e.as<CallNode>()) {
    for (const PrimExpr& arg : op->args) add(arg);
    return n;
  }
  if (const auto* op = e.as<BufferLoadNode>()) {
    for (const PrimExpr& index : op->indices) add(index);
    return n;
  }
  if (const auto* op = e.as<LetNode>()) return add(op->value), add(op->body), n;
  if (const auto* op = e.as<NotNode>()) return add(op->a), n;
  if (const auto* op = e.as<AndNode>()) return add(op->a), add(op->b), n;
  if (const auto* op = e.as<OrNode>()) return add(op->a), add(op->b), n;
  if (const auto* op = e.as<EQNode>()) return add(op->a), add(op->b), n;
  if (const auto* op = e.as<NENode>()) return add(op->a), add(op->b), n;
  if (const auto* op = e.as<LTNode>()) return add(op->a), add(op->b), n;
  if (const auto* op = e.as<LENode>()) return add(op->a), add(op->b), n;
  if (const auto* op = e.as<GTNode>()) return add(op->a), add(op->b), n;
  if (const auto* op = e.as<GENode>()) return add(op->a), add(op->b), n;
  return n;
}

class BoundSolver {
 public:
  BoundSolver(const VarNode* var, const std::unordered_map<const VarNode*, IntSet>& hint_map)
      : var_(var), hint_map_(hint_map) {}

  /*! \brief Peel e down to the variable; false when some node cannot be inverted. */
  bool Invert(PrimExpr e, Relation* rel, PrimExpr* rhs) {
    while (e.get() != var_) {
      if (const auto* op = e.as<AddNode>()) {
        bool left = Has(op->a);
        *rhs = *rhs - (left ? op->b : op->a);
        e = left ? op->a : op->b;
      } else if (const auto* op = e.as<SubNode>()) {
        if (Has(op->a)) {
          *rhs = *rhs + op->b;
          e = op->a;
        } else {
          *rhs = op->a - *rhs;
          *rel = TurnAround(*rel);
          e = op->b;
        }
      } else if (const auto* op = e.as<MulNode>()) {
        bool left = Has(op->a);
        PrimExpr k = left ? op->b : op->a;
        int sign = Sign(k);
        if (sign == 0) return false;
        if (sign < 0) *rel = TurnAround(*rel);
        // floordiv rounds down, which is right for <=; >= needs the ceiling,
        // and == an exact quotient.
        bool exact = analyzer_.CanProve(floormod(*rhs, k) == make_zero(k.dtype()));
        *rhs = floordiv(*rhs, k);
        if (!exact) {
          if (*rel == Relation::kEQ) return false;
          if (*rel == Relation::kGE) *rhs = *rhs + make_const(rhs->dtype(), 1);
        }
        e = left ? op->a : op->b;
      } else if (const auto* op = e.as<FloorDivNode>()) {
        if (Has(op->b)) return false;
        PrimExpr k = op->b;
        int sign = Sign(k);
        if (sign == 0) return false;
        // x // k == c holds for a whole interval of x: not one bound.
        if (*rel == Relation::kEQ) return false;
        PrimExpr one = make_const(k.dtype(), 1);
        if (sign < 0) {
          // x // -m = -((x + m - 1) // m): solve for (x + m - 1) // m against -rhs.
          k = neg(k);
          *rhs = neg(*rhs);
          *rel = TurnAround(*rel);
        }
        *rhs = *rel == Relation::kGE ? *rhs * k : *rhs * k + k - one;
        if (sign < 0) *rhs = *rhs - k + one;
        e = op->a;
      } else {
        return false;
      }
    }
    return true;
  }

  Analyzer analyzer_;

 private:
  bool Has(const PrimExpr& e) const { return CountOccurrences(e, var_) != 0; }

  /*! \brief The sign of k over the hints: 1, -1, or 0 when unknown (or zero). */
  int Sign(const PrimExpr& k) {
    if (k.dtype().is_uint()) return analyzer_.CanProve(k != make_zero(k.dtype())) ? 1 : 0;
    IntSet s = EvalInterval(&analyzer_, k, hint_map_);
    if (s.CanProvePositive()) return 1;
    if (s.CanProveNegative()) return -1;
    return 0;
  }

  const VarNode* var_;
  const std::unordered_map<const VarNode*, IntSet>& hint_map_;
};

}  // namespace

IntSet DeduceBound(PrimExpr v, PrimExpr cond, const std::unordered_map<const VarNode*, IntSet>& hint_map,
                   const std::unordered_map<const VarNode*, IntSet>& relax_map) {
  const auto* var = v.as<VarNode>();
  if (var == nullptr || !cond.defined() || CountOccurrences(cond, var) != 1) return IntSet::Nothing();

  // e (<=, >=, ==) rhs with the variable in e; strict comparisons of
  // integers move rhs by one.
  PrimExpr a, b;
  Relation rel;
  int strict = 0;  // +1: a < b, -1: a > b
  if (const auto* n = cond.as<LTNode>()) {
    a = n->a, b = n->b, rel = Relation::kLE, strict = 1;
  } else if (const auto* n = cond.as<LENode>()) {
    a = n->a, b = n->b, rel = Relation::kLE;
  } else if (const auto* n = cond.as<GTNode>()) {
    a = n->a, b = n->b, rel = Relation::kGE, strict = -1;
  } else if (const auto* n = cond.as<GENode>()) {
    a = n->a, b = n->b, rel = Relation::kGE;
  } else if (const auto* n = cond.as<EQNode>()) {
    a = n->a, b = n->b, rel = Relation::kEQ;
  } else {
    return IntSet::Nothing();
  }
  if (!(a.dtype().is_int() || a.dtype().is_uint()) || a.dtype().lanes() != 1) return IntSet::Nothing();
  PrimExpr e = a, rhs = b;
  if (CountOccurrences(a, var) == 0) {
    std::swap(e, rhs);
    rel = TurnAround(rel);
    strict = -strict;
  }
  // e < rhs is e <= rhs - 1; e > rhs is e >= rhs + 1.
  if (strict > 0) rhs = rhs - make_const(rhs.dtype(), 1);
  if (strict < 0) rhs = rhs + make_const(rhs.dtype(), 1);

  BoundSolver solver(var, hint_map);
  Analyzer& analyzer = solver.analyzer_;
  // The bound must hold for every value of the relaxed variables.
  IntSet e_set = EvalInterval(&analyzer, e, relax_map);
  IntSet rhs_set = EvalInterval(&analyzer, rhs, relax_map);
  // e >= rhs needs e's least and rhs's greatest value, e <= rhs the reverse.
  bool ge = rel == Relation::kGE, le = rel == Relation::kLE;
  if (!(ge ? e_set.HasLowerBound() : e_set.HasUpperBound()) || (!ge && !le && !e_set.HasLowerBound()) ||
      !(ge ? rhs_set.HasUpperBound() : rhs_set.HasLowerBound()) || (!ge && !le && !rhs_set.HasUpperBound())) {
    return IntSet::Nothing();
  }
  if (rel == Relation::kEQ) {
    // An equality relaxed is no longer one value.
    if (!analyzer.CanProve(e_set.min() == e_set.max()) || !analyzer.CanProve(rhs_set.min() == rhs_set.max())) {
      return IntSet::Nothing();
    }
  }
  e = rel == Relation::kGE ? e_set.min() : e_set.max();
  rhs = rel == Relation::kGE ? rhs_set.max() : rhs_set.min();
  if (CountOccurrences(e, var) != 1) return IntSet::Nothing();

  if (!solver.Invert(e, &rel, &rhs)) return IntSet::Nothing();
  PrimExpr bound = analyzer.Simplify(rhs);
  switch (rel) {
    case Relation::kLE:
      return IntSet::Interval(neg_inf(), bound);
    case Relation::kGE:
      return IntSet::Interval(bound, pos_inf());
    default:
      return IntSet::SinglePoint(bound);
  }
}

IntSet DeduceBound(PrimExpr v, PrimExpr cond, const Map<Var, IntSet>& hint_map, const Map<Var, IntSet>& relax_map) {
  auto to_node_map = [](const Map<Var, IntSet>& m) {
    std::unordered_map<const VarNode*, IntSet> out;
    for (const auto& kv : m) out[kv.first.get()] = kv.second;
    return out;
  };
  return DeduceBound(v, cond, to_node_map(hint_map), to_node_map(relax_map));
}

TVM_REGISTER_GLOBAL("arith.DeduceBound")
    .set_body_typed([](PrimExpr v, PrimExpr cond, Map<Var, IntSet> hint_map, Map<Var, IntSet> relax_map) {
      return DeduceBound(v, cond, hint_map, relax_map);
    });

}  // namespace arith
}  // namespace tvm
