/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file relay/transforms/combine_parallel_op.cc
 * \brief The branch finding and merging under the CombineParallel* passes
 *  (see combine_parallel_op.h), and CombineParallelOpBatch.
 */
#include "combine_parallel_op.h"

#include <tvm/ir/structural_equal.h>
#include <tvm/relay/expr_functor.h>
#include <tvm/relay/op.h>

#include <algorithm>
#include <unordered_set>

#include "../ir/walk.h"
#include "pass_util.h"

namespace tvm {
namespace relay {

using pass_util::MakeOp;

int LayoutAxisIndex(const std::string& layout, char axis) {
  int index = 0;
  for (char ch : layout) {
    if (ch >= '0' && ch <= '9') continue;
    if (ch == axis) return index;
    ++index;
  }
  return -1;
}

uint64_t MinNumBranches(const char* pass_name, int64_t min_num_branches) {
  TVM_CHECK(min_num_branches >= 0, "ValueError")
      << pass_name << ": min_num_branches must be a count (>= 0), got " << min_num_branches;
  return static_cast<uint64_t>(min_num_branches);
}

namespace {

/*!
 * \brief Replaces each branch end by its slice of the merged call. The
 *  replacements are built from the original graph, so they are rewritten in
 *  turn (a merged group may read the output of another one).
 */
class BranchSubstituter : public MixedModeMutator {
 public:
  explicit BranchSubstituter(const std::unordered_map<const Object*, Expr>& subst) : subst_(subst) {}

  Expr Rewrite_(const CallNode* pre, const Expr& post) final {
    auto it = subst_.find(pre);
    if (it == subst_.end()) return post;
    return VisitExpr(it->second);
  }

