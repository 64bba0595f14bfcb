# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""ToGraphNormalForm: lets become shared nodes (exact IR, values, long chains)."""
import numpy as np

import tvm
from tvm import relay
from tvm.relay import transform
from tvm.relay.analysis import Feature, detect_feature


def _gnf(func):
    return transform.ToGraphNormalForm()(tvm.IRModule.from_expr(func))["main"]


def test_lets_become_shared_nodes():
    x = relay.var("x", shape=(2,))
    y, z = relay.var("y"), relay.var("z")
    f = relay.Function([x], relay.Let(y, relay.add(x, x), relay.Let(z, relay.multiply(y, y), relay.subtract(z, y))))
    g = _gnf(f)
    assert Feature.fLet not in detect_feature(g)
    a = relay.add(x, x)
    want = transform.InferType()(tvm.IRModule.from_expr(relay.Function([x], relay.subtract(relay.multiply(a, a), a))))
    tvm.ir.assert_structural_equal(g, want["main"])
    assert g.body.args[1].same_as(g.body.args[0].args[0])  # one node, shared
    xd = np.array([1.0, 2.0], "float32")
    run = lambda fn: relay.create_executor("debug", mod=tvm.IRModule.from_expr(fn)).evaluate()(xd).numpy()  # noqa: E731
    np.testing.assert_allclose(run(g), run(f))


def test_recursive_function_keeps_its_binding():
    n = relay.var("n", shape=(), dtype="int32")
    f = relay.var("f")
    body = relay.If(relay.equal(n, relay.const(0)), relay.const(0), f(relay.subtract(n, relay.const(1))))
    loop = relay.Function([n], body)
    prog = relay.Function([], relay.Let(f, loop, f(relay.const(3))))
    g = _gnf(prog)
    callee = g.body.op
    # (InferType gave f an annotated copy with the same vid.)
    assert isinstance(callee, relay.Let) and callee.var.vid.same_as(f.vid) and callee.body.same_as(callee.var)
    assert int(relay.create_executor("debug", mod=tvm.IRModule.from_expr(g)).evaluate()().numpy()) == 0


def test_long_let_chain():
    x = relay.var("x", shape=(2,))
    vs = [relay.var("v%d" % i) for i in range(100000)]
    body = vs[-1]
    for i in reversed(range(len(vs))):
        body = relay.Let(vs[i], relay.negative(x if i == 0 else vs[i - 1]), body)
    g = _gnf(relay.Function([x], body))
    node, depth = g.body, 0
    while isinstance(node, relay.Call):
        node, depth = node.args[0], depth + 1
    assert depth == 100000 and node.same_as(g.params[0])
