# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""The graph executor refuses bad graphs and bad inputs with errors that name the problem."""
import json

import numpy as np
import pytest

import tvm
from tvm import te
from tvm.contrib import graph_executor


@pytest.fixture(scope="module")
def lib():
    a = te.placeholder((2, 3), name="a")
    b = te.compute((2, 3), lambda i, j: a[i, j] + 1.0, name="b")
    return tvm.build(te.create_schedule(b.op), [a, b], "llvm", name="add_one")


def _good():
    return {
        "nodes": [{"op": "null", "name": "x", "inputs": []},
                  {"op": "tvm_op", "name": "f", "inputs": [[0, 0, 0]],
                   "attrs": {"func_name": "add_one", "num_inputs": "1", "num_outputs": "1", "flatten_data": "0"}}],
        "arg_nodes": [0],
        "heads": [[1, 0, 0]],
        "attrs": {"dltype": ["list_str", ["float32", "float32"]], "storage_id": ["list_int", [0, 1]],
                  "shape": ["list_shape", [[2, 3], [2, 3]]]},
        "node_row_ptr": [0, 1, 2],
    }


def _create(graph, lib):
    text = graph if isinstance(graph, str) else json.dumps(graph)
    return graph_executor.create(text, lib, tvm.cpu())


def test_good_graph_runs(lib):
    m = _create(_good(), lib)
    m.run(x=np.ones((2, 3), "float32"))
    np.testing.assert_array_equal(m.get_output(0).numpy(), np.full((2, 3), 2, "float32"))


def _broken(edit):
    g = _good()
    edit(g)
    return g


@pytest.mark.parametrize("graph, message", [
    ("{\"nodes\": [", r"graph JSON: cannot parse"),
    ("[1, 2]", r"graph JSON: the graph must be a JSON object"),
    (_broken(lambda g: g.pop("nodes")), r"the graph has no \"nodes\""),
    (_broken(lambda g: g.pop("heads")), r"the graph has no \"heads\""),
    (_broken(lambda g: g["attrs"].pop("shape")), r"\"attrs\" has no \"shape\""),
    (_broken(lambda g: g["nodes"][1].update(op="conv")), r"node 1 'f' has op \"conv\""),
    (_broken(lambda g: g["nodes"][1]["attrs"].pop("func_name")), r"node 1 'f''s attrs has no \"func_name\""),
    (_broken(lambda g: g["nodes"][1]["attrs"].update(num_inputs="two")), r"num_inputs must be an integer, not \"two\""),
    (_broken(lambda g: g["nodes"][1]["attrs"].update(num_inputs="2")), r"says num_inputs 2 but lists 1 inputs"),
    (_broken(lambda g: g["nodes"][1]["attrs"].update(num_outputs="4294967296")),
     r"num_outputs is 4294967296; must be in \[1, 1048576\]"),
    (_broken(lambda g: g["nodes"][1].update(inputs=[[5, 0, 0]])), r"refers to node 5, which does not come before it"),
    (_broken(lambda g: g["nodes"][1].update(inputs=[[0, 1, 0]])), r"asks for output 1 of node 0 'x', which has 1"),
    (_broken(lambda g: g.update(heads=[[7, 0, 0]])), r"head 0 refers to node 7, but the graph has 2 nodes"),
    (_broken(lambda g: g.update(arg_nodes=[1])), r"\"arg_nodes\" lists node 1 'f', which is an operator"),
    (_broken(lambda g: g.update(node_row_ptr=[0, 1, 3])), r"\"node_row_ptr\" does not match"),
    (_broken(lambda g: g["attrs"].update(dltype=["list_str", ["float32"]])),
     r"attrs \"dltype\" has 1 values for 2 node outputs"),
    (_broken(lambda g: g["attrs"].update(dltype=["list_str", ["float32", "floaty"]])), r"unknown data type 'floaty'"),
    (_broken(lambda g: g["attrs"].update(storage_id=["list_int", [0, -1]])),
     r"storage_id\" of output 1 is -1; must be in \[0, 2\)"),
    (_broken(lambda g: g["attrs"].update(storage_id=["list_int", [0, 10 ** 12]])), r"is 1000000000000; must be in"),
    (_broken(lambda g: g["attrs"].update(shape=["list_shape", [[2, 3], [1 << 40, 1 << 30]]])),
     r"too large to allocate"),
    (_broken(lambda g: g["attrs"].update(shape=["list_shape", [[2, 3], [2, -3]]])), r"negative dimension"),
    (_broken(lambda g: g["attrs"].update(shape=["list_int", [[2, 3], [2, 3]]])), r"must be \[\"list_shape\", \[...\]\]"),
])
def test_malformed_graph(lib, graph, message):
    with pytest.raises(ValueError, match=message):
        _create(graph, lib)


