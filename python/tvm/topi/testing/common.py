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
