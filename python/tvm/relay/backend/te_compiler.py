# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""The TE compiler: a primitive Relay function -> one lowered kernel.

Each operator of the function is computed through its FTVMCompute, the
function's outputs are scheduled with the master operator's FTVMSchedule, and
the result is lowered (src/relay/backend/te_compiler.cc). relay.build uses it
through the graph codegen; `lower` exposes it for one function.
"""
from ..._ffi.registry import get_global_func
from ...target import Target


def lower(func, target="llvm", mod_name="default"):
    """Lower one primitive function (attribute Primitive=1, type-inferred).

    Returns
    -------
    (name, mod, constants): the kernel's symbol, an IRModule holding its
    lowered PrimFunc, and the tensor constants the kernel takes as extra inputs
    after the parameters (its arguments are params, constants, then outputs).
    """
    if not isinstance(target, Target):
        target = Target(target)
    name, mod, constants = get_global_func("relay.backend._TECompilerLower")(func, target, mod_name)
    return str(name), mod, list(constants)
