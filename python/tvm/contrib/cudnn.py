# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""cuDNN offload (tvm.contrib.cudnn).

This project does not call cuDNN: convolutions on CUDA are compiled from
TOPI. exists() says so, and stays the one place to ask once an offload
registers itself (as the global function "tvm.contrib.cudnn.exists")."""
from .._ffi.registry import get_global_func


def exists():
    """Whether cuDNN can be called from this build (False without a registered cuDNN offload)."""
    func = get_global_func("tvm.contrib.cudnn.exists", allow_missing=True)
    return bool(func()) if func is not None else False
