/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/ir/type.h
 * \brief Types of expressions: PrimType (a scalar dtype), PointerType,
 *  TupleType and FuncType. Relay adds tensor types on top.
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

class FuncTypeNode : public TypeNode {
 public:
  Array<Type> arg_types;
  Type ret_type;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("arg_types", &arg_types);
    v->Visit("ret_type", &ret_type);
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
  TVM_DLL FuncType(Array<Type> arg_types, Type ret_type);
  const FuncTypeNode* operator->() const { return static_cast<const FuncTypeNode*>(get()); }
};

}  // namespace tvm
#endif  // TVM_IR_TYPE_H_
