# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""relay.vision: anchors, box decoding, NMS, roi_align, yolo_reorg (TVM v0.14 signatures)."""
from ...expr import Expr, TupleWrapper, const
from . import _make

__all__ = [
    "multibox_prior", "multibox_transform_loc", "get_valid_counts", "non_max_suppression", "roi_align",
    "yolo_reorg",
]


def multibox_prior(data, sizes=(1.0,), ratios=(1.0,), steps=(-1.0, -1.0), offsets=(0.5, 0.5), clip=False):
    """Anchor boxes (1, H * W * (len(sizes) + len(ratios) - 1), 4) for an NCHW feature map."""
    floats = lambda v: [float(x) for x in v]  # noqa: E731
    return _make.multibox_prior(data, floats(sizes), floats(ratios), floats(steps), floats(offsets), clip)


def multibox_transform_loc(cls_prob, loc_pred, anchor, clip=True, threshold=0.01, variances=(0.1, 0.1, 0.2, 0.2),
                           keep_background=False):
    """Decode box predictions against anchors: ((B, N, 6) boxes, (B,) valid counts)."""
    out = _make.multibox_transform_loc(cls_prob, loc_pred, anchor, clip, float(threshold),
                                       [float(v) for v in variances], keep_background)
    return TupleWrapper(out, 2)


def get_valid_counts(data, score_threshold, id_index=0, score_index=1):
    """(valid count, boxes with the valid ones first, their indices)."""
    if not isinstance(score_threshold, Expr):
        score_threshold = const(score_threshold, "float32")
    return TupleWrapper(_make.get_valid_counts(data, score_threshold, id_index, score_index), 3)


def non_max_suppression(data, valid_count, indices, max_output_size=-1, iou_threshold=0.5, force_suppress=False,
                        top_k=-1, coord_start=2, score_index=1, id_index=0, return_indices=True,
                        invalid_to_bottom=False):
    """Non-maximum suppression; (indices, count) when return_indices, else the boxes."""
    if not isinstance(max_output_size, Expr):
        max_output_size = const(max_output_size, "int32")
    if not isinstance(iou_threshold, Expr):
        iou_threshold = const(iou_threshold, "float32")
    out = _make.non_max_suppression(data, valid_count, indices, max_output_size, iou_threshold, force_suppress,
                                    top_k, coord_start, score_index, id_index, return_indices, invalid_to_bottom)
    if return_indices:
        return TupleWrapper(out, 2)
    return out


def roi_align(data, rois, pooled_size, spatial_scale, sample_ratio=-1, layout="NCHW", mode="avg"):
    """Pool each region of interest to pooled_size by bilinear sampling."""
    return _make.roi_align(data, rois, list(pooled_size), float(spatial_scale), sample_ratio, layout, mode)


def yolo_reorg(data, stride):
    """Darknet's reorg: (N, C, H, W) -> (N, C * stride^2, H / stride, W / stride)."""
    return _make.yolo_reorg(data, stride)


# ---------------------------------------------------------------- src/relay/op/vision/rcnn.cc

__all__ += ["roi_pool", "proposal", "all_class_non_max_suppression"]


def roi_pool(data, rois, pooled_size, spatial_scale, layout="NCHW"):
    """Max-pool each region (batch index, x1, y1, x2, y2) of rois, rounded to pixels, to pooled_size."""
    return _make.roi_pool(data, rois, list(pooled_size), float(spatial_scale), layout)


def proposal(cls_prob, bbox_pred, im_info, scales, ratios, feature_stride, threshold, rpn_pre_nms_top_n,
             rpn_post_nms_top_n, rpn_min_size, iou_loss):
    """Region proposals (batch * rpn_post_nms_top_n, 5) rows (batch index, x1, y1, x2, y2)."""
    return _make.proposal(cls_prob, bbox_pred, im_info, [float(s) for s in scales], [float(r) for r in ratios],
                          int(feature_stride), float(threshold), int(rpn_pre_nms_top_n), int(rpn_post_nms_top_n),
                          int(rpn_min_size), bool(iou_loss))


def all_class_non_max_suppression(boxes, scores, max_output_boxes_per_class=-1, iou_threshold=-1.0,
                                  score_threshold=-1.0, output_format="onnx"):
    """NMS of every class of every batch. onnx: (selected (batch, class, box) rows, their count);
    tensorflow: (selected (class, box) per batch, their scores, count per batch)."""
    if not isinstance(max_output_boxes_per_class, Expr):
        max_output_boxes_per_class = const(max_output_boxes_per_class, "int32")
    if not isinstance(iou_threshold, Expr):
        iou_threshold = const(iou_threshold, "float32")
    if not isinstance(score_threshold, Expr):
        score_threshold = const(score_threshold, "float32")
    out = _make.all_class_non_max_suppression(boxes, scores, max_output_boxes_per_class, iou_threshold,
                                              score_threshold, output_format)
    return TupleWrapper(out, 2 if output_format == "onnx" else 3)
