# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Computes and schedules of the transform operators (reshape, concatenate,
strided_slice, take, topk, ...).

Shapes the type relation has already settled (reshape's special values,
squeeze's axes, broadcast targets) are read from the output type rather
than recomputed, so the compute and the relation cannot disagree.
"""
from ... import te
from ... import tir
from ... import topi
from .op import register_compute, register_schedule, register_injective_schedule
from ._tensor import op_exists


def _ints(values):
    return [int(v) for v in values]


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


def _is_static(dim):
    return isinstance(dim, (int, tir.IntImm))


def _reshaped_dims(in_shape, out_shape):
    """The output extents of a reshape whose type has one dynamic dimension: the TE compiler
    names it by a fresh variable that nothing binds inside a fused function, so it is computed
    here from the input's extents (the element count over the other dimensions)."""
    unknown = [i for i, d in enumerate(out_shape) if not _is_static(d)]
    if len(unknown) != 1:
        return out_shape
    total = tir.const(1, "int64")
    for d in in_shape:
        total = total * tir.Cast("int64", d)
    rest = 1
    for i, d in enumerate(out_shape):
        if i != unknown[0]:
            rest *= int(d)
    out = list(out_shape)
    out[unknown[0]] = tir.Cast(out_shape[unknown[0]].dtype, tir.indexdiv(total, tir.const(max(rest, 1), "int64")))
    return out


def _kept_dims(in_shape, out_shape):
    """squeeze/expand_dims only add or drop extents of 1: the dynamic output extents are the
    dynamic input ones, in order (read from the input rather than left as unbound variables)."""
    dynamic = [d for d in in_shape if not _is_static(d)]
    out = []
    for d in out_shape:
        if not _is_static(d) and dynamic:
            src = dynamic.pop(0)
            d = src if src.dtype == d.dtype else tir.Cast(d.dtype, src)
        out.append(d)
    return out


def _to_output_shape(attrs, inputs, out_type):  # pylint: disable=unused-argument
    return [topi.reshape(inputs[0], _reshaped_dims(inputs[0].shape, out_type.shape))]


def _reshape_like(attrs, inputs, out_type):
    """The dynamic extents come from shape_like's (in range) or data's own (outside it)."""
    data, like = list(inputs[0].shape), list(inputs[1].shape)

    def span(begin, end, n):
        b = int(begin) + n if int(begin) < 0 else int(begin)
        e = n if end is None else (int(end) + n if int(end) < 0 else int(end))
        return b, e

    lb, le = span(attrs.lhs_begin, attrs.lhs_end, len(data))
    rb, re_ = span(attrs.rhs_begin, attrs.rhs_end, len(like))
    source = data[:lb] + like[rb:re_] + data[le:]
    shape = list(out_type.shape)
    if len(source) == len(shape):
        shape = [d if _is_static(d) else (s if s.dtype == d.dtype else tir.Cast(d.dtype, s))
                 for d, s in zip(shape, source)]
    return [topi.reshape(inputs[0], shape)]


for _name in ["reshape", "contrib_reverse_reshape"]:
    _register(_name, _to_output_shape)
_register("reshape_like", _reshape_like)


def _squeeze(attrs, inputs, out_type):  # pylint: disable=unused-argument
    return [topi.reshape(inputs[0], _kept_dims(inputs[0].shape, out_type.shape))]


def _expand_dims(attrs, inputs, out_type):  # pylint: disable=unused-argument
    return [topi.reshape(inputs[0], _kept_dims(inputs[0].shape, out_type.shape))]


def _transpose(attrs, inputs, out_type):  # pylint: disable=unused-argument
    axes = None if not attrs.axes else _ints(attrs.axes)
    return [topi.transpose(inputs[0], axes)]


def _concatenate(attrs, inputs, out_type):  # pylint: disable=unused-argument
    return [topi.concatenate(inputs, int(attrs.axis))]


def _stack(attrs, inputs, out_type):  # pylint: disable=unused-argument
    return [topi.stack(inputs, int(attrs.axis))]


def _split(attrs, inputs, out_type):  # pylint: disable=unused-argument
    sections = attrs.indices_or_sections
    sections = int(sections) if isinstance(sections, (int, tir.IntImm)) else _ints(sections)
    return topi.split(inputs[0], sections, int(attrs.axis))


def _strided_slice(attrs, inputs, out_type):  # pylint: disable=unused-argument
    strides = None if attrs.strides is None else _ints(attrs.strides)
    axes = None if attrs.axes is None else _ints(attrs.axes)
    return [topi.strided_slice(inputs[0], _ints(attrs.begin), _ints(attrs.end), strides, axes,
                               str(attrs.slice_mode))]


def _slice_like(attrs, inputs, out_type):  # pylint: disable=unused-argument
    # The output type holds the sliced extents: a slice from the origin.
    ends = [int(d) for d in out_type.shape]
    return [topi.strided_slice(inputs[0], [0] * len(ends), ends)]


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


def _reverse(attrs, inputs, out_type):  # pylint: disable=unused-argument
    return [topi.flip(inputs[0], int(attrs.axis))]


def _broadcast_to(attrs, inputs, out_type):  # pylint: disable=unused-argument
    return [topi.broadcast_to(inputs[0], out_type.shape)]


def _arange(attrs, inputs, out_type):
    # start, stop and step are scalar tensors; the relation fixed the length.
    start, _, step = inputs
    dtype = out_type.dtype
    return [te.compute(out_type.shape,
                       lambda i: tir.Cast(dtype, start()) + tir.Cast(dtype, i) * tir.Cast(dtype, step()),
                       name="T_arange", tag="injective")]


def _layout_transform(attrs, inputs, out_type):  # pylint: disable=unused-argument
    return [topi.layout_transform(inputs[0], str(attrs.src_layout), str(attrs.dst_layout))]


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
    shape = [int(d) for d in data.shape]
    index_shape = [int(d) for d in indices.shape]
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
    ("squeeze", _squeeze), ("expand_dims", _expand_dims), ("transpose", _transpose),
    ("concatenate", _concatenate), ("stack", _stack), ("split", _split), ("strided_slice", _strided_slice),
    ("slice_like", _slice_like), ("take", _take), ("gather", _gather), ("gather_nd", _gather_nd),
    ("one_hot", _one_hot), ("tile", _tile), ("repeat", _repeat), ("reverse", _reverse),
    ("broadcast_to", _broadcast_to), ("broadcast_to_like", _broadcast_to), ("arange", _arange),
    ("layout_transform", _layout_transform),
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
