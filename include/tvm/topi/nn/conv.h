/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/topi/nn/conv.h
 * \brief Convolutions of any spatial rank (1-3) and layout, grouped and
 *  dilated, and transposed convolutions.
 */
#ifndef TVM_TOPI_NN_CONV_H_
#define TVM_TOPI_NN_CONV_H_

#include <tvm/te/tensor.h>

#include <string>

namespace tvm {
namespace topi {
namespace nn {

using te::Tensor;

/*!
 * \brief Grouped, dilated convolution.
 * \param data layout data_layout: "N", "C" and spatial letters "D", "H", "W"
 *  (NCW, NWC, NCHW, NHWC, NCDHW, NDHWC, ...).
 * \param weight layout kernel_layout: "O", "I" and the same spatial letters
 *  (OIHW, HWIO, ...); I is the input channels of one group.
 * \param strides, dilation one per spatial dimension.
 * \param padding 2 * spatial: all "before" values, then all "after" values.
 * \param tag the output's tag, e.g. "conv2d_nchw".
 */
TVM_DLL Tensor conv(const Tensor& data, const Tensor& weight, const Array<PrimExpr>& strides,
                    const Array<PrimExpr>& padding, const Array<PrimExpr>& dilation, int groups,
                    const std::string& data_layout, const std::string& kernel_layout, DataType out_dtype,
                    const std::string& name, const std::string& tag);

/*!
 * \brief Transposed convolution in channel-first layout (NCW, NCHW, NCDHW), the
 *  gradient of conv with respect to its input. weight is (in_channels,
 *  out_channels / groups, k...). padding as conv's; output_padding one per
 *  spatial dimension, each smaller than its stride.
 */
TVM_DLL Tensor conv_transpose(const Tensor& data, const Tensor& weight, const Array<PrimExpr>& strides,
                              const Array<PrimExpr>& padding, const Array<PrimExpr>& output_padding,
                              const Array<PrimExpr>& dilation, int groups, DataType out_dtype,
                              const std::string& name, const std::string& tag);

}  // namespace nn
}  // namespace topi
}  // namespace tvm
#endif  // TVM_TOPI_NN_CONV_H_
