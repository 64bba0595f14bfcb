/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/driver/driver_api.h
 * \brief tvm.lower: from a TE schedule, a PrimFunc or an IRModule to the
 *  lowered loop IR, through the pipeline listed in src/driver/driver_api.cc.
 *
 * PassContext options read here:
 *   "tir.instrument_bound_checkers" (bool)  check every buffer access at run time
 *   "tir.disable_vectorize" (bool)          vectorized loops stay serial loops
 *   "tir.disable_storage_rewrite" (bool)    skip StorageRewrite
 *   "tir.noalias" (bool, default true)      mark the arguments as not aliasing
 *   "tir.debug_keep_trivial_loop" (bool)    keep loops of extent 1 from ScheduleOps
 *   "tir.add_lower_pass" (list of (phase, pass)) user passes after phase 0..3:
 *       0: before StorageFlatten, 1: after the first Simplify,
 *       2: after UnrollLoop, 3: at the end.
 */
#ifndef TVM_DRIVER_DRIVER_API_H_
#define TVM_DRIVER_DRIVER_API_H_

#include <tvm/ir/module.h>
#include <tvm/ir/transform.h>
#include <tvm/runtime/module.h>
#include <tvm/target/target.h>
#include <tvm/te/schedule.h>
#include <tvm/tir/function.h>

#include <string>

namespace tvm {

/*!
 * \brief The lowering passes, in order, for the current PassContext.
 * \param simple_mode skip LoopPartition (a compact listing, as TVM's simple_mode).
 */
TVM_DLL Array<transform::Pass> CreatePassList(bool simple_mode);

/*!
 * \brief The module a schedule stands for, before any pass: normalize, bound
 *  inference, loop nest, PrimFunc over `args` named `name` (what LowerSchedule
 *  then runs the passes on).
 */
TVM_DLL IRModule ScheduleToModule(te::Schedule sch, const Array<ObjectRef>& args, const std::string& name,
                                  const Map<te::Tensor, tir::Buffer>& binds);

/*!
 * \brief Lower a schedule: normalize, bound inference, loop nest, PrimFunc
 *  over `args` (tensors, buffers and scalar vars) named `name`, then the passes.
 * \param binds buffers to use for some tensors (others get compact buffers).
 */
TVM_DLL IRModule LowerSchedule(te::Schedule sch, const Array<ObjectRef>& args, const std::string& name,
                               const Map<te::Tensor, tir::Buffer>& binds, bool simple_mode = false);

/*! \brief Lower one PrimFunc (the passes only), as the function `name` of a new module. */
TVM_DLL IRModule LowerPrimFunc(tir::PrimFunc func, const std::string& name, bool simple_mode = false);

/*! \brief Lower every PrimFunc of a module (the passes only). */
TVM_DLL IRModule LowerModule(IRModule mod, bool simple_mode = false);

namespace driver {

/*!
 * \brief tvm.build of a lowered module ("driver.build"): bind the target,
 *  MakePackedAPI, LowerTVMBuiltin, LowerIntrin, then target.build.<kind>.
 */
TVM_DLL runtime::Module Build(IRModule mod, Target target);

}  // namespace driver
}  // namespace tvm
#endif  // TVM_DRIVER_DRIVER_API_H_
