/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/topi/nn/conv2d_nchwc.h
 * \brief Convolutions in blocked NCHW[x]c layouts in plain TE (the generic implementations of
 *  nn.contrib_conv2d_NCHWc / nn.contrib_depthwise_conv2d_NCHWc; x86's are in
 *  tvm/topi/x86/conv2d_nchwc.h).
 */
#ifndef TVM_TOPI_NN_CONV2D_NCHWC_H_
#define TVM_TOPI_NN_CONV2D_NCHWC_H_

#include <tvm/te/tensor.h>

#include <string>

namespace tvm {
namespace topi {
namespace nn {

/*!
 * \brief Direct convolution: data NCHW<ib>c (or NCHW), kernel OIHW<kib>i<ob>o -> NCHW<ob>c.
 * \param padding 1, 2 (top/bottom, left/right) or 4 (top, left, bottom, right) values.
 * \param out_layout NCHW<ob>c; empty: layout.
 * \throws Error (ValueError) naming the operator, the shapes and layouts when they do not fit.
 */
TVM_DLL te::Tensor Conv2DNCHWc(const te::Tensor& data, const te::Tensor& kernel, const Array<Integer>& strides,
                               const Array<Integer>& padding, const Array<Integer>& dilation,
                               const std::string& layout, const std::string& out_layout, DataType out_dtype);
/*! \brief Depthwise convolution with channel multiplier M: data NCHW<ib>c, kernel OIHW1i<ob>o. */
TVM_DLL te::Tensor DepthwiseConv2DNCHWc(const te::Tensor& data, const te::Tensor& kernel,
                                        const Array<Integer>& strides, const Array<Integer>& padding,
                                        const Array<Integer>& dilation, const std::string& layout,
                                        const std::string& out_layout, DataType out_dtype);

}  // namespace nn
}  // namespace topi
}  // namespace tvm
#endif  // TVM_TOPI_NN_CONV2D_NCHWC_H_
