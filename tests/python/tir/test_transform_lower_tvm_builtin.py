# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""LowerTVMBuiltin: packed calls through stack arrays."""
import pytest

import tvm
from tvm import tir
from tvm.tir import ForKind


def _run(func):
    return tvm.tir.transform.LowerTVMBuiltin()(tvm.IRModule({"main": func}))["main"]


def _collect(func, pred):
    found = []
    tvm.get_global_func("tir.PostOrderVisit")(func.body, lambda n: found.append(n) if pred(n) else None)
    return found


def _is_call(name):
    return lambda n: isinstance(n, tir.Call) and n.op.name == "tir." + name


def test_call_packed_is_lowered_with_stack():
    x = tir.Var("x", "int32")
    y = tir.Var("y", "float32")
    func = tir.PrimFunc([x, y], tir.Evaluate(tir.call_packed("my_func", x, y)))
    out = _run(func)
    assert isinstance(out.body, tir.LetStmt) and out.body.var.name_hint == "stack_value"
    assert out.body.value.args[1].value == 3
    lowered = _collect(out, _is_call("tvm_call_packed_lowered"))
    assert len(lowered) == 1
    call = lowered[0]
    assert call.args[0].value == "my_func"
    assert [a.value for a in call.args[3:]] == [0, 2]
    sets = _collect(out, _is_call("tvm_struct_set"))
    assert [str(s.args[3].dtype) for s in sets] == ["int64", "float64"]
    codes = [s.value.value for s in _collect(out, lambda n: isinstance(n, tir.BufferStore))]
    assert codes == [0, 2]


def test_no_packed_calls_no_change():
    A = tir.decl_buffer((4,), name="A")
    func = tir.PrimFunc([A], tir.BufferStore(A, tir.const(0.0, "float32"), [0]))
    assert _run(func).same_as(func)


def test_allocations_are_left_to_the_code_generator():
    O = tir.decl_buffer((1,), name="O")
    var = tir.Var("T", tvm.ir.PointerType(tvm.ir.PrimType("float32"), "global"))
    T = tir.decl_buffer((4096,), name="T", data=var)
    body = tir.Allocate(var, "float32", [4096], True, tir.BufferStore(O, T[0], [0]))
    out = _run(tir.PrimFunc([O], body))
    assert isinstance(out.body, tir.Allocate)


@pytest.mark.parametrize("dtype,value", [("float32", 1.25), ("float64", -2.5), ("int64", 1 << 40), ("int8", -7)])
def test_packed_call_returns_non_int32_values(dtype, value):
    # testing.echo returns its argument; the compiled call must read it back
    # from the TVMValue return slot with the right type.
    import numpy as np

    A = tir.decl_buffer((2,), dtype, name="A")
    ib = tvm.tir.ir_builder.create()
    Aptr = ib.buffer_ptr(A)
    echo = tvm.ir.Op.get("tir.tvm_call_packed")
    Aptr[0] = tir.call_intrin(dtype, echo, "testing.echo", tir.const(value, dtype))
    mod = tvm.IRModule.from_expr(tir.PrimFunc([A], ib.get()).with_attr("global_symbol", "echo_test"))
    f = tvm.build(mod, target="llvm")
    a = tvm.nd.array(np.zeros(2, dtype=dtype))
    f(a)
    np.testing.assert_array_equal(a.numpy(), np.array([value, 0], dtype=dtype))


def test_testing_echo_returns_argument():
    echo = tvm.get_global_func("testing.echo")
    assert echo(3) == 3
    assert echo("x") == "x"
    with pytest.raises(TypeError, match="testing.echo expects one argument"):
        echo()


def test_device_attributes_are_consumed():
    A = tir.decl_buffer((4,), name="A")
    store = tir.BufferStore(A, tir.const(0.0, "float32"), [0])
    body = tir.AttrStmt(tir.const(0, "int32"), "device_type", 1,
                        tir.AttrStmt(tir.const(0, "int32"), "device_id", 0, store))
    out = _run(tir.PrimFunc([A], body))
    tvm.ir.assert_structural_equal(out.body, store)


from tvm.script import tir as T  # noqa: E402


@T.prim_func
def _device_alloc():
    T.func_attr({"target": T.target("llvm")})
    T.attr("dummy", "device_type", 2)
    T.attr("dummy", "device_id", 1)
    ptr = T.allocate([16], "float32")
    buf = T.decl_buffer(16, "float32", data=ptr)
    buf[0] = 0.0


@T.prim_func
def _device_alloc_expected():
    T.func_attr({"target": T.target("llvm")})
    ptr: T.handle("float32") = T.TVMBackendAllocWorkspace(2, 1, T.uint64(64), 2, 32)
    T.attr(ptr, "storage_alignment", 64)
    if T.isnullptr(ptr):
        T.Call("int32", "tir.tvm_throw_last_error", [])
    buf = T.decl_buffer((16,), data=ptr)
    buf[0] = T.float32(0)
    if T.TVMBackendFreeWorkspace(2, 1, ptr) != 0:
        T.Call("int32", "tir.tvm_throw_last_error", [])


def test_device_allocation_uses_the_workspace_pool():
    out = _run(_device_alloc)
    tvm.ir.assert_structural_equal(out, _device_alloc_expected.with_attr("global_symbol", "_device_alloc"),
                                   map_free_vars=True)


@T.prim_func
def _cpu_alloc():
    T.func_attr({"target": T.target("llvm")})
    T.attr("dummy", "device_type", 1)
    T.attr("dummy", "device_id", 0)
    ptr = T.allocate([1 << 20], "float32")
    buf = T.decl_buffer(1 << 20, "float32", data=ptr)
    buf[0] = 0.0


def test_cpu_allocation_stays_for_the_code_generator():
    out = _run(_cpu_alloc)
    assert isinstance(out.body, tir.Allocate)


@T.prim_func
def _id_without_type():
    T.func_attr({"target": T.target("llvm")})
    T.attr("dummy", "device_id", 0)
    ptr = T.allocate([16], "float32")
    buf = T.decl_buffer(16, "float32", data=ptr)
    buf[0] = 0.0


def test_device_id_without_device_type_is_an_error():
    with pytest.raises(tvm.TVMError, match="allocation of ptr is under a device_id attribute but no device_type"):
        _run(_id_without_type)


@T.prim_func
def _explicit_workspace(A: T.Buffer(256, "float32"), B: T.Buffer(256, "float32")):
    ptr: T.handle("float32") = T.TVMBackendAllocWorkspace(1, 0, T.uint64(1024), 2, 32)
    if T.isnullptr(ptr):
        T.Call("int32", "tir.tvm_throw_last_error", [])
    W = T.decl_buffer(256, "float32", data=ptr)
    for i in range(256):
        W[i] = A[i] * T.float32(2)
    for i in range(256):
        B[i] = W[255 - i] + T.float32(1)
    if T.TVMBackendFreeWorkspace(1, 0, ptr) != 0:
        T.Call("int32", "tir.tvm_throw_last_error", [])


def test_explicit_workspace_calls_run_on_the_cpu():
    import numpy as np  # pylint: disable=import-outside-toplevel

    f = tvm.build(_explicit_workspace.with_attr("global_symbol", "main"), target="llvm")
    a = tvm.nd.array(np.arange(256, dtype="float32"))
    b = tvm.nd.empty((256,), "float32")
    f(a, b)
    np.testing.assert_allclose(b.numpy(), a.numpy()[::-1] * 2 + 1)
