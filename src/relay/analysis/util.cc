/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Variable and type-variable collection, data types, reference counts.
//
// Free means "bound nowhere in the expression" (TVM's definition): a variable
// used outside its binder's scope is not free but ill formed, which
// WellFormed reports. Lists are in the order the post-order walk first meets
// each variable; a binder's variables are met when the binder is.
#include <tvm/relay/analysis.h>
#include <tvm/relay/expr_functor.h>
#include <tvm/ir/type_relation.h>
#include <tvm/runtime/registry.h>

#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

namespace tvm {
namespace relay {

namespace {

// A set that remembers the order of first insertion.
template <typename T>
class InsertionSet {
 public:
  void Insert(const T& value) {
    if (set_.insert(value.get()).second) order_.push_back(value);
  }
  bool Contains(const T& value) const { return set_.count(value.get()) != 0; }
  const std::vector<T>& Order() const { return order_; }

 private:
  std::unordered_set<const Object*> set_;
  std::vector<T> order_;
};

class VarCollector : public MixedModeVisitor {
 public:
  Array<Var> Free(const Expr& expr) {
    VisitExpr(expr);
    Array<Var> result;
    for (const Var& v : vars_.Order()) {
      if (!bound_.Contains(v)) result.push_back(v);
    }
    return result;
  }

  Array<Var> Bound(const Expr& expr) {
    VisitExpr(expr);
    return Array<Var>(bound_.Order().begin(), bound_.Order().end());
  }

  Array<Var> All(const Expr& expr) {
    VisitExpr(expr);
    return Array<Var>(vars_.Order().begin(), vars_.Order().end());
  }

 private:
  using MixedModeVisitor::VisitExpr_;

  void MarkBound(const Var& v) {
    bound_.Insert(v);
    vars_.Insert(v);
  }

  void VisitExpr_(const VarNode* op) final { vars_.Insert(GetRef<Var>(op)); }

  void VisitExpr_(const FunctionNode* op) final {
    for (const Var& p : op->params) MarkBound(p);
    VisitExpr(op->body);
  }

  void VisitExpr_(const LetNode* op) final {
    // The chain in a loop; inner lets are marked visited as the base class does.
    const LetNode* last = op;
    for (const LetNode* l = op;;) {
      MarkBound(l->var);
      VisitExpr(l->value);
      last = l;
      const LetNode* next = l->body.as<LetNode>();
      if (next == nullptr || visit_counter_[next] > 0) break;
      ++visit_counter_[next];
      l = next;
    }
    VisitExpr(last->body);
  }

  InsertionSet<Var> vars_;
  InsertionSet<Var> bound_;
};

// Type variables of types; the type parameters of function types are bound.
class TypeVarCollector {
 public:
  void VisitType(const Type& t) {
    if (!t.defined()) return;
    if (const auto* tv = t.as<TypeVarNode>()) {
      all_.Insert(GetRef<TypeVar>(tv));
    } else if (const auto* fn = t.as<FuncTypeNode>()) {
      for (const TypeVar& tp : fn->type_params) Bind(tp);
      for (const Type& a : fn->arg_types) VisitType(a);
      VisitType(fn->ret_type);
      for (const TypeConstraint& c : fn->type_constraints) VisitType(c);
    } else if (const auto* tuple = t.as<TupleTypeNode>()) {
      for (const Type& f : tuple->fields) VisitType(f);
    } else if (const auto* ref = t.as<RelayRefTypeNode>()) {
      VisitType(ref->value);
    } else if (const auto* call = t.as<TypeCallNode>()) {
      VisitType(call->func);
      for (const Type& a : call->args) VisitType(a);
    } else if (const auto* rel = t.as<TypeRelationNode>()) {
      for (const Type& a : rel->args) VisitType(a);
    } else if (const auto* ptr = t.as<PointerTypeNode>()) {
      VisitType(ptr->element_type);
    }
  }

  void Bind(const TypeVar& tv) {
    bound_.Insert(tv);
    all_.Insert(tv);
  }

  Array<TypeVar> Free() const {
    Array<TypeVar> result;
    for (const TypeVar& tv : all_.Order()) {
      if (!bound_.Contains(tv)) result.push_back(tv);
    }
    return result;
  }
  Array<TypeVar> Bound() const { return Array<TypeVar>(bound_.Order().begin(), bound_.Order().end()); }
  Array<TypeVar> All() const { return Array<TypeVar>(all_.Order().begin(), all_.Order().end()); }

