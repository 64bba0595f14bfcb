# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Blocked NCHW[x]c convolutions: topi.x86.conv2d_NCHWc / depthwise_conv2d_NCHWc (register-blocked
schedules with fused epilogues), the topi.nn references, pools in NCHW[x]c, and the Relay operators
nn.contrib_conv2d_NCHWc / nn.contrib_depthwise_conv2d_NCHWc, against torch."""
import numpy as np
import pytest
import torch

import tvm
from tvm import relay, te, topi
from tvm.topi.utils import get_const_tuple

TARGET = "llvm -mcpu=skylake-avx512"  # 16 float32 lanes: the blocks these tests use


def to_blocked(a, block):
    """NCHW -> NCHW[block]c."""
    n, c, h, w = a.shape
    return a.reshape(n, c // block, block, h, w).transpose(0, 1, 3, 4, 2).copy()


def kernel_blocked(w, in_block, out_block):
    """OIHW -> OIHW[in_block]i[out_block]o."""
    o, i, kh, kw = w.shape
    return w.reshape(o // out_block, out_block, i // in_block, in_block, kh, kw).transpose(0, 2, 4, 5, 3, 1).copy()


def _torch_conv(x, w, stride, padding, dilation=1, groups=1):
    return torch.nn.functional.conv2d(torch.tensor(x), torch.tensor(w), stride=stride, padding=padding,
                                      dilation=dilation, groups=groups).numpy()


def _run(tensors, outs, schedule, arrays):
    with tvm.target.Target(TARGET):
        s = schedule(outs)
        mod = tvm.build(s, list(tensors) + list(outs), target=TARGET)
    results = [tvm.nd.array(np.zeros(get_const_tuple(o.shape), o.dtype)) for o in outs]
    mod(*[tvm.nd.array(a) for a in arrays], *results)
    return [r.numpy() for r in results]


CONV_CASES = [
    # (C, H, W, O, k, stride, pad, dilation, in_block (0: plain NCHW), out_block)
    (3, 23, 23, 32, 7, 2, 3, 1, 0, 16),     # a first layer: plain NCHW data, C = 3
    (8, 17, 17, 24, 3, 1, 1, 1, 8, 8),      # C = 8, 24 output channels in blocks of 8
    (24, 15, 13, 96, 3, 2, 1, 1, 8, 16),    # strided, a width that pads the register tile
    (32, 14, 14, 32, 1, 1, 0, 1, 16, 16),   # 1x1: the packed GEMM
    (96, 14, 14, 32, 1, 2, 0, 1, 16, 16),   # strided 1x1
    (32, 11, 11, 48, 3, 1, 2, 2, 16, 16),   # dilated
    (16, 9, 29, 64, 5, 1, (1, 2), 1, 16, 16),  # asymmetric padding, prime width
]


@pytest.mark.parametrize("case", CONV_CASES)
def test_conv2d_nchwc_x86_with_fused_epilogue(case):
    channels, height, width, out_channels, k, stride, pad, dilation, in_block, out_block = case
    rng = np.random.default_rng(0)
    x = rng.standard_normal((1, channels, height, width)).astype("float32")
    w = rng.standard_normal((out_channels, channels, k, k)).astype("float32")
    bias = rng.standard_normal(out_channels).astype("float32")
    residual_shape = None
    pad_hw = pad if isinstance(pad, tuple) else (pad, pad)
    ref = _torch_conv(x, w, stride, pad_hw, dilation)
    residual = rng.standard_normal(ref.shape).astype("float32")
    want = np.clip(ref + bias.reshape(1, -1, 1, 1) + residual, 0.0, 6.0)

    data = x if in_block == 0 else to_blocked(x, in_block)
    kernel = kernel_blocked(w, in_block or channels, out_block)
    layout = f"NCHW{in_block}c" if in_block else "NCHW"
    A = te.placeholder(data.shape, name="A")
    W = te.placeholder(kernel.shape, name="W")
    B = te.placeholder((1, out_channels // out_block, 1, 1, out_block), name="B")
    residual_shape = to_blocked(residual, out_block).shape
    R = te.placeholder(residual_shape, name="R")
    with tvm.target.Target(TARGET):
        conv = topi.x86.conv2d_NCHWc(A, W, stride, pad, dilation, layout, f"NCHW{out_block}c", "float32")
    out = topi.clip(topi.add(topi.add(conv, B), R), 0.0, 6.0)
    got, = _run([A, W, B, R], [out], topi.x86.schedule_conv2d_NCHWc,
                [data, kernel, to_blocked(bias.reshape(1, -1, 1, 1), out_block), to_blocked(residual, out_block)])
    np.testing.assert_allclose(got, to_blocked(want, out_block), rtol=1e-5, atol=1e-4)

    # The plain TE reference (topi.nn) agrees.
    ref_out = topi.nn.conv2d_NCHWc(A, W, stride, pad, dilation, layout, f"NCHW{out_block}c", "float32")
    got_ref, = _run([A, W], [ref_out], lambda outs: te.create_schedule(outs[0].op), [data, kernel])
    np.testing.assert_allclose(got_ref, to_blocked(ref, out_block), rtol=1e-5, atol=1e-4)


def test_conv2d_nchwc_x86_unfused_output():
    """The convolution alone (its crop is the output) and with an epilogue that is not elementwise."""
    rng = np.random.default_rng(1)
    x = rng.standard_normal((2, 32, 10, 10)).astype("float32")
    w = rng.standard_normal((32, 32, 3, 3)).astype("float32")
    ref = _torch_conv(x, w, 1, 1)
    A = te.placeholder((2, 2, 10, 10, 16), name="A")
    W = te.placeholder((2, 2, 3, 3, 16, 16), name="W")
    with tvm.target.Target(TARGET):
        conv = topi.x86.conv2d_NCHWc(A, W, 1, 1, 1, "NCHW16c", "NCHW16c")
    got, = _run([A, W], [conv], topi.x86.schedule_conv2d_NCHWc, [to_blocked(x, 16), kernel_blocked(w, 16, 16)])
    np.testing.assert_allclose(got, to_blocked(ref, 16), rtol=1e-5, atol=1e-4)
    # A reduction over the convolution: the convolution is computed whole.
    total = topi.sum(conv, axis=(2, 3))
    got, = _run([A, W], [total], topi.x86.schedule_conv2d_NCHWc, [to_blocked(x, 16), kernel_blocked(w, 16, 16)])
    np.testing.assert_allclose(got, to_blocked(ref, 16).sum(axis=(2, 3)), rtol=1e-4, atol=1e-3)


@pytest.mark.parametrize("channels,height,k,stride,pad,block", [
    (32, 13, 3, 1, 1, 16), (96, 14, 3, 2, 1, 16), (24, 11, 3, 2, 1, 8), (48, 9, 5, 1, 2, 16), (16, 7, 3, 1, 0, 16)])
def test_depthwise_conv2d_nchwc_x86(channels, height, k, stride, pad, block):
    rng = np.random.default_rng(2)
    x = rng.standard_normal((1, channels, height, height + 2)).astype("float32")
    w = rng.standard_normal((channels, 1, k, k)).astype("float32")
    bias = rng.standard_normal(channels).astype("float32")
    ref = _torch_conv(x, w, stride, pad, groups=channels)
    want = np.maximum(ref + bias.reshape(1, -1, 1, 1), 0.0)
    A = te.placeholder((1, channels // block, height, height + 2, block), name="A")
    W = te.placeholder((channels // block, 1, k, k, 1, block), name="W")
    B = te.placeholder((1, channels // block, 1, 1, block), name="B")
    with tvm.target.Target(TARGET):
        conv = topi.x86.depthwise_conv2d_NCHWc(A, W, stride, pad, 1, f"NCHW{block}c", f"NCHW{block}c")
    out = topi.nn.relu(topi.add(conv, B))
    args = [to_blocked(x, block), kernel_blocked(w, 1, block), to_blocked(bias.reshape(1, -1, 1, 1), block)]
    got, = _run([A, W, B], [out], topi.x86.schedule_depthwise_conv2d_NCHWc, args)
    np.testing.assert_allclose(got, to_blocked(want, block), rtol=1e-5, atol=1e-4)
    ref_out = topi.nn.depthwise_conv2d_NCHWc(A, W, stride, pad, 1, f"NCHW{block}c", f"NCHW{block}c")
    got_ref, = _run([A, W], [ref_out], lambda outs: te.create_schedule(outs[0].op), args[:2])
    np.testing.assert_allclose(got_ref, to_blocked(ref, block), rtol=1e-5, atol=1e-4)


def test_depthwise_reference_with_multiplier():
    """topi.nn.depthwise_conv2d_NCHWc: output channel o reads input channel o // multiplier."""
    rng = np.random.default_rng(3)
    x = rng.standard_normal((1, 8, 9, 9)).astype("float32")
    w = rng.standard_normal((16, 1, 3, 3)).astype("float32")
    ref = _torch_conv(x, w, 1, 1, groups=8)
    A = te.placeholder((1, 1, 9, 9, 8), name="A")
    W = te.placeholder((1, 1, 3, 3, 1, 16), name="W")
    out = topi.nn.depthwise_conv2d_NCHWc(A, W, 1, 1, 1, "NCHW8c", "NCHW16c")
    got, = _run([A, W], [out], lambda outs: te.create_schedule(outs[0].op),
                [to_blocked(x, 8), kernel_blocked(w, 1, 16)])
    np.testing.assert_allclose(got, to_blocked(ref, 16), rtol=1e-5, atol=1e-4)


