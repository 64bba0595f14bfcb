# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Memory-bound kernels on 4096x4096 float32 (64 MiB a matrix): vector add,
row sums and row softmax, in GB/s against a plain memory copy's GB/s
measured in this run.

Bytes counted are the bytes a kernel must move at the least:
  copy      read 64 MiB + write 64 MiB
  add       C = A + B: read 2 x 64 MiB + write 64 MiB
  row-sum   S[i] = sum_j A[i, j]: read 64 MiB
  softmax   Y[i, :] = exp(X[i, :] - max) / sum(exp(...)): read 64 MiB + write 64 MiB
The copy reference is the faster of numpy.copyto (one thread) and a C++
loop of memcpy calls over N threads (g++ -O3), each into a preallocated
array. torch (same thread count) is shown beside TVM where it has the op.

TVM schedules: rows parallel, inner loops vectorized (64 lanes, i.e. four
zmm registers, so that reductions keep four independent partial vectors in
registers). Outputs written once (vector add, softmax) use streaming stores
(pragma "nontemporal", arrays declared 64-byte aligned), which write a line
without reading it first; a second row of each shows ordinary stores. Softmax keeps each row's exponentials in a row buffer (computed
per row with compute_at) so that exp runs once per element, prefetches
the next row of X while it computes the exponentials, and writes Y with
streaming stores (pragma "nontemporal", X and Y declared 64-byte aligned);
it is built with te.exp (what the code generator makes of tir.exp), with an
exp written in TE here (range reduction to [-ln2/2, ln2/2], a degree-7
polynomial, and 2^n assembled in the exponent bits), and, for comparison,
with ordinary (cached) stores.

Target: >= 80% of the copy bandwidth. Nothing is asserted about time.

    PYTHONPATH=python TVM_LIBRARY_PATH=build python3 tests/benchmarks/bench_bandwidth.py [--threads N]
