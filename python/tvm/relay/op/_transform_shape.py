# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Shape functions of the transform, indexing, sorting and initialiser operators.

Each function below returns, per output, the list of its dimensions as int64 PrimExprs
computed from the input shapes (`dims`) and the attributes; `_shape_util.shapes` makes the
tensors. They mirror the type relations in src/relay/op/tensor/{transform,indexing}.cc for
the case where every extent is known only at run time. Data dependent (the input's values,
not its shape, decide the output shape) only where TVM v0.14's are: arange, argwhere, stft.
"""
from ... import te, tir
from ._shape_util import (
    i64, dims, data_dims, norm_axis, safe_div, product, ints, register, shapes,
)


def _same_as_input(index):
    def same(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
        return [dims(inputs[index]) for _ in out_ndims]

    same.__name__ = f"same_as_input{index}"
    return shapes(same)


# Operators whose every output has the shape of their first input.
for _name in [
    "reverse", "reverse_sequence", "sequence_mask", "scatter_elements", "scatter_nd", "strided_set",
    "sort", "argsort", "trilu", "matrix_set_diag", "zeros_like", "ones_like", "full_like", "copy",
    "fixed_point_multiply", "reinterpret", "annotation.stop_fusion", "annotation.checkpoint",
]:
    register(_name, False, _same_as_input(0))


# ---------------------------------------------------------------- reshape family

def reshape_dims(in_dims, newshape, allowzero=False):
    """reshape's output dimensions for TVM's special values (0 copies, -1 infers, -2 copies
    the rest, -3 merges two, -4 splits one into the next two values)."""
    out, infer_at, src = [], -1, 0
    newshape = ints(newshape)
    i = 0
    while i < len(newshape):
        v = newshape[i]
        if v > 0 or (v == 0 and allowzero):
            out.append(i64(v))
            src += 1
        elif v == 0:
            out.append(in_dims[src])
            src += 1
        elif v == -1:
            if infer_at >= 0:
                raise ValueError(f"reshape to {newshape}: more than one -1")
            infer_at = len(out)
            out.append(None)
            src += 1
        elif v == -2:
            out.extend(in_dims[src:])
            src = len(in_dims)
        elif v == -3:
            out.append(in_dims[src] * in_dims[src + 1])
            src += 2
        elif v == -4:
            a, b = newshape[i + 1], newshape[i + 2]
            d = in_dims[src]
            src += 1
            out.append(safe_div(d, b) if a == -1 else i64(a))
            out.append(safe_div(d, a) if b == -1 else i64(b))
            i += 2
        else:
            raise ValueError(f"reshape to {newshape}: {v} is not a valid newshape entry")
        i += 1
    if infer_at >= 0:
        known = product(d for k, d in enumerate(out) if k != infer_at)
        out[infer_at] = safe_div(product(in_dims), known)
    return out


@shapes
def reshape(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    return [reshape_dims(dims(inputs[0]), attrs.newshape, bool(getattr(attrs, "allowzero", False)))]


@shapes
def contrib_reverse_reshape(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    rev = reshape_dims(dims(inputs[0])[::-1], ints(attrs.newshape)[::-1],
                       bool(getattr(attrs, "allowzero", False)))
    return [rev[::-1]]


def _range(begin, end, ndim):
    b = int(begin)
    b = b + ndim if b < 0 else b
    e = ndim if end is None else int(end)
    e = e + ndim if e < 0 else e
    return b, e


@shapes
def reshape_like(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    data, like = dims(inputs[0]), dims(inputs[1])
    lb, le = _range(attrs.lhs_begin, attrs.lhs_end, len(data))
    rb, re = _range(attrs.rhs_begin, attrs.rhs_end, len(like))
    return [data[:lb] + like[rb:re] + data[le:]]


register("reshape", False, reshape)
register("contrib_reverse_reshape", False, contrib_reverse_reshape)
register("reshape_like", False, reshape_like)


@shapes
def transpose(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    data = dims(inputs[0])
    axes = ints(attrs.axes)
    if not axes:
        axes = list(range(len(data) - 1, -1, -1))
    return [[data[norm_axis(a, len(data))] for a in axes]]


register("transpose", False, transpose)


@shapes
def squeeze(attrs, inputs, out_ndims):
    data = dims(inputs[0])
    ndim = len(data)
    if attrs.axis is not None:
        drop = {norm_axis(a, ndim) for a in attrs.axis}
        return [[d for k, d in enumerate(data) if k not in drop]]
    # Without axes the relation drops the extents known to be 1; the caller's rank says how
    # many were. At run time drop that many 1s, the first ones found: each output dimension
    # is the data dimension whose rank among the kept ones is its index.
    n_drop = ndim - out_ndims[0]
    one = tir.const(1, "int64")
    zero = tir.const(0, "int64")
    ones_before, kept_before = zero, zero
    out = [zero] * out_ndims[0]
    for d in data:
        dropped = tir.all(d == one, ones_before < n_drop)
        for k in range(out_ndims[0]):
            take = tir.all(tir.Not(dropped), kept_before == k)
            out[k] = out[k] + tir.Select(take, d, zero)
        ones_before = ones_before + tir.Select(d == one, one, zero)
        kept_before = kept_before + tir.Select(dropped, zero, one)
    return [out]


register("squeeze", False, squeeze)


@shapes
def expand_dims(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    data = dims(inputs[0])
    axis = norm_axis(attrs.axis, len(data) + 1)
    return [data[:axis] + [i64(1)] * int(attrs.num_newaxis) + data[axis:]]


register("expand_dims", False, expand_dims)


# ---------------------------------------------------------------- concatenate, stack, split

@shapes
def concatenate(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    fields = [dims(t) for t in inputs]
    axis = norm_axis(attrs.axis, len(fields[0]))
    out = list(fields[0])
    out[axis] = sum((f[axis] for f in fields[1:]), fields[0][axis])
    return [out]


@shapes
def stack(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    first = dims(inputs[0])
    axis = norm_axis(attrs.axis, len(first) + 1)
    return [first[:axis] + [i64(len(inputs))] + first[axis:]]


@shapes
def split(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    data = dims(inputs[0])
    axis = norm_axis(attrs.axis, len(data))
    sections = attrs.indices_or_sections
    outs = []
    if isinstance(sections, (int, tir.IntImm)):
        for _ in range(int(sections)):
            out = list(data)
            out[axis] = safe_div(data[axis], int(sections))
            outs.append(out)
        return outs
    prev = 0
    for index in ints(sections):
        out = list(data)
        out[axis] = i64(index - prev)
        outs.append(out)
        prev = index
    out = list(data)
    out[axis] = data[axis] - prev
    outs.append(out)
    return outs


register("concatenate", False, concatenate)
register("stack", False, stack)
register("split", False, split)


# ---------------------------------------------------------------- slicing

def _clamp(x, lo, hi):
    return te.min(te.max(x, lo), hi)


def slice_extent(dim, begin, end, stride):
    """numpy's length of dim[begin:end:stride] for a static stride and a run-time dim; begin
    and end are ints or PrimExprs (None: the start or the end of the walk)."""
    dim = i64(dim)
    zero, minus_one = i64(0), i64(-1)

    def canon(x):
        x = i64(x)
        x = tir.Select(x < 0, x + dim, x)  # negative counts from the end
        return _clamp(x, zero, dim) if stride > 0 else _clamp(x, minus_one, dim - 1)

    if stride > 0:
        b = zero if begin is None else canon(begin)
        e = dim if end is None else canon(end)
        length = safe_div(e - b + (stride - 1), stride)
    else:
        b = dim - 1 if begin is None else canon(begin)
        if end is None:
            e = minus_one
        else:
            # an end before the first element walks down to it (numpy's -dim-1 and below)
            e = tir.Select(i64(end) < -dim, minus_one, canon(end))
        length = safe_div(b - e + (-stride - 1), -stride)
    return te.max(length, zero)


@shapes
def strided_slice(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    data = dims(inputs[0])
    ndim = len(data)
    begin, end = ints(attrs.begin), ints(attrs.end)
    strides = ints(attrs.strides)
    mode = str(attrs.slice_mode)
    if attrs.axes is not None:
        axes = [norm_axis(a, ndim) for a in attrs.axes]
    else:
        axes = list(range(min(max(len(begin), len(end)), ndim)))
    out = list(data)
    for k, ax in enumerate(axes):
        stride = 1
        if strides:
            stride = strides[0] if len(strides) == 1 else (strides[k] if k < len(strides) else 1)
        if mode == "size":
            stride = 1
        if stride == 0:
            raise ValueError(f"strided_slice: stride of axis {ax} is 0")
        d = data[ax]
        b = begin[k] if k < len(begin) else None
        e = end[k] if k < len(end) else None
        if mode == "size":
            # end is begin + size (a negative size: to the end), then sliced as usual
            b = i64(0) if b is None else (d + b if b < 0 else i64(b))
            e = None if e is None or e < 0 else b + e
        out[ax] = slice_extent(d, b, e, stride)
    return [out]


register("strided_slice", False, strided_slice)


@shapes
def slice_like(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    data, like = dims(inputs[0]), dims(inputs[1])
    out = list(data)
    axes = ints(attrs.axes)
    if not axes:
        axes = list(range(len(like)))
    for a in axes:
        out[norm_axis(a, len(data))] = like[norm_axis(a, len(like))]
    return [out]


register("slice_like", False, slice_like)


# ---------------------------------------------------------------- take, gather, gather_nd, adv_index

@shapes
def take(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    data, indices = dims(inputs[0]), dims(inputs[1])
    if attrs.axis is None:
        return [indices]
    axis = norm_axis(attrs.axis, len(data))
    batch_dims = 0 if attrs.batch_dims is None else int(attrs.batch_dims)
    if batch_dims < 0:
        batch_dims += len(indices)
    return [data[:axis] + indices[batch_dims:] + data[axis + 1:]]


@shapes
def gather(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    return [dims(inputs[1])]


@shapes
def gather_nd(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    data, indices = dims(inputs[0]), dims(inputs[1])
    batch_dims = 0 if attrs.batch_dims is None else int(attrs.batch_dims)
    # The index depth (indices' first extent) decides the rank, so it must be static: the
    # attribute, or what the caller's output rank implies.
    if attrs.index_rank is not None:
        m = int(attrs.index_rank)
    else:
        m = len(indices) - 1 + len(data) - batch_dims - out_ndims[0]
    return [indices[1:] + data[batch_dims + m:]]


def broadcast_dims(a, b):
    """numpy's broadcast of two shapes (aligned at the right; an extent 1 takes the other)."""
    n = max(len(a), len(b))
    a = [i64(1)] * (n - len(a)) + list(a)
    b = [i64(1)] * (n - len(b)) + list(b)
    return [tir.Select(x == 1, y, x) for x, y in zip(a, b)]


