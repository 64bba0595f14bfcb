# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Two-stage 3x3 blur of a 2048x2048 uint16 image (the Halide paper's example):
TVM's scheduled TE version against Halide 14 and a plain C++ loop, measured
in this run.

    blur_x(x, y) = (in(x, y) + in(x+1, y) + in(x+2, y)) / 3
    blur_y(x, y) = (blur_x(x, y) + blur_x(x, y+1) + blur_x(x, y+2)) / 3

all in uint16 arithmetic (sums wrap modulo 2^16, as in Halide), on a
(2048+2) x (2048+2) input so that the 2048x2048 output needs no boundary
condition. Every output must equal numpy's exactly.

  TVM       tile 32 rows x 256 columns, blur_x computed per tile
            (compute_at), both stages vectorized 32 lanes wide, the
            rows of tiles parallel.
  Halide 14 (Debian's python3-halide) tile(256, 32) + vectorize(32) +
            parallel + compute_at, JIT-compiled for an explicit AVX-512
            target (its host detection claims features this CPU lacks),
            on buffers whose x dimension is the contiguous one.
  C++ loop  the two loops written plainly, g++ -O3 -march=native, one thread.

Prints ms per megapixel and the ratios, plus the time tvm.build takes for the
blur (TVM v0.14: 45 ms). Nothing is asserted about time.

    PYTHONPATH=python TVM_LIBRARY_PATH=build python3 tests/benchmarks/bench_blur.py [--threads N]
"""
import ctypes
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

H = W = 2048
MEGAPIXELS = H * W / 1e6
TARGET = "llvm -mcpu=native"
HALIDE_TARGET = "x86-64-linux-avx-avx2-avx512-avx512_skylake-f16c-fma-sse41-jit"
TVM_V014_BUILD_MS = 45.0
TILE_X, TILE_Y, VECTOR = 256, 32, 32


def blur_tvm(h=H, w=W):
    """blur_x then blur_y in uint16; tiles of TILE_Y x TILE_X, blur_x per tile."""
    inp = te.placeholder((h + 2, w + 2), "uint16", name="input")
    three = tvm.tir.const(3, "uint16")
    blur_x = te.compute((h + 2, w), lambda y, x: (inp[y, x] + inp[y, x + 1] + inp[y, x + 2]) // three,
                        name="blur_x")
    blur_y = te.compute((h, w), lambda y, x: (blur_x[y, x] + blur_x[y + 1, x] + blur_x[y + 2, x]) // three,
                        name="blur_y")
    s = te.create_schedule(blur_y.op)
    y, x = blur_y.op.axis
    yo, xo, yi, xi = s[blur_y].tile(y, x, TILE_Y, TILE_X)
    xio, xii = s[blur_y].split(xi, factor=VECTOR)
    s[blur_y].vectorize(xii)
    s[blur_y].parallel(yo)
    s[blur_x].compute_at(s[blur_y], xo)
    bx_y, bx_x = s[blur_x].op.axis
    bx_xo, bx_xi = s[blur_x].split(bx_x, factor=VECTOR)
    s[blur_x].vectorize(bx_xi)
    return s, [inp, blur_y]


_CXX_BLUR = r"""
#include <cstdint>

// The two stages written plainly; `tmp` holds blur_x ((h + 2) x w).
extern "C" void blur(const uint16_t* in, uint16_t* tmp, uint16_t* out, int h, int w) {
  const int in_w = w + 2;
  for (int y = 0; y < h + 2; ++y)
    for (int x = 0; x < w; ++x) {
      const uint16_t* p = in + y * in_w + x;
      uint16_t sum = uint16_t(p[0] + p[1] + p[2]);
      tmp[y * w + x] = uint16_t(sum / 3);
    }
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      uint16_t sum = uint16_t(tmp[y * w + x] + tmp[(y + 1) * w + x] + tmp[(y + 2) * w + x]);
      out[y * w + x] = uint16_t(sum / 3);
    }
}
"""


def cxx_peer(image):
    lib = common.compile_cxx(_CXX_BLUR, ["-O3", "-march=native"])
    ptr = ctypes.c_void_p
    lib.blur.argtypes = [ptr, ptr, ptr, ctypes.c_int, ctypes.c_int]
    lib.blur.restype = None
    tmp = np.empty((H + 2, W), np.uint16)
    out = np.empty((H, W), np.uint16)

    def run():
        lib.blur(image.ctypes.data, tmp.ctypes.data, out.ctypes.data, H, W)

    run()
    return run, out


def halide_peer(image):
    """Halide 14's blur with the paper's schedule, or (None, None, reason) when Halide is missing."""
    try:
        import halide as hl
    except ImportError:
        return None, None, "Halide not installed (Debian: python3-halide); skipping the Halide row"
    inp = hl.ImageParam(hl.UInt(16), 2, "input")
    x, y, xi, yi = hl.Var("x"), hl.Var("y"), hl.Var("xi"), hl.Var("yi")
    blur_x, blur_y = hl.Func("blur_x"), hl.Func("blur_y")
    blur_x[x, y] = (inp[x, y] + inp[x + 1, y] + inp[x + 2, y]) / 3
    blur_y[x, y] = (blur_x[x, y] + blur_x[x, y + 1] + blur_x[x, y + 2]) / 3
    blur_y.tile(x, y, xi, yi, TILE_X, TILE_Y).vectorize(xi, VECTOR).parallel(y)
    blur_x.compute_at(blur_y, x).vectorize(x, VECTOR)
    blur_y.compile_jit(hl.Target(HALIDE_TARGET))
    # Halide's x is its innermost (contiguous) dimension: hand it the transposes.
    inp.set(hl.Buffer(image.T))
    out = np.empty((H, W), np.uint16)
    out_buffer = hl.Buffer(out.T)

    def run():
        blur_y.realize(out_buffer)

    run()
    return run, out, f"target {HALIDE_TARGET}, HL_NUM_THREADS={os.environ.get('HL_NUM_THREADS')}"


def main():
    threads = ARGS.threads
    load = common.warn_if_loaded()
    common.print_header("two-stage 3x3 blur, 2048x2048 uint16", threads, load)
    rng = np.random.default_rng(0)
    image = rng.integers(0, 1 << 16, (H + 2, W + 2), dtype=np.uint16)
    # numpy reference, uint16 throughout (wrapping sums, truncating division).
    three = np.uint16(3)
    bx = (image[:, :-2] + image[:, 1:-1] + image[:, 2:]) // three
    expected = (bx[:-2] + bx[1:-1] + bx[2:]) // three

    measures, notes, agree = {}, {}, {}
    s, args = blur_tvm()
    func = tvm.build(s, args, target=TARGET, name="blur")
    dev = tvm.cpu()
    t_in = tvm.nd.array(image, dev)
    t_out = tvm.nd.array(np.zeros((H, W), np.uint16), dev)
    func(t_in, t_out)
    agree["TVM"] = np.array_equal(t_out.numpy(), expected)
    measures["TVM"] = lambda: common.time_tvm(func, "blur", [t_in, t_out], repeat=5, min_repeat_ms=100)
    notes["TVM"] = f"tile {TILE_Y}x{TILE_X}, compute_at, vectorize {VECTOR}, parallel"

    hl_run, hl_out, hl_note = halide_peer(image)
    if hl_run is None:
        print("note:", hl_note)
    else:
        agree["Halide 14"] = np.array_equal(hl_out, expected)
        measures["Halide 14"] = lambda: common.time_peer(hl_run, repeat=5, min_repeat_ms=100)
        notes["Halide 14"] = hl_note

    cxx_run, cxx_out = cxx_peer(image)
    agree["C++ -O3 loop"] = np.array_equal(cxx_out, expected)
    measures["C++ -O3 loop"] = lambda: common.time_peer(cxx_run, repeat=5, min_repeat_ms=100)
    notes["C++ -O3 loop"] = "g++ -O3 -march=native, one thread"

    # Looking the function up makes the JIT compile it: part of the build's cost.
    build_sec = common.time_build(lambda: tvm.build(*blur_tvm(), target=TARGET, name="blur").get_function("blur"))
    best = common.best_of_rounds(measures, rounds=3)
    tvm_sec = best["TVM"]
    hl_sec = best.get("Halide 14")
    print("best of 3 interleaved rounds; outputs compared with numpy's exactly")
    print()
    table = common.Table([("", 14, None), ("ms", 8, "{:.3f}"), ("ms/MP", 8, "{:.4f}"),
                          ("TVM speedup", 11, "{:.2f}x"), ("exact", 6, None), ("notes", 0, None)])
    for name, sec in best.items():
        table.row(name, sec * 1e3, sec * 1e3 / MEGAPIXELS, common.ratio(sec, tvm_sec),
                  "yes" if agree[name] else "NO", notes[name])
    print()
    print(f"tvm.build of the blur (+ JIT): {build_sec * 1e3:.1f} ms (median of 5)   x TVM v0.14's "
          f"{TVM_V014_BUILD_MS:.0f} ms: {build_sec * 1e3 / TVM_V014_BUILD_MS:.2f}")
    print("reference (Zen 4, 2 threads): TVM v0.14 0.08 ms/MP, Halide 14 0.08, C++ loop 0.32; "
          "target: TVM faster than Halide and the C++ loop")
    if hl_sec is None:
        print("Halide row missing: install python3-halide to compare")
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
