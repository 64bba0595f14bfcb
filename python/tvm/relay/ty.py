# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Relay's types (the IR types, under the names Relay code uses)."""
from ..ir import (  # noqa: F401
    Type,
    TypeKind,
    TypeVar,
    GlobalTypeVar,
    TypeConstraint,
    FuncType,
    TupleType,
    IncompleteType,
    TypeCall,
    TypeRelation,
    TensorType,
    RelayRefType as RefType,
)
from ..tir import Any as _TirAny


def Any():
    """A dimension known only at run time: relay.TensorType((relay.Any(), 3))."""
    return _TirAny()


def ShapeVar(name):
    """A type variable standing for a shape."""
    return TypeVar(name, kind=TypeKind.ShapeVar)


def scalar_type(dtype):
    """The type of a scalar of dtype: a rank-0 tensor."""
    return TensorType((), dtype)


def is_dynamic(tensor_type):
    """Whether a dimension of tensor_type is relay.Any()."""
    from .. import tir  # pylint: disable=import-outside-toplevel

    return any(isinstance(d, tir.Any) for d in tensor_type.shape)
