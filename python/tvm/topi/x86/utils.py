# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""What an x86 schedule needs to know about the target: its vector width and register file,
and the caches and cores of the machine it runs on.

These call the C++ functions the C++ schedules use (include/tvm/topi/x86/utils.h), so a kernel
scheduled from Python and one scheduled from a C++ program are the same."""
from ..._ffi.registry import get_global_func
from ...target import Target


def get_simd_32bit_lanes(target=None):
    """float32 lanes of one vector register for `target` (the current one by default): 16 with
    AVX-512, 8 with AVX/AVX2, 4 otherwise (SSE, which every x86-64 CPU has)."""
    target = target or Target.current(allow_none=True)
    return int(get_global_func("topi.x86.get_simd_32bit_lanes")(target))


def vector_registers(lanes):
    """Architectural vector registers: 32 zmm with AVX-512, else 16."""
    return 32 if lanes >= 16 else 16


def num_threads():
    """Threads the runtime pool runs a parallel loop on (TVM_NUM_THREADS, else the CPUs we may use)."""
    return int(get_global_func("topi.x86.num_threads")())


def cache_sizes():
    """{"L1d", "L2", "L3"} in bytes for CPU 0, from sysfs (typical sizes where unreadable)."""
    l1d, l2, l3 = (int(v) for v in get_global_func("topi.x86.cache_sizes")())
    return {"L1d": l1d, "L2": l2, "L3": l3}