def test_blocked_conv_errors_name_the_operands():
    A = te.placeholder((1, 2, 8, 8, 16), name="A")
    with pytest.raises(ValueError, match=r"conv2d_NCHWc \(x86\).*kernel.*\[2, 3, 3, 3, 16, 16\]"):
        topi.x86.conv2d_NCHWc(A, te.placeholder((2, 3, 3, 3, 16, 16)), 1, 1, 1, "NCHW16c", "NCHW16c")
    with pytest.raises(ValueError, match="layouts must be NCHW<n>c"):
        topi.x86.conv2d_NCHWc(A, te.placeholder((2, 2, 3, 3, 16, 16)), 1, 1, 1, "NHWC", "NCHW16c")
    with pytest.raises(ValueError, match="does not fit the padded 8x8 input"):
        topi.nn.conv2d_NCHWc(A, te.placeholder((2, 2, 11, 11, 16, 16)), 1, 0, 1, "NCHW16c", "NCHW16c")
    with pytest.raises(ValueError, match="not a depthwise OIHW1i<n>o kernel"):
        topi.x86.depthwise_conv2d_NCHWc(A, te.placeholder((2, 2, 3, 3, 1, 16)), 1, 1, 1, "NCHW16c", "NCHW16c")


def test_channel_block_rule():
    block = topi.x86.conv2d_nchwc.channel_block
    assert [block(c, 16) for c in (3, 8, 24, 32, 96, 144, 1000, 6)] == [0, 8, 8, 16, 16, 16, 8, 0]
    assert [block(c, 8) for c in (24, 12, 3)] == [8, 4, 0]


