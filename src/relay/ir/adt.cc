/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Algebraic data types: constructors of the nodes and their reflection.
#include <tvm/relay/adt.h>
#include <tvm/runtime/registry.h>

#include <vector>

namespace tvm {
namespace relay {

Constructor::Constructor(String name_hint, Array<Type> inputs, GlobalTypeVar belong_to) {
  auto n = make_object<ConstructorNode>();
  n->name_hint = std::move(name_hint);
  n->inputs = std::move(inputs);
  n->belong_to = std::move(belong_to);
  data_ = std::move(n);
}

ConstructorNode* Constructor::CopyOnWrite() {
  if (!data_.unique()) data_ = make_object<ConstructorNode>(*operator->());
  return static_cast<ConstructorNode*>(get_mutable());
}

namespace {
/*! \brief 1..127 in the top byte: an FNV-1a hash of the name (stable across runs), never zero, never negative. */
int32_t TagPrefix(const std::string& name) {
  uint32_t h = 2166136261u;
  for (unsigned char c : name) h = (h ^ c) * 16777619u;
  return static_cast<int32_t>(1 + h % 127) << 24;
}
}  // namespace

TypeData::TypeData(GlobalTypeVar header, Array<TypeVar> type_vars, Array<Constructor> constructors) {
  TVM_CHECK(header.defined(), "ValueError") << "relay.TypeData needs a GlobalTypeVar header";
  for (const Constructor& c : constructors) {
    TVM_CHECK(c.defined(), "ValueError") << "relay.TypeData '" << header->name_hint << "': a constructor is None";
    TVM_CHECK(c->belong_to.same_as(header), "ValueError")
        << "relay.TypeData '" << header->name_hint << "': constructor '" << c->name_hint << "' belongs to '"
        << (c->belong_to.defined() ? std::string(c->belong_to->name_hint) : std::string("None")) << "'";
  }
  // A constructor's tag tells values apart (the interpreter matches on it):
  // its index among its type's constructors, under a most significant byte
  // derived from the type's name, so that tags of different types rarely
  // collide and a type's tags are the same in every module.
  const int32_t prefix = TagPrefix(header->name_hint);
  for (size_t i = 0; i < constructors.size(); ++i) {
    const int32_t tag = prefix | static_cast<int32_t>(i);
    if (constructors[i]->tag != tag) const_cast<ConstructorNode*>(constructors[i].operator->())->tag = tag;
  }
  auto n = make_object<TypeDataNode>();
  n->header = std::move(header);
  n->type_vars = std::move(type_vars);
  n->constructors = std::move(constructors);
  data_ = std::move(n);
}

PatternWildcard PatternWildcard::Make() { return PatternWildcard(make_object<PatternWildcardNode>()); }

PatternVar::PatternVar(Var var) {
  TVM_CHECK(var.defined(), "ValueError") << "relay.PatternVar needs a Var";
  auto n = make_object<PatternVarNode>();
  n->var = std::move(var);
  data_ = std::move(n);
}

PatternConstructor::PatternConstructor(Constructor constructor, Array<Pattern> patterns) {
  TVM_CHECK(constructor.defined(), "ValueError") << "relay.PatternConstructor needs a Constructor";
  // The number of sub-patterns is checked by type inference (as in TVM), not here.
  auto n = make_object<PatternConstructorNode>();
  n->constructor = std::move(constructor);
  n->patterns = std::move(patterns);
  data_ = std::move(n);
}

PatternTuple::PatternTuple(Array<Pattern> patterns) {
  auto n = make_object<PatternTupleNode>();
  n->patterns = std::move(patterns);
  data_ = std::move(n);
}

Clause::Clause(Pattern lhs, Expr rhs) {
  TVM_CHECK(lhs.defined() && rhs.defined(), "ValueError") << "relay.Clause needs a pattern and a body";
  auto n = make_object<ClauseNode>();
  n->lhs = std::move(lhs);
  n->rhs = std::move(rhs);
  data_ = std::move(n);
}

Match::Match(Expr data, Array<Clause> clauses, bool complete, Span span) {
  TVM_CHECK(data.defined(), "ValueError") << "relay.Match needs the value to match";
  auto n = make_object<MatchNode>();
  n->data = std::move(data);
  n->clauses = std::move(clauses);
  n->complete = complete;
  n->span = std::move(span);
  data_ = std::move(n);
}

Array<Var> PatternVars(const Pattern& pattern) {
  // Patterns nest only as deep as the user wrote them, but walk with a stack anyway.
  Array<Var> vars;
  std::vector<Pattern> stack{pattern};
  while (!stack.empty()) {
    Pattern p = stack.back();
    stack.pop_back();
    if (const auto* pv = p.as<PatternVarNode>()) {
      vars.push_back(pv->var);
    } else if (const auto* pc = p.as<PatternConstructorNode>()) {
      for (size_t i = pc->patterns.size(); i-- > 0;) stack.push_back(pc->patterns[i]);
    } else if (const auto* pt = p.as<PatternTupleNode>()) {
      for (size_t i = pt->patterns.size(); i-- > 0;) stack.push_back(pt->patterns[i]);
    }
  }
  return vars;
}

TVM_REGISTER_NODE_TYPE(ConstructorNode);
TVM_REGISTER_NODE_TYPE(TypeDataNode);
TVM_REGISTER_NODE_TYPE(PatternWildcardNode);
TVM_REGISTER_NODE_TYPE(PatternVarNode);
TVM_REGISTER_NODE_TYPE(PatternConstructorNode);
TVM_REGISTER_NODE_TYPE(PatternTupleNode);
TVM_REGISTER_NODE_TYPE(ClauseNode);
TVM_REGISTER_NODE_TYPE(MatchNode);

TVM_REGISTER_GLOBAL("relay.ir.Constructor")
    .set_body_typed([](String name, Array<Type> inputs, GlobalTypeVar belong_to) {
      return Constructor(name, inputs, belong_to);
    });
TVM_REGISTER_GLOBAL("relay.ir.TypeData")
    .set_body_typed([](GlobalTypeVar header, Array<TypeVar> type_vars, Array<Constructor> constructors) {
      return TypeData(header, type_vars, constructors);
    });
TVM_REGISTER_GLOBAL("relay.ir.PatternWildcard").set_body_typed([]() { return PatternWildcard::Make(); });
TVM_REGISTER_GLOBAL("relay.ir.PatternVar").set_body_typed([](Var var) { return PatternVar(var); });
TVM_REGISTER_GLOBAL("relay.ir.PatternConstructor")
    .set_body_typed([](Constructor c, Array<Pattern> patterns) { return PatternConstructor(c, patterns); });
TVM_REGISTER_GLOBAL("relay.ir.PatternTuple").set_body_typed([](Array<Pattern> patterns) {
  return PatternTuple(patterns);
});
TVM_REGISTER_GLOBAL("relay.ir.Clause").set_body_typed([](Pattern lhs, Expr rhs) { return Clause(lhs, rhs); });
TVM_REGISTER_GLOBAL("relay.ir.Match")
    .set_body_typed([](Expr data, Array<Clause> clauses, bool complete, std::optional<Span> span) {
      return Match(data, clauses, complete, span.value_or(Span()));
    });
TVM_REGISTER_GLOBAL("relay.analysis.PatternVars").set_body_typed([](Pattern p) { return PatternVars(p); });

}  // namespace relay
}  // namespace tvm
