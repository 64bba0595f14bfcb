# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Relay: the graph-level IR that models are imported into and optimised in."""
from . import base
from . import ty
from . import expr
from . import function
from . import backend

from .base import Span, SourceName
from .ty import (
    Type,
    TupleType,
    TensorType,
    TypeKind,
    TypeVar,
    ShapeVar,
    TypeConstraint,
    FuncType,
    TypeRelation,
    IncompleteType,
    TypeCall,
    RefType,
    GlobalTypeVar,
    Any,
    scalar_type,
)
from .expr import (
    Expr,
    Constant,
    Tuple,
    Var,
    GlobalVar,
    Call,
    Let,
    If,
    TupleGetItem,
    RefCreate,
    RefRead,
    RefWrite,
    TupleWrapper,
    var,
    const,
    bind,
)
from .function import Function
from ..ir import IRModule as Module  # noqa: F401  (old name)

# Operators.
from . import op
from .op import nn, image
from .op.reduce import *  # noqa: F401,F403
from .op.transform import *  # noqa: F401,F403
