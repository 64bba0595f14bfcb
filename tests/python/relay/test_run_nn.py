# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""relay.nn operators run end to end in the debug executor, against PyTorch (or numpy)."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F

import tvm
import tvm.topi.testing
from tvm import relay

RNG = np.random.default_rng(11)


def run(func, *args):
    mod = tvm.IRModule.from_expr(func)
    out = relay.create_executor("debug", mod, tvm.cpu(), "llvm").evaluate()(*args)
    return out


def rand(*shape):
    return RNG.standard_normal(shape).astype("float32")


def check(expr, inputs, expected, rtol=1e-5, atol=1e-5):
    """Run expr, a function of the named inputs, and compare with expected (an array or a list)."""
    params = [relay.var(name, shape=value.shape, dtype=str(value.dtype)) for name, value in inputs.items()]
    out = run(relay.Function(params, expr(*params)), *inputs.values())
    outs = list(out) if isinstance(expected, list) else [out]
    expected = expected if isinstance(expected, list) else [expected]
    for o, e in zip(outs, expected):
        e = e.detach().numpy() if isinstance(e, torch.Tensor) else np.asarray(e)
        assert o.shape == e.shape
        np.testing.assert_allclose(o.numpy(), e, rtol=rtol, atol=atol)


T = torch.tensor


# ---------------------------------------------------------------- convolutions
@pytest.mark.parametrize("strides,padding,dilation,groups", [
    ((1, 1), (0, 0), (1, 1), 1), ((2, 1), (1, 2), (1, 1), 1), ((1, 2), (1, 2, 0, 1), (2, 1), 2),
    ((2, 2), (1, 1), (1, 1), 4), ((1, 1), (2, 2), (2, 2), 1)])
