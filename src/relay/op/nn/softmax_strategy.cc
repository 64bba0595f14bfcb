/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file softmax_strategy.cc
 * \brief nn.softmax's compute, schedule and strategy registered from C++ (a
 *  classifier's last operator), so a program with no Python interpreter can compile it.
 *
 * Registered at plevel 5, below Python's (10), like nn.dense's: a Python process keeps
 * relay.op.strategy's softmax strategy, a C++-only process gets this one, which offers
 * the same implementations: softmax.generic (topi::nn::softmax, the default nn
 * schedule) at plevel 10 and, on "cpu" targets when topi::x86::softmax_supports the
 * call (float32, static shape, the last axis) and the result keeps the input's dtype,
 * softmax.x86 at plevel 15.
 */
#include <tvm/relay/attrs/nn.h>
#include <tvm/relay/op_strategy.h>
#include <tvm/runtime/registry.h>
#include <tvm/topi/nn/default_schedule.h>
#include <tvm/topi/nn/softmax.h>
#include <tvm/topi/x86/softmax.h>

namespace tvm {
namespace relay {

namespace {

using te::Tensor;

// Below the Python registrations, which win where they exist.
constexpr int kCppPlevel = 5;

Array<Tensor> SoftmaxCompute(const Attrs& attrs, const Array<Tensor>& in, const Type&) {
  return {topi::nn::softmax(in[0], attrs.as<SoftmaxAttrs>()->axis)};
}

te::Schedule NNDefaultSchedule(const Attrs&, const Array<Tensor>& outs, const Target&) {
  return topi::nn::default_schedule(outs);
}

Array<Tensor> SoftmaxX86Compute(const Attrs& attrs, const Array<Tensor>& in, const Type&) {
  return {topi::x86::softmax(in[0], attrs.as<SoftmaxAttrs>()->axis, Target::Current(true))};
}

te::Schedule SoftmaxX86Schedule(const Attrs&, const Array<Tensor>& outs, const Target& target) {
  return topi::x86::schedule_softmax(target, outs);
}

OpStrategy SoftmaxStrategy(const Attrs& attrs, const Array<Tensor>& inputs, const Type& out_type,
                           const Target& target) {
  OpStrategy strategy;
  strategy.AddImplementation(SoftmaxCompute, NNDefaultSchedule, "softmax.generic", 10);
  if (!target.defined() || !target->HasKey("cpu")) return strategy;
  const Tensor& data = inputs[0];
  const auto* tt = out_type.as<TensorTypeNode>();
  if (tt != nullptr && tt->dtype == data->dtype &&
      topi::x86::softmax_supports(data->shape, attrs.as<SoftmaxAttrs>()->axis, data->dtype)) {
    strategy.AddImplementation(SoftmaxX86Compute, SoftmaxX86Schedule, "softmax.x86", 15);
  }
  return strategy;
}

}  // namespace

// The C++ strategy by name, so a Python process (whose own strategy wins) can compare the two.
TVM_REGISTER_GLOBAL("relay.op.strategy.softmax_cpp").set_body_typed(SoftmaxStrategy);

namespace {

[[maybe_unused]] const bool registered = [] {
  OpRegEntry::RegisterOrGet("nn.softmax")
      .set_attr<FTVMCompute>("FTVMCompute", SoftmaxCompute, kCppPlevel)
      .set_attr<FTVMSchedule>("FTVMSchedule", NNDefaultSchedule, kCppPlevel)
      .set_attr<FTVMStrategy>("FTVMStrategy", SoftmaxStrategy, kCppPlevel);
  return true;
}();

}  // namespace

}  // namespace relay
}  // namespace tvm
