"""ConvertLayout / AlterOpLayout through the operators that name axes in their attributes
(reductions, squeeze, transpose, strided_slice, split, topk, slice_like, the normalisations,
upsampling and resize): the exact rewritten graphs, and the converted networks computing what
the original ones compute."""
import numpy as np
import pytest

import tvm
from tvm import relay


def infer(func):
    return relay.transform.InferType()(tvm.IRModule.from_expr(func))


def convert(func, desired):
    seq = tvm.transform.Sequential([relay.transform.InferType(), relay.transform.ConvertLayout(desired),
                                    relay.transform.InferType()])
    with tvm.transform.PassContext(opt_level=3):
        return seq(tvm.IRModule.from_expr(func))


def run(mod, args):
    with tvm.transform.PassContext(opt_level=0):
        out = relay.create_executor("graph", mod=mod, target="llvm").evaluate()(*args)
    if isinstance(out, (list, tuple)) or hasattr(out, "__len__") and not hasattr(out, "numpy"):
        return [o.numpy() for o in out]
    return [out.numpy()]


def calls(mod, name):
    found = []
    relay.analysis.post_order_visit(mod["main"], lambda e: found.append(e) if isinstance(e, relay.Call) and
                                    getattr(e.op, "name", "") == name else None)
    return found


def nhwc_conv(channels=8, size=6):
    x = relay.var("x", shape=(1, size, size, 4))
    w = relay.var("w", shape=(3, 3, 4, channels))
    y = relay.nn.conv2d(x, w, padding=(1, 1), channels=channels, kernel_size=(3, 3), data_layout="NHWC",
                        kernel_layout="HWIO")
    return x, w, relay.nn.relu(y)


def nchw_conv(channels=8, size=6):
    x = relay.var("x", shape=(1, 4, size, size))
    w = relay.var("w", shape=(channels, 4, 3, 3))
    y = relay.nn.conv2d(x, w, padding=(1, 1), channels=channels, kernel_size=(3, 3))
    return x, w, relay.nn.relu(y)


def to_nchw(x, w):
    return relay.layout_transform(x, "NHWC", "NCHW"), relay.layout_transform(w, "HWIO", "OIHW")


def nchw_conv_of(x, w, channels=8):
    return relay.nn.relu(relay.nn.conv2d(x, w, padding=(1, 1), channels=channels, kernel_size=(3, 3)))


def assert_graph(got, want_func):
    tvm.ir.assert_structural_equal(got["main"], infer(want_func)["main"])


def test_reduction_axes_renamed_and_result_unchanged():
    x, w, y = nhwc_conv()
    got = convert(relay.Function([x, w], relay.sum(y, axis=[1, 2])), {"nn.conv2d": ["NCHW", "default"]})
    xt, wt = to_nchw(x, w)
    assert_graph(got, relay.Function([x, w], relay.sum(nchw_conv_of(xt, wt), axis=[2, 3])))


def test_reduction_keepdims_stays_converted():
    x, w, y = nhwc_conv()
    got = convert(relay.Function([x, w], relay.mean(y, axis=[3], keepdims=True)),
                  {"nn.conv2d": ["NCHW", "default"]})
    xt, wt = to_nchw(x, w)
    want = relay.layout_transform(relay.mean(nchw_conv_of(xt, wt), axis=[1], keepdims=True), "NCHW", "NHWC")
    assert_graph(got, relay.Function([x, w], want))


def test_squeeze_drops_the_axis_from_both_layouts():
    x = relay.var("x", shape=(1, 1, 1, 4))
    w = relay.var("w", shape=(1, 1, 4, 8))
    y = relay.nn.conv2d(x, w, channels=8, kernel_size=(1, 1), data_layout="NHWC", kernel_layout="HWIO")
    got = convert(relay.Function([x, w], relay.squeeze(y, axis=[-3])), {"nn.conv2d": ["NCHW", "default"]})
    xt, wt = to_nchw(x, w)
    want = relay.nn.conv2d(xt, wt, channels=8, kernel_size=(1, 1))
    want = relay.layout_transform(relay.squeeze(want, axis=[2]), "NCW", "NWC")
    assert_graph(got, relay.Function([x, w], want))
    # No axis list: the original's extent-1 axes, named.
    got = convert(relay.Function([x, w], relay.squeeze(y)), {"nn.conv2d": ["NCHW", "default"]})
    want = relay.squeeze(relay.nn.conv2d(xt, wt, channels=8, kernel_size=(1, 1)), axis=[0, 2, 3])
    assert_graph(got, relay.Function([x, w], want))


