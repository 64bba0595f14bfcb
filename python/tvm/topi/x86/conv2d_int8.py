# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""int8 conv2d (NCHW data, OIHW kernel, groups 1) for x86 CPUs on the int8 dot-product intrinsics.

The compute does inside itself what TVM spreads over Legalize and AlterOpLayout:

- data to [n, c/4, h + pads, w + pads, 4] uint8: padded with the true zero first, then int8
  data shifted by +128 (so a padded tap holds 128 like every other shifted zero, and one
  compensation per output channel, 128 * sum(kernel[o]), is exact at the borders too);
  channels padded to a multiple of 4 (the kernel is zero there);
- kernel to [o/16, c/4, kh, kw, 16, 4] int8 (zeros where o or c run short; [..., 4, 16]
  without the intrinsics, for vector loads of 16 channels);
- the int32 sums in [n, o/16, oh, ow', 16], ow' a multiple of the schedule's width block (the
  columns past ow read padding and are dropped), then back to NCHW with the compensation.

The schedule computes each (16 channels x width block) of sums at the output block that reads
it, the channel-block, kernel-row and kernel-column loops outermost so the block's accumulators
stay in registers, and inlines whatever Relay fused after the convolution.
"""
from ... import te, tir
from ...error import _ERROR_TYPES
from .. import tag as _tag
from ..nn.utils import get_pad_tuple
from ..utils import get_const_tuple
from ...target.codegen import target_has_features
from .dense_int8 import (WEIGHT_TAG, DATA_TAG, WEIGHT_SUM_TAG, as_uint8, check_int8_operands,
                         collect_int8_stages, create_int8_schedule, has_fast_int8, packed_weight_of,
                         largest_divisor, parallel_outer, schedule_int8_dot, weight_block)
from .tensor_intrin import INT32_LANES, INT8_REDUCTION

ACC_TAG = "conv2d_nchw_int8"


def _pair(value, name):
    if isinstance(value, int):
        return value, value
    value = get_const_tuple(value)
    if len(value) == 1:
        return value[0], value[0]
    if len(value) != 2:
        raise _ERROR_TYPES["ValueError"](f"conv2d_nchw_int8: {name} must have 1 or 2 values, got {value}")
    return value


def register_block_limits():
    """(16-channel blocks, output columns) of one register block for the current target. Each
    (block, column) is one accumulator of 16 int32: one zmm with AVX-512 (32 registers), two ymm
    with AVX2 and four xmm with SSE (16 registers)."""
    if target_has_features("avx512vnni"):
        return 2, 12
    if target_has_features(["avx512bw", "avx512f"]):
        return 2, 6
    if target_has_features("avx2"):
        return 1, 4
    return 1, 2


def width_block_limit():
    """Output columns per register block (see register_block_limits)."""
    return register_block_limits()[1]


def choose_width_block(out_width, limit):
    """The block of output columns (at most limit and out_width) of the least estimated cost:
    ceil(out_width / b) blocks of b columns, each column one multiply-add per step plus about two
    steps' worth of loads per block; the larger block on ties."""
    best, best_cost = 1, None
    for b in range(1, min(limit, out_width) + 1):
        cost = (out_width + b - 1) // b * (b + 2)
        if best_cost is None or cost <= best_cost:
            best, best_cost = b, cost
    return best


