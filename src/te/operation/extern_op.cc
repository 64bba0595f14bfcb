/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/te/operation/extern_op.cc
 * \brief te.extern: outputs produced by an opaque statement (typically a
 *  packed-function call) over buffers. The statement sees the inputs and
 *  outputs as the buffers it was written against; lowering binds each of
 *  them to the whole tensor with a buffer_bind_scope attribute:
 *
 *   attr [[A_buf, A]] "buffer_bind_scope" tvm_tuple(0, n)
 *     attr [[C_buf, C]] "buffer_bind_scope" tvm_tuple(0, n)
 *       attr 0 "extern_scope" 0
 *         <body>
 */
#include <tvm/ir/repr_printer.h>
#include <tvm/runtime/registry.h>
#include <tvm/te/operation.h>
#include <tvm/tir/op.h>

#include "op_utils.h"

namespace tvm {
namespace te {

Operation ExternOp(std::string name, std::string tag, Map<String, ObjectRef> attrs, Array<Tensor> inputs,
                   Array<Buffer> input_placeholders, Array<Buffer> output_placeholders, Stmt body) {
  TVM_CHECK(inputs.size() == input_placeholders.size(), "ValueError")
      << "extern " << name << ": " << inputs.size() << " inputs but " << input_placeholders.size()
      << " input buffers";
  for (size_t i = 0; i < inputs.size(); ++i) {
    TVM_CHECK(inputs[i]->dtype == input_placeholders[i]->dtype, "TypeError")
        << "extern " << name << ": input " << i << " (" << inputs[i]->GetNameHint() << ") is "
        << runtime::DLDataType2String(inputs[i]->dtype) << " but its buffer is "
        << runtime::DLDataType2String(input_placeholders[i]->dtype);
    TVM_CHECK(inputs[i]->shape.size() == input_placeholders[i]->shape.size(), "ValueError")
        << "extern " << name << ": input " << i << " (" << inputs[i]->GetNameHint() << ") has "
        << inputs[i]->shape.size() << " dimensions but its buffer has " << input_placeholders[i]->shape.size();
  }
  TVM_CHECK(!output_placeholders.empty(), "ValueError") << "extern " << name << ": no output buffers";
  TVM_CHECK(body.defined(), "ValueError") << "extern " << name << ": no body";
  auto n = make_object<ExternOpNode>();
  n->name = std::move(name);
  n->tag = std::move(tag);
  n->attrs = std::move(attrs);
  n->inputs = std::move(inputs);
  n->input_placeholders = std::move(input_placeholders);
  n->output_placeholders = std::move(output_placeholders);
  n->body = std::move(body);
  return Operation(n);
}

Operation ExternOpNode::ReplaceInputs(const Operation& self, const TensorReplaceMap& rmap) const {
  Array<Tensor> new_inputs;
  bool changed = false;
  for (const Tensor& t : inputs) {
    auto it = rmap.find(t);
    if (it != rmap.end()) {
      new_inputs.push_back(it->second);
      changed = true;
    } else {
      new_inputs.push_back(t);
    }
  }
  Stmt new_body = ReplaceTensor(body, rmap);
  if (!changed && new_body.same_as(body)) return self;
  auto n = make_object<ExternOpNode>(*this);
  n->inputs = new_inputs;
  n->body = new_body;
  return Operation(n);
}

void ExternOpNode::PropBoundToInputs(const Operation& self, arith::Analyzer* analyzer,
                                     const std::unordered_map<const VarNode*, arith::IntSet>& dom_map,
                                     TensorMap<TensorDom>* out_dom_map) const {
  // The statement is opaque: it may read every element.
  for (const Tensor& t : inputs) {
    auto it = out_dom_map->find(t);
    if (it == out_dom_map->end()) continue;
    for (size_t i = 0; i < t.ndim(); ++i) {
      it->second.data[i].push_back(arith::IntSet::FromMinExtent(make_zero(t->shape[i].dtype()), t->shape[i]));
    }
  }
}

void ExternOpNode::GatherBound(const Operation& self, const TensorMap<TensorDom>& tensor_dom,
                               IterVarRangeMap* out_dom_map) const {}

Stmt ExternOpNode::BuildRealize(const Stage& stage, const IterVarRangeMap& realize_map, const Stmt& body,
                                String storage_scope) const {
  Stmt realize = body;
  for (int k = num_outputs(); k > 0; --k) {
    Tensor t = stage->op.output(k - 1);
    Array<Range> bounds;
    for (const PrimExpr& d : t->shape) bounds.push_back(Range::FromMinExtent(make_zero(d.dtype()), d));
    realize = ProducerRealize(t, bounds, const_true(), realize, storage_scope);
  }
  return realize;
}

Stmt ExternOpNode::BuildProvide(const Stage& stage, const IterVarRangeMap& dom_map,
                                bool debug_keep_trivial_loop) const {
  Stmt ret = AttrStmt(make_zero(DataType::Int(32)), tir::attr::extern_scope, make_zero(DataType::Int(32)), body);
  auto bind = [&ret](const Buffer& buffer, const Tensor& tensor) {
    Array<PrimExpr> tuple;
    for (const PrimExpr& d : buffer->shape) {
      tuple.push_back(make_zero(d.dtype()));
      tuple.push_back(d);
    }
    ret = AttrStmt(Array<ObjectRef>{buffer, tensor}, tir::attr::buffer_bind_scope,
                   Call(DataType::Handle(), builtin::tvm_tuple(), tuple), ret);
  };
  for (size_t i = output_placeholders.size(); i != 0; --i) bind(output_placeholders[i - 1], stage->op.output(i - 1));
  for (size_t i = inputs.size(); i != 0; --i) bind(input_placeholders[i - 1], inputs[i - 1]);
  return ret;
}

TVM_REGISTER_NODE_TYPE(ExternOpNode);

namespace {
const int kExternPrinter = ReprPrinter::Register<ExternOpNode>([](const ObjectRef& node, ReprPrinter* p) {
  const auto* op = static_cast<const ExternOpNode*>(node.get());
  p->stream << "extern(" << op->name << ", " << static_cast<const void*>(op) << ")";
});
}  // namespace

TVM_REGISTER_GLOBAL("te.ExternOp")
    .set_body_typed([](std::string name, std::string tag, std::optional<Map<String, ObjectRef>> attrs,
                       Array<Tensor> inputs, Array<Buffer> input_placeholders, Array<Buffer> output_placeholders,
                       Stmt body) {
      return ExternOp(name, tag, attrs.value_or(Map<String, ObjectRef>()), inputs, input_placeholders,
                      output_placeholders, body);
    });

}  // namespace te
}  // namespace tvm
