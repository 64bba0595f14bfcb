# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""te.placeholder / compute / reduce_axis / reductions / extern: construction and validation."""
import pytest

import tvm
from tvm import te, tir


def test_placeholder():
    n = te.var("n")
    A = te.placeholder((n, 16), name="A")
    assert A.ndim == 2
    assert A.dtype == "float32"
    assert A.name == "A"
    assert isinstance(A.op, te.PlaceholderOp)
    assert A.op.name == "A"
    assert A.shape[0].same_as(n)
    assert int(A.shape[1]) == 16
    assert A.value_index == 0
    assert len(A.op.input_tensors) == 0
    B = te.placeholder(8, dtype="int8", name="B")
    assert B.ndim == 1 and B.dtype == "int8"
    assert te.placeholder((4,)).name == "placeholder"


def test_compute_any_rank():
    A = te.placeholder((2, 3, 4, 5), name="A")
    B = te.compute(A.shape, lambda a, b, c, d: A[a, b, c, d] + 1.0, name="B")
    assert B.ndim == 4
    assert [ax.var.name_hint for ax in B.op.axis] == ["a", "b", "c", "d"]
    assert [int(ax.dom.extent) for ax in B.op.axis] == [2, 3, 4, 5]
    assert B.op.input_tensors[0] == A
    # *args takes the remaining dimensions.
    C = te.compute(A.shape, lambda *i: A(*i) * 2.0, name="C")
    assert [ax.var.name_hint for ax in C.op.axis] == ["i0", "i1", "i2", "i3"]
    D = te.compute((3, 4), lambda i, *rest: A[0, i, rest[0], 0], name="D")
    assert [ax.var.name_hint for ax in D.op.axis] == ["i", "i1"]
    # rank 0
    E = te.compute((), lambda: A[0, 0, 0, 0], name="E")
    assert E.ndim == 0
    assert isinstance(E.op.body[0], tir.ProducerLoad)


def test_compute_arity_mismatch():
    A = te.placeholder((4, 4), name="A")
    with pytest.raises(ValueError, match="compute B: fcompute takes 1 indices"):
        te.compute((4, 4), lambda i: A[i, 0], name="B")
    with pytest.raises(ValueError, match="compute B: fcompute takes 3 indices"):
        te.compute((4, 4), lambda i, j, k: A[i, j], name="B")


def test_wrong_number_of_indices():
    A = te.placeholder((4, 4), name="A")
    with pytest.raises(ValueError, match="tensor A has 2 dimensions but is indexed with 3 indices"):
        te.compute((4, 4), lambda i, j: A(i, j, 0), name="B")
    with pytest.raises(ValueError, match="tensor A has 2 dimensions but is indexed with 3 indices"):
        te.compute((4, 4), lambda i, j: A[i, j, 0], name="B")
    # Partial indexing gives a slice that can be indexed further.
    B = te.compute((4, 4), lambda i, j: A[i][j] * 2.0, name="B")
    assert isinstance(B.op.body[0], tir.Mul)


def test_tensor_identity_and_hash():
    A = te.placeholder((4,), name="A")
    B = te.compute((4,), lambda i: A[i] + 1.0, name="B")
    assert B.op.output(0) == B
    assert hash(B.op.output(0)) == hash(B)
    assert B != A
    assert B in {B.op.output(0): 1}
    assert not (B == 1)


def test_repr():
    A = te.placeholder((4, 8), name="A")
    assert repr(A) == "Tensor(shape=[4, 8], op.name=A)"
    B = te.compute((4, 8), lambda i, j: A[i, j] + 1.0, name="B")
    assert repr(B.op).startswith("compute(B, body=[A[i, j] + T.float32(1.0)]")


def test_sum_reduction():
    n, m = 16, 32
    A = te.placeholder((n, m), name="A")
    k = te.reduce_axis((0, m), name="k")
    B = te.compute((n,), lambda i: te.sum(A[i, k], axis=k), name="B")
    assert len(B.op.reduce_axis) == 1
    assert B.op.reduce_axis[0].same_as(k)
    body = B.op.body[0]
    assert isinstance(body, tir.Reduce)
    assert body.axis[0].same_as(k)
    assert k.iter_type == tir.IterVar.CommReduce


