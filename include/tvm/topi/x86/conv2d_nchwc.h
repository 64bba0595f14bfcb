/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/topi/x86/conv2d_nchwc.h
 * \brief Float convolutions in the blocked NCHW[x]c layouts AlterOpLayout gives on x86 CPUs,
 *  and their schedules (register-tiled, with the fused elementwise epilogue stored from
 *  registers). Python's tvm.topi.x86.conv2d_nchwc calls these.
 *
 *  data_pad      [N, IC/ib, HP, WP, ib]   zero-padded input (absent without padding)
 *  conv          [N, OC/ob, OH, OWp, ob]  the convolution, output width padded to whole tiles
 *  output        [N, OC/ob, OH, OW, ob]   the crop, where the fused elementwise operators run
 */
#ifndef TVM_TOPI_X86_CONV2D_NCHWC_H_
#define TVM_TOPI_X86_CONV2D_NCHWC_H_

#include <tvm/te/schedule.h>
#include <tvm/te/tensor.h>

#include <string>

namespace tvm {
namespace topi {
namespace x86 {

/*!
 * \brief The channel block of a blocked activation with `channels` channels: the widest of
 *  lanes, lanes / 2, lanes / 4 (at least 4) dividing them; 0 when none does (plain NCHW).
 */
TVM_DLL int64_t ChannelBlock(int64_t channels, int64_t lanes);

/*!
 * \brief Blocked convolution (groups 1): data NCHW<ib>c (or NCHW), kernel OIHW<ib>i<ob>o ->
 *  NCHW<ob>c (the crop of the tiled convolution).
 * \param padding 1, 2 (top/bottom, left/right) or 4 (top, left, bottom, right) values.
 * \param lanes vector lanes of out_dtype; 0: the current target's.
 * \throws Error (ValueError) naming the operator, shapes and layouts when they do not fit.
 */
TVM_DLL te::Tensor Conv2DNCHWc(const te::Tensor& data, const te::Tensor& kernel, const Array<Integer>& strides,
                               const Array<Integer>& padding, const Array<Integer>& dilation,
                               const std::string& layout, const std::string& out_layout, DataType out_dtype,
                               int lanes = 0);
/*! \brief Blocked depthwise convolution (multiplier 1): data NCHW<b>c, kernel OIHW1i<b>o. */
TVM_DLL te::Tensor DepthwiseConv2DNCHWc(const te::Tensor& data, const te::Tensor& kernel,
                                        const Array<Integer>& strides, const Array<Integer>& padding,
                                        const Array<Integer>& dilation, const std::string& layout,
                                        const std::string& out_layout, DataType out_dtype, int lanes = 0);

/*! \brief The schedule of Conv2DNCHWc's output and the elementwise operators fused after it. */
TVM_DLL te::Schedule ScheduleConv2DNCHWc(const Array<te::Tensor>& outs);
/*! \brief The schedule of DepthwiseConv2DNCHWc's output and the operators fused after it. */
TVM_DLL te::Schedule ScheduleDepthwiseConv2DNCHWc(const Array<te::Tensor>& outs);

}  // namespace x86
}  // namespace topi
}  // namespace tvm
#endif  // TVM_TOPI_X86_CONV2D_NCHWC_H_
