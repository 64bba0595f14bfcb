# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Helpers the Relay backend exposes under TVM's names (relay.backend._backend)."""
from ..._ffi.registry import get_global_func
from ...ir import IRModule
from ...target import Target


def build(mod, target, target_host=None):
    """Generate code for lowered kernels: mod is an IRModule of lowered PrimFuncs (what
    GraphExecutorCodegen.codegen returns per target) or {target: IRModule}. Returns the
    runtime module (device modules imported into the host's)."""
    items = mod.items() if isinstance(mod, dict) else [(target, mod)]
    built = []
    for tgt, lowered in items:
        tgt = tgt if isinstance(tgt, Target) else Target(tgt)
        if target_host is not None:
            tgt = Target(tgt, host=target_host)
        if not isinstance(lowered, IRModule):
            raise TypeError("relay.backend._backend.build expects IRModules of lowered kernels, got %s"
                            % type(lowered).__name__)
        built.append((tgt, get_global_func("driver.build")(lowered, tgt)))
    if not built:
        raise ValueError("relay.backend._backend.build: nothing to build")
    hosts = [m for t, m in built if t.kind.name in ("llvm", "c")]
    root = hosts[0] if hosts else built[0][1]
    for _, module in built:
        if not module.same_as(root):
            root.import_module(module)
    return root
