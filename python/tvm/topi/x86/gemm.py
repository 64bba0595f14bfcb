# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""The register-blocked float32 GEMM shared by dense, matmul and batch_matmul on x86.

Compute (packed_gemm):

    packed[pb..., p, k, jj] = B(pb..., k, p*NR + jj)          (0 past the last column)
    gemm[b..., i, j]        = sum_k A(b..., i, k) * packed[pb(b)..., j/NR, k, j%NR]

B is repacked into NR-wide column panels so that one row of a panel is NV
contiguous vectors; the rows and columns of `gemm` are padded up to whole
MR x NR tiles (A's row index is clamped, the panel's tail is zero), so the
micro-kernel never needs a bounds test. A stage "<name>_unpad" cuts the
padding off when there is some.

Schedule (schedule_packed_gemm): the output's loops are tiled MR x NR; the
accumulators of one tile (`gemm`, in "local" scope) are computed at the row
tile loop with the whole k loop innermost but for the tile (k split by
k_unroll and unrolled, the MR rows unrolled, the NR columns one vector each
of NV registers), so they stay in registers; the output loop then applies
whatever elementwise ops were fused after the GEMM (bias, activation,
residual add) to the tile and stores it. The panel loop (fused with the
batch axes, and with blocks of rows when there are too few panels for the
threads) runs in parallel on the runtime's thread pool; each panel is packed
by the thread that uses it, right before it does.