def test_max_min_reduction_identity():
    A = te.placeholder((8,), name="A", dtype="int32")
    k = te.reduce_axis((0, 8), name="k")
    mx = te.compute((1,), lambda i: te.max(A[k], axis=k), name="mx")
    mn = te.compute((1,), lambda i: te.min(A[k], axis=k), name="mn")
    assert int(mx.op.body[0].combiner.identity_element[0]) == -(2**31)
    assert int(mn.op.body[0].combiner.identity_element[0]) == 2**31 - 1


def test_reduction_with_where_and_init():
    A = te.placeholder((8, 8), name="A")
    k = te.reduce_axis((0, 8), name="k")
    B = te.compute((8,), lambda i: te.sum(A[i, k], axis=k, where=k > i), name="B")
    assert isinstance(B.op.body[0].condition, tir.GT)
    C = te.placeholder((8,), name="C")
    D = te.compute((8,), lambda i: te.sum(A[i, k], axis=k, init=C[i]), name="D")
    assert len(D.op.body[0].init) == 1
    assert len(D.op.input_tensors) == 2


def test_comm_reducer_custom():
    mysum = te.comm_reducer(lambda x, y: x + y, lambda t: tvm.tir.const(0, dtype=t), name="mysum")
    A = te.placeholder((8, 8), name="A")
    k = te.reduce_axis((0, 8), name="k")
    B = te.compute((8,), lambda i: mysum(A[i, k], axis=k), name="B")
    assert isinstance(B.op.body[0], tir.Reduce)


def argmax_reducer():
    def fcombine(x, y):
        lhs = tvm.tir.Select((x[1] >= y[1]), x[0], y[0])
        rhs = tvm.tir.Select((x[1] >= y[1]), x[1], y[1])
        return lhs, rhs

    def fidentity(t0, t1):
        return tvm.tir.const(-1, t0), te.min_value(t1)

    return te.comm_reducer(fcombine, fidentity, name="argmax")


def test_tuple_reduction_argmax():
    argmax = argmax_reducer()
    m, n = 8, 16
    idx = te.placeholder((m, n), name="idx", dtype="int32")
    val = te.placeholder((m, n), name="val", dtype="float32")
    k = te.reduce_axis((0, n), "k")
    T0, T1 = te.compute((m,), lambda i: argmax((idx[i, k], val[i, k]), axis=k), name="T")
    assert T0.op.same_as(T1.op)
    assert T0.op.num_outputs == 2
    assert T0.dtype == "int32" and T1.dtype == "float32"
    assert T0.name == "T.v0" and T1.name == "T.v1"
    assert T1.value_index == 1
    # The two outputs read the two inputs once.
    assert len(T0.op.input_tensors) == 2


def test_reduction_nested_in_expression_is_an_error():
    A = te.placeholder((8, 8), name="A")
    k = te.reduce_axis((0, 8), name="k")
    with pytest.raises(ValueError, match="compute B: a reduction .* must be the whole body"):
        te.compute((8,), lambda i: te.sum(A[i, k], axis=k) * 2.0, name="B")
    with pytest.raises(ValueError, match="compute B: a reduction cannot be nested inside another reduction"):
        k2 = te.reduce_axis((0, 8), name="k2")
        te.compute((8,), lambda i: te.sum(A[i, k] + te.sum(A[k2, i], axis=k2), axis=k), name="B")


def test_mismatched_multi_output_reductions_are_an_error():
    A = te.placeholder((8, 8), name="A")
    k = te.reduce_axis((0, 8), name="k")
    k2 = te.reduce_axis((0, 8), name="k2")
    with pytest.raises(ValueError, match="compute B: output 1 is a different reduction from output 0"):
        te.compute((8,), lambda i: (te.sum(A[i, k], axis=k), te.sum(A[i, k2], axis=k2)), name="B")
    with pytest.raises(ValueError, match="compute B: output 0 is a reduction but output 1 is not"):
        te.compute((8,), lambda i: (te.sum(A[i, k], axis=k), A[i, 0]), name="B")


