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
from ... import te, tir
from .. import tag as _tag
from ..utils import get_const_tuple
from . import utils as _utils
from ._schedule_utils import elementwise_from

SOFTMAX_TAG = "softmax_output"


def _lanes_dividing(n, dtype):
    lanes = _utils.get_simd_32bit_lanes() if dtype == "float32" else 1
    while lanes > 1 and n % lanes:
        lanes //= 2
    return max(lanes, 1)


def supports(shape, axis, dtype):
    """Whether softmax(x, axis) of this shape and dtype has the vectorised implementation: the
    last axis, float32; any extent may be symbolic (relay.Any())."""
    if dtype != "float32" or not shape:
        return False
    return axis in (-1, len(shape) - 1)


def softmax(x, axis=-1):
    """Softmax of float32 x along its last axis (see the module docstring)."""
    from .. import math as _math  # pylint: disable=import-outside-toplevel

    shape = get_const_tuple(x.shape)
    if not supports(shape, axis, x.dtype):
        raise ValueError(f"topi.x86.softmax: needs a float32 tensor and the last axis; got "
                         f"shape {list(shape)}, dtype {x.dtype}, axis {axis}")
    rows, n = shape[:-1], shape[-1]
    if not isinstance(n, int):
        return _softmax_symbolic(x, rows, n)
    lanes = _lanes_dividing(n, x.dtype)
    blocks = n // lanes
    b = te.reduce_axis((0, blocks), name="b")
    partial_max = te.compute(rows + (lanes,), lambda *i: te.max(x[i[:-1] + (b * lanes + i[-1],)], axis=b),
                             name="softmax_partial_max")
    lm = te.reduce_axis((0, lanes), name="lm")
    row_max = te.compute(rows, lambda *r: te.max(partial_max[r + (lm,)], axis=lm), name="softmax_max")
    shifted = te.compute(shape, lambda *i: x[i] - row_max[i[:-1]], name="softmax_shifted", tag=_tag.ELEMWISE)
    e = _math.fast_exp(shifted)
    b2 = te.reduce_axis((0, blocks), name="b2")
    partial_sum = te.compute(rows + (lanes,), lambda *i: te.sum(e[i[:-1] + (b2 * lanes + i[-1],)], axis=b2),
                             name="softmax_partial_sum")
    ls = te.reduce_axis((0, lanes), name="ls")
    row_sum = te.compute(rows, lambda *r: te.sum(partial_sum[r + (ls,)], axis=ls), name="softmax_sum")
    return te.compute(shape, lambda *i: e[i] * (tir.const(1.0, x.dtype) / row_sum[i[:-1]]), name="T_softmax_norm",
                      tag=SOFTMAX_TAG, attrs={"softmax_lanes": lanes})


def _softmax_symbolic(x, rows, n):
    """The same stages for a symbolic last extent n: L = the full vector width, the blocks
    ceil(n / L), each lane's reduction guarded by likely(b*L + l < n) (lanes past n keep the
    reduction's identity). LoopPartition then runs the n // L whole blocks unguarded, in vectors,
    and peels the last block into a guarded scalar tail."""
    from .. import math as _math  # pylint: disable=import-outside-toplevel

    shape = rows + (n,)
    lanes = _utils.get_simd_32bit_lanes()
    blocks = tir.indexdiv(n + (lanes - 1), lanes)

    def inside(blk, lane):
        return tir.likely(blk * lanes + lane < n)

    b = te.reduce_axis((0, blocks), name="b")
    partial_max = te.compute(
        rows + (lanes,), lambda *i: te.max(x[i[:-1] + (b * lanes + i[-1],)], axis=b, where=inside(b, i[-1])),
        name="softmax_partial_max")
    lm = te.reduce_axis((0, lanes), name="lm")
    row_max = te.compute(rows, lambda *r: te.max(partial_max[r + (lm,)], axis=lm), name="softmax_max")
    shifted = te.compute(shape, lambda *i: x[i] - row_max[i[:-1]], name="softmax_shifted", tag=_tag.ELEMWISE)
    e = _math.fast_exp(shifted)
    b2 = te.reduce_axis((0, blocks), name="b2")
    partial_sum = te.compute(
        rows + (lanes,), lambda *i: te.sum(e[i[:-1] + (b2 * lanes + i[-1],)], axis=b2, where=inside(b2, i[-1])),
        name="softmax_partial_sum")
    ls = te.reduce_axis((0, lanes), name="ls")
    row_sum = te.compute(rows, lambda *r: te.sum(partial_sum[r + (ls,)], axis=ls), name="softmax_sum")
    return te.compute(shape, lambda *i: e[i] * (tir.const(1.0, x.dtype) / row_sum[i[:-1]]), name="T_softmax_norm",
                      tag=SOFTMAX_TAG, attrs={"softmax_lanes": lanes})


