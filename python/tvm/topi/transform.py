# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Injective transforms (include/tvm/topi/transform.h): shapes, slices, indexing,
concatenation and layouts. Axes may be negative."""
from numbers import Integral

from .. import te as _te
from .. import tir as _tir
from ..ir.expr import PrimExpr
from . import _ffi_api

__all__ = ["expand_dims", "expand_like", "transpose", "flip", "reverse_sequence", "strided_slice",
           "reshape", "squeeze", "concatenate", "stack", "split", "take", "gather", "gather_nd",
           "arange", "repeat", "tile", "layout_transform", "shape", "sequence_mask", "ndarray_size",
           "one_hot", "unravel_index", "sparse_to_dense", "matrix_set_diag", "cumsum", "cumprod",
           "trilu", "adv_index", "strided_set", "matmul", "tensordot", "meshgrid",
           "invert_permutation"]


def _ints(values, what):
    if isinstance(values, Integral):
        return [int(values)]
    out = []
    for v in values:
        if isinstance(v, _tir.IntImm):
            v = v.value
        if not isinstance(v, Integral):
            raise TypeError(f"{what} must be integers, got {values}")
        out.append(int(v))
    return out


def expand_dims(a, axis, num_newaxis=1):
    """a with num_newaxis axes of size 1 inserted at axis."""
    return _ffi_api.expand_dims(a, int(axis), int(num_newaxis))


def expand_like(a, shape_like, axis):
    """a with size-1 axes inserted at axis (a list), then broadcast to shape_like's shape."""
    from .broadcast import broadcast_to

    axis = sorted(_ints(axis, "expand_like: axis"))
    odim = len(a.shape) + len(axis)
    if odim != len(shape_like.shape):
        raise ValueError(f"topi.expand_like: a of rank {len(a.shape)} with {len(axis)} new axes does not "
                         f"match shape_like of rank {len(shape_like.shape)}")
    axis = [x + odim if x < 0 else x for x in axis]
    expanded = a
    for x in axis:
        expanded = expand_dims(expanded, x)
    return broadcast_to(expanded, shape_like.shape)


def transpose(a, axes=None):
    """a with axes permuted (reversed by default)."""
    return _ffi_api.transpose(a, None if axes is None else _ints(axes, "transpose: axes"))


def flip(a, axis=0):
    """a reversed along axis (an int or a list)."""
    return _ffi_api.reverse(a, _ints(axis, "flip: axis"))


def reverse_sequence(a, seq_lengths, seq_axis=1, batch_axis=0):
    """Per batch item b, the first seq_lengths[b] entries along seq_axis reversed."""
    return _ffi_api.reverse_sequence(a, seq_lengths, int(seq_axis), int(batch_axis))


def strided_slice(a, begin, end, strides=None, axes=None, slice_mode="end"):
    """numpy's a[begin:end:strides] (on the listed axes, or axes 0.. in order)."""
    if isinstance(begin, _te.Tensor) or isinstance(end, _te.Tensor):
        if not (isinstance(begin, _te.Tensor) and isinstance(end, _te.Tensor) and isinstance(strides, _te.Tensor)):
            raise TypeError("topi.strided_slice: begin, end and strides must all be tensors for a dynamic slice")
        if axes is not None or slice_mode != "end":
            raise ValueError("topi.strided_slice: axes and slice_mode 'size' need constant begin/end")
        return _ffi_api.dynamic_strided_slice(a, begin, end, strides)
    strides = [] if strides is None else list(strides)
    begin, end = list(begin), list(end)
    # None entries mean "from the start" / "to the end" in the direction of the stride.
    big = 1 << 62
    for i, b in enumerate(begin):
        if b is None:
            step = strides[i] if i < len(strides) and strides[i] is not None else 1
            begin[i] = 0 if int(step) > 0 else big
    for i, e in enumerate(end):
        if e is None:
            step = strides[i] if i < len(strides) and strides[i] is not None else 1
            end[i] = big if int(step) > 0 else -big
    strides = [1 if s is None else s for s in strides]
    begin = _ints(begin, "strided_slice: begin")
    end = _ints(end, "strided_slice: end")
    strides = _ints(strides, "strided_slice: strides")
    axes = None if axes is None else _ints(axes, "strided_slice: axes")
    return _ffi_api.strided_slice(a, begin, end, strides, axes, slice_mode)


def reshape(a, newshape):
    """a with newshape (one entry may be -1)."""
    if isinstance(newshape, (Integral, PrimExpr)):
        newshape = [newshape]
    return _ffi_api.reshape(a, list(newshape))


def squeeze(a, axis=None):
    """a without its size-1 axes (or just those listed)."""
    return _ffi_api.squeeze(a, None if axis is None else _ints(axis, "squeeze: axis"))


def concatenate(a_tuple, axis=0):
    """The tensors joined along axis."""
    return _ffi_api.concatenate(list(a_tuple), int(axis))


def stack(tensors, axis=0):
    """The tensors joined along a new axis."""
    return _ffi_api.stack(list(tensors), int(axis))


def split(ary, indices_or_sections, axis=0):
    """ary cut along axis into equal sections (an int) or at indices (a list)."""
    if isinstance(indices_or_sections, Integral):
        return list(_ffi_api.split_sections(ary, int(indices_or_sections), int(axis)))
    return list(_ffi_api.split(ary, list(indices_or_sections), int(axis)))


def take(a, indices, axis=None, batch_dims=0, mode="clip"):
    """Elements of a at indices along axis (a flattened when None); mode clip, wrap or fast."""
    if isinstance(indices, Integral):
        value = int(indices)
        indices = _te.compute((), lambda: _tir.const(value, "int32"), name="take_index")
    return _ffi_api.take(a, indices, int(batch_dims), None if axis is None else int(axis), mode)


