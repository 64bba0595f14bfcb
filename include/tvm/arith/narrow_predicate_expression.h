/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/arith/narrow_predicate_expression.h
 * \brief A condition free of some parameters that implies a given condition
 *  for every value the parameters take in their ranges.
 *
 *   // n in [0, 8): i < n holds for every n when i < 0
 *   NarrowPredicateExpression(i < n, {{n, Range(0, 8)}})   // i < 0
 */
#ifndef TVM_ARITH_NARROW_PREDICATE_EXPRESSION_H_
#define TVM_ARITH_NARROW_PREDICATE_EXPRESSION_H_

#include <tvm/ir/expr.h>
#include <tvm/tir/var.h>

namespace tvm {
namespace arith {

/*!
 * \brief Replace each free parameter in `expr` by the end of its range that
 *  makes the condition hardest to satisfy, so the result implies `expr`.
 *
 * Sums, differences, products by constants and divisions by positive
 * constants are monotonic and are bounded through; a remainder, a buffer
 * load, or a parameter in a divisor or a non-constant product cannot be
 * bounded, and the comparison holding it becomes false (true under a
 * negation). The result is built without simplifying (i + 0 stays).
 */
TVM_DLL PrimExpr NarrowPredicateExpression(PrimExpr expr, Map<tir::Var, Range> free_parameters);

}  // namespace arith
}  // namespace tvm
#endif  // TVM_ARITH_NARROW_PREDICATE_EXPRESSION_H_
