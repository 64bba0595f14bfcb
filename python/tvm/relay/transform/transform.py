# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Relay passes. Pass, Sequential and PassContext are tvm.transform's, re-exported
here as TVM does."""
import functools
import inspect

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


def FuseOps(fuse_opt_level=-1):
    """Operator fusion: each group of calls that fuses (by the operators' patterns,
    TOpPattern, over the post-dominator tree) becomes a function with attribute
    Primitive=1, called where the group's result was used.

    Parameters
    ----------
    fuse_opt_level : int
        0 puts every operator alone in its own primitive function; -1 (the default)
        uses the current PassContext's opt_level.

    The PassContext config "relay.FuseOps.max_depth" (default 256) bounds the
    number of nodes in a group; "relay.FuseOps.link_params" keeps non-scalar
    constants inside the fused functions instead of passing them as arguments.
    """
    return _ffi_api.FuseOps(fuse_opt_level)


def DefuseOps():
    """The inverse of FuseOps: every call of a function literal (a fused group) is
    replaced by the function's body with the call's arguments for its parameters,
    so that DefuseOps(FuseOps(f)) equals f."""
    return _ffi_api.DefuseOps()


def AnnotateSpans():
    """A pass giving every expression a span: the module is printed in the Relay text
    format and parsed back, so that errors point at a line and column of that text."""

    def annotate(mod, ctx):  # pylint: disable=unused-argument
        from ... import parser  # pylint: disable=import-outside-toplevel

        return parser.parse(mod.astext(show_meta_data=True), "GeneratedSource")

    return module_pass(annotate, opt_level=0, name="AnnotateSpans")


# A function pass is a module pass (made in C++, relay._transform.MakeFunctionPass) that
# rewrites each Relay function of the module in turn, skipping fused (Primitive) functions
# and other compilers' functions, then type-checks the result as TVM does.
FunctionPass = ModulePass


def _make_function_pass(transform_function, info):
    return _ffi_api.MakeFunctionPass(transform_function, info)


def function_pass(pass_func=None, opt_level=None, name=None, required=None, traceable=False):
    """Make a pass that rewrites each Relay function of a module: pass_func(func, mod, ctx)
    -> func, or a class with transform_function(self, func, mod, ctx). Usable as a decorator:

        @relay.transform.function_pass(opt_level=1)
        def my_pass(func, mod, ctx): ...
    """
    if opt_level is None:
        raise ValueError("function_pass needs an opt_level")
    required = list(required or [])

    def create(func):
        fname = name if name else func.__name__
        info = PassInfo(opt_level, fname, required, traceable)
        if inspect.isclass(func):

            class PyFunctionPass(ModulePass):
                def __init__(self, *args, **kwargs):
                    inst = func(*args, **kwargs)
                    self.__init_handle_by_constructor__(_make_function_pass, inst.transform_function, info)
                    self._inst = inst

                def __getattr__(self, attr):
                    return getattr(self._inst, attr)

            functools.update_wrapper(PyFunctionPass.__init__, func.__init__)
            PyFunctionPass.__name__ = func.__name__
            PyFunctionPass.__doc__ = func.__doc__
            return PyFunctionPass
        if not callable(func):
            raise TypeError("function_pass decorates a function or a class")
        return _make_function_pass(func, info)

    return create(pass_func) if pass_func is not None else create


__all__ = ["InferType", "InferTypeLocal", "FuseOps", "DefuseOps", "AnnotateSpans", "PassContext", "PassInfo", "Pass", "ModulePass", "Sequential",
           "module_pass", "function_pass", "FunctionPass"]