def test_multi_output_compute():
    A = te.placeholder((8,), name="A")
    B0, B1 = te.compute((8,), lambda i: (A[i] + 1.0, A[i] * 2.0), name="B")
    assert B0.op.num_outputs == 2
    assert B1.value_index == 1


def test_if_then_else_body():
    A = te.placeholder((8,), name="A")
    B = te.compute((10,), lambda i: te.if_then_else(tvm.tir.all(i >= 1, i <= 8), A[i - 1], 0.0), name="B")
    body = B.op.body[0]
    assert isinstance(body, tir.Call)
    assert body.op.name == "tir.if_then_else"


def test_var_size_var_const():
    v = te.var("v")
    assert isinstance(v, tir.Var) and v.dtype == "int32"
    s = te.size_var("s", dtype="int64")
    assert isinstance(s, tir.SizeVar) and s.dtype == "int64"
    c = te.const(3, "int8")
    assert isinstance(c, tir.IntImm) and c.dtype == "int8" and int(c) == 3
    f = te.const(1.5, "float32")
    assert isinstance(f, tir.FloatImm)


def test_thread_axis_and_reduce_axis():
    tx = te.thread_axis("threadIdx.x")
    assert tx.thread_tag == "threadIdx.x"
    assert tx.iter_type == tir.IterVar.ThreadIndex
    assert tx.var.name_hint == "threadIdx.x"
    bx = te.thread_axis((0, 32), "blockIdx.x", name="bx")
    assert int(bx.dom.extent) == 32 and bx.var.name_hint == "bx"
    with pytest.raises(ValueError):
        te.thread_axis()
    k = te.reduce_axis((2, 10), name="k")
    assert int(k.dom.min) == 2 and int(k.dom.extent) == 8


def test_compute_tag_and_attrs():
    A = te.placeholder((4,), name="A")
    B = te.compute((4,), lambda i: A[i], name="B", tag="elemwise", attrs={"hint": 1})
    assert B.op.tag == "elemwise"
    assert int(B.op.attrs["hint"]) == 1
    with te.tag_scope("injective"):
        C = te.compute((4,), lambda i: A[i], name="C")
    assert C.op.tag == "injective"


def test_extern_packed_callback():
    n = 16
    A = te.placeholder((n,), name="A")
    C = te.extern(
        (n,),
        [A],
        lambda ins, outs: tvm.tir.call_packed("my_vector_add_one", ins[0].data, outs[0].data, n),
        name="C",
    )
    assert isinstance(C.op, te.ExternOp)
    assert C.dtype == "float32"
    assert C.op.input_tensors[0] == A
    assert isinstance(C.op.body, tir.Evaluate)
    # two outputs, explicit dtypes
    D, E = te.extern(
        [(n,), (n,)],
        [A],
        lambda ins, outs: tvm.tir.call_packed("f", ins[0].data, outs[0].data, outs[1].data),
        name="DE",
        dtype=["float32", "int32"],
    )
    assert D.dtype == "float32" and E.dtype == "int32"
    with pytest.raises(ValueError, match="cannot infer the output dtype"):
        B = te.placeholder((n,), dtype="int8", name="B")
        te.extern((n,), [A, B], lambda ins, outs: tvm.tir.call_packed("f", ins[0].data), name="X")



def test_extern_call_packed_with_buffers():
    A = te.placeholder((16,), name="A")
    C = te.extern((16,), [A], lambda ins, outs: tvm.tir.call_packed("f", ins[0], outs[0]), name="C")
    assert isinstance(C.op, te.ExternOp)


def test_create_prim_func():
    A = te.placeholder((8,), name="A")
    B = te.compute((8,), lambda i: A[i] + 1.0, name="B")
    func = te.create_prim_func([A, B])
    assert isinstance(func, tir.PrimFunc)
    assert len(func.params) == 2
    assert func.attrs["global_symbol"] == "main"


def test_nested_tag_scopes_are_refused():
    with te.tag_scope("outer"):
        with pytest.raises(ValueError, match="nested tag scopes are not allowed"):
            with te.tag_scope("inner"):
                pass
        # The outer scope is still the one in effect.
        A = te.placeholder((4,), name="A")
        assert te.compute((4,), lambda i: A[i], name="B").op.tag == "outer"
