# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""RemoveNoOp: statements without effect disappear, effects stay."""
import numpy as np
import pytest

import tvm
from tvm import tir
from tvm.tir import ForKind


def _run(func):
    return tvm.tir.transform.RemoveNoOp()(tvm.IRModule({"main": func}))["main"]


def _f32(v):
    return tir.const(v, "float32")


def test_loop_if_let_attr_around_nothing_are_removed():
    A = tir.decl_buffer((16,), name="A")
    i, x = tir.Var("i", "int32"), tir.Var("x", "int32")
    store = tir.BufferStore(A, _f32(1.0), [0])
    body = tir.SeqStmt(
        [
            tir.For(i, 0, 16, ForKind.SERIAL, tir.Evaluate(0)),
            tir.IfThenElse(i < 4, tir.Evaluate(0), None),
            tir.LetStmt(x, i + 1, tir.Evaluate(0)),
            tir.AttrStmt(A.data, "pragma_x", 1, tir.Evaluate(0)),
            store,
        ]
    )
    out = _run(tir.PrimFunc([A], body))
    tvm.ir.assert_structural_equal(out.body, store)


def test_constant_condition_keeps_taken_branch():
    A = tir.decl_buffer((16,), name="A")
    then_case = tir.BufferStore(A, _f32(1.0), [0])
    else_case = tir.BufferStore(A, _f32(2.0), [0])
    out = _run(tir.PrimFunc([A], tir.IfThenElse(tir.const(False), then_case, else_case)))
    tvm.ir.assert_structural_equal(out.body, else_case)


def test_store_of_own_value_and_zero_extent_loop():
    A = tir.decl_buffer((16,), name="A")
    i = tir.Var("i", "int32")
    keep = tir.BufferStore(A, A[i] + _f32(1.0), [i])
    body = tir.SeqStmt(
        [
            tir.For(i, 0, 16, ForKind.SERIAL, tir.BufferStore(A, A[i], [i])),
            tir.For(i, 0, 0, ForKind.SERIAL, keep),
            tir.For(i, 0, 16, ForKind.SERIAL, keep),
        ]
    )
    out = _run(tir.PrimFunc([A], body))
    tvm.ir.assert_structural_equal(out.body, tir.For(i, 0, 16, ForKind.SERIAL, keep))


def test_side_effects_are_kept():
    A = tir.decl_buffer((16,), name="A")
    call = tir.call_extern("int32", "log_event", 1)
    x = tir.Var("x", "int32")
    body = tir.SeqStmt([tir.Evaluate(call), tir.LetStmt(x, call, tir.Evaluate(0)), tir.Evaluate(A[0] + _f32(1.0))])
    out = _run(tir.PrimFunc([A], body))
    tvm.ir.assert_structural_equal(out.body, tir.SeqStmt([tir.Evaluate(call), tir.Evaluate(call)]))


def test_empty_then_branch_negates_condition():
    A = tir.decl_buffer((16,), name="A")
    i = tir.Var("i", "int32")
    else_case = tir.BufferStore(A, _f32(2.0), [i])
    loop = tir.For(i, 0, 16, ForKind.SERIAL, tir.IfThenElse(i < 4, tir.Evaluate(0), else_case))
    out = _run(tir.PrimFunc([A], loop))
    expected = tir.For(i, 0, 16, ForKind.SERIAL, tir.IfThenElse(tir.Not(i < 4), else_case, None))
    tvm.ir.assert_structural_equal(out.body, expected)


def test_idempotent():
    A = tir.decl_buffer((16,), name="A")
    i = tir.Var("i", "int32")
    loop = tir.For(i, 0, 16, ForKind.SERIAL, tir.SeqStmt([tir.BufferStore(A, _f32(0.0), [i]), tir.Evaluate(0)]))
    once = _run(tir.PrimFunc([A], loop))
    twice = _run(once)
    tvm.ir.assert_structural_equal(once, twice)


# --- written in TVMScript ---------------------------------------------------

from tvm.script import tir as T  # noqa: E402


def _remove(func):
    return tvm.tir.transform.RemoveNoOp()(tvm.IRModule({"main": func}))["main"]


def test_unused_let_is_removed_and_used_one_kept():
    @T.prim_func
    def before(A: T.Buffer((16,), "int32")):
        x: T.int32 = 5
        y: T.int32 = 2
        for i in range(16):
            A[i] = y

    @T.prim_func
    def expected(A: T.Buffer((16,), "int32")):
        y: T.int32 = 2
        for i in range(16):
            A[i] = y

    tvm.ir.assert_structural_equal(_remove(before).body, expected.body)


