# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Building tensor expressions: placeholder, compute, extern, scan, axes and variables."""
import inspect
from numbers import Integral

from ..error import _ERROR_TYPES
from ..ir.expr import PrimExpr
from ..runtime.container import convert
from .. import tir as _tir
from ..tir import expr as _expr
from ..tir.expr import IterVar
from ..tir.buffer import Buffer, decl_buffer
from ..tir.stmt import Stmt, Evaluate
from . import _ffi_api
from . import tag as _tag
from .tensor import Tensor


def _as_shape(shape):
    if isinstance(shape, (PrimExpr, Integral)):
        return (shape,)
    shape = tuple(shape)
    return tuple(int(s) if isinstance(s, float) and s == int(s) else s for s in shape)


def placeholder(shape, dtype=None, name="placeholder"):
    """An input tensor of `shape` (ints or expressions) and `dtype` (float32 by default)."""
    return _ffi_api.Placeholder(_as_shape(shape), "float32" if dtype is None else dtype, name)


def compute(shape, fcompute, name="compute", tag="", attrs=None, varargs_names=None):
    """A tensor whose element at (i, j, ...) is fcompute(i, j, ...).

    fcompute takes one index per dimension (or *args); it returns an
    expression, a reduction (te.sum, te.max, ...), or a tuple of
    expressions for an operation with several outputs (a tuple returns a
    tuple of tensors).

        C = te.compute((n, m), lambda i, j: te.sum(A[i, k] * B[k, j], axis=k), name="C")
    """
    current = _tag.TagScope.get_current()
    if current is not None:
        if tag != "":
            raise _ERROR_TYPES["ValueError"](f"compute {name}: a tag is given inside a te.tag_scope")
        tag = current.tag
    shape = _as_shape(shape)
    ndim = len(shape)
    spec = inspect.getfullargspec(fcompute)
    if spec.varkw is not None or spec.kwonlyargs or spec.defaults:
        raise _ERROR_TYPES["ValueError"](
            f"compute {name}: fcompute must take only positional index arguments (no defaults or keywords)"
        )
    args = list(spec.args)
    if inspect.ismethod(fcompute) and args:
        args = args[1:]
    if spec.varargs is not None:
        if len(args) > ndim:
            raise _ERROR_TYPES["ValueError"](
                f"compute {name}: fcompute takes at least {len(args)} indices but the shape has {ndim} dimensions"
            )
        extra = ndim - len(args)
        if varargs_names is not None:
            if len(varargs_names) != extra:
                raise _ERROR_TYPES["ValueError"](
                    f"compute {name}: {len(varargs_names)} varargs_names for {extra} extra dimensions"
                )
            args += list(varargs_names)
        else:
            args += [f"i{i}" for i in range(len(args), ndim)]
    elif len(args) == 0 and ndim > 0:
        args = [f"i{i}" for i in range(ndim)]
    def arity_error():
        return _ERROR_TYPES["ValueError"](
            f"compute {name}: fcompute takes {len(args)} indices ({', '.join(args)}) but the shape "
            f"{list(shape)} has {ndim} dimensions"
        )

    if len(args) > ndim:
        raise arity_error()
    out_ndim = len(args)
    axis = [_tir.IterVar((0, s), n, _tir.IterVar.DataPar) for n, s in zip(args, shape)]
    body = fcompute(*[iv.var for iv in axis])
    from .tensor_intrin import TensorIntrinCall  # pylint: disable=import-outside-toplevel

    if isinstance(body, TensorIntrinCall):
        # The intrinsic call covers the remaining dimensions of the shape.
        for i, s in enumerate(shape[out_ndim:]):
            axis.append(_tir.IterVar((0, s), f"ax{i}", _tir.IterVar.DimInfo))
        op = _ffi_api.TensorComputeOp(name, tag, axis, body.reduce_axis, out_ndim, body.intrin, body.tensors,
                                      body.regions, body.scalar_inputs)
        outputs = tuple(op.output(i) for i in range(op.num_outputs))
        return outputs[0] if len(outputs) == 1 else outputs
    if out_ndim != ndim:
        raise arity_error()
    if isinstance(body, (list, tuple)):
        body = [b.asobject() if hasattr(b, "asobject") else b for b in body]
    else:
        body = [body.asobject() if hasattr(body, "asobject") else body]
    for i, b in enumerate(body):
        if isinstance(b, Tensor):
            raise _ERROR_TYPES["TypeError"](
                f"compute {name}: output {i} is the tensor {b.name}, not an element of it; index it"
            )
    op = _ffi_api.ComputeOp(name, tag, attrs, axis, convert(body))
    outputs = tuple(op.output(i) for i in range(op.num_outputs))
    return outputs[0] if len(outputs) == 1 else outputs


