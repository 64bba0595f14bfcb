# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Elementwise and broadcast operators run end to end in the debug executor, against numpy."""
import numpy as np
import pytest
import torch

import tvm
from tvm import relay


def run(func, *args):
    mod = tvm.IRModule.from_expr(func)
    out = relay.create_executor("debug", mod, tvm.cpu(), "llvm").evaluate()(*args)
    return out.numpy() if hasattr(out, "numpy") else out


def erf(x):
    return torch.erf(torch.tensor(x)).numpy()


RNG = np.random.default_rng(7)

# name -> (numpy reference, input range)
UNARY = {
    "log": (np.log, (0.1, 4)), "log2": (np.log2, (0.1, 4)), "log10": (np.log10, (0.1, 4)),
    "tan": (np.tan, (-1, 1)), "cos": (np.cos, (-3, 3)), "cosh": (np.cosh, (-2, 2)), "sin": (np.sin, (-3, 3)),
    "sinh": (np.sinh, (-2, 2)), "acos": (np.arccos, (-0.9, 0.9)), "acosh": (np.arccosh, (1.1, 4)),
    "asin": (np.arcsin, (-0.9, 0.9)), "asinh": (np.arcsinh, (-3, 3)), "atan": (np.arctan, (-3, 3)),
    "atanh": (np.arctanh, (-0.9, 0.9)), "exp": (np.exp, (-3, 3)), "erf": (erf, (-2, 2)),
    "sqrt": (np.sqrt, (0.1, 4)), "rsqrt": (lambda x: 1 / np.sqrt(x), (0.1, 4)),
    "sigmoid": (lambda x: 1 / (1 + np.exp(-x)), (-4, 4)), "floor": (np.floor, (-3, 3)), "ceil": (np.ceil, (-3, 3)),
    "trunc": (np.trunc, (-3, 3)), "round": (np.round, (-3, 3)), "sign": (np.sign, (-3, 3)), "abs": (np.abs, (-3, 3)),
    "tanh": (np.tanh, (-3, 3)), "negative": (np.negative, (-3, 3)), "copy": (np.copy, (-3, 3)),
    "fast_exp": (np.exp, (-3, 3)), "fast_tanh": (np.tanh, (-3, 3)), "fast_erf": (erf, (-2, 2)),
}


