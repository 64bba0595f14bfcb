/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/relay/op/image/sampling.cc
 * \brief image.crop_and_resize, image.grid_sample and image.affine_grid: operators
 *  that read an image at computed positions. Relations check the layouts and that
 *  boxes, indices and grids fit the image they sample.
 */
#include <tvm/relay/attrs/image.h>
#include <tvm/runtime/registry.h>

#include "../type_check.h"

namespace tvm {
namespace relay {

TVM_REGISTER_NODE_TYPE(CropAndResizeAttrs);
TVM_REGISTER_NODE_TYPE(GridSampleAttrs);
TVM_REGISTER_NODE_TYPE(AffineGridAttrs);

namespace {

bool CropAndResizeRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  const auto* boxes = TensorArg(types, 1, "boxes");
  const auto* indices = TensorArg(types, 2, "box_indices");
  if (data == nullptr || boxes == nullptr || indices == nullptr) return false;
  const auto* p = attrs.as<CropAndResizeAttrs>();
  TVM_CHECK(p->layout == "NCHW" || p->layout == "NHWC", "TypeError") << "layout must be NCHW or NHWC, got "
                                                                     << p->layout;
  TVM_CHECK(p->method == "bilinear" || p->method == "nearest_neighbor", "TypeError")
      << "method must be bilinear or nearest_neighbor, got " << p->method;
  TVM_CHECK(data->shape.size() == 4, "TypeError") << "data must be 4-D, got " << ShapeString(data->shape);
  TVM_CHECK(p->crop_size.size() == 2, "TypeError") << "crop_size must have 2 entries, got "
                                                  << ShapeString(p->crop_size);
  TVM_CHECK(boxes->shape.size() == 2 && DimsMayMatch(reporter, boxes->shape[1], Integer(4)), "TypeError")
      << "boxes must be (num_boxes, 4) rows of (y1, x1, y2, x2), got " << ShapeString(boxes->shape);
  TVM_CHECK(indices->shape.size() == 1 && DimsMayMatch(reporter, indices->shape[0], boxes->shape[0]), "TypeError")
      << "box_indices " << ShapeString(indices->shape) << " must have one entry per box of boxes "
      << ShapeString(boxes->shape);
  TVM_CHECK(indices->dtype.is_int() || indices->dtype.is_uint(), "TypeError")
      << "box_indices must have an integer dtype, got " << indices->dtype;
  PrimExpr channels = p->layout == "NCHW" ? data->shape[1] : data->shape[3];
  Array<PrimExpr> oshape = p->layout == "NCHW"
                               ? Array<PrimExpr>{boxes->shape[0], channels, p->crop_size[0], p->crop_size[1]}
                               : Array<PrimExpr>{boxes->shape[0], p->crop_size[0], p->crop_size[1], channels};
  reporter->Assign(types[3], TensorType(oshape, OutDtypeOr(p->out_dtype, data->dtype)));
  return true;
}

bool GridSampleRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  const auto* grid = TensorArg(types, 1, "grid");
  if (data == nullptr || grid == nullptr) return false;
  const auto* p = attrs.as<GridSampleAttrs>();
  TVM_CHECK(p->layout == "NCHW" || p->layout == "NCDHW", "TypeError") << "layout must be NCHW or NCDHW, got "
                                                                      << p->layout;
  size_t spatial = p->layout.size() - 2;
  TVM_CHECK(p->method == "bilinear" || p->method == "nearest" || p->method == "bicubic", "TypeError")
      << "method must be bilinear, nearest or bicubic, got " << p->method;
  TVM_CHECK(p->padding_mode == "zeros" || p->padding_mode == "border" || p->padding_mode == "reflection",
            "TypeError")
      << "padding_mode must be zeros, border or reflection, got " << p->padding_mode;
  TVM_CHECK(data->shape.size() == spatial + 2, "TypeError") << "data must be " << spatial + 2 << "-D for layout "
                                                            << p->layout << ", got " << ShapeString(data->shape);
  bool ok = grid->shape.size() == spatial + 2 && DimsMayMatch(reporter, grid->shape[0], data->shape[0]) &&
            DimsMayMatch(reporter, grid->shape[1], Integer(spatial));
  TVM_CHECK(ok, "TypeError") << "grid must be (batch, " << spatial << ", out...) for data "
                             << ShapeString(data->shape) << ", got " << ShapeString(grid->shape);
  Array<PrimExpr> oshape{data->shape[0], data->shape[1]};
  for (size_t i = 2; i < grid->shape.size(); ++i) oshape.push_back(grid->shape[i]);
  reporter->Assign(types[2], TensorType(oshape, data->dtype));
  return true;
}

bool AffineGridRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  if (data == nullptr) return false;
  const auto* p = attrs.as<AffineGridAttrs>();
  bool ok = data->shape.size() == 3 && DimsMayMatch(reporter, data->shape[1], Integer(2)) &&
            DimsMayMatch(reporter, data->shape[2], Integer(3));
  TVM_CHECK(ok, "TypeError") << "data must be (batch, 2, 3) affine matrices, got " << ShapeString(data->shape);
  TVM_CHECK(p->target_shape.size() == 2, "TypeError") << "target_shape must be (height, width), got "
                                                     << ShapeString(p->target_shape);
  reporter->Assign(types[1],
                   TensorType({data->shape[0], Integer(2), p->target_shape[0], p->target_shape[1]}, data->dtype));
  return true;
}

