# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""floordiv/floormod of narrow signed integers by constants, against numpy over
every value of the dtype (LowerIntrin must not step outside the dtype's range:
-128 // 4 once came out as 31 in int8, found by the TE fuzzer, seed 102616)."""
import numpy as np
import pytest

import tvm
from tvm import te, tir


@pytest.mark.parametrize("dtype", ["int8", "int16"])
@pytest.mark.parametrize("divisor", [1, 2, 3, 4, 7, 16, 127])
@pytest.mark.parametrize("op", ["floordiv", "floormod"])
def test_every_value_by_a_positive_constant(dtype, divisor, op):
    info = np.iinfo(dtype)
    values = np.arange(info.min, info.max + 1, dtype=np.int64)
    if dtype == "int16":
        values = np.concatenate([values[:300], values[len(values) // 2 - 300 : len(values) // 2 + 300], values[-300:]])
    n = len(values)
    A = te.placeholder((n,), dtype, name="A")
    fn = getattr(tir, op)
    B = te.compute((n,), lambda i: fn(A[i], tir.const(divisor, dtype)), name="B")
    f = tvm.build(te.create_schedule(B.op), [A, B], "llvm")
    out = tvm.nd.empty((n,), dtype)
    f(tvm.nd.array(values.astype(dtype)), out)
    expected = (np.floor_divide if op == "floordiv" else np.mod)(values, divisor).astype(dtype)
    np.testing.assert_array_equal(out.numpy(), expected)
