# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Float32 conv2d for x86 CPUs: a register-blocked convolution over output-channel blocks.

conv2d_nchw takes NCHW data and an OIHW kernel and computes, inside one operator:

  data_vec     [N, IC/ib, HP, WP, ib]        the padded input in NCHW[i]c blocks
  kernel_vec   [OC/ob, IC/ib, KH, KW, ib, ob]  the kernel in OIHW[i]i[o]o blocks, ob = lanes * ocv
                                             (or the kernel itself, given packed: AlterOpLayout)
  conv2d_NCHWc [N, OC/ob, OH, OWp, ob]       the convolution with output channels innermost
  output       [N, OC, OH, OW]               unpacked back to NCHW

The schedule keeps one tile of conv2d_NCHWc, owb output pixels of a row by ocv vectors of
output channels, in registers for the whole (ic, kh, kw) reduction: every step loads ocv
kernel vectors and broadcasts owb input values into owb * ocv fused multiply-adds. The tile is
unpacked and passed through the elementwise operators fused after the convolution (bias,
batch-norm scale, relu, residual add, clip) before it is stored. A constant kernel arrives
packed (AlterOpLayout + FoldConstant: once, at compile time); otherwise the kernel block a
parallel task needs is packed by that task. A 1x1 convolution is the same loop nest with
KH = KW = 1: a GEMM over input channels with the kernel packed into panels (its input packing
takes only the pixels the stride reads).

