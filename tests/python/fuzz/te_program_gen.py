#!/usr/bin/env python3
"""Differential fuzzer for tensor expressions and their schedules.

From a seed it writes a random TE program (elementwise, broadcast, stencil and
reduction stages in a chain, with narrow and wide dtypes and casts) and a
random *legal* schedule for it (split, tile, reorder, fuse, compute_at,
compute_inline, cache_read, cache_write, rfactor, vectorize, parallel,
unroll), both as Python source. The program is built with
``tvm.build(..., "llvm")`` and its output compared with numpy evaluating the
same program, also written as source.

Every value the program computes is an integer whose magnitude is tracked
through the expression (interval arithmetic), and every operation is chosen so
that no intermediate value leaves the range of its dtype (or the range where
float16/float32 hold integers exactly). So the reference is exact in every
dtype, there is no signed overflow (undefined behaviour in LLVM), and a
mismatch of even one unit is a real miscompilation.

    python tests/python/fuzz/te_program_gen.py --seed 17          # print case 17
    python tests/python/fuzz/te_program_gen.py --seed 17 --run    # run it here
    python tests/python/fuzz/te_program_gen.py --cases 10000 --start-seed 0

Long runs execute cases in child processes, a batch at a time; a child that
dies (segfault, abort) or hangs is replaced, and the case it was running is
counted as crashed, so one crash never ends the run.
"""
import argparse
import json
import os
import random
import subprocess
import sys
import time
import traceback

DTYPE_RANGE = {
    "int8": (-128, 127),
    "uint8": (0, 255),
    "int16": (-32768, 32767),
    "int32": (-(2**31), 2**31 - 1),
    "int64": (-(2**62), 2**62),
    # Ranges where every integer is exactly representable.
    "float16": (-2048, 2048),
    "float32": (-(2**24), 2**24),
}
# Values inputs are filled with.
INPUT_RANGE = {
    "int8": (-6, 6),
    "uint8": (0, 9),
    "int16": (-20, 20),
    "int32": (-50, 50),
    "int64": (-50, 50),
    "float16": (-4, 4),
    "float32": (-20, 20),
}
SCALAR_DTYPES = list(DTYPE_RANGE)
# Most loop iterations (summed over stages, recomputation included) a schedule
# may run; a few seconds of compiled code at worst.
WORK_BUDGET = 50_000_000
EXTENTS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 15, 16, 17, 20, 23, 32]


def prod(values):
    n = 1
    for v in values:
        n *= v
    return n


def is_float(dtype):
    return dtype.startswith("float")


def wide(dtype):
    return "np.float64" if is_float(dtype) else "np.int64"


class Expr:
    """An expression written twice: as TE source and as numpy source over
    the wide (int64/float64) reference arrays; lo..hi bounds its values."""

    def __init__(self, te_src, np_src, dtype, lo, hi, is_const=False):
        self.te, self.np, self.dtype, self.lo, self.hi = te_src, np_src, dtype, lo, hi
        # TE folds constants as it builds: x * 0 and if_then_else(c1 < c2, ...)
        # drop reads, which would leave the schedule model with a stale reader.
        self.is_const = is_const


class Tensor:
    def __init__(self, name, shape, dtype, lo, hi, is_input, reduce_extents=()):
        self.name, self.shape, self.dtype = name, tuple(shape), dtype
        self.lo, self.hi = lo, hi
        self.is_input = is_input
        self.reduce_extents = tuple(reduce_extents)


def const(value, dtype):
    if is_float(dtype):
        return Expr(f'tvm.tir.const({float(value)!r}, "{dtype}")', f"np.float64({value})", dtype, value, value, True)
    return Expr(f'tvm.tir.const({int(value)}, "{dtype}")', f"np.int64({value})", dtype, value, value, True)


def clamp_expr(e, lo, hi):
    """Clamp e into [lo, hi] (both within e's dtype and containing 0)."""
    if e.lo >= lo and e.hi <= hi:
        return e
    c_lo, c_hi = const(lo, e.dtype), const(hi, e.dtype)
    return Expr(
        f"te.max(te.min({e.te}, {c_hi.te}), {c_lo.te})",
        f"np.clip({e.np}, {lo}, {hi})",
        e.dtype,
        min(max(e.lo, lo), hi),
        max(min(e.hi, hi), lo),
        e.is_const,
    )


def cast_expr(e, dtype):
    if e.dtype == dtype:
        return e
    t_lo, t_hi = DTYPE_RANGE[dtype]
    s_lo, s_hi = DTYPE_RANGE[e.dtype]
    e = clamp_expr(e, max(t_lo, s_lo), min(t_hi, s_hi))
    return Expr(f'({e.te}).astype("{dtype}")', f"({e.np}).astype({wide(dtype)})", dtype, e.lo, e.hi, e.is_const)


