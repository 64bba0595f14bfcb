# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Device and DataType: the two value types of the runtime."""
import numpy as np

from .._ffi.base import _core

_DEVICE_NAMES = {1: "cpu", 2: "cuda", 3: "cuda_host", 4: "opencl", 5: "aocl", 6: "sdaccel", 7: "vulkan", 8: "metal", 9: "vpi",
                 10: "rocm", 11: "rocm_host", 12: "ext_dev", 13: "cuda_managed", 14: "oneapi", 15: "webgpu",
                 16: "hexagon"}

_NAME_TO_TYPE = {"cpu": 1, "llvm": 1, "c": 1, "stackvm": 1, "hybrid": 1, "cuda": 2, "gpu": 2, "nvptx": 2,
                 "cuda_host": 3, "opencl": 4, "cl": 4, "vulkan": 7, "metal": 8, "vpi": 9, "rocm": 10,
                 "rocm_host": 11, "ext_dev": 12, "vta": 12, "cuda_managed": 13, "mtl": 8, "oneapi": 14,
                 "webgpu": 15, "hexagon": 16, "aocl": 5, "aocl_sw_emu": 5, "sdaccel": 6}


class Device:
    """A device: its type (kDLCPU=1, kDLCUDA=2, ...) and index.

    Properties query the device through its DeviceAPI; on a machine without
    the device they answer `exist == False` instead of raising.
    """

    __slots__ = ("device_type", "device_id")
    kDLCPU = 1
    kDLCUDA = 2
    DEVICE_TYPE_TO_NAME = _DEVICE_NAMES
    STR2MASK = _NAME_TO_TYPE

    def __init__(self, device_type, device_id=0):
        if isinstance(device_type, str):
            device_type = _device_type_from_name(device_type)
        device_type = int(device_type)
        if device_type not in _DEVICE_NAMES:
            from ..error import _ERROR_TYPES

            raise _ERROR_TYPES["ValueError"](f"unknown device type {device_type}")
        if int(device_id) < 0:
            from ..error import _ERROR_TYPES

            raise _ERROR_TYPES["ValueError"](f"device id must be non-negative, got {device_id}")
        self.device_type = device_type
        self.device_id = int(device_id)

    def _attr(self, kind):
        from .._ffi.registry import get_global_func

        return get_global_func("runtime.GetDeviceAttr")(self.device_type, self.device_id, kind)

    @property
    def exist(self):
        """Whether the device exists (False when its driver or hardware is absent)."""
        return bool(_core.device_exists(self.device_type, self.device_id))

    @property
    def max_threads_per_block(self):
        return self._attr(1)

    @property
    def warp_size(self):
        return self._attr(2)

    @property
    def max_shared_memory_per_block(self):
        return self._attr(3)

    @property
    def compute_version(self):
        return self._attr(4)

    @property
    def device_name(self):
        return self._attr(5)

    @property
    def max_clock_rate(self):
        return self._attr(6)

    @property
    def multi_processor_count(self):
        return self._attr(7)

    @property
    def max_thread_dimensions(self):
        import json

        value = self._attr(8)
        return json.loads(value) if value is not None else None

    @property
    def total_global_memory(self):
        return self._attr(14)

    def sync(self):
        """Wait until all work queued on the device is done."""
        from .._ffi.registry import get_global_func

        get_global_func("runtime.DeviceSync")(self.device_type, self.device_id)

    def __eq__(self, other):
        return (isinstance(other, Device) and self.device_type == other.device_type
                and self.device_id == other.device_id)

    def __ne__(self, other):
        return not self == other

    def __hash__(self):
        return hash((self.device_type, self.device_id))

    def __repr__(self):
        name = _DEVICE_NAMES.get(self.device_type, f"device_type{self.device_type}")
        return f"{name}({self.device_id})"


def _device_type_from_name(name):
    key = name.split(" ")[0].split("-")[0]
    if key not in _NAME_TO_TYPE:
        from ..error import _ERROR_TYPES

        raise _ERROR_TYPES["ValueError"](
            f"unknown device '{name}' (expected one of: {', '.join(sorted(_NAME_TO_TYPE))})")
    return _NAME_TO_TYPE[key]


class DataTypeCode:
    """The type codes of DataType (DLPack's, plus TVM's handle)."""

    INT = 0
    UINT = 1
    FLOAT = 2
    HANDLE = 3
    BFLOAT = 4


class DataType(str):
    """A data type, written as its string ("float32", "int8x4", "bool").

    It is a str, so it compares equal to the string; `type_code`, `bits` and
    `lanes` give the parts. Construction validates the string.
    """

    kInt = 0
    kUInt = 1
    kFloat = 2
    kHandle = 3
    kBFloat = 4
    _CODES = {"int": 0, "uint": 1, "float": 2, "handle": 3, "bfloat": 4}

    def __new__(cls, type_str):
        type_str = _dtype_str(type_str)
        code, bits, lanes = _parse_dtype(type_str)
        obj = super().__new__(cls, type_str)
        obj._code, obj._bits, obj._lanes = code, bits, lanes
        return obj

    @property
    def type_code(self):
        return self._code

    @property
    def bits(self):
        return self._bits

    @property
    def lanes(self):
        return self._lanes

    def __repr__(self):
        return f"DataType({str.__repr__(self)})"


def _dtype_str(dtype):
    """Normalise a dtype given as str, numpy dtype or numpy type."""
    if isinstance(dtype, str):
        return dtype
    if dtype is bool:
        return "bool"
    try:
        return str(np.dtype(dtype))
    except TypeError:
        from ..error import _ERROR_TYPES

        raise _ERROR_TYPES["TypeError"](f"cannot interpret {dtype!r} as a data type") from None


def _parse_dtype(type_str):
    """(code, bits, lanes) of a dtype string; ValueError naming it when invalid."""
    from ..error import _raise_error

    try:
        return _core.parse_dtype(type_str)
    except ValueError as err:
        _raise_error("ValueError", str(err))
