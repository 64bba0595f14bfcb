/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file hoist_if_then_else.cc
 * \brief HoistIfThenElse: test a condition once, outside the loops it does not
 *  depend on, instead of in every iteration.
 *
 *   before:  for xo: for xi: for y:           after:  for xo: for xi:
 *              if likely(xo * 5 + xi < 16):              if likely(xo * 5 + xi < 16):
 *                C[...] = ...                              for y: C[...] = ...
 *
 * An `if` moves out of a loop when its condition is pure (no loads, no calls
 * with effects), uses no variable the loop (or anything inside it) defines,
 * and covers the whole body of the loop (the body holds no sequence of
 * statements of which the `if` is one part). A loop with an if-else becomes
 * `if c: loop else: loop`. By default a condition never moves out of a
 * thread, virtual-thread or pragma scope (an AttrStmt over an IterVar or a
 * Var), nor moves at all if it reads the variable of such a scope; the option
 * tir.HoistIfThenElse {"support_block_scope_hosting": 1} lifts both limits.
 * The copies of the condition left inside are then removed by Simplify, and
 * empty branches by RemoveNoOp.
 */
#include <tvm/runtime/registry.h>
#include <tvm/tir/builtin.h>
#include <tvm/tir/op.h>
#include <tvm/tir/stmt_functor.h>
#include <tvm/tir/transform.h>

#include "ir_utils.h"

#include <optional>
#include <unordered_map>
#include <vector>

namespace tvm {
namespace tir {
namespace {

bool IsPure(const PrimExpr& cond) {
  bool pure = true;
  PostOrderVisit(cond, [&pure](const ObjectRef& n) {
    if (n.as<BufferLoadNode>() || n.as<ProducerLoadNode>()) pure = false;
    if (const auto* call = n.as<CallNode>()) {
      const auto* op = call->op.as<OpNode>();
      if (op == nullptr || GetCallEffectKind(GetRef<Op>(op)) > CallEffectKind::kPure) pure = false;
    }
  });
  return pure;
}

struct Hoisted {
  PrimExpr condition;
  bool with_else;
};

/*! \brief For each loop (or thread scope), the conditions to test around it
 *  (outermost first). */
class HoistPlanner : public StmtVisitor {
 public:
  explicit HoistPlanner(bool cross_thread_scopes) : cross_thread_scopes_(cross_thread_scopes) {}

  std::unordered_map<const StmtNode*, std::vector<Hoisted>> plan;

  void VisitStmt_(const ForNode* op) final {
    Define(op->loop_var, scopes_.size() + 1);
    scopes_.push_back(Scope{op, false, false});
    StmtVisitor::VisitStmt_(op);
    scopes_.pop_back();
  }

  void VisitStmt_(const AttrStmtNode* op) final {
    Var bound;
    if (const auto* iv = op->node.as<IterVarNode>()) {
      bound = iv->var;
    } else if (const auto* v = op->node.as<VarNode>()) {
      bound = GetRef<Var>(v);
    } else {
      return StmtVisitor::VisitStmt_(op);
    }
    // A scope over a thread or loop variable (thread_extent, virtual
    // threads, pragmas): its variable is a block variable while inside.
    auto saved = depth_.find(bound.get()) != depth_.end() ? std::optional<size_t>(depth_[bound.get()]) : std::nullopt;
    Define(bound, scopes_.size() + 1);
    ++block_vars_[bound.get()];
    scopes_.push_back(Scope{op, true, false});
    StmtVisitor::VisitStmt_(op);
    scopes_.pop_back();
    if (--block_vars_[bound.get()] == 0) block_vars_.erase(bound.get());
    if (saved) {
      depth_[bound.get()] = *saved;
    } else {
      depth_.erase(bound.get());
    }
  }

  void VisitStmt_(const LetStmtNode* op) final {
    Define(op->var, scopes_.size());
    StmtVisitor::VisitStmt_(op);
  }

  void VisitStmt_(const AllocateNode* op) final {
    Define(op->buffer_var, scopes_.size());
    StmtVisitor::VisitStmt_(op);
  }

  void VisitStmt_(const SeqStmtNode* op) final {
    // Everything below is part of a sequence in the innermost scope's body.
    if (!scopes_.empty()) scopes_.back().has_sequence = true;
    StmtVisitor::VisitStmt_(op);
  }

