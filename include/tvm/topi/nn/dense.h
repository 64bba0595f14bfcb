/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/topi/nn/dense.h
 * \brief Dense (fully connected), matmul and batch_matmul.
 */
#ifndef TVM_TOPI_NN_DENSE_H_
#define TVM_TOPI_NN_DENSE_H_

#include <tvm/te/tensor.h>

#include <optional>

namespace tvm {
namespace topi {
namespace nn {

using te::Tensor;

/*!
 * \brief out[i, j] = sum_k data[i, k] * weight[j, k] (+ bias[j]), in out_dtype
 *  (the data's when undefined). Tag "dense"; the bias adds a "broadcast" stage.
 */
TVM_DLL Tensor dense(const Tensor& data, const Tensor& weight, const std::optional<Tensor>& bias,
                     DataType out_dtype = DataType());
/*! \brief a @ b with either side optionally transposed; tag "matmul". */
TVM_DLL Tensor matmul(const Tensor& a, const Tensor& b, const std::optional<Tensor>& bias, DataType out_dtype,
                      bool transpose_a, bool transpose_b);
/*!
 * \brief Batched x @ y over the leading dimension (3-d operands); a batch of 1
 *  broadcasts. By default y is transposed (TVM's convention). Tag "batch_matmul".
 */
TVM_DLL Tensor batch_matmul(const Tensor& x, const Tensor& y, DataType out_dtype = DataType(),
                            bool transpose_a = false, bool transpose_b = true);

}  // namespace nn
}  // namespace topi
}  // namespace tvm
#endif  // TVM_TOPI_NN_DENSE_H_
