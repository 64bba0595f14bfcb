# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""HoistIfThenElse: a loop-invariant condition is tested once around the loops
it does not depend on; exact IR, and the same values as before on the CPU."""
import numpy as np
import tvm
import tvm.testing
from tvm import te, tir
from tvm.tir import ForKind


def _hoist(body, params):
    mod = tvm.IRModule({"main": tir.PrimFunc(params, body)})
    return tvm.tir.transform.HoistIfThenElse()(mod)["main"].body


def _loop(var, extent, body):
    return tir.For(var, 0, extent, ForKind.SERIAL, body)


def test_condition_moves_out_of_the_loops_it_does_not_use():
    A = tir.decl_buffer((64,), name="A")
    i, j, n = tir.Var("i", "int32"), tir.Var("j", "int32"), tir.Var("n", "int32")
    store = tir.BufferStore(A, tir.const(1.0, "float32"), [i * 8 + j])
    cond = tir.likely(i < n)
    body = _loop(i, 8, _loop(j, 8, tir.IfThenElse(cond, store, None)))
    out = _hoist(body, [A, n])
    tvm.ir.assert_structural_equal(out, _loop(i, 8, tir.IfThenElse(cond, _loop(j, 8, store), None)))
    # Out of both loops when neither is used.
    body = _loop(i, 8, _loop(j, 8, tir.IfThenElse(tir.LT(3, n), store, None)))
    tvm.ir.assert_structural_equal(_hoist(body, [A, n]), tir.IfThenElse(tir.LT(3, n), _loop(i, 8, _loop(j, 8, store)), None))


def test_if_else_splits_the_loop():
    A = tir.decl_buffer((8,), name="A")
    i, n = tir.Var("i", "int32"), tir.Var("n", "int32")
    one = tir.BufferStore(A, tir.const(1.0, "float32"), [i])
    two = tir.BufferStore(A, tir.const(2.0, "float32"), [i])
    out = _hoist(_loop(i, 8, tir.IfThenElse(tir.LT(3, n), one, two)), [A, n])
    tvm.ir.assert_structural_equal(out, tir.IfThenElse(tir.LT(3, n), _loop(i, 8, one), _loop(i, 8, two)))


def test_what_stays():
    A = tir.decl_buffer((8,), name="A")
    B = tir.decl_buffer((8,), "int32", name="B")
    i, n, m = tir.Var("i", "int32"), tir.Var("n", "int32"), tir.Var("m", "int32")
    store = tir.BufferStore(A, tir.const(1.0, "float32"), [i])
    other = tir.BufferStore(A, tir.const(2.0, "float32"), [0])
    cases = [
        # uses the loop variable
        _loop(i, 8, tir.IfThenElse(i < n, store, None)),
        # reads memory: the value may change inside the loop
        _loop(i, 8, tir.IfThenElse(tir.LT(0, B[0]), store, None)),
        # covers only part of the body
        _loop(i, 8, tir.SeqStmt([tir.IfThenElse(tir.LT(3, n), store, None), other])),
        # uses a variable bound inside the loop
        _loop(i, 8, tir.LetStmt(m, n * 2, tir.IfThenElse(tir.LT(3, m), store, None))),
    ]
    for body in cases:
        # The loop stays outermost (Simplify may still rewrite what is inside).
        out = _hoist(body, [A, B, n])
        assert isinstance(out, tir.For), out
    # Never out of a thread scope.
    tx = te.thread_axis("threadIdx.x")
    body = tir.AttrStmt(tx, "thread_extent", 8, tir.IfThenElse(tir.LT(3, n), store, None))
    body = _loop(i, 8, body)
    tvm.ir.assert_structural_equal(_hoist(body, [A, n]), body)


def test_block_scopes_only_with_the_option():
    A = tir.decl_buffer((64,), name="A")
    i, j, n = tir.Var("i", "int32"), tir.Var("j", "int32"), tir.Var("n", "int32")
    tx = te.thread_axis("threadIdx.x")
    store = tir.BufferStore(A, tir.const(1.0, "float32"), [i * 8 + j])
    # A condition on the thread variable, below the thread scope: it stays by
    # default, and moves out of both loops (not out of the scope that binds
    # tx) with the option.
    cond = tx.var < 3
    loops = _loop(i, 8, _loop(j, 8, tir.IfThenElse(cond, store, None)))
    body = tir.AttrStmt(tx, "thread_extent", 8, loops)
    tvm.ir.assert_structural_equal(_hoist(body, [A, n]), body)
    with tvm.transform.PassContext(config={"tir.HoistIfThenElse": {"support_block_scope_hosting": True}}):
        out = _hoist(body, [A, n])
    want = tir.AttrStmt(tx, "thread_extent", 8, tir.IfThenElse(cond, _loop(i, 8, _loop(j, 8, store)), None))
    tvm.ir.assert_structural_equal(out, want)
    # A condition free of tx, inside the thread scope: out of the scope (and
    # the loop around it) only with the option.
    cond = tir.LT(3, n)
    body = _loop(i, 8, tir.AttrStmt(tx, "thread_extent", 8, _loop(j, 8, tir.IfThenElse(cond, store, None))))
    out = _hoist(body, [A, n])
    tvm.ir.assert_structural_equal(
        out, _loop(i, 8, tir.AttrStmt(tx, "thread_extent", 8, tir.IfThenElse(cond, _loop(j, 8, store), None)))
    )
    with tvm.transform.PassContext(config={"tir.HoistIfThenElse": {"support_block_scope_hosting": 1}}):
        out = _hoist(body, [A, n])
    tvm.ir.assert_structural_equal(
        out, tir.IfThenElse(cond, _loop(i, 8, tir.AttrStmt(tx, "thread_extent", 8, _loop(j, 8, store))), None)
    )


def test_pragma_scope_variable_is_a_block_variable():
    # A pragma on a loop makes its variable a block variable inside: a
    # condition on it stays by default.
    A = tir.decl_buffer((64,), name="A")
    i, j = tir.Var("i", "int32"), tir.Var("j", "int32")
    iv = tir.IterVar(None, i, tir.IterVar.DataPar)
    store = tir.BufferStore(A, tir.const(1.0, "float32"), [i * 8 + j])
    inner = _loop(j, 8, tir.IfThenElse(tir.likely(i < 5), store, None))
    body = tir.AttrStmt(iv, "pragma_unroll", 1, _loop(i, 8, inner))
    tvm.ir.assert_structural_equal(_hoist(body, [A]), body)
    with tvm.transform.PassContext(config={"tir.HoistIfThenElse": {"support_block_scope_hosting": 1}}):
        out = _hoist(body, [A])
    want = tir.AttrStmt(iv, "pragma_unroll", 1, _loop(i, 8, tir.IfThenElse(tir.likely(i < 5), _loop(j, 8, store), None)))
    tvm.ir.assert_structural_equal(out, want)


def test_lowered_uneven_split_tests_once_per_row_and_computes_the_same():
    A = te.placeholder((10, 12), name="A")
    B = te.compute((10, 12), lambda i, j: A[i, j] * 2.0, name="B")
    s = te.create_schedule(B.op)
    io, ii = s[B].split(B.op.axis[0], 4)
    body = tvm.lower(s, [A, B])["main"].body
    # for io: for ii: if likely(io * 4 + ii < 10): for j: ...
    assert isinstance(body.body.body, tir.IfThenElse)
    assert isinstance(body.body.body.then_case, tir.For)
    f = tvm.build(s, [A, B])
    a = tvm.nd.array(np.random.rand(10, 12).astype("float32"))
    b = tvm.nd.empty((10, 12), "float32")
    f(a, b)
    np.testing.assert_allclose(b.numpy(), a.numpy() * 2.0)
