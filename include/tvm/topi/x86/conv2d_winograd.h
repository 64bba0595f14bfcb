/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/topi/x86/conv2d_winograd.h
 * \brief Winograd F(m x m, 3 x 3) convolution in the blocked NCHW<c>c layouts for x86 CPUs, and
 *  its schedule. Stages (P = batch x tiles, padded to whole register tiles):
 *
 *  data_pad   [N, C/cb, nH m + 2, nW m + 2, cb]   zero-padded input covering whole tiles
 *  tile_rows  [C/cb, P, alpha, alpha, cb]         B^T d of each input tile (at data_pack's tile)
 *  data_pack  [alpha, alpha, C/cb, P, cb]         V = B^T d B
 *  bgemm      [alpha, alpha, K/kb, P, kb]         M = sum over C of V U: alpha^2 GEMMs, register-tiled
 *  inverse    [K/kb, P, m, alpha, kb]             A^T M (at the output's tile)
 *  output     [N, K/kb, OH, OW, kb]               (A^T M) A, where fused elementwise ops run
 *
 *  The kernel comes transformed and packed: [alpha, alpha, K/kb, C, kb], the layout
 *  "HWOI<kb>o" of nn.contrib_conv2d_winograd_weight_transform's [alpha, alpha, K, C].
 */
#ifndef TVM_TOPI_X86_CONV2D_WINOGRAD_H_
#define TVM_TOPI_X86_CONV2D_WINOGRAD_H_

#include <tvm/te/schedule.h>
#include <tvm/te/tensor.h>

namespace tvm {
namespace topi {
namespace x86 {

/*!
 * \brief The Winograd tile size (2 or 4) this CPU runs a stride-1 3x3 convolution with, for its
 *  output size and channels; 0 when the direct convolution is faster.
 */
TVM_DLL int WinogradTileSize(int64_t batch, int64_t out_h, int64_t out_w, int64_t in_channels,
                             int64_t out_channels);

/*!
 * \brief Stride-1 3x3 Winograd convolution: data NCHW<cb>c, kernel [alpha, alpha, K/kb, C, kb] ->
 *  NCHW<kb>c.
 * \param padding 1, 2 (top/bottom, left/right) or 4 (top, left, bottom, right) values.
 * \param lanes vector lanes of out_dtype; 0: the current target's.
 * \throws Error (ValueError) naming the shapes when they do not fit.
 */
TVM_DLL te::Tensor Conv2DWinogradNCHWc(const te::Tensor& data, const te::Tensor& kernel,
                                       const Array<Integer>& padding, int tile_size, DataType out_dtype,
                                       int lanes = 0);

/*! \brief The schedule of Conv2DWinogradNCHWc's output and the elementwise operators fused after it. */
TVM_DLL te::Schedule ScheduleConv2DWinogradNCHWc(const Array<te::Tensor>& outs);

}  // namespace x86
}  // namespace topi
}  // namespace tvm
#endif  // TVM_TOPI_X86_CONV2D_WINOGRAD_H_
