# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Types."""
from .._ffi.registry import register_object
from ..runtime.object import Object
from . import _ffi_api


@register_object("Type")
class Type(Object):
    """The base of types."""

    def __eq__(self, other):
        from .base import structural_equal  # pylint: disable=import-outside-toplevel

        return isinstance(other, Type) and structural_equal(self, other)

    def __ne__(self, other):
        return not self.__eq__(other)

    def __hash__(self):
        from .base import structural_hash  # pylint: disable=import-outside-toplevel

        return structural_hash(self)

    def same_as(self, other):
        # Identity (Object.same_as); == on types is structural equality.
        return Object.same_as(self, other)


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
    """fn<type_params>(arg_types) -> ret_type where type_constraints."""

    def __init__(self, arg_types, ret_type, type_params=None, type_constraints=None):
        self.__init_handle_by_constructor__(
            _ffi_api.FuncType, arg_types, ret_type, type_params or [], type_constraints or []
        )


class TypeKind:
    """What a type variable stands for."""

    Type = 0
    ShapeVar = 1
    BaseType = 2
    Constraint = 4
    AdtHandle = 5
    TypeData = 6


@register_object("TypeVar")
class TypeVar(Type):
    """A type parameter of a polymorphic function type."""

    def __init__(self, name_hint, kind=TypeKind.Type):
        self.__init_handle_by_constructor__(_ffi_api.TypeVar, name_hint, kind)

    def __call__(self, *args):
        from .type_relation import TypeCall  # pylint: disable=import-outside-toplevel

        return TypeCall(self, args)


@register_object("GlobalTypeVar")
class GlobalTypeVar(Type):
    """The name of a global type definition (an algebraic data type)."""

    def __init__(self, name_hint, kind=TypeKind.AdtHandle):
        self.__init_handle_by_constructor__(_ffi_api.GlobalTypeVar, name_hint, kind)

    def __call__(self, *args):
        from .type_relation import TypeCall  # pylint: disable=import-outside-toplevel

        return TypeCall(self, args)


@register_object("IncompleteType")
class IncompleteType(Type):
    """An unknown type that inference solves for."""

    def __init__(self, kind=TypeKind.Type):
        self.__init_handle_by_constructor__(_ffi_api.IncompleteType, kind)


@register_object("TypeConstraint")
class TypeConstraint(Type):
    """A constraint on types."""


@register_object("relay.RefType")
class RelayRefType(Type):
    """The type of a mutable reference cell."""

    def __init__(self, value):
        self.__init_handle_by_constructor__(_ffi_api.RelayRefType, value)
