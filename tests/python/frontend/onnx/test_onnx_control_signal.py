# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""from_onnx: sampling (GridSample, RoiAlign, Resize by scale), signal (DFT), control flow
(If, Loop, Scan), MaxPool indices, Det, bfloat16 casts, against numpy/torch."""
import numpy as np
import pytest
import onnx
import onnx.numpy_helper  # noqa: F401
from onnx import helper, TensorProto

from onnx_testing import check_node, run

rng = np.random.default_rng(1)


def rand(*shape):
    return rng.standard_normal(shape).astype("float32")


@pytest.mark.parametrize("mode", ["bilinear", "nearest", "bicubic"])
@pytest.mark.parametrize("padding", ["zeros", "border", "reflection"])
@pytest.mark.parametrize("align", [0, 1])
def test_grid_sample_matches_torch(mode, padding, align):
    torch = pytest.importorskip("torch")
    x = rand(1, 2, 4, 5)
    grid = (rng.random((1, 3, 6, 2)) * 2.6 - 1.3).astype("float32")  # some samples outside
    ref = torch.nn.functional.grid_sample(torch.tensor(x), torch.tensor(grid), mode=mode, padding_mode=padding,
                                          align_corners=bool(align)).numpy()
    check_node("GridSample", {"x": x, "g": grid}, [ref], {"mode": mode, "padding_mode": padding, "align_corners": align},
               opset=16, rtol=1e-4, atol=1e-4)


def test_roi_align_matches_torchvision():
    tv = pytest.importorskip("torchvision")
    torch = pytest.importorskip("torch")
    x = rand(2, 3, 8, 8)
    rois = np.array([[0.5, 1.0, 6.0, 5.5], [2.0, 0.0, 7.5, 7.0]], "float32")
    bidx = np.array([1, 0], "int64")
    boxes = torch.tensor(np.concatenate([bidx[:, None].astype("float32"), rois], 1))
    ref = tv.ops.roi_align(torch.tensor(x), boxes, (3, 2), spatial_scale=0.5, sampling_ratio=2, aligned=True).numpy()
    check_node("RoiAlign", {"x": x, "r": rois, "b": bidx}, [ref],
               {"output_height": 3, "output_width": 2, "sampling_ratio": 2, "spatial_scale": 0.5}, opset=16,
               rtol=1e-4, atol=1e-5)


def test_resize_with_inexact_scale_uses_the_scale():
    x = np.arange(5, dtype="float32").reshape(1, 1, 1, 5)
    scales = np.array([1, 1, 1, 0.7], "float32")  # 5 * 0.7 = 3.5 -> 3 outputs, sampled at (i + 0.5) / 0.7 - 0.5
    xo = (np.arange(3) + 0.5) / 0.7 - 0.5
    ref = np.interp(xo, np.arange(5), x.reshape(-1)).reshape(1, 1, 1, 3).astype("float32")
    check_node("Resize", {"x": x}, [ref], {"mode": "linear"},
               initializers={"roi": np.array([], "float32"), "sc": scales}, rtol=1e-5)


@pytest.mark.parametrize("inverse", [0, 1])
def test_dft_matches_numpy(inverse):
    x = rand(2, 6, 3, 2)
    c = x[..., 0] + 1j * x[..., 1]
    r = np.fft.ifft(c, axis=1) if inverse else np.fft.fft(c, axis=1)
    ref = np.stack([r.real, r.imag], -1).astype("float32")
    check_node("DFT", {"x": x}, [ref], {"axis": 1, "inverse": inverse}, opset=17, rtol=1e-4, atol=1e-4)


def test_dft_onesided_real():
    x = rand(1, 8, 1)
    r = np.fft.rfft(x[..., 0], axis=1)
    check_node("DFT", {"x": x}, [np.stack([r.real, r.imag], -1).astype("float32")], {"axis": 1, "onesided": 1},
               opset=17, rtol=1e-4, atol=1e-4)


def test_max_pool_indices():
    x = rand(2, 3, 5, 5)
    windows = np.lib.stride_tricks.sliding_window_view(x, (2, 2), axis=(2, 3))[:, :, ::2, ::2]  # (2,3,2,2,2,2)
    vals = windows.max(axis=(4, 5))
    flat = windows.reshape(2, 3, 2, 2, 4).argmax(-1)
    oh, ow = np.meshgrid(np.arange(2), np.arange(2), indexing="ij")
    h = oh * 2 + flat // 2
    w = ow * 2 + flat % 2
    nc = np.arange(6).reshape(2, 3, 1, 1)
    idx = (nc * 25 + h * 5 + w).astype("int64")
    check_node("MaxPool", {"x": x}, [vals, idx], {"kernel_shape": [2, 2], "strides": [2, 2]}, opset=12)


def _graph(nodes, inputs, outputs, inits=()):
    g = helper.make_graph(nodes, "g", inputs, outputs, initializer=list(inits))
    return helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)])


def _vi(name, shape=None, t=TensorProto.FLOAT):
    return helper.make_tensor_value_info(name, t, shape)


def test_if_with_runtime_condition_selects():
    then_g = helper.make_graph([helper.make_node("Add", ["x", "x"], ["t"])], "then", [], [_vi("t")])
    else_g = helper.make_graph([helper.make_node("Neg", ["x"], ["e"])], "else", [], [_vi("e")])
    model = _graph([helper.make_node("If", ["c"], ["y"], then_branch=then_g, else_branch=else_g)],
                   [_vi("c", [], TensorProto.BOOL), _vi("x", [3])], [_vi("y")])
    x = rand(3)
    np.testing.assert_allclose(run(model, {"c": np.array(True), "x": x})[0], 2 * x)
    np.testing.assert_allclose(run(model, {"c": np.array(False), "x": x})[0], -x)


def test_loop_unrolled_with_scan_output():
    body = helper.make_graph(
        [helper.make_node("Identity", ["cond_in"], ["cond_out"]),
         helper.make_node("Cast", ["i"], ["fi"], to=TensorProto.FLOAT),
         helper.make_node("Add", ["acc_in", "fi"], ["acc_out"]),
         helper.make_node("Mul", ["acc_out", "x"], ["scan"])],
        "body", [_vi("i", [], TensorProto.INT64), _vi("cond_in", [], TensorProto.BOOL), _vi("acc_in", [2])],
        [_vi("cond_out", [], TensorProto.BOOL), _vi("acc_out", [2]), _vi("scan", [2])])
    inits = [onnx.numpy_helper.from_array(np.array(4, "int64"), "M"),
             onnx.numpy_helper.from_array(np.array(True), "c")]
    model = _graph([helper.make_node("Loop", ["M", "c", "a0"], ["acc", "scans"], body=body)],
                   [_vi("a0", [2]), _vi("x", [2])], [_vi("acc"), _vi("scans")], inits)
    a0, x = rand(2), rand(2)
    acc, scans = run(model, {"a0": a0, "x": x})
    ref_scans, a = [], a0.copy()
    for i in range(4):
        a = a + i
        ref_scans.append(a * x)
    np.testing.assert_allclose(acc, a, rtol=1e-6)
    np.testing.assert_allclose(scans, np.stack(ref_scans), rtol=1e-6)


def test_scan_cumulative_sum_reverse():
    body = helper.make_graph([helper.make_node("Add", ["s_in", "v"], ["s_out"]),
                              helper.make_node("Identity", ["s_out"], ["o"])],
                             "body", [_vi("s_in", [2]), _vi("v", [2])], [_vi("s_out", [2]), _vi("o", [2])])
    node = helper.make_node("Scan", ["s0", "xs"], ["s", "os"], body=body, num_scan_inputs=1,
                            scan_input_directions=[1])
    model = _graph([node], [_vi("s0", [2]), _vi("xs", [4, 2])], [_vi("s"), _vi("os")])
    s0, xs = rand(2), rand(4, 2)
    s, os_ = run(model, {"s0": s0, "xs": xs})
    ref = s0 + np.cumsum(xs[::-1], 0)
    np.testing.assert_allclose(os_, ref, rtol=1e-5)
    np.testing.assert_allclose(s, ref[-1], rtol=1e-5)


def test_det_and_einsum_ellipsis():
    x = rand(3, 4, 4)
    check_node("Det", {"x": x}, [np.linalg.det(x).astype("float32")], opset=11, rtol=1e-4, atol=1e-4)
    y = rand(2, 3, 4, 4)
    check_node("Einsum", {"y": y}, [np.einsum("...ii->...i", y)], {"equation": "...ii->...i"}, opset=12)


def test_bfloat16_round_trip():
    x = np.array([1.0, -2.5, 3.14159, 1e-3], "float32")
    node1 = helper.make_node("Cast", ["x"], ["b"], to=TensorProto.BFLOAT16)
    node2 = helper.make_node("Cast", ["b"], ["y"], to=TensorProto.FLOAT)
    model = _graph([node1, node2], [_vi("x", [4])], [_vi("y")])
    ref = (x.view("uint32") & 0xFFFF0000).view("float32")  # truncated to bfloat16
    np.testing.assert_array_equal(run(model, {"x": x})[0], ref)


def test_tfidf_counts_unigrams_and_skip_bigrams():
    x = np.array([[1, 2, 1, 3, 2, 1]], "int64")
    # pool: unigrams 1, 2 ; bigrams (1, 3), (2, 1)
    attrs = {"mode": "TF", "min_gram_length": 1, "max_gram_length": 2, "max_skip_count": 1,
             "ngram_counts": [0, 2], "ngram_indexes": [0, 1, 2, 3], "pool_int64s": [1, 2, 1, 3, 2, 1]}
    # bigram (1,3): skip 0 at 2-3; skip 1 at 0-2? (1,1) no -> 1 ; (2,1): skip 0 at 1-2, 4-5; skip 1 at 1-3? (2,3) no -> 2
    ref = np.array([[3, 2, 1, 2]], "float32")
    check_node("TfIdfVectorizer", {"x": x}, [ref], attrs, opset=9)
