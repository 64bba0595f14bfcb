# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""SimplifyInference: the normalisation operators become arithmetic (exact IR and values)."""
import numpy as np
import pytest

import tvm
from tvm import relay
from tvm.relay import transform


def _simplify(body):
    mod = tvm.IRModule.from_expr(relay.Function(relay.analysis.free_vars(body), body))
    return transform.SimplifyInference()(transform.InferType()(mod))["main"]


def _same(after, want_body):
    # Bodies compared, free variables paired in the order they are met.
    tvm.ir.assert_structural_equal(after.body, want_body, map_free_vars=True)


def _run(func, *args):
    return relay.create_executor("debug", mod=tvm.IRModule.from_expr(func)).evaluate()(*args).numpy()


def _vars(shape, n=4, dtype="float32"):
    c = shape[1] if len(shape) > 1 else shape[0]
    x = relay.var("x", shape=shape, dtype=dtype)
    return x, [relay.var(name, shape=(c,), dtype=dtype) for name in ("g", "b", "m", "v")[:n]]


@pytest.mark.parametrize("shape,axis", [((2, 3), 1), ((2, 3, 4, 5), 1), ((3, 2, 4), 0), ((2, 4, 3), -1)])
def test_batch_norm_exact_form(shape, axis):
    c = shape[axis]
    x = relay.var("x", shape=shape)
    g, b, m, v = [relay.var(n, shape=(c,)) for n in ("g", "b", "m", "v")]
    before = relay.nn.batch_norm(x, g, b, m, v, axis=axis, epsilon=0.01)[0]
    after = _simplify(before)

    scale = relay.multiply(relay.const(1.0) / relay.sqrt(v + relay.const(0.01)), g)
    shift = relay.add(relay.multiply(relay.negative(m), scale), b)
    pad = len(shape) - (axis % len(shape)) - 1
    if pad:
        scale = relay.expand_dims(scale, axis=1, num_newaxis=pad)
        shift = relay.expand_dims(shift, axis=1, num_newaxis=pad)
    _same(after, x * scale + shift)


def test_batch_norm_without_scale_and_center():
    x, (g, b, m, v) = _vars((2, 3, 4))
    after = _simplify(relay.nn.batch_norm(x, g, b, m, v, center=False, scale=False)[0])
    scale = relay.const(1.0) / relay.sqrt(v + relay.const(1e-5))
    shift = relay.multiply(relay.negative(m), scale)
    want = x * relay.expand_dims(scale, 1, 1) + relay.expand_dims(shift, 1, 1)
    _same(after, want)


def test_batch_norm_values_and_float16_epsilon():
    rng = np.random.default_rng(0)
    x, (g, b, m, v) = _vars((2, 3, 4, 4))
    func = _simplify(relay.nn.batch_norm(x, g, b, m, v, epsilon=1e-3)[0])
    assert "nn.batch_norm" not in func.astext()
    xd = rng.standard_normal((2, 3, 4, 4)).astype("float32")
    gd, bd, md = [rng.standard_normal(3).astype("float32") for _ in range(3)]
    vd = rng.uniform(0.5, 2.0, 3).astype("float32")
    got = _run(func, xd, gd, bd, md, vd)
    r = lambda a: a.reshape(1, 3, 1, 1)  # noqa: E731
    want = (xd - r(md)) / np.sqrt(r(vd) + 1e-3) * r(gd) + r(bd)
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)

    x16, (g16, b16, m16, v16) = _vars((2, 3), dtype="float16")
    f16 = _simplify(relay.nn.batch_norm(x16, g16, b16, m16, v16, epsilon=0.01)[0])
    consts = []
    relay.analysis.post_order_visit(f16, lambda e: consts.append(e) if isinstance(e, relay.Constant) else None)
    assert sorted(float(c.data.numpy()) for c in consts) == sorted([float(np.float16(0.01)), 1.0])
    assert all(c.data.dtype == "float16" for c in consts)


def test_other_batch_norm_outputs_stay():
    x, (g, b, m, v) = _vars((2, 3))
    bn = relay.nn.batch_norm(x, g, b, m, v)
    after = _simplify(relay.Tuple([bn[0], bn[1]]))
    text = after.astext()
    assert text.count("nn.batch_norm") == 1  # the moving mean still needs it


def test_dropout_is_identity():
    x = relay.var("x", shape=(4, 5))
    after = _simplify(relay.nn.relu(relay.nn.dropout(x, rate=0.3)))
    _same(after, relay.nn.relu(x))


