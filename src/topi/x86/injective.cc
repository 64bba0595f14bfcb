/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/topi/x86/injective.cc
 * \brief The x86 injective schedule (tvm/topi/x86/injective.h) and its Python
 *  binding topi.x86.schedule_injective, which tvm.topi.x86.schedule_injective calls.
 */
#include <tvm/arith/analyzer.h>
#include <tvm/runtime/registry.h>
#include <tvm/te/operation.h>
#include <tvm/topi/generic/injective.h>
#include <tvm/topi/tags.h>
#include <tvm/topi/x86/injective.h>
#include <tvm/topi/x86/utils.h>

#include <unordered_set>
#include <vector>

namespace tvm {
namespace topi {
namespace x86 {

namespace {

// Lanes of one vector register for the element type, halved until they divide the innermost
// extent n. The width of an element is the number in its dtype's name, 32 when it has none
// (bool), as the schedules have always read it.
int64_t RowLanes(int64_t n, DataType dtype, const Target& target) {
  std::string name = runtime::DLDataType2String(dtype);
  std::string digits;
  for (char ch : name) {
    if (ch >= '0' && ch <= '9') digits.push_back(ch);
  }
  int64_t bits = digits.empty() ? 32 : std::stoll(digits);
  if (bits == 0) bits = 32;
  int64_t lanes = std::max<int64_t>(1, GetSimd32BitLanes(target) * 32 / bits);
  while (lanes > 1 && n % lanes != 0) lanes /= 2;
  return lanes;
}

}  // namespace

std::optional<int64_t> ConstExtent(const PrimExpr& extent) {
  if (const auto* imm = extent.as<IntImmNode>()) return imm->value;
  if (extent.as<tir::VarNode>() != nullptr || extent.as<tir::AnyNode>() != nullptr) return std::nullopt;
  arith::Analyzer analyzer;
  if (const auto* imm = analyzer.Simplify(extent).as<IntImmNode>()) return imm->value;
  return std::nullopt;
}

te::Schedule schedule_injective(const Target& target_in, const Array<te::Tensor>& outs) {
  Target target = target_in.defined() ? target_in : Target::Current(true);
  auto generic = [&]() { return generic::schedule_injective(target, outs); };
  if (outs.size() != 1) return generic();
  const te::Tensor& out = outs[0];
  const auto* op = out.op().as<te::ComputeOpNode>();
  if (op == nullptr) return generic();
  std::vector<int64_t> shape;
  for (const PrimExpr& d : out->shape) {
    auto extent = ConstExtent(d);
    if (!extent) return generic();
    shape.push_back(*extent);
  }
  if (shape.size() < 2) return generic();
  int64_t rows = 1;
  for (size_t k = 0; k + 1 < shape.size(); ++k) rows *= shape[k];
  int64_t lanes = RowLanes(shape.back(), out->dtype, target);
  if (rows < kInjectiveMinRows || lanes < 4) return generic();
  // Every producer must be an injective compute (inlined) or a placeholder; an extern op's
  // output stays materialised, so the generic schedule takes those.
  std::vector<te::Operation> producers;
  std::vector<te::Operation> stack;
  for (const te::Tensor& t : op->InputTensors()) stack.push_back(t.op());
  std::unordered_set<const Object*> seen;
  while (!stack.empty()) {
    te::Operation p = stack.back();
    stack.pop_back();
    if (!seen.insert(p.get()).second) continue;
    if (const auto* c = p.as<te::ComputeOpNode>()) {
      if (!c->reduce_axis.empty() || !is_injective(c->tag)) return generic();
      producers.push_back(p);
      for (const te::Tensor& t : c->InputTensors()) stack.push_back(t.op());
    } else if (p.as<te::PlaceholderOpNode>() == nullptr) {
      return generic();
    }
  }
  te::Schedule s = te::create_schedule({out.op()});
  for (const te::Operation& p : producers) s[p].compute_inline();
  te::Stage stage = s[out.op()];
  Array<tir::IterVar> axes = op->axis;
  tir::IterVar row = axes[0];
  if (axes.size() > 2) stage.fuse(Array<tir::IterVar>(axes.begin(), axes.end() - 1), &row);
  stage.parallel(row);
  tir::IterVar outer, inner;
  stage.split(axes[axes.size() - 1], static_cast<int>(lanes), &outer, &inner);
  stage.vectorize(inner);
  return s;
}

TVM_REGISTER_GLOBAL("topi.x86.schedule_injective")
    .set_body_typed([](std::optional<Target> target, ObjectRef outs) {
      Array<te::Tensor> tensors;
      if (const auto* t = outs.as<te::TensorNode>()) {
        tensors.push_back(GetRef<te::Tensor>(t));
      } else {
        tensors = Downcast<Array<te::Tensor>>(outs);
      }
      return schedule_injective(target.value_or(Target()), tensors);
    });

}  // namespace x86
}  // namespace topi
}  // namespace tvm
