# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""StorageRewrite's memory plan: in-place reuse, size-matched reuse, special memories,
vector element types. Every reuse is checked by running the kernel against numpy."""
import re

import numpy as np
import pytest

import tvm
from tvm import te, tir
from tvm.script import tir as T


def _rewrite(func):
    return tvm.tir.transform.StorageRewrite()(tvm.IRModule({"main": func}))["main"]


def _allocs(func):
    found = []
    tir.stmt_functor.post_order_visit(func.body, lambda n: found.append(n) if isinstance(n, tir.Allocate) else None)
    return found


def _run(func, *arrays):
    f = tvm.build(func.with_attr("global_symbol", "main"), target="llvm")
    nds = [tvm.nd.array(a) for a in arrays]
    f(*nds)
    return [x.numpy() for x in nds]


def _lower(s, args):
    return tvm.lower(s, args)["main"]


def _same(out, expected):
    name = out.attrs["global_symbol"]
    tvm.ir.assert_structural_equal(out, expected.with_attr("global_symbol", name))


def _stage(prev, fn, name):
    return te.compute(prev.shape, lambda *idx: fn(prev, *idx), name=name)


def test_symbolic_chain_runs_in_place_in_one_buffer():
    m, l = te.var("m"), te.var("l")
    A = te.placeholder((m, l), name="A")
    B = A
    for t in range(5):
        B = _stage(B, lambda P, i, j, t=t: P[i, j] * 2.0 + t, "S%d" % t)
    s = te.create_schedule(B.op)
    func = _lower(s, [A, B])
    assert len(_allocs(func)) == 1
    a = np.random.default_rng(1).standard_normal((7, 5)).astype("float32")
    expect = a
    for t in range(5):
        expect = expect * 2.0 + t
    _, out = _run(func, a, np.zeros_like(a))
    np.testing.assert_allclose(out, expect, rtol=1e-5)


@T.prim_func
def _rewrites_one_location_repeatedly(X: T.Buffer(16, "float32"), Y: T.Buffer(16, "float32")):
    A_data = T.allocate([16], "float32", "global")
    A = T.Buffer(16, data=A_data)
    B_data = T.allocate([16], "float32", "global")
    B = T.Buffer(16, data=B_data)
    for i in range(16):
        A[i] = X[i]
    # B[i] is written four times from A[i]: sharing A's memory would feed each write the last.
    for i, k in T.grid(16, 4):
        B[i] = A[i] + T.Cast("float32", k)
    for i in range(16):
        Y[i] = B[i]


def test_no_in_place_when_a_location_is_written_twice():
    out = _rewrite(_rewrites_one_location_repeatedly)
    assert len(_allocs(out)) == 2
    x = np.arange(16, dtype="float32")
    _, y = _run(out, x, np.zeros(16, "float32"))
    np.testing.assert_allclose(y, x + 3.0)


@T.prim_func
def _reads_mirrored(X: T.Buffer(16, "float32"), Y: T.Buffer(16, "float32")):
    A_data = T.allocate([16], "float32", "global")
    A = T.Buffer(16, data=A_data)
    B_data = T.allocate([16], "float32", "global")
    B = T.Buffer(16, data=B_data)
    for i in range(16):
        A[i] = X[i]
    for i in range(16):
        B[i] = A[15 - i] * T.float32(2)
    for i in range(16):
        Y[i] = B[i]


def test_no_in_place_when_read_and_write_indices_differ():
    out = _rewrite(_reads_mirrored)
    assert len(_allocs(out)) == 2
    x = np.arange(16, dtype="float32")
    _, y = _run(out, x, np.zeros(16, "float32"))
    np.testing.assert_allclose(y, x[::-1] * 2)


@T.prim_func
def _in_place_2d(X: T.Buffer(48, "float32"), Y: T.Buffer(48, "float32")):
    A_data = T.allocate([48], "float32", "global")
    A = T.Buffer(48, data=A_data)
    B_data = T.allocate([48], "float32", "global")
    B = T.Buffer(48, data=B_data)
    for i in range(48):
        A[i] = X[i]
    for i, j in T.grid(6, 8):
        B[i * 8 + j] = A[i * 8 + j] + T.float32(1)
    for i in range(48):
        Y[i] = B[i]


@T.prim_func
def _in_place_2d_expected(X: T.Buffer(48, "float32"), Y: T.Buffer(48, "float32")):
    A_data = T.allocate([48], "float32", "global")
    A = T.Buffer(48, data=A_data)
    B = T.Buffer(48, data=A_data)
    for i in range(48):
        A[i] = X[i]
    for i, j in T.grid(6, 8):
        B[i * 8 + j] = A[i * 8 + j] + T.float32(1)
    for i in range(48):
        Y[i] = B[i]


def test_in_place_over_an_injective_2d_index():
    out = _rewrite(_in_place_2d)
    _same(out, _in_place_2d_expected)
    x = np.arange(48, dtype="float32")
    _, y = _run(out, x, np.zeros(48, "float32"))
    np.testing.assert_allclose(y, x + 1)


@T.prim_func
def _overlapping_index(X: T.Buffer(48, "float32"), Y: T.Buffer(48, "float32")):
    A_data = T.allocate([48], "float32", "global")
    A = T.Buffer(48, data=A_data)
    B_data = T.allocate([48], "float32", "global")
    B = T.Buffer(48, data=B_data)
    for i in range(48):
        A[i] = X[i]
    # i * 4 + j with j < 8: rows overlap, so B[5] is written at (0, 5) and (1, 1).
    for i, j in T.grid(6, 8):
        B[i * 4 + j] = A[i * 4 + j] + T.float32(1)
    for i in range(48):
        Y[i] = B[i]


def test_no_in_place_over_an_overlapping_index():
    out = _rewrite(_overlapping_index)
    assert len(_allocs(out)) == 2


@T.prim_func
def _sizes(n: T.int32, m: T.int32, X: T.Buffer(64, "float32"), Y: T.Buffer(64, "float32")):
    A_data = T.allocate([n], "float32", "global")
    A = T.Buffer(n, data=A_data)
    B_data = T.allocate([m], "float32", "global")
    B = T.Buffer(m, data=B_data)
    for i in range(n):
        A[i] = X[i]
    for i in range(m):
        B[i] = A[i] + T.float32(1)
    for i in range(m):
        Y[i] = B[i]


def test_symbolic_in_place_needs_the_same_extent():
    # B[i] = A[i] + 1 looks in place, but B has m elements and A only n.
    out = _rewrite(_sizes)
    assert len(_allocs(out)) == 2
    f = tvm.build(out.with_attr("global_symbol", "main"), target="llvm")
    x = tvm.nd.array(np.arange(64, dtype="float32"))
    y = tvm.nd.array(np.zeros(64, "float32"))
    f(8, 8, x, y)
    np.testing.assert_allclose(y.numpy()[:8], np.arange(8) + 1)


def test_sequential_stages_share_by_size():
    n = 64
    A = te.placeholder((n,), name="A")
    stages = [A]
    for t in range(4):
        prev = stages[-1]
        # Reading a neighbour rules out in-place: storage is shared only after a stage dies.
        stages.append(_stage(prev, lambda P, i, t=t: P[(i + 1) % n] + t, "S%d" % t))
    s = te.create_schedule(stages[-1].op)
    func = _lower(s, [A, stages[-1]])
    # S0 and S1 are alive together, S2 reuses S0, the output S3 is a parameter.
    assert len(_allocs(func)) == 2
    a = np.random.default_rng(2).standard_normal(n).astype("float32")
    expect = a
    for t in range(3 + 1):
        expect = np.roll(expect, -1) + t
    _, out = _run(func, a, np.zeros(n, "float32"))
    np.testing.assert_allclose(out, expect, rtol=1e-6)


def test_special_memory_is_packed_with_aligned_offsets():
    scope = "global:packtest"
    n = 10
    A = te.placeholder((n,), name="A")
    B0 = te.compute((n,), lambda i: A[i] + 1.0, name="B0")
    B1 = te.compute((n,), lambda i: B0[i] * 2.0 + B0[(i + 1) % n], name="B1")
    B2 = te.compute((n,), lambda i: B1[i] - B0[0], name="B2")
    s = te.create_schedule(B2.op)
    s[B0].set_scope(scope)
    s[B1].set_scope(scope)
    func = _lower(s, [A, B2])
    allocs = _allocs(func)
    # B0 (10 floats, 320 bits, padded to 320) then B1 at bit 320: one 20-float allocation.
    assert len(allocs) == 1 and allocs[0].extents[0].value == 20
    assert re.search(r"B1\[i\w* \+ 10\] - B0_1\[0\]", func.script())
    a = np.arange(n, dtype="float32")
    _, out = _run(func, a, np.zeros(n, "float32"))
    b0 = a + 1
    np.testing.assert_allclose(out, b0 * 2 + np.roll(b0, -1) - b0[0])


def test_special_memory_capacity_is_checked():
    scope = "local.CapTest"

    @tvm.register_func("tvm.info.mem." + scope, override=True)
    def _info():
        return tvm.ir.make_node("MemoryInfo", unit_bits=8, max_simd_bits=64, max_num_bits=256, head_address=None)

    ib = tvm.tir.ir_builder.create()
    with ib.for_range(0, 4, name="i") as i:
        A = ib.allocate("float32", 16, name="A", scope=scope)
        A[i] = 1.0
    func = tir.PrimFunc([], ib.get())
    with pytest.raises(tvm.TVMError, match="Allocation exceed bound of memory tag local.CapTest"):
        _rewrite(func)


def test_aligned_vector_accesses_give_a_vector_element_type():
    n = 64
    A = te.placeholder((n,), name="A")
    B = te.compute((n,), lambda i: A[i] * 3.0, name="B")
    C = te.compute((n,), lambda i: B[i] + 1.0, name="C")
    s = te.create_schedule(C.op)
    _, bi = s[B].split(B.op.axis[0], factor=8)
    s[B].vectorize(bi)
    _, ci = s[C].split(C.op.axis[0], factor=8)
    s[C].vectorize(ci)
    func = _lower(s, [A, C])
    (alloc,) = _allocs(func)
    assert alloc.dtype == "float32x8" and alloc.extents[0].value == 8
    assert alloc.buffer_var.type_annotation.element_type.dtype == "float32x8"
    a = np.arange(n, dtype="float32")
    _, out = _run(func, a, np.zeros(n, "float32"))
    np.testing.assert_allclose(out, a * 3 + 1)


def test_a_scalar_access_keeps_the_scalar_type():
    n = 64
    A = te.placeholder((n,), name="A")
    B = te.compute((n,), lambda i: A[i] * 3.0, name="B")
    C = te.compute((n,), lambda i: B[i] + B[0], name="C")
    s = te.create_schedule(C.op)
    _, bi = s[B].split(B.op.axis[0], factor=8)
    s[B].vectorize(bi)
    func = _lower(s, [A, C])
    (alloc,) = _allocs(func)
    assert alloc.dtype == "float32"
    a = np.arange(n, dtype="float32")
    _, out = _run(func, a, np.zeros(n, "float32"))
    np.testing.assert_allclose(out, a * 3 + a[0] * 3)


@T.prim_func
def _size_from_loop(Y: T.Buffer(16, "float32")):
    for i in range(1, 5):
        A_data = T.allocate([i * 4], "float32", "global")
        A = T.Buffer(i * 4, data=A_data)
        for j in range(i * 4):
            A[j] = T.Cast("float32", j)
        Y[i] = A[i * 4 - 1]


def test_a_size_using_a_loop_variable_stays_in_the_loop():
    out = _rewrite(_size_from_loop)
    _same(out, _size_from_loop)


@T.prim_func
def _unused(A: T.Buffer(16, "float32")):
    B = T.decl_buffer(16, "float32")
    Unused = T.decl_buffer(16, "float32")
    for i in range(16):
        B[i] = A[i]
    for i in range(16):
        A[i] = B[15 - i]


@T.prim_func
def _unused_expected(A: T.Buffer(16, "float32")):
    B = T.decl_buffer(16, "float32")
    for i in range(16):
        B[i] = A[i]
    for i in range(16):
        A[i] = B[15 - i]


def test_an_unused_allocation_and_its_declaration_are_dropped():
    _same(_rewrite(_unused), _unused_expected)


def test_parallel_loop_keeps_private_storage_per_thread():
    n, m = 8, 32
    A = te.placeholder((n, m), name="A")
    B = te.compute((n, m), lambda i, j: A[i, j] * 2.0, name="B")
    C = te.compute((n, m), lambda i, j: B[i, (j + 1) % m] + 1.0, name="C")
    s = te.create_schedule(C.op)
    s[C].parallel(C.op.axis[0])
    s[B].compute_at(s[C], C.op.axis[0])
    func = _lower(s, [A, C])
    (alloc,) = _allocs(func)
    loop = func.body
    assert isinstance(loop, tir.For) and loop.kind == tir.ForKind.PARALLEL
    assert isinstance(loop.body, tir.Allocate)
    a = np.random.default_rng(3).standard_normal((n, m)).astype("float32")
    _, out = _run(func, a, np.zeros((n, m), "float32"))
    np.testing.assert_allclose(out, np.roll(a * 2, -1, axis=1) + 1, rtol=1e-6)
