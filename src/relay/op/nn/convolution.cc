/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/relay/op/nn/convolution.cc
 * \brief conv1d/2d/3d and their transposes: one relation for every rank and
 *  layout. Shapes are read through the layout strings (NCHW, NHWC, OIHW, HWIO,
 *  ...), related in canonical (N, C, spatial...) / (O, I, spatial...) order,
 *  and the output written back in out_layout (data_layout when empty).
 *  The weight's type follows from channels and kernel_size when it is unknown.
 */
#include <tvm/relay/attrs/nn.h>
#include <tvm/runtime/registry.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <type_traits>
#include <utility>

#include "../type_check.h"

namespace tvm {
namespace relay {

TVM_REGISTER_NODE_TYPE(Conv1DAttrs);
TVM_REGISTER_NODE_TYPE(Conv2DAttrs);
TVM_REGISTER_NODE_TYPE(Conv3DAttrs);
TVM_REGISTER_NODE_TYPE(Conv1DTransposeAttrs);
TVM_REGISTER_NODE_TYPE(Conv2DTransposeAttrs);
TVM_REGISTER_NODE_TYPE(Conv3DTransposeAttrs);
TVM_REGISTER_NODE_TYPE(DeformableConv2DAttrs);

namespace {

const char* SpatialLetters(int n) { return n == 1 ? "W" : n == 2 ? "HW" : "DHW"; }

/*!
 * \brief A layout such as "NCHW", "NHWC" or the blocked "NCHW4n4c": its axes in
 *  order, upper-case letters primal, a lower-case letter with a factor the inner
 *  block of its primal axis.
 */
struct LayoutView {
  std::string layout;
  std::vector<char> letters;
  std::vector<int64_t> factors;  // 0 for primal axes

  LayoutView(const std::string& text, const std::string& canon, const char* what) : layout(text) {
    int64_t factor = 0;
    bool ok = true;
    for (char c : text) {
      if (std::isdigit(static_cast<unsigned char>(c))) {
        factor = factor * 10 + (c - '0');
        continue;
      }
      char up = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      ok = ok && canon.find(up) != std::string::npos && (std::isupper(static_cast<unsigned char>(c)) ? factor == 0
                                                                                                      : factor > 0);
      letters.push_back(c);
      factors.push_back(std::isupper(static_cast<unsigned char>(c)) ? 0 : factor);
      factor = 0;
    }
    for (char c : canon) ok = ok && std::count(letters.begin(), letters.end(), c) == 1;
    for (char c : canon) {
      ok = ok && std::count(letters.begin(), letters.end(), static_cast<char>(std::tolower(c))) <= 1;
    }
    TVM_CHECK(ok && factor == 0, "TypeError") << what << " \"" << text << "\" is not supported (expected the axes "
                                              << canon << ", optionally with blocked sub-axes such as NCHW16c)";
  }
  size_t ndim() const { return letters.size(); }

  /*! \brief The primal extents in `canon` order (a blocked axis times its block). */
  Array<PrimExpr> ToCanonical(const Array<PrimExpr>& shape, const std::string& canon) const {
    Array<PrimExpr> out;
    for (char c : canon) {
      PrimExpr d;
      for (size_t i = 0; i < letters.size(); ++i) {
        if (letters[i] == c) d = shape[i];
      }
      for (size_t i = 0; i < letters.size(); ++i) {
        if (letters[i] == std::tolower(c) && !IsAny(d)) d = d * Integer(factors[i]);
      }
      out.push_back(d);
    }
    return out;
  }

