/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/topi/nn/softmax.h
 * \brief softmax and log_softmax along any axis, stabilised by the maximum.
 */
#ifndef TVM_TOPI_NN_SOFTMAX_H_
#define TVM_TOPI_NN_SOFTMAX_H_

#include <tvm/te/tensor.h>

namespace tvm {
namespace topi {
namespace nn {

using te::Tensor;

/*! \brief exp(x - max) / sum(exp(x - max)) along axis; tag "softmax_output". */
TVM_DLL Tensor softmax(const Tensor& x, int axis = -1);
/*! \brief x - max - log(sum(exp(x - max))) along axis; tag "log_softmax_output". */
TVM_DLL Tensor log_softmax(const Tensor& x, int axis = -1);

}  // namespace nn
}  // namespace topi
}  // namespace tvm
#endif  // TVM_TOPI_NN_SOFTMAX_H_
