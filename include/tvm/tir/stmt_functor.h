/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/tir/stmt_functor.h
 * \brief Dispatch on statement node type (StmtFunctor), walking
 *  (StmtVisitor, StmtExprVisitor) and rewriting (StmtMutator,
 *  StmtExprMutator), plus Substitute, PostOrderVisit and IRTransform.
 */
#ifndef TVM_TIR_STMT_FUNCTOR_H_
#define TVM_TIR_STMT_FUNCTOR_H_

#include <tvm/tir/expr_functor.h>
#include <tvm/tir/function.h>
#include <tvm/tir/stmt.h>

#include <functional>
#include <unordered_map>
#include <utility>
#include <vector>

namespace tvm {
namespace tir {

template <typename FType>
class StmtFunctor;

template <typename R, typename... Args>
class StmtFunctor<R(const Stmt& n, Args... args)> {
 public:
  using result_type = R;
  virtual ~StmtFunctor() = default;

  R operator()(const Stmt& n, Args... args) { return VisitStmt(n, std::forward<Args>(args)...); }

  virtual R VisitStmt(const Stmt& n, Args... args) {
    ICHECK(n.defined()) << "visiting an undefined statement";
    const auto& table = Table();
    uint32_t index = n->type_index();
    if (index < table.size() && table[index] != nullptr) return table[index](n, this, std::forward<Args>(args)...);
    return VisitStmtDefault_(n.get(), std::forward<Args>(args)...);
  }

  virtual R VisitStmt_(const LetStmtNode* op, Args... args) { return VisitStmtDefault_(op, args...); }
  virtual R VisitStmt_(const AttrStmtNode* op, Args... args) { return VisitStmtDefault_(op, args...); }
  virtual R VisitStmt_(const IfThenElseNode* op, Args... args) { return VisitStmtDefault_(op, args...); }
  virtual R VisitStmt_(const ForNode* op, Args... args) { return VisitStmtDefault_(op, args...); }
  virtual R VisitStmt_(const WhileNode* op, Args... args) { return VisitStmtDefault_(op, args...); }
  virtual R VisitStmt_(const AllocateNode* op, Args... args) { return VisitStmtDefault_(op, args...); }
  virtual R VisitStmt_(const DeclBufferNode* op, Args... args) { return VisitStmtDefault_(op, args...); }
  virtual R VisitStmt_(const BufferStoreNode* op, Args... args) { return VisitStmtDefault_(op, args...); }
  virtual R VisitStmt_(const BufferRealizeNode* op, Args... args) { return VisitStmtDefault_(op, args...); }
  virtual R VisitStmt_(const AssertStmtNode* op, Args... args) { return VisitStmtDefault_(op, args...); }
  virtual R VisitStmt_(const ProducerStoreNode* op, Args... args) { return VisitStmtDefault_(op, args...); }
  virtual R VisitStmt_(const ProducerRealizeNode* op, Args... args) { return VisitStmtDefault_(op, args...); }
  virtual R VisitStmt_(const PrefetchNode* op, Args... args) { return VisitStmtDefault_(op, args...); }
  virtual R VisitStmt_(const SeqStmtNode* op, Args... args) { return VisitStmtDefault_(op, args...); }
  virtual R VisitStmt_(const EvaluateNode* op, Args... args) { return VisitStmtDefault_(op, args...); }
  virtual R VisitStmtDefault_(const Object* op, Args...) {
    throw runtime::Error("InternalError", "StmtFunctor: no handler for node type " + op->GetTypeKey());
  }

 private:
  using Self = StmtFunctor<R(const Stmt& n, Args...)>;
  using Dispatch = R (*)(const Stmt& n, Self* self, Args... args);

  template <typename Node>
  static void Set(std::vector<Dispatch>* table) {
    uint32_t index = runtime::TypeIndexOf<Node>();
    if (table->size() <= index) table->resize(index + 1, nullptr);
    (*table)[index] = [](const Stmt& n, Self* self, Args... args) -> R {
      return self->VisitStmt_(static_cast<const Node*>(n.get()), std::forward<Args>(args)...);
    };
  }

  static const std::vector<Dispatch>& Table() {
    static const std::vector<Dispatch> table = [] {
      std::vector<Dispatch> t;
      Set<LetStmtNode>(&t);
      Set<AttrStmtNode>(&t);
      Set<IfThenElseNode>(&t);
      Set<ForNode>(&t);
      Set<WhileNode>(&t);
      Set<AllocateNode>(&t);
      Set<DeclBufferNode>(&t);
      Set<BufferStoreNode>(&t);
      Set<BufferRealizeNode>(&t);
      Set<AssertStmtNode>(&t);
      Set<ProducerStoreNode>(&t);
      Set<ProducerRealizeNode>(&t);
      Set<PrefetchNode>(&t);
      Set<SeqStmtNode>(&t);
      Set<EvaluateNode>(&t);
      return t;
    }();
    return table;
  }
};

/*! \brief Walks statements; expressions are passed to VisitExpr (a no-op here). */
class TVM_DLL StmtVisitor : protected StmtFunctor<void(const Stmt&)> {
 public:
  using StmtFunctor::operator();

