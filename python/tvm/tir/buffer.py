# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Buffers: typed, shaped views of memory."""
from .._ffi.registry import register_object
from ..error import _ERROR_TYPES
from ..ir.expr import PrimExpr
from ..ir.type import PointerType, PrimType
from ..runtime.object import Object
from . import _ffi_api
from .expr import BufferLoad, Var


@register_object("tir.Buffer")
class Buffer(Object):
    """A view of memory: data pointer, dtype, shape, strides, element offset and scope.

    Make one with tvm.tir.decl_buffer.
    """

    READ = 1
    WRITE = 2

    def access_ptr(self, access_mask, ptr_type="handle", content_lanes=1, offset=0, extent=None):
        """A pointer to the buffer for an extern call (a tvm_access_ptr call).

        access_mask is "r", "w", "rw" or an int (1 read, 2 write); offset is in
        elements from the buffer's start.
        """
        if isinstance(access_mask, str):
            mask = 0
            for flag in access_mask:
                if flag == "r":
                    mask |= Buffer.READ
                elif flag == "w":
                    mask |= Buffer.WRITE
                else:
                    raise _ERROR_TYPES["ValueError"](
                        f"access_ptr: unknown access mask {access_mask!r} (use 'r', 'w' or 'rw')"
                    )
            access_mask = mask
        if extent is not None:
            raise _ERROR_TYPES["NotImplementedError"]("access_ptr: an explicit extent is not supported")
        return _ffi_api.BufferAccessPtr(self, int(access_mask), ptr_type, content_lanes, offset)

    def vload(self, begin, dtype=None):
        """Load dtype (a vector type loads consecutive elements) at index begin."""
        begin = (begin,) if isinstance(begin, (int, PrimExpr)) else begin
        return _ffi_api.BufferVLoad(self, list(begin), dtype if dtype else self.dtype)

    def vstore(self, begin, value):
        """A statement storing value (scalar or vector) at index begin."""
        begin = (begin,) if isinstance(begin, (int, PrimExpr)) else begin
        return _ffi_api.BufferVStore(self, list(begin), value)

    def scope(self):
        """The storage scope ("global", "shared", "local", ...)."""
        return _ffi_api.BufferStorageScope(self)

    def offset_of(self, indices):
        """The flat element offset of indices."""
        return _ffi_api.BufferOffsetOf(self, list(indices))

    def get_flattened_buffer(self):
        """The buffer as one dimension (per axis-separator group)."""
        return _ffi_api.BufferGetFlattenedBuffer(self)

    def __getitem__(self, indices):
        if not isinstance(indices, (tuple, list)):
            indices = (indices,)
        if any(isinstance(i, slice) for i in indices):
            raise _ERROR_TYPES["NotImplementedError"]("Buffer slicing (buffer regions) is not supported")
        return BufferLoad(self, list(indices))


def decl_buffer(
    shape,
    dtype="float32",
    name="buffer",
    data=None,
    strides=None,
    elem_offset=None,
    scope="",
    data_alignment=-1,
    offset_factor=0,
    buffer_type="",
    axis_separators=None,
    span=None,
):
    """A new buffer.

    data (a handle Var) is created when None; strides default to compact
    row-major; buffer_type "auto_broadcast" lets dimensions of extent 1 take
    stride 0 when the buffer is bound to an argument. data_alignment (bytes)
    is a promise about the data pointer that the compiled code may rely on
    (aligned vector accesses); for an argument the packed entry point checks
    it and raises ValueError for an array that breaks it. -1 means the
    element size, so zero-copy views of numpy and torch arrays are accepted.
    """
    if isinstance(shape, (int, PrimExpr)):
        shape = (shape,)
    shape = list(shape)
    dtype = str(dtype)
    strides = list(strides) if strides is not None else []
    if buffer_type in ("", "default"):
        buffer_type_code = 1
    elif buffer_type == "auto_broadcast":
        buffer_type_code = 2
    else:
        raise _ERROR_TYPES["ValueError"](
            f"decl_buffer: unknown buffer_type {buffer_type!r} (use '' or 'auto_broadcast')"
        )
    if data is None:
        storage_dtype = "int8" if dtype == "bool" else dtype
        data = Var(name, PointerType(PrimType(storage_dtype), scope))
    if offset_factor != 0 and elem_offset is None:
        index_dtype = shape[0].dtype if shape and hasattr(shape[0], "dtype") else "int32"
        elem_offset = Var(f"{name}_elem_offset", str(index_dtype))
    return _ffi_api.Buffer(
        data,
        dtype,
        shape,
        strides,
        elem_offset,
        name,
        data_alignment,
        offset_factor,
        buffer_type_code,
        axis_separators,
    )


@register_object("tir.DataProducer")
class DataProducer(Object):
    """Something read by index before buffers exist (a te.Tensor)."""
