/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Integer solutions of linear equations A x = y (SolveLinearEquations).
//
// Integer row operations with determinant +-1 (on the equations) and column
// operations with determinant +-1 (on the variables, recorded in V) bring A
// to a diagonal S = U A V; with z = V^-1 x the system reads S z = U y, one
// variable per equation:
//   S[j][j] != 0: z_j = (U y)_j / S[j][j], which needs S[j][j] | (U y)_j;
//   S[j][j] == 0: z_j is free and becomes a fresh variable n<k>;
//   rows past the variables: (U y)_j == 0.
// Then x = V z. Because the operations are unimodular, every integer x
// solving the system is reached by exactly one integer z.
//
//   x + y + z == 15, x + y == 10   ->   x = n0 + 10, y = -n0, z = 5
//
// Relations that are not equations with constant integer coefficients are
// kept, rewritten in the fresh variables, as are the ranges of the old
// variables (as inequalities over the fresh ones).
#include <tvm/arith/analyzer.h>
#include <tvm/arith/int_set.h>
#include <tvm/arith/int_solver.h>
#include <tvm/arith/pattern.h>
#include <tvm/runtime/registry.h>
#include <tvm/tir/op.h>
#include <tvm/tir/stmt_functor.h>

#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "int_operator.h"

namespace tvm {
namespace arith {

using namespace tir;  // NOLINT(build/namespaces)

IntConstraints IntConstraintsFromArgs(const runtime::TVMArgs& args, const char* caller);  // int_constraints.cc

namespace {

/*! \brief p * a + q * b, throwing instead of overflowing int64. */
int64_t CombineChecked(int64_t p, int64_t a, int64_t q, int64_t b) {
  int64_t pa, qb, sum;
  if (__builtin_mul_overflow(p, a, &pa) || __builtin_mul_overflow(q, b, &qb) ||
      __builtin_add_overflow(pa, qb, &sum)) {
    throw runtime::Error("ValueError", "solve_linear_equations: a coefficient overflows int64 while diagonalizing");
  }
  return sum;
}

/*! \brief g = gcd(|a|, |b|) > 0 with a * x + b * y == g; a, b not both zero. */
int64_t ExtendedGCD(int64_t a, int64_t b, int64_t* x, int64_t* y) {
  // Invariants: a * s0 + b * t0 == r0 and a * s1 + b * t1 == r1.
  int64_t r0 = a, s0 = 1, t0 = 0;
  int64_t r1 = b, s1 = 0, t1 = 1;
  while (r1 != 0) {
    int64_t q = r0 / r1;
    int64_t r2 = r0 - q * r1, s2 = s0 - q * s1, t2 = t0 - q * t1;
    r0 = r1, s0 = s1, t0 = t1;
    r1 = r2, s1 = s2, t1 = t2;
  }
  if (r0 < 0) r0 = -r0, s0 = -s0, t0 = -t0;
  *x = s0;
  *y = t0;
  return r0;
}

/*!
 * \brief A 2x2 integer matrix [[a, b], [c, d]] with determinant -1 that maps
 *  (pivot, other) to (g, 0), g = gcd. When other is a multiple of pivot it
 *  leaves the pivot alone (a = 1, b = 0): the pivot only changes when it
 *  shrinks, which is what makes the diagonalization terminate.
 */
struct Eliminator {
  int64_t a, b, c, d;
  bool pivot_changed;
};

Eliminator MakeEliminator(int64_t pivot, int64_t other) {
  int64_t a = 1, b = 0, g = pivot;
  bool changed = other % pivot != 0;
  if (changed) g = ExtendedGCD(pivot, other, &a, &b);
  return Eliminator{a, b, other / g, -(pivot / g), changed};
}

/*!
 * \brief S z == rhs with z = V^-1 x, diagonalized in place. Row operations
 *  act on S and rhs; column operations act on S and V, and their inverses on z.
 */
struct DiagonalSystem {
  std::vector<std::vector<int64_t>> S;  // m x n
  std::vector<PrimExpr> rhs;            // m
  std::vector<std::vector<int64_t>> V;  // n x n
  std::vector<PrimExpr> z;              // n, in terms of the original variables

  size_t rows() const { return S.size(); }
  size_t cols() const { return V.size(); }

  void SwapColumns(size_t p, size_t q) {
    for (auto& row : S) std::swap(row[p], row[q]);
    for (auto& row : V) std::swap(row[p], row[q]);
    std::swap(z[p], z[q]);
  }

