# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""relay.analysis.detect_feature and Feature."""
import pytest

import tvm
from tvm import relay
from tvm.relay.analysis import Feature, detect_feature

EXP = tvm.ir.Op.get("tir.exp")
ATAN2 = tvm.ir.Op.get("tir.atan2")
F = Feature


def test_each_kind():
    x, c, r = relay.var("x"), relay.var("c"), relay.var("r")
    g = relay.GlobalVar("g")
    body = relay.Tuple(
        [
            relay.Call(EXP, [x]),
            relay.TupleGetItem(relay.Tuple([x]), 0),
            relay.If(c, relay.const(1.0), relay.Call(g, [])),
            relay.RefWrite(relay.RefCreate(x), relay.RefRead(r)),
        ]
    )
    fn = relay.Function([x], relay.Let(relay.var("v"), x, body))
    assert detect_feature(fn) == {
        F.fVar, F.fGlobalVar, F.fConstant, F.fTuple, F.fTupleGetItem, F.fFunction, F.fOp, F.fCall,
        F.fLet, F.fIf, F.fRefCreate, F.fRefRead, F.fRefWrite,
    }


def test_graph_means_a_shared_non_atomic_node():
    x = relay.var("x")
    shared_atoms = relay.Call(ATAN2, [x, x])
    assert F.fGraph not in detect_feature(shared_atoms)
    a = relay.Call(EXP, [x])
    assert F.fGraph in detect_feature(relay.Call(ATAN2, [a, a]))


def test_let_rec():
    f, n, y = relay.var("f"), relay.var("n"), relay.var("y")
    rec = relay.Let(f, relay.Function([n], relay.Call(f, [n])), f)
    assert F.fLetRec in detect_feature(rec)
    # Used only in the body: not recursive.
    plain = relay.Let(f, relay.Function([n], n), relay.Call(f, [y]))
    assert F.fLetRec not in detect_feature(plain)


def test_primitive_functions_are_not_looked_into():
    x = relay.var("x")
    prim = relay.Function([x], relay.If(x, x, x)).with_attr("Primitive", 1)
    assert detect_feature(prim) == {F.fFunction}


def test_modules_and_pairs():
    x, y = relay.var("x"), relay.var("y")
    mod = tvm.IRModule.from_expr(relay.Function([x], relay.Call(EXP, [x])))
    assert detect_feature(mod) == {F.fVar, F.fFunction, F.fOp, F.fCall}
    tup = relay.Tuple([y])
    assert detect_feature(tup, mod) == {F.fVar, F.fFunction, F.fOp, F.fCall, F.fTuple}
    assert detect_feature(mod, tup) == detect_feature(tup, mod)
    with pytest.raises(TypeError, match="detect_feature expects Relay expressions or IRModules"):
        detect_feature(3)


def test_100000_chain():
    x = relay.var("x")
    e = x
    for _ in range(100000):
        e = relay.Call(EXP, [e])
    assert detect_feature(relay.Function([x], e)) == {F.fVar, F.fFunction, F.fOp, F.fCall}
