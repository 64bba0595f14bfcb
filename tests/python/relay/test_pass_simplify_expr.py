# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""SimplifyExpr: each rewrite on its own (exact IR), then values of a mixed program."""
import numpy as np
import pytest

import tvm
from tvm import relay
from tvm.relay import transform


def _simplify(body, params=None):
    params = params if params is not None else relay.analysis.free_vars(body)
    mod = tvm.IRModule.from_expr(relay.Function(params, body))
    return transform.SimplifyExpr()(mod)["main"]


def _check(before, expected):
    params = relay.analysis.free_vars(before)
    got = _simplify(before, params)
    want = transform.InferType()(tvm.IRModule.from_expr(relay.Function(params, expected)))["main"]
    tvm.ir.assert_structural_equal(got, want)


def test_reshape_chain():
    x = relay.var("x", shape=(2, 3, 4))
    y = relay.reshape(relay.reshape(relay.reshape(x, (6, 4)), (4, -1)), (3, 8))
    _check(relay.nn.relu(y), relay.nn.relu(relay.reshape(x, (3, 8))))


def test_reshape_with_symbolic_shape_stays():
    x = relay.var("x", shape=(relay.Any(), 4))
    y = relay.reshape(relay.reshape(x, (-1, 2)), (-1, 4))
    _check(y, y)


def test_transpose_chain_and_identity():
    x = relay.var("x", shape=(1, 3, 5, 7))
    y = relay.transpose(relay.transpose(x, [0, 2, 3, 1]), [0, 3, 1, 2])
    _check(relay.exp(y), relay.exp(x))
    z = relay.transpose(relay.transpose(x, [0, 2, 3, 1]), [1, 0, 2, 3])
    _check(z, relay.transpose(x, [2, 0, 3, 1]))
    # a same-rank layout_transform is a permutation too; an identity one goes
    w = relay.transpose(relay.layout_transform(x, "NCHW", "NHWC"), [0, 3, 1, 2])
    _check(relay.exp(w), relay.exp(x))
    _check(relay.layout_transform(x, "NCHW", "NCHW"), x)


def test_transpose_around_rank_changing_layout_transform():
    x = relay.var("x", shape=(1, 8, 8, 16))  # NHWC
    y = relay.layout_transform(relay.transpose(x, [0, 3, 1, 2]), "NCHW", "NCHW4c")
    y = relay.transpose(relay.layout_transform(relay.nn.relu(y), "NCHW4c", "NCHW"), [0, 2, 3, 1])
    want = relay.layout_transform(relay.nn.relu(relay.layout_transform(x, "NHWC", "NCHW4c")), "NCHW4c", "NHWC")
    _check(y, want)
    z = relay.layout_transform(relay.layout_transform(x, "NHWC", "NHWC4c"), "NHWC4c", "NHWC")
    _check(relay.exp(z), relay.exp(x))


def test_casts():
    x = relay.var("x", shape=(3, 4), dtype="int8")
    _check(relay.cast(x, "int8"), x)
    _check(relay.cast(relay.cast(x, "int16"), "int32"), relay.cast(x, "int32"))
    _check(relay.cast(relay.cast(x, "float32"), "float64"), relay.cast(x, "float64"))
    f = relay.var("f", shape=(3,), dtype="float32")
    narrowing = relay.cast(relay.cast(f, "int32"), "float32")  # rounds: must stay
    _check(narrowing, narrowing)
    like = relay.var("like", shape=(2,), dtype="int32")
    _check(relay.cast_like(f, like), relay.cast(f, "int32"))


def test_like_operators_become_concrete():
    x = relay.var("x", shape=(2, 3), dtype="float32")
    y = relay.var("y", shape=(3,), dtype="float32")
    fill = relay.var("fill", shape=(), dtype="float32")
    _check(relay.Tuple([relay.zeros_like(x), relay.ones_like(y)]),
           relay.Tuple([relay.zeros((2, 3), "float32"), relay.ones((3,), "float32")]))
    _check(relay.full_like(x, fill), relay.full(fill, (2, 3), "float32"))
    _check(relay.reshape_like(x, relay.var("s", shape=(3, 2))), relay.reshape(x, (3, 2)))
    _check(relay.broadcast_to_like(y, x), relay.broadcast_to(y, (2, 3)))
    _check(relay.collapse_sum_like(x, y), relay.collapse_sum_to(x, (3,)))


@pytest.mark.parametrize("op,neutral,commutes", [
    (relay.add, 0.0, True), (relay.multiply, 1.0, True), (relay.subtract, 0.0, False), (relay.divide, 1.0, False)])
