# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Walk and rewrite loop-IR trees with Python callbacks (the C++ visitors of
include/tvm/tir/stmt_functor.h)."""
from . import _ffi_api


def _check_callable(what, name, value, allow_none=False):
    if value is None and allow_none:
        return
    if not callable(value):
        raise TypeError(f"{what}: {name} must be callable, got {type(value).__name__} {value!r}")


def ir_transform(stmt, preorder, postorder, only_enable=None):
    """Rewrite `stmt` bottom-up with Python callbacks.

    preorder(node) runs before a node's children: returning a statement or
    expression replaces the node without visiting its children; returning
    None goes on. postorder(node) runs after the children were rewritten and
    may return a replacement (None keeps the node). `only_enable` restricts
    both callbacks to the node kinds named (e.g. ["tir.For", "tir.Allocate"]).
    """
    _check_callable("ir_transform", "preorder", preorder, allow_none=True)
    _check_callable("ir_transform", "postorder", postorder, allow_none=True)
    if isinstance(only_enable, str):
        only_enable = [only_enable]
    return _ffi_api.IRTransform(stmt, preorder, postorder, only_enable)


def post_order_visit(stmt, fvisit):
    """Call fvisit on every node of `stmt`, children before their parents."""
    _check_callable("post_order_visit", "fvisit", fvisit)
    return _ffi_api.PostOrderVisit(stmt, fvisit)


def pre_order_visit(stmt, fvisit):
    """Call fvisit on every node of `stmt`, parents first; a False result skips
    the node's children."""
    _check_callable("pre_order_visit", "fvisit", fvisit)
    return _ffi_api.PreOrderVisit(stmt, fvisit)


def substitute(node, vmap):
    """Replace variables in a statement or expression: vmap maps Var to PrimExpr
    (Python numbers are accepted as values)."""
    return _ffi_api.Substitute(node, vmap)


def renew_defs(func):
    """A copy of the PrimFunc whose every definition (parameters, buffers and
    their shape variables, loop/let/allocate variables, thread indices) is a
    new object: structurally equal to `func`, sharing no variable with it."""
    from .function import PrimFunc

    if not isinstance(func, PrimFunc):
        raise TypeError(f"renew_defs expects a tir.PrimFunc, got {type(func).__name__}")
    return _ffi_api.RenewDefs(func)
