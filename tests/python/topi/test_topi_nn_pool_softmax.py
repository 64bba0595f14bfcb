# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Pooling, softmax, activations and padding against PyTorch / numpy."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F

from tvm import te, topi
from tvm.topi.testing import run_op

torch.set_num_threads(2)
rng = np.random.default_rng(2)


def rand(*shape):
    return rng.uniform(-1, 1, size=shape).astype("float32")


@pytest.mark.parametrize("pool_type", ["max", "avg"])
@pytest.mark.parametrize("ceil_mode", [False, True])
@pytest.mark.parametrize("count_include_pad", [False, True])
@pytest.mark.parametrize("kernel,stride,pad", [(3, 2, 1), (2, 2, 0), ((3, 2), (1, 2), (1, 0))])
def test_pool2d_nchw(pool_type, ceil_mode, count_include_pad, kernel, stride, pad):
    x = rand(2, 3, 9, 8)
    X = te.placeholder(x.shape, name="X")
    pads = (pad, pad) if isinstance(pad, int) else pad
    out = topi.nn.pool2d(X, kernel, stride, 1, (pads[0], pads[1], pads[0], pads[1]), pool_type, ceil_mode,
                         "NCHW", count_include_pad)
    xt = torch.tensor(x)
    if pool_type == "max":
        ref = F.max_pool2d(xt, kernel, stride, pad, ceil_mode=ceil_mode)
    else:
        ref = F.avg_pool2d(xt, kernel, stride, pad, ceil_mode=ceil_mode, count_include_pad=count_include_pad)
    got = run_op(out, [X], [x])
    assert got.shape == tuple(ref.shape)
    np.testing.assert_allclose(got, ref.numpy(), rtol=1e-5, atol=1e-6)


