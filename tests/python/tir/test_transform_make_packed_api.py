# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""MakePackedAPI: the packed signature and the argument checks with their messages."""
import numpy as np
import pytest

import tvm
from tvm import tir
from tvm.tir import ForKind


def _run(func, name="main"):
    return tvm.tir.transform.MakePackedAPI()(tvm.IRModule({name: func.with_attr("global_symbol", name)}))[name]


def _collect(func, node_type):
    found = []
    tvm.get_global_func("tir.PostOrderVisit")(func.body, lambda n: found.append(n) if isinstance(n, node_type) else None)
    return found


def _messages(func):
    return [a.message.value for a in reversed(_collect(func, tir.AssertStmt))]


def _copy_func():
    n = tir.SizeVar("n", "int32")
    A = tir.decl_buffer((n, 4), name="A")
    B = tir.decl_buffer((n, 4), "float32", name="B")
    i = tir.Var("i", "int32")
    body = tir.For(i, 0, n * 4, ForKind.SERIAL, tir.Evaluate(0))
    return tir.PrimFunc([A, B], body)


def test_signature_and_attrs():
    out = _run(_copy_func())
    names = [p.name_hint for p in out.params]
    assert names == ["args", "arg_type_ids", "num_args", "out_ret_value", "out_ret_tcode", "resource_handle"]
    assert [str(p.dtype) for p in out.params] == ["handle", "handle", "int32", "handle", "handle", "handle"]
    assert len(out.buffer_map) == 0
    assert int(out.attrs["calling_conv"]) == 1
    assert out.attrs["global_symbol"] == "main"


def test_assert_messages_name_function_and_argument():
    messages = _messages(_run(_copy_func(), "copy"))
    assert messages[0] == "copy: num_args should be 2"
    assert "TypeError: copy: argument 0 (A) is expected to be an array (tvm.nd.NDArray or DLTensor)" in messages
    assert "TypeError: copy: argument 1 (B) is expected to be an array (tvm.nd.NDArray or DLTensor)" in messages
    assert "copy.A.ndim is expected to equal 2" in messages
    assert "copy.A.dtype is expected to be float32" in messages
    assert "copy.A.shape[1] is expected to equal 4" in messages
    # The symbolic n is bound by A and checked for B.
    assert "copy.B.shape[0] is expected to equal n (copy.A.shape[0])" in messages
    assert "copy.A.strides: expected to be compact array" in messages
    assert "copy.A.byte_offset is expected to be 0" in messages
    assert "copy.B.device_type is expected to equal that of copy.A" in messages


def test_shape_variable_is_bound_once():
    out = _run(_copy_func())
    lets = [l for l in _collect(out, tir.LetStmt) if l.var.name_hint == "n"]
    assert len(lets) == 1


def test_scalar_parameters_are_unpacked_with_type_checks():
    x = tir.Var("x", "int32")
    y = tir.Var("y", "float32")
    out = _run(tir.PrimFunc([x, y], tir.Evaluate(0)))
    messages = _messages(out)
    assert "main: Expect arg[0] to be int" in messages
    assert "main: Expect arg[1] to be float" in messages
    lets = {l.var.name_hint: l for l in _collect(out, tir.LetStmt)}
    assert lets["x"].value.dtype == "int32"
    assert lets["y"].value.dtype == "float32"


def test_strided_buffer_binds_strides():
    s = tir.Var("s", "int32")
    A = tir.decl_buffer((4, 4), name="A", strides=[s, 1])
    out = _run(tir.PrimFunc([A], tir.Evaluate(0)))
    messages = _messages(out)
    assert "main.A.strides[1] is expected to equal 1" in messages
    assert [l for l in _collect(out, tir.LetStmt) if l.var.name_hint == "s"]


def test_already_packed_function_is_unchanged():
    once = _run(_copy_func())
    twice = tvm.tir.transform.MakePackedAPI()(tvm.IRModule({"main": once}))["main"]
    assert once.same_as(twice)


