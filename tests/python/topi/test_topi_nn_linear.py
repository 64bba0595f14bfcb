# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""dense, matmul, batch_matmul against numpy."""
import numpy as np
import pytest

import tvm
from tvm import te, topi
from tvm.topi.testing import run_op

rng = np.random.default_rng(0)


def rand(*shape, dtype="float32"):
    return rng.uniform(-1, 1, size=shape).astype(dtype)


@pytest.mark.parametrize("with_bias", [False, True])
def test_dense(with_bias):
    a, w, b = rand(7, 12), rand(5, 12), rand(5)
    A = te.placeholder(a.shape, name="A")
    W = te.placeholder(w.shape, name="W")
    B = te.placeholder(b.shape, name="B")
    out = topi.nn.dense(A, W, B if with_bias else None)
    ref = a @ w.T + (b if with_bias else 0)
    got = run_op(out, [A, W] + ([B] if with_bias else []), [a, w] + ([b] if with_bias else []))
    np.testing.assert_allclose(got, ref, rtol=1e-5, atol=1e-5)


def test_dense_tag_and_out_dtype():
    A = te.placeholder((4, 8), "int8", name="A")
    W = te.placeholder((3, 8), "int8", name="W")
    out = topi.nn.dense(A, W, out_dtype="int32")
    assert out.dtype == "int32" and out.op.tag == "dense"
    a = rng.integers(-128, 127, size=(4, 8)).astype("int8")
    w = rng.integers(-128, 127, size=(3, 8)).astype("int8")
    np.testing.assert_array_equal(run_op(out, [A, W], [a, w]), a.astype("int32") @ w.astype("int32").T)


@pytest.mark.parametrize("ta,tb", [(False, False), (True, False), (False, True), (True, True)])
def test_matmul(ta, tb):
    a, b = rand(6, 9), rand(9, 4)
    a_in = a.T.copy() if ta else a
    b_in = b.T.copy() if tb else b
    A = te.placeholder(a_in.shape, name="A")
    B = te.placeholder(b_in.shape, name="B")
    out = topi.nn.matmul(A, B, transpose_a=ta, transpose_b=tb)
    np.testing.assert_allclose(run_op(out, [A, B], [a_in, b_in]), a @ b, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("bx,by", [(3, 3), (1, 3), (3, 1)])
@pytest.mark.parametrize("ta,tb", [(False, True), (False, False), (True, False)])
def test_batch_matmul(bx, by, ta, tb):
    x, y = rand(bx, 5, 6), rand(by, 6, 7)
    x_in = x.transpose(0, 2, 1).copy() if ta else x
    y_in = y.transpose(0, 2, 1).copy() if tb else y
    X = te.placeholder(x_in.shape, name="X")
    Y = te.placeholder(y_in.shape, name="Y")
    out = topi.nn.batch_matmul(X, Y, transpose_a=ta, transpose_b=tb)
    np.testing.assert_allclose(run_op(out, [X, Y], [x_in, y_in]), np.matmul(x, y), rtol=1e-5, atol=1e-5)


def test_errors_name_op_and_shapes():
    A = te.placeholder((4, 8), name="A")
    W = te.placeholder((3, 7), name="W")
    with pytest.raises(ValueError, match=r"dense: reduction dimensions differ: \[4, 8\]"):
        topi.nn.dense(A, W)
    with pytest.raises(ValueError, match=r"batch_matmul: batch dimensions"):
        topi.nn.batch_matmul(te.placeholder((2, 3, 4)), te.placeholder((3, 5, 4)))
    with pytest.raises(ValueError, match=r"dense: bias of shape \[4\]"):
        topi.nn.dense(A, te.placeholder((3, 8)), te.placeholder((4,)))
