# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""image.resize1d/2d/3d run end to end in the debug executor, against PyTorch and numpy."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F

import tvm
from tvm import relay

RNG = np.random.default_rng(9)


def run_resize(builder, x, size, **kwargs):
    v = relay.var("x", shape=x.shape)
    mod = tvm.IRModule.from_expr(relay.Function([v], builder(v, size, **kwargs)))
    return relay.create_executor("debug", mod, tvm.cpu(), "llvm").evaluate()(x).numpy()


def torch_resize(x, size, mode, align_corners=None):
    kwargs = {} if mode.startswith("nearest") else {"align_corners": align_corners}
    return F.interpolate(torch.tensor(x), size=size, mode=mode, **kwargs).numpy()


@pytest.mark.parametrize("size", [(7, 9), (3, 2), (4, 5)])
@pytest.mark.parametrize("mode,align", [("half_pixel", False), ("align_corners", True)])
def test_resize2d_linear(size, mode, align):
    x = RNG.standard_normal((2, 3, 4, 5)).astype("float32")
    out = run_resize(relay.image.resize2d, x, size, method="linear", coordinate_transformation_mode=mode)
    np.testing.assert_allclose(out, torch_resize(x, size, "bilinear", align), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("size", [(7, 9), (3, 3)])
@pytest.mark.parametrize("mode,align", [("half_pixel", False), ("align_corners", True)])
def test_resize2d_cubic(size, mode, align):
    # PyTorch's bicubic is the cubic convolution with a = -0.75 and no exclusion.
    x = RNG.standard_normal((1, 2, 5, 6)).astype("float32")
    out = run_resize(relay.image.resize2d, x, size, method="cubic", coordinate_transformation_mode=mode,
                     cubic_alpha=-0.75)
    np.testing.assert_allclose(out, torch_resize(x, size, "bicubic", align), rtol=1e-5, atol=1e-5)


def test_resize2d_nearest_asymmetric_and_nhwc():
    x = RNG.standard_normal((1, 3, 4, 5)).astype("float32")
    out = run_resize(relay.image.resize2d, x, (8, 7), method="nearest_neighbor",
                     coordinate_transformation_mode="asymmetric")
    np.testing.assert_array_equal(out, torch_resize(x, (8, 7), "nearest"))
    xh = x.transpose(0, 2, 3, 1).copy()
    out = run_resize(relay.image.resize2d, xh, (3, 9), layout="NHWC", method="linear",
                     coordinate_transformation_mode="half_pixel")
    ref = torch_resize(x, (3, 9), "bilinear", False).transpose(0, 2, 3, 1)
    np.testing.assert_allclose(out, ref, rtol=1e-5, atol=1e-5)


def _nearest_1d(x, out_size, mode, rounding):
    """numpy: nearest-neighbour resize of the last axis."""
    n = x.shape[-1]
    o = np.arange(out_size, dtype="float64")
    scale = out_size / n
    coord = {"asymmetric": o / scale, "half_pixel": (o + 0.5) / scale - 0.5,
             "align_corners": o * (n - 1) / (out_size - 1) if out_size > 1 else 0 * o,
             "tf_half_pixel_for_nn": (o + 0.5) / scale}[mode]
    index = {"floor": np.floor, "ceil": np.ceil, "round_prefer_floor": lambda c: np.ceil(c - 0.5),
             "round_prefer_ceil": lambda c: np.floor(c + 0.5)}[rounding](coord)
    return x[..., np.clip(index.astype(int), 0, n - 1)]


@pytest.mark.parametrize("mode", ["asymmetric", "half_pixel", "align_corners", "tf_half_pixel_for_nn"])
@pytest.mark.parametrize("rounding", ["floor", "ceil", "round_prefer_floor", "round_prefer_ceil"])
def test_resize1d_nearest_rounding(mode, rounding):
    x = RNG.standard_normal((2, 3, 7)).astype("float32")
    for size in (4, 11):
        out = run_resize(relay.image.resize1d, x, (size,), method="nearest_neighbor",
                         coordinate_transformation_mode=mode, rounding_method=rounding)
        np.testing.assert_array_equal(out, _nearest_1d(x, size, mode, rounding))


@pytest.mark.parametrize("mode,align", [("half_pixel", False), ("align_corners", True)])
def test_resize1d_linear_and_cubic(mode, align):
    x = RNG.standard_normal((2, 3, 6)).astype("float32")
    out = run_resize(relay.image.resize1d, x, (10,), method="linear", coordinate_transformation_mode=mode)
    np.testing.assert_allclose(out, torch_resize(x, (10,), "linear", align), rtol=1e-5, atol=1e-5)
    # cubic along one axis: the 2-d PyTorch bicubic of a height-1 image
    out = run_resize(relay.image.resize1d, x, (10,), method="cubic", coordinate_transformation_mode=mode,
                     cubic_alpha=-0.75)
    ref = torch_resize(x[:, :, None, :], (1, 10), "bicubic", align)[:, :, 0, :]
    np.testing.assert_allclose(out, ref, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("mode,align", [("half_pixel", False), ("align_corners", True)])
def test_resize3d_linear(mode, align):
    x = RNG.standard_normal((1, 2, 3, 4, 5)).astype("float32")
    out = run_resize(relay.image.resize3d, x, (5, 3, 7), method="linear", coordinate_transformation_mode=mode)
    np.testing.assert_allclose(out, torch_resize(x, (5, 3, 7), "trilinear", align), rtol=1e-5, atol=1e-5)
    out = run_resize(relay.image.resize3d, x, (6, 8, 10), method="nearest_neighbor",
                     coordinate_transformation_mode="asymmetric")
    np.testing.assert_array_equal(out, torch_resize(x, (6, 8, 10), "nearest"))
