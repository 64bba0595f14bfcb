/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/topi/nn/loss.h
 * \brief Loss functions.
 */
#ifndef TVM_TOPI_NN_LOSS_H_
#define TVM_TOPI_NN_LOSS_H_

#include <tvm/te/tensor.h>

#include <string>

namespace tvm {
namespace topi {
namespace nn {

using te::Tensor;

/*!
 * \brief Negative log likelihood: out[n, d...] = -predictions[n, t, d...] * weights[t]
 *  with t = targets[n, d...] (0 where t == ignore_index); reduction "none", "sum",
 *  or "mean" (the sum divided by the sum of the weights used).
 */
TVM_DLL Tensor nll_loss(const Tensor& predictions, const Tensor& targets, const Tensor& weights,
                        const std::string& reduction, int ignore_index);

}  // namespace nn
}  // namespace topi
}  // namespace tvm
#endif  // TVM_TOPI_NN_LOSS_H_
