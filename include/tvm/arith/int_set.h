/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/arith/int_set.h
 * \brief Sets of integers, as closed intervals [min, max] whose ends may be
 *  symbolic expressions or infinite, and their evaluation over expressions:
 *  given the set each variable ranges over, which values can an expression
 *  take? Bound inference of a split loop, for instance:
 *
 *   // i_outer in [0, n/4), i_inner in [0, 4)
 *   IntSet s = EvalSet(i_outer * 4 + i_inner, {{i_outer, IntSet::FromRange(r_outer)},
 *                                              {i_inner, IntSet::FromRange(r_inner)}});
 *   s.min();  // 0
 *   s.max();  // floordiv(n, 4) * 4 - 1
 *
 * The sets over-approximate: a result always contains every value the
 * expression can take, but may contain more.
 */
#ifndef TVM_ARITH_INT_SET_H_
#define TVM_ARITH_INT_SET_H_

#include <tvm/ir/expr.h>
#include <tvm/tir/expr.h>

#include <unordered_map>

namespace tvm {
namespace arith {

using tir::IterVar;
using tir::IterVarNode;
using tir::Var;
using tir::VarNode;

class Analyzer;

/*! \brief The sign of every value in a set, when it is known. */
enum SignType { kPositive, kNegative, kZero, kUnknown };

/*! \brief The base of integer set nodes. */
class IntSetNode : public Object {
 public:
  static constexpr const char* _type_key = "IntSet";
  using _type_parent = Object;
};

/*! \brief A set of integers; today always an interval (arith.IntervalSet). */
class IntSet : public ObjectRef {
 public:
  using ContainerType = IntSetNode;
  IntSet() = default;
  explicit IntSet(ObjectPtr<Object> n) : ObjectRef(std::move(n)) {}
  const IntSetNode* operator->() const { return static_cast<const IntSetNode*>(get()); }

  /*!
   * \brief The smallest range that covers the set; `max_range` where the set is
   *  unbounded. A single point p gives [p, p + 1).
   */
  TVM_DLL Range CoverRange(Range max_range) const;
  /*! \brief The lower bound (neg_inf() when there is none). */
  TVM_DLL PrimExpr min() const;
  /*! \brief The upper bound (pos_inf() when there is none). */
  TVM_DLL PrimExpr max() const;
  TVM_DLL SignType GetSignType() const;
  TVM_DLL bool IsNothing() const;
  TVM_DLL bool IsEverything() const;
  TVM_DLL bool IsSinglePoint() const;
  TVM_DLL bool CanProvePositive() const;
  TVM_DLL bool CanProveNegative() const;
  TVM_DLL bool CanProveNonPositive() const;
  TVM_DLL bool CanProveNonNegative() const;
  TVM_DLL bool HasUpperBound() const;
  TVM_DLL bool HasLowerBound() const;
  /*! \brief Whether the set is exactly [r.min, r.min + r.extent). */
  TVM_DLL bool MatchRange(const Range& r) const;
  /*! \brief The value of a single-point set (InternalError otherwise). */
  TVM_DLL PrimExpr PointValue() const;

  TVM_DLL static IntSet Nothing();
  TVM_DLL static IntSet Everything();
  TVM_DLL static IntSet SinglePoint(PrimExpr point);
  /*! \brief The lanes of a vector: a Ramp gives the interval it spans, a Broadcast its value. */
  TVM_DLL static IntSet Vector(PrimExpr vec);
  TVM_DLL static IntSet FromMinExtent(PrimExpr min, PrimExpr extent);
  /*! \brief [r.min, r.min + r.extent - 1]. */
  TVM_DLL static IntSet FromRange(Range r);
  /*! \brief The closed interval [min, max]. */
  TVM_DLL static IntSet Interval(PrimExpr min, PrimExpr max);
};

/*! \brief The symbolic +infinity used by interval ends (a unique variable). */
TVM_DLL PrimExpr pos_inf();
/*! \brief The symbolic -infinity used by interval ends. */
TVM_DLL PrimExpr neg_inf();
TVM_DLL bool is_pos_inf(const PrimExpr& value);
TVM_DLL bool is_neg_inf(const PrimExpr& value);

/*! \brief Key the domains by their variables. */
TVM_DLL Map<Var, IntSet> ConvertDomMap(const Map<IterVar, IntSet>& dom_map);
TVM_DLL std::unordered_map<const VarNode*, IntSet> ConvertDomMap(
    const std::unordered_map<const IterVarNode*, IntSet>& dom_map);

/*!
 * \brief The set of values `e` takes when each variable of `dom_map` ranges
 *  over its set (other variables stay symbolic). Ends are simplified.
 */
TVM_DLL IntSet EvalSet(PrimExpr e, const Map<Var, IntSet>& dom_map);
TVM_DLL IntSet EvalSet(PrimExpr e, const Map<IterVar, IntSet>& dom_map);
TVM_DLL IntSet EvalSet(PrimExpr e, const std::unordered_map<const VarNode*, IntSet>& dom_map);
/*! \brief The set covered by [r.min, r.min + r.extent) as the variables range. */
TVM_DLL IntSet EvalSet(Range r, const Map<IterVar, IntSet>& dom_map);
TVM_DLL IntSet EvalSet(Range r, const std::unordered_map<const VarNode*, IntSet>& dom_map);
TVM_DLL IntSet EvalSet(IntSet s, const std::unordered_map<const VarNode*, IntSet>& dom_map);
TVM_DLL Array<IntSet> EvalSet(const Array<Range>& region, const Map<Var, IntSet>& dom_map);

using ExprIntSetMap = std::unordered_map<PrimExpr, IntSet, ObjectPtrHash, ObjectPtrEqual>;
/*! \brief The set of every sub-expression of e. */
TVM_DLL ExprIntSetMap EvalSetForEachSubExpr(PrimExpr e,
                                            const std::unordered_map<const IterVarNode*, IntSet>& dom_map);

/*! \brief The smallest interval containing every set. */
TVM_DLL IntSet Union(const Array<IntSet>& sets);
/*! \brief Per dimension union of n-dimensional regions. */
TVM_DLL Array<IntSet> UnionRegion(const Array<Array<IntSet>>& nd_int_sets);
/*! \brief The union when the sets are known to be contiguous, else an under-approximation. */
TVM_DLL IntSet UnionLowerBound(const Array<IntSet>& sets);
TVM_DLL Array<IntSet> UnionRegionLowerBound(const Array<Array<IntSet>>& nd_int_sets);
/*! \brief The intersection of the sets. */
TVM_DLL IntSet Intersect(const Array<IntSet>& sets);

}  // namespace arith
}  // namespace tvm
#endif  // TVM_ARITH_INT_SET_H_
