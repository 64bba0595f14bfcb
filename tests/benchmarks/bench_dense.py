# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""float32 dense and batch_matmul at model shapes: topi.x86 beside numpy and PyTorch.

The shapes: a BERT-base encoder layer (sequence 128, d_model 768, 12 heads,
FFN 3072): its dense layers (128 x 768) x (768 x 768 | 2304 | 3072) and
(128 x 3072) x (3072 x 768), each with its bias; its attention products,
batch_matmul of 12 heads 128x64 @ 64x128 (q k^T, transpose_b) and
128x128 @ 128x64 (scores v); the dense ending batch-1 CNN classifiers,
(1 x 512 | 2048) x 1000.

Ours is what relay.build makes for the shape with a constant weight,
built for "llvm -mcpu=<this CPU>" with the bias add fused: dense_pack
reading the weight pre-packed into panels (AlterOpLayout turns nn.dense
into nn.contrib_dense_pack and FoldConstant packs the weight at compile
time), dense_nopack for a few rows, batch_matmul.x86 (its second operand
packed inside the operator: it is an activation). "in-op ms" is the same
dense_pack repacking the weight inside the operator on every run (what a
weight that is not a constant costs; the difference is the packing). The peers, in the
same process: numpy (OpenBLAS, capped at 1 thread with threadpoolctl when
it is installed, as the issue asks) and PyTorch (torch.set_num_threads(
--threads)). "of peak" is our GFLOP/s over the FMA peak of --threads
threads measured now. Nothing is asserted about time.

    PYTHONPATH=python TVM_LIBRARY_PATH=build python3 tests/benchmarks/bench_dense.py [--threads N]
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
from tvm import te, topi  # noqa: E402
from tvm.relay.op.strategy import x86_gemm  # noqa: E402

# (label, kind, shapes): dense (m, k, n) with bias; batch_matmul (batch, m, k, n, transpose_b).
CASES = [
    ("BERT qkv 128x768x2304", "dense", (128, 768, 2304)),
    ("BERT attn-out 128x768x768", "dense", (128, 768, 768)),
    ("BERT ffn1 128x768x3072", "dense", (128, 768, 3072)),
    ("BERT ffn2 128x3072x768", "dense", (128, 3072, 768)),
    ("BERT q@k^T 12x128x64x128", "batch_matmul", (12, 128, 64, 128, True)),
    ("BERT s@v 12x128x128x64", "batch_matmul", (12, 128, 128, 64, False)),
    ("resnet18 fc 1x512x1000", "dense", (1, 512, 1000)),
    ("resnet50 fc 1x2048x1000", "dense", (1, 2048, 1000)),
]


def host_target():
    return tvm.target.Target(f"llvm -mcpu={tvm.target.codegen.llvm_get_system_cpu()}")


