# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Target-independent operator strategies: the operator's own compute (FTVMCompute) with
the generic schedules. Targets override these through generic_func's register."""
from ....target import generic_func
from ..op import OpStrategy
from ..nn import _nn

__all__ = ["wrap_topi_schedule", "conv2d_strategy", "dense_strategy", "batch_matmul_strategy",
           "matmul_strategy", "dense_pack_strategy", "softmax_strategy", "schedule_reduce", "schedule_injective"]


def wrap_topi_schedule(topi_schedule):
    """An FTVMSchedule from a TOPI schedule function taking the outputs only."""

    def schedule(attrs, outs, target):  # pylint: disable=unused-argument
        with target:
            return topi_schedule(outs)

    return schedule


def _generic_strategy(compute, name):
    strategy = OpStrategy()
    strategy.add_implementation(compute, _nn._nn_schedule, name=name, plevel=10)
    return strategy


@generic_func
def conv2d_strategy(attrs, inputs, out_type, target):  # pylint: disable=unused-argument
    """nn.conv2d: direct convolution in the call's own layouts."""
    return _generic_strategy(_nn._conv_compute, "conv2d.generic")


@generic_func
def dense_strategy(attrs, inputs, out_type, target):  # pylint: disable=unused-argument
    """nn.dense: the reduction over k, generic schedule."""
    return _generic_strategy(_nn._dense_compute, "dense.generic")


@generic_func
def batch_matmul_strategy(attrs, inputs, out_type, target):  # pylint: disable=unused-argument
    """nn.batch_matmul: the reduction over k per batch, generic schedule."""
    return _generic_strategy(_nn._batch_matmul_compute, "batch_matmul.generic")


@generic_func
def matmul_strategy(attrs, inputs, out_type, target):  # pylint: disable=unused-argument
    """nn.matmul: the reduction over k with optional transposes, generic schedule."""
    return _generic_strategy(_nn._matmul_compute, "matmul.generic")


@generic_func
def dense_pack_strategy(attrs, inputs, out_type, target):  # pylint: disable=unused-argument
    """nn.contrib_dense_pack: the packed-weight GEMM's compute (plain TE), generic schedule."""
    return _generic_strategy(_nn._dense_pack_compute, "dense_pack.generic")


@generic_func
def softmax_strategy(attrs, inputs, out_type, target):  # pylint: disable=unused-argument
    """nn.softmax: topi.nn.softmax along the call's axis, generic schedule."""
    return _generic_strategy(_nn._softmax_compute, "softmax.generic")


@generic_func
def schedule_reduce(attrs, outs, target):  # pylint: disable=unused-argument
    """The schedule of a fused function whose master op is a reduction (sum, mean, max, ...)."""
    from .... import topi  # pylint: disable=import-outside-toplevel

    with target:
        return topi.generic.schedule_reduce(outs)


@generic_func
def schedule_injective(attrs, outs, target):  # pylint: disable=unused-argument
    """The schedule of a fused function of injective ops (elementwise, broadcast, layout)."""
    from .... import topi  # pylint: disable=import-outside-toplevel

    with target:
        return topi.generic.schedule_injective(outs)
