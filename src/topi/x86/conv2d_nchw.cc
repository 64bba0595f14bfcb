/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/topi/x86/conv2d_nchw.cc
 * \brief Float convolutions in plain NCHW x OIHW for x86 CPUs and their schedules (Python's
 *  topi.x86.conv2d_nchw / depthwise_conv2d_nchw are thin wrappers of these).
 *
 * conv2d_nchw packs the padded input into NCHW[i]c blocks (data_vec) and the kernel into
 * OIHW[i]i[o]o panels (kernel_vec, or takes it packed), computes conv2d_NCHWc with output
 * channels innermost and unpacks it to NCHW. The schedule keeps a tile of owb output pixels x
 * ocv channel vectors in registers for the whole (ic, kh, kw) reduction and stores it through
 * the fused epilogue. depthwise_conv2d_nchw pads each input plane with its columns de-interleaved
 * by the stride (a strided window then reads contiguous vectors) and vectorises along the output
 * width, a tile of a few rows x a few vectors per unrolled kh x kw window.
 *
 * The TE is built exactly as Python's te.compute would build it (axes named as the Python
 * lambdas named them, the same operator calls in the same order), so a model compiled from a
 * C++ program and from Python lowers to the same TIR.
 */
#include <tvm/ir/repr_printer.h>
#include <tvm/ir/structural_equal.h>
#include <tvm/runtime/registry.h>
#include <tvm/te/operation.h>
#include <tvm/te/schedule.h>
#include <tvm/tir/op.h>
#include <tvm/topi/tags.h>
#include <tvm/topi/x86/conv2d_nchw.h>
#include <tvm/topi/x86/utils.h>

#include <algorithm>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "../conv2d_nchwc_common.h"
#include "schedule_common.h"

