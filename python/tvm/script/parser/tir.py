# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""The `T` namespace of TVMScript for the loop IR (TVM v0.14 names).

    from tvm.script import tir as T

    @T.prim_func
    def add_one(A: T.Buffer((16,), "float32"), B: T.Buffer((16,), "float32")):
        for i in T.serial(16):
            B[i] = A[i] + T.float32(1)

Inside a parsed function the names here build IR: expression helpers return
expressions; statements (T.evaluate, T.func_attr, ...) add to the function
being built; scoped constructs (loops, T.allocate, T.launch_thread, T.attr,
T.let, ...) return frames that the parser opens, either with `with` or, for
an assignment or a bare call, around the rest of the enclosing block.

Block-based TensorIR (T.block, T.axis, T.reads, ...) is not part of this
project's IR: those names raise an error that says so.
"""
# pylint: disable=redefined-builtin,invalid-name
import builtins as _builtins
import inspect
import sys

from ... import ir as _ir
from ... import tir as _tir
from ...error import _ERROR_TYPES, DiagnosticError
from ...ir import PointerType, PrimType, Range as _Range
from ...runtime.container import convert
from ...tir import (  # noqa: F401  (constructors are part of T)
    EQ,
    GE,
    GT,
    LE,
    LT,
    NE,
    Add,
    And,
    Broadcast,
    Buffer as _BufferType,
    BufferLoad,
    Call,
    CallEffectKind,
    Cast,
    CommReducer,
    Div,
    FloatImm,
    FloorDiv,
    FloorMod,
    IntImm,
    IterVar,
    Max,
    Min,
    Mod,
    Mul,
    Not,
    Or,
    ProducerLoad,
    Ramp,
    Reduce,
    Select,
    Shuffle,
    SizeVar,
    StringImm,
    Sub,
    Var,
)
from ...tir import op as _op
from .builder import Frame, as_stmt, current_builder

# ---------------------------------------------------------------------------
# Helpers


def _is_expr(value):
    return isinstance(value, _ir.PrimExpr)


def _int_dtype(value):
    if _is_expr(value):
        return str(value.dtype)
    return "int64" if isinstance(value, int) and not -(2**31) <= value < 2**31 else "int32"


def _bits(dtype):
    return _tir_dtype(dtype).bits


def _tir_dtype(dtype):
    from ...runtime import DataType  # pylint: disable=import-outside-toplevel

    return DataType(str(dtype))


def _as_bool(cond):
    if isinstance(cond, _builtins.bool):
        return IntImm("bool", cond)
    return cond


def _as_list(shape):
    if isinstance(shape, (int, _ir.PrimExpr)):
        return [shape]
    return list(shape)


def _stride_list(strides):
    if strides is None:
        return []
    return [Var(s, "int32") if isinstance(s, str) else s for s in strides]


def _name(obj, name):
    """Give a fresh Var / Buffer / IterVar the name the script binds it to."""
    _tir._ffi_api.ScriptNameObject(obj, name)


def _find_prim_func(construct):
    frame = current_builder().find(PrimFuncFrame)
    if frame is None:
        raise DiagnosticError(f"{construct} must be used inside a T.prim_func")
    return frame


# ---------------------------------------------------------------------------
# Buffers


def buffer(
    shape,
    dtype="float32",
    data=None,
    strides=None,
    elem_offset=None,
    scope="global",
    align=0,
    offset_factor=0,
    buffer_type="",
    axis_separators=None,
    name="",
):
    """A buffer declaration (no statement): T.Buffer((16, 16), "float32", data=ptr).

    Without data a new pointer variable is made (int8 elements for bool
    buffers); with offset_factor and no elem_offset, a new elem_offset variable.
    """
    shape = _as_list(shape)
    dtype = str(dtype)
    if buffer_type in ("", "default"):
        type_code = 1
    elif buffer_type == "auto":
        type_code = 2
    else:
        raise DiagnosticError(f"T.Buffer: buffer_type must be 'auto', 'default' or '', got {buffer_type!r}")
    if data is None:
        storage = "int8" if dtype == "bool" else dtype
        data = Var(name, PointerType(PrimType(storage), scope))
    elif not isinstance(data, Var):
        raise DiagnosticError(f"T.Buffer: data must be a pointer variable, got {type(data).__name__}")
    if elem_offset is None and offset_factor:
        index_dtype = str(shape[0].dtype) if shape and _is_expr(shape[0]) else "int32"
        elem_offset = Var("", index_dtype)
    if axis_separators is not None:
        axis_separators = [IntImm("int32", int(a)) for a in axis_separators]
    return _tir._ffi_api.Buffer(
        data,
        dtype,
        shape,
        _stride_list(strides),
        elem_offset,
        name,
        int(align),
        int(offset_factor),
        type_code,
        axis_separators,
    )


class BufferProxy:
    """T.Buffer: called as T.Buffer(shape, dtype, ...) it declares a buffer."""

    def __call__(
        self,
        shape,
        dtype="float32",
        data=None,
        strides=None,
        elem_offset=None,
        scope="global",
        align=0,
        offset_factor=0,
        buffer_type="",
        axis_separators=None,
    ):
        return buffer(shape, dtype, data, strides, elem_offset, scope, align, offset_factor, buffer_type, axis_separators)

    def __getitem__(self, keys):
        # The older spelling T.Buffer[(16,), "float32"].
        if not isinstance(keys, tuple):
            return self(keys)
        if len(keys) >= 2 and not isinstance(keys[1], str):
            return self(keys)
        return self(*keys)


Buffer = BufferProxy()
buffer_decl = buffer


def match_buffer(
    param,
    shape=None,
    dtype="float32",
    data=None,
    strides=None,
    elem_offset=None,
    scope="global",
    align=-1,
    offset_factor=0,
    buffer_type="default",
    axis_separators=None,
):
    """Bind the handle parameter param to a new buffer (the function's buffer_map)."""
    if shape is None:
        raise DiagnosticError("T.match_buffer: the shape must be given when binding a function parameter")
    if isinstance(param, BufferLoad) or isinstance(param, _BufferRegion):
        raise DiagnosticError(
            "T.match_buffer of a buffer region belongs to block-based TensorIR, which this project "
            "does not support; match function parameters only"
        )
    frame = _find_prim_func("T.match_buffer")
    if not isinstance(param, Var) or not any(param.same_as(p) for p in frame.params):
        raise DiagnosticError("T.match_buffer: the first argument must be a parameter of the function (a T.handle)")
    buf = buffer(shape, dtype, data, strides, elem_offset, scope, align, offset_factor, buffer_type, axis_separators)
    frame.buffer_map.append((param, buf))
    return buf


class _BufferRegion:
    """buffer[begin:end, ...] as the argument of T.realize / T.prefetch (not an IR node)."""

    def __init__(self, buf, ranges):
        self.buffer = buf
        self.region = ranges


def _region_of(value, construct):
    """The (buffer, ranges) a T.realize / T.prefetch argument names."""
    if isinstance(value, _BufferRegion):
        return value.buffer, value.region
    if isinstance(value, BufferLoad):
        ranges = []
        for index in value.indices:
            if isinstance(index, Ramp):
                ranges.append(_Range.from_min_extent(index.base, index.lanes))
            else:
                ranges.append(_Range.from_min_extent(index, IntImm(str(index.dtype), 1)))
        return value.buffer, ranges
    raise DiagnosticError(f"{construct}: expected a buffer region such as A[0:16, i], got {type(value).__name__}")


def buffer_region(buf, indices):
    """buf[indices] with slices kept as ranges (the evaluator's reading inside T.realize)."""
    ranges = []
    for i, index in enumerate(indices):
        if isinstance(index, slice):
            start = 0 if index.start is None else index.start
            stop = buf.shape[i] if index.stop is None else index.stop
            if index.step not in (None, 1):
                raise DiagnosticError("a buffer region cannot have a step")
            ranges.append(_Range.from_min_extent(start, _simplify(stop - start)))
        else:
            ranges.append(_Range.from_min_extent(index, IntImm(_int_dtype(index), 1)))
    return _BufferRegion(buf, ranges)


def _simplify(expr):
    from ...arith import Analyzer  # pylint: disable=import-outside-toplevel

    return Analyzer().simplify(expr)


# ---------------------------------------------------------------------------
# Functions


class PrimFuncFrame(Frame):
    """The function being built."""

    construct = "T.prim_func"

    def __init__(self, name, private):
        super().__init__()
        self.name = name
        self.private = private
        self.params = []
        self.buffer_map = []
        self.attrs = None
        self.ret_type = None
        self.env_threads = {}  # Var -> [thread tag, IterVar or None]
        self.func = None

    def finish(self, body):
        attrs = dict(self.attrs.items()) if self.attrs is not None else {}
        if not self.private and self.name is not None and "global_symbol" not in attrs:
            attrs["global_symbol"] = self.name
        buffer_map = {param: buf for param, buf in self.buffer_map}
        self.func = _tir.PrimFunc(
            self.params,
            body,
            ret_type=self.ret_type,
            buffer_map=buffer_map,
            attrs=_ir.make_dict_attrs(attrs) if attrs else None,
        )
        return None


def arg(name, obj):
    """Add a parameter (a Var, or a Buffer bound to a new handle parameter)."""
    frame = _find_prim_func("T.arg")
    if isinstance(obj, _BufferType):
        _name(obj, name)
        handle = Var(f"{name}_handle", PrimType("handle"))
        frame.params.append(handle)
        frame.buffer_map.append((handle, obj))
        return obj
    if isinstance(obj, Var):
        _name(obj, name)
        frame.params.append(obj)
        return obj
    raise DiagnosticError(
        f"parameter {name}: the annotation must be a type (T.int32, T.handle, T.Buffer(...)), got {type(obj).__name__}"
    )


def func_name(name):
    _find_prim_func("T.func_name").name = name


def func_attr(attrs):
    """Set the function's attributes: T.func_attr({"global_symbol": "main", "tir.noalias": True})."""
    frame = _find_prim_func("T.func_attr")
    if frame.attrs is not None:
        raise DiagnosticError("T.func_attr: the function's attributes are already set")
    if not isinstance(attrs, dict):
        raise DiagnosticError(f"T.func_attr takes a dict, got {type(attrs).__name__}")
    if frame.private and "global_symbol" in attrs:
        raise DiagnosticError("T.func_attr: a private function (T.prim_func(private=True)) has no global_symbol")
    frame.attrs = {k: convert(v) for k, v in attrs.items()}


def func_ret(ret_type):
    frame = _find_prim_func("T.func_ret")
    frame.ret_type = ret_type
    return ret_type


def prim_func(func=None, private=False):
    """Parse a Python function as a PrimFunc: @T.prim_func or @T.prim_func(private=True).

    A private function has no global_symbol attribute; otherwise the
    function's name is its global symbol (unless T.func_attr sets one).
    Inside an @I.ir_module class the function is parsed with its module.
    """
    caller = sys._getframe(1)  # pylint: disable=protected-access

    def decorate(f, caller_frame, decorator):
        if not inspect.isfunction(f):
            raise TypeError(f"@T.prim_func expects a function, got {type(f).__name__}")
        if _in_class_body(caller_frame):
            return f  # @I.ir_module parses the whole class
        from .core import parse_object  # pylint: disable=import-outside-toplevel

        caller_locals = caller_frame.f_locals if caller_frame.f_code.co_name != "<module>" else None
        return parse_object(f, caller_locals=caller_locals, decorator=decorator)

    if func is not None:
        return decorate(func, caller, prim_func)

    def decorator(f):
        return decorate(f, sys._getframe(1), decorator)  # pylint: disable=protected-access

    decorator.dispatch_token = "tir"
    decorator.private = private
    return decorator


prim_func.dispatch_token = "tir"
prim_func.private = False


def _in_class_body(frame):
    names = frame.f_locals
    return "__module__" in names and "__qualname__" in names and frame.f_code.co_name != "<module>"


class macro:
    """@T.macro: a statement-level snippet pasted where it is called.

    Names in a hygienic macro (the default) resolve where the macro was
    defined; with hygienic=False, where it is used.
    """

    def __init__(self, *args, hygienic=True):
        self.hygienic = hygienic
        self.func = None
        if len(args) == 1 and inspect.isfunction(args[0]):
            self._set(args[0])
        elif args:
            raise _ERROR_TYPES["ValueError"](
                "Invalid use of T.macro. Usage: @T.macro, @T.macro(), @T.macro(hygienic=[True|False])"
            )

    def _set(self, func):
        self.func = func
        self.__name__ = func.__name__

    def __call__(self, *args, **kwargs):
        if self.func is None:
            self._set(args[0])
            return self
        from .core import expand_macro  # pylint: disable=import-outside-toplevel

        return expand_macro(self, args, kwargs)


# ---------------------------------------------------------------------------
# Loops


class ForFrame(Frame):
    """One loop (or a nest of serial loops for T.grid)."""

    construct = "for"

    def __init__(self, loop_vars, mins, extents, kind, thread=None, annotations=None):
        super().__init__()
        self.loop_vars = loop_vars
        self.mins = mins
        self.extents = extents
        self.kind = kind
        self.thread = thread
        self.annotations = annotations

    def enter(self):
        return self.loop_vars[0] if len(self.loop_vars) == 1 else list(self.loop_vars)

    def finish(self, body):
        for i in reversed(range(len(self.loop_vars))):
            binding = None
            if self.thread is not None:
                binding = IterVar(None, Var("iter", "int32"), IterVar.ThreadIndex, self.thread)
            body = _tir.For(
                self.loop_vars[i],
                self.mins[i],
                self.extents[i],
                self.kind,
                body,
                thread_binding=binding,
                annotations=self.annotations,
            )
        return body


def _loop(kind, start, stop, annotations, thread=None):
    if stop is None:
        stop = start
        start = IntImm(str(start.dtype), 0) if _is_expr(start) else 0
    if not _is_expr(start):
        start = IntImm(_int_dtype(start), start)
    extent = _simplify(stop - start) if (_is_expr(stop) or _is_expr(start)) else stop - start
    if not _is_expr(extent):
        extent = IntImm(_int_dtype(extent), extent)
    code = _tir_dtype(start.dtype)
    bits = _builtins.max(code.bits, _bits(extent.dtype))
    dtype = f"{str(start.dtype).rstrip('0123456789')}{bits}"
    if annotations is not None:
        annotations = {k: convert(v) for k, v in annotations.items()}
    return ForFrame([Var("", dtype)], [start], [extent], kind, thread, annotations)


def serial(start, stop=None, *, annotations=None):
    """for i in T.serial(n) / T.serial(begin, end): a sequential loop (`range` is the same)."""
    return _loop(_tir.ForKind.SERIAL, start, stop, annotations)


def parallel(start, stop=None, *, annotations=None):
    """A loop whose iterations run in parallel threads."""
    return _loop(_tir.ForKind.PARALLEL, start, stop, annotations)


def vectorized(start, stop=None, *, annotations=None):
    """A loop turned into vector operations."""
    return _loop(_tir.ForKind.VECTORIZED, start, stop, annotations)


def unroll(start, stop=None, *, annotations=None):
    """A loop to be unrolled."""
    return _loop(_tir.ForKind.UNROLLED, start, stop, annotations)


def thread_binding(start, stop=None, thread=None, *, annotations=None):
    """A loop bound to a GPU thread axis: T.thread_binding(n, thread="threadIdx.x")."""
    if thread is None:
        if not isinstance(stop, str):
            raise DiagnosticError("T.thread_binding: the thread (e.g. thread=\"threadIdx.x\") must be given")
        thread, stop = stop, None
    return _loop(_tir.ForKind.THREAD_BINDING, start, stop, annotations, thread=thread)


def grid(*extents):
    """for i, j in T.grid(n, m): nested serial loops from 0."""
    loop_vars, mins, ends = [], [], []
    for extent in extents:
        dtype = _int_dtype(extent)
        loop_vars.append(Var("", dtype))
        mins.append(IntImm(dtype, 0))
        ends.append(extent if _is_expr(extent) else IntImm(dtype, extent))
    return ForFrame(loop_vars, mins, ends, _tir.ForKind.SERIAL)


class WhileFrame(Frame):
    construct = "while"

    def __init__(self, condition):
        super().__init__()
        self.condition = _as_bool(condition)

    def finish(self, body):
        return _tir.While(self.condition, body)


def While(condition):
    return WhileFrame(condition)


# ---------------------------------------------------------------------------
# Conditionals and scoped statements


class IfFrame(Frame):
    construct = "if"

    def __init__(self, condition):
        super().__init__()
        self.condition = _as_bool(condition)
        self.then_case = None
        self.else_case = None

    def finish(self, body):
        if self.then_case is None:
            raise DiagnosticError("an if statement without a then branch")
        return _tir.IfThenElse(self.condition, self.then_case, self.else_case)


class ThenFrame(Frame):
    construct = "then branch"

    def finish(self, body):
        current_builder().find(IfFrame).then_case = body


class ElseFrame(Frame):
    construct = "else branch"

    def finish(self, body):
        current_builder().find(IfFrame).else_case = body


def If(condition):
    return IfFrame(condition)


def Then():
    return ThenFrame()


def Else():
    return ElseFrame()


class AssertFrame(Frame):
    construct = "assert"

    def __init__(self, condition, message):
        super().__init__()
        self.condition = _as_bool(condition)
        self.message = message if isinstance(message, StringImm) else StringImm(str(message))

    def finish(self, body):
        return _tir.AssertStmt(self.condition, self.message, body)


def Assert(condition, message):
    return AssertFrame(condition, message)


class LetFrame(Frame):
    construct = "let"

    def __init__(self, var, value):
        super().__init__()
        self.var = var
        self.value = value

    def enter(self):
        return self.var

    def finish(self, body):
        return _tir.LetStmt(self.var, self.value, body)


def LetStmt(value, type_annotation=None, *, var=None):
    """A let binding of value around the rest of the block; returns the variable."""
    value = convert(value)
    if var is None:
        if type_annotation is not None:
            if callable(type_annotation):
                type_annotation = type_annotation()
            if isinstance(type_annotation, Var):
                type_annotation = type_annotation.type_annotation
            var = Var("", type_annotation)
        else:
            var = Var("", str(value.dtype))
    return LetFrame(var, value)


def Let(expr, where):
    """The let expression `expr` with where={var: value}."""
    if len(where) != 1:
        raise DiagnosticError("T.Let takes exactly one binding in where={var: value}")
    var, value = list(where.items())[0]
    return _tir.Let(var, value, expr)


def let(v, value, body=None):
    """T.let(v, value): a let statement (frame); T.let(v, value, body): a let expression."""
    if body is None:
        return LetFrame(v, convert(value))
    return _tir.Let(v, value, body)


class AllocateFrame(Frame):
    construct = "T.allocate"

    def __init__(self, extents, dtype, scope, condition, annotations):
        super().__init__()
        self.extents = _as_list(extents)
        self.dtype = str(dtype)
        self.condition = _as_bool(condition) if condition is not None else IntImm("bool", 1)
        self.annotations = {k: convert(v) for k, v in annotations.items()} if annotations else None
        self.buffer_var = Var("", PointerType(PrimType(self.dtype), scope))

    def enter(self):
        return self.buffer_var

    def finish(self, body):
        return _tir.Allocate(self.buffer_var, self.dtype, self.extents, self.condition, body, self.annotations)


def allocate(extents, dtype, scope="global", condition=True, annotations=None):
    """ptr = T.allocate([n], "float32", "global"): memory for the rest of the block; returns the pointer."""
    return AllocateFrame(extents, dtype, scope, condition, annotations)


class DeclBufferFrame(Frame):
    construct = "T.decl_buffer"

    def __init__(self, buf, allocated):
        super().__init__()
        self.buffer = buf
        self.allocated = allocated

    def enter(self):
        return self.buffer

    def finish(self, body):
        body = _tir.DeclBuffer(self.buffer, body)
        if self.allocated:
            return body
        buf = self.buffer
        return _tir.Allocate(buf.data, buf.dtype, list(buf.shape), IntImm("bool", 1), body)


def decl_buffer(
    shape,
    dtype="float32",
    data=None,
    strides=None,
    elem_offset=None,
    scope="global",
    align=0,
    offset_factor=0,
    buffer_type="",
    axis_separators=None,
):
    """A buffer declared for the rest of the block (DeclBuffer); without data it is also allocated."""
    buf = buffer(shape, dtype, data, strides, elem_offset, scope, align, offset_factor, buffer_type, axis_separators)
    return DeclBufferFrame(buf, data is not None)


class AttrFrame(Frame):
    construct = "T.attr"

    def __init__(self, node, attr_key, value):
        super().__init__()
        self.node = node
        self.attr_key = attr_key
        self.value = value

    def finish(self, body):
        return _tir.AttrStmt(self.node, self.attr_key, self.value, body)


def attr(node, attr_key, value):
    """with T.attr(node, "pragma_key", value): an annotation over a block."""
    return AttrFrame(convert(node), attr_key, convert(value))


def env_thread(thread_tag):
    """A variable for the GPU thread axis thread_tag, launched with T.launch_thread(var, extent)."""
    frame = _find_prim_func("T.env_thread")
    var = Var("", "int32")
    frame.env_threads[var] = [thread_tag, None]
    return var


class LaunchThreadFrame(Frame):
    construct = "T.launch_thread"

    def __init__(self, iter_var, extent):
        super().__init__()
        self.iter_var = iter_var
        self.extent = extent

    def enter(self):
        return self.iter_var.var

    def finish(self, body):
        key = "virtual_thread" if self.iter_var.thread_tag == "vthread" else "thread_extent"
        return _tir.AttrStmt(self.iter_var, key, self.extent, body)


def launch_thread(thread, extent):
    """tx = T.launch_thread("threadIdx.x", 64) (or an env_thread variable): a thread axis for the rest of the block."""
    frame = _find_prim_func("T.launch_thread")
    if isinstance(thread, str):
        thread = env_thread(thread)
    entry = None
    for var, value in frame.env_threads.items():
        if var.same_as(thread):
            entry = value
    if entry is None:
        raise DiagnosticError(f"T.launch_thread: {thread} is not a thread created by T.env_thread")
    if not _is_expr(extent):
        extent = IntImm(_int_dtype(extent), extent)
    if entry[1] is None:
        entry[1] = IterVar(_Range.from_min_extent(IntImm(str(extent.dtype), 0), extent), thread, IterVar.ThreadIndex, entry[0])
    return LaunchThreadFrame(entry[1], extent)


class RealizeFrame(Frame):
    construct = "T.realize"

    def __init__(self, buf, bounds, scope, condition):
        super().__init__()
        self.buffer = buf
        self.bounds = bounds
        self.scope = scope
        self.condition = _as_bool(condition)

    def finish(self, body):
        realize = _tir.BufferRealize(self.buffer, self.bounds, self.condition, body)
        return _tir.AttrStmt(self.buffer, "realize_scope", StringImm(self.scope), realize)


def realize(buffer_slice, storage_scope="", condition=True):
    buf, bounds = _region_of(buffer_slice, "T.realize")
    return RealizeFrame(buf, bounds, storage_scope, condition)


# ---------------------------------------------------------------------------
# Plain statements


def buffer_store(buf, value, indices):
    """buf[indices] = value; slices become ramps, value is cast to the buffer's type."""
    if not isinstance(buf, _BufferType):
        raise DiagnosticError(f"cannot store into a {type(buf).__name__}: only buffers can be assigned by index")
    if not isinstance(indices, (list, tuple, _ir.Array)):
        indices = [indices]
    expr_indices = [_index_of(buf, i, index) for i, index in enumerate(indices)]
    if isinstance(value, _builtins.bool) and str(buf.dtype) == "bool":
        value = IntImm("bool", value)
    value = convert(value) if not _is_expr(value) else value
    index_lanes = expr_indices[-1].dtype.lanes if expr_indices and _is_expr(expr_indices[-1]) else 1
    buf_type = _tir_dtype(buf.dtype)
    lanes = buf_type.lanes * index_lanes
    lhs = str(buf.dtype) if lanes == 1 else f"{str(buf.dtype).split('x')[0]}x{lanes}"
    if str(value.dtype) != lhs:
        if _tir_dtype(value.dtype).lanes != lanes:
            raise DiagnosticError(
                f"cannot store a {value.dtype} value into {buf.name}[...] of type {lhs} "
                f"(the indices give {index_lanes} lane(s))"
            )
        value = _tir.generic.cast(value, lhs)
    current_builder().add(_tir.BufferStore(buf, value, expr_indices))


def _index_of(buf, axis, index):
    if not isinstance(index, slice):
        return index
    start = 0 if index.start is None else index.start
    stop = buf.shape[axis] if index.stop is None else index.stop
    step = 1 if index.step is None else index.step
    if _is_expr(start) and isinstance(step, int):
        step = IntImm(str(start.dtype), step)
    lanes = _simplify((stop - start + step - 1) // step)
    if not isinstance(lanes, (int, IntImm)):
        raise DiagnosticError(f"the slice {start}:{stop} of {buf.name} must have a constant length")
    if int(lanes) == 1:
        return start
    return Ramp(start, step, int(lanes))


def evaluate(value):
    """T.evaluate(expr): a statement evaluating expr (a call, for its effect)."""
    if isinstance(value, str):
        value = StringImm(value)
    if isinstance(value, _builtins.bool):
        value = IntImm("bool", value)
    current_builder().add(_tir.Evaluate(value))


def prefetch(buf, bounds=None):
    """T.prefetch(A[0:16]): a prefetch hint for a buffer region."""
    if bounds is None:
        buf, bounds = _region_of(buf, "T.prefetch")
    current_builder().add(_tir.Prefetch(buf, bounds))


# ---------------------------------------------------------------------------
# Types and typed constants


def _type_function(dtype):
    def make(expr=None, *, is_size_var=False):
        if expr is None:
            return SizeVar("", dtype) if is_size_var else Var("", dtype)
        if isinstance(expr, str):
            expr = float(expr)
        if isinstance(expr, (_builtins.bool, int, float)):
            return _tir.const(expr, dtype)
        return _tir.generic.cast(expr, dtype)

    make.__name__ = dtype
    make.__qualname__ = dtype
    make.__doc__ = f"T.{dtype}(): a new {dtype} variable; T.{dtype}(x): x as a {dtype} (a constant for a number)."
    return make


_TYPE_NAMES = []
for _base in ("int", "uint", "float"):
    for _bits_ in (8, 16, 32, 64):
        for _lanes in ("", "x4", "x8", "x16", "x32", "x64"):
            _TYPE_NAMES.append(f"{_base}{_bits_}{_lanes}")
_TYPE_NAMES += ["bfloat16"]
for _dtype in _TYPE_NAMES:
    globals()[_dtype] = _type_function(_dtype)
del _base, _bits_, _lanes, _dtype

bool = _type_function("bool")  # noqa: A001
boolean = bool


def handle(dtype=None, storage_scope="global", *, is_size_var=False):
    """T.handle: an opaque pointer variable; T.handle("float32") a typed one."""
    if dtype is None and storage_scope == "global":
        # An opaque handle: its type is the primitive type handle (a pointer
        # to void is T.handle("void")).
        return SizeVar("", "handle") if is_size_var else Var("", PrimType("handle"))
    if callable(dtype):
        dtype = dtype().dtype
    kind = SizeVar if is_size_var else Var
    return kind("", PointerType(PrimType(str(dtype) if dtype is not None else "void"), storage_scope))


def ptr(dtype, storage_scope="global", is_size_var=False):
    """A typed pointer variable (the same as T.handle(dtype, scope))."""
    return handle(dtype, storage_scope, is_size_var=is_size_var)


Ptr = ptr
buffer_var = ptr


def void(expr=None, *, is_size_var=False):
    if expr is None:
        return Var("", "void")
    return _tir.generic.cast(expr, "void")


def var(dtype, name=""):
    """A new variable of dtype."""
    return Var(name, dtype)


def cast(value, dtype):
    """value converted to dtype (constants fold)."""
    return _tir.generic.cast(value, dtype)


def Range(begin, end):
    return _Range(begin, end)


def iter_var(v, dom, iter_type, thread_tag):
    """An IterVar: T.iter_var(v, T.Range(0, n), "ThreadIndex", "threadIdx.x")."""
    iter_type = getattr(IterVar, iter_type)
    return IterVar(dom, v, iter_type, thread_tag)


def comm_reducer(combiner, identity):
    """A CommReducer from a combine function and its identity values."""
    params = inspect.signature(combiner).parameters
    num_args = len(params)
    args = []
    for name, ident in zip(params.keys(), list(identity) + list(identity)):
        args.append(Var(name, "int32" if isinstance(ident, int) else str(ident.dtype)))
    result = combiner(*args)
    if not isinstance(result, tuple):
        result = (result,)
    return CommReducer(args[: num_args // 2], args[num_args // 2 :], list(result), list(identity))


def target(target_config, host=None):
    """A Target (for the "target" function attribute)."""
    from ...target import Target  # pylint: disable=import-outside-toplevel

    if not isinstance(target_config, (str, dict)):
        raise DiagnosticError(f"T.target expected a config dict or string, but got {type(target_config)}")
    return Target(target_config, host) if host is not None else Target(target_config)


class meta_var:
    """A Python value for the parser only: `x = T.meta_var(e)` binds x to e without a let statement."""

    def __init__(self, value):
        self.value = value

    def __iter__(self):
        for item in self.value:
            yield meta_var(item)


# ---------------------------------------------------------------------------
# Operators and builtins


def _drop_dtype(func):
    def wrapped(*args, **kwargs):
        kwargs.pop("dtype", None)
        return func(*args, **kwargs)

    wrapped.__name__ = func.__name__
    wrapped.__doc__ = func.__doc__
    return wrapped


def _dtype_first(func):
    def wrapped(*args, **kwargs):
        if "dtype" in kwargs:
            args = (kwargs.pop("dtype"),) + args
        return func(*args, **kwargs)

    wrapped.__name__ = func.__name__
    wrapped.__doc__ = func.__doc__
    return wrapped


_PLAIN_OPS = [
    "abs", "acos", "acosh", "address_of", "asin", "asinh", "atan", "atan2", "atanh", "bitwise_and",
    "bitwise_not", "bitwise_or", "bitwise_xor", "ceil", "clz", "copysign", "cos", "cosh", "erf", "exp",
    "exp2", "exp10", "floor", "ceildiv", "floordiv", "floormod", "fmod", "hypot", "if_then_else",
    "infinity", "isfinite", "isinf", "isnan", "isnullptr", "ldexp", "likely", "log", "log1p", "log2",
    "log10", "lookup_param", "max_value", "min_value", "nearbyint", "nextafter", "popcount", "pow",
    "q_multiply_shift", "ret", "round", "rsqrt", "shift_left", "shift_right", "sigmoid", "sin", "sinh",
    "sqrt", "tan", "tanh", "trunc", "truncdiv", "truncmod", "tvm_access_ptr", "tvm_throw_last_error",
    "tvm_stack_alloca", "tvm_stack_make_shape", "tvm_stack_make_array", "tvm_check_return",
    "call_packed", "call_cpacked", "call_packed_lowered", "call_cpacked_lowered", "tvm_tuple",
    "tvm_struct_set", "tvm_thread_allreduce", "assume", "undef", "start_profile_intrinsic",
    "end_profile_intrinsic", "indexdiv", "indexmod", "div", "TVMBackendAllocWorkspace",
    "TVMBackendFreeWorkspace",
]  # fmt: skip
for _name_ in _PLAIN_OPS:
    globals()[_name_] = _drop_dtype(getattr(_op, _name_))
_DTYPE_OPS = [
    "reinterpret", "call_extern", "call_intrin", "call_llvm_intrin", "call_llvm_pure_intrin",
    "call_pure_extern", "vectorlow", "vectorhigh", "vectorcombine",
]  # fmt: skip
for _name_ in _DTYPE_OPS:
    globals()[_name_] = _dtype_first(getattr(_op, _name_))
del _name_

tvm_struct_get = _op.tvm_struct_get
tvm_storage_sync = _op.tvm_storage_sync
tvm_warp_shuffle = _op.tvm_warp_shuffle
tvm_warp_shuffle_up = _op.tvm_warp_shuffle_up
tvm_warp_shuffle_down = _op.tvm_warp_shuffle_down
tvm_warp_activemask = _op.tvm_warp_activemask
type_annotation = _op.type_annotation
fabs = abs  # noqa: F821  (defined above through globals())
broadcast = Broadcast
ramp = Ramp
tvm_call_packed = call_packed  # noqa: F821
tvm_call_cpacked = call_cpacked  # noqa: F821
tvm_call_packed_lowered = call_packed_lowered  # noqa: F821
tvm_call_cpacked_lowered = call_cpacked_lowered  # noqa: F821


def min(a, b):
    """The smaller of a and b (constants fold)."""
    return _tir._ffi_api._OpMin(a, b)


def max(a, b):
    """The larger of a and b (constants fold)."""
    return _tir._ffi_api._OpMax(a, b)


# ---------------------------------------------------------------------------
# Block-based TensorIR: not part of this project's IR.


def _unsupported(name):
    def refuse(*args, **kwargs):
        raise DiagnosticError(
            f"{name}: block-based TensorIR is not supported by this project; write loops over buffers"
        )

    refuse.__name__ = name.split(".")[-1]
    return refuse


block = _unsupported("T.block")
init = _unsupported("T.init")
where = _unsupported("T.where")
reads = _unsupported("T.reads")
writes = _unsupported("T.writes")
block_attr = _unsupported("T.block_attr")
alloc_buffer = _unsupported("T.alloc_buffer")
allocate_const = _unsupported("T.allocate_const")
index_map = _unsupported("T.index_map")


class _Axis:
    def __getattr__(self, name):
        return _unsupported(f"T.axis.{name}")


axis = _Axis()
