# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""The model zoo (tvm.relay.testing): every network type-checks with the expected
output, prints and parses back to the same module, gets one parameter of the right
type per weight, is deterministic for a seed, and has the architecture's known size
(parameter and layer counts of the published networks); run by the debug executor,
the small variants give what a PyTorch evaluation of the same graph gives."""
import numpy as np
import pytest

import tvm
from tvm import relay
from tvm.relay import testing

torch = pytest.importorskip("torch")
F = torch.nn.functional


# ---------------------------------------------------------------- helpers


def _count_ops(func):
    counts = {}

    def visit(node):
        if isinstance(node, relay.Call) and isinstance(node.op, tvm.ir.Op):
            counts[node.op.name] = counts.get(node.op.name, 0) + 1

    relay.analysis.post_order_visit(func, visit)
    return counts


def _typed_main(net):
    return relay.transform.InferType()(tvm.IRModule.from_expr(net))["main"]


def _num_weights(func):
    """Elements in all parameters but `data` (what the published parameter counts count)."""
    return sum(
        int(np.prod(p.checked_type.concrete_shape)) for p in func.params if p.name_hint != "data"
    )


def _check_workload(mod, params, out_shape, out_dtype="float32"):
    """Output type, text round trip, and one parameter per non-data weight, typed as it."""
    main = mod["main"]
    assert isinstance(main.checked_type.ret_type, relay.TensorType)
    assert tuple(int(d) for d in main.checked_type.ret_type.shape) == tuple(out_shape)
    assert main.checked_type.ret_type.dtype == out_dtype
    tvm.ir.assert_structural_equal(tvm.parser.parse(mod.astext()), mod)
    weights = [p for p in main.params if p.name_hint != "data"]
    assert sorted(params) == sorted(p.name_hint for p in weights)
    assert len(weights) == len(params), "weight names must be unique"
    for p in weights:
        value = params[p.name_hint]
        assert isinstance(value, tvm.nd.NDArray)
        assert value.shape == p.checked_type.concrete_shape, p.name_hint
        assert value.dtype == p.checked_type.dtype, p.name_hint


def _run(mod, params, inputs):
    """Run main with the debug executor."""
    return relay.create_executor("debug", mod, tvm.cpu(), "llvm").evaluate()(*inputs, **params)


# A PyTorch evaluation of a dataflow graph of the zoo's operators (NCHW/OIHW/IOHW).


def _pads(padding):
    top, left, bottom, right = (int(p) for p in padding)
    return top, left, bottom, right


def _conv2d(attrs, x, w):
    assert attrs.data_layout == "NCHW" and attrs.kernel_layout == "OIHW"
    top, left, bottom, right = _pads(attrs.padding)
    x = F.pad(x, (left, right, top, bottom))
    return F.conv2d(x, w, stride=tuple(attrs.strides), dilation=tuple(attrs.dilation),
                    groups=int(attrs.groups))


def _conv3d(attrs, x, w):
    assert attrs.data_layout == "NCDHW" and attrs.kernel_layout == "OIDHW"
    front, top, left, back, bottom, right = (int(p) for p in attrs.padding)
    x = F.pad(x, (left, right, top, bottom, front, back))
    return F.conv3d(x, w, stride=tuple(attrs.strides), dilation=tuple(attrs.dilation),
                    groups=int(attrs.groups))


def _conv2d_transpose(attrs, x, w):
    assert attrs.data_layout == "NCHW" and attrs.kernel_layout == "IOHW"
    top, left, bottom, right = _pads(attrs.padding)
    assert (top, left) == (bottom, right)
    return F.conv_transpose2d(x, w, stride=tuple(attrs.strides), padding=(top, left),
                              output_padding=tuple(attrs.output_padding),
                              dilation=tuple(attrs.dilation), groups=int(attrs.groups))


def _batch_norm(attrs, x, gamma, beta, mean, var):
    shape = [1] * x.dim()
    shape[int(attrs.axis)] = -1
    out = (x - mean.reshape(shape)) / torch.sqrt(var.reshape(shape) + float(attrs.epsilon))
    if attrs.scale:
        out = out * gamma.reshape(shape)
    if attrs.center:
        out = out + beta.reshape(shape)
    return (out, mean, var)


def _pool(attrs, x, kind):
    assert attrs.layout == "NCHW"
    top, left, bottom, right = _pads(attrs.padding)
    if kind == "max":
        x = F.pad(x, (left, right, top, bottom), value=-float("inf"))
        return F.max_pool2d(x, tuple(attrs.pool_size), tuple(attrs.strides),
                            ceil_mode=bool(attrs.ceil_mode))
    assert (top, left) == (bottom, right)
    return F.avg_pool2d(x, tuple(attrs.pool_size), tuple(attrs.strides), padding=(top, left),
                        ceil_mode=bool(attrs.ceil_mode),
                        count_include_pad=bool(attrs.count_include_pad))


_TORCH_OPS = {
    "nn.conv2d": _conv2d,
    "nn.conv2d_transpose": _conv2d_transpose,
    "nn.conv3d": _conv3d,
    "nn.adaptive_avg_pool3d": lambda a, x: F.adaptive_avg_pool3d(
        x, tuple(int(d) for d in a.output_size)),
    "nn.batch_norm": _batch_norm,
    "nn.dense": lambda a, x, w: x @ w.T,
    "nn.bias_add": lambda a, x, b: x + b.reshape(
        [-1 if k == int(a.axis) % x.dim() else 1 for k in range(x.dim())]),
    "nn.relu": lambda a, x: torch.relu(x),
    "nn.softmax": lambda a, x: torch.softmax(x, int(a.axis)),
    "nn.max_pool2d": lambda a, x: _pool(a, x, "max"),
    "nn.avg_pool2d": lambda a, x: _pool(a, x, "avg"),
    "nn.global_avg_pool2d": lambda a, x: x.mean(dim=(2, 3), keepdim=True),
    "nn.batch_flatten": lambda a, x: x.reshape(x.shape[0], -1),
    "nn.dropout": lambda a, x: (x, torch.ones_like(x)),
    "concatenate": lambda a, *xs: torch.cat(xs, int(a.axis)),
    "reshape": lambda a, x: x.reshape([int(d) for d in a.newshape]),
    "add": lambda a, x, y: x + y,
    "multiply": lambda a, x, y: x * y,
    "tanh": lambda a, x: torch.tanh(x),
    "sigmoid": lambda a, x: torch.sigmoid(x),
}


def _torch_eval(func, values):
    """Evaluate dataflow function `func` in float64 PyTorch; values: {param name: numpy}."""
    memo = {}
    for p in func.params:
        memo[p] = torch.from_numpy(np.asarray(values[p.name_hint], dtype="float64"))

    def visit(node):
        if isinstance(node, relay.Call):
            args = [memo[a] for a in node.args]
            # Concatenate takes a Tuple node: spread its fields.
            if node.op.name == "concatenate":
                args = list(args[0])
            memo[node] = _TORCH_OPS[node.op.name](node.attrs, *args)
        elif isinstance(node, relay.Tuple):
            memo[node] = tuple(memo[f] for f in node.fields)
        elif isinstance(node, relay.TupleGetItem):
            memo[node] = memo[node.tuple_value][node.index]

    relay.analysis.post_order_visit(func.body, visit)
    return memo[func.body].numpy()


def _run_and_compare(mod, params, data, rtol=1e-4, atol=1e-5):
    out = _run(mod, params, [data]).numpy()
    out_type = mod["main"].checked_type.ret_type
    assert out.shape == tuple(int(d) for d in out_type.shape)
    assert np.isfinite(out).all()
    values = {k: v.numpy() for k, v in params.items()}
    values["data"] = data
    expected = _torch_eval(mod["main"], values)
    np.testing.assert_allclose(out, expected, rtol=rtol, atol=atol)
    return out


def _data(mod, seed=1):
    param = mod["main"].params[0]
    assert param.name_hint == "data"
    rng = np.random.RandomState(seed)
    return rng.uniform(-1, 1, size=param.checked_type.concrete_shape).astype(param.checked_type.dtype)


def _randomise_statistics(params, seed=2):
    """Batch-norm statistics other than 0/1, so that the test sees them used."""
    rng = np.random.RandomState(seed)
    for name, value in params.items():
        shape = value.shape
        if name.endswith("moving_var"):
            params[name] = tvm.nd.array(rng.uniform(0.5, 2.0, shape).astype(value.dtype))
        elif name.endswith(("moving_mean", "beta", "bias")):
            params[name] = tvm.nd.array(rng.uniform(-0.2, 0.2, shape).astype(value.dtype))
        elif name.endswith("gamma"):
            params[name] = tvm.nd.array(rng.uniform(0.5, 1.5, shape).astype(value.dtype))
    return params


# ---------------------------------------------------------------- mlp


def test_mlp_workload():
    mod, params = testing.mlp.get_workload(batch_size=2, num_classes=5, image_shape=(1, 6, 6))
    _check_workload(mod, params, (2, 5))
    assert {k: v.shape for k, v in params.items()} == {
        "fc1_weight": (128, 36), "fc1_bias": (128,),
        "fc2_weight": (64, 128), "fc2_bias": (64,),
        "fc3_weight": (5, 64), "fc3_bias": (5,),
    }


def test_mlp_runs_as_numpy():
    mod, params = testing.mlp.get_workload(batch_size=2, num_classes=5, image_shape=(1, 6, 6))
    params = _randomise_statistics(params)
    data = _data(mod)
    out = _run(mod, params, [data]).numpy()
    p = {k: v.numpy().astype("float64") for k, v in params.items()}
    x = data.reshape(2, -1).astype("float64")
    x = np.maximum(x @ p["fc1_weight"].T + p["fc1_bias"], 0)
    x = np.maximum(x @ p["fc2_weight"].T + p["fc2_bias"], 0)
    x = x @ p["fc3_weight"].T + p["fc3_bias"]
    x = np.exp(x - x.max(axis=1, keepdims=True))
    np.testing.assert_allclose(out, x / x.sum(axis=1, keepdims=True), rtol=1e-5, atol=1e-6)


# ---------------------------------------------------------------- resnet


def test_resnet18_architecture():
    main = _typed_main(testing.resnet.get_net(1, 1000, num_layers=18))
    counts = _count_ops(main)
    # 17 convolutions on the main path plus a 1x1 shortcut in each stage's first unit.
    assert counts["nn.conv2d"] == 21 and counts["add"] == 8 and counts["nn.dense"] == 1
    assert _num_weights(main) == 11699892


def test_resnet50_architecture():
    main = _typed_main(testing.resnet.get_net(1, 1000, num_layers=50))
    counts = _count_ops(main)
    assert counts["nn.conv2d"] == 1 + 16 * 3 + 4 and counts["add"] == 16
    assert _num_weights(main) == 25595060


@pytest.mark.parametrize("layout,image_shape", [("NCHW", (3, 32, 32)), ("NHWC", (32, 32, 3))])
def test_resnet18_workload(layout, image_shape):
    mod, params = testing.resnet.get_workload(
        batch_size=1, num_classes=10, num_layers=18, image_shape=image_shape, layout=layout
    )
    _check_workload(mod, params, (1, 10))
    # 32 pixels: the 3x3 stem of small images, then four stages (64..512 channels).
    assert params["conv0_weight"].shape == ((64, 3, 3, 3) if layout == "NCHW" else (3, 3, 3, 64))
    last = params["stage4_unit2_conv2_weight"].shape
    assert last == ((512, 512, 3, 3) if layout == "NCHW" else (3, 3, 512, 512))
    assert params["fc1_weight"].shape == (10, 512)


def test_resnet_cifar_workload():
    mod, params = testing.resnet.get_workload(
        batch_size=1, num_classes=10, num_layers=8, image_shape=(3, 8, 8)
    )
    _check_workload(mod, params, (1, 10))
    # 6n+2 layers: three stages of n basic units, 16/32/64 channels.
    assert params["stage3_unit1_conv1_weight"].shape == (64, 32, 3, 3)
    assert "stage1_unit2_conv1_weight" not in params
    assert _count_ops(mod["main"])["nn.conv2d"] == 1 + 3 * 2 + 3


def test_resnet_bottleneck_cifar_workload():
    mod, params = testing.resnet.get_workload(1, 10, num_layers=164, image_shape=(3, 8, 8))
    _check_workload(mod, params, (1, 10))
    assert params["stage1_unit1_conv1_weight"].shape == (16, 16, 1, 1)
    assert params["stage3_unit18_conv3_weight"].shape == (256, 64, 1, 1)


def test_resnet_cifar_runs_as_torch():
    mod, params = testing.resnet.get_workload(1, 10, num_layers=8, image_shape=(3, 8, 8))
    _run_and_compare(mod, _randomise_statistics(params), _data(mod))


def test_resnet_layouts_agree():
    """NHWC with the kernels transposed to HWIO computes what NCHW computes."""
    nchw, params = testing.resnet.get_workload(1, 10, num_layers=8, image_shape=(3, 8, 8))
    nhwc, _ = testing.resnet.get_workload(1, 10, num_layers=8, image_shape=(8, 8, 3), layout="NHWC")
    params = _randomise_statistics(params)
    moved = _to_nhwc(params)
    data = _data(nchw)
    a = _run(nchw, params, [data]).numpy()
    b = _run(nhwc, moved, [data.transpose(0, 2, 3, 1)]).numpy()
    np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)


def test_resnet18_imagenet_stem_runs_as_torch():
    # Above 32 pixels: the 7x7 stride-2 stem, batch norm, ReLU and a padded max pool.
    mod, params = testing.resnet.get_workload(1, 10, num_layers=18, image_shape=(3, 40, 40))
    assert _count_ops(mod["main"])["nn.max_pool2d"] == 1
    _run_and_compare(mod, _randomise_statistics(params), _data(mod))


def _to_nhwc(params, depthwise=()):
    """NCHW-layout parameters moved to NHWC: OIHW kernels to HWIO (and IOHW to HWOI,
    the same permutation), depthwise OIHW kernels to HWOI."""
    moved = {}
    for name, value in params.items():
        arr = value.numpy()
        if arr.ndim == 4:
            arr = arr.transpose((2, 3, 0, 1) if name in depthwise else (2, 3, 1, 0))
        moved[name] = tvm.nd.array(np.ascontiguousarray(arr))
    return moved


def test_resnet_errors():
    with pytest.raises(ValueError, match="num_layers=19"):
        testing.resnet.get_workload(num_layers=19, image_shape=(3, 64, 64))
    with pytest.raises(ValueError, match="num_layers=18.*6n\\+2"):
        testing.resnet.get_workload(num_layers=18, image_shape=(3, 28, 28))
    with pytest.raises(ValueError, match="'NCWH'"):
        testing.resnet.get_workload(layout="NCWH")


# ---------------------------------------------------------------- mobilenet


def test_mobilenet_architecture():
    main = _typed_main(testing.mobilenet.mobile_net())
    counts = _count_ops(main)
    assert counts["nn.conv2d"] == 27 and counts["nn.batch_norm"] == 27
    # 4,231,976 trainable weights plus 21,888 batch-norm statistics.
    assert _num_weights(main) == 4253864
    depthwise = []
    relay.analysis.post_order_visit(
        main, lambda n: depthwise.append(n) if isinstance(n, relay.Call)
        and getattr(n.op, "name", "") == "nn.conv2d" and int(n.attrs.groups) > 1 else None)
    assert len(depthwise) == 13


@pytest.mark.parametrize("layout,image_shape", [("NCHW", (3, 32, 32)), ("NHWC", (32, 32, 3))])
def test_mobilenet_workload(layout, image_shape):
    mod, params = testing.mobilenet.get_workload(1, 10, image_shape, layout=layout)
    _check_workload(mod, params, (1, 10))
    depthwise = params["separable_conv_block_1_weight"].shape
    assert depthwise == ((32, 1, 3, 3) if layout == "NCHW" else (3, 3, 32, 1))
    # Batch norm normalises the channels whatever the layout.
    assert params["conv_block_1_bn_gamma"].shape == (32,)
    assert params["separable_conv_block_13_bn2_gamma"].shape == (1024,)


def test_mobilenet_runs_as_torch():
    mod, params = testing.mobilenet.get_workload(1, 10, (3, 32, 32))
    _run_and_compare(mod, _randomise_statistics(params), _data(mod))


def test_mobilenet_layouts_agree():
    # The shallow variant (8 separable blocks) at a quarter of the width, to keep it quick.
    def workload(layout, shape):
        net = testing.mobilenet.mobile_net(10, shape, alpha=0.25, is_shallow=True, layout=layout)
        return testing.create_workload(net)

    nchw, params = workload("NCHW", (1, 3, 32, 32))
    nhwc, _ = workload("NHWC", (1, 32, 32, 3))
    assert params["separable_conv_block_8_conv2_weight"].shape == (256, 256, 1, 1)
    params = _randomise_statistics(params)
    depthwise = {f"separable_conv_block_{i}_weight" for i in range(1, 9)}
    data = _data(nchw)
    a = _run(nchw, params, [data]).numpy()
    b = _run(nhwc, _to_nhwc(params, depthwise), [data.transpose(0, 2, 3, 1)]).numpy()
    np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)


def test_mobilenet_errors():
    with pytest.raises(ValueError, match="'NCHWc'"):
        testing.mobilenet.separable_conv_block(relay.var("x"), "b", 4, 4, layout="NCHWc")


# ---------------------------------------------------------------- vgg


@pytest.mark.parametrize("num_layers,convs", [(11, 8), (13, 10), (16, 13), (19, 16)])
def test_vgg_architecture(num_layers, convs):
    main = _typed_main(testing.vgg.get_net(1, (3, 224, 224), 1000, "float32", num_layers))
    counts = _count_ops(main)
    assert counts["nn.conv2d"] == convs and counts["nn.dense"] == 3
    assert "nn.batch_norm" not in counts
    if num_layers == 16:
        assert _num_weights(main) == 138357544


@pytest.mark.parametrize("batch_norm", [False, True])
def test_vgg_workload(batch_norm):
    mod, params = testing.vgg.get_workload(1, 10, (3, 32, 32), num_layers=11, batch_norm=batch_norm)
    _check_workload(mod, params, (1, 10))
    assert params["fc6_weight"].shape == (4096, 512)
    assert params["conv5_2_weight"].shape == (512, 512, 3, 3)
    assert ("bn5_2_gamma" in params) == batch_norm


def test_vgg_runs_as_torch():
    mod, params = testing.vgg.get_workload(1, 10, (3, 32, 32), num_layers=11, batch_norm=True)
    _run_and_compare(mod, _randomise_statistics(params), _data(mod))


def test_vgg_errors():
    with pytest.raises(ValueError, match="num_layers 12"):
        testing.vgg.get_workload(1, num_layers=12)


# ---------------------------------------------------------------- squeezenet


@pytest.mark.parametrize("version,weights", [("1.0", 1248424), ("1.1", 1235496)])
def test_squeezenet_architecture(version, weights):
    main = _typed_main(testing.squeezenet.get_net(1, (3, 224, 224), 1000, version, "float32"))
    counts = _count_ops(main)
    assert counts["nn.conv2d"] == 26 and counts["concatenate"] == 8
    assert _num_weights(main) == weights


@pytest.mark.parametrize("version", ["1.0", "1.1"])
def test_squeezenet_workload(version):
    mod, params = testing.squeezenet.get_workload(1, 10, version, (3, 32, 32))
    _check_workload(mod, params, (1, 10))
    assert params["fire8_right_conv_weight"].shape == (256, 64, 3, 3)
    assert params["conv_final_weight"].shape == (10, 512, 1, 1)


def test_squeezenet_runs_as_torch():
    mod, params = testing.squeezenet.get_workload(1, 10, "1.1", (3, 32, 32))
    _run_and_compare(mod, _randomise_statistics(params), _data(mod))


def test_squeezenet_errors():
    with pytest.raises(ValueError, match="'1.2'"):
        testing.squeezenet.get_workload(version="1.2")


# ---------------------------------------------------------------- densenet


def test_densenet_workload():
    mod, params = testing.densenet.get_workload(121, classes=10, batch_size=1)
    _check_workload(mod, params, (1, 10))
    counts = _count_ops(mod["main"])
    # Stem, two per dense layer (6 + 12 + 24 + 16), one per transition.
    assert counts["nn.conv2d"] == 1 + 2 * 58 + 3
    assert counts["concatenate"] == 4
    assert params["conv2d_2_3_15_weight"].shape == (32, 128, 3, 3)
    assert params["conv_t_0_weight"].shape == (128, 192, 1, 1)


def test_densenet_runs_as_torch():
    # A narrow DenseNet (8 initial features, growth 4, one layer a block): the 7x7 pool
    # at the end needs the full 224-pixel image.
    net = testing.densenet._make_dense_net(8, 4, [1, 1, 1, 1], (1, 3, 224, 224), "float32",
                                           bn_size=2, classes=5)
    mod, params = testing.create_workload(net)
    _check_workload(mod, params, (1, 5))
    _run_and_compare(mod, _randomise_statistics(params), _data(mod))


def test_densenet_errors():
    with pytest.raises(ValueError, match="densenet_size 120"):
        testing.densenet.get_workload(120)


# ---------------------------------------------------------------- inception v3


def test_inception_v3_workload():
    mod, params = testing.inception_v3.get_workload(batch_size=1, num_classes=10)
    _check_workload(mod, params, (1, 10))
    counts = _count_ops(mod["main"])
    assert counts["nn.conv2d"] == 94 and counts["concatenate"] == 11
    assert params["mixed_10_tower_1_mixed_conv_1_conv1_weight"].shape == (384, 384, 3, 1)
    assert params["fc1_weight"].shape == (10, 2048)
    assert params["fc2_bias"].shape == (10,)


def test_inception_modules_run_as_torch():
    # The full network needs 299-pixel images; its modules alone run on a 9x9 map
    # (factorised 1x7/7x1 and 1x3/3x1 kernels, padded average pools, grid reductions).
    x = relay.var("data", shape=(1, 6, 9, 9))
    m = testing.inception_v3
    body = m.Inception7A(x, 2, 2, 3, 3, 2, 3, "avg", 2, "a")
    body = m.Inception7C(body, 2, 2, 2, 3, 2, 2, 2, 2, 3, "avg", 2, "c")
    body = m.Inception7E(body, 2, 2, 2, 2, 2, 2, 2, 2, "max", 2, "e")
    body = relay.concatenate(
        [m.Inception7B(body, 3, 2, 2, 3, "max", "b"), m.Inception7D(body, 2, 3, 2, 2, 2, 3, "max", "d")],
        axis=1,
    )
    mod, params = testing.create_workload(relay.Function(relay.analysis.free_vars(body), body))
    # Channels: 7A 10, 7C 10, 7E 12; 7B and 7D each 3 + 3 + 12.
    _check_workload(mod, params, (1, 36, 4, 4))
    _run_and_compare(mod, _randomise_statistics(params), _data(mod))


def test_inception_v3_pooling_error():
    with pytest.raises(ValueError, match="'min'"):
        testing.inception_v3.Pooling(relay.var("x"), (3, 3), (1, 1), (0, 0), "min", "p")


# ---------------------------------------------------------------- dcgan


@pytest.mark.parametrize("layout", ["NCHW", "NHWC"])
def test_dcgan_workload(layout):
    mod, params = testing.dcgan.get_workload(1, ngf=4, random_len=8, layout=layout)
    _check_workload(mod, params, (1, 3, 64, 64) if layout == "NCHW" else (1, 64, 64, 3))
    assert params["dense_weight"].shape == (4 * 4 * 32, 8)
    assert params["g2_deconv_weight"].shape == ((32, 16, 4, 4) if layout == "NCHW" else (4, 4, 16, 32))
    assert params["g5_deconv_weight"].shape == ((4, 3, 4, 4) if layout == "NCHW" else (4, 4, 3, 4))


def test_dcgan_runs_as_torch():
    mod, params = testing.dcgan.get_workload(2, ngf=4, random_len=8)
    out = _run_and_compare(mod, _randomise_statistics(params), _data(mod))
    assert np.abs(out).max() <= 1.0


def test_dcgan_layouts_agree():
    ngf, code = 4, 8
    nchw, params = testing.dcgan.get_workload(1, ngf=ngf, random_len=code)
    nhwc, _ = testing.dcgan.get_workload(1, ngf=ngf, random_len=code, layout="NHWC")
    params = _randomise_statistics(params)
    moved = _to_nhwc(params)
    # The dense layer's outputs are read as (C, 4, 4) in NCHW and (4, 4, C) in NHWC.
    w = params["dense_weight"].numpy().reshape(ngf * 8, 4, 4, code).transpose(1, 2, 0, 3)
    moved["dense_weight"] = tvm.nd.array(np.ascontiguousarray(w.reshape(-1, code)))
    data = _data(nchw)
    a = _run(nchw, params, [data]).numpy()
    b = _run(nhwc, moved, [data]).numpy()
    np.testing.assert_allclose(a.transpose(0, 2, 3, 1), b, rtol=1e-4, atol=1e-6)


def test_dcgan_errors():
    with pytest.raises(ValueError, match="64x64"):
        testing.dcgan.get_workload(1, oshape=(3, 32, 32))
    with pytest.raises(ValueError, match="'NCWH'"):
        testing.dcgan.get_workload(1, layout="NCWH")


# ---------------------------------------------------------------- lstm


def test_lstm_workload():
    mod, params = testing.lstm.get_workload(iterations=3, num_hidden=4, batch_size=2)
    _check_workload(mod, params, (2, 4))
    main = mod["main"]
    assert [p.name_hint for p in main.params].count("data") == 3
    assert params["i2h_2_weight"].shape == (16, 4) and params["h2h_0_bias"].shape == (16,)


def test_lstm_cell_type():
    cell = testing.lstm.lstm_cell(5, batch_size=3)
    mod = relay.transform.InferType()(tvm.IRModule.from_expr(cell))
    h = relay.TensorType((3, 5), "float32")
    expected = relay.TupleType([h, relay.TupleType([h, h])])
    tvm.ir.assert_structural_equal(mod["main"].checked_type.ret_type, expected)


def test_lstm_runs_as_numpy():
    steps, hidden, batch = 2, 4, 2
    mod, params = testing.lstm.get_workload(steps, hidden, batch)
    params = _randomise_statistics(params)
    rng = np.random.RandomState(3)
    xs = [rng.uniform(-1, 1, (batch, hidden)).astype("float32") for _ in range(steps)]
    names = [p.name_hint for p in mod["main"].params if p.name_hint != "data"]
    # Positional arguments in main's parameter order (the step inputs share a name).
    args, step = [], 0
    for p in mod["main"].params:
        if p.name_hint == "data":
            args.append(xs[step])
            step += 1
        else:
            args.append(params[p.name_hint])
    out = relay.create_executor("debug", mod, tvm.cpu(), "llvm").evaluate()(*args).numpy()
    assert len(names) == 4 * steps
    p = {k: v.numpy().astype("float64") for k, v in params.items()}

    def sigmoid(v):
        return 1 / (1 + np.exp(-v))

    h = c = np.zeros((batch, hidden))
    for i, x in enumerate(xs):
        gates = (x @ p[f"i2h_{i}_weight"].T + p[f"i2h_{i}_bias"]
                 + h @ p[f"h2h_{i}_weight"].T + p[f"h2h_{i}_bias"])
        gi, gf, gg, go = np.split(gates, 4, axis=1)
        c = sigmoid(gf) * c + sigmoid(gi) * np.tanh(gg)
        h = sigmoid(go) * np.tanh(c)
    np.testing.assert_allclose(out, h, rtol=1e-5, atol=1e-6)


def test_lstm_errors():
    with pytest.raises(ValueError, match="iterations must be at least 1, got 0"):
        testing.lstm.get_net(0, 4)


# ---------------------------------------------------------------- synthetic


def test_synthetic_workload():
    mod, params = testing.synthetic.get_workload()
    _check_workload(mod, params, (1, 3, 24, 12))
    # Constant initialisation: each weight sums to 1.
    np.testing.assert_allclose(params["dense_weight"].numpy(), np.full((12, 12), 1 / 144.0))
    np.testing.assert_allclose(params["conv2_weight"].numpy().sum(), 1.0, rtol=1e-6)
    assert params["bias"].shape == (3,) and params["batch_norm_moving_var"].shape == (3,)


def test_synthetic_weight_dtype():
    mod, params = testing.synthetic.get_workload((1, 2, 4, 4), dtype="float16", wtype="float16")
    _check_workload(mod, params, (1, 2, 4, 4), "float16")
    assert params["conv_weight"].dtype == "float16"


def test_synthetic_runs_as_torch():
    mod, params = testing.synthetic.get_workload((1, 2, 6, 4))
    _run_and_compare(mod, _randomise_statistics(params), _data(mod))


# ---------------------------------------------------------------- resnet_3d


def test_resnet3d_architecture():
    main = _typed_main(testing.resnet_3d.get_net(1, 400, num_layers=18))
    counts = _count_ops(main)
    assert counts["nn.conv3d"] == 21 and "nn.max_pool3d" not in counts
    assert main.params[1].name_hint == "bn_data_gamma"
    assert relay.analysis.count_layers(main, ["nn.conv3d", "nn.dense"]) == 18


@pytest.mark.parametrize("layout,image_shape", [("NCDHW", (3, 4, 8, 8)), ("NDHWC", (4, 8, 8, 3))])
def test_resnet3d_workload(layout, image_shape):
    mod, params = testing.resnet_3d.get_workload(1, 10, num_layers=8, image_shape=image_shape,
                                                 layout=layout)
    _check_workload(mod, params, (1, 10))
    stem = params["conv0_weight"].shape
    assert stem == ((16, 3, 3, 3, 3) if layout == "NCDHW" else (3, 3, 3, 3, 16))
    assert params["stage3_unit1_sc_weight"].shape[-1 if layout == "NDHWC" else 0] == 64


def test_resnet3d_imagenet_stem():
    mod, params = testing.resnet_3d.get_workload(1, 10, num_layers=18, image_shape=(3, 2, 40, 40))
    _check_workload(mod, params, (1, 10))
    assert params["conv0_weight"].shape == (64, 3, 3, 7, 7)


def test_resnet3d_runs_as_torch():
    mod, params = testing.resnet_3d.get_workload(1, 10, num_layers=8, image_shape=(3, 4, 6, 6))
    _run_and_compare(mod, _randomise_statistics(params), _data(mod))


def test_resnet3d_errors():
    with pytest.raises(ValueError, match="'NCHW'"):
        testing.resnet_3d.get_workload(layout="NCHW")
    with pytest.raises(ValueError, match="num_layers=20"):
        testing.resnet_3d.get_workload(num_layers=20)


# ---------------------------------------------------------------- dqn


@pytest.mark.parametrize("layout,image_shape", [("NCHW", (4, 84, 84)), ("NHWC", (84, 84, 4))])
def test_dqn_workload(layout, image_shape):
    mod, params = testing.dqn.get_workload(2, num_actions=6, image_shape=image_shape, layout=layout)
    _check_workload(mod, params, (2, 6))
    # 84 -> 20 -> 9 -> 7: the first dense layer reads 64 * 7 * 7 features.
    assert params["dense1_weight"].shape == (512, 3136)
    assert params["conv3_bias"].shape == (64,)


def test_dqn_architecture():
    main = _typed_main(testing.dqn.get_net(1))
    # The published network: 1,693,362 weights for 18 actions.
    assert _num_weights(main) == 1693362


def test_dqn_runs_as_torch():
    mod, params = testing.dqn.get_workload(1, num_actions=4, image_shape=(2, 36, 36))
    _run_and_compare(mod, _randomise_statistics(params), _data(mod))


# ---------------------------------------------------------------- all


def test_workloads_are_deterministic():
    first = testing.mobilenet.get_workload(1, 10, (3, 32, 32))[1]
    second = testing.mobilenet.get_workload(1, 10, (3, 32, 32))[1]
    assert sorted(first) == sorted(second)
    for name, value in first.items():
        np.testing.assert_array_equal(value.numpy(), second[name].numpy())
    net = testing.mobilenet.mobile_net(num_classes=10, data_shape=(1, 3, 32, 32))
    other = testing.create_workload(net, seed=1)[1]
    assert not np.array_equal(other["conv_block_1_conv_weight"].numpy(),
                              first["conv_block_1_conv_weight"].numpy())
