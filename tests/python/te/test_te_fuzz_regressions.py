# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Minimal cases of the bug classes the TE fuzzer (tests/python/fuzz) found,
each checked against numpy."""
import re

import numpy as np
import pytest

import tvm
from tvm import te


def run(s, args, inputs, out_shape, out_dtype="float32"):
    f = tvm.build(s, args, "llvm")
    out = tvm.nd.empty(out_shape, out_dtype)
    f(*[tvm.nd.array(x) for x in inputs], out)
    return out.numpy()


@pytest.mark.parametrize("factor_axis", [0, 1, 2])
def test_rfactor_of_the_only_reduce_axis(factor_axis):
    # The factored stage reduces over no axis at all: it must store its source.
    A = te.placeholder((3, 5), name="A")
    k = te.reduce_axis((0, 4), name="k")
    B = te.compute((3, 5), lambda i, j: te.sum(A[i, j] * k, axis=k), name="B")
    s = te.create_schedule(B.op)
    BF = s.rfactor(B, s[B].op.reduce_axis[0], factor_axis=factor_axis)
    assert len(BF.op.reduce_axis) == 0
    a = np.random.RandomState(0).rand(3, 5).astype("float32")
    np.testing.assert_allclose(run(s, [A, B], [a], (3, 5)), a * 6, rtol=1e-6)


def test_rfactor_of_the_only_reduce_axis_with_max_and_condition():
    A = te.placeholder((6, 7), name="A")
    k = te.reduce_axis((0, 7), name="k")
    B = te.compute((6,), lambda i: te.max(A[i, k], axis=k, where=k > 1), name="B")
    s = te.create_schedule(B.op)
    s.rfactor(B, s[B].op.reduce_axis[0])
    a = np.random.RandomState(1).rand(6, 7).astype("float32")
    np.testing.assert_allclose(run(s, [A, B], [a], (6,)), a[:, 2:].max(axis=1))


def test_root_producer_of_a_stage_attached_two_levels_deep():
    # C is computed at a loop of D, and D at a loop of E: the region of B that
    # C reads depends on E's loop through D's range. B sits at the root, so
    # both loops must be relaxed (it once kept E's loop variable, undefined at
    # the root).
    A = te.placeholder((4, 9), name="A")
    B = te.compute((4, 9), lambda i, j: A[i, j] + 1.0, name="B")
    C = te.compute((4, 9), lambda i, j: B[tvm.te.min(j, 3), j] * 2.0, name="C")
    D = te.compute((9,), lambda i: C[tvm.te.min(i, 3), i] + 1.0, name="D")
    E = te.compute((9,), lambda i: D[i] + D[tvm.te.max(i - 1, 0)], name="E")
    s = te.create_schedule(E.op)
    o, ii = s[E].split(E.op.axis[0], nparts=1)
    s[D].compute_at(s[E], ii)
    s[C].compute_at(s[D], D.op.axis[0])
    a = np.random.RandomState(2).rand(4, 9).astype("float32")
    j = np.arange(9)
    c = (a[np.minimum(j, 3), j] + 1.0) * 2.0
    d = c + 1.0  # D[i] reads C[min(i, 3), i] = c at column i
    e = d + d[np.maximum(j - 1, 0)]
    np.testing.assert_allclose(run(s, [A, E], [a], (9,)), e, rtol=1e-6)


def test_root_cache_read_of_a_stage_attached_two_levels_deep():
    A = te.placeholder((6,), name="A")
    B = te.compute((6,), lambda i: A[i] * 2.0, name="B")
    s = te.create_schedule(B.op)
    AL = s.cache_read(A, "local", [B])
    ALL = s.cache_read(AL, "local", [B])
    AL2 = s.cache_read(AL, "local", [ALL])
    s[ALL].compute_at(s[B], B.op.axis[0])
    s[AL2].compute_at(s[ALL], ALL.op.axis[0])
    a = np.random.RandomState(3).rand(6).astype("float32")
    np.testing.assert_allclose(run(s, [A, B], [a], (6,)), a * 2.0)


def test_unsigned_max_reduction_is_not_dropped():
    # max(acc, x + 3) in uint8: comparing acc with x + 3 must not take the
    # difference in wrapping uint8 arithmetic (acc - x + 253 looks >= 0).
    A = te.placeholder((8,), dtype="int8", name="A")
    k = te.reduce_axis((0, 7), name="k")
    B = te.compute(
        (4,),
        lambda i: te.max(te.max(A[k + 1], tvm.tir.const(0, "int8")).astype("uint8") + tvm.tir.const(3, "uint8"), axis=k),
        name="B",
    )
    s = te.create_schedule(B.op)
    a = np.arange(8).astype("int8") - 2
    expected = np.full((4,), np.maximum(a[1:], 0).max() + 3, "uint8")
    np.testing.assert_array_equal(run(s, [A, B], [a], (4,), "uint8"), expected)
    x, z = te.var("x", "uint8"), te.var("z", "uint8")
    five = tvm.tir.const(5, "uint8")
    assert not isinstance(tvm.arith.Analyzer().simplify(te.max(z, five - x)), tvm.tir.Var)


def test_fused_split_axes_of_a_stage_with_symbolic_extent():
    # L's region depends on T's tile loop, so the nparts split of L's fused
    # axis has a symbolic inner extent; the region LW must cover at that loop
    # was once an unbounded set whose infinite ends reached floordiv.
    P = te.placeholder((9, 2), dtype="int32", name="P")
    T = te.compute((4, 16), lambda i, j: P[te.min(j, 8), te.min(i, 1)] * 2, name="T")
    s = te.create_schedule(T.op)
    L = s.cache_read(P, "local", [T])
    LW = s.cache_write(L, "local")
    fused = s[L].fuse(*s[L].op.axis)
    o, _ = s[L].split(fused, nparts=3)
    o2, _ = s[L].split(o, factor=2)
    _, yo, _, _ = s[T].tile(T.op.axis[0], T.op.axis[1], 4, 3)
    s[L].compute_at(s[T], yo)
    s[LW].compute_at(s[L], o2)
    p = np.arange(18, dtype="int32").reshape(9, 2)
    i, j = np.meshgrid(np.arange(4), np.arange(16), indexing="ij")
    expected = p[np.minimum(j, 8), np.minimum(i, 1)] * 2
    np.testing.assert_array_equal(run(s, [P, T], [p], (4, 16), "int32"), expected)


def test_cache_write_of_a_reduction_that_depends_on_its_output_axis():
    # The reduction's extent, identity and combiner use the output axis n;
    # the cache stage has its own axes, so they must be renamed there too.
    X = te.placeholder((10,), name="X")

    def body(n):
        rv = te.reduce_axis((0, n), name="rv")
        init = lambda dtype: tvm.tir.Select(n > 1, tvm.tir.const(0, dtype), n.astype(dtype))
        combine = te.comm_reducer(lambda x, y: te.max(x + y, n.astype("float32")), init, name="combine")
        return combine(X[rv], axis=rv)

    Y = te.compute(X.shape, body, name="Y")
    s = te.create_schedule(Y.op)
    YL = s.cache_write(Y, "local")
    assert "Y.local" in str(YL.op.name)
    x = np.random.RandomState(4).rand(10).astype("float32")
    expected = np.zeros(10, "float32")
    for n in range(10):
        acc = np.float32(0 if n > 1 else n)
        for r in range(n):
            acc = max(acc + x[r], np.float32(n))
        expected[n] = acc
    np.testing.assert_allclose(run(s, [X, Y], [x], (10,)), expected, rtol=1e-6)


def _overaligned_accesses(ll, elem="i16", limit=8):
    """Loads/stores of `elem` at a non-constant index that claim more than
    `limit` bytes of alignment: no index in these programs is a proven multiple
    of more than a few elements."""
    geps = dict(re.findall(r"(%\S+) = getelementptr inbounds " + elem + r", ptr %\S+, i\d+ (\S+)", ll))
    bad = []
    for line in ll.splitlines():
        m = re.search(r"(?:store " + elem + r" \S+|load " + elem + r"), ptr (%\S+), align (\d+)", line)
        if m and int(m.group(2)) > limit and not geps.get(m.group(1), "%").lstrip("-").isdigit():
            bad.append(line.strip())
    return bad


def test_sibling_loops_sharing_a_variable_keep_no_stale_alignment():
    # Seed 208273 (a segfault): the stage attached at the unrolled reduction
    # loop is guarded by k >= 2, and LoopPartition splits its init loop into
    # `for i in [0, 1)` and `for i in [1, n)` with one loop variable. The code
    # generator's analyzer kept "i == 0" from the first, claimed 64-byte
    # alignment for T0[i] in the second, and LLVM's vectorizer emitted aligned
    # vector stores at odd addresses.
    P = te.placeholder((16,), dtype="int32", name="P")
    r = te.reduce_axis((0, 3), name="r")
    T0 = te.compute((16,), lambda i: te.sum(P[i].astype("int16"), axis=r), name="T0")
    k = te.reduce_axis((0, 8), name="k")
    T1 = te.compute(
        (16,),
        lambda i: te.sum(
            tvm.tir.if_then_else(k >= 2, T0[k - 2], tvm.tir.const(0, "int16")).astype("int32")
            + T0[te.min(i * 2 + 1, 15)].astype("int32"),
            axis=k,
        ),
        name="T1",
    )
    s = te.create_schedule(T1.op)
    s[T0].compute_at(s[T1], k)
    s[T1].unroll(k)
    ll = tvm.build(s, [P, T1], "llvm -opt-level=0").get_source("ll")
    assert _overaligned_accesses(ll) == []
    p = np.arange(16, dtype="int32") - 5
    w = p * 3
    kk = np.arange(8)
    ii = np.arange(16).reshape(16, 1)
    expected = (np.where(kk >= 2, w[np.maximum(kk - 2, 0)], 0) + w[np.minimum(ii * 2 + 1, 15)]).sum(axis=1)
    np.testing.assert_array_equal(run(s, [P, T1], [p], (16,), "int32"), expected)


# Fuzzer seed 16488: right at -opt-level=0, wrong at 2 and 3. The copy loop
# T0.local.d.local[i] = T0.local.local[i] between two stack arrays became a
# memcpy, MemCpyOpt merged the two allocas, and each side kept its own TBAA
# tag, so DSE dropped stores to T0.local.local as never read by the loads of
# T0.local.d.local. Stack arrays now carry no TBAA (allocas need none).
@pytest.mark.parametrize("opt_level", [0, 3])
def test_cache_read_write_chain_with_unrolled_attach_of_a_max_reduction(opt_level):
    P0 = te.placeholder((16,), dtype="int16", name="P0")
    k = te.reduce_axis((0, 9), name="k")
    T0 = te.compute(
        (32, 16),
        lambda i0, i1: te.max(
            te.max(
                P0[te.max(te.min(i1 - 2, 15), 0)].astype("int64"),
                P0[te.max(te.min(i0, 15), 0)].astype("int64") + P0[k + 1].astype("int64"),
            ),
            axis=[k],
        ),
        name="T0",
    )
    T1 = te.compute(
        (10, 4),
        lambda i1, i2: te.max(T0[i1, i2].astype("float32"), T0[i2 * 2, 0].astype("float32")),
        name="T1",
    )
    s = te.create_schedule(T1.op)
    L = s.cache_read(T0, "local", [T1])
    LW = s.cache_write(L, "local")
    LL = s.cache_read(L, "local", [T1])
    ax0, ax1 = s[LW].op.axis
    _, i13 = s[LW].split(ax1, factor=3)
    _, i15 = s[LW].split(ax0, factor=16)
    o16, _ = s[LW].split(i13, factor=16)
    fused = s[LL].fuse(*s[LL].op.axis)
    s[L].compute_at(s[LL], fused)
    s[T0].compute_at(s[LW], o16)
    s[LW].unroll(i15)
    f = tvm.build(s, [P0, T1], f"llvm -opt-level={opt_level}")
    p0 = np.random.RandomState(16488).randint(-20, 21, size=(16,)).astype("int16")
    w = p0.astype(np.int64)
    i0 = np.arange(32).reshape(32, 1, 1)
    i1 = np.arange(16).reshape(1, 16, 1)
    kk = np.arange(9).reshape(1, 1, 9)
    t0 = np.maximum(w[np.clip(i1 - 2, 0, 15)], w[np.clip(i0, 0, 15)] + w[kk + 1]).max(axis=2)
    r1 = np.arange(10).reshape(10, 1)
    r2 = np.arange(4).reshape(1, 4)
    expected = np.maximum(t0[r1, r2], t0[r2 * 2, 0]).astype("float32")
    out = tvm.nd.empty((10, 4), "float32")
    f(tvm.nd.array(p0), out)
    np.testing.assert_array_equal(out.numpy(), expected)


def test_stack_arrays_carry_no_tbaa():
    A = te.placeholder((8,), name="A")
    B = te.compute((8,), lambda i: A[i] * 2.0, name="B")
    C = te.compute((8,), lambda i: B[i] + 1.0, name="C")
    s = te.create_schedule(C.op)
    ll = tvm.build(s, [A, C], "llvm -opt-level=0").get_source("ll")
    tags = set(re.findall(r'!"(buf_[^"]*)"', ll))
    assert any(t.startswith("buf_A_") for t in tags) and any(t.startswith("buf_C_") for t in tags)
    assert not any(t.startswith("buf_B_") for t in tags), tags
    assert re.search(r"store float [^,]+, ptr %\S+, align \d+\n", ll), "the stores to B carry no !tbaa"
