# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""NDArray: n-dimensional arrays on any device, exchanged with numpy and
PyTorch through DLPack without copies."""
import numpy as np

from .._ffi.base import _core
from .._ffi.registry import register_object
from .object import Object
from .runtime_types import DataType, Device, _dtype_str

_NUMPY_NAMES = {"bool": np.bool_}


def _numpy_dtype(dtype):
    """The numpy dtype holding elements of `dtype` (storage type for bfloat16)."""
    if dtype == "bool":
        return np.dtype(np.bool_)
    if dtype == "bfloat16":
        return np.dtype(np.uint16)
    parts = DataType(dtype)
    if parts.lanes != 1:
        base = str(dtype).split("x")[0]
        return np.dtype(base)
    return np.dtype(str(dtype))


@register_object("runtime.NDArray")
class NDArray(Object):
    """An array on a device.

    `numpy()` copies to a numpy array; `np.from_dlpack(arr)`,
    `torch.utils.dlpack.from_dlpack(arr.to_dlpack())` and
    `tvm.nd.from_dlpack(x)` share memory instead.
    """

    def _info(self):
        return _core.ndarray_info(self.handle)

    @property
    def shape(self):
        """The shape, as a tuple of ints."""
        return self._info()[1]

    @property
    def dtype(self):
        """The element type, as a string such as "float32"."""
        return self._info()[2]

    @property
    def device(self):
        info = self._info()
        return Device(info[3], info[4])

    @property
    def strides(self):
        """Strides in elements, or None for a compact row-major array."""
        return self._info()[5]

    @property
    def ndim(self):
        return len(self.shape)

    @property
    def size(self):
        n = 1
        for d in self.shape:
            n *= d
        return n

    @property
    def data_ptr(self):
        """Address of the first element (data pointer plus byte offset)."""
        info = self._info()
        return info[0] + info[6]

    def is_aligned(self, alignment=64):
        return _core.ndarray_is_aligned(self.handle, alignment)

    def numpy(self):
        """A copy of the contents as a numpy array."""
        info = self._info()
        dtype = info[2]
        shape = info[1]
        parts = DataType(dtype)
        if parts.lanes != 1:
            shape = shape + (parts.lanes,)
        out = np.empty(shape, dtype=_numpy_dtype(dtype))
        if dtype == "bool":
            staging = np.empty(shape, dtype=np.uint8)
            _core.ndarray_copy_to_bytes(self.handle, staging)
            return staging.astype(np.bool_)
        if out.size > 0:
            _core.ndarray_copy_to_bytes(self.handle, out)
        return out

    def asnumpy(self):
        """Deprecated alias of numpy()."""
        return self.numpy()

    def copyfrom(self, source):
        """Copy data in from a numpy array, an NDArray or anything numpy can convert."""
        if isinstance(source, NDArray):
            _core.ndarray_copy_from_to(source.handle, self.handle)
            return self
        dtype = self.dtype
        if not isinstance(source, np.ndarray):
            source = np.array(source, dtype=_numpy_dtype(dtype))
        shape = self.shape
        parts = DataType(dtype)
        if parts.lanes != 1:
            shape = shape + (parts.lanes,)
        if tuple(source.shape) != tuple(shape):
            from ..error import _ERROR_TYPES

            raise _ERROR_TYPES["ValueError"](
                f"array shape {tuple(source.shape)} does not match the NDArray's shape {tuple(shape)}")
        if dtype == "bool":
            source = np.ascontiguousarray(source, dtype=np.uint8)
        else:
            source = np.ascontiguousarray(source, dtype=_numpy_dtype(dtype))
        if source.size > 0:
            _core.ndarray_copy_from_bytes(self.handle, source)
        return self

    def copyto(self, target):
        """Copy into an NDArray, or to a new array on a Device."""
        if isinstance(target, NDArray):
            _core.ndarray_copy_from_to(self.handle, target.handle)
            return target
        if isinstance(target, Device):
            out = empty(self.shape, self.dtype, target)
            _core.ndarray_copy_from_to(self.handle, out.handle)
            return out
        from ..error import _ERROR_TYPES

        raise _ERROR_TYPES["TypeError"](f"copyto: expected an NDArray or a Device, got {type(target).__name__}")

    def _create_view(self, shape, dtype=None):
        return _core.ndarray_create_view(self.handle, list(shape), str(dtype or self.dtype))

    def to_dlpack(self):
        """A DLPack capsule sharing this array's memory."""
        return _core.to_dlpack(self.handle)

    def __dlpack__(self, stream=None):
        return self.to_dlpack()

    def __dlpack_device__(self):
        info = self._info()
        return (info[3], info[4])

    def __setitem__(self, key, value):
        if not isinstance(key, slice) or key != slice(None):
            from ..error import _ERROR_TYPES

            raise _ERROR_TYPES["ValueError"]("NDArray only supports assignment to the whole array: arr[:] = value")
        if isinstance(value, NDArray):
            _core.ndarray_copy_from_to(value.handle, self.handle)
        else:
            self.copyfrom(value)

    def __repr__(self):
        return f"<tvm.nd.NDArray shape={self.shape}, {self.device}>\n{self.numpy()!r}"

    def __str__(self):
        return str(self.numpy())


