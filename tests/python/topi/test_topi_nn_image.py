# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""resize1d/2d/3d, upsampling, crop_and_resize against PyTorch and a per-element numpy reference."""
import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from tvm import te, topi
from tvm.topi.testing import run_op

torch.set_num_threads(2)
rng = np.random.default_rng(4)


def rand(*shape):
    return rng.uniform(-1, 1, size=shape).astype("float32")


def ph(a, name="X"):
    return te.placeholder(a.shape, name=name)


@pytest.mark.parametrize("size", [(7, 9), (3, 2), (1, 5)])
@pytest.mark.parametrize(
    "method,mode,torch_mode,align",
    [("nearest_neighbor", "asymmetric", "nearest", None),
     ("nearest_neighbor", "tf_half_pixel_for_nn", "nearest-exact", None),
     ("linear", "half_pixel", "bilinear", False),
     ("linear", "align_corners", "bilinear", True),
     ("cubic", "half_pixel", "bicubic", False),
     ("cubic", "align_corners", "bicubic", True)],
)
def test_resize2d_vs_torch(size, method, mode, torch_mode, align):
    x = rand(2, 3, 5, 4)
    X = ph(x)
    out = topi.image.resize2d(X, None, size, "NCHW", method, mode, bicubic_alpha=-0.75)
    kw = {} if align is None else {"align_corners": align}
    ref = F.interpolate(torch.tensor(x), size=size, mode=torch_mode, **kw).numpy()
    np.testing.assert_allclose(run_op(out, [X], [x]), ref, rtol=1e-5, atol=1e-5)


def test_resize_nhwc_1d_3d_vs_torch():
    x = rand(1, 6, 5, 3)
    X = ph(x)
    out = topi.image.resize2d(X, None, (9, 4), "NHWC", "linear", "pytorch_half_pixel")
    ref = F.interpolate(torch.tensor(x.transpose(0, 3, 1, 2)), size=(9, 4), mode="bilinear", align_corners=False)
    np.testing.assert_allclose(run_op(out, [X], [x]), ref.numpy().transpose(0, 2, 3, 1), rtol=1e-5, atol=1e-5)
    x1 = rand(2, 3, 7)
    X1 = ph(x1)
    out1 = topi.image.resize1d(X1, None, (11,), "NCW", "linear", "align_corners")
    ref1 = F.interpolate(torch.tensor(x1), size=11, mode="linear", align_corners=True).numpy()
    np.testing.assert_allclose(run_op(out1, [X1], [x1]), ref1, rtol=1e-5, atol=1e-5)
    x3 = rand(1, 2, 3, 4, 5)
    X3 = ph(x3)
    out3 = topi.image.resize3d(X3, None, (5, 3, 7), "NCDHW", "linear", "pytorch_half_pixel")
    ref3 = F.interpolate(torch.tensor(x3), size=(5, 3, 7), mode="trilinear", align_corners=False).numpy()
    np.testing.assert_allclose(run_op(out3, [X3], [x3]), ref3, rtol=1e-5, atol=1e-5)


def ref_coordinate(x, n_in, n_out, mode, start=0.0, end=1.0):
    scale = n_in / n_out
    if mode == "half_pixel":
        return (x + 0.5) * scale - 0.5
    if mode == "align_corners":
        return (n_in - 1) / (n_out - 1) * x if n_out > 1 else 0.0
    if mode == "asymmetric":
        return x * scale
    if mode == "pytorch_half_pixel":
        return (x + 0.5) * scale - 0.5 if n_out > 1 else 0.0
    if mode == "tf_half_pixel_for_nn":
        return (x + 0.5) * scale
    assert mode == "tf_crop_and_resize"
    if n_out > 1:
        return start * (n_in - 1) + x * (end - start) * (n_in - 1) / (n_out - 1)
    return 0.5 * (start + end) * (n_in - 1)