def build_dense(target, m, k, n, prepacked=True):
    """Ours as relay.build makes it for a constant weight: dense_nopack for a few rows, else
    dense_pack reading the weight pre-packed into panels (AlterOpLayout + FoldConstant), or,
    with prepacked=False, repacking it inside the operator (a weight that is not a constant)."""
    with target:
        x = te.placeholder((m, k), name="x")
        b = te.placeholder((n,), name="b")
        nr = topi.x86.gemm.panel_width(m, n, k)
        if m <= x86_gemm.DENSE_NOPACK_MAX_ROWS:
            w = te.placeholder((n, k), name="w")
            impl, out = "dense_nopack", topi.add(topi.x86.dense_nopack(x, w), b)
            s = topi.x86.schedule_dense_nopack([out])
        else:
            w = te.placeholder((n // nr, k, nr) if prepacked and nr else (n, k), name="w")
            out = topi.add(topi.x86.dense_pack(x, w), b)
            packed_now = len(w.shape) == 3
            cfg = topi.x86.gemm.config_for_panels(m, nr, k) if packed_now else topi.x86.gemm.default_config(m, n, k)
            impl = f"pack {cfg.mr}x{cfg.nr}"
            s = topi.x86.schedule_dense_pack([out])
    return tvm.build(s, [x, w, b, out], target, name="dense"), impl, out, tuple(int(d) for d in w.shape)


def build_batch_matmul(target, batch, m, k, n, transpose_b):
    with target:
        a = te.placeholder((batch, m, k), name="a")
        b = te.placeholder((batch, n, k) if transpose_b else (batch, k, n), name="b")
        out = topi.x86.batch_matmul(a, b, transpose_b=transpose_b)
        s = topi.x86.schedule_batch_matmul([out])
    return tvm.build(s, [a, b, out], target, name="batch_matmul"), "batch_matmul.x86", out


def main():
    threads = ARGS.threads
    load = common.warn_if_loaded()
    common.print_header("dense / batch_matmul float32 at model shapes", threads, load)
    import torch

    capped = common.limit_peer_threads(threads)
    try:  # numpy at 1 thread, as the issue asks (torch keeps --threads)
        import threadpoolctl

        numpy_limit = threadpoolctl.threadpool_limits(limits=1, user_api="blas")
        numpy_note = "OpenBLAS 1 thread (threadpoolctl)"
    except ImportError:
        numpy_limit, numpy_note = None, f"OpenBLAS threads: {os.environ.get('OPENBLAS_NUM_THREADS')}"
    torch.set_num_threads(threads)
    target = host_target()
    dev = tvm.cpu()
    rng = np.random.default_rng(0)
    peak = common.measure_fma_peak(threads, repeat=3)
    print(f"target: {target}   FP32 FMA peak ({threads} threads), measured now: {peak:.1f} GFLOP/s")
    print(f"numpy: {numpy_note}; torch: {torch.get_num_threads()} threads ({capped})")
    print()
    table = common.Table([("", 26, None), ("impl", 13, None), ("ours ms", 8, "{:.3f}"), ("of peak", 7, "{:.1%}"),
                          ("in-op ms", 8, "{:.3f}"), ("numpy ms", 8, "{:.3f}"), ("torch ms", 8, "{:.3f}"),
                          ("x numpy", 7, "{:.2f}"), ("x torch", 7, "{:.2f}")])
    for label, kind, shape in CASES:
        if kind == "dense":
            m, k, n = shape
            flops = 2.0 * m * n * k
            x = rng.uniform(-1, 1, (m, k)).astype("float32")
            w = rng.uniform(-1, 1, (n, k)).astype("float32")
            b = rng.uniform(-1, 1, (n,)).astype("float32")
            want = x @ w.T + b
            func, impl, out, wshape = build_dense(target, m, k, n)
            wpacked = w
            if len(wshape) == 3:  # the panels FoldConstant computes at compile time
                wpacked = np.ascontiguousarray(w.reshape(wshape[0], wshape[2], k).transpose(0, 2, 1))
            args = [tvm.nd.array(v, dev) for v in (x, wpacked, b)]
            wt = np.ascontiguousarray(w.T)
            np_out = np.empty((m, n), "float32")

            def numpy_run(x=x, wt=wt, b=b, np_out=np_out):
                np.matmul(x, wt, out=np_out)
                np_out += b

            tx, tw, tb = torch.from_numpy(x), torch.from_numpy(w), torch.from_numpy(b)

            def torch_run(tx=tx, tw=tw, tb=tb):
                torch.nn.functional.linear(tx, tw, tb)

            inop = None
            if len(wshape) == 3:  # the same dense with the weight repacked inside the operator
                inop_func, _, _, _ = build_dense(target, m, k, n, prepacked=False)
                inop_args = [tvm.nd.array(v, dev) for v in (x, w, b)]
                inop = (inop_func, inop_args)
            depth = k
        else:
            batch, m, k, n, transpose_b = shape
            flops = 2.0 * batch * m * n * k
            a = rng.uniform(-1, 1, (batch, m, k)).astype("float32")
            bm = rng.uniform(-1, 1, (batch, n, k) if transpose_b else (batch, k, n)).astype("float32")
            b_kn = np.swapaxes(bm, 1, 2) if transpose_b else bm
            want = np.matmul(a, b_kn)
            func, impl, out = build_batch_matmul(target, batch, m, k, n, transpose_b)
            inop = None
            impl = "batch_matmul"
            args = [tvm.nd.array(v, dev) for v in (a, bm)]
            np_out = np.empty((batch, m, n), "float32")

            def numpy_run(a=a, b_kn=b_kn, np_out=np_out):
                np.matmul(a, b_kn, out=np_out)

            ta, tbk = torch.from_numpy(a), torch.from_numpy(np.ascontiguousarray(bm))
            torch_b = tbk.transpose(1, 2) if transpose_b else tbk

            def torch_run(ta=ta, torch_b=torch_b):
                torch.matmul(ta, torch_b)

            depth = k
        result = tvm.nd.array(np.zeros([int(d) for d in out.shape], "float32"), dev)
        func(*args, result)
        err = float(np.max(np.abs(result.numpy() - want)))
        if not np.allclose(result.numpy(), want, rtol=1e-4, atol=1e-4 * depth ** 0.5):
            print(f"{label}: WRONG RESULT (max abs error {err:.3g}); not timed")
            continue
        fname = "dense" if kind == "dense" else "batch_matmul"
        measures = {
            "ours": lambda: common.time_tvm(func, fname, args + [result], repeat=5, min_repeat_ms=100),
            "numpy": lambda: common.time_peer(numpy_run, repeat=5, min_repeat_ms=100),
            "torch": lambda: common.time_peer(torch_run, repeat=5, min_repeat_ms=100),
        }
        if inop is not None:
            measures["inop"] = lambda: common.time_tvm(inop[0], "dense", inop[1] + [result], repeat=5,
                                                       min_repeat_ms=100)
        best = common.best_of_rounds(measures, rounds=3)
        ours = best["ours"]
        table.row(label, impl, ours * 1e3, flops / ours / 1e9 / peak, best["inop"] * 1e3 if inop else None,
                  best["numpy"] * 1e3, best["torch"] * 1e3, common.ratio(best["numpy"], ours),
                  common.ratio(best["torch"], ours))
    print()
    print("x numpy / x torch: their time over ours (above 1: we are faster)")
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")
    del numpy_limit


if __name__ == "__main__":
    main()
