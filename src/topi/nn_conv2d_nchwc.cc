/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/topi/nn_conv2d_nchwc.cc
 * \brief Convolutions in blocked NCHW[x]c layouts, plain TE (the reference and the generic
 *  implementation of nn.contrib_conv2d_NCHWc / nn.contrib_depthwise_conv2d_NCHWc), and the
 *  geometry and padding the x86 ones share (conv2d_nchwc_common.h):
 *
 *    conv2d_NCHWc           data [N, C/ib, H, W, ib] (or NCHW), kernel [O/ob, C/kib, KH, KW, kib, ob]
 *                           -> [N, O/ob, OH, OW, ob]
 *    depthwise_conv2d_NCHWc data [N, C/b, H, W, b], kernel [C*M/ob, 1, KH, KW, 1, ob]
 *                           -> [N, C*M/ob, OH, OW, ob]; output channel o reads input channel o / M
 *
 *  The TE is built as Python's te.compute builds it, so the TIR is the one the former Python
 *  computes gave.
 */
#include <tvm/ir/repr_printer.h>
#include <tvm/runtime/registry.h>
#include <tvm/te/operation.h>
#include <tvm/tir/op.h>
#include <tvm/topi/nn/conv2d_nchwc.h>

#include <cctype>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "conv2d_nchwc_common.h"

