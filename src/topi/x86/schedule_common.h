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

}  // namespace x86
}  // namespace topi
}  // namespace tvm
#endif  // TVM_TOPI_X86_SCHEDULE_COMMON_H_