  /*! \brief A shape in this layout from primal extents in `canon` order. */
  Array<PrimExpr> FromCanonical(const Array<PrimExpr>& canon_shape, const std::string& canon) const {
    Array<PrimExpr> out;
    for (size_t i = 0; i < letters.size(); ++i) {
      if (factors[i] > 0) {
        out.push_back(Integer(factors[i]));
        continue;
      }
      PrimExpr d = canon_shape[canon.find(letters[i])];
      for (size_t j = 0; j < letters.size(); ++j) {
        if (letters[j] == std::tolower(letters[i]) && !IsAny(d)) {
          if (auto v = ConstDim(d)) {
            TVM_CHECK(*v % factors[j] == 0, "TypeError") << "axis " << letters[i] << " (extent " << *v
                                                         << ") does not split into blocks of " << factors[j]
                                                         << " for layout " << layout;
          }
          d = indexdiv(d, Integer(factors[j]));
        }
      }
      out.push_back(d);
    }
    return out;
  }
};

/*! \brief (before, after) of spatial axis i from TVM's padding forms (1, n or 2n entries). */
std::pair<PrimExpr, PrimExpr> PadPair(const Array<PrimExpr>& padding, int n, int i) {
  if (padding.empty()) return {Integer(0), Integer(0)};
  if (padding.size() == 1) return {padding[0], padding[0]};
  if (static_cast<int>(padding.size()) == n) return {padding[i], padding[i]};
  TVM_CHECK(static_cast<int>(padding.size()) == 2 * n, "TypeError")
      << "padding must have 1, " << n << " or " << 2 * n << " entries, got " << padding.size();
  return {padding[i], padding[i + n]};
}

void CheckWindowArray(const Array<PrimExpr>& a, int n, const char* what) {
  TVM_CHECK(static_cast<int>(a.size()) == n, "TypeError")
      << what << " must have " << n << " entries, got " << a.size();
  for (const PrimExpr& e : a) {
    if (auto v = ConstDim(e)) {
      TVM_CHECK(*v > 0, "TypeError") << what << " entries must be positive, got " << ShapeString(a);
    }
  }
}

template <typename T, typename = void>
struct HasOutputPadding : std::false_type {};
template <typename T>
struct HasOutputPadding<T, std::void_t<decltype(std::declval<T>().output_padding)>> : std::true_type {};

template <typename AttrsT>
bool ConvRel(int n, bool transpose, const Array<Type>& types, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  if (data == nullptr) return false;
  const auto* p = attrs.as<AttrsT>();
  std::string sp = SpatialLetters(n);
  const std::string dcanon = "NC" + sp, kcanon = "OI" + sp;
  LayoutView dlayout(p->data_layout, dcanon, "data_layout");
  LayoutView klayout(p->kernel_layout, kcanon, "kernel_layout");
  LayoutView olayout(p->out_layout.empty() ? p->data_layout : p->out_layout, dcanon, "out_layout");
  TVM_CHECK(data->shape.size() == dlayout.ndim(), "TypeError")
      << "data must be " << dlayout.ndim() << "-D in layout " << p->data_layout << ", got shape "
      << ShapeString(data->shape);
  CheckWindowArray(p->strides, n, "strides");
  CheckWindowArray(p->dilation, n, "dilation");
  TVM_CHECK(p->groups > 0, "TypeError") << "groups must be positive, got " << p->groups;
  Array<PrimExpr> dshape = dlayout.ToCanonical(data->shape, dcanon);
  PrimExpr in_channels = dshape[1];
  int64_t groups = p->groups;
  if (auto c = ConstDim(in_channels)) {
    TVM_CHECK(*c % groups == 0, "TypeError") << "the " << *c << " input channels of data "
                                             << ShapeString(data->shape) << " do not divide into groups=" << groups;
  }

  // The weight in canonical order: (O, I, k...) for conv; for the transposes the
  // kernel's O letter holds the output channels per group and I the input channels.
  Array<PrimExpr> wshape;
  const auto* weight = TensorArg(types, 1, "weight");
  if (weight == nullptr) {
    if (!p->channels.defined() || p->kernel_size.empty()) return false;
    CheckWindowArray(p->kernel_size, n, "kernel_size");
    if (!transpose) {
      wshape = {p->channels, indexdiv(in_channels, Integer(groups))};
    } else {
      wshape = {indexdiv(p->channels, Integer(groups)), in_channels};
    }
    for (const PrimExpr& k : p->kernel_size) wshape.push_back(k);
    reporter->Assign(types[1], TensorType(klayout.FromCanonical(wshape, kcanon), data->dtype));
  } else {
    TVM_CHECK(weight->shape.size() == klayout.ndim(), "TypeError")
        << "weight must be " << klayout.ndim() << "-D in layout " << p->kernel_layout << ", got shape "
        << ShapeString(weight->shape) << " (data " << ShapeString(data->shape) << ")";
    wshape = klayout.ToCanonical(weight->shape, kcanon);
    // Depthwise kernels written with O and I swapped (HWOI: (kh, kw, C, multiplier)).
    bool swapped = false;
    if (!transpose) {
      auto ci = ConstDim(wshape[1]), co = ConstDim(wshape[0]), c = ConstDim(in_channels);
      if (ci && co && c && *ci * groups != *c && *co == *c && groups == *c) {
        wshape = Array<PrimExpr>{Integer(*c * *ci), Integer(1)};
        for (int i = 0; i < n; ++i) wshape.push_back(klayout.ToCanonical(weight->shape, kcanon)[2 + i]);
        swapped = true;
      }
    }
    PrimExpr expect_in = transpose ? in_channels : indexdiv(in_channels, Integer(groups));
    PrimExpr got_in = wshape[1];
    TVM_CHECK(swapped || DimsMayMatch(reporter, got_in, expect_in), "TypeError")
        << "weight " << ShapeString(weight->shape) << " (layout " << p->kernel_layout << ") expects "
        << (transpose ? got_in : got_in * Integer(groups)) << " input channels, but data " << ShapeString(data->shape)
        << " (layout " << p->data_layout << ") has " << in_channels
        << (groups > 1 ? " (groups=" + std::to_string(groups) + ")" : std::string());
    if (p->channels.defined()) {
      PrimExpr wout = transpose ? wshape[0] * Integer(groups) : wshape[0];
      TVM_CHECK(DimsMayMatch(reporter, p->channels, wout), "TypeError")
          << "channels=" << p->channels << " but weight " << ShapeString(weight->shape) << " has " << wout
          << " output channels";
    }
    if (!p->kernel_size.empty()) {
      CheckWindowArray(p->kernel_size, n, "kernel_size");
      for (int i = 0; i < n; ++i) {
        TVM_CHECK(DimsMayMatch(reporter, p->kernel_size[i], wshape[2 + i]), "TypeError")
            << "kernel_size=" << ShapeString(p->kernel_size) << " but weight " << ShapeString(weight->shape)
            << " has a " << ShapeString(Array<PrimExpr>(wshape.begin() + 2, wshape.end())) << " kernel";
      }
    }
    if (!transpose) {
      if (auto o = ConstDim(wshape[0])) {
        TVM_CHECK(*o % groups == 0, "TypeError") << "the " << *o << " output channels of weight "
                                                 << ShapeString(weight->shape)
                                                 << " do not divide into groups=" << groups;
      }
    }
  }

  Array<PrimExpr> oshape{dshape[0], transpose ? wshape[0] * Integer(groups) : wshape[0]};
  for (int i = 0; i < n; ++i) {
    auto [before, after] = PadPair(p->padding, n, i);
    PrimExpr in = dshape[2 + i], k = wshape[2 + i], d = p->dilation[i], s = p->strides[i];
    PrimExpr out;
    if (IsAny(in)) {
      out = in;
    } else if (!transpose) {
      out = WindowOut(in, before + after, k, d, s);
      if (auto v = ConstDim(out)) {
        TVM_CHECK(*v > 0, "TypeError") << "the dilated kernel " << ShapeString(wshape)
                                       << " is larger than the padded input " << ShapeString(data->shape);
      }
    } else {
      PrimExpr out_pad = Integer(0);
      if constexpr (HasOutputPadding<AttrsT>::value) {
        if (static_cast<int>(p->output_padding.size()) > i) out_pad = p->output_padding[i];
      }
      out = (in - 1) * s - before - after + (k - 1) * d + 1 + out_pad;
    }
    oshape.push_back(out);
  }
  DataType out_dtype = OutDtypeOr(p->out_dtype, data->dtype);
  reporter->Assign(types[2], TensorType(olayout.FromCanonical(oshape, dcanon), out_dtype));
  return true;
}

/*!
 * \brief deformable_conv2d(data, offset, weight): conv2d's output; offset holds
 *  (dy, dx) for each kernel tap of each deformable group at each output position.
 */
bool DeformableConv2DRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  // The conv relation over (data, weight, out), then the offset against the output.
  if (!ConvRel<DeformableConv2DAttrs>(2, false, {types[0], types[2], types[3]}, attrs, reporter)) return false;
  const auto* offset = TensorArg(types, 1, "offset");
  const auto* p = attrs.as<DeformableConv2DAttrs>();
  const auto* weight = TensorArg(types, 2, "weight");
  const auto* data = TensorArg(types, 0, "data");
  if (weight == nullptr) return false;
  LayoutView dlayout(p->data_layout, "NCHW", "data_layout");
  LayoutView klayout(p->kernel_layout, "OIHW", "kernel_layout");
  Array<PrimExpr> w = klayout.ToCanonical(weight->shape, "OIHW");
  Array<PrimExpr> d = dlayout.ToCanonical(data->shape, "NCHW");
  TVM_CHECK(p->deformable_groups > 0, "TypeError") << "deformable_groups must be positive, got "
                                                   << p->deformable_groups;
  Array<PrimExpr> expect{d[0], Integer(2 * p->deformable_groups) * w[2] * w[3]};
  for (int i = 0; i < 2; ++i) {
    auto [before, after] = PadPair(p->padding, 2, i);
    expect.push_back(WindowOut(d[2 + i], before + after, w[2 + i], p->dilation[i], p->strides[i]));
  }
  Array<PrimExpr> oshape = dlayout.FromCanonical(expect, "NCHW");
  if (offset == nullptr) {  // an unannotated offset takes the shape it must have
    reporter->Assign(types[1], TensorType(oshape, data->dtype));
    return true;
  }
  bool ok = offset->shape.size() == oshape.size();
  for (size_t i = 0; ok && i < oshape.size(); ++i) ok = DimsMayMatch(reporter, offset->shape[i], oshape[i]);
  TVM_CHECK(ok, "TypeError") << "offset " << ShapeString(offset->shape) << " must have shape "
                             << ShapeString(oshape) << " (2 * deformable_groups * kernel taps channels at each output"
                             << " position of data " << ShapeString(data->shape) << " and weight "
                             << ShapeString(weight->shape) << ")";
  return true;
}

template <typename AttrsT>
ObjectPtr<AttrsT> FillConvAttrs(Array<PrimExpr> strides, Array<PrimExpr> padding, Array<PrimExpr> dilation,
                                int groups, PrimExpr channels, Array<PrimExpr> kernel_size, std::string data_layout,
                                std::string kernel_layout, std::string out_layout, DataType out_dtype) {
  auto attrs = make_object<AttrsT>();
  attrs->strides = std::move(strides);
  attrs->padding = std::move(padding);
  attrs->dilation = std::move(dilation);
  attrs->groups = groups;
  attrs->channels = std::move(channels);
  attrs->kernel_size = std::move(kernel_size);
  attrs->data_layout = std::move(data_layout);
  attrs->kernel_layout = std::move(kernel_layout);
  attrs->out_layout = std::move(out_layout);
  attrs->out_dtype = out_dtype;
  return attrs;
}

template <typename AttrsT>
void RegisterConv(const char* op_name, const char* make_name, int n, int level) {
  runtime::Registry::Register(make_name).set_body_typed(
      [op_name](Expr data, Expr weight, Array<PrimExpr> strides, Array<PrimExpr> padding, Array<PrimExpr> dilation,
                int groups, PrimExpr channels, Array<PrimExpr> kernel_size, std::string data_layout,
                std::string kernel_layout, std::string out_layout, DataType out_dtype) {
        auto attrs = FillConvAttrs<AttrsT>(strides, padding, dilation, groups, channels, kernel_size, data_layout,
                                           kernel_layout, out_layout, out_dtype);
        return MakeOpCall(op_name, {data, weight}, Attrs(attrs));
      });
  OpRegEntry::RegisterOrGet(op_name)
      .describe("convolution over the spatial axes of data with weight")
      .set_num_inputs(2)
      .add_argument("data", "Tensor", "the input")
      .add_argument("weight", "Tensor", "the filters")
      .template set_attrs_type<AttrsT>()
      .set_support_level(level)
      .add_type_rel(std::string("Conv") + std::to_string(n) + "D",
                    [n](const Array<Type>& t, int, const Attrs& a, const TypeReporter& r) {
                      return ConvRel<AttrsT>(n, false, t, a, r);
                    })
      .template set_attr<TOpPattern>("TOpPattern", kOutEWiseFusable);
}

template <typename AttrsT>
void RegisterConvTranspose(const char* op_name, const char* make_name, int n, int level) {
  runtime::Registry::Register(make_name).set_body_typed(
      [op_name](Expr data, Expr weight, Array<PrimExpr> strides, Array<PrimExpr> padding, Array<PrimExpr> dilation,
                int groups, PrimExpr channels, Array<PrimExpr> kernel_size, std::string data_layout,
                std::string kernel_layout, std::string out_layout, Array<PrimExpr> output_padding,
                DataType out_dtype) {
        auto attrs = FillConvAttrs<AttrsT>(strides, padding, dilation, groups, channels, kernel_size, data_layout,
                                           kernel_layout, out_layout, out_dtype);
        attrs->output_padding = std::move(output_padding);
        return MakeOpCall(op_name, {data, weight}, Attrs(attrs));
      });
  OpRegEntry::RegisterOrGet(op_name)
      .describe("transposed convolution (the gradient of conv with respect to its input)")
      .set_num_inputs(2)
      .add_argument("data", "Tensor", "the input")
      .add_argument("weight", "Tensor", "the filters")
      .template set_attrs_type<AttrsT>()
      .set_support_level(level)
      .add_type_rel(std::string("Conv") + std::to_string(n) + "DTranspose",
                    [n](const Array<Type>& t, int, const Attrs& a, const TypeReporter& r) {
                      return ConvRel<AttrsT>(n, true, t, a, r);
                    })
      .template set_attr<TOpPattern>("TOpPattern", kOutEWiseFusable);
}

[[maybe_unused]] const int kRegistered = [] {
  RegisterConv<Conv1DAttrs>("nn.conv1d", "relay.op.nn._make.conv1d", 1, 2);
  RegisterConv<Conv2DAttrs>("nn.conv2d", "relay.op.nn._make.conv2d", 2, 2);
  RegisterConv<Conv3DAttrs>("nn.conv3d", "relay.op.nn._make.conv3d", 3, 2);
  RegisterConvTranspose<Conv1DTransposeAttrs>("nn.conv1d_transpose", "relay.op.nn._make.conv1d_transpose", 1, 2);
  RegisterConvTranspose<Conv2DTransposeAttrs>("nn.conv2d_transpose", "relay.op.nn._make.conv2d_transpose", 2, 2);
  RegisterConvTranspose<Conv3DTransposeAttrs>("nn.conv3d_transpose", "relay.op.nn._make.conv3d_transpose", 3, 2);
  runtime::Registry::Register("relay.op.nn._make.deformable_conv2d")
      .set_body_typed([](Expr data, Expr offset, Expr weight, Array<PrimExpr> strides, Array<PrimExpr> padding,
                         Array<PrimExpr> dilation, int deformable_groups, int groups, PrimExpr channels,
                         Array<PrimExpr> kernel_size, std::string data_layout, std::string kernel_layout,
                         std::string out_layout, DataType out_dtype) {
        auto attrs = FillConvAttrs<DeformableConv2DAttrs>(strides, padding, dilation, groups, channels, kernel_size,
                                                          data_layout, kernel_layout, out_layout, out_dtype);
        attrs->deformable_groups = deformable_groups;
        return MakeOpCall("nn.deformable_conv2d", {data, offset, weight}, Attrs(attrs));
      });
  OpRegEntry::RegisterOrGet("nn.deformable_conv2d")
      .describe("2-D convolution sampling at positions moved by offset")
      .set_num_inputs(3)
      .add_argument("data", "Tensor", "the input")
      .add_argument("offset", "Tensor", "the sampling offsets")
      .add_argument("weight", "Tensor", "the filters")
      .set_attrs_type<DeformableConv2DAttrs>()
      .set_support_level(5)
      .add_type_rel("DeformableConv2D", DeformableConv2DRel)
      .set_attr<TOpPattern>("TOpPattern", kOutEWiseFusable);
  return 0;
}();

}  // namespace

// nn.conv2d's relation, shared with the blocked-layout convolutions (convolution_nchwc.cc).
bool Conv2DLayoutRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  return ConvRel<Conv2DAttrs>(2, false, types, attrs, reporter);
}

// nn.conv2d's attributes from its constructor's arguments, shared the same way.
Attrs MakeConv2DAttrs(Array<PrimExpr> strides, Array<PrimExpr> padding, Array<PrimExpr> dilation, int groups,
                      PrimExpr channels, Array<PrimExpr> kernel_size, std::string data_layout,
                      std::string kernel_layout, std::string out_layout, DataType out_dtype) {
  return Attrs(FillConvAttrs<Conv2DAttrs>(std::move(strides), std::move(padding), std::move(dilation), groups,
                                          std::move(channels), std::move(kernel_size), std::move(data_layout),
                                          std::move(kernel_layout), std::move(out_layout), out_dtype));
}

}  // namespace relay
}  // namespace tvm
