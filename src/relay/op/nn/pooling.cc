/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/relay/op/nn/pooling.cc
 * \brief Pooling (max/avg 1d/2d/3d, global, adaptive), pad and upsampling.
 *  Layouts name their axes with letters: the pooled axes are the spatial
 *  letters (W; H, W; D, H, W), every other axis keeps its extent, so NCHW,
 *  NHWC and blocked layouts such as NCHW16c all work.
 */
#include <tvm/relay/attrs/nn.h>
#include <tvm/runtime/registry.h>

#include <cctype>
#include <cmath>
#include <string>

#include "../type_check.h"

namespace tvm {
namespace relay {

TVM_REGISTER_NODE_TYPE(MaxPool1DAttrs);
TVM_REGISTER_NODE_TYPE(MaxPool2DAttrs);
TVM_REGISTER_NODE_TYPE(MaxPool3DAttrs);
TVM_REGISTER_NODE_TYPE(AvgPool1DAttrs);
TVM_REGISTER_NODE_TYPE(AvgPool2DAttrs);
TVM_REGISTER_NODE_TYPE(AvgPool3DAttrs);
TVM_REGISTER_NODE_TYPE(GlobalPool2DAttrs);
TVM_REGISTER_NODE_TYPE(AdaptivePool1DAttrs);
TVM_REGISTER_NODE_TYPE(AdaptivePool2DAttrs);
TVM_REGISTER_NODE_TYPE(AdaptivePool3DAttrs);
TVM_REGISTER_NODE_TYPE(PadAttrs);
TVM_REGISTER_NODE_TYPE(UpSamplingAttrs);
TVM_REGISTER_NODE_TYPE(UpSampling3DAttrs);

namespace {

const char* SpatialLetters(int n) { return n == 1 ? "W" : n == 2 ? "HW" : "DHW"; }

/*!
 * \brief The positions in `layout` of its spatial axes (upper-case letters) for
 *  an n-D pool; a layout that lacks one, or splits one (a lower-case letter of a
 *  pooled axis), is a TypeError.
 */
std::vector<int> SpatialPositions(const std::string& layout, int n, size_t rank, const Array<PrimExpr>& shape) {
  std::vector<int> pos;
  for (const char* c = SpatialLetters(n); *c; ++c) {
    auto i = layout.find(*c);
    TVM_CHECK(i != std::string::npos && layout.find(static_cast<char>(*c - 'A' + 'a')) == std::string::npos,
              "TypeError")
        << "layout \"" << layout << "\" must have the spatial axes " << SpatialLetters(n) << " unsplit";
    pos.push_back(static_cast<int>(i));
  }
  // The rank is the number of letters (a blocked sub-axis like 16c is one axis).
  size_t letters = 0;
  for (char c : layout) letters += std::isalpha(static_cast<unsigned char>(c)) ? 1 : 0;
  TVM_CHECK(rank == letters, "TypeError") << "data " << ShapeString(shape) << " does not have the "
                                          << letters << " axes of layout " << layout;
  // Positions are counted in axes, not characters (digits of 16c are not axes).
  for (int& p : pos) {
    int axis = 0;
    for (int j = 0; j < p; ++j) axis += std::isalpha(static_cast<unsigned char>(layout[j])) ? 1 : 0;
    p = axis;
  }
  return pos;
}

std::pair<PrimExpr, PrimExpr> PadPair(const Array<PrimExpr>& padding, int n, int i) {
  if (padding.empty()) return {Integer(0), Integer(0)};
  if (padding.size() == 1) return {padding[0], padding[0]};
  if (static_cast<int>(padding.size()) == n) return {padding[i], padding[i]};
  TVM_CHECK(static_cast<int>(padding.size()) == 2 * n, "TypeError")
      << "padding must have 1, " << n << " or " << 2 * n << " entries, got " << padding.size();
  return {padding[i], padding[i + n]};
}

template <typename AttrsT>
bool PoolRel(int n, const Array<Type>& types, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  if (data == nullptr) return false;
  const auto* p = attrs.as<AttrsT>();
  auto pos = SpatialPositions(p->layout, n, data->shape.size(), data->shape);
  TVM_CHECK(static_cast<int>(p->pool_size.size()) == n, "TypeError")
      << "pool_size must have " << n << " entries, got " << ShapeString(p->pool_size);
  TVM_CHECK(static_cast<int>(p->strides.size()) == n && static_cast<int>(p->dilation.size()) == n, "TypeError")
      << "strides and dilation must have " << n << " entries, got " << ShapeString(p->strides) << " and "
      << ShapeString(p->dilation);
  Array<PrimExpr> oshape = data->shape;
  for (int i = 0; i < n; ++i) {
    auto [before, after] = PadPair(p->padding, n, i);
    PrimExpr in = data->shape[pos[i]];
    PrimExpr out = WindowOut(in, before + after, p->pool_size[i], p->dilation[i], p->strides[i], p->ceil_mode);
    if (auto v = ConstDim(out)) {
      TVM_CHECK(*v > 0, "TypeError") << "pool_size " << ShapeString(p->pool_size)
                                     << " is larger than the padded input " << ShapeString(data->shape);
    }
    oshape.Set(pos[i], out);
  }
  reporter->Assign(types[1], TensorType(oshape, data->dtype));
  return true;
}

template <typename AttrsT>
bool AdaptivePoolRel(int n, const Array<Type>& types, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  if (data == nullptr) return false;
  const auto* p = attrs.as<AttrsT>();
  auto pos = SpatialPositions(p->layout, n, data->shape.size(), data->shape);
  const auto& size = p->output_size;
  TVM_CHECK(size.empty() || size.size() == 1 || static_cast<int>(size.size()) == n, "TypeError")
      << "output_size must have 1 or " << n << " entries, got " << ShapeString(size);
  Array<PrimExpr> oshape = data->shape;
  for (int i = 0; i < n; ++i) {
    // No output_size keeps the input extent; an undefined entry (None) too.
    PrimExpr out = size.empty() ? data->shape[pos[i]] : size[size.size() == 1 ? 0 : i];
    if (!out.defined()) out = data->shape[pos[i]];
    oshape.Set(pos[i], out);
  }
  reporter->Assign(types[1], TensorType(oshape, data->dtype));
  return true;
}

bool GlobalPoolRel(const Array<Type>& types, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  if (data == nullptr) return false;
  auto pos = SpatialPositions(attrs.as<GlobalPool2DAttrs>()->layout, 2, data->shape.size(), data->shape);
  Array<PrimExpr> oshape = data->shape;
  for (int p : pos) oshape.Set(p, Integer(1));
  reporter->Assign(types[1], TensorType(oshape, data->dtype));
  return true;
}

template <typename AttrsT>
void RegisterPool(const char* op_name, const char* make_name, int n, bool avg) {
  if (avg) {
    runtime::Registry::Register(make_name).set_body_typed(
        [op_name](Expr data, Array<PrimExpr> pool_size, Array<PrimExpr> strides, Array<PrimExpr> dilation,
                  Array<PrimExpr> padding, std::string layout, std::string out_layout, bool ceil_mode,
                  bool count_include_pad) {
          auto attrs = make_object<AttrsT>();
          attrs->pool_size = pool_size;
          attrs->strides = strides;
          attrs->dilation = dilation;
          attrs->padding = padding;
          attrs->layout = layout;
          attrs->out_layout = out_layout;
          attrs->ceil_mode = ceil_mode;
          if constexpr (std::is_base_of_v<AvgPoolAttrsBase<1>, AttrsT> || std::is_base_of_v<AvgPoolAttrsBase<2>, AttrsT> ||
                        std::is_base_of_v<AvgPoolAttrsBase<3>, AttrsT>) {
            attrs->count_include_pad = count_include_pad;
          }
          return MakeOpCall(op_name, {data}, Attrs(attrs));
        });
  } else {
    runtime::Registry::Register(make_name).set_body_typed(
        [op_name](Expr data, Array<PrimExpr> pool_size, Array<PrimExpr> strides, Array<PrimExpr> dilation,
                  Array<PrimExpr> padding, std::string layout, std::string out_layout, bool ceil_mode) {
          auto attrs = make_object<AttrsT>();
          attrs->pool_size = pool_size;
          attrs->strides = strides;
          attrs->dilation = dilation;
          attrs->padding = padding;
          attrs->layout = layout;
          attrs->out_layout = out_layout;
          attrs->ceil_mode = ceil_mode;
          return MakeOpCall(op_name, {data}, Attrs(attrs));
        });
  }
  OpRegEntry::RegisterOrGet(op_name)
      .describe(avg ? "average over sliding windows of the spatial axes" : "maximum over sliding windows")
      .set_num_inputs(1)
      .add_argument("data", "Tensor", "the input")
      .template set_attrs_type<AttrsT>()
      .set_support_level(2)
      .add_type_rel("Pool" + std::to_string(n) + "D",
                    [n](const Array<Type>& t, int, const Attrs& a, const TypeReporter& r) {
                      return PoolRel<AttrsT>(n, t, a, r);
                    })
      .template set_attr<TOpPattern>("TOpPattern", kOutEWiseFusable);
}

template <typename AttrsT>
void RegisterAdaptivePool(const char* op_name, const char* make_name, int n) {
  runtime::Registry::Register(make_name).set_body_typed(
      [op_name](Expr data, Array<PrimExpr> output_size, std::string layout, std::string out_layout) {
        auto attrs = make_object<AttrsT>();
        attrs->output_size = output_size;
        attrs->layout = layout;
        attrs->out_layout = out_layout;
        return MakeOpCall(op_name, {data}, Attrs(attrs));
      });
  OpRegEntry::RegisterOrGet(op_name)
      .describe("pooling to a fixed output size")
      .set_num_inputs(1)
      .add_argument("data", "Tensor", "the input")
      .template set_attrs_type<AttrsT>()
      .set_support_level(10)
      .add_type_rel("AdaptivePool" + std::to_string(n) + "D",
                    [n](const Array<Type>& t, int, const Attrs& a, const TypeReporter& r) {
                      return AdaptivePoolRel<AttrsT>(n, t, a, r);
                    })
      .template set_attr<TOpPattern>("TOpPattern", kOutEWiseFusable);
}

void RegisterGlobalPool(const char* op_name, const char* make_name) {
  runtime::Registry::Register(make_name).set_body_typed(
      [op_name](Expr data, std::string layout, std::string out_layout) {
        auto attrs = make_object<GlobalPool2DAttrs>();
        attrs->layout = layout;
        attrs->out_layout = out_layout;
        return MakeOpCall(op_name, {data}, Attrs(attrs));
      });
  OpRegEntry::RegisterOrGet(op_name)
      .describe("pooling over the whole spatial extent")
      .set_num_inputs(1)
      .add_argument("data", "Tensor", "the input")
      .set_attrs_type<GlobalPool2DAttrs>()
      .set_support_level(2)
      .add_type_rel("GlobalPool2D", [](const Array<Type>& t, int, const Attrs& a, const TypeReporter& r) {
        return GlobalPoolRel(t, a, r);
      })
      .set_attr<TOpPattern>("TOpPattern", kOutEWiseFusable);
}

// ---------------------------------------------------------------- pad

bool PadRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  if (data == nullptr) return false;
  const auto* p = attrs.as<PadAttrs>();
  TVM_CHECK(p->pad_width.size() == data->shape.size(), "TypeError")
      << "pad_width has " << p->pad_width.size() << " (before, after) pairs but data "
      << ShapeString(data->shape) << " has rank " << data->shape.size();
  TVM_CHECK(p->pad_mode == "constant" || p->pad_mode == "edge" || p->pad_mode == "reflect", "TypeError")
      << "pad_mode must be constant, edge or reflect, got " << p->pad_mode;
  const auto* value = TensorArg(types, 1, "pad_value");
  if (value != nullptr) {
    TVM_CHECK(value->shape.empty(), "TypeError")
        << "pad_value must be a scalar, got shape " << ShapeString(value->shape);
  }
  Array<PrimExpr> oshape;
  for (size_t i = 0; i < data->shape.size(); ++i) {
    const auto& pair = p->pad_width[i];
    TVM_CHECK(pair.size() == 2, "TypeError") << "pad_width[" << i << "] must be a (before, after) pair";
    int64_t before = pair[0]->value, after = pair[1]->value;
    PrimExpr d = data->shape[i];
    // Negative widths crop (as TVM allows), but not past the whole axis.
    if (auto v = ConstDim(d)) {
      TVM_CHECK(*v + before + after >= 0, "TypeError")
          << "pad_width[" << i << "] = (" << before << ", " << after << ") crops more than axis " << i
          << " of data " << ShapeString(data->shape) << " has";
    }
    if (p->pad_mode == "reflect") {
      if (auto v = ConstDim(d)) {
        TVM_CHECK(before < *v && after < *v, "TypeError")
            << "reflect padding (" << before << ", " << after << ") of axis " << i << " of data "
            << ShapeString(data->shape) << " must be smaller than the axis";
      }
    }
    oshape.push_back(IsAny(d) ? d : d + Integer(before + after));
  }
  reporter->Assign(types[2], TensorType(oshape, data->dtype));
  return true;
}

// ---------------------------------------------------------------- upsampling

PrimExpr ScaleDim(const PrimExpr& d, double scale) {
  if (auto v = ConstDim(d)) return Integer(static_cast<int>(std::round(static_cast<double>(*v) * scale)));
  if (IsAny(d)) return d;
  return cast(DataType::Int(32), round(cast(DataType::Float(64), d) * make_const(DataType::Float(64), scale)));
}

bool UpSamplingRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  if (data == nullptr) return false;
  const auto* p = attrs.as<UpSamplingAttrs>();
  auto pos = SpatialPositions(p->layout, 2, data->shape.size(), data->shape);
  TVM_CHECK(p->method == "nearest_neighbor" || p->method == "bilinear" || p->method == "bicubic", "TypeError")
      << "method must be nearest_neighbor, bilinear or bicubic, got " << p->method;
  Array<PrimExpr> oshape = data->shape;
  oshape.Set(pos[0], ScaleDim(data->shape[pos[0]], p->scale_h));
  oshape.Set(pos[1], ScaleDim(data->shape[pos[1]], p->scale_w));
  reporter->Assign(types[1], TensorType(oshape, data->dtype));
  return true;
}

bool UpSampling3DRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  if (data == nullptr) return false;
  const auto* p = attrs.as<UpSampling3DAttrs>();
  auto pos = SpatialPositions(p->layout, 3, data->shape.size(), data->shape);
  Array<PrimExpr> oshape = data->shape;
  double scales[] = {p->scale_d, p->scale_h, p->scale_w};
  for (int i = 0; i < 3; ++i) oshape.Set(pos[i], ScaleDim(data->shape[pos[i]], scales[i]));
  reporter->Assign(types[1], TensorType(oshape, data->dtype));
  return true;
}