def test_transpose_goes_straight_to_the_original_result():
    x, w, y = nhwc_conv()
    got = convert(relay.Function([x, w], relay.transpose(y, axes=[0, 3, 1, 2])), {"nn.conv2d": ["NCHW", "default"]})
    xt, wt = to_nchw(x, w)
    assert_graph(got, relay.Function([x, w], relay.transpose(nchw_conv_of(xt, wt), axes=[0, 1, 2, 3])))


def test_strided_slice_written_out_and_axes_form_kept():
    x, w, y = nhwc_conv()
    func = relay.Function([x, w], relay.strided_slice(y, begin=[0, 1], end=[1, -1, 5], strides=[1, 2]))
    got = convert(func, {"nn.conv2d": ["NCHW", "default"]})
    xt, wt = to_nchw(x, w)
    want = relay.strided_slice(nchw_conv_of(xt, wt), begin=[0, 0, 1, 0], end=[1, 8, -1, 5], strides=[1, 1, 2, 1])
    assert_graph(got, relay.Function([x, w], relay.layout_transform(want, "NCHW", "NHWC")))

    func = relay.Function([x, w], relay.strided_slice(y, begin=[2], end=[6], axes=[3]))
    got = convert(func, {"nn.conv2d": ["NCHW", "default"]})
    want = relay.strided_slice(nchw_conv_of(xt, wt), begin=[2], end=[6], axes=[1])
    assert_graph(got, relay.Function([x, w], relay.layout_transform(want, "NCHW", "NHWC")))


def test_batch_norm_fields():
    x, w, y = nhwc_conv()
    params = [relay.var(n, shape=(8,)) for n in ("gamma", "beta", "mean", "var")]
    bn = relay.nn.batch_norm(y, *params, axis=3)
    got = convert(relay.Function([x, w] + params, relay.nn.relu(bn[0])), {"nn.conv2d": ["NCHW", "default"]})
    xt, wt = to_nchw(x, w)
    want = relay.nn.relu(relay.nn.batch_norm(nchw_conv_of(xt, wt), *params, axis=1)[0])
    assert_graph(got, relay.Function([x, w] + params, relay.layout_transform(want, "NCHW", "NHWC")))


def test_blocked_sum_over_the_split_axis():
    """ConvertLayout to NCHW4c: summing over C sums C and c, keeping a sub-axis of 1."""
    x, w, y = nchw_conv()
    got = convert(relay.Function([x, w], relay.sum(y, axis=[1], keepdims=True)),
                  {"nn.conv2d": ["NCHW4c", "OIHW4i4o"]})
    sums = calls(got, "sum")
    assert len(sums) == 1 and [int(a) for a in sums[0].attrs.axis] == [1, 4]
    assert [int(d) for d in sums[0].checked_type.shape] == [1, 1, 6, 6, 1]
    last = got["main"].body
    assert last.op.name == "layout_transform" and (last.attrs.src_layout, last.attrs.dst_layout) == ("NCHW1c",
                                                                                                      "NCHW")


def test_blocked_strided_slice_at_whole_blocks():
    x, w, y = nchw_conv(channels=16)
    func = relay.Function([x, w], relay.strided_slice(y, begin=[4], end=[12], axes=[1]))
    got = convert(func, {"nn.conv2d": ["NCHW4c", "OIHW4i4o"]})
    (sliced,) = calls(got, "strided_slice")
    assert [int(v) for v in sliced.attrs.begin] == [1] and [int(v) for v in sliced.attrs.end] == [3]
    assert [int(v) for v in sliced.attrs.axes] == [1]
    # Not at whole blocks: transformed back first.
    func = relay.Function([x, w], relay.strided_slice(y, begin=[2], end=[12], axes=[1]))
    got = convert(func, {"nn.conv2d": ["NCHW4c", "OIHW4i4o"]})
    (sliced,) = calls(got, "strided_slice")
    assert sliced.args[0].op.name == "layout_transform" and sliced.args[0].attrs.dst_layout == "NCHW"


