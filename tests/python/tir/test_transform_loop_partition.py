# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""LoopPartition: parts of a loop without the conditions they settle; exact IR and numbers."""
import numpy as np
import pytest

import tvm
from tvm import te, tir
from tvm.tir import ForKind

CONST = {"tir.LoopPartition": {"partition_const_loop": True}}


def _lower(func, config=None):
    passes = [
        tvm.tir.transform.LoopPartition(),
        tvm.tir.transform.Simplify(),
        tvm.tir.transform.RemoveNoOp(),
    ]
    with tvm.transform.PassContext(config=config or {}):
        return tvm.transform.Sequential(passes)(tvm.IRModule({"main": func}))["main"]


def _count(stmt, kind):
    found = []
    tvm.tir.stmt_functor.post_order_visit(stmt, lambda x: found.append(isinstance(x, kind)))
    return sum(found)


def _guarded_copy(extent, outer):
    A = tir.decl_buffer((1024,), name="A")
    B = tir.decl_buffer((1024,), name="B")
    io, ii = tir.Var("i_outer", "int32"), tir.Var("i_inner", "int32")
    index = io * 32 + ii
    guarded = tir.IfThenElse(tir.likely(index < extent), tir.BufferStore(B, A[index], [index]), None)
    loop = tir.For(io, 0, outer, ForKind.SERIAL, tir.For(ii, 0, 32, ForKind.SERIAL, guarded))
    return A, B, io, ii, loop


def test_constant_loop_is_kept_by_default_and_likely_tags_go():
    A, B, io, ii, loop = _guarded_copy(1000, 32)
    out = _lower(tir.PrimFunc([A, B], loop))
    index = io * 32 + ii
    plain = tir.IfThenElse(index < 1000, tir.BufferStore(B, A[index], [index]), None)
    expected = tir.For(io, 0, 32, ForKind.SERIAL, tir.For(ii, 0, 32, ForKind.SERIAL, plain))
    tvm.ir.assert_structural_equal(out.body, expected)


def test_partition_const_loop_gives_main_part_and_tail():
    A, B, io, ii, loop = _guarded_copy(1000, 32)
    out = _lower(tir.PrimFunc([A, B], loop), CONST)
    index = io * 32 + ii
    main = tir.For(io, 0, 31, ForKind.SERIAL, tir.For(ii, 0, 32, ForKind.SERIAL, tir.BufferStore(B, A[index], [index])))
    # The tail (io = 31) is its body; its inner loop splits at 8, the rest is empty.
    tail = tir.For(ii, 0, 8, ForKind.SERIAL, tir.BufferStore(B, A[ii + 992], [ii + 992]))
    tvm.ir.assert_structural_equal(out.body, tir.SeqStmt([main, tail]))


def test_parts_start_at_zero_and_keep_kind_and_annotations():
    A = tir.decl_buffer((64,), name="A")
    i = tir.Var("i", "int32")
    body = tir.IfThenElse(tir.likely(i < 40), tir.BufferStore(A, tir.const(1.0), [i]), tir.BufferStore(A, tir.const(2.0), [i]))
    loop = tir.For(i, 8, 48, ForKind.PARALLEL, body, annotations={"key": "value"})
    out = _lower(tir.PrimFunc([A], loop), CONST)
    j = tir.Var("i", "int32")
    expected = tir.SeqStmt(
        [
            tir.For(i, 0, 32, ForKind.PARALLEL, tir.BufferStore(A, tir.const(1.0), [i + 8]), annotations={"key": "value"}),
            tir.For(j, 0, 16, ForKind.PARALLEL, tir.BufferStore(A, tir.const(2.0), [j + 40]), annotations={"key": "value"}),
        ]
    )
    tvm.ir.assert_structural_equal(out.body, expected)


def test_symbolic_extent_is_partitioned():
    A = tir.decl_buffer((1024,), name="A")
    B = tir.decl_buffer((1024,), name="B")
    n = tir.SizeVar("n", "int32")
    io, ii = tir.Var("i_outer", "int32"), tir.Var("i_inner", "int32")
    index = io * 32 + ii
    guarded = tir.IfThenElse(tir.likely(index < n), tir.BufferStore(B, A[index], [index]), None)
    outer = tir.For(io, 0, tir.floordiv(n + 31, 32), ForKind.SERIAL, tir.For(ii, 0, 32, ForKind.SERIAL, guarded))
    out = _lower(tir.PrimFunc([A, B, n], outer))
    main, tail = list(out.body)
    # The main part runs n // 32 full tiles without a guard ...
    tvm.ir.assert_structural_equal(main.extent, tir.floordiv(n, 32))
    assert isinstance(main.body.body, tir.BufferStore)
    # ... the tail keeps it (without the likely tag).
    assert isinstance(tail.body.body, tir.IfThenElse)
    assert "likely" not in str(tail)


