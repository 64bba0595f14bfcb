/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file rewrite_simplify.h
 * \brief The rule-based simplifier's implementation class, shared by the
 *  files that hold its rules (rewrite_simplify*.cc) and by the canonical
 *  simplifier, which reuses every rule for the nodes it does not normalise.
 *
 * A node is simplified bottom-up: its children first, then the rules of its
 * kind are tried in order on the node rebuilt from the simplified children
 * (`ApplyAdd`, `ApplyFloorDiv`, ...). A rule's result is returned as is when
 * it is known to be simplified, or simplified again (bounded recursion) when
 * it may enable more rules. Rules are one line each:
 *
 *   REWRITE(x + 0, x);
 *   REWRITE_IF(floordiv(x * c1, c2), x * floordiv(c1, c2), c1.IntValue() % c2.IntValue() == 0);
 *   REWRITE_AGAIN((x + c1) + y, (x + y) + c1);
 */
#ifndef TVM_ARITH_REWRITE_SIMPLIFY_H_
#define TVM_ARITH_REWRITE_SIMPLIFY_H_

#include <tvm/arith/analyzer.h>
#include <tvm/tir/expr_functor.h>
#include <tvm/tir/op.h>

#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

#include "int_operator.h"
#include "pattern_match.h"

namespace tvm {
namespace arith {

using namespace tir;  // NOLINT(build/namespaces)

class RewriteSimplifier::Impl : public ExprMutator {
 public:
  explicit Impl(Analyzer* parent) : analyzer_(parent) {}
  virtual ~Impl() = default;

  /*! \brief Simplify e (the entry point). */
  PrimExpr Simplify(const PrimExpr& e);
  void Update(const Var& var, const PrimExpr& info, bool allow_override);
  std::function<void()> EnterConstraint(const PrimExpr& constraint);
  void SetMaximumRewriteSteps(int64_t maximum) { max_rewrite_steps_ = maximum; }
  void SetEnabledExtensions(RewriteSimplifier::Extension flags) {
    enabled_extensions_ = flags;
    ClearMemo();
  }
  RewriteSimplifier::Extension GetEnabledExtensions() const { return enabled_extensions_; }

  // Rules per node kind; `ret` is a node of that kind whose children are simplified.
  PrimExpr ApplyAdd(PrimExpr ret);
  PrimExpr ApplySub(PrimExpr ret);
  PrimExpr ApplyMul(PrimExpr ret);
  PrimExpr ApplyDiv(PrimExpr ret);
  PrimExpr ApplyMod(PrimExpr ret);
  PrimExpr ApplyFloorDiv(PrimExpr ret);
  PrimExpr ApplyFloorMod(PrimExpr ret);
  PrimExpr ApplyMin(PrimExpr ret);
  PrimExpr ApplyMax(PrimExpr ret);
  PrimExpr ApplyEQ(PrimExpr ret);
  PrimExpr ApplyNE(PrimExpr ret);
  PrimExpr ApplyLT(PrimExpr ret);
  PrimExpr ApplyLE(PrimExpr ret);
  PrimExpr ApplyAnd(PrimExpr ret);
  PrimExpr ApplyOr(PrimExpr ret);
  PrimExpr ApplyNot(PrimExpr ret);
  PrimExpr ApplySelect(PrimExpr ret);

  // Optional boolean extensions (rewrite_simplify_boolean.cc).
  /*! \brief a && b (a || b) of an And (Or) node with the enabled extensions applied. */
  PrimExpr VisitBooleanWithExtensions(const PrimExpr& e);
  /*! \brief a && b (is_and) or a || b, each side simplified assuming the other holds (fails). */
  PrimExpr SimplifyBranchesUnderEachOther(const PrimExpr& a, const PrimExpr& b, bool is_and);
  /*! \brief expr in conjunctive normal form, simplified between atoms and clauses. */
  PrimExpr SimplifyAsAndOfOrs(const PrimExpr& expr);

  /*! \brief Simplified a - b, from already simplified a and b (children are not revisited). */
  virtual PrimExpr SimplifiedDiff(const PrimExpr& a, const PrimExpr& b);

