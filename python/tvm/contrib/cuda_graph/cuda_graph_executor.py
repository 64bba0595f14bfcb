# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""A graph executor that captures its kernel launches into a CUDA graph and replays it.

The runtime side ("tvm.graph_executor_cuda_graph.create") is not part of this
build; `create` says so. The module exists so that code importing it (as TVM's
tests do) loads, and fails only when it asks for a CUDA graph.
"""
from ..._ffi.registry import get_global_func
from .. import graph_executor


def create(graph_json_str, libmod, device):
    """A GraphModuleCudaGraph; ValueError when the runtime has no CUDA graph executor."""
    fcreate = get_global_func("tvm.graph_executor_cuda_graph.create", allow_missing=True)
    if fcreate is None:
        raise ValueError("the CUDA graph executor (tvm.graph_executor_cuda_graph.create) is not in this build "
                         "of the runtime; use tvm.contrib.graph_executor")
    args = []
    for dev in graph_executor._devices(device):
        args += [dev.device_type, dev.device_id]
    return GraphModuleCudaGraph(fcreate(graph_json_str, libmod, *args))


class GraphModuleCudaGraph(graph_executor.GraphModule):
    """GraphModule whose run() replays a captured CUDA graph."""

    def __init__(self, module):
        self._start_capture = module["start_capture"]
        self._end_capture = module["end_capture"]
        self._run_cuda_graph = module["run_cuda_graph"]
        self._graph_captured = False
        graph_executor.GraphModule.__init__(self, module)

    def capture_cuda_graph(self):
        """Run once while capturing the launches into a CUDA graph."""
        self._run()
        self._start_capture()
        self._run()
        self._end_capture()
        self._graph_captured = True

    def run_cuda_graph(self):
        self._run_cuda_graph()

    def run(self, **input_dict):
        if input_dict:
            self.set_input(**input_dict)
        if not self._graph_captured:
            self.capture_cuda_graph()
        else:
            self._run_cuda_graph()

    def debug_get_output(self, node, out):
        raise NotImplementedError("use tvm.contrib.debugger.debug_executor for per-node outputs")
