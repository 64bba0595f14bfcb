/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/ir/type.h
 * \brief Types of expressions: PrimType (a scalar dtype), PointerType,
 *  TupleType and FuncType, and what Relay's type inference works with:
 *  type variables (of polymorphic functions), incomplete types (unknowns
 *  being solved), type constraints and reference types. Tensor types are in
 *  tensor_type.h, type relations in type_relation.h.
 */
#ifndef TVM_IR_TYPE_H_
#define TVM_IR_TYPE_H_

#include <tvm/ir/reflection.h>

#include <string>

namespace tvm {

class TypeNode : public Object {
 public:
  static constexpr const char* _type_key = "Type";
  using _type_parent = Object;
};

class Type : public ObjectRef {
 public:
  using ContainerType = TypeNode;
  using ObjectRef::ObjectRef;
  const TypeNode* operator->() const { return static_cast<const TypeNode*>(get()); }
};

/*! \brief What a type variable stands for. */
enum class TypeKind : int {
  kType = 0,
  kShapeVar = 1,
  kBaseType = 2,
  kConstraint = 4,
  kAdtHandle = 5,
  kTypeData = 6,
};

class PrimTypeNode : public TypeNode {
 public:
  DataType dtype;
  void VisitAttrs(AttrVisitor* v) { v->Visit("dtype", &dtype); }
  static constexpr const char* _type_key = "PrimType";
  static constexpr bool _type_final = true;
  using _type_parent = TypeNode;
};

class PrimType : public Type {
 public:
  using ContainerType = PrimTypeNode;
  using Type::Type;
  PrimType() = default;
  TVM_DLL explicit PrimType(DataType dtype);
  const PrimTypeNode* operator->() const { return static_cast<const PrimTypeNode*>(get()); }
};

/*! \brief A pointer to memory of `element_type` in a storage scope ("global", "shared", ...). */
class PointerTypeNode : public TypeNode {
 public:
  Type element_type;
  String storage_scope;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("element_type", &element_type);
    v->Visit("storage_scope", &storage_scope);
  }
  static constexpr const char* _type_key = "PointerType";
  static constexpr bool _type_final = true;
  using _type_parent = TypeNode;
};

class PointerType : public Type {
 public:
  using ContainerType = PointerTypeNode;
  using Type::Type;
  PointerType() = default;
  TVM_DLL explicit PointerType(Type element_type, String storage_scope = "");
  const PointerTypeNode* operator->() const { return static_cast<const PointerTypeNode*>(get()); }
};

/*! \brief A type variable: a parameter of a polymorphic function type. */
class TypeVarNode : public TypeNode {
 public:
  String name_hint;
  TypeKind kind{TypeKind::kType};
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("name_hint", &name_hint);
    v->Visit("kind", &kind);
  }
  static constexpr const char* _type_key = "TypeVar";
  static constexpr bool _type_final = true;
  static constexpr StructuralKind _structural_kind = StructuralKind::kFreeVar;
  using _type_parent = TypeNode;
};

class TypeVar : public Type {
 public:
  using ContainerType = TypeVarNode;
  using Type::Type;
  TypeVar() = default;
  TVM_DLL TypeVar(String name_hint, TypeKind kind);
  const TypeVarNode* operator->() const { return static_cast<const TypeVarNode*>(get()); }
};

/*! \brief The name of a global type definition (an algebraic data type). */
class GlobalTypeVarNode : public TypeNode {
 public:
  String name_hint;
  TypeKind kind{TypeKind::kAdtHandle};
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("name_hint", &name_hint);
    v->Visit("kind", &kind);
  }
  static constexpr const char* _type_key = "GlobalTypeVar";
  static constexpr bool _type_final = true;
  static constexpr StructuralKind _structural_kind = StructuralKind::kFreeVar;
  using _type_parent = TypeNode;
};

class GlobalTypeVar : public Type {
 public:
  using ContainerType = GlobalTypeVarNode;
  using Type::Type;
  GlobalTypeVar() = default;
  TVM_DLL GlobalTypeVar(String name_hint, TypeKind kind);
  const GlobalTypeVarNode* operator->() const { return static_cast<const GlobalTypeVarNode*>(get()); }
};

