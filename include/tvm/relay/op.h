/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/relay/op.h
 * \brief What a Relay operator registers: its type relation, its fusion
 *  pattern, its compute (a TOPI function returning TE tensors) and schedule.
 *
 *   RELAY_REGISTER_OP("nn.dense")
 *       .describe("y = x * W^T")
 *       .set_num_inputs(2)
 *       .add_argument("data", "Tensor", "the input")
 *       .add_argument("weight", "Tensor", "the weight")
 *       .set_attrs_type<DenseAttrs>()
 *       .set_support_level(1)
 *       .add_type_rel("Dense", DenseRel)
 *       .set_attr<TOpPattern>("TOpPattern", kOutEWiseFusable)
 *       .set_attr<FTVMCompute>("FTVMCompute", DenseCompute);
 *
 * The Python side (python/tvm/relay/op) builds calls through functions
 * registered as "relay.op._make.<name>" and may attach schedules.
 */
#ifndef TVM_RELAY_OP_H_
#define TVM_RELAY_OP_H_

#include <tvm/ir/op.h>
#include <tvm/relay/expr.h>
#include <tvm/relay/function.h>
#include <tvm/target/target.h>
#include <tvm/te/schedule.h>
#include <tvm/te/tensor.h>

namespace tvm {
namespace relay {

/*!
 * \brief How an operator fuses with its neighbours (FuseOps). Lower is more
 *  fusable; the values are TVM's.
 */
enum OpPatternKind : int {
  kElemWise = 0,        // out[i] = f(in[i])
  kBroadcast = 1,       // out[i, j] = f(a[i, j], b[j])
  kInjective = 2,       // each output element reads one input element (reshape, transpose)
  kCommReduce = 3,      // a commutative reduction (sum, max)
  kOutEWiseFusable = 4, // elementwise ops may fuse after it (conv2d, dense)
  kTuple = 7,           // builds a tuple
  kOpaque = 8,          // never fused
};

using TOpPattern = int;
/*! \brief Whether the operator has side effects (never folded or eliminated). */
using TOpIsStateful = bool;
/*! \brief Operators whose result does not depend on the input values (shape_of). */
using TNonComputational = bool;

/*!
 * \brief The compute: the output tensors of a call, from its attributes, its
 *  input tensors (placeholders of the input types) and its output type.
 */
using FTVMCompute = runtime::TypedPackedFunc<Array<te::Tensor>(const Attrs& attrs, const Array<te::Tensor>& inputs,
                                                               const Type& out_type)>;
/*! \brief The schedule of a call's outputs for a target (the generic one by default). */
using FTVMSchedule =
    runtime::TypedPackedFunc<te::Schedule(const Attrs& attrs, const Array<te::Tensor>& outs, const Target& target)>;

/*! \brief Register (or extend) an operator. */
#define RELAY_REGISTER_OP(OpName) TVM_REGISTER_OP(OpName)

}  // namespace relay
}  // namespace tvm
#endif  // TVM_RELAY_OP_H_
