# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""tvm.topi.testing's numpy references agree with PyTorch (so TVM-style tests can trust them)."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F

import tvm.topi.testing as ref

torch.set_num_threads(2)
rng = np.random.default_rng(5)


def rand(*shape):
    return rng.uniform(-1, 1, size=shape).astype("float32")


def close(a, b):
    np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-5)


def test_conv_references():
    x, w = rand(2, 4, 9, 8), rand(6, 2, 3, 3)
    close(ref.conv2d_nchw_python(x, w, (2, 1), (1, 0, 2, 1), groups=2),
          F.conv2d(F.pad(torch.tensor(x), (0, 1, 1, 2)), torch.tensor(w), stride=(2, 1), groups=2).numpy())
    wh = rand(3, 3, 4, 5)
    close(ref.conv2d_nhwc_python(x.transpose(0, 2, 3, 1), wh, 1, "VALID"),
          F.conv2d(torch.tensor(x), torch.tensor(wh.transpose(3, 2, 0, 1))).numpy().transpose(0, 2, 3, 1))
    wd = ref.dilate_python(w, (1, 1, 2, 2))
    assert wd.shape == (6, 2, 5, 5)
    close(ref.conv2d_nchw_python(x, wd, 1, "SAME", groups=2),
          F.conv2d(torch.tensor(x), torch.tensor(w), padding=2, dilation=2, groups=2).numpy())
    x1, w1 = rand(1, 2, 10), rand(3, 2, 3)
    close(ref.conv1d_ncw_python(x1, w1, 2, (1, 2), 2),
          F.conv1d(F.pad(torch.tensor(x1), (1, 2)), torch.tensor(w1), stride=2, dilation=2).numpy())
    x3, w3 = rand(1, 2, 4, 5, 6), rand(3, 2, 2, 3, 2)
    close(ref.conv3d_ncdhw_python(x3, w3, 1, 1),
          F.conv3d(torch.tensor(x3), torch.tensor(w3), padding=1).numpy())
    xd, wdw = rand(1, 3, 6, 6), rand(3, 2, 3, 3)
    close(ref.depthwise_conv2d_python_nchw(xd, wdw, 1, "SAME"),
          F.conv2d(torch.tensor(xd), torch.tensor(wdw.reshape(6, 1, 3, 3)), padding=1, groups=3).numpy())


@pytest.mark.parametrize("groups", [1, 2])
def test_conv_transpose_references(groups):
    x, w = rand(2, 4, 5, 6), rand(4, 3, 3, 2)
    close(ref.conv2d_transpose_nchw_python(x, w, (2, 3), (1, 0), (1, 2), groups),
          F.conv_transpose2d(torch.tensor(x), torch.tensor(w), stride=(2, 3), padding=(1, 0),
                             output_padding=(1, 2), groups=groups).numpy())


@pytest.mark.parametrize("weight_format", ["HWIO", "HWOI", "OIHW", "IOHW"])
def test_conv2d_transpose_nhwc_reference(weight_format):
    x, w = rand(2, 7, 6, 3), rand(3, 5, 3, 2)  # data NHWC; weight (I, O, H, W)
    got = ref.conv2d_transpose_nhwc_python(x, w.transpose(["IOHW".index(c) for c in weight_format]),
                                           weight_format, (2, 3), (1, 0), output_padding=(1, 2))
    want = F.conv_transpose2d(torch.tensor(x.transpose(0, 3, 1, 2)), torch.tensor(w), stride=(2, 3),
                              padding=(1, 0), output_padding=(1, 2)).numpy().transpose(0, 2, 3, 1)
    close(got, want)


def test_conv2d_transpose_nhwc_reference_errors():
    with pytest.raises(ValueError, match="weight_format must be HWIO, HWOI, OIHW or IOHW, got 'HWII'"):
        ref.conv2d_transpose_nhwc_python(rand(1, 3, 3, 2), rand(3, 3, 2, 2), "HWII", 1, 0)
    with pytest.raises(ValueError, match=r"data \(3, 3, 2\) and weight \(3, 3, 2, 2\) must both be 4-d"):
        ref.conv2d_transpose_nhwc_python(rand(3, 3, 2), rand(3, 3, 2, 2), "HWIO", 1, 0)


def test_lrn_reference_float16_rounds_step_by_step():
    x = rand(1, 5, 4, 3).astype("float16")
    got = ref.lrn_python(x, 5, 1, 0.5, 1e-5, 0.75)
    assert got.dtype == np.float16
    # the same formula evaluated one float16 operation at a time
    sq = x * x
    pad = np.pad(sq, ((0, 0), (2, 2), (0, 0), (0, 0)))
    win = np.zeros_like(sq)
    for i in range(5):
        win = win + pad[:, i:i + 5]
    want = x / np.power(np.float16(0.5) + np.float16(1e-5) * win / np.float16(5), np.float16(0.75))
    np.testing.assert_array_equal(got, want)
    # and within float16 precision of the exact value
    np.testing.assert_allclose(got, ref.lrn_python(x.astype("float64"), 5, 1, 0.5, 1e-5, 0.75), rtol=2e-3)


