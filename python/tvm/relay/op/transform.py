# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Shape and data-movement operators, tensor initialisers, sorting (TVM v0.14 signatures)."""

from ..expr import TupleWrapper, const, Expr, Constant
from ...tir import IntImm as _IntImm
from ...runtime import convert as _convert
from . import _make
from .dyn import _make as _dyn_make

__all__ = [
    "expand_dims", "transpose", "squeeze", "reshape", "reverse_reshape", "scatter_elements",
    "take", "zeros", "ones", "full", "full_like", "arange", "repeat", "tile", "reverse", "broadcast_to",
    "broadcast_to_like", "split", "strided_slice", "slice_like", "layout_transform", "gather",
    "gather_nd", "one_hot", "cumsum", "cumprod", "concatenate", "stack", "shape_of",
    "sort", "argsort", "topk", "einsum",
    "reshape_like", "collapse_sum_like", "reverse_sequence", "sequence_mask", "meshgrid", "ndarray_size", "trilu",
    "collapse_sum_to", "unravel_index", "matrix_set_diag",
]


def _int_list(value):
    if isinstance(value, int):
        return [value]
    if isinstance(value, Constant):
        return [int(x) for x in value.data.numpy().reshape(-1)]
    return [int(x) for x in value]


def _is_dynamic(value):
    """An expression that is not a constant: the dyn.* operator takes it as a tensor."""
    return isinstance(value, Expr) and not isinstance(value, Constant)


def _opt_int(value):
    """None stays None (TVM's undefined); an int becomes an IntImm."""
    return None if value is None else _convert(int(value))


def expand_dims(data, axis, num_newaxis=1):
    """Insert num_newaxis axes of extent 1 at axis (a scalar tensor expression: dyn.expand_dims)."""
    if isinstance(axis, Constant):
        axis = int(axis.data.numpy())
    if isinstance(axis, Expr):
        return _dyn_make.expand_dims(data, axis, num_newaxis)
    return _make.expand_dims(data, axis, num_newaxis)


def transpose(data, axes=None):
    """Permute the axes (reverse them when axes is None)."""
    return _make.transpose(data, _int_list(axes) if axes is not None else None)


def squeeze(data, axis=None):
    """Remove the given axes of extent 1 (all of them when axis is None; a 1-D tensor
    expression: dyn.squeeze)."""
    if _is_dynamic(axis):
        return _dyn_make.squeeze(data, axis)
    return _make.squeeze(data, _int_list(axis) if axis is not None else None)


def reshape(data, newshape, allowzero=False):
    """Reshape; newshape may use 0, -1, -2, -3 and -4 (see TVM's documentation). A 1-D
    tensor expression as newshape gives dyn.reshape (0, -1 and -3 only)."""
    if _is_dynamic(newshape):
        return _dyn_make.reshape(data, newshape, allowzero)
    return _make.reshape(data, _int_list(newshape), allowzero)


def reverse_reshape(data, newshape):
    """reshape whose special values are matched from the right."""
    return _make.contrib_reverse_reshape(data, _int_list(newshape))


def scatter_elements(data, indices, updates, axis=0, reduction="update"):
    """Write (or reduce) updates into data at indices along axis."""
    return _make.scatter_elements(data, indices, updates, axis, reduction)


def take(data, indices, axis=None, batch_dims=0, mode="clip"):
    """Take elements along axis (from the flattened data when axis is None)."""
    return _make.take(data, indices, _opt_int(axis), batch_dims, mode)


def zeros(shape, dtype):
    """A tensor of zeros (of the shape a 1-D tensor expression holds: dyn.zeros)."""
    if _is_dynamic(shape):
        return _dyn_make.zeros(shape, dtype)
    return _make.zeros(_int_list(shape), dtype)


def ones(shape, dtype):
    """A tensor of ones (of the shape a 1-D tensor expression holds: dyn.ones)."""
    if _is_dynamic(shape):
        return _dyn_make.ones(shape, dtype)
    return _make.ones(_int_list(shape), dtype)


