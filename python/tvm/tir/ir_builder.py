# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Build loop IR imperatively from Python (TVM v0.14's tvm.tir.ir_builder).

    ib = tvm.tir.ir_builder.create()
    A = ib.pointer("float32", name="A")
    with ib.for_range(0, n, name="i") as i:
        with ib.if_scope(i % 2 == 0):
            A[i] = A[i] + 1.0
    stmt = ib.get()

Statements are collected per scope; a scope's statements become one
statement when it closes. Some emitted items wrap the rest of their scope
(allocate, let, scope_attr): they are functions from body to statement,
applied when the scope closes.
"""
from ..error import _ERROR_TYPES
from ..ir.expr import PrimExpr
from ..runtime.container import Array, convert
from ..runtime.object import Object
from . import stmt as _stmt
from .buffer import decl_buffer
from .expr import BufferLoad, Call, IterVar, Var
from .op import const, indexdiv, indexmod
from .op import max as _max


class WithScope:
    """A `with` scope: enter gives enter_value, exit calls exit_cb."""

    def __init__(self, enter_value, exit_cb):
        self._enter_value = enter_value
        self._exit_cb = exit_cb

    def __enter__(self):
        return self._enter_value

    def __exit__(self, ptype, value, trace):
        if ptype is None:
            self._exit_cb()


def _unravel(index, shape):
    """The row-major multi-dimensional index of the flat index."""
    result = []
    for extent in reversed(list(shape)):
        result.append(indexmod(index, extent))
        index = indexdiv(index, extent)
    return list(reversed(result))


class BufferVar(Object):
    """A buffer seen through the builder: x[i] reads, x[i] = v emits a store."""

    def __init__(self, builder, buffer, content_type):  # pylint: disable=super-init-not-called
        self._builder = builder
        self._buffer = buffer
        self._content_type = content_type

    @property
    def handle(self):
        return self._buffer.handle

    def asobject(self):
        return self._buffer

    @property
    def dtype(self):
        return self._content_type

    def _normalize_index(self, index):
        index = list(index) if isinstance(index, (tuple, list, Array)) else [index]
        index = [x.var if isinstance(x, IterVar) else x for x in index]
        if len(index) == 1 and len(self._buffer.shape) != 1:
            index = _unravel(index[0], self._buffer.shape)
        return index

    def __getitem__(self, index):
        return BufferLoad(self._buffer, self._normalize_index(index))

    def __setitem__(self, index, value):
        index = self._normalize_index(index)
        value = convert(value)
        if str(value.dtype).split("x")[0] != str(self._content_type).split("x")[0]:
            raise _ERROR_TYPES["ValueError"](
                f"data type does not match content type {value.dtype} vs {self._content_type}"
            )
        self._builder.emit(_stmt.BufferStore(self._buffer, value, index))


def _loop_dtype(value):
    if isinstance(value, PrimExpr):
        if not str(value.dtype).startswith("int"):
            raise _ERROR_TYPES["NotImplementedError"](
                f"for_range: the loop bounds must be integers, got {value.dtype}"
            )
        return str(value.dtype)
    if isinstance(value, int):
        return "int32"
    raise _ERROR_TYPES["NotImplementedError"](f"for_range: cannot infer a loop type from {type(value).__name__}")


_LOOP_KINDS = {
    "serial": _stmt.ForKind.SERIAL,
    "parallel": _stmt.ForKind.PARALLEL,
    "vectorize": _stmt.ForKind.VECTORIZED,
    "unroll": _stmt.ForKind.UNROLLED,
}


class IRBuilder:
    """Collects statements scope by scope; get() returns the result."""

    def __init__(self):
        self._seq_stack = [[]]
        self.nidx = 0

    def _pop_seq(self):
        seq = self._seq_stack.pop()
        if not seq or callable(seq[-1]):
            seq.append(_stmt.Evaluate(0))
        # Wrappers (allocate, let, attr) take everything after them as their body.
        body = [seq[-1]]

        def as_one(stmts):
            return stmts[0] if len(stmts) == 1 else _stmt.SeqStmt(list(reversed(stmts)))

        for item in reversed(seq[:-1]):
            if callable(item):
                body = [item(as_one(body))]
            else:
                body.append(item)
        return as_one(body)

    def emit(self, stmt):
        """Add a statement (a call becomes Evaluate), or a function body -> statement wrapping what follows."""
        if isinstance(stmt, Call):
            stmt = _stmt.Evaluate(stmt)
        if not (isinstance(stmt, _stmt.Stmt) or callable(stmt)):
            raise _ERROR_TYPES["TypeError"](f"emit expects a statement or a call, got {type(stmt).__name__}")
        self._seq_stack[-1].append(stmt)

    def scope_attr(self, node, attr_key, value):
        """An AttrStmt over the rest of the current scope."""
        if isinstance(node, str):
            node = _stmt.StringImm(node)
        if isinstance(value, str):
            value = _stmt.StringImm(value)
        if attr_key == "thread_extent":
            # A dynamic extent may be 0: launch at least one thread.
            value = _max(1, value)
        self.emit(lambda body: _stmt.AttrStmt(node, attr_key, value, body))

    def for_range(self, begin, end, name="i", dtype=None, kind="serial"):
        """with ib.for_range(begin, end) as i: a loop over [begin, end)."""
        if name == "i":
            name = chr(ord(name) + self.nidx) if self.nidx < 3 else f"{name}_{self.nidx - 3}"
            self.nidx += 1
        if kind not in _LOOP_KINDS:
            raise _ERROR_TYPES["ValueError"](f"for_range: unknown kind {kind!r} (use {', '.join(_LOOP_KINDS)})")
        if dtype is None:
            dtype = "int64" if "int64" in (_loop_dtype(begin), _loop_dtype(end)) else "int32"
        loop_var = Var(name, dtype)
        extent = end if isinstance(begin, int) and begin == 0 else end - begin
        self._seq_stack.append([])

        def close():
            self.emit(_stmt.For(loop_var, begin, extent, _LOOP_KINDS[kind], self._pop_seq()))

        return WithScope(loop_var, close)

    def while_loop(self, condition):
        """with ib.while_loop(cond): a while loop."""
        self._seq_stack.append([])

        def close():
            self.emit(_stmt.While(condition, self._pop_seq()))

        return WithScope(None, close)

    def if_scope(self, cond):
        """with ib.if_scope(cond): the then branch."""
        self._seq_stack.append([])

        def close():
            self.emit(_stmt.IfThenElse(cond, self._pop_seq(), None))

        return WithScope(None, close)

    def else_scope(self):
        """with ib.else_scope(): the else branch of the if_scope just closed."""
        seq = self._seq_stack[-1]
        prev = seq[-1] if seq else None
        if not isinstance(prev, _stmt.IfThenElse) or prev.else_case is not None:
            raise _ERROR_TYPES["RuntimeError"]("else_scope can only follow an if_scope")
        seq.pop()
        self._seq_stack.append([])

        def close():
            self.emit(_stmt.IfThenElse(prev.condition, prev.then_case, self._pop_seq()))

        return WithScope(None, close)

    def new_scope(self):
        """with ib.new_scope(): bounds the reach of allocate / let / scope_attr."""
        self._seq_stack.append([])

        def close():
            self.emit(self._pop_seq())

        return WithScope(None, close)

    def let(self, var_name, value):
        """A variable bound to value for the rest of the scope."""
        var = Var(var_name, value.dtype)
        self.emit(lambda body: _stmt.LetStmt(var, value, body))
        return var

    def allocate(self, dtype, shape, name="buf", axis_separators=None, scope=""):
        """Memory for the rest of the scope; returns a BufferVar over it."""
        if not isinstance(shape, (list, tuple, Array)):
            shape = [shape]
        buf = decl_buffer(shape, dtype, name, scope=scope, axis_separators=axis_separators)
        self.emit(lambda body: _stmt.Allocate(buf.data, dtype, shape, const(1, "bool"), body))
        return BufferVar(self, buf, dtype)

    def pointer(self, content_type, name="ptr", scope=""):
        """A BufferVar over a new pointer variable (a one-element buffer)."""
        buf = decl_buffer([1], content_type, name, scope=scope)
        return BufferVar(self, buf, content_type)

    def buffer_ptr(self, buf):
        """A BufferVar over an existing buffer."""
        return BufferVar(self, buf, buf.dtype)

    def likely(self, expr):
        """expr, marked likely true."""
        return Call(expr.dtype, "tir.likely", [expr])

    def get(self):
        """The statement built."""
        seq = self._pop_seq()
        if self._seq_stack:
            raise _ERROR_TYPES["RuntimeError"]("cannot call get inside construction scope")
        return seq


def create():
    """A new IRBuilder."""
    return IRBuilder()
