# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Per-converter numeric tests of relay.frontend.from_onnx against numpy."""
import numpy as np
import pytest
import onnx
import onnx.numpy_helper  # noqa: F401
from onnx import helper, TensorProto

from tvm import relay
from onnx_testing import check_node, make_model, run

rng = np.random.default_rng(0)


def rand(*shape, dtype="float32"):
    return rng.standard_normal(shape).astype(dtype)


def conv2d_ref(x, w, stride=1, pad=0, groups=1):
    n, c, h, wd = x.shape
    o, cg, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    oh, ow = (h + 2 * pad - kh) // stride + 1, (wd + 2 * pad - kw) // stride + 1
    out = np.zeros((n, o, oh, ow), "float64")
    og = o // groups
    for oc in range(o):
        gidx = oc // og
        for i in range(oh):
            for j in range(ow):
                patch = xp[:, gidx * cg:(gidx + 1) * cg, i * stride:i * stride + kh, j * stride:j * stride + kw]
                out[:, oc, i, j] = (patch * w[oc]).sum(axis=(1, 2, 3))
    return out.astype("float32")


def test_conv_bias_groups_pads():
    x, w, b = rand(1, 4, 7, 7), rand(6, 2, 3, 3), rand(6)
    ref = conv2d_ref(x, w, stride=2, pad=1, groups=2) + b.reshape(1, 6, 1, 1)
    check_node("Conv", {"x": x}, [ref], {"strides": [2, 2], "pads": [1, 1, 1, 1], "group": 2},
               initializers={"w": w, "b": b}, rtol=1e-4, atol=1e-4)


def test_conv_auto_pad_same_upper():
    x, w = rand(1, 2, 5, 5), rand(3, 2, 3, 3)
    ref = conv2d_ref(x, w, pad=1)
    check_node("Conv", {"x": x}, [ref], {"auto_pad": "SAME_UPPER"}, initializers={"w": w}, rtol=1e-4, atol=1e-4)


def test_conv_transpose_matches_torch():
    torch = pytest.importorskip("torch")
    x, w = rand(1, 3, 4, 4), rand(3, 2, 3, 3)
    ref = torch.nn.functional.conv_transpose2d(torch.tensor(x), torch.tensor(w), stride=2, padding=1,
                                               output_padding=1).numpy()
    check_node("ConvTranspose", {"x": x}, [ref], {"strides": [2, 2], "pads": [1, 1, 1, 1], "output_padding": [1, 1]},
               initializers={"w": w}, rtol=1e-4, atol=1e-4)


