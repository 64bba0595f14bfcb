# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""relay.build's graph codegen: the graph JSON (exact structure, storage plan), params, kernel
names and caching, and numeric results of the built kernels run as the graph says (a small graph
runner below that honours the storage plan, so a wrong plan gives wrong numbers)."""
import json

import numpy as np
import pytest

import tvm
from tvm import relay
from tvm.relay.backend import graph_executor_codegen


def _graph_runner(factory, inputs):
    """Run a relay.build result the way the graph executor does: one buffer per storage id (as
    large as the largest entry placed there), every entry a view of its storage, the kernels
    called in node order with inputs then outputs. Returns the heads as numpy arrays."""
    graph = json.loads(factory.get_graph_json())
    lib = factory.get_lib()
    params = factory.get_params()
    shapes = graph["attrs"]["shape"][1]
    dtypes = graph["attrs"]["dltype"][1]
    sids = graph["attrs"]["storage_id"][1]
    row = graph["node_row_ptr"]
    nbytes = [int(np.prod(s, dtype=np.int64)) * np.dtype(d).itemsize for s, d in zip(shapes, dtypes)]
    pool_bytes = {}
    for sid, n in zip(sids, nbytes):
        pool_bytes[sid] = max(pool_bytes.get(sid, 0), n, 1)
    pools = {sid: tvm.nd.empty((n,), "uint8") for sid, n in pool_bytes.items()}
    views = [pools[sid]._create_view(shape, dtype) for sid, shape, dtype in zip(sids, shapes, dtypes)]
    for nid, node in enumerate(graph["nodes"]):
        if node["op"] == "null":
            name = node["name"]
            value = params[name] if name in params else inputs[name]
            views[row[nid]].copyfrom(np.asarray(value.numpy() if hasattr(value, "numpy") else value,
                                                dtype=dtypes[row[nid]]))
            continue
        if node["attrs"]["func_name"] == "__nop":  # a reshape: its output is a view of its input's storage
            continue
        func = lib[node["attrs"]["func_name"]]
        args = [views[row[e[0]] + e[1]] for e in node["inputs"]]
        outs = views[row[nid]:row[nid + 1]]
        assert int(node["attrs"]["num_inputs"]) == len(args)
        assert int(node["attrs"]["num_outputs"]) == len(outs)
        func(*args, *outs)
    return [views[row[h[0]] + h[1]].numpy().copy() for h in graph["heads"]]


def _debug(mod, inputs):
    result = relay.create_executor("debug", mod=mod, target="llvm").evaluate()(**inputs)
    if isinstance(result, tvm.runtime.container.ADT):
        return [r.numpy() for r in result]
    return [result.numpy()]


def _build(mod, opt_level=0, **kwargs):
    """relay.build; at opt_level 0 every operator is a kernel of its own (what these structural
    tests pin down), higher levels fuse."""
    with tvm.transform.PassContext(opt_level=opt_level):
        return relay.build(mod, "llvm", **kwargs)


def _check_against_debug(mod, inputs, rtol=1e-5, atol=1e-6, opt_level=0):
    factory = _build(mod, opt_level)
    got = _graph_runner(factory, inputs)
    want = _debug(mod, inputs)
    assert len(got) == len(want)
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=rtol, atol=atol)
    return factory


def test_graph_json_exact_structure():
    x = relay.var("x", shape=(4, 8))
    y = relay.var("y", shape=(8,))
    z = relay.nn.relu(relay.add(x, y))
    out = relay.Tuple([relay.negative(relay.exp(z)), relay.sum(z, axis=1)])
    factory = _build(tvm.IRModule.from_expr(relay.Function([x, y], out)))
    graph = json.loads(factory.get_graph_json())
    assert [(n["op"], n["name"]) for n in graph["nodes"]] == [
        ("null", "x"),
        ("null", "y"),
        ("tvm_op", "tvmgen_default_fused_add"),
        ("tvm_op", "tvmgen_default_fused_nn_relu"),
        ("tvm_op", "tvmgen_default_fused_exp"),
        ("tvm_op", "tvmgen_default_fused_negative"),
        ("tvm_op", "tvmgen_default_fused_sum"),
    ]
    assert graph["nodes"][2]["attrs"] == {"flatten_data": "0", "func_name": "tvmgen_default_fused_add",
                                          "num_inputs": "2", "num_outputs": "1"}
    assert [n["inputs"] for n in graph["nodes"]] == [
        [], [], [[0, 0, 0], [1, 0, 0]], [[2, 0, 0]], [[3, 0, 0]], [[4, 0, 0]], [[3, 0, 0]]]
    assert graph["arg_nodes"] == [0, 1]
    assert graph["heads"] == [[5, 0, 0], [6, 0, 0]]
    assert graph["attrs"]["dltype"] == ["list_str", ["float32"] * 7]
    assert graph["attrs"]["shape"] == ["list_shape", [[4, 8], [8], [4, 8], [4, 8], [4, 8], [4, 8], [4]]]
    # add's buffer is free once relu has read it: exp takes it; negative cannot (it reads exp's),
    # sum takes it again after negative has read exp.
    assert graph["attrs"]["storage_id"] == ["list_int", [0, 1, 2, 3, 2, 4, 2]]
    assert graph["node_row_ptr"] == [0, 1, 2, 3, 4, 5, 6, 7]
    assert factory.get_params() == {}


def test_unfused_scalar_constants_stay_in_the_kernel():
    x = relay.var("x", shape=(3,))
    mod = relay.transform.InferType()(tvm.IRModule.from_expr(relay.Function([x], x * relay.const(2.0))))
    # main as written (no FuseOps): the codegen wraps the call itself, the scalar inside
    graph_json, lowered, params = graph_executor_codegen.GraphExecutorCodegen(None, "llvm").codegen(mod)
    graph = json.loads(graph_json)
    assert [(n["name"], n["inputs"]) for n in graph["nodes"]] == [
        ("x", []), ("tvmgen_default_fused_multiply", [[0, 0, 0]])]
    assert params == {}


def test_chain_storage_alternates_and_smaller_fits():
    x = relay.var("x", shape=(16,))
    a = relay.negative(x)
    b = relay.exp(a)
    c = relay.abs(b)
    d = relay.strided_slice(c, begin=[0], end=[8])  # smaller: fits a freed 16-element buffer
    e = relay.tanh(d)
    f = relay.concatenate([e, e], axis=0)  # 16 elements: not in an 8-element buffer
    mod = tvm.IRModule.from_expr(relay.Function([x], f))
    factory = _check_against_debug(mod, {"x": np.random.RandomState(0).randn(16).astype("float32")})
    graph = json.loads(factory.get_graph_json())
    # x=0; a=1; b=2; c takes a's (1); d takes b's (2); e takes c's (1, 16 >= 8); f: d's (2) is
    # free again once e ran and is large enough.
    assert graph["attrs"]["storage_id"][1] == [0, 1, 2, 1, 2, 1, 2]


def test_constants_become_params_in_order():
    x = relay.var("x", shape=(2, 3))
    w = np.arange(6, dtype="float32").reshape(2, 3)
    b = np.array([1.0, -2.0, 3.0], dtype="float32")
    out = relay.add(relay.multiply(x, relay.const(w)), relay.const(b))
    mod = tvm.IRModule.from_expr(relay.Function([x], out))
    factory = _check_against_debug(mod, {"x": np.ones((2, 3), "float32")})
    graph = json.loads(factory.get_graph_json())
    assert [n["name"] for n in graph["nodes"] if n["op"] == "null"] == ["x", "p0", "p1"]
    assert graph["arg_nodes"] == [0, 1, 3]
    params = factory.get_params()
    assert sorted(params) == ["p0", "p1"]
    np.testing.assert_array_equal(params["p0"].numpy(), w)
    np.testing.assert_array_equal(params["p1"].numpy(), b)


def test_build_binds_params_by_name():
    x = relay.var("x", shape=(3,))
    w = relay.var("w", shape=(3,))
    mod = tvm.IRModule.from_expr(relay.Function([x, w], relay.subtract(x, w)))
    wv = np.array([1.0, 2.0, 3.0], "float32")
    factory = _build(mod, params={"w": wv})
    graph = json.loads(factory.get_graph_json())
    assert [n["name"] for n in graph["nodes"] if n["op"] == "null"] == ["x", "p0"]
    (got,) = _graph_runner(factory, {"x": np.zeros(3, "float32")})
    np.testing.assert_array_equal(got, -wv)


def test_identical_layers_share_one_kernel():
    x = relay.var("x", shape=(1, 16))
    w1 = relay.var("w1", shape=(16, 16))
    w2 = relay.var("w2", shape=(16, 16))
    h = relay.nn.relu(relay.nn.dense(x, w1))
    h = relay.nn.relu(relay.nn.dense(h, w2))
    h = relay.nn.dense(relay.reshape(h, (2, 8)), relay.var("w3", shape=(4, 8)))
    mod = tvm.IRModule.from_expr(relay.Function(relay.analysis.free_vars(h), h))
    rs = np.random.RandomState(1)
    inputs = {"x": rs.randn(1, 16).astype("float32"), "w1": rs.randn(16, 16).astype("float32"),
              "w2": rs.randn(16, 16).astype("float32"), "w3": rs.randn(4, 8).astype("float32")}
    factory = _check_against_debug(mod, inputs, rtol=1e-4, atol=1e-5)
    graph = json.loads(factory.get_graph_json())
    ops = [(n["name"], n["attrs"]["func_name"]) for n in graph["nodes"] if n["op"] == "tvm_op"]
    assert ops == [
        ("tvmgen_default_fused_nn_dense", "tvmgen_default_fused_nn_dense"),
        ("tvmgen_default_fused_nn_relu", "tvmgen_default_fused_nn_relu"),
        ("tvmgen_default_fused_nn_dense_1", "tvmgen_default_fused_nn_dense"),
        ("tvmgen_default_fused_nn_relu_1", "tvmgen_default_fused_nn_relu"),
        ("reshape_nop", "__nop"),
        # another shape: another kernel, its name made unique (and the node's among the nodes)
        ("tvmgen_default_fused_nn_dense_1_1", "tvmgen_default_fused_nn_dense_1"),
    ]
    _, lowered, _ = graph_executor_codegen.GraphExecutorCodegen(None, "llvm").codegen(
        relay.transform.InferType()(mod))  # main unfused: each call wrapped on its own
    names = sorted(g.name_hint for g in list(lowered.values())[0].get_global_vars())
    assert names == ["tvmgen_default_fused_nn_dense", "tvmgen_default_fused_nn_dense_1",
                     "tvmgen_default_fused_nn_relu"]


def test_mod_name_prefixes_kernels():
    x = relay.var("x", shape=(3,))
    factory = _build(tvm.IRModule.from_expr(relay.Function([x], relay.sqrt(x))), mod_name="net")
    graph = json.loads(factory.get_graph_json())
    assert graph["nodes"][1]["attrs"]["func_name"] == "tvmgen_net_fused_sqrt"
    assert factory.libmod_name == "net"
    factory = _build(tvm.IRModule.from_expr(relay.Function([x], relay.sqrt(x))), mod_name=None)
    assert factory.libmod_name == "default"


def test_tuples_projections_and_lets():
    x = relay.var("x", shape=(6, 4))
    parts = relay.split(x, 3, axis=0)
    a = relay.var("a")
    body = relay.Let(a, relay.add(relay.TupleGetItem(parts.astuple(), 0), relay.TupleGetItem(parts.astuple(), 2)),
                     relay.Tuple([relay.nn.relu(a), relay.TupleGetItem(parts.astuple(), 1), x]))
    mod = tvm.IRModule.from_expr(relay.Function([x], body))
    inputs = {"x": np.random.RandomState(2).randn(6, 4).astype("float32")}
    factory = _check_against_debug(mod, inputs)
    graph = json.loads(factory.get_graph_json())
    split = [i for i, n in enumerate(graph["nodes"]) if n["name"] == "tvmgen_default_fused_split"][0]
    assert graph["nodes"][split]["attrs"]["num_outputs"] == "3"
    assert graph["heads"][1] == [split, 1, 0]
    assert graph["heads"][2] == [0, 0, 0]  # an input returned as it is


def test_several_outputs_op_batch_norm():
    x = relay.var("x", shape=(2, 3, 4, 4))
    g, b, m, v = (relay.var(n, shape=(3,)) for n in ("g", "b", "m", "v"))
    out = relay.nn.batch_norm(x, g, b, m, v)
    mod = tvm.IRModule.from_expr(relay.Function([x, g, b, m, v], out.astuple()))
    rs = np.random.RandomState(3)
    inputs = {"x": rs.randn(2, 3, 4, 4).astype("float32"), "g": rs.rand(3).astype("float32"),
              "b": rs.randn(3).astype("float32"), "m": rs.randn(3).astype("float32"),
              "v": rs.rand(3).astype("float32") + 0.5}
    _check_against_debug(mod, inputs, rtol=1e-5, atol=1e-5)


def test_conv_network_matches_debug_executor():
    x = relay.var("x", shape=(1, 3, 8, 8))
    w = relay.var("w", shape=(4, 3, 3, 3))
    y = relay.nn.conv2d(x, w, padding=(1, 1), channels=4, kernel_size=(3, 3))
    y = relay.nn.bias_add(y, relay.const(np.arange(4, dtype="float32")))
    y = relay.nn.max_pool2d(relay.nn.relu(y), pool_size=(2, 2), strides=(2, 2))
    y = relay.nn.softmax(relay.nn.batch_flatten(y))
    mod = tvm.IRModule.from_expr(relay.Function([x, w], y))
    rs = np.random.RandomState(4)
    _check_against_debug(mod, {"x": rs.randn(1, 3, 8, 8).astype("float32"),
                               "w": rs.randn(4, 3, 3, 3).astype("float32")}, rtol=1e-4, atol=1e-5)


def test_dtypes_in_graph():
    x = relay.var("x", shape=(5,), dtype="int32")
    t = relay.var("t", shape=(), dtype="int32")
    y = relay.cast(relay.greater(x, t), "float16")
    mod = tvm.IRModule.from_expr(relay.Function([x, t], y))
    factory = _check_against_debug(mod, {"x": np.arange(5, dtype="int32"), "t": np.array(2, "int32")})
    graph = json.loads(factory.get_graph_json())
    assert graph["attrs"]["dltype"][1] == ["int32", "int32", "bool", "float16"]


def test_long_chain_does_not_recurse():
    x = relay.var("x", shape=(4,))
    y = x
    for _ in range(100000):
        y = relay.negative(y)
    mod = tvm.IRModule.from_expr(relay.Function([x], y))
    factory = _build(mod)
    graph = json.loads(factory.get_graph_json())
    assert len(graph["nodes"]) == 100001
    assert sorted(set(graph["attrs"]["storage_id"][1])) == [0, 1, 2]
    names = {n["attrs"]["func_name"] for n in graph["nodes"][1:]}
    assert names == {"tvmgen_default_fused_negative"}  # one kernel for all of them


def test_unsupported_programs_are_named():
    x = relay.var("x", shape=(2,))
    cond = relay.var("c", shape=(), dtype="bool")
    mod = tvm.IRModule.from_expr(relay.Function([x, cond], relay.If(cond, x, relay.negative(x))))
    with pytest.raises(TypeError, match="does not support control flow"):
        relay.build(mod, "llvm")
    t = relay.var("t", relay.TupleType([relay.TensorType((2,)), relay.TensorType((2,))]))
    mod = tvm.IRModule.from_expr(relay.Function([t], relay.TupleGetItem(t, 0)))
    with pytest.raises(TypeError, match="parameter t"):
        relay.build(mod, "llvm")
    d = relay.var("d", shape=(relay.Any(), 2))
    mod = tvm.IRModule.from_expr(relay.Function([d], relay.negative(d)))
    with pytest.raises(ValueError, match="static shapes"):
        relay.build(mod, "llvm")
    with pytest.raises(NotImplementedError, match="graph executor"):
        relay.build(mod, "llvm", executor=relay.backend.Executor("aot"))


def test_factory_interface():
    x = relay.var("x", shape=(2,))
    mod = tvm.IRModule.from_expr(relay.Function([x], relay.add(x, relay.const(np.ones(2, "float32")))))
    factory = relay.build(mod, target="llvm")
    assert isinstance(factory, relay.backend.executor_factory.GraphExecutorFactoryModule)
    assert factory.get_executor_config() == factory.get_graph_json()
    with pytest.warns(DeprecationWarning):
        graph_json, lib, params = factory
    assert graph_json == factory.get_graph_json() and lib is factory.get_lib() and list(params) == ["p0"]
    assert factory.ir_mod is not None and str(factory.target.kind.name) == "llvm"
    graph_json, lib, params = relay.build_module.BuildModule().build(mod, "llvm")
    assert list(params) == ["p0"]


needs_fuse_ops = pytest.mark.skipif(not hasattr(relay.transform, "FuseOps"), reason="FuseOps is not built")


@needs_fuse_ops
@pytest.mark.parametrize("opt_level", [1, 3])
def test_fused_graph_structure(opt_level):
    x = relay.var("x", shape=(4, 8))
    y = relay.var("y", shape=(8,))
    z = relay.nn.relu(relay.add(x, y))
    out = relay.Tuple([relay.exp(z) * relay.const(2.0), relay.sum(z, axis=1)])
    mod = tvm.IRModule.from_expr(relay.Function([x, y], out))
    inputs = {"x": np.random.RandomState(5).randn(4, 8).astype("float32"),
              "y": np.random.RandomState(6).randn(8).astype("float32")}
    factory = _check_against_debug(mod, inputs, opt_level=opt_level)
    graph = json.loads(factory.get_graph_json())
    assert [(n["name"], n["inputs"]) for n in graph["nodes"]] == [
        ("x", []), ("y", []),
        ("tvmgen_default_fused_add_nn_relu", [[0, 0, 0], [1, 0, 0]]),
        ("tvmgen_default_fused_exp_multiply", [[2, 0, 0]]),
        ("tvmgen_default_fused_sum", [[2, 0, 0]]),
    ]
    assert graph["attrs"]["storage_id"][1] == [0, 1, 2, 3, 4]
    assert graph["heads"] == [[3, 0, 0], [4, 0, 0]]


@needs_fuse_ops
def test_fused_constants_are_kernel_arguments():
    x = relay.var("x", shape=(2, 3))
    w = np.arange(6, dtype="float32").reshape(2, 3)
    out = relay.add(relay.multiply(x, relay.const(w)), relay.const(np.ones(3, "float32")))
    mod = tvm.IRModule.from_expr(relay.Function([x], out))
    factory = _check_against_debug(mod, {"x": np.full((2, 3), 2.0, "float32")}, opt_level=3)
    graph = json.loads(factory.get_graph_json())
    assert [(n["name"], n["inputs"]) for n in graph["nodes"]] == [
        ("x", []), ("p0", []), ("p1", []),
        ("tvmgen_default_fused_multiply_add", [[0, 0, 0], [1, 0, 0], [2, 0, 0]])]
    np.testing.assert_array_equal(factory.get_params()["p0"].numpy(), w)


@needs_fuse_ops
def test_fused_long_chain_builds():
    x = relay.var("x", shape=(4,))
    y = x
    for _ in range(100000):
        y = relay.negative(y)
    factory = _build(tvm.IRModule.from_expr(relay.Function([x], y)), opt_level=2)
    graph = json.loads(factory.get_graph_json())
    kernels = {n["attrs"]["func_name"] for n in graph["nodes"] if n["op"] == "tvm_op"}
    assert len(graph["nodes"]) < 1000 and len(kernels) <= 3  # fused groups of equal depth share a kernel
    (got,) = _graph_runner(factory, {"x": np.arange(4, dtype="float32")})
    np.testing.assert_array_equal(got, np.arange(4, dtype="float32"))  # an even number of negations


def test_codegen_then_backend_build_by_hand():
    a = relay.var("A", shape=(1, 8))
    b = relay.var("B", shape=(1, 8))
    mod = tvm.IRModule.from_expr(relay.Function([a, b], relay.add(a, b)))
    mod, _ = relay.optimize(mod, tvm.target.Target("llvm"))
    graph_json, lowered, params = graph_executor_codegen.GraphExecutorCodegen(None, "llvm").codegen(mod, mod["main"])
    lib = relay.backend._backend.build(lowered, tvm.target.Target("llvm"))
    func_name = json.loads(graph_json)["nodes"][2]["attrs"]["func_name"]
    x, y, out = tvm.nd.array(np.ones((1, 8), "float32")), tvm.nd.array(np.full((1, 8), 2.0, "float32")), tvm.nd.empty((1, 8))
    lib[func_name](x, y, out)
    np.testing.assert_array_equal(out.numpy(), np.full((1, 8), 3.0))
    assert params == {}


def test_reshapes_are_nops_sharing_storage():
    x = relay.var("x", shape=(10, 4))
    xx = relay.abs(x)
    y = relay.expand_dims(xx, axis=1)
    t1 = relay.abs(y)
    out = relay.Tuple([relay.reshape(relay.reshape(y, (1, 40)), (2, 20)), relay.sqrt(t1), relay.reshape(t1, (1, 40)),
                       relay.squeeze(relay.nn.batch_flatten(relay.reshape(x, (40, 1))))])
    mod = tvm.IRModule.from_expr(relay.Function([x], out))
    factory = _check_against_debug(mod, {"x": np.random.RandomState(7).randn(10, 4).astype("float32")})
    graph = json.loads(factory.get_graph_json())
    assert [(n["name"], n["attrs"]["func_name"] if n["op"] == "tvm_op" else None, n["inputs"])
            for n in graph["nodes"]] == [
        ("x", None, []),
        ("tvmgen_default_fused_abs", "tvmgen_default_fused_abs", [[0, 0, 0]]),
        ("reshape_nop", "__nop", [[1, 0, 0]]),  # expand_dims
        ("reshape_nop_1", "__nop", [[2, 0, 0]]),  # SimplifyExpr made the reshape pair one reshape
        ("tvmgen_default_fused_abs_1", "tvmgen_default_fused_abs_1", [[2, 0, 0]]),  # another shape
        ("tvmgen_default_fused_sqrt", "tvmgen_default_fused_sqrt", [[4, 0, 0]]),
        ("reshape_nop_2", "__nop", [[4, 0, 0]]),
        ("reshape_nop_3", "__nop", [[0, 0, 0]]),
        ("reshape_nop_4", "__nop", [[7, 0, 0]]),
        ("reshape_nop_5", "__nop", [[8, 0, 0]]),
    ]
    # Views share their input's storage: abs(x) (1) stays alive while a view of it is read;
    # x's views share the input's storage (0).
    assert graph["attrs"]["storage_id"][1] == [0, 1, 1, 1, 2, 3, 2, 0, 0, 0]
    lowered = graph_executor_codegen.GraphExecutorCodegen(None, "llvm").codegen(
        relay.transform.InferType()(mod))[1]
    assert sorted(g.name_hint for g in list(lowered.values())[0].get_global_vars()) == [
        "tvmgen_default_fused_abs", "tvmgen_default_fused_abs_1", "tvmgen_default_fused_sqrt"]


def test_view_keeps_storage_alive_until_its_last_read():
    x = relay.var("x", shape=(8,))
    a = relay.exp(x)
    v = relay.reshape(a, (2, 4))  # a view of a's storage
    b = relay.negative(x)  # must not take a's storage: v is still to be read
    c = relay.add(relay.reshape(b, (2, 4)), v)
    mod = tvm.IRModule.from_expr(relay.Function([x], c))
    factory = _check_against_debug(mod, {"x": np.arange(8, dtype="float32") / 8})
    graph = json.loads(factory.get_graph_json())
    sids = graph["attrs"]["storage_id"][1]
    names = [n["name"] for n in graph["nodes"]]
    assert sids[names.index("tvmgen_default_fused_negative")] != sids[names.index("tvmgen_default_fused_exp")]


def test_same_ops_and_shapes_but_other_attrs_get_their_own_kernels():
    x = relay.var("x", shape=(6,))
    a = relay.nn.leaky_relu(x, alpha=0.1)
    b = relay.nn.leaky_relu(x, alpha=0.2)
    c = relay.nn.leaky_relu(x, alpha=0.1)  # equal to a: shares its kernel
    out = relay.Tuple([a, b, c])
    mod = tvm.IRModule.from_expr(relay.Function([x], out))
    factory = _check_against_debug(mod, {"x": np.linspace(-3, 3, 6).astype("float32")})
    graph = json.loads(factory.get_graph_json())
    assert [n["attrs"]["func_name"] for n in graph["nodes"] if n["op"] == "tvm_op"] == [
        "tvmgen_default_fused_nn_leaky_relu", "tvmgen_default_fused_nn_leaky_relu_1",
        "tvmgen_default_fused_nn_leaky_relu"]


def test_smaller_free_storage_grows_within_a_factor_of_16():
    x = relay.var("x", shape=(10,))
    y = relay.var("y", shape=(1,))
    z = relay.add(x, relay.exp(y))
    for _ in range(5):
        z = relay.exp(z)
    mod = tvm.IRModule.from_expr(relay.Function([x, y], z))
    factory = _check_against_debug(mod, {"x": np.linspace(-1, 0, 10).astype("float32") / 8,
                                         "y": np.array([-2.0], "float32")}, rtol=1e-5)
    sids = json.loads(factory.get_graph_json())["attrs"]["storage_id"][1]
    # exp(y) takes 4 bytes (2); once add has read it, that block grows to 40 bytes for the first
    # exp(z), then two blocks alternate.
    assert sids == [0, 1, 2, 3, 2, 3, 2, 3, 2]
    big = relay.var("big", shape=(1000,))
    mod = tvm.IRModule.from_expr(relay.Function([big], relay.exp(relay.sum(relay.exp(big)))))
    sids = json.loads(_build(mod).get_graph_json())["attrs"]["storage_id"][1]
    # big=0, exp(big)=1 (4000 bytes), sum=2 (4 bytes); the last exp (4 bytes) finds exp(big)'s
    # block free but more than 16 times too large: it gets its own.
    assert sids == [0, 1, 2, 3]


def test_graph_plan_memory_per_expression():
    x = relay.var("x", shape=(10,))
    y = relay.var("y", shape=(1,))
    y2 = relay.exp(y)
    z = relay.add(x, y2)
    for _ in range(5):
        z = relay.exp(z)
    func = relay.transform.InferType()(tvm.IRModule.from_expr(relay.Function([x, y], z)))["main"]
    plan = relay.backend._backend.GraphPlanMemory(func).expr_to_storage_info
    assert plan[x].storage_ids == [0] and plan[x].storage_sizes == [40]
    assert plan[y].storage_ids == [1] and plan[y].storage_sizes == [4]
    # the bytes each tensor needs (storage 2 grows to 40 bytes for exp(add) later)
    assert plan[y2].storage_ids == [2] and plan[y2].storage_sizes == [4]
    assert plan[func.body].storage_ids == [2] and plan[func.body].storage_sizes == [40]
    assert {i for info in plan.values() for i in info.storage_ids} == {0, 1, 2, 3}
    assert {d for info in plan.values() for d in info.device_types} == {1}
