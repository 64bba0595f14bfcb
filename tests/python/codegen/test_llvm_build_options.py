# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""tvm.build of a list of modules, tir.disable_assert, and tir.atomic_add on the CPU."""
import numpy as np
import pytest

import tvm
from tvm import te, tir


def _add_module(name):
    n = 64
    A = te.placeholder((n,), name="A")
    B = te.placeholder((n,), name="B")
    C = te.compute((n,), lambda i: A[i] + B[i], name="C")
    s = te.create_schedule(C.op)
    return tvm.lower(s, [A, B, C], name=name)


def test_build_a_list_of_modules():
    m = tvm.build([_add_module("add_one"), _add_module("add_two")], target="llvm")
    a = tvm.nd.array(np.arange(64, dtype="float32"))
    b = tvm.nd.array(np.ones(64, "float32"))
    for name in ["add_one", "add_two"]:
        c = tvm.nd.empty((64,), "float32")
        m[name](a, b, c)
        np.testing.assert_allclose(c.numpy(), a.numpy() + 1)


def test_build_a_list_with_a_repeated_name_fails():
    with pytest.raises(ValueError, match="'twice' appears twice"):
        tvm.build([_add_module("twice"), _add_module("twice")], target="llvm")


def test_build_a_list_of_something_else_fails():
    with pytest.raises(TypeError, match="item 1 is int"):
        tvm.build([_add_module("f"), 3], target="llvm")


def _count_asserts(mod):
    found = []
    for func in mod.functions.values():
        tir.stmt_functor.post_order_visit(
            func.body, lambda n: found.append(n) if isinstance(n, tir.AssertStmt) else None
        )
    return len(found)


def test_disable_assert_removes_the_argument_checks():
    mod = _add_module("f")
    lowered = tvm.tir.transform.MakePackedAPI()(
        tvm.tir.transform.Apply(lambda f: f.with_attr("target", tvm.target.Target("llvm")))(mod)
    )
    assert _count_asserts(lowered) > 0
    assert _count_asserts(tvm.tir.transform.SkipAssert()(lowered)) == 0
    with tvm.transform.PassContext(config={"tir.disable_assert": True}):
        f = tvm.build(mod, target="llvm")
    a = tvm.nd.array(np.arange(64, dtype="float32"))
    c = tvm.nd.empty((64,), "float32")
    f(a, a, c)
    np.testing.assert_allclose(c.numpy(), 2 * a.numpy())
    # With the checks, a wrong shape is refused; without them nobody looks (not called here).
    f_checked = tvm.build(mod, target="llvm")
    with pytest.raises(tvm.TVMError, match="shape"):
        f_checked(tvm.nd.empty((3,), "float32"), a, c)


def _atomic_counter(dtype, n):
    A = tir.decl_buffer((1,), dtype, name="A")
    Old = tir.decl_buffer((n,), dtype, name="Old")
    i = tir.Var("i", "int32")
    one = tir.const(1, dtype)
    add = tir.call_intrin(dtype, "tir.atomic_add", tir.call_intrin("handle", "tir.address_of", A[0]), one)
    body = tir.For(i, 0, n, tir.ForKind.PARALLEL, tir.BufferStore(Old, add, [i]))
    return tir.PrimFunc([A, Old], body).with_attr("global_symbol", "count")


@pytest.mark.parametrize("dtype", ["int32", "int64", "float32"])
def test_atomic_add_from_parallel_iterations(dtype):
    n = 1000
    f = tvm.build(_atomic_counter(dtype, n), target="llvm")
    a = tvm.nd.array(np.zeros(1, dtype))
    old = tvm.nd.array(np.zeros(n, dtype))
    f(a, old)
    assert a.numpy()[0] == n
    # Every iteration saw a distinct previous value: 0 .. n-1.
    assert sorted(old.numpy().tolist()) == list(range(n))


def test_atomic_add_of_a_vector_is_refused():
    A = tir.decl_buffer((4,), "int32", name="A")
    add = tir.call_intrin(
        "int32x4", "tir.atomic_add", tir.call_intrin("handle", "tir.address_of", A[0]), tir.Broadcast(1, 4)
    )
    f = tir.PrimFunc([A], tir.Evaluate(add)).with_attr("global_symbol", "f")
    with pytest.raises(tvm.TVMError, match="atomic_add of a int32x4 value"):
        tvm.build(f, target="llvm")


def test_kernel_named_like_the_libm_function_it_calls_is_refused():
    # A kernel named "tan" that computes tan would call itself (one symbol per
    # name): refused by name; under another name it computes tan.

    A = te.placeholder((8,), "float64", name="A")
    B = te.compute((8,), lambda i: te.tan(A[i]), name="B")
    s = te.create_schedule(B.op)
    with pytest.raises(ValueError, match="generated function 'tan' has the name of the C library function"):
        tvm.build(s, [A, B], "llvm", name="tan")
    f = tvm.build(s, [A, B], "llvm", name="mytan")
    a = tvm.nd.array(np.linspace(0, 1, 8))
    b = tvm.nd.empty((8,), "float64")
    f(a, b)
    np.testing.assert_allclose(b.numpy(), np.tan(a.numpy()), rtol=1e-12)
