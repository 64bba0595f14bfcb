# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""nn.bitserial_dense: type relation (symbolic shapes, a wrong weight) and numbers against the
bit-plane definition written out in numpy."""
import numpy as np
import pytest

import tvm
from tvm import relay, te
from tvm.relay.testing import run_infer_type

RNG = np.random.default_rng(23)


def bit_plane_reference(data, weight, data_bits, weight_bits, unipolar):
    out = np.zeros((data.shape[0], weight.shape[0]), "int64")
    for i in range(data_bits):
        d = (data.astype("int64") >> i) & 1
        for j in range(weight_bits):
            w = (weight.astype("int64") >> j) & 1
            plane = d @ w.T if not unipolar else d @ w.T - d @ (1 - w).T
            out += plane << (i + j)
    return out


@pytest.mark.parametrize("data_bits,weight_bits,unipolar", [(1, 1, True), (2, 1, False), (3, 2, True), (2, 3, False)])
def test_bitserial_dense(data_bits, weight_bits, unipolar):
    data = RNG.integers(0, 16, (4, 20)).astype("int16")
    weight = RNG.integers(0, 16, (6, 20)).astype("int16")
    x, w = relay.var("x", shape=data.shape, dtype="int16"), relay.var("w", shape=weight.shape, dtype="int16")
    y = relay.nn.bitserial_dense(x, w, units=6, data_bits=data_bits, weight_bits=weight_bits, out_dtype="int32",
                                 unipolar=unipolar)
    mod = tvm.IRModule.from_expr(relay.Function([x, w], y))
    got = relay.create_executor("debug", mod, tvm.cpu(), "llvm").evaluate()(data, weight).numpy()
    np.testing.assert_array_equal(got, bit_plane_reference(data, weight, data_bits, weight_bits, unipolar))


def test_bitserial_dense_types():
    m, k = te.size_var("m"), te.size_var("k")
    y = relay.nn.bitserial_dense(relay.var("x", shape=(m, k), dtype="int16"), relay.var("w", shape=(32, k), dtype="int16"),
                                 units=32)
    assert run_infer_type(y).checked_type == relay.TensorType((m, 32), "int16")
    assert "units=32" in y.astext()
    with pytest.raises(tvm.error.DiagnosticError) as info:
        run_infer_type(relay.nn.bitserial_dense(relay.var("x", shape=(2, 8), dtype="int8"),
                                                relay.var("w", shape=(4, 9), dtype="int8"), units=4))
    assert "nn.bitserial_dense" in str(info.value) and "(4, 9)" in str(info.value) and "(2, 8)" in str(info.value)


def bitpack_reference(data, bits, pack_axis, bit_axis, word):
    moved = np.moveaxis(data.astype("int64"), pack_axis, -1)
    groups = moved.reshape(moved.shape[:-1] + (moved.shape[-1] // word, word))
    planes = []
    for b in range(bits):
        bit = (groups >> b) & 1
        planes.append((bit << np.arange(word - 1, -1, -1)).sum(-1))
    packed = np.moveaxis(np.stack(planes, 0), -1, pack_axis + 1)  # (bits, ..., packed at pack_axis, ...)
    return np.moveaxis(packed, 0, bit_axis)


@pytest.mark.parametrize("bits,pack_axis,bit_axis,pack_type", [(1, 1, 4, "uint16"), (2, 0, 1, "uint8"),
                                                               (3, 2, 3, "uint32")])
def test_bitpack(bits, pack_axis, bit_axis, pack_type):
    shape = [2, 3, 4, 5]
    word = int(pack_type[4:])
    shape[pack_axis] = word * 2
    data = RNG.integers(0, 8, shape).astype("int16")
    x = relay.var("x", shape=data.shape, dtype="int16")
    y = relay.nn.bitpack(x, bits=bits, pack_axis=pack_axis, bit_axis=bit_axis, pack_type=pack_type)
    want = bitpack_reference(data, bits, pack_axis, bit_axis, word)
    assert run_infer_type(y).checked_type == relay.TensorType(want.shape, pack_type)
    got = relay.create_executor("debug", tvm.IRModule.from_expr(relay.Function([x], y)), tvm.cpu(),
                                "llvm").evaluate()(data).numpy()
    np.testing.assert_array_equal(got, want)


def test_bitpack_axis_not_a_multiple_of_the_word():
    with pytest.raises(tvm.error.DiagnosticError) as info:
        run_infer_type(relay.nn.bitpack(relay.var("x", shape=(2, 20), dtype="int16"), pack_axis=1, bit_axis=2,
                                        pack_type="uint16"))
    assert "nn.bitpack" in str(info.value) and "(2, 20)" in str(info.value) and "16 bits" in str(info.value)


@pytest.mark.parametrize("layout,unipolar", [("NCHW", True), ("NHWC", False)])
def test_bitserial_conv2d(layout, unipolar):
    data = RNG.integers(0, 8, (1, 4, 7, 6)).astype("int16")
    weight = RNG.integers(0, 8, (5, 4, 3, 3)).astype("int16")
    d = data & 3
    w = weight & 1
    w = 2 * w - 1 if unipolar else w
    padded = np.pad(d, [(0, 0), (0, 0), (1, 1), (1, 1)]).astype("int64")
    want = np.zeros((1, 5, 7, 6), "int64")
    for i in range(3):
        for j in range(3):
            want += np.einsum("nchw,oc->nohw", padded[:, :, i:i + 7, j:j + 6], w[:, :, i, j])
    if layout == "NHWC":
        data, want, weight = data.transpose(0, 2, 3, 1), want.transpose(0, 2, 3, 1), weight.transpose(2, 3, 1, 0)
    x, k = relay.var("x", shape=data.shape, dtype="int16"), relay.var("k", shape=weight.shape, dtype="int16")
    y = relay.nn.bitserial_conv2d(x, k, padding=(1, 1), channels=5, activation_bits=2, weight_bits=1,
                                  data_layout=layout, kernel_layout="OIHW" if layout == "NCHW" else "HWIO",
                                  out_dtype="int32", unipolar=unipolar)
    got = relay.create_executor("debug", tvm.IRModule.from_expr(relay.Function([x, k], y)), tvm.cpu(),
                                "llvm").evaluate()(data, weight).numpy()
    np.testing.assert_array_equal(got, want)


def test_bitserial_conv2d_types():
    n = te.size_var("n")
    y = relay.nn.bitserial_conv2d(relay.var("x", shape=(n, 32, 30, 30), dtype="int16"),
                                  relay.var("w", shape=(32, 32, 3, 3), dtype="int16"), channels=32)
    assert run_infer_type(y).checked_type == relay.TensorType((n, 32, 28, 28), "int16")
    with pytest.raises(tvm.error.DiagnosticError) as info:
        run_infer_type(relay.nn.bitserial_conv2d(relay.var("x", shape=(1, 8, 9, 9), dtype="int16"),
                                                 relay.var("w", shape=(4, 6, 3, 3), dtype="int16"), channels=4))
    assert "nn.bitserial_conv2d" in str(info.value) and "(4, 6, 3, 3)" in str(info.value)
