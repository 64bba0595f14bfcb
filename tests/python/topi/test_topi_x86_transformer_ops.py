# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""x86 softmax and reductions (topi.x86.softmax / schedule_softmax / schedule_reduce) and
their use by relay.build on "cpu" targets: numerics against numpy with tight tolerances,
odd shapes (vector widths that do not divide, a single row, one element), fused epilogues,
and the structure of the code they generate."""
import numpy as np
import pytest

import tvm
from tvm import relay, te, topi
from tvm.contrib import graph_executor

TARGETS = ["llvm", "llvm -mattr=+avx2,+fma", "llvm -mcpu=skylake-avx512"]


def _host_runs(target):
    features = set(tvm.target.codegen.llvm_get_system_features()) if hasattr(
        tvm.target.codegen, "llvm_get_system_features") else set()
    if "avx512" in target:
        return "+avx512f" in features
    if "avx2" in target:
        return "+avx2" in features
    return True


def _np_softmax(a):
    e = np.exp(a.astype("float64") - a.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def _relay_run(func, inputs, target="llvm"):
    with tvm.transform.PassContext(opt_level=3):
        lib = relay.build(tvm.IRModule.from_expr(func), target=target)
    m = graph_executor.GraphModule(lib["default"](tvm.cpu()))
    for i, a in enumerate(inputs):
        m.set_input(i, a)
    m.run()
    return m.get_output(0).numpy(), lib


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("shape", [(8, 96, 96), (2, 3, 128), (5, 33), (3, 7), (1, 1), (1000,), (4, 24)])
def test_softmax_matches_numpy(target, shape):
    if not _host_runs(target):
        pytest.skip("this CPU lacks the target's features")
    x = te.placeholder(shape, name="x")
    with tvm.target.Target(target):
        y = topi.x86.softmax(x)
        s = topi.x86.schedule_softmax([y])
    f = tvm.build(s, [x, y], target)
    a = (np.random.default_rng(0).standard_normal(shape) * 4).astype("float32")
    out = tvm.nd.empty(shape)
    f(tvm.nd.array(a), out)
    np.testing.assert_allclose(out.numpy(), _np_softmax(a), rtol=2e-6, atol=1e-7)
    np.testing.assert_allclose(out.numpy().sum(-1), 1.0, rtol=2e-6)


def test_softmax_large_and_tiny_values_stay_finite():
    a = np.array([[1e4, -1e4, 0.0, 3.0], [-87.0, -88.5, -200.0, -1e30], [0.0] * 4], dtype="float32")
    x = te.placeholder(a.shape, name="x")
    with tvm.target.Target("llvm"):
        y = topi.x86.softmax(x)
        s = topi.x86.schedule_softmax([y])
    out = tvm.nd.empty(a.shape)
    tvm.build(s, [x, y], "llvm")(tvm.nd.array(a), out)
    assert np.isfinite(out.numpy()).all()
    np.testing.assert_allclose(out.numpy(), _np_softmax(a), rtol=2e-6, atol=1e-7)


def test_softmax_with_a_fused_epilogue_runs_in_the_output_loop():
    shape = (4, 6, 32)
    x = te.placeholder(shape, name="x")
    with tvm.target.Target("llvm -mcpu=skylake-avx512"):
        y = topi.x86.softmax(x)
        z = topi.multiply(topi.broadcast_to(y, shape), 3.0)
        s = topi.x86.schedule_softmax([z])
    text = str(tvm.lower(s, [x, z]))
    # One parallel row loop; no separate buffer for the normalised softmax.
    assert text.count("T.parallel") == 1
    assert "T_softmax_norm" not in text
    assert "softmax_partial_max" in text and "T.Broadcast" in text
    if _host_runs("avx512"):
        f = tvm.build(s, [x, z], "llvm -mcpu=skylake-avx512")
        a = np.random.default_rng(1).standard_normal(shape).astype("float32")
        out = tvm.nd.empty(shape)
        f(tvm.nd.array(a), out)
        np.testing.assert_allclose(out.numpy(), 3 * _np_softmax(a), rtol=2e-6, atol=1e-7)


def test_softmax_refuses_other_axes_by_name():
    x = te.placeholder((4, 5), name="x")
    with pytest.raises(ValueError, match=r"topi.x86.softmax.*shape \[4, 5\].*axis 0"):
        topi.x86.softmax(x, axis=0)
    with pytest.raises(ValueError, match="float16"):
        topi.x86.softmax(te.placeholder((4, 5), name="h", dtype="float16"))


@pytest.mark.parametrize("axis", [-1, 1, 0])
def test_relay_softmax_uses_the_x86_strategy_on_its_last_axis(axis):
    shape = (3, 40)
    x = relay.var("x", shape=shape)
    a = np.random.default_rng(2).standard_normal(shape).astype("float32")
    out, lib = _relay_run(relay.Function([x], relay.nn.softmax(x, axis=axis)), [a])
    e = np.exp(a - a.max(axis, keepdims=True))
    np.testing.assert_allclose(out, e / e.sum(axis, keepdims=True), rtol=2e-6, atol=1e-7)
    prim = relay.Function([x], relay.nn.softmax(x, axis=axis)).with_attr("Primitive", tvm.tir.IntImm("int32", 1))
    func = relay.transform.InferType()(tvm.IRModule.from_expr(prim))
    _, lowered, _ = relay.backend.te_compiler.lower(func["main"], target="llvm")
    uses_x86 = "softmax_partial_max" in str(lowered)
    assert uses_x86 == (axis in (-1, 1))
    del lib


def test_attention_scores_softmax_matches_numpy():
    # The attention pattern: scores = q k^T * scale (+ mask), softmax over keys, times v.
    rng = np.random.default_rng(3)
    q, k, v = (rng.standard_normal((4, 17, 24)).astype("float32") for _ in range(3))
    mask = np.where(rng.random((4, 17, 17)) < 0.2, -1e9, 0.0).astype("float32")
    Q, K, V, M = (relay.var(n, shape=a.shape) for n, a in zip("qkvm", (q, k, v, mask)))
    scores = relay.nn.batch_matmul(Q, K) * relay.const(np.float32(24 ** -0.5)) + M
    out = relay.nn.batch_matmul(relay.nn.softmax(scores), V, transpose_b=False)
    got, _ = _relay_run(relay.Function([Q, K, V, M], out), [q, k, v, mask])
    s = np.einsum("bik,bjk->bij", q.astype("float64"), k) * 24 ** -0.5 + mask
    np.testing.assert_allclose(got, np.einsum("bij,bjd->bid", _np_softmax(s), v), rtol=1e-5, atol=1e-5)


_REDUCTIONS = [
    ((96, 1, 512), [-1]), ((5, 33), [-1]), ((3, 7), [1]), ((4, 8, 40), [1, 2]), ((64, 48), [0]),
    ((1000,), [0]), ((2, 3, 16), [0, 2]), ((1, 1), [1]),
]


@pytest.mark.parametrize("shape,axis", _REDUCTIONS)
def test_reductions_match_numpy(shape, axis):
    a = np.random.default_rng(4).standard_normal(shape).astype("float32")
    x = relay.var("x", shape=shape)
    ax = tuple(axis)
    for build, ref, tol in (
            (lambda: relay.sum(x, axis=axis, keepdims=True), a.astype("float64").sum(ax, keepdims=True), 1e-5),
            (lambda: relay.mean(x, axis=axis), a.astype("float64").mean(ax), 1e-5),
            (lambda: relay.max(x, axis=axis), a.max(ax), 0),
            (lambda: relay.min(x, axis=axis, keepdims=True), a.min(ax, keepdims=True), 0),
            (lambda: relay.variance(x, axis=axis, keepdims=True), a.astype("float64").var(ax, keepdims=True), 1e-5),
            (lambda: relay.sqrt(relay.sum(x * x, axis=axis)) + relay.const(1.0), np.sqrt((a.astype("float64") ** 2)
                                                                                           .sum(ax)) + 1, 1e-5)):
        got, _ = _relay_run(relay.Function([x], build()), [a])
        np.testing.assert_allclose(got, ref, rtol=tol, atol=tol)


def test_row_reduction_keeps_vector_partials_and_runs_rows_in_parallel():
    x = te.placeholder((96, 512), name="x")
    k = te.reduce_axis((0, 512), name="k")
    r = te.compute((96,), lambda i: te.sum(x[i, k] * x[i, k], axis=k), name="r", tag="comm_reduce")
    out = te.compute((96,), lambda i: r[i] / 512.0, name="out", tag="elemwise")
    with tvm.target.Target("llvm -mcpu=skylake-avx512"):
        s = topi.x86.schedule_reduce([out])
    text = str(tvm.lower(s, [x, out]))
    assert "T.parallel(96)" in text
    assert "r_rf" in text and "T.Ramp" not in text  # contiguous 16-wide loads, no gathers
    assert "[0:16]" in text
    if _host_runs("avx512"):
        f = tvm.build(s, [x, out], "llvm -mcpu=skylake-avx512")
        a = np.random.default_rng(5).standard_normal((96, 512)).astype("float32")
        o = tvm.nd.empty((96,))
        f(tvm.nd.array(a), o)
        np.testing.assert_allclose(o.numpy(), (a.astype("float64") ** 2).sum(1) / 512, rtol=1e-5)


def test_argmax_keeps_the_generic_schedule():
    a = np.random.default_rng(6).standard_normal((7, 35)).astype("float32")
    x = relay.var("x", shape=a.shape)
    got, _ = _relay_run(relay.Function([x], relay.argmax(x, axis=[1])), [a])
    np.testing.assert_array_equal(got, a.argmax(1))


@pytest.mark.parametrize("shape", [(96, 1, 512), (7, 33), (128, 768)])
def test_layer_norm_matches_numpy(shape):
    rng = np.random.default_rng(7)
    a = rng.standard_normal(shape).astype("float32") * 3 + 1
    g = rng.standard_normal(shape[-1]).astype("float32")
    b = rng.standard_normal(shape[-1]).astype("float32")
    x, gv, bv = relay.var("x", shape=shape), relay.var("g", shape=g.shape), relay.var("b", shape=b.shape)
    got, _ = _relay_run(relay.Function([x, gv, bv], relay.nn.layer_norm(x, gv, bv, axis=-1, epsilon=1e-5)), [a, g, b])
    a64 = a.astype("float64")
    ref = (a64 - a64.mean(-1, keepdims=True)) / np.sqrt(a64.var(-1, keepdims=True) + 1e-5) * g + b
    np.testing.assert_allclose(got, ref, rtol=1e-5, atol=2e-5)


@pytest.mark.parametrize("shape", [(96, 1, 512), (7, 48), (3, 16), (5, 33), (2, 64), (1, 1, 128)])
def test_injective_rows_in_parallel_vectors_within(shape):
    # layer_norm's normalisation: per-row mean and 1/sqrt(var + eps), per-column gamma and beta.
    rows = shape[:-1] + (1,)
    x, m, v = te.placeholder(shape, name="x"), te.placeholder(rows, name="m"), te.placeholder(rows, name="v")
    g, b = te.placeholder(shape[-1:], name="g"), te.placeholder(shape[-1:], name="b")
    with tvm.target.Target("llvm -mcpu=skylake-avx512"):
        out = topi.add(topi.multiply(topi.multiply(topi.subtract(x, m), topi.rsqrt(topi.add(v, 1e-5))), g), b)
        s = topi.x86.schedule_injective([out])
    text = str(tvm.lower(s, [x, m, v, g, b, out]))
    nrows = int(np.prod(shape[:-1]))
    if nrows >= 4 and shape[-1] % 4 == 0:
        assert f"T.parallel({nrows})" in text  # one task per row, not per vector
    if _host_runs("avx512"):
        f = tvm.build(s, [x, m, v, g, b, out], "llvm -mcpu=skylake-avx512")
        rng = np.random.default_rng(8)
        args = [rng.standard_normal(t.shape).astype("float32") for t in (x, m)]
        args.append(rng.random(rows).astype("float32") + 0.5)
        args += [rng.standard_normal(shape[-1:]).astype("float32") for _ in range(2)]
        o = tvm.nd.empty(shape)
        f(*[tvm.nd.array(a) for a in args], o)
        ref = (args[0] - args[1]) / np.sqrt(args[2] + 1e-5) * args[3] + args[4]
        np.testing.assert_allclose(o.numpy(), ref, rtol=1e-5, atol=1e-5)


def test_injective_transpose_and_fallbacks_match_numpy():
    a = np.random.default_rng(9).standard_normal((8, 96, 64)).astype("float32")
    x = relay.var("x", shape=a.shape)
    for expr, ref in ((relay.transpose(x, (1, 0, 2)), a.transpose(1, 0, 2)),
                      (relay.transpose(x, (1, 2, 0)), a.transpose(1, 2, 0)),
                      (relay.reshape(relay.transpose(x, (0, 2, 1)), (8, 64 * 96)) * relay.const(2.0),
                       a.transpose(0, 2, 1).reshape(8, -1) * 2),
                      (relay.strided_slice(x, [0, 0, 1], [8, 96, 64], [1, 1, 3]), a[:, :, 1::3]),
                      (relay.sum(x, axis=[0]) + relay.const(1.0), a.sum(0) + 1)):
        got, _ = _relay_run(relay.Function([x], expr), [a])
        np.testing.assert_allclose(got, ref, rtol=1e-5, atol=1e-5)
