# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""What the VM's test files import besides the VM: dataflow-pattern matching, relay.loops,
IRModule[name] = expr, and tvm.rpc's not-built names."""
import pytest

import tvm
from tvm import relay
from tvm.relay.dataflow_pattern import (has_attr, has_dtype, has_shape, is_constant, is_op, is_tuple,
                                        is_tuple_get_item, is_var, wildcard)


def _typed(expr):
    mod = relay.transform.InferType()(tvm.IRModule.from_expr(relay.Function(relay.analysis.free_vars(expr), expr)))
    return mod["main"].body


def test_call_patterns_match_operators_and_arguments():
    x = relay.var("x", shape=(2, 3))
    w = relay.var("w", shape=(4, 3))
    dense = relay.nn.dense(x, w)
    assert is_op("nn.dense")(wildcard(), wildcard()).match(dense)
    assert is_op("nn.dense")(is_var("x"), is_var()).match(dense)
    assert not is_op("nn.dense")(is_var("w"), wildcard()).match(dense)
    assert not is_op("add")(wildcard(), wildcard()).match(dense)
    assert (is_op("add") | is_op("nn.dense"))(wildcard(), wildcard()).match(dense)
    assert not is_op("nn.dense")(wildcard(), is_constant()).match(dense)
    assert is_op("nn.dense")(wildcard(), is_constant()).match(relay.nn.dense(x, relay.const(tvm.nd.empty((4, 3)))))
    assert not is_op("nn.dense")(wildcard()).match(dense)  # argument count differs


def test_tuple_attr_and_type_patterns():
    x = relay.var("x", shape=(2, 3))
    t = relay.Tuple([x, relay.nn.relu(x)])
    assert is_tuple([wildcard(), is_op("nn.relu")(wildcard())]).match(t)
    assert is_tuple_get_item(is_tuple(None), 1).match(relay.TupleGetItem(t, 1))
    assert not is_tuple_get_item(wildcard(), 0).match(relay.TupleGetItem(t, 1))
    s = relay.sum(x, axis=[1], keepdims=True)
    assert is_op("sum")(wildcard()).has_attr({"keepdims": True}).match(s)
    assert not has_attr({"keepdims": False}, is_op("sum")(wildcard())).match(s)
    typed = _typed(relay.nn.relu(x))
    assert has_dtype("float32").match(typed) and not has_dtype("int8").match(typed)
    assert has_shape((2, 3)).match(typed) and not has_shape((3, 2)).match(typed)


def test_module_setitem_wraps_an_expression_as_a_function():
    x = relay.var("x", shape=(2,))
    mod = tvm.IRModule()
    mod["main"] = relay.nn.relu(x)
    assert isinstance(mod["main"], relay.Function)
    assert [p.name_hint for p in mod["main"].params] == ["x"]


def test_rpc_says_it_is_not_built():
    from tvm import rpc

    with pytest.raises(NotImplementedError, match="RPC"):
        rpc.Server("127.0.0.1")
    with pytest.raises(NotImplementedError, match="RPC"):
        rpc.connect("127.0.0.1", 9090)
