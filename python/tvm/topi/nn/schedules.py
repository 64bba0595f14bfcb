# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Generic (target-independent) schedules for the nn operators.

The default is simple and correct: inline every injective stage that is not
an output (weight regrouping, bias, statistics), except padding, which is
computed once into its own buffer; run the outermost loops of each remaining
stage in parallel, and vectorize reductions across their innermost output
axis. Target-specific schedules build on this.
"""
from ... import te
from ..._ffi.registry import get_global_func


def default_schedule(outs, auto_inline=True):
    """create_schedule for outs, injective intermediates inlined, outer loops parallel (C++:
    include/tvm/topi/nn/default_schedule.h)."""
    outs = [outs] if isinstance(outs, te.Tensor) else list(outs)
    return get_global_func("topi.nn.default_schedule")(outs, bool(auto_inline))


def _named(name):
    def schedule(outs):
        return default_schedule(outs)

    schedule.__name__ = name
    schedule.__qualname__ = name
    schedule.__doc__ = f"Generic schedule of the {name[len('schedule_'):]} operator (default_schedule)."
    return schedule


_NAMES = [
    "schedule_conv1d_ncw", "schedule_conv1d_nwc", "schedule_group_conv1d_ncw", "schedule_group_conv1d_nwc",
    "schedule_conv2d_nchw", "schedule_conv2d_nhwc", "schedule_conv2d_hwcn", "schedule_group_conv2d_nchw",
    "schedule_group_conv2d_nhwc", "schedule_depthwise_conv2d_nchw", "schedule_depthwise_conv2d_nhwc",
    "schedule_conv3d_ncdhw", "schedule_conv3d_ndhwc", "schedule_conv1d_transpose_ncw",
    "schedule_conv2d_transpose_nchw", "schedule_group_conv2d_transpose_nchw", "schedule_conv3d_transpose_ncdhw",
    "schedule_dense", "schedule_matmul", "schedule_batch_matmul", "schedule_pool", "schedule_adaptive_pool",
    "schedule_global_pool", "schedule_softmax", "schedule_fast_softmax", "schedule_log_softmax", "schedule_lrn",
    "schedule_batch_norm", "schedule_layer_norm", "schedule_group_norm", "schedule_instance_norm",
    "schedule_injective", "schedule_elemwise", "schedule_broadcast", "schedule_reduce", "schedule_extern",
]
for _n in _NAMES:
    globals()[_n] = _named(_n)


def schedule_pool(outs, layout="NCHW"):  # pylint: disable=function-redefined
    """Generic schedule of pooling (default_schedule; the layout does not change it)."""
    del layout
    return default_schedule(outs)


def schedule_adaptive_pool(outs, layout="NCHW"):  # pylint: disable=function-redefined
    """Generic schedule of adaptive pooling."""
    del layout
    return default_schedule(outs)
