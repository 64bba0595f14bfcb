# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""LowerIntrin: math intrinsics per target; floor division to C division."""
import tvm
from tvm import tir
from tvm.tir import ForKind


def _run(func, target=None):
    if target is not None:
        func = func.with_attr("target", target)
    return tvm.tir.transform.LowerIntrin()(tvm.IRModule({"main": func}))["main"]


def _unary(fn):
    A = tir.decl_buffer((8,), name="A")
    B = tir.decl_buffer((8,), name="B")
    i = tir.Var("i", "int32")
    func = tir.PrimFunc([A, B], tir.For(i, 0, 8, ForKind.SERIAL, tir.BufferStore(B, fn(A[i]), [i])))
    return func, A, i


def _llvm_call(name, x):
    return tir.call_llvm_pure_intrin("float32", "llvm." + name, tir.const(1, "uint32"), x)


def test_sigmoid_becomes_exp_formula():
    func, A, i = _unary(tir.sigmoid)
    out = _run(func)
    one = tir.const(1.0, "float32")
    expected = one / (one + _llvm_call("exp", tir.const(0.0, "float32") - A[i]))
    tvm.ir.assert_structural_equal(out.body.body.value, expected)


def test_exp_becomes_llvm_intrinsic_and_libm_for_c():
    func, A, i = _unary(tir.exp)
    tvm.ir.assert_structural_equal(_run(func).body.body.value, _llvm_call("exp", A[i]))
    c_out = _run(func, "c")
    tvm.ir.assert_structural_equal(c_out.body.body.value, tir.call_pure_extern("float32", "expf", A[i]))


def test_tanh_has_no_tanh_call_left():
    func, A, i = _unary(tir.tanh)
    text = str(_run(func))
    assert "tanh" not in text
    assert "llvm.exp" in text


def test_erf_uses_libm():
    func, A, i = _unary(tir.erf)
    tvm.ir.assert_structural_equal(_run(func).body.body.value, tir.call_pure_extern("float32", "erff", A[i]))


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
