# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Strategies for x86 CPUs (target key "cpu"): the generic implementations, plus the
x86 ones where the call's shapes, dtypes and the target's features allow them."""
import re

from .generic import conv2d_strategy, dense_strategy, batch_matmul_strategy, matmul_strategy, dense_pack_strategy
from . import generic as _generic
from . import x86_int8 as _int8
from . import x86_gemm as _x86_gemm
from . import x86_transformer as _x86_transformer  # noqa: F401 (softmax, reductions for "cpu")


@conv2d_strategy.register("cpu")
def conv2d_strategy_cpu(attrs, inputs, out_type, target):
    strategy = _generic.conv2d_strategy.fdefault(attrs, inputs, out_type, target)
    _int8.add_conv2d_int8(strategy, attrs, inputs, out_type, target)
    _add_conv2d_x86(strategy, attrs, inputs, out_type)
    return strategy


@dense_strategy.register("cpu")
def dense_strategy_cpu(attrs, inputs, out_type, target):
    strategy = _generic.dense_strategy.fdefault(attrs, inputs, out_type, target)
    _int8.add_dense_int8(strategy, attrs, inputs, out_type, target)
    _x86_gemm.add_dense_float32(strategy, attrs, inputs, out_type, target)
    return strategy


@batch_matmul_strategy.register("cpu")
def batch_matmul_strategy_cpu(attrs, inputs, out_type, target):
    strategy = _generic.batch_matmul_strategy.fdefault(attrs, inputs, out_type, target)
    _int8.add_batch_matmul_int8(strategy, attrs, inputs, out_type, target)
    _x86_gemm.add_batch_matmul_float32(strategy, attrs, inputs, out_type, target)
    return strategy


@matmul_strategy.register("cpu")
def matmul_strategy_cpu(attrs, inputs, out_type, target):
    strategy = _generic.matmul_strategy.fdefault(attrs, inputs, out_type, target)
    _x86_gemm.add_matmul_float32(strategy, attrs, inputs, out_type, target)
    return strategy


@dense_pack_strategy.register("cpu")
def dense_pack_strategy_cpu(attrs, inputs, out_type, target):
    strategy = _generic.dense_pack_strategy.fdefault(attrs, inputs, out_type, target)
    _x86_gemm.add_dense_pack_float32(strategy, attrs, inputs, out_type, target)
    return strategy


# ---------------------------------------------------------------- float32 conv2d


def _wrap_conv2d_x86(topi_compute):
    def compute(attrs, inputs, out_type):
        return [topi_compute(inputs[0], inputs[1], [int(v) for v in attrs.strides],
                             [int(v) for v in attrs.padding], [int(v) for v in attrs.dilation],
                             out_type.dtype)]

    return compute


def _add_conv2d_x86(strategy, attrs, inputs, out_type):
    """conv2d_nchw.x86 / depthwise_conv2d_nchw.x86 (plevel 15) for float32 NCHW x OIHW calls
    whose output stays NCHW; other layouts, dtypes and grouped convolutions keep the generic one."""
    from .... import topi  # pylint: disable=import-outside-toplevel
    from ....topi.utils import get_const_tuple  # pylint: disable=import-outside-toplevel

    data, kernel = inputs
    kernel_layout = str(attrs.kernel_layout)
    prepacked = _PACKED_KERNEL.match(kernel_layout) is not None and len(kernel.shape) == 6
    if (str(attrs.data_layout) != "NCHW" or (kernel_layout != "OIHW" and not prepacked)
            or str(attrs.out_layout) not in ("", "NCHW") or len(data.shape) != 4
            or not all(t.dtype == "float32" for t in (data, kernel)) or out_type.dtype != "float32"):
        return
    shapes = get_const_tuple(data.shape) + get_const_tuple(kernel.shape)
    # A symbolic batch (relay.Any()) only bounds the outermost loop; other symbolic extents take
    # the generic convolution.
    if not all(isinstance(d, int) for d in shapes[1:]):
        return
    groups = int(attrs.groups)
    if groups == 1:
        # An OIHW[i]i[o]o kernel comes from AlterOpLayout, which packed it for this implementation.
        strategy.add_implementation(_wrap_conv2d_x86(topi.x86.conv2d_nchw),
                                    _generic.wrap_topi_schedule(topi.x86.schedule_conv2d_nchw),
                                    name="conv2d_nchw.x86", plevel=15)
    elif not prepacked and groups == shapes[1] and shapes[5] == 1 and shapes[4] % groups == 0:
        strategy.add_implementation(_wrap_conv2d_x86(topi.x86.depthwise_conv2d_nchw),
                                    _generic.wrap_topi_schedule(topi.x86.schedule_depthwise_conv2d_nchw),
                                    name="depthwise_conv2d_nchw.x86", plevel=15)


_PACKED_KERNEL = re.compile(r"^OIHW(\d+)i(\d+)o$")


# ---------------------------------------------------------------- blocked NCHW[x]c convolutions
# nn.contrib_conv2d_NCHWc / nn.contrib_depthwise_conv2d_NCHWc: their strategies (generic, and
# conv2d_NCHWc.x86 / depthwise_conv2d_NCHWc.x86 at plevel 15) are C++
# (src/relay/op/strategy/x86_conv2d_nchwc.cc), so a program without Python compiles them too.
