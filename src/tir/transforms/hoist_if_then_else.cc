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
 * statements of which the `if` is one part). It never moves out of a thread
 * or virtual-thread scope (an AttrStmt over an IterVar or a Var). A loop with
 * an if-else becomes `if c: loop else: loop`. The copies of the condition
 * left inside are then removed by Simplify, and empty branches by RemoveNoOp.
 */
#include <tvm/runtime/registry.h>
#include <tvm/tir/builtin.h>
#include <tvm/tir/op.h>
#include <tvm/tir/stmt_functor.h>
#include <tvm/tir/transform.h>

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

/*! \brief For each loop, the conditions to test around it (outermost first). */
class HoistPlanner : public StmtVisitor {
 public:
  std::unordered_map<const ForNode*, std::vector<Hoisted>> plan;

  void VisitStmt_(const ForNode* op) final {
    Define(op->loop_var, scopes_.size() + 1);
    scopes_.push_back(Scope{op, false, false});
    StmtVisitor::VisitStmt_(op);
    scopes_.pop_back();
  }

  void VisitStmt_(const AttrStmtNode* op) final {
    const bool binds_thread = op->node.as<IterVarNode>() != nullptr || op->node.as<VarNode>() != nullptr;
    if (!binds_thread) return StmtVisitor::VisitStmt_(op);
    if (const auto* iv = op->node.as<IterVarNode>()) Define(iv->var, scopes_.size() + 1);
    scopes_.push_back(Scope{nullptr, true, false});
    StmtVisitor::VisitStmt_(op);
    scopes_.pop_back();
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
    // Everything below is part of a sequence in the innermost loop's body.
    if (!scopes_.empty()) scopes_.back().has_sequence = true;
    StmtVisitor::VisitStmt_(op);
  }

  void VisitStmt_(const IfThenElseNode* op) final {
    if (IsPure(op->condition)) {
      if (const ForNode* loop = Destination(op->condition)) {
        plan[loop].push_back(Hoisted{op->condition, op->else_case.defined()});
      }
    }
    StmtVisitor::VisitStmt_(op);
  }

 private:
  struct Scope {
    const ForNode* loop;  // null for a thread scope
    bool is_thread;
    bool has_sequence;
  };

  /*! \brief var may only be used inside the first `depth` scopes. */
  void Define(const Var& var, size_t depth) { depth_[var.get()] = depth; }

  /*! \brief The outermost loop the condition can be tested around, or null. */
  const ForNode* Destination(const PrimExpr& cond) const {
    size_t needed = 0;  // scopes the condition must stay inside
    PostOrderVisit(cond, [&](const ObjectRef& n) {
      if (const auto* v = n.as<VarNode>()) {
        auto it = depth_.find(v);
        if (it != depth_.end()) needed = std::max(needed, it->second);
      }
    });
    const ForNode* dest = nullptr;
    for (size_t i = scopes_.size(); i > needed; --i) {
      const Scope& s = scopes_[i - 1];
      if (s.is_thread || s.has_sequence) break;
      dest = s.loop;
    }
    return dest;
  }

  std::vector<Scope> scopes_;
  std::unordered_map<const VarNode*, size_t> depth_;
};

class IfHoister : public StmtMutator {
 public:
  explicit IfHoister(std::unordered_map<const ForNode*, std::vector<Hoisted>> plan) : plan_(std::move(plan)) {}

  Stmt VisitStmt_(const ForNode* op) final {
    Stmt loop = StmtMutator::VisitStmt_(op);
    auto it = plan_.find(op);
    if (it == plan_.end()) return loop;
    for (auto h = it->second.rbegin(); h != it->second.rend(); ++h) {
      loop = h->with_else ? IfThenElse(h->condition, loop, loop) : IfThenElse(h->condition, loop);
    }
    return loop;
  }

 private:
  std::unordered_map<const ForNode*, std::vector<Hoisted>> plan_;
};

}  // namespace

namespace transform {

Pass HoistIfThenElse() {
  auto fpass = [](PrimFunc f, IRModule m, PassContext ctx) {
    HoistPlanner planner;
    planner(f->body);
    if (planner.plan.empty()) return f;
    f.CopyOnWrite()->body = IfHoister(std::move(planner.plan))(f->body);
    return f;
  };
  Pass insert = CreatePrimFuncPass(fpass, 0, "tir.InsertHoistIfThenElse", {});
  return tvm::transform::Sequential({insert, Simplify(), RemoveNoOp()}, 0, "tir.HoistIfThenElse");
}

TVM_REGISTER_GLOBAL("tir.transform.HoistIfThenElse").set_body_typed([]() { return HoistIfThenElse(); });

}  // namespace transform
}  // namespace tir
}  // namespace tvm