 private:
  InsertionSet<TypeVar> all_;
  InsertionSet<TypeVar> bound_;
};

// Walks an expression's annotations (variables, type arguments, return types).
class ExprTypeVarCollector : public MixedModeVisitor {
 public:
  TypeVarCollector types;

  void VisitType(const Type& t) final { types.VisitType(t); }

 private:
  using MixedModeVisitor::VisitExpr_;
  void VisitExpr_(const FunctionNode* op) final {
    for (const TypeVar& tp : op->type_params) types.Bind(tp);
    ExprVisitor::VisitExpr_(op);
  }
};

TypeVarCollector CollectTypeVars(const Expr& expr) {
  ExprTypeVarCollector collector;
  collector.VisitExpr(expr);
  return collector.types;
}

TypeVarCollector CollectTypeVars(const Type& type) {
  TypeVarCollector collector;
  collector.VisitType(type);
  return collector;
}

// Tensor dtypes in types (annotations and, once inferred, every node's type).
class DtypeCollector : public MixedModeVisitor {
 public:
  std::vector<std::string> order;

  void VisitType(const Type& t) final {
    if (!t.defined()) return;
    if (const auto* tt = t.as<TensorTypeNode>()) {
      std::string name = runtime::DLDataType2String(tt->dtype);
      if (seen_.insert(name).second) order.push_back(name);
    } else if (const auto* fn = t.as<FuncTypeNode>()) {
      for (const Type& a : fn->arg_types) VisitType(a);
      VisitType(fn->ret_type);
    } else if (const auto* tuple = t.as<TupleTypeNode>()) {
      for (const Type& f : tuple->fields) VisitType(f);
    } else if (const auto* ref = t.as<RelayRefTypeNode>()) {
      VisitType(ref->value);
    } else if (const auto* call = t.as<TypeCallNode>()) {
      for (const Type& a : call->args) VisitType(a);
    }
  }

 protected:
  void VisitLeaf(const Expr& expr) final {
    if (visit_counter_[expr.get()] == 0 && expr->checked_type_.defined()) VisitType(expr->checked_type_);
    MixedModeVisitor::VisitLeaf(expr);
  }