def test_conv2d_nchw(strides, padding, dilation, groups):
    x, w = rand(2, 4, 10, 9), rand(8, 4 // groups, 3, 3)
    pad = padding * 2 if len(padding) == 2 else padding  # (top, left, bottom, right)
    ref = F.conv2d(F.pad(T(x), (pad[1], pad[3], pad[0], pad[2])), T(w), stride=strides, dilation=dilation,
                   groups=groups)
    check(lambda a, b: relay.nn.conv2d(a, b, strides=strides, padding=padding, dilation=dilation, groups=groups),
          {"x": x, "w": w}, ref, atol=1e-4)


@pytest.mark.parametrize("groups", [1, 3])
def test_conv2d_nhwc_hwio(groups):
    x, w = rand(1, 7, 8, 6), rand(3, 3, 6 // groups, 6)
    ref = F.conv2d(T(x).permute(0, 3, 1, 2), T(w).permute(3, 2, 0, 1), padding=1, groups=groups).permute(0, 2, 3, 1)
    check(lambda a, b: relay.nn.conv2d(a, b, padding=(1, 1), groups=groups, data_layout="NHWC",
                                       kernel_layout="HWIO"), {"x": x, "w": w}, ref, atol=1e-4)


def test_conv2d_depthwise_and_out_dtype():
    x, w = rand(1, 4, 6, 6), rand(4, 1, 3, 3)
    ref = F.conv2d(T(x), T(w), padding=1, groups=4)
    check(lambda a, b: relay.nn.conv2d(a, b, padding=(1, 1), groups=4, channels=4, kernel_size=(3, 3)),
          {"x": x, "w": w}, ref, atol=1e-4)
    xi = RNG.integers(-5, 5, size=(1, 2, 5, 5)).astype("int8")
    wi = RNG.integers(-5, 5, size=(3, 2, 3, 3)).astype("int8")
    ref = F.conv2d(T(xi.astype("int64")), T(wi.astype("int64")))
    check(lambda a, b: relay.nn.conv2d(a, b, out_dtype="int32"), {"x": xi, "w": wi}, ref.numpy().astype("int32"))


@pytest.mark.parametrize("strides,padding,dilation,groups", [(1, 0, 1, 1), (2, (1, 2), 1, 1), (1, 1, 2, 2)])
def test_conv1d(strides, padding, dilation, groups):
    x, w = rand(2, 4, 13), rand(6, 4 // groups, 3)
    pad = (padding, padding) if isinstance(padding, int) else padding
    ref = F.conv1d(F.pad(T(x), pad), T(w), stride=strides, dilation=dilation, groups=groups)
    check(lambda a, b: relay.nn.conv1d(a, b, strides=strides, padding=padding, dilation=dilation, groups=groups),
          {"x": x, "w": w}, ref, atol=1e-4)


def test_conv1d_nwc():
    x, w = rand(2, 11, 3), rand(3, 3, 5)
    ref = F.conv1d(T(x).permute(0, 2, 1), T(w).permute(2, 1, 0), padding=1).permute(0, 2, 1)
    check(lambda a, b: relay.nn.conv1d(a, b, padding=1, data_layout="NWC", kernel_layout="WIO"),
          {"x": x, "w": w}, ref, atol=1e-4)


@pytest.mark.parametrize("strides,padding,dilation", [(1, 0, 1), ((2, 1, 1), (1, 0, 1), 1), (1, 1, (1, 2, 1))])
def test_conv3d(strides, padding, dilation):
    x, w = rand(1, 2, 6, 7, 5), rand(4, 2, 3, 3, 3)
    ref = F.conv3d(T(x), T(w), stride=strides, padding=padding, dilation=dilation)
    check(lambda a, b: relay.nn.conv3d(a, b, strides=strides, padding=padding, dilation=dilation),
          {"x": x, "w": w}, ref, atol=1e-4)


def test_conv3d_ndhwc():
    x, w = rand(1, 5, 6, 4, 2), rand(3, 3, 3, 2, 4)
    ref = F.conv3d(T(x).permute(0, 4, 1, 2, 3), T(w).permute(4, 3, 0, 1, 2), padding=1).permute(0, 2, 3, 4, 1)
    check(lambda a, b: relay.nn.conv3d(a, b, padding=(1, 1, 1), data_layout="NDHWC", kernel_layout="DHWIO"),
          {"x": x, "w": w}, ref, atol=1e-4)


@pytest.mark.parametrize("strides,padding,output_padding,dilation,groups", [
    ((1, 1), (0, 0), (0, 0), (1, 1), 1), ((2, 2), (1, 1), (1, 1), (1, 1), 1), ((2, 3), (0, 1), (1, 2), (1, 1), 2),
    ((1, 1), (1, 1), (0, 0), (2, 2), 1)])
def test_conv2d_transpose(strides, padding, output_padding, dilation, groups):
    x, w = rand(2, 4, 5, 6), rand(4, 6 // groups, 3, 3)
    ref = F.conv_transpose2d(T(x), T(w), stride=strides, padding=padding, output_padding=output_padding,
                             dilation=dilation, groups=groups)
    check(lambda a, b: relay.nn.conv2d_transpose(a, b, strides=strides, padding=padding, dilation=dilation,
                                                 output_padding=output_padding, groups=groups, channels=6,
                                                 kernel_size=(3, 3)), {"x": x, "w": w}, ref, atol=1e-4)


def test_conv2d_transpose_oihw_kernel():
    x, w = rand(1, 3, 4, 4), rand(5, 3, 3, 3)  # OIHW: (out, in, kh, kw)
    ref = F.conv_transpose2d(T(x), T(w).permute(1, 0, 2, 3), stride=2)
    check(lambda a, b: relay.nn.conv2d_transpose(a, b, strides=(2, 2), kernel_layout="OIHW"),
          {"x": x, "w": w}, ref, atol=1e-4)


@pytest.mark.parametrize("strides,padding,output_padding", [(1, 0, 0), (2, 1, 1), (3, 2, 2)])
def test_conv1d_transpose(strides, padding, output_padding):
    x, w = rand(2, 3, 7), rand(3, 4, 4)
    ref = F.conv_transpose1d(T(x), T(w), stride=strides, padding=padding, output_padding=output_padding)
    check(lambda a, b: relay.nn.conv1d_transpose(a, b, strides=(strides,), padding=(padding,),
                                                 output_padding=(output_padding,)), {"x": x, "w": w}, ref, atol=1e-4)


def test_conv3d_transpose():
    x, w = rand(1, 2, 3, 4, 3), rand(2, 3, 3, 3, 3)
    ref = F.conv_transpose3d(T(x), T(w), stride=2, padding=1, output_padding=1)
    check(lambda a, b: relay.nn.conv3d_transpose(a, b, strides=(2, 2, 2), padding=(1, 1, 1),
                                                 output_padding=(1, 1, 1)), {"x": x, "w": w}, ref, atol=1e-4)


# ---------------------------------------------------------------- dense and matmul
@pytest.mark.parametrize("shape", [(4, 10), (2, 3, 10), (10,)])
def test_dense(shape):
    x, w = rand(*shape), rand(6, 10)
    check(lambda a, b: relay.nn.dense(a, b), {"x": x, "w": w}, x @ w.T, atol=1e-4)


@pytest.mark.parametrize("ta,tb", [(False, False), (False, True), (True, False), (True, True)])
def test_matmul(ta, tb):
    a, b = rand(5, 4), rand(4, 3)
    a = a.T.copy() if ta else a
    b = b.T.copy() if tb else b
    ref = (a.T if ta else a) @ (b.T if tb else b)
    check(lambda x, y: relay.nn.matmul(x, y, transpose_a=ta, transpose_b=tb), {"a": a, "b": b}, ref, atol=1e-4)


@pytest.mark.parametrize("ta,tb,batches", [(False, True, (3, 3)), (False, False, (3, 1)), (True, True, (1, 2)),
                                           (True, False, (2, 2))])
def test_batch_matmul(ta, tb, batches):
    a = rand(batches[0], 4, 5) if ta else rand(batches[0], 5, 4)
    b = rand(batches[1], 3, 4) if tb else rand(batches[1], 4, 3)
    ref = np.matmul(a.transpose(0, 2, 1) if ta else a, b.transpose(0, 2, 1) if tb else b)
    check(lambda x, y: relay.nn.batch_matmul(x, y, transpose_a=ta, transpose_b=tb), {"a": a, "b": b}, ref,
          atol=1e-4)


# ---------------------------------------------------------------- activations, softmax
def test_activations():
    x = rand(3, 4, 5)
    check(relay.nn.relu, {"x": x}, np.maximum(x, 0))
    check(lambda a: relay.nn.leaky_relu(a, alpha=0.2), {"x": x}, np.where(x > 0, x, 0.2 * x))
    slope = rand(4)
    check(lambda a, s: relay.nn.prelu(a, s), {"x": x, "s": slope}, np.where(x > 0, x, slope[:, None] * x))
    slope = rand(5)
    check(lambda a, s: relay.nn.prelu(a, s, axis=-1), {"x": x, "s": slope}, np.where(x > 0, x, slope * x))


@pytest.mark.parametrize("axis", [1, -1, 0])
def test_bias_add(axis):
    x = rand(2, 3, 4)
    b = rand(x.shape[axis])
    shape = [1, 1, 1]
    shape[axis] = -1
    check(lambda a, c: relay.nn.bias_add(a, c, axis=axis), {"x": x, "b": b}, x + b.reshape(shape))


@pytest.mark.parametrize("axis", [-1, 1, 0])
def test_softmax_log_softmax(axis):
    x = rand(3, 4, 5) * 3
    check(lambda a: relay.nn.softmax(a, axis=axis), {"x": x}, F.softmax(T(x), axis), atol=1e-6)
    check(lambda a: relay.nn.log_softmax(a, axis=axis), {"x": x}, F.log_softmax(T(x), axis), atol=1e-5)


def test_dropout_is_identity_at_inference():
    x = rand(4, 5)
    check(lambda a: relay.nn.dropout(a, rate=0.3), {"x": x}, x)
    check(lambda a: relay.nn.dropout_raw(a, rate=0.3), {"x": x}, [x, np.ones_like(x)])


# ---------------------------------------------------------------- pooling
@pytest.mark.parametrize("pool_size,strides,padding,dilation,ceil_mode", [
    ((2, 2), (2, 2), (0, 0), (1, 1), False), ((3, 3), (2, 2), (1, 1), (1, 1), True),
    ((3, 2), (1, 2), (1, 0), (1, 1), False), ((2, 2), (1, 1), (0, 0), (2, 2), False)])
def test_max_pool2d(pool_size, strides, padding, dilation, ceil_mode):
    x = rand(2, 3, 9, 10)
    ref = F.max_pool2d(T(x), pool_size, strides, padding, dilation, ceil_mode=ceil_mode)
    check(lambda a: relay.nn.max_pool2d(a, pool_size, strides, dilation, padding, ceil_mode=ceil_mode),
          {"x": x}, ref)


@pytest.mark.parametrize("count_include_pad", [True, False])
@pytest.mark.parametrize("ceil_mode", [False, True])
def test_avg_pool2d(count_include_pad, ceil_mode):
    x = rand(2, 3, 9, 10)
    ref = F.avg_pool2d(T(x), 3, 2, 1, ceil_mode=ceil_mode, count_include_pad=count_include_pad)
    check(lambda a: relay.nn.avg_pool2d(a, (3, 3), (2, 2), padding=(1, 1), ceil_mode=ceil_mode,
                                        count_include_pad=count_include_pad), {"x": x}, ref)


def test_pool2d_nhwc():
    x = rand(2, 8, 7, 3)
    ref = F.max_pool2d(T(x).permute(0, 3, 1, 2), 2, 2).permute(0, 2, 3, 1)
    check(lambda a: relay.nn.max_pool2d(a, (2, 2), (2, 2), layout="NHWC"), {"x": x}, ref)
    ref = F.avg_pool2d(T(x).permute(0, 3, 1, 2), 3, 1, 1).permute(0, 2, 3, 1)
    check(lambda a: relay.nn.avg_pool2d(a, (3, 3), (1, 1), padding=(1, 1), layout="NHWC", count_include_pad=True),
          {"x": x}, ref)


def test_pool1d_pool3d():
    x = rand(2, 3, 11)
    check(lambda a: relay.nn.max_pool1d(a, (3,), (2,), padding=(1,)), {"x": x}, F.max_pool1d(T(x), 3, 2, 1))
    check(lambda a: relay.nn.avg_pool1d(a, (2,), (2,)), {"x": x}, F.avg_pool1d(T(x), 2, 2))
    y = rand(1, 2, 5, 6, 7)
    check(lambda a: relay.nn.max_pool3d(a, (2, 2, 2), (2, 2, 2)), {"x": y}, F.max_pool3d(T(y), 2, 2))
    check(lambda a: relay.nn.avg_pool3d(a, (3, 3, 3), (1, 2, 2), padding=(1, 1, 1), count_include_pad=False),
          {"x": y}, F.avg_pool3d(T(y), 3, (1, 2, 2), 1, count_include_pad=False))


def test_global_pool():
    x = rand(2, 3, 5, 6)
    check(relay.nn.global_avg_pool2d, {"x": x}, x.mean((2, 3), keepdims=True))
    check(relay.nn.global_max_pool2d, {"x": x}, x.max((2, 3), keepdims=True))
    xh = x.transpose(0, 2, 3, 1).copy()
    check(lambda a: relay.nn.global_avg_pool2d(a, layout="NHWC"), {"x": xh}, xh.mean((1, 2), keepdims=True))


@pytest.mark.parametrize("output_size", [(1, 1), (3, 2), (4, 5), None])
def test_adaptive_pool2d(output_size):
    x = rand(2, 3, 9, 10)
    size = output_size or (9, 10)
    check(lambda a: relay.nn.adaptive_avg_pool2d(a, output_size), {"x": x}, F.adaptive_avg_pool2d(T(x), size))
    check(lambda a: relay.nn.adaptive_max_pool2d(a, output_size), {"x": x}, F.adaptive_max_pool2d(T(x), size))


def test_adaptive_pool1d_3d():
    x = rand(2, 3, 10)
    check(lambda a: relay.nn.adaptive_avg_pool1d(a, 4), {"x": x}, F.adaptive_avg_pool1d(T(x), 4))
    check(lambda a: relay.nn.adaptive_max_pool1d(a, 3), {"x": x}, F.adaptive_max_pool1d(T(x), 3))
    y = rand(1, 2, 5, 6, 7)
    check(lambda a: relay.nn.adaptive_avg_pool3d(a, (2, 3, 4)), {"x": y}, F.adaptive_avg_pool3d(T(y), (2, 3, 4)))
    check(lambda a: relay.nn.adaptive_max_pool3d(a, (1, 2, 3)), {"x": y}, F.adaptive_max_pool3d(T(y), (1, 2, 3)))


# ---------------------------------------------------------------- normalisation
@pytest.mark.parametrize("axis", [1, -1])
@pytest.mark.parametrize("center,scale", [(True, True), (False, False), (True, False)])
def test_batch_norm(axis, center, scale):
    x = rand(2, 3, 4, 5)
    c = x.shape[axis]
    gamma, beta, mean = rand(c), rand(c), rand(c)
    var = np.abs(rand(c)) + 0.1
    shape = [1] * 4
    shape[axis] = c
    ref = (x - mean.reshape(shape)) / np.sqrt(var.reshape(shape) + 1e-5)
    ref = ref * (gamma.reshape(shape) if scale else 1) + (beta.reshape(shape) if center else 0)
    check(lambda a, g, b, m, v: relay.Tuple(list(relay.nn.batch_norm(a, g, b, m, v, axis=axis, center=center,
                                                                     scale=scale))),
          {"x": x, "g": gamma, "b": beta, "m": mean, "v": var}, [ref, mean, var], atol=1e-4)


@pytest.mark.parametrize("axis", [-1, 1])
def test_layer_norm(axis):
    x = rand(2, 5, 6)
    c = x.shape[axis]
    gamma, beta = rand(c), rand(c)
    mean = x.mean(axis, keepdims=True)
    var = x.var(axis, keepdims=True)
    shape = [1, 1, 1]
    shape[axis] = c
    ref = (x - mean) / np.sqrt(var + 1e-5) * gamma.reshape(shape) + beta.reshape(shape)
    check(lambda a, g, b: relay.nn.layer_norm(a, g, b, axis=axis), {"x": x, "g": gamma, "b": beta}, ref, atol=1e-4)
    ref = (x - mean) / np.sqrt(var + 1e-5)
    check(lambda a, g, b: relay.nn.layer_norm(a, g, b, axis=axis, center=False, scale=False),
          {"x": x, "g": gamma, "b": beta}, ref, atol=1e-4)


def test_instance_group_norm():
    x = rand(2, 6, 4, 5)
    gamma, beta = rand(6), rand(6)
    check(lambda a, g, b: relay.nn.instance_norm(a, g, b), {"x": x, "g": gamma, "b": beta},
          F.instance_norm(T(x), weight=T(gamma), bias=T(beta)), atol=1e-4)
    for groups in (1, 2, 3, 6):
        check(lambda a, g, b: relay.nn.group_norm(a, g, b, num_groups=groups), {"x": x, "g": gamma, "b": beta},
              F.group_norm(T(x), groups, weight=T(gamma), bias=T(beta)), atol=1e-4)


@pytest.mark.parametrize("size,alpha,beta,bias", [(3, 1e-4, 0.75, 2.0), (5, 0.1, 0.5, 1.0)])
def test_lrn(size, alpha, beta, bias):
    x = rand(2, 6, 3, 4)
    check(lambda a: relay.nn.lrn(a, size=size, axis=1, alpha=alpha, beta=beta, bias=bias), {"x": x},
          F.local_response_norm(T(x), size, alpha, beta, bias), atol=1e-5)


@pytest.mark.parametrize("axis", [[1], [1, 2], [-1]])
def test_l2_normalize(axis):
    x = rand(2, 3, 4)
    ax = tuple(a % 3 for a in axis)
    ref = x / np.sqrt(np.maximum((x * x).sum(ax, keepdims=True), 1e-6))
    check(lambda a: relay.nn.l2_normalize(a, 1e-6, axis=axis), {"x": x}, ref)


# ---------------------------------------------------------------- padding, resampling, shuffles
@pytest.mark.parametrize("mode", ["constant", "edge", "reflect"])
def test_pad(mode):
    x = rand(2, 3, 4, 5)
    width = ((0, 0), (1, 0), (2, 1), (1, 3))
    kwargs = {"constant_values": 1.5} if mode == "constant" else {}
    ref = np.pad(x, width, mode=mode, **kwargs)
    check(lambda a: relay.nn.pad(a, width, pad_value=1.5, pad_mode=mode), {"x": x}, ref)


@pytest.mark.parametrize("dtype", ["float32", "int32"])
def test_pad_negative_widths_crop(dtype):
    x = (rand(4, 6, 3, 5) * 10).astype(dtype)
    width = ((-1, -1), (2, -2), (0, -2), (4, 4))
    v = np.array(2, dtype)
    ref = np.pad(x[1:3, :4, :1, :], ((0, 0), (2, 0), (0, 0), (4, 4)), constant_values=2)
    check(lambda a, b: relay.nn.pad(a, width, b), {"x": x, "v": v}, ref)


def test_pad_cropping_past_the_axis_is_a_type_error():
    x = relay.var("x", shape=(4, 6))
    func = relay.Function([x], relay.nn.pad(x, ((-3, -2), (0, 0))))
    with pytest.raises(tvm.error.DiagnosticError, match=r"pad_width\[0\] = \(-3, -2\) crops more than axis 0"):
        relay.transform.InferType()(tvm.IRModule.from_expr(func))


def test_pad_value_is_an_input():
    x = rand(3, 4)
    v = np.array(-2.0, "float32")
    check(lambda a, b: relay.nn.pad(a, ((1, 1), (0, 2)), b), {"x": x, "v": v},
          np.pad(x, ((1, 1), (0, 2)), constant_values=-2.0))


@pytest.mark.parametrize("method,align_corners", [("nearest_neighbor", False), ("bilinear", True),
                                                  ("bilinear", False)])
def test_upsampling(method, align_corners):
    x = rand(1, 2, 4, 5)
    if method == "nearest_neighbor":
        ref = F.interpolate(T(x), scale_factor=(2, 3), mode="nearest")
    elif align_corners:
        ref = F.interpolate(T(x), scale_factor=(2, 3), mode="bilinear", align_corners=True)
    else:  # TVM maps output to input coordinates asymmetrically (out * in / out_size), unlike PyTorch
        ref = _bilinear_asymmetric(x, 8, 15)
    check(lambda a: relay.nn.upsampling(a, 2, 3, method=method, align_corners=align_corners), {"x": x}, ref,
          atol=1e-5)


def _bilinear_asymmetric(x, oh, ow):
    n, c, h, w = x.shape
    ys = np.arange(oh) * h / oh
    xs = np.arange(ow) * w / ow
    y0 = np.floor(ys).astype(int)
    x0 = np.floor(xs).astype(int)
    y1 = np.minimum(y0 + 1, h - 1)
    x1 = np.minimum(x0 + 1, w - 1)
    dy = (ys - y0)[:, None]
    dx = (xs - x0)[None, :]
    top = x[:, :, y0][:, :, :, x0] * (1 - dx) + x[:, :, y0][:, :, :, x1] * dx
    bottom = x[:, :, y1][:, :, :, x0] * (1 - dx) + x[:, :, y1][:, :, :, x1] * dx
    return (top * (1 - dy) + bottom * dy).astype("float32")


def test_upsampling3d():
    x = rand(1, 2, 3, 4, 2)
    ref = F.interpolate(T(x), scale_factor=(2, 2, 3), mode="nearest")
    check(lambda a: relay.nn.upsampling3d(a, 2, 2, 3, coordinate_transformation_mode="asymmetric"), {"x": x}, ref)
    ref = F.interpolate(T(x), scale_factor=(2, 2, 3), mode="trilinear", align_corners=False)
    check(lambda a: relay.nn.upsampling3d(a, 2, 2, 3, method="trilinear"), {"x": x}, ref, atol=1e-5)


def test_batch_flatten_depth_space():
    x = rand(2, 8, 3, 4)
    check(relay.nn.batch_flatten, {"x": x}, x.reshape(2, -1))
    check(lambda a: relay.nn.depth_to_space(a, 2, mode="CRD"), {"x": x}, F.pixel_shuffle(T(x), 2))
    # DCR: the channel index is (block_row, block_col, c)
    ref = x.reshape(2, 2, 2, 2, 3, 4).transpose(0, 3, 4, 1, 5, 2).reshape(2, 2, 6, 8)
    check(lambda a: relay.nn.depth_to_space(a, 2), {"x": x}, ref)
    y = rand(2, 3, 4, 6)
    ref = y.reshape(2, 3, 2, 2, 3, 2).transpose(0, 3, 5, 1, 2, 4).reshape(2, 12, 2, 3)
    check(lambda a: relay.nn.space_to_depth(a, 2), {"x": y}, ref)


def test_integer_average_pooling_truncates():
    x = RNG.integers(0, 50, size=(1, 2, 7, 7)).astype("int32")
    windows = x[:, :, :6, :6].reshape(1, 2, 3, 2, 3, 2).sum((3, 5))
    check(lambda a: relay.nn.avg_pool2d(a, (2, 2), (2, 2)), {"x": x}, windows // 4)
    check(relay.nn.global_avg_pool2d, {"x": x}, x.sum((2, 3), keepdims=True) // 49)
    check(lambda a: relay.nn.adaptive_avg_pool2d(a, (1, 1)), {"x": x}, x.sum((2, 3), keepdims=True) // 49)


def test_max_pool_window_in_padding_is_the_lowest_value():
    x = rand(1, 1, 2, 2)
    v = relay.var("x", shape=x.shape)
    out = run(relay.Function([v], relay.nn.max_pool2d(v, (1, 1), (2, 2), padding=(2, 2))), x)
    assert out.numpy()[0, 0, 0, 0] == np.finfo("float32").min
    ref = tvm.topi.testing.poolnd_python(x, (1, 1), (2, 2), (1, 1), (2, 2), (2, 2), "max", count_include_pad=False)
    np.testing.assert_array_equal(out.numpy(), ref)


def test_conv2d_transpose_nhwc_hwoi():
    x, w = rand(1, 5, 6, 4), rand(3, 3, 7, 4)  # NHWC data, HWOI weight (kh, kw, out, in)
    ref = F.conv_transpose2d(T(x).permute(0, 3, 1, 2), T(w).permute(3, 2, 0, 1), stride=2, padding=1,
                             output_padding=1).permute(0, 2, 3, 1)
    check(lambda a, b: relay.nn.conv2d_transpose(a, b, strides=(2, 2), padding=(1, 1), output_padding=(1, 1),
                                                 data_layout="NHWC", kernel_layout="HWOI"),
          {"x": x, "w": w}, ref, atol=1e-4)


def test_out_layout_of_conv_and_pool():
    x, w = rand(1, 3, 6, 6), rand(4, 3, 3, 3)
    ref = F.conv2d(T(x), T(w), padding=1).permute(0, 2, 3, 1)
    check(lambda a, b: relay.nn.conv2d(a, b, padding=(1, 1), out_layout="NHWC"), {"x": x, "w": w}, ref, atol=1e-4)
    ref = F.max_pool2d(T(x), 2, 2).permute(0, 2, 3, 1)
    check(lambda a: relay.nn.max_pool2d(a, (2, 2), (2, 2), out_layout="NHWC"), {"x": x}, ref)


@pytest.mark.parametrize("mode", ["REFLECT", "SYMMETRIC"])
def test_mirror_pad(mode):
    x = rand(2, 3, 4)
    width = ((0, 0), (1, 2), (2, 1))
    check(lambda a: relay.nn.mirror_pad(a, width, mode), {"x": x}, np.pad(x, width, mode.lower()))


def test_dilate():
    x = rand(2, 3, 4)
    ref = np.full((2, 5, 10), 1.5, "float32")
    ref[:, ::2, ::3] = x
    check(lambda a: relay.nn.dilate(a, (1, 2, 3), 1.5), {"x": x}, ref)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_nll_loss(reduction):
    p = rand(4, 5, 3)
    t = RNG.integers(0, 5, size=(4, 3)).astype("int32")
    t[0, 0] = t[2, 1] = -100
    w = np.abs(rand(5)) + 0.1
    ref = F.nll_loss(T(p), T(t).long(), T(w), reduction=reduction, ignore_index=-100)
    check(lambda a, b, c: relay.nn.nll_loss(a, b, c, reduction, -100), {"p": p, "t": t, "w": w}, ref)


def test_cross_entropy():
    q = np.abs(rand(4, 5)) + 0.1
    y = np.abs(rand(4, 5))
    check(relay.nn.cross_entropy, {"q": q, "y": y}, np.array(-(np.log(q) * y).sum() / 4, "float32"))
    check(relay.nn.cross_entropy_with_logits, {"q": q, "y": y}, np.array(-(q * y).sum() / 4, "float32"))
