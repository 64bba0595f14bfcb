# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Relay's expressions: constants, variables, calls, tuples, let, if, refs."""
import numbers

import numpy as _np

from .._ffi.registry import register_object
from ..ir import RelayExpr, GlobalVar, Op, Type  # noqa: F401
from .. import runtime as _runtime
from . import _ffi_api
from .ty import TensorType

# TVM's names for the base class.
ExprWithOp = RelayExpr
Expr = RelayExpr


def _as_array(items):
    """items as the constructor's argument: an Array as given (so the node keeps that very Array and
    `node.fields == fields` holds, as in TVM), any other iterable as a list."""
    return items if isinstance(items, _runtime.container.Array) else list(items)


def _binary(op_name):
    def method(self, other):
        from . import op as _op  # pylint: disable=import-outside-toplevel

        if isinstance(other, (numbers.Number, _np.ndarray, _np.generic)):
            other = const(other, _infer_dtype(self))
        return getattr(_op, op_name)(self, other)

    return method


def _rbinary(op_name):
    def method(self, other):
        from . import op as _op  # pylint: disable=import-outside-toplevel

        if isinstance(other, (numbers.Number, _np.ndarray, _np.generic)):
            other = const(other, _infer_dtype(self))
        return getattr(_op, op_name)(other, self)

    return method


def _infer_dtype(expr):
    ty = getattr(expr, "_checked_type_", None)
    if ty is None and isinstance(expr, Var):
        ty = expr.type_annotation
    if isinstance(ty, TensorType):
        return ty.dtype
    if isinstance(expr, Constant):
        return expr.data.dtype
    return None


def _install_operators(cls):
    cls.__add__ = _binary("add")
    cls.__radd__ = _rbinary("add")
    cls.__sub__ = _binary("subtract")
    cls.__rsub__ = _rbinary("subtract")
    cls.__mul__ = _binary("multiply")
    cls.__rmul__ = _rbinary("multiply")
    cls.__truediv__ = _binary("divide")
    cls.__rtruediv__ = _rbinary("divide")
    cls.__div__ = cls.__truediv__
    cls.__lt__ = _binary("less")
    cls.__gt__ = _binary("greater")
    cls.__le__ = _binary("less_equal")
    cls.__ge__ = _binary("greater_equal")
    cls.__neg__ = lambda self: __import__("tvm.relay.op", fromlist=["negative"]).negative(self)
    cls.astype = lambda self, dtype: __import__("tvm.relay.op", fromlist=["cast"]).cast(self, dtype)
    cls.__hash__ = RelayExpr.__hash__
    # f(x, y) builds the call of a function, a global function or a variable (as in TVM).
    cls.__call__ = lambda self, *args: Call(self, list(args))
    return cls


_install_operators(RelayExpr)


@register_object("relay.Constant")
class Constant(RelayExpr):
    """A constant tensor."""

    def __init__(self, data, span=None):
        self.__init_handle_by_constructor__(_ffi_api.Constant, data, span)


@register_object("relay.Tuple")
class Tuple(RelayExpr):
    """A tuple of expressions."""

    def __init__(self, fields, span=None):
        self.__init_handle_by_constructor__(_ffi_api.Tuple, _as_array(fields), span)

    def __getitem__(self, index):
        if index >= len(self.fields):
            raise IndexError("Tuple index out of range")
        return self.fields[index]

    def __len__(self):
        return len(self.fields)

    def astype(self, _):
        raise TypeError("astype cannot be used on a relay.Tuple")


@register_object("relay.Var")
class Var(RelayExpr):
    """A local variable (a function parameter or a let binding)."""

    def __init__(self, name_hint, type_annotation=None, span=None):
        self.__init_handle_by_constructor__(_ffi_api.Var, name_hint, type_annotation, span)


@register_object("relay.Call")
class Call(RelayExpr):
    """A call of an operator or function."""

    def __init__(self, op, args, attrs=None, type_args=None, span=None):
        if not type_args:
            type_args = []
        self.__init_handle_by_constructor__(_ffi_api.Call, op, _as_array(args), attrs, type_args, span)


@register_object("relay.Let")
class Let(RelayExpr):
    """let var = value; body"""

    def __init__(self, variable, value, body, span=None):
        self.__init_handle_by_constructor__(_ffi_api.Let, variable, value, body, span)


@register_object("relay.If")
class If(RelayExpr):
    """if (cond) { true_branch } else { false_branch }"""

    def __init__(self, cond, true_branch, false_branch, span=None):
        self.__init_handle_by_constructor__(_ffi_api.If, cond, true_branch, false_branch, span)


@register_object("relay.TupleGetItem")
class TupleGetItem(RelayExpr):
    """Field `index` of a tuple."""

    def __init__(self, tuple_value, index, span=None):
        self.__init_handle_by_constructor__(_ffi_api.TupleGetItem, tuple_value, index, span)


@register_object("relay.RefCreate")
class RefCreate(RelayExpr):
    def __init__(self, value, span=None):
        self.__init_handle_by_constructor__(_ffi_api.RefCreate, value, span)


@register_object("relay.RefRead")
class RefRead(RelayExpr):
    def __init__(self, ref, span=None):
        self.__init_handle_by_constructor__(_ffi_api.RefRead, ref, span)


@register_object("relay.RefWrite")
class RefWrite(RelayExpr):
    def __init__(self, ref, value, span=None):
        self.__init_handle_by_constructor__(_ffi_api.RefWrite, ref, value, span)


