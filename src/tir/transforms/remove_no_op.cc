/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file remove_no_op.cc
 * \brief RemoveNoOp: drop statements that have no effect.
 *
 * Assumes: nothing (any PrimFunc body).
 *
 * Guarantees: removed are Evaluate of expressions without side effects,
 *  stores of a location's own value (B[i] = B[i]), loops whose body does
 *  nothing or whose extent is provably <= 0, ifs whose branches do nothing or whose
 *  condition is constant (the taken branch stays), lets, attributes and
 *  allocations around nothing, lets whose variable is unused. Stores whose
 *  indices are proven equal to the load's (with the loop ranges and the
 *  conditions of enclosing ifs) count as a location's own value. Side effects in dropped conditions or let
 *  values are kept as Evaluate. Running it twice changes nothing more.
 *
 *   before:  for i in range(16):              after:  A[0] = 1
 *                T.evaluate(0)
 *            if T.bool(True):
 *                A[0] = 1
 *            B[i] = B[i]
 */
#include <tvm/arith/analyzer.h>
#include <tvm/ir/structural_equal.h>
#include <tvm/runtime/registry.h>
#include <tvm/tir/transform.h>

#include "ir_utils.h"

namespace tvm {
namespace tir {
namespace {

class NoOpRemover : public StmtMutator {
 protected:
  /*! \brief An Evaluate keeping the side effects of e, or a no-op. */
  static Stmt KeepEffects(const PrimExpr& e) { return HasSideEffect(e) ? Evaluate(e) : Evaluate(0); }

  Stmt VisitStmt_(const LetStmtNode* op) final {
    if (op->value.dtype().is_int() && op->value.dtype().lanes() == 1) analyzer_.Bind(op->var, op->value, true);
    Stmt s = StmtMutator::VisitStmt_(op);
    op = s.as<LetStmtNode>();
    if (is_no_op(op->body)) return KeepEffects(op->value);
    // A binding nobody reads (and whose value does nothing) goes.
    if (!HasSideEffect(op->value) && !UsesVar(op->body, op->var.get())) return op->body;
    return s;
  }

  Stmt VisitStmt_(const AttrStmtNode* op) final {
    Stmt s = StmtMutator::VisitStmt_(op);
    op = s.as<AttrStmtNode>();
    if (is_no_op(op->body)) return Evaluate(0);
    return s;
  }

  Stmt VisitStmt_(const IfThenElseNode* op) final {
    // The condition (or its negation) holds in each branch: indices may be
    // proven equal with it.
    Stmt then_case, else_case;
    {
      With<arith::ConstraintContext> ctx(&analyzer_, op->condition);
      then_case = VisitStmt(op->then_case);
    }
    if (op->else_case.defined()) {
      With<arith::ConstraintContext> ctx(&analyzer_, logical_not(op->condition));
      else_case = VisitStmt(op->else_case);
    }
    Stmt s = then_case.same_as(op->then_case) && else_case.same_as(op->else_case)
                 ? GetRef<Stmt>(op)
                 : IfThenElse(op->condition, then_case, else_case);
    op = s.as<IfThenElseNode>();
    if (auto c = as_const_int(op->condition)) {
      if (*c) return op->then_case;
      return op->else_case.defined() ? op->else_case : Evaluate(0);
    }
    bool then_noop = is_no_op(op->then_case);
    bool else_noop = !op->else_case.defined() || is_no_op(op->else_case);
    if (then_noop && else_noop) return KeepEffects(op->condition);
    if (op->else_case.defined() && else_noop) return IfThenElse(op->condition, op->then_case);
    if (then_noop) return IfThenElse(logical_not(op->condition), op->else_case);
    return s;
  }

