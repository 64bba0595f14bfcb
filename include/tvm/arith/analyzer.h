/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/arith/analyzer.h
 * \brief The arithmetic analyzer: what is known about integer expressions of
 *  the loop IR, and the simplifiers that use it.
 *
 *   arith::Analyzer ana;
 *   ana.Bind(i, Range(0, 4));                // loop variable i in [0, 4)
 *   ana.Simplify(floordiv(x * 4 + i, 4));    // x
 *   ana.const_int_bound(i * 2 + 1);          // [1, 7]
 *   ana.modular_set(x * 4 + 2);              // 4k + 2
 *   {
 *     With<arith::ConstraintContext> ctx(&ana, x < 10);
 *     ana.CanProve(x < 11);                  // true inside the scope
 *   }
 *
 * The sub-analyzers share one Analyzer: bindings and constraints given to
 * the Analyzer reach all of them, and each asks the others (the simplifiers
 * ask bounds to prove comparisons, bounds ask modular sets, ...). An
 * Analyzer is cheap to create; create one per pass or per function and bind
 * variables as loops are entered.
 */
#ifndef TVM_ARITH_ANALYZER_H_
#define TVM_ARITH_ANALYZER_H_

#include <tvm/arith/int_set.h>
#include <tvm/ir/expr.h>
#include <tvm/support/with.h>
#include <tvm/tir/expr.h>

#include <functional>
#include <limits>
#include <memory>
#include <unordered_map>
#include <vector>

namespace tvm {
namespace arith {

class Analyzer;

/*! \brief How hard CanProve tries. */
enum class ProofStrength : int {
  /*! \brief Simplification and constant bounds. */
  kDefault = 0,
  /*! \brief Also compare symbolic interval bounds (slower). */
  kSymbolicBound = 1,
};

/*!
 * \brief Constant bounds [min_value, max_value] of an integer expression;
 *  kPosInf / kNegInf stand for no bound.
 */
class ConstIntBoundNode : public Object {
 public:
  int64_t min_value;
  int64_t max_value;

  void VisitAttrs(AttrVisitor* v) {
    v->Visit("min_value", &min_value);
    v->Visit("max_value", &max_value);
  }

  static constexpr int64_t kPosInf = std::numeric_limits<int64_t>::max();
  static constexpr int64_t kNegInf = -kPosInf;
  static constexpr const char* _type_key = "arith.ConstIntBound";
  static constexpr bool _type_final = true;
  using _type_parent = Object;
};

class ConstIntBound : public ObjectRef {
 public:
  using ContainerType = ConstIntBoundNode;
  ConstIntBound() = default;
  explicit ConstIntBound(ObjectPtr<Object> n) : ObjectRef(std::move(n)) {}
  TVM_DLL ConstIntBound(int64_t min_value, int64_t max_value);
  const ConstIntBoundNode* operator->() const { return static_cast<const ConstIntBoundNode*>(get()); }

  static constexpr int64_t kPosInf = ConstIntBoundNode::kPosInf;
  static constexpr int64_t kNegInf = ConstIntBoundNode::kNegInf;
};

/*! \brief Constant bounds by interval arithmetic over every integer node. */
class TVM_DLL ConstIntBoundAnalyzer {
 public:
  using BoundMapType = std::unordered_map<PrimExpr, ConstIntBound, ObjectPtrHash, ObjectPtrEqual>;

  /*! \brief The bounds of expr (the full range of its dtype when nothing is known). */
  ConstIntBound operator()(const PrimExpr& expr) const;
  /*! \brief Same, also recording the bounds of every sub-expression in `bound`. */
  ConstIntBound operator()(const PrimExpr& expr, BoundMapType* bound);
  /*!
   * \brief Set the bounds of a variable.
   * \throws Error (ValueError) when var already has different bounds and
   *  allow_override is false.
   */
  void Update(const Var& var, const ConstIntBound& info, bool allow_override = false);
  /*! \brief var in [range.min, range.min + range.extent). */
  void Bind(const Var& var, const Range& range, bool allow_override = false);
  /*! \brief Whether var has bounds set by Update or Bind. */
  bool IsBound(const Var& var) const;

  ~ConstIntBoundAnalyzer();

 private:
  friend class Analyzer;
  friend class ConstraintContext;
  explicit ConstIntBoundAnalyzer(Analyzer* parent);
  /*! \brief Use the facts of `constraint`; returns the function that forgets them. */
  std::function<void()> EnterConstraint(const PrimExpr& constraint);
  class Impl;
  std::unique_ptr<Impl> impl_;
};

/*! \brief The set {coeff * k + base | k an integer}; coeff 0 is the constant base. */
class ModularSetNode : public Object {
 public:
  int64_t coeff;
  int64_t base;

