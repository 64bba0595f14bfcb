/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/topi/generic/injective.h
 * \brief The generic schedules of TOPI's operators: injective (elementwise,
 *  broadcast, transforms), reductions, and the default one.
 *
 * On CPU targets the outputs' axes are fused, the fused loop parallelised and
 * a short inner piece vectorised where it divides evenly; on GPU targets the
 * fused loop is bound to blocks and threads. Injective producers are inlined.
 */
#ifndef TVM_TOPI_GENERIC_INJECTIVE_H_
#define TVM_TOPI_GENERIC_INJECTIVE_H_

#include <tvm/target/target.h>
#include <tvm/te/schedule.h>

namespace tvm {
namespace topi {
namespace generic {

/*! \brief Schedule injective outputs (and their inlined injective producers). */
TVM_DLL te::Schedule schedule_injective(const Target& target, const Array<te::Tensor>& outs);
/*! \brief Schedule `out`'s stage in an existing schedule the injective way. */
TVM_DLL te::Schedule schedule_injective_from_existing(te::Schedule sch, const te::Tensor& out,
                                                      const Target& target = Target());
/*! \brief Schedule reductions (and injective ops around them). */
TVM_DLL te::Schedule schedule_reduce(const Target& target, const Array<te::Tensor>& outs);
/*!
 * \brief A schedule with no transformation but (if auto_inline) injective
 *  producers inlined and each output's axes fused.
 */
TVM_DLL te::Schedule default_schedule(const Target& target, const Array<te::Tensor>& outs, bool auto_inline);
/*! \brief The schedule of extern ops (sort, ...): inline injective producers, nothing else. */
TVM_DLL te::Schedule schedule_extern(const Target& target, const Array<te::Tensor>& outs);

}  // namespace generic
}  // namespace topi
}  // namespace tvm
#endif  // TVM_TOPI_GENERIC_INJECTIVE_H_
