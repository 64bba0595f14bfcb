# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""GraphExecutorFactory ("tvm.graph_executor_factory.create") and packing it into export_library's .so."""
import json
import os
import subprocess
import sys
import threading

import numpy as np
import pytest

import tvm
from tvm import te
from tvm.contrib import graph_executor

N = 16


@pytest.fixture(scope="module")
def lib():
    x = te.placeholder((N,), name="x")
    w = te.placeholder((N,), name="w")
    y = te.compute((N,), lambda i: x[i] * w[i] + 1.0, name="y")
    return tvm.build(te.create_schedule(y.op), [x, w, y], "llvm", name="tvmgen_default_fused_multiply_add")


GRAPH = json.dumps({
    "nodes": [
        {"op": "null", "name": "data", "inputs": []},
        {"op": "null", "name": "p0", "inputs": []},
        {"op": "tvm_op", "name": "tvmgen_default_fused_multiply_add", "inputs": [[0, 0, 0], [1, 0, 0]],
         "attrs": {"func_name": "tvmgen_default_fused_multiply_add", "num_inputs": "2", "num_outputs": "1",
                   "flatten_data": "0"}},
    ],
    "arg_nodes": [0, 1],
    "heads": [[2, 0, 0]],
    "attrs": {"dltype": ["list_str", ["float32"] * 3], "storage_id": ["list_int", [0, 1, 2]],
              "shape": ["list_shape", [[N], [N], [N]]]},
    "node_row_ptr": [0, 1, 2, 3],
})

W = np.linspace(-1, 1, N).astype("float32")


def _factory(lib, name="default"):
    return tvm.get_global_func("tvm.graph_executor_factory.create")(GRAPH, lib, name, "p0", tvm.nd.array(W))


def _check(module, seed=0):
    m = graph_executor.GraphModule(module)
    data = np.random.default_rng(seed).standard_normal(N).astype("float32")
    m.run(data=data)
    np.testing.assert_allclose(m.get_output(0).numpy(), data * W + 1, rtol=1e-6)
    return m


def test_factory_creates_executors_with_params(lib):
    fac = _factory(lib)
    assert fac.type_key == "GraphExecutorFactory"
    assert fac.is_binary_serializable and fac.is_runnable
    assert fac["get_graph_json"]() == GRAPH
    params = fac["get_graph_params"]()
    np.testing.assert_array_equal(params["p0"].numpy(), W)
    m1 = _check(fac["default"](tvm.cpu()))
    m2 = _check(fac["default"](tvm.cpu(0)), seed=1)
    # Each executor owns its copy of the parameters.
    m1.set_input("p0", np.zeros(N, "float32"))
    _check(m2.module, seed=2)
    # The parameters are set, so only "data" is left to feed.
    shapes, _ = m2.get_input_info()
    assert list(shapes.keys()) == ["data"]
    # Other module names are not functions of this factory.
    assert not fac.implements_function("other")
    assert _factory(lib, "net").implements_function("net")


def test_remove_params(lib):
    bare = _factory(lib)["remove_params"]()
    assert len(bare["get_graph_params"]()) == 0
    m = graph_executor.GraphModule(bare["default"](tvm.cpu()))
    m.set_input("p0", W)
    _check(m.module)


def test_factory_argument_errors(lib):
    create = tvm.get_global_func("tvm.graph_executor_factory.create")
    with pytest.raises(ValueError, match="needs name, array pairs"):
        create(GRAPH, lib, "default", "p0")
    with pytest.raises(ValueError, match="graph JSON: cannot parse"):
        create("{", lib, "default")["default"](tvm.cpu())


def test_export_and_load(lib, tmp_path):
    path = str(tmp_path / "net.so")
    _factory(lib).export_library(path)
    loaded = tvm.runtime.load_module(path)
    assert loaded.type_key == "GraphExecutorFactory"
    assert [m.type_key for m in loaded.imported_modules] == ["library"]
    assert loaded["get_graph_json"]() == GRAPH
    np.testing.assert_array_equal(loaded["get_graph_params"]()["p0"].numpy(), W)
    _check(loaded["default"](tvm.cpu()))


def test_export_loads_in_a_fresh_process(lib, tmp_path, subprocess_env):
    path = str(tmp_path / "net.so")
    _factory(lib).export_library(path)
    code = f"""
import numpy as np, tvm
from tvm.contrib import graph_executor
lib = tvm.runtime.load_module({path!r})
m = graph_executor.GraphModule(lib["default"](tvm.cpu()))
m.run(data=np.ones({N}, "float32"))
print(repr(m.get_output(0).numpy().tolist()))
"""
    out = subprocess.run([sys.executable, "-c", code], env=subprocess_env, capture_output=True, text=True,
                         check=True).stdout
    np.testing.assert_allclose(eval(out), W + 1, rtol=1e-6)  # noqa: S307 - our own child's output


