"""Runtime demo: load a natively compiled kernel library and call it from Python.

The kernels are plain C written against the packed-function C ABI of
include/tvm/runtime/c_runtime_api.h, compiled with the system C compiler into
a shared library, loaded with ``tvm.runtime.load_module`` and called with
``tvm.nd.array`` arguments. This is the same path a library produced by
``tvm.build(...).export_library(...)`` takes at load time.

Run it through scripts/demo.sh, which builds the project and sets PYTHONPATH
and TVM_LIBRARY_PATH first.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np

import tvm

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

KERNELS_C = r"""
#include <stdint.h>
#include <stdio.h>
#include <tvm/runtime/c_runtime_api.h>

/* The runtime's library loader fills this pointer in after dlopen; a kernel
 * reports an error by setting the message and returning -1. */
void (*__TVMAPISetLastError)(const char*) = NULL;

static int fail(const char* msg) {
  if (__TVMAPISetLastError != NULL) __TVMAPISetLastError(msg);
  return -1;
}

static void shape_str(const DLTensor* t, char* buf, size_t size) {
  int used = snprintf(buf, size, "(");
  for (int i = 0; i < t->ndim && used > 0 && (size_t)used < size; ++i) {
    used += snprintf(buf + used, size - used, i == 0 ? "%lld" : ", %lld", (long long)t->shape[i]);
  }
  if (used > 0 && (size_t)used < size) snprintf(buf + used, size - used, t->ndim == 1 ? ",)" : ")");
}

/* Checks argument `index` of `fname` is a compact float32 CPU tensor. */
static int get_f32_tensor(const char* fname, TVMValue* args, int* codes, int index,
                          DLTensor** out) {
  char msg[256];
  if (codes[index] != kTVMNDArrayHandle && codes[index] != kTVMDLTensorHandle) {
    snprintf(msg, sizeof(msg), "%s: argument %d must be an NDArray (type code %d given)", fname,
             index, codes[index]);
    return fail(msg);
  }
  DLTensor* t = (DLTensor*)args[index].v_handle;
  if (t->device.device_type != kDLCPU) {
    snprintf(msg, sizeof(msg), "%s: argument %d must be on the CPU", fname, index);
    return fail(msg);
  }
  if (t->dtype.code != kDLFloat || t->dtype.bits != 32 || t->dtype.lanes != 1) {
    snprintf(msg, sizeof(msg), "%s: argument %d must be float32", fname, index);
    return fail(msg);
  }
  if (t->strides != NULL) {
    int64_t expect = 1;
    for (int i = t->ndim - 1; i >= 0; --i) {
      if (t->shape[i] != 1 && t->strides[i] != expect) {
        snprintf(msg, sizeof(msg), "%s: argument %d must be compact (row-major)", fname, index);
        return fail(msg);
      }
      expect *= t->shape[i];
    }
  }
  *out = t;
  return 0;
}

static int64_t num_elements(const DLTensor* t) {
  int64_t n = 1;
  for (int i = 0; i < t->ndim; ++i) n *= t->shape[i];
  return n;
}

static int same_shape(const DLTensor* x, const DLTensor* y) {
  if (x->ndim != y->ndim) return 0;
  for (int i = 0; i < x->ndim; ++i)
    if (x->shape[i] != y->shape[i]) return 0;
  return 1;
}

static float* f32_data(const DLTensor* t) {
  return (float*)((char*)t->data + t->byte_offset);
}

