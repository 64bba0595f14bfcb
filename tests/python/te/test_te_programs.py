# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Four programs of the issue, each lowering to the loop nest a performance engineer
would write by hand: a tiled matmul with cache_write and compute_at, a two-stage blur
with compute_at, a reduction with rfactor, and a GEMM tensorized with a declared 8x8
intrinsic (call_extern).
"""
import tvm
from tvm import te

from te_nest_helpers import dedent, lower_nest


def gemm_8x8_intrin():
    """An 8x8x8 GEMM micro-kernel: c[8, 8] += a[8, 8] x b[8, 8], called through call_extern."""
    a = te.placeholder((8, 8), name="a")
    b = te.placeholder((8, 8), name="b")
    kk = te.reduce_axis((0, 8), name="k")
    c = te.compute((8, 8), lambda i, j: te.sum(a[i, kk] * b[kk, j], axis=kk), name="c")
    binds = {
        t: tvm.tir.decl_buffer(t.shape, t.dtype, t.op.name, offset_factor=1, strides=[te.var(t.op.name + "_stride"), 1])
        for t in (a, b, c)
    }

    def implement(ins, outs):
        aa, bb = ins
        cc = outs[0]
        body = tvm.tir.call_extern(
            "int32", "gemm_8x8", cc.access_ptr("w"), aa.access_ptr("r"), bb.access_ptr("r"),
            aa.strides[0], bb.strides[0], cc.strides[0],
        )
        reset = tvm.tir.call_extern("int32", "gemm_8x8_reset", cc.access_ptr("w"), cc.strides[0])
        update = tvm.tir.call_extern(
            "int32", "gemm_8x8_update", cc.access_ptr("w"), aa.access_ptr("r"), bb.access_ptr("r"),
            aa.strides[0], bb.strides[0], cc.strides[0],
        )
        return body, reset, update

    return te.decl_tensor_intrin(c.op, implement, name="gemm_8x8", binds=binds)


def p_tiled_matmul_cache_write():
    """C = A x B (1024^3): 32x32 tiles of C accumulated in a cache computed at the tile,
    the reduction split by 4 and unrolled, the inner row vectorized, tile rows parallel."""
    n = 1024
    A = te.placeholder((n, n), name="A")
    B = te.placeholder((n, n), name="B")
    k = te.reduce_axis((0, n), name="k")
    C = te.compute((n, n), lambda i, j: te.sum(A[i, k] * B[k, j], axis=k), name="C")
    s = te.create_schedule(C.op)
    CC = s.cache_write(C, "global")
    xo, yo, xi, yi = s[C].tile(C.op.axis[0], C.op.axis[1], 32, 32)
    s[CC].compute_at(s[C], yo)
    xc, yc = s[CC].op.axis
    (kc,) = s[CC].op.reduce_axis
    ko, ki = s[CC].split(kc, factor=4)
    s[CC].reorder(ko, xc, ki, yc)
    s[CC].unroll(ki)
    s[CC].vectorize(yc)
    s[C].parallel(xo)
    return s, [A, B, C]


def test_tiled_matmul_cache_write():
    s, args = p_tiled_matmul_cache_write()
    expected = """
        for i_outer in parallel(32):
          allocate C_global float32[1024] global
          for j_outer in range(32):
            for i_c_init in range(32):
              C_global[i_c_init * 32:i_c_init * 32 + 32] = T.Broadcast(T.float32(0.0), 32)
            for k_outer in range(256):
              for i_c in range(32):
                C_global[i_c * 32:i_c * 32 + 32] = C_global[i_c * 32:i_c * 32 + 32] + T.Broadcast(A[i_outer * 32768 + i_c * 1024 + k_outer * 4], 32) * B[k_outer * 4096 + j_outer * 32:k_outer * 4096 + j_outer * 32 + 32]
                C_global[i_c * 32:i_c * 32 + 32] = C_global[i_c * 32:i_c * 32 + 32] + T.Broadcast(A[i_outer * 32768 + i_c * 1024 + k_outer * 4 + 1], 32) * B[k_outer * 4096 + j_outer * 32 + 1024:k_outer * 4096 + j_outer * 32 + 1024 + 32]
                C_global[i_c * 32:i_c * 32 + 32] = C_global[i_c * 32:i_c * 32 + 32] + T.Broadcast(A[i_outer * 32768 + i_c * 1024 + k_outer * 4 + 2], 32) * B[k_outer * 4096 + j_outer * 32 + 2048:k_outer * 4096 + j_outer * 32 + 2048 + 32]
                C_global[i_c * 32:i_c * 32 + 32] = C_global[i_c * 32:i_c * 32 + 32] + T.Broadcast(A[i_outer * 32768 + i_c * 1024 + k_outer * 4 + 3], 32) * B[k_outer * 4096 + j_outer * 32 + 3072:k_outer * 4096 + j_outer * 32 + 3072 + 32]
            for i_inner in range(32):
              for j_inner in range(32):
                C[i_outer * 32768 + i_inner * 1024 + j_outer * 32 + j_inner] = C_global[i_inner * 32 + j_inner]
    """
    nest = lower_nest(s, args)
    assert nest == dedent(expected)
    assert "if " not in nest  # no guards: every split divides its extent


def p_blur_compute_at():
    """A 3x3 box blur in two passes; the horizontal pass is computed per tile of 8 output
    rows (10 rows of it are needed), the vertical pass vectorized by 8."""
    H, W = 66, 66
    A = te.placeholder((H, W), name="A")
    Bx = te.compute((H, W - 2), lambda y, x: (A[y, x] + A[y, x + 1] + A[y, x + 2]) / 3.0, name="Bx")
    By = te.compute((H - 2, W - 2), lambda y, x: (Bx[y, x] + Bx[y + 1, x] + Bx[y + 2, x]) / 3.0, name="By")
    s = te.create_schedule(By.op)
    yo, yi = s[By].split(By.op.axis[0], factor=8)
    xo, xi = s[By].split(By.op.axis[1], factor=8)
    s[By].reorder(yo, yi, xo, xi)
    s[By].vectorize(xi)
    s[By].parallel(yo)
    s[Bx].compute_at(s[By], yo)
    bxo, bxi = s[Bx].split(s[Bx].op.axis[1], factor=8)
    s[Bx].vectorize(bxi)
    return s, [A, By]


def test_blur_compute_at():
    # Bx is only accessed as aligned 8-lane vectors: StorageRewrite gives it float32x8 elements.
    s, args = p_blur_compute_at()
    expected = """
        for y_outer in parallel(8):
          allocate Bx float32x8[80] global
          for y in range(10):
            for x_outer in range(8):
              Bx[y * 8 + x_outer] = (A[y_outer * 528 + y * 66 + x_outer * 8:y_outer * 528 + y * 66 + x_outer * 8 + 8] + A[y_outer * 528 + y * 66 + x_outer * 8 + 1:y_outer * 528 + y * 66 + x_outer * 8 + 1 + 8] + A[y_outer * 528 + y * 66 + x_outer * 8 + 2:y_outer * 528 + y * 66 + x_outer * 8 + 2 + 8]) / T.Broadcast(T.float32(3.0), 8)
          for y_inner in range(8):
            for x_outer in range(8):
              By[y_outer * 512 + y_inner * 64 + x_outer * 8:y_outer * 512 + y_inner * 64 + x_outer * 8 + 8] = (Bx[y_inner * 8 + x_outer] + Bx[y_inner * 8 + x_outer + 8] + Bx[y_inner * 8 + x_outer + 16]) / T.Broadcast(T.float32(3.0), 8)
    """
    nest = lower_nest(s, args)
    assert nest == dedent(expected)
    assert "if " not in nest  # no guards: every split divides its extent


def p_rfactor_reduction():
    """The sum of 4096 values: 16 partial sums (rfactor over the inner split) computed as one
    vector, then a reduction of the 16 partials."""
    n = 4096
    A = te.placeholder((n,), name="A")
    k = te.reduce_axis((0, n), name="k")
    B = te.compute((1,), lambda i: te.sum(A[k], axis=k), name="B")
    s = te.create_schedule(B.op)
    ko, ki = s[B].split(k, factor=16)
    BF = s.rfactor(B, ki)
    s[BF].vectorize(s[BF].op.axis[0])
    return s, [A, B]


def test_rfactor_reduction():
    s, args = p_rfactor_reduction()
    expected = """
        allocate B_rf float32[16] global
        B_rf[0:16] = T.Broadcast(T.float32(0.0), 16)
        for k_outer in range(256):
          B_rf[0:16] = B_rf[0:16] + A[k_outer * 16:k_outer * 16 + 16]
        B[0] = T.float32(0.0)
        for k_inner_v in range(16):
          B[0] = B[0] + B_rf[k_inner_v]
    """
    nest = lower_nest(s, args)
    assert nest == dedent(expected)
    assert "if " not in nest  # no guards: every split divides its extent


def p_gemm_tensorized_8x8():
    """C = A x B (64^3) in 8x8 tiles, the reduction in steps of 8, each step one call of the
    8x8x8 micro-kernel: reset before the reduction loop, update inside it."""
    n = 64
    A = te.placeholder((n, n), name="A")
    B = te.placeholder((n, n), name="B")
    k = te.reduce_axis((0, n), name="k")
    C = te.compute((n, n), lambda i, j: te.sum(A[i, k] * B[k, j], axis=k), name="C")
    s = te.create_schedule(C.op)
    io, jo, ii, ji = s[C].tile(C.op.axis[0], C.op.axis[1], 8, 8)
    ko, ki = s[C].split(k, factor=8)
    s[C].reorder(io, jo, ko, ii, ji, ki)
    s[C].tensorize(ii, gemm_8x8_intrin())
    return s, [A, B, C]


def test_gemm_tensorized_8x8():
    s, args = p_gemm_tensorized_8x8()
    expected = """
        for i_outer in range(8):
          for j_outer in range(8):
            T.call_extern("int32", "gemm_8x8_reset", T.tvm_access_ptr(T.type_annotation("float32"), C, i_outer * 512 + j_outer * 8, 512, 2), 64)
            for k_outer in range(8):
              T.call_extern("int32", "gemm_8x8_update", T.tvm_access_ptr(T.type_annotation("float32"), C, i_outer * 512 + j_outer * 8, 512, 2), T.tvm_access_ptr(T.type_annotation("float32"), A, i_outer * 512 + k_outer * 8, 512, 1), T.tvm_access_ptr(T.type_annotation("float32"), B, k_outer * 512 + j_outer * 8, 512, 1), 64, 64, 64)
    """
    nest = lower_nest(s, args)
    assert nest == dedent(expected)
    assert "if " not in nest  # no guards: every split divides its extent


def p_gemm_tensorized_8x8_whole_reduction():
    """The same micro-kernel over a reduction of exactly 8: one call of its body per tile."""
    A = te.placeholder((64, 8), name="A")
    B = te.placeholder((8, 64), name="B")
    k = te.reduce_axis((0, 8), name="k")
    C = te.compute((64, 64), lambda i, j: te.sum(A[i, k] * B[k, j], axis=k), name="C")
    s = te.create_schedule(C.op)
    io, jo, ii, ji = s[C].tile(C.op.axis[0], C.op.axis[1], 8, 8)
    s[C].tensorize(ii, gemm_8x8_intrin())
    return s, [A, B, C]


def test_gemm_tensorized_8x8_whole_reduction():
    s, args = p_gemm_tensorized_8x8_whole_reduction()
    expected = """
        for i_outer in range(8):
          for j_outer in range(8):
            T.call_extern("int32", "gemm_8x8", T.tvm_access_ptr(T.type_annotation("float32"), C, i_outer * 512 + j_outer * 8, 512, 2), T.tvm_access_ptr(T.type_annotation("float32"), A, i_outer * 64, 64, 1), T.tvm_access_ptr(T.type_annotation("float32"), B, j_outer * 8, 512, 1), 8, 64, 64)
    """
    nest = lower_nest(s, args)
    assert nest == dedent(expected)
    assert "if " not in nest  # no guards: every split divides its extent
