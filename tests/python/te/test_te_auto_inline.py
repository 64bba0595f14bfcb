# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""te.schedule.AutoInlineElemWise / AutoInlineBroadcast / AutoInlineInjective:
which stages are inlined, and the lowered result."""
import numpy as np

import tvm
from tvm import te

ROOT, INLINE = 1, 2  # AttachType kGroupRoot, kInline


def _chain(first):
    """T1 = first(A, B); T2 = T1 + C (the output)."""
    A = te.placeholder((4, 8), name="A")
    B = te.placeholder((4, 8), name="B")
    C = te.placeholder((4, 8), name="C")
    T1 = first(A, B)
    T2 = te.compute((4, 8), lambda i, j: T1[i, j] + C[i, j], name="T2")
    return te.create_schedule(T2.op), T1, T2, [A, B, C, T2]


def test_elemwise_inlined_and_result_unchanged():
    s, T1, T2, args = _chain(lambda A, B: te.compute((4, 8), lambda i, j: A[i, j] * B[i, j], name="T1"))
    tvm.te.schedule.AutoInlineElemWise(s)
    assert s[T1].attach_type == INLINE
    assert s[T2].attach_type == ROOT  # outputs stay
    lowered = tvm.lower(s, args, simple_mode=True)
    assert "T1" not in str(lowered)
    f = tvm.build(s, args)
    a, b, c = (np.random.RandomState(i).rand(4, 8).astype("float32") for i in range(3))
    out = tvm.nd.empty((4, 8), "float32")
    f(tvm.nd.array(a), tvm.nd.array(b), tvm.nd.array(c), out)
    np.testing.assert_allclose(out.numpy(), a * b + c, rtol=1e-6)


def test_elemwise_rejects_transposed_or_shifted_reads():
    s, T1, _, _ = _chain(lambda A, B: te.compute((4, 8), lambda i, j: A[i, j] * B[3 - i, j], name="T1"))
    tvm.te.schedule.AutoInlineElemWise(s)
    assert s[T1].attach_type == ROOT
    # ...but it is injective.
    tvm.te.schedule.AutoInlineInjective(s)
    assert s[T1].attach_type == INLINE


def test_broadcast_needs_the_tag():
    untagged = lambda A, B: te.compute((4, 8), lambda i, j: A[0, 0] * B[i, j], name="T1")  # noqa: E731
    s, T1, _, _ = _chain(untagged)
    tvm.te.schedule.AutoInlineBroadcast(s)
    assert s[T1].attach_type == ROOT
    tagged = lambda A, B: te.compute((4, 8), lambda i, j: A[0, 0] * B[i, j], name="T1", tag="broadcast")  # noqa: E731
    s, T1, _, _ = _chain(tagged)
    tvm.te.schedule.AutoInlineBroadcast(s)
    assert s[T1].attach_type == INLINE


def test_scheduled_and_reduction_stages_are_left_alone():
    s, T1, _, _ = _chain(lambda A, B: te.compute((4, 8), lambda i, j: A[i, j] + B[i, j], name="T1"))
    s[T1].split(T1.op.axis[1], factor=4)
    tvm.te.schedule.AutoInlineInjective(s)
    assert s[T1].attach_type == ROOT

    A = te.placeholder((4, 8), name="A")
    k = te.reduce_axis((0, 8), name="k")
    R = te.compute((4,), lambda i: te.sum(A[i, k], axis=k), name="R")
    O = te.compute((4,), lambda i: R[i] * 2.0, name="O")
    s = te.create_schedule(O.op)
    tvm.te.schedule.AutoInlineInjective(s)
    assert s[R].attach_type == ROOT
