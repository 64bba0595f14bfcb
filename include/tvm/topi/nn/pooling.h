/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/topi/nn/pooling.h
 * \brief Max and average pooling over any set of spatial axes: windowed,
 *  global and adaptive.
 */
#ifndef TVM_TOPI_NN_POOLING_H_
#define TVM_TOPI_NN_POOLING_H_

#include <tvm/te/tensor.h>

#include <string>
#include <vector>

namespace tvm {
namespace topi {
namespace nn {

using te::Tensor;

/*! \brief "max" or "avg". */
enum class PoolType : int { kAvg = 0, kMax = 1 };

/*!
 * \brief Windowed pooling over the spatial letters (D, H, W) of `layout`.
 * \param padding 2 * spatial: all "before" values, then all "after" values.
 * \param ceil_mode round the output size up (the extra windows read padding).
 * \param count_include_pad average over the window including explicit padding.
 */
TVM_DLL Tensor pool(const Tensor& x, const Array<PrimExpr>& kernel, const Array<PrimExpr>& stride,
                    const Array<PrimExpr>& dilation, const Array<PrimExpr>& padding, const std::string& pool_type,
                    bool ceil_mode, const std::string& layout, bool count_include_pad);
/*!
 * \brief Gradient of pool (no dilation) with respect to x, given the output's
 *  gradient grads: max sends each window's gradient to its first maximum,
 *  avg spreads it evenly over the counted elements.
 */
TVM_DLL Tensor pool_grad(const Tensor& grads, const Tensor& x, const Array<PrimExpr>& kernel,
                         const Array<PrimExpr>& stride, const Array<PrimExpr>& padding, const std::string& pool_type,
                         bool ceil_mode, const std::string& layout, bool count_include_pad);
/*! \brief Pool each spatial plane of `layout` down to one element. */
TVM_DLL Tensor global_pool(const Tensor& x, const std::string& pool_type, const std::string& layout);
/*!
 * \brief Pool each output element over input[floor(o * in / out), ceil((o + 1) * in / out)),
 *  per spatial axis of `layout`.
 */
TVM_DLL Tensor adaptive_pool(const Tensor& x, const Array<PrimExpr>& output_size, const std::string& pool_type,
                             const std::string& layout);

}  // namespace nn
}  // namespace topi
}  // namespace tvm
#endif  // TVM_TOPI_NN_POOLING_H_
