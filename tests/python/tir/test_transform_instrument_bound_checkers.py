# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""InstrumentBoundCheckers: an assert per access naming buffer and index."""
import tvm
from tvm import tir
from tvm.tir import ForKind


def _lower(func):
    passes = [tvm.tir.transform.StorageFlatten(64, True), tvm.tir.transform.InstrumentBoundCheckers()]
    return tvm.transform.Sequential(passes)(tvm.IRModule({"main": func}))["main"]


def test_every_access_is_checked_with_a_named_message():
    A = tir.decl_buffer((16,), name="A")
    B = tir.decl_buffer((16,), name="B")
    i = tir.Var("i", "int32")
    body = tir.For(i, 0, 16, ForKind.SERIAL, tir.BufferStore(B, A[i + 1], [i]))
    out = _lower(tir.PrimFunc([A, B], body))
    asserts = []
    tvm.get_global_func("tir.PostOrderVisit")(out.body, lambda n: asserts.append(n) if isinstance(n, tir.AssertStmt) else None)
    messages = sorted(a.message.value for a in asserts)
    assert messages == [
        "Out-of-bounds access to buffer A: index i + 1 is outside [0, 16)",
        "Out-of-bounds access to buffer B: index i is outside [0, 16)",
    ]
    assert "buffer_bound" not in str(out)


def test_realized_buffers_are_checked():
    T = tir.decl_buffer((4, 4), name="T")
    i = tir.Var("i", "int32")
    realize = tir.BufferRealize(T, [tvm.ir.Range(0, 4), tvm.ir.Range(0, 4)], True,
                                tir.For(i, 0, 4, ForKind.SERIAL, tir.BufferStore(T, tir.const(0.0, "float32"), [i, 4])))
    out = _lower(tir.PrimFunc([], realize))
    assert "Out-of-bounds access to buffer T: index i * 4 + 4 is outside [0, 16)" in str(out)


def test_out_of_bounds_read_fails_at_run_time():
    import numpy as np
    import pytest

    build = tvm.get_global_func("driver.build", allow_missing=True)
    target = tvm.get_global_func("target.Target", allow_missing=True)
    if build is None or target is None or tvm.get_global_func("target.build.llvm", allow_missing=True) is None:
        pytest.skip("no llvm code generator")
    n = tir.SizeVar("n", "int32")
    A = tir.decl_buffer((n,), name="A")
    B = tir.decl_buffer((n,), name="B")
    i = tir.Var("i", "int32")
    func = tir.PrimFunc([A, B], tir.For(i, 0, n, ForKind.SERIAL, tir.BufferStore(B, A[i + 1], [i])))
    with tvm.transform.PassContext(config={"tir.instrument_bound_checkers": True}):
        mod = tvm.lower(func, name="shift")
    f = build(mod, target("llvm", None))["shift"]
    a = tvm.nd.array(np.arange(8, dtype="float32"))
    b = tvm.nd.array(np.zeros(8, dtype="float32"))
    with pytest.raises(tvm.error.TVMError, match=r"Out-of-bounds access to buffer A: index i \+ 1 is outside \[0, n\)"):
        f(a, b)