def test_layer_norm_exact_form_and_values():
    x = relay.var("x", shape=(2, 3, 4))
    g = relay.var("g", shape=(4,))
    b = relay.var("b", shape=(4,))
    after = _simplify(relay.nn.layer_norm(x, g, b, axis=-1, epsilon=1e-4))
    mean = relay.mean(x, axis=[-1], keepdims=True)
    var = relay.op.reduce.variance(x, axis=[-1], keepdims=True, with_mean=mean)
    want = (x - mean) / relay.sqrt(var + relay.const(1e-4)) * g + b
    _same(after, want)

    rng = np.random.default_rng(1)
    xd = rng.standard_normal((2, 3, 4)).astype("float32")
    gd, bd = rng.standard_normal(4).astype("float32"), rng.standard_normal(4).astype("float32")
    mu = xd.mean(-1, keepdims=True)
    ref = (xd - mu) / np.sqrt(xd.var(-1, keepdims=True) + 1e-4) * gd + bd
    np.testing.assert_allclose(_run(after, xd, gd, bd), ref, rtol=1e-5, atol=1e-5)


def test_layer_norm_middle_axis_expands_gamma():
    x = relay.var("x", shape=(2, 3, 4))
    g = relay.var("g", shape=(3,))
    b = relay.var("b", shape=(3,))
    after = _simplify(relay.nn.layer_norm(x, g, b, axis=1, center=False))
    mean = relay.mean(x, axis=[1], keepdims=True)
    var = relay.op.reduce.variance(x, axis=[1], keepdims=True, with_mean=mean)
    want = (x - mean) / relay.sqrt(var + relay.const(1e-5)) * relay.expand_dims(g, 1, 1)
    _same(after, want)


def test_instance_and_group_norm_values():
    rng = np.random.default_rng(2)
    xd = rng.standard_normal((2, 6, 3, 5)).astype("float32")
    gd, bd = rng.standard_normal(6).astype("float32"), rng.standard_normal(6).astype("float32")
    x = relay.var("x", shape=xd.shape)
    g = relay.var("g", shape=(6,))
    b = relay.var("b", shape=(6,))
    r = lambda a: a.reshape(1, 6, 1, 1)  # noqa: E731

    inst = _simplify(relay.nn.instance_norm(x, g, b, epsilon=1e-3))
    assert "instance_norm" not in inst.astext()
    mu = xd.mean((2, 3), keepdims=True)
    ref = (xd - mu) / np.sqrt(xd.var((2, 3), keepdims=True) + 1e-3) * r(gd) + r(bd)
    np.testing.assert_allclose(_run(inst, xd, gd, bd), ref, rtol=1e-4, atol=1e-5)

    grp = _simplify(relay.nn.group_norm(x, g, b, num_groups=3, epsilon=1e-3))
    assert "group_norm" not in grp.astext()
    xg = xd.reshape(2, 3, 2, 3, 5)
    mu = xg.mean((2, 3, 4), keepdims=True)
    norm = ((xg - mu) / np.sqrt(xg.var((2, 3, 4), keepdims=True) + 1e-3)).reshape(xd.shape)
    np.testing.assert_allclose(_run(grp, xd, gd, bd), norm * r(gd) + r(bd), rtol=1e-4, atol=1e-5)


def test_l2_normalize():
    x = relay.var("x", shape=(3, 4))
    after = _simplify(relay.nn.l2_normalize(x, eps=1e-6, axis=[1]))
    want = x / relay.sqrt(relay.maximum(relay.sum(x * x, axis=[1], keepdims=True), relay.const(1e-6)))
    _same(after, want)
    xd = np.random.default_rng(3).standard_normal((3, 4)).astype("float32")
    ref = xd / np.sqrt(np.maximum((xd * xd).sum(1, keepdims=True), 1e-6))
    np.testing.assert_allclose(_run(after, xd), ref, rtol=1e-5, atol=1e-6)


def test_untyped_module_is_typed_first_and_primitive_functions_stay():
    x = relay.var("x", shape=(2, 3))
    p0 = relay.var("p0", shape=(2, 3))
    mod = tvm.IRModule()
    prim = relay.GlobalVar("prim")
    mod[prim] = relay.Function([p0], relay.nn.dropout(p0)).with_attr("Primitive", 1)
    mod["main"] = relay.Function([x], relay.add(relay.nn.dropout(x), prim(x)))
    out = transform.SimplifyInference()(mod)
    assert out["main"].body.args[0].same_as(out["main"].params[0])
    assert "nn.dropout" in out["prim"].astext()


def test_long_chain_does_not_recurse():
    # 100,000 operators: dropout and negative alternating.
    x = relay.var("x", shape=(2,))
    y = x
    for i in range(100000):
        y = relay.nn.dropout(y) if i % 2 else relay.negative(y)
    mod = tvm.IRModule.from_expr(relay.Function([x], y))
    out = transform.SimplifyInference()(transform.InferType()(mod))["main"]
    node, depth = out.body, 0
    while isinstance(node, relay.Call):
        assert node.op.name == "negative"
        node, depth = node.args[0], depth + 1
    assert depth == 50000
