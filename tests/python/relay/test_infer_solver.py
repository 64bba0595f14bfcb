# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""The type solver driven directly (relay.analysis._test_type_solver): unification,
relations named by EnvFunc, backward solving, errors."""
import pytest

import tvm
from tvm import relay


def tt(shape, dtype="float32"):
    return relay.TensorType(shape, dtype)


def solver():
    s = relay.analysis._ffi_api._test_type_solver()
    return {name: s(name) for name in ("Unify", "Resolve", "AddConstraint", "Solve")}


def rel(name, args):
    return relay.ty.TypeRelation(tvm.ir.EnvFunc.get("tvm.relay.type_relation." + name), args, len(args) - 1, None)


def test_env_func():
    f = tvm.ir.EnvFunc.get("tvm.relay.type_relation.Identity")
    assert f.name == "tvm.relay.type_relation.Identity"
    with pytest.raises(ValueError, match="no global function is registered as 'no.such.function'"):
        tvm.ir.EnvFunc.get("no.such.function")


def test_relations_chain_and_backward():
    s = solver()
    out1, out2 = relay.IncompleteType(), relay.IncompleteType()
    s["AddConstraint"](rel("Broadcast", [tt((10, 20)), tt((10, 1)), out1]))
    s["AddConstraint"](rel("Broadcast", [out1, tt((3, 1, 1)), out2]))
    unknown = relay.IncompleteType()
    s["AddConstraint"](rel("Identity", [unknown, tt((7,), "int8")]))  # the input from the output
    assert s["Solve"]()
    assert s["Resolve"](out2) == tt((3, 10, 20))
    assert s["Resolve"](unknown) == tt((7,), "int8")


def test_unsolved_relation_is_reported_by_solve():
    s = solver()
    s["AddConstraint"](rel("Broadcast", [relay.IncompleteType(), tt((2,)), relay.IncompleteType()]))
    assert not s["Solve"]()


def test_unify_and_errors():
    s = solver()
    t1, t2 = relay.IncompleteType(), relay.IncompleteType()
    assert s["Unify"](relay.TupleType([t1, t2]), relay.TupleType([tt((2,)), tt((3,))])) == relay.TupleType(
        [tt((2,)), tt((3,))]
    )
    assert s["Resolve"](t2) == tt((3,))
    with pytest.raises(tvm.error.TVMError, match=r"unable to unify Tensor\[\(2,\), float32\] and Tensor\[\(4,\), float32\]"):
        s["Unify"](t1, tt((4,)))
    t3 = relay.IncompleteType()
    with pytest.raises(tvm.error.TVMError, match="the type would contain itself"):
        s["Unify"](t3, relay.TupleType([t3]))
    s["AddConstraint"](rel("Broadcast", [tt((2,)), tt((3,)), relay.IncompleteType()]))
    with pytest.raises(tvm.error.TVMError, match=r"shapes \(2,\) and \(3,\) do not broadcast"):
        s["Solve"]()
