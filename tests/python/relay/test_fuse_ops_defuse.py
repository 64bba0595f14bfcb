# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""DefuseOps: the inverse of FuseOps (DefuseOps(FuseOps(f)) == f)."""
import tvm
from tvm import relay
from tvm.relay import transform


def typed(func):
    return transform.InferType()(tvm.IRModule.from_expr(func))


def roundtrip(func):
    mod = typed(func)
    fused = transform.FuseOps(fuse_opt_level=2)(mod)
    return mod, transform.DefuseOps()(fused)


def test_fuse_then_defuse_gives_back_the_program():
    x = relay.var("x", shape=(1, 3, 8, 8))
    w = relay.var("w", shape=(4, 3, 3, 3))
    c = relay.nn.relu(relay.nn.conv2d(x, w, padding=(1, 1)))
    parts = relay.split(c, 2, axis=1)
    out = relay.concatenate([relay.exp(parts[0]), relay.nn.softmax(parts[1])], axis=1)
    out = relay.sum(relay.add(out, relay.const(1.0)), axis=1)
    mod, defused = roundtrip(relay.Function([x, w], out))
    tvm.ir.assert_structural_equal(defused, mod)


def test_defuse_inlines_non_primitive_function_literals_too():
    p = relay.var("p", shape=(3,))
    q = relay.var("q", shape=(3,))
    inner = relay.Function([p, q], relay.multiply(p, q))
    x = relay.var("x", shape=(3,))
    mod = typed(relay.Function([x], relay.exp(relay.Call(inner, [x, relay.exp(x)]))))
    x2 = relay.var("x", shape=(3,))
    expected = typed(relay.Function([x2], relay.exp(relay.multiply(x2, relay.exp(x2)))))
    tvm.ir.assert_structural_equal(transform.DefuseOps()(mod), expected)


def test_parameters_with_the_same_name_are_told_apart():
    # Matched by identity: two parameters both named "p" get their own arguments.
    p1 = relay.var("p", shape=(2,))
    p2 = relay.var("p", shape=(2,))
    f = relay.Function([p1, p2], relay.subtract(p1, p2)).with_attr("Primitive", tvm.tir.IntImm("int32", 1))
    x = relay.var("x", shape=(2,))
    y = relay.var("y", shape=(2,))
    mod = typed(relay.Function([x, y], relay.Call(f, [x, y])))
    x2 = relay.var("x", shape=(2,))
    y2 = relay.var("y", shape=(2,))
    tvm.ir.assert_structural_equal(transform.DefuseOps()(mod), typed(relay.Function([x2, y2], relay.subtract(x2, y2))))


def test_long_chain_roundtrip():
    x = relay.var("x", shape=(2,))
    y = x
    for _ in range(20000):
        y = relay.negative(y)
    mod, defused = roundtrip(relay.Function([x], y))
    tvm.ir.assert_structural_equal(defused, mod)


def test_defuse_ops_pass_info():
    p = transform.DefuseOps()
    assert p.info.name == "DefuseOps" and p.info.opt_level == 3
