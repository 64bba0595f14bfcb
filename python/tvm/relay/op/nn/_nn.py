# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Computes and schedules of the neural-network operators (relay.nn.*).

Each compute translates the operator's attributes into a call of the TOPI
operator (tvm.topi.nn); convolutions, dense and pooling take the generic nn
schedules, the injective ones (padding, activations, layout shuffles) the
injective schedule.
"""
import re

from .... import te
from .... import tir
from .... import topi
from ....topi.nn import schedules as _nn_schedules
from ..op import register_compute, register_schedule, register_injective_schedule, register_broadcast_schedule
from ..op import register_alter_op_layout, register_convert_op_layout
from .._tensor import op_exists


def _nn_schedule(attrs, outs, target):  # pylint: disable=unused-argument
    with target:
        return _nn_schedules.default_schedule(outs)


def _ints(values):
    return [int(v) for v in values]


def _to_layout(tensor, src, dst):
    return tensor if src == dst or not dst else topi.layout_transform(tensor, src, dst)


# ---------------------------------------------------------------- activations
# nn.relu, nn.leaky_relu, nn.bias_add, nn.batch_flatten and nn.pad register their computes and
# schedules in C++ (src/relay/op/nn/nn_compute.cc).


@register_compute("nn.prelu")
def _prelu_compute(attrs, inputs, out_type):  # pylint: disable=unused-argument
    axis = int(attrs.axis)
    return [topi.nn.prelu(inputs[0], inputs[1], axis + len(inputs[0].shape) if axis < 0 else axis)]


@register_compute("nn.dropout")
def _dropout_compute(attrs, inputs, out_type):  # pylint: disable=unused-argument
    # Inference: the identity, with a mask that keeps everything.
    mask_type = out_type.fields[1]
    return [topi.identity(inputs[0]), topi.full(mask_type.shape, mask_type.dtype, 1.0)]


for _name in ["nn.prelu", "nn.dropout"]:
    register_broadcast_schedule(_name)


# ---------------------------------------------------------------- softmax
@register_compute("nn.softmax")
def _softmax_compute(attrs, inputs, out_type):  # pylint: disable=unused-argument
    return [topi.nn.softmax(inputs[0], int(attrs.axis))]


@register_compute("nn.log_softmax")
def _log_softmax_compute(attrs, inputs, out_type):  # pylint: disable=unused-argument
    return [topi.nn.log_softmax(inputs[0], int(attrs.axis))]


register_schedule("nn.softmax", _nn_schedule)
register_schedule("nn.log_softmax", _nn_schedule)
if op_exists("nn.fast_softmax"):

    @register_compute("nn.fast_softmax")
    def _fast_softmax_compute(attrs, inputs, out_type):  # pylint: disable=unused-argument
        return [topi.nn.fast_softmax(inputs[0], int(attrs.axis))]

    register_schedule("nn.fast_softmax", _nn_schedule)


# ---------------------------------------------------------------- dense and matmul
@register_compute("nn.dense")
def _dense_compute(attrs, inputs, out_type):
    data, weight = inputs
    if len(data.shape) == 2:
        return [topi.nn.dense(data, weight, None, out_type.dtype)]
    # Relay's dense takes any leading dimensions: flatten them around TOPI's 2-d dense.
    flat = topi.reshape(data, [-1, data.shape[-1]])
    return [topi.reshape(topi.nn.dense(flat, weight, None, out_type.dtype), out_type.shape)]


@register_compute("nn.matmul")
def _matmul_compute(attrs, inputs, out_type):
    return [topi.nn.matmul(inputs[0], inputs[1], None, out_type.dtype, bool(attrs.transpose_a),
                           bool(attrs.transpose_b))]


@register_compute("nn.batch_matmul")
def _batch_matmul_compute(attrs, inputs, out_type):
    return [topi.nn.batch_matmul(inputs[0], inputs[1], None, out_type.dtype, bool(attrs.transpose_a),
                                 bool(attrs.transpose_b))]


@register_compute("nn.contrib_dense_pack")
def _dense_pack_compute(attrs, inputs, out_type):
    # The weight is already in (N/n, K, n) panels; the GEMM that reads them is plain TE.
    return [topi.x86.dense_pack(inputs[0], inputs[1], None, out_type.dtype)]


for _name in ["nn.dense", "nn.matmul", "nn.batch_matmul", "nn.contrib_dense_pack"]:
    register_schedule(_name, _nn_schedule)


@register_alter_op_layout("nn.dense")
def _alter_dense_layout(attrs, inputs, tinfos, out_type):
    # Target-dispatched: x86 packs a constant weight for nn.contrib_dense_pack.
    return topi.nn.dense_alter_layout(attrs, inputs, tinfos, out_type)


# ---------------------------------------------------------------- convolutions
def _primal(layout):
    return "".join(c for c in layout if not c.islower() and not c.isdigit())


def _conv_compute(attrs, inputs, out_type):
    data, weight = inputs
    data_layout = str(attrs.data_layout)
    kernel_layout = str(attrs.kernel_layout)
    out_layout = str(attrs.out_layout) or data_layout
    # Blocked layouts (NCHW4c, OIHW4i4o) are computed in their primal ones, between transforms.
    plain_data, plain_kernel = _primal(data_layout), _primal(kernel_layout)
    data = _to_layout(data, data_layout, plain_data)
    weight = _to_layout(weight, kernel_layout, plain_kernel)
    out = topi.nn.conv(data, weight, _ints(attrs.strides), _ints(attrs.padding), _ints(attrs.dilation),
                       int(attrs.groups), plain_data, plain_kernel, out_type.dtype)
    return [_to_layout(out, plain_data, out_layout)]


def _conv_transpose_compute(attrs, inputs, out_type):
    data, weight = inputs
    data_layout = str(attrs.data_layout)
    kernel_layout = str(attrs.kernel_layout)
    out_layout = str(attrs.out_layout) or data_layout
    n = len(data.shape) - 2
    # TOPI's transposed convolution is channel-first with an (in, out/groups, spatial...) weight.
    channel_first = "NC" + "DHW"[3 - n:]
    weight_layout = "IO" + "DHW"[3 - n:]
    data = _to_layout(data, data_layout, channel_first)
    weight = _to_layout(weight, kernel_layout, weight_layout)
    # TVM's conv1d_transpose reads only output_padding[0] (callers pass pairs too).
    output_padding = _ints(attrs.output_padding)
    output_padding = output_padding[:n] if len(output_padding) > n else output_padding
    out = topi.nn.conv_transpose(data, weight, _ints(attrs.strides), _ints(attrs.padding),
                                 output_padding, _ints(attrs.dilation), int(attrs.groups),
                                 out_type.dtype)
    return [_to_layout(out, channel_first, out_layout)]


for _name in ["nn.conv1d", "nn.conv2d", "nn.conv3d"]:
    register_compute(_name, _conv_compute)
    register_schedule(_name, _nn_schedule)


# nn.conv2d's FTVMAlterOpLayout is C++ (src/relay/op/strategy/x86_conv2d_nchwc.cc: the blocked
# forms on "cpu" targets); topi.nn.conv2d_alter_layout("cpu") calls the same function.


# ConvertLayout: the kernel layout "default" stands for, by operator and data layout.
_DEFAULT_KERNEL_LAYOUTS = {
    "nn.conv2d": {"NCHW": "OIHW", "NHWC": "HWIO", "HWNC": "HWOI"},
    "nn.conv2d_transpose": {"NCHW": "IOHW", "NHWC": "HWIO"},
    "nn.conv3d": {"NCDHW": "OIDHW", "NDHWC": "DHWIO"},
    "nn.deformable_conv2d": {"NCHW": "OIHW", "NHWC": "HWIO"},
}


_BLOCKED_NCHW = re.compile(r"^NCHW(\d+)c$")
_BLOCKED_OIHW = re.compile(r"^OIHW(\d+)i(\d+)o$")


def _blocked_conv2d(attrs, inputs, tinfos, data_layout, kernel_layout):
    """nn.conv2d in NCHW<c>c data and OIHW<i>i<o>o kernel layouts: nn.contrib_conv2d_nchwc, or None
    (the convolution stays) where a block does not divide its channels (the 3 of an RGB input in
    NCHW4c), or the convolution is grouped or not in NCHW/OIHW now."""
    from . import nn as _nn_api  # pylint: disable=import-outside-toplevel

    data_block, kernel_blocks = _BLOCKED_NCHW.match(data_layout), _BLOCKED_OIHW.match(kernel_layout)
    if kernel_blocks is None:
        raise ValueError(f"ConvertLayout: nn.conv2d in data layout {data_layout} takes a kernel layout "
                         f"OIHW<i>i<o>o, got {kernel_layout!r}")
    in_block, out_block = int(kernel_blocks.group(1)), int(kernel_blocks.group(2))
    if int(data_block.group(1)) != in_block:
        raise ValueError(f"ConvertLayout: nn.conv2d data layout {data_layout} and kernel layout {kernel_layout} "
                         f"block the input channels differently")
    if int(attrs.groups) != 1 or str(attrs.data_layout) != "NCHW" or str(attrs.kernel_layout) != "OIHW":
        return None
    in_channels, out_channels = int(tinfos[0].shape[1]), int(tinfos[1].shape[0])
    if in_channels % in_block or out_channels % out_block:
        return None
    new_attrs = {key: attrs[key] for key in attrs.keys()}
    new_attrs["data_layout"] = data_layout
    new_attrs["kernel_layout"] = kernel_layout
    new_attrs["out_layout"] = ""
    return _nn_api.contrib_conv2d_nchwc(inputs[0], inputs[1], **new_attrs)


def _convert_conv_layout(op_name, make):
    def convert(attrs, inputs, tinfos, desired_layouts):
        layouts = [str(layout) for layout in desired_layouts]
        if not layouts or len(layouts) > 2:
            raise ValueError(f"ConvertLayout: {op_name} takes [data_layout] or [data_layout, kernel_layout], "
                             f"got {layouts}")
        if op_name == "nn.conv2d":
            from ...transform import LayoutConfig  # pylint: disable=import-outside-toplevel

            if LayoutConfig.current is not None and LayoutConfig.current.check_skip():
                return None
        data_layout = layouts[0]
        kernel_layout = layouts[1] if len(layouts) > 1 else "default"
        if kernel_layout == "default":
            defaults = _DEFAULT_KERNEL_LAYOUTS[op_name]
            if data_layout not in defaults:
                raise ValueError(f"ConvertLayout: {op_name} has no default kernel layout for data layout "
                                 f"{data_layout}; give it, e.g. [{data_layout!r}, 'OIHW']")
            kernel_layout = defaults[data_layout]
        if str(attrs.data_layout) == data_layout and str(attrs.kernel_layout) == kernel_layout:
            return None
        if op_name == "nn.conv2d" and _BLOCKED_NCHW.match(data_layout):
            return _blocked_conv2d(attrs, inputs, tinfos, data_layout, kernel_layout)
        new_attrs = {key: attrs[key] for key in attrs.keys()}
        new_attrs["data_layout"] = data_layout
        new_attrs["kernel_layout"] = kernel_layout
        new_attrs["out_layout"] = ""
        return make(*inputs, **new_attrs)

    return convert


def _convert_pool_layout(op_name, make):
    """A 2-d pool in the one layout asked for, which it also writes (TVM sets out_layout too)."""

    def convert(attrs, inputs, tinfos, desired_layouts):  # pylint: disable=unused-argument
        layouts = [str(layout) for layout in desired_layouts]
        if len(layouts) != 1:
            raise ValueError(f"ConvertLayout: {op_name} takes [layout], got {layouts}")
        new_attrs = {key: attrs[key] for key in attrs.keys()}
        new_attrs["layout"] = layouts[0]
        new_attrs["out_layout"] = layouts[0]
        return make(inputs[0], **new_attrs)

    return convert


def _register_conv_conversions():
    from . import nn as _nn_api  # pylint: disable=import-outside-toplevel

    for op_name, make in [("nn.conv2d", _nn_api.conv2d), ("nn.conv2d_transpose", _nn_api.conv2d_transpose),
                          ("nn.conv3d", _nn_api.conv3d), ("nn.deformable_conv2d", _nn_api.deformable_conv2d)]:
        register_convert_op_layout(op_name, _convert_conv_layout(op_name, make))
    for op_name, make in [("nn.max_pool2d", _nn_api.max_pool2d), ("nn.avg_pool2d", _nn_api.avg_pool2d),
                          ("nn.global_max_pool2d", _nn_api.global_max_pool2d),
                          ("nn.global_avg_pool2d", _nn_api.global_avg_pool2d),
                          ("nn.adaptive_max_pool2d", _nn_api.adaptive_max_pool2d),
                          ("nn.adaptive_avg_pool2d", _nn_api.adaptive_avg_pool2d)]:
        register_convert_op_layout(op_name, _convert_pool_layout(op_name, make))


_register_conv_conversions()


# nn.contrib_conv2d_NCHWc / nn.contrib_depthwise_conv2d_NCHWc: FTVMCompute (topi::nn's plain TE
# blocked convolutions) and FTVMStrategy are C++ (src/relay/op/strategy/x86_conv2d_nchwc.cc).
register_schedule("nn.contrib_conv2d_NCHWc", _nn_schedule)
register_schedule("nn.contrib_depthwise_conv2d_NCHWc", _nn_schedule)


for _name in ["nn.conv1d_transpose", "nn.conv2d_transpose", "nn.conv3d_transpose"]:
    register_compute(_name, _conv_transpose_compute)
    register_schedule(_name, _nn_schedule)


# ---------------------------------------------------------------- pooling
# The max/avg, global and adaptive pools register their computes and schedules in C++
# (src/relay/op/nn/pooling_compute.cc): 2-d pools in blocked layouts take topi.x86.schedule_pool
# on "cpu" targets, every other pool topi.nn.schedules.default_schedule.


# ---------------------------------------------------------------- normalisation
@register_compute("nn.batch_norm")
def _batch_norm_compute(attrs, inputs, out_type):  # pylint: disable=unused-argument
    data, gamma, beta, mean, var = inputs
    axis = int(attrs.axis) % len(data.shape)
    return list(topi.nn.batch_norm(data, gamma, beta, mean, var, axis, float(attrs.epsilon), bool(attrs.center),
                                   bool(attrs.scale)))


def _ones_if(flag, tensor):
    return tensor if flag else topi.full_like(tensor, 1.0)


def _zeros_if(flag, tensor):
    return tensor if flag else topi.full_like(tensor, 0.0)


# nn.layer_norm's compute and schedule are C++ (src/relay/op/nn/nn_compute.cc).


@register_compute("nn.group_norm")
def _group_norm_compute(attrs, inputs, out_type):  # pylint: disable=unused-argument
    data, gamma, beta = inputs
    ndim = len(data.shape)
    channel_axis = int(attrs.axis) % ndim
    axes = [i for i in range(1, ndim) if i != channel_axis]
    return [topi.nn.group_norm(data, _ones_if(attrs.scale, gamma), _zeros_if(attrs.center, beta),
                               int(attrs.num_groups), channel_axis, axes, float(attrs.epsilon))]


@register_compute("nn.instance_norm")
def _instance_norm_compute(attrs, inputs, out_type):  # pylint: disable=unused-argument
    # Per-channel gamma/beta over each instance's spatial axes: a group norm of one channel a group.
    data, gamma, beta = inputs
    ndim = len(data.shape)
    channel_axis = int(attrs.axis) % ndim
    axes = [i for i in range(1, ndim) if i != channel_axis]
    return [topi.nn.group_norm(data, _ones_if(attrs.scale, gamma), _zeros_if(attrs.center, beta),
                               int(data.shape[channel_axis]), channel_axis, axes, float(attrs.epsilon))]


@register_compute("nn.lrn")
def _lrn_compute(attrs, inputs, out_type):  # pylint: disable=unused-argument
    return [topi.nn.lrn(inputs[0], int(attrs.size), int(attrs.axis), float(attrs.alpha), float(attrs.beta),
                        float(attrs.bias))]


@register_compute("nn.l2_normalize")
def _l2_normalize_compute(attrs, inputs, out_type):  # pylint: disable=unused-argument
    ndim = len(inputs[0].shape)
    axis = [int(a) % ndim for a in attrs.axis] if attrs.axis else None
    return [topi.nn.l2_normalize(inputs[0], float(attrs.eps), axis)]


for _name in ["nn.batch_norm", "nn.group_norm", "nn.instance_norm", "nn.lrn",
              "nn.l2_normalize"]:
    register_schedule(_name, _nn_schedule)


# ---------------------------------------------------------------- padding, resampling, shuffles
@register_compute("nn.upsampling")
def _upsampling_compute(attrs, inputs, out_type):
    return [topi.nn.upsampling(inputs[0], float(attrs.scale_h), float(attrs.scale_w), str(attrs.layout),
                               str(attrs.method), bool(attrs.align_corners), output_shape=out_type.shape)]


@register_compute("nn.upsampling3d")
def _upsampling3d_compute(attrs, inputs, out_type):
    return [topi.nn.upsampling3d(inputs[0], float(attrs.scale_d), float(attrs.scale_h), float(attrs.scale_w),
                                 str(attrs.layout), str(attrs.method), str(attrs.coordinate_transformation_mode),
                                 output_shape=out_type.shape)]


@register_compute("nn.depth_to_space")
def _depth_to_space_compute(attrs, inputs, out_type):  # pylint: disable=unused-argument
    mode = "DCR" if str(attrs.mode) == "DCR" else "CRD"  # "CDR" is TVM's other spelling of CRD
    return [topi.nn.depth_to_space(inputs[0], int(attrs.block_size), str(attrs.layout), mode)]


@register_compute("nn.space_to_depth")
def _space_to_depth_compute(attrs, inputs, out_type):  # pylint: disable=unused-argument
    return [topi.nn.space_to_depth(inputs[0], int(attrs.block_size), str(attrs.layout))]


for _name in ["nn.upsampling", "nn.upsampling3d", "nn.depth_to_space", "nn.space_to_depth"]:
    register_injective_schedule(_name)


@register_compute("nn.mirror_pad")
def _mirror_pad_compute(attrs, inputs, out_type):  # pylint: disable=unused-argument
    before = [int(p[0]) for p in attrs.pad_width]
    after = [int(p[1]) for p in attrs.pad_width]
    return [topi.nn.mirror_pad(inputs[0], before, after, str(attrs.mode))]


@register_compute("nn.dilate")
def _dilate_compute(attrs, inputs, out_type):  # pylint: disable=unused-argument
    return [topi.nn.dilate(inputs[0], _ints(attrs.strides), float(attrs.dilation_value))]


register_injective_schedule("nn.mirror_pad")
register_injective_schedule("nn.dilate")


# ---------------------------------------------------------------- losses
def _cross_entropy(log_of_predictions):
    def compute(attrs, inputs, out_type):  # pylint: disable=unused-argument
        predictions, targets = inputs
        terms = topi.multiply(topi.log(predictions) if log_of_predictions else predictions, targets)
        return [topi.divide(topi.negative(topi.sum(terms)), tir.Cast(predictions.dtype, predictions.shape[0]))]

    return compute


@register_compute("nn.nll_loss")
def _nll_loss_compute(attrs, inputs, out_type):  # pylint: disable=unused-argument
    """loss[n, d...] = -predictions[n, t, d...] * weights[t] for t = targets[n, d...] (0 where t is
    ignore_index); "mean" divides the sum by the weights of the targets counted."""
    predictions, targets, weights = inputs
    ignore = int(attrs.ignore_index)
    zero = tir.const(0, predictions.dtype)

    def counted(idx):
        return targets(*idx) != ignore

    def loss_at(*idx):
        t = targets(*idx)
        value = -predictions(*((idx[0], t) + tuple(idx[1:]))) * weights(t)
        return tir.Select(counted(idx), value, zero)

    def weight_at(*idx):
        return tir.Select(counted(idx), weights(targets(*idx)), zero)

    losses = te.compute(targets.shape, loss_at, name="nll_loss", tag="elemwise")
    reduction = str(attrs.reduction)
    if reduction == "none":
        return [losses]
    total = topi.sum(losses)
    if reduction == "sum":
        return [total]
    return [topi.divide(total, topi.sum(te.compute(targets.shape, weight_at, name="nll_weight", tag="elemwise")))]


if op_exists("nn.cross_entropy"):
    register_compute("nn.cross_entropy", _cross_entropy(True))
    register_schedule("nn.cross_entropy", _nn_schedule)
if op_exists("nn.cross_entropy_with_logits"):
    register_compute("nn.cross_entropy_with_logits", _cross_entropy(False))
    register_schedule("nn.cross_entropy_with_logits", _nn_schedule)
if op_exists("nn.nll_loss"):
    register_schedule("nn.nll_loss", _nn_schedule)


@register_compute("nn.deformable_conv2d")
def _deformable_conv2d_compute(attrs, inputs, out_type):
    layout = str(attrs.data_layout)
    if layout not in ("NCHW", "NHWC") or str(attrs.kernel_layout) not in ("OIHW", "HWIO"):
        raise ValueError(f"nn.deformable_conv2d: layouts {layout}/{attrs.kernel_layout} are not supported "
                         "(NCHW/OIHW or NHWC/HWIO)")
    topi_func = topi.nn.deformable_conv2d_nchw if layout == "NCHW" else topi.nn.deformable_conv2d_nhwc
    return [topi_func(inputs[0], inputs[1], inputs[2], _ints(attrs.strides), _ints(attrs.padding),
                      _ints(attrs.dilation), int(attrs.deformable_groups), int(attrs.groups), out_type.dtype)]


register_schedule("nn.deformable_conv2d", _nn_schedule)


@register_compute("nn.space_to_batch_nd")
def _space_to_batch_nd_compute(attrs, inputs, out_type):  # pylint: disable=unused-argument
    before = [int(p[0]) for p in attrs.paddings]
    after = [int(p[1]) for p in attrs.paddings]
    return [topi.nn.space_to_batch_nd(inputs[0], _ints(attrs.block_shape), before, after, float(attrs.pad_value))]


@register_compute("nn.batch_to_space_nd")
def _batch_to_space_nd_compute(attrs, inputs, out_type):  # pylint: disable=unused-argument
    begin = [int(c[0]) for c in attrs.crops]
    end = [int(c[1]) for c in attrs.crops]
    return [topi.nn.batch_to_space_nd(inputs[0], _ints(attrs.block_shape), begin, end)]


register_injective_schedule("nn.space_to_batch_nd")
register_injective_schedule("nn.batch_to_space_nd")


@register_compute("nn.bitserial_dense")
def _bitserial_dense_compute(attrs, inputs, out_type):
    data = inputs[0]
    lead = list(data.shape[:-1])
    flat = topi.reshape(data, [-1, data.shape[-1]]) if len(lead) != 1 else data
    out = topi.nn.bitserial_dense(flat, inputs[1], int(attrs.data_bits), int(attrs.weight_bits),
                                  str(attrs.pack_dtype), out_type.dtype, bool(attrs.unipolar))
    return [topi.reshape(out, out_type.shape) if len(lead) != 1 else out]


register_schedule("nn.bitserial_dense", _nn_schedule)


@register_compute("nn.correlation")
def _correlation_compute(attrs, inputs, out_type):  # pylint: disable=unused-argument
    return [topi.nn.correlation_nchw(inputs[0], inputs[1], int(attrs.kernel_size), int(attrs.max_displacement),
                                     int(attrs.stride1), int(attrs.stride2), _ints(attrs.padding),
                                     bool(attrs.is_multiply))]


register_schedule("nn.correlation", _nn_schedule)


@register_compute("nn.bitpack")
def _bitpack_compute(attrs, inputs, out_type):  # pylint: disable=unused-argument
    return [topi.nn.bitpack(inputs[0], int(attrs.bits), int(attrs.pack_axis), int(attrs.bit_axis),
                            out_type.dtype, str(attrs.name))]


@register_compute("nn.bitserial_conv2d")
def _bitserial_conv2d_compute(attrs, inputs, out_type):
    return [topi.nn.bitserial_conv2d(inputs[0], inputs[1], _ints(attrs.strides), _ints(attrs.padding),
                                     int(attrs.activation_bits), int(attrs.weight_bits), str(attrs.data_layout),
                                     str(attrs.kernel_layout), out_type.dtype, bool(attrs.unipolar))]


register_injective_schedule("nn.bitpack")
register_schedule("nn.bitserial_conv2d", _nn_schedule)