def test_store_of_own_value_with_proven_equal_index():
    @T.prim_func
    def before(A: T.Buffer((16,), "int32")):
        for io, ii in T.grid(4, 4):
            i: T.int32 = 4 * io + ii
            A[4 * io + ii] = A[i]
        for j in range(16):
            if j == 5:
                A[j] = A[5]

    assert isinstance(_remove(before).body, tvm.tir.Evaluate)


def test_store_of_a_different_element_is_kept():
    @T.prim_func
    def before(A: T.Buffer((16,), "int32")):
        for j in range(15):
            A[j] = A[j + 1]

    assert isinstance(_remove(before).body, tvm.tir.For)


def test_loop_with_provably_empty_range_is_removed():
    @T.prim_func
    def before(A: T.Buffer((16,), "int32")):
        for i in range(16):
            for j in range(i - 20):
                A[i] = j

    assert isinstance(_remove(before).body, tvm.tir.Evaluate)


def test_options():
    @T.prim_func
    def before(A: T.Buffer((16,), "int32")):
        A[0] = 1

    config = {"tir.RemoveNoOp": {"use_dataflow_analysis": True, "max_simplification_steps": 0}}
    with tvm.transform.PassContext(config=config):
        assert isinstance(_remove(before).body, tvm.tir.BufferStore)
    with tvm.transform.PassContext(config={"tir.RemoveNoOp": {"no_such_option": 1}}):
        with pytest.raises(tvm.error.TVMError, match="unknown key 'no_such_option'"):
            _remove(before)


# ---------------------------------------------------------------------------
# use_dataflow_analysis: writes overwritten later, writes of a known value.

DATAFLOW = {"tir.RemoveNoOp": {"use_dataflow_analysis": True}}


def _run_with(func, config):
    with tvm.transform.PassContext(config=config):
        return _run(func)


def _dataflow(stmts, buffers, noalias=False):
    func = tir.PrimFunc(buffers, tir.SeqStmt(stmts))
    if noalias:
        func = func.with_attr("tir.noalias", True)
    with tvm.transform.PassContext(config=DATAFLOW):
        return _run(func).body


def _loop(i, lo, hi, body, cond=None):
    return tir.For(i, lo, hi - lo, ForKind.SERIAL, body if cond is None else tir.IfThenElse(cond, body, None))


def _i32(v):
    return tir.const(v, "int32")


def test_overwritten_loop_is_removed_and_overwriter_kept():
    A = tir.decl_buffer((16,), "int32", name="A")
    i, j = tir.Var("i", "int32"), tir.Var("j", "int32")
    first = _loop(i, 2, 14, tir.BufferStore(A, _i32(1), [i]), cond=i % 2 == 0)
    second = _loop(j, 0, 16, tir.BufferStore(A, j * 3, [j]))
    tvm.ir.assert_structural_equal(_dataflow([first, second], [A]), second)
    # The overwriting loop writes what the first wrote only if its range covers it.
    short = _loop(j, 0, 12, tir.BufferStore(A, j * 3, [j]))  # misses A[12]
    tvm.ir.assert_structural_equal(_dataflow([first, short], [A]), tir.SeqStmt([first, short]))


def test_overwritten_write_kept_when_read_in_between_or_by_overwriter():
    A = tir.decl_buffer((16,), "int32", name="A")
    B = tir.decl_buffer((16,), "int32", name="B")
    i, j, k = (tir.Var(x, "int32") for x in "ijk")
    first = _loop(i, 0, 16, tir.BufferStore(A, _i32(1), [i]))
    read = tir.BufferStore(B, A[3], [0])
    second = _loop(j, 0, 16, tir.BufferStore(A, _i32(2), [j]))
    body = tir.SeqStmt([first, read, second])
    tvm.ir.assert_structural_equal(_dataflow([first, read, second], [A, B], noalias=True), body)
    accumulate = _loop(k, 0, 16, tir.BufferStore(A, A[k] + 1, [k]))
    tvm.ir.assert_structural_equal(_dataflow([first, accumulate], [A]), tir.SeqStmt([first, accumulate]))


def test_parameters_may_alias_unless_noalias():
    A = tir.decl_buffer((16,), "int32", name="A")
    B = tir.decl_buffer((16,), "int32", name="B")
    C = tir.decl_buffer((16,), "int32", name="C")
    i, j, k = (tir.Var(x, "int32") for x in "ijk")
    first = _loop(i, 0, 16, tir.BufferStore(A, _i32(1), [i]))
    copy = _loop(k, 0, 16, tir.BufferStore(C, B[k], [k]))
    second = _loop(j, 0, 16, tir.BufferStore(A, _i32(2), [j]))
    kept = _dataflow([first, copy, second], [A, B, C])
    tvm.ir.assert_structural_equal(kept, tir.SeqStmt([first, copy, second]))
    removed = _dataflow([first, copy, second], [A, B, C], noalias=True)
    tvm.ir.assert_structural_equal(removed, tir.SeqStmt([copy, second]))


