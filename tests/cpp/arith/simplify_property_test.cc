/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Property tests of the simplifiers: random integer expressions over a few
// bound variables are simplified, and the result must have the value of the
// original at random points of the variables' ranges. Division is always by
// a non-zero constant; floor and trunc forms both appear, with negative
// operands. Fixed seeds keep failures reproducible; a failure prints the
// expression, its simplified form and the point.
#include <gtest/gtest.h>
#include <tvm/arith/analyzer.h>
#include <tvm/arith/int_set.h>
#include <tvm/ir/repr_printer.h>
#include <tvm/tir/op.h>

#include <functional>
#include <random>
#include <sstream>
#include <unordered_map>

namespace {

using namespace tvm;       // NOLINT(*)
using namespace tvm::tir;  // NOLINT(*)
using tvm::arith::Analyzer;

int64_t FloorDivI(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}
int64_t FloorModI(int64_t a, int64_t b) { return a - FloorDivI(a, b) * b; }

/*! \brief Evaluates integer expressions; sets `error` on anything it cannot evaluate. */
class Evaluator {
 public:
  std::unordered_map<const VarNode*, int64_t> env;
  std::string error;
  /*! \brief The lane evaluated inside vector expressions. */
  int lane{0};

  int64_t Eval(const PrimExpr& e) {
    if (const auto* n = e.as<IntImmNode>()) return n->value;
    if (const auto* n = e.as<VarNode>()) {
      auto it = env.find(n);
      if (it == env.end()) return Fail("unbound variable " + std::string(n->name_hint));
      return it->second;
    }
    if (const auto* n = e.as<AddNode>()) return Eval(n->a) + Eval(n->b);
    if (const auto* n = e.as<SubNode>()) return Eval(n->a) - Eval(n->b);
    if (const auto* n = e.as<MulNode>()) return Eval(n->a) * Eval(n->b);
    if (const auto* n = e.as<FloorDivNode>()) {
      int64_t b = Eval(n->b);
      return b == 0 ? Fail("division by zero") : FloorDivI(Eval(n->a), b);
    }
    if (const auto* n = e.as<FloorModNode>()) {
      int64_t b = Eval(n->b);
      return b == 0 ? Fail("division by zero") : FloorModI(Eval(n->a), b);
    }
    if (const auto* n = e.as<DivNode>()) {
      int64_t b = Eval(n->b);
      return b == 0 ? Fail("division by zero") : Eval(n->a) / b;
    }
    if (const auto* n = e.as<ModNode>()) {
      int64_t b = Eval(n->b);
      return b == 0 ? Fail("division by zero") : Eval(n->a) % b;
    }
    if (const auto* n = e.as<MinNode>()) return std::min(Eval(n->a), Eval(n->b));
    if (const auto* n = e.as<MaxNode>()) return std::max(Eval(n->a), Eval(n->b));
    if (const auto* n = e.as<LTNode>()) return Eval(n->a) < Eval(n->b);
    if (const auto* n = e.as<LENode>()) return Eval(n->a) <= Eval(n->b);
    if (const auto* n = e.as<GTNode>()) return Eval(n->a) > Eval(n->b);
    if (const auto* n = e.as<GENode>()) return Eval(n->a) >= Eval(n->b);
    if (const auto* n = e.as<EQNode>()) return Eval(n->a) == Eval(n->b);
    if (const auto* n = e.as<NENode>()) return Eval(n->a) != Eval(n->b);
    if (const auto* n = e.as<AndNode>()) return (Eval(n->a) != 0) & (Eval(n->b) != 0);
    if (const auto* n = e.as<OrNode>()) return (Eval(n->a) != 0) | (Eval(n->b) != 0);
    if (const auto* n = e.as<NotNode>()) return Eval(n->a) == 0;
    if (const auto* n = e.as<SelectNode>()) return Eval(n->condition) ? Eval(n->true_value) : Eval(n->false_value);
    if (const auto* n = e.as<CastNode>()) return Eval(n->value);
    if (const auto* n = e.as<RampNode>()) return Eval(n->base) + Eval(n->stride) * lane;
    if (const auto* n = e.as<BroadcastNode>()) return Eval(n->value);
    std::ostringstream os;
    os << "cannot evaluate " << e->GetTypeKey();
    return Fail(os.str());
  }