def full(fill_value, shape=(), dtype=""):
    """A tensor of shape filled with fill_value."""
    if not isinstance(fill_value, Expr):
        fill_value = const(fill_value)
    if _is_dynamic(shape):
        return _dyn_make.full(fill_value, shape, dtype)
    return _make.full(fill_value, _int_list(shape), dtype)


def full_like(data, fill_value):
    """fill_value in data's shape and dtype."""
    if not isinstance(fill_value, Expr):
        fill_value = const(fill_value)
    return _make.full_like(data, fill_value)


def arange(start, stop=None, step=None, dtype="float32"):
    """Evenly spaced values in [start, stop) (numpy's arange)."""
    if stop is None:
        start, stop = 0, start
    if step is None:
        step = 1

    def as_expr(v):
        return v if isinstance(v, Expr) else const(v, dtype)

    return _make.arange(as_expr(start), as_expr(stop), as_expr(step), dtype)


def repeat(data, repeats, axis):
    """Repeat each element repeats times along axis."""
    return _make.repeat(data, repeats, axis)


def tile(data, reps):
    """Repeat the whole tensor reps[i] times along axis i (reps a 1-D tensor expression: dyn.tile)."""
    if _is_dynamic(reps):
        return _dyn_make.tile(data, reps)
    return _make.tile(data, _int_list(reps))


def reverse(data, axis):
    """Reverse the order along axis."""
    return _make.reverse(data, axis)


def broadcast_to(data, shape):
    """Broadcast data to shape (numpy rules; a 1-D tensor expression: dyn.broadcast_to)."""
    if _is_dynamic(shape):
        return _dyn_make.broadcast_to(data, shape)
    if isinstance(shape, Constant):
        # numpy scalars keep the constant's dtype, so an int64 shape gives int64 dimensions (as in TVM)
        return _make.broadcast_to(data, list(shape.data.numpy().reshape(-1)))
    return _make.broadcast_to(data, _int_list(shape))


def broadcast_to_like(data, broadcast_type):
    """Broadcast data to the shape of broadcast_type."""
    return _make.broadcast_to_like(data, broadcast_type)


def split(data, indices_or_sections, axis=0):
    """Split into equal sections or at the given indices; a TupleWrapper of the parts."""
    if isinstance(indices_or_sections, int):
        count = indices_or_sections
    else:
        indices_or_sections = list(indices_or_sections)
        count = len(indices_or_sections) + 1
    return TupleWrapper(_make.split(data, _convert(indices_or_sections), axis), count)


def strided_slice(data, begin, end, strides=None, axes=None, slice_mode="end"):
    """numpy-style slicing: data[begin:end:strides] on each axis (or on axes). When begin,
    end or strides is a tensor expression, dyn.strided_slice (its lists become constants)."""
    if _is_dynamic(begin) or _is_dynamic(end) or _is_dynamic(strides):
        return _dynamic_strided_slice(data, begin, end, strides, axes, slice_mode)
    return _make.strided_slice(
        data,
        _int_list(begin),
        _int_list(end),
        _int_list(strides) if strides is not None else None,
        slice_mode,
        _int_list(axes) if axes is not None else None,
    )


def _dynamic_strided_slice(data, begin, end, strides, axes, slice_mode):
    if axes is not None:
        raise ValueError("strided_slice: axes is not supported when begin, end or strides is a tensor expression")
    strides = [1] if strides is None else strides
    begin, end, strides = (v if isinstance(v, Expr) else const([int(x) for x in v]) for v in (begin, end, strides))
    from .tensor import add, cast_like, greater_equal, less, where  # pylint: disable=import-outside-toplevel

    # As TVM: a negative begin counts from the end, and a begin past the end stops there.
    dims = slice_like(cast_like(shape_of(data), begin), begin)
    begin = where(less(begin, cast_like(const(0), begin)), add(begin, dims), begin)
    begin = where(greater_equal(begin, dims), dims, begin)
    return _dyn_make.strided_slice(data, begin, end, strides, slice_mode)


