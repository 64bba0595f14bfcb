# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Type calls and type relations."""
from .._ffi.registry import register_object
from ..runtime.object import Object
from .type import Type, TypeConstraint
from . import _ffi_api


@register_object("TypeCall")
class TypeCall(Type):
    """A type-level function application."""

    def __init__(self, func, args):
        self.__init_handle_by_constructor__(_ffi_api.TypeCall, func, args)


@register_object("TypeRelation")
class TypeRelation(TypeConstraint):
    """A relation between types, as an operator's type states it: func (an EnvFunc
    naming the relation) over args, the first num_inputs of them inputs."""

    def __init__(self, func, args, num_inputs, attrs=None):
        self.__init_handle_by_constructor__(_ffi_api.TypeRelation, func, args, num_inputs, attrs)


@register_object("EnvFunc")
class EnvFunc(Object):
    """A global function held by name inside the IR."""

    @staticmethod
    def get(name):
        """The global function `name` (ValueError naming it when none is registered)."""
        return _ffi_api.EnvFuncGet(name)

    def __call__(self, *args):
        return _ffi_api.EnvFuncCall(self, *args)
