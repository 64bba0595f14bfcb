/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/topi/x86/reduction.h
 * \brief The x86 schedule of a fused function around one reduction (sum, mean, max,
 *  variance, ... and the injective ops before and after it: layer_norm's mean and variance).
 *
 * The innermost reduction axis is split by the vector width L and factored out (rfactor),
 * so each output element keeps L partial results in one vector register while the
 * reduction walks its input in vectors, then folds them; the output elements (fused with
 * what follows them) run in parallel:
 *
 *   out[r] = g(R[r]), R[r] = sum_k f(x[r, k])
 *     ->  for r in parallel: P[0:L] = 0; for ko: P[0:L] += f(x[r, ko*L : ko*L+L]);
 *                            R = sum(P); out[r] = g(R)
 *
 * A symbolic innermost extent is split by the full vector width all the same (the split's
 * guard is likely(), so LoopPartition peels a guarded scalar tail). Anything else (several
 * reductions or outputs, an argmax-like reduction, a symbolic outer reduction axis, a
 * consumer that is not elementwise) takes generic::schedule_reduce. Python's
 * tvm.topi.x86.schedule_reduce calls this.
 */
#ifndef TVM_TOPI_X86_REDUCTION_H_
#define TVM_TOPI_X86_REDUCTION_H_

#include <tvm/target/target.h>
#include <tvm/te/schedule.h>

namespace tvm {
namespace topi {
namespace x86 {

/*! \brief Schedule `outs` around their one reduction (see the file comment); lanes from `target`. */
TVM_DLL te::Schedule schedule_reduce(const Target& target, const Array<te::Tensor>& outs);

}  // namespace x86
}  // namespace topi
}  // namespace tvm
#endif  // TVM_TOPI_X86_REDUCTION_H_
