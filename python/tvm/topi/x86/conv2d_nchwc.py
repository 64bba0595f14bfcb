# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Float32 convolutions in blocked NCHW[x]c layouts for x86 CPUs (what AlterOpLayout gives).

The computes and schedules are C++ (include/tvm/topi/x86/conv2d_nchwc.h,
src/topi/x86/conv2d_nchwc.cc), so a model compiled by a C++ program without Python and one
compiled from here lower to the same code. The loop nests:

  data_pad      [N, IC/ib, HP, WP, ib]       zero-padded input (absent without padding)
  conv2d_NCHWc  [N, OC/ob, OH, OWp, ob]      the convolution, output width padded to whole tiles
  output        [N, OC/ob, OH, OW, ob]       the crop, where the fused elementwise operators run

The register tile is owb output pixels of a row x cot output-channel blocks; the accumulators
stay in registers for the whole reduction and pass through the fused epilogue (bias, relu,
residual add, clip) as they are stored. The depthwise convolution vectorises along the channels
of a block, a tile of owb pixels x one block accumulating over the unrolled kh x kw window.
"""
from ..._ffi.registry import get_global_func
from ... import te
from ..nn.utils import get_pad_tuple
from ..utils import get_const_tuple

__all__ = ["conv2d_NCHWc", "schedule_conv2d_NCHWc", "depthwise_conv2d_NCHWc", "schedule_depthwise_conv2d_NCHWc",
           "channel_block"]


def channel_block(channels, lanes):
    """The channel block of a blocked activation with `channels` channels: the widest vector
    (lanes, lanes / 2, lanes / 4, at least 4) dividing them; 0 when none does (the tensor then
    stays in plain NCHW)."""
    return int(get_global_func("topi.x86.channel_block")(int(channels), int(lanes)))


def _ints(value):
    return [int(value)] if isinstance(value, int) else [int(v) for v in value]


def _padding(padding, kernel):
    if isinstance(padding, str):
        kh, kw = get_const_tuple(kernel.shape)[2:4]
        return [int(p) for p in get_pad_tuple(padding, (kh, kw))]
    return _ints(padding)


def conv2d_NCHWc(data, kernel, strides, padding, dilation, layout, out_layout, out_dtype="float32", lanes=None):
    """Blocked convolution (groups = 1): data NCHW[ib]c (or NCHW), kernel OIHW[ib]i[ob]o ->
    NCHW[ob]c. lanes: float32 lanes of the target's vectors (default: the current target's)."""
    return get_global_func("topi.x86.conv2d_NCHWc")(
        data, kernel, _ints(strides), _padding(padding, kernel), _ints(dilation), str(layout), str(out_layout or ""),
        out_dtype or data.dtype, int(lanes or 0))


def depthwise_conv2d_NCHWc(data, kernel, strides, padding, dilation, layout, out_layout, out_dtype="float32",
                           lanes=None):
    """Blocked depthwise convolution (channel multiplier 1): data NCHW[b]c, kernel OIHW1i[b]o."""
    return get_global_func("topi.x86.depthwise_conv2d_NCHWc")(
        data, kernel, _ints(strides), _padding(padding, kernel), _ints(dilation), str(layout), str(out_layout or ""),
        out_dtype or data.dtype, int(lanes or 0))


def _outs(outs):
    return [outs] if isinstance(outs, te.Tensor) else list(outs)


def schedule_conv2d_NCHWc(outs):
    """Schedule conv2d_NCHWc and the elementwise operators fused after it (see the module doc)."""
    return get_global_func("topi.x86.schedule_conv2d_NCHWc")(_outs(outs))


def schedule_depthwise_conv2d_NCHWc(outs):
    """Schedule depthwise_conv2d_NCHWc and the elementwise operators fused after it."""
    return get_global_func("topi.x86.schedule_depthwise_conv2d_NCHWc")(_outs(outs))
