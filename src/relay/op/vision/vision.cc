/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/relay/op/vision/vision.cc
 * \brief Detection operators: multibox_prior, multibox_transform_loc,
 *  get_valid_counts, non_max_suppression, roi_align and yolo_reorg.
 *  Boxes are (batch, num_boxes, elements) tensors; relations check the
 *  shapes that must agree and name them.
 */
#include <tvm/relay/attrs/vision.h>
#include <tvm/runtime/registry.h>

#include <string>

#include "../type_check.h"

namespace tvm {
namespace relay {

TVM_REGISTER_NODE_TYPE(MultiBoxPriorAttrs);
TVM_REGISTER_NODE_TYPE(MultiBoxTransformLocAttrs);
TVM_REGISTER_NODE_TYPE(GetValidCountsAttrs);
TVM_REGISTER_NODE_TYPE(NonMaximumSuppressionAttrs);
TVM_REGISTER_NODE_TYPE(ROIAlignAttrs);
TVM_REGISTER_NODE_TYPE(YoloReorgAttrs);

namespace {

using runtime::Registry;

OpRegEntry& Register(const char* name, int num_inputs, const char* attrs_key, const char* rel_name,
                     bool (*rel)(const Array<Type>&, int, const Attrs&, const TypeReporter&), int pattern,
                     const char* description) {
  auto& e = OpRegEntry::RegisterOrGet(name).describe(description).set_num_inputs(num_inputs).set_support_level(5);
  e.set_attrs_type_key(attrs_key);
  for (int i = 0; i < num_inputs; ++i) e.add_argument(i == 0 ? "data" : "arg" + std::to_string(i), "Tensor", "");
  e.add_type_rel(rel_name, rel);
  e.set_attr<TOpPattern>("TOpPattern", pattern);
  return e;
}

/*! \brief (1, H * W * (sizes + ratios - 1), 4) anchors for an NCHW feature map. */
bool MultiBoxPriorRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  if (data == nullptr) return false;
  const auto* p = attrs.as<MultiBoxPriorAttrs>();
  TVM_CHECK(data->shape.size() == 4, "TypeError") << "data must be 4-D (NCHW), got " << ShapeString(data->shape);
  TVM_CHECK(!p->sizes.empty() && !p->ratios.empty(), "TypeError") << "sizes and ratios must not be empty";
  TVM_CHECK(p->steps.size() == 2 && p->offsets.size() == 2, "TypeError") << "steps and offsets must have 2 entries";
  int anchors = static_cast<int>(p->sizes.size() + p->ratios.size() - 1);
  PrimExpr n = data->shape[2] * data->shape[3] * Integer(anchors);
  if (IsAny(data->shape[2]) || IsAny(data->shape[3])) n = tir::Any();
  reporter->Assign(types[1], TensorType({Integer(1), n, Integer(4)}, data->dtype));
  return true;
}

/*! \brief cls_prob (B, C, N), loc_pred (B, 4N), anchor (1, N, 4) -> ((B, N, 6), valid count (B,)). */
bool MultiBoxTransformLocRel(const Array<Type>& types, int, const Attrs&, const TypeReporter& reporter) {
  const auto* cls = TensorArg(types, 0, "cls_prob");
  const auto* loc = TensorArg(types, 1, "loc_pred");
  const auto* anchor = TensorArg(types, 2, "anchor");
  if (cls == nullptr || loc == nullptr || anchor == nullptr) return false;
  TVM_CHECK(cls->shape.size() == 3 && loc->shape.size() == 2 && anchor->shape.size() == 3, "TypeError")
      << "expected cls_prob (B, C, N), loc_pred (B, 4N) and anchor (1, N, 4), got " << ShapeString(cls->shape)
      << ", " << ShapeString(loc->shape) << " and " << ShapeString(anchor->shape);
  PrimExpr n = cls->shape[2];
  bool ok = DimsMayMatch(reporter, loc->shape[1], n * Integer(4)) && DimsMayMatch(reporter, anchor->shape[1], n) &&
            DimsMayMatch(reporter, anchor->shape[2], Integer(4)) && DimsMayMatch(reporter, loc->shape[0], cls->shape[0]);
  TVM_CHECK(ok, "TypeError") << "cls_prob " << ShapeString(cls->shape) << ", loc_pred " << ShapeString(loc->shape)
                             << " and anchor " << ShapeString(anchor->shape)
                             << " disagree (expected (B, C, N), (B, 4N) and (1, N, 4))";
  reporter->Assign(types[3], TupleType({TensorType({cls->shape[0], n, Integer(6)}, cls->dtype),
                                        TensorType({cls->shape[0]}, DataType::Int(32))}));
  return true;
}

bool GetValidCountsRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  if (data == nullptr) return false;
  TVM_CHECK(data->shape.size() == 3, "TypeError") << "data must be 3-D (batch, boxes, elements), got "
                                                  << ShapeString(data->shape);
  const auto* p = attrs.as<GetValidCountsAttrs>();
  if (auto k = ConstDim(data->shape[2])) {
    TVM_CHECK(p->score_index < *k && p->id_index < *k, "TypeError")
        << "score_index=" << p->score_index << " and id_index=" << p->id_index << " must be below the " << *k
        << " elements of each box of data " << ShapeString(data->shape);
  }
  reporter->Assign(types[2], TupleType({TensorType({data->shape[0]}, DataType::Int(32)),
                                        TensorType(data->shape, data->dtype),
                                        TensorType({data->shape[0], data->shape[1]}, DataType::Int(32))}));
  return true;
}

bool NMSRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  const auto* valid = TensorArg(types, 1, "valid_count");
  if (data == nullptr || valid == nullptr) return false;
  TVM_CHECK(data->shape.size() == 3, "TypeError") << "data must be 3-D (batch, boxes, elements), got "
                                                  << ShapeString(data->shape);
  TVM_CHECK(valid->shape.size() == 1 && DimsMayMatch(reporter, valid->shape[0], data->shape[0]), "TypeError")
      << "valid_count " << ShapeString(valid->shape) << " must have one entry per batch of data "
      << ShapeString(data->shape);
  const auto* p = attrs.as<NonMaximumSuppressionAttrs>();
  if (auto k = ConstDim(data->shape[2])) {
    TVM_CHECK(p->coord_start + 4 <= *k && p->score_index < *k, "TypeError")
        << "coord_start=" << p->coord_start << " (4 coordinates) and score_index=" << p->score_index
        << " must lie within the " << *k << " elements of each box of data " << ShapeString(data->shape);
  }
  if (p->return_indices) {
    reporter->Assign(types[5], TupleType({TensorType({data->shape[0], data->shape[1]}, DataType::Int(32)),
                                          TensorType({data->shape[0], Integer(1)}, DataType::Int(32))}));
  } else {
    reporter->Assign(types[5], TensorType(data->shape, data->dtype));
  }
  return true;
}

