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


def test_tvm_config_options_accepted_when_off():
    # TVM's optional analyses may be named, switched off (their default);
    # switched on, or misspelt, they are refused by name.
    n = tvm.tir.Var("n", "int32")
    func = tvm.tir.PrimFunc([n], tvm.tir.Evaluate(n + 0))
    mod = tvm.IRModule({"main": func})
    off = {"tir.Simplify": {"transitively_prove_inequalities": False, "convert_boolean_to_and_of_ors": False}}
    with tvm.transform.PassContext(config=off):
        out = tvm.tir.transform.Simplify()(mod)
    tvm.ir.assert_structural_equal(out["main"].body, tvm.tir.Evaluate(n))
    with tvm.transform.PassContext(config={"tir.Simplify": {"transitively_prove_inequalities": True}}):
        with pytest.raises(ValueError, match="transitively_prove_inequalities is not supported"):
            tvm.tir.transform.Simplify()(mod)
    with tvm.transform.PassContext(config={"tir.Simplify": {"no_such_option": False}}):
        with pytest.raises(ValueError, match="unknown key 'no_such_option'"):
            tvm.tir.transform.Simplify()(mod)
