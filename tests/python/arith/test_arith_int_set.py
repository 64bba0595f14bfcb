# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Interval sets, DeduceBound, DetectLinearEquation and DetectClipBound."""
import random

import pytest
import tvm
from tvm import tir
from tvm.arith.int_set import eval_set, intersect, union
from tvm.tir import floordiv, floormod


def _same(a, b):
    b = tvm.tir.const(b, "int32") if isinstance(b, int) else b
    return tvm.ir.structural_equal(a, b)


def test_construction():
    s = tvm.arith.IntervalSet(0, 7)
    assert s.min_value.value == 0 and s.max_value.value == 7
    assert tvm.arith.IntSet.single_point(3).is_single_point()
    assert tvm.arith.IntervalSet(tvm.arith.neg_inf(), tvm.arith.pos_inf()).is_everything()
    assert tvm.arith.IntervalSet(tvm.arith.pos_inf(), tvm.arith.neg_inf()).is_nothing()
    r = tvm.arith.IntSet.from_range(tvm.ir.Range(2, 10))
    assert r.min_value.value == 2 and r.max_value.value == 9


def test_eval_set_constant_domains():
    x, y = tir.Var("x", "int32"), tir.Var("y", "int32")
    dom = {x: tvm.arith.IntervalSet(0, 7), y: tvm.arith.IntervalSet(-2, 3)}
    ana = tvm.arith.Analyzer()
    s = ana.int_set(x * 4 + y, dom)
    assert (s.min_value.value, s.max_value.value) == (-2, 31)
    s = ana.int_set(x - y, dom)
    assert (s.min_value.value, s.max_value.value) == (-3, 9)
    s = ana.int_set(floordiv(x, 2), dom)
    assert (s.min_value.value, s.max_value.value) == (0, 3)
    s = ana.int_set(floormod(x + 3, 4), dom)
    assert (s.min_value.value, s.max_value.value) == (0, 3)
    s = ana.int_set(x * -2, dom)
    assert (s.min_value.value, s.max_value.value) == (-14, 0)
    s = ana.int_set(tir.Max(x, y), dom)
    assert (s.min_value.value, s.max_value.value) == (0, 7)


def test_eval_set_symbolic_split():
    # Bound inference of a split loop: i_outer in [0, n/4), i_inner in [0, 4).
    n = tir.SizeVar("n", "int32")
    io, ii = tir.Var("i_outer", "int32"), tir.Var("i_inner", "int32")
    dom = {
        io: tvm.arith.IntSet.from_range(tvm.ir.Range(0, floordiv(n, 4))),
        ii: tvm.arith.IntSet.from_range(tvm.ir.Range(0, 4)),
    }
    s = eval_set(io * 4 + ii, dom)
    assert _same(s.min_value, 0)
    assert _same(s.max_value, floordiv(n, 4) * 4 - 1)
    # Variables outside the map stay symbolic.
    x = tir.Var("x", "int32")
    s = eval_set(x + ii, dom)
    assert _same(s.min_value, x) and _same(s.max_value, x + 3)


def test_range_union_intersect():
    x = tir.Var("x", "int32")
    s = eval_set(tvm.ir.Range.from_min_extent(x * 2, 4), {x: tvm.arith.IntervalSet(0, 3)})
    assert (s.min_value.value, s.max_value.value) == (0, 9)
    u = union([tvm.arith.IntervalSet(0, 3), tvm.arith.IntervalSet(10, 12)])
    assert (u.min_value.value, u.max_value.value) == (0, 12)
    i = intersect([tvm.arith.IntervalSet(0, 8), tvm.arith.IntervalSet(4, 12)])
    assert (i.min_value.value, i.max_value.value) == (4, 8)
    assert intersect([tvm.arith.IntervalSet(0, 2), tvm.arith.IntervalSet(4, 12)]).is_nothing()
    lb = tvm.arith.union_lower_bound([tvm.arith.IntervalSet(0, 3), tvm.arith.IntervalSet(4, 7)])
    assert (lb.min_value.value, lb.max_value.value) == (0, 7)


