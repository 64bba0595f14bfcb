"""Nested min/max over shared subtrees: the simplifier must not revisit them exponentially.

Each level uses the previous expression twice, and the comparison rules for
min/max simplify the difference of their operands, so without reuse of results
the work grows exponentially with the depth (depth 12 took hours). Nothing is
asserted about time: an exponential simplifier makes this test time out.
"""
import tvm
import tvm.testing
from tvm import te


def _nested(depth):
    x, y = te.var("x"), te.var("y")
    e = x
    for k in range(depth):
        e = te.min(te.max(e, y - k) + 1, x * 2 - k) - te.min(e, 3)
    return x, y, e


def _evaluate(e, x, y, xv, yv):
    return tvm.arith.Analyzer().simplify(tvm.tir.stmt_functor.substitute(e, {x: xv, y: yv})).value


def test_nested_min_max_depth_12():
    x, y, e = _nested(12)
    for simplify in ("simplify", "rewrite_simplify", "canonical_simplify"):
        res = getattr(tvm.arith.Analyzer(), simplify)(e)
        assert isinstance(res, tvm.tir.PrimExpr)


def test_nested_min_max_unshared_depth_32():
    # No shared subtrees: the comparison rules alone re-simplified every level
    # beneath (depth 12 took a minute).
    x, y = te.var("x"), te.var("y")
    e = x
    for k in range(32):
        e = te.min(te.max(e, y - k) + 1, x * 2 - k) - te.min(x + k, 3)
    res = tvm.arith.Analyzer().simplify(e)
    assert isinstance(res, tvm.tir.PrimExpr)


def test_nested_min_max_keeps_value():
    # The memoised simplification still computes the same function.
    x, y, e = _nested(4)
    res = tvm.arith.Analyzer().simplify(e)
    for xv, yv in [(-7, 3), (0, 0), (5, -2), (2, 9), (-1, -6)]:
        assert _evaluate(res, x, y, xv, yv) == _evaluate(e, x, y, xv, yv)


def test_memo_respects_constraints():
    # The same node simplified inside and outside a constraint scope differs.
    x = te.var("x")
    e = te.min(x, 10)
    a = tvm.arith.Analyzer()
    with a.constraint_scope(x < 5):
        assert tvm.ir.structural_equal(a.rewrite_simplify(e), x)
    assert tvm.ir.structural_equal(a.rewrite_simplify(e), e)
    # Both branches of a select share the node; each sees its own condition.
    s = tvm.tir.Select(x < 5, e, e)
    res = a.rewrite_simplify(s)
    assert tvm.ir.structural_equal(res, tvm.tir.Select(x < 5, x, e))


def test_memo_respects_bindings():
    x, y = te.var("x"), te.var("y")
    e = te.max(x + y, y)
    a = tvm.arith.Analyzer()
    first = a.rewrite_simplify(e)
    a.update(x, tvm.arith.ConstIntBound(0, 100))
    assert tvm.ir.structural_equal(a.rewrite_simplify(e), x + y)
    assert not tvm.ir.structural_equal(first, x + y)


if __name__ == "__main__":
    tvm.testing.main()
