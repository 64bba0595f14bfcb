# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""1024x1024x1024 uint8 x int8 -> int32 matmul with AVX-512 VNNI, against the
float32 matmul (bench_matmul's best schedule) measured in this run.

VNNI's vpdpbusd multiplies 64 unsigned bytes by 64 signed bytes and adds each
group of four products into one of 16 int32 lanes: 64 multiply-adds per
instruction, four times an FP32 FMA's 16. The schedule expresses it with
tensorize: a 16 (columns) x 4 (k) block of the reduction is replaced by one
call of the LLVM intrinsic llvm.x86.avx512.vpdpbusd.512, whose operands are
the int32x16 accumulators, 4 bytes of a row of A broadcast as one int32, and
64 bytes of B packed as [N/16, K/4, 16, 4] (16 columns x 4 consecutive k).
Around it, the same register-blocked micro-kernel as the float32 schedule:
an MR x (NV*16) int32 tile accumulated in registers over the whole k loop,
rows blocked so that a block of A and one B panel fit in half of L2.

B is packed once, as a weight layout would be (the packing is timed apart
and shown too). Figures: int8 operations per second (2 per multiply-add)
against the float32 best schedule's FLOP/s (which packs B inside its
timing) and the FMA peak. Target: >= 3x the float32 operations per second.

    PYTHONPATH=python TVM_LIBRARY_PATH=build python3 tests/benchmarks/bench_int8_matmul.py [--threads N]
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

if __name__ == "__main__":
    ARGS = common.parse_args(__doc__)
    common.setup_threads(ARGS.threads)

import numpy as np  # noqa: E402

import tvm  # noqa: E402
from tvm import te  # noqa: E402
from tvm.topi.x86 import gemm  # noqa: E402  (the register-blocked micro-kernel shapes)

import bench_matmul  # noqa: E402  (the float32 schedules)

N = 1024
OPS = 2.0 * N * N * N
TARGET = "llvm -mcpu=native"
LANES = 16  # int32 lanes of a zmm register
GROUP = 4  # bytes of k summed into one int32 lane
K_UNROLL = 4  # vpdpbusd steps (of 4 k each) unrolled in the micro-kernel


def vnni_dot_16x4():
    """Tensor intrinsic: c[16] (+)= sum over k<4 of a[k] * b[j, k], one vpdpbusd."""
    a = te.placeholder((GROUP,), "uint8", name="a")
    b = te.placeholder((LANES, GROUP), "int8", name="b")
    k = te.reduce_axis((0, GROUP), name="k")
    c = te.compute((LANES,), lambda j: te.sum(a[k].astype("int32") * b[j, k].astype("int32"), axis=k), name="c")
    a_buf = tvm.tir.decl_buffer(a.shape, "uint8", name="a_buf", offset_factor=1)
    b_buf = tvm.tir.decl_buffer(b.shape, "int8", name="b_buf", offset_factor=1, strides=[te.var("b_row"), 1])
    c_buf = tvm.tir.decl_buffer(c.shape, "int32", name="c_buf", offset_factor=1)

    def emit(ins, outs):
        a_in, b_in = ins
        c_out = outs[0]
        # The 4 bytes of A as one int32, in every lane; B's 64 bytes as 16 int32 lanes.
        a_word = tvm.tir.Broadcast(tvm.tir.reinterpret("int32", a_in.vload([0], f"uint8x{GROUP}")), LANES)
        b_words = tvm.tir.reinterpret(f"int32x{LANES}", b_in.vload([0, 0], f"int8x{LANES * GROUP}"))
        zero = tvm.tir.Broadcast(tvm.tir.const(0, "int32"), LANES)

        def vpdpbusd(acc):
            return tvm.tir.call_llvm_pure_intrin(f"int32x{LANES}", "llvm.x86.avx512.vpdpbusd.512",
                                                 tvm.tir.const(0, "uint32"), acc, a_word, b_words)

        body = c_out.vstore([0], vpdpbusd(zero))
        reset = c_out.vstore([0], zero)
        update = c_out.vstore([0], vpdpbusd(c_out.vload([0], f"int32x{LANES}")))
        return body, reset, update

    return te.decl_tensor_intrin(c.op, emit, binds={a: a_buf, b: b_buf, c: c_buf})