def ref_resize1d(row, n_out, method, mode, rounding, alpha, exclude, roi=(0.0, 1.0), extrapolation=0.0):
    """One row, per output element, as ONNX Resize describes it."""
    n_in = len(row)
    clamp = lambda i: row[min(max(i, 0), n_in - 1)]  # noqa: E731
    out = np.zeros(n_out, dtype="float64")
    for x in range(n_out):
        c = ref_coordinate(x, n_in, n_out, mode, *roi)
        if method == "nearest_neighbor":
            rounding_ = rounding or ("round" if mode == "align_corners" else "floor")
            # "round" takes halves away from zero, as TVM's tir.round (llvm.round).
            i = {"round": lambda v: math.floor(abs(v) + 0.5) * (1 if v >= 0 else -1),
                 "round_prefer_floor": lambda v: math.ceil(v - 0.5),
                 "round_prefer_ceil": lambda v: math.floor(v + 0.5),
                 "floor": lambda v: math.floor(v + 1e-5),
                 "ceil": lambda v: math.ceil(v - 1e-5)}[rounding_](c)
            v = clamp(i)
        elif method == "linear":
            i = math.floor(c)
            t = c - i
            v = clamp(i) * (1 - t) + clamp(i + 1) * t
        else:
            i = math.floor(c)
            t = c - i
            w = [alpha * (t**3 - 2 * t**2 + t), (alpha + 2) * t**3 - (alpha + 3) * t**2 + 1,
                 -(alpha + 2) * t**3 + (2 * alpha + 3) * t**2 - alpha * t, -alpha * t**3 + alpha * t**2]
            taps = [i - 1 + k for k in range(4)]
            if exclude:
                w = [0.0 if (j < 0 or j >= n_in) else wk for j, wk in zip(taps, w)]
                s = sum(w)
                w = [wk / s for wk in w]
            v = sum(clamp(j) * wk for j, wk in zip(taps, w))
        if mode == "tf_crop_and_resize" and (c < 0 or c > n_in - 1):
            v = extrapolation
        out[x] = v
    return out


MODES = ["half_pixel", "align_corners", "asymmetric", "pytorch_half_pixel", "tf_half_pixel_for_nn"]


@pytest.mark.parametrize("mode", MODES + ["tf_crop_and_resize"])
@pytest.mark.parametrize("method,rounding", [("nearest_neighbor", ""), ("nearest_neighbor", "round"),
                                             ("nearest_neighbor", "round_prefer_floor"),
                                             ("nearest_neighbor", "round_prefer_ceil"),
                                             ("nearest_neighbor", "ceil"), ("linear", ""), ("cubic", "")])
