# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""FlowNet's correlation layer (TVM v0.14's topi.nn.correlation_nchw)."""
from ... import te, tir
from .elemwise import pad as _pad

__all__ = ["correlation_nchw"]


def correlation_nchw(data1, data2, kernel_size, max_displacement, stride1, stride2, padding, is_multiply):
    """out[n, q, i, j]: the mean over channels and a kernel_size patch of data1 * data2 (or
    |data1 - data2|), data2 displaced by displacement q's (dy, dx) (steps of stride2 within
    max_displacement); positions every stride1 of the zero-padded maps, away from the border."""
    if tuple(int(d) for d in data1.shape) != tuple(int(d) for d in data2.shape):
        raise ValueError(f"topi.nn.correlation_nchw: data1 {tuple(data1.shape)} and data2 {tuple(data2.shape)} "
                         "must have the same shape")
    if kernel_size <= 0 or kernel_size % 2 == 0:
        raise ValueError(f"topi.nn.correlation_nchw: kernel_size must be a positive odd number, got {kernel_size}")
    if isinstance(padding, int):
        padding = (padding, padding)
    padding = [int(p) for p in padding]
    if len(padding) == 1:
        padding = padding * 2
    if len(padding) == 2:
        top, left, bottom, right = padding[0], padding[1], padding[0], padding[1]
    elif len(padding) == 4:
        top, left, bottom, right = padding
    else:
        raise ValueError(f"topi.nn.correlation_nchw: padding must have 1, 2 or 4 entries, got {padding}")
    batch, channels, height, width = (int(d) for d in data1.shape)
    padded1 = _pad(data1, [0, 0, top, left], [0, 0, bottom, right], name="pad_data1")
    padded2 = _pad(data2, [0, 0, top, left], [0, 0, bottom, right], name="pad_data2")
    border = max_displacement + (kernel_size - 1) // 2
    radius = max_displacement // stride2
    size = 2 * radius + 1
    out_h = (height + top + bottom - 2 * border + stride1 - 1) // stride1
    out_w = (width + left + right - 2 * border + stride1 - 1) // stride1
    rc = te.reduce_axis((0, channels), name="rc")
    ry = te.reduce_axis((0, kernel_size), name="ry")
    rx = te.reduce_axis((0, kernel_size), name="rx")
    scale = tir.const(1.0 / (kernel_size * kernel_size * channels), data1.dtype)

    def body(n, q, i, j):
        y1, x1 = i * stride1 + max_displacement, j * stride1 + max_displacement
        y2 = y1 + (q // size - radius) * stride2
        x2 = x1 + (q % size - radius) * stride2
        a, b = padded1[n, rc, y1 + ry, x1 + rx], padded2[n, rc, y2 + ry, x2 + rx]
        return te.sum((a * b if is_multiply else tir.abs(a - b)) * scale, axis=[rc, ry, rx])

    return te.compute((batch, size * size, out_h, out_w), body, name="correlation_nchw", tag="correlation_nchw")
