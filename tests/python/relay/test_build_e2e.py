# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""relay.build end to end through the graph executor runtime: relay.testing models against the
debug executor, create_executor("graph"), export_library and loading the library back."""
import numpy as np
import pytest

import tvm
from tvm import relay
import tvm.relay.testing  # noqa: F401  (relay.testing is a subpackage, imported on demand as in TVM)

graph_executor = pytest.importorskip("tvm.contrib.graph_executor")


def _debug_run(mod, params, inputs):
    main = relay.transform.InferType()(mod)["main"]
    values = {**params, **inputs}
    args = [values[p.name_hint] for p in main.params]
    return relay.create_executor("debug", mod, tvm.cpu(), "llvm").evaluate()(*args).numpy()


def _graph_run(factory, inputs):
    gmod = graph_executor.GraphModule(factory["default"](tvm.cpu()))
    for name, value in inputs.items():
        gmod.set_input(name, value)
    gmod.run()
    return gmod.get_output(0).numpy()


@pytest.mark.parametrize(
    "name, make",
    [
        ("mlp", lambda: relay.testing.mlp.get_workload(batch_size=2)),
        ("resnet-18", lambda: relay.testing.resnet.get_workload(num_layers=18, batch_size=1,
                                                                image_shape=(3, 32, 32))),
        ("mobilenet", lambda: relay.testing.mobilenet.get_workload(batch_size=1, image_shape=(3, 32, 32))),
        ("dqn", lambda: relay.testing.dqn.get_workload(batch_size=1)),
    ],
)
def test_models_match_debug_executor(name, make):
    mod, params = make()
    main = relay.transform.InferType()(mod)["main"]
    data = main.params[0]
    shape = [int(d) for d in data.checked_type.shape]
    x = np.random.RandomState(0).uniform(-1, 1, shape).astype(data.checked_type.dtype)
    factory = relay.build(mod, "llvm", params=params)
    assert not set(factory.get_params()) & {p.name_hint for p in main.params}, name
    got = _graph_run(factory, {data.name_hint: x})
    want = _debug_run(mod, params, {data.name_hint: x})
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)


def test_create_executor_graph_arguments_and_results():
    x = relay.var("x", shape=(2, 3))
    y = relay.var("y", shape=(3,))
    s = relay.add(x, y)
    mod = tvm.IRModule.from_expr(relay.Function([x, y], relay.Tuple([s, relay.Tuple([relay.exp(s), y])])))
    xv = np.arange(6, dtype="float32").reshape(2, 3) / 6
    yv = np.array([1.0, -1.0, 0.5], "float32")
    run = relay.create_executor("graph", mod, tvm.cpu(), "llvm").evaluate()
    for res in (run(xv, yv), run(xv, y=yv), run(x=xv, y=yv)):
        assert isinstance(res, list) and isinstance(res[1], list)
        np.testing.assert_allclose(res[0].numpy(), xv + yv, rtol=1e-6)
        np.testing.assert_allclose(res[1][0].numpy(), np.exp(xv + yv), rtol=1e-6)
        np.testing.assert_array_equal(res[1][1].numpy(), yv)
    single = relay.create_executor("graph", mod, tvm.cpu(), "llvm").evaluate(relay.Function([x], relay.negative(x)))
    out = single(xv)
    assert isinstance(out, tvm.nd.NDArray)
    np.testing.assert_array_equal(out.numpy(), -xv)
    with pytest.raises(TypeError, match="no parameter 'z'"):
        run(xv, z=yv)


def test_create_executor_graph_binds_params():
    x = relay.var("x", shape=(3,))
    w = relay.var("w", shape=(3,))
    mod = tvm.IRModule.from_expr(relay.Function([x, w], relay.multiply(x, w)))
    wv = np.array([2.0, 3.0, 4.0], "float32")
    run = relay.create_executor("graph", mod, tvm.cpu(), "llvm", params={"w": wv}).evaluate()
    np.testing.assert_array_equal(run(np.ones(3, "float32")).numpy(), wv)


def test_export_library_round_trip(tmp_path):
    mod, params = relay.testing.mlp.get_workload(batch_size=1)
    factory = relay.build(mod, "llvm", params=params)
    x = np.random.RandomState(1).rand(1, 1, 28, 28).astype("float32")
    want = _graph_run(factory, {"data": x})
    path = str(tmp_path / "mlp.so")
    factory.export_library(path)
    loaded = tvm.runtime.load_module(path)
    gmod = graph_executor.GraphModule(loaded["default"](tvm.cpu()))
    gmod.set_input("data", x)
    gmod.run()
    np.testing.assert_allclose(gmod.get_output(0).numpy(), want, rtol=1e-6)


def test_old_style_graph_lib_params():
    mod, params = relay.testing.mlp.get_workload(batch_size=1)
    with pytest.warns(DeprecationWarning):
        graph_json, lib, built_params = relay.build(mod, "llvm", params=params)
    gmod = graph_executor.create(graph_json, lib, tvm.cpu())
    gmod.set_input(**built_params)
    x = np.random.RandomState(2).rand(1, 1, 28, 28).astype("float32")
    gmod.set_input("data", x)
    gmod.run()
    want = _debug_run(mod, params, {"data": x})
    np.testing.assert_allclose(gmod.get_output(0).numpy(), want, rtol=1e-5, atol=1e-6)
