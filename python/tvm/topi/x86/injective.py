# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Injective (elementwise, broadcast, layout) schedules for x86.

The generic schedule fuses every axis of the output and cuts the result into vectors, so a
value that varies per row only (layer_norm's mean and 1/sqrt(var + eps), a per-row scale) is
recomputed for every vector, behind a division and a modulo of the fused index. Here, when
the innermost axis holds whole vectors: the outer axes are fused and run in parallel, the
innermost axis is walked in full-width vectors inside each row, so per-row values are
computed once per row (LLVM hoists them) and the addresses are affine.

    out[r, k]  ->  for r in parallel:  for ko:  out[r, ko*L : ko*L + L] = f(...)

Other shapes (a short or odd innermost axis, a single row, several outputs, extern
producers) keep the generic schedule.
"""
from ... import te
from .. import tag as _tag
from ..utils import get_const_tuple
from . import utils as _utils

# Fewer rows than this and the generic schedule (which splits the whole output) is kept.
MIN_ROWS = 4


def _lanes(n, dtype):
    bits = int("".join(ch for ch in str(dtype) if ch.isdigit()) or 32)
    lanes = max(1, _utils.get_simd_32bit_lanes() * 32 // bits)
    while lanes > 1 and n % lanes:
        lanes //= 2
    return lanes


def schedule_injective(outs):
    """See the module docstring."""
    from ..generic import injective as _generic  # pylint: disable=import-outside-toplevel

    outs = [outs] if isinstance(outs, te.Tensor) else list(outs)
    if len(outs) != 1 or not isinstance(outs[0].op, te.ComputeOp):
        return _generic.schedule_injective(outs)
    out = outs[0]
    shape = get_const_tuple(out.shape)
    if len(shape) < 2 or not all(isinstance(d, int) for d in shape):
        return _generic.schedule_injective(outs)
    rows = 1
    for d in shape[:-1]:
        rows *= d
    lanes = _lanes(shape[-1], out.dtype)
    if rows < MIN_ROWS or lanes < 4:
        return _generic.schedule_injective(outs)
    producers, stack, seen = [], [t.op for t in out.op.input_tensors], set()
    while stack:
        op = stack.pop()
        if op in seen:
            continue
        seen.add(op)
        if isinstance(op, te.ComputeOp):
            if op.reduce_axis or not _tag.is_injective(op.tag):
                return _generic.schedule_injective(outs)
            producers.append(op)
            stack.extend(t.op for t in op.input_tensors)
        elif not isinstance(op, te.PlaceholderOp):
            return _generic.schedule_injective(outs)  # an extern op's output stays materialised
    s = te.create_schedule([out.op])
    for op in producers:
        s[op].compute_inline()
    axes = list(s[out].op.axis)
    row = s[out].fuse(*axes[:-1]) if len(axes) > 2 else axes[0]
    s[out].parallel(row)
    _, inner = s[out].split(axes[-1], factor=lanes)
    s[out].vectorize(inner)
    return s
