/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Relay's visitors and mutators (see expr_functor.h for the depth contract).
// Everything that walks a whole graph here does so with an explicit stack;
// the only recursion is ExprVisitor/ExprMutator's own (bounded by
// kDeepWalkDepth through the pre-walk) and the nesting of functions and ifs
// in the MixedMode classes.
#include <tvm/relay/expr_functor.h>
#include <tvm/runtime/registry.h>

#include <unordered_set>

#include "../../support/deep_recursion.h"
#include "walk.h"

namespace tvm {
namespace relay {

namespace {
// Counts one level of the visitor's own recursion; restores on exceptions too.
class DepthGuard {
 public:
  explicit DepthGuard(int* depth) : depth_(depth) { ++*depth_; }
  ~DepthGuard() { --*depth_; }
  DepthGuard(const DepthGuard&) = delete;
  DepthGuard& operator=(const DepthGuard&) = delete;

 private:
  int* depth_;
};

// Nesting the pre-walk cannot flatten (functions inside functions, values of
// lets inside values) still recurses; past this many levels the walk goes on
// on a thread with a large stack, which then holds any depth.
constexpr int kStackHopDepth = 1000;
thread_local bool on_large_stack = false;

template <typename F>
void RunDeep(int depth, F&& f) {
  if (depth > kStackHopDepth && !on_large_stack) {
    support::RunOnLargeStack([&f]() {
      on_large_stack = true;
      f();
    });
  } else {
    f();
  }
}
}  // namespace

// ---------------------------------------------------------------- ExprVisitor

void ExprVisitor::VisitExpr(const Expr& expr) {
  TVM_CHECK(expr.defined(), "ValueError") << "relay: visiting an undefined (None) expression";
  auto it = visit_counter_.find(expr.get());
  if (it != visit_counter_.end()) {
    ++it->second;
    return;
  }
  if (depth_ >= kDeepWalkDepth) {
    // Deep: visit what lies below children-first from a loop, each node
    // through this->VisitExpr (finding its own children done, it recurses no
    // further), so the recursive calls of this node's VisitExpr_ find theirs done.
    detail::PostOrderWalk(
        expr, [this](const Expr& n) { return visit_counter_.count(n.get()) != 0; },
        [this](const Expr& n) {
          // The pre-walk's own visit is not a use: visit_counter_ keeps
          // counting references (passes read count > 1 as "shared").
          this->VisitExpr(n);
          auto it = visit_counter_.find(n.get());
          if (it != visit_counter_.end() && it->second > 0) --it->second;
        },
        /*enter_functions=*/false, /*skip_root=*/true);
  }
  visit_counter_[expr.get()] = 1;
  DepthGuard guard(&depth_);
  RunDeep(depth_, [&]() { ExprFunctor::VisitExpr(expr); });
}

void ExprVisitor::VisitExpr_(const ConstantNode* op) { VisitSpan(op->span); }

void ExprVisitor::VisitExpr_(const TupleNode* op) {
  VisitSpan(op->span);
  for (const Expr& field : op->fields) VisitExpr(field);
}

void ExprVisitor::VisitExpr_(const VarNode* op) {
  VisitSpan(op->span);
  if (op->type_annotation.defined()) VisitType(op->type_annotation);
}

void ExprVisitor::VisitExpr_(const GlobalVarNode* op) { VisitSpan(op->span); }

void ExprVisitor::VisitExpr_(const FunctionNode* op) {
  VisitSpan(op->span);
  for (const Var& param : op->params) VisitExpr(param);
  if (op->ret_type.defined()) VisitType(op->ret_type);
  VisitExpr(op->body);
}

void ExprVisitor::VisitExpr_(const CallNode* op) {
  VisitSpan(op->span);
  VisitExpr(op->op);
  for (const Type& t : op->type_args) VisitType(t);
  for (const Expr& arg : op->args) VisitExpr(arg);
}

void ExprVisitor::VisitExpr_(const LetNode* op) {
  VisitSpan(op->span);
  VisitExpr(op->var);
  VisitExpr(op->value);
  VisitExpr(op->body);
}

void ExprVisitor::VisitExpr_(const IfNode* op) {
  VisitSpan(op->span);
  VisitExpr(op->cond);
  VisitExpr(op->true_branch);
  VisitExpr(op->false_branch);
}

void ExprVisitor::VisitExpr_(const OpNode* op) {}

void ExprVisitor::VisitExpr_(const TupleGetItemNode* op) {
  VisitSpan(op->span);
  VisitExpr(op->tuple);
}

void ExprVisitor::VisitExpr_(const RefCreateNode* op) {
  VisitSpan(op->span);
  VisitExpr(op->value);
}

void ExprVisitor::VisitExpr_(const RefReadNode* op) {
  VisitSpan(op->span);
  VisitExpr(op->ref);
}

void ExprVisitor::VisitExpr_(const RefWriteNode* op) {
  VisitSpan(op->span);
  VisitExpr(op->ref);
  VisitExpr(op->value);
}

void ExprVisitor::VisitExpr_(const ConstructorNode* op) {
  for (const Type& t : op->inputs) VisitType(t);
}

void ExprVisitor::VisitExpr_(const MatchNode* op) {
  VisitSpan(op->span);
  VisitExpr(op->data);
  for (const Clause& c : op->clauses) VisitClause(c);
}

void ExprVisitor::VisitClause(const Clause& clause) {
  VisitPattern(clause->lhs);
  VisitExpr(clause->rhs);
}

void ExprVisitor::VisitPattern(const Pattern& pattern) {
  for (const Var& v : PatternVars(pattern)) VisitExpr(v);
}

void ExprVisitor::VisitType(const Type& t) {}
void ExprVisitor::VisitSpan(const Span& span) {}

// ---------------------------------------------------------------- ExprMutator

Expr ExprMutator::VisitExpr(const Expr& expr) {
  TVM_CHECK(expr.defined(), "ValueError") << "relay: mutating an undefined (None) expression";
  auto it = memo_.find(expr);
  if (it != memo_.end()) return it->second;
  if (depth_ >= kDeepWalkDepth) {
    detail::PostOrderWalk(
        expr, [this](const Expr& n) { return memo_.count(n) != 0; }, [this](const Expr& n) { this->VisitExpr(n); },
        /*enter_functions=*/false, /*skip_root=*/true);
  }
  Expr result;
  {
    DepthGuard guard(&depth_);
    RunDeep(depth_, [&]() { result = ExprFunctor::VisitExpr(expr); });
  }
  TVM_CHECK(result.defined(), "InternalError")
      << "relay.ExprMutator: the rewrite of a " << expr->GetTypeKey() << " returned None";
  memo_[expr] = result;
  return result;
}

Expr ExprMutator::VisitExpr_(const ConstantNode* op) { return GetRef<Expr>(op); }
Expr ExprMutator::VisitExpr_(const GlobalVarNode* op) { return GetRef<Expr>(op); }
Expr ExprMutator::VisitExpr_(const OpNode* op) { return GetRef<Expr>(op); }

Expr ExprMutator::VisitExpr_(const VarNode* op) {
  // A new annotation makes a copy of the variable (same vid); memo_ maps every use and the binder to it.
  if (op->type_annotation.defined()) {
    Type t = VisitType(op->type_annotation);
    if (!t.same_as(op->type_annotation)) return Var(op->vid, t, op->span);
  }
  return GetRef<Expr>(op);
}

namespace {
Var ExpectVar(const Expr& e, const Var& original, const char* where) {
  const auto* v = e.as<VarNode>();
  TVM_CHECK(v != nullptr, "TypeError") << "relay.ExprMutator: the " << where << " %" << original->name_hint
                                       << " was rewritten to a " << e->GetTypeKey() << "; it must stay a Var";
  return GetRef<Var>(v);
}
}  // namespace

Expr ExprMutator::VisitExpr_(const TupleNode* op) {
  Array<Expr> fields;
  bool same = true;
  for (const Expr& field : op->fields) {
    Expr f = VisitExpr(field);
    same = same && f.same_as(field);
    fields.push_back(f);
  }
  if (same) return GetRef<Expr>(op);
  return Tuple(fields, op->span);
}

Expr ExprMutator::VisitExpr_(const FunctionNode* op) {
  Array<Var> params;
  bool same = true;
  for (const Var& param : op->params) {
    Var p = ExpectVar(VisitExpr(param), param, "function parameter");
    same = same && p.same_as(param);
    params.push_back(p);
  }
  Type ret_type = op->ret_type.defined() ? VisitType(op->ret_type) : op->ret_type;
  Expr body = VisitExpr(op->body);
  if (same && ret_type.same_as(op->ret_type) && body.same_as(op->body)) return GetRef<Expr>(op);
  return Function(params, body, ret_type, op->type_params, op->attrs, op->span);
}

Expr ExprMutator::VisitExpr_(const CallNode* op) {
  Expr callee = VisitExpr(op->op);
  bool same = callee.same_as(op->op);
  Array<Type> type_args;
  for (const Type& t : op->type_args) {
    Type nt = VisitType(t);
    same = same && nt.same_as(t);
    type_args.push_back(nt);
  }
  Array<Expr> args;
  for (const Expr& arg : op->args) {
    Expr a = VisitExpr(arg);
    same = same && a.same_as(arg);
    args.push_back(a);
  }
  if (same) return GetRef<Expr>(op);
  return Call(callee, args, op->attrs, type_args, op->span);
}

Expr ExprMutator::VisitExpr_(const LetNode* op) {
  Var var = ExpectVar(VisitExpr(op->var), op->var, "let-bound variable");
  Expr value = VisitExpr(op->value);
  Expr body = VisitExpr(op->body);
  if (var.same_as(op->var) && value.same_as(op->value) && body.same_as(op->body)) return GetRef<Expr>(op);
  return Let(var, value, body, op->span);
}

Expr ExprMutator::VisitExpr_(const IfNode* op) {
  Expr cond = VisitExpr(op->cond);
  Expr t = VisitExpr(op->true_branch);
  Expr f = VisitExpr(op->false_branch);
  if (cond.same_as(op->cond) && t.same_as(op->true_branch) && f.same_as(op->false_branch)) return GetRef<Expr>(op);
  return If(cond, t, f, op->span);
}

Expr ExprMutator::VisitExpr_(const TupleGetItemNode* op) {
  Expr tuple = VisitExpr(op->tuple);
  if (tuple.same_as(op->tuple)) return GetRef<Expr>(op);
  return TupleGetItem(tuple, op->index, op->span);
}

Expr ExprMutator::VisitExpr_(const RefCreateNode* op) {
  Expr value = VisitExpr(op->value);
  if (value.same_as(op->value)) return GetRef<Expr>(op);
  return RefCreate(value, op->span);
}

Expr ExprMutator::VisitExpr_(const RefReadNode* op) {
  Expr ref = VisitExpr(op->ref);
  if (ref.same_as(op->ref)) return GetRef<Expr>(op);
  return RefRead(ref, op->span);
}

Expr ExprMutator::VisitExpr_(const RefWriteNode* op) {
  Expr ref = VisitExpr(op->ref);
  Expr value = VisitExpr(op->value);
  if (ref.same_as(op->ref) && value.same_as(op->value)) return GetRef<Expr>(op);
  return RefWrite(ref, value, op->span);
}

Expr ExprMutator::VisitExpr_(const ConstructorNode* op) { return GetRef<Expr>(op); }

Expr ExprMutator::VisitExpr_(const MatchNode* op) {
  Expr data = VisitExpr(op->data);
  bool same = data.same_as(op->data);
  Array<Clause> clauses;
  for (const Clause& c : op->clauses) {
    Clause nc = VisitClause(c);
    same = same && nc.same_as(c);
    clauses.push_back(nc);
  }
  if (same) return GetRef<Expr>(op);
  return Match(data, clauses, op->complete, op->span);
}

Clause ExprMutator::VisitClause(const Clause& clause) {
  Pattern lhs = VisitPattern(clause->lhs);
  Expr rhs = VisitExpr(clause->rhs);
  if (lhs.same_as(clause->lhs) && rhs.same_as(clause->rhs)) return clause;
  return Clause(lhs, rhs);
}

Pattern ExprMutator::VisitPattern(const Pattern& pattern) {
  // Patterns nest as deep as written; the binders go through memo_ like let variables.
  if (const auto* pv = pattern.as<PatternVarNode>()) {
    Var v = ExpectVar(VisitExpr(pv->var), pv->var, "pattern variable");
    return v.same_as(pv->var) ? pattern : PatternVar(v);
  }
  if (const auto* pc = pattern.as<PatternConstructorNode>()) {
    Array<Pattern> ps;
    bool same = true;
    for (const Pattern& p : pc->patterns) {
      Pattern np = VisitPattern(p);
      same = same && np.same_as(p);
      ps.push_back(np);
    }
    return same ? pattern : PatternConstructor(pc->constructor, ps);
  }
  if (const auto* pt = pattern.as<PatternTupleNode>()) {
    Array<Pattern> ps;
    bool same = true;
    for (const Pattern& p : pt->patterns) {
      Pattern np = VisitPattern(p);
      same = same && np.same_as(p);
      ps.push_back(np);
    }
    return same ? pattern : PatternTuple(ps);
  }
  return pattern;
}

Type ExprMutator::VisitType(const Type& t) { return t; }

// ------------------------------------------------------- the explicit stacks

void ExpandDataflow(const Expr& expr, const std::function<bool(const Expr&)>& fcheck_visited,
                    const std::function<void(const Expr&)>& fvisit_leaf) {
  struct Frame {
    Expr node;
    bool expanded;
  };
  std::vector<Frame> stack;
  std::vector<Expr> children;
  if (!fcheck_visited(expr)) stack.push_back({expr, false});
  while (!stack.empty()) {
    if (stack.back().expanded) {
      Expr node = std::move(stack.back().node);
      stack.pop_back();
      fvisit_leaf(node);
      continue;
    }
    stack.back().expanded = true;
    children.clear();
    detail::DataflowChildren(stack.back().node, &children);
    for (auto it = children.rbegin(); it != children.rend(); ++it) {
      if (!fcheck_visited(*it)) stack.push_back({*it, false});
    }
  }
}

void ExpandANormalForm(const LetNode* op, const std::function<void(const LetNode*)>& pre_visit,
                       const std::function<void(const LetNode*)>& post_visit) {
  std::vector<const LetNode*> chain;
  for (const LetNode* l = op; l != nullptr; l = l->body.as<LetNode>()) {
    pre_visit(l);
    chain.push_back(l);
  }
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) post_visit(*it);
}

void PostOrderVisit(const Expr& expr, std::function<void(const Expr&)> fvisit) {
  std::unordered_set<const Object*> visited;
  detail::PostOrderWalk(
      expr, [&visited](const Expr& n) { return visited.count(n.get()) != 0; },
      [&](const Expr& n) {
        visited.insert(n.get());
        fvisit(n);
      },
      /*enter_functions=*/true);
}

// ----------------------------------------------------------- MixedModeVisitor

MixedModeVisitor::MixedModeVisitor(int visit_limit) : visit_limit_(visit_limit) {
  TVM_CHECK(visit_limit >= 1, "ValueError") << "MixedModeVisitor: visit_limit must be at least 1, got "
                                            << visit_limit;
}

bool MixedModeVisitor::CheckVisited(const Expr& expr) {
  size_t& count = visit_counter_[expr.get()];
  if (count < static_cast<size_t>(visit_limit_)) return false;
  ++count;
  return true;
}

void MixedModeVisitor::VisitLeaf(const Expr& expr) {
  // Dispatch first, count after: the node's own VisitExpr_ sees its children
  // as visited and does not walk them again.
  if (visit_counter_[expr.get()] < static_cast<size_t>(visit_limit_)) ExprFunctor::VisitExpr(expr);
  ++visit_counter_[expr.get()];
}

namespace {
bool IsDataflow(const Expr& e) { return e.as<CallNode>() || e.as<TupleNode>() || e.as<TupleGetItemNode>(); }
}  // namespace

void MixedModeVisitor::VisitExpr(const Expr& expr) {
  TVM_CHECK(expr.defined(), "ValueError") << "relay: visiting an undefined (None) expression";
  // Most calls are for leaves already visited (variables, operators): no stack for those.
  if (CheckVisited(expr)) return;
  DepthGuard guard(&nesting_);
  RunDeep(nesting_, [&]() {
    if (!IsDataflow(expr)) {
      VisitLeaf(expr);
      return;
    }
    ExpandDataflow(
        expr, [this](const Expr& e) { return CheckVisited(e); }, [this](const Expr& e) { VisitLeaf(e); });
  });
}

void MixedModeVisitor::VisitExpr_(const LetNode* op) {
  // The chain in a loop: each binding (variable, value) outside in, then the
  // innermost body. The inner lets count as visited without a dispatch.
  const LetNode* last = op;
  for (const LetNode* l = op;;) {
    VisitSpan(l->span);
    VisitExpr(l->var);
    VisitExpr(l->value);
    last = l;
    const LetNode* next = l->body.as<LetNode>();
    if (next == nullptr || visit_counter_[next] >= static_cast<size_t>(visit_limit_)) break;
    ++visit_counter_[next];
    l = next;
  }
  VisitExpr(last->body);
}

// ----------------------------------------------------------- MixedModeMutator

bool MixedModeMutator::CheckVisited(const Expr& expr) { return memo_.count(expr) != 0; }

void MixedModeMutator::VisitLeaf(const Expr& expr) {
  if (memo_.count(expr) == 0) {
    Expr result = DispatchVisitExpr(expr);
    memo_[expr] = result;
  }
}

Expr MixedModeMutator::DispatchVisitExpr(const Expr& expr) { return ExprMutator::VisitExpr(expr); }

Expr MixedModeMutator::VisitExpr(const Expr& expr) {
  TVM_CHECK(expr.defined(), "ValueError") << "relay: mutating an undefined (None) expression";
  auto it = memo_.find(expr);
  if (it != memo_.end()) return it->second;
  DepthGuard guard(&nesting_);
  RunDeep(nesting_, [&]() {
    if (!IsDataflow(expr)) {
      VisitLeaf(expr);
      return;
    }
    ExpandDataflow(
        expr, [this](const Expr& e) { return CheckVisited(e); }, [this](const Expr& e) { VisitLeaf(e); });
  });
  return memo_.at(expr);
}

Expr MixedModeMutator::VisitExpr_(const LetNode* op) {
  // Bindings outside in, then rebuild inside out; inner lets go into memo_.
  struct Binding {
    const LetNode* let;
    Var var;
    Expr value;
  };
  std::vector<Binding> chain;
  for (const LetNode* l = op;;) {
    Var var = ExpectVar(VisitExpr(l->var), l->var, "let-bound variable");
    Expr value = VisitExpr(l->value);
    chain.push_back({l, var, value});
    const LetNode* next = l->body.as<LetNode>();
    if (next == nullptr || memo_.count(l->body)) break;
    l = next;
  }
  Expr body = VisitExpr(chain.back().let->body);
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    const LetNode* let = it->let;
    Expr result;
    if (it->var.same_as(let->var) && it->value.same_as(let->value) && body.same_as(let->body)) {
      result = GetRef<Expr>(let);
    } else {
      result = Let(it->var, it->value, body, let->span);
    }
    if (let != op) memo_[GetRef<Expr>(let)] = result;
    body = result;
  }
  return body;
}

