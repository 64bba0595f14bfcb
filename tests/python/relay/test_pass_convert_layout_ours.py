"""relay.transform.ConvertLayout: the exact converted graphs, numeric equality of converted random
networks, and errors naming what the user wrote."""
import numpy as np
import pytest

import tvm
from tvm import relay


def convert(func, desired):
    mod = tvm.IRModule.from_expr(func)
    seq = tvm.transform.Sequential([relay.transform.InferType(), relay.transform.ConvertLayout(desired),
                                    relay.transform.InferType()])
    with tvm.transform.PassContext(opt_level=3):
        return seq(mod)


def nhwc_net():
    x = relay.var("x", shape=(1, 8, 8, 4))
    w1 = relay.var("w1", shape=(3, 3, 4, 8))
    b1 = relay.var("b1", shape=(8,))
    w2 = relay.var("w2", shape=(3, 3, 8, 8))
    y = relay.nn.conv2d(x, w1, padding=(1, 1), channels=8, kernel_size=(3, 3), data_layout="NHWC",
                        kernel_layout="HWIO")
    y = relay.nn.relu(relay.nn.bias_add(y, b1, axis=3))
    y = relay.nn.max_pool2d(y, pool_size=(2, 2), strides=(2, 2), layout="NHWC")
    y = relay.nn.conv2d(y, w2, padding=(1, 1), channels=8, kernel_size=(3, 3), data_layout="NHWC",
                        kernel_layout="HWIO")
    return relay.Function([x, w1, b1, w2], y)


def test_nhwc_to_nchw_exact_graph():
    got = convert(nhwc_net(), {"nn.conv2d": ["NCHW", "default"]})
    x = relay.var("x", shape=(1, 8, 8, 4))
    w1 = relay.var("w1", shape=(3, 3, 4, 8))
    b1 = relay.var("b1", shape=(8,))
    w2 = relay.var("w2", shape=(3, 3, 8, 8))
    y = relay.nn.conv2d(relay.layout_transform(x, "NHWC", "NCHW"), relay.layout_transform(w1, "HWIO", "OIHW"),
                        padding=(1, 1), channels=8, kernel_size=(3, 3))
    bias = relay.layout_transform(relay.expand_dims(b1, axis=0, num_newaxis=3), "NHWC", "NCHW")
    y = relay.nn.relu(relay.add(y, bias))
    y = relay.nn.max_pool2d(y, pool_size=(2, 2), strides=(2, 2))
    y = relay.nn.conv2d(y, relay.layout_transform(w2, "HWIO", "OIHW"), padding=(1, 1), channels=8,
                        kernel_size=(3, 3))
    y = relay.layout_transform(y, "NCHW", "NHWC")
    want = relay.transform.InferType()(tvm.IRModule.from_expr(relay.Function([x, w1, b1, w2], y)))
    tvm.ir.assert_structural_equal(got["main"], want["main"])


def run(mod, args):
    return relay.create_executor("graph", mod=mod, target="llvm").evaluate()(*args).numpy()


