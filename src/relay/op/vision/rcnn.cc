/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/relay/op/vision/rcnn.cc
 * \brief Two-stage detector operators (roi_pool, proposal) and
 *  all_class_non_max_suppression: relations, call builders, registrations.
 */
#include <tvm/relay/attrs/vision.h>
#include <tvm/runtime/registry.h>

#include <string>
#include <vector>

#include "../type_check.h"

namespace tvm {
namespace relay {

TVM_REGISTER_NODE_TYPE(ROIPoolAttrs);
TVM_REGISTER_NODE_TYPE(ProposalAttrs);
TVM_REGISTER_NODE_TYPE(AllClassNonMaximumSuppressionAttrs);

namespace {

bool ROIPoolRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  const auto* rois = TensorArg(types, 1, "rois");
  if (data == nullptr || rois == nullptr) return false;
  const auto* p = attrs.as<ROIPoolAttrs>();
  TVM_CHECK(p->layout == "NCHW", "TypeError") << "layout must be NCHW, got " << p->layout;
  TVM_CHECK(data->shape.size() == 4, "TypeError") << "data must be 4-D (NCHW), got " << ShapeString(data->shape);
  TVM_CHECK(rois->shape.size() == 2 && DimsMayMatch(reporter, rois->shape[1], Integer(5)), "TypeError")
      << "rois must be (num_roi, 5) rows of (batch index, x1, y1, x2, y2), got " << ShapeString(rois->shape);
  TVM_CHECK(p->pooled_size.size() == 2, "TypeError") << "pooled_size must have 2 entries, got "
                                                    << ShapeString(p->pooled_size);
  reporter->Assign(types[2], TensorType({rois->shape[0], data->shape[1], p->pooled_size[0], p->pooled_size[1]},
                                        data->dtype));
  return true;
}

bool ProposalRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* cls = TensorArg(types, 0, "cls_prob");
  const auto* bbox = TensorArg(types, 1, "bbox_pred");
  const auto* info = TensorArg(types, 2, "im_info");
  if (cls == nullptr || bbox == nullptr || info == nullptr) return false;
  const auto* p = attrs.as<ProposalAttrs>();
  TVM_CHECK(!p->scales.empty() && !p->ratios.empty(), "TypeError") << "scales and ratios must not be empty";
  int64_t anchors = static_cast<int64_t>(p->scales.size() * p->ratios.size());
  bool ok = cls->shape.size() == 4 && bbox->shape.size() == 4 && info->shape.size() == 2 &&
            DimsMayMatch(reporter, cls->shape[1], Integer(2 * anchors)) &&
            DimsMayMatch(reporter, bbox->shape[1], Integer(4 * anchors)) &&
            DimsMayMatch(reporter, info->shape[1], Integer(3));
  for (int i : {0, 2, 3}) ok = ok && DimsMayMatch(reporter, bbox->shape[i], cls->shape[i]);
  ok = ok && DimsMayMatch(reporter, info->shape[0], cls->shape[0]);
  TVM_CHECK(ok, "TypeError") << "expected cls_prob (B, 2A, H, W), bbox_pred (B, 4A, H, W) and im_info (B, 3) with A = "
                             << anchors << " anchors, got " << ShapeString(cls->shape) << ", "
                             << ShapeString(bbox->shape) << " and " << ShapeString(info->shape);
  TVM_CHECK(p->rpn_post_nms_top_n > 0 && p->feature_stride > 0, "TypeError")
      << "rpn_post_nms_top_n and feature_stride must be positive";
  PrimExpr rows = IsAny(cls->shape[0]) ? cls->shape[0] : cls->shape[0] * Integer(p->rpn_post_nms_top_n);
  reporter->Assign(types[3], TensorType({rows, Integer(5)}, cls->dtype));
  return true;
}

bool AllClassNMSRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* boxes = TensorArg(types, 0, "boxes");
  const auto* scores = TensorArg(types, 1, "scores");
  if (boxes == nullptr || scores == nullptr) return false;
  const auto* p = attrs.as<AllClassNonMaximumSuppressionAttrs>();
  TVM_CHECK(p->output_format == "onnx" || p->output_format == "tensorflow", "TypeError")
      << "output_format must be onnx or tensorflow, got " << p->output_format;
  bool ok = boxes->shape.size() == 3 && scores->shape.size() == 3 &&
            DimsMayMatch(reporter, boxes->shape[2], Integer(4)) &&
            DimsMayMatch(reporter, scores->shape[0], boxes->shape[0]) &&
            DimsMayMatch(reporter, scores->shape[2], boxes->shape[1]);
  TVM_CHECK(ok, "TypeError") << "expected boxes (B, N, 4) and scores (B, C, N), got " << ShapeString(boxes->shape)
                             << " and " << ShapeString(scores->shape);
  const char* names[] = {"max_output_boxes_per_class", "iou_threshold", "score_threshold"};
  for (int i = 0; i < 3; ++i) {
    const auto* t = TensorArg(types, 2 + i, names[i]);
    if (t != nullptr) {
      TVM_CHECK(t->shape.empty() || (t->shape.size() == 1 && DimsMayMatch(reporter, t->shape[0], Integer(1))),
                "TypeError")
          << names[i] << " must be a scalar, got " << ShapeString(t->shape);
    }
  }
  PrimExpr batch = boxes->shape[0], classes = scores->shape[1], num = boxes->shape[1];
  bool any = IsAny(batch) || IsAny(classes) || IsAny(num);
  if (p->output_format == "onnx") {
    PrimExpr rows = any ? PrimExpr(tir::Any()) : batch * classes * num;
    reporter->Assign(types[5], TupleType({TensorType({rows, Integer(3)}, DataType::Int(64)),
                                          TensorType({Integer(1)}, DataType::Int(64))}));
  } else {
    PrimExpr per_batch = (IsAny(classes) || IsAny(num)) ? PrimExpr(tir::Any()) : classes * num;
    reporter->Assign(types[5], TupleType({TensorType({batch, per_batch, Integer(2)}, DataType::Int(64)),
                                          TensorType({batch, per_batch}, DataType::Float(32)),
                                          TensorType({batch}, DataType::Int(64))}));
  }
  return true;
}