def device(dev_type, dev_id=0):
    """A Device from a name ("cpu", "cuda", "llvm", ...) or a type code."""
    if isinstance(dev_type, Device):
        return dev_type
    return Device(dev_type, dev_id)


def cpu(dev_id=0):
    return Device(1, dev_id)


def cuda(dev_id=0):
    return Device(2, dev_id)


def gpu(dev_id=0):
    """Deprecated alias of cuda()."""
    return cuda(dev_id)


def cuda_host(dev_id=0):
    return Device(3, dev_id)


def opencl(dev_id=0):
    return Device(4, dev_id)


def vulkan(dev_id=0):
    return Device(7, dev_id)


def metal(dev_id=0):
    return Device(8, dev_id)


def rocm(dev_id=0):
    return Device(10, dev_id)


def ext_dev(dev_id=0):
    return Device(12, dev_id)


def hexagon(dev_id=0):
    return Device(16, dev_id)


def vpi(dev_id=0):
    return Device(9, dev_id)


cl = opencl
mtl = metal


def _shape_tuple(shape):
    if isinstance(shape, int):
        shape = (shape,)
    try:
        shape = tuple(int(d) for d in shape)
    except (TypeError, ValueError):
        from ..error import _ERROR_TYPES

        raise _ERROR_TYPES["TypeError"](f"shape must be a sequence of ints, got {shape!r}") from None
    return shape


def empty(shape, dtype="float32", device=None, mem_scope=None):
    """A new, uninitialised array. Negative dimensions and unknown dtypes raise ValueError."""
    dev = cpu(0) if device is None else device
    if not isinstance(dev, Device):
        dev = Device(dev)
    return _core.ndarray_empty(list(_shape_tuple(shape)), _dtype_str(dtype), dev.device_type, dev.device_id)


def array(arr, device=None, dtype=None):
    """A new array on `device` holding a copy of `arr` (numpy array, list, or NDArray)."""
    dev = cpu(0) if device is None else device
    if isinstance(arr, NDArray):
        out = empty(arr.shape, dtype or arr.dtype, dev)
        return out.copyfrom(arr) if dtype is None or dtype == arr.dtype else out.copyfrom(
            arr.numpy().astype(_numpy_dtype(dtype)))
    if not isinstance(arr, np.ndarray):
        arr = np.array(arr, dtype=None if dtype is None else _numpy_dtype(_dtype_str(dtype)))
    tvm_dtype = _dtype_str(dtype) if dtype is not None else str(arr.dtype)
    if tvm_dtype not in ("bfloat16",) and arr.dtype != _numpy_dtype(tvm_dtype):
        arr = arr.astype(_numpy_dtype(tvm_dtype))
    return empty(arr.shape, tvm_dtype, dev).copyfrom(arr)


def from_dlpack(dltensor):
    """An NDArray sharing the memory of a DLPack producer (numpy, torch, ...) or capsule.

    No copy is made, whatever the producer's alignment or strides.
    """
    if hasattr(dltensor, "__dlpack__"):
        if isinstance(dltensor, NDArray):
            return dltensor
        capsule = dltensor.__dlpack__()
    else:
        capsule = dltensor
    return _core.from_dlpack(capsule)
