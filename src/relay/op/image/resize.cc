/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/relay/op/image/resize.cc
 * \brief image.resize1d/2d/3d: the spatial axes of the layout take `size`;
 *  the method, coordinate transformation and rounding are checked by name.
 */
#include <tvm/relay/attrs/image.h>
#include <tvm/runtime/registry.h>

#include <set>
#include <string>

#include "../type_check.h"

namespace tvm {
namespace relay {

TVM_REGISTER_NODE_TYPE(Resize1DAttrs);
TVM_REGISTER_NODE_TYPE(Resize2DAttrs);
TVM_REGISTER_NODE_TYPE(Resize3DAttrs);

namespace {

template <typename AttrsT>
bool ResizeRel(int n, const Array<Type>& types, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  if (data == nullptr) return false;
  const auto* p = attrs.as<AttrsT>();
  static const std::set<std::string> kMethods = {"nearest_neighbor", "linear", "cubic"};
  static const std::set<std::string> kModes = {"half_pixel",         "align_corners",        "asymmetric",
                                               "pytorch_half_pixel", "tf_half_pixel_for_nn", "tf_crop_and_resize"};
  static const std::set<std::string> kRounding = {"",     "round", "round_prefer_floor", "round_prefer_ceil",
                                                  "floor", "ceil"};
  TVM_CHECK(kMethods.count(p->method), "TypeError")
      << "method must be nearest_neighbor, linear or cubic, got " << p->method;
  TVM_CHECK(kModes.count(p->coordinate_transformation_mode), "TypeError")
      << "unknown coordinate_transformation_mode " << p->coordinate_transformation_mode;
  TVM_CHECK(kRounding.count(p->rounding_method), "TypeError")
      << "unknown rounding_method " << p->rounding_method;
  TVM_CHECK(static_cast<int>(p->size.size()) == n, "TypeError")
      << "size must have " << n << " entries, got " << ShapeString(p->size);
  const char* letters = n == 1 ? "W" : n == 2 ? "HW" : "DHW";
  TVM_CHECK(p->layout.size() == data->shape.size(), "TypeError")
      << "data " << ShapeString(data->shape) << " does not have the axes of layout " << p->layout;
  Array<PrimExpr> oshape = data->shape;
  for (int i = 0; i < n; ++i) {
    auto pos = p->layout.find(letters[i]);
    TVM_CHECK(pos != std::string::npos, "TypeError") << "layout " << p->layout << " has no axis "
                                                     << letters[i];
    if (auto v = ConstDim(p->size[i])) {
      TVM_CHECK(*v > 0, "TypeError") << "size entries must be positive, got " << ShapeString(p->size);
    }
    oshape.Set(pos, p->size[i]);
  }
  reporter->Assign(types[1], TensorType(oshape, OutDtypeOr(p->out_dtype, data->dtype)));
  return true;
}

template <typename AttrsT>
void RegisterResize(const char* op_name, const char* make_name, int n) {
  runtime::Registry::Register(make_name).set_body_typed(
      [op_name](Expr data, Array<PrimExpr> size, Array<FloatImm> roi, std::string layout, std::string method,
                std::string mode, std::string rounding, double cubic_alpha, int cubic_exclude,
                double extrapolation_value, DataType out_dtype) {
        auto a = make_object<AttrsT>();
        a->size = size;
        a->roi = roi;
        a->layout = layout;
        a->method = method;
        a->coordinate_transformation_mode = mode;
        a->rounding_method = rounding;
        a->cubic_alpha = cubic_alpha;
        a->cubic_exclude = cubic_exclude;
        a->extrapolation_value = extrapolation_value;
        a->out_dtype = out_dtype;
        return MakeOpCall(op_name, {data}, Attrs(a));
      });
  OpRegEntry::RegisterOrGet(op_name)
      .describe("resize the spatial axes to size")
      .set_num_inputs(1)
      .add_argument("data", "Tensor", "the input")
      .template set_attrs_type<AttrsT>()
      .set_support_level(5)
      .add_type_rel("Resize" + std::to_string(n) + "D",
                    [n](const Array<Type>& t, int, const Attrs& a, const TypeReporter& r) {
                      return ResizeRel<AttrsT>(n, t, a, r);
                    })
      .template set_attr<TOpPattern>("TOpPattern", kInjective);
}

[[maybe_unused]] const int kRegistered = [] {
  RegisterResize<Resize1DAttrs>("image.resize1d", "relay.op.image._make.resize1d", 1);
  RegisterResize<Resize2DAttrs>("image.resize2d", "relay.op.image._make.resize2d", 2);
  RegisterResize<Resize3DAttrs>("image.resize3d", "relay.op.image._make.resize3d", 3);
  return 0;
}();

}  // namespace
}  // namespace relay
}  // namespace tvm
