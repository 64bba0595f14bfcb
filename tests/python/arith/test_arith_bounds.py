# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Constant integer bounds and modular sets."""
import tvm
from tvm import tir
from tvm.tir import floordiv, floormod, truncdiv, truncmod

POS_INF = tvm.arith.ConstIntBound.POS_INF
NEG_INF = tvm.arith.ConstIntBound.NEG_INF


def _bound(ana, expr):
    b = ana.const_int_bound(expr)
    return b.min_value, b.max_value


def test_dtype_ranges():
    ana = tvm.arith.Analyzer()
    assert _bound(ana, tir.Var("x", "int32")) == (-(2**31), 2**31 - 1)
    assert _bound(ana, tir.Var("x", "int64")) == (NEG_INF, POS_INF)
    assert _bound(ana, tir.Var("x", "uint8")) == (0, 255)
    assert _bound(ana, tir.Var("b", "bool")) == (0, 1)
    assert _bound(ana, tir.SizeVar("n", "int32")) == (0, tvm.arith.ConstIntBound.POS_INF)
    assert _bound(ana, tir.Var("x", "int32") < 3) == (0, 1)


def test_arithmetic():
    ana = tvm.arith.Analyzer()
    x, y = tir.Var("x", "int32"), tir.Var("y", "int32")
    ana.update(x, tvm.arith.ConstIntBound(-3, 5))
    ana.update(y, tvm.arith.ConstIntBound(2, 4))
    assert _bound(ana, x + y) == (-1, 9)
    assert _bound(ana, x - y) == (-7, 3)
    assert _bound(ana, x * y) == (-12, 20)
    assert _bound(ana, floordiv(x, y)) == (-2, 2)
    assert _bound(ana, truncdiv(x, y)) == (-1, 2)
    assert _bound(ana, floormod(x, y)) == (0, 3)
    assert _bound(ana, truncmod(x, y)) == (-3, 3)
    assert _bound(ana, tir.Min(x, y)) == (-3, 4)
    assert _bound(ana, tir.Max(x, y)) == (2, 5)
    assert _bound(ana, tir.Select(x < 0, x, y)) == (-3, 5)
    assert _bound(ana, floormod(x, 8)) == (0, 7)
    assert _bound(ana, tir.Cast("int64", x)) == (-3, 5)


def test_infinities_saturate():
    ana = tvm.arith.Analyzer()
    x = tir.Var("x", "int64")
    ana.update(x, tvm.arith.ConstIntBound(0, POS_INF))
    assert _bound(ana, x + 1) == (1, POS_INF)
    assert _bound(ana, x * -2) == (NEG_INF, 0)
    assert _bound(ana, floordiv(x, 4)) == (0, POS_INF)


def test_bind_range_and_constraints():
    ana = tvm.arith.Analyzer()
    i, x = tir.Var("i", "int32"), tir.Var("x", "int32")
    ana.bind(i, tvm.ir.Range(0, 16))
    assert _bound(ana, i * 2 + 1) == (1, 31)
    assert ana.const_int_bound_is_bound(i)
    with ana.constraint_scope(tir.all(x >= 2, x < 10)):
        assert _bound(ana, x) == (2, 9)
    with ana.constraint_scope(i < 4):
        assert _bound(ana, i) == (0, 3)
    assert _bound(ana, i) == (0, 15)
    # Bounds of a whole expression from a constraint.
    with ana.constraint_scope(x * 2 < 7):
        assert _bound(ana, x * 2)[1] == 6


def test_modular_set():
    ana = tvm.arith.Analyzer()
    x, y = tir.Var("x", "int32"), tir.Var("y", "int32")

    def mod(e):
        m = ana.modular_set(e)
        return m.coeff, m.base

    assert mod(x * 4 + 2) == (4, 2)
    assert mod((x * 8 + 4) * 3) == (24, 12)
    assert mod(x * 4 + y * 6) == (2, 0)
    assert mod(floordiv(x * 8 + 4, 4)) == (2, 1)
    assert mod(floormod(x * 6 + 1, 4)) == (2, 1)
    assert mod(x * 4 - 1) == (4, 3)
    assert mod(tir.IntImm("int32", 7)) == (0, 7)
    assert mod(x) == (1, 0)
    with ana.constraint_scope(floormod(x, 3) == 1):
        assert mod(x) == (3, 1)
        assert mod(x * 2) == (6, 2)
    assert mod(x) == (1, 0)