def test_cover_range_and_vector():
    s = tvm.arith.IntervalSet(2, 9)
    r = s.cover_range(tvm.ir.Range(0, 100))
    assert r.min.value == 2 and r.extent.value == 8
    v = tvm.arith.IntSet.vector(tir.Ramp(tir.IntImm("int32", 4), tir.IntImm("int32", 2), 4))
    assert (v.min_value.value, v.max_value.value) == (4, 10)


def test_deduce_bound():
    x, y, n = tir.Var("x", "int32"), tir.Var("y", "int32"), tir.Var("n", "int32")
    relax = {y: tvm.arith.IntervalSet(0, 3)}
    s = tvm.arith.deduce_bound(x, x * 2 + y < 10, {}, relax)
    assert s.min_value.same_as(tvm.arith.neg_inf()) and s.max_value.value == 3
    s = tvm.arith.deduce_bound(x, x + y >= 5, {}, relax)
    assert s.min_value.value == 5 and s.max_value.same_as(tvm.arith.pos_inf())
    s = tvm.arith.deduce_bound(x, 10 - x * 3 > 1, {}, {})
    assert s.max_value.value == 2
    s = tvm.arith.deduce_bound(x, x + 1 == n, {}, {})
    assert _same(s.min_value, n - 1) and s.is_single_point()
    # A coefficient of unknown sign, x twice, or a node with no inverse: no answer.
    assert tvm.arith.deduce_bound(x, x * n < 10, {}, {}).is_nothing()
    assert tvm.arith.deduce_bound(x, x * 2 - x > n, {}, {}).is_nothing()
    assert tvm.arith.deduce_bound(x, tvm.tir.min(x, 16) < 10, {}, {}).is_nothing()
    assert tvm.arith.deduce_bound(x, floordiv(16, x) < 10, {}, {}).is_nothing()
    # floordiv by a constant inverts to a multiple (and its last remainder for <=).
    assert tvm.arith.deduce_bound(x, floordiv(x, 2) < 10, {}, {}).max_value.value == 19
    assert tvm.arith.deduce_bound(x, floordiv(x, -8) >= 3, {}, {}).max_value.value == -24
    # x // 8 == 3 holds on [24, 31]: not a single bound.
    assert tvm.arith.deduce_bound(x, floordiv(x, 8) == 3, {}, {}).is_nothing()
    # 4 * x == y has no integer solution for every y in [2, 3].
    assert tvm.arith.deduce_bound(x, x * 4 == y, {y: tvm.arith.IntervalSet(2, 3)}, {}).is_nothing()
    # An equality whose other side is relaxed to several values: no single point.
    assert tvm.arith.deduce_bound(x, x == y, {}, relax).is_nothing()
    # A hint decides the sign.
    s = tvm.arith.deduce_bound(x, x * n < 10, {n: tvm.arith.IntervalSet(1, 4)}, {})
    assert not s.is_nothing()


def test_detect_linear_equation():
    x, y, z = tir.Var("x", "int32"), tir.Var("y", "int32"), tir.Var("z", "int32")
    coeffs = tvm.arith.detect_linear_equation(x * 4 + y * 2 + 1, [x, y])
    assert [c.value for c in coeffs] == [4, 2, 1]
    coeffs = tvm.arith.detect_linear_equation(x * z + 3 + x, [x])
    assert _same(coeffs[0], z + 1) and _same(coeffs[1], 3)
    coeffs = tvm.arith.detect_linear_equation((x + y) * 3 - y, [x, y])
    assert [c.value for c in coeffs] == [3, 2, 0]
    assert len(tvm.arith.detect_linear_equation(x * x, [x])) == 0
    assert len(tvm.arith.detect_linear_equation(floordiv(x, 2), [x])) == 0
    # Products keep their operand order; the coefficient of an unsigned
    # variable is signed (128 - c has -1, not 4294967295).
    assert tvm.arith.detect_linear_equation(x * z + 7, [x])[0].same_as(z)
    assert _same(tvm.arith.detect_linear_equation(z * y, [x])[1], z * y)
    c = tir.Var("c", "uint32")
    coeffs = tvm.arith.detect_linear_equation(128 - c, [c])
    assert coeffs[0].value == -1 and coeffs[0].dtype == "int32"


