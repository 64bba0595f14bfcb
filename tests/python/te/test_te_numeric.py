# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Schedules compute what the algorithm says: build with LLVM and compare with numpy."""
import numpy as np
import pytest

import tvm
from tvm import te


def build(s, args):
    if not hasattr(tvm, "build") or tvm.get_global_func("target.build.llvm", allow_missing=True) is None:
        pytest.skip("no LLVM code generator in this build")
    return tvm.build(s, args, "llvm")


def run(f, *arrays, out_shapes, out_dtype="float32"):
    dev = tvm.cpu()
    ins = [tvm.nd.array(a, dev) for a in arrays]
    outs = [tvm.nd.array(np.zeros(shape, dtype=out_dtype), dev) for shape in out_shapes]
    f(*ins, *outs)
    return [o.numpy() for o in outs]


def rand(*shape):
    return np.random.RandomState(0).uniform(-1, 1, size=shape).astype("float32")


def test_tiled_matmul_cache_write_compute_at():
    n = 128
    A = te.placeholder((n, n), name="A")
    B = te.placeholder((n, n), name="B")
    k = te.reduce_axis((0, n), name="k")
    C = te.compute((n, n), lambda i, j: te.sum(A[i, k] * B[k, j], axis=k), name="C")
    s = te.create_schedule(C.op)
    CC = s.cache_write(C, "global")
    xo, yo, xi, yi = s[C].tile(C.op.axis[0], C.op.axis[1], 32, 32)
    s[CC].compute_at(s[C], yo)
    xc, yc = s[CC].op.axis
    ko, ki = s[CC].split(s[CC].op.reduce_axis[0], factor=4)
    s[CC].reorder(ko, xc, ki, yc)
    s[CC].unroll(ki)
    s[CC].vectorize(yc)
    s[C].parallel(xo)
    a, b = rand(n, n), rand(n, n)
    (c,) = run(build(s, [A, B, C]), a, b, out_shapes=[(n, n)])
    np.testing.assert_allclose(c, a @ b, rtol=1e-4, atol=1e-4)


def test_blur_compute_at_with_split_that_does_not_divide():
    H, W = 30, 21
    A = te.placeholder((H, W), name="A")
    Bx = te.compute((H, W - 2), lambda y, x: (A[y, x] + A[y, x + 1] + A[y, x + 2]) / 3.0, name="Bx")
    By = te.compute((H - 2, W - 2), lambda y, x: (Bx[y, x] + Bx[y + 1, x] + Bx[y + 2, x]) / 3.0, name="By")
    s = te.create_schedule(By.op)
    yo, yi = s[By].split(By.op.axis[0], factor=8)
    xo, xi = s[By].split(By.op.axis[1], factor=8)
    s[By].reorder(yo, xo, yi, xi)
    s[Bx].compute_at(s[By], xo)
    a = rand(H, W)
    (b,) = run(build(s, [A, By]), a, out_shapes=[(H - 2, W - 2)])
    bx = (a[:, :-2] + a[:, 1:-1] + a[:, 2:]) / 3
    expected = (bx[:-2] + bx[1:-1] + bx[2:]) / 3
    np.testing.assert_allclose(b, expected, rtol=1e-5, atol=1e-6)


def test_rfactor_sum():
    n = 1000
    A = te.placeholder((n,), name="A")
    k = te.reduce_axis((0, n), name="k")
    B = te.compute((1,), lambda i: te.sum(A[k], axis=k), name="B")
    s = te.create_schedule(B.op)
    ko, ki = s[B].split(k, factor=16)
    BF = s.rfactor(B, ki)
    s[BF].vectorize(s[BF].op.axis[0])
    a = rand(n)
    (b,) = run(build(s, [A, B]), a, out_shapes=[(1,)])
    np.testing.assert_allclose(b[0], a.sum(), rtol=1e-4)


def test_argmax_tuple_reduction():
    def fcombine(x, y):
        lhs = tvm.tir.Select((x[1] >= y[1]), x[0], y[0])
        rhs = tvm.tir.Select((x[1] >= y[1]), x[1], y[1])
        return lhs, rhs

    def fidentity(t0, t1):
        return tvm.tir.const(-1, t0), te.min_value(t1)

    argmax = te.comm_reducer(fcombine, fidentity, name="argmax")
    m, n = 6, 17
    idx = te.placeholder((m, n), name="idx", dtype="int32")
    val = te.placeholder((m, n), name="val", dtype="float32")
    k = te.reduce_axis((0, n), "k")
    T0, T1 = te.compute((m,), lambda i: argmax((idx[i, k], val[i, k]), axis=k), name="T")
    s = te.create_schedule(T0.op)
    f = build(s, [idx, val, T0, T1])
    v = rand(m, n)
    ix = np.tile(np.arange(n, dtype="int32"), (m, 1))
    dev = tvm.cpu()
    t0 = tvm.nd.array(np.zeros(m, "int32"), dev)
    t1 = tvm.nd.array(np.zeros(m, "float32"), dev)
    f(tvm.nd.array(ix, dev), tvm.nd.array(v, dev), t0, t1)
    np.testing.assert_array_equal(t0.numpy(), v.argmax(axis=1))
    np.testing.assert_allclose(t1.numpy(), v.max(axis=1))


@pytest.mark.parametrize("factor", [3, 4, 16])
def test_splits_fuse_reorder_inline(factor):
    A = te.placeholder((10, 7), name="A")
    B = te.compute((10, 7), lambda i, j: A[i, j] * 2.0, name="B")
    C = te.compute((10, 7), lambda i, j: B[i, j] + A[i, j], name="C")
    s = te.create_schedule(C.op)
    s[B].compute_inline()
    f = s[C].fuse(*C.op.axis)
    fo, fi = s[C].split(f, factor=factor)
    s[C].parallel(fo)
    a = rand(10, 7)
    (c,) = run(build(s, [A, C]), a, out_shapes=[(10, 7)])
    np.testing.assert_allclose(c, a * 3, rtol=1e-6)


def test_cache_write_relayout_and_storage_align():
    A = te.placeholder((10, 9), name="A")
    k = te.reduce_axis((0, 9), name="k")
    B = te.compute((10,), lambda i: te.sum(A[i, k], axis=k), name="B")
    s = te.create_schedule(B.op)
    s[B].split(B.op.axis[0], factor=4)
    s.cache_write(B, "global")
    a = rand(10, 9)
    (b,) = run(build(s, [A, B]), a, out_shapes=[(10,)])
    np.testing.assert_allclose(b, a.sum(axis=1), rtol=1e-5)

    C = te.compute((10, 9), lambda i, j: A[i, j] + 1.0, name="C")
    D = te.compute((10, 9), lambda i, j: C[i, j] * 2.0, name="D")
    s = te.create_schedule(D.op)
    s[C].storage_align(C.op.axis[0], 8, 3)
    s[C].compute_at(s[D], D.op.axis[0])
    (d,) = run(build(s, [A, D]), a, out_shapes=[(10, 9)])
    np.testing.assert_allclose(d, (a + 1) * 2, rtol=1e-6)