@pytest.mark.parametrize("name", sorted(UNARY))
@pytest.mark.parametrize("shape", [(5,), (2, 3, 4)])
def test_unary_float(name, shape):
    ref, (low, high) = UNARY[name]
    a = RNG.uniform(low, high, size=shape).astype("float32")
    x = relay.var("x", shape=shape)
    out = run(relay.Function([x], getattr(relay, name)(x)), a)
    np.testing.assert_allclose(out, ref(a), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", ["tan", "sin", "cos", "exp", "log", "sqrt", "atan", "sinh"])
def test_unary_float64_calls_the_c_library(name):
    # float64 math lowers to calls of libm's functions of the op's own name; the
    # kernel must not take that symbol (it would call itself).
    ref, (low, high) = UNARY[name]
    a = RNG.uniform(low, high, size=(6,)).astype("float64")
    x = relay.var("x", shape=(6,), dtype="float64")
    out = run(relay.Function([x], getattr(relay, name)(x)), a)
    np.testing.assert_allclose(out, ref(a), rtol=1e-12, atol=1e-12)


def test_unary_predicates_and_integers():
    a = np.array([1.0, np.nan, np.inf, -np.inf, -2.5], "float32")
    x = relay.var("x", shape=a.shape)
    for name, ref in [("isnan", np.isnan), ("isfinite", np.isfinite), ("isinf", np.isinf)]:
        np.testing.assert_array_equal(run(relay.Function([x], getattr(relay, name)(x)), a), ref(a))
    b = np.array([[True, False], [False, True]])
    xb = relay.var("xb", shape=b.shape, dtype="bool")
    np.testing.assert_array_equal(run(relay.Function([xb], relay.logical_not(xb)), b), ~b)
    i = RNG.integers(-50, 50, size=(3, 4)).astype("int32")
    xi = relay.var("xi", shape=i.shape, dtype="int32")
    np.testing.assert_array_equal(run(relay.Function([xi], relay.bitwise_not(xi)), i), ~i)
    np.testing.assert_array_equal(run(relay.Function([xi], relay.abs(xi)), i), np.abs(i))


@pytest.mark.parametrize("name", ["log", "exp", "sqrt", "tanh"])
def test_transcendental_of_integers_truncates_like_a_c_cast(name):
    # TVM type-checks log of an int tensor to an int tensor; the value is computed in
    # floating point and converted back, truncating towards zero.
    ref, _ = UNARY[name]
    i = np.array([1, 2, 3, 10, 100, 10000], "int32")
    xi = relay.var("xi", shape=i.shape, dtype="int32")
    out = run(relay.Function([xi], getattr(relay, name)(relay.minimum(xi, relay.const(20)) if name == "exp" else xi)),
              i)
    assert out.dtype == np.int32
    want = ref(np.minimum(i, 20).astype("float64") if name == "exp" else i.astype("float64"))
    np.testing.assert_array_equal(out, np.trunc(want).astype("int32"))


BINARY = {
    "add": np.add, "subtract": np.subtract, "multiply": np.multiply, "divide": np.divide,
    "power": np.power, "maximum": np.maximum, "minimum": np.minimum, "floor_divide": np.floor_divide,
    "floor_mod": np.mod, "mod": np.fmod,
}
SHAPES = [((3, 4), (3, 4)), ((2, 3, 4), (4,)), ((3, 1), (1, 5)), ((2, 1, 4), (3, 1)), ((), (2, 3))]


@pytest.mark.parametrize("name", sorted(BINARY))
@pytest.mark.parametrize("shapes", SHAPES)
def test_binary_float_broadcast(name, shapes):
    a = RNG.uniform(0.5, 3, size=shapes[0]).astype("float32")
    b = RNG.uniform(0.5, 3, size=shapes[1]).astype("float32")
    if name in ("floor_divide", "floor_mod", "mod", "subtract"):
        a = a * np.where(RNG.random(a.shape) > 0.5, 1, -1).astype("float32")
    x = relay.var("x", shape=shapes[0])
    y = relay.var("y", shape=shapes[1])
    out = run(relay.Function([x, y], getattr(relay, name)(x, y)), a, b)
    np.testing.assert_allclose(out, BINARY[name](a, b), rtol=1e-5, atol=1e-5)


INT_BINARY = {
    "add": np.add, "subtract": np.subtract, "multiply": np.multiply, "floor_divide": np.floor_divide,
    "floor_mod": np.mod, "bitwise_and": np.bitwise_and, "bitwise_or": np.bitwise_or,
    "bitwise_xor": np.bitwise_xor, "left_shift": np.left_shift, "right_shift": np.right_shift,
    "maximum": np.maximum, "minimum": np.minimum,
}


@pytest.mark.parametrize("name", sorted(INT_BINARY))
def test_binary_int(name):
    a = RNG.integers(-40, 40, size=(4, 5)).astype("int32")
    b = RNG.integers(1, 6, size=(5,)).astype("int32")
    x = relay.var("x", shape=a.shape, dtype="int32")
    y = relay.var("y", shape=b.shape, dtype="int32")
    out = run(relay.Function([x, y], getattr(relay, name)(x, y)), a, b)
    np.testing.assert_array_equal(out, INT_BINARY[name](a, b))


def test_int_divide_and_mod_truncate():
    a = np.array([7, -7, 7, -7], "int32")
    b = np.array([2, 2, -2, -2], "int32")
    x = relay.var("x", shape=(4,), dtype="int32")
    y = relay.var("y", shape=(4,), dtype="int32")
    np.testing.assert_array_equal(run(relay.Function([x, y], relay.divide(x, y)), a, b), [3, -3, -3, 3])
    np.testing.assert_array_equal(run(relay.Function([x, y], relay.mod(x, y)), a, b), np.fmod(a, b))


COMPARE = {"equal": np.equal, "not_equal": np.not_equal, "less": np.less, "less_equal": np.less_equal,
           "greater": np.greater, "greater_equal": np.greater_equal}


@pytest.mark.parametrize("name", sorted(COMPARE))
def test_comparison_broadcast(name):
    a = RNG.integers(0, 3, size=(2, 3, 4)).astype("float32")
    b = RNG.integers(0, 3, size=(3, 1)).astype("float32")
    x = relay.var("x", shape=a.shape)
    y = relay.var("y", shape=b.shape)
    out = run(relay.Function([x, y], getattr(relay, name)(x, y)), a, b)
    assert out.dtype == np.bool_
    np.testing.assert_array_equal(out, COMPARE[name](a, b))


@pytest.mark.parametrize("name,ref", [("logical_and", np.logical_and), ("logical_or", np.logical_or),
                                      ("logical_xor", np.logical_xor)])
def test_logical(name, ref):
    a = RNG.random((3, 4)) > 0.5
    b = RNG.random((4,)) > 0.5
    x = relay.var("x", shape=a.shape, dtype="bool")
    y = relay.var("y", shape=b.shape, dtype="bool")
    np.testing.assert_array_equal(run(relay.Function([x, y], getattr(relay, name)(x, y)), a, b), ref(a, b))


@pytest.mark.parametrize("shapes", [((3, 4), (3, 4), (3, 4)), ((4,), (3, 4), (1, 4)), ((3, 1), (1, 4), ())])
def test_where(shapes):
    c = RNG.random(shapes[0]) > 0.5
    a = RNG.standard_normal(shapes[1]).astype("float32")
    b = RNG.standard_normal(shapes[2]).astype("float32")
    vc = relay.var("c", shape=shapes[0], dtype="bool")
    va = relay.var("a", shape=shapes[1])
    vb = relay.var("b", shape=shapes[2])
    np.testing.assert_array_equal(run(relay.Function([vc, va, vb], relay.where(vc, va, vb)), c, a, b),
                                  np.where(c, a, b))


def test_clip_cast_cast_like_reinterpret():
    a = RNG.uniform(-5, 5, size=(3, 4)).astype("float32")
    x = relay.var("x", shape=a.shape)
    np.testing.assert_allclose(run(relay.Function([x], relay.clip(x, -1.5, 2.0)), a), np.clip(a, -1.5, 2.0))
    np.testing.assert_array_equal(run(relay.Function([x], relay.cast(x, "int32")), a), a.astype("int32"))
    like = relay.var("like", shape=(1,), dtype="float16")
    out = run(relay.Function([x, like], relay.cast_like(x, like)), a, np.zeros(1, "float16"))
    assert out.dtype == np.float16
    np.testing.assert_allclose(out, a.astype("float16"))
    np.testing.assert_array_equal(run(relay.Function([x], relay.reinterpret(x, "int32")), a), a.view("int32"))


def test_init_ops():
    x = relay.var("x", shape=(2, 3), dtype="int32")
    a = RNG.integers(0, 9, size=(2, 3)).astype("int32")
    np.testing.assert_array_equal(run(relay.Function([], relay.zeros((2, 4), "float32"))), np.zeros((2, 4)))
    np.testing.assert_array_equal(run(relay.Function([], relay.ones((3,), "int64"))), np.ones(3, "int64"))
    np.testing.assert_array_equal(run(relay.Function([x], relay.zeros_like(x)), a), np.zeros_like(a))
    np.testing.assert_array_equal(run(relay.Function([x], relay.ones_like(x)), a), np.ones_like(a))
    full = run(relay.Function([], relay.full(relay.const(2.5), (2, 2), "float32")))
    np.testing.assert_array_equal(full, np.full((2, 2), 2.5, "float32"))
    np.testing.assert_array_equal(run(relay.Function([x], relay.full_like(x, relay.const(7))), a), np.full_like(a, 7))


def test_shape_of():
    x = relay.var("x", shape=(2, 5, 3))
    out = run(relay.Function([x], relay.shape_of(x)), np.zeros((2, 5, 3), "float32"))
    assert out.dtype == np.int32
    np.testing.assert_array_equal(out, [2, 5, 3])
    out = run(relay.Function([x], relay.shape_of(x, "int64")), np.zeros((2, 5, 3), "float32"))
    assert out.dtype == np.int64


def test_fixed_point_multiply():
    a = RNG.integers(-1000, 1000, size=(8,)).astype("int32")
    x = relay.var("x", shape=a.shape, dtype="int32")
    multiplier, shift = 1395864371, -3  # about 0.65 * 2^31
    out = run(relay.Function([x], relay.fixed_point_multiply(x, multiplier, shift)), a)
    expected = np.round(a.astype("float64") * multiplier / 2**31 * 2.0**shift)
    np.testing.assert_allclose(out, expected, atol=1)


def test_every_elementwise_operator_has_a_compute_and_schedule():
    for name in list(UNARY) + list(BINARY) + list(INT_BINARY) + list(COMPARE) + ["where", "clip", "cast"]:
        op = relay.op.get(name)
        assert op.get_attr("FTVMCompute") is not None, name
        assert op.get_attr("FTVMSchedule") is not None, name
