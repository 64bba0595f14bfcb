# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Build loop-IR statements imperatively (TVM v0.14's tvm.tir.ir_builder).

    ib = tvm.tir.ir_builder.create()
    n = tvm.te.var("n")
    A = ib.allocate("float32", n, name="A")
    with ib.for_range(0, n, name="i") as i:
        with ib.if_scope(i % 2 == 0):
            A[i] = A[i] + 1.0
    stmt = ib.get()

The builder keeps a stack of statement lists, one per open scope. A scope
that wraps what follows it (allocate, let, scope_attr) is recorded as a
function of the body and applied when the enclosing scope closes.
"""
from ..ir import PrimExpr
from ..runtime import ObjectGeneric, convert
from ..runtime.container import Array
from . import expr as _expr
from . import stmt as _stmt
from . import op as _op
from .buffer import decl_buffer

_LOOP_KINDS = {
    "serial": _stmt.ForKind.SERIAL,
    "parallel": _stmt.ForKind.PARALLEL,
    "vectorize": _stmt.ForKind.VECTORIZED,
    "unroll": _stmt.ForKind.UNROLLED,
}


class WithScope:
    """A `with` scope: entering gives `enter_value`, leaving calls `exit_cb`."""

    def __init__(self, enter_value, exit_cb):
        self._enter_value = enter_value
        self._exit_cb = exit_cb

    def __enter__(self):
        return self._enter_value

    def __exit__(self, ptype, value, trace):
        # On an exception inside the scope the builder is abandoned; building
        # the scope's statement could only raise a second, misleading error.
        if ptype is None:
            self._exit_cb()


def _unravel_index(index, shape):
    """Row-major indices into `shape` of the flat element number `index`."""
    strides = [1] * len(shape)
    for i in range(len(shape) - 2, -1, -1):
        strides[i] = strides[i + 1] * shape[i + 1]
    indices = []
    for stride in strides:
        indices.append(index // stride)
        index = index % stride
    return indices


def _element_type(dtype):
    return str(dtype).split("x", maxsplit=1)[0]


class BufferVar(ObjectGeneric):
    """A buffer the builder made (allocate, pointer, buffer_ptr): `x[i]` reads
    it (a BufferLoad), `x[i] = v` emits a BufferStore. A buffer of several
    dimensions takes as many indices, or one flat (row-major) index."""

    def __init__(self, builder, buffer, content_type):
        self._builder = builder
        self._buffer = buffer
        self._content_type = str(content_type)

    def asobject(self):
        return self._buffer

    @property
    def dtype(self):
        return self._content_type

    def _normalize_index(self, index):
        if isinstance(index, (tuple, list, Array)):
            index = list(index)
        else:
            index = [index]
        index = [i.var if isinstance(i, _expr.IterVar) else i for i in index]
        shape = list(self._buffer.shape)
        if len(index) == 1 and len(shape) != 1:
            index = _unravel_index(index[0], shape)
        elif len(index) != len(shape):
            raise IndexError(
                f"buffer {self._buffer.name} has {len(shape)} dimensions, "
                f"indexed with {len(index)} indices: {index}"
            )
        return index

    def __getitem__(self, index):
        return _expr.BufferLoad(self._buffer, self._normalize_index(index))

    def __setitem__(self, index, value):
        index = self._normalize_index(index)
        if isinstance(value, (bool, int, float)):
            # A Python number takes the element type of the buffer.
            value = _op.const(value, _element_type(self._content_type))
        value = convert(value)
        if not isinstance(value, PrimExpr):
            raise TypeError(
                f"cannot store a {type(value).__name__} into buffer {self._buffer.name}: "
                f"expected an expression of type {self._content_type}"
            )
        if _element_type(value.dtype) != _element_type(self._content_type):
            raise ValueError(
                f"data type does not match content type {value.dtype} vs {self._content_type} "
                f"(storing {value} into buffer {self._buffer.name})"
            )
        self._builder.emit(_stmt.BufferStore(self._buffer, value, index))


class IRBuilder:
    """Builds a statement through `with` scopes; `get()` returns it."""

    def __init__(self):
        self._seq_stack = [[]]
        self.nidx = 0

    def _pop_seq(self):
        """Close the innermost scope: its statement, scope wrappers applied."""
        seq = self._seq_stack.pop()
        if not seq or callable(seq[-1]):
            seq.append(_stmt.Evaluate(0))
        # Walk backwards: a wrapper takes everything after it as its body.
        body = [seq[-1]]
        for item in reversed(seq[:-1]):
            if callable(item):
                body = [item(_seq_of(body))]
            else:
                body.append(item)
        return _seq_of(body)

    def emit(self, stmt):
        """Append a statement, an expression (as Evaluate), or a function that
        wraps the statements that follow (body -> Stmt)."""
        if isinstance(stmt, (bool, int, float)):
            stmt = _op.const(stmt)
        if isinstance(stmt, PrimExpr):
            stmt = _stmt.Evaluate(stmt)
        if not (isinstance(stmt, _stmt.Stmt) or callable(stmt)):
            raise TypeError(
                f"emit: expected a Stmt, an expression or a function of the body, "
                f"got {type(stmt).__name__} {stmt!r}"
            )
        self._seq_stack[-1].append(stmt)

    def scope_attr(self, node, attr_key, value):
        """Put what follows (in this scope) under AttrStmt(node, attr_key, value)."""
        if isinstance(node, str):
            node = _expr.StringImm(node)
        if isinstance(value, str):
            value = _expr.StringImm(value)
        if attr_key == "thread_extent":
            # A dynamic extent may be zero; a thread scope needs at least one thread.
            value = _op.max(1, value)
        self.emit(lambda body: _stmt.AttrStmt(node, attr_key, value, body))

    def for_range(self, begin, end, name="i", dtype=None, kind="serial"):
        """A loop scope over [begin, end); entering gives the loop variable.

        Unnamed loops are called i, j, k, then i_0, i_1, ...; the variable is
        int64 when a bound is, else int32. kind: serial, parallel, vectorize
        or unroll."""
        if kind not in _LOOP_KINDS:
            raise ValueError(f"for_range: unknown kind {kind!r}; use one of {', '.join(_LOOP_KINDS)}")
        if name == "i":
            name = chr(ord("i") + self.nidx) if self.nidx < 3 else f"i_{self.nidx - 3}"
            self.nidx += 1
        if dtype is None:
            dtypes = [_bound_dtype(begin, "begin"), _bound_dtype(end, "end")]
            dtype = "int64" if "int64" in dtypes else "int32"
        loop_var = _expr.Var(name, dtype)
        begin_is_zero = isinstance(begin, int) and begin == 0
        extent = end if begin_is_zero else end - begin
        self._seq_stack.append([])

        def _exit_cb():
            body = self._pop_seq()
            self.emit(_stmt.For(loop_var, begin, extent, _LOOP_KINDS[kind], body))

        return WithScope(loop_var, _exit_cb)

    def while_loop(self, condition):
        """A scope repeated while `condition` holds."""
        self._seq_stack.append([])

        def _exit_cb():
            self.emit(_stmt.While(condition, self._pop_seq()))

        return WithScope(None, _exit_cb)

    def if_scope(self, cond):
        """A scope run when `cond` holds; may be followed by else_scope()."""
        self._seq_stack.append([])

        def _exit_cb():
            self.emit(_stmt.IfThenElse(cond, self._pop_seq(), None))

        return WithScope(None, _exit_cb)

    def else_scope(self):
        """The else branch of the if_scope just closed."""
        current = self._seq_stack[-1]
        prev = current[-1] if current else None
        if not isinstance(prev, _stmt.IfThenElse) or prev.else_case is not None:
            raise RuntimeError("else_scope can only follow an if_scope")
        current.pop()
        self._seq_stack.append([])

        def _exit_cb():
            self.emit(_stmt.IfThenElse(prev.condition, prev.then_case, self._pop_seq()))

        return WithScope(None, _exit_cb)

    def new_scope(self):
        """A plain scope: it bounds what allocate, let and scope_attr inside it wrap."""
        self._seq_stack.append([])

        def _exit_cb():
            self.emit(self._pop_seq())

        return WithScope(None, _exit_cb)

    def let(self, var_name, value):
        """Bind a new variable to `value` for what follows; returns the variable."""
        value = convert(value)
        var = _expr.Var(var_name, value.dtype)
        self.emit(lambda body: _stmt.LetStmt(var, value, body))
        return var

    def assume(self, cond):
        """State that `cond` holds from here on (an `assume` the simplifier uses)."""
        self.emit(_stmt.Evaluate(_op.assume(cond)))

    def allocate(self, dtype, shape, name="buf", axis_separators=None, scope=""):
        """Allocate a buffer for what follows in this scope; returns a BufferVar."""
        if not isinstance(shape, (list, tuple, Array)):
            shape = [shape]
        shape = list(shape)
        buffer = decl_buffer(shape, dtype, name, scope=scope, axis_separators=axis_separators)
        data = buffer.data
        self.emit(
            lambda body: _stmt.Allocate(data, dtype, shape, _op.const(1, dtype="uint1"), body)
        )
        return BufferVar(self, buffer, dtype)

    def pointer(self, content_type, name="ptr", scope=""):
        """A pointer of `content_type` elements (a one-element buffer indexed freely)."""
        buffer = decl_buffer(shape=[1], dtype=content_type, name=name, scope=scope)
        return BufferVar(self, buffer, content_type)

    def buffer_ptr(self, buf):
        """A BufferVar over an existing Buffer."""
        return BufferVar(self, buf, buf.dtype)

    def likely(self, expr):
        """`expr` marked as likely true (a hint for loop partitioning)."""
        return _op.likely(expr)

    def get(self):
        """The statement built; every scope must be closed."""
        seq = self._pop_seq()
        if self._seq_stack:
            raise RuntimeError("cannot call get inside construction scope")
        return seq


def _seq_of(reversed_stmts):
    # _pop_seq collects statements last-first.
    if len(reversed_stmts) == 1:
        return reversed_stmts[0]
    return _stmt.SeqStmt(list(reversed(reversed_stmts)))


def _bound_dtype(value, which):
    if isinstance(value, bool):
        raise TypeError(f"for_range: {which} must be an integer, got {value!r}")
    if isinstance(value, int):
        return "int32"
    if isinstance(value, PrimExpr):
        if not str(value.dtype).startswith("int"):
            raise TypeError(f"for_range: {which} must be an integer, got {value} of type {value.dtype}")
        return str(value.dtype)
    raise TypeError(f"for_range: {which} must be an integer expression, got {type(value).__name__} {value!r}")


def create():
    """A new IRBuilder."""
    return IRBuilder()
