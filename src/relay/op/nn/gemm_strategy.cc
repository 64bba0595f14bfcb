/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file gemm_strategy.cc
 * \brief The computes, schedules and strategies of nn.batch_matmul and nn.matmul,
 *  registered from C++ so a program with no Python interpreter compiles a transformer's GEMMs.
 *
 * All are registered at plevel 5, below Python's (10), like nn.dense's: a Python process keeps
 * relay.op.strategy's functions (which call the same C++ computes and schedules), a C++-only
 * process gets these, which offer the same implementations under the same conditions:
 *   nn.batch_matmul       batch_matmul.generic (10); batch_matmul.x86 (15) for float32 3-d calls
 *   nn.matmul             matmul.generic (10); matmul_pack.x86 (15) for float32 2-d calls with a
 *                         static reduction length and tensor_b
 * (the int8 implementations stay Python's).
 */
#include <tvm/relay/attrs/nn.h>
#include <tvm/relay/attrs/transform.h>
#include <tvm/relay/expr.h>
#include <tvm/relay/op_strategy.h>
#include <tvm/runtime/registry.h>
#include <tvm/topi/nn/default_schedule.h>
#include <tvm/topi/nn/dense.h>
#include <tvm/topi/x86/batch_matmul.h>
#include <tvm/topi/x86/dense.h>
#include <tvm/topi/x86/gemm.h>
#include <tvm/topi/x86/utils.h>

#include <string>

#include "../type_check.h"

namespace tvm {
namespace relay {

namespace {

using te::Tensor;

constexpr int kCppPlevel = 5;

DataType OutDtype(const Type& out_type) {
  const auto* tt = out_type.as<TensorTypeNode>();
  ICHECK(tt != nullptr) << "a GEMM has a tensor result";
  return tt->dtype;
}

bool IsStatic(const PrimExpr& d) { return d.as<IntImmNode>() != nullptr; }

bool AllStatic(const Array<PrimExpr>& shape) {
  for (const PrimExpr& d : shape) {
    if (!IsStatic(d)) return false;
  }
  return true;
}

bool Float32(const Array<Tensor>& tensors, const Type& out_type) {
  if (OutDtype(out_type) != DataType::Float(32)) return false;
  for (const Tensor& t : tensors) {
    if (t->dtype != DataType::Float(32)) return false;
  }
  return true;
}

te::Schedule NNDefaultSchedule(const Attrs&, const Array<Tensor>& outs, const Target&) {
  return topi::nn::default_schedule(outs);
}

// ---------------------------------------------------------------- nn.batch_matmul

Array<Tensor> BatchMatmulCompute(const Attrs& attrs, const Array<Tensor>& in, const Type& out_type) {
  const auto* a = attrs.as<BatchMatmulAttrs>();
  return {topi::nn::batch_matmul(in[0], in[1], OutDtype(out_type), a->transpose_a, a->transpose_b)};
}

Array<Tensor> BatchMatmulX86Compute(const Attrs& attrs, const Array<Tensor>& in, const Type& out_type) {
  const auto* a = attrs.as<BatchMatmulAttrs>();
  return {topi::x86::batch_matmul(in[0], in[1], OutDtype(out_type), a->transpose_a, a->transpose_b, std::nullopt,
                                  Target::Current(true))};
}

te::Schedule BatchMatmulX86Schedule(const Attrs&, const Array<Tensor>& outs, const Target& target) {
  return topi::x86::schedule_batch_matmul(target, outs);
}

OpStrategy BatchMatmulStrategy(const Attrs&, const Array<Tensor>& inputs, const Type& out_type,
                               const Target& target) {
  OpStrategy strategy;
  strategy.AddImplementation(BatchMatmulCompute, NNDefaultSchedule, "batch_matmul.generic", 10);
  if (!target.defined() || !target->HasKey("cpu")) return strategy;
  if (!Float32(inputs, out_type) || inputs[0]->shape.size() != 3 || inputs[1]->shape.size() != 3) return strategy;
  strategy.AddImplementation(BatchMatmulX86Compute, BatchMatmulX86Schedule, "batch_matmul.x86", 15);
  return strategy;
}

// ---------------------------------------------------------------- nn.matmul

Array<Tensor> MatmulCompute(const Attrs& attrs, const Array<Tensor>& in, const Type& out_type) {
  const auto* a = attrs.as<MatmulAttrs>();
  return {topi::nn::matmul(in[0], in[1], std::nullopt, OutDtype(out_type), a->transpose_a, a->transpose_b)};
}

Array<Tensor> MatmulPackCompute(const Attrs& attrs, const Array<Tensor>& in, const Type& out_type) {
  const auto* a = attrs.as<MatmulAttrs>();
  return {topi::x86::matmul_pack(in[0], in[1], std::nullopt, OutDtype(out_type), a->transpose_a, a->transpose_b,
                                 std::nullopt, Target::Current(true))};
}

te::Schedule MatmulPackSchedule(const Attrs&, const Array<Tensor>& outs, const Target& target) {
  return topi::x86::schedule_matmul_pack(target, outs);
}

OpStrategy MatmulStrategy(const Attrs& attrs, const Array<Tensor>& inputs, const Type& out_type,
                          const Target& target) {
  OpStrategy strategy;
  strategy.AddImplementation(MatmulCompute, NNDefaultSchedule, "matmul.generic", 10);
  if (!target.defined() || !target->HasKey("cpu")) return strategy;
  if (inputs[0]->shape.size() != 2 || inputs[1]->shape.size() != 2 || !Float32(inputs, out_type)) return strategy;
  const PrimExpr& depth = inputs[0]->shape[attrs.as<MatmulAttrs>()->transpose_a ? 0 : 1];
  if (!IsStatic(depth) || !AllStatic(inputs[1]->shape)) return strategy;
  strategy.AddImplementation(MatmulPackCompute, MatmulPackSchedule, "matmul_pack.x86", 15);
  return strategy;
}

}  // namespace

// The C++ strategies by name, so a Python process (whose own strategies win) can compare them.
TVM_REGISTER_GLOBAL("relay.op.strategy.batch_matmul_cpp").set_body_typed(BatchMatmulStrategy);
TVM_REGISTER_GLOBAL("relay.op.strategy.matmul_cpp").set_body_typed(MatmulStrategy);

namespace {

[[maybe_unused]] const bool registered = [] {
  OpRegEntry::RegisterOrGet("nn.batch_matmul")
      .set_attr<FTVMCompute>("FTVMCompute", BatchMatmulCompute, kCppPlevel)
      .set_attr<FTVMSchedule>("FTVMSchedule", NNDefaultSchedule, kCppPlevel)
      .set_attr<FTVMStrategy>("FTVMStrategy", BatchMatmulStrategy, kCppPlevel);
  OpRegEntry::RegisterOrGet("nn.matmul")
      .set_attr<FTVMCompute>("FTVMCompute", MatmulCompute, kCppPlevel)
      .set_attr<FTVMSchedule>("FTVMSchedule", NNDefaultSchedule, kCppPlevel)
      .set_attr<FTVMStrategy>("FTVMStrategy", MatmulStrategy, kCppPlevel);
  return true;
}();

}  // namespace

}  // namespace relay
}  // namespace tvm
