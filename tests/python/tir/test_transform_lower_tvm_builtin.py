# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""LowerTVMBuiltin: packed calls through stack arrays."""
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
