/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/relay/op/strategy/x86_conv2d_winograd.cc
 * \brief FTVMCompute and FTVMStrategy of the Winograd operators (convolution_winograd.cc):
 *
 *  - nn.contrib_conv2d_winograd_weight_transform: topi::nn's transform, the generic schedule
 *    (FoldConstant runs it once per constant weight);
 *  - nn.contrib_conv2d_winograd_without_weight_transform: NCHW data takes the plain TE of
 *    topi::nn (plevel 10); blocked NCHW<c>c data takes topi::x86's register-tiled one on "cpu"
 *    targets (plevel 15) and the same compute with the generic schedule elsewhere (plevel 10).
 */
#include <tvm/relay/attrs/nn.h>
#include <tvm/relay/op_strategy.h>
#include <tvm/runtime/registry.h>
#include <tvm/support/with.h>
#include <tvm/topi/nn/conv2d_winograd.h>
#include <tvm/topi/nn/default_schedule.h>
#include <tvm/topi/x86/conv2d_winograd.h>
#include <tvm/topi/x86/utils.h>

#include "../type_check.h"

namespace tvm {
namespace relay {
namespace {

using te::Tensor;

Array<Integer> Ints(const Array<PrimExpr>& values) {
  Array<Integer> out;
  for (const PrimExpr& v : values) {
    const auto* imm = v.as<IntImmNode>();
    TVM_CHECK(imm != nullptr, "ValueError") << "nn.contrib_conv2d_winograd_without_weight_transform: padding "
                                            << "must be constant integers, got " << v;
    out.push_back(Integer(imm->value));
  }
  return out;
}

DataType OutDtype(const Type& out_type) { return out_type.as<TensorTypeNode>()->dtype; }

Array<Tensor> WinogradCompute(const Attrs& attrs, const Array<Tensor>& inputs, const Type& out_type) {
  const auto* a = attrs.as<Conv2DWinogradAttrs>();
  if (inputs[0]->shape.size() == 4) {
    return {topi::nn::Conv2DWinogradNCHW(inputs[0], inputs[1], Ints(a->padding), a->tile_size, OutDtype(out_type))};
  }
  return {topi::x86::Conv2DWinogradNCHWc(inputs[0], inputs[1], Ints(a->padding), a->tile_size, OutDtype(out_type))};
}

Array<Tensor> WeightTransformCompute(const Attrs& attrs, const Array<Tensor>& inputs, const Type&) {
  return {topi::nn::Conv2DWinogradWeightTransform(inputs[0], attrs.as<ConvWinogradWeightTransformAttrs>()->tile_size)};
}

te::Schedule GenericSchedule(const Attrs&, const Array<Tensor>& outs, const Target& target) {
  With<Target> scope(target);
  return topi::nn::default_schedule(outs);
}

te::Schedule X86Schedule(const Attrs&, const Array<Tensor>& outs, const Target& target) {
  With<Target> scope(target);
  return topi::x86::ScheduleConv2DWinogradNCHWc(outs);
}

OpStrategy WinogradStrategy(const Attrs& attrs, const Array<Tensor>& inputs, const Type& out_type,
                            const Target& target) {
  OpStrategy strategy;
  const bool blocked = inputs[0]->shape.size() == 5;
  strategy.AddImplementation(WinogradCompute, GenericSchedule,
                             blocked ? "conv2d_winograd_NCHWc.generic" : "conv2d_winograd_nchw.generic", 10);
  if (blocked && topi::x86::IsX86Target(target)) {
    strategy.AddImplementation(WinogradCompute, X86Schedule, "conv2d_winograd_NCHWc.x86", 15);
  }
  return strategy;
}

OpStrategy WeightTransformStrategy(const Attrs&, const Array<Tensor>&, const Type&, const Target&) {
  OpStrategy strategy;
  strategy.AddImplementation(WeightTransformCompute, GenericSchedule, "conv2d_winograd_weight_transform.generic",
                             10);
  return strategy;
}

[[maybe_unused]] const int kRegistered = [] {
  OpRegEntry::RegisterOrGet("nn.contrib_conv2d_winograd_without_weight_transform")
      .set_attr<FTVMCompute>("FTVMCompute", WinogradCompute)
      .set_attr<FTVMSchedule>("FTVMSchedule", GenericSchedule)
      .set_attr<FTVMStrategy>("FTVMStrategy", WinogradStrategy);
  OpRegEntry::RegisterOrGet("nn.contrib_conv2d_winograd_weight_transform")
      .set_attr<FTVMCompute>("FTVMCompute", WeightTransformCompute)
      .set_attr<FTVMSchedule>("FTVMSchedule", GenericSchedule)
      .set_attr<FTVMStrategy>("FTVMStrategy", WeightTransformStrategy);
  return 0;
}();

}  // namespace
}  // namespace relay
}  // namespace tvm
