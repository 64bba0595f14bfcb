/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/topi/x86/pooling.h
 * \brief The x86 schedule of windowed max/avg pooling in blocked NCHW[x]c layouts.
 *
 * The channels of a block are innermost, so each window step is one vector
 * operation over the block: parallel tasks of (batch, channel block, row group),
 * each padding the input rows it reads (cache-local) and reducing each output
 * pixel's window, unrolled, in a vector register before storing it (divided, for
 * averages). Other layouts, symbolic extents and fused outputs take
 * topi::nn::default_schedule.
 */
#ifndef TVM_TOPI_X86_POOLING_H_
#define TVM_TOPI_X86_POOLING_H_

#include <tvm/target/target.h>
#include <tvm/te/schedule.h>

#include <string>

namespace tvm {
namespace topi {
namespace x86 {

/*! \brief Schedule a pool2d's `outs` of `layout` for the x86 `target` (the current one when undefined). */
TVM_DLL te::Schedule schedule_pool(const Target& target, const Array<te::Tensor>& outs, const std::string& layout);

}  // namespace x86
}  // namespace topi
}  // namespace tvm
#endif  // TVM_TOPI_X86_POOLING_H_
