# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""The "cpu" strategies of the operators around a transformer's GEMMs: softmax along the
last axis (topi.x86.softmax, plevel 15 above the generic 10) and the reduction schedule
(topi.x86.schedule_reduce: vector partial sums, rows in parallel), which mean, variance
and so the expanded layer_norm use, and the injective schedule (topi.x86.schedule_injective:
rows in parallel, full vectors within a row)."""
from .... import topi
from ....topi.utils import get_const_tuple
from .generic import softmax_strategy, schedule_reduce, schedule_injective, wrap_topi_schedule
from . import generic as _generic


@softmax_strategy.register("cpu")
def softmax_strategy_cpu(attrs, inputs, out_type, target):
    strategy = _generic.softmax_strategy.fdefault(attrs, inputs, out_type, target)
    (data,) = inputs
    shape = get_const_tuple(data.shape)
    if topi.x86.softmax_supports(shape, int(attrs.axis), data.dtype) and out_type.dtype == data.dtype:

        def compute(attrs, inputs, out_type):  # pylint: disable=unused-argument
            return [topi.x86.softmax(inputs[0], int(attrs.axis))]

        strategy.add_implementation(compute, wrap_topi_schedule(topi.x86.schedule_softmax), name="softmax.x86",
                                    plevel=15)
    return strategy


@schedule_reduce.register("cpu")
def schedule_reduce_cpu(attrs, outs, target):  # pylint: disable=unused-argument
    with target:
        return topi.x86.schedule_reduce(outs)


@schedule_injective.register("cpu")
def schedule_injective_cpu(attrs, outs, target):  # pylint: disable=unused-argument
    with target:
        return topi.x86.schedule_injective(outs)
