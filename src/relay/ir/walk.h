/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file relay/ir/walk.h
 * \brief The explicit-stack post-order walk shared by the visitors and the
 *  analyses: children in the order ExprVisitor visits them, each node once.
 */
#ifndef TVM_RELAY_IR_WALK_H_
#define TVM_RELAY_IR_WALK_H_

#include <tvm/relay/adt.h>
#include <tvm/relay/expr.h>
#include <tvm/relay/function.h>

#include <utility>
#include <vector>

namespace tvm {
namespace relay {
namespace detail {

/*! \brief The children a dataflow walk expands: of Call, Tuple and TupleGetItem only. */
inline void DataflowChildren(const Expr& e, std::vector<Expr>* out) {
  if (const auto* call = e.as<CallNode>()) {
    out->push_back(call->op);
    for (const Expr& a : call->args) out->push_back(a);
  } else if (const auto* tuple = e.as<TupleNode>()) {
    for (const Expr& f : tuple->fields) out->push_back(f);
  } else if (const auto* get = e.as<TupleGetItemNode>()) {
    out->push_back(get->tuple);
  }
}

/*! \brief Every child expression, in ExprVisitor's order (a Function's only if `enter_functions`). */
inline void AllChildren(const Expr& e, std::vector<Expr>* out, bool enter_functions) {
  if (const auto* let = e.as<LetNode>()) {
    out->push_back(let->var);
    out->push_back(let->value);
    out->push_back(let->body);
  } else if (const auto* node = e.as<IfNode>()) {
    out->push_back(node->cond);
    out->push_back(node->true_branch);
    out->push_back(node->false_branch);
  } else if (const auto* ref = e.as<RefCreateNode>()) {
    out->push_back(ref->value);
  } else if (const auto* read = e.as<RefReadNode>()) {
    out->push_back(read->ref);
  } else if (const auto* write = e.as<RefWriteNode>()) {
    out->push_back(write->ref);
    out->push_back(write->value);
  } else if (const auto* match = e.as<MatchNode>()) {
    out->push_back(match->data);
    for (const Clause& c : match->clauses) {
      for (const Var& v : PatternVars(c->lhs)) out->push_back(v);
      out->push_back(c->rhs);
    }
  } else if (const auto* fn = e.as<FunctionNode>()) {
    if (enter_functions) {
      for (const Var& p : fn->params) out->push_back(p);
      out->push_back(fn->body);
    }
  } else {
    DataflowChildren(e, out);
  }
}

/*!
 * \brief Post order from `root` over the nodes not yet `visited(node)`:
 *  `visit(node)` after all of its children, once per node (visit must make
 *  visited(node) true). With `skip_root`, everything below the root only.
 */
template <typename FVisited, typename FVisit>
void PostOrderWalk(const Expr& root, FVisited visited, FVisit visit, bool enter_functions, bool skip_root = false) {
  struct Frame {
    Expr node;
    bool expanded;
  };
  std::vector<Frame> stack;
  std::vector<Expr> children;
  stack.push_back({root, false});
  while (!stack.empty()) {
    if (visited(stack.back().node)) {
      stack.pop_back();
      continue;
    }
    if (stack.back().expanded) {
      Expr node = std::move(stack.back().node);
      bool is_root = stack.size() == 1;
      stack.pop_back();
      if (!(is_root && skip_root)) visit(node);
      continue;
    }
    stack.back().expanded = true;
    children.clear();
    AllChildren(stack.back().node, &children, enter_functions);
    for (auto it = children.rbegin(); it != children.rend(); ++it) {
      if (!visited(*it)) stack.push_back({*it, false});
    }
  }
}

}  // namespace detail
}  // namespace relay
}  // namespace tvm
#endif  // TVM_RELAY_IR_WALK_H_
