/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Default traversal and rebuilding of statements, and the generic rewriting
// helpers built on them (PostOrderVisit, Substitute, IRTransform).
#include <tvm/runtime/registry.h>
#include <tvm/tir/op.h>
#include <tvm/tir/stmt_functor.h>

#include <unordered_set>

namespace tvm {
namespace tir {

// ---------------------------------------------------------------------------
// StmtVisitor

void StmtVisitor::VisitStmt_(const LetStmtNode* op) {
  VisitExpr(op->value);
  VisitStmt(op->body);
}
void StmtVisitor::VisitStmt_(const AttrStmtNode* op) {
  if (op->value.defined()) VisitExpr(op->value);
  VisitStmt(op->body);
}
void StmtVisitor::VisitStmt_(const IfThenElseNode* op) {
  VisitExpr(op->condition);
  VisitStmt(op->then_case);
  if (op->else_case.defined()) VisitStmt(op->else_case);
}
void StmtVisitor::VisitStmt_(const ForNode* op) {
  VisitExpr(op->min);
  VisitExpr(op->extent);
  VisitStmt(op->body);
}
void StmtVisitor::VisitStmt_(const WhileNode* op) {
  VisitExpr(op->condition);
  VisitStmt(op->body);
}
void StmtVisitor::VisitStmt_(const AllocateNode* op) {
  for (const PrimExpr& e : op->extents) VisitExpr(e);
  VisitExpr(op->condition);
  VisitStmt(op->body);
}
void StmtVisitor::VisitStmt_(const DeclBufferNode* op) { VisitStmt(op->body); }
void StmtVisitor::VisitStmt_(const BufferStoreNode* op) {
  VisitExpr(op->value);
  for (const PrimExpr& i : op->indices) VisitExpr(i);
}
void StmtVisitor::VisitStmt_(const BufferRealizeNode* op) {
  for (const Range& r : op->bounds) {
    VisitExpr(r->min);
    VisitExpr(r->extent);
  }
  VisitExpr(op->condition);
  VisitStmt(op->body);
}
void StmtVisitor::VisitStmt_(const AssertStmtNode* op) {
  VisitExpr(op->condition);
  VisitExpr(op->message);
  if (op->body.defined()) VisitStmt(op->body);
}
void StmtVisitor::VisitStmt_(const ProducerStoreNode* op) {
  VisitExpr(op->value);
  for (const PrimExpr& i : op->indices) VisitExpr(i);
}
void StmtVisitor::VisitStmt_(const ProducerRealizeNode* op) {
  for (const Range& r : op->bounds) {
    VisitExpr(r->min);
    VisitExpr(r->extent);
  }
  VisitExpr(op->condition);
  VisitStmt(op->body);
}
void StmtVisitor::VisitStmt_(const PrefetchNode* op) {
  for (const Range& r : op->bounds) {
    VisitExpr(r->min);
    VisitExpr(r->extent);
  }
}
void StmtVisitor::VisitStmt_(const SeqStmtNode* op) {
  for (const Stmt& s : op->seq) VisitStmt(s);
}
void StmtVisitor::VisitStmt_(const EvaluateNode* op) { VisitExpr(op->value); }

// ---------------------------------------------------------------------------
// StmtMutator

Array<PrimExpr> StmtMutator::VisitExprs(const Array<PrimExpr>& exprs) {
  Array<PrimExpr> out;
  bool changed = false;
  out.reserve(exprs.size());
  for (const PrimExpr& e : exprs) {
    PrimExpr m = VisitExpr(e);
    changed = changed || !m.same_as(e);
    out.push_back(m);
  }
  return changed ? out : exprs;
}

Array<Range> StmtMutator::VisitRanges(const Array<Range>& ranges) {
  Array<Range> out;
  bool changed = false;
  for (const Range& r : ranges) {
    PrimExpr min = VisitExpr(r->min);
    PrimExpr extent = VisitExpr(r->extent);
    if (min.same_as(r->min) && extent.same_as(r->extent)) {
      out.push_back(r);
    } else {
      changed = true;
      out.push_back(Range::FromMinExtent(min, extent));
    }
  }
  return changed ? out : ranges;
}

Stmt StmtMutator::VisitStmt_(const LetStmtNode* op) {
  PrimExpr value = VisitExpr(op->value);
  Stmt body = VisitStmt(op->body);
  if (value.same_as(op->value) && body.same_as(op->body)) return GetRef<Stmt>(op);
  auto n = make_object<LetStmtNode>(*op);
  n->value = std::move(value);
  n->body = std::move(body);
  return Stmt(ObjectPtr<Object>(std::move(n)));
}

Stmt StmtMutator::VisitStmt_(const AttrStmtNode* op) {
  PrimExpr value = op->value.defined() ? VisitExpr(op->value) : op->value;
  Stmt body = VisitStmt(op->body);
  if (value.same_as(op->value) && body.same_as(op->body)) return GetRef<Stmt>(op);
  auto n = make_object<AttrStmtNode>(*op);
  n->value = std::move(value);
  n->body = std::move(body);
  return Stmt(ObjectPtr<Object>(std::move(n)));
}

Stmt StmtMutator::VisitStmt_(const IfThenElseNode* op) {
  PrimExpr condition = VisitExpr(op->condition);
  Stmt then_case = VisitStmt(op->then_case);
  Stmt else_case = op->else_case.defined() ? VisitStmt(op->else_case) : Stmt();
  if (condition.same_as(op->condition) && then_case.same_as(op->then_case) && else_case.same_as(op->else_case)) {
    return GetRef<Stmt>(op);
  }
  return IfThenElse(condition, then_case, else_case);
}

Stmt StmtMutator::VisitStmt_(const ForNode* op) {
  PrimExpr min = VisitExpr(op->min);
  PrimExpr extent = VisitExpr(op->extent);
  Stmt body = VisitStmt(op->body);
  if (min.same_as(op->min) && extent.same_as(op->extent) && body.same_as(op->body)) return GetRef<Stmt>(op);
  auto n = make_object<ForNode>(*op);
  n->min = std::move(min);
  n->extent = std::move(extent);
  n->body = std::move(body);
  return Stmt(ObjectPtr<Object>(std::move(n)));
}

Stmt StmtMutator::VisitStmt_(const WhileNode* op) {
  PrimExpr condition = VisitExpr(op->condition);
  Stmt body = VisitStmt(op->body);
  if (condition.same_as(op->condition) && body.same_as(op->body)) return GetRef<Stmt>(op);
  return While(condition, body);
}

Stmt StmtMutator::VisitStmt_(const AllocateNode* op) {
  Array<PrimExpr> extents = VisitExprs(op->extents);
  PrimExpr condition = VisitExpr(op->condition);
  Stmt body = VisitStmt(op->body);
  if (extents.same_as(op->extents) && condition.same_as(op->condition) && body.same_as(op->body)) {
    return GetRef<Stmt>(op);
  }
  auto n = make_object<AllocateNode>(*op);
  n->extents = std::move(extents);
  n->condition = std::move(condition);
  n->body = std::move(body);
  return Stmt(ObjectPtr<Object>(std::move(n)));
}

Stmt StmtMutator::VisitStmt_(const DeclBufferNode* op) {
  Stmt body = VisitStmt(op->body);
  if (body.same_as(op->body)) return GetRef<Stmt>(op);
  return DeclBuffer(op->buffer, body);
}

Stmt StmtMutator::VisitStmt_(const BufferStoreNode* op) {
  PrimExpr value = VisitExpr(op->value);
  Array<PrimExpr> indices = VisitExprs(op->indices);
  if (value.same_as(op->value) && indices.same_as(op->indices)) return GetRef<Stmt>(op);
  auto n = make_object<BufferStoreNode>(*op);
  n->value = std::move(value);
  n->indices = std::move(indices);
  return Stmt(ObjectPtr<Object>(std::move(n)));
}

Stmt StmtMutator::VisitStmt_(const BufferRealizeNode* op) {
  Array<Range> bounds = VisitRanges(op->bounds);
  PrimExpr condition = VisitExpr(op->condition);
  Stmt body = VisitStmt(op->body);
  if (bounds.same_as(op->bounds) && condition.same_as(op->condition) && body.same_as(op->body)) {
    return GetRef<Stmt>(op);
  }
  return BufferRealize(op->buffer, bounds, condition, body);
}

Stmt StmtMutator::VisitStmt_(const AssertStmtNode* op) {
  PrimExpr condition = VisitExpr(op->condition);
  PrimExpr message = VisitExpr(op->message);
  Stmt body = op->body.defined() ? VisitStmt(op->body) : Stmt();
  if (condition.same_as(op->condition) && message.same_as(op->message) && body.same_as(op->body)) {
    return GetRef<Stmt>(op);
  }
  return AssertStmt(condition, message, body);
}

Stmt StmtMutator::VisitStmt_(const ProducerStoreNode* op) {
  PrimExpr value = VisitExpr(op->value);
  Array<PrimExpr> indices = VisitExprs(op->indices);
  if (value.same_as(op->value) && indices.same_as(op->indices)) return GetRef<Stmt>(op);
  return ProducerStore(op->producer, value, indices);
}

Stmt StmtMutator::VisitStmt_(const ProducerRealizeNode* op) {
  Array<Range> bounds = VisitRanges(op->bounds);
  PrimExpr condition = VisitExpr(op->condition);
  Stmt body = VisitStmt(op->body);
  if (bounds.same_as(op->bounds) && condition.same_as(op->condition) && body.same_as(op->body)) {
    return GetRef<Stmt>(op);
  }
  return ProducerRealize(op->producer, bounds, condition, body, op->storage_scope);
}

Stmt StmtMutator::VisitStmt_(const PrefetchNode* op) {
  Array<Range> bounds = VisitRanges(op->bounds);
  if (bounds.same_as(op->bounds)) return GetRef<Stmt>(op);
  return Prefetch(op->buffer, bounds);
}

Stmt StmtMutator::VisitSeqStmt_(const SeqStmtNode* op, bool flatten_before_visit) {
  std::vector<Stmt> out;
  bool changed = false;
  for (const Stmt& s : op->seq) {
    Stmt m = VisitStmt(s);
    changed = changed || !m.same_as(s);
    out.push_back(m);
  }
  if (!changed) return GetRef<Stmt>(op);
  return SeqStmt::Flatten(out);
}

Stmt StmtMutator::VisitStmt_(const SeqStmtNode* op) { return VisitSeqStmt_(op, false); }

Stmt StmtMutator::VisitStmt_(const EvaluateNode* op) {
  PrimExpr value = VisitExpr(op->value);
  if (value.same_as(op->value)) return GetRef<Stmt>(op);
  return Evaluate(value);
}

// ---------------------------------------------------------------------------
// PostOrderVisit / PreOrderVisit

namespace {

class PostOrderVisitor final : public StmtExprVisitor {
 public:
  explicit PostOrderVisitor(std::function<void(const ObjectRef&)> f) : f_(std::move(f)) {}
  void Run(const ObjectRef& node) {
    if (const auto* s = node.as<StmtNode>()) {
      VisitStmt(GetRef<Stmt>(s));
    } else if (const auto* e = node.as<PrimExprNode>()) {
      VisitExpr(GetRef<PrimExpr>(e));
    }
  }

