/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/te/operation/op_utils.cc
 * \brief Loop nests of stages and the rewriting helpers operations share.
 *
 * For a stage whose leaves are (i.outer, i.inner [vectorized], j [bound to
 * threadIdx.x]) with ranges from bound inference, MakeLoopNest gives
 *
 *   nest[1]: for i.outer in [0, 8)          + loop_scope(i.outer)
 *   nest[2]: for i.inner in [0, 4) vectorized + loop_scope(i.inner)
 *   nest[3]: attr threadIdx.x thread_extent 32 + loop_scope(j)
 *
 * and the value of every iteration variable: i.outer, i.inner and j map to
 * their loop (or thread) variables, i to i.outer * 4 + i.inner.
 */
#include "op_utils.h"

#include <tvm/ir/repr_printer.h>
#include <tvm/ir/structural_equal.h>
#include <tvm/tir/op.h>

#include <string>

#include "../schedule/message_passing.h"
#include "../schedule/storage_rank.h"

namespace tvm {
namespace te {

std::string AxisName(const IterVar& iv) {
  if (!iv.defined()) return "<undefined axis>";
  return iv->var->name_hint;
}

std::string StageName(const Stage& stage) {
  if (!stage.defined()) return "<undefined stage>";
  if (stage->op.defined()) return stage->op->name;
  return "<group>";
}

ForKind IterVarTypeToForKind(IterVarType iter_type) {
  switch (iter_type) {
    case kUnrolled:
      return ForKind::kUnrolled;
    case kVectorized:
      return ForKind::kVectorized;
    case kParallelized:
      return ForKind::kParallel;
    default:
      return ForKind::kSerial;
  }
}

namespace {

bool IsVirtualThreadTag(const std::string& tag) { return tag == "cthread" || tag.compare(0, 7, "vthread") == 0; }

}  // namespace

std::vector<std::vector<Stmt>> MakeLoopNest(const Stage& stage, const IterVarRangeMap& dom_map,
                                            size_t begin_iter_pos, bool new_loop_var, const IterVarSet& skip_iter,
                                            IterVarExprMap* p_value_map, bool debug_keep_trivial_loop) {
  const Array<IterVar>& leaves = stage->leaf_iter_vars;
  const Stmt placeholder = Evaluate(0);
  std::vector<std::vector<Stmt>> nest(leaves.size() + 1);
  IterVarExprMap& value_map = *p_value_map;

  for (size_t i = begin_iter_pos; i < leaves.size(); ++i) {
    IterVar iv = leaves[i];
    if (skip_iter.count(iv) || iv->iter_type == kOpaque) {
      value_map[iv] = iv->var;
      continue;
    }
    IterVarAttr annot;
    if (auto a = stage->iter_var_attrs.Get(iv)) annot = *a;
    // A bound leaf runs as the thread axis it is bound to.
    IterVar run_iv = iv;
    if (annot.defined() && annot->bind_thread.defined()) run_iv = annot->bind_thread;

    auto dom_it = dom_map.find(iv);
    TVM_CHECK(dom_it != dom_map.end(), "InternalError")
        << "no range was inferred for axis " << AxisName(iv) << " of stage " << StageName(stage);
    const Range& dom = dom_it->second;
    Var var = run_iv->var;
    std::vector<Stmt>& shells = nest[i + 1];

    if (run_iv->thread_tag.empty()) {
      if (new_loop_var) var = Var(iv->var->name_hint + ".init", run_iv->var.dtype());
      ForKind kind = ForKind::kSerial;
      if (annot.defined()) {
        kind = IterVarTypeToForKind(annot->iter_type);
        for (size_t k = 0; k < annot->pragma_keys.size(); ++k) {
          PrimExpr value = k < annot->pragma_values.size() ? annot->pragma_values[k] : PrimExpr();
          if (!value.defined()) value = make_const(DataType::Int(32), 1);
          shells.push_back(AttrStmt(iv, std::string(tir::attr::pragma_scope_prefix) +
                                        std::string(Downcast<tir::StringImm>(annot->pragma_keys[k])->value),
                                    value, placeholder));
        }
      }
      if (kind == ForKind::kVectorized && !as_const_int(dom->extent).has_value()) {
        TVM_CHECK(false, "ValueError")
            << "vectorize: axis " << AxisName(iv) << " of stage " << StageName(stage) << " has extent " << dom->extent
            << ", which is not a constant; split it by a constant factor and vectorize the inner axis";
      }
      if (!debug_keep_trivial_loop && is_one(dom->extent)) {
        shells.push_back(LetStmt(var, dom->min, placeholder));
        value_map[iv] = dom->min;
      } else if (is_zero(dom->min)) {
        shells.push_back(For(var, make_zero(var.dtype()), dom->extent, kind, placeholder));
        value_map[iv] = var;
      } else {
        Var idx(iv->var->name_hint + ".idx", var.dtype());
        shells.push_back(For(idx, make_zero(var.dtype()), dom->extent, kind, placeholder));
        PrimExpr value = add(dom->min, idx);
        shells.push_back(LetStmt(var, value, placeholder));
        value_map[iv] = value;
      }
      // Prefetching runs ahead of a loop; a single iteration (a LetStmt) has no later one to prefetch for.
      bool is_loop = debug_keep_trivial_loop || !is_one(dom->extent);
      if (annot.defined() && is_loop) {
        for (size_t k = 0; k < annot->prefetch_data.size(); ++k) {
          shells.push_back(
              AttrStmt(annot->prefetch_data[k], tir::attr::prefetch_scope, annot->prefetch_offset[k], placeholder));
        }
      }
    } else {
      // Thread axes always start at 0; their extent is an attribute of the scope.
      TVM_CHECK(is_zero(dom->min), "ValueError")
          << "axis " << AxisName(iv) << " of stage " << StageName(stage) << " is bound to " << run_iv->thread_tag
          << " but its range starts at " << dom->min << " (thread axes start at 0)";
      const char* key = IsVirtualThreadTag(run_iv->thread_tag) ? tir::attr::virtual_thread : tir::attr::thread_extent;
      shells.push_back(AttrStmt(run_iv, key, dom->extent, placeholder));
      // A thread that does not share the stage's buffer (threadIdx for a
      // local stage, blockIdx for a shared one) computes its own copy: the
      // buffer's index does not move with it.
      bool shares_buffer = stage->scope.empty() || StorageRankOf(stage->scope) == kWarp ||
                           IsVirtualThreadTag(run_iv->thread_tag) ||
                           StorageRankOf(stage->scope) <= ThreadRankOf(run_iv->thread_tag);
      if ((!debug_keep_trivial_loop && is_one(dom->extent)) || !shares_buffer) {
        value_map[iv] = dom->min;
      } else {
        value_map[iv] = var;
      }
    }
    if (!new_loop_var) shells.push_back(AttrStmt(iv, tir::attr::loop_scope, iv->var, placeholder));
  }
  PassUpIndex(stage, dom_map, &value_map, /*allow_missing=*/false);
  return nest;
}

std::vector<Stmt> MakeIfNest(const std::vector<PrimExpr>& predicates) {
  std::vector<Stmt> nest;
  for (const PrimExpr& cond : predicates) nest.push_back(IfThenElse(cond, Evaluate(0)));
  return nest;
}

namespace {

/*! \brief A copy of `shell` with `body` as its body. */
Stmt Rewrap(const Stmt& shell, Stmt body) {
  if (const auto* n = shell.as<ForNode>()) {
    return For(n->loop_var, n->min, n->extent, n->kind, body, n->thread_binding, n->annotations);
  }
  if (const auto* n = shell.as<LetStmtNode>()) return LetStmt(n->var, n->value, body);
  if (const auto* n = shell.as<AttrStmtNode>()) return AttrStmt(n->node, n->attr_key, n->value, body);
  if (const auto* n = shell.as<IfThenElseNode>()) {
    TVM_CHECK(!n->else_case.defined(), "InternalError") << "MergeNest: an if shell must not have an else branch";
    return IfThenElse(n->condition, body);
  }
  if (const auto* n = shell.as<AssertStmtNode>()) return AssertStmt(n->condition, n->message, body);
  if (const auto* n = shell.as<SeqStmtNode>()) {
    // The last statement of a sequence is the placeholder for the body.
    std::vector<Stmt> seq(n->seq.begin(), n->seq.end());
    TVM_CHECK(!seq.empty(), "InternalError") << "MergeNest: empty sequence shell";
    seq.back() = Rewrap(seq.back(), body);
    return SeqStmt::Flatten(seq);
  }
  TVM_CHECK(false, "InternalError") << "MergeNest: cannot nest into a " << shell->GetTypeKey();
  return Stmt();
}

}  // namespace

Stmt MergeNest(const std::vector<Stmt>& nest, Stmt body) {
  for (auto it = nest.rbegin(); it != nest.rend(); ++it) body = Rewrap(*it, body);
  return body;
}

Stmt MergeNest(const std::vector<std::vector<Stmt>>& nest, Stmt body) {
  for (auto it = nest.rbegin(); it != nest.rend(); ++it) body = MergeNest(*it, body);
  return body;
}

namespace {

class TensorReplacer final : public StmtExprMutator {
 public:
  explicit TensorReplacer(const TensorReplaceMap& replace) : replace_(replace) {}
  using StmtExprMutator::operator();
  PrimExpr Mutate(const PrimExpr& e) { return VisitExpr(e); }