def test_known_value_write_is_removed():
    A = tir.decl_buffer((16,), "int32", name="A")
    B = tir.decl_buffer((16,), "int32", name="B")
    i = tir.Var("i", "int32")
    fill = _loop(i, 0, 16, tir.BufferStore(A, i * 2, [i]))
    same = tir.BufferStore(A, _i32(8), [4])
    other = tir.BufferStore(A, _i32(9), [4])
    tvm.ir.assert_structural_equal(_dataflow([fill, same], [A]), fill)
    tvm.ir.assert_structural_equal(_dataflow([fill, other], [A]), tir.SeqStmt([fill, other]))
    # A write to memory that may be A's in between: the value is not known.
    clobber = tir.BufferStore(B, _i32(0), [4])
    tvm.ir.assert_structural_equal(_dataflow([fill, clobber, same], [A, B]), tir.SeqStmt([fill, clobber, same]))
    tvm.ir.assert_structural_equal(_dataflow([fill, clobber, same], [A, B], noalias=True), tir.SeqStmt([fill, clobber]))


def test_duplicate_loops_keep_one():
    A = tir.decl_buffer((16,), "int32", name="A")
    i, j = tir.Var("i", "int32"), tir.Var("j", "int32")
    first = _loop(i, 0, 16, tir.BufferStore(A, i, [i]))
    second = _loop(j, 0, 16, tir.BufferStore(A, j, [j]))
    out = _dataflow([first, second], [A])
    assert isinstance(out, tir.For)


def test_overwritten_store_with_side_effect_keeps_the_call():
    A = tir.decl_buffer((16,), "int32", name="A")
    call = tir.call_extern("int32", "next_value")
    out = _dataflow([tir.BufferStore(A, call, [3]), tir.BufferStore(A, _i32(0), [3])], [A])
    tvm.ir.assert_structural_equal(out, tir.SeqStmt([tir.Evaluate(call), tir.BufferStore(A, _i32(0), [3])]))


def _random_program(rng, A, B):
    """Loops and stores over A (some reading A, some copying A into B), as a list of statements."""
    stmts = []
    for n in range(int(rng.randint(2, 7))):
        kind = rng.randint(0, 4)
        i = tir.Var(f"i{n}", "int32")
        lo = int(rng.randint(0, 8))
        hi = int(rng.randint(lo, 17))
        cond = [None, i < int(rng.randint(0, 17)), i % 2 == 0, i >= int(rng.randint(0, 17))][rng.randint(0, 4)]
        if kind == 0:
            stmts.append(_loop(i, lo, hi, tir.BufferStore(A, i * int(rng.randint(0, 3)) + int(rng.randint(0, 3)), [i]), cond))
        elif kind == 1:
            stmts.append(tir.BufferStore(A, _i32(int(rng.randint(0, 4))), [int(rng.randint(0, 16))]))
        elif kind == 2:
            stmts.append(_loop(i, lo, hi, tir.BufferStore(B, B[i] * 3 + A[i], [i]), cond))
        else:
            stmts.append(_loop(i, lo, hi, tir.BufferStore(A, A[i] + 1, [i]), cond))
    return stmts


def test_dataflow_removal_keeps_results_on_random_programs():
    rng = np.random.RandomState(7)
    removed_any = 0
    for trial in range(80):
        A = tir.decl_buffer((16,), "int32", name="A")
        B = tir.decl_buffer((16,), "int32", name="B")
        func = tir.PrimFunc([A, B], tir.SeqStmt(_random_program(rng, A, B))).with_attr("global_symbol", "main")
        results = []
        removed_any += not tvm.ir.structural_equal(_run(func), _run_with(func, DATAFLOW))
        for dataflow in (False, True):
            with tvm.transform.PassContext(config={"tir.RemoveNoOp": {"use_dataflow_analysis": dataflow}}):
                f = tvm.build(func, target="llvm")
            a = tvm.nd.array(np.arange(16, dtype="int32") * 5 + 1)
            b = tvm.nd.array(np.arange(16, dtype="int32"))
            f(a, b)
            results.append((a.numpy(), b.numpy()))
        np.testing.assert_array_equal(results[0][0], results[1][0], err_msg=str(func))
        np.testing.assert_array_equal(results[0][1], results[1][1], err_msg=str(func))
    assert removed_any >= 5
