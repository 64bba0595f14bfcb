/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/topi/nn_conv2d_winograd.cc
 * \brief The Winograd matrices, the kernel transform and the plain-TE NCHW Winograd convolution.
 */
#include <tvm/runtime/registry.h>
#include <tvm/te/operation.h>
#include <tvm/tir/op.h>
#include <tvm/topi/nn/conv2d_winograd.h>

#include <string>
#include <vector>

#include "conv2d_nchwc_common.h"

namespace tvm {
namespace topi {
namespace nn {

using nchwc::CeilDiv;
using nchwc::Int;
using nchwc::ShapeText;
using te::Tensor;
using tir::IterVar;
using tir::Var;

const WinogradMatrices& Winograd3x3(int tile_size) {
  // Interpolation points 0, 1, -1 (and infinity) for m = 2; 0, +-1, +-2 (and infinity) for m = 4.
  static const WinogradMatrices f2{2,
                                   4,
                                   {1, 1, 1, 0,  //
                                    0, 1, -1, -1},
                                   {1, 0, -1, 0,  //
                                    0, 1, 1, 0,   //
                                    0, -1, 1, 0,  //
                                    0, 1, 0, -1},
                                   {1, 0, 0,        //
                                    0.5, 0.5, 0.5,  //
                                    0.5, -0.5, 0.5,  //
                                    0, 0, 1}};
  static const WinogradMatrices f4{4,
                                   6,
                                   {1, 1, 1, 1, 1, 0,    //
                                    0, 1, -1, 2, -2, 0,  //
                                    0, 1, 1, 4, 4, 0,    //
                                    0, 1, -1, 8, -8, 1},
                                   {4, 0, -5, 0, 1, 0,    //
                                    0, -4, -4, 1, 1, 0,   //
                                    0, 4, -4, -1, 1, 0,   //
                                    0, -2, -1, 2, 1, 0,   //
                                    0, 2, -1, -2, 1, 0,   //
                                    0, 4, 0, -5, 0, 1},
                                   {1.0 / 4, 0, 0,                 //
                                    -1.0 / 6, -1.0 / 6, -1.0 / 6,  //
                                    -1.0 / 6, 1.0 / 6, -1.0 / 6,   //
                                    1.0 / 24, 1.0 / 12, 1.0 / 6,   //
                                    1.0 / 24, -1.0 / 12, 1.0 / 6,  //
                                    0, 0, 1}};
  TVM_CHECK(tile_size == 2 || tile_size == 4, "ValueError")
      << "Winograd 3x3 convolution: tile_size must be 2 or 4, got " << tile_size;
  return tile_size == 2 ? f2 : f4;
}

PrimExpr WinogradCoefficient(const std::vector<double>& matrix, int cols, const PrimExpr& row, const PrimExpr& col,
                             DataType dtype) {
  PrimExpr value = make_const(dtype, 0);
  for (size_t k = 0; k < matrix.size(); ++k) {
    if (matrix[k] == 0) continue;
    const int r = static_cast<int>(k) / cols, c = static_cast<int>(k) % cols;
    value = tir::Select(logical_and(equal(row, r), equal(col, c)), make_const(dtype, matrix[k]), value);
  }
  return value;
}

Tensor Conv2DWinogradWeightTransform(const Tensor& kernel, int tile_size) {
  const char* op = "conv2d_winograd_weight_transform";
  const WinogradMatrices& w = Winograd3x3(tile_size);
  std::vector<int64_t> shape = nchwc::ConstShape(op, "kernel", kernel);
  TVM_CHECK(shape.size() == 4 && shape[2] == 3 && shape[3] == 3, "ValueError")
      << op << ": expects an OIHW 3x3 kernel, got shape " << ShapeText(kernel->shape);
  IterVar a = nchwc::ReduceAxis(3, "r_kh");
  IterVar b = nchwc::ReduceAxis(3, "r_kw");
  const DataType dtype = kernel->dtype;
  return nchwc::PyCompute(
      {Int(w.alpha), Int(w.alpha), Int(shape[0]), Int(shape[1])}, {"eps", "nu", "co", "ci"},
      [&](const std::vector<Var>& i) {
        PrimExpr g_row = WinogradCoefficient(w.g, 3, i[0], a->var, dtype);
        PrimExpr g_col = WinogradCoefficient(w.g, 3, i[1], b->var, dtype);
        return te::sum(mul(mul(kernel(Array<PrimExpr>{i[2], i[3], a->var, b->var}), g_row), g_col), {a, b});
      },
      "transform_weight", "conv2d_winograd_weight_transform");
}

Tensor Conv2DWinogradNCHW(const Tensor& data, const Tensor& kernel, const Array<Integer>& padding, int tile_size,
                          DataType out_dtype) {
  const char* op = "conv2d_winograd_nchw";
  const WinogradMatrices& w = Winograd3x3(tile_size);
  std::vector<int64_t> ds = nchwc::ConstShape(op, "data", data), ks = nchwc::ConstShape(op, "kernel", kernel);
  TVM_CHECK(ds.size() == 4, "ValueError") << op << ": data must be NCHW, got shape " << ShapeText(data->shape);
  TVM_CHECK(ks.size() == 4 && ks[0] == w.alpha && ks[1] == w.alpha && ks[3] == ds[1], "ValueError")
      << op << ": the transformed kernel must be [" << w.alpha << ", " << w.alpha << ", O, " << ds[1]
      << "] for tile_size " << tile_size << " and data " << ShapeText(data->shape) << ", got "
      << ShapeText(kernel->shape);
  nchwc::Window win = nchwc::ConvWindow(op, ds[2], ds[3], 3, 3, {Integer(1)}, padding, {Integer(1)});
  if (out_dtype.is_void()) out_dtype = data->dtype;
  const int64_t m = w.m, n_h = CeilDiv(win.out_h, m), n_w = CeilDiv(win.out_w, m);
  const int64_t tiles = ds[0] * n_h * n_w;
  Tensor data_pad = nchwc::PadBlocked(data, win.pad_top, win.pad_left, n_h * m + 2, n_w * m + 2);
  IterVar ra = nchwc::ReduceAxis(w.alpha, "r_a"), rb = nchwc::ReduceAxis(w.alpha, "r_b");
  Tensor v = nchwc::PyCompute(
      {Int(w.alpha), Int(w.alpha), Int(ds[1]), Int(tiles)}, {"eps", "nu", "c", "p"},
      [&](const std::vector<Var>& i) {
        PrimExpr n = floordiv(i[3], Int(n_h * n_w)), ty = floormod(floordiv(i[3], Int(n_w)), Int(n_h)),
                 tx = floormod(i[3], Int(n_w));
        PrimExpr d = cast(out_dtype, data_pad(Array<PrimExpr>{n, i[2], add(mul(ty, Int(m)), ra->var),
                                                              add(mul(tx, Int(m)), rb->var)}));
        PrimExpr c_row = WinogradCoefficient(w.bt, w.alpha, i[0], ra->var, out_dtype);
        PrimExpr c_col = WinogradCoefficient(w.bt, w.alpha, i[1], rb->var, out_dtype);
        return te::sum(mul(mul(d, c_row), c_col), {ra, rb});
      },
      "data_pack", "winograd_data_pack");
  IterVar rc = nchwc::ReduceAxis(ds[1], "r_c");
  Tensor bgemm = nchwc::PyCompute(
      {Int(w.alpha), Int(w.alpha), Int(ks[2]), Int(tiles)}, {"eps", "nu", "k", "p"},
      [&](const std::vector<Var>& i) {
        return te::sum(mul(cast(out_dtype, kernel(Array<PrimExpr>{i[0], i[1], i[2], rc->var})),
                           v(Array<PrimExpr>{i[0], i[1], rc->var, i[3]})),
                       {rc});
      },
      "bgemm", "winograd_bgemm");
  IterVar ri = nchwc::ReduceAxis(w.alpha, "r_i"), rj = nchwc::ReduceAxis(w.alpha, "r_j");
  return nchwc::PyCompute(
      {Int(ds[0]), Int(ks[2]), Int(win.out_h), Int(win.out_w)}, {"n", "k", "y", "x"},
      [&](const std::vector<Var>& i) {
        PrimExpr p = add(add(mul(i[0], Int(n_h * n_w)), mul(floordiv(i[2], Int(m)), Int(n_w))),
                         floordiv(i[3], Int(m)));
        PrimExpr c_row = WinogradCoefficient(w.at, w.alpha, floormod(i[2], Int(m)), ri->var, out_dtype);
        PrimExpr c_col = WinogradCoefficient(w.at, w.alpha, floormod(i[3], Int(m)), rj->var, out_dtype);
        return te::sum(mul(mul(bgemm(Array<PrimExpr>{ri->var, rj->var, i[1], p}), c_row), c_col), {ri, rj});
      },
      "conv2d_winograd", "conv2d_winograd_nchw");
}

TVM_REGISTER_GLOBAL("topi.nn.conv2d_winograd_weight_transform").set_body_typed([](Tensor kernel, int tile_size) {
  return Conv2DWinogradWeightTransform(kernel, tile_size);
});
TVM_REGISTER_GLOBAL("topi.nn.conv2d_winograd_nchw_without_weight_transform")
    .set_body_typed([](Tensor data, Tensor kernel, Array<Integer> padding, int tile_size, DataType out_dtype) {
      return Conv2DWinogradNCHW(data, kernel, padding, tile_size, out_dtype);
    });

}  // namespace nn
}  // namespace topi
}  // namespace tvm
