# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Iterator affine maps: detect_iter_map and the functions built on it.

Structural tests check the exact IterSum/IterSplit/IterMark produced; the
randomized tests evaluate every result over the whole iteration domain, so a
wrong mapping (or a wrong claim of independence or surjectivity) fails.
"""
import itertools
import random

import pytest

import tvm
from tvm import tir
from tvm.arith import IterMark, IterSplitExpr, IterSumExpr
from tvm.tir import floordiv, floormod


def _vars(*names, dtype="int32"):
    return [tir.Var(n, dtype) for n in names]


def _dom(pairs):
    return {v: tvm.ir.Range(0, e) for v, e in pairs}


# ---------------------------------------------------------------------------
# A small evaluator for the index expressions (Python ints, floor semantics)
# ---------------------------------------------------------------------------


def _eval(expr, env):
    if isinstance(expr, int):
        return expr
    if isinstance(expr, tir.IntImm):
        return expr.value
    if isinstance(expr, tir.Var):
        return env[expr]
    ops = {
        tir.Add: lambda a, b: a + b,
        tir.Sub: lambda a, b: a - b,
        tir.Mul: lambda a, b: a * b,
        tir.FloorDiv: lambda a, b: a // b,
        tir.FloorMod: lambda a, b: a % b,
        tir.Min: min,
        tir.Max: max,
    }
    for cls, fn in ops.items():
        if isinstance(expr, cls):
            return fn(_eval(expr.a, env), _eval(expr.b, env))
    bool_ops = {
        tir.LT: lambda a, b: a < b,
        tir.LE: lambda a, b: a <= b,
        tir.GT: lambda a, b: a > b,
        tir.GE: lambda a, b: a >= b,
        tir.EQ: lambda a, b: a == b,
        tir.NE: lambda a, b: a != b,
        tir.And: lambda a, b: a and b,
        tir.Or: lambda a, b: a or b,
    }
    for cls, fn in bool_ops.items():
        if isinstance(expr, cls):
            return fn(_eval(expr.a, env), _eval(expr.b, env))
    if isinstance(expr, tir.Not):
        return not _eval(expr.a, env)
    raise TypeError(f"cannot evaluate {type(expr)}: {expr}")


def _points(dom):
    names = list(dom.keys())
    ranges = [range(dom[v].min.value, dom[v].min.value + dom[v].extent.value) for v in names]
    for values in itertools.product(*ranges):
        yield dict(zip(names, values))


def _split_of(sum_expr):
    """(base, scale, extent) of a detected index (extent 1 when it has no iterator)."""
    if len(sum_expr.args) == 0:
        return sum_expr.base, 0, 1
    assert len(sum_expr.args) == 1
    arg = sum_expr.args[0]
    return sum_expr.base, arg.scale, arg.extent


# ---------------------------------------------------------------------------
# Exact structures
# ---------------------------------------------------------------------------


def test_single_iterators_and_constants():
    i, j = _vars("i", "j")
    res = tvm.arith.detect_iter_map([i, j, 7], _dom([(i, 5), (j, 6)]))
    assert not res.errors
    # Every index is normalised to one split of a fused mark, even a lone iterator.
    inner = IterSumExpr([IterSplitExpr(IterMark(i, 5), 1, 5, 1)], 0)
    tvm.ir.assert_structural_equal(
        res.indices[0], IterSumExpr([IterSplitExpr(IterMark(inner, 5), 1, 5, 1)], 0)
    )
    assert len(res.indices[2].args) == 0 and res.indices[2].base.value == 7
    # The same variable gets one mark: both splits below point to the same object.
    res = tvm.arith.detect_iter_map([floordiv(i, 2), floormod(i, 2)], _dom([(i, 6)]))
    parts = [r.args[0].source.source.args[0] for r in res.indices]
    assert parts[0].source.same_as(parts[1].source)


def test_fuse_builds_a_mark_of_the_structured_sum():
    i, j, k = _vars("i", "j", "k")
    res = tvm.arith.detect_iter_map([i * 12 + j * 4 + k + 3], _dom([(i, 2), (j, 3), (k, 4)]))
    mi, mj, mk = IterMark(i, 2), IterMark(j, 3), IterMark(k, 4)
    fused = IterSumExpr(
        [IterSplitExpr(mi, 1, 2, 12), IterSplitExpr(mj, 1, 3, 4), IterSplitExpr(mk, 1, 4, 1)], 0
    )
    expected = IterSumExpr([IterSplitExpr(IterMark(fused, 24), 1, 24, 1)], 3)
    tvm.ir.assert_structural_equal(res.indices[0], expected)
    tvm.ir.assert_structural_equal(
        tvm.arith.normalize_iter_map_to_expr(res.indices[0]), i * 12 + j * 4 + k + 3
    )


def test_split_lower_factor_and_extent():
    (x,) = _vars("x")
    res = tvm.arith.detect_iter_map(
        [floordiv(x, 12), floormod(floordiv(x, 3), 4), floormod(x, 3)], _dom([(x, 24)])
    )
    mark = IterMark(x, 24)
    expect = [(12, 2), (3, 4), (1, 3)]
    for index, (lower, extent) in zip(res.indices, expect):
        split = IterSplitExpr(mark, lower, extent, 1)
        fused = IterMark(IterSumExpr([split], 0), extent)
        tvm.ir.assert_structural_equal(index, IterSumExpr([IterSplitExpr(fused, 1, extent, 1)], 0))


def test_strided_fuse_keeps_the_stride_as_scale():
    i, j = _vars("i", "j")
    res = tvm.arith.detect_iter_map([i * 6 + j * 2], _dom([(i, 4), (j, 3)]))
    base, scale, extent = _split_of(res.indices[0])
    assert (base.value, scale.value, extent.value) == (0, 2, 12)


def test_predicate_narrows_the_fused_extent():
    i, j = _vars("i", "j")
    res = tvm.arith.detect_iter_map([i * 8 + j], _dom([(i, 5), (j, 8)]), predicate=i * 8 + j < 37)
    base, scale, extent = _split_of(res.indices[0])
    assert (base.value, scale.value, extent.value) == (0, 1, 37)
    # A lower bound shifts the mark and moves the offset to the base.
    res = tvm.arith.detect_iter_map(
        [i * 8 + j], _dom([(i, 5), (j, 8)]), predicate=tvm.tir.all(3 <= i * 8 + j, i * 8 + j < 37)
    )
    base, scale, extent = _split_of(res.indices[0])
    assert (base.value, scale.value, extent.value) == (3, 1, 34)
    # A bound on one variable narrows its range.
    res = tvm.arith.detect_iter_map([i], _dom([(i, 5)]), predicate=i < 3)
    assert _split_of(res.indices[0])[2].value == 3


def test_padding_predicate():
    (x,) = _vars("x")
    res = tvm.arith.detect_iter_map([floordiv(x, 4), floormod(x, 4)], _dom([(x, 18)]), check_level="nocheck")
    assert not res.errors
    # The predicate is written over the padded iterator (here x itself, padded
    # from 18 to 20): true exactly on the added iterations.
    pred = _to_expr(res.padding_predicate)
    assert [v for v in range(20) if _eval(pred, {x: v})] == [18, 19]
    # A divisible split needs no padding.
    res = tvm.arith.detect_iter_map([floordiv(x, 4), floormod(x, 4)], _dom([(x, 16)]))
    assert tvm.ir.structural_equal(res.padding_predicate, tvm.tir.const(False, "bool"))


def test_middle_split_cannot_be_split_unevenly():
    # floormod(floormod(k, 4), 3) is not floormod(k, 3): padding k does not
    # make the middle split of extent 4 divisible by 3.
    (k,) = _vars("k")
    res = tvm.arith.detect_iter_map([floormod(floormod(k, 4), 3) + 3], _dom([(k, 8)]), check_level="nocheck")
    assert len(res.indices) == 0
    assert any("not a multiple of the divisor 3" in str(e) for e in res.errors), list(res.errors)


def _to_expr(expr):
    if isinstance(expr, (IterSumExpr, IterSplitExpr)):
        return tvm.arith.normalize_iter_map_to_expr(expr)
    for cls in (tir.And, tir.Or, tir.LT, tir.LE, tir.GT, tir.GE, tir.EQ, tir.NE, tir.Add, tir.Sub,
                tir.Mul, tir.FloorDiv, tir.FloorMod, tir.Min, tir.Max):
        if isinstance(expr, cls):
            return cls(_to_expr(expr.a), _to_expr(expr.b))
    if isinstance(expr, tir.Not):
        return tir.Not(_to_expr(expr.a))
    return expr


def test_trivial_iterators():
    i, j = _vars("i", "j")
    dom = _dom([(i, 1), (j, 4)])
    res = tvm.arith.detect_iter_map([i * 4 + j], dom)
    inner = IterSumExpr([IterSplitExpr(IterMark(j, 4), 1, 4, 1)], 0)
    tvm.ir.assert_structural_equal(
        res.indices[0], IterSumExpr([IterSplitExpr(IterMark(inner, 4), 1, 4, 1)], 0)
    )
    res = tvm.arith.detect_iter_map([i * 4 + j], dom, simplify_trivial_iterators=False)
    tvm.ir.assert_structural_equal(tvm.arith.normalize_iter_map_to_expr(res.indices[0]), i * 4 + j)


def test_free_symbols_go_to_the_base():
    i, j, n = _vars("i", "j", "n")
    res = tvm.arith.detect_iter_map([n * 10 + i * 3 + j], _dom([(i, 4), (j, 3)]))
    base, scale, extent = _split_of(res.indices[0])
    tvm.ir.assert_structural_equal(base, n * 10)
    assert extent.value == 12


@pytest.mark.parametrize(
    "build, extents, level, message",
    [
        (lambda i, j: [i * 4 + j], (3, 5), "bijective", "Could not fuse"),
        (lambda i, j: [i * j], (3, 5), "surjective", "product of two iterators"),
        (lambda i, j: [floordiv(i, j)], (3, 5), "surjective", "divisor"),
        (lambda i, j: [i, i + j], (3, 5), "surjective", "not independent"),
        (lambda i, j: [i], (3, 5), "bijective", "not used"),
        (lambda i, j: [tir.Max(i, j)], (3, 5), "surjective", "cannot be represented"),
        (lambda i, j: [floordiv(i * 3, 2)], (4, 5), "surjective", "do not divide each other"),
    ],
)
def test_failures_name_the_reason(build, extents, level, message):
    i, j = _vars("i", "j")
    res = tvm.arith.detect_iter_map(build(i, j), _dom([(i, extents[0]), (j, extents[1])]), check_level=level)
    assert len(res.indices) == 0
    assert any(message in str(e) for e in res.errors), list(res.errors)


def test_bad_predicate_and_check_level():
    i, j = _vars("i", "j")
    res = tvm.arith.detect_iter_map([i], _dom([(i, 4)]), predicate=tvm.tir.EQ(i, 2))
    assert len(res.indices) == 0 and "predicate" in str(res.errors[0])
    with pytest.raises(ValueError, match="Unknown check level"):
        tvm.arith.detect_iter_map([i], _dom([(i, 4)]), check_level="injective")
    # Ranges may not depend on the iterators.
    res = tvm.arith.detect_iter_map([i], {i: tvm.ir.Range(0, 4), j: tvm.ir.Range(0, i + 1)})
    assert len(res.indices) == 0 and "Invalid iterators" in str(res.errors[0])


def test_iter_map_simplify():
    i, j = _vars("i", "j")
    dom = _dom([(i, 4), (j, 8)])
    fused = i * 8 + j
    simplified = tvm.arith.iter_map_simplify([floordiv(fused, 8) * 8 + floormod(fused, 8)], dom)
    tvm.ir.assert_structural_equal(simplified[0], fused)
    # Unrepresentable indices come back unchanged.
    expr = tir.Max(i, j)
    tvm.ir.assert_structural_equal(tvm.arith.iter_map_simplify([expr], dom)[0], expr)


def test_normalize_to_iter_sum_sorts_by_scale():
    i, j, k = _vars("i", "j", "k", dtype="int64")
    res = tvm.arith.normalize_to_iter_sum(j * 3 + i * 20 + k + 5, _dom([(i, 4), (j, 5), (k, 3)]))
    assert [a.scale.value for a in res.args] == [20, 3, 1]
    assert res.base.value == 5


def test_subspace_divide_structure():
    i, j, k = _vars("i", "j", "k")
    dom = _dom([(i, 3), (j, 4), (k, 5)])
    res = tvm.arith.subspace_divide([i * 20 + j * 5 + k], dom, [k])
    assert len(res) == 2
    tvm.ir.assert_structural_equal(tvm.arith.normalize_iter_map_to_expr(res[0][0].source), i * 4 + j)
    tvm.ir.assert_structural_equal(tvm.arith.normalize_iter_map_to_expr(res[0][1].source), k)
    assert res[0][0].extent.value == 12 and res[0][1].extent.value == 5
    # k in the middle of the fusion cannot be divided out.
    assert len(tvm.arith.subspace_divide([i * 20 + j * 5 + k], dom, [j])) == 0


def test_inverse_affine_iter_map_structure():
    (x,) = _vars("x")
    imap = tvm.arith.detect_iter_map([floordiv(x, 8), floormod(x, 8)], _dom([(x, 32)])).indices
    o0, o1 = _vars("o0", "o1")
    inv = tvm.arith.inverse_affine_iter_map(imap, [o0, o1])
    ana = tvm.arith.Analyzer()
    assert ana.can_prove_equal(inv[x], o0 * 8 + o1)
    with pytest.raises(ValueError, match="outputs"):
        tvm.arith.inverse_affine_iter_map(imap, [o0])


def test_printing():
    (x,) = _vars("x")
    split = IterSplitExpr(IterMark(x, 8), 2, 4, 1)
    assert "IterSplit(IterMark(x, extent=8), lower_factor=2, extent=4, scale=1)" in str(split)
    assert str(IterSumExpr([split], 3)).startswith("IterSum([IterSplit(")


# ---------------------------------------------------------------------------
# Randomized: results must mean what they claim, at every point of the domain
# ---------------------------------------------------------------------------


def _random_indices(rng, iters):
    """Indices built by random fuses and splits of the iterators (as a schedule would)."""
    axes = [(v, e) for v, e in iters]
    for _ in range(rng.randint(0, 4)):
        if len(axes) >= 2 and rng.random() < 0.5:
            (a, ea), (b, eb) = rng.sample(axes, 2)
            axes = [ax for ax in axes if ax[0] is not a and ax[0] is not b]
            axes.append((a * eb + b, ea * eb))
        else:
            idx = rng.randrange(len(axes))
            a, ea = axes.pop(idx)
            if ea < 2:
                axes.append((a, ea))
                continue
            factor = rng.randint(2, 4)
            axes.append((floordiv(a, factor), -(-ea // factor)))
            axes.append((floormod(a, factor), factor))
    rng.shuffle(axes)
    keep = rng.randint(1, len(axes))
    indices = []
    for a, _ in axes[:keep]:
        scale = rng.choice([1, 1, 1, 2])
        offset = rng.choice([0, 0, 3])
        indices.append(a * scale + offset)
    return indices


def _check_result(indices, dom, res, level):
    if len(res.indices) == 0:
        return False
    points = list(_points(dom))
    splits = [_split_of(r) for r in res.indices]
    exprs = [tvm.arith.normalize_iter_map_to_expr(r) for r in res.indices]
    images = set()
    for env in points:
        values = []
        for index, expr, (base, scale, extent) in zip(indices, exprs, splits):
            expected = _eval(index, env)
            got = _eval(expr, env)
            assert got == expected, f"{expr} != {index} at {env}"
            b, s = _eval(base, env), _eval(scale, {}) if splits else 0
            k = (expected - b) // s if s else 0
            assert 0 <= k < _eval(extent, {}), f"{index}: {expected} outside its split at {env}"
            if s:
                assert b + k * s == expected
            values.append(k)
        images.add(tuple(values))
    padded = not tvm.ir.structural_equal(res.padding_predicate, tvm.tir.const(False, "bool"))
    if level in ("surjective", "bijective") and not padded:
        full = 1
        for _, _, extent in splits:
            full *= _eval(extent, {})
        # Independent and surjective: every combination of split values is reached.
        assert len(images) == full, f"{indices}: {len(images)} of {full} combinations reached"
        if level == "bijective":
            assert full == len(points), f"{indices}: not a bijection"
    return True


@pytest.mark.parametrize("seed", range(150))
def test_random_schedules_round_trip(seed):
    rng = random.Random(seed)
    n = rng.randint(1, 3)
    names = ["i", "j", "k"][:n]
    iters = [(tir.Var(nm, "int32"), rng.randint(1, 6)) for nm in names]
    dom = _dom(iters)
    detected = 0
    for _ in range(6):
        indices = _random_indices(rng, iters)
        for level in ("bijective", "surjective", "nocheck"):
            res = tvm.arith.detect_iter_map(indices, dom, check_level=level)
            if _check_result(indices, dom, res, level):
                detected += 1
                if level == "bijective" and all(
                    _split_of(r)[1] in (0, 1) or _eval(_split_of(r)[1], {}) == 1 for r in res.indices
                ):
                    _check_inverse(res, dom)
                    _check_subspace(indices, dom, rng)
    assert detected > 0


def _check_inverse(res, dom):
    outputs = [tir.Var(f"o{i}", "int32") for i in range(len(res.indices))]
    inv = tvm.arith.inverse_affine_iter_map(res.indices, outputs)
    exprs = [tvm.arith.normalize_iter_map_to_expr(r) for r in res.indices]
    for env in _points(dom):
        out_env = {o: _eval(e, env) for o, e in zip(outputs, exprs)}
        for var, value in inv.items():
            assert _eval(value, out_env) == env[var]


def _check_subspace(indices, dom, rng):
    variables = list(dom.keys())
    sub = [v for v in variables if rng.random() < 0.5]
    res = tvm.arith.subspace_divide(indices, dom, sub)
    if len(res) == 0:
        return
    sub_names = {v.name for v in sub}
    for env in _points(dom):
        for (outer, inner), index in zip(res[:-1], indices):
            o = _eval(tvm.arith.normalize_iter_map_to_expr(outer.source), env)
            i = _eval(tvm.arith.normalize_iter_map_to_expr(inner.source), env)
            assert o * inner.extent.value + i == _eval(index, env)
    for outer, inner in res[:-1]:
        inner_vars = _free_vars(tvm.arith.normalize_iter_map_to_expr(inner.source))
        outer_vars = _free_vars(tvm.arith.normalize_iter_map_to_expr(outer.source))
        assert inner_vars <= sub_names and not (outer_vars & sub_names)


def _free_vars(expr):
    found = set()

    def visit(e):
        if isinstance(e, tir.Var):
            found.add(e.name)
        elif hasattr(e, "a") and hasattr(e, "b"):
            visit(e.a)
            visit(e.b)

    visit(expr)
    return found


@pytest.mark.parametrize("seed", range(20))
def test_random_predicates_round_trip(seed):
    """A bound on a fused iterator: the detected extent counts exactly the points kept."""
    rng = random.Random(1000 + seed)
    i, j = _vars("i", "j")
    ei, ej = rng.randint(2, 6), rng.randint(2, 6)
    dom = _dom([(i, ei), (j, ej)])
    fused = i * ej + j
    lo, hi = sorted(rng.sample(range(ei * ej + 1), 2))
    pred = tvm.tir.all(lo <= fused, fused < hi)
    res = tvm.arith.detect_iter_map([fused], dom, predicate=pred)
    assert len(res.indices) == 1, res.errors
    base, scale, extent = _split_of(res.indices[0])
    kept = [_eval(fused, env) for env in _points(dom) if _eval(pred, env)]
    assert (base.value, extent.value) == (lo, hi - lo)
    assert sorted(kept) == list(range(lo, hi))


# ---------------------------------------------------------------------------
# Regions touched by a loop nest
# ---------------------------------------------------------------------------


def _touched(region, dom, predicate=None):
    per_dim = [set() for _ in region]
    for env in _points(dom):
        if predicate is not None and not _eval(predicate, env):
            continue
        for d, rng_ in enumerate(region):
            start = _eval(rng_.min, env)
            per_dim[d].update(range(start, start + rng_.extent.value))
    return per_dim


@pytest.mark.parametrize(
    "make, extents",
    [
        (lambda i, j: [(i * 4 + j, 1)], (5, 4)),
        (lambda i, j: [(i * 4, 6), (j, 2)], (5, 4)),
        (lambda i, j: [(floordiv(i * 4 + j, 3), 1)], (5, 3)),
        (lambda i, j: [(20 - j * 4, 4)], (1, 5)),
        (lambda i, j: [(i * 4, 2)], (5, 4)),  # gaps: no strict bound
        (lambda i, j: [(i + j, 1)], (4, 3)),  # overlapping windows
    ],
)
def test_estimate_region_bounds_against_enumeration(make, extents):
    i, j = _vars("i", "j")
    dom = _dom([(i, extents[0]), (j, extents[1])])
    region = [tvm.ir.Range.from_min_extent(m, e) for m, e in make(i, j)]
    touched = _touched(region, dom)
    strict = tvm.arith.estimate_region_strict_bound(region, dom, True)
    lower = tvm.arith.estimate_region_lower_bound(region, dom, True)
    upper = tvm.arith.estimate_region_upper_bound(region, dom, True)
    for d, points in enumerate(touched):
        lo, hi = upper[d].min_value.value, upper[d].max_value.value
        assert points <= set(range(lo, hi + 1))
        if lower is not None:
            assert set(range(lower[d].min_value.value, lower[d].max_value.value + 1)) <= points
        if strict is not None:
            assert set(range(strict[d].min_value.value, strict[d].max_value.value + 1)) == points
    if make(i, j)[0][1] == 2 and len(make(i, j)) == 1:
        assert strict is None


# ---------------------------------------------------------------------------
# DomainTouched and detect_common_subexpr
# ---------------------------------------------------------------------------


def test_domain_touched():
    from tvm.script import tir as T

    @T.prim_func
    def func(a: T.handle, b: T.handle):
        A = T.match_buffer(a, (16,))
        B = T.match_buffer(b, (20,))
        for i in range(8):
            A[i * 2] = B[i + 3] + B[i * 2]

    A, B = [func.buffer_map[p] for p in func.params]
    touched = tvm.arith._ffi_api.DomainTouched
    (r,) = touched(func.body, B, True, False)
    assert (r.min.value, r.extent.value) == (0, 15)  # [0, 14] from i*2 and [3, 10] from i+3
    (r,) = touched(func.body, A, False, True)
    assert (r.min.value, r.extent.value) == (0, 15)
    assert len(touched(func.body, B, False, True)) == 0
    with pytest.raises(ValueError, match="at least one"):
        touched(func.body, A, False, False)


def test_detect_common_subexpr():
    x, y = _vars("x", "y")
    common = (x + y) * 3
    expr = common + floordiv(common, 2) + x * y
    found = tvm.arith.detect_common_subexpr(expr, 2)
    assert len(found) == 1
    (key,) = list(found.keys())
    tvm.ir.assert_structural_equal(key, common)
    assert found[key] == 2
    # Loads are not pure: never reported, but their pure indices are.
    buf = tvm.tir.decl_buffer((4,), "int32", name="buf")
    load = tvm.tir.BufferLoad(buf, [x + 1])
    found = tvm.arith.detect_common_subexpr(load * load + load, 2)
    assert [(str(k), int(v)) for k, v in found.items()] == [("x + 1", 3)]