  // rows p, q <- e * (rows p, q)
  void RowOp(size_t p, size_t q, const Eliminator& e) {
    for (size_t j = 0; j < cols(); ++j) {
      int64_t sp = S[p][j], sq = S[q][j];
      S[p][j] = CombineChecked(e.a, sp, e.b, sq);
      S[q][j] = CombineChecked(e.c, sp, e.d, sq);
    }
    PrimExpr yp = rhs[p], yq = rhs[q];
    DataType t = yp.dtype();
    rhs[p] = make_const(t, e.a) * yp + make_const(t, e.b) * yq;
    rhs[q] = make_const(t, e.c) * yp + make_const(t, e.d) * yq;
  }

  // columns p, q <- (a * col_p + b * col_q, c * col_p + d * col_q), in S and V alike.
  void ColumnOp(size_t p, size_t q, const Eliminator& e) {
    auto apply = [&](std::vector<std::vector<int64_t>>* m) {
      for (auto& row : *m) {
        int64_t vp = row[p], vq = row[q];
        row[p] = CombineChecked(e.a, vp, e.b, vq);
        row[q] = CombineChecked(e.c, vp, e.d, vq);
      }
    };
    apply(&S);
    apply(&V);
    // S' = S M with M = [[a, c], [b, d]] (det -1), so z' = M^-1 z = [[-d, c], [b, -a]] z.
    PrimExpr zp = z[p], zq = z[q];
    DataType t = zp.dtype();
    z[p] = make_const(t, -e.d) * zp + make_const(t, e.c) * zq;
    z[q] = make_const(t, e.b) * zp + make_const(t, -e.a) * zq;
  }

