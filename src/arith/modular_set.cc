/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Modular sets: which residues an integer expression can have.
//
// Each expression maps to {coeff * k + base}: coeff 0 is the constant base,
// coeff 1 is "any integer". Sums and products combine with gcds:
//
//   x * 4 + 2        ->  4k + 2
//   (x * 8 + 4) * 3  ->  24k + 12
//   floordiv(x * 8 + 4, 4)  ->  2k + 1
//   floormod(x * 6 + 1, 4)  ->  2k + 1
//
// The base is kept in [0, coeff) so that equal sets compare equal. Division
// and remainder by constants are exact for floor semantics; the truncating
// forms are used only when the dividend is known to be non-negative.
#include <tvm/arith/analyzer.h>
#include <tvm/runtime/registry.h>
#include <tvm/tir/builtin.h>
#include <tvm/tir/expr_functor.h>
#include <tvm/tir/op.h>

#include <sstream>

#include "constraint_extract.h"
#include "int_operator.h"

namespace tvm {
namespace arith {

using namespace tir;  // NOLINT(build/namespaces)

TVM_REGISTER_NODE_TYPE(ModularSetNode);

ModularSet::ModularSet(int64_t coeff, int64_t base) {
  auto n = make_object<ModularSetNode>();
  n->coeff = coeff;
  n->base = base;
  data_ = std::move(n);
}

namespace {

struct Residue {
  int64_t coeff;
  int64_t base;
  bool operator==(const Residue& o) const { return coeff == o.coeff && base == o.base; }
  bool IsConst() const { return coeff == 0; }
  bool IsEverything() const { return coeff == 1; }
};

/*! \brief coeff * k + base with base reduced into [0, |coeff|). */
Residue MakeResidue(int64_t coeff, int64_t base) {
  if (coeff < 0) coeff = -coeff;
  if (coeff != 0) base = FloorModInt(base, coeff);
  return Residue{coeff, base};
}

Residue Everything() { return Residue{1, 0}; }

/*! \brief The smallest residue set containing both (used by min, max, select). */
Residue Join(Residue a, Residue b) {
  int64_t diff;
  if (__builtin_sub_overflow(a.base, b.base, &diff)) return Everything();
  int64_t g = GCD(GCD(a.coeff, b.coeff), diff);
  if (g == 0) return a;  // both the same constant
  return MakeResidue(g, a.base);
}

bool MulOverflows(int64_t a, int64_t b, int64_t* out) { return __builtin_mul_overflow(a, b, out); }

}  // namespace

class ModularSetAnalyzer::Impl : public ExprFunctor<Residue(const PrimExpr&)> {
 public:
  explicit Impl(Analyzer* parent) : parent_(parent) {}

  Residue Eval(const PrimExpr& e) {
    if (!(e.dtype().is_int() || e.dtype().is_uint())) {
      // A float holds an integer only as a cast of one.
      if (e.dtype().is_float() && e.as<CastNode>()) return VisitExpr(e);
      return Everything();
    }
    return VisitExpr(e);
  }

  void Update(const Var& var, Residue info, bool allow_override) {
    auto it = var_map_.find(var);
    if (it != var_map_.end() && !allow_override && !(it->second == info)) {
      TVM_CHECK(false, "ValueError") << "modular_set: variable " << var->name_hint << " is already known to be "
                                     << it->second.coeff << "k+" << it->second.base
                                     << " and cannot be rebound to " << info.coeff << "k+" << info.base;
    }
    var_map_[var] = info;
  }

  std::function<void()> EnterConstraint(const PrimExpr& constraint) {
    std::vector<std::pair<Var, std::optional<Residue>>> saved;
    for (const PrimExpr& atom : ExtractConstraints(constraint)) {
      Var var;
      Residue info{1, 0};
      if (!MatchResidueFact(atom, &var, &info)) continue;
      auto it = var_map_.find(var);
      std::optional<Residue> old;
      if (it != var_map_.end()) old = it->second;
      saved.emplace_back(var, old);
      var_map_[var] = Intersect(old.has_value() ? *old : Everything(), info);
    }
    if (saved.empty()) return nullptr;
    return [this, saved]() {
      for (auto it = saved.rbegin(); it != saved.rend(); ++it) {
        if (it->second.has_value()) {
          var_map_[it->first] = *it->second;
        } else {
          var_map_.erase(it->first);
        }
      }
    };
  }

  // ---------------------------------------------------------------------
  // Nodes

  Residue VisitExpr_(const IntImmNode* op) final { return Residue{0, op->value}; }

  Residue VisitExpr_(const VarNode* op) final {
    auto it = var_map_.find(GetRef<Var>(op));
    return it != var_map_.end() ? it->second : Everything();
  }
  Residue VisitExpr_(const SizeVarNode* op) final { return VisitExpr_(static_cast<const VarNode*>(op)); }

  Residue VisitExpr_(const AddNode* op) final { return AddResidues(Eval(op->a), Eval(op->b), 1); }
  Residue VisitExpr_(const SubNode* op) final { return AddResidues(Eval(op->a), Eval(op->b), -1); }