  /*! \brief Visit e, reusing the result of an earlier visit of the same node (see Memoised). */
  PrimExpr VisitExpr(const PrimExpr& e) override {
    PrimExpr r = Memoised(e, [&]() { return ExprMutator::VisitExpr(e); });
    RememberResult(r, r);
    return r;
  }

 protected:
  PrimExpr VisitExpr_(const AddNode* op) override;
  PrimExpr VisitExpr_(const SubNode* op) override;
  PrimExpr VisitExpr_(const MulNode* op) override;
  PrimExpr VisitExpr_(const DivNode* op) override;
  PrimExpr VisitExpr_(const ModNode* op) override;
  PrimExpr VisitExpr_(const FloorDivNode* op) override;
  PrimExpr VisitExpr_(const FloorModNode* op) override;
  PrimExpr VisitExpr_(const MinNode* op) override;
  PrimExpr VisitExpr_(const MaxNode* op) override;
  PrimExpr VisitExpr_(const EQNode* op) override;
  PrimExpr VisitExpr_(const NENode* op) override;
  PrimExpr VisitExpr_(const LTNode* op) override;
  PrimExpr VisitExpr_(const LENode* op) override;
  PrimExpr VisitExpr_(const GTNode* op) override;
  PrimExpr VisitExpr_(const GENode* op) override;
  PrimExpr VisitExpr_(const AndNode* op) override;
  PrimExpr VisitExpr_(const OrNode* op) override;
  PrimExpr VisitExpr_(const NotNode* op) override;
  PrimExpr VisitExpr_(const SelectNode* op) override;
  PrimExpr VisitExpr_(const CallNode* op) override;
  PrimExpr VisitExpr_(const VarNode* op) override;
  PrimExpr VisitExpr_(const SizeVarNode* op) override;
  PrimExpr VisitExpr_(const CastNode* op) override;
  PrimExpr VisitExpr_(const LetNode* op) override;
  PrimExpr VisitExpr_(const RampNode* op) override;

  /*!
   * \brief compute(), or the value it gave for the same node at the same recursion
   *  depth earlier in this top-level Simplify. Rules compare simplified operands by
   *  re-simplifying their difference (TryCompare), and rule results are simplified
   *  again (RecursiveRewrite); both revisit whole subtrees, so nested min/max cost
   *  grew exponentially with the nesting depth, and so did shared subtrees (a DAG
   *  is visited as the tree it unfolds to). A result depends on the node, the
   *  depth and the facts in scope, so the table is emptied whenever a fact is
   *  entered or left (constraints, variable bindings) and at each top-level call.
   */
  template <typename F>
  PrimExpr Memoised(const PrimExpr& e, F compute) {
    if (simplify_nesting_ == 0 || max_rewrite_steps_ > 0 || !e.defined() || IsMemoLeaf(e)) return compute();
    MemoKey key{e.get(), recursion_depth_};
    auto it = memo_.find(key);
    if (it != memo_.end()) return it->second.second;
    PrimExpr r = compute();
    // The key node is kept alive so that its address is not reused by another node.
    memo_.emplace(key, std::make_pair(e, r));
    return r;
  }
  /*!
   * \brief Record that visiting the result r (at this depth, under these facts)
   *  gives value. Rules revisit the results they were given (TryCompare
   *  simplifies the difference of two simplified operands), which are new
   *  nodes the memo has not seen: each nested min/max level re-simplified
   *  everything below it. A result is its own simplification; the canonical
   *  simplifier records the sum form it normalised r from.
   */
  void RememberResult(const PrimExpr& r, const PrimExpr& value) {
    if (simplify_nesting_ == 0 || max_rewrite_steps_ > 0 || !r.defined() || IsMemoLeaf(r)) return;
    memo_.emplace(MemoKey{r.get(), recursion_depth_}, std::make_pair(r, value));
  }
  static bool IsMemoLeaf(const PrimExpr& e) {
    return e.as<IntImmNode>() || e.as<FloatImmNode>() || e.as<VarNode>() || e.as<StringImmNode>();
  }
  /*! \brief Forget memoised results: the facts they were computed under changed. */
  void ClearMemo() {
    if (!memo_.empty()) memo_.clear();
  }

