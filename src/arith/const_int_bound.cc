/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Constant integer bounds by interval arithmetic.
//
// Every integer node maps the bounds of its operands to bounds of its
// result: [a0, a1] + [b0, b1] = [a0 + b0, a1 + b1], products and quotients
// take the extremes over the corners, remainders are bounded by the divisor.
// Infinite ends (kPosInf/kNegInf) absorb arithmetic instead of overflowing.
// Variables take the bounds they were bound to, else the range of their
// dtype (SizeVar: non-negative). Facts of a ConstraintContext tighten the
// bounds of variables or of whole sub-expressions while the scope lasts.
//
// The bounds assume that the program does not overflow its integer type.
#include <tvm/arith/analyzer.h>
#include <tvm/runtime/registry.h>
#include <tvm/tir/builtin.h>
#include <tvm/tir/expr_functor.h>
#include <tvm/tir/op.h>

#include <algorithm>
#include <cmath>
#include <sstream>
#include <vector>

#include "constraint_extract.h"
#include "expr_equal.h"
#include "int_operator.h"

namespace tvm {
namespace arith {

using namespace tir;  // NOLINT(build/namespaces)

TVM_REGISTER_NODE_TYPE(ConstIntBoundNode);

ConstIntBound::ConstIntBound(int64_t min_value, int64_t max_value) {
  auto n = make_object<ConstIntBoundNode>();
  n->min_value = min_value;
  n->max_value = max_value;
  data_ = std::move(n);
}

namespace {

struct Bound {
  int64_t min_value;
  int64_t max_value;
  bool operator==(const Bound& o) const { return min_value == o.min_value && max_value == o.max_value; }
  bool IsConst() const { return min_value == max_value; }
};

Bound MakeBound(int64_t lo, int64_t hi) { return Bound{lo, hi}; }

/*! \brief Every value of dtype t (floats and handles: unbounded). */
Bound BoundOfType(DataType t) {
  if (t.is_bool()) return MakeBound(0, 1);
  int bits = t.bits();
  if (t.is_int()) {
    if (bits >= 64) return MakeBound(kBoundNegInf, kBoundPosInf);
    return MakeBound(-(int64_t{1} << (bits - 1)), (int64_t{1} << (bits - 1)) - 1);
  }
  if (t.is_uint()) {
    if (bits >= 63) return MakeBound(0, kBoundPosInf);
    return MakeBound(0, (int64_t{1} << bits) - 1);
  }
  return MakeBound(kBoundNegInf, kBoundPosInf);
}

Bound Intersect(Bound a, Bound b) { return MakeBound(std::max(a.min_value, b.min_value), std::min(a.max_value, b.max_value)); }
Bound Union(Bound a, Bound b) { return MakeBound(std::min(a.min_value, b.min_value), std::max(a.max_value, b.max_value)); }

/*! \brief The extremes of f over the four corners of a x b. */
template <typename F>
Bound Corners(Bound a, Bound b, F f) {
  int64_t v0 = f(a.min_value, b.min_value);
  int64_t v1 = f(a.min_value, b.max_value);
  int64_t v2 = f(a.max_value, b.min_value);
  int64_t v3 = f(a.max_value, b.max_value);
  return MakeBound(std::min({v0, v1, v2, v3}), std::max({v0, v1, v2, v3}));
}

/*! \brief a / b for bounds, b finite or infinite but non-zero, rounding by floor or towards zero. */
int64_t DivideEnd(int64_t a, int64_t b, bool floor_mode) {
  if (IsInf(b)) {
    if (IsInf(a)) return ((a < 0) != (b < 0)) ? kBoundNegInf : kBoundPosInf;
    if (!floor_mode || a == 0) return 0;
    // floor(a / +-inf) is 0 or -1 depending on the signs.
    return ((a < 0) != (b < 0)) ? -1 : 0;
  }
  return floor_mode ? BoundFloorDiv(a, b) : BoundTruncDiv(a, b);
}

/*! \brief The quotient bounds; the divisor's zero is excluded (division by zero is undefined). */
Bound DivideBounds(Bound a, Bound b, bool floor_mode, DataType t) {
  auto div = [floor_mode](int64_t x, int64_t y) { return DivideEnd(x, y, floor_mode); };
  if (b.min_value > 0 || b.max_value < 0) return Corners(a, b, div);
  if (b.min_value == 0 && b.max_value == 0) return BoundOfType(t);
  Bound result{kBoundPosInf, kBoundNegInf};
  bool any = false;
  if (b.max_value > 0) {
    result = Corners(a, MakeBound(1, b.max_value), div);
    any = true;
  }
  if (b.min_value < 0) {
    Bound neg = Corners(a, MakeBound(b.min_value, -1), div);
    result = any ? Union(result, neg) : neg;
  }
  return result;
}

/*! \brief A divisor's bounds without zero at an end: a division by zero has no value to bound. */
Bound NonZeroDivisor(Bound b) {
  if (b.min_value == 0 && b.max_value > 0) b.min_value = 1;
  if (b.max_value == 0 && b.min_value < 0) b.max_value = -1;
  return b;
}

/*! \brief Bounds of truncmod(a, b). */
Bound TruncModBounds(Bound a, Bound b) {
  b = NonZeroDivisor(b);
  // |truncmod(a, b)| < |b| and it has the sign of a.
  int64_t mag = std::max(b.min_value == kBoundNegInf ? kBoundPosInf : std::abs(b.min_value),
                         b.max_value == kBoundNegInf ? kBoundPosInf : std::abs(b.max_value));
  int64_t smallest_divisor = (b.min_value > 0) ? b.min_value : (b.max_value < 0 ? -b.max_value : 0);
  if (a.min_value >= 0 && smallest_divisor > 0 && a.max_value < smallest_divisor) return a;
  if (a.max_value <= 0 && smallest_divisor > 0 && a.min_value > -smallest_divisor) return a;
  int64_t limit = mag == kBoundPosInf ? kBoundPosInf : mag - 1;
  int64_t lo = a.min_value >= 0 ? 0 : std::max(a.min_value, -limit);
  int64_t hi = a.max_value <= 0 ? 0 : std::min(a.max_value, limit);
  return MakeBound(lo, hi);
}

/*! \brief Bounds of floormod(a, b). */
Bound FloorModBounds(Bound a, Bound b) {
  b = NonZeroDivisor(b);
  if (b.min_value > 0) {
    if (a.min_value >= 0 && a.max_value < b.min_value) return a;
    int64_t hi = b.max_value == kBoundPosInf ? kBoundPosInf : b.max_value - 1;
    if (a.min_value >= 0) hi = std::min(hi, a.max_value);
    return MakeBound(0, hi);
  }
  if (b.max_value < 0) {
    if (a.max_value <= 0 && a.min_value > b.max_value) return a;
    int64_t lo = b.min_value == kBoundNegInf ? kBoundNegInf : b.min_value + 1;
    if (a.max_value <= 0) lo = std::max(lo, a.min_value);
    return MakeBound(lo, 0);
  }
  int64_t lo = b.min_value == kBoundNegInf ? kBoundNegInf : std::min<int64_t>(b.min_value + 1, 0);
  int64_t hi = b.max_value == kBoundPosInf ? kBoundPosInf : std::max<int64_t>(b.max_value - 1, 0);
  return MakeBound(lo, hi);
}

std::string BoundStr(Bound b) {
  std::ostringstream os;
  os << "[";
  if (b.min_value == kBoundNegInf) os << "-inf"; else os << b.min_value;
  os << ", ";
  if (b.max_value == kBoundPosInf) os << "+inf"; else os << b.max_value;
  os << "]";
  return os.str();
}

}  // namespace

class ConstIntBoundAnalyzer::Impl : public ExprFunctor<Bound(const PrimExpr&)> {
 public:
  explicit Impl(Analyzer* parent) : parent_(parent) {}

