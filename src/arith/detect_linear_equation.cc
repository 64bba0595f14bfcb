/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Linear forms of index expressions (DetectLinearEquation) and the bounds a
// conjunction of comparisons puts on variables (DetectClipBound).
//
// The linear form is built bottom-up: a variable of interest has coefficient
// 1, sums add forms, a product needs one side free of the variables (it
// scales the other), and any other node must not mention the variables at
// all (it joins the base). Coefficients and base are simplified at the end.
#include <tvm/arith/analyzer.h>
#include <tvm/arith/pattern.h>
#include <tvm/runtime/registry.h>
#include <tvm/tir/op.h>
#include <tvm/tir/stmt_functor.h>

#include <unordered_map>
#include <vector>

#include "int_operator.h"

namespace tvm {
namespace arith {

using namespace tir;  // NOLINT(build/namespaces)

namespace {

/*! \brief sum(coeffs[i] * vars[i]) + base; an undefined coefficient is zero. */
struct LinearForm {
  std::vector<PrimExpr> coeffs;
  PrimExpr base;
  bool HasVars() const {
    for (const PrimExpr& c : coeffs) {
      if (c.defined()) return true;
    }
    return false;
  }
};

class LinearDetector {
 public:
  explicit LinearDetector(const Array<Var>& vars) {
    for (size_t i = 0; i < vars.size(); ++i) index_[vars[i].get()] = i;
    n_ = vars.size();
  }

  bool Detect(const PrimExpr& e, LinearForm* out) {
    out->coeffs.assign(n_, PrimExpr());
    out->base = PrimExpr();
    if (const auto* v = e.as<VarNode>()) {
      auto it = index_.find(v);
      if (it != index_.end()) {
        // Coefficients are signed even for unsigned variables: 128 - c has -1.
        out->coeffs[it->second] = make_const(DataType::Int(e.dtype().bits(), e.dtype().lanes()), 1);
        return true;
      }
    }
    if (const auto* op = e.as<AddNode>()) return Combine(op->a, op->b, false, out);
    if (const auto* op = e.as<SubNode>()) return Combine(op->a, op->b, true, out);
    if (const auto* op = e.as<MulNode>()) {
      LinearForm a, b;
      if (!Detect(op->a, &a) || !Detect(op->b, &b)) return false;
      if (a.HasVars() && b.HasVars()) return false;
      if (!a.HasVars() && !b.HasVars()) {
        out->base = e;
        return true;
      }
      // One factor is free of the variables and scales the other; the
      // products keep the operand order of e.
      bool left_scales = !a.HasVars();
      const LinearForm& linear = left_scales ? b : a;
      PrimExpr k = (left_scales ? a : b).base;
      if (!k.defined()) k = make_zero(e.dtype());
      auto scale = [&](const PrimExpr& x) {
        PrimExpr factor = k;
        if (factor.dtype() != x.dtype() && factor.dtype().is_uint() && x.dtype().is_int()) {
          factor = cast(x.dtype(), factor);  // a signed coefficient times an unsigned factor
        }
        return left_scales ? mul(factor, x) : mul(x, factor);
      };
      for (size_t i = 0; i < n_; ++i) {
        if (linear.coeffs[i].defined()) out->coeffs[i] = scale(linear.coeffs[i]);
      }
      if (linear.base.defined()) out->base = left_scales ? mul(k, linear.base) : mul(linear.base, k);
      return true;
    }
    if (UsesVars(e)) return false;
    out->base = e;
    return true;
  }

 private:
  bool Combine(const PrimExpr& x, const PrimExpr& y, bool subtract, LinearForm* out) {
    LinearForm a, b;
    if (!Detect(x, &a) || !Detect(y, &b)) return false;
    for (size_t i = 0; i < n_; ++i) out->coeffs[i] = Join(a.coeffs[i], b.coeffs[i], subtract);
    out->base = Join(a.base, b.base, subtract);
    return true;
  }

  static PrimExpr Join(const PrimExpr& a, const PrimExpr& b, bool subtract) {
    if (!b.defined()) return a;
    if (!a.defined()) return subtract ? neg(b) : b;
    return subtract ? sub(a, b) : add(a, b);
  }

  bool UsesVars(const PrimExpr& e) const {
    bool found = false;
    PostOrderVisit(e, [&](const ObjectRef& node) {
      if (const auto* v = node.as<VarNode>()) {
        if (index_.count(v)) found = true;
      }
    });
    return found;
  }