namespace tvm {
namespace topi {
namespace x86 {

using nchwc::AttrInt;
using nchwc::AxisOf;
using nchwc::CeilDiv;
using nchwc::FloorDiv;
using nchwc::Int;
using nchwc::IntAttrs;
using nchwc::PyCompute;
using nchwc::ReduceAxis;
using nchwc::ShapeText;
using te::Operation;
using te::Schedule;
using te::Stage;
using te::Tensor;
using tir::IterVar;
using tir::Var;

namespace {

constexpr const char* kConvTag = "conv2d_NCHWc";
constexpr const char* kUnpackTag = "injective,conv2d_nchw_unpack";
constexpr const char* kDataPackTag = "conv2d_x86_data_pack";
constexpr const char* kKernelPackTag = "conv2d_x86_kernel_pack";
constexpr const char* kDepthwiseTag = "depthwise_conv2d_nchw_x86";
constexpr const char* kCropTag = "injective,depthwise_conv2d_nchw_crop";

/*! \brief A dimension as Python's get_const_tuple gives it to te.compute: a static one as a
 *  Python int (an int32 immediate), a symbolic one as it is. */
PrimExpr ConstDim(const PrimExpr& d) {
  if (const auto* imm = d.as<IntImmNode>()) return Int(imm->value);
  return d;
}

int64_t StaticDim(const Tensor& t, size_t i, const char* op, const char* what) {
  const auto* imm = t->shape[i].as<IntImmNode>();
  TVM_CHECK(imm != nullptr, "ValueError") << op << ": the " << what << " " << ShapeText(t->shape)
                                          << " must have a static dimension " << i;
  return imm->value;
}

int LanesOf(DataType dtype, int lanes) {
  if (lanes > 0) return lanes;
  return std::max(1, GetSimd32BitLanes() * 32 / std::max(1, dtype.bits()));
}

/*! \brief (vector, ocv, owb) of the register tile (Python: topi.x86.conv2d_tile). */
std::vector<int64_t> ConvTile(int64_t out_channels, int64_t out_width, int64_t lanes, int64_t registers = 32) {
  int64_t vector = lanes;
  for (int64_t v : {lanes, lanes / 2, lanes / 4}) {
    if (v >= 4 && out_channels % v == 0) {
      vector = v;
      break;
    }
  }
  int64_t ocv = 1;
  if (vector == lanes) {
    ocv = (out_channels % (2 * lanes) == 0 || (out_channels % lanes != 0 && out_channels > lanes)) ? 2 : 1;
  } else {
    for (int64_t d : {4, 3, 2, 1}) {
      if (FloorDiv(out_channels, vector) % d == 0) {
        ocv = d;
        break;
      }
    }
  }
  const int64_t limit = std::max<int64_t>(1, FloorDiv(registers - ocv - 2, ocv));
  const int64_t top = std::min(limit, out_width);
  int64_t owb = 1;
  for (int64_t d = 1; d <= top; ++d) {
    if (out_width % d == 0) owb = d;
  }
  if (owb < top / 2) {
    // A prime width: the tile wasting the fewest padded columns, the wider among equals.
    int64_t best = -1, best_waste = 0;
    for (int64_t b = std::max<int64_t>(1, limit / 2); b <= top; ++b) {
      int64_t waste = CeilDiv(out_width, b) * b - out_width;
      if (best < 0 || waste < best_waste || (waste == best_waste && b > best)) {
        best = b;
        best_waste = waste;
      }
    }
    owb = best;
  }
  return {vector, ocv, owb};
}

int64_t IcBlock(int64_t in_channels) {
  if (in_channels <= 8) return in_channels;
  for (int64_t b : {8, 4, 2}) {
    if (in_channels % b == 0) return b;
  }
  return 1;
}

PrimExpr Inside(const PrimExpr& y, const PrimExpr& x, int64_t top, int64_t left, int64_t height, int64_t width) {
  PrimExpr c = greater_equal(y, Int(top));
  c = logical_and(c, less(y, Int(top + height)));
  c = logical_and(c, greater_equal(x, Int(left)));
  return logical_and(c, less(x, Int(left + width)));
}

}  // namespace

Tensor Conv2DNCHW(const Tensor& data, const Tensor& kernel, const Array<Integer>& strides,
                  const Array<Integer>& padding, const Array<Integer>& dilation, DataType out_dtype, int lanes) {
  const char* op = "conv2d_nchw (x86)";
  TVM_CHECK(data->shape.size() == 4, "ValueError")
      << op << ": the data must be NCHW (4-d), got shape " << ShapeText(data->shape);
  const size_t krank = kernel->shape.size();
  TVM_CHECK(krank == 4 || krank == 6, "ValueError")
      << op << ": the kernel must be OIHW (4-d) or OIHW[i]i[o]o (6-d), got shape " << ShapeText(kernel->shape);
  const int64_t in_channels = StaticDim(data, 1, op, "data");
  const int64_t height = StaticDim(data, 2, op, "data"), width = StaticDim(data, 3, op, "data");
  std::vector<int64_t> k;
  for (size_t i = 0; i < krank; ++i) k.push_back(StaticDim(kernel, i, op, "kernel"));
  const bool prepacked = krank == 6;
  int64_t out_channels, kernel_in, kernel_h = k[2], kernel_w = k[3], ic_block = 0, packed_block = 0;
  if (prepacked) {
    out_channels = k[0] * k[5];
    kernel_in = k[1] * k[4];
    ic_block = k[4];
    packed_block = k[5];
  } else {
    out_channels = k[0];
    kernel_in = k[1];
  }
  TVM_CHECK(kernel_in == in_channels, "ValueError")
      << op << ": the kernel " << ShapeText(kernel->shape) << " expects " << kernel_in
      << " input channels, the data " << ShapeText(data->shape) << " has " << in_channels;
  auto [stride_h, stride_w, dilation_h, dilation_w, pad_top, pad_left, pad_bottom, pad_right, dilated_h,
              dilated_w, out_h, out_w] =
      nchwc::ConvWindow(op, height, width, kernel_h, kernel_w, strides, padding, dilation);
  if (out_dtype.is_void()) out_dtype = data->dtype;
  const int64_t vlanes = LanesOf(out_dtype, lanes);
  std::vector<int64_t> tile = ConvTile(out_channels, out_w, vlanes);
  const int64_t vector = tile[0], ocv = tile[1], owb = tile[2];
  TVM_CHECK(!prepacked || packed_block == vector * ocv, "ValueError")
      << op << ": the packed kernel's output block is " << packed_block << " channels; for " << out_channels
      << " output channels and " << vlanes << "-lane vectors it must be " << vector * ocv
      << " (topi.x86.packed_kernel_layout)";
  const int64_t block = vector * ocv;
  const int64_t oc_chunks = CeilDiv(out_channels, block);
  const int64_t out_w_padded = CeilDiv(out_w, owb) * owb;
  if (!prepacked) ic_block = IcBlock(in_channels);

  // The rows and columns the padded output tiles read; zeros beyond the input. A 1x1 window
  // reads one pixel in stride_h x stride_w: only those are packed.
  int64_t rows = (out_h - 1) * stride_h + dilated_h;
  int64_t cols = (out_w_padded - 1) * stride_w + dilated_w;
  int64_t sample_h = 1, sample_w = 1;
  if (kernel_h == 1 && kernel_w == 1) {
    rows = out_h;
    cols = out_w_padded;
    sample_h = stride_h;
    sample_w = stride_w;
    stride_h = stride_w = 1;
  }
  const PrimExpr batch = ConstDim(data->shape[0]);
  Tensor data_vec = PyCompute(
      {batch, Int(FloorDiv(in_channels, ic_block)), Int(rows), Int(cols), Int(ic_block)}, {"b", "cc", "y", "x", "ci"},
      [&](const std::vector<Var>& i) {
        PrimExpr y = mul(i[2], Int(sample_h));
        PrimExpr x = mul(i[3], Int(sample_w));
        PrimExpr inside = Inside(y, x, pad_top, pad_left, height, width);
        PrimExpr value =
            data(Array<PrimExpr>{i[0], add(mul(i[1], Int(ic_block)), i[4]), sub(y, Int(pad_top)), sub(x, Int(pad_left))});
        return if_then_else(inside, value, make_const(data->dtype, 0));
      },
      "data_vec", kDataPackTag);

  Tensor kernel_vec = kernel;
  if (!prepacked) {
    kernel_vec = PyCompute(
        {Int(oc_chunks), Int(FloorDiv(in_channels, ic_block)), Int(kernel_h), Int(kernel_w), Int(ic_block), Int(block)},
        {"co", "ic_chunk", "kh", "kw", "ic_in", "cb"},
        [&](const std::vector<Var>& i) {
          PrimExpr oc = add(mul(i[0], Int(block)), i[5]);
          PrimExpr ic = add(mul(i[1], Int(ic_block)), i[4]);
          if (out_channels % block == 0) return kernel(Array<PrimExpr>{oc, ic, i[2], i[3]});
          // Padded output channels: zero weights (their outputs are dropped).
          return if_then_else(less(oc, Int(out_channels)),
                              kernel(Array<PrimExpr>{min(oc, Int(out_channels - 1)), ic, i[2], i[3]}),
                              make_const(kernel->dtype, 0));
        },
        "kernel_vec", kKernelPackTag);
  }

  IterVar ic = ReduceAxis(in_channels, "ic");
  IterVar kh = ReduceAxis(kernel_h, "kh");
  IterVar kw = ReduceAxis(kernel_w, "kw");
  Tensor conv = PyCompute(
      {batch, Int(oc_chunks), Int(out_h), Int(out_w_padded), Int(block)}, {"b", "co", "y", "x", "cb"},
      [&](const std::vector<Var>& i) {
        const Var &b = i[0], &co = i[1], &y = i[2], &x = i[3], &cb = i[4];
        PrimExpr value =
            data_vec(Array<PrimExpr>{b, floordiv(ic->var, Int(ic_block)), add(mul(y, Int(stride_h)), mul(kh->var, Int(dilation_h))),
                                     add(mul(x, Int(stride_w)), mul(kw->var, Int(dilation_w))),
                                     floormod(ic->var, Int(ic_block))});
        PrimExpr weight = kernel_vec(
            Array<PrimExpr>{co, floordiv(ic->var, Int(ic_block)), kh->var, kw->var, floormod(ic->var, Int(ic_block)), cb});
        return te::sum(mul(cast(out_dtype, value), cast(out_dtype, weight)), {ic, kh, kw});
      },
      "conv2d_NCHWc", kConvTag, IntAttrs({{"owb", owb}, {"ocv", ocv}, {"lanes", vector}, {"ic_block", ic_block}}));
  return PyCompute(
      {batch, Int(out_channels), Int(out_h), Int(out_w)}, {"b", "c", "y", "x"},
      [&](const std::vector<Var>& i) {
        return conv(Array<PrimExpr>{i[0], floordiv(i[1], Int(block)), i[2], i[3], floormod(i[1], Int(block))});
      },
      "conv2d_nchw", kUnpackTag);
}

namespace {

/*! \brief (vector width, padded output width, vectors per tile row, rows per tile): about 8
 *  independent accumulator vectors, enough chains of dependent FMAs to hide their latency. */
std::vector<int64_t> RowTile(int64_t out_h, int64_t out_w, int64_t lanes) {
  int64_t width = lanes;
  while (width / 2 >= out_w && width > 4) width /= 2;
  const int64_t padded = CeilDiv(out_w, width) * width;
  int64_t vectors = 1;
  for (int64_t v : {1, 2, 3, 4}) {
    if (FloorDiv(padded, width) % v == 0) vectors = v;
  }
  int64_t rows = 1;
  for (int64_t r = 1; r <= std::max<int64_t>(1, 8 / vectors); ++r) {
    if (out_h % r == 0) rows = r;
  }
  return {width, padded, vectors, rows};
}

}  // namespace

Tensor DepthwiseConv2DNCHW(const Tensor& data, const Tensor& kernel, const Array<Integer>& strides,
                           const Array<Integer>& padding, const Array<Integer>& dilation, DataType out_dtype,
                           int lanes) {
  const char* op = "depthwise_conv2d_nchw (x86)";
  TVM_CHECK(data->shape.size() == 4 && kernel->shape.size() == 4, "ValueError")
      << op << ": the data must be NCHW and the kernel OIHW (4-d), got " << ShapeText(data->shape) << " and "
      << ShapeText(kernel->shape);
  const int64_t in_channels = StaticDim(data, 1, op, "data");
  const int64_t height = StaticDim(data, 2, op, "data"), width = StaticDim(data, 3, op, "data");
  const int64_t out_channels = StaticDim(kernel, 0, op, "kernel"), kernel_in = StaticDim(kernel, 1, op, "kernel");
  const int64_t kernel_h = StaticDim(kernel, 2, op, "kernel"), kernel_w = StaticDim(kernel, 3, op, "kernel");
  TVM_CHECK(kernel_in == 1 && out_channels % in_channels == 0, "ValueError")
      << op << ": kernel " << ShapeText(kernel->shape) << " is not a depthwise kernel for data "
      << ShapeText(data->shape) << " (expected [" << in_channels << " * multiplier, 1, kh, kw])";
  const int64_t multiplier = out_channels / in_channels;
  const auto [stride_h, stride_w, dilation_h, dilation_w, pad_top, pad_left, pad_bottom, pad_right, dilated_h,
              dilated_w, out_h, out_w] =
      nchwc::ConvWindow(op, height, width, kernel_h, kernel_w, strides, padding, dilation);
  if (out_dtype.is_void()) out_dtype = data->dtype;
  std::vector<int64_t> tile = RowTile(out_h, out_w, LanesOf(out_dtype, lanes));
  const int64_t vector = tile[0], out_w_padded = tile[1], vectors = tile[2], tile_rows = tile[3];

  const int64_t rows = (out_h - 1) * stride_h + dilated_h;
  const int64_t cols = (out_w_padded - 1) * stride_w + dilated_w;
  // Columns de-interleaved by the stride, [.., phase, col // stride]: the columns one output
  // vector reads for a given kw are contiguous.
  const int64_t phase_cols = CeilDiv(cols, stride_w);
  const PrimExpr batch = ConstDim(data->shape[0]);
  Tensor data_pad = PyCompute(
      {batch, Int(in_channels), Int(rows), Int(stride_w), Int(phase_cols)}, {"b", "c", "y", "phase", "xs"},
      [&](const std::vector<Var>& i) {
        PrimExpr x = add(mul(i[4], Int(stride_w)), i[3]);
        PrimExpr inside = Inside(i[2], x, pad_top, pad_left, height, width);
        return if_then_else(inside, data(Array<PrimExpr>{i[0], i[1], sub(i[2], Int(pad_top)), sub(x, Int(pad_left))}),
                            make_const(data->dtype, 0));
      },
      "data_pad", "depthwise_x86_pad");

  IterVar kh = ReduceAxis(kernel_h, "kh");
  IterVar kw = ReduceAxis(kernel_w, "kw");
  Tensor conv = PyCompute(
      {batch, Int(out_channels), Int(out_h), Int(out_w_padded)}, {"b", "c", "y", "x"},
      [&](const std::vector<Var>& i) {
        PrimExpr kwd = mul(kw->var, Int(dilation_w));
        PrimExpr value = data_pad(Array<PrimExpr>{i[0], floordiv(i[1], Int(multiplier)),
                                                  add(mul(i[2], Int(stride_h)), mul(kh->var, Int(dilation_h))),
                                                  floormod(kwd, Int(stride_w)), add(i[3], floordiv(kwd, Int(stride_w)))});
        PrimExpr weight = kernel(Array<PrimExpr>{i[1], Int(0), kh->var, kw->var});
        return te::sum(mul(cast(out_dtype, value), cast(out_dtype, weight)), {kh, kw});
      },
      "depthwise_conv2d_nchw", kDepthwiseTag, IntAttrs({{"vector", vector}, {"vectors", vectors}, {"rows", tile_rows}}));
  return PyCompute(
      {batch, Int(out_channels), Int(out_h), Int(out_w)}, {"b", "c", "y", "x"},
      [&](const std::vector<Var>& i) { return conv(Array<PrimExpr>{i[0], i[1], i[2], i[3]}); },
      "depthwise_conv2d_nchw_crop", kCropTag);
}

// ---------------------------------------------------------------------------
// Schedules

namespace {

const Array<IterVar>& ReduceAxisOf(const Operation& op) { return op.as<te::ComputeOpNode>()->reduce_axis; }
bool IsCompute(const Operation& op) { return op.as<te::ComputeOpNode>() != nullptr; }

/*! \brief The first op tagged `tag` between final_op (included) and source_op that reads
 *  source_op, in the order Python's _consumers_of lists them; undefined if none. */
Operation ReaderOf(const Operation& final_op, const Operation& source_op, const std::string& tag) {
  std::vector<Operation> stack{final_op};
  std::unordered_set<const Object*> seen;
  while (!stack.empty()) {
    Operation op = stack.back();
    stack.pop_back();
    if (seen.count(op.get()) || !IsCompute(op)) continue;
    seen.insert(op.get());
    bool reads = false;
    for (const Tensor& t : op->InputTensors()) reads = reads || t.op().same_as(source_op);
    if (reads && op->tag == tag) return op;
    for (const Tensor& t : op->InputTensors()) {
      if (!t.op().same_as(source_op)) stack.push_back(t.op());
    }
  }
  return Operation();
}

/*! \brief Whether `op` is the tiled output of conv_op: the only output, an injective image of
 *  the conv's unpack/crop (tagged `tag`) with its shape. */
bool Tiled(const Operation& conv_op, const Array<Tensor>& outs, const std::string& tag) {
  Operation unpack = ReaderOf(outs[0].op(), conv_op, tag);
  return unpack.defined() && outs.size() == 1 && ElementwiseFrom(outs[0].op(), conv_op, &unpack.output(0)->shape);
}

bool PacksKernel(const Tensor& kernel_vec) {
  return IsCompute(kernel_vec.op()) && kernel_vec.op()->tag == kKernelPackTag;
}

/*! \brief The reduction around the register tile: input-channel blocks, the kernel window, the
 *  channels of a block (innermost, unrolled); each unrolled step reads fresh input values so
 *  every broadcast folds into its FMA. */
void ScheduleTile(Schedule s, const Operation& conv_op, int64_t lanes, bool at_root) {
  Stage conv = s[conv_op];
  const Array<IterVar>& axis = AxisOf(conv_op);
  IterVar b = axis[0], co = axis[1], y = axis[2], x = axis[3], cb = axis[4];
  const Array<IterVar>& raxis = ReduceAxisOf(conv_op);
  IterVar ic_outer, ic_inner, c_vec, c_lane;
  conv.split(raxis[0], Int(AttrInt(conv_op, "ic_block")), &ic_outer, &ic_inner);
  conv.split(cb, Int(lanes), &c_vec, &c_lane);
  if (at_root) {
    IterVar x_tile, x_in, fused;
    conv.split(x, Int(AttrInt(conv_op, "owb")), &x_tile, &x_in);
    conv.reorder({b, co, y, x_tile, ic_outer, raxis[1], raxis[2], ic_inner, x_in, c_vec, c_lane});
    conv.fuse(Array<IterVar>{b, co}, &fused);
    conv.parallel(fused);
    x = x_in;
  } else {
    conv.reorder({b, co, y, ic_outer, raxis[1], raxis[2], ic_inner, x, c_vec, c_lane});
  }
  conv.unroll(x);
  conv.unroll(c_vec);
  conv.vectorize(c_lane);
}

void ScheduleConv(Schedule s, const Operation& conv_op, const Array<Tensor>& outs) {
  Tensor conv = conv_op.output(0);
  Tensor data_vec = conv_op->InputTensors()[0];
  Tensor kernel_vec = conv_op->InputTensors()[1];
  const int64_t owb = AttrInt(conv_op, "owb"), lanes = AttrInt(conv_op, "lanes");
  const int64_t block = AttrInt(conv_op, "ocv") * lanes;
  const int64_t threads = NumThreads();
  {
    const Array<IterVar>& axis = AxisOf(data_vec.op());
    IterVar fused;
    s[data_vec.op()].fuse(Array<IterVar>{axis[0], axis[1]}, &fused);
    s[data_vec.op()].parallel(fused);
  }
  if (!Tiled(conv_op, outs, kUnpackTag)) {
    // An output that is not an elementwise image of the convolution: compute it whole.
    ScheduleTile(s, conv_op, lanes, true);
    if (PacksKernel(kernel_vec)) s[kernel_vec.op()].parallel(AxisOf(kernel_vec.op())[0]);
    return;
  }
  const Tensor& final = outs[0];
  Stage out = s[final.op()];
  s[conv_op].set_scope("local");
  const Array<IterVar>& faxis = AxisOf(final.op());
  IterVar b = faxis[0], c = faxis[1], y = faxis[2], x = faxis[3];
  IterVar c_chunk, c_in, c_vec, c_lane, x_tile, x_in, y_part, y_in, task;
  out.split(c, Int(block), &c_chunk, &c_in);
  out.split(c_in, Int(lanes), &c_vec, &c_lane);
  out.split(x, Int(owb), &x_tile, &x_in);
  const int64_t out_channels = final->shape[1].as<IntImmNode>()->value;
  const int64_t out_h = final->shape[2].as<IntImmNode>()->value;
  const int64_t oc_chunks = CeilDiv(out_channels, block);
  // Several tasks per thread when the kernel comes packed (uneven progress evens out); as many
  // as the threads when each task packs its kernel block (every row split packs it again).
  const int64_t wanted = PacksKernel(kernel_vec) ? threads : 4 * threads;
  // A symbolic batch (relay.Any()) counts as 1.
  const auto* batch_imm = final->shape[0].as<IntImmNode>();
  const int64_t batch_tasks = batch_imm ? batch_imm->value : 1;
  int64_t row_parts = 1;
  while (batch_tasks * oc_chunks * row_parts < wanted && row_parts * 2 <= out_h) row_parts *= 2;
  out.split_by_nparts(y, Int(row_parts), &y_part, &y_in);
  // The tile is read back one channel vector at a time, as the reduction wrote it, so every
  // accumulator access is a whole vector at a constant offset (LLVM keeps them in registers).
  out.reorder({b, c_chunk, y_part, y_in, x_tile, c_vec, x_in, c_lane});
  out.fuse(Array<IterVar>{b, c_chunk, y_part}, &task);
  out.parallel(task);
  out.unroll(c_vec);
  out.unroll(x_in);
  out.vectorize(c_lane);
  s[conv_op].compute_at(out, x_tile);
  ScheduleTile(s, conv_op, lanes, false);
  if (PacksKernel(kernel_vec)) {
    s[kernel_vec.op()].compute_at(out, task);
    s[kernel_vec.op()].vectorize(AxisOf(kernel_vec.op()).back());
  }
}

void ScheduleSegment(Schedule s, const Operation& conv_op, int64_t vector, const IterVar& x,
                     const IterVar& y = IterVar()) {
  Stage conv = s[conv_op];
  const Array<IterVar>& raxis = ReduceAxisOf(conv_op);
  IterVar x_vec, x_lane;
  conv.split(x, Int(vector), &x_vec, &x_lane);
  if (!y.defined()) {
    conv.reorder({raxis[0], raxis[1], x_vec, x_lane});
  } else {
    conv.reorder({raxis[0], raxis[1], y, x_vec, x_lane});
    conv.unroll(y);
  }
  conv.unroll(raxis[0]);
  conv.unroll(raxis[1]);
  conv.unroll(x_vec);
  conv.vectorize(x_lane);
}

void ScheduleDepthwise(Schedule s, const Operation& conv_op, const Array<Tensor>& outs) {
  Tensor data_pad = conv_op->InputTensors()[0];
  const int64_t vector = AttrInt(conv_op, "vector"), vectors = AttrInt(conv_op, "vectors");
  const int64_t tile_rows = AttrInt(conv_op, "rows");
  const Array<IterVar>& axis = AxisOf(conv_op);
  if (!Tiled(conv_op, outs, kCropTag)) {
    // An output that is not an elementwise image of the convolution: compute it whole.
    IterVar plane;
    s[conv_op].fuse(Array<IterVar>{axis[0], axis[1]}, &plane);
    s[conv_op].parallel(plane);
    s[data_pad.op()].compute_at(s[conv_op], plane);
    ScheduleSegment(s, conv_op, vector, axis[3]);
    return;
  }
  s[conv_op].set_scope("local");
  const Tensor& final = outs[0];
  Stage out = s[final.op()];
  const Array<IterVar>& faxis = AxisOf(final.op());
  IterVar plane, y_tile, y_in, x_tile, x_in;
  out.fuse(Array<IterVar>{faxis[0], faxis[1]}, &plane);
  out.split(faxis[2], Int(tile_rows), &y_tile, &y_in);
  out.split(faxis[3], Int(vector * vectors), &x_tile, &x_in);
  out.reorder({plane, y_tile, x_tile, y_in, x_in});
  out.parallel(plane);
  out.unroll(y_in);
  out.vectorize(x_in);
  s[conv_op].compute_at(out, x_tile);
  ScheduleSegment(s, conv_op, vector, axis[3], axis[2]);
  s[data_pad.op()].compute_at(out, plane);
}

Schedule ScheduleWith(const Array<Tensor>& outs, const std::string& tag,
                      void (*schedule_one)(Schedule, const Operation&, const Array<Tensor>&)) {
  TVM_CHECK(!outs.empty(), "ValueError") << "schedule of " << tag << ": no outputs given";
  Array<Operation> ops;
  for (const Tensor& t : outs) ops.push_back(t.op());
  Schedule s = te::create_schedule(ops);
  for (const Operation& op : nchwc::TraverseInline(s, outs[0].op(), tag)) schedule_one(s, op, outs);
  return s;
}

}  // namespace

Schedule ScheduleConv2DNCHW(const Array<Tensor>& outs) { return ScheduleWith(outs, kConvTag, ScheduleConv); }

Schedule ScheduleDepthwiseConv2DNCHW(const Array<Tensor>& outs) {
  return ScheduleWith(outs, kDepthwiseTag, ScheduleDepthwise);
}

// Python's topi.x86.conv2d_tile (AlterOpLayout's packed_kernel_layout) asks the same function.
TVM_REGISTER_GLOBAL("topi.x86.conv2d_tile")
    .set_body_typed([](int64_t out_channels, int64_t out_width, int64_t lanes, int64_t registers) {
      Array<Integer> out;
      for (int64_t v : ConvTile(out_channels, out_width, lanes, registers)) out.push_back(Integer(v));
      return out;
    });
TVM_REGISTER_GLOBAL("topi.x86.conv2d_nchw")
    .set_body_typed([](Tensor data, Tensor kernel, Array<Integer> strides, Array<Integer> padding,
                       Array<Integer> dilation, DataType out_dtype, int lanes) {
      return Conv2DNCHW(data, kernel, strides, padding, dilation, out_dtype, lanes);
    });
TVM_REGISTER_GLOBAL("topi.x86.depthwise_conv2d_nchw")
    .set_body_typed([](Tensor data, Tensor kernel, Array<Integer> strides, Array<Integer> padding,
                       Array<Integer> dilation, DataType out_dtype, int lanes) {
      return DepthwiseConv2DNCHW(data, kernel, strides, padding, dilation, out_dtype, lanes);
    });
TVM_REGISTER_GLOBAL("topi.x86.schedule_conv2d_nchw").set_body_typed([](Array<Tensor> outs) {
  return ScheduleConv2DNCHW(outs);
});
TVM_REGISTER_GLOBAL("topi.x86.schedule_depthwise_conv2d_nchw").set_body_typed([](Array<Tensor> outs) {
  return ScheduleDepthwiseConv2DNCHW(outs);
});

}  // namespace x86
}  // namespace topi
}  // namespace tvm
