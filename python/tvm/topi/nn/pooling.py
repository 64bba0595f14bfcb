# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Max/avg pooling: windowed, global, adaptive (computed in src/topi/nn_pooling.cc)."""
from . import _ffi_api
from .utils import as_list


def _pool(data, kernel, stride, dilation, padding, pool_type, ceil_mode, layout, count_include_pad, n):
    op = f"pool{n}d"
    kernel = as_list(kernel, n, "kernel", op)
    stride = as_list(stride, n, "stride", op)
    dilation = as_list(dilation, n, "dilation", op)
    padding = as_list(padding, 2 * n, "padding", op)
    return _ffi_api.pool(data, kernel, stride, dilation, padding, pool_type, bool(ceil_mode), layout,
                         bool(count_include_pad))


def pool1d(data, kernel, stride, dilation, padding, pool_type, ceil_mode=False, layout="NCW",
           count_include_pad=True):
    """1-d pooling; padding (left, right)."""
    return _pool(data, kernel, stride, dilation, padding, pool_type, ceil_mode, layout, count_include_pad, 1)


def pool2d(data, kernel, stride, dilation, padding, pool_type, ceil_mode=False, layout="NCHW",
           count_include_pad=True):
    """2-d pooling; padding (top, left, bottom, right)."""
    return _pool(data, kernel, stride, dilation, padding, pool_type, ceil_mode, layout, count_include_pad, 2)


def pool3d(data, kernel, stride, dilation, padding, pool_type, ceil_mode=False, layout="NCDHW",
           count_include_pad=True):
    """3-d pooling; padding (front, top, left, back, bottom, right)."""
    return _pool(data, kernel, stride, dilation, padding, pool_type, ceil_mode, layout, count_include_pad, 3)


def global_pool(data, pool_type, layout="NCHW"):
    """Pool each spatial plane to 1 x 1."""
    return _ffi_api.global_pool(data, pool_type, layout)


def adaptive_pool(data, output_size, pool_type, layout="NCHW"):
    """2-d adaptive pooling to output_size (an int or (h, w))."""
    return _ffi_api.adaptive_pool(data, as_list(output_size, 2, "output_size", "adaptive_pool"), pool_type, layout)


def adaptive_pool1d(data, output_size, pool_type, layout="NCW"):
    """1-d adaptive pooling."""
    return _ffi_api.adaptive_pool(data, as_list(output_size, 1, "output_size", "adaptive_pool1d"), pool_type,
                                  layout)


def adaptive_pool3d(data, output_size, pool_type, layout="NCDHW"):
    """3-d adaptive pooling."""
    return _ffi_api.adaptive_pool(data, as_list(output_size, 3, "output_size", "adaptive_pool3d"), pool_type,
                                  layout)


def pool_grad(grads, data, kernel, stride, padding, pool_type, ceil_mode=False, count_include_pad=True,
              layout="NCHW"):
    """Gradient of pool2d (no dilation) with respect to data, given the output gradient grads."""
    n = sum(1 for c in layout if c in "DHW")
    op = "pool_grad"
    return _ffi_api.pool_grad(grads, data, as_list(kernel, n, "kernel", op), as_list(stride, n, "stride", op),
                              as_list(padding, 2 * n, "padding", op), pool_type, bool(ceil_mode), layout,
                              bool(count_include_pad))
