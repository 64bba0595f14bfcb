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
from ..._ffi.registry import get_global_func
from ...target import Target


def schedule_reduce(outs):
    """Schedule a fused function of one reduction (and injective ops before and after it):
    see the module docstring; anything else gets the generic reduction schedule (C++:
    include/tvm/topi/x86/reduction.h)."""
    outs = [outs] if isinstance(outs, te.Tensor) else list(outs)
    return get_global_func("topi.x86.schedule_reduce")(Target.current(allow_none=True), outs)