def conv2d_nchw_int8(data, kernel, strides, padding, dilation, out_dtype="int32", width_block=None):
    """uint8/int8 data (N, C, H, W) convolved with int8 kernel (O, C, KH, KW) -> int32 (N, O, OH, OW).

    width_block: output columns the schedule computes together (default: chosen for the
    current target); the sums are computed over a width rounded up to a multiple of it."""
    check_int8_operands("conv2d_nchw_int8", data, kernel, out_dtype)
    if len(data.shape) != 4 or len(kernel.shape) != 4:
        raise _ERROR_TYPES["ValueError"](
            f"conv2d_nchw_int8: data (N, C, H, W) and kernel (O, I, KH, KW) must be 4-d, got "
            f"{get_const_tuple(data.shape)} and {get_const_tuple(kernel.shape)}")
    batch, channels, height, width = get_const_tuple(data.shape)
    out_channels, in_channels, kh_size, kw_size = get_const_tuple(kernel.shape)
    if in_channels != channels:
        raise _ERROR_TYPES["ValueError"](
            f"conv2d_nchw_int8: data {get_const_tuple(data.shape)} has {channels} channels but the kernel "
            f"{get_const_tuple(kernel.shape)} takes {in_channels} (groups other than 1 are not supported)")
    stride_h, stride_w = _pair(strides, "strides")
    dilation_h, dilation_w = _pair(dilation, "dilation")
    pad_top, pad_left, pad_bottom, pad_right = get_pad_tuple(padding, ((kh_size - 1) * dilation_h + 1,
                                                                       (kw_size - 1) * dilation_w + 1))
    out_height = (height + pad_top + pad_bottom - (kh_size - 1) * dilation_h - 1) // stride_h + 1
    out_width = (width + pad_left + pad_right - (kw_size - 1) * dilation_w - 1) // stride_w + 1
    if out_height <= 0 or out_width <= 0:
        raise _ERROR_TYPES["ValueError"](
            f"conv2d_nchw_int8: the kernel {kh_size}x{kw_size} (dilation {dilation_h}x{dilation_w}) does not fit "
            f"the padded data {get_const_tuple(data.shape)} (padding {pad_top, pad_left, pad_bottom, pad_right})")
    if width_block is None:
        width_block = choose_width_block(out_width, width_block_limit())
    width_pad = (out_width + width_block - 1) // width_block * width_block

    c_blocks = (channels + INT8_REDUCTION - 1) // INT8_REDUCTION
    o_blocks = (out_channels + INT32_LANES - 1) // INT32_LANES
    signed = data.dtype == "int8"
    rows = max(height + pad_top + pad_bottom, (out_height - 1) * stride_h + (kh_size - 1) * dilation_h + 1)
    cols = max(width + pad_left + pad_right, (width_pad - 1) * stride_w + (kw_size - 1) * dilation_w + 1)

    def data_fn(n, cb, y, x, ci):
        c, yy, xx = cb * INT8_REDUCTION + ci, y - pad_top, x - pad_left
        inside = []
        if c_blocks * INT8_REDUCTION != channels:
            inside.append(c < channels)
        if pad_top or rows > height:
            inside += [yy >= 0, yy < height]
        if pad_left or cols > width:
            inside += [xx >= 0, xx < width]
        value = data[n, c, yy, xx]
        zero = tir.const(0, data.dtype)
        if inside:
            value = tir.if_then_else(tir.all(*inside), value, zero)
        return as_uint8(value) if signed else value

    data_u8 = te.compute((batch, c_blocks, rows, cols, INT8_REDUCTION), data_fn, name="conv2d_int8_data",
                         tag=DATA_TAG)

    fast = has_fast_int8()

    def kernel_fn(ob, cb, kh, kw, *inner):
        oi, ci = inner if fast else inner[::-1]
        o, c = ob * INT32_LANES + oi, cb * INT8_REDUCTION + ci
        conds = ([o < out_channels] if o_blocks * INT32_LANES != out_channels else []) + \
                ([c < channels] if c_blocks * INT8_REDUCTION != channels else [])
        value = kernel[o, c, kh, kw]
        if not conds:
            return value
        return tir.if_then_else(tir.all(*conds), value, tir.const(0, "int8"))

    kernel_packed = te.compute((o_blocks, c_blocks, kh_size, kw_size, *weight_block(fast)), kernel_fn,
                               name="conv2d_int8_kernel", tag=WEIGHT_TAG)

    rc = te.reduce_axis((0, c_blocks), name="rc")
    rh = te.reduce_axis((0, kh_size), name="rh")
    rw = te.reduce_axis((0, kw_size), name="rw")
    ri = te.reduce_axis((0, INT8_REDUCTION), name="ri")
    acc = te.compute(
        (batch, o_blocks, out_height, width_pad, INT32_LANES),
        lambda n, ob, oh, ow, oi: te.sum(
            data_u8[n, rc, oh * stride_h + rh * dilation_h, ow * stride_w + rw * dilation_w, ri].astype("int32")
            * kernel_packed[(ob, rc, rh, rw) + ((oi, ri) if fast else (ri, oi))].astype("int32"),
            axis=[rc, rh, rw, ri]),
        name="conv2d_int8_acc", tag=ACC_TAG)

    if signed:
        sc = te.reduce_axis((0, channels), name="sc")
        sh = te.reduce_axis((0, kh_size), name="sh")
        sw = te.reduce_axis((0, kw_size), name="sw")
        weight_sum = te.compute((out_channels,), lambda o: te.sum(kernel[o, sc, sh, sw].astype("int32"),
                                                                  axis=[sc, sh, sw]),
                                name="conv2d_int8_kernel_sum", tag=WEIGHT_SUM_TAG)

        def out_fn(n, o, oh, ow):
            return acc[n, o // INT32_LANES, oh, ow, o % INT32_LANES] - weight_sum[o] * 128
    else:
        def out_fn(n, o, oh, ow):
            return acc[n, o // INT32_LANES, oh, ow, o % INT32_LANES]

    return te.compute((batch, out_channels, out_height, out_width), out_fn, name="conv2d_int8_out",
                      tag=_tag.INJECTIVE)


def schedule_conv2d_nchw_int8(outs, channel_blocks=None, width_limit=None):
    """Schedule for conv2d_nchw_int8 and the elementwise ops fused after it.

    A register block is channel_blocks x 16 channels by up to width_limit columns (defaults: for
    the current target)."""
    outs = [outs] if isinstance(outs, te.Tensor) else list(outs)
    out = outs[0]
    out_shape = get_const_tuple(out.shape)
    if channel_blocks is None or width_limit is None:
        default_blocks, default_width = register_block_limits()
        channel_blocks = channel_blocks or default_blocks
        width_limit = width_limit or default_width

    def blocks_per_tile(acc):
        o_blocks = get_const_tuple(acc.output(0).shape)[1]
        # Tiles must divide the channel blocks: a partial tile would compute blocks that do not exist.
        return largest_divisor(o_blocks, min(channel_blocks, max(out_shape[1] // INT32_LANES, 1)))

    def at_output(acc):
        batch, o_blocks, out_height, width_pad, _ = get_const_tuple(acc.output(0).shape)
        # A block of 16 channels wider than the output would be cut to it by bound inference.
        return (out.op != acc and len(out_shape) == 4 and out_shape[0] == batch and out_shape[2] == out_height
                and INT32_LANES <= out_shape[1] <= o_blocks * INT32_LANES and out_shape[3] <= width_pad)

    s, acc = create_int8_schedule(outs, ACC_TAG, at_output)
    collect_int8_stages(s, outs, ACC_TAG)
    width_pad = get_const_tuple(acc.output(0).shape)[3]
    # The width block: the largest divisor of the padded width within the limit and the output width
    # (the compute padded the width for a block within the target's limit).
    out_width = out_shape[-1] if len(out_shape) == 4 else width_pad
    width_block = largest_divisor(width_pad, min(width_limit, out_width))
    tile_blocks = blocks_per_tile(acc)

    rc, rh, rw, ri = s[acc].op.reduce_axis
    if at_output(acc):
        # One block of sums (16 channels x width_block columns) at the output block that reads it.
        n, o, oh, ow = s[out].op.axis
        oo, oi = s[out].split(o, factor=INT32_LANES * tile_blocks)
        wo, wi = s[out].split(ow, factor=width_block)
        s[out].reorder(n, oo, oh, wo, oi, wi)
        s[acc].compute_at(s[out], wo)
        s[out].parallel(s[out].fuse(n, oo, oh))
        if out_width % width_block == 0:
            s[out].vectorize(wi)
        an, aob, aoh, aow, aoi = s[acc].op.axis
        s[acc].reorder(an, aoh, rc, rh, rw, aow, aob, aoi, ri)
        s[acc].unroll(aow)
        s[acc].unroll(aob)
    else:
        # Fewer than 16 output channels (a block would be cut to them) or a reshaped result: the
        # sums at the root, then the output.
        an, aob, aoh, aow, aoi = s[acc].op.axis
        wo, wi = s[acc].split(aow, factor=width_block)
        s[acc].reorder(an, aob, aoh, wo, rc, rh, rw, wi, aoi, ri)
        s[acc].parallel(s[acc].fuse(an, aob, aoh))
        s[acc].unroll(wi)
        parallel_outer(s, [o for o in outs if o.op != acc])
    schedule_int8_dot(s, acc, aoi, ri, packed_weight_of(acc))
    return s
