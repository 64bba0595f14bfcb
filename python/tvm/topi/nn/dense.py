# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""dense, matmul, batch_matmul (computed in src/topi/nn_dense.cc)."""
from ...target import generic_func
from . import _ffi_api


def _dtype(out_dtype):
    return "" if out_dtype is None else str(out_dtype)


def dense(data, weight, bias=None, out_dtype=None, auto_scheduler_rewritten_layout="",
          meta_schedule_original_shape=None):
    """data (batch, in) x weight (out, in)^T (+ bias (out,))."""
    del auto_scheduler_rewritten_layout, meta_schedule_original_shape
    return _ffi_api.dense(data, weight, bias, _dtype(out_dtype))


def matmul(tensor_a, tensor_b, bias=None, out_dtype=None, transpose_a=False, transpose_b=False,
           auto_scheduler_rewritten_layout="", meta_schedule_original_shape=None):
    """tensor_a x tensor_b with optional transposes (+ bias)."""
    del auto_scheduler_rewritten_layout, meta_schedule_original_shape
    return _ffi_api.matmul(tensor_a, tensor_b, bias, _dtype(out_dtype), bool(transpose_a), bool(transpose_b))


def batch_matmul(tensor_a, tensor_b, oshape=None, out_dtype=None, transpose_a=False, transpose_b=True,
                 auto_scheduler_rewritten_layout="", meta_schedule_original_shape=None):
    """Batched tensor_a x tensor_b (3-d; a batch of 1 broadcasts); tensor_b transposed by default."""
    del oshape, auto_scheduler_rewritten_layout, meta_schedule_original_shape
    return _ffi_api.batch_matmul(tensor_a, tensor_b, _dtype(out_dtype), bool(transpose_a), bool(transpose_b))


@generic_func
def dense_alter_layout(attrs, inputs, tinfos, out_type):  # pylint: disable=unused-argument
    """nn.dense's FTVMAlterOpLayout: a replacement expression for the target in scope, or None
    (the default: keep the call). Targets register theirs (x86: topi.x86.dense_alter_op)."""
    return None
