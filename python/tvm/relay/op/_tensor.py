# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Computes and schedules of the elementwise and broadcast operators.

Each operator's compute calls the TOPI operator of the same meaning; all of
them are injective, so they share topi's generic injective schedule.
"""
from ... import topi
from ...ir import Op
from .op import register_compute, register_broadcast_schedule, register_injective_schedule

# Relay operator -> topi function of one tensor (same name unless noted).
_UNARY = [
    "log", "log2", "log10", "tan", "cos", "cosh", "sin", "sinh", "acos", "acosh", "asin", "asinh", "atan",
    "atanh", "exp", "erf", "sqrt", "rsqrt", "sigmoid", "floor", "ceil", "trunc", "round", "sign", "abs",
    "tanh", "logical_not", "bitwise_not", "negative", "isnan", "isfinite", "isinf", "fast_exp", "fast_tanh",
    "fast_erf",
]
_UNARY_RENAMED = {"copy": "identity"}

_BINARY = [
    "add", "subtract", "multiply", "divide", "floor_divide", "trunc_divide", "power", "mod", "floor_mod",
    "trunc_mod", "logical_and", "logical_or", "logical_xor", "bitwise_and", "bitwise_or", "bitwise_xor",
    "equal", "not_equal", "less", "less_equal", "greater", "greater_equal", "maximum", "minimum",
    "right_shift", "left_shift",
]


def op_exists(op_name):
    """Whether op_name is registered (some operators arrive with later work)."""
    return op_name in _OP_NAMES


_OP_NAMES = set(Op.list_op_names())


def _unary_compute(topi_func):
    def compute(attrs, inputs, out_type):  # pylint: disable=unused-argument
        return [topi_func(inputs[0])]

    return compute


def _binary_compute(topi_func):
    def compute(attrs, inputs, out_type):  # pylint: disable=unused-argument
        return [topi_func(inputs[0], inputs[1])]

    return compute


for _name in _UNARY + list(_UNARY_RENAMED):
    if op_exists(_name):  # trunc_mod and the like are registered only where their relation is
        register_compute(_name, _unary_compute(getattr(topi, _UNARY_RENAMED.get(_name, _name))))
        register_broadcast_schedule(_name)

for _name in _BINARY:
    if op_exists(_name):
        register_compute(_name, _binary_compute(getattr(topi, _name)))
        register_broadcast_schedule(_name)


@register_compute("where")
def _where_compute(attrs, inputs, out_type):  # pylint: disable=unused-argument
    return [topi.where(inputs[0], inputs[1], inputs[2])]


register_broadcast_schedule("where")


@register_compute("zeros")
def _zeros_compute(attrs, inputs, out_type):  # pylint: disable=unused-argument
    return [topi.full(out_type.shape, out_type.dtype, 0.0)]


@register_compute("ones")
def _ones_compute(attrs, inputs, out_type):  # pylint: disable=unused-argument
    return [topi.full(out_type.shape, out_type.dtype, 1.0)]


@register_compute("zeros_like")
def _zeros_like_compute(attrs, inputs, out_type):  # pylint: disable=unused-argument
    return [topi.full_like(inputs[0], 0.0)]


@register_compute("ones_like")
def _ones_like_compute(attrs, inputs, out_type):  # pylint: disable=unused-argument
    return [topi.full_like(inputs[0], 1.0)]


@register_compute("full")
def _full_compute(attrs, inputs, out_type):  # pylint: disable=unused-argument
    # The fill value is a scalar tensor argument: read its one element.
    return [topi.full(out_type.shape, out_type.dtype, inputs[0]())]


@register_compute("full_like")
def _full_like_compute(attrs, inputs, out_type):  # pylint: disable=unused-argument
    return [topi.full_like(inputs[0], inputs[1]())]


for _name in ["zeros", "ones", "zeros_like", "ones_like", "full", "full_like"]:
    register_broadcast_schedule(_name)


@register_compute("clip")
def _clip_compute(attrs, inputs, out_type):  # pylint: disable=unused-argument
    return [topi.clip(inputs[0], attrs.a_min, attrs.a_max)]


@register_compute("cast")
def _cast_compute(attrs, inputs, out_type):
    return [topi.cast(inputs[0], out_type.dtype)]


@register_compute("cast_like")
def _cast_like_compute(attrs, inputs, out_type):
    return [topi.cast(inputs[0], out_type.dtype)]


@register_compute("reinterpret")
def _reinterpret_compute(attrs, inputs, out_type):
    return [topi.reinterpret(inputs[0], out_type.dtype)]


@register_compute("fixed_point_multiply")
def _fixed_point_multiply_compute(attrs, inputs, out_type):  # pylint: disable=unused-argument
    return [topi.fixed_point_multiply(inputs[0], attrs.multiplier, attrs.shift)]


@register_compute("shape_of")
def _shape_of_compute(attrs, inputs, out_type):
    return [topi.shape(inputs[0], out_type.dtype)]


for _name in ["clip", "cast", "cast_like", "reinterpret", "fixed_point_multiply", "shape_of"]:
    register_injective_schedule(_name)
if op_exists("ndarray_size"):

    @register_compute("ndarray_size")
    def _ndarray_size_compute(attrs, inputs, out_type):
        return [topi.ndarray_size(inputs[0], out_type.dtype)]

    register_injective_schedule("ndarray_size")
