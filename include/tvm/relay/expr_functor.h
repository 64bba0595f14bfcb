/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/relay/expr_functor.h
 * \brief Walking and rewriting Relay graphs.
 *
 *  ExprFunctor<R(const Expr&, Args...)>  one virtual VisitExpr_ per node kind
 *  ExprVisitor                           visits every node once (graphs share nodes)
 *  ExprMutator                           rebuilds a node only when a child changed
 *  MixedModeVisitor / MixedModeMutator   dataflow nodes (Call, Tuple, TupleGetItem)
 *                                        walked with an explicit stack, let-chains
 *                                        in a loop: for passes over whole models
 *  ExprRewriter + PostOrderRewrite       Rewrite_(const CallNode* pre, const Expr& post)
 *  Bind                                  substitute variables
 *
 * Depth: a model is a chain of tens of thousands of calls, so nothing here may
 * recurse once per node. The MixedMode classes never do. ExprVisitor and
 * ExprMutator recurse like TVM's (children from inside VisitExpr_), but when
 * the recursion gets deep (kDeepWalkDepth) the sub-graph below is first
 * walked with an explicit stack, children before parents in the order the
 * default VisitExpr_ would visit them, so that the recursive calls find their
 * children already memoised. Default visitors see the same order either way;
 * an override that skips children or carries context down (scopes) sees the
 * children of deep nodes visited first. Function bodies are never pre-walked:
 * nesting that remains (functions inside functions) continues, past 1000
 * levels, on a thread with a large stack (the caller waits), so it too has
 * no practical limit.
 */
#ifndef TVM_RELAY_EXPR_FUNCTOR_H_
#define TVM_RELAY_EXPR_FUNCTOR_H_

#include <tvm/relay/adt.h>
#include <tvm/relay/expr.h>
#include <tvm/relay/function.h>

#include <functional>
#include <unordered_map>
#include <utility>
#include <vector>

namespace tvm {
namespace relay {

template <typename FType>
class ExprFunctor;

/*! \brief Dispatch on the kind of a Relay expression (by type index, one table lookup). */
template <typename R, typename... Args>
class ExprFunctor<R(const Expr& n, Args...)> {
 public:
  using result_type = R;
  virtual ~ExprFunctor() = default;

  R operator()(const Expr& n, Args... args) { return VisitExpr(n, std::forward<Args>(args)...); }

  virtual R VisitExpr(const Expr& n, Args... args) {
    TVM_CHECK(n.defined(), "ValueError") << "relay: visiting an undefined (None) expression";
    const auto& table = Table();
    uint32_t index = n->type_index();
    if (index < table.size() && table[index] != nullptr) return table[index](n, this, std::forward<Args>(args)...);
    return VisitExprDefault_(n.get(), std::forward<Args>(args)...);
  }

  virtual R VisitExpr_(const ConstantNode* op, Args... args) { return VisitExprDefault_(op, args...); }
  virtual R VisitExpr_(const TupleNode* op, Args... args) { return VisitExprDefault_(op, args...); }
  virtual R VisitExpr_(const VarNode* op, Args... args) { return VisitExprDefault_(op, args...); }
  virtual R VisitExpr_(const GlobalVarNode* op, Args... args) { return VisitExprDefault_(op, args...); }
  virtual R VisitExpr_(const FunctionNode* op, Args... args) { return VisitExprDefault_(op, args...); }
  virtual R VisitExpr_(const CallNode* op, Args... args) { return VisitExprDefault_(op, args...); }
  virtual R VisitExpr_(const LetNode* op, Args... args) { return VisitExprDefault_(op, args...); }
  virtual R VisitExpr_(const IfNode* op, Args... args) { return VisitExprDefault_(op, args...); }
  virtual R VisitExpr_(const OpNode* op, Args... args) { return VisitExprDefault_(op, args...); }
  virtual R VisitExpr_(const TupleGetItemNode* op, Args... args) { return VisitExprDefault_(op, args...); }
  virtual R VisitExpr_(const RefCreateNode* op, Args... args) { return VisitExprDefault_(op, args...); }
  virtual R VisitExpr_(const RefReadNode* op, Args... args) { return VisitExprDefault_(op, args...); }
  virtual R VisitExpr_(const RefWriteNode* op, Args... args) { return VisitExprDefault_(op, args...); }
  virtual R VisitExpr_(const ConstructorNode* op, Args... args) { return VisitExprDefault_(op, args...); }
  virtual R VisitExpr_(const MatchNode* op, Args... args) { return VisitExprDefault_(op, args...); }
  virtual R VisitExprDefault_(const Object* op, Args...) {
    throw runtime::Error("InternalError", "relay.ExprFunctor: no handler for node type " + op->GetTypeKey());
  }

