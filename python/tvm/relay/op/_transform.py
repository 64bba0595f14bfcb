# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Computes and schedules of the transform operators (reshape, concatenate,
strided_slice, take, topk, ...).

Shapes the type relation has already settled (reshape's special values,
squeeze's axes, broadcast targets) are read from the output type rather
than recomputed, so the compute and the relation cannot disagree; a relay.Any()
dimension is derived from the input shapes instead (see _output_shape).
"""
from ... import te
from ... import tir
from ... import topi
from . import _transform_shape
from .op import register_compute, register_schedule, register_injective_schedule
from ._tensor import op_exists


def _ints(values):
    return [int(v) for v in values]


def _extents(shape):
    """A tensor's extents as Python ints when all are constants, else all as int64 PrimExprs
    (relay.Any() dims are int64 variables; one dtype keeps the index arithmetic well typed)."""
    if all(isinstance(d, (int, tir.IntImm)) for d in shape):
        return [int(d) for d in shape]
    return [tir.const(int(d), "int64") if isinstance(d, (int, tir.IntImm))
            else d if d.dtype == "int64" else tir.Cast("int64", d) for d in shape]


def _int_or_none(value):
    return None if value is None else int(value)


def _extern_schedule(attrs, outs, target):  # pylint: disable=unused-argument
    with target:
        return topi.generic.schedule_extern(outs)


def _register(op_name, compute, schedule=None):
    """Register compute for op_name (skipped when the operator is not in this build)."""
    if not op_exists(op_name):
        return
    register_compute(op_name, compute)
    if schedule is None:
        register_injective_schedule(op_name)
    else:
        register_schedule(op_name, schedule)


def _output_shape(out_type, derived):
    """out_type's static dimensions, and `derived` (from the input shapes) where a dimension
    is relay.Any(): out_type's size variable for it is bound only when the tensor is an
    output of the fused kernel, so an intermediate reshape must name its extent through the
    inputs."""
    out = []
    for d, e in zip(out_type.shape, derived):
        out.append(d if isinstance(d, tir.IntImm) else e)
    return out


def _reshape_like(attrs, inputs, out_type):
    data, like = list(inputs[0].shape), list(inputs[1].shape)
    lb, le = _transform_shape._range(attrs.lhs_begin, attrs.lhs_end, len(data))  # pylint: disable=protected-access
    rb, re = _transform_shape._range(attrs.rhs_begin, attrs.rhs_end, len(like))  # pylint: disable=protected-access
    derived = data[:lb] + like[rb:re] + data[le:]
    return [topi.reshape(inputs[0], _output_shape(out_type, derived))]


# reshape, contrib_reverse_reshape, squeeze, expand_dims, transpose, concatenate, strided_slice,
# reverse, layout_transform, split, broadcast_to and broadcast_to_like register their computes and
# schedules in C++
# (src/relay/op/tensor/transform_compute.cc).
_register("reshape_like", _reshape_like)


def _stack(attrs, inputs, out_type):  # pylint: disable=unused-argument
    return [topi.stack(inputs, int(attrs.axis))]


def _slice_like(attrs, inputs, out_type):  # pylint: disable=unused-argument
    # A slice from the origin to the output type's extents; a relay.Any() extent is the
    # like tensor's (on the sliced axes) or the data's.
    data, like = list(inputs[0].shape), list(inputs[1].shape)
    ndim = len(data)
    axes = range(min(ndim, len(like))) if not attrs.axes else [int(a) % ndim for a in attrs.axes]
    derived = [like[k] if k in axes else data[k] for k in range(ndim)]
    data = inputs[0]
    return [te.compute(_output_shape(out_type, derived), lambda *i: data(*i), name="T_slice_like",
                       tag="injective")]


def _take(attrs, inputs, out_type):  # pylint: disable=unused-argument
    return [topi.take(inputs[0], inputs[1], _int_or_none(attrs.axis), int(attrs.batch_dims), str(attrs.mode))]


def _gather(attrs, inputs, out_type):  # pylint: disable=unused-argument
    return [topi.gather(inputs[0], int(attrs.axis), inputs[1])]


def _gather_nd(attrs, inputs, out_type):  # pylint: disable=unused-argument
    return [topi.gather_nd(inputs[0], inputs[1], int(attrs.batch_dims))]


def _one_hot(attrs, inputs, out_type):
    indices, on_value, off_value = inputs
    return [topi.one_hot(indices, on_value(), off_value(), int(attrs.depth), int(attrs.axis), out_type.dtype)]


def _tile(attrs, inputs, out_type):  # pylint: disable=unused-argument
    return [topi.tile(inputs[0], _ints(attrs.reps))]


def _repeat(attrs, inputs, out_type):  # pylint: disable=unused-argument
    return [topi.repeat(inputs[0], int(attrs.repeats), int(attrs.axis))]


def _arange(attrs, inputs, out_type):
    # start, stop and step are scalar tensors; the relation fixed the length.
    start, _, step = inputs
    dtype = out_type.dtype
    return [te.compute(out_type.shape,
                       lambda i: tir.Cast(dtype, start()) + tir.Cast(dtype, i) * tir.Cast(dtype, step()),
                       name="T_arange", tag="injective")]


def _scan(topi_func):
    def compute(attrs, inputs, out_type):
        return [topi_func(inputs[0], _int_or_none(attrs.axis), out_type.dtype, bool(attrs.exclusive))]

    return compute


def _sort(attrs, inputs, out_type):  # pylint: disable=unused-argument
    return [topi.sort(inputs[0], int(attrs.axis), bool(attrs.is_ascend))]


def _argsort(attrs, inputs, out_type):
    return [topi.argsort(inputs[0], None, int(attrs.axis), bool(attrs.is_ascend), out_type.dtype)]


def _topk(attrs, inputs, out_type):  # pylint: disable=unused-argument
    ret_type = str(attrs.ret_type)
    out = topi.topk(inputs[0], int(attrs.k), int(attrs.axis), ret_type, bool(attrs.is_ascend), str(attrs.dtype))
    return out if isinstance(out, list) else [out]


_SCATTER_REDUCE = {
    "update": lambda old, new: new,
    "add": lambda old, new: old + new,
    "mul": lambda old, new: old * new,
    # As TVM: each update averages with what is there (not the mean of all updates).
    "mean": lambda old, new: (old + new) / tir.const(2, old.dtype),
    "min": tir.min,
    "max": tir.max,
}


def _scatter_elements(attrs, inputs, out_type):  # pylint: disable=unused-argument
    """out = data; then, in order, out[i with axis replaced by indices[i]] op= updates[i].

    Sequential, so repeated indices apply in order; the tensors are flattened
    around the extern so its buffers are one-dimensional."""
    from ...tir import ir_builder  # pylint: disable=import-outside-toplevel

    data, indices, updates = inputs
    shape = _extents(data.shape)
    index_shape = _extents(indices.shape)
    ndim = len(shape)
    axis = int(attrs.axis) % ndim
    combine = _SCATTER_REDUCE[str(attrs.reduction)]
    size = 1
    for d in shape:
        size *= d
    count = 1
    for d in index_shape:
        count *= d
    flat = [topi.reshape(t, [-1]) for t in (data, indices, updates)]

    def body(ins, outs):
        ib = ir_builder.create()
        src, idx, upd = (ib.buffer_ptr(b) for b in ins)
        out = ib.buffer_ptr(outs[0])
        with ib.for_range(0, size, name="i") as i:
            out[i] = src[i]
        with ib.for_range(0, count, name="j") as j:
            # The position of update j in data: its own coordinates with axis replaced.
            rest = j
            offset = 0
            stride = 1
            for dim in range(ndim - 1, -1, -1):
                coord = rest % index_shape[dim]
                rest = rest // index_shape[dim]
                if dim == axis:
                    k = tir.Cast("int64", idx[j])
                    coord = tir.Select(k < 0, k + shape[axis], k)
                offset = offset + tir.Cast("int64", coord) * stride
                stride *= shape[dim]
            out[offset] = combine(out[offset], upd[j])
        return ib.get()

    result = te.extern([(size,)], flat, body, dtype=[data.dtype], name="scatter_elements", tag="scatter_elements")
    return [topi.reshape(result, shape)]


for _name, _compute in [
    ("stack", _stack),
    ("slice_like", _slice_like), ("take", _take), ("gather", _gather), ("gather_nd", _gather_nd),
    ("one_hot", _one_hot), ("tile", _tile), ("repeat", _repeat),
    ("arange", _arange),
]:
    _register(_name, _compute)

_register("scatter_elements", _scatter_elements, _extern_schedule)
_register("cumsum", _scan(topi.cumsum), _extern_schedule)
_register("cumprod", _scan(topi.cumprod), _extern_schedule)
_register("sort", _sort, _extern_schedule)
_register("argsort", _argsort, _extern_schedule)
_register("topk", _topk, _extern_schedule)


def _meshgrid(attrs, inputs, out_type):  # pylint: disable=unused-argument
    # Scalars count as 1-D tensors of one element.
    tensors = [topi.reshape(t, [1]) if len(t.shape) == 0 else t for t in inputs]
    return topi.meshgrid(tensors, str(attrs.indexing))


def _trilu(attrs, inputs, out_type):  # pylint: disable=unused-argument
    # k is a scalar tensor argument: read its one element.
    return [topi.trilu(inputs[0], inputs[1](), bool(attrs.upper))]


def _collapse_sum_to(attrs, inputs, out_type):  # pylint: disable=unused-argument
    return [topi.collapse_sum(inputs[0], out_type.shape)]


def _unravel_index(attrs, inputs, out_type):  # pylint: disable=unused-argument
    return [topi.unravel_index(inputs[0], inputs[1])]


def _matrix_set_diag(attrs, inputs, out_type):  # pylint: disable=unused-argument
    return [topi._ffi_api.matrix_set_diag(inputs[0], inputs[1], int(attrs.k1), int(attrs.k2),  # pylint: disable=protected-access
                                          bool(attrs.super_diag_right_align), bool(attrs.sub_diag_right_align))]


def _sequence_mask(attrs, inputs, out_type):  # pylint: disable=unused-argument
    return [topi.sequence_mask(inputs[0], inputs[1], float(attrs.mask_value), int(attrs.axis))]


def _reverse_sequence(attrs, inputs, out_type):  # pylint: disable=unused-argument
    return [topi.reverse_sequence(inputs[0], inputs[1], int(attrs.seq_axis), int(attrs.batch_axis))]


for _name, _compute in [("meshgrid", _meshgrid), ("trilu", _trilu), ("unravel_index", _unravel_index),
                        ("matrix_set_diag", _matrix_set_diag), ("sequence_mask", _sequence_mask),
                        ("reverse_sequence", _reverse_sequence)]:
    _register(_name, _compute)
if op_exists("collapse_sum_to"):
    register_compute("collapse_sum_to", _collapse_sum_to)
    register_schedule("collapse_sum_to", lambda attrs, outs, target: _reduce_schedule(outs, target))


def _reduce_schedule(outs, target):
    with target:
        return topi.generic.schedule_reduce(outs)


def _einsum(attrs, inputs, out_type):
    """numpy's einsum without ellipses: one product of the operands, summed over the labels the
    output leaves out."""
    equation = str(attrs.equation).replace(" ", "")
    if "..." in equation:
        raise NotImplementedError(f"einsum: ellipses are not supported yet ({equation!r})")
    lhs, arrow, rhs = equation.partition("->")
    terms = lhs.split(",")
    if len(terms) != len(inputs):
        raise ValueError(f"einsum: {equation!r} names {len(terms)} operands, {len(inputs)} given")
    sizes = {}
    for term, tensor in zip(terms, inputs):
        if len(term) != len(tensor.shape):
            raise ValueError(f"einsum: operand {term!r} of {equation!r} has rank {len(tensor.shape)}")
        for label, dim in zip(term, tensor.shape):
            sizes.setdefault(label, dim)
    if not arrow:  # implicit output: the labels used once, in alphabetical order
        rhs = "".join(sorted(l for l in sizes if lhs.count(l) == 1))
    reduced = [l for l in sizes if l not in rhs]
    raxes = {l: te.reduce_axis((0, sizes[l]), name=f"k_{l}") for l in reduced}
    dtype = out_type.dtype

    def body(*out_idx):
        index = dict(zip(rhs, out_idx))
        index.update({l: ax.var for l, ax in raxes.items()})
        product = None
        for term, tensor in zip(terms, inputs):
            value = tir.Cast(dtype, tensor(*[index[l] for l in term]))
            product = value if product is None else product * value
        return te.sum(product, axis=list(raxes.values())) if raxes else product

    return [te.compute([sizes[l] for l in rhs], body, name="T_einsum", tag="einsum")]


if op_exists("einsum"):
    register_compute("einsum", _einsum)
    register_schedule("einsum", lambda attrs, outs, target: _reduce_schedule(outs, target))