 protected:
  void VisitExpr(const PrimExpr& e) final {
    if (visited_.insert(e.get()).second) {
      ExprVisitor::VisitExpr(e);
      f_(e);
    }
  }
  void VisitStmt(const Stmt& s) final {
    if (visited_.insert(s.get()).second) {
      StmtVisitor::VisitStmt(s);
      f_(s);
    }
  }

 private:
  std::function<void(const ObjectRef&)> f_;
  std::unordered_set<const Object*> visited_;
};

class PreOrderVisitor final : public StmtExprVisitor {
 public:
  explicit PreOrderVisitor(const std::function<bool(const ObjectRef&)>& f) : f_(f) {}
  void Run(const ObjectRef& node) {
    if (const auto* s = node.as<StmtNode>()) {
      VisitStmt(GetRef<Stmt>(s));
    } else if (const auto* e = node.as<PrimExprNode>()) {
      VisitExpr(GetRef<PrimExpr>(e));
    }
  }

 protected:
  void VisitExpr(const PrimExpr& e) final {
    if (visited_.insert(e.get()).second && f_(e)) ExprVisitor::VisitExpr(e);
  }
  void VisitStmt(const Stmt& s) final {
    if (visited_.insert(s.get()).second && f_(s)) StmtVisitor::VisitStmt(s);
  }

