# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Building and running a TOPI operator in tests."""
import numpy as np

import tvm
from tvm import te


def run_op(outs, inputs, arrays, schedule=None, target="llvm"):
    """Schedule outs (default: the generic nn schedule), build for target, run on arrays; numpy results.

    Returns one array for a single output, else a list.
    """
    from ..nn.schedules import default_schedule  # pylint: disable=import-outside-toplevel

    single = isinstance(outs, te.Tensor)
    outs = [outs] if single else list(outs)
    s = (schedule or default_schedule)(outs if not single else outs[0])
    func = tvm.build(s, list(inputs) + outs, target)
    dev = tvm.device(target, 0)
    args = [tvm.nd.array(np.asarray(a), dev) for a in arrays]
    results = [tvm.nd.array(np.zeros([int(d) for d in o.shape], o.dtype), dev) for o in outs]
    func(*args, *results)
    values = [r.numpy() for r in results]
    return values[0] if single else values


def dispatch(target, dispatch_map):
    """The entry of dispatch_map for the first of target's keys it has, else its "generic" entry."""
    if isinstance(target, str):
        target = tvm.target.Target(target)
    for key in target.keys:
        if key in dispatch_map:
            return dispatch_map[key]
    return dispatch_map["generic"]


def _generic_schedule(name):
    """topi.generic.<name> when the generic package provides it, else the nn default schedule."""
    from .. import nn  # pylint: disable=import-outside-toplevel

    try:
        from .. import generic  # pylint: disable=import-outside-toplevel

        if hasattr(generic, name):
            return getattr(generic, name)
    except ImportError:
        pass
    return getattr(nn.schedules, name)


def get_injective_schedule(target):
    """The injective schedule for target (generic on CPU)."""
    del target
    return _generic_schedule("schedule_injective")


def get_reduce_schedule(target):
    """The reduction schedule for target (generic on CPU)."""
    del target
    return _generic_schedule("schedule_reduce")


get_broadcast_schedule = get_injective_schedule
get_elemwise_schedule = get_injective_schedule


def get_conv2d_nchw_implement(target):
    """(compute, schedule) of conv2d in NCHW for target."""
    from .. import nn  # pylint: disable=import-outside-toplevel

    del target
    return nn.conv2d_nchw, _generic_schedule("schedule_conv2d_nchw")
