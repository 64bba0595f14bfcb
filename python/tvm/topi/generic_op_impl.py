# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Arithmetic on whole tensors once TOPI is imported, as in TVM: A + B, A * 2.0, A / B,
n + A and A.astype("int8") build TOPI's operators whenever an operand is a te.Tensor
(of any rank); expressions and numbers alone keep TIR's meaning."""
from .. import te as _te
from ..tir.expr import ExprOp as _ExprOp
from . import broadcast as _broadcast
from . import math as _math

_OPS = [
    ("__add__", _broadcast.add, False), ("__radd__", _broadcast.add, True),
    ("__sub__", _broadcast.subtract, False), ("__rsub__", _broadcast.subtract, True),
    ("__mul__", _broadcast.multiply, False), ("__rmul__", _broadcast.multiply, True),
    ("__truediv__", _broadcast.divide, False), ("__rtruediv__", _broadcast.divide, True),
    ("__div__", _broadcast.divide, False), ("__rdiv__", _broadcast.divide, True),
]


def _bind(cls, name, topi_op, reflected):
    original = getattr(cls, name, None)
    if original is None:
        return

    def method(self, other):
        if isinstance(self, _te.Tensor) or isinstance(other, _te.Tensor):
            return topi_op(other, self) if reflected else topi_op(self, other)
        return original(self, other)

    method.__name__ = name
    method.__doc__ = f"{name}: TOPI's {topi_op.__name__} when an operand is a tensor, else {cls.__name__}'s."
    setattr(cls, name, method)


def _bind_generic_ops():
    for cls in (_te.Tensor, _ExprOp):
        for name, op, reflected in _OPS:
            _bind(cls, name, op, reflected)
    original_astype = _te.Tensor.astype

    def astype(self, dtype):
        return _math.cast(self, dtype) if isinstance(self, _te.Tensor) else original_astype(self, dtype)

    _te.Tensor.astype = astype


_bind_generic_ops()
