# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Shared pieces of the speed benchmarks in this folder.

Every figure a benchmark prints is measured in the same run as the figures it
is compared with: the machine's own FP32 FMA peak (measure_fma_peak), the
peers (numpy, oneDNN, Halide, a plain C++ loop, torch) and our kernels. No
benchmark asserts anything about time; they print tables.

Typical use, at the very top of a benchmark (before numpy, torch or tvm are
imported, so that every thread pool starts with the same size):

    import common
    if __name__ == "__main__":
        ARGS = common.parse_args(__doc__)
        common.setup_threads(ARGS.threads)
    import numpy as np
    import tvm

then, in main(), common.limit_peer_threads(ARGS.threads) once the peers are
imported.
"""
import argparse
import ctypes
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time

_BUILD_DIR = None


def default_threads():
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def parse_args(description, extra=None):
    """The command line every benchmark shares: --threads N (default: all CPUs)."""
    parser = argparse.ArgumentParser(description=description,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=default_threads(),
                        help="threads for TVM and every peer (default: the CPUs available)")
    if extra is not None:
        extra(parser)
    return parser.parse_args()


def setup_threads(threads=None):
    """Give TVM and every peer the same number of threads.

    Environment variables are read by the thread pools when they start, so
    call this before importing numpy, torch or tvm. Runtime limits that need
    the libraries loaded (threadpoolctl for OpenBLAS/OpenMP, torch) are
    applied by limit_peer_threads() afterwards.
    """
    threads = threads or default_threads()
    for name in ("TVM_NUM_THREADS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                 "MKL_NUM_THREADS", "HL_NUM_THREADS"):
        os.environ[name] = str(threads)
    return threads


_THREADPOOL_LIMITS = None


def limit_peer_threads(threads):
    """Cap the already-loaded native thread pools (OpenBLAS, OpenMP, torch)
    to `threads`. Returns a short description of what was capped."""
    global _THREADPOOL_LIMITS
    done = []
    try:
        import threadpoolctl

        # Keep the controller alive: the limits last as long as it does.
        _THREADPOOL_LIMITS = threadpoolctl.threadpool_limits(limits=threads)
        done.append("threadpoolctl")
    except ImportError:
        print("note: threadpoolctl missing (Debian: python3-threadpoolctl); "
              "relying on OPENBLAS_NUM_THREADS/OMP_NUM_THREADS")
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(threads)
        done.append("torch")
    return ", ".join(done)


def warn_if_loaded():
    """Print a warning when the machine is busy: timings will be noisy."""
    load = os.getloadavg()[0]
    if load > 1.5:
        print(f"WARNING: load average {load:.2f} > 1.5 at start; other work is running "
              "and every timing below is noisy")
    return load


def print_header(title, threads, load):
    print(f"== {title} ==")
    print(f"threads: {threads}   load average at start: {load:.2f}   cpu: {cpu_name()}")


def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def cache_sizes():
    """{"L1d": bytes, "L2": bytes, "L3": bytes} of CPU 0: what the x86 schedules size their
    tiles by (tvm.topi.x86.utils.cache_sizes, read from sysfs)."""
    from tvm.topi.x86.utils import cache_sizes as _cache_sizes  # pylint: disable=import-outside-toplevel

    return dict(_cache_sizes())


def vector_info(target):
    """(float32 lanes of one vector register, number of vector registers) for an LLVM target."""
    features = set(str(f) for f in (target.mattr or []))
    if not features:  # -mcpu only: fall back to what this CPU reports
        features = {"+" + x for x in cpu_flags()}
    if "+avx512f" in features:
        return 16, 32
    if "+avx2" in features or "+avx" in features:
        return 8, 16
    return 4, 16


# ---------------------------------------------------------------------------
# Compiling small C++ peers at benchmark time.

def build_dir():
    global _BUILD_DIR
    if _BUILD_DIR is None:
        _BUILD_DIR = tempfile.mkdtemp(prefix="tvm-bench-")
        import atexit

        atexit.register(shutil.rmtree, _BUILD_DIR, True)
    return _BUILD_DIR


def compile_cxx(source, flags, libs=()):
    """Compile C++ `source` with g++ into a shared library and load it with ctypes."""
    key = hashlib.sha1((source + repr(flags) + repr(libs)).encode()).hexdigest()[:16]
    src = os.path.join(build_dir(), f"{key}.cc")
    lib = os.path.join(build_dir(), f"{key}.so")
    if not os.path.exists(lib):
        with open(src, "w") as f:
            f.write(source)
        cmd = ["g++", "-std=c++17", "-shared", "-fPIC", *flags, src, "-o", lib, *libs, "-lpthread"]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            raise RuntimeError(f"g++ failed: {' '.join(cmd)}\n{proc.stderr}")
    return ctypes.CDLL(lib)


# ---------------------------------------------------------------------------
# The machine's FP32 FMA peak.

_FMA_PEAK_SOURCE = r"""
#include <immintrin.h>
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