/* vadd(a, b, c): c = a + b, elementwise, all float32 of one shape. */
int vadd(TVMValue* args, int* type_codes, int num_args, TVMValue* out_ret_value,
         int* out_ret_tcode, void* resource_handle) {
  (void)out_ret_value;
  (void)out_ret_tcode;
  (void)resource_handle;
  if (num_args != 3) return fail("vadd: expects 3 arguments (a, b, c)");
  DLTensor *a, *b, *c;
  if (get_f32_tensor("vadd", args, type_codes, 0, &a) != 0) return -1;
  if (get_f32_tensor("vadd", args, type_codes, 1, &b) != 0) return -1;
  if (get_f32_tensor("vadd", args, type_codes, 2, &c) != 0) return -1;
  const DLTensor* others[2] = {b, c};
  const char* names[2] = {"b", "c"};
  for (int k = 0; k < 2; ++k) {
    if (!same_shape(a, others[k])) {
      char sa[96], so[96], msg[256];
      shape_str(a, sa, sizeof(sa));
      shape_str(others[k], so, sizeof(so));
      snprintf(msg, sizeof(msg), "vadd: shape mismatch: a has shape %s but %s has shape %s", sa,
               names[k], so);
      return fail(msg);
    }
  }
  const float* restrict pa = f32_data(a);
  const float* restrict pb = f32_data(b);
  float* restrict pc = f32_data(c);
  const int64_t n = num_elements(a);
  for (int64_t i = 0; i < n; ++i) pc[i] = pa[i] + pb[i];
  return 0;
}

/* vsum(a) -> float: the sum of all elements, accumulated in double. */
int vsum(TVMValue* args, int* type_codes, int num_args, TVMValue* out_ret_value,
         int* out_ret_tcode, void* resource_handle) {
  (void)resource_handle;
  if (num_args != 1) return fail("vsum: expects 1 argument (a)");
  DLTensor* a;
  if (get_f32_tensor("vsum", args, type_codes, 0, &a) != 0) return -1;
  const float* pa = f32_data(a);
  const int64_t n = num_elements(a);
  double acc = 0.0;
  for (int64_t i = 0; i < n; ++i) acc += pa[i];
  out_ret_value->v_float64 = acc;
  *out_ret_tcode = kDLFloat;
  return 0;
}
"""


def compile_kernels(workdir):
    """Compile KERNELS_C into a shared library in `workdir`; return its path."""
    src = os.path.join(workdir, "kernels.c")
    lib = os.path.join(workdir, "libkernels.so")
    with open(src, "w") as f:
        f.write(KERNELS_C)
    cc = os.environ.get("CC", "cc")
    if shutil.which(cc) is None:
        sys.exit(f"demo: C compiler {cc!r} not found (set CC)")
    cmd = [cc, "-std=c99", "-O3", "-march=native", "-shared", "-fPIC", "-Wall",
           "-I", os.path.join(REPO_ROOT, "include"), "-o", lib, src]
    start = time.perf_counter()
    subprocess.run(cmd, check=True)
    print(f"compiled {os.path.basename(lib)} with {cc} in {time.perf_counter() - start:.2f} s")
    return lib


def best_time(fn, number, repeat):
    """Best mean time of one call of `fn`, over `repeat` runs of `number` calls."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        best = min(best, (time.perf_counter() - start) / number)
    return best