  Bound Eval(const PrimExpr& e) { return VisitExpr(e); }

  Bound VisitExpr(const PrimExpr& e) final {
    Bound res = ExprFunctor::VisitExpr(e);
    if (!extra_facts_.empty()) {
      for (const auto& fact : extra_facts_) {
        if (ExprDeepEqual(fact.first, e)) res = Intersect(res, fact.second);
      }
    }
    if (record_ != nullptr) (*record_)[e] = ConstIntBound(res.min_value, res.max_value);
    return res;
  }

  void Update(const Var& var, Bound info, bool allow_override) {
    auto it = var_map_.find(var);
    if (it != var_map_.end() && !allow_override && !(it->second == info)) {
      TVM_CHECK(false, "ValueError") << "const_int_bound: variable " << var->name_hint
                                     << " already has bounds " << BoundStr(it->second)
                                     << " and cannot be rebound to " << BoundStr(info);
    }
    var_map_[var] = info;
  }

  bool IsBound(const Var& var) const { return var_map_.count(var) != 0; }

  void Bind(const Var& var, const Range& range, bool allow_override) {
    Bound lo = Eval(range->min);
    Bound ext = Eval(range->extent);
    Update(var, MakeBound(lo.min_value, BoundAdd(lo.max_value, BoundAdd(ext.max_value, -1))), allow_override);
  }

