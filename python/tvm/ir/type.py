# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Types."""
from .._ffi.registry import register_object
from ..runtime.object import Object
from . import _ffi_api


@register_object("Type")
class Type(Object):
    """The base of types."""


@register_object("PrimType")
class PrimType(Type):
    """The type of a scalar expression."""

    def __init__(self, dtype):
        self.__init_handle_by_constructor__(_ffi_api.PrimType, dtype)


@register_object("PointerType")
class PointerType(Type):
    """A pointer to `element_type` in `storage_scope`."""

    def __init__(self, element_type, storage_scope=""):
        self.__init_handle_by_constructor__(_ffi_api.PointerType, element_type, storage_scope)


@register_object("TupleType")
class TupleType(Type):
    def __init__(self, fields):
        self.__init_handle_by_constructor__(_ffi_api.TupleType, fields)


@register_object("FuncType")
class FuncType(Type):
    def __init__(self, arg_types, ret_type):
        self.__init_handle_by_constructor__(_ffi_api.FuncType, arg_types, ret_type)
