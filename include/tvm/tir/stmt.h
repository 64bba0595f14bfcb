/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/tir/stmt.h
 * \brief Statements of the loop IR, and the attribute keys that AttrStmt uses.
 */
#ifndef TVM_TIR_STMT_H_
#define TVM_TIR_STMT_H_

#include <tvm/tir/expr.h>

#include <string>
#include <type_traits>
#include <vector>

namespace tvm {
namespace tir {

class StmtNode : public Object {
 public:
  static constexpr const char* _type_key = "tir.Stmt";
  using _type_parent = Object;
};

class Stmt : public ObjectRef {
 public:
  using ContainerType = StmtNode;
  using ObjectRef::ObjectRef;
  Stmt() = default;
};

/*! \brief let var = value in body. */
class LetStmtNode : public StmtNode {
 public:
  Var var;
  PrimExpr value;
  Stmt body;
  void VisitAttrs(AttrVisitor* v) {
    v->VisitDef("var", &var);
    v->Visit("value", &value);
    v->Visit("body", &body);
  }
  static constexpr const char* _type_key = "tir.LetStmt";
  static constexpr bool _type_final = true;
  using _type_parent = StmtNode;
};

class LetStmt : public Stmt {
 public:
  using ContainerType = LetStmtNode;
  using Stmt::Stmt;
  LetStmt() = default;
  TVM_DLL LetStmt(Var var, PrimExpr value, Stmt body);
  const LetStmtNode* operator->() const { return static_cast<const LetStmtNode*>(get()); }
  TVM_DLL LetStmtNode* CopyOnWrite();
};

/*! \brief An annotation `attr_key` = value on `node`, in scope for body. */
class AttrStmtNode : public StmtNode {
 public:
  ObjectRef node;
  String attr_key;
  PrimExpr value;
  Stmt body;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("node", &node);
    v->Visit("attr_key", &attr_key);
    v->Visit("value", &value);
    v->Visit("body", &body);
  }
  static constexpr const char* _type_key = "tir.AttrStmt";
  static constexpr bool _type_final = true;
  using _type_parent = StmtNode;
};

class AttrStmt : public Stmt {
 public:
  using ContainerType = AttrStmtNode;
  using Stmt::Stmt;
  AttrStmt() = default;
  TVM_DLL AttrStmt(ObjectRef node, String attr_key, PrimExpr value, Stmt body);
  const AttrStmtNode* operator->() const { return static_cast<const AttrStmtNode*>(get()); }
  TVM_DLL AttrStmtNode* CopyOnWrite();
};

/*! \brief Check condition at run time; fail with message otherwise. */
class AssertStmtNode : public StmtNode {
 public:
  PrimExpr condition;
  PrimExpr message;
  Stmt body;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("condition", &condition);
    v->Visit("message", &message);
    v->Visit("body", &body);
  }
  static constexpr const char* _type_key = "tir.AssertStmt";
  static constexpr bool _type_final = true;
  using _type_parent = StmtNode;
};

class AssertStmt : public Stmt {
 public:
  using ContainerType = AssertStmtNode;
  using Stmt::Stmt;
  AssertStmt() = default;
  TVM_DLL AssertStmt(PrimExpr condition, PrimExpr message, Stmt body);
  const AssertStmtNode* operator->() const { return static_cast<const AssertStmtNode*>(get()); }
  TVM_DLL AssertStmtNode* CopyOnWrite();
};

/*! \brief buffer[indices] = value. */
class BufferStoreNode : public StmtNode {
 public:
  Buffer buffer;
  PrimExpr value;
  Array<PrimExpr> indices;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("buffer", &buffer);
    v->Visit("value", &value);
    v->Visit("indices", &indices);
  }
  static constexpr const char* _type_key = "tir.BufferStore";
  static constexpr bool _type_final = true;
  using _type_parent = StmtNode;
};

class BufferStore : public Stmt {
 public:
  using ContainerType = BufferStoreNode;
  using Stmt::Stmt;
  BufferStore() = default;
  /*! \throws Error (ValueError) on an index count or lane mismatch. */
  TVM_DLL BufferStore(Buffer buffer, PrimExpr value, Array<PrimExpr> indices);
  const BufferStoreNode* operator->() const { return static_cast<const BufferStoreNode*>(get()); }
  TVM_DLL BufferStoreNode* CopyOnWrite();
};

