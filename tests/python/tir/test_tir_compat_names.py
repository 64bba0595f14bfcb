# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""tir names of TVM v0.14: PrimExpr, tensor-core intrinsic calls, CallingConv."""
import tvm
from tvm import tir


def test_primexpr_is_the_ir_base():
    assert tir.PrimExpr is tvm.ir.PrimExpr
    assert isinstance(tir.Var("x", "int32") + 1, tir.PrimExpr)


def test_tensor_core_intrinsic_calls():
    frag = tir.Var("frag", "handle")
    ptr = tir.Var("ptr", "handle")
    load = tir.tvm_load_matrix_sync(frag, 16, 16, 16, 0, ptr, 16, "row_major")
    assert load.op.name == "tir.tvm_load_matrix_sync" and len(load.args) == 8
    assert load.args[7].value == "row_major"
    store = tir.tvm_store_matrix_sync(frag, 16, 16, 16, 0, ptr, 16, "row_major")
    assert store.op.name == "tir.tvm_store_matrix_sync"
    mma = tir.tvm_mma_sync(frag, 0, frag, 0, frag, 0, frag, 0)
    assert mma.op.name == "tir.tvm_mma_sync" and len(mma.args) == 8
    fill = tir.tvm_fill_fragment(frag, 16, 16, 16, 0, tir.const(0.0, "float16"))
    assert fill.op.name == "tir.tvm_fill_fragment" and fill.args[5].dtype == "float16"
    assert fill.dtype == "handle"


def test_calling_conv_values():
    assert int(tvm.ir.CallingConv.DEFAULT) == 0
    assert int(tvm.ir.CallingConv.C_PACKED_FUNC) == 1
    assert int(tvm.ir.CallingConv.DEVICE_KERNEL_LAUNCH) == 2
