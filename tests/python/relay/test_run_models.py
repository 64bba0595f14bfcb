# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Small networks built in Relay run in the debug executor and match a PyTorch forward pass."""
import numpy as np
import torch
import torch.nn.functional as F

import tvm
from tvm import relay

RNG = np.random.default_rng(21)


def rand(*shape, scale=1.0):
    return (RNG.standard_normal(shape) * scale).astype("float32")


def run(func, params, inputs):
    mod = tvm.IRModule.from_expr(func)
    mod = relay.transform.InferType()(mod)
    run_main = relay.create_executor("debug", mod, tvm.cpu(), "llvm").evaluate()
    args = [inputs[p.name_hint] if p.name_hint in inputs else params[p.name_hint] for p in mod["main"].params]
    return run_main(*args).numpy()


def test_mlp():
    batch, sizes = 4, [20, 32, 16, 10]
    data = relay.var("data", shape=(batch, sizes[0]))
    params, x = {}, data
    for i, (n_in, n_out) in enumerate(zip(sizes, sizes[1:])):
        w = relay.var(f"fc{i}_weight", shape=(n_out, n_in))
        b = relay.var(f"fc{i}_bias", shape=(n_out,))
        params[w.name_hint] = rand(n_out, n_in, scale=0.3)
        params[b.name_hint] = rand(n_out, scale=0.1)
        x = relay.nn.bias_add(relay.nn.dense(x, w), b)
        if i < len(sizes) - 2:
            x = relay.nn.relu(x)
    func = relay.Function(relay.analysis.free_vars(x), relay.nn.softmax(x))
    inp = rand(batch, sizes[0])
    out = run(func, params, {"data": inp})

    t = torch.tensor(inp)
    for i in range(len(sizes) - 1):
        t = F.linear(t, torch.tensor(params[f"fc{i}_weight"]), torch.tensor(params[f"fc{i}_bias"]))
        if i < len(sizes) - 2:
            t = F.relu(t)
    ref = F.softmax(t, -1).numpy()
    assert out.shape == (batch, sizes[-1])
    np.testing.assert_allclose(out, ref, rtol=1e-5, atol=1e-6)


def test_conv_net():
    data = relay.var("data", shape=(2, 3, 16, 16))
    p = {
        "conv1_weight": rand(8, 3, 3, 3, scale=0.3), "conv1_bias": rand(8, scale=0.1),
        "bn_gamma": rand(8) + 1.0, "bn_beta": rand(8, scale=0.1), "bn_mean": rand(8, scale=0.1),
        "bn_var": np.abs(rand(8)) + 0.5,
        "conv2_weight": rand(16, 8, 3, 3, scale=0.2), "conv2_bias": rand(16, scale=0.1),
        "fc_weight": rand(10, 16 * 4 * 4, scale=0.05), "fc_bias": rand(10, scale=0.1),
    }
    v = {name: relay.var(name, shape=value.shape) for name, value in p.items()}
    x = relay.nn.conv2d(data, v["conv1_weight"], padding=(1, 1), channels=8, kernel_size=(3, 3))
    x = relay.nn.bias_add(x, v["conv1_bias"])
    x = relay.nn.batch_norm(x, v["bn_gamma"], v["bn_beta"], v["bn_mean"], v["bn_var"])[0]
    x = relay.nn.relu(x)
    x = relay.nn.max_pool2d(x, pool_size=(2, 2), strides=(2, 2))
    x = relay.nn.conv2d(x, v["conv2_weight"], strides=(1, 1), padding=(1, 1), channels=16, kernel_size=(3, 3))
    x = relay.nn.relu(relay.nn.bias_add(x, v["conv2_bias"]))
    x = relay.nn.avg_pool2d(x, pool_size=(2, 2), strides=(2, 2))
    x = relay.nn.batch_flatten(x)
    x = relay.nn.bias_add(relay.nn.dense(x, v["fc_weight"]), v["fc_bias"])
    func = relay.Function(relay.analysis.free_vars(x), relay.nn.softmax(x))
    inp = rand(2, 3, 16, 16)
    out = run(func, p, {"data": inp})

    T = {k: torch.tensor(a) for k, a in p.items()}
    t = F.conv2d(torch.tensor(inp), T["conv1_weight"], T["conv1_bias"], padding=1)
    t = F.batch_norm(t, T["bn_mean"], T["bn_var"], T["bn_gamma"], T["bn_beta"], eps=1e-5)
    t = F.max_pool2d(F.relu(t), 2, 2)
    t = F.relu(F.conv2d(t, T["conv2_weight"], T["conv2_bias"], padding=1))
    t = F.avg_pool2d(t, 2, 2).flatten(1)
    ref = F.softmax(F.linear(t, T["fc_weight"], T["fc_bias"]), -1).numpy()
    assert out.shape == (2, 10)
    np.testing.assert_allclose(out, ref, rtol=1e-4, atol=1e-6)


def test_numpy_arguments_take_the_parameter_dtype_and_mismatches_are_named():
    x = relay.var("x", shape=(4,), dtype="float16")
    run_main = relay.create_executor("debug", tvm.IRModule.from_expr(relay.Function([x], relay.exp(x))), tvm.cpu(),
                                     "llvm").evaluate()
    out = run_main(np.arange(4))  # int64 data, converted as the graph executor's set_input does
    assert out.dtype == "float16"
    np.testing.assert_allclose(out.numpy(), np.exp(np.arange(4)).astype("float16"), rtol=1e-3)
    for bad, given in [(tvm.nd.array(np.arange(4)), "int64"), (np.zeros((2, 2)), "(2, 2)")]:
        try:
            run_main(bad)
        except TypeError as err:
            assert "parameter x" in str(err) and given in str(err)
        else:
            raise AssertionError("a mismatched argument was accepted")


def test_every_relay_operator_has_compute_schedule_and_pattern():
    # Operators that only annotate or that passes remove have no compute, as in TVM; other
    # tests register operators of their own ("test...").
    skip_prefixes = ("tir.", "memory.", "vm.", "annotation.", "on_device", "device_copy", "test")
    missing = {}
    for name in tvm.ir.Op.list_op_names():
        if name.startswith(skip_prefixes):
            continue
        op = tvm.ir.Op.get(name)
        absent = [a for a in ("FTVMCompute", "FTVMSchedule", "TOpPattern") if op.get_attr(a) is None]
        if absent:
            missing[name] = absent
    assert not missing, f"operators without a compute/schedule/pattern: {missing}"