class TupleWrapper:
    """The result of an operator with several outputs: index it for each one."""

    def __init__(self, tuple_value, size):
        self.tuple_value = tuple_value
        self.size = size

    def astuple(self):
        return self.tuple_value

    def astext(self):
        return self.tuple_value.astext()

    def __getitem__(self, index):
        if index >= len(self):
            raise IndexError("Tuple index out of range")
        return TupleGetItem(self.tuple_value, index)

    def __len__(self):
        return self.size

    def __repr__(self):
        return "TupleWrapper(" + repr(self.tuple_value) + ", " + str(self.size) + ")"

    def astype(self, _):
        raise TypeError("astype cannot be used on a TupleWrapper")


def _no_virtual_device(virtual_device, builder):
    # TVM's builders take a virtual device too; devices are not modelled on Relay expressions here.
    if virtual_device is not None:
        raise ValueError("%s: virtual_device is not supported (expressions carry no device); pass None" % builder)


# The *WithFields builders: `node` with the fields given replaced; a field left None keeps the node's own.
# When nothing changes the node itself comes back; otherwise a copy (inferred type included) is returned.


def ConstantWithFields(constant, data=None, virtual_device=None, span=None):
    """constant with its data and/or span replaced."""
    _no_virtual_device(virtual_device, "ConstantWithFields")
    return _ffi_api.ConstantWithFields(constant, data, span)


def TupleWithFields(tup, fields=None, virtual_device=None, span=None):
    """tup with its fields and/or span replaced."""
    _no_virtual_device(virtual_device, "TupleWithFields")
    return _ffi_api.TupleWithFields(tup, None if fields is None else _as_array(fields), span)


def VarWithFields(variable, vid=None, type_annotation=None, virtual_device=None, span=None):
    """variable with its vid, type annotation and/or span replaced (the same vid: the same variable)."""
    _no_virtual_device(virtual_device, "VarWithFields")
    return _ffi_api.VarWithFields(variable, vid, type_annotation, span)


def CallWithFields(call, op=None, args=None, attrs=None, type_args=None, virtual_device=None, span=None):
    """call with its callee, arguments, attributes, type arguments and/or span replaced."""
    _no_virtual_device(virtual_device, "CallWithFields")
    return _ffi_api.CallWithFields(
        call, op, None if args is None else _as_array(args), attrs,
        None if type_args is None else _as_array(type_args), span)


def LetWithFields(let, variable=None, value=None, body=None, virtual_device=None, span=None):
    """let with its variable, value, body and/or span replaced."""
    _no_virtual_device(virtual_device, "LetWithFields")
    return _ffi_api.LetWithFields(let, variable, value, body, span)


def IfWithFields(if_expr, cond=None, true_branch=None, false_branch=None, virtual_device=None, span=None):
    """if_expr with its condition, branches and/or span replaced."""
    _no_virtual_device(virtual_device, "IfWithFields")
    return _ffi_api.IfWithFields(if_expr, cond, true_branch, false_branch, span)


def TupleGetItemWithFields(tuple_get_item, tuple_value=None, index=None, virtual_device=None, span=None):
    """tuple_get_item with its tuple, index and/or span replaced."""
    _no_virtual_device(virtual_device, "TupleGetItemWithFields")
    return _ffi_api.TupleGetItemWithFields(tuple_get_item, tuple_value, index, span)


def RefCreateWithFields(ref_create, value=None, virtual_device=None, span=None):
    """ref_create with its value and/or span replaced."""
    _no_virtual_device(virtual_device, "RefCreateWithFields")
    return _ffi_api.RefCreateWithFields(ref_create, value, span)


def RefReadWithFields(ref_read, ref=None, virtual_device=None, span=None):
    """ref_read with its reference and/or span replaced."""
    _no_virtual_device(virtual_device, "RefReadWithFields")
    return _ffi_api.RefReadWithFields(ref_read, ref, span)


def RefWriteWithFields(ref_write, ref=None, value=None, virtual_device=None, span=None):
    """ref_write with its reference, value and/or span replaced."""
    _no_virtual_device(virtual_device, "RefWriteWithFields")
    return _ffi_api.RefWriteWithFields(ref_write, ref, value, span)


def var(name_hint, type_annotation=None, shape=None, dtype="float32", span=None):
    """A new variable: relay.var("x", shape=(1, 3), dtype="float32") or with a type."""
    if type_annotation is not None and shape is not None:
        raise ValueError("relay.var: give either a type_annotation or a shape, not both")
    if shape is not None or isinstance(type_annotation, str):
        if isinstance(type_annotation, str):
            dtype = type_annotation
        type_annotation = TensorType(shape if shape is not None else (), dtype)
    return Var(name_hint, type_annotation, span)


def const(value, dtype=None, span=None):
    """A constant from a Python scalar, a numpy array or an NDArray."""
    if isinstance(value, (_np.generic, numbers.Number, bool)) or isinstance(value, (list, tuple)):
        if dtype is None and isinstance(value, bool):
            dtype = "bool"
        elif dtype is None and isinstance(value, numbers.Integral) and not isinstance(value, _np.generic):
            dtype = "int32"
        elif dtype is None and isinstance(value, numbers.Real) and not isinstance(value, _np.generic):
            dtype = "float32"
        value = _np.array(value, dtype=dtype)
    if isinstance(value, _np.ndarray):
        if dtype is not None:
            value = value.astype(dtype)
        if value.dtype == _np.float64 and dtype is None:
            value = value.astype("float32")
        if value.dtype == _np.int64 and dtype is None:
            value = value.astype("int32")
        value = _runtime.ndarray.array(value)
    if not isinstance(value, _runtime.ndarray.NDArray):
        raise ValueError("relay.const: value must be a number, a numpy array or an NDArray, got %r" % (value,))
    return Constant(value, span)


def bind(expr, binds):
    """expr with its free variables replaced by binds ({Var: Expr})."""
    return _ffi_api.Bind(expr, binds)