// ------------------------------------------------------------- ExprRewriter

Expr ExprRewriter::Rewrite(const Expr& pre, const Expr& post) {
  const Object* n = pre.get();
  if (const auto* p = pre.as<CallNode>()) return Rewrite_(p, post);
  if (const auto* p = pre.as<VarNode>()) return Rewrite_(p, post);
  if (const auto* p = pre.as<ConstantNode>()) return Rewrite_(p, post);
  if (const auto* p = pre.as<TupleNode>()) return Rewrite_(p, post);
  if (const auto* p = pre.as<TupleGetItemNode>()) return Rewrite_(p, post);
  if (const auto* p = pre.as<OpNode>()) return Rewrite_(p, post);
  if (const auto* p = pre.as<GlobalVarNode>()) return Rewrite_(p, post);
  if (const auto* p = pre.as<FunctionNode>()) return Rewrite_(p, post);
  if (const auto* p = pre.as<LetNode>()) return Rewrite_(p, post);
  if (const auto* p = pre.as<IfNode>()) return Rewrite_(p, post);
  if (const auto* p = pre.as<RefCreateNode>()) return Rewrite_(p, post);
  if (const auto* p = pre.as<RefReadNode>()) return Rewrite_(p, post);
  if (const auto* p = pre.as<RefWriteNode>()) return Rewrite_(p, post);
  if (const auto* p = pre.as<ConstructorNode>()) return Rewrite_(p, post);
  if (const auto* p = pre.as<MatchNode>()) return Rewrite_(p, post);
  throw runtime::Error("InternalError", "relay.ExprRewriter: no handler for node type " + n->GetTypeKey());
}

