# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""1024x1024x1024 float32 matmul: TVM schedules against the machine's FMA peak,
numpy (OpenBLAS) and oneDNN's dnnl_sgemm, all measured in this run.

Two TE schedules, each built with target "llvm -mcpu=native":

  classic   the schedule of the well-known CPU GEMM tutorial: 32x64 output
            tiles, B repacked into 64-wide column panels, k split by 4 and
            unrolled, the inner axis vectorized, the outer axis parallel,
            accumulating into a per-tile global buffer.
  best      topi.x86.matmul_pack + schedule_matmul_pack (the GEMM that
            dense and batch_matmul use too): a register-blocked
            micro-kernel, an MR x (NV*lanes) tile of accumulators sized
            from the target's vector width and register count, held in
            registers (cache_write to "local" + compute_at) while the whole
            k loop (split by 4, unrolled) runs innermost; B packed into
            NR-wide panels by a compute stage, each panel sized to stay in
            L2 and packed by the thread that uses it (compute_at the
            parallel panel loop).

Prints GFLOP/s, the fraction of the FMA peak, the ratios to numpy and
oneDNN, and the time tvm.build takes for each schedule (TVM v0.14: 77 ms
for its tiled matmul). Nothing is asserted about time.

    PYTHONPATH=python TVM_LIBRARY_PATH=build python3 tests/benchmarks/bench_matmul.py [--threads N]