Output channels are padded up to a multiple of ob and output widths up to a multiple of owb
(the padding is computed and dropped), so every shape takes the vectorised path. The batch may
be symbolic (relay.Any() in the VM): it only bounds the outermost (parallel) loop.
"""
from ... import te, tir
from ..utils import get_const_tuple, traverse_inline
from ..nn.utils import get_pad_tuple
from . import _schedule_utils as utils

__all__ = ["conv2d_nchw", "schedule_conv2d_nchw", "conv2d_tile", "packed_kernel_layout"]

CONV_TAG = "conv2d_NCHWc"
UNPACK_TAG = "injective,conv2d_nchw_unpack"


def _pair(value, name):
    if isinstance(value, int):
        return value, value
    value = [int(v) for v in value]
    if len(value) == 1:
        return value[0], value[0]
    if len(value) != 2:
        raise ValueError(f"conv2d_nchw (x86): {name} must be an int or 2 ints, got {value}")
    return value[0], value[1]


def conv2d_tile(out_channels, out_width, lanes, registers=32):
    """(vector, ocv, owb): the register tile, owb output pixels x ocv vectors of `vector` output
    channels; vector * ocv (the output-channel block) divides the output channels when any
    vector of at least 4 lanes does, so no tile holds channels beyond the last.

    Full-width vectors, two of them when the channels allow (each broadcast input value then
    feeds two FMAs); otherwise the widest vector dividing the channels, up to 4 of them (24
    channels: 3 x 8). The tile needs owb * ocv accumulators, ocv kernel vectors and a broadcast
    value; owb is the divisor of the output width that fills the registers best, and when none
    is large enough (a prime width) the width is padded instead.
    """
    vector = next((v for v in (lanes, lanes // 2, lanes // 4) if v >= 4 and out_channels % v == 0), lanes)
    if vector == lanes:
        ocv = 2 if out_channels % (2 * lanes) == 0 or (out_channels % lanes and out_channels > lanes) else 1
    else:
        ocv = next(d for d in (4, 3, 2, 1) if (out_channels // vector) % d == 0)
    limit = max(1, (registers - ocv - 2) // ocv)  # 14 pixels with two vectors and 32 registers
    divisors = [d for d in range(1, min(limit, out_width) + 1) if out_width % d == 0]
    owb = divisors[-1]
    if owb < min(limit, out_width) // 2:
        # A prime width: pad it to a multiple of the tile with the least waste.
        owb = min(range(max(1, limit // 2), min(limit, out_width) + 1),
                  key=lambda b: (-(-out_width // b) * b - out_width, -b))
    return vector, ocv, owb


def packed_kernel_layout(in_channels, out_channels, lanes):
    """The OIHW[i]i[o]o layout conv2d_nchw packs an OIHW kernel into (and accepts pre-packed,
    e.g. by AlterOpLayout); None when the output channels are not a whole number of blocks."""
    vector, ocv, _ = conv2d_tile(out_channels, 1, lanes)
    block = vector * ocv
    if out_channels % block:
        return None
    return f"OIHW{_ic_block(in_channels)}i{block}o"


def _ic_block(in_channels):
    """The input channels of one innermost reduction step (the largest of 8, 4, 2, 1 dividing
    them; all of them when fewer than 8)."""
    if in_channels <= 8:
        return in_channels
    return next(b for b in (8, 4, 2, 1) if in_channels % b == 0)


def conv2d_nchw(data, kernel, strides, padding, dilation, out_dtype="float32", lanes=None):
    """NCHW x OIHW -> NCHW convolution (groups = 1), computed in output-channel blocks.

    lanes: the float32 lanes of the target's vectors (default: from the current target).
    """
    n, in_channels, height, width = get_const_tuple(data.shape)
    kernel_shape = get_const_tuple(kernel.shape)
    prepacked = len(kernel_shape) == 6
    if prepacked:  # OIHW[i]i[o]o
        oc_chunks, ic_chunks, kernel_h, kernel_w, ic_block, block = kernel_shape
        out_channels, kernel_in = oc_chunks * block, ic_chunks * ic_block
    elif len(kernel_shape) == 4:
        out_channels, kernel_in, kernel_h, kernel_w = kernel_shape
    else:
        raise ValueError(f"conv2d_nchw (x86): the kernel must be OIHW (4-d) or OIHW[i]i[o]o (6-d), got shape "
                         f"{list(kernel_shape)}")
    if kernel_in != in_channels:
        raise ValueError(f"conv2d_nchw (x86): the kernel {list(kernel_shape)} expects "
                         f"{kernel_in} input channels, the data {list(get_const_tuple(data.shape))} has "
                         f"{in_channels}")
    stride_h, stride_w = _pair(strides, "strides")
    dilation_h, dilation_w = _pair(dilation, "dilation")
    pad_top, pad_left, pad_bottom, pad_right = [int(p) for p in get_pad_tuple(padding, (kernel_h, kernel_w))]
    dilated_h = (kernel_h - 1) * dilation_h + 1
    dilated_w = (kernel_w - 1) * dilation_w + 1
    out_h = (height + pad_top + pad_bottom - dilated_h) // stride_h + 1
    out_w = (width + pad_left + pad_right - dilated_w) // stride_w + 1
    if out_h <= 0 or out_w <= 0:
        raise ValueError(f"conv2d_nchw (x86): the {kernel_h}x{kernel_w} kernel (dilation {dilation_h}x"
                         f"{dilation_w}) does not fit the padded {height}x{width} input")
    out_dtype = out_dtype or data.dtype
    lanes = lanes or utils.vector_lanes(out_dtype)
    vector, ocv, owb = conv2d_tile(out_channels, out_w, lanes)
    if prepacked and block != vector * ocv:
        raise ValueError(f"conv2d_nchw (x86): the packed kernel's output block is {block} channels; for "
                         f"{out_channels} output channels and {lanes}-lane vectors it must be {vector * ocv} "
                         f"(topi.x86.packed_kernel_layout)")
    block = vector * ocv
    oc_chunks = -(-out_channels // block)
    out_w_padded = -(-out_w // owb) * owb

    if not prepacked:
        ic_block = _ic_block(in_channels)

    # The rows and columns the padded output tiles read; zeros beyond the input.
    rows = (out_h - 1) * stride_h + dilated_h
    cols = (out_w_padded - 1) * stride_w + dilated_w
    if kernel_h == 1 and kernel_w == 1:
        # A 1x1 window reads one pixel in stride_h x stride_w: pack only those.
        rows, cols = out_h, out_w_padded
        sample_h, sample_w, stride_h, stride_w = stride_h, stride_w, 1, 1
    else:
        sample_h = sample_w = 1
    # NCHW[i]c, padded: the ic_block channels a reduction step reads sit side by side, so a
    # tile's reduction walks IC / ic_block planes instead of IC (fewer lines, pages and TLB misses).
    def _pack(b, cc, y, x, ci):
        y, x = y * sample_h, x * sample_w
        inside = tir.all(y >= pad_top, y < pad_top + height, x >= pad_left, x < pad_left + width)
        value = data[b, cc * ic_block + ci, y - pad_top, x - pad_left]
        return tir.if_then_else(inside, value, tir.const(0, data.dtype))
    data_vec = te.compute((n, in_channels // ic_block, rows, cols, ic_block), _pack, name="data_vec",
                          tag="conv2d_x86_data_pack")

    if prepacked:
        kernel_vec = kernel
    else:
        def _kernel(co, ic_chunk, kh, kw, ic_in, cb):
            oc = co * block + cb
            ic = ic_chunk * ic_block + ic_in
            if out_channels % block == 0:
                return kernel[oc, ic, kh, kw]
            return tir.if_then_else(oc < out_channels, kernel[tir.min(oc, out_channels - 1), ic, kh, kw],
                                    tir.const(0, kernel.dtype))
        kernel_vec = te.compute((oc_chunks, in_channels // ic_block, kernel_h, kernel_w, ic_block, block),
                                _kernel, name="kernel_vec", tag="conv2d_x86_kernel_pack")

    ic = te.reduce_axis((0, in_channels), name="ic")
    kh = te.reduce_axis((0, kernel_h), name="kh")
    kw = te.reduce_axis((0, kernel_w), name="kw")
    conv = te.compute(
        (n, oc_chunks, out_h, out_w_padded, block),
        lambda b, co, y, x, cb: te.sum(
            data_vec[b, ic // ic_block, y * stride_h + kh * dilation_h, x * stride_w + kw * dilation_w,
                     ic % ic_block].astype(out_dtype)
            * kernel_vec[co, ic // ic_block, kh, kw, ic % ic_block, cb].astype(out_dtype), axis=[ic, kh, kw]),
        name="conv2d_NCHWc", tag=CONV_TAG,
        attrs={"owb": owb, "ocv": ocv, "lanes": vector, "ic_block": ic_block})
    return te.compute((n, out_channels, out_h, out_w),
                      lambda b, c, y, x: conv[b, c // block, y, x, c % block],
                      name="conv2d_nchw", tag=UNPACK_TAG)


def schedule_conv2d_nchw(outs):
    """Schedule conv2d_nchw and the elementwise operators fused after it (see the module doc)."""
    outs = [outs] if isinstance(outs, te.Tensor) else list(outs)
    s = te.create_schedule([x.op for x in outs])
    found = []

    def _callback(op):
        if op.tag == CONV_TAG:
            found.append(op)

    traverse_inline(s, outs[0].op, _callback)
    for op in found:
        _schedule_conv(s, op, outs)
    return s


def _schedule_conv(s, conv_op, outs):
    conv = conv_op.output(0)
    data_vec, kernel_vec = conv_op.input_tensors
    attrs = conv_op.attrs
    owb, ocv, lanes = int(attrs["owb"]), int(attrs["ocv"]), int(attrs["lanes"])
    block = ocv * lanes
    threads = utils.num_threads()

    b, c = s[data_vec].op.axis[:2]
    s[data_vec].parallel(s[data_vec].fuse(b, c))

    final = outs[0]
    unpack = next((op for op in _consumers_of(final.op, conv_op) if op.tag == UNPACK_TAG), None)
    if unpack is not None:
        n_batch, out_channels, out_h, out_w = get_const_tuple(unpack.output(0).shape)
    if (unpack is None or len(outs) != 1
            or not utils.elementwise_from(final.op, conv_op, (n_batch, out_channels, out_h, out_w))):
        # An output that is not an elementwise image of the convolution: compute it whole.
        _schedule_tile(s, conv, lanes, ocv, at_root=True)
        if _packs_kernel(kernel_vec):
            s[kernel_vec].parallel(s[kernel_vec].op.axis[0])
        return

    s[conv].set_scope("local")
    b, c, y, x = s[final].op.axis
    c_chunk, c_in = s[final].split(c, factor=block)
    c_vec, c_lane = s[final].split(c_in, factor=lanes)
    x_tile, x_in = s[final].split(x, factor=owb)
    oc_chunks = -(-out_channels // block)
    # Enough parallel tasks: several per thread when the kernel comes packed (uneven progress of
    # the threads then evens out); when each task packs its own kernel block, only as many as
    # the threads, since every row split packs the block again.
    wanted = threads if _packs_kernel(kernel_vec) else 4 * threads
    row_parts = 1
    # A symbolic batch (relay.Any()) counts as 1: enough tasks whatever the batch.
    batch_tasks = n_batch if isinstance(n_batch, int) else 1
    while batch_tasks * oc_chunks * row_parts < wanted and row_parts * 2 <= out_h:
        row_parts *= 2
    y_part, y_in = s[final].split(y, nparts=row_parts)
    # The tile is read back one channel vector at a time, like the reduction wrote it: every
    # access of the accumulators is then a whole vector at a constant offset, so LLVM keeps them
    # all in registers. The stores into NCHW are strided (a transposition), once per tile.
    s[final].reorder(b, c_chunk, y_part, y_in, x_tile, c_vec, x_in, c_lane)
    task = s[final].fuse(b, c_chunk, y_part)
    s[final].parallel(task)
    s[final].unroll(c_vec)
    s[final].unroll(x_in)
    s[final].vectorize(c_lane)

    s[conv].compute_at(s[final], x_tile)
    _schedule_tile(s, conv, lanes, ocv)
    if _packs_kernel(kernel_vec):
        s[kernel_vec].compute_at(s[final], task)
        s[kernel_vec].vectorize(s[kernel_vec].op.axis[-1])


def _schedule_tile(s, conv, lanes, ocv, at_root=False):
    """The reduction around the register tile: input-channel blocks, then the kernel window,
    then the channels of a block (innermost, unrolled by LLVM). Each unrolled step reads
    different input values, so every broadcast folds into its FMA and no extra register is
    live; with the window innermost instead, neighbouring kw steps share input values and
    LLVM keeps them in registers, which spills the accumulators."""
    b, co, y, x, cb = s[conv].op.axis
    ic, kh, kw = s[conv].op.reduce_axis
    ic_outer, ic_inner = s[conv].split(ic, factor=int(conv.op.attrs["ic_block"]))
    c_vec, c_lane = s[conv].split(cb, factor=lanes)
    reduction = [ic_outer, kh, kw, ic_inner]
    if at_root:
        x_tile, x = s[conv].split(x, factor=int(conv.op.attrs["owb"]))
        s[conv].reorder(b, co, y, x_tile, *reduction, x, c_vec, c_lane)
        s[conv].parallel(s[conv].fuse(b, co))
    else:
        s[conv].reorder(b, co, y, *reduction, x, c_vec, c_lane)
    s[conv].unroll(x)
    s[conv].unroll(c_vec)
    s[conv].vectorize(c_lane)


def _packs_kernel(kernel_vec):
    return isinstance(kernel_vec.op, te.ComputeOp) and kernel_vec.op.tag == "conv2d_x86_kernel_pack"


def _consumers_of(final_op, source_op):
    """The operations between final_op and source_op (final_op included) that read source_op."""
    stack, seen, readers = [final_op], set(), []
    while stack:
        op = stack.pop()
        if op in seen or not isinstance(op, te.ComputeOp):
            continue
        seen.add(op)
        if any(t.op == source_op for t in op.input_tensors):
            readers.append(op)
        stack.extend(t.op for t in op.input_tensors if t.op != source_op)
    return readers
