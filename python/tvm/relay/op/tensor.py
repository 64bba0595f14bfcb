# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Elementwise and broadcast operators: relay.add(lhs, rhs), relay.exp(data), ...

Each builds a call of the operator of the same name; its type is checked by
relay.transform.InferType (see src/relay/op/tensor/).
"""
from . import _make


def add(lhs, rhs):
    """The call add(lhs, rhs), broadcasting numpy-style."""
    return _make.add(lhs, rhs)


def subtract(lhs, rhs):
    """The call subtract(lhs, rhs), broadcasting numpy-style."""
    return _make.subtract(lhs, rhs)


def multiply(lhs, rhs):
    """The call multiply(lhs, rhs), broadcasting numpy-style."""
    return _make.multiply(lhs, rhs)


def divide(lhs, rhs):
    """The call divide(lhs, rhs), broadcasting numpy-style."""
    return _make.divide(lhs, rhs)


def floor_divide(lhs, rhs):
    """The call floor_divide(lhs, rhs), broadcasting numpy-style."""
    return _make.floor_divide(lhs, rhs)


def floor_mod(lhs, rhs):
    """The call floor_mod(lhs, rhs), broadcasting numpy-style."""
    return _make.floor_mod(lhs, rhs)


def power(lhs, rhs):
    """The call power(lhs, rhs), broadcasting numpy-style."""
    return _make.power(lhs, rhs)


def mod(lhs, rhs):
    """The call mod(lhs, rhs), broadcasting numpy-style."""
    return _make.mod(lhs, rhs)


def maximum(lhs, rhs):
    """The call maximum(lhs, rhs), broadcasting numpy-style."""
    return _make.maximum(lhs, rhs)


def minimum(lhs, rhs):
    """The call minimum(lhs, rhs), broadcasting numpy-style."""
    return _make.minimum(lhs, rhs)


def logical_and(lhs, rhs):
    """The call logical_and(lhs, rhs), broadcasting numpy-style."""
    return _make.logical_and(lhs, rhs)


def logical_or(lhs, rhs):
    """The call logical_or(lhs, rhs), broadcasting numpy-style."""
    return _make.logical_or(lhs, rhs)


def logical_xor(lhs, rhs):
    """The call logical_xor(lhs, rhs), broadcasting numpy-style."""
    return _make.logical_xor(lhs, rhs)


def bitwise_and(lhs, rhs):
    """The call bitwise_and(lhs, rhs), broadcasting numpy-style."""
    return _make.bitwise_and(lhs, rhs)


def bitwise_or(lhs, rhs):
    """The call bitwise_or(lhs, rhs), broadcasting numpy-style."""
    return _make.bitwise_or(lhs, rhs)


def bitwise_xor(lhs, rhs):
    """The call bitwise_xor(lhs, rhs), broadcasting numpy-style."""
    return _make.bitwise_xor(lhs, rhs)


def left_shift(lhs, rhs):
    """The call left_shift(lhs, rhs), broadcasting numpy-style."""
    return _make.left_shift(lhs, rhs)


def right_shift(lhs, rhs):
    """The call right_shift(lhs, rhs), broadcasting numpy-style."""
    return _make.right_shift(lhs, rhs)


def equal(lhs, rhs):
    """The call equal(lhs, rhs), broadcasting numpy-style."""
    return _make.equal(lhs, rhs)


def not_equal(lhs, rhs):
    """The call not_equal(lhs, rhs), broadcasting numpy-style."""
    return _make.not_equal(lhs, rhs)


def less(lhs, rhs):
    """The call less(lhs, rhs), broadcasting numpy-style."""
    return _make.less(lhs, rhs)


def less_equal(lhs, rhs):
    """The call less_equal(lhs, rhs), broadcasting numpy-style."""
    return _make.less_equal(lhs, rhs)


def greater(lhs, rhs):
    """The call greater(lhs, rhs), broadcasting numpy-style."""
    return _make.greater(lhs, rhs)


def greater_equal(lhs, rhs):
    """The call greater_equal(lhs, rhs), broadcasting numpy-style."""
    return _make.greater_equal(lhs, rhs)


def exp(data):
    """The call exp(data), elementwise."""
    return _make.exp(data)


def log(data):
    """The call log(data), elementwise."""
    return _make.log(data)


def log2(data):
    """The call log2(data), elementwise."""
    return _make.log2(data)


def log10(data):
    """The call log10(data), elementwise."""
    return _make.log10(data)


def sqrt(data):
    """The call sqrt(data), elementwise."""
    return _make.sqrt(data)


def rsqrt(data):
    """The call rsqrt(data), elementwise."""
    return _make.rsqrt(data)


def sigmoid(data):
    """The call sigmoid(data), elementwise."""
    return _make.sigmoid(data)


def tanh(data):
    """The call tanh(data), elementwise."""
    return _make.tanh(data)


def sin(data):
    """The call sin(data), elementwise."""
    return _make.sin(data)


def cos(data):
    """The call cos(data), elementwise."""
    return _make.cos(data)


def tan(data):
    """The call tan(data), elementwise."""
    return _make.tan(data)


def sinh(data):
    """The call sinh(data), elementwise."""
    return _make.sinh(data)


def cosh(data):
    """The call cosh(data), elementwise."""
    return _make.cosh(data)


def asin(data):
    """The call asin(data), elementwise."""
    return _make.asin(data)


def acos(data):
    """The call acos(data), elementwise."""
    return _make.acos(data)


def atan(data):
    """The call atan(data), elementwise."""
    return _make.atan(data)


def asinh(data):
    """The call asinh(data), elementwise."""
    return _make.asinh(data)


def acosh(data):
    """The call acosh(data), elementwise."""
    return _make.acosh(data)


def atanh(data):
    """The call atanh(data), elementwise."""
    return _make.atanh(data)


def erf(data):
    """The call erf(data), elementwise."""
    return _make.erf(data)


def fast_exp(data):
    """The call fast_exp(data), elementwise."""
    return _make.fast_exp(data)


def fast_tanh(data):
    """The call fast_tanh(data), elementwise."""
    return _make.fast_tanh(data)


def fast_erf(data):
    """The call fast_erf(data), elementwise."""
    return _make.fast_erf(data)


def negative(data):
    """The call negative(data), elementwise."""
    return _make.negative(data)


def abs(data):
    """The call abs(data), elementwise."""
    return _make.abs(data)


def floor(data):
    """The call floor(data), elementwise."""
    return _make.floor(data)


def ceil(data):
    """The call ceil(data), elementwise."""
    return _make.ceil(data)


def round(data):
    """The call round(data), elementwise."""
    return _make.round(data)


def trunc(data):
    """The call trunc(data), elementwise."""
    return _make.trunc(data)


def sign(data):
    """The call sign(data), elementwise."""
    return _make.sign(data)


def copy(data):
    """The call copy(data), elementwise."""
    return _make.copy(data)


def zeros_like(data):
    """The call zeros_like(data), elementwise."""
    return _make.zeros_like(data)


def ones_like(data):
    """The call ones_like(data), elementwise."""
    return _make.ones_like(data)


def logical_not(data):
    """The call logical_not(data), elementwise."""
    return _make.logical_not(data)


def bitwise_not(data):
    """The call bitwise_not(data), elementwise."""
    return _make.bitwise_not(data)


def isnan(data):
    """The call isnan(data), elementwise."""
    return _make.isnan(data)


def isfinite(data):
    """The call isfinite(data), elementwise."""
    return _make.isfinite(data)


def isinf(data):
    """The call isinf(data), elementwise."""
    return _make.isinf(data)


def clip(a, a_min, a_max):
    """min(max(a, a_min), a_max), elementwise."""
    return _make.clip(a, float(a_min), float(a_max))


def cast(data, dtype):
    """`data` converted to `dtype`."""
    return _make.cast(data, str(dtype))


def cast_like(data, dtype_like):
    """`data` converted to the dtype of the tensor `dtype_like`."""
    return _make.cast_like(data, dtype_like)


def reinterpret(data, dtype):
    """The bits of `data` read as `dtype` (of the same size in bits)."""
    return _make.reinterpret(data, str(dtype))


def where(condition, x, y):
    """x where `condition` holds, else y; the three broadcast together."""
    return _make.where(condition, x, y)


def fixed_point_multiply(data, multiplier, shift):
    """data * multiplier / 2^(31 - shift), rounded to nearest (int32 data: a quantized rescale)."""
    return _make.fixed_point_multiply(data, int(multiplier), int(shift))


__all__ = ["add", "subtract", "multiply", "divide", "floor_divide", "floor_mod", "power", "mod", "maximum", "minimum", "logical_and", "logical_or", "logical_xor", "bitwise_and", "bitwise_or", "bitwise_xor", "left_shift", "right_shift", "equal", "not_equal", "less", "less_equal", "greater", "greater_equal", "exp", "log", "log2", "log10", "sqrt", "rsqrt", "sigmoid", "tanh", "sin", "cos", "tan", "sinh", "cosh", "asin", "acos", "atan", "asinh", "acosh", "atanh", "erf", "fast_exp", "fast_tanh", "fast_erf", "negative", "abs", "floor", "ceil", "round", "trunc", "sign", "copy", "zeros_like", "ones_like", "logical_not", "bitwise_not", "isnan", "isfinite", "isinf", "clip", "cast", "cast_like", "reinterpret", "where", "fixed_point_multiply"]