def test_idempotent():
    A, B, io, ii, loop = _guarded_copy(1000, 32)
    once = _lower(tir.PrimFunc([A, B], loop), CONST)
    tvm.ir.assert_structural_equal(_lower(once, CONST), once)


def test_parts_are_in_ssa_form():
    A, B, io, ii, loop = _guarded_copy(1000, 32)
    with tvm.transform.PassContext(config=CONST):
        out = tvm.tir.transform.LoopPartition()(tvm.IRModule({"main": tir.PrimFunc([A, B], loop)}))["main"]
    loop_vars = []
    tvm.tir.stmt_functor.post_order_visit(out.body, lambda x: loop_vars.append(x.loop_var) if isinstance(x, tir.For) else None)
    assert len(loop_vars) == len({v.__hash__() for v in loop_vars})


def test_no_unroll_loop_with_extent_one_keeps_unit_loops():
    A, B, io, ii, loop = _guarded_copy(1000, 32)
    config = {"tir.LoopPartition": {"partition_const_loop": True, "no_unroll_loop_with_extent_one": True}}
    out = _lower(tir.PrimFunc([A, B], loop), config)
    main, tail = list(out.body)
    tvm.ir.assert_structural_equal(tail.extent, tir.const(1))
    assert tail.body.extent.value == 8
    assert _count(out.body, tir.For) == 4


def _concat_with_hint():
    A = tir.decl_buffer((16,), name="A")
    B = tir.decl_buffer((16,), name="B")
    C = tir.decl_buffer((32,), name="C")
    i = tir.Var("i", "int32")
    body = tir.BufferStore(C, tir.if_then_else(i < 16, A[i], B[i - 16]), [i])
    loop = tir.AttrStmt(i, "pragma_loop_partition_hint", 1, tir.For(i, 0, 32, ForKind.SERIAL, body))
    return tir.PrimFunc([A, B, C], loop), A, B, C, i


def test_hint_partitions_on_plain_conditions():
    func, A, B, C, i = _concat_with_hint()
    out = _lower(func, CONST)
    j = tir.Var("i", "int32")
    expected = tir.SeqStmt(
        [
            tir.For(i, 0, 16, ForKind.SERIAL, tir.BufferStore(C, A[i], [i])),
            tir.For(j, 0, 16, ForKind.SERIAL, tir.BufferStore(C, B[j], [j + 16])),
        ]
    )
    tvm.ir.assert_structural_equal(out.body, expected)
    # Without the hint, a condition without likely() is left alone.
    plain = tir.PrimFunc(func.params, func.body.body, buffer_map=func.buffer_map)
    tvm.ir.assert_structural_equal(_lower(plain, CONST).body, func.body.body)


def test_hint_mutually_exclusive_conditions():
    A = tir.decl_buffer((64,), "int32", name="A")
    i = tir.Var("i", "int32")
    store = lambda v: tir.BufferStore(A, tir.const(v, "int32"), [i])  # noqa: E731
    body = tir.IfThenElse(i < 10, store(1), tir.IfThenElse(tir.all(10 <= i, i < 50), store(2), store(3)))
    loop = tir.AttrStmt(i, "pragma_loop_partition_hint", 1, tir.For(i, 0, 60, ForKind.SERIAL, body))
    out = _lower(tir.PrimFunc([A], loop), CONST)
    extents = [s.extent.value for s in out.body]
    assert extents == [10, 40, 10]
    assert _count(out.body, tir.IfThenElse) == 0


def test_unroll_hinted_loop_without_interval():
    A = tir.decl_buffer((64,), "int32", name="A")
    i, j = tir.Var("i", "int32"), tir.Var("j", "int32")
    # 2 * i + j >= 3 over j in [0, 4): true for i >= 2, false for none.
    body = tir.For(j, 0, 4, ForKind.SERIAL, tir.IfThenElse(i * 2 + j >= 3, tir.BufferStore(A, i + j, [i * 4 + j]), None))
    loop = tir.AttrStmt(i, "pragma_loop_partition_hint", 1, tir.For(i, 0, 5, ForKind.SERIAL, body))
    config = {"tir.LoopPartition": {"partition_const_loop": True, "unroll_loop_with_partition_hint_no_interval": True}}
    with tvm.transform.PassContext(config=config):
        out = tvm.tir.transform.LoopPartition()(tvm.IRModule({"main": tir.PrimFunc([A], loop)}))["main"]
    first, rest = list(out.body)
    # [0, 2) has no interval where the condition is settled: unrolled.
    assert first.kind == ForKind.UNROLLED and first.extent.value == 2
    assert rest.kind == ForKind.SERIAL and rest.extent.value == 3


