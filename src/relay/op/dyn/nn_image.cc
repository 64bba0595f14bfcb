/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/relay/op/dyn/nn_image.cc
 * \brief dyn.image.resize2d, dyn.nn.pad, dyn.nn.upsampling and
 *  dyn.nn.upsampling3d: the output size, padding or scales are tensors. The
 *  spatial axes they set are relay.Any(); the other axes keep the input's.
 */
#include <tvm/relay/attrs/image.h>
#include <tvm/relay/attrs/nn.h>
#include <tvm/runtime/registry.h>

#include <string>
#include <vector>

#include "../type_check.h"

namespace tvm {
namespace relay {
namespace dyn {
namespace {

/*! \brief The data's shape with the axes `letters` of `layout` set to relay.Any(). */
Array<PrimExpr> SpatialAny(const TensorTypeNode* data, const std::string& layout, const std::string& letters) {
  TVM_CHECK(layout.size() == data->shape.size(), "TypeError")
      << "data " << ShapeString(data->shape) << " does not have the axes of layout " << layout;
  Array<PrimExpr> shape = data->shape;
  for (char c : letters) {
    auto pos = layout.find(c);
    TVM_CHECK(pos != std::string::npos, "TypeError") << "layout " << layout << " has no axis " << c;
    shape.Set(pos, tir::Any());
  }
  return shape;
}

bool Resize2DRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  const auto* size = TensorArg(types, 1, "size");
  const auto* roi = TensorArg(types, 2, "roi");
  if (data == nullptr || size == nullptr || roi == nullptr) return false;
  TVM_CHECK(size->shape.size() == 1 && (IsAny(size->shape[0]) || ConstDim(size->shape[0]) == 2), "TypeError")
      << "size must be a 1-D tensor of 2 values (height, width), got shape " << ShapeString(size->shape);
  const auto* p = attrs.as<Resize2DAttrs>();
  DataType dtype = OutDtypeOr(p->out_dtype, data->dtype);
  reporter->Assign(types[3], TensorType(SpatialAny(data, p->layout, "HW"), dtype));
  return true;
}

bool PadRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  const auto* width = TensorArg(types, 1, "pad_width");
  const auto* value = TensorArg(types, 2, "pad_value");
  if (data == nullptr || width == nullptr || value == nullptr) return false;
  size_t rank = data->shape.size();
  bool ok = width->shape.size() == 2 && (IsAny(width->shape[0]) || ConstDim(width->shape[0]) == int64_t(rank)) &&
            (IsAny(width->shape[1]) || ConstDim(width->shape[1]) == 2);
  TVM_CHECK(ok, "TypeError") << "pad_width must be a tensor of shape (" << rank << ", 2) for data "
                             << ShapeString(data->shape) << ", got shape " << ShapeString(width->shape);
  TVM_CHECK(value->shape.empty(), "TypeError") << "pad_value must be a scalar, got shape "
                                               << ShapeString(value->shape);
  const auto* p = attrs.as<PadAttrs>();
  TVM_CHECK(p->pad_mode == "constant" || p->pad_mode == "edge" || p->pad_mode == "reflect", "TypeError")
      << "pad_mode must be constant, edge or reflect, got " << p->pad_mode;
  Array<PrimExpr> shape;
  for (size_t i = 0; i < rank; ++i) shape.push_back(tir::Any());
  reporter->Assign(types[3], TensorType(shape, data->dtype));
  return true;
}

void CheckScales(const Array<Type>& types, size_t first, size_t n) {
  const char* names[] = {"scale_d", "scale_h", "scale_w"};
  for (size_t i = 0; i < n; ++i) {
    const auto* s = types[first + i].as<TensorTypeNode>();
    const char* name = names[3 - n + i];
    TVM_CHECK(s != nullptr && s->shape.empty(), "TypeError") << name << " must be a scalar, got " << types[first + i];
  }
}

bool UpSamplingRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  if (data == nullptr || !TensorArg(types, 1, "scale_h") || !TensorArg(types, 2, "scale_w")) return false;
  CheckScales(types, 1, 2);
  const auto* p = attrs.as<UpSamplingAttrs>();
  reporter->Assign(types[3], TensorType(SpatialAny(data, p->layout, "HW"), data->dtype));
  return true;
}

bool UpSampling3DRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  if (data == nullptr || !TensorArg(types, 1, "scale_d") || !TensorArg(types, 2, "scale_h") ||
      !TensorArg(types, 3, "scale_w")) {
    return false;
  }
  CheckScales(types, 1, 3);
  const auto* p = attrs.as<UpSampling3DAttrs>();
  reporter->Assign(types[4], TensorType(SpatialAny(data, p->layout, "DHW"), data->dtype));
  return true;
}

