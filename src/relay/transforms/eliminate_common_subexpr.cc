/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file relay/transforms/eliminate_common_subexpr.cc
 * \brief EliminateCommonSubexpr: two calls of the same operator with equal
 *  attributes and the same arguments become one node (and so do two
 *  projections t.i of the same tuple).
 *
 *   add(relu(%x), 1f) + add(relu(%x), 1f)   ->   %0 = add(relu(%x), 1f); %0 + %0
 *
 * Arguments are "the same" when they are the same node after rewriting,
 * equal scalar constants, or tuples whose fields are. Calls without
 * arguments, of functions, or of stateful operators are kept apart, and so
 * is anything `fskip` accepts. Candidates are found by a hash of (operator,
 * attributes, arguments), so the pass is linear in the graph size.
 */
#include <tvm/ir/structural_equal.h>
#include <tvm/ir/structural_hash.h>
#include <tvm/relay/expr_functor.h>
#include <tvm/relay/op.h>

#include "pass_util.h"

namespace tvm {
namespace relay {
namespace {

bool IsScalarConstant(const Expr& e) {
  const auto* c = e.as<ConstantNode>();
  return c != nullptr && c->data->ndim == 0;
}

bool SameArgument(const Expr& a, const Expr& b) {
  if (a.same_as(b)) return true;
  return IsScalarConstant(a) && IsScalarConstant(b) && StructuralEqual()(a, b);
}

bool EquivalentArgument(const Expr& a, const Expr& b) {
  const auto* ta = a.as<TupleNode>();
  const auto* tb = b.as<TupleNode>();
  if (ta != nullptr && tb != nullptr) {
    if (ta->fields.size() != tb->fields.size()) return false;
    for (size_t i = 0; i < ta->fields.size(); ++i) {
      if (!SameArgument(ta->fields[i], tb->fields[i])) return false;
    }
    return true;
  }
  return SameArgument(a, b);
}

size_t Combine(size_t seed, size_t v) { return seed ^ (v + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2)); }

/*! \brief A hash consistent with EquivalentArgument. */
size_t ArgumentHash(const Expr& e) {
  if (IsScalarConstant(e)) return StructuralHash()(e);
  if (const auto* t = e.as<TupleNode>()) {
    size_t h = 0x7475706c65;
    for (const Expr& f : t->fields) h = Combine(h, IsScalarConstant(f) ? StructuralHash()(f) : ObjectPtrHash()(f));
    return h;
  }
  return ObjectPtrHash()(e);
}

class CommonSubexprEliminator : public MixedModeMutator {
 public:
  explicit CommonSubexprEliminator(runtime::PackedFunc fskip) : fskip_(std::move(fskip)) {}

  using MixedModeMutator::VisitExpr_;

  Expr Rewrite_(const CallNode* pre, const Expr& post) final {
    const auto* call = post.as<CallNode>();
    if (call == nullptr) return post;
    const auto* op = call->op.as<OpNode>();
    if (call->args.empty() || op == nullptr || stateful_.get(GetRef<Op>(op), false)) return post;
    if (Skip(post)) return post;
    size_t h = Combine(ObjectPtrHash()(call->op), call->attrs.defined() ? StructuralHash()(call->attrs) : 0);
    for (const Expr& a : call->args) h = Combine(h, ArgumentHash(a));
    std::vector<Expr>& bucket = calls_[h];
    for (const Expr& candidate : bucket) {
      const auto* other = candidate.as<CallNode>();
      if (!other->op.same_as(call->op) || other->args.size() != call->args.size()) continue;
      if (!StructuralEqual()(call->attrs, other->attrs)) continue;
      bool same = true;
      for (size_t i = 0; i < call->args.size() && same; ++i) same = EquivalentArgument(call->args[i], other->args[i]);
      if (same) return candidate;
    }
    bucket.push_back(post);
    return post;
  }

  Expr Rewrite_(const TupleGetItemNode* pre, const Expr& post) final {
    const auto* get = post.as<TupleGetItemNode>();
    if (get == nullptr || Skip(post)) return post;
    auto key = std::make_pair(get->tuple.get(), get->index);
    auto it = projections_.find(key);
    if (it != projections_.end()) return it->second;
    projections_.emplace(key, post);
    return post;
  }

 private:
  bool Skip(const Expr& e) const { return fskip_ != nullptr && fskip_(e).AsType<bool>(); }

  struct PairHash {
    size_t operator()(const std::pair<const Object*, int>& p) const {
      return Combine(std::hash<const Object*>()(p.first), static_cast<size_t>(p.second));
    }
  };

  runtime::PackedFunc fskip_;
  OpAttrMap<TOpIsStateful> stateful_ = Op::GetAttrMap<TOpIsStateful>("TOpIsStateful");
  std::unordered_map<size_t, std::vector<Expr>> calls_;
  std::unordered_map<std::pair<const Object*, int>, Expr, PairHash> projections_;
};

}  // namespace

Expr EliminateCommonSubexpr(const Expr& expr, runtime::PackedFunc fskip) {
  return CommonSubexprEliminator(std::move(fskip)).Mutate(expr);
}

namespace transform {

Pass EliminateCommonSubexpr(runtime::PackedFunc fskip) {
  return pass_util::FunctionRewritePass(
      [fskip](Function f, IRModule) { return Downcast<Function>(relay::EliminateCommonSubexpr(f, fskip)); }, 3,
      "EliminateCommonSubexpr", {"InferType"});
}

TVM_REGISTER_GLOBAL("relay._transform.EliminateCommonSubexpr").set_body_typed([](runtime::PackedFunc fskip) {
  return EliminateCommonSubexpr(fskip);
});

}  // namespace transform
}  // namespace relay
}  // namespace tvm
