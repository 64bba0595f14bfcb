/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
#include "schedule_common.h"

#include <tvm/ir/repr_printer.h>
#include <tvm/ir/structural_equal.h>
#include <tvm/topi/tags.h>

#include <algorithm>
#include <string>
#include <unordered_set>
#include <utility>
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

te::Operation FindTaggedOp(const Array<te::Tensor>& outs, const std::string& tag) {
  std::vector<te::Operation> stack;
  for (const te::Tensor& t : outs) stack.push_back(t.op());
  std::unordered_set<const Object*> seen;
  while (!stack.empty()) {
    te::Operation op = stack.back();
    stack.pop_back();
    if (!seen.insert(op.get()).second) continue;
    if (const auto* c = op.as<te::ComputeOpNode>()) {
      if (c->tag == tag) return op;
    }
    for (const te::Tensor& t : op->InputTensors()) stack.push_back(t.op());
  }
  TVM_CHECK(false, "ValueError") << "schedule: no operation tagged '" << tag << "' among the producers of "
                                 << outs;
  return te::Operation();
}

std::pair<int64_t, int64_t> WidthTile(int64_t extent, int64_t accumulators_per_row, int64_t budget) {
  // Positive operands only: plain integer division is floor division here.
  const int64_t limit = std::max<int64_t>(1, budget / accumulators_per_row);
  const int64_t top = std::min(limit, extent);
  int64_t tile = 1;
  for (int64_t d = 1; d <= top; ++d) {
    if (extent % d == 0) tile = d;
  }
  auto padded = [extent](int64_t t) { return (extent + t - 1) / t * t; };
  if (tile < top / 2) {
    // The tile wasting the fewest padded rows, the wider among equals.
    int64_t best = -1, best_waste = 0;
    for (int64_t t = std::max<int64_t>(1, top / 2); t <= top; ++t) {
      const int64_t waste = padded(t) - extent;
      if (best < 0 || waste < best_waste || (waste == best_waste && t > best)) {
        best = t;
        best_waste = waste;
      }
    }
    tile = best;
  }
  return {tile, padded(tile)};
}

}  // namespace x86
}  // namespace topi
}  // namespace tvm