def slice_like(data, shape_like, axes=None):
    """Slice data to the shape of shape_like (on axes, or all of shape_like's)."""
    return _make.slice_like(data, shape_like, list(axes) if axes is not None else None)


def layout_transform(data, src_layout, dst_layout):
    """Convert between layouts (NCHW, NHWC, NCHW16c, ...)."""
    return _make.layout_transform(data, src_layout, dst_layout)


def gather(data, axis, indices):
    """out[i][j] = data[indices[i][j]][j] along axis (numpy's take_along_axis)."""
    return _make.gather(data, axis, indices)


def gather_nd(data, indices, batch_dims=0, index_rank=None):
    """Gather with index tuples laid along the first axis of indices."""
    return _make.gather_nd(data, indices, batch_dims, _opt_int(index_rank))


def one_hot(indices, on_value, off_value, depth, axis, dtype):
    """One-hot encoding: on_value where the index matches, off_value elsewhere (depth a scalar
    tensor expression: dyn.one_hot)."""
    if isinstance(depth, Constant):
        depth = int(depth.data.numpy())
    if isinstance(depth, Expr):
        return _dyn_make.one_hot(indices, on_value, off_value, depth, axis, dtype)
    return _make.one_hot(indices, on_value, off_value, depth, axis, dtype)


def cumsum(data, axis=None, dtype=None, exclusive=None):
    """Running sum along axis (of the flattened data when axis is None)."""
    return _make.cumsum(data, _opt_int(axis), dtype or "", _opt_int(exclusive))


def cumprod(data, axis=None, dtype=None, exclusive=None):
    """Running product along axis."""
    return _make.cumprod(data, _opt_int(axis), dtype or "", _opt_int(exclusive))


def concatenate(data, axis):
    """Join a list or tuple of tensors along axis."""
    from ..expr import Tuple  # pylint: disable=import-outside-toplevel

    data = list(data) if not isinstance(data, Expr) else data
    if isinstance(data, list):
        if not data:
            raise ValueError("relay.concatenate requires data to be non-empty.")
        data = Tuple(data)
    return _make.concatenate(data, axis)


def stack(data, axis):
    """Join tensors of one shape along a new axis."""
    from ..expr import Tuple  # pylint: disable=import-outside-toplevel

    if isinstance(data, TupleWrapper):
        data = data.astuple()
    if not isinstance(data, Expr):
        if not data:
            raise ValueError("relay.stack requires data to be non-empty.")
        data = Tuple(list(data))
    return _make.stack(data, axis)


def shape_of(data, dtype="int32"):
    """The shape of data as a 1-D tensor."""
    return _make.shape_of(data, dtype)


def sort(data, axis=-1, is_ascend=1):
    """Sorted values along axis."""
    return _make.sort(data, axis, bool(is_ascend))


def argsort(data, axis=-1, is_ascend=1, dtype="int32"):
    """Indices that would sort data along axis."""
    return _make.argsort(data, axis, bool(is_ascend), dtype)


def topk(data, k=1, axis=-1, ret_type="both", is_ascend=False, dtype="int32"):
    """The k largest (or smallest) values and/or their indices along axis (k a scalar tensor
    expression: dyn.topk)."""
    if isinstance(k, Constant):
        k = int(k.data.numpy())
    if isinstance(k, Expr):
        out = _dyn_make.topk(data, k, axis, ret_type, is_ascend, dtype)
    else:
        out = _make.topk(data, _opt_int(k), axis, ret_type, is_ascend, dtype)
    if ret_type == "both":
        return TupleWrapper(out, 2)
    return out




def einsum(data, equation):
    """numpy's einsum over a list of tensors, e.g. einsum([a, b], "ij,jk->ik")."""
    from ..expr import Tuple  # pylint: disable=import-outside-toplevel

    if not isinstance(data, Expr):
        data = Tuple(list(data))
    return _make.einsum(data, equation)


