# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Debugging a built model without rebuilding: the first non-finite node, the memory
plan report, and the Relay / fused graphs as Graphviz dot."""
import json
import re

import numpy as np
import pytest

import tvm
from tvm import relay
from tvm.contrib import graph_executor, relay_viz
from tvm.contrib.debugger import debug_executor


def _build(func, params=None):
    with tvm.transform.PassContext(opt_level=3):
        return relay.build(tvm.IRModule.from_expr(func), "llvm", params=params)


def _log_of_difference():
    x = relay.var("x", shape=(2, 3))
    y = relay.var("y", shape=(2, 3))
    d = relay.subtract(x, y)
    out = relay.nn.softmax(relay.multiply(relay.log(d), relay.const(2.0)))
    return relay.Function([x, y], relay.add(out, relay.const(1.0)))


def test_run_until_nonfinite_names_the_first_bad_node(tmp_path):
    lib = _build(_log_of_difference())
    m = debug_executor.create(lib.get_graph_json(), lib.get_lib(), tvm.cpu(), dump_root=str(tmp_path))
    x = np.ones((2, 3), "float32")
    y = np.zeros((2, 3), "float32")
    assert m.run_until_nonfinite(x=x, y=y) is None
    y[1, 2] = 3.0  # log of a negative number: NaN in row 1, which softmax then spreads
    bad = m.run_until_nonfinite(x=x, y=y)
    assert bad is not None
    nodes = json.loads(lib.get_graph_json())["nodes"]
    first_op = next(i for i, n in enumerate(nodes) if n["op"] == "tvm_op")
    assert bad["index"] == first_op and bad["node"] == nodes[first_op]["name"]
    assert "log" in bad["func_name"] and bad["nan"] >= 1 and bad["inputs"] == ["x", "y"]
    assert bad["node"] in bad["message"] and "NaN" in bad["message"]


def test_memory_plan_report_counts_shared_storage():
    x = relay.var("x", shape=(1, 64))
    h = x
    for i in range(6):  # a chain: each tensor dies once the next one exists
        w = relay.var(f"w{i}", shape=(64, 64))
        h = relay.nn.relu(relay.nn.dense(h, w))
        h = relay.add(relay.nn.softmax(h), h)  # softmax stops fusion, so each layer is 2 kernels
    func = relay.Function(relay.analysis.free_vars(h), h)
    params = {f"w{i}": np.random.rand(64, 64).astype("float32") for i in range(6)}
    lib = _build(func, params)
    report = graph_executor.memory_plan(lib)
    graph = json.loads(lib.get_graph_json())
    computed = [i for i, n in enumerate(graph["nodes"]) if n["op"] != "null"]
    assert report.tensor_bytes == 64 * 4 * len(computed)
    assert report.planned_bytes < report.tensor_bytes and report.reuse > 0.5
    outputs = [s for s in report.storages if s["kind"] == "output"]
    assert len(outputs) == 1 and outputs[0]["bytes"] == 64 * 4
    inputs = {t[0] for s in report.storages if s["kind"] == "input" for t in s["tensors"]}
    assert "x" in inputs
    text = str(report)
    assert re.search(r"reuse \d+\.\d%", text) and text.splitlines()[0].split()[:3] == ["storage", "bytes", "kind"]
    with pytest.raises(ValueError, match="storage_id"):
        graph_executor.memory_plan(json.dumps({"nodes": [], "attrs": {}}))


def test_relay_viz_dot_of_the_fused_graph(tmp_path):
    x = relay.var("x", shape=(1, 3, 8, 8))
    w = relay.var("w", shape=(4, 3, 3, 3))
    y = relay.nn.relu(relay.add(relay.nn.conv2d(x, w, padding=(1, 1)), relay.const(1.0)))
    mod = relay.transform.InferType()(tvm.IRModule.from_expr(relay.Function([x, w], relay.sum(y))))
    text = relay_viz.RelayVisualizer(mod).render()
    assert [line.split(": ")[1].split(" : ")[0].split(" ->")[0].strip() for line in text.splitlines()[1:]] == [
        "%x", "%w", "nn.conv2d", "const () float32", "add", "nn.relu", "sum"]
    fused = relay.transform.InferType()(relay.transform.FuseOps(2)(mod))
    dot = relay_viz.RelayVisualizer(fused, plotter=relay_viz.DotPlotter()).render(str(tmp_path / "g"))
    assert (tmp_path / "g.dot").read_text() == dot
    assert dot.startswith('digraph "main" {')
    clusters = re.findall(r'label="fused: ([^"]*)"', dot)
    assert clusters == ["nn.conv2d + add + nn.relu", "sum"]
    assert dot.count(" -> ") == 6  # x, w -> conv; conv, const -> add; add -> relu; relu -> sum


def test_relay_viz_long_chain_does_not_recurse():
    x = relay.var("x", shape=(4,))
    y = x
    for _ in range(20000):
        y = relay.negative(y)
    dot = relay_viz.RelayVisualizer(relay.Function([x], y), plotter=relay_viz.DotPlotter()).render()
    assert dot.count(" -> ") == 20000