def extern(shape, inputs, fcompute, name="extern", dtype=None, in_buffers=None, out_buffers=None, tag="",
           attrs=None):
    """Tensors computed by an opaque statement, typically a packed-function call.

    fcompute(ins, outs) receives buffers for the inputs and the outputs and
    returns a statement (or an expression, evaluated for its effect):

        C = te.extern((n,), [A], lambda ins, outs: tvm.tir.call_packed("my_func", ins[0], outs[0]),
                      name="C")
    """
    current = _tag.TagScope.get_current()
    if current is not None:
        if tag != "":
            raise _ERROR_TYPES["ValueError"](f"extern {name}: a tag is given inside a te.tag_scope")
        tag = current.tag
    if isinstance(shape, (PrimExpr, Integral)):
        shape = [(shape,)]
    elif len(shape) == 0 or isinstance(shape[0], (PrimExpr, Integral)):
        shape = [tuple(shape)]
    else:
        shape = [tuple(s) for s in shape]
    if isinstance(inputs, Tensor):
        inputs = [inputs]
    inputs = list(inputs)
    if in_buffers is not None:
        in_buffers = list(in_buffers) if isinstance(in_buffers, (list, tuple)) else [in_buffers]
        if len(in_buffers) != len(inputs):
            raise _ERROR_TYPES["ValueError"](
                f"extern {name}: {len(in_buffers)} input buffers for {len(inputs)} inputs"
            )
    if out_buffers is not None:
        out_buffers = list(out_buffers) if isinstance(out_buffers, (list, tuple)) else [out_buffers]
        if len(out_buffers) != len(shape):
            raise _ERROR_TYPES["ValueError"](
                f"extern {name}: {len(out_buffers)} output buffers for {len(shape)} outputs"
            )
    types = set()
    input_buffers = []
    for i, t in enumerate(inputs):
        if not isinstance(t, Tensor):
            raise _ERROR_TYPES["TypeError"](f"extern {name}: input {i} is not a tensor")
        types.add(str(t.dtype))
        input_buffers.append(in_buffers[i] if in_buffers is not None else decl_buffer(t.shape, t.dtype, t.op.name))
    if dtype is None:
        if len(types) != 1:
            raise _ERROR_TYPES["ValueError"](
                f"extern {name}: cannot infer the output dtype from inputs of types {sorted(types)}; give dtype"
            )
        dtype = [types.pop()] * len(shape)
    elif isinstance(dtype, str):
        dtype = [dtype] * len(shape)
    if len(dtype) != len(shape):
        raise _ERROR_TYPES["ValueError"](f"extern {name}: {len(dtype)} dtypes for {len(shape)} outputs")
    if out_buffers is not None:
        output_buffers = out_buffers
    else:
        output_buffers = [decl_buffer(s, d, name) for s, d in zip(shape, dtype)]
    body = fcompute(input_buffers, output_buffers)
    if isinstance(body, PrimExpr):
        body = Evaluate(body)
    if not isinstance(body, Stmt):
        raise _ERROR_TYPES["TypeError"](
            f"extern {name}: fcompute must return a statement or an expression, got {type(body).__name__}"
        )
    op = _ffi_api.ExternOp(name, tag, attrs, inputs, input_buffers, output_buffers, body)
    outputs = [op.output(i) for i in range(op.num_outputs)]
    return outputs[0] if len(outputs) == 1 else outputs


