# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""topi.x86 conv2d_nchw / depthwise_conv2d_nchw, whose computes and schedules are C++
(src/topi/x86/conv2d_nchw.cc), and nn.conv2d's C++ strategy (src/relay/op/strategy/x86_conv2d_nchw.cc):
exact loop nests, numbers against torch, and the same implementation choices as Python's strategy."""
import numpy as np
import pytest
import torch

import tvm
from tvm import relay, te, topi

HASWELL = "llvm -mcpu=haswell"


def _loops(s, args):
    """(loop variable, extent, kind) of every loop left after lowering, innermost first."""
    out = []

    def visit(node):
        if isinstance(node, tvm.tir.For):
            out.append((node.loop_var.name, int(node.extent), int(node.kind)))

    tvm.tir.stmt_functor.post_order_visit(tvm.lower(s, args)["main"].body, visit)
    return out


def test_conv2d_nchw_loop_nest():
    data = te.placeholder((1, 16, 10, 10), name="data")
    kernel = te.placeholder((16, 16, 3, 3), name="kernel")
    conv = topi.x86.conv2d_nchw(data, kernel, 1, 1, 1, "float32", lanes=8)
    s = topi.x86.schedule_conv2d_nchw([topi.nn.relu(conv)])
    # One block of 16 channels (2 x 8 lanes), a 10-pixel tile; the rows split into as many
    # parallel tasks as threads (each packs its kernel block), at most 8 (rows // 2 rounded).
    threads = max(1, tvm.runtime.num_threads())
    parts = 1
    while parts < threads and parts * 2 <= 10:
        parts *= 2
    serial, parallel = 0, 1
    assert _loops(s, [data, kernel]) == [
        # data_vec: the padded input in NCHW8c blocks, 2 blocks in parallel
        ("ci", 8, serial), ("x", 12, serial), ("y", 12, serial), ("b.cc.fused", 2, parallel),
        # kernel_vec, packed by each task
        ("ic_in", 8, serial), ("kw", 3, serial), ("kh", 3, serial), ("ic_chunk", 2, serial),
        # the reduction around the register tile (its x and channel vectors unrolled/vectorised)
        ("ic.inner", 8, serial), ("kw", 3, serial), ("kh", 3, serial), ("ic.outer", 2, serial),
        ("ax2.inner", -(-10 // parts), serial), ("ax0.ax1.outer.fused.ax2.outer.fused", parts, parallel),
    ]


def test_depthwise_conv2d_nchw_loop_nest():
    data = te.placeholder((1, 8, 12, 12), name="data")
    kernel = te.placeholder((8, 1, 3, 3), name="kernel")
    conv = topi.x86.depthwise_conv2d_nchw(data, kernel, 2, 1, 1, "float32", lanes=8)
    s = topi.x86.schedule_depthwise_conv2d_nchw([topi.nn.relu(conv)])
    # One plane per parallel task: its padded input (columns de-interleaved by the stride 2)
    # then a fully unrolled 6 x 6 tile.
    assert _loops(s, [data, kernel]) == [
        ("xs", 7, 0), ("phase", 2, 0), ("y", 13, 0), ("ax0.ax1.fused", 8, 1),
    ]


def _run(outs, args, arrays):
    s = (topi.x86.schedule_depthwise_conv2d_nchw if "depthwise" in outs[0].op.input_tensors[0].op.tag
         else topi.x86.schedule_conv2d_nchw)(outs)
    f = tvm.build(s, args + outs, "llvm")
    dev = tvm.cpu()
    bufs = [tvm.nd.array(a, dev) for a in arrays] + [tvm.nd.empty([int(d) for d in o.shape], o.dtype, dev)
                                                     for o in outs]
    f(*bufs)
    return [b.numpy() for b in bufs[len(arrays):]]


@pytest.mark.parametrize("lanes", [4, 8, 16])
@pytest.mark.parametrize("dshape,kshape,stride,pad,dilation", [
    ((1, 3, 23, 23), (16, 3, 7, 7), 2, 3, 1),     # a first layer
    ((2, 16, 9, 9), (24, 16, 3, 3), 1, 1, 1),     # 3 x 8 channels
    ((1, 12, 14, 14), (10, 12, 1, 1), 2, 0, 1),   # strided 1x1, output channels padded
    ((1, 8, 13, 11), (8, 8, 3, 3), 1, (1, 2, 0, 1), 2),  # asymmetric padding, dilation, prime width
])
def test_conv2d_nchw_numbers(lanes, dshape, kshape, stride, pad, dilation):
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, dshape).astype("float32")
    w = rng.uniform(-1, 1, kshape).astype("float32")
    b = rng.uniform(-1, 1, (kshape[0], 1, 1)).astype("float32")
    data, kernel = te.placeholder(dshape, name="data"), te.placeholder(kshape, name="kernel")
    bias = te.placeholder(b.shape, name="bias")
    conv = topi.x86.conv2d_nchw(data, kernel, stride, pad, dilation, "float32", lanes=lanes)
    (out,) = _run([topi.nn.relu(topi.add(conv, bias))], [data, kernel, bias], [x, w, b])
    top, left, bottom, right = (pad,) * 4 if isinstance(pad, int) else pad
    xp = torch.nn.functional.pad(torch.from_numpy(x).double(), (left, right, top, bottom))
    ref = torch.nn.functional.conv2d(xp, torch.from_numpy(w).double(), stride=stride, dilation=dilation)
    ref = torch.relu(ref + torch.from_numpy(b).double()).numpy()
    np.testing.assert_allclose(out, ref, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("lanes", [4, 8, 16])
@pytest.mark.parametrize("dshape,multiplier,ksize,stride,pad", [
    ((1, 16, 28, 28), 1, 3, 1, 1), ((1, 24, 15, 15), 1, 3, 2, 1), ((2, 4, 7, 7), 2, 5, 1, 2),
])
def test_depthwise_conv2d_nchw_numbers(lanes, dshape, multiplier, ksize, stride, pad):
    rng = np.random.default_rng(1)
    channels = dshape[1]
    kshape = (channels * multiplier, 1, ksize, ksize)
    x = rng.uniform(-1, 1, dshape).astype("float32")
    w = rng.uniform(-1, 1, kshape).astype("float32")
    data, kernel = te.placeholder(dshape, name="data"), te.placeholder(kshape, name="kernel")
    conv = topi.x86.depthwise_conv2d_nchw(data, kernel, stride, pad, 1, "float32", lanes=lanes)
    # Two outputs: the convolution is computed whole (the untiled schedule).
    out, relu = _run([conv, topi.clip(conv, 0.0, 6.0)], [data, kernel], [x, w])
    ref = torch.nn.functional.conv2d(torch.from_numpy(x).double(), torch.from_numpy(w).double(), stride=stride,
                                     padding=pad, groups=channels).numpy()
    np.testing.assert_allclose(out, ref, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(relu, np.clip(ref, 0, 6), rtol=1e-5, atol=1e-5)


def test_bad_kernels_are_clear_errors():
    data = te.placeholder((1, 8, 10, 10), name="data")
    with pytest.raises(ValueError, match=r"conv2d_nchw \(x86\): the kernel \[16, 4, 3, 3\] expects 4 input"):
        topi.x86.conv2d_nchw(data, te.placeholder((16, 4, 3, 3)), 1, 1, 1)
    with pytest.raises(ValueError, match=r"depthwise_conv2d_nchw \(x86\): kernel \[8, 2, 3, 3\] is not a depthwise"):
        topi.x86.depthwise_conv2d_nchw(data, te.placeholder((8, 2, 3, 3)), 1, 1, 1)
    with pytest.raises(ValueError, match=r"does not fit the padded 10x10 input"):
        topi.x86.conv2d_nchw(data, te.placeholder((8, 8, 11, 11)), 1, 0, 1)


def _strategies(dshape, kshape, target, dtype="float32", **attrs):
    x = relay.var("x", shape=dshape, dtype=dtype)
    w = relay.var("w", shape=kshape, dtype=dtype)
    call = relay.nn.conv2d(x, w, **attrs)
    mod = relay.transform.InferType()(tvm.IRModule.from_expr(relay.Function([x, w], call)))
    call = mod["main"].body
    inputs = [te.placeholder([d for d in a.checked_type.shape], dtype=dtype) for a in call.args]
    target = tvm.target.Target(target)
    with target:
        python = relay.op.strategy.conv2d_strategy(call.attrs, inputs, call.checked_type, target)
        cpp = tvm.get_global_func("relay.op.strategy.conv2d_cpp")(call.attrs, inputs, call.checked_type, target)
    names = lambda s: [(i.name, int(i.plevel)) for i in s.implementations]  # noqa: E731
    return names(python), names(cpp)


@pytest.mark.parametrize("target", ["llvm", HASWELL, "cuda"])
@pytest.mark.parametrize("dshape,kshape,attrs", [
    ((1, 3, 32, 32), (16, 3, 7, 7), dict(strides=(2, 2), padding=(3, 3))),
    ((1, 16, 8, 8), (16, 1, 3, 3), dict(padding=(1, 1), groups=16)),            # depthwise
    ((1, 8, 8, 8), (16, 1, 3, 3), dict(padding=(1, 1), groups=8)),              # multiplier 2
    ((1, 16, 8, 8), (16, 4, 3, 3), dict(padding=(1, 1), groups=4)),             # grouped: generic
    ((1, 8, 8, 16), (3, 3, 16, 8), dict(data_layout="NHWC", kernel_layout="HWIO")),  # NHWC: generic
    ((relay.Any(), 8, 8, 8), (16, 8, 3, 3), dict(padding=(1, 1))),             # symbolic batch
    ((1, 8, relay.Any(), 8), (16, 8, 3, 3), dict(padding=(1, 1))),             # symbolic height: generic
])
def test_cpp_strategy_picks_as_python(target, dshape, kshape, attrs):
    python, cpp = _strategies(dshape, kshape, target, **attrs)
    assert cpp == python


def test_cpp_strategy_float16_and_packed_kernel():
    python, cpp = _strategies((1, 8, 8, 8), (16, 8, 3, 3), HASWELL, dtype="float16", padding=(1, 1))
    assert cpp == python == [("conv2d.generic", 10)]
    python, cpp = _strategies((1, 64, 8, 8), (4, 8, 3, 3, 8, 16), HASWELL, padding=(1, 1), kernel_layout="OIHW8i16o")
    assert cpp == python == [("conv2d.generic", 10), ("conv2d_nchw.x86", 15)]


class _CppConv2D:
    """nn.conv2d's C++ strategy in place of Python's, for a Python process."""

    def __enter__(self):
        self.op = tvm.ir.Op.get("nn.conv2d")
        self.python = self.op.get_attr("FTVMStrategy")
        self.op.reset_attr("FTVMStrategy")
        self.op.set_attr("FTVMStrategy", tvm.get_global_func("relay.op.strategy.conv2d_cpp"), 10)
        return self

    def __exit__(self, *args):
        self.op.reset_attr("FTVMStrategy")
        self.op.set_attr("FTVMStrategy", self.python, 10)


def _lower_conv(target, dshape, kshape, **attrs):
    from tvm.relay.backend import te_compiler  # pylint: disable=import-outside-toplevel

    x = relay.var("x", shape=dshape)
    w = relay.var("w", shape=kshape)
    b = relay.var("b", shape=(kshape[0] if attrs.get("data_layout", "NCHW") == "NCHW" else kshape[-1],))
    axis = 1 if attrs.get("data_layout", "NCHW") == "NCHW" else 3
    body = relay.nn.relu(relay.nn.bias_add(relay.nn.conv2d(x, w, **attrs), b, axis=axis))
    mod = relay.transform.InferType()(tvm.IRModule.from_expr(relay.Function([x, w, b], body)))
    func = mod["main"].with_attr("Primitive", tvm.tir.IntImm("int32", 1))
    _, lowered, _ = te_compiler.lower(func, tvm.target.Target(target))
    (prim,) = [f for _, f in lowered.functions.items()]
    return str(prim)


@pytest.mark.parametrize("target", ["llvm", HASWELL])
@pytest.mark.parametrize("dshape,kshape,attrs", [
    ((1, 3, 32, 32), (16, 3, 7, 7), dict(strides=(2, 2), padding=(3, 3))),                  # conv2d_nchw.x86
    ((1, 16, 8, 8), (16, 1, 3, 3), dict(padding=(1, 1), groups=16)),                        # depthwise x86
    ((1, 16, 8, 8), (16, 4, 3, 3), dict(padding=(1, 1), groups=4)),                          # generic, grouped
    ((1, 8, 8, 16), (3, 3, 16, 8), dict(data_layout="NHWC", kernel_layout="HWIO", padding=(1, 1))),  # generic
])
def test_cpp_strategy_lowers_as_pythons(target, dshape, kshape, attrs):
    python = _lower_conv(target, dshape, kshape, **attrs)
    with _CppConv2D():
        cpp = _lower_conv(target, dshape, kshape, **attrs)
    assert cpp == python
