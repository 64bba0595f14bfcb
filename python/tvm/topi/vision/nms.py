# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Box filtering and non-maximum suppression (TVM v0.14's topi.vision names).

Both are sequential within a batch (each box's fate depends on the boxes kept
before it), so each is an extern operation whose body is a TIR loop nest built
with the IR builder: one parallel loop over the batch, serial work inside.

Boxes are rows of data (batch, num_anchors, elements); a removed row is filled
with -1 and its index is -1, as in TVM.
"""
from ... import te, tir
from ...tir import ir_builder
from ..sort import argsort
from ..transform import reshape as _transform_reshape
from ._common import scalar_input, box_iou

__all__ = ["get_valid_counts", "non_max_suppression", "all_class_non_max_suppression"]


def _check_boxes(op, data):
    if len(data.shape) != 3:
        raise ValueError(f"topi.vision.{op}: data must be 3-D (batch, num_anchors, elements), "
                         f"got shape {tuple(data.shape)}")


def get_valid_counts(data, score_threshold=0, id_index=0, score_index=1):
    """The boxes whose score exceeds score_threshold (and whose class id, when id_index >= 0,
    is not negative), moved to the front of each batch in their order.

    Returns [valid_count (batch,) int32, out (like data, rows past the count -1),
    out_indices (batch, num_anchors) int32: the original position of each kept row, -1 after]."""
    _check_boxes("get_valid_counts", data)
    batch, num_anchors, elements = data.shape
    inputs = [data]
    threshold = scalar_input(score_threshold, data.dtype, inputs)
    id_index, score_index = int(id_index), int(score_index)

    def body(ins, outs):
        ib = ir_builder.create()
        src = ib.buffer_ptr(ins[0])
        thr = threshold(ib, ins)
        count, out, out_idx = (ib.buffer_ptr(b) for b in outs)
        minus_one = tir.const(-1, data.dtype)
        with ib.for_range(0, batch, name="b", kind="parallel") as b:
            count[b] = 0
            with ib.for_range(0, num_anchors, name="j") as j:
                keep = src[b, j, score_index] > thr
                if id_index >= 0:
                    keep = tir.all(keep, src[b, j, id_index] >= tir.const(0, data.dtype))
                with ib.if_scope(keep):
                    with ib.for_range(0, elements, name="k") as k:
                        out[b, count[b], k] = src[b, j, k]
                    out_idx[b, count[b]] = tir.Cast("int32", j)
                    count[b] = count[b] + 1
            with ib.for_range(0, num_anchors, name="j") as j:
                with ib.if_scope(j >= count[b]):
                    with ib.for_range(0, elements, name="k") as k:
                        out[b, j, k] = minus_one
                    out_idx[b, j] = -1
        return ib.get()

    outs = te.extern([(batch,), (batch, num_anchors, elements), (batch, num_anchors)], inputs, body,
                     dtype=["int32", data.dtype, "int32"], name="get_valid_counts", tag="get_valid_counts")
    return list(outs)


def non_max_suppression(data, valid_count, indices, max_output_size=-1, iou_threshold=0.5, force_suppress=False,
                        top_k=-1, coord_start=2, score_index=1, id_index=0, return_indices=True,
                        invalid_to_bottom=False):
    """Greedy non-maximum suppression of the first valid_count[b] boxes of each batch.

    The valid boxes are taken in decreasing score (the top_k best when top_k > 0); a box is
    dropped when its IoU with a kept box (of the same class unless force_suppress, or always
    when id_index < 0) reaches iou_threshold, or when max_output_size boxes (>= 0) are kept.
    Boxes with a score <= 0 are neither kept nor compared. iou_threshold <= 0 keeps the
    valid boxes as they are.

    Returns the boxes (data's shape; removed rows -1, moved to the bottom when
    invalid_to_bottom), or with return_indices [indices (batch, num_anchors) int32 of the
    kept boxes, mapped through `indices`, first and -1 after; count (batch, 1) int32]."""
    _check_boxes("non_max_suppression", data)
    batch, num_anchors, elements = data.shape
    if int(coord_start) + 4 > int(elements) or int(score_index) >= int(elements):
        raise ValueError(f"topi.vision.non_max_suppression: coord_start={coord_start} (4 coordinates) and "
                         f"score_index={score_index} must lie within the {elements} elements of each box")
    coord_start, score_index, id_index, top_k = int(coord_start), int(score_index), int(id_index), int(top_k)
    dtype = data.dtype
    # Scores of the valid boxes, the others below every score, so that a stable descending
    # argsort puts the valid ones first in decreasing score (ties in their order).
    lowest = tir.min_value(dtype)
    scores = te.compute((batch, num_anchors),
                        lambda b, j: tir.Select(j < valid_count[b], data[b, j, score_index], lowest),
                        name="nms_scores", tag="injective")
    order = argsort(scores, axis=1, is_ascend=False, dtype="int32")
    inputs = [data, order, valid_count, indices]
    max_output = scalar_input(max_output_size, "int32", inputs)
    iou_thr = scalar_input(iou_threshold, dtype, inputs)

    def nms_ir(ib, ins, out, box_idx):
        src, sorted_idx, valid, orig_idx = (ib.buffer_ptr(b) for b in ins[:4])
        max_out = max_output(ib, ins)
        thr = iou_thr(ib, ins)
        zero, minus_one = tir.const(0, dtype), tir.const(-1, dtype)

        def drop(b, j):
            with ib.for_range(0, elements, name="k") as k:
                out[b, j, k] = minus_one
            box_idx[b, j] = -1

        with ib.for_range(0, batch, name="b", kind="parallel") as b:
            count = valid[b]
            kept = ib.allocate("int32", (1,), name="kept")
            keep = ib.allocate("int32", (1,), name="keep")
            with ib.if_scope(thr > zero):
                n_keep = count if top_k <= 0 else tir.Select(count > top_k, tir.const(top_k, "int32"), count)
                with ib.for_range(0, count, name="j") as j:
                    with ib.if_scope(j < n_keep):
                        with ib.for_range(0, elements, name="k") as k:
                            out[b, j, k] = src[b, sorted_idx[b, j], k]
                        box_idx[b, j] = sorted_idx[b, j]
                    with ib.else_scope():
                        drop(b, j)
                kept[0] = 0
                with ib.for_range(0, count, name="j") as j:
                    with ib.if_scope(kept[0] == max_out):
                        drop(b, j)
                    with ib.else_scope():
                        with ib.if_scope(out[b, j, score_index] > zero):
                            keep[0] = 1
                            box_j = [out[b, j, coord_start + c] for c in range(4)]
                            with ib.for_range(0, j, name="i") as i:
                                compare = tir.all(keep[0] == 1, out[b, i, score_index] > zero)
                                if id_index >= 0:
                                    compare = tir.all(compare, out[b, i, id_index] >= zero)
                                    if not force_suppress:
                                        compare = tir.all(compare, out[b, j, id_index] == out[b, i, id_index])
                                with ib.if_scope(compare):
                                    box_i = [out[b, i, coord_start + c] for c in range(4)]
                                    with ib.if_scope(box_iou(box_j, box_i, zero) >= thr):
                                        keep[0] = 0
                            with ib.if_scope(keep[0] == 0):
                                drop(b, j)
                            with ib.else_scope():
                                kept[0] = kept[0] + 1
            with ib.else_scope():
                with ib.for_range(0, count, name="j") as j:
                    with ib.for_range(0, elements, name="k") as k:
                        out[b, j, k] = src[b, j, k]
                    box_idx[b, j] = tir.Cast("int32", j)
            with ib.for_range(count, num_anchors, name="j") as j:
                drop(b, j)
        return b

    if return_indices:

        def body(ins, outs):
            ib = ir_builder.create()
            out = ib.allocate(dtype, (batch, num_anchors, elements), name="nms_boxes")
            box_idx = ib.allocate("int32", (batch, num_anchors), name="nms_box_idx")
            nms_ir(ib, ins, out, box_idx)
            result, total = (ib.buffer_ptr(b) for b in outs)
            orig_idx, valid = ib.buffer_ptr(ins[3]), ib.buffer_ptr(ins[2])
            # The kept boxes' original indices first, in order; -1 after.
            with ib.for_range(0, batch, name="b", kind="parallel") as b:
                total[b, 0] = 0
                with ib.for_range(0, num_anchors, name="j") as j:
                    with ib.if_scope(tir.all(j < valid[b], box_idx[b, j] >= 0)):
                        result[b, total[b, 0]] = orig_idx[b, box_idx[b, j]]
                        total[b, 0] = total[b, 0] + 1
                with ib.for_range(0, num_anchors, name="j") as j:
                    with ib.if_scope(j >= total[b, 0]):
                        result[b, j] = -1
            return ib.get()

        outs = te.extern([(batch, num_anchors), (batch, 1)], inputs, body, dtype=["int32", "int32"],
                         name="non_max_suppression", tag="non_max_suppression")
        return list(outs)

    def body(ins, outs):
        ib = ir_builder.create()
        box_idx = ib.allocate("int32", (batch, num_anchors), name="nms_box_idx")
        if not invalid_to_bottom:
            nms_ir(ib, ins, ib.buffer_ptr(outs[0]), box_idx)
            return ib.get()
        boxes = ib.allocate(dtype, (batch, num_anchors, elements), name="nms_boxes")
        nms_ir(ib, ins, boxes, box_idx)
        out = ib.buffer_ptr(outs[0])
        # Rows whose first element is not negative move up, in order (as TVM does).
        with ib.for_range(0, batch, name="b", kind="parallel") as b:
            moved = ib.allocate("int32", (1,), name="moved")
            moved[0] = 0
            with ib.for_range(0, num_anchors, name="j") as j:
                with ib.if_scope(boxes[b, j, 0] >= tir.const(0, dtype)):
                    with ib.for_range(0, elements, name="k") as k:
                        out[b, moved[0], k] = boxes[b, j, k]
                    moved[0] = moved[0] + 1
            with ib.for_range(0, num_anchors, name="j") as j:
                with ib.if_scope(j >= moved[0]):
                    with ib.for_range(0, elements, name="k") as k:
                        out[b, j, k] = tir.const(-1, dtype)
        return ib.get()

    return te.extern([(batch, num_anchors, elements)], inputs, body, dtype=[dtype], name="non_max_suppression",
                     tag="non_max_suppression")


def all_class_non_max_suppression(boxes, scores, max_output_boxes_per_class, iou_threshold, score_threshold,
                                  output_format="onnx"):
    """Greedy NMS of each class of each batch, as ONNX's NonMaxSuppression (corner boxes).

    boxes (batch, num_boxes, 4), scores (batch, num_classes, num_boxes). For each (batch, class)
    the boxes scoring above score_threshold are taken in decreasing score (ties in index order)
    and kept unless their IoU with a kept box reaches iou_threshold, up to
    max_output_boxes_per_class (a negative value: no limit).

    onnx: [selected (batch * classes * boxes, 3) int64 rows (batch, class, box), batch then class
    then score order, -1 past the count; count (1,) int64].
    tensorflow: [selected (batch, classes * boxes, 2) int64 rows (class, box) per batch, class
    after class, each class's in decreasing score, zeros past the count; their scores
    (batch, classes * boxes) float32; count per batch (batch,) int64]."""
    if output_format not in ("onnx", "tensorflow"):
        raise ValueError(f"topi.vision.all_class_non_max_suppression: output_format must be onnx or tensorflow, "
                         f"got {output_format!r}")
    batch, num_boxes, _ = boxes.shape
    _, num_classes, _ = scores.shape
    order = argsort(_transform_reshape(scores, (batch * num_classes, num_boxes)), axis=1, is_ascend=False,
                    dtype="int32")
    inputs = [boxes, scores, order]
    max_out = scalar_input(max_output_boxes_per_class, "int32", inputs)
    iou_thr = scalar_input(iou_threshold, boxes.dtype, inputs)
    score_thr = scalar_input(score_threshold, scores.dtype, inputs)
    per_batch = num_classes * num_boxes
    onnx = output_format == "onnx"

    def body(ins, outs):
        ib = ir_builder.create()
        box, score, perm = (ib.buffer_ptr(b) for b in ins[:3])
        limit, thr, min_score = max_out(ib, ins), iou_thr(ib, ins), score_thr(ib, ins)
        zero = tir.const(0, boxes.dtype)
        kept = ib.allocate("int32", (num_boxes,), name="kept")
        n_kept = ib.allocate("int32", (1,), name="n_kept")
        keep = ib.allocate("int32", (1,), name="keep")
        if onnx:
            selected, total = ib.buffer_ptr(outs[0]), ib.buffer_ptr(outs[1])
            with ib.for_range(0, batch * per_batch, name="r") as r:
                for col in range(3):
                    selected[r, col] = tir.const(-1, "int64")
            total[0] = tir.const(0, "int64")
        else:
            selected, sel_score, counts = (ib.buffer_ptr(b) for b in outs)
            with ib.for_range(0, batch, name="b") as b:
                counts[b] = tir.const(0, "int64")
                with ib.for_range(0, per_batch, name="r") as r:  # zeros past the count, as TVM
                    selected[b, r, 0] = tir.const(0, "int64")
                    selected[b, r, 1] = tir.const(0, "int64")
                    sel_score[b, r] = tir.const(0, "float32")
        with ib.for_range(0, batch, name="b") as b:
            with ib.for_range(0, num_classes, name="c") as c:
                n_kept[0] = 0
                with ib.for_range(0, num_boxes, name="j") as j:
                    idx = perm[b * num_classes + c, j]
                    room = tir.any(limit < 0, n_kept[0] < limit)
                    with ib.if_scope(tir.all(score[b, c, idx] > min_score, room)):
                        keep[0] = 1
                        with ib.for_range(0, n_kept[0], name="t") as t:
                            other = kept[t]
                            overlap = box_iou([box[b, idx, k] for k in range(4)], [box[b, other, k] for k in range(4)],
                                              zero)
                            with ib.if_scope(tir.all(keep[0] == 1, overlap >= thr)):
                                keep[0] = 0
                        with ib.if_scope(keep[0] == 1):
                            kept[n_kept[0]] = idx
                            n_kept[0] = n_kept[0] + 1
                with ib.for_range(0, n_kept[0], name="t") as t:
                    if onnx:
                        row = tir.Cast("int32", total[0]) + t
                        selected[row, 0] = tir.Cast("int64", b)
                        selected[row, 1] = tir.Cast("int64", c)
                        selected[row, 2] = tir.Cast("int64", kept[t])
                    else:
                        # Class-major, each class's boxes in the order kept (decreasing score):
                        # TVM v0.14 sorts within a class, not across classes.
                        row = tir.Cast("int32", counts[b])
                        selected[b, row, 0] = tir.Cast("int64", c)
                        selected[b, row, 1] = tir.Cast("int64", kept[t])
                        sel_score[b, row] = tir.Cast("float32", score[b, c, kept[t]])
                        counts[b] = counts[b] + tir.const(1, "int64")
                if onnx:
                    total[0] = total[0] + tir.Cast("int64", n_kept[0])
        return ib.get()

    if onnx:
        outs = te.extern([(batch * per_batch, 3), (1,)], inputs, body, dtype=["int64", "int64"],
                         name="all_class_nms", tag="all_class_nms")
    else:
        outs = te.extern([(batch, per_batch, 2), (batch, per_batch), (batch,)], inputs, body,
                         dtype=["int64", "float32", "int64"], name="all_class_nms", tag="all_class_nms")
    return list(outs)
