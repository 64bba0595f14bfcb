/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// RenewDefs: the same function with fresh definitions. Each definition site
// makes a new variable (same name and type) and every use below it refers to
// the new one; buffers are rebuilt over the renewed variables, once each.
#include <tvm/runtime/registry.h>
#include <tvm/tir/stmt_functor.h>

#include <unordered_map>

namespace tvm {
namespace tir {

namespace {

class DefRenewer : public StmtExprMutator {
 public:
  PrimFunc Run(const PrimFunc& func) {
    Array<Var> params;
    for (const Var& p : func->params) params.push_back(Define(p));
    // The buffers of the buffer_map define their data and shape variables.
    Map<Var, Buffer> buffer_map;
    for (const auto& kv : func->buffer_map) {
      buffer_map.Set(Downcast<Var>(VisitExpr(kv.first)), RenewBuffer(kv.second, /*defines=*/true));
    }
    Stmt body = VisitStmt(func->body);
    auto n = make_object<PrimFuncNode>(*func.operator->());
    n->params = params;
    n->buffer_map = buffer_map;
    n->body = body;
    return PrimFunc(ObjectPtr<Object>(std::move(n)));
  }

 protected:
  using StmtExprMutator::VisitExpr_;
  using StmtExprMutator::VisitStmt_;

  PrimExpr VisitExpr_(const VarNode* op) final {
    auto it = vars_.find(op);
    return it != vars_.end() ? PrimExpr(it->second) : GetRef<PrimExpr>(op);
  }
  PrimExpr VisitExpr_(const LetNode* op) final {
    PrimExpr value = VisitExpr(op->value);
    Var var = Define(op->var);
    return Let(var, value, VisitExpr(op->body));
  }
  PrimExpr VisitExpr_(const BufferLoadNode* op) final {
    return BufferLoad(RenewBuffer(op->buffer), VisitExprs(op->indices));
  }
  Stmt VisitStmt_(const BufferStoreNode* op) final {
    Buffer buffer = RenewBuffer(op->buffer);
    return BufferStore(buffer, VisitExpr(op->value), VisitExprs(op->indices));
  }
  Stmt VisitStmt_(const LetStmtNode* op) final {
    PrimExpr value = VisitExpr(op->value);
    Var var = Define(op->var);
    return LetStmt(var, value, VisitStmt(op->body));
  }
  Stmt VisitStmt_(const ForNode* op) final {
    auto n = make_object<ForNode>(*op);
    n->min = VisitExpr(op->min);
    n->extent = VisitExpr(op->extent);
    n->loop_var = Define(op->loop_var);
    n->body = VisitStmt(op->body);
    return Stmt(ObjectPtr<Object>(std::move(n)));
  }
  Stmt VisitStmt_(const AllocateNode* op) final {
    auto n = make_object<AllocateNode>(*op);
    n->extents = VisitExprs(op->extents);
    n->condition = VisitExpr(op->condition);
    n->buffer_var = Define(op->buffer_var);
    n->body = VisitStmt(op->body);
    return Stmt(ObjectPtr<Object>(std::move(n)));
  }
  Stmt VisitStmt_(const DeclBufferNode* op) final {
    Buffer buffer = RenewBuffer(op->buffer, /*defines=*/true);
    return DeclBuffer(buffer, VisitStmt(op->body));
  }
  Stmt VisitStmt_(const BufferRealizeNode* op) final {
    Buffer buffer = RenewBuffer(op->buffer, /*defines=*/true);
    return BufferRealize(buffer, VisitRanges(op->bounds), VisitExpr(op->condition), VisitStmt(op->body));
  }
  Stmt VisitStmt_(const PrefetchNode* op) final { return Prefetch(RenewBuffer(op->buffer), VisitRanges(op->bounds)); }
  Stmt VisitStmt_(const AttrStmtNode* op) final {
    ObjectRef node = op->node;
    if (const auto* iv = node.as<IterVarNode>()) {
      node = RenewIterVar(GetRef<IterVar>(iv));
    } else if (const auto* var = node.as<VarNode>()) {
      node = VisitExpr(GetRef<Var>(var));
    } else if (const auto* buffer = node.as<BufferNode>()) {
      node = RenewBuffer(GetRef<Buffer>(buffer));
    }
    PrimExpr value = op->value.defined() ? VisitExpr(op->value) : op->value;
    return AttrStmt(node, op->attr_key, value, VisitStmt(op->body));
  }

 private:
  Var Define(const Var& v) {
    // IR that defines a variable twice (e.g. an allocation copied by loop
    // partitioning) gets one new variable for both, so it stays as it was.
    auto it = vars_.find(v.get());
    if (it != vars_.end()) return it->second;
    ObjectPtr<VarNode> n;
    if (const auto* size_var = v.as<SizeVarNode>()) {
      n = make_object<SizeVarNode>(*size_var);
    } else {
      n = make_object<VarNode>(*v.get());
    }
    Var out(ObjectPtr<Object>(std::move(n)));
    vars_[v.get()] = out;
    return out;
  }
  // A variable the buffer_map or a declaration introduces (not yet seen) is defined there.
  PrimExpr DefineOrVisit(const PrimExpr& e, bool defines) {
    const auto* var = e.as<VarNode>();
    if (defines && var != nullptr && !vars_.count(var)) return Define(GetRef<Var>(var));
    return VisitExpr(e);
  }
  Buffer RenewBuffer(const Buffer& buffer, bool defines = false) {
    auto it = buffers_.find(buffer.get());
    if (it != buffers_.end()) return it->second;
    auto n = make_object<BufferNode>(*buffer.operator->());
    n->data = Downcast<Var>(DefineOrVisit(buffer->data, defines));
    Array<PrimExpr> shape, strides;
    for (const PrimExpr& e : buffer->shape) shape.push_back(DefineOrVisit(e, defines));
    for (const PrimExpr& e : buffer->strides) strides.push_back(DefineOrVisit(e, defines));
    n->shape = shape;
    n->strides = strides;
    if (buffer->elem_offset.defined()) n->elem_offset = DefineOrVisit(buffer->elem_offset, defines);
    Buffer out(ObjectPtr<Object>(std::move(n)));
    buffers_[buffer.get()] = out;
    return out;
  }
  IterVar RenewIterVar(const IterVar& iv) {
    auto it = iter_vars_.find(iv.get());
    if (it != iter_vars_.end()) return it->second;
    Var var = vars_.count(iv->var.get()) ? vars_.at(iv->var.get()) : Define(iv->var);
    Range dom = iv->dom.defined() ? Range::FromMinExtent(VisitExpr(iv->dom->min), VisitExpr(iv->dom->extent)) : iv->dom;
    IterVar out(dom, var, iv->iter_type, iv->thread_tag);
    iter_vars_[iv.get()] = out;
    return out;
  }
  Array<Range> VisitRanges(const Array<Range>& ranges) {
    Array<Range> out;
    for (const Range& r : ranges) out.push_back(Range::FromMinExtent(VisitExpr(r->min), VisitExpr(r->extent)));
    return out;
  }

  std::unordered_map<const VarNode*, Var> vars_;
  std::unordered_map<const Object*, Buffer> buffers_;
  std::unordered_map<const Object*, IterVar> iter_vars_;
};

}  // namespace

PrimFunc RenewDefs(const PrimFunc& func) { return DefRenewer().Run(func); }

TVM_REGISTER_GLOBAL("tir.RenewDefs").set_body_typed(RenewDefs);

}  // namespace tir
}  // namespace tvm