def _find_softmax(outs):
    seen, stack = set(), [t.op for t in outs]
    while stack:
        op = stack.pop()
        if op in seen:
            continue
        seen.add(op)
        if isinstance(op, te.ComputeOp) and op.tag == SOFTMAX_TAG and "softmax_lanes" in op.attrs:
            return op
        stack.extend(t.op for t in op.input_tensors)
    return None


def _vectorize_last(s, stage_op, lanes):
    axis = s[stage_op].op.axis[-1]
    if lanes > 1:
        _, inner = s[stage_op].split(axis, factor=lanes)
        s[stage_op].vectorize(inner)


def schedule_softmax(outs):
    """Schedule a fused function around topi.x86.softmax (see the module docstring); other
    softmax computes get the generic schedule."""
    from ..generic import injective as _generic  # pylint: disable=import-outside-toplevel

    outs = [outs] if isinstance(outs, te.Tensor) else list(outs)
    norm = _find_softmax(outs)
    if norm is None or len(outs) != 1 or not elementwise_from(outs[0].op, norm, get_const_tuple(norm.output(0).shape)):
        return _generic.schedule_reduce(outs)
    out = outs[0].op
    s = te.create_schedule([out])
    lanes = int(norm.attrs["softmax_lanes"])
    # Stages of the softmax, found from the output by name (the compute above made them).
    stages = {}
    stack, seen = [out], set()
    while stack:
        op = stack.pop()
        if op in seen or not isinstance(op, te.ComputeOp):
            continue
        seen.add(op)
        stages.setdefault(op.name, op)
        stack.extend(t.op for t in op.input_tensors)
    e = next(op for op in stages.values() if op.input_tensors and op.input_tensors[0].op.name == "softmax_shifted")
    # Everything injective but the exp (the row buffer) is computed where it is used: the shift
    # inside the exp, the normalisation and what follows it in the output's loop.
    for op in seen:
        if op not in (out, e) and not op.reduce_axis and (op == norm or _tag.is_injective(op.tag)):
            s[op].compute_inline()
    row_axes = list(s[out].op.axis[:-1])
    if row_axes:
        row = s[out].fuse(*row_axes) if len(row_axes) > 1 else row_axes[0]
        s[out].parallel(row)
    else:
        row = None
    _vectorize_last(s, out, lanes)
    for name in ("softmax_partial_max", "softmax_max", "softmax_partial_sum", "softmax_sum"):
        op = stages[name]
        if row is not None:
            s[op].compute_at(s[out], row)
        if name.startswith("softmax_partial"):
            # The L accumulators in one vector register, the blocks of the row the loop around it.
            (blk,) = s[op].op.reduce_axis
            lane = s[op].op.axis[-1]
            s[op].reorder(blk, lane)
            s[op].vectorize(lane)
            s[op].set_scope("local")
        else:
            s[op].set_scope("local")
    if row is not None:
        s[e].compute_at(s[out], row)
    s[e].set_scope("local")
    _vectorize_last(s, e, lanes)
    return s