class ProgramGen:
    """Writes the program: inputs, then a chain of stages, each reading the
    one before it (so all are live) and maybe earlier tensors too."""

    def __init__(self, rng, lanes_ok=False):
        self.rng = rng
        self.tensors = []
        self.stages = []  # (tensor, te source lines, numpy source lines)
        self.inputs = []

    def pick_dtype(self):
        return self.rng.choice(SCALAR_DTYPES + ["float32", "int32"])

    def random_shape(self, rank=None):
        rank = rank or self.rng.choice([1, 1, 2, 2, 2, 3])
        return tuple(self.rng.choice(EXTENTS) for _ in range(rank))

    def make_input(self, shape=None):
        dtype = self.pick_dtype()
        shape = shape or self.random_shape()
        name = "P%d" % len(self.inputs)
        lo, hi = INPUT_RANGE[dtype]
        t = Tensor(name, shape, dtype, lo, hi, True)
        self.inputs.append(t)
        self.tensors.append(t)
        return t

    # ---- index expressions -------------------------------------------------
    def index(self, n, loop_vars):
        """An int32 index into a dimension of extent n from the loop vars
        [(name, extent)]; returns (te, np, lo, hi) before bounds handling."""
        r = self.rng
        kind = r.choices(["var", "shift", "rev", "stride", "div", "mod", "const"], [8, 4, 1, 1, 1, 1, 1])[0]
        if kind == "const" or not loop_vars:
            c = r.randrange(n)
            return str(c), f"np.int64({c})", c, c
        v, ext = r.choice(loop_vars)
        if kind == "var":
            return v, v, 0, ext - 1
        if kind == "shift":
            c = r.choice([-2, -1, 1, 2, 3])
            return f"{v} + {c}", f"({v} + {c})", c, ext - 1 + c
        if kind == "rev":
            c = r.choice([n - 1, ext - 1])
            return f"{c} - {v}", f"({c} - {v})", c - (ext - 1), c
        if kind == "stride":
            c = r.choice([0, 1])
            return f"{v} * 2 + {c}", f"({v} * 2 + {c})", c, 2 * (ext - 1) + c
        if kind == "div":
            d = r.choice([2, 3, 4])
            c = r.choice([0, 1])
            return (f"tvm.tir.floordiv({v} + {c}, {d})", f"np.floor_divide({v} + {c}, {d})", c // d, (ext - 1 + c) // d)
        c = r.choice([0, 1, 2])
        return f"tvm.tir.floormod({v} + {c}, {n})", f"np.mod({v} + {c}, {n})", 0, min(n - 1, ext - 1 + c)

    def read(self, t, loop_vars):
        """t[...] with indices from loop_vars; out-of-range indices are
        clamped or the read is guarded by if_then_else."""
        r = self.rng
        te_idx, np_idx, conds_te, conds_np = [], [], [], []
        guard = r.random() < 0.5
        for n in t.shape:
            i_te, i_np, lo, hi = self.index(n, loop_vars)
            if n == 1 and r.random() < 0.7:  # broadcast
                i_te, i_np, lo, hi = "0", "np.int64(0)", 0, 0
            if lo < 0 or hi > n - 1:
                if guard:
                    conds_te.append(f"{i_te} >= 0")
                    conds_te.append(f"{i_te} < {n}")
                    conds_np.append(f"({i_np} >= 0) & ({i_np} < {n})")
                    np_idx.append(f"np.clip({i_np}, 0, {n - 1})")
                    te_idx.append(i_te)
                    continue
                te_idx.append(f"te.max(te.min({i_te}, {n - 1}), 0)")
                np_idx.append(f"np.clip({i_np}, 0, {n - 1})")
                continue
            te_idx.append(i_te)
            np_idx.append(i_np)
        te_src = f"{t.name}[{', '.join(te_idx)}]"
        np_src = f"{t.name}_w[{', '.join(np_idx)}]"
        lo, hi = t.lo, t.hi
        if conds_te:
            zero = const(0, t.dtype)
            te_src = f"tvm.tir.if_then_else(tvm.tir.all({', '.join(conds_te)}), {te_src}, {zero.te})"
            np_src = f"np.where({' & '.join(conds_np)}, {np_src}, 0)"
            lo, hi = min(lo, 0), max(hi, 0)
        return Expr(te_src, np_src, t.dtype, lo, hi)

    # ---- value expressions -------------------------------------------------
    def expr(self, dtype, lim, depth, sources, loop_vars):
        """An expression of dtype with values within [lim_lo, lim_hi]."""
        r = self.rng
        lim_lo, lim_hi = lim
        if depth <= 0 or r.random() < 0.25:
            if r.random() < 0.85:
                e = self.read(r.choice(sources), loop_vars)
            else:
                e = const(r.randint(max(lim_lo, -5), min(lim_hi, 5)), dtype)
            return clamp_expr(cast_expr(e, dtype), lim_lo, lim_hi)
        kind = r.choices(["add", "sub", "mul", "max", "min", "cast", "select", "ite", "div", "mod"],
                         [5, 4, 3, 2, 2, 3, 1, 1, 1, 1])[0]
        if kind == "cast":
            other = r.choice(SCALAR_DTYPES)
            o_lo, o_hi = DTYPE_RANGE[other]
            sub = self.expr(other, (max(o_lo, lim_lo), min(o_hi, lim_hi)), depth - 1, sources, loop_vars)
            return clamp_expr(cast_expr(sub, dtype), lim_lo, lim_hi)
        if kind in ("select", "ite"):
            cdt = r.choice(SCALAR_DTYPES)
            c_lim = DTYPE_RANGE[cdt]
            x = self.expr(cdt, c_lim, depth - 1, sources, loop_vars)
            y = self.expr(cdt, c_lim, 0, sources, loop_vars)
            while x.is_const and y.is_const:
                y = self.expr(cdt, c_lim, 0, sources, loop_vars)
            op = r.choice(["<", "<=", "==", "!=", ">"])
            a = self.expr(dtype, lim, depth - 1, sources, loop_vars)
            b = self.expr(dtype, lim, depth - 1, sources, loop_vars)
            fn = "tvm.tir.Select" if kind == "select" else "tvm.tir.if_then_else"
            return Expr(f"{fn}(({x.te}) {op} ({y.te}), {a.te}, {b.te})",
                        f"np.where(({x.np}) {op} ({y.np}), {a.np}, {b.np})",
                        dtype, min(a.lo, b.lo), max(a.hi, b.hi))
        if kind in ("div", "mod") and not is_float(dtype):
            a = self.expr(dtype, lim, depth - 1, sources, loop_vars)
            d = r.choice([2, 3, 4, 7])
            trunc = r.random() < 0.3
            if kind == "div":
                tdiv = lambda x: -((-x) // d) if x < 0 else x // d  # noqa: E731
                lo, hi = (tdiv(a.lo), tdiv(a.hi)) if trunc else (a.lo // d, a.hi // d)
                if trunc:
                    return Expr(f"tvm.tir.truncdiv({a.te}, {const(d, dtype).te})",
                                f"(np.sign({a.np}) * (np.abs({a.np}) // {d}))", dtype, lo, hi, a.is_const)
                return Expr(f"tvm.tir.floordiv({a.te}, {const(d, dtype).te})", f"np.floor_divide({a.np}, {d})", dtype, lo, hi, a.is_const)
            if trunc:
                return Expr(f"tvm.tir.truncmod({a.te}, {const(d, dtype).te})",
                            f"(np.sign({a.np}) * (np.abs({a.np}) % {d}))", dtype,
                            0 if a.lo >= 0 else -(d - 1), 0 if a.hi <= 0 else d - 1, a.is_const)
            return Expr(f"tvm.tir.floormod({a.te}, {const(d, dtype).te})", f"np.mod({a.np}, {d})", dtype, 0, d - 1, a.is_const)
        if kind in ("div", "mod"):
            kind = "add"
        a = self.expr(dtype, lim, depth - 1, sources, loop_vars)
        b = self.expr(dtype, lim, depth - 1, sources, loop_vars)
        if kind == "add":
            lo, hi = a.lo + b.lo, a.hi + b.hi
        elif kind == "sub":
            lo, hi = a.lo - b.hi, a.hi - b.lo
        elif kind == "mul":
            ps = [a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi]
            lo, hi = min(ps), max(ps)
        else:
            lo, hi = (max(a.lo, b.lo), max(a.hi, b.hi)) if kind == "max" else (min(a.lo, b.lo), min(a.hi, b.hi))
        if kind == "mul" and ((a.is_const and a.lo <= 0 <= a.hi) or (b.is_const and b.lo <= 0 <= b.hi)):
            kind = "add"
            lo, hi = a.lo + b.lo, a.hi + b.hi
        if lo < lim_lo or hi > lim_hi:
            # Would leave the safe range: combine with max/min instead, which stays in range.
            kind = r.choice(["max", "min"])
            lo, hi = (max(a.lo, b.lo), max(a.hi, b.hi)) if kind == "max" else (min(a.lo, b.lo), min(a.hi, b.hi))
        if kind in ("max", "min"):
            fn = "np.maximum" if kind == "max" else "np.minimum"
            return Expr(f"te.{kind}({a.te}, {b.te})", f"{fn}({a.np}, {b.np})", dtype, lo, hi, a.is_const and b.is_const)
        sym = {"add": "+", "sub": "-", "mul": "*"}[kind]
        return Expr(f"({a.te} {sym} {b.te})", f"({a.np} {sym} {b.np})", dtype, lo, hi, a.is_const and b.is_const)

    # ---- stages ------------------------------------------------------------
    def make_stage(self, idx, prev):
        r = self.rng
        name = "T%d" % idx
        kind = r.choices(["elem", "reduce"], [3, 2])[0]
        if r.random() < 0.6:
            shape = prev.shape
            if kind == "reduce" and len(shape) > 1 and r.random() < 0.5:
                shape = shape[:-1]  # reduce prev's last axis
        else:
            shape = self.random_shape()
        spatial = [("i%d" % d, n) for d, n in enumerate(shape)]
        red = []
        if kind == "reduce":
            n_red = r.choice([1, 1, 2])
            for k in range(n_red):
                red.append(("k%d" % k, r.choice([1, 2, 3, 4, 5, 7, 8, 9, 12, 16])))
            if len(shape) < len(prev.shape) and r.random() < 0.7:
                red[0] = (red[0][0], prev.shape[-1])
        loop_vars = spatial + red
        sources = [prev] + [t for t in self.tensors if t is not prev and r.random() < 0.3]
        dtype = self.pick_dtype()
        op = r.choice(["sum", "sum", "max", "min"]) if red else None
        t_lo, t_hi = DTYPE_RANGE[dtype]
        n_red = 1
        for _, n in red:
            n_red *= n
        if op == "sum":
            lim = (-((-t_lo) // n_red), t_hi // n_red)  # rounded towards zero: n_red * lim fits
        else:
            lim = (t_lo, t_hi)
        depth = r.choice([0, 1, 1, 2, 2, 3])
        # The first read is prev, so the chain stays connected.
        first = clamp_expr(cast_expr(self.read(prev, loop_vars), dtype), *lim)
        rest = self.expr(dtype, lim, depth, sources, loop_vars) if depth > 0 else None
        body = first
        if rest is not None:
            comb = r.choice(["add", "max", "min", "sub"])
            if comb == "add" and first.lo + rest.lo >= lim[0] and first.hi + rest.hi <= lim[1]:
                body = Expr(f"({first.te} + {rest.te})", f"({first.np} + {rest.np})", dtype,
                            first.lo + rest.lo, first.hi + rest.hi)
            elif comb == "sub" and first.lo - rest.hi >= lim[0] and first.hi - rest.lo <= lim[1]:
                body = Expr(f"({first.te} - {rest.te})", f"({first.np} - {rest.np})", dtype,
                            first.lo - rest.hi, first.hi - rest.lo)
            else:
                fn = "max" if comb == "max" else "min"
                body = Expr(f"te.{fn}({first.te}, {rest.te})",
                            f"np.{'maximum' if fn == 'max' else 'minimum'}({first.np}, {rest.np})", dtype,
                            (max if fn == "max" else min)(first.lo, rest.lo),
                            (max if fn == "max" else min)(first.hi, rest.hi))
        te_lines, np_lines = [], []
        nd = len(loop_vars)
        for d, (v, n) in enumerate(loop_vars):
            shp = [1] * nd
            shp[d] = n
            np_lines.append(f"{v} = np.arange({n}).reshape({tuple(shp)})")
        full = tuple(n for _, n in loop_vars)
        args = ", ".join(v for v, _ in spatial)
        if red:
            for v, n in red:
                te_lines.append(f'{name}_{v} = te.reduce_axis((0, {n}), name="{name}_{v}")')
            # The lambda's reduce variables are the reduce axes themselves.
            red_bind = "".join(f"{v} = {name}_{v}; " for v, _ in red)
            axes = ", ".join(f"{name}_{v}" for v, _ in red)
            te_lines.append(f"def {name}_f({args}):")
            te_lines.append(f"    {red_bind}")
            te_lines.append(f"    return te.{op}({body.te}, axis=[{axes}])")
            te_lines.append(f'{name} = te.compute({shape}, {name}_f, name="{name}")')
            red_axes = tuple(range(len(spatial), nd))
            npfn = {"sum": "sum", "max": "max", "min": "min"}[op]
            np_lines.append(f"{name}_w = np.broadcast_to({body.np}, {full}).{npfn}(axis={red_axes})")
            if op == "sum":
                lo, hi = body.lo * n_red, body.hi * n_red
            else:
                lo, hi = body.lo, body.hi
        else:
            te_lines.append(f'{name} = te.compute({shape}, lambda {args}: {body.te}, name="{name}")')
            np_lines.append(f"{name}_w = np.broadcast_to({body.np}, {full}).astype({wide(dtype)})")
            lo, hi = body.lo, body.hi
        np_lines.append(f"{name}_w = np.array({name}_w, dtype={wide(dtype)})")
        t = Tensor(name, shape, dtype, lo, hi, False, [n for _, n in red])
        self.tensors.append(t)
        self.stages.append((t, te_lines, np_lines, op))
        return t

    def generate(self):
        r = self.rng
        n_inputs = r.choice([1, 1, 2, 2, 3])
        first = self.make_input()
        for _ in range(n_inputs - 1):
            # Some inputs share a shape with the first, for elementwise ops.
            self.make_input(first.shape if r.random() < 0.5 else None)
        prev = r.choice(self.inputs)
        for i in range(r.choice([1, 2, 2, 3, 3, 4, 5])):
            prev = self.make_stage(i, prev)
        return prev


# ---------------------------------------------------------------------------
# Schedules. A model of the stages (leaf axes, consumers, attachment) decides
# what is legal; the schedule is written as source that uses the same names.


class Axis:
    def __init__(self, name, reduce, ext, ub=None):
        self.name, self.reduce, self.ext = name, reduce, ext  # ext None: not known before bound inference
        # An upper bound of the extent even where ext is None: an attached
        # stage never computes more than its whole domain per instance.
        self.ub = ub if ub is not None else ext


class StageModel:
    def __init__(self, name, spatial_exts, reduce_exts, is_reduce, compute):
        self.name = name
        self.leaf = []
        self.is_reduce = is_reduce  # also: made from a reduction (never inlined)
        self.compute = compute
        self.factor_inner = set()  # inner axes of factor splits: constant extent even when attached
        self.split_parents = set()  # axes split already (no longer leaves)
        self.consumers = set()
        self.inlined = False
        self.attached = None  # (consumer name, axis name)
        self.attached_here = set()  # axis names stages are attached at
        self.transformed = False
        self.parallel = False
        self.spatial_exts = list(spatial_exts)
        self.reduce_exts = list(reduce_exts)
        self.full_exts = list(spatial_exts) + list(reduce_exts)  # the whole domain, for the cost model
        self.instances = 1  # how many times the stage's loop nest runs (compute_at recomputes)
        self.is_output = False


class ScheduleGen:
    def __init__(self, rng, gen, out):
        self.rng = rng
        self.lines = []
        self.st = {}
        self.order = []  # stage names, producers first
        self.counter = 0
        for t in gen.tensors:
            self.add_stage(t.name, t.shape, t.reduce_extents, bool(t.reduce_extents), not t.is_input)
        for t, te_lines, _, _ in gen.stages:
            for src in gen.tensors:
                if src is not t and (src.name + "[") in "\n".join(te_lines):
                    self.st[src.name].consumers.add(t.name)
        self.out = out.name
        self.st[out.name].is_output = True

    def add_stage(self, name, shape, reduce_exts, is_reduce, is_compute, index=None):
        m = StageModel(name, shape, reduce_exts, is_reduce, is_compute)
        self.st[name] = m
        if index is None:
            self.order.append(name)
        else:
            self.order.insert(index, name)
        return m

    def fresh(self, base):
        self.counter += 1
        return "%s_%d" % (base, self.counter)

    def emit(self, line):
        self.lines.append(line)

    def init_axes(self, m):
        """Names the stage's root axes (fresh after a rewrite created it)."""
        m.leaf = []
        if m.attached is not None:  # extents come from bound inference
            m.spatial_exts = [None] * len(m.spatial_exts)
            m.reduce_exts = [None] * len(m.reduce_exts)
        ns = len(m.spatial_exts)
        for d, n in enumerate(m.spatial_exts):
            a = self.fresh(m.name + "_ax%d" % d)
            self.emit(f"{a} = s[{m.name}].op.axis[{d}]")
            m.leaf.append(Axis(a, False, n, m.full_exts[d]))
        for d, n in enumerate(m.reduce_exts):
            a = self.fresh(m.name + "_rx%d" % d)
            self.emit(f"{a} = s[{m.name}].op.reduce_axis[{d}]")
            m.leaf.append(Axis(a, True, n, m.full_exts[ns + d]))

    def computes(self):
        return [n for n in self.order if self.st[n].compute and not self.st[n].inlined]

    # ---- dataflow rewrites -------------------------------------------------
    def redirect(self, old, new):
        """The body of stage old moved to stage new: its inputs now feed new."""
        for o in self.st.values():
            if old in o.consumers:
                o.consumers = (o.consumers - {old}) | {new}

    def cache_read(self):
        r = self.rng
        cands = [n for n in self.order if self.st[n].consumers and not self.st[n].inlined]
        if not cands:
            return
        name = r.choice(cands)
        m = self.st[name]
        readers = sorted(m.consumers)
        if len(readers) > 1 and r.random() < 0.5:
            readers = r.sample(readers, r.randint(1, len(readers)))
        cname = self.fresh(name + "_l")
        self.emit(f'{cname} = s.cache_read({name}, "local", [{", ".join(readers)}])')
        c = self.add_stage(cname, m.spatial_exts, [], False, True, self.order.index(name) + 1)
        c.consumers = set(readers)
        m.consumers = (m.consumers - set(readers)) | {cname}
        self.init_axes(c)

    def cache_write(self):
        r = self.rng
        cands = [n for n in self.computes() if not self.st[n].transformed]
        if not cands:
            return
        name = r.choice(cands)
        m = self.st[name]
        cname = self.fresh(name + "_w")
        self.emit(f'{cname} = s.cache_write({name}, "local")')
        c = self.add_stage(cname, m.spatial_exts, m.reduce_exts, m.is_reduce, True, self.order.index(name))
        self.redirect(name, cname)
        c.consumers = {name}
        m.reduce_exts, m.is_reduce = [], False
        m.full_exts = list(m.spatial_exts)
        self.init_axes(c)
        self.init_axes(m)

    def rfactor(self):
        r = self.rng
        cands = [n for n in self.computes() if self.st[n].reduce_exts and not self.st[n].transformed]
        if not cands:
            return
        name = r.choice(cands)
        m = self.st[name]
        if not m.leaf:
            self.init_axes(m)
        reds = [a for a in m.leaf if a.reduce]
        k = r.choice(reds)
        if r.random() < 0.7 and k.ext and k.ext > 1:
            f = r.choice([2, 3, 4, 8])
            ko, ki = self.fresh(m.name + "_ko"), self.fresh(m.name + "_ki")
            self.emit(f"{ko}, {ki} = s[{name}].split({k.name}, factor={f})")
            pos = m.leaf.index(k)
            outer, inner = Axis(ko, True, -(-k.ext // f)), Axis(ki, True, f)
            m.leaf[pos:pos + 1] = [outer, inner]
            k = r.choice([outer, inner])
        remaining = [a.ext for a in m.leaf if a.reduce and a is not k]
        fa = r.randint(0, len(m.spatial_exts))
        rf = self.fresh(name + "_rf")
        self.emit(f"{rf} = s.rfactor({name}, {k.name}, factor_axis={fa})")
        sp = list(m.spatial_exts)
        sp.insert(fa, k.ext)
        c = self.add_stage(rf, sp, remaining, True, True, self.order.index(name))
        self.redirect(name, rf)
        c.consumers = {name}
        # The original stage now reduces over the factored axis.
        m.reduce_exts = [k.ext]
        m.full_exts = list(m.spatial_exts) + [k.ext]
        m.is_reduce = True
        self.init_axes(c)
        self.init_axes(m)

    def inline(self):
        r = self.rng
        cands = [n for n in self.computes() if not self.st[n].is_reduce and not self.st[n].is_output
                 and not self.st[n].transformed]
        if not cands:
            return
        name = r.choice(cands)
        m = self.st[name]
        self.emit(f"s[{name}].compute_inline()")
        m.inlined = True
        for c in self.st.values():
            if name in c.consumers:
                c.consumers = (c.consumers - {name}) | m.consumers

    # ---- loop transforms ---------------------------------------------------
    def transform(self, m):
        r = self.rng
        if not m.leaf:
            self.init_axes(m)
        for _ in range(r.choice([0, 1, 1, 2, 3, 4])):
            kind = r.choices(["split", "nparts", "tile", "reorder", "fuse"], [4, 2, 2, 3, 3])[0]
            leaf = m.leaf
            if kind in ("split", "nparts"):
                a = r.choice(leaf)
                o, i = self.fresh(m.name + "_o"), self.fresh(m.name + "_i")
                if kind == "split":
                    f = r.choice([1, 2, 3, 4, 5, 8, 16, 32])
                    self.emit(f"{o}, {i} = s[{m.name}].split({a.name}, factor={f})")
                    m.factor_inner.add(i)
                    oe = -(-a.ext // f) if a.ext else None
                    ie = f
                else:
                    p = r.choice([1, 2, 3, 4, 5])
                    self.emit(f"{o}, {i} = s[{m.name}].split({a.name}, nparts={p})")
                    oe, ie = p, (-(-a.ext // p) if a.ext else None)
                pos = leaf.index(a)
                leaf[pos:pos + 1] = [Axis(o, a.reduce, oe), Axis(i, a.reduce, ie)]
                m.split_parents.add(a.name)
            elif kind == "tile":
                sp = [a for a in leaf if not a.reduce]
                if len(sp) < 2:
                    continue
                j = r.randrange(len(sp) - 1)
                x, y = sp[j], sp[j + 1]
                fx, fy = r.choice([2, 3, 4, 8]), r.choice([2, 3, 4, 8])
                n = [self.fresh(m.name + s) for s in ("_xo", "_yo", "_xi", "_yi")]
                self.emit(f"{', '.join(n)} = s[{m.name}].tile({x.name}, {y.name}, {fx}, {fy})")
                xo = Axis(n[0], False, -(-x.ext // fx) if x.ext else None)
                yo = Axis(n[1], False, -(-y.ext // fy) if y.ext else None)
                xi, yi = Axis(n[2], False, fx), Axis(n[3], False, fy)
                m.factor_inner |= {n[2], n[3]}
                # tile = split both, then reorder the four into the slots they held.
                px, py = leaf.index(x), leaf.index(y)
                leaf[px:px + 1] = [Axis(None, False, None), Axis(None, False, None)]
                py = leaf.index(y)
                leaf[py:py + 1] = [Axis(None, False, None), Axis(None, False, None)]
                slots = [k for k, a in enumerate(leaf) if a.name is None]
                for k, a in zip(slots, [xo, yo, xi, yi]):
                    leaf[k] = a
            elif kind == "reorder":
                if len(leaf) < 2:
                    continue
                sub = r.sample(leaf, r.randint(2, len(leaf)))
                perm = sub[:]
                r.shuffle(perm)
                self.emit(f"s[{m.name}].reorder({', '.join(a.name for a in perm)})")
                slots = sorted(leaf.index(a) for a in sub)
                for k, a in zip(slots, perm):
                    leaf[k] = a
            else:
                if len(leaf) < 2:
                    continue
                j = r.randrange(len(leaf) - 1)
                a, b = leaf[j], leaf[j + 1]
                if a.reduce != b.reduce and r.random() < 0.8:
                    continue
                f = self.fresh(m.name + "_f")
                self.emit(f"{f} = s[{m.name}].fuse({a.name}, {b.name})")
                ext = a.ext * b.ext if a.ext and b.ext else None
                leaf[j:j + 2] = [Axis(f, a.reduce or b.reduce, ext)]
            m.transformed = True

    def compute_at(self, m):
        r = self.rng
        if len(m.consumers) != 1:
            return
        (cname,) = m.consumers
        c = self.st[cname]
        if c.inlined or not c.compute:
            return
        if not c.leaf:
            self.init_axes(c)
        a = r.choice(c.leaf)
        # Each iteration of the consumer's loops down to the attach point
        # recomputes the producer; chains of such recomputation multiply
        # (a legal schedule that runs for hours is no use to a test).
        instances = c.instances * self.nest_bound(c, a)
        if self.cost() + (instances - m.instances) * prod(m.full_exts) > WORK_BUDGET:
            return
        m.instances = instances
        self.emit(f"s[{m.name}].compute_at(s[{cname}], {a.name})")
        m.attached = (cname, a.name)
        c.attached_here.add(a.name)
        # Extents now come from bound inference; even a factor split's inner
        # loop is tightened to min(factor, extent), which may be symbolic.
        for ax in m.leaf:
            ax.ext = None

    def nest_bound(self, c, axis):
        """An upper bound of the iterations of c's loops from the outermost
        down to axis."""
        n = 1
        for ax in c.leaf[:c.leaf.index(axis) + 1]:
            n *= ax.ub if ax.ub else prod(c.full_exts)
        return n

    def cost(self):
        """An upper bound of the loop iterations the schedule runs."""
        return sum(m.instances * prod(m.full_exts) for m in self.st.values() if m.compute and not m.inlined)

    def annotate(self, m):
        r = self.rng
        if not m.leaf:
            return
        if m.attached is None and not m.leaf[0].reduce and r.random() < 0.4:
            self.emit(f"s[{m.name}].parallel({m.leaf[0].name})")
            m.parallel = True
        inner = m.leaf[-1]
        if (not inner.reduce and inner.ext and inner.ext <= 16 and inner.name not in m.attached_here
                and not (m.parallel and len(m.leaf) == 1) and r.random() < 0.5):
            self.emit(f"s[{m.name}].vectorize({inner.name})")
        elif len(m.leaf) > 1:
            a = r.choice(m.leaf[1:] if m.parallel else m.leaf)
            if a.ext and a.ext <= 16 and r.random() < 0.3:
                self.emit(f"s[{m.name}].unroll({a.name})")

    def generate(self):
        r = self.rng
        self.emit(f"s = te.create_schedule({self.out}.op)")
        for _ in range(r.choice([0, 0, 1, 1, 2, 3])):
            r.choice([self.cache_read, self.cache_read, self.cache_write, self.rfactor])()
        for _ in range(r.choice([0, 0, 1, 2])):
            self.inline()
        live = self.computes()
        for name in live:
            if r.random() < 0.7:
                self.transform(self.st[name])
        for name in reversed(live):
            m = self.st[name]
            if not m.is_output and r.random() < 0.6:
                self.compute_at(m)
        for name in live:
            m = self.st[name]
            # Stages attached inside a parallel loop stay serial.
            if m.attached is not None:
                m.parallel = False
            if r.random() < 0.6:
                self.annotate(m)
        if r.random() < 0.06:
            self.illegal()
        return self.lines

    def illegal(self):
        """One schedule step TE must refuse, with an error that names the
        primitive or the stage; recorded as EXPECT_ERROR in the case."""
        r = self.rng
        live = [n for n in self.computes() if self.st[n].leaf]
        options = []
        for n in live:
            m = self.st[n]
            if len(m.leaf) >= 3:
                options.append(("fuse", n))
            if m.reduce_exts and not m.is_output:
                options.append(("compute_inline", n))
            if any(a.reduce for a in m.leaf):
                options.append(("vectorize", n))
            if m.reduce_exts and any(not a.reduce for a in m.leaf):
                options.append(("rfactor", n))
            if m.split_parents:
                options.append(("split", n))
            if not m.is_output and m.consumers and self.upstream(n):
                options.append(("compute_at", n))
        if not options:
            return
        kind, n = r.choice(options)
        m = self.st[n]
        self.emit(f"EXPECT_ERROR = {kind!r}")
        if kind == "fuse":
            j = r.randrange(len(m.leaf) - 2)
            self.emit(f"s[{n}].fuse({m.leaf[j].name}, {m.leaf[j + 2].name})")
        elif kind == "compute_inline":
            self.emit(f"s[{n}].compute_inline()")
        elif kind == "vectorize":
            a = r.choice([a for a in m.leaf if a.reduce])
            self.emit(f"s[{n}].vectorize({a.name})")
        elif kind == "rfactor":
            a = r.choice([a for a in m.leaf if not a.reduce])
            self.emit(f"s.rfactor({n}, {a.name})")
        elif kind == "split":
            self.emit(f"s[{n}].split({r.choice(sorted(m.split_parents))}, factor=2)")
        else:
            up = self.st[r.choice(self.upstream(n))]
            if not up.leaf:
                self.init_axes(up)
            self.emit(f"s[{n}].compute_at(s[{up.name}], {r.choice(up.leaf).name})")

    def upstream(self, name):
        """Compute stages that stage name reads from, directly or not."""
        out, todo = [], [name]
        while todo:
            cur = todo.pop()
            for p, m in self.st.items():
                if cur in m.consumers and p not in out:
                    out.append(p)
                    todo.append(p)
        return [p for p in out if self.st[p].compute and not self.st[p].inlined and self.st[p].leaf]


def generate_case(seed):
    """(source, output name, input names) for case seed."""
    rng = random.Random(seed)
    gen = ProgramGen(rng)
    out = gen.generate()
    sched = ScheduleGen(rng, gen, out).generate()
    lines = ["import numpy as np", "import tvm", "from tvm import te", "", "PHASE = 'program'"]
    for t in gen.inputs:
        lines.append(f'{t.name} = te.placeholder({t.shape}, dtype="{t.dtype}", name="{t.name}")')
    for t, te_lines, _, _ in gen.stages:
        lines.extend(te_lines)
    lines.append("PHASE = 'schedule'")
    lines.extend(sched)
    args = ", ".join([t.name for t in gen.inputs] + [out.name])
    lines.append("PHASE = 'build'")
    lines.append(f"f = tvm.build(s, [{args}], \"llvm\")")
    lines.append("PHASE = 'reference'")
    lines.append(f"rng = np.random.RandomState({seed % (2**32)})")
    for t in gen.inputs:
        lo, hi = INPUT_RANGE[t.dtype]
        lines.append(f'{t.name}_np = rng.randint({lo}, {hi + 1}, size={t.shape}).astype("{t.dtype}")')
        lines.append(f"{t.name}_w = {t.name}_np.astype({wide(t.dtype)})")
    for t, _, np_lines, _ in gen.stages:
        lines.extend(np_lines)
    lines.append(f'expected = {out.name}_w.astype("{out.dtype}")')
    lines.append("PHASE = 'run'")
    lines.append(f'out = tvm.nd.empty({out.shape}, "{out.dtype}")')
    lines.append("f(" + ", ".join(f"tvm.nd.array({t.name}_np)" for t in gen.inputs) + ", out)")
    if is_float(out.dtype):
        tol = 1e-3 if out.dtype == "float16" else 1e-5
        lines.append("PHASE = 'compare'")
        lines.append(f"np.testing.assert_allclose(out.numpy(), expected, rtol={tol}, atol={tol})")
    else:
        lines.append("PHASE = 'compare'")
        lines.append("np.testing.assert_array_equal(out.numpy(), expected)")
    lines.append("PHASE = 'done'")
    return "\n".join(lines) + "\n"


def run_case(seed):
    """Runs one case here; returns (status, message). status is 'pass',
    'mismatch' (wrong numbers), 'rejected' (a Python exception from TVM), or
    'generator' (the generator itself failed: a bug in this file)."""
    try:
        src = generate_case(seed)
    except Exception:  # pylint: disable=broad-except
        return "generator", traceback.format_exc(limit=3)
    return run_source_here(src)


def classify(err, phase, expect=None, stages=()):
    """(status, message) for an exception raised while a case ran."""
    text = str(err).strip()
    first = text.splitlines()[0] if text else ""
    last = text.splitlines()[-1] if text else ""
    msg = "%s in %s: %s" % (type(err).__name__, phase, (first + (" ... " + last if last != first else ""))[:600])
    if phase == "compare" and isinstance(err, AssertionError):
        return "mismatch", text[:1500]
    if expect is not None and phase in ("schedule", "build"):
        # An illegal step: the error must say which primitive or stage.
        named = expect in text or any(("stage " + n) in text or ("'%s'" % n) in text or (n + " ") in text
                                      for n in stages)
        return ("clear-error" if named else "unclear-error"), msg
    if phase in ("program", "schedule", "build"):
        if isinstance(err, (NameError, SyntaxError)):
            return "generator", traceback.format_exc(limit=5)
        return "rejected", msg
    if phase == "run":
        return "crashed", msg
    return "generator", traceback.format_exc(limit=5)


def run_source(src, timeout=120):
    """Runs case source in a child process; returns (status, message)."""
    code = ("import sys, json; sys.path.insert(0, %r); import te_program_gen as g; "
            "src = sys.stdin.read(); print(json.dumps(g.run_source_here(src)))") % os.path.dirname(os.path.abspath(__file__))
    try:
        proc = subprocess.run([sys.executable, "-c", code], input=src, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "crashed", "hang"
    for line in proc.stdout.splitlines()[::-1]:
        try:
            return tuple(json.loads(line))
        except ValueError:
            continue
    return "crashed", "exit code %s" % proc.returncode


def signature(status, msg):
    """What must stay the same while a case is minimised."""
    import re  # pylint: disable=import-outside-toplevel

    if status in ("mismatch", "crashed"):
        return status
    return status + ":" + re.sub(r"variable \S+", "variable", re.sub(r"\[.*?\]", "", msg))[:80]


def minimize(seed):
    """Greedily drops schedule lines (and whole stages' schedule lines) while
    the failure keeps its signature; prints the smallest source found."""
    src = generate_case(seed)
    status, msg = run_source(src)
    if status == "pass":
        print("seed %d passes" % seed)
        return src
    sig = signature(status, msg)
    print("# seed %d: %s %s" % (seed, status, msg[:300]), file=sys.stderr)
    lines = src.splitlines()
    start = lines.index("PHASE = 'schedule'") + 2
    changed = True
    while changed:
        changed = False
        i = len(lines) - 1
        while i >= start:
            if lines[i].startswith("PHASE = 'build'"):
                end = i
            i -= 1
        i = end - 1
        while i >= start:
            trial = lines[:i] + lines[i + 1:]
            st, m = run_source("\n".join(trial) + "\n")
            if signature(st, m) == sig:
                lines = trial
                end -= 1
                changed = True
            i -= 1
    out = "\n".join(lines) + "\n"
    print(out)
    return out


def run_source_here(src):
    ns = {}
    try:
        exec(compile(src, "<case>", "exec"), ns)  # pylint: disable=exec-used
    except Exception as err:  # pylint: disable=broad-except
        stages = [k for k, v in ns.items() if type(v).__name__ == "Tensor"]
        return classify(err, ns.get("PHASE"), ns.get("EXPECT_ERROR"), stages)
    if ns.get("EXPECT_ERROR"):
        return "accepted-illegal", "illegal %s was accepted (and matched numpy)" % ns["EXPECT_ERROR"]
    return "pass", ""


def child_main(seeds):
    for seed in seeds:
        print(json.dumps({"seed": seed, "start": True}), flush=True)
        status, msg = run_case(seed)
        print(json.dumps({"seed": seed, "status": status, "msg": msg}), flush=True)


def run_batches(seeds, batch=50, timeout=30, verbose=False, progress=None):
    """Runs seeds in child processes; returns {seed: (status, msg)}. A child
    that dies, or spends more than timeout seconds on one case, marks that
    case 'crashed' and a new child goes on from the next seed."""
    import selectors  # pylint: disable=import-outside-toplevel

    results = {}
    pending = list(seeds)
    while pending:
        chunk = pending[:batch]
        cmd = [sys.executable, os.path.abspath(__file__), "--child", ",".join(map(str, chunk))]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        sel = selectors.DefaultSelector()
        sel.register(proc.stdout, selectors.EVENT_READ)
        running, hung, done = None, False, 0
        buf = b""
        lines = []
        while True:
            if not lines:
                if not sel.select(timeout):
                    hung = True
                    proc.kill()
                    break
                data = os.read(proc.stdout.fileno(), 65536)
                if not data:
                    break
                buf += data
                *complete, buf = buf.split(b"\n")
                lines.extend(complete)
                continue
            line = lines.pop(0)
            try:
                rec = json.loads(line)
            except ValueError:
                continue
            if rec.get("start"):
                running = rec["seed"]
                continue
            results[rec["seed"]] = (rec["status"], rec["msg"])
            running = None
            done += 1
            if verbose and rec["status"] not in ("pass", "clear-error"):
                lines = rec["msg"].strip().splitlines() or [""]
                text = lines[-1] if rec["status"] == "generator" else " | ".join(lines[:3])
                print("seed %d: %s %s" % (rec["seed"], rec["status"], text[:300]), flush=True)
        proc.wait()
        sel.close()
        proc.stdout.close()
        if running is not None:
            why = "hang (no result after %ds)" % timeout if hung else "exit code %s" % proc.returncode
            results[running] = ("crashed", why)
            done += 1
            if verbose:
                print("seed %d: crashed %s" % (running, why), flush=True)
        elif proc.returncode != 0 and any(s not in results for s in chunk):
            raise RuntimeError("fuzz child failed with exit code %s" % proc.returncode)
        pending = [s for s in pending if s not in results]
        if progress is not None:
            progress(done)
    return results


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seed", type=int, help="print the case for this seed (with --run: run it)")
    p.add_argument("--run", action="store_true")
    p.add_argument("--minimize", action="store_true", help="with --seed: drop schedule lines while it still fails")
    p.add_argument("--cases", type=int, default=100)
    p.add_argument("--start-seed", type=int, default=0)
    p.add_argument("--batch", type=int, default=50)
    p.add_argument("--jobs", type=int, default=1)
    p.add_argument("--child", help=argparse.SUPPRESS)
    p.add_argument("--json", help="write every non-passing result to this file")
    a = p.parse_args()
    if a.child is not None:
        child_main([int(x) for x in a.child.split(",") if x])
        return 0
    if a.seed is not None:
        if a.minimize:
            minimize(a.seed)
            return 0
        if a.run:
            status, msg = run_case(a.seed)
            print(status, msg)
            return 0 if status == "pass" else 1
        print(generate_case(a.seed), end="")
        return 0
    seeds = list(range(a.start_seed, a.start_seed + a.cases))
    t0 = time.time()
    results = {}
    finished = [0]

    def progress(n):
        finished[0] += n
        print("progress: %d/%d cases, %.0fs" % (finished[0], len(seeds), time.time() - t0), flush=True)

    from concurrent.futures import ThreadPoolExecutor  # pylint: disable=import-outside-toplevel

    parts = [seeds[i::a.jobs] for i in range(a.jobs)]
    with ThreadPoolExecutor(a.jobs) as ex:
        for part in ex.map(lambda s: run_batches(s, a.batch, verbose=True, progress=progress), parts):
            results.update(part)
    counts = {}
    for status, _ in results.values():
        counts[status] = counts.get(status, 0) + 1
    print("cases %d in %.0fs: passed %d, mismatched %d, crashed %d, legal-rejected %d, generator-errors %d; "
          "illegal schedules: rejected with a clear error %d, with an unclear error %d, accepted %d" % (
              len(results), time.time() - t0, counts.get("pass", 0), counts.get("mismatch", 0),
              counts.get("crashed", 0), counts.get("rejected", 0), counts.get("generator", 0),
              counts.get("clear-error", 0), counts.get("unclear-error", 0), counts.get("accepted-illegal", 0)))
    for status in ("mismatch", "crashed", "rejected", "generator", "unclear-error", "accepted-illegal"):
        bad = sorted(s for s, (st, _) in results.items() if st == status)
        if bad:
            print("%s seeds: %s" % (status, " ".join(map(str, bad))))
    if a.json:
        with open(a.json, "w") as fh:
            json.dump({str(s): v for s, v in sorted(results.items()) if v[0] != "pass"}, fh, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
