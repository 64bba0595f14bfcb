/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file constraint_extract.h
 * \brief Split a condition into the facts it asserts: the conjuncts of
 *  `a && b && ...`, with negations pushed inwards (`!(a || b)` asserts `!a`
 *  and `!b`; `!(x < y)` asserts `y <= x`).
 */
#ifndef TVM_ARITH_CONSTRAINT_EXTRACT_H_
#define TVM_ARITH_CONSTRAINT_EXTRACT_H_

#include <tvm/tir/expr.h>

#include <vector>

namespace tvm {
namespace arith {

/*! \brief The atoms that `cond` asserts (comparisons, calls, boolean variables, ...). */
std::vector<PrimExpr> ExtractConstraints(const PrimExpr& cond);

/*! \brief The negation of a boolean expression, with comparisons flipped (!(x < y) is y <= x). */
PrimExpr NegateCondition(const PrimExpr& cond);

}  // namespace arith
}  // namespace tvm
#endif  // TVM_ARITH_CONSTRAINT_EXTRACT_H_
