# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Region proposals of a two-stage detector (TVM v0.14's topi.vision.rcnn.proposal).

Three steps: every anchor of every feature-map cell is moved by its predicted
deltas and clipped to the image (boxes too small, or cells past the image, score
-1); the boxes are sorted by score; the best rpn_pre_nms_top_n go through greedy
non-maximum suppression (pixel-inclusive areas, as Faster R-CNN counts them) and
the survivors fill rpn_post_nms_top_n rows per batch, cycling when there are fewer.
"""
import math

from .... import te, tir
from ....tir import ir_builder
from ...sort import argsort

__all__ = ["proposal"]


def _anchor(ratio, scale, base_size):
    """The anchor (x1, y1, x2, y2) of one ratio and scale centred in a base_size cell."""
    centre = 0.5 * (base_size - 1.0)
    width = math.floor(math.sqrt(math.floor(base_size * base_size / ratio)) + 0.5) * scale
    height = math.floor(width / scale * ratio + 0.5) * scale
    return (centre - 0.5 * (width - 1.0), centre - 0.5 * (height - 1.0), centre + 0.5 * (width - 1.0),
            centre + 0.5 * (height - 1.0))


def proposal(cls_prob, bbox_pred, im_info, scales, ratios, feature_stride, threshold, rpn_pre_nms_top_n,
             rpn_post_nms_top_n, rpn_min_size, iou_loss):
    """cls_prob (B, 2A, H, W) (background then foreground scores of the A anchors), bbox_pred
    (B, 4A, H, W), im_info (B, 3) rows (height, width, scale) -> (B * rpn_post_nms_top_n, 5) rows
    (batch index, x1, y1, x2, y2)."""
    batch, channels, height, width = (int(d) for d in cls_prob.shape)
    scales, ratios = [float(s) for s in scales], [float(r) for r in ratios]
    num_anchors = len(scales) * len(ratios)
    if channels != 2 * num_anchors:
        raise ValueError(f"topi.vision.rcnn.proposal: cls_prob {tuple(cls_prob.shape)} must have 2 channels for each "
                         f"of the {num_anchors} anchors")
    num_bbox = height * width * num_anchors
    pre_n = min(rpn_pre_nms_top_n, num_bbox) if rpn_pre_nms_top_n > 0 else num_bbox
    post_n = int(rpn_post_nms_top_n)
    dtype = bbox_pred.dtype
    anchors = [_anchor(ratios[k // len(scales)], scales[k % len(scales)], float(feature_stride))
               for k in range(num_anchors)]

    def predict(ins, outs):
        ib = ir_builder.create()
        score, delta, info = (ib.buffer_ptr(b) for b in ins)
        out = ib.buffer_ptr(outs[0])
        one, half, zero = tir.const(1, dtype), tir.const(0.5, dtype), tir.const(0, dtype)
        with ib.for_range(0, batch * height * width, name="cell", kind="parallel") as cell:
            w = cell % width
            h = (cell // width) % height
            b = cell // (width * height)
            im_h, im_w, im_scale = info[b, 0], info[b, 1], info[b, 2]
            for k, (ax1, ay1, ax2, ay2) in enumerate(anchors):
                row = (cell % (height * width)) * num_anchors + k
                shift_x = tir.Cast(dtype, w * feature_stride)
                shift_y = tir.Cast(dtype, h * feature_stride)
                x1, y1 = tir.const(ax1, dtype) + shift_x, tir.const(ay1, dtype) + shift_y
                x2, y2 = tir.const(ax2, dtype) + shift_x, tir.const(ay2, dtype) + shift_y
                d = [delta[b, k * 4 + i, h, w] for i in range(4)]
                if iou_loss:
                    px1, py1, px2, py2 = x1 + d[0], y1 + d[1], x2 + d[2], y2 + d[3]
                else:
                    bw, bh = x2 - x1 + one, y2 - y1 + one
                    cx, cy = d[0] * bw + x1 + half * (bw - one), d[1] * bh + y1 + half * (bh - one)
                    pw, ph = tir.exp(d[2]) * bw, tir.exp(d[3]) * bh
                    px1, py1 = cx - half * (pw - one), cy - half * (ph - one)
                    px2, py2 = cx + half * (pw - one), cy + half * (ph - one)
                px1 = tir.max(tir.min(px1, im_w - one), zero)
                py1 = tir.max(tir.min(py1, im_h - one), zero)
                px2 = tir.max(tir.min(px2, im_w - one), zero)
                py2 = tir.max(tir.min(py2, im_h - one), zero)
                past_image = tir.any(h >= tir.Cast("int32", im_h / tir.const(feature_stride, dtype)),
                                     w >= tir.Cast("int32", im_w / tir.const(feature_stride, dtype)))
                min_size = im_scale * tir.const(rpn_min_size, dtype)
                too_small = tir.any(px2 - px1 + one < min_size, py2 - py1 + one < min_size)
                # A box too small is widened by min_size / 2 each side and scores -1.
                grow = tir.Select(too_small, min_size * half, zero)
                out[b, row, 0] = px1 - grow
                out[b, row, 1] = py1 - grow
                out[b, row, 2] = px2 + grow
                out[b, row, 3] = py2 + grow
                fg = score[b, num_anchors + k, h, w]
                out[b, row, 4] = tir.Select(tir.any(too_small, past_image), tir.const(-1, dtype), fg)
        return ib.get()

    boxes = te.extern([(batch, num_bbox, 5)], [cls_prob, bbox_pred, im_info], predict, dtype=[dtype],
                      name="proposal_boxes", tag="proposal_boxes")
    scores = te.compute((batch, num_bbox), lambda b, i: boxes[b, i, 4], name="proposal_scores", tag="injective")
    order = argsort(scores, axis=1, is_ascend=False, dtype="int32")

    def select(ins, outs):
        ib = ir_builder.create()
        box, perm = ib.buffer_ptr(ins[0]), ib.buffer_ptr(ins[1])
        out = ib.buffer_ptr(outs[0])
        one, zero = tir.const(1, dtype), tir.const(0, dtype)
        with ib.for_range(0, batch, name="b", kind="parallel") as b:
            removed = ib.allocate("int32", (pre_n,), name="removed")
            with ib.for_range(0, pre_n, name="i") as i:
                removed[i] = 0

            def corner(pos, c):
                return box[b, perm[b, pos], c]

            with ib.for_range(0, pre_n, name="l") as l:
                with ib.if_scope(removed[l] == 0):
                    with ib.for_range(l + 1, pre_n, name="i") as i:
                        iw = tir.max(zero, tir.min(corner(l, 2), corner(i, 2)) - tir.max(corner(l, 0), corner(i, 0)) + one)
                        ih = tir.max(zero, tir.min(corner(l, 3), corner(i, 3)) - tir.max(corner(l, 1), corner(i, 1)) + one)
                        inter = iw * ih
                        union = ((corner(l, 2) - corner(l, 0) + one) * (corner(l, 3) - corner(l, 1) + one)
                                 + (corner(i, 2) - corner(i, 0) + one) * (corner(i, 3) - corner(i, 1) + one) - inter)
                        with ib.if_scope(inter > tir.const(threshold, dtype) * union):
                            removed[i] = 1
            # The survivors in score order, again from the best until post_n rows are written.
            written = ib.allocate("int32", (1,), name="written")
            kept = ib.allocate("int32", (1,), name="kept")
            written[0] = 0
            kept[0] = 0
            with ib.for_range(0, pre_n, name="i") as i:
                kept[0] = kept[0] + tir.Select(removed[i] == 0, 1, 0)
            with ib.if_scope(kept[0] == 0):
                with ib.for_range(0, post_n, name="r") as r:
                    with ib.for_range(0, 5, name="c") as c:
                        out[b * post_n + r, c] = zero
            with ib.else_scope():
                with ib.while_loop(written[0] < post_n):
                    with ib.for_range(0, pre_n, name="i") as i:
                        with ib.if_scope(tir.all(removed[i] == 0, written[0] < post_n)):
                            row = b * post_n + written[0]
                            out[row, 0] = tir.Cast(dtype, b)
                            with ib.for_range(0, 4, name="c") as c:
                                out[row, c + 1] = corner(i, c)
                            written[0] = written[0] + 1
        return ib.get()

    return te.extern([(batch * post_n, 5)], [boxes, order], select, dtype=[dtype], name="proposal",
                     tag="proposal")
