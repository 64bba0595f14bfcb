/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/topi/nn.h
 * \brief Neural-network operators as tensor expressions: activations and
 *  padding here; convolution, dense, pooling, softmax and normalisation in
 *  tvm/topi/nn/. Definitions live in src/topi/nn_*.cc so that this header
 *  stays light.
 */
#ifndef TVM_TOPI_NN_H_
#define TVM_TOPI_NN_H_

#include <tvm/te/tensor.h>

#include <string>

namespace tvm {
namespace topi {

using te::Tensor;

/*! \brief max(x, 0), tag "elemwise". */
TVM_DLL Tensor relu(const Tensor& x, std::string name = "T_relu", std::string tag = "elemwise");
/*! \brief x if x > 0 else alpha * x. */
TVM_DLL Tensor leaky_relu(const Tensor& x, double alpha = 0.1, std::string name = "T_leaky_relu",
                          std::string tag = "elemwise");
/*! \brief x if x > 0 else slope[c] * x, c the index along `axis`; slope is 1-d of that extent. */
TVM_DLL Tensor prelu(const Tensor& x, const Tensor& slope, int axis = 1, std::string name = "T_prelu",
                     std::string tag = "broadcast");
/*!
 * \brief Pad every dimension by pad_before/pad_after (missing trailing entries are 0).
 *  pad_mode: "constant" (pad_value), "edge" (repeat the border), "reflect" (mirror
 *  without the border), "symmetric" (mirror with the border).
 */
TVM_DLL Tensor pad(const Tensor& t, const Array<PrimExpr>& pad_before, Array<PrimExpr> pad_after,
                   PrimExpr pad_value = PrimExpr(), std::string name = "T_pad", std::string tag = "injective,pad",
                   std::string pad_mode = "constant");

/*! \brief Insert strides[i] - 1 elements of dilation_value between neighbours along axis i. */
TVM_DLL Tensor dilate(const Tensor& x, const Array<PrimExpr>& strides, double dilation_value = 0.0,
                      std::string name = "DilatedInput");

}  // namespace topi
}  // namespace tvm

#include <tvm/topi/nn/conv.h>
#include <tvm/topi/nn/dense.h>
#include <tvm/topi/nn/normalization.h>
#include <tvm/topi/nn/pooling.h>
#include <tvm/topi/nn/softmax.h>

#endif  // TVM_TOPI_NN_H_
