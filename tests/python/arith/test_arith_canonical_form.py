# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""The canonical form's term order and its constants at the ends of int32."""
import itertools

import tvm
from tvm import te, tir
from tvm.tir import floordiv as fld


def _value(e, env):
    """An int32 expression's value at env (name -> int), with Python's floor division."""
    if isinstance(e, tir.IntImm):
        return int(e.value)
    if isinstance(e, tir.Var):
        return env[e.name_hint]
    ops = {tir.Add: lambda a, b: a + b, tir.Sub: lambda a, b: a - b, tir.Mul: lambda a, b: a * b,
           tir.FloorDiv: lambda a, b: a // b, tir.FloorMod: lambda a, b: a % b}
    return ops[type(e)](_value(e.a, env), _value(e.b, env))


def test_terms_by_decreasing_scale_then_divisor():
    x, y, z = te.var("x"), te.var("y"), te.var("z")
    ana = tvm.arith.Analyzer()
    cases = [
        # A quotient term (divisor 2) before a plain one of the same scale.
        (fld(x + x + y * 3, 2), fld(y * 3, 2) + x),
        # Negative terms by decreasing scale: -1 before -2.
        (z - y * 2 - x, z - x - y * 2),
        (y + x * 3 - 5 * x + 1 + y, y * 2 + 1 - x * 2),
    ]
    for before, want in cases:
        got = ana.canonical_simplify(before)
        tvm.ir.assert_structural_equal(got, want)
        for vx, vy, vz in itertools.product(range(-5, 6, 2), range(-4, 5, 3), range(-3, 4, 3)):
            env = {"x": vx, "y": vy, "z": vz}
            assert _value(before, env) == _value(got, env), f"{before} -> {got} at {env}"


def test_difference_with_the_minimum_int32():
    # x - INT_MIN needs 2 ** 31, which int32 does not hold: no crash, the comparison is still decided.
    x = te.var("x", "int32")
    ana = tvm.arith.Analyzer()
    lowest = te.min_value("int32")
    tvm.ir.assert_structural_equal(ana.canonical_simplify(lowest - x == 0), x == lowest)
    tvm.ir.assert_structural_equal(ana.canonical_simplify(0 == lowest - x), x == lowest)
    assert ana.canonical_simplify(lowest + x == 0).value == 0
    assert ana.canonical_simplify(x + lowest == 0).value == 0


def test_constant_stays_whole_in_a_quotient_it_does_not_divide():
    x, y = te.var("x"), te.var("y")
    ana = tvm.arith.Analyzer()
    cases = [
        (fld(17 + 47 * x, 16), fld(x * 47 + 17, 16)),
        (fld(x * 4 + y + 5, 4), fld(y + 5, 4) + x),
        (fld(x * 4 + 9, 4), x + 2),
        (fld(x * 4 + y * 8 + 8, 4), y * 2 + x + 2),
    ]
    for before, want in cases:
        got = ana.canonical_simplify(before)
        tvm.ir.assert_structural_equal(got, want)
        for vx, vy in itertools.product(range(-9, 10), range(-7, 8)):
            env = {"x": vx, "y": vy, "z": 0}
            assert _value(before, env) == _value(got, env), f"{before} -> {got} at {env}"


def test_constant_inside_a_remainder_reduced_modulo_the_divisor():
    x, y = te.var("x"), te.var("y")
    ana = tvm.arith.Analyzer()
    before = tir.floormod(tir.floormod(x * 4 + y - 466036, 24528) - 24512, 16)
    got = ana.canonical_simplify(before)
    tvm.ir.assert_structural_equal(got, tir.floormod(x * 4 + y + 12, 16))
    for vx, vy in itertools.product(range(-9, 10), range(-7, 8)):
        env = {"x": vx, "y": vy}
        assert _value(before, env) == _value(got, env), f"{before} -> {got} at {env}"