def reshape_like(data, shape_like, lhs_begin=0, lhs_end=None, rhs_begin=0, rhs_end=None):
    """data's axes [lhs_begin, lhs_end) take the extents of shape_like's [rhs_begin, rhs_end)."""
    return _make.reshape_like(data, shape_like, lhs_begin, _opt_int(lhs_end), rhs_begin, _opt_int(rhs_end))


def collapse_sum_like(data, collapse_type):
    """Sum data over the axes broadcasting added, back to collapse_type's shape."""
    return _make.collapse_sum_like(data, collapse_type)


def reverse_sequence(data, seq_lengths, seq_axis=1, batch_axis=0):
    """Reverse the first seq_lengths[b] entries along seq_axis of each batch b."""
    return _make.reverse_sequence(data, seq_lengths, seq_axis, batch_axis)


def sequence_mask(data, valid_length, mask_value=0, axis=0):
    """Set entries past each sequence's valid length to mask_value."""
    return _make.sequence_mask(data, valid_length, float(mask_value), axis)


def meshgrid(data, indexing="ij"):
    """Coordinate grids from 1-D tensors; a TupleWrapper of one grid per input."""
    from ..expr import Tuple  # pylint: disable=import-outside-toplevel

    data = list(data)
    return TupleWrapper(_make.meshgrid(Tuple(data), indexing), len(data))


def ndarray_size(data, dtype="int32"):
    """The number of elements of data, as a scalar."""
    return _make.ndarray_size(data, dtype)


def trilu(data, k, upper=True):
    """The upper (or lower) triangle of the last two axes from diagonal k."""
    if not isinstance(k, Expr):
        k = const(k, "int32")
    return _make.trilu(data, k, upper)


def collapse_sum_to(data, shape):
    """Sum data over the axes broadcasting added, back to shape."""
    if not isinstance(shape, Expr):
        shape = const(list(shape), "int32")
    return _make.collapse_sum_to(data, shape)


def unravel_index(indices, shape):
    """Coordinates (len(shape), ...) of flat indices into shape."""
    if not isinstance(shape, Expr):
        shape = const(list(shape), "int32")
    return _make.unravel_index(indices, shape)


def matrix_set_diag(data, diagonal, k=0, align="RIGHT_LEFT"):
    """Replace diagonal k (or the band k = (low, high)) of the last two axes."""
    k1, k2 = (k, k) if isinstance(k, int) else (k[0], k[1])
    super_right = align in ("RIGHT_LEFT", "RIGHT_RIGHT")
    sub_right = align in ("LEFT_RIGHT", "RIGHT_RIGHT")
    return _make.matrix_set_diag(data, diagonal, k1, k2, super_right, sub_right)


# ---------------------------------------------------------------- indexing and signal operators
# (src/relay/op/tensor/indexing.cc; computes in _indexing.py)

__all__ += ["strided_set", "sparse_to_dense", "scatter_nd", "adv_index", "sliding_window", "unique", "stft"]


def _index_tensor(value):
    """A list of ints as an int64 constant (TVM's begin/end/strides tensors)."""
    if isinstance(value, Expr):
        return value
    return const([int(v) for v in value], "int64")


def strided_set(data, v, begin, end, strides=None):
    """data with data[begin:end:strides] replaced by v (begin, end, strides: lists or 1-D tensors)."""
    strides = [1] * len(begin) if strides is None and isinstance(begin, (list, tuple)) else strides
    if strides is None:
        strides = const([1], "int64")
    return _make.strided_set(data, v, _index_tensor(begin), _index_tensor(end), _index_tensor(strides))


