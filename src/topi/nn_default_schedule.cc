/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/topi/nn_default_schedule.cc
 * \brief The default nn schedule (tvm/topi/nn/default_schedule.h) and its Python
 *  binding topi.nn.default_schedule, which tvm.topi.nn.schedules.default_schedule calls.
 */
#include <tvm/arith/analyzer.h>
#include <tvm/runtime/registry.h>
#include <tvm/te/operation.h>
#include <tvm/topi/nn/default_schedule.h>

#include <string>
#include <unordered_set>
#include <vector>

namespace tvm {
namespace topi {
namespace nn {

namespace {

using te::Operation;
using tir::IterVar;

// Lanes of the vectors a symbolic innermost axis is split into (16 float32: one AVX-512
// register, two AVX ones; LLVM legalises wider than the target's).
constexpr int kSymbolicVector = 16;

bool Contains(const std::string& s, const char* part) { return s.find(part) != std::string::npos; }

bool IsInlinable(const Operation& op, const std::unordered_set<const Object*>& outputs) {
  const auto* c = op.as<te::ComputeOpNode>();
  if (c == nullptr || outputs.count(op.get()) || !c->reduce_axis.empty()) return false;
  // Padding stays a stage of its own: inlined, its bounds test sits inside the reduction and
  // keeps the loop scalar; materialised, the reduction reads plain loads and vectorizes.
  const std::string& tag = c->tag;
  for (size_t start = 0;;) {
    size_t comma = tag.find(',', start);
    if (tag.substr(start, comma == std::string::npos ? std::string::npos : comma - start) == "pad") return false;
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return Contains(tag, "injective") || Contains(tag, "elemwise") || Contains(tag, "broadcast");
}

std::optional<int64_t> ConstExtent(const IterVar& iv) {
  if (const auto* imm = iv->dom->extent.as<IntImmNode>()) return imm->value;
  return std::nullopt;
}

void ParallelAndVectorize(te::Stage stage, const te::ComputeOpNode* op) {
  Array<IterVar> axes = op->axis;
  Array<IterVar> reduce_axes = op->reduce_axis;
  bool split_inner = false;
  if (!reduce_axes.empty() && axes.size() >= 2) {
    std::optional<int64_t> extent = ConstExtent(axes[axes.size() - 1]);
    int factor = 0;
    for (int f : {16, 8, 4}) {
      if (extent && *extent % f == 0) {
        factor = f;
        break;
      }
    }
    // Only a factor that divides the extent: a guarded tail would keep the loop scalar.
    if (factor != 0) {
      IterVar outer, inner;
      stage.split(axes[axes.size() - 1], factor, &outer, &inner);
      Array<IterVar> order(axes.begin(), axes.end() - 1);
      order.push_back(outer);
      for (const IterVar& r : reduce_axes) order.push_back(r);
      order.push_back(inner);
      stage.reorder(order);
      stage.vectorize(inner);
      split_inner = true;
    }
  } else if (reduce_axes.empty() && !axes.empty() && !ConstExtent(axes[axes.size() - 1])) {
    // A symbolic innermost extent: vectors along it, the guarded tail peeled off by
    // LoopPartition. Not when it is provably shorter than a vector (min(n, 7)): the split
    // would leave an inner loop of symbolic extent, which cannot be vectorised.
    const PrimExpr& extent = axes[axes.size() - 1]->dom->extent;
    arith::Analyzer analyzer;
    if (!analyzer.CanProve(extent < kSymbolicVector)) {
      IterVar outer, inner;
      stage.split(axes[axes.size() - 1], kSymbolicVector, &outer, &inner);
      stage.vectorize(inner);
      split_inner = true;
      if (axes.size() == 1) {
        stage.parallel(outer);
        return;
      }
    }
  }
  if (axes.size() >= 3 || (axes.size() == 2 && !split_inner)) {
    IterVar fused;
    stage.fuse(Array<IterVar>{axes[0], axes[1]}, &fused);
    stage.parallel(fused);
  } else if (!axes.empty()) {
    stage.parallel(axes[0]);
  }
}

}  // namespace

te::Schedule default_schedule(const Array<te::Tensor>& outs, bool auto_inline) {
  Array<Operation> out_ops;
  std::unordered_set<const Object*> outputs;
  for (const te::Tensor& t : outs) {
    out_ops.push_back(t.op());
    outputs.insert(t.op().get());
  }
  te::Schedule s = te::create_schedule(out_ops);
  // The stages reachable from the outputs, depth first (the order the schedule is applied in).
  std::vector<Operation> stages, stack(out_ops.begin(), out_ops.end());
  std::unordered_set<const Object*> visited;
  while (!stack.empty()) {
    Operation op = stack.back();
    stack.pop_back();
    if (!visited.insert(op.get()).second) continue;
    stages.push_back(op);
    for (const te::Tensor& t : op->InputTensors()) stack.push_back(t.op());
  }
  for (const Operation& op : stages) {
    const auto* c = op.as<te::ComputeOpNode>();
    if (c == nullptr) continue;
    if (auto_inline && IsInlinable(op, outputs)) {
      s[op].compute_inline();
      continue;
    }
    ParallelAndVectorize(s[op], c);
  }
  return s;
}

TVM_REGISTER_GLOBAL("topi.nn.default_schedule").set_body_typed([](ObjectRef outs, bool auto_inline) {
  Array<te::Tensor> tensors;
  if (const auto* t = outs.as<te::TensorNode>()) {
    tensors.push_back(GetRef<te::Tensor>(t));
  } else {
    tensors = Downcast<Array<te::Tensor>>(outs);
  }
  return default_schedule(tensors, auto_inline);
});

}  // namespace nn
}  // namespace topi
}  // namespace tvm