  /*! \brief Simplify a rule's result again, unless the recursion is already deep. */
  PrimExpr RecursiveRewrite(const PrimExpr& e);

  /*! \brief Rebuild a binary node from simplified children, reusing op when nothing changed. */
  template <typename T, typename NodeType>
  PrimExpr Rebuild(const NodeType* op, const PrimExpr& a, const PrimExpr& b) {
    if (a.same_as(op->a) && b.same_as(op->b)) return GetRef<PrimExpr>(op);
    return T(a, b);
  }

  // Facts the rules ask about.
  struct Bounds {
    int64_t min_value;
    int64_t max_value;
  };
  Bounds BoundsOf(const PrimExpr& e) {
    ConstIntBound b = analyzer_->const_int_bound(e);
    return Bounds{b->min_value, b->max_value};
  }
  bool CanProveGE(const PrimExpr& e, int64_t v) { return BoundsOf(e).min_value >= v; }
  bool CanProveGT(const PrimExpr& e, int64_t v) { return BoundsOf(e).min_value > v; }
  bool CanProveLE(const PrimExpr& e, int64_t v) { return BoundsOf(e).max_value <= v; }
  bool CanProveLT(const PrimExpr& e, int64_t v) { return BoundsOf(e).max_value < v; }
  /*! \brief 0 <= e < c. */
  bool InRange(const PrimExpr& e, int64_t c) {
    Bounds b = BoundsOf(e);
    return b.min_value >= 0 && b.max_value < c;
  }

  /*! \brief What is known about x compared with the constant val. */
  enum class Compare { kUnknown, kEQ, kNE, kLT, kLE, kGT, kGE };
  Compare TryCompare(const PrimExpr& x, int64_t val);
  /*! \brief What is known about a compared with b (both simplified): bounds, then known comparisons. */
  Compare TryCompare(const PrimExpr& a, const PrimExpr& b);
  /*! \brief What the bounds and modular sets of a - b (or of a and b, unsigned) tell. */
  Compare TryCompareByBounds(const PrimExpr& a, const PrimExpr& b);

  /*! \brief true/false when cond (or its negation) is an entered constraint. */
  std::optional<bool> MatchConstraint(const PrimExpr& cond) const;

  static bool IsIndexType(DataType t) { return (t.is_int() || t.is_uint()) && !t.is_bool(); }
  static bool IsScalarIndex(DataType t) { return IsIndexType(t) && t.lanes() == 1; }
  /*! \brief Whether an integer constant of type t can hold v. */
  static bool FitsInType(DataType t, int64_t v) {
    if (t.bits() >= 64) return !t.is_uint() || v >= 0;
    if (t.is_uint()) return v >= 0 && v < (int64_t{1} << t.bits());
    return v >= -(int64_t{1} << (t.bits() - 1)) && v < (int64_t{1} << (t.bits() - 1));
  }

  /*!
   * \brief Whether a value of integer type t wraps when it leaves the type's range.
   *  Narrow signed and all unsigned types do (LLVM's plain add/mul); int32 and
   *  int64 are added and multiplied with no-signed-wrap, so overflow there is
   *  assumed away like everywhere in index arithmetic.
   */
  static bool MayWrap(DataType t) {
    return (t.is_int() && t.bits() < 32) || (t.is_uint() && !t.is_bool());
  }
  /*!
   * \brief Whether out, a rewrite of src, computes no value that leaves its dtype.
   *
   * The rules assume that no sub-expression of their input leaves its dtype
   * (what the program computes is what the ideal integers compute) and are
   * valid for the ideal integers. Their output keeps that property only if
   * every node it builds does too: min(x - c, y) + c -> min(x, y + c) is wrong
   * in int8 when y + c passes 127 while x - c and the sum did not. So every
   * Add, Sub, Mul and Cast of a wrapping type (MayWrap) in out that is not a
   * node of src must have bounds within its dtype; int32 and int64 pass. The
   * root of out is exempt: it has the value of src.
   */
  bool WrapFree(const PrimExpr& src, const PrimExpr& out);
  /*! \brief out when WrapFree(src, out), else src: what a visitor returns after the rules. */
  PrimExpr Checked(const PrimExpr& src, const PrimExpr& out) { return WrapFree(src, out) ? out : src; }

