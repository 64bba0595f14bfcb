# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Elementwise TOPI operators against numpy, built for llvm with the generic schedule."""
import numpy as np
import pytest

import tvm
from tvm import te, topi


def run(outs, inputs, arrays, out_dtypes=None):
    outs = outs if isinstance(outs, list) else [outs]
    with tvm.target.Target("llvm"):
        s = topi.generic.schedule_injective(outs)
    f = tvm.build(s, inputs + outs, "llvm")
    nd_out = [tvm.nd.array(np.zeros([int(d) for d in o.shape], dtype=o.dtype)) for o in outs]
    f(*[tvm.nd.array(a) for a in arrays], *nd_out)
    return [o.numpy() for o in nd_out]


UNARY = [
    ("exp", np.exp, -5, 5), ("log", np.log, 0.1, 10), ("log2", np.log2, 0.1, 10),
    ("log10", np.log10, 0.1, 10), ("sqrt", np.sqrt, 0, 10), ("rsqrt", lambda x: 1 / np.sqrt(x), 0.1, 10),
    ("sigmoid", lambda x: 1 / (1 + np.exp(-x)), -5, 5), ("tanh", np.tanh, -5, 5),
    ("negative", np.negative, -5, 5), ("abs", np.abs, -5, 5), ("floor", np.floor, -5, 5),
    ("ceil", np.ceil, -5, 5), ("trunc", np.trunc, -5, 5), ("sign", np.sign, -5, 5),
    ("sin", np.sin, -3, 3), ("cos", np.cos, -3, 3), ("tan", np.tan, -1, 1), ("sinh", np.sinh, -2, 2),
    ("cosh", np.cosh, -2, 2), ("asin", np.arcsin, -0.9, 0.9), ("acos", np.arccos, -0.9, 0.9),
    ("atan", np.arctan, -3, 3), ("asinh", np.arcsinh, -3, 3), ("acosh", np.arccosh, 1.1, 5),
    ("atanh", np.arctanh, -0.9, 0.9), ("identity", lambda x: x, -3, 3),
]


@pytest.mark.parametrize("name,ref,lo,hi", UNARY, ids=[u[0] for u in UNARY])
@pytest.mark.parametrize("shape", [(17,), (3, 4, 8)])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_unary_float(name, ref, lo, hi, shape, dtype):
    a = np.random.uniform(lo, hi, size=shape).astype(dtype)
    A = te.placeholder(shape, dtype, name="A")
    B = getattr(topi, name)(A)
    assert B.op.tag == "elemwise" and B.dtype == dtype
    (out,) = run(B, [A], [a])
    np.testing.assert_allclose(out, ref(a), rtol=1e-5, atol=1e-6)


def test_erf():
    from math import erf

    a = np.random.uniform(-3, 3, size=(64,)).astype("float32")
    A = te.placeholder(a.shape, name="A")
    (out,) = run(topi.erf(A), [A], [a])
    np.testing.assert_allclose(out, np.vectorize(erf)(a), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name,ref,lo,hi,tol", [
    ("fast_exp", np.exp, -88, 88, 1e-5),
    ("fast_tanh", np.tanh, -10, 10, 1e-5),
    ("fast_erf", np.vectorize(__import__("math").erf), -6, 6, 5e-7),
])
def test_fast_math(name, ref, lo, hi, tol):
    a = np.concatenate([np.random.uniform(lo, hi, 4000), np.linspace(-0.1, 0.1, 96)]).astype("float32")
    A = te.placeholder(a.shape, name="A")
    (out,) = run(getattr(topi, name)(A), [A], [a])
    np.testing.assert_allclose(out, ref(a.astype("float64")), rtol=tol, atol=tol)