[[maybe_unused]] const int kRegistered = [] {
  RegisterPool<MaxPool1DAttrs>("nn.max_pool1d", "relay.op.nn._make.max_pool1d", 1, false);
  RegisterPool<MaxPool2DAttrs>("nn.max_pool2d", "relay.op.nn._make.max_pool2d", 2, false);
  RegisterPool<MaxPool3DAttrs>("nn.max_pool3d", "relay.op.nn._make.max_pool3d", 3, false);
  RegisterPool<AvgPool1DAttrs>("nn.avg_pool1d", "relay.op.nn._make.avg_pool1d", 1, true);
  RegisterPool<AvgPool2DAttrs>("nn.avg_pool2d", "relay.op.nn._make.avg_pool2d", 2, true);
  RegisterPool<AvgPool3DAttrs>("nn.avg_pool3d", "relay.op.nn._make.avg_pool3d", 3, true);
  RegisterAdaptivePool<AdaptivePool1DAttrs>("nn.adaptive_max_pool1d", "relay.op.nn._make.adaptive_max_pool1d", 1);
  RegisterAdaptivePool<AdaptivePool1DAttrs>("nn.adaptive_avg_pool1d", "relay.op.nn._make.adaptive_avg_pool1d", 1);
  RegisterAdaptivePool<AdaptivePool2DAttrs>("nn.adaptive_max_pool2d", "relay.op.nn._make.adaptive_max_pool2d", 2);
  RegisterAdaptivePool<AdaptivePool2DAttrs>("nn.adaptive_avg_pool2d", "relay.op.nn._make.adaptive_avg_pool2d", 2);
  RegisterAdaptivePool<AdaptivePool3DAttrs>("nn.adaptive_max_pool3d", "relay.op.nn._make.adaptive_max_pool3d", 3);
  RegisterAdaptivePool<AdaptivePool3DAttrs>("nn.adaptive_avg_pool3d", "relay.op.nn._make.adaptive_avg_pool3d", 3);
  RegisterGlobalPool("nn.global_max_pool2d", "relay.op.nn._make.global_max_pool2d");
  RegisterGlobalPool("nn.global_avg_pool2d", "relay.op.nn._make.global_avg_pool2d");

  runtime::Registry::Register("relay.op.nn._make.pad").set_body_typed(
      [](Expr data, Array<Array<Integer>> pad_width, Expr pad_value, std::string pad_mode) {
        auto attrs = make_object<PadAttrs>();
        attrs->pad_width = pad_width;
        attrs->pad_mode = pad_mode;
        return MakeOpCall("nn.pad", {data, pad_value}, Attrs(attrs));
      });
  OpRegEntry::RegisterOrGet("nn.pad")
      .describe("pad each axis by a (before, after) pair: constant, edge or reflect")
      .set_num_inputs(2)
      .add_argument("data", "Tensor", "the input")
      .add_argument("pad_value", "Tensor", "the constant padding value (a scalar)")
      .set_attrs_type<PadAttrs>()
      .set_support_level(2)
      .add_type_rel("Pad", PadRel)
      .set_attr<TOpPattern>("TOpPattern", kInjective);

  runtime::Registry::Register("relay.op.nn._make.upsampling")
      .set_body_typed([](Expr data, double scale_h, double scale_w, std::string layout, std::string method,
                         bool align_corners) {
        auto attrs = make_object<UpSamplingAttrs>();
        attrs->scale_h = scale_h;
        attrs->scale_w = scale_w;
        attrs->layout = layout;
        attrs->method = method;
        attrs->align_corners = align_corners;
        return MakeOpCall("nn.upsampling", {data}, Attrs(attrs));
      });
  OpRegEntry::RegisterOrGet("nn.upsampling")
      .describe("scale the spatial axes by scale_h and scale_w")
      .set_num_inputs(1)
      .add_argument("data", "Tensor", "the input")
      .set_attrs_type<UpSamplingAttrs>()
      .set_support_level(2)
      .add_type_rel("UpSampling", UpSamplingRel)
      .set_attr<TOpPattern>("TOpPattern", kInjective);
  runtime::Registry::Register("relay.op.nn._make.upsampling3d")
      .set_body_typed([](Expr data, double scale_d, double scale_h, double scale_w, std::string layout,
                         std::string method, std::string mode) {
        auto attrs = make_object<UpSampling3DAttrs>();
        attrs->scale_d = scale_d;
        attrs->scale_h = scale_h;
        attrs->scale_w = scale_w;
        attrs->layout = layout;
        attrs->method = method;
        attrs->coordinate_transformation_mode = mode;
        return MakeOpCall("nn.upsampling3d", {data}, Attrs(attrs));
      });
  OpRegEntry::RegisterOrGet("nn.upsampling3d")
      .describe("scale the spatial axes by scale_d, scale_h and scale_w")
      .set_num_inputs(1)
      .add_argument("data", "Tensor", "the input")
      .set_attrs_type<UpSampling3DAttrs>()
      .set_support_level(2)
      .add_type_rel("UpSampling3D", UpSampling3DRel)
      .set_attr<TOpPattern>("TOpPattern", kInjective);
  return 0;
}();

}  // namespace
}  // namespace relay
}  // namespace tvm
