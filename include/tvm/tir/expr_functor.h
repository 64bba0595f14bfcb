/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/tir/expr_functor.h
 * \brief Dispatch on expression node type: ExprFunctor (one method per node
 *  kind, returning R), ExprVisitor (walks children) and ExprMutator
 *  (rebuilds a node only when a child changed, so unchanged subtrees are
 *  shared, not copied).
 */
#ifndef TVM_TIR_EXPR_FUNCTOR_H_
#define TVM_TIR_EXPR_FUNCTOR_H_

#include <tvm/tir/expr.h>

#include <utility>
#include <vector>

namespace tvm {
namespace tir {

template <typename FType>
class ExprFunctor;

template <typename R, typename... Args>
class ExprFunctor<R(const PrimExpr& n, Args...)> {
 public:
  using result_type = R;
  virtual ~ExprFunctor() = default;

  R operator()(const PrimExpr& n, Args... args) { return VisitExpr(n, std::forward<Args>(args)...); }

  /*! \brief Dispatch on the node type. */
  virtual R VisitExpr(const PrimExpr& n, Args... args) {
    ICHECK(n.defined()) << "visiting an undefined expression";
    const auto& table = Table();
    uint32_t index = n->type_index();
    if (index < table.size() && table[index] != nullptr) return table[index](n, this, std::forward<Args>(args)...);
    return VisitExprDefault_(n.get(), std::forward<Args>(args)...);
  }

  virtual R VisitExpr_(const VarNode* op, Args... args) { return VisitExprDefault_(op, args...); }
  virtual R VisitExpr_(const SizeVarNode* op, Args... args) {
    return VisitExpr_(static_cast<const VarNode*>(op), std::forward<Args>(args)...);
  }
  virtual R VisitExpr_(const BufferLoadNode* op, Args... args) { return VisitExprDefault_(op, args...); }
  virtual R VisitExpr_(const ProducerLoadNode* op, Args... args) { return VisitExprDefault_(op, args...); }
  virtual R VisitExpr_(const LetNode* op, Args... args) { return VisitExprDefault_(op, args...); }
  virtual R VisitExpr_(const CallNode* op, Args... args) { return VisitExprDefault_(op, args...); }
  virtual R VisitExpr_(const AddNode* op, Args... args) { return VisitExprDefault_(op, args...); }
  virtual R VisitExpr_(const SubNode* op, Args... args) { return VisitExprDefault_(op, args...); }
  virtual R VisitExpr_(const MulNode* op, Args... args) { return VisitExprDefault_(op, args...); }
  virtual R VisitExpr_(const DivNode* op, Args... args) { return VisitExprDefault_(op, args...); }
  virtual R VisitExpr_(const ModNode* op, Args... args) { return VisitExprDefault_(op, args...); }
  virtual R VisitExpr_(const FloorDivNode* op, Args... args) { return VisitExprDefault_(op, args...); }
  virtual R VisitExpr_(const FloorModNode* op, Args... args) { return VisitExprDefault_(op, args...); }
  virtual R VisitExpr_(const MinNode* op, Args... args) { return VisitExprDefault_(op, args...); }
  virtual R VisitExpr_(const MaxNode* op, Args... args) { return VisitExprDefault_(op, args...); }
  virtual R VisitExpr_(const EQNode* op, Args... args) { return VisitExprDefault_(op, args...); }
  virtual R VisitExpr_(const NENode* op, Args... args) { return VisitExprDefault_(op, args...); }
  virtual R VisitExpr_(const LTNode* op, Args... args) { return VisitExprDefault_(op, args...); }
  virtual R VisitExpr_(const LENode* op, Args... args) { return VisitExprDefault_(op, args...); }
  virtual R VisitExpr_(const GTNode* op, Args... args) { return VisitExprDefault_(op, args...); }
  virtual R VisitExpr_(const GENode* op, Args... args) { return VisitExprDefault_(op, args...); }
  virtual R VisitExpr_(const AndNode* op, Args... args) { return VisitExprDefault_(op, args...); }
  virtual R VisitExpr_(const OrNode* op, Args... args) { return VisitExprDefault_(op, args...); }
  virtual R VisitExpr_(const ReduceNode* op, Args... args) { return VisitExprDefault_(op, args...); }
  virtual R VisitExpr_(const CastNode* op, Args... args) { return VisitExprDefault_(op, args...); }
  virtual R VisitExpr_(const NotNode* op, Args... args) { return VisitExprDefault_(op, args...); }
  virtual R VisitExpr_(const SelectNode* op, Args... args) { return VisitExprDefault_(op, args...); }
  virtual R VisitExpr_(const RampNode* op, Args... args) { return VisitExprDefault_(op, args...); }
  virtual R VisitExpr_(const BroadcastNode* op, Args... args) { return VisitExprDefault_(op, args...); }
  virtual R VisitExpr_(const ShuffleNode* op, Args... args) { return VisitExprDefault_(op, args...); }
  virtual R VisitExpr_(const IntImmNode* op, Args... args) { return VisitExprDefault_(op, args...); }
  virtual R VisitExpr_(const FloatImmNode* op, Args... args) { return VisitExprDefault_(op, args...); }
  virtual R VisitExpr_(const StringImmNode* op, Args... args) { return VisitExprDefault_(op, args...); }
  virtual R VisitExpr_(const AnyNode* op, Args... args) { return VisitExprDefault_(op, args...); }
  virtual R VisitExprDefault_(const Object* op, Args...) {
    throw runtime::Error("InternalError", "ExprFunctor: no handler for node type " + op->GetTypeKey());
  }

