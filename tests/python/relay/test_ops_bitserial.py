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
