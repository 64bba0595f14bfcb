# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""relay.nn: convolution, pooling, dense, activation and normalisation operators.

Signatures and defaults are TVM v0.14's. Scalar window arguments (strides,
kernel_size, ...) are widened to one entry per spatial axis; padding becomes
(before..., after...) pairs, as TVM stores it.
"""
from ...expr import TupleWrapper, const, Expr, Constant
from . import _make

__all__ = [
    "conv1d", "conv2d", "conv3d", "conv1d_transpose", "conv2d_transpose", "conv3d_transpose", "deformable_conv2d",
    "dense", "contrib_dense_pack", "matmul", "batch_matmul", "bias_add",
    "max_pool1d", "max_pool2d", "max_pool3d", "avg_pool1d", "avg_pool2d", "avg_pool3d",
    "global_max_pool1d", "global_max_pool2d", "global_max_pool3d",
    "global_avg_pool1d", "global_avg_pool2d", "global_avg_pool3d",
    "adaptive_max_pool1d", "adaptive_max_pool2d", "adaptive_max_pool3d",
    "adaptive_avg_pool1d", "adaptive_avg_pool2d", "adaptive_avg_pool3d",
    "softmax", "log_softmax", "relu", "leaky_relu", "prelu", "dropout", "dropout_raw",
    "batch_norm", "layer_norm", "group_norm", "instance_norm", "l2_normalize", "lrn",
    "pad", "mirror_pad", "dilate", "nll_loss", "cross_entropy", "cross_entropy_with_logits", "upsampling", "upsampling3d", "batch_flatten", "depth_to_space", "space_to_depth",
    "contrib_conv2d_nchwc", "contrib_depthwise_conv2d_nchwc",
    "contrib_conv2d_winograd_without_weight_transform", "contrib_conv2d_winograd_weight_transform",
]


def _widen(value, n):
    """An int becomes n copies; sequences stay as they are."""
    if isinstance(value, int):
        return (value,) * n
    return tuple(value)


def _pad_tuple(padding, n):
    """TVM's padding forms: one value, one per axis (symmetric), or before... then after..."""
    if isinstance(padding, int):
        return (padding,) * (2 * n)
    padding = tuple(padding)
    if len(padding) == n:
        return padding + padding
    if len(padding) == 2 * n:
        return padding
    if len(padding) == 1:
        return padding * (2 * n)
    raise ValueError(
        "padding must have 1, %d or %d entries for a %d-D window, got %s" % (n, 2 * n, n, padding)
    )


def _conv(make, n, data, weight, strides, padding, dilation, groups, channels, kernel_size,
          data_layout, kernel_layout, out_layout, out_dtype):
    if kernel_size is not None:
        kernel_size = _widen(kernel_size, n)
    return make(data, weight, _widen(strides, n), _pad_tuple(padding, n), _widen(dilation, n), groups,
                channels, kernel_size, data_layout, kernel_layout, out_layout, out_dtype)


def conv1d(data, weight, strides=1, padding=0, dilation=1, groups=1, channels=None, kernel_size=None,
           data_layout="NCW", kernel_layout="OIW", out_layout="", out_dtype=""):
    """1-D convolution."""
    return _conv(_make.conv1d, 1, data, weight, strides, padding, dilation, groups, channels, kernel_size,
                 data_layout, kernel_layout, out_layout, out_dtype)


def conv2d(data, weight, strides=(1, 1), padding=(0, 0), dilation=(1, 1), groups=1, channels=None,
           kernel_size=None, data_layout="NCHW", kernel_layout="OIHW", out_layout="", out_dtype=""):
    """2-D convolution (grouped and depthwise with groups)."""
    return _conv(_make.conv2d, 2, data, weight, strides, padding, dilation, groups, channels, kernel_size,
                 data_layout, kernel_layout, out_layout, out_dtype)


def contrib_conv2d_nchwc(data, kernel, strides=(1, 1), padding=(0, 0), dilation=(1, 1), groups=1, channels=None,
                         kernel_size=None, data_layout="NCHW8c", kernel_layout="OIHW", out_layout="", out_dtype=""):
    """2-D convolution in blocked layouts: data NCHW<i>c (or NCHW), kernel OIHW<i>i<o>o, output
    NCHW<o>c (what AlterOpLayout turns nn.conv2d into on CPUs)."""
    return _conv(_make.contrib_conv2d_NCHWc, 2, data, kernel, strides, padding, dilation, groups, channels,
                 kernel_size, data_layout, kernel_layout, out_layout, out_dtype)