--transformer: instead, the dense GEMMs of the encoder6 and BERT models
(bench_models.py) as relay.build runs them: the weight packed in panels at
compile time (nn.contrib_dense_pack), bias and relu fused. For each shape,
topi.x86's default tiling against the previous policy (no k blocking: the
panel width halved while a depth x NR panel overflows half of L2), where the
two differ; each with its weight warm (the same weight every call) and cold
(a different copy every call, 64 MiB of copies, as in a model whose weights
stream from memory once per inference). Interleaved rounds, best of each.
"""
import ctypes
import ctypes.util
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

if __name__ == "__main__":
    # Thread pools read their sizes when they start: set them before the imports.
    ARGS = common.parse_args(__doc__, lambda parser: parser.add_argument(
        "--transformer", action="store_true", help="the dense GEMMs of encoder6 and BERT instead (see above)"))
    common.setup_threads(ARGS.threads)

import numpy as np  # noqa: E402

import tvm  # noqa: E402
from tvm import te, topi  # noqa: E402

N = 1024
FLOPS = 2.0 * N * N * N
TARGET = "llvm -mcpu=native"
TVM_V014_BUILD_MS = 77.0


def matmul_compute(n, panel):
    """C = A @ B with B read from a [n/panel, n, panel] packed copy."""
    A = te.placeholder((n, n), name="A")
    B = te.placeholder((n, n), name="B")
    B_packed = te.compute((n // panel, n, panel), lambda p, k, j: B[k, p * panel + j], name="B_packed")
    k = te.reduce_axis((0, n), name="k")
    C = te.compute((n, n), lambda i, j: te.sum(A[i, k] * B_packed[j // panel, k, j % panel], axis=k), name="C")
    return A, B, B_packed, C


def schedule_packing(s, B_packed):
    p, _, j = s[B_packed].op.axis
    s[B_packed].vectorize(j)
    s[B_packed].parallel(p)


def classic_schedule(n=N):
    """32x64 tiles, 64-wide B panels, k split by 4 and unrolled, vectorized, outer axis parallel."""
    tile_i, tile_j, k_factor = 32, 64, 4
    A, B, B_packed, C = matmul_compute(n, tile_j)
    s = te.create_schedule(C.op)
    C_tile = s.cache_write(C, "global")
    io, jo, ii, ji = s[C].tile(C.op.axis[0], C.op.axis[1], tile_i, tile_j)
    s[C_tile].compute_at(s[C], jo)
    ci, cj = s[C_tile].op.axis
    (k,) = s[C_tile].op.reduce_axis
    ko, ki = s[C_tile].split(k, factor=k_factor)
    s[C_tile].reorder(ko, ci, ki, cj)
    s[C_tile].unroll(ki)
    s[C_tile].vectorize(cj)
    s[C].vectorize(ji)
    s[C].parallel(io)
    schedule_packing(s, B_packed)
    return s, [A, B, C]


def best_schedule(n=N, target=None, threads=None):
    """topi.x86's register-blocked GEMM (python/tvm/topi/x86/gemm.py), with a tile that divides n.

    Loop nest (outer to inner): B panel (parallel; the panel is packed right
    there, by the thread that uses it, so it is still in that core's L2),
    row tile, k (split and unrolled), tile rows (unrolled), tile columns
    (vectors). Every k step loads NV vectors of the packed panel and
    broadcasts MR values of A into MR*NV accumulator registers. The schedule
    reads the thread count from TVM_NUM_THREADS (setup_threads sets it).
    """
    del threads
    target = target or tvm.target.Target(TARGET)
    with target:
        cfg = topi.x86.gemm.default_config(n, n, n, exact=True)
        A = te.placeholder((n, n), name="A")
        B = te.placeholder((n, n), name="B")
        C = topi.x86.matmul_pack(A, B, config=cfg)
        s = topi.x86.schedule_matmul_pack([C], config=cfg)
    shape = (f"{cfg.mr}x{cfg.nr} tile ({cfg.mr}x{cfg.nv} vectors), k unrolled by {cfg.k_unroll}, "
             f"{n // cfg.nr} B panels of {n * cfg.nr * 4 >> 10} KiB")
    return s, [A, B, C], shape


# ---------------------------------------------------------------------------
# Peers


def numpy_peer(a, b):
    c = np.empty_like(a)
    return lambda: np.matmul(a, b, out=c)


def onednn_peer(a, b):
    """dnnl_sgemm on row-major A, B, C through ctypes, or None when libdnnl is absent."""
    name = ctypes.util.find_library("dnnl") or "libdnnl.so.2"
    try:
        lib = ctypes.CDLL(name)
    except OSError:
        print("note: oneDNN not found (Debian: libdnnl-dev); skipping the oneDNN column")
        return None, None
    sgemm = lib.dnnl_sgemm
    i64, f32, ptr = ctypes.c_int64, ctypes.c_float, ctypes.c_void_p
    sgemm.argtypes = [ctypes.c_char, ctypes.c_char, i64, i64, i64, f32, ptr, i64, ptr, i64, f32, ptr, i64]
    sgemm.restype = ctypes.c_int
    m, k = a.shape
    n = b.shape[1]
    c = np.zeros((m, n), dtype="float32")

    def run():
        status = sgemm(b"N", b"N", m, n, k, 1.0, a.ctypes.data, k, b.ctypes.data, n, 0.0, c.ctypes.data, n)
        if status != 0:
            raise RuntimeError(f"dnnl_sgemm returned status {status}")

    run()
    return run, c


# (rows, depth, cols) of the dense layers: encoder6 (d_model 512, FFN 2048, sequence 96), BERT
# (d_model 768, FFN 3072, sequence 128): QKV projection, output projection, FFN in, FFN out.
TRANSFORMER_SHAPES = [(96, 512, 1536), (96, 512, 512), (96, 512, 2048), (96, 2048, 512),
                      (128, 768, 2304), (128, 768, 768), (128, 768, 3072), (128, 3072, 768)]


def previous_config(rows, cols, depth):
    """The tiling before k blocking: no kc; the panel width halved while a panel overflows L2 / 2."""
    cfg = topi.x86.gemm.default_config(rows, cols, depth)
    l2 = topi.x86.utils.cache_sizes()["L2"]
    nv = cfg.nv
    while nv > 1 and depth * nv * cfg.lanes * 4 > l2 // 2:
        nv //= 2
    while cols % (nv * cfg.lanes):
        nv -= 1
    if nv == cfg.nv:
        return topi.x86.gemm.GemmConfig(cfg.mr, nv, cfg.lanes, cfg.k_unroll)
    return topi.x86.gemm.config_for_panels(rows, nv * cfg.lanes, depth)


def dense_kernel(rows, depth, cols, cfg, target):
    """relu(data x packed weight^T + bias) built for cfg: (function, the panel width)."""
    with target:
        data = te.placeholder((rows, depth), name="data")
        weight = te.placeholder((cols // cfg.nr, depth, cfg.nr), name="weight")
        bias = te.placeholder((cols,), name="bias")
        out = topi.nn.relu(topi.x86.dense_pack(data, weight, bias, config=cfg))
        s = topi.x86.schedule_dense_pack([out], config=cfg)
    return tvm.build(s, [data, weight, bias, out], target=target, name="dense")


def transformer_main():
    threads = ARGS.threads
    load = common.warn_if_loaded()
    common.print_header("transformer dense GEMMs (packed weights, bias + relu fused)", threads, load)
    target = tvm.target.Target(TARGET)
    rng = np.random.default_rng(0)
    dev = tvm.cpu()
    measures = {"FMA peak": lambda: 1.0 / common.measure_fma_peak(threads, repeat=3)}
    rows_info = []
    for rows, depth, cols in TRANSFORMER_SHAPES:
        with target:
            default = topi.x86.gemm.config_for_panels(rows, topi.x86.gemm.panel_width(rows, cols, depth), depth)
            previous = previous_config(rows, cols, depth)
        configs = [("default", default)]
        if (previous.nr, previous.kc, previous.mr) != (default.nr, default.kc, default.mr):
            configs.append(("previous", previous))
        x = rng.standard_normal((rows, depth), dtype="float32")
        w = rng.standard_normal((cols, depth), dtype="float32")
        b = rng.standard_normal((cols,), dtype="float32")
        want = np.maximum(x @ w.T + b, 0)
        for label, cfg in configs:
            func = dense_kernel(rows, depth, cols, cfg, target)
            packed = np.ascontiguousarray(w.reshape(cols // cfg.nr, cfg.nr, depth).transpose(0, 2, 1))
            copies = max(2, (64 << 20) // packed.nbytes)
            weights = [tvm.nd.array(packed, dev) for _ in range(copies)]
            args = [tvm.nd.array(x, dev), None, tvm.nd.array(b, dev), tvm.nd.empty((rows, cols), device=dev)]
            func(args[0], weights[0], args[2], args[3])
            np.testing.assert_allclose(args[3].numpy(), want, rtol=1e-4, atol=1e-3)

            def run(func=func, weights=weights, args=args, cold=False, calls=32):
                start = time.perf_counter()
                for i in range(calls):
                    func(args[0], weights[i % len(weights)] if cold else weights[0], args[2], args[3])
                return (time.perf_counter() - start) / calls

            key = f"{rows}x{depth}x{cols} {label}"
            measures[key + " warm"] = run
            measures[key + " cold"] = lambda run=run: run(cold=True)
            rows_info.append((key, rows * depth * cols * 2.0,
                              f"{cfg.mr}x{cfg.nr} tile, kc {cfg.kc or '-'}, k unrolled by {cfg.k_unroll}"))
    best = common.best_of_rounds(measures, rounds=5)
    peak = 1.0 / best.pop("FMA peak")
    print(f"FP32 FMA peak, measured now: {peak:.1f} GFLOP/s; best of 5 interleaved rounds of 32 calls")
    print()
    table = common.Table([("M x K x N tiling", 28, None), ("warm ms", 8, "{:.3f}"), ("GFLOP/s", 8, "{:.1f}"),
                          ("of peak", 8, "{:.1%}"), ("cold ms", 8, "{:.3f}"), ("GFLOP/s", 8, "{:.1f}"),
                          ("of peak", 8, "{:.1%}"), ("notes", 0, None)])
    for key, flops, note in rows_info:
        warm, cold = best[key + " warm"], best[key + " cold"]
        table.row(key, warm * 1e3, flops / warm / 1e9, flops / warm / 1e9 / peak, cold * 1e3, flops / cold / 1e9,
                  flops / cold / 1e9 / peak, note)
    print()
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")


def main():
    if ARGS.transformer:
        return transformer_main()
    threads = ARGS.threads
    load = common.warn_if_loaded()
    common.print_header("matmul 1024x1024x1024 float32", threads, load)
    capped = common.limit_peer_threads(threads)

    rng = np.random.default_rng(0)
    a = rng.standard_normal((N, N), dtype="float32")
    b = rng.standard_normal((N, N), dtype="float32")
    expected = a @ b
    dev = tvm.cpu()
    ta, tb = tvm.nd.array(a, dev), tvm.nd.array(b, dev)

    measures = {"FMA peak": lambda: 1.0 / common.measure_fma_peak(threads, repeat=3)}
    notes = {"FMA peak": "16 independent zmm FMA chains per thread"}
    numpy_run = numpy_peer(a, b)
    measures["numpy (OpenBLAS)"] = lambda: common.time_peer(numpy_run, repeat=3, min_repeat_ms=100)
    notes["numpy (OpenBLAS)"] = f"threads capped via {capped or 'environment'}"
    dnnl_run, dnnl_out = onednn_peer(a, b)
    if dnnl_run is not None:
        np.testing.assert_allclose(dnnl_out, expected, rtol=1e-3, atol=1e-2)
        measures["oneDNN dnnl_sgemm"] = lambda: common.time_peer(dnnl_run, repeat=3, min_repeat_ms=100)
        notes["oneDNN dnnl_sgemm"] = "libdnnl 2.6, row-major"

    builds = []
    target = tvm.target.Target(TARGET)
    for label, make in (("TVM classic schedule", lambda: classic_schedule() + ("32x64 tiles, 64-wide B panels",)),
                        ("TVM best schedule", lambda: best_schedule(target=target, threads=threads))):
        s, args, shape = make()
        func = tvm.build(s, args, target=TARGET, name="matmul")
        tc = tvm.nd.array(np.zeros((N, N), dtype="float32"), dev)
        func(ta, tb, tc)
        err = float(np.max(np.abs(tc.numpy() - expected)))
        if not np.allclose(tc.numpy(), expected, rtol=1e-3, atol=1e-2):
            print(f"{label}: WRONG RESULT (max abs error {err:.3g}); not timed")
            continue
        measures[label] = (lambda func=func, tc=tc:
                           common.time_tvm(func, "matmul", [ta, tb, tc], repeat=3, min_repeat_ms=100))
        notes[label] = f"{shape}; max abs err {err:.1e}"

        def build_once(make=make):
            sch, tensors = make()[:2]
            # Looking the function up makes the JIT compile it: part of the build's cost.
            tvm.build(sch, tensors, target=TARGET, name="matmul").get_function("matmul")

        builds.append((label, common.time_build(build_once)))

    best = common.best_of_rounds(measures, rounds=3)
    peak = 1.0 / best.pop("FMA peak")
    np_sec = best.get("numpy (OpenBLAS)")
    dnnl_sec = best.get("oneDNN dnnl_sgemm")
    print(f"FP32 FMA peak, measured now: {peak:.1f} GFLOP/s ({notes['FMA peak']})")
    print("best of 3 interleaved rounds:")
    print()
    table = common.Table([("", 22, None), ("ms", 8, "{:.3f}"), ("GFLOP/s", 8, "{:.1f}"),
                          ("of peak", 8, "{:.1%}"), ("x numpy", 8, "{:.2f}"), ("x oneDNN", 8, "{:.2f}"),
                          ("notes", 0, None)])
    for name, sec in best.items():
        gflops = FLOPS / sec / 1e9 if sec else None
        table.row(name, sec * 1e3 if sec else None, gflops, gflops / peak if gflops else None,
                  common.ratio(np_sec, sec), common.ratio(dnnl_sec, sec), notes[name])
    print()
    print("compile time (tvm.build + JIT compilation, median of 5 after a warm-up):")
    for label, sec in builds:
        print(f"  {label:22s} {sec * 1e3:7.1f} ms   x TVM v0.14's {TVM_V014_BUILD_MS:.0f} ms: "
              f"{sec * 1e3 / TVM_V014_BUILD_MS:.2f}")
    print()
    print("targets: classic >= TVM v0.14's 80-83% of peak (Zen 4); best >= 90% of peak and >= 1.0x oneDNN;"
          " build < half of 77 ms")
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
