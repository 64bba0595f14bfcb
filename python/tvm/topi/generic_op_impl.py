# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Arithmetic on whole tensors once TOPI is imported, as in TVM: A + B, A * 2.0, A / B and
A.astype("int8") build TOPI's broadcast operators when an operand is a tensor of rank >= 1.
Rank-0 tensors keep te's meaning (their element, in expressions)."""
from .. import te as _te
from . import broadcast as _broadcast
from . import math as _math


def _is_array(x):
    return isinstance(x, _te.Tensor) and x.ndim > 0


def _bind(name, topi_op, reflected):
    original = getattr(_te.Tensor, name)

    def method(self, other):
        if _is_array(self) or _is_array(other):
            return topi_op(other, self) if reflected else topi_op(self, other)
        return original(self, other)

    method.__name__ = name
    method.__doc__ = f"Tensor {name}: TOPI's broadcast {topi_op.__name__} when an operand has rank >= 1."
    setattr(_te.Tensor, name, method)


def _bind_generic_ops():
    for name, op, reflected in [
        ("__add__", _broadcast.add, False), ("__radd__", _broadcast.add, True),
        ("__sub__", _broadcast.subtract, False), ("__rsub__", _broadcast.subtract, True),
        ("__mul__", _broadcast.multiply, False), ("__rmul__", _broadcast.multiply, True),
        ("__truediv__", _broadcast.divide, False), ("__rtruediv__", _broadcast.divide, True),
    ]:
        _bind(name, op, reflected)
    original_astype = _te.Tensor.astype

    def astype(self, dtype):
        return _math.cast(self, dtype) if _is_array(self) else original_astype(self, dtype)

    _te.Tensor.astype = astype


_bind_generic_ops()
