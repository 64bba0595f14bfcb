# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""What an x86 schedule needs to know about the target: its vector width and register file,
and the caches and cores of the machine it runs on."""
import os

from ...target import Target

# LLVM CPU names with AVX-512F (what "-mcpu=<name>" enables without -mattr).
_AVX512_CPUS = {
    "skylake-avx512", "cascadelake", "cooperlake", "cannonlake", "icelake-client", "icelake-server",
    "tigerlake", "rocketlake", "sapphirerapids", "emeraldrapids", "graniterapids", "graniterapids-d",
    "knl", "knm", "znver4", "znver5", "x86-64-v4",
}
# LLVM CPU names with AVX2 but not AVX-512F.
_AVX2_CPUS = {
    "haswell", "broadwell", "skylake", "alderlake", "raptorlake", "meteorlake", "arrowlake", "lunarlake",
    "gracemont", "sierraforest", "grandridge", "znver1", "znver2", "znver3", "x86-64-v3", "core-avx2",
    "bdver4",
}


def _features(target):
    """The target's "+feature" names: -mattr, else what its -mcpu implies when it is this host."""
    features = {str(f) for f in (target.mattr or [])}
    mcpu = str(target.mcpu or "")
    if mcpu and not features:
        from ...target import codegen  # the LLVM queries need the code generator

        try:
            if mcpu == codegen.llvm_get_system_cpu():
                features = {f for f in codegen.llvm_get_system_features() if f.startswith("+")}
        except RuntimeError:
            pass
    return features, mcpu


def get_simd_32bit_lanes(target=None):
    """float32 lanes of one vector register for `target` (the current one by default): 16 with
    AVX-512, 8 with AVX/AVX2, 4 otherwise (SSE, which every x86-64 CPU has)."""
    target = target or Target.current(allow_none=True)
    if target is None:
        return 4
    features, mcpu = _features(target)
    if "+avx512f" in features or (not features and mcpu in _AVX512_CPUS):
        return 16
    if {"+avx2", "+avx"} & features or (not features and mcpu in _AVX2_CPUS):
        return 8
    return 4


def vector_registers(lanes):
    """Architectural vector registers: 32 zmm with AVX-512, else 16."""
    return 32 if lanes >= 16 else 16


def num_threads():
    """Threads the runtime pool runs a parallel loop on (TVM_NUM_THREADS, else the CPUs we may use)."""
    value = os.environ.get("TVM_NUM_THREADS", "")
    if value.isdigit() and int(value) > 0:
        return int(value)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


_CACHES = None


def cache_sizes():
    """{"L1d", "L2", "L3"} in bytes for CPU 0, from sysfs (typical sizes where unreadable)."""
    global _CACHES
    if _CACHES is not None:
        return _CACHES
    sizes = {"L1d": 32 << 10, "L2": 1 << 20, "L3": 32 << 20}
    base = "/sys/devices/system/cpu/cpu0/cache"
    try:
        for entry in sorted(os.listdir(base)):
            if not entry.startswith("index"):
                continue

            def read(name, entry=entry):
                with open(os.path.join(base, entry, name)) as f:
                    return f.read().strip()

            level, kind, size = read("level"), read("type"), read("size")
            scale = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}.get(size[-1], 1)
            value = int(size.rstrip("KMG")) * scale
            if level == "1" and kind == "Data":
                sizes["L1d"] = value
            elif level in ("2", "3") and kind == "Unified":
                sizes["L" + level] = value
    except (OSError, ValueError):
        pass
    _CACHES = sizes
    return sizes
