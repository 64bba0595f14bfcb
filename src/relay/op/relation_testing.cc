/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/relay/op/relation_testing.cc
 * \brief relay.op._testing.call_type: the output type of a small expression of
 *  operator calls, solved call by call with each operator's relation alone.
 *  For testing relations independently of relay.transform.InferType (no
 *  unification across calls beyond what each relation assigns, no functions).
 *  The walk is an explicit post-order: no recursion per node.
 */
#include <tvm/ir/structural_equal.h>
#include <tvm/runtime/registry.h>

#include <unordered_map>
#include <vector>

#include "type_check.h"

namespace tvm {
namespace relay {
namespace {

/*! \brief Records what one relation assigns to its incomplete arguments. */
class RecordingReporter : public TypeReporterNode {
 public:
  std::unordered_map<const Object*, Type> solved;

  Type Resolve(const Type& t) const {
    auto it = solved.find(t.get());
    return it == solved.end() ? t : it->second;
  }
  void Assign(const Type& dst, const Type& src) final {
    Type cur = Resolve(dst);
    if (cur.as<IncompleteTypeNode>()) {
      solved[dst.get()] = src;
      return;
    }
    TVM_CHECK(StructuralEqual()(cur, src), "TypeError") << "type mismatch: " << cur << " vs " << src;
  }
  bool Assert(const PrimExpr& cond) final {
    auto v = ConstDim(cond);
    return !v || *v != 0;
  }
  bool AssertEQ(const PrimExpr& lhs, const PrimExpr& rhs) final {
    auto a = ConstDim(lhs), b = ConstDim(rhs);
    return !(a && b) || *a == *b;
  }
  Span GetSpan() final { return Span(); }
  void SetSpan(const Span&) final {}
  static constexpr const char* _type_key = "relay.testing.RecordingReporter";
  using _type_parent = TypeReporterNode;
};

Type SolveCall(const CallNode* call, const std::vector<Type>& arg_types) {
  const auto* op = call->op.as<OpNode>();
  TVM_CHECK(op != nullptr, "ValueError") << "call_type handles calls of operators only";
  const auto* fn = op->op_type.as<FuncTypeNode>();
  TVM_CHECK(fn != nullptr && fn->type_constraints.size() == 1, "ValueError") << op->name << " has no type relation";
  const auto* rel = fn->type_constraints[0].as<TypeRelationNode>();
  Array<Type> types(arg_types.begin(), arg_types.end());
  types.push_back(IncompleteType());
  auto reporter = make_object<RecordingReporter>();
  TypeReporter rep(reporter);
  for (int round = 0; round < 3; ++round) {
    Array<Type> current;
    for (const Type& t : types) current.push_back(reporter->Resolve(t));
    bool solved;
    try {
      solved = rel->func(current, static_cast<int>(arg_types.size()), call->attrs, rep);
    } catch (const runtime::Error& e) {
      // As inference does: the operator's name in front of the relation's message.
      throw runtime::Error(e.kind(), op->name + ": " + e.what());
    }
    if (solved) return reporter->Resolve(types.back());
  }
  TVM_CHECK(false, "TypeError") << op->name << ": the argument types are not known enough to infer the output";
  return Type();
}

Type CallType(const Expr& root) {
  std::unordered_map<const Object*, Type> types;
  std::vector<std::pair<Expr, bool>> stack{{root, false}};
  while (!stack.empty()) {
    auto [e, expanded] = stack.back();
    stack.pop_back();
    if (types.count(e.get())) continue;
    std::vector<Expr> children;
    if (const auto* c = e.as<CallNode>()) {
      for (const Expr& a : c->args) children.push_back(a);
    }
    if (const auto* t = e.as<TupleNode>()) {
      for (const Expr& f : t->fields) children.push_back(f);
    }
    if (const auto* g = e.as<TupleGetItemNode>()) children.push_back(g->tuple);
    if (!expanded) {
      stack.push_back({e, true});
      for (const Expr& c : children) stack.push_back({c, false});
      continue;
    }
    Type ty;
    if (const auto* v = e.as<VarNode>()) {
      ty = v->type_annotation.defined() ? v->type_annotation : Type(IncompleteType());
    } else if (const auto* c = e.as<ConstantNode>()) {
      ty = c->tensor_type();
    } else if (const auto* t = e.as<TupleNode>()) {
      Array<Type> fields;
      for (const Expr& f : t->fields) fields.push_back(types.at(f.get()));
      ty = TupleType(fields);
    } else if (const auto* g = e.as<TupleGetItemNode>()) {
      const auto* tt = types.at(g->tuple.get()).as<TupleTypeNode>();
      TVM_CHECK(tt != nullptr && g->index < static_cast<int>(tt->fields.size()), "TypeError")
          << "TupleGetItem of a non-tuple or out of range";
      ty = tt->fields[g->index];
    } else if (const auto* c = e.as<CallNode>()) {
      std::vector<Type> args;
      for (const Expr& a : c->args) args.push_back(types.at(a.get()));
      ty = SolveCall(c, args);
    } else {
      TVM_CHECK(false, "ValueError") << "call_type does not handle " << e->GetTypeKey();
    }
    types[e.get()] = ty;
  }
  return types.at(root.get());
}

TVM_REGISTER_GLOBAL("relay.op._testing.call_type").set_body_typed(CallType);

}  // namespace
}  // namespace relay
}  // namespace tvm
