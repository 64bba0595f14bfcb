# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Algebraic data types: type declarations (TypeData), their constructors,
and match expressions that take values apart by patterns."""
from .._ffi.registry import register_object
from ..ir import RelayExpr, Type
from ..runtime.object import Object
from . import _ffi_api
from .expr import Call


@register_object("relay.Constructor")
class Constructor(RelayExpr):
    """One way to build a value of an ADT: Cons(h, t) is Call(Cons, [h, t])."""

    def __init__(self, name_hint, inputs, belong_to):
        self.__init_handle_by_constructor__(_ffi_api.Constructor, name_hint, list(inputs), belong_to)

    def __call__(self, *args):
        return Call(self, list(args))


@register_object("relay.TypeData")
class TypeData(Type):
    """`type header[type_vars] { constructors }`: register it with mod[header] = TypeData(...)."""

    def __init__(self, header, type_vars, constructors):
        self.__init_handle_by_constructor__(_ffi_api.TypeData, header, list(type_vars), list(constructors))


@register_object("relay.Pattern")
class Pattern(Object):
    """Base of the patterns of a match clause."""


@register_object("relay.PatternWildcard")
class PatternWildcard(Pattern):
    """`_`: matches anything."""

    def __init__(self):
        self.__init_handle_by_constructor__(_ffi_api.PatternWildcard)


@register_object("relay.PatternVar")
class PatternVar(Pattern):
    """Matches anything and binds it to a variable."""

    def __init__(self, var):
        self.__init_handle_by_constructor__(_ffi_api.PatternVar, var)


@register_object("relay.PatternConstructor")
class PatternConstructor(Pattern):
    """Matches a value built by `constructor` whose fields match `patterns`."""

    def __init__(self, constructor, patterns=None):
        self.__init_handle_by_constructor__(_ffi_api.PatternConstructor, constructor, list(patterns or []))


@register_object("relay.PatternTuple")
class PatternTuple(Pattern):
    """Matches a tuple field by field."""

    def __init__(self, patterns=None):
        self.__init_handle_by_constructor__(_ffi_api.PatternTuple, list(patterns or []))


@register_object("relay.Clause")
class Clause(Object):
    """`lhs => rhs`."""

    def __init__(self, lhs, rhs):
        self.__init_handle_by_constructor__(_ffi_api.Clause, lhs, rhs)


@register_object("relay.Match")
class Match(RelayExpr):
    """`match (data) { clauses }`; with complete=False, `match?` (the clauses may not cover every value)."""

    def __init__(self, data, clauses, complete=True, span=None):
        self.__init_handle_by_constructor__(_ffi_api.Match, data, list(clauses), bool(complete), span)