// Each thread runs ACCUMULATORS independent chains of vector FMAs on
// registers only: enough chains to cover the FMA latency times the number of
// FMA pipes on every current x86 core, so the loop is bound by FMA
// throughput alone. acc = acc * m + a with m just below 1 keeps the values
// bounded and normal.
#ifdef __AVX512F__
typedef __m512 vec;
#define SET1 _mm512_set1_ps
#define FMADD _mm512_fmadd_ps
#define ADD _mm512_add_ps
#define STORE _mm512_storeu_ps
constexpr int LANES = 16;
#else
typedef __m256 vec;
#define SET1 _mm256_set1_ps
#define FMADD _mm256_fmadd_ps
#define ADD _mm256_add_ps
#define STORE _mm256_storeu_ps
constexpr int LANES = 8;
#endif
constexpr int ACCUMULATORS = 16;

static float run_chains(long iterations) {
  vec m = SET1(0.999999f);
  vec a = SET1(1e-6f);
  vec acc[ACCUMULATORS];
  for (int j = 0; j < ACCUMULATORS; ++j) acc[j] = SET1(float(j));
  for (long i = 0; i < iterations; ++i) {
#pragma GCC unroll 16
    for (int j = 0; j < ACCUMULATORS; ++j) acc[j] = FMADD(acc[j], m, a);
  }
  vec sum = acc[0];
  for (int j = 1; j < ACCUMULATORS; ++j) sum = ADD(sum, acc[j]);
  float lanes[LANES];
  STORE(lanes, sum);
  float total = 0;
  for (float v : lanes) total += v;
  return total;
}

extern "C" int fma_accumulators() { return ACCUMULATORS; }
extern "C" int fma_lanes() { return LANES; }