  Residue VisitExpr_(const MulNode* op) final { return MulResidues(Eval(op->a), Eval(op->b)); }

  Residue VisitExpr_(const FloorDivNode* op) final { return DivResidue(op->a, op->b, true); }
  Residue VisitExpr_(const DivNode* op) final { return DivResidue(op->a, op->b, false); }
  Residue VisitExpr_(const FloorModNode* op) final { return ModResidue(op->a, op->b, true); }
  Residue VisitExpr_(const ModNode* op) final { return ModResidue(op->a, op->b, false); }

  Residue VisitExpr_(const MinNode* op) final { return Join(Eval(op->a), Eval(op->b)); }
  Residue VisitExpr_(const MaxNode* op) final { return Join(Eval(op->a), Eval(op->b)); }
  Residue VisitExpr_(const SelectNode* op) final { return Join(Eval(op->true_value), Eval(op->false_value)); }

  Residue VisitExpr_(const CastNode* op) final {
    DataType from = op->value.dtype();
    // Casts are assumed not to overflow (the contract of index arithmetic, as in
    // const_int_bound): an integer keeps its value through integer and float
    // types, so int -> float -> int keeps the residue too.
    bool from_number = from.is_int() || from.is_uint() || from.is_float();
    bool to_number = op->dtype.is_int() || op->dtype.is_uint() || op->dtype.is_float();
    if (from_number && to_number && !op->dtype.is_bool()) return Eval(op->value);
    return Everything();
  }

  Residue VisitExpr_(const LetNode* op) final {
    Residue value = Eval(op->value);
    auto it = var_map_.find(op->var);
    std::optional<Residue> old;
    if (it != var_map_.end()) old = it->second;
    var_map_[op->var] = value;
    Residue body = Eval(op->body);
    if (old.has_value()) {
      var_map_[op->var] = *old;
    } else {
      var_map_.erase(op->var);
    }
    return body;
  }

  Residue VisitExpr_(const CallNode* op) final {
    if (op->op.same_as(builtin::shift_left()) && op->args.size() == 2) {
      if (const auto* s = op->args[1].as<IntImmNode>()) {
        if (s->value >= 0 && s->value < 62) {
          return MulResidues(Eval(op->args[0]), Residue{0, int64_t{1} << s->value});
        }
      }
    }
    // x >> s is floordiv(x, 2^s); x & (2^p - 1) is floormod(x, 2^p).
    if (op->op.same_as(builtin::shift_right()) && op->args.size() == 2) {
      if (const auto* s = op->args[1].as<IntImmNode>(); s != nullptr && s->value >= 0 && s->value < 62) {
        return DivResidue(op->args[0], make_const(op->args[0].dtype(), int64_t{1} << s->value), true);
      }
    }
    if (op->op.same_as(builtin::bitwise_and()) && op->args.size() == 2) {
      if (const auto* m = op->args[1].as<IntImmNode>(); m != nullptr && m->value > 0 && ((m->value + 1) & m->value) == 0) {
        return ModResidue(op->args[0], make_const(op->args[0].dtype(), m->value + 1), true);
      }
    }
    if (op->op.same_as(builtin::if_then_else()) && op->args.size() == 3) {
      return Join(Eval(op->args[1]), Eval(op->args[2]));
    }
    return Everything();
  }

  Residue VisitExprDefault_(const Object* op) final { return Everything(); }

 private:
  static Residue AddResidues(Residue a, Residue b, int64_t sign) {
    int64_t base;
    int64_t scaled = sign * b.base;
    if (__builtin_add_overflow(a.base, scaled, &base)) return Everything();
    int64_t g = GCD(a.coeff, b.coeff);
    return MakeResidue(g, base);
  }

  static Residue MulResidues(Residue a, Residue b) {
    // (ca*k + ba)(cb*l + bb) = ca*cb*kl + ca*bb*k + cb*ba*l + ba*bb
    int64_t cc, cab, cba, base;
    if (MulOverflows(a.coeff, b.coeff, &cc) || MulOverflows(a.coeff, b.base, &cab) ||
        MulOverflows(b.coeff, a.base, &cba) || MulOverflows(a.base, b.base, &base)) {
      return Everything();
    }
    int64_t g = GCD(GCD(cc, cab), cba);
    return MakeResidue(g, base);
  }

  bool NonNegative(const PrimExpr& e) { return parent_->const_int_bound(e)->min_value >= 0; }

