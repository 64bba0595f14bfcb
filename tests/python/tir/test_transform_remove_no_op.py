# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""RemoveNoOp: statements without effect disappear, effects stay."""
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


def test_options_dataflow_analysis_refused():
    @T.prim_func
    def before(A: T.Buffer((16,), "int32")):
        A[0] = 1

    config = {"tir.RemoveNoOp": {"use_dataflow_analysis": False, "max_simplification_steps": 0}}
    with tvm.transform.PassContext(config=config):
        assert isinstance(_remove(before).body, tvm.tir.BufferStore)
    config = {"tir.RemoveNoOp": {"use_dataflow_analysis": True}}
    with tvm.transform.PassContext(config=config):
        with pytest.raises(tvm.error.TVMError, match="use_dataflow_analysis is not supported"):
            _remove(before)
    with tvm.transform.PassContext(config={"tir.RemoveNoOp": {"no_such_option": 1}}):
        with pytest.raises(tvm.error.TVMError, match="unknown key 'no_such_option'"):
            _remove(before)
