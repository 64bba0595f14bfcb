/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/topi/conv2d_nchwc_common.h
 * \brief What the generic (nn_conv2d_nchwc.cc) and x86 (x86/conv2d_nchwc.cc) blocked
 *  convolutions share: the checked geometry of a call, the zero-padded input, and te.compute /
 *  te.reduce_axis built exactly as Python builds them (axes named as Python's lambdas name
 *  them, Range(0, extent) with an int32 start, Python ints as int32 immediates), so C++ and
 *  Python callers lower to the same TIR.
 */
#ifndef TVM_TOPI_CONV2D_NCHWC_COMMON_H_
#define TVM_TOPI_CONV2D_NCHWC_COMMON_H_

#include <tvm/te/operation.h>
#include <tvm/te/schedule.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace tvm {
namespace topi {
namespace nchwc {

constexpr const char* kPadTag = "conv2d_NCHWc_pad";

/*! \brief A Python int as Python passes it to an operator (an int32 immediate when it fits). */
inline PrimExpr Int(int64_t v) { return PrimExpr(v); }
/*! \brief Python's a // b and -(-a // b) on ints. */
inline int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0); }
inline int64_t CeilDiv(int64_t a, int64_t b) { return -FloorDiv(-a, b); }

std::string ShapeText(const Array<PrimExpr>& shape);

/*! \brief te.compute as Python builds it: axis i named names[i], dom Range(0, shape[i]). */
te::Tensor PyCompute(const Array<PrimExpr>& shape, const std::vector<std::string>& names,
                     const std::function<PrimExpr(const std::vector<tir::Var>&)>& body, const std::string& name,
                     const std::string& tag, Map<String, ObjectRef> attrs = {});
/*! \brief te.compute(shape, lambda *i: body(i), name, tag, attrs): the axes named i0, i1, ... */
te::Tensor PyCompute(const Array<PrimExpr>& shape, const std::function<PrimExpr(const Array<PrimExpr>&)>& body,
                     const std::string& name, const std::string& tag = "", Map<String, ObjectRef> attrs = {});
/*! \brief te.reduce_axis((0, extent), name). */
tir::IterVar ReduceAxis(int64_t extent, const std::string& name);

/*! \brief The static shape of `t`; an error naming op, what and the shape when an extent is symbolic. */
std::vector<int64_t> ConstShape(const char* op, const char* what, const te::Tensor& t);

/*! \brief Integer attributes of a compute op (int32 immediates, as Python's dict of ints gives). */
Map<String, ObjectRef> IntAttrs(const std::vector<std::pair<const char*, int64_t>>& values);

/*! \brief The integer attribute `key` of a compute op (IntAttrs'). */
int64_t AttrInt(const te::Operation& op, const char* key);

/*! \brief The data axes of a compute op. */
inline const Array<tir::IterVar>& AxisOf(const te::Operation& op) { return op.as<te::ComputeOpNode>()->axis; }
/*! \brief te.reduce_axis((0, extent), name) for an extent that may be symbolic. */
tir::IterVar ReduceAxis(const PrimExpr& extent, const std::string& name);

/*! \brief The spatial window of a 2-D convolution call: strides, dilations, padding, the dilated
 *  kernel's extent and the output size. */
struct Window {
  int64_t stride_h, stride_w, dilation_h, dilation_w, pad_top, pad_left, pad_bottom, pad_right;
  int64_t dilated_h, dilated_w, out_h, out_w;
};

/*!
 * \brief The checked window of convolution `op` with a kernel_h x kernel_w kernel over a
 *  height x width input (strides and dilation: 1 or 2 values; padding: 1, 2 or 4, as
 *  get_pad_tuple reads them). `input` is appended to the error naming an input the kernel does
 *  not fit.
 * \throws Error (ValueError) naming op and the values.
 */
Window ConvWindow(const char* op, int64_t height, int64_t width, int64_t kernel_h, int64_t kernel_w,
                  const Array<Integer>& strides, const Array<Integer>& padding, const Array<Integer>& dilation,
                  const std::string& input = "");

/*! \brief The sizes of a blocked convolution call (Python: blocked_geometry). */
struct Geometry : Window {
  int64_t batch, in_channels, in_block, height, width;
  int64_t oc_chunks, ic_chunks, kernel_ib, out_block, kernel_h, kernel_w;
  bool blocked_input;
};

/*!
 * \brief Checks the operands of a blocked convolution named `op` (data NCHW<n>c or NCHW, kernel
 *  6-D OIHW<i>i<o>o, output NCHW<o>c; static shapes) and returns its sizes.
 * \throws Error (ValueError) naming op, the shapes and layouts.
 */
Geometry BlockedGeometry(const char* op, const te::Tensor& data, const te::Tensor& kernel,
                         const Array<Integer>& strides, const Array<Integer>& padding, const Array<Integer>& dilation,
                         const std::string& layout, const std::string& out_layout);

/*! \brief data zero-padded to rows x cols (top/left padding from g), in data's own layout; data
 *  itself when nothing pads. */
te::Tensor PadBlocked(const te::Tensor& data, const Geometry& g, int64_t rows, int64_t cols);
/*! \brief The same for NCHW or NCHW<n>c data (by its rank) padded `top` rows and `left` columns. */
te::Tensor PadBlocked(const te::Tensor& data, int64_t top, int64_t left, int64_t rows, int64_t cols);

/*! \brief Python's topi.utils.traverse_inline: inlines the injective ops reachable from
 *  final_op (not the outputs) and returns the ops tagged `tag`, producers first. */
std::vector<te::Operation> TraverseInline(te::Schedule s, const te::Operation& final_op, const std::string& tag);

}  // namespace nchwc
}  // namespace topi
}  // namespace tvm
#endif  // TVM_TOPI_CONV2D_NCHWC_COMMON_H_
