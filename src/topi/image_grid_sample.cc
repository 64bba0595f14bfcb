/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/topi/image_grid_sample.cc
 * \brief affine_grid and grid_sample (2-d and 3-d). Coordinates are float32;
 *  out-of-image taps read 0 ("zeros"), the border ("border"), or the image
 *  mirrored about its edges ("reflection"), as PyTorch's grid_sample does;
 *  bicubic (2-d) uses cubic convolution with alpha = -0.75 over 4 taps per axis.
 */
#include <tvm/runtime/registry.h>
#include <tvm/te/operation.h>
#include <tvm/topi/image/grid_sample.h>
#include <tvm/topi/nn/nn_utils.h>

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

/*! \brief Fold a coordinate into [low, high] by mirroring about the bounds (repeatedly). */
PrimExpr Reflect(PrimExpr x, double twice_low, double twice_high) {
  if (twice_low == twice_high) return F(0);
  double low = twice_low / 2, span = (twice_high - twice_low) / 2;
  PrimExpr d = abs(x - F(low));
  PrimExpr extra = d - floor(d / F(span)) * F(span);
  PrimExpr flips = cast(DataType::Int(32), floor(d / F(span)));
  return if_then_else(floormod(flips, 2) == 0, extra + F(low), F(span) - extra + F(low));
}

/*! \brief A pixel coordinate kept inside the image: clipped ("border") or mirrored then clipped ("reflection"). */
PrimExpr PadCoordinate(PrimExpr c, PrimExpr size, const std::string& mode, bool align_corners,
                       const std::string& op) {
  if (mode == "zeros") return c;
  if (mode == "reflection") {
    int64_t n = nn::ConstInt(size, op, "the spatial size");
    c = align_corners ? Reflect(c, 0, 2.0 * (n - 1)) : Reflect(c, -1, 2.0 * n - 1);
  }
  return tvm::min(tvm::max(c, F(0)), ToF(size) - F(1));
}

/*! \brief Cubic convolution weights of the taps at -1, 0, 1, 2 for fraction t (PyTorch's alpha = -0.75). */
std::vector<PrimExpr> CubicWeights(PrimExpr t) {
  const double a = -0.75;
  auto near = [&](PrimExpr x) { return ((F(a + 2) * x - F(a + 3)) * x) * x + F(1); };
  auto far = [&](PrimExpr x) { return ((F(a) * x - F(5 * a)) * x + F(8 * a)) * x - F(4 * a); };
  return {far(t + F(1)), near(t), near(F(1) - t), far(F(2) - t)};
}

}  // namespace

Tensor affine_grid(const Tensor& data, const Array<PrimExpr>& target_shape) {
  TVM_CHECK(data->shape.size() == 3 && nn::ConstInt(data->shape[1], "affine_grid", "data's dimension 1") == 2 &&
                nn::ConstInt(data->shape[2], "affine_grid", "data's dimension 2") == 3,
            "ValueError")
      << "affine_grid: data must be (batch, 2, 3), got " << ShapeString(data->shape);
  TVM_CHECK(target_shape.size() == 2, "ValueError")
      << "affine_grid: target_shape must be (height, width), got " << ShapeString(target_shape);
  PrimExpr h = target_shape[0], w = target_shape[1];
  DataType dt = data->dtype;
  return compute(
      {data->shape[0], 2, h, w},
      [&](const Array<Var>& i) {
        // Points spanning [-1, 1]; a single point sits at -1.
        PrimExpr x = F(-1) + ToF(i[3]) * F(2) / ToF(tvm::max(w - 1, 1));
        PrimExpr y = F(-1) + ToF(i[2]) * F(2) / ToF(tvm::max(h - 1, 1));
        return cast(dt, ToF(data(i[0], i[1], 0)) * x + ToF(data(i[0], i[1], 1)) * y + ToF(data(i[0], i[1], 2)));
      },
      "affine_grid", "injective");
}

