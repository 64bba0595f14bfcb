/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file instrument_bound_checkers.cc
 * \brief InstrumentBoundCheckers: check every buffer access at run time
 *  (debugging mode, config "tir.instrument_bound_checkers").
 *
 * Assumes: flat buffers whose data variables carry AttrStmt "buffer_bound"
 *  (their size in elements), as StorageFlatten(..., create_bound_attribute
 *  = true) emits them.
 *
 * Guarantees: each statement that loads from or stores to a bounded buffer
 *  (other than the address of a prefetch, which may run past the end)
 *  is preceded by one AssertStmt per access, requiring 0 <= index and
 *  index < size (for a vector access, its first and last lane), with the
 *  message "Out-of-bounds access to buffer B: index <index> is outside
 *  [0, <size>)" naming the buffer and the index expression. The
 *  "buffer_bound" attributes are removed.
 *
 *   before:  with T.attr(B, "buffer_bound", 16):     after:  assert 0 <= i + 1 and i + 1 < 16, "Out-of-bounds
 *                B_1[i + 1] = T.float32(0)                       access to buffer B: index i + 1 is outside [0, 16)"
 *                                                            B_1[i + 1] = T.float32(0)
 */
#include <tvm/runtime/registry.h>
#include <tvm/tir/transform.h>

#include <sstream>
#include <unordered_map>

#include "ir_utils.h"

namespace tvm {
namespace tir {
namespace {

class BoundChecker : public StmtExprMutator {
 protected:
  Stmt VisitStmt_(const AttrStmtNode* op) final {
    if (op->attr_key == attr::buffer_bound) {
      if (const auto* v = op->node.as<VarNode>()) {
        bounds_[v] = op->value;
        return VisitStmt(op->body);
      }
    }
    return StmtExprMutator::VisitStmt_(op);
  }

  Stmt VisitStmt_(const BufferStoreNode* op) final {
    Stmt s = StmtExprMutator::VisitStmt_(op);
    op = s.as<BufferStoreNode>();
    std::vector<Stmt> checks;
    AddCheck(op->buffer, op->indices, &checks);
    for (const PrimExpr& i : op->indices) CheckLoadsIn(i, &checks);
    CheckLoadsIn(op->value, &checks);
    return WrapNest(checks, s);
  }

  Stmt VisitStmt_(const EvaluateNode* op) final { return WithLoadChecks(StmtExprMutator::VisitStmt_(op), op->value); }
  Stmt VisitStmt_(const LetStmtNode* op) final { return WithLoadChecks(StmtExprMutator::VisitStmt_(op), op->value); }
  Stmt VisitStmt_(const IfThenElseNode* op) final {
    return WithLoadChecks(StmtExprMutator::VisitStmt_(op), op->condition);
  }

  Stmt WithLoadChecks(Stmt s, const PrimExpr& e) {
    std::vector<Stmt> checks;
    CheckLoadsIn(e, &checks);
    return WrapNest(checks, s);
  }

  void CheckLoadsIn(const PrimExpr& e, std::vector<Stmt>* checks) {
    if (bounds_.empty()) return;
    LoadCollector collector(this, checks);
    collector(e);
  }

  /*! \brief Checks every load of an expression, except addresses given to prefetch (a hint that never faults). */
  class LoadCollector : public ExprVisitor {
   public:
    LoadCollector(BoundChecker* checker, std::vector<Stmt>* checks) : checker_(checker), checks_(checks) {}

   private:
    void VisitExpr_(const BufferLoadNode* op) final {
      ExprVisitor::VisitExpr_(op);
      checker_->AddCheck(op->buffer, op->indices, checks_);
    }
    void VisitExpr_(const CallNode* op) final {
      if (op->op.same_as(builtin::prefetch())) return;
      ExprVisitor::VisitExpr_(op);
    }

    BoundChecker* checker_;
    std::vector<Stmt>* checks_;
  };

  void AddCheck(const Buffer& buffer, const Array<PrimExpr>& indices, std::vector<Stmt>* checks) {
    auto it = bounds_.find(buffer->data.get());
    if (it == bounds_.end() || indices.size() != 1) return;
    PrimExpr index = indices[0];
    PrimExpr first = index, last = index;
    if (const auto* ramp = index.as<RampNode>()) {
      first = ramp->base;
      last = add(ramp->base, mul(ramp->stride, make_const(ramp->stride.dtype(), ramp->lanes - 1)));
    }
    PrimExpr size = cast(first.dtype(), it->second);
    PrimExpr cond = logical_and(GE(first, make_zero(first.dtype())), LT(last, size));
    std::ostringstream msg;
    msg << "Out-of-bounds access to buffer " << buffer->name << ": index " << index << " is outside [0, "
        << it->second << ")";
    checks->push_back(AssertStmt(cond, StringImm(msg.str()), Evaluate(0)));
  }

 private:
  std::unordered_map<const VarNode*, PrimExpr> bounds_;
};

}  // namespace

namespace transform {

Pass InstrumentBoundCheckers() {
  auto fpass = [](PrimFunc f, IRModule m, PassContext ctx) {
    Stmt body = BoundChecker()(f->body);
    if (body.same_as(f->body)) return f;
    f.CopyOnWrite()->body = body;
    return f;
  };
  return CreatePrimFuncPass(fpass, 0, "tir.InstrumentBoundCheckers", {});
}

TVM_REGISTER_GLOBAL("tir.transform.InstrumentBoundCheckers").set_body_typed([]() {
  return InstrumentBoundCheckers();
});

}  // namespace transform
}  // namespace tir
}  // namespace tvm
