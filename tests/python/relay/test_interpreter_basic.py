# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""The debug executor (relay.create_executor("debug")): functions, lets, ifs,
tuples, closures, refs, globals and recursion, with an operator whose compute
is defined here, against numpy."""
import numpy as np
import pytest

import tvm
from tvm import relay, te
from tvm.relay.op import op as _op

_TEST_OP = "test.interp_mul_add"


def _register_test_op():
    # out = a * 2 + b, broadcasting; defined here so the test does not depend
    # on which TOPI computes exist.
    if _TEST_OP in tvm.ir.Op.list_op_names():
        return tvm.ir.Op.get(_TEST_OP)
    op = tvm.ir.register_op(_TEST_OP)
    op.set_num_inputs(2)
    op.add_type_rel("Broadcast")

    def compute(attrs, inputs, out_type):
        a, b = inputs
        shape = [int(d) for d in out_type.shape]

        def at(t, idx):
            off = len(shape) - len(t.shape)
            return t[tuple(0 if int(t.shape[k]) == 1 else idx[k + off] for k in range(len(t.shape)))]

        return [te.compute(shape, lambda *i: at(a, i) * tvm.tir.const(2, a.dtype) + at(b, i), name="out")]

    _op.register_compute(_TEST_OP, compute)
    return tvm.ir.Op.get(_TEST_OP)


def mul_add(a, b):
    return relay.Call(_register_test_op(), [a, b])


def _run(func, *args, mod=None):
    mod = mod or tvm.IRModule()
    mod["main"] = func
    return relay.create_executor("debug", mod=mod, device=tvm.cpu(), target="llvm").evaluate()(*args)


def test_dataflow_and_broadcast():
    x = relay.var("x", shape=(2, 3))
    y = relay.var("y", shape=(3,))
    out = _run(relay.Function([x, y], mul_add(mul_add(x, y), y)), np.ones((2, 3), "float32"), np.arange(3, dtype="float32"))
    a, b = np.ones((2, 3), "float32"), np.arange(3, dtype="float32")
    np.testing.assert_allclose(out.numpy(), (a * 2 + b) * 2 + b)


def test_tuples_let_if_and_closures():
    x = relay.var("x", shape=(4,))
    c = relay.var("c", shape=(), dtype="bool")
    t = relay.var("t")
    body = relay.Let(t, relay.Tuple([x, mul_add(x, x)]), relay.If(c, relay.TupleGetItem(t, 1), relay.TupleGetItem(t, 0)))
    a = np.arange(4, dtype="float32")
    func = relay.Function([x, c], body)
    np.testing.assert_allclose(_run(func, a, np.array(True)).numpy(), a * 3)
    np.testing.assert_allclose(_run(func, a, np.array(False)).numpy(), a)
    # A closure capturing x, applied twice.
    y = relay.var("y", shape=(4,))
    f = relay.var("f")
    inner = relay.Function([y], mul_add(y, x))
    body = relay.Let(f, inner, relay.Call(f, [relay.Call(f, [x])]))
    np.testing.assert_allclose(_run(relay.Function([x], body), a).numpy(), (a * 2 + a) * 2 + a)
    # A tuple result comes back as indexable fields.
    res = _run(relay.Function([x], relay.Tuple([x, mul_add(x, x)])), a)
    assert len(res) == 2
    np.testing.assert_allclose(res[1].numpy(), a * 3)


def test_refs():
    x = relay.var("x", shape=(2,))
    r = relay.var("r")
    body = relay.Let(
        r, relay.RefCreate(x), relay.Let(relay.var("_"), relay.RefWrite(r, mul_add(relay.RefRead(r), x)), relay.RefRead(r))
    )
    a = np.array([1.0, 2.0], "float32")
    np.testing.assert_allclose(_run(relay.Function([x], body), a).numpy(), a * 3)


def test_recursive_global_function():
    # rec(n, acc, stop) = acc if stop else rec(n, acc * 2 + n, True): one recursive step.
    mod = tvm.IRModule()
    gv = relay.GlobalVar("rec")
    n = relay.var("n", shape=(), dtype="int32")
    acc = relay.var("acc", shape=(), dtype="int32")
    stop = relay.var("stop", shape=(), dtype="bool")
    mod[gv] = relay.Function(
        [n, acc, stop],
        relay.If(stop, acc, relay.Call(gv, [n, mul_add(acc, n), relay.const(True)])),
        relay.TensorType((), "int32"),
    )
    main_n = relay.var("n", shape=(), dtype="int32")
    mod["main"] = relay.Function([main_n], relay.Call(gv, [main_n, relay.const(1, "int32"), relay.const(False)]))
    ex = relay.create_executor("debug", mod=mod, device=tvm.cpu(), target="llvm")
    assert int(ex.evaluate()(np.array(5, "int32")).numpy()) == 1 * 2 + 5


def test_long_chain_runs_without_recursion():
    x = relay.var("x", shape=(1,))
    y = x
    for _ in range(100000):
        y = mul_add(y, relay.const(np.zeros((1,), "float32")))
    func = relay.Function([x], y)
    # 2 ** 100000 overflows float32: use zero input and check it stays zero.
    out = _run(func, np.zeros((1,), "float32"))
    assert out.numpy()[0] == 0.0


def test_errors_name_the_problem():
    x = relay.var("x", shape=(2,))
    func = relay.Function([x], mul_add(x, x))
    with pytest.raises(TypeError, match="takes 1 arguments, 2 given"):
        _run(func, np.zeros(2, "float32"), np.zeros(2, "float32"))
    with pytest.raises(NotImplementedError, match="kind='aot'"):
        relay.create_executor("aot", mod=tvm.IRModule.from_expr(func))
