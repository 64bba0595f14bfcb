# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Relay: the graph-level IR that models are imported into and optimised in."""
from . import base
from . import ty
from . import expr
from . import function
from . import backend
from . import op
from . import transform
from . import expr_functor
from . import type_functor
from . import analysis
from .op import annotation

from .base import Span, SourceName, SequentialSpan
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
from . import adt
from .adt import (
    Constructor,
    TypeData,
    Clause,
    PatternWildcard,
    PatternVar,
    PatternConstructor,
    PatternTuple,
    Match,
)
from . import build_module
from .backend import vm  # noqa: E402  (relay.vm, as TVM has it)
from .build_module import build, optimize, create_executor, bind_params_by_name
from .scope_builder import ScopeBuilder
from .expr_functor import ExprFunctor, ExprVisitor, ExprMutator
from .type_functor import TypeFunctor, TypeVisitor, TypeMutator
from ..ir import IRModule as Module  # noqa: F401  (old name)
from ..parser import parse, parse_expr, fromtext, SpanCheck  # noqa: E402  (the Relay text format)

# Operators (relay.add, relay.exp, ...), as TVM exports them.
from .op.tensor import *  # noqa: F401,F403,E402
from . import op
from .op import nn, image, vision, annotation
from .op.reduce import *  # noqa: F401,F403,E402
from .op.transform import *  # noqa: F401,F403,E402
from .param_dict import save_param_dict, load_param_dict
from . import frontend  # noqa: E402
