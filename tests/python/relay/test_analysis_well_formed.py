# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""relay.analysis.well_formed and check_basic_block_normal_form."""
import pytest

import tvm
from tvm import relay
from tvm.relay.analysis import check_basic_block_normal_form, well_formed
from tvm.relay.analysis import _ffi_api

EXP = tvm.ir.Op.get("tir.exp")
ATAN2 = tvm.ir.Op.get("tir.atan2")


def reason(expr):
    return str(_ffi_api.well_formed_reason(expr))


def test_free_variables_are_fine():
    x, y = relay.var("x"), relay.var("y")
    assert well_formed(x)
    assert well_formed(relay.Call(ATAN2, [x, y]))
    assert well_formed(relay.Function([x], relay.Tuple([x, y])))
    assert well_formed(relay.TupleGetItem(x, 3))


def test_bound_twice():
    x = relay.var("x")
    one = relay.const(1.0)
    let = relay.Let(x, one, x)
    assert well_formed(let)
    bad = relay.Let(x, one, let)
    assert not well_formed(bad)
    assert "%x is bound more than once" in reason(bad)
    # Two different lets, side by side.
    assert not well_formed(relay.Tuple([let, relay.Let(x, one, x)]))
    # A let and a function parameter.
    assert not well_formed(relay.Function([x], relay.Let(x, one, x)))
    # Two functions with the same parameter.
    assert not well_formed(relay.Tuple([relay.Function([x], x), relay.Function([x], x)]))


def test_the_same_binder_reached_twice_is_one_binding():
    x, y, z = relay.var("x"), relay.var("y"), relay.var("z")
    f = relay.Function([x], x)
    one = relay.const(1.0)
    assert well_formed(relay.Let(y, f, relay.Let(z, f, one)))
    assert well_formed(relay.Tuple([f, f]))
    # Also when the scopes it was reached from have closed.
    assert well_formed(relay.Tuple([relay.Let(y, f, y), relay.Let(z, f, z)]))
    let = relay.Let(y, one, y)
    assert well_formed(relay.Tuple([let, let]))


def test_used_outside_its_scope():
    x = relay.var("x")
    one = relay.const(1.0)
    after = relay.Tuple([relay.Let(x, one, x), x])
    assert not well_formed(after)
    assert "%x is used outside the scope of the relay.Let" in reason(after)
    # Used first, bound later.
    before = relay.Tuple([x, relay.Let(x, one, x)])
    assert not well_formed(before)
    # A function parameter used outside the function.
    assert not well_formed(relay.Tuple([relay.Function([x], x), relay.Call(EXP, [x])]))
    # A node shared between the inside and the outside of the scope.
    use = relay.Call(EXP, [x])
    assert not well_formed(relay.Tuple([relay.Let(x, one, use), use]))
    assert well_formed(relay.Let(x, one, relay.Tuple([use, use])))


def test_recursive_let_sees_its_variable():
    f = relay.var("f")
    n = relay.var("n")
    fn = relay.Function([n], relay.Call(f, [n]))
    assert well_formed(relay.Let(f, fn, f))


def test_if_and_refs():
    c, x = relay.var("c"), relay.var("x")
    one = relay.const(1.0)
    ite = relay.If(c, relay.Let(x, one, x), relay.RefRead(relay.RefCreate(one)))
    assert well_formed(ite)
    assert not well_formed(relay.If(c, relay.Let(x, one, x), x))


def test_error_for_non_expressions():
    with pytest.raises(TypeError, match="well_formed expects a Relay expression"):
        well_formed(None)


def test_long_chains():
    x = relay.var("x")
    n = 100000
    vs = [relay.var(f"v{i}") for i in range(n)]
    body = vs[-1]
    for i in reversed(range(n)):
        body = relay.Let(vs[i], relay.Call(EXP, [vs[i - 1] if i else x]), body)
    assert well_formed(body)
    assert well_formed(relay.Function([x], body))
    # The last variable used again after the chain: outside all the scopes.
    assert not well_formed(relay.Tuple([body, vs[-1]]))
    e = x
    for _ in range(n):
        e = relay.Call(EXP, [e])
    assert well_formed(relay.Function([x], e))


def test_basic_block_one_block_and_let():
    x, y = relay.var("x"), relay.var("y")
    a = relay.Call(ATAN2, [x, x])
    assert check_basic_block_normal_form(relay.Call(ATAN2, [x, a]))
    assert check_basic_block_normal_form(relay.Let(y, x, y))


def test_basic_block_if_branches():
    cond, shared = relay.var("cond", shape=(), dtype="bool"), relay.var("shared")
    body = relay.If(cond, shared, relay.Call(ATAN2, [shared, shared]))
    with pytest.raises(tvm.error.TVMError, match="let-bind it in a scope enclosing all its uses"):
        check_basic_block_normal_form(body)
    bound = relay.var("bound")
    assert check_basic_block_normal_form(relay.Let(shared, bound, body))
    # A computation both branches use.
    x = relay.var("x")
    v1 = relay.Call(EXP, [x])
    one = relay.const(1.0)
    ite = relay.If(cond, relay.Call(ATAN2, [v1, one]), relay.Call(ATAN2, [v1, relay.const(2.0)]))
    with pytest.raises(tvm.error.TVMError, match="relay.Call is used in scopes"):
        check_basic_block_normal_form(relay.Function([x], ite))
    v = relay.var("v")
    ite = relay.If(cond, relay.Call(ATAN2, [v, one]), relay.Call(ATAN2, [v, relay.const(2.0)]))
    assert check_basic_block_normal_form(relay.Function([x], relay.Let(v, v1, ite)))


def test_basic_block_evaluation_order_decides():
    # Used in the enclosing scope first (as the first field), then in a branch: fine.
    cond, x = relay.var("cond"), relay.var("x")
    a = relay.Call(EXP, [x])
    assert check_basic_block_normal_form(relay.Tuple([a, relay.If(cond, a, x)]))
    # Used in a branch first, then outside: it would be computed in the branch.
    with pytest.raises(tvm.error.TVMError):
        check_basic_block_normal_form(relay.Tuple([relay.If(cond, a, x), a]))


def test_basic_block_functions():
    x, y, z = relay.var("x"), relay.var("y"), relay.var("z")
    x2 = relay.Call(ATAN2, [x, x])
    fa = relay.Function([y], relay.Call(ATAN2, [x2, y]))
    fb = relay.Function([z], relay.Call(ATAN2, [x2, z]))
    with pytest.raises(tvm.error.TVMError):
        check_basic_block_normal_form(relay.Function([x], relay.Tuple([fa, fb])))
    # Operators are shared everywhere without a let.
    fc = relay.Function([z], relay.Call(ATAN2, [z, z]))
    assert check_basic_block_normal_form(relay.Function([x], relay.Tuple([fa, fc])))


def test_basic_block_long_chain():
    x = relay.var("x")
    e = x
    for _ in range(100000):
        e = relay.Call(EXP, [e])
    assert check_basic_block_normal_form(relay.Function([x], e))
