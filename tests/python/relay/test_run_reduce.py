# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Reductions run end to end in the debug executor, against numpy."""
import numpy as np
import pytest

import tvm
from tvm import relay

RNG = np.random.default_rng(3)


def run(func, *args):
    mod = tvm.IRModule.from_expr(func)
    out = relay.create_executor("debug", mod, tvm.cpu(), "llvm").evaluate()(*args)
    return [o.numpy() for o in out] if isinstance(out, tvm.runtime.container.ADT) else out.numpy()


def complement(axis, ndim):
    axis = [axis] if isinstance(axis, int) else list(axis)
    return tuple(i for i in range(ndim) if i not in [a % ndim for a in axis])


REDUCE = {"sum": np.sum, "mean": np.mean, "max": np.max, "min": np.min, "prod": np.prod}
AXES = [None, 1, -1, (0, 2), (-3, -1), ()]


@pytest.mark.parametrize("name", sorted(REDUCE))
@pytest.mark.parametrize("axis", AXES)
@pytest.mark.parametrize("keepdims", [False, True])
def test_reduce(name, axis, keepdims):
    a = RNG.uniform(0.5, 1.5, size=(2, 3, 4)).astype("float32")
    x = relay.var("x", shape=a.shape)
    out = run(relay.Function([x], getattr(relay, name)(x, axis=axis, keepdims=keepdims)), a)
    # TVM v0.14: an empty axis list reduces every axis, as None does.
    ref_axis = tuple(range(3)) if axis is None or axis == () else axis
    np.testing.assert_allclose(out, REDUCE[name](a, axis=ref_axis, keepdims=keepdims), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", ["sum", "max", "mean"])
@pytest.mark.parametrize("axis", [1, (0, -1)])
def test_reduce_exclude(name, axis):
    a = RNG.standard_normal((2, 3, 4)).astype("float32")
    x = relay.var("x", shape=a.shape)
    out = run(relay.Function([x], getattr(relay, name)(x, axis=axis, exclude=True)), a)
    np.testing.assert_allclose(out, REDUCE[name](a, axis=complement(axis, 3)), rtol=1e-5, atol=1e-5)


def test_reduce_integers():
    a = RNG.integers(-9, 9, size=(3, 5)).astype("int32")
    x = relay.var("x", shape=a.shape, dtype="int32")
    np.testing.assert_array_equal(run(relay.Function([x], relay.sum(x, axis=0)), a), a.sum(0))
    np.testing.assert_array_equal(run(relay.Function([x], relay.max(x, axis=1)), a), a.max(1))


@pytest.mark.parametrize("name", ["all", "any"])
@pytest.mark.parametrize("axis", [None, 0, (1, 2), -1])
def test_all_any(name, axis):
    a = RNG.random((3, 2, 4)) > 0.3
    x = relay.var("x", shape=a.shape, dtype="bool")
    out = run(relay.Function([x], getattr(relay, name)(x, axis=axis, keepdims=True)), a)
    np.testing.assert_array_equal(out, getattr(np, name)(a, axis=axis, keepdims=True))


@pytest.mark.parametrize("name", ["argmax", "argmin"])
@pytest.mark.parametrize("axis,keepdims", [(None, False), (0, False), (-1, True), (1, False)])
def test_argmax_argmin(name, axis, keepdims):
    a = RNG.standard_normal((3, 4, 5)).astype("float32")
    x = relay.var("x", shape=a.shape)
    out = run(relay.Function([x], getattr(relay, name)(x, axis=axis, keepdims=keepdims)), a)
    assert out.dtype == np.int32
    np.testing.assert_array_equal(out, getattr(np, name)(a, axis=axis, keepdims=keepdims))


@pytest.mark.parametrize("name", ["argmax", "argmin"])
def test_arg_select_last_index(name):
    a = np.array([[1, 3, 3, 0], [2, 2, 0, 0]], "float32")
    x = relay.var("x", shape=a.shape)
    first = run(relay.Function([x], getattr(relay, name)(x, axis=1)), a)
    last = run(relay.Function([x], getattr(relay, name)(x, axis=1, select_last_index=True)), a)
    rev = getattr(np, name)(a[:, ::-1], axis=1)
    np.testing.assert_array_equal(first, getattr(np, name)(a, axis=1))
    np.testing.assert_array_equal(last, a.shape[1] - 1 - rev)


@pytest.mark.parametrize("axis", [None, 1, (0, 2), -1])
@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("unbiased", [False, True])
def test_variance_std(axis, keepdims, unbiased):
    a = RNG.standard_normal((3, 4, 5)).astype("float32")
    x = relay.var("x", shape=a.shape)
    ddof = 1 if unbiased else 0
    out = run(relay.Function([x], relay.variance(x, axis=axis, keepdims=keepdims, unbiased=unbiased)), a)
    np.testing.assert_allclose(out, np.var(a, axis=axis, keepdims=keepdims, ddof=ddof), rtol=1e-5, atol=1e-6)
    out = run(relay.Function([x], relay.std(x, axis=axis, keepdims=keepdims, unbiased=unbiased)), a)
    np.testing.assert_allclose(out, np.std(a, axis=axis, keepdims=keepdims, ddof=ddof), rtol=1e-5, atol=1e-6)


def test_mean_variance_mean_std():
    a = RNG.standard_normal((4, 6)).astype("float32")
    x = relay.var("x", shape=a.shape)
    m, v = run(relay.Function([x], relay.Tuple(list(relay.mean_variance(x, axis=1)))), a)
    np.testing.assert_allclose(m, a.mean(1), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(v, a.var(1), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("axis,keepdims", [(None, False), (1, False), (-1, True)])
def test_logsumexp(axis, keepdims):
    a = (RNG.standard_normal((3, 4, 5)) * 10).astype("float32")
    x = relay.var("x", shape=a.shape)
    out = run(relay.Function([x], relay.logsumexp(x, axis=axis, keepdims=keepdims)), a)
    m = a.max(axis=axis, keepdims=True)
    ref = np.log(np.exp(a - m).sum(axis=axis, keepdims=True)) + m
    ref = ref if keepdims else np.squeeze(ref, axis=axis)
    np.testing.assert_allclose(out, ref, rtol=1e-5, atol=1e-5)


def test_float16_mean_and_variance_accumulate_in_float32():
    a = RNG.uniform(0, 1, size=(64, 8, 64)).astype("float16")
    x = relay.var("x", shape=a.shape, dtype="float16")
    out = run(relay.Function([x], relay.mean(x, axis=(0, 2))), a)
    assert out.dtype == np.float16
    np.testing.assert_allclose(out, a.astype("float64").mean((0, 2)), rtol=1e-3)
    out = run(relay.Function([x], relay.variance(x)), a)
    np.testing.assert_allclose(out, a.astype("float64").var(), rtol=2e-3)
