# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""x86 reductions and softmax over a symbolic (relay.Any()) innermost extent: vector partials
over the whole vectors, a guarded scalar tail peeled by LoopPartition; numerics through the
Relay VM against numpy for extents below, at and past the vector width."""
import numpy as np
import pytest

import tvm
from tvm import relay, te, topi

A = relay.Any
EXTENTS = [1, 7, 16, 33, 128]
RNG = np.random.default_rng(0)


def _vm(params, body):
    exe = relay.vm.compile(tvm.IRModule.from_expr(relay.Function(params, body)), "llvm")
    return tvm.runtime.vm.VirtualMachine(exe, tvm.cpu())


@pytest.mark.parametrize("op", ["sum", "max", "min", "mean", "variance"])
def test_reduce_last_axis_any(op):
    x = relay.var("x", shape=(A(), A()), dtype="float32")
    vm = _vm([x], getattr(relay, op)(x, axis=-1))
    ref = {"sum": np.sum, "max": np.max, "min": np.min, "mean": np.mean, "variance": np.var}[op]
    for n in EXTENTS:
        data = RNG.standard_normal((5, n)).astype("float32")
        got = vm.invoke("main", tvm.nd.array(data)).numpy()
        np.testing.assert_allclose(got, ref(data, axis=-1), rtol=1e-5, atol=1e-5)


def test_layer_norm_like_graph_any():
    # mean and variance feeding an elementwise normalisation (SimplifyInference's layer_norm).
    x = relay.var("x", shape=(A(), A()), dtype="float32")
    g = relay.var("g", shape=(A(),), dtype="float32")
    vm = _vm([x, g], relay.nn.layer_norm(x, g, relay.zeros_like(g), axis=-1))
    for n in EXTENTS:
        data = RNG.standard_normal((3, n)).astype("float32")
        gamma = RNG.standard_normal(n).astype("float32")
        mean, var = data.mean(-1, keepdims=True), data.var(-1, keepdims=True)
        want = (data - mean) / np.sqrt(var + 1e-5) * gamma
        got = vm.invoke("main", tvm.nd.array(data), tvm.nd.array(gamma)).numpy()
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-4)


def test_softmax_last_axis_any():
    x = relay.var("x", shape=(A(), A(), A()), dtype="float32")
    vm = _vm([x], relay.nn.softmax(x, axis=-1))
    for n in EXTENTS:
        data = (RNG.standard_normal((2, 3, n)) * 4).astype("float32")
        e = np.exp(data - data.max(-1, keepdims=True))
        got = vm.invoke("main", tvm.nd.array(data)).numpy()
        np.testing.assert_allclose(got, e / e.sum(-1, keepdims=True), rtol=1e-5, atol=1e-6)


def _lowered(build):
    n, m = te.size_var("n"), te.size_var("m")
    x = te.placeholder((m, n), name="x")
    with tvm.target.Target("llvm -mcpu=haswell"):  # 8 float32 lanes
        out, s = build(x)
    return [line.strip() for line in str(tvm.lower(s, [x, out])).splitlines()]


def _follows(lines, wanted):
    """Whether the wanted lines occur in this order (other lines between them)."""
    at = 0
    for line in lines:
        if at < len(wanted) and line == wanted[at]:
            at += 1
    return at == len(wanted)


def test_symbolic_sum_loop_structure():
    def build(x):
        r = topi.sum(x, axis=1)
        return r, topi.x86.schedule_reduce([r])

    lines = _lowered(build)
    assert _follows(lines, [
        "for ax0 in T.parallel(m):",
        "T_sum_rf_1[0:8] = T.Broadcast(T.float32(0.0), 8)",
        "for k1_outer in range(n // 8):",  # whole vectors, unguarded
        "T_sum_rf_1[0:8] = T_sum_rf_1[0:8] + x_2[k1_outer * 8 + ax0 * n:k1_outer * 8 + ax0 * n + 8]",
        "for k1_outer_1 in range((n % 8 + 7) // 8):",  # the peeled tail, scalar and guarded
        "for k1_inner_s in range(8):",
        "if n // 8 * 8 + k1_outer_1 * 8 + k1_inner_s < n:",
        "for k1_inner_v in range(8):",  # the partials folded
    ]), "\n".join(lines)


def test_symbolic_softmax_loop_structure():
    def build(x):
        o = topi.x86.softmax(x)
        return o, topi.x86.schedule_softmax([o])

    lines = _lowered(build)
    assert _follows(lines, [
        "for i0 in T.parallel(m):",
        "for b in range(n // 8):",
        "softmax_partial_max_1[0:8] = T.max(softmax_partial_max_1[0:8], x_2[b * 8 + i0 * n:b * 8 + i0 * n + 8])",
        "for b_1 in range((n % 8 + 7) // 8):",
        "for i1_s in range(8):",
        "if n // 8 * 8 + b_1 * 8 + i1_s < n:",
        "for b2 in range(n // 8):",
        "softmax_partial_sum_1[0:8] = softmax_partial_sum_1[0:8] + T_fast_exp_1[b2 * 8:b2 * 8 + 8]",
        "for i1_outer in range(n // 8):",
    ]), "\n".join(lines)


def test_static_extent_keeps_dividing_lanes():
    # A static extent keeps the schedule it had: lanes dividing the extent, no tail loop.
    x = te.placeholder((4, 24), name="x")
    with tvm.target.Target("llvm -mcpu=haswell"):
        r = topi.sum(x, axis=1)
        text = str(tvm.lower(topi.x86.schedule_reduce([r]), [x, r]))
    assert "T.Broadcast(T.float32(0.0), 8)" in text and "k1_outer_1" not in text and "if " not in text


def test_softmax_row_longer_than_a_stack():
    # The exp row buffer has a symbolic size: it comes from the workspace allocator, not the stack.
    x = relay.var("x", shape=(A(), A()), dtype="float32")
    vm = _vm([x], relay.nn.softmax(x, axis=-1))
    data = RNG.standard_normal((2, 3_000_001)).astype("float32")
    e = np.exp(data - data.max(-1, keepdims=True))
    got = vm.invoke("main", tvm.nd.array(data)).numpy()
    np.testing.assert_allclose(got, e / e.sum(-1, keepdims=True), rtol=1e-4, atol=1e-9)


@pytest.mark.parametrize("axis,keepdims", [(0, False), (1, True), ((1, 2), False), (None, False), (2, True)])
@pytest.mark.parametrize("dtype", ["float32", "int32"])
def test_other_axes_and_dtypes(axis, keepdims, dtype):
    # Outer symbolic reduction axes keep the generic schedule; an inner one is split all the same.
    x = relay.var("x", shape=(A(), A(), A()), dtype=dtype)
    vm = _vm([x], relay.Tuple([relay.sum(x, axis=axis, keepdims=keepdims),
                               relay.max(x, axis=axis, keepdims=keepdims)]))
    for shape in [(2, 3, 1), (3, 5, 7), (2, 4, 33)]:
        data = (RNG.standard_normal(shape) * 10).astype(dtype)
        got_sum, got_max = vm.invoke("main", tvm.nd.array(data))
        np.testing.assert_allclose(got_sum.numpy(), data.sum(axis=axis, keepdims=keepdims), rtol=1e-5, atol=1e-4)
        np.testing.assert_array_equal(got_max.numpy(), data.max(axis=axis, keepdims=keepdims))
