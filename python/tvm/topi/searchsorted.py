# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""topi.searchsorted: a binary search per value over the innermost axis of a sorted sequence.

The search is unrolled into ceil(log2(n + 1)) steps of a TE expression; each
step's bounds are let-bound, so the expression grows linearly with the steps.
"""
import math

from .. import te, tir

__all__ = ["searchsorted"]


def searchsorted(sorted_sequence, values, right=False, out_dtype="int64"):
    """Indices (shape of values, out_dtype) where values would be inserted into the innermost
    axis of sorted_sequence: the first such position, or the last one with right=True."""
    seq_shape = [int(d) for d in sorted_sequence.shape]
    if not seq_shape:
        raise ValueError("topi.searchsorted: sorted_sequence must have at least one axis")
    nested = len(seq_shape) > 1
    if nested and (len(values.shape) != len(seq_shape) or
                   [int(d) for d in values.shape[:-1]] != seq_shape[:-1]):
        raise ValueError(f"topi.searchsorted: sorted_sequence {tuple(seq_shape)} and values "
                         f"{tuple(int(d) for d in values.shape)} must share their outer axes")
    n = seq_shape[-1]
    steps = max(1, math.ceil(math.log2(n + 1)))

    def body(*idx):
        value = values(*idx)
        outer = list(idx[:-1]) if nested else []

        def at(pos):
            return sorted_sequence(*(outer + [tir.min(pos, n - 1)]))

        lo = tir.const(0, "int32")
        hi = tir.const(n, "int32")
        bounds = []
        for step in range(steps):
            lo_v, hi_v = tir.Var(f"lo{step}", "int32"), tir.Var(f"hi{step}", "int32")
            mid = (lo_v + hi_v) // 2
            # go right of mid while the element there is below (or, for right, not above) the value
            go_right = at(mid) <= value if right else at(mid) < value
            active = lo_v < hi_v
            bounds.append((lo_v, lo, hi_v, hi))
            lo = tir.Select(tir.all(active, go_right), mid + 1, lo_v)
            hi = tir.Select(tir.all(active, tir.Not(go_right)), mid, hi_v)
        result = tir.Cast(out_dtype, lo)
        for lo_v, lo_e, hi_v, hi_e in reversed(bounds):
            result = tir.Let(lo_v, lo_e, tir.Let(hi_v, hi_e, result))
        return result

    return te.compute(values.shape, body, name="searchsorted", tag="searchsorted")
