# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""numpy references of the nn operators, under the names TVM's tests call.

Convolutions share one N-d routine that slides the (dilated) kernel over
the padded input with strided slices and contracts channels with einsum.
"""
import itertools
import math

import numpy as np

from ..nn.utils import get_pad_tuple_generic


def _pads(padding, kernel):
    """(before, after) per spatial axis; padding as TVM's get_pad_tuple forms (a 2-d 4-tuple is t, l, b, r)."""
    begin, end = get_pad_tuple_generic(padding, list(kernel))
    return [int(b) for b in begin], [int(e) for e in end]


def _as_tuple(v, n):
    return (v,) * n if isinstance(v, int) else tuple(v)


def conv_nd_ncx(a_np, w_np, stride, pad_before, pad_after, dilation=1, groups=1, out_dtype=None):
    """Convolution, data (N, C, *S), weight (O, C / groups, *K)."""
    n = a_np.ndim - 2
    stride, dilation = _as_tuple(stride, n), _as_tuple(dilation, n)
    dtype = out_dtype or a_np.dtype
    a = np.pad(a_np.astype(dtype), [(0, 0), (0, 0)] + list(zip(pad_before, pad_after)))
    batch, channels = a.shape[:2]
    out_c, group_in = w_np.shape[:2]
    kernel = w_np.shape[2:]
    out_sp = [(a.shape[2 + i] - (kernel[i] - 1) * dilation[i] - 1) // stride[i] + 1 for i in range(n)]
    a = a.reshape(batch, groups, channels // groups, *a.shape[2:])
    w = w_np.astype(dtype).reshape(groups, out_c // groups, group_in, *kernel)
    out = np.zeros((batch, groups, out_c // groups, *out_sp), dtype=dtype)
    for k in itertools.product(*[range(s) for s in kernel]):
        sl = tuple(slice(k[i] * dilation[i], k[i] * dilation[i] + stride[i] * (out_sp[i] - 1) + 1, stride[i])
                   for i in range(n))
        window = a[(slice(None), slice(None), slice(None)) + sl]
        out += np.einsum("ngc...,goc->ngo...", window, w[(slice(None),) * 3 + k])
    return out.reshape(batch, out_c, *out_sp)


def conv_transpose_nd_ncx(a_np, w_np, stride, pad_before, pad_after, output_padding, groups=1, dilation=1):
    """Transposed convolution, data (N, C, *S), weight (C, O / groups, *K)."""
    n = a_np.ndim - 2
    stride, dilation = _as_tuple(stride, n), _as_tuple(dilation, n)
    output_padding = _as_tuple(output_padding, n)
    batch, channels = a_np.shape[:2]
    group_out = w_np.shape[1]
    kernel = w_np.shape[2:]
    full = [(a_np.shape[2 + i] - 1) * stride[i] + (kernel[i] - 1) * dilation[i] + 1 + output_padding[i]
            for i in range(n)]
    out = np.zeros((batch, groups, group_out, *full), dtype=a_np.dtype)
    a = a_np.reshape(batch, groups, channels // groups, *a_np.shape[2:])
    w = w_np.reshape(groups, channels // groups, group_out, *kernel)
    for k in itertools.product(*[range(s) for s in kernel]):
        sl = tuple(slice(k[i] * dilation[i], k[i] * dilation[i] + stride[i] * (a_np.shape[2 + i] - 1) + 1,
                         stride[i]) for i in range(n))
        out[(slice(None),) * 3 + sl] += np.einsum("ngc...,gco->ngo...", a, w[(slice(None),) * 3 + k])
    out = out.reshape(batch, groups * group_out, *full)
    sl = tuple(slice(pad_before[i], full[i] - pad_after[i]) for i in range(n))
    return out[(slice(None), slice(None)) + sl]


def dilate_python(input_np, strides, dilation_value=0.0, out_dtype=None):
    """Insert strides[i] - 1 copies of dilation_value between elements of axis i."""
    dtype = out_dtype or input_np.dtype
    shape = [(d - 1) * s + 1 for d, s in zip(input_np.shape, strides)]
    out = np.full(shape, dilation_value, dtype=dtype)
    out[tuple(slice(None, None, s) for s in strides)] = input_np
    return out


def conv1d_ncw_python(a_np, w_np, stride, padding, dilation):
    """1-d convolution in NCW, weight OIW."""
    return group_conv1d_ncw_python(a_np, w_np, stride, padding, dilation, 1)


def group_conv1d_ncw_python(a_np, w_np, stride, padding, dilation, groups):
    """Grouped 1-d convolution in NCW."""
    d = dilation[0] if isinstance(dilation, (tuple, list)) else dilation
    b, e = _pads(padding, [(w_np.shape[2] - 1) * d + 1])
    return conv_nd_ncx(a_np, w_np, stride, b, e, d, groups)


def conv2d_nchw_python(a_np, w_np, stride, padding, groups=1):
    """2-d convolution in NCHW, weight OIHW (dilate the weight first for dilation)."""
    b, e = _pads(padding, w_np.shape[2:])
    return conv_nd_ncx(a_np, w_np, stride, b, e, 1, groups)


def conv2d_nhwc_python(a_np, w_np, stride, padding, groups=1):
    """2-d convolution in NHWC, weight HWIO."""
    out = conv2d_nchw_python(a_np.transpose(0, 3, 1, 2), w_np.transpose(3, 2, 0, 1), stride, padding, groups)
    return out.transpose(0, 2, 3, 1)


def conv3d_ncdhw_python(a_np, w_np, stride, padding, groups=1):
    """3-d convolution in NCDHW, weight OIDHW."""
    b, e = _pads(padding, w_np.shape[2:])
    return conv_nd_ncx(a_np, w_np, stride, b, e, 1, groups)


def conv3d_ndhwc_python(a_np, w_np, stride, padding, groups=1):
    """3-d convolution in NDHWC, weight DHWIO."""
    out = conv3d_ncdhw_python(a_np.transpose(0, 4, 1, 2, 3), w_np.transpose(4, 3, 0, 1, 2), stride, padding,
                              groups)
    return out.transpose(0, 2, 3, 4, 1)


def depthwise_conv2d_python_nchw(input_np, filter_np, stride, padding):
    """Depthwise convolution, weight (C, multiplier, KH, KW)."""
    c, m, kh, kw = filter_np.shape
    return conv2d_nchw_python(input_np, filter_np.reshape(c * m, 1, kh, kw), stride, padding, groups=c)


def depthwise_conv2d_python_nhwc(input_np, filter_np, stride, padding):
    """Depthwise convolution, data NHWC, weight (KH, KW, C, multiplier)."""
    out = depthwise_conv2d_python_nchw(input_np.transpose(0, 3, 1, 2), filter_np.transpose(2, 3, 0, 1), stride,
                                       padding)
    return out.transpose(0, 2, 3, 1)


def conv2d_transpose_nchw_python(a_np, w_np, stride, padding, output_padding, groups=1):
    """Transposed 2-d convolution, weight (C_in, C_out / groups, KH, KW)."""
    b, e = _pads(padding, w_np.shape[2:])
    return conv_transpose_nd_ncx(a_np, w_np, stride, b, e, output_padding, groups)


def conv2d_transpose_nhwc_python(a_nhwc, weight, weight_format, stride, padding, output_padding=(0, 0)):
    """Transposed 2-d convolution of NHWC data; weight_format is one of HWIO, HWOI, OIHW, IOHW
    (I = the data's channels, O = the output's). Returns NHWC."""
    if a_nhwc.ndim != 4 or weight.ndim != 4:
        raise ValueError(f"conv2d_transpose_nhwc_python: data {a_nhwc.shape} and weight {weight.shape} "
                         "must both be 4-d")
    if sorted(weight_format) != sorted("IOHW"):
        raise ValueError(f"conv2d_transpose_nhwc_python: weight_format must be HWIO, HWOI, OIHW or IOHW, "
                         f"got {weight_format!r}")
    # The NCHW reference wants (I, O, H, W): pick each of those axes out of weight_format.
    w_iohw = np.transpose(weight, [weight_format.index(c) for c in "IOHW"])
    out = conv2d_transpose_nchw_python(a_nhwc.transpose(0, 3, 1, 2), w_iohw, stride, padding, output_padding)
    return out.transpose(0, 2, 3, 1)


def conv1d_transpose_ncw_python(a_np, w_np, stride, padding, output_padding):
    """Transposed 1-d convolution, weight (C_in, C_out, K)."""
    b, e = _pads(padding, w_np.shape[2:])
    return conv_transpose_nd_ncx(a_np, w_np, stride, b, e, output_padding)


def conv3d_transpose_ncdhw_python(a_np, w_np, stride, padding, output_padding):
    """Transposed 3-d convolution, weight (C_in, C_out, KD, KH, KW)."""
    b, e = _pads(padding, w_np.shape[2:])
    return conv_transpose_nd_ncx(a_np, w_np, stride, b, e, output_padding)


def dense(x, y, bias, use_bias=False, use_relu=False, out_dtype=None):
    """x @ y.T (+ bias) (then relu)."""
    dtype = out_dtype or x.dtype
    out = np.dot(x.astype(dtype), y.T.astype(dtype))
    if use_bias:
        out = out + bias.astype(dtype)
    if use_relu:
        out = np.maximum(out, 0)
    return out.astype(dtype)


def batch_matmul(x, y, out_dtype=None, trans_x=False, trans_y=True):
    """Batched x @ y with broadcast batch; y transposed by default."""
    if trans_x:
        x = x.transpose(0, 2, 1)
    if trans_y:
        y = y.transpose(0, 2, 1)
    dtype = out_dtype or x.dtype
    return np.matmul(x.astype(dtype), y.astype(dtype)).astype(dtype)


def softmax_python(a_np, axis=1):
    """softmax along axis."""
    e = np.exp(a_np - np.max(a_np, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def log_softmax_python(a_np, axis=1):
    """log_softmax along axis."""
    shifted = a_np - np.max(a_np, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def _spatial_first(layout):
    """Permutation that puts N, C first and D, H, W after (a channel-first view of layout)."""
    order = [layout.index("N"), layout.index("C")] + [layout.index(c) for c in "DHW" if c in layout]
    return order


def poolnd_python(np_data, kernel, strides, dilation, padding_before, padding_after, pool_type,
                  count_include_pad=True, ceil_mode=False, dtype="float32", layout=None):
    """Windowed pooling; ceil_mode pads the end with up to stride - 1 more elements (never counted)."""
    n = len(kernel)
    layout = layout or ["NCW", "NCHW", "NCDHW"][n - 1]
    perm = _spatial_first(layout)
    data = np_data.transpose(perm).astype("float64")
    out_sp, extra = [], []
    for i in range(n):
        span = (kernel[i] - 1) * dilation[i] + 1
        total = data.shape[2 + i] + padding_before[i] + padding_after[i] - span
        o = (-(-total // strides[i]) if ceil_mode else total // strides[i]) + 1
        out_sp.append(o)
        extra.append(max(0, (o - 1) * strides[i] + span - (data.shape[2 + i] + padding_before[i]
                                                          + padding_after[i])))
    # As TVM's reference: max pooling's explicit padding holds 0 when count_include_pad (TVM's tests
    # apply relu after pooling, which maps TOPI's lowest-value padding to the same 0), else the lowest
    # finite value; the windows ceil_mode adds past the padding never win a max and never count.
    lowest = float(np.finfo(np_data.dtype).min if np.issubdtype(np_data.dtype, np.floating)
                   else np.iinfo(np_data.dtype).min)
    fill = (0.0 if count_include_pad else lowest) if pool_type == "max" else 0.0
    padded = np.pad(data, [(0, 0), (0, 0)] + [(padding_before[i], padding_after[i]) for i in range(n)],
                    constant_values=fill)
    padded = np.pad(padded, [(0, 0), (0, 0)] + [(0, extra[i]) for i in range(n)],
                    constant_values=lowest if pool_type == "max" else 0.0)
    out = np.zeros(data.shape[:2] + tuple(out_sp))
    for idx in itertools.product(*[range(o) for o in out_sp]):
        sl = tuple(slice(idx[i] * strides[i], idx[i] * strides[i] + (kernel[i] - 1) * dilation[i] + 1, dilation[i])
                   for i in range(n))
        window = padded[(slice(None), slice(None)) + sl]
        if pool_type == "max":
            val = window.reshape(*window.shape[:2], -1).max(axis=2)
        else:
            count = 1
            for i in range(n):
                pos = idx[i] * strides[i] - padding_before[i] + np.arange(kernel[i]) * dilation[i]
                lo, hi = (-padding_before[i], data.shape[2 + i] + padding_after[i]) if count_include_pad \
                    else (0, data.shape[2 + i])
                count *= int(((pos >= lo) & (pos < hi)).sum())
            val = window.reshape(*window.shape[:2], -1).sum(axis=2) / max(count, 1)
        out[(slice(None), slice(None)) + idx] = val
    return out.transpose(np.argsort(perm)).astype(dtype)


def adaptive_pool(np_data, out_size, pool_type, layout):
    """Adaptive pooling: output o reads [floor(o * in / out), ceil((o + 1) * in / out)) per spatial axis."""
    if isinstance(out_size, int):
        out_size = (out_size,)
    perm = _spatial_first(layout)
    data = np_data.transpose(perm)
    op = np.max if pool_type == "max" else np.mean
    ins = data.shape[2:]
    out = np.zeros(data.shape[:2] + tuple(out_size), dtype=np_data.dtype)
    for idx in itertools.product(*[range(o) for o in out_size]):
        sl = tuple(slice(idx[i] * ins[i] // out_size[i], -(-(idx[i] + 1) * ins[i] // out_size[i]))
                   for i in range(len(out_size)))
        out[(slice(None), slice(None)) + idx] = op(data[(slice(None), slice(None)) + sl],
                                                  axis=tuple(range(2, 2 + len(out_size))))
    return out.transpose(np.argsort(perm))


def batch_norm(x, gamma, beta, moving_mean, moving_var, axis, epsilon, center, scale, training, momentum):
    """Batch norm; training uses the batch statistics and updates the moving ones with momentum."""
    shape = [1] * x.ndim
    shape[axis] = x.shape[axis]
    if training:
        red = tuple(i for i in range(x.ndim) if i != axis)
        mean, var = x.mean(axis=red), x.var(axis=red)
        new_mean = moving_mean * (1 - momentum) + mean * momentum
        new_var = moving_var * (1 - momentum) + var * momentum
    else:
        mean, var, new_mean, new_var = moving_mean, moving_var, moving_mean, moving_var
    out = (x - mean.reshape(shape)) / np.sqrt(var.reshape(shape) + epsilon)
    if scale:
        out = out * gamma.reshape(shape)
    if center:
        out = out + beta.reshape(shape)
    return [out, new_mean, new_var]


def layer_norm_python(data, gamma, beta, axis, epsilon=1e-5):
    """Normalise over axis; gamma/beta (beta may be None) broadcast over those axes."""
    axis = tuple(a % data.ndim for a in ([axis] if isinstance(axis, int) else axis))
    mean = data.mean(axis=axis, keepdims=True)
    var = data.var(axis=axis, keepdims=True)
    shape = [data.shape[i] if i in axis else 1 for i in range(data.ndim)]
    out = (data - mean) / np.sqrt(var + epsilon) * gamma.reshape(shape)
    return out + beta.reshape(shape) if beta is not None else out


def instance_norm_python(data, gamma, beta, axis, epsilon=1e-5):
    """As layer_norm over the spatial axes of one instance."""
    return layer_norm_python(data, gamma, beta, axis, epsilon)


def group_norm_python(data, gamma, beta, num_groups, channel_axis, axes, epsilon=1e-5):
    """Group norm: channel_axis split into num_groups, normalised over each group's channels and axes."""
    shape = list(data.shape)
    c = shape[channel_axis]
    split = shape[:channel_axis] + [num_groups, c // num_groups] + shape[channel_axis + 1:]
    x = data.reshape(split)
    red = tuple([channel_axis + 1] + [a + 1 if a > channel_axis else a for a in axes])
    mean = x.mean(axis=red, keepdims=True)
    var = x.var(axis=red, keepdims=True)
    x = ((x - mean) / np.sqrt(var + epsilon)).reshape(shape)
    pshape = [1] * data.ndim
    pshape[channel_axis] = c
    return x * gamma.reshape(pshape) + beta.reshape(pshape)


def lrn_python(a_np, size, axis, bias, alpha, beta):
    """Local response normalisation along axis over a window of size:
    a / (bias + alpha * window_sum(a^2) / size) ** beta.

    Computed step by step in a's own dtype, in the order TVM's operator evaluates it, so that a
    float16 result agrees with the operator to the last bit (a float64 reference rounded once at
    the end differs from it by one float16 ulp in about a third of the elements).
    """
    dtype = a_np.dtype
    half = size // 2
    sq = np.moveaxis(a_np * a_np, axis, 0)
    padded = np.pad(sq, [(half, half)] + [(0, 0)] * (sq.ndim - 1))
    win = np.zeros_like(sq)
    for i in range(size):  # accumulate in dtype, window element by element, as the operator does
        win = win + padded[i:i + sq.shape[0]]
    scaled = (dtype.type(alpha) * win) / dtype.type(size)
    denom = np.power(dtype.type(bias) + scaled, dtype.type(beta))
    return np.moveaxis(np.moveaxis(a_np, axis, 0) / denom, 0, axis).astype(dtype)


def l2_normalize_python(a_np, eps, axis=None):
    """a / sqrt(max(sum(a^2 over axis), eps)); axis is one axis, a list of them, or None (all)."""
    if axis is not None:
        axis = (int(axis),) if np.isscalar(axis) else tuple(int(a) for a in axis)
    return a_np / np.sqrt(np.maximum(np.sum(a_np * a_np, axis=axis, keepdims=True), eps))


def depth_to_space_python(data, block_size, mode="DCR"):
    """NCHW depth_to_space."""
    n, c, h, w = data.shape
    b = block_size
    if mode == "DCR":
        x = data.reshape(n, b, b, c // (b * b), h, w).transpose(0, 3, 4, 1, 5, 2)
    else:
        x = data.reshape(n, c // (b * b), b, b, h, w).transpose(0, 1, 4, 2, 5, 3)
    return x.reshape(n, c // (b * b), h * b, w * b)


def space_to_depth_python(data, block_size):
    """NCHW space_to_depth (the inverse of DCR depth_to_space)."""
    n, c, h, w = data.shape
    b = block_size
    x = data.reshape(n, c, h // b, b, w // b, b).transpose(0, 3, 5, 1, 2, 4)
    return x.reshape(n, c * b * b, h // b, w // b)


def _coordinate(x, n_in, n_out, mode):
    if mode == "align_corners":
        return (n_in - 1) / (n_out - 1) * x if n_out > 1 else 0.0
    if mode == "asymmetric":
        return x * n_in / n_out
    if mode == "half_pixel":
        return (x + 0.5) * n_in / n_out - 0.5
    if mode == "pytorch_half_pixel":
        return (x + 0.5) * n_in / n_out - 0.5 if n_out > 1 else 0.0
    if mode == "tf_half_pixel_for_nn":
        return (x + 0.5) * n_in / n_out
    raise ValueError(f"unsupported coordinate_transformation_mode {mode}")


def _resize_axis(data, axis, n_out, method, mode, alpha=-0.5, exclude=False):
    """Resize one axis of data (separable: the methods are products of per-axis weights)."""
    n_in = data.shape[axis]
    moved = np.moveaxis(data.astype("float64"), axis, 0)
    out = np.zeros((n_out,) + moved.shape[1:])
    at = lambda i: moved[min(max(i, 0), n_in - 1)]  # noqa: E731
    for x in range(n_out):
        c = _coordinate(x, n_in, n_out, mode)
        if method == "nearest_neighbor":
            # round (halves away from zero) for align_corners, else floor, as resize's defaults.
            if mode == "align_corners":
                i = int(math.floor(abs(c) + 0.5)) * (1 if c >= 0 else -1)
            else:
                i = math.floor(c + 1e-5)
            out[x] = at(i)
        elif method == "linear":
            i = math.floor(c)
            t = c - i
            out[x] = at(i) * (1 - t) + at(i + 1) * t
        else:
            i = math.floor(c)
            t = c - i
            w = [alpha * (t**3 - 2 * t**2 + t), (alpha + 2) * t**3 - (alpha + 3) * t**2 + 1,
                 -(alpha + 2) * t**3 + (2 * alpha + 3) * t**2 - alpha * t, -alpha * t**3 + alpha * t**2]
            taps = [i - 1 + k for k in range(4)]
            if exclude:
                w = [0.0 if (j < 0 or j >= n_in) else wk for j, wk in zip(taps, w)]
                w = [wk / sum(w) for wk in w]
            out[x] = sum(at(j) * wk for j, wk in zip(taps, w))
    return np.moveaxis(out, 0, axis)


def _resize_python(data, scale, layout, method, mode, n):
    perm = _spatial_first(layout)
    x = data.transpose(perm)
    for i in range(n):
        size = int(round(x.shape[2 + i] * scale[i]))
        x = _resize_axis(x, 2 + i, size, method, mode)
    return x.transpose(np.argsort(perm)).astype(data.dtype)


def resize1d_python(data, scale, layout="NCW", method="nearest_neighbor",
                    coordinate_transformation_mode="align_corners"):
    """Resize W by scale[0]."""
    return _resize_python(data, scale, layout, method, coordinate_transformation_mode, 1)


def resize2d_python(data, scale, layout="NCHW", method="nearest_neighbor",
                    coordinate_transformation_mode="align_corners"):
    """Resize H, W by scale."""
    return _resize_python(data, scale, layout, method, coordinate_transformation_mode, 2)


def resize3d_python(data, scale, layout="NCDHW", method="nearest_neighbor",
                    coordinate_transformation_mode="align_corners"):
    """Resize D, H, W by scale."""
    return _resize_python(data, scale, layout, method, coordinate_transformation_mode, 3)


def crop_and_resize_python(image, boxes, box_indices, crop_size, layout, method="bilinear",
                           extrapolation_value=0):
    """Crop and resize each box (y1, x1, y2, x2, normalised) of image[box_indices[b]]."""
    x = image.transpose(0, 3, 1, 2) if layout == "NHWC" else image
    _, channels, height, width = x.shape
    th, tw = crop_size
    out = np.zeros((boxes.shape[0], channels, th, tw), dtype="float64")

    def coords(lo, hi, size, n_out):
        if n_out > 1:
            return [lo * (size - 1) + i * (hi - lo) * (size - 1) / (n_out - 1) for i in range(n_out)]
        return [0.5 * (lo + hi) * (size - 1)]

    for b in range(boxes.shape[0]):
        y1, x1, y2, x2 = [float(v) for v in boxes[b]]
        img = x[box_indices[b]].astype("float64")
        for i, cy in enumerate(coords(y1, y2, height, th)):
            for j, cx in enumerate(coords(x1, x2, width, tw)):
                if cy < 0 or cy > height - 1 or cx < 0 or cx > width - 1:
                    out[b, :, i, j] = extrapolation_value
                elif method == "bilinear":
                    y0, x0 = math.floor(cy), math.floor(cx)
                    ty, tx = cy - y0, cx - x0
                    y1_, x1_ = min(y0 + 1, height - 1), min(x0 + 1, width - 1)
                    top = img[:, y0, x0] * (1 - tx) + img[:, y0, x1_] * tx
                    bottom = img[:, y1_, x0] * (1 - tx) + img[:, y1_, x1_] * tx
                    out[b, :, i, j] = top * (1 - ty) + bottom * ty
                else:
                    yi = int(math.floor(abs(cy) + 0.5))
                    xi = int(math.floor(abs(cx) + 0.5))
                    out[b, :, i, j] = img[:, yi, xi]
    if layout == "NHWC":
        out = out.transpose(0, 2, 3, 1)
    return out.astype(image.dtype)


def affine_grid_python(data, target_shape):
    """(batch, 2, H, W): each (2, 3) matrix applied to an H x W grid spanning [-1, 1]."""
    h, w = target_shape
    ys = -1 + np.arange(h) * 2.0 / max(h - 1, 1)
    xs = -1 + np.arange(w) * 2.0 / max(w - 1, 1)
    yy, xx = np.meshgrid(ys, xs, indexing="ij")
    base = np.stack([xx, yy, np.ones_like(xx)])  # (3, H, W)
    return np.einsum("bij,jhw->bihw", data.astype("float64"), base).astype(data.dtype)


def _reflect(x, twice_low, twice_high):
    if twice_low == twice_high:
        return np.zeros_like(x)
    low, span = twice_low / 2, (twice_high - twice_low) / 2
    d = np.abs(x - low)
    flips = np.floor(d / span)
    extra = d - flips * span
    return np.where(flips % 2 == 0, extra + low, span - extra + low)


def _pad_coordinate(c, size, padding_mode, align_corners):
    if padding_mode == "zeros":
        return c
    if padding_mode == "reflection":
        c = _reflect(c, 0, 2.0 * (size - 1)) if align_corners else _reflect(c, -1, 2.0 * size - 1)
    return np.clip(c, 0, size - 1)


def grid_sample_python(data, grid, method="bilinear", layout="NCHW", padding_mode="zeros", align_corners=True):
    """Sample data (NCHW / NCDHW) at grid (batch, spatial, out...), channel k of grid for axis W, H, D."""
    del layout
    ns = data.ndim - 2
    batch, channels = data.shape[:2]
    out = np.zeros((batch, channels) + grid.shape[2:])
    for b in range(batch):
        coords, taps, weights = [], [], []
        for a in range(ns):
            size = data.shape[2 + a]
            g = grid[b, ns - 1 - a].astype("float64")
            c = (g + 1) / 2 * (size - 1) if align_corners else ((g + 1) * size - 1) / 2
            if method == "bicubic":
                f = np.floor(c)
                t = c - f
                A = -0.75
                near = lambda x: ((A + 2) * x - (A + 3)) * x * x + 1  # noqa: E731
                far = lambda x: ((A * x - 5 * A) * x + 8 * A) * x - 4 * A  # noqa: E731
                weights.append([far(t + 1), near(t), near(1 - t), far(2 - t)])
                taps.append([_pad_coordinate(f + j - 1, size, padding_mode, align_corners).astype(int)
                             for j in range(4)])
                continue
            c = _pad_coordinate(c, size, padding_mode, align_corners)
            if method == "nearest":
                taps.append([np.rint(c).astype(int)])
                weights.append([np.ones_like(c)])
            else:
                f = np.floor(c)
                t = c - f
                taps.append([f.astype(int), f.astype(int) + 1])
                weights.append([1 - t, t])
        for k in itertools.product(*[range(len(t)) for t in taps]):
            w = np.ones(grid.shape[2:])
            inside = np.ones(grid.shape[2:], dtype=bool)
            index = []
            for a in range(ns):
                i = taps[a][k[a]]
                inside &= (i >= 0) & (i < data.shape[2 + a])
                index.append(np.clip(i, 0, data.shape[2 + a] - 1))
                w = w * weights[a][k[a]]
            vals = data[b][(slice(None),) + tuple(index)]
            out[b] += np.where(inside, vals, 0) * w
    return out.astype(data.dtype)


def rms_norm_python(data, weight, bias, axis, epsilon=1e-5):
    """data / sqrt(mean(data^2 over axis) + epsilon) * weight (+ bias)."""
    axis = tuple(axis) if isinstance(axis, (list, tuple)) else (axis,)
    square_mean = np.mean(np.square(data.astype("float64")), axis=axis, keepdims=True)
    out = data / np.sqrt(square_mean + epsilon) * weight
    return (out + bias if bias is not None else out).astype(data.dtype)


def pool_grad_nchw(a_np, out_grad_np, pool_size, strides, padding, pool_type, ceil_mode, count_include_pad=True):
    """Gradient of 2-d NCHW pooling: max to each window's first maximum, avg spread over the counted elements."""
    del ceil_mode  # out_grad_np's shape already says how many windows there are
    kh, kw = pool_size
    sh, sw = strides
    pt, pl, pb, pr = padding
    _, _, ih, iw = a_np.shape
    oh, ow = out_grad_np.shape[2:]
    grad = np.zeros(a_np.shape, dtype="float64")
    for i in range(oh):
        for j in range(ow):
            h0, w0 = i * sh - pt, j * sw - pl
            hs, he = max(h0, 0), min(h0 + kh, ih)
            ws, we = max(w0, 0), min(w0 + kw, iw)
            g = out_grad_np[:, :, i, j].astype("float64")
            if pool_type == "max":
                if hs >= he or ws >= we:
                    continue
                window = a_np[:, :, hs:he, ws:we].reshape(a_np.shape[0], a_np.shape[1], -1)
                first = window.argmax(axis=2)
                for n in range(a_np.shape[0]):
                    for c in range(a_np.shape[1]):
                        y, x = divmod(int(first[n, c]), we - ws)
                        grad[n, c, hs + y, ws + x] += g[n, c]
            else:
                if count_include_pad:
                    count = (min(h0 + kh, ih + pb) - h0) * (min(w0 + kw, iw + pr) - w0)
                else:
                    count = max(he - hs, 0) * max(we - ws, 0)
                if count > 0 and hs < he and ws < we:
                    grad[:, :, hs:he, ws:we] += (g / count)[:, :, None, None]
    return grad.astype(a_np.dtype)


def nll_loss(predictions, targets, weights, reduction="mean", ignore_index=-100):
    """Negative log likelihood loss, as topi.nn.nll_loss (predictions (N, C, d...) or (C,))."""
    if predictions.ndim == 1:
        return nll_loss(predictions[None], np.asarray(targets)[None], weights, reduction,
                        ignore_index)[0 if reduction == "none" else ()]
    keep = targets != ignore_index
    t = np.where(keep, targets, 0).astype(int)
    picked = np.take_along_axis(predictions, np.expand_dims(t, 1), axis=1).squeeze(1)
    w = np.where(keep, weights[t], 0)
    loss = -picked * w
    if reduction == "sum":
        return np.array(loss.sum(), dtype=predictions.dtype)
    if reduction == "mean":
        return np.array(loss.sum() / w.sum(), dtype=predictions.dtype)
    return loss.astype(predictions.dtype)
