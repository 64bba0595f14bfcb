/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Tensor types, type calls and type relations.
#include <tvm/ir/type_relation.h>
#include <tvm/runtime/registry.h>

namespace tvm {

TensorType::TensorType(Array<PrimExpr> shape, DataType dtype) {
  auto n = make_object<TensorTypeNode>();
  n->shape = std::move(shape);
  n->dtype = dtype;
  data_ = std::move(n);
}

TensorType TensorType::Scalar(DataType dtype) { return TensorType(Array<PrimExpr>(), dtype); }

PrimExpr TensorTypeNode::Size() const {
  if (shape.empty()) return IntImm(DataType::Int(64), 1);
  static const runtime::PackedFunc* mul = runtime::Registry::Get("tir._OpMul");
  PrimExpr size = shape[0];
  for (size_t i = 1; i < shape.size(); ++i) {
    const auto* a = size.as<IntImmNode>();
    const auto* b = shape[i].as<IntImmNode>();
    if (a != nullptr && b != nullptr) {
      size = IntImm(a->dtype.bits() >= b->dtype.bits() ? a->dtype : b->dtype, a->value * b->value);
    } else {
      TVM_CHECK(mul != nullptr, "ValueError") << "the size of a symbolic shape needs the tir layer";
      size = (*mul)(size, shape[i]).AsType<PrimExpr>();
    }
  }
  return size;
}

TypeCall::TypeCall(Type func, Array<Type> args) {
  auto n = make_object<TypeCallNode>();
  n->func = std::move(func);
  n->args = std::move(args);
  data_ = std::move(n);
}

TypeRelation::TypeRelation(TypeRelationFn func, String name, Array<Type> args, int num_inputs, Attrs attrs) {
  auto n = make_object<TypeRelationNode>();
  n->func = std::move(func);
  n->name = std::move(name);
  n->args = std::move(args);
  n->num_inputs = num_inputs;
  n->attrs = std::move(attrs);
  data_ = std::move(n);
}

TVM_REGISTER_NODE_TYPE(TensorTypeNode);
TVM_REGISTER_NODE_TYPE(TypeCallNode);
TVM_REGISTER_NODE_TYPE(TypeRelationNode);

TVM_REGISTER_GLOBAL("ir.TensorType").set_body_typed([](Array<PrimExpr> shape, DataType dtype) {
  return TensorType(shape, dtype);
});
TVM_REGISTER_GLOBAL("ir.TensorTypeSize").set_body_typed([](TensorType t) { return t->Size(); });
TVM_REGISTER_GLOBAL("ir.TypeCall").set_body_typed([](Type func, Array<Type> args) { return TypeCall(func, args); });

}  // namespace tvm
