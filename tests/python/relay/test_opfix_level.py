# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Operator-level fixes: meshgrid of scalars, erf accuracy, softmax fusion, and friends,
each checked end to end through relay.build and the graph executor against numpy."""
import math

import numpy as np
import pytest

import tvm
from tvm import relay, te, topi
from tvm.contrib import graph_executor

RNG = np.random.default_rng(5)


def build_run(func, *args):
    mod = tvm.IRModule.from_expr(func)
    with tvm.transform.PassContext(opt_level=3):
        lib = relay.build(mod, target="llvm")
    m = graph_executor.GraphModule(lib["default"](tvm.cpu()))
    for i, a in enumerate(args):
        m.set_input(i, a)
    m.run()
    return [m.get_output(i).numpy() for i in range(m.get_num_outputs())]


def erf_ref(x):
    return np.array([math.erf(float(v)) for v in x.reshape(-1)]).reshape(x.shape)


# ---------------------------------------------------------------- meshgrid
@pytest.mark.parametrize("indexing", ["ij", "xy"])
def test_topi_meshgrid_scalar_inputs(indexing):
    a = te.placeholder((), name="a", dtype="float32")
    b = te.placeholder((3,), name="b", dtype="float32")
    c = te.placeholder((), name="c", dtype="float32")
    outs = topi.meshgrid([a, b, c], indexing)
    expected = np.meshgrid(np.float32(2.5), np.arange(3, dtype="float32"), np.float32(-1), indexing=indexing)
    assert [tuple(int(d) for d in o.shape) for o in outs] == [e.shape for e in expected]
    s = te.create_schedule([o.op for o in outs])
    f = tvm.build(s, [a, b, c] + list(outs), "llvm")
    args = [tvm.nd.array(np.array(2.5, "float32")), tvm.nd.array(np.arange(3, dtype="float32")),
            tvm.nd.array(np.array(-1, "float32"))]
    res = [tvm.nd.empty(e.shape, "float32") for e in expected]
    f(*args, *res)
    for r, e in zip(res, expected):
        np.testing.assert_array_equal(r.numpy(), e)


def test_topi_meshgrid_rejects_2d():
    a = te.placeholder((2, 2), name="a")
    with pytest.raises(ValueError, match="not a scalar or 1-D"):
        topi.meshgrid([a], "ij")


def test_relay_meshgrid_scalar_built():
    x = relay.var("x", shape=(), dtype="int32")
    y = relay.var("y", shape=(4,), dtype="int32")
    out = relay.meshgrid([x, y], indexing="ij").astuple()
    xs, ys = np.array(7, "int32"), np.arange(4, dtype="int32")
    res = build_run(relay.Function([x, y], out), xs, ys)
    for r, e in zip(res, np.meshgrid(xs, ys, indexing="ij")):
        np.testing.assert_array_equal(r, e)


# ---------------------------------------------------------------- erf
def test_erf_float32_relative_accuracy():
    # Small arguments are where an absolute error bound alone fails relatively.
    data = np.concatenate([
        RNG.random(2000), -RNG.random(500), RNG.uniform(-6, 6, 2000),
        np.geomspace(1e-6, 1, 200), [0.0, 1.0, -1.0, 0.999999, 1.000001, 10.0, -10.0],
    ]).astype("float32")
    x = relay.var("x", shape=data.shape, dtype="float32")
    (res,) = build_run(relay.Function([x], relay.erf(x)), data)
    np.testing.assert_allclose(res, erf_ref(data.astype("float64")), rtol=1.5e-6, atol=1e-30)


# ---------------------------------------------------------------- softmax
def test_softmax_patterns_are_out_ewise_fusable():
    for name in ["nn.softmax", "nn.log_softmax"]:
        assert relay.op.get(name).get_attr("TOpPattern") == 4


@pytest.mark.parametrize("op, ref", [
    (relay.nn.softmax, lambda a: np.exp(a - a.max(-1, keepdims=True)) / np.exp(a - a.max(-1, keepdims=True)).sum(-1, keepdims=True)),
    (relay.nn.log_softmax, lambda a: a - a.max(-1, keepdims=True) - np.log(np.exp(a - a.max(-1, keepdims=True)).sum(-1, keepdims=True))),
])
def test_softmax_fused_with_elementwise_after(op, ref):
    x = relay.var("x", shape=(3, 17), dtype="float32")
    b = relay.var("b", shape=(17,), dtype="float32")
    out = relay.exp(relay.add(op(x), b))
    f = relay.Function([x, b], out)
    # add and exp join softmax's group.
    mod = relay.transform.InferType()(tvm.IRModule.from_expr(f))
    fused = relay.transform.FuseOps(fuse_opt_level=2)(mod)
    assert fused["main"].body.op.attrs["Primitive"] == 1
    xs, bs = RNG.standard_normal((3, 17)).astype("float32"), RNG.standard_normal(17).astype("float32")
    (res,) = build_run(f, xs, bs)
    np.testing.assert_allclose(res, np.exp(ref(xs.astype("float64")) + bs), rtol=1e-5, atol=1e-6)


# ---------------------------------------------------------------- reshape, reverse_sequence
def test_reshape_to_scalar_prints_empty_newshape_and_runs():
    x = relay.var("x", shape=(1,), dtype="float32")
    y = relay.reshape(x, newshape=[])
    assert "reshape(%x, newshape=[])" in y.astext()
    # Round trip through the parser keeps the attribute.
    parsed = tvm.relay.parse_expr("fn (%x: Tensor[(1), float32]) { reshape(%x, newshape=[]) }")
    assert list(parsed.body.attrs.newshape) == []
    assert relay.transform.InferType()(tvm.IRModule.from_expr(parsed))["main"].ret_type == relay.TensorType((), "float32")
    (res,) = build_run(relay.Function([x], y), np.array([3.5], "float32"))
    assert res.shape == () and res == np.float32(3.5)


def test_reverse_sequence_length_mismatch_message():
    x = relay.var("x", shape=(4, 4), dtype="int32")
    z = relay.reverse_sequence(x, relay.const(np.array([2, 3, 2, 4, 5], "int32")), 0, 1)
    with pytest.raises(tvm.error.DiagnosticError) as info:
        relay.transform.InferType()(tvm.IRModule.from_expr(relay.Function([x], z)))
    assert ("seq_lengths size should match with dimension of batch axis, but got dimension of batch_axis = 4, "
            "and seq_length size = 5") in str(info.value)


def test_reverse_sequence_runs():
    data = np.arange(16, dtype="int32").reshape(4, 4)
    lengths = np.array([1, 2, 3, 4], "int32")
    x = relay.var("x", shape=(4, 4), dtype="int32")
    z = relay.reverse_sequence(x, relay.const(lengths), seq_axis=1, batch_axis=0)
    (res,) = build_run(relay.Function([x], z), data)
    expected = data.copy()
    for b, n in enumerate(lengths):
        expected[b, :n] = data[b, :n][::-1]
    np.testing.assert_array_equal(res, expected)


# ---------------------------------------------------------------- shifts
@pytest.mark.parametrize("op, ref", [(relay.left_shift, np.left_shift), (relay.right_shift, np.right_shift)])
def test_shifts_broadcast_and_run(op, ref):
    xs = RNG.integers(1, 10000, size=(10, 4)).astype("int32")
    ys = RNG.integers(1, 20, size=(5, 10, 1)).astype("int32")
    x = relay.var("x", shape=xs.shape, dtype="int32")
    y = relay.var("y", shape=ys.shape, dtype="int32")
    f = relay.Function([x, y], op(x, y))
    (res,) = build_run(f, xs, ys)
    np.testing.assert_array_equal(res, ref(xs, ys))


def test_shifts_type_check_any_dtype_but_float_does_not_compile():
    x = relay.var("x", shape=(10, 20), dtype="float32")
    f = relay.Function([x], relay.left_shift(relay.squeeze(x), relay.transpose(x, axes=[0, 1])))
    mod = relay.transform.InferType()(tvm.IRModule.from_expr(f))
    assert mod["main"].ret_type == relay.TensorType((10, 20), "float32")
    with pytest.raises(tvm.TVMError, match="left_shift"):
        relay.build(mod, target="llvm")
