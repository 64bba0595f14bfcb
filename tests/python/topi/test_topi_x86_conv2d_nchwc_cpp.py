# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""The x86 blocked convolution path in C++ (src/topi/x86/conv2d_nchwc.cc,
src/relay/op/strategy/x86_conv2d_nchwc.cc): exact loop nests of representative kernels, the
strategy's implementations and their conditions, nn.conv2d's layout alteration as exact Relay
graphs, errors, and numbers against torch."""
import numpy as np
import pytest
import torch

import tvm
from tvm import relay, te, topi

HASWELL = "llvm -mcpu=haswell"  # 8 float32 lanes
PLAIN = "llvm"  # 4 lanes


def _loop_nest(func):
    """(depth, loop variable, extent, kind) of every For, in program order."""
    out, stack = [], [(func.body, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, tvm.tir.For):
            out.append((depth, node.loop_var.name, int(node.extent), "parallel" if int(node.kind) == 1 else "serial"))
            stack.append((node.body, depth + 1))
        elif isinstance(node, tvm.tir.SeqStmt):
            stack.extend((child, depth) for child in reversed(list(node.seq)))
        elif isinstance(node, tvm.tir.IfThenElse):
            stack.append((node.then_case, depth))
        elif isinstance(getattr(node, "body", None), tvm.tir.Stmt):
            stack.append((node.body, depth))
    return out


def _build_case(dshape, kshape, stride, pad, layout, out_layout, epilogue, depthwise):
    data = te.placeholder(dshape, name="data")
    kernel = te.placeholder(kshape, name="kernel")
    compute = topi.x86.depthwise_conv2d_NCHWc if depthwise else topi.x86.conv2d_NCHWc
    schedule = topi.x86.schedule_depthwise_conv2d_NCHWc if depthwise else topi.x86.schedule_conv2d_NCHWc
    conv = compute(data, kernel, stride, pad, 1, layout, out_layout)
    n, c, _, _, b = (int(v) for v in conv.shape)
    args = [data, kernel]
    if epilogue == "two_outputs":
        outs = [conv, topi.nn.relu(conv)]
    else:
        bias = te.placeholder((1, c, 1, 1, b), name="bias")
        args.append(bias)
        y = topi.add(conv, bias)
        if epilogue == "residual":
            res = te.placeholder(conv.shape, name="res")
            args.append(res)
            y = topi.add(y, res)
        y = topi.clip(y, 0.0, 6.0) if epilogue == "clip" else topi.nn.relu(y)
        outs = [y]
    return schedule(outs), args + outs


P, S = "parallel", "serial"
NESTS = {
    # ResNet 3x3 (NCHW8c), bias + residual + relu: 2 output blocks x 28 pixels per tile, the
    # padded rows each task reads copied inside the task.
    "resnet_3x3_residual": (
        ((1, 8, 56, 56, 8), (8, 8, 3, 3, 8, 8), 1, 1, "NCHW8c", "NCHW8c", "residual", False),
        [(0, "ax0.ax1.outer.fused.ax2.outer.fused", 8, P), (1, "c", 8, S), (2, "y", 30, S), (3, "x", 58, S),
         (1, "ax2.inner", 28, S), (2, "ax3.outer", 4, S), (3, "ic.outer", 8, S), (4, "kh", 3, S), (5, "kw", 3, S),
         (6, "ic.inner", 8, S)]),
    # First layer: plain NCHW data with 3 channels, 7x7 stride 2.
    "first_layer": (
        ((1, 3, 224, 224), (8, 1, 7, 7, 3, 8), 2, 3, "NCHW", "NCHW8c", "bias", False),
        [(0, "ax0.ax1.outer.fused.ax2.outer.fused", 8, P), (1, "c", 3, S), (2, "y", 117, S), (3, "x", 229, S),
         (1, "ax2.inner", 56, S), (2, "ax3.outer", 8, S), (3, "kh", 7, S), (4, "kw", 7, S), (5, "ic.inner", 3, S)]),
    # 1x1 stride 2 (a GEMM over the blocked activations): no padded copy.
    "gemm_1x1_stride2": (
        ((1, 16, 28, 28, 8), (32, 16, 1, 1, 8, 8), 2, 0, "NCHW8c", "NCHW8c", "bias", False),
        [(0, "ax0.ax1.outer.fused.ax2.outer.fused", 16, P), (1, "ax2.inner", 14, S), (2, "ic.outer", 16, S),
         (3, "ic.inner", 8, S)]),
    # Two outputs: the convolution runs whole, the padded input before it, in parallel.
    "two_outputs": (
        ((1, 4, 14, 14, 4), (4, 4, 3, 3, 4, 4), 1, 1, "NCHW4c", "NCHW4c", "two_outputs", False),
        [(0, "b.c.fused.y.fused", 64, P), (1, "x", 16, S), (0, "b.oc.outer.fused.y.fused", 28, P),
         (1, "ic.outer", 4, S), (2, "kh", 3, S), (3, "kw", 3, S), (4, "ic.inner", 4, S), (0, "c", 4, S),
         (1, "y", 14, S), (2, "x", 14, S), (3, "o", 4, S), (0, "ax1", 4, S), (1, "ax2", 14, S), (2, "ax3", 14, S),
         (3, "ax4", 4, S)]),
    # MobileNet depthwise 3x3 stride 2 + bias + relu6.
    "depthwise_stride2": (
        ((1, 4, 28, 28, 8), (4, 1, 3, 3, 1, 8), 2, 1, "NCHW8c", "NCHW8c", "clip", True),
        [(0, "ax0.ax1.fused.ax2.outer.fused", 8, P), (1, "y", 15, S), (2, "x", 29, S), (1, "ax2.inner", 7, S)]),
    "depthwise_two_outputs": (
        ((1, 4, 14, 14, 8), (4, 1, 3, 3, 1, 8), 1, 1, "NCHW8c", "NCHW8c", "two_outputs", True),
        [(0, "b.c.fused.y.fused", 64, P), (1, "x", 16, S), (0, "b.c.fused.y.fused", 56, P), (0, "c", 4, S),
         (1, "y", 14, S), (2, "x", 14, S), (3, "o", 8, S), (0, "ax1", 4, S), (1, "ax2", 14, S), (2, "ax3", 14, S),
         (3, "ax4", 8, S)]),
}


@pytest.mark.parametrize("name", sorted(NESTS))
def test_exact_loop_nests(name, monkeypatch):
    monkeypatch.setenv("TVM_NUM_THREADS", "2")
    case, expected = NESTS[name]
    with tvm.target.Target(HASWELL if name != "two_outputs" else PLAIN):
        s, args = _build_case(*case)
        func = tvm.lower(s, args, simple_mode=True)["main"]
    assert _loop_nest(func) == expected


@pytest.mark.parametrize("threads,tasks", [(1, 4), (2, 8), (8, 32)])
def test_row_parts_follow_the_thread_count(threads, tasks, monkeypatch):
    # 4 (batch x output-block pairs) tasks, split by rows until each thread has 4 of them.
    monkeypatch.setenv("TVM_NUM_THREADS", str(threads))
    case, _ = NESTS["resnet_3x3_residual"]
    with tvm.target.Target(HASWELL):
        s, args = _build_case(*case)
        nest = _loop_nest(tvm.lower(s, args, simple_mode=True)["main"])
    assert nest[0] == (0, "ax0.ax1.outer.fused.ax2.outer.fused", tasks, P)
    assert nest[4] == (1, "ax2.inner", 56 * 4 // tasks, S)


def test_tile_attributes_and_vector_width():
    data = te.placeholder((1, 4, 14, 14, 16), name="data")
    kernel = te.placeholder((4, 4, 3, 3, 16, 16), name="kernel")
    # 16 lanes: two 16-lane blocks per tile, 14 pixels (28 accumulators); 8 lanes: one block of two
    # vectors; 4 lanes: one block of four vectors, 6 pixels at most: the divisor 2 wastes registers, so
    # 5 pixels over a width padded to 15.
    for target, (owb, cot, vector, width) in [("llvm -mcpu=skylake-avx512", (14, 2, 16, 14)),
                                              (HASWELL, (14, 1, 8, 14)), (PLAIN, (5, 1, 4, 15))]:
        with tvm.target.Target(target):
            out = topi.x86.conv2d_NCHWc(data, kernel, 1, 1, 1, "NCHW16c", "NCHW16c")
        conv = out.op.input_tensors[0].op
        assert conv.tag == "conv2d_NCHWc_x86" and out.op.tag == "injective,conv2d_NCHWc_crop"
        assert [int(conv.attrs[k]) for k in ("owb", "cot", "vector")] == [owb, cot, vector], target
        assert int(conv.output(0).shape[3]) == width
        assert int(conv.attrs["ic_block"]) == 16
    # Explicit lanes override the target's; a prime width is padded to whole tiles.
    data = te.placeholder((1, 2, 29, 29, 8), name="data")
    kernel = te.placeholder((2, 2, 3, 3, 8, 8), name="kernel")
    out = topi.x86.conv2d_NCHWc(data, kernel, [1, 1], [1, 1, 1, 1], [1, 1], "NCHW8c", "NCHW8c", lanes=8)
    conv = out.op.input_tensors[0].op
    assert int(conv.attrs["owb"]) == 10
    assert [int(v) for v in conv.output(0).shape] == [1, 2, 29, 30, 8]
    assert [int(v) for v in out.shape] == [1, 2, 29, 29, 8]


def _blocked(x, block):
    n, c, h, w = x.shape
    return x.reshape(n, c // block, block, h, w).transpose(0, 1, 3, 4, 2).copy()


def _kernel_blocked(w, ib, ob):
    o, i, kh, kw = w.shape
    return w.reshape(o // ob, ob, i // ib, ib, kh, kw).transpose(0, 2, 4, 5, 3, 1).copy()


@pytest.mark.parametrize("in_c,out_c,size,k,stride,pad,block", [
    (3, 16, 23, 7, 2, 3, 8), (16, 32, 14, 3, 1, 1, 8), (32, 16, 15, 1, 2, 0, 16), (8, 8, 9, 3, 2, 1, 4)])
def test_conv_bias_residual_relu_matches_torch(in_c, out_c, size, k, stride, pad, block):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((1, in_c, size, size)).astype("float32")
    w = rng.standard_normal((out_c, in_c, k, k)).astype("float32")
    bias = rng.standard_normal(out_c).astype("float32")
    ref = torch.nn.functional.conv2d(torch.from_numpy(x), torch.from_numpy(w), torch.from_numpy(bias), stride,
                                     pad).numpy()
    res = rng.standard_normal(ref.shape).astype("float32")
    ref = np.maximum(ref + res, 0)
    ib = block if in_c % block == 0 else in_c
    layout = f"NCHW{block}c" if ib == block else "NCHW"
    xd = _blocked(x, block) if ib == block else x
    with tvm.target.Target(HASWELL):
        data = te.placeholder(xd.shape, name="data")
        kernel = te.placeholder((out_c // block, in_c // ib, k, k, ib, block), name="kernel")
        conv = topi.x86.conv2d_NCHWc(data, kernel, stride, pad, 1, layout, f"NCHW{block}c")
        b = te.placeholder((1, out_c // block, 1, 1, block), name="bias")
        r = te.placeholder(conv.shape, name="res")
        out = topi.nn.relu(topi.add(topi.add(conv, b), r))
        s = topi.x86.schedule_conv2d_NCHWc([out])
        f = tvm.build(s, [data, kernel, b, r, out], HASWELL)
    dev = tvm.cpu()
    args = [tvm.nd.array(a, dev) for a in (xd, _kernel_blocked(w, ib, block),
                                           bias.reshape(1, out_c // block, 1, 1, block), _blocked(res, block))]
    result = tvm.nd.empty([int(v) for v in out.shape], "float32", dev)
    f(*args, result)
    np.testing.assert_allclose(result.numpy(), _blocked(ref, block), rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("size,stride", [(15, 1), (28, 2)])
def test_depthwise_clip_matches_torch(size, stride):
    rng = np.random.default_rng(1)
    c, block = 32, 8
    x = rng.standard_normal((1, c, size, size)).astype("float32")
    w = rng.standard_normal((c, 1, 3, 3)).astype("float32")
    ref = torch.nn.functional.conv2d(torch.from_numpy(x), torch.from_numpy(w), None, stride, 1, 1, c).numpy()
    ref = np.clip(ref, 0, 6)
    with tvm.target.Target(HASWELL):
        data = te.placeholder((1, c // block, size, size, block), name="data")
        kernel = te.placeholder((c // block, 1, 3, 3, 1, block), name="kernel")
        out = topi.clip(topi.x86.depthwise_conv2d_NCHWc(data, kernel, stride, 1, 1, "NCHW8c", "NCHW8c"), 0.0, 6.0)
        s = topi.x86.schedule_depthwise_conv2d_NCHWc(out)
        f = tvm.build(s, [data, kernel, out], HASWELL)
    dev = tvm.cpu()
    wk = w.reshape(c // block, block, 1, 3, 3).transpose(0, 2, 3, 4, 1).reshape(c // block, 1, 3, 3, 1, block)
    result = tvm.nd.empty([int(v) for v in out.shape], "float32", dev)
    f(tvm.nd.array(_blocked(x, block), dev), tvm.nd.array(wk.copy(), dev), result)
    np.testing.assert_allclose(result.numpy(), _blocked(ref, block), rtol=1e-4, atol=1e-4)


def test_errors_name_the_operator_and_operands():
    data = te.placeholder((1, 2, 8, 8, 8), name="data")
    with pytest.raises(ValueError, match=r"conv2d_NCHWc \(x86\).*kernel \[2, 4, 3, 3, 8, 8\] does not match"):
        topi.x86.conv2d_NCHWc(data, te.placeholder((2, 4, 3, 3, 8, 8)), 1, 1, 1, "NCHW8c", "NCHW8c")
    with pytest.raises(ValueError, match=r"layouts must be NCHW<n>c.*'NHWC'"):
        topi.x86.conv2d_NCHWc(data, te.placeholder((2, 2, 3, 3, 8, 8)), 1, 1, 1, "NHWC", "NCHW8c")
    with pytest.raises(ValueError, match=r"strides must be an int or 2 ints"):
        topi.x86.conv2d_NCHWc(data, te.placeholder((2, 2, 3, 3, 8, 8)), [1, 1, 1], 1, 1, "NCHW8c", "NCHW8c")
    with pytest.raises(ValueError, match=r"does not fit the padded 8x8 input"):
        topi.x86.conv2d_NCHWc(data, te.placeholder((2, 2, 9, 9, 8, 8)), 1, 0, 1, "NCHW8c", "NCHW8c")
    with pytest.raises(ValueError, match=r"depthwise_conv2d_NCHWc \(x86\).*not a depthwise OIHW1i<n>o kernel"):
        topi.x86.depthwise_conv2d_NCHWc(data, te.placeholder((2, 2, 3, 3, 1, 8)), 1, 1, 1, "NCHW8c", "NCHW8c")
    with pytest.raises(ValueError, match=r"data shape \[n, 2, 8, 8, 8\] must be static"):
        n = te.var("n")
        topi.x86.conv2d_NCHWc(te.placeholder((n, 2, 8, 8, 8)), te.placeholder((2, 2, 3, 3, 8, 8)), 1, 1, 1,
                              "NCHW8c", "NCHW8c")


# ---------------------------------------------------------------- the strategy


def _strategy(op_name, dshape, kshape, layout, kernel_layout, dtype="float32", target=HASWELL, groups=1):
    x = relay.var("x", shape=dshape, dtype=dtype)
    w = relay.var("w", shape=kshape, dtype=dtype)
    make = relay.nn.contrib_depthwise_conv2d_nchwc if "depthwise" in op_name else relay.nn.contrib_conv2d_nchwc
    call = make(x, w, padding=(1, 1), groups=groups, kernel_size=(3, 3), data_layout=layout,
                kernel_layout=kernel_layout, out_layout=f"NCHW{kshape[-1]}c")
    call = relay.transform.InferType()(tvm.IRModule.from_expr(call))["main"].body
    inputs = [te.placeholder(dshape, dtype, "x"), te.placeholder(kshape, dtype, "w")]
    fstrategy = relay.op.get(op_name).get_attr("FTVMStrategy")
    target = tvm.target.Target(target)
    with target:
        strategy = fstrategy(call.attrs, inputs, call.checked_type, target)
    return [(str(impl.name), int(impl.plevel)) for impl in strategy.implementations]


def test_strategy_offers_the_x86_implementation_where_python_did():
    conv = "nn.contrib_conv2d_NCHWc"
    generic = ("conv2d_NCHWc.generic", 10)
    x86 = ("conv2d_NCHWc.x86", 15)
    assert _strategy(conv, (1, 2, 8, 8, 8), (2, 2, 3, 3, 8, 8), "NCHW8c", "OIHW8i8o") == [generic, x86]
    assert _strategy(conv, (1, 3, 8, 8), (2, 1, 3, 3, 3, 8), "NCHW", "OIHW3i8o") == [generic, x86]
    assert _strategy(conv, (1, 2, 8, 8, 8), (2, 2, 3, 3, 8, 8), "NCHW8c", "OIHW8i8o", "float16") == [generic]
    assert _strategy(conv, (1, 2, 8, 8, 8), (2, 2, 3, 3, 8, 8), "NCHW8c", "OIHW8i8o", target="cuda") == [generic]
    dw = "nn.contrib_depthwise_conv2d_NCHWc"
    assert _strategy(dw, (1, 2, 8, 8, 8), (2, 1, 3, 3, 1, 8), "NCHW8c", "OIHW1i8o", groups=16) == [
        ("depthwise_conv2d_NCHWc.generic", 10), ("depthwise_conv2d_NCHWc.x86", 15)]
    assert _strategy(dw, (1, 2, 8, 8, 8), (2, 1, 3, 3, 1, 8), "NCHW8c", "OIHW1i8o", "float16", groups=16) == [
        ("depthwise_conv2d_NCHWc.generic", 10)]


def test_generic_implementation_builds_where_x86_does_not():
    # float64: the strategy's generic implementation (the operator's own compute and schedule).
    x = relay.var("x", shape=(1, 2, 6, 6, 4), dtype="float64")
    w = relay.var("w", shape=(2, 2, 3, 3, 4, 4), dtype="float64")
    y = relay.nn.contrib_conv2d_nchwc(x, w, padding=(1, 1), kernel_size=(3, 3), data_layout="NCHW4c",
                                      kernel_layout="OIHW4i4o", out_layout="NCHW4c")
    rng = np.random.default_rng(2)
    xv = rng.standard_normal((1, 8, 6, 6))
    wv = rng.standard_normal((8, 8, 3, 3))
    lib = relay.build(tvm.IRModule.from_expr(relay.Function([x, w], y)), target=PLAIN)
    from tvm.contrib import graph_executor

    m = graph_executor.GraphModule(lib["default"](tvm.cpu()))
    m.set_input("x", _blocked(xv, 4))
    m.set_input("w", _kernel_blocked(wv, 4, 4))
    m.run()
    ref = torch.nn.functional.conv2d(torch.from_numpy(xv), torch.from_numpy(wv), None, 1, 1).numpy()
    np.testing.assert_allclose(m.get_output(0).numpy(), _blocked(ref, 4), rtol=1e-10)


# ---------------------------------------------------------------- nn.conv2d's layout alteration


def _alter(x_shape, w_shape, target, groups=1, dtype="float32", **kwargs):
    x = relay.var("x", shape=x_shape, dtype=dtype)
    w = relay.var("w", shape=w_shape, dtype=dtype)
    conv = relay.nn.conv2d(x, w, groups=groups, **kwargs)
    call = relay.transform.InferType()(tvm.IRModule.from_expr(conv))["main"].body
    tinfos = [te.placeholder(x_shape, dtype, "x"), te.placeholder(w_shape, dtype, "w")]
    with tvm.target.Target(target):
        return topi.nn.conv2d_alter_layout(call.attrs, [x, w], tinfos, call.checked_type), x, w


def test_alter_conv2d_gives_the_blocked_calls():
    new, x, w = _alter((1, 16, 14, 14), (32, 16, 3, 3), HASWELL, padding=(1, 1), channels=32, kernel_size=(3, 3))
    expected = relay.nn.contrib_conv2d_nchwc(x, w, padding=(1, 1, 1, 1), channels=32, kernel_size=(3, 3),
                                             data_layout="NCHW8c", kernel_layout="OIHW8i8o", out_layout="NCHW8c")
    tvm.ir.assert_structural_equal(new, expected)
    # A first layer reads NCHW; AVX-512 blocks by 16.
    new, x, w = _alter((1, 3, 32, 32), (64, 3, 7, 7), "llvm -mcpu=skylake-avx512", strides=(2, 2), padding=3)
    expected = relay.nn.contrib_conv2d_nchwc(x, w, strides=(2, 2), padding=(3, 3, 3, 3), data_layout="NCHW",
                                             kernel_layout="OIHW3i16o", out_layout="NCHW16c")
    tvm.ir.assert_structural_equal(new, expected)
    # Depthwise, 4 lanes: blocks of 4.
    new, x, w = _alter((1, 12, 8, 8), (12, 1, 3, 3), PLAIN, groups=12, padding=(1, 1), channels=12,
                       kernel_size=(3, 3))
    expected = relay.nn.contrib_depthwise_conv2d_nchwc(
        x, w, padding=(1, 1, 1, 1), groups=12, channels=12, kernel_size=(3, 3), data_layout="NCHW4c",
        kernel_layout="OIHW1i4o", out_layout="NCHW4c")
    tvm.ir.assert_structural_equal(new, expected)


@pytest.mark.parametrize("x_shape,w_shape,target,groups,dtype,kwargs", [
    ((1, 16, 8, 8), (30, 16, 3, 3), HASWELL, 1, "float32", {}),  # 30 output channels: no block
    ((1, 16, 8, 8), (32, 8, 3, 3), HASWELL, 2, "float32", {}),  # grouped
    ((1, 16, 8, 8), (32, 16, 3, 3), HASWELL, 1, "float16", {}),
    ((1, 16, 8, 8), (32, 16, 3, 3), "cuda", 1, "float32", {}),
    ((1, 8, 8, 16), (3, 3, 16, 32), HASWELL, 1, "float32", {"data_layout": "NHWC", "kernel_layout": "HWIO"}),
    ((relay.Any(), 16, 8, 8), (32, 16, 3, 3), HASWELL, 1, "float32", {}),  # symbolic batch
])
def test_alter_conv2d_keeps_other_calls(x_shape, w_shape, target, groups, dtype, kwargs):
    new, _, _ = _alter(x_shape, w_shape, target, groups=groups, dtype=dtype, **kwargs)
    assert new is None


def test_alter_op_layout_pass_gives_the_exact_graph():
    def before():
        x = relay.var("x", shape=(1, 16, 14, 14))
        w = relay.var("w", shape=(32, 16, 3, 3))
        b = relay.var("b", shape=(32,))
        y = relay.nn.conv2d(x, w, padding=(1, 1), channels=32, kernel_size=(3, 3))
        return relay.Function([x, w, b], relay.nn.relu(relay.nn.bias_add(y, b)))

    def expected():
        x = relay.var("x", shape=(1, 16, 14, 14))
        w = relay.var("w", shape=(32, 16, 3, 3))
        b = relay.var("b", shape=(32,))
        y = relay.nn.contrib_conv2d_nchwc(
            relay.layout_transform(x, "NCHW", "NCHW8c"), relay.layout_transform(w, "OIHW", "OIHW8i8o"),
            padding=(1, 1, 1, 1), channels=32, kernel_size=(3, 3), data_layout="NCHW8c", kernel_layout="OIHW8i8o",
            out_layout="NCHW8c")
        bias = relay.layout_transform(relay.expand_dims(relay.expand_dims(b, axis=1, num_newaxis=2), axis=0),
                                      "NCHW", "NCHW8c")
        y = relay.nn.relu(relay.add(y, bias))
        return relay.Function([x, w, b], relay.layout_transform(y, "NCHW8c", "NCHW"))

    with tvm.target.Target(HASWELL), tvm.transform.PassContext(opt_level=3):
        mod = relay.transform.InferType()(tvm.IRModule.from_expr(before()))
        altered = relay.transform.AlterOpLayout()(mod)
    want = relay.transform.InferType()(tvm.IRModule.from_expr(expected()))
    tvm.ir.assert_structural_equal(altered["main"], want["main"])
    # No x86 target in scope: nothing changes.
    with tvm.target.Target("cuda"), tvm.transform.PassContext(opt_level=3):
        kept = relay.transform.AlterOpLayout()(mod)
    tvm.ir.assert_structural_equal(kept["main"], mod["main"])


# ---------------------------------------------------------------- the generic (plain TE) computes


def test_generic_computes_are_cpp_and_registered_as_the_operators_compute():
    for op in ("nn.contrib_conv2d_NCHWc", "nn.contrib_depthwise_conv2d_NCHWc"):
        assert relay.op.get(op).get_attr("FTVMCompute") is not None
    data = te.placeholder((1, 2, 8, 8, 8), name="data")
    out = topi.nn.conv2d_NCHWc(data, te.placeholder((3, 4, 3, 3, 4, 8)), 1, "SAME", 1, "NCHW8c", "NCHW8c")
    assert out.op.tag == "conv2d_NCHWc" and [int(v) for v in out.shape] == [1, 3, 8, 8, 8]
    assert [iv.var.name for iv in out.op.axis] == ["b", "oc", "y", "x", "ob"]
    assert [iv.var.name for iv in out.op.reduce_axis] == ["ic", "kh", "kw"]
    pad = out.op.input_tensors[0]
    assert pad.op.tag == "conv2d_NCHWc_pad" and [int(v) for v in pad.shape] == [1, 2, 10, 10, 8]
    with pytest.raises(ValueError, match=r"conv2d_NCHWc: the kernel \[3, 3, 3, 3, 4, 8\] expects 12 input channels, "
                                         r"the data \[1, 2, 8, 8, 8\] has 16"):
        topi.nn.conv2d_NCHWc(data, te.placeholder((3, 3, 3, 3, 4, 8)), 1, 1, 1, "NCHW8c", "NCHW8c")
    with pytest.raises(ValueError, match=r"depthwise_conv2d_NCHWc: kernel \[3, 1, 3, 3, 1, 8\] is not a depthwise"):
        topi.nn.depthwise_conv2d_NCHWc(data, te.placeholder((3, 1, 3, 3, 1, 8)), 1, 1, 1, "NCHW8c", "NCHW8c")


def test_generic_depthwise_with_multiplier_matches_torch():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((1, 8, 9, 9)).astype("float32")
    w = rng.standard_normal((16, 1, 3, 3)).astype("float32")  # multiplier 2
    ref = torch.nn.functional.conv2d(torch.from_numpy(x), torch.from_numpy(w), None, 2, 1, 1, 8).numpy()
    data = te.placeholder((1, 2, 9, 9, 4), name="data")
    kernel = te.placeholder((2, 1, 3, 3, 1, 8), name="kernel")
    out = topi.nn.depthwise_conv2d_NCHWc(data, kernel, 2, 1, 1, "NCHW4c", "NCHW8c")
    f = tvm.build(te.create_schedule(out.op), [data, kernel, out], PLAIN)
    wk = w.reshape(2, 8, 1, 3, 3).transpose(0, 2, 3, 4, 1).reshape(2, 1, 3, 3, 1, 8)
    result = tvm.nd.empty([int(v) for v in out.shape], "float32")
    f(tvm.nd.array(_blocked(x, 4)), tvm.nd.array(wk.copy()), result)
    np.testing.assert_allclose(result.numpy(), _blocked(ref, 8), rtol=1e-5, atol=1e-5)
