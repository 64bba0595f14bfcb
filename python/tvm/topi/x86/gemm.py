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

The tiling, the compute and the schedule are C++ (include/tvm/topi/x86/gemm.h), so a C++ program
compiles the same kernels; these are their Python faces. The L2 size they block for is
utils.cache_sizes()["L2"], read here and passed on.
"""
from ... import tir
from ..._ffi.registry import get_global_func
from ...target import Target
from . import utils as _utils

PACK_TAG = "gemm_pack_b"

# The row counts a tiling is chosen for when the rows (or columns) are symbolic (the C++ tiling's).
SYMBOLIC_ROWS = (16, 32, 64, 128, 256, 512)

# A tile that divides the (static) rows is taken over a better-scoring one that pads them while its
# score is within this factor (128 rows of BERT's attention, K = 64: 4x64 tiles 20% faster than
# 6x64 ones padding 128 to 132).
WHOLE_ROWS_MARGIN = 0.8


def is_static(value):
    """Whether an extent is a compile-time integer (not a relay.Any() size variable)."""
    return isinstance(value, int) or isinstance(value, tir.IntImm)


def _static_or_none(value):
    return int(value) if is_static(value) else None


def l2_bytes():
    """The L2 size the GEMM's tiling blocks for (utils.cache_sizes()["L2"]), passed to the C++ functions."""
    return int(_utils.cache_sizes()["L2"])


def _target(target):
    return target or Target.current(allow_none=True)


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

    def as_array(self):
        """The config as the C++ functions take it: (mr, nv, lanes, k_unroll, row_blocks or -1, kc or 0)."""
        return [int(self.mr), int(self.nv), int(self.lanes), int(self.k_unroll),
                -1 if self.row_blocks is None else int(self.row_blocks), int(self.kc or 0)]

    @staticmethod
    def from_array(values):
        mr, nv, lanes, k_unroll, row_blocks, kc = (int(v) for v in values)
        return GemmConfig(mr, nv, lanes, k_unroll, row_blocks=None if row_blocks < 0 else row_blocks,
                          kc=kc or None)


def config_array(config):
    """A GemmConfig (or None) as the C++ functions take it."""
    return None if config is None else config.as_array()


def micro_kernel_shape(rows, cols, lanes, registers, exact=False):
    """(MR, NV): an MR x (NV*lanes) accumulator tile.

    It needs MR*NV accumulators + NV registers for a row of the panel + 1 for a
    broadcast element of A. Among the shapes that fit, pick the one with the most
    multiply-adds per value loaded, MR*NV / (MR + NV), scaled by the fraction of
    the padded tiles that is real work (all of it when the tile divides the
    matrix; `exact` admits only those). rows / cols None: symbolic (the mean use over
    SYMBOLIC_ROWS counts).
    """
    mr, nv = get_global_func("topi.x86.gemm_micro_kernel_shape")(rows, cols, int(lanes), int(registers), bool(exact))
    return int(mr), int(nv)


def default_config(rows, cols, depth, target=None, exact=False):
    """The tiling for a rows x cols x depth GEMM on `target` (the current one by default)."""
    return GemmConfig.from_array(get_global_func("topi.x86.gemm_default_config")(
        _static_or_none(rows), _static_or_none(cols), _static_or_none(depth), _target(target), bool(exact), l2_bytes()))


def k_block(depth, nr, k_unroll):
    """kc for a depth x nr panel: None (the whole k loop in the register tile) while the panel fits
    in half of L2, else the largest divisor of depth (a multiple of k_unroll) whose block of the
    panel fits in a quarter of it. A panel that overflows L2 is read back from L3 by every row tile;
    a block is read from L2 by all the row tiles of a block. The default configs leave symbolic
    rows unblocked (their rows would be padded to whole blocks of row tiles, 64 rows)."""
    kc = get_global_func("topi.x86.gemm_k_block")(_static_or_none(depth), int(nr), int(k_unroll), l2_bytes())
    return None if kc is None else int(kc)


def config_for_panels(rows, nr, depth, target=None):
    """The tiling for a GEMM whose B is already packed in nr-wide panels (nn.contrib_dense_pack):
    the panel width is given, the tile rows MR are chosen for it."""
    return GemmConfig.from_array(get_global_func("topi.x86.gemm_config_for_panels")(
        _static_or_none(rows), int(nr), _static_or_none(depth), _target(target), l2_bytes()))


def panel_width(rows, cols, depth, target=None):
    """The panel width to pre-pack a (cols x depth) weight in for rows-row products, or None when no
    multiple of the vector width divides cols (then the operator packs it with a zero tail)."""
    nr = get_global_func("topi.x86.gemm_panel_width")(_static_or_none(rows), _static_or_none(cols),
                                                       _static_or_none(depth), _target(target), l2_bytes())
    return None if nr is None else int(nr)


def schedule_packed_gemm(outs, gemm_tag, cfg=None):
    """Schedule the fused function whose outputs are `outs` around its GEMM stage (tagged
    gemm_tag): see the module docstring. Elementwise/injective stages in between are inlined.
    cfg None: the tiling the compute recorded on its GEMM stage."""
    from ... import te  # pylint: disable=import-outside-toplevel

    outs = [outs] if isinstance(outs, te.Tensor) else list(outs)
    return get_global_func("topi.x86.schedule_gemm")(Target.current(allow_none=True), outs, gemm_tag,
                                                     config_array(cfg), l2_bytes())
