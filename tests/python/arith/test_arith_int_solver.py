# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Integer constraint solvers: tvm.arith.solve_linear_equations and
solve_linear_inequalities, checked on exact cases and, for random systems,
by enumerating every point of the variables' ranges with numpy-free Python."""
import itertools
import random

import pytest
import tvm
import tvm.testing
from tvm import arith, ir, te, tir


def _eval(expr, env):
    """The value of an integer/boolean PrimExpr at the point env ({Var: int})."""
    ana = tvm.arith.Analyzer()
    value = ana.simplify(tir.stmt_functor.substitute(expr, {v: tir.const(x, v.dtype) for v, x in env.items()}))
    assert isinstance(value, tir.IntImm), f"{expr} did not evaluate to a constant at {env}: {value}"
    return int(value.value)


def _points(variables, ranges):
    axes = [range(int(ranges[v].min), int(ranges[v].min) + int(ranges[v].extent)) for v in variables]
    for values in itertools.product(*axes):
        yield dict(zip(variables, values))


# ---------------------------------------------------------------------------
# Data structures


def test_nodes_reflect_their_fields():
    x, y = te.var("x"), te.var("y")
    c = arith.IntConstraints([x], {x: ir.Range(0, 4)}, [x + y <= 3])
    assert list(c.variables) == [x]
    assert ir.structural_equal(c.ranges[x], ir.Range(0, 4))
    assert ir.structural_equal(c.relations[0], x + y <= 3)
    t = arith.IntConstraintsTransform(c, c, {x: x}, {x: x})
    assert t.src.same_as(c) and t.dst.same_as(c)
    assert ir.structural_equal(t, arith.IntConstraintsTransform(c, c, {x: x}, {x: x}))

    b = arith.IntGroupBounds(tir.const(2, "int32"), [x], [], [y + 1])
    assert b.coef.value == 2 and len(b.equal) == 0
    assert ir.structural_equal(b.upper[0], y + 1)


def test_group_bounds_from_range_and_best_range():
    x = te.var("x")
    b = arith.IntGroupBounds.from_range(ir.Range.from_min_extent(3, 5))
    assert [int(e) for e in b.lower] == [3] and [int(e) for e in b.upper] == [7]
    r = b.find_best_range()
    assert int(r.min) == 3 and int(r.extent) == 5
    point = arith.IntGroupBounds.from_range(ir.Range.from_min_extent(x, 1))
    assert len(point.equal) == 1 and point.equal[0].same_as(x)
    # 2 * v in [1, 9]: v in [1, 4]
    b = arith.IntGroupBounds(tir.const(2, "int32"), [tir.const(1), tir.const(-8)], [], [tir.const(9)])
    r = b.find_best_range()
    assert int(r.min) == 1 and int(r.extent) == 4
    # No upper bound: no range.
    assert arith.IntGroupBounds(tir.const(1, "int32"), [tir.const(0)], [], []).find_best_range() is None


def test_bad_input_is_named():
    f = te.var("f", "float32")
    with pytest.raises(TypeError, match="variable f has type float32"):
        arith.IntConstraints([f], {}, [])
    with pytest.raises(TypeError, match="coefficient must be an integer"):
        arith.IntGroupBounds(tir.const(1.0, "float32"), [], [], [])
    x = te.var("x")
    c = arith.IntConstraints([x], {}, [x == 1])
    with pytest.raises(ValueError, match="variables and ranges come from the IntConstraints"):
        arith.solve_linear_equations(c, [x])
    with pytest.raises(ValueError, match="listed more than once"):
        arith.solve_linear_inequalities([x <= 1], [x, x])


def test_none_is_an_empty_container():
    # Any global function taking an Array or Map reads None as empty (it used to crash).
    x = te.var("x")
    assert len(tvm.arith._ffi_api.DetectLinearEquation(x * 2, None)) == 1
    c = tvm.arith._ffi_api.IntConstraints(None, None, [x == 1])
    assert len(c.variables) == 0 and len(c.ranges) == 0


# ---------------------------------------------------------------------------
# Equations


def test_equations_unique_solution():
    x, y = te.var("x"), te.var("y")
    t = arith.solve_linear_equations([x + y == 20, x - y == 10], [x, y])
    assert len(t.dst.variables) == 0 and len(t.dst.relations) == 0
    assert int(t.src_to_dst[x]) == 15 and int(t.src_to_dst[y]) == 5


