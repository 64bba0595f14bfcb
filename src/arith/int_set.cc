/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Interval sets and their evaluation over expressions.
//
// EvalSet walks an expression with an interval for each relaxed variable and
// combines the intervals of the operands node by node, keeping the ends
// symbolic: [a0, a1] + [b0, b1] = [a0 + b0, a1 + b1], a product or quotient
// by a value of known sign scales (and for a negative one swaps) the ends,
// a remainder by a positive c lies in [0, c - 1] unless the dividend stays
// in one block. Variables not in the map stay as they are (a single point).
// The ends are simplified once at the end, with the analyzer's knowledge
// (bound loop variables, constraints), so that
//
//   EvalSet(i_o * 4 + i_i, {i_o: [0, floordiv(n, 4) - 1], i_i: [0, 3]})
//
// is [0, floordiv(n, 4) * 4 - 1].
#include <tvm/arith/int_set.h>
#include <tvm/ir/repr_printer.h>
#include <tvm/runtime/registry.h>
#include <tvm/tir/builtin.h>
#include <tvm/tir/expr_functor.h>
#include <tvm/tir/op.h>
#include <tvm/tir/stmt_functor.h>

#include <algorithm>

#include "constraint_extract.h"
#include "expr_equal.h"
#include "int_operator.h"
#include "interval_set.h"

namespace tvm {
namespace arith {

using namespace tir;  // NOLINT(build/namespaces)

TVM_REGISTER_NODE_TYPE(IntervalSetNode);

// ---------------------------------------------------------------------------
// Infinities

PrimExpr pos_inf() {
  static const PrimExpr value = Var("pos_inf", DataType::Handle());
  return value;
}

PrimExpr neg_inf() {
  static const PrimExpr value = Var("neg_inf", DataType::Handle());
  return value;
}

bool is_pos_inf(const PrimExpr& value) { return value.same_as(pos_inf()); }
bool is_neg_inf(const PrimExpr& value) { return value.same_as(neg_inf()); }

// ---------------------------------------------------------------------------
// IntervalSet

IntervalSet::IntervalSet(PrimExpr min_value, PrimExpr max_value) {
  auto n = make_object<IntervalSetNode>();
  n->min_value = std::move(min_value);
  n->max_value = std::move(max_value);
  data_ = std::move(n);
}

bool IntervalSetNode::IsSinglePoint() const {
  if (min_value.same_as(max_value)) return !is_pos_inf(min_value) && !is_neg_inf(min_value);
  if (IsEmpty() || is_neg_inf(min_value) || is_pos_inf(max_value)) return false;
  return ExprDeepEqual(min_value, max_value);
}

IntervalSet ToIntervalSet(const IntSet& set) {
  if (const auto* n = set.as<IntervalSetNode>()) return GetRef<IntervalSet>(n);
  TVM_CHECK(!set.defined(), "TypeError") << "IntSet: unsupported set kind " << set->GetTypeKey();
  return IntervalSet::Everything();
}

namespace {

bool IsConstInt(const PrimExpr& e, int64_t* value) {
  if (const auto* imm = e.as<IntImmNode>()) {
    *value = imm->value;
    return true;
  }
  return false;
}

/*! \brief Whether e mentions a variable of dom_map. */
bool UsesRelaxedVar(const PrimExpr& e, const std::unordered_map<const VarNode*, IntSet>& dom_map) {
  if (dom_map.empty()) return false;
  bool found = false;
  PostOrderVisit(e, [&](const ObjectRef& node) {
    if (found) return;
    if (const auto* v = node.as<VarNode>()) {
      if (dom_map.count(v)) found = true;
    }
  });
  return found;
}

/*! \brief Combines operand intervals; every operation over-approximates. */
class IntervalEvaluator : public ExprFunctor<IntervalSet(const PrimExpr&)> {
 public:
  IntervalEvaluator(Analyzer* analyzer, const std::unordered_map<const VarNode*, IntSet>& dom_map)
      : analyzer_(analyzer), dom_map_(dom_map) {}

  IntervalSet Eval(const PrimExpr& e) { return VisitExpr(e); }

  IntervalSet VisitExpr_(const IntImmNode* op) final { return IntervalSet::SinglePoint(GetRef<PrimExpr>(op)); }
  IntervalSet VisitExpr_(const FloatImmNode* op) final { return IntervalSet::SinglePoint(GetRef<PrimExpr>(op)); }

  IntervalSet VisitExpr_(const VarNode* op) final {
    auto it = dom_map_.find(op);
    if (it != dom_map_.end()) return ToIntervalSet(it->second);
    auto local = let_map_.find(op);
    if (local != let_map_.end()) return local->second;
    return IntervalSet::SinglePoint(GetRef<PrimExpr>(op));
  }
  IntervalSet VisitExpr_(const SizeVarNode* op) final { return VisitExpr_(static_cast<const VarNode*>(op)); }

  IntervalSet VisitExpr_(const AddNode* op) final {
    IntervalSet a = Eval(op->a), b = Eval(op->b);
    if (a->IsEmpty() || b->IsEmpty()) return IntervalSet::Empty();
    if (Point(a) && Point(b)) return IntervalSet::SinglePoint(add(a->min_value, b->min_value));
    PrimExpr lo = a->HasLowerBound() && b->HasLowerBound() ? add(a->min_value, b->min_value) : neg_inf();
    PrimExpr hi = a->HasUpperBound() && b->HasUpperBound() ? add(a->max_value, b->max_value) : pos_inf();
    return IntervalSet(lo, hi);
  }

