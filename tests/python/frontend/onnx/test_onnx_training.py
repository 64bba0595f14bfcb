# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""The ai.onnx.preview.training optimizer steps (Adagrad, Momentum, Adam) against numpy."""
import numpy as np
import pytest
from onnx import TensorProto, helper

from tvm import relay

DOMAIN = "ai.onnx.preview.training"


def _run(op, attrs, inputs, n_out):
    names = ["in%d" % i for i in range(len(inputs))]
    types = {np.dtype("float32"): TensorProto.FLOAT, np.dtype("int64"): TensorProto.INT64}
    node = helper.make_node(op, names, ["out%d" % i for i in range(n_out)], domain=DOMAIN, **attrs)
    graph = helper.make_graph([node], "g", [helper.make_tensor_value_info(n, types[v.dtype], v.shape)
                                            for n, v in zip(names, inputs)],
                              [helper.make_tensor_value_info("out%d" % i, 0, None) for i in range(n_out)])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid(DOMAIN, 1)])
    mod, params = relay.frontend.from_onnx(model)
    out = relay.create_executor("graph", mod=mod, params=params).evaluate()(*inputs)
    return [o.numpy() for o in out]


def _tensors(rng, shapes):
    return [rng.standard_normal(s).astype("float32") for s in shapes]


@pytest.mark.parametrize("t", [0, 3])
def test_adagrad(t):
    rng = np.random.default_rng(t)
    xs, gs = _tensors(rng, [(3,), (2, 2)]), _tensors(rng, [(3,), (2, 2)])
    hs = [np.abs(h) for h in _tensors(rng, [(3,), (2, 2)])]
    r = np.array(0.1, "float32")
    got = _run("Adagrad", {"decay_factor": 0.1, "epsilon": 1e-5, "norm_coefficient": 0.01},
               [r, np.array(t)] + xs + gs + hs, 4)
    rate = 0.1 / (1 + t * 0.1)
    for k in range(2):
        reg = 0.01 * xs[k] + gs[k]
        h = hs[k] + reg * reg
        np.testing.assert_allclose(got[k], xs[k] - rate * reg / (np.sqrt(h) + 1e-5), rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(got[2 + k], h, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("mode", ["standard", "nesterov"])
@pytest.mark.parametrize("t", [0, 2])
def test_momentum(mode, t):
    rng = np.random.default_rng(7)
    x, g, v = _tensors(rng, [(4,), (4,), (4,)])
    got = _run("Momentum", {"alpha": 0.9, "beta": 0.2, "mode": mode, "norm_coefficient": 0.02},
               [np.array(0.05, "float32"), np.array(t), x, g, v], 2)
    reg = 0.02 * x + g
    v_new = 0.9 * v + (0.2 if t > 0 else 1.0) * reg
    step = v_new if mode == "standard" else reg + 0.9 * v_new
    np.testing.assert_allclose(got[0], x - 0.05 * step, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got[1], v_new, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("t", [0, 5])
def test_adam(t):
    rng = np.random.default_rng(11)
    x, g, v = _tensors(rng, [(3,), (3,), (3,)])
    h = np.abs(_tensors(rng, [(3,)])[0])
    attrs = {"alpha": 0.95, "beta": 0.85, "epsilon": 1e-3, "norm_coefficient": 0.001, "norm_coefficient_post": 0.01}
    got = _run("Adam", attrs, [np.array(0.1, "float32"), np.array(t), x, g, v, h], 3)
    reg = 0.001 * x + g
    v_new = 0.95 * v + 0.05 * reg
    h_new = 0.85 * h + 0.15 * reg * reg
    rate = 0.1 * np.sqrt(1 - 0.85 ** t) / (1 - 0.95 ** t) if t > 0 else 0.1
    x_new = (1 - 0.01) * (x - rate * v_new / (np.sqrt(h_new) + 1e-3))
    np.testing.assert_allclose(got[0], x_new, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got[1], v_new, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got[2], h_new, rtol=1e-5, atol=1e-6)


def test_wrong_input_count_is_an_error():
    x = np.zeros(2, "float32")
    with pytest.raises(Exception, match=r"expected R, T and 3 groups of tensors, got 6 inputs"):
        _run("Momentum", {"alpha": 0.9, "beta": 0.1, "mode": "standard", "norm_coefficient": 0.0},
             [np.array(0.1, "float32"), np.array(1), x, x, x, x], 2)