"""
import ctypes
import math
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

M = N = 4096
MATRIX_BYTES = M * N * 4
TARGET = "llvm -mcpu=native"
LANES = 64  # four zmm registers of float32


def aligned_binds(tensors):
    """Buffers declared 64-byte aligned (tvm.nd arrays are; the entry point checks it)."""
    return {t: tvm.tir.decl_buffer(t.shape, t.dtype, name=t.name, data_alignment=64) for t in tensors}


def vector_add(streaming=True):
    A = te.placeholder((M, N), name="A")
    B = te.placeholder((M, N), name="B")
    C = te.compute((M, N), lambda i, j: A[i, j] + B[i, j], name="C")
    s = te.create_schedule(C.op)
    i, j = C.op.axis
    jo, ji = s[C].split(j, factor=LANES)
    s[C].vectorize(ji)
    s[C].parallel(i)
    if not streaming:
        return s, [A, B, C], {}
    s[C].pragma(jo, "nontemporal")
    return s, [A, B, C], aligned_binds((A, B, C))


def row_reduce(X, combine, name):
    """A row reduction as LANES partial results (one vector) then a horizontal one."""
    rows, cols = X.shape
    k = te.reduce_axis((0, cols // LANES), name=f"{name}_k")
    partial = te.compute((rows, LANES), lambda i, lane: combine(X[i, k * LANES + lane], axis=k),
                         name=f"{name}_partial")
    lane = te.reduce_axis((0, LANES), name=f"{name}_lane")
    total = te.compute((rows,), lambda i: combine(partial[i, lane], axis=lane), name=name)
    return partial, total


def schedule_row_reduce(s, partial, total, at_stage, at_axis):
    """The partial vector lives in registers, computed where the row is needed."""
    s[partial].set_scope("local")
    s[partial].compute_at(s[total], total.op.axis[0])
    i, lane = s[partial].op.axis
    (k,) = s[partial].op.reduce_axis
    s[partial].reorder(i, k, lane)
    s[partial].vectorize(lane)
    if at_stage is not None:
        s[total].compute_at(at_stage, at_axis)


def row_sum():
    A = te.placeholder((M, N), name="A")
    partial, S = row_reduce(A, te.sum, "S")
    s = te.create_schedule(S.op)
    schedule_row_reduce(s, partial, S, None, None)
    s[S].parallel(S.op.axis[0])
    return s, [A, S]


def exp_in_te(x):
    """exp(x) for float32 from multiplies and adds only, so that it vectorizes.

    x = n ln2 + r with n an integer and |r| <= ln2/2; exp(r) by its Taylor
    series to degree 7 (error below 1e-8 relative on that interval); 2^n by
    writing n + 127 into the exponent field of a float32.
    """
    x = te.max(te.min(x, tvm.tir.const(88.0, "float32")), tvm.tir.const(-87.0, "float32"))
    n = te.floor(x * tvm.tir.const(1.0 / math.log(2.0), "float32") + tvm.tir.const(0.5, "float32"))
    # ln2 split in two so that n * ln2_high is exact in float32.
    ln2_high = 0.693145751953125
    ln2_low = math.log(2.0) - ln2_high
    r = x - n * tvm.tir.const(ln2_high, "float32") - n * tvm.tir.const(ln2_low, "float32")
    poly = tvm.tir.const(1.0 / math.factorial(7), "float32")
    for degree in range(6, -1, -1):
        poly = poly * r + tvm.tir.const(1.0 / math.factorial(degree), "float32")
    exponent = (n.astype("int32") + 127) << 23
    return poly * tvm.tir.reinterpret("float32", exponent)


def softmax(exp, streaming=True):
    """Returns (schedule, args, binds). streaming: Y's stores bypass the caches."""
    X = te.placeholder((M, N), name="X")
    max_partial, row_max = row_reduce(X, te.max, "row_max")
    E = te.compute((M, N), lambda i, j: exp(X[i, j] - row_max[i]), name="E")
    sum_partial, row_sum_ = row_reduce(E, te.sum, "row_sum")
    Y = te.compute((M, N), lambda i, j: E[i, j] * (tvm.tir.const(1.0, "float32") / row_sum_[i]), name="Y")
    s = te.create_schedule(Y.op)
    i, j = Y.op.axis
    s[Y].parallel(i)
    jo, ji = s[Y].split(j, factor=LANES)
    s[Y].vectorize(ji)
    # One row at a time: its max, its exponentials (a row buffer), their sum, then Y's row.
    schedule_row_reduce(s, max_partial, row_max, s[Y], i)
    s[E].compute_at(s[Y], i)
    _, ej = s[E].op.axis
    ejo, eji = s[E].split(ej, factor=LANES)
    s[E].vectorize(eji)
    # While a row's exponentials are computed (from the copy of X in L1), have
    # the next row of X fetched: N / LANES steps ahead of a step is the same
    # columns one row down.
    s[E].prefetch(X, ejo, N // LANES)
    schedule_row_reduce(s, sum_partial, row_sum_, s[Y], i)
    binds = {}
    if streaming:
        # Y is written once and not read back: streaming stores skip reading
        # each line of Y before writing it (half the traffic of the Y pass).
        # They need aligned vectors, so X and Y are declared 64-byte aligned
        # (tvm.nd arrays are; the entry point checks it).
        s[Y].pragma(jo, "nontemporal")
        binds = aligned_binds((X, Y))
    return s, [X, Y], binds


_CXX_COPY = r"""
#include <cstring>
#include <thread>
#include <vector>

// Copy `bytes` bytes with `threads` threads, each memcpy-ing one contiguous share.
extern "C" void parallel_copy(char* dst, const char* src, long bytes, int threads) {
  std::vector<std::thread> pool;
  long share = (bytes / threads + 63) / 64 * 64;
  for (int t = 0; t < threads; ++t) {
    long begin = t * share;
    long end = begin + share < bytes ? begin + share : bytes;
    if (begin >= end) break;
    pool.emplace_back([=] { std::memcpy(dst + begin, src + begin, end - begin); });
  }
  for (auto& th : pool) th.join();
}
"""


def main():
    threads = ARGS.threads
    load = common.warn_if_loaded()
    common.print_header("memory bandwidth: 4096x4096 float32", threads, load)
    common.limit_peer_threads(threads)
    try:
        import torch

        torch.set_num_threads(threads)
    except ImportError:
        torch = None
        print("note: torch not installed (Debian: python3-torch); skipping the torch column")

    rng = np.random.default_rng(0)
    a = rng.standard_normal((M, N), dtype="float32")
    b = rng.standard_normal((M, N), dtype="float32")
    dst = np.empty_like(a)
    dev = tvm.cpu()
    ta, tb = tvm.nd.array(a, dev), tvm.nd.array(b, dev)

    lib = common.compile_cxx(_CXX_COPY, ["-O3"])
    lib.parallel_copy.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_long, ctypes.c_int]
    lib.parallel_copy.restype = None

    def cxx_copy():
        lib.parallel_copy(dst.ctypes.data, a.ctypes.data, MATRIX_BYTES, threads)

    cxx_copy()
    assert np.array_equal(dst, a)

    kernels = []  # (name, bytes, tvm function, tvm args, check, torch callable)
    for label, streaming in (("vector add", True), ("add, cached stores", False)):
        s, args, binds = vector_add(streaming)
        f_add = tvm.build(s, args, target=TARGET, name="add", binds=binds)
        t_c = tvm.nd.array(np.empty_like(a), dev)
        kernels.append((label, 3 * MATRIX_BYTES, f_add, "add", [ta, tb, t_c],
                        lambda t_c=t_c: np.array_equal(t_c.numpy(), a + b)))
    s, args = row_sum()
    f_sum = tvm.build(s, args, target=TARGET, name="row_sum")
    t_s = tvm.nd.array(np.empty((M,), "float32"), dev)
    kernels.append(("row-sum", MATRIX_BYTES, f_sum, "row_sum", [ta, t_s],
                    lambda: np.allclose(t_s.numpy(), a.sum(axis=1, dtype="float64"), rtol=1e-4, atol=1e-2)))
    x = a * 4.0
    tx = tvm.nd.array(x, dev)
    shifted = np.exp(x.astype("float64") - x.max(axis=1, keepdims=True))
    expected_softmax = shifted / shifted.sum(axis=1, keepdims=True)
    for label, exp, streaming in (("softmax (te.exp)", te.exp, True), ("softmax (exp in TE)", exp_in_te, True),
                                  ("softmax, cached stores", te.exp, False)):
        s, args, binds = softmax(exp, streaming)
        f_soft = tvm.build(s, args, target=TARGET, name="softmax", binds=binds)
        t_y = tvm.nd.array(np.empty_like(a), dev)
        kernels.append((label, 2 * MATRIX_BYTES, f_soft, "softmax", [tx, t_y],
                        lambda t_y=t_y: np.allclose(t_y.numpy(), expected_softmax, rtol=1e-5, atol=1e-9)))

    measures = {
        "copy: numpy.copyto (1 thread)": lambda: common.time_peer(lambda: np.copyto(dst, a), repeat=3,
                                                                   min_repeat_ms=100),
        f"copy: C++ memcpy ({threads} threads)": lambda: common.time_peer(cxx_copy, repeat=3, min_repeat_ms=100),
    }
    correct = {}
    for name, _, func, entry, targs, check in kernels:
        func(*targs)
        correct[name] = check()
        measures[name] = (lambda func=func, entry=entry, targs=targs:
                          common.time_tvm(func, entry, targs, repeat=3, min_repeat_ms=100))
    torch_ops = {}
    if torch is not None:
        ta_t, tb_t, tx_t = torch.from_numpy(a), torch.from_numpy(b), torch.from_numpy(x)
        out_t, sum_t = torch.empty_like(ta_t), torch.empty(M)
        torch_ops = {
            "vector add": lambda: torch.add(ta_t, tb_t, out=out_t),
            "row-sum": lambda: torch.sum(ta_t, dim=1, out=sum_t),
            "softmax (te.exp)": lambda: torch.softmax(tx_t, dim=1),
        }
        for name, op in torch_ops.items():
            measures["torch " + name] = lambda op=op: common.time_peer(op, repeat=3, min_repeat_ms=100)

    best = common.best_of_rounds(measures, rounds=3)
    copies = {name: 2 * MATRIX_BYTES / sec / 1e9 for name, sec in best.items() if name.startswith("copy")}
    for name, gbs in copies.items():
        print(f"{name:32s} {gbs:7.1f} GB/s")
    copy_gbs = max(copies.values())
    print(f"copy reference: {copy_gbs:.1f} GB/s (the faster copy); best of 3 interleaved rounds")
    print()
    table = common.Table([("", 22, None), ("ms", 8, "{:.3f}"), ("GB/s", 7, "{:.1f}"), ("of copy", 8, "{:.1%}"),
                          ("correct", 7, None), ("torch GB/s", 10, "{:.1f}"), ("x torch", 7, "{:.2f}")])
    for name, nbytes, *_ in kernels:
        sec = best[name]
        gbs = nbytes / sec / 1e9
        torch_sec = best.get("torch " + name)
        torch_gbs = nbytes / torch_sec / 1e9 if torch_sec else None
        table.row(name, sec * 1e3, gbs, gbs / copy_gbs, "yes" if correct[name] else "NO", torch_gbs,
                  common.ratio(torch_sec, sec))
    print()
    print("target: >= 80% of the copy bandwidth; torch's softmax is shown on the te.exp row")
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
