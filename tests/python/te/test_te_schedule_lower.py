# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""The exact loop nest tvm.lower(simple_mode=True) gives for each schedule primitive.

Each test shows the nest a performance engineer would write by hand for the
schedule: loop extents and order, loop kinds, vector lanes (a vector access
prints as a slice base:base + lanes), allocation sizes, and guards only where
a split does not divide its extent.
"""
import tvm
from tvm import te

from te_nest_helpers import dedent, lower_nest


def ew(shape, name="B"):
    A = te.placeholder(shape, name="A")
    B = te.compute(shape, lambda *i: A(*i) * 2.0, name=name)
    return A, B, te.create_schedule(B.op)


def chain():
    A = te.placeholder((16,), name="A")
    B = te.compute((16,), lambda i: A[i] + 1.0, name="B")
    C = te.compute((16,), lambda i: B[i] * 2.0, name="C")
    return A, B, C, te.create_schedule(C.op)


def s_split_divides():
    A, B, s = ew((64,))
    s[B].split(B.op.axis[0], factor=16)
    return s, [A, B]


def test_split_divides():
    s, args = s_split_divides()
    expected = """
        for i0_outer in range(4):
          for i0_inner in range(16):
            B[i0_outer * 16 + i0_inner] = A[i0_outer * 16 + i0_inner] * T.float32(2.0)
    """
    assert lower_nest(s, args) == dedent(expected)


def s_split_not_divides():
    A, B, s = ew((10,))
    s[B].split(B.op.axis[0], factor=3)
    return s, [A, B]


def test_split_not_divides():
    s, args = s_split_not_divides()
    expected = """
        for i0_outer in range(4):
          for i0_inner in range(3):
            if T.likely(i0_outer * 3 + i0_inner < 10):
              B[i0_outer * 3 + i0_inner] = A[i0_outer * 3 + i0_inner] * T.float32(2.0)
    """
    assert lower_nest(s, args) == dedent(expected)


def s_split_factor_larger_than_extent():
    A, B, s = ew((10,))
    s[B].split(B.op.axis[0], factor=16)
    return s, [A, B]


def test_split_factor_larger_than_extent():
    s, args = s_split_factor_larger_than_extent()
    # The inner loop is tightened to the extent (bound inference: min(factor, extent)).
    expected = """
        for i0_inner in range(10):
          B[i0_inner] = A[i0_inner] * T.float32(2.0)
    """
    assert lower_nest(s, args) == dedent(expected)


def s_split_nparts_divides():
    A, B, s = ew((64,))
    s[B].split(B.op.axis[0], nparts=4)
    return s, [A, B]


def test_split_nparts_divides():
    s, args = s_split_nparts_divides()
    expected = """
        for i0_outer in range(4):
          for i0_inner in range(16):
            B[i0_outer * 16 + i0_inner] = A[i0_outer * 16 + i0_inner] * T.float32(2.0)
    """
    assert lower_nest(s, args) == dedent(expected)


def s_split_nparts_not_divides():
    A, B, s = ew((10,))
    s[B].split(B.op.axis[0], nparts=4)
    return s, [A, B]


def test_split_nparts_not_divides():
    s, args = s_split_nparts_not_divides()
    expected = """
        for i0_outer in range(4):
          for i0_inner in range(3):
            if T.likely(i0_outer * 3 + i0_inner < 10):
              B[i0_outer * 3 + i0_inner] = A[i0_outer * 3 + i0_inner] * T.float32(2.0)
    """
    assert lower_nest(s, args) == dedent(expected)


def s_split_symbolic():
    n = te.var("n")
    A, B, s = ew((n,))
    s[B].split(B.op.axis[0], factor=8)
    return s, [A, B]


def test_split_symbolic():
    s, args = s_split_symbolic()
    expected = """
        for i0_outer in range((n + 7) // 8):
          for i0_inner in range(8):
            if T.likely(i0_outer * 8 + i0_inner < n):
              B[i0_outer * 8 + i0_inner] = A[i0_outer * 8 + i0_inner] * T.float32(2.0)
    """
    assert lower_nest(s, args) == dedent(expected)


def s_tile():
    A, B, s = ew((16, 32))
    s[B].tile(B.op.axis[0], B.op.axis[1], 4, 8)
    return s, [A, B]


def test_tile():
    s, args = s_tile()
    expected = """
        for i0_outer in range(4):
          for i1_outer in range(4):
            for i0_inner in range(4):
              for i1_inner in range(8):
                B[i0_outer * 128 + i0_inner * 32 + i1_outer * 8 + i1_inner] = A[i0_outer * 128 + i0_inner * 32 + i1_outer * 8 + i1_inner] * T.float32(2.0)
    """
    assert lower_nest(s, args) == dedent(expected)


def s_tile_not_divides():
    A, B, s = ew((10, 12))
    s[B].tile(B.op.axis[0], B.op.axis[1], 4, 8)
    return s, [A, B]


def test_tile_not_divides():
    s, args = s_tile_not_divides()
    expected = """
        for i0_outer in range(3):
          for i1_outer in range(2):
            for i0_inner in range(4):
              for i1_inner in range(8):
                if T.likely(i0_outer * 4 + i0_inner < 10):
                  if T.likely(i1_outer * 8 + i1_inner < 12):
                    B[i0_outer * 48 + i0_inner * 12 + i1_outer * 8 + i1_inner] = A[i0_outer * 48 + i0_inner * 12 + i1_outer * 8 + i1_inner] * T.float32(2.0)
    """
    assert lower_nest(s, args) == dedent(expected)


def s_reorder():
    A, B, s = ew((16, 32))
    s[B].reorder(B.op.axis[1], B.op.axis[0])
    return s, [A, B]


def test_reorder():
    s, args = s_reorder()
    expected = """
        for i1 in range(32):
          for i0 in range(16):
            B[i0 * 32 + i1] = A[i0 * 32 + i1] * T.float32(2.0)
    """
    assert lower_nest(s, args) == dedent(expected)


def s_fuse():
    A, B, s = ew((16, 32))
    s[B].fuse(*B.op.axis)
    return s, [A, B]


def test_fuse():
    s, args = s_fuse()
    expected = """
        for i0_i1_fused in range(512):
          B[i0_i1_fused] = A[i0_i1_fused] * T.float32(2.0)
    """
    assert lower_nest(s, args) == dedent(expected)


def s_fuse_split():
    A, B, s = ew((16, 32))
    f = s[B].fuse(*B.op.axis)
    s[B].split(f, factor=64)
    return s, [A, B]


def test_fuse_split():
    s, args = s_fuse_split()
    expected = """
        for i0_i1_fused_outer in range(8):
          for i0_i1_fused_inner in range(64):
            B[i0_i1_fused_outer * 64 + i0_i1_fused_inner] = A[i0_i1_fused_outer * 64 + i0_i1_fused_inner] * T.float32(2.0)
    """
    assert lower_nest(s, args) == dedent(expected)


def s_vectorize():
    A, B, s = ew((16, 32))
    xo, xi = s[B].split(B.op.axis[1], factor=8)
    s[B].vectorize(xi)
    return s, [A, B]


def test_vectorize():
    s, args = s_vectorize()
    expected = """
        for i0 in range(16):
          for i1_outer in range(4):
            B[i0 * 32 + i1_outer * 8:i0 * 32 + i1_outer * 8 + 8] = A[i0 * 32 + i1_outer * 8:i0 * 32 + i1_outer * 8 + 8] * T.Broadcast(T.float32(2.0), 8)
    """
    assert lower_nest(s, args) == dedent(expected)


def s_unroll():
    A, B, s = ew((16, 32))
    xo, xi = s[B].split(B.op.axis[1], factor=4)
    s[B].unroll(xi)
    return s, [A, B]


def test_unroll():
    s, args = s_unroll()
    expected = """
        for i0 in range(16):
          for i1_outer in range(8):
            B[i0 * 32 + i1_outer * 4] = A[i0 * 32 + i1_outer * 4] * T.float32(2.0)
            B[i0 * 32 + i1_outer * 4 + 1] = A[i0 * 32 + i1_outer * 4 + 1] * T.float32(2.0)
            B[i0 * 32 + i1_outer * 4 + 2] = A[i0 * 32 + i1_outer * 4 + 2] * T.float32(2.0)
            B[i0 * 32 + i1_outer * 4 + 3] = A[i0 * 32 + i1_outer * 4 + 3] * T.float32(2.0)
    """
    assert lower_nest(s, args) == dedent(expected)


def s_parallel():
    A, B, s = ew((16, 32))
    s[B].parallel(B.op.axis[0])
    return s, [A, B]


def test_parallel():
    s, args = s_parallel()
    expected = """
        for i0 in parallel(16):
          for i1 in range(32):
            B[i0 * 32 + i1] = A[i0 * 32 + i1] * T.float32(2.0)
    """
    assert lower_nest(s, args) == dedent(expected)


def s_bind():
    A, B, s = ew((64, 32))
    bx, tx = s[B].split(B.op.axis[0], factor=16)
    s[B].bind(bx, te.thread_axis("blockIdx.x"))
    s[B].bind(tx, te.thread_axis("threadIdx.x"))
    return s, [A, B]


def test_bind():
    s, args = s_bind()
    expected = """
        launch blockIdx.x = 4
        launch threadIdx.x = 16
        for i1 in range(32):
          B[blockIdx_x * 512 + threadIdx_x * 32 + i1] = A[blockIdx_x * 512 + threadIdx_x * 32 + i1] * T.float32(2.0)
    """
    assert lower_nest(s, args) == dedent(expected)


def s_vthread():
    A, B, s = ew((4, 32))
    vo, vi = s[B].split(B.op.axis[1], nparts=2)
    s[B].bind(vo, te.thread_axis("vthread"))
    return s, [A, B]


def test_vthread():
    s, args = s_vthread()
    expected = """
        for i0 in range(4):
          for i1_inner in range(16):
            B[i0 * 32 + i1_inner] = A[i0 * 32 + i1_inner] * T.float32(2.0)
            B[i0 * 32 + i1_inner + 16] = A[i0 * 32 + i1_inner + 16] * T.float32(2.0)
    """
    assert lower_nest(s, args) == dedent(expected)


def s_compute_at():
    A, B, C, s = chain()
    s[B].compute_at(s[C], C.op.axis[0])
    return s, [A, C]


def test_compute_at():
    s, args = s_compute_at()
    expected = """
        allocate B float32[1] global
        for i in range(16):
          B[0] = A[i] + T.float32(1.0)
          C[i] = B[0] * T.float32(2.0)
    """
    assert lower_nest(s, args) == dedent(expected)


def s_compute_root():
    A, B, C, s = chain()
    s[B].compute_at(s[C], C.op.axis[0])
    s[B].compute_root()
    return s, [A, C]


def test_compute_root():
    s, args = s_compute_root()
    expected = """
        allocate B float32[16] global
        for i in range(16):
          B[i] = A[i] + T.float32(1.0)
        for i in range(16):
          C[i] = B[i] * T.float32(2.0)
    """
    assert lower_nest(s, args) == dedent(expected)


def s_compute_inline():
    A, B, C, s = chain()
    s[B].compute_inline()
    return s, [A, C]


def test_compute_inline():
    s, args = s_compute_inline()
    expected = """
        for i in range(16):
          C[i] = (A[i] + T.float32(1.0)) * T.float32(2.0)
    """
    assert lower_nest(s, args) == dedent(expected)


def s_cache_read():
    A, B, s = ew((16, 16))
    AA = s.cache_read(A, "local", [B])
    s[AA].compute_at(s[B], B.op.axis[0])
    return s, [A, B]


def test_cache_read():
    s, args = s_cache_read()
    expected = """
        allocate A_local float32[16] local
        for i0 in range(16):
          for ax1 in range(16):
            A_local[ax1] = A[i0 * 16 + ax1]
          for i1 in range(16):
            B[i0 * 16 + i1] = A_local[i1] * T.float32(2.0)
    """
    assert lower_nest(s, args) == dedent(expected)


def s_cache_write_reduction():
    A = te.placeholder((16, 16), name="A")
    k = te.reduce_axis((0, 16), name="k")
    B = te.compute((16,), lambda i: te.sum(A[i, k], axis=k), name="B")
    s = te.create_schedule(B.op)
    BL = s.cache_write(B, "local")
    xo, xi = s[B].split(B.op.axis[0], factor=4)
    s[BL].compute_at(s[B], xo)
    return s, [A, B]


def test_cache_write_reduction():
    s, args = s_cache_write_reduction()
    expected = """
        allocate B_local float32[4] local
        for i_outer in range(4):
          for i_c in range(4):
            B_local[i_c] = T.float32(0.0)
            for k in range(16):
              B_local[i_c] = B_local[i_c] + A[i_outer * 64 + i_c * 16 + k]
          for i_inner in range(4):
            B[i_outer * 4 + i_inner] = B_local[i_inner]
    """
    assert lower_nest(s, args) == dedent(expected)


def s_rfactor():
    A = te.placeholder((64,), name="A")
    k = te.reduce_axis((0, 64), name="k")
    B = te.compute((1,), lambda i: te.sum(A[k], axis=k), name="B")
    s = te.create_schedule(B.op)
    ko, ki = s[B].split(k, factor=8)
    BF = s.rfactor(B, ki)
    s[BF].vectorize(s[BF].op.axis[0])
    return s, [A, B]


def test_rfactor():
    s, args = s_rfactor()
    expected = """
        allocate B_rf float32[8] global
        B_rf[0:8] = T.Broadcast(T.float32(0.0), 8)
        for k_outer in range(8):
          B_rf[0:8] = B_rf[0:8] + A[k_outer * 8:k_outer * 8 + 8]
        B[0] = T.float32(0.0)
        for k_inner_v in range(8):
          B[0] = B[0] + B_rf[k_inner_v]
    """
    assert lower_nest(s, args) == dedent(expected)


def s_set_scope_storage_align():
    A = te.placeholder((8, 8), name="A")
    B = te.compute((8, 8), lambda i, j: A[i, j] + 1.0, name="B")
    C = te.compute((8, 8), lambda i, j: B[i, j] * 2.0, name="C")
    s = te.create_schedule(C.op)
    s[B].set_scope("local")
    s[B].storage_align(B.op.axis[0], 4, 1)
    return s, [A, C]


def test_set_scope_storage_align():
    s, args = s_set_scope_storage_align()
    expected = """
        allocate B float32[72] local
        for i in range(8):
          for j in range(8):
            B[i * 9 + j] = A[i * 8 + j] + T.float32(1.0)
        for i in range(8):
          for j in range(8):
            C[i * 8 + j] = B[i * 9 + j] * T.float32(2.0)
    """
    assert lower_nest(s, args) == dedent(expected)


def s_double_buffer():
    A = te.placeholder((16, 16), name="A")
    B = te.compute((16, 16), lambda i, j: A[i, j] + 1.0, name="B")
    C = te.compute((16, 16), lambda i, j: B[i, j] * 2.0, name="C")
    s = te.create_schedule(C.op)
    s[B].compute_at(s[C], C.op.axis[0])
    s[B].double_buffer()
    return s, [A, C]


def test_double_buffer():
    s, args = s_double_buffer()
    expected = """
        allocate B float32[32] global
        for j in range(16):
          B[j] = A[j] + T.float32(1.0)
        for i in range(15):
          attr B double_buffer_write = 1
          for j in range(16):
            B[(i + 1) % 2 * 16 + j] = A[i * 16 + j + 16] + T.float32(1.0)
          for j in range(16):
            C[i * 16 + j] = B[i % 2 * 16 + j] * T.float32(2.0)
        for j in range(16):
          C[j + 240] = B[j + 16] * T.float32(2.0)
    """
    assert lower_nest(s, args) == dedent(expected)


def s_pragma():
    A, B, s = ew((16, 32))
    s[B].pragma(B.op.axis[0], "parallel_launch_point")
    return s, [A, B]


def test_pragma():
    s, args = s_pragma()
    expected = """
        attr i0 pragma_parallel_launch_point = 1
        for i0 in range(16):
          for i1 in range(32):
            B[i0 * 32 + i1] = A[i0 * 32 + i1] * T.float32(2.0)
    """
    assert lower_nest(s, args) == dedent(expected)


def s_store_predicate():
    A, B, s = ew((16,))
    s[B].set_store_predicate(B.op.axis[0] < 8)
    return s, [A, B]


def test_store_predicate():
    s, args = s_store_predicate()
    expected = """
        for i0 in range(16):
          if i0 < 8:
            B[i0] = A[i0] * T.float32(2.0)
    """
    assert lower_nest(s, args) == dedent(expected)


def s_reduction_init_loop():
    A = te.placeholder((8, 8), name="A")
    Bp = te.placeholder((8, 8), name="B")
    k = te.reduce_axis((0, 8), name="k")
    C = te.compute((8, 8), lambda i, j: te.sum(A[i, k] * Bp[k, j], axis=k), name="C")
    s = te.create_schedule(C.op)
    i, j = C.op.axis
    s[C].reorder(i, k, j)
    s[C].vectorize(j)
    return s, [A, Bp, C]


def test_reduction_init_loop():
    s, args = s_reduction_init_loop()
    expected = """
        for i in range(8):
          C[i * 8:i * 8 + 8] = T.Broadcast(T.float32(0.0), 8)
          for k in range(8):
            C[i * 8:i * 8 + 8] = C[i * 8:i * 8 + 8] + T.Broadcast(A[i * 8 + k], 8) * B[k * 8:k * 8 + 8]
    """
    assert lower_nest(s, args) == dedent(expected)


def s_extern():
    A = te.placeholder((16,), name="A")
    C = te.extern((16,), [A], lambda ins, outs: tvm.tir.call_packed("my_func", ins[0].data, outs[0].data), name="C")
    D = te.compute((16,), lambda i: C[i] + 1.0, name="D")
    s = te.create_schedule(D.op)
    return s, [A, D]


def test_extern():
    s, args = s_extern()
    expected = """
        allocate C float32[16] global
        attr IntImm extern_scope = 0
        T.tvm_call_packed("my_func", A, C)
        for i in range(16):
          D[i] = C[i] + T.float32(1.0)
    """
    assert lower_nest(s, args) == dedent(expected)


def s_cross_thread_reduction():
    A = te.placeholder((32, 64), name="A")
    k = te.reduce_axis((0, 64), name="k")
    B = te.compute((32,), lambda i: te.sum(A[i, k], axis=k), name="B")
    s = te.create_schedule(B.op)
    ko, ki = s[B].split(k, factor=16)
    s[B].bind(B.op.axis[0], te.thread_axis("blockIdx.x"))
    s[B].bind(ki, te.thread_axis("threadIdx.x"))
    return s, [A, B]


def test_cross_thread_reduction():
    s, args = s_cross_thread_reduction()
    expected = """
        launch blockIdx.x = 32
        allocate normal_reduce_temp0 float32[1] local
        allocate reduce_temp0 float32[1] local
        launch threadIdx.x = 16
        normal_reduce_temp0[0] = T.float32(0.0)
        for k_outer in range(4):
          normal_reduce_temp0[0] = normal_reduce_temp0[0] + A[blockIdx_x * 64 + k_outer * 16 + threadIdx_x]
        attr CommReducer reduce_scope = T.reinterpret("handle", T.uint64(0))
        T.tvm_thread_allreduce(T.uint32(1), normal_reduce_temp0[0], T.bool(True), reduce_temp0[0], threadIdx_x)
        if threadIdx_x == 0:
          B[blockIdx_x] = reduce_temp0[0]
    """
    assert lower_nest(s, args) == dedent(expected)


def s_fuse_split_bind_not_divides():
    A, B, s = ew((100, 37))
    f = s[B].fuse(*B.op.axis)
    bx, tx = s[B].split(f, factor=64)
    s[B].bind(bx, te.thread_axis("blockIdx.x"))
    s[B].bind(tx, te.thread_axis("threadIdx.x"))
    return s, [A, B]


def test_fuse_split_bind_not_divides():
    s, args = s_fuse_split_bind_not_divides()
    expected = """
        launch blockIdx.x = 58
        launch threadIdx.x = 64
        if T.likely(blockIdx_x * 64 + threadIdx_x < 3700):
          B[blockIdx_x * 64 + threadIdx_x] = A[blockIdx_x * 64 + threadIdx_x] * T.float32(2.0)
    """
    assert lower_nest(s, args) == dedent(expected)


def s_compute_at_chain():
    A = te.placeholder((16, 16), name="A")
    B = te.compute((16, 16), lambda i, j: A[i, j] + 1.0, name="B")
    C = te.compute((16, 16), lambda i, j: B[i, j] * 2.0, name="C")
    D = te.compute((16, 16), lambda i, j: C[i, j] - 3.0, name="D")
    s = te.create_schedule(D.op)
    s[C].compute_at(s[D], D.op.axis[0])
    s[B].compute_at(s[C], s[C].op.axis[1])
    return s, [A, D]


def test_compute_at_chain():
    s, args = s_compute_at_chain()
    expected = """
        allocate C float32[16] global
        allocate B float32[1] global
        for i in range(16):
          for j in range(16):
            B[0] = A[i * 16 + j] + T.float32(1.0)
            C[j] = B[0] * T.float32(2.0)
          for j in range(16):
            D[i * 16 + j] = C[j] - T.float32(3.0)
    """
    assert lower_nest(s, args) == dedent(expected)


def s_compute_inline_chain():
    A = te.placeholder((16, 16), name="A")
    B = te.compute((16, 16), lambda i, j: A[i, j] + 1.0, name="B")
    C = te.compute((16, 16), lambda i, j: B[i, j] * 2.0, name="C")
    D = te.compute((16, 16), lambda i, j: C[i, j] - 3.0, name="D")
    s = te.create_schedule(D.op)
    s[B].compute_inline()
    s[C].compute_inline()
    return s, [A, D]


def test_compute_inline_chain():
    s, args = s_compute_inline_chain()
    expected = """
        for i in range(16):
          for j in range(16):
            D[i * 16 + j] = (A[i * 16 + j] + T.float32(1.0)) * T.float32(2.0) - T.float32(3.0)
    """
    assert lower_nest(s, args) == dedent(expected)


def s_softmax_rows():
    m, n = 4, 16
    X = te.placeholder((m, n), name="X")
    k = te.reduce_axis((0, n), name="k")
    mx = te.compute((m,), lambda i: te.max(X[i, k], axis=k), name="mx")
    ex = te.compute((m, n), lambda i, j: te.exp(X[i, j] - mx[i]), name="ex")
    k2 = te.reduce_axis((0, n), name="k2")
    sm = te.compute((m,), lambda i: te.sum(ex[i, k2], axis=k2), name="sm")
    out = te.compute((m, n), lambda i, j: ex[i, j] / sm[i], name="out")
    s = te.create_schedule(out.op)
    for t in (mx, ex, sm):
        s[t].compute_at(s[out], out.op.axis[0])
    return s, [X, out]


def test_softmax_rows():
    # mx and sm are 32-bit scalars: StorageRewrite leaves those to the register allocator.
    s, args = s_softmax_rows()
    expected = """
        allocate mx float32[1] global
        allocate ex float32[16] global
        allocate sm float32[1] global
        for i in range(4):
          mx[0] = T.float32(-3.40282347e+38)
          for k in range(16):
            mx[0] = T.max(mx[0], X[i * 16 + k])
          for j in range(16):
            ex[j] = T.exp(X[i * 16 + j] - mx[0])
          sm[0] = T.float32(0.0)
          for k2 in range(16):
            sm[0] = sm[0] + ex[k2]
          for j in range(16):
            out[i * 16 + j] = ex[j] / sm[0]
    """
    assert lower_nest(s, args) == dedent(expected)


def s_multi_output_compute_at():
    A = te.placeholder((8,), name="A")
    B0, B1 = te.compute((8,), lambda i: (A[i] + 1.0, A[i] * 2.0), name="B")
    C = te.compute((8,), lambda i: B0[i] + B1[i], name="C")
    s = te.create_schedule(C.op)
    s[B0].compute_at(s[C], C.op.axis[0])
    return s, [A, C]


def test_multi_output_compute_at():
    s, args = s_multi_output_compute_at()
    expected = """
        allocate B_v0 float32[1] global
        allocate B_v1 float32[1] global
        for i in range(8):
          B_v0[0] = A[i] + T.float32(1.0)
          B_v1[0] = A[i] * T.float32(2.0)
          C[i] = B_v0[0] + B_v1[0]
    """
    assert lower_nest(s, args) == dedent(expected)


def s_argmax():
    def fcombine(x, y):
        lhs = tvm.tir.Select((x[1] >= y[1]), x[0], y[0])
        rhs = tvm.tir.Select((x[1] >= y[1]), x[1], y[1])
        return lhs, rhs

    def fidentity(t0, t1):
        return tvm.tir.const(-1, t0), te.min_value(t1)

    argmax = te.comm_reducer(fcombine, fidentity, name="argmax")
    idx = te.placeholder((8, 16), name="idx", dtype="int32")
    val = te.placeholder((8, 16), name="val", dtype="float32")
    k = te.reduce_axis((0, 16), "k")
    T0, T1 = te.compute((8,), lambda i: argmax((idx[i, k], val[i, k]), axis=k), name="T")
    s = te.create_schedule(T0.op)
    return s, [idx, val, T0, T1]


def test_argmax():
    s, args = s_argmax()
    expected = """
        for i in range(8):
          T_v0[i] = -1
          T_v1[i] = T.float32(-3.40282347e+38)
          for k in range(16):
            let T_v0_next = T.Select(val[i * 16 + k] <= T_v1[i], T_v0[i], idx[i * 16 + k])
            let T_v1_next = T.Select(val[i * 16 + k] <= T_v1[i], T_v1[i], val[i * 16 + k])
            T_v0[i] = T_v0_next
            T_v1[i] = T_v1_next
    """
    assert lower_nest(s, args) == dedent(expected)


def s_padded_stencil_compute_at():
    n = 32
    A = te.placeholder((n,), name="A")
    P = te.compute((n + 2,), lambda i: te.if_then_else(tvm.tir.all(i >= 1, i <= n), A[i - 1], 0.0), name="P")
    B = te.compute((n,), lambda i: P[i] + P[i + 1] + P[i + 2], name="B")
    s = te.create_schedule(B.op)
    xo, xi = s[B].split(B.op.axis[0], factor=8)
    s[P].compute_at(s[B], xo)
    return s, [A, B]


def test_padded_stencil_compute_at():
    s, args = s_padded_stencil_compute_at()
    expected = """
        allocate P float32[10] global
        for i_outer in range(4):
          for i in range(10):
            P[i] = T.if_then_else(1 <= i_outer * 8 + i and i_outer * 8 + i <= 32, A[i_outer * 8 + i - 1], T.float32(0.0))
          for i_inner in range(8):
            B[i_outer * 8 + i_inner] = P[i_inner] + P[i_inner + 1] + P[i_inner + 2]
    """
    assert lower_nest(s, args) == dedent(expected)


def s_env_threads():
    A, B, s = ew((4, 8))
    s[B].env_threads(te.thread_axis((0, 4), "threadIdx.x"))
    return s, [A, B]


def test_env_threads():
    s, args = s_env_threads()
    expected = """
        launch threadIdx.x = 4
        for i0 in range(4):
          for i1 in range(8):
            B[i0 * 8 + i1] = A[i0 * 8 + i1] * T.float32(2.0)
    """
    assert lower_nest(s, args) == dedent(expected)


def s_create_group():
    A = te.placeholder((16, 16), name="A")
    B = te.compute((16, 16), lambda i, j: A[i, j] + 1.0, name="B")
    C = te.compute((16, 16), lambda i, j: B[i, j] * 2.0, name="C")
    D = te.compute((16, 16), lambda i, j: C[i, j] - 1.0, name="D")
    s = te.create_schedule(D.op)
    g = s.create_group(outputs=C, inputs=A)
    g.compute_at(s[D], D.op.axis[0])
    s[B].compute_at(s[C], C.op.axis[1])
    return s, [A, D]


def test_create_group():
    s, args = s_create_group()
    expected = """
        allocate C float32[16] global
        allocate B float32[1] global
        for i in range(16):
          for j in range(16):
            B[0] = A[i * 16 + j] + T.float32(1.0)
            C[j] = B[0] * T.float32(2.0)
          for j in range(16):
            D[i * 16 + j] = C[j] - T.float32(1.0)
    """
    assert lower_nest(s, args) == dedent(expected)
