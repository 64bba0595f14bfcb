# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Injective (elementwise, broadcast, layout) schedules for x86 (C++: include/tvm/topi/x86/injective.h).

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
from ..._ffi.registry import get_global_func
from ...target import Target


def schedule_injective(outs):
    """See the module docstring (the schedule is C++: src/topi/x86/injective.cc)."""
    outs = [outs] if isinstance(outs, te.Tensor) else list(outs)
    return get_global_func("topi.x86.schedule_injective")(Target.current(allow_none=True), outs)
