# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""FoldScaleAxis (backward, forward, and the combined pass): the exact graphs for the main
patterns, numerics before/after on random inputs, the cases that must stay unchanged, and a
100,000-operator chain."""
import numpy as np
import pytest

import tvm
from tvm import relay
from tvm.relay import transform

RNG = np.random.default_rng(7)


def _rand(shape, low=-1.0, high=1.0):
    return RNG.uniform(low, high, size=shape).astype("float32")


def _positive(shape):
    return RNG.uniform(0.5, 2.0, size=shape).astype("float32")


def _apply(func, *passes, opt_level=3):
    mod = tvm.IRModule.from_expr(func)
    with tvm.transform.PassContext(opt_level=opt_level):
        mod = tvm.transform.Sequential([transform.InferType(), *passes])(mod)
    return mod["main"]


def _typed(func):
    return _apply(func)


def _run(func, inputs):
    mod = tvm.IRModule.from_expr(func)
    ex = relay.create_executor("debug", mod=mod, target="llvm")
    return ex.evaluate()(*inputs).numpy()


def _check_numerics(before, after, inputs):
    np.testing.assert_allclose(_run(after, inputs), _run(before, inputs), rtol=1e-5, atol=1e-5)


def _count(func, name):
    found = []

    def visit(e):
        if isinstance(e, relay.Call) and isinstance(e.op, tvm.ir.Op) and e.op.name == name:
            found.append(e)

    relay.analysis.post_order_visit(func, visit)
    return len(found)


def _assert_same(actual, expected):
    tvm.ir.assert_structural_equal(actual, _typed(expected))


def _conv(x, w, channels, layout="NCHW", kernel_layout="OIHW", **kw):
    return relay.nn.conv2d(x, w, channels=channels, kernel_size=(3, 3), padding=(1, 1), data_layout=layout,
                           kernel_layout=kernel_layout, **kw)


# ---------------------------------------------------------------------------------------------
# Backward: the scale after the layer


def test_backward_conv_bias_relu_nchw():
    x = relay.var("x", shape=(2, 3, 8, 8))
    w = relay.var("w", shape=(6, 3, 3, 3))
    b = relay.var("b", shape=(6, 1, 1))
    s = _positive((6, 1, 1))

    def before():
        y = relay.nn.relu(relay.add(_conv(x, w, 6), b))
        return relay.Function([x, w, b], relay.multiply(y, relay.const(s)))

    def expected():
        sq = relay.squeeze(relay.const(s), axis=[1, 2])
        y = _conv(x, relay.multiply(w, relay.expand_dims(sq, axis=1, num_newaxis=3)), 6)
        y = relay.add(y, relay.multiply(b, relay.expand_dims(sq, axis=1, num_newaxis=2)))
        return relay.Function([x, w, b], relay.nn.relu(y))

    after = _apply(before(), transform.BackwardFoldScaleAxis())
    _assert_same(after, expected())
    assert _count(after, "multiply") == 2  # the weight's and the bias's, both constant-foldable
    _check_numerics(_typed(before()), after, [_rand((2, 3, 8, 8)), _rand((6, 3, 3, 3)), _rand((6, 1, 1))])


def test_backward_bias_add_and_scale_on_the_left():
    x = relay.var("x", shape=(1, 4, 6, 6))
    w = relay.var("w", shape=(5, 4, 3, 3))
    b = relay.var("b", shape=(5,))
    s = _positive((5, 1, 1))

    def before():
        y = relay.nn.relu(relay.nn.bias_add(_conv(x, w, 5), b))
        return relay.Function([x, w, b], relay.multiply(relay.const(s), y))

    def expected():
        sq = relay.squeeze(relay.const(s), axis=[1, 2])
        y = _conv(x, relay.multiply(w, relay.expand_dims(sq, axis=1, num_newaxis=3)), 5)
        return relay.Function([x, w, b], relay.nn.relu(relay.nn.bias_add(y, relay.multiply(b, sq))))

    after = _apply(before(), transform.BackwardFoldScaleAxis())
    _assert_same(after, expected())
    _check_numerics(_typed(before()), after, [_rand((1, 4, 6, 6)), _rand((5, 4, 3, 3)), _rand((5,))])


def test_backward_nhwc_negative_scale_without_relu():
    # No relu between: any sign folds.
    x = relay.var("x", shape=(1, 6, 6, 4))
    w = relay.var("w", shape=(3, 3, 4, 8))
    s = -_positive((8,))

    def before():
        return relay.Function([x, w], relay.multiply(_conv(x, w, 8, "NHWC", "HWIO"), relay.const(s)))

    def expected():
        return relay.Function([x, w], _conv(x, relay.multiply(w, relay.const(s)), 8, "NHWC", "HWIO"))

    after = _apply(before(), transform.BackwardFoldScaleAxis())
    _assert_same(after, expected())
    _check_numerics(_typed(before()), after, [_rand((1, 6, 6, 4)), _rand((3, 3, 4, 8))])


def test_backward_two_paths_joined_by_add():
    x = relay.var("x", shape=(1, 3, 8, 8))
    w1 = relay.var("w1", shape=(4, 3, 3, 3))
    w2 = relay.var("w2", shape=(4, 3, 3, 3))
    s = _positive((4, 1, 1))

    def before():
        y = relay.add(relay.nn.relu(_conv(x, w1, 4)), _conv(x, w2, 4))
        return relay.Function([x, w1, w2], relay.multiply(y, relay.const(s)))

    def expected():
        sq = relay.squeeze(relay.const(s), axis=[1, 2])
        a = relay.nn.relu(_conv(x, relay.multiply(w1, relay.expand_dims(sq, axis=1, num_newaxis=3)), 4))
        b = _conv(x, relay.multiply(w2, relay.expand_dims(sq, axis=1, num_newaxis=3)), 4)
        return relay.Function([x, w1, w2], relay.add(a, b))

    after = _apply(before(), transform.BackwardFoldScaleAxis())
    _assert_same(after, expected())
    _check_numerics(_typed(before()), after, [_rand((1, 3, 8, 8)), _rand((4, 3, 3, 3)), _rand((4, 3, 3, 3))])


def test_backward_dense_and_scalar_scale():
    x = relay.var("x", shape=(3, 5))
    w = relay.var("w", shape=(4, 5))
    b = relay.var("b", shape=(4,))
    s = _positive((4,))

    def before():
        y = relay.nn.relu(relay.add(relay.nn.dense(x, w), b))
        return relay.Function([x, w, b], relay.multiply(y, relay.const(s)))

    def expected():
        y = relay.nn.dense(x, relay.multiply(w, relay.expand_dims(relay.const(s), axis=1)))
        return relay.Function([x, w, b], relay.nn.relu(relay.add(y, relay.multiply(b, relay.const(s)))))

    after = _apply(before(), transform.BackwardFoldScaleAxis())
    _assert_same(after, expected())
    inputs = [_rand((3, 5)), _rand((4, 5)), _rand((4,))]
    _check_numerics(_typed(before()), after, inputs)

    # A scalar scale becomes one value per channel (expand_dims + repeat).
    scalar = relay.Function([x, w, b], relay.multiply(relay.nn.relu(relay.nn.dense(x, w)), relay.const(1.5)))
    after = _apply(scalar, transform.BackwardFoldScaleAxis())
    rep = relay.repeat(relay.expand_dims(relay.const(1.5), axis=0, num_newaxis=1), 4, 0)
    _assert_same(after, relay.Function([x, w, b], relay.nn.relu(
        relay.nn.dense(x, relay.multiply(w, relay.expand_dims(rep, axis=1))))))
    _check_numerics(_typed(scalar), after, inputs)


def test_backward_blocked_layout_weights_match_numpy():
    # NCHW4c data with OIHW1i4o kernels: the scale reaches the kernel's O and o axes.
    cin, cout = 4, 8
    wnp = _rand((cout // 4, cin, 3, 3, 1, 4))
    bnp = _rand((1, cout // 4, 1, 1, 4))
    snp = _positive((1, cout // 4, 1, 1, 4))
    x = relay.var("x", shape=(1, 1, 6, 6, 4))

    def net(w, b, s):
        y = _conv(x, w, cout, "NCHW4c", "OIHW1i4o")
        return relay.Function([x], relay.multiply(relay.nn.relu(relay.add(y, b)), s))

    w = relay.var("w", shape=wnp.shape)
    b = relay.var("b", shape=bnp.shape)
    s = relay.const(snp)
    after = _apply(relay.Function([x, w, b], net(w, b, s).body), transform.BackwardFoldScaleAxis())
    sq = relay.squeeze(s, axis=[0, 2, 3])
    y = _conv(x, relay.multiply(w, relay.reshape(sq, (cout // 4, 1, 1, 1, 1, 4))), cout, "NCHW4c", "OIHW1i4o")
    y = relay.add(y, relay.multiply(b, relay.reshape(sq, (1, cout // 4, 1, 1, 4))))
    _assert_same(after, relay.Function([x, w, b], relay.nn.relu(y)))

    folded = _apply(net(relay.const(wnp), relay.const(bnp), s), transform.FoldScaleAxis())
    assert _count(folded, "multiply") == 0
    conv = folded.body.args[0].args[0]
    new_w = conv.args[1].data.numpy()
    new_b = folded.body.args[0].args[1].data.numpy()
    per_channel = snp.reshape(cout // 4, 4)
    np.testing.assert_allclose(new_w, wnp * per_channel[:, None, None, None, None, :], rtol=1e-6)
    np.testing.assert_allclose(new_b, bnp * snp, rtol=1e-6)


@pytest.mark.parametrize("case", ["negative_through_relu", "variable_through_relu", "used_twice",
                                  "paths_disagree", "grouped", "spatial_scale"])
def test_backward_unchanged(case):
    x = relay.var("x", shape=(1, 4, 6, 6))
    w = relay.var("w", shape=(4, 4, 3, 3))
    s = relay.const(_positive((4, 1, 1)))
    conv = _conv(x, w, 4)
    params = [x, w]
    if case == "negative_through_relu":
        out = relay.multiply(relay.nn.relu(conv), relay.const(-_positive((4, 1, 1))))
    elif case == "variable_through_relu":
        v = relay.var("v", shape=(4, 1, 1))
        params.append(v)
        out = relay.multiply(relay.nn.relu(conv), v)
    elif case == "used_twice":
        out = relay.add(relay.multiply(conv, s), relay.nn.relu(conv))
    elif case == "paths_disagree":
        other = _conv(x, w, 4, out_layout="CNHW")
        out = relay.multiply(relay.add(conv, other), s)
    elif case == "grouped":
        wg = relay.var("wg", shape=(4, 2, 3, 3))
        params = [x, wg]
        out = relay.multiply(_conv(x, wg, 4, groups=2), s)
    else:
        out = relay.multiply(conv, relay.const(_positive((1, 1, 6, 1))))
    before = _typed(relay.Function(params, out))
    after = _apply(before, transform.BackwardFoldScaleAxis())
    tvm.ir.assert_structural_equal(after, before)


# ---------------------------------------------------------------------------------------------
# Forward: the scale before the layer


def test_forward_scale_relu_bias_conv_nchw():
    x = relay.var("x", shape=(2, 4, 8, 8))
    w = relay.var("w", shape=(3, 4, 3, 3))
    b = relay.var("b", shape=(4, 1, 1))
    s = _positive((4, 1, 1))

    def before():
        y = relay.add(relay.nn.relu(relay.multiply(x, relay.const(s))), b)
        return relay.Function([x, w, b], _conv(y, w, 3))

    def expected():
        sq = relay.squeeze(relay.const(s), axis=[1, 2])
        y = relay.add(relay.nn.relu(x), relay.divide(b, relay.expand_dims(sq, axis=1, num_newaxis=2)))
        return relay.Function([x, w, b], _conv(y, relay.multiply(w, relay.expand_dims(sq, axis=1, num_newaxis=2)), 3))

    after = _apply(before(), transform.ForwardFoldScaleAxis())
    _assert_same(after, expected())
    _check_numerics(_typed(before()), after, [_rand((2, 4, 8, 8)), _rand((3, 4, 3, 3)), _rand((4, 1, 1))])


def test_forward_nhwc_depthwise_two_consumers():
    c = 4
    x = relay.var("x", shape=(1, 6, 6, c))
    w = relay.var("w", shape=(3, 3, 1, c))
    b = relay.var("b", shape=(c,))
    s = _positive((c,))

    def before():
        y = relay.subtract(relay.nn.relu(relay.multiply(relay.const(s), x)), b)
        a1 = _conv(y, w, c, "NHWC", "HWIO", groups=c)
        a2 = _conv(y, w, c, "NHWC", "HWIO", groups=c)
        return relay.Function([x, w, b], relay.add(a1, a2))

    def expected():
        y = relay.subtract(relay.nn.relu(x), relay.divide(b, relay.const(s)))
        a1 = _conv(y, relay.multiply(w, relay.const(s)), c, "NHWC", "HWIO", groups=c)
        a2 = _conv(y, relay.multiply(w, relay.const(s)), c, "NHWC", "HWIO", groups=c)
        return relay.Function([x, w, b], relay.add(a1, a2))

    after = _apply(before(), transform.ForwardFoldScaleAxis())
    _assert_same(after, expected())
    _check_numerics(_typed(before()), after, [_rand((1, 6, 6, c)), _rand((3, 3, 1, c)), _rand((c,))])


def test_forward_dense_negative_scale():
    x = relay.var("x", shape=(2, 6))
    w = relay.var("w", shape=(3, 6))
    s = -_positive((6,))

    def before():
        return relay.Function([x, w], relay.nn.dense(relay.multiply(x, relay.const(s)), w))

    def expected():
        return relay.Function([x, w], relay.nn.dense(x, relay.multiply(w, relay.const(s))))

    after = _apply(before(), transform.ForwardFoldScaleAxis())
    _assert_same(after, expected())
    _check_numerics(_typed(before()), after, [_rand((2, 6)), _rand((3, 6))])


def test_forward_conv3d():
    x = relay.var("x", shape=(1, 3, 4, 5, 5))
    w = relay.var("w", shape=(2, 3, 3, 3, 3))
    s = _positive((3, 1, 1, 1))
    y = relay.nn.relu(relay.multiply(x, relay.const(s)))
    before = relay.Function([x, w], relay.nn.conv3d(y, w, channels=2, kernel_size=(3, 3, 3), padding=(1, 1, 1)))
    after = _apply(before, transform.ForwardFoldScaleAxis())
    assert _count(after, "multiply") == 1 and isinstance(after.body.args[0].args[0], relay.Var)
    _check_numerics(_typed(before), after, [_rand((1, 3, 4, 5, 5)), _rand((2, 3, 3, 3, 3))])


@pytest.mark.parametrize("case", ["negative_through_relu", "variable_through_relu", "other_consumer",
                                  "let_bound", "leaky_relu_and_raw_use"])
def test_forward_unchanged(case):
    x = relay.var("x", shape=(1, 4, 6, 6))
    w = relay.var("w", shape=(4, 4, 3, 3))
    params = [x, w]
    s = relay.const(_positive((4, 1, 1)))
    if case == "negative_through_relu":
        out = _conv(relay.nn.relu(relay.multiply(x, relay.const(-_positive((4, 1, 1))))), w, 4)
    elif case == "variable_through_relu":
        v = relay.var("v", shape=(4, 1, 1))
        params.append(v)
        out = _conv(relay.nn.relu(relay.multiply(x, v)), w, 4)
    elif case == "other_consumer":
        y = relay.nn.relu(relay.multiply(x, s))
        out = relay.add(_conv(y, w, 4), relay.exp(y))
    elif case == "let_bound":
        y = relay.nn.relu(relay.multiply(x, s))
        v = relay.Var("v")
        out = relay.Let(v, y, relay.add(_conv(v, w, 4), y))
    else:
        y = relay.multiply(x, s)
        out = relay.add(_conv(relay.nn.leaky_relu(y, alpha=0.1), w, 4), y)
    before = _typed(relay.Function(params, out))
    after = _apply(before, transform.ForwardFoldScaleAxis())
    tvm.ir.assert_structural_equal(after, before)


# ---------------------------------------------------------------------------------------------
# The combined pass on batch-normalised networks


def _bn(data, name, channels):
    gamma = relay.const(_positive((channels,)))
    beta = relay.const(_rand((channels,)))
    mean = relay.const(_rand((channels,)))
    var = relay.const(_positive((channels,)))
    return relay.nn.batch_norm(data, gamma, beta, mean, var)[0]


def _bn_net():
    x = relay.var("x", shape=(1, 3, 10, 10))
    w1 = relay.const(_rand((8, 3, 3, 3)))
    w2 = relay.const(_rand((8, 8, 3, 3)))
    w3 = relay.const(_rand((6, 8 * 10 * 10)))
    y = relay.nn.relu(_bn(_conv(x, w1, 8), "bn1", 8))  # conv -> bn: folds backward
    y = _conv(relay.nn.relu(_bn(y, "bn2", 8)), w2, 8)  # bn -> relu -> conv: folds forward
    y = relay.nn.dense(relay.nn.batch_flatten(y), w3)
    return relay.Function([x], y)


def test_fold_scale_axis_removes_batch_norm_scales():
    before = _apply(_bn_net(), transform.SimplifyInference(), transform.FoldConstant())
    assert _count(before, "multiply") == 2
    after = _apply(before, transform.FoldScaleAxis())
    assert _count(after, "multiply") == 0 and _count(after, "divide") == 0
    _check_numerics(before, after, [_rand((1, 3, 10, 10))])


def test_fold_scale_axis_needs_opt_level_3():
    before = _apply(_bn_net(), transform.SimplifyInference(), transform.FoldConstant())
    after = _apply(before, transform.FoldScaleAxis(), opt_level=2)
    tvm.ir.assert_structural_equal(after, before)


def test_relay_build_with_fold_scale_axis_matches_unoptimised():
    from tvm.contrib import graph_executor

    mod = tvm.IRModule.from_expr(_bn_net())
    x = _rand((1, 3, 10, 10))
    outs = []
    for level in (0, 3):
        with tvm.transform.PassContext(opt_level=level):
            lib = relay.build(mod, target="llvm")
        g = graph_executor.GraphModule(lib["default"](tvm.cpu()))
        g.set_input("x", x)
        g.run()
        outs.append(g.get_output(0).numpy())
    np.testing.assert_allclose(outs[1], outs[0], rtol=1e-5, atol=1e-5)


# ---------------------------------------------------------------------------------------------
# Long chains: the walks are iterative


def test_hundred_thousand_relus_backward_and_forward():
    n = 100_000
    x = relay.var("x", shape=(1, 2, 4, 4))
    w = relay.var("w", shape=(2, 2, 1, 1))
    s = relay.const(_positive((2, 1, 1)))
    y = relay.nn.conv2d(x, w, channels=2, kernel_size=(1, 1))
    for _ in range(n):
        y = relay.nn.relu(y)
    after = _apply(relay.Function([x, w], relay.multiply(y, s)), transform.BackwardFoldScaleAxis())
    assert not (isinstance(after.body, relay.Call) and after.body.op.name == "multiply")
    assert _count(after, "multiply") == 1

    y = relay.multiply(x, s)
    for _ in range(n):
        y = relay.nn.relu(y)
    y = relay.nn.conv2d(y, w, channels=2, kernel_size=(1, 1))
    after = _apply(relay.Function([x, w], y), transform.ForwardFoldScaleAxis())
    assert _count(after, "multiply") == 1
    assert isinstance(after.body.args[1], relay.Call) and after.body.args[1].op.name == "multiply"


def test_resnet18_build_matches_and_batch_norm_scales_fold():
    from tvm.contrib import graph_executor
    from tvm.relay import testing
    from tvm.relay.build_module import bind_params_by_name

    mod, params = testing.resnet.get_workload(num_layers=18, batch_size=1, image_shape=(3, 32, 32))
    # Non-trivial statistics, so that every folded scale differs per channel.
    for name, value in list(params.items()):
        shape = value.shape
        if name.endswith(("gamma", "moving_var")):
            params[name] = tvm.nd.array(_positive(shape))
        elif name.endswith(("beta", "moving_mean")):
            params[name] = tvm.nd.array(_rand(shape))
    bound = tvm.IRModule.from_expr(bind_params_by_name(mod["main"], params))
    with tvm.transform.PassContext(opt_level=3):
        simplified = tvm.transform.Sequential(
            [transform.InferType(), transform.SimplifyInference(), transform.FoldConstant()])(bound)
        folded = transform.FoldScaleAxis()(simplified)
    assert _count(simplified["main"], "multiply") == 18
    # One remains: the last batch norm feeds global pooling, which the scale does not cross.
    assert _count(folded["main"], "multiply") == 1

    x = _rand((1, 3, 32, 32))
    outs = []
    for level in (0, 3):
        with tvm.transform.PassContext(opt_level=level):
            lib = relay.build(mod, target="llvm", params=params)
        g = graph_executor.GraphModule(lib["default"](tvm.cpu()))
        g.set_input("data", x)
        g.run()
        outs.append(g.get_output(0).numpy())
    np.testing.assert_allclose(outs[1], outs[0], rtol=1e-5, atol=1e-6)
