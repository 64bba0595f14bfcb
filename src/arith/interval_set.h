/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file interval_set.h
 * \brief The interval [min_value, max_value] behind IntSet. An end is
 *  neg_inf()/pos_inf() when unbounded; the empty set has min pos_inf and
 *  max neg_inf.
 */
#ifndef TVM_ARITH_INTERVAL_SET_H_
#define TVM_ARITH_INTERVAL_SET_H_

#include <tvm/arith/analyzer.h>
#include <tvm/arith/int_set.h>

namespace tvm {
namespace arith {

class IntervalSetNode : public IntSetNode {
 public:
  PrimExpr min_value;
  PrimExpr max_value;

  void VisitAttrs(AttrVisitor* v) {
    v->Visit("min_value", &min_value);
    v->Visit("max_value", &max_value);
  }

  bool HasLowerBound() const { return !is_neg_inf(min_value) && !IsEmpty(); }
  bool HasUpperBound() const { return !is_pos_inf(max_value) && !IsEmpty(); }
  bool IsSinglePoint() const;
  bool IsEmpty() const { return is_pos_inf(min_value) || is_neg_inf(max_value); }
  bool IsEverything() const { return is_neg_inf(min_value) && is_pos_inf(max_value); }

  static constexpr const char* _type_key = "arith.IntervalSet";
  static constexpr bool _type_final = true;
  using _type_parent = IntSetNode;
};

class IntervalSet : public IntSet {
 public:
  using ContainerType = IntervalSetNode;
  IntervalSet() = default;
  explicit IntervalSet(ObjectPtr<Object> n) : IntSet(std::move(n)) {}
  IntervalSet(PrimExpr min_value, PrimExpr max_value);
  const IntervalSetNode* operator->() const { return static_cast<const IntervalSetNode*>(get()); }

  static IntervalSet SinglePoint(PrimExpr value) { return IntervalSet(value, value); }
  static IntervalSet Everything() { return IntervalSet(neg_inf(), pos_inf()); }
  static IntervalSet Empty() { return IntervalSet(pos_inf(), neg_inf()); }
};

/*! \brief The interval of an IntSet (every IntSet is an interval today). */
IntervalSet ToIntervalSet(const IntSet& set);

/*!
 * \brief Evaluate the interval of e with variables ranging over dom_map, using
 *  `analyzer` to decide signs and to simplify the ends.
 */
IntervalSet EvalInterval(Analyzer* analyzer, const PrimExpr& e,
                         const std::unordered_map<const VarNode*, IntSet>& dom_map);

}  // namespace arith
}  // namespace tvm
#endif  // TVM_ARITH_INTERVAL_SET_H_
