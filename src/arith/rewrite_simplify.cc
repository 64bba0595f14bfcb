/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// The rule-based simplifier: entry points, facts, and the rules of
// addition, subtraction, multiplication, casts, calls, let and select.
// Division and remainder rules are in rewrite_simplify_div.cc; min, max,
// comparisons and logic in rewrite_simplify_logic.cc.
//
// Normal form kept by the rules (integers):
//   - constants on the right and outermost: (x + y) + 3, x * 4, min(x, 8);
//   - subtracting a constant is adding its negation (signed types): x + -1;
//   - a > b and a >= b become b < a and b <= a.
// Floating-point expressions are only constant folded (x - x is not 0 for NaN).
#include <tvm/ir/repr_printer.h>
#include <cmath>
#include <tvm/runtime/registry.h>
#include <tvm/tir/builtin.h>
#include <tvm/tir/stmt_functor.h>

#include <algorithm>
#include <unordered_set>

#include "constraint_extract.h"
#include "rewrite_simplify.h"

namespace tvm {
namespace arith {

// ---------------------------------------------------------------------------
// Entry points and facts

namespace {
/*! \brief Saves and restores the recursion state, so that Simplify can nest. */
class RecursionGuard {
 public:
  explicit RecursionGuard(int* depth) : depth_(depth), saved_(*depth) {}
  ~RecursionGuard() { *depth_ = saved_; }

