# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""relay.build of convolutions on x86: the cpu strategy's conv2d_nchw.x86 and
depthwise_conv2d_nchw.x86 implementations with the elementwise operators FuseOps puts after
them (bias, relu, residual add, clip), numerics against PyTorch."""
import numpy as np
import pytest

import tvm
from tvm import relay
from tvm.contrib import graph_executor
from tvm.relay.backend import te_compiler

torch = pytest.importorskip("torch")
F = torch.nn.functional

TARGET = "llvm -mcpu=native"


def _rand(shape, seed, scale=1.0):
    return (np.random.default_rng(seed).uniform(-1, 1, shape) * scale).astype("float32")


def _build_and_run(func, params, inputs, target=TARGET):
    mod = tvm.IRModule.from_expr(func)
    with tvm.transform.PassContext(opt_level=3):
        lib = relay.build(mod, target, params=params)
    module = graph_executor.GraphModule(lib["default"](tvm.cpu()))
    for name, value in inputs.items():
        module.set_input(name, value)
    module.run()
    return module.get_output(0).numpy(), lib


def _lowered_text(func, target=TARGET):
    func = func.with_attr("Primitive", tvm.tir.IntImm("int32", 1))
    func = relay.transform.InferType()(tvm.IRModule.from_expr(func))["main"]
    _, mod, _ = te_compiler.lower(func, target)
    return str(mod)


def _t(array):
    return torch.from_numpy(array)


def test_conv_bias_relu_matches_torch_and_uses_the_x86_convolution():
    x = relay.var("x", shape=(1, 24, 20, 20))
    w = relay.var("w", shape=(48, 24, 3, 3))
    b = relay.var("b", shape=(48,))
    func = relay.Function([x, w, b], relay.nn.relu(relay.nn.bias_add(
        relay.nn.conv2d(x, w, strides=(2, 2), padding=(1, 1), channels=48, kernel_size=(3, 3)), b)))
    params = {"w": _rand((48, 24, 3, 3), 1), "b": _rand((48,), 2)}
    data = _rand((1, 24, 20, 20), 3)
    out, lib = _build_and_run(func, params, {"x": data})
    ref = F.relu(F.conv2d(_t(data), _t(params["w"]), _t(params["b"]), stride=2, padding=1)).numpy()
    np.testing.assert_allclose(out, ref, rtol=1e-5, atol=1e-5)
    # opt_level 3: the blocked convolution (AlterOpLayout) with bias (now a blocked add) and relu fused.
    assert '"tvmgen_default_fused_nn_contrib_conv2d_NCHWc_add_nn_relu"' in lib.get_graph_json()
    # The NCHW x86 implementation: the packed kernel, the register tile, relu applied to the tile.
    text = _lowered_text(func)
    assert "kernel_vec = T.allocate(" in text
    if "avx512f" in open("/proc/cpuinfo").read():  # "-mcpu=native": 48 channels are 3 vectors of 16
        assert 'conv2d_NCHWc = T.allocate([10], "float32x16", "local")' in text
    assert "T.max(conv2d_NCHWc_1[" in text


def test_residual_block_matches_torch():
    """conv-bn-relu, conv-bn, + identity, relu: batch norm folds into the convolution's epilogue."""
    channels = 32
    x = relay.var("x", shape=(1, channels, 14, 14))
    names = ["w1", "g1", "be1", "m1", "v1", "w2", "g2", "be2", "m2", "v2"]
    v = {n: relay.var(n, shape=(channels, channels, 3, 3) if n.startswith("w") else (channels,)) for n in names}

    def conv_bn(data, i):
        conv = relay.nn.conv2d(data, v[f"w{i}"], padding=(1, 1), channels=channels, kernel_size=(3, 3))
        return relay.nn.batch_norm(conv, v[f"g{i}"], v[f"be{i}"], v[f"m{i}"], v[f"v{i}"])[0]

    y = relay.nn.relu(conv_bn(x, 1))
    z = relay.nn.relu(relay.add(conv_bn(y, 2), x))
    func = relay.Function([x] + [v[n] for n in names], z)
    params = {}
    for i in (1, 2):
        params[f"w{i}"] = _rand((channels, channels, 3, 3), 10 * i, 0.3)
        params[f"g{i}"] = _rand((channels,), 10 * i + 1) + 1.5
        params[f"be{i}"] = _rand((channels,), 10 * i + 2)
        params[f"m{i}"] = _rand((channels,), 10 * i + 3)
        params[f"v{i}"] = _rand((channels,), 10 * i + 4) + 1.5
    data = _rand((1, channels, 14, 14), 5)
    out, lib = _build_and_run(func, params, {"x": data})

    def ref_conv_bn(d, i):
        conv = F.conv2d(d, _t(params[f"w{i}"]), padding=1)
        return F.batch_norm(conv, _t(params[f"m{i}"]), _t(params[f"v{i}"]), _t(params[f"g{i}"]),
                            _t(params[f"be{i}"]), eps=1e-5)

    ref = F.relu(ref_conv_bn(F.relu(ref_conv_bn(_t(data), 1)), 2) + _t(data)).numpy()
    np.testing.assert_allclose(out, ref, rtol=1e-5, atol=1e-5)
    graph = lib.get_graph_json()
    # Each convolution with its whole epilogue is one kernel; the activations are blocked in between,
    # so the input is transformed once (the first convolution and the residual add share it) and
    # the output once.
    assert graph.count('"tvm_op"') == 4
    assert graph.count('"name": "tvmgen_default_fused_layout_transform') == 2