 private:
  const std::function<bool(const ObjectRef&)>& f_;
  std::unordered_set<const Object*> visited_;
};

}  // namespace

void PostOrderVisit(const ObjectRef& node, std::function<void(const ObjectRef&)> f) {
  PostOrderVisitor(std::move(f)).Run(node);
}

void PreOrderVisit(const ObjectRef& node, const std::function<bool(const ObjectRef&)>& f) {
  PreOrderVisitor(f).Run(node);
}

// ---------------------------------------------------------------------------
// Substitute

namespace {

class VarReplacer final : public StmtExprMutator {
 public:
  explicit VarReplacer(std::function<std::optional<PrimExpr>(const Var&)> vmap) : vmap_(std::move(vmap)) {}
  using StmtExprMutator::operator();

 protected:
  PrimExpr VisitExpr_(const VarNode* op) final {
    auto v = vmap_(GetRef<Var>(op));
    return v.has_value() ? *v : GetRef<PrimExpr>(op);
  }
  // Buffers carry expressions (data, shape, strides) that may mention the variables.
  PrimExpr VisitExpr_(const BufferLoadNode* op) final {
    PrimExpr e = StmtExprMutator::VisitExpr_(op);
    const auto* load = e.as<BufferLoadNode>();
    Buffer b = VisitBuffer(load->buffer);
    if (b.same_as(load->buffer)) return e;
    return BufferLoad(b, load->indices);
  }
  Stmt VisitStmt_(const BufferStoreNode* op) final {
    Stmt s = StmtExprMutator::VisitStmt_(op);
    const auto* store = s.as<BufferStoreNode>();
    Buffer b = VisitBuffer(store->buffer);
    if (b.same_as(store->buffer)) return s;
    return BufferStore(b, store->value, store->indices);
  }
  Stmt VisitStmt_(const AllocateNode* op) final {
    Stmt s = StmtExprMutator::VisitStmt_(op);
    const auto* alloc = s.as<AllocateNode>();
    auto v = vmap_(alloc->buffer_var);
    if (!v.has_value()) return s;
    auto n = make_object<AllocateNode>(*alloc);
    n->buffer_var = Downcast<Var>(*v);
    return Stmt(ObjectPtr<Object>(std::move(n)));
  }
  Stmt VisitStmt_(const LetStmtNode* op) final {
    Stmt s = StmtExprMutator::VisitStmt_(op);
    const auto* let = s.as<LetStmtNode>();
    auto v = vmap_(let->var);
    if (!v.has_value() || !v->as<VarNode>()) return s;
    return LetStmt(Downcast<Var>(*v), let->value, let->body);
  }
  Stmt VisitStmt_(const ForNode* op) final {
    Stmt s = StmtExprMutator::VisitStmt_(op);
    const auto* loop = s.as<ForNode>();
    auto v = vmap_(loop->loop_var);
    if (!v.has_value() || !v->as<VarNode>()) return s;
    auto n = make_object<ForNode>(*loop);
    n->loop_var = Downcast<Var>(*v);
    return Stmt(ObjectPtr<Object>(std::move(n)));
  }

