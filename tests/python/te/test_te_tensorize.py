# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""tensorize with te.decl_tensor_intrin: matching, buffer binding, the reduction
split into reset/update, TensorComputeOp (calling an intrinsic inside te.compute),
and the errors of intrinsics that do not fit."""
import pytest

import tvm
from tvm import te

from te_nest_helpers import dedent, loop_nest, lower_nest


def gemm_intrin(k=8, combine="mul", with_init=True):
    """An 8 x 8 output tile, reducing over k: c[i, j] = sum(a[i, k] * b[k, j])."""
    a = te.placeholder((8, k), name="a")
    b = te.placeholder((k, 8), name="b")
    kk = te.reduce_axis((0, k), name="k")
    if combine == "mul":
        c = te.compute((8, 8), lambda i, j: te.sum(a[i, kk] * b[kk, j], axis=kk), name="c")
    else:
        c = te.compute((8, 8), lambda i, j: te.sum(a[i, kk] + b[kk, j], axis=kk), name="c")
    binds = {
        t: tvm.tir.decl_buffer(t.shape, t.dtype, t.op.name, offset_factor=1, strides=[te.var(t.op.name + "_s"), 1])
        for t in (a, b, c)
    }

    def implement(ins, outs):
        aa, bb = ins
        cc = outs[0]
        ptrs = [cc.access_ptr("w"), aa.access_ptr("r"), bb.access_ptr("r")]
        body = tvm.tir.call_extern("int32", "gemm8", *ptrs)
        update = tvm.tir.call_extern("int32", "gemm8_update", *ptrs)
        init = tvm.tir.call_extern("int32", "gemm8_reset", cc.access_ptr("w"))
        return (body, init, update) if with_init else (body, None, update)

    return te.decl_tensor_intrin(c.op, implement, name="gemm8", binds=binds)


def gemm_schedule(intrin, n=64, tile=8, ksplit=8):
    A = te.placeholder((n, n), name="A")
    B = te.placeholder((n, n), name="B")
    k = te.reduce_axis((0, n), name="k")
    C = te.compute((n, n), lambda i, j: te.sum(A[i, k] * B[k, j], axis=k), name="C")
    s = te.create_schedule(C.op)
    io, jo, ii, ji = s[C].tile(C.op.axis[0], C.op.axis[1], tile, tile)
    ko, ki = s[C].split(k, factor=ksplit)
    s[C].reorder(io, jo, ko, ii, ji, ki)
    s[C].tensorize(ii, intrin)
    return s, [A, B, C]


def test_intrinsic_call_with_scalars_around_a_one_element_region():
    # A[i, j] indexed in every dimension is the one-element region A[i:i+1, j:j+1];
    # the other arguments are the intrinsic's scalar parameters, in order.
    x = te.placeholder((1,), name="x")
    v, w = te.size_var("v"), te.size_var("w")
    z = te.compute((1,), lambda i: x[i] * v + w, name="z")

    def implement(ins, outs, sp):
        return tvm.tir.call_packed("scale_add", ins[0].data, outs[0].data, sp[0], sp[1])

    intrin = te.decl_tensor_intrin(
        z.op, implement, scalar_params=[v, w], default_buffer_params={"offset_factor": 1}
    )
    A = te.placeholder((4, 4), name="A")
    C = te.compute((4, 4), lambda i, j: intrin(i * i, A[i, j], i + j), name="C")
    call = tvm.lower(te.create_schedule(C.op), [A, C])["main"].body.body.body.value
    assert [str(a) for a in call.args[3:]] == ["i * i", "i + j"]
    assert str(call.args[0]) == '"scale_add"'


def t_gemv_tutorial():
    N, M, L = 64, 32, 16
    A = te.placeholder((N, L), name="A")
    B = te.placeholder((M, L), name="B")
    k = te.reduce_axis((0, L), name="k")
    C = te.compute((N, M), lambda i, j: te.sum(A[i, k] * B[j, k], axis=k), name="C")
    s = te.create_schedule(C.op)
    yo, yi = s[C].split(C.op.axis[1], factor=16)
    s[C].reorder(C.op.axis[0], yo, yi, k)

    a = te.placeholder((L,), name="a")
    b = te.placeholder((16, L), name="b")
    kk = te.reduce_axis((0, L), name="k")
    c = te.compute((16,), lambda i: te.sum(a[kk] * b[i, kk], axis=kk), name="c")
    Ab = tvm.tir.decl_buffer(a.shape, a.dtype, name="A", offset_factor=1, strides=[1])
    Bb = tvm.tir.decl_buffer(b.shape, b.dtype, name="B", offset_factor=1, strides=[te.var("s1"), 1])
    Cb = tvm.tir.decl_buffer(c.shape, c.dtype, name="C", offset_factor=1, strides=[1])

    def intrin_func(ins, outs):
        aa, bb = ins
        cc = outs[0]
        return tvm.tir.call_extern(
            "int32", "gemv_update", cc.access_ptr("w"), aa.access_ptr("r"), bb.access_ptr("r"), 16, L, bb.strides[0]
        )

    gemv = te.decl_tensor_intrin(c.op, intrin_func, binds={a: Ab, b: Bb, c: Cb})
    s[C].tensorize(yi, gemv)
    return s, [A, B, C]


def test_gemv_tutorial():
    s, args = t_gemv_tutorial()
    expected = """
        for i in range(64):
          for j_outer in range(2):
            T.call_extern("int32", "gemv_update", T.tvm_access_ptr(T.type_annotation("float32"), C, i * 32 + j_outer * 16, 16, 2), T.tvm_access_ptr(T.type_annotation("float32"), A, i * 16, 16, 1), T.tvm_access_ptr(T.type_annotation("float32"), B, j_outer * 256, 256, 1), 16, 16, 16)
    """
    assert lower_nest(s, args) == dedent(expected)


def t_gemm_without_reduce_init():
    return gemm_schedule(gemm_intrin(with_init=False))


def test_gemm_without_reduce_init():
    s, args = t_gemm_without_reduce_init()
    expected = """
        for i_outer in range(8):
          for j_outer in range(8):
            for k_outer in range(8):
              if T.likely(0 < k_outer):
                T.call_extern("int32", "gemm8_update", T.tvm_access_ptr(T.type_annotation("float32"), C, i_outer * 512 + j_outer * 8, 512, 2), T.tvm_access_ptr(T.type_annotation("float32"), A, i_outer * 512 + k_outer * 8, 512, 1), T.tvm_access_ptr(T.type_annotation("float32"), B, k_outer * 512 + j_outer * 8, 512, 1))
              else:
                T.call_extern("int32", "gemm8", T.tvm_access_ptr(T.type_annotation("float32"), C, i_outer * 512 + j_outer * 8, 512, 2), T.tvm_access_ptr(T.type_annotation("float32"), A, i_outer * 512 + k_outer * 8, 512, 1), T.tvm_access_ptr(T.type_annotation("float32"), B, k_outer * 512 + j_outer * 8, 512, 1))
    """
    assert lower_nest(s, args) == dedent(expected)


def t_tensor_compute_op_from_intrinsic_call():
    x = te.placeholder((16,), name="vx")
    y = te.placeholder((16,), name="vy")
    z = te.compute((16,), lambda i: x[i] + y[i], name="vz")
    bufs = {t: tvm.tir.decl_buffer(t.shape, t.dtype, t.op.name, offset_factor=1) for t in (x, y, z)}

    def implement(ins, outs):
        return tvm.tir.call_extern(
            "int32", "vadd16", outs[0].access_ptr("w"), ins[0].access_ptr("r"), ins[1].access_ptr("r")
        )

    vadd = te.decl_tensor_intrin(z.op, implement, name="vadd16", binds=bufs)
    A = te.placeholder((4, 16), name="A")
    B = te.placeholder((4, 16), name="B")
    C = te.compute((4, 16), lambda i: vadd(A[i, 0:16], B[i, 0:16]), name="C")
    return te.create_schedule(C.op), [A, B, C]


def test_tensor_compute_op_from_intrinsic_call():
    s, args = t_tensor_compute_op_from_intrinsic_call()
    expected = """
        for i in range(4):
          T.call_extern("int32", "vadd16", T.tvm_access_ptr(T.type_annotation("float32"), C, i * 16, 16, 2), T.tvm_access_ptr(T.type_annotation("float32"), A, i * 16, 16, 1), T.tvm_access_ptr(T.type_annotation("float32"), B, i * 16, 16, 1))
    """
    assert lower_nest(s, args) == dedent(expected)


def test_tensorize_of_a_tensor_intrinsic_stage_keeps_its_loop(capfd):
    # The stage already calls an intrinsic: tensorize is accepted (as in TVM),
    # warns, and the loop and its call stay as they are.
    s, args = t_tensor_compute_op_from_intrinsic_call()
    C = args[2]
    other = te.decl_tensor_intrin(
        te.compute((4,), lambda i: te.placeholder((4,), name="u")[i] * 2.0, name="w").op,
        lambda ins, outs: tvm.tir.call_extern("int32", "other"),
    )
    s[C].tensorize(C.op.axis[0], other)
    assert "already computes with a tensor intrinsic; its loop i stays a loop" in capfd.readouterr().err
    expected = """
        for i in range(4):
          T.call_extern("int32", "vadd16", T.tvm_access_ptr(T.type_annotation("float32"), C, i * 16, 16, 2), T.tvm_access_ptr(T.type_annotation("float32"), A, i * 16, 16, 1), T.tvm_access_ptr(T.type_annotation("float32"), B, i * 16, 16, 1))
    """
    assert lower_nest(s, args) == dedent(expected)


def test_schedule_ops_binds_the_regions():
    s, args = gemm_schedule(gemm_intrin())
    sn = s.normalize()
    stmt = te.schedule.ScheduleOps(sn, te.schedule.InferBound(sn))
    text = loop_nest(stmt)
    # reset: the output tile; update: the two input tiles and the output tile
    assert text.count("buffer_bind_scope = T.tvm_tuple(i_outer * 8, 8, j_outer * 8, 8)") == 2
    assert "buffer_bind_scope = T.tvm_tuple(i_outer * 8, 8, k_outer * 8, 8)" in text
    assert "buffer_bind_scope = T.tvm_tuple(k_outer * 8, 8, j_outer * 8, 8)" in text


def test_intrinsic_computing_something_else():
    s, args = gemm_schedule(gemm_intrin(combine="add"))
    with pytest.raises(ValueError, match=r"tensorize: the computation of stage C does not match intrinsic gemm8"):
        tvm.lower(s, args)


def test_intrinsic_tile_size_mismatch():
    s, args = gemm_schedule(gemm_intrin(), tile=16)
    with pytest.raises(ValueError, match=r"spans 16 values of dimension i but intrinsic gemm8 computes 8"):
        tvm.lower(s, args)
    s, args = gemm_schedule(gemm_intrin(), ksplit=4)
    with pytest.raises(ValueError, match=r"spans 4 values of reduction axis k but intrinsic gemm8 computes 8"):
        tvm.lower(s, args)


def test_guard_inside_tensorized_region():
    s, args = gemm_schedule(gemm_intrin(), n=60)
    with pytest.raises(ValueError, match=r"tensorize: stage C needs the guard .* inside the tensorized region"):
        tvm.lower(s, args)


def test_decl_tensor_intrin_checks():
    A = te.placeholder((8,), name="A")
    B = te.compute((8,), lambda i: A[i] + 1.0, name="B")
    C = te.compute((8,), lambda i: B[i] * 2.0, name="C")
    with pytest.raises(ValueError, match=r"input B must be a te.placeholder"):
        te.decl_tensor_intrin(C.op, lambda ins, outs: tvm.tir.call_extern("int32", "f"))
    with pytest.raises(TypeError, match=r"expected an Operation"):
        te.decl_tensor_intrin(C, lambda ins, outs: tvm.tir.call_extern("int32", "f"))
    intrin = te.decl_tensor_intrin(B.op, lambda ins, outs: tvm.tir.call_extern("int32", "f"), name="f")
    assert intrin.name == "f"
    assert len(intrin.buffers) == 2
    assert intrin.reduce_init is None and intrin.reduce_update is None


def test_intrinsic_buffer_without_offset_cannot_view_a_tile():
    # Without binds, the intrinsic's buffers have elem_offset 0: they cannot view the tile at i*16.
    N, L = 64, 16
    A = te.placeholder((N, L), name="A")
    B = te.placeholder((32, L), name="B")
    k = te.reduce_axis((0, L), name="k")
    C = te.compute((N, 32), lambda i, j: te.sum(A[i, k] * B[j, k], axis=k), name="C")
    s = te.create_schedule(C.op)
    yo, yi = s[C].split(C.op.axis[1], factor=16)
    s[C].reorder(C.op.axis[0], yo, yi, k)
    a = te.placeholder((L,), name="a")
    b = te.placeholder((16, L), name="b")
    kk = te.reduce_axis((0, L), name="k")
    c = te.compute((16,), lambda i: te.sum(a[kk] * b[i, kk], axis=kk), name="c")

    def implement(ins, outs):
        return tvm.tir.call_extern("int32", "gemv", outs[0].access_ptr("w"), ins[0].access_ptr("r"),
                                   ins[1].access_ptr("r"))

    s[C].tensorize(yi, te.decl_tensor_intrin(c.op, implement))
    with pytest.raises(ValueError, match=r"buffer a has the fixed elem_offset 0 but its region of A starts at "
                                         r"element offset i \* 16.*offset_factor"):
        tvm.lower(s, [A, B, C])


def test_test_hooks_infer_region_and_match_body():
    # TVM's test.op.* hooks: the region one intrinsic call covers, and the
    # stage's body rewritten onto the intrinsic's variables.
    intrin = gemm_intrin()
    s, (A, B, C) = gemm_schedule(intrin)
    s = s.normalize()
    dom_map = tvm.te.schedule.InferBound(s)
    out_dom, in_region = tvm.get_global_func("test.op.InferTensorizeRegion")(s[C], dom_map)
    i, j = C.op.axis
    assert int(out_dom[i].extent) == 8 and int(out_dom[j].extent) == 8
    assert int(out_dom[C.op.reduce_axis[0]].extent) == 8
    regions = {t.op.name: r for t, r in in_region.items()}
    assert sorted(regions) == ["A", "B"]
    assert [int(r.extent) for r in regions["A"]] == [8, 8]

    body = tvm.get_global_func("test.op.MatchTensorizeBody")(s[C], out_dom, in_region, intrin)
    ana = tvm.arith.Analyzer()
    tvm.ir.assert_structural_equal(ana.simplify(body[0]), ana.simplify(intrin.op.body[0]))

    P = te.placeholder((4,), name="P")
    with pytest.raises(ValueError, match="is not a te.compute stage"):
        tvm.get_global_func("test.op.InferTensorizeRegion")(te.create_schedule(P.op)[P], {})
