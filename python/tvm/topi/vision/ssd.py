# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""SSD box decoding (TVM v0.14's topi.vision.ssd names)."""
from ... import te, tir
from ...tir import ir_builder

__all__ = ["multibox_transform_loc"]


def multibox_transform_loc(cls_prob, loc_pred, anchor, clip=True, threshold=0.01, variances=(0.1, 0.1, 0.2, 0.2),
                           keep_background=False):
    """Decode SSD predictions against their anchors.

    cls_prob (batch, num_classes, num_anchors), loc_pred (batch, num_anchors * 4) and anchor
    (1, num_anchors, 4) corners give, per batch, one row [class id, score, x1, y1, x2, y2] for
    each anchor whose best class (the background class 0 left out unless keep_background; ids
    then count from the first foreground class) scores at least threshold, in anchor order.
    Returns [rows (batch, num_anchors, 6), valid count (batch,) int32]; rows past the count are -1.
    """
    if len(cls_prob.shape) != 3 or len(loc_pred.shape) != 2 or len(anchor.shape) != 3:
        raise ValueError("topi.vision.ssd.multibox_transform_loc: expected cls_prob (B, C, N), loc_pred (B, 4N) and "
                         f"anchor (1, N, 4), got {tuple(cls_prob.shape)}, {tuple(loc_pred.shape)} and "
                         f"{tuple(anchor.shape)}")
    batch, num_classes, num_anchors = cls_prob.shape
    dtype = loc_pred.dtype
    var_x, var_y, var_w, var_h = (tir.const(float(v), dtype) for v in variances)
    first_class = 0 if keep_background else 1

    def body(ins, outs):
        ib = ir_builder.create()
        prob, loc, anc = (ib.buffer_ptr(b) for b in ins)
        out, count = (ib.buffer_ptr(b) for b in outs)
        one, zero, half = tir.const(1, dtype), tir.const(0, dtype), tir.const(0.5, dtype)

        def clipped(v):
            return tir.max(zero, tir.min(one, v)) if clip else v

        with ib.for_range(0, batch, name="b", kind="parallel") as b:
            best = ib.allocate(cls_prob.dtype, (1,), name="best")
            best_id = ib.allocate("int32", (1,), name="best_id")
            count[b] = 0
            with ib.for_range(0, num_anchors, name="j") as j:
                best[0] = tir.const(-1, cls_prob.dtype)
                best_id[0] = 0
                with ib.for_range(first_class, num_classes, name="c") as c:
                    with ib.if_scope(prob[b, c, j] > best[0]):
                        best[0] = prob[b, c, j]
                        best_id[0] = tir.Cast("int32", c)
                with ib.if_scope(tir.all(best_id[0] > 0, best[0] < tir.const(threshold, cls_prob.dtype))):
                    best_id[0] = 0
                keep = best_id[0] > 0
                if keep_background:
                    keep = tir.const(True, "bool")
                with ib.if_scope(keep):
                    row = count[b]
                    class_id = best_id[0] if keep_background else best_id[0] - 1
                    out[b, row, 0] = tir.Cast(dtype, class_id)
                    out[b, row, 1] = tir.Cast(dtype, best[0])
                    left, top, right, bottom = (anc[0, j, k] for k in range(4))
                    width, height = right - left, bottom - top
                    center_x = loc[b, j * 4] * var_x * width + (left + right) * half
                    center_y = loc[b, j * 4 + 1] * var_y * height + (top + bottom) * half
                    half_w = tir.exp(loc[b, j * 4 + 2] * var_w) * width * half
                    half_h = tir.exp(loc[b, j * 4 + 3] * var_h) * height * half
                    out[b, row, 2] = clipped(center_x - half_w)
                    out[b, row, 3] = clipped(center_y - half_h)
                    out[b, row, 4] = clipped(center_x + half_w)
                    out[b, row, 5] = clipped(center_y + half_h)
                    count[b] = row + 1
            with ib.for_range(0, num_anchors, name="j") as j:
                with ib.if_scope(j >= count[b]):
                    with ib.for_range(0, 6, name="k") as k:
                        out[b, j, k] = tir.const(-1, dtype)
        return ib.get()

    outs = te.extern([(batch, num_anchors, 6), (batch,)], [cls_prob, loc_pred, anchor], body, dtype=[dtype, "int32"],
                     name="multibox_transform_loc", tag="multibox_transform_loc")
    return list(outs)