def sparse_to_dense(sparse_indices, output_shape, sparse_values, default_value=0):
    """A dense tensor of output_shape holding sparse_values at sparse_indices, default_value elsewhere."""
    if not isinstance(default_value, Expr):
        default_value = const(default_value)
    if isinstance(output_shape, Expr):  # a constant too, as TVM (DynamicToStatic makes it static)
        return _dyn_make.sparse_to_dense(sparse_indices, output_shape, sparse_values, default_value)
    return _make.sparse_to_dense(sparse_indices, _int_list(output_shape), sparse_values, default_value)


def scatter_nd(data, indices, updates, mode="update"):
    """data with updates[y...] combined (update, add, mul, min, max) at data[indices[:, y...]]."""
    return _make.scatter_nd(data, indices, updates, mode)


def adv_index(inputs):
    """numpy's advanced indexing inputs[0][inputs[1], inputs[2], ...]."""
    from ..expr import Tuple  # pylint: disable=import-outside-toplevel

    return _make.adv_index(Tuple(list(inputs)))


def sliding_window(data, axis, window_shape, strides):
    """Every window of window_shape (one entry per axis from axis on) stepping by strides:
    data.shape[:axis] + number of windows per axis + window_shape."""
    return _make.sliding_window(data, int(axis), [int(w) for w in window_shape], [int(s) for s in strides])


def unique(data, is_sorted=True, return_counts=False):
    """The distinct values of a 1-D tensor, sorted or in order of first occurrence, padded to its
    length: (unique, first indices, inverse indices, [count]) and the counts with return_counts."""
    return TupleWrapper(_make.unique(data, bool(is_sorted), bool(return_counts)), 5 if return_counts else 4)


def stft(data, n_fft, hop_length=None, win_length=None, window=None, normalized=False, onesided=True):
    """Short-time Fourier transform of (batch, length) or (length,) data: (..., bins, frames, 2)."""
    hop_length = n_fft // 4 if hop_length is None else hop_length
    win_length = n_fft if win_length is None else win_length
    if window is None:
        window = _make.ones([int(win_length)], "int32")
    return _make.stft(data, int(n_fft), int(hop_length), int(win_length), window, bool(normalized), bool(onesided))


__all__ += ["sparse_reshape", "segment_sum", "sparse_fill_empty_rows"]


def sparse_fill_empty_rows(sparse_indices, sparse_values, dense_shape, default_value):
    """A COO sparse tensor (indices sorted by row) with an entry [r, 0, ...] = default_value
    added for each row r it has no entry in: (new indices, new values, the empty-row
    indicator of dense_shape[0] booleans). The entry count depends on the indices' values,
    so it is known only at run time (the VM or the debug executor)."""
    from ..expr import Tuple  # pylint: disable=import-outside-toplevel

    out = TupleWrapper(_make.sparse_fill_empty_rows(sparse_indices, sparse_values, dense_shape, default_value), 3)
    return Tuple([out[0], out[1], out[2]])  # as TVM: a tuple expression of the three results


def sparse_reshape(sparse_indices, prev_shape, new_shape):
    """The indices (N, rank) of a COO sparse tensor of prev_shape, reshaped to new_shape (one
    entry may be -1): (new indices (N, len(new_shape)), the new shape with -1 resolved)."""
    return TupleWrapper(_make.sparse_reshape(sparse_indices, prev_shape, new_shape), 2)


