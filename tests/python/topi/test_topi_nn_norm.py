# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Normalisations, flatten, depth_to_space / space_to_depth against PyTorch / numpy."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F

import tvm.topi.testing
from tvm import te, topi
from tvm.topi.testing import run_op

torch.set_num_threads(2)
rng = np.random.default_rng(3)


def rand(*shape):
    return rng.uniform(-1, 1, size=shape).astype("float32")


def ph(a, name):
    return te.placeholder(a.shape, name=name, dtype=str(a.dtype))


@pytest.mark.parametrize("axis", [1, 3, -1])
@pytest.mark.parametrize("center,scale", [(True, True), (False, True), (True, False)])
def test_batch_norm(axis, center, scale):
    x = rand(2, 3, 4, 3)
    c = x.shape[axis]
    g, b, m = rand(c), rand(c), rand(c)
    v = rng.uniform(0.5, 1.5, size=c).astype("float32")
    X, G, B, M, V = ph(x, "X"), ph(g, "G"), ph(b, "B"), ph(m, "M"), ph(v, "V")
    outs = topi.nn.batch_norm(X, G, B, M, V, axis, 1e-3, center, scale)
    shape = [1] * 4
    shape[axis] = c
    r = lambda a: a.reshape(shape)  # noqa: E731
    ref = (x - r(m)) / np.sqrt(r(v) + 1e-3) * (r(g) if scale else 1) + (r(b) if center else 0)
    got = run_op(outs, [X, G, B, M, V], [x, g, b, m, v])
    np.testing.assert_allclose(got[0], ref, rtol=1e-5, atol=1e-5)
    # The moving statistics come back unchanged, in buffers of their own.
    np.testing.assert_array_equal(got[1], m)
    np.testing.assert_array_equal(got[2], v)


