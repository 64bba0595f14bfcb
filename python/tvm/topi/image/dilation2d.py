# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Grey-scale morphological dilation (TVM v0.14's topi.image.dilation2d_nchw / _nhwc):
the largest data + kernel over each window, the data zero-padded as TVM does."""
from ... import te, tir
from ..nn.elemwise import pad
from ..nn.utils import get_pad_tuple

__all__ = ["dilation2d_nchw", "dilation2d_nhwc"]


def _dilation2d(layout, data, kernel, stride, padding, dilations, out_dtype):
    op = f"topi.image.dilation2d_{layout.lower()}"
    if len(data.shape) != 4 or len(kernel.shape) != 3:
        raise ValueError(f"{op}: expected 4-D data and a 3-D kernel, got {tuple(data.shape)} and "
                         f"{tuple(kernel.shape)}")
    out_dtype = out_dtype or data.dtype
    stride_h, stride_w = (stride, stride) if isinstance(stride, int) else (int(s) for s in stride)
    dil_h, dil_w = (dilations, dilations) if isinstance(dilations, int) else (int(d) for d in dilations)
    if layout == "NCHW":
        batch, channels, height, width = data.shape
        kc, kernel_h, kernel_w = kernel.shape
    else:
        batch, height, width, channels = data.shape
        kernel_h, kernel_w, kc = kernel.shape
    if int(kc) != int(channels):
        raise ValueError(f"{op}: kernel {tuple(kernel.shape)} has {kc} channels, data {tuple(data.shape)} {channels}")
    top, left, bottom, right = (int(p) for p in get_pad_tuple(padding, (int(kernel_h), int(kernel_w))))
    out_h = (int(height) + top + bottom - ((int(kernel_h) - 1) * dil_h + 1)) // stride_h + 1
    out_w = (int(width) + left + right - ((int(kernel_w) - 1) * dil_w + 1)) // stride_w + 1
    if layout == "NCHW":
        padded = pad(data, [0, 0, top, left], [0, 0, bottom, right], name="pad_temp")
    else:
        padded = pad(data, [0, top, left, 0], [0, bottom, right, 0], name="pad_temp")
    ry = te.reduce_axis((0, kernel_h), name="ry")
    rx = te.reduce_axis((0, kernel_w), name="rx")

    def window(n, c, y, x):
        yy, xx = y * stride_h + ry * dil_h, x * stride_w + rx * dil_w
        value = padded[n, c, yy, xx] if layout == "NCHW" else padded[n, yy, xx, c]
        weight = kernel[c, ry, rx] if layout == "NCHW" else kernel[ry, rx, c]
        return te.max(tir.Cast(out_dtype, value) + tir.Cast(out_dtype, weight), axis=[ry, rx])

    if layout == "NCHW":
        return te.compute((batch, channels, out_h, out_w), window, name="dilation2d_nchw", tag="dilation2d_nchw")
    return te.compute((batch, out_h, out_w, channels), lambda n, y, x, c: window(n, c, y, x),
                      name="dilation2d_nhwc", tag="dilation2d_nhwc")


def dilation2d_nchw(input, filter, stride, padding, dilations, out_dtype=None):  # pylint: disable=redefined-builtin
    """input (N, C, H, W), filter (C, kh, kw) -> (N, C, OH, OW)."""
    return _dilation2d("NCHW", input, filter, stride, padding, dilations, out_dtype)


def dilation2d_nhwc(input, filter, stride, padding, dilations, out_dtype=None):  # pylint: disable=redefined-builtin
    """input (N, H, W, C), filter (kh, kw, C) -> (N, OH, OW, C)."""
    return _dilation2d("NHWC", input, filter, stride, padding, dilations, out_dtype)
