/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
#include "schedule_common.h"

#include <tvm/ir/structural_equal.h>
#include <tvm/topi/tags.h>

#include <unordered_set>
#include <vector>

namespace tvm {
namespace topi {
namespace x86 {

bool ElementwiseFrom(const te::Operation& final_op, const te::Operation& source_op, const Array<PrimExpr>* shape) {
  if (shape != nullptr) {
    const Array<PrimExpr> final_shape = final_op.output(0)->shape;
    if (final_shape.size() != shape->size()) return false;
    for (size_t i = 0; i < shape->size(); ++i) {
      const auto* a = final_shape[i].as<IntImmNode>();
      const auto* b = (*shape)[i].as<IntImmNode>();
      if (a && b ? a->value != b->value : !StructuralEqual()(final_shape[i], (*shape)[i])) return false;
    }
  }
  std::vector<te::Operation> stack{final_op};
  std::unordered_set<const Object*> seen;
  while (!stack.empty()) {
    te::Operation op = stack.back();
    stack.pop_back();
    if (seen.count(op.get()) || op.same_as(source_op)) continue;
    seen.insert(op.get());
    const auto* c = op.as<te::ComputeOpNode>();
    if (c == nullptr || !is_injective(c->tag)) return false;
    for (const te::Tensor& t : c->InputTensors()) {
      if (t.op().as<te::ComputeOpNode>()) stack.push_back(t.op());
    }
  }
  return true;
}

}  // namespace x86
}  // namespace topi
}  // namespace tvm
