# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""topi.searchsorted: a binary search per value over the innermost axis of a sorted sequence.

An extern stage: each value runs a while loop that halves [lo, hi) until it
is empty, so the work is O(log n) per value and the code does not grow with n.
"""
from .. import te, tir
from ..tir import ir_builder

__all__ = ["searchsorted"]


def _extents(shape):
    """Python ints when every extent is a constant, else int64 PrimExprs (relay.Any() dims)."""
    if all(isinstance(d, (int, tir.IntImm)) for d in shape):
        return [int(d) for d in shape]
    return [tir.const(int(d), "int64") if isinstance(d, (int, tir.IntImm)) else d.astype("int64") for d in shape]


def searchsorted(sorted_sequence, values, right=False, out_dtype="int64"):
    """Indices (shape of values, out_dtype) where values would be inserted into the innermost
    axis of sorted_sequence: the first such position, or the last one with right=True."""
    seq_shape = _extents(sorted_sequence.shape)
    val_shape = _extents(values.shape)
    if not seq_shape:
        raise ValueError("topi.searchsorted: sorted_sequence must have at least one axis")
    nested = len(seq_shape) > 1
    # Extents known only at run time (relay.Any()) are the caller's to match.
    if nested and (len(val_shape) != len(seq_shape) or any(
            isinstance(a, int) and isinstance(b, int) and a != b for a, b in zip(val_shape[:-1], seq_shape[:-1]))):
        raise ValueError(f"topi.searchsorted: sorted_sequence {tuple(seq_shape)} and values "
                         f"{tuple(val_shape)} must share their outer axes")
    n = seq_shape[-1]
    count = 1
    for d in val_shape:
        count = count * d
    if nested and val_shape:
        per_row = val_shape[-1]
    else:
        per_row = max(count, 1) if isinstance(count, int) else tir.max(count, tir.const(1, "int64"))
    # The search keeps lo/hi in the index type of the extents.
    index_dtype = "int32" if isinstance(n, int) else "int64"

    def body(ins, outs):
        ib = ir_builder.create()
        seq, vals, out = ib.buffer_ptr(ins[0]), ib.buffer_ptr(ins[1]), ib.buffer_ptr(outs[0])
        with ib.for_range(0, count, name="i", kind="parallel") as i:
            base = (i // per_row) * n if nested else 0
            lo = ib.allocate(index_dtype, (1,), name="lo", scope="local")
            hi = ib.allocate(index_dtype, (1,), name="hi", scope="local")
            lo[0] = tir.const(0, index_dtype)
            hi[0] = n
            value = vals[i]
            with ib.while_loop(lo[0] < hi[0]):
                mid = (lo[0] + hi[0]) // 2
                # right of mid while the element there is below (right: not above) the value
                go_right = seq[base + mid] <= value if right else seq[base + mid] < value
                with ib.if_scope(go_right):
                    lo[0] = mid + 1
                with ib.else_scope():
                    hi[0] = mid
            out[i] = tir.Cast(out_dtype, lo[0])
        return ib.get()

    return te.extern([values.shape], [sorted_sequence, values], body, dtype=[out_dtype], name="searchsorted",
                     tag="searchsorted")
