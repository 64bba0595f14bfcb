# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""relay.analysis: free_vars, bound_vars, all_vars (post-DFS order, scoping),
the type-variable versions, all_dtypes, post_order_visit."""
import pytest

import tvm
from tvm import relay
from tvm.relay.analysis import (
    all_dtypes,
    all_type_vars,
    all_vars,
    bound_type_vars,
    bound_vars,
    free_type_vars,
    free_vars,
    post_order_visit,
)

EXP = tvm.ir.Op.get("tir.exp")
ATAN2 = tvm.ir.Op.get("tir.atan2")


def names(vs):
    return [v.name_hint for v in vs]


def same_list(a, b):
    return len(a) == len(b) and all(x.same_as(y) for x, y in zip(a, b))


def test_dataflow_order_is_first_use_in_post_order():
    w1, x, w2, b = relay.var("w1"), relay.var("x"), relay.var("w2"), relay.var("b")
    layer1 = relay.Call(ATAN2, [x, w1])
    layer2 = relay.Call(ATAN2, [relay.Call(ATAN2, [layer1, w2]), b])
    out = relay.Tuple([layer2, layer1, x])
    assert same_list(free_vars(out), [x, w1, w2, b])
    assert same_list(all_vars(out), [x, w1, w2, b])
    assert len(bound_vars(out)) == 0


def test_function_params_are_bound_and_come_first():
    x, y, z = relay.var("x"), relay.var("y"), relay.var("z")
    f = relay.Function([y, x], relay.Call(ATAN2, [x, z]))
    assert same_list(free_vars(f), [z])
    assert same_list(bound_vars(f), [y, x])
    assert same_list(all_vars(f), [y, x, z])
    # The body alone: every variable is free.
    assert same_list(free_vars(f.body), [x, z])


def test_let_binds_its_variable():
    x, y, z = relay.var("x"), relay.var("y"), relay.var("z")
    let = relay.Let(y, relay.Call(EXP, [x]), relay.Tuple([y, z]))
    assert same_list(free_vars(let), [x, z])
    assert same_list(bound_vars(let), [y])
    assert same_list(all_vars(let), [y, x, z])


def test_nested_functions_and_lets():
    a, b, c, d = relay.var("a"), relay.var("b"), relay.var("c"), relay.var("d")
    inner = relay.Function([b], relay.Tuple([a, b, c]))
    let = relay.Let(c, relay.const(1.0), relay.Tuple([inner, d]))
    outer = relay.Function([a], let)
    assert same_list(free_vars(outer), [d])
    assert same_list(bound_vars(outer), [a, c, b])
    assert same_list(all_vars(outer), [a, c, b, d])


def test_shadowing_same_name_different_variables():
    # Two variables both named x: identity, not name, decides.
    x_outer, x_inner = relay.var("x"), relay.var("x")
    f = relay.Function([x_inner], relay.Tuple([x_inner, x_outer]))
    assert same_list(free_vars(f), [x_outer])
    assert same_list(bound_vars(f), [x_inner])
    assert names(all_vars(f)) == ["x", "x"]


def test_bound_anywhere_is_not_free():
    # TVM's definition: a variable bound somewhere in the expression is not
    # free even where it is used outside its binder (well_formed rejects that).
    x = relay.var("x")
    expr = relay.Tuple([relay.Let(x, relay.const(1.0), x), x])
    assert len(free_vars(expr)) == 0
    assert same_list(bound_vars(expr), [x])


def test_if_and_refs_and_globals():
    c, t, f, r = relay.var("c"), relay.var("t"), relay.var("f"), relay.var("r")
    g = relay.GlobalVar("g")
    expr = relay.Tuple(
        [relay.If(c, t, relay.Call(g, [f])), relay.RefWrite(relay.RefCreate(r), relay.RefRead(relay.RefCreate(t)))]
    )
    assert same_list(free_vars(expr), [c, t, f, r])


def test_errors_name_the_argument():
    with pytest.raises(TypeError, match="free_vars expects a Relay expression, got int"):
        free_vars(3)
    with pytest.raises(TypeError, match="fvisit must be callable"):
        post_order_visit(relay.var("x"), 3)


def test_type_vars():
    a = relay.TypeVar("a")
    b = relay.TypeVar("b")
    c = relay.TypeVar("c")
    x = relay.var("x", a)
    y = relay.var("y", relay.TupleType([b, relay.TensorType((2,), "float32")]))
    f = relay.Function([x, y], relay.Tuple([x, y]), a, [a])
    assert same_list(free_type_vars(f), [b])
    assert same_list(bound_type_vars(f), [a])
    assert same_list(all_type_vars(f), [a, b])
    # Types: a function type binds its type parameters.
    ft = relay.FuncType([a, c], b, [a])
    assert same_list(free_type_vars(ft), [c, b])
    assert same_list(bound_type_vars(ft), [a])
    assert same_list(all_type_vars(ft), [a, c, b])
    # Call type arguments count too.
    call = relay.Call(relay.GlobalVar("g"), [], None, [c])
    assert same_list(free_type_vars(call), [c])
    with pytest.raises(TypeError, match="expression or type"):
        free_type_vars("a")


def test_all_dtypes():
    x = relay.var("x", shape=(2,), dtype="int8")
    y = relay.var("y", relay.TupleType([relay.TensorType((1,), "float16"), relay.TensorType((), "int8")]))
    expr = relay.Tuple([x, y, relay.const(1.0)])
    # The constant has no type until inference runs.
    assert all_dtypes(expr) == {"int8", "float16"}
    assert all_dtypes(relay.var("z")) == set()
    f = relay.Function([x], x, relay.TensorType((2,), "uint8"))
    assert all_dtypes(f) == {"int8", "uint8"}  # return annotations count too


def test_check_constant():
    from tvm.relay.analysis import check_constant

    c = relay.const(1.0)
    assert check_constant(c)
    assert check_constant(relay.Tuple([c, relay.Tuple([c, relay.Tuple([])])]))
    assert not check_constant(relay.Tuple([c, relay.var("x")]))
    assert not check_constant(relay.Call(EXP, [c]))


def test_post_order_visit_each_node_once():
    x = relay.var("x")
    a = relay.Call(EXP, [x])
    f = relay.Function([x], relay.Tuple([a, a]))
    seen = []
    post_order_visit(f, seen.append)
    kinds = [type(n).__name__ for n in seen]
    assert kinds == ["Var", "Op", "Call", "Tuple", "Function"]


CHAIN = 100000


def test_100000_call_chain():
    x = relay.var("x")
    w = relay.var("w")
    e = x
    for i in range(CHAIN):
        e = relay.Call(ATAN2, [e, w]) if i == CHAIN // 2 else relay.Call(EXP, [e])
    assert same_list(free_vars(e), [x, w])
    assert len(bound_vars(e)) == 0
    f = relay.Function([x], e)
    assert same_list(free_vars(f), [w])
    assert same_list(all_vars(f), [x, w])
    count = [0]

    def bump(_):
        count[0] += 1

    post_order_visit(e, bump)
    assert count[0] == CHAIN + 4  # calls, x, w, two operators


def test_100000_let_chain():
    x = relay.var("x")
    vs = [relay.var(f"v{i}") for i in range(CHAIN)]
    body = vs[-1]
    for i in reversed(range(CHAIN)):
        body = relay.Let(vs[i], relay.Call(EXP, [vs[i - 1] if i else x]), body)
    assert same_list(free_vars(body), [x])
    bound = bound_vars(body)
    assert len(bound) == CHAIN and bound[0].same_as(vs[0]) and bound[CHAIN - 1].same_as(vs[-1])
    assert len(all_vars(body)) == CHAIN + 1
