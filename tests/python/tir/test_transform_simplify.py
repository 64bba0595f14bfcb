# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Simplify: the Analyzer over statements, with loop ranges and conditions known."""
import pytest

import tvm
from tvm import tir
from tvm.tir import ForKind


def _run(func):
    return tvm.tir.transform.Simplify()(tvm.IRModule({"main": func}))["main"]


def _split_guard(total):
    A = tir.decl_buffer((1024,), name="A")
    B = tir.decl_buffer((1024,), name="B")
    io, ii = tir.Var("i_outer", "int32"), tir.Var("i_inner", "int32")
    index = io * 32 + ii
    store = tir.BufferStore(B, A[index], [index])
    guarded = tir.IfThenElse(tir.likely(index < total), store, None)
    loop = tir.For(io, 0, 32, ForKind.SERIAL, tir.For(ii, 0, 32, ForKind.SERIAL, guarded))
    return tir.PrimFunc([A, B], loop), io, ii, store


def test_guard_of_dividing_split_is_removed():
    func, io, ii, store = _split_guard(1024)
    out = _run(func)
    expected = tir.For(io, 0, 32, ForKind.SERIAL, tir.For(ii, 0, 32, ForKind.SERIAL, store))
    tvm.ir.assert_structural_equal(out.body, expected)


def test_guard_that_may_fail_is_kept():
    func, io, ii, store = _split_guard(1000)
    out = _run(func)
    assert isinstance(out.body.body.body, tir.IfThenElse)


def test_condition_known_inside_if():
    A = tir.decl_buffer((16,), name="A")
    i = tir.Var("i", "int32")
    inner = tir.IfThenElse(i < 8, tir.BufferStore(A, tir.const(1.0, "float32"), [i]), None)
    body = tir.For(i, 0, 16, ForKind.SERIAL, tir.IfThenElse(i < 4, inner, None))
    out = _run(tir.PrimFunc([A], body))
    expected = tir.For(
        i, 0, 16, ForKind.SERIAL, tir.IfThenElse(i < 4, tir.BufferStore(A, tir.const(1.0, "float32"), [i]), None)
    )
    tvm.ir.assert_structural_equal(out.body, expected)


def test_index_arithmetic_is_simplified_with_loop_ranges():
    A = tir.decl_buffer((64,), name="A")
    x, y = tir.Var("x", "int32"), tir.Var("y", "int32")
    index = tir.floordiv(x * 4 + y, 4) * 4 + tir.floormod(x * 4 + y, 4)
    body = tir.For(x, 0, 16, ForKind.SERIAL, tir.For(y, 0, 4, ForKind.SERIAL, tir.BufferStore(A, tir.const(0.0, "float32"), [index])))
    out = _run(tir.PrimFunc([A], body))
    store = out.body.body.body
    tvm.ir.assert_structural_equal(store.indices[0], x * 4 + y)


def test_let_of_constant_is_substituted():
    A = tir.decl_buffer((16,), name="A")
    v = tir.Var("v", "int32")
    body = tir.LetStmt(v, 3, tir.BufferStore(A, tir.const(1.0, "float32"), [v + 1]))
    out = _run(tir.PrimFunc([A], body))
    tvm.ir.assert_structural_equal(out.body, tir.BufferStore(A, tir.const(1.0, "float32"), [4]))


def test_idempotent():
    func, _, _, _ = _split_guard(1000)
    once = _run(func)
    tvm.ir.assert_structural_equal(_run(once), once)


# --- written in TVMScript ---------------------------------------------------

from tvm.script import tir as T  # noqa: E402


def _simplify(func):
    return tvm.tir.transform.Simplify()(tvm.IRModule({"main": func}))["main"]


def test_store_of_the_loaded_value_becomes_a_no_op():
    @T.prim_func
    def before(A: T.Buffer((4,), "float32"), n: T.int32):
        A[n * 2 - n] = A[n]
        A[1] = A[0]

    after = _simplify(before)
    # The first store writes what it read (after simplification); the second does not.
    assert isinstance(after.body, tvm.tir.BufferStore)
    assert after.body.indices[0].value == 1


def test_options_are_accepted_and_unknown_keys_refused():
    @T.prim_func
    def before(A: T.Buffer((4,), "int32")):
        A[0] = 1 + 1

    options = [
        "transitively_prove_inequalities",
        "convert_boolean_to_and_of_ors",
        "apply_constraints_to_boolean_branches",
        "propagate_knowns_to_prove_conditional",
        "propagate_knowns_to_simplify_expressions",
    ]
    for value in [False, True]:
        with tvm.transform.PassContext(config={"tir.Simplify": {name: value for name in options}}):
            assert _simplify(before).body.value.value == 2
    with tvm.transform.PassContext(config={"tir.Simplify": {"prove_everything": True}}):
        with pytest.raises(AttributeError, match="prove_everything"):
            _simplify(before)


def test_let_used_by_a_buffer_definition_stays():
    @T.prim_func
    def before(A_ptr: T.handle("float32"), n: T.int32):
        ptr: T.handle("float32") = A_ptr
        offset: T.int32 = n
        A = T.decl_buffer((1,), "float32", data=ptr, elem_offset=offset)
        A[0] = T.float32(42)

    tvm.ir.assert_structural_equal(_simplify(before), before)


def test_nested_thread_scopes_must_agree_on_the_extent():
    A = tir.decl_buffer((64,), name="A")
    tx = tvm.te.thread_axis("threadIdx.x")
    store = tir.BufferStore(A, tir.const(1.0, "float32"), [tx.var])

    def run(outer, inner, sequential=False):
        first = tir.AttrStmt(tx, "thread_extent", outer, store)
        second = tir.AttrStmt(tx, "thread_extent", inner, store)
        body = tir.SeqStmt([first, second]) if sequential else tir.AttrStmt(tx, "thread_extent", outer, second)
        mod = tvm.IRModule({"main": tir.PrimFunc([A], body)})
        return tvm.tir.transform.Simplify()(mod)

    run(32, 32)
    run(32, 33, sequential=True)  # two kernels, each with its own launch
    with pytest.raises(ValueError, match=r"Inconsistent thread_extent: threadIdx.x .* 33 .* 32"):
        run(32, 33)
