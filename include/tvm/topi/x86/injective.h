/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/topi/x86/injective.h
 * \brief The x86 schedule of injective (elementwise, broadcast, layout) outputs.
 *
 * When the innermost axis holds whole vectors and there are at least a few
 * rows, the outer axes are fused and run in parallel and the innermost axis is
 * walked in full-width vectors inside each row, so a value that varies per row
 * only is computed once a row and the addresses stay affine:
 *
 *     out[r, k]  ->  for r in parallel:  for ko:  out[r, ko*L : ko*L + L] = f(...)
 *
 * Other outputs (a short or odd innermost axis, one row, several outputs,
 * symbolic extents, extern producers) take topi::generic::schedule_injective.
 */
#ifndef TVM_TOPI_X86_INJECTIVE_H_
#define TVM_TOPI_X86_INJECTIVE_H_

#include <tvm/target/target.h>
#include <tvm/te/schedule.h>

#include <optional>

namespace tvm {
namespace topi {
namespace x86 {

/*! \brief Fewer rows than this and the generic schedule (which splits the whole output) is kept. */
constexpr int64_t kInjectiveMinRows = 4;

/*! \brief An extent as a number when it is one (after simplification), as the schedules read shapes. */
TVM_DLL std::optional<int64_t> ConstExtent(const PrimExpr& extent);

/*! \brief Schedule injective `outs` for the x86 `target` (the current target when undefined). */
TVM_DLL te::Schedule schedule_injective(const Target& target, const Array<te::Tensor>& outs);

}  // namespace x86
}  // namespace topi
}  // namespace tvm
#endif  // TVM_TOPI_X86_INJECTIVE_H_
