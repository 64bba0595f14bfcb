/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file expr_equal.h
 * \brief Fast structural equality of loop-IR expressions, comparing
 *  variables by identity (no alpha-renaming). The pattern matcher and the
 *  simplifiers call it constantly, so the common nodes are compared directly
 *  and only rare ones fall back to tvm::StructuralEqual.
 */
#ifndef TVM_ARITH_EXPR_EQUAL_H_
#define TVM_ARITH_EXPR_EQUAL_H_

#include <tvm/tir/expr.h>

namespace tvm {
namespace arith {

/*! \brief Whether a and b are the same expression tree (vars by identity). */
bool ExprDeepEqual(const PrimExpr& a, const PrimExpr& b);

}  // namespace arith
}  // namespace tvm
#endif  // TVM_ARITH_EXPR_EQUAL_H_