@pytest.mark.parametrize("seed", range(4))
def test_deduce_bound_matches_enumeration(seed):
    """Without relaxed variables the deduced interval is exactly the set of
    integers where the condition holds (checked on a window of values)."""
    rng = random.Random(seed)
    x = tir.Var("x", "int32")
    ana = tvm.arith.Analyzer()
    ops = [tvm.tir.LT, tvm.tir.LE, tvm.tir.GT, tvm.tir.GE, tvm.tir.EQ]
    for _ in range(60):
        k = rng.choice([-5, -3, -2, -1, 1, 2, 3, 4])
        d = rng.choice([-4, -3, 2, 3, 8])
        m = rng.randint(-6, 6)
        f = rng.choice(
            [x * k + m, m - x * k, floordiv(x, d) + m, floordiv(x * k + m, d), m - floordiv(x, d) * k]
        )
        c = rng.randint(-20, 20)
        lhs, rhs = (f, tir.const(c)) if rng.random() < 0.5 else (tir.const(c), f)
        cond = rng.choice(ops)(lhs, rhs)
        s = tvm.arith.deduce_bound(x, cond, {}, {})
        if s.is_nothing():
            # Only an equality may be unsolvable as one bound.
            assert isinstance(cond, tvm.tir.EQ), cond
            continue
        lo = None if s.min_value.same_as(tvm.arith.neg_inf()) else s.min_value.value
        hi = None if s.max_value.same_as(tvm.arith.pos_inf()) else s.max_value.value
        for value in range(-80, 81):
            holds = ana.simplify(tvm.tir.stmt_functor.substitute(cond, {x: tir.const(value)}))
            inside = (lo is None or value >= lo) and (hi is None or value <= hi)
            assert bool(holds.value) == inside, f"{cond}: deduced [{lo}, {hi}], x = {value}"


def test_detect_clip_bound():
    x, y, n = tir.Var("x", "int32"), tir.Var("y", "int32"), tir.Var("n", "int32")
    b = tvm.arith.detect_clip_bound(tir.all(x >= 0, x < n), [x])
    assert _same(b[0], 0) and _same(b[1], n - 1)
    b = tvm.arith.detect_clip_bound(tir.all(x * 2 >= 3, y <= 5), [x, y])
    assert _same(b[0], 2) and b[1] is None and b[2] is None and _same(b[3], 5)
    assert len(tvm.arith.detect_clip_bound(x * y < 3, [x, y])) == 0


@pytest.mark.parametrize("mode", ["floor", "trunc"])
def test_remainder_of_symbolic_interval_within_one_period(mode):
    """k * m + [lo, hi] mod c, with the interval inside one period of c for every k,
    is the interval shifted to that period (bound inference of tiles of a
    fused or split axis); checked against every value for a range of k."""
    # truncmod needs a non-negative dividend: k is a SizeVar there.
    k = tir.Var("k", "int32") if mode == "floor" else tir.SizeVar("k", "int32")
    i = tir.Var("i", "int32")
    ana = tvm.arith.Analyzer()
    mod = floormod if mode == "floor" else tvm.tir.truncmod
    for m, c, lo, hi in [(32, 128, 0, 31), (32, 128, 3, 20), (8, 64, 0, 7), (128, 128, 5, 100)]:
        e = mod(k * m + i, c)
        s = tvm.arith._ffi_api.EvalSet(e, {k: tvm.arith.IntervalSet(k, k), i: tvm.arith.IntervalSet(lo, hi)})
        assert not isinstance(s.max_value, tir.IntImm) or int(s.max_value) - int(s.min_value) == hi - lo, (e, s)
        for kv in range(-8 if mode == "floor" else 0, 9):
            at = lambda x: ana.simplify(tvm.tir.stmt_functor.substitute(x, {k: tir.const(kv)})).value
            values = [(kv * m + iv) % c for iv in range(lo, hi + 1)]
            assert (at(s.min_value), at(s.max_value)) == (min(values), max(values)), (e, kv, s)
    # An interval crossing a period boundary keeps the whole [0, c - 1].
    s = tvm.arith._ffi_api.EvalSet(floormod(k * 32 + i, 128), {k: tvm.arith.IntervalSet(k, k), i: tvm.arith.IntervalSet(0, 40)})
    assert (s.min_value.value, s.max_value.value) == (0, 127)


