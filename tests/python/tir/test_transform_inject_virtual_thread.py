# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""InjectVirtualThread: vthread/cthread become interleaved copies or a loop."""
import tvm
from tvm import tir
from tvm.tir import ForKind


def _run(func):
    return tvm.tir.transform.InjectVirtualThread()(tvm.IRModule({"main": func}))["main"]


def _vthread(name, extent, tag="vthread"):
    var = tir.Var(name, "int32")
    return var, tir.IterVar(tvm.ir.Range(0, extent), var, 1, tag)


def test_statements_are_duplicated_inside_loops():
    A = tir.decl_buffer((64,), name="A")
    B = tir.decl_buffer((64,), name="B")
    vt, iv = _vthread("vt", 2)
    i = tir.Var("i", "int32")
    loop = tir.For(i, 0, 4, ForKind.SERIAL, tir.BufferStore(B, A[i * 2 + vt], [i * 2 + vt]))
    out = _run(tir.PrimFunc([A, B], tir.AttrStmt(iv, "virtual_thread", 2, loop)))
    expected = tir.For(
        i,
        0,
        4,
        ForKind.SERIAL,
        tir.SeqStmt([tir.BufferStore(B, A[tir.Add(i * 2, k)], [tir.Add(i * 2, k)]) for k in range(2)]),
    )
    tvm.ir.assert_structural_equal(out.body, expected)


def test_local_allocation_gets_one_slice_per_thread():
    A = tir.decl_buffer((64,), name="A")
    vt, iv = _vthread("vt", 2)
    local = tir.Var("L", tvm.ir.PointerType(tvm.ir.PrimType("float32"), "local"))
    L = tir.decl_buffer((4,), name="L", data=local)
    j = tir.Var("j", "int32")
    fill = tir.For(j, 0, 4, ForKind.SERIAL, tir.BufferStore(L, A[vt * 4 + j], [j]))
    use = tir.For(j, 0, 4, ForKind.SERIAL, tir.BufferStore(A, L[j], [vt * 4 + j]))
    alloc = tir.Allocate(local, "float32", [4], True, tir.SeqStmt([fill, use]))
    out = _run(tir.PrimFunc([A], tir.AttrStmt(iv, "virtual_thread", 2, alloc)))
    assert isinstance(out.body, tir.Allocate)
    tvm.ir.assert_structural_equal(list(out.body.extents), [tir.const(8, "int32")])
    text = str(out)
    assert "vt" not in text.replace("virtual", "")
    # Each copy of the fill writes its own half of L.
    first_fill = out.body.body[0].body[1]
    tvm.ir.assert_structural_equal(first_fill.indices[0], tir.Add(j, tir.Mul(1, 4)))


def test_untouched_statements_run_once():
    A = tir.decl_buffer((64,), name="A")
    vt, iv = _vthread("vt", 4)
    shared = tir.BufferStore(A, tir.const(0.0, "float32"), [63])
    per_thread = tir.BufferStore(A, tir.const(1.0, "float32"), [vt])
    out = _run(tir.PrimFunc([A], tir.AttrStmt(iv, "virtual_thread", 4, tir.SeqStmt([shared, per_thread]))))
    expected = tir.SeqStmt([shared] + [tir.BufferStore(A, tir.const(1.0, "float32"), [k]) for k in range(4)])
    tvm.ir.assert_structural_equal(out.body, expected)


def test_many_threads_become_a_loop():
    A = tir.decl_buffer((64,), name="A")
    vt, iv = _vthread("vt", 32, "cthread")
    out = _run(tir.PrimFunc([A], tir.AttrStmt(iv, "virtual_thread", 32, tir.BufferStore(A, tir.const(1.0, "float32"), [vt]))))
    assert isinstance(out.body, tir.For)
    assert out.body.extent.value == 32
    assert out.body.loop_var.name_hint == "vt.s"


def test_vector_access_keeps_one_ramp_moved_by_the_thread_offset():
    from tvm.script import tir as T  # pylint: disable=import-outside-toplevel

    @T.prim_func
    def before(A: T.Buffer((16,), "float32")):
        vt = T.launch_thread("vthread", 2)
        B_data = T.allocate([4], "float32", "shared")
        B = T.Buffer((4,), "float32", data=B_data, scope="shared")
        B[0:4] = A[vt * 4 : vt * 4 + 4]
        A[vt * 4 + 8 : vt * 4 + 12] = B[0:4]

    out = tvm.tir.transform.InjectVirtualThread()(tvm.IRModule({"main": before}))["main"]
    stores = []
    tvm.tir.stmt_functor.post_order_visit(out.body, lambda n: stores.append(n) if isinstance(n, tvm.tir.BufferStore) else None)
    shared = [s for s in stores if s.buffer.scope() == "shared"]
    # One store per virtual thread, each a ramp starting at the thread's slice.
    analyzer = tvm.arith.Analyzer()
    assert [analyzer.simplify(s.indices[0].base).value for s in shared] == [0, 4]
    assert all(isinstance(s.indices[0], tvm.tir.Ramp) and s.indices[0].lanes == 4 for s in shared)


def test_if_with_thread_independent_condition_kept_once():
    A = tir.decl_buffer((64,), name="A")
    B = tir.decl_buffer((64,), name="B")
    n = tir.Var("n", "int32")
    vt, iv = _vthread("vt", 2)
    branch = tir.IfThenElse(n == 0, tir.BufferStore(B, A[vt], [vt]), tir.BufferStore(B, A[vt + 2], [vt]))
    out = _run(tir.PrimFunc([A, B, n], tir.AttrStmt(iv, "virtual_thread", 2, branch)))
    expected = tir.IfThenElse(
        n == 0,
        tir.SeqStmt([tir.BufferStore(B, A[k], [k]) for k in range(2)]),
        tir.SeqStmt([tir.BufferStore(B, A[tir.Add(k, 2)], [k]) for k in range(2)]),
    )
    tvm.ir.assert_structural_equal(out.body, expected)


def test_buffer_written_by_extern_call_reading_thread_data_is_expanded():
    # C is written only by an opaque call, but the call reads A, which depends on vt.
    vt, iv = _vthread("vt", 2)
    ptr = lambda name: tir.Var(name, tvm.ir.PointerType(tvm.ir.PrimType("float32"), "shared"))
    a_data, c_data = ptr("A"), ptr("C")
    A = tir.decl_buffer((4,), name="A", data=a_data)
    C = tir.decl_buffer((4,), name="C", data=c_data)
    call = tir.call_extern("int32", "Run", A.access_ptr("r"), C.access_ptr("rw"))
    body = tir.SeqStmt([tir.BufferStore(A, tir.Cast("float32", vt), [vt]), tir.Evaluate(call)])
    body = tir.Allocate(a_data, "float32", [4], True, tir.Allocate(c_data, "float32", [4], True, body))
    out = _run(tir.PrimFunc([], tir.AttrStmt(iv, "virtual_thread", 2, body)))
    assert [int(e) for e in out.body.extents] == [8]
    assert [int(e) for e in out.body.body.extents] == [8]
