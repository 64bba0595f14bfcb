# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""The graph executor on hand-written graphs: kernels from te + tvm.build, checked against numpy."""
import json

import numpy as np
import pytest

import tvm
from tvm import te
from tvm.contrib import graph_executor


def _kernels():
    """One llvm module with add(a, b) -> c, relu(a) -> b and matmul(a[4,8], b[8,3]) -> c."""
    n = 8
    a = te.placeholder((4, n), name="a")
    b = te.placeholder((4, n), name="b")
    add = te.compute((4, n), lambda i, j: a[i, j] + b[i, j], name="add")
    relu = te.compute((4, n), lambda i, j: te.max(a[i, j], tvm.tir.const(0, "float32")), name="relu")
    w = te.placeholder((n, 3), name="w")
    k = te.reduce_axis((0, n), name="k")
    mm = te.compute((4, 3), lambda i, j: te.sum(a[i, k] * w[k, j], axis=k), name="mm")
    mod = tvm.IRModule()
    for name, args, out in [("k_add", [a, b], add), ("k_relu", [a], relu), ("k_matmul", [a, w], mm)]:
        s = te.create_schedule(out.op)
        mod.update(tvm.lower(s, args + [out], name=name))
    return tvm.build(mod, target="llvm")


@pytest.fixture(scope="module")
def lib():
    return _kernels()


def _op(name, func, inputs, num_outputs=1, flatten="0"):
    return {"op": "tvm_op", "name": name, "inputs": [[i, 0, 0] for i in inputs],
            "attrs": {"func_name": func, "num_inputs": str(len(inputs)), "num_outputs": str(num_outputs),
                      "flatten_data": flatten}}


def _null(name):
    return {"op": "null", "name": name, "inputs": []}


def _graph(nodes, arg_nodes, heads, shapes, storage, dtypes=None):
    dtypes = dtypes or ["float32"] * len(shapes)
    return json.dumps({
        "nodes": nodes, "arg_nodes": arg_nodes, "heads": [[h, 0, 0] for h in heads],
        "attrs": {"dltype": ["list_str", dtypes], "storage_id": ["list_int", storage],
                  "shape": ["list_shape", shapes]},
        "node_row_ptr": list(range(len(nodes) + 1)),
    })


# out = matmul(relu(add(x, y)), w), with the matmul output reusing the storage of add's result.
def _mlp_graph():
    nodes = [_null("x"), _null("y"), _op("add0", "k_add", [0, 1]), _op("relu0", "k_relu", [2]), _null("w"),
             _op("mm0", "k_matmul", [3, 4])]
    shapes = [[4, 8], [4, 8], [4, 8], [4, 8], [8, 3], [4, 3]]
    # t (entry 2) is dead after relu: the matmul's output (entry 5, smaller) reuses its storage 2.
    storage = [0, 1, 2, 3, 4, 2]
    return _graph(nodes, [0, 1, 4], [5], shapes, storage)


def _mlp_numpy(x, y, w):
    return np.maximum(x + y, 0) @ w


def test_three_kernels_with_shared_storage(lib):
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal((4, 8), dtype="float32"), rng.standard_normal((4, 8), dtype="float32")
    w = rng.standard_normal((8, 3), dtype="float32")
    m = graph_executor.create(_mlp_graph(), lib, tvm.cpu(0))
    assert m.get_num_inputs() == 3 and m.get_num_outputs() == 1
    m.set_input("x", x)
    m.set_input(1, tvm.nd.array(y))
    m.set_input(w=w)
    m.run()
    np.testing.assert_allclose(m.get_output(0).numpy(), _mlp_numpy(x, y, w), rtol=1e-5, atol=1e-5)
    # Run again with new inputs through run(**kwargs); get_output into an array.
    x2 = rng.standard_normal((4, 8), dtype="float32")
    m.run(x=x2)
    out = tvm.nd.empty((4, 3))
    assert m.get_output(0, out) is out
    np.testing.assert_allclose(out.numpy(), _mlp_numpy(x2, y, w), rtol=1e-5, atol=1e-5)
    np.testing.assert_array_equal(m.get_input("x").numpy(), x2)
    np.testing.assert_array_equal(m.get_input(2).numpy(), w)


