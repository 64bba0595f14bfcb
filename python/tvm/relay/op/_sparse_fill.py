# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Compute, schedule and shape function of sparse_fill_empty_rows: one sequential merge of
the row-sorted entries with [r, 0, ...] entries for the rows that have none."""
from ... import tir, topi
from . import op as _reg
from .dyn._util import INDEX, out_shape, i64, shape_extern, dims_of, check


def _row(ptr, i):
    return i64(ptr[i, 0])


@_reg.register_compute("sparse_fill_empty_rows")
def _sparse_fill_empty_rows_compute(attrs, inputs, out_type):  # pylint: disable=unused-argument
    indices, values, dense_shape, default = inputs
    num, rank = indices.shape
    out_shapes = [out_shape(f) for f in out_type.fields]

    def gen(ins, outs):
        ib = tir.ir_builder.create()
        idx, val, dshape, dflt = (ib.buffer_ptr(b) for b in ins)
        out_idx, out_val, empty = (ib.buffer_ptr(b) for b in outs)
        rows = i64(dshape[0])
        fill = dflt[0] if len(default.shape) else dflt[()]
        with ib.for_range(0, outs[2].shape[0], name="r") as r:
            empty[r] = tir.const(True, "bool")
        with ib.for_range(0, num, name="i") as i:
            empty[_row(idx, i)] = tir.const(False, "bool")
        cur = ib.allocate(INDEX, (1,), name="cur", scope="local")
        pos = ib.allocate(INDEX, (1,), name="pos", scope="local")
        cur[0] = tir.const(0, INDEX)
        pos[0] = tir.const(0, INDEX)
        index_dtype = indices.dtype

        def add_default():
            out_idx[pos[0], 0] = tir.Cast(index_dtype, cur[0])
            with ib.for_range(1, rank, name="j") as j:
                out_idx[pos[0], j] = tir.const(0, index_dtype)
            out_val[pos[0]] = fill
            pos[0] = pos[0] + 1
            cur[0] = cur[0] + 1

        with ib.for_range(0, num, name="i") as i:
            with ib.while_loop(cur[0] < _row(idx, i)):
                add_default()
            with ib.for_range(0, rank, name="j") as j:
                out_idx[pos[0], j] = idx[i, j]
            out_val[pos[0]] = val[i]
            pos[0] = pos[0] + 1
            cur[0] = _row(idx, i) + 1
        with ib.while_loop(cur[0] < rows):
            add_default()
        return ib.get()

    from ... import te  # pylint: disable=import-outside-toplevel

    return list(te.extern(out_shapes, list(inputs), gen, name="sparse_fill_empty_rows",
                          dtype=[indices.dtype, values.dtype, "bool"]))


@_reg.register_schedule("sparse_fill_empty_rows")
def _sparse_fill_empty_rows_schedule(attrs, outs, target):  # pylint: disable=unused-argument
    with target:
        return topi.generic.schedule_extern(outs)


@_reg.register_shape_func("sparse_fill_empty_rows", True)
def _sparse_fill_empty_rows_shape_func(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    """(entries + empty rows, rank), (entries + empty rows,), (rows,); the rows are checked to be
    sorted and inside dense_shape[0], which the compute relies on."""
    num, rank = dims_of(inputs[0])

    def body(ib, ins, outs):
        idx, dshape = ins[0], ins[2]
        rows = i64(dshape[0])
        distinct = ib.allocate(INDEX, (1,), name="distinct", scope="local")
        distinct[0] = tir.const(0, INDEX)
        with ib.for_range(0, num, name="i", dtype=INDEX) as i:
            row = _row(idx, i)
            check(ib, tir.all(row >= 0, row < rows), "sparse_fill_empty_rows: a row of sparse_indices is outside "
                                                     "dense_shape[0]")
            with ib.if_scope(i == 0):
                distinct[0] = distinct[0] + 1
            with ib.else_scope():
                previous = _row(idx, i - 1)
                check(ib, row >= previous, "sparse_fill_empty_rows: sparse_indices must be sorted by row")
                with ib.if_scope(row != previous):
                    distinct[0] = distinct[0] + 1
        total = num + rows - distinct[0]
        outs[0][0] = total
        outs[0][1] = rank
        outs[1][0] = total
        outs[2][0] = rows

    return shape_extern([2, 1, 1], inputs, body, "sparse_fill_empty_rows_shape")