/*! \brief The region of `buffer` given by bounds exists (is allocated) within body. */
class BufferRealizeNode : public StmtNode {
 public:
  Buffer buffer;
  Array<Range> bounds;
  PrimExpr condition;
  Stmt body;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("buffer", &buffer);
    v->Visit("bounds", &bounds);
    v->Visit("condition", &condition);
    v->Visit("body", &body);
  }
  static constexpr const char* _type_key = "tir.BufferRealize";
  static constexpr bool _type_final = true;
  using _type_parent = StmtNode;
};

class BufferRealize : public Stmt {
 public:
  using ContainerType = BufferRealizeNode;
  using Stmt::Stmt;
  BufferRealize() = default;
  TVM_DLL BufferRealize(Buffer buffer, Array<Range> bounds, PrimExpr condition, Stmt body);
  const BufferRealizeNode* operator->() const { return static_cast<const BufferRealizeNode*>(get()); }
  TVM_DLL BufferRealizeNode* CopyOnWrite();
};

/*! \brief producer[indices] = value (before buffers are bound; from TE). */
class ProducerStoreNode : public StmtNode {
 public:
  DataProducer producer;
  PrimExpr value;
  Array<PrimExpr> indices;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("producer", &producer);
    v->Visit("value", &value);
    v->Visit("indices", &indices);
  }
  static constexpr const char* _type_key = "tir.ProducerStore";
  static constexpr bool _type_final = true;
  using _type_parent = StmtNode;
};

class ProducerStore : public Stmt {
 public:
  using ContainerType = ProducerStoreNode;
  using Stmt::Stmt;
  ProducerStore() = default;
  TVM_DLL ProducerStore(DataProducer producer, PrimExpr value, Array<PrimExpr> indices);
  const ProducerStoreNode* operator->() const { return static_cast<const ProducerStoreNode*>(get()); }
};

/*! \brief The region `bounds` of producer is materialised within body. */
class ProducerRealizeNode : public StmtNode {
 public:
  DataProducer producer;
  Array<Range> bounds;
  PrimExpr condition;
  Stmt body;
  String storage_scope;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("producer", &producer);
    v->Visit("bounds", &bounds);
    v->Visit("condition", &condition);
    v->Visit("body", &body);
    v->Visit("storage_scope", &storage_scope);
  }
  static constexpr const char* _type_key = "tir.ProducerRealize";
  static constexpr bool _type_final = true;
  using _type_parent = StmtNode;
};

class ProducerRealize : public Stmt {
 public:
  using ContainerType = ProducerRealizeNode;
  using Stmt::Stmt;
  ProducerRealize() = default;
  TVM_DLL ProducerRealize(DataProducer producer, Array<Range> bounds, PrimExpr condition, Stmt body,
                          String storage_scope = "");
  const ProducerRealizeNode* operator->() const { return static_cast<const ProducerRealizeNode*>(get()); }
};

/*! \brief Allocate memory for buffer_var (a pointer variable) within body. */
class AllocateNode : public StmtNode {
 public:
  Var buffer_var;
  DataType dtype;
  Array<PrimExpr> extents;
  PrimExpr condition;
  Stmt body;
  Map<String, ObjectRef> annotations;
  void VisitAttrs(AttrVisitor* v) {
    v->VisitDef("buffer_var", &buffer_var);
    v->Visit("dtype", &dtype);
    v->Visit("extents", &extents);
    v->Visit("condition", &condition);
    v->Visit("body", &body);
    v->Visit("annotations", &annotations);
  }
  /*! \brief Product of the extents if constant, else 0. */
  TVM_DLL int64_t ConstantAllocationSize() const;
  static constexpr const char* _type_key = "tir.Allocate";
  static constexpr bool _type_final = true;
  using _type_parent = StmtNode;
};

class Allocate : public Stmt {
 public:
  using ContainerType = AllocateNode;
  using Stmt::Stmt;
  Allocate() = default;
  TVM_DLL Allocate(Var buffer_var, DataType dtype, Array<PrimExpr> extents, PrimExpr condition, Stmt body,
                   Map<String, ObjectRef> annotations = {});
  const AllocateNode* operator->() const { return static_cast<const AllocateNode*>(get()); }
  TVM_DLL AllocateNode* CopyOnWrite();
};

/*! \brief Declare a buffer (a view over existing data) for body. */
class DeclBufferNode : public StmtNode {
 public:
  Buffer buffer;
  Stmt body;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("buffer", &buffer);
    v->Visit("body", &body);
  }
  static constexpr const char* _type_key = "tir.DeclBuffer";
  static constexpr bool _type_final = true;
  using _type_parent = StmtNode;
};

