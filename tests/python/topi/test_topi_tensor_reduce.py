# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""TOPI reductions against numpy, built for llvm with the generic reduce schedule."""
import numpy as np
import pytest

import tvm
from tvm import te, topi


def build_run(out, inputs, arrays):
    with tvm.target.Target("llvm"):
        s = topi.generic.schedule_reduce(out)
    f = tvm.build(s, inputs + [out], "llvm")
    res = tvm.nd.array(np.zeros([int(d) for d in out.shape], dtype=out.dtype))
    f(*[tvm.nd.array(a) for a in arrays], res)
    return res.numpy()


AXES = [None, 0, -1, (0, 2), [1, -1], (0, 1, 2)]
REFS = {"sum": np.sum, "max": np.max, "min": np.min, "prod": np.prod}


@pytest.mark.parametrize("op", list(REFS))
@pytest.mark.parametrize("axis", AXES, ids=str)
@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("dtype", ["float32", "int32"])
def test_reduce(op, axis, keepdims, dtype):
    shape = (3, 4, 5)
    a = np.random.uniform(-2, 2, size=shape).astype(dtype) if dtype == "float32" else \
        np.random.randint(-3, 4, size=shape).astype(dtype)
    A = te.placeholder(shape, dtype, name="A")
    B = getattr(topi, op)(A, axis=axis, keepdims=keepdims)
    assert B.op.tag == "comm_reduce"
    out = build_run(B, [A], [a])
    ref = REFS[op](a, axis=tuple(axis) if isinstance(axis, list) else axis, keepdims=keepdims)
    np.testing.assert_allclose(out, ref, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("op", ["all", "any"])
@pytest.mark.parametrize("axis", [None, 1, (0, -1)], ids=str)
@pytest.mark.parametrize("keepdims", [False, True])
def test_all_any(op, axis, keepdims):
    a = np.random.rand(3, 4, 5) > 0.3
    A = te.placeholder(a.shape, "bool", name="A")
    out = build_run(getattr(topi, op)(A, axis=axis, keepdims=keepdims), [A], [a])
    np.testing.assert_array_equal(out, getattr(np, op)(a, axis=axis, keepdims=keepdims))


def test_sum_of_bool_is_any():
    a = np.random.rand(4, 6) > 0.8
    A = te.placeholder(a.shape, "bool", name="A")
    out = build_run(topi.sum(A, axis=1), [A], [a])
    np.testing.assert_array_equal(out, a.sum(axis=1, dtype="bool"))


@pytest.mark.parametrize("op", ["argmax", "argmin"])
@pytest.mark.parametrize("axis", [None, 0, -1, 1], ids=str)
@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("dtype", ["float32", "int8"])
def test_arg_reduce(op, axis, keepdims, dtype):
    # Few distinct values, so ties happen: the first index wins, as in numpy.
    a = np.random.randint(-2, 3, size=(4, 5, 6)).astype(dtype)
    A = te.placeholder(a.shape, dtype, name="A")
    B = getattr(topi, op)(A, axis=axis, keepdims=keepdims)
    assert B.dtype == "int32" and B.op.tag == "comm_reduce_idx"
    out = build_run(B, [A], [a])
    np.testing.assert_array_equal(out, getattr(np, op)(a, axis=axis, keepdims=keepdims))


def test_arg_reduce_last_index_and_extremes():
    a = np.array([[1, 7, 7, 0], [-np.inf, -np.inf, -np.inf, -np.inf]], "float32")
    A = te.placeholder(a.shape, name="A")
    out = build_run(topi.argmax(A, axis=1, select_last_index=True), [A], [a])
    np.testing.assert_array_equal(out, [2, 3])
    out = build_run(topi.argmax(A, axis=1), [A], [a])
    np.testing.assert_array_equal(out, [1, 0])


def test_reduce_with_fused_producer():
    a = np.random.rand(8, 16).astype("float32")
    A = te.placeholder(a.shape, name="A")
    B = topi.sum(topi.exp(A), axis=1)
    out = build_run(B, [A], [a])
    np.testing.assert_allclose(out, np.exp(a).sum(1), rtol=1e-5)


def test_collapse_sum():
    a = np.random.rand(2, 3, 4).astype("float32")
    A = te.placeholder(a.shape, name="A")
    out = build_run(topi.collapse_sum(A, (3, 1)), [A], [a])
    np.testing.assert_allclose(out, a.sum(axis=(0, 2))[:, None], rtol=1e-5)


def test_bad_axis_names_op_and_values():
    A = te.placeholder((2, 3), name="A")
    with pytest.raises(ValueError, match="topi.sum: axis 2 is out of range for a tensor of 2 dimensions"):
        topi.sum(A, axis=2)
    with pytest.raises(ValueError, match="topi.argmax: axis -3"):
        topi.argmax(A, axis=-3)


def test_exclude_from_cpp_binding():
    A = te.placeholder((2, 3, 4), name="A")
    B = topi._ffi_api.sum(A, [1], False, False, True)  # exclude: reduce all but axis 1
    assert [int(d) for d in B.shape] == [3]
