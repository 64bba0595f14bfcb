# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""x86 facts the schedules ask about the current target (tvm.target.x86)."""
from .codegen import target_has_features


def get_simd_32bit_lanes():
    """How many 32-bit lanes the widest integer SIMD register of the current target holds:
    16 with AVX-512 (f and bw), 8 with AVX2, else 4 (SSE)."""
    if target_has_features(["avx512bw", "avx512f"]):
        return 16
    if target_has_features("avx2"):
        return 8
    return 4
