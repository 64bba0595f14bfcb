# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Primitive operators and their attributes."""
from .._ffi.registry import register_object
from . import _ffi_api
from .expr import RelayExpr


@register_object("Op")
class Op(RelayExpr):
    """A registered primitive operator. Use Op.get(name)."""

    def __init__(self):
        raise RuntimeError("operators are registered in C++ or with register_op; use Op.get(name)")

    @staticmethod
    def get(op_name):
        """The operator `op_name`; AttributeError naming it when not registered."""
        return _ffi_api.GetOp(op_name)

    @staticmethod
    def list_op_names():
        return list(_ffi_api.ListOpNames())

    def get_attr(self, attr_name):
        """The value of attribute `attr_name` for this operator, or None."""
        return _ffi_api.OpGetAttr(self, attr_name)

    def has_attr(self, attr_name):
        return bool(_ffi_api.OpHasAttr(self, attr_name))

    def set_attr(self, attr_name, value, plevel=10):
        _ffi_api.OpSetAttr(self, attr_name, value, plevel)

    def reset_attr(self, attr_name):
        _ffi_api.OpResetAttr(self, attr_name)

    # Defining an operator from Python (relay registers these functions).
    def set_num_inputs(self, n):
        _relay_op_api("_OpSetNumInputs")(self, n)

    def set_support_level(self, level):
        _relay_op_api("_OpSetSupportLevel")(self, level)

    def set_attrs_type_key(self, key):
        _relay_op_api("_OpSetAttrsTypeKey")(self, key)

    def add_argument(self, name, type, description):  # pylint: disable=redefined-builtin
        _relay_op_api("_OpAddArgument")(self, name, type, description)

    def add_type_rel(self, rel_name, type_rel_func=None):
        """The operator's type relation: a C++ one registered as tvm.relation.<rel_name>
        ("Identity", "Broadcast", ...) or type_rel_func(arg_types, attrs) -> output type
        (None while it cannot tell). Call set_num_inputs first."""
        _relay_op_api("_OpAddTypeRel")(self, rel_name, type_rel_func)


def _relay_op_api(name):
    from .._ffi.registry import get_global_func  # pylint: disable=import-outside-toplevel

    return get_global_func("relay.op." + name)


def register_op(op_name, describe=""):
    """Register a new operator (or return the existing one)."""
    _ffi_api.RegisterOp(op_name, describe)
    return Op.get(op_name)


def register_op_attr(op_name, attr_key, value=None, level=10):
    """Attach attribute `attr_key` to operator `op_name`; usable as a decorator."""

    def _register(v):
        Op.get(op_name).set_attr(attr_key, v, level)
        return v

    return _register(value) if value is not None else _register
