# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""The IR infrastructure shared by every layer."""
from .base import (
    Node,
    save_json,
    load_json,
    structural_equal,
    assert_structural_equal,
    structural_hash,
    get_first_structural_mismatch,
    make_node,
    pretty_print,
)
from .expr import BaseExpr, PrimExpr, RelayExpr, GlobalVar, IntImm, FloatImm, Range
from .type import (
    Type,
    TypeKind,
    PrimType,
    PointerType,
    TupleType,
    FuncType,
    TypeVar,
    GlobalTypeVar,
    IncompleteType,
    TypeConstraint,
    RelayRefType,
)
from .tensor_type import TensorType
from .type_relation import TypeCall, TypeRelation, EnvFunc
from .span import Span, SourceName, SequentialSpan
from .attrs import Attrs, DictAttrs, make_dict_attrs
from .function import BaseFunc, CallingConv
from .module import IRModule
from .op import Op, register_op, register_op_attr
from . import transform
from . import instrument
from .container import Array, Map
from . import container