  void Diagonalize() {
    size_t m = rows(), n = cols();
    for (size_t k = 0; k < std::min(m, n); ++k) {
      // The smallest non-zero entry of column k (at or below row k) is the pivot.
      size_t best = k;
      for (size_t i = k; i < m; ++i) {
        if (S[i][k] != 0 && (S[best][k] == 0 || std::abs(S[i][k]) < std::abs(S[best][k]))) best = i;
      }
      std::swap(S[k], S[best]);
      std::swap(rhs[k], rhs[best]);
      if (S[k][k] == 0) {
        for (size_t j = k + 1; j < n; ++j) {
          if (S[k][j] != 0) {
            SwapColumns(k, j);
            break;
          }
        }
      }
      // Row k and column k below it are zero: nothing to eliminate here.
      if (S[k][k] == 0) continue;
      for (size_t i = k + 1; i < m; ++i) {
        if (S[i][k] != 0) RowOp(k, i, MakeEliminator(S[k][k], S[i][k]));
      }
      bool pivot_changed = false;
      for (size_t j = k + 1; j < n; ++j) {
        if (S[k][j] == 0) continue;
        Eliminator e = MakeEliminator(S[k][k], S[k][j]);
        pivot_changed |= e.pivot_changed;
        ColumnOp(k, j, e);
      }
      // A new (smaller) pivot may have refilled column k below it: redo k.
      if (pivot_changed) --k;
    }
  }
};

/*!
 * \brief Ranges of the parameters (ranges of variables not being solved) and
 *  of each fresh variable, from the range of the expression that defines it.
 */
Map<Var, Range> FreshVariableRanges(const Map<Var, PrimExpr>& fresh_to_old, const Array<Var>& old_vars,
                                    const Map<Var, Range>& old_ranges) {
  std::unordered_set<const VarNode*> solved;
  for (const Var& v : old_vars) solved.insert(v.get());
  Map<Var, Range> out;
  std::unordered_map<const VarNode*, IntSet> domains;
  for (const auto& kv : old_ranges) {
    if (!solved.count(kv.first.get())) out.Set(kv.first, kv.second);
    domains[kv.first.get()] = IntSet::FromRange(kv.second);
  }
  for (const auto& kv : fresh_to_old) {
    Range r = EvalSet(kv.second, domains).CoverRange(Range());
    if (r.defined()) out.Set(kv.first, r);
  }
  return out;
}

IntConstraintsTransform Infeasible(const IntConstraints& system) {
  return IntConstraintsTransform(system, IntConstraints({}, {}, {const_false()}), {}, {});
}

}  // namespace

IntConstraintsTransform SolveLinearEquations(const IntConstraints& system) {
  Analyzer analyzer;
  analyzer.Bind(system->ranges);
  const Array<Var>& vars = system->variables;
  size_t n = vars.size();

  DiagonalSystem sys;
  for (size_t i = 0; i < n; ++i) {
    sys.V.emplace_back(n, 0);
    sys.V.back()[i] = 1;
    sys.z.push_back(vars[i]);
  }
  // Relations the matrix cannot hold.
  std::vector<PrimExpr> kept;
  for (const PrimExpr& rel : system->relations) {
    const auto* eq = rel.as<EQNode>();
    Array<PrimExpr> coeffs;
    if (eq != nullptr && n > 0) coeffs = DetectLinearEquation(analyzer.Simplify(eq->a - eq->b), vars);
    std::vector<int64_t> row;
    for (size_t j = 0; j + 1 < coeffs.size(); ++j) {
      const auto* c = coeffs[j].as<IntImmNode>();
      if (c == nullptr) break;
      row.push_back(c->value);
    }
    if (coeffs.empty() || row.size() != n) {
      kept.push_back(rel);
      continue;
    }
    // sum(row * x) + base == 0
    sys.S.push_back(row);
    sys.rhs.push_back(-coeffs[n]);
  }
  sys.Diagonalize();

  Array<PrimExpr> relations;
  for (size_t j = 0; j < sys.rows(); ++j) {
    bool zero_row = j >= n || sys.S[j][j] == 0;
    PrimExpr y = sys.rhs[j];
    PrimExpr cond = zero_row ? (y == make_zero(y.dtype()))
                             : (floormod(y, make_const(y.dtype(), std::abs(sys.S[j][j]))) == make_zero(y.dtype()));
    cond = analyzer.Simplify(cond);
    if (is_zero(cond)) return Infeasible(system);
    if (!is_one(cond)) relations.push_back(cond);
  }

  // z_j: a value, or a fresh variable when the equations leave it free.
  Array<Var> fresh_vars;
  Map<Var, PrimExpr> fresh_to_old;
  std::vector<PrimExpr> z_value;
  for (size_t j = 0; j < n; ++j) {
    if (j >= sys.rows() || sys.S[j][j] == 0) {
      PrimExpr old = analyzer.Simplify(sys.z[j]);
      std::string name = "n" + std::to_string(fresh_vars.size());
      if (const auto* v = old.as<VarNode>()) name += "_" + v->name_hint;
      Var fresh(name, sys.z[j].dtype());
      fresh_vars.push_back(fresh);
      fresh_to_old.Set(fresh, old);
      z_value.push_back(fresh);
    } else {
      // Divide by a positive constant; the sign goes to the numerator.
      int64_t d = sys.S[j][j];
      PrimExpr y = d > 0 ? sys.rhs[j] : -sys.rhs[j];
      z_value.push_back(analyzer.Simplify(floordiv(y, make_const(y.dtype(), std::abs(d)))));
    }
  }

  // x = V z
  Map<Var, PrimExpr> old_to_fresh;
  for (size_t i = 0; i < n; ++i) {
    PrimExpr x = make_zero(vars[i].dtype());
    for (size_t j = 0; j < n; ++j) {
      if (sys.V[i][j] != 0) x = x + make_const(x.dtype(), sys.V[i][j]) * z_value[j];
    }
    old_to_fresh.Set(vars[i], analyzer.Simplify(x));
  }

  Map<Var, Range> fresh_ranges = FreshVariableRanges(fresh_to_old, vars, system->ranges);
  Analyzer in_fresh;
  in_fresh.Bind(fresh_ranges);
  // The fresh ranges cover the old ranges only loosely: keep each old range as
  // two inequalities over the fresh variables.
  for (const Var& v : vars) {
    std::optional<Range> r = system->ranges.Get(v);
    if (!r) continue;
    PrimExpr x = old_to_fresh.at(v);
    PrimExpr lower = in_fresh.Simplify((*r)->min <= x);
    PrimExpr upper = in_fresh.Simplify(x < (*r)->min + (*r)->extent);
    if (!is_one(lower)) relations.push_back(lower);
    if (!is_one(upper)) relations.push_back(upper);
  }
  for (const PrimExpr& rel : kept) relations.push_back(Substitute(rel, old_to_fresh));

  return IntConstraintsTransform(system, IntConstraints(fresh_vars, fresh_ranges, relations), old_to_fresh,
                                 fresh_to_old);
}

TVM_REGISTER_GLOBAL("arith.SolveLinearEquations").set_body([](runtime::TVMArgs args, runtime::TVMRetValue* ret) {
  *ret = SolveLinearEquations(IntConstraintsFromArgs(args, "solve_linear_equations"));
});

}  // namespace arith
}  // namespace tvm
