# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Normalisations and layout shuffles (computed in src/topi/nn_norm.cc)."""
from . import _ffi_api


def _axes(axis, ndim):
    if axis is None:
        return list(range(ndim))
    if isinstance(axis, int):
        return [axis]
    return [int(a) for a in axis]


def batch_norm(data, gamma, beta, moving_mean, moving_var, axis=None, epsilon=1e-5, center=None, scale=None,
               training=None, momentum=None):
    """Batch norm along axis (default 1): [out, new moving_mean, new moving_var].

    Inference (the default) uses and returns the moving statistics; training uses
    the batch's and blends them into the moving ones by momentum (default 0.1).
    """
    axis = 1 if axis is None else int(axis)
    momentum = 0.1 if momentum is None else float(momentum)
    center = True if center is None else bool(center)
    scale = True if scale is None else bool(scale)
    return list(_ffi_api.batch_norm(data, gamma, beta, moving_mean, moving_var, axis, float(epsilon), center,
                                    scale, bool(training), momentum))


def layer_norm(data, gamma, beta, axis, epsilon=1e-5):
    """Normalise over axis (a list); gamma/beta (beta may be None) have those axes' shape."""
    return _ffi_api.layer_norm(data, gamma, beta, _axes(axis, len(data.shape)), float(epsilon))


def rms_norm(data, weight, bias, axis, epsilon=1e-5):
    """data / sqrt(mean(data^2 over axis) + epsilon) * weight (+ bias); weight/bias have the axes' shape."""
    return _ffi_api.rms_norm(data, weight, bias, _axes(axis, len(data.shape)), float(epsilon))


def instance_norm(data, gamma, beta, axis, epsilon=1e-5):
    """Normalise over axis (the spatial axes of one instance); gamma/beta have those axes' shape."""
    return _ffi_api.instance_norm(data, gamma, beta, _axes(axis, len(data.shape)), float(epsilon))


def group_norm(data, gamma, beta, num_groups, channel_axis, axes, epsilon=1e-5):
    """Normalise each of num_groups channel groups over its channels and axes; gamma/beta per channel."""
    return _ffi_api.group_norm(data, gamma, beta, int(num_groups), int(channel_axis), _axes(axes, 0),
                               float(epsilon))


def lrn(data, size, axis=1, alpha=0.0001, beta=0.75, bias=2):
    """Local response normalisation across a window of `size` along axis."""
    return _ffi_api.lrn(data, int(size), int(axis), float(alpha), float(beta), float(bias))


def l2_normalize(data, eps, axis=None):
    """data / sqrt(max(sum(data^2 over axis), eps))."""
    return _ffi_api.l2_normalize(data, float(eps), _axes(axis, len(data.shape)))


def flatten(data):
    """Collapse all but the first dimension."""
    return _ffi_api.flatten(data)


def batch_flatten(data):
    """The same as flatten (Relay's name)."""
    return _ffi_api.flatten(data)


def depth_to_space(data, block_size, layout="NCHW", mode="DCR"):
    """Move channel blocks into block_size x block_size spatial tiles (mode DCR or CRD)."""
    return _ffi_api.depth_to_space(data, int(block_size), layout, mode)


def space_to_depth(data, block_size, layout="NCHW"):
    """Move block_size x block_size spatial tiles into channels."""
    return _ffi_api.space_to_depth(data, int(block_size), layout)
