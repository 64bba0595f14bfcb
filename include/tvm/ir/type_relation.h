/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/ir/type_relation.h
 * \brief Type relations: how an operator's output type follows from its input
 *  types (and attributes). Inference solves a program's relations to a fixed
 *  point; each relation is called again whenever more of its types are known.
 *
 *   bool DenseRel(const Array<Type>& types, int num_inputs, const Attrs& attrs,
 *                 const TypeReporter& reporter) {
 *     const auto* data = types[0].as<TensorTypeNode>();
 *     if (data == nullptr) return false;            // not known yet: call again later
 *     ...                                            // a mismatch: throw a TypeError naming
 *     reporter->Assign(types[2], TensorType(...));   // the op, the argument and the shapes
 *     return true;                                   // solved
 *   }
 */
#ifndef TVM_IR_TYPE_RELATION_H_
#define TVM_IR_TYPE_RELATION_H_

#include <tvm/ir/attrs.h>
#include <tvm/ir/span.h>
#include <tvm/ir/tensor_type.h>
#include <tvm/ir/type.h>
#include <tvm/runtime/packed_func.h>

namespace tvm {

class IRModule;

/*! \brief A type-level function application (of an ADT's type constructor). */
class TypeCallNode : public TypeNode {
 public:
  Type func;
  Array<Type> args;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("func", &func);
    v->Visit("args", &args);
  }
  static constexpr const char* _type_key = "TypeCall";
  static constexpr bool _type_final = true;
  using _type_parent = TypeNode;
};

class TypeCall : public Type {
 public:
  using ContainerType = TypeCallNode;
  using Type::Type;
  TVM_DLL TypeCall(Type func, Array<Type> args);
  const TypeCallNode* operator->() const { return static_cast<const TypeCallNode*>(get()); }
};

/*! \brief What a relation uses to state what it found. */
class TypeReporterNode : public Object {
 public:
  /*! \brief dst and src are the same type (unified; an incomplete one is solved). */
  virtual void Assign(const Type& dst, const Type& src) = 0;
  /*! \brief Record a condition on shapes; false when it is known to fail. */
  virtual bool Assert(const PrimExpr& cond) = 0;
  /*! \brief Whether lhs == rhs holds (or may hold: symbolic); false when known to fail. */
  virtual bool AssertEQ(const PrimExpr& lhs, const PrimExpr& rhs) = 0;
  /*! \brief The span of the call being checked (for messages). */
  virtual Span GetSpan() = 0;
  virtual void SetSpan(const Span& span) = 0;
  static constexpr const char* _type_key = "TypeReporter";
  using _type_parent = Object;
};

class TypeReporter : public ObjectRef {
 public:
  using ContainerType = TypeReporterNode;
  using ObjectRef::ObjectRef;
  TypeReporterNode* operator->() const { return static_cast<TypeReporterNode*>(const_cast<Object*>(get())); }
};

/*!
 * \brief A relation: true when solved; false when it needs more known types.
 *  A type error is thrown (TVM_CHECK(..., "TypeError")) naming what disagrees;
 *  inference adds the operator and the source location.
 */
using TypeRelationFn =
    runtime::TypedPackedFunc<bool(const Array<Type>& args, int num_inputs, const Attrs& attrs,
                                  const TypeReporter& reporter)>;

/*! \brief A relation applied to types: args are the inputs then the outputs. */
class TypeRelationNode : public TypeConstraintNode {
 public:
  TypeRelationFn func;
  /*! \brief The name the relation is registered under (printing, errors). */
  String name;
  Array<Type> args;
  int num_inputs{0};
  Attrs attrs;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("name", &name);
    v->Visit("args", &args);
    v->Visit("num_inputs", &num_inputs);
    v->Visit("attrs", &attrs);
  }
  static constexpr const char* _type_key = "TypeRelation";
  static constexpr bool _type_final = true;
  using _type_parent = TypeConstraintNode;
};

class TypeRelation : public TypeConstraint {
 public:
  using ContainerType = TypeRelationNode;
  using TypeConstraint::TypeConstraint;
  TVM_DLL TypeRelation(TypeRelationFn func, String name, Array<Type> args, int num_inputs, Attrs attrs);
  const TypeRelationNode* operator->() const { return static_cast<const TypeRelationNode*>(get()); }
};

}  // namespace tvm
#endif  // TVM_IR_TYPE_RELATION_H_