 private:
  using Self = ExprFunctor<R(const Expr& n, Args...)>;
  using Dispatch = R (*)(const Expr& n, Self* self, Args... args);

  template <typename Node>
  static void Set(std::vector<Dispatch>* table) {
    uint32_t index = runtime::TypeIndexOf<Node>();
    if (table->size() <= index) table->resize(index + 1, nullptr);
    (*table)[index] = [](const Expr& n, Self* self, Args... args) -> R {
      return self->VisitExpr_(static_cast<const Node*>(n.get()), std::forward<Args>(args)...);
    };
  }

  static const std::vector<Dispatch>& Table() {
    static const std::vector<Dispatch> table = [] {
      std::vector<Dispatch> t;
      Set<ConstantNode>(&t);
      Set<TupleNode>(&t);
      Set<VarNode>(&t);
      Set<GlobalVarNode>(&t);
      Set<FunctionNode>(&t);
      Set<CallNode>(&t);
      Set<LetNode>(&t);
      Set<IfNode>(&t);
      Set<OpNode>(&t);
      Set<TupleGetItemNode>(&t);
      Set<RefCreateNode>(&t);
      Set<RefReadNode>(&t);
      Set<RefWriteNode>(&t);
      Set<ConstructorNode>(&t);
      Set<MatchNode>(&t);
      return t;
    }();
    return table;
  }
};

/*! \brief Recursion depth after which ExprVisitor/ExprMutator pre-walk deep sub-graphs iteratively. */
constexpr int kDeepWalkDepth = 256;

/*!
 * \brief Visits every node reachable from the root once (a node shared by
 *  several parents is visited at its first use). Override VisitExpr_ for the
 *  kinds of interest and call ExprVisitor::VisitExpr_ to keep walking.
 */
class TVM_DLL ExprVisitor : public ExprFunctor<void(const Expr& n)> {
 public:
  void VisitExpr(const Expr& expr) override;
  void VisitExpr_(const ConstantNode* op) override;
  void VisitExpr_(const TupleNode* op) override;
  void VisitExpr_(const VarNode* op) override;
  void VisitExpr_(const GlobalVarNode* op) override;
  void VisitExpr_(const FunctionNode* op) override;
  void VisitExpr_(const CallNode* op) override;
  void VisitExpr_(const LetNode* op) override;
  void VisitExpr_(const IfNode* op) override;
  void VisitExpr_(const OpNode* op) override;
  void VisitExpr_(const TupleGetItemNode* op) override;
  void VisitExpr_(const RefCreateNode* op) override;
  void VisitExpr_(const RefReadNode* op) override;
  void VisitExpr_(const RefWriteNode* op) override;
  void VisitExpr_(const ConstructorNode* op) override;
  void VisitExpr_(const MatchNode* op) override;
  /*! \brief A clause: the variables its pattern binds, then its body. */
  virtual void VisitClause(const Clause& clause);
  virtual void VisitPattern(const Pattern& pattern);
  /*! \brief Types met on the way (annotations, type arguments); nothing by default. */
  virtual void VisitType(const Type& t);
  virtual void VisitSpan(const Span& span);

 protected:
  /*! \brief How many times each node was reached; a node is dispatched only the first time. */
  std::unordered_map<const Object*, size_t> visit_counter_;