  IntervalSet VisitExpr_(const SubNode* op) final {
    IntervalSet a = Eval(op->a), b = Eval(op->b);
    if (a->IsEmpty() || b->IsEmpty()) return IntervalSet::Empty();
    if (Point(a) && Point(b)) return IntervalSet::SinglePoint(sub(a->min_value, b->min_value));
    PrimExpr lo = a->HasLowerBound() && b->HasUpperBound() ? sub(a->min_value, b->max_value) : neg_inf();
    PrimExpr hi = a->HasUpperBound() && b->HasLowerBound() ? sub(a->max_value, b->min_value) : pos_inf();
    return IntervalSet(lo, hi);
  }

  IntervalSet VisitExpr_(const MulNode* op) final {
    IntervalSet a = Eval(op->a), b = Eval(op->b);
    if (a->IsEmpty() || b->IsEmpty()) return IntervalSet::Empty();
    if (Point(a) && Point(b)) return IntervalSet::SinglePoint(mul(a->min_value, b->min_value));
    if (Point(a)) std::swap(a, b);
    if (Point(b)) return Scale(a, b->min_value);
    // Two intervals: corners when every end is constant, or both non-negative.
    int64_t a0, a1, b0, b1;
    if (IsConstInt(a->min_value, &a0) && IsConstInt(a->max_value, &a1) && IsConstInt(b->min_value, &b0) &&
        IsConstInt(b->max_value, &b1)) {
      int64_t v[4] = {BoundMul(a0, b0), BoundMul(a0, b1), BoundMul(a1, b0), BoundMul(a1, b1)};
      DataType t = op->dtype;
      return IntervalSet(make_const(t, *std::min_element(v, v + 4)), make_const(t, *std::max_element(v, v + 4)));
    }
    if (a->HasLowerBound() && b->HasLowerBound() && analyzer_->CanProveGreaterEqual(a->min_value, 0) &&
        analyzer_->CanProveGreaterEqual(b->min_value, 0)) {
      PrimExpr hi = a->HasUpperBound() && b->HasUpperBound() ? mul(a->max_value, b->max_value) : pos_inf();
      return IntervalSet(mul(a->min_value, b->min_value), hi);
    }
    return IntervalSet::Everything();
  }

  IntervalSet VisitExpr_(const DivNode* op) final {
    // A float division is not an integer set's business (and truncdiv refuses floats).
    if (!op->dtype.is_int() && !op->dtype.is_uint()) return IntervalSet::Everything();
    return Divide(op, false);
  }
  IntervalSet VisitExpr_(const FloorDivNode* op) final { return Divide(op, true); }
  IntervalSet VisitExpr_(const ModNode* op) final { return Remainder(op, false); }
  IntervalSet VisitExpr_(const FloorModNode* op) final { return Remainder(op, true); }

  IntervalSet VisitExpr_(const MinNode* op) final {
    IntervalSet a = Eval(op->a), b = Eval(op->b);
    if (a->IsEmpty() || b->IsEmpty()) return IntervalSet::Empty();
    if (Point(a) && Point(b)) return IntervalSet::SinglePoint(min(a->min_value, b->min_value));
    PrimExpr lo = a->HasLowerBound() && b->HasLowerBound() ? min(a->min_value, b->min_value) : neg_inf();
    PrimExpr hi = !a->HasUpperBound() ? b->max_value : (!b->HasUpperBound() ? a->max_value : min(a->max_value, b->max_value));
    return IntervalSet(lo, hi);
  }

  IntervalSet VisitExpr_(const MaxNode* op) final {
    IntervalSet a = Eval(op->a), b = Eval(op->b);
    if (a->IsEmpty() || b->IsEmpty()) return IntervalSet::Empty();
    if (Point(a) && Point(b)) return IntervalSet::SinglePoint(max(a->min_value, b->min_value));
    PrimExpr lo = !a->HasLowerBound() ? b->min_value : (!b->HasLowerBound() ? a->min_value : max(a->min_value, b->min_value));
    PrimExpr hi = a->HasUpperBound() && b->HasUpperBound() ? max(a->max_value, b->max_value) : pos_inf();
    return IntervalSet(lo, hi);
  }

  IntervalSet VisitExpr_(const SelectNode* op) final {
    if (!UsesRelaxedVar(GetRef<PrimExpr>(op), dom_map_) && let_map_.empty()) {
      return IntervalSet::SinglePoint(GetRef<PrimExpr>(op));
    }
    return Hull(Eval(op->true_value), Eval(op->false_value));
  }

  IntervalSet VisitExpr_(const CastNode* op) final {
    IntervalSet a = Eval(op->value);
    if (a->IsEmpty()) return a;
    if (Point(a)) return IntervalSet::SinglePoint(cast(op->dtype, a->min_value));
    if (a->HasLowerBound() && a->HasUpperBound()) {
      return IntervalSet(cast(op->dtype, a->min_value), cast(op->dtype, a->max_value));
    }
    return IntervalSet::Everything();
  }

