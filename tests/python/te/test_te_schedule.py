# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Schedule primitives: what they record on stages, and the errors of illegal schedules.

The loops they produce are checked in test_te_schedule_lower.py.
"""
import pytest

import tvm
from tvm import te


def two_stage(shape=(16, 16)):
    A = te.placeholder(shape, name="A")
    B = te.compute(shape, lambda i, j: A[i, j] + 1.0, name="B")
    C = te.compute(shape, lambda i, j: B[i, j] * 2.0, name="C")
    return A, B, C, te.create_schedule(C.op)


def test_create_schedule_stages_in_topological_order():
    A, B, C, s = two_stage()
    assert [st.op.name for st in s.stages] == ["A", "B", "C"]
    assert s.outputs[0].same_as(C.op)
    assert s[C].is_output and not s[B].is_output
    assert s[C].same_as(s[C.op])
    # create_schedule takes an op, a list of ops, or tensors
    assert len(te.create_schedule([C.op]).stages) == 3
    assert len(te.create_schedule(C).stages) == 3


def test_split_factor_and_nparts():
    A, B, C, s = two_stage()
    xo, xi = s[C].split(C.op.axis[0], factor=4)
    assert xo.var.name_hint == "i.outer" and xi.var.name_hint == "i.inner"
    assert [iv.var.name_hint for iv in s[C].leaf_iter_vars] == ["i.outer", "i.inner", "j"]
    rel = s[C].relations[0]
    assert isinstance(rel, te.schedule.Split)
    assert int(rel.factor) == 4 and rel.nparts is None
    yo, yi = s[C].split(C.op.axis[1], nparts=2)
    assert int(s[C].relations[1].nparts) == 2 and s[C].relations[1].factor is None
    assert len(s[C].all_iter_vars) == 6
    with pytest.raises(ValueError, match="give either factor or nparts"):
        s[C].split(xo, factor=2, nparts=2)
    with pytest.raises(ValueError, match="give factor or nparts"):
        s[C].split(xo)


def test_tile_returns_four_axes_in_order():
    A, B, C, s = two_stage()
    xo, yo, xi, yi = s[C].tile(C.op.axis[0], C.op.axis[1], 4, 8)
    assert [iv.same_as(x) for iv, x in zip(s[C].leaf_iter_vars, [xo, yo, xi, yi])] == [True] * 4


def test_fuse_and_singleton():
    A, B, C, s = two_stage()
    fused = s[C].fuse(C.op.axis[0], C.op.axis[1])
    assert fused.var.name_hint == "i.j.fused"
    assert len(s[C].leaf_iter_vars) == 1
    single = s[B].fuse()
    assert single.var.name_hint == "singleton"
    assert s[B].leaf_iter_vars[0].same_as(single)


def test_reorder():
    A, B, C, s = two_stage()
    i, j = C.op.axis
    s[C].reorder(j, i)
    assert s[C].leaf_iter_vars[0].same_as(j)
    # a partial reorder keeps the other loops in place
    xo, xi = s[B].split(B.op.axis[0], factor=4)
    s[B].reorder(B.op.axis[1], xi)
    assert [iv.var.name_hint for iv in s[B].leaf_iter_vars] == ["i.outer", "j", "i.inner"]


def test_annotations_recorded():
    A, B, C, s = two_stage()
    xo, xi = s[C].split(C.op.axis[1], factor=4)
    s[C].vectorize(xi)
    s[C].parallel(C.op.axis[0])
    s[B].unroll(B.op.axis[1])
    assert s[C].iter_var_attrs[xi].iter_type == tvm.tir.IterVar.Vectorized
    assert s[C].iter_var_attrs[C.op.axis[0]].iter_type == tvm.tir.IterVar.Parallelized
    assert s[B].iter_var_attrs[B.op.axis[1]].iter_type == tvm.tir.IterVar.Unrolled
    s[C].pragma(xo, "debug_skip_region")
    assert [k.value for k in s[C].iter_var_attrs[xo].pragma_keys] == ["debug_skip_region"]
    tx = te.thread_axis("threadIdx.x")
    s[B].bind(B.op.axis[0], tx)
    assert s[B].iter_var_attrs[B.op.axis[0]].bind_thread.same_as(tx)


def test_compute_at_inline_root():
    A, B, C, s = two_stage()
    s[B].compute_at(s[C], C.op.axis[1])
    assert s[B].attach_type == 4 and s[B].attach_stage.same_as(s[C])
    assert s[B].attach_ivar.same_as(C.op.axis[1])
    s[B].compute_inline()
    assert s[B].attach_type == 2
    s[B].compute_root()
    assert s[B].attach_type == 1 and s[B].attach_ivar is None


def test_cache_read_and_write_add_stages():
    A, B, C, s = two_stage()
    AA = s.cache_read(A, "shared", [B])
    assert AA.op.name == "A.shared"
    assert s[AA].scope == "shared"
    assert s[B].op.input_tensors[0] == AA
    CC = s.cache_write(C, "local")
    assert CC.op.name == "C.local"
    assert [st.op.name for st in s.stages] == ["A", "A.shared", "B", "C.local", "C"]
    # The original stage now copies the cache; its axes are still C.op.axis.
    assert s[C].op.input_tensors[0] == CC
    assert s[C].op.axis[0].same_as(C.op.axis[0])
    # A second cache of the same tensor gets a distinct name.
    AA2 = s.cache_read(A, "shared", [AA])
    assert AA2.op.name == "A.d.shared"


def test_cache_write_reduction_and_multi_output():
    A = te.placeholder((8, 8), name="A")
    k = te.reduce_axis((0, 8), name="k")
    B = te.compute((8,), lambda i: te.sum(A[i, k], axis=k), name="B")
    s = te.create_schedule(B.op)
    BL = s.cache_write(B, "local")
    assert len(BL.op.reduce_axis) == 1
    assert len(s[B].op.reduce_axis) == 0
    X0, X1 = te.compute((8,), lambda i: (A[i, 0] + 1.0, A[i, 1] * 2.0), name="X")
    s2 = te.create_schedule(X0.op)
    caches = s2.cache_write([X0, X1], "local")
    assert len(caches) == 2 and caches[0].op.same_as(caches[1].op)


def test_rfactor_returns_factored_tensor():
    n = 64
    A = te.placeholder((n,), name="A")
    k = te.reduce_axis((0, n), name="k")
    B = te.compute((1,), lambda i: te.sum(A[k], axis=k), name="B")
    s = te.create_schedule(B.op)
    ko, ki = s[B].split(k, factor=16)
    BF = s.rfactor(B, ki)
    assert BF.op.name == "B.rf"
    assert [int(x) for x in BF.shape] == [16, 1]
    assert [iv.var.name_hint for iv in BF.op.axis] == ["k.inner", "i"]
    assert [iv.var.name_hint for iv in BF.op.reduce_axis] == ["k.outer"]
    assert s[B].op.input_tensors[0] == BF
    assert s[B].op.reduce_axis[0].var.name_hint == "k.inner.v"
    BF1 = te.create_schedule(B.op).rfactor(B, k, factor_axis=1)
    assert [int(x) for x in BF1.shape] == [1, 64]


def test_normalize_does_not_change_the_schedule():
    A, B, C, s = two_stage()
    s[B].compute_inline()
    sn = s.normalize()
    assert s[B].attach_type == 2
    assert sn[B].attach_type == 3
    assert not sn[C].same_as(s[C])


def test_create_group_and_compute_at():
    A = te.placeholder((16, 16), name="A")
    B = te.compute((16, 16), lambda i, j: A[i, j] + 1.0, name="B")
    C = te.compute((16, 16), lambda i, j: B[i, j] * 2.0, name="C")
    D = te.compute((16, 16), lambda i, j: C[i, j] - 1.0, name="D")
    s = te.create_schedule(D.op)
    g = s.create_group(outputs=C, inputs=A)
    assert g.num_child_stages == 2
    assert s[B].group.same_as(g) and s[C].group.same_as(g)
    g.compute_at(s[D], D.op.axis[0])
    mod = tvm.lower(s, [A, D], simple_mode=True)
    assert mod is not None


# ---------------------------------------------------------------------------
# Illegal schedules: the error names the primitive, the stage and the axis.


def test_split_axis_of_another_stage():
    A, B, C, s = two_stage()
    with pytest.raises(ValueError, match=r"split: axis i is not an axis of stage C"):
        s[C].split(B.op.axis[0], factor=4)


def test_split_axis_already_split():
    A, B, C, s = two_stage()
    s[C].split(C.op.axis[0], factor=4)
    with pytest.raises(ValueError, match=r"split: axis i of stage C has already been split or fused"):
        s[C].split(C.op.axis[0], factor=2)


def test_split_non_positive_factor():
    A, B, C, s = two_stage()
    with pytest.raises(ValueError, match=r"split: the factor for axis j of stage C must be positive, got 0"):
        s[C].split(C.op.axis[1], factor=0)
    with pytest.raises(ValueError, match=r"split: the nparts for axis j of stage C must be positive, got -2"):
        s[C].split(C.op.axis[1], nparts=-2)


def test_reorder_repeated_axis():
    A, B, C, s = two_stage()
    with pytest.raises(ValueError, match=r"reorder: axis j of stage C appears more than once"):
        s[C].reorder(C.op.axis[1], C.op.axis[0], C.op.axis[1])


def test_reorder_axis_of_another_stage():
    A, B, C, s = two_stage()
    with pytest.raises(ValueError, match=r"reorder: axis i is not an axis of stage C"):
        s[C].reorder(B.op.axis[0], C.op.axis[0])


def test_fuse_non_adjacent():
    A = te.placeholder((4, 4, 4), name="A")
    B = te.compute((4, 4, 4), lambda i, j, k: A[i, j, k] + 1.0, name="B")
    s = te.create_schedule(B.op)
    i, j, k = B.op.axis
    with pytest.raises(ValueError, match=r"fuse: axes i and k of stage B are not adjacent loops"):
        s[B].fuse(i, k)
    with pytest.raises(ValueError, match=r"fuse: axes j and i of stage B are not adjacent loops"):
        s[B].fuse(j, i)


def test_compute_at_stage_that_does_not_consume():
    A = te.placeholder((16,), name="A")
    B = te.compute((16,), lambda i: A[i] + 1.0, name="B")
    C = te.compute((16,), lambda i: A[i] * 2.0, name="C")
    D = te.compute((16,), lambda i: B[i] + C[i], name="D")
    s = te.create_schedule(D.op)
    # Accepted when made (as in TVM), refused when the schedule is lowered.
    s[B].compute_at(s[C], C.op.axis[0])
    with pytest.raises(ValueError, match=r"compute_at: stage C does not read B, so B cannot be computed at its axis i"):
        tvm.lower(s, [A, D])


def test_compute_at_self_and_cycles_fail_at_lowering():
    A = te.compute((16, 16), lambda i, j: 1.0, name="A")
    C = te.compute((16, 16), lambda i, j: A[i, j] + 1.0, name="C")
    s = te.create_schedule(C.op)
    s[C].compute_at(s[C], C.op.axis[0])
    with pytest.raises(ValueError, match=r"compute_at: stage C cannot be computed at one of its own loops"):
        tvm.lower(s, [A, C])
    s = te.create_schedule(C.op)
    s[A].compute_at(s[C], C.op.axis[0])
    s[C].compute_at(s[A], A.op.axis[0])
    with pytest.raises(ValueError, match=r"compute_at: stage C is an output of the schedule"):
        tvm.lower(s, [C])


def test_compute_at_axis_not_of_the_target():
    A, B, C, s = two_stage()
    with pytest.raises(ValueError, match=r"compute_at: axis i is not a loop of stage C"):
        s[B].compute_at(s[C], B.op.axis[0])


def test_compute_at_with_a_consumer_outside_the_loop():
    A = te.placeholder((16,), name="A")
    B = te.compute((16,), lambda i: A[i] + 1.0, name="B")
    C = te.compute((16,), lambda i: B[i] * 2.0, name="C")
    F = te.compute((16,), lambda i: B[i] - 1.0, name="F")
    G = te.compute((16,), lambda i: C[i] + F[i], name="G")
    s = te.create_schedule(G.op)
    s[B].compute_at(s[C], C.op.axis[0])
    with pytest.raises(ValueError, match=r"stage B is computed at axis i of stage C, but its consumer F is not inside"):
        tvm.lower(s, [A, G])


def test_vectorize_non_constant_extent():
    n = te.var("n")
    A = te.placeholder((n,), name="A")
    B = te.compute((n,), lambda i: A[i] + 1.0, name="B")
    s = te.create_schedule(B.op)
    s[B].vectorize(B.op.axis[0])
    with pytest.raises(ValueError, match=r"vectorize: axis i of stage B has extent n, which is not a constant"):
        tvm.lower(s, [A, B])
    s = te.create_schedule(B.op)
    xo, xi = s[B].split(B.op.axis[0], factor=te.var("f"))
    s[B].vectorize(xi)
    with pytest.raises(ValueError, match=r"vectorize: axis i.inner of stage B has extent f"):
        tvm.lower(s, [A, B])


def test_vectorize_reduction_axis():
    A = te.placeholder((8, 8), name="A")
    k = te.reduce_axis((0, 8), name="k")
    B = te.compute((8,), lambda i: te.sum(A[i, k], axis=k), name="B")
    s = te.create_schedule(B.op)
    with pytest.raises(ValueError, match=r"vectorize: axis k of stage B is a reduction axis"):
        s[B].vectorize(k)


def test_compute_inline_of_a_reduction():
    A = te.placeholder((8, 8), name="A")
    k = te.reduce_axis((0, 8), name="k")
    B = te.compute((8,), lambda i: te.sum(A[i, k], axis=k), name="B")
    C = te.compute((8,), lambda i: B[i] + 1.0, name="C")
    s = te.create_schedule(C.op)
    with pytest.raises(ValueError, match=r"compute_inline: stage B is a reduction \(over k\) and cannot be inlined"):
        s[B].compute_inline()
    with pytest.raises(ValueError, match=r"compute_inline: stage C is an output"):
        s[C].compute_inline()


def test_bind_an_axis_twice():
    A, B, C, s = two_stage()
    s[C].bind(C.op.axis[1], te.thread_axis("threadIdx.x"))
    with pytest.raises(ValueError, match=r"bind: axis j of stage C is already bound to threadIdx.x"):
        s[C].bind(C.op.axis[1], te.thread_axis("threadIdx.y"))
    tx = te.thread_axis("threadIdx.y")
    s[B].bind(B.op.axis[0], tx)
    with pytest.raises(ValueError, match=r"bind: thread threadIdx.y is already bound to axis i of stage B"):
        s[B].bind(B.op.axis[1], tx)


def test_bind_to_a_non_thread_axis():
    A, B, C, s = two_stage()
    with pytest.raises(ValueError, match=r"bind: axis i of stage C can only be bound to a thread axis"):
        s[C].bind(C.op.axis[0], C.op.axis[1])


def test_misc_errors():
    A, B, C, s = two_stage()
    with pytest.raises(ValueError, match=r"double_buffer: stage C is an output"):
        s[C].double_buffer()
    with pytest.raises(ValueError, match=r"storage_align: axis i is not a dimension of the output of stage B"):
        s[B].storage_align(C.op.axis[0], 4, 0)
    with pytest.raises(ValueError, match=r"cache_read: stage C does not read A"):
        s.cache_read(A, "shared", [C])
    with pytest.raises(ValueError, match=r"tile: axis i of stage C is given twice"):
        s[C].tile(C.op.axis[0], C.op.axis[0], 4, 4)
    other = te.compute((4,), lambda i: A[i, i], name="other")
    with pytest.raises(ValueError, match=r"operation other is not part of this schedule"):
        s[other]
    s[C].compute_at(s[B], B.op.axis[0])
    with pytest.raises(ValueError, match=r"compute_at: stage C is an output of the schedule"):
        tvm.lower(s, [A, C])


def test_rfactor_errors():
    A = te.placeholder((8, 8), name="A")
    k = te.reduce_axis((0, 8), name="k")
    B = te.compute((8,), lambda i: te.sum(A[i, k], axis=k), name="B")
    s = te.create_schedule(B.op)
    with pytest.raises(ValueError, match=r"rfactor: axis i of stage B is not a reduction axis"):
        s.rfactor(B, B.op.axis[0])
    C = te.compute((8,), lambda i: A[i, 0], name="C")
    with pytest.raises(ValueError, match=r"rfactor: stage C is not a reduction"):
        te.create_schedule(C.op).rfactor(C, k)


def test_cache_write_after_split_lays_the_cache_out_in_loop_order():
    A = te.placeholder((16, 10), name="A")
    k = te.reduce_axis((0, 10), name="k")
    B = te.compute((16,), lambda i: te.sum(A[i, k], axis=k), name="B")
    s = te.create_schedule(B.op)
    s[B].split(B.op.axis[0], factor=4)
    BL = s.cache_write(B, "local")
    assert [int(x) for x in BL.shape] == [4, 4]
    assert [iv.var.name_hint for iv in BL.op.axis] == ["i.outer.c", "i.inner.c"]
    # The original stage is a plain copy again, over its original axes.
    assert len(s[B].relations) == 0
    assert s[B].leaf_iter_vars[0].same_as(B.op.axis[0])
    from te_nest_helpers import dedent, lower_nest

    expected = """
        allocate B_local float32[16] local
        for i_outer_c in range(4):
          for i_inner_c in range(4):
            B_local[i_outer_c * 4 + i_inner_c] = T.float32(0.0)
            for k in range(10):
              B_local[i_outer_c * 4 + i_inner_c] = B_local[i_outer_c * 4 + i_inner_c] + A[i_outer_c * 40 + i_inner_c * 10 + k]
        for i in range(16):
          B[i] = B_local[i]
    """
    assert lower_nest(s, [A, B]) == dedent(expected)


def test_cache_write_after_split_of_a_reduction_axis():
    A = te.placeholder((16, 10), name="A")
    k = te.reduce_axis((0, 10), name="k")
    B = te.compute((16,), lambda i: te.sum(A[i, k], axis=k), name="B")
    s = te.create_schedule(B.op)
    s[B].split(k, factor=5)
    with pytest.raises(ValueError, match=r"cache_write: loop k.outer of stage B was made from a reduction axis"):
        s.cache_write(B, "local")


def test_rank0_tensor_in_expressions():
    A = te.placeholder((), name="A")
    B = te.placeholder((4,), name="B")
    C = te.compute((4,), lambda i: B[i] * A() + 1.0, name="C")
    assert len(C.op.input_tensors) == 2
    # A rank-0 tensor on the left of an operator reads its element.
    D = te.compute((4,), lambda i: A + B[i], name="D")
    assert isinstance(D.op.body[0], tvm.tir.Add)
    # ... and on the right, as A() (TypeError before).
    E = te.compute((4,), lambda i: B[i] + A, name="E")
    tvm.ir.assert_structural_equal(E.op.body[0], B[E.op.axis[0].var] + A())
    for build in (lambda i: B[i] - A, lambda i: B[i] * A, lambda i: B[i] / A, lambda i: B[i] ** A,
                  lambda i: tvm.tir.max(B[i], A()) + A, lambda i: tvm.tir.Select(B[i] < A, B[i], A())):
        F = te.compute((4,), build, name="F")
        assert any(t.same_as(A) for t in F.op.input_tensors)
    G = te.compute((4,), lambda i: tvm.tir.Select(B[i] == A, 1.0, 0.0), name="G")
    assert isinstance(G.op.body[0].condition, tvm.tir.EQ)
    I = te.placeholder((4,), name="I", dtype="int32")
    K = te.placeholder((), name="K", dtype="int32")
    J = te.compute((4,), lambda i: (I[i] // K) % K + (I[i] & K) + (I[i] << K), name="J")
    assert any(t.same_as(K) for t in J.op.input_tensors)
    # Tensors of higher rank must be indexed.
    with pytest.raises(ValueError, match="tensor B has 1 dimensions; index it"):
        te.compute((4,), lambda i: B[i] + B, name="H")


def test_schedule_record_keeps_a_copy_after_each_primitive():
    with tvm.transform.PassContext(config={"te.keep_schedule_record": True}):
        k = te.reduce_axis((0, 64), "k")
        A = te.placeholder((64, 64), name="A")
        B = te.placeholder((64, 64), name="B")
        C = te.compute((64, 64), lambda m, n: te.sum(A[m, k] * B[k, n], axis=k), name="C")
        s = te.create_schedule(C.op)
        assert list(s.primitive_record) == ["vanilla"]
        mo, no, mi, ni = s[C].tile(C.op.axis[0], C.op.axis[1], 8, 8)
        ko, ki = s[C].split(k, factor=4)
        s[C].reorder(mo, ko, no, mi, ki, ni)
        s[C].vectorize(ni)
        s[C].parallel(mo)
        # tile is two splits and a reorder.
        assert list(s.primitive_record) == [
            "vanilla", "split", "split", "reorder", "split", "reorder", "vectorize", "parallel"
        ]
        assert len(s.schedule_record) == 8
        # Each copy is the schedule as it was then.
        assert len(s.schedule_record[0].stages[-1].leaf_iter_vars) == 3
        assert len(s.schedule_record[3].stages[-1].leaf_iter_vars) == 5
        assert len(s.schedule_record[4].stages[-1].leaf_iter_vars) == 6
    # Off by default.
    assert len(te.create_schedule(C.op).schedule_record) == 0


def test_schedule_module_exposes_buffer():
    # TVM's tensor-intrinsic code checks isinstance(buf, tvm.te.schedule.Buffer).
    assert te.schedule.Buffer is tvm.tir.Buffer
