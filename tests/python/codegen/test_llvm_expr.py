# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Every TIR expression construct through tvm.build("llvm"), checked against numpy.

Each construct runs three ways ("modes"): as scalar code for the generic
x86-64 target (SSE2 only: float16 goes through the soft-float builtins);
inside a loop vectorized by 16 for the host CPU ("llvm -mcpu=native", so
AVX-512 on the development machines); and vectorized by a split (10) that
does not divide the extent (48), which leaves a guarded, scalarized tail.
"""
import numpy as np
import pytest

import tvm
from tvm import te, tir

from codegen_helpers import build, build_run, rand, run

N = 48
MODES = ["scalar", "vector", "vector_tail"]
_SPLIT = {"scalar": None, "vector": 16, "vector_tail": 10}
_TARGET = {"scalar": "llvm", "vector": "llvm -mcpu=native", "vector_tail": "llvm"}


def _schedule(out, mode):
    s = te.create_schedule(out.op)
    if _SPLIT[mode] is not None:
        axis = out.op.axis[-1]
        _, inner = s[out].split(axis, factor=_SPLIT[mode])
        s[out].vectorize(inner)
    return s


def _elementwise(fexpr, in_dtypes, inputs, mode, shape=(N,)):
    """out[i] = fexpr(in0[i], in1[i], ...), built for `mode` and run on `inputs`."""
    ins = [te.placeholder(shape, dtype=d, name=f"in{k}") for k, d in enumerate(in_dtypes)]
    out = te.compute(shape, lambda *i: fexpr(*[x(*i) for x in ins]), name="out")
    return build_run(_schedule(out, mode), ins + [out], inputs, target=_TARGET[mode])


# ---------------------------------------------------------------- arithmetic

INT_DTYPES = ["int8", "uint8", "int32", "int64"]

_INT_OPS = {
    "add": (lambda a, b: a + b, lambda a, b: a + b),
    "sub": (lambda a, b: a - b, lambda a, b: a - b),
    "mul": (lambda a, b: a * b, lambda a, b: a * b),
    "floordiv": (lambda a, b: a // b, lambda a, b: a // b),
    "floormod": (lambda a, b: a % b, lambda a, b: a % b),
    "truncdiv": (tir.truncdiv, lambda a, b: (np.sign(a) * np.sign(b) * (np.abs(a) // np.abs(b))).astype(a.dtype)),
    "truncmod": (tir.truncmod, lambda a, b: np.fmod(a, b)),
    "min": (tir.min, np.minimum),
    "max": (tir.max, np.maximum),
}


def _nonzero_divisor(b):
    """Divisors without zeros; signed dtypes keep both signs (floor semantics differ from C there)."""
    return np.where(b == 0, np.array(3, dtype=b.dtype), b).astype(b.dtype)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("dtype", INT_DTYPES)
@pytest.mark.parametrize("op", list(_INT_OPS))
def test_integer_binary(op, dtype, mode):
    rng = np.random.default_rng(1)
    a = rand((N,), dtype, rng)
    b = _nonzero_divisor(rand((N,), dtype, rng))
    fexpr, fref = _INT_OPS[op]
    with np.errstate(over="ignore"):
        expected = fref(a, b).astype(dtype)
    got = _elementwise(fexpr, [dtype, dtype], [a, b], mode)
    np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("divisor", [7, -7, 8, -8, 1, -1])
@pytest.mark.parametrize("mode", MODES)
def test_floor_division_by_constant_negative_dividends(divisor, mode):
    """// and % by a constant follow floor semantics for negative dividends (and divisors)."""
    a = np.arange(-28, N - 28, dtype="int32")
    got_div = _elementwise(lambda x: x // divisor, ["int32"], [a], mode)
    got_mod = _elementwise(lambda x: x % divisor, ["int32"], [a], mode)
    np.testing.assert_array_equal(got_div, a // divisor)
    np.testing.assert_array_equal(got_mod, a % divisor)


@pytest.mark.parametrize("divisor", [7, -7, 8, -8])
def test_trunc_division_by_constant(divisor):
    a = np.arange(-24, 24, dtype="int32")
    got_div = _elementwise(lambda x: tir.truncdiv(x, divisor), ["int32"], [a], "vector")
    got_mod = _elementwise(lambda x: tir.truncmod(x, divisor), ["int32"], [a], "vector")
    np.testing.assert_array_equal(got_div, np.trunc(a / divisor).astype("int32"))
    np.testing.assert_array_equal(got_mod, np.fmod(a, divisor))


_FLOAT_OPS = {
    "add": (lambda a, b: a + b, lambda a, b: a + b),
    "sub": (lambda a, b: a - b, lambda a, b: a - b),
    "mul": (lambda a, b: a * b, lambda a, b: a * b),
    "div": (lambda a, b: a / b, lambda a, b: a / b),
    "floordiv": (lambda a, b: a // b, lambda a, b: np.floor(a / b)),
    "min": (tir.min, np.minimum),
    "max": (tir.max, np.maximum),
}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("dtype", ["float32", "float16", "float64"])
@pytest.mark.parametrize("op", list(_FLOAT_OPS))
def test_float_binary(op, dtype, mode):
    rng = np.random.default_rng(2)
    a = rand((N,), dtype, rng)
    b = rand((N,), dtype, rng, 0.25, 4.0) * np.where(rng.integers(0, 2, N) == 0, -1, 1).astype(dtype)
    fexpr, fref = _FLOAT_OPS[op]
    expected = fref(a, b).astype(dtype)
    got = _elementwise(fexpr, [dtype, dtype], [a, b], mode)
    # + - * / min max are correctly rounded in both; floor(a / b) too.
    np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("mode", MODES)
def test_negation_and_mixed_constants(mode):
    rng = np.random.default_rng(3)
    a = rand((N,), "float32", rng)
    got = _elementwise(lambda x: -x * 3.0 + 0.5, ["float32"], [a], mode)
    # a * b + c may be fused into one FMA (one rounding instead of two), as in TVM.
    np.testing.assert_allclose(got, -a.astype("float64") * 3.0 + 0.5, rtol=1e-6, atol=1e-6)
    k = rand((N,), "int32", rng)
    got = _elementwise(lambda x: -x + 7, ["int32"], [k], mode)
    np.testing.assert_array_equal(got, -k + 7)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("dtype", ["float32", "float16", "int8", "uint8", "int32", "int64", "bool"])
def test_elementwise_by_dtype(dtype, mode):
    """One elementwise expression per dtype: loads, arithmetic (or logic) and stores of that type."""
    rng = np.random.default_rng(30)
    a = rand((N,), dtype, rng)
    b = rand((N,), dtype, rng)
    if dtype == "bool":
        got = _elementwise(lambda x, y: tir.Or(tir.And(x, tir.Not(y)), x == y), [dtype, dtype], [a, b], mode)
        np.testing.assert_array_equal(got, (a & ~b) | (a == b))
        return
    got = _elementwise(lambda x, y: x * y + x - y, [dtype, dtype], [a, b], mode)
    with np.errstate(over="ignore"):
        expected = (a.astype("float64") * b + a - b) if dtype.startswith("float") else (a * b + a - b)
    if dtype == "float16":
        np.testing.assert_allclose(got.astype("float64"), expected, rtol=2e-3, atol=2e-2)
    elif dtype == "float32":
        np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-5)
    else:
        np.testing.assert_array_equal(got, expected.astype(dtype))


def test_vector_mode_emits_vector_code():
    """The "vector" mode above really produces 16-lane vector instructions."""
    A = te.placeholder((N,), name="A")
    B = te.compute((N,), lambda i: A[i] * 2.0, name="B")
    f = build(_schedule(B, "vector"), [A, B], _TARGET["vector"])
    assert "<16 x float>" in f.get_source("ll")


# -------------------------------------------------------------- comparisons

_COMPARISONS = {
    "eq": (lambda a, b: a == b, np.equal),
    "ne": (lambda a, b: a != b, np.not_equal),
    "lt": (lambda a, b: a < b, np.less),
    "le": (lambda a, b: a <= b, np.less_equal),
    "gt": (lambda a, b: a > b, np.greater),
    "ge": (lambda a, b: a >= b, np.greater_equal),
}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("dtype", ["int8", "uint8", "int32", "uint32", "int64", "float32", "float16", "float64"])
@pytest.mark.parametrize("cmp", list(_COMPARISONS))
def test_comparison(cmp, dtype, mode):
    rng = np.random.default_rng(4)
    if dtype.startswith("uint"):
        # Values with the top bit set catch a signed comparison of unsigned integers.
        info = np.iinfo(dtype)
        a = rng.integers(0, info.max, N, endpoint=True).astype(dtype)
        b = rng.integers(0, info.max, N, endpoint=True).astype(dtype)
        b[:8] = a[:8]
    elif dtype.startswith("float"):
        a = rng.integers(-3, 4, N).astype(dtype) * 0.5
        b = rng.integers(-3, 4, N).astype(dtype) * 0.5
    else:
        a = rng.integers(-3, 4, N).astype(dtype)
        b = rng.integers(-3, 4, N).astype(dtype)
    fexpr, fref = _COMPARISONS[cmp]
    got = _elementwise(fexpr, [dtype, dtype], [a, b], mode)
    assert got.dtype == np.bool_
    np.testing.assert_array_equal(got, fref(a, b))


@pytest.mark.parametrize("mode", MODES)
def test_float_comparison_with_nan(mode):
    a = np.array([np.nan, 1.0, np.nan, -2.0] * 20, dtype="float32")[:N]
    b = np.array([1.0, np.nan, np.nan, -2.0] * 20, dtype="float32")[:N]
    for cmp, (fexpr, fref) in _COMPARISONS.items():
        got = _elementwise(fexpr, ["float32", "float32"], [a, b], mode)
        np.testing.assert_array_equal(got, fref(a, b), err_msg=cmp)


@pytest.mark.parametrize("mode", MODES)
def test_logical_and_or_not(mode):
    rng = np.random.default_rng(5)
    a = rand((N,), "bool", rng)
    b = rand((N,), "bool", rng)
    np.testing.assert_array_equal(_elementwise(tir.And, ["bool", "bool"], [a, b], mode), a & b)
    np.testing.assert_array_equal(_elementwise(tir.Or, ["bool", "bool"], [a, b], mode), a | b)
    np.testing.assert_array_equal(_elementwise(tir.Not, ["bool"], [a], mode), ~a)
    np.testing.assert_array_equal(
        _elementwise(lambda x, y: tir.Or(tir.And(x, tir.Not(y)), tir.And(tir.Not(x), y)), ["bool", "bool"], [a, b],
                     mode), a ^ b)


@pytest.mark.parametrize("mode", MODES)
def test_comparisons_combined_with_logic(mode):
    rng = np.random.default_rng(6)
    a = rand((N,), "int32", rng, -10, 10)
    got = _elementwise(lambda x: tir.all(x > -3, x < 4), ["int32"], [a], mode)
    np.testing.assert_array_equal(got, (a > -3) & (a < 4))
    got = _elementwise(lambda x: tir.any(x < -5, x >= 5), ["int32"], [a], mode)
    np.testing.assert_array_equal(got, (a < -5) | (a >= 5))


# ------------------------------------------------------- select, if_then_else


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("dtype", ["float32", "int8", "uint8", "int64", "float16"])
def test_select(dtype, mode):
    rng = np.random.default_rng(7)
    a = rand((N,), dtype, rng)
    b = rand((N,), dtype, rng)
    got = _elementwise(lambda x, y: tir.Select(x > y, x - y, y), [dtype, dtype], [a, b], mode)
    with np.errstate(over="ignore"):
        np.testing.assert_array_equal(got, np.where(a > b, a - b, b).astype(dtype))


@pytest.mark.parametrize("mode", MODES)
def test_if_then_else(mode):
    rng = np.random.default_rng(8)
    a = rand((N,), "float32", rng)
    got = _elementwise(lambda x: tir.if_then_else(x > 0.0, x * 2.0, x * -0.5), ["float32"], [a], mode)
    np.testing.assert_array_equal(got, np.where(a > 0, a * np.float32(2), a * np.float32(-0.5)))


@pytest.mark.parametrize("mode", MODES)
def test_if_then_else_guards_out_of_bounds_reads(mode):
    """A shifted stencil reads A[i + 1] and A[i - 1] only where they exist."""
    rng = np.random.default_rng(9)
    a = rand((N,), "float32", rng)
    A = te.placeholder((N,), name="A")
    B = te.compute(
        (N,),
        lambda i: tir.if_then_else(i < N - 1, A[tir.min(i + 1, N - 1)], 0.0)
        + tir.if_then_else(i > 0, A[i - 1], 0.0),
        name="B")
    got = build_run(_schedule(B, mode), [A, B], [a], _TARGET[mode])
    expected = np.concatenate([a[1:], [0]]) + np.concatenate([[0], a[:-1]])
    np.testing.assert_allclose(got, expected.astype("float32"), rtol=1e-6)


def test_if_then_else_skips_the_unsafe_branch():
    """if_then_else evaluates only the chosen branch: a division by zero on the other side never runs."""
    a = np.array([0, 1, -2, 0, 5, 0, 7], dtype="int32")
    A = te.placeholder((7,), dtype="int32", name="A")
    B = te.compute((7,), lambda i: tir.if_then_else(A[i] != 0, tir.truncdiv(100, A[i]), -1), name="B")
    got = build_run(te.create_schedule(B.op), [A, B], [a])
    np.testing.assert_array_equal(got, [-1, 100, -50, -1, 20, -1, 14])


def test_if_then_else_guard_on_symbolic_extent():
    """A guard against a symbolic length: the padded tail reads nothing out of bounds."""
    n = te.var("n")
    A = te.placeholder((n,), name="A")
    B = te.compute((n + 3,), lambda i: tir.if_then_else(i < n, A[tir.min(i, n - 1)], -1.0), name="B")
    s = te.create_schedule(B.op)
    f = build(s, [A, B])
    a = np.arange(1, 11, dtype="float32")
    got = run(f, [a], [((13,), "float32")])
    np.testing.assert_array_equal(got, np.concatenate([a, [-1, -1, -1]]).astype("float32"))


# --------------------------------------------------------------------- casts

CAST_DTYPES = ["float32", "float16", "int8", "uint8", "int32", "int64", "bool"]


def _cast_input(src, dst, rng):
    """Values whose conversion from `src` to `dst` is defined in C (and so in numpy and LLVM)."""
    if src == "bool":
        return rng.integers(0, 2, N).astype(bool)
    if src.startswith("float"):
        if dst == "bool":
            return (rng.integers(-2, 3, N) * 0.75).astype(src)
        low = 0.0 if dst == "uint8" else -100.0
        high = 120.0 if dst in ("int8", "uint8") else 1000.0
        values = rng.uniform(low, high, N).astype(src)
        # Exactly representable halves and zeros too.
        values[:6] = np.array([0.0, 0.5, 2.5, 3.75, 17.0, 100.25], dtype=src)
        return values
    # Integers: wide enough to wrap in narrower integer dtypes.
    if dst.startswith("float"):
        lo, hi = (0, 256) if src == "uint8" else (-128, 128) if src == "int8" else (-2000, 2000)
    else:
        lo, hi = (0, 256) if src == "uint8" else (-128, 128) if src == "int8" else (-70000, 70000)
        if src == "int32" or src == "int64":
            lo, hi = (-70000, 70000)
    values = rng.integers(lo, hi, N).astype(src)
    values[:4] = np.array([0, 1, 127 if src != "uint8" else 255, 0], dtype=src)
    return values


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("dst", CAST_DTYPES)
@pytest.mark.parametrize("src", CAST_DTYPES)
def test_cast(src, dst, mode):
    rng = np.random.default_rng(10)
    x = _cast_input(src, dst, rng)
    got = _elementwise(lambda v: v.astype(dst), [src], [x], mode)
    if dst == "bool":
        expected = x != 0
    else:
        with np.errstate(invalid="ignore", over="ignore"):
            expected = x.astype(dst)
    assert got.dtype == np.dtype(dst)
    np.testing.assert_array_equal(got, expected)


def _bfloat16_supported():
    try:
        tvm.nd.empty((2,), "bfloat16")
        return True
    except Exception:  # pylint: disable=broad-except
        return False


def _to_bf16_bits(x):
    """float32 -> bfloat16 bit patterns, round to nearest even (no NaNs in the tests)."""
    bits = x.astype("float32").view("uint32").astype("uint64")
    rounded = (bits + 0x7FFF + ((bits >> 16) & 1)) >> 16
    return rounded.astype("uint16")


def _from_bf16_bits(b):
    return (b.astype("uint32") << 16).view("float32")


@pytest.mark.parametrize("mode", MODES)
def test_bfloat16_storage_float32_compute(mode):
    if not _bfloat16_supported():
        pytest.skip("this build's NDArray has no bfloat16 dtype")
    rng = np.random.default_rng(11)
    x = rand((N,), "float32", rng)
    y = rand((N,), "float32", rng)
    xb, yb = _to_bf16_bits(x), _to_bf16_bits(y)
    A = te.placeholder((N,), "bfloat16", name="A")
    B = te.placeholder((N,), "bfloat16", name="B")
    C = te.compute((N,), lambda i: (A[i].astype("float32") * B[i].astype("float32") + 1.0).astype("bfloat16"),
                   name="C")
    f = build(_schedule(C, mode), [A, B, C], _TARGET[mode])
    dev = tvm.cpu(0)
    a = tvm.nd.array(xb, dev, dtype="bfloat16")
    b = tvm.nd.array(yb, dev, dtype="bfloat16")
    c = tvm.nd.empty((N,), "bfloat16", dev)
    f(a, b, c)
    got = c.numpy().view("uint16")
    exact = _from_bf16_bits(xb) * _from_bf16_bits(yb) + np.float32(1.0)
    np.testing.assert_array_equal(got, _to_bf16_bits(exact))


@pytest.mark.parametrize("mode", MODES)
def test_bfloat16_to_float32(mode):
    if not _bfloat16_supported():
        pytest.skip("this build's NDArray has no bfloat16 dtype")
    rng = np.random.default_rng(12)
    xb = _to_bf16_bits(rand((N,), "float32", rng, -300.0, 300.0))
    A = te.placeholder((N,), "bfloat16", name="A")
    B = te.compute((N,), lambda i: A[i].astype("float32"), name="B")
    f = build(_schedule(B, mode), [A, B], _TARGET[mode])
    a = tvm.nd.array(xb, tvm.cpu(0), dtype="bfloat16")
    b = tvm.nd.empty((N,), "float32")
    f(a, b)
    np.testing.assert_array_equal(b.numpy(), _from_bf16_bits(xb))


# ----------------------------------------------------------------------- Let


@pytest.mark.parametrize("mode", MODES)
def test_let(mode):
    rng = np.random.default_rng(13)
    a = rand((N,), "float32", rng)

    def fexpr(x):
        v = tir.Var("v", "float32")
        w = tir.Var("w", "float32")
        return tir.Let(v, x * 2.0, tir.Let(w, v + 1.0, v * w - v))

    got = _elementwise(fexpr, ["float32"], [a], mode)
    v = a.astype("float64") * 2
    np.testing.assert_allclose(got, v * (v + 1) - v, rtol=1e-6, atol=1e-5)


@pytest.mark.parametrize("mode", MODES)
def test_let_integer_index(mode):
    """A Let-bound integer used as an index."""
    rng = np.random.default_rng(14)
    a = rand((2 * N,), "float32", rng)
    A = te.placeholder((2 * N,), name="A")

    def body(i):
        j = tir.Var("j", "int32")
        return tir.Let(j, i * 2 + 1, A[j] - A[j - 1])

    B = te.compute((N,), body, name="B")
    got = build_run(_schedule(B, mode), [A, B], [a], _TARGET[mode])
    np.testing.assert_allclose(got, a[1::2] - a[0::2], rtol=1e-6)


# -------------------------------------------------------------------- math


def _erf(x):
    import math

    return np.array([math.erf(float(v)) for v in x], dtype="float64")


_MATH = {
    "exp": (tir.exp, np.exp, (-10.0, 10.0)),
    "log": (tir.log, np.log, (0.01, 100.0)),
    "sqrt": (tir.sqrt, np.sqrt, (0.0, 100.0)),
    "tanh": (tir.tanh, np.tanh, (-12.0, 12.0)),
    "sigmoid": (tir.sigmoid, lambda x: 1.0 / (1.0 + np.exp(-x)), (-20.0, 20.0)),
    "erf": (tir.erf, _erf, (-4.0, 4.0)),
    "floor": (tir.floor, np.floor, (-10.0, 10.0)),
    "ceil": (tir.ceil, np.ceil, (-10.0, 10.0)),
    "abs": (tir.abs, np.abs, (-10.0, 10.0)),
    "trunc": (tir.trunc, np.trunc, (-10.0, 10.0)),
    "rsqrt": (tir.rsqrt, lambda x: 1.0 / np.sqrt(x), (0.01, 100.0)),
    "log2": (tir.log2, np.log2, (0.01, 100.0)),
    "exp2": (tir.exp2, np.exp2, (-10.0, 10.0)),
}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", list(_MATH))
def test_math_float32(name, mode):
    fexpr, fref, (low, high) = _MATH[name]
    rng = np.random.default_rng(15)
    a = rand((N,), "float32", rng, low, high)
    got = _elementwise(fexpr, ["float32"], [a], mode)
    expected = fref(a.astype("float64"))
    np.testing.assert_allclose(got, expected, rtol=2e-6, atol=1e-7)


@pytest.mark.parametrize("mode", MODES)
def test_round_and_nearbyint_halves(mode):
    """round is half away from zero (LLVM's llvm.round, as in TVM); nearbyint is half to even."""
    a = np.array([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 3.49, -3.51, 7.0] * 8, dtype="float32")[:N]
    got = _elementwise(tir.round, ["float32"], [a], mode)
    np.testing.assert_array_equal(got, np.sign(a) * np.floor(np.abs(a) + 0.5))
    got = _elementwise(tir.nearbyint, ["float32"], [a], mode)
    np.testing.assert_array_equal(got, np.round(a))


@pytest.mark.parametrize("mode", MODES)
def test_pow(mode):
    rng = np.random.default_rng(16)
    a = rand((N,), "float32", rng, 0.1, 4.0)
    b = rand((N,), "float32", rng, -3.0, 3.0)
    got = _elementwise(tir.power, ["float32", "float32"], [a, b], mode)
    np.testing.assert_allclose(got, np.power(a.astype("float64"), b), rtol=2e-6)
    got = _elementwise(lambda x: x ** 2.0, ["float32"], [a], mode)
    np.testing.assert_allclose(got, a.astype("float64") ** 2, rtol=2e-6)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("dtype", ["int8", "int32", "int64"])
def test_integer_abs(dtype, mode):
    rng = np.random.default_rng(17)
    a = rand((N,), dtype, rng)
    np.testing.assert_array_equal(_elementwise(tir.abs, [dtype], [a], mode), np.abs(a))


@pytest.mark.parametrize("mode", MODES)
def test_math_extreme_inputs(mode):
    """exp, tanh and sigmoid saturate instead of producing NaN at large magnitudes.

    The fast float32 exp may flush results below the smallest normal float (exp(-88) and
    smaller) to zero: that is the only absolute slack allowed.
    """
    tiny = float(np.finfo("float32").tiny)
    a = np.array([-100.0, -88.0, -30.0, -1e-6, 0.0, 1e-6, 30.0, 88.0] * 8, dtype="float32")[:N]
    got = _elementwise(tir.tanh, ["float32"], [a], mode)
    np.testing.assert_allclose(got, np.tanh(a.astype("float64")), rtol=2e-6, atol=1e-7)
    got = _elementwise(tir.sigmoid, ["float32"], [a], mode)
    np.testing.assert_allclose(got, 1 / (1 + np.exp(-a.astype("float64"))), rtol=2e-6, atol=tiny)
    got = _elementwise(tir.exp, ["float32"], [a], mode)
    np.testing.assert_allclose(got, np.exp(a.astype("float64")), rtol=2e-6, atol=tiny)
    assert np.all(np.isfinite(got)) and np.all(got >= 0)


@pytest.mark.parametrize("mode", MODES)
def test_isnan_isinf_isfinite(mode):
    a = np.array([np.nan, np.inf, -np.inf, 0.0, 1.5, -2.0] * 10, dtype="float32")[:N]
    np.testing.assert_array_equal(_elementwise(tir.isnan, ["float32"], [a], mode), np.isnan(a))
    np.testing.assert_array_equal(_elementwise(tir.isinf, ["float32"], [a], mode), np.isinf(a))
    np.testing.assert_array_equal(_elementwise(tir.isfinite, ["float32"], [a], mode), np.isfinite(a))


@pytest.mark.parametrize("mode", MODES)
def test_libm_functions_lane_by_lane(mode):
    """Math without an LLVM intrinsic goes to libm, one call per lane in vector code."""
    import math

    rng = np.random.default_rng(31)
    a = rand((N,), "float32", rng, -1.0, 1.0)
    b = rand((N,), "float32", rng, 0.5, 2.0)
    np.testing.assert_allclose(_elementwise(tir.tan, ["float32"], [a], mode), np.tan(a.astype("float64")), rtol=2e-6)
    np.testing.assert_allclose(_elementwise(tir.atan2, ["float32", "float32"], [a, b], mode),
                               np.arctan2(a.astype("float64"), b), rtol=2e-6, atol=1e-7)
    np.testing.assert_allclose(_elementwise(tir.fmod, ["float32", "float32"], [a * 7, b], mode),
                               np.fmod(a * 7, b), rtol=1e-6, atol=1e-6)
    h = a.astype("float16")
    got = _elementwise(tir.erf, ["float16"], [h], mode)
    np.testing.assert_allclose(got.astype("float64"), [math.erf(float(v)) for v in h], rtol=1e-3, atol=1e-3)


@pytest.mark.parametrize("mode", MODES)
def test_math_float16(mode):
    """float16 math (computed by LLVM in a wider type and rounded back)."""
    rng = np.random.default_rng(18)
    a = rand((N,), "float16", rng, 0.1, 4.0)
    got = _elementwise(lambda x: tir.sqrt(x) + tir.exp(x * tir.const(0.5, "float16")), ["float16"], [a], mode)
    expected = np.sqrt(a.astype("float64")) + np.exp(a.astype("float64") * 0.5)
    np.testing.assert_allclose(got.astype("float64"), expected, rtol=2e-3)


# ---------------------------------------------------------- bitwise, shifts


_BITWISE = {
    "and": (lambda a, b: a & b, np.bitwise_and),
    "or": (lambda a, b: a | b, np.bitwise_or),
    "xor": (lambda a, b: a ^ b, np.bitwise_xor),
}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("dtype", INT_DTYPES)
@pytest.mark.parametrize("op", list(_BITWISE))
def test_bitwise(op, dtype, mode):
    rng = np.random.default_rng(19)
    info = np.iinfo(dtype)
    a = rng.integers(info.min, info.max, N, endpoint=True).astype(dtype)
    b = rng.integers(info.min, info.max, N, endpoint=True).astype(dtype)
    fexpr, fref = _BITWISE[op]
    np.testing.assert_array_equal(_elementwise(fexpr, [dtype, dtype], [a, b], mode), fref(a, b))


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("dtype", INT_DTYPES)
def test_bitwise_not(dtype, mode):
    rng = np.random.default_rng(20)
    info = np.iinfo(dtype)
    a = rng.integers(info.min, info.max, N, endpoint=True).astype(dtype)
    np.testing.assert_array_equal(_elementwise(lambda x: ~x, [dtype], [a], mode), np.invert(a))


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("dtype", INT_DTYPES)
def test_shifts(dtype, mode):
    """<< and >> by per-element amounts; >> is arithmetic on signed and logical on unsigned dtypes."""
    rng = np.random.default_rng(21)
    info = np.iinfo(dtype)
    bits = info.bits
    a = rng.integers(info.min, info.max, N, endpoint=True).astype(dtype)
    amount = rng.integers(0, bits, N).astype(dtype)
    got_left = _elementwise(lambda x, y: x << y, [dtype, dtype], [a, amount], mode)
    got_right = _elementwise(lambda x, y: x >> y, [dtype, dtype], [a, amount], mode)
    np.testing.assert_array_equal(got_left, np.left_shift(a, amount))
    np.testing.assert_array_equal(got_right, np.right_shift(a, amount))


@pytest.mark.parametrize("mode", MODES)
def test_shift_by_constant(mode):
    a = np.arange(-24, 24, dtype="int32") * 1000
    np.testing.assert_array_equal(_elementwise(lambda x: x >> 3, ["int32"], [a], mode), a >> 3)
    np.testing.assert_array_equal(_elementwise(lambda x: x << 5, ["int32"], [a], mode), a << 5)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("dtype", ["uint8", "int32", "uint32", "int64"])
def test_popcount(dtype, mode):
    rng = np.random.default_rng(22)
    info = np.iinfo(dtype)
    a = rng.integers(info.min, info.max, N, endpoint=True).astype(dtype)
    got = _elementwise(tir.popcount, [dtype], [a], mode)
    expected = np.array([bin(int(v) & ((1 << info.bits) - 1)).count("1") for v in a], dtype=got.dtype)
    np.testing.assert_array_equal(got, expected)


# --------------------------------------------------------------- reductions


def _reduce_schedule(out, split_reduce):
    s = te.create_schedule(out.op)
    if split_reduce:
        k = out.op.reduce_axis[0]
        ko, ki = s[out].split(k, factor=4)
        s[out].reorder(ko, ki)
    return s


@pytest.mark.parametrize("split_reduce", [False, True])
@pytest.mark.parametrize("dtype", ["float32", "int32", "int8", "float16"])
@pytest.mark.parametrize("reducer", ["sum", "max", "min"])
def test_reduction(reducer, dtype, split_reduce):
    rng = np.random.default_rng(23)
    m, n = 5, 23  # 23 is not divided by the reduce split of 4
    a = rand((m, n), dtype, rng)
    if dtype == "int8" and reducer == "sum":
        a = rand((m, n), dtype, rng, -5, 6)
    A = te.placeholder((m, n), dtype, name="A")
    k = te.reduce_axis((0, n), name="k")
    fred = {"sum": te.sum, "max": te.max, "min": te.min}[reducer]
    B = te.compute((m,), lambda i: fred(A[i, k], axis=k), name="B")
    got = build_run(_reduce_schedule(B, split_reduce), [A, B], [a])
    expected = {"sum": np.sum, "max": np.max, "min": np.min}[reducer](a.astype("float64"), axis=1)
    if dtype == "float32":
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)
    elif dtype == "float16":
        np.testing.assert_allclose(got.astype("float64"), expected, rtol=1e-2, atol=1e-2)
    else:
        np.testing.assert_array_equal(got, expected.astype(dtype))


def test_reduction_with_where_and_init():
    rng = np.random.default_rng(24)
    a = rand((6, 19), "float32", rng)
    A = te.placeholder((6, 19), name="A")
    k = te.reduce_axis((0, 19), name="k")
    B = te.compute((6,), lambda i: te.sum(A[i, k], axis=k, where=k % 3 != 1, init=10.0), name="B")
    got = build_run(te.create_schedule(B.op), [A, B], [a])
    mask = (np.arange(19) % 3) != 1
    np.testing.assert_allclose(got, 10.0 + a[:, mask].sum(axis=1), rtol=1e-5)


def test_two_axis_reduction():
    rng = np.random.default_rng(25)
    a = rand((4, 7, 9), "float32", rng)
    A = te.placeholder((4, 7, 9), name="A")
    k1 = te.reduce_axis((0, 7), name="k1")
    k2 = te.reduce_axis((0, 9), name="k2")
    B = te.compute((4,), lambda i: te.sum(A[i, k1, k2] * A[i, k1, k2], axis=[k1, k2]), name="B")
    got = build_run(te.create_schedule(B.op), [A, B], [a])
    np.testing.assert_allclose(got, (a.astype("float64") ** 2).sum(axis=(1, 2)), rtol=1e-5)


def _argmax_reducer():
    def fcombine(x, y):
        keep = x[1] >= y[1]
        return tir.Select(keep, x[0], y[0]), tir.Select(keep, x[1], y[1])

    def fidentity(t0, t1):
        return tir.const(-1, t0), tir.min_value(t1)

    return te.comm_reducer(fcombine, fidentity, name="argmax")


@pytest.mark.parametrize("split_reduce", [False, True])
def test_argmax_tuple_reduction(split_reduce):
    rng = np.random.default_rng(26)
    m, n = 6, 29
    # Distinct values: the first maximum is the only one.
    a = rng.permutation(m * n).reshape(m, n).astype("float32") - 40.0
    A = te.placeholder((m, n), name="A")
    k = te.reduce_axis((0, n), name="k")
    argmax = _argmax_reducer()
    idx, val = te.compute((m,), lambda i: argmax((k.var, A[i, k]), axis=k), name="T")
    s = te.create_schedule(idx.op)
    if split_reduce:
        ko, ki = s[idx].split(s[idx].op.reduce_axis[0], factor=4)
    f = build(s, [A, idx, val])
    got_idx, got_val = run(f, [a], [((m,), "int32"), ((m,), "float32")])
    np.testing.assert_array_equal(got_idx, np.argmax(a, axis=1))
    np.testing.assert_array_equal(got_val, np.max(a, axis=1))


# ------------------------------------------------- non-divisible extents


@pytest.mark.parametrize("factors", [(4, 8), (5, 3), (16, 16)])
def test_tiles_that_do_not_divide_the_extents(factors):
    rng = np.random.default_rng(27)
    m, n = 13, 29
    a = rand((m, n), "float32", rng)
    b = rand((n,), "float32", rng)
    A = te.placeholder((m, n), name="A")
    B = te.placeholder((n,), name="B")
    C = te.compute((m, n), lambda i, j: A[i, j] * B[j] + tir.Cast("float32", i - j), name="C")
    s = te.create_schedule(C.op)
    io, jo, ii, ji = s[C].tile(C.op.axis[0], C.op.axis[1], *factors)
    s[C].vectorize(ji)
    got = build_run(s, [A, B, C], [a, b])
    i, j = np.meshgrid(np.arange(m), np.arange(n), indexing="ij")
    np.testing.assert_allclose(got, a * b + (i - j).astype("float32"), rtol=1e-6)


def test_matmul_with_non_divisible_splits():
    rng = np.random.default_rng(28)
    m, n, kk = 19, 23, 17
    a = rand((m, kk), "float32", rng)
    b = rand((kk, n), "float32", rng)
    A = te.placeholder((m, kk), name="A")
    B = te.placeholder((kk, n), name="B")
    k = te.reduce_axis((0, kk), name="k")
    C = te.compute((m, n), lambda i, j: te.sum(A[i, k] * B[k, j], axis=k), name="C")
    s = te.create_schedule(C.op)
    io, jo, ii, ji = s[C].tile(C.op.axis[0], C.op.axis[1], 8, 8)
    ko, ki = s[C].split(s[C].op.reduce_axis[0], factor=5)
    s[C].reorder(io, jo, ko, ii, ki, ji)
    s[C].vectorize(ji)
    got = build_run(s, [A, B, C], [a, b])
    np.testing.assert_allclose(got, a.astype("float64") @ b, rtol=1e-5, atol=1e-5)
