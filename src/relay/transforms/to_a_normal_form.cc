/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file relay/transforms/to_a_normal_form.cc
 * \brief ToANormalForm: every intermediate value gets a name.
 *
 *   add(1, multiply(2, 3))  ->  let %a = 1; let %b = 2; let %c = 3;
 *                               let %d = multiply(%b, %c); let %e = add(%a, %d); %e
 *
 * Every node but variables, operators and constructors (constants, calls,
 * tuples, projections, ifs, functions, references, matches, lets) is bound
 * once, in post order, in the innermost scope that holds all its uses: scopes
 * are the function bodies, the two branches of each `if` and the clauses of
 * each `match`. So a shared node stays one binding, and a node used in one
 * branch only is computed in that branch. The value of an existing let is
 * bound to that let's own variable.
 *
 * Three walks, none recursive: post order (which also orders the bindings),
 * scope placement parents-first, then the rebuild in post order, each scope's
 * let-chain assembled when the node that owns the scope is rebuilt.
 */
#include <tvm/relay/adt.h>
#include <tvm/relay/expr_functor.h>

#include <memory>
#include <unordered_set>

#include "../ir/walk.h"
#include "pass_util.h"

namespace tvm {
namespace relay {
namespace {

template <typename V>
using ExprMap = std::unordered_map<Expr, V, ObjectPtrHash, ObjectPtrEqual>;

struct Scope {
  Scope* parent;
  int depth;
  std::vector<Expr> nodes;  // bound here, in binding order
};

Scope* Common(Scope* a, Scope* b) {
  if (a == nullptr) return b;
  while (a->depth > b->depth) a = a->parent;
  while (b->depth > a->depth) b = b->parent;
  while (a != b) {
    a = a->parent;
    b = b->parent;
  }
  return a;
}

bool IsPrimitiveFunction(const Expr& e) {
  const auto* fn = e.as<FunctionNode>();
  return fn != nullptr && fn->attrs.HasNonzeroAttr(attr::kPrimitive);
}

/*! \brief Atoms are used as they are; everything else is let-bound. */
bool IsAtomic(const Expr& e) {
  return e.as<VarNode>() || e.as<GlobalVarNode>() || e.as<OpNode>() || e.as<ConstructorNode>() ||
         IsPrimitiveFunction(e);
}

/*! \brief The expression children of `e`, each with the index of the new scope it opens (-1: the same scope). */
void Children(const Expr& e, std::vector<std::pair<Expr, int>>* out) {
  out->clear();
  if (IsPrimitiveFunction(e)) return;
  if (const auto* node = e.as<IfNode>()) {
    out->push_back({node->cond, -1});
    out->push_back({node->true_branch, 0});
    out->push_back({node->false_branch, 1});
  } else if (const auto* fn = e.as<FunctionNode>()) {
    out->push_back({fn->body, 0});
  } else if (const auto* match = e.as<MatchNode>()) {
    out->push_back({match->data, -1});
    for (size_t i = 0; i < match->clauses.size(); ++i) out->push_back({match->clauses[i]->rhs, static_cast<int>(i)});
  } else if (const auto* let = e.as<LetNode>()) {
    out->push_back({let->value, -1});
    out->push_back({let->body, -1});
  } else {
    std::vector<Expr> kids;
    detail::AllChildren(e, &kids, /*enter_functions=*/false);
    for (Expr& k : kids) out->push_back({std::move(k), -1});
  }
}

class ANormalizer {
 public:
  Expr Run(const Expr& body) {
    Scope* root = NewScope(nullptr);
    PostOrder(body);
    Place(body, root);
    NameLetValues();
    size_t point = 0;
    for (const Expr& n : order_) {
      if (!n.defined()) {
        // The let's variable, when its value is not bound under it, is bound right here.
        const Expr& let = let_var_points_[point++];
        placement_.at(let)->nodes.push_back(Tuple(Array<Expr>{let}));
      } else if (!IsAtomic(n)) {
        placement_.at(n)->nodes.push_back(n);
      }
    }
    for (const Expr& n : order_) {
      if (n.defined() && !IsAtomic(n)) rebuilt_[n] = Rebuild(n);
    }
    return Build(root, body);
  }

