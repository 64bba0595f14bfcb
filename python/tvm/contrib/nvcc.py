# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""What a CUDA compute capability supports (TVM's tvm.contrib.nvcc helpers that tests use)."""


def parse_compute_version(compute_version):
    """(major, minor) from a version string such as "8.0"."""
    parts = str(compute_version).split(".")
    try:
        return int(parts[0]), int(parts[1]) if len(parts) > 1 else 0
    except ValueError as err:
        raise RuntimeError(f"compute version {compute_version!r} is not of the form 'major.minor'") from err


def have_fp16(compute_version):
    """Whether float16 arithmetic is available (sm_53 and later)."""
    major, minor = parse_compute_version(compute_version)
    return (major, minor) >= (5, 3)


def have_int8(compute_version):
    """Whether int8 dot products (dp4a) are available (sm_61 and later)."""
    major, minor = parse_compute_version(compute_version)
    return (major, minor) >= (6, 1)


def have_tensorcore(compute_version=None, target=None):
    """Whether tensor cores are available (sm_70 and later)."""
    if compute_version is None:
        if target is None or "arch" not in str(target):
            return False
        compute_version = str(target.arch).split("_")[-1]
        compute_version = f"{compute_version[:-1]}.{compute_version[-1]}"
    major, _ = parse_compute_version(compute_version)
    return major >= 7


def have_bf16(compute_version):
    """Whether bfloat16 arithmetic is available (sm_80 and later)."""
    major, _ = parse_compute_version(compute_version)
    return major >= 8
