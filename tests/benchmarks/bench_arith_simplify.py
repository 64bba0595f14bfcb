# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""How fast the arith simplifier handles the index expressions lowering produces.

For each expression (split, tile and fuse index arithmetic with bound loop
variables) prints the median time of Analyzer.simplify in microseconds, the
simplified form, and the ratio to the same simplification done by sympy
(sympy.simplify on the equivalent floor/Mod expression, with the variables'
ranges given as assumptions where sympy can use them). Both are called from
Python, so the TVM figure includes the FFI call.

    PYTHONPATH=python TVM_LIBRARY_PATH=build python3 tests/benchmarks/bench_arith_simplify.py [--runs N]
"""
import argparse
import statistics
import time

import tvm
from tvm import tir
from tvm.tir import floordiv, floormod


def _time(fn, runs):
    fn()  # warm-up
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples)


def cases():
    """(name, tvm expression, sympy builder) triples; variables are bound to [0, 32)."""
    io, ii, jo, ji = [tir.Var(n, "int32") for n in ("io", "ii", "jo", "ji")]
    i, j = io * 32 + ii, jo * 32 + ji
    return [io, ii, jo, ji], [
        ("flatten 2-D", i * 1024 + j, lambda s: (s["io"] * 32 + s["ii"]) * 1024 + s["jo"] * 32 + s["ji"]),
        ("split quotient", floordiv(i, 32), lambda s: s["floor"]((s["io"] * 32 + s["ii"]) / 32)),
        ("split remainder", floormod(i, 32), lambda s: s["Mod"](s["io"] * 32 + s["ii"], 32)),
        (
            "fuse back",
            floordiv(i, 32) * 32 + floormod(i, 32),
            lambda s: s["floor"]((s["io"] * 32 + s["ii"]) / 32) * 32 + s["Mod"](s["io"] * 32 + s["ii"], 32),
        ),
        ("bound check", i < 1024, lambda s: (s["io"] * 32 + s["ii"]) < 1024),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()

    variables, exprs = cases()
    ana = tvm.arith.Analyzer()
    for v in variables:
        ana.bind(v, tvm.ir.Range(0, 32))

    try:
        import sympy

        syms = {v.name_hint: sympy.Symbol(v.name_hint, integer=True, nonnegative=True) for v in variables}
        syms.update(floor=sympy.floor, Mod=sympy.Mod)
    except ImportError:
        sympy = None

    print(f"{'expression':<16} {'tvm us':>8} {'sympy us':>10} {'sympy/tvm':>10}  simplified")
    for name, expr, build_sympy in exprs:
        t_tvm = _time(lambda: ana.simplify(expr), args.runs) * 1e6
        simplified = ana.simplify(expr)
        if sympy is not None:
            sym_expr = build_sympy(syms)
            t_sym = _time(lambda: sympy.simplify(sym_expr), max(3, args.runs // 50)) * 1e6
            print(f"{name:<16} {t_tvm:8.2f} {t_sym:10.1f} {t_sym / t_tvm:10.1f}  {simplified}")
        else:
            print(f"{name:<16} {t_tvm:8.2f} {'-':>10} {'-':>10}  {simplified}")


if __name__ == "__main__":
    main()
