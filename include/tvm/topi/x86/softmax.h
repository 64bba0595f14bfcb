/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/topi/x86/softmax.h
 * \brief Softmax along the last axis for x86: one pass per row over data in L1, in
 *  vectors (n = the last extent, L = the widest vector length dividing n):
 *
 *    partial_max[r, l] = max_b x[r, b*L + l]            L running maxima per row
 *    row_max[r]        = max_l partial_max[r, l]
 *    e[r, k]           = fast_exp(x[r, k] - row_max[r])
 *    partial_sum[r, l] = sum_b e[r, b*L + l]
 *    row_sum[r]        = sum_l partial_sum[r, l]
 *    out[r, k]         = e[r, k] * (1 / row_sum[r])
 *
 *  Scheduled with the rows in parallel and every stage computed at the row, exp once
 *  into a row buffer; elementwise ops fused after it run in the output loop.
 */
#ifndef TVM_TOPI_X86_SOFTMAX_H_
#define TVM_TOPI_X86_SOFTMAX_H_

#include <tvm/target/target.h>
#include <tvm/te/schedule.h>

namespace tvm {
namespace topi {
namespace x86 {

/*! \brief Whether softmax(x, axis) has the vectorised form: float32, static non-empty shape, the last axis. */
TVM_DLL bool softmax_supports(const Array<PrimExpr>& shape, int axis, DataType dtype);
/*! \brief Softmax of float32 x along its last axis (lanes from `target`, the current one when undefined). */
TVM_DLL te::Tensor softmax(const te::Tensor& x, int axis = -1, const Target& target = Target());
/*! \brief Schedule a fused function around x86::softmax; other softmax computes take generic::schedule_reduce. */
TVM_DLL te::Schedule schedule_softmax(const Target& target, const Array<te::Tensor>& outs);

}  // namespace x86
}  // namespace topi
}  // namespace tvm
#endif  // TVM_TOPI_X86_SOFTMAX_H_