def test_identities(op, neutral, commutes):
    x = relay.var("x", shape=(2, 3))
    _check(op(x, relay.const(neutral)), x)
    fill = relay.zeros((2, 3), "float32") if neutral == 0 else relay.ones((2, 3), "float32")
    _check(op(x, fill), x)
    if commutes:
        _check(op(relay.const(neutral), x), x)
    # broadcasting to a larger shape is not an identity; another constant value is not either
    big = relay.zeros((4, 2, 3), "float32") if neutral == 0 else relay.ones((4, 2, 3), "float32")
    _check(op(x, big), op(x, big))
    _check(op(x, relay.const(neutral + 2.0)), op(x, relay.const(neutral + 2.0)))


def test_full_operand_becomes_scalar():
    x = relay.var("x", shape=(2, 3))
    _check(relay.maximum(x, relay.full(relay.const(2.0), (2, 3), "float32")), relay.maximum(x, relay.const(2.0)))
    _check(relay.power(relay.ones_like(x), x), relay.power(relay.const(1.0), x))


def test_add_self_rsqrt_and_constant_regrouping():
    x = relay.var("x", shape=(4,))
    two = relay.add(relay.exp(x), relay.exp(x))  # equal but distinct nodes: CSE's business, not this rule's
    _check(two, two)
    e = relay.exp(x)
    _check(relay.add(e, e), relay.multiply(e, relay.const(2.0)))
    _check(relay.divide(x, relay.sqrt(e)), relay.multiply(x, relay.rsqrt(e)))
    c1 = np.array([1.0, 2.0, 3.0, 4.0], "float32")
    c2 = np.array([2.0, 2.0, 0.5, 1.0], "float32")
    _check(relay.multiply(relay.add(x, relay.const(c1)), relay.const(c2)),
           relay.add(relay.multiply(x, relay.const(c2)), relay.const(c1 * c2)))
    _check(relay.add(relay.add(x, relay.const(c1)), relay.const(c2)), relay.add(x, relay.const(c1 + c2)))


def test_clip_rules():
    x = relay.var("x", shape=(4,), dtype="int32")
    clip = relay.clip(x, 0.0, 255.0)
    _check(relay.cast(relay.cast(clip, "uint8"), "int32"), clip)
    u = relay.var("u", shape=(4,), dtype="uint8")
    _check(relay.clip(u, 0.0, 255.0), u)
    _check(relay.clip(u, 1.0, 255.0), relay.clip(u, 1.0, 255.0))


def test_binomial():
    x = relay.var("x", shape=(5,))
    y = relay.var("y", shape=(5,))
    c = lambda v: relay.const(v, "float32")  # noqa: E731
    # 6x^2 + 5xy + y^2 = 6 (x + y/2)(x + y/3) -> written around y: (y + 3x)(y + 2x)
    before = relay.add(relay.add(relay.multiply(relay.multiply(c(6.0), x), x), relay.multiply(relay.multiply(c(5.0), x), y)),
                       relay.multiply(y, y))
    _check(before, relay.multiply(relay.add(y, relay.multiply(x, c(3.0))), relay.add(y, relay.multiply(x, c(2.0)))))
    # x^2 + xy + y^2 has no real factors: unchanged
    plain = relay.add(relay.add(relay.multiply(x, x), relay.multiply(x, y)), relay.multiply(y, y))
    _check(plain, plain)
    xd = np.arange(5, dtype="float32")
    yd = np.ones(5, "float32")
    after = _simplify(before, [x, y])
    got = relay.create_executor("debug", mod=tvm.IRModule.from_expr(after)).evaluate()(xd, yd).numpy()
    np.testing.assert_allclose(got, 6 * xd * xd + 5 * xd * yd + yd * yd, rtol=1e-6)


def test_values_unchanged():
    rng = np.random.default_rng(0)
    x = relay.var("x", shape=(2, 3, 4))
    y = relay.reshape(relay.transpose(relay.transpose(x, [1, 0, 2]), [1, 0, 2]), (6, 4))
    y = relay.reshape(relay.add(y, relay.zeros_like(y)), (4, 6))
    y = relay.divide(relay.multiply(relay.add(y, relay.const(1.0)), relay.const(3.0)), relay.sqrt(relay.abs(y) + relay.const(1.0)))
    func = relay.Function([x], y)
    after = transform.SimplifyExpr()(tvm.IRModule.from_expr(func))["main"]
    assert "transpose" not in after.astext() and "zeros" not in after.astext()
    xd = rng.standard_normal((2, 3, 4)).astype("float32")
    run = lambda f: relay.create_executor("debug", mod=tvm.IRModule.from_expr(f)).evaluate()(xd).numpy()  # noqa: E731
    np.testing.assert_allclose(run(after), run(func), rtol=1e-5, atol=1e-6)


def test_long_chain():
    x = relay.var("x", shape=(2, 2))
    y = x
    for _ in range(50000):
        y = relay.transpose(relay.exp(y))
    after = _simplify(y, [x])
    node, n = after.body, 0
    while isinstance(node, relay.Call):
        n, node = n + 1, node.args[0]
    assert n == 100000
