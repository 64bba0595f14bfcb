/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file relay/transforms/dead_code.cc
 * \brief DeadCodeElimination: let-bindings whose variable is never used are
 *  dropped; with inline_once, a binding used exactly once is substituted at
 *  its use.
 *
 *   let %x = 1; let %y = 2; %x + %x   ->   let %x = 1; %x + %x
 *
 * Only bindings whose value is pure may go: a value that reads or writes a
 * reference, calls a stateful operator, or calls a function that may do so
 * stays (unless ignore_impurity). Uses are counted from the live code only
 * (a binding used only by dead bindings is dead too); a use inside a function
 * nested deeper than the binding counts as two, so a computation is never
 * inlined into a function body that may run many times.
 *
 * Every walk is iterative or goes through ExprMutator (which moves deep
 * recursion onto a large stack), so long let chains are fine.
 */
#include <tvm/relay/expr_functor.h>
#include <tvm/relay/op.h>

#include <unordered_set>

#include "../ir/walk.h"
#include "pass_util.h"

namespace tvm {
namespace relay {
namespace {

template <typename V>
using ExprMap = std::unordered_map<Expr, V, ObjectPtrHash, ObjectPtrEqual>;

struct Purity {
  bool eval;  // evaluating the expression has no side effect
  bool call;  // for a function value: calling it has no side effect (first-order values: true)
};

bool IsFirstOrder(const Expr& e) { return !e->checked_type_.defined() || !e->checked_type_.as<FuncTypeNode>(); }

/*! \brief The purity of every let-bound value of the module's functions (TVM's rules). */
class PurityAnalysis {
 public:
  explicit PurityAnalysis(IRModule mod) : mod_(std::move(mod)) {}

  void Run() {
    for (const auto& kv : mod_->functions) {
      const auto* fn = kv.second.as<FunctionNode>();
      if (fn == nullptr || fn->attrs.HasNonzeroAttr(attr::kPrimitive) || fn->attrs.HasNonzeroAttr("Extern")) continue;
      GlobalPurity(kv.first);
    }
  }

  /*! \brief Whether the value bound to each let variable is pure to evaluate. */
  std::unordered_map<const Object*, bool> let_pure_;

 private:
  Purity GlobalPurity(const GlobalVar& gv) {
    auto it = globals_.find(gv.get());
    if (it != globals_.end()) return it->second;
    if (!mod_->functions.count(gv)) return {true, false};
    const auto* fn = mod_->Lookup(gv).as<FunctionNode>();
    if (fn == nullptr || fn->attrs.HasNonzeroAttr("Extern")) return {true, false};
    globals_[gv.get()] = {true, true};  // a recursive call assumes the best, as TVM
    Purity p = Analyse(GetRef<Expr>(fn));
    globals_[gv.get()] = p;
    return p;
  }

  Purity Analyse(const Expr& root) {
    // Let values first known by their variables (a use may come before the let is finished).
    detail::PostOrderWalk(
        root, [this](const Expr& e) { return memo_.count(e) != 0; },
        [this](const Expr& e) { memo_[e] = Visit(e); }, /*enter_functions=*/true);
    return memo_.at(root);
  }

  Purity Of(const Expr& e) {
    if (const auto* var = e.as<VarNode>()) {
      auto it = let_values_.find(var);
      if (it != let_values_.end()) {
        auto v = memo_.find(it->second);
        return v == memo_.end() ? Purity{true, true} : Purity{true, v->second.call};
      }
      return {true, IsFirstOrder(e)};  // a function parameter or pattern variable: unknown callee
    }
    auto it = memo_.find(e);
    ICHECK(it != memo_.end());
    return it->second;
  }

