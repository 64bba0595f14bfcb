# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""CanonicalizeOps: nn.bias_add becomes expand_dims + add (exact IR and values)."""
import numpy as np
import pytest

import tvm
from tvm import relay
from tvm.relay import transform


@pytest.mark.parametrize("shape,axis,pad", [((2, 3, 4, 5), 1, 2), ((2, 3), 1, 0), ((2, 3, 4), -1, 0), ((4, 3, 2), 0, 2)])
def test_bias_add(shape, axis, pad):
    x = relay.var("x", shape=shape)
    b = relay.var("b", shape=(shape[axis],))
    mod = tvm.IRModule.from_expr(relay.Function([x, b], relay.nn.bias_add(x, b, axis=axis)))
    after = transform.CanonicalizeOps()(mod)["main"]
    bias = relay.expand_dims(b, 1, pad) if pad else b
    want = transform.InferType()(tvm.IRModule.from_expr(relay.Function([x, b], relay.add(x, bias))))["main"]
    tvm.ir.assert_structural_equal(after, want)

    rng = np.random.default_rng(0)
    xd = rng.standard_normal(shape).astype("float32")
    bd = rng.standard_normal(shape[axis]).astype("float32")
    got = relay.create_executor("debug", mod=tvm.IRModule.from_expr(after)).evaluate()(xd, bd).numpy()
    bshape = [1] * len(shape)
    bshape[axis] = shape[axis]
    np.testing.assert_allclose(got, xd + bd.reshape(bshape), rtol=1e-6)
