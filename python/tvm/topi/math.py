# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Elementwise operators (include/tvm/topi/elemwise.h)."""
from numbers import Number

from .. import te as _te
from .. import tir as _tir
from ..ir.expr import PrimExpr
from . import _ffi_api

_UNARY = {
    "exp": "e to the power x",
    "erf": "the Gauss error function",
    "sigmoid": "1 / (1 + e^-x)",
    "sqrt": "the square root",
    "rsqrt": "1 / sqrt(x)",
    "log": "the natural logarithm",
    "log2": "the base-2 logarithm",
    "log10": "the base-10 logarithm",
    "floor": "rounded down",
    "ceil": "rounded up",
    "round": "rounded to the nearest integer",
    "trunc": "rounded toward zero",
    "abs": "the absolute value",
    "cos": "the cosine",
    "cosh": "the hyperbolic cosine",
    "tan": "the tangent",
    "sin": "the sine",
    "sinh": "the hyperbolic sine",
    "acos": "the arc cosine",
    "acosh": "the inverse hyperbolic cosine",
    "asin": "the arc sine",
    "asinh": "the inverse hyperbolic sine",
    "atan": "the arc tangent",
    "atanh": "the inverse hyperbolic tangent",
    "tanh": "the hyperbolic tangent",
    "isnan": "whether x is NaN",
    "isfinite": "whether x is finite",
    "isinf": "whether x is infinite",
    "fast_exp": "e^x by a float32 polynomial (vectorises; relative error about 1e-7)",
    "fast_tanh": "tanh by a float32 approximation",
    "fast_erf": "erf by a float32 approximation (absolute error below 2e-7)",
    "negative": "-x",
    "logical_not": "not x (bool)",
    "bitwise_not": "~x (integers)",
    "sign": "-1, 0 or 1 by the sign of x",
    "identity": "x itself (a copy)",
}

__all__ = list(_UNARY) + ["clip", "cast", "reinterpret", "elemwise_sum", "full", "full_like",
                          "zeros_like", "ones_like", "fixed_point_multiply"]


def _make_unary(name, what):
    ffi = getattr(_ffi_api, name)

    def unary(x):
        if not isinstance(x, _te.Tensor):
            raise TypeError(f"topi.{name} expects a te.Tensor, got {type(x).__name__}")
        return ffi(x, None, None)

    unary.__name__ = unary.__qualname__ = name
    unary.__doc__ = f"Elementwise {what} of the tensor x (tag 'elemwise')."
    return unary


for _name, _what in _UNARY.items():
    globals()[_name] = _make_unary(_name, _what)


def clip(x, a_min, a_max):
    """x clamped to [a_min, a_max] (bounds converted to x's dtype)."""
    return _ffi_api.clip(x, a_min, a_max)


def cast(x, dtype, span=None):
    """x converted to dtype: a tensor gives a tensor, an expression or number an expression."""
    if isinstance(x, _te.Tensor):
        return _ffi_api.cast(x, dtype)
    if isinstance(x, Number):
        return _tir.const(x, dtype)
    if isinstance(x, PrimExpr):
        return _tir.Cast(dtype, x)
    raise TypeError(f"topi.cast: cannot cast a {type(x).__name__}")


def reinterpret(x, dtype):
    """The bits of x read as dtype (of the same width)."""
    return _ffi_api.reinterpret(x, dtype)


def elemwise_sum(xs):
    """The elementwise sum of tensors of one shape."""
    return _ffi_api.elemwise_sum(list(xs))


def full(shape, dtype, fill_value):
    """A tensor of shape and dtype, every element fill_value."""
    return _ffi_api.full(shape, dtype, fill_value)


def full_like(x, fill_value):
    """A tensor like x, every element fill_value."""
    return _ffi_api.full_like(x, fill_value)


def zeros_like(x):
    """Zeros of x's shape and dtype."""
    return _ffi_api.zeros_like(x)


def ones_like(x):
    """Ones of x's shape and dtype."""
    return _ffi_api.ones_like(x)


def fixed_point_multiply(x, multiplier, shift):
    """round(x * multiplier * 2^(shift - 31)) on int32 x (TVM's q_multiply_shift)."""
    def body(*i):
        return _tir.q_multiply_shift(x(*i), _tir.const(multiplier, "int32"), _tir.const(31, "int32"),
                                     _tir.const(shift, "int32"))
    return _te.compute(x.shape, body, name="T_fixed_point_multiply", tag="elemwise")
