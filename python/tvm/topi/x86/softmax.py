# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Softmax along the last axis for x86: one pass per row over data in L1, in vectors.

Compute (n = the last extent, L = the widest vector length dividing n, up to a register):

    partial_max[r, l] = max_b x[r, b*L + l]          L running maxima per row
    row_max[r]        = max_l partial_max[r, l]
    e[r, k]           = fast_exp(x[r, k] - row_max[r])   (float32 polynomial, rel. error ~1e-7)
    partial_sum[r, l] = sum_b e[r, b*L + l]
    row_sum[r]        = sum_l partial_sum[r, l]
    out[r, k]         = e[r, k] * (1 / row_sum[r])

The generic softmax reduces with one scalar accumulator per row and computes exp twice;
here each reduction keeps L accumulators (a vector register) and exp is computed once,
into a row buffer on the stack. Schedule: rows in parallel; every stage computed at the row.
Elementwise ops fused after the softmax (a broadcast_to, a cast) run in the output loop.
"""
from ... import te
from ..._ffi.registry import get_global_func
from ...target import Target

SOFTMAX_TAG = "softmax_output"


def supports(shape, axis, dtype):
    """Whether softmax(x, axis) of this shape and dtype has the vectorised implementation: the
    last axis, float32; any extent may be symbolic (relay.Any())."""
    if not shape:
        return False
    return bool(get_global_func("topi.x86.softmax_supports")(list(shape), int(axis), str(dtype)))


def softmax(x, axis=-1):
    """Softmax of float32 x along its last axis (see the module docstring; C++:
    include/tvm/topi/x86/softmax.h)."""
    return get_global_func("topi.x86.softmax")(x, int(axis), Target.current(allow_none=True))


def schedule_softmax(outs):
    """Schedule a fused function around topi.x86.softmax (see the module docstring); other
    softmax computes get the generic schedule."""
    outs = [outs] if isinstance(outs, te.Tensor) else list(outs)
    return get_global_func("topi.x86.schedule_softmax")(Target.current(allow_none=True), outs)
