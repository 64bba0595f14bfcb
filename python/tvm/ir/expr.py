# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Base expressions, immediates, GlobalVar and Range."""
from .._ffi.registry import register_object
from ..runtime.object import Object
from . import _ffi_api


class BaseExpr(Object):
    """The base of all expressions."""


@register_object("PrimExpr")
class PrimExpr(BaseExpr):
    """A scalar expression of the loop IR (has a dtype)."""


@register_object("RelayExpr")
class RelayExpr(BaseExpr):
    """A graph-level expression."""

    @property
    def checked_type(self):
        ret = self._checked_type_
        if ret is None:
            raise ValueError("the type of this expression is not known yet; run InferType")
        return ret

    def astext(self, show_meta_data=True, annotate=None):
        """The Relay text format of this expression (tvm.relay.parse_expr reads it back).

        show_meta_data: append the #[metadata] section that meta[...] references need.
        annotate: optional callable(expr) -> str whose text is printed as a comment.
        """
        from .._ffi.registry import get_global_func  # pylint: disable=import-outside-toplevel

        return get_global_func("relay.ir.AsText")(self, show_meta_data, annotate)


@register_object("GlobalVar")
class GlobalVar(RelayExpr):
    """The name of a function in an IRModule."""

    def __init__(self, name_hint):
        self.__init_handle_by_constructor__(_ffi_api.GlobalVar, name_hint)


@register_object("IntImm")
class IntImm(PrimExpr):
    """An integer constant."""

    def __init__(self, dtype, value):
        self.__init_handle_by_constructor__(_ffi_api.IntImm, dtype, value)

    def __int__(self):
        return self.value

    def __index__(self):
        return self.value

    def __bool__(self):
        return self.value != 0

    def __eq__(self, other):
        if isinstance(other, (int, bool)):
            return self.value == other
        return self.same_as(other)

    def __hash__(self):
        return hash(self.value)


@register_object("FloatImm")
class FloatImm(PrimExpr):
    """A floating-point constant."""

    def __init__(self, dtype, value):
        self.__init_handle_by_constructor__(_ffi_api.FloatImm, dtype, value)

    def __float__(self):
        return self.value


@register_object("Range")
class Range(Object):
    """The interval [begin, end); Range(n) is [0, n)."""

    def __init__(self, begin, end=None):
        self.__init_handle_by_constructor__(_ffi_api.Range, begin, end)

    @staticmethod
    def from_min_extent(min_value, extent):
        return _ffi_api.Range_from_min_extent(min_value, extent)