  void VisitAttrs(AttrVisitor* v) {
    v->Visit("coeff", &coeff);
    v->Visit("base", &base);
  }
  static constexpr const char* _type_key = "arith.ModularSet";
  static constexpr bool _type_final = true;
  using _type_parent = Object;
};

class ModularSet : public ObjectRef {
 public:
  using ContainerType = ModularSetNode;
  ModularSet() = default;
  explicit ModularSet(ObjectPtr<Object> n) : ObjectRef(std::move(n)) {}
  TVM_DLL ModularSet(int64_t coeff, int64_t base);
  const ModularSetNode* operator->() const { return static_cast<const ModularSetNode*>(get()); }
};

/*! \brief Which residues an integer expression can have (divisibility, alignment). */
class TVM_DLL ModularSetAnalyzer {
 public:
  ModularSet operator()(const PrimExpr& expr);
  void Update(const Var& var, const ModularSet& info, bool allow_override = false);
  ~ModularSetAnalyzer();

 private:
  friend class Analyzer;
  friend class ConstraintContext;
  explicit ModularSetAnalyzer(Analyzer* parent);
  std::function<void()> EnterConstraint(const PrimExpr& constraint);
  class Impl;
  std::unique_ptr<Impl> impl_;
};

/*!
 * \brief What is known about `lhs` compared with `rhs`: the set of outcomes
 *  (<, ==, >) still possible, one bit each. kLE is "< or ==", kNE "< or >";
 *  kUnknown allows all three, kInconsistent none (the known facts contradict).
 */
enum class CompareResult : int {
  kInconsistent = 0,
  kEQ = 1,
  kLT = 2,
  kLE = 3,
  kGT = 4,
  kGE = 5,
  kNE = 6,
  kUnknown = 7,
};

/*! \brief The outcomes both results allow (what is known when both hold). */
inline CompareResult operator&(CompareResult a, CompareResult b) {
  return CompareResult(static_cast<int>(a) & static_cast<int>(b));
}

/*!
 * \brief Compares signed integer expressions through known comparisons
 *  between them: i < j and j <= k + 2 give i < k + 2. Facts come from
 *  constraints (ConstraintContext) and bindings, each read as
 *  `a - b <= c` or `a - b != c` between terms stripped of a constant offset.
 *  Without propagation only facts relating the two compared terms directly
 *  are used (i < j proves i < j + 1); with it, chains of facts.
 */
class TVM_DLL TransitiveComparisonAnalyzer {
 public:
  /*! \brief What the known facts prove about lhs compared with rhs. */
  CompareResult TryCompare(const PrimExpr& lhs, const PrimExpr& rhs, bool propagate_inequalities = true);
  /*! \brief var == expr (replaces what var was bound to). */
  void Bind(const Var& var, const PrimExpr& expr, bool allow_override = false);
  /*! \brief min <= var < min + extent (replaces what var was bound to). */
  void Bind(const Var& var, const Range& range, bool allow_override = false);
  ~TransitiveComparisonAnalyzer();

 private:
  friend class Analyzer;
  friend class ConstraintContext;
  TransitiveComparisonAnalyzer();
  std::function<void()> EnterConstraint(const PrimExpr& constraint);
  class Impl;
  std::unique_ptr<Impl> impl_;
};

/*!
 * \brief A rule-based simplifier: constant folding and algebraic rewrite
 *  rules, several of them conditional on bounds and modular sets.
 */
class TVM_DLL RewriteSimplifier {
 public:
  /*! \brief Optional, costlier proofs and rewrites (bit flags; all off by default). */
  enum Extension {
    kNone = 0,
    /*! \brief Compare through chains of known comparisons (i < j, j < k: i < k). */
    kTransitivelyProveInequalities = (1 << 0),
    /*! \brief Put boolean expressions in conjunctive normal form, simplifying between clauses. */
    kConvertBooleanToAndOfOrs = (1 << 1),
    /*! \brief Simplify each operand of && (||) assuming the other is true (false). */
    kApplyConstraintsToBooleanBranches = (1 << 2),
  };
  void SetEnabledExtensions(Extension flags);
  Extension GetEnabledExtensions() const;

  PrimExpr operator()(const PrimExpr& expr);
  /*! \brief Replace var by new_expr while simplifying. */
  void Update(const Var& var, const PrimExpr& new_expr, bool allow_override = false);
  /*! \brief Assume `constraint` (its atoms simplify to true); returns the function that forgets it. */
  std::function<void()> EnterConstraint(const PrimExpr& constraint);
  /*! \brief Limit the number of rule applications of one call (0: no limit). */
  void SetMaximumRewriteSteps(int64_t maximum);
  ~RewriteSimplifier();