 private:
  int64_t Fail(const std::string& why) {
    if (error.empty()) error = why;
    return 0;
  }
};

struct VarSpec {
  Var var;
  int64_t lo, hi;  // inclusive
};

/*! \brief Random expression trees of depth <= max_depth over the variables. */
class ExprGenerator {
 public:
  ExprGenerator(const std::vector<VarSpec>& vars, uint32_t seed) : vars_(vars), rng_(seed) {}

  PrimExpr Int(int depth) {
    if (depth <= 0 || Pick(5) == 0) return Leaf();
    switch (Pick(14)) {
      case 0:
      case 1:
        return Add(Int(depth - 1), Int(depth - 1));
      case 2:
        return Sub(Int(depth - 1), Int(depth - 1));
      case 3:
        return Mul(Int(depth - 1), Const(-4, 8));
      case 4:
        return Mul(Int(depth - 1), Int(depth - 2));
      case 5:
        return FloorDiv(Int(depth - 1), Divisor());
      case 6:
        return FloorMod(Int(depth - 1), Divisor());
      case 7:
        return Div(Int(depth - 1), Divisor());
      case 8:
        return Mod(Int(depth - 1), Divisor());
      case 9:
        return Min(Int(depth - 1), Int(depth - 1));
      case 10:
        return Max(Int(depth - 1), Int(depth - 1));
      case 11:
        return Select(Cond(depth - 1), Int(depth - 1), Int(depth - 1));
      case 12:
        // The split/fuse shape: a * c + b.
        return Add(Mul(Int(depth - 1), Const(1, 8)), Int(depth - 1));
      default:
        return Add(Int(depth - 1), Const(-8, 8));
    }
  }

  PrimExpr Cond(int depth) {
    PrimExpr a = Int(depth), b = Int(depth);
    switch (Pick(8)) {
      case 0:
        return LT(a, b);
      case 1:
        return LE(a, b);
      case 2:
        return GT(a, b);
      case 3:
        return GE(a, b);
      case 4:
        return EQ(a, b);
      case 5:
        return NE(a, b);
      case 6:
        return And(LT(a, b), Cond(depth - 1));
      default:
        return Or(Not(LT(a, b)), Cond(depth - 1));
    }
  }

  /*! \brief A 4-lane integer vector expression (what VectorizeLoop produces). */
  PrimExpr Vec(int depth) {
    if (depth <= 0 || Pick(4) == 0) {
      if (Pick(2) == 0) return Broadcast(Int(1), 4);
      return Ramp(Int(2), Const(-3, 4), 4);
    }
    switch (Pick(9)) {
      case 0:
      case 1:
        return Add(Vec(depth - 1), Vec(depth - 1));
      case 2:
        return Sub(Vec(depth - 1), Vec(depth - 1));
      case 3:
        return Mul(Vec(depth - 1), Broadcast(Const(-3, 8), 4));
      case 4:
        return FloorDiv(Vec(depth - 1), Broadcast(Divisor(), 4));
      case 5:
        return FloorMod(Vec(depth - 1), Broadcast(Divisor(), 4));
      case 6:
        return Min(Vec(depth - 1), Vec(depth - 1));
      case 7:
        return Select(LT(Vec(depth - 1), Vec(depth - 1)), Vec(depth - 1), Vec(depth - 1));
      default:
        return Max(Vec(depth - 1), Vec(depth - 1));
    }
  }

  PrimExpr VecCond(int depth) {
    PrimExpr a = Vec(depth), b = Vec(depth);
    switch (Pick(3)) {
      case 0:
        return LT(a, b);
      case 1:
        return LE(a, b);
      default:
        return EQ(a, b);
    }
  }

  /*! \brief A fact about one variable: a bound, a value or a residue. */
  PrimExpr VarCond() {
    PrimExpr v = vars_[Pick(static_cast<int>(vars_.size()))].var;
    PrimExpr k = Const(-5, 20);
    switch (Pick(5)) {
      case 0:
        return LT(v, k);
      case 1:
        return LE(k, v);
      case 2:
        return EQ(v, k);
      case 3:
        return EQ(FloorMod(v, IntImm(DataType::Int(32), 4)), IntImm(DataType::Int(32), 1));
      default:
        return And(LT(v, k), GE(v, k - 6));
    }
  }

  PrimExpr Leaf() {
    if (Pick(3) == 0) return Const(-10, 10);
    return vars_[Pick(static_cast<int>(vars_.size()))].var;
  }