def contrib_depthwise_conv2d_nchwc(data, kernel, strides=(1, 1), padding=(0, 0), dilation=(1, 1), groups=1,
                                   channels=None, kernel_size=None, data_layout="NCHW8c", kernel_layout="OIHW",
                                   out_layout="", out_dtype=""):
    """Depthwise 2-D convolution in blocked layouts: data NCHW<c>c, kernel OIHW1i<c>o, output NCHW<c>c,
    groups = channels."""
    return _conv(_make.contrib_depthwise_conv2d_NCHWc, 2, data, kernel, strides, padding, dilation, groups,
                 channels, kernel_size, data_layout, kernel_layout, out_layout, out_dtype)


def contrib_conv2d_winograd_without_weight_transform(data, weight, tile_size, strides=(1, 1), padding=(0, 0),
                                                     dilation=(1, 1), groups=1, channels=None, kernel_size=None,
                                                     data_layout="NCHW", kernel_layout="OIHW", out_layout="",
                                                     out_dtype=""):
    """Stride-1 3x3 convolution by Winograd's F(tile_size x tile_size, 3 x 3) with a weight already
    transformed by contrib_conv2d_winograd_weight_transform: [a, a, O, I] for NCHW data, packed as
    [a, a, O/k, I, k] for blocked NCHW<c>c data (output NCHW<k>c), a = tile_size + 2."""
    if kernel_size is not None:
        kernel_size = _widen(kernel_size, 2)
    return _make.contrib_conv2d_winograd_without_weight_transform(
        data, weight, tile_size, _widen(strides, 2), _pad_tuple(padding, 2), _widen(dilation, 2), groups, channels,
        kernel_size, data_layout, kernel_layout, out_layout, out_dtype)


def contrib_conv2d_winograd_weight_transform(weight, tile_size):
    """The Winograd transform G w G^T of an OIHW 3x3 weight: [tile_size + 2, tile_size + 2, O, I]."""
    return _make.contrib_conv2d_winograd_weight_transform(weight, tile_size)


def conv3d(data, weight, strides=(1, 1, 1), padding=(0, 0, 0), dilation=(1, 1, 1), groups=1,
           channels=None, kernel_size=None, data_layout="NCDHW", kernel_layout="OIDHW", out_layout="",
           out_dtype=""):
    """3-D convolution."""
    return _conv(_make.conv3d, 3, data, weight, strides, padding, dilation, groups, channels, kernel_size,
                 data_layout, kernel_layout, out_layout, out_dtype)


def _conv_transpose(make, n, data, weight, strides, padding, dilation, groups, channels, kernel_size,
                    data_layout, kernel_layout, out_layout, output_padding, out_dtype):
    if kernel_size is not None:
        kernel_size = _widen(kernel_size, n)
    return make(data, weight, _widen(strides, n), _pad_tuple(padding, n), _widen(dilation, n), groups,
                channels, kernel_size, data_layout, kernel_layout, out_layout,
                _widen(output_padding, n), out_dtype)


def conv1d_transpose(data, weight, strides=(1,), padding=(0,), dilation=(1,), groups=1, channels=None,
                     kernel_size=None, data_layout="NCW", kernel_layout="IOW", out_layout="",
                     output_padding=(0,), out_dtype=""):
    """1-D transposed convolution."""
    return _conv_transpose(_make.conv1d_transpose, 1, data, weight, strides, padding, dilation, groups,
                           channels, kernel_size, data_layout, kernel_layout, out_layout, output_padding,
                           out_dtype)


def conv2d_transpose(data, weight, strides=(1, 1), padding=(0, 0), dilation=(1, 1), groups=1,
                     channels=None, kernel_size=None, data_layout="NCHW", kernel_layout="IOHW",
                     out_layout="", output_padding=(0, 0), out_dtype=""):
    """2-D transposed convolution."""
    return _conv_transpose(_make.conv2d_transpose, 2, data, weight, strides, padding, dilation, groups,
                           channels, kernel_size, data_layout, kernel_layout, out_layout, output_padding,
                           out_dtype)


