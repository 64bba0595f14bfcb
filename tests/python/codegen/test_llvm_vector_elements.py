# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Buffers whose element is a vector ("float32x4", "int8x8", ...) against numpy.

An array of n elements of dtype "float32x4" holds n*4 float32 values; numpy
sees it as shape (n, 4). Element i is the 4 values [4i, 4i + 4), so every
place that turns an index into an address (code generation, allocation
sizes, vectorized loops over such elements) must count in elements of the
vector type. Each case runs one program under several schedules and
compares with numpy.
"""
import numpy as np
import pytest

import tvm
from tvm import te, tir

from codegen_helpers import rand

SCALARS = ["float32", "int32", "int8", "float16"]
LANES = [2, 4, 8]
SCHEDULES = ["default", "split_vectorize", "parallel", "compute_at", "compute_at_parallel"]


def _array(values, dtype):
    """An NDArray of `dtype` (with lanes) from numpy values of shape (n, ..., lanes)."""
    return tvm.nd.empty(values.shape[:-1], dtype).copyfrom(values)


def _pipeline(n, dtype):
    """B = A * 2 + C (a vector constant, lane-varying through C); D = B + A."""
    A = te.placeholder((n,), dtype, name="A")
    C = te.placeholder((n,), dtype, name="C")
    B = te.compute((n,), lambda i: A[i] * tir.const(2, dtype) + C[i], name="B")
    D = te.compute((n,), lambda i: B[i] + A[i], name="D")
    return A, C, B, D


def _schedule(kind, B, D):
    s = te.create_schedule(D.op)
    if kind == "default":
        return s
    if kind == "split_vectorize":
        s[B].compute_inline()
        _, xi = s[D].split(D.op.axis[0], factor=4)
        s[D].vectorize(xi)
    elif kind == "parallel":
        s[B].compute_inline()
        xo, xi = s[D].split(D.op.axis[0], factor=8)
        s[D].parallel(xo)
        s[D].vectorize(xi)
    elif kind == "compute_at":
        xo, xi = s[D].split(D.op.axis[0], factor=4)
        s[D].vectorize(xi)
        s[B].compute_at(s[D], xo)
        s[B].vectorize(B.op.axis[0])
    elif kind == "compute_at_parallel":
        # The shape of TVM's vadd pipeline: a parallel outer loop, the producer
        # computed inside it and split and vectorized on its own.
        xo, xi = s[D].split(D.op.axis[0], nparts=2)
        _, xi = s[D].split(xi, factor=2)
        s[D].parallel(xo)
        s[D].vectorize(xi)
        s[B].compute_at(s[D], xo)
        _, bi = s[B].split(B.op.axis[0], factor=2)
        s[B].vectorize(bi)
    return s


@pytest.mark.parametrize("schedule", SCHEDULES)
@pytest.mark.parametrize("lanes", LANES)
@pytest.mark.parametrize("scalar", SCALARS)
def test_pipeline_matches_numpy(scalar, lanes, schedule):
    # 36 is not a multiple of the splits' 8 nor a power of two: tails are exercised.
    n = 36 if schedule != "compute_at_parallel" else 64
    dtype = f"{scalar}x{lanes}"
    A, C, B, D = _pipeline(n, dtype)
    f = tvm.build(_schedule(schedule, B, D), [A, C, D], "llvm")
    rng = np.random.default_rng(lanes * 7 + len(schedule))
    a = rand((n, lanes), scalar, rng)
    c = rand((n, lanes), scalar, rng)
    d = tvm.nd.empty((n,), dtype)
    f(_array(a, dtype), _array(c, dtype), d)
    wide = "float64" if scalar.startswith("float") else "int64"
    expected = (a.astype(wide) * 2 + c + a).astype(scalar)
    assert d.numpy().shape == (n, lanes)
    tol = 1e-2 if scalar == "float16" else 1e-6
    np.testing.assert_allclose(d.numpy(), expected, rtol=tol, atol=tol)


@pytest.mark.parametrize("lanes", LANES)
def test_vadd_pipeline_large(lanes):
    """The TVM example that first gave wrong answers (and NaN at n=512)."""
    n = 512
    dtype = f"float32x{lanes}"
    A = te.placeholder((n,), name="A", dtype=dtype)
    B = te.compute((n,), lambda i: A[i], name="B")
    C = te.compute((n,), lambda i: B[i] + tir.const(1, dtype), name="C")
    s = _schedule("compute_at_parallel", B, C)
    f = tvm.build(s, [A, C], "llvm")
    a = np.random.default_rng(0).uniform(size=(n, lanes)).astype("float32")
    c = tvm.nd.empty((n,), dtype)
    f(_array(a, dtype), c)
    np.testing.assert_allclose(c.numpy(), a + 1, rtol=1e-6)


@pytest.mark.parametrize("scalar", SCALARS)
def test_two_dimensional_with_reversed_and_strided_reads(scalar):
    """Indices that are not unit-stride ramps once vectorized: gathers of whole elements."""
    m, n, lanes = 5, 12, 4
    dtype = f"{scalar}x{lanes}"
    A = te.placeholder((m, n), dtype, name="A")
    B = te.compute((m, n // 2), lambda i, j: A[i, n - 1 - j] + A[i, 2 * j], name="B")
    s = te.create_schedule(B.op)
    s[B].vectorize(B.op.axis[1])
    f = tvm.build(s, [A, B], "llvm")
    a = rand((m, n, lanes), scalar, np.random.default_rng(3))
    b = tvm.nd.empty((m, n // 2), dtype)
    f(_array(a, dtype), b)
    j = np.arange(n // 2)
    expected = (a[:, n - 1 - j].astype("float64") + a[:, 2 * j]).astype(scalar)
    tol = 1e-2 if scalar == "float16" else 1e-6
    np.testing.assert_allclose(b.numpy(), expected, rtol=tol, atol=tol)


def test_vector_elements_from_and_to_scalar_buffers():
    """Loads of vector elements mixed with per-lane scalar data of the same loop."""
    n, lanes = 24, 4
    A = te.placeholder((n,), f"float32x{lanes}", name="A")
    S = te.placeholder((n,), "float32", name="S")
    B = te.compute((n,), lambda i: A[i] * tir.Broadcast(S[i], lanes), name="B")
    s = te.create_schedule(B.op)
    _, xi = s[B].split(B.op.axis[0], factor=4)
    s[B].vectorize(xi)
    f = tvm.build(s, [A, S, B], "llvm")
    rng = np.random.default_rng(5)
    a = rand((n, lanes), "float32", rng)
    sc = rand((n,), "float32", rng)
    b = tvm.nd.empty((n,), f"float32x{lanes}")
    f(_array(a, f"float32x{lanes}"), tvm.nd.array(sc), b)
    np.testing.assert_allclose(b.numpy(), a * sc[:, None], rtol=1e-6)


def test_scalar_array_for_a_vector_buffer_is_refused_by_name():
    n = 8
    A = te.placeholder((n,), "float32x2", name="A")
    B = te.compute((n,), lambda i: A[i] + tir.const(1, "float32x2"), name="B")
    f = tvm.build(te.create_schedule(B.op), [A, B], "llvm")
    b = tvm.nd.empty((n,), "float32x2")
    # numpy's view of the data, (n, 2) float32, is not the array the function takes.
    with pytest.raises(tvm.TVMError, match=r"A\.ndim is expected to equal 1"):
        f(tvm.nd.array(np.zeros((n, 2), "float32")), b)
    with pytest.raises(tvm.TVMError, match=r"A\.dtype is expected to be float32x2"):
        f(tvm.nd.array(np.zeros((n,), "float32")), b)


def test_vectorized_loop_over_vector_elements_is_one_store():
    """VectorizeLoop turns a loop over float32x4 elements into one float32x16 store."""
    n = tir.Var("n", "int32")
    A = tir.decl_buffer((16,), "float32x4", name="A")
    i, j = tir.Var("i", "int32"), tir.Var("j", "int32")
    store = tir.BufferStore(A, tir.const(1, "float32x4"), [j])
    body = tir.For(i, 0, n, tir.ForKind.SERIAL, tir.For(j, 0, 4, tir.ForKind.VECTORIZED, store))
    mod = tvm.tir.transform.VectorizeLoop()(tvm.IRModule({"main": tir.PrimFunc([A, n], body)}))
    out = mod["main"].body.body
    expected = tir.BufferStore(A, tir.Broadcast(tir.const(1, "float32"), 16), [tir.Ramp(0, 1, 4)])
    tvm.ir.assert_structural_equal(out, expected)
