# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""The graph executor: runs the graph JSON and kernel library that relay.build produces.

    lib = relay.build(mod, target="llvm", params=params)
    m = graph_executor.GraphModule(lib["default"](tvm.cpu()))
    m.set_input("data", x)
    m.run()
    y = m.get_output(0).numpy()

or, from the three parts, `graph_executor.create(graph_json, lib_module, tvm.cpu())`.
"""
import numpy as np

from .._ffi.registry import get_global_func
from ..runtime import ndarray as _nd
from ..runtime.module import Module
from ..runtime.runtime_types import Device


def _devices(device):
    devices = device if isinstance(device, (list, tuple)) else [device]
    if not devices:
        raise ValueError("graph_executor.create: no device given")
    for dev in devices:
        if not isinstance(dev, Device):
            raise ValueError(f"graph_executor.create: device must be a tvm Device (e.g. tvm.cpu()), got {dev!r}")
    return devices


def create(graph_json_str, libmod, device):
    """A GraphModule running `graph_json_str` with the kernels of `libmod` on `device`.

    graph_json_str: the graph JSON (str), or an object with `_tvm_graph_json()`.
    libmod: the Module holding the kernels (tvm.build / relay.build's lib, or a loaded library).
    device: a Device, or a list of them (the first is the default).
    """
    if not isinstance(graph_json_str, str):
        try:
            graph_json_str = graph_json_str._tvm_graph_json()
        except AttributeError:
            raise ValueError(f"graph_executor.create: the graph must be a JSON str, got "
                             f"{type(graph_json_str).__name__}") from None
    if not isinstance(libmod, Module):
        raise ValueError(f"graph_executor.create: libmod must be a tvm Module, got {type(libmod).__name__}")
    args = []
    for dev in _devices(device):
        args += [dev.device_type, dev.device_id]
    return GraphModule(get_global_func("tvm.graph_executor.create")(graph_json_str, libmod, *args))


class GraphModule:
    """A wrapper of a graph executor module ("GraphExecutor") with TVM's Python API.

    module: the executor module, from `create`, `tvm.graph_executor.create`, or a
    factory's `lib["default"](dev)`.
    """

    def __init__(self, module):
        self.module = module
        self._set_input = module["set_input"]
        self._set_input_zero_copy = module["set_input_zero_copy"]
        self._set_output_zero_copy = module["set_output_zero_copy"]
        self._run = module["run"]
        self._get_output = module["get_output"]
        self._get_input = module["get_input"]
        self._get_num_outputs = module["get_num_outputs"]
        self._get_input_index = module["get_input_index"]
        self._get_input_info = module["get_input_info"]
        self._get_num_inputs = module["get_num_inputs"]
        self._load_params = module["load_params"]
        self._share_params = module["share_params"]

    def _input_index(self, key):
        if isinstance(key, str):
            index = self._get_input_index(key)
            if index < 0:
                raise RuntimeError(f"Could not find '{key}' in graph's inputs")
            return index
        return int(key)

    def _set_one(self, index, value, name):
        if isinstance(value, _nd.NDArray):
            self._set_input(index, value)
            return
        # numpy (or anything numpy reads): cast to the input's dtype, as NDArray.copyfrom does.
        target = self._get_input(index)
        value = np.asarray(value)
        if tuple(value.shape) != tuple(target.shape):
            raise ValueError(f"set_input: input '{name}' expects shape {tuple(target.shape)} {target.dtype}, "
                             f"got shape {tuple(value.shape)}")
        if target.dtype not in ("bfloat16", "bool"):
            try:
                # Borrow numpy's memory through DLPack: the executor's set_input then copies once.
                # np.require, not ascontiguousarray: that one turns 0-d arrays into 1-d.
                self._set_input(index, _nd.from_dlpack(np.require(value, dtype=target.dtype, requirements="C")))
                return
            except (TypeError, BufferError, ValueError, AttributeError):
                pass  # read-only or otherwise not exportable: copy through a new NDArray
        self._set_input(index, _nd.array(value.astype(target.dtype, copy=False), target.device))

    def set_input(self, key=None, value=None, **params):
        """Set input `key` (a name or an index) to `value`, and/or inputs by keyword.

        Keywords that are not inputs of the graph are ignored (a parameter dict
        may hold more than one graph needs); a named key that is not an input
        raises RuntimeError.
        """
        if key is not None:
            self._set_one(self._input_index(key), value, key)
        if params:
            # Sorted: setting order must not depend on the caller's dict order (as TVM).
            for name in sorted(params.keys()):
                index = self._get_input_index(name)
                if index >= 0:
                    self._set_one(index, params[name], name)

    def set_input_zero_copy(self, key=None, value=None, **params):
        """Let the graph read input `key` straight from NDArray `value` (no copy; keep `value` alive)."""
        if key is not None:
            self._set_input_zero_copy(self._input_index(key), value)
        for name in sorted(params.keys()):
            index = self._get_input_index(name)
            if index >= 0:
                self._set_input_zero_copy(index, params[name])

    def set_output_zero_copy(self, key, value):
        """Let the graph write output `key` (an index or "<node name>:<i>") straight into NDArray `value`."""
        self._set_output_zero_copy(key, value)

    def run(self, **input_dict):
        """Set the inputs given by keyword, then run the graph."""
        if input_dict:
            self.set_input(**input_dict)
        self._run()

    def get_num_outputs(self):
        """Number of outputs of the graph."""
        return self._get_num_outputs()

    def get_num_inputs(self):
        """Number of inputs of the graph (parameters included)."""
        return self._get_num_inputs()

    def get_input(self, index, out=None):
        """Input `index` (a name or an index): the executor's array, or copied into `out`."""
        if out is not None:
            self._get_input(index).copyto(out)
            return out
        return self._get_input(index)

    def get_input_index(self, name):
        """The index of input `name`, or -1 when the graph has no such input."""
        return self._get_input_index(name)

    def get_input_info(self):
        """(shape_dict, dtype_dict) of the inputs that are not loaded parameters, by name."""
        info = self._get_input_info()
        return info["shape"], info["dtype"]

    def get_output(self, index, out=None):
        """Output `index`: the executor's array, or copied into NDArray `out` (shapes must match)."""
        if out is not None:
            self._get_output(index, out)
            return out
        return self._get_output(index)

    def debug_get_output(self, node, out):
        raise NotImplementedError("use tvm.contrib.debugger.debug_executor for per-node outputs")

    def load_params(self, params_bytes):
        """Copy in the parameters of a save_param_dict blob (names that are not inputs are ignored)."""
        self._load_params(bytes(params_bytes))

    def share_params(self, other, params_bytes):
        """Use the arrays of GraphModule `other` for the parameters named in `params_bytes` (no copy).

        Several executors can then share one set of weights; each keeps its own
        inputs and intermediates, so each may run on its own thread.
        """
        self._share_params(other.module, bytes(params_bytes))

    def __getitem__(self, key):
        """The executor module's packed function `key`."""
        return self.module[key]

    def benchmark(self, device, func_name="run", repeat=5, number=5, min_repeat_ms=None,
                  limit_zero_time_iterations=100, end_to_end=False, cooldown_interval_ms=0,
                  repeats_to_cooldown=1, **kwargs):
        """Time `func_name` (default: run) with the module's time_evaluator.

        Returns a BenchmarkResult (seconds per call; `.mean`, `.results`, ...).
        With end_to_end=True each timed call also copies the keyword inputs in and
        the outputs back to `device`'s host; otherwise keyword inputs are set once
        before timing.
        """
        min_repeat_ms = 0 if min_repeat_ms is None else min_repeat_ms
        if end_to_end:
            args = []
            for name, value in kwargs.items():
                args += [name, value if isinstance(value, _nd.NDArray) else _nd.array(value)]
            return self.module.time_evaluator(
                "run_from_inputs", device, repeat=repeat, number=number, min_repeat_ms=min_repeat_ms,
                limit_zero_time_iterations=limit_zero_time_iterations)(device.device_type, device.device_id, *args)
        if kwargs:
            self.set_input(**kwargs)
        return self.module.time_evaluator(
            func_name, device, repeat=repeat, number=number, min_repeat_ms=min_repeat_ms,
            limit_zero_time_iterations=limit_zero_time_iterations, cooldown_interval_ms=cooldown_interval_ms,
            repeats_to_cooldown=repeats_to_cooldown)()


class MemoryPlanReport:
    """The static memory plan of a graph JSON: which tensors share each storage.

    storages: one dict per storage id, {"storage_id", "bytes", "kind", "tensors"}, where
      kind is "input" (a graph input or param: owned by the caller or the params),
      "intermediate" or "output" (holds a graph output), and tensors lists
      (node name, output index, bytes) of every entry placed there.
    tensor_bytes: the sum of the sizes of all intermediate and output tensors;
    planned_bytes: the sum of the storages that hold them; reuse is
      1 - planned_bytes / tensor_bytes (the share of tensor memory the plan saves).
    str(report) is a table, largest storages first.
    """

    def __init__(self, graph_json):
        import json  # pylint: disable=import-outside-toplevel

        graph = json.loads(graph_json) if isinstance(graph_json, str) else graph_json
        attrs = graph.get("attrs", {})
        try:
            storage_ids = attrs["storage_id"][1]
            shapes = attrs["shape"][1]
            dtypes = attrs["dltype"][1]
        except (KeyError, IndexError, TypeError):
            raise ValueError("memory plan: the graph JSON has no storage_id/shape/dltype attributes") from None
        nodes = graph["nodes"]
        row_ptr = graph.get("node_row_ptr") or list(range(len(nodes) + 1))
        arg_nodes = set(graph.get("arg_nodes", []))
        heads = {(h[0], h[1]) for h in graph.get("heads", [])}
        by_sid = {}
        for nid, node in enumerate(nodes):
            for k in range(row_ptr[nid + 1] - row_ptr[nid]):
                eid = row_ptr[nid] + k
                size = int(np.prod(shapes[eid], dtype=np.int64)) * _dtype_bytes(dtypes[eid])
                kind = "input" if nid in arg_nodes else ("output" if (nid, k) in heads else "intermediate")
                entry = by_sid.setdefault(storage_ids[eid], {"storage_id": storage_ids[eid], "bytes": 0,
                                                             "kind": kind, "tensors": []})
                entry["bytes"] = max(entry["bytes"], size)
                # a storage holding an input is the caller's; else one holding an output is an output's
                order = ("input", "output", "intermediate")
                entry["kind"] = min(entry["kind"], kind, key=order.index)
                entry["tensors"].append((node["name"], k, size))
        self.storages = sorted(by_sid.values(), key=lambda s: (-s["bytes"], s["storage_id"]))
        computed = [s for s in self.storages if s["kind"] != "input"]
        self.tensor_bytes = sum(t[2] for s in computed for t in s["tensors"])
        self.planned_bytes = sum(s["bytes"] for s in computed)
        self.reuse = 1.0 - self.planned_bytes / self.tensor_bytes if self.tensor_bytes else 0.0

    def __str__(self):
        lines = [f"{'storage':>7} {'bytes':>12} {'kind':<12} tensors"]
        for s in self.storages:
            names = ", ".join(f"{n}[{k}]" if k else n for n, k, _ in s["tensors"])
            lines.append(f"{s['storage_id']:>7} {s['bytes']:>12} {s['kind']:<12} {names}")
        lines.append(f"intermediate and output tensors: {self.tensor_bytes} bytes; planned storage: "
                     f"{self.planned_bytes} bytes; reuse {100 * self.reuse:.1f}%")
        return "\n".join(lines)


def _dtype_bytes(dtype):
    import re  # pylint: disable=import-outside-toplevel

    match = re.fullmatch(r"(?:float|int|uint|bfloat)(\d+)(?:x(\d+))?", dtype)
    if dtype == "bool":
        return 1
    if match is None:
        raise ValueError(f"memory plan: unknown dtype {dtype!r} in the graph JSON")
    return (int(match.group(1)) * int(match.group(2) or 1) + 7) // 8


def memory_plan(graph_json):
    """The MemoryPlanReport of a graph JSON (a str, or a factory module with get_graph_json)."""
    if hasattr(graph_json, "get_graph_json"):
        graph_json = graph_json.get_graph_json()
    return MemoryPlanReport(graph_json)
