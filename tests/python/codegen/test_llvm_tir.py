# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""TIR statements written by hand (no TE schedule) through tvm.build("llvm").

Covers what schedules rarely produce: While, IfThenElse with an else, user
asserts and their error kinds, allocations on the stack and from the
workspace pool (constant and symbolic sizes), scalar parameters of several
dtypes, packed calls back into Python (also from a parallel loop), direct
calls between functions of one module (call_cpacked), and the errors for
IR the CPU cannot run.
"""
import os
import re
import threading

import numpy as np
import pytest

import tvm
from tvm import te, tir

from codegen_helpers import run


def _build(func, name):
    return tvm.build(func.with_attr("global_symbol", name), target="llvm")[name]


def _i32(value):
    return tir.const(value, "int32")


def test_while_loop():
    """out[0] = number of halvings of n until it reaches 1 (a data-dependent trip count)."""
    out = tir.decl_buffer((1,), "int32", name="out")
    n = tir.Var("n", "int32")
    x = tir.decl_buffer((1,), "int32", name="x", scope="global")
    body = tir.SeqStmt([
        tir.BufferStore(x, n, [0]),
        tir.BufferStore(out, _i32(0), [0]),
        tir.While(tir.BufferLoad(x, [0]) > 1, tir.SeqStmt([
            tir.BufferStore(x, tir.BufferLoad(x, [0]) // 2, [0]),
            tir.BufferStore(out, tir.BufferLoad(out, [0]) + 1, [0]),
        ])),
    ])
    body = tir.Allocate(x.data, "int32", [1], tir.const(True, "bool"), body)
    f = _build(tir.PrimFunc([n, out], body), "halvings")
    for value, expected in [(1, 0), (2, 1), (1000, 9), (1 << 20, 20)]:
        res = tvm.nd.empty((1,), "int32")
        f(value, res)
        assert res.numpy()[0] == expected


def test_if_then_else_statement_with_else():
    A = tir.decl_buffer((20,), "int32", name="A")
    B = tir.decl_buffer((20,), "int32", name="B")
    i = tir.Var("i", "int32")
    a_i = tir.BufferLoad(A, [i])
    body = tir.For(i, 0, 20, tir.ForKind.SERIAL,
                   tir.IfThenElse(a_i % 3 == 0, tir.BufferStore(B, a_i * 10, [i]),
                                  tir.IfThenElse(a_i < 0, tir.BufferStore(B, -a_i, [i]), tir.BufferStore(B, a_i, [i]))))
    f = _build(tir.PrimFunc([A, B], body), "branches")
    a = np.arange(-10, 10, dtype="int32")
    got = run(f, [a], [((20,), "int32")])
    np.testing.assert_array_equal(got, np.where(a % 3 == 0, a * 10, np.abs(a)))


@pytest.mark.parametrize("message,error", [
    ("the value must be positive", ValueError),
    ("IndexError: index out of range", IndexError),
    ("TypeError: wrong kind of thing", TypeError),
])
def test_assert_statement_raises_its_message(message, error):
    n = tir.Var("n", "int32")
    out = tir.decl_buffer((1,), "int32", name="out")
    body = tir.AssertStmt(n > 0, tir.StringImm(message), tir.BufferStore(out, n * 2, [0]))
    f = _build(tir.PrimFunc([n, out], body), "checked")
    res = tvm.nd.empty((1,), "int32")
    f(4, res)
    assert res.numpy()[0] == 8
    text = message.split(": ", 1)[-1]
    with pytest.raises(error, match=text):
        f(-1, res)


@pytest.mark.parametrize("size", [64, 100000])
def test_allocate_stack_and_workspace(size):
    """A scratch buffer (on the stack when small, from the workspace pool when large) used as a reversal."""
    A = tir.decl_buffer((size,), "float32", name="A")
    B = tir.decl_buffer((size,), "float32", name="B")
    tmp = tir.decl_buffer((size,), "float32", name="tmp")
    i = tir.Var("i", "int32")
    j = tir.Var("j", "int32")
    body = tir.SeqStmt([
        tir.For(i, 0, size, tir.ForKind.SERIAL, tir.BufferStore(tmp, tir.BufferLoad(A, [size - 1 - i]), [i])),
        tir.For(j, 0, size, tir.ForKind.SERIAL, tir.BufferStore(B, tir.BufferLoad(tmp, [j]) + 1.0, [j])),
    ])
    body = tir.Allocate(tmp.data, "float32", [size], tir.const(True, "bool"), body)
    f = _build(tir.PrimFunc([A, B], body), "reverse")
    a = np.random.default_rng(0).standard_normal(size).astype("float32")
    for _ in range(3):  # the workspace is reused call after call
        np.testing.assert_array_equal(run(f, [a], [((size,), "float32")]), a[::-1] + 1)


def test_allocate_with_symbolic_size():
    n = tir.Var("n", "int32")
    A = tir.decl_buffer((n,), "int64", name="A")
    B = tir.decl_buffer((n,), "int64", name="B")
    tmp = tir.decl_buffer((n,), "int64", name="tmp")
    i = tir.Var("i", "int32")
    body = tir.SeqStmt([
        tir.For(i, 0, n, tir.ForKind.SERIAL, tir.BufferStore(tmp, tir.BufferLoad(A, [i]) * 3, [i])),
        tir.For(i, 0, n, tir.ForKind.SERIAL, tir.BufferStore(B, tir.BufferLoad(tmp, [n - 1 - i]), [i])),
    ])
    body = tir.Allocate(tmp.data, "int64", [n], tir.const(True, "bool"), body)
    f = _build(tir.PrimFunc([A, B], body), "sym_alloc")
    for size in (1, 7, 5000):
        a = np.arange(size, dtype="int64") - 3
        np.testing.assert_array_equal(run(f, [a], [((size,), "int64")]), (a * 3)[::-1])


@pytest.mark.parametrize("dtype,value", [("int32", -7), ("int64", 1 << 40), ("float32", 0.25), ("float64", -1.5),
                                         ("uint8", 200), ("bool", True)])
def test_scalar_parameters(dtype, value):
    x = tir.Var("x", dtype)
    out = tir.decl_buffer((1,), "float64", name="out")
    f = _build(tir.PrimFunc([x, out], tir.BufferStore(out, x.astype("float64"), [0])), "scalar")
    res = tvm.nd.empty((1,), "float64")
    f(value, res)
    assert res.numpy()[0] == float(value)


def test_packed_call_into_python():
    calls = []

    @tvm.register_func("codegen_test.plus_one", override=True)
    def plus_one(x, y):  # pylint: disable=unused-variable
        calls.append(tuple(x.shape))
        y.copyfrom(x.numpy() + 1)

    A = te.placeholder((10,), name="A")
    B = te.extern((10,), [A], lambda ins, outs: tir.call_packed("codegen_test.plus_one", ins[0], outs[0]), name="B")
    C = te.compute((10,), lambda i: B[i] * 2.0, name="C")
    f = tvm.build(te.create_schedule(C.op), [A, C], "llvm", name="ext")
    a = np.arange(10, dtype="float32")
    for _ in range(2):  # the function handle is looked up once and cached
        np.testing.assert_array_equal(run(f, [a], [((10,), "float32")]), (a + 1) * 2)
    assert calls == [(10,), (10,)]


def test_packed_call_error_propagates():
    @tvm.register_func("codegen_test.fails", override=True)
    def fails(x):  # pylint: disable=unused-variable
        raise ValueError("the callee refused")

    A = tir.decl_buffer((4,), "float32", name="A")
    f = _build(tir.PrimFunc([A], tir.Evaluate(tir.call_packed("codegen_test.fails", A))), "caller")
    with pytest.raises(ValueError, match="the callee refused"):
        f(tvm.nd.empty((4,), "float32"))


def test_packed_call_to_a_missing_function_is_an_error():
    A = tir.decl_buffer((4,), "float32", name="A")
    f = _build(tir.PrimFunc([A], tir.Evaluate(tir.call_packed("codegen_test.nowhere", A))), "missing_callee")
    with pytest.raises(tvm.error.TVMError, match="codegen_test.nowhere"):
        f(tvm.nd.empty((4,), "float32"))


def test_packed_calls_from_a_parallel_loop():
    """Each task of a parallel loop packs its own arguments: no thread sees another's."""
    seen = []
    lock = threading.Lock()

    @tvm.register_func("codegen_test.record", override=True)
    def record(index, value):  # pylint: disable=unused-variable
        with lock:
            seen.append((int(index), float(value)))

    n = 256
    A = tir.decl_buffer((n,), "float32", name="A")
    i = tir.Var("i", "int32")
    body = tir.For(i, 0, n, tir.ForKind.PARALLEL,
                   tir.Evaluate(tir.call_packed("codegen_test.record", i, tir.BufferLoad(A, [i]))))
    f = _build(tir.PrimFunc([A], body), "par_calls")
    a = tvm.nd.array(np.arange(n, dtype="float32"))
    for _ in range(10):
        seen.clear()
        f(a)
        assert sorted(seen) == [(k, float(k)) for k in range(n)]


