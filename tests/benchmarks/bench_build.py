# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""How long tvm.build takes (lowering + LLVM code generation + -O3 + JIT).

Prints, for the tiled matmul and the two-stage blur of bench_lower.py, the
median wall time of tvm.build for target "llvm -mcpu=native" (each build
compiles from scratch: a new schedule, a new LLVM module, and the first call
that JIT-compiles it), next to TVM v0.14's 77 ms and 45 ms measured here.

    PYTHONPATH=python TVM_LIBRARY_PATH=build python3 tests/benchmarks/bench_build.py [--runs N]
"""
import argparse
import os
import statistics
import sys
import time

import tvm

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_lower import blur, tiled_matmul  # noqa: E402

TVM_014_MS = {"tiled matmul": 77.0, "two-stage blur": 45.0}


def time_build(make, runs, target):
    times = []
    for _ in range(runs):
        s, args = make()
        start = time.perf_counter()
        mod = tvm.build(s, args, target, name="f")
        mod.get_function("f")  # the JIT compiles on first lookup: count it
        times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--target", default="llvm -mcpu=native")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    if load > 1.5:
        print(f"warning: load average {load:.1f}; timings are noisy")
    print(f"{'program':20s} {'median ms':>10s} {'TVM v0.14 ms':>13s} {'ratio':>7s}")
    for name, make in (("tiled matmul", tiled_matmul), ("two-stage blur", blur)):
        ms = time_build(make, args.runs, args.target)
        ref = TVM_014_MS[name]
        print(f"{name:20s} {ms:10.1f} {ref:13.1f} {ms / ref:7.2f}")
    print("target: under half of TVM v0.14's time (ratio < 0.5)")


if __name__ == "__main__":
    main()
