/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file op_schedules.cc
 * \brief The shared FTVMSchedule functions of operators registered in C++
 *  (op_schedules.h): the target picks topi's x86 or generic schedule.
 */
#include "op_schedules.h"

#include <tvm/topi/generic/injective.h>
#include <tvm/topi/x86/injective.h>
#include <tvm/topi/x86/reduction.h>
#include <tvm/topi/x86/utils.h>

namespace tvm {
namespace relay {

namespace {

Target TargetOrCurrent(const Target& target) { return target.defined() ? target : Target::Current(true); }

}  // namespace

te::Schedule ScheduleInjective(const Attrs&, const Array<te::Tensor>& outs, const Target& target_in) {
  Target target = TargetOrCurrent(target_in);
  if (topi::x86::IsX86Target(target)) return topi::x86::schedule_injective(target, outs);
  return topi::generic::schedule_injective(target, outs);
}

te::Schedule ScheduleReduce(const Attrs&, const Array<te::Tensor>& outs, const Target& target_in) {
  Target target = TargetOrCurrent(target_in);
  if (topi::x86::IsX86Target(target)) return topi::x86::schedule_reduce(target, outs);
  return topi::generic::schedule_reduce(target, outs);
}

}  // namespace relay
}  // namespace tvm
