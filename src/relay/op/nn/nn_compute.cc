/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file nn_compute.cc
 * \brief The computes (FTVMCompute) and schedules (FTVMSchedule: the target's
 *  injective schedule) of the neural-network operators whose compute is one
 *  TOPI call: nn.relu, nn.leaky_relu, nn.bias_add, nn.batch_flatten, nn.pad; and
 *  nn.layer_norm's (with the default nn schedule, as Python registered it).
 *  C++ so a program with no Python interpreter can compile them.
 */
#include <tvm/relay/attrs/nn.h>
#include <tvm/topi/broadcast.h>
#include <tvm/topi/elemwise.h>
#include <tvm/topi/nn.h>
#include <tvm/topi/nn/default_schedule.h>
#include <tvm/topi/nn/normalization.h>
#include <tvm/topi/transform.h>

#include "../op_schedules.h"

namespace tvm {
namespace relay {

namespace {

using te::Tensor;

Array<Tensor> BiasAdd(const Attrs& attrs, const Array<Tensor>& in, const Type&) {
  Tensor data = in[0], bias = in[1];
  int ndim = static_cast<int>(data->shape.size());
  int axis = ndim == 0 ? 0 : ((attrs.as<BiasAddAttrs>()->axis % ndim) + ndim) % ndim;
  // Align the bias with `axis` by giving it the trailing dimensions.
  if (axis < ndim - 1) bias = topi::expand_dims(bias, 1, ndim - axis - 1);
  return {topi::add(data, bias)};
}

Array<Tensor> Pad(const Attrs& attrs, const Array<Tensor>& in, const Type&) {
  const auto* p = attrs.as<PadAttrs>();
  Array<PrimExpr> before, after;
  for (const Array<Integer>& w : p->pad_width) {
    before.push_back(PrimExpr(static_cast<int64_t>(w[0]->value)));
    after.push_back(PrimExpr(static_cast<int64_t>(w[1]->value)));
  }
  // The pad value is a scalar tensor argument: its one element.
  return {topi::pad(in[0], before, after, in[1](Array<PrimExpr>{}), "PadInput", "injective,pad", p->pad_mode)};
}

// layer_norm over one axis; gamma / beta left out (scale / center false) become ones / none.
Array<Tensor> LayerNorm(const Attrs& attrs, const Array<Tensor>& in, const Type&) {
  const auto* p = attrs.as<LayerNormAttrs>();
  int ndim = static_cast<int>(in[0]->shape.size());
  int axis = ((p->axis % ndim) + ndim) % ndim;
  Tensor gamma = p->scale ? in[1] : topi::full_like(in[1], PrimExpr(1.0));
  std::optional<Tensor> beta;
  if (p->center) beta = in[2];
  return {topi::nn::layer_norm(in[0], gamma, beta, {Integer(axis)}, p->epsilon)};
}

te::Schedule NNDefaultSchedule(const Attrs&, const Array<Tensor>& outs, const Target&) {
  return topi::nn::default_schedule(outs);
}

void Set(const char* name, FTVMCompute compute) {
  OpRegEntry::RegisterOrGet(name)
      .set_attr<FTVMCompute>("FTVMCompute", compute)
      .set_attr<FTVMSchedule>("FTVMSchedule", ScheduleInjective);
}

[[maybe_unused]] const bool registered = [] {
  Set("nn.relu", [](const Attrs&, const Array<Tensor>& in, const Type&) { return Array<Tensor>{topi::relu(in[0])}; });
  Set("nn.leaky_relu", [](const Attrs& attrs, const Array<Tensor>& in, const Type&) {
    return Array<Tensor>{topi::leaky_relu(in[0], attrs.as<LeakyReluAttrs>()->alpha)};
  });
  Set("nn.bias_add", BiasAdd);
  Set("nn.batch_flatten", [](const Attrs&, const Array<Tensor>& in, const Type&) {
    return Array<Tensor>{topi::nn::flatten(in[0])};
  });
  Set("nn.pad", Pad);
  // Where SimplifyInference has not expanded it into mean, variance and elementwise ops.
  OpRegEntry::RegisterOrGet("nn.layer_norm")
      .set_attr<FTVMCompute>("FTVMCompute", LayerNorm)
      .set_attr<FTVMSchedule>("FTVMSchedule", NNDefaultSchedule);
  return true;
}();

}  // namespace

}  // namespace relay
}  // namespace tvm
