/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file relay/transforms/combine_parallel_op.h
 * \brief What CombineParallelConv2D, CombineParallelDense and
 *  CombineParallelBatchMatmul share: finding parallel branches and merging them.
 *
 *  A branch starts at a call of the combined operator (conv2d, dense, ...) and
 *  follows, while a value has exactly one consumer, the elementwise and
 *  broadcast calls after it. Branches that read the same input and whose
 *  first calls are compatible form a group; a group of at least
 *  min_num_branches branches becomes one call (weights concatenated or
 *  stacked), the following calls are merged level by level as long as every
 *  branch has a compatible call there, and each branch's last merged value is
 *  replaced by its slice of the merged result.
 *
 *      x -> conv2d(w1) -> relu            x -> conv2d(concat(w1, w2)) -> relu -> slice 0..C1
 *        \> conv2d(w2) -> relu     ==>                                     \-> slice C1..C1+C2
 *
 *  The subclasses say which calls may combine and how the merged calls and
 *  the slices are built. The walks are iterative (graphs are long chains).
 */
#ifndef TVM_RELAY_TRANSFORMS_COMBINE_PARALLEL_OP_H_
#define TVM_RELAY_TRANSFORMS_COMBINE_PARALLEL_OP_H_

#include <tvm/ir/tensor_type.h>
#include <tvm/relay/expr.h>

#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

namespace tvm {
namespace relay {

/*! \brief A call of the combined operator followed by its single-consumer elementwise/broadcast calls. */
using Branch = std::vector<const CallNode*>;
/*! \brief Branches on the same input whose first calls can be combined. */
using Group = std::vector<Branch>;

class ParallelOpCombiner {
 public:
  ParallelOpCombiner(const std::string& op_name, uint64_t min_num_branches);
  virtual ~ParallelOpCombiner() = default;

  /*! \brief `expr` with every large enough group of parallel branches merged. */
  Expr Combine(const Expr& expr);

 protected:
  /*! \brief Whether a call of the operator may start a branch at all. */
  virtual bool IsSupportedOp(const CallNode* n) = 0;
  /*! \brief Whether two first calls (same input) can be merged into one. */
  virtual bool CanOpsBeCombined(const CallNode* a, const CallNode* b) = 0;
  /*! \brief The merged call of the group's first calls. */
  virtual Call MakeCombinedOp(const Group& branches) = 0;
  /*! \brief Whether argument `index` of two following calls at the same level can be merged. */
  virtual bool IsArgCompatible(const CallNode* a, const CallNode* b, size_t index) = 0;
  /*!
   * \brief The merged call of level `depth`: `data` (the merged value so far)
   *  in position `parent_index`, the branches' other arguments merged.
   */
  virtual Call MakeCombinedCallFromFollowingOps(const Expr& data, const Group& branches, size_t depth,
                                                size_t parent_index) = 0;
  /*! \brief For each branch, the part of the merged `data` that stands for its call at `depth`. */
  virtual std::vector<Expr> SplitOutputs(const Expr& data, const Group& branches, size_t depth) = 0;

  /*! \brief The checked tensor type of `e` (the pass runs on typed graphs). */
  static const TensorTypeNode* TypeOf(const Expr& e);
  static const TensorTypeNode* TypeOf(const CallNode* call);

  /*!
   * \brief The call at `depth` rebuilt as the merged call: `data` at `parent_index`,
   *  every other argument `i` made by `merge(i, parts)` from the branches' arguments there.
   */
  static Call MergeFollowingCall(const Expr& data, const Group& branches, size_t depth, size_t parent_index,
                                 const std::function<Expr(size_t, Array<Expr>)>& merge);
  /*!
   * \brief strided_slice(data) in "size" mode over the `ndim` leading axes, taking
   *  [offset, offset + width) of `axis` and everything of the others.
   */
  static Expr SliceAxis(const Expr& data, size_t ndim, int axis, int64_t offset, int64_t width);
  /*! \brief Same dtype and rank, and equal extents on every axis but `skip`. */
  static bool SameShapeExcept(const TensorTypeNode* a, const TensorTypeNode* b, int skip);

 private:
  std::vector<Group> FindGroups(const Expr& expr);
  Branch MakeBranch(const CallNode* start);
  bool CheckLevel(const Group& branches, size_t depth, size_t parent_index);
  void CombineBranches(const Group& branches);

  Op op_;
  uint64_t min_num_branches_;
  /*! \brief The calls consuming each value, in visiting order. */
  std::unordered_map<const Object*, std::vector<const CallNode*>> consumers_;
  /*! \brief Each branch end that is replaced, and its replacement. */
  std::unordered_map<const Object*, Expr> subst_;
};

/*!
 * \brief Merges parallel calls into one call of a batched operator: the
 *  inputs are stacked on a new leading axis, following calls' other
 *  arguments too, and the result is split and squeezed back per branch.
 */
class ParallelOpBatchCombiner : public ParallelOpCombiner {
 public:
  ParallelOpBatchCombiner(const std::string& op_name, const std::string& batch_op_name, uint64_t min_num_branches);

 protected:
  bool IsSupportedOp(const CallNode* n) override;
  bool CanOpsBeCombined(const CallNode* a, const CallNode* b) override;
  Call MakeCombinedOp(const Group& branches) override;
  bool IsArgCompatible(const CallNode* a, const CallNode* b, size_t index) override;
  Call MakeCombinedCallFromFollowingOps(const Expr& data, const Group& branches, size_t depth,
                                        size_t parent_index) override;
  std::vector<Expr> SplitOutputs(const Expr& data, const Group& branches, size_t depth) override;

  std::string batch_op_name_;
};

/*! \brief `min_num_branches` as given to pass `pass_name`, refused (ValueError) when negative. */
uint64_t MinNumBranches(const char* pass_name, int64_t min_num_branches);

/*! \brief Index of the layout axis `axis` ('C', 'O', 'H', ...) in a layout like "NCHW16c" (-1 if absent). */
int LayoutAxisIndex(const std::string& layout, char axis);

}  // namespace relay
}  // namespace tvm
#endif  // TVM_RELAY_TRANSFORMS_COMBINE_PARALLEL_OP_H_
