# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""The debug graph executor: a GraphModule that also times every node and keeps every node's output.

    m = debug_executor.create(graph_json, lib, tvm.cpu(), dump_root="/tmp/dbg")
    m.run(data=x)                 # runs, times each node, prints the table, dumps the files
    m.debug_get_output("fused_add", out)
    times = m.run_individual(number=10)   # seconds per call, per node
    bad = m.run_until_nonfinite(data=x)   # None, or the first node producing NaN/Inf

Files go to <dump_root>/_tvmdbg_device_<DEV>_<id>/ (see debug_result.py).
"""
import os
import shutil
import struct
import tempfile

from ..._ffi.registry import get_global_func
from ...runtime.module import BenchmarkResult
from .. import graph_executor
from . import debug_result

_DUMP_ROOT_PREFIX = "tvmdbg_"
_DUMP_PATH_PREFIX = "_tvmdbg_"


def create(graph_json_str, libmod, device, dump_root=None):
    """A GraphModuleDebug over `graph_json_str` and the kernels of `libmod` on `device`.

    dump_root: where the debug files go; None makes a temporary folder (removed by exit()).
    """
    if not isinstance(graph_json_str, str):
        try:
            graph_json_str = graph_json_str._tvm_graph_json()
        except AttributeError:
            raise ValueError(f"debug_executor.create: the graph must be a JSON str, got "
                             f"{type(graph_json_str).__name__}") from None
    devices = graph_executor._devices(device)
    args = []
    for dev in devices:
        args += [dev.device_type, dev.device_id]
    module = get_global_func("tvm.graph_executor_debug.create")(graph_json_str, libmod, *args)
    return GraphModuleDebug(module, devices, graph_json_str, dump_root)


class GraphModuleDebug(graph_executor.GraphModule):
    """GraphModule with per-node execution, timing and outputs."""

    def __init__(self, module, device, graph_json_str, dump_root):
        self._dump_root = dump_root
        self._dump_path = None
        self._run_individual = module["run_individual"]
        self._run_individual_node = module["run_individual_node"]
        self._debug_get_output = module["debug_get_output"]
        self._execute_node = module["execute_node"]
        self._get_node_output = module["get_node_output"]
        graph_executor.GraphModule.__init__(self, module)
        devices = device if isinstance(device, (list, tuple)) else [device]
        self._device = devices[0]
        self._dump_path = self._make_dump_path(self._device)
        self.debug_datum = debug_result.DebugResult(graph_json_str, self._dump_path)

    def _make_dump_path(self, device):
        if self._dump_root is None:
            self._dump_root = tempfile.mkdtemp(prefix=_DUMP_ROOT_PREFIX)
        name = repr(device).split("(")[0].upper()
        path = os.path.join(self._dump_root, f"{_DUMP_PATH_PREFIX}device_{name}_{device.device_id}")
        os.makedirs(path, exist_ok=True)
        return path

    def _run_per_layer(self):
        """Run node by node, keeping a copy of every node output."""
        outputs = []
        for i, node in enumerate(self.debug_datum.get_graph_nodes()):
            self._execute_node(i)
            for k in range(self.debug_datum.get_graph_node_output_num(node)):
                outputs.append(self._get_node_output(i, k))
        self.debug_datum.update_output_tensors(outputs)

    def run_until_nonfinite(self, **input_dict):
        """Run node by node and stop at the first node with a NaN or an infinity in an output.

        Returns None when every node's outputs are finite, else a dict: "node" (its name),
        "index" (its position in the graph), "func_name" (its kernel), "output" (which output),
        "nan" and "inf" (how many elements), "inputs" (the names of the nodes it read, all
        finite) and "message" (all of it in one sentence).
        """
        import numpy as np  # pylint: disable=import-outside-toplevel

        if input_dict:
            self.set_input(**input_dict)
        nodes = self.debug_datum.get_graph_nodes()
        for i, node in enumerate(nodes):
            if node["op"] == "null":
                continue
            self._execute_node(i)
            for k in range(self.debug_datum.get_graph_node_output_num(node)):
                value = self._get_node_output(i, k).numpy()
                if value.dtype.kind not in "fc":
                    continue
                nan = int(np.isnan(value).sum())
                inf = int(np.isinf(value).sum())
                if nan or inf:
                    inputs = [nodes[e[0]]["name"] for e in node.get("inputs", [])]
                    func = node.get("attrs", {}).get("func_name", node["op"])
                    return {"node": node["name"], "index": i, "func_name": func, "output": k, "nan": nan,
                            "inf": inf, "inputs": inputs,
                            "message": f"node {node['name']} (kernel {func}) output {k} of shape "
                                       f"{list(value.shape)} has {nan} NaN and {inf} infinite values; "
                                       f"its inputs {inputs} were finite"}
        return None

    def run(self, number=10, repeat=1, min_repeat_ms=1, limit_zero_time_iterations=100, cooldown_interval_ms=0,
            repeats_to_cooldown=1, sort_by_time=True, **input_dict):
        """Set the inputs, time every node, record every node output, dump the files and print the table."""
        if input_dict:
            self.set_input(**input_dict)
        self.debug_datum._time_list = self.run_individual(
            number=number, repeat=repeat, min_repeat_ms=min_repeat_ms,
            limit_zero_time_iterations=limit_zero_time_iterations, cooldown_interval_ms=cooldown_interval_ms,
            repeats_to_cooldown=repeats_to_cooldown)
        self._run_per_layer()
        self.debug_datum.dump_all()
        self.debug_datum.display_debug_result(sort_by_time)

    def run_individual(self, number, repeat=1, min_repeat_ms=0, limit_zero_time_iterations=100,
                       cooldown_interval_ms=0, repeats_to_cooldown=1):
        """Seconds per call of every node's kernel: a list (one per node) of `repeat` floats."""
        blob = bytes(self._run_individual(number, repeat, min_repeat_ms, limit_zero_time_iterations,
                                          cooldown_interval_ms, repeats_to_cooldown))
        (count,) = struct.unpack_from("<q", blob, 0)
        flat = struct.unpack_from(f"<{count * repeat}d", blob, 8)
        return [list(flat[i * repeat:(i + 1) * repeat]) for i in range(count)]

    def run_individual_node(self, index, number=10, repeat=1, min_repeat_ms=0, limit_zero_time_iterations=100,
                            cooldown_interval_ms=0, repeats_to_cooldown=1):
        """Time node `index` alone; a BenchmarkResult (seconds per call)."""
        blob = bytes(self._run_individual_node(index, number, repeat, min_repeat_ms, limit_zero_time_iterations,
                                               cooldown_interval_ms, repeats_to_cooldown))
        return BenchmarkResult(struct.unpack(f"<{len(blob) // 8}d", blob))

    def debug_get_output(self, node, out=None):
        """Copy output 0 of `node` (an index or a node name) into `out` (a new array when None)."""
        if isinstance(node, str):
            for i, graph_node in enumerate(self.debug_datum.get_graph_nodes()):
                if graph_node["name"] == node:
                    node = i
                    break
            else:
                raise AttributeError(f"Could not find a node named {node} in this graph.")
        elif not isinstance(node, int):
            raise RuntimeError("Require node index or name only.")
        if out is None:
            value = self._get_node_output(node, 0)
            return value
        self._debug_get_output(node, out)
        return out

    def exit(self):
        """Remove the dump folder."""
        if self._dump_root is not None and os.path.isdir(self._dump_root):
            shutil.rmtree(self._dump_root, ignore_errors=True)
