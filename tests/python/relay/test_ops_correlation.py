# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""nn.correlation: output shapes, a mismatched second map, numbers against numpy."""
import numpy as np
import pytest

import tvm
import tvm.topi.testing
from tvm import relay
from tvm.relay.testing import run_infer_type

RNG = np.random.default_rng(29)


@pytest.mark.parametrize("kernel,disp,s1,s2,pad,mult", [(1, 4, 1, 1, 4, True), (3, 1, 2, 1, (2, 1), False),
                                                        (3, 2, 1, 2, 3, True)])
def test_correlation(kernel, disp, s1, s2, pad, mult):
    a = RNG.standard_normal((2, 3, 9, 10)).astype("float32")
    b = RNG.standard_normal((2, 3, 9, 10)).astype("float32")
    x, y = relay.var("a", shape=a.shape), relay.var("b", shape=b.shape)
    z = relay.nn.correlation(x, y, kernel, disp, s1, s2, pad, mult, "NCHW")
    want = tvm.topi.testing.correlation_nchw_python(a, b, kernel, disp, s1, s2, pad, mult)
    assert run_infer_type(z).checked_type == relay.TensorType(want.shape, "float32")
    mod = tvm.IRModule.from_expr(relay.Function([x, y], z))
    got = relay.create_executor("debug", mod, tvm.cpu(), "llvm").evaluate()(a, b).numpy()
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_correlation_maps_of_different_shapes():
    z = relay.nn.correlation(relay.var("a", shape=(1, 3, 8, 8)), relay.var("b", shape=(1, 3, 8, 9)), 1, 1, 1, 1, 1,
                             True, "NCHW")
    with pytest.raises(tvm.error.DiagnosticError) as info:
        run_infer_type(z)
    assert "nn.correlation" in str(info.value) and "data2 (1, 3, 8, 9)" in str(info.value)
