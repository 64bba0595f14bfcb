# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""TVMScript parsing: each construct against the IR built by hand (structural equality)."""
import pytest

import tvm
from tvm import tir
from tvm.ir import PointerType, PrimType, Range
from tvm.script import ir as I
from tvm.script import tir as T


def _func(params, body, buffer_map=None, name="main", attrs=None):
    attrs = dict(attrs or {})
    if name is not None:
        attrs.setdefault("global_symbol", name)
    return tir.PrimFunc(params, body, buffer_map=buffer_map or {}, attrs=tvm.ir.make_dict_attrs(attrs) if attrs else None)


def _param_buffer(name, shape, dtype="float32"):
    buf = tir.decl_buffer(shape, dtype, name)
    handle = tir.Var(name + "_handle", PrimType("handle"))
    return handle, buf


def test_buffer_parameters_loop_and_store():
    @T.prim_func
    def main(A: T.Buffer((16,), "float32"), B: T.Buffer((16,), "float32")):
        for i in T.serial(16):
            B[i] = A[i] + T.float32(1)

    a, A = _param_buffer("A", (16,))
    b, B = _param_buffer("B", (16,))
    i = tir.Var("i", "int32")
    body = tir.For(i, 0, 16, tir.ForKind.SERIAL, tir.BufferStore(B, A[i] + tir.const(1.0, "float32"), [i]))
    tvm.ir.assert_structural_equal(main, _func([a, b], body, {a: A, b: B}))
    assert main.attrs["global_symbol"] == "main"
    assert main.buffer_map[main.params[0]].name == "A"
    assert main.body.loop_var.name_hint == "i"


@pytest.mark.parametrize(
    "loop, kind",
    [
        (T.serial, tir.ForKind.SERIAL),
        (T.parallel, tir.ForKind.PARALLEL),
        (T.vectorized, tir.ForKind.VECTORIZED),
        (T.unroll, tir.ForKind.UNROLLED),
    ],
)
def test_every_loop_kind(loop, kind):
    @T.prim_func
    def main(A: T.Buffer((8,), "int32")):
        for i in loop(2, 8):
            A[i] = i

    a, A = _param_buffer("A", (8,), "int32")
    i = tir.Var("i", "int32")
    body = tir.For(i, 2, 6, kind, tir.BufferStore(A, i, [i]))
    tvm.ir.assert_structural_equal(main, _func([a], body, {a: A}))


def test_range_grid_and_thread_binding():
    @T.prim_func
    def main(A: T.Buffer((4, 4), "int32")):
        for i, j in T.grid(4, 4):
            A[i, j] = 0
        for k in range(4):
            for tx in T.thread_binding(4, thread="threadIdx.x"):
                A[k, tx] = 1

    loop = main.body[0]
    assert loop.kind == tir.ForKind.SERIAL and loop.body.kind == tir.ForKind.SERIAL
    assert [loop.loop_var.name_hint, loop.body.loop_var.name_hint] == ["i", "j"]
    bound = main.body[1].body
    assert bound.kind == tir.ForKind.THREAD_BINDING
    assert bound.thread_binding.thread_tag == "threadIdx.x"


def test_match_buffer_symbolic_shape_and_let():
    @T.prim_func
    def main(a: T.handle, n: T.int32):
        A = T.match_buffer(a, (n,), "float32", strides=(1,), elem_offset=0, align=16, offset_factor=1)
        x: T.int32 = n * 2
        A[x] = T.float32(0)

    a = tir.Var("a", PrimType("handle"))
    n = tir.Var("n", "int32")
    data = tir.Var("A", PointerType(PrimType("float32"), "global"))
    A = tir._ffi_api.Buffer(data, "float32", [n], [1], 0, "A", 16, 1, 1, None)
    x = tir.Var("x", "int32")
    body = tir.LetStmt(x, n * 2, tir.BufferStore(A, tir.const(0.0, "float32"), [x]))
    tvm.ir.assert_structural_equal(main, _func([a, n], body, {a: A}))
    assert main.buffer_map[a if False else main.params[0]].data_alignment == 16


def test_allocate_decl_buffer_and_views():
    @T.prim_func
    def main(A: T.Buffer((8,), "float32")):
        ptr = T.allocate([8], "float32", "local")
        B = T.Buffer((8,), "float32", data=ptr, scope="local")
        C = T.decl_buffer((8,), "float32")
        for i in range(8):
            B[i] = A[i]
            C[i] = B[i]

    a, A = _param_buffer("A", (8,))
    ptr = tir.Var("ptr", PointerType(PrimType("float32"), "local"))
    B = tir.decl_buffer((8,), "float32", "B", data=ptr)
    C = tir.decl_buffer((8,), "float32", "C")
    i = tir.Var("i", "int32")
    loop = tir.For(
        i, 0, 8, tir.ForKind.SERIAL, tir.SeqStmt([tir.BufferStore(B, A[i], [i]), tir.BufferStore(C, B[i], [i])])
    )
    inner = tir.Allocate(C.data, "float32", [8], tir.const(True, "bool"), tir.DeclBuffer(C, loop))
    body = tir.Allocate(ptr, "float32", [8], tir.const(True, "bool"), inner)
    tvm.ir.assert_structural_equal(main, _func([a], body, {a: A}))


