/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file relay/transforms/combine_parallel_dense.cc
 * \brief CombineParallelDense: dense calls on the same input become one call.
 *
 *  to_batch=True (weights of one shape): one batch_matmul of the stacked
 *  inputs and weights; following elementwise/broadcast arguments are stacked
 *  too, and each branch takes its slice back with split + squeeze.
 *    dense(x, w1) + b1, dense(x, w2) + b2
 *      -> y = batch_matmul(stack(x, x), stack(w1, w2)) + stack(b1', b2'); squeeze(split(y, 2)[i], [0])
 *  to_batch=False (any number of units): one dense of the concatenated
 *  weights; following arguments are concatenated on their last axis (a
 *  scalar or extent-1 argument repeated to the branch's width first) and
 *  each branch reads its columns with strided_slice.
 *    dense(x, w1) * s1, dense(x, w2) * s2
 *      -> y = dense(x, concat(w1, w2)) * concat(repeat(s1), repeat(s2)); slices of y
 */
#include <tvm/ir/structural_equal.h>
#include <tvm/relay/attrs/nn.h>

#include "combine_parallel_op.h"
#include "pass_util.h"

namespace tvm {
namespace relay {
namespace {

using pass_util::MakeOp;

int64_t StaticExtent(const PrimExpr& e) {
  const auto* imm = e.as<IntImmNode>();
  return imm == nullptr ? -1 : imm->value;
}

class ParallelDenseToBatchCombiner : public ParallelOpBatchCombiner {
 public:
  explicit ParallelDenseToBatchCombiner(uint64_t min_num_branches)
      : ParallelOpBatchCombiner("nn.dense", "nn.batch_matmul", min_num_branches) {}

 protected:
  bool IsSupportedOp(const CallNode* n) final {
    if (n->attrs.as<DenseAttrs>() == nullptr || n->args.size() != 2) return false;
    const TensorTypeNode* tdata = TypeOf(n->args[0]);
    const TensorTypeNode* tweight = TypeOf(n->args[1]);
    // batch_matmul takes (batch, M, K) x (batch, N, K): 2-d dense only.
    return tdata != nullptr && tweight != nullptr && tdata->shape.size() == 2 && tweight->shape.size() == 2;
  }

  bool CanOpsBeCombined(const CallNode* a, const CallNode* b) final {
    StructuralEqual eq;
    const TensorTypeNode* wa = TypeOf(a->args[1]);
    const TensorTypeNode* wb = TypeOf(b->args[1]);
    return a->attrs.as<DenseAttrs>()->out_dtype == b->attrs.as<DenseAttrs>()->out_dtype && wa->dtype == wb->dtype &&
           eq(wa->shape[0], wb->shape[0]) && eq(wa->shape[1], wb->shape[1]);
  }

  Call MakeCombinedOp(const Group& branches) final {
    Array<Expr> data, weights;
    for (const Branch& branch : branches) {
      data.push_back(branch[0]->args[0]);
      weights.push_back(branch[0]->args[1]);
    }
    DataType out_dtype = branches[0][0]->attrs.as<DenseAttrs>()->out_dtype;
    return Downcast<Call>(MakeOp("nn.batch_matmul", MakeOp("stack", Tuple(data), 0),
                                 MakeOp("stack", Tuple(weights), 0), out_dtype, false, true));
  }
};

class ParallelDenseToDenseCombiner : public ParallelOpCombiner {
 public:
  explicit ParallelDenseToDenseCombiner(uint64_t min_num_branches) : ParallelOpCombiner("nn.dense", min_num_branches) {}

 protected:
  bool IsSupportedOp(const CallNode* n) final {
    if (n->attrs.as<DenseAttrs>() == nullptr || n->args.size() != 2 || TypeOf(n) == nullptr) return false;
    const TensorTypeNode* tweight = TypeOf(n->args[1]);
    return TypeOf(n->args[0]) != nullptr && tweight != nullptr && tweight->shape.size() == 2 &&
           StaticExtent(tweight->shape[0]) > 0;
  }

  bool CanOpsBeCombined(const CallNode* a, const CallNode* b) final {
    // The units (weight rows) may differ; the reduced extent may not.
    return a->attrs.as<DenseAttrs>()->out_dtype == b->attrs.as<DenseAttrs>()->out_dtype &&
           TypeOf(a->args[1])->dtype == TypeOf(b->args[1])->dtype &&
           StructuralEqual()(TypeOf(a->args[1])->shape[1], TypeOf(b->args[1])->shape[1]);
  }

  Call MakeCombinedOp(const Group& branches) final {
    Array<Expr> weights;
    int64_t units = 0;
    for (const Branch& branch : branches) {
      weights.push_back(branch[0]->args[1]);
      units += StaticExtent(TypeOf(branch[0]->args[1])->shape[0]);
    }
    const CallNode* first = branches[0][0];
    return Downcast<Call>(MakeOp("nn.dense", first->args[0], MakeOp("concatenate", Tuple(weights), 0),
                                 PrimExpr(IntImm(DataType::Int(32), units)),
                                 first->attrs.as<DenseAttrs>()->out_dtype));
  }

  bool IsArgCompatible(const CallNode* a, const CallNode* b, size_t index) final {
    const TensorTypeNode* ta = TypeOf(a->args[index]);
    const TensorTypeNode* tb = TypeOf(b->args[index]);
    const TensorTypeNode* oa = TypeOf(a);
    const TensorTypeNode* ob = TypeOf(b);
    if (ta == nullptr || tb == nullptr || oa == nullptr || ob == nullptr) return false;
    if (oa->shape.size() < ta->shape.size() || ob->shape.size() < tb->shape.size()) return false;
    // All but the last (the units) axis must agree; the last must be static to be repeated or sliced.
    if (!SameShapeExcept(ta, tb, static_cast<int>(ta->shape.size()) - 1)) return false;
    return ta->shape.empty() || (StaticExtent(ta->shape.back()) >= 0 && StaticExtent(tb->shape.back()) >= 0);
  }

  Call MakeCombinedCallFromFollowingOps(const Expr& data, const Group& branches, size_t depth,
                                        size_t parent_index) final {
    return MergeFollowingCall(data, branches, depth, parent_index, [&](size_t i, Array<Expr> parts) {
      size_t arg_ndim = TypeOf(parts[0])->shape.size();
      int axis = arg_ndim == 0 ? 0 : static_cast<int>(arg_ndim) - 1;
      Array<Expr> widened;
      for (size_t b = 0; b < branches.size(); ++b) {
        int64_t width = StaticExtent(TypeOf(branches[b][depth]->args[parent_index])->shape.back());
        ICHECK_GT(width, 0);
        Expr arg = parts[b];
        // A scalar or a last extent of 1 broadcasts over this branch's columns only:
        // repeat it to the branch's width so the concatenation lines up.
        bool repeat = false;
        if (arg_ndim == 0) {
          arg = MakeOp("expand_dims", arg, -1, 1);
          repeat = true;
        } else {
          repeat = width > 1 && StaticExtent(TypeOf(arg)->shape.back()) == 1;
        }
        widened.push_back(repeat ? MakeOp("repeat", arg, static_cast<int>(width), axis) : arg);
      }
      return MakeOp("concatenate", Tuple(widened), axis);
    });
  }

  std::vector<Expr> SplitOutputs(const Expr& data, const Group& branches, size_t depth) final {
    std::vector<Expr> outputs;
    int64_t offset = 0;
    for (const Branch& branch : branches) {
      const auto& out_shape = TypeOf(branch[depth])->shape;
      int64_t units = StaticExtent(TypeOf(branch[0])->shape.back());
      // Later broadcast calls may add axes: the units sit on the last axis of that extent.
      int axis = -1;
      for (int i = static_cast<int>(out_shape.size()) - 1; i >= 0 && axis < 0; --i) {
        if (StaticExtent(out_shape[i]) == units) axis = i;
      }
      ICHECK_GE(axis, 0) << "CombineParallelDense: no axis of extent " << units << " after the dense";
      outputs.push_back(SliceAxis(data, out_shape.size(), axis, offset, units));
      offset += units;
    }
    return outputs;
  }
};

}  // namespace

namespace transform {

Pass CombineParallelDense(uint64_t min_num_branches, bool to_batch) {
  return pass_util::FunctionRewritePass(
      [=](Function f, IRModule) {
        if (to_batch) return Downcast<Function>(ParallelDenseToBatchCombiner(min_num_branches).Combine(f));
        return Downcast<Function>(ParallelDenseToDenseCombiner(min_num_branches).Combine(f));
      },
      4, "CombineParallelDense", {"InferType"}, /*needs_types=*/true);
}

TVM_REGISTER_GLOBAL("relay._transform.CombineParallelDense")
    .set_body_typed([](int64_t min_num_branches, bool to_batch) {
      return CombineParallelDense(MinNumBranches("CombineParallelDense", min_num_branches), to_batch);
    });

}  // namespace transform
}  // namespace relay
}  // namespace tvm