 private:
  Buffer VisitBuffer(const Buffer& buffer) {
    auto it = buffer_memo_.find(buffer.get());
    if (it != buffer_memo_.end()) return it->second;
    PrimExpr data = VisitExpr(buffer->data);
    Array<PrimExpr> shape = VisitExprs(buffer->shape);
    Array<PrimExpr> strides = VisitExprs(buffer->strides);
    PrimExpr elem_offset = VisitExpr(buffer->elem_offset);
    Buffer out = buffer;
    if (!data.same_as(buffer->data) || !shape.same_as(buffer->shape) || !strides.same_as(buffer->strides) ||
        !elem_offset.same_as(buffer->elem_offset)) {
      BufferNode* n = out.CopyOnWrite();
      if (const auto* var = data.as<VarNode>()) n->data = GetRef<Var>(var);
      n->shape = shape;
      n->strides = strides;
      n->elem_offset = elem_offset;
    }
    buffer_memo_[buffer.get()] = out;
    return out;
  }

  std::function<std::optional<PrimExpr>(const Var&)> vmap_;
  std::unordered_map<const Object*, Buffer> buffer_memo_;
};

}  // namespace

Stmt Substitute(Stmt stmt, std::function<std::optional<PrimExpr>(const Var&)> vmap) {
  return VarReplacer(std::move(vmap))(std::move(stmt));
}

PrimExpr Substitute(PrimExpr expr, std::function<std::optional<PrimExpr>(const Var&)> vmap) {
  return VarReplacer(std::move(vmap))(std::move(expr));
}

Stmt Substitute(Stmt stmt, const std::unordered_map<const VarNode*, PrimExpr>& vmap) {
  if (vmap.empty()) return stmt;
  return Substitute(std::move(stmt), [&vmap](const Var& v) -> std::optional<PrimExpr> {
    auto it = vmap.find(v.get());
    if (it == vmap.end()) return std::nullopt;
    return it->second;
  });
}

PrimExpr Substitute(PrimExpr expr, const std::unordered_map<const VarNode*, PrimExpr>& vmap) {
  if (vmap.empty()) return expr;
  return Substitute(std::move(expr), [&vmap](const Var& v) -> std::optional<PrimExpr> {
    auto it = vmap.find(v.get());
    if (it == vmap.end()) return std::nullopt;
    return it->second;
  });
}

Stmt Substitute(Stmt stmt, const Map<Var, PrimExpr>& vmap) {
  if (vmap.empty()) return stmt;
  return Substitute(std::move(stmt), [&vmap](const Var& v) { return vmap.Get(v); });
}

PrimExpr Substitute(PrimExpr expr, const Map<Var, PrimExpr>& vmap) {
  if (vmap.empty()) return expr;
  return Substitute(std::move(expr), [&vmap](const Var& v) { return vmap.Get(v); });
}

Array<PrimExpr> CommReducerNode::operator()(Array<PrimExpr> a, Array<PrimExpr> b) const {
  TVM_CHECK(a.size() == lhs.size() && b.size() == rhs.size(), "ValueError")
      << "CommReducer expects " << lhs.size() << " values on each side";
  std::unordered_map<const VarNode*, PrimExpr> vmap;
  for (size_t i = 0; i < lhs.size(); ++i) {
    vmap[lhs[i].get()] = a[i];
    vmap[rhs[i].get()] = b[i];
  }
  Array<PrimExpr> out;
  for (const PrimExpr& r : result) out.push_back(Substitute(r, vmap));
  return out;
}

// ---------------------------------------------------------------------------
// IRTransform

namespace {
class IRTransformer final : public StmtExprMutator {
 public:
  IRTransformer(const runtime::PackedFunc& preorder, const runtime::PackedFunc& postorder,
                std::unordered_set<uint32_t> only_enable)
      : preorder_(preorder), postorder_(postorder), only_enable_(std::move(only_enable)) {}
  using StmtExprMutator::operator();

