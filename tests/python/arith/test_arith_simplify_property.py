# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Property tests: simplified expressions keep their value.

Random integer expressions over bound variables (sums, products, floor and
trunc division and remainder by non-zero constants, min, max, select) are
simplified, then the original and the result are evaluated by a small
Python interpreter at random points of the variables' ranges. Seeds are
fixed so a failure reproduces.
"""
import random

import pytest

import tvm
from tvm import tir

VARS = [("x", 0, 7), ("y", -4, 3), ("z", 0, 31), ("w", -100, 100)]


def _floordiv(a, b):
    return a // b


def _floormod(a, b):
    return a % b


def _truncdiv(a, b):
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b > 0) else -q


def _truncmod(a, b):
    return a - _truncdiv(a, b) * b


_BINARY = {
    tir.Add: lambda a, b: a + b,
    tir.Sub: lambda a, b: a - b,
    tir.Mul: lambda a, b: a * b,
    tir.FloorDiv: _floordiv,
    tir.FloorMod: _floormod,
    tir.Div: _truncdiv,
    tir.Mod: _truncmod,
    tir.Min: min,
    tir.Max: max,
    tir.LT: lambda a, b: int(a < b),
    tir.LE: lambda a, b: int(a <= b),
    tir.GT: lambda a, b: int(a > b),
    tir.GE: lambda a, b: int(a >= b),
    tir.EQ: lambda a, b: int(a == b),
    tir.NE: lambda a, b: int(a != b),
    tir.And: lambda a, b: int(bool(a) and bool(b)),
    tir.Or: lambda a, b: int(bool(a) or bool(b)),
}


def evaluate(expr, env):
    """The integer value of expr with variables taken from env (name -> int)."""
    if isinstance(expr, tir.IntImm):
        return int(expr.value)
    if isinstance(expr, tir.Var):
        return env[expr.name_hint]
    for cls, fn in _BINARY.items():
        if type(expr) is cls:  # pylint: disable=unidiomatic-typecheck
            a, b = evaluate(expr.a, env), evaluate(expr.b, env)
            if cls in (tir.FloorDiv, tir.FloorMod, tir.Div, tir.Mod) and b == 0:
                raise ZeroDivisionError(str(expr))
            return fn(a, b)
    if isinstance(expr, tir.Not):
        return int(not evaluate(expr.a, env))
    if isinstance(expr, tir.Select):
        return evaluate(expr.true_value if evaluate(expr.condition, env) else expr.false_value, env)
    if isinstance(expr, tir.Cast):
        return evaluate(expr.value, env)
    raise TypeError(f"cannot evaluate {type(expr).__name__}: {expr}")


class Generator:
    def __init__(self, seed, variables):
        self.rng = random.Random(seed)
        self.vars = variables

    def const(self, lo, hi):
        return tir.IntImm("int32", self.rng.randint(lo, hi))

    def divisor(self):
        return tir.IntImm("int32", self.rng.choice([1, 2, 3, 4, 8, 16, 5, -2, -3, -4]))

    def leaf(self):
        if self.rng.randrange(3) == 0:
            return self.const(-10, 10)
        return self.rng.choice(self.vars)

    def int_expr(self, depth):
        if depth <= 0 or self.rng.randrange(5) == 0:
            return self.leaf()
        r = self.rng.randrange(14)
        d = depth - 1
        if r < 2:
            return tir.Add(self.int_expr(d), self.int_expr(d))
        if r == 2:
            return tir.Sub(self.int_expr(d), self.int_expr(d))
        if r == 3:
            return tir.Mul(self.int_expr(d), self.const(-4, 8))
        if r == 4:
            return tir.Mul(self.int_expr(d), self.int_expr(d - 1))
        if r == 5:
            return tir.FloorDiv(self.int_expr(d), self.divisor())
        if r == 6:
            return tir.FloorMod(self.int_expr(d), self.divisor())
        if r == 7:
            return tir.Div(self.int_expr(d), self.divisor())
        if r == 8:
            return tir.Mod(self.int_expr(d), self.divisor())
        if r == 9:
            return tir.Min(self.int_expr(d), self.int_expr(d))
        if r == 10:
            return tir.Max(self.int_expr(d), self.int_expr(d))
        if r == 11:
            return tir.Select(self.cond(d), self.int_expr(d), self.int_expr(d))
        if r == 12:
            return tir.Add(tir.Mul(self.int_expr(d), self.const(1, 8)), self.int_expr(d))
        return tir.Add(self.int_expr(d), self.const(-8, 8))

    def cond(self, depth):
        a, b = self.int_expr(depth), self.int_expr(depth)
        r = self.rng.randrange(8)
        if r == 6:
            return tir.And(tir.LT(a, b), self.cond(depth - 1))
        if r == 7:
            return tir.Or(tir.Not(tir.LT(a, b)), self.cond(depth - 1))
        return [tir.LT, tir.LE, tir.GT, tir.GE, tir.EQ, tir.NE][r](a, b)

    def var_cond(self):
        v = self.rng.choice(self.vars)
        k = self.const(-5, 20)
        r = self.rng.randrange(4)
        if r == 0:
            return tir.LT(v, k)
        if r == 1:
            return tir.LE(k, v)
        if r == 2:
            return tir.EQ(v, k)
        return tir.EQ(tir.FloorMod(v, tir.IntImm("int32", 4)), tir.IntImm("int32", 1))

    def point(self):
        return {name: self.rng.randint(lo, hi) for name, lo, hi in VARS}


def _setup(seed):
    variables = [tir.Var(name, "int32") for name, _, _ in VARS]
    ana = tvm.arith.Analyzer()
    for var, (name, lo, hi) in zip(variables, VARS):
        if name != "w":  # w is known only by its dtype
            ana.bind(var, tvm.ir.Range.from_min_extent(lo, hi - lo + 1))
    return Generator(seed, variables), ana


def _check(seed, cases, points, depth, method, boolean=False):
    gen, ana = _setup(seed)
    simplify = getattr(ana, method)
    for case in range(cases):
        expr = gen.cond(depth) if boolean else gen.int_expr(depth)
        out = simplify(expr)
        for _ in range(points):
            env = gen.point()
            want, got = evaluate(expr, env), evaluate(out, env)
            assert want == got, f"case {case}: {expr}\n  -> {out}\n  at {env}: {want} != {got}"


@pytest.mark.parametrize("method,seed", [("simplify", 11), ("rewrite_simplify", 12), ("canonical_simplify", 13)])
def test_integer_expressions(method, seed):
    _check(seed, cases=250, points=25, depth=4, method=method)


@pytest.mark.parametrize("seed", [21, 22])
def test_conditions(seed):
    _check(seed, cases=200, points=25, depth=3, method="simplify", boolean=True)


def test_deep_expressions():
    _check(31, cases=100, points=20, depth=6, method="simplify")


def test_under_constraint():
    gen, _ = _setup(41)
    checked = 0
    for case in range(150):
        _, ana = _setup(0)
        cond = gen.cond(2) if case % 2 == 0 else gen.var_cond()
        expr = gen.int_expr(4)
        with ana.constraint_scope(cond):
            out = ana.simplify(expr)
        for _ in range(40):
            env = gen.point()
            if not evaluate(cond, env):
                continue
            checked += 1
            assert evaluate(expr, env) == evaluate(out, env), f"case {case} under {cond}: {expr} -> {out} at {env}"
    assert checked > 500


def test_bounds_and_modular_sets_contain_values():
    gen, ana = _setup(51)
    for _ in range(200):
        expr = gen.int_expr(4)
        bound = ana.const_int_bound(expr)
        mod = ana.modular_set(expr)
        for _ in range(20):
            v = evaluate(expr, gen.point())
            assert bound.min_value <= v <= bound.max_value, f"{expr} = {v} outside {bound}"
            if mod.coeff == 0:
                assert v == mod.base, f"{expr} = {v}, {mod}"
            else:
                assert (v - mod.base) % mod.coeff == 0, f"{expr} = {v}, {mod}"


def test_int_sets_contain_values():
    gen, ana = _setup(61)
    dom = {v: tvm.arith.IntervalSet(lo, hi) for v, (_, lo, hi) in zip(gen.vars, VARS)}
    for _ in range(200):
        expr = gen.int_expr(3)
        s = ana.int_set(expr, dom)
        lo = s.min_value.value if isinstance(s.min_value, tir.IntImm) else None
        hi = s.max_value.value if isinstance(s.max_value, tir.IntImm) else None
        for _ in range(20):
            v = evaluate(expr, gen.point())
            assert lo is None or v >= lo, f"{expr} = {v} below {s}"
            assert hi is None or v <= hi, f"{expr} = {v} above {s}"