def conv3d_transpose(data, weight, strides=(1, 1, 1), padding=(0, 0, 0), dilation=(1, 1, 1), groups=1,
                     channels=None, kernel_size=None, data_layout="NCDHW", kernel_layout="IODHW",
                     out_layout="", output_padding=(0, 0, 0), out_dtype=""):
    """3-D transposed convolution."""
    return _conv_transpose(_make.conv3d_transpose, 3, data, weight, strides, padding, dilation, groups,
                           channels, kernel_size, data_layout, kernel_layout, out_layout, output_padding,
                           out_dtype)


def dense(data, weight, units=None, out_dtype=""):
    """data (..., K) times weight (units, K) transposed."""
    return _make.dense(data, weight, units, out_dtype)


def contrib_dense_pack(data, weight, weight_layout="NC", units=None, out_dtype=""):
    """data (..., K) times a packed weight (units / n, K, n) (weight_layout "NC<n>n"), as dense."""
    return _make.contrib_dense_pack(data, weight, weight_layout, units, out_dtype)


def matmul(tensor_a, tensor_b, units=None, out_dtype="", transpose_a=False, transpose_b=False):
    """Matrix product with optional transposes (nn.dense when only transpose_b)."""
    if not transpose_a and transpose_b:
        return dense(tensor_a, tensor_b, units, out_dtype)
    return _make.matmul(tensor_a, tensor_b, units, out_dtype, transpose_a, transpose_b)


def batch_matmul(tensor_a, tensor_b, out_dtype="", transpose_a=False, transpose_b=True):
    """Batched matrix product of 3-D tensors."""
    return _make.batch_matmul(tensor_a, tensor_b, out_dtype, transpose_a, transpose_b)


def bias_add(data, bias, axis=1):
    """data + bias along axis."""
    return _make.bias_add(data, bias, axis)


def _pool(make, n, data, pool_size, strides, dilation, padding, layout, out_layout, ceil_mode, *extra):
    return make(data, _widen(pool_size, n), _widen(strides, n), _widen(dilation, n), _pad_tuple(padding, n),
                layout, out_layout, ceil_mode, *extra)


def max_pool1d(data, pool_size=(1,), strides=(1,), dilation=(1,), padding=(0,), layout="NCW",
               out_layout="", ceil_mode=False):
    """1-D max pooling."""
    return _pool(_make.max_pool1d, 1, data, pool_size, strides, dilation, padding, layout, out_layout, ceil_mode)


def max_pool2d(data, pool_size=(1, 1), strides=(1, 1), dilation=(1, 1), padding=(0, 0), layout="NCHW",
               out_layout="", ceil_mode=False):
    """2-D max pooling."""
    return _pool(_make.max_pool2d, 2, data, pool_size, strides, dilation, padding, layout, out_layout, ceil_mode)


def max_pool3d(data, pool_size=(1, 1, 1), strides=(1, 1, 1), dilation=(1, 1, 1), padding=(0, 0, 0),
               layout="NCDHW", out_layout="", ceil_mode=False):
    """3-D max pooling."""
    return _pool(_make.max_pool3d, 3, data, pool_size, strides, dilation, padding, layout, out_layout, ceil_mode)


def avg_pool1d(data, pool_size=(1,), strides=(1,), dilation=(1,), padding=(0,), layout="NCW",
               out_layout="", ceil_mode=False, count_include_pad=False):
    """1-D average pooling."""
    return _pool(_make.avg_pool1d, 1, data, pool_size, strides, dilation, padding, layout, out_layout, ceil_mode,
                 count_include_pad)


def avg_pool2d(data, pool_size=(1, 1), strides=(1, 1), dilation=(1, 1), padding=(0, 0), layout="NCHW",
               out_layout="", ceil_mode=False, count_include_pad=False):
    """2-D average pooling."""
    return _pool(_make.avg_pool2d, 2, data, pool_size, strides, dilation, padding, layout, out_layout, ceil_mode,
                 count_include_pad)


def avg_pool3d(data, pool_size=(1, 1, 1), strides=(1, 1, 1), dilation=(1, 1, 1), padding=(0, 0, 0),
               layout="NCDHW", out_layout="", ceil_mode=False, count_include_pad=False):
    """3-D average pooling."""
    return _pool(_make.avg_pool3d, 3, data, pool_size, strides, dilation, padding, layout, out_layout, ceil_mode,
                 count_include_pad)


def global_max_pool2d(data, layout="NCHW", out_layout=""):
    """Max over the whole spatial extent."""
    return _make.global_max_pool2d(data, layout, out_layout)


