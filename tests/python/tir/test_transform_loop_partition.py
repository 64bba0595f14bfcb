# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""LoopPartition: a main part without the likely() guard and a tail."""
import tvm
from tvm import tir
from tvm.tir import ForKind


def _lower(func, config=None):
    passes = [
        tvm.tir.transform.LoopPartition(),
        tvm.tir.transform.Simplify(),
        tvm.tir.transform.RemoveNoOp(),
    ]
    with tvm.transform.PassContext(config=config or {}):
        return tvm.transform.Sequential(passes)(tvm.IRModule({"main": func}))["main"]


def _guarded_copy(extent, outer):
    A = tir.decl_buffer((1024,), name="A")
    B = tir.decl_buffer((1024,), name="B")
    io, ii = tir.Var("i_outer", "int32"), tir.Var("i_inner", "int32")
    index = io * 32 + ii
    guarded = tir.IfThenElse(tir.likely(index < extent), tir.BufferStore(B, A[index], [index]), None)
    loop = tir.For(io, 0, outer, ForKind.SERIAL, tir.For(ii, 0, 32, ForKind.SERIAL, guarded))
    return A, B, io, ii, loop


def test_constant_loop_is_kept_by_default():
    A, B, io, ii, loop = _guarded_copy(1000, 32)
    out = _lower(tir.PrimFunc([A, B], loop))
    tvm.ir.assert_structural_equal(out.body, loop)


def test_partition_const_loop_gives_main_part_and_tail():
    A, B, io, ii, loop = _guarded_copy(1000, 32)
    out = _lower(tir.PrimFunc([A, B], loop), {"tir.LoopPartition": {"partition_const_loop": True}})
    index = io * 32 + ii
    main = tir.For(io, 0, 31, ForKind.SERIAL, tir.For(ii, 0, 32, ForKind.SERIAL, tir.BufferStore(B, A[index], [index])))
    tail = tir.For(ii, 0, 8, ForKind.SERIAL, tir.BufferStore(B, A[ii + 992], [ii + 992]))
    tvm.ir.assert_structural_equal(out.body, tir.SeqStmt([main, tail]))


def test_symbolic_extent_is_partitioned():
    A = tir.decl_buffer((1024,), name="A")
    B = tir.decl_buffer((1024,), name="B")
    n = tir.SizeVar("n", "int32")
    io, ii = tir.Var("i_outer", "int32"), tir.Var("i_inner", "int32")
    index = io * 32 + ii
    guarded = tir.IfThenElse(tir.likely(index < n), tir.BufferStore(B, A[index], [index]), None)
    outer = tir.For(io, 0, tir.floordiv(n + 31, 32), ForKind.SERIAL, tir.For(ii, 0, 32, ForKind.SERIAL, guarded))
    out = _lower(tir.PrimFunc([A, B, n], outer))
    parts = list(out.body) if isinstance(out.body, tir.SeqStmt) else [out.body]
    assert len(parts) == 2
    main, tail = parts
    # The main part runs n // 32 full tiles without a guard ...
    tvm.ir.assert_structural_equal(main.extent, tir.floordiv(n, 32))
    assert isinstance(main.body.body, tir.BufferStore)
    # ... the tail keeps it.
    assert "likely" in str(tail)


def test_idempotent():
    A, B, io, ii, loop = _guarded_copy(1000, 32)
    config = {"tir.LoopPartition": {"partition_const_loop": True}}
    once = _lower(tir.PrimFunc([A, B], loop), config)
    tvm.ir.assert_structural_equal(_lower(once, config), once)
