# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Questions asked of loop IR without changing it (tvm.tir.analysis)."""
from .._ffi.registry import get_global_func
from ..ir.module import IRModule
from .function import PrimFunc


def _api(name):
    return get_global_func("tir.analysis." + name)


def expr_deep_equal(lhs, rhs):
    """Whether two expressions are the same tree, variables compared by identity
    (unlike structural_equal, which may map variables)."""
    return bool(_api("expr_deep_equal")(lhs, rhs))


def undefined_vars(node, defs=None):
    """The variables a statement or expression uses without defining them (and
    that are not in `defs`), in order of first use."""
    return list(_api("UndefinedVars")(node, list(defs) if defs is not None else None))


def verify_ssa(func):
    """Whether every variable of the PrimFunc is defined once."""
    if not isinstance(func, PrimFunc):
        raise TypeError(f"verify_ssa expects a tir.PrimFunc, got {type(func).__name__}")
    return bool(_api("verify_ssa")(func))


def calculate_allocated_bytes(func_or_mod):
    """Bytes each storage scope allocates: {scope: bytes} for a PrimFunc, or
    {function name: {scope: bytes}} for an IRModule."""
    if not isinstance(func_or_mod, (PrimFunc, IRModule)):
        raise TypeError(
            f"calculate_allocated_bytes expects a PrimFunc or an IRModule, got {type(func_or_mod).__name__}"
        )
    return _api("calculate_allocated_bytes")(func_or_mod)
