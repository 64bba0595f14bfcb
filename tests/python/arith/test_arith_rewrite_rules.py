# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Rewrite rules of the rule-based simplifier: exact result forms.

Each case is (expression, expected form[, constraint]). Besides the exact form,
every case is checked numerically: the expression and its simplification agree
at sample points where the constraint holds.
"""
import itertools

import pytest

import tvm
from tvm import tir
from tvm.tir import floordiv as fld, floormod as flm, truncdiv as tdiv, truncmod as tmod

x, y, z = (tir.Var(n, "int32") for n in "xyz")


def _eval(e, env):
    if isinstance(e, tir.IntImm):
        return int(e.value)
    if isinstance(e, tir.Var):
        return env[e.name_hint]
    if isinstance(e, tir.Not):
        return int(not _eval(e.a, env))
    if isinstance(e, tir.Select):
        return _eval(e.true_value if _eval(e.condition, env) else e.false_value, env)

    def tdiv_(a, b):
        q = abs(a) // abs(b)
        return q if (a >= 0) == (b > 0) else -q

    ops = {
        tir.Add: lambda a, b: a + b, tir.Sub: lambda a, b: a - b, tir.Mul: lambda a, b: a * b,
        tir.FloorDiv: lambda a, b: a // b, tir.FloorMod: lambda a, b: a % b,
        tir.Div: tdiv_, tir.Mod: lambda a, b: a - tdiv_(a, b) * b,
        tir.Min: min, tir.Max: max,
        tir.LT: lambda a, b: int(a < b), tir.LE: lambda a, b: int(a <= b),
        tir.GT: lambda a, b: int(a > b), tir.GE: lambda a, b: int(a >= b),
        tir.EQ: lambda a, b: int(a == b), tir.NE: lambda a, b: int(a != b),
        tir.And: lambda a, b: int(bool(a) and bool(b)), tir.Or: lambda a, b: int(bool(a) or bool(b)),
    }
    return ops[type(e)](_eval(e.a, env), _eval(e.b, env))


def _check(before, expected, constraint=None):
    ana = tvm.arith.Analyzer()
    if constraint is not None:
        with ana.constraint_scope(constraint):
            after = ana.rewrite_simplify(before)
    else:
        after = ana.rewrite_simplify(before)
    assert tvm.ir.structural_equal(after, expected), f"{before} -> {after}, expected {expected}"
    for vx, vy, vz in itertools.product(range(-9, 10, 2), range(-7, 8, 3), range(1, 9, 3)):
        env = {"x": vx, "y": vy, "z": vz}
        if constraint is not None and not _eval(constraint, env):
            continue
        try:
            want = _eval(before, env)
        except ZeroDivisionError:
            continue
        assert want == _eval(after, env), f"{before} -> {after} at {env}"


nonneg = tir.all(x >= 0, y >= 0, z >= 0)

CASES = [
    # A constant cancelling one inside min/max moves in.
    (tir.max(x, y - 7) + 7, tir.max(x + 7, y)),
    (tir.min(x - 3, y) + 3, tir.min(x, y + 3)),
    (tir.min(x + 4, y + 9) + -4, tir.min(x, y + 5)),
    (z * 3 + tir.max(x, y - z * 3), tir.max(x + z * 3, y)),
    # Selects on one condition combine; a branch's value cancels.
    (tir.Select(x < y, z, 2) + tir.Select(x < y, 5, z), tir.Select(x < y, z + 5, z + 2)),
    (tir.Select(x < 3, y, z) - z, tir.Select(x < 3, y - z, 0)),
    # A term leaves the min/max of a sum holding it.
    (tir.max(y + x, z) - x, tir.max(y, z - x)),
    (x - tir.min(z, x + y), tir.max(x - z, 0 - y)),
    # Factors.
    ((x - y) * -3, (y - x) * 3),
    (z * x + x, x * (z + 1)),
    # min/max: chains, absorption, distribution, negative factors and divisors.
    (tir.max(tir.max(tir.max(x, z), y), z), tir.max(tir.max(x, z), y)),
    (tir.min(tir.max(y, x), tir.min(y, x)), tir.min(y, x)),
    (tir.max(tir.min(z, x), tir.min(x, y)), tir.min(tir.max(z, y), x)),
    (tir.min(z + x, x + y), tir.min(z, y) + x),
    (tir.max(x * -3, 6), tir.min(x, -2) * -3),
    (tir.min(7 - x, 4), 7 - tir.max(x, 3)),
    (tir.max(fld(x, -4), fld(y, -4)), fld(tir.min(x, y), -4)),
    (tir.min(fld(x + 7, 8) * 8, x), x),
    (tir.max(x, tdiv(x + 2, 3) * 3), tdiv(x + 2, 3) * 3),
    # Comparisons: one positive constant, negative factors, truncating division.
    (x + 3 < y + 8, x < y + 5),
    (x + -2 < y, x < y + 2),
    (x < y + -4, x + 4 < y),
    (x + -1 < y, x <= y),
    # A subtracted term joins the other side, so the constant stands alone.
    (x <= 20 - y, x + y <= 20),
    (20 - y <= x, tir.LE(20, x + y)),
    (x < 20 - y, x + y < 20),
    (20 - y < x, tir.LT(20, x + y)),
    (x * -3 < 7, tir.LT(-3, x)),
    (x * -3 <= 7, tir.LE(-2, x)),
    (x * -3 >= 7, x <= -3),
    (tdiv(x, 3) < 2, x < 6),
    (tdiv(x, 3) <= -2, x <= -6),
    (tdiv(x, 3) >= 0, tir.LE(-2, x)),
    (tdiv(x, 3) > 1, tir.LT(5, x)),
    (fld(x, 8) * 8 < x - y, y < flm(x, 8)),
    (fld(x + 5, 8) * 8 >= x + y, flm(x + 5, 8) + y <= 5),
    (tdiv(x, 8) * 8 < x, tir.LT(0, tmod(x, 8))),
    (tir.min(x, 12) < 9, x < 9),
    # Logic.
    (tir.And(x != z, x == z), tir.const(False)),
    (tir.Or(x == 2, tir.Or(y == 2, z == 2)), tir.Or(tir.Or(x == 2, y == 2), z == 2)),
    (tir.And(fld(x, 6) == -2, flm(x, 6) == 5), x == -7),
    (tir.And(fld(x, 6) == 2, flm(x, 6) <= 3), tir.And(tir.LE(12, x), x <= 15)),
    (tir.And(fld(x, 6) == 2, 3 < flm(x, 6)), tir.And(tir.LT(15, x), x < 18)),
    (tir.EQ(x * y, 0), tir.Or(x == 0, y == 0)),
    # Division and remainder.
    (fld(x * 4 + 21, 8), fld(x + 5, 2)),
    (fld(x * 10 + y + z, 5), x * 2 + fld(y + z, 5)),
    (fld(tir.min(y, x * 9), 3), tir.min(fld(y, 3), x * 3)),
    (fld(y + (z + x), x), fld(y + z, x) + 1),
    (fld(y + x * z, z), fld(y, z) + x),
    (fld(x - flm(x, 9), 9), fld(x, 9)),
    (flm(x * 50, 20), flm(x, 2) * 10),
    (tmod(x + y, -4), tmod(x + y, 4)),
    (tdiv(x * 24 + 8, 8), x * 3 + 1),
    (tdiv(tir.max(x * 8, y), 4), tir.max(x * 2, tdiv(y, 4)), nonneg),
    (tdiv(z * x + y, z), x + tdiv(y, z), nonneg),
    (tdiv(tdiv(x, 3) + 2, 5), tdiv(x + 6, 15), nonneg),
    # A quotient times the divisor taken from the dividend: the remainder.
    (y - fld(y + z, 7) * 7, flm(y + z, 7) - z),
    (fld(y - z, 7) * 7 - y, 0 - flm(y - z, 7) - z),
    (y * 4 - fld(y, 3) * 12, flm(y, 3) * 4),
    (tdiv(y + z, 3) * 9 - y * 3, (z - tmod(y + z, 3)) * 3),
    (fld(x + 7, 4) - fld(x, 4), fld(flm(x, 4) + 7, 4)),
    (tmod(y * 6 + x, 3), tmod(x, 3), tir.all(x <= 0, y <= 0)),
    # min/max against one operand: the difference, the zero where it lands.
    (tir.max(y, x) - y, tir.max(0, x - y)),
    (x - tir.min(x, z), tir.max(0, x - z)),
    # Constants leave a difference compared with a constant.
    (x - 4 < 6, x < 10),
    (tir.LE(3, x - 5), tir.LE(8, x)),
    (x * 4 + y < 12, x < 3, tir.all(y >= 0, y < 4)),
    # Halves, quotients pinned by a range, remainders at most zero.
    (fld(y, 2) + flm(y, 2), fld(y + 1, 2)),
    (fld(z + 1, 2) - flm(z, 2), fld(z, 2)),
    (fld(flm(x, 2) + 1, 2), flm(x, 2)),
    (tir.And(tir.LE(0, x - z * 3), x - z * 3 < 3), z == fld(x, 3)),
    (fld(x, 6) * 6 >= x, flm(x, 6) == 0),
    # Selects and broadcasts inside min/max.
    (tir.min(tir.Select(x < 2, y, 4), tir.Select(x < 2, 3, z)), tir.Select(x < 2, tir.min(y, 3), tir.min(4, z))),
    # Quotients of neighbouring values: the remainder decides.
    (fld(flm(x, 4) + 9, 4) + fld(x, 4), fld(x + 9, 4)),
    (fld(x, 3) + fld(flm(x, 3) + 2, 3), fld(x + 2, 3)),
    (flm(x + 3, 2) + flm(x, 2), tir.const(1, "int32")),
    (flm(x, 2) + flm(x + -1, 2), tir.const(1, "int32")),
    (fld(x + 5, 2) - fld(x - 2, 2), flm(x, 2) + 3),
    (fld(x + 5, 2) - fld(x - 3, 2), tir.const(4, "int32")),
    (fld(x, 2) - fld(x + 3, 2), flm(x, 2) * -1 + -1),
    (fld(x + 5, 3) - fld(x + 1, 3), fld(flm(x + 1, 3) + 4, 3)),
    (tdiv(x + 5, 3) - tdiv(x, 3), tdiv(tmod(x, 3) + 5, 3), x >= 0),
    (tdiv(x + 5, 3) - tdiv(x + 1, 3), tdiv(tmod(x + 1, 3) + 4, 3), x >= 0),
    # A bound next to a remainder condition tightens to the last value that passes it.
    (tir.And(x < 20, flm(x, 5) < 2), tir.And(x < 17, flm(x, 5) < 2)),
    (tir.And(x < 18, flm(x, 5) < 2), tir.And(x < 17, flm(x, 5) < 2)),
    (tir.And(x <= 18, flm(x, 5) < 2), tir.And(x < 17, flm(x, 5) < 2)),
    (tir.And(x < -20, flm(x, 5) < 2), tir.And(x < -23, flm(x, 5) < 2)),
    (tir.And(x < 16, flm(x, 5) < 2), tir.And(x < 16, flm(x, 5) < 2)),
    # Rounding up to a multiple of c is at least c for x >= 1.
    (tir.min(fld(x + 3, 4) * 4, tir.max(x, 4)), tir.max(x, 4), x > 0),
    (tir.min(tir.max(x, 4), tdiv(x + 3, 4) * 4), tir.max(x, 4), x > 0),
    # The residue of a scaled dividend is a known constant.
    (fld(x * 360 + y, 16), x * 22, tir.all(x >= 0, x < 2, y >= 0, y < 7)),
    (fld(x * 360 + y, 25), x * 14, tir.all(x >= 0, x < 2, y >= 0, y < 7)),
    (fld(x * 128 + y * 4 + z, 512), fld(x, 4), tir.all(y >= 0, y < 32, z >= 0, z < 4)),
    # Padding to a multiple of the divisor leaves no remainder.
    (flm(x - flm(x, 9), 9), tir.const(0, "int32")),
    (flm(x - flm(x, -9), 9), tir.const(0, "int32")),
    (flm(x + flm(0 - x, 9), 9), tir.const(0, "int32")),
    (flm(x + flm(x * 8, 9), 9), tir.const(0, "int32")),
    (flm(x - flm(x, z), z), tir.const(0, "int32")),
    (flm(x + flm(0 - x, z), z), tir.const(0, "int32")),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: str(c[0]))
def test_rule(case):
    _check(*case)


def test_division_by_zero_raises():
    ana = tvm.arith.Analyzer()
    for bad in [
        tir.FloorDiv(tir.Ramp(x, 1, 4), tir.Broadcast(0, 4)),
        tir.Mod(tir.Ramp(x, 1, 4), tir.Broadcast(0, 4)),
        tir.Div(x, tir.IntImm("int32", 0)),
    ]:
        with pytest.raises(tvm.error.TVMError, match="division by zero"):
            ana.rewrite_simplify(bad)
        with pytest.raises(ZeroDivisionError):
            ana.simplify(bad)


def test_nested_if_then_else_joins_conditions():
    ana = tvm.arith.Analyzer()
    zero, one = tir.const(0, "int32"), tir.const(1, "int32")
    e = tir.if_then_else(x < 9, tir.if_then_else(y > 2, one, zero), zero)
    want = tir.if_then_else(tir.And(x < 9, tir.LT(2, y)), one, zero)
    tvm.ir.assert_structural_equal(ana.rewrite_simplify(e), want)


def test_vector_rules():
    ana = tvm.arith.Analyzer()
    v = tir.Var("v", "int32x4")
    e = tir.max(tir.max(v, tir.Broadcast(y, 4)), tir.Broadcast(x, 4))
    assert tvm.ir.structural_equal(ana.rewrite_simplify(e), tir.max(v, tir.Broadcast(tir.max(y, x), 4)))
    # x * 8 + 2 .. x * 8 + 5 share one block of 8 (the base is 2 modulo gcd(8, 16) = 8).
    e = fld(tir.Ramp(x * 8 + 2, 1, 4), tir.Broadcast(16, 4))
    assert tvm.ir.structural_equal(ana.rewrite_simplify(e), tir.Broadcast(fld(x, 2), 4))
    # Only the base's residue matters when the lanes cross blocks.
    e = flm(tir.Ramp(x * 12 + 7, 3, 4), tir.Broadcast(4, 4))
    assert tvm.ir.structural_equal(ana.rewrite_simplify(e), flm(tir.Ramp(3, 3, 4), tir.Broadcast(4, 4)))


def test_unsigned_rules_keep_values():
    """Rules that would pass through a negative value stay away from unsigned types."""
    ana = tvm.arith.Analyzer()
    u = tir.Var("u", "uint32")
    v = tir.Var("v", "uint32")
    # max(u, v) - v is 0 for u < v; max(u - v, 0) would wrap.
    e = tir.max(u, v) - v
    assert tvm.ir.structural_equal(ana.rewrite_simplify(e), e)
    # min(u, v) == u is not always true.
    e = tir.min(u, v) == u
    assert not isinstance(ana.simplify(e), tir.IntImm)
    # For v > 20, 20 - v wraps to a large value: u <= 20 - v is not u + v <= 20.
    e = u <= tir.const(20, "uint32") - v
    assert tvm.ir.structural_equal(ana.rewrite_simplify(e), e)
    # A constant that would go below zero is not made.
    e = tir.const(3, "uint32") - (tir.const(5, "uint32") - u)
    assert tvm.ir.structural_equal(ana.rewrite_simplify(e), e)


def test_canonical_exact_division():
    ana = tvm.arith.Analyzer()
    # Every coefficient a multiple of the divisor: exact, whatever the signs.
    got = ana.canonical_simplify(tdiv(x * 6 + y * 2 + 4, 2))
    assert tvm.ir.structural_equal(got, x * 3 + y + 2), got
    got = ana.canonical_simplify(tmod(x * 6 + y * 3 - 9, 3))
    assert tvm.ir.structural_equal(got, tir.const(0, "int32")), got


def test_divisor_bound_excludes_zero():
    ana = tvm.arith.Analyzer()
    a, b = tir.Var("a", "int32"), tir.Var("b", "int32")
    ana.update(a, tvm.arith.ConstIntBound(0, 9))
    ana.update(b, tvm.arith.ConstIntBound(0, tvm.arith.ConstIntBound.POS_INF))
    for e in [fld(a, b), flm(a, b), tmod(a, b)]:
        bd = ana.const_int_bound(e)
        assert (bd.min_value, bd.max_value) == (0, 9), e


def test_cast_bound_narrows():
    ana = tvm.arith.Analyzer()
    i = tir.Var("i", "int8")
    b = ana.const_int_bound(tmod(i, 5).astype("uint32"))
    assert (b.min_value, b.max_value) == (0, 4)
    b = ana.const_int_bound(tmod(i, 5).astype("float32").astype("int32"))
    assert (b.min_value, b.max_value) == (-4, 4)
    u = tir.Var("u", "uint32")
    b = ana.const_int_bound(tir.const(7, "uint32") - u)
    assert (b.min_value, b.max_value) == (0, 7)


def test_modular_sets_through_casts_shifts_and_masks():
    ana = tvm.arith.Analyzer()
    i = tir.Var("i", "int16")

    def ms(e):
        m = ana.modular_set(e)
        return (m.coeff, m.base)

    assert ms((i * 6 + 4).astype("int64")) == (6, 4)
    assert ms((i * 5 + 2).astype("float32").astype("int32")) == (5, 2)
    assert ms(tir.shift_right(x * 8 + 4, 2)) == (2, 1)
    assert ms(tir.bitwise_and(x * 12 + y * 6, 15)) == (2, 0)
    # An exact truncating division keeps the residue whatever the sign.
    assert ms(tdiv(x * 6 + 3, 3)) == (2, 1)
    # truncmod of a multiple of g = gcd(coeff, c) is a multiple of g.
    assert ms(tmod(x * 6, 4)) == (2, 0)
    # Not for other residues: the sign of x is unknown.
    assert ms(tmod(x * 6 + 1, 4)) == (1, 0)


def test_shift_right_bound_for_negative_values():
    ana = tvm.arith.Analyzer()
    a, s = tir.Var("a", "int32"), tir.Var("s", "int32")
    ana.update(a, tvm.arith.ConstIntBound(-17, 40))
    ana.update(s, tvm.arith.ConstIntBound(1, 3))
    bd = ana.const_int_bound(tir.shift_right(a, s))
    # -17 >> 1 = -9 (rounds down), 40 >> 1 = 20.
    assert (bd.min_value, bd.max_value) == (-9, 20)


def test_any_minus_any_is_not_zero():
    ana = tvm.arith.Analyzer()
    e = tir.Any() - tir.Any()
    tvm.ir.assert_structural_equal(ana.rewrite_simplify(e), e)