def global_avg_pool2d(data, layout="NCHW", out_layout=""):
    """Mean over the whole spatial extent."""
    return _make.global_avg_pool2d(data, layout, out_layout)


def _output_size(output_size):
    if output_size is None:
        return []
    if isinstance(output_size, int):
        return [output_size]
    return list(output_size)


def adaptive_max_pool1d(data, output_size=None, layout="NCW", out_layout=""):
    """Max pooling to a given output width."""
    return _make.adaptive_max_pool1d(data, _output_size(output_size), layout, out_layout)


def adaptive_avg_pool1d(data, output_size=None, layout="NCW", out_layout=""):
    """Average pooling to a given output width."""
    return _make.adaptive_avg_pool1d(data, _output_size(output_size), layout, out_layout)


def adaptive_max_pool2d(data, output_size=None, layout="NCHW", out_layout=""):
    """Max pooling to a given output height and width."""
    return _make.adaptive_max_pool2d(data, _output_size(output_size), layout, out_layout)


def adaptive_avg_pool2d(data, output_size=None, layout="NCHW", out_layout=""):
    """Average pooling to a given output height and width."""
    return _make.adaptive_avg_pool2d(data, _output_size(output_size), layout, out_layout)


def adaptive_max_pool3d(data, output_size=None, layout="NCDHW", out_layout=""):
    """Max pooling to a given output depth, height and width."""
    return _make.adaptive_max_pool3d(data, _output_size(output_size), layout, out_layout)


def adaptive_avg_pool3d(data, output_size=None, layout="NCDHW", out_layout=""):
    """Average pooling to a given output depth, height and width."""
    return _make.adaptive_avg_pool3d(data, _output_size(output_size), layout, out_layout)


def global_max_pool1d(data, layout="NCW", out_layout=""):
    """Max over the whole width (an adaptive pool to 1)."""
    return _make.adaptive_max_pool1d(data, [1], layout, out_layout)


def global_avg_pool1d(data, layout="NCW", out_layout=""):
    """Mean over the whole width (an adaptive pool to 1)."""
    return _make.adaptive_avg_pool1d(data, [1], layout, out_layout)


def global_max_pool3d(data, layout="NCDHW", out_layout=""):
    """Max over the whole volume (an adaptive pool to 1)."""
    return _make.adaptive_max_pool3d(data, [1, 1, 1], layout, out_layout)


def global_avg_pool3d(data, layout="NCDHW", out_layout=""):
    """Mean over the whole volume (an adaptive pool to 1)."""
    return _make.adaptive_avg_pool3d(data, [1, 1, 1], layout, out_layout)


def softmax(data, axis=-1):
    """exp(x) / sum(exp(x)) along axis."""
    return _make.softmax(data, axis)


def log_softmax(data, axis=-1):
    """log(softmax(x)) along axis."""
    return _make.log_softmax(data, axis)


def relu(data):
    """max(x, 0)."""
    return _make.relu(data)


def leaky_relu(data, alpha=0.01):
    """x if x > 0 else alpha * x."""
    return _make.leaky_relu(data, alpha)


def prelu(data, alpha, axis=1):
    """x if x > 0 else alpha[c] * x along axis."""
    return _make.prelu(data, alpha, axis)


def dropout(data, rate=0.5):
    """Dropout; the output (the first field of dropout_raw)."""
    return TupleWrapper(dropout_raw(data, rate), 2)[0]


def dropout_raw(data, rate=0.5):
    """Dropout returning (output, mask)."""
    return _make.dropout(data, rate)


def batch_norm(data, gamma, beta, moving_mean, moving_var, axis=1, epsilon=1e-5, center=True, scale=True):
    """Batch normalisation; a TupleWrapper of (out, new mean, new var)."""
    result = _make.batch_norm(data, gamma, beta, moving_mean, moving_var, axis, epsilon, center, scale)
    return TupleWrapper(result, 3)


def instance_norm(data, gamma, beta, axis=1, epsilon=1e-5, center=True, scale=True):
    """Instance normalisation."""
    return _make.instance_norm(data, gamma, beta, axis, epsilon, center, scale)


def layer_norm(data, gamma, beta, axis=-1, epsilon=1e-5, center=True, scale=True):
    """Layer normalisation."""
    return _make.layer_norm(data, gamma, beta, axis, epsilon, center, scale)