def test_detect_clip_bound_through_not_min_and_max():
    x, y, n = tir.Var("x", "int32"), tir.Var("y", "int32"), tir.Var("n", "int32")
    # not (x > n * 6) is x <= n * 6.
    b = tvm.arith.detect_clip_bound(tir.all(tir.Not(x > n * 6), x - 1 > 0), [x])
    assert _same(b[0], 2) and _same(b[1], n * 6)
    # 3 < min(x, y) bounds both; max(x, y) <= 7 bounds both from above.
    b = tvm.arith.detect_clip_bound(tir.all(tir.Min(x, y) > 3, x - 10 < 0), [x, y])
    assert _same(b[0], 4) and _same(b[1], 9) and _same(b[2], 4) and b[3] is None
    b = tvm.arith.detect_clip_bound(tir.Max(x, y) <= 7, [x, y])
    assert b[0] is None and _same(b[1], 7) and b[2] is None and _same(b[3], 7)
    # Every bound found holds for the points that satisfy the condition.
    b = tvm.arith.detect_clip_bound(tir.all(tir.Min(x, y) > 3, tir.Not(x >= 10)), [x, y])
    lo_x, hi_x, lo_y = b[0].value, b[1].value, b[2].value
    for vx in range(0, 14):
        for vy in range(0, 6):
            holds = min(vx, vy) > 3 and not vx >= 10
            assert holds == (lo_x <= vx <= hi_x and vy >= lo_y)
    assert len(tvm.arith.detect_clip_bound(tir.Not(tir.And(x < 3, y < 3)), [x, y])) == 0


def test_size_var_has_no_upper_bound():
    ana = tvm.arith.Analyzer()
    n = tir.SizeVar("n", "int32")
    bound = ana.const_int_bound(n)
    assert bound.min_value == 0 and bound.max_value == bound.POS_INF
    ana.bind(n, tvm.ir.Range(0, 16))
    assert ana.const_int_bound(n).max_value == 15
    m = tir.SizeVar("m", "int8")
    assert ana.const_int_bound(m).max_value == 127


def test_floormod_of_a_symbolic_interval_within_one_block():
    # y in [z * 8 + x * 4, z * 8 + x * 4 + 3]: 4 values from a multiple of 4, so inside one block of 8.
    x, y, z = (tir.Var(n, "int32") for n in "xyz")
    ana = tvm.arith.Analyzer()
    ana.bind(x, tvm.ir.Range.from_min_extent(0, 3))
    lo = z * 8 + x * 4
    s = ana.int_set(tir.floormod(y, 8), {y: tvm.arith.IntervalSet(lo, lo + 3)})
    assert ana.can_prove_equal(s.min_value, lo - floordiv(lo, 8) * 8)
    assert ana.can_prove_equal(s.max_value, lo + 3 - floordiv(lo, 8) * 8)
    # Numerically: every value of floormod(y, 8) lies in the set.
    for vz in range(-3, 4):
        for vx in range(0, 3):
            for vy in range(vz * 8 + vx * 4, vz * 8 + vx * 4 + 4):
                env = {z: vz, x: vx}
                lo_v = ana.simplify(tvm.tir.stmt_functor.substitute(s.min_value, env)).value
                hi_v = ana.simplify(tvm.tir.stmt_functor.substitute(s.max_value, env)).value
                assert lo_v <= vy % 8 <= hi_v
    # Width 5 from a multiple of 4 can cross a block: the whole [0, 7].
    s = ana.int_set(tir.floormod(y, 8), {y: tvm.arith.IntervalSet(lo, lo + 4)})
    assert s.min_value.value == 0 and s.max_value.value == 7


def test_region_estimators_are_exported_from_int_set():
    from tvm.arith import int_set

    assert int_set.estimate_region_lower_bound is tvm.arith.estimate_region_lower_bound
    assert int_set.estimate_region_strict_bound is tvm.arith.estimate_region_strict_bound
    assert int_set.estimate_region_upper_bound is tvm.arith.estimate_region_upper_bound