def gather(data, axis, indices):
    """out[i] = data[i with axis replaced by indices[i]]."""
    return _ffi_api.gather(data, int(axis), indices)


def gather_nd(a, indices, batch_dims=0):
    """Elements (or slices) of a at the index tuples in the first axis of indices."""
    return _ffi_api.gather_nd(a, indices, int(batch_dims))


def arange(start, stop=None, step=1, dtype="float32"):
    """Evenly spaced values in [start, stop) (or [0, start))."""
    if stop is None:
        start, stop = 0, start
    return _ffi_api.arange(start, stop, step, dtype)


def repeat(a, repeats, axis):
    """Each element of a repeated along axis."""
    return _ffi_api.repeat(a, int(repeats), int(axis))


def tile(a, reps):
    """a repeated reps times along each axis."""
    return _ffi_api.tile(a, _ints(reps, "tile: reps"))


def layout_transform(array, src_layout, dst_layout, schedule_rule="None"):
    """array from layout src_layout to dst_layout (e.g. NCHW -> NCHW16c)."""
    return _ffi_api.layout_transform(array, str(src_layout), str(dst_layout))


def shape(array, dtype="int32"):
    """The shape of array as a 1-D tensor."""
    return _ffi_api.shape(array, dtype)


def sequence_mask(data, valid_length, mask_value=0, axis=0):
    """Entries along axis (0 or 1) at or past valid_length[batch] set to mask_value."""
    return _ffi_api.sequence_mask(data, valid_length, float(mask_value), int(axis))


def ndarray_size(array, dtype="int32"):
    """The number of elements of array, as a 0-d tensor."""
    return _ffi_api.ndarray_size(array, dtype)


def one_hot(indices, on_value, off_value, depth, axis, dtype):
    """A one-hot encoding of indices, the new axis (of size depth) at axis (-1: last)."""
    return _ffi_api.one_hot(indices, on_value, off_value, int(depth), int(axis), dtype)


def unravel_index(indices, shape):
    """The row-major multi-indices of flat indices in shape (a 1-D tensor)."""
    return _ffi_api.unravel_index(indices, shape)


def sparse_to_dense(sparse_indices, output_shape, sparse_values, default_value=0):
    """A dense tensor of output_shape with sparse_values at sparse_indices."""
    if not isinstance(sparse_values, _te.Tensor):
        value = sparse_values
        sparse_values = _te.compute((), lambda: _tir.const(value), name="sparse_value")
    if isinstance(default_value, _te.Tensor):
        # A tensor holding the value (rank 0, or one element) is read in the compute.
        default_value = default_value(*([0] * default_value.ndim))
    return _ffi_api.sparse_to_dense(sparse_indices, list(output_shape), sparse_values, default_value)


def matrix_set_diag(data, diagonal, k=0, align="RIGHT_LEFT"):
    """data with its diagonals k (an int or a (low, high) pair) set from diagonal; align
    says whether super- and sub-diagonals are packed to the right or the left."""
    k1, k2 = (k, k) if isinstance(k, Integral) else (int(k[0]), int(k[1]))
    aligns = {"RIGHT_LEFT": (True, False), "LEFT_RIGHT": (False, True),
              "LEFT_LEFT": (False, False), "RIGHT_RIGHT": (True, True)}
    if align not in aligns:
        raise ValueError(f"topi.matrix_set_diag: align must be one of {list(aligns)}, got {align!r}")
    return _ffi_api.matrix_set_diag(data, diagonal, k1, k2, *aligns[align])


def cumsum(data, axis=None, dtype=None, exclusive=None):
    """The running sum along axis (data flattened when None)."""
    return _ffi_api.cumsum(data, None if axis is None else int(axis), dtype, bool(exclusive))


def cumprod(data, axis=None, dtype=None, exclusive=None):
    """The running product along axis (data flattened when None)."""
    return _ffi_api.cumprod(data, None if axis is None else int(axis), dtype, bool(exclusive))


def trilu(data, k, upper):
    """data with the elements below (upper=True) or above diagonal k of the last two axes zeroed."""
    return _ffi_api.trilu(data, k, bool(upper))


def adv_index(data, indices):
    """numpy's data[indices[0], indices[1], ...] (the index tensors broadcast together)."""
    return _ffi_api.adv_index(data, list(indices))


def strided_set(a, v, begin, end, strides=None):
    """a with a[begin:end:strides] replaced by v (begin, end, strides: 1-D tensors)."""
    return _ffi_api.strided_set(a, v, begin, end, strides)


def matmul(a, b, transp_a=False, transp_b=False):
    """a @ b of 2-D tensors, either transposed first."""
    return _ffi_api.matmul(a, b, bool(transp_a), bool(transp_b))


def tensordot(a, b, axes):
    """numpy's tensordot: axes an int (the last n of a with the first n of b) or two lists."""
    if isinstance(axes, Integral):
        n = int(axes)
        a_axes = list(range(len(a.shape) - n, len(a.shape)))
        b_axes = list(range(n))
    else:
        a_axes, b_axes = axes
        a_axes = _ints(a_axes, "tensordot: axes")
        b_axes = _ints(b_axes, "tensordot: axes")
    return _ffi_api.tensordot(a, b, a_axes, b_axes)


def meshgrid(a_tuple, indexing):
    """numpy's meshgrid of 1-D tensors ('ij' or 'xy' indexing)."""
    return list(_ffi_api.meshgrid(list(a_tuple), indexing))


def invert_permutation(data):
    """The inverse of the permutation data (1-D)."""
    return _ffi_api.invert_permutation(data)
