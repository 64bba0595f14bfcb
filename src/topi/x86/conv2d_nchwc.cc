/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/topi/x86/conv2d_nchwc.cc
 * \brief Float convolutions in blocked NCHW[x]c layouts for x86 CPUs (what AlterOpLayout gives)
 *  and their schedules.
 *
 * The activations stay blocked between layers, so a convolution reads its input as it is (a
 * padded copy only when the window needs padding) and writes its output in the layout the next
 * layer reads. The register tile is owb output pixels of a row x cot output-channel blocks (one
 * or two vectors each): every reduction step (input-channel block, kh, kw, channel of the block)
 * loads the kernel vectors of the tile and broadcasts owb input values into owb * vectors fused
 * multiply-adds; the accumulators stay in registers for the whole reduction and pass through the
 * fused epilogue (bias, batch-norm scale/shift, relu, residual add, clip) as they are stored. A
 * 1x1 convolution is the same loop nest with KH = KW = 1 (a GEMM whose packed panels are the
 * blocked activations and the OIHW[i]i[o]o kernel); a first layer (3 input channels) reads plain
 * NCHW data. The depthwise convolution vectorises along the channels of a block: a tile of owb
 * pixels x one block accumulates over the unrolled kh x kw window.
 *
 * The TE built here is built exactly as Python's te.compute builds it (axes named as Python's
 * lambdas name them, int32 loop variables, the same operator calls in the same order), so a
 * model compiled from a C++ program and from Python lowers to the same TIR.
 */
#include <tvm/ir/repr_printer.h>
#include <tvm/runtime/registry.h>
#include <tvm/te/operation.h>
#include <tvm/te/schedule.h>
#include <tvm/tir/op.h>
#include <tvm/topi/tags.h>
#include <tvm/topi/x86/conv2d_nchwc.h>
#include <tvm/topi/x86/utils.h>

#include <algorithm>
#include <functional>
#include <sstream>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "../conv2d_nchwc_common.h"
#include "schedule_common.h"

