/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file dense_strategy.cc
 * \brief nn.dense's compute, schedule and strategy registered from C++, so a program
 *  with no Python interpreter can compile a classifier's dense.
 *
 * All three are registered at plevel 5, below Python's (10): a Python process keeps
 * relay.op.strategy's dense strategy (with the packed GEMM and int8 on "cpu"), a
 * C++-only process gets this one: dense.generic (topi::nn::dense, the default nn
 * schedule) at plevel 10 and, on "cpu" targets for float32 calls with a static weight
 * and reduction length, dense_pack.x86 (the packed GEMM) at plevel 15 and, for at most
 * kDenseNopackMaxRows rows, dense_nopack.x86 at plevel 20 -- the conditions under which
 * Python's strategy picks them too (its int8 dense stays Python's: a call it would take is an
 * error here, not another kernel).
 */
#include <tvm/relay/op_strategy.h>
#include <tvm/runtime/registry.h>
#include <tvm/topi/nn/default_schedule.h>
#include <tvm/topi/nn/dense.h>
#include <tvm/topi/transform.h>
#include <tvm/topi/x86/dense.h>

#include "../op_schedules.h"
#include "x86_int8_python_only.h"

namespace tvm {
namespace relay {

namespace {

using te::Tensor;

// The plevel of these registrations: below the Python ones, which win where they exist.
constexpr int kCppPlevel = 5;

DataType OutDtype(const Type& out_type) {
  const auto* tt = out_type.as<TensorTypeNode>();
  ICHECK(tt != nullptr) << "nn.dense has a tensor result";
  return tt->dtype;
}

// Relay's dense takes any leading dimensions: they are flattened around TOPI's 2-d dense.
Array<Tensor> DenseCompute(const Attrs&, const Array<Tensor>& in, const Type& out_type) {
  const Tensor& data = in[0];
  const Tensor& weight = in[1];
  DataType dtype = OutDtype(out_type);
  if (data->shape.size() == 2) return {topi::nn::dense(data, weight, std::nullopt, dtype)};
  Tensor flat = topi::reshape(data, {PrimExpr(-1), data->shape[data->shape.size() - 1]});
  return {topi::reshape(topi::nn::dense(flat, weight, std::nullopt, dtype), out_type.as<TensorTypeNode>()->shape)};
}

te::Schedule NNDefaultSchedule(const Attrs&, const Array<Tensor>& outs, const Target&) {
  return topi::nn::default_schedule(outs);
}

Array<Tensor> DenseNopackCompute(const Attrs&, const Array<Tensor>& in, const Type& out_type) {
  return {topi::x86::dense_nopack(in[0], in[1], std::nullopt, OutDtype(out_type), Target::Current(true))};
}

te::Schedule DenseNopackSchedule(const Attrs&, const Array<Tensor>& outs, const Target& target) {
  return topi::x86::schedule_dense_nopack(target, outs);
}

Array<Tensor> DensePackCompute(const Attrs&, const Array<Tensor>& in, const Type& out_type) {
  return {topi::x86::dense_pack(in[0], in[1], std::nullopt, OutDtype(out_type), std::nullopt, Target::Current(true))};
}

te::Schedule DensePackSchedule(const Attrs&, const Array<Tensor>& outs, const Target& target) {
  return topi::x86::schedule_dense_pack(target, outs);
}

bool IsStatic(const PrimExpr& d) { return d.as<IntImmNode>() != nullptr; }

OpStrategy DenseStrategy(const Attrs&, const Array<Tensor>& inputs, const Type& out_type, const Target& target) {
  OpStrategy strategy;
  strategy.AddImplementation(DenseCompute, NNDefaultSchedule, "dense.generic", 10);
  if (!target.defined() || !target->HasKey("cpu")) return strategy;
  const Tensor& data = inputs[0];
  const Tensor& weight = inputs[1];
  if (data->shape.size() >= 2 && PythonPicksX86Int8(data, weight, out_type, target)) {
    RefuseX86Int8("nn.dense", "dense_int8.x86");
  }
  DataType f32 = DataType::Float(32);
  if (data->shape.size() < 2 || weight->shape.size() != 2) return strategy;
  if (OutDtype(out_type) != f32 || data->dtype != f32 || weight->dtype != f32) return strategy;
  if (!IsStatic(data->shape[data->shape.size() - 1]) || !IsStatic(weight->shape[0]) || !IsStatic(weight->shape[1])) {
    return strategy;
  }
  strategy.AddImplementation(DensePackCompute, DensePackSchedule, "dense_pack.x86", 15);
  int64_t rows = 1;
  for (size_t k = 0; k + 1 < data->shape.size(); ++k) {
    const auto* imm = data->shape[k].as<IntImmNode>();
    if (imm == nullptr) return strategy;  // symbolic rows: the packed GEMM's case
    rows *= imm->value;
  }
  if (rows <= topi::x86::kDenseNopackMaxRows) {
    strategy.AddImplementation(DenseNopackCompute, DenseNopackSchedule, "dense_nopack.x86", 20);
  }
  return strategy;
}

}  // namespace

// The C++ strategy by name, so a Python process (whose own strategy wins) can compare the two.
TVM_REGISTER_GLOBAL("relay.op.strategy.dense_cpp").set_body_typed(DenseStrategy);

namespace {

[[maybe_unused]] const bool registered = [] {
  OpRegEntry::RegisterOrGet("nn.dense")
      .set_attr<FTVMCompute>("FTVMCompute", DenseCompute, kCppPlevel)
      .set_attr<FTVMSchedule>("FTVMSchedule", NNDefaultSchedule, kCppPlevel)
      .set_attr<FTVMStrategy>("FTVMStrategy", DenseStrategy, kCppPlevel);
  return true;
}();

}  // namespace

}  // namespace relay
}  // namespace tvm