 private:
  Scope* NewScope(Scope* parent) {
    scopes_.push_back(std::make_unique<Scope>(Scope{parent, parent ? parent->depth + 1 : 0, {}}));
    return scopes_.back().get();
  }

  enum Step { kExpand, kEmit, kBindLetVar };

  void PostOrder(const Expr& root) {
    std::unordered_set<const Object*> seen;
    std::vector<std::pair<Expr, Step>> stack{{root, kExpand}};
    std::vector<std::pair<Expr, int>> kids;
    while (!stack.empty()) {
      auto [e, step] = stack.back();
      stack.pop_back();
      if (step == kEmit) {
        order_.push_back(e);
        continue;
      }
      if (step == kBindLetVar) {
        // Between a let's value and its body: where the let's variable becomes defined.
        let_var_points_.push_back(e);
        order_.push_back(Expr());
        continue;
      }
      if (!seen.insert(e.get()).second) continue;
      stack.push_back({e, kEmit});
      if (const auto* let = e.as<LetNode>()) {
        if (!seen.count(let->body.get())) stack.push_back({let->body, kExpand});
        stack.push_back({e, kBindLetVar});
        if (!seen.count(let->value.get())) stack.push_back({let->value, kExpand});
        continue;
      }
      Children(e, &kids);
      for (auto it = kids.rbegin(); it != kids.rend(); ++it) {
        if (!seen.count(it->first.get())) stack.push_back({it->first, kExpand});
      }
    }
  }

  /*! \brief Each node's scope: the innermost one holding all its uses (parents placed before children). */
  void Place(const Expr& root, Scope* root_scope) {
    placement_[root] = root_scope;
    std::vector<std::pair<Expr, int>> kids;
    for (auto it = order_.rbegin(); it != order_.rend(); ++it) {
      if (!it->defined()) continue;  // a let-variable point
      const Expr& n = *it;
      Scope* here = placement_.at(n);
      Children(n, &kids);
      std::vector<Scope*>& opened = opened_[n];
      for (const auto& [child, scope_index] : kids) {
        Scope* use = here;
        if (scope_index >= 0) {
          while (static_cast<int>(opened.size()) <= scope_index) opened.push_back(NewScope(here));
          use = opened[scope_index];
        }
        Scope*& s = placement_[child];
        s = Common(s, use);
      }
    }
  }

  /*! \brief The name a bound node goes by (the let's own variable for a let's value). */
  Expr Atom(const Expr& e) {
    if (IsAtomic(e)) return e;
    auto it = names_.find(e);
    if (it != names_.end()) return it->second;
    Var v("x", IncompleteType());  // its type is left to inference, as TVM's fresh variables
    names_[e] = v;
    return v;
  }

  /*! \brief The let-chain of `scope`'s bindings around the atom of `result`. */
  Expr Build(Scope* scope, const Expr& result) {
    Expr body = Atom(result);
    for (auto it = scope->nodes.rbegin(); it != scope->nodes.rend(); ++it) {
      if (rebuilt_.count(*it)) {
        body = Let(Downcast<Var>(Atom(*it)), rebuilt_.at(*it), body);
        continue;
      }
      // A let-variable point (the let wrapped in a one-field tuple marker): bind the
      // variable when its value is an atom or was bound under another name.
      const auto* let = Downcast<Tuple>(*it)->fields[0].as<LetNode>();
      Expr value = Atom(let->value);
      if (!value.same_as(let->var)) body = Let(let->var, value, body);
    }
    return body;
  }

