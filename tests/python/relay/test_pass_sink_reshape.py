# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""SinkReshape: elementwise ops move above the reshape before them (exact IR before/after),
values unchanged, and in relay.build the bias, activation and residual add of a linear
layer written reshape -> dense -> reshape -> bias_add fuse into the dense."""
import json

import numpy as np
import pytest

import tvm
from tvm import relay
from tvm.contrib import graph_executor


def _run_pass(expr, params):
    mod = relay.transform.InferType()(tvm.IRModule.from_expr(relay.Function(params, expr)))
    return relay.transform.SinkReshape()(mod)


def _expected(expr, params):
    return relay.transform.InferType()(tvm.IRModule.from_expr(relay.Function(params, expr)))


def _assert_same(got, want):
    tvm.ir.assert_structural_equal(got["main"], want["main"], map_free_vars=True)


def test_bias_add_and_relu_move_above_the_reshape():
    x = relay.var("x", shape=(12, 8))
    b = relay.var("b", shape=(8,))
    before = relay.nn.relu(relay.nn.bias_add(relay.reshape(x, (3, 4, 8)), b, axis=2))
    # The relu then moves above the reshape the bias_add left: one reshape at the end.
    got = _run_pass(before, [x, b])
    want = _expected(relay.reshape(relay.nn.relu(relay.nn.bias_add(x, b, axis=-1)), (3, 4, 8)), [x, b])
    _assert_same(got, want)


def test_binary_ops_with_a_vector_scalar_or_full_operand():
    x = relay.var("x", shape=(6, 10))
    v = relay.var("v", shape=(1, 1, 10))
    r = relay.var("r", shape=(2, 3, 10))
    s = relay.const(2.0)
    before = relay.subtract(relay.multiply(relay.reshape(x, (2, 3, 10)), v), s)
    before = relay.add(r, before)
    got = _run_pass(before, [x, v, r])
    inner = relay.subtract(relay.multiply(x, relay.reshape(v, (10,))), s)
    want = relay.reshape(relay.add(relay.reshape(r, (6, 10)), inner), (2, 3, 10))
    _assert_same(got, _expected(want, [x, v, r]))


def test_two_reshaped_operands_of_one_source_shape_meet_directly():
    x = relay.var("x", shape=(4, 6))
    y = relay.var("y", shape=(4, 6))
    before = relay.divide(relay.reshape(x, (2, 2, 6)), relay.reshape(y, (2, 2, 6)))
    got = _run_pass(before, [x, y])
    _assert_same(got, _expected(relay.reshape(relay.divide(x, y), (2, 2, 6)), [x, y]))


@pytest.mark.parametrize("case", ["bias_not_last", "changes_last_axis", "broadcast_other", "dynamic"])
def test_what_is_left_alone(case):
    if case == "bias_not_last":
        x, b = relay.var("x", shape=(12, 8)), relay.var("b", shape=(3,))
        expr, params = relay.nn.bias_add(relay.reshape(x, (3, 4, 8)), b, axis=0), [x, b]
    elif case == "changes_last_axis":  # the vector would meet other elements after the reshape
        x, b = relay.var("x", shape=(6, 4)), relay.var("b", shape=(8,))
        expr, params = relay.add(relay.reshape(x, (3, 8)), b), [x, b]
    elif case == "broadcast_other":  # the other operand varies along a leading axis
        x, c = relay.var("x", shape=(6, 4)), relay.var("c", shape=(2, 1, 4))
        expr, params = relay.add(relay.reshape(x, (2, 3, 4)), c), [x, c]
    else:
        x = relay.var("x", shape=(relay.Any(), 4))
        expr, params = relay.nn.relu(relay.reshape(x, (-1, 2, 2))), [x]
    got = _run_pass(expr, params)
    _assert_same(got, _expected(expr, params))


def test_long_chains_do_not_recurse():
    x = relay.var("x", shape=(4, 4))
    y = relay.reshape(x, (2, 2, 4))
    for _ in range(20000):
        y = relay.nn.relu(y)
    got = _run_pass(y, [x])
    body = got["main"].body
    assert isinstance(body, relay.Call) and body.op.name == "reshape"


def _linear_block(x, rng, d_in, d_out, rows):
    w = relay.const(rng.standard_normal((d_out, d_in)).astype("float32") * 0.1)
    b = relay.const(rng.standard_normal(d_out).astype("float32"))
    y = relay.reshape(relay.nn.dense(relay.reshape(x, (-1, d_in)), w), (rows, 1, d_out))
    return relay.nn.bias_add(y, b, axis=-1)


def test_relay_build_fuses_bias_activation_and_residual_into_dense():
    rng = np.random.default_rng(0)
    x = relay.var("x", shape=(24, 1, 16))
    h = relay.nn.relu(_linear_block(x, rng, 16, 32, 24))
    out = relay.add(_linear_block(h, rng, 32, 16, 24), x)
    func = relay.Function([x], out)
    with tvm.transform.PassContext(opt_level=3):
        lib = relay.build(tvm.IRModule.from_expr(func), target="llvm")
    kernels = [n["attrs"]["func_name"] for n in json.loads(lib.get_graph_json())["nodes"] if n["op"] == "tvm_op"]
    real = sorted(k for k in kernels if k != "__nop")
    assert len(real) == 2, kernels
    assert any("bias_add_nn_relu" in k for k in real) and any("bias_add_add" in k for k in real)
    a = rng.standard_normal((24, 1, 16)).astype("float32")
    m = graph_executor.GraphModule(lib["default"](tvm.cpu()))
    m.set_input("x", a)
    m.run()
    ref = relay.create_executor("debug", mod=tvm.IRModule.from_expr(func), target="llvm").evaluate()(a).numpy()
    np.testing.assert_allclose(m.get_output(0).numpy(), ref, rtol=1e-5, atol=1e-5)
