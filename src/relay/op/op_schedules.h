/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file op_schedules.h
 * \brief The FTVMSchedule functions operators registered in C++ share, each
 *  dispatching on the target as relay.op.strategy's generic functions do:
 *  topi's x86 schedule for targets with the "cpu" key, topi's generic one
 *  otherwise. They are what Python's relay.op.strategy.schedule_injective
 *  (and the pool schedules) give for the same target, so a kernel scheduled
 *  in a C++-only process and one scheduled from Python are the same.
 */
#ifndef TVM_RELAY_OP_OP_SCHEDULES_H_
#define TVM_RELAY_OP_OP_SCHEDULES_H_

#include <tvm/relay/op.h>

namespace tvm {
namespace relay {

/*! \brief Injective outputs (elementwise, broadcast, layout): topi::x86 / topi::generic schedule_injective. */
te::Schedule ScheduleInjective(const Attrs& attrs, const Array<te::Tensor>& outs, const Target& target);

/*! \brief Reductions and the ops fused with them: topi::x86 / topi::generic schedule_reduce. */
te::Schedule ScheduleReduce(const Attrs& attrs, const Array<te::Tensor>& outs, const Target& target);

}  // namespace relay
}  // namespace tvm
#endif  // TVM_RELAY_OP_OP_SCHEDULES_H_
