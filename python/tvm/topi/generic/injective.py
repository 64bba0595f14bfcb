# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Schedules of injective operators and reductions, for the target in scope
(`with tvm.target.Target(...)`), llvm when none is."""
from ... import te as _te
from ...target import Target
from . import _ffi_api

__all__ = ["schedule_injective", "schedule_injective_from_existing", "schedule_elemwise",
           "schedule_broadcast", "schedule_reduce", "schedule_extern", "schedule_concatenate",
           "schedule_sort", "schedule_argsort", "schedule_topk", "schedule_scan"]


def _outs(outs):
    return [outs] if isinstance(outs, _te.Tensor) else list(outs)


def _target():
    return Target.current(allow_none=True)


def schedule_injective_from_existing(sch, out):
    """Schedule out's stage in sch as an injective op: fuse, parallelise, vectorise (CPU) or bind (GPU)."""
    return _ffi_api.schedule_injective_from_existing(sch, out, _target())


def schedule_injective(outs):
    """A schedule of injective outputs: producers inlined, each output's loops fused, the
    fused loop parallel and a short inner part vectorised where it divides evenly."""
    return _ffi_api.schedule_injective(_target(), _outs(outs))


schedule_elemwise = schedule_injective
schedule_broadcast = schedule_injective
schedule_concatenate = schedule_injective


def schedule_reduce(outs):
    """A schedule of reductions: injective producers inlined, each reduction's spatial
    loops fused and parallel."""
    return _ffi_api.schedule_reduce(_target(), _outs(outs))


def schedule_extern(outs):
    """A schedule of extern ops (sort, ...): injective producers inlined."""
    return _ffi_api.schedule_extern(_target(), _outs(outs))


schedule_sort = schedule_extern
schedule_argsort = schedule_extern
schedule_topk = schedule_extern
schedule_scan = schedule_extern