  std::function<void()> EnterConstraint(const PrimExpr& constraint) {
    size_t old_facts = extra_facts_.size();
    std::vector<std::pair<Var, std::optional<Bound>>> saved;
    for (const PrimExpr& atom : ExtractConstraints(constraint)) {
      for (const auto& fact : FactsOf(atom)) {
        if (const auto* v = fact.first.as<VarNode>()) {
          Var var = GetRef<Var>(v);
          auto it = var_map_.find(var);
          std::optional<Bound> old;
          if (it != var_map_.end()) old = it->second;
          saved.emplace_back(var, old);
          Bound current = it != var_map_.end() ? it->second : Eval(var);
          var_map_[var] = Intersect(current, fact.second);
        } else {
          extra_facts_.push_back(fact);
        }
      }
    }
    if (saved.empty() && extra_facts_.size() == old_facts) return nullptr;
    return [this, old_facts, saved]() {
      extra_facts_.resize(old_facts);
      for (auto it = saved.rbegin(); it != saved.rend(); ++it) {
        if (it->second.has_value()) {
          var_map_[it->first] = *it->second;
        } else {
          var_map_.erase(it->first);
        }
      }
    };
  }

  ConstIntBoundAnalyzer::BoundMapType* record_{nullptr};

  // ---------------------------------------------------------------------
  // Nodes

  Bound VisitExpr_(const IntImmNode* op) final { return MakeBound(op->value, op->value); }
  Bound VisitExpr_(const FloatImmNode* op) final { return BoundOfType(op->dtype); }

  Bound VisitExpr_(const VarNode* op) final {
    auto it = var_map_.find(GetRef<Var>(op));
    if (it != var_map_.end()) return it->second;
    return BoundOfType(op->dtype);
  }

  Bound VisitExpr_(const SizeVarNode* op) final {
    // An unbound size of an index type is any non-negative value, with no
    // particular maximum (the dtype's maximum is not a size anyone meant).
    if (!IsBound(GetRef<Var>(op)) && op->dtype.is_int() && op->dtype.bits() >= 32) {
      return MakeBound(0, kBoundPosInf);
    }
    Bound b = VisitExpr_(static_cast<const VarNode*>(op));
    return Intersect(b, MakeBound(0, kBoundPosInf));
  }

  Bound VisitExpr_(const CastNode* op) final {
    Bound a = VisitExpr(op->value);
    Bound to = BoundOfType(op->dtype);
    DataType from = op->value.dtype();
    bool from_integer = from.is_int() || from.is_uint();
    if (op->dtype.is_float() && from_integer) return a;  // an integer converts to a float of the same value
    if (!(op->dtype.is_int() || op->dtype.is_uint() || op->dtype.is_bool())) return to;
    if (op->dtype.is_bool()) return to;
    // Casts are assumed not to overflow (as for index arithmetic): the value
    // keeps its bounds, narrowed to the target type. A float holds the
    // integer it was converted from, so int -> float -> int keeps bounds too.
    Bound narrowed = Intersect(a, to);
    if (narrowed.min_value > narrowed.max_value) return to;
    return narrowed;
  }