def tail_ops(channel_axis, rank4_layout):
    """(name, f(y) -> expr) for y a rank-4 activation in `rank4_layout`, 8 channels."""
    c, h, w = (rank4_layout.index(a) for a in "CHW")
    return [
        ("sum_hw", lambda y: relay.sum(y, axis=[h, w])),
        ("mean_c_keep", lambda y: relay.mean(y, axis=[c], keepdims=True)),
        ("max_exclude_c", lambda y: relay.max(y, axis=[c], exclude=True)),
        ("min_all_keep", lambda y: relay.min(y, keepdims=True)),
        ("prod_w", lambda y: relay.prod(relay.sigmoid(y), axis=[w])),
        ("argmax_c", lambda y: relay.argmax(y, axis=[c])),
        ("argmin_h_keep", lambda y: relay.argmin(y, axis=[h], keepdims=True)),
        # flat indices over several axes depend on the axes' order
        ("argmax_all", lambda y: relay.argmax(y)),
        ("argmax_c_h", lambda y: relay.argmax(y, axis=[c, h])),
        ("argmin_w_c_keep", lambda y: relay.argmin(y, axis=[w, c], keepdims=True)),
        ("argmax_exclude_n", lambda y: relay.argmax(y, axis=[0], exclude=True)),
        ("variance_hw", lambda y: relay.variance(y, axis=[h, w], keepdims=True)),
        ("std_c", lambda y: relay.std(y, axis=[c])),
        ("transpose", lambda y: relay.transpose(y, axes=[0, 2, 3, 1])),
        ("transpose_default", lambda y: relay.transpose(y)),
        ("slice_full_rank", lambda y: relay.strided_slice(y, begin=[0, 1, 1], end=[1, 7, -1], strides=[1, 2, 1])),
        ("slice_neg_stride", lambda y: relay.strided_slice(y, begin=[0, 5], end=[1, 0], strides=[1, -1])),
        ("slice_axes_c", lambda y: relay.strided_slice(y, begin=[4], end=[8], axes=[c])),
        ("slice_axes_hw", lambda y: relay.strided_slice(y, begin=[1, 0], end=[5, 3], strides=[2, 1], axes=[h, w])),
        ("split_c", lambda y: relay.concatenate(list(relay.split(y, 2, axis=c)), axis=h)),
        ("split_points_c", lambda y: relay.split(y, [4], axis=c).astuple()),
        ("split_h", lambda y: relay.split(y, [2, 5], axis=h).astuple()),
        ("topk_w", lambda y: relay.topk(y, k=2, axis=w).astuple()),
        ("topk_c_values", lambda y: relay.topk(y, k=3, axis=c, ret_type="values")),
        ("slice_like", lambda y: relay.slice_like(y, relay.sigmoid(y), axes=[h, w])),
        ("layer_norm_c", lambda y: relay.nn.layer_norm(y, relay.const(np.linspace(0.5, 1.5, 8).astype("float32")),
                                                       relay.const(np.linspace(-1, 1, 8).astype("float32")),
                                                       axis=c)),
        ("instance_norm", lambda y: relay.nn.instance_norm(y, relay.const(np.ones(8, "float32")),
                                                           relay.const(np.zeros(8, "float32")), axis=c)),
        ("l2_normalize_c", lambda y: relay.nn.l2_normalize(y, eps=1e-6, axis=[c])),
        ("batch_norm_whole", lambda y: relay.nn.batch_norm(
            y, *[relay.const(np.linspace(0.5, 2.0, 8).astype("float32")) for _ in range(4)], axis=c).astuple()),
        ("upsampling", lambda y: relay.nn.upsampling(y, scale_h=2, scale_w=2, layout=rank4_layout)),
        ("resize2d", lambda y: relay.image.resize2d(y, (9, 4), layout=rank4_layout, method="linear")),
        ("squeeze_then_add", lambda y: relay.add(relay.squeeze(relay.sum(y, axis=[h], keepdims=True), axis=[h]),
                                                relay.const(1.0))),
    ]