  Residue DivResidue(const PrimExpr& a_expr, const PrimExpr& b_expr, bool floor_mode) {
    Residue b = Eval(b_expr);
    if (!b.IsConst() || b.base == 0) return Everything();
    Residue a = Eval(a_expr);
    int64_t c = b.base;
    if (c < 0) return Everything();
    // An exact division rounds neither way: truncdiv(x * 4 + 2, 2) = x * 2 + 1 for any sign.
    bool exact = a.coeff % c == 0 && a.base % c == 0;
    if (!floor_mode && !exact && !NonNegative(a_expr)) return Everything();
    if (a.IsConst()) return Residue{0, floor_mode ? FloorDivInt(a.base, c) : a.base / c};
    if (a.coeff % c == 0) {
      // floordiv(coeff*k + base, c) = (coeff/c)*k + floordiv(base, c) as base < coeff.
      return MakeResidue(a.coeff / c, FloorDivInt(a.base, c));
    }
    return Everything();
  }

  Residue ModResidue(const PrimExpr& a_expr, const PrimExpr& b_expr, bool floor_mode) {
    Residue b = Eval(b_expr);
    if (!b.IsConst() || b.base == 0) return Everything();
    int64_t c = b.base;
    if (c < 0) return Everything();
    Residue a = Eval(a_expr);
    if (!floor_mode && !NonNegative(a_expr)) {
      // truncmod(x, c) = x - c * q is still x modulo gcd(coeff, c); only its sign is unknown,
      // which does not matter when that residue is 0.
      int64_t g = GCD(a.coeff, c);
      if (!a.IsConst() && FloorModInt(a.base, g) == 0) return MakeResidue(g, 0);
      if (a.IsConst()) return Residue{0, a.base % c};
      return Everything();
    }
    if (a.IsConst()) return Residue{0, FloorModInt(a.base, c)};
    // x = coeff*k + base and g = gcd(coeff, c) divides c: x mod c = base (mod g).
    int64_t g = GCD(a.coeff, c);
    if (g == c) return Residue{0, FloorModInt(a.base, c)};
    return MakeResidue(g, a.base);
  }

  /*! \brief Both sets at once (the Chinese remainder theorem for the common case). */
  static Residue Intersect(Residue a, Residue b) {
    if (a.IsEverything()) return b;
    if (b.IsEverything()) return a;
    if (a.IsConst()) return a;
    if (b.IsConst()) return b;
    // Search the smaller period for a common element; fall back to one of the sets.
    int64_t l = LCM(a.coeff, b.coeff);
    if (l == 0 || l > (int64_t{1} << 20)) return a.coeff >= b.coeff ? a : b;
    for (int64_t v = a.base; v < l; v += a.coeff) {
      if (FloorModInt(v - b.base, b.coeff) == 0) return MakeResidue(l, v);
    }
    return a.coeff >= b.coeff ? a : b;
  }

  /*! \brief floormod(x, c) == r, truncmod(x, c) == r (r >= 0) or x == c*k + r facts about a variable. */
  static bool MatchResidueFact(const PrimExpr& atom, Var* var, Residue* info) {
    const auto* eq = atom.as<EQNode>();
    if (eq == nullptr) return false;
    PrimExpr lhs = eq->a, rhs = eq->b;
    if (lhs.as<IntImmNode>()) std::swap(lhs, rhs);
    const auto* r = rhs.as<IntImmNode>();
    if (r == nullptr) return false;
    PrimExpr x, c;
    bool trunc = false;
    if (const auto* m = lhs.as<FloorModNode>()) {
      x = m->a;
      c = m->b;
    } else if (const auto* m = lhs.as<ModNode>()) {
      x = m->a;
      c = m->b;
      trunc = true;
    } else if (const auto* v = lhs.as<VarNode>()) {
      *var = GetRef<Var>(v);
      *info = Residue{0, r->value};
      return true;
    }
    if (!x.defined()) return false;
    const auto* v = x.as<VarNode>();
    const auto* ci = c.as<IntImmNode>();
    if (v == nullptr || ci == nullptr || ci->value <= 0) return false;
    if (trunc && r->value < 0) return false;
    *var = GetRef<Var>(v);
    *info = MakeResidue(ci->value, r->value);
    return true;
  }

  Analyzer* parent_;
  std::unordered_map<Var, Residue, ObjectPtrHash, ObjectPtrEqual> var_map_;
};

ModularSetAnalyzer::ModularSetAnalyzer(Analyzer* parent) : impl_(std::make_unique<Impl>(parent)) {}
ModularSetAnalyzer::~ModularSetAnalyzer() = default;

ModularSet ModularSetAnalyzer::operator()(const PrimExpr& expr) {
  TVM_CHECK(expr.defined(), "ValueError") << "modular_set: the expression is undefined (None)";
  Residue r = impl_->Eval(expr);
  return ModularSet(r.coeff, r.base);
}

void ModularSetAnalyzer::Update(const Var& var, const ModularSet& info, bool allow_override) {
  impl_->Update(var, MakeResidue(info->coeff, info->base), allow_override);
}

std::function<void()> ModularSetAnalyzer::EnterConstraint(const PrimExpr& constraint) {
  return impl_->EnterConstraint(constraint);
}

TVM_REGISTER_GLOBAL("arith.ModularSet").set_body_typed([](int64_t coeff, int64_t base) {
  return ModularSet(coeff, base);
});

}  // namespace arith
}  // namespace tvm
