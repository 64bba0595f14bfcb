# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Compute, schedule and shape function of dyn.topk (k a scalar tensor; k < 1: all)."""
from .... import te, tir, topi
from .. import op as _reg
from ._util import INDEX, out_shape, i64, shape_extern, dims_of

@_reg.register_compute("dyn.topk")
def _topk_compute(attrs, inputs, out_type):
    """The whole axis sorted (argsort, stable), then its first k entries gathered."""
    data = inputs[0]
    rank = len(data.shape)
    axis = int(attrs.axis) % rank
    ret_type = str(attrs.ret_type)
    dtype = str(attrs.dtype)
    first = out_type.fields[0] if ret_type == "both" else out_type
    oshape = out_shape(first)
    order = topi.argsort(data, None, axis, bool(attrs.is_ascend), dtype)

    def position(idx):
        p = order(*idx)
        return p if str(p.dtype).startswith("int") else tir.Cast(INDEX, p)

    values = te.compute(
        oshape, lambda *i: data(*i[:axis], position(i), *i[axis + 1:]), name="T_topk_values", tag="injective"
    )
    indices = te.compute(oshape, lambda *i: order(*i), name="T_topk_indices", tag="injective")
    return {"both": [values, indices], "values": [values], "indices": [indices]}[ret_type]

@_reg.register_schedule("dyn.topk")
def _topk_schedule(attrs, outs, target):  # pylint: disable=unused-argument
    with target:
        return topi.generic.schedule_extern(outs)

@_reg.register_shape_func("dyn.topk", True)
def _topk_shape_func(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    dims = dims_of(inputs[0])
    rank = len(dims)
    axis = int(attrs.axis) % rank
    count = 2 if str(attrs.ret_type) == "both" else 1

    def body(ib, ins, outs):
        k = i64(ins[1][0])
        dim = dims[axis]
        taken = tir.Select(k < 1, dim, tir.min(k, dim))
        for out in outs:
            for i in range(rank):
                out[i] = taken if i == axis else dims[i]

    return shape_extern([rank] * count, inputs, body, "dyn_topk_shape")
