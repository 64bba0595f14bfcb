# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Argument checks at the packed entry point of code built by tvm.build("llvm").

A wrong call raises a TVM error (a ValueError or TypeError) whose message
names the function and the argument; it never reads out of bounds or
crashes. Calls that could crash a broken build run in a child process.
"""
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import tvm
from tvm import te

from codegen_helpers import build

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


@pytest.fixture(scope="module")
def double():
    """double(A: float32[n, 8], B: float32[n, 8]); B = 2 * A (n symbolic)."""
    n = te.var("n")
    A = te.placeholder((n, 8), name="A")
    B = te.compute((n, 8), lambda i, j: A[i, j] * 2.0, name="B")
    s = te.create_schedule(B.op)
    s[B].vectorize(B.op.axis[1])
    return build(s, [A, B], name="double")["double"]


def _arr(shape, dtype="float32"):
    return tvm.nd.array(np.ones(shape, dtype=dtype))


def _raises(func, *args, match):
    with pytest.raises((ValueError, TypeError), match=match) as info:
        func(*args)
    assert isinstance(info.value, tvm.error.TVMError)
    return info.value


def test_correct_call(double):
    a = tvm.nd.array(np.arange(40, dtype="float32").reshape(5, 8))
    b = _arr((5, 8))
    double(a, b)
    np.testing.assert_array_equal(b.numpy(), a.numpy() * 2)


@pytest.mark.parametrize("count", [0, 1, 3])
def test_wrong_number_of_arguments(double, count):
    args = [_arr((4, 8)) for _ in range(count)]
    _raises(double, *args, match=r"double: num_args should be 2")


@pytest.mark.parametrize("dtype", ["float64", "float16", "int32", "uint8", "bool"])
def test_wrong_dtype(double, dtype):
    _raises(double, _arr((4, 8), dtype), _arr((4, 8)), match=r"double\.A\.dtype is expected to be float32")
    _raises(double, _arr((4, 8)), _arr((4, 8), dtype), match=r"double\.B\.dtype is expected to be float32")


def test_wrong_constant_dimension(double):
    _raises(double, _arr((4, 9)), _arr((4, 9)), match=r"double\.A\.shape\[1\] is expected to equal 8")
    _raises(double, _arr((4, 8)), _arr((4, 7)), match=r"double\.B\.shape\[1\] is expected to equal 8")


def test_inconsistent_symbolic_dimension(double):
    """B's first dimension must equal n, which A's first dimension bound."""
    _raises(double, _arr((4, 8)), _arr((5, 8)), match=r"double\.B\.shape\[0\] is expected to equal n")


@pytest.mark.parametrize("shape", [(32,), (4, 8, 1), ()])
def test_wrong_ndim(double, shape):
    _raises(double, _arr(shape), _arr((4, 8)), match=r"double\.A\.ndim is expected to equal 2")


@pytest.mark.parametrize("value", [3, 2.5, "text"])
def test_scalar_where_an_array_is_expected(double, value):
    _raises(double, value, _arr((4, 8)), match=r"double: argument 0 \(A\) is expected to be an array")


def test_strided_array_where_a_compact_one_is_expected(double):
    wide = np.arange(64, dtype="float32").reshape(4, 16)
    view = tvm.nd.from_dlpack(wide[:, ::2])
    assert view.shape == (4, 8)
    _raises(double, view, _arr((4, 8)), match=r"double\.A\.strides: expected to be compact")
    out = np.zeros((4, 16), dtype="float32")
    _raises(double, _arr((4, 8)), tvm.nd.from_dlpack(out[:, 8:]), match=r"double\.B\.strides")
    assert not out.any()


def test_transposed_array_is_rejected(double):
    base = np.arange(32, dtype="float32").reshape(8, 4)
    _raises(double, tvm.nd.from_dlpack(base.T), _arr((4, 8)), match=r"double\.A\.strides")


def test_compact_array_with_explicit_strides_is_accepted(double):
    """A DLPack array that spells out compact strides is as good as one without."""
    a = np.arange(32, dtype="float32").reshape(4, 8)
    b = np.zeros((4, 8), dtype="float32")
    double(tvm.nd.from_dlpack(a), tvm.nd.from_dlpack(b))
    np.testing.assert_array_equal(b, a * 2)


def test_scalar_arguments_are_type_checked():
    n = te.var("n")
    scale = te.var("scale", "float32")
    A = te.placeholder((n,), name="A")
    B = te.compute((n,), lambda i: A[i] * scale, name="B")
    f = build(te.create_schedule(B.op), [A, scale, B], name="scale")
    a = tvm.nd.array(np.arange(6, dtype="float32"))
    b = tvm.nd.empty((6,), "float32")
    f(a, 1.5, b)
    np.testing.assert_array_equal(b.numpy(), np.arange(6, dtype="float32") * 1.5)
    _raises(f, a, _arr((6,)), b, match=r"scale: Expect arg\[1\] to be float")
    k = te.var("k")
    C = te.compute((n,), lambda i: A[i] + k.astype("float32"), name="C")
    g = build(te.create_schedule(C.op), [A, k, C], name="shift")
    g(a, 3, b)
    np.testing.assert_array_equal(b.numpy(), np.arange(6, dtype="float32") + 3)
    _raises(g, a, 3.5, b, match=r"shift: Expect arg\[2\] to be int|shift: Expect arg\[1\] to be int")


def _run_child(code):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.path.join(REPO_ROOT, "python") + os.pathsep + env.get("PYTHONPATH", "")
    env.setdefault("TVM_LIBRARY_PATH", os.path.join(REPO_ROOT, "build"))
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=env, capture_output=True, text=True,
                          timeout=120)


_CHILD_PRELUDE = """
    import numpy as np
    import tvm
    from tvm import te
    A = te.placeholder((32, 16), name="A")
    B = te.compute((32, 16), lambda i, j: A[i, j] * 2.0 + 1.0, name="B")
    s = te.create_schedule(B.op)
    s[B].vectorize(B.op.axis[1])
    f = tvm.build(s, [A, B], "llvm -mcpu=native", name="f")
