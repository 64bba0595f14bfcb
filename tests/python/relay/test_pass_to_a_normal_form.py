# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""ToANormalForm: every intermediate value let-bound, in the right scope (exact IR and values)."""
import numpy as np

import tvm
from tvm import relay
from tvm.relay import transform
from tvm.relay.analysis import Feature, detect_feature


def _anf(expr):
    mod = transform.ToANormalForm()(tvm.IRModule.from_expr(expr))
    mod = transform.InferType()(mod)
    return mod["main"] if isinstance(expr, relay.Function) else mod["main"].body


def _typed(expr):
    mod = transform.InferType()(tvm.IRModule.from_expr(expr))
    return mod["main"] if isinstance(expr, relay.Function) else mod["main"].body


def _v(name):
    return relay.Var(name, relay.IncompleteType())


def test_post_order_bindings():
    x, y, z = relay.const(1.0), relay.const(2.0), relay.const(3.0)
    a, b, c, d, e = [_v(n) for n in "abcde"]
    want = relay.Let(a, x, relay.Let(b, y, relay.Let(c, z, relay.Let(d, b * c, relay.Let(e, a + d, e)))))
    tvm.ir.assert_structural_equal(_anf(x + y * z), _typed(want))


def test_shared_node_bound_once_and_branch_scopes():
    p = relay.var("p", shape=(), dtype="bool")
    q = relay.var("q", shape=(2,))
    shared = relay.exp(q)
    only_true = relay.negative(q)
    body = relay.If(p, relay.add(shared, only_true), shared)
    after = _anf(relay.Function([p, q], body))
    # the shared exp is hoisted above the if; negative stays in the true branch
    s, t1, t2, r = _v("s"), _v("t1"), _v("t2"), _v("r")
    want_if = relay.If(p, relay.Let(t1, relay.negative(q), relay.Let(t2, relay.add(s, t1), t2)), s)
    want = relay.Function([p, q], relay.Let(s, relay.exp(q), relay.Let(r, want_if, r)))
    tvm.ir.assert_structural_equal(after, _typed(want))


def test_function_body_is_its_own_scope_and_lets_keep_their_variable():
    x = relay.var("x", shape=(2,))
    y = relay.var("y")
    inner_p = relay.var("w", shape=(2,))
    inner = relay.Function([inner_p], relay.multiply(inner_p, relay.const(2.0)))
    body = relay.Let(y, relay.add(x, x), inner(y))
    after = _anf(relay.Function([x], body))
    c, m, f, call, l = _v("c"), _v("m"), _v("f"), _v("call"), _v("l")
    inner_want = relay.Function([inner_p], relay.Let(c, relay.const(2.0), relay.Let(m, relay.multiply(inner_p, c), m)))
    want_body = relay.Let(y, relay.add(x, x), relay.Let(f, inner_want, relay.Let(call, f(y), relay.Let(l, call, l))))
    tvm.ir.assert_structural_equal(after, _typed(relay.Function([x], want_body)))


def test_values_and_round_trip():
    x = relay.var("x", shape=(3,))
    a = relay.exp(x)
    b = relay.add(a, a)
    func = relay.Function([x], relay.Tuple([b, relay.multiply(b, a)])[1])
    anf = _anf(func)
    assert Feature.fLet in detect_feature(anf)
    gnf = transform.ToGraphNormalForm()(tvm.IRModule.from_expr(anf))["main"]
    assert Feature.fLet not in detect_feature(gnf)
    xd = np.array([0.0, 0.5, -1.0], "float32")
    run = lambda f: relay.create_executor("debug", mod=tvm.IRModule.from_expr(f)).evaluate()(xd).numpy()  # noqa: E731
    ref = run(func)
    np.testing.assert_allclose(run(anf), ref, rtol=1e-6)
    np.testing.assert_allclose(run(gnf), ref, rtol=1e-6)


def test_long_chain():
    x = relay.var("x", shape=(2,))
    y = x
    for _ in range(100000):
        y = relay.negative(y)
    mod = transform.ToANormalForm()(tvm.IRModule.from_expr(relay.Function([x], y)))
    body, n = mod["main"].body, 0
    while isinstance(body, relay.Let):
        body, n = body.body, n + 1
    assert n == 100000