  Purity Visit(const Expr& e) {
    if (e.as<ConstantNode>() || e.as<ConstructorNode>() || e.as<RefCreateNode>()) return {true, true};
    if (const auto* op = e.as<OpNode>()) return {true, !stateful_.get(GetRef<Op>(op), false)};
    if (const auto* gv = e.as<GlobalVarNode>()) return {true, GlobalPurity(GetRef<GlobalVar>(gv)).call};
    if (e.as<VarNode>()) return {true, true};  // read through Of() at its uses
    if (const auto* fn = e.as<FunctionNode>()) {
      Purity body = Of(fn->body);
      return {true, body.eval && body.call};
    }
    if (const auto* let = e.as<LetNode>()) {
      Purity value = Of(let->value);
      let_pure_[let->var.get()] = value.eval;
      Purity body = Of(let->body);
      return {value.eval && body.eval, body.call};
    }
    if (const auto* call = e.as<CallNode>()) {
      Purity callee = Of(call->op);
      bool eval = callee.eval && callee.call;
      for (const Expr& a : call->args) eval = eval && Of(a).eval;
      return {eval, IsFirstOrder(e) || callee.call};
    }
    if (const auto* node = e.as<IfNode>()) {
      Purity c = Of(node->cond), t = Of(node->true_branch), f = Of(node->false_branch);
      return {c.eval && t.eval && f.eval, t.call && f.call};
    }
    if (const auto* tuple = e.as<TupleNode>()) {
      bool eval = true;
      for (const Expr& f : tuple->fields) eval = eval && Of(f).eval;
      return {eval, true};
    }
    if (const auto* get = e.as<TupleGetItemNode>()) return {Of(get->tuple).eval, IsFirstOrder(e)};
    if (e.as<RefReadNode>()) return {false, IsFirstOrder(e)};
    if (e.as<RefWriteNode>()) return {false, true};
    if (const auto* match = e.as<MatchNode>()) {
      bool eval = Of(match->data).eval, call = true;
      for (const Clause& c : match->clauses) {
        Purity rhs = Of(c->rhs);
        eval = eval && rhs.eval;
        call = call && rhs.call;
      }
      return {eval, call};
    }
    return {false, false};
  }

 public:
  /*! \brief Record every let of the module first, so a variable's value is found at its uses. */
  void CollectLets() {
    for (const auto& kv : mod_->functions) {
      if (!kv.second.as<FunctionNode>()) continue;
      std::unordered_set<const Object*> seen;
      detail::PostOrderWalk(
          kv.second, [&seen](const Expr& e) { return seen.count(e.get()) != 0; },
          [this, &seen](const Expr& e) {
            seen.insert(e.get());
            if (const auto* let = e.as<LetNode>()) let_values_[let->var.get()] = let->value;
          },
          /*enter_functions=*/true);
    }
  }

 private:
  IRModule mod_;
  ExprMap<Purity> memo_;
  std::unordered_map<const Object*, Expr> let_values_;
  std::unordered_map<const Object*, Purity> globals_;
  OpAttrMap<TOpIsStateful> stateful_ = Op::GetAttrMap<TOpIsStateful>("TOpIsStateful");
};

/*! \brief Counts the uses of each let variable reachable from live code. */
class UsageCounter {
 public:
  UsageCounter(const std::unordered_map<const Object*, bool>* purity, bool default_pure)
      : purity_(purity), default_pure_(default_pure) {}

  bool IsPure(const Object* var) const {
    auto it = purity_->find(var);
    return it == purity_->end() ? default_pure_ : it->second;
  }

  std::unordered_map<const Object*, Expr> values_;
  std::unordered_map<const Object*, size_t> uses_;

  void Run(const Expr& root) {
    std::vector<std::pair<Expr, int>> stack{{root, 0}};
    std::vector<Expr> children;
    while (!stack.empty()) {
      auto [e, level] = std::move(stack.back());
      stack.pop_back();
      // A node reached twice is walked twice (its uses count twice), not more.
      if (++visits_[e.get()] > 2) continue;
      if (const auto* var = e.as<VarNode>()) {
        auto it = values_.find(var);
        if (it == values_.end()) continue;
        size_t& n = uses_[var];
        ++n;
        if (level > levels_[var]) ++n;  // used inside a nested function: never inline there
        if (!live_.count(var)) {
          live_.insert(var);
          if (IsPure(var)) stack.push_back({it->second, levels_[var]});
        }
        continue;
      }
      if (const auto* let = e.as<LetNode>()) {
        if (!values_.count(let->var.get())) {
          values_[let->var.get()] = let->value;
          levels_[let->var.get()] = level;
          uses_[let->var.get()] = 0;
        }
        // A pure value is walked when its variable is first used; an impure one always.
        if (!IsPure(let->var.get())) stack.push_back({let->value, level});
        stack.push_back({let->body, level});
        continue;
      }
      if (const auto* fn = e.as<FunctionNode>()) {
        stack.push_back({fn->body, level + 1});
        continue;
      }
      children.clear();
      detail::AllChildren(e, &children, /*enter_functions=*/false);
      for (auto it = children.rbegin(); it != children.rend(); ++it) stack.push_back({*it, level});
    }
  }

