# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""The `I` namespace of TVMScript: IRModules written as classes.

    from tvm.script import ir as I, tir as T

    @I.ir_module
    class Module:
        @T.prim_func
        def square(x: T.int32) -> T.int32:
            T.ret(x * x)

        @T.prim_func
        def main(A: T.Buffer((4,), "int32")):
            for i in range(4):
                A[i] = Module.square(A[i])

Functions of the module call each other through the class name
(`Module.square(...)`), which stands for the module's GlobalVars.
"""
import inspect
import sys
import threading

from ... import ir as _ir
from ...error import DiagnosticError
from ...runtime.container import convert


class ModuleFrame:
    """The module being built: its GlobalVars, functions and attributes."""

    def __init__(self):
        self.global_vars = {}
        self.functions = {}
        self.attrs = None

    def build(self):
        functions = {self.global_vars[name]: func for name, func in self.functions.items()}
        mod = _ir.IRModule(functions)
        if self.attrs:
            for key, value in self.attrs.items():
                mod = mod.with_attr(key, value)
        return mod


_state = threading.local()


class module_building:
    """Context: the module that I.module_attrs applies to."""

    def __init__(self, frame):
        self.frame = frame

    def __enter__(self):
        if not hasattr(_state, "stack"):
            _state.stack = []
        _state.stack.append(self.frame)

    def __exit__(self, *args):
        _state.stack.pop()


def ir_module(mod=None):
    """@I.ir_module: parse a class of @T.prim_func functions as an IRModule."""
    if mod is None:
        return ir_module
    if not inspect.isclass(mod):
        raise TypeError(f"@I.ir_module expects a class, got {type(mod).__name__}")
    from .core import parse_object  # pylint: disable=import-outside-toplevel

    caller = sys._getframe(1)  # pylint: disable=protected-access
    return parse_object(mod, caller_locals=caller.f_locals if caller.f_code.co_name != "<module>" else None)


ir_module.dispatch_token = "ir"


def module_attrs(attrs):
    """I.module_attrs({...}) in the class body: the module's attributes."""
    stack = getattr(_state, "stack", None)
    if not stack:
        raise DiagnosticError("I.module_attrs must be used in the body of an @I.ir_module class")
    if stack[-1].attrs is not None:
        raise DiagnosticError("I.module_attrs: the module's attributes are already set")
    stack[-1].attrs = {key: convert(value) for key, value in attrs.items()}


def module_global_infos(infos):
    raise DiagnosticError("I.module_global_infos is not supported by this project")
