# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Arithmetic entry points that other layers (te, topi) dispatch through."""
from . import _ffi_api


def add(lhs, rhs, span=None):
    """lhs + rhs."""
    return _ffi_api._OpAdd(lhs, rhs)


def subtract(lhs, rhs, span=None):
    """lhs - rhs."""
    return _ffi_api._OpSub(lhs, rhs)


def multiply(lhs, rhs, span=None):
    """lhs * rhs."""
    return _ffi_api._OpMul(lhs, rhs)


def divide(lhs, rhs, span=None):
    """lhs / rhs (floats; integers raise a TypeError pointing to floordiv)."""
    return _ffi_api._OpDiv(lhs, rhs)


def floordiv(lhs, rhs, span=None):
    """lhs // rhs."""
    return _ffi_api._OpFloorDiv(lhs, rhs)


def cast(src, dtype, span=None):
    """src converted to dtype."""
    return _ffi_api._cast(dtype, src)
