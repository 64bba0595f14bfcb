# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Small helpers shared by the LLVM code generator tests.

    f = build(s, [A, B])                       # tvm.build for "llvm", name "main"
    out = run(f, [a_np], [(shape, dtype)])     # numpy in, numpy out
    x = rand((7, 5), "int8", rng)              # test data that avoids overflow

Data are small and fully random within ranges where every dtype's
arithmetic is exact (or, for floats, well conditioned), so comparisons
against numpy can use tight tolerances.
"""
import numpy as np

import tvm

TARGET = "llvm"

# Values kept in these ranges make + - * exact in every integer dtype under test.
_INT_RANGE = {
    "int8": (-11, 12),
    "uint8": (0, 16),
    "int32": (-1000, 1001),
    "int64": (-100000, 100001),
}


def rand(shape, dtype, rng, low=None, high=None):
    """Random test data of `dtype`; floats uniform in [low, high), ints in a safe range."""
    if dtype == "bool":
        return rng.integers(0, 2, size=shape).astype(bool)
    if dtype in ("float16", "float32", "float64"):
        low = -4.0 if low is None else low
        high = 4.0 if high is None else high
        return rng.uniform(low, high, size=shape).astype(dtype)
    lo, hi = _INT_RANGE[dtype]
    lo = lo if low is None else low
    hi = hi if high is None else high
    return rng.integers(lo, hi, size=shape).astype(dtype)


def build(sched, args, target=TARGET, name="main"):
    return tvm.build(sched, args, target, name=name)


def run(func, inputs, outputs, name=None):
    """Call `func` (a module or PackedFunc) on numpy inputs; return the outputs as numpy arrays.

    `outputs` is a list of (shape, dtype) for the result tensors, passed after the inputs.
    """
    dev = tvm.cpu(0)
    args = [tvm.nd.array(x, dev) for x in inputs]
    outs = [tvm.nd.array(np.zeros(shape, dtype=dtype), dev) for shape, dtype in outputs]
    f = func[name] if name is not None else func
    f(*(args + outs))
    results = [o.numpy() for o in outs]
    return results[0] if len(results) == 1 else results


def build_run(sched, tensors, inputs, target=TARGET):
    """Build `sched` over `tensors` (inputs first, then one output) and run it on `inputs`."""
    f = build(sched, tensors, target)
    out = tensors[-1]
    shape = tuple(int(x) for x in out.shape)
    return run(f, inputs, [(shape, out.dtype)])