class DeclBuffer : public Stmt {
 public:
  using ContainerType = DeclBufferNode;
  using Stmt::Stmt;
  DeclBuffer() = default;
  TVM_DLL DeclBuffer(Buffer buffer, Stmt body);
  const DeclBufferNode* operator->() const { return static_cast<const DeclBufferNode*>(get()); }
};

/*! \brief Statements in order. */
class SeqStmtNode : public StmtNode {
 public:
  Array<Stmt> seq;
  size_t size() const { return seq.size(); }
  Stmt operator[](size_t i) const { return seq[i]; }
  void VisitAttrs(AttrVisitor* v) { v->Visit("seq", &seq); }
  static constexpr const char* _type_key = "tir.SeqStmt";
  static constexpr bool _type_final = true;
  using _type_parent = StmtNode;
};

class SeqStmt : public Stmt {
 public:
  using ContainerType = SeqStmtNode;
  using Stmt::Stmt;
  SeqStmt() = default;
  TVM_DLL explicit SeqStmt(Array<Stmt> seq);
  const SeqStmtNode* operator->() const { return static_cast<const SeqStmtNode*>(get()); }
  TVM_DLL SeqStmtNode* CopyOnWrite();
  /*!
   * \brief The sequence of `stmts`, with nested SeqStmts flattened, no-ops
   *  (Evaluate(0)) and undefined statements dropped, and a single statement
   *  returned as itself.
   */
  TVM_DLL static Stmt Flatten(const std::vector<Stmt>& stmts);
  template <typename... Args, typename = std::enable_if_t<(std::is_convertible_v<Args, Stmt> && ...)>>
  static Stmt Flatten(Args&&... args) {
    std::vector<Stmt> stmts{Stmt(std::forward<Args>(args))...};
    return Flatten(stmts);
  }
};

class IfThenElseNode : public StmtNode {
 public:
  PrimExpr condition;
  Stmt then_case;
  /*! \brief May be undefined. */
  Stmt else_case;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("condition", &condition);
    v->Visit("then_case", &then_case);
    v->Visit("else_case", &else_case);
  }
  static constexpr const char* _type_key = "tir.IfThenElse";
  static constexpr bool _type_final = true;
  using _type_parent = StmtNode;
};

class IfThenElse : public Stmt {
 public:
  using ContainerType = IfThenElseNode;
  using Stmt::Stmt;
  IfThenElse() = default;
  TVM_DLL IfThenElse(PrimExpr condition, Stmt then_case, Stmt else_case = Stmt());
  const IfThenElseNode* operator->() const { return static_cast<const IfThenElseNode*>(get()); }
  TVM_DLL IfThenElseNode* CopyOnWrite();
};

/*! \brief Evaluate an expression for its effect (a call). */
class EvaluateNode : public StmtNode {
 public:
  PrimExpr value;
  void VisitAttrs(AttrVisitor* v) { v->Visit("value", &value); }
  static constexpr const char* _type_key = "tir.Evaluate";
  static constexpr bool _type_final = true;
  using _type_parent = StmtNode;
};

class Evaluate : public Stmt {
 public:
  using ContainerType = EvaluateNode;
  using Stmt::Stmt;
  Evaluate() = default;
  TVM_DLL explicit Evaluate(PrimExpr value);
  explicit Evaluate(int value) : Evaluate(PrimExpr(value)) {}
  const EvaluateNode* operator->() const { return static_cast<const EvaluateNode*>(get()); }
};

/*! \brief How a loop runs. */
enum class ForKind : int {
  kSerial = 0,
  kParallel = 1,
  kVectorized = 2,
  kUnrolled = 3,
  /*! \brief Bound to a GPU thread axis (thread_binding). */
  kThreadBinding = 4,
};

TVM_DLL const char* ForKind2String(ForKind kind);

class ForNode : public StmtNode {
 public:
  Var loop_var;
  PrimExpr min;
  PrimExpr extent;
  ForKind kind;
  Stmt body;
  /*! \brief For kThreadBinding: the thread axis. */
  IterVar thread_binding;
  Map<String, ObjectRef> annotations;
  void VisitAttrs(AttrVisitor* v) {
    v->VisitDef("loop_var", &loop_var);
    v->Visit("min", &min);
    v->Visit("extent", &extent);
    v->Visit("kind", &kind);
    v->Visit("body", &body);
    v->Visit("thread_binding", &thread_binding);
    v->Visit("annotations", &annotations);
  }
  static constexpr const char* _type_key = "tir.For";
  static constexpr bool _type_final = true;
  using _type_parent = StmtNode;
};