def test_storage_sized_by_largest_sharer(lib):
    # The 4x3 matmul output comes first on storage 0 in entry order; the 4x8 relu output shares it
    # later. The pool must hold the larger one.
    nodes = [_null("x"), _null("w"), _op("mm0", "k_matmul", [0, 1]), _null("y"), _op("add0", "k_add", [0, 3]),
             _op("relu0", "k_relu", [4])]
    shapes = [[4, 8], [8, 3], [4, 3], [4, 8], [4, 8], [4, 8]]
    storage = [1, 2, 0, 3, 4, 0]
    g = _graph(nodes, [0, 1, 3], [5], shapes, storage)
    x = np.linspace(-1, 1, 32, dtype="float32").reshape(4, 8)
    y = np.full((4, 8), 0.25, "float32")
    m = graph_executor.create(g, lib, tvm.cpu())
    m.run(x=x, y=y, w=np.ones((8, 3), "float32"))
    np.testing.assert_allclose(m.get_output(0).numpy(), np.maximum(x + y, 0), rtol=1e-6)


def test_flatten_data(lib):
    # flatten_data "1" passes 1-d views; k_add still sees 32 elements (as a 4x8 buffer it would
    # reject the 1-d shape, so build a 1-d kernel for it).
    a = te.placeholder((32,), name="a")
    b = te.compute((32,), lambda i: a[i] * 2.0, name="b")
    flat = tvm.build(te.create_schedule(b.op), [a, b], "llvm", name="k_double")
    g = _graph([_null("x"), _op("d", "k_double", [0], flatten="1")], [0], [1], [[4, 8], [4, 8]], [0, 1])
    m = graph_executor.create(g, flat, tvm.cpu())
    x = np.arange(32, dtype="float32").reshape(4, 8)
    m.run(x=x)
    np.testing.assert_array_equal(m.get_output(0).numpy(), x * 2)


def test_input_output_info_and_indices(lib):
    m = graph_executor.create(_mlp_graph(), lib, tvm.cpu())
    assert m.get_input_index("x") == 0
    assert m.get_input_index("w") == 2
    assert m.get_input_index("nope") == -1
    shapes, dtypes = m.get_input_info()
    assert set(shapes.keys()) == {"x", "y", "w"}
    assert shapes["w"] == (8, 3)
    assert isinstance(shapes["w"], tvm.runtime.ShapeTuple)
    assert dtypes["x"] == "float32"
    assert m["get_output_index"]("mm0:0") == 0
    assert m["get_output_index"]("mm0") == 0
    out_info = m["get_output_info"]()
    assert out_info["shape"]["mm0"] == [4, 3]
    # Loaded parameters no longer count as inputs to feed.
    m.load_params(tvm.runtime.save_param_dict({"w": np.ones((8, 3), "float32")}))
    shapes, _ = m.get_input_info()
    assert set(shapes.keys()) == {"x", "y"}


def test_zero_copy(lib):
    rng = np.random.default_rng(1)
    x, y = rng.standard_normal((4, 8), dtype="float32"), rng.standard_normal((4, 8), dtype="float32")
    w = rng.standard_normal((8, 3), dtype="float32")
    m = graph_executor.create(_mlp_graph(), lib, tvm.cpu())
    xa, ya, wa = tvm.nd.array(x), tvm.nd.array(y), tvm.nd.array(w)
    out = tvm.nd.empty((4, 3))
    m.set_input_zero_copy("x", xa)
    m.set_input_zero_copy(y=ya, w=wa)
    m.set_output_zero_copy(0, out)
    m.run()
    np.testing.assert_allclose(out.numpy(), _mlp_numpy(x, y, w), rtol=1e-5, atol=1e-5)
    # The executor reads the caller's array: changing it changes the next result.
    x2 = x * 3
    xa.copyfrom(x2)
    m.run()
    np.testing.assert_allclose(out.numpy(), _mlp_numpy(x2, y, w), rtol=1e-5, atol=1e-5)
    # set_input copies again and stops reading xa.
    m.set_input("x", x)
    xa.copyfrom(np.zeros_like(x))
    m.run()
    np.testing.assert_allclose(out.numpy(), _mlp_numpy(x, y, w), rtol=1e-5, atol=1e-5)
    with pytest.raises(ValueError, match=r"expects shape \[4, 8\] float32, got shape \[8, 4\] float32"):
        m.set_input_zero_copy("x", tvm.nd.empty((8, 4)))


