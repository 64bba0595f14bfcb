/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/te/tensor.cc
 * \brief Tensors (outputs of operations) and the operation base: identity,
 *  indexing inside compute bodies, and the Python-facing accessors.
 *
 * A Tensor is identified by the operation that produces it and its output
 * index, not by the object: Operation::output(i) makes a fresh Tensor object
 * every time and all of them compare equal.
 */
#include <tvm/ir/repr_printer.h>
#include <tvm/runtime/registry.h>
#include <tvm/te/operation.h>
#include <tvm/te/tensor.h>

#include <functional>

namespace tvm {
namespace te {

Tensor::Tensor(Array<PrimExpr> shape, DataType dtype, Operation op, int value_index) {
  auto n = make_object<TensorNode>();
  n->shape = std::move(shape);
  n->dtype = dtype;
  n->op = std::move(op);
  n->value_index = value_index;
  data_ = std::move(n);
}

Operation Tensor::op() const {
  const ObjectRef& op = (*this)->op;
  if (!op.defined()) return Operation();
  return Downcast<Operation>(op);
}

PrimExpr Tensor::operator()(Array<PrimExpr> indices) const {
  TVM_CHECK(indices.size() == ndim(), "ValueError")
      << "tensor " << (*this)->GetNameHint() << " has " << ndim() << " dimension" << (ndim() == 1 ? "" : "s")
      << " but is indexed with " << indices.size() << " ind" << (indices.size() == 1 ? "ex" : "ices");
  for (size_t i = 0; i < indices.size(); ++i) {
    TVM_CHECK(indices[i].defined() && (indices[i].dtype().is_int() || indices[i].dtype().is_uint()), "TypeError")
        << "index " << i << " of tensor " << (*this)->GetNameHint() << " must be an integer expression";
  }
  return ProducerLoad(*this, indices);
}

PrimExpr Tensor::operator()(Array<Var> indices) const {
  return (*this)(Array<PrimExpr>(indices.begin(), indices.end()));
}

bool Tensor::operator==(const Tensor& other) const {
  if (same_as(other)) return true;
  if (!defined() || !other.defined()) return false;
  const ObjectRef& a = (*this)->op;
  const ObjectRef& b = other->op;
  // Tensors without an operation (detached) are only equal to themselves.
  if (!a.defined()) return false;
  return a.same_as(b) && (*this)->value_index == other->value_index;
}

size_t TensorHash::operator()(const Tensor& t) const {
  if (!t.defined()) return 0;
  if (!t->op.defined()) return std::hash<const Object*>()(t.get());
  size_t h = std::hash<const Object*>()(t->op.get());
  return h ^ (static_cast<size_t>(t->value_index) * 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2));
}

String TensorNode::GetNameHint() const {
  if (!op.defined()) return "tensor";
  const auto* node = static_cast<const OperationNode*>(op.get());
  if (node->num_outputs() == 1) return node->name;
  return node->name + ".v" + std::to_string(value_index);
}

Tensor Operation::output(size_t i) const {
  const OperationNode* node = operator->();
  TVM_CHECK(node != nullptr, "ValueError") << "output() of an undefined operation";
  TVM_CHECK(i < static_cast<size_t>(node->num_outputs()), "IndexError")
      << "operation " << node->name << " has " << node->num_outputs() << " output"
      << (node->num_outputs() == 1 ? "" : "s") << "; output " << i << " does not exist";
  return Tensor(node->output_shape(i), node->output_dtype(i), *this, static_cast<int>(i));
}

TVM_REGISTER_NODE_TYPE(TensorNode);

namespace {

const int kTensorPrinter = ReprPrinter::Register<TensorNode>([](const ObjectRef& node, ReprPrinter* p) {
  const auto* t = static_cast<const TensorNode*>(node.get());
  p->stream << "Tensor(shape=[";
  for (size_t i = 0; i < t->shape.size(); ++i) {
    if (i) p->stream << ", ";
    p->Print(t->shape[i]);
  }
  p->stream << "], op.name=" << t->GetNameHint() << ")";
});

}  // namespace

TVM_REGISTER_GLOBAL("te.Tensor")
    .set_body_typed([](Array<PrimExpr> shape, DataType dtype, Operation op, int value_index) {
      return Tensor(shape, dtype, op, value_index);
    });
TVM_REGISTER_GLOBAL("te.TensorEqual").set_body_typed([](Tensor a, Tensor b) { return a == b; });
TVM_REGISTER_GLOBAL("te.TensorHash").set_body_typed([](Tensor t) {
  return static_cast<int64_t>(TensorHash()(t) & 0x7fffffffffffffffULL);
});
TVM_REGISTER_GLOBAL("te.TensorLoad").set_body_typed([](Tensor t, Array<PrimExpr> indices) { return t(indices); });
TVM_REGISTER_GLOBAL("te.TensorNameHint").set_body_typed([](Tensor t) { return t->GetNameHint(); });
TVM_REGISTER_GLOBAL("te.OpGetOutput").set_body_typed([](Operation op, int64_t i) {
  TVM_CHECK(i >= 0, "IndexError") << "output index must be non-negative, got " << i;
  return op.output(static_cast<size_t>(i));
});
TVM_REGISTER_GLOBAL("te.OpNumOutputs").set_body_typed([](Operation op) { return op->num_outputs(); });
TVM_REGISTER_GLOBAL("te.OpInputTensors").set_body_typed([](Operation op) { return op->InputTensors(); });

}  // namespace te
}  // namespace tvm
