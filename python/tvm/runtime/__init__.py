# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""The runtime: objects, arrays, devices, functions and modules."""
import ctypes

from .._ffi.base import _core
from .. import error as _error
from .object import Object, ObjectGeneric, _init_hooks
from .runtime_types import DataType, DataTypeCode, Device
from .packed_func import PackedFunc
from .ndarray import NDArray
from .module import Module, ModulePropertyMask, load_module, system_lib
from .container import Array, Map, String, ShapeTuple, convert, convert_to_object
from .params import save_param_dict, load_param_dict, save_param_dict_to_file, load_param_dict_from_file
from . import params
from . import ndarray
from . import vm
from .ndarray import device, cpu, cuda, gpu, cuda_host, opencl, vulkan, metal, rocm, ext_dev, hexagon, vpi, cl, mtl

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
    if name.startswith("nvptx"):
        name = "cuda"  # NVPTX code runs on the CUDA device API
    device_api = {"gpu": "cuda", "cl": "opencl", "mtl": "metal"}.get(name, name)
    if device_api == "cuda" and not any(get_global_func(f, allow_missing=True) is not None
                                        for f in ("target.build.cuda", "target.build.nvptx")):
        # The device API alone cannot run anything without a code generator for it.
        return False
    return get_global_func(f"device_api.{device_api}", allow_missing=True) is not None


def const(value, dtype=None, span=None):
    """A constant expression: an IntImm (int32, or int64 when it does not fit),
    FloatImm (float32) or bool IntImm, or of `dtype` when given."""
    from ..tir.op import const as _tir_const

    if dtype is None:
        if isinstance(value, bool):
            dtype = "bool"
        elif isinstance(value, int):
            dtype = "int32" if -(2**31) <= value < 2**31 else "int64"
        elif isinstance(value, float):
            dtype = "float32"
    return _tir_const(value, dtype) if dtype is not None else _tir_const(value)
