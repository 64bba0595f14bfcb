# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""sort / argsort / topk over float16 data and data holding NaN, against numpy."""
import numpy as np
import pytest

import tvm
from tvm import relay


def _run(make, data):
    x = relay.var("x", shape=data.shape, dtype=str(data.dtype))
    mod = tvm.IRModule.from_expr(relay.Function([x], make(x)))
    return relay.create_executor("graph", mod=mod).evaluate()(data)


@pytest.mark.parametrize("dtype", ["float16", "float32"])
@pytest.mark.parametrize("ascend", [True, False])
def test_sort_and_argsort(dtype, ascend):
    data = np.random.default_rng(0).uniform(-100, 100, (3, 9)).astype(dtype)
    data[0, 2] = data[0, 5]  # a tie: argsort is stable
    got = _run(lambda x: relay.sort(x, axis=1, is_ascend=ascend), data).numpy()
    want = np.sort(data, axis=1)
    np.testing.assert_array_equal(got, want if ascend else want[:, ::-1])
    idx = _run(lambda x: relay.argsort(x, axis=1, is_ascend=ascend, dtype="int32"), data).numpy()
    want_idx = np.argsort(data if ascend else -data, axis=1, kind="stable")
    np.testing.assert_array_equal(idx, want_idx)


def test_nan_sorts_last_ascending_and_first_descending():
    data = np.array([[3.0, np.nan, -1.0, 2.0, np.nan, 0.5]], dtype="float32")
    up = _run(lambda x: relay.argsort(x, axis=1, is_ascend=True, dtype="int32"), data).numpy()
    np.testing.assert_array_equal(up, np.argsort(data, axis=1, kind="stable"))
    down = _run(lambda x: relay.argsort(x, axis=1, is_ascend=False, dtype="int32"), data).numpy()
    np.testing.assert_array_equal(down, [[1, 4, 0, 3, 5, 2]])
    values = _run(lambda x: relay.topk(x, k=2, axis=1, ret_type="values"), data).numpy()
    assert np.isnan(values).all()
