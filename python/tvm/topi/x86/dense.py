# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""float32 dense and matmul on x86 (C++: include/tvm/topi/x86/dense.h; these call it).

dense_pack / schedule_dense_pack: the register-blocked GEMM of gemm.py, the
weight repacked into NR-wide panels inside the operator (every run pays for
the packing: O(N*K) against the O(M*N*K) multiply-adds).

dense_nopack / schedule_dense_nopack: for a few rows (batch-1 classifiers),
where packing the weight would cost more than the arithmetic: dot products
of rows of data and rows of weight, vectorised along k (each lane sums a
strided part of k, the lanes are added at the end), several weight rows at
a time, reading the weight once in its own layout.

data may have leading dimensions beyond (rows, k), as Relay's dense allows:
the last one is the GEMM's rows, the others are outer loops.
"""
from ... import te
from ..._ffi.registry import get_global_func
from ...target import Target
from ..utils import get_const_tuple
from . import gemm as _gemm

# Rows (the product of data's leading dimensions) up to which dense reads the weight in place
# (dense_nopack) rather than through packed panels (dense_pack).
NOPACK_MAX_ROWS = 4

DENSE_PACK_TAG = "dense_pack"
DENSE_NOPACK_TAG = "dense_nopack"
MATMUL_PACK_TAG = "matmul_pack"


def gemm_rows(shape):
    """(batch extents, rows, flatten) of dense's data shape (..., K): the last leading axis is the
    GEMM's rows and the others batch loops, unless it is too short for a register tile (fewer
    than 16) while there are other leading axes: then all leading axes flatten into the rows."""
    batch, rows, flatten = get_global_func("topi.x86.dense_gemm_rows")(list(shape))
    return get_const_tuple(batch), rows if not _gemm.is_static(rows) else int(rows), bool(flatten)


def dense_pack(data, weight, bias=None, out_dtype=None, config=None):
    """data (..., M, K) x weight^T (+ bias (N,)) through the packed GEMM.

    weight: (N, K), repacked inside the operator on every run, or already packed (N / n, K, n)
    (nn.contrib_dense_pack's "NC<n>n" layout, packed once at compile time).
    config: a gemm.GemmConfig (the tuner's knobs); default: gemm.default_config for the shapes
    (gemm.config_for_panels for a packed weight). C++: include/tvm/topi/x86/dense.h."""
    return get_global_func("topi.x86.dense_pack")(data, weight, bias, out_dtype, _gemm.config_array(config),
                                                  Target.current(allow_none=True), _gemm.l2_bytes())


def schedule_dense_pack(outs, config=None):
    """Schedule of dense_pack with the elementwise ops fused after it."""
    return _gemm.schedule_packed_gemm(outs, DENSE_PACK_TAG, config)


def matmul_pack(tensor_a, tensor_b, bias=None, out_dtype=None, transpose_a=False, transpose_b=False,
                config=None):
    """tensor_a (M, K) [or (K, M)] x tensor_b (K, N) [or (N, K)] (+ bias (N,)) through the packed GEMM."""
    return get_global_func("topi.x86.matmul_pack")(tensor_a, tensor_b, bias, out_dtype, bool(transpose_a),
                                                   bool(transpose_b), _gemm.config_array(config),
                                                   Target.current(allow_none=True), _gemm.l2_bytes())


def schedule_matmul_pack(outs, config=None):
    """Schedule of matmul_pack with the elementwise ops fused after it."""
    return _gemm.schedule_packed_gemm(outs, MATMUL_PACK_TAG, config)


def dense_nopack(data, weight, bias=None, out_dtype=None):
    """data (..., M, K) x weight (N, K)^T (+ bias) as dot products vectorised along k
    (C++: include/tvm/topi/x86/dense.h)."""
    return get_global_func("topi.x86.dense_nopack")(data, weight, bias, out_dtype,
                                                      Target.current(allow_none=True))


def schedule_dense_nopack(outs):
    """Schedule of dense_nopack with the elementwise ops fused after it: the output's columns in
    blocks of up to 8 (parallel), the rows inside, the lane sums of a block in registers (C++)."""
    outs = [outs] if isinstance(outs, te.Tensor) else list(outs)
    return get_global_func("topi.x86.schedule_dense_nopack")(Target.current(allow_none=True), outs)
