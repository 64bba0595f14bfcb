# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""What the dyn.* computes and shape functions share.

Computes take their output shape from the output type the TE compiler passes:
its unknown dimensions are symbolic variables there (relay.Any() ones, when a
compute is called on an inferred type directly, become fresh variables here),
bound from the output buffer when the kernel runs.

Shape functions follow TVM's contract: fn(attrs, inputs, out_ndims) returns one
1-D int64 tensor per output holding its shape. They are small extern kernels
written with the IR builder; every rank is static, so the loops over axes are
Python loops and only the values are read at run time.
"""
from .... import te, tir

INDEX = "int64"


def out_shape(out_type):
    """The output type's shape, relay.Any() dimensions replaced by variables."""
    shape = []
    for i, dim in enumerate(out_type.shape):
        if isinstance(dim, tir.Any):
            dim = te.size_var(f"any_dim{i}", "int32")
        shape.append(dim)
    return shape


def i64(value):
    """value as an int64 expression."""
    if isinstance(value, int):
        return tir.const(value, INDEX)
    return value if str(value.dtype) == INDEX else tir.Cast(INDEX, value)


def scalar(tensor):
    """The single value of a 0-d or one-element 1-D tensor, in a compute."""
    return tensor(*([0] * len(tensor.shape)))


def shape_extern(ndims, inputs, body, name):
    """int64 tensors of shapes (n,) for n in ndims, filled by body(ib, ins, outs), where
    ins and outs are the IR builder's views of the input and output buffers."""

    def gen(ins, outs):
        ib = tir.ir_builder.create()
        body(ib, [ib.buffer_ptr(b) for b in ins], [ib.buffer_ptr(b) for b in outs])
        stmt = ib.get()
        return stmt if stmt is not None else tir.Evaluate(0)

    outs = te.extern([(int(n),) for n in ndims], list(inputs), gen, name=name, dtype=[INDEX] * len(ndims))
    return outs if isinstance(outs, list) else [outs]


def one_shape(n, inputs, values, name):
    """One shape tensor of n values, value i being values(ins)[i] (a list of expressions)."""

    def body(ib, ins, outs):
        for i, v in enumerate(values(ins)):
            outs[0][i] = i64(v)

    return shape_extern([n], inputs, body, name)


def dims_of(tensor):
    """The static (or symbolic) dimensions of a data-dependent input, as int64 expressions."""
    return [i64(d) for d in tensor.shape]


def check(ib, cond, message):
    """A run-time check inside a shape function: the kernel fails with message when cond is false."""
    ib.emit(tir.AssertStmt(cond, tir.StringImm(message), tir.Evaluate(0)))


def slice_range(begin, end, stride, dim, size_mode):
    """numpy's normalisation of one axis of a slice: (first index, extent) as int64 expressions.
    size_mode: end is a length from begin (negative: to the end), the stride 1."""
    begin, end, stride, dim = i64(begin), i64(end), i64(stride), i64(dim)
    zero, one = tir.const(0, INDEX), tir.const(1, INDEX)
    if size_mode:
        stride = one
        b = tir.Select(begin < zero, begin + dim, begin)
        e = tir.Select(end < zero, dim, b + end)
    else:
        b = tir.Select(begin < zero, begin + dim, begin)
        e = tir.Select(end < zero, end + dim, end)
    pos = stride > zero
    # Forward: both clamped to [0, dim]; backward: to [-1, dim - 1].
    lo = tir.Select(pos, zero, -one)
    hi = tir.Select(pos, dim, dim - one)
    b = tir.max(tir.min(b, hi), lo)
    e = tir.max(tir.min(e, hi), lo)
    span = tir.Select(pos, e - b, b - e)
    step = tir.Select(pos, stride, zero - stride)
    step = tir.max(step, one)  # a zero stride is reported by the shape function
    extent = tir.max(tir.floordiv(span + step - one, step), zero)
    return b, extent, stride