  IntervalSet VisitExpr_(const LetNode* op) final {
    IntervalSet value = Eval(op->value);
    let_map_[op->var.get()] = value;
    IntervalSet body = Eval(op->body);
    let_map_.erase(op->var.get());
    return body;
  }

  IntervalSet VisitExpr_(const RampNode* op) final {
    IntervalSet base = Eval(op->base), stride = Eval(op->stride);
    if (!Point(stride)) return IntervalSet::Everything();
    DataType t = op->base.dtype();
    IntervalSet offsets = Scale(IntervalSet(make_zero(t), make_const(t, op->lanes - 1)), stride->min_value);
    if (base->IsEmpty() || offsets->IsEmpty()) return IntervalSet::Empty();
    PrimExpr lo = base->HasLowerBound() && offsets->HasLowerBound() ? add(base->min_value, offsets->min_value) : neg_inf();
    PrimExpr hi = base->HasUpperBound() && offsets->HasUpperBound() ? add(base->max_value, offsets->max_value) : pos_inf();
    return IntervalSet(lo, hi);
  }

  IntervalSet VisitExpr_(const BroadcastNode* op) final { return Eval(op->value); }

  IntervalSet VisitExpr_(const CallNode* op) final {
    if (op->op.same_as(builtin::likely()) && op->args.size() == 1) return Eval(op->args[0]);
    if (op->op.same_as(builtin::if_then_else()) && op->args.size() == 3 &&
        (UsesRelaxedVar(GetRef<PrimExpr>(op), dom_map_) || !let_map_.empty())) {
      return Hull(Eval(op->args[1]), Eval(op->args[2]));
    }
    return Default(op);
  }

  IntervalSet VisitExprDefault_(const Object* op) final { return Default(op); }

 private:
  static bool Point(const IntervalSet& s) { return s->min_value.same_as(s->max_value) || s->IsSinglePoint(); }

  IntervalSet Default(const Object* op) {
    PrimExpr e = GetRef<PrimExpr>(static_cast<const PrimExprNode*>(op));
    if (!UsesRelaxedVar(e, dom_map_) && let_map_.empty()) return IntervalSet::SinglePoint(e);
    return IntervalSet::Everything();
  }

  static IntervalSet Hull(const IntervalSet& a, const IntervalSet& b) {
    if (a->IsEmpty()) return b;
    if (b->IsEmpty()) return a;
    PrimExpr lo = a->HasLowerBound() && b->HasLowerBound() ? min(a->min_value, b->min_value) : neg_inf();
    PrimExpr hi = a->HasUpperBound() && b->HasUpperBound() ? max(a->max_value, b->max_value) : pos_inf();
    return IntervalSet(lo, hi);
  }

  /*! \brief 1 when c >= 0 is known, -1 when c <= 0, 0 when unknown. */
  int SignOf(const PrimExpr& c) {
    int64_t v;
    if (IsConstInt(c, &v)) return v >= 0 ? 1 : -1;
    if (analyzer_->CanProveGreaterEqual(c, 0)) return 1;
    if (analyzer_->CanProveLess(c, 1)) return -1;
    return 0;
  }

  /*! \brief a * c for a single value c. */
  IntervalSet Scale(const IntervalSet& a, const PrimExpr& c) {
    if (is_zero(c)) return IntervalSet::SinglePoint(c);
    int sign = SignOf(c);
    if (sign > 0) {
      PrimExpr lo = a->HasLowerBound() ? mul(a->min_value, c) : neg_inf();
      PrimExpr hi = a->HasUpperBound() ? mul(a->max_value, c) : pos_inf();
      return IntervalSet(lo, hi);
    }
    if (sign < 0) {
      PrimExpr lo = a->HasUpperBound() ? mul(a->max_value, c) : neg_inf();
      PrimExpr hi = a->HasLowerBound() ? mul(a->min_value, c) : pos_inf();
      return IntervalSet(lo, hi);
    }
    return IntervalSet::Everything();
  }

  template <typename Node>
  IntervalSet Divide(const Node* op, bool floor_mode) {
    IntervalSet a = Eval(op->a), b = Eval(op->b);
    if (a->IsEmpty() || b->IsEmpty()) return IntervalSet::Empty();
    auto divide = [floor_mode](const PrimExpr& x, const PrimExpr& y) {
      return floor_mode ? floordiv(x, y) : truncdiv(x, y);
    };
    if (Point(b)) {
      const PrimExpr& c = b->min_value;
      if (is_zero(c)) return IntervalSet::Everything();
      if (Point(a)) return IntervalSet::SinglePoint(divide(a->min_value, c));
      int64_t v;
      bool positive = (IsConstInt(c, &v) && v > 0) || (!IsConstInt(c, &v) && analyzer_->CanProveGreaterEqual(c, 1));
      bool negative = IsConstInt(c, &v) && v < 0;
      if (positive) {
        PrimExpr lo = a->HasLowerBound() ? divide(a->min_value, c) : neg_inf();
        PrimExpr hi = a->HasUpperBound() ? divide(a->max_value, c) : pos_inf();
        return IntervalSet(lo, hi);
      }
      if (negative) {
        PrimExpr lo = a->HasUpperBound() ? divide(a->max_value, c) : neg_inf();
        PrimExpr hi = a->HasLowerBound() ? divide(a->min_value, c) : pos_inf();
        return IntervalSet(lo, hi);
      }
      return IntervalSet::Everything();
    }
    // A constant interval divisor of one sign: the corners.
    int64_t a0, a1, b0, b1;
    if (IsConstInt(a->min_value, &a0) && IsConstInt(a->max_value, &a1) && IsConstInt(b->min_value, &b0) &&
        IsConstInt(b->max_value, &b1) && (b0 > 0 || b1 < 0)) {
      auto d = [floor_mode](int64_t x, int64_t y) { return floor_mode ? FloorDivInt(x, y) : x / y; };
      int64_t v[4] = {d(a0, b0), d(a0, b1), d(a1, b0), d(a1, b1)};
      DataType t = op->dtype;
      return IntervalSet(make_const(t, *std::min_element(v, v + 4)), make_const(t, *std::max_element(v, v + 4)));
    }
    return IntervalSet::Everything();
  }

