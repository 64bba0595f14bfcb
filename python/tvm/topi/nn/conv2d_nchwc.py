# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Convolutions in blocked NCHW[x]c layouts (plain TE: the reference and the generic fallback).

  conv2d_NCHWc           data [N, C/ib, H, W, ib] (or plain NCHW), kernel [O/ob, C/ib, KH, KW, ib, ob]
                         -> [N, O/ob, OH, OW, ob]
  depthwise_conv2d_NCHWc data [N, C/b, H, W, b], kernel [C*M/b, 1, KH, KW, 1, b] -> [N, C*M/b, OH, OW, b]

The channel c of a blocked tensor is (c // block, c % block). Target schedules live elsewhere
(tvm.topi.x86.conv2d_nchwc).
"""
import re

from ... import te, tir
from ..utils import get_const_tuple
from .utils import get_pad_tuple

__all__ = ["conv2d_NCHWc", "depthwise_conv2d_NCHWc", "blocked_geometry", "pad_blocked"]

_DATA = re.compile(r"^NCHW(?:(\d+)c)?$")
_KERNEL = re.compile(r"^OIHW(\d+)i(\d+)o$")


def _pair(value, name, op):
    if isinstance(value, int):
        return value, value
    value = [int(v) for v in value]
    if len(value) == 1:
        return value[0], value[0]
    if len(value) != 2:
        raise ValueError(f"{op}: {name} must be an int or 2 ints, got {value}")
    return value[0], value[1]


def blocked_geometry(op, data, kernel, strides, padding, dilation, layout, out_layout):
    """Checks the operands of a blocked convolution; returns a dict of its sizes (channels,
    blocks, window, strides, padding, output size)."""
    data_shape = get_const_tuple(data.shape)
    kernel_shape = get_const_tuple(kernel.shape)
    match = _DATA.match(str(layout))
    out_match = _DATA.match(str(out_layout) or str(layout))
    if match is None or out_match is None or out_match.group(1) is None:
        raise ValueError(f"{op}: layouts must be NCHW<n>c (data may be NCHW), got {layout!r} -> {out_layout!r}")
    if len(kernel_shape) != 6:
        raise ValueError(f"{op}: the kernel must be 6-D OIHW<i>i<o>o, got shape {list(kernel_shape)}")
    oc_chunks, ic_chunks, kernel_h, kernel_w, kernel_ib, out_block = kernel_shape
    if match.group(1) is None:
        if len(data_shape) != 4:
            raise ValueError(f"{op}: data in layout NCHW must be 4-D, got shape {list(data_shape)}")
        batch, in_channels, height, width = data_shape
        in_block = in_channels
    else:
        if len(data_shape) != 5 or data_shape[4] != int(match.group(1)):
            raise ValueError(f"{op}: data {list(data_shape)} is not in layout {layout}")
        batch, chunks, height, width, in_block = data_shape
        in_channels = chunks * in_block
    if out_block != int(out_match.group(1)):
        raise ValueError(f"{op}: the kernel {list(kernel_shape)} has output blocks of {out_block}, the output "
                         f"layout {out_layout} blocks of {out_match.group(1)}")
    stride_h, stride_w = _pair(strides, "strides", op)
    dilation_h, dilation_w = _pair(dilation, "dilation", op)
    pad_top, pad_left, pad_bottom, pad_right = [int(p) for p in get_pad_tuple(padding, (kernel_h, kernel_w))]
    dilated_h = (kernel_h - 1) * dilation_h + 1
    dilated_w = (kernel_w - 1) * dilation_w + 1
    out_h = (height + pad_top + pad_bottom - dilated_h) // stride_h + 1
    out_w = (width + pad_left + pad_right - dilated_w) // stride_w + 1
    if out_h <= 0 or out_w <= 0:
        raise ValueError(f"{op}: the {kernel_h}x{kernel_w} kernel (dilation {dilation_h}x{dilation_w}) does not "
                         f"fit the padded {height}x{width} input {list(data_shape)}")
    return dict(batch=batch, in_channels=in_channels, in_block=in_block, height=height, width=width,
                oc_chunks=oc_chunks, ic_chunks=ic_chunks, kernel_ib=kernel_ib, out_block=out_block,
                kernel_h=kernel_h, kernel_w=kernel_w, stride_h=stride_h, stride_w=stride_w,
                dilation_h=dilation_h, dilation_w=dilation_w, pad_top=pad_top, pad_left=pad_left,
                pad_bottom=pad_bottom, pad_right=pad_right, out_h=out_h, out_w=out_w,
                dilated_h=dilated_h, dilated_w=dilated_w, blocked_input=match.group(1) is not None)


def pad_blocked(data, geo, rows, cols, name="data_pad", tag="conv2d_NCHWc_pad"):
    """data padded with zeros to rows x cols (top/left padding from geo), in data's own layout;
    data itself when nothing needs padding."""
    top, left = geo["pad_top"], geo["pad_left"]
    height, width = geo["height"], geo["width"]
    if top == 0 and left == 0 and rows <= height and cols <= width:
        return data

    def _inside(y, x):
        return tir.all(y >= top, y < top + height, x >= left, x < left + width)

    zero = tir.const(0, data.dtype)
    if geo["blocked_input"]:
        shape = (data.shape[0], data.shape[1], rows, cols, data.shape[4])
        return te.compute(shape, lambda b, c, y, x, ci: tir.if_then_else(
            _inside(y, x), data[b, c, y - top, x - left, ci], zero), name=name, tag=tag)
    shape = (data.shape[0], data.shape[1], rows, cols)
    return te.compute(shape, lambda b, c, y, x: tir.if_then_else(
        _inside(y, x), data[b, c, y - top, x - left], zero), name=name, tag=tag)


def _read(data, geo, b, ic, y, x):
    if geo["blocked_input"]:
        return data[b, ic // geo["in_block"], y, x, ic % geo["in_block"]]
    return data[b, ic, y, x]


def conv2d_NCHWc(data, kernel, stride, padding, dilation, layout, out_layout, out_dtype="float32"):
    """Direct convolution in blocked layouts (see the module doc)."""
    geo = blocked_geometry("conv2d_NCHWc", data, kernel, stride, padding, dilation, layout, out_layout)
    if geo["ic_chunks"] * geo["kernel_ib"] != geo["in_channels"]:
        raise ValueError(f"conv2d_NCHWc: the kernel {list(get_const_tuple(kernel.shape))} expects "
                         f"{geo['ic_chunks'] * geo['kernel_ib']} input channels, the data "
                         f"{list(get_const_tuple(data.shape))} has {geo['in_channels']}")
    out_dtype = out_dtype or data.dtype
    rows = (geo["out_h"] - 1) * geo["stride_h"] + geo["dilated_h"]
    cols = (geo["out_w"] - 1) * geo["stride_w"] + geo["dilated_w"]
    data_pad = pad_blocked(data, geo, rows, cols)
    kib = geo["kernel_ib"]
    ic = te.reduce_axis((0, geo["in_channels"]), name="ic")
    kh = te.reduce_axis((0, geo["kernel_h"]), name="kh")
    kw = te.reduce_axis((0, geo["kernel_w"]), name="kw")
    return te.compute(
        (geo["batch"], geo["oc_chunks"], geo["out_h"], geo["out_w"], geo["out_block"]),
        lambda b, oc, y, x, ob: te.sum(
            _read(data_pad, geo, b, ic, y * geo["stride_h"] + kh * geo["dilation_h"],
                  x * geo["stride_w"] + kw * geo["dilation_w"]).astype(out_dtype)
            * kernel[oc, ic // kib, kh, kw, ic % kib, ob].astype(out_dtype), axis=[ic, kh, kw]),
        name="conv2d_NCHWc", tag="conv2d_NCHWc")


def depthwise_conv2d_NCHWc(data, kernel, stride, padding, dilation, layout, out_layout, out_dtype="float32"):
    """Depthwise convolution in blocked layouts; output channel o reads input channel o // M
    (M = the channel multiplier)."""
    op = "depthwise_conv2d_NCHWc"
    geo = blocked_geometry(op, data, kernel, stride, padding, dilation, layout, out_layout)
    out_channels = geo["oc_chunks"] * geo["out_block"]
    if (not geo["blocked_input"] or geo["ic_chunks"] != 1 or geo["kernel_ib"] != 1
            or out_channels % geo["in_channels"]):
        raise ValueError(f"{op}: kernel {list(get_const_tuple(kernel.shape))} is not a depthwise OIHW1i<n>o "
                         f"kernel for data {list(get_const_tuple(data.shape))}")
    multiplier = out_channels // geo["in_channels"]
    out_dtype = out_dtype or data.dtype
    rows = (geo["out_h"] - 1) * geo["stride_h"] + geo["dilated_h"]
    cols = (geo["out_w"] - 1) * geo["stride_w"] + geo["dilated_w"]
    data_pad = pad_blocked(data, geo, rows, cols)
    ib, ob = geo["in_block"], geo["out_block"]
    kh = te.reduce_axis((0, geo["kernel_h"]), name="kh")
    kw = te.reduce_axis((0, geo["kernel_w"]), name="kw")

    def _conv(b, oc, y, x, o):
        channel = (oc * ob + o) // multiplier
        return te.sum(
            data_pad[b, channel // ib, y * geo["stride_h"] + kh * geo["dilation_h"],
                     x * geo["stride_w"] + kw * geo["dilation_w"], channel % ib].astype(out_dtype)
            * kernel[oc, 0, kh, kw, 0, o].astype(out_dtype), axis=[kh, kw])

    return te.compute((geo["batch"], geo["oc_chunks"], geo["out_h"], geo["out_w"], ob), _conv,
                      name="depthwise_conv2d_NCHWc", tag="depthwise_conv2d_NCHWc")