def test_decl_buffer_with_data_is_only_a_declaration():
    @T.prim_func
    def main(p: T.handle("float32")):
        B = T.decl_buffer((4,), "float32", data=p)
        B[0] = T.float32(1)

    assert isinstance(main.body, tir.DeclBuffer)


def test_launch_thread_env_thread_and_attr():
    @T.prim_func
    def main(A: T.Buffer((64,), "float32")):
        bx = T.env_thread("blockIdx.x")
        T.launch_thread(bx, 2)
        tx = T.launch_thread("threadIdx.x", 32)
        with T.attr(0, "pragma_unroll", 1):
            A[bx * 32 + tx] = T.float32(0)

    attr = main.body
    assert attr.attr_key == "thread_extent" and attr.node.thread_tag == "blockIdx.x"
    assert attr.node.var.name_hint == "bx" and attr.node.dom.extent.value == 2
    inner = attr.body
    assert inner.node.thread_tag == "threadIdx.x" and inner.node.var.name_hint == "tx"
    assert inner.body.attr_key == "pragma_unroll"


def test_if_while_assert_evaluate():
    @T.prim_func
    def main(A: T.Buffer((4,), "int32"), n: T.int32):
        assert n > 0, "n must be positive"
        if n < 4 and n != 2:
            A[0] = 1
        else:
            A[1] = 2
        while A[0] < 10:
            A[0] = A[0] + 1
        T.evaluate(T.call_extern("int32", "f", n))

    a, A = _param_buffer("A", (4,), "int32")
    n = tir.Var("n", "int32")
    cond = tir.And(tir.LT(n, 4), tir.NE(n, 2))
    branch = tir.IfThenElse(cond, tir.BufferStore(A, 1, [0]), tir.BufferStore(A, 2, [1]))
    loop = tir.While(tir.LT(A[0], 10), tir.BufferStore(A, A[0] + 1, [0]))
    call = tir.Evaluate(tir.call_extern("int32", "f", n))
    body = tir.AssertStmt(tir.GT(n, 0), tir.StringImm("n must be positive"), tir.SeqStmt([branch, loop, call]))
    tvm.ir.assert_structural_equal(main, _func([a, n], body, {a: A}))


def test_vectors_ramps_and_slices():
    @T.prim_func
    def main(A: T.Buffer((16,), "float32"), B: T.Buffer((16,), "float32")):
        B[0:4] = A[4:8] + T.Broadcast(T.float32(1), 4)
        B[T.Ramp(8, 2, 4)] = T.broadcast(T.float32(2), 4)

    a, A = _param_buffer("A", (16,))
    b, B = _param_buffer("B", (16,))
    first = tir.BufferStore(
        B, A[tir.Ramp(4, 1, 4)] + tir.Broadcast(tir.const(1.0, "float32"), 4), [tir.Ramp(0, 1, 4)]
    )
    second = tir.BufferStore(B, tir.Broadcast(tir.const(2.0, "float32"), 4), [tir.Ramp(8, 2, 4)])
    tvm.ir.assert_structural_equal(main, _func([a, b], tir.SeqStmt([first, second]), {a: A, b: B}))


def test_intrinsics_and_constructors():
    @T.prim_func
    def main(A: T.Buffer((4,), "float32"), x: T.int32, p: T.handle):
        A[0] = T.exp(A[1]) + T.Cast("float32", T.max(x, 3)) + T.Select(x > 0, A[2], A[3])
        A[1] = T.if_then_else(T.likely(x < 2), T.float32(1), T.reinterpret("float32", x))
        A[2] = T.Cast("float32", T.floordiv(x, 2) + T.floormod(x, 2) + T.truncdiv(x, 3) + T.truncmod(x, 3))
        T.evaluate(T.call_packed("f", x, p))
        T.evaluate(T.tvm_access_ptr(T.type_annotation("float32"), A.data, 0, 4, 2))
        T.evaluate(T.address_of(A[0]))
        T.evaluate(T.assume(x < 100))

    stores = list(main.body.seq)
    assert stores[0].value.a.a.op.name == "tir.exp"
    assert isinstance(stores[0].value.b, tir.Select)
    assert stores[1].value.op.name == "tir.if_then_else"
    packed = stores[3].value
    assert packed.op.name == "tir.tvm_call_packed" and packed.args[0].value == "f"
    assert stores[4].value.op.name == "tir.tvm_access_ptr"
    assert stores[6].value.op.name == "tir.assume"


