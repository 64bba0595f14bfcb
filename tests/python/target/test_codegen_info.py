# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""tvm.target.codegen: what the LLVM of this build knows."""
import pytest

import tvm
from tvm.target import codegen


def test_llvm_version_major():
    assert codegen.llvm_version_major() == 19
    assert codegen.llvm_version_major(allow_none=True) == 19


def test_intrinsic_ids_round_trip():
    ctpop = codegen.llvm_lookup_intrinsic_id("llvm.ctpop")
    assert ctpop > 0
    assert codegen.llvm_get_intrinsic_name(ctpop) == "llvm.ctpop"
    assert codegen.llvm_lookup_intrinsic_id("llvm.no_such_intrinsic") == 0
    with pytest.raises(ValueError, match="not an LLVM 19 intrinsic id"):
        codegen.llvm_get_intrinsic_name(0)


def test_call_llvm_intrin_by_name_or_id_compiles():
    import numpy as np

    A = tvm.te.placeholder((8,), "int32", name="A")
    ctpop = codegen.llvm_lookup_intrinsic_id("llvm.ctpop")
    for ident in ["llvm.ctpop", tvm.tir.const(ctpop, "uint32")]:
        B = tvm.te.compute(
            (8,), lambda i: tvm.tir.call_llvm_pure_intrin("int32", ident, tvm.tir.const(1, "uint32"), A[i])
        )
        f = tvm.build(tvm.te.create_schedule(B.op), [A, B])
        a = np.array([0, 1, 3, 7, 8, 255, -1, 1 << 20], dtype="int32")
        b = tvm.nd.empty((8,), "int32")
        f(tvm.nd.array(a), b)
        np.testing.assert_array_equal(b.numpy(), [bin(int(x) & 0xFFFFFFFF).count("1") for x in a])


def test_system_queries():
    assert "x86_64" in codegen.llvm_get_system_triple() or codegen.llvm_get_system_triple()
    assert isinstance(codegen.llvm_get_system_cpu(), str)
    assert all(f[0] in "+-" for f in codegen.llvm_get_system_features())
