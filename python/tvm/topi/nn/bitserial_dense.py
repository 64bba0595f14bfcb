# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Bit-serial dense (TVM v0.14's topi.nn.bitserial_dense).

Only the low data_bits bits of data and weight_bits bits of weight count. Summed
over the bit planes, popcount(d_i & w_j) << (i + j) is the product of the masked
integers, so the compute multiplies them directly; a unipolar weight bit stands
for +1 (set) or -1 (clear), which makes the weight 2 * w - (2^weight_bits - 1).
"""
from ... import te, tir

__all__ = ["bitserial_dense"]


def bitserial_dense(data, weight, data_bits, weight_bits, pack_dtype="uint32", out_dtype="int16", unipolar=True):
    """data (batch, in_dim), weight (out_dim, in_dim) -> (batch, out_dim) of out_dtype."""
    del pack_dtype  # the words bits are packed into do not change the result
    if len(data.shape) != 2 or len(weight.shape) != 2:
        raise ValueError(f"topi.nn.bitserial_dense: expected 2-D data and weight, got {tuple(data.shape)} and "
                         f"{tuple(weight.shape)}")
    batch, in_dim = data.shape
    out_dim, _ = weight.shape
    k = te.reduce_axis((0, in_dim), name="k")
    data_mask = tir.const((1 << int(data_bits)) - 1, out_dtype)
    weight_mask = tir.const((1 << int(weight_bits)) - 1, out_dtype)

    def body(i, j):
        d = tir.Cast(out_dtype, data[i, k]) & data_mask
        w = tir.Cast(out_dtype, weight[j, k]) & weight_mask
        if unipolar:
            w = w * tir.const(2, out_dtype) - weight_mask
        return te.sum(d * w, axis=k)

    return te.compute((batch, out_dim), body, name="bitserial_dense", tag="bitserial_dense")
