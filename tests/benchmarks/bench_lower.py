# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""How long tvm.lower takes for five typical schedules.

Prints, per program, the median time of tvm.lower over many runs (after a
warm-up) in milliseconds and its ratio to 1 ms; TVM v0.14 takes 1.3-3.3 ms
for such programs on this kind of machine. relay.build lowers hundreds of
operators per model, so this is the compile time users wait for.

    PYTHONPATH=python TVM_LIBRARY_PATH=build python3 tests/benchmarks/bench_lower.py [--runs N]
"""
import argparse
import statistics
import time

import tvm
from tvm import te


def tiled_matmul():
    """1024^3 matmul: 32x32 tiles, cache_write into local, reduction split, inner vectorized."""
    n = 1024
    A = te.placeholder((n, n), name="A")
    B = te.placeholder((n, n), name="B")
    k = te.reduce_axis((0, n), name="k")
    C = te.compute((n, n), lambda i, j: te.sum(A[i, k] * B[k, j], axis=k), name="C")
    s = te.create_schedule(C.op)
    CC = s.cache_write(C, "local")
    io, jo, ii, ji = s[C].tile(C.op.axis[0], C.op.axis[1], 32, 32)
    s[CC].compute_at(s[C], jo)
    ci, cj = s[CC].op.axis
    (kk,) = s[CC].op.reduce_axis
    ko, ki = s[CC].split(kk, factor=4)
    s[CC].reorder(ko, ci, ki, cj)
    s[CC].vectorize(cj)
    s[C].vectorize(ji)
    return s, [A, B, C]


def blur():
    """Two-stage 3x3 box blur: the horizontal pass computed per output row tile."""
    h, w = 1024, 1024
    A = te.placeholder((h + 2, w + 2), name="A")
    Bx = te.compute((h + 2, w), lambda y, x: A[y, x] + A[y, x + 1] + A[y, x + 2], name="blur_x")
    By = te.compute((h, w), lambda y, x: Bx[y, x] + Bx[y + 1, x] + Bx[y + 2, x], name="blur_y")
    s = te.create_schedule(By.op)
    yo, xo, yi, xi = s[By].tile(By.op.axis[0], By.op.axis[1], 32, 64)
    s[Bx].compute_at(s[By], xo)
    s[By].vectorize(xi)
    s[Bx].vectorize(s[Bx].op.axis[1])
    return s, [A, By]


def rfactor_sum():
    """Sum of 1M elements: the reduction factored into 64 partial sums."""
    n = 1 << 20
    A = te.placeholder((n,), name="A")
    k = te.reduce_axis((0, n), name="k")
    S = te.compute((1,), lambda _: te.sum(A[k], axis=k), name="S")
    s = te.create_schedule(S.op)
    ko, ki = s[S].split(S.op.reduce_axis[0], factor=64)
    SF = s.rfactor(S, ki)
    s[SF].vectorize(SF.op.axis[0])
    return s, [A, S]


def _gemm_intrin(m, n, l):
    a = te.placeholder((m, l), name="a")
    b = te.placeholder((l, n), name="b")
    k = te.reduce_axis((0, l), name="k")
    c = te.compute((m, n), lambda i, j: te.sum(a[i, k] * b[k, j], axis=k), name="c")
    Ab = tvm.tir.decl_buffer(a.shape, a.dtype, name="Ab", offset_factor=1, strides=[te.var("sa"), 1])
    Bb = tvm.tir.decl_buffer(b.shape, b.dtype, name="Bb", offset_factor=1, strides=[te.var("sb"), 1])
    Cb = tvm.tir.decl_buffer(c.shape, c.dtype, name="Cb", offset_factor=1, strides=[te.var("sc"), 1])

    def intrin_func(ins, outs):
        aa, bb = ins
        cc = outs[0]

        def call(name, *extra):
            ib = tvm.tir.call_extern("int32", name, cc.access_ptr("w"), *extra)
            return tvm.tir.Evaluate(ib)

        body = call("gemm8x8_update", aa.access_ptr("r"), bb.access_ptr("r"), aa.strides[0], bb.strides[0], cc.strides[0])
        reset = call("gemm8x8_reset", cc.strides[0])
        return body, reset, body

    return te.decl_tensor_intrin(c.op, intrin_func, binds={a: Ab, b: Bb, c: Cb})


def tensorized_gemm():
    """256^3 GEMM whose 8x8x8 inner block is an extern intrinsic (call_extern)."""
    n = 256
    A = te.placeholder((n, n), name="A")
    B = te.placeholder((n, n), name="B")
    k = te.reduce_axis((0, n), name="k")
    C = te.compute((n, n), lambda i, j: te.sum(A[i, k] * B[k, j], axis=k), name="C")
    s = te.create_schedule(C.op)
    io, jo, ii, ji = s[C].tile(C.op.axis[0], C.op.axis[1], 8, 8)
    ko, ki = s[C].split(C.op.reduce_axis[0], factor=8)
    s[C].reorder(io, jo, ko, ii, ji, ki)
    s[C].tensorize(ii, _gemm_intrin(8, 8, 8))
    return s, [A, B, C]


def elementwise_chain():
    """Seven elementwise stages, all inlined into one loop nest, split and vectorized."""
    n = 1 << 16
    A = te.placeholder((n,), name="A")
    stages = [A]

    def stage(prev, c):
        return lambda x: prev[x] * 2.0 + float(c)

    for i in range(7):
        stages.append(te.compute((n,), stage(stages[-1], i), name=f"T{i}"))
    out = stages[-1]
    s = te.create_schedule(out.op)
    for t in stages[1:-1]:
        s[t].compute_inline()
    xo, xi = s[out].split(out.op.axis[0], factor=8)
    s[out].vectorize(xi)
    s[out].parallel(xo)
    return s, [A, out]


PROGRAMS = [
    ("tiled matmul (cache_write, compute_at)", tiled_matmul),
    ("two-stage blur (compute_at)", blur),
    ("reduction with rfactor", rfactor_sum),
    ("GEMM tensorized 8x8 (call_extern)", tensorized_gemm),
    ("7-stage elementwise chain", elementwise_chain),
]


def time_lower(make, runs, warmup):
    times = []
    for i in range(warmup + runs):
        sch, args = make()
        start = time.perf_counter()
        tvm.lower(sch, args, simple_mode=False)
        elapsed = time.perf_counter() - start
        if i >= warmup:
            times.append(elapsed * 1e3)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--show", action="store_true", help="print each lowered module once")
    args = parser.parse_args()
    print(f"{'program':45s} {'median ms':>10s} {'x 1 ms':>8s}")
    for name, make in PROGRAMS:
        try:
            if args.show:
                sch, tensors = make()
                print(tvm.lower(sch, tensors, simple_mode=True))
            ms = time_lower(make, args.runs, args.warmup)
        except tvm.error.TVMError as err:
            print(f"{name:45s} {'n/a':>10s}   ({str(err).splitlines()[0]})")
            continue
        print(f"{name:45s} {ms:10.3f} {ms / 1.0:8.2f}")
    print("reference: TVM v0.14 takes 1.3-3.3 ms for such programs")


if __name__ == "__main__":
    main()
