# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""numpy references of TOPI's transforms."""
import numpy as np


def gather_python(data, axis, indices):
    """out[i] = data[i with axis replaced by indices[i]]."""
    return np.take_along_axis(data, indices.astype("int64"), axis=axis)


def gather_nd_python(a_np, indices_np, batch_dims=0):
    """out[y..., r...] = a[batch..., indices[:, y...]..., r...]."""
    m = indices_np.shape[0]
    out_shape = indices_np.shape[1:] + a_np.shape[m + batch_dims:]
    out = np.empty(out_shape, dtype=a_np.dtype)
    for y in np.ndindex(*indices_np.shape[1:]):
        index = tuple(y[:batch_dims]) + tuple(int(indices_np[(j,) + y]) for j in range(m))
        out[y] = a_np[index]
    return out


def strided_slice_python(data, begin, end, strides, slice_mode="end", axes=None):
    """numpy slicing with begin/end/strides per axis (slice_mode 'size': end holds sizes)."""
    strides = [] if strides is None else list(strides)
    slices = [slice(None)] * data.ndim
    axes = list(range(len(begin))) if axes is None else list(axes)
    for i, ax in enumerate(axes):
        b = begin[i] if i < len(begin) else None
        e = end[i] if i < len(end) else None
        if slice_mode == "size":
            if e is None or e < 0:
                slices[ax] = slice(b, None)
            else:
                start = b + data.shape[ax] if b < 0 else b
                slices[ax] = slice(start, start + e)
        else:
            s = strides[i] if i < len(strides) else 1
            slices[ax] = slice(b, e, s)
    return data[tuple(slices)]


def strided_set_python(data, v, begin, end, strides):
    """data with data[begin:end:strides] = v."""
    out = data.copy()
    strides = [] if strides is None else list(strides)
    strides = strides + [1] * (len(begin) - len(strides))
    slices = [slice(b, e, s) for b, e, s in zip(begin, end, strides)]
    out[tuple(slices)] = v
    return out


def slice_axis_python(data, axis, begin, end=None):
    """data[begin:end] along axis."""
    slices = [slice(None)] * data.ndim
    slices[axis] = slice(begin, end)
    return data[tuple(slices)]


def sequence_mask(data, valid_length, mask_value, axis):
    """Items along axis at or past valid_length[batch] replaced with mask_value."""
    out = data.copy()
    max_len = data.shape[axis]
    batch_axis = 1 - axis
    positions = np.arange(max_len)
    for b in range(data.shape[batch_axis]):
        masked = positions >= valid_length[b]
        index = [slice(None)] * data.ndim
        index[batch_axis] = b
        index[axis] = masked
        out[tuple(index)] = mask_value
    return out


def one_hot(indices, on_value, off_value, depth, axis, dtype):
    """The one-hot encoding of indices with the new axis of size depth at axis (-1: last)."""
    hot = np.arange(depth).reshape((1,) * indices.ndim + (depth,)) == indices[..., None]
    out = np.where(hot, on_value, off_value).astype(dtype)
    if axis != -1:
        out = np.moveaxis(out, -1, axis)
    return out


def matrix_set_diag(input_np, diagonal, k=0, align="RIGHT_LEFT"):
    """input with diagonals k (int or (low, high)) taken from diagonal, packed as align says."""
    out = np.array(input_np, copy=True)
    k1, k2 = (k, k) if np.isscalar(k) else (int(k[0]), int(k[1]))
    rows, cols = input_np.shape[-2:]
    max_len = min(rows + min(k2, 0), cols - max(k1, 0))
    super_right = align in ("RIGHT_LEFT", "RIGHT_RIGHT")
    sub_right = align in ("LEFT_RIGHT", "RIGHT_RIGHT")
    for d in range(k1, k2 + 1):
        length = min(rows + min(d, 0), cols - max(d, 0))
        right = super_right if d >= 0 else sub_right
        offset = max_len - length if right else 0
        for n in range(length):
            r, c = (n, n + d) if d >= 0 else (n - d, n)
            if k1 == k2:
                out[..., r, c] = diagonal[..., n + offset]
            else:
                out[..., r, c] = diagonal[..., k2 - d, n + offset]
    return out
