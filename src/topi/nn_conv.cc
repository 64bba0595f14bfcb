/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/topi/nn_conv.cc
 * \brief Convolution of any spatial rank and layout from one definition: the
 *  layout strings say where N, C and the spatial axes sit, so conv1d/2d/3d in
 *  NC* and N*C layouts, grouped and depthwise convolution all share it.
 *  Padding is a separate "injective,pad" stage that schedules inline.
 */
#include <tvm/runtime/registry.h>
#include <tvm/te/operation.h>
#include <tvm/topi/nn.h>
#include <tvm/topi/nn/conv.h>
#include <tvm/topi/nn/nn_utils.h>

namespace tvm {
namespace topi {
namespace nn {

using namespace tvm::te;
using namespace tvm::tir;

namespace {

/*! \brief Positions of the batch, channel and spatial (in D, H, W order) axes of a layout. */
struct LayoutAxes {
  int batch = -1;     // N, or O for kernels
  int channel = -1;   // C, or I for kernels
  std::vector<int> spatial;
};

LayoutAxes ParseLayout(const std::string& layout, char batch, char channel, const std::string& op,
                       const std::string& what) {
  LayoutAxes r;
  int d = -1, h = -1, w = -1;
  for (size_t i = 0; i < layout.size(); ++i) {
    char c = layout[i];
    int* slot = c == batch ? &r.batch : c == channel ? &r.channel : c == 'D' ? &d : c == 'H' ? &h : c == 'W' ? &w
                                                                                                            : nullptr;
    TVM_CHECK(slot != nullptr && *slot == -1, "ValueError")
        << op << ": unsupported " << what << " \"" << layout << "\" (expected the letters " << batch << ", "
        << channel << " and D/H/W, each once)";
    *slot = static_cast<int>(i);
  }
  TVM_CHECK(r.batch >= 0 && r.channel >= 0 && w >= 0 && (d < 0 || h >= 0), "ValueError")
      << op << ": unsupported " << what << " \"" << layout << "\"";
  if (d >= 0) r.spatial.push_back(d);
  if (h >= 0) r.spatial.push_back(h);
  r.spatial.push_back(w);
  return r;
}

void CheckCount(const Array<PrimExpr>& a, size_t n, const std::string& op, const std::string& what) {
  TVM_CHECK(a.size() == n, "ValueError") << op << ": " << what << " must have " << n << " entries, got "
                                         << a.size() << " " << ShapeString(a);
}

}  // namespace

Tensor conv(const Tensor& data, const Tensor& weight, const Array<PrimExpr>& strides, const Array<PrimExpr>& padding,
            const Array<PrimExpr>& dilation, int groups, const std::string& data_layout,
            const std::string& kernel_layout, DataType out_dtype, const std::string& name, const std::string& tag) {
  const std::string op = tag.empty() ? name : tag;
  TVM_CHECK(data->shape.size() == data_layout.size(), "ValueError")
      << op << ": data of shape " << ShapeString(data->shape) << " does not have layout " << data_layout;
  TVM_CHECK(weight->shape.size() == kernel_layout.size(), "ValueError")
      << op << ": weight of shape " << ShapeString(weight->shape) << " does not have layout " << kernel_layout;
  LayoutAxes dl = ParseLayout(data_layout, 'N', 'C', op, "data layout");
  LayoutAxes kl = ParseLayout(kernel_layout, 'O', 'I', op, "kernel layout");
  size_t ns = dl.spatial.size();
  TVM_CHECK(kl.spatial.size() == ns, "ValueError")
      << op << ": kernel layout " << kernel_layout << " does not match data layout " << data_layout;
  CheckCount(strides, ns, op, "strides");
  CheckCount(dilation, ns, op, "dilation");
  CheckCount(padding, 2 * ns, op, "padding");
  TVM_CHECK(groups >= 1, "ValueError") << op << ": groups must be positive, got " << groups;
  if (out_dtype.is_void()) out_dtype = data->dtype;

  PrimExpr in_channels = data->shape[dl.channel];
  PrimExpr out_channels = weight->shape[kl.batch];
  PrimExpr group_in = weight->shape[kl.channel];
  auto ic = as_const_int(in_channels), oc = as_const_int(out_channels), gi = as_const_int(group_in);
  TVM_CHECK(!ic || !gi || *ic == *gi * groups, "ValueError")
      << op << ": data of shape " << ShapeString(data->shape) << " (" << data_layout << ") has " << *ic
      << " channels but weight of shape " << ShapeString(weight->shape) << " (" << kernel_layout << ") with groups="
      << groups << " expects " << (gi ? *gi * groups : 0);
  TVM_CHECK(!oc || *oc % groups == 0, "ValueError")
      << op << ": " << *oc << " output channels are not divisible by groups=" << groups;
  PrimExpr group_out = indexdiv(out_channels, groups);

  // Pad the spatial axes (only when some padding is non-zero).
  Array<PrimExpr> before, after;
  for (size_t i = 0; i < data->shape.size(); ++i) {
    before.push_back(0);
    after.push_back(0);
  }
  bool any_pad = false;
  for (size_t s = 0; s < ns; ++s) {
    for (size_t side = 0; side < 2; ++side) {
      int64_t p = ConstInt(padding[side * ns + s], op, "padding");
      TVM_CHECK(p >= 0, "ValueError") << op << ": negative padding " << ShapeString(padding);
      any_pad |= p != 0;
    }
    before.Set(dl.spatial[s], padding[s]);
    after.Set(dl.spatial[s], padding[ns + s]);
  }
  Tensor padded = any_pad ? topi::pad(data, before, after, make_zero(data->dtype), "pad_temp") : data;

  // Output shape: (in + pads - dilated kernel) / stride + 1, per spatial axis.
  Array<PrimExpr> out_shape = data->shape;
  out_shape.Set(dl.channel, out_channels);
  for (size_t s = 0; s < ns; ++s) {
    int64_t stride = ConstInt(strides[s], op, "strides");
    int64_t dil = ConstInt(dilation[s], op, "dilation");
    TVM_CHECK(stride >= 1 && dil >= 1, "ValueError")
        << op << ": strides " << ShapeString(strides) << " and dilation " << ShapeString(dilation)
        << " must be positive";
    PrimExpr in = padded->shape[dl.spatial[s]];
    PrimExpr k = weight->shape[kl.spatial[s]];
    PrimExpr span = (k - 1) * static_cast<int>(dil) + 1;
    auto vi = as_const_int(in), vk = as_const_int(span);
    TVM_CHECK(!vi || !vk || *vi >= *vk, "ValueError")
        << op << ": the dilated kernel (" << *vk << ") is larger than the padded input (" << *vi
        << ") on spatial axis " << s << "; data " << ShapeString(data->shape) << ", weight "
        << ShapeString(weight->shape);
    out_shape.Set(dl.spatial[s], indexdiv(in - span, static_cast<int>(stride)) + 1);
  }

  IterVar rc = reduce_axis(Range(0, group_in), "rc");
  std::vector<IterVar> rk;
  const char* names[] = {"rd", "rh", "rw"};
  for (size_t s = 0; s < ns; ++s) {
    rk.push_back(reduce_axis(Range(0, weight->shape[kl.spatial[s]]), names[3 - ns + s]));
  }
  Array<IterVar> raxes{rc};
  for (auto& r : rk) raxes.push_back(r);
  return compute(
      out_shape,
      [&](const Array<Var>& idx) {
        Array<PrimExpr> di(std::vector<PrimExpr>(data->shape.size(), PrimExpr(0)));
        Array<PrimExpr> wi(std::vector<PrimExpr>(weight->shape.size(), PrimExpr(0)));
        PrimExpr o = idx[dl.channel];
        di.Set(dl.batch, idx[dl.batch]);
        di.Set(dl.channel, groups == 1 ? PrimExpr(rc) : indexdiv(o, group_out) * group_in + rc);
        wi.Set(kl.batch, o);
        wi.Set(kl.channel, rc);
        for (size_t s = 0; s < ns; ++s) {
          di.Set(dl.spatial[s], idx[dl.spatial[s]] * strides[s] + rk[s] * dilation[s]);
          wi.Set(kl.spatial[s], rk[s]);
        }
        return te::sum(cast(out_dtype, padded(di)) * cast(out_dtype, weight(wi)), raxes);
      },
      name, tag);
}

Tensor conv_transpose(const Tensor& data, const Tensor& weight, const Array<PrimExpr>& strides,
                      const Array<PrimExpr>& padding, const Array<PrimExpr>& output_padding,
                      const Array<PrimExpr>& dilation, int groups, DataType out_dtype, const std::string& name,
                      const std::string& tag) {
  const std::string op = tag.empty() ? name : tag;
  size_t rank = data->shape.size();
  TVM_CHECK(rank >= 3 && rank <= 5 && weight->shape.size() == rank, "ValueError")
      << op << ": data " << ShapeString(data->shape) << " and weight " << ShapeString(weight->shape)
      << " must both be 3-d, 4-d or 5-d (channel-first)";
  size_t ns = rank - 2;
  CheckCount(strides, ns, op, "strides");
  CheckCount(dilation, ns, op, "dilation");
  CheckCount(output_padding, ns, op, "output_padding");
  CheckCount(padding, 2 * ns, op, "padding");
  TVM_CHECK(groups >= 1, "ValueError") << op << ": groups must be positive, got " << groups;
  if (out_dtype.is_void()) out_dtype = data->dtype;
  auto ic = as_const_int(data->shape[1]), wic = as_const_int(weight->shape[0]);
  TVM_CHECK(!ic || !wic || *ic == *wic, "ValueError")
      << op << ": data of shape " << ShapeString(data->shape) << " has " << *ic << " channels but weight of shape "
      << ShapeString(weight->shape) << " has " << *wic << " input channels";
  TVM_CHECK(!ic || *ic % groups == 0, "ValueError")
      << op << ": " << *ic << " input channels are not divisible by groups=" << groups;
  PrimExpr group_in = indexdiv(data->shape[1], groups);
  PrimExpr group_out = weight->shape[1];

  // out[o] gathers in[i] * w[k] over o = i * stride + k * dil - pad_before.
  std::vector<int64_t> st(ns), dl(ns), pb(ns);
  Array<PrimExpr> out_shape{data->shape[0], group_out * groups};
  for (size_t s = 0; s < ns; ++s) {
    st[s] = ConstInt(strides[s], op, "strides");
    dl[s] = ConstInt(dilation[s], op, "dilation");
    pb[s] = ConstInt(padding[s], op, "padding");
    int64_t pa = ConstInt(padding[ns + s], op, "padding");
    int64_t opad = ConstInt(output_padding[s], op, "output_padding");
    TVM_CHECK(st[s] >= 1 && dl[s] >= 1 && pb[s] >= 0 && pa >= 0, "ValueError")
        << op << ": strides, dilation must be positive and padding non-negative";
    TVM_CHECK(opad >= 0 && (opad < st[s] || opad < dl[s]), "ValueError")
        << op << ": output_padding " << ShapeString(output_padding) << " must be smaller than the stride "
        << ShapeString(strides) << " or the dilation";
    PrimExpr k = weight->shape[2 + s];
    out_shape.push_back((data->shape[2 + s] - 1) * static_cast<int>(st[s]) - static_cast<int>(pb[s] + pa) +
                        (k - 1) * static_cast<int>(dl[s]) + 1 + static_cast<int>(opad));
  }
  // The input dilated by the stride and padded so that out[o] = sum_k P[o + k * dil] * w[K - 1 - k]:
  // P[r] = in[q / stride] where q = r - ((K - 1) * dil - pad_before) is a multiple of the stride
  // inside the dilated input, else 0. A stage of its own ("pad"), so the reduction reads plain loads.
  Array<PrimExpr> padded_shape{data->shape[0], data->shape[1]};
  std::vector<int64_t> offset(ns);
  for (size_t s = 0; s < ns; ++s) {
    int64_t k = ConstInt(weight->shape[2 + s], op, "kernel size");
    offset[s] = (k - 1) * dl[s] - pb[s];
    padded_shape.push_back(out_shape[2 + s] + static_cast<int>((k - 1) * dl[s]));
  }
  Tensor padded = compute(
      padded_shape,
      [&](const Array<Var>& idx) {
        Array<PrimExpr> di{idx[0], idx[1]};
        PrimExpr valid = const_true();
        for (size_t s = 0; s < ns; ++s) {
          PrimExpr q = idx[2 + s] - static_cast<int>(offset[s]);
          PrimExpr i = indexdiv(q, static_cast<int>(st[s]));
          valid = logical_and(valid, logical_and(q >= 0, i < data->shape[2 + s]));
          if (st[s] != 1) valid = logical_and(valid, indexmod(q, static_cast<int>(st[s])) == 0);
          di.push_back(tvm::min(tvm::max(i, 0), data->shape[2 + s] - 1));
        }
        return if_then_else(valid, data(di), make_zero(data->dtype));
      },
      "data_pad", "injective,pad");
  IterVar rc = reduce_axis(Range(0, group_in), "rc");
  std::vector<IterVar> rk;
  const char* names[] = {"rd", "rh", "rw"};
  Array<IterVar> raxes{rc};
  for (size_t s = 0; s < ns; ++s) {
    rk.push_back(reduce_axis(Range(0, weight->shape[2 + s]), names[3 - ns + s]));
    raxes.push_back(rk.back());
  }
  return compute(
      out_shape,
      [&](const Array<Var>& idx) {
        PrimExpr o = idx[1];
        PrimExpr in_c = groups == 1 ? PrimExpr(rc) : indexdiv(o, group_out) * group_in + rc;
        Array<PrimExpr> di{idx[0], in_c};
        Array<PrimExpr> wi{in_c, groups == 1 ? o : indexmod(o, group_out)};
        for (size_t s = 0; s < ns; ++s) {
          di.push_back(idx[2 + s] + rk[s] * static_cast<int>(dl[s]));
          wi.push_back(weight->shape[2 + s] - 1 - rk[s]);
        }
        return te::sum(cast(out_dtype, padded(di)) * cast(out_dtype, weight(wi)), raxes);
      },
      name, tag);
}

namespace {
DataType DType(const std::string& s) { return s.empty() ? DataType() : DataType(runtime::String2DLDataType(s)); }
}  // namespace

TVM_REGISTER_GLOBAL("topi.nn.conv")
    .set_body_typed([](Tensor data, Tensor weight, Array<PrimExpr> strides, Array<PrimExpr> padding,
                       Array<PrimExpr> dilation, int groups, std::string data_layout, std::string kernel_layout,
                       std::string out_dtype, std::string name, std::string tag) {
      return conv(data, weight, strides, padding, dilation, groups, data_layout, kernel_layout, DType(out_dtype),
                  name, tag);
    });
TVM_REGISTER_GLOBAL("topi.nn.conv_transpose")
    .set_body_typed([](Tensor data, Tensor weight, Array<PrimExpr> strides, Array<PrimExpr> padding,
                       Array<PrimExpr> output_padding, Array<PrimExpr> dilation, int groups, std::string out_dtype,
                       std::string name, std::string tag) {
      return conv_transpose(data, weight, strides, padding, output_padding, dilation, groups, DType(out_dtype), name,
                            tag);
    });

}  // namespace nn
}  // namespace topi
}  // namespace tvm