 protected:
  PrimExpr VisitExpr_(const ProducerLoadNode* op) final {
    PrimExpr e = StmtExprMutator::VisitExpr_(op);
    const auto* load = e.as<ProducerLoadNode>();
    auto it = replace_.find(Downcast<Tensor>(load->producer));
    if (it == replace_.end()) return e;
    return ProducerLoad(it->second, load->indices);
  }
  Stmt VisitStmt_(const ProducerStoreNode* op) final {
    Stmt s = StmtExprMutator::VisitStmt_(op);
    const auto* store = s.as<ProducerStoreNode>();
    auto it = replace_.find(Downcast<Tensor>(store->producer));
    if (it == replace_.end()) return s;
    return ProducerStore(it->second, store->value, store->indices);
  }

 private:
  const TensorReplaceMap& replace_;
};

}  // namespace

Stmt ReplaceTensor(Stmt stmt, const TensorReplaceMap& replace) {
  if (replace.empty()) return stmt;
  return TensorReplacer(replace)(std::move(stmt));
}

PrimExpr ReplaceTensor(PrimExpr expr, const TensorReplaceMap& replace) {
  if (replace.empty()) return expr;
  return TensorReplacer(replace).Mutate(expr);
}

Stmt Substitute(Stmt stmt, const IterVarExprMap& value_map) {
  std::unordered_map<const VarNode*, PrimExpr> vmap;
  for (const auto& kv : value_map) vmap[kv.first->var.get()] = kv.second;
  return tir::Substitute(std::move(stmt), vmap);
}

PrimExpr Substitute(PrimExpr expr, const IterVarExprMap& value_map) {
  std::unordered_map<const VarNode*, PrimExpr> vmap;
  for (const auto& kv : value_map) vmap[kv.first->var.get()] = kv.second;
  return tir::Substitute(std::move(expr), vmap);
}

Array<Tensor> CollectInputTensors(const Array<PrimExpr>& exprs) {
  Array<Tensor> inputs;
  TensorMap<bool> seen;
  for (const PrimExpr& e : exprs) {
    PostOrderVisit(e, [&](const ObjectRef& n) {
      if (const auto* load = n.as<ProducerLoadNode>()) {
        Tensor t = Downcast<Tensor>(load->producer);
        if (seen.emplace(t, true).second) inputs.push_back(t);
      }
    });
  }
  return inputs;
}

bool ReduceEqual(const ReduceNode* a, const ReduceNode* b) {
  if (!a->combiner.same_as(b->combiner)) return false;
  // Conditions and initial values are often rebuilt per output (true, constants): compare by value.
  if (!a->condition.same_as(b->condition) && !StructuralEqual()(a->condition, b->condition)) return false;
  if (a->source.size() != b->source.size() || a->axis.size() != b->axis.size()) return false;
  if (a->init.size() != b->init.size()) return false;
  for (size_t i = 0; i < a->source.size(); ++i) {
    if (!a->source[i].same_as(b->source[i])) return false;
  }
  for (size_t i = 0; i < a->axis.size(); ++i) {
    if (!a->axis[i].same_as(b->axis[i])) return false;
  }
  for (size_t i = 0; i < a->init.size(); ++i) {
    if (!a->init[i].same_as(b->init[i]) && !StructuralEqual()(a->init[i], b->init[i])) return false;
  }
  return true;
}

namespace {

class Inliner final : public StmtExprMutator {
 public:
  Inliner(Operation op, Array<Var> args, PrimExpr body) : op_(op), args_(args), body_(body) {}
  using StmtExprMutator::operator();

