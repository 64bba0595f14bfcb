/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/arith/bound.h
 * \brief Solving a condition for one variable: the values of `v` for which
 *  `cond` holds whatever values the relaxed variables take. Loop
 *  partitioning uses it to find where a guard is always true.
 *
 *   // x * 2 + y < 10 with y in [0, 3]: x <= 3
 *   IntSet s = DeduceBound(x, x * 2 + y < 10, {}, {{y, IntSet::Interval(0, 3)}});
 */
#ifndef TVM_ARITH_BOUND_H_
#define TVM_ARITH_BOUND_H_

#include <tvm/arith/int_set.h>
#include <tvm/tir/buffer.h>
#include <tvm/tir/stmt.h>

#include <unordered_map>

namespace tvm {
namespace arith {

/*!
 * \brief The set of v satisfying cond for every value of the variables in
 *  relax_map; hint_map gives domains used only to decide signs.
 * \param v The variable to solve for; it must appear exactly once, under
 *  +, -, * (by a factor whose sign the hints decide) and floordiv by such a divisor.
 * \param cond A comparison (<, <=, >, >=, ==) of integer expressions.
 * \return An interval unbounded on one side (a single point for ==), or
 *  IntSet::Nothing() when the condition cannot be solved for v.
 */
TVM_DLL IntSet DeduceBound(PrimExpr v, PrimExpr cond, const Map<Var, IntSet>& hint_map,
                           const Map<Var, IntSet>& relax_map);
TVM_DLL IntSet DeduceBound(PrimExpr v, PrimExpr cond, const std::unordered_map<const VarNode*, IntSet>& hint_map,
                           const std::unordered_map<const VarNode*, IntSet>& relax_map);

/*!
 * \brief Per dimension, the range of `buffer` that `body` loads and/or stores
 *  (scalar indices relaxed over the enclosing loops); empty when it does neither.
 */
TVM_DLL Array<Range> DomainTouched(const tir::Stmt& body, const tir::Buffer& buffer, bool consider_loads,
                                   bool consider_stores);

}  // namespace arith
}  // namespace tvm
#endif  // TVM_ARITH_BOUND_H_