Tensor grid_sample(const Tensor& data, const Tensor& grid, const std::string& method, const std::string& layout,
                   const std::string& padding_mode, bool align_corners) {
  const std::string op = "grid_sample";
  TVM_CHECK(layout == "NCHW" || layout == "NCDHW", "ValueError")
      << op << ": layout must be NCHW or NCDHW, got " << layout;
  size_t ns = layout.size() - 2;
  TVM_CHECK(data->shape.size() == ns + 2 && grid->shape.size() == ns + 2, "ValueError")
      << op << ": data " << ShapeString(data->shape) << " and grid " << ShapeString(grid->shape)
      << " must both have rank " << ns + 2 << " for layout " << layout;
  TVM_CHECK(nn::ConstInt(grid->shape[1], op, "grid's dimension 1") == static_cast<int64_t>(ns), "ValueError")
      << op << ": grid " << ShapeString(grid->shape) << " must have " << ns << " coordinates in dimension 1";
  TVM_CHECK(method == "nearest" || method == "bilinear" || method == "bicubic", "ValueError")
      << op << ": method must be nearest, bilinear or bicubic, got \"" << method << "\"";
  TVM_CHECK(padding_mode == "zeros" || padding_mode == "border" || padding_mode == "reflection", "ValueError")
      << op << ": padding_mode must be zeros, border or reflection, got \"" << padding_mode << "\"";
  Array<PrimExpr> out_shape{data->shape[0], data->shape[1]};
  for (size_t i = 0; i < ns; ++i) out_shape.push_back(grid->shape[2 + i]);
  DataType dt = data->dtype;
  return compute(
      out_shape,
      [&](const Array<Var>& idx) {
        // Per spatial axis a (D, H, W order): the source coordinate in pixels.
        std::vector<PrimExpr> coord(ns);
        for (size_t a = 0; a < ns; ++a) {
          Array<PrimExpr> gi{idx[0], static_cast<int>(ns - 1 - a)};
          for (size_t i = 0; i < ns; ++i) gi.push_back(idx[2 + i]);
          PrimExpr g = ToF(grid(gi));
          PrimExpr size = data->shape[2 + a];
          PrimExpr sf = ToF(size);
          PrimExpr c = align_corners ? (g + F(1)) / F(2) * (sf - F(1)) : ((g + F(1)) * sf - F(1)) / F(2);
          // Bicubic pads each tap instead (below), as PyTorch does.
          if (method != "bicubic") c = PadCoordinate(c, size, padding_mode, align_corners, op);
          coord[a] = c;
        }
        // Taps: one (nearest) or two (linear) per axis; out-of-image ones read 0.
        std::vector<std::vector<PrimExpr>> tap(ns), weight(ns);
        for (size_t a = 0; a < ns; ++a) {
          if (method == "nearest") {
            tap[a] = {cast(DataType::Int(32), nearbyint(coord[a]))};
            weight[a] = {F(1)};
          } else if (method == "bicubic") {
            PrimExpr f = floor(coord[a]);
            weight[a] = CubicWeights(coord[a] - f);
            PrimExpr size = data->shape[2 + a];
            for (int j = 0; j < 4; ++j) {
              PrimExpr c = f + F(j - 1);
              if (padding_mode != "zeros") c = PadCoordinate(c, size, padding_mode, align_corners, op);
              tap[a].push_back(cast(DataType::Int(32), c));
            }
          } else {
            PrimExpr f = floor(coord[a]);
            PrimExpr t = coord[a] - f;
            PrimExpr i0 = cast(DataType::Int(32), f);
            tap[a] = {i0, i0 + 1};
            weight[a] = {F(1) - t, t};
          }
        }
        PrimExpr value = F(0);
        std::vector<size_t> k(ns, 0);
        while (true) {
          Array<PrimExpr> at{idx[0], idx[1]};
          PrimExpr inside = const_true();
          PrimExpr w = F(1);
          for (size_t a = 0; a < ns; ++a) {
            PrimExpr i = tap[a][k[a]];
            PrimExpr size = data->shape[2 + a];
            inside = logical_and(inside, logical_and(i >= 0, i < size));
            at.push_back(tvm::min(tvm::max(i, 0), size - 1));
            w = w * weight[a][k[a]];
          }
          value = value + if_then_else(inside, ToF(data(at)), F(0)) * w;
          size_t a = 0;
          while (a < ns && ++k[a] == tap[a].size()) k[a++] = 0;
          if (a == ns) break;
        }
        return cast(dt, value);
      },
      "grid_sample", "injective");
}

TVM_REGISTER_GLOBAL("topi.image.affine_grid").set_body_typed([](Tensor data, Array<PrimExpr> target_shape) {
  return affine_grid(data, target_shape);
});
TVM_REGISTER_GLOBAL("topi.image.grid_sample")
    .set_body_typed([](Tensor data, Tensor grid, std::string method, std::string layout, std::string padding_mode,
                       bool align_corners) {
      return grid_sample(data, grid, method, layout, padding_mode, align_corners);
    });

}  // namespace image
}  // namespace topi
}  // namespace tvm
