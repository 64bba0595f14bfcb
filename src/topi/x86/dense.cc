/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/topi/x86/dense.cc
 * \brief dense_nopack and its schedule (tvm/topi/x86/dense.h), and their Python
 *  bindings topi.x86.dense_nopack / topi.x86.schedule_dense_nopack, which
 *  tvm.topi.x86.dense_nopack / schedule_dense_nopack call.
 */
#include <tvm/arith/analyzer.h>
#include <tvm/ir/repr_printer.h>
#include <tvm/ir/structural_equal.h>
#include <tvm/runtime/registry.h>
#include <tvm/te/operation.h>
#include <tvm/tir/op.h>
#include <tvm/topi/tags.h>
#include <tvm/topi/x86/dense.h>
#include <tvm/topi/x86/injective.h>
#include <tvm/topi/x86/utils.h>

#include <string>
#include <unordered_set>
#include <vector>

#include "../conv2d_nchwc_common.h"
#include "schedule_common.h"

namespace tvm {
namespace topi {
namespace x86 {

namespace {

using te::Operation;
using te::Tensor;
using tir::IterVar;
using tir::Var;

constexpr const char* kDenseNopackTag = "dense_nopack";

// An extent as the Python schedules read shapes: a constant as a plain (int32 when it fits)
// integer, a variable as it is, another expression simplified.
PrimExpr ReadExtent(const PrimExpr& d) {
  if (auto v = ConstExtent(d)) return PrimExpr(*v);
  if (d.as<tir::VarNode>() || d.as<tir::AnyNode>()) return d;
  arith::Analyzer analyzer;
  return analyzer.Simplify(d);
}

bool SameExtents(const Array<PrimExpr>& a, const Array<PrimExpr>& b) {
  if (a.size() != b.size()) return false;
  for (size_t k = 0; k < a.size(); ++k) {
    auto x = ConstExtent(a[k]), y = ConstExtent(b[k]);
    if (x && y ? *x != *y : !StructuralEqual()(ReadExtent(a[k]), ReadExtent(b[k]))) return false;
  }
  return true;
}

// An output of another shape than the dense: its loops fused and parallel, the innermost axis
// in vectors when the vector width divides it.
void ScheduleInjectiveStage(te::Schedule s, const Operation& op, const Target& target) {
  const auto* c = op.as<te::ComputeOpNode>();
  if (c == nullptr || c->axis.empty()) return;
  Array<IterVar> axes = c->axis;
  te::Stage stage = s[op];
  int lanes = GetSimd32BitLanes(target);
  const auto* extent = axes[axes.size() - 1]->dom->extent.as<IntImmNode>();
  if (extent != nullptr && extent->value % lanes == 0) {
    IterVar outer, inner;
    stage.split(axes[axes.size() - 1], lanes, &outer, &inner);
    stage.vectorize(inner);
    axes.Set(axes.size() - 1, outer);
  }
  IterVar fused = axes[0];
  if (axes.size() > 1) stage.fuse(axes, &fused);
  stage.parallel(fused);
}

}  // namespace

Tensor dense_nopack(const Tensor& data, const Tensor& weight, const std::optional<Tensor>& bias, DataType out_dtype,
                    const Target& target_in) {
  Target target = target_in.defined() ? target_in : Target::Current(true);
  TVM_CHECK(weight->shape.size() == 2, "ValueError")
      << "dense_nopack: weight must be 2-d, got shape " << weight->shape;
  TVM_CHECK(data->shape.size() >= 2, "ValueError")
      << "dense_nopack: data must have at least 2 dimensions, got shape " << data->shape;
  std::vector<PrimExpr> shape;
  for (const PrimExpr& d : data->shape) shape.push_back(ReadExtent(d));
  auto depth = ConstExtent(data->shape[data->shape.size() - 1]);
  auto cols = ConstExtent(weight->shape[0]);
  auto wdepth = ConstExtent(weight->shape[1]);
  TVM_CHECK(depth && cols && wdepth, "ValueError")
      << "dense_nopack: the reduction length and the weight must be static, got data " << data->shape
      << " and weight " << weight->shape;
  TVM_CHECK(*wdepth == *depth, "ValueError") << "dense_nopack: data " << data->shape << " and weight "
                                             << weight->shape << " disagree on the reduction length";
  DataType dtype = out_dtype.is_void() ? data->dtype : out_dtype;
  int lanes = GetSimd32BitLanes(target);
  // Each lane l sums k = ko*width + l: no tail when the width divides K.
  int64_t width = 1;
  for (int64_t w : {static_cast<int64_t>(lanes), static_cast<int64_t>(lanes / 2), static_cast<int64_t>(lanes / 4),
                    int64_t{2}, int64_t{1}}) {
    if (w >= 1 && *depth % w == 0) {
      width = w;
      break;
    }
  }
  IterVar ko = nchwc::ReduceAxis(PrimExpr(*depth / width), "ko");
  Array<PrimExpr> lanes_shape(shape.begin(), shape.end() - 1);
  lanes_shape.push_back(PrimExpr(*cols));
  lanes_shape.push_back(PrimExpr(width));
  PrimExpr w = PrimExpr(width);
  Tensor partial = nchwc::PyCompute(
      lanes_shape,
      [&](const Array<PrimExpr>& idx) {
        size_t n = idx.size();
        Array<PrimExpr> di(idx.begin(), idx.end() - 2);
        di.push_back(ko->var * w + idx[n - 1]);
        PrimExpr k = ko->var * w + idx[n - 1];
        return te::sum(cast(dtype, data(di)) * cast(dtype, weight(Array<PrimExpr>{idx[n - 2], k})), {ko});
      },
      "T_dense_nopack_lanes", "dense_nopack_lanes");
  IterVar lane = nchwc::ReduceAxis(PrimExpr(width), "lane");
  Array<PrimExpr> out_shape(shape.begin(), shape.end() - 1);
  out_shape.push_back(PrimExpr(*cols));
  Tensor out = nchwc::PyCompute(
      out_shape,
      [&](const Array<PrimExpr>& idx) {
        Array<PrimExpr> pi(idx.begin(), idx.end());
        pi.push_back(lane->var);
        return te::sum(partial(pi), {lane});
      },
      "T_dense_nopack", kDenseNopackTag);
  if (!bias) return out;
  Tensor b = *bias;
  return nchwc::PyCompute(
      out->shape,
      [&](const Array<PrimExpr>& idx) {
        return out(Array<PrimExpr>(idx.begin(), idx.end())) + cast(out->dtype, b(Array<PrimExpr>{idx[idx.size() - 1]}));
      },
      "T_add_bias", kBroadcast);
}

te::Schedule schedule_dense_nopack(const Target& target_in, const Array<Tensor>& outs) {
  Target target = target_in.defined() ? target_in : Target::Current(true);
  Array<Operation> out_ops;
  std::unordered_set<const Object*> outputs;
  for (const Tensor& t : outs) {
    out_ops.push_back(t.op());
    outputs.insert(t.op().get());
  }
  te::Schedule s = te::create_schedule(out_ops);
  Operation dense_op = FindTaggedOp(outs, kDenseNopackTag);
  Operation partial_op = dense_op->InputTensors()[0].op();
  // Inline the injective stages between the dense and the outputs (bias, activations).
  std::vector<Operation> stack(out_ops.begin(), out_ops.end());
  std::unordered_set<const Object*> seen;
  while (!stack.empty()) {
    Operation op = stack.back();
    stack.pop_back();
    const auto* c = op.as<te::ComputeOpNode>();
    if (c == nullptr || !seen.insert(op.get()).second) continue;
    if (!outputs.count(op.get()) && !op.same_as(dense_op) && !op.same_as(partial_op) && is_injective(c->tag)) {
      s[op].compute_inline();
    }
    for (const Tensor& t : c->InputTensors()) stack.push_back(t.op());
  }
  Operation first = outs[0].op();
  // An epilogue of another shape, or several outputs: scheduled on their own.
  if (!first.same_as(dense_op) && (outs.size() > 1 || !SameExtents(outs[0]->shape, dense_op.output(0)->shape))) {
    first = dense_op;
  }
  const auto* first_op = first.as<te::ComputeOpNode>();
  Array<IterVar> axes = first_op->axis;
  size_t n = axes.size();
  auto cols = ConstExtent(axes[n - 1]->dom->extent);
  TVM_CHECK(cols.has_value(), "ValueError") << "schedule_dense_nopack: the columns must be static, got "
                                            << axes[n - 1]->dom->extent;
  int block = 1;
  for (int b : {8, 7, 6, 5, 4, 3, 2, 1}) {
    if (*cols % b == 0) {
      block = b;
      break;
    }
  }
  te::Stage stage = s[first];
  IterVar jo, ji;
  stage.split(axes[n - 1], block, &jo, &ji);
  Array<IterVar> order(axes.begin(), axes.end() - 2);
  order.push_back(jo);
  order.push_back(axes[n - 2]);
  order.push_back(ji);
  stage.reorder(order);
  IterVar par = jo;
  if (n > 2) {
    Array<IterVar> fuse(axes.begin(), axes.end() - 2);
    fuse.push_back(jo);
    stage.fuse(fuse, &par);
  }
  stage.parallel(par);
  IterVar row = axes[n - 2];
  if (!first.same_as(dense_op)) {
    s[dense_op].set_scope("local");
    s[dense_op].compute_at(stage, row);
  }
  te::Stage partial = s[partial_op];
  partial.set_scope("local");
  partial.compute_at(first.same_as(dense_op) ? s[dense_op] : stage, row);
  const auto* p = partial_op.as<te::ComputeOpNode>();
  Array<IterVar> p_axes = p->axis;
  size_t pn = p_axes.size();
  Array<IterVar> p_order(p_axes.begin(), p_axes.end() - 2);
  p_order.push_back(p->reduce_axis[0]);
  p_order.push_back(p_axes[pn - 2]);
  p_order.push_back(p_axes[pn - 1]);
  partial.reorder(p_order);
  partial.unroll(p_axes[pn - 2]);
  partial.vectorize(p_axes[pn - 1]);
  for (const Tensor& t : outs) {
    if (!t.op().same_as(first)) ScheduleInjectiveStage(s, t.op(), target);
  }
  return s;
}

namespace {

Array<Tensor> AsTensors(const ObjectRef& outs) {
  if (const auto* t = outs.as<te::TensorNode>()) return {GetRef<Tensor>(t)};
  return Downcast<Array<Tensor>>(outs);
}

}  // namespace

TVM_REGISTER_GLOBAL("topi.x86.dense_nopack")
    .set_body_typed([](Tensor data, Tensor weight, std::optional<Tensor> bias, std::optional<DataType> out_dtype,
                       std::optional<Target> target) {
      return dense_nopack(data, weight, bias, out_dtype.value_or(DataType()), target.value_or(Target()));
    });
TVM_REGISTER_GLOBAL("topi.x86.schedule_dense_nopack").set_body_typed([](std::optional<Target> target, ObjectRef outs) {
  return schedule_dense_nopack(target.value_or(Target()), AsTensors(outs));
});

}  // namespace x86
}  // namespace topi
}  // namespace tvm