def test_call_cpacked_between_functions_of_one_module(tmp_path):
    n = 16

    def buffers():
        return tir.decl_buffer((n,), "float32", name="A"), tir.decl_buffer((n,), "float32", name="B")

    A, B = buffers()
    i = tir.Var("i", "int32")
    inner = tir.PrimFunc([A, B], tir.For(i, 0, n, tir.ForKind.SERIAL,
                                         tir.BufferStore(B, tir.BufferLoad(A, [i]) * 3.0, [i])))
    A2, B2 = buffers()
    outer = tir.PrimFunc([A2, B2], tir.Evaluate(tir.call_cpacked("inner", A2, B2)))
    for order in (["outer", "inner"], ["inner", "outer"]):
        funcs = {"inner": inner.with_attr("global_symbol", "inner"), "outer": outer.with_attr("global_symbol", "outer")}
        mod = tvm.build(tvm.IRModule({name: funcs[name] for name in order}), target="llvm")
        a = np.arange(n, dtype="float32")
        np.testing.assert_array_equal(run(mod["outer"], [a], [((n,), "float32")]), a * 3)
    path = tmp_path / "cpacked.so"
    mod.export_library(str(path))
    lib = tvm.runtime.load_module(str(path))
    np.testing.assert_array_equal(run(lib["outer"], [a], [((n,), "float32")]), a * 3)
    # Argument checks still apply.
    with pytest.raises(ValueError, match=r"(outer|inner)\.B\.dtype"):
        lib["outer"](tvm.nd.array(a), tvm.nd.empty((n,), "int32"))


