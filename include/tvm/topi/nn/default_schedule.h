/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/topi/nn/default_schedule.h
 * \brief The default schedule of the nn operators (tvm.topi.nn.schedules.default_schedule):
 *  what convolutions, dense, pooling and normalisations take on a target with no
 *  schedule of its own.
 *
 * Every injective stage that is not an output is inlined, except padding (its own
 * buffer, so the reduction reading it stays free of bounds tests); each remaining
 * stage runs its two outer loops fused and in parallel, and a reduction updates a
 * vector of its innermost output axis per step (split by 16, 8 or 4, the inner part
 * moved inside the reduction and vectorised). A symbolic innermost extent
 * (relay.Any()) is cut into 16-lane vectors.
 */
#ifndef TVM_TOPI_NN_DEFAULT_SCHEDULE_H_
#define TVM_TOPI_NN_DEFAULT_SCHEDULE_H_

#include <tvm/te/schedule.h>

namespace tvm {
namespace topi {
namespace nn {

/*! \brief The default nn schedule of `outs` (inlining injective intermediates when auto_inline). */
TVM_DLL te::Schedule default_schedule(const Array<te::Tensor>& outs, bool auto_inline = true);

}  // namespace nn
}  // namespace topi
}  // namespace tvm
#endif  // TVM_TOPI_NN_DEFAULT_SCHEDULE_H_