def test_depthwise_relu6_matches_torch_and_uses_the_x86_depthwise():
    x = relay.var("x", shape=(1, 32, 15, 15))
    w = relay.var("w", shape=(32, 1, 3, 3))
    func = relay.Function([x, w], relay.clip(
        relay.nn.conv2d(x, w, strides=(2, 2), padding=(1, 1), groups=32, channels=32, kernel_size=(3, 3)),
        0.0, 6.0))
    params = {"w": _rand((32, 1, 3, 3), 6, 3.0)}
    data = _rand((1, 32, 15, 15), 7, 3.0)
    out, _ = _build_and_run(func, params, {"x": data})
    ref = torch.clamp(F.conv2d(_t(data), _t(params["w"]), stride=2, padding=1, groups=32), 0, 6).numpy()
    np.testing.assert_allclose(out, ref, rtol=1e-5, atol=1e-5)
    text = _lowered_text(func)
    # The 8x8 output plane is one tile: 8 rows of one 8-lane register each, accumulated over the
    # unrolled 3x3 window (72 vector FMAs). The padded plane is stored with its columns
    # de-interleaved by the stride, so even a stride-2 window reads contiguous vectors.
    assert 'depthwise_conv2d_nchw = T.allocate([8], "float32x8", "local")' in text
    assert text.count("] + data_pad_1[") == 72
    assert "depthwise_conv2d_nchw_1[0] = depthwise_conv2d_nchw_1[0] + data_pad_1[0:8] * T.Broadcast(" in text
    assert "T.Ramp(" not in text.split("depthwise_conv2d_nchw = T.allocate")[1]


def test_nhwc_convolution_keeps_the_generic_implementation():
    x = relay.var("x", shape=(1, 9, 9, 8))
    w = relay.var("w", shape=(3, 3, 8, 16))
    func = relay.Function([x, w], relay.nn.conv2d(x, w, padding=(1, 1), data_layout="NHWC",
                                                  kernel_layout="HWIO"))
    params = {"w": _rand((3, 3, 8, 16), 8)}
    data = _rand((1, 9, 9, 8), 9)
    out, _ = _build_and_run(func, params, {"x": data})
    ref = F.conv2d(_t(data).permute(0, 3, 1, 2), _t(params["w"]).permute(3, 2, 0, 1), padding=1)
    np.testing.assert_allclose(out, ref.permute(0, 2, 3, 1).numpy(), rtol=1e-5, atol=1e-5)
    assert "kernel_vec" not in _lowered_text(func)


def test_baseline_x86_64_target_builds_and_matches():
    """Plain "llvm" (no AVX): 4-lane vectors, the same implementation."""
    x = relay.var("x", shape=(2, 5, 11, 9))
    w = relay.var("w", shape=(7, 5, 1, 1))
    func = relay.Function([x, w], relay.nn.conv2d(x, w))
    params = {"w": _rand((7, 5, 1, 1), 11)}
    data = _rand((2, 5, 11, 9), 12)
    out, _ = _build_and_run(func, params, {"x": data}, target="llvm")
    np.testing.assert_allclose(out, F.conv2d(_t(data), _t(params["w"])).numpy(), rtol=1e-5, atol=1e-5)
    assert "kernel_vec" in _lowered_text(func, "llvm")


@pytest.mark.parametrize("opt_level", [0, 3])
@pytest.mark.parametrize("groups", [1, 2])
def test_conv2d_written_in_blocked_layouts_builds_and_matches_torch(opt_level, groups):
    """nn.conv2d with NCHW4c data and an OIHW<i>i4o kernel (as ConvertLayout can write it) is
    computed in NCHW/OIHW between layout transforms: it used to fail in the compute."""
    in_block = 4 // groups if groups > 1 else 4
    x = relay.var("x", shape=(1, 2, 8, 8, 4))
    w = relay.var("w", shape=(3, 8 // groups // in_block, 3, 3, in_block, 4))
    y = relay.nn.conv2d(x, w, padding=1, channels=12, kernel_size=3, groups=groups, data_layout="NCHW4c",
                        kernel_layout=f"OIHW{in_block}i4o")
    func = relay.Function([x, w], y)
    xd, wd = _rand((1, 2, 8, 8, 4), 1), _rand(tuple(int(d) for d in w.type_annotation.shape), 2)
    mod = tvm.IRModule.from_expr(func)
    with tvm.transform.PassContext(opt_level=opt_level):
        lib = relay.build(mod, TARGET)
    module = graph_executor.GraphModule(lib["default"](tvm.cpu()))
    module.set_input("x", xd)
    module.set_input("w", wd)
    module.run()
    got = module.get_output(0).numpy().transpose(0, 1, 4, 2, 3).reshape(1, 12, 8, 8)
    x_nchw = xd.transpose(0, 1, 4, 2, 3).reshape(1, 8, 8, 8)
    ci = 8 // groups
    w_oihw = wd.transpose(0, 5, 1, 4, 2, 3).reshape(12, ci, 3, 3)
    ref = F.conv2d(torch.from_numpy(x_nchw), torch.from_numpy(w_oihw), padding=1, groups=groups).numpy()
    np.testing.assert_allclose(got, ref, rtol=1e-5, atol=1e-5)
