/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/topi/x86/reduction.cc
 * \brief x86::schedule_reduce (tvm/topi/x86/reduction.h) and its Python binding
 *  topi.x86.schedule_reduce.
 */
#include <tvm/arith/analyzer.h>
#include <tvm/runtime/registry.h>
#include <tvm/te/operation.h>
#include <tvm/topi/generic/injective.h>
#include <tvm/topi/tags.h>
#include <tvm/topi/x86/reduction.h>
#include <tvm/topi/x86/utils.h>

#include <algorithm>
#include <string>
#include <unordered_set>
#include <vector>

#include "schedule_common.h"

namespace tvm {
namespace topi {
namespace x86 {

namespace {

using te::Operation;
using te::Tensor;
using tir::IterVar;

// Lanes of `dtype` in a vector of `target`, its width read from the digits of its name as the
// Python schedule read it (bool, with none, counts as 32 bits).
int64_t FullLanes(DataType dtype, const Target& target) {
  std::string digits;
  for (char c : runtime::DLDataType2String(dtype)) {
    if (c >= '0' && c <= '9') digits.push_back(c);
  }
  int64_t bits = digits.empty() ? 32 : std::stoll(digits);
  if (bits == 0) bits = 32;
  return std::max<int64_t>(1, GetSimd32BitLanes(target) * 32 / bits);
}

int64_t LanesDividing(int64_t extent, DataType dtype, const Target& target) {
  int64_t lanes = FullLanes(dtype, target);
  while (lanes > 1 && extent % lanes != 0) lanes /= 2;
  return lanes;
}

// The one reduction among the producers of outs (undefined when there are several, or a
// multi-output / argmax-like one), and every compute op among them in the order found.
Operation SingleReduction(const Array<Tensor>& outs, std::vector<Operation>* ops) {
  std::vector<Operation> found, stack;
  for (const Tensor& t : outs) stack.push_back(t.op());
  std::unordered_set<const Object*> seen;
  while (!stack.empty()) {
    Operation op = stack.back();
    stack.pop_back();
    const auto* c = op.as<te::ComputeOpNode>();
    if (c == nullptr || !seen.insert(op.get()).second) continue;
    ops->push_back(op);
    if (!c->reduce_axis.empty()) found.push_back(op);
    for (const Tensor& t : c->InputTensors()) stack.push_back(t.op());
  }
  if (found.size() != 1 || found[0]->num_outputs() != 1 || found[0].as<te::ComputeOpNode>()->tag == kCommReduceIdx) {
    return Operation();
  }
  return found[0];
}

}  // namespace

te::Schedule schedule_reduce(const Target& target_in, const Array<Tensor>& outs) {
  Target target = target_in.defined() ? target_in : Target::Current(true);
  std::vector<Operation> ops;
  Operation reduce_op = SingleReduction(outs, &ops);
  if (!reduce_op.defined() || outs.size() != 1) return generic::schedule_reduce(target, outs);
  const auto* reduce = reduce_op.as<te::ComputeOpNode>();
  IterVar k_last = reduce->reduce_axis[reduce->reduce_axis.size() - 1];
  const auto* k_extent = k_last->dom->extent.as<IntImmNode>();
  for (size_t i = 0; i + 1 < reduce->reduce_axis.size(); ++i) {
    // a dynamic (relay.Any()) extent of an outer reduction axis
    if (!reduce->reduce_axis[i]->dom->extent.as<IntImmNode>()) return generic::schedule_reduce(target, outs);
  }
  DataType dtype = reduce_op.output(0)->dtype;
  if (k_extent == nullptr) {
    // A symbolic extent known to stay below two vectors (e.g. min(n, 7)) stays scalar.
    arith::Analyzer analyzer;
    if (analyzer.CanProve(k_last->dom->extent < static_cast<int>(2 * FullLanes(dtype, target)))) {
      return generic::schedule_reduce(target, outs);
    }
  }
  Operation out = outs[0].op();
  Array<PrimExpr> reduced_shape = reduce_op.output(0)->shape;
  if (!out.same_as(reduce_op) && !ElementwiseFrom(out, reduce_op, &reduced_shape)) {
    return generic::schedule_reduce(target, outs);
  }
  int64_t lanes, extent;
  if (k_extent == nullptr) {
    // Full vectors whether or not they divide the extent; LoopPartition keeps the whole ones
    // unguarded and peels the last, partial one into a guarded scalar tail.
    lanes = FullLanes(dtype, target);
    extent = 2 * lanes;
  } else {
    extent = k_extent->value;
    lanes = LanesDividing(extent, dtype, target);
  }
  te::Schedule s = te::create_schedule({out});
  for (const Operation& op : ops) {
    if (!op.same_as(out) && !op.same_as(reduce_op) && is_injective(op.as<te::ComputeOpNode>()->tag)) {
      s[op].compute_inline();
    }
  }
  Tensor factored;
  if (lanes > 1 && extent >= 2 * lanes) {
    IterVar outer, inner;
    s[reduce_op].split(k_last, static_cast<int>(lanes), &outer, &inner);
    factored = s.rfactor(reduce_op.output(0), inner)[0];
  }
  // The stage's op, which rfactor replaced when the reduction is the output.
  Array<IterVar> axes = s[out]->op.as<te::ComputeOpNode>()->axis;
  IterVar row;
  if (!axes.empty()) {
    row = axes[0];
    if (axes.size() > 1) s[out].fuse(axes, &row);
    s[out].parallel(row);
  }
  if (!out.same_as(reduce_op) && row.defined()) {
    s[reduce_op].compute_at(s[out], row);
    s[reduce_op].set_scope("local");
  }
  if (factored.defined()) {
    te::Stage stage = s[factored.op()];
    if (row.defined()) stage.compute_at(s[out], row);
    const auto* f = stage->op.as<te::ComputeOpNode>();
    IterVar lane = f->axis[0];
    Array<IterVar> order = f->reduce_axis;
    order.push_back(lane);
    stage.reorder(order);
    stage.vectorize(lane);
    stage.set_scope("local");
  }
  return s;
}

namespace {

Array<Tensor> AsTensors(const ObjectRef& outs) {
  if (const auto* t = outs.as<te::TensorNode>()) return {GetRef<Tensor>(t)};
  return Downcast<Array<Tensor>>(outs);
}

}  // namespace

TVM_REGISTER_GLOBAL("topi.x86.schedule_reduce").set_body_typed([](std::optional<Target> target, ObjectRef outs) {
  return schedule_reduce(target.value_or(Target()), AsTensors(outs));
});

}  // namespace x86
}  // namespace topi
}  // namespace tvm
