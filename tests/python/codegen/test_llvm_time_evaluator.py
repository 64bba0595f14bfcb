# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Module.time_evaluator on code built by tvm.build("llvm"): TVM's semantics.

One warm-up call, then `repeat` measurements of `number` calls each; with
min_repeat_ms, `number` grows until one measurement lasts at least that long.
A counting kernel (it adds one to count[0] per call) shows how many calls ran.
"""
import time

import numpy as np
import pytest

import tvm
from tvm import te, tir


@pytest.fixture(scope="module")
def counter():
    """count(c: int64[1]): c[0] += 1."""
    buf = tir.decl_buffer((1,), "int64", name="c")
    body = tir.BufferStore(buf, tir.BufferLoad(buf, [0]) + tir.const(1, "int64"), [0])
    func = tir.PrimFunc([buf], body).with_attr("global_symbol", "count")
    return tvm.build(func, target="llvm")


def _count_array():
    return tvm.nd.array(np.zeros((1,), dtype="int64"))


@pytest.mark.parametrize("number,repeat", [(1, 1), (5, 3), (20, 4)])
def test_number_and_repeat_without_minimum(counter, number, repeat):
    c = _count_array()
    result = counter.time_evaluator("count", tvm.cpu(0), number=number, repeat=repeat)(c)
    assert len(result.results) == repeat
    assert all(r > 0 for r in result.results)
    assert result.mean > 0 and result.min <= result.mean <= result.max
    assert c.numpy()[0] == 1 + number * repeat  # the warm-up, then exactly number * repeat calls


def test_min_repeat_ms_lengthens_every_measurement(counter):
    c = _count_array()
    repeat, min_ms = 3, 20
    start = time.perf_counter()
    result = counter.time_evaluator("count", tvm.cpu(0), number=1, repeat=repeat, min_repeat_ms=min_ms)(c)
    elapsed = time.perf_counter() - start
    assert len(result.results) == repeat
    assert elapsed >= repeat * min_ms / 1000.0
    calls = int(c.numpy()[0]) - 1
    assert calls > repeat  # number grew past 1
    # Each repeat's mean per call times its number of calls covers min_repeat_ms; the number only grows,
    # so the last repeat ran at least calls / repeat calls.
    assert max(result.results) * calls >= repeat * min_ms / 1000.0 * 0.999


def test_time_evaluator_of_a_real_kernel_and_a_loaded_library(tmp_path):
    n = 1 << 14
    A = te.placeholder((n,), name="A")
    B = te.compute((n,), lambda i: A[i] * 2.0 + 1.0, name="B")
    s = te.create_schedule(B.op)
    xo, xi = s[B].split(B.op.axis[0], factor=16)
    s[B].vectorize(xi)
    f = tvm.build(s, [A, B], "llvm", name="axpy")
    a = tvm.nd.array(np.ones(n, dtype="float32"))
    b = tvm.nd.empty((n,), "float32")
    result = f.time_evaluator("axpy", tvm.cpu(0), number=10, repeat=2)(a, b)
    assert len(result.results) == 2 and result.mean > 0
    np.testing.assert_array_equal(b.numpy(), np.full(n, 3.0, dtype="float32"))
    path = tmp_path / "axpy.so"
    f.export_library(str(path))
    lib = tvm.runtime.load_module(str(path))
    result = lib.time_evaluator("axpy", tvm.cpu(0), number=3, repeat=2, min_repeat_ms=1)(a, b)
    assert len(result.results) == 2 and result.mean > 0
    assert "mean" in str(result)


def test_time_evaluator_errors(counter):
    with pytest.raises(AttributeError, match="no_such_kernel"):
        counter.time_evaluator("no_such_kernel", tvm.cpu(0))
    with pytest.raises(ValueError, match="number"):
        counter.time_evaluator("count", tvm.cpu(0), number=0)
    with pytest.raises(ValueError, match="count.c.shape"):
        counter.time_evaluator("count", tvm.cpu(0))(tvm.nd.array(np.zeros((2,), dtype="int64")))
