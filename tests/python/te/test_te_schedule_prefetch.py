# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Stage.prefetch: lowering turns the prefetch_scope attribute into prefetch
calls for a later iteration's data, and the LLVM build computes the same values."""
import numpy as np
import pytest

import tvm
from tvm import te


def _scale(n, m):
    A = te.placeholder((n, m), name="A")
    B = te.compute((n, m), lambda i, j: A[i, j] * 2.0 + 1.0, name="B")
    return A, B


def _build(s, args):
    if tvm.get_global_func("target.build.llvm", allow_missing=True) is None:
        pytest.skip("no LLVM code generator in this build")
    return tvm.build(s, args, "llvm")


def test_lowered_prefetch_reads_ahead_by_the_offset():
    A, B = _scale(64, 128)
    s = te.create_schedule(B.op)
    io, ii = s[B].split(B.op.axis[0], factor=4)
    s[B].prefetch(A, ii, 2)
    text = str(tvm.lower(s, [A, B]))
    assert "prefetch_scope" not in text
    # Row i + 2 of A: 128 floats, 8 lines of 64 bytes, before the row's own loop.
    assert "for prefetch_A_1 in range(8):" in text
    # The builtin prefetch op (T.prefetch is the Prefetch statement of a region).
    call = 'T.call_intrin("int32", "tir.prefetch", T.address_of(A_1[i_outer * 512 + i_inner * 128 + prefetch_A_1 * 16 + 256]), 0, 3, 1)'
    assert call in text
    assert text.index("tir.prefetch") < text.index("for j in range(128)")


def test_prefetch_on_a_single_iteration_axis_is_dropped():
    A, B = _scale(1, 32)
    s = te.create_schedule(B.op)
    s[B].prefetch(A, B.op.axis[0], 1)
    text = str(tvm.lower(s, [A, B]))
    assert "prefetch" not in text


@pytest.mark.parametrize("n,m,factor,offset", [(64, 100, 4, 1), (17, 33, 5, 3)])
def test_prefetch_builds_and_computes_the_same(n, m, factor, offset):
    A, B = _scale(n, m)
    s = te.create_schedule(B.op)
    io, ii = s[B].split(B.op.axis[0], factor=factor)
    s[B].prefetch(A, ii, offset)
    f = _build(s, [A, B])
    assert "llvm.prefetch" in f.get_source("ll")
    a = np.random.RandomState(0).uniform(-1, 1, (n, m)).astype("float32")
    b = tvm.nd.array(np.zeros((n, m), "float32"))
    f(tvm.nd.array(a), b)
    np.testing.assert_allclose(b.numpy(), a * 2 + 1, rtol=1e-6)


def test_prefetch_past_the_end_passes_bound_checks():
    # The last iterations prefetch rows beyond A: a hint, not an access.
    A, B = _scale(16, 32)
    s = te.create_schedule(B.op)
    s[B].prefetch(A, B.op.axis[0], 3)
    with tvm.transform.PassContext(config={"tir.instrument_bound_checkers": True}):
        f = _build(s, [A, B])
    a = np.random.RandomState(1).uniform(-1, 1, (16, 32)).astype("float32")
    b = tvm.nd.array(np.zeros((16, 32), "float32"))
    f(tvm.nd.array(a), b)
    np.testing.assert_allclose(b.numpy(), a * 2 + 1, rtol=1e-6)