 private:
  const std::unordered_map<const Object*, Expr>& subst_;
};

}  // namespace

ParallelOpCombiner::ParallelOpCombiner(const std::string& op_name, uint64_t min_num_branches)
    : op_(Op::Get(op_name)), min_num_branches_(min_num_branches) {}

const TensorTypeNode* ParallelOpCombiner::TypeOf(const Expr& e) { return pass_util::TensorTypeOf(e); }

const TensorTypeNode* ParallelOpCombiner::TypeOf(const CallNode* call) {
  return call->checked_type_.defined() ? call->checked_type_.as<TensorTypeNode>() : nullptr;
}

Call ParallelOpCombiner::MergeFollowingCall(const Expr& data, const Group& branches, size_t depth, size_t parent_index,
                                            const std::function<Expr(size_t, Array<Expr>)>& merge) {
  const CallNode* call = branches[0][depth];
  Array<Expr> args;
  for (size_t i = 0; i < call->args.size(); ++i) {
    if (i == parent_index) {
      args.push_back(data);
      continue;
    }
    Array<Expr> parts;
    for (const Branch& branch : branches) parts.push_back(branch[depth]->args[i]);
    args.push_back(merge(i, parts));
  }
  return Call(call->op, args, call->attrs, {});
}

Expr ParallelOpCombiner::SliceAxis(const Expr& data, size_t ndim, int axis, int64_t offset, int64_t width) {
  Array<Integer> begin, end, strides;
  for (size_t i = 0; i < ndim; ++i) {
    bool sliced = static_cast<int>(i) == axis;
    begin.push_back(Integer(sliced ? static_cast<int>(offset) : 0));
    end.push_back(Integer(sliced ? static_cast<int>(width) : -1));
    strides.push_back(Integer(1));
  }
  return MakeOp("strided_slice", data, begin, end, strides, std::string("size"), ObjectRef());
}

bool ParallelOpCombiner::SameShapeExcept(const TensorTypeNode* a, const TensorTypeNode* b, int skip) {
  if (a->dtype != b->dtype || a->shape.size() != b->shape.size()) return false;
  StructuralEqual eq;
  for (size_t i = 0; i < a->shape.size(); ++i) {
    if (static_cast<int>(i) != skip && !eq(a->shape[i], b->shape[i])) return false;
  }
  return true;
}

Expr ParallelOpCombiner::Combine(const Expr& expr) {
  for (const Group& group : FindGroups(expr)) {
    if (group.size() < min_num_branches_) continue;
    CombineBranches(group);
  }
  if (subst_.empty()) return expr;
  return BranchSubstituter(subst_).Mutate(expr);
}

std::vector<Group> ParallelOpCombiner::FindGroups(const Expr& expr) {
  // Consumers of each value, and the inputs that feed a supported call (the
  // roots), in the order a post-order walk meets them: groups come out in a
  // deterministic order.
  std::vector<const Object*> roots;
  std::unordered_set<const Object*> seen_roots, visited;
  detail::PostOrderWalk(
      expr, [&](const Expr& e) { return visited.count(e.get()) != 0; },
      [&](const Expr& e) {
        visited.insert(e.get());
        const auto* call = e.as<CallNode>();
        if (call == nullptr) return;
        if (call->op.same_as(op_) && !call->args.empty() && IsSupportedOp(call)) {
          const Object* root = call->args[0].get();
          if (seen_roots.insert(root).second) roots.push_back(root);
          consumers_[root].push_back(call);
        } else {
          for (const Expr& arg : call->args) consumers_[arg.get()].push_back(call);
        }
      },
      /*enter_functions=*/true);

  std::vector<Group> groups;
  for (const Object* root : roots) {
    size_t first = groups.size();
    for (const CallNode* child : consumers_.at(root)) {
      if (!child->op.same_as(op_) || !IsSupportedOp(child)) continue;
      Branch branch = MakeBranch(child);
      auto it = std::find_if(groups.begin() + first, groups.end(),
                             [&](const Group& g) { return CanOpsBeCombined(child, g[0][0]); });
      if (it != groups.end()) {
        it->push_back(std::move(branch));
      } else {
        groups.push_back(Group{std::move(branch)});
      }
    }
  }
  return groups;
}

Branch ParallelOpCombiner::MakeBranch(const CallNode* start) {
  static const auto fpattern = Op::GetAttrMap<TOpPattern>("TOpPattern");
  Branch branch{start};
  while (true) {
    auto it = consumers_.find(branch.back());
    if (it == consumers_.end() || it->second.size() != 1) break;  // used more than once: stop here
    const CallNode* next = it->second[0];
    const auto* op = next->op.as<OpNode>();
    if (op == nullptr || fpattern.get(GetRef<Op>(op), kOpaque) > kBroadcast) break;
    branch.push_back(next);
  }
  return branch;
}

bool ParallelOpCombiner::CheckLevel(const Group& branches, size_t depth, size_t parent_index) {
  const CallNode* call = branches[0][depth];
  StructuralEqual equal;
  for (size_t b = 1; b < branches.size(); ++b) {
    const CallNode* other = branches[b][depth];
    if (!other->op.same_as(call->op) || !equal(other->attrs, call->attrs) ||
        other->args.size() != call->args.size()) {
      return false;
    }
    if (other->args[parent_index].get() != branches[b][depth - 1]) return false;
    for (size_t i = 0; i < call->args.size(); ++i) {
      if (i != parent_index && !IsArgCompatible(call, other, i)) return false;
    }
  }
  return true;
}

void ParallelOpCombiner::CombineBranches(const Group& branches) {
  Expr combined = MakeCombinedOp(branches);
  size_t depth = std::min_element(branches.begin(), branches.end(), [](const Branch& a, const Branch& b) {
                   return a.size() < b.size();
                 })->size();
  size_t level = 1;
  for (; level < depth; ++level) {
    const CallNode* call = branches[0][level];
    size_t parent_index = 0;
    while (parent_index < call->args.size() && call->args[parent_index].get() != branches[0][level - 1]) {
      ++parent_index;
    }
    ICHECK_LT(parent_index, call->args.size());
    if (!CheckLevel(branches, level, parent_index)) break;
    combined = MakeCombinedCallFromFollowingOps(combined, branches, level, parent_index);
  }
  std::vector<Expr> outputs = SplitOutputs(combined, branches, level - 1);
  ICHECK_EQ(outputs.size(), branches.size());
  for (size_t b = 0; b < branches.size(); ++b) subst_[branches[b][level - 1]] = outputs[b];
}

// --------------------------------------------------------------------------- batch

ParallelOpBatchCombiner::ParallelOpBatchCombiner(const std::string& op_name, const std::string& batch_op_name,
                                                 uint64_t min_num_branches)
    : ParallelOpCombiner(op_name, min_num_branches), batch_op_name_(batch_op_name) {}

bool ParallelOpBatchCombiner::IsSupportedOp(const CallNode* n) {
  for (const Expr& arg : n->args) {
    if (TypeOf(arg) == nullptr) return false;
  }
  return true;
}

bool ParallelOpBatchCombiner::CanOpsBeCombined(const CallNode* a, const CallNode* b) {
  if (a->args.size() != b->args.size()) return false;
  for (size_t i = 0; i < a->args.size(); ++i) {
    if (!IsArgCompatible(a, b, i)) return false;
  }
  return true;
}

Call ParallelOpBatchCombiner::MakeCombinedOp(const Group& branches) {
  Array<Expr> args;
  for (size_t i = 0; i < branches[0][0]->args.size(); ++i) {
    Array<Expr> parts;
    for (const Branch& branch : branches) parts.push_back(branch[0]->args[i]);
    args.push_back(MakeOp("stack", Tuple(parts), 0));
  }
  return Call(Op::Get(batch_op_name_), args, Attrs(), {});
}

bool ParallelOpBatchCombiner::IsArgCompatible(const CallNode* a, const CallNode* b, size_t index) {
  const TensorTypeNode* ta = TypeOf(a->args[index]);
  const TensorTypeNode* tb = TypeOf(b->args[index]);
  if (ta == nullptr || tb == nullptr || ta->dtype != tb->dtype) return false;
  return StructuralEqual()(ta->shape, tb->shape);
}

Call ParallelOpBatchCombiner::MakeCombinedCallFromFollowingOps(const Expr& data, const Group& branches, size_t depth,
                                                               size_t parent_index) {
  return MergeFollowingCall(data, branches, depth, parent_index, [](size_t, Array<Expr> parts) {
    Array<Expr> stacked;
    for (const Expr& arg : parts) {
      // A (j,) vector broadcasts along the rows of each branch: (1, j) keeps it so once stacked.
      stacked.push_back(TypeOf(arg)->shape.size() == 1 ? MakeOp("expand_dims", arg, 0, 1) : arg);
    }
    return MakeOp("stack", Tuple(stacked), 0);
  });
}

std::vector<Expr> ParallelOpBatchCombiner::SplitOutputs(const Expr& data, const Group& branches, size_t depth) {
  Expr split = MakeOp("split", data, Integer(static_cast<int>(branches.size())), 0);
  std::vector<Expr> outputs;
  for (size_t b = 0; b < branches.size(); ++b) {
    Array<Integer> axis{Integer(0)};
    outputs.push_back(MakeOp("squeeze", TupleGetItem(split, static_cast<int>(b)), axis));
  }
  return outputs;
}

namespace transform {

Pass CombineParallelOpBatch(const String& op_name, const String& batch_op_name, uint64_t min_num_branches) {
  std::string op = op_name, batch_op = batch_op_name;
  return pass_util::FunctionRewritePass(
      [=](Function f, IRModule) {
        return Downcast<Function>(ParallelOpBatchCombiner(op, batch_op, min_num_branches).Combine(f));
      },
      4, "CombineParallelOpBatch", {"InferType"}, /*needs_types=*/true);
}

TVM_REGISTER_GLOBAL("relay._transform.CombineParallelOpBatch")
    .set_body_typed([](String op_name, String batch_op_name, int64_t min_num_branches) {
      return CombineParallelOpBatch(op_name, batch_op_name, MinNumBranches("CombineParallelOpBatch", min_num_branches));
    });

}  // namespace transform
}  // namespace relay
}  // namespace tvm
