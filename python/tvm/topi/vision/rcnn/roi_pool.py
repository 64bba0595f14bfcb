# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Region-of-interest max pooling (TVM v0.14's topi.vision.rcnn.roi_pool_nchw): the
largest value of each of pooled_size cells of a region rounded to whole pixels."""
from .... import te, tir
from ....tir import ir_builder

__all__ = ["roi_pool_nchw"]


def roi_pool_nchw(data, rois, pooled_size, spatial_scale):
    """data (N, C, H, W) max-pooled over each row (batch index, x1, y1, x2, y2) of rois
    (num_roi, 5), scaled by spatial_scale and rounded; empty cells give 0."""
    if len(data.shape) != 4 or len(rois.shape) != 2:
        raise ValueError(f"topi.vision.rcnn.roi_pool_nchw: expected 4-D data and (num_roi, 5) rois, got "
                         f"{tuple(data.shape)} and {tuple(rois.shape)}")
    if isinstance(pooled_size, int):
        pooled_size = (pooled_size, pooled_size)
    pooled_h, pooled_w = (int(p) for p in pooled_size)
    _, channels, height, width = data.shape
    num_roi = rois.shape[0]
    dtype = data.dtype

    def body(ins, outs):
        ib = ir_builder.create()
        src, roi = ib.buffer_ptr(ins[0]), ib.buffer_ptr(ins[1])
        out = ib.buffer_ptr(outs[0])
        scale = tir.const(float(spatial_scale), "float32")

        def corner(k):
            return tir.Cast("int32", tir.round(tir.Cast("float32", roi[r, k]) * scale))

        def clamp(v, hi):
            return tir.min(tir.max(v, 0), hi)

        with ib.for_range(0, num_roi, name="r", kind="parallel") as r:
            n = tir.Cast("int32", roi[r, 0])
            start_w, start_h, end_w, end_h = corner(1), corner(2), corner(3), corner(4)
            bin_h = tir.Cast("float32", tir.max(end_h - start_h + 1, 1)) / tir.const(pooled_h, "float32")
            bin_w = tir.Cast("float32", tir.max(end_w - start_w + 1, 1)) / tir.const(pooled_w, "float32")
            acc = ib.allocate(dtype, (1,), name="acc")
            with ib.for_range(0, pooled_h, name="ph") as ph:
                with ib.for_range(0, pooled_w, name="pw") as pw:
                    h0 = clamp(tir.Cast("int32", tir.floor(tir.Cast("float32", ph) * bin_h)) + start_h, height)
                    h1 = clamp(tir.Cast("int32", tir.ceil(tir.Cast("float32", ph + 1) * bin_h)) + start_h, height)
                    w0 = clamp(tir.Cast("int32", tir.floor(tir.Cast("float32", pw) * bin_w)) + start_w, width)
                    w1 = clamp(tir.Cast("int32", tir.ceil(tir.Cast("float32", pw + 1) * bin_w)) + start_w, width)
                    with ib.for_range(0, channels, name="c") as c:
                        acc[0] = tir.min_value(dtype)
                        with ib.for_range(h0, h1, name="y") as y:
                            with ib.for_range(w0, w1, name="x") as x:
                                acc[0] = tir.max(acc[0], src[n, c, y, x])
                        out[r, c, ph, pw] = tir.Select(tir.any(h1 <= h0, w1 <= w0), tir.const(0, dtype), acc[0])
        return ib.get()

    return te.extern([(num_roi, channels, pooled_h, pooled_w)], [data, rois], body, dtype=[dtype],
                     name="roi_pool_nchw", tag="roi_pool_nchw")
