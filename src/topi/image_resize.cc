/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/topi/image_resize.cc
 * \brief resize1d/2d/3d and crop_and_resize from one definition: each spatial
 *  axis maps its output coordinate to an input coordinate (the coordinate
 *  transformation mode), then the method samples around it (nearest: one
 *  pixel; linear: 2 per axis; cubic: 4 per axis) with indices clamped to the
 *  image, as ONNX Resize and TVM do. Coordinates are computed in float32.
 */
#include <tvm/runtime/registry.h>
#include <tvm/te/operation.h>
#include <tvm/topi/image/resize.h>
#include <tvm/topi/nn/nn_utils.h>

#include <functional>

namespace tvm {
namespace topi {
namespace image {

using namespace tvm::te;
using namespace tvm::tir;
using nn::ShapeString;

namespace {

const DataType kF32 = DataType::Float(32);

PrimExpr F(double v) { return make_const(kF32, v); }
PrimExpr ToF(const PrimExpr& e) { return cast(kF32, e); }

std::vector<int> SpatialAxes(const std::string& layout, size_t rank, const std::string& op) {
  TVM_CHECK(layout.size() == rank, "ValueError")
      << op << ": layout " << layout << " does not match data of rank " << rank;
  int d = -1, h = -1, w = -1;
  for (size_t i = 0; i < layout.size(); ++i) {
    char c = layout[i];
    TVM_CHECK(c == 'N' || c == 'C' || c == 'D' || c == 'H' || c == 'W', "ValueError")
        << op << ": unsupported layout \"" << layout << "\"";
    if (c == 'D') d = static_cast<int>(i);
    if (c == 'H') h = static_cast<int>(i);
    if (c == 'W') w = static_cast<int>(i);
  }
  TVM_CHECK(w >= 0, "ValueError") << op << ": layout \"" << layout << "\" has no W axis";
  std::vector<int> r;
  if (d >= 0) r.push_back(d);
  if (h >= 0) r.push_back(h);
  r.push_back(w);
  return r;
}

/*! \brief The input coordinate that output coordinate x maps to. */
PrimExpr InputCoordinate(PrimExpr x, PrimExpr in_size, PrimExpr out_size, const std::string& mode, PrimExpr start,
                         PrimExpr end, const std::string& op) {
  PrimExpr xf = ToF(x), in = ToF(in_size), out = ToF(out_size);
  PrimExpr scale = in / out;
  // (out - 1) divides only where out > 1; keep the unused branch free of a division by zero.
  PrimExpr out_m1 = ToF(tvm::max(out_size - 1, 1));
  if (mode == "half_pixel") return (xf + F(0.5)) * scale - F(0.5);
  if (mode == "align_corners") {
    return if_then_else(out_size > 1, (in - F(1)) / out_m1 * xf, F(0));
  }
  if (mode == "asymmetric") return scale * xf;
  if (mode == "pytorch_half_pixel") return if_then_else(out_size > 1, (xf + F(0.5)) * scale - F(0.5), F(0));
  if (mode == "tf_half_pixel_for_nn") return (xf + F(0.5)) * scale;
  if (mode == "tf_crop_and_resize") {
    start = ToF(start);
    end = ToF(end);
    return if_then_else(out_size > 1, start * (in - F(1)) + xf * (end - start) * (in - F(1)) / out_m1,
                        F(0.5) * (start + end) * (in - F(1)));
  }
  TVM_CHECK(false, "ValueError") << op << ": unsupported coordinate_transformation_mode \"" << mode << "\"";
  return PrimExpr();
}

PrimExpr NearestIndex(PrimExpr in_x, const std::string& rounding, const std::string& op) {
  PrimExpr r;
  if (rounding == "round") {
    r = round(in_x);
  } else if (rounding == "round_prefer_floor") {
    r = ceil(in_x - F(0.5));
  } else if (rounding == "round_prefer_ceil") {
    r = floor(in_x + F(0.5));
  } else if (rounding == "floor") {
    // The epsilon keeps exact integers computed with rounding error on the right side.
    r = floor(in_x + F(1e-5));
  } else if (rounding == "ceil") {
    r = ceil(in_x - F(1e-5));
  } else {
    TVM_CHECK(false, "ValueError") << op << ": unsupported rounding_method \"" << rounding << "\"";
  }
  return cast(DataType::Int(32), r);
}

std::vector<PrimExpr> CubicWeights(PrimExpr t, double alpha) {
  PrimExpr a = F(alpha), t2 = t * t, t3 = t2 * t;
  return {a * (t3 - F(2) * t2 + t), (a + F(2)) * t3 - (a + F(3)) * t2 + F(1),
          F(0) - (a + F(2)) * t3 + (F(2) * a + F(3)) * t2 - a * t, F(0) - a * t3 + a * t2};
}

/*! \brief Per spatial axis: the sample indices (unclamped) and their weights. */
struct AxisSamples {
  std::vector<PrimExpr> index;
  std::vector<PrimExpr> weight;  // empty for nearest
  PrimExpr in_coord;
};

/*!
 * \brief The shared body: `start_end(i)` gives the roi (or box) of spatial axis
 *  i; `image` the batch index to read.
 */
PrimExpr Sample(const Tensor& data, const Array<Var>& idx, const std::vector<int>& axes, const Array<PrimExpr>& size,
                const std::function<std::pair<PrimExpr, PrimExpr>(size_t)>& start_end, PrimExpr image,
                int batch_axis, const std::string& method, const std::string& mode, std::string rounding,
                double alpha, bool exclude, double extrapolation, DataType out_dtype, const std::string& op) {
  size_t ns = axes.size();
  std::vector<AxisSamples> s(ns);
  for (size_t i = 0; i < ns; ++i) {
    PrimExpr in_size = data->shape[axes[i]];
    auto [st, en] = start_end(i);
    PrimExpr x = InputCoordinate(idx[axes[i]], in_size, size[i], mode, st, en, op);
    s[i].in_coord = x;
    if (method == "nearest_neighbor") {
      if (rounding.empty()) rounding = mode == "align_corners" ? "round" : "floor";
      s[i].index = {NearestIndex(x, rounding, op)};
    } else if (method == "linear") {
      PrimExpr x0 = floor(x);
      PrimExpr t = x - x0;
      PrimExpr xi = cast(DataType::Int(32), x0);
      s[i].index = {xi, xi + 1};
      s[i].weight = {F(1) - t, t};
    } else if (method == "cubic") {
      PrimExpr x0 = floor(x);
      PrimExpr xi = cast(DataType::Int(32), x0);
      s[i].weight = CubicWeights(x - x0, alpha);
      for (int k = 0; k < 4; ++k) s[i].index.push_back(xi + (k - 1));
      if (exclude) {
        // Drop the taps outside the image and renormalise the rest.
        PrimExpr total = F(0);
        for (int k = 0; k < 4; ++k) {
          PrimExpr outside = logical_or(s[i].index[k] < 0, s[i].index[k] >= in_size);
          s[i].weight[k] = if_then_else(outside, F(0), s[i].weight[k]);
          total = total + s[i].weight[k];
        }
        for (int k = 0; k < 4; ++k) s[i].weight[k] = s[i].weight[k] / total;
      }
    } else {
      TVM_CHECK(false, "ValueError") << op << ": unsupported method \"" << method
                                     << "\" (nearest_neighbor, linear or cubic)";
    }
  }
  // Sum over the product of taps of all axes.
  PrimExpr value;
  std::vector<size_t> tap(ns, 0);
  while (true) {
    Array<PrimExpr> at(idx.begin(), idx.end());
    at.Set(batch_axis, image);
    PrimExpr w;
    for (size_t i = 0; i < ns; ++i) {
      PrimExpr hi = data->shape[axes[i]] - 1;
      at.Set(axes[i], tvm::max(tvm::min(s[i].index[tap[i]], hi), 0));
      if (!s[i].weight.empty()) w = w.defined() ? w * s[i].weight[tap[i]] : s[i].weight[tap[i]];
    }
    PrimExpr v = ToF(data(at));
    if (w.defined()) v = v * w;
    value = value.defined() ? value + v : v;
    size_t i = 0;
    while (i < ns && ++tap[i] == s[i].index.size()) tap[i++] = 0;
    if (i == ns) break;
  }
  if (mode == "tf_crop_and_resize") {
    for (size_t i = 0; i < ns; ++i) {
      PrimExpr hi = ToF(data->shape[axes[i]] - 1);
      value = if_then_else(logical_or(s[i].in_coord < F(0), s[i].in_coord > hi), F(extrapolation), value);
    }
  }
  return cast(out_dtype, value);
}

}  // namespace

Tensor resize(const Tensor& data, const Array<PrimExpr>& roi, const Array<PrimExpr>& size, const std::string& layout,
              const std::string& method, const std::string& coordinate_transformation_mode,
              const std::string& rounding_method, double cubic_alpha, bool cubic_exclude, double extrapolation_value,
              DataType out_dtype) {
  std::vector<int> axes = SpatialAxes(layout, data->shape.size(), "resize");
  size_t ns = axes.size();
  std::string op = "resize" + std::to_string(ns) + "d";
  TVM_CHECK(size.size() == ns, "ValueError")
      << op << ": size " << ShapeString(size) << " needs " << ns << " values for layout " << layout;
  TVM_CHECK(roi.empty() || roi.size() == 2 * ns, "ValueError")
      << op << ": roi needs " << 2 * ns << " values (starts then ends), got " << roi.size();
  if (out_dtype.is_void()) out_dtype = data->dtype;
  Array<PrimExpr> out_shape = data->shape;
  for (size_t i = 0; i < ns; ++i) out_shape.Set(axes[i], size[i]);
  int batch_axis = static_cast<int>(layout.find('N'));
  TVM_CHECK(batch_axis >= 0, "ValueError") << op << ": layout \"" << layout << "\" has no N axis";
  auto start_end = [&](size_t i) {
    if (roi.empty()) return std::make_pair(PrimExpr(F(0)), PrimExpr(F(1)));
    return std::make_pair(roi[i], roi[ns + i]);
  };
  return compute(
      out_shape,
      [&](const Array<Var>& idx) {
        return Sample(data, idx, axes, size, start_end, idx[batch_axis], batch_axis, method,
                      coordinate_transformation_mode, rounding_method, cubic_alpha, cubic_exclude,
                      extrapolation_value, out_dtype, op);
      },
      "resize", "injective");
}

Tensor crop_and_resize(const Tensor& data, const Tensor& boxes, const Tensor& box_indices,
                       const Array<PrimExpr>& crop_size, const std::string& layout, const std::string& method,
                       double extrapolation_value, DataType out_dtype) {
  const std::string op = "crop_and_resize";
  std::vector<int> axes = SpatialAxes(layout, data->shape.size(), op);
  TVM_CHECK(axes.size() == 2 && crop_size.size() == 2, "ValueError")
      << op << ": expects 4-d data with H and W (got layout " << layout << ") and crop_size of 2 values";
  TVM_CHECK(boxes->shape.size() == 2 && nn::ConstInt(boxes->shape[1], op, "boxes' second dimension") == 4,
            "ValueError")
      << op << ": boxes must be (num_boxes, 4), got " << ShapeString(boxes->shape);
  TVM_CHECK(box_indices->shape.size() == 1, "ValueError")
      << op << ": box_indices must be 1-d, got " << ShapeString(box_indices->shape);
  TVM_CHECK(method == "bilinear" || method == "nearest_neighbor", "ValueError")
      << op << ": method must be bilinear or nearest_neighbor, got \"" << method << "\"";
  if (out_dtype.is_void()) out_dtype = data->dtype;
  int batch_axis = static_cast<int>(layout.find('N'));
  Array<PrimExpr> out_shape = data->shape;
  out_shape.Set(batch_axis, boxes->shape[0]);
  for (size_t i = 0; i < 2; ++i) out_shape.Set(axes[i], crop_size[i]);
  return compute(
      out_shape,
      [&](const Array<Var>& idx) {
        PrimExpr b = idx[batch_axis];
        auto start_end = [&](size_t i) {
          return std::make_pair(boxes(b, static_cast<int>(i)), boxes(b, static_cast<int>(i) + 2));
        };
        return Sample(data, idx, axes, crop_size, start_end, box_indices(b), batch_axis,
                      method == "bilinear" ? "linear" : method, "tf_crop_and_resize", "round", -0.5, false,
                      extrapolation_value, out_dtype, op);
      },
      "crop_and_resize", "injective");
}

namespace {
DataType DType(const std::string& s) { return s.empty() ? DataType() : DataType(runtime::String2DLDataType(s)); }
}  // namespace

TVM_REGISTER_GLOBAL("topi.image.resize")
    .set_body_typed([](Tensor data, Array<PrimExpr> roi, Array<PrimExpr> size, std::string layout,
                       std::string method, std::string mode, std::string rounding, double alpha, bool exclude,
                       double extrapolation, std::string out_dtype) {
      return resize(data, roi, size, layout, method, mode, rounding, alpha, exclude, extrapolation,
                    DType(out_dtype));
    });
TVM_REGISTER_GLOBAL("topi.image.crop_and_resize")
    .set_body_typed([](Tensor data, Tensor boxes, Tensor box_indices, Array<PrimExpr> crop_size, std::string layout,
                       std::string method, double extrapolation, std::string out_dtype) {
      return crop_and_resize(data, boxes, box_indices, crop_size, layout, method, extrapolation, DType(out_dtype));
    });

}  // namespace image
}  // namespace topi
}  // namespace tvm