def test_equations_free_variable_and_ranges():
    x, y, z = te.var("x"), te.var("y"), te.var("z")
    t = arith.solve_linear_equations([x + y + z == 15, x + y == 10], [x, y, z])
    [n0] = t.dst.variables
    assert ir.structural_equal(t.src_to_dst[x], n0 + 10)
    assert ir.structural_equal(t.src_to_dst[y], -n0)
    assert int(t.src_to_dst[z]) == 5
    assert ir.structural_equal(t.dst_to_src[n0], -y)

    ranges = {x: ir.Range.from_min_extent(-5, 10), y: ir.Range.from_min_extent(0, 10)}
    t = arith.solve_linear_equations([x + y == 0], [x, y], ranges)
    [n0] = t.dst.variables
    assert int(t.dst.ranges[n0].min) == -9 and int(t.dst.ranges[n0].extent) == 10
    # x's range is not implied by n0's: it stays as a relation.
    [rel] = t.dst.relations
    assert ir.structural_equal(rel, tir.const(-5) <= n0)


def test_equations_divisibility_and_parameters():
    x, p = te.var("x"), te.var("p")
    # 3 * x == p has a solution only where 3 divides p.
    t = arith.solve_linear_equations([x * 3 == p], [x], {p: ir.Range(0, 12)})
    assert len(t.dst.variables) == 0
    [rel] = t.dst.relations
    assert ir.structural_equal(rel, tir.floormod(p, 3) == 0)
    assert ir.structural_equal(t.src_to_dst[x], tir.floordiv(p, 3))
    assert ir.structural_equal(t.dst.ranges[p], ir.Range(0, 12))


def test_equations_infeasible():
    x, y = te.var("x"), te.var("y")
    for eqs in ([x + y == 0, x - y == 0, x == 5], [x * 2 == 7], [x * 2 + y * 4 == 1]):
        t = arith.solve_linear_equations(eqs, [x, y])
        assert len(t.dst.variables) == 0 and len(t.src_to_dst) == 0 and len(t.dst_to_src) == 0
        [rel] = t.dst.relations
        assert ir.structural_equal(rel, tir.const(False))


def test_equations_keep_what_they_cannot_solve():
    x, y = te.var("x"), te.var("y")
    eqs = [x * y == 4, x <= 3, x + y == 5]
    t = arith.solve_linear_equations(eqs, [x, y])
    [n0] = t.dst.variables
    sub = lambda e: tir.stmt_functor.substitute(e, t.src_to_dst)
    assert ir.structural_equal(list(t.dst.relations), [sub(eqs[0]), sub(eqs[1])])
    # No variables: everything is kept, and src is dst.
    t = arith.solve_linear_equations(eqs)
    assert ir.structural_equal(t.src, t.dst)


def _random_relation(variables, coef, equation):
    def side():
        return sum(v * random.randint(*coef) for v in variables) + random.randint(*coef)

    op = tir.EQ if equation else random.choice([tir.LE, tir.LT, tir.GE, tir.GT])
    return op(side(), side())


@pytest.mark.parametrize("seed", range(6))
def test_equations_random_systems_against_enumeration(seed):
    """Every point in the ranges that satisfies the system is reached by exactly
    one point of the fresh variables, and no other point is."""
    random.seed(seed)
    for num_vars, num_rels, coef, bound in [(1, 1, (-5, 5), 6), (2, 2, (-4, 4), 5), (3, 2, (-2, 2), 3), (3, 3, (-2, 2), 3)]:
        variables = [te.var(f"x{i}") for i in range(num_vars)]
        relations = [_random_relation(variables, coef, random.random() < 0.75) for _ in range(num_rels)]
        ranges = {v: ir.Range(-bound, bound + 1) for v in variables}
        t = arith.solve_linear_equations(relations, variables, ranges)
        solutions = {
            tuple(p[v] for v in variables)
            for p in _points(variables, ranges)
            if all(_eval(r, p) for r in relations)
        }
        if any(ir.structural_equal(r, tir.const(False)) for r in t.dst.relations):
            assert not solutions, f"reported infeasible, but {solutions} solve {relations}"
            continue
        for v in t.dst.variables:
            assert v in t.dst.ranges, f"fresh variable {v} has no range"
        reached = set()
        for p in _points(list(t.dst.variables), t.dst.ranges):
            if not all(_eval(r, p) for r in t.dst.relations):
                continue
            point = tuple(_eval(t.src_to_dst[v], p) for v in variables)
            assert point not in reached, f"{point} reached twice"
            reached.add(point)
            back = {v: _eval(t.dst_to_src[v], dict(zip(variables, point))) for v in t.dst.variables}
            assert back == p
        assert reached == solutions, f"{relations}: solver gives {sorted(reached)}, enumeration {sorted(solutions)}"


def test_equations_consistency_helper():
    random.seed(7)
    variables = [te.var(f"x{i}") for i in range(3)]
    relations = [_random_relation(variables, (-2, 2), True) for _ in range(2)]
    ranges = {v: ir.Range(-3, 4) for v in variables}
    t = arith.solve_linear_equations(relations, variables, ranges)
    tvm.testing.check_int_constraints_trans_consistency(t)
    # The last variable as a parameter.
    t = arith.solve_linear_equations(relations, variables[:-1], ranges)
    tvm.testing.check_int_constraints_trans_consistency(t, {variables[-1]: ranges[variables[-1]]})


