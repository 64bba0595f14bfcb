/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/relay/adt.h
 * \brief Algebraic data types: a TypeData declares a type constructor and its
 *  Constructors; Match takes a value of such a type apart by Clauses.
 *
 *   type List[A] { Cons(A, List[A]), Nil }
 *   match (%l) { Cons(%h, %t) => %h, Nil => 0f }
 */
#ifndef TVM_RELAY_ADT_H_
#define TVM_RELAY_ADT_H_

#include <tvm/relay/expr.h>

#include <string>

namespace tvm {
namespace relay {

/*! \brief One way to build a value of a TypeData; used as a callee (Call(ctor, fields)). */
class ConstructorNode : public ExprNode {
 public:
  String name_hint;
  /*! \brief The field types, over the TypeData's type variables. */
  Array<Type> inputs;
  /*! \brief The type it builds values of. */
  GlobalTypeVar belong_to;
  /*! \brief Index among its TypeData's constructors (set when the module adds the TypeData). */
  int32_t tag{-1};
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("name_hint", &name_hint);
    v->Visit("inputs", &inputs);
    v->Visit("belong_to", &belong_to);
    v->Visit("tag", &tag);
    TVM_RELAY_EXPR_COMMON_FIELDS(v);
  }
  static constexpr const char* _type_key = "relay.Constructor";
  static constexpr bool _type_final = true;
  using _type_parent = ExprNode;
};

class Constructor : public Expr {
 public:
  using ContainerType = ConstructorNode;
  using Expr::Expr;
  TVM_DLL Constructor(String name_hint, Array<Type> inputs, GlobalTypeVar belong_to);
  const ConstructorNode* operator->() const { return static_cast<const ConstructorNode*>(get()); }
  ConstructorNode* CopyOnWrite();
};

/*! \brief The declaration `type header[type_vars] { constructors }`. */
class TypeDataNode : public TypeNode {
 public:
  GlobalTypeVar header;
  Array<TypeVar> type_vars;
  Array<Constructor> constructors;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("header", &header);
    v->VisitDef("type_vars", reinterpret_cast<ObjectRef*>(&type_vars));
    v->Visit("constructors", &constructors);
  }
  static constexpr const char* _type_key = "relay.TypeData";
  static constexpr bool _type_final = true;
  using _type_parent = TypeNode;
};

class TypeData : public Type {
 public:
  using ContainerType = TypeDataNode;
  using Type::Type;
  TVM_DLL TypeData(GlobalTypeVar header, Array<TypeVar> type_vars, Array<Constructor> constructors);
  const TypeDataNode* operator->() const { return static_cast<const TypeDataNode*>(get()); }
};

/*! \brief Base of the patterns a Clause matches against. */
class PatternNode : public Object {
 public:
  Span span;
  static constexpr const char* _type_key = "relay.Pattern";
  using _type_parent = Object;
};

class Pattern : public ObjectRef {
 public:
  using ContainerType = PatternNode;
  using ObjectRef::ObjectRef;
  const PatternNode* operator->() const { return static_cast<const PatternNode*>(get()); }
};

/*! \brief `_`: matches anything, binds nothing. */
class PatternWildcardNode : public PatternNode {
 public:
  void VisitAttrs(AttrVisitor* v) { v->Visit("span", &span); }
  static constexpr const char* _type_key = "relay.PatternWildcard";
  static constexpr bool _type_final = true;
  using _type_parent = PatternNode;
};

class PatternWildcard : public Pattern {
 public:
  using ContainerType = PatternWildcardNode;
  using Pattern::Pattern;
  TVM_DLL static PatternWildcard Make();
};

/*! \brief `%x`: matches anything and binds it to var. */
class PatternVarNode : public PatternNode {
 public:
  Var var;
  void VisitAttrs(AttrVisitor* v) {
    v->VisitDef("var", reinterpret_cast<ObjectRef*>(&var));
    v->Visit("span", &span);
  }
  static constexpr const char* _type_key = "relay.PatternVar";
  static constexpr bool _type_final = true;
  using _type_parent = PatternNode;
};

class PatternVar : public Pattern {
 public:
  using ContainerType = PatternVarNode;
  using Pattern::Pattern;
  TVM_DLL explicit PatternVar(Var var);
  const PatternVarNode* operator->() const { return static_cast<const PatternVarNode*>(get()); }
};

/*! \brief `Cons(p0, p1)`: matches values built by constructor whose fields match patterns. */
class PatternConstructorNode : public PatternNode {
 public:
  Constructor constructor;
  Array<Pattern> patterns;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("constructor", &constructor);
    v->Visit("patterns", &patterns);
    v->Visit("span", &span);
  }
  static constexpr const char* _type_key = "relay.PatternConstructor";
  static constexpr bool _type_final = true;
  using _type_parent = PatternNode;
};

class PatternConstructor : public Pattern {
 public:
  using ContainerType = PatternConstructorNode;
  using Pattern::Pattern;
  TVM_DLL PatternConstructor(Constructor constructor, Array<Pattern> patterns);
  const PatternConstructorNode* operator->() const { return static_cast<const PatternConstructorNode*>(get()); }
};

/*! \brief `(p0, p1)`: matches a tuple field by field. */
class PatternTupleNode : public PatternNode {
 public:
  Array<Pattern> patterns;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("patterns", &patterns);
    v->Visit("span", &span);
  }
  static constexpr const char* _type_key = "relay.PatternTuple";
  static constexpr bool _type_final = true;
  using _type_parent = PatternNode;
};

class PatternTuple : public Pattern {
 public:
  using ContainerType = PatternTupleNode;
  using Pattern::Pattern;
  TVM_DLL explicit PatternTuple(Array<Pattern> patterns);
  const PatternTupleNode* operator->() const { return static_cast<const PatternTupleNode*>(get()); }
};

/*! \brief `lhs => rhs` of a Match. */
class ClauseNode : public Object {
 public:
  Pattern lhs;
  Expr rhs;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("lhs", &lhs);
    v->Visit("rhs", &rhs);
  }
  static constexpr const char* _type_key = "relay.Clause";
  static constexpr bool _type_final = true;
  using _type_parent = Object;
};

class Clause : public ObjectRef {
 public:
  using ContainerType = ClauseNode;
  using ObjectRef::ObjectRef;
  TVM_DLL Clause(Pattern lhs, Expr rhs);
  const ClauseNode* operator->() const { return static_cast<const ClauseNode*>(get()); }
};

/*! \brief `match (data) { clauses }`; the first clause whose pattern matches is taken. */
class MatchNode : public ExprNode {
 public:
  Expr data;
  Array<Clause> clauses;
  /*! \brief Whether the clauses must cover every value (`match`, not `match?`). */
  bool complete{true};
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("data", &data);
    v->Visit("clauses", &clauses);
    v->Visit("complete", &complete);
    TVM_RELAY_EXPR_COMMON_FIELDS(v);
  }
  static constexpr const char* _type_key = "relay.Match";
  static constexpr StructuralKind _structural_kind = StructuralKind::kGraphNode;
  static constexpr bool _type_final = true;
  using _type_parent = ExprNode;
};

class Match : public Expr {
 public:
  using ContainerType = MatchNode;
  using Expr::Expr;
  TVM_DLL Match(Expr data, Array<Clause> clauses, bool complete = true, Span span = Span());
  const MatchNode* operator->() const { return static_cast<const MatchNode*>(get()); }
};

/*! \brief The variables `pattern` binds, left to right. */
TVM_DLL Array<Var> PatternVars(const Pattern& pattern);

}  // namespace relay
}  // namespace tvm
#endif  // TVM_RELAY_ADT_H_