def test_block_launch_gets_a_fast_branch():
    A = tir.decl_buffer((1024,), name="A")
    n = tir.SizeVar("n", "int32")
    bx = te.thread_axis("blockIdx.x")
    tx = te.thread_axis("threadIdx.x")
    index = bx.var * 32 + tx.var
    store = tir.IfThenElse(tir.likely(index < n), tir.BufferStore(A, tir.const(1.0), [index]), None)
    body = tir.AttrStmt(bx, "thread_extent", tir.floordiv(n + 31, 32), tir.AttrStmt(tx, "thread_extent", 32, store))
    with tvm.transform.PassContext():
        out = tvm.tir.transform.LoopPartition()(tvm.IRModule({"main": tir.PrimFunc([A, n], body)}))["main"]
    inner = out.body.body
    assert inner.attr_key == "thread_extent"
    branch = inner.body
    assert isinstance(branch, tir.IfThenElse)
    # The fast branch's guard is settled (true); threadIdx is relaxed, so it is not in the test.
    tvm.ir.assert_structural_equal(branch.then_case.condition, tir.const(True))
    assert "threadIdx" not in str(branch.condition)
    assert isinstance(branch.else_case, tir.IfThenElse)


def test_allreduce_blocks_partitioning():
    A = tir.decl_buffer((1024,), name="A")
    n = tir.SizeVar("n", "int32")
    i = tir.Var("i", "int32")
    reduce = tir.Evaluate(tir.call_intrin("handle", "tir.tvm_thread_allreduce", tir.const(1, "uint32")))
    body = tir.SeqStmt([tir.IfThenElse(tir.likely(i < n - 3), tir.BufferStore(A, tir.const(1.0), [i]), None), reduce])
    loop = tir.For(i, 0, n, ForKind.SERIAL, body)
    out = _lower(tir.PrimFunc([A, n], loop))
    assert isinstance(out.body, tir.For)


def test_unknown_option_is_an_error():
    A, B, io, ii, loop = _guarded_copy(1000, 32)
    with pytest.raises(Exception, match="partition_cost_loop"):
        _lower(tir.PrimFunc([A, B], loop), {"tir.LoopPartition": {"partition_cost_loop": True}})


# ---------------------------------------------------------------------------
# Numbers: the partitioned kernels compute what the unpartitioned ones do.


def _run_split(n_value, factor, config, symbolic):
    n = te.size_var("n") if symbolic else n_value
    A = te.placeholder((n,), name="A")
    B = te.compute((n,), lambda i: A[i] * 2.0 + 1.0, name="B")
    s = te.create_schedule(B.op)
    s[B].split(B.op.axis[0], factor=factor)
    with tvm.transform.PassContext(config=config):
        f = tvm.build(s, [A, B], target="llvm")
    a = np.random.RandomState(n_value).uniform(-1, 1, n_value).astype("float32")
    b = tvm.nd.array(np.full(n_value, -7.0, "float32"))
    f(tvm.nd.array(a), b)
    np.testing.assert_allclose(b.numpy(), a * 2.0 + 1.0, rtol=1e-6)


@pytest.mark.parametrize("n_value", [0, 1, 3, 4, 5, 13, 16, 37])
def test_symbolic_split_numbers(n_value):
    _run_split(n_value, 4, {}, True)


@pytest.mark.parametrize("n_value,factor", [(21, 4), (1, 4), (3, 4), (130, 8), (16, 16), (17, 16)])
@pytest.mark.parametrize("no_unroll", [False, True])
def test_const_split_numbers(n_value, factor, no_unroll):
    config = {"tir.LoopPartition": {"partition_const_loop": True, "no_unroll_loop_with_extent_one": no_unroll}}
    _run_split(n_value, factor, config, False)


