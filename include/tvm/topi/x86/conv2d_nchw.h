/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/topi/x86/conv2d_nchw.h
 * \brief Float convolutions in plain NCHW x OIHW for x86 CPUs (what nn.conv2d computes when
 *  AlterOpLayout does not run, e.g. below opt_level 3) and their schedules. Python's
 *  topi.x86.conv2d_nchw / depthwise_conv2d_nchw and their schedules call these.
 */
#ifndef TVM_TOPI_X86_CONV2D_NCHW_H_
#define TVM_TOPI_X86_CONV2D_NCHW_H_

#include <tvm/te/schedule.h>
#include <tvm/te/tensor.h>

namespace tvm {
namespace topi {
namespace x86 {

/*!
 * \brief NCHW x OIHW -> NCHW convolution (groups 1) computed in output-channel blocks; the
 *  kernel may also come packed as OIHW<i>i<o>o (AlterOpLayout). padding has 1, 2 or 4 entries
 *  (top, left, bottom, right); lanes 0 means the current target's float lanes.
 */
TVM_DLL te::Tensor Conv2DNCHW(const te::Tensor& data, const te::Tensor& kernel, const Array<Integer>& strides,
                              const Array<Integer>& padding, const Array<Integer>& dilation, DataType out_dtype,
                              int lanes = 0);
/*! \brief Depthwise convolution: data [N, C, H, W], kernel [C * M, 1, KH, KW] -> [N, C * M, OH, OW]. */
TVM_DLL te::Tensor DepthwiseConv2DNCHW(const te::Tensor& data, const te::Tensor& kernel,
                                       const Array<Integer>& strides, const Array<Integer>& padding,
                                       const Array<Integer>& dilation, DataType out_dtype, int lanes = 0);

/*! \brief The schedule of Conv2DNCHW and the elementwise operators fused after it. */
TVM_DLL te::Schedule ScheduleConv2DNCHW(const Array<te::Tensor>& outs);
/*! \brief The schedule of DepthwiseConv2DNCHW and the elementwise operators fused after it. */
TVM_DLL te::Schedule ScheduleDepthwiseConv2DNCHW(const Array<te::Tensor>& outs);

}  // namespace x86
}  // namespace topi
}  // namespace tvm
#endif  // TVM_TOPI_X86_CONV2D_NCHW_H_