  template <typename Node>
  IntervalSet Remainder(const Node* op, bool floor_mode) {
    IntervalSet a = Eval(op->a), b = Eval(op->b);
    if (a->IsEmpty() || b->IsEmpty()) return IntervalSet::Empty();
    DataType t = op->dtype;
    if (!Point(b)) return IntervalSet::Everything();
    const PrimExpr& c = b->min_value;
    if (is_zero(c)) return IntervalSet::Everything();
    if (Point(a)) {
      return IntervalSet::SinglePoint(floor_mode ? floormod(a->min_value, c) : truncmod(a->min_value, c));
    }
    int64_t cv;
    bool const_divisor = IsConstInt(c, &cv);
    bool positive = (const_divisor && cv > 0) || (!const_divisor && analyzer_->CanProveGreaterEqual(c, 1));
    if (!positive) return IntervalSet::Everything();
    bool non_negative = a->HasLowerBound() && analyzer_->CanProveGreaterEqual(a->min_value, 0);
    if (floor_mode || non_negative) {
      int64_t a0, a1;
      if (const_divisor && IsConstInt(a->min_value, &a0) && IsConstInt(a->max_value, &a1) &&
          FloorDivInt(a0, cv) == FloorDivInt(a1, cv)) {
        return IntervalSet(make_const(t, FloorModInt(a0, cv)), make_const(t, FloorModInt(a1, cv)));
      }
      // Symbolic ends in one period of c: a minus that period's start,
      // e.g. [n * 128 + 32, n * 128 + 63] mod 128 is [32, 63].
      if (const_divisor && a->HasLowerBound() && a->HasUpperBound()) {
        auto quotient = [&](const PrimExpr& e) { return floor_mode ? floordiv(e, c) : truncdiv(e, c); };
        PrimExpr q = quotient(a->min_value);
        if (analyzer_->CanProve(quotient(a->max_value) == q)) {
          PrimExpr start = mul(q, c);
          return IntervalSet(analyzer_->Simplify(sub(a->min_value, start)),
                             analyzer_->Simplify(sub(a->max_value, start)));
        }
      }
      // The dividend already lies in [0, c).
      if (non_negative && a->HasUpperBound() && analyzer_->CanProve(a->max_value < c)) return a;
      // A symbolic interval of constant width inside one block of c (its lower end's residue
      // modulo gcd(coeff, c) is known): both ends lose the same multiple of c.
      if (floor_mode && const_divisor && a->HasLowerBound() && a->HasUpperBound()) {
        int64_t span;
        if (IsConstInt(analyzer_->Simplify(sub(a->max_value, a->min_value)), &span) && span >= 0 && span < cv) {
          ModularSet m = analyzer_->modular_set(a->min_value);
          int64_t g = m->coeff == 0 ? cv : GCD(m->coeff, cv);
          if (FloorModInt(m->base, g) + span < g) {
            PrimExpr q = mul(c, floordiv(a->min_value, c));
            return IntervalSet(sub(a->min_value, q), sub(a->max_value, q));
          }
        }
      }
      return IntervalSet(make_zero(t), sub(c, make_const(t, 1)));
    }
    PrimExpr limit = sub(c, make_const(t, 1));
    if (a->HasUpperBound() && analyzer_->CanProveLess(a->max_value, 1)) return IntervalSet(neg(limit), make_zero(t));
    return IntervalSet(neg(limit), limit);
  }

