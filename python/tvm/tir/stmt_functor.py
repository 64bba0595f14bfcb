# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Walking and rewriting statements from Python (TVM v0.14's tvm.tir.stmt_functor)."""
from . import _ffi_api


def post_order_visit(stmt, fvisit):
    """Call fvisit(node) on every node of stmt, children before parents."""
    return _ffi_api.PostOrderVisit(stmt, fvisit)


def pre_order_visit(stmt, fvisit):
    """Call fvisit(node) on every node of stmt, parents first; a False result skips the node's children."""
    return _ffi_api.PreOrderVisit(stmt, fvisit)


def ir_transform(stmt, preorder, postorder, only_enable=None):
    """Rewrite stmt: preorder(node) may replace a node before its children are visited (None: keep
    going), postorder(node) after (None: keep the node). only_enable lists the node type keys to
    call them on ("tir.For", ...); None means all."""
    return _ffi_api.IRTransform(stmt, preorder, postorder, only_enable)


def substitute(node, vmap):
    """node with the variables of vmap (Var -> PrimExpr) replaced."""
    return _ffi_api.Substitute(node, vmap)
