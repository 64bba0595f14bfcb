# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Property tests: simplified expressions keep their value.

Random integer expressions over bound variables (sums, products, floor and
trunc division and remainder by non-zero constants, min, max, select) are
simplified, then the original and the result are evaluated by a small
Python interpreter at random points of the variables' ranges. Seeds are
fixed so a failure reproduces.
"""
import random
import zlib

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


# ---------------------------------------------------------------------------
# Every integer dtype. The simplifier may assume that no intermediate value of
# the original expression leaves its dtype (TVM's contract for index
# arithmetic), so a point where the original overflows is skipped; at every
# other point the simplified expression, evaluated exactly, must agree.
# Unsigned types are where rules that move terms across a subtraction or a
# comparison go wrong (0 - y, x + -1 do not exist there): an unsigned result
# must not leave its dtype at any intermediate step either, since the ideal
# integers the bounds analysis reasons about and the wrapping hardware only
# agree while nothing wraps.

_DTYPE_RANGES = {
    "int8": (-128, 127),
    "int16": (-(2**15), 2**15 - 1),
    "int32": (-(2**31), 2**31 - 1),
    "int64": (-(2**63), 2**63 - 1),
    "uint8": (0, 255),
    "uint32": (0, 2**32 - 1),
    "bool": (0, 1),
}


class _Overflow(Exception):
    pass


def evaluate_checked(expr, env, check):
    """Like evaluate, but when check is set an intermediate value outside its dtype raises _Overflow."""

    def ev(e):
        if isinstance(e, tir.IntImm):
            v = int(e.value)
        elif isinstance(e, tir.Var):
            v = env[e.name_hint]
        elif isinstance(e, tir.Not):
            v = int(not ev(e.a))
        elif isinstance(e, tir.Select):
            v = ev(e.true_value) if ev(e.condition) else ev(e.false_value)
        elif isinstance(e, tir.Cast):
            inner = ev(e.value)
            lo, hi = _DTYPE_RANGES[str(e.dtype)]
            if str(e.dtype) == "bool":
                v = int(inner != 0)
            else:  # conversions wrap to the target width
                v = (inner - lo) % (hi - lo + 1) + lo
        else:
            fn = next((f for cls, f in _BINARY.items() if type(e) is cls), None)  # pylint: disable=unidiomatic-typecheck
            if fn is None:
                raise TypeError(f"cannot evaluate {type(e).__name__}: {e}")
            a, b = ev(e.a), ev(e.b)
            if type(e) in (tir.FloorDiv, tir.FloorMod, tir.Div, tir.Mod) and b == 0:  # pylint: disable=unidiomatic-typecheck
                raise ZeroDivisionError(str(e))
            v = fn(a, b)
        if check:
            lo, hi = _DTYPE_RANGES[str(e.dtype)]
            if not lo <= v <= hi:
                raise _Overflow(str(e))
        return v

    return ev(expr)


class TypedGenerator:
    """Random expressions of one integer dtype over variables of that dtype."""

    def __init__(self, seed, dtype):
        self.rng = random.Random(seed)
        self.dtype = dtype
        lo, hi = _DTYPE_RANGES[dtype]
        self.unsigned = lo == 0
        # Where the hardware wraps: LLVM adds and multiplies int32/int64 with no-signed-wrap
        # (overflow is assumed away, as for index arithmetic), narrower and unsigned types wrap.
        self.wraps = self.unsigned or dtype in ("int8", "int16")
        # Variables: one over a small range (bound in the analyzer), one over the whole dtype.
        small = (0, 20) if self.unsigned else (-10, 10)
        self.ranges = {"x": small, "y": (0, 9) if self.unsigned else (-5, 9), "u": (lo, hi)}
        self.vars = [tir.Var(name, dtype) for name in self.ranges]

    def analyzer(self):
        ana = tvm.arith.Analyzer()
        for var in self.vars:
            lo, hi = self.ranges[var.name_hint]
            if var.name_hint != "u":
                ana.bind(var, tvm.ir.Range.from_min_extent(tvm.tir.const(lo, self.dtype), tvm.tir.const(hi - lo + 1, self.dtype)))
        return ana

    def const(self, lo, hi):
        if self.unsigned:
            lo = max(lo, 0)
        return tir.const(self.rng.randint(lo, hi), self.dtype)

    def point(self):
        env = {}
        for name, (lo, hi) in self.ranges.items():
            if name == "u" and self.rng.randrange(2):
                hi = min(hi, lo + 40)  # often near the low end, so that sums do not always overflow
            env[name] = self.rng.randint(lo, hi)
        return env

    def leaf(self):
        if self.rng.randrange(3) == 0:
            return self.const(-6, 12)
        return self.rng.choice(self.vars)

    def divisor(self):
        choices = [1, 2, 3, 4, 8, 5] if self.unsigned else [1, 2, 3, 4, 8, 5, -2, -3]
        return tir.const(self.rng.choice(choices), self.dtype)

    def int_expr(self, depth):
        if depth <= 0 or self.rng.randrange(5) == 0:
            return self.leaf()
        d = depth - 1
        r = self.rng.randrange(15)
        ops = {
            0: lambda: tir.Add(self.int_expr(d), self.int_expr(d)),
            1: lambda: tir.Add(self.int_expr(d), self.const(-8, 8)),
            2: lambda: tir.Sub(self.int_expr(d), self.int_expr(d)),
            3: lambda: tir.Sub(self.int_expr(d), self.const(0, 12)),
            4: lambda: tir.Sub(self.const(0, 40), self.int_expr(d)),
            5: lambda: tir.Mul(self.int_expr(d), self.const(-3, 6)),
            6: lambda: tir.FloorDiv(self.int_expr(d), self.divisor()),
            7: lambda: tir.FloorMod(self.int_expr(d), self.divisor()),
            8: lambda: tir.Div(self.int_expr(d), self.divisor()),
            9: lambda: tir.Mod(self.int_expr(d), self.divisor()),
            10: lambda: tir.Min(self.int_expr(d), self.int_expr(d)),
            11: lambda: tir.Max(self.int_expr(d), self.int_expr(d)),
            12: lambda: tir.Select(self.cond(d), self.int_expr(d), self.int_expr(d)),
            13: lambda: tir.Mul(self.int_expr(d), self.int_expr(d - 1)),
            14: lambda: tir.Sub(self.int_expr(d), tir.Min(self.int_expr(d - 1), self.int_expr(d - 1))),
        }
        return ops[r]()

    def cond(self, depth):
        r = self.rng.randrange(9)
        if r == 6:
            return tir.And(self.cond(depth - 1), self.cond(depth - 1)) if depth > 0 else self.cond(0)
        if r == 7:
            return tir.Or(self.cond(depth - 1), tir.Not(self.cond(depth - 1))) if depth > 0 else self.cond(0)
        a, b = self.int_expr(depth), self.int_expr(depth)
        if r == 8:
            b = self.const(-4, 30)
        return [tir.LT, tir.LE, tir.GT, tir.GE, tir.EQ, tir.NE, tir.LT, tir.LT, tir.LE][r](a, b)


def _check_typed(dtype, seed, cases, depth, boolean, method="simplify"):
    gen = TypedGenerator(seed, dtype)
    checked = 0
    for case in range(cases):
        ana = gen.analyzer()
        expr = gen.cond(depth) if boolean else gen.int_expr(depth)
        out = getattr(ana, method)(expr)
        for _ in range(30):
            env = gen.point()
            try:
                want = evaluate_checked(expr, env, check=True)
            except (_Overflow, ZeroDivisionError):
                continue
            # The result must not pass through a value outside its dtype either where the
            # hardware wraps (unsigned and narrow types): there the ideal integers the
            # bounds analysis reasons about and the machine no longer agree.
            try:
                got = evaluate_checked(out, env, check=gen.wraps)
            except _Overflow as err:
                got = f"overflow in {err}"
            checked += 1
            assert want == got, f"{dtype} case {case}: {expr}\n  -> {out}\n  at {env}: {want} != {got}"
    assert checked > cases  # most points do not overflow


@pytest.mark.parametrize("dtype", ["int8", "int16", "int32", "int64", "uint8", "uint32"])
@pytest.mark.parametrize("method", ["simplify", "rewrite_simplify", "canonical_simplify"])
def test_typed_integer_expressions(dtype, method):
    seed = zlib.crc32(f"{dtype}-{method}".encode()) % 1000 + 100  # stable across runs, unlike hash()
    _check_typed(dtype, seed=seed, cases=200, depth=3, boolean=False, method=method)


@pytest.mark.parametrize("dtype", ["int8", "int16", "int32", "int64", "uint8", "uint32"])
def test_typed_conditions(dtype):
    _check_typed(dtype, seed=len(dtype) * 7 + 300, cases=200, depth=2, boolean=True)


def test_bool_expressions():
    rng = random.Random(77)
    names = ["p", "q", "r"]
    bvars = [tir.Var(n, "bool") for n in names]

    def gen(depth):
        if depth == 0 or rng.randrange(4) == 0:
            return rng.choice(bvars + [tir.const(True, "bool"), tir.const(False, "bool")])
        r = rng.randrange(6)
        if r == 0:
            return tir.And(gen(depth - 1), gen(depth - 1))
        if r == 1:
            return tir.Or(gen(depth - 1), gen(depth - 1))
        if r == 2:
            return tir.Not(gen(depth - 1))
        if r == 3:
            return tir.EQ(gen(depth - 1), gen(depth - 1))
        if r == 4:
            return tir.NE(gen(depth - 1), gen(depth - 1))
        return tir.Select(gen(depth - 1), gen(depth - 1), gen(depth - 1))

    ana = tvm.arith.Analyzer()
    for case in range(300):
        expr = gen(4)
        out = ana.simplify(expr)
        for bits in range(8):
            env = {n: (bits >> i) & 1 for i, n in enumerate(names)}
            assert evaluate_checked(expr, env, True) == evaluate_checked(out, env, False), f"case {case}: {expr} -> {out} at {env}"