  Analyzer* analyzer_;
  const std::unordered_map<const VarNode*, IntSet>& dom_map_;
  std::unordered_map<const VarNode*, IntervalSet> let_map_;
};

PrimExpr SimplifyEnd(Analyzer* analyzer, const PrimExpr& e) {
  if (is_pos_inf(e) || is_neg_inf(e) || e.as<IntImmNode>()) return e;
  return analyzer->Simplify(e);
}

IntervalSet SimplifyEnds(Analyzer* analyzer, const IntervalSet& s) {
  if (s->IsEmpty() || s->IsEverything()) return s;
  if (s->min_value.same_as(s->max_value)) return IntervalSet::SinglePoint(SimplifyEnd(analyzer, s->min_value));
  return IntervalSet(SimplifyEnd(analyzer, s->min_value), SimplifyEnd(analyzer, s->max_value));
}

std::unordered_map<const VarNode*, IntSet> ToVarNodeMap(const Map<Var, IntSet>& dom_map) {
  std::unordered_map<const VarNode*, IntSet> out;
  for (const auto& kv : dom_map) out[kv.first.get()] = kv.second;
  return out;
}

}  // namespace

IntervalSet EvalInterval(Analyzer* analyzer, const PrimExpr& e,
                         const std::unordered_map<const VarNode*, IntSet>& dom_map) {
  IntervalEvaluator evaluator(analyzer, dom_map);
  return SimplifyEnds(analyzer, evaluator.Eval(e));
}

// ---------------------------------------------------------------------------
// IntSet methods

namespace {
const IntervalSetNode* AsInterval(const IntSet& s) {
  const auto* n = s.as<IntervalSetNode>();
  TVM_CHECK(n != nullptr, "ValueError") << "IntSet: expected an interval set, got "
                                        << (s.defined() ? s->GetTypeKey() : std::string("None"));
  return n;
}
}  // namespace

Range IntSet::CoverRange(Range max_range) const {
  const IntervalSetNode* s = AsInterval(*this);
  if (s->IsSinglePoint()) return Range::FromMinExtent(s->min_value, make_const(s->min_value.dtype(), 1));
  if (s->HasLowerBound() && s->HasUpperBound()) {
    Analyzer analyzer;
    PrimExpr extent = analyzer.Simplify(s->max_value + 1 - s->min_value);
    return Range::FromMinExtent(s->min_value, extent);
  }
  return max_range;
}

PrimExpr IntSet::min() const { return AsInterval(*this)->min_value; }
PrimExpr IntSet::max() const { return AsInterval(*this)->max_value; }

bool IntSet::IsNothing() const { return AsInterval(*this)->IsEmpty(); }
bool IntSet::IsEverything() const { return AsInterval(*this)->IsEverything(); }
bool IntSet::IsSinglePoint() const { return AsInterval(*this)->IsSinglePoint(); }
bool IntSet::HasUpperBound() const { return AsInterval(*this)->HasUpperBound(); }
bool IntSet::HasLowerBound() const { return AsInterval(*this)->HasLowerBound(); }

bool IntSet::CanProvePositive() const {
  const IntervalSetNode* s = AsInterval(*this);
  Analyzer analyzer;
  return s->HasLowerBound() && analyzer.CanProveGreaterEqual(s->min_value, 1);
}

bool IntSet::CanProveNegative() const {
  const IntervalSetNode* s = AsInterval(*this);
  Analyzer analyzer;
  return s->HasUpperBound() && analyzer.CanProveLess(s->max_value, 0);
}

bool IntSet::CanProveNonPositive() const {
  const IntervalSetNode* s = AsInterval(*this);
  Analyzer analyzer;
  return s->HasUpperBound() && analyzer.CanProveLess(s->max_value, 1);
}

bool IntSet::CanProveNonNegative() const {
  const IntervalSetNode* s = AsInterval(*this);
  Analyzer analyzer;
  return s->HasLowerBound() && analyzer.CanProveGreaterEqual(s->min_value, 0);
}

SignType IntSet::GetSignType() const {
  if (CanProvePositive()) return kPositive;
  if (CanProveNegative()) return kNegative;
  if (IsSinglePoint() && is_zero(min())) return kZero;
  return kUnknown;
}

bool IntSet::MatchRange(const Range& r) const {
  const IntervalSetNode* s = AsInterval(*this);
  if (!s->HasLowerBound() || !s->HasUpperBound()) return false;
  Analyzer analyzer;
  return analyzer.CanProveEqual(s->min_value, r->min) &&
         analyzer.CanProveEqual(s->max_value, r->min + r->extent - 1);
}

PrimExpr IntSet::PointValue() const {
  const IntervalSetNode* s = AsInterval(*this);
  ICHECK(s->IsSinglePoint()) << "PointValue of a set that is not a single point";
  return s->min_value;
}

IntSet IntSet::Nothing() { return IntervalSet::Empty(); }
IntSet IntSet::Everything() { return IntervalSet::Everything(); }
IntSet IntSet::SinglePoint(PrimExpr point) { return IntervalSet::SinglePoint(std::move(point)); }

IntSet IntSet::Vector(PrimExpr vec) {
  if (vec.as<RampNode>() || vec.as<BroadcastNode>()) {
    Analyzer analyzer;
    std::unordered_map<const VarNode*, IntSet> none;
    return EvalInterval(&analyzer, vec, none);
  }
  return IntervalSet::SinglePoint(std::move(vec));
}

IntSet IntSet::FromMinExtent(PrimExpr min, PrimExpr extent) {
  if (is_one(extent)) return IntervalSet::SinglePoint(min);
  return IntervalSet(min, add(min, sub(extent, make_const(extent.dtype(), 1))));
}

IntSet IntSet::FromRange(Range r) { return FromMinExtent(r->min, r->extent); }

IntSet IntSet::Interval(PrimExpr min, PrimExpr max) {
  if (min.same_as(max)) return IntervalSet::SinglePoint(min);
  return IntervalSet(std::move(min), std::move(max));
}

// ---------------------------------------------------------------------------
// Evaluation

Map<Var, IntSet> ConvertDomMap(const Map<IterVar, IntSet>& dom_map) {
  Map<Var, IntSet> out;
  for (const auto& kv : dom_map) out.Set(kv.first->var, kv.second);
  return out;
}

std::unordered_map<const VarNode*, IntSet> ConvertDomMap(
    const std::unordered_map<const IterVarNode*, IntSet>& dom_map) {
  std::unordered_map<const VarNode*, IntSet> out;
  for (const auto& kv : dom_map) out[kv.first->var.get()] = kv.second;
  return out;
}

IntSet EvalSet(PrimExpr e, const std::unordered_map<const VarNode*, IntSet>& dom_map) {
  Analyzer analyzer;
  return EvalInterval(&analyzer, e, dom_map);
}

IntSet EvalSet(PrimExpr e, const Map<Var, IntSet>& dom_map) { return EvalSet(e, ToVarNodeMap(dom_map)); }

IntSet EvalSet(PrimExpr e, const Map<IterVar, IntSet>& dom_map) { return EvalSet(e, ConvertDomMap(dom_map)); }

IntSet EvalSet(IntSet s, const std::unordered_map<const VarNode*, IntSet>& dom_map) {
  const IntervalSetNode* n = AsInterval(s);
  if (n->IsEmpty() || n->IsEverything()) return s;
  Analyzer analyzer;
  IntervalSet lo = n->HasLowerBound() ? EvalInterval(&analyzer, n->min_value, dom_map) : IntervalSet::Everything();
  IntervalSet hi = n->HasUpperBound() ? EvalInterval(&analyzer, n->max_value, dom_map) : IntervalSet::Everything();
  return IntervalSet(lo->min_value, hi->max_value);
}

IntSet EvalSet(Range r, const std::unordered_map<const VarNode*, IntSet>& dom_map) {
  Analyzer analyzer;
  PrimExpr last = analyzer.Simplify(r->min + r->extent - 1);
  return EvalSet(IntervalSet(r->min, last), dom_map);
}

IntSet EvalSet(Range r, const Map<IterVar, IntSet>& dom_map) {
  return EvalSet(r, ToVarNodeMap(ConvertDomMap(dom_map)));
}

Array<IntSet> EvalSet(const Array<Range>& region, const Map<Var, IntSet>& dom_map) {
  auto map = ToVarNodeMap(dom_map);
  Array<IntSet> out;
  for (const Range& r : region) out.push_back(EvalSet(r, map));
  return out;
}

ExprIntSetMap EvalSetForEachSubExpr(PrimExpr e, const std::unordered_map<const IterVarNode*, IntSet>& dom_map) {
  auto map = ConvertDomMap(dom_map);
  Analyzer analyzer;
  ExprIntSetMap out;
  PostOrderVisit(e, [&](const ObjectRef& node) {
    if (const auto* p = node.as<PrimExprNode>()) {
      PrimExpr sub_expr = GetRef<PrimExpr>(p);
      if (!out.count(sub_expr)) out[sub_expr] = EvalInterval(&analyzer, sub_expr, map);
    }
  });
  return out;
}

// ---------------------------------------------------------------------------
// Union and intersection

IntSet Union(const Array<IntSet>& sets) {
  if (sets.empty()) return IntSet::Nothing();
  if (sets.size() == 1) return sets[0];
  Analyzer analyzer;
  PrimExpr lo, hi;
  bool any = false, lo_inf = false, hi_inf = false;
  for (const IntSet& s : sets) {
    const IntervalSetNode* n = AsInterval(s);
    if (n->IsEmpty()) continue;
    if (!n->HasLowerBound()) lo_inf = true;
    if (!n->HasUpperBound()) hi_inf = true;
    if (!any) {
      lo = n->min_value;
      hi = n->max_value;
      any = true;
      continue;
    }
    if (!lo_inf) lo = min(lo, n->min_value);
    if (!hi_inf) hi = max(hi, n->max_value);
  }
  if (!any) return IntSet::Nothing();
  return IntervalSet(lo_inf ? neg_inf() : analyzer.Simplify(lo), hi_inf ? pos_inf() : analyzer.Simplify(hi));
}

IntSet Intersect(const Array<IntSet>& sets) {
  if (sets.empty()) return IntSet::Nothing();
  if (sets.size() == 1) return sets[0];
  Analyzer analyzer;
  PrimExpr lo = neg_inf(), hi = pos_inf();
  for (const IntSet& s : sets) {
    const IntervalSetNode* n = AsInterval(s);
    if (n->IsEmpty()) return IntSet::Nothing();
    if (n->HasLowerBound()) lo = is_neg_inf(lo) ? n->min_value : max(lo, n->min_value);
    if (n->HasUpperBound()) hi = is_pos_inf(hi) ? n->max_value : min(hi, n->max_value);
  }
  if (!is_neg_inf(lo)) lo = analyzer.Simplify(lo);
  if (!is_pos_inf(hi)) hi = analyzer.Simplify(hi);
  if (!is_neg_inf(lo) && !is_pos_inf(hi) && analyzer.CanProve(hi < lo)) return IntSet::Nothing();
  return IntervalSet(lo, hi);
}

Array<IntSet> UnionRegion(const Array<Array<IntSet>>& nd_int_sets) {
  if (nd_int_sets.empty()) return {};
  size_t ndim = nd_int_sets[0].size();
  Array<IntSet> out;
  for (size_t i = 0; i < ndim; ++i) {
    Array<IntSet> column;
    for (const auto& region : nd_int_sets) {
      TVM_CHECK(region.size() == ndim, "ValueError") << "UnionRegion: regions have different ranks";
      column.push_back(region[i]);
    }
    out.push_back(Union(column));
  }
  return out;
}

IntSet UnionLowerBound(const Array<IntSet>& sets) {
  if (sets.empty()) return IntSet::Nothing();
  if (sets.size() == 1) return sets[0];
  // Grow the first interval by every later one that overlaps or touches it;
  // what cannot be joined without including values outside the sets is left out.
  Analyzer analyzer;
  PrimExpr lo, hi;
  bool started = false;
  for (const IntSet& s : sets) {
    const IntervalSetNode* n = AsInterval(s);
    if (n->IsEmpty()) continue;
    if (!started) {
      lo = n->min_value;
      hi = n->max_value;
      started = true;
      continue;
    }
    bool joins_above = !n->HasLowerBound() || is_pos_inf(hi) || analyzer.CanProve(n->min_value <= hi + 1);
    bool joins_below = is_neg_inf(lo) || !n->HasUpperBound() || analyzer.CanProve(lo <= n->max_value + 1);
    if (joins_above && joins_below) {
      lo = (is_neg_inf(lo) || !n->HasLowerBound()) ? neg_inf() : analyzer.Simplify(min(lo, n->min_value));
      hi = (is_pos_inf(hi) || !n->HasUpperBound()) ? pos_inf() : analyzer.Simplify(max(hi, n->max_value));
    }
  }
  if (!started) return IntSet::Nothing();
  return IntervalSet(lo, hi);
}

Array<IntSet> UnionRegionLowerBound(const Array<Array<IntSet>>& nd_int_sets) {
  if (nd_int_sets.empty()) return {};
  size_t ndim = nd_int_sets[0].size();
  Array<IntSet> out;
  for (size_t i = 0; i < ndim; ++i) {
    Array<IntSet> column;
    for (const auto& region : nd_int_sets) column.push_back(region[i]);
    out.push_back(UnionLowerBound(column));
  }
  return out;
}

// ---------------------------------------------------------------------------
// The analyzer's view: bound variables and constraints

class IntSetAnalyzer::Impl {
 public:
  explicit Impl(Analyzer* parent) : analyzer_(parent) {}