  PrimExpr Const(int64_t lo, int64_t hi) { return IntImm(DataType::Int(32), lo + Pick(static_cast<int>(hi - lo + 1))); }

  PrimExpr Divisor() {
    static const int64_t kDivisors[] = {1, 2, 3, 4, 8, 16, 5, -2, -4, -3};
    return IntImm(DataType::Int(32), kDivisors[Pick(10)]);
  }

  int Pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }

  void Assign(Evaluator* ev) {
    for (const VarSpec& v : vars_) {
      ev->env[v.var.get()] = std::uniform_int_distribution<int64_t>(v.lo, v.hi)(rng_);
    }
  }

 private:
  std::vector<VarSpec> vars_;
  std::mt19937 rng_;
};

std::vector<VarSpec> MakeVars() {
  return {{Var("x"), 0, 7}, {Var("y"), -4, 3}, {Var("z"), 0, 31}, {Var("w"), -100, 100}};
}

void BindAll(Analyzer* ana, const std::vector<VarSpec>& vars) {
  for (const VarSpec& v : vars) {
    // w stays unbound: the simplifier may only use its dtype range.
    if (v.var->name_hint == "w") continue;
    ana->Bind(v.var, Range::FromMinExtent(IntImm(DataType::Int(32), v.lo), IntImm(DataType::Int(32), v.hi - v.lo + 1)));
  }
}

/*! \brief Check `simplify` on `cases` random expressions, `points` assignments each. */
void CheckSimplifier(uint32_t seed, int cases, int points, int depth,
                     const std::function<PrimExpr(Analyzer*, const PrimExpr&)>& simplify, bool boolean = false) {
  auto vars = MakeVars();
  ExprGenerator gen(vars, seed);
  Analyzer ana;
  BindAll(&ana, vars);
  int failures = 0;
  for (int c = 0; c < cases && failures < 5; ++c) {
    PrimExpr e = boolean ? gen.Cond(depth) : gen.Int(depth);
    PrimExpr s = simplify(&ana, e);
    for (int p = 0; p < points; ++p) {
      Evaluator ev;
      gen.Assign(&ev);
      int64_t want = ev.Eval(e);
      int64_t got = ev.Eval(s);
      if (!ev.error.empty() || got != want) {
        std::ostringstream point;
        for (const VarSpec& v : vars) point << v.var->name_hint << "=" << ev.env[v.var.get()] << " ";
        ADD_FAILURE() << "case " << c << ": " << e << "\n  simplified: " << s << "\n  at " << point.str()
                      << "\n  original " << want << ", simplified " << got << " " << ev.error;
        ++failures;
        break;
      }
    }
  }
}

TEST(ArithSimplifyProperty, Simplify) {
  CheckSimplifier(1, 600, 40, 4, [](Analyzer* a, const PrimExpr& e) { return a->Simplify(e); });
}

TEST(ArithSimplifyProperty, RewriteSimplify) {
  CheckSimplifier(2, 600, 40, 4, [](Analyzer* a, const PrimExpr& e) { return a->rewrite_simplify(e); });
}

TEST(ArithSimplifyProperty, CanonicalSimplify) {
  CheckSimplifier(3, 600, 40, 4, [](Analyzer* a, const PrimExpr& e) { return a->canonical_simplify(e); });
}

TEST(ArithSimplifyProperty, SimplifyDeep) {
  CheckSimplifier(4, 300, 30, 6, [](Analyzer* a, const PrimExpr& e) { return a->Simplify(e, 3); });
}

TEST(ArithSimplifyProperty, Conditions) {
  CheckSimplifier(5, 400, 40, 3, [](Analyzer* a, const PrimExpr& e) { return a->Simplify(e); }, true);
}

// Vector expressions: every lane of the simplified form matches.
TEST(ArithSimplifyProperty, Vectors) {
  auto vars = MakeVars();
  ExprGenerator gen(vars, 9);
  Analyzer ana;
  BindAll(&ana, vars);
  int failures = 0;
  for (int c = 0; c < 400 && failures < 5; ++c) {
    PrimExpr e = c % 3 == 2 ? gen.VecCond(2) : gen.Vec(3);
    PrimExpr s = ana.Simplify(e);
    for (int p = 0; p < 20 && failures < 5; ++p) {
      Evaluator ev;
      gen.Assign(&ev);
      for (int lane = 0; lane < 4; ++lane) {
        ev.lane = lane;
        int64_t want = ev.Eval(e), got = ev.Eval(s);
        if (!ev.error.empty() || want != got) {
          ADD_FAILURE() << "case " << c << " lane " << lane << ": " << e << "\n  simplified: " << s
                        << "\n  original " << want << ", simplified " << got << " " << ev.error;
          ++failures;
          break;
        }
      }
    }
  }
}

