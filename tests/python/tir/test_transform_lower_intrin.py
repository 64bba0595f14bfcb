# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""LowerIntrin: math intrinsics per target; floor division to C division."""
import math

import numpy as np

import tvm
from tvm import te
from tvm import tir
from tvm.tir import ForKind


def _run(func, target=None):
    if target is not None:
        func = func.with_attr("target", target)
    return tvm.tir.transform.LowerIntrin()(tvm.IRModule({"main": func}))["main"]


def _unary(fn, dtype="float32"):
    A = tir.decl_buffer((8,), dtype, name="A")
    B = tir.decl_buffer((8,), dtype, name="B")
    i = tir.Var("i", "int32")
    func = tir.PrimFunc([A, B], tir.For(i, 0, 8, ForKind.SERIAL, tir.BufferStore(B, fn(A[i]), [i])))
    return func, A, i


def _llvm_call(name, x, dtype="float32"):
    return tir.call_llvm_pure_intrin(dtype, "llvm." + name, tir.const(1, "uint32"), x)


def _calls(func):
    names = set()

    def visit(node):
        if isinstance(node, tir.Call):
            names.add(node.op.name)
            if node.op.name in ("tir.call_llvm_pure_intrin", "tir.call_pure_extern"):
                names.add(str(node.args[0].value))

    tvm.get_global_func("tir.PostOrderVisit")(func.body, visit)
    return names


def test_sigmoid_becomes_exp_formula():
    # float64 keeps LLVM's exp; float32 gets the fast expansion (test_llvm_fast_math.py).
    func, A, i = _unary(tir.sigmoid, "float64")
    out = _run(func)
    one = tir.const(1.0, "float64")
    expected = one / (one + _llvm_call("exp", tir.const(0.0, "float64") - A[i], "float64"))
    tvm.ir.assert_structural_equal(out.body.body.value, expected)


def test_exp_becomes_llvm_intrinsic_and_libm_for_c():
    func, A, i = _unary(tir.exp, "float64")
    tvm.ir.assert_structural_equal(_run(func).body.body.value, _llvm_call("exp", A[i], "float64"))
    func32, A32, i32 = _unary(tir.exp)
    c_out = _run(func32, "c")
    tvm.ir.assert_structural_equal(c_out.body.body.value, tir.call_pure_extern("float32", "expf", A32[i32]))


def test_float32_exp_on_llvm_is_expanded_without_calls():
    func, A, i = _unary(tir.exp)
    calls = _calls(_run(func))
    assert "tir.exp" not in calls and "llvm.exp" not in calls and "expf" not in calls


def test_tanh_has_no_tanh_call_left():
    func, A, i = _unary(tir.tanh, "float64")
    text = str(_run(func))
    assert "tanh" not in text
    assert "llvm.exp" in text
    calls32 = _calls(_run(_unary(tir.tanh)[0]))
    assert "tir.tanh" not in calls32 and "llvm.exp" not in calls32


def test_erf_uses_libm():
    func, A, i = _unary(tir.erf)
    c_out = _run(func, "c")
    tvm.ir.assert_structural_equal(c_out.body.body.value, tir.call_pure_extern("float32", "erff", A[i]))
    assert "tir.erf" not in _calls(_run(func))  # llvm: expanded


def test_floordiv_of_non_negative_index_becomes_div():
    A = tir.decl_buffer((64,), "int32", name="A")
    i = tir.Var("i", "int32")
    func = tir.PrimFunc([A], tir.For(i, 0, 64, ForKind.SERIAL, tir.BufferStore(A, tir.floordiv(i, 4) + tir.floormod(i, 4), [i])))
    out = _run(func)
    tvm.ir.assert_structural_equal(out.body.body.value, tir.Div(i, 4) + tir.Mod(i, 4))


def test_floordiv_of_signed_value_is_exact():
    x = tir.Var("x", "int32")
    A = tir.decl_buffer((1,), "int32", name="A")
    out = _run(tir.PrimFunc([A, x], tir.BufferStore(A, tir.floordiv(x, 4), [0])))
    assert isinstance(out.body.value, tir.Select)


def _nested_transcendental_lib(depth):
    """erf(tanh(erf(tanh(...(exp(A)))))) of `depth` levels, vectorised, for this CPU."""
    A = te.placeholder((64,), name="A")

    def body(i):
        v = te.exp(A[i] * 0.1)
        for level in range(depth):
            v = te.erf(v) if level % 2 else te.tanh(v)
        return v

    B = te.compute((64,), body, name="B")
    s = te.create_schedule(B.op)
    s[B].vectorize(s[B].op.axis[0])
    return A, tvm.build(s, [A, B], "llvm")


def test_nested_fast_expansions_grow_linearly():
    # Each expansion reads its argument many times; nested ones used to multiply into an
    # expression tree exponential in the depth (erf of tanh of a softmax ran out of memory).
    sizes = {}
    for depth in (2, 4, 6):
        A, lib = _nested_transcendental_lib(depth)
        sizes[depth] = len(lib.get_source("ll"))
    assert sizes[6] - sizes[4] < 1.5 * (sizes[4] - sizes[2]) + 4096, sizes
    A, lib = _nested_transcendental_lib(6)
    a = np.linspace(-3, 3, 64).astype("float32")
    b = tvm.nd.empty((64,))
    lib(tvm.nd.array(a), b)
    want = np.exp(a.astype("float64") * 0.1)
    for level in range(6):
        want = np.vectorize(math.erf)(want) if level % 2 else np.tanh(want)
    np.testing.assert_allclose(b.numpy(), want, rtol=2e-6, atol=2e-6)
