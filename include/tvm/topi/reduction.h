/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/topi/reduction.h
 * \brief Reductions over axes (tag "comm_reduce"; argmax/argmin "comm_reduce_idx").
 *
 * axis: std::nullopt reduces every axis; otherwise a list of axes, negative ones
 * counted from the end, duplicates ignored. With exclude the listed axes are
 * kept and the others reduced. keepdims leaves reduced axes as size 1;
 * atleast1d makes a full reduction of shape (1,) instead of ().
 */
#ifndef TVM_TOPI_REDUCTION_H_
#define TVM_TOPI_REDUCTION_H_

#include <tvm/te/tensor.h>
#include <tvm/topi/tags.h>

#include <optional>
#include <string>
#include <vector>

namespace tvm {
namespace topi {

using ReduceAxes = std::optional<Array<Integer>>;

/*!
 * \brief The sorted, distinct, non-negative axes a reduction covers.
 * \throws Error (ValueError) naming op when an axis is out of range for ndim.
 */
TVM_DLL std::vector<int> GetRealAxis(int ndim, const ReduceAxes& axis, bool exclude = false,
                                     const std::string& op = "reduce");

TVM_DLL te::Tensor sum(const te::Tensor& data, const ReduceAxes& axis, bool keepdims = false, bool atleast1d = false,
                       bool exclude = false);
TVM_DLL te::Tensor max(const te::Tensor& data, const ReduceAxes& axis, bool keepdims = false, bool atleast1d = false,
                       bool exclude = false);
TVM_DLL te::Tensor min(const te::Tensor& data, const ReduceAxes& axis, bool keepdims = false, bool atleast1d = false,
                       bool exclude = false);
TVM_DLL te::Tensor prod(const te::Tensor& data, const ReduceAxes& axis, bool keepdims = false,
                        bool atleast1d = false, bool exclude = false);
/*! \brief Logical and / or of the elements (as bool). */
TVM_DLL te::Tensor all(const te::Tensor& data, const ReduceAxes& axis, bool keepdims = false, bool atleast1d = false,
                       bool exclude = false);
TVM_DLL te::Tensor any(const te::Tensor& data, const ReduceAxes& axis, bool keepdims = false, bool atleast1d = false,
                       bool exclude = false);
/*!
 * \brief The index (int32, row-major over the reduced axes) of the largest
 *  element; ties go to the first, or with select_last_index the last.
 */
TVM_DLL te::Tensor argmax(const te::Tensor& data, const ReduceAxes& axis, bool keepdims = false,
                          bool atleast1d = false, bool select_last_index = false, bool exclude = false);
TVM_DLL te::Tensor argmin(const te::Tensor& data, const ReduceAxes& axis, bool keepdims = false,
                          bool atleast1d = false, bool select_last_index = false, bool exclude = false);
/*!
 * \brief The sum of data over the axes that broadcasting target_shape to data's
 *  shape would have stretched (the gradient of broadcast_to).
 */
TVM_DLL te::Tensor collapse_sum(const te::Tensor& data, const Array<PrimExpr>& target_shape);

}  // namespace topi
}  // namespace tvm
#endif  // TVM_TOPI_REDUCTION_H_