 protected:
  PrimExpr VisitExpr_(const ProducerLoadNode* op) final {
    PrimExpr e = StmtExprMutator::VisitExpr_(op);
    const auto* load = e.as<ProducerLoadNode>();
    Tensor t = Downcast<Tensor>(load->producer);
    if (!t->op.same_as(op_)) return e;
    TVM_CHECK(load->indices.size() == args_.size(), "InternalError")
        << "inlining " << op_->name << ": read with " << load->indices.size() << " indices";
    std::unordered_map<const VarNode*, PrimExpr> vmap;
    // An index may be wider than the producer's axis (an int64 relay.Any() extent reading an
    // int32 one): the producer's extent bounds it, so it is cast to the axis type.
    for (size_t i = 0; i < args_.size(); ++i) {
      const PrimExpr& index = load->indices[i];
      vmap[args_[i].get()] = index.dtype() == args_[i].dtype() ? index : tir::Cast(args_[i].dtype(), index);
    }
    return tir::Substitute(body_, vmap);
  }

 private:
  Operation op_;
  Array<Var> args_;
  PrimExpr body_;
};

}  // namespace

Stmt Inline(Stmt stmt, Operation op, Array<Var> args, PrimExpr body) {
  return Inliner(op, args, body)(std::move(stmt));
}

}  // namespace te
}  // namespace tvm