@pytest.mark.parametrize("pool", ["max", "avg"])
def test_pools_in_nchwc(pool):
    """topi.nn.pool2d / global_pool / adaptive_pool read NCHW[x]c: the block is not pooled."""
    rng = np.random.default_rng(4)
    x = rng.standard_normal((1, 32, 11, 11)).astype("float32")
    A = te.placeholder((1, 2, 11, 11, 16), name="A")
    windowed = topi.nn.pool2d(A, (3, 3), (2, 2), (1, 1), (1, 1, 1, 1), pool, True, "NCHW16c", False)
    glob = topi.nn.global_pool(A, pool, "NCHW16c")
    adaptive = topi.nn.adaptive_pool(A, (3, 3), pool, "NCHW16c")
    outs = _run([A], [windowed, glob, adaptive], lambda o: te.create_schedule([t.op for t in o]),
                [to_blocked(x, 16)])
    tx = torch.tensor(x)
    if pool == "max":
        refs = [torch.nn.functional.max_pool2d(tx, 3, 2, 1, ceil_mode=True), tx.amax(dim=(2, 3), keepdim=True),
                torch.nn.functional.adaptive_max_pool2d(tx, 3)]
    else:
        refs = [torch.nn.functional.avg_pool2d(tx, 3, 2, 1, ceil_mode=True, count_include_pad=False),
                tx.mean(dim=(2, 3), keepdim=True), torch.nn.functional.adaptive_avg_pool2d(tx, 3)]
    for got, ref in zip(outs, refs):
        np.testing.assert_allclose(got, to_blocked(ref.numpy(), 16), rtol=1e-5, atol=1e-6)


