/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// The Analyzer: binds variables and enters constraints in every
// sub-analyzer, proves conditions, and runs the two simplifiers in turn.
// Also the "arith.CreateAnalyzer" global through which Python drives one
// Analyzer object (a PackedFunc dispatching on method names).
#include <tvm/arith/analyzer.h>
#include <tvm/runtime/registry.h>
#include <tvm/tir/op.h>

#include "int_operator.h"
#include "interval_set.h"

namespace tvm {
namespace arith {

using namespace tir;  // NOLINT(build/namespaces)

Analyzer::Analyzer()
    : const_int_bound(this), modular_set(this), rewrite_simplify(this), canonical_simplify(this), int_set(this) {}

void Analyzer::Bind(const Var& var, const PrimExpr& expr, bool allow_override) {
  TVM_CHECK(var.defined() && expr.defined(), "ValueError") << "Analyzer.bind: the variable or its value is None";
  PrimExpr value = Simplify(expr);
  const_int_bound.Update(var, const_int_bound(value), allow_override);
  modular_set.Update(var, modular_set(value), allow_override);
  rewrite_simplify.Update(var, value, allow_override);
  canonical_simplify.Update(var, value, allow_override);
  int_set.Update(var, int_set(value), allow_override);
  transitive_comparisons.Bind(var, value, allow_override);
}

void Analyzer::Bind(const Var& var, const Range& range, bool allow_override) {
  TVM_CHECK(range.defined(), "ValueError") << "Analyzer.bind: the range of " << var->name_hint << " is undefined";
  if (is_one(range->extent)) {
    Bind(var, range->min, allow_override);
    return;
  }
  const_int_bound.Bind(var, range, allow_override);
  int_set.Bind(var, range, allow_override);
  transitive_comparisons.Bind(var, range, allow_override);
  if (allow_override) {
    // A variable rebound to a range is no longer an alias of an expression, nor
    // is its residue the old value's: a loop variable reused by a sibling loop
    // (LoopPartition's `for i in [0, 1)` then `for i in [1, n)`) once kept
    // "i == 0", and the code generator then proved i*2 bytes 64-byte aligned.
    rewrite_simplify.Update(var, PrimExpr(), true);
    canonical_simplify.Update(var, PrimExpr(), true);
    modular_set.Update(var, ModularSet(1, 0), true);
  }
}

void Analyzer::Bind(const Map<Var, Range>& variables, bool allow_override) {
  for (const auto& kv : variables) Bind(kv.first, kv.second, allow_override);
}

void Analyzer::MarkGlobalNonNegValue(const PrimExpr& value) {
  // value = var * scale + offset with constants scale > 0 and offset: var >= -offset / scale.
  PrimExpr e = value;
  int64_t offset = 0, scale = 1;
  if (const auto* add = e.as<AddNode>()) {
    if (const auto* c = add->b.as<IntImmNode>()) {
      offset = c->value;
      e = add->a;
    }
  } else if (const auto* sub = e.as<SubNode>()) {
    if (const auto* c = sub->b.as<IntImmNode>()) {
      offset = -c->value;
      e = sub->a;
    }
  }
  if (const auto* mul = e.as<MulNode>()) {
    if (const auto* c = mul->b.as<IntImmNode>()) {
      scale = c->value;
      e = mul->a;
    }
  }
  const auto* var = e.as<VarNode>();
  if (var == nullptr || scale <= 0) return;
  // var * scale >= -offset  <=>  var >= ceil(-offset / scale)
  int64_t lower = -FloorDivInt(offset, scale);
  Var v = GetRef<Var>(var);
  ConstIntBound old = const_int_bound(v);
  if (old->min_value >= lower) return;
  const_int_bound.Update(v, ConstIntBound(lower, old->max_value), true);
}

bool Analyzer::CanProveGreaterEqual(const PrimExpr& expr, int64_t lower_bound) {
  if (const auto* imm = expr.as<IntImmNode>()) return imm->value >= lower_bound;
  if (const_int_bound(expr)->min_value >= lower_bound) return true;
  return const_int_bound(rewrite_simplify(expr))->min_value >= lower_bound;
}

bool Analyzer::CanProveLess(const PrimExpr& expr, int64_t upper_bound) {
  if (const auto* imm = expr.as<IntImmNode>()) return imm->value < upper_bound;
  if (const_int_bound(expr)->max_value < upper_bound) return true;
  return const_int_bound(rewrite_simplify(expr))->max_value < upper_bound;
}

bool Analyzer::CanProveEqual(const PrimExpr& lhs, const PrimExpr& rhs) {
  const auto* a = lhs.as<IntImmNode>();
  const auto* b = rhs.as<IntImmNode>();
  if (a != nullptr && b != nullptr) return a->value == b->value;
  if (lhs.same_as(rhs)) return true;
  return CanProve(lhs - rhs == 0);
}

bool Analyzer::CanProve(const PrimExpr& cond, ProofStrength strength) {
  if (!cond.defined()) return false;
  if (const auto* imm = cond.as<IntImmNode>()) return imm->value != 0;
  PrimExpr simplified = Simplify(cond);
  if (auto v = as_const_int(simplified)) return *v != 0;
  if (strength == ProofStrength::kSymbolicBound) {
    // Compare the symbolic interval of the difference with zero.
    PrimExpr lhs, rhs;
    bool strict = false;
    if (const auto* lt = simplified.as<LTNode>()) {
      lhs = lt->a, rhs = lt->b, strict = true;
    } else if (const auto* le = simplified.as<LENode>()) {
      lhs = le->a, rhs = le->b;
    }
    if (lhs.defined() && (lhs.dtype().is_int() || lhs.dtype().is_uint()) && lhs.dtype().lanes() == 1) {
      IntSet diff = int_set(Simplify(lhs - rhs));
      if (diff.HasUpperBound()) {
        // The symbolic upper end, itself bounded by constants.
        int64_t upper = const_int_bound(Simplify(diff.max()))->max_value;
        return strict ? upper < 0 : upper <= 0;
      }
    }
  }
  return false;
}

PrimExpr Analyzer::Simplify(const PrimExpr& expr, int steps) {
  TVM_CHECK(expr.defined(), "ValueError") << "Analyzer.simplify: the expression is undefined (None)";
  PrimExpr res = expr;
  for (int i = 0; i < steps; ++i) {
    if (res.as<IntImmNode>() || res.as<FloatImmNode>()) return res;
    res = (i % 2 == 0) ? rewrite_simplify(res) : canonical_simplify(res);
  }
  return res;
}

// ---------------------------------------------------------------------------
// ConstraintContext

void ConstraintContext::EnterWithScope() {
  PrimExpr constraint = analyzer_->rewrite_simplify(constraint_);
  auto enter = [this](std::function<void()> recover) {
    if (recover) recovery_functions_.push_back(std::move(recover));
  };
  enter(analyzer_->const_int_bound.EnterConstraint(constraint));
  enter(analyzer_->modular_set.EnterConstraint(constraint));
  enter(analyzer_->rewrite_simplify.EnterConstraint(constraint));
  enter(analyzer_->canonical_simplify.EnterConstraint(constraint));
  enter(analyzer_->int_set.EnterConstraint(constraint));
  enter(analyzer_->transitive_comparisons.EnterConstraint(constraint));
}

void ConstraintContext::ExitWithScope() {
  while (!recovery_functions_.empty()) {
    auto recover = std::move(recovery_functions_.back());
    recovery_functions_.pop_back();
    recover();
  }
}

// ---------------------------------------------------------------------------
// Python: one Analyzer behind a dispatcher of method names.

namespace {

/*! \brief Scopes opened from Python; closed by the function entering them returns. */
struct PyConstraintScope {
  explicit PyConstraintScope(Analyzer* analyzer, PrimExpr constraint)
      : ctx(std::make_unique<With<ConstraintContext>>(analyzer, std::move(constraint))) {}
  std::unique_ptr<With<ConstraintContext>> ctx;
};

PrimExpr ExprArg(const runtime::TVMArgs& args, int i) { return args[i].operator PrimExpr(); }

}  // namespace

TVM_REGISTER_GLOBAL("arith.CreateAnalyzer").set_body([](runtime::TVMArgs args, runtime::TVMRetValue* ret) {
  auto self = std::make_shared<Analyzer>();
  auto dispatch = [self](const std::string& name) -> runtime::PackedFunc {
    if (name == "const_int_bound") {
      return runtime::PackedFunc([self](runtime::TVMArgs args, runtime::TVMRetValue* ret) {
        *ret = self->const_int_bound(ExprArg(args, 0));
      });
    }
    if (name == "const_int_bound_update") {
      return runtime::PackedFunc([self](runtime::TVMArgs args, runtime::TVMRetValue* ret) {
        self->const_int_bound.Update(args[0].operator Var(), args[1].operator ConstIntBound(), args[2].operator bool());
      });
    }
    if (name == "const_int_bound_is_bound") {
      return runtime::PackedFunc([self](runtime::TVMArgs args, runtime::TVMRetValue* ret) {
        *ret = self->const_int_bound.IsBound(args[0].operator Var());
      });
    }
    if (name == "modular_set") {
      return runtime::PackedFunc([self](runtime::TVMArgs args, runtime::TVMRetValue* ret) {
        *ret = self->modular_set(ExprArg(args, 0));
      });
    }
    if (name == "Simplify") {
      return runtime::PackedFunc([self](runtime::TVMArgs args, runtime::TVMRetValue* ret) {
        int steps = args.size() > 1 ? args[1].operator int() : 2;
        *ret = self->Simplify(ExprArg(args, 0), steps);
      });
    }
    if (name == "rewrite_simplify") {
      return runtime::PackedFunc([self](runtime::TVMArgs args, runtime::TVMRetValue* ret) {
        *ret = self->rewrite_simplify(ExprArg(args, 0));
      });
    }
    if (name == "canonical_simplify") {
      return runtime::PackedFunc([self](runtime::TVMArgs args, runtime::TVMRetValue* ret) {
        *ret = self->canonical_simplify(ExprArg(args, 0));
      });
    }
    if (name == "int_set") {
      return runtime::PackedFunc([self](runtime::TVMArgs args, runtime::TVMRetValue* ret) {
        Map<Var, IntSet> dom_map;
        if (args.size() > 1 && !args[1].IsNull()) dom_map = args[1].operator Map<Var, IntSet>();
        *ret = self->int_set(ExprArg(args, 0), dom_map);
      });
    }
    if (name == "bind") {
      return runtime::PackedFunc([self](runtime::TVMArgs args, runtime::TVMRetValue* ret) {
        Var var = args[0].operator Var();
        bool allow_override = args.size() > 2 ? args[2].operator bool() : false;
        if (args[1].IsObjectRef<Range>()) {
          self->Bind(var, args[1].operator Range(), allow_override);
        } else {
          self->Bind(var, ExprArg(args, 1), allow_override);
        }
      });
    }
    if (name == "can_prove") {
      return runtime::PackedFunc([self](runtime::TVMArgs args, runtime::TVMRetValue* ret) {
        int strength = args.size() > 1 ? args[1].operator int() : 0;
        *ret = self->CanProve(ExprArg(args, 0), static_cast<ProofStrength>(strength));
      });
    }
    if (name == "can_prove_equal") {
      return runtime::PackedFunc([self](runtime::TVMArgs args, runtime::TVMRetValue* ret) {
        *ret = self->CanProveEqual(ExprArg(args, 0), ExprArg(args, 1));
      });
    }
    if (name == "can_prove_greater_equal") {
      return runtime::PackedFunc([self](runtime::TVMArgs args, runtime::TVMRetValue* ret) {
        *ret = self->CanProveGreaterEqual(ExprArg(args, 0), args[1].operator int64_t());
      });
    }
    if (name == "can_prove_less") {
      return runtime::PackedFunc([self](runtime::TVMArgs args, runtime::TVMRetValue* ret) {
        *ret = self->CanProveLess(ExprArg(args, 0), args[1].operator int64_t());
      });
    }
    if (name == "mark_global_non_neg_value") {
      return runtime::PackedFunc([self](runtime::TVMArgs args, runtime::TVMRetValue* ret) {
        self->MarkGlobalNonNegValue(ExprArg(args, 0));
      });
    }
    if (name == "enter_constraint_context") {
      // Returns the function that leaves the scope.
      return runtime::PackedFunc([self](runtime::TVMArgs args, runtime::TVMRetValue* ret) {
        auto scope = std::make_shared<PyConstraintScope>(self.get(), ExprArg(args, 0));
        *ret = runtime::PackedFunc([self, scope](runtime::TVMArgs, runtime::TVMRetValue*) { scope->ctx.reset(); });
      });
    }
    throw runtime::Error("AttributeError", "arith.Analyzer has no method '" + name + "'");
  };
  *ret = runtime::PackedFunc([dispatch](runtime::TVMArgs args, runtime::TVMRetValue* ret) {
    TVM_CHECK(args.size() == 1, "TypeError") << "arith.Analyzer: expected a method name";
    *ret = dispatch(args[0].operator std::string());
  });
});

}  // namespace arith
}  // namespace tvm