K blocking (GemmConfig.kc, chosen by k_block when a panel would overflow half
of L2): the accumulators of a block of row tiles (T*MR x NR, sized so that it
and its slice of A fit in half of L2) live in a buffer computed at the block
loop; for each block of kc values of k, every row tile of the block loads its
accumulators, runs those kc steps in registers (LLVM promotes the tile's
loop-invariant addresses around the k loop) and stores them back. The first
k block starts from zero; the epilogue reads the buffer once, after the last.
A kc that does not divide K leaves a guarded partial last block (correct,
slower); the default picks a divisor, and only for static rows (symbolic rows
given a kc are padded to whole blocks of 64 rows, so that the k loops need no
guards).
"""
import math

from ... import te, tir
from ..utils import get_const_tuple
from .. import tag as _tag
from . import utils as _utils

PACK_TAG = "gemm_pack_b"

# The row counts a tiling is chosen for when the rows (or columns) are symbolic: sequence lengths
# and batches are mostly multiples of 16, short and long; a tile is scored by its mean use of them.
SYMBOLIC_ROWS = (16, 32, 64, 128, 256, 512)

# A tile that divides the (static) rows is taken over a better-scoring one that pads them while its
# score is within this factor: the padded rows' clamped reads of A cost more than their share (128
# rows of BERT's attention, K = 64: 4x64 tiles 20% faster than 6x64 ones padding 128 to 132; a
# 6x64 tile on 132 real rows runs at the 4x64 one's speed).
WHOLE_ROWS_MARGIN = 0.8


def _use(extent, tile):
    """The fraction of the padded tiles that is real work: extent / (ceil(extent / tile) * tile),
    averaged over SYMBOLIC_ROWS for a symbolic extent (None)."""
    if extent is None:
        return sum(_use(e, tile) for e in SYMBOLIC_ROWS) / len(SYMBOLIC_ROWS)
    return extent / (math.ceil(extent / tile) * tile)


def is_static(value):
    """Whether an extent is a compile-time integer (not a relay.Any() size variable)."""
    return isinstance(value, int) or isinstance(value, tir.IntImm)


class GemmConfig:
    """The tiling of one GEMM: an MR x (NV*lanes) register tile, k unrolled by k_unroll.

    The tuner's knobs: mr, nv, k_unroll, row_blocks (the number of blocks the rows are cut into
    for parallelism; None: decided from the thread count) and kc (the k block: None runs the whole
    k loop inside the register tile; an int below the depth accumulates a block of row tiles over
    k blocks of kc, see schedule_packed_gemm)."""

    def __init__(self, mr, nv, lanes, k_unroll=4, row_blocks=None, kc=None):
        self.mr, self.nv, self.lanes, self.k_unroll, self.row_blocks = mr, nv, lanes, k_unroll, row_blocks
        self.kc = kc

    @property
    def nr(self):
        return self.nv * self.lanes

    def __repr__(self):
        return (f"GemmConfig(mr={self.mr}, nv={self.nv}, lanes={self.lanes}, k_unroll={self.k_unroll}, "
                f"kc={self.kc})")


def micro_kernel_shape(rows, cols, lanes, registers, exact=False):
    """(MR, NV): an MR x (NV*lanes) accumulator tile.

    It needs MR*NV accumulators + NV registers for a row of the panel + 1 for a
    broadcast element of A. Among the shapes that fit, pick the one with the most
    multiply-adds per value loaded, MR*NV / (MR + NV), scaled by the fraction of
    the padded tiles that is real work (all of it when the tile divides the
    matrix; `exact` admits only those). rows / cols None: symbolic (the mean use over
    SYMBOLIC_ROWS counts).
    """
    best = whole = None
    # Whole panels when some width allows them: a partial last panel makes the output's column
    # loop conditional, and the schedule then has to store the tile through a buffer.
    cols_exact = cols is not None and (exact or any(cols % (nv * lanes) == 0 for nv in range(1, 9)))
    exact = exact and rows is not None
    for nv in range(1, 9):
        for mr in range(1, registers):
            if mr * nv + nv + 1 > registers:
                break
            nr = nv * lanes
            if (exact and rows % mr) or (cols_exact and cols % nr):
                continue
            used = _use(rows, mr) * _use(cols, nr)
            score = (mr * nv / (mr + nv) * used, mr * nv)
            if best is None or score > best[0]:
                best = (score, mr, nv)
            if rows is not None and rows % mr == 0 and (whole is None or score > whole[0]):
                whole = (score, mr, nv)
    if best is None:
        raise ValueError(f"no {lanes}-lane micro-kernel tile divides a {rows} x {cols} matrix")
    if whole is not None and whole[0][0] >= WHOLE_ROWS_MARGIN * best[0][0]:
        best = whole
    return best[1], best[2]


def default_config(rows, cols, depth, target=None, exact=False):
    """The tiling for a rows x cols x depth GEMM on `target` (the current one by default)."""
    lanes = _utils.get_simd_32bit_lanes(target)
    rows = int(rows) if is_static(rows) else None  # None: symbolic
    cols = int(cols) if is_static(cols) else None
    mr, nv = micro_kernel_shape(rows, cols, lanes, _utils.vector_registers(lanes), exact=exact)
    k_unroll = next(f for f in (4, 2, 1) if depth % f == 0) if is_static(depth) else 1
    kc = k_block(depth, nv * lanes, k_unroll) if rows is not None else None
    return GemmConfig(mr, nv, lanes, k_unroll, kc=kc)


def k_block(depth, nr, k_unroll):
    """kc for a depth x nr panel: None (the whole k loop in the register tile) while the panel fits
    in half of L2, else the largest divisor of depth (a multiple of k_unroll) whose block of the
    panel fits in a quarter of it. A panel that overflows L2 is read back from L3 by every row tile;
    a block is read from L2 by all the row tiles of a block (measured on 128x3072 x 768, weights
    streamed from memory as in a model: 4-5% faster than halving the panel width instead).
    The default configs leave symbolic rows unblocked: their rows would be padded to whole blocks
    of row tiles (64 rows), a waste for short sequences (an explicit kc still applies)."""
    if not is_static(depth):
        return None
    depth, l2 = int(depth), _utils.cache_sizes()["L2"]
    if depth * nr * 4 <= l2 // 2:
        return None
    fits = [kc for kc in range(k_unroll, depth, k_unroll) if depth % kc == 0 and kc * nr * 4 <= l2 // 4]
    return max(fits) if fits else None


def config_for_panels(rows, nr, depth, target=None):
    """The tiling for a GEMM whose B is already packed in nr-wide panels (nn.contrib_dense_pack):
    the panel width is given, the tile rows MR are chosen for it."""
    lanes = _utils.get_simd_32bit_lanes(target)
    if nr % lanes:  # narrower panels than a vector: one (shorter) vector per row
        lanes, nv = nr, 1
    else:
        nv = nr // lanes
    registers = _utils.vector_registers(_utils.get_simd_32bit_lanes(target))
    best = whole = None
    rows = int(rows) if is_static(rows) else None  # None: symbolic
    for mr in range(1, registers):
        if mr * nv + nv + 1 > registers:
            break
        used = _use(rows, mr)
        score = (mr * nv / (mr + nv) * used, mr)
        if best is None or score > best[0]:
            best = (score, mr)
        if rows is not None and rows % mr == 0 and (whole is None or score > whole[0]):
            whole = (score, mr)
    if whole is not None and whole[0][0] >= WHOLE_ROWS_MARGIN * best[0][0]:
        best = whole
    k_unroll = next(f for f in (4, 2, 1) if depth % f == 0) if is_static(depth) else 1
    kc = k_block(depth, nv * lanes, k_unroll) if rows is not None else None
    return GemmConfig(best[1] if best else 1, nv, lanes, k_unroll, kc=kc)


def panel_width(rows, cols, depth, target=None):
    """The panel width to pre-pack a (cols x depth) weight in for rows-row products, or None when no
    multiple of the vector width divides cols (then the operator packs it with a zero tail)."""
    lanes = _utils.get_simd_32bit_lanes(target)
    if not is_static(cols) or cols % lanes:
        return None
    cfg = default_config(rows, cols, depth, target)
    nv = cfg.nv
    while cols % (nv * lanes):
        nv -= 1
    return nv * lanes


def packed_gemm(a_value, a_batch, rows, b_value, b_batch, cols, depth, batch_of_b, out_dtype, cfg, name, tag,
                prepacked=None, b_contiguous_in_k=False):
    """The GEMM stage (and the panel packing) described in the module docstring.

    a_value(batch, i, k) / b_value(b_batch_index, k, j): the operands' elements (transposes and
    broadcasting live in these). a_batch: the output's leading (batch) extents; b_batch: the
    packed panels' leading extents; batch_of_b(batch) maps an output batch index to the panels'.
    prepacked: B already in panels (b_batch..., cols / NR, depth, NR); then b_value is not used.
    b_contiguous_in_k: B's elements are contiguous along k (dense's weight, a transposed batch_matmul
    operand): the packing then walks each row of B along k (one memory stream) instead of across
    NR rows at once (NR streams, more than the prefetchers follow).
    Returns the output tensor: the GEMM itself, or its unpadded view.
    """
    nr, mr = cfg.nr, cfg.mr
    panels = _ceil_div(cols, nr)
    rows_pad = not (is_static(rows) and rows % mr == 0)
    cols_pad = not (is_static(cols) and cols % nr == 0)
    row_step = mr
    if not is_static(rows) and cfg.kc and is_static(depth) and cfg.kc < int(depth):
        # k-blocked symbolic rows: whole blocks of row tiles, so that no block's k loops need guards
        row_step = mr * _block_tiles(None, mr, nr, cfg.kc)
    rows_padded = _ceil_div(rows, row_step) * row_step if rows_pad else rows
    cols_padded = panels * nr if cols_pad else cols

    def pack(*idx):
        pb, p, k, jj = idx[:-3], idx[-3], idx[-2], idx[-1]
        j = p * nr + jj
        value = b_value(pb, k, j)
        if cols_pad:
            value = tir.if_then_else(j < cols, value, tir.const(0, value.dtype))
        return value

    if prepacked is not None:
        packed = prepacked
    else:
        packed = te.compute(tuple(b_batch) + (panels, depth, nr), pack, name=name + "_packed_b", tag=PACK_TAG,
                            attrs={"k_contiguous": int(bool(b_contiguous_in_k))})
    k = te.reduce_axis((0, depth), name="k")

    def body(*idx):
        batch, i, j = idx[:-2], idx[-2], idx[-1]
        if rows_pad:  # the padding rows repeat the last one; they are cut off below
            i = tir.min(i, rows - 1)
        return te.sum(a_value(batch, i, k).astype(out_dtype)
                      * packed[tuple(batch_of_b(batch)) + (j // nr, k, j % nr)].astype(out_dtype), axis=k)

    gemm = te.compute(tuple(a_batch) + (rows_padded, cols_padded), body, name=name, tag=tag,
                      attrs={"gemm_mr": mr, "gemm_nv": cfg.nv, "gemm_lanes": cfg.lanes,
                             "gemm_k_unroll": cfg.k_unroll, "gemm_kc": cfg.kc or 0})
    if not rows_pad and not cols_pad:
        return gemm
    return te.compute(tuple(a_batch) + (rows, cols), lambda *idx: gemm(*idx), name=name + "_unpad",
                      tag=_tag.INJECTIVE + ",gemm_unpad")


def _ceil_div(value, factor):
    if is_static(value):
        return (int(value) + factor - 1) // factor
    return tir.indexdiv(value + (factor - 1), factor)


def _find_op(outs, wanted_tag):
    seen, stack = set(), [t.op for t in outs]
    while stack:
        op = stack.pop()
        if op in seen:
            continue
        seen.add(op)
        if isinstance(op, te.ComputeOp) and op.tag == wanted_tag:
            return op
        stack.extend(t.op for t in op.input_tensors)
    raise ValueError(f"schedule: no operation tagged {wanted_tag!r} among the producers of {outs}")


def _extent(iv):
    """A loop's extent: an int, or the expression when it is symbolic."""
    extent = iv.dom.extent
    return int(extent.value) if isinstance(extent, tir.IntImm) else extent