  IntSet Eval(const PrimExpr& expr, const Map<Var, IntSet>& dom_map) {
    if (dom_map.empty()) return EvalInterval(analyzer_, expr, dom_map_);
    std::unordered_map<const VarNode*, IntSet> merged = dom_map_;
    for (const auto& kv : dom_map) merged[kv.first.get()] = kv.second;
    return EvalInterval(analyzer_, expr, merged);
  }

  IntSet Eval(const PrimExpr& expr) { return EvalInterval(analyzer_, expr, dom_map_); }

  void Update(const Var& var, const IntSet& info, bool allow_override) {
    auto it = dom_map_.find(var.get());
    if (it != dom_map_.end() && !allow_override) {
      const IntervalSetNode* old = AsInterval(it->second);
      const IntervalSetNode* now = AsInterval(info);
      bool same = SameEnd(old->min_value, now->min_value) && SameEnd(old->max_value, now->max_value);
      TVM_CHECK(same, "ValueError") << "int_set: variable " << var->name_hint << " is already bound to ["
                                    << old->min_value << ", " << old->max_value << "] and cannot be rebound to ["
                                    << now->min_value << ", " << now->max_value << "]";
    }
    keep_alive_.push_back(var);
    dom_map_[var.get()] = info;
  }

  void Bind(const Var& var, const Range& range, bool allow_override) {
    Update(var, IntSet::FromRange(range), allow_override);
  }

