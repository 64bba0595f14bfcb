# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""int8 dense, batch_matmul and conv2d on x86: the int8 implementations the cpu strategies pick
(topi.x86 dense_int8 / batch_matmul_int8 / conv2d_nchw_int8, on vpdpbusd or exact
pmaddubsw+pmaddwd) against the generic implementation of the same op (topi.nn compute with the
generic schedule, what relay.build used before), on the same target, in the same run.

Both compute from the unpacked operands, as relay.build calls them (the int8 ones pack the
weight inside each call: that time is included). Results are checked exactly against numpy.

    PYTHONPATH=python TVM_LIBRARY_PATH=build python3 tests/benchmarks/bench_int8_ops.py [--threads N] [--target T]
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402


def _extra(parser):
    parser.add_argument("--target", default="llvm -mcpu=native", help="llvm target (default: this CPU)")


if __name__ == "__main__":
    ARGS = common.parse_args(__doc__, _extra)
    common.setup_threads(ARGS.threads)

import numpy as np  # noqa: E402

import tvm  # noqa: E402
from tvm import te, topi  # noqa: E402
from tvm.topi.nn.schedules import default_schedule  # noqa: E402


def _data(rng, dtype, shape):
    lo, hi = (0, 256) if dtype == "uint8" else (-128, 128)
    return rng.integers(lo, hi, shape).astype(dtype)


def dense_case(data_dtype, m, n, k):
    x = te.placeholder((m, k), data_dtype, name="x")
    w = te.placeholder((n, k), "int8", name="w")
    rng = np.random.default_rng(0)
    x_np, w_np = _data(rng, data_dtype, (m, k)), _data(rng, "int8", (n, k))
    ref = x_np.astype("int64") @ w_np.astype("int64").T
    return dict(
        name=f"dense {m}x{n}x{k} {data_dtype}", macs=m * n * k, args=[x, w], inputs=[x_np, w_np], ref=ref,
        generic=lambda: default_schedule_of(topi.nn.dense(x, w, None, "int32")),
        int8=lambda: schedule_of(topi.x86.dense_int8(x, w), topi.x86.schedule_dense_int8))


def batch_matmul_case(data_dtype, b, m, n, k):
    x = te.placeholder((b, m, k), data_dtype, name="x")
    y = te.placeholder((b, n, k), "int8", name="y")
    rng = np.random.default_rng(1)
    x_np, y_np = _data(rng, data_dtype, (b, m, k)), _data(rng, "int8", (b, n, k))
    ref = np.matmul(x_np.astype("int64"), y_np.astype("int64").transpose(0, 2, 1))
    return dict(
        name=f"batch_matmul {b}x{m}x{n}x{k} {data_dtype}", macs=b * m * n * k, args=[x, y], inputs=[x_np, y_np],
        ref=ref,
        generic=lambda: default_schedule_of(topi.nn.batch_matmul(x, y, out_dtype="int32")),
        int8=lambda: schedule_of(topi.x86.batch_matmul_int8_compute(x, y), topi.x86.schedule_batch_matmul_int8))


def conv2d_case(data_dtype, c, o, hw, ksize):
    x = te.placeholder((1, c, hw, hw), data_dtype, name="x")
    w = te.placeholder((o, c, ksize, ksize), "int8", name="w")
    pad = ksize // 2
    rng = np.random.default_rng(2)
    x_np, w_np = _data(rng, data_dtype, (1, c, hw, hw)), _data(rng, "int8", (o, c, ksize, ksize))
    padded = np.pad(x_np.astype("int64"), ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    ref = sum(np.einsum("nchw,oc->nohw", padded[:, :, y:y + hw, x_:x_ + hw], w_np[:, :, y, x_].astype("int64"))
              for y in range(ksize) for x_ in range(ksize))
    return dict(
        name=f"conv2d {c}->{o} {hw}x{hw} k{ksize} {data_dtype}", macs=c * o * hw * hw * ksize * ksize, args=[x, w],
        inputs=[x_np, w_np], ref=ref,
        generic=lambda: default_schedule_of(topi.nn.conv2d_nchw(x, w, 1, pad, 1, "int32")),
        int8=lambda: schedule_of(topi.x86.conv2d_nchw_int8(x, w, (1, 1), (pad, pad, pad, pad), (1, 1)),
                                 topi.x86.schedule_conv2d_nchw_int8))


def default_schedule_of(out):
    return default_schedule([out]), out


def schedule_of(out, schedule):
    return schedule([out]), out


def measure(case, kind, target):
    with tvm.target.Target(target):
        s, out = case[kind]()
    f = tvm.build(s, case["args"] + [out], target)
    dev = tvm.cpu()
    args = [tvm.nd.array(v, dev) for v in case["inputs"]] + [tvm.nd.array(np.zeros(case["ref"].shape, "int32"), dev)]
    f(*args)
    exact = np.array_equal(args[-1].numpy(), case["ref"])
    return (lambda: common.time_tvm(f, f.entry_name, args, repeat=3, min_repeat_ms=100)), exact


def main():
    target = ARGS.target
    load = common.warn_if_loaded()
    common.print_header(f"int8 operators: x86 int8 implementations vs generic ({target})", ARGS.threads, load)
    cases = [
        dense_case("uint8", 128, 768, 768),
        dense_case("int8", 128, 768, 768),
        batch_matmul_case("int8", 12, 128, 128, 64),
        conv2d_case("uint8", 64, 64, 56, 3),
        conv2d_case("int8", 128, 128, 28, 3),
    ]
    table = common.Table([("", 34, None), ("generic ms", 11, "{:.3f}"), ("int8 ms", 9, "{:.3f}"),
                          ("speed-up", 9, "{:.1f}"), ("int8 GMAC/s", 12, "{:.1f}"), ("exact", 0, None)])
    for case in cases:
        measures, exact = {}, {}
        for kind in ("generic", "int8"):
            measures[kind], exact[kind] = measure(case, kind, target)
        best = common.best_of_rounds(measures, rounds=3)
        table.row(case["name"], best["generic"] * 1e3, best["int8"] * 1e3, best["generic"] / best["int8"],
                  case["macs"] / best["int8"] / 1e9, f"generic {exact['generic']}, int8 {exact['int8']}")
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
