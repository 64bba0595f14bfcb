# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""VectorizeLoop: Ramp/Broadcast vectors, serial fallback, errors."""
import pytest

import tvm
from tvm import tir
from tvm.tir import ForKind


def _run(func, enable=True):
    return tvm.tir.transform.VectorizeLoop(enable)(tvm.IRModule({"main": func}))["main"]


def _f32(v):
    return tir.const(v, "float32")


def test_elementwise_becomes_vector_store():
    A = tir.decl_buffer((16,), name="A")
    B = tir.decl_buffer((16,), name="B")
    i = tir.Var("i", "int32")
    loop = tir.For(i, 0, 4, ForKind.VECTORIZED, tir.BufferStore(B, A[i] + _f32(1.0), [i]))
    out = _run(tir.PrimFunc([A, B], loop))
    ramp = tir.Ramp(0, 1, 4)
    expected = tir.BufferStore(B, tir.BufferLoad(A, [ramp]) + tir.Broadcast(_f32(1.0), 4), [ramp])
    tvm.ir.assert_structural_equal(out.body, expected)
    assert out.body.value.dtype == "float32x4"


def test_ramp_arithmetic_keeps_ramp_form():
    A = tir.decl_buffer((64,), name="A")
    B = tir.decl_buffer((64,), name="B")
    j, i = tir.Var("j", "int32"), tir.Var("i", "int32")
    inner = tir.For(i, 0, 4, ForKind.VECTORIZED, tir.BufferStore(B, A[i * 2 + j * 8], [j * 4 + i]))
    out = _run(tir.PrimFunc([A, B], tir.For(j, 0, 8, ForKind.SERIAL, inner)))
    expected = tir.For(
        j,
        0,
        8,
        ForKind.SERIAL,
        tir.BufferStore(B, tir.BufferLoad(A, [tir.Ramp(j * 8, 2, 4)]), [tir.Ramp(j * 4, 1, 4)]),
    )
    tvm.ir.assert_structural_equal(out.body, expected)


def test_math_intrinsic_and_select_vectorize():
    A = tir.decl_buffer((8,), name="A")
    B = tir.decl_buffer((8,), name="B")
    i = tir.Var("i", "int32")
    value = tir.Select(i < 2, tir.exp(A[i]), _f32(0.0))
    out = _run(tir.PrimFunc([A, B], tir.For(i, 0, 8, ForKind.VECTORIZED, tir.BufferStore(B, value, [i]))))
    assert out.body.value.dtype == "float32x8"
    assert isinstance(out.body.value, tir.Select)
    assert out.body.value.true_value.dtype == "float32x8"


def test_condition_on_loop_var_falls_back_to_serial_loop():
    A = tir.decl_buffer((8,), name="A")
    i = tir.Var("i", "int32")
    body = tir.IfThenElse(i < 5, tir.BufferStore(A, _f32(1.0), [i]), None)
    out = _run(tir.PrimFunc([A], tir.For(i, 0, 8, ForKind.VECTORIZED, body)))
    tvm.ir.assert_structural_equal(out.body, tir.For(i, 0, 8, ForKind.SERIAL, body))


def test_reduction_into_scalar_location_stays_serial():
    A = tir.decl_buffer((8,), name="A")
    C = tir.decl_buffer((1,), name="C")
    k = tir.Var("k", "int32")
    body = tir.BufferStore(C, C[0] + A[k], [0])
    out = _run(tir.PrimFunc([A, C], tir.For(k, 0, 8, ForKind.VECTORIZED, body)))
    tvm.ir.assert_structural_equal(out.body, tir.For(k, 0, 8, ForKind.SERIAL, body))


def test_invariant_condition_is_kept_and_body_vectorized():
    A = tir.decl_buffer((8,), name="A")
    n = tir.Var("n", "int32")
    i = tir.Var("i", "int32")
    body = tir.IfThenElse(n > 0, tir.BufferStore(A, _f32(1.0), [i]), None)
    out = _run(tir.PrimFunc([A, n], tir.For(i, 0, 8, ForKind.VECTORIZED, body)))
    ramp = tir.Ramp(0, 1, 8)
    expected = tir.IfThenElse(n > 0, tir.BufferStore(A, tir.Broadcast(_f32(1.0), 8), [ramp]), None)
    tvm.ir.assert_structural_equal(out.body, expected)


