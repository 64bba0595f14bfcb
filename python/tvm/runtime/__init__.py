# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""The runtime: objects, arrays, devices, functions and modules."""
import ctypes

from .._ffi.base import _core
from .. import error as _error
from .object import Object, _init_hooks
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
