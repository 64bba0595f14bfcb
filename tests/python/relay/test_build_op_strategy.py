# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Operator strategies: target dispatch of generic functions, the choice of the
highest-plevel implementation in relay.build, and its schedule for the fused function."""
import numpy as np
import pytest

import tvm
from tvm import relay, te, topi
from tvm.contrib import graph_executor
from tvm.relay.op import OpStrategy
from tvm.relay.op.strategy import generic, x86
from tvm.relay.op.nn import _nn


def test_generic_func_dispatches_on_target_keys():
    @tvm.target.generic_func
    def pick(x):
        return ("default", x)

    @pick.register(["cpu"])
    def _pick_cpu(x):
        return ("cpu", x)

    assert pick(1) == ("default", 1)
    with tvm.target.Target("llvm"):
        assert pick(2) == ("cpu", 2)
    with tvm.target.Target("cuda"):
        assert pick(3) == ("default", 3)
    with pytest.raises(ValueError, match="already registered"):
        pick.register("cpu", lambda x: x)


def test_best_is_highest_plevel_first_among_equals():
    strategy = OpStrategy()
    for name, plevel in [("a", 10), ("b", 15), ("c", 15), ("d", 5)]:
        strategy.add_implementation(_nn._dense_compute, _nn._nn_schedule, name=name, plevel=plevel)
    assert strategy.best().name == "b"
    assert [i.name for i in strategy.implementations] == ["a", "b", "c", "d"]


def _dense_run(target="llvm"):
    x = relay.var("x", shape=(4, 8))
    w = relay.var("w", shape=(6, 8))
    mod = tvm.IRModule.from_expr(relay.Function([x, w], relay.nn.relu(relay.nn.dense(x, w))))
    with tvm.transform.PassContext(opt_level=3):
        lib = relay.build(mod, target)
    m = graph_executor.GraphModule(lib["default"](tvm.cpu()))
    xd = np.random.uniform(-1, 1, (4, 8)).astype("float32")
    wd = np.random.uniform(-1, 1, (6, 8)).astype("float32")
    m.set_input("x", xd)
    m.set_input("w", wd)
    m.run()
    return m.get_output(0).numpy(), np.maximum(xd @ wd.T, 0)


def test_build_takes_the_best_implementation_and_its_schedule():
    calls = []

    def doubled(attrs, inputs, out_type):
        return [topi.multiply(_nn._dense_compute(attrs, inputs, out_type)[0], 2.0)]

    def schedule(attrs, outs, target):
        calls.append(str(target.kind.name))
        return _nn._nn_schedule(attrs, outs, target)

    def strategy_cpu(attrs, inputs, out_type, target):
        strategy = generic.dense_strategy.fdefault(attrs, inputs, out_type, target)
        strategy.add_implementation(doubled, schedule, name="dense.doubled", plevel=20)
        return strategy

    generic.dense_strategy.register("cpu", strategy_cpu, override=True)
    try:
        out, ref = _dense_run()
    finally:
        generic.dense_strategy.register("cpu", x86.dense_strategy_cpu, override=True)
    # relu(2 * x.w) = 2 * relu(x.w): the doubled implementation ran, fused with relu,
    # and its schedule scheduled the fused function once.
    np.testing.assert_allclose(out, 2 * ref, rtol=1e-5, atol=1e-6)
    assert calls == ["llvm"]
    out, ref = _dense_run()
    np.testing.assert_allclose(out, ref, rtol=1e-5, atol=1e-6)


def test_implementation_compute_and_schedule_from_python():
    with tvm.target.Target("llvm") as target:
        x = te.placeholder((4, 8), name="x")
        w = te.placeholder((6, 8), name="w")
        call = relay.nn.dense(relay.var("x", shape=(4, 8)), relay.var("w", shape=(6, 8)))
        call = relay.transform.InferType()(tvm.IRModule.from_expr(call))["main"].body
        best = generic.dense_strategy(call.attrs, [x, w], call.checked_type, target).best()
        assert best.name == "dense_nopack.x86"  # 4 rows: the x86 GEMV outranks dense.generic (plevel 10)
        outs = best.compute(call.attrs, [x, w], call.checked_type)
        sch = best.schedule(call.attrs, outs, target)
        f = tvm.build(sch, [x, w, outs[0]], target)
    xd = np.random.rand(4, 8).astype("float32")
    wd = np.random.rand(6, 8).astype("float32")
    o = tvm.nd.empty((4, 6))
    f(tvm.nd.array(xd), tvm.nd.array(wd), o)
    np.testing.assert_allclose(o.numpy(), xd @ wd.T, rtol=1e-5)
