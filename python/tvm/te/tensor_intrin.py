# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Tensor intrinsics for tensorize: a computation and the statements that implement it.

    def intrin_gemv(m, l):
        a = te.placeholder((l,), name="a")
        b = te.placeholder((m, l), name="b")
        k = te.reduce_axis((0, l), name="k")
        c = te.compute((m,), lambda i: te.sum(a[k] * b[i, k], axis=k), name="c")

        def intrin_func(ins, outs):
            aa, bb = ins
            cc = outs[0]
            return tvm.tir.call_extern("int32", "gemv_update", cc.access_ptr("w"),
                                       aa.access_ptr("r"), bb.access_ptr("r"), m, l, bb.strides[0])

        return te.decl_tensor_intrin(c.op, intrin_func)

    s[C].tensorize(xi, intrin_gemv(16, 64))
"""
from .._ffi.registry import register_object
from ..error import _ERROR_TYPES
from ..ir.expr import PrimExpr
from ..runtime.object import Object
from ..tir.buffer import decl_buffer
from ..tir.stmt import Evaluate, Stmt
from . import _ffi_api
from .tensor import Operation, PlaceholderOp


@register_object("TensorIntrin")
class TensorIntrin(Object):
    """A tensor intrinsic (te.decl_tensor_intrin).

    Calling it on tensor regions inside te.compute makes the compute a call of
    the intrinsic: te.compute((n,), lambda i: intrin(A[i, 0:16], B[0:16]))."""

    def __call__(self, *args, **kwargs):
        from .tensor import Tensor, TensorSlice, _region  # pylint: disable=import-outside-toplevel
        from ..tir.expr import ProducerLoad  # pylint: disable=import-outside-toplevel

        # A[i, j] indexed in every dimension reads one element here, but to a tensor
        # intrinsic it names the one-element region (TVM's A[i, j] is a TensorSlice).
        args = [
            TensorSlice(a.producer, tuple(a.indices))
            if isinstance(a, ProducerLoad) and isinstance(a.producer, Tensor)
            else a
            for a in args
        ]
        tensors = [a.tensor for a in args if isinstance(a, TensorSlice)]
        regions = [_region(a) for a in args if isinstance(a, TensorSlice)]
        scalars = [a for a in args if not isinstance(a, TensorSlice)]
        reduce_axis = kwargs.get("reduce_axis", [])
        if not isinstance(reduce_axis, (list, tuple)):
            reduce_axis = [reduce_axis]
        return TensorIntrinCall(self, tensors, regions, list(reduce_axis), scalars)


class TensorIntrinCall:
    """A call of a tensor intrinsic on tensor regions (the body of a TensorComputeOp)."""

    def __init__(self, intrin, tensors, regions, reduce_axis, scalar_inputs):
        self.intrin = intrin
        self.tensors = tensors
        self.regions = regions
        self.reduce_axis = reduce_axis
        self.scalar_inputs = scalar_inputs


def decl_tensor_intrin(op, fcompute, name="tensor_intrin", binds=None, scalar_params=None,
                       default_buffer_params=None):
    """Declare a tensor intrinsic: `op` is the computation it performs; fcompute(ins, outs)
    (or fcompute(ins, outs, scalar_params)) returns its implementation:

    - a statement or expression: the whole computation (body), or
    - a tuple (body, reduce_init, reduce_update) for reductions, where
      reduce_init resets the output and reduce_update accumulates into it
      (either may be None).

    `binds` maps the op's tensors to the buffers the implementation sees
    (e.g. with symbolic strides); by default each gets a compact buffer.
    """
    if not isinstance(op, Operation):
        raise _ERROR_TYPES["TypeError"](f"decl_tensor_intrin {name}: expected an Operation (c.op), got {type(op).__name__}")
    inputs = list(op.input_tensors)
    binds = binds if binds else {}
    for t in inputs:
        if not isinstance(t.op, PlaceholderOp):
            raise _ERROR_TYPES["ValueError"](
                f"decl_tensor_intrin {name}: input {t.name} must be a te.placeholder (composite inputs "
                f"are not supported)"
            )
    tensors = inputs + [op.output(i) for i in range(op.num_outputs)]
    default_buffer_params = default_buffer_params or {}
    buffers = []
    for t in tensors:
        bound = None
        for key, value in binds.items():
            if key == t:
                bound = value
        buffers.append(bound if bound is not None else decl_buffer(t.shape, t.dtype, t.op.name,
                                                                     **default_buffer_params))
    n_in = len(inputs)
    if scalar_params:
        body = fcompute(buffers[:n_in], buffers[n_in:], scalar_params)
    else:
        body = fcompute(buffers[:n_in], buffers[n_in:])
        scalar_params = []
    if isinstance(body, (PrimExpr, Stmt)) or body is None:
        body = [body]
    body = list(body)
    if len(body) > 3:
        raise _ERROR_TYPES["ValueError"](
            f"decl_tensor_intrin {name}: fcompute returns at most (body, reduce_init, reduce_update)"
        )
    body = [Evaluate(x) if isinstance(x, PrimExpr) else x for x in body]
    body += [None] * (3 - len(body))
    return _ffi_api.TensorIntrin(name, op, inputs, buffers, list(scalar_params), *body)
