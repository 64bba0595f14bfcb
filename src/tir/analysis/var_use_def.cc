/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Where variables are defined and used: UndefinedVars and VerifySSA (one walk,
// two questions), and expr_deep_equal (the arith layer's identity-based
// expression equality) for Python.
#include <tvm/runtime/registry.h>
#include <tvm/tir/analysis.h>
#include <tvm/tir/stmt_functor.h>

#include <unordered_set>

#include "../../arith/expr_equal.h"

namespace tvm {
namespace tir {

namespace {

class VarUseDef : public StmtExprVisitor {
 public:
  void Define(const Var& v) {
    if (!defined_.insert(v.get()).second) redefined_ = true;
  }
  void Run(const ObjectRef& node) {
    if (const auto* s = node.as<StmtNode>()) {
      VisitStmt(GetRef<Stmt>(s));
    } else if (const auto* e = node.as<PrimExprNode>()) {
      VisitExpr(GetRef<PrimExpr>(e));
    } else {
      TVM_CHECK(false, "TypeError") << "expected a Stmt or a PrimExpr, got " << node->GetTypeKey();
    }
  }
  void Use(const Var& v) {
    if (!defined_.count(v.get()) && used_.insert(v.get()).second) undefined_.push_back(v);
  }
  void UseBuffer(const Buffer& b) {
    if (!buffers_.insert(b.get()).second) return;
    Use(b->data);
    for (const PrimExpr& e : b->shape) VisitExpr(e);
    for (const PrimExpr& e : b->strides) VisitExpr(e);
    if (b->elem_offset.defined()) VisitExpr(b->elem_offset);
  }

  Array<Var> undefined_;
  bool redefined_{false};

 protected:
  using StmtExprVisitor::VisitExpr_;
  using StmtExprVisitor::VisitStmt_;

  void VisitExpr_(const VarNode* op) final { Use(GetRef<Var>(op)); }
  void VisitExpr_(const LetNode* op) final {
    VisitExpr(op->value);
    Define(op->var);
    VisitExpr(op->body);
  }
  void VisitExpr_(const BufferLoadNode* op) final {
    UseBuffer(op->buffer);
    StmtExprVisitor::VisitExpr_(op);
  }
  void VisitStmt_(const LetStmtNode* op) final {
    VisitExpr(op->value);
    Define(op->var);
    VisitStmt(op->body);
  }
  void VisitStmt_(const ForNode* op) final {
    VisitExpr(op->min);
    VisitExpr(op->extent);
    Define(op->loop_var);
    VisitStmt(op->body);
  }
  void VisitStmt_(const AllocateNode* op) final {
    Define(op->buffer_var);
    StmtExprVisitor::VisitStmt_(op);
  }
  void VisitStmt_(const AttrStmtNode* op) final {
    if (const auto* iv = op->node.as<IterVarNode>()) {
      if (op->attr_key == "thread_extent" || op->attr_key == "virtual_thread") {
        // The same thread index may open several scopes: define it once.
        if (!defined_.count(iv->var.get())) Define(iv->var);
      }
    } else if (const auto* v = op->node.as<VarNode>()) {
      Use(GetRef<Var>(v));
    }
    StmtExprVisitor::VisitStmt_(op);
  }
  void VisitStmt_(const BufferStoreNode* op) final {
    UseBuffer(op->buffer);
    StmtExprVisitor::VisitStmt_(op);
  }
  void VisitStmt_(const DeclBufferNode* op) final {
    UseBuffer(op->buffer);
    StmtExprVisitor::VisitStmt_(op);
  }

 private:
  std::unordered_set<const Object*> defined_, used_, buffers_;
};

}  // namespace

Array<Var> UndefinedVars(const ObjectRef& node, const Array<Var>& defs) {
  VarUseDef v;
  for (const Var& d : defs) v.Define(d);
  v.Run(node);
  return v.undefined_;
}

bool VerifySSA(const PrimFunc& func) {
  VarUseDef v;
  for (const Var& p : func->params) v.Define(p);
  v.Run(func->body);
  return !v.redefined_;
}

TVM_REGISTER_GLOBAL("tir.analysis.UndefinedVars")
    .set_body_typed([](ObjectRef node, std::optional<Array<Var>> defs) {
      return UndefinedVars(node, defs.value_or(Array<Var>()));
    });
TVM_REGISTER_GLOBAL("tir.analysis.verify_ssa").set_body_typed(VerifySSA);
TVM_REGISTER_GLOBAL("tir.analysis.expr_deep_equal").set_body_typed([](PrimExpr a, PrimExpr b) {
  return arith::ExprDeepEqual(a, b);
});

}  // namespace tir
}  // namespace tvm
