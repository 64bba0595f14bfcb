# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""InferBound: the range of every loop, through split/fuse/rebase, compute_at consumers
that read neighbourhoods, thread bindings and storage scopes."""
import numpy as np
import tvm
from tvm import te


def ranges(bounds, ivs):
    return [(str(bounds[iv].min), str(bounds[iv].extent)) for iv in ivs]


def infer(s):
    sn = s.normalize()
    return sn, te.schedule.InferBound(sn)


def test_split_ranges():
    A = te.placeholder((10,), name="A")
    B = te.compute((10,), lambda i: A[i] + 1.0, name="B")
    s = te.create_schedule(B.op)
    xo, xi = s[B].split(B.op.axis[0], factor=4)
    _, b = infer(s)
    assert ranges(b, [B.op.axis[0], xo, xi]) == [("0", "10"), ("0", "3"), ("0", "4")]
    s = te.create_schedule(B.op)
    xo, xi = s[B].split(B.op.axis[0], nparts=4)
    _, b = infer(s)
    assert ranges(b, [xo, xi]) == [("0", "4"), ("0", "3")]


def test_split_beyond_the_extent_is_tightened_to_it():
    A = te.placeholder((8,), name="A")
    B = te.compute((8,), lambda i: A[i] + 1.0, name="B")
    s = te.create_schedule(B.op)
    xo, xi = s[B].split(B.op.axis[0], factor=32)
    _, b = infer(s)
    assert ranges(b, [xo, xi]) == [("0", "1"), ("0", "8")]
    s = te.create_schedule(B.op)
    xo, xi = s[B].split(B.op.axis[0], nparts=32)
    _, b = infer(s)
    assert ranges(b, [xo, xi]) == [("0", "8"), ("0", "1")]


def test_split_bound_to_a_thread_keeps_its_factor():
    # The launch has 32 threads whatever the extent: the loop keeps the factor.
    A = te.placeholder((8,), name="A")
    B = te.compute((8,), lambda i: A[i] + 1.0, name="B")
    s = te.create_schedule(B.op)
    xo, xi = s[B].split(B.op.axis[0], factor=32)
    s[B].bind(xi, te.thread_axis("threadIdx.x"))
    _, b = infer(s)
    assert ranges(b, [xo, xi]) == [("0", "1"), ("0", "32")]


def test_symbolic_split_ranges():
    n = te.var("n")
    A = te.placeholder((n,), name="A")
    B = te.compute((n,), lambda i: A[i] + 1.0, name="B")
    s = te.create_schedule(B.op)
    xo, xi = s[B].split(B.op.axis[0], factor=8)
    _, b = infer(s)
    assert ranges(b, [xo, xi]) == [("0", "(n + 7) // 8"), ("0", "8")]


def test_fuse_ranges():
    A = te.placeholder((16, 32), name="A")
    B = te.compute((16, 32), lambda i, j: A[i, j], name="B")
    s = te.create_schedule(B.op)
    f = s[B].fuse(*B.op.axis)
    fo, fi = s[B].split(f, factor=7)
    _, b = infer(s)
    assert ranges(b, [f, fo, fi]) == [("0", "512"), ("0", "74"), ("0", "7")]


def test_compute_at_stencil_reads_a_neighbourhood():
    """A vertical 3-tap stencil over rows computed per tile of 8 rows needs 10 rows."""
    H, W = 66, 66
    A = te.placeholder((H, W), name="A")
    Bx = te.compute((H, W - 2), lambda y, x: (A[y, x] + A[y, x + 1] + A[y, x + 2]) / 3.0, name="Bx")
    By = te.compute((H - 2, W - 2), lambda y, x: (Bx[y, x] + Bx[y + 1, x] + Bx[y + 2, x]) / 3.0, name="By")
    s = te.create_schedule(By.op)
    yo, yi = s[By].split(By.op.axis[0], factor=8)
    s[Bx].compute_at(s[By], yo)
    _, b = infer(s)
    assert ranges(b, Bx.op.axis) == [("y_outer * 8", "10"), ("0", "64")]


def test_compute_at_inner_loop_point():
    A = te.placeholder((16, 16), name="A")
    B = te.compute((16, 16), lambda i, j: A[i, j] + 1.0, name="B")
    C = te.compute((16, 16), lambda i, j: B[i, j] * 2.0, name="C")
    s = te.create_schedule(C.op)
    s[B].compute_at(s[C], C.op.axis[1])
    _, b = infer(s)
    assert ranges(b, B.op.axis) == [("i", "1"), ("j", "1")]


def gpu_two_stage(scope):
    n = 64
    A = te.placeholder((n, n), name="A")
    B = te.compute((n, n), lambda i, j: A[i, j] + 1.0, name="B")
    C = te.compute((n, n), lambda i, j: B[i, j] * 2.0, name="C")
    s = te.create_schedule(C.op)
    bx, tx = s[C].split(C.op.axis[0], factor=8)
    s[C].bind(bx, te.thread_axis("blockIdx.x"))
    s[C].bind(tx, te.thread_axis("threadIdx.x"))
    s[B].compute_at(s[C], tx)
    if scope:
        s[B].set_scope(scope)
    _, b = infer(s)
    return ranges(b, B.op.axis)


def test_storage_scope_relaxes_thread_axes():
    # shared: the whole block's rows (all threadIdx.x), one block
    assert gpu_two_stage("shared") == [("blockIdx_x * 8", "8"), ("0", "64")]
    # local: one thread's row
    assert gpu_two_stage("local") == [("blockIdx_x * 8 + threadIdx_x", "1"), ("0", "64")]
    # global: everything
    assert gpu_two_stage("global") == [("0", "64"), ("0", "64")]
    # no scope under threadIdx: local by default
    assert gpu_two_stage(None) == [("blockIdx_x * 8 + threadIdx_x", "1"), ("0", "64")]


def test_thread_axis_takes_the_extent_of_its_loop():
    A = te.placeholder((64,), name="A")
    B = te.compute((64,), lambda i: A[i] + 1.0, name="B")
    s = te.create_schedule(B.op)
    tx = te.thread_axis("threadIdx.x")
    xo, xi = s[B].split(B.op.axis[0], factor=16)
    s[B].bind(xi, tx)
    _, b = infer(s)
    assert ranges(b, [tx]) == [("0", "16")]


def test_reduction_axis_range():
    A = te.placeholder((8, 12), name="A")
    k = te.reduce_axis((2, 12), name="k")
    B = te.compute((8,), lambda i: te.sum(A[i, k], axis=k), name="B")
    s = te.create_schedule(B.op)
    sn, b = infer(s)
    assert ranges(b, [k]) == [("2", "10")]
    # the rebased loop starts at 0
    leaf = sn[B].leaf_iter_vars[1]
    assert ranges(b, [leaf]) == [("0", "10")]


def test_padded_read_is_clamped_to_the_tensor():
    n = 32
    A = te.placeholder((n,), name="A")
    P = te.compute((n + 2,), lambda i: te.if_then_else(tvm.tir.all(i >= 1, i <= n), A[i - 1], 0.0), name="P")
    B = te.compute((n,), lambda i: P[i] + P[i + 1] + P[i + 2], name="B")
    s = te.create_schedule(B.op)
    _, b = infer(s)
    assert ranges(b, P.op.axis) == [("0", "34")]


def test_remainder_index_within_one_period_keeps_the_tile():
    # C reads B[i % 16]; at C's outer loop io (i = io * 4 + ii) one tile of B
    # is B[io % 4 * 4 : io % 4 * 4 + 4], not the whole of B.
    A = te.placeholder((16,), name="A")
    B = te.compute((16,), lambda i: A[i] * 2.0, name="B")
    C = te.compute((64,), lambda i: B[i % 16] + 1.0, name="C")
    s = te.create_schedule(C.op)
    io, ii = s[C].split(C.op.axis[0], factor=4)
    s[B].compute_at(s[C], io)
    bounds = tvm.te.schedule.InferBound(s.normalize())
    assert int(bounds[B.op.axis[0]].extent) == 4
    f = tvm.build(s, [A, C])
    a = tvm.nd.array(np.arange(16, dtype="float32"))
    c = tvm.nd.empty((64,), "float32")
    f(a, c)
    np.testing.assert_allclose(c.numpy(), np.tile(np.arange(16, dtype="float32") * 2 + 1, 4))
