/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/topi/x86/gemm.h
 * \brief The register-blocked float32 GEMM that dense (dense_pack), matmul (matmul_pack) and
 *  batch_matmul share on x86, its tiling (GemmConfig) and its schedule.
 *
 * Compute (PackedGemm):
 *
 *   packed[pb..., p, k, jj] = B(pb..., k, p*NR + jj)          (0 past the last column)
 *   gemm[b..., i, j]        = sum_k A(b..., i, k) * packed[pb(b)..., j/NR, k, j%NR]
 *
 * B is repacked into NR-wide column panels (one row of a panel is NV vectors); the rows and
 * columns of `gemm` are padded to whole MR x NR tiles (A's row index clamped, the panel's tail
 * zero), so the micro-kernel needs no bounds test; a stage "<name>_unpad" cuts the padding off.
 *
 * Schedule (ScheduleGemm): the output tiled MR x NR; a tile's accumulators computed at the row
 * tile loop, k innermost but for the tile (k unrolled by k_unroll, the MR rows unrolled, the
 * NR columns NV vectors), so they stay in registers; the elementwise ops fused after the GEMM
 * applied to the tile before it is stored. The panels (with the batch axes, and with blocks of
 * rows when the panels are too few for the threads) run in parallel, each packed by the thread
 * that uses it. With a k block kc (a panel overflowing half of L2), a block of row tiles keeps
 * its accumulators in a buffer and runs kc steps of k at a time.
 *
 * Python's tvm.topi.x86.gemm calls these (its GemmConfig is this one's fields), so the kernels
 * a Python process and a C++ process schedule are the same. The L2 size is a parameter (-1:
 * this machine's, GetCacheSizes) so that a caller may choose the blocking.
 */
#ifndef TVM_TOPI_X86_GEMM_H_
#define TVM_TOPI_X86_GEMM_H_

#include <tvm/target/target.h>
#include <tvm/te/schedule.h>

#include <functional>
#include <optional>
#include <string>
#include <utility>

namespace tvm {
namespace topi {
namespace x86 {

/*! \brief The tag of the panel-packing stage. */
constexpr const char* kGemmPackTag = "gemm_pack_b";

/*! \brief The tiling of one GEMM: an MR x (NV*lanes) register tile, k unrolled by k_unroll;
 *  row_blocks (0 or more; unset: from the thread count) and kc (the k block; unset: none). */
struct GemmConfig {
  int64_t mr = 1, nv = 1, lanes = 4, k_unroll = 1;
  std::optional<int64_t> row_blocks;
  std::optional<int64_t> kc;
  int64_t nr() const { return nv * lanes; }
};

/*!
 * \brief A config from the array Python's GemmConfig.as_array gives:
 *  (mr, nv, lanes, k_unroll, row_blocks or -1, kc or 0).
 * \throws Error (ValueError) for another length or a size below 1.
 */
TVM_DLL GemmConfig GemmConfigFromArray(const Array<Integer>& values);

/*!
 * \brief (MR, NV) of the accumulator tile for a rows x cols product (nullopt: symbolic): the
 *  most multiply-adds per value loaded, MR*NV / (MR + NV), scaled by the fraction of the padded
 *  tiles that is real work; a tile dividing the rows wins within 0.8 of the best. `exact`
 *  admits only tiles that divide both.
 * \throws Error (ValueError) when none fits.
 */
TVM_DLL std::pair<int64_t, int64_t> GemmMicroKernelShape(std::optional<int64_t> rows, std::optional<int64_t> cols,
                                                         int64_t lanes, int64_t registers, bool exact = false);
/*! \brief The k block for a depth x nr panel: unset while it fits in half of L2, else the largest
 *  divisor of depth (a multiple of k_unroll) whose block fits in a quarter. */
TVM_DLL std::optional<int64_t> GemmKBlock(std::optional<int64_t> depth, int64_t nr, int64_t k_unroll,
                                          int64_t l2 = -1);
/*! \brief The tiling of a rows x cols x depth GEMM on `target` (the current one when undefined). */
TVM_DLL GemmConfig GemmDefaultConfig(std::optional<int64_t> rows, std::optional<int64_t> cols,
                                     std::optional<int64_t> depth, const Target& target = Target(),
                                     bool exact = false, int64_t l2 = -1);
/*! \brief The tiling of a GEMM whose B is already packed in nr-wide panels. */
TVM_DLL GemmConfig GemmConfigForPanels(std::optional<int64_t> rows, int64_t nr, std::optional<int64_t> depth,
                                       const Target& target = Target(), int64_t l2 = -1);
/*! \brief The panel width to pre-pack a cols x depth weight in for rows-row products; unset when
 *  no multiple of the vector width divides cols. */
TVM_DLL std::optional<int64_t> GemmPanelWidth(std::optional<int64_t> rows, std::optional<int64_t> cols,
                                              std::optional<int64_t> depth, const Target& target = Target(),
                                              int64_t l2 = -1);

/*! \brief The operands of PackedGemm: A's element (batch indices, i, k), B's (B's batch
 *  indices, k, j), and B's batch indices for an output batch index. */
using GemmAValue = std::function<PrimExpr(const Array<PrimExpr>&, const PrimExpr&, const PrimExpr&)>;
using GemmBValue = std::function<PrimExpr(const Array<PrimExpr>&, const PrimExpr&, const PrimExpr&)>;
using GemmBatchOfB = std::function<Array<PrimExpr>(const Array<PrimExpr>&)>;

/*!
 * \brief The GEMM stage and its panel packing (see the file comment): a_batch the output's leading
 *  extents, b_batch the panels'; `prepacked` B already in panels (b_batch..., cols/NR, depth, NR).
 *  b_contiguous_in_k: B's elements are contiguous along k (the packing then reads one row at a
 *  time). Returns the GEMM, or its unpadded view.
 */
TVM_DLL te::Tensor PackedGemm(const GemmAValue& a_value, const Array<PrimExpr>& a_batch, const PrimExpr& rows,
                              const GemmBValue& b_value, const Array<PrimExpr>& b_batch, const PrimExpr& cols,
                              const PrimExpr& depth, const GemmBatchOfB& batch_of_b, DataType out_dtype,
                              const GemmConfig& cfg, const std::string& name, const std::string& tag,
                              const std::optional<te::Tensor>& prepacked = std::nullopt,
                              bool b_contiguous_in_k = false, int64_t l2 = -1);

/*!
 * \brief Schedule the fused function whose outputs are `outs` around its GEMM stage (tagged
 *  gemm_tag); cfg unset: the tiling the compute recorded in its attributes.
 */
TVM_DLL te::Schedule ScheduleGemm(const Target& target, const Array<te::Tensor>& outs, const std::string& gemm_tag,
                                  const std::optional<GemmConfig>& cfg = std::nullopt, int64_t l2 = -1);

}  // namespace x86
}  // namespace topi
}  // namespace tvm
#endif  // TVM_TOPI_X86_GEMM_H_
