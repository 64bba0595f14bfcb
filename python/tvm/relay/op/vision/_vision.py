# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Computes and schedules of the detection operators: yolo_reorg and multibox_prior are
plain tensor expressions; the sequential ones (get_valid_counts, non_max_suppression,
multibox_transform_loc, roi_align, roi_pool) are TOPI's extern loop nests
(tvm.topi.vision), scheduled by the generic extern schedule."""
from .... import te
from .... import tir
from .... import topi
from ..op import register_compute, register_schedule, register_injective_schedule, register_convert_op_layout


@register_compute("vision.yolo_reorg")
def _yolo_reorg_compute(attrs, inputs, out_type):
    """Darknet's reorg: element (b, k, j, i) of the input's shape reads the flat input at
    i * s + o % s + W * s * (j * s + o // s + H * s * (k % C' + C' * b)), with o = k // C' and
    C' = C / s^2; the result is then viewed as (B, C * s^2, H / s, W / s)."""
    data = inputs[0]
    stride = int(attrs.stride)
    static = all(isinstance(d, tir.IntImm) for d in data.shape)
    # Sizes may be relay.Any() (int64 variables): then all index arithmetic is int64.
    batch, channels, height, width = ((int(d) for d in data.shape) if static else
                                      (d if d.dtype == "int64" else d.astype("int64") for d in data.shape))
    out_c = channels // (stride * stride)
    if static and out_c == 0:
        raise ValueError(f"vision.yolo_reorg: {channels} channels are fewer than stride^2 = {stride * stride}")
    if not static:  # a run-time channel count below stride^2 must not divide by zero
        out_c = te.max(out_c, tir.const(1, "int64"))
    flat = topi.reshape(data, [-1])

    def body(b, k, j, i):
        offset = k // out_c
        w2 = i * stride + offset % stride
        h2 = j * stride + offset // stride
        return flat[w2 + width * stride * (h2 + height * stride * (k % out_c + out_c * b))]

    moved = te.compute([batch, channels, height, width], body, name="T_reorg", tag="injective")
    derived = [batch, channels * stride * stride, height // stride, width // stride]
    shape = [d if isinstance(d, tir.IntImm) else e for d, e in zip(out_type.shape, derived)]
    return [topi.reshape(moved, shape)]


@register_compute("vision.multibox_prior")
def _multibox_prior_compute(attrs, inputs, out_type):
    """Anchor boxes (x1, y1, x2, y2) centred on each cell: one per size at the first ratio,
    then one per further ratio at the first size, as TVM's SSD prior."""
    data = inputs[0]
    height, width = int(data.shape[2]), int(data.shape[3])
    sizes = [float(s) for s in attrs.sizes]
    ratios = [float(r) for r in attrs.ratios]
    steps = [float(s) for s in attrs.steps]
    offsets = [float(o) for o in attrs.offsets]
    step_h = steps[0] if steps[0] > 0 else 1.0 / height
    step_w = steps[1] if steps[1] > 0 else 1.0 / width
    # Half extents of each of the anchors of a cell, known now.
    halves = [(s * height / width / 2.0, s / 2.0) for s in sizes]
    halves += [(sizes[0] * height / width * r ** 0.5 / 2.0, sizes[0] / r ** 0.5 / 2.0) for r in ratios[1:]]
    per_cell = len(halves)
    dtype = out_type.dtype

    def pick(values, k):
        result = tir.const(values[-1], dtype)
        for n in range(len(values) - 2, -1, -1):
            result = tir.Select(k == n, tir.const(values[n], dtype), result)
        return result

    def body(_, n, c):
        cell, k = n // per_cell, n % per_cell
        center_h = (tir.Cast(dtype, cell // width) + offsets[0]) * step_h
        center_w = (tir.Cast(dtype, cell % width) + offsets[1]) * step_w
        half_w = pick([w for w, _ in halves], k)
        half_h = pick([h for _, h in halves], k)
        value = tir.Select(c == 0, center_w - half_w,
                           tir.Select(c == 1, center_h - half_h,
                                      tir.Select(c == 2, center_w + half_w, center_h + half_h)))
        return tir.max(tir.min(value, tir.const(1, dtype)), tir.const(0, dtype)) if attrs.clip else value

    return [te.compute(out_type.shape, body, name="T_multibox_prior", tag="injective")]


register_injective_schedule("vision.yolo_reorg")
register_injective_schedule("vision.multibox_prior")


def _extern_schedule(name):
    def schedule(attrs, outs, target):  # pylint: disable=unused-argument
        with target:
            return getattr(topi.generic, name)(outs)

    return schedule


@register_compute("vision.get_valid_counts")
def _get_valid_counts_compute(attrs, inputs, out_type):  # pylint: disable=unused-argument
    return topi.vision.get_valid_counts(inputs[0], inputs[1], int(attrs.id_index), int(attrs.score_index))


@register_compute("vision.non_max_suppression")
def _nms_compute(attrs, inputs, out_type):  # pylint: disable=unused-argument
    # max_output_size and iou_threshold are scalar tensors (Relay inputs 3 and 4).
    out = topi.vision.non_max_suppression(
        inputs[0], inputs[1], inputs[2], inputs[3], inputs[4], bool(attrs.force_suppress), int(attrs.top_k),
        int(attrs.coord_start), int(attrs.score_index), int(attrs.id_index), bool(attrs.return_indices),
        bool(attrs.invalid_to_bottom))
    return out if isinstance(out, list) else [out]


@register_compute("vision.multibox_transform_loc")
def _multibox_transform_loc_compute(attrs, inputs, out_type):  # pylint: disable=unused-argument
    return topi.vision.ssd.multibox_transform_loc(
        inputs[0], inputs[1], inputs[2], bool(attrs.clip), float(attrs.threshold),
        [float(v) for v in attrs.variances], bool(attrs.keep_background))


@register_compute("vision.roi_align")
def _roi_align_compute(attrs, inputs, out_type):  # pylint: disable=unused-argument
    return [topi.vision.rcnn.roi_align(inputs[0], inputs[1], [int(p) for p in attrs.pooled_size],
                                       float(attrs.spatial_scale), str(attrs.mode), int(attrs.sample_ratio),
                                       str(attrs.layout))]


register_schedule("vision.get_valid_counts", _extern_schedule("schedule_get_valid_counts"))
register_schedule("vision.non_max_suppression", _extern_schedule("schedule_nms"))
register_schedule("vision.multibox_transform_loc", _extern_schedule("schedule_multibox_transform_loc"))
register_schedule("vision.roi_align", _extern_schedule("schedule_roi_align"))


@register_convert_op_layout("vision.roi_align")
def _convert_roi_align_layout(attrs, inputs, tinfos, desired_layouts):  # pylint: disable=unused-argument
    """ConvertLayout: roi_align reading its data (and writing its result) in NCHW or NHWC; the
    second desired layout, for the rois, must be "default"."""
    from .vision import roi_align  # pylint: disable=import-outside-toplevel

    layouts = [str(layout) for layout in desired_layouts]
    if not layouts or layouts[0] not in ("NCHW", "NHWC") or any(l != "default" for l in layouts[1:]):
        raise ValueError(f"ConvertLayout: vision.roi_align takes [layout] or [layout, 'default'] with layout "
                         f"NCHW or NHWC, got {layouts}")
    if str(attrs.layout) == layouts[0]:
        return None
    return roi_align(inputs[0], inputs[1], [int(p) for p in attrs.pooled_size], float(attrs.spatial_scale),
                     int(attrs.sample_ratio), layouts[0], str(attrs.mode))


@register_compute("vision.roi_pool")
def _roi_pool_compute(attrs, inputs, out_type):  # pylint: disable=unused-argument
    return [topi.vision.rcnn.roi_pool_nchw(inputs[0], inputs[1], [int(p) for p in attrs.pooled_size],
                                           float(attrs.spatial_scale))]


register_schedule("vision.roi_pool", _extern_schedule("schedule_roi_pool"))


@register_compute("vision.all_class_non_max_suppression")
def _all_class_nms_compute(attrs, inputs, out_type):  # pylint: disable=unused-argument
    return topi.vision.all_class_non_max_suppression(inputs[0], inputs[1], inputs[2], inputs[3], inputs[4],
                                                     str(attrs.output_format))


register_schedule("vision.all_class_non_max_suppression", _extern_schedule("schedule_nms"))


@register_compute("vision.proposal")
def _proposal_compute(attrs, inputs, out_type):  # pylint: disable=unused-argument
    return [topi.vision.rcnn.proposal(inputs[0], inputs[1], inputs[2], [float(s) for s in attrs.scales],
                                      [float(r) for r in attrs.ratios], int(attrs.feature_stride),
                                      float(attrs.threshold), int(attrs.rpn_pre_nms_top_n),
                                      int(attrs.rpn_post_nms_top_n), int(attrs.rpn_min_size), bool(attrs.iou_loss))]


register_schedule("vision.proposal", _extern_schedule("schedule_proposal"))
