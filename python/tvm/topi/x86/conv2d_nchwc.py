# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Float32 convolutions in blocked NCHW[x]c layouts for x86 CPUs (what AlterOpLayout gives).

The activations stay blocked between layers, so a convolution reads its input as it is (a
padded copy only when the window needs padding) and writes its output in the layout the next
layer reads:

  data_pad      [N, IC/ib, HP, WP, ib]       zero-padded input (absent without padding)
  conv2d_NCHWc  [N, OC/ob, OH, OWp, ob]      the convolution, output width padded to whole tiles
  output        [N, OC/ob, OH, OW, ob]       the crop, where the fused elementwise operators run

The register tile is owb output pixels of a row x cot output-channel blocks (one or two vectors
each): every reduction step (input-channel block, kh, kw, channel of the block) loads the kernel
vectors of the tile and broadcasts owb input values into owb * vectors fused multiply-adds; the
accumulators stay in registers for the whole reduction and pass through the fused epilogue (bias,
batch-norm scale/shift, relu, residual add, clip) as they are stored, contiguously. A 1x1
convolution is the same loop nest with KH = KW = 1: a GEMM whose packed panels are the blocked
activations and the OIHW[i]i[o]o kernel. The first layer of a network (3 input channels) reads
plain NCHW data: each broadcast value comes from one plane.

