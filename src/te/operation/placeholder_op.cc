/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/te/operation/placeholder_op.cc
 * \brief te.placeholder: an input tensor. It has no loops and no storage of
 *  its own (the caller passes the buffer), so bound inference and loop
 *  building have nothing to do for it.
 */
#include <tvm/ir/repr_printer.h>
#include <tvm/runtime/registry.h>
#include <tvm/te/operation.h>

#include "op_utils.h"

namespace tvm {
namespace te {

Tensor placeholder(Array<PrimExpr> shape, DataType dtype, std::string name) {
  for (size_t i = 0; i < shape.size(); ++i) {
    TVM_CHECK(shape[i].defined() && (shape[i].dtype().is_int() || shape[i].dtype().is_uint()), "TypeError")
        << "placeholder " << name << ": dimension " << i << " of the shape must be an integer";
    if (auto v = as_const_int(shape[i])) {
      TVM_CHECK(*v >= 0, "ValueError") << "placeholder " << name << ": dimension " << i << " is negative (" << *v
                                       << ")";
    }
  }
  auto n = make_object<PlaceholderOpNode>();
  n->name = std::move(name);
  n->shape = std::move(shape);
  n->dtype = dtype;
  return Operation(n).output(0);
}

Operation PlaceholderOpNode::ReplaceInputs(const Operation& self, const TensorReplaceMap& rmap) const {
  return self;
}

void PlaceholderOpNode::PropBoundToInputs(const Operation& self, arith::Analyzer* analyzer,
                                          const std::unordered_map<const VarNode*, arith::IntSet>& dom_map,
                                          TensorMap<TensorDom>* out_dom_map) const {}

void PlaceholderOpNode::GatherBound(const Operation& self, const TensorMap<TensorDom>& tensor_dom,
                                    IterVarRangeMap* out_dom_map) const {}

Stmt PlaceholderOpNode::BuildRealize(const Stage& stage, const IterVarRangeMap& realize_map, const Stmt& body,
                                     String storage_scope) const {
  return body;
}

Stmt PlaceholderOpNode::BuildProvide(const Stage& stage, const IterVarRangeMap& dom_map,
                                     bool debug_keep_trivial_loop) const {
  return Stmt();
}

TVM_REGISTER_NODE_TYPE(PlaceholderOpNode);

namespace {
const int kPlaceholderPrinter = ReprPrinter::Register<PlaceholderOpNode>([](const ObjectRef& node, ReprPrinter* p) {
  const auto* op = static_cast<const PlaceholderOpNode*>(node.get());
  p->stream << "placeholder(" << op->name << ", " << static_cast<const void*>(op) << ")";
});
}  // namespace

TVM_REGISTER_GLOBAL("te.Placeholder").set_body_typed([](Array<PrimExpr> shape, DataType dtype, std::string name) {
  return placeholder(shape, dtype, name);
});

}  // namespace te
}  // namespace tvm
