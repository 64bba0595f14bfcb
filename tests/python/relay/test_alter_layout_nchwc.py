# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""AlterOpLayout on x86: nn.conv2d becomes nn.contrib_conv2d_NCHWc / contrib_depthwise_conv2d_NCHWc and
the blocked layout propagates through elementwise, broadcast, bias_add, pools and concatenate, with
layout_transform only at the boundaries. Exact graphs, and numeric checks of whole small networks
built at opt_level 3 against torch."""
import numpy as np
import pytest
import torch

import tvm
from tvm import relay
from tvm.contrib import graph_executor
from tvm.relay.testing.temp_op_attr import TempOpAttr

TARGET = "llvm -mcpu=skylake-avx512"


def _alter(func, target=TARGET):
    # The direct blocked convolutions; Winograd's form of 3x3 ones is tested in test_conv2d_winograd.py.
    mod = relay.transform.InferType()(tvm.IRModule.from_expr(func))
    with tvm.target.Target(target), tvm.transform.PassContext(opt_level=3, config={"relay.x86.winograd": False}):
        mod = relay.transform.AlterOpLayout()(mod)
    return mod["main"]


def _typed(func):
    return relay.transform.InferType()(tvm.IRModule.from_expr(func))["main"]


def _assert_graph(actual, expected):
    expected = _typed(expected)
    assert tvm.ir.structural_equal(actual, expected), "actual:\n%s\nexpected:\n%s" % (actual, expected)


def test_conv_relu_conv_add_pool_has_one_transform_in_and_one_out():
    x = relay.var("x", shape=(1, 32, 16, 16))
    w1 = relay.var("w1", shape=(64, 32, 3, 3))
    w2 = relay.var("w2", shape=(64, 64, 3, 3))

    def before():
        y = relay.nn.relu(relay.nn.conv2d(x, w1, padding=1, channels=64, kernel_size=3))
        z = relay.nn.conv2d(y, w2, padding=1, channels=64, kernel_size=3)
        z = relay.add(z, y)
        return relay.Function([x, w1, w2], relay.nn.max_pool2d(z, pool_size=2, strides=2))

    def expected():
        xb = relay.layout_transform(x, "NCHW", "NCHW16c")
        k1 = relay.layout_transform(w1, "OIHW", "OIHW16i16o")
        y = relay.nn.contrib_conv2d_nchwc(xb, k1, padding=1, channels=64, kernel_size=3, data_layout="NCHW16c",
                                          kernel_layout="OIHW16i16o", out_layout="NCHW16c")
        y = relay.nn.relu(y)
        k2 = relay.layout_transform(w2, "OIHW", "OIHW16i16o")
        z = relay.nn.contrib_conv2d_nchwc(y, k2, padding=1, channels=64, kernel_size=3, data_layout="NCHW16c",
                                          kernel_layout="OIHW16i16o", out_layout="NCHW16c")
        z = relay.add(z, y)
        z = relay.nn.max_pool2d(z, pool_size=2, strides=2, layout="NCHW16c")
        return relay.Function([x, w1, w2], relay.layout_transform(z, "NCHW16c", "NCHW"))

    actual = _alter(before())
    _assert_graph(actual, expected())
    transforms = []
    relay.analysis.post_order_visit(actual, lambda e: transforms.append(e) if isinstance(e, relay.Call) and
                                    e.op.name == "layout_transform" and not isinstance(e.args[0], relay.Var)
                                    or (isinstance(e, relay.Call) and e.op.name == "layout_transform"
                                        and e.args[0].name_hint == "x") else None)
    assert [(str(t.attrs.src_layout), str(t.attrs.dst_layout)) for t in transforms] == [
        ("NCHW", "NCHW16c"), ("NCHW16c", "NCHW")]


def test_first_layer_reads_nchw_bias_becomes_blocked_add():
    """C = 3 has no vector block: the first convolution reads the NCHW input as it is; bias_add becomes
    an add of the bias grown to NCHW and blocked; a batch_flatten takes the tensor back."""
    x = relay.var("x", shape=(1, 3, 8, 8))
    w = relay.var("w", shape=(32, 3, 3, 3))
    b = relay.var("b", shape=(32,))
    y = relay.nn.relu(relay.nn.bias_add(relay.nn.conv2d(x, w, padding=1), b))
    actual = _alter(relay.Function([x, w, b], relay.nn.batch_flatten(y)))

    k = relay.layout_transform(w, "OIHW", "OIHW3i16o")
    conv = relay.nn.contrib_conv2d_nchwc(x, k, padding=1, data_layout="NCHW", kernel_layout="OIHW3i16o",
                                         out_layout="NCHW16c")
    bias = relay.layout_transform(relay.expand_dims(relay.expand_dims(b, 1, 2), 0), "NCHW", "NCHW16c")
    y = relay.nn.relu(relay.add(conv, bias))
    _assert_graph(actual, relay.Function([x, w, b], relay.nn.batch_flatten(
        relay.layout_transform(y, "NCHW16c", "NCHW"))))


def test_depthwise_concat_global_pool_and_scalars():
    x = relay.var("x", shape=(1, 32, 8, 8))
    wd = relay.var("wd", shape=(32, 1, 3, 3))
    wa = relay.var("wa", shape=(24, 32, 1, 1))
    wb = relay.var("wb", shape=(24, 32, 1, 1))
    d = relay.clip(relay.nn.conv2d(x, wd, padding=1, groups=32), 0.0, 6.0)
    d = relay.multiply(d, relay.const(0.5))  # a scalar broadcasts in any layout
    cat = relay.concatenate([relay.nn.conv2d(d, wa), relay.nn.conv2d(d, wb)], axis=1)
    actual = _alter(relay.Function([x, wd, wa, wb], relay.nn.global_avg_pool2d(cat)))

    xb = relay.layout_transform(x, "NCHW", "NCHW16c")
    d = relay.nn.contrib_depthwise_conv2d_nchwc(xb, relay.layout_transform(wd, "OIHW", "OIHW1i16o"), padding=1,
                                                groups=32, data_layout="NCHW16c", kernel_layout="OIHW1i16o",
                                                out_layout="NCHW16c")
    d = relay.multiply(relay.clip(d, 0.0, 6.0), relay.const(0.5))

    def pointwise(w):
        return relay.nn.contrib_conv2d_nchwc(d, relay.layout_transform(w, "OIHW", "OIHW16i8o"),
                                             data_layout="NCHW16c", kernel_layout="OIHW16i8o", out_layout="NCHW8c")

    cat = relay.concatenate([pointwise(wa), pointwise(wb)], axis=1)
    pool = relay.nn.global_avg_pool2d(cat, layout="NCHW8c")
    _assert_graph(actual, relay.Function([x, wd, wa, wb], relay.layout_transform(pool, "NCHW8c", "NCHW")))


def test_mismatched_blocks_meet_with_one_transform():
    """A residual add of a tensor in blocks of 8 and one in blocks of 16 re-blocks the second."""
    x = relay.var("x", shape=(1, 16, 6, 6))
    w1 = relay.var("w1", shape=(24, 16, 1, 1))
    w2 = relay.var("w2", shape=(24, 16, 1, 1))
    y = relay.add(relay.nn.conv2d(x, w1), relay.nn.conv2d(x, w2))
    actual = _alter(relay.Function([x, w1, w2], y))
    xb = relay.layout_transform(x, "NCHW", "NCHW16c")

    def conv(w):
        return relay.nn.contrib_conv2d_nchwc(xb, relay.layout_transform(w, "OIHW", "OIHW16i8o"),
                                             data_layout="NCHW16c", kernel_layout="OIHW16i8o", out_layout="NCHW8c")

    _assert_graph(actual, relay.Function([x, w1, w2], relay.layout_transform(
        relay.add(conv(w1), conv(w2)), "NCHW8c", "NCHW")))


def test_pad_of_spatial_axes_stays_blocked_and_of_channels_does_not():
    x = relay.var("x", shape=(1, 16, 6, 6))
    w = relay.var("w", shape=(16, 16, 1, 1))
    y = relay.nn.conv2d(x, w)
    spatial = relay.nn.pad(y, ((0, 0), (0, 0), (1, 2), (0, 1)), 0.5)
    channels = relay.nn.pad(y, ((0, 0), (0, 16), (0, 0), (0, 0)))
    actual = _alter(relay.Function([x, w], relay.Tuple([spatial, channels])))
    conv = relay.nn.contrib_conv2d_nchwc(relay.layout_transform(x, "NCHW", "NCHW16c"),
                                         relay.layout_transform(w, "OIHW", "OIHW16i16o"), data_layout="NCHW16c",
                                         kernel_layout="OIHW16i16o", out_layout="NCHW16c")
    spatial = relay.nn.pad(conv, ((0, 0), (0, 0), (1, 2), (0, 1), (0, 0)), 0.5)
    channels = relay.nn.pad(relay.layout_transform(conv, "NCHW16c", "NCHW"), ((0, 0), (0, 16), (0, 0), (0, 0)))
    _assert_graph(actual, relay.Function([x, w], relay.Tuple([relay.layout_transform(spatial, "NCHW16c", "NCHW"),
                                                              channels])))


def test_unsupported_consumers_take_the_original_layout_once():
    """Operators without a layout rule (softmax over channels, a reshape) read one shared NCHW copy."""
    x = relay.var("x", shape=(1, 16, 4, 4))
    w = relay.var("w", shape=(16, 16, 3, 3))
    y = relay.nn.conv2d(x, w, padding=1)
    out = relay.Tuple([relay.nn.softmax(y, axis=1), relay.reshape(y, (1, -1)), relay.nn.relu(y)])
    actual = _alter(relay.Function([x, w], out))
    conv = relay.nn.contrib_conv2d_nchwc(relay.layout_transform(x, "NCHW", "NCHW16c"),
                                         relay.layout_transform(w, "OIHW", "OIHW16i16o"), padding=1,
                                         data_layout="NCHW16c", kernel_layout="OIHW16i16o", out_layout="NCHW16c")
    back = relay.layout_transform(conv, "NCHW16c", "NCHW")
    relu_back = relay.layout_transform(relay.nn.relu(conv), "NCHW16c", "NCHW")
    _assert_graph(actual, relay.Function([x, w], relay.Tuple([relay.nn.softmax(back, axis=1),
                                                              relay.reshape(back, (1, -1)), relu_back])))


def test_grouped_and_odd_channels_keep_nchw():
    """Grouped (not depthwise) convolutions and 3 output channels have no blocked form."""
    x = relay.var("x", shape=(1, 32, 6, 6))
    grouped = relay.nn.conv2d(x, relay.var("w", shape=(32, 8, 3, 3)), padding=1, groups=4)
    odd = relay.nn.conv2d(grouped, relay.var("v", shape=(3, 32, 1, 1)))
    func = relay.Function(relay.analysis.free_vars(odd), odd)
    assert tvm.ir.structural_equal(_alter(func), _typed(func))


def test_control_flow_functions_transform_back_at_once():
    x = relay.var("x", shape=(1, 16, 4, 4))
    w = relay.var("w", shape=(16, 16, 1, 1))
    cond = relay.var("c", shape=(), dtype="bool")
    y = relay.nn.relu(relay.nn.conv2d(x, w))
    actual = _alter(relay.Function([x, w, cond], relay.If(cond, y, x)))
    conv = relay.nn.contrib_conv2d_nchwc(relay.layout_transform(x, "NCHW", "NCHW16c"),
                                         relay.layout_transform(w, "OIHW", "OIHW16i16o"), data_layout="NCHW16c",
                                         kernel_layout="OIHW16i16o", out_layout="NCHW16c")
    y = relay.nn.relu(relay.layout_transform(conv, "NCHW16c", "NCHW"))
    _assert_graph(actual, relay.Function([x, w, cond], relay.If(cond, y, x)))


def test_hook_changing_the_type_without_layouts_is_an_error():
    x = relay.var("x", shape=(1, 8, 4, 4))
    func = relay.Function([x], relay.nn.global_max_pool2d(x))

    def bad_hook(attrs, inputs, tinfos, out_type):
        return relay.sum(inputs[0], axis=1)

    with TempOpAttr("nn.global_max_pool2d", "FTVMAlterOpLayout", bad_hook):
        with pytest.raises(tvm.TVMError, match="hook of nn.global_max_pool2d returned an expression of type"):
            _alter(func)

    def bad_layout_hook(attrs, inputs, tinfos, out_type):
        return relay.nn.global_max_pool2d(inputs[0], layout="NCHW4c", out_layout="NCHW")

    with TempOpAttr("nn.global_max_pool2d", "FTVMAlterOpLayout", bad_layout_hook):
        with pytest.raises(tvm.TVMError, match="returned a call of type .* in layout NCHW, which is not"):
            _alter(func)


def test_long_chain_after_a_convolution():
    """100,000 elementwise operators after a blocked convolution: the walk does not recurse."""
    x = relay.var("x", shape=(1, 16, 2, 2))
    y = relay.nn.conv2d(x, relay.var("w", shape=(16, 16, 1, 1)))
    for _ in range(100000):
        y = relay.nn.relu(y)
    actual = _alter(relay.Function(relay.analysis.free_vars(y), y))
    body = actual.body
    assert body.op.name == "layout_transform" and str(body.attrs.src_layout) == "NCHW16c"
    assert body.args[0].op.name == "nn.relu"


# ---------------------------------------------------------------- whole networks, numerically


def _run(mod, params, inputs, opt_level, target=TARGET):
    with tvm.transform.PassContext(opt_level=opt_level):
        lib = relay.build(mod, target=target, params=params)
    gm = graph_executor.GraphModule(lib["default"](tvm.cpu()))
    gm.set_input(**inputs)
    gm.run()
    return gm.get_output(0).numpy(), lib.get_graph_json()


class _Net(torch.nn.Module):
    def __init__(self, channels, stride, width=32):
        super().__init__()
        c = channels
        self.stem = torch.nn.Conv2d(c, width, 3, stride=stride, padding=1)
        self.bn = torch.nn.BatchNorm2d(width)
        self.dw = torch.nn.Conv2d(width, width, 3, padding=1, groups=width)
        self.grouped = torch.nn.Conv2d(width, width, 3, padding=1, groups=4)
        self.pw = torch.nn.Conv2d(width, 24, 1)
        self.side = torch.nn.Conv2d(width, 8, 3, stride=2, padding=(0, 1))
        self.head = torch.nn.Linear(24 + 8, 10)

    def forward(self, x):
        y = torch.relu(self.bn(self.stem(x)))
        y = torch.clamp(self.dw(y), 0.0, 6.0) + y
        y = self.grouped(y) * 0.5
        a = torch.nn.functional.max_pool2d(self.pw(y), 3, 2, 1, ceil_mode=True)
        b = self.side(y)
        b = torch.nn.functional.pad(b, (0, a.shape[3] - b.shape[3], 0, a.shape[2] - b.shape[2]))
        z = torch.cat([a, torch.nn.functional.avg_pool2d(b, 1)], 1)
        z = torch.nn.functional.adaptive_avg_pool2d(z, 1).flatten(1)
        return self.head(z)


@pytest.mark.parametrize("channels,stride,size", [(3, 2, 17), (8, 1, 12), (24, 2, 16), (32, 1, 9), (96, 2, 14)])
def test_random_networks_at_opt_level_3_match_torch(channels, stride, size):
    torch.manual_seed(channels)
    net = _Net(channels, stride).eval()
    with torch.no_grad():
        net.bn.running_mean.uniform_(-1, 1)
        net.bn.running_var.uniform_(0.5, 2)
    x = torch.randn(1, channels, size, size)
    with torch.no_grad():
        want = net(x).numpy()
    mod, params = relay.frontend.from_pytorch(torch.jit.trace(net, x), [("x", x.shape)])
    got, graph = _run(mod, params, {"x": x.numpy()}, 3)
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)
    assert "contrib_conv2d_NCHWc" in graph or "conv2d_NCHWc" in graph


@pytest.mark.parametrize("stride,pad", [(1, 1), (2, 0), (2, 3)])
def test_conv_chains_in_every_block_size(stride, pad):
    """Channels 8 -> 24 -> 96 -> 32: blocks 8, 8, 16, 16 meet; strides and paddings vary."""
    rng = np.random.default_rng(stride * 10 + pad)
    x = relay.var("x", shape=(1, 8, 15, 15))
    y, params, torch_layers = x, {}, []
    for i, (cin, cout) in enumerate([(8, 24), (24, 96), (96, 32)]):
        w = rng.standard_normal((cout, cin, 3, 3)).astype("float32") * 0.2
        params[f"w{i}"] = w
        y = relay.nn.relu(relay.nn.conv2d(y, relay.var(f"w{i}", shape=w.shape), strides=stride if i == 1 else 1,
                                          padding=pad if i == 1 else 1))
        torch_layers.append((w, stride if i == 1 else 1, pad if i == 1 else 1))
    mod = tvm.IRModule.from_expr(relay.Function(relay.analysis.free_vars(y), y))
    data = rng.standard_normal((1, 8, 15, 15)).astype("float32")
    got, _ = _run(mod, params, {"x": data}, 3)
    ref = torch.tensor(data)
    for w, s, p in torch_layers:
        ref = torch.relu(torch.nn.functional.conv2d(ref, torch.tensor(w), stride=s, padding=p))
    np.testing.assert_allclose(got, ref.numpy(), rtol=1e-4, atol=1e-4)
