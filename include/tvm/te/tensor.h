/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/te/tensor.h
 * \brief Tensor: an output of an Operation, indexed as A(i, j) in compute
 *  bodies (a ProducerLoad).
 */
#ifndef TVM_TE_TENSOR_H_
#define TVM_TE_TENSOR_H_

#include <tvm/tir/expr.h>
#include <tvm/tir/op.h>

#include <string>
#include <utility>

namespace tvm {
namespace te {

using namespace tvm::tir;  // NOLINT(*): TE builds TIR expressions throughout

/*! \brief A multi-dimensional region: one Range per dimension. */
using Region = Array<Range>;

class Operation;
class OperationNode;

class TensorNode : public DataProducerNode {
 public:
  Array<PrimExpr> shape;
  DataType dtype;
  /*! \brief The operation that produces this tensor. */
  ObjectRef op;
  /*! \brief Which output of op. */
  int value_index{0};

  void VisitAttrs(AttrVisitor* v) {
    v->Visit("shape", &shape);
    v->Visit("dtype", &dtype);
    v->Visit("op", &op);
    v->Visit("value_index", &value_index);
  }
  Array<PrimExpr> GetShape() const final { return shape; }
  DataType GetDataType() const final { return dtype; }
  TVM_DLL String GetNameHint() const final;

  static constexpr const char* _type_key = "Tensor";
  static constexpr bool _type_final = true;
  using _type_parent = DataProducerNode;
};

class Tensor : public DataProducer {
 public:
  using ContainerType = TensorNode;
  using DataProducer::DataProducer;
  Tensor() = default;
  TVM_DLL Tensor(Array<PrimExpr> shape, DataType dtype, Operation op, int value_index);
  const TensorNode* operator->() const { return static_cast<const TensorNode*>(get()); }

  /*! \brief The producing operation. */
  TVM_DLL Operation op() const;
  size_t ndim() const { return (*this)->shape.size(); }
  /*!
   * \brief Read element `indices` (inside a compute body).
   * \throws Error (ValueError) when the number of indices differs from ndim.
   */
  TVM_DLL PrimExpr operator()(Array<PrimExpr> indices) const;
  TVM_DLL PrimExpr operator()(Array<Var> indices) const;
  template <typename... Args>
  PrimExpr operator()(PrimExpr first, Args&&... rest) const {
    return (*this)(Array<PrimExpr>{first, PrimExpr(std::forward<Args>(rest))...});
  }
  /*! \brief Same operation and output index (tensors are compared by what produces them). */
  TVM_DLL bool operator==(const Tensor& other) const;
  bool operator!=(const Tensor& other) const { return !(*this == other); }
};

/*! \brief Hash and equality of tensors by (op, value_index). */
struct TensorHash {
  TVM_DLL size_t operator()(const Tensor& t) const;
};
struct TensorEqual {
  bool operator()(const Tensor& a, const Tensor& b) const { return a == b; }
};

}  // namespace te
}  // namespace tvm
#endif  // TVM_TE_TENSOR_H_
