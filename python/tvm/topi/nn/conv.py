# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Convolutions (computed by one layout-generic definition in src/topi/nn_conv.cc)."""
from ... import te
from ...target import generic_func
from . import _ffi_api
from .utils import as_list, get_pad_tuple_generic, _const

_DEFAULT_KERNEL_LAYOUT = {
    "NCW": "OIW", "NWC": "WIO",
    "NCHW": "OIHW", "NHWC": "HWIO",
    "NCDHW": "OIDHW", "NDHWC": "DHWIO",
}


def _dtype(out_dtype):
    return "" if out_dtype is None else str(out_dtype)


def _kernel_spatial(filt, kernel_layout):
    return [filt.shape[kernel_layout.index(c)] for c in "DHW" if c in kernel_layout]


def conv(inp, filt, stride, padding, dilation, groups, data_layout, kernel_layout="", out_dtype=None,
         auto_scheduler_rewritten_layout=None, meta_schedule_origin_shape=None,
         auto_scheduler_should_rewrite_layout=False, name=None, tag=None):
    """Convolution of any spatial rank in any layout, grouped and dilated.

    stride, dilation: an int or one per spatial axis; padding: an int, per axis,
    2 * axes (begins then ends), or "SAME"/"VALID".
    """
    del auto_scheduler_rewritten_layout, meta_schedule_origin_shape, auto_scheduler_should_rewrite_layout
    if not kernel_layout:
        if data_layout not in _DEFAULT_KERNEL_LAYOUT:
            raise ValueError(f"conv: no default kernel layout for data layout {data_layout}")
        kernel_layout = _DEFAULT_KERNEL_LAYOUT[data_layout]
    if len(kernel_layout) != len(filt.shape):
        raise ValueError(
            f"conv: kernel layout {kernel_layout} does not match weight shape {[_const(d) for d in filt.shape]}")
    n = sum(1 for c in data_layout if c in "DHW")
    op = f"conv{n}d"
    stride = as_list(stride, n, "strides", op)
    dilation = as_list(dilation, n, "dilation", op)
    kernel = _kernel_spatial(filt, kernel_layout)
    dilated = [(_const(k) - 1) * _const(d) + 1 for k, d in zip(kernel, dilation)]
    begin, end = get_pad_tuple_generic(padding, dilated)
    if tag is None:
        tag = f"conv{n}d_{data_layout.lower()}" if groups == 1 else f"group_conv{n}d_{data_layout.lower()}"
    if name is None:
        name = "conv"
    return _ffi_api.conv(inp, filt, stride, list(begin) + list(end), dilation, int(groups), data_layout,
                         kernel_layout, _dtype(out_dtype), name, tag)


def conv1d(data, kernel, strides=1, padding="VALID", dilation=1, groups=1, data_layout="NCW", kernel_layout="",
           out_dtype=None):
    """1-d convolution, NCW (weight OIW) or NWC (weight WIO)."""
    return conv(data, kernel, strides, padding, dilation, groups, data_layout, kernel_layout, out_dtype)


def conv1d_ncw(data, kernel, strides=1, padding="VALID", dilation=1, out_dtype=None):
    """1-d convolution in NCW."""
    return conv(data, kernel, strides, padding, dilation, 1, "NCW", "OIW", out_dtype)


def conv1d_nwc(data, kernel, strides=1, padding="VALID", dilation=1, out_dtype=None):
    """1-d convolution in NWC."""
    return conv(data, kernel, strides, padding, dilation, 1, "NWC", "WIO", out_dtype)


def group_conv1d_ncw(data, kernel, strides=1, padding="VALID", dilation=1, groups=1, out_dtype=None):
    """Grouped 1-d convolution in NCW."""
    return conv(data, kernel, strides, padding, dilation, groups, "NCW", "OIW", out_dtype)


def group_conv1d_nwc(data, kernel, strides=1, padding="VALID", dilation=1, groups=1, out_dtype=None):
    """Grouped 1-d convolution in NWC."""
    return conv(data, kernel, strides, padding, dilation, groups, "NWC", "WIO", out_dtype)


def conv2d(input, filter, strides, padding, dilation, data_layout="NCHW", kernel_layout="", out_dtype=None):
    """2-d convolution in NCHW (weight OIHW) or NHWC (weight HWIO)."""
    # pylint: disable=redefined-builtin
    return conv(input, filter, strides, padding, dilation, 1, data_layout, kernel_layout, out_dtype)


def conv2d_nchw(Input, Filter, stride, padding, dilation, out_dtype=None):
    """2-d convolution, data NCHW, weight OIHW; padding int, (h, w), (top, left, bottom, right) or SAME/VALID."""
    return conv(Input, Filter, stride, padding, dilation, 1, "NCHW", "OIHW", out_dtype)


def conv2d_nhwc(Input, Filter, stride, padding, dilation, out_dtype="float32", auto_scheduler_rewritten_layout="",
                meta_schedule_origin_shape=None, auto_scheduler_should_rewrite_layout=False):
    """2-d convolution, data NHWC, weight HWIO."""
    del auto_scheduler_rewritten_layout, meta_schedule_origin_shape, auto_scheduler_should_rewrite_layout
    return conv(Input, Filter, stride, padding, dilation, 1, "NHWC", "HWIO", out_dtype)


def conv2d_hwcn(Input, Filter, stride, padding, dilation, out_dtype=None):
    """2-d convolution, data HWCN, weight HWIO; the output is HWCN."""
    return conv(Input, Filter, stride, padding, dilation, 1, "HWCN", "HWIO", out_dtype)