def group_norm(data, gamma, beta, num_groups, axis=1, epsilon=1e-5, center=True, scale=True):
    """Group normalisation."""
    return _make.group_norm(data, gamma, beta, num_groups, axis, epsilon, center, scale)


def l2_normalize(data, eps, axis=None):
    """x / sqrt(max(sum(x^2, axis), eps))."""
    return _make.l2_normalize(data, eps, list(axis) if axis is not None else [])


def lrn(data, size=5, axis=1, bias=2, alpha=0.00001, beta=0.75):
    """Local response normalisation."""
    return _make.lrn(data, size, axis, float(bias), float(alpha), float(beta))


def pad(data, pad_width, pad_value=0, pad_mode="constant"):
    """Pad each axis by its (before, after) pair; pad_value may be an expression."""
    if isinstance(pad_width, Constant):
        pad_width = pad_width.data.numpy().tolist()
    if not isinstance(pad_value, Expr):
        pad_value = const(pad_value)
    if isinstance(pad_width, Expr):  # a (rank, 2) tensor expression: dyn.nn.pad
        from ..dyn.nn import _make as _dyn_make  # pylint: disable=import-outside-toplevel

        return _dyn_make.pad(data, pad_width, pad_value, pad_mode)
    pad_width = [list(p) for p in pad_width]
    return _make.pad(data, pad_width, pad_value, pad_mode)


def upsampling(data, scale_h=1, scale_w=1, layout="NCHW", method="nearest_neighbor", align_corners=False):
    """Spatial upsampling by scale_h and scale_w."""
    scale_h, scale_w = (_scalar_value(s) for s in (scale_h, scale_w))
    if isinstance(scale_h, Expr) or isinstance(scale_w, Expr):  # scalar tensor expressions: dyn.nn.upsampling
        from ..dyn.nn import _make as _dyn_make  # pylint: disable=import-outside-toplevel

        scale_h, scale_w = (_scale_expr(s) for s in (scale_h, scale_w))
        return _dyn_make.upsampling(data, scale_h, scale_w, layout, method, align_corners)
    return _make.upsampling(data, float(scale_h), float(scale_w), layout, method, align_corners)


def upsampling3d(data, scale_d=1, scale_h=1, scale_w=1, layout="NCDHW", method="nearest_neighbor",
                 coordinate_transformation_mode="half_pixel"):
    """Volumetric upsampling."""
    scales = [_scalar_value(s) for s in (scale_d, scale_h, scale_w)]
    if any(isinstance(s, Expr) for s in scales):  # scalar tensor expressions: dyn.nn.upsampling3d
        from ..dyn.nn import _make as _dyn_make  # pylint: disable=import-outside-toplevel

        scales = [_scale_expr(s) for s in scales]
        return _dyn_make.upsampling3d(data, *scales, layout, method, coordinate_transformation_mode)
    return _make.upsampling3d(data, *[float(s) for s in scales], layout, method, coordinate_transformation_mode)


def _scalar_value(value):
    """A constant's value as a Python number; other expressions stay (they make the op dynamic)."""
    return value.data.numpy().item() if isinstance(value, Constant) else value


def _scale_expr(value):
    return value if isinstance(value, Expr) else const(float(value), "float64")


def batch_flatten(data):
    """(N, ...) -> (N, product of the rest)."""
    return _make.batch_flatten(data)


def depth_to_space(data, block_size, layout="NCHW", mode="DCR"):
    """Move channel blocks into spatial blocks."""
    return _make.depth_to_space(data, block_size, layout, mode)


def space_to_depth(data, block_size, layout="NCHW"):
    """Move spatial blocks into channels."""
    return _make.space_to_depth(data, block_size, layout)


def mirror_pad(data, pad_width, mode="SYMMETRIC"):
    """Pad by mirroring: SYMMETRIC repeats the edge, REFLECT does not."""
    return _make.mirror_pad(data, [list(p) for p in pad_width], mode)


def dilate(data, strides, dilation_value=0.0):
    """Insert strides[i] - 1 copies of dilation_value between neighbours on axis i."""
    return _make.dilate(data, list(strides), float(dilation_value))


def nll_loss(predictions, targets, weights, reduction="mean", ignore_index=-100):
    """Negative log likelihood: predictions (N, C, ...), targets (N, ...), weights (C,)."""
    return _make.nll_loss(predictions, targets, weights, reduction, ignore_index)