def segment_sum(data, segment_ids, num_segments=None):
    """out[s, ...] = sum of data[i, ...] over the i with segment_ids[i] == s, for num_segments
    segments (max(segment_ids) + 1 by default). When that count or the shapes are known only
    at run time, the result is built from dyn.* operators (the VM or the debug executor run it)."""
    from ..expr import Constant as _Constant  # pylint: disable=import-outside-toplevel

    if num_segments is None and isinstance(segment_ids, _Constant):
        num_segments = int(segment_ids.data.numpy().max()) + 1
    if isinstance(num_segments, _Constant):
        num_segments = int(num_segments.data.numpy().reshape(-1)[0])
    ttype, ids_type = _infer_tensor_type(data), _infer_tensor_type(segment_ids)
    static = all(isinstance(d, _IntImm) for d in list(ttype.shape) + list(ids_type.shape))
    if num_segments is None or isinstance(num_segments, Expr) or not static:
        # The output's length or the shapes are known only when the program runs (the VM's case).
        return _dynamic_segment_sum(data, segment_ids, num_segments, ttype, ids_type)
    if len(ids_type.shape) != 1 or not ttype.shape:
        raise ValueError(f"segment_sum: segment_ids {ids_type.shape} must be 1-d and data {ttype.shape} at least 1-d")
    rows, num_ids = int(ttype.shape[0]), int(ids_type.shape[0])
    if num_ids > rows:
        raise ValueError(f"segment_sum: {num_ids} segment_ids for only {rows} rows of data {ttype.shape}")
    rest = [int(d) for d in ttype.shape[1:]]
    if num_ids < rows:  # as in TVM, rows past the ids are not summed
        data = strided_slice(data, [0], [num_ids], axes=[0])
    ids = reshape(segment_ids, [-1] + [1] * len(rest))
    ids = broadcast_to(ids, [num_ids] + rest)
    zero = zeros([int(num_segments)] + rest, str(ttype.dtype))
    return scatter_elements(zero, ids, data, axis=0, reduction="add")


def _dynamic_segment_sum(data, segment_ids, num_segments, ttype, ids_type):
    """segment_sum with dyn.* operators: zeros of (num_segments, data.shape[1:]) with the rows
    of data scattered (added) into the rows their ids name; num_segments defaults to
    max(segment_ids) + 1."""
    from .tensor import add, cast  # pylint: disable=import-outside-toplevel
    from .reduce import max as _max  # pylint: disable=import-outside-toplevel

    if len(ids_type.shape) != 1 or not ttype.shape:
        raise ValueError(f"segment_sum: segment_ids {ids_type.shape} must be 1-d and data {ttype.shape} at least 1-d")
    if num_segments is None:
        num = add(reshape(cast(_max(segment_ids), "int64"), [1]), const([1], "int64"))
    elif isinstance(num_segments, Expr):
        num = reshape(cast(num_segments, "int64"), [1])
    else:
        num = const([int(num_segments)], "int64")
    rank = len(ttype.shape)
    rest = strided_slice(shape_of(data, "int64"), [1], [rank])
    num_ids = shape_of(segment_ids, "int64")
    # As in TVM: rows of data past the ids are not summed.
    rows = strided_slice(data, const([0] * rank, "int64"), concatenate([num_ids, rest], 0), const([1] * rank, "int64"))
    ids = reshape(segment_ids, [-1] + [1] * (rank - 1))
    ids = broadcast_to(ids, concatenate([num_ids, rest], 0))
    zero = zeros(concatenate([num, rest], 0), str(ttype.dtype))
    return scatter_elements(zero, ids, rows, axis=0, reduction="add")


def _infer_tensor_type(expr):
    """The tensor type of expr (type inference on a copy when it has none yet)."""
    from ..transform import InferTypeLocal  # pylint: disable=import-outside-toplevel

    return InferTypeLocal(expr)


__all__ += ["searchsorted"]


def searchsorted(sorted_sequence, values, right=False, dtype="int32"):
    """Where each value would go into the innermost axis of sorted_sequence to keep it sorted:
    the first such index, or the last with right=True. A 1-D sequence serves values of any
    shape; an N-D one pairs its outer axes with those of values."""
    return _make.searchsorted(sorted_sequence, values, bool(right), dtype)


def argwhere(condition):
    """The coordinates of the non-zero elements of condition (any dtype; bool's True), an
    int32 tensor of shape (count, condition.ndim) in row-major order, as numpy's argwhere.
    The count depends on the values, so it is relay.Any(): run it on the VM (or the debug
    executor)."""
    return _make.argwhere(condition)


__all__ += ["argwhere"]
