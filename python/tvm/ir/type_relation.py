# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Type calls and type relations."""
from .._ffi.registry import register_object
from .type import Type, TypeConstraint
from . import _ffi_api


@register_object("TypeCall")
class TypeCall(Type):
    """A type-level function application."""

    def __init__(self, func, args):
        self.__init_handle_by_constructor__(_ffi_api.TypeCall, func, args)


@register_object("TypeRelation")
class TypeRelation(TypeConstraint):
    """A relation between types, as an operator's type states it."""