def scan(init, update, state_placeholder, inputs=None, name="scan", tag="", attrs=None):
    """A recurrence over the first (time) dimension.

    The output equals `init` on the first init.shape[0] steps; each later step t is
    `update`, which reads earlier steps through `state_placeholder`:

        X = te.placeholder((m, n), name="X")
        s_state = te.placeholder((m, n))
        s_init = te.compute((1, n), lambda _, i: X[0, i])
        s_update = te.compute((m, n), lambda t, i: s_state[t - 1, i] + X[t, i])
        res = te.scan(s_init, s_update, s_state, inputs=X)   # numpy.cumsum(X, axis=0)

    init, update and state_placeholder may be lists (one entry per output);
    `inputs` (optional) are the body's other inputs, which narrows the body. Returns
    a Tensor, or a list of them for several outputs.
    """
    current = _tag.TagScope.get_current()
    if current is not None:
        if tag != "":
            raise _ERROR_TYPES["ValueError"](f"scan {name}: a tag is given inside a te.tag_scope")
        tag = current.tag

    def as_list(value, what):
        values = [value] if isinstance(value, Tensor) else list(value or [])
        for v in values:
            if not isinstance(v, Tensor):
                raise _ERROR_TYPES["TypeError"](f"scan {name}: {what} must be tensors, got {type(v).__name__}")
        return values

    init = as_list(init, "init")
    update = as_list(update, "update")
    state_placeholder = as_list(state_placeholder, "state_placeholder")
    inputs = as_list(inputs, "inputs")
    if not init or len(init) != len(update) or len(init) != len(state_placeholder):
        raise _ERROR_TYPES["ValueError"](
            f"scan {name}: init, update and state_placeholder must have the same (non-zero) length, "
            f"got {len(init)}, {len(update)} and {len(state_placeholder)}"
        )
    if len(init[0].shape) == 0 or len(update[0].shape) == 0:
        raise _ERROR_TYPES["ValueError"](f"scan {name}: init and update need a first (time) dimension")
    axis = IterVar((init[0].shape[0], update[0].shape[0]), f"{name}.idx", IterVar.Ordered)
    op = _ffi_api.ScanOp(name, tag, attrs, axis, init, update, state_placeholder, inputs)
    outputs = [op.output(i) for i in range(op.num_outputs)]
    return outputs[0] if len(outputs) == 1 else outputs


def var(name="tindex", dtype="int32", span=None):
    """A scalar variable."""
    return _tir.Var(name, dtype)


def size_var(name="size", dtype="int32", span=None):
    """A variable known to be non-negative (a symbolic size)."""
    return _tir.SizeVar(name, dtype)


def const(value, dtype="int32", span=None):
    """A constant of dtype."""
    return _tir.const(value, dtype)


def thread_axis(dom=None, tag="", name="", span=None):
    """A thread axis: te.thread_axis("threadIdx.x"), te.thread_axis((0, 32), "threadIdx.x"), "vthread", ..."""
    if isinstance(dom, str):
        tag, dom = dom, None
    if not tag:
        raise _ERROR_TYPES["ValueError"]("thread_axis: give the thread tag (e.g. \"threadIdx.x\")")
    return _tir.IterVar(dom, name if name else tag, _tir.IterVar.ThreadIndex, tag)


def reduce_axis(dom, name="rv", thread_tag="", span=None):
    """A reduction axis over dom (a Range or a (begin, end) pair)."""
    return _tir.IterVar(dom, name, _tir.IterVar.CommReduce, thread_tag)


def create_prim_func(ops, name="main"):
    """The PrimFunc of the default schedule of `ops` (inputs and outputs, in argument order).

    TensorIR is not part of this project: the function is the loop nest of
    the default schedule, as tvm.lower builds it before its passes.
    """
    from .schedule import create_schedule, _schedule_api  # pylint: disable=import-outside-toplevel

    ops = list(ops)
    outputs = [t for t in ops if isinstance(t, Tensor) and not isinstance(t.op, _placeholder_op_cls())]
    sch = create_schedule([t.op for t in outputs]).normalize()
    bounds = _schedule_api("InferBound")(sch)
    body = _schedule_api("ScheduleOps")(sch, bounds, False)
    func = _schedule_api("SchedulePostProcToPrimFunc")(ops, body, None)
    return func.with_attr("global_symbol", name) if hasattr(func, "with_attr") else func


def _placeholder_op_cls():
    from .tensor import PlaceholderOp  # pylint: disable=import-outside-toplevel

    return PlaceholderOp
