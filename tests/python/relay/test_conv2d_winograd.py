# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Winograd 3x3 convolution: the operators (nn.contrib_conv2d_winograd_weight_transform and
nn.contrib_conv2d_winograd_without_weight_transform), their topi computes against numpy, the x86
blocked implementation with its fused epilogue, AlterOpLayout's choice of it on CPUs (exact graphs),
and whole networks at opt_level 3 against torch."""
import numpy as np
import pytest
import torch

import tvm
from tvm import relay, te, topi
from tvm.contrib import graph_executor

TARGET = "llvm -mcpu=skylake-avx512"

# F(m x m, 3 x 3) matrices, written out independently of the implementation.
_MATRICES = {
    2: (np.array([[1, 1, 1, 0], [0, 1, -1, -1]], "float64"),
        np.array([[1, 0, 0], [0.5, 0.5, 0.5], [0.5, -0.5, 0.5], [0, 0, 1]], "float64")),
    4: (np.array([[1, 1, 1, 1, 1, 0], [0, 1, -1, 2, -2, 0], [0, 1, 1, 4, 4, 0], [0, 1, -1, 8, -8, 1]], "float64"),
        np.array([[1 / 4, 0, 0], [-1 / 6, -1 / 6, -1 / 6], [-1 / 6, 1 / 6, -1 / 6], [1 / 24, 1 / 12, 1 / 6],
                  [1 / 24, -1 / 12, 1 / 6], [0, 0, 1]], "float64")),
}


def _np_weight_transform(w, m):
    g = _MATRICES[m][1]
    return np.einsum("ia,ocab,jb->ijoc", g, w.astype("float64"), g)


def _torch_conv(x, w, pad, bias=None):
    """pad: (top, left, bottom, right)."""
    t = torch.nn.functional.pad(torch.from_numpy(x), (pad[1], pad[3], pad[0], pad[2]))
    b = None if bias is None else torch.from_numpy(bias)
    return torch.nn.functional.conv2d(t, torch.from_numpy(w), b).numpy()


def _rel_err(a, b):
    return float(np.max(np.abs(a - b)) / max(np.max(np.abs(b)), 1e-30))


def _run(func, inputs, params=None, target=TARGET, opt_level=3, config=None):
    mod = tvm.IRModule.from_expr(func)
    with tvm.transform.PassContext(opt_level=opt_level, config=config or {}):
        lib = relay.build(mod, target=target, params=params)
    m = graph_executor.GraphModule(lib["default"](tvm.cpu()))
    for k, v in inputs.items():
        m.set_input(k, v)
    m.run()
    return m.get_output(0).numpy(), lib


# ---------------------------------------------------------------------------- topi


@pytest.mark.parametrize("m", [2, 4])
def test_weight_transform_matches_g_w_gt(m):
    rng = np.random.default_rng(1)
    w = rng.standard_normal((5, 3, 3, 3)).astype("float32")
    W = te.placeholder(w.shape, name="w")
    U = topi.nn.conv2d_winograd_weight_transform(W, m)
    assert [int(d) for d in U.shape] == [m + 2, m + 2, 5, 3]
    f = tvm.build(te.create_schedule(U.op), [W, U], "llvm")
    out = tvm.nd.empty(U.shape, "float32")
    f(tvm.nd.array(w), out)
    np.testing.assert_allclose(out.numpy(), _np_weight_transform(w, m), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("m,shape,pad", [(2, (1, 3, 7, 9), (1, 1, 1, 1)), (4, (2, 4, 10, 6), (0, 2, 1, 0)),
                                         (4, (1, 2, 3, 3), (1, 1, 1, 1))])
def test_generic_nchw_winograd_matches_direct_convolution(m, shape, pad):
    rng = np.random.default_rng(2)
    x = rng.standard_normal(shape).astype("float32")
    w = rng.standard_normal((5, shape[1], 3, 3)).astype("float32")
    X = te.placeholder(shape, name="x")
    U = te.placeholder((m + 2, m + 2, 5, shape[1]), name="u")
    Y = topi.nn.conv2d_winograd_nchw_without_weight_transform(X, U, list(pad), m)
    f = tvm.build(te.create_schedule(Y.op), [X, U, Y], "llvm")
    out = tvm.nd.empty(Y.shape, "float32")
    f(tvm.nd.array(x), tvm.nd.array(_np_weight_transform(w, m).astype("float32")), out)
    ref = _torch_conv(x, w, pad)
    assert out.shape == ref.shape
    assert _rel_err(out.numpy(), ref) < 1e-5


def test_bad_tile_size_and_shapes_are_named():
    W = te.placeholder((4, 4, 3, 3), name="w")
    with pytest.raises(ValueError, match="tile_size must be 2 or 4, got 3"):
        topi.nn.conv2d_winograd_weight_transform(W, 3)
    with pytest.raises(ValueError, match=r"3x3 kernel, got shape \[4, 4, 5, 5\]"):
        topi.nn.conv2d_winograd_weight_transform(te.placeholder((4, 4, 5, 5)), 2)
    X = te.placeholder((1, 2, 8, 8, 16), name="x")
    U = te.placeholder((6, 6, 2, 16, 16), name="u")
    with tvm.target.Target(TARGET), pytest.raises(ValueError, match=r"\[6, 6, K/kb, 32, kb\].*got \[6, 6, 2, 16, 16\]"):
        topi.x86.conv2d_winograd_NCHWc(X, U, [1], 4)


# ---------------------------------------------------------------------------- relay operators


def test_operator_types_and_errors():
    x = relay.var("x", shape=(1, 8, 10, 12))
    w = relay.var("w", shape=(16, 8, 3, 3))
    u = relay.nn.contrib_conv2d_winograd_weight_transform(w, tile_size=4)
    y = relay.nn.contrib_conv2d_winograd_without_weight_transform(x, u, 4, padding=(1, 1), channels=16,
                                                                  kernel_size=(3, 3))
    mod = relay.transform.InferType()(tvm.IRModule.from_expr(relay.Function([x, w], y)))
    assert mod["main"].ret_type == relay.TensorType((1, 16, 10, 12), "float32")
    assert u.attrs.tile_size == 4 and y.attrs.tile_size == 4

    def infer(expr):
        return relay.transform.InferType()(tvm.IRModule.from_expr(relay.Function(relay.analysis.free_vars(expr),
                                                                                   expr)))

    with pytest.raises(Exception, match="strides must be 1"):
        infer(relay.nn.contrib_conv2d_winograd_without_weight_transform(x, u, 4, strides=(2, 2)))
    with pytest.raises(Exception, match="not transformed for tile_size 2"):
        infer(relay.nn.contrib_conv2d_winograd_without_weight_transform(x, u, 2))
    bad = relay.var("bad", shape=(6, 6, 16, 4))
    with pytest.raises(Exception, match="has 4 input channels, but data"):
        infer(relay.nn.contrib_conv2d_winograd_without_weight_transform(x, bad, 4))


@pytest.mark.parametrize("m", [2, 4])
def test_nchw_operator_pair_runs_through_relay_build(m):
    rng = np.random.default_rng(3)
    x = rng.standard_normal((1, 6, 9, 7)).astype("float32")
    w = rng.standard_normal((10, 6, 3, 3)).astype("float32")
    xv, wv = relay.var("x", shape=x.shape), relay.var("w", shape=w.shape)
    u = relay.nn.contrib_conv2d_winograd_weight_transform(wv, tile_size=m)
    y = relay.nn.contrib_conv2d_winograd_without_weight_transform(xv, u, m, padding=(1, 1))
    out, _ = _run(relay.Function([xv, wv], y), {"x": x, "w": w}, opt_level=0)
    assert _rel_err(out, _torch_conv(x, w, (1, 1, 1, 1))) < 1e-5


# ---------------------------------------------------------------------------- AlterOpLayout


def _alter(func, config=None):
    mod = relay.transform.InferType()(tvm.IRModule.from_expr(func))
    with tvm.target.Target(TARGET), tvm.transform.PassContext(opt_level=3, config=config or {}):
        mod = relay.transform.AlterOpLayout()(mod)
    return mod["main"]


def _typed(func):
    return relay.transform.InferType()(tvm.IRModule.from_expr(func))["main"]


@pytest.mark.parametrize("size,tile", [(28, 4), (14, 2)])
def test_alter_op_layout_picks_winograd_with_packed_transformed_weight(size, tile):
    x = relay.var("x", shape=(1, 64, size, size))
    w = relay.var("w", shape=(32, 64, 3, 3))
    actual = _alter(relay.Function([x, w], relay.nn.relu(relay.nn.conv2d(x, w, padding=1, channels=32,
                                                                             kernel_size=3))))
    xb = relay.layout_transform(x, "NCHW", "NCHW16c")
    u = relay.layout_transform(relay.nn.contrib_conv2d_winograd_weight_transform(w, tile), "HWOI", "HWOI16o")
    y = relay.nn.contrib_conv2d_winograd_without_weight_transform(
        xb, u, tile, padding=(1, 1, 1, 1), channels=32, kernel_size=(3, 3), data_layout="NCHW16c",
        kernel_layout="HWOI16o", out_layout="NCHW16c")
    expected = _typed(relay.Function([x, w], relay.layout_transform(relay.nn.relu(y), "NCHW16c", "NCHW")))
    assert tvm.ir.structural_equal(actual, expected), "actual:\n%s\nexpected:\n%s" % (actual, expected)


def test_alter_op_layout_keeps_direct_convolution_where_winograd_does_not_pay():
    """Stride 2, 1x1 and 5x5 kernels, fewer than 32 channels, a 2x2 output, and the PassContext
    switch off all keep nn.contrib_conv2d_NCHWc."""
    cases = [
        ((1, 64, 28, 28), (64, 64, 3, 3), dict(strides=2, padding=1)),
        ((1, 64, 28, 28), (64, 64, 1, 1), {}),
        ((1, 64, 28, 28), (64, 64, 5, 5), dict(padding=2)),
        ((1, 16, 56, 56), (64, 16, 3, 3), dict(padding=1)),
        ((1, 64, 2, 2), (64, 64, 3, 3), dict(padding=1)),
        ((1, 64, 28, 28), (64, 64, 3, 3), dict(dilation=2, padding=2)),
    ]
    for xs, ws, kw in cases:
        x, w = relay.var("x", shape=xs), relay.var("w", shape=ws)
        actual = _alter(relay.Function([x, w], relay.nn.conv2d(x, w, **kw)))
        ops = set()
        relay.analysis.post_order_visit(actual, lambda e: ops.add(e.op.name) if isinstance(e, relay.Call) else None)
        assert "nn.contrib_conv2d_NCHWc" in ops and not any("winograd" in o for o in ops), (xs, ws, kw, ops)
    x, w = relay.var("x", shape=(1, 64, 28, 28)), relay.var("w", shape=(64, 64, 3, 3))
    actual = _alter(relay.Function([x, w], relay.nn.conv2d(x, w, padding=1)), config={"relay.x86.winograd": False})
    assert "winograd" not in actual.astext() and "contrib_conv2d_NCHWc" in actual.astext()


# ---------------------------------------------------------------------------- x86 blocked, end to end


def _residual_block(rng, c, k, h, w, pad):
    x = relay.var("x", shape=(1, c, h, w))
    w1 = rng.standard_normal((k, c, 3, 3)).astype("float32") * 0.2
    b1 = rng.standard_normal(k).astype("float32")
    w2 = rng.standard_normal((k, k, 3, 3)).astype("float32") * 0.2
    y = relay.nn.relu(relay.nn.bias_add(relay.nn.conv2d(x, relay.const(w1), padding=pad), relay.const(b1)))
    z = relay.add(relay.nn.conv2d(y, relay.const(w2), padding=1), y)
    func = relay.Function([x], relay.nn.relu(z))

    def reference(xd):
        r = np.maximum(_torch_conv(xd, w1, pad, b1), 0)
        return np.maximum(_torch_conv(r, w2, (1, 1, 1, 1)) + r, 0)

    return func, reference


@pytest.mark.parametrize("c,k,h,w,pad", [
    (32, 48, 28, 28, (1, 1, 1, 1)),    # F(4x4): tiles divide the image
    (64, 32, 30, 26, (1, 1, 1, 1)),    # F(4x4): 30 and 26 are not multiples of 4
    (48, 64, 13, 11, (1, 1, 1, 1)),    # F(2x2): odd sizes, partial tiles
    (32, 32, 9, 9, (0, 2, 1, 1)),      # asymmetric padding through the blocked path
    (64, 64, 3, 5, (1, 1, 1, 1)),      # F(2x2) with 6 tiles
])
def test_winograd_networks_match_torch(c, k, h, w, pad):
    rng = np.random.default_rng(c * 1000 + h)
    func, reference = _residual_block(rng, c, k, h, w, pad)
    xd = rng.standard_normal((1, c, h, w)).astype("float32")
    out, lib = _run(func, {"x": xd})
    graph = lib.get_graph_json()
    assert "winograd" in graph
    assert _rel_err(out, reference(xd)) < 2e-5
    off, lib_off = _run(func, {"x": xd}, config={"relay.x86.winograd": False})
    assert "winograd" not in lib_off.get_graph_json()
    assert _rel_err(out, off) < 2e-5


def test_winograd_fuses_bias_relu_and_residual_add_into_one_function():
    rng = np.random.default_rng(7)
    func, _ = _residual_block(rng, 32, 32, 28, 28, (1, 1, 1, 1))
    mod = tvm.IRModule.from_expr(func)
    with tvm.target.Target(TARGET), tvm.transform.PassContext(opt_level=3):
        mod = relay.transform.InferType()(mod)
        mod = relay.transform.AlterOpLayout()(mod)
        mod = relay.transform.FoldConstant()(mod)
        mod = relay.transform.FuseOps(fuse_opt_level=2)(relay.transform.InferType()(mod))
    fused = []

    def visit(e):
        if isinstance(e, relay.Function) and e.attrs is not None and "Primitive" in e.attrs:
            names = []
            relay.analysis.post_order_visit(e.body, lambda n: names.append(n.op.name)
                                            if isinstance(n, relay.Call) and isinstance(n.op, tvm.ir.Op) else None)
            fused.append(names)

    relay.analysis.post_order_visit(mod["main"], visit)
    wino = "nn.contrib_conv2d_winograd_without_weight_transform"
    # conv1 + bias + relu; conv2 + residual add + relu.
    assert fused.count([wino, "add", "nn.relu"]) == 2, fused
    # The transformed weights were folded: no weight transform is left to run.
    assert not any("nn.contrib_conv2d_winograd_weight_transform" in f for f in fused)


def test_random_winograd_convolutions_match_torch():
    """Random channel counts, sizes and paddings through relay.build (both tile sizes)."""
    rng = np.random.default_rng(11)
    seen = set()
    for _ in range(6):
        c, k = int(rng.choice([32, 48, 64])), int(rng.choice([32, 48, 80]))
        h, w = int(rng.integers(3, 33)), int(rng.integers(3, 33))
        pad = tuple(int(p) for p in rng.integers(0, 3, size=4))
        if h + pad[0] + pad[2] < 3 or w + pad[1] + pad[3] < 3:
            continue
        x = relay.var("x", shape=(1, c, h, w))
        wt = rng.standard_normal((k, c, 3, 3)).astype("float32") * 0.2
        func = relay.Function([x], relay.nn.conv2d(x, relay.const(wt), padding=pad))
        xd = rng.standard_normal((1, c, h, w)).astype("float32")
        out, lib = _run(func, {"x": xd})
        assert _rel_err(out, _torch_conv(xd, wt, pad)) < 2e-5, (c, k, h, w, pad)
        seen.add("winograd" in lib.get_graph_json())
    assert True in seen


def test_x86_schedule_runs_the_inverse_transform_and_epilogue_at_each_output_tile():
    """The stages of the blocked Winograd convolution with a fused relu: the inverse transform and
    the convolution's output are computed at each m x m tile of the relu (in registers), the
    GEMM accumulates in a local tile, and every root stage runs in parallel."""
    with tvm.target.Target(TARGET):
        x = te.placeholder((1, 2, 12, 12, 16), name="x")
        u = te.placeholder((6, 6, 2, 32, 16), name="u")
        y = topi.x86.conv2d_winograd_NCHWc(x, u, [1], 4)
        r = topi.nn.relu(y)
        s = topi.x86.schedule_conv2d_winograd_NCHWc([r])
    stages = {st.op.name: st for st in s.stages}
    attached = {name for name, st in stages.items() if st.attach_type == 4}
    assert attached == {"tile_rows", "bgemm.local", "inverse", "conv2d_winograd_NCHWc"}
    assert stages["conv2d_winograd_NCHWc"].scope == "local" and stages["inverse"].scope == "local"
    text = str(tvm.lower(s, [x, u, r], simple_mode=True))
    # pad, input transform, GEMM and the tiled relu: four parallel loop nests, nothing serial at root.
    assert text.count("T.parallel(") == 4
    assert "T.Select" not in text and "T.select" not in text  # every transform coefficient folded
    f = tvm.build(s, [x, u, r], TARGET)
    rng = np.random.default_rng(9)
    xd = rng.standard_normal((1, 32, 12, 12)).astype("float32")
    wd = rng.standard_normal((32, 32, 3, 3)).astype("float32")
    ud = _np_weight_transform(wd, 4).reshape(6, 6, 2, 16, 32).transpose(0, 1, 2, 4, 3).astype("float32")
    out = tvm.nd.empty((1, 2, 12, 12, 16), "float32")
    f(tvm.nd.array(xd.reshape(1, 2, 16, 12, 12).transpose(0, 1, 3, 4, 2).copy()), tvm.nd.array(ud.copy()), out)
    ref = np.maximum(_torch_conv(xd, wd, (1, 1, 1, 1)), 0)
    got = out.numpy().transpose(0, 1, 4, 2, 3).reshape(1, 32, 12, 12)
    assert _rel_err(got, ref) < 1e-5


@pytest.mark.parametrize("target", [TARGET, "llvm -mcpu=haswell"])
def test_winograd_batch_two_and_avx2_match_torch(target):
    """Tiles of several images in one GEMM (batch 2), and 8-lane vectors (AVX2: NCHW8c blocks,
    16 vector registers)."""
    rng = np.random.default_rng(21)
    x = relay.var("x", shape=(2, 32, 20, 18))
    wt = rng.standard_normal((40, 32, 3, 3)).astype("float32") * 0.2
    func = relay.Function([x], relay.nn.relu(relay.nn.conv2d(x, relay.const(wt), padding=1)))
    xd = rng.standard_normal((2, 32, 20, 18)).astype("float32")
    out, lib = _run(func, {"x": xd}, target=target)
    assert "winograd" in lib.get_graph_json()
    assert _rel_err(out, np.maximum(_torch_conv(xd, wt, (1, 1, 1, 1)), 0)) < 2e-5
