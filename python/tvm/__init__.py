# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""An end-to-end deep learning compiler stack (TVM v0.14 compatible API)."""
__version__ = "0.14.0"

from . import _ffi
from ._ffi import register_object, register_func, get_global_func
from . import error
from .error import TVMError

from . import runtime
from .runtime import ndarray as nd
from .runtime import (
    Object,
    DataType,
    Device,
    NDArray,
    Module,
    PackedFunc,
    device,
    cpu,
    cuda,
    gpu,
    opencl,
    vulkan,
    metal,
    rocm,
    ext_dev,
    cuda_host,
    hexagon,
    vpi,
    cl,
    mtl,
    DataTypeCode,
)

from . import ir
from .ir import IRModule, transform, instrument, container
from .ir.expr import IntImm, FloatImm, GlobalVar, Range, PrimExpr

from . import tir
from . import te
from . import support
from .driver import lower, build
from . import target
from . import contrib
from . import arith
from . import script
from . import parser