def random_net(rng, layout, kernel_layout):
    """A random chain of convolutions with bias, relu, residual adds, pools and a concatenate."""
    channel_axis = layout.index("C")
    shape = {"N": 1, "C": 3, "H": 12, "W": 12}
    x = relay.var("x", shape=[shape[a] for a in layout])
    params, values = [x], []
    y, channels = x, 3
    for i in range(int(rng.integers(2, 4))):
        out = int(rng.choice([4, 8, 12]))
        k = int(rng.choice([1, 3]))
        wshape = {"O": out, "I": channels, "H": k, "W": k}
        w = relay.var(f"w{i}", shape=[wshape[a] for a in kernel_layout])
        b = relay.var(f"b{i}", shape=(out,))
        params += [w, b]
        conv = relay.nn.conv2d(y, w, padding=(k // 2, k // 2), channels=out, kernel_size=(k, k), data_layout=layout,
                               kernel_layout=kernel_layout)
        z = relay.nn.relu(relay.nn.bias_add(conv, b, axis=channel_axis))
        if channels == out and rng.random() < 0.5:
            z = relay.add(z, y)
        if rng.random() < 0.3:
            z = relay.concatenate([z, z], axis=channel_axis)
            out *= 2
        y, channels = z, out
    y = relay.nn.avg_pool2d(y, pool_size=(2, 2), strides=(2, 2), layout=layout)
    func = relay.Function(params, y)
    mod = relay.transform.InferType()(tvm.IRModule.from_expr(func))
    for p in mod["main"].params:
        values.append(rng.standard_normal([int(d) for d in p.checked_type.shape]).astype("float32"))
    return func, values


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("src, src_kernel, dst", [("NHWC", "HWIO", "NCHW"), ("NCHW", "OIHW", "NHWC")])
def test_random_networks_compute_the_same(seed, src, src_kernel, dst):
    rng = np.random.default_rng(seed)
    func, values = random_net(rng, src, src_kernel)
    before = relay.transform.InferType()(tvm.IRModule.from_expr(func))
    after = convert(func, {"nn.conv2d": [dst, "default"]})
    convs = []
    relay.analysis.post_order_visit(after["main"], lambda e: convs.append(e) if isinstance(e, relay.Call) and
                                    getattr(e.op, "name", "") == "nn.conv2d" else None)
    assert convs and all(str(c.attrs.data_layout) == dst for c in convs)
    # Layout transforms only at the boundaries: the input, each weight, each bias and the result.
    transforms = []
    relay.analysis.post_order_visit(after["main"], lambda e: transforms.append(e) if isinstance(e, relay.Call) and
                                    getattr(e.op, "name", "") == "layout_transform" else None)
    assert len(transforms) <= 2 + 2 * len(convs)
    np.testing.assert_allclose(run(after, values), run(before, values), rtol=1e-5, atol=1e-5)


def test_kernel_layout_given_and_no_change_when_already_there():
    func = nhwc_net()
    got = convert(func, {"nn.conv2d": ["NCHW", "OHWI"]})
    kernels = []
    relay.analysis.post_order_visit(got["main"], lambda e: kernels.append(str(e.attrs.kernel_layout))
                                    if isinstance(e, relay.Call) and getattr(e.op, "name", "") == "nn.conv2d"
                                    else None)
    assert kernels == ["OHWI", "OHWI"]
    same = convert(func, {"nn.conv2d": ["NHWC", "HWIO"]})
    tvm.ir.assert_structural_equal(same["main"], relay.transform.InferType()(tvm.IRModule.from_expr(func))["main"])


def test_operator_without_a_conversion_is_left_alone():
    """As TVM: desired layouts for an operator that registers no FTVMConvertOpLayout (nn.dense,
    nn.batch_norm) change nothing; the other operators asked for are still converted."""
    func = nhwc_net()
    same = convert(func, {"nn.dense": ["NC"], "nn.batch_norm": ["NCHW", "default"]})
    tvm.ir.assert_structural_equal(same["main"], relay.transform.InferType()(tvm.IRModule.from_expr(func))["main"])
    got = convert(func, {"nn.conv2d": ["NCHW", "default"], "nn.dense": ["NC"]})
    tvm.ir.assert_structural_equal(got["main"], convert(func, {"nn.conv2d": ["NCHW", "default"]})["main"])


def test_errors_name_what_was_written():
    func = nhwc_net()
    with pytest.raises(Exception, match="nn.not_an_op"):
        convert(func, {"nn.not_an_op": ["NC"]})
    with pytest.raises(TypeError, match="must be a list"):
        relay.transform.ConvertLayout({"nn.conv2d": "NCHW"})
    with pytest.raises(Exception, match="no default kernel layout for data layout NCWH"):
        convert(func, {"nn.conv2d": ["NCWH", "default"]})


def values_of(mod, seed=0):
    rng = np.random.default_rng(seed)
    return [rng.standard_normal([int(d) for d in p.checked_type.shape]).astype("float32") for p in mod["main"].params]


def test_conv2d_transpose_converted_with_its_input_transformed():
    x = relay.var("x", shape=(1, 5, 5, 4))
    w = relay.var("w", shape=(3, 3, 4, 6))
    y = relay.nn.conv2d_transpose(x, w, channels=6, kernel_size=(3, 3), strides=(2, 2), padding=(1, 1),
                                  data_layout="NHWC", kernel_layout="HWIO")
    func = relay.Function([x, w], relay.nn.relu(y))
    got = convert(func, {"nn.conv2d_transpose": ["NCHW", "IOHW"]})
    want = relay.nn.conv2d_transpose(relay.layout_transform(x, "NHWC", "NCHW"), relay.layout_transform(w, "HWIO", "IOHW"),
                                     channels=6, kernel_size=(3, 3), strides=(2, 2), padding=(1, 1))
    want = relay.layout_transform(relay.nn.relu(want), "NCHW", "NHWC")
    tvm.ir.assert_structural_equal(got["main"], relay.transform.InferType()(
        tvm.IRModule.from_expr(relay.Function([x, w], want)))["main"])
    before = relay.transform.InferType()(tvm.IRModule.from_expr(func))
    args = values_of(before)
    np.testing.assert_allclose(run(got, args), run(before, args), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("pool", ["max", "avg", "global_max", "global_avg", "adaptive_max", "adaptive_avg"])
def test_pools_take_the_layout_asked_for(pool):
    x = relay.var("x", shape=(1, 4, 8, 8))
    make = {"max": lambda y: relay.nn.max_pool2d(y, pool_size=(2, 2), strides=(2, 2)),
            "avg": lambda y: relay.nn.avg_pool2d(y, pool_size=(3, 3), padding=(1, 1)),
            "global_max": relay.nn.global_max_pool2d, "global_avg": relay.nn.global_avg_pool2d,
            "adaptive_max": lambda y: relay.nn.adaptive_max_pool2d(y, output_size=(3, 2)),
            "adaptive_avg": lambda y: relay.nn.adaptive_avg_pool2d(y, output_size=(3, 2))}[pool]
    func = relay.Function([x], relay.nn.relu(make(relay.nn.relu(x))))
    got = convert(func, {f"nn.{pool}_pool2d": ["NHWC"]})
    (call,) = calls_of(got, f"nn.{pool}_pool2d")
    assert (call.attrs.layout, call.attrs.out_layout) == ("NHWC", "NHWC")
    assert call.args[0].op.name == "layout_transform"
    before = relay.transform.InferType()(tvm.IRModule.from_expr(func))
    args = values_of(before)
    np.testing.assert_allclose(run(got, args), run(before, args), rtol=1e-6, atol=1e-6)


def calls_of(mod, name):
    found = []
    relay.analysis.post_order_visit(mod["main"], lambda e: found.append(e) if isinstance(e, relay.Call) and
                                    getattr(e.op, "name", "") == name else None)
    return found


def test_resize2d_converted():
    x = relay.var("x", shape=(1, 3, 5, 7))
    func = relay.Function([x], relay.image.resize2d(relay.nn.relu(x), (9, 4)))
    got = convert(func, {"image.resize2d": ["NHWC"]})
    want = relay.image.resize2d(relay.layout_transform(relay.nn.relu(x), "NCHW", "NHWC"), (9, 4), layout="NHWC")
    want = relay.Function([x], relay.layout_transform(want, "NHWC", "NCHW"))
    tvm.ir.assert_structural_equal(got["main"], relay.transform.InferType()(tvm.IRModule.from_expr(want))["main"])
    before = relay.transform.InferType()(tvm.IRModule.from_expr(func))
    args = values_of(before)
    np.testing.assert_allclose(run(got, args), run(before, args), rtol=1e-5, atol=1e-5)


def test_deformable_conv2d_converted_with_its_offsets():
    x = relay.var("x", shape=(1, 6, 6, 4))
    offset = relay.var("offset", shape=(1, 4, 4, 18))
    w = relay.var("w", shape=(3, 3, 4, 5))
    y = relay.nn.deformable_conv2d(x, offset, w, channels=5, kernel_size=(3, 3), data_layout="NHWC",
                                   kernel_layout="HWIO")
    func = relay.Function([x, offset, w], y)
    got = convert(func, {"nn.deformable_conv2d": ["NCHW", "default"]})
    (call,) = calls_of(got, "nn.deformable_conv2d")
    assert (call.attrs.data_layout, call.attrs.kernel_layout) == ("NCHW", "OIHW")
    assert [a.attrs.dst_layout for a in call.args] == ["NCHW", "NCHW", "OIHW"]
    before = relay.transform.InferType()(tvm.IRModule.from_expr(func))
    args = values_of(before)
    args[1] *= 0.5
    np.testing.assert_allclose(run(got, args), run(before, args), rtol=1e-4, atol=1e-4)


def test_blocked_conv2d_where_the_blocks_divide_the_channels():
    """NCHW4c asked for: the 3-channel input convolution stays, the next becomes
    nn.contrib_conv2d_NCHWc and the layout flows on through relu and the pool."""
    x = relay.var("x", shape=(1, 3, 8, 8))
    w1 = relay.var("w1", shape=(8, 3, 3, 3))
    w2 = relay.var("w2", shape=(8, 8, 1, 1))
    y = relay.nn.relu(relay.nn.conv2d(x, w1, padding=(1, 1), channels=8, kernel_size=(3, 3)))
    y = relay.nn.relu(relay.nn.conv2d(y, w2, channels=8, kernel_size=(1, 1)))
    func = relay.Function([x, w1, w2], relay.nn.max_pool2d(y, pool_size=(2, 2), strides=(2, 2)))
    got = convert(func, {"nn.conv2d": ["NCHW4c", "OIHW4i4o"]})
    assert len(calls_of(got, "nn.conv2d")) == 1
    (blocked,) = calls_of(got, "nn.contrib_conv2d_NCHWc")
    assert (blocked.attrs.data_layout, blocked.attrs.kernel_layout) == ("NCHW4c", "OIHW4i4o")
    (pool,) = calls_of(got, "nn.max_pool2d")
    assert pool.attrs.layout == "NCHW4c"
    before = relay.transform.InferType()(tvm.IRModule.from_expr(func))
    args = values_of(before)
    np.testing.assert_allclose(run(got, args), run(before, args), rtol=1e-4, atol=1e-4)
    with pytest.raises(Exception, match="kernel layout OIHW<i>i<o>o, got 'OIHW'"):
        convert(func, {"nn.conv2d": ["NCHW4c", "OIHW"]})


def test_layout_config_skips_the_listed_convolutions():
    func = nhwc_net()
    with relay.transform.LayoutConfig(skip_layers=[0]):
        got = convert(func, {"nn.conv2d": ["NCHW", "default"]})
    convs = calls_of(got, "nn.conv2d")
    # post order: the second convolution is visited last
    assert [str(c.attrs.data_layout) for c in convs] == ["NHWC", "NCHW"]
    assert relay.transform.LayoutConfig.current is None
    before = relay.transform.InferType()(tvm.IRModule.from_expr(func))
    args = values_of(before)
    np.testing.assert_allclose(run(got, args), run(before, args), rtol=1e-5, atol=1e-5)
    with relay.transform.LayoutConfig(skip_layers=[1]) as config:
        got = convert(func, {"nn.conv2d": ["NCHW", "default"]})
        assert config.skip_counter == 2
    assert [str(c.attrs.data_layout) for c in calls_of(got, "nn.conv2d")] == ["NCHW", "NHWC"]


def test_roi_align_converted_with_its_data_only():
    x = relay.var("x", shape=(1, 4, 12, 12))
    w = relay.var("w", shape=(6, 4, 3, 3))
    rois = relay.var("rois", shape=(3, 5))
    y = relay.nn.conv2d(x, w, padding=(1, 1), channels=6, kernel_size=(3, 3))
    func = relay.Function([x, w, rois], relay.vision.roi_align(y, rois, pooled_size=(4, 4), spatial_scale=0.5,
                                                               sample_ratio=2))
    got = convert(func, {"nn.conv2d": ["NHWC", "default"], "vision.roi_align": ["NHWC", "default"]})
    (call,) = calls_of(got, "vision.roi_align")
    assert call.attrs.layout == "NHWC" and isinstance(call.args[1], relay.Var)
    assert call.args[0].op.name == "nn.conv2d"
    before = relay.transform.InferType()(tvm.IRModule.from_expr(func))
    args = values_of(before)
    args[2] = np.array([[0, 1, 1, 9, 9], [0, 0, 2, 20, 14], [0, 3.5, 0, 7, 22]], "float32")
    np.testing.assert_allclose(run(got, args), run(before, args), rtol=1e-5, atol=1e-5)