namespace tvm {
namespace topi {
namespace nchwc {

using te::Tensor;
using tir::IterVar;
using tir::Var;



std::string ShapeText(const Array<PrimExpr>& shape) {
  std::ostringstream os;
  os << "[";
  for (size_t i = 0; i < shape.size(); ++i) os << (i ? ", " : "") << shape[i];
  os << "]";
  return os.str();
}

std::vector<int64_t> ConstShape(const char* op, const char* what, const Tensor& t) {
  std::vector<int64_t> dims;
  for (const PrimExpr& d : t->shape) {
    const auto* imm = d.as<IntImmNode>();
    TVM_CHECK(imm != nullptr, "ValueError") << op << ": the " << what << " shape " << ShapeText(t->shape)
                                            << " must be static";
    dims.push_back(imm->value);
  }
  return dims;
}

Map<String, ObjectRef> IntAttrs(const std::vector<std::pair<const char*, int64_t>>& values) {
  Map<String, ObjectRef> attrs;
  for (const auto& [key, value] : values) attrs.Set(key, IntImm(DataType::Int(32), value));
  return attrs;
}

int64_t AttrInt(const te::Operation& op, const char* key) {
  ObjectRef v = op.as<te::ComputeOpNode>()->attrs.at(key);
  if (const auto* imm = v.as<IntImmNode>()) return imm->value;
  return Downcast<Integer>(v)->value;
}

Tensor PyCompute(const Array<PrimExpr>& shape, const std::vector<std::string>& names,
                 const std::function<PrimExpr(const std::vector<Var>&)>& body, const std::string& name,
                 const std::string& tag, Map<String, ObjectRef> attrs) {
  Array<IterVar> axis;
  std::vector<Var> vars;
  for (size_t i = 0; i < shape.size(); ++i) {
    Range dom(Int(0), shape[i]);
    Var v(names[i], dom->extent.dtype());
    axis.push_back(IterVar(dom, v, tir::kDataPar));
    vars.push_back(v);
  }
  return te::ComputeOp(name, tag, attrs, axis, {body(vars)}).output(0);
}

Tensor PyCompute(const Array<PrimExpr>& shape, const std::function<PrimExpr(const Array<PrimExpr>&)>& body,
                 const std::string& name, const std::string& tag, Map<String, ObjectRef> attrs) {
  std::vector<std::string> names;
  for (size_t i = 0; i < shape.size(); ++i) names.push_back("i" + std::to_string(i));
  return PyCompute(
      shape, names, [&](const std::vector<Var>& vars) { return body(Array<PrimExpr>(vars.begin(), vars.end())); },
      name, tag, attrs);
}

IterVar ReduceAxis(const PrimExpr& extent, const std::string& name) {
  Range dom(Int(0), extent);
  return IterVar(dom, Var(name, dom->extent.dtype()), tir::kCommReduce);
}

IterVar ReduceAxis(int64_t extent, const std::string& name) { return ReduceAxis(Int(extent), name); }

namespace {

/*! \brief NCHW<n>c -> n, NCHW -> 0, anything else -> -1. */
int64_t DataBlock(const std::string& layout) {
  if (layout.compare(0, 4, "NCHW") != 0) return -1;
  if (layout.size() == 4) return 0;
  if (layout.size() < 6 || layout.back() != 'c') return -1;
  int64_t block = 0;
  for (size_t i = 4; i + 1 < layout.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(layout[i]))) return -1;
    block = block * 10 + (layout[i] - '0');
  }
  return block;
}


}  // namespace

Window ConvWindow(const char* op, int64_t height, int64_t width, int64_t kernel_h, int64_t kernel_w,
                  const Array<Integer>& strides, const Array<Integer>& padding, const Array<Integer>& dilation,
                  const std::string& input) {
  auto pair = [op](const Array<Integer>& value, const char* name) -> std::pair<int64_t, int64_t> {
    TVM_CHECK(value.size() == 1 || value.size() == 2, "ValueError")
        << op << ": " << name << " must be an int or 2 ints, got " << value;
    return {value[0]->value, value[value.size() - 1]->value};
  };
  Window w;
  std::tie(w.stride_h, w.stride_w) = pair(strides, "strides");
  std::tie(w.dilation_h, w.dilation_w) = pair(dilation, "dilation");
  if (padding.size() == 4) {
    w.pad_top = padding[0]->value;
    w.pad_left = padding[1]->value;
    w.pad_bottom = padding[2]->value;
    w.pad_right = padding[3]->value;
  } else if (padding.size() == 2) {
    w.pad_top = w.pad_bottom = padding[0]->value;
    w.pad_left = w.pad_right = padding[1]->value;
  } else {
    TVM_CHECK(padding.size() == 1, "ValueError")
        << op << ": padding " << padding << " must have 1, 2 or 4 values for 2 spatial axes";
    w.pad_top = w.pad_left = w.pad_bottom = w.pad_right = padding[0]->value;
  }
  w.dilated_h = (kernel_h - 1) * w.dilation_h + 1;
  w.dilated_w = (kernel_w - 1) * w.dilation_w + 1;
  w.out_h = FloorDiv(height + w.pad_top + w.pad_bottom - w.dilated_h, w.stride_h) + 1;
  w.out_w = FloorDiv(width + w.pad_left + w.pad_right - w.dilated_w, w.stride_w) + 1;
  TVM_CHECK(w.out_h > 0 && w.out_w > 0, "ValueError")
      << op << ": the " << kernel_h << "x" << kernel_w << " kernel (dilation " << w.dilation_h << "x" << w.dilation_w
      << ") does not fit the padded " << height << "x" << width << " input" << input;
  return w;
}

Geometry BlockedGeometry(const char* op, const Tensor& data, const Tensor& kernel, const Array<Integer>& strides,
                         const Array<Integer>& padding, const Array<Integer>& dilation, const std::string& layout,
                         const std::string& out_layout_given) {
  Geometry g;
  std::vector<int64_t> data_shape = ConstShape(op, "data", data);
  std::vector<int64_t> kernel_shape = ConstShape(op, "kernel", kernel);
  const std::string out_layout = out_layout_given.empty() ? layout : out_layout_given;
  int64_t data_block = DataBlock(layout), out_block = DataBlock(out_layout);
  TVM_CHECK(data_block >= 0 && out_block > 0, "ValueError")
      << op << ": layouts must be NCHW<n>c (data may be NCHW), got '" << layout << "' -> '" << out_layout_given
      << "'";
  TVM_CHECK(kernel_shape.size() == 6, "ValueError")
      << op << ": the kernel must be 6-D OIHW<i>i<o>o, got shape " << ShapeText(kernel->shape);
  g.oc_chunks = kernel_shape[0];
  g.ic_chunks = kernel_shape[1];
  g.kernel_h = kernel_shape[2];
  g.kernel_w = kernel_shape[3];
  g.kernel_ib = kernel_shape[4];
  g.out_block = kernel_shape[5];
  g.blocked_input = data_block > 0;
  if (!g.blocked_input) {
    TVM_CHECK(data_shape.size() == 4, "ValueError")
        << op << ": data in layout NCHW must be 4-D, got shape " << ShapeText(data->shape);
    g.batch = data_shape[0];
    g.in_channels = data_shape[1];
    g.height = data_shape[2];
    g.width = data_shape[3];
    g.in_block = g.in_channels;
  } else {
    TVM_CHECK(data_shape.size() == 5 && data_shape[4] == data_block, "ValueError")
        << op << ": data " << ShapeText(data->shape) << " is not in layout " << layout;
    g.batch = data_shape[0];
    g.height = data_shape[2];
    g.width = data_shape[3];
    g.in_block = data_shape[4];
    g.in_channels = data_shape[1] * g.in_block;
  }
  TVM_CHECK(g.out_block == out_block, "ValueError")
      << op << ": the kernel " << ShapeText(kernel->shape) << " has output blocks of " << g.out_block
      << ", the output layout " << out_layout_given << " blocks of " << out_block;
  static_cast<Window&>(g) = ConvWindow(op, g.height, g.width, g.kernel_h, g.kernel_w, strides, padding, dilation,
                                        " " + ShapeText(data->shape));
  return g;
}

Tensor PadBlocked(const Tensor& data, const Geometry& g, int64_t rows, int64_t cols) {
  return PadBlocked(data, g.pad_top, g.pad_left, rows, cols);
}

Tensor PadBlocked(const Tensor& data, int64_t top, int64_t left, int64_t rows, int64_t cols) {
  const std::vector<int64_t> dims = ConstShape("zero padding", "data", data);
  const int64_t height = dims[2], width = dims[3];
  if (top == 0 && left == 0 && rows <= height && cols <= width) return data;
  auto inside = [=](const PrimExpr& y, const PrimExpr& x) {
    PrimExpr c = greater_equal(y, Int(top));
    c = logical_and(c, less(y, Int(top + height)));
    c = logical_and(c, greater_equal(x, Int(left)));
    return logical_and(c, less(x, Int(left + width)));
  };
  PrimExpr zero = make_const(data->dtype, 0);
  if (dims.size() == 5) {
    Array<PrimExpr> shape{data->shape[0], data->shape[1], Int(rows), Int(cols), data->shape[4]};
    return PyCompute(
        shape, {"b", "c", "y", "x", "ci"},
        [&](const std::vector<Var>& i) {
          return if_then_else(inside(i[2], i[3]),
                              data(Array<PrimExpr>{i[0], i[1], sub(i[2], Int(top)), sub(i[3], Int(left)), i[4]}),
                              zero);
        },
        "data_pad", kPadTag);
  }
  Array<PrimExpr> shape{data->shape[0], data->shape[1], Int(rows), Int(cols)};
  return PyCompute(
      shape, {"b", "c", "y", "x"},
      [&](const std::vector<Var>& i) {
        return if_then_else(inside(i[2], i[3]),
                            data(Array<PrimExpr>{i[0], i[1], sub(i[2], Int(top)), sub(i[3], Int(left))}), zero);
      },
      "data_pad", kPadTag);
}

}  // namespace nchwc