def cross_entropy(predictions, targets):
    """-sum(targets * log(predictions)) / batch."""
    return _make.cross_entropy(predictions, targets)


def cross_entropy_with_logits(predictions, targets):
    """-sum(targets * predictions) / batch for log-probability predictions."""
    return _make.cross_entropy_with_logits(predictions, targets)


def deformable_conv2d(data, offset, weight, strides=(1, 1), padding=(0, 0), dilation=(1, 1), deformable_groups=1,
                      groups=1, channels=None, kernel_size=None, data_layout="NCHW", kernel_layout="OIHW",
                      out_layout="", out_dtype=""):
    """2-D convolution whose sampling positions move by offset (N, 2 * deformable_groups * kh * kw, H', W')."""
    if kernel_size is not None:
        kernel_size = _widen(kernel_size, 2)
    return _make.deformable_conv2d(data, offset, weight, _widen(strides, 2), _pad_tuple(padding, 2),
                                   _widen(dilation, 2), deformable_groups, groups, channels, kernel_size,
                                   data_layout, kernel_layout, out_layout, out_dtype)


# ---------------------------------------------------------------- space/batch (src/relay/op/nn/space_batch.cc)

__all__ += ["space_to_batch_nd", "batch_to_space_nd"]


def space_to_batch_nd(data, block_shape, paddings, pad_value=0):
    """Pad the M spatial axes after the batch by paddings [[before, after], ...], cut them into
    block_shape tiles and move the tile offsets into the batch."""
    return _make.space_to_batch_nd(data, [int(b) for b in block_shape], [[int(p) for p in pair] for pair in paddings],
                                   float(pad_value))


def batch_to_space_nd(data, block_shape, crops):
    """The inverse of space_to_batch_nd: batch blocks back into the spatial axes, cropped by
    crops [[begin, end], ...]."""
    return _make.batch_to_space_nd(data, [int(b) for b in block_shape], [[int(c) for c in pair] for pair in crops])


# ---------------------------------------------------------------- bit-serial (src/relay/op/nn/bitserial.cc)

__all__ += ["bitserial_dense"]


def bitserial_dense(data, weight, units=None, data_bits=1, weight_bits=1, pack_dtype="uint32", out_dtype="int16",
                    unipolar=True):
    """Dense over the low data_bits / weight_bits bits of integer data (..., in_dim) and weight
    (units, in_dim); unipolar weight bits stand for -1 / +1."""
    return _make.bitserial_dense(data, weight, units, int(data_bits), int(weight_bits), pack_dtype, out_dtype,
                                 bool(unipolar))


__all__ += ["correlation"]


def correlation(data1, data2, kernel_size, max_displacement, stride1, stride2, padding, is_multiply, layout):
    """FlowNet's correlation of two NCHW feature maps: (N, (2 * (max_displacement // stride2) + 1)^2, H', W')."""
    if isinstance(padding, int):
        padding = (padding, padding)
    return _make.correlation(data1, data2, int(kernel_size), int(max_displacement), int(stride1), int(stride2),
                             [int(p) for p in padding], bool(is_multiply), layout)


__all__ += ["bitpack", "bitserial_conv2d"]


def bitpack(data, bits=1, pack_axis=1, bit_axis=2, pack_type="uint32", name="BitPack"):
    """The low `bits` bits of data packed along pack_axis into pack_type words, one bit plane per
    entry of a new axis at bit_axis."""
    return _make.bitpack(data, int(bits), int(pack_axis), int(bit_axis), pack_type, name)


def bitserial_conv2d(data, weight, strides=(1, 1), padding=(0, 0), channels=None, kernel_size=(3, 3),
                     activation_bits=1, weight_bits=1, data_layout="NCHW", kernel_layout="OIHW",
                     pack_dtype="uint32", out_dtype="int16", unipolar=True):
    """conv2d over the low activation_bits / weight_bits bits of integer data and weight."""
    if isinstance(padding, int):
        padding = (padding, padding)
    if len(padding) == 2:
        padding = (padding[0], padding[1], padding[0], padding[1])
    return _make.bitserial_conv2d(data, weight, [int(s) for s in strides], [int(p) for p in padding], channels,
                                  [int(k) for k in kernel_size], int(activation_bits), int(weight_bits), data_layout,
                                  kernel_layout, pack_dtype, out_dtype, bool(unipolar))
