# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Inputs TVM v0.14 accepts and its own tests use: float sequence lengths, depth_to_space's
mode "CDR" (read as CRD), meshgrid of scalars."""
import numpy as np

import tvm
from tvm import relay

RNG = np.random.default_rng(17)


def run(make, *arrays):
    params = [relay.var(f"p{i}", shape=a.shape, dtype=str(a.dtype)) for i, a in enumerate(arrays)]
    body = make(*params)
    if isinstance(body, relay.TupleWrapper):
        body = body.astuple()
    mod = tvm.IRModule.from_expr(relay.Function(params, body))
    out = relay.create_executor("debug", mod, tvm.cpu(), "llvm").evaluate()(*arrays)
    return out.numpy() if isinstance(out, tvm.runtime.NDArray) else [o.numpy() for o in out]


def test_sequence_mask_with_float_lengths():
    data = RNG.standard_normal((5, 3, 2)).astype("float32")
    lengths = np.array([1.0, 4.0, 5.0], "float32")
    got = run(lambda d, l: relay.sequence_mask(d, l, -2.0, 0), data, lengths)
    want = data.copy()
    for b, n in enumerate(lengths.astype(int)):
        want[n:, b] = -2.0
    np.testing.assert_array_equal(got, want)


def test_depth_to_space_cdr_is_crd():
    data = RNG.standard_normal((1, 8, 2, 3)).astype("float32")
    crd = run(lambda d: relay.nn.depth_to_space(d, 2, mode="CRD"), data)
    np.testing.assert_array_equal(run(lambda d: relay.nn.depth_to_space(d, 2, mode="CDR"), data), crd)
    np.testing.assert_array_equal(crd, data.reshape(1, 2, 2, 2, 2, 3).transpose(0, 1, 4, 2, 5, 3).reshape(1, 2, 4, 6))


def test_meshgrid_of_a_scalar_and_a_vector():
    a, b = np.array(3.0, "float32"), np.arange(4, dtype="float32")
    got = run(lambda x, y: relay.meshgrid([x, y], "ij"), a, b)
    want = np.meshgrid(a.reshape(1), b, indexing="ij")
    for g, w in zip(got, want):
        np.testing.assert_array_equal(g, w)