 private:
  friend class Analyzer;
  friend class ConstraintContext;
  friend class CanonicalSimplifier;
  explicit RewriteSimplifier(Analyzer* parent);
  class Impl;
  std::unique_ptr<Impl> impl_;
};

/*!
 * \brief A simplifier that puts integer expressions in a normal form (a sum
 *  of scaled, possibly divided and taken-modulo terms plus a constant), so
 *  that algebraically equal index expressions become identical.
 */
class TVM_DLL CanonicalSimplifier {
 public:
  PrimExpr operator()(const PrimExpr& expr);
  void Update(const Var& var, const PrimExpr& new_expr, bool allow_override = false);
  ~CanonicalSimplifier();

 private:
  friend class Analyzer;
  friend class ConstraintContext;
  explicit CanonicalSimplifier(Analyzer* parent);
  std::function<void()> EnterConstraint(const PrimExpr& constraint);
  class Impl;
  std::unique_ptr<Impl> impl_;
};

/*! \brief Interval sets of expressions, over given or bound variable domains. */
class TVM_DLL IntSetAnalyzer {
 public:
  /*! \brief The set of expr when variables range over dom_map (and the analyzer's bindings). */
  IntSet operator()(const PrimExpr& expr, const Map<Var, IntSet>& dom_map);
  /*! \brief The set of expr over the analyzer's bindings. */
  IntSet operator()(const PrimExpr& expr);
  void Update(const Var& var, const IntSet& new_interval_set, bool allow_override = false);
  void Bind(const Var& var, const Range& new_range, bool allow_override = false);
  ~IntSetAnalyzer();

 private:
  friend class Analyzer;
  friend class ConstraintContext;
  explicit IntSetAnalyzer(Analyzer* parent);
  std::function<void()> EnterConstraint(const PrimExpr& constraint);
  class Impl;
  std::unique_ptr<Impl> impl_;
};

/*!
 * \brief Assume a condition inside a scope:
 *
 *   With<ConstraintContext> ctx(&analyzer, i < n && 0 <= i);
 *
 * Every conjunct is handed to the sub-analyzers on entry and forgotten on
 * exit. Facts of the forms `e < c`, `e <= c`, `e > c`, `e >= c`, `e == c`
 * (c constant or with constant bounds) tighten bounds, `floormod(x, c) == r`
 * sets modular sets, and the simplifiers rewrite the conjuncts themselves to
 * true (and their negations to false).
 */
class ConstraintContext {
 private:
  friend class With<ConstraintContext>;
  ConstraintContext(Analyzer* analyzer, PrimExpr constraint)
      : analyzer_(analyzer), constraint_(std::move(constraint)) {}
  TVM_DLL void EnterWithScope();
  TVM_DLL void ExitWithScope();

  Analyzer* analyzer_;
  PrimExpr constraint_;
  std::vector<std::function<void()>> recovery_functions_;
};

/*! \brief The analyzer: holds the sub-analyzers and routes facts to all of them. */
class TVM_DLL Analyzer {
 public:
  ConstIntBoundAnalyzer const_int_bound;
  ModularSetAnalyzer modular_set;
  RewriteSimplifier rewrite_simplify;
  CanonicalSimplifier canonical_simplify;
  IntSetAnalyzer int_set;
  TransitiveComparisonAnalyzer transitive_comparisons;

  Analyzer();
  Analyzer(const Analyzer&) = delete;
  Analyzer& operator=(const Analyzer&) = delete;

  /*!
   * \brief Record that `value` is non-negative everywhere (a shape expression).
   *  Values of the form var, var * c or var + c (c constant) tighten var's bounds.
   */
  void MarkGlobalNonNegValue(const PrimExpr& value);
  /*!
   * \brief var equals expr: the simplifiers substitute it, the other analyzers
   *  take expr's bounds, residue and set.
   * \throws Error (ValueError) when var is already bound differently and
   *  allow_override is false.
   */
  void Bind(const Var& var, const PrimExpr& expr, bool allow_override = false);
  /*! \brief var ranges over [range.min, range.min + range.extent) (a loop variable). */
  void Bind(const Var& var, const Range& range, bool allow_override = false);
  void Bind(const Map<Var, Range>& variables, bool allow_override = false);
  /*! \brief Whether expr >= lower_bound always holds. */
  bool CanProveGreaterEqual(const PrimExpr& expr, int64_t lower_bound);
  /*! \brief Whether expr < upper_bound always holds. */
  bool CanProveLess(const PrimExpr& expr, int64_t upper_bound);
  /*! \brief Whether lhs == rhs always holds. */
  bool CanProveEqual(const PrimExpr& lhs, const PrimExpr& rhs);
  /*!
   * \brief Whether the boolean `cond` always holds. False means "could not
   *  prove", not "proved false".
   */
  bool CanProve(const PrimExpr& cond, ProofStrength strength = ProofStrength::kDefault);
  /*!
   * \brief Simplify with the rewrite and the canonical simplifier in turn,
   *  `steps` passes in all (rewrite first).
   */
  PrimExpr Simplify(const PrimExpr& expr, int steps = 2);
};

}  // namespace arith
}  // namespace tvm
#endif  // TVM_ARITH_ANALYZER_H_
