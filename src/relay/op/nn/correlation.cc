/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/relay/op/nn/correlation.cc
 * \brief nn.correlation (FlowNet): for each output position and each displacement
 *  (dy, dx) within max_displacement (step stride2), the mean over a kernel_size
 *  patch and the channels of data1 * data2 (or |data1 - data2|) at the displaced
 *  position. (N, C, H, W) x 2 -> (N, displacements^2, H', W').
 */
#include <tvm/relay/attrs/nn.h>
#include <tvm/runtime/registry.h>

#include <vector>

#include "../type_check.h"

namespace tvm {
namespace relay {

TVM_REGISTER_NODE_TYPE(CorrelationAttrs);

namespace {

bool CorrelationRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data1 = TensorArg(types, 0, "data1");
  const auto* data2 = TensorArg(types, 1, "data2");
  if (data1 == nullptr || data2 == nullptr) return false;
  const auto* p = attrs.as<CorrelationAttrs>();
  TVM_CHECK(p->layout == "NCHW", "TypeError") << "layout must be NCHW, got " << p->layout;
  TVM_CHECK(data1->shape.size() == 4, "TypeError") << "data1 must be 4-D (NCHW), got " << ShapeString(data1->shape);
  bool same = data2->shape.size() == 4;
  for (size_t i = 0; same && i < 4; ++i) same = DimsMayMatch(reporter, data1->shape[i], data2->shape[i]);
  TVM_CHECK(same, "TypeError") << "data2 " << ShapeString(data2->shape) << " must have the shape of data1 "
                               << ShapeString(data1->shape);
  TVM_CHECK(p->kernel_size > 0 && p->kernel_size % 2 == 1, "TypeError")
      << "kernel_size must be a positive odd number, got " << p->kernel_size;
  TVM_CHECK(p->max_displacement >= 0 && p->stride1 > 0 && p->stride2 > 0, "TypeError")
      << "max_displacement must not be negative and the strides must be positive";
  // padding: one value (all sides), (h, w) on both sides, or (top, left, bottom, right).
  std::vector<int64_t> pad;
  for (const PrimExpr& v : p->padding) pad.push_back(IntValue(v, "padding"));
  int64_t pad_h = 0, pad_w = 0;
  if (pad.size() == 1) {
    pad_h = pad_w = pad[0] * 2;
  } else if (pad.size() == 2) {
    pad_h = pad[0] * 2;
    pad_w = pad[1] * 2;
  } else {
    TVM_CHECK(pad.size() == 4, "TypeError") << "padding must have 1, 2 or 4 entries, got " << pad.size();
    pad_h = pad[0] + pad[2];
    pad_w = pad[1] + pad[3];
  }
  int border = p->max_displacement + (p->kernel_size - 1) / 2;
  int radius = p->max_displacement / p->stride2;
  int size = 2 * radius + 1;
  auto extent = [&](const PrimExpr& d, int64_t padding) -> PrimExpr {
    if (IsAny(d)) return d;
    if (auto v = ConstDim(d)) {
      int64_t span = *v + padding - 2 * border;
      TVM_CHECK(span > 0, "TypeError") << "data1 " << ShapeString(data1->shape) << " padded by " << padding
                                       << " is too small for max_displacement " << p->max_displacement
                                       << " and kernel_size " << p->kernel_size;
      return Integer((span + p->stride1 - 1) / p->stride1);
    }
    return indexdiv(d + Integer(padding - 2 * border + p->stride1 - 1), Integer(p->stride1));
  };
  Array<PrimExpr> oshape{data1->shape[0], Integer(size * size), extent(data1->shape[2], pad_h),
                         extent(data1->shape[3], pad_w)};
  reporter->Assign(types[2], TensorType(oshape, data1->dtype));
  return true;
}

[[maybe_unused]] const int kRegistered = [] {
  runtime::Registry::Register("relay.op.nn._make.correlation")
      .set_body_typed([](Expr data1, Expr data2, int kernel_size, int max_displacement, int stride1, int stride2,
                         Array<PrimExpr> padding, bool is_multiply, std::string layout) {
        auto a = make_object<CorrelationAttrs>();
        a->kernel_size = kernel_size;
        a->max_displacement = max_displacement;
        a->stride1 = stride1;
        a->stride2 = stride2;
        a->padding = padding;
        a->is_multiply = is_multiply;
        a->layout = layout;
        return MakeOpCall("nn.correlation", {data1, data2}, Attrs(a));
      });
  OpRegEntry::RegisterOrGet("nn.correlation")
      .describe("patch correlation of two feature maps over displacements (FlowNet)")
      .set_num_inputs(2)
      .add_argument("data1", "Tensor", "the first feature map")
      .add_argument("data2", "Tensor", "the second feature map")
      .set_attrs_type<CorrelationAttrs>()
      .set_support_level(10)
      .add_type_rel("Correlation", CorrelationRel)
      .set_attr<TOpPattern>("TOpPattern", kOutEWiseFusable);
  return 0;
}();

}  // namespace
}  // namespace relay
}  // namespace tvm
