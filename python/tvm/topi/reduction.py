# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Reductions (include/tvm/topi/reduction.h).

axis is None (every axis), an int or a list of ints (negative ones count from the
end); keepdims keeps reduced axes as size 1.
"""
from numbers import Integral

from . import _ffi_api

__all__ = ["sum", "max", "min", "prod", "all", "any", "argmax", "argmin", "collapse_sum"]


def _axes(axis):
    if axis is None:
        return None
    if isinstance(axis, Integral):
        return [int(axis)]
    return [int(a) for a in axis]


def sum(data, axis=None, keepdims=False):  # pylint: disable=redefined-builtin
    """The sum of data over axis."""
    return _ffi_api.sum(data, _axes(axis), keepdims, False, False)


def max(data, axis=None, keepdims=False):  # pylint: disable=redefined-builtin
    """The largest element of data over axis."""
    return _ffi_api.max(data, _axes(axis), keepdims, False, False)


def min(data, axis=None, keepdims=False):  # pylint: disable=redefined-builtin
    """The smallest element of data over axis."""
    return _ffi_api.min(data, _axes(axis), keepdims, False, False)


def prod(data, axis=None, keepdims=False):
    """The product of data over axis."""
    return _ffi_api.prod(data, _axes(axis), keepdims, False, False)


def all(data, axis=None, keepdims=False):  # pylint: disable=redefined-builtin
    """Whether every element of data over axis is true (nonzero)."""
    return _ffi_api.all(data, _axes(axis), keepdims, False, False)


def any(data, axis=None, keepdims=False):  # pylint: disable=redefined-builtin
    """Whether some element of data over axis is true (nonzero)."""
    return _ffi_api.any(data, _axes(axis), keepdims, False, False)


def argmax(data, axis=None, keepdims=False, select_last_index=False):
    """The int32 index of the largest element over axis (row-major over several axes);
    ties go to the first, or the last with select_last_index."""
    return _ffi_api.argmax(data, _axes(axis), keepdims, False, select_last_index, False)


def argmin(data, axis=None, keepdims=False, select_last_index=False):
    """The int32 index of the smallest element over axis."""
    return _ffi_api.argmin(data, _axes(axis), keepdims, False, select_last_index, False)


def collapse_sum(data, target_shape):
    """data summed down to target_shape (the axes broadcasting would stretch)."""
    return _ffi_api.collapse_sum(data, list(target_shape))