def test_fast_exp_underflow_and_float16():
    a = np.array([-100, -88, 0, 1, 88.3], "float32")
    A = te.placeholder(a.shape, name="A")
    (out,) = run(topi.fast_exp(A), [A], [a])
    assert out[0] == 0
    # Below float32's normal range the result is flushed to 0.
    np.testing.assert_allclose(out[1:], np.exp(a[1:]), rtol=1e-5, atol=1e-37)
    h = np.random.uniform(-3, 3, 16).astype("float16")
    H = te.placeholder(h.shape, "float16", name="H")
    (out,) = run(topi.fast_exp(H), [H], [h])
    np.testing.assert_allclose(out, np.exp(h.astype("float32")).astype("float16"), rtol=2e-3)


@pytest.mark.parametrize("dtype", ["int8", "int32", "int64", "uint8"])
def test_integer_unary(dtype):
    a = np.random.randint(0 if dtype.startswith("u") else -50, 50, size=(5, 7)).astype(dtype)
    A = te.placeholder(a.shape, dtype, name="A")
    outs = [topi.abs(A), topi.negative(A), topi.bitwise_not(A), topi.sign(A), topi.floor(A), topi.identity(A)]
    res = run(outs, [A], [a])
    np.testing.assert_array_equal(res[0], np.abs(a))
    np.testing.assert_array_equal(res[1], np.negative(a))
    np.testing.assert_array_equal(res[2], np.invert(a))
    np.testing.assert_array_equal(res[3], np.sign(a))
    np.testing.assert_array_equal(res[4], a)
    np.testing.assert_array_equal(res[5], a)


def test_isnan_isinf_isfinite_logical_not():
    a = np.array([1.0, np.nan, np.inf, -np.inf, 0.0, -2.5], "float32")
    A = te.placeholder(a.shape, name="A")
    res = run([topi.isnan(A), topi.isinf(A), topi.isfinite(A), topi.logical_not(A)], [A], [a])
    np.testing.assert_array_equal(res[0], np.isnan(a))
    np.testing.assert_array_equal(res[1], np.isinf(a))
    np.testing.assert_array_equal(res[2], np.isfinite(a))
    np.testing.assert_array_equal(res[3], np.logical_not(a))
    assert all(r.dtype == np.bool_ for r in res)


@pytest.mark.parametrize("dtype", ["float32", "int32", "int8"])
def test_clip(dtype):
    a = np.random.uniform(-100, 100, size=(4, 9)).astype(dtype)
    A = te.placeholder(a.shape, dtype, name="A")
    (out,) = run(topi.clip(A, -20, 30), [A], [a])
    np.testing.assert_array_equal(out, np.clip(a, -20, 30))


def test_clip_bad_bounds():
    A = te.placeholder((4,), "int32", name="A")
    with pytest.raises(ValueError, match="clip.*a_min 5 is greater than a_max 1"):
        topi.clip(A, 5, 1)


@pytest.mark.parametrize("src,dst", [("float32", "int32"), ("int32", "float64"), ("float32", "bool"),
                                     ("int64", "int8"), ("float64", "float16")])
def test_cast(src, dst):
    a = np.random.uniform(-50, 50, size=(3, 5)).astype(src)
    a[0, 0] = 0
    A = te.placeholder(a.shape, src, name="A")
    B = topi.cast(A, dst)
    assert B.dtype == dst
    (out,) = run(B, [A], [a])
    np.testing.assert_array_equal(out, a.astype(dst))
    assert isinstance(topi.cast(te.var("x"), "float32"), tvm.tir.PrimExpr)


def test_reinterpret():
    a = np.random.uniform(-5, 5, 8).astype("float32")
    A = te.placeholder(a.shape, name="A")
    (out,) = run(topi.reinterpret(A, "int32"), [A], [a])
    np.testing.assert_array_equal(out, a.view("int32"))
    with pytest.raises(ValueError, match="reinterpret.*element sizes differ"):
        topi.reinterpret(A, "int64")


def test_full_and_likes():
    A = te.placeholder((2, 3), "int32", name="A")
    a = np.ones((2, 3), "int32")
    res = run([topi.full_like(A, 7), topi.zeros_like(A), topi.ones_like(A)], [A], [a])
    np.testing.assert_array_equal(res[0], np.full((2, 3), 7))
    np.testing.assert_array_equal(res[1], np.zeros((2, 3)))
    np.testing.assert_array_equal(res[2], np.ones((2, 3)))
    F = topi.full((4, 2), "float32", 2.5)
    with tvm.target.Target("llvm"):
        s = topi.generic.schedule_injective(F)
    f = tvm.build(s, [F], "llvm")
    out = tvm.nd.array(np.zeros((4, 2), "float32"))
    f(out)
    np.testing.assert_array_equal(out.numpy(), np.full((4, 2), 2.5))


