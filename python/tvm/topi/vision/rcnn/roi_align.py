# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Region-of-interest align (TVM v0.14's topi.vision.rcnn names).

Each pooled cell averages (or takes the largest of) a grid of bilinear samples.
The grid's size follows the region's size when sample_ratio <= 0, so the loops
have data-dependent bounds: the operator is an extern loop nest, one parallel
iteration per region.
"""
from .... import te, tir
from ....tir import ir_builder

__all__ = ["roi_align", "roi_align_nchw", "roi_align_nhwc"]


def _bilinear(read, y, x, height, width, dtype):
    """The sample at (y, x) of one plane: 0 beyond one pixel outside the plane, clamped
    to it otherwise; neighbours outside the plane weigh nothing."""
    zero, one = tir.const(0, dtype), tir.const(1, dtype)
    outside = tir.any(y < tir.const(-1, dtype), x < tir.const(-1, dtype),
                      y > tir.Cast(dtype, height), x > tir.Cast(dtype, width))
    y = tir.min(tir.max(y, zero), tir.Cast(dtype, height - 1))
    x = tir.min(tir.max(x, zero), tir.Cast(dtype, width - 1))
    y_low, x_low = tir.Cast("int32", tir.floor(y)), tir.Cast("int32", tir.floor(x))
    wy_h, wx_h = y - tir.Cast(dtype, y_low), x - tir.Cast(dtype, x_low)
    value = zero
    for wy, yp in ((one - wy_h, y_low), (wy_h, y_low + 1)):
        for wx, xp in ((one - wx_h, x_low), (wx_h, x_low + 1)):
            inside = tir.all(yp < height, xp < width)
            # The index is clamped so that the load stays in bounds whatever the condition.
            value = value + tir.Select(inside, wy * wx * read(tir.min(yp, height - 1), tir.min(xp, width - 1)), zero)
    return tir.Select(outside, zero, value)


def roi_align(data, rois, pooled_size, spatial_scale, mode="avg", sample_ratio=-1, layout="NCHW"):
    """data (N, C, H, W) or (N, H, W, C) pooled over each row (batch index, x1, y1, x2, y2)
    of rois (num_roi, 5), scaled by spatial_scale, to pooled_size cells."""
    if layout not in ("NCHW", "NHWC"):
        raise ValueError(f"topi.vision.roi_align: layout must be NCHW or NHWC, got {layout}")
    if mode in (b"avg", 0):
        mode = "avg"
    if mode in (b"max", 1):
        mode = "max"
    if mode not in ("avg", "max"):
        raise ValueError(f"topi.vision.roi_align: mode must be avg or max, got {mode}")
    if len(data.shape) != 4 or len(rois.shape) != 2:
        raise ValueError(f"topi.vision.roi_align: expected 4-D data and (num_roi, 5) rois, got "
                         f"{tuple(data.shape)} and {tuple(rois.shape)}")
    if isinstance(pooled_size, int):
        pooled_size = (pooled_size, pooled_size)
    pooled_h, pooled_w = (int(p) for p in pooled_size)
    if layout == "NCHW":
        _, channels, height, width = data.shape
    else:
        _, height, width, channels = data.shape
    num_roi = rois.shape[0]
    dtype = data.dtype
    sample_ratio = int(sample_ratio)
    out_shape = (num_roi, channels, pooled_h, pooled_w) if layout == "NCHW" else (num_roi, pooled_h, pooled_w, channels)

    def body(ins, outs):
        ib = ir_builder.create()
        src, roi = ib.buffer_ptr(ins[0]), ib.buffer_ptr(ins[1])
        out = ib.buffer_ptr(outs[0])
        scale = tir.const(float(spatial_scale), dtype)
        one, half = tir.const(1, dtype), tir.const(0.5, dtype)
        with ib.for_range(0, num_roi, name="r", kind="parallel") as r:
            n = tir.Cast("int32", roi[r, 0])
            start_w, start_h = tir.Cast(dtype, roi[r, 1]) * scale, tir.Cast(dtype, roi[r, 2]) * scale
            end_w, end_h = tir.Cast(dtype, roi[r, 3]) * scale, tir.Cast(dtype, roi[r, 4]) * scale
            roi_h, roi_w = tir.max(end_h - start_h, one), tir.max(end_w - start_w, one)
            bin_h, bin_w = roi_h / tir.const(pooled_h, dtype), roi_w / tir.const(pooled_w, dtype)
            if sample_ratio > 0:
                grid_h = grid_w = tir.const(sample_ratio, "int32")
            else:
                grid_h = tir.Cast("int32", tir.ceil(bin_h))
                grid_w = tir.Cast("int32", tir.ceil(bin_w))
            count = tir.Cast(dtype, grid_h * grid_w)
            acc = ib.allocate(dtype, (1,), name="acc")
            with ib.for_range(0, channels, name="c") as c:
                with ib.for_range(0, pooled_h, name="ph") as ph:
                    with ib.for_range(0, pooled_w, name="pw") as pw:
                        acc[0] = tir.const(0, dtype) if mode == "avg" else tir.min_value(dtype)
                        with ib.for_range(0, grid_h, name="iy") as iy:
                            with ib.for_range(0, grid_w, name="ix") as ix:
                                y = (start_h + tir.Cast(dtype, ph) * bin_h
                                     + (tir.Cast(dtype, iy) + half) * bin_h / tir.Cast(dtype, grid_h))
                                x = (start_w + tir.Cast(dtype, pw) * bin_w
                                     + (tir.Cast(dtype, ix) + half) * bin_w / tir.Cast(dtype, grid_w))
                                if layout == "NCHW":
                                    read = lambda yy, xx: src[n, c, yy, xx]  # noqa: E731
                                else:
                                    read = lambda yy, xx: src[n, yy, xx, c]  # noqa: E731
                                sample = _bilinear(read, y, x, height, width, dtype)
                                if mode == "avg":
                                    acc[0] = acc[0] + sample / count
                                else:
                                    acc[0] = tir.max(acc[0], sample)
                        if layout == "NCHW":
                            out[r, c, ph, pw] = acc[0]
                        else:
                            out[r, ph, pw, c] = acc[0]
        return ib.get()

    return te.extern([out_shape], [data, rois], body, dtype=[dtype], name=f"roi_align_{layout.lower()}",
                     tag=f"roi_align_{layout.lower()}")


def roi_align_nchw(data, rois, pooled_size, spatial_scale, mode="avg", sample_ratio=-1):
    """roi_align of NCHW data: (num_roi, C, pooled_h, pooled_w)."""
    return roi_align(data, rois, pooled_size, spatial_scale, mode, sample_ratio, "NCHW")


def roi_align_nhwc(data, rois, pooled_size, spatial_scale, mode="avg", sample_ratio=-1):
    """roi_align of NHWC data: (num_roi, pooled_h, pooled_w, C)."""
    return roi_align(data, rois, pooled_size, spatial_scale, mode, sample_ratio, "NHWC")
