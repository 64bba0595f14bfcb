# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Reductions (TVM v0.14 signatures). axis None reduces every axis."""
from . import _make

__all__ = [
    "argmax", "argmin", "sum", "all", "any", "max", "min", "mean", "variance", "std",
    "mean_variance", "mean_std", "prod", "logsumexp",
]


def _axis(axis):
    return [axis] if isinstance(axis, int) else axis


def argmax(data, axis=None, keepdims=False, exclude=False, select_last_index=False):
    """Index of the maximum along axis (int32)."""
    return _make.argmax(data, _axis(axis), keepdims, exclude, select_last_index)


def argmin(data, axis=None, keepdims=False, exclude=False, select_last_index=False):
    """Index of the minimum along axis (int32)."""
    return _make.argmin(data, _axis(axis), keepdims, exclude, select_last_index)


def sum(data, axis=None, keepdims=False, exclude=False):  # pylint: disable=redefined-builtin
    """Sum over axis."""
    return _make.sum(data, _axis(axis), keepdims, exclude)


def all(data, axis=None, keepdims=False, exclude=False):  # pylint: disable=redefined-builtin
    """Logical and over axis."""
    return _make.all(data, _axis(axis), keepdims, exclude)


def any(data, axis=None, keepdims=False, exclude=False):  # pylint: disable=redefined-builtin
    """Logical or over axis."""
    return _make.any(data, _axis(axis), keepdims, exclude)


def max(data, axis=None, keepdims=False, exclude=False):  # pylint: disable=redefined-builtin
    """Maximum over axis."""
    return _make.max(data, _axis(axis), keepdims, exclude)


def min(data, axis=None, keepdims=False, exclude=False):  # pylint: disable=redefined-builtin
    """Minimum over axis."""
    return _make.min(data, _axis(axis), keepdims, exclude)


def mean(data, axis=None, keepdims=False, exclude=False):
    """Mean over axis."""
    return _make.mean(data, _axis(axis), keepdims, exclude)


def variance(data, axis=None, keepdims=False, exclude=False, unbiased=False, with_mean=None):
    """Variance over axis (with_mean: a precomputed mean with keepdims)."""
    axis = _axis(axis)
    m = mean(data, axis, True, exclude) if with_mean is None else with_mean
    return _make._variance(data, m, axis, keepdims, exclude, unbiased)


def std(data, axis=None, keepdims=False, exclude=False, unbiased=False):
    """Standard deviation over axis: sqrt(variance)."""
    from .tensor import sqrt  # pylint: disable=import-outside-toplevel

    return sqrt(variance(data, axis, keepdims, exclude, unbiased))


def mean_variance(data, axis=None, keepdims=False, exclude=False, unbiased=False):
    """(mean, variance) over axis."""
    from ..expr import TupleWrapper, Tuple  # pylint: disable=import-outside-toplevel

    axis = _axis(axis)
    m = mean(data, axis, True, exclude)
    var = _make._variance(data, m, axis, keepdims, exclude, unbiased)
    if not keepdims:
        m = squeeze_reduced(m, data, axis, exclude)
    return TupleWrapper(Tuple((m, var)), 2)


def mean_std(data, axis=None, keepdims=False, exclude=False):
    """(mean, standard deviation) over axis."""
    from ..expr import TupleWrapper, Tuple  # pylint: disable=import-outside-toplevel
    from .tensor import sqrt  # pylint: disable=import-outside-toplevel

    axis = _axis(axis)
    m = mean(data, axis, True, exclude)
    s = sqrt(_make._variance(data, m, axis, keepdims, exclude, False))
    if not keepdims:
        m = squeeze_reduced(m, data, axis, exclude)
    return TupleWrapper(Tuple((m, s)), 2)


def squeeze_reduced(m, data, axis, exclude):
    """The keepdims mean without its reduced axes (a mean over the same axes again is exact)."""
    return mean(m, axis, False, exclude)


def prod(data, axis=None, keepdims=False, exclude=False):
    """Product over axis."""
    return _make.prod(data, _axis(axis), keepdims, exclude)


def logsumexp(data, axis=None, keepdims=False):
    """log(sum(exp(x))) over axis, computed as max + log(sum(exp(x - max))) for stability."""
    from .tensor import exp, log  # pylint: disable=import-outside-toplevel
    from .transform import squeeze  # pylint: disable=import-outside-toplevel

    axis = _axis(axis)
    max_x = max(data, axis, True)
    out = log(sum(exp(data - max_x), axis, True)) + max_x
    if not keepdims:
        out = squeeze(out, axis)
    return out