  Bound VisitExpr_(const AddNode* op) final {
    Bound a = VisitExpr(op->a), b = VisitExpr(op->b);
    return ClipUnsigned(MakeBound(LowerAdd(a.min_value, b.min_value), UpperAdd(a.max_value, b.max_value)), op->dtype);
  }

  Bound VisitExpr_(const SubNode* op) final {
    Bound a = VisitExpr(op->a), b = VisitExpr(op->b);
    return ClipUnsigned(
        MakeBound(LowerAdd(a.min_value, BoundNeg(b.max_value)), UpperAdd(a.max_value, BoundNeg(b.min_value))),
        op->dtype);
  }

  /*! \brief Ends of a sum whose operands include opposite infinities are unbounded. */
  static int64_t LowerAdd(int64_t a, int64_t b) {
    if ((a == kBoundNegInf && b == kBoundPosInf) || (a == kBoundPosInf && b == kBoundNegInf)) return kBoundNegInf;
    return BoundAdd(a, b);
  }
  static int64_t UpperAdd(int64_t a, int64_t b) { return BoundAdd(a, b); }

  /*! \brief An unsigned value is never below zero (nor above its maximum), whatever the operands. */
  static Bound ClipUnsigned(Bound b, DataType t) {
    if (!t.is_uint() || t.lanes() != 1) return b;
    Bound clipped = Intersect(b, BoundOfType(t));
    return clipped.min_value <= clipped.max_value ? clipped : BoundOfType(t);
  }

  Bound VisitExpr_(const MulNode* op) final {
    Bound a = VisitExpr(op->a), b = VisitExpr(op->b);
    return Corners(a, b, BoundMul);
  }

  Bound VisitExpr_(const DivNode* op) final {
    if (!IsIndexLike(op->dtype)) return BoundOfType(op->dtype);
    return DivideBounds(VisitExpr(op->a), VisitExpr(op->b), false, op->dtype);
  }

  Bound VisitExpr_(const FloorDivNode* op) final {
    if (!IsIndexLike(op->dtype)) return BoundOfType(op->dtype);
    return DivideBounds(VisitExpr(op->a), VisitExpr(op->b), true, op->dtype);
  }

  Bound VisitExpr_(const ModNode* op) final {
    if (!IsIndexLike(op->dtype)) return BoundOfType(op->dtype);
    return TruncModBounds(VisitExpr(op->a), VisitExpr(op->b));
  }

  Bound VisitExpr_(const FloorModNode* op) final {
    if (!IsIndexLike(op->dtype)) return BoundOfType(op->dtype);
    return FloorModBounds(VisitExpr(op->a), VisitExpr(op->b));
  }

  Bound VisitExpr_(const MinNode* op) final {
    Bound a = VisitExpr(op->a), b = VisitExpr(op->b);
    return MakeBound(std::min(a.min_value, b.min_value), std::min(a.max_value, b.max_value));
  }

  Bound VisitExpr_(const MaxNode* op) final {
    Bound a = VisitExpr(op->a), b = VisitExpr(op->b);
    return MakeBound(std::max(a.min_value, b.min_value), std::max(a.max_value, b.max_value));
  }

  Bound VisitExpr_(const SelectNode* op) final {
    return Union(VisitExpr(op->true_value), VisitExpr(op->false_value));
  }

  Bound VisitExpr_(const LetNode* op) final {
    Bound value = VisitExpr(op->value);
    auto it = var_map_.find(op->var);
    std::optional<Bound> old;
    if (it != var_map_.end()) old = it->second;
    var_map_[op->var] = value;
    Bound body = VisitExpr(op->body);
    if (old.has_value()) {
      var_map_[op->var] = *old;
    } else {
      var_map_.erase(op->var);
    }
    return body;
  }

  Bound VisitExpr_(const RampNode* op) final {
    Bound base = VisitExpr(op->base), stride = VisitExpr(op->stride);
    Bound offsets = Corners(stride, MakeBound(0, op->lanes - 1), BoundMul);
    return MakeBound(BoundAdd(base.min_value, offsets.min_value), BoundAdd(base.max_value, offsets.max_value));
  }

  Bound VisitExpr_(const BroadcastNode* op) final { return VisitExpr(op->value); }

