# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""UnrollLoop: explicit unrolling, auto unrolling by config and pragmas."""
import pytest

import tvm
from tvm import tir
from tvm.tir import ForKind


def _run(func, config=None):
    with tvm.transform.PassContext(config=config or {}):
        return tvm.tir.transform.UnrollLoop()(tvm.IRModule({"main": func}))["main"]


def _copy_loop(kind, extent=3):
    A = tir.decl_buffer((16,), name="A")
    B = tir.decl_buffer((16,), name="B")
    j = tir.Var("j", "int32")
    return A, B, j, tir.For(j, 0, extent, kind, tir.BufferStore(B, A[j], [j]))


def test_unrolled_loop_becomes_copies():
    A, B, j, loop = _copy_loop(ForKind.UNROLLED)
    out = _run(tir.PrimFunc([A, B], loop))
    expected = tir.SeqStmt([tir.BufferStore(B, A[k], [k]) for k in range(3)])
    tvm.ir.assert_structural_equal(out.body, expected)


def test_loop_min_is_added():
    A = tir.decl_buffer((16,), name="A")
    j = tir.Var("j", "int32")
    loop = tir.For(j, 2, 2, ForKind.UNROLLED, tir.BufferStore(A, tir.const(0.0, "float32"), [j]))
    out = _run(tir.PrimFunc([A], loop))
    expected = tir.SeqStmt([tir.BufferStore(A, tir.const(0.0, "float32"), [k]) for k in (2, 3)])
    tvm.ir.assert_structural_equal(out.body, expected)


def test_serial_loop_kept_by_default_and_unrolled_by_auto_max_step():
    A, B, j, loop = _copy_loop(ForKind.SERIAL, extent=4)
    func = tir.PrimFunc([A, B], loop)
    tvm.ir.assert_structural_equal(_run(func).body, loop)
    out = _run(func, {"tir.UnrollLoop": {"auto_max_step": 4}})
    tvm.ir.assert_structural_equal(out.body, tir.SeqStmt([tir.BufferStore(B, A[k], [k]) for k in range(4)]))
    # 4 iterations * 1 statement > 3: too big.
    tvm.ir.assert_structural_equal(_run(func, {"tir.UnrollLoop": {"auto_max_step": 3}}).body, loop)


def test_auto_unroll_skips_loops_around_normal_loops():
    A = tir.decl_buffer((16, 16), name="A")
    i, j = tir.Var("i", "int32"), tir.Var("j", "int32")
    inner = tir.For(j, 0, 16, ForKind.SERIAL, tir.BufferStore(A, tir.const(0.0, "float32"), [i, j]))
    outer = tir.For(i, 0, 2, ForKind.SERIAL, inner)
    out = _run(tir.PrimFunc([A], outer), {"tir.UnrollLoop": {"auto_max_step": 2}})
    tvm.ir.assert_structural_equal(out.body, outer)


def test_explicit_unroll_off_marks_loops():
    A, B, j, loop = _copy_loop(ForKind.SERIAL, extent=4)
    out = _run(tir.PrimFunc([A, B], loop), {"tir.UnrollLoop": {"auto_max_step": 8, "explicit_unroll": 0}})
    tvm.ir.assert_structural_equal(out.body, tir.For(j, 0, 4, ForKind.UNROLLED, tir.BufferStore(B, A[j], [j])))


def test_pragma_auto_unroll_max_step_is_used_and_removed():
    A, B, j, loop = _copy_loop(ForKind.SERIAL, extent=4)
    body = tir.AttrStmt(j, "pragma_auto_unroll_max_step", 16, loop)
    out = _run(tir.PrimFunc([A, B], body))
    tvm.ir.assert_structural_equal(out.body, tir.SeqStmt([tir.BufferStore(B, A[k], [k]) for k in range(4)]))


def test_non_constant_unrolled_loop_is_an_error():
    A = tir.decl_buffer((16,), name="A")
    n = tir.Var("n", "int32")
    j = tir.Var("j_inner", "int32")
    loop = tir.For(j, 0, n, ForKind.UNROLLED, tir.BufferStore(A, tir.const(0.0, "float32"), [j]))
    with pytest.raises(tvm.error.TVMError, match="j_inner.*not a constant"):
        _run(tir.PrimFunc([A, n], loop))


def test_extent_simplified_before_unrolling():
    # (n + 2) - n is a constant 2 once simplified.
    n = tir.SizeVar("n", "int32")
    A = tir.decl_buffer((16,), name="A")
    j = tir.Var("j", "int32")
    loop = tir.For(j, 0, (n + 2) - n, ForKind.SERIAL, tir.BufferStore(A, tir.const(0.0, "float32"), [j]))
    out = _run(tir.PrimFunc([A], loop), {"tir.UnrollLoop": {"auto_max_step": 16}})
    expected = tir.SeqStmt([tir.BufferStore(A, tir.const(0.0, "float32"), [k]) for k in (0, 1)])
    tvm.ir.assert_structural_equal(out.body, expected)


def test_single_iteration_loop_removed_when_auto_max_extent_is_one():
    # Removed even with explicit_unroll off and a normal loop inside.
    A = tir.decl_buffer((16,), name="A")
    i = tir.Var("i", "int32")
    j = tir.Var("j", "int32")
    inner = tir.For(j, 0, 10, ForKind.SERIAL, tir.BufferStore(A, tir.const(1.0, "float32"), [j + i]))
    loop = tir.For(i, 0, 1, ForKind.SERIAL, inner)
    cfg = {"tir.UnrollLoop": {"auto_max_extent": 1, "explicit_unroll": False}}
    out = _run(tir.PrimFunc([A], loop), cfg)
    expected = tir.For(j, 0, 10, ForKind.SERIAL, tir.BufferStore(A, tir.const(1.0, "float32"), [tir.Add(j, tir.const(0, "int32"))]))
    tvm.ir.assert_structural_equal(out.body, expected)


def test_local_access_unrolls_only_loops_indexing_local_buffers():
    data = tir.Var("A_local", tvm.ir.PointerType(tvm.ir.PrimType("float32"), "local"))
    L = tir.decl_buffer((4,), "float32", name="A_local", data=data, scope="local")
    t = tir.Var("t", "int32")
    i = tir.Var("i", "int32")
    store = tir.BufferStore(L, tir.Cast("float32", t), [i])
    inner = tir.For(i, 0, 4, ForKind.SERIAL, store)
    outer = tir.For(t, 0, 4, ForKind.SERIAL, inner)
    func = tir.PrimFunc([], tir.Allocate(data, "float32", [4], tir.const(1, "bool"), outer))
    cfg = {"tir.UnrollLoop": {"auto_max_depth": 0, "unroll_local_access": True}}
    out = _run(func, cfg)
    expected_inner = tir.SeqStmt([tir.BufferStore(L, tir.Cast("float32", t), [k]) for k in range(4)])
    tvm.ir.assert_structural_equal(out.body.body, tir.For(t, 0, 4, ForKind.SERIAL, expected_inner))
