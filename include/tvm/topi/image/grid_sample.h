/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/topi/image/grid_sample.h
 * \brief Spatial transformer sampling: affine_grid builds a sampling grid from
 *  affine matrices, grid_sample reads an image at the grid's points.
 */
#ifndef TVM_TOPI_IMAGE_GRID_SAMPLE_H_
#define TVM_TOPI_IMAGE_GRID_SAMPLE_H_

#include <tvm/te/tensor.h>

#include <string>

namespace tvm {
namespace topi {
namespace image {

using te::Tensor;

/*!
 * \brief data (batch, 2, 3) affine matrices; output (batch, 2, H, W): each matrix
 *  applied to the points of an H x W grid spanning [-1, 1] (x first, then y).
 */
TVM_DLL Tensor affine_grid(const Tensor& data, const Array<PrimExpr>& target_shape);

/*!
 * \brief Sample data (NCHW or NCDHW) at grid (batch, spatial, out...), whose
 *  channel k holds the normalised [-1, 1] coordinate of spatial axis W, H, D for
 *  k = 0, 1, 2. method "nearest", "bilinear" (trilinear for 3-d) or "bicubic";
 *  padding_mode "zeros", "border" or "reflection"; align_corners maps -1 and 1
 *  to the centres (true) or the outer edges (false) of the corner pixels.
 */
TVM_DLL Tensor grid_sample(const Tensor& data, const Tensor& grid, const std::string& method,
                           const std::string& layout, const std::string& padding_mode, bool align_corners);

}  // namespace image
}  // namespace topi
}  // namespace tvm
#endif  // TVM_TOPI_IMAGE_GRID_SAMPLE_H_