@pytest.mark.parametrize("n_out", [13, 4, 1])
def test_resize1d_modes_vs_reference(mode, method, rounding, n_out):
    x = rand(2, 2, 6)
    X = ph(x)
    roi = (0.1, 0.8) if mode == "tf_crop_and_resize" else None
    for exclude in ([0, 1] if method == "cubic" else [0]):
        out = topi.image.resize1d(X, roi, (n_out,), "NCW", method, mode, rounding, -0.5, exclude, -2.0)
        ref = np.stack([np.stack([ref_resize1d(r, n_out, method, mode, rounding, -0.5, exclude,
                                               roi or (0.0, 1.0), -2.0) for r in b]) for b in x])
        np.testing.assert_allclose(run_op(out, [X], [x]), ref, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("method", ["nearest_neighbor", "bilinear", "bicubic"])
@pytest.mark.parametrize("align_corners", [False, True])
def test_upsampling(method, align_corners):
    x = rand(1, 2, 3, 4)
    X = ph(x)
    out = topi.nn.upsampling(X, 2, 1.5, "NCHW", method, align_corners)
    assert [int(d) for d in out.shape] == [1, 2, 6, 6]
    nb = {"nearest_neighbor": "nearest_neighbor", "bilinear": "linear", "bicubic": "cubic"}[method]
    mode = "align_corners" if align_corners else "asymmetric"
    ref = np.zeros((1, 2, 6, 6))
    for c in range(2):
        rows = np.stack([ref_resize1d(r, 6, nb, mode, "", -0.5, 0) for r in x[0, c]])
        ref[0, c] = np.stack([ref_resize1d(col, 6, nb, mode, "", -0.5, 0) for col in rows.T]).T
    np.testing.assert_allclose(run_op(out, [X], [x]), ref, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("method", ["bilinear", "nearest_neighbor"])
def test_crop_and_resize(method):
    x = rand(3, 2, 6, 7)
    # No sample lands within float error of a rounding tie (float32 vs float64 would differ there).
    boxes = np.array([[0.0, 0.0, 1.0, 1.0], [0.2, 0.1, 0.75, 0.9], [-0.2, 0.3, 0.58, 1.25]], "float32")
    box_ind = np.array([2, 0, 1], "int32")
    X, B, I = ph(x), ph(boxes, "B"), te.placeholder((3,), "int32", "I")
    out = topi.image.crop_and_resize(X, B, I, (4, 5), "NCHW", method, extrapolation_value=-3.0)
    got = run_op(out, [X, B, I], [x, boxes, box_ind])
    nb = "linear" if method == "bilinear" else "nearest_neighbor"
    for b in range(3):
        y1, x1, y2, x2 = boxes[b].astype("float64")
        img = x[box_ind[b]]
        for c in range(2):
            rows = np.stack([ref_resize1d(r, 5, nb, "tf_crop_and_resize", "round", -0.5, 0, (x1, x2), np.nan)
                             for r in img[c]])
            ref = np.stack([ref_resize1d(col, 4, nb, "tf_crop_and_resize", "round", -0.5, 0, (y1, y2), np.nan)
                            for col in rows.T]).T
            ref = np.where(np.isnan(ref), -3.0, ref)
            np.testing.assert_allclose(got[b, c], ref, rtol=1e-5, atol=1e-5)


def test_resize_errors():
    X = te.placeholder((1, 2, 4, 4), name="X")
    with pytest.raises(ValueError, match='resize2d: unsupported coordinate_transformation_mode "bogus"'):
        topi.image.resize2d(X, None, (8, 8), coordinate_transformation_mode="bogus")
    with pytest.raises(ValueError, match='resize2d: unsupported method "area"'):
        topi.image.resize2d(X, None, (8, 8), method="area")
    with pytest.raises(ValueError, match='resize2d: unsupported rounding_method "up"'):
        topi.image.resize2d(X, None, (8, 8), method="nearest_neighbor", rounding_method="up")
    with pytest.raises(ValueError, match="resize: layout NCW does not match data of rank 4"):
        topi.image.resize1d(X, None, (8,))


def test_affine_grid():
    theta = rand(2, 2, 3)
    T = ph(theta, "T")
    got = run_op(topi.image.affine_grid(T, (5, 7)), [T], [theta])
    ref = F.affine_grid(torch.tensor(theta), (2, 1, 5, 7), align_corners=True).numpy()
    np.testing.assert_allclose(got, ref.transpose(0, 3, 1, 2), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("method", ["nearest", "bilinear", "bicubic"])
@pytest.mark.parametrize("padding_mode", ["zeros", "border", "reflection"])
@pytest.mark.parametrize("align_corners", [True, False])
def test_grid_sample_2d_3d(method, padding_mode, align_corners):
    x = rand(2, 3, 5, 6)
    # Coordinates beyond [-1, 1] exercise the padding modes; avoid exact rounding ties for nearest.
    grid = (rng.uniform(-1.7, 1.7, size=(2, 2, 4, 7)) + 1e-3).astype("float32")
    X, G = ph(x), ph(grid, "G")
    got = run_op(topi.image.grid_sample(X, G, method, "NCHW", padding_mode, align_corners), [X, G], [x, grid])
    ref = F.grid_sample(torch.tensor(x), torch.tensor(grid.transpose(0, 2, 3, 1)), mode=method,
                        padding_mode=padding_mode, align_corners=align_corners).numpy()
    np.testing.assert_allclose(got, ref, rtol=1e-5, atol=1e-5)
    if method == "bicubic":
        return  # PyTorch has no 3-d bicubic to compare with
    x3 = rand(1, 2, 3, 4, 5)
    grid3 = (rng.uniform(-1.5, 1.5, size=(1, 3, 2, 3, 4)) + 1e-3).astype("float32")
    X3, G3 = ph(x3), ph(grid3, "G3")
    got3 = run_op(topi.image.grid_sample(X3, G3, method, "NCDHW", padding_mode, align_corners), [X3, G3],
                  [x3, grid3])
    ref3 = F.grid_sample(torch.tensor(x3), torch.tensor(grid3.transpose(0, 2, 3, 4, 1)), mode=method,
                         padding_mode=padding_mode, align_corners=align_corners).numpy()
    np.testing.assert_allclose(got3, ref3, rtol=1e-5, atol=1e-5)


def test_grid_sample_errors():
    X = te.placeholder((1, 2, 4, 4), name="X")
    with pytest.raises(ValueError, match=r"grid_sample: grid \[1, 3, 4, 4\] must have 2 coordinates"):
        topi.image.grid_sample(X, te.placeholder((1, 3, 4, 4)))
    with pytest.raises(ValueError, match='grid_sample: padding_mode must be zeros, border or reflection, got "wrap"'):
        topi.image.grid_sample(X, te.placeholder((1, 2, 4, 4)), padding_mode="wrap")
