/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/topi/nn/normalization.h
 * \brief Normalisations (batch, layer, group, instance, local response, L2)
 *  and the layout shuffles depth_to_space / space_to_depth / flatten.
 */
#ifndef TVM_TOPI_NN_NORMALIZATION_H_
#define TVM_TOPI_NN_NORMALIZATION_H_

#include <tvm/te/tensor.h>

#include <optional>
#include <string>

namespace tvm {
namespace topi {
namespace nn {

using te::Tensor;

/*!
 * \brief Batch norm: (x - mean) / sqrt(var + eps) * gamma + beta along axis;
 *  returns {out, new moving_mean, new moving_var}. Inference uses the moving
 *  statistics (returned as copies); training the batch's (biased variance)
 *  and blends them into the moving ones by momentum. center/scale drop beta/gamma.
 */
TVM_DLL Array<Tensor> batch_norm(const Tensor& x, const Tensor& gamma, const Tensor& beta,
                                 const Tensor& moving_mean, const Tensor& moving_var, int axis, double epsilon,
                                 bool center, bool scale, bool training = false, double momentum = 0.1);
/*! \brief Normalise over `axis` (a set); gamma/beta have the shape of those axes. */
TVM_DLL Tensor layer_norm(const Tensor& x, const Tensor& gamma, const std::optional<Tensor>& beta,
                          const Array<Integer>& axis, double epsilon, const std::string& op = "layer_norm");
/*! \brief x / sqrt(mean(x^2 over axis) + eps) * weight (+ bias); weight/bias have the axes' shape. */
TVM_DLL Tensor rms_norm(const Tensor& x, const Tensor& weight, const std::optional<Tensor>& bias,
                        const Array<Integer>& axis, double epsilon);
/*!
 * \brief Split channel_axis into num_groups and normalise each group over its
 *  channels and `axes`; gamma/beta are per channel.
 */
TVM_DLL Tensor group_norm(const Tensor& x, const Tensor& gamma, const Tensor& beta, int num_groups,
                          int channel_axis, const Array<Integer>& axes, double epsilon);
/*! \brief Normalise over `axis` (the spatial axes of one instance); gamma/beta have those axes' shape. */
TVM_DLL Tensor instance_norm(const Tensor& x, const Tensor& gamma, const std::optional<Tensor>& beta,
                             const Array<Integer>& axis, double epsilon);
/*! \brief x / (bias + alpha / size * sum of squares over a window of `size` along axis) ^ beta. */
TVM_DLL Tensor lrn(const Tensor& x, int size, int axis, double alpha, double beta, double bias);
/*! \brief x / sqrt(max(sum(x^2 over axis), eps)). */
TVM_DLL Tensor l2_normalize(const Tensor& x, double eps, const Array<Integer>& axis);
/*! \brief Collapse all but the first dimension. */
TVM_DLL Tensor flatten(const Tensor& x);
/*! \brief Move blocks of channels into space; mode "DCR" or "CRD"; layout NCHW or NHWC. */
TVM_DLL Tensor depth_to_space(const Tensor& x, int block_size, const std::string& layout, const std::string& mode);
/*! \brief The inverse of depth_to_space in DCR mode. */
TVM_DLL Tensor space_to_depth(const Tensor& x, int block_size, const std::string& layout);

}  // namespace nn
}  // namespace topi
}  // namespace tvm
#endif  // TVM_TOPI_NN_NORMALIZATION_H_
