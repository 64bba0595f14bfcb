/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/relay/op/nn/convolution_winograd.cc
 * \brief Winograd 3x3 convolution as two operators, so that FoldConstant transforms a constant
 *  weight once:
 *
 *    nn.contrib_conv2d_winograd_weight_transform(w: [O, I, 3, 3], tile_size=m) -> [a, a, O, I]
 *    nn.contrib_conv2d_winograd_without_weight_transform(data, u, tile_size=m, ...)
 *
 *  with a = m + 2. The convolution takes NCHW data with u as the transform gives it, or blocked
 *  NCHW<c>c data (what AlterOpLayout makes on CPUs) with u packed as [a, a, O/k, I, k]
 *  (layout_transform "HWOI" -> "HWOI<k>o") and output NCHW<k>c. Strides and dilation are 1.
 */
#include <tvm/relay/attrs/nn.h>
#include <tvm/runtime/registry.h>

#include <string>
#include <utility>

#include "../type_check.h"

namespace tvm {
namespace relay {

// convolution_nchwc.cc: the block of a blocked layout ("NCHW16c" -> 16, "NCHW" -> 0, else -1).
int64_t BlockOf(const std::string& layout, const std::string& prefix, char letter);

TVM_REGISTER_NODE_TYPE(Conv2DWinogradAttrs);
TVM_REGISTER_NODE_TYPE(ConvWinogradWeightTransformAttrs);

namespace {

const char* kConv = "nn.contrib_conv2d_winograd_without_weight_transform";
const char* kTransform = "nn.contrib_conv2d_winograd_weight_transform";

int64_t AlphaOf(int tile_size, const char* op) {
  TVM_CHECK(tile_size == 2 || tile_size == 4, "TypeError")
      << op << ": tile_size must be 2 or 4 (F(2x2, 3x3) or F(4x4, 3x3)), got " << tile_size;
  return tile_size + 2;
}

void CheckOnes(const Array<PrimExpr>& values, const char* what) {
  for (const PrimExpr& v : values) {
    auto c = ConstDim(v);
    TVM_CHECK(c && *c == 1, "TypeError") << kConv << ": " << what << " must be 1, got " << ShapeString(values);
  }
}

bool WeightTransformRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* weight = TensorArg(types, 0, "weight");
  if (weight == nullptr) return false;
  const auto* p = attrs.as<ConvWinogradWeightTransformAttrs>();
  const int64_t alpha = AlphaOf(p->tile_size, kTransform);
  TVM_CHECK(weight->shape.size() == 4, "TypeError")
      << kTransform << ": weight must be OIHW (4-D), got " << ShapeString(weight->shape);
  for (int i = 2; i < 4; ++i) {
    auto k = ConstDim(weight->shape[i]);
    TVM_CHECK(!k || *k == 3, "TypeError") << kTransform << ": expects a 3x3 kernel, got weight "
                                          << ShapeString(weight->shape);
  }
  reporter->Assign(types[1], TensorType({Integer(alpha), Integer(alpha), weight->shape[0], weight->shape[1]},
                                        weight->dtype));
  return true;
}

/*! \brief (top + bottom, left + right) of 1, 2 or 4 padding values. */
std::pair<PrimExpr, PrimExpr> PadTotals(const Array<PrimExpr>& padding) {
  TVM_CHECK(padding.size() == 1 || padding.size() == 2 || padding.size() == 4, "TypeError")
      << kConv << ": padding must have 1, 2 or 4 values, got " << ShapeString(padding);
  if (padding.size() == 1) return {padding[0] * 2, padding[0] * 2};
  if (padding.size() == 2) return {padding[0] * 2, padding[1] * 2};
  return {padding[0] + padding[2], padding[1] + padding[3]};
}

bool WinogradConvRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  const auto* weight = TensorArg(types, 1, "weight");
  if (data == nullptr || weight == nullptr) return false;
  const auto* p = attrs.as<Conv2DWinogradAttrs>();
  const int64_t alpha = AlphaOf(p->tile_size, kConv);
  CheckOnes(p->strides, "strides");
  CheckOnes(p->dilation, "dilation");
  TVM_CHECK(p->groups == 1, "TypeError") << kConv << ": groups must be 1, got " << p->groups;
  for (const PrimExpr& k : p->kernel_size) {
    auto c = ConstDim(k);
    TVM_CHECK(c && *c == 3, "TypeError") << kConv << ": kernel_size must be (3, 3), got "
                                         << ShapeString(p->kernel_size);
  }
  const int64_t block = BlockOf(p->data_layout, "NCHW", 'c');
  const std::string out_layout = p->out_layout.empty() ? p->data_layout : p->out_layout;
  const int64_t out_block = BlockOf(out_layout, "NCHW", 'c');
  TVM_CHECK(block >= 0 && out_block >= 0 && (block == 0) == (out_block == 0), "TypeError")
      << kConv << ": data_layout and out_layout must both be NCHW or both NCHW<n>c, got \"" << p->data_layout
      << "\" and \"" << out_layout << "\"";
  const size_t rank = block == 0 ? 4 : 5;
  TVM_CHECK(data->shape.size() == rank, "TypeError")
      << kConv << ": data " << ShapeString(data->shape) << " does not have layout " << p->data_layout;
  PrimExpr in_channels = block == 0 ? data->shape[1] : data->shape[1] * data->shape[4];
  // NCHW: [a, a, O, I]; blocked: [a, a, O/k, I, k].
  TVM_CHECK(weight->shape.size() == rank, "TypeError")
      << kConv << ": the transformed weight must be " << (block == 0 ? "[a, a, O, I]" : "[a, a, O/k, I, k]")
      << " with a = " << alpha << " for data layout " << p->data_layout << ", got "
      << ShapeString(weight->shape);
  for (int i = 0; i < 2; ++i) {
    TVM_CHECK(DimsMayMatch(reporter, weight->shape[i], Integer(alpha)), "TypeError")
        << kConv << ": the weight " << ShapeString(weight->shape) << " is not transformed for tile_size "
        << p->tile_size << " (its first two axes must be " << alpha << ")";
  }
  TVM_CHECK(DimsMayMatch(reporter, weight->shape[3], in_channels), "TypeError")
      << kConv << ": the weight " << ShapeString(weight->shape) << " has " << weight->shape[3]
      << " input channels, but data " << ShapeString(data->shape) << " has " << in_channels;
  PrimExpr out_channels = block == 0 ? weight->shape[2] : weight->shape[2] * weight->shape[4];
  if (block != 0) {
    TVM_CHECK(DimsMayMatch(reporter, weight->shape[4], Integer(out_block)), "TypeError")
        << kConv << ": the weight's output block " << weight->shape[4] << " must be out_layout " << out_layout
        << "'s";
  }
  if (p->channels.defined()) {
    TVM_CHECK(DimsMayMatch(reporter, p->channels, out_channels), "TypeError")
        << kConv << ": channels=" << p->channels << " but the weight " << ShapeString(weight->shape) << " has "
        << out_channels << " output channels";
  }
  auto [pad_h, pad_w] = PadTotals(p->padding);
  PrimExpr out_h = IsAny(data->shape[2]) ? data->shape[2] : data->shape[2] + pad_h - 2;
  PrimExpr out_w = IsAny(data->shape[3]) ? data->shape[3] : data->shape[3] + pad_w - 2;
  Array<PrimExpr> out_shape = block == 0
                                  ? Array<PrimExpr>{data->shape[0], out_channels, out_h, out_w}
                                  : Array<PrimExpr>{data->shape[0], weight->shape[2], out_h, out_w, weight->shape[4]};
  reporter->Assign(types[2], TensorType(out_shape, OutDtypeOr(p->out_dtype, data->dtype)));
  return true;
}

[[maybe_unused]] const int kRegistered = [] {
  runtime::Registry::Register("relay.op.nn._make.contrib_conv2d_winograd_without_weight_transform")
      .set_body_typed([](Expr data, Expr weight, int tile_size, Array<PrimExpr> strides, Array<PrimExpr> padding,
                         Array<PrimExpr> dilation, int groups, PrimExpr channels, Array<PrimExpr> kernel_size,
                         std::string data_layout, std::string kernel_layout, std::string out_layout,
                         DataType out_dtype) {
        auto a = make_object<Conv2DWinogradAttrs>();
        a->tile_size = tile_size;
        a->strides = std::move(strides);
        a->padding = std::move(padding);
        a->dilation = std::move(dilation);
        a->groups = groups;
        a->channels = std::move(channels);
        a->kernel_size = std::move(kernel_size);
        a->data_layout = std::move(data_layout);
        a->kernel_layout = std::move(kernel_layout);
        a->out_layout = std::move(out_layout);
        a->out_dtype = out_dtype;
        return MakeOpCall(kConv, {data, weight}, Attrs(a));
      });
  runtime::Registry::Register("relay.op.nn._make.contrib_conv2d_winograd_weight_transform")
      .set_body_typed([](Expr weight, int tile_size) {
        auto a = make_object<ConvWinogradWeightTransformAttrs>();
        a->tile_size = tile_size;
        return MakeOpCall(kTransform, {weight}, Attrs(a));
      });
  OpRegEntry::RegisterOrGet(kConv)
      .describe("3x3 stride-1 convolution by Winograd's F(m x m, 3 x 3), with a transformed weight")
      .set_num_inputs(2)
      .add_argument("data", "Tensor", "the input")
      .add_argument("weight", "Tensor", "the transformed filters")
      .set_attrs_type<Conv2DWinogradAttrs>()
      .set_support_level(10)
      .add_type_rel("Conv2DWinograd", WinogradConvRel)
      .set_attr<TOpPattern>("TOpPattern", kOutEWiseFusable);
  OpRegEntry::RegisterOrGet(kTransform)
      .describe("the Winograd transform G w G^T of a 3x3 kernel")
      .set_num_inputs(1)
      .add_argument("weight", "Tensor", "the OIHW filters")
      .set_attrs_type<ConvWinogradWeightTransformAttrs>()
      .set_support_level(10)
      .add_type_rel("Conv2DWinogradWeightTransform", WeightTransformRel)
      .set_attr<TOpPattern>("TOpPattern", kOutEWiseFusable);
  return 0;
}();

}  // namespace
}  // namespace relay
}  // namespace tvm
