# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""x86 float32 conv2d (topi.x86.conv2d_nchw, depthwise_conv2d_nchw): numerics against
torch.nn.functional.conv2d over a grid of shapes, the fused epilogue, the schedule's loop
structure, and which implementation the cpu strategy picks."""
import numpy as np
import pytest

import tvm
from tvm import relay, te, topi
from tvm.relay.op.strategy import generic
from tvm.topi import x86

torch = pytest.importorskip("torch")
F = torch.nn.functional

TARGETS = ["llvm -mcpu=native", "llvm"]  # AVX-512 (16 lanes here) and baseline x86-64 (4 lanes)


def _data(shape, seed):
    return np.random.default_rng(seed).uniform(-1, 1, shape).astype("float32")


def _torch_pad(data, padding):
    top, left, bottom, right = padding
    return F.pad(torch.from_numpy(data), (left, right, top, bottom))


def _run(compute, schedule, data_np, kernel_np, stride, padding, dilation, target, epilogue=None):
    with tvm.target.Target(target):
        data = te.placeholder(data_np.shape, name="data")
        kernel = te.placeholder(kernel_np.shape, name="kernel")
        out = compute(data, kernel, stride, padding, dilation, "float32")
        extra = []
        if epilogue is not None:
            out, extra = epilogue(out)
        sch = schedule([out])
        func = tvm.build(sch, [data, kernel, *[e[0] for e in extra], out], target)
    result = tvm.nd.empty([int(d) for d in out.shape])
    func(tvm.nd.array(data_np), tvm.nd.array(kernel_np), *[tvm.nd.array(e[1]) for e in extra], result)
    return result.numpy()


# (N, IC, H, W, OC, KH, KW, stride, padding (top, left, bottom, right), dilation)
CONV_SHAPES = [
    (1, 3, 17, 19, 5, 3, 3, 1, (1, 1, 1, 1), 1),         # channels far below a vector
    (1, 20, 12, 12, 24, 1, 1, 1, (0, 0, 0, 0), 1),       # 1x1, oc not a multiple of 16
    (1, 32, 14, 14, 64, 1, 1, 2, (0, 0, 0, 0), 1),       # 1x1 stride 2 (ResNet downsample)
    (1, 16, 15, 13, 33, 3, 3, 1, (1, 1, 1, 1), 1),       # 3x3, odd sizes, oc = 2 * 16 + 1
    (1, 24, 16, 16, 32, 3, 3, 2, (1, 1, 1, 1), 1),       # 3x3 stride 2
    (1, 8, 20, 18, 16, 5, 5, 1, (2, 1, 0, 3), 1),        # 5x5, asymmetric padding
    (1, 3, 30, 30, 64, 7, 7, 2, (3, 3, 3, 3), 1),        # 7x7 stride 2 (ResNet stem)
    (1, 16, 17, 17, 48, 3, 3, 1, (2, 2, 2, 2), 2),       # dilation 2
    (2, 18, 9, 11, 40, 3, 3, (2, 1), (1, 0, 2, 1), (1, 2)),  # batch 2, per-axis stride/dilation
    (1, 64, 7, 7, 64, 3, 3, 1, (1, 1, 1, 1), 1),         # ResNet's last stage, scaled down
    (1, 8, 23, 29, 16, 3, 3, 1, (0, 0, 0, 0), 1),        # no padding, prime width
]


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("shape", CONV_SHAPES, ids=lambda s: "x".join(str(v) for v in s[:7]))
def test_conv2d_nchw_matches_torch(shape, target):
    n, ic, h, w, oc, kh, kw, stride, padding, dilation = shape
    data = _data((n, ic, h, w), 1)
    kernel = _data((oc, ic, kh, kw), 2)
    out = _run(x86.conv2d_nchw, x86.schedule_conv2d_nchw, data, kernel, stride, padding, dilation, target)
    ref = F.conv2d(_torch_pad(data, padding), torch.from_numpy(kernel), stride=stride, dilation=dilation).numpy()
    np.testing.assert_allclose(out, ref, rtol=1e-5, atol=1e-5)


# (N, C, H, W, multiplier, K, stride, padding, dilation)
DEPTHWISE_SHAPES = [
    (1, 32, 28, 28, 1, 3, 1, (1, 1, 1, 1), 1),
    (1, 24, 15, 17, 1, 3, 2, (1, 1, 1, 1), 1),     # stride 2, odd sizes
    (1, 16, 7, 7, 1, 3, 1, (1, 1, 1, 1), 1),       # width below a vector
    (2, 8, 12, 40, 1, 5, 1, (2, 0, 1, 3), 1),      # batch 2, 5x5, asymmetric padding
    (1, 8, 13, 11, 2, 3, 1, (2, 2, 2, 2), 2),      # channel multiplier 2, dilation 2
    (1, 4, 9, 9, 1, 3, (2, 1), (0, 0, 0, 0), 1),   # per-axis stride, no padding
]


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("shape", DEPTHWISE_SHAPES, ids=lambda s: "x".join(str(v) for v in s[:7]))
def test_depthwise_conv2d_nchw_matches_torch(shape, target):
    n, c, h, w, mult, k, stride, padding, dilation = shape
    data = _data((n, c, h, w), 3)
    kernel = _data((c * mult, 1, k, k), 4)
    out = _run(x86.depthwise_conv2d_nchw, x86.schedule_depthwise_conv2d_nchw, data, kernel, stride, padding,
               dilation, target)
    ref = F.conv2d(_torch_pad(data, padding), torch.from_numpy(kernel), stride=stride, dilation=dilation,
                   groups=c).numpy()
    np.testing.assert_allclose(out, ref, rtol=1e-5, atol=1e-5)


def _bias_relu_residual(out):
    n, c, h, w = [int(d) for d in out.shape]
    bias = te.placeholder((c, 1, 1), name="bias")
    residual = te.placeholder((n, c, h, w), name="residual")
    fused = topi.clip(topi.add(topi.nn.relu(topi.add(out, bias)), residual), -0.5, 2.0)
    return fused, [(bias, _data((c, 1, 1), 5)), (residual, _data((n, c, h, w), 6))]


@pytest.mark.parametrize("depthwise", [False, True])
def test_fused_epilogue_matches_torch(depthwise):
    data = _data((1, 24, 14, 14), 7)
    if depthwise:
        kernel = _data((24, 1, 3, 3), 8)
        compute, schedule, groups = x86.depthwise_conv2d_nchw, x86.schedule_depthwise_conv2d_nchw, 24
    else:
        kernel = _data((40, 24, 3, 3), 8)
        compute, schedule, groups = x86.conv2d_nchw, x86.schedule_conv2d_nchw, 1
    out = _run(compute, schedule, data, kernel, 1, (1, 1, 1, 1), 1, "llvm -mcpu=native", _bias_relu_residual)
    conv = F.conv2d(torch.from_numpy(data), torch.from_numpy(kernel), padding=1, groups=groups)
    _, extra = _bias_relu_residual(te.placeholder(tuple(conv.shape)))
    bias, residual = [torch.from_numpy(e[1]) for e in extra]
    ref = torch.clamp(F.relu(conv + bias) + residual, -0.5, 2.0).numpy()
    np.testing.assert_allclose(out, ref, rtol=1e-5, atol=1e-5)


def test_schedule_keeps_the_tile_in_registers_and_fuses_the_epilogue():
    with tvm.target.Target("llvm -mcpu=skylake-avx512"):
        data = te.placeholder((1, 64, 28, 28), name="data")
        kernel = te.placeholder((128, 64, 3, 3), name="kernel")
        out = topi.nn.relu(x86.conv2d_nchw(data, kernel, 1, 1, 1, "float32"))
        sch = x86.schedule_conv2d_nchw([out])
        assert x86.conv2d_tile(128, 28, 16) == (16, 2, 14)
        text = str(tvm.lower(sch, [data, kernel, out], simple_mode=True))
    # The accumulators: one local tile of 14 pixels x 2 x 16 channels, no global conv buffer.
    assert 'conv2d_NCHWc = T.allocate([28], "float32x16", "local")' in text
    # The reduction: input-channel blocks of 8, the window, the 8 channels of a block, and inside
    # 28 vector multiply-adds, each of a broadcast input value and a packed kernel vector
    # (2 per broadcast), unrolled over the tile.
    loops = [line.strip() for line in text.splitlines() if line.strip().startswith("for ")]
    assert loops[-4:] == ["for ic_outer in range(8):", "for kh_1 in range(3):", "for kw_1 in range(3):",
                          "for ic_inner in range(8):"]
    fmas = [line for line in text.splitlines()
            if "T.Broadcast(data_vec_1[" in line and ", 16) * kernel_vec_1[" in line]
    assert len(fmas) == 28
    assert "T.parallel" in text
    # relu is applied to the local tile as it is stored: no full-size conv2d buffer in between.
    # Each accumulator vector is stored whole (a 16-channel column of NCHW, stride 28 * 28).
    assert text.count("] = T.max(conv2d_NCHWc_1[") == 28
    assert "T_relu_1[T.Ramp(ax0_ax1_outer_fused_ax2_outer_fused * 25088 + ax2_inner * 28 + ax3_outer * 14, 784, 16)]" \
        in text
    assert [line for line in text.splitlines() if "T.allocate" in line] == [
        '        data_vec = T.allocate([57600], "float32", "global")',  # padded, NCHW8c
        '            kernel_vec = T.allocate([18432], "float32", "global")',
        '            conv2d_NCHWc = T.allocate([28], "float32x16", "local")']


def test_tile_choice():
    assert x86.conv2d_tile(64, 56, 16) == (16, 2, 14)
    assert x86.conv2d_tile(512, 7, 16) == (16, 2, 7)
    assert x86.conv2d_tile(16, 112, 16) == (16, 1, 28)
    assert x86.conv2d_tile(48, 14, 16) == (16, 1, 14)
    assert x86.conv2d_tile(24, 56, 16) == (8, 3, 8)   # 3 x 8 channels: no partial vector
    assert x86.conv2d_tile(96, 28, 8) == (8, 2, 14)   # AVX2
    vector, ocv, owb = x86.conv2d_tile(64, 113, 16)  # a prime width is padded, not tiled by 1
    assert (vector, ocv) == (16, 2) and owb >= 7


def _strategy(data_shape, kernel_shape, dtype="float32", **attrs):
    x = relay.var("x", shape=data_shape, dtype=dtype)
    w = relay.var("w", shape=kernel_shape, dtype=dtype)
    call = relay.nn.conv2d(x, w, **attrs)
    call = relay.transform.InferType()(tvm.IRModule.from_expr(call))["main"].body
    inputs = [te.placeholder(data_shape, dtype=dtype), te.placeholder(kernel_shape, dtype=dtype)]
    with tvm.target.Target("llvm") as target:
        return generic.conv2d_strategy(call.attrs, inputs, call.checked_type, target).best().name


def test_strategy_picks_x86_for_float32_nchw_and_generic_otherwise():
    assert _strategy((1, 16, 8, 8), (32, 16, 3, 3), padding=(1, 1)) == "conv2d_nchw.x86"
    assert _strategy((1, 16, 8, 8), (16, 1, 3, 3), groups=16) == "depthwise_conv2d_nchw.x86"
    assert _strategy((1, 16, 8, 8), (32, 1, 3, 3), groups=16) == "depthwise_conv2d_nchw.x86"
    # NHWC data, grouped (not depthwise) convolutions and other dtypes keep the generic convolution.
    assert _strategy((1, 8, 8, 16), (3, 3, 16, 32), data_layout="NHWC", kernel_layout="HWIO") == "conv2d.generic"
    assert _strategy((1, 16, 8, 8), (32, 4, 3, 3), groups=4) == "conv2d.generic"
    assert _strategy((1, 16, 8, 8), (32, 16, 3, 3), dtype="float64") == "conv2d.generic"
    assert _strategy((1, 16, 8, 8), (32, 16, 3, 3), out_layout="NHWC") == "conv2d.generic"


def test_kernel_that_does_not_match_the_data_is_refused():
    data = te.placeholder((1, 16, 8, 8), name="data")
    with pytest.raises(ValueError, match=r"conv2d_nchw \(x86\).*8 input channels.*16"):
        x86.conv2d_nchw(data, te.placeholder((4, 8, 3, 3)), 1, 1, 1, "float32", lanes=16)
    with pytest.raises(ValueError, match=r"does not fit"):
        x86.conv2d_nchw(data, te.placeholder((4, 16, 11, 11)), 1, 0, 1, "float32", lanes=16)
    with pytest.raises(ValueError, match=r"depthwise_conv2d_nchw \(x86\).*not a depthwise kernel"):
        x86.depthwise_conv2d_nchw(data, te.placeholder((16, 2, 3, 3)), 1, 1, 1, "float32", lanes=16)


def _pack(kernel, layout):
    import re  # pylint: disable=import-outside-toplevel

    ib, ob = [int(v) for v in re.match(r"OIHW(\d+)i(\d+)o$", layout).groups()]
    oc, ic, kh, kw = kernel.shape
    return np.ascontiguousarray(kernel.reshape(oc // ob, ob, ic // ib, ib, kh, kw).transpose(0, 2, 4, 5, 3, 1))


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("shape", [(1, 24, 13, 11, 64, 3, 2, (1, 1, 1, 1)), (2, 16, 9, 9, 32, 1, 1, (0, 0, 0, 0)),
                                   (1, 3, 20, 20, 32, 7, 2, (3, 2, 3, 1))],
                         ids=lambda s: "x".join(str(v) for v in s[:7]))
def test_prepacked_kernel_matches_torch(shape, target):
    """The kernel as AlterOpLayout + FoldConstant deliver it (OIHW[i]i[o]o): same results."""
    n, ic, h, w, oc, k, stride, padding = shape
    data = _data((n, ic, h, w), 13)
    kernel = _data((oc, ic, k, k), 14)
    with tvm.target.Target(target):
        layout = x86.packed_kernel_layout(ic, oc, x86.conv2d.utils.vector_lanes())
    assert layout is not None
    out = _run(x86.conv2d_nchw, x86.schedule_conv2d_nchw, data, _pack(kernel, layout), stride, padding, 1,
               target)
    ref = F.conv2d(_torch_pad(data, padding), torch.from_numpy(kernel), stride=stride).numpy()
    np.testing.assert_allclose(out, ref, rtol=1e-5, atol=1e-5)


def test_packed_kernel_layouts():
    assert x86.packed_kernel_layout(64, 128, 16) == "OIHW8i32o"
    assert x86.packed_kernel_layout(3, 64, 16) == "OIHW3i32o"
    assert x86.packed_kernel_layout(12, 8, 4) == "OIHW4i8o"
    assert x86.packed_kernel_layout(64, 48, 16) == "OIHW8i16o"
    assert x86.packed_kernel_layout(64, 24, 16) == "OIHW8i24o"
    assert x86.packed_kernel_layout(64, 5, 16) is None  # no vector divides 5 channels: padded in the op
    data = te.placeholder((1, 16, 8, 8), name="data")
    with pytest.raises(ValueError, match=r"output block is 12 channels; for 24 output channels and 16-lane "
                                         r"vectors it must be 24"):
        x86.conv2d_nchw(data, te.placeholder((2, 2, 3, 3, 8, 12)), 1, 1, 1, "float32", lanes=16)
    with pytest.raises(ValueError, match=r"OIHW \(4-d\) or OIHW\[i\]i\[o\]o \(6-d\), got shape \[16, 3, 3\]"):
        x86.conv2d_nchw(data, te.placeholder((16, 3, 3)), 1, 1, 1, "float32", lanes=16)


@pytest.mark.parametrize("depthwise", [False, True])
def test_two_outputs_fall_back_to_a_whole_convolution(depthwise):
    """An output that is not an elementwise image of one convolution tile (here: the convolution
    and its relu both returned) computes the convolution whole, then the outputs from it."""
    data_np = _data((1, 16, 9, 9), 15)
    kernel_np = _data((16, 1, 3, 3), 16) if depthwise else _data((32, 16, 3, 3), 16)
    compute = x86.depthwise_conv2d_nchw if depthwise else x86.conv2d_nchw
    schedule = x86.schedule_depthwise_conv2d_nchw if depthwise else x86.schedule_conv2d_nchw
    with tvm.target.Target("llvm -mcpu=native"):
        data = te.placeholder(data_np.shape, name="data")
        kernel = te.placeholder(kernel_np.shape, name="kernel")
        conv = compute(data, kernel, 1, 1, 1, "float32")
        relu = topi.nn.relu(conv)
        func = tvm.build(schedule([conv, relu]), [data, kernel, conv, relu], "llvm -mcpu=native")
    outs = [tvm.nd.empty([int(d) for d in conv.shape]) for _ in range(2)]
    func(tvm.nd.array(data_np), tvm.nd.array(kernel_np), *outs)
    ref = F.conv2d(torch.from_numpy(data_np), torch.from_numpy(kernel_np), padding=1,
                   groups=16 if depthwise else 1).numpy()
    np.testing.assert_allclose(outs[0].numpy(), ref, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(outs[1].numpy(), np.maximum(ref, 0), rtol=1e-5, atol=1e-5)
