# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""relay.searchsorted: types, errors, and numerics against numpy."""
import numpy as np
import pytest

import tvm
from tvm import relay
from tvm.topi.testing import searchsorted_ref


def _run(seq, values, right, dtype):
    s = relay.var("s", shape=seq.shape, dtype=str(seq.dtype))
    v = relay.var("v", shape=values.shape, dtype=str(values.dtype))
    func = relay.Function([s, v], relay.searchsorted(s, v, right, dtype))
    return relay.create_executor("graph", mod=tvm.IRModule.from_expr(func)).evaluate()(seq, values).numpy()


@pytest.mark.parametrize("right", [False, True])
@pytest.mark.parametrize("n", [1, 2, 7, 8, 1000])
def test_searchsorted_numerics(right, n):
    rng = np.random.default_rng(n)
    seq = np.sort(rng.integers(0, 50, size=(3, n))).astype("float32")  # repeated values
    values = rng.integers(-5, 55, size=(3, 9)).astype("float32")
    got = _run(seq, values, right, "int64")
    assert got.dtype == "int64"
    np.testing.assert_array_equal(got, searchsorted_ref(seq, values, right, "int64"))
    flat = seq[0]
    values = rng.integers(-5, 55, size=(2, 3, 4)).astype("float32")
    np.testing.assert_array_equal(_run(flat, values, right, "int32"), np.searchsorted(flat, values, "right" if right else "left"))


def test_searchsorted_types_and_errors():
    s = relay.var("s", shape=(2, 5))
    v = relay.var("v", shape=(2, 3))
    ty = relay.transform.InferType()(tvm.IRModule.from_expr(relay.searchsorted(s, v, dtype="int64")))["main"].ret_type
    assert ty == relay.TensorType((2, 3), "int64")
    bad = relay.searchsorted(s, relay.var("w", shape=(3, 3)))
    with pytest.raises(tvm.error.DiagnosticError, match=r"\(2, 5\).*\(3, 3\)"):
        relay.transform.InferType()(tvm.IRModule.from_expr(bad))
    with pytest.raises(tvm.error.DiagnosticError, match="int32 or int64"):
        relay.transform.InferType()(tvm.IRModule.from_expr(relay.searchsorted(s, v, dtype="float32")))
