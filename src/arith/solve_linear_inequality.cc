/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Linear inequalities over integer variables, by Fourier-Motzkin elimination
// (SolveLinearInequalities), and two views of the result: a range per
// variable (SolveInequalitiesToRange) and a change to variables that start
// at zero (SolveInequalitiesDeskewRange).
//
// Every relation is first written `e <= 0` (or `e == 0`). For each variable
// v in order, the relations linear in v split by the sign of v's coefficient
// into upper bounds (c * v + e <= 0, c > 0) and lower bounds (c < 0); adding a
// positive multiple of each upper to each lower cancels v and gives the
// relations passed on to the next variable. So v's bounds mention only the
// variables after it:
//
//   x + y <= 20, x - y >= 10, y in [0, 10)
//   x: y + 10 <= x <= 20 - y     (passes on y * 2 - 10 <= 0)
//   y: 0 <= y <= 5
//
// The elimination is over the rationals: for integers the result may admit
// more points than the system (it is exact when the coefficients are 1).
// Relations that are not linear in the variable being eliminated (a product
// of two variables) are returned untouched with the rest.
#include <tvm/arith/analyzer.h>
#include <tvm/arith/int_solver.h>
#include <tvm/ir/repr_printer.h>
#include <tvm/arith/pattern.h>
#include <tvm/ir/structural_equal.h>
#include <tvm/runtime/registry.h>
#include <tvm/tir/op.h>
#include <tvm/tir/stmt_functor.h>

#include <algorithm>
#include <unordered_set>
#include <utility>
#include <vector>

#include "int_operator.h"