@shapes
def adv_index(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    data = dims(inputs[0])
    out = []
    for index in inputs[1:]:
        out = broadcast_dims(out, dims(index))
    return [out + data[len(inputs) - 1:]]


register("take", False, take)
register("gather", False, gather)
register("gather_nd", False, gather_nd)
register("adv_index", False, adv_index)


# ---------------------------------------------------------------- one_hot, tile, repeat, broadcasts

@shapes
def one_hot(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    indices = dims(inputs[0])
    axis = len(indices) if int(attrs.axis) == -1 else norm_axis(attrs.axis, len(indices) + 1)
    return [indices[:axis] + [i64(int(attrs.depth))] + indices[axis:]]


@shapes
def tile(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    data, reps = dims(inputs[0]), ints(attrs.reps)
    n = max(len(data), len(reps))
    data = [i64(1)] * (n - len(data)) + data
    reps = [1] * (n - len(reps)) + reps
    return [[d * r for d, r in zip(data, reps)]]


@shapes
def repeat(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    data = dims(inputs[0])
    axis = norm_axis(0 if attrs.axis is None else attrs.axis, len(data))
    out = list(data)
    out[axis] = data[axis] * int(attrs.repeats)
    return [out]


@shapes
def broadcast_to(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    return [[i64(int(d)) for d in attrs.shape]]


@shapes
def shape_of_second(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    return [dims(inputs[1])]


@shapes
def where(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    cond, x, y = (dims(t) for t in inputs)
    return [broadcast_dims(broadcast_dims(cond, x), y)]


@shapes
def init_from_attrs(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    return [[i64(int(d)) for d in attrs.shape]]


register("one_hot", False, one_hot)
register("tile", False, tile)
register("repeat", False, repeat)
register("broadcast_to", False, broadcast_to)
register("collapse_sum_to", False, broadcast_to)
register("broadcast_to_like", False, shape_of_second)
register("collapse_sum_like", False, shape_of_second)
register("where", False, where)
for _name in ["zeros", "ones", "full"]:
    register(_name, False, init_from_attrs)


@shapes
def arange(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    # data dependent: start, stop and step are the scalar tensors themselves
    start, stop, step = (t().astype("float64") for t in inputs)
    n = tir.ceil((stop - start) / step).astype("int64")
    return [[te.max(n, i64(0))]]


register("arange", True, arange)


@shapes
def argwhere(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    # data dependent: (number of nonzero elements, rank), the count a reduction over the data
    data = inputs[0]
    axes = [te.reduce_axis((0, d), name=f"k{i}") for i, d in enumerate(data.shape)]
    one, zero = tir.const(1, "int64"), tir.const(0, "int64")
    nonzero = data(*axes) != tir.const(0, data.dtype)
    count = te.compute((), lambda: te.sum(tir.Select(nonzero, one, zero), axis=axes), name="argwhere_count")
    return [[count(), i64(len(data.shape))]]


# the operator: src/relay/op/tensor/argwhere.cc (relation), _argwhere.py (compute)
register("argwhere", True, argwhere)


# ---------------------------------------------------------------- layout_transform

def _parse_layout(layout):
    axes, factor = [], 0
    for c in str(layout):
        if c.isdigit():
            factor = factor * 10 + int(c)
        elif c.isupper():
            axes.append((c, 0))
        else:
            axes.append((c, factor))
            factor = 0
    return axes


@shapes
def layout_transform(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    data = dims(inputs[0])
    src, dst = _parse_layout(attrs.src_layout), _parse_layout(attrs.dst_layout)
    primal = {letter: data[k] for k, (letter, factor) in enumerate(src) if factor == 0}
    for letter, factor in src:
        if factor > 0:
            primal[letter.upper()] = primal[letter.upper()] * factor
    out = []
    for letter, factor in dst:
        if factor > 0:
            out.append(i64(factor))
            continue
        d = primal[letter]
        for sub, sub_factor in dst:
            if sub_factor > 0 and sub.upper() == letter:
                d = safe_div(d, sub_factor)
        out.append(d)
    return [out]


register("layout_transform", False, layout_transform)


# ---------------------------------------------------------------- scans, sorting, shapes

@shapes
def scan(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    data = dims(inputs[0])
    if attrs.axis is None:
        return [[product(data)]]
    return [data]


@shapes
def topk(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    data = dims(inputs[0])
    axis = norm_axis(attrs.axis, len(data))
    out = list(data)
    if attrs.k is not None and int(attrs.k) >= 1:
        out[axis] = i64(int(attrs.k))
    return [out for _ in out_ndims]


@shapes
def shape_of(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    return [[i64(len(dims(inputs[0])))]]


@shapes
def ndarray_size(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    return [[]]


register("cumsum", False, scan)
register("cumprod", False, scan)
register("topk", False, topk)
register("shape_of", False, shape_of)
register("ndarray_size", False, ndarray_size)


@shapes
def searchsorted(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    return [dims(inputs[1])]


@shapes
def unique(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    # padded to the input's length; the count of distinct values is a 1-element tensor
    n = dims(inputs[0])[0]
    outs = [[n], [n], [n], [i64(1)]]
    if bool(attrs.return_counts):
        outs.append([n])
    return outs


@shapes
def sparse_to_dense(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    return [[i64(int(d)) for d in attrs.output_shape]]


@shapes
def sparse_reshape(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    indices, new_shape = dims(inputs[0]), dims(inputs[2])
    return [[indices[0], new_shape[0]], [new_shape[0]]]


@shapes
def unravel_index(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    indices, shape = dims(inputs[0]), dims(inputs[1])
    return [[shape[0]] + indices[:1]]


register("searchsorted", False, searchsorted)
register("unique", False, unique)
register("sparse_to_dense", False, sparse_to_dense)
register("sparse_reshape", False, sparse_reshape)
register("unravel_index", False, unravel_index)


# ---------------------------------------------------------------- einsum, meshgrid, windows

def _einsum_operands(equation, count):
    eq = str(equation).replace(" ", "")
    lhs, _, rhs = eq.partition("->")
    explicit = "->" in eq
    subs = lhs.split(",")
    if len(subs) != count:
        raise ValueError(f"einsum {equation!r}: {len(subs)} operands in the equation, {count} given")
    return subs, explicit, rhs


@shapes
def einsum(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    subs, explicit, rhs = _einsum_operands(attrs.equation, len(inputs))
    extent, count, ellipsis = {}, {}, []
    for sub, tensor in zip(subs, inputs):
        shape = dims(tensor)
        labels = sub.replace("...", "")
        n_ell = len(shape) - len(labels)
        ell, axis, i = [], 0, 0
        while i < len(sub):
            if sub.startswith("...", i):
                ell.extend(shape[axis:axis + n_ell])
                axis += n_ell
                i += 3
                continue
            c = sub[i]
            # a label of extent 1 broadcasts against the same label elsewhere
            d = shape[axis]
            extent[c] = d if c not in extent else tir.Select(extent[c] == 1, d, extent[c])
            count[c] = count.get(c, 0) + 1
            axis += 1
            i += 1
        ellipsis = broadcast_dims(ellipsis, ell)
    if not explicit:
        rhs = ("..." if ellipsis else "") + "".join(c for c in sorted(count) if count[c] == 1)
    out, i = [], 0
    while i < len(rhs):
        if rhs.startswith("...", i):
            out.extend(ellipsis)
            i += 3
            continue
        out.append(extent[rhs[i]])
        i += 1
    return [out]


@shapes
def meshgrid(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    grid = [(dims(t) or [i64(1)])[0] for t in inputs]
    if str(attrs.indexing) == "xy" and len(grid) >= 2:
        grid[0], grid[1] = grid[1], grid[0]
    return [list(grid) for _ in inputs]


@shapes
def sliding_window(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    data = dims(inputs[0])
    axis = int(attrs.axis)
    out = data[:axis]
    for k, (w, s) in enumerate(zip(ints(attrs.window_shape), ints(attrs.strides))):
        out.append(safe_div(data[axis + k] - w, s) + 1)
    return [out + [i64(w) for w in ints(attrs.window_shape)]]


@shapes
def stft(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    data = data_dims(inputs[0])  # data dependent in TVM: the data tensor itself comes in
    n_fft, hop = int(attrs.n_fft), int(attrs.hop_length)
    frames = safe_div(data[-1] - n_fft, hop) + 1
    out = data[:1] if len(data) == 2 else []
    return [out + [i64(n_fft // 2 + 1 if bool(attrs.onesided) else n_fft), frames, i64(2)]]


register("einsum", False, einsum)
register("meshgrid", False, meshgrid)
register("sliding_window", False, sliding_window)
register("stft", True, stft)

