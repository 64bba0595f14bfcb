# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Winograd F(m x m, 3 x 3) convolution in blocked NCHW<c>c layouts for x86 CPUs and its schedule
(C++: include/tvm/topi/x86/conv2d_winograd.h, which lists the stages).

  conv2d_winograd_NCHWc  data [N, C/cb, H, W, cb], kernel [a, a, O/kb, C, kb] -> [N, O/kb, OH, OW, kb]

The kernel is conv2d_winograd_weight_transform's [a, a, O, C] in layout "HWOI<kb>o".
"""
from ..._ffi.registry import get_global_func
from ..nn.conv2d_nchwc import _ints

__all__ = ["conv2d_winograd_NCHWc", "schedule_conv2d_winograd_NCHWc", "winograd_tile_size"]


def winograd_tile_size(batch, out_h, out_w, in_channels, out_channels):
    """The tile size (2 or 4) AlterOpLayout picks for a stride-1 3x3 convolution, 0 for direct."""
    return int(get_global_func("topi.x86.winograd_tile_size")(batch, out_h, out_w, in_channels, out_channels))


def conv2d_winograd_NCHWc(data, kernel, padding, tile_size, out_dtype=None, lanes=0):
    """The blocked Winograd convolution (see the module doc); lanes 0: the current target's."""
    return get_global_func("topi.x86.conv2d_winograd_NCHWc")(
        data, kernel, _ints(padding), int(tile_size), out_dtype or data.dtype, int(lanes))


def schedule_conv2d_winograd_NCHWc(outs):
    """Schedule of conv2d_winograd_NCHWc and the elementwise operators fused after it."""
    from ...te import Tensor  # noqa: PLC0415

    outs = [outs] if isinstance(outs, Tensor) else list(outs)
    return get_global_func("topi.x86.schedule_conv2d_winograd_NCHWc")(outs)
