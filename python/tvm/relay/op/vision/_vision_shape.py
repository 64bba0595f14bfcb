# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Shape functions of the vision operators, mirroring src/relay/op/vision/. Their outputs
are padded to the most boxes there can be (the count of valid ones is a separate output),
so none is data dependent, as in TVM."""
from .._shape_util import i64, dims, safe_div, register, shapes


@shapes
def multibox_prior(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    data = dims(inputs[0])
    anchors = len(attrs.sizes) + len(attrs.ratios) - 1
    return [[i64(1), data[2] * data[3] * anchors, i64(4)]]


@shapes
def multibox_transform_loc(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    cls = dims(inputs[0])
    return [[cls[0], cls[2], i64(6)], [cls[0]]]


@shapes
def get_valid_counts(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    data = dims(inputs[0])
    return [[data[0]], data, data[:2]]


@shapes
def non_max_suppression(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    data = dims(inputs[0])
    if bool(attrs.return_indices):
        return [data[:2], [data[0], i64(1)]]
    return [data]


@shapes
def all_class_non_max_suppression(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    boxes, scores = dims(inputs[0]), dims(inputs[1])
    batch, classes, num = boxes[0], scores[1], boxes[1]
    if str(attrs.output_format) == "onnx":
        return [[batch * classes * num, i64(3)], [i64(1)]]
    return [[batch, classes * num, i64(2)], [batch, classes * num], [batch]]


def _roi(attrs, inputs):
    data, rois = dims(inputs[0]), dims(inputs[1])
    pooled = [i64(int(p)) for p in attrs.pooled_size]
    if str(getattr(attrs, "layout", "NCHW")) == "NCHW":
        return [[rois[0], data[1]] + pooled]
    return [[rois[0]] + pooled + [data[3]]]


@shapes
def roi_align(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    return _roi(attrs, inputs)


@shapes
def roi_pool(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    return _roi(attrs, inputs)


@shapes
def proposal(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    cls = dims(inputs[0])
    return [[cls[0] * int(attrs.rpn_post_nms_top_n), i64(5)]]


@shapes
def yolo_reorg(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    data = dims(inputs[0])
    s = int(attrs.stride)
    return [[data[0], data[1] * (s * s), safe_div(data[2], s), safe_div(data[3], s)]]


register("vision.multibox_prior", False, multibox_prior)
register("vision.multibox_transform_loc", False, multibox_transform_loc)
register("vision.get_valid_counts", False, get_valid_counts)
register("vision.non_max_suppression", False, non_max_suppression)
register("vision.all_class_non_max_suppression", False, all_class_non_max_suppression)
register("vision.roi_align", False, roi_align)
register("vision.roi_pool", False, roi_pool)
register("vision.proposal", False, proposal)
register("vision.yolo_reorg", False, yolo_reorg)