def test_run_from_inputs_and_benchmark(lib):
    rng = np.random.default_rng(2)
    x, y = rng.standard_normal((4, 8), dtype="float32"), rng.standard_normal((4, 8), dtype="float32")
    w = rng.standard_normal((8, 3), dtype="float32")
    m = graph_executor.create(_mlp_graph(), lib, tvm.cpu())
    outs = m["run_from_inputs"](1, 0, "x", tvm.nd.array(x), "y", tvm.nd.array(y), "w", tvm.nd.array(w))
    assert len(outs) == 1
    np.testing.assert_allclose(outs[0].numpy(), _mlp_numpy(x, y, w), rtol=1e-5, atol=1e-5)
    res = m.benchmark(tvm.cpu(), repeat=2, number=3, x=x)
    assert len(res.results) == 2 and res.mean > 0
    res = m.benchmark(tvm.cpu(), repeat=2, number=2, end_to_end=True, x=x, y=y, w=w)
    assert len(res.results) == 2


def test_nop_and_tuple_heads(lib):
    # A graph whose output is an input (heads may point at "null" nodes) plus a __nop node.
    nodes = [_null("x"), _op("nothing", "__nop", [0]), _op("r", "k_relu", [0])]
    g = _graph(nodes, [0], [2, 0], [[4, 8], [4, 8], [4, 8]], [0, 1, 2])
    m = graph_executor.create(g, lib, tvm.cpu())
    x = np.linspace(-2, 2, 32, dtype="float32").reshape(4, 8)
    m.run(x=x)
    assert m.get_num_outputs() == 2
    np.testing.assert_array_equal(m.get_output(0).numpy(), np.maximum(x, 0))
    np.testing.assert_array_equal(m.get_output(1).numpy(), x)


def test_graph_module_getitem_and_create_types(lib):
    m = graph_executor.create(_mlp_graph(), lib, [tvm.cpu(0)])
    assert m["get_num_outputs"]() == 1
    assert m.module.type_key == "GraphExecutor"
    with pytest.raises(ValueError, match="tvm Device"):
        graph_executor.create(_mlp_graph(), lib, "cpu")
    with pytest.raises(ValueError, match="JSON str"):
        graph_executor.create(123, lib, tvm.cpu())


def test_copy_node_and_device_index(lib):
    # Heterogeneous graphs place entries by device_index (a device type) and move data with
    # "__copy" nodes; with every entry on the CPU that is a plain copy.
    nodes = [_null("x"), _op("to_dev", "__copy", [0]), _op("r", "k_relu", [1])]
    g = json.loads(_graph(nodes, [0], [2], [[4, 8]] * 3, [0, 1, 2]))
    g["attrs"]["device_index"] = ["list_int", [1, 1, 1]]
    m = graph_executor.create(json.dumps(g), lib, [tvm.cpu(0)])
    x = np.linspace(-1, 1, 32, dtype="float32").reshape(4, 8)
    m.run(x=x)
    np.testing.assert_array_equal(m.get_output(0).numpy(), np.maximum(x, 0))
    g["attrs"]["device_index"] = ["list_int", [1, 2, 2]]
    with pytest.raises(ValueError, match="asks for device type 2, which is not among the devices"):
        graph_executor.create(json.dumps(g), lib, tvm.cpu(0))


def test_chain_of_100000_operators(lib):
    # Large graphs parse and run in linear time, without deep recursion.
    k = 100000
    nodes = [_null("x")] + [_op(f"r{i}", "k_relu", [i]) for i in range(k)]
    storage = [0] + [1 + i % 2 for i in range(k)]
    g = _graph(nodes, [0], [k], [[4, 8]] * (k + 1), storage)
    m = graph_executor.create(g, lib, tvm.cpu())
    x = np.linspace(-1, 1, 32, dtype="float32").reshape(4, 8)
    m.run(x=x)
    np.testing.assert_array_equal(m.get_output(0).numpy(), np.maximum(x, 0))


def test_scalar_input():
    # 0-d inputs (scalars) keep their shape through set_input, from numpy, Python numbers and NDArrays.
    a = te.placeholder((), name="a")
    b = te.compute((), lambda: a() * 3.0, name="b")
    lib = tvm.build(te.create_schedule(b.op), [a, b], "llvm", name="k_triple")
    g = _graph([_null("s"), _op("t", "k_triple", [0])], [0], [1], [[], []], [0, 1])
    m = graph_executor.create(g, lib, tvm.cpu())
    for value in (np.array(2.0, "float32"), np.float64(2.0), 2, tvm.nd.array(np.array(2.0, "float32"))):
        m.set_input("s", value)
        m.run()
        assert m.get_output(0).numpy().shape == ()
        assert float(m.get_output(0).numpy()) == 6.0
