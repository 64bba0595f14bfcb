# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""relay.analysis.count_layers: the deepest chain of chosen operators."""
import pytest

import tvm
from tvm import relay
from tvm.relay.analysis import count_layers
from tvm.relay.testing import resnet


def _conv(x, name):
    return relay.nn.conv2d(x, relay.var(name, shape=(2, 2, 1, 1)), channels=2, kernel_size=(1, 1))


@pytest.mark.parametrize("num_layers", [18, 34, 50, 101])
def test_resnet_depth(num_layers):
    net = resnet.get_net(1, 1000, num_layers=num_layers)
    mod = relay.transform.InferType()(tvm.IRModule.from_expr(net))
    assert count_layers(mod, valid_ops=["nn.conv2d", "nn.dense"]) == num_layers
    assert count_layers(mod["main"], valid_ops=["nn.dense"]) == 1


def test_parallel_branches_count_once():
    x = relay.var("x", shape=(1, 2, 4, 4))
    a = _conv(_conv(x, "w1"), "w2")  # two deep
    b = _conv(x, "w3")  # one deep
    out = relay.concatenate([a, b], axis=1)
    assert count_layers(out, ["nn.conv2d"]) == 2
    assert count_layers(relay.add(out, out), ["nn.conv2d", "add"]) == 3
    assert count_layers(out, ["nn.dense"]) == 0


def test_through_let_and_tuples():
    x = relay.var("x", shape=(1, 2, 4, 4))
    v = relay.var("v")
    body = relay.Let(v, _conv(x, "w1"), relay.TupleGetItem(relay.Tuple([_conv(v, "w2"), x]), 0))
    assert count_layers(relay.Function([x], body), ["nn.conv2d"]) == 2


def test_unknown_operator():
    with pytest.raises(AttributeError, match="'nn.nope'"):
        count_layers(relay.var("x"), ["nn.nope"])


def test_long_chain():
    # 100,000 operators: the walk must not recurse once per operator.
    x = relay.var("x", shape=(2,))
    y = x
    for i in range(100000):
        y = relay.nn.relu(y) if i % 2 else relay.add(y, y)
    assert count_layers(relay.Function([x], y), ["nn.relu"]) == 50000
