# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Rewrites must not build values that wrap in narrow and unsigned dtypes.

LLVM adds and multiplies int32/int64 with no-signed-wrap (overflow there is
assumed away, as for all index arithmetic), but int8, int16 and unsigned
values wrap. A rule that is right for the ideal integers, such as
min(a - c, b + c) + c -> min(a, b + c * 2), is wrong in int8 when b + c * 2
passes 127 although nothing in the original did (fuzzer seed 201331). So a
rule that builds a new sum, difference or product applies to such a dtype
only when the bounds prove the new value fits.
"""
import itertools

import numpy as np
import pytest

import tvm
from tvm import tir

_RANGES = {"int8": (-128, 127), "uint8": (0, 255), "int16": (-(2**15), 2**15 - 1), "int32": (-(2**31), 2**31 - 1)}


def _vars(dtype, names="abc"):
    return [tir.Var(n, dtype) for n in names]


def _bind(ana, var, lo, hi):
    dtype = var.dtype
    ana.bind(var, tvm.ir.Range.from_min_extent(lo, hi - lo + 1))


# ---------------------------------------------------------------------------
# Exact results


@pytest.mark.parametrize("dtype", ["int8", "uint8", "int16"])
@pytest.mark.parametrize("method", ["simplify", "rewrite_simplify", "canonical_simplify"])
def test_min_absorbing_a_term_is_kept_when_the_new_sum_may_wrap(dtype, method):
    a, b, c = _vars(dtype)
    expr = tir.Min(a - c, b + c) + c
    out = getattr(tvm.arith.Analyzer(), method)(expr)
    tvm.ir.assert_structural_equal(out, expr)


@pytest.mark.parametrize("dtype", ["int8", "uint8", "int16"])
def test_max_absorbing_a_term_is_kept_when_the_new_sum_may_wrap(dtype):
    a, b, c = _vars(dtype)
    expr = tir.Max(a, b - c) + c
    tvm.ir.assert_structural_equal(tvm.arith.Analyzer().simplify(expr), expr)


@pytest.mark.parametrize("dtype", ["int8", "int16"])
def test_min_absorbs_a_term_when_the_bounds_prove_it_fits(dtype):
    a, b, c = _vars(dtype)
    ana = tvm.arith.Analyzer()
    for v in (a, b, c):
        _bind(ana, v, 0, 10)
    out = ana.simplify(tir.Min(a - c, b + c) + c)
    tvm.ir.assert_structural_equal(out, tir.Min(a, c * tir.const(2, dtype) + b))


def test_min_absorbs_a_term_in_uint8_when_the_bounds_prove_it_fits():
    a, b, c = _vars("uint8")
    ana = tvm.arith.Analyzer()
    for v in (a, b, c):
        _bind(ana, v, 0, 10)
    out = ana.simplify(tir.Min(a - c, b + c) + c)
    tvm.ir.assert_structural_equal(out, tir.Min(a, b + c + c))


def test_int32_keeps_the_rewrite():
    a, b, c = _vars("int32")
    out = tvm.arith.Analyzer().simplify(tir.Min(a - c, b + c) + c)
    tvm.ir.assert_structural_equal(out, tir.Min(a, c * 2 + b))


@pytest.mark.parametrize("dtype", ["int8", "int16"])
def test_canonical_reordering_keeps_the_original_order_when_a_partial_sum_may_wrap(dtype):
    # (x - y) + z in canonical order is (x + z) - y, whose x + z may wrap.
    x, y, z = _vars(dtype, "xyz")
    expr = (x - y) + z
    tvm.ir.assert_structural_equal(tvm.arith.Analyzer().canonical_simplify(expr), expr)
    ana = tvm.arith.Analyzer()
    for v in (x, y, z):
        _bind(ana, v, 0, 20)
    tvm.ir.assert_structural_equal(ana.canonical_simplify(expr), (x + z) - y)


def test_quotient_does_not_split_off_a_sum_that_may_wrap():
    # floordiv(x * 4 + y + z, 4) = x + floordiv(y + z, 4), but y + z may pass 127.
    x, y, z = _vars("int8", "xyz")
    four = tir.const(4, "int8")
    expr = tir.floordiv(x * four + y + z, four)
    for method in ["simplify", "rewrite_simplify", "canonical_simplify"]:
        out = getattr(tvm.arith.Analyzer(), method)(expr)
        assert "floordiv(y + z" not in str(out), f"{method}: {out}"
    ana = tvm.arith.Analyzer()
    for v in (y, z):
        _bind(ana, v, 0, 20)
    tvm.ir.assert_structural_equal(ana.simplify(expr), tir.floordiv(y + z, four) + x)


def test_min_minus_operand_keeps_a_difference_that_may_wrap():
    # min(x, y) - x = min(0, y - x), but y - x leaves int8 for x = -100, y = 100.
    x, y = _vars("int8", "xy")
    expr = tir.Min(x, y) - x
    tvm.ir.assert_structural_equal(tvm.arith.Analyzer().simplify(expr), expr)


def test_negative_constant_of_the_minimum_magnitude_stays_in_int8():
    # The canonical form subtracted -(-128), which int8 cannot hold.
    x = tir.Var("x", "int8")
    ana = tvm.arith.Analyzer()
    _bind(ana, x, 0, 3)
    expr = (tir.Max(x, tir.const(2, "int8")) + tir.const(-4, "int8")) * tir.const(32, "int8")
    out = ana.simplify(expr)
    tvm.ir.assert_structural_equal(out, tir.Max(x, tir.const(2, "int8")) * tir.const(32, "int8") + tir.const(-128, "int8"))


# ---------------------------------------------------------------------------
# Exhaustive numeric check against numpy over small int8 ranges

_NP_BINARY = {
    tir.Add: np.add,
    tir.Sub: np.subtract,
    tir.Mul: np.multiply,
    tir.FloorDiv: np.floor_divide,
    tir.FloorMod: np.mod,
    tir.Min: np.minimum,
    tir.Max: np.maximum,
    tir.LT: np.less,
    tir.LE: np.less_equal,
    tir.EQ: np.equal,
    tir.NE: np.not_equal,
}


def _np_eval(expr, env, dtype, exact):
    """expr over numpy arrays: in its dtype (wrapping, as the hardware does) or, when exact, in int64,
    returning also a mask of the points where some intermediate value leaves the dtype."""
    lo, hi = _RANGES[dtype]
    ok = np.ones_like(next(iter(env.values())), dtype=bool)

    def ev(e):
        nonlocal ok
        if isinstance(e, tir.IntImm):
            return np.int64(e.value) if exact else np.array(e.value, dtype=dtype)
        if isinstance(e, tir.Var):
            return env[e.name_hint].astype(np.int64 if exact else dtype)
        if isinstance(e, tir.Select):
            return np.where(ev(e.condition), ev(e.true_value), ev(e.false_value))
        if isinstance(e, tir.Div):
            a, b = ev(e.a), ev(e.b)
            q = np.abs(a) // np.abs(b)
            return np.where((a >= 0) == (b > 0), q, -q).astype(a.dtype)
        fn = _NP_BINARY.get(type(e))
        if fn is None:
            raise TypeError(f"cannot evaluate {type(e).__name__}: {e}")
        v = fn(ev(e.a), ev(e.b))
        if exact and e.dtype == dtype:
            ok = ok & (v >= lo) & (v <= hi)
        return v

    with np.errstate(over="ignore"):
        return ev(expr), ok


def _cases(a, b, c):
    dtype = a.dtype
    k = lambda v: tir.const(v, dtype)  # noqa: E731
    return [
        tir.Min(a - c, b + c) + c,
        tir.Min(a, b - c) + c,
        tir.Max(a - c, b + c) + c,
        c + tir.Max(a, b - c),
        tir.Min(a + k(100), b) + k(-100),
        tir.Max(a, b + k(-90)) + k(90),
        tir.Min(a, b) - a,
        a - tir.Max(a, b),
        tir.Max(a + b, c) - a,
        a - tir.Min(a + b, c),
        (a - b) + c,
        (a + k(60)) + (b + k(60)) - c,
        a * k(3) + b * k(3),
        tir.floordiv(a * k(4) + b + c, k(4)),
        tir.floormod(a * k(4) + b + c, k(4)),
        tir.floordiv(a + k(120), k(4)),
        tir.Min(a * k(2), b * k(2)) + c,
        tir.LT(a + b, c + b),
        tir.LT(a - c, b),
        tir.LE(a + k(100), b),
        tir.Select(tir.LT(a, b), a - c, b - c) + c,
        tir.Min(a, k(50)) + tir.Max(b, k(50)),
        (a - c) * k(2) + c * k(2),
        tir.floordiv(a + b, k(2)) + tir.floormod(a + b, k(2)),
        tir.Min(a - b, c - b) + b,
        tir.Max(a + c, b + c) - c,
    ]


@pytest.mark.parametrize("method", ["simplify", "rewrite_simplify", "canonical_simplify"])
@pytest.mark.parametrize(
    "lo,hi,bind",
    [(-128, 127, False), (-128, 127, True), (-20, 20, True), (100, 127, True), (-128, -100, True), (-60, 60, True)],
)
def test_int8_exhaustive_against_numpy(method, lo, hi, bind):
    """Where the original never leaves int8, the simplified expression evaluated in wrapping int8
    agrees with it: at every point of the window [lo, hi]^3 (the variables bound to it when bind),
    or at 32 values spread over it, extremes included, for the whole int8 range."""
    a, b, c = _vars("int8")
    values = np.arange(lo, hi + 1)
    if len(values) > 64:
        values = np.unique(np.concatenate([np.linspace(lo, hi, 30).round(), [lo + 1, hi - 1]]).astype(np.int64))
    axes = np.meshgrid(values, values, values, indexing="ij")
    env = {n: ax.ravel() for n, ax in zip("abc", axes)}
    checked = 0
    for expr in _cases(a, b, c):
        ana = tvm.arith.Analyzer()
        if bind:
            for v in (a, b, c):
                _bind(ana, v, lo, hi)
        out = getattr(ana, method)(expr)
        want, ok = _np_eval(expr, env, "int8", exact=True)
        got, _ = _np_eval(out, env, "int8", exact=False)
        want = np.broadcast_to(np.asarray(want, dtype=np.int64), ok.shape)
        got = np.broadcast_to(np.asarray(got, dtype=np.int64), ok.shape)
        bad = ok & (want != got)
        checked += int(ok.sum())
        assert not bad.any(), (
            f"{expr}\n  -> {out}\n  at "
            + str({n: int(env[n][bad][0]) for n in "abc"})
            + f": {int(want[bad][0])} != {int(got[bad][0])}"
        )
    assert checked > 1000
