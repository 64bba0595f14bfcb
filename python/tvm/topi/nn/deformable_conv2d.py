# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Deformable 2-D convolution (TVM v0.14's topi.nn.deformable_conv2d_nchw / _nhwc).

Each kernel tap samples the input at its usual position moved by a learnt
offset, bilinearly; samples a pixel or more outside the image, and neighbours
of a sample that fall outside it, count as zero. The samples are gathered into a tensor with the
kernel's axes, then contracted with the kernel as a convolution would be.
A sample less than one pixel outside still reads the border pixels it
straddles.
"""
from ... import te, tir
from .utils import get_pad_tuple

__all__ = ["deformable_conv2d_nchw", "deformable_conv2d_nhwc"]


def _pair(value, what):
    if isinstance(value, int):
        return value, value
    if len(value) != 2:
        raise ValueError(f"topi.nn.deformable_conv2d: {what} must be an int or 2 values, got {value}")
    return int(value[0]), int(value[1])


def _sample(read, y, x, height, width, dtype):
    # A sample within one pixel of the image still reads the border pixels it
    # straddles; its neighbours outside weigh zero. This is torchvision's (and
    # ONNX DeformConv's) rule; TVM v0.14 zeroes samples above or left of the
    # image and repeats the last row/column below or right of it instead.
    zero, one = tir.const(0, dtype), tir.const(1, dtype)
    inside = tir.all(y > -one, x > -one, y < tir.Cast(dtype, height), x < tir.Cast(dtype, width))
    y_low, x_low = tir.Cast("int32", tir.floor(y)), tir.Cast("int32", tir.floor(x))
    wy, wx = y - tir.Cast(dtype, y_low), x - tir.Cast(dtype, x_low)
    value = zero
    for wy_k, yk in ((one - wy, y_low), (wy, y_low + 1)):
        for wx_k, xk in ((one - wx, x_low), (wx, x_low + 1)):
            ok = tir.all(yk >= 0, xk >= 0, yk < height, xk < width)
            # clamped so that the load stays in bounds where it is not used
            yy, xx = tir.min(tir.max(yk, 0), height - 1), tir.min(tir.max(xk, 0), width - 1)
            value = value + tir.Select(ok, wy_k * wx_k * read(yy, xx), zero)
    return tir.Select(inside, value, zero)


def _deformable(layout, data, offset, kernel, strides, padding, dilation, deformable_groups, groups, out_dtype):
    op = f"topi.nn.deformable_conv2d_{layout.lower()}"
    if len(data.shape) != 4 or len(offset.shape) != 4 or len(kernel.shape) != 4:
        raise ValueError(f"{op}: data, offset and kernel must be 4-D, got {tuple(data.shape)}, "
                         f"{tuple(offset.shape)} and {tuple(kernel.shape)}")
    out_dtype = out_dtype or data.dtype
    stride_h, stride_w = _pair(strides, "strides")
    dil_h, dil_w = _pair(dilation, "dilation")
    if layout == "NCHW":
        batch, in_channel, height, width = (int(d) for d in data.shape)
        out_channel, channel_per_group, kernel_h, kernel_w = (int(d) for d in kernel.shape)
        _, _, out_h, out_w = (int(d) for d in offset.shape)
    else:
        batch, height, width, in_channel = (int(d) for d in data.shape)
        kernel_h, kernel_w, channel_per_group, out_channel = (int(d) for d in kernel.shape)
        _, out_h, out_w, _ = (int(d) for d in offset.shape)
    pad_top, pad_left, _, _ = get_pad_tuple(padding, (kernel_h, kernel_w))
    if in_channel % deformable_groups or in_channel != channel_per_group * groups or out_channel % groups:
        raise ValueError(f"{op}: {in_channel} input channels do not split into deformable_groups="
                         f"{deformable_groups} and groups={groups} with kernel {tuple(kernel.shape)}")
    per_dgroup = in_channel // deformable_groups
    taps = kernel_h * kernel_w
    dtype = data.dtype

    def tap_offset(n, c, i, j, y, x, which):
        channel = (c // per_dgroup) * taps * 2 + (i * kernel_w + j) * 2 + which
        value = offset[n, channel, y, x] if layout == "NCHW" else offset[n, y, x, channel]
        return tir.Cast(dtype, value)

    def gathered(n, c, i, j, y, x):
        pos_y = tir.Cast(dtype, y * stride_h - pad_top + i * dil_h) + tap_offset(n, c, i, j, y, x, 0)
        pos_x = tir.Cast(dtype, x * stride_w - pad_left + j * dil_w) + tap_offset(n, c, i, j, y, x, 1)
        if layout == "NCHW":
            read = lambda yy, xx: data[n, c, yy, xx]  # noqa: E731
        else:
            read = lambda yy, xx: data[n, yy, xx, c]  # noqa: E731
        return _sample(read, pos_y, pos_x, height, width, dtype)

    samples = te.compute((batch, in_channel, kernel_h, kernel_w, out_h, out_w), gathered,
                         name="deform_samples", tag="deform_samples")
    rc = te.reduce_axis((0, channel_per_group), name="rc")
    ry = te.reduce_axis((0, kernel_h), name="ry")
    rx = te.reduce_axis((0, kernel_w), name="rx")
    out_per_group = out_channel // groups

    def conv(n, f, y, x):
        c = (f // out_per_group) * channel_per_group + rc
        weight = kernel[f, rc, ry, rx] if layout == "NCHW" else kernel[ry, rx, rc, f]
        return te.sum(tir.Cast(out_dtype, samples[n, c, ry, rx, y, x]) * tir.Cast(out_dtype, weight),
                      axis=[rc, ry, rx])

    if layout == "NCHW":
        return te.compute((batch, out_channel, out_h, out_w), conv, name="deformable_conv2d_nchw",
                          tag="deformable_conv2d_nchw")
    return te.compute((batch, out_h, out_w, out_channel), lambda n, y, x, f: conv(n, f, y, x),
                      name="deformable_conv2d_nhwc", tag="deformable_conv2d_nhwc")


def deformable_conv2d_nchw(data, offset, kernel, strides, padding, dilation, deformable_groups, groups,
                           out_dtype=None):
    """data (N, C, H, W), offset (N, deformable_groups * kh * kw * 2, OH, OW) with (dy, dx) per
    tap, kernel (O, C / groups, kh, kw) -> (N, O, OH, OW)."""
    return _deformable("NCHW", data, offset, kernel, strides, padding, dilation, int(deformable_groups),
                       int(groups), out_dtype)


def deformable_conv2d_nhwc(data, offset, kernel, strides, padding, dilation, deformable_groups, groups,
                           out_dtype=None):
    """data (N, H, W, C), offset (N, OH, OW, deformable_groups * kh * kw * 2), kernel
    (kh, kw, C / groups, O) -> (N, OH, OW, O)."""
    return _deformable("NHWC", data, offset, kernel, strides, padding, dilation, int(deformable_groups),
                       int(groups), out_dtype)
