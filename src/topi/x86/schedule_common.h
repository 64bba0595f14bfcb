/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/topi/x86/schedule_common.h
 * \brief What several x86 schedules ask of a fused function's stages.
 */
#ifndef TVM_TOPI_X86_SCHEDULE_COMMON_H_
#define TVM_TOPI_X86_SCHEDULE_COMMON_H_

#include <tvm/te/operation.h>

#include <string>
#include <utility>

namespace tvm {
namespace topi {
namespace x86 {

/*!
 * \brief Whether final_op consumes source_op through injective compute ops only (and, when
 *  `shape` is given, has that shape), so a tile of final_op needs only the same tile of the
 *  source: the schedule may compute the source at the output's tile and fuse what follows.
 */
bool ElementwiseFrom(const te::Operation& final_op, const te::Operation& source_op,
                     const Array<PrimExpr>* shape = nullptr);

/*!
 * \brief The first compute op tagged `tag` among `outs` and their producers (depth first); an
 *  error (ValueError) naming the tag when there is none.
 */
te::Operation FindTaggedOp(const Array<te::Tensor>& outs, const std::string& tag);

/*!
 * \brief (tile, padded extent): a register tile of `tile` rows (output pixels of a row, GEMM
 *  rows) for an axis of `extent`, each row holding `accumulators_per_row` vector accumulators
 *  out of `budget`: the widest divisor of the extent that fits, or, when that divisor is less than
 *  half the widest fitting tile (a prime extent), the tile wasting the fewest padded rows.
 */
std::pair<int64_t, int64_t> WidthTile(int64_t extent, int64_t accumulators_per_row, int64_t budget);

}  // namespace x86
}  // namespace topi
}  // namespace tvm
#endif  // TVM_TOPI_X86_SCHEDULE_COMMON_H_