def test_non_constant_extent_is_an_error_naming_the_loop():
    A = tir.decl_buffer((64,), name="A")
    n = tir.Var("n", "int32")
    i = tir.Var("x_inner", "int32")
    loop = tir.For(i, 0, n, ForKind.VECTORIZED, tir.BufferStore(A, _f32(1.0), [i]))
    with pytest.raises(tvm.error.TVMError, match="cannot vectorize loop 'x_inner'"):
        _run(tir.PrimFunc([A, n], loop))


def test_disabled_vectorize_gives_serial_loops():
    A = tir.decl_buffer((16,), name="A")
    i = tir.Var("i", "int32")
    body = tir.BufferStore(A, _f32(1.0), [i])
    out = _run(tir.PrimFunc([A], tir.For(i, 0, 4, ForKind.VECTORIZED, body)), enable=False)
    tvm.ir.assert_structural_equal(out.body, tir.For(i, 0, 4, ForKind.SERIAL, body))


def test_guarded_load_with_lane_dependent_condition_stays_serial():
    # Padding: the load must not run for lanes where the guard fails.
    A = tir.decl_buffer((6,), name="A")
    B = tir.decl_buffer((8,), name="B")
    i = tir.Var("i", "int32")
    body = tir.BufferStore(B, tir.if_then_else(i < 6, A[i], _f32(0.0)), [i])
    out = _run(tir.PrimFunc([A, B], tir.For(i, 0, 8, ForKind.VECTORIZED, body)))
    tvm.ir.assert_structural_equal(out.body, tir.For(i, 0, 8, ForKind.SERIAL, body))


def test_invariant_guard_keeps_vector_branches():
    A = tir.decl_buffer((8,), name="A")
    B = tir.decl_buffer((8,), name="B")
    n = tir.Var("n", "int32")
    i = tir.Var("i", "int32")
    body = tir.BufferStore(B, tir.if_then_else(n > 0, A[i], _f32(0.0)), [i])
    out = _run(tir.PrimFunc([A, B, n], tir.For(i, 0, 8, ForKind.VECTORIZED, body)))
    assert out.body.value.dtype == "float32x8"
    assert out.body.value.args[0].dtype == "bool"


def test_reinterpret_is_vectorized_lane_by_lane():
    """Bit manipulation through reinterpret (as in hand-written exp) stays a vector operation."""
    from tvm import te

    A = te.placeholder((64,), "float32", name="A")
    B = te.compute((64,), lambda i: tvm.tir.reinterpret("int32", A[i]) + 1, name="B")
    s = te.create_schedule(B.op)
    _, xi = s[B].split(B.op.axis[0], factor=16)
    s[B].vectorize(xi)
    text = str(tvm.lower(s, [A, B]))
    assert "T.vectorized" not in text
    assert 'T.reinterpret("int32x16"' in text


def test_loop_over_vector_elements_becomes_one_wider_access():
    # A float32x4 element per iteration: iteration l's 4 lanes are lanes [4l, 4l + 4).
    A = tir.decl_buffer((16,), "float32x4", name="A")
    B = tir.decl_buffer((16,), "float32x4", name="B")
    i = tir.Var("i", "int32")
    body = tir.BufferStore(B, A[i] * tir.Broadcast(_f32(2.0), 4), [i])
    out = _run(tir.PrimFunc([A, B], tir.For(i, 0, 2, ForKind.VECTORIZED, body)))
    ramp = tir.Ramp(0, 1, 2)
    expected = tir.BufferStore(B, tir.BufferLoad(A, [ramp]) * tir.Broadcast(_f32(2.0), 8), [ramp])
    tvm.ir.assert_structural_equal(out.body, expected)
    assert out.body.value.dtype == "float32x8"