def group_conv2d_nchw(Input, Filter, stride, padding, dilation, groups, out_dtype=None):
    """Grouped 2-d convolution, data NCHW, weight (O, I / groups, KH, KW)."""
    return conv(Input, Filter, stride, padding, dilation, groups, "NCHW", "OIHW", out_dtype)


def group_conv2d_nhwc(Input, Filter, stride, padding, dilation, groups, out_dtype=None):
    """Grouped 2-d convolution, data NHWC, weight (KH, KW, I / groups, O)."""
    return conv(Input, Filter, stride, padding, dilation, groups, "NHWC", "HWIO", out_dtype)


def depthwise_conv2d_nchw(Input, Filter, stride, padding, dilation, out_dtype=None):
    """Depthwise 2-d convolution: data NCHW, weight (C, multiplier, KH, KW); output channel c * m + q."""
    channels, multiplier, kh, kw = Filter.shape
    # Regroup the weight as OIHW with one input channel per group (inlined by schedules).
    weight = te.compute(
        (channels * multiplier, 1, kh, kw),
        lambda o, i, h, w: Filter[te.indexdiv(o, multiplier), te.indexmod(o, multiplier), h, w],
        name="depthwise_weight", tag="injective")
    return conv(Input, weight, stride, padding, dilation, int(_const(channels)), "NCHW", "OIHW",
                out_dtype, tag="depthwise_conv2d_nchw", name="DepthwiseConv2d")


def depthwise_conv2d_nhwc(Input, Filter, stride, padding, dilation, kernel_layout="HWOI", out_dtype=None):
    """Depthwise 2-d convolution: data NHWC, weight (KH, KW, C, multiplier) ("HWOI")."""
    if kernel_layout != "HWOI":
        raise ValueError(f"depthwise_conv2d_nhwc: kernel_layout must be HWOI, got {kernel_layout}")
    kh, kw, channels, multiplier = Filter.shape
    weight = te.compute(
        (kh, kw, 1, channels * multiplier),
        lambda h, w, i, o: Filter[h, w, te.indexdiv(o, multiplier), te.indexmod(o, multiplier)],
        name="depthwise_weight", tag="injective")
    return conv(Input, weight, stride, padding, dilation, int(_const(channels)), "NHWC", "HWIO",
                out_dtype, tag="depthwise_conv2d_nhwc", name="DepthwiseConv2d")


def conv3d_ncdhw(Input, Filter, stride, padding, dilation, groups=1, out_dtype=None):
    """3-d convolution, data NCDHW, weight OIDHW."""
    return conv(Input, Filter, stride, padding, dilation, groups, "NCDHW", "OIDHW", out_dtype)


def conv3d_ndhwc(Input, Filter, stride, padding, dilation, groups=1, out_dtype="float32",
                 auto_scheduler_rewritten_layout="", meta_schedule_origin_shape=None):
    """3-d convolution, data NDHWC, weight DHWIO."""
    del auto_scheduler_rewritten_layout, meta_schedule_origin_shape
    return conv(Input, Filter, stride, padding, dilation, groups, "NDHWC", "DHWIO", out_dtype)


def _transpose(data, kernel, strides, padding, out_dtype, output_padding, groups, dilation, n, tag):
    op = tag
    strides = as_list(strides, n, "strides", op)
    dilation = as_list(dilation, n, "dilation", op)
    output_padding = as_list(output_padding, n, "output_padding", op)
    kernel_sizes = [(_const(k) - 1) * _const(d) + 1 for k, d in zip(kernel.shape[2:], dilation)]
    begin, end = get_pad_tuple_generic(padding, kernel_sizes)
    return _ffi_api.conv_transpose(data, kernel, strides, list(begin) + list(end), output_padding, dilation,
                                   int(groups), _dtype(out_dtype), "compute", tag)


def conv1d_transpose_ncw(data, kernel, stride, padding, out_dtype, output_padding):
    """Transposed 1-d convolution: data NCW, weight (C_in, C_out, K)."""
    return _transpose(data, kernel, stride, padding, out_dtype, output_padding, 1, 1, 1, "conv1d_transpose_ncw")


def conv2d_transpose_nchw(Input, Filter, strides, padding, out_dtype, output_padding):
    """Transposed 2-d convolution: data NCHW, weight (C_in, C_out, KH, KW)."""
    return _transpose(Input, Filter, strides, padding, out_dtype, output_padding, 1, 1, 2,
                      "conv2d_transpose_nchw")


def group_conv2d_transpose_nchw(data, kernel, stride, padding, out_dtype, output_padding, groups):
    """Grouped transposed 2-d convolution: weight (C_in, C_out / groups, KH, KW)."""
    return _transpose(data, kernel, stride, padding, out_dtype, output_padding, groups, 1, 2,
                      "group_conv2d_transpose_nchw")


def conv3d_transpose_ncdhw(Input, Filter, strides, padding, out_dtype, output_padding):
    """Transposed 3-d convolution: data NCDHW, weight (C_in, C_out, KD, KH, KW)."""
    return _transpose(Input, Filter, strides, padding, out_dtype, output_padding, 1, 1, 3,
                      "conv3d_transpose_ncdhw")


def conv_transpose(data, kernel, strides, padding, output_padding, dilation=1, groups=1, out_dtype=None):
    """Transposed convolution of any rank (channel-first), with dilation and groups."""
    n = len(data.shape) - 2
    return _transpose(data, kernel, strides, padding, out_dtype, output_padding, groups, dilation, n,
                      f"conv{n}d_transpose_nc{'dhw'[3 - n:]}")


@generic_func
def conv2d_alter_layout(attrs, inputs, tinfos, out_type):  # pylint: disable=unused-argument
    """nn.conv2d's FTVMAlterOpLayout: the replacement of a conv2d call for the current target,
    or None to keep it (the default; targets register their own)."""
    return None
