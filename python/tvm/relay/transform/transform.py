# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Relay passes. Pass, Sequential and PassContext are tvm.transform's, re-exported
here as TVM does."""
from ...ir.transform import PassContext, PassInfo, Pass, ModulePass, Sequential, module_pass  # noqa: F401
from . import _ffi_api


def InferType():
    """The type inference pass: fills checked_type of every expression of every Relay
    function of the module. Raises tvm.error.DiagnosticError listing every type error
    found (operator, argument types, span).
    """
    return _ffi_api.InferType()


def InferTypeLocal(expr):
    """Infer the type of one expression outside a module; sets checked_type on it and
    its subexpressions and returns its type."""
    return _ffi_api.InferTypeLocal(expr)


__all__ = ["InferType", "InferTypeLocal", "PassContext", "PassInfo", "Pass", "ModulePass", "Sequential",
           "module_pass"]
