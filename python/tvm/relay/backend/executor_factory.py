# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""What relay.build returns: the graph, the kernels and the params together.

    factory = relay.build(mod, "llvm", params=params)
    gmod = graph_executor.GraphModule(factory["default"](tvm.cpu()))
    factory.export_library("net.so")          # graph, code and params in one file
    graph_json, lib, params = factory         # the older, TVM 0.7-style unpacking
"""
import warnings

from ..._ffi.registry import get_global_func
from ...runtime import ndarray as _nd


class ExecutorFactoryModule:
    """The interface every executor factory has."""

    def get_executor_config(self):
        """What the executor needs besides the code (the graph JSON for the graph executor)."""
        raise NotImplementedError

    def get_params(self):
        """The params: {name: NDArray}."""
        raise NotImplementedError

    def get_lib(self):
        """The compiled kernels (a runtime Module)."""
        raise NotImplementedError

    def __getitem__(self, item):
        return self.module.__getitem__(item)

    def __iter__(self):
        warnings.warn(
            "unpacking relay.build's result into (graph_json, lib, params) is the old interface; "
            "use factory[mod_name](device) with tvm.contrib.graph_executor.GraphModule",
            DeprecationWarning,
            2,
        )
        return iter([self.get_executor_config(), self.get_lib(), self.get_params()])


class GraphExecutorFactoryModule(ExecutorFactoryModule):
    """relay.build's result for the graph executor.

    Attributes: ir_mod (the module given to relay.build), target, executor,
    graph_json, lib, libmod_name, params, function_metadata, and module (the
    runtime's factory module, "tvm.graph_executor_factory.create"; None while
    the runtime does not provide it).
    """

    def __init__(self, ir_mod, target, executor, graph_json_str, libmod, libmod_name, params,
                 function_metadata):
        if not isinstance(graph_json_str, str):
            raise TypeError("the graph JSON must be a str, got %s" % type(graph_json_str).__name__)
        self.ir_mod = ir_mod
        self.target = target
        self.executor = executor
        self.graph_json = graph_json_str
        self.lib = libmod
        self.libmod_name = libmod_name
        self.params = params
        self.function_metadata = function_metadata
        fcreate = get_global_func("tvm.graph_executor_factory.create", allow_missing=True)
        self.module = None
        if fcreate is not None:
            args = []
            for name, value in params.items():
                args.append(name)
                args.append(value if isinstance(value, _nd.NDArray) else _nd.array(value))
            self.module = fcreate(graph_json_str, libmod, libmod_name, *args)

    def _factory(self):
        if self.module is None:
            raise NotImplementedError(
                "the graph executor factory (tvm.graph_executor_factory.create) is not in this build of the runtime"
            )
        return self.module

    def __getitem__(self, item):
        return self._factory().__getitem__(item)

    def export_library(self, file_name, fcompile=None, addons=None, **kwargs):
        """Write graph, kernels and params into one shared library."""
        return self._factory().export_library(file_name, fcompile=fcompile, addons=addons, **kwargs)

    def get_devices(self):
        """The devices the graph is placed on (none named: the one it is created for)."""
        return []

    def get_params(self):
        return self.params

    def get_graph_json(self):
        """The graph executor's JSON."""
        return self.graph_json

    def get_executor_config(self):
        return self.graph_json

    def get_lib(self):
        return self.lib