OpRegEntry& Register(const char* name, std::vector<const char*> args, const char* attrs_key, const char* rel_name,
                     bool (*rel)(const Array<Type>&, int, const Attrs&, const TypeReporter&), const char* doc) {
  auto& e = OpRegEntry::RegisterOrGet(name).describe(doc).set_num_inputs(args.size()).set_support_level(5);
  for (const char* a : args) e.add_argument(a, "Tensor", "");
  e.set_attrs_type_key(attrs_key);
  e.add_type_rel(rel_name, rel);
  e.set_attr<TOpPattern>("TOpPattern", kOpaque);
  return e;
}

[[maybe_unused]] const int kRegistered = [] {
  using runtime::Registry;
  Registry::Register("relay.op.vision._make.roi_pool")
      .set_body_typed([](Expr data, Expr rois, Array<PrimExpr> pooled_size, double spatial_scale,
                         std::string layout) {
        auto a = make_object<ROIPoolAttrs>();
        a->pooled_size = pooled_size;
        a->spatial_scale = spatial_scale;
        a->layout = layout;
        return MakeOpCall("vision.roi_pool", {data, rois}, Attrs(a));
      });
  Register("vision.roi_pool", {"data", "rois"}, ROIPoolAttrs::_type_key, "ROIPool", ROIPoolRel,
           "max pooling of regions of interest");
  Registry::Register("relay.op.vision._make.proposal")
      .set_body_typed([](Expr cls_prob, Expr bbox_pred, Expr im_info, Array<PrimExpr> scales, Array<PrimExpr> ratios,
                         int feature_stride, double threshold, int pre_nms_top_n, int post_nms_top_n, int min_size,
                         bool iou_loss) {
        auto a = make_object<ProposalAttrs>();
        a->scales = scales;
        a->ratios = ratios;
        a->feature_stride = feature_stride;
        a->threshold = threshold;
        a->rpn_pre_nms_top_n = pre_nms_top_n;
        a->rpn_post_nms_top_n = post_nms_top_n;
        a->rpn_min_size = min_size;
        a->iou_loss = iou_loss;
        return MakeOpCall("vision.proposal", {cls_prob, bbox_pred, im_info}, Attrs(a));
      });
  Register("vision.proposal", {"cls_prob", "bbox_pred", "im_info"}, ProposalAttrs::_type_key, "Proposal", ProposalRel,
           "region proposals: decoded anchors, kept by score and non-maximum suppression");
  Registry::Register("relay.op.vision._make.all_class_non_max_suppression")
      .set_body_typed([](Expr boxes, Expr scores, Expr max_output_boxes_per_class, Expr iou_threshold,
                         Expr score_threshold, std::string output_format) {
        auto a = make_object<AllClassNonMaximumSuppressionAttrs>();
        a->output_format = output_format;
        return MakeOpCall("vision.all_class_non_max_suppression",
                          {boxes, scores, max_output_boxes_per_class, iou_threshold, score_threshold}, Attrs(a));
      });
  Register("vision.all_class_non_max_suppression",
           {"boxes", "scores", "max_output_boxes_per_class", "iou_threshold", "score_threshold"},
           AllClassNonMaximumSuppressionAttrs::_type_key, "AllClassNMS", AllClassNMSRel,
           "non-maximum suppression of each class of each batch");
  return 0;
}();

}  // namespace
}  // namespace relay
}  // namespace tvm