def test_executors_from_one_loaded_library_in_threads(lib, tmp_path):
    path = str(tmp_path / "net.so")
    _factory(lib).export_library(path)
    loaded = tvm.runtime.load_module(path)
    mods = [graph_executor.GraphModule(loaded["default"](tvm.cpu())) for _ in range(8)]
    errors = []

    def work(t):
        try:
            rng = np.random.default_rng(t)
            for _ in range(300):
                data = rng.standard_normal(N).astype("float32")
                mods[t].run(data=data)
                np.testing.assert_allclose(mods[t].get_output(0).numpy(), data * W + 1, rtol=1e-6)
        except Exception as e:  # noqa: BLE001 - reported on the main thread
            errors.append((t, e))

    threads = [threading.Thread(target=work, args=(t,)) for t in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors, errors


def test_loaded_library_cannot_be_reexported(lib, tmp_path):
    path = str(tmp_path / "net.so")
    _factory(lib).export_library(path)
    loaded = tvm.runtime.load_module(path)
    with pytest.raises(ValueError, match="cannot re-export a module loaded from a shared library"):
        loaded.export_library(str(tmp_path / "again.so"))


def test_pack_blob_layout(lib):
    # The blob: [size][key count]["GraphExecutorFactory" + its bytes]["_lib"]["_import_tree" row_ptr children].
    import struct

    blob = bytes(tvm.get_global_func("runtime.ModulePackImports")(_factory(lib)))
    (size,) = struct.unpack_from("<Q", blob, 0)
    assert size == len(blob) - 8
    (count,) = struct.unpack_from("<Q", blob, 8)
    assert count == 3
    (klen,) = struct.unpack_from("<Q", blob, 16)
    assert blob[24:24 + klen] == b"GraphExecutorFactory"
    assert blob.endswith(struct.pack("<QQQQQQ", 3, 0, 1, 1, 1, 1))  # row_ptr [0, 1, 1], children [1]
    assert b"_lib" in blob and b"_import_tree" in blob


def test_export_kernels_split_over_imported_modules(tmp_path):
    # The graph's two kernels live in two llvm modules, one importing the other: export links
    # both into one library (one weak __tvm_main__), and the loaded factory finds both there.
    x = te.placeholder((N,), name="x")
    y = te.compute((N,), lambda i: x[i] * 2.0, name="y")
    z = te.compute((N,), lambda i: x[i] + 3.0, name="z")
    first = tvm.build(te.create_schedule(y.op), [x, y], "llvm", name="k_double")
    second = tvm.build(te.create_schedule(z.op), [x, z], "llvm", name="k_add3")
    first.import_module(second)
    graph = json.dumps({
        "nodes": [
            {"op": "null", "name": "data", "inputs": []},
            {"op": "tvm_op", "name": "d", "inputs": [[0, 0, 0]],
             "attrs": {"func_name": "k_double", "num_inputs": "1", "num_outputs": "1", "flatten_data": "0"}},
            {"op": "tvm_op", "name": "a", "inputs": [[1, 0, 0]],
             "attrs": {"func_name": "k_add3", "num_inputs": "1", "num_outputs": "1", "flatten_data": "0"}},
        ],
        "arg_nodes": [0], "heads": [[2, 0, 0]],
        "attrs": {"dltype": ["list_str", ["float32"] * 3], "storage_id": ["list_int", [0, 1, 0]],
                  "shape": ["list_shape", [[N], [N], [N]]]},
    })
    fac = tvm.get_global_func("tvm.graph_executor_factory.create")(graph, first, "default")
    path = str(tmp_path / "split.so")
    fac.export_library(path)
    loaded = tvm.runtime.load_module(path)
    assert [m.type_key for m in loaded.imported_modules] == ["library"]
    m = graph_executor.GraphModule(loaded["default"](tvm.cpu()))
    data = np.arange(N, dtype="float32")
    m.run(data=data)
    np.testing.assert_array_equal(m.get_output(0).numpy(), data * 2 + 3)
    # The plain library export of the two modules links too.
    first.export_library(str(tmp_path / "plain.so"))
    plain = tvm.runtime.load_module(str(tmp_path / "plain.so"))
    assert plain.implements_function("k_double") and plain.implements_function("k_add3")


def test_executors_created_concurrently_from_a_jit_library():
    # A fresh (not yet JIT-compiled) module: eight threads create and run executors at once.
    x = te.placeholder((N,), name="x")
    w = te.placeholder((N,), name="w")
    y = te.compute((N,), lambda i: x[i] * w[i] + 1.0, name="y")
    fresh = tvm.build(te.create_schedule(y.op), [x, w, y], "llvm", name="tvmgen_default_fused_multiply_add")
    fac = _factory(fresh)
    errors = []
    start = threading.Barrier(8)

    def work(t):
        try:
            start.wait()
            _check(fac["default"](tvm.cpu()), seed=t)
        except Exception as e:  # noqa: BLE001 - reported on the main thread
            errors.append((t, e))

    threads = [threading.Thread(target=work, args=(t,)) for t in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors, errors