namespace {
class PostOrderRewriter : public MixedModeMutator {
 public:
  explicit PostOrderRewriter(ExprRewriter* rewriter) : rewriter_(rewriter) {}

  Expr DispatchVisitExpr(const Expr& expr) final {
    Expr post = ExprFunctor::VisitExpr(expr);
    return rewriter_->Rewrite(expr, post);
  }

  using MixedModeMutator::VisitExpr_;
  // Each let of a chain is handed to the rewriter, innermost first.
  Expr VisitExpr_(const LetNode* op) final {
    std::vector<std::pair<const LetNode*, std::pair<Var, Expr>>> chain;
    for (const LetNode* l = op;;) {
      Var var = ExpectVar(VisitExpr(l->var), l->var, "let-bound variable");
      chain.push_back({l, {var, VisitExpr(l->value)}});
      const LetNode* next = l->body.as<LetNode>();
      if (next == nullptr || memo_.count(l->body)) break;
      l = next;
    }
    Expr body = VisitExpr(chain.back().first->body);
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
      const LetNode* let = it->first;
      const Var& var = it->second.first;
      const Expr& value = it->second.second;
      Expr post = (var.same_as(let->var) && value.same_as(let->value) && body.same_as(let->body))
                      ? GetRef<Expr>(let)
                      : Expr(Let(var, value, body, let->span));
      // The head's rewrite is applied by DispatchVisitExpr.
      Expr result = let == op ? post : rewriter_->Rewrite(GetRef<Expr>(let), post);
      if (let != op) memo_[GetRef<Expr>(let)] = result;
      body = result;
    }
    return body;
  }

 private:
  ExprRewriter* rewriter_;
};
}  // namespace

Expr PostOrderRewrite(const Expr& expr, ExprRewriter* rewriter) {
  TVM_CHECK(rewriter != nullptr, "ValueError") << "PostOrderRewrite: the rewriter is null";
  return PostOrderRewriter(rewriter).VisitExpr(expr);
}

// ------------------------------------------------------------------ Python

TVM_REGISTER_GLOBAL("relay.analysis.post_order_visit").set_body_typed([](Expr expr, runtime::PackedFunc f) {
  PostOrderVisit(expr, [f](const Expr& n) { f(n); });
});

}  // namespace relay
}  // namespace tvm