def packing(n):
    """B [K, N] int8 -> [N/16, K/4, 16, 4]: for each 16 columns, 4 consecutive k side by side."""
    B = te.placeholder((n, n), "int8", name="B")
    B_packed = te.compute((n // LANES, n // GROUP, LANES, GROUP),
                          lambda jo, ko, ji, kr: B[ko * GROUP + kr, jo * LANES + ji], name="B_packed")
    s = te.create_schedule(B_packed.op)
    jo, ko, ji, kr = B_packed.op.axis
    s[B_packed].unroll(kr)
    s[B_packed].parallel(jo)
    return s, [B, B_packed]


def int8_schedule(n=N, target=None):
    target = target or tvm.target.Target(TARGET)
    _, registers = common.vector_info(target)
    mr, nv = gemm.micro_kernel_shape(n, n, LANES, registers)
    nr = nv * LANES
    caches = common.cache_sizes()
    # Bytes: an A row block (mc*n) plus one packed B panel (n*nr) in half of L2.
    mc = mr
    while n % (mc * 2) == 0 and (mc * 2) * n + n * nr <= caches["L2"] // 2:
        mc *= 2
    A = te.placeholder((n, n), "uint8", name="A")
    B_packed = te.placeholder((n // LANES, n // GROUP, LANES, GROUP), "int8", name="B_packed")
    k = te.reduce_axis((0, n), name="k")
    C = te.compute(
        (n, n),
        lambda i, j: te.sum(A[i, k].astype("int32")
                            * B_packed[j // LANES, k // GROUP, j % LANES, k % GROUP].astype("int32"), axis=k),
        name="C")
    s = te.create_schedule(C.op)
    C_acc = s.cache_write(C, "local")
    i, j = C.op.axis
    i_block, i_rest = s[C].split(i, factor=mc)
    i_tile, i_inner = s[C].split(i_rest, factor=mr)
    j_panel, j_inner = s[C].split(j, factor=nr)
    s[C].reorder(i_block, j_panel, i_tile, i_inner, j_inner)
    s[C_acc].compute_at(s[C], i_tile)
    ci, cj = s[C_acc].op.axis
    (ck,) = s[C_acc].op.reduce_axis
    ko, kr = s[C_acc].split(ck, factor=GROUP)
    koo, koi = s[C_acc].split(ko, factor=K_UNROLL)
    cj_vec, cj_lane = s[C_acc].split(cj, factor=LANES)
    s[C_acc].reorder(koo, koi, ci, cj_vec, cj_lane, kr)
    s[C_acc].unroll(koi)
    s[C_acc].unroll(ci)
    s[C_acc].unroll(cj_vec)
    s[C_acc].tensorize(cj_lane, vnni_dot_16x4())
    s[C].unroll(i_inner)
    s[C].vectorize(j_inner)
    s[C].parallel(s[C].fuse(i_block, j_panel))
    shape = f"{mr}x{nr} int32 tile ({mr}x{nv} zmm), k unrolled by {K_UNROLL * GROUP}, A blocks of {mc} rows"
    return s, [A, B_packed, C], shape


def main():
    threads = ARGS.threads
    load = common.warn_if_loaded()
    common.print_header("matmul 1024^3: uint8 x int8 -> int32 (VNNI) vs float32", threads, load)
    target = tvm.target.Target(TARGET)
    if "+avx512vnni" not in set(str(f) for f in (target.mattr or [])):
        print(f"SKIP: this CPU ({target.mcpu}) has no AVX-512 VNNI")
        return
    common.limit_peer_threads(threads)
    dev = tvm.cpu()
    rng = np.random.default_rng(0)

    a8 = rng.integers(0, 256, (N, N), dtype=np.uint8)
    b8 = rng.integers(-128, 128, (N, N), dtype=np.int8)
    expected8 = a8.astype(np.int32) @ b8.astype(np.int32)
    s, args = packing(N)
    pack = tvm.build(s, args, target=TARGET, name="pack")
    tb8 = tvm.nd.array(b8, dev)
    tbp = tvm.nd.array(np.zeros((N // LANES, N // GROUP, LANES, GROUP), np.int8), dev)
    pack(tb8, tbp)
    np.testing.assert_array_equal(tbp.numpy(), b8.reshape(N // GROUP, GROUP, N // LANES, LANES).transpose(2, 0, 3, 1))
    s, args, shape = int8_schedule(target=target)
    mm8 = tvm.build(s, args, target=TARGET, name="matmul_u8s8")
    ta8 = tvm.nd.array(a8, dev)
    tc8 = tvm.nd.array(np.zeros((N, N), np.int32), dev)
    mm8(ta8, tbp, tc8)
    exact = np.array_equal(tc8.numpy(), expected8)
    asm = mm8.get_source("asm")
    uses_vnni = "vpdpbusd" in asm

    a32 = rng.standard_normal((N, N), dtype="float32")
    b32 = rng.standard_normal((N, N), dtype="float32")
    s, args, shape32 = bench_matmul.best_schedule(target=target, threads=threads)
    mm32 = tvm.build(s, args, target=TARGET, name="matmul")
    ta32, tb32 = tvm.nd.array(a32, dev), tvm.nd.array(b32, dev)
    tc32 = tvm.nd.array(np.zeros((N, N), "float32"), dev)
    mm32(ta32, tb32, tc32)
    np.testing.assert_allclose(tc32.numpy(), a32 @ b32, rtol=1e-3, atol=1e-2)

    measures = {
        "FMA peak": lambda: 1.0 / common.measure_fma_peak(threads, repeat=3),
        "float32 best schedule": lambda: common.time_tvm(mm32, "matmul", [ta32, tb32, tc32], repeat=3,
                                                         min_repeat_ms=100),
        "int8 VNNI (B prepacked)": lambda: common.time_tvm(mm8, "matmul_u8s8", [ta8, tbp, tc8], repeat=3,
                                                           min_repeat_ms=100),
        "int8 packing of B": lambda: common.time_tvm(pack, "pack", [tb8, tbp], repeat=3, min_repeat_ms=100),
    }
    best = common.best_of_rounds(measures, rounds=3)
    peak = 1.0 / best["FMA peak"]
    f32 = OPS / best["float32 best schedule"] / 1e9
    i8 = OPS / best["int8 VNNI (B prepacked)"] / 1e9
    i8_packed = OPS / (best["int8 VNNI (B prepacked)"] + best["int8 packing of B"]) / 1e9

    print(f"FP32 FMA peak, measured now: {peak:.1f} GFLOP/s; int8 result exact: {exact}; "
          f"vpdpbusd in the generated code: {uses_vnni}")
    print("best of 3 interleaved rounds:")
    print()
    table = common.Table([("", 30, None), ("ms", 8, "{:.3f}"), ("Gop/s", 8, "{:.1f}"),
                          ("x fp32", 7, "{:.2f}"), ("x peak", 7, "{:.2f}"), ("notes", 0, None)])
    table.row("float32 best schedule", best["float32 best schedule"] * 1e3, f32, 1.0, f32 / peak,
              shape32)
    table.row("int8 VNNI (B prepacked)", best["int8 VNNI (B prepacked)"] * 1e3, i8, i8 / f32, i8 / peak,
              shape + ("" if exact else "; WRONG RESULT"))
    table.row("int8 VNNI + packing B", (best["int8 VNNI (B prepacked)"] + best["int8 packing of B"]) * 1e3,
              i8_packed, i8_packed / f32, i8_packed / peak,
              f"packing alone {best['int8 packing of B'] * 1e3:.3f} ms")
    print()
    print("target: int8 >= 3x the float32 operations per second (VNNI: 4x the multiply-adds per instruction)")
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
