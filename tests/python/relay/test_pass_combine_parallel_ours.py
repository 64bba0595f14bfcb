# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""CombineParallelConv2D / CombineParallelDense / CombineParallelBatchMatmul: exact graphs,
numerics before/after on random inputs, the cases left alone, and long branches."""
import numpy as np
import pytest

import tvm
from tvm import relay
from tvm.relay import transform

RNG = np.random.default_rng(11)


def _rand(*shape):
    return RNG.uniform(-1, 1, size=shape).astype("float32")


def _apply(func, *passes):
    mod = tvm.IRModule.from_expr(func)
    with tvm.transform.PassContext(opt_level=4):
        mod = tvm.transform.Sequential([transform.InferType(), *passes])(mod)
    return mod["main"]


def _typed(func):
    return _apply(func)


def _run(func, inputs):
    mod = tvm.IRModule.from_expr(func)
    out = relay.create_executor("debug", mod=mod, target="llvm").evaluate()(*inputs)
    if hasattr(out, "numpy"):
        return [out.numpy()]
    return [o.numpy() for o in out]


def _check_numerics(before, after, inputs):
    for got, want in zip(_run(after, inputs), _run(before, inputs)):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)


def _count(func, name):
    n = []
    relay.analysis.post_order_visit(
        func, lambda e: n.append(1) if isinstance(e, relay.Call) and isinstance(e.op, tvm.ir.Op)
        and e.op.name == name else None)
    return len(n)


def _slice(y, begin, end):
    return relay.strided_slice(y, begin=begin, end=end, strides=[1] * len(begin), slice_mode="size")


# ---------------------------------------------------------------------------------------------- conv2d


def test_conv2d_three_branches_one_left_out():
    x = relay.var("x", shape=(1, 3, 8, 8))
    w1 = relay.var("w1", shape=(2, 3, 1, 1))
    w2 = relay.var("w2", shape=(5, 3, 1, 1))
    w3 = relay.var("w3", shape=(4, 3, 3, 3))  # another kernel extent: stays alone
    w4 = relay.var("w4", shape=(3, 3, 1, 1))
    params = [x, w1, w2, w3, w4]
    before = relay.Function(params, relay.Tuple([relay.nn.conv2d(x, w) for w in (w1, w2, w3, w4)]))
    after = _apply(before, transform.CombineParallelConv2D(min_num_branches=3))

    y = relay.nn.conv2d(x, relay.concatenate([w1, w2, w4], axis=0), channels=10)
    expected = relay.Function(params, relay.Tuple([
        _slice(y, [0, 0], [-1, 2]), _slice(y, [0, 2], [-1, 5]), relay.nn.conv2d(x, w3), _slice(y, [0, 7], [-1, 3])]))
    tvm.ir.assert_structural_equal(after, _typed(expected))
    _check_numerics(_typed(before), after, [_rand(1, 3, 8, 8), _rand(2, 3, 1, 1), _rand(5, 3, 1, 1),
                                            _rand(4, 3, 3, 3), _rand(3, 3, 1, 1)])


def test_conv2d_bias_relu_merged_scalar_scale_not():
    x = relay.var("x", shape=(2, 4, 6, 6))
    ws = [relay.var("w%d" % i, shape=(c, 4, 3, 3)) for i, c in enumerate((3, 5))]
    bs = [relay.var("b%d" % i, shape=(c, 1, 1)) for i, c in enumerate((3, 5))]
    ss = [relay.var("s%d" % i, shape=(1,)) for i in range(2)]
    params = [x] + ws + bs + ss
    outs = []
    for w, b, s in zip(ws, bs, ss):
        y = relay.nn.relu(relay.add(relay.nn.conv2d(x, w, padding=(1, 1)), b))
        outs.append(relay.multiply(y, s))
    before = relay.Function(params, relay.Tuple(outs))
    after = _apply(before, transform.CombineParallelConv2D(min_num_branches=2))

    y = relay.nn.conv2d(x, relay.concatenate(ws, axis=0), padding=(1, 1), channels=8)
    y = relay.nn.relu(relay.add(y, relay.concatenate(bs, axis=0)))
    expected = relay.Function(params, relay.Tuple([
        relay.multiply(_slice(y, [0, 0], [-1, 3]), ss[0]), relay.multiply(_slice(y, [0, 3], [-1, 5]), ss[1])]))
    tvm.ir.assert_structural_equal(after, _typed(expected))
    _check_numerics(_typed(before), after, [_rand(2, 4, 6, 6), _rand(3, 4, 3, 3), _rand(5, 4, 3, 3),
                                            _rand(3, 1, 1), _rand(5, 1, 1), _rand(1), _rand(1)])


def test_conv2d_nhwc_and_chained_groups():
    # Two levels: the second group's input is the concatenation of the first group's slices.
    x = relay.var("x", shape=(1, 5, 5, 4))
    w = relay.var("w", shape=(1, 1, 4, 2))
    y = x
    for _ in range(3):
        a = relay.nn.conv2d(y, w, data_layout="NHWC", kernel_layout="HWIO")
        b = relay.nn.conv2d(y, w, data_layout="NHWC", kernel_layout="HWIO")
        y = relay.concatenate([a, b], axis=3)
    before = relay.Function([x, w], y)
    after = _apply(before, transform.CombineParallelConv2D(min_num_branches=2))
    assert _count(after, "nn.conv2d") == 3 and _count(after, "strided_slice") == 6
    conv = after.body.args[0].fields[0].args[0]
    assert conv.args[1].op.name == "concatenate" and conv.args[1].attrs.axis == 3
    _check_numerics(_typed(before), after, [_rand(1, 5, 5, 4), _rand(1, 1, 4, 2)])


@pytest.mark.parametrize("case", ["too_few", "grouped", "strides_differ", "used_twice_first"])
def test_conv2d_unchanged(case):
    x = relay.var("x", shape=(1, 4, 6, 6))
    w = relay.var("w", shape=(4, 4, 1, 1))
    if case == "too_few":
        out = relay.Tuple([relay.nn.conv2d(x, w), relay.nn.conv2d(x, w)])
        pass_ = transform.CombineParallelConv2D(min_num_branches=3)
    elif case == "grouped":
        wg = relay.var("wg", shape=(4, 2, 1, 1))
        out = relay.Tuple([relay.nn.conv2d(x, wg, groups=2) for _ in range(3)])
        pass_ = transform.CombineParallelConv2D(min_num_branches=2)
    elif case == "strides_differ":
        out = relay.Tuple([relay.nn.conv2d(x, w), relay.nn.conv2d(x, w, strides=(2, 2))])
        pass_ = transform.CombineParallelConv2D(min_num_branches=2)
    else:
        # combined, but the whole tuple keeps its meaning: checked by numerics below
        c = relay.nn.conv2d(x, w)
        out = relay.Tuple([relay.nn.relu(c), relay.nn.conv2d(x, w), c])
        pass_ = transform.CombineParallelConv2D(min_num_branches=2)
    free = relay.analysis.free_vars(out)
    before = _typed(relay.Function(free, out))
    after = _apply(before, pass_)
    if case == "used_twice_first":
        _check_numerics(before, after, [_rand(*[int(d) for d in v.type_annotation.shape]) for v in free])
    else:
        tvm.ir.assert_structural_equal(after, before)


def test_conv2d_long_branches():
    n = 50_000
    x = relay.var("x", shape=(1, 2, 3, 3))
    w1 = relay.var("w1", shape=(2, 2, 1, 1))
    w2 = relay.var("w2", shape=(3, 2, 1, 1))
    outs = []
    for w in (w1, w2):
        y = relay.nn.conv2d(x, w)
        for _ in range(n):
            y = relay.nn.relu(y)
        outs.append(y)
    after = _apply(relay.Function([x, w1, w2], relay.Tuple(outs)), transform.CombineParallelConv2D(2))
    assert _count(after, "nn.conv2d") == 1
    assert _count(after, "nn.relu") == n
    assert _count(after, "strided_slice") == 2


# ---------------------------------------------------------------------------------------------- dense


def test_dense_to_batch_with_bias():
    x = relay.var("x", shape=(3, 6))
    ws = [relay.var("w%d" % i, shape=(4, 6)) for i in range(3)]
    bs = [relay.var("b%d" % i, shape=(4,)) for i in range(3)]
    before = relay.Function([x] + ws + bs, relay.Tuple(
        [relay.add(relay.nn.dense(x, w), b) for w, b in zip(ws, bs)]))
    after = _apply(before, transform.CombineParallelDense(min_num_branches=3))
    y = relay.nn.batch_matmul(relay.stack([x, x, x], axis=0), relay.stack(ws, axis=0))
    y = relay.add(y, relay.stack([relay.expand_dims(b, 0) for b in bs], axis=0))
    parts = relay.split(y, 3)
    expected = relay.Function([x] + ws + bs, relay.Tuple([relay.squeeze(parts[i], [0]) for i in range(3)]))
    tvm.ir.assert_structural_equal(after, _typed(expected))
    _check_numerics(_typed(before), after, [_rand(3, 6)] + [_rand(4, 6) for _ in ws] + [_rand(4) for _ in bs])


def test_dense_flat_repeats_narrow_arguments():
    x = relay.var("x", shape=(2, 5))
    w1 = relay.var("w1", shape=(3, 5))
    w2 = relay.var("w2", shape=(4, 5))
    s1 = relay.var("s1", shape=(1,))
    s2 = relay.var("s2", shape=(4,))
    before = relay.Function([x, w1, w2, s1, s2], relay.Tuple(
        [relay.multiply(relay.nn.dense(x, w1), s1), relay.multiply(relay.nn.dense(x, w2), s2)]))
    after = _apply(before, transform.CombineParallelDense(min_num_branches=2, to_batch=False))
    y = relay.nn.dense(x, relay.concatenate([w1, w2], axis=0), units=7)
    y = relay.multiply(y, relay.concatenate([relay.repeat(s1, 3, 0), s2], axis=0))
    expected = relay.Function([x, w1, w2, s1, s2],
                              relay.Tuple([_slice(y, [0, 0], [-1, 3]), _slice(y, [0, 3], [-1, 4])]))
    tvm.ir.assert_structural_equal(after, _typed(expected))
    _check_numerics(_typed(before), after, [_rand(2, 5), _rand(3, 5), _rand(4, 5), _rand(1), _rand(4)])


def test_dense_to_batch_needs_equal_weights():
    x = relay.var("x", shape=(2, 5))
    w1 = relay.var("w1", shape=(3, 5))
    w2 = relay.var("w2", shape=(4, 5))
    before = _typed(relay.Function([x, w1, w2], relay.Tuple([relay.nn.dense(x, w1), relay.nn.dense(x, w2)])))
    after = _apply(before, transform.CombineParallelDense(min_num_branches=2))
    tvm.ir.assert_structural_equal(after, before)


# ---------------------------------------------------------------------------------------------- batch_matmul


def test_batch_matmul_with_bias():
    x = relay.var("x", shape=(2, 3, 4))
    ws = [relay.var("w%d" % i, shape=(2, n, 4)) for i, n in enumerate((5, 6))]
    bs = [relay.var("b%d" % i, shape=(n,)) for i, n in enumerate((5, 6))]
    before = relay.Function([x] + ws + bs, relay.Tuple(
        [relay.add(relay.nn.batch_matmul(x, w), b) for w, b in zip(ws, bs)]))
    after = _apply(before, transform.CombineParallelBatchMatmul(min_num_branches=2))
    y = relay.add(relay.nn.batch_matmul(x, relay.concatenate(ws, axis=1)), relay.concatenate(bs, axis=-1))
    expected = relay.Function([x] + ws + bs, relay.Tuple(
        [_slice(y, [0, 0, 0], [-1, -1, 5]), _slice(y, [0, 0, 5], [-1, -1, 6])]))
    tvm.ir.assert_structural_equal(after, _typed(expected))
    _check_numerics(_typed(before), after, [_rand(2, 3, 4), _rand(2, 5, 4), _rand(2, 6, 4), _rand(5), _rand(6)])


def test_batch_matmul_unchanged():
    x = relay.var("x", shape=(2, 3, 4))
    w = relay.var("w", shape=(2, 4, 5))
    out = relay.Tuple([relay.nn.batch_matmul(x, w, transpose_b=False) for _ in range(3)])
    before = _typed(relay.Function([x, w], out))
    tvm.ir.assert_structural_equal(_apply(before, transform.CombineParallelBatchMatmul(2)), before)
    # A broadcast scalar after the matmul is not concatenated: only the matmuls merge.
    w2 = relay.var("w2", shape=(2, 5, 4))
    s = relay.var("s", shape=())
    out = relay.Tuple([relay.multiply(relay.nn.batch_matmul(x, w2), s) for _ in range(2)])
    before = _typed(relay.Function([x, w2, s], out))
    after = _apply(before, transform.CombineParallelBatchMatmul(2))
    assert _count(after, "nn.batch_matmul") == 1 and _count(after, "multiply") == 2
    _check_numerics(before, after, [_rand(2, 3, 4), _rand(2, 5, 4), np.array(1.5, "float32")])


def test_opt_level_4():
    x = relay.var("x", shape=(2, 5))
    w = relay.var("w", shape=(3, 5))
    before = _typed(relay.Function([x, w], relay.Tuple([relay.nn.dense(x, w) for _ in range(3)])))
    # A Sequential runs it only from opt_level 4 (calling the pass directly always runs it).
    mod = tvm.IRModule.from_expr(before)
    with tvm.transform.PassContext(opt_level=3):
        kept = tvm.transform.Sequential([transform.CombineParallelDense()])(mod)
    tvm.ir.assert_structural_equal(kept["main"], before)
    with tvm.transform.PassContext(opt_level=4):
        combined = tvm.transform.Sequential([transform.CombineParallelDense()])(mod)
    assert _count(combined["main"], "nn.batch_matmul") == 1


def test_relay_build_at_opt_level_4_matches():
    from tvm.contrib import graph_executor

    x = relay.var("x", shape=(1, 4, 8, 8))
    branches = []
    for c in (3, 5, 2):
        w = relay.const(_rand(c, 4, 1, 1))
        b = relay.const(_rand(c, 1, 1))
        branches.append(relay.nn.relu(relay.add(relay.nn.conv2d(x, w), b)))
    y = relay.concatenate(branches, axis=1)
    d = relay.nn.batch_flatten(y)
    dense = [relay.nn.dense(d, relay.const(_rand(6, 10 * 64))) for _ in range(3)]
    out = relay.Tuple([y, relay.add(relay.add(dense[0], dense[1]), dense[2])])
    mod = tvm.IRModule.from_expr(relay.Function([x], out))
    data = _rand(1, 4, 8, 8)
    results = []
    for level in (0, 4):
        with tvm.transform.PassContext(opt_level=level):
            lib = relay.build(mod, target="llvm")
        g = graph_executor.GraphModule(lib["default"](tvm.cpu()))
        g.set_input("x", data)
        g.run()
        results.append([g.get_output(i).numpy() for i in range(2)])
    for got, want in zip(results[1], results[0]):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)
    with tvm.transform.PassContext(opt_level=4):
        opt, _ = relay.build_module.optimize(mod, target="llvm")
    assert "nn.batch_matmul" in opt.astext() and opt.astext().count("nn.conv2d(") == 1


@pytest.mark.parametrize("make", [transform.CombineParallelConv2D, transform.CombineParallelDense,
                                  transform.CombineParallelBatchMatmul])
def test_negative_branch_count_is_refused(make):
    with pytest.raises(ValueError, match="min_num_branches must be a count"):
        make(-1)