  std::function<void()> EnterConstraint(const PrimExpr& constraint) {
    std::vector<std::pair<Var, std::optional<IntSet>>> saved;
    for (const PrimExpr& atom : ExtractConstraints(constraint)) {
      Var var;
      PrimExpr lo, hi;
      if (!MatchVarBound(atom, &var, &lo, &hi)) continue;
      auto it = dom_map_.find(var.get());
      std::optional<IntSet> old;
      if (it != dom_map_.end()) old = it->second;
      saved.emplace_back(var, old);
      IntSet bound = IntervalSet(lo.defined() ? lo : neg_inf(), hi.defined() ? hi : pos_inf());
      dom_map_[var.get()] = old.has_value() ? Intersect({*old, bound}) : bound;
      keep_alive_.push_back(var);
    }
    if (saved.empty()) return nullptr;
    return [this, saved]() {
      for (auto it = saved.rbegin(); it != saved.rend(); ++it) {
        if (it->second.has_value()) {
          dom_map_[it->first.get()] = *it->second;
        } else {
          dom_map_.erase(it->first.get());
        }
      }
    };
  }

 private:
  static bool SameEnd(const PrimExpr& a, const PrimExpr& b) {
    if (is_pos_inf(a) || is_neg_inf(a) || is_pos_inf(b) || is_neg_inf(b)) return a.same_as(b);
    return ExprDeepEqual(a, b);
  }