  std::unordered_map<const VarNode*, size_t> index_;
  size_t n_{0};
};

}  // namespace

Array<PrimExpr> DetectLinearEquation(const PrimExpr& e, const Array<Var>& vars) {
  TVM_CHECK(e.defined(), "ValueError") << "DetectLinearEquation: the expression is undefined";
  LinearDetector detector(vars);
  LinearForm form;
  if (!detector.Detect(e, &form)) return Array<PrimExpr>();
  Analyzer analyzer;
  Array<PrimExpr> out;
  for (const PrimExpr& c : form.coeffs) {
    out.push_back(c.defined() ? analyzer.Simplify(c) : make_zero(DataType::Int(e.dtype().bits(), e.dtype().lanes())));
  }
  out.push_back(form.base.defined() ? analyzer.Simplify(form.base) : make_zero(e.dtype()));
  return out;
}

namespace {

/*! \brief small <(=) big as two comparisons when big is a min or small is a max; empty otherwise. */
template <typename Cmp>
std::vector<PrimExpr> SplitComparison(const PrimExpr& small, const PrimExpr& big) {
  if (const auto* m = big.as<MinNode>()) return {Cmp(small, m->a), Cmp(small, m->b)};
  if (const auto* m = small.as<MaxNode>()) return {Cmp(m->a, big), Cmp(m->b, big)};
  return {};
}

std::vector<PrimExpr> SplitMinMaxBound(const PrimExpr& c) {
  if (const auto* n = c.as<LTNode>()) return SplitComparison<LT>(n->a, n->b);
  if (const auto* n = c.as<LENode>()) return SplitComparison<LE>(n->a, n->b);
  if (const auto* n = c.as<GTNode>()) return SplitComparison<LT>(n->b, n->a);
  if (const auto* n = c.as<GENode>()) return SplitComparison<LE>(n->b, n->a);
  return {};
}

}  // namespace

Array<PrimExpr> DetectClipBound(const PrimExpr& cond, const Array<Var>& vars) {
  // Every conjunct as `e >= 0`.
  std::vector<PrimExpr> atoms;
  std::vector<PrimExpr> pending = {cond};
  while (!pending.empty()) {
    PrimExpr c = pending.back();
    pending.pop_back();
    if (const auto* n = c.as<AndNode>()) {
      pending.push_back(n->b);
      pending.push_back(n->a);
      continue;
    }
    auto one = [](const PrimExpr& x) { return make_const(x.dtype(), 1); };
    // A negated comparison is the opposite comparison.
    if (const auto* n = c.as<NotNode>()) {
      const PrimExpr& inner = n->a;
      if (const auto* m = inner.as<LTNode>()) { pending.push_back(GE(m->a, m->b)); continue; }
      if (const auto* m = inner.as<LENode>()) { pending.push_back(GT(m->a, m->b)); continue; }
      if (const auto* m = inner.as<GTNode>()) { pending.push_back(LE(m->a, m->b)); continue; }
      if (const auto* m = inner.as<GENode>()) { pending.push_back(LT(m->a, m->b)); continue; }
      return Array<PrimExpr>();
    }
    // lo < min(x, y) is lo < x and lo < y; max(x, y) < hi is x < hi and y < hi.
    if (auto split = SplitMinMaxBound(c); !split.empty()) {
      for (auto it = split.rbegin(); it != split.rend(); ++it) pending.push_back(*it);
      continue;
    }
    if (const auto* n = c.as<LTNode>()) {
      atoms.push_back(n->b - n->a - one(n->a));
    } else if (const auto* n = c.as<LENode>()) {
      atoms.push_back(n->b - n->a);
    } else if (const auto* n = c.as<GTNode>()) {
      atoms.push_back(n->a - n->b - one(n->a));
    } else if (const auto* n = c.as<GENode>()) {
      atoms.push_back(n->a - n->b);
    } else if (const auto* n = c.as<EQNode>()) {
      atoms.push_back(n->a - n->b);
      atoms.push_back(n->b - n->a);
    } else {
      return Array<PrimExpr>();
    }
  }
  Analyzer analyzer;
  std::vector<PrimExpr> lower(vars.size()), upper(vars.size());
  for (const PrimExpr& atom : atoms) {
    Array<PrimExpr> form = DetectLinearEquation(analyzer.Simplify(atom), vars);
    if (form.empty()) return Array<PrimExpr>();
    int which = -1;
    int64_t coeff = 0;
    for (size_t i = 0; i < vars.size(); ++i) {
      if (is_zero(form[i])) continue;
      const auto* c = form[i].as<IntImmNode>();
      if (c == nullptr || which != -1) return Array<PrimExpr>();
      which = static_cast<int>(i);
      coeff = c->value;
    }
    if (which == -1) continue;  // no variable of interest: nothing to record
    PrimExpr base = form[vars.size()];
    DataType t = base.dtype();
    // coeff * x + base >= 0
    if (coeff > 0) {
      PrimExpr bound = coeff == 1 ? neg(base) : floordiv(neg(base) + make_const(t, coeff - 1), make_const(t, coeff));
      bound = analyzer.Simplify(bound);
      lower[which] = lower[which].defined() ? analyzer.Simplify(max(lower[which], bound)) : bound;
    } else {
      PrimExpr bound = coeff == -1 ? base : floordiv(base, make_const(t, -coeff));
      bound = analyzer.Simplify(bound);
      upper[which] = upper[which].defined() ? analyzer.Simplify(min(upper[which], bound)) : bound;
    }
  }
  Array<PrimExpr> out;
  for (size_t i = 0; i < vars.size(); ++i) {
    out.push_back(lower[i]);
    out.push_back(upper[i]);
  }
  return out;
}

TVM_REGISTER_GLOBAL("arith.DetectLinearEquation").set_body_typed([](PrimExpr e, Array<Var> vars) {
  return DetectLinearEquation(e, vars);
});

TVM_REGISTER_GLOBAL("arith.DetectClipBound").set_body_typed([](PrimExpr cond, Array<Var> vars) {
  return DetectClipBound(cond, vars);
});

}  // namespace arith
}  // namespace tvm