def compile_and_run_matmul(workdir, rng, n=512):
    """Build C = A @ B from a TE schedule; return the number of failed checks."""
    from tvm import te

    A = te.placeholder((n, n), name="A")
    B = te.placeholder((n, n), name="B")
    k = te.reduce_axis((0, n), name="k")
    C = te.compute((n, n), lambda i, j: te.sum(A[i, k] * B[k, j], axis=k), name="C")
    s = te.create_schedule(C.op)
    CC = s.cache_write(C, "global")
    io, jo, ii, ji = s[C].tile(C.op.axis[0], C.op.axis[1], 8, 32)
    s[CC].compute_at(s[C], jo)
    ci, cj = s[CC].op.axis
    (kk,) = s[CC].op.reduce_axis
    ko, ki = s[CC].split(kk, factor=4)
    s[CC].reorder(ko, ki, ci, cj)
    s[CC].vectorize(cj)
    s[CC].unroll(ki)
    s[C].vectorize(ji)
    s[C].parallel(io)
    t0 = time.perf_counter()
    mod = tvm.build(s, [A, B, C], "llvm -mcpu=native", name="matmul")
    build_ms = (time.perf_counter() - t0) * 1e3
    lib = os.path.join(workdir, "matmul.so")
    mod.export_library(lib)
    loaded = tvm.runtime.load_module(lib)
    a_np = rng.random((n, n), dtype=np.float32)
    b_np = rng.random((n, n), dtype=np.float32)
    a, b = tvm.nd.array(a_np), tvm.nd.array(b_np)
    c = tvm.nd.empty((n, n), "float32")
    loaded["matmul"](a, b, c)
    ok = np.allclose(c.numpy(), a_np @ b_np, rtol=1e-4, atol=1e-3)
    seconds = loaded.time_evaluator("matmul", tvm.cpu(0), number=5, repeat=3)(a, b, c).min
    gflops = 2 * n ** 3 / seconds / 1e9
    print(f"matmul {n}x{n}x{n}: tvm.build {build_ms:.0f} ms, exported and reloaded, "
          f"{seconds * 1e3:.2f} ms/call ({gflops:.1f} GFLOP/s), matches numpy: {ok}")
    return int(not ok)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1024, help="length of the checked vectors")
    parser.add_argument("--timing-n", type=int, default=1 << 20,
                        help="length of the vectors used for timing")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    print(f"tvm {getattr(tvm, '__version__', '?')} from {os.path.dirname(tvm.__file__)}")
    dev = tvm.cpu(0)
    rng = np.random.default_rng(0)
    failures = 0

    with tempfile.TemporaryDirectory(prefix="tvm_demo_") as workdir:
        path = compile_kernels(workdir)
        mod = tvm.runtime.load_module(path)
        vadd = mod["vadd"]
        vsum = mod["vsum"]

        # 1. Correctness against numpy.
        a_np = rng.random(args.n, dtype=np.float32)
        b_np = rng.random(args.n, dtype=np.float32)
        a = tvm.nd.array(a_np, device=dev)
        b = tvm.nd.array(b_np, device=dev)
        c = tvm.nd.empty((args.n,), "float32", dev)
        vadd(a, b, c)
        c_np = c.numpy()
        ok = np.array_equal(c_np, a_np + b_np)
        failures += not ok
        print(f"vadd  n={args.n}: c[:4] = {np.array2string(c_np[:4], precision=4)}"
              f"  matches numpy: {ok}")

        total = vsum(c)
        expect = float(np.sum(c_np, dtype=np.float64))
        ok = isinstance(total, float) and abs(total - expect) <= 1e-9 * max(1.0, abs(expect))
        failures += not ok
        print(f"vsum  n={args.n}: {total!r}  numpy: {expect!r}  matches: {ok}")

        # 2. Errors raised inside the kernel reach Python as TVMError.
        short = tvm.nd.array(b_np[: args.n // 2], device=dev)
        try:
            vadd(a, short, c)
        except tvm.error.TVMError as err:
            first = str(err).strip().splitlines()[-1] if str(err).strip() else ""
            ok = "shape mismatch" in str(err)
            print(f"vadd with a bad shape raised TVMError: {first}")
        else:
            ok = False
            print("vadd with a bad shape did not raise")
        failures += not ok

        # 3. Timing against numpy's own add.
        n = args.timing_n
        x_np = rng.random(n, dtype=np.float32)
        y_np = rng.random(n, dtype=np.float32)
        z_np = np.empty_like(x_np)
        x, y = tvm.nd.array(x_np, device=dev), tvm.nd.array(y_np, device=dev)
        z = tvm.nd.empty((n,), "float32", dev)
        number = max(1, (1 << 26) // max(n, 1))
        t_tvm = best_time(lambda: vadd(x, y, z), number, args.repeat)
        t_np = best_time(lambda: np.add(x_np, y_np, out=z_np), number, args.repeat)
        ok = np.array_equal(z.numpy(), x_np + y_np)
        failures += not ok
        gbps = 3 * 4 * n / t_tvm / 1e9
        print(f"vadd  n={n}: {t_tvm * 1e6:.1f} us/call ({gbps:.1f} GB/s), "
              f"numpy.add {t_np * 1e6:.1f} us/call, ratio numpy/tvm {t_np / t_tvm:.2f}, "
              f"matches numpy: {ok}")

        # 4. A tensor expression compiled by the project: a tiled, vectorized,
        #    parallel matmul built with LLVM, exported as a shared library,
        #    loaded back, checked against numpy and timed.
        failures += compile_and_run_matmul(workdir, rng)

    if failures:
        print(f"demo: {failures} check(s) FAILED")
        return 1
    print("demo: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
