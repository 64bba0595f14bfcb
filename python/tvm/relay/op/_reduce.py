# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Computes and schedules of the reductions (sum, mean, max, argmax, variance, ...).

Relay's reduce attributes (axis, keepdims, exclude) become the explicit,
non-negative axis list TOPI takes; all use topi's generic reduction schedule.
"""
from ... import topi
from ... import tir
from .op import register_compute, register_reduce_schedule
from ._tensor import op_exists


def _reduce_axes(attrs, ndim):
    """The axes reduced: all when attrs.axis is None or empty (whatever exclude says, as
    TVM's type relation), else attrs.axis made non-negative, or its complement when
    exclude is set."""
    if attrs.axis is None or len(attrs.axis) == 0:
        return list(range(ndim))
    axes = sorted({int(a) % ndim for a in attrs.axis}) if ndim else []
    if attrs.exclude:
        axes = [i for i in range(ndim) if i not in axes]
    return axes


def _accumulate(tensor):
    """float16 sums lose the small terms long before a large reduction ends: sum in float32."""
    return topi.cast(tensor, "float32") if tensor.dtype == "float16" else tensor


def _narrow(tensor, dtype):
    return tensor if tensor.dtype == dtype else topi.cast(tensor, dtype)


def _simple(topi_func):
    def compute(attrs, inputs, out_type):  # pylint: disable=unused-argument
        data = inputs[0]
        axes = _reduce_axes(attrs, len(data.shape))
        if not axes:
            return [topi.identity(data)]
        return [topi_func(data, axes, bool(attrs.keepdims))]

    return compute


def _arg(topi_func):
    def compute(attrs, inputs, out_type):
        data = inputs[0]
        axes = _reduce_axes(attrs, len(data.shape))
        out = topi_func(data, axes, bool(attrs.keepdims), bool(attrs.select_last_index))
        return [out if out.dtype == out_type.dtype else topi.cast(out, out_type.dtype)]

    return compute


def _count(data, axes):
    count = 1
    for a in axes:
        count = count * data.shape[a]
    return count


@register_compute("mean")
def _mean_compute(attrs, inputs, out_type):  # pylint: disable=unused-argument
    data = inputs[0]
    axes = _reduce_axes(attrs, len(data.shape))
    if not axes:
        return [topi.identity(data)]
    wide = _accumulate(data)
    total = topi.sum(wide, axes, bool(attrs.keepdims))
    return [_narrow(topi.divide(total, tir.Cast(wide.dtype, _count(data, axes))), data.dtype)]


@register_compute("variance")
def _variance_compute(attrs, inputs, out_type):  # pylint: disable=unused-argument
    data, mean = inputs
    axes = _reduce_axes(attrs, len(data.shape))
    diff = topi.subtract(_accumulate(data), _accumulate(mean))
    count = _count(data, axes)
    if attrs.unbiased:
        count = count - 1
    total = topi.sum(topi.multiply(diff, diff), axes, bool(attrs.keepdims))
    return [_narrow(topi.divide(total, tir.Cast(diff.dtype, count)), data.dtype)]


for _name, _func in [("sum", topi.sum), ("max", topi.max), ("min", topi.min), ("prod", topi.prod),
                     ("all", topi.all), ("any", topi.any)]:
    register_compute(_name, _simple(_func))
register_compute("argmax", _arg(topi.argmax))
register_compute("argmin", _arg(topi.argmin))

for _name in ["sum", "max", "min", "prod", "all", "any", "argmax", "argmin", "mean", "variance"]:
    register_reduce_schedule(_name)

if op_exists("collapse_sum_like"):

    @register_compute("collapse_sum_like")
    def _collapse_sum_like_compute(attrs, inputs, out_type):  # pylint: disable=unused-argument
        return [topi.collapse_sum(inputs[0], out_type.shape)]

    register_reduce_schedule("collapse_sum_like")