 private:
  using Self = ExprFunctor<R(const PrimExpr& n, Args...)>;
  using Dispatch = R (*)(const PrimExpr& n, Self* self, Args... args);

  template <typename Node>
  static void Set(std::vector<Dispatch>* table) {
    uint32_t index = runtime::TypeIndexOf<Node>();
    if (table->size() <= index) table->resize(index + 1, nullptr);
    (*table)[index] = [](const PrimExpr& n, Self* self, Args... args) -> R {
      return self->VisitExpr_(static_cast<const Node*>(n.get()), std::forward<Args>(args)...);
    };
  }

  static const std::vector<Dispatch>& Table() {
    static const std::vector<Dispatch> table = [] {
      std::vector<Dispatch> t;
      Set<VarNode>(&t);
      Set<SizeVarNode>(&t);
      Set<BufferLoadNode>(&t);
      Set<ProducerLoadNode>(&t);
      Set<LetNode>(&t);
      Set<CallNode>(&t);
      Set<AddNode>(&t);
      Set<SubNode>(&t);
      Set<MulNode>(&t);
      Set<DivNode>(&t);
      Set<ModNode>(&t);
      Set<FloorDivNode>(&t);
      Set<FloorModNode>(&t);
      Set<MinNode>(&t);
      Set<MaxNode>(&t);
      Set<EQNode>(&t);
      Set<NENode>(&t);
      Set<LTNode>(&t);
      Set<LENode>(&t);
      Set<GTNode>(&t);
      Set<GENode>(&t);
      Set<AndNode>(&t);
      Set<OrNode>(&t);
      Set<ReduceNode>(&t);
      Set<CastNode>(&t);
      Set<NotNode>(&t);
      Set<SelectNode>(&t);
      Set<RampNode>(&t);
      Set<BroadcastNode>(&t);
      Set<ShuffleNode>(&t);
      Set<IntImmNode>(&t);
      Set<FloatImmNode>(&t);
      Set<StringImmNode>(&t);
      Set<AnyNode>(&t);
      return t;
    }();
    return table;
  }
};

/*! \brief Visits every sub-expression (override a node kind and call the base to keep walking). */
class TVM_DLL ExprVisitor : public ExprFunctor<void(const PrimExpr&)> {
 public:
  using ExprFunctor::VisitExpr_;