  /*! \brief ramp < broadcast (strict) or <= when every lane agrees; undefined otherwise. */
  PrimExpr UniformRampCompare(const PrimExpr& ret, bool strict);

  /*! \brief Throw ZeroDivisionError when b is an integer zero (scalar or broadcast). */
  static void CheckDivisor(const PrimExpr& a, const PrimExpr& b, const char* name);

  /*! \brief Fold a binary node of two constants; undefined when it does not fold. */
  PrimExpr FoldConstants(const PrimExpr& ret);

  Analyzer* analyzer_;
  RewriteSimplifier::Extension enabled_extensions_{RewriteSimplifier::kNone};
  /*! \brief How many && / || are being visited around the current node (normal form at the outermost). */
  int boolean_depth_{0};
  int recursion_depth_{0};
  int64_t rewrite_steps_{0};
  int64_t max_rewrite_steps_{0};
  std::unordered_map<Var, PrimExpr, ObjectPtrHash, ObjectPtrEqual> var_map_;
  /*! \brief Entered constraint atoms and their negations, simplified. */
  std::vector<std::pair<PrimExpr, PrimExpr>> literal_constraints_;

  static constexpr int kMaxRecursionDepth = 5;

  using MemoKey = std::pair<const Object*, int>;
  struct MemoKeyHash {
    size_t operator()(const MemoKey& k) const {
      return std::hash<const Object*>()(k.first) * 31 + static_cast<size_t>(k.second);
    }
  };
  /*! \brief Visited node and depth -> (the node, its result); see Memoised. */
  std::unordered_map<MemoKey, std::pair<PrimExpr, PrimExpr>, MemoKeyHash> memo_;
  /*! \brief How many Simplify calls are active; the memo lives while it is positive. */
  int simplify_nesting_{0};
};

/*!
 * \brief Build a rule's result; false when a constant it computes does not fit
 *  the dtype (uint8 12 - 27, int8 12 * 12): such a rule does not apply.
 */
template <typename Pat>
bool TryEvalRule(const Pat& dst, PrimExpr* out) {
  try {
    *out = dst.Eval();
    return true;
  } catch (const runtime::Error& e) {
    if (e.kind() != "ValueError") throw;
    return false;
  }
}

/*!
 * \brief Build a rule's result with f; nothing when a constant it computes does
 *  not fit the dtype (IntImm raises ValueError), so the rule does not apply.
 */
template <typename F>
std::optional<PrimExpr> TryBuild(F f) {
  try {
    return f();
  } catch (const runtime::Error& e) {
    if (e.kind() != "ValueError") throw;
    return std::nullopt;
  }
}

// Rule helpers; `ret` is the expression being rewritten. A rule applies when its
// pattern matches, its condition holds, the constants it computes fit their
// dtype (TryEvalRule) and nothing it builds wraps (WrapFree).
#define REWRITE(src, dst)                                      \
  if (PrimExpr rule_out_; (src).Match(ret) && TryEvalRule((dst), &rule_out_) && WrapFree(ret, rule_out_)) { \
    return rule_out_;                                          \
  }
#define REWRITE_IF(src, dst, cond)                                      \
  if (PrimExpr rule_out_; (src).Match(ret) && (cond) && TryEvalRule((dst), &rule_out_) && WrapFree(ret, rule_out_)) { \
    return rule_out_;                                                   \
  }
#define REWRITE_AGAIN(src, dst)                                \
  if (PrimExpr rule_out_; (src).Match(ret) && TryEvalRule((dst), &rule_out_) && WrapFree(ret, rule_out_)) { \
    return RecursiveRewrite(rule_out_);                        \
  }
#define REWRITE_AGAIN_IF(src, dst, cond)                                \
  if (PrimExpr rule_out_; (src).Match(ret) && (cond) && TryEvalRule((dst), &rule_out_) && WrapFree(ret, rule_out_)) { \
    return RecursiveRewrite(rule_out_);                                 \
  }

}  // namespace arith
}  // namespace tvm
#endif  // TVM_ARITH_REWRITE_SIMPLIFY_H_
