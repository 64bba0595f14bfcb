# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""relay.build and the executors.

relay.build reads top to bottom as the compile path:

    bind params -> InferType -> SimplifyInference -> FoldConstant -> ... -> FuseOps
    -> graph codegen (TE compiler per fused function, graph JSON, params)
    -> driver.build of all kernels at once -> GraphExecutorFactoryModule

That path is C++ (src/relay/backend/build_module.cc, tvm/relay/build.h), so a C++
program compiles with no Python in the process; this module checks the arguments
and wraps the result. PassContext's opt_level and disabled_pass apply to every step
(opt_level 0 fuses nothing: each operator is a kernel).
"""
import warnings

import numpy as np

from .. import ir as _ir
from .. import target as _target
from .._ffi.registry import get_global_func as _get_global_func
from ..runtime import ndarray as _nd
from . import expr as _expr
from . import function as _function
from . import ty as _ty
from .backend import interpreter as _interpreter
from .backend import executor_factory as _executor_factory
from .backend.executor import Executor
from .backend.runtime import Runtime
from ..contrib import graph_executor as _graph_executor  # noqa: F401 (TVM scripts reach tvm.contrib.graph_executor after importing relay)


def _as_ndarrays(params):
    """{name: NDArray} from {name: NDArray, numpy array or scalar}."""
    out = {}
    for name, value in params.items():
        if not isinstance(value, _nd.NDArray):
            value = _nd.array(value) if isinstance(value, np.ndarray) else _expr.const(value).data
        out[str(name)] = value
    return out


def bind_params_by_name(func, params):
    """func with the parameters named in params ({name: array}) replaced by constants.

    Names no parameter has are ignored; a name several parameters share is a ValueError
    (a TVMError too). The binding is C++'s (relay.build_module.BindParamsByName)."""
    if not params:
        return func
    return _get_global_func("relay.build_module.BindParamsByName")(func, _as_ndarrays(params))


def _pass_list():
    """relay.build's passes, in order: the list is C++'s (src/relay/backend/build_module.cc)."""
    return list(_get_global_func("relay.build_module.BuildPassList")())


def _as_target(target, target_host=None):
    if target is None:
        target = _target.Target.current()
        if target is None:
            raise ValueError("relay.build: no target given and none in scope (`with tvm.target.Target(...)`)")
    if isinstance(target, dict):
        if len(target) != 1:
            raise ValueError("relay.build builds for one target so far, got %d: %s" % (len(target), target))
        target = list(target.values())[0]
    if not isinstance(target, _target.Target):
        target = _target.Target(target)
    if target_host is not None:
        target = _target.Target(target, host=target_host)
    return target


def _check_module(mod):
    if isinstance(mod, _function.Function):
        warnings.warn("relay.build: pass an IRModule; a Function is wrapped as its main", DeprecationWarning, 3)
        mod = _ir.IRModule.from_expr(mod)
    if not isinstance(mod, _ir.IRModule):
        raise TypeError("relay.build expects an IRModule (or a relay.Function), got %s" % type(mod).__name__)
    if "main" not in [g.name_hint for g in mod.get_global_vars()]:
        raise ValueError("relay.build: the module has no function named main")
    return mod


def _as_module(mod, params):
    """mod (checked) with params bound into main (a copy)."""
    mod = _check_module(mod)
    if params:
        mod = _ir.IRModule(dict(mod.functions), dict(mod.type_definitions))
        mod["main"] = bind_params_by_name(mod["main"], params)
    return mod


def optimize(mod, target=None, params=None):
    """The module after relay.build's passes (fused, type-inferred), and the params left unbound
    (always empty here: bound params become constants). The passes see the target in scope, if
    any; `target` is only checked (C++: relay::Optimize)."""
    mod = _check_module(mod)
    if target is not None:
        _as_target(target)
    return _get_global_func("relay.build_module.Optimize")(mod, _as_ndarrays(params or {})), {}


class BuildModule:
    """relay.build as an object, as TVM's: build(), optimize(), get_params()."""

    def __init__(self):
        self._params = {}

    def build(self, mod, target=None, target_host=None, executor=Executor("graph"), runtime=Runtime("cpp"),
              workspace_memory_pools=None, constant_memory_pools=None, params=None, mod_name="default"):
        """(graph_json, runtime module, params), as TVM's BuildModule.build."""
        factory = build(mod, target, target_host, executor, runtime, workspace_memory_pools,
                        constant_memory_pools, params, mod_name)
        self._params = factory.get_params()
        return factory.get_graph_json(), factory.get_lib(), self._params

    def optimize(self, mod, target=None, target_host=None, params=None):  # pylint: disable=unused-argument
        """The optimised module and its params."""
        return optimize(mod, target, params)

    def get_params(self):
        """The params of the last build."""
        return self._params