def test_batch_norm_training():
    x = rand(4, 3, 5, 2) * 2 + 1
    g, b, m = rand(3), rand(3), rand(3)
    v = rng.uniform(0.5, 1.5, size=3).astype("float32")
    X, G, B, M, V = ph(x, "X"), ph(g, "G"), ph(b, "B"), ph(m, "M"), ph(v, "V")
    outs = topi.nn.batch_norm(X, G, B, M, V, 1, 1e-5, training=True, momentum=0.3)
    got = run_op(outs, [X, G, B, M, V], [x, g, b, m, v])
    ref = F.batch_norm(torch.tensor(x), None, None, torch.tensor(g), torch.tensor(b), True, 0.3, 1e-5).numpy()
    np.testing.assert_allclose(got[0], ref, rtol=1e-5, atol=1e-5)
    # The moving statistics blend in the batch's (biased) mean and variance.
    np.testing.assert_allclose(got[1], 0.7 * m + 0.3 * x.mean(axis=(0, 2, 3)), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got[2], 0.7 * v + 0.3 * x.var(axis=(0, 2, 3)), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("axis", [[-1], [2, 3], [1, 2, 3]])
def test_layer_norm(axis):
    x = rand(2, 3, 4, 5) * 3 + 1
    shape = [x.shape[a] for a in axis]
    g, b = rand(*shape), rand(*shape)
    X, G, B = ph(x, "X"), ph(g, "G"), ph(b, "B")
    got = run_op(topi.nn.layer_norm(X, G, B, axis, 1e-5), [X, G, B], [x, g, b])
    norm_axes = tuple(range(4 - len(axis), 4))
    assert tuple(a % 4 for a in axis) == norm_axes
    ref = F.layer_norm(torch.tensor(x), shape, torch.tensor(g), torch.tensor(b), 1e-5).numpy()
    np.testing.assert_allclose(got, ref, rtol=1e-5, atol=1e-5)
    got = run_op(topi.nn.layer_norm(X, G, None, axis, 1e-5), [X, G], [x, g])
    ref = F.layer_norm(torch.tensor(x), shape, torch.tensor(g), None, 1e-5).numpy()
    np.testing.assert_allclose(got, ref, rtol=1e-5, atol=1e-5)


def test_instance_norm():
    x = rand(2, 3, 4, 5) * 2
    g, b = rand(4, 5), rand(4, 5)
    X, G, B = ph(x, "X"), ph(g, "G"), ph(b, "B")
    got = run_op(topi.nn.instance_norm(X, G, B, [2, 3], 1e-5), [X, G, B], [x, g, b])
    mean = x.mean(axis=(2, 3), keepdims=True)
    var = x.var(axis=(2, 3), keepdims=True)
    np.testing.assert_allclose(got, (x - mean) / np.sqrt(var + 1e-5) * g + b, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("layout", ["NCHW", "NHWC"])
def test_group_norm(layout):
    x = rand(2, 6, 4, 5) * 2 + 0.5
    g, b = rand(6), rand(6)
    ref = F.group_norm(torch.tensor(x), 3, torch.tensor(g), torch.tensor(b), 1e-5).numpy()
    if layout == "NHWC":
        x, ref = x.transpose(0, 2, 3, 1).copy(), ref.transpose(0, 2, 3, 1)
        caxis, axes = 3, [1, 2]
    else:
        caxis, axes = 1, [2, 3]
    X, G, B = ph(x, "X"), ph(g, "G"), ph(b, "B")
    got = run_op(topi.nn.group_norm(X, G, B, 3, caxis, axes, 1e-5), [X, G, B], [x, g, b])
    np.testing.assert_allclose(got, ref, rtol=1e-5, atol=1e-5)
    with pytest.raises(ValueError, match="group_norm: 6 channels .* not divisible by num_groups=4"):
        topi.nn.group_norm(X, G, B, 4, caxis, axes)


def test_lrn():
    x = rand(2, 7, 3, 4)
    X = ph(x, "X")
    got = run_op(topi.nn.lrn(X, 5, 1, 1e-2, 0.75, 2.0), [X], [x])
    ref = F.local_response_norm(torch.tensor(x), 5, alpha=1e-2, beta=0.75, k=2.0).numpy()
    np.testing.assert_allclose(got, ref, rtol=1e-5, atol=1e-6)


def test_lrn_float16_matches_reference_exactly():
    # float16 with a tiny alpha: the operator must round as the reference does, operation by operation.
    x = rand(1, 5, 6, 6).astype("float16")
    X = ph(x, "X")
    for axis in (1, 3):
        got = run_op(topi.nn.lrn(X, 5, axis, 1e-5, 0.75, 0.5), [X], [x])
        np.testing.assert_array_equal(got, tvm.topi.testing.lrn_python(x, 5, axis, 0.5, 1e-5, 0.75))


def test_l2_normalize():
    x = rand(2, 3, 4)
    X = ph(x, "X")
    got = run_op(topi.nn.l2_normalize(X, 1e-3, [1, 2]), [X], [x])
    ref = x / np.sqrt(np.maximum((x * x).sum(axis=(1, 2), keepdims=True), 1e-3))
    np.testing.assert_allclose(got, ref, rtol=1e-5)


def test_flatten():
    x = rand(2, 3, 4, 5)
    X = ph(x, "X")
    np.testing.assert_array_equal(run_op(topi.nn.flatten(X), [X], [x]), x.reshape(2, -1))


@pytest.mark.parametrize("mode", ["DCR", "CRD"])
@pytest.mark.parametrize("layout", ["NCHW", "NHWC"])
def test_depth_to_space_roundtrip(mode, layout):
    x = rand(2, 12, 3, 4)
    b = 2
    n, c, h, w = x.shape
    if mode == "DCR":
        ref = x.reshape(n, b, b, c // 4, h, w).transpose(0, 3, 4, 1, 5, 2).reshape(n, c // 4, h * b, w * b)
    else:
        ref = x.reshape(n, c // 4, b, b, h, w).transpose(0, 1, 4, 2, 5, 3).reshape(n, c // 4, h * b, w * b)
    np.testing.assert_array_equal(ref, F.pixel_shuffle(torch.tensor(x), 2).numpy() if mode == "CRD" else ref)
    if layout == "NHWC":
        x, ref = x.transpose(0, 2, 3, 1).copy(), ref.transpose(0, 2, 3, 1)
    X = ph(x, "X")
    got = run_op(topi.nn.depth_to_space(X, b, layout, mode), [X], [x])
    np.testing.assert_array_equal(got, ref)
    if mode == "DCR":
        Y = ph(ref, "Y")
        np.testing.assert_array_equal(run_op(topi.nn.space_to_depth(Y, b, layout), [Y], [ref.copy()]), x)


def test_shuffle_errors():
    X = te.placeholder((1, 6, 4, 4), name="X")
    with pytest.raises(ValueError, match=r"depth_to_space: 6 channels of data \[1, 6, 4, 4\]"):
        topi.nn.depth_to_space(X, 2)
    with pytest.raises(ValueError, match="depth_to_space: mode must be DCR or CRD, got XYZ"):
        topi.nn.depth_to_space(X, 1, "NCHW", "XYZ")
    with pytest.raises(ValueError, match="space_to_depth: height and width"):
        topi.nn.space_to_depth(X, 3)
    with pytest.raises(ValueError, match="layer_norm: gamma/beta of shape"):
        topi.nn.layer_norm(X, te.placeholder((3,)), None, [3])


@pytest.mark.parametrize("with_bias", [False, True])
def test_rms_norm(with_bias):
    x = rand(2, 3, 4, 5)
    w, b = rand(4, 5), rand(4, 5)
    X, W, B = ph(x, "X"), ph(w, "W"), ph(b, "B")
    out = topi.nn.rms_norm(X, W, B if with_bias else None, [2, 3], 1e-5)
    got = run_op(out, [X, W] + ([B] if with_bias else []), [x, w] + ([b] if with_bias else []))
    ref = x / np.sqrt((x * x).mean(axis=(2, 3), keepdims=True) + 1e-5) * w + (b if with_bias else 0)
    np.testing.assert_allclose(got, ref, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("reduction", ["none", "sum", "mean"])
def test_nll_loss(reduction):
    pred = rand(4, 5, 3)
    target = rng.integers(0, 5, size=(4, 3)).astype("int32")
    target[1, 2] = -100  # ignored
    w = rng.uniform(0.5, 1.5, size=5).astype("float32")
    P, T, W = ph(pred, "P"), te.placeholder(target.shape, "int32", "T"), ph(w, "W")
    out = topi.nn.nll_loss(P, T, W, reduction, -100)
    got = run_op(out, [P, T, W], [pred, target, w])
    ref = F.nll_loss(torch.tensor(pred), torch.tensor(target).long(), torch.tensor(w), reduction=reduction,
                     ignore_index=-100).numpy()
    np.testing.assert_allclose(got, ref, rtol=1e-5, atol=1e-6)


def test_nll_loss_single_sample():
    pred, w = rand(5), rng.uniform(0.5, 1.5, size=5).astype("float32")
    P, T, W = ph(pred, "P"), te.placeholder((), "int32", "T"), ph(w, "W")
    got = run_op(topi.nn.nll_loss(P, T, W, "none", -100), [P, T, W], [pred, np.array(3, "int32"), w])
    np.testing.assert_allclose(got, -pred[3] * w[3], rtol=1e-6)


def test_nll_loss_errors():
    P = te.placeholder((4, 5), name="P")
    with pytest.raises(ValueError, match='nll_loss: reduction must be none, sum or mean, got "avg"'):
        topi.nn.nll_loss(P, te.placeholder((4,), "int32"), te.placeholder((5,)), "avg")
    with pytest.raises(TypeError, match="nll_loss: targets must be integers, got float32"):
        topi.nn.nll_loss(P, te.placeholder((4,)), te.placeholder((5,)))


def test_space_to_batch_nd_roundtrip():
    x = rand(2, 5, 4, 3)
    X = ph(x, "X")
    out = topi.nn.space_to_batch_nd(X, [2, 3], [1, 0], [0, 2], 0.0)
    # TensorFlow's definition: pad, split each spatial axis into (outer, block), move the block offsets first.
    p = np.pad(x, [(0, 0), (1, 0), (0, 2), (0, 0)])
    ref = p.reshape(2, 3, 2, 2, 3, 3).transpose(2, 4, 0, 1, 3, 5).reshape(12, 3, 2, 3)
    got = run_op(out, [X], [x])
    np.testing.assert_array_equal(got, ref)
    Y = ph(ref, "Y")
    back = topi.nn.batch_to_space_nd(Y, [2, 3], [1, 0], [0, 2])
    np.testing.assert_array_equal(run_op(back, [Y], [ref]), x)
    with pytest.raises(ValueError, match="space_to_batch_nd: padded spatial size 5 of axis 1 is not divisible"):
        topi.nn.space_to_batch_nd(X, [2, 3], [0, 0], [0, 2])
