# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""The rewrite and canonical simplifiers: identities of index arithmetic."""
import pytest

import tvm
from tvm import tir
from tvm.tir import floordiv, floormod, truncdiv, truncmod


def _vars(*names):
    return [tir.Var(n, "int32") for n in names]


def check(ana, expr, expected, method="simplify"):
    got = getattr(ana, method)(expr)
    expected = tvm.tir.const(expected, "int32") if isinstance(expected, int) else expected
    assert tvm.ir.structural_equal(got, expected), f"{expr} -> {got}, expected {expected}"


def test_constant_folding():
    ana = tvm.arith.Analyzer()
    check(ana, tir.Add(tir.IntImm("int32", 2), tir.IntImm("int32", 3)), 5)
    check(ana, tir.FloorDiv(tir.IntImm("int32", -7), tir.IntImm("int32", 2)), -4)
    check(ana, tir.FloorMod(tir.IntImm("int32", -7), tir.IntImm("int32", 2)), 1)
    check(ana, tir.Div(tir.IntImm("int32", -7), tir.IntImm("int32", 2)), -3)
    check(ana, tir.Mod(tir.IntImm("int32", -7), tir.IntImm("int32", 2)), -1)


def test_add_sub_mul():
    ana = tvm.arith.Analyzer()
    x, y = _vars("x", "y")
    check(ana, tir.Add(x, tir.IntImm("int32", 0)), x, "rewrite_simplify")
    check(ana, tir.Mul(x, tir.IntImm("int32", 1)), x, "rewrite_simplify")
    check(ana, tir.Mul(x, tir.IntImm("int32", 0)), 0, "rewrite_simplify")
    check(ana, tir.Sub(x, x), 0, "rewrite_simplify")
    check(ana, (x + 1) + 2, x + 3, "rewrite_simplify")
    check(ana, (x - y) + y, x, "rewrite_simplify")
    check(ana, x * 3 + x * 4, x * 7, "rewrite_simplify")


def test_canonical_form():
    ana = tvm.arith.Analyzer()
    x, y, z = _vars("x", "y", "z")
    check(ana, (x + y * 4 + 2) - (y * 4 + x), 2, "canonical_simplify")
    check(ana, x * 3 - 4 * x + 1, 1 - x, "canonical_simplify")
    check(ana, y + x * 3 - 5 * x + 1 + y, y * 2 + 1 - x * 2, "canonical_simplify")
    check(ana, 2 + (3 * x + z + y + 1) * 4 + x, x * 13 + z * 4 + y * 4 + 6, "canonical_simplify")
    # The same value written two ways gives the same form.
    a = ana.canonical_simplify((x + 1) * 4 + y * 2 - 3)
    b = ana.canonical_simplify(y * 2 + x * 4 + 1)
    assert tvm.ir.structural_equal(a, b)


def test_floordiv_floormod():
    ana = tvm.arith.Analyzer()
    x, y = _vars("x", "y")
    ana.bind(y, tvm.ir.Range(0, 4))
    check(ana, floordiv(x * 4 + y, 4), x)
    check(ana, floormod(x * 4 + y, 4), y)
    check(ana, floordiv(x * 8, 4), x * 2)
    check(ana, floordiv(x * 4, 8), floordiv(x, 2))
    check(ana, floormod(x * 8, 4), 0)
    check(ana, floormod(x * 4, 8), floormod(x, 2) * 4)
    check(ana, floordiv(x, 1), x)
    check(ana, floormod(x, 1), 0)
    check(ana, floordiv(floordiv(x, 4), 8), floordiv(x, 32))
    check(ana, floordiv(x * 4 - 1, 4), x - 1)
    check(ana, floormod(x * 4 - 1, 4), 3)


def test_floor_and_trunc_with_negative_values():
    ana = tvm.arith.Analyzer()
    k, m, x = _vars("k", "m", "x")
    ana.bind(k, tvm.ir.Range.from_min_extent(-3, 4))  # [-3, 0]
    ana.bind(m, tvm.ir.Range.from_min_extent(-4, 4))  # [-4, -1]
    check(ana, truncdiv(k, 4), 0)
    check(ana, truncmod(k, 4), k)
    check(ana, floordiv(m, 4), -1)
    check(ana, floormod(m, 4), m + 4)
    # x may be negative: truncdiv(x * 4 - 1, 4) is not x - 1 (it is x for x >= 1).
    out = ana.simplify(truncdiv(x * 4 - 1, 4))
    assert not tvm.ir.structural_equal(out, x - 1)
    check(ana, truncdiv(x * 4, 4), x)


def test_split_fuse_index_patterns():
    ana = tvm.arith.Analyzer()
    io, ii, x, f = _vars("i_outer", "i_inner", "x", "fused")
    ana.bind(io, tvm.ir.Range(0, 8))
    ana.bind(ii, tvm.ir.Range(0, 32))
    i = io * 32 + ii
    check(ana, floordiv(i, 32), io)
    check(ana, floormod(i, 32), ii)
    check(ana, floordiv(i, 64), floordiv(io, 2))
    check(ana, floordiv(i, 32) * 32 + floormod(i, 32), i)
    check(ana, floordiv(x, 8) * 8 + floormod(x, 8), x, "canonical_simplify")
    ana.bind(f, tvm.ir.Range(0, 12))
    check(ana, floordiv(f, 4) * 4 + floormod(f, 4), f)


