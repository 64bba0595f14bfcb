# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""NarrowPredicateExpression: a parameter-free condition implying the original."""
import pytest

import tvm
from tvm import tir

i, j, k = (tir.Var(n, "int32") for n in "ijk")
PARAMS = {k: tvm.ir.Range.from_min_extent(2, 6)}  # k in [2, 8)
I7, I2 = tir.IntImm("int32", 7), tir.IntImm("int32", 2)
buf = tir.decl_buffer((8,), "int32", "buf")
FALSE = tir.IntImm("bool", False)

CASES = [
    (i < k, i < 2),
    (k <= i, tir.LE(7, i)),
    (i >= k * 2, i >= tir.Mul(I7, 2)),  # built, not simplified
    (i * 3 - k < 9, tir.Sub(i * 3, I2) < 9),
    (i + k * -2 > 0, i + tir.Mul(I7, -2) > 0),
    (tir.floordiv(i + k, 2) < 5, tir.floordiv(i + 7, 2) < 5),
    (tir.EQ(i, k), tir.And(i <= 2, tir.LE(7, i))),
    (tir.NE(i, k), tir.Or(i < 2, tir.LT(7, i))),
    (tir.Not(k < i), tir.Not(tir.LT(2, i))),
    (tir.And(i < k, j < 3), tir.And(i < 2, j < 3)),
    (tir.floormod(i, 4) < k, FALSE),  # remainders are not monotonic
    (tir.floordiv(i, k) < 1, FALSE),  # a parameter in a divisor
    (tir.Or(buf.vload(i) > 0, i < k), tir.Or(FALSE, i < 2)),
]


@pytest.mark.parametrize("before,expected", CASES, ids=lambda c: str(c))
def test_narrow(before, expected):
    after = tvm.arith.narrow_predicate_expression(before, PARAMS)
    tvm.ir.assert_structural_equal(after, expected)


def _holds(cond, env):
    from test_arith_rewrite_rules import _eval  # pylint: disable=import-outside-toplevel

    return _eval(cond, env)


@pytest.mark.parametrize("before", [c[0] for c in CASES if "buf" not in str(c[0])], ids=str)
def test_narrowed_implies_original(before):
    after = tvm.arith.narrow_predicate_expression(before, PARAMS)
    for vi in range(-20, 21):
        for vj in range(-3, 6):
            if _holds(after, {"i": vi, "j": vj}):
                for vk in range(2, 8):
                    assert _holds(before, {"i": vi, "j": vj, "k": vk}), (before, after, vi, vj, vk)


def test_bad_input():
    with pytest.raises(TypeError, match="boolean condition"):
        tvm.arith.narrow_predicate_expression(i + k, PARAMS)
