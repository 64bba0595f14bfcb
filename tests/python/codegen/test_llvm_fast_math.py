"""The LLVM target's float32 exp/log/erf (and sigmoid/tanh built on exp) are
expanded into vectorizable arithmetic: accurate, and no per-lane libm calls."""
import math

import numpy as np
import pytest

import tvm
from tvm import te

N = 4096


def build_unary(fn, dtype="float32"):
    A = te.placeholder((N,), name="A", dtype=dtype)
    B = te.compute((N,), lambda i: fn(A[i]), name="B")
    s = te.create_schedule(B.op)
    _, xi = s[B].split(B.op.axis[0], factor=16)
    s[B].vectorize(xi)
    return tvm.build(s, [A, B], "llvm -mcpu=skylake-avx512", name="f")


def run(mod, x):
    a = tvm.nd.array(x)
    b = tvm.nd.empty(x.shape, str(x.dtype))
    mod["f"](a, b)
    return b.numpy()


@pytest.mark.parametrize(
    "name,fn,ref,sample,rtol,atol",
    [
        ("exp", tvm.tir.exp, np.exp, lambda r: r.uniform(-87, 88, N), 2e-7, 0),
        ("log", tvm.tir.log, np.log, lambda r: np.exp(r.uniform(-60, 60, N)), 2e-7, 1e-6),
        ("erf", tvm.tir.erf, np.vectorize(math.erf), lambda r: r.uniform(-5, 5, N), 0, 5e-7),
        ("sigmoid", tvm.tir.sigmoid, lambda x: 1 / (1 + np.exp(-x)), lambda r: r.uniform(-30, 30, N), 1e-6, 1e-7),
        ("tanh", tvm.tir.tanh, np.tanh, lambda r: r.uniform(-20, 20, N), 0, 2e-7),
    ],
)
def test_fast_math_matches_float64_reference(name, fn, ref, sample, rtol, atol):
    rng = np.random.default_rng(7)
    x = sample(rng).astype("float32")
    got = run(build_unary(fn), x)
    np.testing.assert_allclose(got, ref(x.astype("float64")), rtol=rtol, atol=atol)


def test_exp_special_values():
    x = np.zeros(N, dtype="float32")
    x[:6] = [-200, 200, np.inf, -np.inf, np.nan, 0]
    got = run(build_unary(tvm.tir.exp), x)
    assert got[0] == 0 and got[1] == np.inf and got[2] == np.inf and got[3] == 0
    assert np.isnan(got[4]) and got[5] == 1


def test_log_special_values():
    x = np.ones(N, dtype="float32")
    x[:5] = [0, -1, np.inf, np.nan, 1e-38]
    got = run(build_unary(tvm.tir.log), x)
    assert got[0] == -np.inf and np.isnan(got[1]) and got[2] == np.inf and np.isnan(got[3])
    assert got[4] == pytest.approx(math.log(1e-38), rel=1e-6)


def test_no_libm_calls_in_vectorized_exp():
    asm = build_unary(tvm.tir.exp).get_source("asm")
    assert "expf" not in asm
    assert "zmm" in asm


def test_float64_exp_keeps_exact_libm_semantics():
    x = np.random.default_rng(1).uniform(-700, 700, N)
    got = run(build_unary(tvm.tir.exp, "float64"), x)
    np.testing.assert_allclose(got, np.exp(x), rtol=1e-15)