def test_typed_constants_and_var_declarations():
    @T.prim_func
    def main(A: T.Buffer((4,), "int64")):
        n = T.int64()
        A[0] = T.int64(0) + T.Cast("int64", T.uint8(3))
        with T.let(n, T.int64(5)):
            A[1] = n
        flag: T.bool = T.bool(True)
        if flag:
            A[2] = T.int64(1)

    let = main.body[1]
    assert isinstance(let, tir.LetStmt) and let.var.dtype == "int64" and let.var.name_hint == "n"
    assert main.body[0].value.dtype == "int64"
    typed = main.body[2]
    assert typed.var.dtype == "bool" and typed.var.name_hint == "flag"


def test_typed_pointers_and_handles():
    @T.prim_func
    def main(p: T.handle("float32", "shared"), q: T.handle, r: T.handle("int8")):
        T.evaluate(0)

    p, q, r = main.params
    assert p.type_annotation.storage_scope == "shared"
    assert p.type_annotation.element_type.dtype == "float32"
    assert q.type_annotation.dtype == "handle"
    assert r.type_annotation.element_type.dtype == "int8"


def test_closure_values_and_meta_var():
    n = 8
    dtype = "float16"
    factor = tir.const(2.0, "float16")

    @T.prim_func
    def main(A: T.Buffer((n,), dtype)):
        scale = T.meta_var(factor)  # a parser-only name: no let statement
        for i in range(n):
            A[i] = A[i] * scale

    buf = main.buffer_map[main.params[0]]
    assert buf.dtype == "float16" and buf.shape[0].value == 8
    assert isinstance(main.body.body, tir.BufferStore)


def test_func_attr_private_and_return_type():
    @T.prim_func(private=True)
    def helper(x: T.int32) -> T.int32:
        T.func_attr({"tir.noalias": True})
        T.evaluate(T.ret(x))

    assert "global_symbol" not in helper.attrs
    assert helper.attrs["tir.noalias"].value == 1
    assert helper.ret_type.dtype == "int32"


def test_ir_module_calls_between_functions():
    @I.ir_module
    class Module:
        @T.prim_func
        def square(x: T.int32) -> T.int32:
            T.ret(x * x)

        @T.prim_func
        def main(A: T.Buffer((4,), "int32")):
            for i in range(4):
                A[i] = Module.square(A[i])

    assert set(gv.name_hint for gv in Module.get_global_vars()) == {"square", "main"}
    call = Module["main"].body.body.value
    assert isinstance(call, tir.Call) and call.op.same_as(Module.get_global_var("square"))
    assert call.dtype == "int32"


def test_macro_pastes_statements():
    @T.macro
    def fill(buf, value):
        for i in range(4):
            buf[i] = value

    @T.prim_func
    def main(A: T.Buffer((4,), "int32"), B: T.Buffer((4,), "int32")):
        fill(A, 1)
        fill(B, 2)

    assert len(main.body.seq) == 2
    assert main.body[1].body.value.value == 2


def test_from_source_text():
    text = """
@T.prim_func
def f(A: T.Buffer((4,), "float32")):
    for i in T.unroll(4):
        A[i] = T.float32(0)
"""
    f = tvm.script.from_source(text)
    assert f.attrs["global_symbol"] == "f"
    assert f.body.kind == tir.ForKind.UNROLLED


def test_realize_and_prefetch_take_regions():
    @T.prim_func
    def main(n: T.int32):
        A = T.Buffer((n, 4), "float32")
        T.realize(A[0:n, 0:4], "")
        T.prefetch(A[0:2, 1:3])

    attr = main.body
    assert attr.attr_key == "realize_scope"
    realize = attr.body
    assert isinstance(realize, tir.BufferRealize)
    assert realize.bounds[1].extent.value == 4
    prefetch = realize.body
    assert [r.extent.value for r in prefetch.bounds] == [2, 2]


def test_loop_variables_as_one_name_and_starred_targets():
    @T.prim_func
    def one_name(A: T.Buffer((4, 8), "int32")):
        for iters in T.grid(4, 8):
            A[iters] = 1

    @T.prim_func
    def starred(A: T.Buffer((4, 8), "int32")):
        for *outer, inner in T.grid(4, 8):
            A[(*outer, inner)] = 1

    @T.prim_func
    def plain(A: T.Buffer((4, 8), "int32")):
        for i, j in T.grid(4, 8):
            A[i, j] = 1

    tvm.ir.assert_structural_equal(one_name.body, plain.body, map_free_vars=True)
    tvm.ir.assert_structural_equal(starred.body, plain.body, map_free_vars=True)
    assert one_name.body.loop_var.name_hint == "iters_0"
