# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""tvm.build: lower (when needed) and generate code for a target."""
from .._ffi.registry import get_global_func
from ..ir.module import IRModule
from ..runtime.object import Object
from .build_module import lower


def build(inputs, args=None, target=None, target_host=None, runtime=None, name="default_function", binds=None):
    """Compile a schedule, PrimFunc or IRModule into a runtime module.

    The result runs at once (LLVM's ORC JIT for "llvm" targets); call
    `export_library` on it to write a shared library.

    Parameters
    ----------
    inputs : te.Schedule, tir.PrimFunc or IRModule
    args : list of te.Tensor, tir.Buffer or tir.Var (needed for a schedule)
    target : str or tvm.target.Target, default "llvm"
    target_host : str or Target, optional; the host of a device target
    name : str; the function's name for a schedule
    binds : dict of te.Tensor -> tir.Buffer, optional
    """
    from ..target import Target

    if target is None:
        target = Target.current() or "llvm"
    if not isinstance(target, Target):
        target = Target(target)
    if target_host is not None:
        target = Target(target, host=target_host)
    type_key = inputs.type_key if isinstance(inputs, Object) else None
    if type_key == "Schedule":
        if args is None:
            raise ValueError("tvm.build of a te.Schedule needs args: the tensors (and vars) of the function")
        mod = lower(inputs, args, name=name, binds=binds)
    elif type_key == "tir.PrimFunc":
        func = inputs
        if func.attrs is None or "global_symbol" not in func.attrs:
            func = func.with_attr("global_symbol", name)
        mod = lower(func, name=name)
    elif isinstance(inputs, IRModule):
        mod = lower(inputs)
    else:
        raise TypeError(f"tvm.build expects a te.Schedule, tir.PrimFunc or IRModule, got {type(inputs).__name__}")
    return get_global_func("driver.build")(mod, target)