using RelFn = bool (*)(const Array<Type>&, int, const Attrs&, const TypeReporter&);

void Register(const char* name, std::vector<const char*> args, const char* attrs_key, const char* rel_name, RelFn rel,
              int level, const char* description) {
  auto& e = OpRegEntry::RegisterOrGet(name).describe(description).set_num_inputs(static_cast<int>(args.size()));
  e.set_support_level(level).set_attrs_type_key(attrs_key);
  for (const char* a : args) e.add_argument(a, "Tensor", "");
  e.add_type_rel(rel_name, rel);
  e.set_attr<TOpPattern>("TOpPattern", kInjective);
}

[[maybe_unused]] const int kRegistered = [] {
  using runtime::Registry;
  Registry::Register("relay.op.dyn.image._make.resize2d")
      .set_body_typed([](Expr data, Expr size, Expr roi, String layout, String method, String coord_mode,
                         String rounding_method, double cubic_alpha, int cubic_exclude, double extrapolation_value,
                         DataType out_dtype) {
        auto a = make_object<Resize2DAttrs>();
        a->layout = layout;
        a->method = method;
        a->coordinate_transformation_mode = coord_mode;
        a->rounding_method = rounding_method;
        a->cubic_alpha = cubic_alpha;
        a->cubic_exclude = cubic_exclude;
        a->extrapolation_value = extrapolation_value;
        a->out_dtype = out_dtype;
        return Call(Op::Get("dyn.image.resize2d"), {data, size, roi}, Attrs(a), {});
      });
  Register("dyn.image.resize2d", {"data", "size", "roi"}, Resize2DAttrs::_type_key, "DynResize2D", Resize2DRel, 5,
           "resize height and width to the size held by a 1-D tensor");

  Registry::Register("relay.op.dyn.nn._make.pad")
      .set_body_typed([](Expr data, Expr pad_width, Expr pad_value, String pad_mode) {
        auto a = make_object<PadAttrs>();
        a->pad_mode = pad_mode;
        return Call(Op::Get("dyn.nn.pad"), {data, pad_width, pad_value}, Attrs(a), {});
      });
  Register("dyn.nn.pad", {"data", "pad_width", "pad_value"}, PadAttrs::_type_key, "DynamicPad", PadRel, 2,
           "pad each axis by the (before, after) amounts held by a (rank, 2) tensor");

  Registry::Register("relay.op.dyn.nn._make.upsampling")
      .set_body_typed([](Expr data, Expr scale_h, Expr scale_w, String layout, String method, bool align_corners) {
        auto a = make_object<UpSamplingAttrs>();
        a->layout = layout;
        a->method = method;
        a->align_corners = align_corners;
        return Call(Op::Get("dyn.nn.upsampling"), {data, scale_h, scale_w}, Attrs(a), {});
      });
  Register("dyn.nn.upsampling", {"data", "scale_h", "scale_w"}, UpSamplingAttrs::_type_key, "DynamicUpSampling",
           UpSamplingRel, 2, "upsample height and width by scales held by scalar tensors");

  Registry::Register("relay.op.dyn.nn._make.upsampling3d")
      .set_body_typed([](Expr data, Expr scale_d, Expr scale_h, Expr scale_w, String layout, String method,
                         String coord_mode) {
        auto a = make_object<UpSampling3DAttrs>();
        a->layout = layout;
        a->method = method;
        a->coordinate_transformation_mode = coord_mode;
        return Call(Op::Get("dyn.nn.upsampling3d"), {data, scale_d, scale_h, scale_w}, Attrs(a), {});
      });
  Register("dyn.nn.upsampling3d", {"data", "scale_d", "scale_h", "scale_w"}, UpSampling3DAttrs::_type_key,
           "DynamicUpSampling3D", UpSampling3DRel, 2, "upsample depth, height and width by scales held by scalar tensors");
  return 0;
}();

}  // namespace
}  // namespace dyn
}  // namespace relay
}  // namespace tvm
