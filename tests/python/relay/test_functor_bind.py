# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""relay.bind (relay.ir.Bind): substitute variables, and a function's parameters."""
import pytest

import tvm
from tvm import relay
from tvm.relay.analysis import free_vars

ATAN2 = tvm.ir.Op.get("tir.atan2")
EXP = tvm.ir.Op.get("tir.exp")


def add(a, b):
    return relay.Call(ATAN2, [a, b])


def test_bind_free_variables_of_an_expression():
    x, y = relay.var("x"), relay.var("y")
    z = add(x, y)
    out = relay.bind(z, {y: x})
    tvm.ir.assert_structural_equal(out, add(x, x))
    assert out.args[0].same_as(x) and out.args[1].same_as(x)
    # Nothing to bind: the same object.
    assert relay.bind(z, {}).same_as(z)
    assert relay.bind(z, {relay.var("w"): x}).same_as(z)


def test_bind_function_parameters_removes_them():
    x, y = relay.var("x"), relay.var("y")
    f = relay.Function([x, y], add(x, y))
    one = relay.const(1, "float32")
    out = relay.bind(f, {x: one})
    tvm.ir.assert_structural_equal(out, relay.Function([y], add(one, y)))
    assert out.params[0].same_as(y)


def test_bind_parameter_to_a_new_variable_keeps_the_function_closed():
    x, y, w = relay.var("x"), relay.var("y"), relay.var("w")
    f = relay.Function([x, y], add(x, y))
    out = relay.bind(f, {x: add(w, w)})
    # w, brought in by the binding, becomes a parameter after the kept ones.
    assert [p.name_hint for p in out.params] == ["y", "w"]
    assert len(free_vars(out)) == 0


def test_bind_keeps_function_fields():
    x, y = relay.var("x", shape=(2,)), relay.var("y", shape=(2,))
    f = relay.Function([x, y], add(x, y), relay.TensorType((2,), "float32")).with_attr("Primitive", 1)
    out = relay.bind(f, {y: x})
    assert int(out.attrs["Primitive"]) == 1
    tvm.ir.assert_structural_equal(out.ret_type, f.ret_type)
    assert len(out.params) == 1 and out.params[0].same_as(x)


def test_bind_shared_nodes_stay_shared():
    x, y = relay.var("x"), relay.var("y")
    a = relay.Call(EXP, [x])
    out = relay.bind(relay.Tuple([a, a, add(a, x)]), {x: y})
    assert out.fields[0].same_as(out.fields[1])
    assert out.fields[2].args[0].same_as(out.fields[0])
    assert out.fields[2].args[1].same_as(y)


def test_bind_inside_lets_and_inner_functions():
    x, y, v, p = relay.var("x"), relay.var("y"), relay.var("v"), relay.var("p")
    expr = relay.Let(v, add(x, x), relay.Tuple([v, relay.Function([p], add(p, x))]))
    out = relay.bind(expr, {x: y})
    expected = relay.Let(v, add(y, y), relay.Tuple([v, relay.Function([p], add(p, y))]))
    tvm.ir.assert_structural_equal(out, expected)
    assert out.var.same_as(v)


def test_binding_an_internal_variable_is_refused():
    x, v, p = relay.var("x"), relay.var("v"), relay.var("p")
    let = relay.Let(v, x, v)
    with pytest.raises(ValueError, match="%v is bound inside the expression"):
        relay.bind(let, {v: x})
    inner = relay.Tuple([relay.Function([p], p), x])
    with pytest.raises(ValueError, match="%p is bound inside"):
        relay.bind(inner, {p: x})
    # A parameter of an inner function of the function given is internal too.
    f = relay.Function([x], relay.Function([p], p))
    with pytest.raises(ValueError, match="%p is bound inside"):
        relay.bind(f, {p: x})


def test_bind_types():
    a, b = relay.TypeVar("a"), relay.TypeVar("b")
    t = relay.TupleType([a, relay.FuncType([a], b, [b])])
    f32 = relay.TensorType((2,), "float32")
    out = relay.bind(t, {a: f32, b: f32})
    # b is the function type's own parameter: not replaced inside it.
    expected = relay.TupleType([f32, relay.FuncType([f32], b, [b])])
    tvm.ir.assert_structural_equal(out, expected)


def test_bind_errors_name_the_argument():
    with pytest.raises(TypeError, match="relay.bind expects a Relay expression or type, got"):
        relay.bind(tvm.runtime.convert([1]), {})


def test_bind_100000_chain():
    x, y = relay.var("x"), relay.var("y")
    e = x
    for _ in range(100000):
        e = relay.Call(EXP, [e])
    out = relay.bind(relay.Function([x], e), {x: y})
    assert len(out.params) == 1 and out.params[0].same_as(y)
    assert len(free_vars(out)) == 0
