/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/relay/op/image/dilation2d.cc
 * \brief image.dilation2d: out[n, c, y, x] = max over the window of
 *  data[n, c, y * s + i * d, x * s + j * d] + kernel[c, i, j]. The kernel has
 *  one channel per data channel (layout IHW for NCHW data, HWI for NHWC).
 */
#include <tvm/relay/attrs/image.h>
#include <tvm/runtime/registry.h>

#include <string>

#include "../type_check.h"

namespace tvm {
namespace relay {

TVM_REGISTER_NODE_TYPE(Dilation2DAttrs);

namespace {

bool Dilation2DRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  const auto* weight = TensorArg(types, 1, "weight");
  if (data == nullptr || weight == nullptr) return false;
  const auto* p = attrs.as<Dilation2DAttrs>();
  TVM_CHECK((p->data_layout == "NCHW" && p->kernel_layout == "IHW") ||
                (p->data_layout == "NHWC" && p->kernel_layout == "HWI"),
            "TypeError")
      << "layouts must be NCHW with IHW or NHWC with HWI, got " << p->data_layout << " and " << p->kernel_layout;
  TVM_CHECK(data->shape.size() == 4 && weight->shape.size() == 3, "TypeError")
      << "data must be 4-D and weight 3-D, got " << ShapeString(data->shape) << " and " << ShapeString(weight->shape);
  bool nchw = p->data_layout == "NCHW";
  PrimExpr c = data->shape[nchw ? 1 : 3], wc = weight->shape[nchw ? 0 : 2];
  TVM_CHECK(DimsMayMatch(reporter, c, wc), "TypeError") << "weight " << ShapeString(weight->shape) << " has " << wc
                                                        << " channels but data " << ShapeString(data->shape)
                                                        << " has " << c;
  // (h, w), or TensorFlow's (1, h, w, 1).
  auto spatial = [](const Array<PrimExpr>& a, const char* what) {
    bool tf = a.size() == 4 && ConstDim(a[0]) == 1 && ConstDim(a[3]) == 1;
    TVM_CHECK(a.size() == 2 || tf, "TypeError") << what << " must be (h, w) or (1, h, w, 1), got " << ShapeString(a);
    return tf ? Array<PrimExpr>{a[1], a[2]} : a;
  };
  Array<PrimExpr> strides = spatial(p->strides, "strides"), dilations = spatial(p->dilations, "dilations");
  TVM_CHECK(p->padding.size() == 2 || p->padding.size() == 4, "TypeError")
      << "padding must have 2 or 4 entries, got " << ShapeString(p->padding);
  Array<PrimExpr> oshape = data->shape;
  for (int i = 0; i < 2; ++i) {
    PrimExpr pad = p->padding.size() == 2 ? p->padding[i] * 2 : p->padding[i] + p->padding[i + 2];
    PrimExpr k = weight->shape[nchw ? 1 + i : i];
    PrimExpr out = WindowOut(data->shape[nchw ? 2 + i : 1 + i], pad, k, dilations[i], strides[i]);
    if (auto v = ConstDim(out)) {
      TVM_CHECK(*v > 0, "TypeError") << "the dilated kernel " << ShapeString(weight->shape)
                                     << " is larger than the padded input " << ShapeString(data->shape);
    }
    oshape.Set(nchw ? 2 + i : 1 + i, out);
  }
  reporter->Assign(types[2], TensorType(oshape, OutDtypeOr(p->out_dtype, data->dtype)));
  return true;
}

[[maybe_unused]] const int kRegistered = [] {
  runtime::Registry::Register("relay.op.image._make.dilation2d")
      .set_body_typed([](Expr data, Expr weight, Array<PrimExpr> strides, Array<PrimExpr> padding,
                         Array<PrimExpr> dilations, std::string data_layout, std::string kernel_layout,
                         DataType out_dtype) {
        auto a = make_object<Dilation2DAttrs>();
        a->strides = strides;
        a->padding = padding;
        a->dilations = dilations;
        a->data_layout = data_layout;
        a->kernel_layout = kernel_layout;
        a->out_dtype = out_dtype;
        return MakeOpCall("image.dilation2d", {data, weight}, Attrs(a));
      });
  OpRegEntry::RegisterOrGet("image.dilation2d")
      .describe("grey-scale morphological dilation")
      .set_num_inputs(2)
      .add_argument("data", "Tensor", "the input")
      .add_argument("weight", "Tensor", "the structuring element")
      .set_attrs_type<Dilation2DAttrs>()
      .set_support_level(2)
      .add_type_rel("Dilation2D", Dilation2DRel)
      .set_attr<TOpPattern>("TOpPattern", kOutEWiseFusable);
  return 0;
}();

}  // namespace
}  // namespace relay
}  // namespace tvm