def test_nested_parallel_loops_are_a_clear_error():
    A = te.placeholder((8, 8), name="A")
    B = te.compute((8, 8), lambda i, j: A[i, j] + 1.0, name="B")
    s = te.create_schedule(B.op)
    s[B].parallel(B.op.axis[0])
    s[B].parallel(B.op.axis[1])
    with pytest.raises(ValueError, match=r"Nested parallel loop is not supported \(j is inside another parallel loop\)"):
        tvm.build(s, [A, B], "llvm")


def test_parallel_loop_inside_a_serial_loop():
    rng = np.random.default_rng(5)
    a = rng.standard_normal((6, 500)).astype("float32")
    A = te.placeholder((6, 500), name="A")
    B = te.compute((6, 500), lambda i, j: A[i, j] * tir.Cast("float32", i + 1), name="B")
    s = te.create_schedule(B.op)
    s[B].parallel(B.op.axis[1])
    f = tvm.build(s, [A, B], "llvm")
    np.testing.assert_allclose(run(f, [a], [((6, 500), "float32")]), a * np.arange(1, 7)[:, None], rtol=1e-6)


def test_gpu_thread_binding_is_a_clear_error():
    A = te.placeholder((64,), name="A")
    B = te.compute((64,), lambda i: A[i] + 1.0, name="B")
    s = te.create_schedule(B.op)
    bx, tx = s[B].split(B.op.axis[0], factor=32)
    s[B].bind(bx, te.thread_axis("blockIdx.x"))
    s[B].bind(tx, te.thread_axis("threadIdx.x"))
    with pytest.raises(ValueError, match="GPU|thread"):
        tvm.build(s, [A, B], "llvm")


def test_int64_loop_and_symbolic_shape():
    n = te.var("n", "int64")
    A = te.placeholder((n,), name="A")
    B = te.compute((n,), lambda i: A[i] * 2.0 + tir.Cast("float32", i), name="B")
    s = te.create_schedule(B.op)
    xo, xi = s[B].split(B.op.axis[0], factor=8)
    s[B].parallel(xo)
    f = tvm.build(s, [A, B], "llvm")
    for size in (3, 800):
        a = np.ones(size, dtype="float32")
        np.testing.assert_array_equal(run(f, [a], [((size,), "float32")]), 2 + np.arange(size, dtype="float32"))


def test_error_inside_a_parallel_task_reaches_the_caller():
    n = 1000
    A = tir.decl_buffer((n,), "float32", name="A")
    i = tir.Var("i", "int32")
    a_i = tir.BufferLoad(A, [i])
    body = tir.For(i, 0, n, tir.ForKind.PARALLEL,
                   tir.AssertStmt(a_i >= 0.0, tir.StringImm("IndexError: negative value in A"),
                                  tir.BufferStore(A, a_i * 2.0, [i])))
    f = _build(tir.PrimFunc([A], body), "check_all")
    good = tvm.nd.array(np.ones(n, dtype="float32"))
    f(good)
    np.testing.assert_array_equal(good.numpy(), 2.0)
    bad = np.ones(n, dtype="float32")
    bad[777] = -1.0
    for _ in range(3):
        with pytest.raises(IndexError, match="negative value in A"):
            f(tvm.nd.array(bad))
    f(good)  # the pool and the function still work afterwards
    np.testing.assert_array_equal(good.numpy(), 4.0)


