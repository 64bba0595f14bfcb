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

The compute and schedule are C++ (include/tvm/topi/x86/conv2d_nchw.h, src/topi/x86/conv2d_nchw.cc),
so a model compiled by a C++ program without Python lowers to the same code as one compiled here.
"""
from ..._ffi.registry import get_global_func
from . import _schedule_utils as utils
from .conv2d_nchwc import _ints, _padding, _outs

__all__ = ["conv2d_nchw", "schedule_conv2d_nchw", "conv2d_tile", "packed_kernel_layout"]


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
    vector, ocv, owb = get_global_func("topi.x86.conv2d_tile")(int(out_channels), int(out_width), int(lanes),
                                                               int(registers))
    return int(vector), int(ocv), int(owb)


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
    """NCHW x OIHW -> NCHW convolution (groups = 1), computed in output-channel blocks; the kernel
    may come packed as OIHW[i]i[o]o (packed_kernel_layout).

    lanes: the float32 lanes of the target's vectors (default: from the current target).
    """
    return get_global_func("topi.x86.conv2d_nchw")(
        data, kernel, _ints(strides), _padding(padding, kernel), _ints(dilation), out_dtype or data.dtype,
        int(lanes or 0))


def schedule_conv2d_nchw(outs):
    """Schedule conv2d_nchw and the elementwise operators fused after it (see the module doc)."""
    return get_global_func("topi.x86.schedule_conv2d_nchw")(_outs(outs))