"""


def test_unaligned_arrays_work():
    """Arrays shared through DLPack need not be 64-byte aligned: the code must not assume they are."""
    child = _run_child(_CHILD_PRELUDE + """
    raw_a = np.arange(32 * 16 + 1, dtype="float32")
    raw_b = np.zeros(32 * 16 + 1, dtype="float32")
    a = raw_a[1:].reshape(32, 16)
    b = raw_b[1:].reshape(32, 16)
    assert a.ctypes.data % 64 != 0
    f(tvm.nd.from_dlpack(a), tvm.nd.from_dlpack(b))
    np.testing.assert_array_equal(b, a * 2 + 1)
    print("OK")
    """)
    assert child.returncode == 0 and "OK" in child.stdout, child.stderr[-2000:]


def test_none_where_an_array_is_expected():
    child = _run_child(_CHILD_PRELUDE + """
    try:
        f(None, tvm.nd.empty((32, 16), "float32"))
    except (ValueError, TypeError) as err:
        assert "f" in str(err) and ("A" in str(err) or "arg[0]" in str(err)), err
        print("RAISED", err)
    """)
    assert child.returncode == 0 and "RAISED" in child.stdout, (child.returncode, child.stderr[-2000:])


def test_buffer_with_symbolic_strides_accepts_strided_arrays():
    """Declaring symbolic strides (binds) makes the function take any strided view, compact ones included."""
    m, n = te.var("m"), te.var("n")
    A = te.placeholder((m, n), name="A")
    B = te.compute((m, n), lambda i, j: A[i, j] * 2.0, name="B")
    s = te.create_schedule(B.op)
    a_buf = tvm.tir.decl_buffer((m, n), "float32", name="A", strides=[te.var("s0"), te.var("s1")])
    f = tvm.build(s, [A, B], "llvm", name="scale2", binds={A: a_buf})
    base = np.arange(60, dtype="float32").reshape(6, 10)
    for view in (base, base[:, ::2], base[::2, 1:], base.T):
        out = tvm.nd.empty(view.shape, "float32")
        f(tvm.nd.from_dlpack(view), out)
        np.testing.assert_array_equal(out.numpy(), view * 2)
    # B is still compact-only.
    wide = np.zeros((6, 20), dtype="float32")
    _raises(f, tvm.nd.from_dlpack(base), tvm.nd.from_dlpack(wide[:, ::2]), match=r"scale2\.B\.strides")


def test_misaligned_element_pointer_is_rejected(double):
    """A float32 array starting at an odd byte address would break the loads' alignment."""
    raw = np.zeros(4 * 40 + 1, dtype="uint8")
    a = np.frombuffer(raw.data, dtype="float32", count=40, offset=1).reshape(5, 8)
    assert a.ctypes.data % 4 == 1
    _raises(double, tvm.nd.from_dlpack(a), _arr((5, 8)), match=r"double\.A\.data is expected to be 4-byte aligned")


def _aligned_scale(alignment):
    """y = 3 * x over 256 float32, x and y declared with data_alignment=alignment."""
    X = te.placeholder((256,), name="X")
    Y = te.compute((256,), lambda i: X[i] * 3.0, name="Y")
    s = te.create_schedule(Y.op)
    _, inner = s[Y].split(Y.op.axis[0], factor=16)
    s[Y].vectorize(inner)
    binds = {t: tvm.tir.decl_buffer((256,), "float32", name=t.name, data_alignment=alignment) for t in (X, Y)}
    return tvm.build(s, [X, Y], "llvm -mcpu=native", name="scale", binds=binds)


def test_declared_data_alignment_is_checked_and_used():
    f = _aligned_scale(64)
    # The code may now use 64-byte aligned vector accesses for both arrays.
    ll = f.get_source("ll")
    assert "<16 x float>" in ll and "align 64" in ll
    x = tvm.nd.array(np.arange(256, dtype="float32"))
    y = tvm.nd.empty((256,), "float32")
    f(x, y)
    np.testing.assert_array_equal(y.numpy(), x.numpy() * 3)
    # A view one element in is 4-byte aligned only.
    base = tvm.nd.array(np.arange(257, dtype="float32"))
    view = tvm.nd.from_dlpack(base.numpy()[1:])
    assert view.data_ptr % 64 != 0
    err = _raises(f, view, y, match=r"scale\.X\.data is expected to be 64-byte aligned")
    assert "data_alignment" in str(err)
    _raises(f, x, tvm.nd.from_dlpack(np.zeros(257, dtype="float32")[1:]),
            match=r"scale\.Y\.data is expected to be 64-byte aligned")


def test_default_alignment_is_the_element_size():
    assert tvm.tir.decl_buffer((4,), "float32").data_alignment == 4
    assert tvm.tir.decl_buffer((4,), "int8").data_alignment == 1
    assert tvm.tir.decl_buffer((4,), "float64", data_alignment=128).data_alignment == 128
    f = _aligned_scale(-1)
    assert "align 64" not in f.get_source("ll")
