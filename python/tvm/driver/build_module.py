# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""tvm.lower: a TE schedule, a PrimFunc or an IRModule -> the lowered IRModule.

The pipeline itself is C++ (src/driver/driver_api.cc); this module only
dispatches on the input kind.
"""
from .._ffi.registry import get_global_func
from ..ir.module import IRModule
from ..runtime.object import Object


def _driver(name):
    return get_global_func("driver." + name)


def schedule_to_module(sch, args=None, name="main", binds=None):
    """The IRModule a schedule stands for, before any lowering pass: one
    PrimFunc `name` over `args` (tensors, buffers and vars; none by default),
    the other tensors realized as buffers. For tests of single passes; use tvm.lower otherwise."""
    if not (isinstance(sch, Object) and sch.type_key == "Schedule"):
        raise TypeError(f"schedule_to_module expects a te.Schedule, got {type(sch).__name__}")
    return _driver("schedule_to_module")(sch, list(args or []), name, dict(binds) if binds else None)


def lower(inp, args=None, name="main", binds=None, simple_mode=False):
    """Lower a schedule, PrimFunc or IRModule to the loop IR that code generators take.

    Parameters
    ----------
    inp : te.Schedule, tir.PrimFunc or IRModule
    args : list of te.Tensor, tir.Buffer or tir.Var
        The function's arguments, in order (required for a schedule).
    name : str
        The name of the function (its "global_symbol").
    binds : dict of te.Tensor -> tir.Buffer, optional
        Buffers to use for some tensors instead of fresh compact ones.
    simple_mode : bool
        Skip LoopPartition, for a compact listing.

    Returns
    -------
    IRModule
    """
    if isinstance(inp, IRModule):
        return _driver("lower_module")(inp, simple_mode)
    type_key = inp.type_key if isinstance(inp, Object) else None
    if type_key == "tir.PrimFunc":
        return _driver("lower_primfunc")(inp, name, simple_mode)
    if type_key == "Schedule":
        if args is None:
            raise ValueError("tvm.lower of a te.Schedule needs args: the tensors (and vars) of the function")
        return _driver("lower_schedule")(inp, list(args), name, dict(binds) if binds else None, simple_mode)
    raise TypeError(
        f"tvm.lower expects a te.Schedule, tir.PrimFunc or IRModule, got {type(inp).__name__}"
    )
