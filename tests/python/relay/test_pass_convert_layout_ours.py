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


def test_errors_name_what_was_written():
    func = nhwc_net()
    with pytest.raises(ValueError, match="nn.dense has no layout conversion"):
        convert(func, {"nn.dense": ["NC"]})
    with pytest.raises(TypeError, match="must be a list"):
        relay.transform.ConvertLayout({"nn.conv2d": "NCHW"})
    with pytest.raises(Exception, match="no default kernel layout for data layout NCWH"):
        convert(func, {"nn.conv2d": ["NCWH", "default"]})
