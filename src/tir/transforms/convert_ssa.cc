/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file convert_ssa.cc
 * \brief ConvertSSA: one definition per variable.
 *
 * Assumes: nothing; copies of a body made by other passes (a partitioned
 *  loop's parts, both branches of a thread-scope split) define the same
 *  loop, let and allocation variables several times.
 *
 * Guarantees: each variable is defined once (a function's parameters
 *  count as definitions). A later definition gets a fresh variable of the
 *  same name and type, its uses in that scope follow it, and buffers whose
 *  data, shape, strides or offset mention a renamed variable are rebuilt
 *  (one new buffer per old buffer and scope). Thread variables are shared
 *  by design (every launch of threadIdx.x is the same axis) and kept.
 *
 *   before:  for i in range(4): A[i] = 0      after:  for i in range(4): A[i] = 0
 *            for i in range(4): B[i] = 0              for i_1 in range(4): B[i_1] = 0
 */
#include "convert_ssa.h"

#include <tvm/runtime/registry.h>
#include <tvm/tir/stmt_functor.h>
#include <tvm/tir/transform.h>

#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace tvm {
namespace tir {
namespace {

class SSAConverter : public StmtExprMutator {
 public:
  /*! \brief Mark variables defined outside the statement (function parameters). */
  void Define(const Var& v) { defined_.insert(v.get()); }

  Stmt Convert(const Stmt& s) { return VisitStmt(s); }

 protected:
  /*! \brief While alive, uses of `old` refer to a fresh copy of it. */
  class Redefine {
   public:
    Redefine(SSAConverter* self, const Var& old) : self_(self), old_(old.get()) {
      fresh = old.copy_with_suffix("");
      self_->scope_[old_].push_back(fresh);
    }
    ~Redefine() {
      self_->scope_[old_].pop_back();
      // Buffers rebuilt over this variable leave scope with it.
      for (auto& kv : self_->buffer_remap_) {
        auto& stack = kv.second;
        while (!stack.empty() && stack.back().first == fresh.get()) stack.pop_back();
      }
    }
    Var fresh;

   private:
    SSAConverter* self_;
    const VarNode* old_;
  };

  Var Current(const Var& v) const {
    auto it = scope_.find(v.get());
    if (it == scope_.end() || it->second.empty()) return v;
    return it->second.back();
  }

  PrimExpr VisitExpr_(const VarNode* op) final { return Current(GetRef<Var>(op)); }

  Buffer RemapBuffer(const Buffer& b) {
    Var data = Current(b->data);
    auto visit = [this](const PrimExpr& e) { return VisitExpr(e); };
    Array<PrimExpr> shape = b->shape.Map(visit);
    Array<PrimExpr> strides = b->strides.Map(visit);
    PrimExpr offset = b->elem_offset.defined() ? VisitExpr(b->elem_offset) : b->elem_offset;
    if (data.same_as(b->data) && shape.same_as(b->shape) && strides.same_as(b->strides) &&
        offset.same_as(b->elem_offset)) {
      return b;
    }
    auto& stack = buffer_remap_[b.operator->()];
    if (!stack.empty() && stack.back().second->data.same_as(data) &&
        StructuralEqualShape(stack.back().second, shape, strides, offset)) {
      return stack.back().second;
    }
    auto n = make_object<BufferNode>(*b.operator->());
    n->data = data;
    n->shape = shape;
    n->strides = strides;
    n->elem_offset = offset;
    Buffer nb(ObjectPtr<Object>(std::move(n)));
    // Keyed by the innermost renamed variable so the entry leaves scope with it.
    stack.emplace_back(data.same_as(b->data) ? nullptr : data.get(), nb);
    return nb;
  }

  static bool StructuralEqualShape(const Buffer& b, const Array<PrimExpr>& shape, const Array<PrimExpr>& strides,
                                   const PrimExpr& offset) {
    auto same = [](const Array<PrimExpr>& a, const Array<PrimExpr>& c) {
      if (a.size() != c.size()) return false;
      for (size_t i = 0; i < a.size(); ++i) {
        if (!a[i].same_as(c[i])) return false;
      }
      return true;
    };
    return same(b->shape, shape) && same(b->strides, strides) && b->elem_offset.same_as(offset);
  }

  PrimExpr VisitExpr_(const BufferLoadNode* op) final {
    PrimExpr e = StmtExprMutator::VisitExpr_(op);
    const auto* load = e.as<BufferLoadNode>();
    Buffer b = RemapBuffer(load->buffer);
    if (b.same_as(load->buffer)) return e;
    return BufferLoad(b, load->indices);
  }

  Stmt VisitStmt_(const BufferStoreNode* op) final {
    Stmt s = StmtExprMutator::VisitStmt_(op);
    const auto* store = s.as<BufferStoreNode>();
    Buffer b = RemapBuffer(store->buffer);
    if (b.same_as(store->buffer)) return s;
    return BufferStore(b, store->value, store->indices);
  }

  Stmt VisitStmt_(const DeclBufferNode* op) final {
    Stmt s = StmtExprMutator::VisitStmt_(op);
    const auto* decl = s.as<DeclBufferNode>();
    Buffer b = RemapBuffer(decl->buffer);
    if (b.same_as(decl->buffer)) return s;
    return DeclBuffer(b, decl->body);
  }

  PrimExpr VisitExpr_(const LetNode* op) final {
    if (!defined_.count(op->var.get())) {
      defined_.insert(op->var.get());
      return StmtExprMutator::VisitExpr_(op);
    }
    PrimExpr value = VisitExpr(op->value);
    Redefine r(this, op->var);
    PrimExpr body = VisitExpr(op->body);
    return Let(r.fresh, value, body);
  }

  Stmt VisitStmt_(const LetStmtNode* op) final {
    if (!defined_.count(op->var.get())) {
      defined_.insert(op->var.get());
      return StmtExprMutator::VisitStmt_(op);
    }
    PrimExpr value = VisitExpr(op->value);
    Redefine r(this, op->var);
    Stmt body = VisitStmt(op->body);
    return LetStmt(r.fresh, value, body);
  }

  Stmt VisitStmt_(const ForNode* op) final {
    if (!defined_.count(op->loop_var.get())) {
      defined_.insert(op->loop_var.get());
      return StmtExprMutator::VisitStmt_(op);
    }
    PrimExpr min = VisitExpr(op->min), extent = VisitExpr(op->extent);
    Redefine r(this, op->loop_var);
    Stmt body = VisitStmt(op->body);
    auto n = make_object<ForNode>(*op);
    n->loop_var = r.fresh;
    n->min = min;
    n->extent = extent;
    n->body = body;
    return Stmt(ObjectPtr<Object>(std::move(n)));
  }

  Stmt VisitStmt_(const AllocateNode* op) final {
    if (!defined_.count(op->buffer_var.get())) {
      defined_.insert(op->buffer_var.get());
      return StmtExprMutator::VisitStmt_(op);
    }
    Array<PrimExpr> extents = op->extents.Map([this](const PrimExpr& e) { return VisitExpr(e); });
    PrimExpr condition = VisitExpr(op->condition);
    Redefine r(this, op->buffer_var);
    Stmt body = VisitStmt(op->body);
    return Allocate(r.fresh, op->dtype, extents, condition, body, op->annotations);
  }

  Stmt VisitStmt_(const AttrStmtNode* op) final {
    Stmt s = StmtExprMutator::VisitStmt_(op);
    // An attribute about a renamed variable (a pragma on a loop variable,
    // a buffer's scope) follows it.
    if (const auto* v = op->node.as<VarNode>()) {
      Var cur = Current(GetRef<Var>(v));
      if (!cur.same_as(op->node)) {
        const auto* a = s.as<AttrStmtNode>();
        return AttrStmt(cur, a->attr_key, a->value, a->body);
      }
    }
    return s;
  }

 private:
  std::unordered_set<const VarNode*> defined_;
  std::unordered_map<const VarNode*, std::vector<Var>> scope_;
  std::unordered_map<const BufferNode*, std::vector<std::pair<const VarNode*, Buffer>>> buffer_remap_;
};

}  // namespace

Stmt ConvertSSA(Stmt stmt) { return SSAConverter().Convert(stmt); }

namespace transform {

Pass ConvertSSA() {
  auto fpass = [](PrimFunc f, IRModule m, PassContext ctx) {
    SSAConverter converter;
    for (const Var& p : f->params) converter.Define(p);
    for (const auto& kv : f->buffer_map) converter.Define(kv.second->data);
    Stmt body = converter.Convert(f->body);
    if (body.same_as(f->body)) return f;
    f.CopyOnWrite()->body = body;
    return f;
  };
  return CreatePrimFuncPass(fpass, 0, "tir.ConvertSSA", {});
}

TVM_REGISTER_GLOBAL("tir.transform.ConvertSSA").set_body_typed([]() { return ConvertSSA(); });

}  // namespace transform
}  // namespace tir
}  // namespace tvm
