/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/arith/pattern.h
 * \brief Recognising linear index expressions and clipping conditions.
 *
 *   DetectLinearEquation(i * 4 + j * 2 + 1, {i, j});   // [4, 2, 1]
 *   DetectClipBound(0 <= i && i < n, {i});            // [0, n - 1]
 */
#ifndef TVM_ARITH_PATTERN_H_
#define TVM_ARITH_PATTERN_H_

#include <tvm/ir/expr.h>
#include <tvm/tir/expr.h>

namespace tvm {
namespace arith {

/*!
 * \brief Write e as c_0 * vars[0] + ... + c_{n-1} * vars[n-1] + base, where
 *  the coefficients and the base do not mention any of vars.
 * \return [c_0, ..., c_{n-1}, base] (simplified), or an empty array when e
 *  is not linear in vars.
 */
TVM_DLL Array<PrimExpr> DetectLinearEquation(const PrimExpr& e, const Array<tir::Var>& vars);

/*!
 * \brief Read a conjunction of comparisons as bounds of each variable.
 * \return [min_0, max_0, min_1, max_1, ...] (inclusive; an entry is
 *  undefined where the condition gives no bound on that side), or an empty
 *  array when some conjunct is not a linear comparison of one of vars.
 */
TVM_DLL Array<PrimExpr> DetectClipBound(const PrimExpr& cond, const Array<tir::Var>& vars);

}  // namespace arith
}  // namespace tvm
#endif  // TVM_ARITH_PATTERN_H_
