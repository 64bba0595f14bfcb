# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Computes and schedules of strided_set, sparse_to_dense, scatter_nd, adv_index,
sliding_window, unique and stft (operators of src/relay/op/tensor/indexing.cc)."""
import math

from ... import te, tir, topi
from ...tir import ir_builder
from .op import register_compute, register_schedule, register_injective_schedule


def _extern_schedule(attrs, outs, target):  # pylint: disable=unused-argument
    with target:
        return topi.generic.schedule_extern(outs)


def _reduce_schedule(attrs, outs, target):  # pylint: disable=unused-argument
    with target:
        return topi.generic.schedule_reduce(outs)


@register_compute("strided_set")
def _strided_set(attrs, inputs, out_type):  # pylint: disable=unused-argument
    return [topi.strided_set(*inputs)]


@register_compute("sparse_to_dense")
def _sparse_to_dense(attrs, inputs, out_type):
    indices, values, default = inputs
    fill = tir.Cast(out_type.dtype, default(*([0] * len(default.shape))))
    return [topi.sparse_to_dense(indices, [int(d) for d in attrs.output_shape], values, fill)]


@register_compute("scatter_nd")
def _scatter_nd(attrs, inputs, out_type):  # pylint: disable=unused-argument
    return [topi.scatter_nd(inputs[0], inputs[1], inputs[2], str(attrs.mode))]


@register_compute("adv_index")
def _adv_index(attrs, inputs, out_type):  # pylint: disable=unused-argument
    return [topi.adv_index(inputs[0], list(inputs[1:]))]


@register_compute("sliding_window")
def _sliding_window(attrs, inputs, out_type):  # pylint: disable=unused-argument
    data = inputs[0]
    axis = int(attrs.axis)
    strides = [int(s) for s in attrs.strides]
    n = len(strides)

    def body(*idx):
        lead, windows, offsets = idx[:axis], idx[axis:axis + n], idx[axis + n:]
        return data(*lead, *[w * s + o for w, s, o in zip(windows, strides, offsets)])

    return [te.compute(out_type.shape, body, name="T_sliding_window", tag="injective")]


@register_compute("unique")
def _unique(attrs, inputs, out_type):  # pylint: disable=unused-argument
    """Group equal values through a stable sort: a group's first sorted position holds its first
    occurrence. Sorted output numbers the groups in sorted order; otherwise a group's number is
    how many first occurrences come before its own in the data."""
    data = inputs[0]
    n = data.shape[0]
    order = topi.argsort(data, axis=0, is_ascend=True, dtype="int32")
    sorted_mode, with_counts = bool(attrs.sorted), bool(attrs.return_counts)
    shapes = [(n,), (n,), (n,), (1,)] + ([(n,)] if with_counts else [])
    dtypes = [data.dtype, "int32", "int32", "int32"] + (["int32"] if with_counts else [])

    def body(ins, outs):
        ib = ir_builder.create()
        src, perm = ib.buffer_ptr(ins[0]), ib.buffer_ptr(ins[1])
        uniq, first, inverse, total = (ib.buffer_ptr(b) for b in outs[:4])
        counts = ib.buffer_ptr(outs[4]) if with_counts else ib.allocate("int32", (n,), name="counts")
        group = ib.allocate("int32", (n,), name="group")  # group number of sorted position i
        starts = ib.allocate("int32", (n,), name="starts")  # first occurrence (data index) of group g
        number = ib.allocate("int32", (n,), name="number")  # output slot of group g
        total[0] = 0
        with ib.for_range(0, n, name="i") as i:
            with ib.if_scope(tir.any(i == 0, src[perm[tir.max(i, 1) - 1]] != src[perm[i]])):
                starts[total[0]] = perm[i]
                total[0] = total[0] + 1
            group[i] = total[0] - 1
        if sorted_mode:
            with ib.for_range(0, n, name="g") as g:
                number[g] = tir.Cast("int32", g)
        else:
            # Mark first occurrences in data order, then count the marks before each group's own.
            mark = ib.allocate("int32", (n,), name="mark")
            with ib.for_range(0, n, name="i") as i:
                mark[i] = 0
            with ib.for_range(0, n, name="g") as g:
                with ib.if_scope(g < total[0]):
                    mark[starts[g]] = 1
            before = ib.allocate("int32", (n,), name="before")  # marks before position i
            seen = ib.allocate("int32", (1,), name="seen")
            seen[0] = 0
            with ib.for_range(0, n, name="i") as i:
                before[i] = seen[0]
                seen[0] = seen[0] + mark[i]
            with ib.for_range(0, n, name="g") as g:
                with ib.if_scope(g < total[0]):
                    number[g] = before[starts[g]]
        with ib.for_range(0, n, name="i") as i:
            uniq[i] = tir.const(0, data.dtype)
            first[i] = 0
            counts[i] = 0
        with ib.for_range(0, n, name="i") as i:
            slot = number[group[i]]
            inverse[perm[i]] = slot
            counts[slot] = counts[slot] + 1
            with ib.if_scope(tir.any(i == 0, group[i] != group[tir.max(i, 1) - 1])):
                uniq[slot] = src[perm[i]]
                first[slot] = perm[i]
        return ib.get()

    outs = te.extern(shapes, [data, order], body, dtype=dtypes, name="unique", tag="unique")
    return list(outs)


@register_compute("stft")
def _stft(attrs, inputs, out_type):
    """Each frame t of n_fft samples from t * hop_length, times the window centred in n_fft,
    against cos and -sin of 2 pi f k / n_fft."""
    data, window = inputs
    n_fft, hop, win = int(attrs.n_fft), int(attrs.hop_length), int(attrs.win_length)
    left = (n_fft - win) // 2
    dtype = out_type.dtype
    batched = len(data.shape) == 2
    k = te.reduce_axis((0, n_fft), name="k")
    scale = 1.0 / math.sqrt(n_fft) if bool(attrs.normalized) else 1.0

    def body(*idx):
        (b, f, t, c) = idx if batched else (None, *idx)
        pos = t * hop + k
        sample = data[b, pos] if batched else data[pos]
        w = tir.Select(tir.all(k >= left, k < left + win), tir.Cast(dtype, window[tir.min(tir.max(k - left, 0), win - 1)]),
                       tir.const(0, dtype))
        angle = tir.const(2 * math.pi / n_fft, dtype) * tir.Cast(dtype, (f * k) % n_fft)
        basis = tir.Select(c == 0, tir.cos(angle), -tir.sin(angle))
        return te.sum(tir.Cast(dtype, sample) * w * basis * tir.const(scale, dtype), axis=k)

    return [te.compute(out_type.shape, body, name="T_stft", tag="stft")]


for _name in ("strided_set", "adv_index", "sliding_window", "sparse_to_dense"):
    register_injective_schedule(_name)
register_schedule("scatter_nd", _extern_schedule)
register_schedule("unique", _extern_schedule)
register_schedule("stft", _reduce_schedule)


@register_compute("sparse_reshape")
def _sparse_reshape(attrs, inputs, out_type):  # pylint: disable=unused-argument
    """Each row's flat position in prev_shape, unravelled in new_shape (its -1 resolved from the
    element count)."""
    indices, prev_shape, new_shape = inputs
    # Extents may be relay.Any() (int64 variables): every loop below takes them as bounds.
    num, rank_in = indices.shape
    rank_out = new_shape.shape[0]

    def body(ins, outs):
        ib = ir_builder.create()
        idx, prev, new = (ib.buffer_ptr(b) for b in ins)
        out_idx, out_shape = ib.buffer_ptr(outs[0]), ib.buffer_ptr(outs[1])
        total = ib.allocate("int64", (1,), name="total")
        known = ib.allocate("int64", (1,), name="known")
        total[0] = tir.const(1, "int64")
        with ib.for_range(0, rank_in, name="d") as d:
            total[0] = total[0] * tir.Cast("int64", prev[d])
        known[0] = tir.const(1, "int64")
        with ib.for_range(0, rank_out, name="d") as d:
            with ib.if_scope(new[d] != tir.const(-1, new.dtype)):
                known[0] = known[0] * tir.Cast("int64", new[d])
        with ib.for_range(0, rank_out, name="d") as d:
            missing = total[0] // tir.max(known[0], tir.const(1, "int64"))
            out_shape[d] = tir.Cast(new.dtype, tir.Select(new[d] == tir.const(-1, new.dtype), missing,
                                                          tir.Cast("int64", new[d])))
        # As TVM: an unchanged shape passes the indices through (even ones out of its range),
        # and the outermost output index is not wrapped.
        same = ib.allocate("int32", (1,), name="same")
        same[0] = tir.Cast("int32", rank_in == rank_out)
        with ib.if_scope(same[0] != 0):
            with ib.for_range(0, rank_out, name="d") as d:
                with ib.if_scope(tir.Cast("int64", prev[d]) != tir.Cast("int64", out_shape[d])):
                    same[0] = 0
        with ib.for_range(0, num, name="n", kind="parallel") as n:
            flat = ib.allocate("int64", (1,), name="flat")  # one per iteration: the loop is parallel
            flat[0] = tir.const(0, "int64")
            with ib.for_range(0, rank_in, name="d") as d:
                flat[0] = flat[0] * tir.Cast("int64", prev[d]) + tir.Cast("int64", idx[n, d])
            with ib.for_range(0, rank_out, name="r") as r:
                d = rank_out - 1 - r  # innermost first
                extent = tir.max(tir.Cast("int64", out_shape[d]), tir.const(1, "int64"))
                with ib.if_scope(same[0] != 0):
                    out_idx[n, d] = idx[n, d]
                with ib.else_scope():
                    out_idx[n, d] = tir.Cast(indices.dtype, tir.Select(
                        d == 0, flat[0], tir.floormod(flat[0], extent)))
                flat[0] = tir.floordiv(flat[0], extent)
        return ib.get()

    outs = te.extern([(num, rank_out), (rank_out,)], [indices, prev_shape, new_shape], body,
                     dtype=[indices.dtype, new_shape.dtype], name="sparse_reshape", tag="sparse_reshape")
    return list(outs)


register_schedule("sparse_reshape", _extern_schedule)


@register_compute("searchsorted")
def _searchsorted(attrs, inputs, out_type):
    return [topi.searchsorted(inputs[0], inputs[1], bool(attrs.right), out_type.dtype)]


register_schedule("searchsorted", _extern_schedule)