def test_l2_normalize_reference_axis_forms():
    x = rand(2, 3, 4)
    want = x / np.sqrt(np.maximum((x * x).sum(1, keepdims=True), 1e-3))
    close(ref.l2_normalize_python(x, 1e-3, 1), want)
    close(ref.l2_normalize_python(x, 1e-3, [1]), want)
    close(ref.l2_normalize_python(x, 1e-3, None), x / np.sqrt(np.maximum((x * x).sum(), 1e-3)))


def test_pool_references():
    x = rand(2, 3, 9, 8)
    close(ref.poolnd_python(x, (3, 3), (2, 2), (1, 1), (1, 1), (1, 1), "avg", False, True),
          F.avg_pool2d(torch.tensor(x), 3, 2, 1, ceil_mode=True, count_include_pad=False).numpy())
    close(ref.poolnd_python(x, (2, 3), (2, 1), (2, 1), (0, 1), (0, 1), "max", False, layout="NCHW"),
          F.max_pool2d(torch.tensor(x), (2, 3), (2, 1), (0, 1), dilation=(2, 1)).numpy())
    close(ref.adaptive_pool(x, (4, 3), "avg", "NCHW"), F.adaptive_avg_pool2d(torch.tensor(x), (4, 3)).numpy())
    close(ref.adaptive_pool(x.transpose(0, 2, 3, 1), (4, 3), "max", "NHWC"),
          F.adaptive_max_pool2d(torch.tensor(x), (4, 3)).numpy().transpose(0, 2, 3, 1))


def test_norm_and_resize_references():
    x = rand(2, 6, 4, 5)
    g, b = rand(6), rand(6)
    close(ref.group_norm_python(x, g, b, 3, 1, [2, 3]),
          F.group_norm(torch.tensor(x), 3, torch.tensor(g), torch.tensor(b)).numpy())
    close(ref.lrn_python(x, 3, 1, 2.0, 1e-3, 0.75),
          F.local_response_norm(torch.tensor(x), 3, alpha=1e-3, beta=0.75, k=2.0).numpy())
    close(ref.softmax_python(x, 1), torch.softmax(torch.tensor(x), 1).numpy())
    close(ref.resize2d_python(x, (2.0, 1.5), "NCHW", "linear", "align_corners"),
          F.interpolate(torch.tensor(x), size=(8, 8), mode="bilinear", align_corners=True).numpy())
    close(ref.depth_to_space_python(rand(1, 8, 2, 3), 2, "CRD").shape, (1, 2, 4, 6))
    y = rand(1, 8, 2, 3)
    close(ref.space_to_depth_python(ref.depth_to_space_python(y, 2), 2), y)


@pytest.mark.parametrize("method", ["nearest", "bilinear", "bicubic"])
@pytest.mark.parametrize("padding_mode", ["zeros", "border", "reflection"])
def test_grid_sample_reference(method, padding_mode):
    x = rand(2, 3, 5, 6)
    grid = (rng.uniform(-1.6, 1.6, size=(2, 2, 4, 3)) + 1e-3).astype("float32")
    for align in (True, False):
        close(ref.grid_sample_python(x, grid, method, "NCHW", padding_mode, align),
              F.grid_sample(torch.tensor(x), torch.tensor(grid.transpose(0, 2, 3, 1)), mode=method,
                            padding_mode=padding_mode, align_corners=align).numpy())
    theta = rand(2, 2, 3)
    close(ref.affine_grid_python(theta, (3, 4)),
          F.affine_grid(torch.tensor(theta), (2, 1, 3, 4), align_corners=True).numpy().transpose(0, 3, 1, 2))


@pytest.mark.parametrize("pool_type", ["max", "avg"])
@pytest.mark.parametrize("count_include_pad", [True, False])
def test_pool_grad_reference(pool_type, count_include_pad):
    x = rand(2, 3, 9, 8)
    xt = torch.tensor(x, requires_grad=True)
    if pool_type == "max":
        y = F.max_pool2d(xt, 3, 2, 1, ceil_mode=True)
    else:
        y = F.avg_pool2d(xt, 3, 2, 1, ceil_mode=True, count_include_pad=count_include_pad)
    g = rand(*y.shape)
    y.backward(torch.tensor(g))
    close(ref.pool_grad_nchw(x, g, (3, 3), (2, 2), (1, 1, 1, 1), pool_type, True, count_include_pad),
          xt.grad.numpy())


@pytest.mark.parametrize("reduction", ["none", "sum", "mean"])
def test_nll_loss_reference(reduction):
    pred = rand(3, 4, 2)
    target = rng.integers(0, 4, size=(3, 2))
    target[0, 1] = -1
    w = rng.uniform(0.5, 1.5, size=4).astype("float32")
    close(ref.nll_loss(pred, target, w, reduction, -1),
          F.nll_loss(torch.tensor(pred), torch.tensor(target), torch.tensor(w), reduction=reduction,
                     ignore_index=-1).numpy())