def test_nested_indivisible_splits_numbers():
    A = te.placeholder((130,), name="A")
    B = te.compute((130,), lambda i: te.max(A[i], 0.0), name="B")
    s = te.create_schedule(B.op)
    yo, yi = s[B].split(B.op.axis[0], factor=8)
    yoo, yoi = s[B].split(yo, factor=16)
    s[B].unroll(yi)
    with tvm.transform.PassContext(config=CONST):
        lowered = tvm.lower(s, [A, B])
        f = tvm.build(s, [A, B], target="llvm")
    assert _count(lowered["main"].body, tir.IfThenElse) == 0
    a = np.random.RandomState(1).uniform(-1, 1, 130).astype("float32")
    b = tvm.nd.empty((130,), "float32")
    f(tvm.nd.array(a), b)
    np.testing.assert_allclose(b.numpy(), np.maximum(a, 0.0))


def _build(func, config):
    with tvm.transform.PassContext(config=config):
        return tvm.build(func.with_attr("global_symbol", "main"), target="llvm")


@pytest.mark.parametrize("config", [{}, CONST])
def test_negative_and_zero_trip_loops_numbers(config):
    # for i in range(n - 5): for j in range(4): if likely(i * 4 + j < m): out[i * 4 + j] = i + j
    n, m = tir.Var("n", "int32"), tir.Var("m", "int32")
    out = tir.decl_buffer((64,), "int32", name="out")
    ib = tir.ir_builder.create()
    po = ib.buffer_ptr(out)
    with ib.for_range(0, n - 5, "i") as i:
        with ib.for_range(0, 4, "j") as j:
            with ib.if_scope(ib.likely(i * 4 + j < m)):
                po[i * 4 + j] = i + j
    f = _build(tir.PrimFunc([out, n, m], ib.get()), config)
    for n_value, m_value in [(3, 10), (5, 10), (6, 0), (6, 2), (9, 13), (9, -4), (20, 64), (20, 61)]:
        got = tvm.nd.array(np.full(64, -1, "int32"))
        f(got, n_value, m_value)
        expected = np.full(64, -1, "int32")
        for i in range(max(n_value - 5, 0)):
            for j in range(4):
                if i * 4 + j < m_value:
                    expected[i * 4 + j] = i + j
        np.testing.assert_array_equal(got.numpy(), expected, err_msg=f"n={n_value} m={m_value}")


def test_symbolic_start_and_bounds_numbers():
    # for i in range(lo, hi): if likely(i >= a) and likely(i < b): out[i] = 1 else out[i] = 2
    lo, hi, a, b = (tir.Var(x, "int32") for x in ("lo", "hi", "a", "b"))
    out = tir.decl_buffer((40,), "int32", name="out")
    i = tir.Var("i", "int32")
    cond = tir.And(tir.likely(i >= a), tir.likely(i < b))
    body = tir.IfThenElse(cond, tir.BufferStore(out, tir.const(1, "int32"), [i]), tir.BufferStore(out, tir.const(2, "int32"), [i]))
    func = tir.PrimFunc([out, lo, hi, a, b], tir.For(i, lo, hi - lo, ForKind.SERIAL, body))
    f = _build(func, {})
    rng = np.random.RandomState(0)
    for _ in range(60):
        lo_v = int(rng.randint(0, 20))
        hi_v = int(rng.randint(0, 40))
        a_v, b_v = (int(x) for x in rng.randint(-5, 45, 2))
        got = tvm.nd.array(np.zeros(40, "int32"))
        f(got, lo_v, hi_v, a_v, b_v)
        expected = np.zeros(40, "int32")
        for k in range(lo_v, hi_v):
            expected[k] = 1 if a_v <= k < b_v else 2
        np.testing.assert_array_equal(got.numpy(), expected, err_msg=f"{lo_v} {hi_v} {a_v} {b_v}")


def test_condition_shared_by_two_loops_numbers():
    # One condition object under two inner loops with different ranges: it is
    # settled only where both agree.
    out = tir.decl_buffer((128,), "int32", name="out")
    n = tir.Var("n", "int32")
    i, j = tir.Var("i", "int32"), tir.Var("j", "int32")
    cond = tir.likely(i * 4 + j < 10)
    first = tir.For(j, 0, 4, ForKind.SERIAL, tir.IfThenElse(cond, tir.BufferStore(out, i + 1, [i * 8 + j]), None))
    second = tir.For(j, 0, 8, ForKind.SERIAL, tir.IfThenElse(cond, tir.BufferStore(out, i + 100, [i * 8 + j]), None))
    func = tir.PrimFunc([out, n], tir.For(i, 0, n, ForKind.SERIAL, tir.SeqStmt([first, second])))
    f = _build(func, {})
    for n_value in [0, 1, 2, 3, 5, 16]:
        got = tvm.nd.array(np.zeros(128, "int32"))
        f(got, n_value)
        expected = np.zeros(128, "int32")
        for iv in range(n_value):
            for jv in range(4):
                if iv * 4 + jv < 10:
                    expected[iv * 8 + jv] = iv + 1
            for jv in range(8):
                if iv * 4 + jv < 10:
                    expected[iv * 8 + jv] = iv + 100
        np.testing.assert_array_equal(got.numpy(), expected, err_msg=f"n={n_value}")