 private:
  int* depth_;
  int saved_;
};
}  // namespace

PrimExpr RewriteSimplifier::Impl::Simplify(const PrimExpr& e) {
  // Simplify nests when a constraint is entered during a simplification
  // (select branches); the inner call starts with a fresh depth.
  RecursionGuard guard(&recursion_depth_);
  if (recursion_depth_ == 0) rewrite_steps_ = 0;
  recursion_depth_ = 0;
  // The facts may have changed since the last top-level call (bounds updated by
  // the caller), so a top-level call starts with an empty memo and leaves none.
  if (simplify_nesting_ == 0) ClearMemo();
  struct NestingGuard {
    Impl* self;
    explicit NestingGuard(Impl* s) : self(s) { ++self->simplify_nesting_; }
    ~NestingGuard() {
      if (--self->simplify_nesting_ == 0) self->ClearMemo();
    }
  } nesting(this);
  return VisitExpr(e);
}

PrimExpr RewriteSimplifier::Impl::RecursiveRewrite(const PrimExpr& e) {
  if (recursion_depth_ >= kMaxRecursionDepth) return e;
  if (max_rewrite_steps_ > 0 && ++rewrite_steps_ > max_rewrite_steps_) return e;
  RecursionGuard guard(&recursion_depth_);
  ++recursion_depth_;
  return VisitExpr(e);
}

void RewriteSimplifier::Impl::Update(const Var& var, const PrimExpr& info, bool allow_override) {
  if (!allow_override) {
    auto it = var_map_.find(var);
    if (it != var_map_.end() && !ExprDeepEqual(it->second, info)) {
      TVM_CHECK(false, "ValueError") << "rewrite_simplify: variable " << var->name_hint << " is already bound to "
                                     << it->second << " and cannot be rebound to " << info;
    }
  }
  if (info.defined()) {
    var_map_[var] = info;
  } else {
    var_map_.erase(var);
  }
  ClearMemo();
}

std::function<void()> RewriteSimplifier::Impl::EnterConstraint(const PrimExpr& constraint) {
  // The other analyzers have already taken the constraint in: results memoised before are stale.
  ClearMemo();
  size_t old_size = literal_constraints_.size();
  for (const PrimExpr& atom : ExtractConstraints(constraint)) {
    PrimExpr simplified = Simplify(atom);
    if (simplified.as<IntImmNode>()) continue;
    PrimExpr negation = Simplify(NegateCondition(simplified));
    literal_constraints_.emplace_back(simplified, negation);
  }
  ClearMemo();
  // Always a recovery, even when nothing was recorded here: leaving the scope
  // changes the other analyzers' facts, and so what the memo may hold.
  return [this, old_size]() {
    ClearMemo();
    literal_constraints_.resize(old_size);
  };
}

std::optional<bool> RewriteSimplifier::Impl::MatchConstraint(const PrimExpr& cond) const {
  for (const auto& c : literal_constraints_) {
    if (ExprDeepEqual(c.first, cond)) return true;
    if (ExprDeepEqual(c.second, cond)) return false;
  }
  return std::nullopt;
}

RewriteSimplifier::Impl::Compare RewriteSimplifier::Impl::TryCompare(const PrimExpr& x, int64_t val) {
  if (const auto* imm = x.as<IntImmNode>()) {
    if (imm->value == val) return Compare::kEQ;
    return imm->value < val ? Compare::kLT : Compare::kGT;
  }
  if (!IsIndexType(x.dtype())) return Compare::kUnknown;
  Bounds b = BoundsOf(x);
  if (b.max_value < val) return Compare::kLT;
  if (b.min_value > val) return Compare::kGT;
  if (b.min_value == val && b.max_value == val) return Compare::kEQ;
  bool not_equal = false;
  if (x.dtype().lanes() == 1) {
    ModularSet m = analyzer_->modular_set(x);
    if (m->coeff != 0 && FloorModInt(val - m->base, m->coeff) != 0) not_equal = true;
  }
  if (b.max_value == val) return not_equal ? Compare::kLT : Compare::kLE;
  if (b.min_value == val) return not_equal ? Compare::kGT : Compare::kGE;
  return not_equal ? Compare::kNE : Compare::kUnknown;
}

RewriteSimplifier::Impl::Compare RewriteSimplifier::Impl::TryCompare(const PrimExpr& a, const PrimExpr& b) {
  Compare by_bounds = TryCompareByBounds(a, b);
  if (by_bounds == Compare::kEQ || by_bounds == Compare::kLT || by_bounds == Compare::kGT) return by_bounds;
  bool propagate = enabled_extensions_ & RewriteSimplifier::kTransitivelyProveInequalities;
  CompareResult known = analyzer_->transitive_comparisons.TryCompare(a, b, propagate);
  if (known == CompareResult::kUnknown) return by_bounds;
  static const CompareResult kAsResult[] = {CompareResult::kUnknown, CompareResult::kEQ, CompareResult::kNE,
                                            CompareResult::kLT,      CompareResult::kLE, CompareResult::kGT,
                                            CompareResult::kGE};
  switch (kAsResult[static_cast<int>(by_bounds)] & known) {
    case CompareResult::kEQ:
      return Compare::kEQ;
    case CompareResult::kNE:
      return Compare::kNE;
    case CompareResult::kLT:
      return Compare::kLT;
    case CompareResult::kLE:
      return Compare::kLE;
    case CompareResult::kGT:
      return Compare::kGT;
    case CompareResult::kGE:
      return Compare::kGE;
    default:  // unknown, or facts that contradict the bounds (unreachable code): claim nothing
      return Compare::kUnknown;
  }
}

RewriteSimplifier::Impl::Compare RewriteSimplifier::Impl::TryCompareByBounds(const PrimExpr& a, const PrimExpr& b) {
  if (!a.dtype().is_uint()) return TryCompare(SimplifiedDiff(a, b), 0);
  // An unsigned difference wraps (its bounds are clipped at 0, and rules may
  // rewrite it assuming it does not), so a - b says nothing about a < b:
  // compare the operands' own bounds.
  if (ExprDeepEqual(a, b)) return Compare::kEQ;
  Bounds ba = BoundsOf(a), bb = BoundsOf(b);
  if (ba.max_value < bb.min_value) return Compare::kLT;
  if (ba.min_value > bb.max_value) return Compare::kGT;
  if (ba.max_value == bb.min_value) return ba.min_value == bb.max_value ? Compare::kEQ : Compare::kLE;
  if (ba.min_value == bb.max_value) return Compare::kGE;
  return Compare::kUnknown;
}

PrimExpr RewriteSimplifier::Impl::SimplifiedDiff(const PrimExpr& a, const PrimExpr& b) {
  if (const auto* ia = a.as<IntImmNode>()) {
    if (const auto* ib = b.as<IntImmNode>()) {
      int64_t r;
      if (!__builtin_sub_overflow(ia->value, ib->value, &r)) return IntImm(a.dtype().is_uint() ? DataType::Int(64) : a.dtype(), r);
    }
  }
  if (ExprDeepEqual(a, b) && !a.as<AnyNode>()) return make_zero(a.dtype());
  return ApplySub(Sub(a, b));
}

// ---------------------------------------------------------------------------
// Wrap-around: what a rule builds must stay within its dtype (see WrapFree)

namespace {

/*! \brief The type of the values a rule on e computes with; none for logic, selects and calls. */
std::optional<DataType> RuleValueType(const PrimExpr& e) {
  if (e.as<AddNode>() || e.as<SubNode>() || e.as<MulNode>() || e.as<DivNode>() || e.as<ModNode>() ||
      e.as<FloorDivNode>() || e.as<FloorModNode>() || e.as<MinNode>() || e.as<MaxNode>()) {
    return e.dtype();
  }
  if (const auto* n = e.as<EQNode>()) return n->a.dtype();
  if (const auto* n = e.as<NENode>()) return n->a.dtype();
  if (const auto* n = e.as<LTNode>()) return n->a.dtype();
  if (const auto* n = e.as<LENode>()) return n->a.dtype();
  if (const auto* n = e.as<GTNode>()) return n->a.dtype();
  if (const auto* n = e.as<GENode>()) return n->a.dtype();
  return std::nullopt;
}

/*! \brief The nodes of e down to a depth that covers every rule pattern (and a bit). */
void CollectNodes(const PrimExpr& e, int depth, std::unordered_set<const Object*>* seen,
                  std::vector<PrimExpr>* nodes) {
  if (!e.defined() || depth > 10 || nodes->size() > 512 || !seen->insert(e.get()).second) return;
  nodes->push_back(e);
  if (e.as<IntImmNode>() || e.as<VarNode>() || e.as<FloatImmNode>()) return;
  // The children of the node kinds rules look into.
  auto visit = [&](const PrimExpr& c) { CollectNodes(c, depth + 1, seen, nodes); };
  if (const auto* n = e.as<AddNode>()) { visit(n->a); visit(n->b); }
  else if (const auto* n = e.as<SubNode>()) { visit(n->a); visit(n->b); }
  else if (const auto* n = e.as<MulNode>()) { visit(n->a); visit(n->b); }
  else if (const auto* n = e.as<DivNode>()) { visit(n->a); visit(n->b); }
  else if (const auto* n = e.as<ModNode>()) { visit(n->a); visit(n->b); }
  else if (const auto* n = e.as<FloorDivNode>()) { visit(n->a); visit(n->b); }
  else if (const auto* n = e.as<FloorModNode>()) { visit(n->a); visit(n->b); }
  else if (const auto* n = e.as<MinNode>()) { visit(n->a); visit(n->b); }
  else if (const auto* n = e.as<MaxNode>()) { visit(n->a); visit(n->b); }
  else if (const auto* n = e.as<EQNode>()) { visit(n->a); visit(n->b); }
  else if (const auto* n = e.as<NENode>()) { visit(n->a); visit(n->b); }
  else if (const auto* n = e.as<LTNode>()) { visit(n->a); visit(n->b); }
  else if (const auto* n = e.as<LENode>()) { visit(n->a); visit(n->b); }
  else if (const auto* n = e.as<GTNode>()) { visit(n->a); visit(n->b); }
  else if (const auto* n = e.as<GENode>()) { visit(n->a); visit(n->b); }
  else if (const auto* n = e.as<AndNode>()) { visit(n->a); visit(n->b); }
  else if (const auto* n = e.as<OrNode>()) { visit(n->a); visit(n->b); }
  else if (const auto* n = e.as<NotNode>()) { visit(n->a); }
  else if (const auto* n = e.as<CastNode>()) { visit(n->value); }
  else if (const auto* n = e.as<SelectNode>()) { visit(n->condition); visit(n->true_value); visit(n->false_value); }
  else if (const auto* n = e.as<RampNode>()) { visit(n->base); visit(n->stride); }
  else if (const auto* n = e.as<BroadcastNode>()) { visit(n->value); }
}

/*! \brief Whether every value in [lo, hi] is a value of t (infinite ends never are). */
bool RangeFitsType(__int128 lo, __int128 hi, DataType t) {
  int bits = t.bits();
  __int128 tmin = t.is_uint() ? 0 : -(static_cast<__int128>(1) << (bits - 1));
  __int128 tmax = t.is_uint() ? (static_cast<__int128>(1) << bits) - 1 : (static_cast<__int128>(1) << (bits - 1)) - 1;
  return lo >= tmin && hi <= tmax;
}

}  // namespace

bool RewriteSimplifier::Impl::WrapFree(const PrimExpr& src, const PrimExpr& out) {
  if (out.same_as(src) || !out.defined()) return true;
  // Rules on int32 arithmetic or comparisons build int32 nodes only: nothing to check.
  if (auto t = RuleValueType(src); t.has_value() && !MayWrap(t->element_of())) return true;
  std::unordered_set<const Object*> old;
  std::vector<PrimExpr> old_nodes;
  CollectNodes(src, 0, &old, &old_nodes);

  // Post-order over the nodes of out that are not nodes of src.
  class Checker : public ExprVisitor {
   public:
    Checker(Impl* self, const Object* root, const std::unordered_set<const Object*>& old,
            const std::vector<PrimExpr>& old_nodes)
        : self_(self), root_(root), old_(old), old_nodes_(old_nodes) {}
    bool ok{true};
    void VisitExpr(const PrimExpr& e) final {
      if (!ok || old_.count(e.get())) return;
      ExprVisitor::VisitExpr(e);
      // The root has the value of src, which is within its dtype.
      if (ok && e.get() != root_ && !Fits(e) && !SameAsOld(e)) ok = false;
    }

   private:
    /*! \brief e's value, from its operands' bounds, is a value of its dtype (or e cannot wrap). */
    bool Fits(const PrimExpr& e) {
      DataType t = e.dtype().element_of();
      if (!MayWrap(t)) return true;
      PrimExpr a, b;
      int kind;
      if (const auto* n = e.as<AddNode>()) { a = n->a; b = n->b; kind = 0; }
      else if (const auto* n = e.as<SubNode>()) { a = n->a; b = n->b; kind = 1; }
      else if (const auto* n = e.as<MulNode>()) { a = n->a; b = n->b; kind = 2; }
      else if (const auto* n = e.as<CastNode>()) {
        if (!n->value.dtype().is_int() && !n->value.dtype().is_uint()) return true;
        Bounds v = self_->BoundsOf(n->value);
        return !IsInf(v.min_value) && !IsInf(v.max_value) && RangeFitsType(v.min_value, v.max_value, t);
      } else {
        return true;  // min, max, select, division by a non-zero constant of in-range values stay in range
      }
      Bounds ba = self_->BoundsOf(a), bb = self_->BoundsOf(b);
      if (IsInf(ba.min_value) || IsInf(ba.max_value) || IsInf(bb.min_value) || IsInf(bb.max_value)) return false;
      __int128 lo, hi;
      if (kind == 0) {
        lo = static_cast<__int128>(ba.min_value) + bb.min_value;
        hi = static_cast<__int128>(ba.max_value) + bb.max_value;
      } else if (kind == 1) {
        lo = static_cast<__int128>(ba.min_value) - bb.max_value;
        hi = static_cast<__int128>(ba.max_value) - bb.min_value;
      } else {
        __int128 v[4] = {static_cast<__int128>(ba.min_value) * bb.min_value,
                         static_cast<__int128>(ba.min_value) * bb.max_value,
                         static_cast<__int128>(ba.max_value) * bb.min_value,
                         static_cast<__int128>(ba.max_value) * bb.max_value};
        lo = std::min({v[0], v[1], v[2], v[3]});
        hi = std::max({v[0], v[1], v[2], v[3]});
      }
      return RangeFitsType(lo, hi, t);
    }
    /*! \brief A rebuilt copy of a node of src is as good as the node. */
    bool SameAsOld(const PrimExpr& e) {
      for (const PrimExpr& o : old_nodes_) {
        if (o->type_index() == e->type_index() && ExprDeepEqual(o, e)) return true;
      }
      return false;
    }
    Impl* self_;
    const Object* root_;
    const std::unordered_set<const Object*>& old_;
    const std::vector<PrimExpr>& old_nodes_;
  };
  Checker checker(this, out.get(), old, old_nodes);
  checker.VisitExpr(out);
  return checker.ok;
}

namespace {

bool IsConstLeaf(const PrimExpr& e) { return e.as<IntImmNode>() != nullptr || e.as<FloatImmNode>() != nullptr; }

bool IsZeroConst(const PrimExpr& e) {
  if (const auto* i = e.as<IntImmNode>()) return i->value == 0;
  if (const auto* f = e.as<FloatImmNode>()) return f->value == 0.0;
  return false;
}

template <typename Node>
bool IsDivision() {
  return std::is_same_v<Node, DivNode> || std::is_same_v<Node, ModNode> || std::is_same_v<Node, FloorDivNode> ||
         std::is_same_v<Node, FloorModNode>;
}

template <typename Node>
PrimExpr FoldBinary(const PrimExpr& ret) {
  const auto* op = ret.as<Node>();
  if (op == nullptr || !IsConstLeaf(op->a) || !IsConstLeaf(op->b)) return PrimExpr();
  if (IsDivision<Node>() && IsZeroConst(op->b)) return PrimExpr();
  // A result that does not fit the dtype (uint 3 - 5, int8 100 + 100) stays unfolded.
  try {
    return BinaryBuilder<Node>::Build(op->a, op->b);
  } catch (const runtime::Error& e) {
    if (e.kind() != "ValueError") throw;
    return PrimExpr();
  }
}

}  // namespace

PrimExpr RewriteSimplifier::Impl::FoldConstants(const PrimExpr& ret) {
  if (ret.as<AddNode>()) return FoldBinary<AddNode>(ret);
  if (ret.as<SubNode>()) return FoldBinary<SubNode>(ret);
  if (ret.as<MulNode>()) return FoldBinary<MulNode>(ret);
  if (ret.as<DivNode>()) return FoldBinary<DivNode>(ret);
  if (ret.as<ModNode>()) return FoldBinary<ModNode>(ret);
  if (ret.as<FloorDivNode>()) return FoldBinary<FloorDivNode>(ret);
  if (ret.as<FloorModNode>()) return FoldBinary<FloorModNode>(ret);
  if (ret.as<MinNode>()) return FoldBinary<MinNode>(ret);
  if (ret.as<MaxNode>()) return FoldBinary<MaxNode>(ret);
  if (ret.as<EQNode>()) return FoldBinary<EQNode>(ret);
  if (ret.as<NENode>()) return FoldBinary<NENode>(ret);
  if (ret.as<LTNode>()) return FoldBinary<LTNode>(ret);
  if (ret.as<LENode>()) return FoldBinary<LENode>(ret);
  return PrimExpr();
}

/*! \brief An integer division by a constant zero (or a vector of them) has no value: say so. */
void RewriteSimplifier::Impl::CheckDivisor(const PrimExpr& a, const PrimExpr& b, const char* name) {
  if (!IsIndexType(b.dtype())) return;
  PrimExpr value = b;
  if (const auto* bc = b.as<BroadcastNode>()) value = bc->value;
  if (const auto* imm = value.as<IntImmNode>(); imm != nullptr && imm->value == 0) {
    std::ostringstream os;
    os << "rewrite_simplify: division by zero in " << name << "(" << a << ", " << b << ")";
    throw runtime::Error("ZeroDivisionError", os.str());
  }
}

// ---------------------------------------------------------------------------
// Visitors: simplify the children, then apply the rules of the node kind.

PrimExpr RewriteSimplifier::Impl::VisitExpr_(const AddNode* op) {
  PrimExpr a = VisitExpr(op->a), b = VisitExpr(op->b);
  PrimExpr ret = Rebuild<Add>(op, a, b);
  return Checked(ret, ApplyAdd(ret));
}

PrimExpr RewriteSimplifier::Impl::VisitExpr_(const SubNode* op) {
  PrimExpr a = VisitExpr(op->a), b = VisitExpr(op->b);
  PrimExpr ret = Rebuild<Sub>(op, a, b);
  return Checked(ret, ApplySub(ret));
}

PrimExpr RewriteSimplifier::Impl::VisitExpr_(const MulNode* op) {
  PrimExpr a = VisitExpr(op->a), b = VisitExpr(op->b);
  PrimExpr ret = Rebuild<Mul>(op, a, b);
  return Checked(ret, ApplyMul(ret));
}

PrimExpr RewriteSimplifier::Impl::VisitExpr_(const DivNode* op) {
  PrimExpr a = VisitExpr(op->a), b = VisitExpr(op->b);
  CheckDivisor(a, b, "truncdiv");
  PrimExpr ret = Rebuild<Div>(op, a, b);
  return Checked(ret, ApplyDiv(ret));
}

PrimExpr RewriteSimplifier::Impl::VisitExpr_(const ModNode* op) {
  PrimExpr a = VisitExpr(op->a), b = VisitExpr(op->b);
  CheckDivisor(a, b, "truncmod");
  PrimExpr ret = Rebuild<Mod>(op, a, b);
  return Checked(ret, ApplyMod(ret));
}

PrimExpr RewriteSimplifier::Impl::VisitExpr_(const FloorDivNode* op) {
  PrimExpr a = VisitExpr(op->a), b = VisitExpr(op->b);
  CheckDivisor(a, b, "floordiv");
  PrimExpr ret = Rebuild<FloorDiv>(op, a, b);
  return Checked(ret, ApplyFloorDiv(ret));
}

PrimExpr RewriteSimplifier::Impl::VisitExpr_(const FloorModNode* op) {
  PrimExpr a = VisitExpr(op->a), b = VisitExpr(op->b);
  CheckDivisor(a, b, "floormod");
  PrimExpr ret = Rebuild<FloorMod>(op, a, b);
  return Checked(ret, ApplyFloorMod(ret));
}

PrimExpr RewriteSimplifier::Impl::VisitExpr_(const MinNode* op) {
  PrimExpr a = VisitExpr(op->a), b = VisitExpr(op->b);
  PrimExpr ret = Rebuild<Min>(op, a, b);
  return Checked(ret, ApplyMin(ret));
}

PrimExpr RewriteSimplifier::Impl::VisitExpr_(const MaxNode* op) {
  PrimExpr a = VisitExpr(op->a), b = VisitExpr(op->b);
  PrimExpr ret = Rebuild<Max>(op, a, b);
  return Checked(ret, ApplyMax(ret));
}

PrimExpr RewriteSimplifier::Impl::VisitExpr_(const EQNode* op) {
  PrimExpr a = VisitExpr(op->a), b = VisitExpr(op->b);
  PrimExpr ret = Rebuild<EQ>(op, a, b);
  return Checked(ret, ApplyEQ(ret));
}

PrimExpr RewriteSimplifier::Impl::VisitExpr_(const NENode* op) {
  PrimExpr a = VisitExpr(op->a), b = VisitExpr(op->b);
  PrimExpr ret = Rebuild<NE>(op, a, b);
  return Checked(ret, ApplyNE(ret));
}

PrimExpr RewriteSimplifier::Impl::VisitExpr_(const LTNode* op) {
  PrimExpr a = VisitExpr(op->a), b = VisitExpr(op->b);
  PrimExpr ret = Rebuild<LT>(op, a, b);
  return Checked(ret, ApplyLT(ret));
}

PrimExpr RewriteSimplifier::Impl::VisitExpr_(const LENode* op) {
  PrimExpr a = VisitExpr(op->a), b = VisitExpr(op->b);
  PrimExpr ret = Rebuild<LE>(op, a, b);
  return Checked(ret, ApplyLE(ret));
}

// a > b is b < a; a >= b is b <= a.
PrimExpr RewriteSimplifier::Impl::VisitExpr_(const GTNode* op) {
  PrimExpr a = VisitExpr(op->a), b = VisitExpr(op->b);
  PrimExpr ret = LT(b, a);
  return Checked(ret, ApplyLT(ret));
}

PrimExpr RewriteSimplifier::Impl::VisitExpr_(const GENode* op) {
  PrimExpr a = VisitExpr(op->a), b = VisitExpr(op->b);
  PrimExpr ret = LE(b, a);
  return Checked(ret, ApplyLE(ret));
}

PrimExpr RewriteSimplifier::Impl::VisitExpr_(const AndNode* op) {
  if (enabled_extensions_ != RewriteSimplifier::kNone) return VisitBooleanWithExtensions(GetRef<PrimExpr>(op));
  PrimExpr a = VisitExpr(op->a), b = VisitExpr(op->b);
  PrimExpr ret = Rebuild<And>(op, a, b);
  return Checked(ret, ApplyAnd(ret));
}

PrimExpr RewriteSimplifier::Impl::VisitExpr_(const OrNode* op) {
  if (enabled_extensions_ != RewriteSimplifier::kNone) return VisitBooleanWithExtensions(GetRef<PrimExpr>(op));
  PrimExpr a = VisitExpr(op->a), b = VisitExpr(op->b);
  PrimExpr ret = Rebuild<Or>(op, a, b);
  return Checked(ret, ApplyOr(ret));
}

PrimExpr RewriteSimplifier::Impl::VisitExpr_(const NotNode* op) {
  PrimExpr a = VisitExpr(op->a);
  PrimExpr ret = a.same_as(op->a) ? GetRef<PrimExpr>(op) : Not(a);
  return Checked(ret, ApplyNot(ret));
}

namespace {
bool ReadsMemory(const PrimExpr& e) {
  bool reads = false;
  PostOrderVisit(e, [&](const ObjectRef& n) { reads = reads || n.as<BufferLoadNode>() != nullptr; });
  return reads;
}
}  // namespace

PrimExpr RewriteSimplifier::Impl::VisitExpr_(const SelectNode* op) {
  PrimExpr cond = VisitExpr(op->condition);
  if (auto v = as_const_int(cond)) return VisitExpr(*v != 0 ? op->true_value : op->false_value);
  // Both values are evaluated: one that reads memory is simplified without the
  // condition, so that its indices stay valid where the condition fails.
  auto visit_under = [&](const PrimExpr& value, const PrimExpr& fact) {
    if (ReadsMemory(value)) return VisitExpr(value);
    With<ConstraintContext> ctx(analyzer_, fact);
    return VisitExpr(value);
  };
  PrimExpr true_value = visit_under(op->true_value, cond);
  PrimExpr false_value = visit_under(op->false_value, NegateCondition(cond));
  if (cond.same_as(op->condition) && true_value.same_as(op->true_value) && false_value.same_as(op->false_value)) {
    return Checked(GetRef<PrimExpr>(op), ApplySelect(GetRef<PrimExpr>(op)));
  }
  PrimExpr ret = Select(cond, true_value, false_value);
  return Checked(ret, ApplySelect(ret));
}

PrimExpr RewriteSimplifier::Impl::VisitExpr_(const VarNode* op) {
  // A boolean variable entered as a constraint (if cond: ...) is true inside.
  if (op->dtype.is_bool() && op->dtype.lanes() == 1 && !literal_constraints_.empty()) {
    if (auto known = MatchConstraint(GetRef<Var>(op))) return make_const(op->dtype, *known);
  }
  if (!var_map_.empty()) {
    auto it = var_map_.find(GetRef<Var>(op));
    if (it != var_map_.end()) return it->second;
  }
  return GetRef<PrimExpr>(op);
}

PrimExpr RewriteSimplifier::Impl::VisitExpr_(const SizeVarNode* op) {
  return VisitExpr_(static_cast<const VarNode*>(op));
}

PrimExpr RewriteSimplifier::Impl::VisitExpr_(const CastNode* op) {
  PrimExpr value = VisitExpr(op->value);
  if (value.dtype() == op->dtype) return value;
  if (is_const_number(value)) return cast(op->dtype, value);
  if (value.same_as(op->value)) return GetRef<PrimExpr>(op);
  return Cast(op->dtype, value);
}

PrimExpr RewriteSimplifier::Impl::VisitExpr_(const LetNode* op) {
  PrimExpr value = VisitExpr(op->value);
  // Constants and variables are substituted into the body.
  if (is_const_number(value) || value.as<VarNode>()) {
    auto old = var_map_.find(op->var);
    std::optional<PrimExpr> saved;
    if (old != var_map_.end()) saved = old->second;
    var_map_[op->var] = value;
    ClearMemo();
    PrimExpr body;
    try {
      body = VisitExpr(op->body);
    } catch (...) {
      if (saved.has_value()) var_map_[op->var] = *saved; else var_map_.erase(op->var);
      ClearMemo();
      throw;
    }
    if (saved.has_value()) var_map_[op->var] = *saved; else var_map_.erase(op->var);
    ClearMemo();
    return body;
  }
  PrimExpr body = VisitExpr(op->body);
  if (value.same_as(op->value) && body.same_as(op->body)) return GetRef<PrimExpr>(op);
  return Let(op->var, value, body);
}

PrimExpr RewriteSimplifier::Impl::VisitExpr_(const RampNode* op) {
  PrimExpr base = VisitExpr(op->base), stride = VisitExpr(op->stride);
  if (is_zero(stride)) return Broadcast(base, op->lanes);
  if (base.same_as(op->base) && stride.same_as(op->stride)) return GetRef<PrimExpr>(op);
  return Ramp(base, stride, op->lanes);
}

namespace {
/*!
 * \brief ceil(c) and ceil(log2(c)) of a float64 constant c, as constants: topi's
 *  ceil_log2 of a constant extent. Undefined when the call is not one of them.
 */
PrimExpr FoldCeilLog2(const CallNode* op, const Array<PrimExpr>& args) {
  static const Op& ceil_op = Op::Get("tir.ceil");
  static const Op& log2_op = Op::Get("tir.log2");
  if (!op->op.same_as(ceil_op) || args.size() != 1 || op->dtype != DataType::Float(64)) return PrimExpr();
  if (const auto* f = args[0].as<FloatImmNode>()) return FloatImm(op->dtype, std::ceil(f->value));
  const auto* log = args[0].as<CallNode>();
  if (log == nullptr || !log->op.same_as(log2_op) || log->args.size() != 1) return PrimExpr();
  const auto* f = log->args[0].as<FloatImmNode>();
  if (f == nullptr || log->args[0].dtype() != DataType::Float(64) || !(f->value > 0)) return PrimExpr();
  return FloatImm(op->dtype, std::ceil(std::log2(f->value)));
}
}  // namespace

PrimExpr RewriteSimplifier::Impl::VisitExpr_(const CallNode* op) {
  if (op->op.same_as(builtin::if_then_else()) && op->args.size() == 3) {
    PrimExpr cond = VisitExpr(op->args[0]);
    if (auto v = as_const_int(cond)) return VisitExpr(*v != 0 ? op->args[1] : op->args[2]);
    PrimExpr t, f;
    {
      With<ConstraintContext> ctx(analyzer_, cond);
      t = VisitExpr(op->args[1]);
    }
    {
      With<ConstraintContext> ctx(analyzer_, NegateCondition(cond));
      f = VisitExpr(op->args[2]);
    }
    if (ExprDeepEqual(t, f)) return t;
    // Nested on the true side with the same false value: one condition.
    if (const auto* inner = t.as<CallNode>()) {
      if (inner->op.same_as(builtin::if_then_else()) && inner->args.size() == 3 && ExprDeepEqual(inner->args[2], f)) {
        return Call(op->dtype, op->op, {ApplyAnd(And(cond, inner->args[0])), inner->args[1], f});
      }
    }
    if (cond.same_as(op->args[0]) && t.same_as(op->args[1]) && f.same_as(op->args[2])) return GetRef<PrimExpr>(op);
    return Call(op->dtype, op->op, {cond, t, f});
  }
  Array<PrimExpr> args = VisitExprs(op->args);
  if (op->op.same_as(builtin::likely()) && args.size() == 1 && is_const_number(args[0])) return args[0];
  if (PrimExpr folded = FoldCeilLog2(op, args); folded.defined()) return folded;
  if (args.size() == 2 && IsConstLeaf(args[0]) && IsConstLeaf(args[1]) && IsIndexType(op->dtype)) {
    if (op->op.same_as(builtin::bitwise_and())) return bitwise_and(args[0], args[1]);
    if (op->op.same_as(builtin::bitwise_or())) return bitwise_or(args[0], args[1]);
    if (op->op.same_as(builtin::bitwise_xor())) return bitwise_xor(args[0], args[1]);
    int64_t shift = args[1].as<IntImmNode>() ? args[1].as<IntImmNode>()->value : -1;
    if (shift >= 0 && shift < op->dtype.bits()) {
      if (op->op.same_as(builtin::shift_left())) return left_shift(args[0], args[1]);
      if (op->op.same_as(builtin::shift_right())) return right_shift(args[0], args[1]);
    }
  }
  if (args.same_as(op->args)) return GetRef<PrimExpr>(op);
  return Call(op->dtype, op->op, args);
}

// ---------------------------------------------------------------------------
// Addition

PrimExpr RewriteSimplifier::Impl::ApplyAdd(PrimExpr ret) {
  if (PrimExpr folded = FoldConstants(ret); folded.defined()) return folded;
  PVar<PrimExpr> x, y, z, b1, b2, s1, s2;
  PVar<IntImm> c1, c2;
  PVar<int> lanes;

  if (ret.dtype().lanes() != 1) {
    REWRITE_AGAIN(ramp(b1, s1, lanes) + ramp(b2, s2, lanes), ramp(b1 + b2, s1 + s2, lanes));
    REWRITE_AGAIN(ramp(b1, s1, lanes) + broadcast(x, lanes), ramp(b1 + x, s1, lanes));
    REWRITE_AGAIN(broadcast(x, lanes) + ramp(b1, s1, lanes), ramp(x + b1, s1, lanes));
    REWRITE_AGAIN(broadcast(x, lanes) + broadcast(y, lanes), broadcast(x + y, lanes));
  }
  if (!IsIndexType(ret.dtype())) return ret;

  REWRITE(x + 0, x);
  REWRITE(0 + x, x);
  // Cancellation.
  REWRITE((x - y) + y, x);
  REWRITE(x + (y - x), y);
  REWRITE_AGAIN((x - y) + (y - z), x - z);
  REWRITE_AGAIN((x - y) + (z - x), z - y);
  // Min and max absorb a term.
  REWRITE_AGAIN(min(x, y - z) + z, min(x + z, y));
  REWRITE_AGAIN(min(x - z, y) + z, min(x, y + z));
  REWRITE_AGAIN(max(x, y - z) + z, max(x + z, y));
  REWRITE_AGAIN(max(x - z, y) + z, max(x, y + z));
  REWRITE_AGAIN(z + min(x, y - z), min(x + z, y));
  REWRITE_AGAIN(z + min(x - z, y), min(x, y + z));
  REWRITE_AGAIN(z + max(x, y - z), max(x + z, y));
  REWRITE_AGAIN(z + max(x - z, y), max(x, y + z));
  // A constant that cancels one inside moves in: max(x, y + -10) + 10 is max(x + 10, y).
  REWRITE_AGAIN_IF(min(x + c1, y) + c2, min(x, y + c2), c1.IntValue() + c2.IntValue() == 0);
  REWRITE_AGAIN_IF(min(x, y + c1) + c2, min(x + c2, y), c1.IntValue() + c2.IntValue() == 0);
  REWRITE_AGAIN_IF(max(x + c1, y) + c2, max(x, y + c2), c1.IntValue() + c2.IntValue() == 0);
  REWRITE_AGAIN_IF(max(x, y + c1) + c2, max(x + c2, y), c1.IntValue() + c2.IntValue() == 0);
  // Selects on one condition combine.
  REWRITE_AGAIN(select(x, y, z) + select(x, b1, b2), select(x, y + b1, z + b2));
  // A quotient of the remainder plus the quotient: floordiv(x % c + c1, c) + x // c = (x + c1) // c.
  REWRITE_AGAIN_IF(floordiv(floormod(x, c2) + c1, c2) + floordiv(x, c2), floordiv(x + c1, c2), c2.IntValue() > 0);
  REWRITE_AGAIN_IF(floordiv(x, c2) + floordiv(floormod(x, c2) + c1, c2), floordiv(x + c1, c2), c2.IntValue() > 0);
  // Of x and x + odd, exactly one is odd.
  if (((floormod(x + c1, 2) + floormod(x, 2)).Match(ret) || (floormod(x, 2) + floormod(x + c1, 2)).Match(ret)) &&
      FloorModInt(c1.IntValue(), 2) == 1) {
    return make_const(ret.dtype(), 1);
  }
  // Halves: x // 2 + x % 2 is x rounded up, halved.
  REWRITE_AGAIN(floordiv(x, 2) + floormod(x, 2), floordiv(x + 1, 2));
  REWRITE_AGAIN(floormod(x, 2) + floordiv(x, 2), floordiv(x + 1, 2));
  REWRITE(min(x, y) + max(x, y), x + y);
  REWRITE(min(x, y) + max(y, x), x + y);
  REWRITE(max(x, y) + min(x, y), x + y);
  REWRITE(max(x, y) + min(y, x), x + y);
  // Like terms.
  REWRITE_AGAIN(x * y + x * z, x * (y + z));
  REWRITE_AGAIN(y * x + z * x, (y + z) * x);
  REWRITE_AGAIN(x * y + z * x, x * (y + z));
  REWRITE_AGAIN(y * x + x * z, x * (y + z));
  // (Not for a constant x: y * -1 + -1 stays a scaled term plus a constant.)
  auto not_const = [&]() { return !x.Eval().as<IntImmNode>(); };
  REWRITE_AGAIN_IF(x * y + x, x * (y + 1), not_const());
  REWRITE_AGAIN_IF(y * x + x, x * (y + 1), not_const());
  REWRITE_AGAIN_IF(x + x * y, x * (y + 1), not_const());
  REWRITE_AGAIN_IF(x + y * x, (y + 1) * x, not_const());
  REWRITE_AGAIN(x + x, x * 2);
  // Division and remainder recombine.
  REWRITE_IF(floordiv(x, c1) * c1 + floormod(x, c1), x, c1.IntValue() != 0);
  REWRITE_IF(floormod(x, c1) + floordiv(x, c1) * c1, x, c1.IntValue() != 0);
  REWRITE_IF(truncdiv(x, c1) * c1 + truncmod(x, c1), x, c1.IntValue() != 0);
  REWRITE_IF(truncmod(x, c1) + truncdiv(x, c1) * c1, x, c1.IntValue() != 0);
  REWRITE_AGAIN_IF((floordiv(x, c1) * c1 + y) + floormod(x, c1), x + y, c1.IntValue() != 0);
  REWRITE_AGAIN_IF((y + floordiv(x, c1) * c1) + floormod(x, c1), y + x, c1.IntValue() != 0);
  REWRITE_AGAIN_IF((floormod(x, c1) + y) + floordiv(x, c1) * c1, x + y, c1.IntValue() != 0);
  REWRITE_AGAIN_IF((y + floormod(x, c1)) + floordiv(x, c1) * c1, y + x, c1.IntValue() != 0);
  // Constants move outwards and to the right.
  REWRITE((x + c1) + c2, x + (c1 + c2));
  REWRITE_AGAIN((x + c1) + y, (x + y) + c1);
  REWRITE_AGAIN(x + (y + c1), (x + y) + c1);
  REWRITE((c1 - x) + c2, (c1 + c2) - x);
  // y - x may be below zero where c1 - x + y is not: not for unsigned types.
  if (!ret.dtype().is_uint()) {
    REWRITE_AGAIN((c1 - x) + y, (y - x) + c1);
    REWRITE_AGAIN(x + (c1 - y), (x - y) + c1);
  }
  if ((c1 + x).Match(ret)) return ApplyAdd(Add(x.Eval(), c1.Eval()));
  return ret;
}

// ---------------------------------------------------------------------------
// Subtraction

PrimExpr RewriteSimplifier::Impl::ApplySub(PrimExpr ret) {
  if (PrimExpr folded = FoldConstants(ret); folded.defined()) return folded;
  PVar<PrimExpr> x, y, z, b1, b2, s1, s2;
  PVar<IntImm> c1, c2;
  PVar<int> lanes;

  if (ret.dtype().lanes() != 1) {
    REWRITE_AGAIN(ramp(b1, s1, lanes) - ramp(b2, s2, lanes), ramp(b1 - b2, s1 - s2, lanes));
    REWRITE_AGAIN(ramp(b1, s1, lanes) - broadcast(x, lanes), ramp(b1 - x, s1, lanes));
    REWRITE_AGAIN(broadcast(x, lanes) - ramp(b1, s1, lanes), ramp(x - b1, 0 - s1, lanes));
    REWRITE_AGAIN(broadcast(x, lanes) - broadcast(y, lanes), broadcast(x - y, lanes));
  }
  if (!IsIndexType(ret.dtype())) return ret;

  REWRITE(x - 0, x);
  // (Any stands for an unknown dimension each time it appears: Any - Any is not 0.)
  if ((x - x).Match(ret) && !x.Eval().as<AnyNode>()) return make_zero(ret.dtype());
  // Cancellation.
  REWRITE((x + y) - y, x);
  REWRITE((x + y) - x, y);
  REWRITE(x - (y + x), 0 - y);
  REWRITE(x - (x + y), 0 - y);
  REWRITE(x - (x - y), y);
  REWRITE_AGAIN((x + y) - (x + z), y - z);
  REWRITE_AGAIN((x + y) - (z + x), y - z);
  REWRITE_AGAIN((y + x) - (x + z), y - z);
  REWRITE_AGAIN((y + x) - (z + x), y - z);
  REWRITE_AGAIN((x - y) - (x - z), z - y);
  REWRITE_AGAIN((x - y) - (z - y), x - z);
  if ((min(x, y) - min(y, x)).Match(ret) || (max(x, y) - max(y, x)).Match(ret)) return make_zero(ret.dtype());
  REWRITE_AGAIN(select(x, y, z) - select(x, b1, b2), select(x, y - b1, z - b2));
  REWRITE_AGAIN(floordiv(x + 1, 2) - floormod(x, 2), floordiv(x, 2));
  if ((select(x, y, z) - y).Match(ret)) {
    return RecursiveRewrite(Select(x.Eval(), make_zero(ret.dtype()), z.Eval() - y.Eval()));
  }
  if ((select(x, y, z) - z).Match(ret)) {
    return RecursiveRewrite(Select(x.Eval(), y.Eval() - z.Eval(), make_zero(ret.dtype())));
  }
  // Min and max against one of their operands, and like terms: these
  // introduce differences that fall below zero where the original does not
  // (or where it wraps), so they are for signed types.
  const bool is_signed = !ret.dtype().is_uint();
  // (The difference is simplified on its own; the zero stays where it lands.)
  if (is_signed) {
    if ((min(x, y) - x).Match(ret)) return min(make_zero(ret.dtype()), SimplifiedDiff(y.Eval(), x.Eval()));
    if ((min(x, y) - y).Match(ret)) return min(SimplifiedDiff(x.Eval(), y.Eval()), make_zero(ret.dtype()));
    if ((x - max(x, y)).Match(ret)) return min(make_zero(ret.dtype()), SimplifiedDiff(x.Eval(), y.Eval()));
    if ((y - max(x, y)).Match(ret)) return min(SimplifiedDiff(y.Eval(), x.Eval()), make_zero(ret.dtype()));
    if ((max(x, y) - x).Match(ret)) return max(make_zero(ret.dtype()), SimplifiedDiff(y.Eval(), x.Eval()));
    if ((max(x, y) - y).Match(ret)) return max(SimplifiedDiff(x.Eval(), y.Eval()), make_zero(ret.dtype()));
    if ((x - min(x, y)).Match(ret)) return max(make_zero(ret.dtype()), SimplifiedDiff(x.Eval(), y.Eval()));
    if ((y - min(x, y)).Match(ret)) return max(SimplifiedDiff(y.Eval(), x.Eval()), make_zero(ret.dtype()));
  }
  // Like terms.
  REWRITE_AGAIN_IF(x * y - x, x * (y - 1), is_signed);
  REWRITE_AGAIN_IF(y * x - x, (y - 1) * x, is_signed);
  REWRITE_AGAIN_IF(x - x * y, x * (1 - y), is_signed);
  REWRITE_AGAIN_IF(x - y * x, (1 - y) * x, is_signed);
  REWRITE_AGAIN_IF(x * y - x * z, x * (y - z), is_signed);
  REWRITE_AGAIN_IF(y * x - z * x, x * (y - z), is_signed);
  // A term leaves a min or max of a sum that holds it.
  REWRITE_AGAIN_IF(min(x + y, z) - x, min(y, z - x), is_signed);
  REWRITE_AGAIN_IF(min(y + x, z) - x, min(y, z - x), is_signed);
  REWRITE_AGAIN_IF(min(z, x + y) - x, min(z - x, y), is_signed);
  REWRITE_AGAIN_IF(min(z, y + x) - x, min(z - x, y), is_signed);
  REWRITE_AGAIN_IF(max(x + y, z) - x, max(y, z - x), is_signed);
  REWRITE_AGAIN_IF(max(y + x, z) - x, max(y, z - x), is_signed);
  REWRITE_AGAIN_IF(max(z, x + y) - x, max(z - x, y), is_signed);
  REWRITE_AGAIN_IF(max(z, y + x) - x, max(z - x, y), is_signed);
  REWRITE_AGAIN_IF(x - min(x + y, z), max(0 - y, x - z), is_signed);
  REWRITE_AGAIN_IF(x - min(y + x, z), max(0 - y, x - z), is_signed);
  REWRITE_AGAIN_IF(x - min(z, x + y), max(x - z, 0 - y), is_signed);
  REWRITE_AGAIN_IF(x - min(z, y + x), max(x - z, 0 - y), is_signed);
  REWRITE_AGAIN_IF(x - max(x + y, z), min(0 - y, x - z), is_signed);
  REWRITE_AGAIN_IF(x - max(y + x, z), min(0 - y, x - z), is_signed);
  REWRITE_AGAIN_IF(x - max(z, x + y), min(x - z, 0 - y), is_signed);
  REWRITE_AGAIN_IF(x - max(z, y + x), min(x - z, 0 - y), is_signed);
  REWRITE_AGAIN_IF(x * y - z * x, x * (y - z), is_signed);
  REWRITE_AGAIN_IF(y * x - x * z, x * (y - z), is_signed);
  // Remainders.
  REWRITE_IF(x - floordiv(x, c1) * c1, floormod(x, c1), c1.IntValue() != 0);
  REWRITE_IF(floordiv(x, c1) * c1 - x, 0 - floormod(x, c1), c1.IntValue() != 0);
  REWRITE_AGAIN_IF(x - truncdiv(x, c1) * c1, truncmod(x, c1), c1.IntValue() != 0);
  REWRITE_IF(truncdiv(x, c1) * c1 - x, 0 - truncmod(x, c1), c1.IntValue() != 0);
  // The same with the dividend a sum or difference holding x, and scaled:
  // x * k - (x + y) // c * (c * k) is ((x + y) % c - y) * k (x - q * c = r for any rounding).
  if (is_signed) {
    PVar<IntImm> c3;
    auto scaled = [&]() { return c1.IntValue() != 0 && c3.IntValue() == c1.IntValue() * c2.IntValue(); };
    auto unit = [&]() { return c1.IntValue() != 0; };
    REWRITE_AGAIN_IF(x - floordiv(x + y, c1) * c1, floormod(x + y, c1) - y, unit());
    REWRITE_AGAIN_IF(floordiv(x + y, c1) * c1 - x, y - floormod(x + y, c1), unit());
    REWRITE_AGAIN_IF(x - floordiv(x - y, c1) * c1, floormod(x - y, c1) + y, unit());
    REWRITE_AGAIN_IF(floordiv(x - y, c1) * c1 - x, 0 - floormod(x - y, c1) - y, unit());
    REWRITE_AGAIN_IF(x - truncdiv(x + y, c1) * c1, truncmod(x + y, c1) - y, unit());
    REWRITE_AGAIN_IF(truncdiv(x + y, c1) * c1 - x, y - truncmod(x + y, c1), unit());
    REWRITE_AGAIN_IF(x - truncdiv(x - y, c1) * c1, truncmod(x - y, c1) + y, unit());
    REWRITE_AGAIN_IF(truncdiv(x - y, c1) * c1 - x, 0 - truncmod(x - y, c1) - y, unit());
    REWRITE_AGAIN_IF(x * c2 - floordiv(x, c1) * c3, floormod(x, c1) * c2, scaled());
    REWRITE_AGAIN_IF(floordiv(x, c1) * c3 - x * c2, floormod(x, c1) * (0 - c2), scaled());
    REWRITE_AGAIN_IF(x * c2 - floordiv(x + y, c1) * c3, (floormod(x + y, c1) - y) * c2, scaled());
    REWRITE_AGAIN_IF(x * c2 - floordiv(x - y, c1) * c3, (floormod(x - y, c1) + y) * c2, scaled());
    REWRITE_AGAIN_IF(floordiv(x + y, c1) * c3 - x * c2, (y - floormod(x + y, c1)) * c2, scaled());
    REWRITE_AGAIN_IF(floordiv(x - y, c1) * c3 - x * c2, (0 - floormod(x - y, c1) - y) * c2, scaled());
    REWRITE_AGAIN_IF(x * c2 - truncdiv(x, c1) * c3, truncmod(x, c1) * c2, scaled());
    REWRITE_AGAIN_IF(truncdiv(x, c1) * c3 - x * c2, truncmod(x, c1) * (0 - c2), scaled());
    REWRITE_AGAIN_IF(x * c2 - truncdiv(x + y, c1) * c3, (truncmod(x + y, c1) - y) * c2, scaled());
    REWRITE_AGAIN_IF(x * c2 - truncdiv(x - y, c1) * c3, (truncmod(x - y, c1) + y) * c2, scaled());
    REWRITE_AGAIN_IF(truncdiv(x + y, c1) * c3 - x * c2, (y - truncmod(x + y, c1)) * c2, scaled());
    REWRITE_AGAIN_IF(truncdiv(x - y, c1) * c3 - x * c2, (0 - truncmod(x - y, c1) - y) * c2, scaled());
    // Halves differ by the parity of x: (x + c1) // 2 - (x + c2) // 2.
    REWRITE_AGAIN(floordiv(x + c1, 2) - floordiv(x + c2, 2),
                  floormod(x, 2) * (floormod(c1, 2) - floormod(c2, 2)) + (floordiv(c1, 2) - floordiv(c2, 2)));
    REWRITE_AGAIN(floordiv(x, 2) - floordiv(x + c2, 2), floormod(x, 2) * (0 - floormod(c2, 2)) - floordiv(c2, 2));
    REWRITE_AGAIN(floordiv(x + c1, 2) - floordiv(x, 2), floormod(x, 2) * floormod(c1, 2) + floordiv(c1, 2));
    // floordiv(x + c1, c) - floordiv(x, c): only the remainder of x can carry.
    REWRITE_AGAIN_IF(floordiv(x + c1, c2) - floordiv(x, c2), floordiv(floormod(x, c2) + c1, c2),
                     c2.IntValue() > 0);
    // With x + c2 = q * c + r: floordiv(x + c1, c) - q = floordiv(r + c1 - c2, c).
    REWRITE_AGAIN_IF(floordiv(x + c1, c3) - floordiv(x + c2, c3),
                     floordiv(floormod(x + floormod(c2, c3), c3) + (c1 - c2), c3), c3.IntValue() > 0);
    // Truncating: the same when both dividends and the remainder's shift are non-negative.
    REWRITE_AGAIN_IF(truncdiv(x + c1, c3) - truncdiv(x, c3), truncdiv(truncmod(x, c3) + c1, c3),
                     c3.IntValue() > 0 && c1.IntValue() >= 0 && CanProveGE(x.Eval(), 0));
    REWRITE_AGAIN_IF(truncdiv(x + c1, c3) - truncdiv(x + c2, c3),
                     truncdiv(truncmod(x + floormod(c2, c3), c3) + (c1 - c2), c3),
                     c3.IntValue() > 0 && c1.IntValue() >= c2.IntValue() &&
                         CanProveGE(x.Eval(), -std::min(c2.IntValue(), FloorModInt(c2.IntValue(), c3.IntValue()))));
  }
  // Constants move outwards: x - c is x + (-c) for signed types.
  if (ret.dtype().is_int()) {
    if ((x - c1).Match(ret) && c1.IntValue() != std::numeric_limits<int64_t>::min() &&
        FitsInType(ret.dtype(), -c1.IntValue())) {
      return ApplyAdd(Add(x.Eval(), IntImm(ret.dtype(), -c1.IntValue())));
    }
  }
  if (is_signed) {
    REWRITE_AGAIN((x + c1) - (y + c2), (x - y) + (c1 - c2));
    REWRITE_AGAIN((x + c1) - y, (x - y) + c1);
    REWRITE_AGAIN(x - (y + c1), (x - y) + (0 - c1));
    REWRITE_AGAIN(x - (c1 - y), (x + y) + (0 - c1));
  }
  // Unsigned: c1 - c2 must itself be a value of the type (TryEvalRule checks).
  REWRITE_AGAIN(c1 - (x + c2), (c1 - c2) - x);
  REWRITE_AGAIN(c1 - (c2 - x), x + (c1 - c2));
  REWRITE_AGAIN_IF(x - (y - z), (x + z) - y, is_signed);  // unsigned: x + z may pass the maximum
  return ret;
}

// ---------------------------------------------------------------------------
// Multiplication

PrimExpr RewriteSimplifier::Impl::ApplyMul(PrimExpr ret) {
  if (PrimExpr folded = FoldConstants(ret); folded.defined()) return folded;
  PVar<PrimExpr> x, y, b1, s1;
  PVar<IntImm> c1, c2;
  PVar<int> lanes;

  if (ret.dtype().lanes() != 1) {
    REWRITE_AGAIN(broadcast(x, lanes) * broadcast(y, lanes), broadcast(x * y, lanes));
    REWRITE_AGAIN(ramp(b1, s1, lanes) * broadcast(x, lanes), ramp(b1 * x, s1 * x, lanes));
    REWRITE_AGAIN(broadcast(x, lanes) * ramp(b1, s1, lanes), ramp(b1 * x, s1 * x, lanes));
  }
  if (!IsIndexType(ret.dtype())) return ret;

  REWRITE(x * 1, x);
  REWRITE(1 * x, x);
  if ((x * 0).Match(ret) || (0 * x).Match(ret)) return make_zero(ret.dtype());
  REWRITE(min(x, y) * max(x, y), x * y);
  // A negative factor flips a difference: (x - y) * -2 is (y - x) * 2.
  REWRITE_AGAIN_IF((x - y) * c1, (y - x) * (0 - c1), c1.IntValue() < 0);
  REWRITE(max(x, y) * min(x, y), x * y);
  // Constants distribute and move outwards.
  REWRITE_AGAIN((x + c1) * c2, x * c2 + c1 * c2);
  REWRITE_AGAIN((x * c1) * c2, x * (c1 * c2));
  REWRITE_AGAIN((x * c1) * y, (x * y) * c1);
  REWRITE_AGAIN(x * (y * c1), (x * y) * c1);
  if ((c1 * x).Match(ret)) return ApplyMul(Mul(x.Eval(), c1.Eval()));
  return ret;
}

PrimExpr RewriteSimplifier::Impl::ApplySelect(PrimExpr ret) {
  PVar<PrimExpr> x, y, z;
  const auto* op = ret.as<SelectNode>();
  if (op == nullptr) return ret;
  if (auto v = as_const_int(op->condition)) return *v != 0 ? op->true_value : op->false_value;
  REWRITE(select(x, y, y), y);
  REWRITE_AGAIN(select(!x, y, z), select(x, z, y));
  return ret;
}

// ---------------------------------------------------------------------------
// The public class

RewriteSimplifier::RewriteSimplifier(Analyzer* parent) : impl_(std::make_unique<Impl>(parent)) {}
RewriteSimplifier::~RewriteSimplifier() = default;

PrimExpr RewriteSimplifier::operator()(const PrimExpr& expr) {
  TVM_CHECK(expr.defined(), "ValueError") << "rewrite_simplify: the expression is undefined (None)";
  return impl_->Simplify(expr);
}

void RewriteSimplifier::Update(const Var& var, const PrimExpr& new_expr, bool allow_override) {
  impl_->Update(var, new_expr, allow_override);
}

void RewriteSimplifier::SetEnabledExtensions(Extension flags) { impl_->SetEnabledExtensions(flags); }

RewriteSimplifier::Extension RewriteSimplifier::GetEnabledExtensions() const { return impl_->GetEnabledExtensions(); }

std::function<void()> RewriteSimplifier::EnterConstraint(const PrimExpr& constraint) {
  return impl_->EnterConstraint(constraint);
}

void RewriteSimplifier::SetMaximumRewriteSteps(int64_t maximum) { impl_->SetMaximumRewriteSteps(maximum); }

}  // namespace arith
}  // namespace tvm
