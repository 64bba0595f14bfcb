# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""relay.transform.AlterOpLayout: the graph before and after, the x86 conv2d weight packing it
drives (folded by FoldConstant), hooks that decline or break the type, and long chains. The blocked
activation layouts it propagates are tested in test_alter_layout_nchwc.py."""
import numpy as np
import pytest

import tvm
from tvm import relay
from tvm.contrib import graph_executor
from tvm.relay.op import op as _op

TARGET = "llvm -mcpu=skylake-avx512"  # 16 float32 lanes: conv2d channel blocks of 16


def _run_passes(func, *passes, target=TARGET, config=None):
    mod = tvm.IRModule.from_expr(func)
    with tvm.target.Target(target), tvm.transform.PassContext(opt_level=3, config=config or {}):
        mod = tvm.transform.Sequential([relay.transform.InferType(), *passes, relay.transform.InferType()])(mod)
    return mod["main"]


def _conv_weight(shape, seed=0):
    return relay.const(np.random.default_rng(seed).uniform(-1, 1, shape).astype("float32"))


def test_x86_conv2d_weight_is_packed_and_folded():
    x = relay.var("x", shape=(1, 64, 14, 14))
    w = _conv_weight((128, 64, 3, 3))
    func = relay.Function([x], relay.nn.relu(relay.nn.conv2d(x, w, padding=(1, 1), channels=128,
                                                              kernel_size=(3, 3))))
    # The direct blocked convolution (Winograd's form: test_conv2d_winograd.py).
    direct = {"relay.x86.winograd": False}
    altered = _run_passes(func, relay.transform.AlterOpLayout(), config=direct)
    # layout_transform(relu(conv NCHW16c), "NCHW16c", "NCHW")
    assert altered.body.op.name == "layout_transform"
    conv = altered.body.args[0].args[0]
    assert conv.op.name == "nn.contrib_conv2d_NCHWc" and conv.attrs.kernel_layout == "OIHW16i16o"
    assert conv.attrs.data_layout == "NCHW16c" and list(conv.attrs.padding) == [1, 1, 1, 1]
    transform = conv.args[1]
    assert transform.op.name == "layout_transform"
    assert (transform.attrs.src_layout, transform.attrs.dst_layout) == ("OIHW", "OIHW16i16o")
    assert transform.args[0].same_as(w)
    assert altered.body.checked_type == relay.TensorType((1, 128, 14, 14), "float32")

    folded = _run_passes(func, relay.transform.AlterOpLayout(), relay.transform.FoldConstant(), config=direct)
    packed = folded.body.args[0].args[0].args[1]
    assert isinstance(packed, relay.Constant)
    assert packed.data.shape == (8, 4, 3, 3, 16, 16)
    expected = w.data.numpy().reshape(8, 16, 4, 16, 3, 3).transpose(0, 2, 4, 5, 3, 1)
    np.testing.assert_array_equal(packed.data.numpy(), expected)


def test_calls_the_x86_hook_declines_stay_as_they_were():
    x = relay.var("x", shape=(1, 16, 8, 8))
    cases = [
        relay.nn.conv2d(x, _conv_weight((6, 16, 3, 3))),           # 6 channels: no vector divides them
        relay.nn.conv2d(x, _conv_weight((32, 4, 3, 3)), groups=4),   # grouped
        relay.nn.conv2d(x, _conv_weight((32, 1, 3, 3)), groups=16),  # depthwise with a multiplier
        relay.nn.conv2d(relay.var("xh", shape=(1, 8, 8, 16)), _conv_weight((3, 3, 16, 32)), data_layout="NHWC",
                        kernel_layout="HWIO"),                      # NHWC
    ]
    for call in cases:
        func = relay.Function(relay.analysis.free_vars(call), call)
        before = _run_passes(func)
        after = _run_passes(func, relay.transform.AlterOpLayout())
        assert tvm.ir.structural_equal(before, after), call
    # Without a target that registers an override (cuda here) nothing changes either.
    func = relay.Function([x], relay.nn.conv2d(x, _conv_weight((32, 16, 3, 3))))
    before = _run_passes(func, target="cuda")
    assert tvm.ir.structural_equal(before, _run_passes(func, relay.transform.AlterOpLayout(), target="cuda"))


def test_plain_llvm_target_blocks_by_4_lanes():
    x = relay.var("x", shape=(1, 12, 8, 8))
    func = relay.Function([x], relay.nn.conv2d(x, _conv_weight((8, 12, 1, 1))))
    conv = _run_passes(func, relay.transform.AlterOpLayout(), target="llvm").body.args[0]
    assert (conv.attrs.data_layout, conv.attrs.kernel_layout, conv.attrs.out_layout) == (
        "NCHW4c", "OIHW4i4o", "NCHW4c")


def test_a_hook_that_changes_the_type_is_an_error_naming_the_operator():
    def bad_hook(attrs, inputs, tinfos, out_type):  # pylint: disable=unused-argument
        return relay.nn.relu(relay.sum(inputs[0], axis=[0]))

    _op.register_alter_op_layout("nn.prelu", bad_hook)
    try:
        x = relay.var("x", shape=(2, 3))
        func = relay.Function([x], relay.nn.prelu(x, relay.const(np.ones(3, "float32"))))
        with pytest.raises(tvm.TVMError, match=r"AlterOpLayout: the FTVMAlterOpLayout hook of nn\.prelu.*"
                                                 r"must keep the call's type"):
            _run_passes(func, relay.transform.AlterOpLayout())
    finally:
        tvm.ir.Op.get("nn.prelu").reset_attr("FTVMAlterOpLayout")


def test_hook_sees_typed_stand_ins_and_the_result_is_rebound():
    seen = []

    def hook(attrs, inputs, tinfos, out_type):  # pylint: disable=unused-argument
        seen.append(([type(i).__name__ for i in inputs], [tuple(int(d) for d in t.shape) for t in tinfos],
                     str(out_type)))
        return relay.nn.relu(inputs[0])  # leaky_relu(x) with alpha 0 is relu(x)

    _op.register_alter_op_layout("nn.leaky_relu", hook)
    try:
        x = relay.var("x", shape=(2, 5))
        func = relay.Function([x], relay.nn.leaky_relu(relay.add(x, x), alpha=0.0))
        after = _run_passes(func, relay.transform.AlterOpLayout())
    finally:
        tvm.ir.Op.get("nn.leaky_relu").reset_attr("FTVMAlterOpLayout")
    assert seen == [(["Var"], [(2, 5)], "Tensor[(2, 5), float32]")]
    expected = _run_passes(relay.Function([x], relay.nn.relu(relay.add(x, x))))
    assert tvm.ir.structural_equal(after, expected)


def test_long_chain_does_not_recurse():
    x = relay.var("x", shape=(1, 16, 4, 4))
    y = relay.nn.conv2d(x, _conv_weight((32, 16, 1, 1)))
    for _ in range(100000):
        y = relay.nn.relu(y)
    func = relay.Function([x], y)
    after = _run_passes(func, relay.transform.AlterOpLayout())
    body = after.body
    assert body.op.name == "layout_transform"  # the blocked layout flows through every relu
    body = body.args[0]
    while body.op.name == "nn.relu":
        body = body.args[0]
    assert body.attrs.kernel_layout == "OIHW16i16o"


def test_relay_build_runs_alter_op_layout_at_opt_level_3_only():
    x = relay.var("x", shape=(1, 16, 10, 10))
    w = _conv_weight((32, 16, 3, 3), 3)
    func = relay.Function([x], relay.nn.conv2d(x, w, padding=(1, 1)))
    mod = tvm.IRModule.from_expr(func)
    data = np.random.default_rng(4).uniform(-1, 1, (1, 16, 10, 10)).astype("float32")
    outs = []
    for level in (2, 3):
        with tvm.transform.PassContext(opt_level=level):
            lib = relay.build(mod, "llvm -mcpu=skylake-avx512")
        shapes = [tuple(v.shape) for v in lib.get_params().values()]
        # opt_level 3: the weight as AlterOpLayout and FoldConstant leave it, OIHW16i16o.
        assert shapes == ([(2, 1, 3, 3, 16, 16)] if level == 3 else [(32, 16, 3, 3)])
        if "avx512f" not in open("/proc/cpuinfo").read():
            continue
        module = graph_executor.GraphModule(lib["default"](tvm.cpu()))
        module.set_input("x", data)
        module.run()
        outs.append(module.get_output(0).numpy())
    if outs:
        np.testing.assert_allclose(outs[0], outs[1], rtol=1e-5, atol=1e-5)
