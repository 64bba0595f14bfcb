# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Convolutions (1-3d, layouts, groups, dilation, padding forms, transposed) against PyTorch."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F

from tvm import te, topi
from tvm.topi.testing import run_op

torch.set_num_threads(2)
rng = np.random.default_rng(1)


def rand(*shape):
    return rng.uniform(-1, 1, size=shape).astype("float32")


def torch_conv2d(x, w, stride, pads, dilation, groups):
    """pads = (top, left, bottom, right)."""
    top, left, bottom, right = pads
    xt = F.pad(torch.tensor(x), (left, right, top, bottom))
    return F.conv2d(xt, torch.tensor(w), stride=stride, dilation=dilation, groups=groups).numpy()


@pytest.mark.parametrize(
    "padding,pads",
    [(0, (0, 0, 0, 0)), (1, (1, 1, 1, 1)), ((1, 2), (1, 2, 1, 2)), ((0, 1, 2, 3), (0, 1, 2, 3)),
     ("VALID", (0, 0, 0, 0)), ("SAME", (1, 1, 1, 1))],
)
@pytest.mark.parametrize("stride,dilation", [(1, 1), (2, 1), (1, 2), ((2, 1), (1, 2))])
def test_conv2d_nchw(padding, pads, stride, dilation):
    x, w = rand(2, 3, 10, 9), rand(4, 3, 3, 3)
    if padding == "SAME":
        dh, dw = (dilation, dilation) if isinstance(dilation, int) else dilation
        eh, ew = 2 * dh, 2 * dw  # (k - 1) * dilation
        pads = ((eh + 1) // 2, (ew + 1) // 2, eh - (eh + 1) // 2, ew - (ew + 1) // 2)
    X = te.placeholder(x.shape, name="X")
    W = te.placeholder(w.shape, name="W")
    out = topi.nn.conv2d_nchw(X, W, stride, padding, dilation)
    assert out.op.tag == "conv2d_nchw"
    ref = torch_conv2d(x, w, stride, pads, dilation, 1)
    assert tuple(int(d) for d in out.shape) == ref.shape
    np.testing.assert_allclose(run_op(out, [X, W], [x, w]), ref, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("groups", [1, 2, 4])
def test_conv2d_nhwc_groups(groups):
    x, w = rand(1, 8, 7, 4), rand(3, 3, 4 // groups, 6 if groups != 4 else 8)
    X = te.placeholder(x.shape, name="X")
    W = te.placeholder(w.shape, name="W")
    out = topi.nn.conv(X, W, (1, 2), (1, 0, 1, 1), 1, groups, "NHWC", "HWIO")
    ref = torch_conv2d(x.transpose(0, 3, 1, 2), w.transpose(3, 2, 0, 1), (1, 2), (1, 0, 1, 1), 1, groups)
    np.testing.assert_allclose(run_op(out, [X, W], [x, w]), ref.transpose(0, 2, 3, 1), rtol=1e-5, atol=1e-5)


def test_group_conv2d_nchw():
    x, w = rand(2, 6, 8, 8), rand(9, 2, 3, 3)
    X = te.placeholder(x.shape, name="X")
    W = te.placeholder(w.shape, name="W")
    out = topi.nn.group_conv2d_nchw(X, W, 1, 1, 1, 3)
    np.testing.assert_allclose(run_op(out, [X, W], [x, w]), torch_conv2d(x, w, 1, (1, 1, 1, 1), 1, 3),
                               rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("multiplier", [1, 2])
def test_depthwise_conv2d(multiplier):
    x, w = rand(1, 4, 9, 9), rand(4, multiplier, 3, 3)
    X = te.placeholder(x.shape, name="X")
    W = te.placeholder(w.shape, name="W")
    out = topi.nn.depthwise_conv2d_nchw(X, W, 2, "SAME", 1)
    assert out.op.tag == "depthwise_conv2d_nchw"
    ref = torch_conv2d(x, w.reshape(4 * multiplier, 1, 3, 3), 2, (1, 1, 1, 1), 1, 4)
    np.testing.assert_allclose(run_op(out, [X, W], [x, w]), ref, rtol=1e-5, atol=1e-5)
    # NHWC with HWOI weights.
    Xh = te.placeholder((1, 9, 9, 4), name="Xh")
    Wh = te.placeholder((3, 3, 4, multiplier), name="Wh")
    outh = topi.nn.depthwise_conv2d_nhwc(Xh, Wh, 2, "SAME", 1)
    got = run_op(outh, [Xh, Wh], [x.transpose(0, 2, 3, 1).copy(), w.transpose(2, 3, 0, 1).copy()])
    np.testing.assert_allclose(got, ref.transpose(0, 2, 3, 1), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("layout", ["NCW", "NWC"])
def test_conv1d(layout):
    x, w = rand(2, 4, 11), rand(6, 2, 3)
    ref = F.conv1d(F.pad(torch.tensor(x), (2, 1)), torch.tensor(w), stride=2, dilation=2, groups=2).numpy()
    if layout == "NWC":
        x, w, ref = x.transpose(0, 2, 1).copy(), w.transpose(2, 1, 0).copy(), ref.transpose(0, 2, 1)
    X = te.placeholder(x.shape, name="X")
    W = te.placeholder(w.shape, name="W")
    out = topi.nn.conv1d(X, W, 2, (2, 1), 2, groups=2, data_layout=layout)
    np.testing.assert_allclose(run_op(out, [X, W], [x, w]), ref, rtol=1e-5, atol=1e-5)


def test_conv3d_ncdhw():
    x, w = rand(1, 2, 5, 6, 7), rand(3, 2, 3, 2, 3)
    X = te.placeholder(x.shape, name="X")
    W = te.placeholder(w.shape, name="W")
    out = topi.nn.conv3d_ncdhw(X, W, (1, 2, 1), (1, 0, 1, 0, 1, 2), (1, 1, 2))
    xt = F.pad(torch.tensor(x), (1, 2, 0, 1, 1, 0))
    ref = F.conv3d(xt, torch.tensor(w), stride=(1, 2, 1), dilation=(1, 1, 2)).numpy()
    np.testing.assert_allclose(run_op(out, [X, W], [x, w]), ref, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("stride,padding,output_padding", [(1, 0, 0), (2, 1, 1), ((2, 3), (1, 0), (0, 2))])
def test_conv2d_transpose_nchw(stride, padding, output_padding):
    x, w = rand(2, 3, 5, 4), rand(3, 4, 3, 3)
    X = te.placeholder(x.shape, name="X")
    W = te.placeholder(w.shape, name="W")
    out = topi.nn.conv2d_transpose_nchw(X, W, stride, padding, "float32", output_padding)
    ref = F.conv_transpose2d(torch.tensor(x), torch.tensor(w), stride=stride, padding=padding,
                             output_padding=output_padding).numpy()
    np.testing.assert_allclose(run_op(out, [X, W], [x, w]), ref, rtol=1e-5, atol=1e-5)


def test_group_conv2d_transpose_and_1d_3d():
    x, w = rand(1, 4, 5, 5), rand(4, 3, 3, 3)
    X = te.placeholder(x.shape, name="X")
    W = te.placeholder(w.shape, name="W")
    out = topi.nn.group_conv2d_transpose_nchw(X, W, 2, 1, "float32", 1, 2)
    ref = F.conv_transpose2d(torch.tensor(x), torch.tensor(w), stride=2, padding=1, output_padding=1,
                             groups=2).numpy()
    np.testing.assert_allclose(run_op(out, [X, W], [x, w]), ref, rtol=1e-5, atol=1e-5)
    x1, w1 = rand(2, 3, 6), rand(3, 2, 4)
    X1 = te.placeholder(x1.shape, name="X1")
    W1 = te.placeholder(w1.shape, name="W1")
    out1 = topi.nn.conv1d_transpose_ncw(X1, W1, 3, 1, "float32", 2)
    ref1 = F.conv_transpose1d(torch.tensor(x1), torch.tensor(w1), stride=3, padding=1, output_padding=2).numpy()
    np.testing.assert_allclose(run_op(out1, [X1, W1], [x1, w1]), ref1, rtol=1e-5, atol=1e-5)
    x3, w3 = rand(1, 2, 3, 4, 3), rand(2, 2, 2, 3, 2)
    X3 = te.placeholder(x3.shape, name="X3")
    W3 = te.placeholder(w3.shape, name="W3")
    out3 = topi.nn.conv3d_transpose_ncdhw(X3, W3, (2, 1, 2), (0, 1, 0), "float32", (1, 0, 0))
    ref3 = F.conv_transpose3d(torch.tensor(x3), torch.tensor(w3), stride=(2, 1, 2), padding=(0, 1, 0),
                              output_padding=(1, 0, 0)).numpy()
    np.testing.assert_allclose(run_op(out3, [X3, W3], [x3, w3]), ref3, rtol=1e-5, atol=1e-5)


def test_conv_errors():
    X = te.placeholder((1, 3, 8, 8), name="X")
    with pytest.raises(ValueError, match=r"conv2d_nchw: data of shape \[1, 3, 8, 8\] \(NCHW\) has 3 channels"):
        topi.nn.conv2d_nchw(X, te.placeholder((4, 2, 3, 3)), 1, 0, 1)
    with pytest.raises(ValueError, match=r"larger than the padded input"):
        topi.nn.conv2d_nchw(X, te.placeholder((4, 3, 9, 9)), 1, 0, 1)
    with pytest.raises(ValueError, match=r"padding .* must have 1, 2 or 4 values"):
        topi.nn.conv2d_nchw(X, te.placeholder((4, 3, 3, 3)), 1, (1, 2, 3), 1)
    with pytest.raises(ValueError, match=r"SAME"):
        topi.nn.conv2d_nchw(X, te.placeholder((4, 3, 3, 3)), 1, "FULL", 1)
    with pytest.raises(ValueError, match=r"output_padding .* must be smaller than the stride"):
        topi.nn.conv2d_transpose_nchw(X, te.placeholder((3, 4, 3, 3)), 1, 0, "float32", 1)


def test_default_schedule_structure():
    """Padding is its own stage, loops run in parallel, the reduction updates vectors of outputs."""
    import tvm

    X = te.placeholder((1, 8, 14, 16), name="X")
    W = te.placeholder((4, 8, 3, 3), name="W")
    out = topi.nn.conv2d_nchw(X, W, 1, 1, 1)
    s = topi.nn.schedules.schedule_conv2d_nchw(out)
    text = str(tvm.lower(s, [X, W, out], simple_mode=True))
    assert "pad_temp" in text
    assert text.count("T.parallel") == 2  # the padding stage and the convolution
    assert "T.Broadcast(T.float32(0.0), 16)" in text  # the vectorized initialisation
    assert "if_then_else" not in text.split("for rc")[1]  # no bounds test inside the reduction
