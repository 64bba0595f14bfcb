# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""reshape / squeeze / expand_dims / reshape_like with a relay.Any() extent fused between other
operators: the extent is computed from the input inside the kernel (the frontends' dynamic
sequence lengths make exactly these)."""
import numpy as np

import tvm
from tvm import relay


def _run(func, *arrays):
    ex = relay.create_executor("vm", mod=tvm.IRModule.from_expr(func), target="llvm")
    return ex.evaluate()(*arrays).numpy()


def test_reshape_with_inferred_extent_fused_into_add():
    x = relay.var("x", shape=(relay.Any(), 32))
    z = relay.var("z", shape=(relay.Any(), 2, 32))
    func = relay.Function([x, z], relay.add(z, relay.reshape(relay.nn.relu(x), [-1, 2, 32])))
    for n in (1, 3, 7):
        xv = np.random.randn(2 * n, 32).astype("float32")
        zv = np.random.randn(n, 2, 32).astype("float32")
        np.testing.assert_allclose(_run(func, xv, zv), zv + np.maximum(xv, 0).reshape(n, 2, 32), rtol=1e-6)


def test_squeeze_and_expand_dims_fused():
    x = relay.var("x", shape=(relay.Any(), 1, 4))
    y = relay.expand_dims(relay.squeeze(relay.exp(x), [1]), 0)
    func = relay.Function([x], relay.multiply(y, relay.const(2.0)))
    for n in (2, 5):
        xv = np.random.randn(n, 1, 4).astype("float32")
        np.testing.assert_allclose(_run(func, xv), 2 * np.exp(xv).reshape(1, n, 4), rtol=1e-6)


def test_reshape_like_restores_dynamic_leading_axes():
    x = relay.var("x", shape=(relay.Any(), relay.Any(), 8))
    w = relay.const(np.random.randn(6, 8).astype("float32"))
    flat = relay.reshape(x, [-1, 8])
    out = relay.reshape_like(relay.nn.relu(relay.nn.dense(flat, w)), x, lhs_begin=0, lhs_end=1, rhs_begin=0,
                             rhs_end=2)
    func = relay.Function([x], relay.add(out, relay.const(1.0)))
    mod = relay.transform.InferType()(tvm.IRModule.from_expr(func))
    assert int(mod["main"].ret_type.shape[2]) == 6
    for a, b in [(1, 3), (4, 2)]:
        xv = np.random.randn(a, b, 8).astype("float32")
        want = np.maximum(xv.reshape(-1, 8) @ w.data.numpy().T, 0).reshape(a, b, 6) + 1
        np.testing.assert_allclose(_run(func, xv), want, rtol=1e-5, atol=1e-5)


def test_sum_over_a_dynamic_axis():
    # the x86 reduction schedule splits a static extent into vector lanes; a dynamic one takes
    # the generic schedule
    x = relay.var("x", shape=(3, relay.Any()))
    func = relay.Function([x], relay.sum(relay.exp(x), axis=[1]))
    for n in (1, 17):
        xv = np.random.randn(3, n).astype("float32")
        np.testing.assert_allclose(_run(func, xv), np.exp(xv).sum(1), rtol=1e-5)