def test_elemwise_sum():
    arrays = [np.random.rand(3, 4).astype("float32") for _ in range(3)]
    ts = [te.placeholder((3, 4), name=f"A{i}") for i in range(3)]
    (out,) = run(topi.elemwise_sum(ts), ts, arrays)
    np.testing.assert_allclose(out, sum(arrays), rtol=1e-6)


def test_math_on_integers_and_type_errors():
    # Integer inputs are computed in floating point and converted back.
    a = np.array([0, 1, 4, 9, 100], "int32")
    A = te.placeholder(a.shape, "int32", name="ints")
    (out,) = run(topi.sqrt(A), [A], [a])
    np.testing.assert_array_equal(out, np.sqrt(a).astype("int32"))
    with pytest.raises(TypeError, match="fast_exp.*ints.*int32"):
        topi.fast_exp(A)
    with pytest.raises(TypeError, match="bitwise_not.*float32"):
        topi.bitwise_not(te.placeholder((4,), name="f"))


def loops(s, args):
    mod = tvm.lower(s, args)
    found = []
    tvm.tir.stmt_functor.post_order_visit(
        mod["main"].body, lambda n: found.append(n) if isinstance(n, tvm.tir.For) else None)
    return [(int(f.extent), int(f.kind)) for f in found]


def test_schedule_injective_structure():
    # Producers inlined, axes fused, 8 float32 lanes vectorised (the vector loop is
    # gone after lowering), the outer loop parallel (kind 1).
    A = te.placeholder((64, 128), name="A")
    B = topi.exp(topi.add(A, 1.0))
    with tvm.target.Target("llvm"):
        s = topi.generic.schedule_injective(B)
    assert loops(s, [A, B]) == [(1024, 1)]
    # Small outputs stay serial; extents that do not divide are not vectorised.
    C = topi.negative(te.placeholder((5, 7), name="C"))
    with tvm.target.Target("llvm"):
        s = topi.generic.schedule_injective(C)
    assert loops(s, [C.op.input_tensors[0], C]) == [(35, 0)]
    # int8: 16 lanes (256 bits would be 32, capped at 16).
    D = topi.negative(te.placeholder((4096,), "int8", name="D"))
    with tvm.target.Target("llvm"):
        s = topi.generic.schedule_injective(D)
    assert loops(s, [D.op.input_tensors[0], D]) == [(256, 1)]


def test_schedule_reduce_structure():
    A = te.placeholder((64, 128), name="A")
    B = topi.sum(topi.exp(A), axis=1)
    with tvm.target.Target("llvm"):
        s = topi.generic.schedule_reduce(B)
    # The spatial loop (64 < the parallel threshold: serial) with the reduction inside.
    assert loops(s, [A, B]) == [(128, 0), (64, 0)]
    with pytest.raises(ValueError, match="schedule_injective: output T_sum.*use schedule_reduce"):
        with tvm.target.Target("llvm"):
            topi.generic.schedule_injective(B)


@pytest.mark.parametrize("name,ref", [("exp", np.exp), ("sqrt", np.sqrt), ("tanh", np.tanh), ("log", np.log),
                                      ("sigmoid", lambda x: 1 / (1 + np.exp(-x))), ("abs", np.abs)])
def test_unary_float16(name, ref):
    a = np.random.uniform(0.1, 2, size=(64,)).astype("float16")
    A = te.placeholder(a.shape, "float16", name="A")
    (out,) = run(getattr(topi, name)(A), [A], [a])
    assert out.dtype == np.float16
    np.testing.assert_allclose(out.astype("float32"), ref(a.astype("float32")), rtol=2e-3, atol=2e-3)