namespace tvm {
namespace topi {
namespace x86 {

using te::Operation;
using te::Schedule;
using te::Stage;
using te::Tensor;
using tir::IterVar;
using tir::Var;

namespace {

constexpr const char* kConvTag = "conv2d_NCHWc_x86";
constexpr const char* kDepthwiseTag = "depthwise_conv2d_NCHWc_x86";
constexpr const char* kCropTag = "injective,conv2d_NCHWc_crop";

using nchwc::AttrInt;
using nchwc::AxisOf;
using nchwc::CeilDiv;
using nchwc::FloorDiv;
using nchwc::Int;
using nchwc::IntAttrs;
using nchwc::kPadTag;
using nchwc::ShapeText;

int64_t VectorOf(int64_t block, int64_t lanes) { return block > lanes && block % lanes == 0 ? lanes : block; }

int LanesOf(DataType dtype, int lanes) {
  if (lanes > 0) return lanes;
  return std::max(1, GetSimd32BitLanes() * 32 / std::max(1, dtype.bits()));
}

Tensor Crop(const Tensor& conv, int64_t out_w, const std::string& name) {
  Array<PrimExpr> shape{conv->shape[0], conv->shape[1], conv->shape[2], Int(out_w), conv->shape[4]};
  // Python passes get_const_tuple(conv.shape): plain ints.
  for (size_t i = 0; i < shape.size(); ++i) shape.Set(i, Int(shape[i].as<IntImmNode>()->value));
  return nchwc::PyCompute(
      shape, {"b", "c", "y", "x", "o"},
      [&](const std::vector<Var>& i) { return conv(Array<PrimExpr>{i[0], i[1], i[2], i[3], i[4]}); }, name,
      kCropTag);
}

}  // namespace

int64_t ChannelBlock(int64_t channels, int64_t lanes) {
  for (int64_t block : {lanes, lanes / 2, lanes / 4}) {
    if (block >= 4 && channels % block == 0) return block;
  }
  return 0;
}

Tensor Conv2DNCHWc(const Tensor& data, const Tensor& kernel, const Array<Integer>& strides,
                   const Array<Integer>& padding, const Array<Integer>& dilation, const std::string& layout,
                   const std::string& out_layout, DataType out_dtype, int lanes) {
  const char* op = "conv2d_NCHWc (x86)";
  nchwc::Geometry g = nchwc::BlockedGeometry(op, data, kernel, strides, padding, dilation, layout, out_layout);
  TVM_CHECK(g.ic_chunks * g.kernel_ib == g.in_channels && (!g.blocked_input || g.kernel_ib == g.in_block),
            "ValueError")
      << op << ": the kernel " << ShapeText(kernel->shape) << " does not match the data " << ShapeText(data->shape)
      << " in layout " << layout;
  if (out_dtype.is_void()) out_dtype = data->dtype;
  const int64_t vlanes = LanesOf(out_dtype, lanes);
  const int64_t block = g.out_block;
  const int64_t vector = VectorOf(block, vlanes);
  const int64_t per_chunk = block / vector;
  // Output-channel blocks per tile: two full vectors when possible (each broadcast feeds two
  // FMAs), up to four narrower ones.
  const int64_t target = std::max(per_chunk, (2 * vlanes) / vector);
  int64_t cot = 1;
  for (int64_t d = 1; d <= g.oc_chunks; ++d) {
    if (g.oc_chunks % d == 0 && d * per_chunk <= target) cot = d;
  }
  const int64_t vectors = cot * per_chunk;
  auto [owb, out_w_padded] = WidthTile(g.out_w, vectors, 32 - vectors - 2);

  const int64_t rows = (g.out_h - 1) * g.stride_h + g.dilated_h;
  const int64_t cols = (out_w_padded - 1) * g.stride_w + g.dilated_w;
  Tensor data_pad = nchwc::PadBlocked(data, g, rows, cols);
  const int64_t kib = g.kernel_ib, sh = g.stride_h, sw = g.stride_w, dh = g.dilation_h, dw = g.dilation_w;
  IterVar ic = nchwc::ReduceAxis(g.in_channels, "ic");
  IterVar kh = nchwc::ReduceAxis(g.kernel_h, "kh");
  IterVar kw = nchwc::ReduceAxis(g.kernel_w, "kw");
  const bool blocked = g.blocked_input;
  Tensor conv = nchwc::PyCompute(
      {Int(g.batch), Int(g.oc_chunks), Int(g.out_h), Int(out_w_padded), Int(block)}, {"b", "oc", "y", "x", "ob"},
      [&](const std::vector<Var>& i) {
        const Var &b = i[0], &oc = i[1], &y = i[2], &x = i[3], &ob = i[4];
        PrimExpr row = add(mul(y, Int(sh)), mul(kh->var, Int(dh)));
        PrimExpr col = add(mul(x, Int(sw)), mul(kw->var, Int(dw)));
        PrimExpr value = blocked ? data_pad(Array<PrimExpr>{b, floordiv(ic->var, Int(kib)), row, col,
                                                             floormod(ic->var, Int(kib))})
                                 : data_pad(Array<PrimExpr>{b, ic->var, row, col});
        PrimExpr weight = kernel(Array<PrimExpr>{oc, floordiv(ic->var, Int(kib)), kh->var, kw->var,
                                                 floormod(ic->var, Int(kib)), ob});
        return te::sum(mul(cast(out_dtype, value), cast(out_dtype, weight)), {ic, kh, kw});
      },
      "conv2d_NCHWc", kConvTag, IntAttrs({{"owb", owb}, {"cot", cot}, {"vector", vector}, {"ic_block", kib}}));
  return Crop(conv, g.out_w, "conv2d_NCHWc_output");
}

Tensor DepthwiseConv2DNCHWc(const Tensor& data, const Tensor& kernel, const Array<Integer>& strides,
                            const Array<Integer>& padding, const Array<Integer>& dilation, const std::string& layout,
                            const std::string& out_layout, DataType out_dtype, int lanes) {
  const char* op = "depthwise_conv2d_NCHWc (x86)";
  nchwc::Geometry g = nchwc::BlockedGeometry(op, data, kernel, strides, padding, dilation, layout, out_layout);
  TVM_CHECK(g.blocked_input && g.kernel_ib == 1 && g.ic_chunks == 1 && g.out_block == g.in_block &&
                g.oc_chunks * g.out_block == g.in_channels,
            "ValueError")
      << op << ": kernel " << ShapeText(kernel->shape)
      << " is not a depthwise OIHW1i<n>o kernel (channel multiplier 1) for data " << ShapeText(data->shape)
      << " in layout " << layout;
  if (out_dtype.is_void()) out_dtype = data->dtype;
  const int64_t vlanes = LanesOf(out_dtype, lanes);
  const int64_t block = g.out_block;
  const int64_t vector = VectorOf(block, vlanes);
  // About 8-16 independent accumulator chains (each is KH * KW dependent FMAs).
  auto [owb, out_w_padded] = WidthTile(g.out_w, block / vector, 16);
  const int64_t rows = (g.out_h - 1) * g.stride_h + g.dilated_h;
  const int64_t cols = (out_w_padded - 1) * g.stride_w + g.dilated_w;
  Tensor data_pad = nchwc::PadBlocked(data, g, rows, cols);
  const int64_t sh = g.stride_h, sw = g.stride_w, dh = g.dilation_h, dw = g.dilation_w;
  IterVar kh = nchwc::ReduceAxis(g.kernel_h, "kh");
  IterVar kw = nchwc::ReduceAxis(g.kernel_w, "kw");
  Tensor conv = nchwc::PyCompute(
      {Int(g.batch), Int(g.oc_chunks), Int(g.out_h), Int(out_w_padded), Int(block)}, {"b", "c", "y", "x", "o"},
      [&](const std::vector<Var>& i) {
        const Var &b = i[0], &c = i[1], &y = i[2], &x = i[3], &o = i[4];
        PrimExpr row = add(mul(y, Int(sh)), mul(kh->var, Int(dh)));
        PrimExpr col = add(mul(x, Int(sw)), mul(kw->var, Int(dw)));
        PrimExpr value = data_pad(Array<PrimExpr>{b, c, row, col, o});
        PrimExpr weight = kernel(Array<PrimExpr>{c, Int(0), kh->var, kw->var, Int(0), o});
        return te::sum(mul(cast(out_dtype, value), cast(out_dtype, weight)), {kh, kw});
      },
      "depthwise_conv2d_NCHWc", kDepthwiseTag, IntAttrs({{"owb", owb}, {"vector", vector}}));
  return Crop(conv, g.out_w, "depthwise_conv2d_NCHWc_output");
}

// ---------------------------------------------------------------------------
// Schedules

namespace {

const Array<IterVar>& ReduceAxisOf(const Operation& op) { return op.as<te::ComputeOpNode>()->reduce_axis; }

bool IsCompute(const Operation& op) { return op.as<te::ComputeOpNode>() != nullptr; }

/*! \brief Inline every injective op reachable from `final_op` (not the outputs), collecting the
 *  ops tagged `tag`, producers first (Python: traverse_inline). */
std::vector<Operation> InlineAndFind(Schedule s, const Operation& final_op, const std::string& tag) {
  std::vector<Operation> found;
  std::unordered_set<const Object*> visited;
  std::unordered_set<const Object*> outputs;
  for (const Operation& o : s->outputs) outputs.insert(o.get());
  // Post-order depth-first walk with an explicit stack: (op, next input to visit).
  std::vector<std::pair<Operation, size_t>> stack;
  auto enter = [&](const Operation& op) {
    if (!visited.insert(op.get()).second) return;
    if (is_injective(op->tag) && !outputs.count(op.get())) s[op].compute_inline();
    stack.emplace_back(op, 0);
  };
  enter(final_op);
  while (!stack.empty()) {
    auto& [op, next] = stack.back();
    Array<Tensor> inputs = is_injective(op->tag) ? op->InputTensors() : Array<Tensor>();
    if (next < inputs.size()) {
      Operation child = inputs[next++].op();
      if (IsCompute(child)) enter(child);
      continue;
    }
    if (op->tag == tag) found.push_back(op);
    stack.pop_back();
  }
  return found;
}

std::vector<int64_t> ConstDims(const Array<PrimExpr>& shape, bool* ok) {
  std::vector<int64_t> dims;
  for (const PrimExpr& d : shape) {
    const auto* imm = d.as<IntImmNode>();
    if (imm == nullptr) {
      *ok = false;
      return dims;
    }
    dims.push_back(imm->value);
  }
  return dims;
}

/*! \brief The output whose tiles the convolution is computed at; undefined when the fused
 *  function's output is not an elementwise image of the convolution's crop. */
Tensor TiledOutput(const Operation& conv_op, const Array<Tensor>& outs) {
  if (outs.size() != 1 || !IsCompute(outs[0].op())) return Tensor();
  const Tensor& final = outs[0];
  bool ok = true;
  std::vector<int64_t> shape = ConstDims(final->shape, &ok);
  std::vector<int64_t> conv_shape = ConstDims(conv_op.output(0)->shape, &ok);
  if (!ok || shape.size() != 5 || conv_shape.size() < 3 ||
      !std::equal(shape.begin(), shape.begin() + 3, conv_shape.begin())) {
    return Tensor();
  }
  if (final.op().same_as(conv_op) || !ElementwiseFrom(final.op(), conv_op)) return Tensor();
  return final;
}

/*! \brief Splits of the rows so that there are several parallel tasks per thread. */
int64_t RowParts(int64_t tasks, int64_t out_h, int64_t threads) {
  int64_t parts = 1;
  while (tasks * parts < 4 * threads && parts * 2 <= out_h) parts *= 2;
  return parts;
}

/*! \brief The zero-padded input: by each parallel task, the rows it reads, or whole, in
 *  parallel, before the convolution. */
void SchedulePad(Schedule s, const Operation& conv_op, const Tensor& final = Tensor(),
                 const IterVar& task = IterVar()) {
  Tensor data_pad = conv_op->InputTensors()[0];
  if (!IsCompute(data_pad.op()) || data_pad.op()->tag != kPadTag) return;
  Stage pad = s[data_pad.op()];
  Array<IterVar> axes = AxisOf(data_pad.op());
  if (final.defined()) {
    pad.compute_at(s[final.op()], task);
  } else {
    IterVar fused;
    pad.fuse(Array<IterVar>{axes[0], axes[1], axes[2]}, &fused);
    pad.parallel(fused);
  }
  if (axes.size() == 5) pad.vectorize(axes[4]);
}

std::vector<int64_t> StaticDims(const Tensor& t) {
  bool ok = true;
  std::vector<int64_t> dims = ConstDims(t->shape, &ok);
  return dims;
}

void ScheduleConv(Schedule s, const Operation& conv_op, const Array<Tensor>& outs) {
  const int64_t owb = AttrInt(conv_op, "owb"), cot = AttrInt(conv_op, "cot"), vector = AttrInt(conv_op, "vector");
  Tensor final = TiledOutput(conv_op, outs);
  Stage conv = s[conv_op];
  const Array<IterVar>& axis = AxisOf(conv_op);
  IterVar b = axis[0], co = axis[1], y = axis[2], x = axis[3], cb = axis[4];
  const Array<IterVar>& raxis = ReduceAxisOf(conv_op);
  IterVar ic = raxis[0], kh = raxis[1], kw = raxis[2];
  IterVar ic_outer, ic_inner, cb_vec, cb_lane;
  conv.split(ic, Int(AttrInt(conv_op, "ic_block")), &ic_outer, &ic_inner);
  conv.split(cb, Int(vector), &cb_vec, &cb_lane);
  if (!final.defined()) {
    IterVar co_outer, co_inner, x_tile, x_in, fused;
    conv.split(co, Int(cot), &co_outer, &co_inner);
    conv.split(x, Int(owb), &x_tile, &x_in);
    conv.reorder({b, co_outer, y, x_tile, ic_outer, kh, kw, ic_inner, x_in, co_inner, cb_vec, cb_lane});
    conv.fuse(Array<IterVar>{b, co_outer, y}, &fused);
    conv.parallel(fused);
    conv.unroll(x_in);
    conv.unroll(co_inner);
    conv.unroll(cb_vec);
    conv.vectorize(cb_lane);
    SchedulePad(s, conv_op);
    return;
  }
  conv.set_scope("local");
  Stage out = s[final.op()];
  const Array<IterVar>& faxis = AxisOf(final.op());
  IterVar fb = faxis[0], fco = faxis[1], fy = faxis[2], fx = faxis[3], fcb = faxis[4];
  std::vector<int64_t> dims = StaticDims(final);
  const int64_t n_batch = dims[0], oc_chunks = dims[1], out_h = dims[2];
  IterVar co_outer, co_inner, x_tile, x_in, c_vec, c_lane, y_part, y_in, task;
  out.split(fco, Int(cot), &co_outer, &co_inner);
  out.split(fx, Int(owb), &x_tile, &x_in);
  out.split(fcb, Int(vector), &c_vec, &c_lane);
  const int64_t parts = RowParts(n_batch * FloorDiv(oc_chunks, cot), out_h, NumThreads());
  out.split_by_nparts(fy, Int(parts), &y_part, &y_in);
  out.reorder({fb, co_outer, y_part, y_in, x_tile, co_inner, c_vec, x_in, c_lane});
  out.fuse(Array<IterVar>{fb, co_outer, y_part}, &task);
  out.parallel(task);
  SchedulePad(s, conv_op, final, task);
  out.unroll(co_inner);
  out.unroll(c_vec);
  out.unroll(x_in);
  out.vectorize(c_lane);
  conv.compute_at(out, x_tile);
  // The reduction outside the register tile; the channels of a block innermost, so each
  // unrolled step broadcasts fresh input values straight into its FMAs.
  conv.reorder({b, y, ic_outer, kh, kw, ic_inner, x, co, cb_vec, cb_lane});
  conv.unroll(x);
  conv.unroll(co);
  conv.unroll(cb_vec);
  conv.vectorize(cb_lane);
}

void ScheduleDepthwise(Schedule s, const Operation& conv_op, const Array<Tensor>& outs) {
  const int64_t owb = AttrInt(conv_op, "owb"), vector = AttrInt(conv_op, "vector");
  Tensor final = TiledOutput(conv_op, outs);
  Stage conv = s[conv_op];
  const Array<IterVar>& axis = AxisOf(conv_op);
  IterVar b = axis[0], c = axis[1], y = axis[2], x = axis[3], cb = axis[4];
  const Array<IterVar>& raxis = ReduceAxisOf(conv_op);
  IterVar kh = raxis[0], kw = raxis[1];
  IterVar cb_vec, cb_lane, x_in;
  conv.split(cb, Int(vector), &cb_vec, &cb_lane);
  if (!final.defined()) {
    IterVar x_tile, fused;
    conv.split(x, Int(owb), &x_tile, &x_in);
    conv.reorder({b, c, y, x_tile, kh, kw, x_in, cb_vec, cb_lane});
    conv.fuse(Array<IterVar>{b, c, y}, &fused);
    conv.parallel(fused);
    SchedulePad(s, conv_op);
  } else {
    conv.set_scope("local");
    Stage out = s[final.op()];
    const Array<IterVar>& faxis = AxisOf(final.op());
    IterVar fb = faxis[0], fc = faxis[1], fy = faxis[2], fx = faxis[3], fcb = faxis[4];
    std::vector<int64_t> dims = StaticDims(final);
    IterVar y_part, y_in, x_tile, fx_in, c_vec, c_lane, task;
    out.split_by_nparts(fy, Int(RowParts(dims[0] * dims[1], dims[2], NumThreads())), &y_part, &y_in);
    out.split(fx, Int(owb), &x_tile, &fx_in);
    out.split(fcb, Int(vector), &c_vec, &c_lane);
    out.reorder({fb, fc, y_part, y_in, x_tile, c_vec, fx_in, c_lane});
    out.fuse(Array<IterVar>{fb, fc, y_part}, &task);
    out.parallel(task);
    SchedulePad(s, conv_op, final, task);
    out.unroll(c_vec);
    out.unroll(fx_in);
    out.vectorize(c_lane);
    conv.compute_at(out, x_tile);
    x_in = x;
    conv.reorder({b, c, y, kh, kw, x, cb_vec, cb_lane});
  }
  conv.unroll(kh);
  conv.unroll(kw);
  conv.unroll(x_in);
  conv.unroll(cb_vec);
  conv.vectorize(cb_lane);
}

Schedule ScheduleWith(const Array<Tensor>& outs, const std::string& tag,
                      void (*schedule_one)(Schedule, const Operation&, const Array<Tensor>&)) {
  TVM_CHECK(!outs.empty(), "ValueError") << "schedule of " << tag << ": no outputs given";
  Array<Operation> ops;
  for (const Tensor& t : outs) ops.push_back(t.op());
  Schedule s = te::create_schedule(ops);
  for (const Operation& op : InlineAndFind(s, outs[0].op(), tag)) schedule_one(s, op, outs);
  return s;
}

}  // namespace

Schedule ScheduleConv2DNCHWc(const Array<Tensor>& outs) { return ScheduleWith(outs, kConvTag, ScheduleConv); }

Schedule ScheduleDepthwiseConv2DNCHWc(const Array<Tensor>& outs) {
  return ScheduleWith(outs, kDepthwiseTag, ScheduleDepthwise);
}

TVM_REGISTER_GLOBAL("topi.x86.channel_block").set_body_typed([](int64_t channels, int64_t lanes) {
  return ChannelBlock(channels, lanes);
});
TVM_REGISTER_GLOBAL("topi.x86.conv2d_NCHWc")
    .set_body_typed([](Tensor data, Tensor kernel, Array<Integer> strides, Array<Integer> padding,
                       Array<Integer> dilation, std::string layout, std::string out_layout, DataType out_dtype,
                       int lanes) {
      return Conv2DNCHWc(data, kernel, strides, padding, dilation, layout, out_layout, out_dtype, lanes);
    });
TVM_REGISTER_GLOBAL("topi.x86.depthwise_conv2d_NCHWc")
    .set_body_typed([](Tensor data, Tensor kernel, Array<Integer> strides, Array<Integer> padding,
                       Array<Integer> dilation, std::string layout, std::string out_layout, DataType out_dtype,
                       int lanes) {
      return DepthwiseConv2DNCHWc(data, kernel, strides, padding, dilation, layout, out_layout, out_dtype, lanes);
    });
TVM_REGISTER_GLOBAL("topi.x86.schedule_conv2d_NCHWc").set_body_typed([](Array<Tensor> outs) {
  return ScheduleConv2DNCHWc(outs);
});
TVM_REGISTER_GLOBAL("topi.x86.schedule_depthwise_conv2d_NCHWc").set_body_typed([](Array<Tensor> outs) {
  return ScheduleDepthwiseConv2DNCHWc(outs);
});

}  // namespace x86

namespace nchwc {
std::vector<te::Operation> TraverseInline(te::Schedule s, const te::Operation& final_op, const std::string& tag) {
  return x86::InlineAndFind(s, final_op, tag);
}
}  // namespace nchwc

}  // namespace topi
}  // namespace tvm