  Bound VisitExpr_(const CallNode* op) final {
    if (op->op.same_as(builtin::bitwise_and()) && op->args.size() == 2) {
      Bound a = VisitExpr(op->args[0]), b = VisitExpr(op->args[1]);
      if (a.min_value >= 0 && b.min_value >= 0) return MakeBound(0, std::min(a.max_value, b.max_value));
      if (a.min_value >= 0) return MakeBound(0, a.max_value);
      if (b.min_value >= 0) return MakeBound(0, b.max_value);
      return BoundOfType(op->dtype);
    }
    if (op->op.same_as(builtin::shift_right()) && op->args.size() == 2) {
      Bound a = VisitExpr(op->args[0]), b = VisitExpr(op->args[1]);
      // An arithmetic shift is floordiv by 2^s: monotonic in x, towards -1 or 0 as s grows.
      if (b.min_value >= 0 && b.max_value < 63) {
        auto shift = [](int64_t v, int64_t k) { return IsInf(v) ? v : (v >> k); };
        int64_t lo = std::min(shift(a.min_value, b.min_value), shift(a.min_value, b.max_value));
        int64_t hi = std::max(shift(a.max_value, b.min_value), shift(a.max_value, b.max_value));
        return MakeBound(lo, hi);
      }
      return BoundOfType(op->dtype);
    }
    if (op->op.same_as(builtin::shift_left()) && op->args.size() == 2) {
      Bound a = VisitExpr(op->args[0]), b = VisitExpr(op->args[1]);
      if (a.min_value >= 0 && b.min_value >= 0 && b.max_value < 63) {
        return MakeBound(BoundMul(a.min_value, int64_t{1} << b.min_value),
                         BoundMul(a.max_value, int64_t{1} << b.max_value));
      }
      return BoundOfType(op->dtype);
    }
    if (op->op.same_as(builtin::if_then_else()) && op->args.size() == 3) {
      return Union(VisitExpr(op->args[1]), VisitExpr(op->args[2]));
    }
    if (op->op.same_as(builtin::likely()) && op->args.size() == 1) return VisitExpr(op->args[0]);
    if (op->dtype == DataType::Float(64) && op->args.size() == 1) {
      static const Op& ceil_op = Op::Get("tir.ceil");
      static const Op& log2_op = Op::Get("tir.log2");
      // ceil(log2(float64(n))), topi's ceil_log2, bounds loop extents: the value
      // is an integer, monotonic in n, computed here as the target computes it.
      if (op->op.same_as(ceil_op)) {
        const auto* log = op->args[0].as<CallNode>();
        if (log != nullptr && log->op.same_as(log2_op) && log->args.size() == 1 &&
            log->args[0].dtype() == DataType::Float(64)) {
          Bound n = VisitExpr(log->args[0]);
          if (n.min_value >= 1) {
            auto ceil_log2 = [](int64_t v) {
              return static_cast<int64_t>(std::ceil(std::log2(static_cast<double>(v))));
            };
            return MakeBound(ceil_log2(n.min_value), IsInf(n.max_value) ? kBoundPosInf : ceil_log2(n.max_value));
          }
        }
      }
    }
    return BoundOfType(op->dtype);
  }

  Bound VisitExpr_(const EQNode* op) final { return BoundOfType(op->dtype); }
  Bound VisitExpr_(const NENode* op) final { return BoundOfType(op->dtype); }
  Bound VisitExpr_(const LTNode* op) final { return BoundOfType(op->dtype); }
  Bound VisitExpr_(const LENode* op) final { return BoundOfType(op->dtype); }
  Bound VisitExpr_(const GTNode* op) final { return BoundOfType(op->dtype); }
  Bound VisitExpr_(const GENode* op) final { return BoundOfType(op->dtype); }
  Bound VisitExpr_(const AndNode* op) final { return BoundOfType(op->dtype); }
  Bound VisitExpr_(const OrNode* op) final { return BoundOfType(op->dtype); }
  Bound VisitExpr_(const NotNode* op) final { return BoundOfType(op->dtype); }

  Bound VisitExprDefault_(const Object* op) final {
    return BoundOfType(static_cast<const PrimExprNode*>(op)->dtype);
  }