def test_pool_layout_errors():
    A = te.placeholder((1, 2, 11, 11, 16), name="A")
    with pytest.raises(tvm.TVMError, match="only N and C may have blocked sub-axes"):
        topi.nn.pool2d(A, (2, 2), (2, 2), (1, 1), (0, 0, 0, 0), "max", False, "NCHW16w", False)


# ---------------------------------------------------------------- the Relay operators

def _infer(expr):
    return relay.transform.InferType()(tvm.IRModule.from_expr(expr))["main"].body.checked_type


def test_relay_nchwc_type_relations():
    x = relay.var("x", shape=(1, 4, 56, 56, 16))
    w = relay.var("w", shape=(8, 4, 3, 3, 16, 16))
    y = relay.nn.contrib_conv2d_nchwc(x, w, strides=2, padding=1, data_layout="NCHW16c",
                                      kernel_layout="OIHW16i16o", out_layout="NCHW16c")
    assert tuple(_infer(y).shape) == (1, 8, 28, 28, 16)
    # A first layer: plain NCHW data, blocked output.
    x3 = relay.var("x", shape=(1, 3, 224, 224))
    w3 = relay.var("w", shape=(4, 1, 7, 7, 3, 16))
    y = relay.nn.contrib_conv2d_nchwc(x3, w3, strides=2, padding=3, data_layout="NCHW",
                                      kernel_layout="OIHW3i16o", out_layout="NCHW16c")
    assert tuple(_infer(y).shape) == (1, 4, 112, 112, 16)
    d = relay.var("d", shape=(1, 6, 14, 14, 16))
    k = relay.var("k", shape=(6, 1, 3, 3, 1, 16))
    y = relay.nn.contrib_depthwise_conv2d_nchwc(d, k, padding=1, groups=96, data_layout="NCHW16c",
                                                kernel_layout="OIHW1i16o", out_layout="NCHW16c")
    assert tuple(_infer(y).shape) == (1, 6, 14, 14, 16)
    assert y.op.name == "nn.contrib_depthwise_conv2d_NCHWc"


