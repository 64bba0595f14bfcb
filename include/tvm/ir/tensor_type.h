/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/ir/tensor_type.h
 * \brief TensorType: a tensor of a shape and a dtype. A dimension is an
 *  integer, a symbolic expression, or tir.Any() (known only at run time).
 */
#ifndef TVM_IR_TENSOR_TYPE_H_
#define TVM_IR_TENSOR_TYPE_H_

#include <tvm/ir/expr.h>
#include <tvm/ir/type.h>

namespace tvm {

class TensorTypeNode : public TypeNode {
 public:
  Array<PrimExpr> shape;
  DataType dtype;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("shape", &shape);
    v->Visit("dtype", &dtype);
  }
  /*! \brief The number of elements, as an expression of the dimensions. */
  TVM_DLL PrimExpr Size() const;
  static constexpr const char* _type_key = "relay.TensorType";
  static constexpr bool _type_final = true;
  using _type_parent = TypeNode;
};

class TensorType : public Type {
 public:
  using ContainerType = TensorTypeNode;
  using Type::Type;
  TVM_DLL TensorType(Array<PrimExpr> shape, DataType dtype);
  /*! \brief The type of a scalar (a tensor of rank 0). */
  TVM_DLL static TensorType Scalar(DataType dtype);
  const TensorTypeNode* operator->() const { return static_cast<const TensorTypeNode*>(get()); }
};

}  // namespace tvm
#endif  // TVM_IR_TENSOR_TYPE_H_
