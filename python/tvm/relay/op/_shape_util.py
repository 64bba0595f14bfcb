# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""What the shape functions of the static operators share.

A shape function (TVM's FShapeFunc contract) is fn(attrs, inputs, out_ndims) -> [te.Tensor]:
input i is a 1-D int64 tensor holding that input's shape (0-d for a scalar input), or the
input's data itself where the operator is registered data dependent on it; output j is a 1-D
int64 tensor of length out_ndims[j]. The VM runs them when a shape is unknown until run time,
so nothing here may assume a value is a constant.

The operator files write each shape as a Python list of int64 PrimExprs (one per output
dimension), built from `dims(t)` (the reads of a shape tensor) and attributes; `shape_tensor`
turns such a list into the output tensor. Ranks are always static, values never are.
"""
from ... import te, tir
from ...ir import Op
from .op import register_shape_func


def i64(value):
    """value as an int64 PrimExpr (Python ints, IntImms and narrower expressions)."""
    if isinstance(value, bool):
        value = int(value)
    if isinstance(value, int):
        return tir.const(value, "int64")
    if value.dtype != "int64":
        return value.astype("int64")
    return value


def dims(shape):
    """The dimensions held by a 1-D shape tensor (none for the 0-d one of a scalar)."""
    if len(shape.shape) == 0:
        return []
    return [shape(i) for i in range(int(shape.shape[0]))]


def data_dims(data):
    """The (possibly symbolic) dimensions of a data tensor passed to a data-dependent shape func."""
    return [i64(d) for d in data.shape]


def shape_tensor(exprs, name="shape"):
    """A 1-D int64 tensor whose element k is exprs[k]; its length is static."""
    exprs = [i64(e) for e in exprs]
    count = len(exprs)

    def element(i):
        if count == 0:
            return tir.const(0, "int64")
        out = exprs[-1]
        for k in range(count - 2, -1, -1):
            out = tir.Select(i == k, exprs[k], out)
        return out

    return te.compute((count,), element, name=name)


def norm_axis(axis, ndim, what="axis"):
    """A negative axis counted from the end; outside [-ndim, ndim) is a ValueError."""
    axis = int(axis)
    if not -ndim <= axis < ndim:
        raise ValueError(f"shape function: {what} {axis} is out of range for rank {ndim}")
    return axis + ndim if axis < 0 else axis


def safe_div(a, b):
    """floor(a / b) that cannot trap: a select evaluates both arms, so a zero divisor (an
    empty tensor in an arm that is not taken, or bad input) divides by one instead."""
    a, b = i64(a), i64(b)
    return tir.floordiv(a, te.max(b, tir.const(1, "int64")))


def product(values):
    out = tir.const(1, "int64")
    for v in values:
        out = out * i64(v)
    return out


def ints(values):
    return [] if values is None else [int(v) for v in values]


def register(op_name, data_dependent, fn):
    """Register fn as op_name's shape function unless the operator is not in this build or
    already has one (another module registered it first)."""
    if op_name not in _OP_NAMES:
        return
    if Op.get(op_name).get_attr("FShapeFunc") is not None:
        return
    register_shape_func(op_name, data_dependent, fn)


def shapes(fn):
    """Adapt fn(attrs, inputs, out_ndims) -> [[PrimExpr]] (one list per output) to the
    contract, returning one shape tensor per output."""

    def shape_func(attrs, inputs, out_ndims):
        outs = fn(attrs, list(inputs), [int(n) for n in out_ndims])
        if len(outs) != len(out_ndims):
            raise ValueError(f"shape function {fn.__name__}: {len(outs)} outputs, "
                             f"the caller expects {len(out_ndims)}")
        for j, (exprs, ndim) in enumerate(zip(outs, out_ndims)):
            if len(exprs) != int(ndim):
                raise ValueError(f"shape function {fn.__name__}: output {j} has rank {len(exprs)}, "
                                 f"the caller expects {int(ndim)}")
        return [shape_tensor(exprs, f"{fn.__name__}_out{j}") for j, exprs in enumerate(outs)]

    shape_func.__name__ = fn.__name__
    return shape_func


_OP_NAMES = set(Op.list_op_names())
