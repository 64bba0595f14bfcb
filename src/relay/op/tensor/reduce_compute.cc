/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file reduce_compute.cc
 * \brief The computes (FTVMCompute) and schedules (FTVMSchedule: the target's reduction
 *  schedule) of the reductions: sum, max, min, prod, all, any, argmax, argmin, mean,
 *  variance and collapse_sum_like, so a program with no Python interpreter compiles them
 *  (layer_norm becomes mean and variance in SimplifyInference).
 *
 * Relay's axis / exclude / keepdims become the explicit, non-negative axis list TOPI takes
 * (no axis, or an empty list: every axis, whatever exclude says). float16 data is summed in
 * float32 (mean, variance) and narrowed back; mean divides the sum by the count of reduced
 * elements, variance the sum of squared deviations by it (less one when unbiased).
 */
#include <tvm/relay/attrs/reduce.h>
#include <tvm/relay/op_strategy.h>
#include <tvm/tir/op.h>
#include <tvm/topi/broadcast.h>
#include <tvm/topi/elemwise.h>
#include <tvm/topi/reduction.h>

#include <set>
#include <vector>

#include "../op_schedules.h"

namespace tvm {
namespace relay {

namespace {

using te::Tensor;

// The reduced axes of a rank-ndim tensor, ascending.
std::vector<int> ReduceAxes(const Array<Integer>& axis, bool exclude, int ndim) {
  std::vector<int> axes;
  if (!axis.defined() || axis.empty()) {
    for (int i = 0; i < ndim; ++i) axes.push_back(i);
    return axes;
  }
  if (ndim == 0) return axes;
  std::set<int> listed;
  for (const Integer& a : axis) listed.insert(static_cast<int>(((a->value % ndim) + ndim) % ndim));
  for (int i = 0; i < ndim; ++i) {
    if (listed.count(i) != static_cast<size_t>(exclude ? 0 : 1)) continue;
    axes.push_back(i);
  }
  return axes;
}

Array<Integer> AsArray(const std::vector<int>& axes) {
  Array<Integer> out;
  for (int a : axes) out.push_back(Integer(a));
  return out;
}

// float16 sums lose the small terms long before a large reduction ends: summed in float32.
Tensor Accumulate(const Tensor& t) {
  return t->dtype == DataType::Float(16) ? topi::cast(t, DataType::Float(32)) : t;
}

Tensor Narrow(const Tensor& t, DataType dtype) { return t->dtype == dtype ? t : topi::cast(t, dtype); }

// The number of elements reduced: the product of the reduced extents.
PrimExpr Count(const Tensor& data, const std::vector<int>& axes) {
  PrimExpr count = 1;
  for (int a : axes) count = count * data->shape[a];
  return count;
}

using TopiReduce = Tensor (*)(const Tensor&, const topi::ReduceAxes&, bool, bool, bool);

FTVMCompute Simple(TopiReduce reduce) {
  return [reduce](const Attrs& attrs, const Array<Tensor>& in, const Type&) -> Array<Tensor> {
    const auto* p = attrs.as<ReduceAttrs>();
    std::vector<int> axes = ReduceAxes(p->axis, p->exclude, static_cast<int>(in[0]->shape.size()));
    if (axes.empty()) return {topi::identity(in[0])};
    return {reduce(in[0], AsArray(axes), p->keepdims, false, false)};
  };
}

using TopiArgReduce = Tensor (*)(const Tensor&, const topi::ReduceAxes&, bool, bool, bool, bool);

FTVMCompute Arg(TopiArgReduce reduce) {
  return [reduce](const Attrs& attrs, const Array<Tensor>& in, const Type& out_type) -> Array<Tensor> {
    const auto* p = attrs.as<ArgReduceAttrs>();
    std::vector<int> axes = ReduceAxes(p->axis, p->exclude, static_cast<int>(in[0]->shape.size()));
    Tensor out = reduce(in[0], AsArray(axes), p->keepdims, false, p->select_last_index, false);
    return {Narrow(out, out_type.as<TensorTypeNode>()->dtype)};
  };
}

Array<Tensor> Mean(const Attrs& attrs, const Array<Tensor>& in, const Type&) {
  const auto* p = attrs.as<ReduceAttrs>();
  const Tensor& data = in[0];
  std::vector<int> axes = ReduceAxes(p->axis, p->exclude, static_cast<int>(data->shape.size()));
  if (axes.empty()) return {topi::identity(data)};
  Tensor wide = Accumulate(data);
  Tensor total = topi::sum(wide, AsArray(axes), p->keepdims);
  return {Narrow(topi::divide(total, tir::Cast(wide->dtype, Count(data, axes))), data->dtype)};
}

Array<Tensor> Variance(const Attrs& attrs, const Array<Tensor>& in, const Type&) {
  const auto* p = attrs.as<VarianceAttrs>();
  const Tensor& data = in[0];
  std::vector<int> axes = ReduceAxes(p->axis, p->exclude, static_cast<int>(data->shape.size()));
  Tensor diff = topi::subtract(Accumulate(data), Accumulate(in[1]));
  PrimExpr count = Count(data, axes);
  if (p->unbiased) count = count - 1;
  Tensor total = topi::sum(topi::multiply(diff, diff), AsArray(axes), p->keepdims);
  return {Narrow(topi::divide(total, tir::Cast(diff->dtype, count)), data->dtype)};
}

Array<Tensor> CollapseSumLike(const Attrs&, const Array<Tensor>& in, const Type& out_type) {
  return {topi::collapse_sum(in[0], out_type.as<TensorTypeNode>()->shape)};
}

void Set(const char* name, FTVMCompute compute) {
  OpRegEntry::RegisterOrGet(name)
      .set_attr<FTVMCompute>("FTVMCompute", compute)
      .set_attr<FTVMSchedule>("FTVMSchedule", ScheduleReduce);
}

[[maybe_unused]] const bool registered = [] {
  Set("sum", Simple(topi::sum));
  Set("max", Simple(topi::max));
  Set("min", Simple(topi::min));
  Set("prod", Simple(topi::prod));
  Set("all", Simple(topi::all));
  Set("any", Simple(topi::any));
  Set("argmax", Arg(topi::argmax));
  Set("argmin", Arg(topi::argmin));
  Set("mean", Mean);
  Set("variance", Variance);
  Set("collapse_sum_like", CollapseSumLike);
  return true;
}();

}  // namespace

}  // namespace relay
}  // namespace tvm