def test_inner_ramp_of_the_loop_var_joins_into_one_ramp():
    # Ramp(i*4, 1, 4) over i in [0, 3): three adjacent ramps, one of 12 lanes.
    A = tir.decl_buffer((64,), name="A")
    i = tir.Var("i", "int32")
    body = tir.BufferStore(A, tir.Broadcast(_f32(1.0), 4), [tir.Ramp(i * 4, 1, 4)])
    out = _run(tir.PrimFunc([A], tir.For(i, 0, 3, ForKind.VECTORIZED, body)))
    expected = tir.BufferStore(A, tir.Broadcast(_f32(1.0), 12), [tir.Ramp(0, 1, 12)])
    tvm.ir.assert_structural_equal(out.body, expected)


def test_invariant_vector_and_lane_varying_broadcast_are_laid_out_per_iteration():
    # B[i] = A[0] + Broadcast(i, 2) as float32x2: A[0] repeats once per iteration,
    # the broadcast of i gives each iteration its own pair of lanes.
    A = tir.decl_buffer((4,), "float32x2", name="A")
    B = tir.decl_buffer((4,), "float32x2", name="B")
    i = tir.Var("i", "int32")
    value = A[0] + tir.Broadcast(tir.Cast("float32", i), 2)
    out = _run(tir.PrimFunc([A, B], tir.For(i, 0, 3, ForKind.VECTORIZED, tir.BufferStore(B, value, [i]))))
    a0 = tir.BufferLoad(A, [tir.IntImm("int32", 0)])
    lanes = tir.Cast("float32x3", tir.Ramp(0, 1, 3))
    expected_value = tir.Shuffle([a0, a0, a0], list(range(6))) + tir.Shuffle([lanes], [0, 0, 1, 1, 2, 2])
    tvm.ir.assert_structural_equal(out.body, tir.BufferStore(B, expected_value, [tir.Ramp(0, 1, 3)]))


def test_store_of_a_lane_varying_vector_to_one_element_stays_serial():
    A = tir.decl_buffer((4,), "float32x2", name="A")
    i = tir.Var("i", "int32")
    body = tir.BufferStore(A, tir.Broadcast(tir.Cast("float32", i), 2), [tir.IntImm("int32", 0)])
    out = _run(tir.PrimFunc([A], tir.For(i, 0, 4, ForKind.VECTORIZED, body)))
    assert isinstance(out.body, tir.For) and out.body.kind == ForKind.SERIAL


def test_only_the_lane_dependent_if_runs_serially():
    A = tir.decl_buffer((8,), name="A")
    B = tir.decl_buffer((8,), name="B")
    i = tir.Var("i", "int32")
    guarded = tir.IfThenElse(i < 5, tir.BufferStore(A, _f32(1.0), [i]), None)
    body = tir.SeqStmt([tir.BufferStore(B, _f32(2.0), [i]), guarded])
    out = _run(tir.PrimFunc([A, B], tir.For(i, 0, 8, ForKind.VECTORIZED, body)))
    ramp = tir.Ramp(tir.const(0, "int32"), tir.const(1, "int32"), 8)
    expected = tir.SeqStmt([tir.BufferStore(B, tir.Broadcast(_f32(2.0), 8), [ramp]),
                            tir.For(i, 0, 8, ForKind.SERIAL, guarded)])
    tvm.ir.assert_structural_equal(out.body, expected)
    assert out.body[1].loop_var.name_hint == "i.s"


def test_while_loop_in_vectorized_loop_is_an_error():
    A = tir.decl_buffer((8,), name="A")
    i = tir.Var("i", "int32")
    body = tir.While(A[0] < _f32(1.0), tir.BufferStore(A, _f32(1.0), [i]))
    with pytest.raises(ValueError, match="A while loop inside a vectorized loop not supported"):
        _run(tir.PrimFunc([A], tir.For(i, 0, 8, ForKind.VECTORIZED, body)))
