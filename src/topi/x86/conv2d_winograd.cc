/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/topi/x86/conv2d_winograd.cc
 * \brief Winograd F(m x m, 3 x 3) in blocked NCHW<c>c layouts for x86 CPUs (the stages are listed
 *  in tvm/topi/x86/conv2d_winograd.h).
 *
 * The transforms are written row by row from the constant matrices, skipping zero entries, as
 * selects on the row index; the schedule unrolls those indices, so each unrolled copy simplifies
 * to its own few vector adds and multiplies by constants. The alpha^2 GEMMs take the register
 * tile of the direct convolution (a few tiles x one or two output-channel vectors, accumulated
 * over all input channels in registers) and run in parallel over (alpha^2 x channel blocks). The
 * inverse transform runs at each m x m output tile with the fused elementwise epilogue, so M is
 * read once and the output written once.
 */
#include <tvm/runtime/registry.h>
#include <tvm/te/operation.h>
#include <tvm/te/schedule.h>
#include <tvm/tir/op.h>
#include <tvm/topi/nn/conv2d_winograd.h>
#include <tvm/topi/tags.h>
#include <tvm/topi/x86/conv2d_winograd.h>
#include <tvm/topi/x86/utils.h>

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

#include "../conv2d_nchwc_common.h"
#include "schedule_common.h"

