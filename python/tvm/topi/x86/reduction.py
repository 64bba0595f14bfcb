# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Reductions for x86 (sum, mean, max, variance, ... and the ops fused after them).

The generic schedule reduces each output element with one scalar accumulator: a chain of
dependent adds that runs at one add per 4 cycles and does not vectorise (float addition is
not associative, so LLVM keeps the order). Here the innermost reduction axis is split by
the vector width L and factored out (rfactor): each output element keeps L partial results
in one vector register while the reduction walks the input in vectors, then folds the L
partials. The output elements (fused with what follows, e.g. mean's divide) run in
parallel. LayerNorm, which SimplifyInference expands into mean, variance and an
elementwise normalisation, is made of these.

    out[r] = g(R[r]),  R[r] = sum_k f(x[r, k])
      ->  for r in parallel:  P[0:L] = 0;  for ko: P[0:L] += f(x[r, ko*L : ko*L+L])
                              R = sum(P);  out[r] = g(R)

A symbolic (relay.Any()) innermost reduction extent n is split by the full vector width all the
same: the split's guard is likely(), so LoopPartition runs the n // L whole vectors unguarded
(vector partials) and peels the rest into a guarded scalar tail.
"""
from ... import te
from ... import tir
from .. import tag as _tag
from ..utils import get_const_tuple
from . import utils as _utils
from ._schedule_utils import elementwise_from


def _full_lanes(dtype):
    bits = int("".join(ch for ch in str(dtype) if ch.isdigit()) or 32)
    return max(1, _utils.get_simd_32bit_lanes() * 32 // bits)


def _lanes_dividing(extent, dtype):
    lanes = _full_lanes(dtype)
    while lanes > 1 and extent % lanes:
        lanes //= 2
    return lanes


def _provably_short(extent, dtype):
    """A symbolic extent known to stay below two vectors (e.g. min(n, 7)): left scalar."""
    from ... import arith  # pylint: disable=import-outside-toplevel

    return arith.Analyzer().can_prove(extent < 2 * _full_lanes(dtype))


def _single_reduction(outs):
    """The one reduction among the producers of outs (None when there are several, or an
    argmax-like tuple reduction)."""
    found, seen, stack = [], set(), [t.op for t in outs]
    while stack:
        op = stack.pop()
        if op in seen or not isinstance(op, te.ComputeOp):
            continue
        seen.add(op)
        if op.reduce_axis:
            found.append(op)
        stack.extend(t.op for t in op.input_tensors)
    if len(found) != 1 or found[0].num_outputs != 1 or found[0].tag == _tag.COMM_REDUCE_IDX:
        return None, seen
    return found[0], seen


def schedule_reduce(outs):
    """Schedule a fused function of one reduction (and injective ops before and after it):
    see the module docstring. Anything else gets the generic reduction schedule."""
    from ..generic import injective as _generic  # pylint: disable=import-outside-toplevel

    outs = [outs] if isinstance(outs, te.Tensor) else list(outs)
    reduce_op, ops = _single_reduction(outs)
    if reduce_op is None or len(outs) != 1:
        return _generic.schedule_reduce(outs)
    k_last = reduce_op.reduce_axis[-1]
    symbolic = not isinstance(k_last.dom.extent, tir.IntImm)
    if not all(isinstance(ax.dom.extent, tir.IntImm) for ax in reduce_op.reduce_axis[:-1]):
        return _generic.schedule_reduce(outs)  # a dynamic (relay.Any()) extent of an outer reduction axis
    if symbolic and _provably_short(k_last.dom.extent, reduce_op.output(0).dtype):
        return _generic.schedule_reduce(outs)
    out = outs[0].op
    reduced_shape = get_const_tuple(reduce_op.output(0).shape)
    if out != reduce_op and not elementwise_from(out, reduce_op, reduced_shape):
        return _generic.schedule_reduce(outs)
    if symbolic:
        # A relay.Any() extent: full vectors, split without knowing whether they divide it; the
        # split's guard is likely(), so LoopPartition keeps the whole vectors unguarded (vector
        # partials) and peels the last, partial one into a guarded scalar tail.
        lanes = _full_lanes(reduce_op.output(0).dtype)
        extent = 2 * lanes
    else:
        extent = int(k_last.dom.extent)
        lanes = _lanes_dividing(extent, reduce_op.output(0).dtype)
    s = te.create_schedule([out])
    for op in ops:
        if op not in (out, reduce_op) and _tag.is_injective(op.tag):
            s[op].compute_inline()
    factored = None
    if lanes > 1 and extent >= 2 * lanes:
        _, k_inner = s[reduce_op].split(k_last, factor=lanes)
        factored = s.rfactor(reduce_op.output(0), k_inner)
    axes = list(s[out].op.axis)
    row = None
    if axes:
        row = s[out].fuse(*axes) if len(axes) > 1 else axes[0]
        s[out].parallel(row)
    if out != reduce_op and row is not None:
        s[reduce_op].compute_at(s[out], row)
        s[reduce_op].set_scope("local")
    if factored is not None:
        stage = s[factored]
        if row is not None:
            stage.compute_at(s[out], row)
        lane = stage.op.axis[0]
        stage.reorder(*stage.op.reduce_axis, lane)
        stage.vectorize(lane)
        stage.set_scope("local")
    return s
