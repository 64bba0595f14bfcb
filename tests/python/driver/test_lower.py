# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""tvm.lower: the pipeline on PrimFunc, IRModule and te.Schedule inputs, and its options."""
import pytest

import tvm
from tvm import tir
from tvm.tir import ForKind


def _f32(v):
    return tir.const(v, "float32")


def _split_copy(n=1000, factor=32):
    """B[i] = A[i] + 1 over n elements, split by factor with a guard (as te does)."""
    A = tir.decl_buffer((n,), name="A")
    B = tir.decl_buffer((n,), name="B")
    io, ii = tir.Var("i_outer", "int32"), tir.Var("i_inner", "int32")
    index = io * factor + ii
    guarded = tir.IfThenElse(tir.likely(index < n), tir.BufferStore(B, A[index] + _f32(1.0), [index]), None)
    outer = (n + factor - 1) // factor
    return tir.PrimFunc([A, B], tir.For(io, 0, outer, ForKind.SERIAL, tir.For(ii, 0, factor, ForKind.SERIAL, guarded)))


def test_lower_primfunc_names_function_and_marks_noalias():
    mod = tvm.lower(_split_copy(1024), name="add_one")
    func = mod["add_one"]
    assert func.attrs["global_symbol"] == "add_one"
    assert bool(func.attrs["tir.noalias"])
    # A dividing split leaves no guard.
    assert "likely" not in str(mod)


def test_lower_keeps_guard_of_non_dividing_constant_split():
    mod = tvm.lower(_split_copy(1000))
    # LoopPartition drops the likely() hint once it has used it, as TVM's does.
    assert "if i_outer * 32 + i_inner < 1000:" in str(mod)


def test_partition_const_loop_config():
    with tvm.transform.PassContext(config={"tir.LoopPartition": {"partition_const_loop": True}}):
        mod = tvm.lower(_split_copy(1000))
    text = str(mod)
    assert "likely" not in text
    assert "for i_outer in range(31):" in text
    assert "for i_inner_1 in range(8):" in text
    assert "B_2[i_inner_1 + 992] = A_2[i_inner_1 + 992] + T.float32(1.0)" in text


def test_lower_module_input():
    mod = tvm.IRModule({"main": _split_copy(1024).with_attr("global_symbol", "main")})
    out = tvm.lower(mod)
    assert isinstance(out, tvm.IRModule)
    assert "likely" not in str(out)


def test_disable_vectorize_and_add_lower_pass():
    A = tir.decl_buffer((16,), name="A")
    i = tir.Var("i", "int32")
    func = tir.PrimFunc([A], tir.For(i, 0, 16, ForKind.VECTORIZED, tir.BufferStore(A, _f32(0.0), [i])))
    assert "T.Broadcast" in str(tvm.lower(func)) or "float32x16" in str(tvm.lower(func))
    seen = []

    @tvm.tir.transform.prim_func_pass(opt_level=0)
    def record(f, mod, ctx):
        seen.append(str(f))
        return f

    config = {"tir.disable_vectorize": True, "tir.add_lower_pass": [(3, record)]}
    with tvm.transform.PassContext(config=config):
        text = str(tvm.lower(func))
    assert "for i in range(16):" in text
    assert len(seen) == 1 and "for i in range(16):" in seen[0]


def test_bad_input_type():
    with pytest.raises(TypeError, match="te.Schedule, tir.PrimFunc or IRModule"):
        tvm.lower(42)


def test_pass_list_reads_top_to_bottom():
    names = [p.info.name for p in tvm.get_global_func("driver.lower_pass_list")(False)]
    assert names == [
        "tir.ApplyLayoutTransforms",
        "tir.StorageFlatten",
        "tir.Simplify",
        "tir.LoopPartition",
        "tir.VectorizeLoop",
        "tir.InjectVirtualThread",
        "tir.InjectDoubleBuffer",
        "tir.StorageRewrite",
        "tir.UnrollLoop",
        "tir.Simplify",
        "tir.RemoveNoOp",
    ]
    with tvm.transform.PassContext(config={"tir.instrument_bound_checkers": True, "tir.disable_storage_rewrite": True}):
        names = [p.info.name for p in tvm.get_global_func("driver.lower_pass_list")(True)]
    assert "tir.InstrumentBoundCheckers" in names
    assert "tir.StorageRewrite" not in names and "tir.LoopPartition" not in names


te = pytest.importorskip("tvm.te")
if not hasattr(te, "placeholder"):
    pytest.skip("tvm.te is not complete yet", allow_module_level=True)


def test_lower_schedule_end_to_end():
    n = 1024
    A = te.placeholder((n,), name="A")
    B = te.compute((n,), lambda i: A[i] * 2.0, name="B")
    s = te.create_schedule(B.op)
    xo, xi = s[B].split(B.op.axis[0], factor=4)
    s[B].vectorize(xi)
    mod = tvm.lower(s, [A, B], simple_mode=True)
    text = str(mod)
    assert "for i_outer in range(256):" in text
    assert "B_1[i_outer * 4:i_outer * 4 + 4] = A_1[i_outer * 4:i_outer * 4 + 4] * T.Broadcast(T.float32(2.0), 4)" in text


def test_lower_schedule_needs_args():
    A = te.placeholder((4,), name="A")
    B = te.compute((4,), lambda i: A[i], name="B")
    with pytest.raises(ValueError, match="needs args"):
        tvm.lower(te.create_schedule(B.op))