namespace tvm {
namespace topi {
namespace x86 {

using nchwc::AttrInt;
using nchwc::AxisOf;
using nchwc::CeilDiv;
using nchwc::Int;
using nchwc::IntAttrs;
using nchwc::ShapeText;
using te::Operation;
using te::Schedule;
using te::Stage;
using te::Tensor;
using tir::IterVar;
using tir::Var;

namespace {

constexpr const char* kWinogradTag = "conv2d_winograd_NCHWc_x86";

/*! \brief Row `row` of `matrix` (rows x cols) applied to term(0..cols-1): a select over the rows,
 *  each the sum of its non-zero entries times their terms. */
PrimExpr RowCombination(const std::vector<double>& matrix, int rows, int cols, const PrimExpr& row,
                        const std::function<PrimExpr(int)>& term, DataType dtype) {
  PrimExpr result;
  for (int r = rows - 1; r >= 0; --r) {
    PrimExpr combo;
    for (int k = 0; k < cols; ++k) {
      const double c = matrix[r * cols + k];
      if (c == 0) continue;
      PrimExpr t = term(k);
      if (!combo.defined()) {
        combo = c == 1 ? t : c == -1 ? neg(t) : mul(make_const(dtype, c), t);
      } else if (c == 1) {
        combo = add(combo, t);
      } else if (c == -1) {
        combo = sub(combo, t);
      } else {
        combo = add(combo, mul(make_const(dtype, c), t));
      }
    }
    if (!combo.defined()) combo = make_const(dtype, 0);
    result = result.defined() ? tir::Select(equal(row, r), combo, result) : combo;
  }
  return result;
}

}  // namespace

int WinogradTileSize(int64_t batch, int64_t out_h, int64_t out_w, int64_t in_channels, int64_t out_channels) {
  // Measured on AVX-512 against the direct NCHWc convolution (layers of ResNets and others):
  // F(4x4, 3x3) wins 1.7-2.8x from 28x28 outputs up, F(2x2, 3x3) 1.3-1.9x below (its kernel is
  // 16/9 of the direct one's, not 36/9, and its tiles waste less of a small image). With fewer
  // than 32 channels the transforms cost more than the GEMMs save, and a 2x2 output is one tile.
  if (in_channels < 32 || out_channels < 32) return 0;
  if (batch * CeilDiv(out_h, 4) * CeilDiv(out_w, 4) >= 36) return 4;
  if (batch * CeilDiv(out_h, 2) * CeilDiv(out_w, 2) >= 4) return 2;
  return 0;
}

Tensor Conv2DWinogradNCHWc(const Tensor& data, const Tensor& kernel, const Array<Integer>& padding, int tile_size,
                           DataType out_dtype, int lanes) {
  const char* op = "conv2d_winograd_NCHWc (x86)";
  const nn::WinogradMatrices& w = nn::Winograd3x3(tile_size);
  std::vector<int64_t> ds = nchwc::ConstShape(op, "data", data), ks = nchwc::ConstShape(op, "kernel", kernel);
  TVM_CHECK(ds.size() == 5, "ValueError") << op << ": data must be NCHW<c>c (5-D), got shape "
                                          << ShapeText(data->shape);
  const int64_t batch = ds[0], c_chunks = ds[1], height = ds[2], width = ds[3], cb = ds[4];
  const int64_t alpha = w.alpha, m = w.m;
  TVM_CHECK(ks.size() == 5 && ks[0] == alpha && ks[1] == alpha && ks[3] == c_chunks * cb, "ValueError")
      << op << ": the kernel must be the transformed [" << alpha << ", " << alpha << ", K/kb, " << c_chunks * cb
      << ", kb] for tile_size " << tile_size << " and data " << ShapeText(data->shape) << ", got "
      << ShapeText(kernel->shape);
  const int64_t k_chunks = ks[2], kb = ks[4], in_channels = c_chunks * cb;
  nchwc::Window win = nchwc::ConvWindow(op, height, width, 3, 3, {Integer(1)}, padding, {Integer(1)},
                                        " " + ShapeText(data->shape));
  if (out_dtype.is_void()) out_dtype = data->dtype;
  const int64_t vlanes = lanes > 0 ? lanes : std::max(1, GetSimd32BitLanes() * 32 / std::max(1, out_dtype.bits()));
  const int64_t vector = kb > vlanes && kb % vlanes == 0 ? vlanes : kb;
  const int64_t per_chunk = kb / vector;
  const int64_t target = std::max(per_chunk, (2 * vlanes) / vector);
  int64_t cot = 1;
  for (int64_t d = 1; d <= k_chunks; ++d) {
    if (k_chunks % d == 0 && d * per_chunk <= target) cot = d;
  }
  const int64_t vectors = cot * per_chunk;
  const int64_t n_h = CeilDiv(win.out_h, m), n_w = CeilDiv(win.out_w, m), tiles = batch * n_h * n_w;
  auto [pt, tiles_padded] = WidthTile(tiles, vectors, VectorRegisters(static_cast<int>(vlanes)) - vectors - 2);

  Tensor data_pad = nchwc::PadBlocked(data, win.pad_top, win.pad_left, n_h * m + 2, n_w * m + 2);
  // Padded GEMM rows repeat the last tile (in bounds; the inverse transform never reads them).
  Tensor tile_rows = nchwc::PyCompute(
      {Int(c_chunks), Int(tiles_padded), Int(alpha), Int(alpha), Int(cb)}, {"c", "p", "eps", "x", "cb"},
      [&](const std::vector<Var>& i) {
        PrimExpr p = min(i[1], Int(tiles - 1));
        PrimExpr n = floordiv(p, Int(n_h * n_w)), ty = floormod(floordiv(p, Int(n_w)), Int(n_h)),
                 tx = floormod(p, Int(n_w));
        auto d = [&](int a) {
          return cast(out_dtype, data_pad(Array<PrimExpr>{n, i[0], add(mul(ty, Int(m)), Int(a)),
                                                          add(mul(tx, Int(m)), i[3]), i[4]}));
        };
        return RowCombination(w.bt, alpha, alpha, i[2], d, out_dtype);
      },
      "tile_rows", "winograd_tile_rows");
  Tensor data_pack = nchwc::PyCompute(
      {Int(alpha), Int(alpha), Int(c_chunks), Int(tiles_padded), Int(cb)}, {"eps", "nu", "c", "p", "cb"},
      [&](const std::vector<Var>& i) {
        auto t = [&](int b) { return tile_rows(Array<PrimExpr>{i[2], i[3], i[0], Int(b), i[4]}); };
        return RowCombination(w.bt, alpha, alpha, i[1], t, out_dtype);
      },
      "data_pack", "winograd_data_pack");
  IterVar rc = nchwc::ReduceAxis(in_channels, "rc");
  Tensor bgemm = nchwc::PyCompute(
      {Int(alpha), Int(alpha), Int(k_chunks), Int(tiles_padded), Int(kb)}, {"eps", "nu", "k", "p", "kb"},
      [&](const std::vector<Var>& i) {
        PrimExpr v = data_pack(Array<PrimExpr>{i[0], i[1], floordiv(rc->var, Int(cb)), i[3], floormod(rc->var, Int(cb))});
        PrimExpr u = cast(out_dtype, kernel(Array<PrimExpr>{i[0], i[1], i[2], rc->var, i[4]}));
        return te::sum(mul(v, u), {rc});
      },
      "bgemm", "winograd_bgemm", IntAttrs({{"pt", pt}, {"cot", cot}, {"vector", vector}, {"cb", cb}}));
  Tensor inverse = nchwc::PyCompute(
      {Int(k_chunks), Int(tiles_padded), Int(m), Int(alpha), Int(kb)}, {"k", "p", "vh", "nu", "kb"},
      [&](const std::vector<Var>& i) {
        auto t = [&](int e) { return bgemm(Array<PrimExpr>{Int(e), i[3], i[0], i[1], i[4]}); };
        return RowCombination(w.at, m, alpha, i[2], t, out_dtype);
      },
      "inverse", "winograd_inverse");
  return nchwc::PyCompute(
      {Int(batch), Int(k_chunks), Int(win.out_h), Int(win.out_w), Int(kb)}, {"n", "k", "y", "x", "kb"},
      [&](const std::vector<Var>& i) {
        PrimExpr p = add(add(mul(i[0], Int(n_h * n_w)), mul(floordiv(i[2], Int(m)), Int(n_w))),
                         floordiv(i[3], Int(m)));
        auto t = [&](int e) { return inverse(Array<PrimExpr>{i[1], p, floormod(i[2], Int(m)), Int(e), i[4]}); };
        return RowCombination(w.at, m, alpha, floormod(i[3], Int(m)), t, out_dtype);
      },
      "conv2d_winograd_NCHWc", kWinogradTag, IntAttrs({{"m", m}, {"vector", vector}}));
}

// ---------------------------------------------------------------------------
// Schedule

namespace {

/*! \brief The output whose tiles the inverse transform runs at: the fused function's output
 *  when it is an elementwise image of the convolution, else the convolution itself. */
Tensor TiledOutput(const Operation& conv_op, const Array<Tensor>& outs) {
  if (outs.size() == 1 && outs[0].op().as<te::ComputeOpNode>() && !outs[0].op().same_as(conv_op)) {
    const Array<PrimExpr> shape = conv_op.output(0)->shape;
    if (ElementwiseFrom(outs[0].op(), conv_op, &shape)) return outs[0];
  }
  return conv_op.output(0);
}

void ScheduleWinograd(Schedule s, const Operation& conv_op, const Array<Tensor>& outs) {
  const int64_t m = AttrInt(conv_op, "m"), out_vector = AttrInt(conv_op, "vector");
  Tensor inverse = conv_op->InputTensors()[0];
  Tensor bgemm = inverse.op()->InputTensors()[0];
  Tensor data_pack = bgemm.op()->InputTensors()[0];
  Tensor tile_rows = data_pack.op()->InputTensors()[0];
  Tensor data_pad = tile_rows.op()->InputTensors()[0];

  // Zero padding (when the tiles need any): whole, in parallel over rows.
  if (data_pad.op().as<te::ComputeOpNode>()) {
    Stage pad = s[data_pad.op()];
    const Array<IterVar>& a = AxisOf(data_pad.op());
    IterVar fused;
    pad.fuse(Array<IterVar>{a[0], a[1], a[2]}, &fused);
    pad.parallel(fused);
    pad.vectorize(a[4]);
  }
  // Input transform: per (channel block, tile), B^T d then (B^T d) B, all in vector registers.
  {
    Stage pack = s[data_pack.op()];
    const Array<IterVar>& a = AxisOf(data_pack.op());  // eps, nu, c, p, cb
    IterVar task;
    pack.reorder({a[2], a[3], a[0], a[1], a[4]});
    pack.fuse(Array<IterVar>{a[2], a[3]}, &task);
    pack.parallel(task);
    pack.unroll(a[0]);
    pack.unroll(a[1]);
    pack.vectorize(a[4]);
    Stage rows = s[tile_rows.op()];
    rows.set_scope("local");
    rows.compute_at(pack, task);
    const Array<IterVar>& r = AxisOf(tile_rows.op());  // c, p, eps, x, cb
    rows.unroll(r[2]);
    rows.unroll(r[3]);
    rows.vectorize(r[4]);
  }
  // The GEMMs: a register tile of pt tiles x cot output-channel blocks, accumulated over all
  // input channels, then stored.
  {
    const Operation& gemm_op = bgemm.op();
    const int64_t pt = AttrInt(gemm_op, "pt"), cot = AttrInt(gemm_op, "cot"), vector = AttrInt(gemm_op, "vector");
    const int64_t cb = AttrInt(gemm_op, "cb");
    Tensor local = s.cache_write(bgemm, "local");
    Stage store = s[bgemm.op()];
    const Array<IterVar>& a = AxisOf(s[bgemm.op()]->op);  // eps, nu, k, p, kb
    IterVar k_outer, k_inner, p_outer, p_inner, kv, kl, task;
    store.split(a[2], Int(cot), &k_outer, &k_inner);
    store.split(a[3], Int(pt), &p_outer, &p_inner);
    store.split(a[4], Int(vector), &kv, &kl);
    store.reorder({a[0], a[1], k_outer, p_outer, p_inner, k_inner, kv, kl});
    store.fuse(Array<IterVar>{a[0], a[1], k_outer}, &task);
    store.parallel(task);
    store.unroll(p_inner);
    store.unroll(k_inner);
    store.unroll(kv);
    store.vectorize(kl);
    Stage acc = s[local.op()];
    acc.compute_at(store, p_outer);
    const auto* c = local.op().as<te::ComputeOpNode>();
    const Array<IterVar>& la = c->axis;  // eps, nu, k, p, kb
    IterVar rc_outer, rc_inner, lv, ll;
    acc.split(c->reduce_axis[0], Int(cb), &rc_outer, &rc_inner);
    acc.split(la[4], Int(vector), &lv, &ll);
    acc.reorder({la[0], la[1], rc_outer, rc_inner, la[3], la[2], lv, ll});
    acc.unroll(la[3]);
    acc.unroll(la[2]);
    acc.unroll(lv);
    acc.vectorize(ll);
  }
  // Inverse transform at each m x m output tile, with the fused epilogue.
  {
    Tensor final = TiledOutput(conv_op, outs);
    Stage out = s[final.op()];
    const Array<IterVar>& a = AxisOf(final.op());  // n, k, y, x, kb
    IterVar yt, yi, xt, xi, kv, kl, task;
    out.split(a[2], Int(m), &yt, &yi);
    out.split(a[3], Int(m), &xt, &xi);
    out.split(a[4], Int(out_vector), &kv, &kl);
    out.reorder({a[0], a[1], yt, xt, yi, xi, kv, kl});
    out.fuse(Array<IterVar>{a[0], a[1], yt}, &task);
    out.parallel(task);
    out.unroll(yi);
    out.unroll(xi);
    out.unroll(kv);
    out.vectorize(kl);
    // Both stages are 5-D with the tile's two unrolled axes at 2 and 3 and the channels of a
    // block last: the inverse (k, p, vh, nu, kb) and the output (n, k, y, x, kb).
    auto in_registers = [&](const Operation& op) {
      Stage stage = s[op];
      stage.set_scope("local");
      stage.compute_at(out, xt);
      const Array<IterVar>& axes = AxisOf(op);
      IterVar v, l;
      stage.split(axes[4], Int(out_vector), &v, &l);
      stage.unroll(axes[2]);
      stage.unroll(axes[3]);
      stage.unroll(v);
      stage.vectorize(l);
    };
    if (!final.op().same_as(conv_op)) in_registers(conv_op);
    in_registers(inverse.op());
  }
}

}  // namespace

Schedule ScheduleConv2DWinogradNCHWc(const Array<Tensor>& outs) {
  TVM_CHECK(!outs.empty(), "ValueError") << "schedule of conv2d_winograd_NCHWc: no outputs given";
  Array<Operation> ops;
  for (const Tensor& t : outs) ops.push_back(t.op());
  Schedule s = te::create_schedule(ops);
  for (const Operation& op : nchwc::TraverseInline(s, outs[0].op(), kWinogradTag)) ScheduleWinograd(s, op, outs);
  return s;
}

TVM_REGISTER_GLOBAL("topi.x86.winograd_tile_size")
    .set_body_typed([](int64_t batch, int64_t out_h, int64_t out_w, int64_t in_channels, int64_t out_channels) {
      return WinogradTileSize(batch, out_h, out_w, in_channels, out_channels);
    });
TVM_REGISTER_GLOBAL("topi.x86.conv2d_winograd_NCHWc")
    .set_body_typed([](Tensor data, Tensor kernel, Array<Integer> padding, int tile_size, DataType out_dtype,
                       int lanes) { return Conv2DWinogradNCHWc(data, kernel, padding, tile_size, out_dtype, lanes); });
TVM_REGISTER_GLOBAL("topi.x86.schedule_conv2d_winograd_NCHWc").set_body_typed([](Array<Tensor> outs) {
  return ScheduleConv2DWinogradNCHWc(outs);
});

}  // namespace x86
}  // namespace topi
}  // namespace tvm