def test_missing_function_named(lib):
    g = _good()
    g["nodes"][1]["attrs"]["func_name"] = "tvmgen_default_fused_nothing"
    with pytest.raises(AttributeError, match=r"node 1 'f' calls function 'tvmgen_default_fused_nothing', which the "
                                             r"library module \(type 'llvm'\) does not define"):
        _create(g, lib)


def test_bad_inputs(lib):
    m = _create(_good(), lib)
    with pytest.raises(ValueError, match=r"input 'x' expects shape \[2, 3\] float32, got shape \[3, 2\] float32"):
        m.set_input("x", tvm.nd.array(np.ones((3, 2), "float32")))
    with pytest.raises(ValueError, match=r"input 'x' expects shape \[2, 3\] float32, got shape \[2, 3\] int32"):
        m.set_input(0, tvm.nd.array(np.ones((2, 3), "int32")))
    with pytest.raises(ValueError, match=r"input 'x' expects shape \(2, 3\) float32, got shape \(6,\)"):
        m.set_input("x", np.ones(6, "float32"))
    with pytest.raises(RuntimeError, match="Could not find 'y' in graph's inputs"):
        m.set_input("y", np.ones((2, 3), "float32"))
    with pytest.raises(ValueError, match=r"the graph has no input 'y' \(inputs: 'x'\)"):
        m["set_input"]("y", tvm.nd.array(np.ones((2, 3), "float32")))
    with pytest.raises(IndexError, match=r"input index 3 out of range; the graph has 1 inputs"):
        m["set_input"](3, tvm.nd.array(np.ones((2, 3), "float32")))
    with pytest.raises(IndexError, match=r"output index 1 out of range; the graph has 1 outputs"):
        m.get_output(1)
    with pytest.raises(ValueError, match=r"get_output: output 0 expects shape \[2, 3\] float32, got shape \[2\]"):
        m.get_output(0, tvm.nd.empty((2,)))
    with pytest.raises(ValueError, match=r"get_output: the graph has no output 'nope'"):
        m.get_output("nope")
    # Unknown keyword inputs are ignored (a parameter dict may hold more than this graph needs).
    m.set_input(x=np.zeros((2, 3), "float32"), unused=np.zeros(1))
    assert m.get_input("nope") is None


def test_kernel_error_names_the_node(lib):
    # The kernel checks its argument shapes: a graph that lies about a shape fails at run time,
    # and the error says which node it was.
    g = _good()
    g["attrs"]["shape"] = ["list_shape", [[3, 2], [3, 2]]]
    m = _create(g, lib)
    with pytest.raises(Exception, match=r"graph executor: node 1 'f' \(function 'add_one'\) failed"):
        m.run()


def test_share_params_needs_executor(lib):
    m = _create(_good(), lib)
    blob = tvm.runtime.save_param_dict({"x": np.ones((2, 3), "float32")})
    with pytest.raises(TypeError, match="expected a GraphExecutor module, got a module of type 'llvm'"):
        m["share_params"](lib, blob)


def test_random_corruptions_never_crash(lib):
    # Truncations and byte flips of a good graph: each either builds a working executor or
    # raises a TVM error; none may crash the process.
    text = json.dumps(_good())
    rng = np.random.default_rng(42)
    outcomes = {"ok": 0, "error": 0}
    for trial in range(300):
        if trial % 3 == 0:
            bad = text[: rng.integers(0, len(text))]
        else:
            chars = list(text)
            for _ in range(rng.integers(1, 4)):
                chars[rng.integers(0, len(chars))] = chr(rng.choice([ord(c) for c in '0123456789[]{}",: -x']))
            bad = "".join(chars)
        try:
            m = _create(bad, lib)
        except tvm.error.TVMError:
            outcomes["error"] += 1
            continue
        except (ValueError, AttributeError, IndexError, TypeError, KeyError):
            outcomes["error"] += 1
            continue
        outcomes["ok"] += 1
        try:
            shapes, _ = m.get_input_info()
            for name, shape in shapes.items():
                m.set_input(name, np.ones(tuple(shape), "float32"))
            m.run()
        except Exception:  # noqa: BLE001 - a corrupted graph may fail to run, cleanly
            pass
    assert outcomes["error"] > 100
