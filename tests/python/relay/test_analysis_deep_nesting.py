# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Nesting that no dataflow walk flattens: 100,000 functions inside each
other, and ifs nested in their else branches. The C++ analyses and Bind go on
on a large stack past 1,000 levels (or are iterative): no stack overflow."""
import tvm
from tvm import relay
from tvm.relay import analysis

N = 100000
EXP = tvm.ir.Op.get("tir.exp")


def nested_functions(n):
    # fn (%p0) { fn (%p1) { ... fn (%p(n-1)) { exp(%p0, free %w) } } }
    params = [relay.var(f"p{i}") for i in range(n)]
    w = relay.var("w")
    body = relay.Tuple([relay.Call(EXP, [params[0]]), w])
    for p in reversed(params):
        body = relay.Function([p], body)
    return body, params, w


def test_nested_functions():
    f, params, w = nested_functions(N)
    free = analysis.free_vars(f)
    assert len(free) == 1 and free[0].same_as(w)
    bound = analysis.bound_vars(f)
    assert len(bound) == N and bound[0].same_as(params[0])
    assert analysis.well_formed(f)
    assert analysis.check_basic_block_normal_form(f)
    assert analysis.Feature.fFunction in analysis.detect_feature(f)
    y = relay.var("y")
    out = relay.bind(f, {w: y})
    # y, brought in by the binding, becomes a parameter of the outer function.
    assert len(out.params) == 2 and out.params[1].same_as(y)
    assert len(analysis.free_vars(out)) == 0
    count = [0]
    analysis.post_order_visit(f, lambda _: count.__setitem__(0, count[0] + 1))
    assert count[0] == 2 * N + 4  # functions, params, the tuple, the call, the op, w


def test_nested_ifs():
    c, x, y = relay.var("c"), relay.var("x"), relay.var("y")
    e = x
    for i in range(N):
        e = relay.If(c, relay.const(float(i)), e)
    out = relay.bind(e, {x: y})
    assert [v.name_hint for v in analysis.free_vars(out)] == ["c", "y"]
    assert analysis.well_formed(e)
