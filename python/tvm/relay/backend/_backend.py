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


class StorageInfo:
    """Where the tensors of one expression live: storage_ids, device_types and storage_sizes
    (the bytes each tensor needs), one item per tensor."""

    def __init__(self, storage_ids, device_types, storage_sizes):
        self.storage_ids = [int(i) for i in storage_ids]
        self.device_types = [int(d) for d in device_types]
        self.storage_sizes = [int(s) for s in storage_sizes]

    def __repr__(self):
        return "StorageInfo(ids=%s, devices=%s, sizes=%s)" % (self.storage_ids, self.device_types, self.storage_sizes)


class StaticMemoryPlan:
    """The graph executor's storage plan of a function: expr_to_storage_info {expr: StorageInfo}."""

    def __init__(self, expr_to_storage_info):
        self.expr_to_storage_info = expr_to_storage_info


def GraphPlanMemory(func):  # pylint: disable=invalid-name
    """The storage plan relay.build's graph codegen makes for func (a type-inferred, usually
    fused, relay.Function): which storage each parameter, constant and call result takes."""
    plan = get_global_func("relay.backend._GraphPlanMemory")(func)
    return StaticMemoryPlan({expr: StorageInfo(*info) for expr, info in plan.items()})
