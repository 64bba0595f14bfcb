# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""The debug graph executor (tvm.contrib.debugger.debug_executor): per-node runs, outputs and timings."""
import json
import os

import numpy as np
import pytest

import tvm
from tvm import te
from tvm.contrib.debugger import debug_executor

N = 32


@pytest.fixture(scope="module")
def lib():
    a = te.placeholder((N,), name="a")
    b = te.placeholder((N,), name="b")
    add = te.compute((N,), lambda i: a[i] + b[i], name="add")
    neg = te.compute((N,), lambda i: -a[i], name="neg")
    mod = tvm.IRModule()
    mod.update(tvm.lower(te.create_schedule(add.op), [a, b, add], name="k_add"))
    mod.update(tvm.lower(te.create_schedule(neg.op), [a, neg], name="k_neg"))
    return tvm.build(mod, target="llvm")


def _op(name, func, inputs):
    return {"op": "tvm_op", "name": name, "inputs": [[i, 0, 0] for i in inputs],
            "attrs": {"func_name": func, "num_inputs": str(len(inputs)), "num_outputs": "1", "flatten_data": "0"}}


# t = x + y; u = -t; v = u + x, with v reusing t's storage (2).
GRAPH = json.dumps({
    "nodes": [{"op": "null", "name": "x", "inputs": []}, {"op": "null", "name": "y", "inputs": []},
              _op("t", "k_add", [0, 1]), _op("u", "k_neg", [2]), _op("v", "k_add", [3, 0])],
    "arg_nodes": [0, 1], "heads": [[4, 0, 0]],
    "attrs": {"dltype": ["list_str", ["float32"] * 5], "storage_id": ["list_int", [0, 1, 2, 3, 2]],
              "shape": ["list_shape", [[N]] * 5]},
})


def _inputs():
    rng = np.random.default_rng(0)
    return rng.standard_normal(N).astype("float32"), rng.standard_normal(N).astype("float32")


def test_run_outputs_timings_and_dumps(lib, tmp_path, capsys):
    x, y = _inputs()
    m = debug_executor.create(GRAPH, lib, tvm.cpu(), dump_root=str(tmp_path))
    m.run(number=2, repeat=2, x=x, y=y)
    np.testing.assert_allclose(m.get_output(0).numpy(), -(x + y) + x, rtol=1e-6)
    table = capsys.readouterr().out
    assert table.splitlines()[0].split()[:3] == ["Node", "Name", "Ops"]
    for name in ("t", "u", "v", "Total_time"):
        assert any(line.split()[0] == name for line in table.splitlines()[2:]), name
    # Every node output was kept, including t's, whose storage v overwrote.
    outs = m.debug_datum.get_output_tensors()
    np.testing.assert_allclose(outs["t____topo-index:2____output-num:0"].numpy(), x + y, rtol=1e-6)
    np.testing.assert_allclose(outs["u____topo-index:3____output-num:0"].numpy(), -(x + y), rtol=1e-6)
    dump = tmp_path / "_tvmdbg_device_CPU_0"
    assert sorted(os.listdir(dump)) == ["_tvmdbg_execution_trace.json", "_tvmdbg_graph_dump.json",
                                        "output_tensors.params"]
    saved = tvm.runtime.load_param_dict((dump / "output_tensors.params").read_bytes())
    np.testing.assert_allclose(saved["v____topo-index:4____output-num:0"].numpy(), -y, atol=1e-6)
    trace = json.loads((dump / "_tvmdbg_execution_trace.json").read_text())
    assert [e["name"] for e in trace["traceEvents"]] == ["t", "u", "v"]
    graph_dump = json.loads((dump / "_tvmdbg_graph_dump.json").read_text())
    assert graph_dump["nodes"][2]["shape"] == [N] and "time_us" in graph_dump["nodes"][2]


def test_execute_node_and_debug_get_output(lib):
    x, y = _inputs()
    m = debug_executor.create(GRAPH, lib, tvm.cpu())
    m.set_input(x=x, y=y)
    m["execute_node"](3)  # runs t and u only
    out = tvm.nd.empty((N,))
    m.debug_get_output("u", out)
    np.testing.assert_allclose(out.numpy(), -(x + y), rtol=1e-6)
    np.testing.assert_allclose(m.debug_get_output(2).numpy(), x + y, rtol=1e-6)
    with pytest.raises(AttributeError, match="Could not find a node named w"):
        m.debug_get_output("w", out)
    with pytest.raises(ValueError, match=r"node 3 'u' has output shape \[32\] float32"):
        m.debug_get_output(3, tvm.nd.empty((4,)))
    with pytest.raises(IndexError, match="node index 9 out of range; the graph has 5 nodes"):
        m["execute_node"](9)
    m.exit()


def test_run_individual(lib):
    m = debug_executor.create(GRAPH, lib, tvm.cpu())
    times = m.run_individual(number=3, repeat=2)
    assert len(times) == 5 and all(len(t) == 2 for t in times)
    assert times[0] == [0.0, 0.0] and times[1] == [0.0, 0.0]  # inputs run nothing
    assert all(t > 0 for node in times[2:] for t in node)
    res = m.run_individual_node(3, number=3, repeat=3)
    assert len(res.results) == 3 and res.mean > 0
    with pytest.raises(ValueError, match="number > 0"):
        m.run_individual(number=0)
    m.exit()


def test_factory_debug_create(lib):
    x, y = _inputs()
    fac = tvm.get_global_func("tvm.graph_executor_factory.create")(GRAPH, lib, "default", "y", tvm.nd.array(y))
    exec_mod = fac["debug_create"]("default", tvm.cpu())
    assert exec_mod.type_key == "GraphExecutorDebug"
    m = debug_executor.GraphModuleDebug(exec_mod, tvm.cpu(), GRAPH, None)
    m.set_input("x", x)
    m["run"]()
    np.testing.assert_allclose(m.get_output(0).numpy(), -(x + y) + x, rtol=1e-6)
    # A debug executor can share parameters with a plain one.
    plain = tvm.contrib.graph_executor.GraphModule(fac["default"](tvm.cpu()))
    m.share_params(plain, tvm.runtime.save_param_dict({"y": y}))
    with pytest.raises(ValueError, match="holds module 'default', not 'other'"):
        fac["debug_create"]("other", tvm.cpu())
    m.exit()


def test_cuda_graph_executor_reports_it_is_not_built(lib):
    from tvm.contrib.cuda_graph import cuda_graph_executor

    with pytest.raises(ValueError, match="CUDA graph executor .* is not in this build"):
        cuda_graph_executor.create(GRAPH, lib, tvm.cuda(0))
