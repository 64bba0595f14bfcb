# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Windowed pools in blocked NCHW[x]c layouts for x86 CPUs.

topi.nn.pool2d computes a padded copy of the input (pad_temp), the window reduction (pool_max or
pool_sum) and, for averages, the division by the window's count. In NCHW[x]c the channels of a
block are innermost, so every window step is one vector operation over the block: the schedule
runs parallel tasks of (batch, channel block, row group), each padding the input rows it reads
(cache-local) and reducing each output pixel's window, unrolled, in a vector register before
it is stored (divided, for averages). Other layouts and fused outputs take the generic schedule.
"""
from ... import te, tir
from ..nn.schedules import default_schedule
from ..utils import get_const_tuple
from . import _schedule_utils as utils

__all__ = ["schedule_pool"]


def _find(op, tag):
    stack, seen = [op], set()
    while stack:
        op = stack.pop()
        if op in seen or not isinstance(op, te.ComputeOp):
            continue
        seen.add(op)
        if op.tag == tag:
            return op
        stack.extend(t.op for t in op.input_tensors)
    return None


def schedule_pool(outs, layout):
    """Schedule a max/avg pool2d whose layout is blocked (NCHW16c); others: the generic schedule."""
    outs = [outs] if isinstance(outs, te.Tensor) else list(outs)
    final = outs[0]
    blocked = any(c.islower() for c in str(layout))
    static = all(isinstance(d, (int, tir.IntImm)) for d in final.shape)
    if len(outs) != 1 or not blocked or len(final.shape) != 5 or not static:
        # relay.Any() extents (the VM): the generic schedule, which takes symbolic loops.
        return default_schedule(outs)
    if final.op.tag == "pool_max":
        pool = final.op
    else:
        pool = final.op if final.op.tag == "pool_sum" else None
        if pool is None and len(final.op.input_tensors) == 1 and final.op.input_tensors[0].op.tag == "pool_sum":
            pool = final.op.input_tensors[0].op
    if pool is None:
        return default_schedule(outs)
    s = te.create_schedule([final.op])
    lanes = utils.vector_lanes(final.dtype)
    block = get_const_tuple(final.shape)[4]
    vector = lanes if block > lanes and block % lanes == 0 else block
    n, chunks, out_h = get_const_tuple(final.shape)[:3]
    parts = 1
    while n * chunks * parts < 4 * utils.num_threads() and parts * 2 <= out_h:
        parts *= 2

    reduction = pool.output(0)
    b, c, y, x, cb = s[final].op.axis
    y_part, y_in = s[final].split(y, nparts=parts)
    c_vec, c_lane = s[final].split(cb, factor=vector)
    if reduction.op == final.op:
        kh, kw = s[final].op.reduce_axis
        s[final].reorder(b, c, y_part, y_in, x, c_vec, kh, kw, c_lane)
        s[final].unroll(kh)
        s[final].unroll(kw)
    else:
        s[final].reorder(b, c, y_part, y_in, x, c_vec, c_lane)
        # The window sum in a register, divided as it is stored.
        s[reduction].compute_at(s[final], x)
        rb, rc, ry, rx, rcb = s[reduction].op.axis
        r_vec, r_lane = s[reduction].split(rcb, factor=vector)
        kh, kw = s[reduction].op.reduce_axis
        s[reduction].reorder(rb, rc, ry, rx, r_vec, kh, kw, r_lane)
        s[reduction].unroll(kh)
        s[reduction].unroll(kw)
        s[reduction].vectorize(r_lane)
    task = s[final].fuse(b, c, y_part)
    s[final].parallel(task)
    s[final].vectorize(c_lane)
    padded = pool.input_tensors[0]
    if isinstance(padded.op, te.ComputeOp) and padded.op.name == "pad_temp":
        s[padded].compute_at(s[final], task)
        s[padded].vectorize(s[padded].op.axis[-1])
    return s
