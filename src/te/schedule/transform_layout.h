/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/te/schedule/transform_layout.h
 * \brief How transform_layout's maps travel from the schedule to the PrimFunc:
 *  ScheduleOps wraps the body in attributes naming each transformed tensor,
 *  SchedulePostProcToPrimFunc turns them into PrimFunc attributes over buffers,
 *  which tir.transform.ApplyLayoutTransforms applies.
 */
#ifndef TVM_TE_SCHEDULE_TRANSFORM_LAYOUT_H_
#define TVM_TE_SCHEDULE_TRANSFORM_LAYOUT_H_

#include <tvm/te/schedule.h>
#include <tvm/tir/function.h>

namespace tvm {
namespace te {

/*! \brief AttrStmt keys: node = [tensor, IndexMap...] and [tensor, IntImm...]. */
constexpr const char* kLayoutTransformsAttr = "layout_transforms";
constexpr const char* kAxisSeparatorsAttr = "axis_separators";

/*! \brief body wrapped in one attribute per transformed (or separated) stage output. */
Stmt AttachLayoutTransforms(const Schedule& sch, Stmt body);

}  // namespace te
}  // namespace tvm
#endif  // TVM_TE_SCHEDULE_TRANSFORM_LAYOUT_H_
