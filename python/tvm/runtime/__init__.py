# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""The runtime: objects, arrays, devices, functions and modules."""
import ctypes

from .._ffi.base import _core
from .. import error as _error
from .object import Object, ObjectGeneric, _init_hooks
from .runtime_types import DataType, Device
from .packed_func import PackedFunc
from .ndarray import NDArray
from .module import Module, load_module
from .container import Array, Map, String, convert, convert_to_object
from . import ndarray
from .ndarray import device, cpu, cuda, gpu, cuda_host, opencl, vulkan, metal, rocm, ext_dev

_core.set_hooks(Object, Object, Device, DataType, _error._raise_error, ctypes.c_void_p)
_core.register_object_class("runtime.PackedFunc", PackedFunc)
_init_hooks()


def num_threads():
    """Threads in the runtime's pool (TVM_NUM_THREADS, default: physical cores)."""
    from .._ffi.registry import get_global_func

    return get_global_func("runtime.NumThreads")()


def enabled(target):
    """Whether this build can run code for `target` ("cpu", "llvm", "cuda", "opencl", ...).

    For a device kind this asks whether its device API is part of the runtime
    (not whether hardware is present: use `tvm.device(kind).exist`); for a
    compiler target such as "llvm" whether its code generator is built in.
    """
    from .._ffi.registry import get_global_func

    name = str(target).split()[0]
    if name in ("cpu", "c"):
        return True
    if name == "llvm":
        return get_global_func("target.build.llvm", allow_missing=True) is not None
    device_api = {"gpu": "cuda", "cl": "opencl", "mtl": "metal"}.get(name, name)
    return get_global_func(f"device_api.{device_api}", allow_missing=True) is not None
