# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Convolutions in blocked NCHW[x]c layouts (plain TE: the reference and the generic fallback).

  conv2d_NCHWc           data [N, C/ib, H, W, ib] (or plain NCHW), kernel [O/ob, C/ib, KH, KW, ib, ob]
                         -> [N, O/ob, OH, OW, ob]
  depthwise_conv2d_NCHWc data [N, C/b, H, W, b], kernel [C*M/b, 1, KH, KW, 1, b] -> [N, C*M/b, OH, OW, b]

The channel c of a blocked tensor is (c // block, c % block). The computes are C++
(include/tvm/topi/nn/conv2d_nchwc.h), so the generic implementation of the Relay operators is the
same with or without Python; target schedules live elsewhere (tvm.topi.x86.conv2d_nchwc).
"""
from ..._ffi.registry import get_global_func
from ..utils import get_const_tuple
from .utils import get_pad_tuple

__all__ = ["conv2d_NCHWc", "depthwise_conv2d_NCHWc"]


def _ints(value):
    return [int(value)] if isinstance(value, int) else [int(v) for v in value]


def _padding(padding, kernel):
    if isinstance(padding, str):
        kh, kw = get_const_tuple(kernel.shape)[2:4]
        return [int(p) for p in get_pad_tuple(padding, (kh, kw))]
    return _ints(padding)


def conv2d_NCHWc(data, kernel, stride, padding, dilation, layout, out_layout, out_dtype="float32"):
    """Direct convolution in blocked layouts (see the module doc)."""
    return get_global_func("topi.nn.conv2d_NCHWc")(
        data, kernel, _ints(stride), _padding(padding, kernel), _ints(dilation), str(layout), str(out_layout or ""),
        out_dtype or data.dtype)


def depthwise_conv2d_NCHWc(data, kernel, stride, padding, dilation, layout, out_layout, out_dtype="float32"):
    """Depthwise convolution in blocked layouts; output channel o reads input channel o // M
    (M = the channel multiplier)."""
    return get_global_func("topi.nn.depthwise_conv2d_NCHWc")(
        data, kernel, _ints(stride), _padding(padding, kernel), _ints(dilation), str(layout), str(out_layout or ""),
        out_dtype or data.dtype)
