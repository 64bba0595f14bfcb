# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""float32 batch_matmul on x86: the register-blocked GEMM of gemm.py per batch.

Both operands are activations here, so the second one is packed into panels
on every run; that costs O(B*N*K) against O(B*M*N*K) multiply-adds, and each
panel is packed by the thread that then uses it. A batch of 1 on either side
broadcasts against the other's.
"""
from ... import tir
from ..utils import get_const_tuple
from . import gemm as _gemm

BATCH_MATMUL_TAG = "batch_matmul_pack"


def batch_matmul(tensor_a, tensor_b, out_shape=None, out_dtype=None, transpose_a=False, transpose_b=True,
                 config=None):
    """tensor_a (B|1, M, K) [or (B|1, K, M)] x tensor_b (B|1, K, N) [or (B|1, N, K), the default].

    config: a gemm.GemmConfig (the tuner's knobs); default: gemm.default_config for one batch."""
    del out_shape  # the output's shape follows from the operands'; symbolic extents stay expressions
    a_shape, b_shape = get_const_tuple(tensor_a.shape), get_const_tuple(tensor_b.shape)
    if len(a_shape) != 3 or len(b_shape) != 3:
        raise ValueError(f"batch_matmul: both operands must be 3-d, got shapes {a_shape} and {b_shape}")
    a_batch, b_batch = a_shape[0], b_shape[0]
    static = _gemm.is_static
    if static(a_batch) and static(b_batch) and a_batch != b_batch and 1 not in (a_batch, b_batch):
        raise ValueError(f"batch_matmul: batch sizes {a_batch} and {b_batch} (shapes {a_shape}, {b_shape}) "
                         "differ and neither is 1")
    rows, depth = (a_shape[2], a_shape[1]) if transpose_a else a_shape[1:]
    bdepth, cols = (b_shape[2], b_shape[1]) if transpose_b else b_shape[1:]
    if static(bdepth) and static(depth) and bdepth != depth:
        raise ValueError(f"batch_matmul: tensor_a {a_shape} (transpose_a={transpose_a}) and tensor_b {b_shape} "
                         f"(transpose_b={transpose_b}) disagree on the reduction length")
    # A symbolic batch may still be 1 at run time while the other is not (Relay broadcasts it):
    # the output's batch is then the larger one, and a side whose batch is not known to be the
    # output's reads its batch index through a select (hoisted out of the GEMM's loops).
    if static(a_batch) and static(b_batch):
        batch = max(a_batch, b_batch)
    elif static(a_batch):
        batch = b_batch if a_batch == 1 else a_batch
    elif static(b_batch):
        batch = a_batch if b_batch == 1 else b_batch
    else:
        batch = tir.max(a_batch, b_batch)

    def batch_index(extent, index):
        if static(extent) and extent == 1:
            return 0
        if extent is batch or (static(extent) and static(batch)):
            return index
        return tir.Select(extent == 1, tir.const(0, index.dtype), index)

    if not static(depth) and static(bdepth):
        depth = bdepth
    cfg = config or _gemm.default_config(rows, cols, depth)

    def a_value(b, i, k):
        b = batch_index(a_batch, b[0])
        return tensor_a[b, k, i] if transpose_a else tensor_a[b, i, k]

    def b_value(pb, k, j):
        return tensor_b[pb[0], j, k] if transpose_b else tensor_b[pb[0], k, j]

    return _gemm.packed_gemm(a_value, (batch,), rows, b_value, (b_batch,), cols, depth,
                             lambda b: (batch_index(b_batch, b[0]),),
                             out_dtype or tensor_a.dtype, cfg, "T_batch_matmul_pack", BATCH_MATMUL_TAG,
                             b_contiguous_in_k=transpose_b)


def schedule_batch_matmul(outs, config=None):
    """Schedule of batch_matmul with the elementwise ops fused after it."""
    return _gemm.schedule_packed_gemm(outs, BATCH_MATMUL_TAG, config)