namespace nn {

using nchwc::Int;
using te::Tensor;
using tir::IterVar;
using tir::Var;

Tensor Conv2DNCHWc(const Tensor& data, const Tensor& kernel, const Array<Integer>& strides,
                   const Array<Integer>& padding, const Array<Integer>& dilation, const std::string& layout,
                   const std::string& out_layout, DataType out_dtype) {
  const char* op = "conv2d_NCHWc";
  nchwc::Geometry g = nchwc::BlockedGeometry(op, data, kernel, strides, padding, dilation, layout, out_layout);
  TVM_CHECK(g.ic_chunks * g.kernel_ib == g.in_channels, "ValueError")
      << op << ": the kernel " << nchwc::ShapeText(kernel->shape) << " expects " << g.ic_chunks * g.kernel_ib
      << " input channels, the data " << nchwc::ShapeText(data->shape) << " has " << g.in_channels;
  if (out_dtype.is_void()) out_dtype = data->dtype;
  const int64_t rows = (g.out_h - 1) * g.stride_h + g.dilated_h;
  const int64_t cols = (g.out_w - 1) * g.stride_w + g.dilated_w;
  Tensor data_pad = nchwc::PadBlocked(data, g, rows, cols);
  const int64_t kib = g.kernel_ib, ib = g.in_block;
  IterVar ic = nchwc::ReduceAxis(g.in_channels, "ic");
  IterVar kh = nchwc::ReduceAxis(g.kernel_h, "kh");
  IterVar kw = nchwc::ReduceAxis(g.kernel_w, "kw");
  return nchwc::PyCompute(
      {Int(g.batch), Int(g.oc_chunks), Int(g.out_h), Int(g.out_w), Int(g.out_block)}, {"b", "oc", "y", "x", "ob"},
      [&](const std::vector<Var>& i) {
        const Var &b = i[0], &oc = i[1], &y = i[2], &x = i[3], &ob = i[4];
        PrimExpr row = add(mul(y, Int(g.stride_h)), mul(kh->var, Int(g.dilation_h)));
        PrimExpr col = add(mul(x, Int(g.stride_w)), mul(kw->var, Int(g.dilation_w)));
        PrimExpr value = g.blocked_input ? data_pad(Array<PrimExpr>{b, floordiv(ic->var, Int(ib)), row, col,
                                                                     floormod(ic->var, Int(ib))})
                                         : data_pad(Array<PrimExpr>{b, ic->var, row, col});
        PrimExpr weight = kernel(Array<PrimExpr>{oc, floordiv(ic->var, Int(kib)), kh->var, kw->var,
                                                 floormod(ic->var, Int(kib)), ob});
        return te::sum(mul(cast(out_dtype, value), cast(out_dtype, weight)), {ic, kh, kw});
      },
      "conv2d_NCHWc", "conv2d_NCHWc");
}

Tensor DepthwiseConv2DNCHWc(const Tensor& data, const Tensor& kernel, const Array<Integer>& strides,
                            const Array<Integer>& padding, const Array<Integer>& dilation, const std::string& layout,
                            const std::string& out_layout, DataType out_dtype) {
  const char* op = "depthwise_conv2d_NCHWc";
  nchwc::Geometry g = nchwc::BlockedGeometry(op, data, kernel, strides, padding, dilation, layout, out_layout);
  const int64_t out_channels = g.oc_chunks * g.out_block;
  TVM_CHECK(g.blocked_input && g.ic_chunks == 1 && g.kernel_ib == 1 && out_channels % g.in_channels == 0,
            "ValueError")
      << op << ": kernel " << nchwc::ShapeText(kernel->shape) << " is not a depthwise OIHW1i<n>o kernel for data "
      << nchwc::ShapeText(data->shape);
  const int64_t multiplier = out_channels / g.in_channels;
  if (out_dtype.is_void()) out_dtype = data->dtype;
  const int64_t rows = (g.out_h - 1) * g.stride_h + g.dilated_h;
  const int64_t cols = (g.out_w - 1) * g.stride_w + g.dilated_w;
  Tensor data_pad = nchwc::PadBlocked(data, g, rows, cols);
  const int64_t ib = g.in_block, ob = g.out_block;
  IterVar kh = nchwc::ReduceAxis(g.kernel_h, "kh");
  IterVar kw = nchwc::ReduceAxis(g.kernel_w, "kw");
  return nchwc::PyCompute(
      {Int(g.batch), Int(g.oc_chunks), Int(g.out_h), Int(g.out_w), Int(ob)}, {"b", "oc", "y", "x", "o"},
      [&](const std::vector<Var>& i) {
        const Var &b = i[0], &oc = i[1], &y = i[2], &x = i[3], &o = i[4];
        PrimExpr channel = floordiv(add(mul(oc, Int(ob)), o), Int(multiplier));
        PrimExpr row = add(mul(y, Int(g.stride_h)), mul(kh->var, Int(g.dilation_h)));
        PrimExpr col = add(mul(x, Int(g.stride_w)), mul(kw->var, Int(g.dilation_w)));
        PrimExpr value =
            data_pad(Array<PrimExpr>{b, floordiv(channel, Int(ib)), row, col, floormod(channel, Int(ib))});
        PrimExpr weight = kernel(Array<PrimExpr>{oc, Int(0), kh->var, kw->var, Int(0), o});
        return te::sum(mul(cast(out_dtype, value), cast(out_dtype, weight)), {kh, kw});
      },
      "depthwise_conv2d_NCHWc", "depthwise_conv2d_NCHWc");
}

TVM_REGISTER_GLOBAL("topi.nn.conv2d_NCHWc")
    .set_body_typed([](Tensor data, Tensor kernel, Array<Integer> strides, Array<Integer> padding,
                       Array<Integer> dilation, std::string layout, std::string out_layout, DataType out_dtype) {
      return Conv2DNCHWc(data, kernel, strides, padding, dilation, layout, out_layout, out_dtype);
    });
TVM_REGISTER_GLOBAL("topi.nn.depthwise_conv2d_NCHWc")
    .set_body_typed([](Tensor data, Tensor kernel, Array<Integer> strides, Array<Integer> padding,
                       Array<Integer> dilation, std::string layout, std::string out_layout, DataType out_dtype) {
      return DepthwiseConv2DNCHWc(data, kernel, strides, padding, dilation, layout, out_layout, out_dtype);
    });

}  // namespace nn
}  // namespace topi
}  // namespace tvm