  Stmt VisitStmt_(const ForNode* op) final {
    // A loop that provably runs no iteration (extent <= 0) does nothing.
    if (is_zero(op->extent) || (op->extent.dtype().is_int() && analyzer_.CanProveLess(op->extent, 1))) {
      return Evaluate(0);
    }
    analyzer_.Bind(op->loop_var, Range::FromMinExtent(op->min, op->extent), true);
    Stmt s = StmtMutator::VisitStmt_(op);
    op = s.as<ForNode>();
    if (is_no_op(op->body)) return Evaluate(0);
    return s;
  }

  Stmt VisitStmt_(const WhileNode* op) final {
    Stmt s = StmtMutator::VisitStmt_(op);
    op = s.as<WhileNode>();
    if (is_zero(op->condition)) return Evaluate(0);
    return s;
  }

  Stmt VisitStmt_(const AllocateNode* op) final {
    Stmt s = StmtMutator::VisitStmt_(op);
    op = s.as<AllocateNode>();
    if (is_no_op(op->body)) return Evaluate(0);
    return s;
  }

  Stmt VisitStmt_(const DeclBufferNode* op) final {
    Stmt s = StmtMutator::VisitStmt_(op);
    op = s.as<DeclBufferNode>();
    if (is_no_op(op->body)) return Evaluate(0);
    return s;
  }

  Stmt VisitStmt_(const EvaluateNode* op) final {
    if (is_no_op(GetRef<Stmt>(op))) return GetRef<Stmt>(op);
    if (!HasSideEffect(op->value)) return Evaluate(0);
    return GetRef<Stmt>(op);
  }

  Stmt VisitStmt_(const BufferStoreNode* op) final {
    if (const auto* load = op->value.as<BufferLoadNode>()) {
      if (load->buffer->data.same_as(op->buffer->data) && load->indices.size() == op->indices.size()) {
        bool same = true;
        for (size_t i = 0; i < op->indices.size() && same; ++i) {
          same = StructuralEqual()(load->indices[i], op->indices[i]) ||
                 (load->indices[i].dtype() == op->indices[i].dtype() && load->indices[i].dtype().lanes() == 1 &&
                  analyzer_.CanProveEqual(load->indices[i], op->indices[i]));
        }
        if (same && !HasSideEffect(op->value)) return Evaluate(0);
      }
    }
    return GetRef<Stmt>(op);
  }

  Stmt VisitStmt_(const SeqStmtNode* op) final {
    Stmt s = StmtMutator::VisitSeqStmt_(op, true);
    if (const auto* seq = s.as<SeqStmtNode>()) {
      std::vector<Stmt> kept;
      for (const Stmt& x : seq->seq) {
        if (!is_no_op(x)) kept.push_back(x);
      }
      if (kept.size() != seq->seq.size()) return kept.empty() ? Evaluate(0) : SeqStmt::Flatten(kept);
    }
    return s;
  }

 private:
  arith::Analyzer analyzer_;
};

}  // namespace

namespace transform {

Pass RemoveNoOp() {
  auto fpass = [](PrimFunc f, IRModule m, PassContext ctx) {
    // max_simplification_steps bounds TVM's analyzer work; this pass has no such bound.
    CheckPassOptions(ctx->GetConfig<Map<String, ObjectRef>>("tir.RemoveNoOp"), "tir.RemoveNoOp",
                     {"use_dataflow_analysis", "max_simplification_steps"}, {"use_dataflow_analysis"});
    Stmt body = NoOpRemover()(f->body);
    if (body.same_as(f->body)) return f;
    f.CopyOnWrite()->body = body;
    return f;
  };
  return CreatePrimFuncPass(fpass, 0, "tir.RemoveNoOp", {});
}

static const bool kRemoveNoOpConfigRegistered = (PassContext::RegisterConfigOption("tir.RemoveNoOp", "Map"), true);

TVM_REGISTER_GLOBAL("tir.transform.RemoveNoOp").set_body_typed([]() { return RemoveNoOp(); });

}  // namespace transform
}  // namespace tir
}  // namespace tvm
