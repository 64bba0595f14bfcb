/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// WellFormed: each variable is bound by one binder (a let, or the parameter
// list of one function; the same function node reached twice is the same
// binder) and used only inside that binder's scope. Variables bound nowhere
// are free and fine.
//
//   let %x = 1; let %x = 2; %x        ill formed: %x bound twice
//   (let %x = 1; %x, %x)              ill formed: second %x outside the let
//   fn (%x) { %y }                    well formed: %y is free
//
// The walk is an explicit stack of "visit" and "close scope" items. A node
// checked once needs no second check while the scope it was checked in is
// still open (everything bound then is bound still), so a graph shared
// inside one scope is walked once; a node reached again from outside is
// checked again, which is what catches uses outside a scope.
#include <tvm/relay/analysis.h>
#include <tvm/runtime/registry.h>

#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "../ir/walk.h"

namespace tvm {
namespace relay {

namespace {

class WellFormedChecker {
 public:
  bool Check(const Expr& root) {
    open_.push_back(true);  // scope 0: the whole expression
    scopes_.push_back({0, {}});
    stack_.push_back({root, false});
    std::vector<Expr> children;
    while (!stack_.empty() && error_.empty()) {
      Item item = std::move(stack_.back());
      stack_.pop_back();
      if (item.close_scope) {
        CloseScope();
        continue;
      }
      if (item.clause != nullptr) {
        // A match clause: its pattern binds variables for its body only.
        OpenScope();
        for (const Var& v : PatternVars(item.clause->lhs)) Bind(v.operator->(), item.clause);
        stack_.push_back({Expr(), true});
        stack_.push_back({item.clause->rhs, false});
        continue;
      }
      const Expr& e = item.expr;
      auto it = checked_in_.find(e.get());
      if (it != checked_in_.end() && open_[it->second]) continue;
      checked_in_[e.get()] = scopes_.back().id;
      if (const auto* var = e.as<VarNode>()) {
        Use(var);
      } else if (const auto* fn = e.as<FunctionNode>()) {
        OpenScope();
        for (const Var& p : fn->params) Bind(p.operator->(), fn);
        stack_.push_back({Expr(), true});
        stack_.push_back({fn->body, false});
      } else if (const auto* let = e.as<LetNode>()) {
        // The variable is in scope in its own value (recursive functions) and the body.
        OpenScope();
        Bind(let->var.operator->(), let);
        stack_.push_back({Expr(), true});
        stack_.push_back({let->body, false});
        stack_.push_back({let->value, false});
      } else if (const auto* match = e.as<MatchNode>()) {
        for (size_t i = match->clauses.size(); i-- > 0;) stack_.push_back({Expr(), false, match->clauses[i].operator->()});
        stack_.push_back({match->data, false});
      } else {
        children.clear();
        detail::AllChildren(e, &children, false);
        for (auto c = children.rbegin(); c != children.rend(); ++c) stack_.push_back({*c, false});
      }
    }
    return error_.empty();
  }

  const std::string& error() const { return error_; }

 private:
  struct Item {
    Expr expr;
    bool close_scope;
    const ClauseNode* clause{nullptr};
  };
  struct Scope {
    size_t id;
    std::vector<const VarNode*> vars;
  };

  void OpenScope() {
    scopes_.push_back({open_.size(), {}});
    open_.push_back(true);
  }

  void CloseScope() {
    for (const VarNode* v : scopes_.back().vars) in_scope_.erase(v);
    open_[scopes_.back().id] = false;
    scopes_.pop_back();
  }

  void Bind(const VarNode* v, const Object* binder) {
    auto it = binder_.find(v);
    if (it != binder_.end() && it->second != binder) {
      Fail("variable %" + std::string(v->name_hint) + " is bound more than once (by a " +
           it->second->GetTypeKey() + " and by a " + binder->GetTypeKey() + ")");
      return;
    }
    if (used_free_.count(v)) {
      Fail("variable %" + std::string(v->name_hint) + " is used outside the scope of the " +
           binder->GetTypeKey() + " that binds it");
      return;
    }
    binder_[v] = binder;
    if (in_scope_.insert(v).second) scopes_.back().vars.push_back(v);
  }

  void Use(const VarNode* v) {
    if (in_scope_.count(v)) return;
    auto it = binder_.find(v);
    if (it != binder_.end()) {
      Fail("variable %" + std::string(v->name_hint) + " is used outside the scope of the " +
           it->second->GetTypeKey() + " that binds it");
      return;
    }
    used_free_.insert(v);
  }

  void Fail(const std::string& message) {
    if (error_.empty()) error_ = message;
  }

  std::vector<Item> stack_;
  std::vector<Scope> scopes_;
  std::vector<bool> open_;
  std::unordered_map<const Object*, size_t> checked_in_;
  std::unordered_map<const VarNode*, const Object*> binder_;
  std::unordered_set<const VarNode*> in_scope_;
  std::unordered_set<const VarNode*> used_free_;
  std::string error_;
};

}  // namespace

bool WellFormed(const Expr& expr, std::string* reason) {
  TVM_CHECK(expr.defined(), "ValueError") << "relay.analysis.well_formed: the expression is None";
  WellFormedChecker checker;
  bool ok = checker.Check(expr);
  if (!ok && reason != nullptr) *reason = checker.error();
  return ok;
}

TVM_REGISTER_GLOBAL("relay.analysis.well_formed").set_body_typed([](Expr e) { return WellFormed(e); });

/*! \brief "" when well formed, else why not (for tests and error messages). */
TVM_REGISTER_GLOBAL("relay.analysis.well_formed_reason").set_body_typed([](Expr e) {
  std::string reason;
  WellFormed(e, &reason);
  return String(reason);
});

}  // namespace relay
}  // namespace tvm