def _build(func_or_schedule, args=None, name="main"):
    """Lower and compile for llvm; skips when no llvm code generator is registered."""
    if tvm.get_global_func("target.build.llvm", allow_missing=True) is None:
        pytest.skip("no llvm code generator")
    target = tvm.get_global_func("target.Target", allow_missing=True)
    if target is None:
        pytest.skip("no targets")
    mod = tvm.lower(func_or_schedule, args, name=name)
    return tvm.get_global_func("driver.build")(mod, target("llvm", None))[name]


def test_wrong_calls_raise_clear_errors_at_run_time():
    n = tir.SizeVar("n", "int32")
    A = tir.decl_buffer((n,), name="A")
    B = tir.decl_buffer((n,), name="B")
    i = tir.Var("i", "int32")
    body = tir.For(i, 0, n, ForKind.SERIAL, tir.BufferStore(B, A[i] * tir.const(2.0, "float32"), [i]))
    f = _build(tir.PrimFunc([A, B], body), name="scale")
    a = tvm.nd.array(np.arange(10, dtype="float32"))
    b = tvm.nd.array(np.zeros(10, dtype="float32"))
    f(a, b)
    np.testing.assert_allclose(b.numpy(), np.arange(10, dtype="float32") * 2)
    cases = [
        ((a,), "scale: num_args should be 2"),
        ((a, tvm.nd.array(np.zeros(9, dtype="float32"))), r"scale.B.shape\[0\] is expected to equal n"),
        ((a, tvm.nd.array(np.zeros(10, dtype="int32"))), "scale.B.dtype is expected to be float32"),
        ((a, tvm.nd.array(np.zeros((10, 1), dtype="float32"))), "scale.B.ndim is expected to equal 1"),
        ((a, 3), r"scale: argument 1 \(B\) is expected to be an array"),
    ]
    for args, message in cases:
        with pytest.raises(tvm.error.TVMError, match=message):
            f(*args)


def test_symbolic_offset_is_bound_and_aligned():
    A = tir.decl_buffer((16,), name="A", offset_factor=4)
    out = _run(tir.PrimFunc([A], tir.Evaluate(0)))
    messages = _messages(out)
    assert "main.A.byte_offset is expected to be a multiple of the element size 4" in messages
    assert "main.A.elem_offset is expected to be a multiple of 4" in messages
    assert [l for l in _collect(out, tir.LetStmt) if l.var.name_hint == "A_elem_offset"]


def test_private_function_is_left_as_it_is():
    from tvm.script import tir as T  # pylint: disable=import-outside-toplevel

    @T.prim_func(private=True)
    def helper(A: T.Buffer((4,), "float32")):
        A[0] = T.float32(1)

    mod = tvm.tir.transform.MakePackedAPI()(tvm.IRModule({"helper": helper}))
    tvm.ir.assert_structural_equal(mod["helper"], helper)
    exposed = tvm.tir.transform.MakePackedAPI()(tvm.IRModule({"helper": helper.with_attr("global_symbol", "helper")}))
    assert len(exposed["helper"].params) == 6


def test_body_in_compute_scope():
    A = tir.decl_buffer((4,), name="A")
    body = tir.Evaluate(tir.call_extern("int32", "f", A.data))
    out = _run(tir.PrimFunc([A], body))
    (scope,) = [a for a in _collect(out, tir.AttrStmt) if a.attr_key == "compute_scope"]
    assert scope.value.value == "main_compute_"
    assert scope.body.same_as(body)


def test_target_becomes_host_target():
    host = tvm.target.Target("llvm")
    func = tir.PrimFunc([], tir.Evaluate(0)).with_attr("target", tvm.target.Target("cuda", host=host))
    out = _run(func)
    assert str(out.attrs["target"]) == str(host)
    # Without a host the target is kept.
    out = _run(tir.PrimFunc([], tir.Evaluate(0)).with_attr("target", tvm.target.Target("llvm")))
    assert str(out.attrs["target"]) == "llvm -keys=cpu"


