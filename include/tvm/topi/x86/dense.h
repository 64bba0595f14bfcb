/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/topi/x86/dense.h
 * \brief float32 dense for a few rows on x86 (batch-1 classifiers): dot products of
 *  rows of data and rows of weight, vectorised along k (lane l sums the k with
 *  k % width == l, the lanes are added at the end), several weight rows at a time,
 *  reading the weight once in its own layout (no packing, which would cost more
 *  than the arithmetic at this size). Beyond a few rows: dense_pack, the packed GEMM
 *  (tvm/topi/x86/gemm.h), also the compute of nn.contrib_dense_pack (weight packed once
 *  by AlterOpLayout), and matmul_pack for nn.matmul.
 *
 *   T_dense_nopack_lanes[..., i, j, l] = sum_ko data[..., i, ko*width + l] * weight[j, ko*width + l]
 *   T_dense_nopack[..., i, j]          = sum_l T_dense_nopack_lanes[..., i, j, l]
 */
#ifndef TVM_TOPI_X86_DENSE_H_
#define TVM_TOPI_X86_DENSE_H_

#include <tvm/target/target.h>
#include <tvm/te/schedule.h>

#include <tvm/topi/x86/gemm.h>

#include <optional>

namespace tvm {
namespace topi {
namespace x86 {

/*! \brief Rows (the product of data's leading extents) up to which dense reads the weight in place. */
constexpr int64_t kDenseNopackMaxRows = 4;

/*!
 * \brief data (..., M, K) x weight (N, K)^T (+ bias (N,)) in out_dtype (data's when
 *  undefined), the vector width from `target` (the current one when undefined).
 */
TVM_DLL te::Tensor dense_nopack(const te::Tensor& data, const te::Tensor& weight,
                                const std::optional<te::Tensor>& bias = std::nullopt, DataType out_dtype = DataType(),
                                const Target& target = Target());
/*!
 * \brief Schedule of dense_nopack with the elementwise ops fused after it: the output's
 *  columns in blocks of up to 8 (parallel), the rows inside, a block's lane sums in registers.
 */
TVM_DLL te::Schedule schedule_dense_nopack(const Target& target, const Array<te::Tensor>& outs);

constexpr const char* kDensePackTag = "dense_pack";
constexpr const char* kMatmulPackTag = "matmul_pack";

/*!
 * \brief How dense's data (..., K) maps onto the GEMM: batch extents, rows, and whether all the
 *  leading axes flatten into the rows (when the last one is too short for a register tile,
 *  fewer than 16, while there are other leading axes not all 1).
 */
struct GemmRows {
  Array<PrimExpr> batch;
  PrimExpr rows;
  bool flatten = false;
};
TVM_DLL GemmRows DenseGemmRows(const Array<PrimExpr>& data_shape);

/*!
 * \brief data (..., M, K) x weight^T (+ bias (N,)) through the packed GEMM. weight: (N, K),
 *  packed into panels inside the operator, or already packed (N/n, K, n) ("NC<n>n").
 *  config unset: GemmDefaultConfig (GemmConfigForPanels for a packed weight).
 */
TVM_DLL te::Tensor dense_pack(const te::Tensor& data, const te::Tensor& weight,
                              const std::optional<te::Tensor>& bias = std::nullopt, DataType out_dtype = DataType(),
                              const std::optional<GemmConfig>& config = std::nullopt, const Target& target = Target(),
                              int64_t l2 = -1);
TVM_DLL te::Schedule schedule_dense_pack(const Target& target, const Array<te::Tensor>& outs,
                                         const std::optional<GemmConfig>& config = std::nullopt, int64_t l2 = -1);
/*! \brief a (M, K) [or (K, M)] x b (K, N) [or (N, K)] (+ bias (N,)) through the packed GEMM. */
TVM_DLL te::Tensor matmul_pack(const te::Tensor& a, const te::Tensor& b, const std::optional<te::Tensor>& bias,
                               DataType out_dtype, bool transpose_a, bool transpose_b,
                               const std::optional<GemmConfig>& config = std::nullopt,
                               const Target& target = Target(), int64_t l2 = -1);
TVM_DLL te::Schedule schedule_matmul_pack(const Target& target, const Array<te::Tensor>& outs,
                                          const std::optional<GemmConfig>& config = std::nullopt, int64_t l2 = -1);

}  // namespace x86
}  // namespace topi
}  // namespace tvm
#endif  // TVM_TOPI_X86_DENSE_H_