def test_function_without_parameters():
    f = _build(tir.PrimFunc([], tir.Evaluate(0)), "nothing")
    f()
    with pytest.raises(ValueError, match="num_args"):
        f(1)


def _resident_mb():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="needs /proc/self/statm (Linux)")
@pytest.mark.parametrize("kind", [tir.ForKind.SERIAL, tir.ForKind.PARALLEL])
def test_failed_calls_give_back_their_workspace(kind):
    """A check failing inside a workspace allocation's scope still frees it (else 400 KB leak per call)."""
    size = 100000
    A = tir.decl_buffer((4, size), "float32", name="A")
    B = tir.decl_buffer((4, size), "float32", name="B")
    tmp = tir.decl_buffer((size,), "float32", name="tmp")
    r = tir.Var("r", "int32")
    j = tir.Var("j", "int32")
    row = tir.SeqStmt([
        tir.For(j, 0, size, tir.ForKind.SERIAL, tir.BufferStore(tmp, tir.BufferLoad(A, [r, j]) * 2.0, [j])),
        tir.AssertStmt(tir.BufferLoad(tmp, [0]) >= 0.0, tir.StringImm("row starts negative"),
                       tir.For(j, 0, size, tir.ForKind.SERIAL, tir.BufferStore(B, tir.BufferLoad(tmp, [j]), [r, j]))),
    ])
    body = tir.For(r, 0, 4, kind, tir.Allocate(tmp.data, "float32", [size], tir.const(True, "bool"), row))
    f = _build(tir.PrimFunc([A, B], body), "rows")
    bad = np.ones((4, size), dtype="float32")
    bad[:, 0] = -1.0
    a_bad = tvm.nd.array(bad)
    b = tvm.nd.empty((4, size), "float32")
    for _ in range(20):  # warm up the pool and the allocator
        with pytest.raises(ValueError, match="row starts negative"):
            f(a_bad, b)
    before = _resident_mb()
    for _ in range(200):
        with pytest.raises(ValueError):
            f(a_bad, b)
    assert _resident_mb() - before < 40, "workspace blocks leak when a call fails"
    good = np.ones((4, size), dtype="float32")
    f(tvm.nd.array(good), b)
    np.testing.assert_array_equal(b.numpy(), 2.0)


def test_functions_are_emitted_in_name_order_and_tasks_are_named():
    """The module's functions are defined in the order of their names (the same module gives
    the same code whatever its map order); parallel task bodies are __tvm_parallel_lambda*."""

    def func(name, parallel):
        A = tir.decl_buffer((64,), "float32", name="A")
        i = tir.Var("i", "int32")
        kind = tir.ForKind.PARALLEL if parallel else tir.ForKind.SERIAL
        body = tir.For(i, 0, 64, kind, tir.BufferStore(A, tir.BufferLoad(A, [i]) * 2.0, [i]))
        return tir.PrimFunc([A], body).with_attr("global_symbol", name)

    mod = tvm.IRModule({"Sammy": func("Sammy", True), "Danny": func("Danny", False), "Kirby": func("Kirby", True)})
    source = tvm.build(mod, target="llvm").get_source("ll")
    defined = re.findall(r"^define[^@]*@([A-Za-z_][A-Za-z0-9_.]*)\(", source, re.MULTILINE)
    public = [name for name in defined if not name.startswith("_")]
    assert public == ["Danny", "Kirby", "Sammy"]
    lambdas = [name for name in defined if name.startswith("_")]
    assert len(lambdas) == 2 and all(re.fullmatch(r"__tvm_parallel_lambda(\.\d+)?", n) for n in lambdas)


@pytest.mark.parametrize("void", ["", "void"])
def test_llvm_intrinsic_returning_void(void):
    # TVM spells the type of a call that returns nothing "" or "void".
    A = tir.decl_buffer((4,), "uint8", name="A")
    call = tir.call_llvm_intrin(void, "llvm.prefetch", tir.const(1, "uint32"), A.data, _i32(0), _i32(3), _i32(1))
    assert call.dtype == "void"
    f = tir.PrimFunc([A], tir.Evaluate(call)).with_attr("global_symbol", "pf")
    source = tvm.build(f, target="llvm").get_source("ll")
    assert re.search(r"call void @llvm\.prefetch\.p0\(ptr %A\d*, i32 0, i32 3, i32 1\)", source)
