# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""relay.frontend.common: set_span (what the frontends tag their converters' output with) and StrAttrsDict."""
import numpy as np
import pytest

import tvm
import tvm.testing
from tvm import relay
from tvm.relay.frontend.common import StrAttrsDict, set_span


def _name(expr):
    return None if expr.span is None else expr.span.source_name.name


def _span(name):
    return relay.Span(relay.SourceName(name), 0, 0, 0, 0)


def test_new_expressions_get_the_span_and_tagged_ones_stop_the_walk():
    x = relay.var("x", shape=(2, 3), span=_span("input"))
    inner = relay.nn.relu(relay.var("w", shape=(2, 3)))
    inner = set_span(inner, "earlier_node")
    out = set_span(relay.add(relay.multiply(x, relay.const(2.0)), inner), "add_0")
    assert _name(out) == "add_0"
    mul = out.args[0]
    assert _name(mul) == "add_0" and _name(mul.args[1]) == "add_0"
    assert mul.args[0].same_as(x)  # already placed: the same object
    assert out.args[1].same_as(inner) and _name(inner.args[0]) == "earlier_node"


def test_sharing_is_kept():
    x = relay.var("x", shape=(4,))
    shared = relay.nn.relu(x)
    out = set_span(relay.Tuple([relay.add(shared, shared), relay.negative(shared)]), "n")
    a, b = out.fields
    assert a.args[0].same_as(a.args[1]) and a.args[0].same_as(b.args[0])
    assert a.args[0].args[0].same_as(b.args[0].args[0])  # the one tagged x
    assert _name(a.args[0].args[0]) == "n"


def test_containers():
    a = relay.const(np.ones(2, "float32"), span=_span("a"))
    b = relay.const(np.zeros(2, "float32"))
    tup = set_span((a, b, None, 3), "t")
    assert tup[0].same_as(a) and _name(tup[1]) == "t" and tup[2] is None and tup[3] == 3
    items = [b, [b, 1.5]]
    same = set_span(items, "l")
    assert same is items and _name(items[0]) == "l" and _name(items[1][0]) == "l"
    assert items[0].same_as(items[1][0])  # one filler for one result: b tagged once
    wrapper = relay.TupleWrapper(relay.Tuple([b, b]), 2)
    tagged = set_span(wrapper, "w")
    assert isinstance(tagged, relay.TupleWrapper) and len(tagged) == 2 and _name(tagged.tuple_value) == "w"
    assert set_span(np.ones(2), "n").shape == (2,) and set_span(None, "n") is None


def test_let_if_function():
    x = relay.var("x", shape=())
    v = relay.var("v", shape=())
    cond = relay.var("c", shape=(), dtype="bool")
    body = relay.If(cond, relay.Let(v, x, relay.add(v, v)), x)
    func = set_span(relay.Function([x, cond], body), "f")
    assert _name(func) == "f" and all(_name(p) == "f" for p in func.params)
    ite = func.body
    assert _name(ite) == "f" and _name(ite.true_branch) == "f" and _name(ite.true_branch.var) == "f"
    assert ite.cond.same_as(func.params[1]) and ite.false_branch.same_as(func.params[0])
    assert len(relay.analysis.free_vars(func)) == 0


def test_span_objects_and_bytes():
    span = relay.Span(relay.SourceName("model.py"), 3, 3, 5, 9)
    y = set_span(relay.nn.relu(relay.var("x")), span)
    assert y.span.same_as(span) and y.args[0].span.same_as(span)
    z = set_span(relay.nn.relu(relay.var("x")), b"bytes_node")
    assert _name(z) == "bytes_node"
    with pytest.raises(TypeError, match="Span or a source name"):
        set_span(relay.var("x"), 3)


def test_disabled_by_pass_context():
    with tvm.testing.disable_span_filling():
        y = set_span(relay.nn.relu(relay.var("x")), "relu")
    assert y.span is None and y.args[0].span is None
    with tvm.transform.PassContext(config={"relay.frontend.fill_span": False}):
        assert set_span(relay.var("x"), "x").span is None
    with tvm.testing.enable_span_filling():
        assert _name(set_span(relay.var("x"), "x")) == "x"
    assert "relay.frontend.fill_span" in tvm.transform.PassContext.list_configs()


def test_deep_expression():
    x = relay.var("x", shape=(1,))
    y = x
    for _ in range(5000):
        y = relay.negative(y)
    y = set_span(y, "deep")
    node, count = y, 0
    while isinstance(node, relay.Call):
        assert node.span is not None
        node, count = node.args[0], count + 1
    assert count == 5000 and _name(node) == "deep"


def test_str_attrs_dict():
    attrs = StrAttrsDict({"kernel": "(3, 3)", "pads": "((1, 2), (3, 4))", "no_bias": "True", "shape": "[1,-2,?]",
                          "eps": "2.5", "axis": "None", "act": "relu", "scales": "(0.5, 2)"})
    assert attrs.has_attr("kernel") and not attrs.has_attr("stride")
    assert attrs.get_int_tuple("kernel") == (3, 3)
    assert attrs.get_int_list("kernel") == (3, 3)
    assert attrs.get_tuple_tuple_int("pads") == ((1, 2), (3, 4))
    assert attrs.get_bool("no_bias") is True and attrs.get_bool("missing", False) is False
    assert attrs.get_int_tuple("shape") == (1, -2, None)
    assert attrs.get_float("eps") == 2.5 and attrs.get_int("axis") is None
    assert attrs.get_str("act") == "relu" and attrs.get_float_tuple("scales") == (0.5, 2.0)
    assert attrs.get_int("stride", 1) == 1
    with pytest.raises(AttributeError, match="stride"):
        attrs.get_int("stride")