def test_bound_using_a_variable_of_the_body_is_not_used():
    # i < t with t bound inside the loop: the split point would use t outside its scope.
    out = tir.decl_buffer((64,), "int32", name="out")
    n, m = tir.Var("n", "int32"), tir.Var("m", "int32")
    i, t = tir.Var("i", "int32"), tir.Var("t", "int32")
    body = tir.LetStmt(t, m * 2, tir.IfThenElse(tir.likely(i < t), tir.BufferStore(out, i, [i]), None))
    func = tir.PrimFunc([out, n, m], tir.For(i, 0, n, ForKind.SERIAL, body))
    f = _build(func, {})
    got = tvm.nd.array(np.zeros(64, "int32"))
    f(got, 20, 5)
    expected = np.zeros(64, "int32")
    expected[:10] = np.arange(10)
    np.testing.assert_array_equal(got.numpy(), expected)


def test_hint_concat_numbers():
    func, A, B, C, i = _concat_with_hint()
    f = _build(func, CONST)
    a = np.arange(16, dtype="float32")
    b = np.arange(100, 116, dtype="float32")
    c = tvm.nd.empty((32,), "float32")
    f(tvm.nd.array(a), tvm.nd.array(b), c)
    np.testing.assert_array_equal(c.numpy(), np.concatenate([a, b]))


def test_split_point_outside_the_range_terminates_and_numbers():
    # likely(x + i < 3) with x >= 0 symbolic: the split point 3 - x may lie below
    # the loop's start; the parts are clamped, and partitioning ends (fuzzer seed 158 hung).
    out = tir.decl_buffer((8, 40), "int32", name="out")
    n, m = tir.Var("n", "int32"), tir.Var("m", "int32")
    ib = tir.ir_builder.create()
    po = ib.buffer_ptr(out)
    with ib.for_range(0, n, "a") as a:
        with ib.for_range(0, tvm.te.max(m, 1) // 10 * 5 + 6, "i") as i:
            po[a * 40 + i] = 1
            with ib.if_scope(ib.likely(a * 5 + tvm.te.max(m, 1) // 10 + i < 3)):
                po[a * 40 + i] = 2
    f = _build(tir.PrimFunc([out, n, m], ib.get()), {})
    for n_value, m_value in [(0, 0), (1, 0), (3, 5), (8, 25), (8, 60)]:
        got = tvm.nd.array(np.zeros((8, 40), "int32"))
        f(got, n_value, m_value)
        expected = np.zeros((8, 40), "int32")
        mm = max(m_value, 1) // 10
        for av in range(n_value):
            for iv in range(mm * 5 + 6):
                expected[av, iv] = 2 if av * 5 + mm + iv < 3 else 1
        np.testing.assert_array_equal(got.numpy(), expected, err_msg=f"n={n_value} m={m_value}")


def test_partition_growth_is_bounded_and_correct():
    # Every axis of a 9-d copy split by a non-divisor: each split loop is cut
    # in two and its tail is partitioned again, 2^9 copies of the
    # body without a limit. The copies are capped by a node budget (loops
    # past it keep their guards) and the result stays right.
    import numpy as np

    shape = (4,) * 9
    A = te.placeholder(shape, name="A", dtype="int32")
    B = te.compute(shape, lambda *i: A(*i) + 1, name="B")
    s = te.create_schedule(B.op)
    for axis in B.op.axis:
        s[B].split(axis, factor=3)
    with tvm.transform.PassContext(config={"tir.LoopPartition": {"partition_const_loop": True}}):
        mod = tvm.lower(s, [A, B])
        f = tvm.build(s, [A, B], "llvm")
    stores = []
    tvm.tir.stmt_functor.post_order_visit(
        mod["main"].body, lambda n: stores.append(n) if isinstance(n, tvm.tir.BufferStore) else None
    )
    assert 1 < len(stores) < 2**9, len(stores)
    a = np.random.RandomState(0).randint(-100, 100, size=shape).astype("int32")
    b = tvm.nd.empty(shape, "int32")
    f(tvm.nd.array(a), b)
    np.testing.assert_array_equal(b.numpy(), a + 1)
