# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""RewriteUnsafeSelect: a Select whose values read memory becomes if_then_else."""
import numpy as np
import tvm
from tvm import te, tir


def _rewrite(value, params):
    A = params[0]
    i = tir.Var("i", "int32")
    body = tir.For(i, 0, 8, tir.ForKind.SERIAL, tir.BufferStore(A, value(i), [i]))
    mod = tvm.IRModule({"main": tir.PrimFunc(params, body)})
    return tvm.tir.transform.RewriteUnsafeSelect()(mod)["main"].body.body.value


def test_select_reading_memory_becomes_if_then_else():
    A = tir.decl_buffer((8,), name="A")
    B = tir.decl_buffer((16,), name="B")
    out = _rewrite(lambda i: tir.Select(i < 4, B[i + 8], tir.const(0.0, "float32")), [A, B])
    assert isinstance(out, tir.Call) and out.op.name == "tir.if_then_else"
    i = out.args[0].a
    tvm.ir.assert_structural_equal(list(out.args), [i < 4, B[i + 8], tir.const(0.0, "float32")], map_free_vars=True)


def test_pure_select_stays():
    A = tir.decl_buffer((8,), name="A")
    n = tir.Var("n", "float32")
    out = _rewrite(lambda i: tir.Select(i < 4, n * 2.0, n), [A, n])
    assert isinstance(out, tir.Select)


def test_cache_write_tail_guard_is_safe_and_correct():
    # cache_write of an uneven split guards the padded tail with a Select; the
    # lowered code reads x only where the guard holds.
    x = te.placeholder((13,), name="x")
    z = te.compute((13,), lambda i: x[i] * 3.0, name="z")
    s = te.create_schedule(z.op)
    s[z].split(z.op.axis[0], factor=4)
    zc = s.cache_write(z, "global")
    assert isinstance(zc.op.body[0], tir.Select)
    text = str(tvm.lower(s, [x, z])["main"])
    assert "T.Select" not in text and "T.if_then_else" in text
    f = tvm.build(s, [x, z])
    a = tvm.nd.array(np.arange(13, dtype="float32"))
    b = tvm.nd.empty((13,), "float32")
    f(a, b)
    np.testing.assert_allclose(b.numpy(), np.arange(13, dtype="float32") * 3.0)
