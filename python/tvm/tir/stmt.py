# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Statements of the loop IR.

    i = tvm.tir.Var("i", "int32")
    body = tvm.tir.BufferStore(B, A[i] + 1.0, [i])
    loop = tvm.tir.For(i, 0, 16, tvm.tir.ForKind.SERIAL, body)
"""
from enum import IntEnum

from .._ffi.registry import register_object
from ..runtime.container import convert
from ..runtime.object import Object
from . import _ffi_api
from .expr import StringImm


class _Scriptable:
    """script() / show(): the text form of a loop-IR object."""

    def script(self, **kwargs):
        """The TVMScript-like text of this object."""
        return _ffi_api.AsScript(self)

    def show(self, **kwargs):
        """Print script()."""
        print(self.script(**kwargs))


def _as_expr(value):
    """A str value becomes a StringImm (pragma values, assert messages)."""
    return StringImm(value) if isinstance(value, str) else value


@register_object("tir.Stmt")
class Stmt(Object, _Scriptable):
    """The base of statements."""


@register_object("tir.LetStmt")
class LetStmt(Stmt):
    """let var = value in body: LetStmt(var, value, body)."""

    def __init__(self, var, value, body, span=None):
        self.__init_handle_by_constructor__(_ffi_api.LetStmt, var, value, body)


@register_object("tir.AttrStmt")
class AttrStmt(Stmt):
    """Annotation attr_key = value on node, in scope for body: AttrStmt(node, attr_key, value, body)."""

    def __init__(self, node, attr_key, value, body, span=None):
        if isinstance(node, str):
            node = convert(node)
        self.__init_handle_by_constructor__(_ffi_api.AttrStmt, node, attr_key, _as_expr(value), body)


@register_object("tir.AssertStmt")
class AssertStmt(Stmt):
    """Check condition at run time, failing with message: AssertStmt(condition, message, body)."""

    def __init__(self, condition, message, body, span=None):
        self.__init_handle_by_constructor__(_ffi_api.AssertStmt, condition, message, body)


class ForKind(IntEnum):
    """How a loop runs."""

    SERIAL = 0
    PARALLEL = 1
    VECTORIZED = 2
    UNROLLED = 3
    THREAD_BINDING = 4


@register_object("tir.For")
class For(Stmt):
    """for loop_var in [min, min + extent): For(loop_var, min, extent, kind, body,
    thread_binding=None, annotations=None)."""

    def __init__(self, loop_var, min, extent, kind, body, thread_binding=None, annotations=None, span=None):
        # pylint: disable=redefined-builtin
        self.__init_handle_by_constructor__(
            _ffi_api.For, loop_var, min, extent, int(kind), body, thread_binding, annotations
        )


@register_object("tir.While")
class While(Stmt):
    """while (condition) body."""

    def __init__(self, condition, body, span=None):
        self.__init_handle_by_constructor__(_ffi_api.While, condition, body)


@register_object("tir.BufferStore")
class BufferStore(Stmt):
    """buffer[indices] = value: BufferStore(buffer, value, indices)."""

    def __init__(self, buffer, value, indices, span=None):
        self.__init_handle_by_constructor__(_ffi_api.BufferStore, buffer, value, list(indices))


@register_object("tir.BufferRealize")
class BufferRealize(Stmt):
    """The region bounds of buffer exists within body: BufferRealize(buffer, bounds, condition, body)."""

    def __init__(self, buffer, bounds, condition, body, span=None):
        self.__init_handle_by_constructor__(_ffi_api.BufferRealize, buffer, list(bounds), condition, body)


@register_object("tir.ProducerStore")
class ProducerStore(Stmt):
    """producer[indices] = value: ProducerStore(producer, value, indices)."""

    def __init__(self, producer, value, indices, span=None):
        self.__init_handle_by_constructor__(_ffi_api.ProducerStore, producer, value, list(indices))


@register_object("tir.ProducerRealize")
class ProducerRealize(Stmt):
    """The region bounds of producer is materialised within body:
    ProducerRealize(producer, bounds, condition, body, storage_scope="")."""

    def __init__(self, producer, bounds, condition, body, storage_scope="", span=None):
        self.__init_handle_by_constructor__(
            _ffi_api.ProducerRealize, producer, list(bounds), condition, body, storage_scope
        )


@register_object("tir.Allocate")
class Allocate(Stmt):
    """Memory for buffer_var within body: Allocate(buffer_var, dtype, extents, condition, body,
    annotations=None)."""

    def __init__(self, buffer_var, dtype, extents, condition, body, annotations=None, span=None):
        self.__init_handle_by_constructor__(
            _ffi_api.Allocate, buffer_var, dtype, list(extents), condition, body, annotations
        )


@register_object("tir.DeclBuffer")
class DeclBuffer(Stmt):
    """Declare buffer (a view over existing data) for body."""

    def __init__(self, buffer, body, span=None):
        self.__init_handle_by_constructor__(_ffi_api.DeclBuffer, buffer, body)


@register_object("tir.SeqStmt")
class SeqStmt(Stmt):
    """Statements in order."""

    def __init__(self, seq, span=None):
        self.__init_handle_by_constructor__(_ffi_api.SeqStmt, list(seq))

    def __getitem__(self, i):
        return self.seq[i]

    def __len__(self):
        return len(self.seq)


@register_object("tir.IfThenElse")
class IfThenElse(Stmt):
    """if (condition) then_case else else_case (else_case may be None)."""

    def __init__(self, condition, then_case, else_case, span=None):
        self.__init_handle_by_constructor__(_ffi_api.IfThenElse, condition, then_case, else_case)


@register_object("tir.Evaluate")
class Evaluate(Stmt):
    """Evaluate an expression for its effect (a call)."""

    def __init__(self, value, span=None):
        self.__init_handle_by_constructor__(_ffi_api.Evaluate, value)


@register_object("tir.Prefetch")
class Prefetch(Stmt):
    """Hint: fetch the region bounds of buffer into cache."""

    def __init__(self, buffer, bounds, span=None):
        self.__init_handle_by_constructor__(_ffi_api.Prefetch, buffer, list(bounds))


def stmt_seq(*args):
    """The statements args in order; an expression becomes Evaluate(expr)."""
    stmts = [value if isinstance(value, Stmt) else Evaluate(value) for value in args]
    if len(stmts) == 1:
        return stmts[0]
    return SeqStmt(stmts)


def stmt_list(stmt):
    """stmt as a flat list (nested SeqStmts expanded)."""
    if isinstance(stmt, SeqStmt):
        result = []
        for s in stmt:
            result += stmt_list(s)
        return result
    return [stmt]