// Simplifying inside a constraint scope is correct where the constraint holds.
TEST(ArithSimplifyProperty, UnderConstraint) {
  auto vars = MakeVars();
  ExprGenerator gen(vars, 6);
  int checked = 0, failures = 0;
  for (int c = 0; c < 400 && failures < 5; ++c) {
    Analyzer ana;
    BindAll(&ana, vars);
    PrimExpr cond = c % 2 == 0 ? gen.Cond(2) : gen.VarCond();
    PrimExpr e = gen.Int(4);
    PrimExpr s;
    {
      With<arith::ConstraintContext> ctx(&ana, cond);
      s = ana.Simplify(e);
    }
    for (int p = 0; p < 60; ++p) {
      Evaluator ev;
      gen.Assign(&ev);
      if (ev.Eval(cond) == 0) continue;
      ++checked;
      int64_t want = ev.Eval(e), got = ev.Eval(s);
      if (!ev.error.empty() || want != got) {
        ADD_FAILURE() << "under " << cond << ": " << e << "\n  simplified: " << s << "\n  original " << want
                      << ", simplified " << got << " " << ev.error;
        ++failures;
        break;
      }
    }
  }
  EXPECT_GT(checked, 1000);
}

// Constant bounds contain every value; modular sets contain every value.
TEST(ArithSimplifyProperty, BoundsAndModularSets) {
  auto vars = MakeVars();
  ExprGenerator gen(vars, 7);
  Analyzer ana;
  BindAll(&ana, vars);
  int failures = 0;
  for (int c = 0; c < 500 && failures < 5; ++c) {
    PrimExpr e = gen.Int(4);
    arith::ConstIntBound bound = ana.const_int_bound(e);
    arith::ModularSet mod = ana.modular_set(e);
    for (int p = 0; p < 30; ++p) {
      Evaluator ev;
      gen.Assign(&ev);
      int64_t v = ev.Eval(e);
      // w is only known by its dtype; values of the generator stay far inside int32.
      bool in_bound = v >= bound->min_value && v <= bound->max_value;
      bool in_mod = mod->coeff == 0 ? v == mod->base : FloorModI(v - mod->base, mod->coeff) == 0;
      if (!in_bound || !in_mod) {
        ADD_FAILURE() << e << " = " << v << " outside bound [" << bound->min_value << ", " << bound->max_value
                      << "] or set " << mod->coeff << "k+" << mod->base;
        ++failures;
        break;
      }
    }
  }
}

// Interval sets over the variables' ranges contain every value.
TEST(ArithSimplifyProperty, IntSetsContainValues) {
  auto vars = MakeVars();
  ExprGenerator gen(vars, 8);
  Map<Var, arith::IntSet> dom;
  for (const VarSpec& v : vars) {
    dom.Set(v.var, arith::IntSet::Interval(IntImm(DataType::Int(32), v.lo), IntImm(DataType::Int(32), v.hi)));
  }
  int failures = 0, bounded = 0;
  for (int c = 0; c < 500 && failures < 5; ++c) {
    PrimExpr e = gen.Int(3);
    arith::IntSet s = arith::EvalSet(e, dom);
    auto lo = as_const_int(s.min());
    auto hi = as_const_int(s.max());
    if (s.HasLowerBound() && s.HasUpperBound() && lo && hi) ++bounded;
    for (int p = 0; p < 30; ++p) {
      Evaluator ev;
      gen.Assign(&ev);
      int64_t v = ev.Eval(e);
      bool ok = (!s.HasLowerBound() || !lo || v >= *lo) && (!s.HasUpperBound() || !hi || v <= *hi);
      if (!ok) {
        ADD_FAILURE() << e << " = " << v << " outside [" << s.min() << ", " << s.max() << "]";
        ++failures;
        break;
      }
    }
  }
  EXPECT_GT(bounded, 250);
}

}  // namespace