def test_device_api_context_is_resource_handle():
    A = tir.decl_buffer((1,), name="A")
    ctx = tir.Var("device_api_context", "handle")
    out = _run(tir.PrimFunc([A, ctx], tir.Evaluate(tir.call_extern("int32", "f", A.data, ctx))))
    assert out.params[5].same_as(ctx)
    assert "main: num_args should be 1" in _messages(out)
    (call,) = [c for c in _collect(out, tir.Call) if c.op.same_as(tvm.ir.Op.get("tir.call_extern"))]
    assert call.args[2].same_as(ctx)


def _caller_and_callee(public):
    A = tir.decl_buffer((1,), name="A")
    p = tir.Var("p", tvm.ir.PointerType(tvm.ir.PrimType("float32")))
    callee = tir.PrimFunc([p], tir.Evaluate(p))
    if public:
        callee = callee.with_attr("global_symbol", "sub")
    gv = tvm.ir.GlobalVar("sub")
    main = tir.PrimFunc([A], tir.Evaluate(tir.Call("int32", gv, [A.data]))).with_attr("global_symbol", "main")
    mod = tvm.tir.transform.MakePackedAPI()(tvm.IRModule({"main": main, gv: callee}))
    (scope,) = [a for a in _collect(mod["main"], tir.AttrStmt) if a.attr_key == "compute_scope"]
    return mod, callee, scope.body.value


def test_private_subroutine_called_directly():
    mod, callee, call = _caller_and_callee(public=False)
    assert isinstance(call.op, tvm.ir.GlobalVar)
    tvm.ir.assert_structural_equal(mod["sub"], callee)


def test_public_subroutine_called_by_symbol():
    mod, callee, call = _caller_and_callee(public=True)
    assert call.op.same_as(tvm.ir.Op.get("tir.tvm_call_cpacked"))
    assert call.args[0].value == "sub"
    assert len(call.args) == 3  # symbol, the argument, the resource handle
    assert len(mod["sub"].params) == 6


def _statement_chain(func):
    """The statements from the top to the compute scope, outermost first (SeqStmt: its last part)."""
    out, s = [], func.body
    while not (isinstance(s, tir.AttrStmt) and s.attr_key == "compute_scope"):
        out.append(s)
        s = s[len(s) - 1] if isinstance(s, tir.SeqStmt) else s.body
    return out


def test_buffer_data_is_bound_right_after_the_type_checks():
    # The handle of a buffer argument is bound under the parameter's name; its data pointer
    # is read once ndim and dtype are checked, before the shape and strides.
    out = _run(_copy_func())
    chain = _statement_chain(out)
    lets = [(i, s.var.name) for i, s in enumerate(chain) if isinstance(s, tir.LetStmt)]
    names = [n for _, n in lets]
    assert names[:2] == ["A", "B"]
    pos = dict((n, i) for i, n in reversed(lets))
    data_let = [i for i, s in enumerate(chain) if isinstance(s, tir.LetStmt) and s.var.name == "A" and i > pos["A"]]
    assert data_let, names
    dtype_check = [i for i, s in enumerate(chain) if isinstance(s, tir.AssertStmt) and "A.dtype" in s.message.value]
    shape_let = pos["A_shape"]
    assert dtype_check[0] < data_let[0] < shape_let
    assert str(chain[data_let[0]].value) == 'T.tvm_struct_get(A, 0, 1, "handle")'


def test_wrong_argument_kind_is_refused_before_any_field_is_read():
    f = tvm.build(_copy_func().with_attr("global_symbol", "main"), target="llvm")
    with pytest.raises(tvm.TVMError, match="argument 0 \\(A\\) is expected to be an array"):
        f(5, tvm.nd.empty((2, 4), "float32"))