 private:
  static bool IsIndexLike(DataType t) { return t.is_int() || t.is_uint(); }

  /*!
   * \brief The (expression, bound) facts that a condition atom asserts:
   *  `e < c` bounds e above, `c <= e` below, `e == c` both; a symbolic
   *  other side contributes its constant bounds.
   */
  std::vector<std::pair<PrimExpr, Bound>> FactsOf(const PrimExpr& atom) {
    std::vector<std::pair<PrimExpr, Bound>> facts;
    auto add_le = [&](const PrimExpr& lhs, const PrimExpr& rhs, int64_t strict) {
      // lhs + strict <= rhs
      if (!IsIndexLike(lhs.dtype()) || lhs.dtype().lanes() != 1) return;
      Bound rb = Eval(rhs);
      Bound lb = Eval(lhs);
      if (rb.max_value != kBoundPosInf && !lhs.as<IntImmNode>()) {
        facts.emplace_back(lhs, MakeBound(kBoundNegInf, BoundAdd(rb.max_value, -strict)));
      }
      if (lb.min_value != kBoundNegInf && !rhs.as<IntImmNode>()) {
        facts.emplace_back(rhs, MakeBound(BoundAdd(lb.min_value, strict), kBoundPosInf));
      }
    };
    if (const auto* n = atom.as<LTNode>()) {
      add_le(n->a, n->b, 1);
    } else if (const auto* n = atom.as<LENode>()) {
      add_le(n->a, n->b, 0);
    } else if (const auto* n = atom.as<GTNode>()) {
      add_le(n->b, n->a, 1);
    } else if (const auto* n = atom.as<GENode>()) {
      add_le(n->b, n->a, 0);
    } else if (const auto* n = atom.as<EQNode>()) {
      add_le(n->a, n->b, 0);
      add_le(n->b, n->a, 0);
    }
    return facts;
  }

  Analyzer* parent_;
  std::unordered_map<Var, Bound, ObjectPtrHash, ObjectPtrEqual> var_map_;
  /*! \brief Bounds of non-variable expressions asserted by constraints. */
  std::vector<std::pair<PrimExpr, Bound>> extra_facts_;
};

ConstIntBoundAnalyzer::ConstIntBoundAnalyzer(Analyzer* parent) : impl_(std::make_unique<Impl>(parent)) {}
ConstIntBoundAnalyzer::~ConstIntBoundAnalyzer() = default;

ConstIntBound ConstIntBoundAnalyzer::operator()(const PrimExpr& expr) const {
  TVM_CHECK(expr.defined(), "ValueError") << "const_int_bound: the expression is undefined (None)";
  Bound b = impl_->Eval(expr);
  return ConstIntBound(b.min_value, b.max_value);
}

ConstIntBound ConstIntBoundAnalyzer::operator()(const PrimExpr& expr, BoundMapType* bound) {
  TVM_CHECK(expr.defined(), "ValueError") << "const_int_bound: the expression is undefined (None)";
  impl_->record_ = bound;
  Bound b;
  try {
    b = impl_->Eval(expr);
  } catch (...) {
    impl_->record_ = nullptr;
    throw;
  }
  impl_->record_ = nullptr;
  return ConstIntBound(b.min_value, b.max_value);
}

void ConstIntBoundAnalyzer::Update(const Var& var, const ConstIntBound& info, bool allow_override) {
  impl_->Update(var, MakeBound(info->min_value, info->max_value), allow_override);
}

void ConstIntBoundAnalyzer::Bind(const Var& var, const Range& range, bool allow_override) {
  impl_->Bind(var, range, allow_override);
}

bool ConstIntBoundAnalyzer::IsBound(const Var& var) const { return impl_->IsBound(var); }

std::function<void()> ConstIntBoundAnalyzer::EnterConstraint(const PrimExpr& constraint) {
  return impl_->EnterConstraint(constraint);
}

TVM_REGISTER_GLOBAL("arith.ConstIntBound").set_body_typed([](int64_t min_value, int64_t max_value) {
  return ConstIntBound(min_value, max_value);
});

}  // namespace arith
}  // namespace tvm
