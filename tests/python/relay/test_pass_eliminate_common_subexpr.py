# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""EliminateCommonSubexpr: identical calls and projections merge (exact IR)."""
import numpy as np

import tvm
from tvm import relay
from tvm.relay import transform


def _cse(func, fskip=None):
    return transform.EliminateCommonSubexpr(fskip)(tvm.IRModule.from_expr(func))["main"]


def _typed(func):
    return transform.InferType()(tvm.IRModule.from_expr(func))["main"]


def test_identical_chains_merge():
    x = relay.var("x", shape=(1, 16))
    a = relay.add(relay.nn.relu(x), relay.const(1.0))
    b = relay.add(relay.nn.relu(x), relay.const(1.0))
    after = _cse(relay.Function([x], relay.multiply(a, b)))
    y = relay.add(relay.nn.relu(x), relay.const(1.0))
    tvm.ir.assert_structural_equal(after, _typed(relay.Function([x], relay.multiply(y, y))))
    assert after.body.args[0].same_as(after.body.args[1])


def test_different_attrs_or_args_stay_apart():
    x = relay.var("x", shape=(2, 3, 4))
    c1 = relay.const(np.ones((4,), "float32"))
    c2 = relay.const(np.ones((4,), "float32"))  # equal values, but not scalars: not merged (as TVM)
    parts = [
        relay.sum(x, axis=[1]), relay.sum(x, axis=[2]),
        relay.add(x, c1), relay.add(x, c2),
        relay.add(x, relay.const(2.0)), relay.add(x, relay.const(3.0)),
    ]
    after = _cse(relay.Function([x], relay.Tuple(parts)))
    fields = after.body.fields
    for i in range(len(fields)):
        for j in range(i + 1, len(fields)):
            assert not fields[i].same_as(fields[j])


def test_equal_attrs_built_separately_merge():
    x = relay.var("x", shape=(2, 3, 4))
    a = relay.transpose(x, axes=[2, 0, 1])
    b = relay.transpose(x, axes=[2, 0, 1])
    after = _cse(relay.Function([x], relay.Tuple([a, b])))
    assert after.body.fields[0].same_as(after.body.fields[1])


def test_tuple_arguments_and_projections():
    x = relay.var("x", shape=(1, 16))
    c0 = relay.const(np.ones((1, 16), "float32"))
    a = relay.concatenate([relay.nn.relu(x), c0], axis=0)
    b = relay.concatenate([relay.nn.relu(x), c0], axis=0)
    s = relay.split(x, 2, axis=1)
    after = _cse(relay.Function([x], relay.Tuple([a, b, s[0], s[0]])))
    f = after.body.fields
    assert f[0].same_as(f[1]) and f[2].same_as(f[3])


def test_fskip_and_stateful():
    x = relay.var("x", shape=(4,))
    a = relay.add(relay.exp(x), relay.const(1.0))
    b = relay.add(relay.exp(x), relay.const(1.0))
    after = _cse(relay.Function([x], relay.Tuple([a, b])), fskip=lambda e: isinstance(e, relay.Call) and e.op.name == "add")
    f = after.body.fields
    assert not f[0].same_as(f[1]) and f[0].args[0].same_as(f[1].args[0])

    d = _cse(relay.Function([x], relay.Tuple([relay.nn.dropout(x), relay.nn.dropout(x)])))
    assert not d.body.fields[0].tuple_value.same_as(d.body.fields[1].tuple_value)


def test_calls_in_nested_function_and_values_unchanged():
    x = relay.var("x", shape=(3,))
    y = relay.var("y", shape=(3,))
    inner = relay.Function([y], relay.add(relay.exp(y), relay.exp(y)))
    func = relay.Function([x], inner(relay.add(relay.exp(x), relay.exp(x))))
    after = _cse(func)
    assert after.body.args[0].args[0].same_as(after.body.args[0].args[1])
    assert after.body.op.body.args[0].same_as(after.body.op.body.args[1])
    xd = np.array([0.0, 1.0, -1.0], "float32")
    run = lambda f: relay.create_executor("debug", mod=tvm.IRModule.from_expr(f)).evaluate()(xd).numpy()  # noqa: E731
    np.testing.assert_allclose(run(after), run(func), rtol=1e-6)


def test_long_chain_of_duplicates():
    # Two identical 100,000-operator chains become one.
    x = relay.var("x", shape=(2,))
    a = b = x
    for _ in range(100000):
        a = relay.negative(a)
        b = relay.negative(b)
    after = _cse(relay.Function([x], relay.add(a, b)))
    assert after.body.args[0].same_as(after.body.args[1])
