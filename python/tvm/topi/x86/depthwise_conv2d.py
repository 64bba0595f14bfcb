# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Float32 depthwise conv2d (groups == input channels) for x86 CPUs, NCHW x OIHW.

Each output channel reads one input plane, so the work is KH * KW multiply-adds per output and
the speed is the speed of reading the plane. The convolution is vectorised along the output
width: a tile of a few rows x a few vectors (about 8 independent accumulators, enough to hide
the FMA latency) is accumulated in registers over the kh x kw window (unrolled); the input plane
is padded, with its columns de-interleaved by the stride (a strided window then reads contiguous
vectors), by the parallel task that uses it, so it stays in that core's cache; the elementwise
operators fused after the convolution (bias, relu, clip) are applied to the tile before it is
stored. Widths are padded up to whole vectors (the extra columns are computed from zeros and
dropped).

The compute and schedule are C++ (include/tvm/topi/x86/conv2d_nchw.h, src/topi/x86/conv2d_nchw.cc).
"""
from ..._ffi.registry import get_global_func
from .conv2d_nchwc import _ints, _padding, _outs

__all__ = ["depthwise_conv2d_nchw", "schedule_depthwise_conv2d_nchw"]


def depthwise_conv2d_nchw(data, kernel, strides, padding, dilation, out_dtype="float32", lanes=None):
    """Depthwise convolution: data [N, C, H, W], kernel [C * M, 1, KH, KW] -> [N, C * M, OH, OW];
    output channel c reads input channel c // M."""
    return get_global_func("topi.x86.depthwise_conv2d_nchw")(
        data, kernel, _ints(strides), _padding(padding, kernel), _ints(dilation), out_dtype or data.dtype,
        int(lanes or 0))


def schedule_depthwise_conv2d_nchw(outs):
    """Schedule depthwise_conv2d_nchw and the elementwise operators fused after it."""
    return get_global_func("topi.x86.schedule_depthwise_conv2d_nchw")(_outs(outs))