// Seconds for `threads` threads to each run `iterations` iterations, timed
// from a common start to the last thread's end.
extern "C" double fma_peak_seconds(int threads, long iterations) {
  std::atomic<int> ready{0};
  std::atomic<bool> go{false};
  std::vector<float> sink(threads);
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      ready.fetch_add(1);
      while (!go.load(std::memory_order_acquire)) {
      }
      sink[t] = run_chains(iterations);
    });
  }
  while (ready.load() != threads) {
  }
  auto start = std::chrono::steady_clock::now();
  go.store(true, std::memory_order_release);
  for (auto& th : pool) th.join();
  auto end = std::chrono::steady_clock::now();
  volatile float keep = 0;
  for (float v : sink) keep = keep + v;
  (void)keep;
  return std::chrono::duration<double>(end - start).count();
}
"""


def cpu_flags():
    try:
        with open("/proc/cpuinfo") as f:
            return set(next((line for line in f if line.startswith("flags")), "").split(":", 1)[-1].split())
    except OSError:
        return set()


def measure_fma_peak(threads, seconds=0.25, repeat=5):
    """FP32 FMA peak of this machine on `threads` threads, in GFLOP/s.

    flops = threads * iterations * accumulators * lanes (16 for 512-bit
    vectors) * 2 (an FMA is a multiply and an add); the best of `repeat`
    runs of about `seconds` each. Uses 512-bit FMAs (g++ -O2 -mavx512f
    -mfma) when the CPU has AVX-512, else 256-bit ones.
    """
    flags = ["-O2", "-mavx512f", "-mfma"] if "avx512f" in cpu_flags() else ["-O2", "-mavx2", "-mfma"]
    lib = compile_cxx(_FMA_PEAK_SOURCE, flags)
    lib.fma_peak_seconds.restype = ctypes.c_double
    lib.fma_peak_seconds.argtypes = [ctypes.c_int, ctypes.c_long]
    accumulators, lanes = lib.fma_accumulators(), lib.fma_lanes()
    iterations = 1 << 16
    while True:  # calibrate: grow until one run lasts a tenth of the target
        t = lib.fma_peak_seconds(threads, iterations)
        if t > seconds / 10:
            break
        iterations *= 4
    iterations = max(1, int(iterations * seconds / t))
    best = min(lib.fma_peak_seconds(threads, iterations) for _ in range(repeat))
    flops = threads * iterations * accumulators * lanes * 2
    return flops / best / 1e9


# ---------------------------------------------------------------------------
# Timing.

def time_tvm(module, func_name, args, dev=None, number=1, repeat=5, min_repeat_ms=200):
    """Best mean seconds per call of a TVM function, from time_evaluator.

    The best repeat rather than the mean: on a shared machine the noise only
    ever adds time.
    """
    import tvm

    dev = dev or tvm.cpu()
    result = module.time_evaluator(func_name, dev, number=number, repeat=repeat,
                                   min_repeat_ms=min_repeat_ms)(*args)
    return min(result.results)


def time_peer(fn, repeat=5, min_repeat_ms=200, warmup=1):
    """Best mean seconds per call of a Python callable: the same measurement as
    time_evaluator (grow the number of calls per repeat until a repeat lasts
    min_repeat_ms, then keep the best of `repeat` repeats)."""
    for _ in range(warmup):
        fn()
    number = 1
    while True:
        start = time.perf_counter()
        for _ in range(number):
            fn()
        elapsed = time.perf_counter() - start
        if elapsed * 1e3 >= min_repeat_ms or number >= 1 << 20:
            break
        number = number * 2 if elapsed <= 0 else max(number * 2, int(number * min_repeat_ms / 1e3 / elapsed * 1.1))
    best = elapsed / number
    for _ in range(repeat - 1):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        best = min(best, (time.perf_counter() - start) / number)
    return best


def best_of_rounds(measures, rounds=3):
    """Run every measurement once per round, round after round, and keep
    each one's best (smallest) result.

    Interleaving matters on a shared machine: a burst of other work then
    slows one round of every contestant instead of all rounds of one.
    `measures` maps a name to a callable returning seconds (or None).
    """
    best = {}
    for _ in range(rounds):
        for name, measure in measures.items():
            value = measure()
            if value is not None and (best.get(name) is None or value < best[name]):
                best[name] = value
            best.setdefault(name, None)
    return best


def time_build(build, runs=5):
    """Median seconds of `build()` (one compile), after a warm-up run."""
    import statistics

    build()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        build()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


# ---------------------------------------------------------------------------
# Tables.

class Table:
    """A fixed-width table printed row by row (so a slow row shows progress)."""

    def __init__(self, columns):
        # columns: list of (title, width, format) with format like "{:.1f}".
        self.columns = columns
        print("  ".join(f"{title:>{w}s}" if i else f"{title:<{w}s}" for i, (title, w, _) in enumerate(columns)))
        print("  ".join("-" * w for _, w, _ in columns))

    def row(self, *values):
        cells = []
        for i, ((_, w, fmt), v) in enumerate(zip(self.columns, values)):
            text = "n/a" if v is None else (fmt.format(v) if fmt and not isinstance(v, str) else str(v))
            cells.append(f"{text:<{w}s}" if i == 0 else f"{text:>{w}s}")
        print("  ".join(cells), flush=True)


def ratio(a, b):
    return None if a is None or b is None or b == 0 else a / b
