/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/topi/image/resize.h
 * \brief Resizing images of 1-3 spatial dimensions (nearest, linear, cubic;
 *  ONNX's coordinate transformation modes) and crop_and_resize.
 */
#ifndef TVM_TOPI_IMAGE_RESIZE_H_
#define TVM_TOPI_IMAGE_RESIZE_H_

#include <tvm/te/tensor.h>

#include <string>

namespace tvm {
namespace topi {
namespace image {

using te::Tensor;

/*!
 * \brief Resize the spatial axes (D, H, W of `layout`) of data to `size`.
 * \param roi 2 * spatial values (all starts, then all ends, normalised), read by
 *  "tf_crop_and_resize" only.
 * \param method "nearest_neighbor", "linear" or "cubic".
 * \param coordinate_transformation_mode "half_pixel", "align_corners",
 *  "asymmetric", "pytorch_half_pixel", "tf_half_pixel_for_nn", "tf_crop_and_resize".
 * \param rounding_method for nearest: "round", "round_prefer_floor",
 *  "round_prefer_ceil", "floor", "ceil", or "" (round for align_corners, else floor).
 */
TVM_DLL Tensor resize(const Tensor& data, const Array<PrimExpr>& roi, const Array<PrimExpr>& size,
                      const std::string& layout, const std::string& method,
                      const std::string& coordinate_transformation_mode, const std::string& rounding_method,
                      double cubic_alpha, bool cubic_exclude, double extrapolation_value, DataType out_dtype);

/*!
 * \brief Crop boxes (num_boxes x 4: y1, x1, y2, x2, normalised) from the images
 *  box_indices names and resize each to crop_size; method "bilinear" or
 *  "nearest_neighbor"; samples outside the image take extrapolation_value.
 */
TVM_DLL Tensor crop_and_resize(const Tensor& data, const Tensor& boxes, const Tensor& box_indices,
                               const Array<PrimExpr>& crop_size, const std::string& layout, const std::string& method,
                               double extrapolation_value, DataType out_dtype);

}  // namespace image
}  // namespace topi
}  // namespace tvm
#endif  // TVM_TOPI_IMAGE_RESIZE_H_
