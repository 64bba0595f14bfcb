/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/topi/x86/batch_matmul.h
 * \brief float32 batch_matmul on x86: the packed GEMM (tvm/topi/x86/gemm.h) per batch. Both
 *  operands are activations, so the second is packed into panels on every run (O(B*N*K) against
 *  O(B*M*N*K) multiply-adds), each panel by the thread that uses it. A batch of 1 on either side
 *  broadcasts against the other's; any extent may be symbolic.
 */
#ifndef TVM_TOPI_X86_BATCH_MATMUL_H_
#define TVM_TOPI_X86_BATCH_MATMUL_H_

#include <tvm/topi/x86/gemm.h>

#include <optional>

namespace tvm {
namespace topi {
namespace x86 {

constexpr const char* kBatchMatmulPackTag = "batch_matmul_pack";

/*! \brief a (B|1, M, K) [or (B|1, K, M)] x b (B|1, K, N) [or (B|1, N, K)] in out_dtype (a's when undefined). */
TVM_DLL te::Tensor batch_matmul(const te::Tensor& a, const te::Tensor& b, DataType out_dtype = DataType(),
                                bool transpose_a = false, bool transpose_b = true,
                                const std::optional<GemmConfig>& config = std::nullopt,
                                const Target& target = Target(), int64_t l2 = -1);
/*! \brief Schedule of batch_matmul with the elementwise ops fused after it. */
TVM_DLL te::Schedule schedule_batch_matmul(const Target& target, const Array<te::Tensor>& outs,
                                           const std::optional<GemmConfig>& config = std::nullopt, int64_t l2 = -1);

}  // namespace x86
}  // namespace topi
}  // namespace tvm
#endif  // TVM_TOPI_X86_BATCH_MATMUL_H_