OpRegEntry& Register(const char* name, std::vector<const char*> args, const char* attrs_key, const char* rel_name,
                     bool (*rel)(const Array<Type>&, int, const Attrs&, const TypeReporter&), int pattern,
                     const char* doc) {
  auto& e = OpRegEntry::RegisterOrGet(name).describe(doc).set_num_inputs(args.size()).set_support_level(5);
  for (const char* a : args) e.add_argument(a, "Tensor", "");
  e.set_attrs_type_key(attrs_key);
  e.add_type_rel(rel_name, rel);
  e.set_attr<TOpPattern>("TOpPattern", pattern);
  return e;
}

[[maybe_unused]] const int kRegistered = [] {
  using runtime::Registry;
  Registry::Register("relay.op.image._make.crop_and_resize")
      .set_body_typed([](Expr data, Expr boxes, Expr box_indices, Array<PrimExpr> crop_size, std::string layout,
                         std::string method, double extrapolation_value, DataType out_dtype) {
        auto a = make_object<CropAndResizeAttrs>();
        a->crop_size = crop_size;
        a->layout = layout;
        a->method = method;
        a->extrapolation_value = extrapolation_value;
        a->out_dtype = out_dtype;
        return MakeOpCall("image.crop_and_resize", {data, boxes, box_indices}, Attrs(a));
      });
  Register("image.crop_and_resize", {"data", "boxes", "box_indices"}, CropAndResizeAttrs::_type_key,
           "CropAndResize", CropAndResizeRel, kInjective, "crop boxes from images and resize each to crop_size");
  Registry::Register("relay.op.image._make.grid_sample")
      .set_body_typed([](Expr data, Expr grid, std::string method, std::string layout, std::string padding_mode,
                         bool align_corners) {
        auto a = make_object<GridSampleAttrs>();
        a->method = method;
        a->layout = layout;
        a->padding_mode = padding_mode;
        a->align_corners = align_corners;
        return MakeOpCall("image.grid_sample", {data, grid}, Attrs(a));
      });
  Register("image.grid_sample", {"data", "grid"}, GridSampleAttrs::_type_key, "GridSample", GridSampleRel,
           kInjective, "sample data at the normalised positions of grid");
  Registry::Register("relay.op.image._make.affine_grid").set_body_typed([](Expr data, Array<PrimExpr> target_shape) {
    auto a = make_object<AffineGridAttrs>();
    a->target_shape = target_shape;
    return MakeOpCall("image.affine_grid", {data}, Attrs(a));
  });
  Register("image.affine_grid", {"data"}, AffineGridAttrs::_type_key, "AffineGrid", AffineGridRel, kInjective,
           "the sampling grid of affine matrices");
  return 0;
}();

}  // namespace
}  // namespace relay
}  // namespace tvm
