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
    inputs : te.Schedule, tir.PrimFunc, IRModule, a list of IRModules or PrimFuncs
        (built as one module), or {target: IRModule or PrimFunc}
        With a dict each module is built for its target; the modules of
        device targets are imported into the host's, which is returned.
    args : list of te.Tensor, tir.Buffer or tir.Var (needed for a schedule)
    target : str or tvm.target.Target, default "llvm"
    target_host : str or Target, optional; the host of a device target
    name : str; the function's name for a schedule
    binds : dict of te.Tensor -> tir.Buffer, optional
    """
    from ..target import Target

    if isinstance(inputs, dict):
        return _build_per_target(inputs, target_host)
    if isinstance(inputs, (list, tuple)):
        inputs = _merge_modules(inputs)
    if target is None:
        target = Target.current() or "llvm"
    if not isinstance(target, Target):
        target = Target(target)
    if target_host is not None:
        target = Target(target, host=target_host)
    if runtime is not None and runtime.get("system-lib", False) and not target.attrs.get("system-lib", False):
        # The code registers itself with the program it is linked into ("runtime.SystemLib").
        target = Target(str(target) + " --system-lib", host=target.host)
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


def _merge_modules(items):
    """One IRModule holding the functions of a list of IRModules and PrimFuncs."""
    merged = IRModule({})
    for k, item in enumerate(items):
        if isinstance(item, Object) and item.type_key == "tir.PrimFunc":
            if item.attrs is None or "global_symbol" not in item.attrs:
                raise ValueError(f"tvm.build: PrimFunc {k} of the list has no global_symbol to name it by")
            item = IRModule({str(item.attrs["global_symbol"]): item})
        if not isinstance(item, IRModule):
            raise TypeError(f"tvm.build: a list must hold IRModules or PrimFuncs; item {k} is {type(item).__name__}")
        for gvar, func in item.functions.items():
            if gvar.name_hint in merged:
                raise ValueError(f"tvm.build: the function name {gvar.name_hint!r} appears twice in the list")
            merged.add(gvar, func)
    return merged


def _build_per_target(inputs, target_host=None):
    from ..target import Target

    if not inputs:
        raise ValueError("tvm.build: the dict of {target: module} is empty")
    built = []
    for target, mod in inputs.items():
        if isinstance(mod, Object) and mod.type_key == "tir.PrimFunc":
            mod = IRModule.from_expr(mod)
        if not isinstance(mod, IRModule):
            raise TypeError(
                f"tvm.build: the dict maps targets to IRModules or PrimFuncs; "
                f"got {type(mod).__name__} for target {target}"
            )
        target = target if isinstance(target, Target) else Target(target)
        if target_host is not None:
            target = Target(target, host=target_host)
        built.append((target, build(mod, target=target)))
    # The host module (CPU code) holds the others, as TVM's build does.
    host_kinds = ("llvm", "c")
    hosts = [m for t, m in built if t.kind.name in host_kinds]
    root = hosts[0] if hosts else built[0][1]
    for _, mod in built:
        if not mod.same_as(root):
            root.import_module(mod)
    return root