def test_gemm_trans_alpha_beta():
    a, b, c = rand(4, 3), rand(5, 4), rand(5)
    ref = 0.5 * a.T @ b.T + 2.0 * c
    check_node("Gemm", {"a": a, "b": b, "c": c}, [ref], {"transA": 1, "transB": 1, "alpha": 0.5, "beta": 2.0},
               rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("sa,sb", [((3, 4), (4, 5)), ((2, 3, 4), (4, 5)), ((2, 1, 3, 4), (5, 4, 2)), ((4,), (2, 4, 3)), ((2, 3, 4), (4,))])
def test_matmul_broadcast(sa, sb):
    a, b = rand(*sa), rand(*sb)
    check_node("MatMul", {"a": a, "b": b}, [np.matmul(a, b)], rtol=1e-5, atol=1e-5)


def test_batchnorm_inference():
    x = rand(2, 3, 4, 4)
    s, bb, m, v = rand(3), rand(3), rand(3), np.abs(rand(3)) + 0.5
    ref = (x - m.reshape(1, 3, 1, 1)) / np.sqrt(v.reshape(1, 3, 1, 1) + 1e-5) * s.reshape(1, 3, 1, 1) + bb.reshape(1, 3, 1, 1)
    check_node("BatchNormalization", {"x": x}, [ref], initializers={"s": s, "b": bb, "m": m, "v": v},
               rtol=1e-4, atol=1e-5)


def test_layer_norm_two_axes():
    x, s, b = rand(2, 3, 4), rand(3, 4), rand(3, 4)
    mean = x.mean(axis=(1, 2), keepdims=True)
    var = x.var(axis=(1, 2), keepdims=True)
    ref = (x - mean) / np.sqrt(var + 1e-5) * s + b
    check_node("LayerNormalization", {"x": x}, [ref], {"axis": 1}, opset=17, initializers={"s": s, "b": b},
               rtol=1e-4, atol=1e-5)


def _sig(x):
    return 1 / (1 + np.exp(-x))


ACTIVATIONS = [
    ("Relu", {}, lambda x: np.maximum(x, 0)),
    ("Sigmoid", {}, _sig),
    ("Tanh", {}, np.tanh),
    ("LeakyRelu", {"alpha": 0.2}, lambda x: np.where(x >= 0, x, 0.2 * x)),
    ("Elu", {"alpha": 0.7}, lambda x: np.where(x > 0, x, 0.7 * (np.exp(x) - 1))),
    ("Selu", {}, lambda x: 1.0507009873554805 * np.where(x > 0, x, 1.6732632423543772 * (np.exp(x) - 1))),
    ("HardSigmoid", {}, lambda x: np.clip(0.2 * x + 0.5, 0, 1)),
    ("HardSwish", {}, lambda x: x * np.clip(x / 6 + 0.5, 0, 1)),
    ("Softplus", {}, lambda x: np.log1p(np.exp(x))),
    ("Softsign", {}, lambda x: x / (1 + np.abs(x))),
    ("Erf", {}, None),
    ("Sqrt", {}, None),
    ("Exp", {}, np.exp),
]


@pytest.mark.parametrize("op,attrs,ref", ACTIVATIONS, ids=[a[0] for a in ACTIVATIONS])
def test_activation(op, attrs, ref):
    x = rand(3, 5)
    if op == "Erf":
        import math

        ref = np.vectorize(math.erf)
    if op == "Sqrt":
        x = np.abs(x)
        ref = np.sqrt
    check_node(op, {"x": x}, [ref(x).astype("float32")], attrs, opset=14, rtol=1e-4, atol=1e-5)


def test_max_and_average_pool():
    x = rand(1, 2, 6, 6)
    mx = x.reshape(1, 2, 3, 2, 3, 2).max(axis=(3, 5))
    av = x.reshape(1, 2, 3, 2, 3, 2).mean(axis=(3, 5))
    check_node("MaxPool", {"x": x}, [mx], {"kernel_shape": [2, 2], "strides": [2, 2]})
    check_node("AveragePool", {"x": x}, [av], {"kernel_shape": [2, 2], "strides": [2, 2]}, rtol=1e-5)
    check_node("GlobalAveragePool", {"x": x}, [x.mean(axis=(2, 3), keepdims=True)], rtol=1e-5)


def test_softmax_opset_versions_differ():
    """Opset 11 flattens to 2-D at axis; opset 13 normalises along axis alone."""
    x = rand(2, 3, 4)
    e = np.exp(x - x.max(axis=1, keepdims=True))
    check_node("Softmax", {"x": x}, [e / e.sum(axis=1, keepdims=True)], {"axis": 1}, opset=13, rtol=1e-5)
    flat = x.reshape(2, 12)
    e2 = np.exp(flat - flat.max(axis=1, keepdims=True))
    check_node("Softmax", {"x": x}, [(e2 / e2.sum(axis=1, keepdims=True)).reshape(2, 3, 4)], {"axis": 1}, opset=11,
               rtol=1e-5)


def test_shape_arithmetic_becomes_static():
    """Shape -> Gather -> Concat -> Reshape: the shape is resolved at import, no shape_of is left."""
    nodes = [
        helper.make_node("Shape", ["x"], ["s"]),
        helper.make_node("Gather", ["s", "i0"], ["d0"], axis=0),
        helper.make_node("Concat", ["d0", "m1"], ["newshape"], axis=0),
        helper.make_node("Reshape", ["x", "newshape"], ["y"]),
    ]
    inits = [onnx.numpy_helper.from_array(np.array([0], "int64"), "i0"),
             onnx.numpy_helper.from_array(np.array([-1], "int64"), "m1")]
    graph = helper.make_graph(nodes, "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 3, 4])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    mod, _ = relay.frontend.from_onnx(model)
    text = mod.astext()
    assert "shape_of" not in text and "concatenate" not in text and "reshape(%x, newshape=[2, -1])" in text
    assert mod["main"].body.checked_type == relay.TensorType([2, 12], "float32")
    x = rand(2, 3, 4)
    np.testing.assert_array_equal(run(model, {"x": x})[0], x.reshape(2, 12))


def test_transpose_concat_split():
    x, y = rand(2, 3), rand(2, 5)
    check_node("Transpose", {"x": x}, [x.T], {"perm": [1, 0]})
    check_node("Concat", {"x": x, "y": y}, [np.concatenate([x, y], 1)], {"axis": 1})
    z = rand(2, 6)
    check_node("Split", {"z": z}, [z[:, :2], z[:, 2:]], {"axis": 1}, initializers={"sp": np.array([2, 4], "int64")})


def test_slice_negative_steps_and_clamping():
    x = rand(5, 6)
    inits = {"st": np.array([-1, 1], "int64"), "en": np.array([-10**18, 100], "int64"),
             "ax": np.array([0, 1], "int64"), "sp": np.array([-2, 2], "int64")}
    check_node("Slice", {"x": x}, [x[-1::-2, 1:100:2]], initializers=inits)


def test_gather_family():
    x = rand(4, 5)
    idx = np.array([[0, -1], [2, 3]], "int64")
    check_node("Gather", {"x": x, "i": idx}, [np.take(x, np.where(idx < 0, idx + 5, idx), axis=1)], {"axis": 1})
    ie = np.array([[0, 1, 3, 2, 0]], "int64")
    check_node("GatherElements", {"x": x, "i": ie}, [np.take_along_axis(x, ie, 0)], {"axis": 0})
    ind = np.array([[1, 2], [3, 0]], "int64")
    check_node("GatherND", {"x": x, "i": ind}, [x[ind[:, 0], ind[:, 1]]])


def test_scatter_elements_add():
    x = np.zeros((3, 3), "float32")
    idx = np.array([[1, 0, 2], [1, 0, 2]], "int64")
    upd = np.ones((2, 3), "float32")
    ref = x.copy()
    np.add.at(ref, (idx, np.arange(3)[None, :].repeat(2, 0)), upd)
    check_node("ScatterElements", {"x": x, "i": idx, "u": upd}, [ref], {"axis": 0, "reduction": "add"}, opset=16)


def test_squeeze_unsqueeze_expand_where():
    x = rand(1, 3, 1)
    check_node("Squeeze", {"x": x}, [x.reshape(3)], initializers={"a": np.array([0, 2], "int64")})
    check_node("Unsqueeze", {"x": x}, [x.reshape(1, 1, 3, 1, 1)], initializers={"a": np.array([1, -1], "int64")})
    check_node("Expand", {"x": x}, [np.broadcast_to(x, (2, 3, 4))], initializers={"s": np.array([2, 1, 4], "int64")})
    c = rng.random((3, 1)) > 0.5
    a, b = rand(3, 4), rand(1, 4)
    check_node("Where", {"c": c, "a": a, "b": b}, [np.where(c, a, b)])


def test_resize_linear_and_nearest():
    x = rand(1, 1, 3, 4)
    scales = np.array([1, 1, 2, 2], "float32")
    y = check_node("Resize", {"x": x}, [np.repeat(np.repeat(x, 2, 2), 2, 3)], {"mode": "nearest"},
                   initializers={"roi": np.array([], "float32"), "sc": scales})
    # linear, asymmetric at scale 2: even outputs are the inputs
    y = run(make_model("Resize", {"x": x}, ["y"], {"mode": "linear", "coordinate_transformation_mode": "asymmetric"},
                       initializers={"roi": np.array([], "float32"), "sc": scales}), {"x": x})[0]
    np.testing.assert_allclose(y[:, :, ::2, ::2], x, rtol=1e-6)
    np.testing.assert_allclose(y[0, 0, 0, 1], (x[0, 0, 0, 0] + x[0, 0, 0, 1]) / 2, rtol=1e-5)


@pytest.mark.parametrize("op,ref", [("ReduceSum", np.sum), ("ReduceMean", np.mean), ("ReduceMax", np.max),
                                    ("ReduceProd", np.prod), ("ReduceL2", lambda x, axis, keepdims: np.sqrt((x * x).sum(axis=axis, keepdims=keepdims)))])
def test_reductions(op, ref):
    x = rand(2, 3, 4)
    if op == "ReduceSum":
        check_node(op, {"x": x}, [ref(x, axis=(1,), keepdims=False)], {"keepdims": 0},
                   initializers={"a": np.array([1], "int64")}, rtol=1e-5)
    else:
        check_node(op, {"x": x}, [ref(x, axis=(0, 2), keepdims=True)], {"axes": [0, -1]}, rtol=1e-5)


def test_cast_constant_of_shape_pad_clip_pow():
    x = rand(2, 3) * 3
    check_node("Cast", {"x": x}, [x.astype("int32")], {"to": TensorProto.INT32})
    check_node("ConstantOfShape", {}, [np.full((2, 3), 7, "int64")],
               {"value": onnx.numpy_helper.from_array(np.array([7], "int64"))},
               initializers={"s": np.array([2, 3], "int64")})
    check_node("Pad", {"x": x}, [np.pad(x, ((1, 0), (0, 2)), mode="reflect")], {"mode": "reflect"},
               initializers={"p": np.array([1, 0, 0, 2], "int64")})
    check_node("Clip", {"x": x}, [np.clip(x, -1, 0.5)], initializers={"lo": np.array(-1, "float32"), "hi": np.array(0.5, "float32")})
    check_node("Pow", {"x": np.abs(x), "e": np.array([2.0, 0.5, 3.0], "float32")},
               [np.abs(x) ** np.array([2.0, 0.5, 3.0], "float32")], rtol=1e-5)


def test_einsum_and_topk():
    a, b = rand(2, 3, 4), rand(2, 4, 5)
    check_node("Einsum", {"a": a, "b": b}, [np.einsum("bij,bjk->bik", a, b)], {"equation": "bij,bjk->bik"},
               opset=12, rtol=1e-5, atol=1e-5)
    x = rand(3, 6)
    idx = np.argsort(-x, axis=1, kind="stable")[:, :2]
    check_node("TopK", {"x": x}, [np.take_along_axis(x, idx, 1), idx.astype("int64")], {"axis": 1},
               initializers={"k": np.array([2], "int64")}, opset=11)


def test_quantize_dequantize():
    x = np.array([-1.0, 0.0, 0.25, 0.75, 1.25, 200.0], "float32")
    scale, zp = np.array(0.5, "float32"), np.array(10, "uint8")
    q = np.clip(np.rint(x / scale) + 10, 0, 255).astype("uint8")  # half to even
    check_node("QuantizeLinear", {"x": x}, [q], initializers={"s": scale, "z": zp})
    check_node("DequantizeLinear", {"q": q}, [(q.astype("float32") - 10) * 0.5], initializers={"s": scale, "z": zp})


def test_lstm_matches_torch():
    torch = pytest.importorskip("torch")
    seq, batch, inp, hid = 3, 2, 4, 5
    lstm = torch.nn.LSTM(inp, hid)
    x = rand(seq, batch, inp)
    ref, (h, c) = lstm(torch.tensor(x))
    wi, wh = lstm.weight_ih_l0.detach().numpy(), lstm.weight_hh_l0.detach().numpy()
    bi, bh = lstm.bias_ih_l0.detach().numpy(), lstm.bias_hh_l0.detach().numpy()

    def iofc(w):  # torch gates i, f, g, o -> ONNX i, o, f, c
        i, f, g_, o = np.split(w, 4, 0)
        return np.concatenate([i, o, f, g_], 0)

    inits = {"W": iofc(wi)[None], "R": iofc(wh)[None], "B": np.concatenate([iofc(bi), iofc(bh)])[None]}
    check_node("LSTM", {"x": x}, [ref.detach().numpy()[:, None], h.detach().numpy(), c.detach().numpy()],
               {"hidden_size": hid}, initializers=inits, rtol=1e-4, atol=1e-5)


def test_freeze_params_false_returns_params():
    x, w = rand(2, 3), rand(3, 4)
    model = make_model("MatMul", {"x": x}, ["y"], initializers={"w": w})
    mod, params = relay.frontend.from_onnx(model, freeze_params=False)
    assert set(params) == {"w"} and [p.name_hint for p in mod["main"].params] == ["x", "w"]
    np.testing.assert_allclose(params["w"].numpy(), w)
    out = relay.create_executor("debug", mod=mod, params=params).evaluate()(x)
    np.testing.assert_allclose(out.numpy(), x @ w, rtol=1e-5)


def test_chain_of_100000_nodes_imports():
    """No recursion per node, and shape queries stay cheap (types of converted values are reused)."""
    nodes, prev = [], "x"
    for i in range(100000):
        out = "v%d" % i
        nodes.append(helper.make_node("Flatten", [prev], [out], axis=1) if i % 2 else helper.make_node("Relu", [prev], [out]))
        prev = out
    graph = helper.make_graph(nodes, "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 3])],
                              [helper.make_tensor_value_info(prev, TensorProto.FLOAT, None)])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    mod, _ = relay.frontend.from_onnx(model)
    assert mod["main"].body.checked_type == relay.TensorType([2, 3], "float32")