def test_min_max_and_comparisons():
    ana = tvm.arith.Analyzer()
    i, x, y = _vars("i", "x", "y")
    ana.bind(i, tvm.ir.Range(0, 16))
    check(ana, tir.Min(i, tir.IntImm("int32", 20)), i)
    check(ana, tir.Max(i, tir.IntImm("int32", 20)), 20)
    check(ana, tir.Min(x, x + 1), x)
    check(ana, i < 16, tir.const(True))
    check(ana, i >= 16, tir.const(False))
    check(ana, x + 3 < 10, x < 7)
    check(ana, x * 4 < 10, x < 3)
    check(ana, x * 2 == 5, tir.const(False))
    check(ana, x > y, y < x)


def test_logic_and_select():
    ana = tvm.arith.Analyzer()
    i, x, y, z = _vars("i", "x", "y", "z")
    c = x < y
    check(ana, tir.And(c, tir.Not(c)), tir.const(False))
    check(ana, tir.Or(c, tir.Not(c)), tir.const(True))
    check(ana, tir.And(x < 3, x > 5), tir.const(False))
    check(ana, tir.Not(x < y), y <= x)
    ana.bind(i, tvm.ir.Range(0, 8))
    check(ana, tir.Select(i < 8, x, y), x)
    check(ana, tir.Select(x < y, z, z), z)


def test_constraint_scope():
    ana = tvm.arith.Analyzer()
    x, n = _vars("x", "n")
    with ana.constraint_scope(x < n):
        check(ana, x < n, tir.const(True))
        check(ana, n <= x, tir.const(False))
    check(ana, x < n, x < n)
    with ana.constraint_scope(tir.all(x >= 0, x < 4)):
        assert ana.can_prove(x < 5)
        check(ana, floordiv(x + n * 4, 4), n)
    assert not ana.can_prove(x < 5)
    with ana.constraint_scope(x == 4):
        # Known as bounds, not substituted (an index stays x inside `if x == 4`).
        check(ana, x + 1, x + 1)
        assert ana.can_prove(x + 1 == 5)


def test_bind_expression_and_update():
    ana = tvm.arith.Analyzer()
    x, z = _vars("x", "z")
    ana.bind(z, x * 4 + 1)
    check(ana, z - x * 4, 1)
    check(ana, floormod(z, 4), 1)
    with pytest.raises(tvm.TVMError):
        ana.bind(z, x)
    ana.update(x, tvm.arith.ConstIntBound(0, 3))
    assert ana.const_int_bound(x).max_value == 3
    with pytest.raises(tvm.TVMError):
        ana.update(x, tvm.arith.ConstIntBound(0, 5))
    ana.update(x, tvm.arith.ConstIntBound(0, 5), override=True)
    assert ana.const_int_bound(x).max_value == 5


def test_vector_forms():
    ana = tvm.arith.Analyzer()
    x, y = _vars("x", "y")
    one = tir.IntImm("int32", 1)
    check(ana, tir.Ramp(x, one, 4) + tir.Ramp(y, tir.IntImm("int32", 2), 4), tir.Ramp(x + y, 3, 4))
    check(ana, tir.Broadcast(x, 4) + tir.Broadcast(y, 4), tir.Broadcast(x + y, 4))
    check(ana, tir.Ramp(x, one, 4) + tir.Broadcast(y, 4), tir.Ramp(x + y, 1, 4))
    check(ana, floordiv(tir.Ramp(x * 4, one, 4), tir.Broadcast(tir.IntImm("int32", 4), 4)), tir.Broadcast(x, 4))
    check(ana, floormod(tir.Ramp(x * 4, one, 4), tir.Broadcast(tir.IntImm("int32", 4), 4)), tir.Ramp(0, 1, 4))


def test_can_prove():
    ana = tvm.arith.Analyzer()
    i, n, x = _vars("i", "n", "x")
    ana.bind(i, tvm.ir.Range(0, 10))
    assert ana.can_prove(i < 10)
    assert not ana.can_prove(x < 10)
    assert ana.can_prove_equal(x * 2 + x, x * 3)
    k = tir.Var("k", "int32")
    ana.bind(k, tvm.ir.Range(0, n))
    # The binding itself is a known comparison (k < 0 + n), as in TVM.
    assert ana.can_prove(k < n)
    assert ana.can_prove(k < n, tvm.arith.ProofStrength.SYMBOLIC_BOUND)
    m = tir.Var("m", "int32")
    assert not ana.can_prove(k < m)
    assert ana.can_prove(k < n + 1)
    assert not ana.can_prove(k < n - 1)


def test_python_ints_are_accepted():
    ana = tvm.arith.Analyzer()
    assert ana.simplify(3).value == 3
    assert ana.const_int_bound(7).min_value == 7


def test_errors_name_the_problem():
    ana = tvm.arith.Analyzer()
    with pytest.raises(ValueError, match="undefined"):
        ana.simplify(None)
    with pytest.raises(ValueError, match="const_int_bound"):
        ana.const_int_bound(None)
    with pytest.raises(TypeError):
        ana.simplify("x + 1")
    with pytest.raises(TypeError):
        ana.update(tir.Var("x", "int32"), 3)