 protected:
  void VisitExpr_(const VarNode* op) override;
  void VisitExpr_(const SizeVarNode* op) override;
  void VisitExpr_(const BufferLoadNode* op) override;
  void VisitExpr_(const ProducerLoadNode* op) override;
  void VisitExpr_(const LetNode* op) override;
  void VisitExpr_(const CallNode* op) override;
  void VisitExpr_(const AddNode* op) override;
  void VisitExpr_(const SubNode* op) override;
  void VisitExpr_(const MulNode* op) override;
  void VisitExpr_(const DivNode* op) override;
  void VisitExpr_(const ModNode* op) override;
  void VisitExpr_(const FloorDivNode* op) override;
  void VisitExpr_(const FloorModNode* op) override;
  void VisitExpr_(const MinNode* op) override;
  void VisitExpr_(const MaxNode* op) override;
  void VisitExpr_(const EQNode* op) override;
  void VisitExpr_(const NENode* op) override;
  void VisitExpr_(const LTNode* op) override;
  void VisitExpr_(const LENode* op) override;
  void VisitExpr_(const GTNode* op) override;
  void VisitExpr_(const GENode* op) override;
  void VisitExpr_(const AndNode* op) override;
  void VisitExpr_(const OrNode* op) override;
  void VisitExpr_(const ReduceNode* op) override;
  void VisitExpr_(const CastNode* op) override;
  void VisitExpr_(const NotNode* op) override;
  void VisitExpr_(const SelectNode* op) override;
  void VisitExpr_(const RampNode* op) override;
  void VisitExpr_(const BroadcastNode* op) override;
  void VisitExpr_(const ShuffleNode* op) override;
  void VisitExpr_(const IntImmNode* op) override;
  void VisitExpr_(const FloatImmNode* op) override;
  void VisitExpr_(const StringImmNode* op) override;
  void VisitExpr_(const AnyNode* op) override;
  /*! \brief Buffers appear inside loads; their shapes/strides are expressions too. */
  virtual void VisitBufferFields(const Buffer& buffer);
};

/*! \brief Rebuilds expressions; a node is copied only if one of its children changed. */
class TVM_DLL ExprMutator : protected ExprFunctor<PrimExpr(const PrimExpr&)> {
 public:
  using ExprFunctor::operator();

 protected:
  using ExprFunctor::VisitExpr;
  using ExprFunctor::VisitExpr_;
  PrimExpr VisitExpr_(const VarNode* op) override;
  PrimExpr VisitExpr_(const SizeVarNode* op) override;
  PrimExpr VisitExpr_(const BufferLoadNode* op) override;
  PrimExpr VisitExpr_(const ProducerLoadNode* op) override;
  PrimExpr VisitExpr_(const LetNode* op) override;
  PrimExpr VisitExpr_(const CallNode* op) override;
  PrimExpr VisitExpr_(const AddNode* op) override;
  PrimExpr VisitExpr_(const SubNode* op) override;
  PrimExpr VisitExpr_(const MulNode* op) override;
  PrimExpr VisitExpr_(const DivNode* op) override;
  PrimExpr VisitExpr_(const ModNode* op) override;
  PrimExpr VisitExpr_(const FloorDivNode* op) override;
  PrimExpr VisitExpr_(const FloorModNode* op) override;
  PrimExpr VisitExpr_(const MinNode* op) override;
  PrimExpr VisitExpr_(const MaxNode* op) override;
  PrimExpr VisitExpr_(const EQNode* op) override;
  PrimExpr VisitExpr_(const NENode* op) override;
  PrimExpr VisitExpr_(const LTNode* op) override;
  PrimExpr VisitExpr_(const LENode* op) override;
  PrimExpr VisitExpr_(const GTNode* op) override;
  PrimExpr VisitExpr_(const GENode* op) override;
  PrimExpr VisitExpr_(const AndNode* op) override;
  PrimExpr VisitExpr_(const OrNode* op) override;
  PrimExpr VisitExpr_(const ReduceNode* op) override;
  PrimExpr VisitExpr_(const CastNode* op) override;
  PrimExpr VisitExpr_(const NotNode* op) override;
  PrimExpr VisitExpr_(const SelectNode* op) override;
  PrimExpr VisitExpr_(const RampNode* op) override;
  PrimExpr VisitExpr_(const BroadcastNode* op) override;
  PrimExpr VisitExpr_(const ShuffleNode* op) override;
  PrimExpr VisitExpr_(const IntImmNode* op) override;
  PrimExpr VisitExpr_(const FloatImmNode* op) override;
  PrimExpr VisitExpr_(const StringImmNode* op) override;
  PrimExpr VisitExpr_(const AnyNode* op) override;
  /*! \brief Mutate every element; returns the same array when nothing changed. */
  Array<PrimExpr> VisitExprs(const Array<PrimExpr>& exprs);
};

}  // namespace tir
}  // namespace tvm
#endif  // TVM_TIR_EXPR_FUNCTOR_H_
