/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/topi/transform.h
 * \brief Injective transforms (tag "injective"): shape changes, slicing,
 *  indexing, concatenation, layouts; plus the scans (cumsum/cumprod) and sorts,
 *  which are extern operations.
 *
 * Axes may be negative (counted from the end). Bad axes or shapes throw Error
 * (ValueError) naming the operator and the values given.
 */
#ifndef TVM_TOPI_TRANSFORM_H_
#define TVM_TOPI_TRANSFORM_H_

#include <tvm/te/tensor.h>
#include <tvm/topi/tags.h>

#include <optional>
#include <string>

namespace tvm {
namespace topi {

using te::Tensor;

/*! \brief x with newshape (same number of elements; one entry may be -1, inferred). */
TVM_DLL Tensor reshape(const Tensor& x, Array<PrimExpr> newshape, std::string name = "T_reshape",
                       std::string tag = kInjective);
/*! \brief x with axes permuted (reversed when axes is empty or absent). */
TVM_DLL Tensor transpose(const Tensor& x, std::optional<Array<Integer>> axes, std::string name = "T_transpose",
                         std::string tag = kInjective);
/*! \brief x without the given size-1 axes (all size-1 axes when absent). */
TVM_DLL Tensor squeeze(const Tensor& x, std::optional<Array<Integer>> axis, bool atleast1d = false,
                       std::string name = "T_squeeze", std::string tag = kInjective);
/*! \brief x with num_newaxis size-1 axes inserted at axis (in [-ndim-1, ndim]). */
TVM_DLL Tensor expand_dims(const Tensor& x, int axis, int num_newaxis = 1, std::string name = "T_expand_dims",
                           std::string tag = kBroadcast);
TVM_DLL Tensor concatenate(const Array<Tensor>& inputs, int axis = 0, std::string name = "T_concat",
                           std::string tag = kInjective);
TVM_DLL Tensor stack(const Array<Tensor>& inputs, int axis = 0, std::string name = "T_stack",
                     std::string tag = kInjective);
/*! \brief x cut along axis at the given indices. */
TVM_DLL Array<Tensor> split(const Tensor& x, Array<PrimExpr> split_indices, int axis, std::string name = "T_split",
                            std::string tag = kInjective);
/*! \brief x cut along axis into num_sections equal parts. */
TVM_DLL Array<Tensor> split_sections(const Tensor& x, int num_sections, int axis,
                                     std::string name = "T_split_sections", std::string tag = kInjective);
/*!
 * \brief numpy's x[begin:end:strides] on the listed axes (all axes from 0 when
 *  axes is absent); slice_mode "size" reads end as sizes (-1: to the end) and
 *  ignores strides.
 */
TVM_DLL Tensor strided_slice(const Tensor& x, const Array<Integer>& begin, const Array<Integer>& end,
                             const Array<Integer>& strides, std::optional<Array<Integer>> axes = std::nullopt,
                             std::string slice_mode = "end", std::string name = "T_strided_slice",
                             std::string tag = kInjective);
/*!
 * \brief Elements of a at indices, along axis (a flattened when absent); mode
 *  "clip" clamps indices, "wrap" wraps them, "fast" trusts them.
 */
TVM_DLL Tensor take(const Tensor& a, const Tensor& indices, int batch_dims, std::optional<int> axis,
                    std::string mode = "clip", std::string name = "T_take", std::string tag = kInjective);
/*! \brief out[i] = data[i with axis replaced by indices[i]]. */
TVM_DLL Tensor gather(const Tensor& data, int axis, const Tensor& indices, std::string name = "T_gather",
                      std::string tag = kInjective);
/*! \brief out[y..., r...] = data[indices[0, y...], ..., indices[M-1, y...], r...]. */
TVM_DLL Tensor gather_nd(const Tensor& data, const Tensor& indices, int batch_dims = 0,
                         std::string name = "T_gather_nd", std::string tag = kInjective);
TVM_DLL Tensor one_hot(const Tensor& indices, const PrimExpr on_value, const PrimExpr off_value, int depth, int axis,
                       DataType dtype, std::string name = "T_one_hot", std::string tag = kInjective);
TVM_DLL Tensor tile(const Tensor& x, Array<Integer> reps, std::string name = "T_tile", std::string tag = kBroadcast);
TVM_DLL Tensor repeat(const Tensor& x, int repeats, int axis, std::string name = "T_repeat",
                      std::string tag = kBroadcast);
/*! \brief x reversed along each listed axis. */
TVM_DLL Tensor reverse(const Tensor& x, const Array<Integer>& axis, std::string name = "T_reverse",
                       std::string tag = kInjective);
/*! \brief Per batch element, the first seq_lengths[b] items along seq_axis reversed. */
TVM_DLL Tensor reverse_sequence(const Tensor& x, const Tensor& seq_lengths, int seq_axis = 1, int batch_axis = 0,
                                std::string name = "T_reverse_sequence", std::string tag = kInjective);
TVM_DLL Tensor arange(const PrimExpr& start, const PrimExpr& stop, const PrimExpr& step, DataType dtype,
                      std::string name = "T_arange", std::string tag = kInjective);
/*!
 * \brief x from layout src to dst: letters name axes, an upper-case one a whole
 *  axis, "16c" a block of 16 of axis C ("NCHW" <-> "NCHW16c").
 */
TVM_DLL Tensor layout_transform(const Tensor& x, const std::string& src_layout, const std::string& dst_layout,
                                std::string name = "T_layout_trans", std::string tag = kInjective);
/*! \brief x's shape as a 1-D tensor. */
TVM_DLL Tensor shape(const Tensor& x, DataType dtype = DataType::Int(32), std::string name = "T_shape",
                     std::string tag = kInjective);
/*! \brief The number of elements of x, as a 0-D tensor. */
TVM_DLL Tensor ndarray_size(const Tensor& x, DataType dtype = DataType::Int(32), std::string name = "ndarray_size",
                            std::string tag = kInjective);
/*! \brief Items along axis (0 or 1) at or past valid_length[batch] become mask_value. */
TVM_DLL Tensor sequence_mask(const Tensor& data, const Tensor& valid_length, double mask_value, int axis,
                             std::string name = "T_sequence_mask", std::string tag = kInjective);
/*! \brief data with its diagonals k1..k2 (of the last two axes) replaced by diagonal. */
TVM_DLL Tensor matrix_set_diag(const Tensor& data, const Tensor& diagonal, int k1, int k2,
                               bool super_diag_right_align, bool sub_diag_right_align,
                               std::string name = "T_matrix_set_diag", std::string tag = kInjective);
/*! \brief The row-major multi-indices (one row per dimension of shape) of flat indices. */
TVM_DLL Tensor unravel_index(const Tensor& x, const Tensor& shape, std::string name = "T_unravel",
                             std::string tag = kInjective);
/*! \brief A dense tensor of output_shape with sparse_values at sparse_indices, else default_value. */
TVM_DLL Tensor sparse_to_dense(const Tensor& sparse_indices, const Array<PrimExpr>& output_shape,
                               const Tensor& sparse_values, const PrimExpr& default_value,
                               std::string name = "T_sparse_to_dense", std::string tag = kInjective);

/*! \brief strided_slice with begin/end/strides read at run time (1-D tensors, one entry per axis). */
TVM_DLL Tensor dynamic_strided_slice(const Tensor& x, const Tensor& begin, const Tensor& end, const Tensor& strides,
                                     std::string name = "T_dynamic_strided_slice", std::string tag = kInjective);
/*! \brief x with x[begin:end:strides] replaced by v (begin/end/strides: 1-D tensors). */
TVM_DLL Tensor strided_set(const Tensor& x, const Tensor& v, const Tensor& begin, const Tensor& end,
                           std::optional<Tensor> strides, std::string name = "T_strided_set",
                           std::string tag = kInjective);
/*! \brief a @ b of 2-D tensors, either transposed first (tag "matmul"). */
TVM_DLL Tensor matmul(const Tensor& a, const Tensor& b, bool trans_a = false, bool trans_b = false,
                      std::string name = "T_matmul", std::string tag = kMatMul);
/*! \brief numpy's tensordot: a and b contracted over a_axes / b_axes (paired in order). */
TVM_DLL Tensor tensordot(const Tensor& a, const Tensor& b, const Array<Integer>& a_axes, const Array<Integer>& b_axes,
                         std::string name = "T_tensordot", std::string tag = kMatMul);
/*! \brief numpy's meshgrid of 1-D tensors ("ij" or "xy" indexing). */
TVM_DLL Array<Tensor> meshgrid(const Array<Tensor>& inputs, const std::string& indexing,
                               std::string name = "T_meshgrid", std::string tag = kInjective);
/*! \brief The inverse of a permutation given as a 1-D tensor. */
TVM_DLL Tensor invert_permutation(const Tensor& x, std::string name = "T_invert_permutation",
                                  std::string tag = kInjective);
/*! \brief data with elements below (upper) or above (lower) diagonal k of the last two axes zeroed. */
TVM_DLL Tensor trilu(const Tensor& data, const PrimExpr& k, bool upper, std::string name = "T_trilu",
                     std::string tag = kElementWise);
/*! \brief numpy's data[indices[0], indices[1], ...] with the index tensors broadcast together. */
TVM_DLL Tensor adv_index(const Tensor& data, const Array<Tensor>& indices, std::string name = "T_adv_index",
                         std::string tag = kInjective);

/*!
 * \brief Running sum (or product) along axis (x flattened when absent), in dtype;
 *  exclusive starts from the identity. An extern op whose loops run in order.
 */
TVM_DLL Tensor cumsum(const Tensor& x, std::optional<int> axis, DataType dtype, bool exclusive = false);
TVM_DLL Tensor cumprod(const Tensor& x, std::optional<int> axis, DataType dtype, bool exclusive = false);

/*!
 * \brief data with updates[y, r...] combined (mode update/add/mul/min/max) into
 *  data[indices[0, y], ..., indices[M-1, y], r...], in order.
 */
TVM_DLL Tensor scatter_nd(const Tensor& data, const Tensor& indices, const Tensor& updates,
                          std::string mode = "update");
/*! \brief data with updates[i] combined into data[i with axis replaced by indices[i]], in order. */
TVM_DLL Tensor scatter_elements(const Tensor& data, const Tensor& indices, const Tensor& updates, int axis = 0,
                                std::string reduction = "update");

/*! \brief x sorted along axis (stable), by the packed function "tvm.contrib.sort.sort". */
TVM_DLL Tensor sort(const Tensor& x, int axis, bool is_ascend);
/*! \brief The indices that sort x along axis, stable (ties keep their order), as dtype. */
TVM_DLL Tensor argsort(const Tensor& x, int axis, bool is_ascend, DataType dtype);
/*!
 * \brief The k largest (or smallest, is_ascend) elements along axis: ret_type
 *  "both" gives {values, indices}, "values" or "indices" one of them. k < 1 means all.
 */
TVM_DLL Array<Tensor> topk(const Tensor& x, int k, int axis, std::string ret_type, bool is_ascend, DataType dtype);

}  // namespace topi
}  // namespace tvm
#endif  // TVM_TOPI_TRANSFORM_H_
