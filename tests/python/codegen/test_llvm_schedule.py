# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Every TE schedule primitive compiled by tvm.build("llvm") and checked against numpy.

Extents are chosen so that the splits do not divide them (tails and guards
are exercised); the parallel tests are large enough for the thread pool to
hand out several chunks.
"""
import numpy as np
import pytest

import tvm
from tvm import te, tir

from codegen_helpers import build, build_run, rand, run


def _matmul(m, n, kk, dtype="float32"):
    A = te.placeholder((m, kk), dtype, name="A")
    B = te.placeholder((kk, n), dtype, name="B")
    k = te.reduce_axis((0, kk), name="k")
    C = te.compute((m, n), lambda i, j: te.sum(A[i, k] * B[k, j], axis=k), name="C")
    return A, B, C


def _matmul_data(m, n, kk, seed):
    rng = np.random.default_rng(seed)
    return rand((m, kk), "float32", rng), rand((kk, n), "float32", rng)


def _check_matmul(s, A, B, C, a, b):
    got = build_run(s, [A, B, C], [a, b])
    np.testing.assert_allclose(got, a.astype("float64") @ b, rtol=1e-5, atol=1e-5)


def _two_stage(m=13, n=29):
    """B = A * 2 + 1; C = B + B shifted: a producer/consumer pair."""
    A = te.placeholder((m, n + 2), name="A")
    B = te.compute((m, n + 2), lambda i, j: A[i, j] * 2.0 + 1.0, name="B")
    C = te.compute((m, n), lambda i, j: B[i, j] + B[i, j + 2], name="C")
    return A, B, C


def _two_stage_expected(a):
    b = a * np.float32(2) + np.float32(1)
    return b[:, :-2] + b[:, 2:]


# ------------------------------------------------------------------ split


@pytest.mark.parametrize("factor", [1, 4, 7, 16, 64])
def test_split_factor(factor):
    rng = np.random.default_rng(1)
    a = rand((45,), "float32", rng)
    A = te.placeholder((45,), name="A")
    B = te.compute((45,), lambda i: A[i] * A[i] - 1.0, name="B")
    s = te.create_schedule(B.op)
    s[B].split(B.op.axis[0], factor=factor)
    np.testing.assert_allclose(build_run(s, [A, B], [a]), a * a - 1, rtol=1e-6)


@pytest.mark.parametrize("nparts", [1, 3, 4, 44, 45, 50])
def test_split_nparts(nparts):
    rng = np.random.default_rng(2)
    a = rand((45,), "float32", rng)
    A = te.placeholder((45,), name="A")
    B = te.compute((45,), lambda i: A[i] + 3.0, name="B")
    s = te.create_schedule(B.op)
    s[B].split(B.op.axis[0], nparts=nparts)
    np.testing.assert_allclose(build_run(s, [A, B], [a]), a + 3, rtol=1e-6)


def test_nested_splits():
    rng = np.random.default_rng(3)
    a = rand((101,), "float32", rng)
    A = te.placeholder((101,), name="A")
    B = te.compute((101,), lambda i: A[i] * 0.5, name="B")
    s = te.create_schedule(B.op)
    xo, xi = s[B].split(B.op.axis[0], factor=10)
    xio, xii = s[B].split(xi, factor=3)
    xoo, xoi = s[B].split(xo, nparts=4)
    s[B].vectorize(xii)
    np.testing.assert_allclose(build_run(s, [A, B], [a]), a * 0.5, rtol=1e-6)


# ------------------------------------------------------------- tile, fuse, reorder


def test_tile():
    a, b = _matmul_data(19, 23, 11, 4)
    A, B, C = _matmul(19, 23, 11)
    s = te.create_schedule(C.op)
    s[C].tile(C.op.axis[0], C.op.axis[1], 4, 6)
    _check_matmul(s, A, B, C, a, b)


def test_fuse():
    rng = np.random.default_rng(5)
    a = rand((7, 9, 5), "float32", rng)
    A = te.placeholder((7, 9, 5), name="A")
    B = te.compute((7, 9, 5), lambda i, j, k: A[i, j, k] + tir.Cast("float32", i * 100 + j * 10 + k), name="B")
    s = te.create_schedule(B.op)
    f = s[B].fuse(B.op.axis[0], B.op.axis[1], B.op.axis[2])
    fo, fi = s[B].split(f, factor=8)
    s[B].vectorize(fi)
    i, j, k = np.meshgrid(np.arange(7), np.arange(9), np.arange(5), indexing="ij")
    np.testing.assert_allclose(build_run(s, [A, B], [a]), a + (i * 100 + j * 10 + k), rtol=1e-6)


def test_fuse_after_tile_then_parallel():
    a, b = _matmul_data(37, 41, 8, 6)
    A, B, C = _matmul(37, 41, 8)
    s = te.create_schedule(C.op)
    io, jo, ii, ji = s[C].tile(C.op.axis[0], C.op.axis[1], 8, 16)
    fused = s[C].fuse(io, jo)
    s[C].parallel(fused)
    s[C].vectorize(ji)
    _check_matmul(s, A, B, C, a, b)


@pytest.mark.parametrize("order", [(2, 0, 1), (1, 2, 0), (2, 1, 0)])
def test_reorder(order):
    rng = np.random.default_rng(7)
    a = rand((5, 6, 7), "float32", rng)
    A = te.placeholder((5, 6, 7), name="A")
    B = te.compute((5, 6, 7), lambda i, j, k: A[i, j, k] * tir.Cast("float32", i + 2 * j + 3 * k), name="B")
    s = te.create_schedule(B.op)
    axes = B.op.axis
    s[B].reorder(*[axes[o] for o in order])
    i, j, k = np.meshgrid(np.arange(5), np.arange(6), np.arange(7), indexing="ij")
    np.testing.assert_allclose(build_run(s, [A, B], [a]), a * (i + 2 * j + 3 * k), rtol=1e-6)


def test_reorder_reduction_axis_innermost_and_outermost():
    a, b = _matmul_data(10, 12, 9, 8)
    A, B, C = _matmul(10, 12, 9)
    s = te.create_schedule(C.op)
    i, j = C.op.axis
    (k,) = C.op.reduce_axis
    s[C].reorder(k, j, i)
    _check_matmul(s, A, B, C, a, b)


# ---------------------------------------------------- compute_at / inline / root


def test_compute_at():
    rng = np.random.default_rng(9)
    a = rand((13, 31), "float32", rng)
    A, B, C = _two_stage()
    s = te.create_schedule(C.op)
    io, jo, ii, ji = s[C].tile(C.op.axis[0], C.op.axis[1], 4, 8)
    s[B].compute_at(s[C], jo)
    np.testing.assert_allclose(build_run(s, [A, C], [a]), _two_stage_expected(a), rtol=1e-6)


def test_compute_at_inner_axis_with_vectorized_consumer():
    rng = np.random.default_rng(10)
    a = rand((13, 31), "float32", rng)
    A, B, C = _two_stage()
    s = te.create_schedule(C.op)
    jo, ji = s[C].split(C.op.axis[1], factor=8)
    s[C].vectorize(ji)
    s[B].compute_at(s[C], C.op.axis[0])
    np.testing.assert_allclose(build_run(s, [A, C], [a]), _two_stage_expected(a), rtol=1e-6)


def test_compute_inline():
    rng = np.random.default_rng(11)
    a = rand((13, 31), "float32", rng)
    A, B, C = _two_stage()
    s = te.create_schedule(C.op)
    s[B].compute_inline()
    np.testing.assert_allclose(build_run(s, [A, C], [a]), _two_stage_expected(a), rtol=1e-6)


def test_compute_root_undoes_compute_at():
    rng = np.random.default_rng(12)
    a = rand((13, 31), "float32", rng)
    A, B, C = _two_stage()
    s = te.create_schedule(C.op)
    s[B].compute_at(s[C], C.op.axis[0])
    s[B].compute_root()
    np.testing.assert_allclose(build_run(s, [A, C], [a]), _two_stage_expected(a), rtol=1e-6)


def test_compute_at_inside_parallel_loop():
    rng = np.random.default_rng(13)
    a = rand((64, 130), "float32", rng)
    A, B, C = _two_stage(64, 128)
    s = te.create_schedule(C.op)
    s[C].parallel(C.op.axis[0])
    jo, ji = s[C].split(C.op.axis[1], factor=16)
    s[C].vectorize(ji)
    s[B].compute_at(s[C], C.op.axis[0])
    np.testing.assert_allclose(build_run(s, [A, C], [a]), _two_stage_expected(a), rtol=1e-6)


# ------------------------------------------------------- cache_read / write


def test_cache_read():
    a, b = _matmul_data(17, 20, 13, 14)
    A, B, C = _matmul(17, 20, 13)
    s = te.create_schedule(C.op)
    AA = s.cache_read(A, "global", [C])
    io, jo, ii, ji = s[C].tile(C.op.axis[0], C.op.axis[1], 4, 8)
    s[AA].compute_at(s[C], jo)
    _check_matmul(s, A, B, C, a, b)


def test_cache_write():
    a, b = _matmul_data(17, 20, 13, 15)
    A, B, C = _matmul(17, 20, 13)
    s = te.create_schedule(C.op)
    CC = s.cache_write(C, "global")
    io, jo, ii, ji = s[C].tile(C.op.axis[0], C.op.axis[1], 8, 8)
    s[CC].compute_at(s[C], jo)
    ci, cj = s[CC].op.axis
    (ck,) = s[CC].op.reduce_axis
    s[CC].reorder(ck, ci, cj)
    s[CC].vectorize(cj)
    _check_matmul(s, A, B, C, a, b)


def test_cache_read_and_write_together():
    a, b = _matmul_data(24, 32, 16, 16)
    A, B, C = _matmul(24, 32, 16)
    s = te.create_schedule(C.op)
    AA = s.cache_read(A, "global", [C])
    BB = s.cache_read(B, "global", [C])
    CC = s.cache_write(C, "global")
    io, jo, ii, ji = s[C].tile(C.op.axis[0], C.op.axis[1], 8, 16)
    s[CC].compute_at(s[C], jo)
    s[AA].compute_at(s[CC], s[CC].op.reduce_axis[0])
    s[BB].compute_at(s[CC], s[CC].op.reduce_axis[0])
    _check_matmul(s, A, B, C, a, b)


@pytest.mark.parametrize("cache", [False, True])
def test_reducer_that_reads_the_output_axis(cache):
    # Y[n] = fold over k < n of max(acc + X[k], n), from 0 (or n when n <= 1): the
    # reduction's extent, combiner and identity all use the axis n, which
    # cache_write renames in the copy it computes.
    X = te.placeholder((10,), name="X")

    def body(n):
        k = te.reduce_axis((0, n), name="k")
        init = lambda dtype: tir.Select(n > 1, tir.const(0, dtype), n.astype(dtype))
        fold = te.comm_reducer(lambda x, y: te.max(x + y, n.astype("float32")), init, name="fold")
        return fold(X[k], axis=k)

    Y = te.compute((10,), body, name="Y")
    s = te.create_schedule(Y.op)
    if cache:
        s.cache_write(Y, "local")
    x = rand((10,), "float32", np.random.default_rng(3))
    got = build_run(s, [X, Y], [x])
    expected = []
    for n in range(10):
        acc = 0.0 if n > 1 else float(n)
        for k in range(n):
            acc = max(acc + float(x[k]), float(n))
        expected.append(acc)
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)


# --------------------------------------------------------------- rfactor


@pytest.mark.parametrize("factor", [4, 5])
def test_rfactor(factor):
    rng = np.random.default_rng(17)
    n = 63
    a = rand((n,), "float32", rng)
    A = te.placeholder((n,), name="A")
    k = te.reduce_axis((0, n), name="k")
    B = te.compute((1,), lambda _: te.sum(A[k], axis=k), name="B")
    s = te.create_schedule(B.op)
    ko, ki = s[B].split(k, factor=factor)
    s.rfactor(B, ki)
    got = build_run(s, [A, B], [a])
    np.testing.assert_allclose(got, [a.astype("float64").sum()], rtol=1e-5)


def test_rfactor_vectorized_partial_sums():
    rng = np.random.default_rng(18)
    m, n = 6, 128
    a = rand((m, n), "float32", rng)
    A = te.placeholder((m, n), name="A")
    k = te.reduce_axis((0, n), name="k")
    B = te.compute((m,), lambda i: te.sum(A[i, k], axis=k), name="B")
    s = te.create_schedule(B.op)
    ko, ki = s[B].split(k, factor=16)
    BF = s.rfactor(B, ki, factor_axis=1)
    s[BF].compute_at(s[B], s[B].op.axis[0])
    s[BF].vectorize(s[BF].op.axis[1])
    got = build_run(s, [A, B], [a])
    np.testing.assert_allclose(got, a.astype("float64").sum(axis=1), rtol=1e-5)


# ----------------------------------------------------- vectorize / unroll


@pytest.mark.parametrize("n,factor", [(64, 16), (61, 16), (7, 8), (100, 4), (100, 24), (96, 48), (50, 12)])
@pytest.mark.parametrize("dtype", ["float32", "float16", "int8", "uint8", "int32", "int64"])
def test_vectorize(dtype, n, factor):
    rng = np.random.default_rng(19)
    a = rand((n,), dtype, rng)
    b = rand((n,), dtype, rng)
    A = te.placeholder((n,), dtype, name="A")
    B = te.placeholder((n,), dtype, name="B")
    C = te.compute((n,), lambda i: A[i] * B[i] + A[i], name="C")
    s = te.create_schedule(C.op)
    xo, xi = s[C].split(C.op.axis[0], factor=factor)
    s[C].vectorize(xi)
    with np.errstate(over="ignore"):
        expected = (a * b + a).astype(dtype)
    got = build_run(s, [A, B, C], [a, b])
    np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("lanes", [12, 48])
def test_vectorize_bool_non_power_of_two(lanes):
    rng = np.random.default_rng(21)
    a = rand((2 * lanes,), "int32", rng)
    A = te.placeholder((2 * lanes,), "int32", name="A")
    M = te.compute((2 * lanes,), lambda i: A[i] > 0, name="M")
    C = te.compute((2 * lanes,), lambda i: tvm.tir.Select(M[i], A[i], -A[i]), name="C")
    s = te.create_schedule(C.op)
    for t in (M, C):
        _, xi = s[t].split(t.op.axis[0], factor=lanes)
        s[t].vectorize(xi)
    np.testing.assert_array_equal(build_run(s, [A, C], [a]), np.abs(a))


def test_register_tile_of_non_power_of_two_vectors_stays_in_registers():
    """An 8 x 48 float32 accumulator tile (cache_write "local", 48-lane vectors): 24 zmm
    registers on AVX-512. Kept as 48-lane values, LLVM would widen each to 64 lanes (32
    registers for the tile) and spill; the code must hold it in registers."""
    n, k_len, mr = 16, 256, 8
    A = te.placeholder((n, k_len), name="A")
    B = te.placeholder((k_len, 48), name="B")
    k = te.reduce_axis((0, k_len), name="k")
    C = te.compute((n, 48), lambda i, j: te.sum(A[i, k] * B[k, j], axis=k), name="C")
    s = te.create_schedule(C.op)
    CL = s.cache_write(C, "local")
    io, _ = s[C].split(C.op.axis[0], factor=mr)
    s[CL].compute_at(s[C], io)
    ci, cj = s[CL].op.axis
    ko, ki = s[CL].split(s[CL].op.reduce_axis[0], factor=4)
    s[CL].reorder(ko, ki, ci, cj)
    s[CL].unroll(ki)
    s[CL].unroll(ci)
    s[CL].vectorize(cj)
    s[C].vectorize(C.op.axis[1])
    asm = tvm.build(s, [A, B, C], "llvm -mcpu=skylake-avx512", name="tile").get_source("asm")
    assert asm.count("vfmadd") >= mr * 3 * 4
    assert "(%rsp)" not in asm
    rng = np.random.default_rng(22)
    a, b = rand((n, k_len), "float32", rng), rand((k_len, 48), "float32", rng)
    np.testing.assert_allclose(build_run(s, [A, B, C], [a, b]), a @ b, rtol=1e-5, atol=1e-4)


def test_vectorize_whole_axis():
    rng = np.random.default_rng(20)
    a = rand((4, 16), "float32", rng)
    A = te.placeholder((4, 16), name="A")
    B = te.compute((4, 16), lambda i, j: A[i, j] * 3.0, name="B")
    s = te.create_schedule(B.op)
    s[B].vectorize(B.op.axis[1])
    np.testing.assert_allclose(build_run(s, [A, B], [a]), a * 3, rtol=1e-6)


def test_vectorize_strided_and_transposed_access():
    """Gathers (a transposed read) and a strided read inside a vectorized loop."""
    rng = np.random.default_rng(21)
    a = rand((16, 24), "float32", rng)
    A = te.placeholder((16, 24), name="A")
    B = te.compute((12, 16), lambda i, j: A[j, 2 * i] + A[j, 2 * i + 1], name="B")
    s = te.create_schedule(B.op)
    s[B].vectorize(B.op.axis[1])
    np.testing.assert_allclose(build_run(s, [A, B], [a]), (a[:, 0::2] + a[:, 1::2]).T, rtol=1e-6)


@pytest.mark.parametrize("factor", [4, 5])
def test_unroll(factor):
    rng = np.random.default_rng(22)
    a = rand((33,), "float32", rng)
    A = te.placeholder((33,), name="A")
    B = te.compute((33,), lambda i: A[i] * 2.0 - 1.0, name="B")
    s = te.create_schedule(B.op)
    xo, xi = s[B].split(B.op.axis[0], factor=factor)
    s[B].unroll(xi)
    np.testing.assert_allclose(build_run(s, [A, B], [a]), a * 2 - 1, rtol=1e-6)


def test_unroll_reduction_axis():
    a, b = _matmul_data(9, 10, 12, 23)
    A, B, C = _matmul(9, 10, 12)
    s = te.create_schedule(C.op)
    ko, ki = s[C].split(s[C].op.reduce_axis[0], factor=4)
    s[C].unroll(ki)
    _check_matmul(s, A, B, C, a, b)


# ---------------------------------------------------------------- parallel


def test_parallel_uses_the_thread_pool():
    n, m = 257, 1030
    rng = np.random.default_rng(24)
    a = rand((n, m), "float32", rng)
    A = te.placeholder((n, m), name="A")
    B = te.compute((n, m), lambda i, j: A[i, j] * 2.0 + tir.Cast("float32", i), name="B")
    s = te.create_schedule(B.op)
    s[B].parallel(B.op.axis[0])
    jo, ji = s[B].split(B.op.axis[1], factor=16)
    s[B].vectorize(ji)
    f = build(s, [A, B])
    assert "TVMBackendParallelLaunch" in f.get_source("ll")
    got = run(f, [a], [((n, m), "float32")])
    np.testing.assert_allclose(got, a * 2 + np.arange(n, dtype="float32")[:, None], rtol=1e-6)


def test_parallel_reduction_rows():
    rng = np.random.default_rng(25)
    a = rand((300, 77), "float32", rng)
    A = te.placeholder((300, 77), name="A")
    k = te.reduce_axis((0, 77), name="k")
    B = te.compute((300,), lambda i: te.max(A[i, k], axis=k), name="B")
    s = te.create_schedule(B.op)
    s[B].parallel(B.op.axis[0])
    np.testing.assert_array_equal(build_run(s, [A, B], [a]), a.max(axis=1))


def test_parallel_with_symbolic_extent():
    n = te.var("n")
    A = te.placeholder((n,), name="A")
    B = te.compute((n,), lambda i: A[i] + 1.0, name="B")
    s = te.create_schedule(B.op)
    xo, xi = s[B].split(B.op.axis[0], factor=64)
    s[B].parallel(xo)
    s[B].vectorize(xi)
    f = build(s, [A, B])
    for size in (1, 63, 64, 1000, 4097):
        a = np.arange(size, dtype="float32")
        np.testing.assert_array_equal(run(f, [a], [((size,), "float32")]), a + 1)


def test_parallel_with_large_workspace():
    """An intermediate too big for the stack inside a parallel loop comes from the workspace pool."""
    rng = np.random.default_rng(26)
    m, n = 16, 8192
    a = rand((m, n), "float32", rng)
    A = te.placeholder((m, n), name="A")
    B = te.compute((m, n), lambda i, j: A[i, j] * A[i, j], name="B")
    C = te.compute((m, n), lambda i, j: B[i, j] + 1.0, name="C")
    s = te.create_schedule(C.op)
    s[C].parallel(C.op.axis[0])
    s[B].compute_at(s[C], C.op.axis[0])
    np.testing.assert_allclose(build_run(s, [A, C], [a]), a * a + 1, rtol=1e-6)


def test_large_intermediate_outside_parallel_loop():
    rng = np.random.default_rng(27)
    m, n = 64, 1024
    a = rand((m, n), "float32", rng)
    A, B, C = _two_stage(m, n)
    a = rand((m, n + 2), "float32", rng)
    s = te.create_schedule(C.op)
    s[C].parallel(C.op.axis[0])
    np.testing.assert_allclose(build_run(s, [A, C], [a]), _two_stage_expected(a), rtol=1e-6)


# ------------------------------------------------- pragma, prefetch, storage_align, double_buffer


@pytest.mark.parametrize("pragma,value", [("auto_unroll_max_step", 16), ("unroll_explicit", 0),
                                          ("parallel_launch_point", None)])
def test_pragma(pragma, value):
    rng = np.random.default_rng(28)
    a = rand((10, 30), "float32", rng)
    A = te.placeholder((10, 30), name="A")
    B = te.compute((10, 30), lambda i, j: A[i, j] + 1.0, name="B")
    s = te.create_schedule(B.op)
    jo, ji = s[B].split(B.op.axis[1], factor=4)
    s[B].pragma(B.op.axis[0], pragma, value)
    np.testing.assert_allclose(build_run(s, [A, B], [a]), a + 1, rtol=1e-6)


def _streaming_scale(lanes, aligned, pragma=True, parallel=False):
    """B = 2 * A over 8 x 256 float32, inner axis vectorized by `lanes`, pragma "nontemporal"."""
    A = te.placeholder((8, 256), name="A")
    B = te.compute((8, 256), lambda i, j: A[i, j] * 2.0, name="B")
    s = te.create_schedule(B.op)
    i, j = B.op.axis
    jo, ji = s[B].split(j, factor=lanes)
    s[B].vectorize(ji)
    if parallel:
        s[B].parallel(i)
    if pragma:
        s[B].pragma(jo, "nontemporal")
    binds = {}
    if aligned:
        binds = {t: tvm.tir.decl_buffer(t.shape, "float32", name=t.name, data_alignment=64) for t in (A, B)}
    return tvm.build(s, [A, B], "llvm -mcpu=skylake-avx512", name="scale", binds=binds)


@pytest.mark.parametrize("lanes", [16, 64])
@pytest.mark.parametrize("parallel", [False, True])
def test_pragma_nontemporal_streams_aligned_vector_stores(lanes, parallel):
    f = _streaming_scale(lanes, aligned=True, parallel=parallel)
    ll, asm = f.get_source("ll"), f.get_source("asm")
    assert "!nontemporal" in ll
    assert "vmovntps" in asm
    # Streaming stores are weakly ordered: the function (or each parallel task) ends with a fence.
    assert "fence seq_cst" in ll and "mfence" in asm
    a = np.random.default_rng(29).uniform(-4, 4, (8, 256)).astype("float32")
    b = tvm.nd.empty((8, 256), "float32")
    f(tvm.nd.array(a), b)
    np.testing.assert_array_equal(b.numpy(), a * 2)


def test_pragma_nontemporal_needs_proven_alignment():
    # Default buffers promise only 4-byte alignment: an unaligned streaming store would be
    # split into scalar ones, so the stores stay ordinary.
    f = _streaming_scale(16, aligned=False)
    assert "!nontemporal" not in f.get_source("ll")
    # Without the pragma nothing streams, aligned or not.
    f = _streaming_scale(16, aligned=True, pragma=False)
    assert "!nontemporal" not in f.get_source("ll") and "fence" not in f.get_source("ll")


def test_prefetch():
    rng = np.random.default_rng(29)
    a = rand((16, 64), "float32", rng)
    A = te.placeholder((16, 64), name="A")
    B = te.compute((16, 64), lambda i, j: A[i, j] * 2.0, name="B")
    s = te.create_schedule(B.op)
    s[B].prefetch(A, B.op.axis[0], 1)
    f = build(s, [A, B])
    assert "llvm.prefetch" in f.get_source("ll")
    np.testing.assert_allclose(run(f, [a], [((16, 64), "float32")]), a * 2, rtol=1e-6)


def test_storage_align():
    rng = np.random.default_rng(30)
    a = rand((13, 31), "float32", rng)
    A, B, C = _two_stage()
    s = te.create_schedule(C.op)
    s[B].storage_align(B.op.axis[0], 16, 3)
    np.testing.assert_allclose(build_run(s, [A, C], [a]), _two_stage_expected(a), rtol=1e-6)


def test_storage_align_on_cache_read():
    a, b = _matmul_data(20, 24, 12, 31)
    A, B, C = _matmul(20, 24, 12)
    s = te.create_schedule(C.op)
    AA = s.cache_read(A, "global", [C])
    s[AA].storage_align(AA.op.axis[0], 8, 1)
    _check_matmul(s, A, B, C, a, b)


def test_double_buffer():
    rng = np.random.default_rng(32)
    m, n = 12, 40
    a = rand((m, n), "float32", rng)
    A = te.placeholder((m, n), name="A")
    k = te.reduce_axis((0, n), name="k")
    B = te.compute((m,), lambda i: te.sum(A[i, k], axis=k), name="B")
    s = te.create_schedule(B.op)
    AA = s.cache_read(A, "global", [B])
    ko, ki = s[B].split(k, factor=8)
    s[AA].compute_at(s[B], ko)
    s[AA].double_buffer()
    np.testing.assert_allclose(build_run(s, [A, B], [a]), a.astype("float64").sum(axis=1), rtol=1e-5)


@pytest.mark.parametrize("lanes", [3, 5, 15])
def test_vectorize_odd_lane_counts(lanes):
    rng = np.random.default_rng(33)
    a = rand((6, 15), "float32", rng)
    A = te.placeholder((6, 15), name="A")
    B = te.compute((6, 15), lambda i, j: A[i, j] * 2.0 - tir.Cast("float32", j), name="B")
    s = te.create_schedule(B.op)
    jo, ji = s[B].split(B.op.axis[1], factor=lanes)
    s[B].vectorize(ji)
    f = build(s, [A, B])
    assert f"<{lanes} x float>" in f.get_source("ll")
    np.testing.assert_allclose(run(f, [a], [((6, 15), "float32")]), a * 2 - np.arange(15), rtol=1e-6)


def test_vectorize_outer_axis_scatters_stores():
    """Vectorizing the row axis makes strided (scatter) stores and gathers."""
    rng = np.random.default_rng(34)
    a = rand((16, 12), "float32", rng)
    A = te.placeholder((16, 12), name="A")
    B = te.compute((16, 12), lambda i, j: A[i, j] + tir.Cast("float32", i), name="B")
    s = te.create_schedule(B.op)
    i, j = B.op.axis
    s[B].reorder(j, i)
    s[B].vectorize(i)
    np.testing.assert_allclose(build_run(s, [A, B], [a]), a + np.arange(16)[:, None], rtol=1e-6)


@pytest.mark.parametrize("dtype", ["bool", "int8", "float16"])
def test_vectorized_copy_of_narrow_dtypes(dtype):
    rng = np.random.default_rng(35)
    a = rand((4, 64), dtype, rng)
    A = te.placeholder((4, 64), dtype, name="A")
    B = te.compute((4, 64), lambda i, j: A[i, 63 - j], name="B")
    s = te.create_schedule(B.op)
    jo, ji = s[B].split(B.op.axis[1], factor=32)
    s[B].vectorize(ji)
    np.testing.assert_array_equal(build_run(s, [A, B], [a]), a[:, ::-1])
