# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""The TE compiler: a primitive Relay function -> one lowered kernel.

Each operator of the function is computed through its FTVMCompute, the
function's outputs are scheduled with the master operator's FTVMSchedule, and
the result is lowered (src/relay/backend/te_compiler.cc). relay.build uses it
through the graph codegen; `lower` exposes it for one function, and `get()`
gives TVM's cached compiler object (lower / jit / clear / items).
"""
from ..._ffi.registry import get_global_func
from ...ir import IntImm
from ...target import Target


def _as_target(target):
    if target is None:
        target = Target.current() or "llvm"
    return target if isinstance(target, Target) else Target(target)


def _as_primitive(func):
    if func.attrs is None or "Primitive" not in func.attrs:
        func = func.with_attr("Primitive", IntImm("int32", 1))
    return func


def lower(func, target="llvm", mod_name="default"):
    """Lower one primitive function (attribute Primitive=1, type-inferred).

    Returns
    -------
    (name, mod, constants): the kernel's symbol, an IRModule holding its
    lowered PrimFunc, and the tensor constants the kernel takes as extra inputs
    after the parameters (its arguments are params, constants, then outputs).
    """
    name, mod, constants, _, _, _ = get_global_func("relay.backend._TECompilerLower")(
        func, _as_target(target), mod_name)
    return str(name), mod, list(constants)


class CachedFunc:
    """A lowered function: target, func_name, prim_fn_var, inputs and outputs (TE tensors;
    inputs are the flattened params then the constants), schedule, funcs (the IRModule of the
    lowered kernel) and constants."""

    def __init__(self, target, func_name, funcs, constants, inputs, outputs, schedule):
        self.target = target
        self.func_name = func_name
        self.funcs = funcs
        self.prim_fn_var = funcs.get_global_var(func_name)
        self.constants = constants
        self.inputs = inputs
        self.outputs = outputs
        self.schedule = schedule

    def same_as(self, other):
        return self is other


class TECompiler:
    """Lowers functions once per (structure, target) and keeps the results (and, for jit, the
    built kernels)."""

    def __init__(self):
        self._entries = {}  # (target, structural hash) -> [(func, CachedFunc, built or None)]

    def _find(self, func, target):
        from ...ir import structural_equal, structural_hash  # pylint: disable=import-outside-toplevel

        bucket = self._entries.setdefault((str(target), structural_hash(func)), [])
        for entry in bucket:
            if structural_equal(entry[0], func):
                return entry
        entry = [func, self._lower(func, target), None]
        bucket.append(entry)
        return entry

    @staticmethod
    def _lower(func, target):
        name, funcs, constants, inputs, outputs, schedule = get_global_func("relay.backend._TECompilerLower")(
            func, target, "default")
        return CachedFunc(target, str(name), funcs, list(constants), list(inputs), list(outputs), schedule)

    def lower(self, source_func, target=None, mod_name="default"):  # pylint: disable=unused-argument
        """The CachedFunc of source_func (a type-inferred relay.Function, treated as primitive)."""
        return self._find(_as_primitive(source_func), _as_target(target))[1]

    def jit(self, source_func, target=None):
        """The compiled kernel of source_func: call it with the inputs, then the outputs."""
        target = _as_target(target)
        entry = self._find(_as_primitive(source_func), target)
        if entry[2] is None:
            entry[2] = get_global_func("driver.build")(entry[1].funcs, target)
        return entry[2][entry[1].func_name]

    def clear(self):
        """Forget every lowered function."""
        self._entries.clear()

    def items(self):
        """[(source function, CachedFunc)] of everything lowered."""
        return [(e[0], e[1]) for bucket in self._entries.values() for e in bucket]


_GLOBAL = None


def get():
    """The process-wide TECompiler."""
    global _GLOBAL  # pylint: disable=global-statement
    if _GLOBAL is None:
        _GLOBAL = TECompiler()
    return _GLOBAL