bool ROIAlignRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  const auto* rois = TensorArg(types, 1, "rois");
  if (data == nullptr || rois == nullptr) return false;
  const auto* p = attrs.as<ROIAlignAttrs>();
  TVM_CHECK(data->shape.size() == 4, "TypeError") << "data must be 4-D, got " << ShapeString(data->shape);
  TVM_CHECK(rois->shape.size() == 2 && DimsMayMatch(reporter, rois->shape[1], Integer(5)), "TypeError")
      << "rois must be (num_roi, 5) rows of (batch index, x1, y1, x2, y2), got " << ShapeString(rois->shape);
  TVM_CHECK(p->pooled_size.size() == 2, "TypeError") << "pooled_size must have 2 entries, got "
                                                    << ShapeString(p->pooled_size);
  TVM_CHECK(p->layout == "NCHW" || p->layout == "NHWC", "TypeError") << "layout must be NCHW or NHWC, got "
                                                                     << p->layout;
  TVM_CHECK(p->mode == "avg" || p->mode == "max", "TypeError") << "mode must be avg or max, got " << p->mode;
  Array<PrimExpr> oshape;
  if (p->layout == "NCHW") {
    oshape = {rois->shape[0], data->shape[1], p->pooled_size[0], p->pooled_size[1]};
  } else {
    oshape = {rois->shape[0], p->pooled_size[0], p->pooled_size[1], data->shape[3]};
  }
  reporter->Assign(types[2], TensorType(oshape, data->dtype));
  return true;
}

bool YoloReorgRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  if (data == nullptr) return false;
  TVM_CHECK(data->shape.size() == 4, "TypeError") << "data must be 4-D (NCHW), got " << ShapeString(data->shape);
  PrimExpr s = attrs.as<YoloReorgAttrs>()->stride;
  auto sv = ConstDim(s);
  TVM_CHECK(sv && *sv > 0, "TypeError") << "stride must be a positive integer, got " << s;
  for (int axis : {2, 3}) {
    if (auto v = ConstDim(data->shape[axis])) {
      TVM_CHECK(*v % *sv == 0, "TypeError") << "the spatial extents of data " << ShapeString(data->shape)
                                            << " must be multiples of stride=" << *sv;
    }
  }
  Array<PrimExpr> oshape{data->shape[0], data->shape[1] * s * s, indexdiv(data->shape[2], s),
                         indexdiv(data->shape[3], s)};
  reporter->Assign(types[1], TensorType(oshape, data->dtype));
  return true;
}