  void VisitStmt_(const IfThenElseNode* op) final {
    if (IsPure(op->condition) && (cross_thread_scopes_ || !UsesBlockVar(op->condition))) {
      if (const StmtNode* dest = Destination(op->condition)) {
        plan[dest].push_back(Hoisted{op->condition, op->else_case.defined()});
      }
    }
    StmtVisitor::VisitStmt_(op);
  }

 private:
  struct Scope {
    const StmtNode* node;  // a For or an AttrStmt
    bool is_thread;
    bool has_sequence;
  };

  /*! \brief var may only be used inside the first `depth` scopes. */
  void Define(const Var& var, size_t depth) { depth_[var.get()] = depth; }

  bool UsesBlockVar(const PrimExpr& cond) const {
    if (block_vars_.empty()) return false;
    bool uses = false;
    PostOrderVisit(cond, [&](const ObjectRef& n) {
      if (const auto* v = n.as<VarNode>()) uses = uses || block_vars_.count(v);
    });
    return uses;
  }

  /*! \brief The outermost scope the condition can be tested around, or null. */
  const StmtNode* Destination(const PrimExpr& cond) const {
    size_t needed = 0;  // scopes the condition must stay inside
    PostOrderVisit(cond, [&](const ObjectRef& n) {
      if (const auto* v = n.as<VarNode>()) {
        auto it = depth_.find(v);
        if (it != depth_.end()) needed = std::max(needed, it->second);
      }
    });
    const StmtNode* dest = nullptr;
    for (size_t i = scopes_.size(); i > needed; --i) {
      const Scope& s = scopes_[i - 1];
      if (s.has_sequence || (s.is_thread && !cross_thread_scopes_)) break;
      dest = s.node;
    }
    return dest;
  }

  bool cross_thread_scopes_;
  std::vector<Scope> scopes_;
  std::unordered_map<const VarNode*, size_t> depth_;
  std::unordered_map<const VarNode*, int> block_vars_;
};

class IfHoister : public StmtMutator {
 public:
  explicit IfHoister(std::unordered_map<const StmtNode*, std::vector<Hoisted>> plan) : plan_(std::move(plan)) {}

  Stmt VisitStmt_(const ForNode* op) final { return Wrap(op, StmtMutator::VisitStmt_(op)); }
  Stmt VisitStmt_(const AttrStmtNode* op) final { return Wrap(op, StmtMutator::VisitStmt_(op)); }

 private:
  Stmt Wrap(const StmtNode* key, Stmt scope) {
    auto it = plan_.find(key);
    if (it == plan_.end()) return scope;
    for (auto h = it->second.rbegin(); h != it->second.rend(); ++h) {
      scope = h->with_else ? IfThenElse(h->condition, scope, scope) : IfThenElse(h->condition, scope);
    }
    return scope;
  }

  std::unordered_map<const StmtNode*, std::vector<Hoisted>> plan_;
};

}  // namespace

namespace transform {

Pass HoistIfThenElse() {
  auto fpass = [](PrimFunc f, IRModule m, PassContext ctx) {
    // support_block_scope_hosting (sic, TVM's key): also move conditions out
    // of thread and pragma scopes, and conditions on their variables.
    auto cfg = ctx->GetConfig<Map<String, ObjectRef>>("tir.HoistIfThenElse");
    HoistPlanner planner(OptionInt(cfg, "support_block_scope_hosting", 0) != 0);
    planner(f->body);
    if (planner.plan.empty()) return f;
    f.CopyOnWrite()->body = IfHoister(std::move(planner.plan))(f->body);
    return f;
  };
  Pass insert = CreatePrimFuncPass(fpass, 0, "tir.InsertHoistIfThenElse", {});
  return tvm::transform::Sequential({insert, Simplify(), RemoveNoOp()}, 0, "tir.HoistIfThenElse");
}

TVM_REGISTER_GLOBAL("tir.transform.HoistIfThenElse").set_body_typed([]() { return HoistIfThenElse(); });

// {support_block_scope_hosting}
static const bool kHoistIfConfigRegistered =
    (PassContext::RegisterConfigOption("tir.HoistIfThenElse", "Map"), true);

}  // namespace transform
}  // namespace tir
}  // namespace tvm
