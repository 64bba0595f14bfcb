# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Computes, schedules and shape functions of the dynamic shape operators
(dyn.reshape, expand_dims, squeeze, broadcast_to, full, zeros, ones, tile,
one_hot, strided_slice, sparse_to_dense)."""
from .... import te, tir, topi
from .. import op as _reg
from ._util import INDEX, out_shape, i64, scalar, shape_extern, one_shape, dims_of, check, slice_range

# ---------------------------------------------------------------- computes


def _reshape_compute(attrs, inputs, out_type):  # pylint: disable=unused-argument
    return [topi.reshape(inputs[0], out_shape(out_type))]


for _name in ["dyn.reshape", "dyn.expand_dims", "dyn.squeeze"]:
    _reg.register_compute(_name, _reshape_compute)
    _reg.register_injective_schedule(_name)


def _is_one(dim):
    return isinstance(dim, tir.IntImm) and dim.value == 1


@_reg.register_compute("dyn.broadcast_to")
def _broadcast_to_compute(attrs, inputs, out_type):  # pylint: disable=unused-argument
    data, oshape = inputs[0], out_shape(out_type)
    nd, no = len(data.shape), len(oshape)

    def f(*idx):
        src = []
        for k, dim in enumerate(data.shape):
            i = idx[no - nd + k]
            # A dimension of 1 repeats; a symbolic one may turn out to be 1 when the program runs.
            if _is_one(dim):
                src.append(0)
            elif isinstance(dim, tir.IntImm):
                src.append(i)
            else:
                src.append(tir.Select(dim == 1, tir.const(0, i.dtype), i))
        return data(*src)

    return [te.compute(oshape, f, name="T_broadcast_to", tag="broadcast")]


_reg.register_broadcast_schedule("dyn.broadcast_to")


def _fill(oshape, dtype, value, name):
    return te.compute(oshape, lambda *i: value, name=name, tag="elemwise")


@_reg.register_compute("dyn.full")
def _full_compute(attrs, inputs, out_type):  # pylint: disable=unused-argument
    value = scalar(inputs[0])
    dtype = str(out_type.dtype)
    value = value if str(value.dtype) == dtype else tir.Cast(dtype, value)
    return [_fill(out_shape(out_type), dtype, value, "T_full")]


@_reg.register_compute("dyn.zeros")
def _zeros_compute(attrs, inputs, out_type):  # pylint: disable=unused-argument
    return [_fill(out_shape(out_type), str(out_type.dtype), tir.const(0, str(out_type.dtype)), "T_zeros")]


@_reg.register_compute("dyn.ones")
def _ones_compute(attrs, inputs, out_type):  # pylint: disable=unused-argument
    return [_fill(out_shape(out_type), str(out_type.dtype), tir.const(1, str(out_type.dtype)), "T_ones")]


for _name in ["dyn.full", "dyn.zeros", "dyn.ones"]:
    _reg.register_injective_schedule(_name)


@_reg.register_compute("dyn.tile")
def _tile_compute(attrs, inputs, out_type):  # pylint: disable=unused-argument
    data, oshape = inputs[0], out_shape(out_type)
    nd, no = len(data.shape), len(oshape)

    def f(*idx):
        src = []
        for k, dim in enumerate(data.shape):
            i = idx[no - nd + k]
            src.append(0 if _is_one(dim) else tir.floormod(i, tir.Cast(i.dtype, dim) if dim.dtype != i.dtype else dim))
        return data(*src)

    return [te.compute(oshape, f, name="T_tile", tag="injective")]


_reg.register_broadcast_schedule("dyn.tile")


@_reg.register_compute("dyn.one_hot")
def _one_hot_compute(attrs, inputs, out_type):
    indices, on_value, off_value = inputs[0], inputs[1], inputs[2]
    oshape = out_shape(out_type)
    rank = len(indices.shape)
    axis = rank if int(attrs.axis) == -1 else int(attrs.axis) % (rank + 1)
    dtype = str(out_type.dtype)
    on, off = scalar(on_value), scalar(off_value)
    on = on if str(on.dtype) == dtype else tir.Cast(dtype, on)
    off = off if str(off.dtype) == dtype else tir.Cast(dtype, off)

    def f(*idx):
        where = [i for k, i in enumerate(idx) if k != axis]
        return tir.Select(i64(indices(*where)) == i64(idx[axis]), on, off)

    return [te.compute(oshape, f, name="T_one_hot", tag="injective")]


_reg.register_injective_schedule("dyn.one_hot")


def _slice_strides(strides, k):
    return strides[k] if int(strides.shape[0]) > 1 else strides[0]


@_reg.register_compute("dyn.strided_slice")
def _strided_slice_compute(attrs, inputs, out_type):
    data, begin, end, strides = inputs
    oshape = out_shape(out_type)
    n = int(begin.shape[0])
    size_mode = str(attrs.slice_mode) == "size"

    def f(*idx):
        src = []
        for k, i in enumerate(idx):
            if k < n:
                first, _, step = slice_range(begin[k], end[k], _slice_strides(strides, k), data.shape[k], size_mode)
                src.append(first + i64(i) * step)
            else:
                src.append(i)
        return data(*src)

    return [te.compute(oshape, f, name="T_strided_slice", tag="injective")]


_reg.register_injective_schedule("dyn.strided_slice")


@_reg.register_compute("dyn.sparse_to_dense")
def _sparse_to_dense_compute(attrs, inputs, out_type):  # pylint: disable=unused-argument
    return [topi.sparse_to_dense(inputs[0], out_shape(out_type), inputs[1], inputs[2])]


_reg.register_injective_schedule("dyn.sparse_to_dense")

# ---------------------------------------------------------------- shape functions


def _product(values):
    out = tir.const(1, INDEX)
    for v in values:
        out = out * v
    return out


@_reg.register_shape_func("dyn.reshape", [False, True])
def _reshape_shape_func(attrs, inputs, out_ndims):
    """newshape's values with 0 (copy the input's dimension, or 0 with allowzero), -1 (what
    is left) and -3 (two input dimensions merged) resolved."""
    n = int(out_ndims[0])
    rank = int(inputs[0].shape[0])
    allowzero = bool(attrs.allowzero)

    def body(ib, ins, outs):
        dshape, newshape, out = ins[0], ins[1], outs[0]
        src = ib.allocate(INDEX, (1,), name="src", scope="local")
        infer = ib.allocate(INDEX, (1,), name="infer", scope="local")
        src[0] = tir.const(0, INDEX)
        infer[0] = tir.const(-1, INDEX)
        for i in range(n):
            v = i64(newshape[i])
            with ib.if_scope(v > 0):
                out[i] = v
                src[0] = src[0] + 1
            with ib.else_scope():
                with ib.if_scope(v == 0):
                    if allowzero:
                        out[i] = tir.const(0, INDEX)
                    else:
                        check(ib, src[0] < rank, "dyn.reshape: newshape copies (0) more dimensions than the input has")
                        out[i] = dshape[src[0]]
                    src[0] = src[0] + 1
                with ib.else_scope():
                    with ib.if_scope(v == -1):
                        check(ib, infer[0] < 0, "dyn.reshape: newshape may hold one -1 at most")
                        out[i] = tir.const(1, INDEX)
                        infer[0] = tir.const(i, INDEX)
                        src[0] = src[0] + 1
                    with ib.else_scope():
                        check(ib, v == -3, "dyn.reshape: newshape values must be > 0, 0, -1 or -3 (-2 and -4 "
                                           "would make the rank dynamic)")
                        check(ib, src[0] + 1 < rank, "dyn.reshape: -3 needs two more input dimensions")
                        out[i] = dshape[src[0]] * dshape[src[0] + 1]
                        src[0] = src[0] + 2
        old_size = _product([dshape[k] for k in range(rank)])
        with ib.if_scope(infer[0] >= 0):
            known = _product([out[k] for k in range(n)])
            check(ib, known > 0, "dyn.reshape: cannot infer -1 next to a dimension of 0")
            out[infer[0]] = tir.floordiv(old_size, known)
        check(ib, _product([out[k] for k in range(n)]) == old_size,
              "dyn.reshape: newshape does not have as many elements as the input")

    return shape_extern([n], inputs, body, "dyn_reshape_shape")


@_reg.register_shape_func("dyn.expand_dims", [True, True])
def _expand_dims_shape_func(attrs, inputs, out_ndims):
    dims = dims_of(inputs[0])
    rank, num_newaxis = len(dims), int(attrs.num_newaxis)

    def body(ib, ins, outs):
        axis = i64(ins[1][0])
        axis = tir.Select(axis < 0, axis + rank + 1, axis)
        check(ib, tir.all(axis >= 0, axis <= rank), f"dyn.expand_dims: axis is out of range for rank {rank}")
        for i in range(rank + num_newaxis):
            before = dims[i] if i < rank else tir.const(0, INDEX)
            after = dims[i - num_newaxis] if i >= num_newaxis else tir.const(0, INDEX)
            outs[0][i] = tir.Select(i < axis, before, tir.Select(i < axis + num_newaxis, tir.const(1, INDEX), after))

    return shape_extern([int(out_ndims[0])], inputs, body, "dyn_expand_dims_shape")


@_reg.register_shape_func("dyn.squeeze", [False, True])
def _squeeze_shape_func(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    rank, m, n = int(inputs[0].shape[0]), int(inputs[1].shape[0]), int(out_ndims[0])

    def body(ib, ins, outs):
        dshape, axes, out = ins[0], ins[1], outs[0]
        count = ib.allocate(INDEX, (1,), name="count", scope="local")
        count[0] = tir.const(0, INDEX)
        for j in range(rank):
            hits = [tir.Select(i64(axes[k]) < 0, i64(axes[k]) + rank, i64(axes[k])) == j for k in range(m)]
            squeezed = tir.any(*hits) if len(hits) > 1 else (hits[0] if hits else tir.const(False, "bool"))
            with ib.if_scope(squeezed):
                check(ib, dshape[j] == 1, f"dyn.squeeze: axis {j} is squeezed but its extent is not 1")
            with ib.else_scope():
                check(ib, count[0] < n, "dyn.squeeze: axis lists an axis twice or out of range")
                out[count[0]] = dshape[j]
                count[0] = count[0] + 1
        check(ib, count[0] == n, "dyn.squeeze: axis lists an axis twice or out of range")

    return shape_extern([n], inputs, body, "dyn_squeeze_shape")


def _shape_values(n, tensor, name, data=None):
    """The shape held by `tensor`; with data (broadcast_to), checked to be one data broadcasts to."""

    def body(ib, ins, outs):
        for i in range(n):
            outs[0][i] = i64(ins[-1][i])
            check(ib, outs[0][i] >= 0, f"{name}: a shape value is negative")
        if data is not None:
            dims = dims_of(data)
            for k, d in enumerate(dims):
                o = outs[0][n - len(dims) + k]
                check(ib, tir.any(d == 1, d == o), f"{name}: input axis {k} cannot broadcast to the shape")

    ins = [data, tensor] if data is not None else [tensor]
    return shape_extern([n], ins, body, name.replace(".", "_") + "_shape")


@_reg.register_shape_func("dyn.broadcast_to", True)
def _broadcast_to_shape_func(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    return _shape_values(int(out_ndims[0]), inputs[1], "dyn.broadcast_to", data=inputs[0])


@_reg.register_shape_func("dyn.full", True)
def _full_shape_func(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    return _shape_values(int(out_ndims[0]), inputs[1], "dyn.full")


def _init_shape_func(name):
    def shape_func(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
        return _shape_values(int(out_ndims[0]), inputs[0], name)

    return shape_func


_reg.register_shape_func("dyn.zeros", True, _init_shape_func("dyn.zeros"))
_reg.register_shape_func("dyn.ones", True, _init_shape_func("dyn.ones"))


@_reg.register_shape_func("dyn.sparse_to_dense", True)
def _sparse_to_dense_shape_func(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    return _shape_values(int(out_ndims[0]), inputs[3], "dyn.sparse_to_dense")


@_reg.register_shape_func("dyn.tile", True)
def _tile_shape_func(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    dims = dims_of(inputs[0])
    nd, nr = len(dims), int(inputs[1].shape[0])
    n = max(nd, nr)

    def values(ins):
        reps = ins[1]
        out = []
        for i in range(n):
            d = dims[i - (n - nd)] if i >= n - nd else tir.const(1, INDEX)
            r = i64(reps[i - (n - nr)]) if i >= n - nr else tir.const(1, INDEX)
            out.append(d * r)
        return out

    return one_shape(n, inputs, values, "dyn_tile_shape")


@_reg.register_shape_func("dyn.one_hot", True)
def _one_hot_shape_func(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    dims = dims_of(inputs[0])
    rank = len(dims)
    axis = rank if int(attrs.axis) == -1 else int(attrs.axis) % (rank + 1)

    def values(ins):
        return dims[:axis] + [i64(ins[3][0])] + dims[axis:]

    return one_shape(rank + 1, inputs, values, "dyn_one_hot_shape")


@_reg.register_shape_func("dyn.strided_slice", [False, True, True, True])
def _strided_slice_shape_func(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    rank, n = int(inputs[0].shape[0]), int(inputs[1].shape[0])
    size_mode = str(attrs.slice_mode) == "size"
    many_strides = int(inputs[3].shape[0]) > 1

    def body(ib, ins, outs):
        dshape, begin, end, strides = ins
        for k in range(rank):
            if k < n:
                stride = strides[k] if many_strides else strides[0]
                check(ib, i64(stride) != 0, "dyn.strided_slice: a stride is 0")
                _, extent, _ = slice_range(begin[k], end[k], stride, dshape[k], size_mode)
                outs[0][k] = extent
            else:
                outs[0][k] = dshape[k]

    return shape_extern([rank], inputs, body, "dyn_strided_slice_shape")
