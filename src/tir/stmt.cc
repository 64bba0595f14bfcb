/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Constructors of loop-IR statements, with their checks, and registration.
#include <tvm/runtime/registry.h>
#include <tvm/tir/op.h>
#include <tvm/tir/stmt.h>

namespace tvm {
namespace tir {

namespace {
std::string TypeStr(DataType t) { return runtime::DLDataType2String(t); }

void CheckCondition(const PrimExpr& cond, const char* node) {
  TVM_CHECK(cond.defined(), "ValueError") << node << ": the condition is undefined";
  TVM_CHECK(cond.dtype().is_bool() && cond.dtype().is_scalar(), "TypeError")
      << node << ": the condition must be a scalar bool, got " << TypeStr(cond.dtype());
}

template <typename Node, typename Ref>
Node* CopyOnWriteImpl(Ref* ref) {
  if (!ref->unique()) {
    *ref = Ref(ObjectPtr<Object>(make_object<Node>(*static_cast<const Node*>(ref->get()))));
  }
  return const_cast<Node*>(static_cast<const Node*>(ref->get()));
}
}  // namespace

LetStmt::LetStmt(Var var, PrimExpr value, Stmt body) {
  TVM_CHECK(value.defined() && body.defined(), "ValueError") << "LetStmt " << var->name_hint << ": undefined value or body";
  TVM_CHECK(value.dtype() == var.dtype(), "TypeError")
      << "LetStmt " << var->name_hint << ": value type " << TypeStr(value.dtype()) << " differs from the variable's "
      << TypeStr(var.dtype());
  auto n = make_object<LetStmtNode>();
  n->var = std::move(var);
  n->value = std::move(value);
  n->body = std::move(body);
  data_ = std::move(n);
}
LetStmtNode* LetStmt::CopyOnWrite() { return CopyOnWriteImpl<LetStmtNode>(this); }

AttrStmt::AttrStmt(ObjectRef node, String attr_key, PrimExpr value, Stmt body) {
  TVM_CHECK(body.defined(), "ValueError") << "AttrStmt " << attr_key << ": undefined body";
  auto n = make_object<AttrStmtNode>();
  n->node = std::move(node);
  n->attr_key = std::move(attr_key);
  n->value = std::move(value);
  n->body = std::move(body);
  data_ = std::move(n);
}
AttrStmtNode* AttrStmt::CopyOnWrite() { return CopyOnWriteImpl<AttrStmtNode>(this); }

AssertStmt::AssertStmt(PrimExpr condition, PrimExpr message, Stmt body) {
  CheckCondition(condition, "AssertStmt");
  TVM_CHECK(message.defined() && (message.dtype().is_int() || message.as<StringImmNode>() != nullptr), "TypeError")
      << "AssertStmt: the message must be a string or an error code";
  auto n = make_object<AssertStmtNode>();
  n->condition = std::move(condition);
  n->message = std::move(message);
  n->body = std::move(body);
  data_ = std::move(n);
}
AssertStmtNode* AssertStmt::CopyOnWrite() { return CopyOnWriteImpl<AssertStmtNode>(this); }

BufferStore::BufferStore(Buffer buffer, PrimExpr value, Array<PrimExpr> indices) {
  TVM_CHECK(buffer.defined(), "ValueError") << "BufferStore into an undefined buffer";
  TVM_CHECK(value.defined(), "ValueError") << "BufferStore into " << buffer->name << " of an undefined value";
  TVM_CHECK(indices.size() == buffer->shape.size(), "ValueError")
      << "BufferStore into " << buffer->name << ": " << indices.size() << " indices for a buffer of rank "
      << buffer->shape.size();
  int index_lanes = 1;
  for (const PrimExpr& i : indices) index_lanes *= i.dtype().lanes();
  int value_lanes = value.dtype().lanes();
  TVM_CHECK(value_lanes == index_lanes * buffer->dtype.lanes(), "ValueError")
      << "BufferStore into " << buffer->name << ": a value of " << value_lanes << " lanes stored at an index of "
      << index_lanes << " lanes";
  TVM_CHECK(value.dtype().element_of() == buffer->dtype.element_of(), "TypeError")
      << "BufferStore into " << buffer->name << " (" << TypeStr(buffer->dtype) << ") of a " << TypeStr(value.dtype())
      << " value";
  auto n = make_object<BufferStoreNode>();
  n->buffer = std::move(buffer);
  n->value = std::move(value);
  n->indices = std::move(indices);
  data_ = std::move(n);
}
BufferStoreNode* BufferStore::CopyOnWrite() { return CopyOnWriteImpl<BufferStoreNode>(this); }

BufferRealize::BufferRealize(Buffer buffer, Array<Range> bounds, PrimExpr condition, Stmt body) {
  TVM_CHECK(buffer.defined() && body.defined(), "ValueError") << "BufferRealize: undefined buffer or body";
  auto n = make_object<BufferRealizeNode>();
  n->buffer = std::move(buffer);
  n->bounds = std::move(bounds);
  n->condition = condition.defined() ? condition : const_true();
  n->body = std::move(body);
  data_ = std::move(n);
}
BufferRealizeNode* BufferRealize::CopyOnWrite() { return CopyOnWriteImpl<BufferRealizeNode>(this); }

ProducerStore::ProducerStore(DataProducer producer, PrimExpr value, Array<PrimExpr> indices) {
  auto n = make_object<ProducerStoreNode>();
  n->producer = std::move(producer);
  n->value = std::move(value);
  n->indices = std::move(indices);
  data_ = std::move(n);
}

ProducerRealize::ProducerRealize(DataProducer producer, Array<Range> bounds, PrimExpr condition, Stmt body,
                                 String storage_scope) {
  auto n = make_object<ProducerRealizeNode>();
  n->producer = std::move(producer);
  n->bounds = std::move(bounds);
  n->condition = condition.defined() ? condition : const_true();
  n->body = std::move(body);
  n->storage_scope = std::move(storage_scope);
  data_ = std::move(n);
}

Allocate::Allocate(Var buffer_var, DataType dtype, Array<PrimExpr> extents, PrimExpr condition, Stmt body,
                   Map<String, ObjectRef> annotations) {
  TVM_CHECK(buffer_var.defined() && buffer_var.dtype().is_handle(), "TypeError")
      << "Allocate: the buffer variable must be a handle";
  for (const PrimExpr& e : extents) {
    TVM_CHECK(e.defined() && (e.dtype().is_int() || e.dtype().is_uint()) && e.dtype().is_scalar(), "TypeError")
        << "Allocate " << buffer_var->name_hint << ": extents must be scalar integers";
  }
  TVM_CHECK(body.defined(), "ValueError") << "Allocate " << buffer_var->name_hint << ": undefined body";
  auto n = make_object<AllocateNode>();
  n->buffer_var = std::move(buffer_var);
  n->dtype = dtype;
  n->extents = std::move(extents);
  n->condition = condition.defined() ? condition : const_true();
  n->body = std::move(body);
  n->annotations = std::move(annotations);
  data_ = std::move(n);
}
AllocateNode* Allocate::CopyOnWrite() { return CopyOnWriteImpl<AllocateNode>(this); }

int64_t AllocateNode::ConstantAllocationSize() const {
  int64_t size = 1;
  for (const PrimExpr& e : extents) {
    auto v = as_const_int(e);
    if (!v.has_value()) return 0;
    size *= *v;
  }
  return size;
}

DeclBuffer::DeclBuffer(Buffer buffer, Stmt body) {
  auto n = make_object<DeclBufferNode>();
  n->buffer = std::move(buffer);
  n->body = std::move(body);
  data_ = std::move(n);
}

SeqStmt::SeqStmt(Array<Stmt> seq) {
  for (const Stmt& s : seq) TVM_CHECK(s.defined(), "ValueError") << "SeqStmt holds an undefined statement";
  auto n = make_object<SeqStmtNode>();
  n->seq = std::move(seq);
  data_ = std::move(n);
}
SeqStmtNode* SeqStmt::CopyOnWrite() { return CopyOnWriteImpl<SeqStmtNode>(this); }

Stmt SeqStmt::Flatten(const std::vector<Stmt>& stmts) {
  Array<Stmt> flat;
  std::function<void(const Stmt&)> add = [&](const Stmt& s) {
    if (!s.defined()) return;
    if (const auto* seq = s.as<SeqStmtNode>()) {
      for (const Stmt& x : seq->seq) add(x);
      return;
    }
    if (is_no_op(s)) return;
    flat.push_back(s);
  };
  for (const Stmt& s : stmts) add(s);
  if (flat.empty()) return Evaluate(0);
  if (flat.size() == 1) return flat[0];
  return SeqStmt(flat);
}

IfThenElse::IfThenElse(PrimExpr condition, Stmt then_case, Stmt else_case) {
  CheckCondition(condition, "IfThenElse");
  TVM_CHECK(then_case.defined(), "ValueError") << "IfThenElse: undefined then branch";
  auto n = make_object<IfThenElseNode>();
  n->condition = std::move(condition);
  n->then_case = std::move(then_case);
  n->else_case = std::move(else_case);
  data_ = std::move(n);
}
IfThenElseNode* IfThenElse::CopyOnWrite() { return CopyOnWriteImpl<IfThenElseNode>(this); }

Evaluate::Evaluate(PrimExpr value) {
  TVM_CHECK(value.defined(), "ValueError") << "Evaluate of an undefined expression";
  auto n = make_object<EvaluateNode>();
  n->value = std::move(value);
  data_ = std::move(n);
}

const char* ForKind2String(ForKind kind) {
  switch (kind) {
    case ForKind::kSerial: return "serial";
    case ForKind::kParallel: return "parallel";
    case ForKind::kVectorized: return "vectorized";
    case ForKind::kUnrolled: return "unroll";
    case ForKind::kThreadBinding: return "thread_binding";
  }
  return "unknown";
}

For::For(Var loop_var, PrimExpr min, PrimExpr extent, ForKind kind, Stmt body, IterVar thread_binding,
         Map<String, ObjectRef> annotations) {
  TVM_CHECK(min.defined() && extent.defined() && body.defined(), "ValueError")
      << "For " << loop_var->name_hint << ": undefined min, extent or body";
  TVM_CHECK(min.dtype().is_scalar() && extent.dtype().is_scalar() &&
                (min.dtype().is_int() || min.dtype().is_uint()) && (extent.dtype().is_int() || extent.dtype().is_uint()),
            "TypeError")
      << "For " << loop_var->name_hint << ": min and extent must be scalar integers";
  TVM_CHECK(loop_var.dtype().is_int() || loop_var.dtype().is_uint(), "TypeError")
      << "For: the loop variable " << loop_var->name_hint << " must be an integer";
  // Bounds take the loop variable's type (int64 loops with int32 literal bounds).
  if (min.dtype() != loop_var.dtype()) min = cast(loop_var.dtype(), min);
  if (extent.dtype() != loop_var.dtype()) extent = cast(loop_var.dtype(), extent);
  auto n = make_object<ForNode>();
  n->loop_var = std::move(loop_var);
  n->min = std::move(min);
  n->extent = std::move(extent);
  n->kind = kind;
  n->body = std::move(body);
  n->thread_binding = std::move(thread_binding);
  n->annotations = std::move(annotations);
  data_ = std::move(n);
}
ForNode* For::CopyOnWrite() { return CopyOnWriteImpl<ForNode>(this); }

While::While(PrimExpr condition, Stmt body) {
  CheckCondition(condition, "While");
  auto n = make_object<WhileNode>();
  n->condition = std::move(condition);
  n->body = std::move(body);
  data_ = std::move(n);
}

Prefetch::Prefetch(Buffer buffer, Array<Range> bounds) {
  auto n = make_object<PrefetchNode>();
  n->buffer = std::move(buffer);
  n->bounds = std::move(bounds);
  data_ = std::move(n);
}

TVM_REGISTER_NODE_TYPE(LetStmtNode);
TVM_REGISTER_NODE_TYPE(AttrStmtNode);
TVM_REGISTER_NODE_TYPE(AssertStmtNode);
TVM_REGISTER_NODE_TYPE(BufferStoreNode);
TVM_REGISTER_NODE_TYPE(BufferRealizeNode);
TVM_REGISTER_NODE_TYPE(ProducerStoreNode);
TVM_REGISTER_NODE_TYPE(ProducerRealizeNode);
TVM_REGISTER_NODE_TYPE(AllocateNode);
TVM_REGISTER_NODE_TYPE(DeclBufferNode);
TVM_REGISTER_NODE_TYPE(SeqStmtNode);
TVM_REGISTER_NODE_TYPE(IfThenElseNode);
TVM_REGISTER_NODE_TYPE(EvaluateNode);
TVM_REGISTER_NODE_TYPE(ForNode);
TVM_REGISTER_NODE_TYPE(WhileNode);
TVM_REGISTER_NODE_TYPE(PrefetchNode);
[[maybe_unused]] static const uint32_t kStmtIndex = runtime::TypeIndexOf<StmtNode>();

TVM_REGISTER_GLOBAL("tir.LetStmt").set_body_typed([](Var var, PrimExpr value, Stmt body) {
  return LetStmt(var, value, body);
});
TVM_REGISTER_GLOBAL("tir.AttrStmt").set_body_typed([](ObjectRef node, String key, PrimExpr value, Stmt body) {
  return AttrStmt(node, key, value, body);
});
TVM_REGISTER_GLOBAL("tir.AssertStmt").set_body_typed([](PrimExpr cond, ObjectRef message, Stmt body) {
  if (const auto* s = message.as<runtime::StringObj>()) return AssertStmt(cond, StringImm(s->data), body);
  return AssertStmt(cond, Downcast<PrimExpr>(message), body);
});
TVM_REGISTER_GLOBAL("tir.BufferStore").set_body_typed([](Buffer buffer, PrimExpr value, Array<PrimExpr> indices) {
  return BufferStore(buffer, value, indices);
});
TVM_REGISTER_GLOBAL("tir.BufferRealize")
    .set_body_typed([](Buffer buffer, Array<Range> bounds, PrimExpr condition, Stmt body) {
      return BufferRealize(buffer, bounds, condition, body);
    });
TVM_REGISTER_GLOBAL("tir.ProducerStore")
    .set_body_typed([](DataProducer producer, PrimExpr value, Array<PrimExpr> indices) {
      return ProducerStore(producer, value, indices);
    });
TVM_REGISTER_GLOBAL("tir.ProducerRealize")
    .set_body_typed([](DataProducer producer, Array<Range> bounds, PrimExpr condition, Stmt body, String scope) {
      return ProducerRealize(producer, bounds, condition, body, scope);
    });
TVM_REGISTER_GLOBAL("tir.Allocate")
    .set_body_typed([](Var buffer_var, DataType dtype, Array<PrimExpr> extents, PrimExpr condition, Stmt body,
                       std::optional<Map<String, ObjectRef>> annotations) {
      return Allocate(buffer_var, dtype, extents, condition, body, annotations.value_or(Map<String, ObjectRef>()));
    });
TVM_REGISTER_GLOBAL("tir.DeclBuffer").set_body_typed([](Buffer buffer, Stmt body) { return DeclBuffer(buffer, body); });
TVM_REGISTER_GLOBAL("tir.SeqStmt").set_body_typed([](Array<Stmt> seq) { return SeqStmt(seq); });
TVM_REGISTER_GLOBAL("tir.IfThenElse").set_body_typed([](PrimExpr cond, Stmt then_case, Stmt else_case) {
  return IfThenElse(cond, then_case, else_case);
});
TVM_REGISTER_GLOBAL("tir.Evaluate").set_body_typed([](PrimExpr value) { return Evaluate(value); });
TVM_REGISTER_GLOBAL("tir.For")
    .set_body_typed([](Var loop_var, PrimExpr min, PrimExpr extent, int kind, Stmt body, IterVar thread_binding,
                       std::optional<Map<String, ObjectRef>> annotations) {
      TVM_CHECK(kind >= 0 && kind <= 4, "ValueError") << "invalid ForKind " << kind;
      return For(loop_var, min, extent, static_cast<ForKind>(kind), body, thread_binding,
                 annotations.value_or(Map<String, ObjectRef>()));
    });
TVM_REGISTER_GLOBAL("tir.While").set_body_typed([](PrimExpr cond, Stmt body) { return While(cond, body); });
TVM_REGISTER_GLOBAL("tir.Prefetch").set_body_typed([](Buffer buffer, Array<Range> bounds) {
  return Prefetch(buffer, bounds);
});

}  // namespace tir
}  // namespace tvm
