# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Executors and (later) relay.build."""
import numpy as np

from .. import ir as _ir
from .. import target as _target
from ..error import _ERROR_TYPES
from ..runtime import ndarray as _nd
from . import expr as _expr
from .backend import interpreter as _interpreter


def bind_params_by_name(func, params):
    """func with the parameters named in params ({name: array}) replaced by constants."""
    if not params:
        return func
    by_name = {}
    for p in func.params:
        by_name.setdefault(p.name_hint, []).append(p)
    binds = {}
    for name, value in params.items():
        if name not in by_name:
            continue
        if len(by_name[name]) > 1:
            # a TVMError that is also a ValueError, as TVM's (C++) binder raises one
            raise _ERROR_TYPES["ValueError"]("several parameters are named %r; parameters bound by name must be unique" % name)
        if isinstance(value, np.ndarray):
            value = _nd.array(value)
        binds[by_name[name][0]] = _expr.const(value)
    return _expr.bind(func, binds)


def create_executor(kind="debug", mod=None, device=None, target="llvm", params=None):
    """An executor of mod: kind "debug" (the interpreter). "graph" and "vm"
    arrive with relay.build and the VM."""
    if mod is None:
        mod = _ir.IRModule()
    if isinstance(target, dict):
        if len(target) != 1:
            raise ValueError("the debug executor runs on one target, got %d" % len(target))
        target = list(target.values())[0]
    target = _target.Target(target) if not isinstance(target, _target.Target) else target
    if device is None:
        device = _nd.device(target.kind.name if hasattr(target, "kind") else "cpu", 0)
    if params is not None:
        mod = _ir.IRModule.from_expr(bind_params_by_name(mod["main"], params))
    if kind == "debug":
        return _interpreter.Interpreter(mod, device, target)
    raise NotImplementedError(
        "create_executor(kind=%r): only the 'debug' executor exists so far (graph and vm come with relay.build "
        "and the Relay VM)" % kind
    )