def test_pool_dilation_nhwc_1d_3d():
    x = rand(1, 10, 11, 2)
    X = te.placeholder(x.shape, name="X")
    out = topi.nn.pool2d(X, (2, 3), (2, 1), (2, 2), (1, 1, 1, 1), "max", layout="NHWC")
    ref = F.max_pool2d(torch.tensor(x.transpose(0, 3, 1, 2)), (2, 3), (2, 1), 1, dilation=2).numpy()
    np.testing.assert_allclose(run_op(out, [X], [x]), ref.transpose(0, 2, 3, 1), rtol=1e-6)
    x1 = rand(2, 3, 13)
    X1 = te.placeholder(x1.shape, name="X1")
    out1 = topi.nn.pool1d(X1, 3, 2, 1, (1, 1), "avg", ceil_mode=True, layout="NCW", count_include_pad=False)
    ref1 = F.avg_pool1d(torch.tensor(x1), 3, 2, 1, ceil_mode=True, count_include_pad=False).numpy()
    np.testing.assert_allclose(run_op(out1, [X1], [x1]), ref1, rtol=1e-5, atol=1e-6)
    x3 = rand(1, 2, 5, 6, 7)
    X3 = te.placeholder(x3.shape, name="X3")
    out3 = topi.nn.pool3d(X3, (2, 3, 2), (1, 2, 2), 1, (0, 1, 1, 0, 1, 1), "avg", layout="NCDHW")
    ref3 = F.avg_pool3d(torch.tensor(x3), (2, 3, 2), (1, 2, 2), (0, 1, 1)).numpy()
    np.testing.assert_allclose(run_op(out3, [X3], [x3]), ref3, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("pool_type", ["max", "avg"])
@pytest.mark.parametrize("layout", ["NCHW", "NHWC"])
def test_global_pool(pool_type, layout):
    x = rand(2, 3, 5, 7)
    ref = x.max(axis=(2, 3), keepdims=True) if pool_type == "max" else x.mean(axis=(2, 3), keepdims=True)
    if layout == "NHWC":
        x, ref = x.transpose(0, 2, 3, 1).copy(), ref.transpose(0, 2, 3, 1)
    X = te.placeholder(x.shape, name="X")
    np.testing.assert_allclose(run_op(topi.nn.global_pool(X, pool_type, layout), [X], [x]), ref, rtol=1e-5)


@pytest.mark.parametrize("pool_type", ["max", "avg"])
def test_adaptive_pool(pool_type):
    x = rand(2, 3, 10, 7)
    X = te.placeholder(x.shape, name="X")
    fn = F.adaptive_max_pool2d if pool_type == "max" else F.adaptive_avg_pool2d
    for size in [(3, 4), (1, 1), (10, 7), (4, 3)]:
        got = run_op(topi.nn.adaptive_pool(X, size, pool_type), [X], [x])
        np.testing.assert_allclose(got, fn(torch.tensor(x), size).numpy(), rtol=1e-5, atol=1e-6)
    x1 = rand(2, 9, 3)
    X1 = te.placeholder(x1.shape, name="X1")
    got = run_op(topi.nn.adaptive_pool1d(X1, 4, pool_type, "NWC"), [X1], [x1])
    fn1 = F.adaptive_max_pool1d if pool_type == "max" else F.adaptive_avg_pool1d
    np.testing.assert_allclose(got, fn1(torch.tensor(x1.transpose(0, 2, 1)), 4).numpy().transpose(0, 2, 1),
                               rtol=1e-5, atol=1e-6)
    x3 = rand(1, 2, 5, 6, 7)
    X3 = te.placeholder(x3.shape, name="X3")
    fn3 = F.adaptive_max_pool3d if pool_type == "max" else F.adaptive_avg_pool3d
    got = run_op(topi.nn.adaptive_pool3d(X3, (2, 4, 3), pool_type), [X3], [x3])
    np.testing.assert_allclose(got, fn3(torch.tensor(x3), (2, 4, 3)).numpy(), rtol=1e-5, atol=1e-6)


def test_pool_errors():
    X = te.placeholder((1, 3, 4, 4), name="X")
    with pytest.raises(ValueError, match=r'pool2d: pool_type must be "max" or "avg", got "min"'):
        topi.nn.pool2d(X, 2, 2, 1, 0, "min")
    with pytest.raises(ValueError, match=r"pool2d: the window \(7\) is larger than the padded input"):
        topi.nn.pool2d(X, 7, 1, 1, 0, "max")
    with pytest.raises(ValueError, match=r"layout NCW does not match data of rank 4"):
        topi.nn.pool1d(X, 2, 2, 1, 0, "max")


@pytest.mark.parametrize("axis", [-1, 0, 1, 2])
def test_softmax_log_softmax(axis):
    x = rand(3, 4, 5) * 5
    X = te.placeholder(x.shape, name="X")
    np.testing.assert_allclose(run_op(topi.nn.softmax(X, axis), [X], [x]),
                               torch.softmax(torch.tensor(x), axis).numpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(run_op(topi.nn.log_softmax(X, axis), [X], [x]),
                               torch.log_softmax(torch.tensor(x), axis).numpy(), rtol=1e-5, atol=1e-5)
    assert topi.nn.softmax(X, axis).op.tag == "softmax_output"


def test_softmax_errors():
    with pytest.raises(ValueError, match="softmax: axis 3 is out of range for a tensor of rank 2"):
        topi.nn.softmax(te.placeholder((2, 3)), 3)
    with pytest.raises(TypeError, match="softmax: expects a floating-point tensor, got int32"):
        topi.nn.softmax(te.placeholder((2, 3), "int32"))


def test_activations():
    x = rand(4, 3, 5)
    X = te.placeholder(x.shape, name="X")
    np.testing.assert_array_equal(run_op(topi.nn.relu(X), [X], [x]), np.maximum(x, 0))
    np.testing.assert_allclose(run_op(topi.nn.leaky_relu(X, 0.2), [X], [x]), np.where(x > 0, x, 0.2 * x),
                               rtol=1e-6)
    slope = rand(3)
    S = te.placeholder((3,), name="S")
    np.testing.assert_allclose(run_op(topi.nn.prelu(X, S), [X, S], [x, slope]),
                               np.where(x > 0, x, slope[None, :, None] * x), rtol=1e-6)
    with pytest.raises(ValueError, match=r"prelu: slope of shape \[4\] does not match axis 1"):
        topi.nn.prelu(X, te.placeholder((4,)))


@pytest.mark.parametrize("mode", ["constant", "edge", "reflect", "symmetric"])
def test_pad_modes(mode):
    x = rand(3, 4, 5)
    X = te.placeholder(x.shape, name="X")
    before, after = [1, 0, 2], [2, 3, 1]
    out = topi.nn.elemwise.pad_mode(X, before, after, 1.5, mode)
    kw = {"constant_values": 1.5} if mode == "constant" else {}
    ref = np.pad(x, list(zip(before, after)), mode=mode, **kw)
    np.testing.assert_array_equal(run_op(out, [X], [x]), ref)


def _crop_then_pad(x, before, after, **kw):
    """numpy reference for TVM's signed pad widths: a negative width crops that side first."""
    idx = tuple(slice(max(-b, 0), x.shape[i] - max(-a, 0)) for i, (b, a) in enumerate(zip(before, after)))
    return np.pad(x[idx], [(max(b, 0), max(a, 0)) for b, a in zip(before, after)], **kw)


@pytest.mark.parametrize("mode", ["constant", "edge", "reflect", "symmetric"])
def test_pad_negative_widths_crop(mode):
    x = rand(4, 6, 5)
    X = te.placeholder(x.shape, name="X")
    before, after = [-1, 2, -2], [-1, -3, 1]
    out = topi.nn.elemwise.pad_mode(X, before, after, 1.5, mode)
    assert [int(d) for d in out.shape] == [2, 5, 4]
    kw = {"mode": mode, "constant_values": 1.5} if mode == "constant" else {"mode": mode}
    np.testing.assert_array_equal(run_op(out, [X], [x]), _crop_then_pad(x, before, after, **kw))


def test_pad_negative_widths_errors():
    X = te.placeholder((4, 6), name="X")
    # Cropping the whole axis is allowed (an empty axis); cropping past it is not.
    assert [int(d) for d in topi.nn.pad(X, [-2, 0], [-2, 0]).shape] == [0, 6]
    with pytest.raises(ValueError, match=r"pad: padding \(-3, -2\) on axis 0 crops more than the 4 elements "
                                         r"of data shape \[4, 6\]"):
        topi.nn.pad(X, [-3, 0], [-2, 0])


def test_pad_tvm_signature():
    x = rand(2, 3)
    X = te.placeholder(x.shape, name="X")
    out = topi.nn.pad(X, [1, 2])
    assert out.op.tag == "injective,pad" and out.op.name == "PadInput"
    np.testing.assert_array_equal(run_op(out, [X], [x]), np.pad(x, [(1, 1), (2, 2)]))
    out = topi.nn.mirror_pad(X, [1, 2], [1, 0], "REFLECT")
    np.testing.assert_array_equal(run_op(out, [X], [x]), np.pad(x, [(1, 1), (2, 0)], mode="reflect"))
    with pytest.raises(ValueError, match="pad: reflect padding on axis 0 must be smaller than the extent 2"):
        topi.nn.mirror_pad(X, [2, 0], [0, 0], "REFLECT")


def test_dilate():
    x = rand(2, 3, 4)
    X = te.placeholder(x.shape, name="X")
    out = topi.nn.dilate(X, (1, 2, 3), -1.0)
    assert out.op.name == "DilatedInput"
    ref = np.full((2, 5, 10), -1.0, "float32")
    ref[:, ::2, ::3] = x
    np.testing.assert_array_equal(run_op(out, [X], [x]), ref)
    with pytest.raises(ValueError, match=r"dilate: strides \[1, 2\] must have one value per dimension"):
        topi.nn.dilate(X, (1, 2))


@pytest.mark.parametrize("pool_type", ["max", "avg"])
@pytest.mark.parametrize(
    "kernel,stride,pad,ceil_mode", [(3, 2, 1, False), (2, 2, 0, False), ((3, 2), (1, 2), (1, 0), True), (3, 2, 1, True)]
)
@pytest.mark.parametrize("count_include_pad", [True, False])
def test_pool_grad(pool_type, kernel, stride, pad, ceil_mode, count_include_pad):
    x = rand(2, 3, 9, 8)
    xt = torch.tensor(x, requires_grad=True)
    if pool_type == "max":
        y = F.max_pool2d(xt, kernel, stride, pad, ceil_mode=ceil_mode)
    else:
        y = F.avg_pool2d(xt, kernel, stride, pad, ceil_mode=ceil_mode, count_include_pad=count_include_pad)
    g = rand(*y.shape)
    y.backward(torch.tensor(g))
    pads = (pad, pad) if isinstance(pad, int) else pad
    X = te.placeholder(x.shape, name="X")
    G = te.placeholder(g.shape, name="G")
    out = topi.nn.pool_grad(G, X, kernel, stride, (pads[0], pads[1], pads[0], pads[1]), pool_type, ceil_mode,
                            count_include_pad)
    np.testing.assert_allclose(run_op(out, [G, X], [g, x]), xt.grad.numpy(), rtol=1e-5, atol=1e-5)


def test_pool_grad_nhwc_and_errors():
    x = rand(1, 6, 7, 2)
    xt = torch.tensor(x.transpose(0, 3, 1, 2).copy(), requires_grad=True)
    y = F.max_pool2d(xt, 2, 2)
    g = rand(*y.shape)
    y.backward(torch.tensor(g))
    X = te.placeholder(x.shape, name="X")
    G = te.placeholder(g.transpose(0, 2, 3, 1).shape, name="G")
    out = topi.nn.pool_grad(G, X, 2, 2, 0, "max", layout="NHWC")
    got = run_op(out, [G, X], [g.transpose(0, 2, 3, 1).copy(), x])
    np.testing.assert_allclose(got, xt.grad.numpy().transpose(0, 2, 3, 1), rtol=1e-6)
    with pytest.raises(ValueError, match=r"pool_grad: grads of shape \[1, 2, 2, 2\] do not match"):
        topi.nn.pool_grad(te.placeholder((1, 2, 2, 2)), X, 2, 2, 0, "max", layout="NHWC")
