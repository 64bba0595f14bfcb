/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/relay/attrs/image.h
 * \brief Attributes of image.resize1d/2d/3d.
 *  method: "nearest_neighbor", "linear" or "cubic";
 *  coordinate_transformation_mode: "half_pixel", "align_corners", "asymmetric",
 *  "pytorch_half_pixel" or "tf_half_pixel_for_nn";
 *  rounding_method (nearest only): "round", "floor", "ceil", "round_prefer_floor",
 *  "round_prefer_ceil" or "" (the mode's default).
 */
#ifndef TVM_RELAY_ATTRS_IMAGE_H_
#define TVM_RELAY_ATTRS_IMAGE_H_

#include <tvm/ir/attrs.h>
#include <tvm/ir/expr.h>

#include <string>

namespace tvm {
namespace relay {

template <int kSpatial>
struct ResizeAttrsBase : public BaseAttrsNode {
  Array<PrimExpr> size;
  /*! \brief Region of interest (start..., end...), used by tf_crop_and_resize. */
  Array<FloatImm> roi{ObjectPtr<Object>(nullptr)};
  std::string layout{kSpatial == 1 ? "NCW" : kSpatial == 2 ? "NCHW" : "NCDHW"};
  std::string method{"linear"};
  std::string coordinate_transformation_mode{"half_pixel"};
  std::string rounding_method{"round"};
  double cubic_alpha{-0.5};
  int cubic_exclude{0};
  double extrapolation_value{0.0};
  DataType out_dtype;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("size", &size);
    v->Visit("roi", &roi);
    v->Visit("layout", &layout);
    v->Visit("method", &method);
    v->Visit("coordinate_transformation_mode", &coordinate_transformation_mode);
    v->Visit("rounding_method", &rounding_method);
    v->Visit("cubic_alpha", &cubic_alpha);
    v->Visit("cubic_exclude", &cubic_exclude);
    v->Visit("extrapolation_value", &extrapolation_value);
    v->Visit("out_dtype", &out_dtype);
  }
};
struct Resize1DAttrs : public ResizeAttrsBase<1> {
  static constexpr const char* _type_key = "relay.attrs.Resize1DAttrs";
  using _type_parent = BaseAttrsNode;
};
struct Resize2DAttrs : public ResizeAttrsBase<2> {
  static constexpr const char* _type_key = "relay.attrs.Resize2DAttrs";
  using _type_parent = BaseAttrsNode;
};
struct Resize3DAttrs : public ResizeAttrsBase<3> {
  static constexpr const char* _type_key = "relay.attrs.Resize3DAttrs";
  using _type_parent = BaseAttrsNode;
};

/*! \brief image.dilation2d: grey-scale morphological dilation (max of data + kernel over a window). */
struct Dilation2DAttrs : public BaseAttrsNode {
  Array<PrimExpr> strides{Integer(1), Integer(1)};
  Array<PrimExpr> padding{Integer(0), Integer(0)};
  Array<PrimExpr> dilations{Integer(1), Integer(1)};
  std::string data_layout{"NCHW"};
  std::string kernel_layout{"IHW"};
  DataType out_dtype;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("strides", &strides);
    v->Visit("padding", &padding);
    v->Visit("dilations", &dilations);
    v->Visit("data_layout", &data_layout);
    v->Visit("kernel_layout", &kernel_layout);
    v->Visit("out_dtype", &out_dtype);
  }
  static constexpr const char* _type_key = "relay.attrs.Dilation2DAttrs";
  using _type_parent = BaseAttrsNode;
};

/*! \brief image.crop_and_resize: each box cropped and resized to crop_size. */
struct CropAndResizeAttrs : public BaseAttrsNode {
  Array<PrimExpr> crop_size;
  std::string layout{"NCHW"};
  std::string method{"bilinear"};
  double extrapolation_value{0.0};
  DataType out_dtype;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("crop_size", &crop_size);
    v->Visit("layout", &layout);
    v->Visit("method", &method);
    v->Visit("extrapolation_value", &extrapolation_value);
    v->Visit("out_dtype", &out_dtype);
  }
  static constexpr const char* _type_key = "relay.attrs.CropAndResizeAttrs";
  using _type_parent = BaseAttrsNode;
};

/*! \brief image.grid_sample: sampling method, layout, what lies outside, corner alignment. */
struct GridSampleAttrs : public BaseAttrsNode {
  std::string method{"bilinear"};
  std::string layout{"NCHW"};
  std::string padding_mode{"zeros"};
  bool align_corners{true};
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("method", &method);
    v->Visit("layout", &layout);
    v->Visit("padding_mode", &padding_mode);
    v->Visit("align_corners", &align_corners);
  }
  static constexpr const char* _type_key = "relay.attrs.GridSampleAttrs";
  using _type_parent = BaseAttrsNode;
};

/*! \brief image.affine_grid: the (height, width) of the grid. */
struct AffineGridAttrs : public BaseAttrsNode {
  Array<PrimExpr> target_shape;
  void VisitAttrs(AttrVisitor* v) { v->Visit("target_shape", &target_shape); }
  static constexpr const char* _type_key = "relay.attrs.AffineGridAttrs";
  using _type_parent = BaseAttrsNode;
};

}  // namespace relay
}  // namespace tvm
#endif  // TVM_RELAY_ATTRS_IMAGE_H_