class For : public Stmt {
 public:
  using ContainerType = ForNode;
  using Stmt::Stmt;
  For() = default;
  TVM_DLL For(Var loop_var, PrimExpr min, PrimExpr extent, ForKind kind, Stmt body,
              IterVar thread_binding = IterVar(), Map<String, ObjectRef> annotations = {});
  const ForNode* operator->() const { return static_cast<const ForNode*>(get()); }
  TVM_DLL ForNode* CopyOnWrite();
};

class WhileNode : public StmtNode {
 public:
  PrimExpr condition;
  Stmt body;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("condition", &condition);
    v->Visit("body", &body);
  }
  static constexpr const char* _type_key = "tir.While";
  static constexpr bool _type_final = true;
  using _type_parent = StmtNode;
};

class While : public Stmt {
 public:
  using ContainerType = WhileNode;
  using Stmt::Stmt;
  While() = default;
  TVM_DLL While(PrimExpr condition, Stmt body);
  const WhileNode* operator->() const { return static_cast<const WhileNode*>(get()); }
};

/*! \brief Hint: fetch the region `bounds` of buffer into cache. */
class PrefetchNode : public StmtNode {
 public:
  Buffer buffer;
  Array<Range> bounds;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("buffer", &buffer);
    v->Visit("bounds", &bounds);
  }
  static constexpr const char* _type_key = "tir.Prefetch";
  static constexpr bool _type_final = true;
  using _type_parent = StmtNode;
};

class Prefetch : public Stmt {
 public:
  using ContainerType = PrefetchNode;
  using Stmt::Stmt;
  Prefetch() = default;
  TVM_DLL Prefetch(Buffer buffer, Array<Range> bounds);
  const PrefetchNode* operator->() const { return static_cast<const PrefetchNode*>(get()); }
};

/*! \brief Keys of AttrStmt used by schedules and lowering passes. */
namespace attr {
constexpr const char* thread_extent = "thread_extent";
constexpr const char* virtual_thread = "virtual_thread";
constexpr const char* coproc_scope = "coproc_scope";
constexpr const char* coproc_uop_scope = "coproc_uop_scope";
constexpr const char* volatile_scope = "volatile_scope";
constexpr const char* extern_scope = "extern_scope";
constexpr const char* compute_scope = "compute_scope";
constexpr const char* storage_alignment = "storage_alignment";
constexpr const char* realize_scope = "realize_scope";
constexpr const char* device_id = "device_id";
constexpr const char* device_type = "device_type";
constexpr const char* loop_scope = "loop_scope";
constexpr const char* reduce_scope = "reduce_scope";
constexpr const char* pragma_auto_unroll_max_step = "pragma_auto_unroll_max_step";
constexpr const char* pragma_unroll_explicit = "pragma_unroll_explicit";
constexpr const char* pragma_scope_prefix = "pragma_";
constexpr const char* pragma_import_c = "pragma_import_c";
constexpr const char* pragma_import_llvm = "pragma_import_llvm";
constexpr const char* pragma_tensor_core = "pragma_tensor_core";
/*!
 * \brief s[T].pragma(axis, "nontemporal"): contiguous vector stores in the loop
 *  whose alignment is proven to cover the whole vector bypass the caches
 *  (streaming stores; no read-for-ownership of the lines written). For
 *  outputs written once and not read again soon.
 */
constexpr const char* pragma_nontemporal = "pragma_nontemporal";
constexpr const char* prefetch_scope = "prefetch_scope";
constexpr const char* double_buffer_scope = "double_buffer_scope";
constexpr const char* double_buffer_write = "double_buffer_write";
constexpr const char* scan_update_scope = "scan_update_scope";
constexpr const char* scan_init_scope = "scan_init_scope";
constexpr const char* buffer_dim_align = "buffer_dim_align";
constexpr const char* buffer_bound = "buffer_bound";
constexpr const char* buffer_bind_scope = "buffer_bind_scope";
constexpr const char* channel_read_scope = "channel_read_scope";
constexpr const char* channel_write_scope = "channel_write_scope";
constexpr const char* pipeline_exec_scope = "pipeline_exec_scope";
constexpr const char* device_scope = "device_scope";
constexpr const char* thread_extent_key = "thread_extent";
/*! \brief Whether an attribute key is a pragma. */
inline bool IsPragmaKey(const std::string& key) { return key.compare(0, 7, "pragma_") == 0; }
}  // namespace attr

}  // namespace tir
}  // namespace tvm
#endif  // TVM_TIR_STMT_H_
