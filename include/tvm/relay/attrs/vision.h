/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/relay/attrs/vision.h
 * \brief Attributes of the detection operators (relay.vision.*): anchor
 *  generation, box decoding, valid-box counting, non-maximum suppression,
 *  roi_align and yolo_reorg. Defaults are TVM v0.14's.
 */
#ifndef TVM_RELAY_ATTRS_VISION_H_
#define TVM_RELAY_ATTRS_VISION_H_

#include <tvm/ir/attrs.h>
#include <tvm/ir/expr.h>

#include <string>

namespace tvm {
namespace relay {

struct MultiBoxPriorAttrs : public BaseAttrsNode {
  Array<PrimExpr> sizes{FloatImm(DataType::Float(32), 1.0)};
  Array<PrimExpr> ratios{FloatImm(DataType::Float(32), 1.0)};
  Array<PrimExpr> steps{FloatImm(DataType::Float(32), -1.0), FloatImm(DataType::Float(32), -1.0)};
  Array<PrimExpr> offsets{FloatImm(DataType::Float(32), 0.5), FloatImm(DataType::Float(32), 0.5)};
  bool clip{false};
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("sizes", &sizes);
    v->Visit("ratios", &ratios);
    v->Visit("steps", &steps);
    v->Visit("offsets", &offsets);
    v->Visit("clip", &clip);
  }
  static constexpr const char* _type_key = "relay.attrs.MultiBoxPriorAttrs";
  using _type_parent = BaseAttrsNode;
};

struct MultiBoxTransformLocAttrs : public BaseAttrsNode {
  bool clip{true};
  double threshold{0.01};
  Array<PrimExpr> variances{FloatImm(DataType::Float(32), 0.1), FloatImm(DataType::Float(32), 0.1),
                            FloatImm(DataType::Float(32), 0.2), FloatImm(DataType::Float(32), 0.2)};
  bool keep_background{false};
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("clip", &clip);
    v->Visit("threshold", &threshold);
    v->Visit("variances", &variances);
    v->Visit("keep_background", &keep_background);
  }
  static constexpr const char* _type_key = "relay.attrs.MultiBoxTransformLocAttrs";
  using _type_parent = BaseAttrsNode;
};

/*! \brief get_valid_counts (the score threshold is an input; also recorded here when constant). */
struct GetValidCountsAttrs : public BaseAttrsNode {
  FloatImm score_threshold;
  int id_index{0};
  int score_index{1};
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("score_threshold", &score_threshold);
    v->Visit("id_index", &id_index);
    v->Visit("score_index", &score_index);
  }
  static constexpr const char* _type_key = "relay.attrs.GetValidCountsAttrs";
  using _type_parent = BaseAttrsNode;
};

/*! \brief non_max_suppression (max_output_size and iou_threshold are inputs). */
struct NonMaximumSuppressionAttrs : public BaseAttrsNode {
  bool force_suppress{false};
  int top_k{-1};
  int coord_start{2};
  int score_index{1};
  int id_index{0};
  bool return_indices{true};
  bool invalid_to_bottom{false};
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("force_suppress", &force_suppress);
    v->Visit("top_k", &top_k);
    v->Visit("coord_start", &coord_start);
    v->Visit("score_index", &score_index);
    v->Visit("id_index", &id_index);
    v->Visit("return_indices", &return_indices);
    v->Visit("invalid_to_bottom", &invalid_to_bottom);
  }
  static constexpr const char* _type_key = "relay.attrs.NonMaximumSuppressionAttrs";
  using _type_parent = BaseAttrsNode;
};

struct ROIAlignAttrs : public BaseAttrsNode {
  Array<PrimExpr> pooled_size;
  double spatial_scale{1.0};
  int sample_ratio{-1};
  std::string layout{"NCHW"};
  std::string mode{"avg"};
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("pooled_size", &pooled_size);
    v->Visit("spatial_scale", &spatial_scale);
    v->Visit("sample_ratio", &sample_ratio);
    v->Visit("layout", &layout);
    v->Visit("mode", &mode);
  }
  static constexpr const char* _type_key = "relay.attrs.ROIAlignAttrs";
  using _type_parent = BaseAttrsNode;
};

struct YoloReorgAttrs : public BaseAttrsNode {
  PrimExpr stride{Integer(1)};
  void VisitAttrs(AttrVisitor* v) { v->Visit("stride", &stride); }
  static constexpr const char* _type_key = "relay.attrs.YoloReorgAttrs";
  using _type_parent = BaseAttrsNode;
};

/*! \brief roi_pool: pooled (height, width), scale of the box coordinates, layout (NCHW). */
struct ROIPoolAttrs : public BaseAttrsNode {
  Array<PrimExpr> pooled_size;
  double spatial_scale{1.0};
  std::string layout{"NCHW"};
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("pooled_size", &pooled_size);
    v->Visit("spatial_scale", &spatial_scale);
    v->Visit("layout", &layout);
  }
  static constexpr const char* _type_key = "relay.attrs.ROIPoolAttrs";
  using _type_parent = BaseAttrsNode;
};

/*! \brief proposal: anchors (scales x ratios per feature_stride cell), NMS threshold, box counts. */
struct ProposalAttrs : public BaseAttrsNode {
  Array<PrimExpr> scales;
  Array<PrimExpr> ratios;
  int feature_stride{16};
  double threshold{0.7};
  int rpn_pre_nms_top_n{6000};
  int rpn_post_nms_top_n{300};
  int rpn_min_size{16};
  bool iou_loss{false};
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("scales", &scales);
    v->Visit("ratios", &ratios);
    v->Visit("feature_stride", &feature_stride);
    v->Visit("threshold", &threshold);
    v->Visit("rpn_pre_nms_top_n", &rpn_pre_nms_top_n);
    v->Visit("rpn_post_nms_top_n", &rpn_post_nms_top_n);
    v->Visit("rpn_min_size", &rpn_min_size);
    v->Visit("iou_loss", &iou_loss);
  }
  static constexpr const char* _type_key = "relay.attrs.ProposalAttrs";
  using _type_parent = BaseAttrsNode;
};

/*! \brief all_class_non_max_suppression: "onnx" (selected (class, box) rows) or "tensorflow" output. */
struct AllClassNonMaximumSuppressionAttrs : public BaseAttrsNode {
  std::string output_format{"onnx"};
  void VisitAttrs(AttrVisitor* v) { v->Visit("output_format", &output_format); }
  static constexpr const char* _type_key = "relay.attrs.AllClassNonMaximumSuppressionAttrs";
  using _type_parent = BaseAttrsNode;
};

}  // namespace relay
}  // namespace tvm
#endif  // TVM_RELAY_ATTRS_VISION_H_
