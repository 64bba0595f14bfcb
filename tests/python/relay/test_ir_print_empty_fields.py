# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Printing Relay nodes whose fields are empty (as load_json can make them) names the
empty field instead of crashing."""
import json

import tvm
from tvm import relay


def _load(type_key, attrs):
    nodes = [{"type_key": ""}, {"type_key": type_key, "attrs": attrs}]
    return tvm.ir.load_json(json.dumps({"root": 1, "nodes": nodes, "attrs": {"tvm_version": "0.8.0"},
                                        "b64ndarrays": []}))


def test_function_with_empty_params_and_body():
    func = _load("relay.Function", {"_checked_type_": "0", "attrs": "0", "body": "0", "params": "0",
                                    "ret_type": "0", "span": "0", "type_params": "0"})
    assert isinstance(func, relay.Function)
    assert repr(func) == "<relay.Function with an empty field relay.Function.params>"
    assert "empty field relay.Function.params" in func.astext()


def test_empty_field_deep_inside_and_in_a_module():
    x = relay.var("x", shape=(2,))
    broken = _load("relay.Call", {"op": "0", "args": "0", "attrs": "0", "type_args": "0", "span": "0"})
    func = relay.Function([x], relay.Tuple([relay.add(x, x), broken]))
    assert "empty field relay.Call.op" in repr(func)
    mod = tvm.IRModule({"main": func})
    assert "def @main = <an empty field relay.Call.op>" in mod.astext()