/*! \brief An unknown type that inference is solving for. */
class IncompleteTypeNode : public TypeNode {
 public:
  TypeKind kind{TypeKind::kType};
  void VisitAttrs(AttrVisitor* v) { v->Visit("kind", &kind); }
  static constexpr const char* _type_key = "IncompleteType";
  static constexpr bool _type_final = true;
  static constexpr StructuralKind _structural_kind = StructuralKind::kFreeVar;
  using _type_parent = TypeNode;
};

class IncompleteType : public Type {
 public:
  using ContainerType = IncompleteTypeNode;
  using Type::Type;
  TVM_DLL explicit IncompleteType(TypeKind kind = TypeKind::kType);
  const IncompleteTypeNode* operator->() const { return static_cast<const IncompleteTypeNode*>(get()); }
};

/*! \brief A constraint on types (a relation between them), part of a function type. */
class TypeConstraintNode : public TypeNode {
 public:
  static constexpr const char* _type_key = "TypeConstraint";
  using _type_parent = TypeNode;
};

class TypeConstraint : public Type {
 public:
  using ContainerType = TypeConstraintNode;
  using Type::Type;
  const TypeConstraintNode* operator->() const { return static_cast<const TypeConstraintNode*>(get()); }
};

/*! \brief The type of a mutable reference cell holding a `value`. */
class RelayRefTypeNode : public TypeNode {
 public:
  Type value;
  void VisitAttrs(AttrVisitor* v) { v->Visit("value", &value); }
  static constexpr const char* _type_key = "relay.RefType";
  static constexpr bool _type_final = true;
  using _type_parent = TypeNode;
};

class RelayRefType : public Type {
 public:
  using ContainerType = RelayRefTypeNode;
  using Type::Type;
  TVM_DLL explicit RelayRefType(Type value);
  const RelayRefTypeNode* operator->() const { return static_cast<const RelayRefTypeNode*>(get()); }
};

class TupleTypeNode : public TypeNode {
 public:
  Array<Type> fields;
  void VisitAttrs(AttrVisitor* v) { v->Visit("fields", &fields); }
  static constexpr const char* _type_key = "TupleType";
  static constexpr bool _type_final = true;
  using _type_parent = TypeNode;
};

class TupleType : public Type {
 public:
  using ContainerType = TupleTypeNode;
  using Type::Type;
  TupleType() = default;
  TVM_DLL explicit TupleType(Array<Type> fields);
  /*! \brief The empty tuple, the type of statements and of functions returning nothing. */
  TVM_DLL static TupleType Empty();
  const TupleTypeNode* operator->() const { return static_cast<const TupleTypeNode*>(get()); }
};

/*!
 * \brief The type of a function. A polymorphic one binds type_params (its
 *  argument and result types may use them) and lists the relations its
 *  types must satisfy (an operator's type is `fn<T1, T2>(T1) -> T2 where
 *  Rel(T1, T2)`).
 */
class FuncTypeNode : public TypeNode {
 public:
  Array<Type> arg_types;
  Type ret_type;
  Array<TypeVar> type_params;
  Array<TypeConstraint> type_constraints;
  void VisitAttrs(AttrVisitor* v) {
    // type_params first: structural equality maps the bound type variables before the
    // argument and result types that use them (fn<T>(T) -> T equals fn<U>(U) -> U).
    v->VisitDef("type_params", reinterpret_cast<ObjectRef*>(&type_params));
    v->Visit("arg_types", &arg_types);
    v->Visit("ret_type", &ret_type);
    v->Visit("type_constraints", &type_constraints);
  }
  static constexpr const char* _type_key = "FuncType";
  static constexpr bool _type_final = true;
  using _type_parent = TypeNode;
};

class FuncType : public Type {
 public:
  using ContainerType = FuncTypeNode;
  using Type::Type;
  FuncType() = default;
  TVM_DLL FuncType(Array<Type> arg_types, Type ret_type, Array<TypeVar> type_params = {},
                   Array<TypeConstraint> type_constraints = {});
  const FuncTypeNode* operator->() const { return static_cast<const FuncTypeNode*>(get()); }
};

}  // namespace tvm
#endif  // TVM_IR_TYPE_H_