 private:
  int depth_{0};
};

/*!
 * \brief Rebuilds an expression bottom-up. Results are memoised per node, so a
 *  shared node is rewritten once and stays shared; a node whose children all
 *  come back unchanged is returned as is (same object).
 */
class TVM_DLL ExprMutator : public ExprFunctor<Expr(const Expr&)> {
 public:
  Expr Mutate(const Expr& expr) { return this->VisitExpr(expr); }
  Expr VisitExpr(const Expr& expr) override;
  Expr VisitExpr_(const ConstantNode* op) override;
  Expr VisitExpr_(const TupleNode* op) override;
  Expr VisitExpr_(const VarNode* op) override;
  Expr VisitExpr_(const GlobalVarNode* op) override;
  Expr VisitExpr_(const FunctionNode* op) override;
  Expr VisitExpr_(const CallNode* op) override;
  Expr VisitExpr_(const LetNode* op) override;
  Expr VisitExpr_(const IfNode* op) override;
  Expr VisitExpr_(const OpNode* op) override;
  Expr VisitExpr_(const TupleGetItemNode* op) override;
  Expr VisitExpr_(const RefCreateNode* op) override;
  Expr VisitExpr_(const RefReadNode* op) override;
  Expr VisitExpr_(const RefWriteNode* op) override;
  Expr VisitExpr_(const ConstructorNode* op) override;
  Expr VisitExpr_(const MatchNode* op) override;
  virtual Clause VisitClause(const Clause& clause);
  virtual Pattern VisitPattern(const Pattern& pattern);
  /*! \brief Types met on the way; unchanged by default. */
  virtual Type VisitType(const Type& t);

 protected:
  /*! \brief The result for each node already rewritten. */
  std::unordered_map<Expr, Expr, ObjectPtrHash, ObjectPtrEqual> memo_;

 private:
  int depth_{0};
};

/*!
 * \brief An ExprVisitor that never recurses along dataflow: Call, Tuple and
 *  TupleGetItem nodes are expanded with an explicit stack and every node is
 *  dispatched after its children (post order); a let-chain is walked in a
 *  loop. Other nodes (Function, If, Ref*) are dispatched as leaves and their
 *  children visited from there. Overriding VisitExpr_(const LetNode*) takes
 *  the whole chain: use ExpandANormalForm to keep it iterative.
 */
class TVM_DLL MixedModeVisitor : public ExprVisitor {
 public:
  /*! \param visit_limit how many times a node may be dispatched (1: once). */
  explicit MixedModeVisitor(int visit_limit = 1);
  using ExprVisitor::VisitExpr_;
  void VisitExpr(const Expr& expr) override;
  void VisitExpr_(const LetNode* op) override;

 protected:
  /*! \brief Dispatch a node whose dataflow children were visited. */
  virtual void VisitLeaf(const Expr& expr);
  /*! \brief Whether the node reached its visit limit (counts the visit when it did). */
  virtual bool CheckVisited(const Expr& expr);
  int visit_limit_;

 private:
  int nesting_{0};
};

/*!
 * \brief An ExprMutator that never recurses along dataflow (see
 *  MixedModeVisitor). Passes override Rewrite_(pre, post): `pre` is the
 *  original node, `post` the node rebuilt from the rewritten children.
 */
class TVM_DLL MixedModeMutator : public ExprMutator {
 public:
  explicit MixedModeMutator(bool pre = false) : pre_(pre) {}
  using ExprMutator::VisitExpr_;
  Expr VisitExpr(const Expr& expr) final;
  /*! \brief Rewrite one node whose dataflow children are in memo_ (default: ExprMutator's dispatch). */
  virtual Expr DispatchVisitExpr(const Expr& expr);
  Expr VisitExpr_(const TupleNode* op) final { return Rewrite(op); }
  Expr VisitExpr_(const CallNode* op) final { return Rewrite(op); }
  Expr VisitExpr_(const TupleGetItemNode* op) final { return Rewrite(op); }
  Expr VisitExpr_(const LetNode* op) override;
  virtual Expr Rewrite_(const TupleNode* pre, const Expr& post) { return post; }
  virtual Expr Rewrite_(const CallNode* pre, const Expr& post) { return post; }
  virtual Expr Rewrite_(const TupleGetItemNode* pre, const Expr& post) { return post; }

