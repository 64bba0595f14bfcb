# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Float32 depthwise conv2d (groups == input channels) for x86 CPUs, NCHW x OIHW.

Each output channel reads one input plane, so the work is KH * KW multiply-adds per output and
the speed is the speed of reading the plane. The convolution is vectorised along the output
width: a tile of a few rows x a few vectors (about 8 independent accumulators, enough to hide
the FMA latency) is accumulated in registers over the kh x kw window (unrolled); the input plane
is padded, with its columns de-interleaved by the stride (a strided window then reads contiguous
vectors), by the parallel task that uses it, so it stays in that core's cache; the elementwise
operators fused after the convolution (bias, relu, clip) are applied to the tile before it is
stored. Widths are padded up to whole vectors (the extra columns are computed from zeros and
dropped).
"""
from ... import te, tir
from ..utils import get_const_tuple, traverse_inline
from ..nn.utils import get_pad_tuple
from . import _schedule_utils as utils
from .conv2d import _pair, _consumers_of

__all__ = ["depthwise_conv2d_nchw", "schedule_depthwise_conv2d_nchw"]

DEPTHWISE_TAG = "depthwise_conv2d_nchw_x86"
UNPACK_TAG = "injective,depthwise_conv2d_nchw_crop"


def _row_tile(out_h, out_w, lanes):
    """(vector width, padded output width, vectors per row of a tile, rows of a tile).

    A tile holds about 8 independent accumulator vectors: each output vector is a chain of
    KH * KW dependent FMAs, and two FMA units with a 4-cycle latency need 8 chains in flight.
    """
    width = lanes
    while width // 2 >= out_w and width > 4:
        width //= 2
    padded = -(-out_w // width) * width
    vectors = max(v for v in (1, 2, 3, 4) if (padded // width) % v == 0)
    rows = max(r for r in range(1, max(1, 8 // vectors) + 1) if out_h % r == 0)
    return width, padded, vectors, rows


def depthwise_conv2d_nchw(data, kernel, strides, padding, dilation, out_dtype="float32", lanes=None):
    """Depthwise convolution: data [N, C, H, W], kernel [C * M, 1, KH, KW] -> [N, C * M, OH, OW];
    output channel c reads input channel c // M."""
    n, in_channels, height, width = get_const_tuple(data.shape)
    out_channels, kernel_in, kernel_h, kernel_w = get_const_tuple(kernel.shape)
    if kernel_in != 1 or out_channels % in_channels != 0:
        raise ValueError(f"depthwise_conv2d_nchw (x86): kernel {list(get_const_tuple(kernel.shape))} is not "
                         f"a depthwise kernel for data {list(get_const_tuple(data.shape))} (expected "
                         f"[{in_channels} * multiplier, 1, kh, kw])")
    multiplier = out_channels // in_channels
    stride_h, stride_w = _pair(strides, "strides")
    dilation_h, dilation_w = _pair(dilation, "dilation")
    pad_top, pad_left, pad_bottom, pad_right = [int(p) for p in get_pad_tuple(padding, (kernel_h, kernel_w))]
    dilated_h = (kernel_h - 1) * dilation_h + 1
    dilated_w = (kernel_w - 1) * dilation_w + 1
    out_h = (height + pad_top + pad_bottom - dilated_h) // stride_h + 1
    out_w = (width + pad_left + pad_right - dilated_w) // stride_w + 1
    if out_h <= 0 or out_w <= 0:
        raise ValueError(f"depthwise_conv2d_nchw (x86): the {kernel_h}x{kernel_w} kernel (dilation "
                         f"{dilation_h}x{dilation_w}) does not fit the padded {height}x{width} input")
    out_dtype = out_dtype or data.dtype
    lanes = lanes or utils.vector_lanes(out_dtype)
    vector, out_w_padded, vectors, tile_rows = _row_tile(out_h, out_w, lanes)

    rows = (out_h - 1) * stride_h + dilated_h
    cols = (out_w_padded - 1) * stride_w + dilated_w
    # Columns de-interleaved by the stride, [.., phase, col // stride] with phase = col % stride:
    # the columns that one output vector reads for a given kw are then contiguous (a strided
    # convolution would otherwise gather every input vector).
    phase_cols = -(-cols // stride_w)

    def _pad(b, c, y, phase, xs):
        x = xs * stride_w + phase
        inside = tir.all(y >= pad_top, y < pad_top + height, x >= pad_left, x < pad_left + width)
        return tir.if_then_else(inside, data[b, c, y - pad_top, x - pad_left], tir.const(0, data.dtype))
    data_pad = te.compute((n, in_channels, rows, stride_w, phase_cols), _pad, name="data_pad",
                          tag="depthwise_x86_pad")

    kh = te.reduce_axis((0, kernel_h), name="kh")
    kw = te.reduce_axis((0, kernel_w), name="kw")
    conv = te.compute(
        (n, out_channels, out_h, out_w_padded),
        lambda b, c, y, x: te.sum(
            data_pad[b, c // multiplier, y * stride_h + kh * dilation_h, (kw * dilation_w) % stride_w,
                     x + (kw * dilation_w) // stride_w]
            .astype(out_dtype) * kernel[c, 0, kh, kw].astype(out_dtype), axis=[kh, kw]),
        name="depthwise_conv2d_nchw", tag=DEPTHWISE_TAG,
        attrs={"vector": vector, "vectors": vectors, "rows": tile_rows})
    return te.compute((n, out_channels, out_h, out_w), lambda b, c, y, x: conv[b, c, y, x],
                      name="depthwise_conv2d_nchw_crop", tag=UNPACK_TAG)


def schedule_depthwise_conv2d_nchw(outs):
    """Schedule depthwise_conv2d_nchw and the elementwise operators fused after it."""
    outs = [outs] if isinstance(outs, te.Tensor) else list(outs)
    s = te.create_schedule([x.op for x in outs])
    found = []

    def _callback(op):
        if op.tag == DEPTHWISE_TAG:
            found.append(op)

    traverse_inline(s, outs[0].op, _callback)
    for op in found:
        _schedule_depthwise(s, op, outs)
    return s


def _schedule_depthwise(s, conv_op, outs):
    conv = conv_op.output(0)
    data_pad = conv_op.input_tensors[0]
    vector, vectors = int(conv_op.attrs["vector"]), int(conv_op.attrs["vectors"])
    tile_rows = int(conv_op.attrs["rows"])
    final = outs[0]
    crop = next((op for op in _consumers_of(final.op, conv_op) if op.tag == UNPACK_TAG), None)
    if (crop is None or len(outs) != 1
            or not utils.elementwise_from(final.op, conv_op, get_const_tuple(crop.output(0).shape))):
        # An output that is not an elementwise image of the convolution: compute it whole.
        b, c, y, x = s[conv].op.axis
        plane = s[conv].fuse(b, c)
        s[conv].parallel(plane)
        s[data_pad].compute_at(s[conv], plane)
        _schedule_segment(s, conv, vector, x)
        return

    s[conv].set_scope("local")
    b, c, y, x = s[final].op.axis
    plane = s[final].fuse(b, c)
    y_tile, y_in = s[final].split(y, factor=tile_rows)
    x_tile, x_in = s[final].split(x, factor=vector * vectors)
    s[final].reorder(plane, y_tile, x_tile, y_in, x_in)
    s[final].parallel(plane)
    s[final].unroll(y_in)
    s[final].vectorize(x_in)
    s[conv].compute_at(s[final], x_tile)
    _schedule_segment(s, conv, vector, s[conv].op.axis[3], s[conv].op.axis[2])
    s[data_pad].compute_at(s[final], plane)


def _schedule_segment(s, conv, vector, x, y=None):
    kh, kw = s[conv].op.reduce_axis
    x_vec, x_lane = s[conv].split(x, factor=vector)
    if y is None:
        s[conv].reorder(kh, kw, x_vec, x_lane)
    else:
        s[conv].reorder(kh, kw, y, x_vec, x_lane)
        s[conv].unroll(y)
    s[conv].unroll(kh)
    s[conv].unroll(kw)
    s[conv].unroll(x_vec)
    s[conv].vectorize(x_lane)
