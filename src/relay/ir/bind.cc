/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Bind: substitute variables (relay.bind, relay.ir.Bind).
//
//   Bind(fn (%x, %y) { add(%x, %y) }, {%x: 1f})  =  fn (%y) { add(1f, %y) }
//   Bind(add(%x, %y), {%y: %x})                  =  add(%x, %x)
//
// Only free variables (and the parameters of a Function at the root) can be
// replaced: a variable bound inside has a scope of its own, and replacing it
// would leave its binder behind (refused with the variable's name).
#include <tvm/relay/analysis.h>
#include <tvm/relay/expr_functor.h>
#include <tvm/ir/type_relation.h>
#include <tvm/runtime/registry.h>

#include <unordered_set>

namespace tvm {
namespace relay {

namespace {

class ExprBinder : public MixedModeMutator {
 public:
  explicit ExprBinder(const Map<Var, Expr>& binds) : binds_(binds) {}

  using MixedModeMutator::VisitExpr_;
  Expr VisitExpr_(const VarNode* op) final {
    if (auto value = binds_.Get(GetRef<Var>(op))) return *value;
    return GetRef<Expr>(op);
  }

 private:
  const Map<Var, Expr>& binds_;
};

void CheckBindable(const Expr& scope, const Map<Var, Expr>& binds) {
  for (const Var& v : BoundVars(scope)) {
    TVM_CHECK(!binds.count(v), "ValueError")
        << "relay.bind: %" << v->name_hint
        << " is bound inside the expression (by a let or a function parameter); only free variables "
           "and the parameters of the function given can be bound";
  }
}

void CheckBindings(const Map<Var, Expr>& binds) {
  for (const auto& kv : binds) {
    TVM_CHECK(kv.first.defined() && kv.second.defined(), "ValueError")
        << "relay.bind: a binding has None as its variable or its value";
  }
}

// Substitutes type variables; a function type's own parameters shadow the map.
Type BindType(const Type& t, const Map<TypeVar, Type>& binds) {
  if (!t.defined()) return t;
  if (const auto* tv = t.as<TypeVarNode>()) {
    auto value = binds.Get(GetRef<TypeVar>(tv));
    return value ? *value : t;
  }
  auto bind_all = [&binds](const Array<Type>& types, bool* changed) {
    Array<Type> out;
    for (const Type& x : types) {
      Type y = BindType(x, binds);
      *changed = *changed || !y.same_as(x);
      out.push_back(y);
    }
    return out;
  };
  bool changed = false;
  if (const auto* tuple = t.as<TupleTypeNode>()) {
    Array<Type> fields = bind_all(tuple->fields, &changed);
    return changed ? TupleType(fields) : t;
  }
  if (const auto* fn = t.as<FuncTypeNode>()) {
    Map<TypeVar, Type> inner = binds;
    for (const TypeVar& tp : fn->type_params) inner.erase(tp);
    Array<Type> args;
    for (const Type& a : fn->arg_types) {
      Type b = BindType(a, inner);
      changed = changed || !b.same_as(a);
      args.push_back(b);
    }
    Type ret = BindType(fn->ret_type, inner);
    changed = changed || !ret.same_as(fn->ret_type);
    Array<TypeConstraint> constraints;
    for (const TypeConstraint& c : fn->type_constraints) {
      Type b = BindType(c, inner);
      changed = changed || !b.same_as(c);
      constraints.push_back(Downcast<TypeConstraint>(b));
    }
    return changed ? FuncType(args, ret, fn->type_params, constraints) : t;
  }
  if (const auto* ref = t.as<RelayRefTypeNode>()) {
    Type value = BindType(ref->value, binds);
    return value.same_as(ref->value) ? t : RelayRefType(value);
  }
  if (const auto* call = t.as<TypeCallNode>()) {
    Type func = BindType(call->func, binds);
    Array<Type> args = bind_all(call->args, &changed);
    return changed || !func.same_as(call->func) ? TypeCall(func, args) : t;
  }
  if (const auto* rel = t.as<TypeRelationNode>()) {
    Array<Type> args = bind_all(rel->args, &changed);
    return changed ? TypeRelation(rel->func, rel->name, args, rel->num_inputs, rel->attrs) : t;
  }
  return t;
}

}  // namespace

Expr Bind(const Expr& expr, const Map<Var, Expr>& binds) {
  TVM_CHECK(expr.defined(), "ValueError") << "relay.bind: the expression is None";
  CheckBindings(binds);
  if (binds.empty()) return expr;
  const auto* func = expr.as<FunctionNode>();
  if (func == nullptr) {
    CheckBindable(expr, binds);
    return ExprBinder(binds).VisitExpr(expr);
  }
  CheckBindable(func->body, binds);
  Expr body = ExprBinder(binds).VisitExpr(func->body);
  Array<Var> params;
  for (const Var& p : func->params) {
    if (!binds.count(p)) params.push_back(p);
  }
  if (body.same_as(func->body) && params.size() == func->params.size()) return expr;
  // Free variables the bound values bring in become parameters, after the kept ones.
  std::unordered_set<const Object*> before;
  for (const Var& v : FreeVars(expr)) before.insert(v.get());
  Function without_new(params, body, func->ret_type, func->type_params, func->attrs, func->span);
  for (const Var& v : FreeVars(without_new)) {
    if (!before.count(v.get())) params.push_back(v);
  }
  if (params.size() == without_new->params.size()) return std::move(without_new);
  return Function(params, body, func->ret_type, func->type_params, func->attrs, func->span);
}

Type Bind(const Type& type, const Map<TypeVar, Type>& binds) { return BindType(type, binds); }

TVM_REGISTER_GLOBAL("relay.ir.Bind").set_body([](runtime::TVMArgs args, runtime::TVMRetValue* ret) {
  ObjectRef input = args[0];
  if (const auto* e = input.as<RelayExprNode>()) {
    *ret = Bind(GetRef<Expr>(e), args[1].AsType<Map<Var, Expr>>());
  } else if (const auto* t = input.as<TypeNode>()) {
    *ret = Bind(GetRef<Type>(t), args[1].AsType<Map<TypeVar, Type>>());
  } else {
    TVM_CHECK(false, "TypeError") << "relay.bind expects a Relay expression or type, got "
                                  << (input.defined() ? input->GetTypeKey() : std::string("None"));
  }
});

// For Python's TypeMutator: relations have no Python constructor (their function is C++).
TVM_REGISTER_GLOBAL("relay.ir.TypeRelationWithArgs").set_body_typed([](TypeRelation rel, Array<Type> args) {
  TVM_CHECK(args.size() == rel->args.size(), "ValueError")
      << "TypeRelation " << rel->name << " has " << rel->args.size() << " arguments, got " << args.size();
  return TypeRelation(rel->func, rel->name, args, rel->num_inputs, rel->attrs);
});

}  // namespace relay
}  // namespace tvm