 private:
  const std::unordered_map<const Object*, bool>* purity_;
  bool default_pure_;
  std::unordered_map<const Object*, size_t> visits_;
  std::unordered_map<const Object*, int> levels_;
  std::unordered_set<const Object*> live_;
};

class Eliminator : public ExprMutator {
 public:
  Eliminator(const UsageCounter& usage, bool inline_once) : usage_(usage), inline_once_(inline_once) {}

  using ExprMutator::VisitExpr_;

 private:
  enum Action { kKeep, kDrop, kInline };

  Action ActionFor(const Object* var) const {
    if (!usage_.values_.count(var) || !usage_.IsPure(var)) return kKeep;
    auto it = usage_.uses_.find(var);
    size_t n = it == usage_.uses_.end() ? 0 : it->second;
    if (n == 0) return kDrop;
    return n == 1 && inline_once_ ? kInline : kKeep;
  }

  Expr VisitExpr_(const VarNode* op) final {
    if (ActionFor(op) == kInline) return VisitExpr(usage_.values_.at(op));
    return GetRef<Expr>(op);
  }

  Expr VisitExpr_(const LetNode* op) final {
    // A chain of lets in a loop: bindings outside in, rebuilt inside out.
    std::vector<const LetNode*> chain;
    for (const LetNode* l = op;;) {
      chain.push_back(l);
      const LetNode* next = l->body.as<LetNode>();
      if (next == nullptr || memo_.count(l->body)) break;
      l = next;
    }
    Expr body = VisitExpr(chain.back()->body);
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
      const LetNode* let = *it;
      Expr result;
      if (ActionFor(let->var.get()) != kKeep) {
        result = body;
      } else {
        Expr value = VisitExpr(let->value);
        result = value.same_as(let->value) && body.same_as(let->body) ? GetRef<Expr>(let)
                                                                       : Expr(Let(let->var, value, body, let->span));
      }
      if (let != op) memo_[GetRef<Expr>(let)] = result;
      body = result;
    }
    return body;
  }

  const UsageCounter& usage_;
  bool inline_once_;
};

IRModule EliminateDeadCode(IRModule mod, bool inline_once, bool ignore_impurity) {
  bool typed = true;
  for (const auto& kv : mod->functions) {
    const auto* fn = kv.second.as<FunctionNode>();
    if (fn != nullptr && !fn->body->checked_type_.defined()) typed = false;
  }
  // Higher-order purity needs to know which expressions are functions.
  if (!typed && !ignore_impurity) mod = transform::InferType()(mod);
  std::unordered_map<const Object*, bool> purity;
  if (!ignore_impurity) {
    PurityAnalysis analysis(mod);
    analysis.CollectLets();
    analysis.Run();
    purity = std::move(analysis.let_pure_);
  }
  std::vector<std::pair<GlobalVar, Function>> updates;
  for (const GlobalVar& gv : mod->GetGlobalVars()) {
    const auto* fn = mod->Lookup(gv).as<FunctionNode>();
    if (fn == nullptr) continue;
    Function func = GetRef<Function>(fn);
    UsageCounter usage(&purity, /*default_pure=*/ignore_impurity);
    usage.Run(func);
    Function out = Downcast<Function>(Eliminator(usage, inline_once).Mutate(func));
    if (!out.same_as(func)) updates.emplace_back(gv, out);
  }
  if (updates.empty()) return mod;
  IRModuleNode* node = mod.CopyOnWrite();
  for (auto& kv : updates) node->Update(kv.first, kv.second);
  return mod;
}

}  // namespace

namespace transform {

Pass DeadCodeElimination(bool inline_once, bool ignore_impurity) {
  auto pass_func = [=](IRModule mod, PassContext) { return EliminateDeadCode(mod, inline_once, ignore_impurity); };
  return tvm::transform::CreateModulePass(pass_func, 1, "DeadCodeElimination", {"InferType"});
}

TVM_REGISTER_GLOBAL("relay._transform.DeadCodeElimination").set_body_typed([](bool inline_once, bool ignore_impurity) {
  return DeadCodeElimination(inline_once, ignore_impurity);
});

}  // namespace transform
}  // namespace relay
}  // namespace tvm
