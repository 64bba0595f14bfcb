# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""FuseOps: the fused program computes what the unfused one does (debug executor,
checked against numpy), and a 100,000-operator chain fuses without recursion."""
import numpy as np

import tvm
from tvm import relay
from tvm.relay import transform


def run(mod, *args, **kwargs):
    return relay.create_executor("debug", mod=mod, device=tvm.cpu(), target="llvm").evaluate()(*args, **kwargs)


def fused_and_plain(func):
    plain = transform.InferType()(tvm.IRModule.from_expr(func))
    fused = transform.FuseOps(fuse_opt_level=2)(plain)
    return plain, fused


def count_primitive_calls(mod):
    calls = []

    def visit(node):
        if isinstance(node, relay.Call) and isinstance(node.op, relay.Function):
            calls.append(node.op)

    relay.analysis.post_order_visit(mod["main"], visit)
    return calls


def test_small_network_gives_the_same_result_fused():
    rng = np.random.default_rng(7)
    x = relay.var("x", shape=(1, 3, 6, 6))
    w = relay.var("w", shape=(4, 3, 3, 3))
    b = relay.var("b", shape=(4,))
    conv = relay.nn.relu(relay.nn.bias_add(relay.nn.conv2d(x, w, padding=(1, 1)), b))
    e = relay.exp(relay.multiply(conv, relay.const(0.1)))
    diamond = relay.add(relay.sqrt(e), relay.negative(e))
    parts = relay.split(diamond, 2, axis=1)
    cat = relay.concatenate([relay.nn.softmax(parts[0], axis=1), relay.tanh(parts[1])], axis=1)
    red = relay.sum(relay.transpose(cat, axes=(0, 2, 3, 1)), axis=3)
    func = relay.Function([x, w, b], relay.Tuple([red, cat]))

    plain, fused = fused_and_plain(func)
    kernels = count_primitive_calls(fused)
    assert len(kernels) >= 5
    assert all(int(k.attrs["Primitive"]) == 1 for k in kernels)

    xv = rng.standard_normal((1, 3, 6, 6)).astype("float32")
    wv = rng.standard_normal((4, 3, 3, 3)).astype("float32")
    bv = rng.standard_normal((4,)).astype("float32")
    want = run(plain, xv, wv, bv)
    got = run(fused, xv, wv, bv)
    for g, p in zip(got, want):
        np.testing.assert_allclose(g.numpy(), p.numpy(), rtol=1e-6, atol=1e-6)

    # And against numpy, from the conv output on.
    t = torch_free_conv(xv, wv) + bv.reshape(1, 4, 1, 1)
    e_np = np.exp(np.maximum(t, 0) * 0.1)
    d = np.sqrt(e_np) - e_np
    p0, p1 = d[:, :2], d[:, 2:]
    sm = np.exp(p0 - p0.max(axis=1, keepdims=True))
    sm = sm / sm.sum(axis=1, keepdims=True)
    cat_np = np.concatenate([sm, np.tanh(p1)], axis=1)
    np.testing.assert_allclose(got[1].numpy(), cat_np, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(got[0].numpy(), cat_np.transpose(0, 2, 3, 1).sum(axis=3), rtol=1e-5, atol=1e-5)


def torch_free_conv(x, w):
    """NCHW conv2d, stride 1, padding 1, in numpy."""
    n, c, h, wd = x.shape
    k = w.shape[2]
    xp = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
    out = np.zeros((n, w.shape[0], h, wd), dtype=np.float64)
    for i in range(k):
        for j in range(k):
            patch = xp[:, :, i:i + h, j:j + wd]
            out += np.einsum("nchw,oc->nohw", patch, w[:, :, i, j])
    return out.astype(np.float32)


def test_reduction_and_broadcast_group_numerics():
    rng = np.random.default_rng(3)
    x = relay.var("x", shape=(5, 7))
    y = relay.var("y", shape=(7,))
    out = relay.exp(relay.max(relay.multiply(relay.exp(x), y), axis=0))
    plain, fused = fused_and_plain(relay.Function([x, y], out))
    assert len(count_primitive_calls(fused)) == 2
    xv = rng.standard_normal((5, 7)).astype("float32")
    yv = rng.standard_normal((7,)).astype("float32")
    want = np.exp((np.exp(xv) * yv).max(axis=0))
    np.testing.assert_allclose(run(fused, xv, yv).numpy(), want, rtol=1e-6)
    np.testing.assert_allclose(run(plain, xv, yv).numpy(), want, rtol=1e-6)


def test_long_chain_fuses_in_groups_of_max_depth_and_runs():
    n = 2000
    x = relay.var("x", shape=(3,))
    y = x
    for i in range(n):
        y = relay.negative(y) if i % 2 else relay.abs(y)
    plain, fused = fused_and_plain(relay.Function([x], y))
    kernels = count_primitive_calls(fused)
    assert len(kernels) == (n + 255) // 256
    xv = np.array([0.5, -1.0, 2.0], dtype="float32")
    np.testing.assert_allclose(run(fused, xv).numpy(), -np.abs(xv))

    # Scalar constants are nodes of the groups too: a cut may fall between a
    # constant and its user, which then receives it as an argument.
    y = x
    for _ in range(300):
        y = relay.add(y, relay.const(1.0))
    plain, fused = fused_and_plain(relay.Function([x], y))
    kernels = count_primitive_calls(fused)
    assert len(kernels) == (600 + 255) // 256
    np.testing.assert_allclose(run(fused, xv).numpy(), xv + 300, rtol=1e-6)


def test_100000_operator_chain_fuses():
    n = 100000
    x = relay.var("x", shape=(4,))
    y = x
    for _ in range(n):
        y = relay.negative(y)
    mod = transform.InferType()(tvm.IRModule.from_expr(relay.Function([x], y)))
    fused = transform.FuseOps()(mod)
    kernels = count_primitive_calls(fused)
    # Groups of 256 from the input on (as TVM cuts them); the last holds the rest.
    sizes = []
    for k in kernels:
        calls = []
        relay.analysis.post_order_visit(k.body, lambda e: calls.append(e) if isinstance(e, relay.Call) else None)
        sizes.append(len(calls))
    assert sum(sizes) == n
    assert sorted(sizes) == sorted([256] * (n // 256) + [n % 256])
    assert fused["main"].checked_type == relay.FuncType([relay.TensorType((4,), "float32")],
                                                         relay.TensorType((4,), "float32"))


def test_resnet18_fused_matches_unfused():
    from tvm.relay import testing  # pylint: disable=import-outside-toplevel

    mod, params = testing.resnet.get_workload(1, num_layers=18, image_shape=(3, 32, 32))
    plain = transform.InferType()(mod)
    fused = transform.FuseOps(fuse_opt_level=2)(plain)
    kernels = count_primitive_calls(fused)
    assert 30 < len(kernels) < 100
    data = np.random.default_rng(0).standard_normal((1, 3, 32, 32)).astype("float32")
    want = run(plain, data, **params).numpy()
    got = run(fused, data, **params).numpy()
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-6)