def build(ir_mod, target=None, target_host=None, executor=Executor("graph"), runtime=Runtime("cpp"),
          workspace_memory_pools=None, constant_memory_pools=None, params=None, mod_name="default"):
    """Compile a Relay module for the graph executor (C++: relay::Build, tvm/relay/build.h).

    Parameters
    ----------
    ir_mod : IRModule (a relay.Function is accepted and wrapped)
    target : str, Target or {kind: target}; the target in scope when None
    target_host : str or Target, optional
    executor : relay.backend.Executor, "graph" (the default) only
    runtime : relay.backend.Runtime
    params : dict of str to NDArray or numpy array: main's parameters to bind as constants
    mod_name : str; the kernels are named tvmgen_<mod_name>_fused_...

    Returns
    -------
    GraphExecutorFactoryModule: get_graph_json(), get_lib(), get_params(), export_library(),
    factory[mod_name](device) for a graph executor.
    """
    if workspace_memory_pools is not None or constant_memory_pools is not None:
        raise NotImplementedError("relay.build: memory pools are for the AOT executor, which is not built yet")
    if not isinstance(executor, Executor):
        raise TypeError("relay.build: executor must be a relay.backend.Executor, got %r" % (executor,))
    if executor.name != "graph":
        raise NotImplementedError("relay.build: only the graph executor is built so far, not %r" % executor.name)
    if not isinstance(runtime, Runtime):
        raise TypeError("relay.build: runtime must be a relay.backend.Runtime, got %r" % (runtime,))
    target = _as_target(target, target_host)
    ir_mod = _check_module(ir_mod)
    mod_name = mod_name or "default"
    # Binding, passes (with the target in scope), graph codegen and the kernels' build: C++.
    graph_json, lib, built_params = _get_global_func("relay.build_module.BuildGraph")(
        ir_mod, target, _as_ndarrays(params or {}), mod_name)
    return _executor_factory.GraphExecutorFactoryModule(
        ir_mod, target, executor, str(graph_json), lib, mod_name, {str(k): v for k, v in built_params.items()}, {})


class GraphExecutor:
    """create_executor("graph"): builds the module with relay.build and runs it through the
    graph executor runtime."""

    def __init__(self, mod, device, target):
        self.mod = mod
        self.device = device
        self.target = target

    def evaluate(self, expr=None, binds=None):
        """A function running main (or expr, a relay.Function put in as main): positional or
        keyword arguments by parameter name; returns an NDArray, or a list for a tuple result."""
        from . import transform as _relay_transform  # pylint: disable=import-outside-toplevel

        mod = self.mod
        if expr is not None:
            if binds:
                expr = _expr.bind(expr, {k: v if isinstance(v, _ir.RelayExpr) else _expr.const(v)
                                         for k, v in binds.items()})
            if not isinstance(expr, _function.Function):
                raise TypeError("the graph executor evaluates a relay.Function, got %s" % type(expr).__name__)
            mod = _ir.IRModule(dict(mod.functions), dict(mod.type_definitions))
            mod["main"] = expr
        mod = _relay_transform.InferType()(mod)
        main = mod["main"]
        ret_type = main.checked_type.ret_type
        if isinstance(ret_type, _ty.TensorType) and _ty.is_dynamic(ret_type):
            raise ValueError("the graph executor runs static graphs only; the result type is %s" % ret_type)
        try:
            from ..contrib import graph_executor  # pylint: disable=import-outside-toplevel
        except ImportError as err:
            raise NotImplementedError("the graph executor runtime (tvm.contrib.graph_executor) is not built") from err
        factory = build(mod, target=self.target)
        gmodule = graph_executor.GraphModule(factory["default"](self.device))
        params = list(main.params)

        def _unflatten(flat, ty):
            if isinstance(ty, _ty.TupleType):
                return [_unflatten(flat, f) for f in ty.fields]
            return next(flat)

        def run(*args, **kwargs):
            values = _interpreter_args(params, args, kwargs)
            for i, (param, value) in enumerate(zip(params, values)):
                gmodule.set_input(i, _interpreter._as_argument(param, value))  # pylint: disable=protected-access
            gmodule.run()
            outs = [gmodule.get_output(i).copyto(_nd.cpu(0)) for i in range(gmodule.get_num_outputs())]
            return _unflatten(iter(outs), ret_type)

        return run


def _interpreter_args(params, args, kwargs):
    """args and kwargs (by parameter name) as one positional list, checked against params."""
    values = list(args)
    if kwargs:
        names = [p.name_hint for p in params]
        for name, v in kwargs.items():
            if name not in names:
                raise TypeError("the function has no parameter %r (it has %s)" % (name, names))
            idx = names.index(name)
            if idx < len(args):
                raise TypeError("parameter %r is given twice" % name)
            while len(values) <= idx:
                values.append(None)
            values[idx] = v
    if len(values) != len(params) or any(v is None for v in values):
        raise TypeError("the function takes %d arguments, %d given" % (len(params), len([v for v in values if v is not None])))
    return values


def create_executor(kind="debug", mod=None, device=None, target="llvm", params=None):
    """An executor of mod: kind "debug" (the interpreter), "graph" (relay.build and the graph
    executor) or "vm" (relay.vm.compile and the virtual machine)."""
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
    if kind == "graph":
        return GraphExecutor(mod, device, target)
    if kind == "vm":
        from .backend.vm import VMExecutor  # pylint: disable=import-outside-toplevel

        return VMExecutor(mod, device, target)
    raise NotImplementedError(
        "create_executor(kind=%r): the executors are 'debug', 'graph' and 'vm' ('aot' is not built yet)" % kind
    )