def test_relay_nchwc_type_errors():
    x = relay.var("x", shape=(1, 4, 8, 8, 16))
    w = relay.var("w", shape=(2, 4, 3, 3, 16, 16))
    with pytest.raises(tvm.TVMError, match="kernel_layout must be OIHW<i>i<o>o, got \"OIHW\""):
        _infer(relay.nn.contrib_conv2d_nchwc(x, w, data_layout="NCHW16c", kernel_layout="OIHW",
                                             out_layout="NCHW16c"))
    with pytest.raises(tvm.TVMError, match="output block"):
        _infer(relay.nn.contrib_conv2d_nchwc(x, w, data_layout="NCHW16c", kernel_layout="OIHW16i16o",
                                             out_layout="NCHW8c"))
    with pytest.raises(tvm.TVMError, match=r"expects 64 input channels, but data \(1, 2, 8, 8, 16\)"):
        _infer(relay.nn.contrib_conv2d_nchwc(relay.var("x", shape=(1, 2, 8, 8, 16)), w, data_layout="NCHW16c",
                                             kernel_layout="OIHW16i16o", out_layout="NCHW16c"))
    k = relay.var("k", shape=(4, 1, 3, 3, 1, 16))
    with pytest.raises(tvm.TVMError, match="groups=8 must equal the 64 input channels"):
        _infer(relay.nn.contrib_depthwise_conv2d_nchwc(x, k, groups=8, data_layout="NCHW16c",
                                                       kernel_layout="OIHW1i16o", out_layout="NCHW16c"))


@pytest.mark.parametrize("depthwise", [False, True])
def test_relay_nchwc_ops_build_and_match_torch(depthwise):
    """The x86 strategy (llvm with AVX-512) and the generic one (plain llvm) give torch's result."""
    rng = np.random.default_rng(5)
    channels = 32
    x = rng.standard_normal((1, channels, 12, 12)).astype("float32")
    w = rng.standard_normal((channels, 1 if depthwise else channels, 3, 3)).astype("float32")
    ref = _torch_conv(x, w, 1, 1, groups=channels if depthwise else 1)
    data = relay.var("data", shape=(1, 2, 12, 12, 16))
    if depthwise:
        kernel = relay.const(kernel_blocked(w, 1, 16))
        y = relay.nn.contrib_depthwise_conv2d_nchwc(data, kernel, padding=1, groups=channels,
                                                    data_layout="NCHW16c", kernel_layout="OIHW1i16o",
                                                    out_layout="NCHW16c")
    else:
        kernel = relay.const(kernel_blocked(w, 16, 16))
        y = relay.nn.contrib_conv2d_nchwc(data, kernel, padding=1, data_layout="NCHW16c",
                                          kernel_layout="OIHW16i16o", out_layout="NCHW16c")
    mod = tvm.IRModule.from_expr(relay.Function([data], relay.nn.relu(y)))
    for target in (TARGET, "llvm"):
        got = relay.create_executor("graph", mod=mod, target=target).evaluate()(to_blocked(x, 16)).numpy()
        np.testing.assert_allclose(got, to_blocked(np.maximum(ref, 0), 16), rtol=1e-5, atol=1e-4)


@pytest.mark.parametrize("pool,ceil,include_pad", [("max", False, False), ("max", True, False),
                                                   ("avg", True, False), ("avg", False, True)])
def test_x86_pool_schedule_in_nchwc(pool, ceil, include_pad):
    """topi.x86.schedule_pool: each task pads its rows; the window reduces in a vector register."""
    rng = np.random.default_rng(6)
    x = rng.standard_normal((1, 48, 13, 12)).astype("float32")
    A = te.placeholder((1, 3, 13, 12, 16), name="A")
    out = topi.nn.pool2d(A, (3, 3), (2, 2), (1, 1), (1, 1, 1, 1), pool, ceil, "NCHW16c", include_pad)
    got, = _run([A], [out], lambda outs: topi.x86.schedule_pool(outs, "NCHW16c"), [to_blocked(x, 16)])
    tx = torch.tensor(x)
    if pool == "max":
        ref = torch.nn.functional.max_pool2d(tx, 3, 2, 1, ceil_mode=ceil)
    else:
        ref = torch.nn.functional.avg_pool2d(tx, 3, 2, 1, ceil_mode=ceil, count_include_pad=include_pad)
    np.testing.assert_allclose(got, to_blocked(ref.numpy(), 16), rtol=1e-5, atol=1e-6)
