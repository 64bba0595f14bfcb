# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Functions of one module calling each other directly (subroutines keep a C signature)."""
import numpy as np
import pytest

import tvm
from tvm.script import ir as I
from tvm.script import tir as T


@I.ir_module
class _Scale:
    @T.prim_func
    def main(A: T.Buffer(8, "float32"), B: T.Buffer(8, "float32")):
        T.func_attr({"global_symbol": "main"})
        _Scale.scale_into(A.data, B.data, T.float32(3))
        _Scale.scale_into(B.data, B.data, T.float32(0.5))

    @T.prim_func
    def scale_into(src: T.handle("float32"), dst: T.handle("float32"), k: T.float32):
        # Not the packed convention: called with raw pointers and a float.
        T.func_attr({"global_symbol": "scale_into", "calling_conv": -1})
        S = T.decl_buffer(8, "float32", data=src)
        D = T.decl_buffer(8, "float32", data=dst)
        for i in range(8):
            D[i] = S[i] * k


def test_subroutine_calls_run():
    f = tvm.build(_Scale, target="llvm")
    a = tvm.nd.array(np.arange(8, dtype="float32"))
    b = tvm.nd.empty((8,), "float32")
    f["main"](a, b)
    np.testing.assert_allclose(b.numpy(), np.arange(8) * 1.5)


def test_a_subroutine_is_not_exported_as_a_packed_function():
    f = tvm.build(_Scale, target="llvm")
    with pytest.raises(AttributeError, match="no function 'scale_into'"):
        f.get_function("scale_into")
    source = f.get_source("ll")
    assert "define" in source and "@scale_into(ptr" in source


@I.ir_module
class _WrongArity:
    @T.prim_func
    def main(A: T.Buffer(8, "float32")):
        T.func_attr({"global_symbol": "main"})
        _WrongArity.fill(A.data)

    @T.prim_func
    def fill(dst: T.handle("float32"), v: T.float32):
        T.func_attr({"global_symbol": "fill", "calling_conv": -1})
        D = T.decl_buffer(8, "float32", data=dst)
        D[0] = v


def test_a_call_with_the_wrong_number_of_arguments_is_refused():
    with pytest.raises(tvm.TVMError, match="fill takes 2 arguments, 1 given"):
        tvm.build(_WrongArity, target="llvm")


def test_compute_scope_is_outlined_with_aligned_noalias_pointers():
    n = 64
    A = tvm.te.placeholder((n,), name="A")
    B = tvm.te.compute((n,), lambda i: A[i] * 2.0 + 1.0, name="B")
    s = tvm.te.create_schedule(B.op)
    f = tvm.build(s, [A, B], target="llvm", name="twice")
    source = f.get_source("ll")
    import re  # pylint: disable=import-outside-toplevel

    m = re.search(r"^define internal[^@]*@twice_compute_\((.*)\)", source, re.MULTILINE)
    assert m, source
    params = m.group(1)
    # tvm.lower marks te functions tir.noalias; MakePackedAPI checked 4-byte alignment.
    assert params.count("noalias") == 2 and params.count("align 4") == 2
    a = tvm.nd.array(np.arange(n, dtype="float32"))
    b = tvm.nd.empty((n,), "float32")
    f(a, b)
    np.testing.assert_allclose(b.numpy(), np.arange(n) * 2 + 1)
    # The argument checks stay in the packed function, before the call.
    with pytest.raises(tvm.TVMError, match="shape"):
        f(tvm.nd.empty((3,), "float32"), b)