namespace tvm {
namespace arith {

using namespace tir;  // NOLINT(build/namespaces)

// Rewrite, canonical, rewrite: the last rewrite pass factors constants back
// out ((y + 10) + (y - 20) <= 0 becomes y <= 5, not y * 2 - 10 <= 0).
constexpr int kSolverSimplifySteps = 3;

IntConstraints IntConstraintsFromArgs(const runtime::TVMArgs& args, const char* caller);  // int_constraints.cc

namespace {

/*! \brief The number of nodes in e: simpler expressions sort first. */
size_t ExprSize(const PrimExpr& e) {
  size_t n = 0;
  PostOrderVisit(e, [&n](const ObjectRef&) { ++n; });
  return n;
}

/*!
 * \brief Every comparison in cond (under &&, ||, !) as `e <= 0`, `e == 0`,
 *  `e != 0` or `e < 0` with e simplified; strict integer comparisons become
 *  `e + 1 <= 0`.
 */
PrimExpr NormalizeComparisons(const PrimExpr& cond) {
  Analyzer analyzer;
  auto le_zero = [&](const PrimExpr& a, const PrimExpr& b, bool strict) -> PrimExpr {
    DataType t = a.dtype();
    if (strict && (t.is_int() || t.is_uint())) {
      return LE(analyzer.Simplify(a - b + make_const(t, 1)), make_zero(t));
    }
    PrimExpr e = analyzer.Simplify(a - b);
    if (strict) return LT(e, make_zero(t));
    return LE(e, make_zero(t));
  };
  if (const auto* op = cond.as<LENode>()) return le_zero(op->a, op->b, false);
  if (const auto* op = cond.as<LTNode>()) return le_zero(op->a, op->b, true);
  if (const auto* op = cond.as<GENode>()) return le_zero(op->b, op->a, false);
  if (const auto* op = cond.as<GTNode>()) return le_zero(op->b, op->a, true);
  if (const auto* op = cond.as<EQNode>()) return EQ(analyzer.Simplify(op->a - op->b), make_zero(op->a.dtype()));
  if (const auto* op = cond.as<NENode>()) return NE(analyzer.Simplify(op->a - op->b), make_zero(op->a.dtype()));
  if (const auto* op = cond.as<AndNode>()) return And(NormalizeComparisons(op->a), NormalizeComparisons(op->b));
  if (const auto* op = cond.as<OrNode>()) return Or(NormalizeComparisons(op->a), NormalizeComparisons(op->b));
  if (const auto* op = cond.as<NotNode>()) return Not(NormalizeComparisons(op->a));
  return cond;
}

/*!
 * \brief Add ineq to set unless it is provable, already there, or implied by
 *  a member; members it implies are dropped (for `a <= 0` and `b <= 0`, the
 *  one with the larger left side implies the other).
 */
void AddInequality(std::vector<PrimExpr>* set, const PrimExpr& ineq, Analyzer* analyzer) {
  if (analyzer->CanProve(ineq)) return;
  for (const PrimExpr& e : *set) {
    if (StructuralEqual()(e, ineq)) return;
  }
  if (const auto* le_new = ineq.as<LENode>()) {
    for (auto it = set->begin(); it != set->end();) {
      const auto* le = it->as<LENode>();
      if (le != nullptr && analyzer->CanProve(le_new->a - le->a <= 0)) return;
      if (le != nullptr && analyzer->CanProve(le->a - le_new->a <= 0)) {
        it = set->erase(it);
      } else {
        ++it;
      }
    }
  }
  set->push_back(ineq);
}

/*! \brief c * v + rest <= 0 */
using Bound = std::pair<int64_t, PrimExpr>;

/*!
 * \brief Split set by the sign of v's coefficient: upper bounds (c > 0) and
 *  lower bounds (c < 0); an equation is one of each. Relations without v go
 *  to `without`, those not linear in v with a constant coefficient to `rest`.
 */
void ClassifyBySign(const Var& v, const std::vector<PrimExpr>& set, std::vector<PrimExpr>* without,
                    std::vector<PrimExpr>* rest, std::vector<Bound>* upper, std::vector<Bound>* lower,
                    Analyzer* analyzer) {
  for (const PrimExpr& rel : set) {
    const auto* le = rel.as<LENode>();
    const auto* eq = rel.as<EQNode>();
    std::optional<int64_t> c;
    Array<PrimExpr> coeffs;
    if (le != nullptr || eq != nullptr) {
      coeffs = DetectLinearEquation(le != nullptr ? le->a : eq->a, {v});
      if (!coeffs.empty()) c = as_const_int(coeffs[0]);
    }
    if (!c) {
      rest->push_back(rel);
    } else if (*c == 0) {
      AddInequality(without, rel, analyzer);
    } else if (le != nullptr) {
      (*c > 0 ? upper : lower)->push_back({*c, coeffs[1]});
    } else {
      // c * v + e == 0 is c * v + e <= 0 and -c * v - e <= 0.
      Bound same{*c, coeffs[1]}, flipped{-*c, -coeffs[1]};
      upper->push_back(*c > 0 ? same : flipped);
      lower->push_back(*c > 0 ? flipped : same);
    }
  }
}

int64_t CheckedLCM(int64_t a, int64_t b) {
  int64_t l = LCM(a, b);
  TVM_CHECK(l != 0, "ValueError") << "solve_linear_inequalities: the least common multiple of the coefficients "
                                  << a << " and " << b << " overflows int64";
  return l;
}

}  // namespace

PartialSolvedInequalities SolveLinearInequalities(const IntConstraints& system) {
  Analyzer analyzer;
  analyzer.Bind(system->ranges);

  std::vector<PrimExpr> current;
  for (const PrimExpr& rel : system->relations) {
    AddInequality(&current, NormalizeComparisons(analyzer.Simplify(rel, kSolverSimplifySteps)), &analyzer);
  }

  std::vector<PrimExpr> rest;
  Map<Var, IntGroupBounds> solved;
  for (const Var& v : system->variables) {
    TVM_CHECK(!solved.count(v), "ValueError")
        << "solve_linear_inequalities: variable " << v << " is listed more than once";
    std::vector<Bound> upper, lower;
    // v's own range comes first: -v + min <= 0 and v - max <= 0.
    if (std::optional<Range> r = system->ranges.Get(v)) {
      PrimExpr min = analyzer.Simplify((*r)->min, kSolverSimplifySteps);
      PrimExpr max = analyzer.Simplify((*r)->min + (*r)->extent - 1, kSolverSimplifySteps);
      lower.push_back({-1, min});
      upper.push_back({1, -max});
    }
    std::vector<PrimExpr> next;
    ClassifyBySign(v, current, &next, &rest, &upper, &lower, &analyzer);

    // Eliminate v from each (upper, lower) pair.
    for (const Bound& up : upper) {
      for (const Bound& lo : lower) {
        int64_t g = GCD(up.first, lo.first);
        PrimExpr scale_up = make_const(v.dtype(), -lo.first / g);
        PrimExpr scale_lo = make_const(v.dtype(), up.first / g);
        PrimExpr sum = scale_lo * lo.second + scale_up * up.second;
        PrimExpr ineq = LE(sum, make_zero(sum.dtype()));
        AddInequality(&next, NormalizeComparisons(analyzer.Simplify(ineq, kSolverSimplifySteps)), &analyzer);
      }
    }

    // The bounds of v, all scaled to one coefficient: lcm * v <= / >= bound.
    int64_t lcm = 1;
    for (const Bound& b : upper) lcm = CheckedLCM(lcm, b.first);
    for (const Bound& b : lower) lcm = CheckedLCM(lcm, -b.first);
    // Keep only the bounds no other one is provably tighter than.
    auto keep_tightest = [&](std::vector<PrimExpr>* kept, const PrimExpr& bound, bool is_upper) {
      auto tighter_or_equal = [&](const PrimExpr& a, const PrimExpr& b) {
        return analyzer.CanProve(is_upper ? a - b <= 0 : a - b >= 0);
      };
      for (const PrimExpr& o : *kept) {
        if (tighter_or_equal(o, bound)) return;
      }
      kept->erase(std::remove_if(kept->begin(), kept->end(),
                                 [&](const PrimExpr& o) { return tighter_or_equal(bound, o); }),
                  kept->end());
      kept->push_back(bound);
    };
    std::vector<PrimExpr> uppers, lowers;
    for (const Bound& b : upper) {
      PrimExpr bound = analyzer.Simplify(make_const(v.dtype(), -lcm / b.first) * b.second, kSolverSimplifySteps);
      keep_tightest(&uppers, bound, true);
    }
    for (const Bound& b : lower) {
      PrimExpr bound = analyzer.Simplify(make_const(v.dtype(), -lcm / b.first) * b.second, kSolverSimplifySteps);
      keep_tightest(&lowers, bound, false);
    }
    // A bound on both sides is an equality.
    std::vector<PrimExpr> equals;
    for (auto up = uppers.begin(); up != uppers.end();) {
      auto lo = std::find_if(lowers.begin(), lowers.end(), [&](const PrimExpr& e) { return StructuralEqual()(e, *up); });
      if (lo == lowers.end()) {
        ++up;
        continue;
      }
      equals.push_back(*lo);
      lowers.erase(lo);
      up = uppers.erase(up);
    }
    std::stable_sort(equals.begin(), equals.end(),
                     [](const PrimExpr& a, const PrimExpr& b) { return ExprSize(a) < ExprSize(b); });

    solved.Set(v, IntGroupBounds(make_const(v.dtype(), lcm), Array<PrimExpr>(lowers), Array<PrimExpr>(equals),
                                 Array<PrimExpr>(uppers)));
    current = std::move(next);
  }

  // What no variable took: relations over the parameters only.
  Array<PrimExpr> others;
  for (const PrimExpr& e : current) {
    PrimExpr s = analyzer.Simplify(e, kSolverSimplifySteps);
    if (is_zero(s)) {
      others = {const_false()};
      break;
    }
    if (!is_one(s)) others.push_back(s);
  }
  for (const PrimExpr& e : rest) others.push_back(e);
  return {solved, others};
}

IntConstraints SolveInequalitiesToRange(const IntConstraints& system) {
  auto [bounds, others] = SolveLinearInequalities(system);
  Map<Var, Range> result_ranges;
  // The ranges known so far; each variable's bounds mention only later ones,
  // so solve from the last variable to the first.
  Map<Var, Range> known = system->ranges;
  for (auto it = system->variables.end(); it != system->variables.begin();) {
    Var v = *--it;
    Analyzer analyzer;
    analyzer.Bind(known);
    IntGroupBounds b = bounds.at(v);
    Range best;
    if (is_one(b->coef) && !b->equal.empty()) {
      // v == equal[0], the simplest of its equalities.
      best = Range::FromMinExtent(b->equal[0], make_const(b->equal[0].dtype(), 1));
    } else {
      if (std::optional<Range> r = known.Get(v)) b = b + *r;
      best = b.FindBestRange(known);
      if (!best.defined()) continue;
      if (analyzer.CanProveGreaterEqual(-best->extent, 0)) return IntConstraints({}, {}, {const_false()});
    }
    result_ranges.Set(v, best);
    known.Set(v, best);
  }

  // Keep the conditions the ranges do not already say.
  Analyzer analyzer;
  analyzer.Bind(known);
  Array<PrimExpr> relations;
  for (const PrimExpr& cond : AsConditions(system->variables, bounds, others)) {
    if (!analyzer.CanProve(cond)) relations.push_back(cond);
  }
  return IntConstraints(system->variables, result_ranges, relations);
}

IntConstraintsTransform SolveInequalitiesDeskewRange(const IntConstraints& system) {
  auto [bounds, others] = SolveLinearInequalities(system);
  Analyzer analyzer;
  Map<Var, Range> known = system->ranges;
  analyzer.Bind(known);

  Map<Var, PrimExpr> src_to_dst, dst_to_src;
  std::vector<Var> new_vars;  // last variable first
  Map<Var, Range> new_ranges;
  for (auto it = system->variables.end(); it != system->variables.begin();) {
    Var v = *--it;
    // Later variables are already replaced by their new ones.
    IntGroupBounds b = bounds.at(v).Substitute(src_to_dst);
    if (is_one(b->coef) && !b->equal.empty()) {
      src_to_dst.Set(v, b->equal[0]);
      continue;
    }
    if (std::optional<Range> r = known.Get(v)) b = b + *r;
    Range best = b.FindBestRange(known);
    if (!best.defined()) {
      // Unbounded: v stays as it is.
      src_to_dst.Set(v, v);
      dst_to_src.Set(v, v);
      new_vars.push_back(v);
    } else if (is_one(best->extent)) {
      src_to_dst.Set(v, best->min);
    } else if (analyzer.CanProveGreaterEqual(-best->extent, 0)) {
      return IntConstraintsTransform(system, IntConstraints({}, {}, {const_false()}), {}, {});
    } else {
      Var shifted = v.copy_with_suffix(".shifted");
      src_to_dst.Set(v, shifted + best->min);
      // best->min is in new variables; written back in old ones.
      dst_to_src.Set(shifted, analyzer.Simplify(v - Substitute(best->min, dst_to_src)));
      Range r = Range::FromMinExtent(make_zero(shifted.dtype()), best->extent);
      new_vars.push_back(shifted);
      new_ranges.Set(shifted, r);
      known.Set(shifted, r);
      analyzer.Bind(shifted, r);
    }
  }

  Array<PrimExpr> relations;
  for (const PrimExpr& cond : AsConditions(system->variables, bounds, others)) {
    PrimExpr c = analyzer.Simplify(Substitute(cond, src_to_dst));
    if (!is_one(c)) relations.push_back(c);
  }
  Array<Var> vars(new_vars.rbegin(), new_vars.rend());
  return IntConstraintsTransform(system, IntConstraints(vars, new_ranges, relations), src_to_dst, dst_to_src);
}

TVM_REGISTER_GLOBAL("arith.SolveInequalitiesAsCondition")
    .set_body([](runtime::TVMArgs args, runtime::TVMRetValue* ret) {
      IntConstraints system = IntConstraintsFromArgs(args, "SolveInequalitiesAsCondition");
      auto [bounds, others] = SolveLinearInequalities(system);
      *ret = AsConditions(system->variables, bounds, others);
    });
TVM_REGISTER_GLOBAL("arith.SolveInequalitiesToRange").set_body([](runtime::TVMArgs args, runtime::TVMRetValue* ret) {
  *ret = SolveInequalitiesToRange(IntConstraintsFromArgs(args, "solve_linear_inequalities"));
});
TVM_REGISTER_GLOBAL("arith.SolveInequalitiesDeskewRange")
    .set_body([](runtime::TVMArgs args, runtime::TVMRetValue* ret) {
      *ret = SolveInequalitiesDeskewRange(IntConstraintsFromArgs(args, "solve_linear_inequalities"));
    });

}  // namespace arith
}  // namespace tvm
