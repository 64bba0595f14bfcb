/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file relay/transforms/combine_parallel_batch_matmul.cc
 * \brief CombineParallelBatchMatmul: batch_matmul calls (transpose_b layout,
 *  (batch, N, K) weights) on the same input become one whose weights are
 *  concatenated on N; following elementwise/broadcast arguments are
 *  concatenated on their last axis, and each branch reads its columns with
 *  strided_slice.
 *
 *    batch_matmul(x, w1) + b1, batch_matmul(x, w2) + b2
 *      -> y = batch_matmul(x, concat(w1, w2, axis=1)) + concat(b1, b2, axis=-1); y[:, :, :N1], ...
 */
#include <tvm/ir/structural_equal.h>
#include <tvm/relay/attrs/nn.h>

#include "combine_parallel_op.h"
#include "pass_util.h"

namespace tvm {
namespace relay {
namespace {

using pass_util::MakeOp;

class ParallelBatchMatmulCombiner : public ParallelOpCombiner {
 public:
  explicit ParallelBatchMatmulCombiner(uint64_t min_num_branches)
      : ParallelOpCombiner("nn.batch_matmul", min_num_branches) {}

 protected:
  bool IsSupportedOp(const CallNode* n) final {
    const auto* attrs = n->attrs.as<BatchMatmulAttrs>();
    if (attrs == nullptr || n->args.size() != 2 || TypeOf(n) == nullptr) return false;
    const TensorTypeNode* rhs = TypeOf(n->args[1]);
    // Only the (transpose_a=False, transpose_b=True) form: the weights' N is axis 1.
    return !attrs->transpose_a && attrs->transpose_b && rhs != nullptr && rhs->shape.size() == 3 &&
           rhs->shape[1].as<IntImmNode>() != nullptr;
  }

  bool CanOpsBeCombined(const CallNode* a, const CallNode* b) final {
    const TensorTypeNode* ra = TypeOf(a->args[1]);
    const TensorTypeNode* rb = TypeOf(b->args[1]);
    return ra->dtype == rb->dtype && TypeOf(a)->dtype == TypeOf(b)->dtype &&
           StructuralEqual()(ra->shape[0], rb->shape[0]) &&
           a->attrs.as<BatchMatmulAttrs>()->out_dtype == b->attrs.as<BatchMatmulAttrs>()->out_dtype;
  }

  Call MakeCombinedOp(const Group& branches) final {
    Array<Expr> weights;
    for (const Branch& branch : branches) weights.push_back(branch[0]->args[1]);
    const CallNode* first = branches[0][0];
    const auto* attrs = first->attrs.as<BatchMatmulAttrs>();
    return Downcast<Call>(MakeOp("nn.batch_matmul", first->args[0], MakeOp("concatenate", Tuple(weights), 1),
                                 attrs->out_dtype, attrs->transpose_a, attrs->transpose_b));
  }

  bool IsArgCompatible(const CallNode* a, const CallNode* b, size_t index) final {
    // Concatenated on the last axis, which must hold each branch's N (not broadcast over it).
    StructuralEqual eq;
    const TensorTypeNode* ta = TypeOf(a->args[index]);
    const TensorTypeNode* tb = TypeOf(b->args[index]);
    const TensorTypeNode* oa = TypeOf(a);
    const TensorTypeNode* ob = TypeOf(b);
    if (ta == nullptr || tb == nullptr || oa == nullptr || ob == nullptr || ta->shape.empty()) return false;
    return SameShapeExcept(ta, tb, static_cast<int>(ta->shape.size()) - 1) &&
           eq(ta->shape.back(), oa->shape.back()) && eq(tb->shape.back(), ob->shape.back());
  }

  Call MakeCombinedCallFromFollowingOps(const Expr& data, const Group& branches, size_t depth,
                                        size_t parent_index) final {
    return MergeFollowingCall(data, branches, depth, parent_index,
                              [](size_t, Array<Expr> parts) { return MakeOp("concatenate", Tuple(parts), -1); });
  }

  std::vector<Expr> SplitOutputs(const Expr& data, const Group& branches, size_t depth) final {
    std::vector<Expr> outputs;
    int64_t offset = 0;
    for (const Branch& branch : branches) {
      int64_t features = TypeOf(branch[0]->args[1])->shape[1].as<IntImmNode>()->value;
      outputs.push_back(SliceAxis(data, 3, 2, offset, features));
      offset += features;
    }
    return outputs;
  }
};

}  // namespace

namespace transform {

Pass CombineParallelBatchMatmul(uint64_t min_num_branches) {
  return pass_util::FunctionRewritePass(
      [=](Function f, IRModule) {
        return Downcast<Function>(ParallelBatchMatmulCombiner(min_num_branches).Combine(f));
      },
      4, "CombineParallelBatchMatmul", {"InferType"}, /*needs_types=*/true);
}

TVM_REGISTER_GLOBAL("relay._transform.CombineParallelBatchMatmul").set_body_typed([](int64_t min_num_branches) {
  return CombineParallelBatchMatmul(MinNumBranches("CombineParallelBatchMatmul", min_num_branches));
});

}  // namespace transform
}  // namespace relay
}  // namespace tvm
