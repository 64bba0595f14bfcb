# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""float16 and bfloat16 conversions, bit for bit, on every path the CPU code generator has.

For the generic x86-64 target ("llvm": SSE2, no F16C) LLVM converts through
library calls (__extendhfsf2, __truncsfhf2, __truncsfbf2, ...) that each
module defines for itself; for "llvm -mcpu=native" the hardware converts.
Both must agree with numpy's correctly rounded conversions (round to nearest
even, subnormals, overflow to infinity, NaN stays NaN) on every float16 and
on the float32 values where rounding is hardest.
"""
import numpy as np
import pytest

import tvm
from tvm import te

TARGETS = ["llvm", "llvm -mcpu=native"]

# numpy warns when its reference conversions overflow to infinity or meet NaN; that is the point here.
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")


def _convert(values, src, dst, target, storage=None):
    """Run B = A.astype(dst) for the numpy array `values` (of dtype `src`, or its bits for bfloat16)."""
    n = values.size
    A = te.placeholder((n,), src, name="A")
    B = te.compute((n,), lambda i: A[i].astype(dst), name="B")
    s = te.create_schedule(B.op)
    xo, xi = s[B].split(B.op.axis[0], factor=16)
    s[B].vectorize(xi)
    f = tvm.build(s, [A, B], target, name="convert")
    a = tvm.nd.array(values, dtype=src) if src == "bfloat16" else tvm.nd.array(values)
    b = tvm.nd.empty((n,), dst)
    f(a, b)
    return b.numpy()


def _all_half_bits():
    return np.arange(1 << 16, dtype="uint32").astype("uint16")


def _hard_float32_values():
    """float32 values around every float16 rounding boundary, plus random bit patterns."""
    halves = _all_half_bits().view("float16")
    finite = halves[np.isfinite(halves)].astype("float32")
    finite = np.unique(finite)
    mids = (finite[:-1].astype("float64") + finite[1:].astype("float64")) / 2  # exact halfway points
    mids32 = mids.astype("float32")
    bits = mids32.view("uint32")
    near = np.concatenate([bits, bits - 1, bits + 1]).view("float32")
    rng = np.random.default_rng(0)
    random_bits = rng.integers(0, 1 << 32, 20000, dtype="uint64").astype("uint32").view("float32")
    special = np.array([0.0, -0.0, 65504.0, 65519.996, 65520.0, -65520.0, 1e10, -1e10, np.inf, -np.inf,
                        2.0 ** -24, 2.0 ** -25, 2.0 ** -25 * 1.0001, 2.0 ** -26, 2.0 ** -14, 1e-40, -1e-45],
                       dtype="float32")
    values = np.concatenate([finite, mids32, near, random_bits, special]).astype("float32")
    pad = (-values.size) % 16
    return np.concatenate([values, np.zeros(pad, dtype="float32")])


def _same_bits(got, expected):
    """Equal bit patterns, except that any NaN matches any NaN."""
    got_nan = np.isnan(got.astype("float32"))
    exp_nan = np.isnan(expected.astype("float32"))
    np.testing.assert_array_equal(got_nan, exp_nan)
    width = {2: "uint16", 4: "uint32", 8: "uint64"}[got.dtype.itemsize]
    np.testing.assert_array_equal(got[~got_nan].view(width), expected[~exp_nan].view(width))


@pytest.mark.parametrize("target", TARGETS)
def test_every_float16_to_float32(target):
    halves = _all_half_bits().view("float16")
    got = _convert(halves, "float16", "float32", target)
    _same_bits(got, halves.astype("float32"))


@pytest.mark.parametrize("target", TARGETS)
def test_every_float16_to_float64(target):
    halves = _all_half_bits().view("float16")
    got = _convert(halves, "float16", "float64", target)
    _same_bits(got, halves.astype("float64"))


@pytest.mark.parametrize("target", TARGETS)
def test_float32_to_float16_rounding(target):
    values = _hard_float32_values()
    got = _convert(values, "float32", "float16", target)
    _same_bits(got, values.astype("float16"))


@pytest.mark.parametrize("target", TARGETS)
def test_float64_to_float16_rounding(target):
    values32 = _hard_float32_values().astype("float64")
    rng = np.random.default_rng(1)
    # Doubles just beside the float16 halfway points: rounding through float32 first would get these wrong.
    halves = np.unique(_all_half_bits().view("float16")[np.isfinite(_all_half_bits().view("float16"))])
    mids = (halves[:-1].astype("float64") + halves[1:].astype("float64")) / 2
    nudged = np.concatenate([np.nextafter(mids, np.inf), np.nextafter(mids, -np.inf)])
    values = np.concatenate([values32, nudged, rng.normal(0, 1000, 4000)])
    values = np.concatenate([values, np.zeros((-values.size) % 16)])
    got = _convert(values, "float64", "float16", target)
    _same_bits(got, values.astype("float16"))


def _bf16_reference_from_float32(x):
    """float32 -> bfloat16 bits, round to nearest even; NaN -> a quiet NaN."""
    bits = x.view("uint32").astype("uint64")
    rounded = ((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16).astype("uint16")
    return np.where(np.isnan(x), np.uint16(0x7FC0), rounded).astype("uint16")


@pytest.mark.parametrize("target", TARGETS)
def test_float32_to_bfloat16_rounding(target):
    rng = np.random.default_rng(2)
    random_bits = rng.integers(0, 1 << 32, 40000, dtype="uint64").astype("uint32")
    # Exact ties (low half 0x8000) with both parities, and values beside them.
    ties = (rng.integers(0, 1 << 16, 2000, dtype="uint64").astype("uint32") << 16) | 0x8000
    special = np.array([0x00000000, 0x80000000, 0x7F7FFFFF, 0x7F7F8000, 0x7F800000, 0xFF800000, 0x00000001,
                        0x00008000, 0x00018000, 0x007FFFFF, 0x00800000], dtype="uint32")
    bits = np.concatenate([random_bits, ties, ties - 1, ties + 1, special]).astype("uint32")
    bits = np.concatenate([bits, np.zeros((-bits.size) % 16, dtype="uint32")])
    values = bits.view("float32")
    got = _convert(values, "float32", "bfloat16", target).view("uint16")
    expected = _bf16_reference_from_float32(values)
    nan = np.isnan(values)
    np.testing.assert_array_equal((got[nan] & 0x7F80) == 0x7F80, True)
    np.testing.assert_array_equal((got[nan] & 0x7F) != 0, True)
    # AVX512-BF16's vcvtneps2bf16 treats subnormal inputs as zero; the soft-float path rounds them.
    subnormal = (np.abs(values) < np.finfo("float32").tiny) & (values != 0)
    flushed = subnormal & (got == (bits >> 16).astype("uint16") & 0x8000)
    check = ~nan & ~flushed
    if target == "llvm":
        assert not flushed.any() or (expected[flushed] == got[flushed]).all()
    np.testing.assert_array_equal(got[check], expected[check])


@pytest.mark.parametrize("target", TARGETS)
def test_every_bfloat16_to_float32(target):
    bits = _all_half_bits()
    got = _convert(bits, "bfloat16", "float32", target)
    expected = (bits.astype("uint32") << 16).view("float32")
    _same_bits(got, expected)


@pytest.mark.parametrize("target", TARGETS)
def test_float64_to_bfloat16(target):
    """Doubles beside bfloat16 ties round by their full value, not by a float32 rounded first."""
    rng = np.random.default_rng(3)
    hi = rng.integers(0x0080, 0x7F00, 3000).astype("uint64")  # normal bfloat16 magnitudes
    tie = ((hi << 16) | 0x8000).astype("uint32").view("float32").astype("float64")
    values = np.concatenate([np.nextafter(tie, np.inf), np.nextafter(tie, -np.inf), tie, -tie])
    values = np.concatenate([values, np.zeros((-values.size) % 16)])
    got = _convert(values, "float64", "bfloat16", target).view("uint16")
    # Reference: the two bfloat16 neighbours of each value, and the nearer one (ties to even).
    lower = (np.abs(values).astype("float32").view("uint32") >> 16).astype("uint64")
    lo = (lower << 16).astype("uint32").view("float32").astype("float64")
    lo_bits = np.where(lo > np.abs(values), lower - 1, lower)
    lo = (lo_bits << 16).astype("uint32").view("float32").astype("float64")
    hi_v = ((lo_bits + 1) << 16).astype("uint32").view("float32").astype("float64")
    a = np.abs(values)
    pick_hi = (hi_v - a < a - lo) | ((hi_v - a == a - lo) & (lo_bits % 2 == 1))
    expected = np.where(pick_hi, lo_bits + 1, lo_bits).astype("uint16")
    expected = np.where(values < 0, expected | 0x8000, expected).astype("uint16")
    expected = np.where(values == 0, np.uint16(0), expected)
    np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("target", TARGETS)
def test_float16_bfloat16_cross_conversion(target):
    halves = _all_half_bits().view("float16")
    finite = halves[np.isfinite(halves)]
    finite = np.concatenate([finite, np.zeros((-finite.size) % 16, dtype="float16")])
    got = _convert(finite, "float16", "bfloat16", target).view("uint16")
    np.testing.assert_array_equal(got, _bf16_reference_from_float32(finite.astype("float32")))


@pytest.mark.parametrize("target", TARGETS)
def test_float16_arithmetic_rounds_like_numpy(target):
    rng = np.random.default_rng(4)
    n = 4096
    a = rng.normal(0, 100, n).astype("float16")
    b = rng.normal(0, 100, n).astype("float16")
    A = te.placeholder((n,), "float16", name="A")
    B = te.placeholder((n,), "float16", name="B")
    outs = [te.compute((n,), lambda i: A[i] + B[i], name="add"),
            te.compute((n,), lambda i: A[i] * B[i], name="mul"),
            te.compute((n,), lambda i: A[i] / B[i], name="div")]
    for out, ref in zip(outs, [a + b, a * b, a / b]):
        s = te.create_schedule(out.op)
        xo, xi = s[out].split(out.op.axis[0], factor=32)
        s[out].vectorize(xi)
        f = tvm.build(s, [A, B, out], target)
        c = tvm.nd.empty((n,), "float16")
        f(tvm.nd.array(a), tvm.nd.array(b), c)
        _same_bits(c.numpy(), ref)