CONVERSIONS = [
    ("NHWC", "HWIO", {"nn.conv2d": ["NCHW", "default"]}),
    ("NCHW", "OIHW", {"nn.conv2d": ["NHWC", "default"]}),
    ("NCHW", "OIHW", {"nn.conv2d": ["NCHW4c", "OIHW4i4o"]}),
]


@pytest.mark.parametrize("layout, kernel_layout, desired", CONVERSIONS, ids=["nhwc2nchw", "nchw2nhwc", "nchw2nchw4c"])
@pytest.mark.parametrize("op_index", range(len(tail_ops(1, "NCHW"))))
def test_converted_networks_compute_the_same(layout, kernel_layout, desired, op_index):
    name, tail = tail_ops(layout.index("C"), layout)[op_index]
    shape = {"N": 1, "C": 4, "H": 6, "W": 6}
    wshape = {"O": 8, "I": 4, "H": 3, "W": 3}
    x = relay.var("x", shape=[shape[a] for a in layout])
    w = relay.var("w", shape=[wshape[a] for a in kernel_layout])
    y = relay.nn.conv2d(x, w, padding=(1, 1), channels=8, kernel_size=(3, 3), data_layout=layout,
                        kernel_layout=kernel_layout)
    y = relay.nn.relu(y)
    func = relay.Function([x, w], tail(y))
    before = infer(func)
    after = convert(func, desired)
    rng = np.random.default_rng(op_index)
    args = [rng.standard_normal([int(d) for d in p.checked_type.shape]).astype("float32")
            for p in before["main"].params]
    want, got = run(before, args), run(after, args)
    assert len(want) == len(got), name
    for a, b in zip(got, want):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-4, err_msg=name)


def test_reduced_over_the_split_axis_broadcasts_as_it_is():
    """A mean over C kept as NCHW1c broadcasts against NCHW4c without transforms, whichever side
    it is on, and variance reads it so; only the input, the weight and the result are transformed."""
    x, w, y = nchw_conv()
    m = relay.mean(y, axis=[1], keepdims=True)
    out = relay.divide(relay.subtract(m, y), relay.sqrt(relay.add(relay.variance(y, axis=[1], keepdims=True),
                                                                  relay.const(1e-5))))
    func = relay.Function([x, w], out)
    got = convert(func, {"nn.conv2d": ["NCHW4c", "OIHW4i4o"]})
    transforms = [(c.attrs.src_layout, c.attrs.dst_layout) for c in calls(got, "layout_transform")]
    assert sorted(transforms) == [("NCHW", "NCHW4c"), ("NCHW4c", "NCHW"), ("OIHW", "OIHW4i4o")]
    (sub,) = calls(got, "subtract")
    assert [int(d) for d in sub.checked_type.shape] == [1, 2, 6, 6, 4]
    before = infer(func)
    rng = np.random.default_rng(5)
    args = [rng.standard_normal([int(d) for d in p.checked_type.shape]).astype("float32")
            for p in before["main"].params]
    np.testing.assert_allclose(run(got, args)[0], run(before, args)[0], rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("method", ["nearest_neighbor", "bilinear", "bicubic"])
@pytest.mark.parametrize("align_corners", [False, True])
def test_blocked_upsampling_computes_as_nchw(method, align_corners):
    """nn.upsampling in NCHW4c (where the layout now flows) against NCHW, through relay.build at
    opt_level 3 with the layout transforms around it."""
    x = relay.var("x", shape=(2, 8, 5, 7))
    plain = relay.nn.upsampling(x, 2, 1.5, method=method, align_corners=align_corners)
    blocked = relay.nn.upsampling(relay.layout_transform(x, "NCHW", "NCHW4c"), 2, 1.5, layout="NCHW4c",
                                  method=method, align_corners=align_corners)
    blocked = relay.layout_transform(blocked, "NCHW4c", "NCHW")
    value = np.random.default_rng(1).standard_normal((2, 8, 5, 7)).astype("float32")

    def build_run(expr):
        with tvm.transform.PassContext(opt_level=3):
            ex = relay.create_executor("graph", mod=tvm.IRModule.from_expr(relay.Function([x], expr)), target="llvm")
            return ex.evaluate()(value).numpy()

    want = build_run(plain)
    assert want.shape == (2, 8, 10, 11)
    np.testing.assert_allclose(build_run(blocked), want, rtol=1e-6, atol=1e-6)