 private:
  std::unordered_set<std::string> seen_;
};

}  // namespace

Array<Var> FreeVars(const Expr& expr) { return VarCollector().Free(expr); }
Array<Var> BoundVars(const Expr& expr) { return VarCollector().Bound(expr); }
Array<Var> AllVars(const Expr& expr) { return VarCollector().All(expr); }

Array<TypeVar> FreeTypeVars(const Expr& expr, const IRModule&) { return CollectTypeVars(expr).Free(); }
Array<TypeVar> FreeTypeVars(const Type& type, const IRModule&) { return CollectTypeVars(type).Free(); }
Array<TypeVar> BoundTypeVars(const Expr& expr, const IRModule&) { return CollectTypeVars(expr).Bound(); }
Array<TypeVar> BoundTypeVars(const Type& type, const IRModule&) { return CollectTypeVars(type).Bound(); }
Array<TypeVar> AllTypeVars(const Expr& expr, const IRModule&) { return CollectTypeVars(expr).All(); }
Array<TypeVar> AllTypeVars(const Type& type, const IRModule&) { return CollectTypeVars(type).All(); }

Array<String> AllDtypes(const Expr& expr) {
  DtypeCollector collector;
  collector.VisitExpr(expr);
  Array<String> result;
  for (const std::string& name : collector.order) result.push_back(String(name));
  return result;
}

bool ConstantCheck(const Expr& expr) {
  // Constants, and tuples whose fields all are (nested tuples without recursion).
  std::vector<Expr> stack{expr};
  while (!stack.empty()) {
    Expr e = std::move(stack.back());
    stack.pop_back();
    if (e.as<ConstantNode>()) continue;
    const auto* tuple = e.as<TupleNode>();
    if (tuple == nullptr) return false;
    for (const Expr& f : tuple->fields) stack.push_back(f);
  }
  return true;
}

std::unordered_map<const Object*, size_t> GetExprRefCount(const Expr& body) {
  std::unordered_map<const Object*, size_t> count;
  count[body.get()] = 1;
  std::vector<Expr> children;
  PostOrderVisit(body, [&](const Expr& node) {
    children.clear();
    if (const auto* fn = node.as<FunctionNode>()) {
      for (const Var& p : fn->params) children.push_back(p);
      children.push_back(fn->body);
    } else if (const auto* let = node.as<LetNode>()) {
      children = {let->var, let->value, let->body};
    } else if (const auto* i = node.as<IfNode>()) {
      children = {i->cond, i->true_branch, i->false_branch};
    } else if (const auto* call = node.as<CallNode>()) {
      children.push_back(call->op);
      for (const Expr& a : call->args) children.push_back(a);
    } else if (const auto* tuple = node.as<TupleNode>()) {
      for (const Expr& f : tuple->fields) children.push_back(f);
    } else if (const auto* get = node.as<TupleGetItemNode>()) {
      children.push_back(get->tuple);
    } else if (const auto* rc = node.as<RefCreateNode>()) {
      children.push_back(rc->value);
    } else if (const auto* rr = node.as<RefReadNode>()) {
      children.push_back(rr->ref);
    } else if (const auto* rw = node.as<RefWriteNode>()) {
      children = {rw->ref, rw->value};
    }
    for (const Expr& c : children) ++count[c.get()];
  });
  return count;
}

// ------------------------------------------------------------------ Python

namespace {
IRModule ModuleOrEmpty(const std::optional<IRModule>& mod) { return mod.has_value() ? *mod : IRModule(); }

// The type-variable functions take an expression or a type.
template <typename FExpr, typename FType>
Array<TypeVar> ExprOrType(const ObjectRef& node, const std::optional<IRModule>& mod, const char* name, FExpr fexpr,
                          FType ftype) {
  if (const auto* e = node.as<RelayExprNode>()) return fexpr(GetRef<Expr>(e), ModuleOrEmpty(mod));
  if (const auto* t = node.as<TypeNode>()) return ftype(GetRef<Type>(t), ModuleOrEmpty(mod));
  TVM_CHECK(false, "TypeError") << "relay.analysis." << name << " expects a Relay expression or type, got "
                                << (node.defined() ? node->GetTypeKey() : std::string("None"));
  return {};
}
}  // namespace

TVM_REGISTER_GLOBAL("relay.analysis.free_vars").set_body_typed([](Expr e) { return FreeVars(e); });
TVM_REGISTER_GLOBAL("relay.analysis.bound_vars").set_body_typed([](Expr e) { return BoundVars(e); });
TVM_REGISTER_GLOBAL("relay.analysis.all_vars").set_body_typed([](Expr e) { return AllVars(e); });
TVM_REGISTER_GLOBAL("relay.analysis.free_type_vars")
    .set_body_typed([](ObjectRef node, std::optional<IRModule> mod) {
      return ExprOrType(
          node, mod, "free_type_vars", [](const Expr& e, const IRModule& m) { return FreeTypeVars(e, m); },
          [](const Type& t, const IRModule& m) { return FreeTypeVars(t, m); });
    });
TVM_REGISTER_GLOBAL("relay.analysis.bound_type_vars")
    .set_body_typed([](ObjectRef node, std::optional<IRModule> mod) {
      return ExprOrType(
          node, mod, "bound_type_vars", [](const Expr& e, const IRModule& m) { return BoundTypeVars(e, m); },
          [](const Type& t, const IRModule& m) { return BoundTypeVars(t, m); });
    });
TVM_REGISTER_GLOBAL("relay.analysis.all_type_vars")
    .set_body_typed([](ObjectRef node, std::optional<IRModule> mod) {
      return ExprOrType(
          node, mod, "all_type_vars", [](const Expr& e, const IRModule& m) { return AllTypeVars(e, m); },
          [](const Type& t, const IRModule& m) { return AllTypeVars(t, m); });
    });
TVM_REGISTER_GLOBAL("relay.analysis.check_constant").set_body_typed([](Expr e) { return ConstantCheck(e); });
TVM_REGISTER_GLOBAL("relay.analysis.all_dtypes").set_body_typed([](Expr e) { return AllDtypes(e); });

}  // namespace relay
}  // namespace tvm