  Expr Rebuild(const Expr& n) {
    if (n.as<ConstantNode>()) return n;
    if (const auto* call = n.as<CallNode>()) {
      Array<Expr> args;
      for (const Expr& a : call->args) args.push_back(Atom(a));
      return Call(Atom(call->op), args, call->attrs, call->type_args, call->span);
    }
    if (const auto* tuple = n.as<TupleNode>()) {
      Array<Expr> fields;
      for (const Expr& f : tuple->fields) fields.push_back(Atom(f));
      return Tuple(fields, tuple->span);
    }
    if (const auto* get = n.as<TupleGetItemNode>()) return TupleGetItem(Atom(get->tuple), get->index, get->span);
    if (const auto* ref = n.as<RefCreateNode>()) return RefCreate(Atom(ref->value), ref->span);
    if (const auto* read = n.as<RefReadNode>()) return RefRead(Atom(read->ref), read->span);
    if (const auto* write = n.as<RefWriteNode>()) return RefWrite(Atom(write->ref), Atom(write->value), write->span);
    const std::vector<Scope*>& opened = opened_[n];
    if (const auto* node = n.as<IfNode>()) {
      return If(Atom(node->cond), Build(opened.at(0), node->true_branch), Build(opened.at(1), node->false_branch),
                node->span);
    }
    if (const auto* fn = n.as<FunctionNode>()) {
      return Function(fn->params, Build(opened.at(0), fn->body), fn->ret_type, fn->type_params, fn->attrs, fn->span);
    }
    if (const auto* match = n.as<MatchNode>()) {
      Array<Clause> clauses;
      for (size_t i = 0; i < match->clauses.size(); ++i) {
        clauses.push_back(Clause(match->clauses[i]->lhs, Build(opened.at(i), match->clauses[i]->rhs)));
      }
      return Match(Atom(match->data), clauses, match->complete, match->span);
    }
    if (const auto* let = n.as<LetNode>()) {
      // The let itself stands for its body's value; its value is bound to its own variable.
      return Atom(let->body);
    }
    TVM_CHECK(false, "InternalError") << "ToANormalForm: cannot handle a " << n->GetTypeKey();
    return Expr();
  }

  std::vector<std::unique_ptr<Scope>> scopes_;
  std::vector<Expr> order_;  // undefined entries: let-variable points, in let_var_points_
  std::vector<Expr> let_var_points_;
  ExprMap<Scope*> placement_;
  ExprMap<std::vector<Scope*>> opened_;
  ExprMap<Expr> names_;
  ExprMap<Expr> rebuilt_;

  /*! \brief Let values take their let's variable as name (set before the rebuild). */
  void NameLetValues() {
    for (const Expr& n : order_) {
      if (!n.defined()) continue;
      const auto* let = n.as<LetNode>();
      if (let == nullptr || IsAtomic(let->value) || names_.count(let->value)) continue;
      if (placement_.at(let->value) == placement_.at(n)) names_[let->value] = let->var;
    }
  }
};

}  // namespace

Expr ToANormalFormExpr(const Expr& expr) {
  // A function keeps its parameters: its body is what gets normalised.
  if (const auto* fn = expr.as<FunctionNode>()) {
    if (fn->attrs.HasNonzeroAttr(attr::kPrimitive)) return expr;
    ANormalizer normalizer;
    Expr body = normalizer.Run(fn->body);
    return Function(fn->params, body, fn->ret_type, fn->type_params, fn->attrs, fn->span);
  }
  return ANormalizer().Run(expr);
}

namespace transform {

Pass ToANormalForm() {
  auto pass_func = [](IRModule mod, PassContext) {
    std::vector<std::pair<GlobalVar, Function>> updates;
    for (const GlobalVar& gv : mod->GetGlobalVars()) {
      BaseFunc func = mod->Lookup(gv);
      if (pass_util::SkipFunction(func)) continue;
      updates.emplace_back(gv, Downcast<Function>(ToANormalFormExpr(func)));
    }
    if (updates.empty()) return mod;
    IRModuleNode* node = mod.CopyOnWrite();
    for (auto& kv : updates) node->Update(kv.first, kv.second);
    return mod;
  };
  return tvm::transform::CreateModulePass(pass_func, 1, "ToANormalForm", {});
}

TVM_REGISTER_GLOBAL("relay._transform.ToANormalForm").set_body_typed([]() { return ToANormalForm(); });
TVM_REGISTER_GLOBAL("relay._transform.ToANormalFormExpr").set_body_typed([](Expr e) { return ToANormalFormExpr(e); });

}  // namespace transform
}  // namespace relay
}  // namespace tvm
