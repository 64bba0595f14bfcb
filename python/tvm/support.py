# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Build information."""
from ._ffi.registry import get_global_func


def libinfo():
    """Build options of the loaded library (LLVM version, CUDA, ...)."""
    return dict(get_global_func("support.GetLibInfo")().items())