The depthwise convolution vectorises along the channels of a block (the blocked layout makes
every input vector contiguous, strided windows included): a tile of owb pixels x one block
accumulates over the kh x kw window, unrolled.
"""
from ... import te
from ..nn.conv2d_nchwc import blocked_geometry, pad_blocked
from ..utils import get_const_tuple, traverse_inline
from . import _schedule_utils as utils

__all__ = ["conv2d_NCHWc", "schedule_conv2d_NCHWc", "depthwise_conv2d_NCHWc", "schedule_depthwise_conv2d_NCHWc",
           "channel_block"]

CONV_TAG = "conv2d_NCHWc_x86"
DEPTHWISE_TAG = "depthwise_conv2d_NCHWc_x86"
CROP_TAG = "injective,conv2d_NCHWc_crop"


def channel_block(channels, lanes):
    """The channel block of a blocked activation with `channels` channels: the widest vector
    (lanes, lanes / 2, lanes / 4, at least 4) dividing them; 0 when none does (the tensor then
    stays in plain NCHW)."""
    for block in (lanes, lanes // 2, lanes // 4):
        if block >= 4 and channels % block == 0:
            return block
    return 0


def _width_tile(out_w, accumulators_per_pixel, budget):
    """(owb, padded width): owb pixels per tile, a divisor of out_w filling `budget` accumulator
    registers best; a prime width is padded to a multiple of a good tile instead."""
    limit = max(1, budget // accumulators_per_pixel)
    top = min(limit, out_w)
    owb = max(d for d in range(1, top + 1) if out_w % d == 0)
    if owb < top // 2:
        owb = min(range(max(1, top // 2), top + 1), key=lambda b: (-(-out_w // b) * b - out_w, -b))
    return owb, -(-out_w // owb) * owb


def _vector(block, lanes):
    if block > lanes and block % lanes == 0:
        return lanes
    return block


def _crop(conv, out_w, name):
    n, chunks, out_h, _, block = get_const_tuple(conv.shape)
    return te.compute((n, chunks, out_h, out_w, block), lambda b, c, y, x, o: conv[b, c, y, x, o], name=name,
                      tag=CROP_TAG)


def conv2d_NCHWc(data, kernel, strides, padding, dilation, layout, out_layout, out_dtype="float32", lanes=None):
    """Blocked convolution (groups = 1): data NCHW[ib]c (or NCHW), kernel OIHW[ib]i[ob]o ->
    NCHW[ob]c. lanes: float32 lanes of the target's vectors (default: the current target's)."""
    geo = blocked_geometry("conv2d_NCHWc (x86)", data, kernel, strides, padding, dilation, layout, out_layout)
    if geo["ic_chunks"] * geo["kernel_ib"] != geo["in_channels"] or (
            geo["blocked_input"] and geo["kernel_ib"] != geo["in_block"]):
        raise ValueError(f"conv2d_NCHWc (x86): the kernel {list(get_const_tuple(kernel.shape))} does not match "
                         f"the data {list(get_const_tuple(data.shape))} in layout {layout}")
    out_dtype = out_dtype or data.dtype
    lanes = lanes or utils.vector_lanes(out_dtype)
    block = geo["out_block"]
    vector = _vector(block, lanes)
    per_chunk = block // vector
    # Output-channel blocks per tile: two full vectors when possible (each broadcast feeds two
    # FMAs), up to four narrower ones.
    target = max(per_chunk, (2 * lanes) // vector)
    cot = max(d for d in range(1, geo["oc_chunks"] + 1) if geo["oc_chunks"] % d == 0 and d * per_chunk <= target)
    vectors = cot * per_chunk
    owb, out_w_padded = _width_tile(geo["out_w"], vectors, 32 - vectors - 2)

    rows = (geo["out_h"] - 1) * geo["stride_h"] + geo["dilated_h"]
    cols = (out_w_padded - 1) * geo["stride_w"] + geo["dilated_w"]
    data_pad = pad_blocked(data, geo, rows, cols)
    kib = geo["kernel_ib"]
    sh, sw, dh, dw = geo["stride_h"], geo["stride_w"], geo["dilation_h"], geo["dilation_w"]
    ic = te.reduce_axis((0, geo["in_channels"]), name="ic")
    kh = te.reduce_axis((0, geo["kernel_h"]), name="kh")
    kw = te.reduce_axis((0, geo["kernel_w"]), name="kw")
    if geo["blocked_input"]:
        def _data(b, y, x):
            return data_pad[b, ic // kib, y * sh + kh * dh, x * sw + kw * dw, ic % kib]
    else:
        def _data(b, y, x):
            return data_pad[b, ic, y * sh + kh * dh, x * sw + kw * dw]
    conv = te.compute(
        (geo["batch"], geo["oc_chunks"], geo["out_h"], out_w_padded, block),
        lambda b, oc, y, x, ob: te.sum(
            _data(b, y, x).astype(out_dtype) * kernel[oc, ic // kib, kh, kw, ic % kib, ob].astype(out_dtype),
            axis=[ic, kh, kw]),
        name="conv2d_NCHWc", tag=CONV_TAG,
        attrs={"owb": owb, "cot": cot, "vector": vector, "ic_block": kib})
    return _crop(conv, geo["out_w"], "conv2d_NCHWc_output")


def depthwise_conv2d_NCHWc(data, kernel, strides, padding, dilation, layout, out_layout, out_dtype="float32",
                           lanes=None):
    """Blocked depthwise convolution (channel multiplier 1): data NCHW[b]c, kernel OIHW1i[b]o."""
    op = "depthwise_conv2d_NCHWc (x86)"
    geo = blocked_geometry(op, data, kernel, strides, padding, dilation, layout, out_layout)
    if (not geo["blocked_input"] or geo["kernel_ib"] != 1 or geo["ic_chunks"] != 1
            or geo["out_block"] != geo["in_block"] or geo["oc_chunks"] * geo["out_block"] != geo["in_channels"]):
        raise ValueError(f"{op}: kernel {list(get_const_tuple(kernel.shape))} is not a depthwise OIHW1i<n>o kernel "
                         f"(channel multiplier 1) for data {list(get_const_tuple(data.shape))} in layout {layout}")
    out_dtype = out_dtype or data.dtype
    lanes = lanes or utils.vector_lanes(out_dtype)
    block = geo["out_block"]
    vector = _vector(block, lanes)
    # About 8-16 independent accumulator chains (each is KH * KW dependent FMAs).
    owb, out_w_padded = _width_tile(geo["out_w"], block // vector, 16)
    rows = (geo["out_h"] - 1) * geo["stride_h"] + geo["dilated_h"]
    cols = (out_w_padded - 1) * geo["stride_w"] + geo["dilated_w"]
    data_pad = pad_blocked(data, geo, rows, cols)
    sh, sw, dh, dw = geo["stride_h"], geo["stride_w"], geo["dilation_h"], geo["dilation_w"]
    kh = te.reduce_axis((0, geo["kernel_h"]), name="kh")
    kw = te.reduce_axis((0, geo["kernel_w"]), name="kw")
    conv = te.compute(
        (geo["batch"], geo["oc_chunks"], geo["out_h"], out_w_padded, block),
        lambda b, c, y, x, o: te.sum(
            data_pad[b, c, y * sh + kh * dh, x * sw + kw * dw, o].astype(out_dtype)
            * kernel[c, 0, kh, kw, 0, o].astype(out_dtype), axis=[kh, kw]),
        name="depthwise_conv2d_NCHWc", tag=DEPTHWISE_TAG, attrs={"owb": owb, "vector": vector})
    return _crop(conv, geo["out_w"], "depthwise_conv2d_NCHWc_output")


def _schedule(outs, tag, schedule_one):
    outs = [outs] if isinstance(outs, te.Tensor) else list(outs)
    s = te.create_schedule([x.op for x in outs])
    found = []
    traverse_inline(s, outs[0].op, lambda op: found.append(op) if op.tag == tag else None)
    for op in found:
        schedule_one(s, op, outs)
    return s


def schedule_conv2d_NCHWc(outs):
    """Schedule conv2d_NCHWc and the elementwise operators fused after it (see the module doc)."""
    return _schedule(outs, CONV_TAG, _schedule_conv)


def schedule_depthwise_conv2d_NCHWc(outs):
    """Schedule depthwise_conv2d_NCHWc and the elementwise operators fused after it."""
    return _schedule(outs, DEPTHWISE_TAG, _schedule_depthwise)


def _schedule_pad(s, conv_op, final=None, task=None):
    """The zero-padded copy of the input: by each parallel task, the rows it reads (they stay in
    that core's cache for the convolution), or whole, in parallel, before the convolution."""
    data_pad = conv_op.input_tensors[0]
    if not isinstance(data_pad.op, te.ComputeOp) or data_pad.op.tag != "conv2d_NCHWc_pad":
        return
    axes = s[data_pad].op.axis
    if final is not None:
        s[data_pad].compute_at(s[final], task)
    else:
        s[data_pad].parallel(s[data_pad].fuse(axes[0], axes[1], axes[2]))
    if len(axes) == 5:
        s[data_pad].vectorize(axes[4])


def _tiled_output(s, conv_op, outs):
    """The output whose tiles the convolution is computed at, or None when the fused function's
    output is not an elementwise image of the convolution's crop (then the convolution runs whole)."""
    final = outs[0]
    if len(outs) != 1 or not isinstance(final.op, te.ComputeOp):
        return None
    shape = get_const_tuple(final.shape)
    if len(shape) != 5 or shape[:3] != get_const_tuple(conv_op.output(0).shape)[:3]:
        return None
    if final.op == conv_op or not utils.elementwise_from(final.op, conv_op, shape):
        return None
    return final


def _row_parts(tasks, out_h, threads):
    """Splits of the rows so that there are several parallel tasks per thread (uneven
    progress of the threads evens out)."""
    parts = 1
    while tasks * parts < 4 * threads and parts * 2 <= out_h:
        parts *= 2
    return parts


def _schedule_conv(s, conv_op, outs):
    conv = conv_op.output(0)
    owb, cot, vector = (int(conv_op.attrs[k]) for k in ("owb", "cot", "vector"))
    final = _tiled_output(s, conv_op, outs)
    b, co, y, x, cb = s[conv].op.axis
    ic, kh, kw = s[conv].op.reduce_axis
    ic_outer, ic_inner = s[conv].split(ic, factor=int(conv_op.attrs["ic_block"]))
    cb_vec, cb_lane = s[conv].split(cb, factor=vector)
    reduction = [ic_outer, kh, kw, ic_inner]
    if final is None:
        co_outer, co_inner = s[conv].split(co, factor=cot)
        x_tile, x_in = s[conv].split(x, factor=owb)
        s[conv].reorder(b, co_outer, y, x_tile, *reduction, x_in, co_inner, cb_vec, cb_lane)
        s[conv].parallel(s[conv].fuse(b, co_outer, y))
        s[conv].unroll(x_in)
        s[conv].unroll(co_inner)
        s[conv].unroll(cb_vec)
        s[conv].vectorize(cb_lane)
        _schedule_pad(s, conv_op)
        return

    s[conv].set_scope("local")
    fb, fco, fy, fx, fcb = s[final].op.axis
    n_batch, oc_chunks, out_h = get_const_tuple(final.shape)[:3]
    co_outer, co_inner = s[final].split(fco, factor=cot)
    x_tile, x_in = s[final].split(fx, factor=owb)
    c_vec, c_lane = s[final].split(fcb, factor=vector)
    parts = _row_parts(n_batch * (oc_chunks // cot), out_h, utils.num_threads())
    y_part, y_in = s[final].split(fy, nparts=parts)
    s[final].reorder(fb, co_outer, y_part, y_in, x_tile, co_inner, c_vec, x_in, c_lane)
    task = s[final].fuse(fb, co_outer, y_part)
    s[final].parallel(task)
    _schedule_pad(s, conv_op, final, task)
    s[final].unroll(co_inner)
    s[final].unroll(c_vec)
    s[final].unroll(x_in)
    s[final].vectorize(c_lane)
    s[conv].compute_at(s[final], x_tile)
    # The reduction outside the register tile; the channels of a block innermost, so each
    # unrolled step broadcasts fresh input values straight into its FMAs.
    s[conv].reorder(b, y, *reduction, x, co, cb_vec, cb_lane)
    s[conv].unroll(x)
    s[conv].unroll(co)
    s[conv].unroll(cb_vec)
    s[conv].vectorize(cb_lane)


def _schedule_depthwise(s, conv_op, outs):
    conv = conv_op.output(0)
    owb, vector = int(conv_op.attrs["owb"]), int(conv_op.attrs["vector"])
    final = _tiled_output(s, conv_op, outs)
    b, c, y, x, cb = s[conv].op.axis
    kh, kw = s[conv].op.reduce_axis
    cb_vec, cb_lane = s[conv].split(cb, factor=vector)
    if final is None:
        x_tile, x_in = s[conv].split(x, factor=owb)
        s[conv].reorder(b, c, y, x_tile, kh, kw, x_in, cb_vec, cb_lane)
        s[conv].parallel(s[conv].fuse(b, c, y))
        _schedule_pad(s, conv_op)
    else:
        s[conv].set_scope("local")
        fb, fc, fy, fx, fcb = s[final].op.axis
        n_batch, chunks, out_h = get_const_tuple(final.shape)[:3]
        y_part, y_in = s[final].split(fy, nparts=_row_parts(n_batch * chunks, out_h, utils.num_threads()))
        x_tile, x_in = s[final].split(fx, factor=owb)
        c_vec, c_lane = s[final].split(fcb, factor=vector)
        s[final].reorder(fb, fc, y_part, y_in, x_tile, c_vec, x_in, c_lane)
        task = s[final].fuse(fb, fc, y_part)
        s[final].parallel(task)
        _schedule_pad(s, conv_op, final, task)
        s[final].unroll(c_vec)
        s[final].unroll(x_in)
        s[final].vectorize(c_lane)
        s[conv].compute_at(s[final], x_tile)
        x_in = x
        s[conv].reorder(b, c, y, kh, kw, x, cb_vec, cb_lane)
    s[conv].unroll(kh)
    s[conv].unroll(kw)
    s[conv].unroll(x_in)
    s[conv].unroll(cb_vec)
    s[conv].vectorize(cb_lane)