[[maybe_unused]] const int kRegistered = [] {
  Registry::Register("relay.op.vision._make.multibox_prior")
      .set_body_typed([](Expr data, Array<PrimExpr> sizes, Array<PrimExpr> ratios, Array<PrimExpr> steps,
                         Array<PrimExpr> offsets, bool clip) {
        auto a = make_object<MultiBoxPriorAttrs>();
        a->sizes = sizes;
        a->ratios = ratios;
        a->steps = steps;
        a->offsets = offsets;
        a->clip = clip;
        return MakeOpCall("vision.multibox_prior", {data}, Attrs(a));
      });
  Register("vision.multibox_prior", 1, MultiBoxPriorAttrs::_type_key, "MultiBoxPrior", MultiBoxPriorRel, kOpaque,
           "anchor boxes for each position of a feature map");
  Registry::Register("relay.op.vision._make.multibox_transform_loc")
      .set_body_typed([](Expr cls, Expr loc, Expr anchor, bool clip, double threshold, Array<PrimExpr> variances,
                         bool keep_background) {
        auto a = make_object<MultiBoxTransformLocAttrs>();
        a->clip = clip;
        a->threshold = threshold;
        a->variances = variances;
        a->keep_background = keep_background;
        return MakeOpCall("vision.multibox_transform_loc", {cls, loc, anchor}, Attrs(a));
      });
  Register("vision.multibox_transform_loc", 3, MultiBoxTransformLocAttrs::_type_key, "MultiBoxTransformLoc",
           MultiBoxTransformLocRel, kOpaque, "decode box offsets against anchors");
  Registry::Register("relay.op.vision._make.get_valid_counts")
      .set_body_typed([](Expr data, Expr score_threshold, int id_index, int score_index) {
        auto a = make_object<GetValidCountsAttrs>();
        // A constant threshold is also kept as an attribute (printed, as TVM does).
        if (const auto* c = score_threshold.as<ConstantNode>()) {
          const DLTensor* t = c->data.operator->();
          if (t->ndim == 0 && t->dtype.code == kDLFloat && (t->dtype.bits == 32 || t->dtype.bits == 64)) {
            const char* ptr = static_cast<const char*>(t->data) + t->byte_offset;
            double v = t->dtype.bits == 32 ? *reinterpret_cast<const float*>(ptr) : *reinterpret_cast<const double*>(ptr);
            a->score_threshold = FloatImm(DataType::Float(32), v);
          }
        }
        a->id_index = id_index;
        a->score_index = score_index;
        return MakeOpCall("vision.get_valid_counts", {data, score_threshold}, Attrs(a));
      });
  Register("vision.get_valid_counts", 2, GetValidCountsAttrs::_type_key, "GetValidCounts", GetValidCountsRel,
           kOpaque, "move boxes scoring above the threshold to the front");
  Registry::Register("relay.op.vision._make.non_max_suppression")
      .set_body_typed([](Expr data, Expr valid_count, Expr indices, Expr max_output_size, Expr iou_threshold,
                         bool force_suppress, int top_k, int coord_start, int score_index, int id_index,
                         bool return_indices, bool invalid_to_bottom) {
        auto a = make_object<NonMaximumSuppressionAttrs>();
        a->force_suppress = force_suppress;
        a->top_k = top_k;
        a->coord_start = coord_start;
        a->score_index = score_index;
        a->id_index = id_index;
        a->return_indices = return_indices;
        a->invalid_to_bottom = invalid_to_bottom;
        return MakeOpCall("vision.non_max_suppression", {data, valid_count, indices, max_output_size, iou_threshold},
                          Attrs(a));
      });
  Register("vision.non_max_suppression", 5, NonMaximumSuppressionAttrs::_type_key, "NMS", NMSRel, kOpaque,
           "non-maximum suppression of overlapping boxes");
  Registry::Register("relay.op.vision._make.roi_align")
      .set_body_typed([](Expr data, Expr rois, Array<PrimExpr> pooled_size, double spatial_scale, int sample_ratio,
                         std::string layout, std::string mode) {
        auto a = make_object<ROIAlignAttrs>();
        a->pooled_size = pooled_size;
        a->spatial_scale = spatial_scale;
        a->sample_ratio = sample_ratio;
        a->layout = layout;
        a->mode = mode;
        return MakeOpCall("vision.roi_align", {data, rois}, Attrs(a));
      });
  Register("vision.roi_align", 2, ROIAlignAttrs::_type_key, "ROIAlign", ROIAlignRel, kOpaque,
           "bilinearly sampled pooling of regions of interest");
  Registry::Register("relay.op.vision._make.yolo_reorg").set_body_typed([](Expr data, PrimExpr stride) {
    auto a = make_object<YoloReorgAttrs>();
    a->stride = stride;
    return MakeOpCall("vision.yolo_reorg", {data}, Attrs(a));
  });
  Register("vision.yolo_reorg", 1, YoloReorgAttrs::_type_key, "YoloReorg", YoloReorgRel, kInjective,
           "space-to-depth reorganisation of darknet's yolo");
  return 0;
}();

}  // namespace
}  // namespace relay
}  // namespace tvm
