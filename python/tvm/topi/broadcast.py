# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Binary operators with numpy broadcasting (include/tvm/topi/broadcast.h).

Each takes tensors, expressions or numbers on either side: two tensors broadcast
(tag 'broadcast'), a tensor and a scalar give a tensor (tag 'elemwise'), two
scalars give an expression.
"""
from numbers import Number

from .. import te as _te
from .. import tir as _tir
from . import _ffi_api

_BINARY = {
    "add": "a + b",
    "subtract": "a - b",
    "multiply": "a * b",
    "divide": "a / b",
    "floor_divide": "floor(a / b)",
    "floor_mod": "a - floor(a / b) * b",
    "trunc_divide": "trunc(a / b)",
    "trunc_mod": "the remainder of trunc(a / b)",
    "mod": "the remainder with the sign of a (C's fmod / %)",
    "power": "a to the power b",
    "maximum": "max(a, b)",
    "minimum": "min(a, b)",
    "logical_and": "a and b",
    "logical_or": "a or b",
    "logical_xor": "a xor b",
    "bitwise_and": "a & b",
    "bitwise_or": "a | b",
    "bitwise_xor": "a ^ b",
    "left_shift": "a << b",
    "right_shift": "a >> b",
    "equal": "a == b",
    "not_equal": "a != b",
    "less": "a < b",
    "less_equal": "a <= b",
    "greater": "a > b",
    "greater_equal": "a >= b",
}

__all__ = list(_BINARY) + ["broadcast_to", "where"]


def _make_binary(name, what):
    ffi = getattr(_ffi_api, name)

    def binary(lhs, rhs):
        return ffi(lhs, rhs)

    binary.__name__ = binary.__qualname__ = name
    binary.__doc__ = f"Elementwise {what}, broadcasting lhs and rhs."
    return binary


for _name, _what in _BINARY.items():
    globals()[_name] = _make_binary(_name, _what)


def broadcast_to(data, shape):
    """data stretched to shape by numpy broadcasting."""
    if isinstance(shape, (int, _tir.PrimExpr)):
        shape = [shape]
    return _ffi_api.broadcast_to(data, list(shape))


def _as_tensor(v, dtype):
    if isinstance(v, _te.Tensor):
        return v
    value = _tir.const(v, dtype) if isinstance(v, Number) else v
    return _te.compute((), lambda: value, name="scalar", tag="elemwise")


def where(condition, x, y):
    """x where condition is true, else y; all three broadcast together."""
    dtype = x.dtype if isinstance(x, _te.Tensor) else (y.dtype if isinstance(y, _te.Tensor) else None)
    if dtype is None:
        dtype = "float32" if isinstance(x, float) or isinstance(y, float) else "int32"
    return _ffi_api.where(_as_tensor(condition, "bool"), _as_tensor(x, dtype), _as_tensor(y, dtype))
