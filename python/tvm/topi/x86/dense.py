# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""float32 dense and matmul on x86.

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
import math

from ... import te
from ..._ffi.registry import get_global_func
from ...target import Target
from ..utils import get_const_tuple, ravel_index, unravel_index
from .. import tag as _tag
from . import gemm as _gemm

# Rows (the product of data's leading dimensions) up to which dense reads the weight in place
# (dense_nopack) rather than through packed panels (dense_pack).
NOPACK_MAX_ROWS = 4

DENSE_PACK_TAG = "dense_pack"
DENSE_NOPACK_TAG = "dense_nopack"
MATMUL_PACK_TAG = "matmul_pack"


def _out_dtype(data, out_dtype):
    return out_dtype or data.dtype


def _add_bias(out, bias):
    if bias is None:
        return out
    return te.compute(out.shape, lambda *idx: out(*idx) + bias[idx[-1]].astype(out.dtype), name="T_add_bias",
                      tag=_tag.BROADCAST)


def _check_2d(op, name, tensor, ndim=2):
    if len(tensor.shape) != ndim:
        raise ValueError(f"{op}: {name} must be {ndim}-d, got shape {get_const_tuple(tensor.shape)}")


def gemm_rows(shape):
    """(batch extents, rows, flatten) of dense's data shape (..., K): the last leading axis is the
    GEMM's rows and the others batch loops, unless it is too short for a register tile (fewer
    than 16) while there are other leading axes: then all leading axes flatten into the rows."""
    lead = tuple(shape[:-1])
    outer = lead[:-1]
    outer_one = all(_gemm.is_static(d) and int(d) == 1 for d in outer)
    if len(lead) == 1 or outer_one or (_gemm.is_static(lead[-1]) and lead[-1] >= 16):
        return outer, lead[-1], False
    # A symbolic row count among several leading axes: flattened, so the rows are one loop.
    return (), math.prod(lead) if all(_gemm.is_static(d) for d in lead) else _prod(lead), True


def _prod(extents):
    value = extents[0]
    for d in extents[1:]:
        value = value * d
    return value


def dense_pack(data, weight, bias=None, out_dtype=None, config=None):
    """data (..., M, K) x weight^T (+ bias (N,)) through the packed GEMM.

    weight: (N, K), repacked inside the operator on every run, or already packed (N / n, K, n)
    (nn.contrib_dense_pack's "NC<n>n" layout, packed once at compile time).
    config: a gemm.GemmConfig (the tuner's knobs); default: gemm.default_config for the shapes."""
    wshape = get_const_tuple(weight.shape)
    if len(wshape) not in (2, 3):
        raise ValueError(f"dense_pack: weight must be 2-d (N, K) or packed 3-d (N/n, K, n), got shape {wshape}")
    shape = get_const_tuple(data.shape)
    if len(shape) < 2:
        raise ValueError(f"dense_pack: data must have at least 2 dimensions, got shape {shape}")
    batch, rows, flatten = gemm_rows(shape)
    depth = shape[-1]
    prepacked = weight if len(wshape) == 3 else None
    cols, wdepth = (wshape[0] * wshape[2], wshape[1]) if prepacked is not None else wshape
    if _gemm.is_static(wdepth) and _gemm.is_static(depth) and wdepth != depth:
        raise ValueError(f"dense_pack: data {shape} and weight {wshape} disagree on the reduction length")
    if config is not None:
        cfg = config
    elif prepacked is not None:
        cfg = _gemm.config_for_panels(rows, wshape[2], depth)
    else:
        cfg = _gemm.default_config(rows, cols, depth)
    if prepacked is not None and cfg.nr != wshape[2]:
        raise ValueError(f"dense_pack: the config's panel width {cfg.nr} is not the packed weight's {wshape[2]}")
    if flatten:
        def a_value(b, i, k):
            return data[tuple(unravel_index(i, shape[:-1])) + (k,)]
    else:
        def a_value(b, i, k):
            return data[tuple(b) + (i, k)]
    out = _gemm.packed_gemm(a_value, batch, rows, lambda pb, k, j: weight[j, k], (), cols, depth, lambda b: (),
                            _out_dtype(data, out_dtype), cfg, "T_dense_pack", DENSE_PACK_TAG, prepacked=prepacked,
                            b_contiguous_in_k=True)
    if flatten:  # back to data's leading axes
        flat = out
        out = te.compute(shape[:-1] + (cols,), lambda *idx: flat[ravel_index(idx[:-1], shape[:-1]), idx[-1]],
                         name="T_dense_pack_view", tag=_tag.INJECTIVE + ",gemm_view")
    return _add_bias(out, bias)


def schedule_dense_pack(outs, config=None):
    """Schedule of dense_pack with the elementwise ops fused after it."""
    return _gemm.schedule_packed_gemm(outs, DENSE_PACK_TAG, config)


def matmul_pack(tensor_a, tensor_b, bias=None, out_dtype=None, transpose_a=False, transpose_b=False,
                config=None):
    """tensor_a (M, K) [or (K, M)] x tensor_b (K, N) [or (N, K)] (+ bias (N,)) through the packed GEMM."""
    _check_2d("matmul_pack", "tensor_a", tensor_a)
    _check_2d("matmul_pack", "tensor_b", tensor_b)
    a_shape, b_shape = get_const_tuple(tensor_a.shape), get_const_tuple(tensor_b.shape)
    rows, depth = a_shape[::-1] if transpose_a else a_shape
    bdepth, cols = b_shape[::-1] if transpose_b else b_shape
    if _gemm.is_static(bdepth) and _gemm.is_static(depth) and bdepth != depth:
        raise ValueError(f"matmul_pack: tensor_a {a_shape} (transpose_a={transpose_a}) and tensor_b {b_shape} "
                         f"(transpose_b={transpose_b}) disagree on the reduction length")
    cfg = config or _gemm.default_config(rows, cols, depth)
    a_value = (lambda b, i, k: tensor_a[k, i]) if transpose_a else (lambda b, i, k: tensor_a[i, k])
    b_value = (lambda pb, k, j: tensor_b[j, k]) if transpose_b else (lambda pb, k, j: tensor_b[k, j])
    out = _gemm.packed_gemm(a_value, (), rows, b_value, (), cols, depth, lambda b: (),
                            _out_dtype(tensor_a, out_dtype), cfg, "T_matmul_pack", MATMUL_PACK_TAG,
                            b_contiguous_in_k=transpose_b)
    return _add_bias(out, bias)


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