 protected:
  /*! \brief Kept for TVM's constructor signature; the walk is post order either way. */
  bool pre_;
  template <typename Node>
  Expr Rewrite(const Node* op) {
    Expr post = ExprMutator::VisitExpr_(op);
    return Rewrite_(op, post);
  }
  virtual void VisitLeaf(const Expr& expr);
  virtual bool CheckVisited(const Expr& expr);

 private:
  int nesting_{0};
};

/*!
 * \brief What PostOrderRewrite calls for each node: `pre` is the original,
 *  `post` the node rebuilt from already rewritten children. Return `post`
 *  (the default) to keep it.
 */
class TVM_DLL ExprRewriter {
 public:
  virtual ~ExprRewriter() = default;
  /*! \brief Dispatch on the kind of `pre`. */
  virtual Expr Rewrite(const Expr& pre, const Expr& post);
  virtual Expr Rewrite_(const VarNode* pre, const Expr& post) { return post; }
  virtual Expr Rewrite_(const GlobalVarNode* pre, const Expr& post) { return post; }
  virtual Expr Rewrite_(const ConstantNode* pre, const Expr& post) { return post; }
  virtual Expr Rewrite_(const TupleNode* pre, const Expr& post) { return post; }
  virtual Expr Rewrite_(const FunctionNode* pre, const Expr& post) { return post; }
  virtual Expr Rewrite_(const CallNode* pre, const Expr& post) { return post; }
  virtual Expr Rewrite_(const LetNode* pre, const Expr& post) { return post; }
  virtual Expr Rewrite_(const IfNode* pre, const Expr& post) { return post; }
  virtual Expr Rewrite_(const OpNode* pre, const Expr& post) { return post; }
  virtual Expr Rewrite_(const TupleGetItemNode* pre, const Expr& post) { return post; }
  virtual Expr Rewrite_(const RefCreateNode* pre, const Expr& post) { return post; }
  virtual Expr Rewrite_(const RefReadNode* pre, const Expr& post) { return post; }
  virtual Expr Rewrite_(const RefWriteNode* pre, const Expr& post) { return post; }
  virtual Expr Rewrite_(const ConstructorNode* pre, const Expr& post) { return post; }
  virtual Expr Rewrite_(const MatchNode* pre, const Expr& post) { return post; }
};

/*! \brief Rewrite `expr` bottom-up with `rewriter`, every node once, without recursing along dataflow. */
TVM_DLL Expr PostOrderRewrite(const Expr& expr, ExprRewriter* rewriter);

/*! \brief Call `fvisit` on every node reachable from `expr` once, children first (function bodies included). */
TVM_DLL void PostOrderVisit(const Expr& expr, std::function<void(const Expr&)> fvisit);

/*!
 * \brief The explicit-stack walk under MixedModeVisitor/Mutator: the dataflow
 *  nodes below `expr` (Call, Tuple, TupleGetItem) in post order; for each node
 *  not `fcheck_visited`, its children first, then `fvisit_leaf(node)`.
 */
TVM_DLL void ExpandDataflow(const Expr& expr, const std::function<bool(const Expr&)>& fcheck_visited,
                            const std::function<void(const Expr&)>& fvisit_leaf);

/*!
 * \brief Walk a let-chain in a loop: `pre_visit` on each let from the outside
 *  in (bind, visit the value), then `post_visit` from the inside out (the body
 *  is the next let's result).
 */
TVM_DLL void ExpandANormalForm(const LetNode* op, const std::function<void(const LetNode*)>& pre_visit,
                               const std::function<void(const LetNode*)>& post_visit);

/*!
 * \brief Replace the variables `binds` names by their expressions. Binding a
 *  parameter of a Function (the root) removes it from the parameters; free
 *  variables the bound expressions bring in become new parameters, so a
 *  closed function stays closed. Variables bound inside (let, inner
 *  functions) cannot be replaced (ValueError).
 */
TVM_DLL Expr Bind(const Expr& expr, const Map<Var, Expr>& binds);

/*! \brief Replace type variables in a type. */
TVM_DLL Type Bind(const Type& type, const Map<TypeVar, Type>& binds);

}  // namespace relay
}  // namespace tvm
#endif  // TVM_RELAY_EXPR_FUNCTOR_H_
