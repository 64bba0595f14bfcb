/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/topi/detail/broadcast.h
 * \brief Numpy broadcasting of shapes and of indices.
 */
#ifndef TVM_TOPI_DETAIL_BROADCAST_H_
#define TVM_TOPI_DETAIL_BROADCAST_H_

#include <tvm/te/tensor.h>

#include <string>

namespace tvm {
namespace topi {
namespace detail {

/*!
 * \brief The broadcast of two shapes, aligned on their last dimension. A dimension
 *  of 1 stretches; a symbolic dimension against a constant one other than 1
 *  takes the constant; two different symbolic dimensions must be the same variable.
 * \throws Error (ValueError) naming op and both shapes when they do not broadcast.
 */
TVM_DLL Array<PrimExpr> BroadcastShape(const Array<PrimExpr>& a, const Array<PrimExpr>& b, const std::string& op);

/*!
 * \brief The indices of `t` that output element `out_index` (of shape out_shape,
 *  which t broadcasts to) reads: trailing dimensions aligned, stretched ones at 0.
 */
TVM_DLL Array<PrimExpr> BroadcastIndex(const te::Tensor& t, const Array<PrimExpr>& out_shape,
                                       const Array<tir::Var>& out_index);

}  // namespace detail
}  // namespace topi
}  // namespace tvm
#endif  // TVM_TOPI_DETAIL_BROADCAST_H_
