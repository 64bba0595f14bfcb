# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Winograd F(m x m, 3 x 3) convolution for stride-1 3x3 kernels (plain TE; the computes are C++,
include/tvm/topi/nn/conv2d_winograd.h).

  conv2d_winograd_weight_transform                kernel [O, I, 3, 3] -> U = G w G^T [a, a, O, I]
  conv2d_winograd_nchw_without_weight_transform   data NCHW, U [a, a, O, I] -> NCHW

with a = tile_size + 2 (tile_size 2 or 4).
"""
from ..._ffi.registry import get_global_func
from .conv2d_nchwc import _ints

__all__ = ["conv2d_winograd_weight_transform", "conv2d_winograd_nchw_without_weight_transform"]


def conv2d_winograd_weight_transform(kernel, tile_size):
    """U = G w G^T of an OIHW 3x3 kernel, [tile_size + 2, tile_size + 2, O, I]."""
    return get_global_func("topi.nn.conv2d_winograd_weight_transform")(kernel, int(tile_size))


def conv2d_winograd_nchw_without_weight_transform(data, weight, padding, tile_size, out_dtype=None):
    """Stride-1 3x3 convolution of NCHW data with a transformed weight [a, a, O, I]."""
    return get_global_func("topi.nn.conv2d_winograd_nchw_without_weight_transform")(
        data, weight, _ints(padding), int(tile_size), out_dtype or data.dtype)
