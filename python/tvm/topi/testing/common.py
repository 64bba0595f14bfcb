# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Schedule dispatch by target keys, as TVM's tests use it."""
import numpy as np

import tvm
from tvm import topi
from tvm.testing import assert_allclose


def _target_schedule(module_name, name):
    """topi.<module>.<name> when that target's schedules exist here, else the generic one."""
    module = getattr(topi, module_name, None)
    return getattr(module, name, None) if module is not None else None


def dispatch(target, dispatch_map):
    """The entry of dispatch_map for the first of target's keys it has ("generic" otherwise)."""
    if isinstance(target, str):
        target = tvm.target.Target(target)
    for key in target.keys:
        if key in dispatch_map and dispatch_map[key] is not None:
            return dispatch_map[key]
    return dispatch_map["generic"]


def _schedule_map(name):
    generic = getattr(topi.generic, name)
    return {
        "generic": generic,
        "cpu": _target_schedule("x86", name) or generic,
        "arm_cpu": _target_schedule("arm_cpu", name) or generic,
        "gpu": _target_schedule("cuda", name) or generic,
    }


def get_injective_schedule(target):
    return dispatch(target, _schedule_map("schedule_injective"))


def get_reduce_schedule(target):
    return dispatch(target, _schedule_map("schedule_reduce"))


get_broadcast_schedule = get_injective_schedule
get_elemwise_schedule = get_injective_schedule


def compare_numpy_tvm(inputs, output, target, device, compute, schedule):
    """Build compute + schedule over placeholders like inputs and compare with output."""
    te_inputs = [tvm.te.placeholder(shape=i.shape, dtype=str(i.dtype)) for i in inputs]
    te_out = tvm.nd.array(np.zeros(output.shape).astype(output.dtype), device=device)
    with tvm.target.Target(target):
        out = compute(*te_inputs)
        s = schedule([out])
        func = tvm.build(s, te_inputs + [out])
        arys = [tvm.nd.array(x, device=device) for x in inputs]
        func(*(arys + [te_out]))
        assert_allclose(te_out.numpy(), output, atol=1e-4, rtol=1e-4)


def run_op(outs, inputs, arrays, schedule=None, target="llvm"):
    """Schedule outs (default: the generic nn schedule), build for target, run on arrays; numpy results.

    Returns one array for a single output, else a list.
    """
    from ..nn.schedules import default_schedule  # pylint: disable=import-outside-toplevel

    single = isinstance(outs, tvm.te.Tensor)
    outs = [outs] if single else list(outs)
    s = (schedule or default_schedule)(outs if not single else outs[0])
    func = tvm.build(s, list(inputs) + outs, target)
    dev = tvm.device(target, 0)
    args = [tvm.nd.array(np.asarray(a), dev) for a in arrays]
    results = [tvm.nd.array(np.zeros([int(d) for d in o.shape], o.dtype), dev) for o in outs]
    func(*args, *results)
    values = [r.numpy() for r in results]
    return values[0] if single else values


def get_conv2d_nchw_implement(target):
    """(compute, schedule) of conv2d in NCHW for target (needs topi.nn)."""
    generic = (topi.nn.conv2d_nchw, topi.generic.schedule_conv2d_nchw)
    x86 = getattr(topi, "x86", None)
    cpu = (x86.conv2d_nchw, x86.schedule_conv2d_nchw) if hasattr(x86, "conv2d_nchw") else generic
    return dispatch(target, {"generic": generic, "cpu": cpu})
