# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Windowed pools in blocked NCHW[x]c layouts for x86 CPUs.

topi.nn.pool2d computes a padded copy of the input (pad_temp), the window reduction (pool_max or
pool_sum) and, for averages, the division by the window's count. In NCHW[x]c the channels of a
block are innermost, so every window step is one vector operation over the block: the schedule
runs parallel tasks of (batch, channel block, row group), each padding the input rows it reads
(cache-local) and reducing each output pixel's window, unrolled, in a vector register before
it is stored (divided, for averages). Other layouts and fused outputs take the generic schedule.
"""
from ... import te
from ..._ffi.registry import get_global_func
from ...target import Target

__all__ = ["schedule_pool"]


def schedule_pool(outs, layout):
    """Schedule a max/avg pool2d whose layout is blocked (NCHW16c); others: the generic schedule
    (C++: include/tvm/topi/x86/pooling.h)."""
    outs = [outs] if isinstance(outs, te.Tensor) else list(outs)
    return get_global_func("topi.x86.schedule_pool")(Target.current(allow_none=True), outs, str(layout))
