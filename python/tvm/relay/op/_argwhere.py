# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Compute and schedule of argwhere (relation: src/relay/op/tensor/argwhere.cc; its data
dependent shape function is in _transform_shape.py): one sequential row-major walk over the
input that appends the coordinates of each non-zero element, so the rows come out in order."""
from ... import te, tir, topi
from . import op as _reg
from .dyn._util import INDEX, out_shape


def argwhere_extern(condition, out_rows):
    """The (out_rows, ndim) int32 coordinates of condition's non-zero elements; out_rows is
    the count the shape function computed (a variable bound from the output buffer)."""
    ndim = len(condition.shape)

    def gen(ins, outs):
        ib = tir.ir_builder.create()
        data = ib.buffer_ptr(ins[0])
        out = ib.buffer_ptr(outs[0])
        row = ib.allocate(INDEX, (1,), name="row", scope="local")
        row[0] = tir.const(0, INDEX)
        zero = tir.const(0, condition.dtype)
        # One loop per axis (the rank is static), innermost last: row-major order.
        loops, idx = [], []
        for axis, extent in enumerate(condition.shape):
            loop = ib.for_range(0, extent, name=f"i{axis}")
            idx.append(loop.__enter__())
            loops.append(loop)
        with ib.if_scope(data[tuple(idx)] != zero if ndim else data[()] != zero):
            for axis, i in enumerate(idx):
                out[row[0], axis] = tir.Cast("int32", i)
            row[0] = row[0] + 1
        for loop in reversed(loops):
            loop.__exit__(None, None, None)
        return ib.get()

    return te.extern([(out_rows, ndim)], [condition], gen, name="argwhere", dtype="int32")


@_reg.register_compute("argwhere")
def _argwhere_compute(attrs, inputs, out_type):  # pylint: disable=unused-argument
    return [argwhere_extern(inputs[0], out_shape(out_type)[0])]


@_reg.register_schedule("argwhere")
def _argwhere_schedule(attrs, outs, target):  # pylint: disable=unused-argument
    with target:
        return topi.generic.schedule_extern(outs)
