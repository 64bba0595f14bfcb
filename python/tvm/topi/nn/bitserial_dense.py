# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Bit-serial dense (TVM v0.14's topi.nn.bitserial_dense).

Only the low data_bits bits of data and weight_bits bits of weight count. Summed
over the bit planes, popcount(d_i & w_j) << (i + j) is the product of the masked
integers, so the compute multiplies them directly; a unipolar weight bit stands
for +1 (set) or -1 (clear), which makes the weight 2 * w - (2^weight_bits - 1).
"""
from ... import te, tir
from ...runtime import DataType

__all__ = ["bitserial_dense", "bitpack", "bitserial_conv2d"]


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


def bitpack(data, bits, pack_axis, bit_axis, pack_type, name="QuantizeInput"):
    """The low `bits` bits of data packed along pack_axis into pack_type words, the first of each
    group of word-size elements in the most significant bit; bit plane b at index b of bit_axis."""
    ndim = len(data.shape)
    word = DataType(pack_type).bits
    pack_axis = pack_axis + ndim if pack_axis < 0 else pack_axis
    bit_axis = bit_axis + ndim + 1 if bit_axis < 0 else bit_axis
    if int(data.shape[pack_axis]) % word:
        raise ValueError(f"topi.nn.bitpack: axis {pack_axis} of data {tuple(data.shape)} is not a multiple of the "
                         f"{word} bits of {pack_type}")
    oshape = [d for d in data.shape]
    oshape[pack_axis] = int(data.shape[pack_axis]) // word
    oshape.insert(bit_axis, bits)

    def body(*idx):
        plane = idx[bit_axis]
        rest = list(idx[:bit_axis]) + list(idx[bit_axis + 1:])
        word_value = tir.const(0, pack_type)
        for j in range(word):
            src = list(rest)
            src[pack_axis] = rest[pack_axis] * word + j
            bit = (tir.Cast("int32", data(*src)) >> tir.Cast("int32", plane)) & 1
            word_value = word_value | (tir.Cast(pack_type, bit) << tir.const(word - 1 - j, pack_type))
        return word_value

    return te.compute(oshape, body, name=name, tag="bitpack")


def bitserial_conv2d(data, kernel, stride, padding, activation_bits, weight_bits, data_layout="NCHW",
                     kernel_layout="OIHW", out_dtype="int16", unipolar=True):
    """conv2d over the low activation_bits of data and weight_bits of kernel (unipolar weight bits
    stand for -1 / +1), zero-padded; the bit-plane sum equals this product of masked integers."""
    from .conv import conv  # pylint: disable=import-outside-toplevel

    data_mask = (1 << int(activation_bits)) - 1
    weight_mask = (1 << int(weight_bits)) - 1
    masked = te.compute(data.shape, lambda *i: tir.Cast(out_dtype, data(*i)) & tir.const(data_mask, out_dtype),
                        name="bitserial_data", tag="injective")

    def weight_value(*i):
        w = tir.Cast(out_dtype, kernel(*i)) & tir.const(weight_mask, out_dtype)
        return w * tir.const(2, out_dtype) - tir.const(weight_mask, out_dtype) if unipolar else w

    weights = te.compute(kernel.shape, weight_value, name="bitserial_weight", tag="injective")
    return conv(masked, weights, stride, padding, 1, 1, data_layout, kernel_layout, out_dtype)
