# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""tvm.tir.analysis: undefined_vars, verify_ssa, expr_deep_equal,
calculate_allocated_bytes."""
import pytest

import tvm
from tvm import te, tir
from tvm.tir import analysis


def test_expr_deep_equal_compares_vars_by_identity():
    x = tir.Var("x", "int32")
    y = tir.Var("x", "int32")  # same name, another variable
    assert analysis.expr_deep_equal(x * 2 + 1, x * 2 + 1)
    assert not analysis.expr_deep_equal(x * 2 + 1, y * 2 + 1)
    assert tvm.ir.structural_equal(x * 2 + 1, y * 2 + 1, map_free_vars=True)


def test_undefined_vars_in_order_of_use():
    n = tir.Var("n", "int32")
    m = tir.Var("m", "int32")
    i = tir.Var("i", "int32")
    buf = tir.decl_buffer((n,), "float32", name="A")
    body = tir.For(i, 0, m, tir.ForKind.SERIAL, tir.BufferStore(buf, tir.BufferLoad(buf, [i]) + 1.0, [i]))
    undefined = analysis.undefined_vars(body)
    assert [v.name_hint for v in undefined] == ["m", "A", "n"]
    assert undefined[0].same_as(m) and undefined[1].same_as(buf.data) and undefined[2].same_as(n)
    assert [v.name_hint for v in analysis.undefined_vars(body, [m, buf.data])] == ["n"]
    # Let and expressions.
    v = tir.Var("v", "int32")
    assert analysis.undefined_vars(tir.Let(v, n, v + n)) == [n]
    assert [x.name_hint for x in analysis.undefined_vars(i + m)] == ["i", "m"]
    with pytest.raises(TypeError, match="expected a Stmt or a PrimExpr"):
        analysis.undefined_vars(tvm.runtime.convert([1]))


def test_undefined_vars_of_ir_builder_statement():
    ib = tir.ir_builder.create()
    n = te.var("n")
    A = ib.allocate("float32", n, name="A")
    with ib.for_range(0, n, name="i") as i:
        A[i] = tir.const(0.0, "float32")
    assert analysis.undefined_vars(ib.get()) == [n]


def test_verify_ssa():
    n = tir.Var("n", "int32")
    i = tir.Var("i", "int32")
    a = tir.decl_buffer((16,), "int32", name="a")
    loop = tir.For(i, 0, 16, tir.ForKind.SERIAL, tir.BufferStore(a, i, [i]))
    ok = tir.PrimFunc([a.data, n], loop)
    assert analysis.verify_ssa(ok)
    twice = tir.PrimFunc([a.data, n], tir.SeqStmt([loop, loop]))
    assert not analysis.verify_ssa(twice)
    shadow = tir.PrimFunc([a.data, n], tir.LetStmt(n, 1, tir.Evaluate(n)))
    assert not analysis.verify_ssa(shadow)
    with pytest.raises(TypeError, match="expects a tir.PrimFunc"):
        analysis.verify_ssa(loop)


def test_calculate_allocated_bytes():
    ib = tir.ir_builder.create()
    A = ib.allocate("float32", 16, name="A", scope="global")
    B = ib.allocate("int8", (4, 8), name="B", scope="shared")
    A[0] = tir.const(1.0, "float32")
    B[0, 0] = tir.const(1, "int8")
    func = tir.PrimFunc([], ib.get())
    sizes = {str(k): int(v) for k, v in analysis.calculate_allocated_bytes(func).items()}
    assert sizes == {"global": 64, "shared": 32}
    per_func = analysis.calculate_allocated_bytes(tvm.IRModule({"f": func}))
    assert {str(k): int(v) for k, v in per_func["f"].items()} == sizes
    with pytest.raises(TypeError, match="expects a PrimFunc or an IRModule"):
        analysis.calculate_allocated_bytes(3)
