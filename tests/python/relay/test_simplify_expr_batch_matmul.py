# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""SimplifyExpr folds a transpose of a batch_matmul operand into the operand's transpose flag when
that leaves the copy's innermost axis in place (attention's q @ k^T: the key's [1, 2, 0] transpose,
which scatters every element, becomes the [1, 0, 2] head split that copies contiguous rows).
Exact graphs before and after, the cases left alone, and the numbers against numpy."""
import numpy as np
import pytest

import tvm
from tvm import relay

RNG = np.random.default_rng(18)


def simplify(expr):
    mod = tvm.IRModule.from_expr(relay.Function(relay.analysis.free_vars(expr), expr))
    mod = relay.transform.InferType()(mod)
    return relay.transform.SimplifyExpr()(mod)["main"]


def typed(expr):
    mod = tvm.IRModule.from_expr(relay.Function(relay.analysis.free_vars(expr), expr))
    return relay.transform.InferType()(mod)["main"]


def assert_graph(before, after):
    got, want = simplify(before), typed(after)
    assert tvm.ir.structural_equal(got, want, map_free_vars=True), f"got\n{got}\nwant\n{want}"


def test_key_transpose_becomes_the_head_split():
    """q (4, 64, 16) @ transpose(k (64, 4, 16), [1, 2, 0]) -> q @ transpose(k, [1, 0, 2])^T."""
    q = relay.var("q", shape=(4, 64, 16))
    k = relay.var("k", shape=(64, 4, 16))
    before = relay.nn.batch_matmul(q, relay.transpose(k, [1, 2, 0]), transpose_b=False)
    after = relay.nn.batch_matmul(q, relay.transpose(k, [1, 0, 2]), transpose_b=True)
    assert_graph(before, after)


def test_through_the_frontends_identity_broadcast_and_reshape():
    """The PyTorch frontend's bmm puts broadcast_to and reshape to the same shape before the
    batch_matmul: looked through and dropped with the transpose."""
    q = relay.var("q", shape=(8, 96, 64))
    k = relay.var("k", shape=(96, 8, 64))
    kt = relay.reshape(relay.broadcast_to(relay.transpose(k, [1, 2, 0]), (8, 64, 96)), (-1, 64, 96))
    before = relay.nn.batch_matmul(q, kt, transpose_b=False)
    after = relay.nn.batch_matmul(q, relay.transpose(k, [1, 0, 2]), transpose_b=True)
    assert_graph(before, after)


def test_swap_of_the_last_two_axes_disappears():
    a = relay.var("a", shape=(3, 5, 7))
    x = relay.var("x", shape=(3, 9, 7))
    assert_graph(relay.nn.batch_matmul(a, relay.transpose(x, [0, 2, 1]), transpose_b=False),
                 relay.nn.batch_matmul(a, x, transpose_b=True))


def test_first_operand_and_both():
    x = relay.var("x", shape=(2, 6, 5))  # transposed: (2, 5, 6) = (b, M, K)
    b = relay.var("b", shape=(2, 6, 4))
    assert_graph(relay.nn.batch_matmul(relay.transpose(x, [0, 2, 1]), b, transpose_b=False),
                 relay.nn.batch_matmul(x, b, transpose_a=True, transpose_b=False))
    y = relay.var("y", shape=(6, 2, 4))  # transpose [1, 2, 0]: (2, 4, 6) = (b, N, K)
    assert_graph(relay.nn.batch_matmul(relay.transpose(x, [0, 2, 1]), relay.transpose(y, [1, 2, 0])),
                 relay.nn.batch_matmul(x, relay.transpose(y, [1, 0, 2]), transpose_a=True, transpose_b=False))


@pytest.mark.parametrize("make", [
    # keeps the innermost axis already (the query's and value's head split): nothing to gain
    lambda q, k: relay.nn.batch_matmul(q, relay.transpose(k, [1, 0, 2]), transpose_b=True),
    # swapping would move x's last axis: still a scattering copy
    lambda q, k: relay.nn.batch_matmul(q, relay.transpose(relay.reshape(k, (64, 16, 4)), [2, 0, 1]),
                                       transpose_b=True),
])
def test_left_alone(make):
    q = relay.var("q", shape=(4, 64, 16))
    k = relay.var("k", shape=(64, 4, 16))
    expr = make(q, k)
    assert tvm.ir.structural_equal(simplify(expr), typed(expr), map_free_vars=True)


def test_a_reshape_that_changes_the_shape_stops_the_match():
    q = relay.var("q", shape=(4, 8, 16))
    x = relay.var("x", shape=(4, 16, 8))
    expr = relay.nn.batch_matmul(q, relay.reshape(relay.transpose(x, [0, 2, 1]), (4, 16, 8)), transpose_b=False)
    assert tvm.ir.structural_equal(simplify(expr), typed(expr), map_free_vars=True)


def test_numbers_through_relay_build():
    """The attention scores of 3 heads, before and after the rewrite, against numpy."""
    q = relay.var("q", shape=(3, 10, 8))
    k = relay.var("k", shape=(10, 3, 8))
    expr = relay.nn.batch_matmul(q, relay.transpose(k, [1, 2, 0]), transpose_b=False)
    func = relay.Function([q, k], expr)
    qa = RNG.standard_normal((3, 10, 8)).astype("float32")
    ka = RNG.standard_normal((10, 3, 8)).astype("float32")
    want = np.matmul(qa, ka.transpose(1, 2, 0))
    with tvm.transform.PassContext(opt_level=3):
        lib = relay.build(tvm.IRModule.from_expr(func), target="llvm")
    from tvm.contrib import graph_executor

    gmod = graph_executor.GraphModule(lib["default"](tvm.cpu()))
    gmod.set_input("q", qa)
    gmod.set_input("k", ka)
    gmod.run()
    np.testing.assert_allclose(gmod.get_output(0).numpy(), want, rtol=1e-5, atol=1e-5)
    with tvm.transform.PassContext(opt_level=3):
        optimized, _ = relay.optimize(tvm.IRModule.from_expr(func), target="llvm")
    text = optimized.astext()
    assert "axes=[1, 0, 2]" in text and "axes=[1, 2, 0]" not in text  # the scattering copy is gone


def test_pytorch_encoder_layer_attention():
    """A traced torch.nn.TransformerEncoderLayer (sequence-first, as bench_models' encoders): after
    relay.optimize no [1, 2, 0] transpose is left, the scores' batch_matmul reads the key transposed,
    and relay.build still matches PyTorch."""
    torch = pytest.importorskip("torch")
    from tvm.contrib import graph_executor

    torch.manual_seed(0)
    layer = torch.nn.TransformerEncoderLayer(d_model=32, nhead=4, dim_feedforward=64, dropout=0.0).eval()
    x = torch.randn(10, 1, 32)
    with torch.no_grad():
        traced = torch.jit.trace(layer, x)
        want = traced(x).numpy()
    mod, params = relay.frontend.from_pytorch(traced, [("input0", (10, 1, 32))])
    with tvm.transform.PassContext(opt_level=3):
        optimized, _ = relay.optimize(mod, target="llvm", params=params)
        lib = relay.build(mod, target="llvm", params=params)
    text = optimized.astext()
    assert "axes=[1, 2, 0]" not in text
    assert text.count("nn.batch_matmul(") == 2 and "transpose_b=False" in text  # scores: default (True)
    gmod = graph_executor.GraphModule(lib["default"](tvm.cpu()))
    gmod.set_input("input0", x.numpy())
    gmod.run()
    np.testing.assert_allclose(gmod.get_output(0).numpy(), want, rtol=1e-4, atol=1e-5)