 protected:
  Stmt VisitStmt(const Stmt& stmt) final {
    bool enabled = only_enable_.empty() || only_enable_.count(stmt->type_index());
    if (enabled && preorder_ != nullptr) {
      runtime::TVMRetValue pre = preorder_(stmt);
      if (!pre.IsNull()) return pre.AsType<Stmt>();
    }
    Stmt out = StmtMutator::VisitStmt(stmt);
    if (enabled && postorder_ != nullptr) {
      runtime::TVMRetValue post = postorder_(out);
      if (!post.IsNull()) return post.AsType<Stmt>();
    }
    return out;
  }
  PrimExpr VisitExpr(const PrimExpr& expr) final {
    bool enabled = only_enable_.empty() || only_enable_.count(expr->type_index());
    if (enabled && preorder_ != nullptr) {
      runtime::TVMRetValue pre = preorder_(expr);
      if (!pre.IsNull()) return pre.AsType<PrimExpr>();
    }
    PrimExpr out = ExprMutator::VisitExpr(expr);
    if (enabled && postorder_ != nullptr) {
      runtime::TVMRetValue post = postorder_(out);
      if (!post.IsNull()) return post.AsType<PrimExpr>();
    }
    return out;
  }

 private:
  const runtime::PackedFunc& preorder_;
  const runtime::PackedFunc& postorder_;
  std::unordered_set<uint32_t> only_enable_;
};
}  // namespace

Stmt IRTransform(Stmt stmt, const runtime::PackedFunc& preorder, const runtime::PackedFunc& postorder,
                 std::optional<Array<String>> only_enable) {
  std::unordered_set<uint32_t> enabled;
  if (only_enable.has_value()) {
    for (const String& key : *only_enable) {
      std::string k = key;
      if (k.rfind("tir.", 0) != 0) k = "tir." + k;
      enabled.insert(Object::TypeKey2Index(k));
    }
  }
  return IRTransformer(preorder, postorder, std::move(enabled))(std::move(stmt));
}

TVM_REGISTER_GLOBAL("tir.IRTransform")
    .set_body_typed([](Stmt stmt, runtime::PackedFunc preorder, runtime::PackedFunc postorder,
                       std::optional<Array<String>> only_enable) {
      return IRTransform(stmt, preorder, postorder, only_enable);
    });
TVM_REGISTER_GLOBAL("tir.PostOrderVisit").set_body_typed([](ObjectRef node, runtime::PackedFunc f) {
  PostOrderVisit(node, [f](const ObjectRef& n) { f(n); });
});
TVM_REGISTER_GLOBAL("tir.PreOrderVisit").set_body_typed([](ObjectRef node, runtime::PackedFunc f) {
  PreOrderVisit(node, [f](const ObjectRef& n) { return f(n).operator bool(); });
});
TVM_REGISTER_GLOBAL("tir.Substitute").set_body_typed([](ObjectRef node, Map<Var, PrimExpr> vmap) -> ObjectRef {
  if (const auto* s = node.as<StmtNode>()) return Substitute(GetRef<Stmt>(s), vmap);
  return Substitute(Downcast<PrimExpr>(node), vmap);
});

}  // namespace tir
}  // namespace tvm