def _tile(s, out, acc, cfg, threads, packed):
    """Tile `out` (batch..., rows, cols) into MR x NR tiles and compute the accumulator stage
    `acc` at each row tile; parallelise over batch x panels (x row blocks)."""
    nr, mr = cfg.nr, cfg.mr
    axes = list(s[out].op.axis)
    batch, i, j = axes[:-2], axes[-2], axes[-1]
    rows, cols = _extent(i), _extent(j)
    static_outer = all(is_static(_extent(b)) for b in batch) and is_static(cols)
    jp, ji = s[out].split(j, factor=nr)
    it, ii = s[out].split(i, factor=mr)
    row_blocks = cfg.row_blocks
    if not is_static(rows) or not static_outer:
        # Symbolic rows (or batch, or panels): the row tiles are the parallel work when the static
        # panels are too few for the threads; otherwise the panels are, as in the static case.
        if row_blocks is None:
            row_blocks = 1 if static_outer and math.prod(_extent(b) for b in batch) * (cols // nr) >= threads \
                else 0
    else:
        outer_count = math.prod(_extent(b) for b in batch) * ((cols + nr - 1) // nr)
        row_tiles = (rows + mr - 1) // mr
        if row_blocks is None:  # too few panels for the threads: also cut the rows into blocks
            row_blocks = 1
            while outer_count * row_blocks < threads and row_tiles % (row_blocks * 2) == 0:
                row_blocks *= 2
    (k,) = s[acc].op.reduce_axis
    kc = cfg.kc if row_blocks != 0 and cfg.kc and is_static(_extent(k)) and cfg.kc < _extent(k) else None
    if row_blocks == 0:  # every row tile its own parallel task, panels inside (symbolic extents only)
        s[out].reorder(*batch, it, jp, ii, ji)
        par = s[out].fuse(*batch, it) if batch else it
        ib = None
    else:
        ib, it = s[out].split(it, nparts=row_blocks)
        if kc:  # a block of row tiles accumulates over the k blocks: see schedule_packed_gemm
            block = None  # row tiles in a row block, when static and the blocks are even
            if is_static(rows) and ((rows + mr - 1) // mr) % row_blocks == 0:
                block = (rows + mr - 1) // mr // row_blocks
            tiles = _block_tiles(block, mr, nr, kc)
            itb, it = s[out].split(it, factor=tiles)
            s[out].reorder(*batch, jp, ib, itb, it, ii, ji)
        else:
            s[out].reorder(*batch, jp, ib, it, ii, ji)
        par = s[out].fuse(*batch, jp) if batch else jp
    s[out].unroll(ii)
    if not is_static(cols) or cols % nr:
        # A partial last panel puts a condition on the columns: vectorised, the store loop would
        # turn into a scalar loop indexing the accumulators, which would then leave the registers
        # for the whole k loop. Unrolled, every index is a constant.
        s[out].unroll(ji)
    else:
        s[out].vectorize(ji)
    acc_axes = list(s[acc].op.axis)
    if kc:
        # The block's accumulators live in a buffer (T*MR x NR); within one k block LLVM keeps a
        # tile's in registers (they are loop-invariant addresses: promoted around the k loop).
        s[acc].compute_at(s[out], itb)
        kb, k = s[acc].split(k, factor=kc)
        tile, row = s[acc].split(acc_axes[-2], factor=mr)
        ko, ki = s[acc].split(k, factor=cfg.k_unroll)
        s[acc].reorder(*acc_axes[:-2], kb, tile, ko, ki, row, acc_axes[-1])
    else:
        s[acc].compute_at(s[out], it if row_blocks else jp)
        row = acc_axes[-2]
        ko, ki = s[acc].split(k, factor=cfg.k_unroll)
        s[acc].reorder(*acc_axes[:-2], ko, ki, row, acc_axes[-1])
    s[acc].unroll(ki)
    s[acc].unroll(row)
    s[acc].vectorize(acc_axes[-1])
    if packed is not None:
        pk, pj = s[packed].op.axis[-2:]
        depth = _extent(pk)
        if int(packed.attrs["k_contiguous"]) and is_static(depth):
            # A cache line (16 floats) of each of the NR rows of B in turn, its elements stored NR
            # apart: one stream of reads at a time, 3x faster than gathering across the rows.
            line = next(f for f in (16, 8, 4, 2, 1) if depth % f == 0)
            pko, pki = s[packed].split(pk, factor=line)
            s[packed].reorder(pko, pj, pki)
            s[packed].unroll(pki)
        elif not int(packed.attrs["k_contiguous"]):
            s[packed].vectorize(pj)
    if row_blocks == 1:
        s[out].parallel(par)
        if packed is not None:  # packed by the thread that uses the panel, while it is hot
            s[packed].compute_at(s[out], par)
    else:
        s[out].parallel(s[out].fuse(par, ib) if ib is not None else par)
        if packed is not None:  # packed once up front, in parallel
            p_axes = list(s[packed].op.axis)
            s[packed].parallel(s[packed].fuse(*p_axes[:-2]) if len(p_axes) > 3 else p_axes[0])


def _block_tiles(row_tiles, mr, nr, kc):
    """Row tiles in one k-blocked block: as many as keep the block's accumulators (T*MR x NR) and
    its slice of A (T*MR x kc) within half of L2, a divisor of row_tiles (None: symbolic rows,
    then at most 64 rows, the most a partial last block computes in vain)."""
    limit = max(1, (_utils.cache_sizes()["L2"] // 2) // (mr * (nr + kc) * 4))
    if row_tiles is None:
        return max(1, min(limit, 64 // mr))
    return max(t for t in range(1, min(limit, row_tiles) + 1) if row_tiles % t == 0)


def _schedule_injective_stage(s, op):
    """An output of another shape than the GEMM's: its loops fused and parallel, the innermost
    axis split into vectors when the vector width divides it."""
    axes = list(s[op].op.axis)
    if not axes:
        return
    lanes = _utils.get_simd_32bit_lanes()
    if is_static(_extent(axes[-1])) and _extent(axes[-1]) % lanes == 0:
        outer_j, inner = s[op].split(axes[-1], factor=lanes)
        s[op].vectorize(inner)
        axes = axes[:-1] + [outer_j]
    s[op].parallel(s[op].fuse(*axes) if len(axes) > 1 else axes[0])


def _same_extents(shape_a, shape_b):
    from ...ir import structural_equal  # pylint: disable=import-outside-toplevel

    return len(shape_a) == len(shape_b) and all(
        (is_static(a) and is_static(b) and int(a) == int(b)) or structural_equal(a, b)
        for a, b in zip(shape_a, shape_b))


def schedule_packed_gemm(outs, gemm_tag, cfg=None):
    """Schedule the fused function whose outputs are `outs` around its GEMM stage (tagged
    gemm_tag): see the module docstring. Elementwise/injective stages in between are inlined."""
    outs = [outs] if isinstance(outs, te.Tensor) else list(outs)
    s = te.create_schedule([t.op for t in outs])
    gemm_op = _find_op(outs, gemm_tag)
    gemm = gemm_op.output(0)
    packed = next((t.op for t in gemm_op.input_tensors if t.op.tag == PACK_TAG), None)
    out_ops = [t.op for t in outs]
    # Inline every injective stage but the outputs (bias, activations, the unpad view).
    seen, stack = set(), list(out_ops)
    while stack:
        op = stack.pop()
        if op in seen or not isinstance(op, te.ComputeOp):
            continue
        seen.add(op)
        if op not in out_ops and op != gemm_op and _tag.is_injective(op.tag):
            s[op].compute_inline()
        stack.extend(t.op for t in op.input_tensors)
    if cfg is None:  # the tiling the compute padded for
        cfg = GemmConfig(*(int(gemm_op.attrs["gemm_" + key]) for key in ("mr", "nv", "lanes", "k_unroll")),
                         kc=int(gemm_op.attrs["gemm_kc"]) or None)
    threads = _utils.num_threads()
    first = outs[0]
    same_grid = (len(outs) == 1 and len(first.shape) == len(gemm.shape)
                 and _same_extents(first.shape[:-2], gemm.shape[:-2]))
    if any(op == gemm_op for op in out_ops) or not same_grid:
        # The GEMM's own loops carry the tiles and store them (it is an output, or what follows has
        # other loops, or there are several outputs that each need its values).
        acc = s.cache_write(gemm, "local")
        _tile(s, gemm_op, acc, cfg, threads, packed)
        tiled = gemm_op
    else:
        # The epilogue's loops carry the tiles; the GEMM's accumulators live in registers.
        s[gemm_op].set_scope("local")
        _tile(s, first.op, gemm_op, cfg, threads, packed)
        tiled = first.op
    for t in outs:
        if t.op != tiled:
            _schedule_injective_stage(s, t.op)
    return s