# ---------------------------------------------------------------------------
# Inequalities


def test_inequalities_ranges_and_conditions():
    x, y = te.var("x"), te.var("y")
    ranges = {x: ir.Range(-100, 100), y: ir.Range(0, 10)}
    problem = [x + y <= 20, x - y >= 10]
    conds = arith._ffi_api.SolveInequalitiesAsCondition([x, y], ranges, problem)
    expected = [x >= y + 10, x <= 20 - y, y >= 0, y <= 5]
    assert ir.structural_equal(list(conds), expected)

    r = arith.solve_linear_inequalities(problem, [x, y], ranges)
    assert int(r.ranges[y].min) == 0 and int(r.ranges[y].extent) == 6
    assert ir.structural_equal(r.ranges[x].min, y + 10)
    assert int(r.ranges[x].extent) == 11

    t = arith.solve_linear_inequalities(problem, [x, y], ranges, deskew_range=True)
    [xs, ys] = t.dst.variables
    assert xs.name == "x.shifted" and ys.name == "y.shifted"
    assert ir.structural_equal(list(t.dst.relations), [ys * 2 + xs <= 10])
    assert ir.structural_equal(t.src_to_dst[x], xs + (ys + 10))
    assert ir.structural_equal(t.dst_to_src[xs], x - y - 10)
    tvm.testing.check_int_constraints_trans_consistency(t)


def test_inequalities_coefficients():
    # 3 <= 2 * x <= 9 is x in [2, 4].
    x = te.var("x")
    r = arith.solve_linear_inequalities([x * 2 >= 3, x * 2 <= 9], [x])
    assert int(r.ranges[x].min) == 2 and int(r.ranges[x].extent) == 3


def test_inequalities_infeasible():
    x = te.var("x")
    ranges = {x: ir.Range.from_min_extent(-20, 41)}
    problem = [-x - 4 <= -5 * x + 2, x * 4 + 5 <= x * 5]  # x <= 1 and x >= 5
    r = arith.solve_linear_inequalities(problem, [x], ranges)
    assert len(r.variables) == 0 and len(r.ranges) == 0
    assert ir.structural_equal(list(r.relations), [tir.const(False)])
    t = arith.solve_linear_inequalities(problem, [x], ranges, deskew_range=True)
    assert len(t.dst.variables) == 0 and len(t.src_to_dst) == 0
    assert ir.structural_equal(list(t.dst.relations), [tir.const(False)])


def test_inequalities_nonlinear_relations_are_kept():
    x, y, z = te.var("x"), te.var("y"), te.var("z")
    problem = [x <= 6, x >= 6, x - z * y >= 0, x - z * y <= 0]
    r = arith.solve_linear_inequalities(problem, [x, y, z])
    assert int(r.ranges[x].min) == 6 and int(r.ranges[x].extent) == 1
    assert ir.structural_equal(r.relations[0], x == z * y)
    t = arith.solve_linear_inequalities(problem, [x, y, z], deskew_range=True)
    assert t.src_to_dst[y].same_as(y) and t.src_to_dst[z].same_as(z)
    assert int(t.src_to_dst[x]) == 6


@pytest.mark.parametrize("seed", range(6))
def test_inequalities_random_systems_against_enumeration(seed):
    """With unit coefficients the elimination is exact: the ranges and the
    relations left describe exactly the points that satisfy the system."""
    random.seed(100 + seed)
    for num_vars, num_rels in [(1, 2), (2, 2), (2, 3), (3, 3)]:
        variables = [te.var(f"x{i}") for i in range(num_vars)]
        relations = [_random_relation(variables, (-1, 1), random.random() < 0.2) for _ in range(num_rels)]
        ranges = {v: ir.Range(-4, 5) for v in variables}
        solutions = [p for p in _points(variables, ranges) if all(_eval(r, p) for r in relations)]
        r = arith.solve_linear_inequalities(relations, variables, ranges)
        if any(ir.structural_equal(rel, tir.const(False)) for rel in r.relations):
            assert not solutions
            continue

        def inside(p):
            for v in variables:
                if v in r.ranges:
                    lo = _eval(r.ranges[v].min, p)
                    if not lo <= p[v] < lo + _eval(r.ranges[v].extent, p):
                        return False
            return all(_eval(rel, p) for rel in r.relations)

        described = [p for p in _points(variables, ranges) if inside(p)]
        assert described == solutions, f"{relations}: {r}"

        t = arith.solve_linear_inequalities(relations, variables, ranges, deskew_range=True)
        tvm.testing.check_int_constraints_trans_consistency(t)