 protected:
  using StmtFunctor::VisitStmt;
  virtual void VisitExpr(const PrimExpr& e) {}
  void VisitStmt_(const LetStmtNode* op) override;
  void VisitStmt_(const AttrStmtNode* op) override;
  void VisitStmt_(const IfThenElseNode* op) override;
  void VisitStmt_(const ForNode* op) override;
  void VisitStmt_(const WhileNode* op) override;
  void VisitStmt_(const AllocateNode* op) override;
  void VisitStmt_(const DeclBufferNode* op) override;
  void VisitStmt_(const BufferStoreNode* op) override;
  void VisitStmt_(const BufferRealizeNode* op) override;
  void VisitStmt_(const AssertStmtNode* op) override;
  void VisitStmt_(const ProducerStoreNode* op) override;
  void VisitStmt_(const ProducerRealizeNode* op) override;
  void VisitStmt_(const PrefetchNode* op) override;
  void VisitStmt_(const SeqStmtNode* op) override;
  void VisitStmt_(const EvaluateNode* op) override;
};

/*! \brief Rewrites statements; expressions go through VisitExpr (identity here). */
class TVM_DLL StmtMutator : protected StmtFunctor<Stmt(const Stmt&)> {
 public:
  Stmt operator()(Stmt stmt) { return VisitStmt(stmt); }

 protected:
  using StmtFunctor::VisitStmt;
  virtual PrimExpr VisitExpr(const PrimExpr& e) { return e; }
  Stmt VisitStmt_(const LetStmtNode* op) override;
  Stmt VisitStmt_(const AttrStmtNode* op) override;
  Stmt VisitStmt_(const IfThenElseNode* op) override;
  Stmt VisitStmt_(const ForNode* op) override;
  Stmt VisitStmt_(const WhileNode* op) override;
  Stmt VisitStmt_(const AllocateNode* op) override;
  Stmt VisitStmt_(const DeclBufferNode* op) override;
  Stmt VisitStmt_(const BufferStoreNode* op) override;
  Stmt VisitStmt_(const BufferRealizeNode* op) override;
  Stmt VisitStmt_(const AssertStmtNode* op) override;
  Stmt VisitStmt_(const ProducerStoreNode* op) override;
  Stmt VisitStmt_(const ProducerRealizeNode* op) override;
  Stmt VisitStmt_(const PrefetchNode* op) override;
  Stmt VisitStmt_(const SeqStmtNode* op) override;
  Stmt VisitStmt_(const EvaluateNode* op) override;
  /*!
   * \brief Visit a sequence; nested SeqStmts produced by the children are
   *  flattened and no-ops dropped.
   */
  Stmt VisitSeqStmt_(const SeqStmtNode* op, bool flatten_before_visit);
  Array<PrimExpr> VisitExprs(const Array<PrimExpr>& exprs);
  Array<Range> VisitRanges(const Array<Range>& ranges);
};

/*! \brief Walks statements and every expression inside them. */
class TVM_DLL StmtExprVisitor : public StmtVisitor, public ExprVisitor {
 public:
  using StmtVisitor::operator();
  using ExprVisitor::operator();

 protected:
  using ExprVisitor::VisitExpr;
  using ExprVisitor::VisitExpr_;
  using StmtVisitor::VisitStmt;
  using StmtVisitor::VisitStmt_;
  void VisitExpr(const PrimExpr& e) override { ExprVisitor::VisitExpr(e); }
};

/*! \brief Rewrites statements and every expression inside them. */
class TVM_DLL StmtExprMutator : public StmtMutator, public ExprMutator {
 public:
  using ExprMutator::operator();
  using StmtMutator::operator();

 protected:
  using ExprMutator::VisitExpr;
  using ExprMutator::VisitExpr_;
  using StmtMutator::VisitExprs;
  using StmtMutator::VisitStmt;
  using StmtMutator::VisitStmt_;
  PrimExpr VisitExpr(const PrimExpr& e) override { return ExprMutator::VisitExpr(e); }
};

/*! \brief Call f on every node (statements, expressions, buffers' fields), children first. */
TVM_DLL void PostOrderVisit(const ObjectRef& node, std::function<void(const ObjectRef&)> f);
/*! \brief Call f on every node parents first; f returning false skips the children. */
TVM_DLL void PreOrderVisit(const ObjectRef& node, const std::function<bool(const ObjectRef&)>& f);

/*! \brief Replace variables (found in vmap, by identity) with expressions. */
TVM_DLL Stmt Substitute(Stmt stmt, const std::unordered_map<const VarNode*, PrimExpr>& vmap);
TVM_DLL PrimExpr Substitute(PrimExpr expr, const std::unordered_map<const VarNode*, PrimExpr>& vmap);
TVM_DLL Stmt Substitute(Stmt stmt, const Map<Var, PrimExpr>& vmap);
TVM_DLL PrimExpr Substitute(PrimExpr expr, const Map<Var, PrimExpr>& vmap);
TVM_DLL Stmt Substitute(Stmt stmt, std::function<std::optional<PrimExpr>(const Var&)> vmap);
TVM_DLL PrimExpr Substitute(PrimExpr expr, std::function<std::optional<PrimExpr>(const Var&)> vmap);

/*!
 * \brief Rewrite statements of the kinds in `only_enable` (type keys; empty
 *  means all): preorder(stmt) may return a replacement (stops descent),
 *  postorder(stmt) rewrites after the children.
 */
TVM_DLL Stmt IRTransform(Stmt stmt, const runtime::PackedFunc& preorder, const runtime::PackedFunc& postorder,
                         std::optional<Array<String>> only_enable = std::nullopt);

/*!
 * \brief A copy of `func` in which every variable and buffer it defines
 *  (parameters, the buffers of its buffer_map with their shape variables,
 *  loop, Let and Allocate variables, thread indices, declared buffers) is a
 *  new object: structurally equal, sharing no definition with the original,
 *  so both may be put in one module or transformed independently.
 */
TVM_DLL PrimFunc RenewDefs(const PrimFunc& func);

}  // namespace tir
}  // namespace tvm
#endif  // TVM_TIR_STMT_FUNCTOR_H_
