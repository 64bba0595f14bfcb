# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Tensors and operations of tensor expressions.

A Tensor is an output of an Operation. Indexing it inside a compute body
reads one element (a ProducerLoad expression):

    A = te.placeholder((n, m), name="A")
    B = te.compute((n, m), lambda i, j: A[i, j] * 2, name="B")
    B.op            # the ComputeOp; B.op.axis, B.op.body, B.op.input_tensors
    B.shape, B.dtype, B.ndim, B.name
"""
from .._ffi.registry import register_object
from ..error import _ERROR_TYPES
from ..ir.expr import PrimExpr
from ..runtime.object import Object
from ..tir.buffer import DataProducer
from ..tir import expr as _expr
from . import _ffi_api


class TensorSlice:
    """A tensor indexed in fewer dimensions than it has: index it further."""

    def __init__(self, tensor, indices):
        if not isinstance(indices, tuple):
            indices = (indices,)
        self.tensor = tensor
        self.indices = indices

    def __getitem__(self, indices):
        if not isinstance(indices, tuple):
            indices = (indices,)
        return self.tensor[self.indices + indices]

    def asobject(self):
        """The element read (all dimensions must be indexed)."""
        return self.tensor(*self.indices)

    @property
    def dtype(self):
        return self.tensor.dtype


def _index(value):
    if isinstance(value, _expr.IterVar):
        return value.var
    if isinstance(value, slice):
        raise _ERROR_TYPES["ValueError"](
            "a tensor region (A[i, 0:16]) can only be passed to a tensor intrinsic; index every dimension"
        )
    return value


def _region(tslice):
    """The region of a TensorSlice: a Range per dimension (whole dimensions where not indexed)."""
    from ..ir.expr import Range  # pylint: disable=import-outside-toplevel

    tensor = tslice.tensor
    region = []
    for d in range(tensor.ndim):
        if d >= len(tslice.indices):
            region.append(Range(0, tensor.shape[d]))
            continue
        idx = tslice.indices[d]
        if isinstance(idx, slice):
            if idx.step not in (None, 1):
                raise _ERROR_TYPES["ValueError"]("tensor regions must have step 1")
            start = 0 if idx.start is None else idx.start
            stop = tensor.shape[d] if idx.stop is None else idx.stop
            region.append(Range(start, stop))
        else:
            region.append(Range.from_min_extent(_index(idx), 1))
    return region


@register_object("Tensor")
class Tensor(DataProducer):
    """An output of an operation, indexed as A[i, j] inside compute bodies."""

    def __call__(self, *indices):
        if len(indices) == 1 and isinstance(indices[0], (tuple, list)):
            indices = tuple(indices[0])
        return _ffi_api.TensorLoad(self, [_index(i) for i in indices])

    def __getitem__(self, indices):
        if not isinstance(indices, tuple):
            indices = (indices,)
        if len(indices) < self.ndim or any(isinstance(i, slice) for i in indices):
            return TensorSlice(self, indices)
        return self(*indices)

    def __hash__(self):
        return _ffi_api.TensorHash(self)

    def __eq__(self, other):
        if not isinstance(other, Tensor):
            if isinstance(other, (_expr.ExprOp, PrimExpr)):
                return _expr.EqualOp(self._scalar(), other)
            return False
        if self.ndim == 0 and other.ndim == 0:
            raise _ERROR_TYPES["ValueError"](
                "== of two rank-0 tensors is ambiguous: use A.equal(B) to compare their values as an "
                "expression, or A.same_as(B) for identity"
            )
        return _ffi_api.TensorEqual(self, other)

    def __ne__(self, other):
        return not self.__eq__(other)

    def equal(self, other):
        """The expression self() == other() for rank-0 tensors."""
        return _expr.EqualOp(self._scalar(), other._scalar() if isinstance(other, Tensor) else other)

    def _scalar(self):
        if self.ndim != 0:
            raise _ERROR_TYPES["ValueError"](
                f"tensor {self.name} has {self.ndim} dimensions; index it to use an element in an expression"
            )
        return self()

    @property
    def ndim(self):
        """The number of dimensions."""
        return len(self.shape)

    @property
    def axis(self):
        """The axes of the producing operation."""
        return self.op.axis

    @property
    def op(self):
        """The operation that produces this tensor."""
        return self.__getattr__("op")

    @property
    def value_index(self):
        """Which output of op this tensor is."""
        return self.__getattr__("value_index")

    @property
    def shape(self):
        """The shape, a list of expressions."""
        return self.__getattr__("shape")

    @property
    def name(self):
        """The name: the operation's name (with .v<index> for multi-output operations)."""
        return _ffi_api.TensorNameHint(self)


def _rank0_operator(name):
    def method(self, *args):
        return getattr(self._scalar(), name)(*args)

    method.__name__ = name
    return method


for _name in (
    "__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__", "__truediv__", "__rtruediv__",
    "__floordiv__", "__rfloordiv__", "__mod__", "__rmod__", "__pow__", "__rpow__", "__neg__", "__abs__",
    "__and__", "__rand__", "__or__", "__ror__", "__xor__", "__rxor__", "__invert__", "__lshift__", "__rlshift__",
    "__rshift__", "__rrshift__", "__lt__", "__le__", "__gt__", "__ge__", "astype",
):
    setattr(Tensor, _name, _rank0_operator(_name))


class Operation(Object):
    """The base of operations: something that produces tensors."""

    def output(self, index):
        """Output `index` of this operation, as a Tensor."""
        return _ffi_api.OpGetOutput(self, index)

    @property
    def num_outputs(self):
        """The number of outputs."""
        return _ffi_api.OpNumOutputs(self)

    @property
    def input_tensors(self):
        """The tensors this operation reads."""
        return _ffi_api.OpInputTensors(self)


@register_object("PlaceholderOp")
class PlaceholderOp(Operation):
    """An input tensor (te.placeholder)."""


class BaseComputeOp(Operation):
    """Compute-like operations: data-parallel axes and reduction axes."""

    @property
    def axis(self):
        """The data-parallel axes (one per output dimension)."""
        return self.__getattr__("axis")

    @property
    def reduce_axis(self):
        """The reduction axes."""
        return self.__getattr__("reduce_axis")


@register_object("ComputeOp")
class ComputeOp(BaseComputeOp):
    """out[axis] = body (te.compute)."""


@register_object("TensorComputeOp")
class TensorComputeOp(BaseComputeOp):
    """A compute whose inner region is a tensor intrinsic."""


@register_object("ExternOp")
class ExternOp(Operation):
    """Outputs produced by an opaque statement (te.extern)."""


@register_object("ScanOp")
class ScanOp(Operation):
    """A recurrence over the time axis (te.scan)."""

    @property
    def scan_axis(self):
        """The time axis, from init's first extent to update's."""
        return self.__getattr__("scan_axis")