  /*! \brief var < e, var <= e, e < var, e <= var or var == e, as inclusive bounds of var. */
  static bool MatchVarBound(const PrimExpr& atom, Var* var, PrimExpr* lo, PrimExpr* hi) {
    auto one = [](const PrimExpr& e) { return make_const(e.dtype(), 1); };
    PrimExpr a, b;
    int kind;  // 0: a < b, 1: a <= b, 2: a == b
    if (const auto* n = atom.as<LTNode>()) {
      a = n->a, b = n->b, kind = 0;
    } else if (const auto* n = atom.as<LENode>()) {
      a = n->a, b = n->b, kind = 1;
    } else if (const auto* n = atom.as<GTNode>()) {
      a = n->b, b = n->a, kind = 0;
    } else if (const auto* n = atom.as<GENode>()) {
      a = n->b, b = n->a, kind = 1;
    } else if (const auto* n = atom.as<EQNode>()) {
      a = n->a, b = n->b, kind = 2;
    } else {
      return false;
    }
    if (!(a.dtype().is_int() || a.dtype().is_uint()) || a.dtype().lanes() != 1) return false;
    if (const auto* v = a.as<VarNode>()) {
      *var = GetRef<Var>(v);
      if (kind == 0) *hi = sub(b, one(b));
      if (kind == 1) *hi = b;
      if (kind == 2) *lo = *hi = b;
      return true;
    }
    if (const auto* v = b.as<VarNode>()) {
      *var = GetRef<Var>(v);
      if (kind == 0) *lo = add(a, one(a));
      if (kind == 1) *lo = a;
      if (kind == 2) *lo = *hi = a;
      return true;
    }
    return false;
  }

  Analyzer* analyzer_;
  std::unordered_map<const VarNode*, IntSet> dom_map_;
  std::vector<Var> keep_alive_;
};

IntSetAnalyzer::IntSetAnalyzer(Analyzer* parent) : impl_(std::make_unique<Impl>(parent)) {}
IntSetAnalyzer::~IntSetAnalyzer() = default;

IntSet IntSetAnalyzer::operator()(const PrimExpr& expr, const Map<Var, IntSet>& dom_map) {
  TVM_CHECK(expr.defined(), "ValueError") << "int_set: the expression is undefined (None)";
  return impl_->Eval(expr, dom_map);
}

IntSet IntSetAnalyzer::operator()(const PrimExpr& expr) {
  TVM_CHECK(expr.defined(), "ValueError") << "int_set: the expression is undefined (None)";
  return impl_->Eval(expr);
}

void IntSetAnalyzer::Update(const Var& var, const IntSet& new_interval_set, bool allow_override) {
  impl_->Update(var, new_interval_set, allow_override);
}

void IntSetAnalyzer::Bind(const Var& var, const Range& new_range, bool allow_override) {
  impl_->Bind(var, new_range, allow_override);
}

std::function<void()> IntSetAnalyzer::EnterConstraint(const PrimExpr& constraint) {
  return impl_->EnterConstraint(constraint);
}

// ---------------------------------------------------------------------------
// Globals

TVM_REGISTER_GLOBAL("arith.IntervalSet").set_body_typed([](PrimExpr min_value, PrimExpr max_value) {
  return IntSet::Interval(min_value, max_value);
});
TVM_REGISTER_GLOBAL("arith.intset_single_point").set_body_typed([](PrimExpr point) {
  return IntSet::SinglePoint(point);
});
TVM_REGISTER_GLOBAL("arith.intset_vector").set_body_typed([](PrimExpr vec) { return IntSet::Vector(vec); });
TVM_REGISTER_GLOBAL("arith.intset_interval").set_body_typed([](PrimExpr min_value, PrimExpr max_value) {
  return IntSet::Interval(min_value, max_value);
});
TVM_REGISTER_GLOBAL("arith.IntSetIsNothing").set_body_typed([](IntSet set) { return set.IsNothing(); });
TVM_REGISTER_GLOBAL("arith.IntSetIsEverything").set_body_typed([](IntSet set) { return set.IsEverything(); });
TVM_REGISTER_GLOBAL("arith.IntSetIsSinglePoint").set_body_typed([](IntSet set) { return set.IsSinglePoint(); });
TVM_REGISTER_GLOBAL("arith.IntSetCoverRange").set_body_typed([](IntSet set, Range max_range) {
  return set.CoverRange(max_range);
});
TVM_REGISTER_GLOBAL("arith.IntSetMatchRange").set_body_typed([](IntSet set, Range r) { return set.MatchRange(r); });
TVM_REGISTER_GLOBAL("arith.IntSetFromRange").set_body_typed([](Range r) { return IntSet::FromRange(r); });
TVM_REGISTER_GLOBAL("arith.EvalSet").set_body_typed([](PrimExpr e, Map<Var, IntSet> dom_map) {
  return EvalSet(e, dom_map);
});
TVM_REGISTER_GLOBAL("arith.EvalSetRange").set_body_typed([](Range r, Map<Var, IntSet> dom_map) {
  return EvalSet(r, ToVarNodeMap(dom_map));
});
TVM_REGISTER_GLOBAL("arith.Union").set_body_typed([](Array<IntSet> sets) { return Union(sets); });
TVM_REGISTER_GLOBAL("arith.Intersect").set_body_typed([](Array<IntSet> sets) { return Intersect(sets); });
TVM_REGISTER_GLOBAL("arith.UnionLowerBound").set_body_typed([](Array<IntSet> sets) { return UnionLowerBound(sets); });
TVM_REGISTER_GLOBAL("arith.PosInf").set_body_typed([]() { return pos_inf(); });
TVM_REGISTER_GLOBAL("arith.NegInf").set_body_typed([]() { return neg_inf(); });

}  // namespace arith
}  // namespace tvm
