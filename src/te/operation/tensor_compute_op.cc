/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/te/operation/tensor_compute_op.cc
 * \brief A compute whose body is a call of a tensor intrinsic on regions of
 *  its inputs (te.compute(shape, lambda i: intrin(A[i, 0:16], B[0:16]))).
 *  The leading `schedulable_ndim` axes are ordinary loops; the remaining
 *  axes (and the reduction axes) are covered by one intrinsic call, which
 *  sees each input region and the output tile through buffer_bind_scope.
 */
#include <tvm/ir/repr_printer.h>
#include <tvm/runtime/registry.h>
#include <tvm/te/operation.h>
#include <tvm/te/schedule.h>
#include <tvm/tir/op.h>

#include "compute_op.h"

namespace tvm {
namespace te {

namespace {

const TensorIntrinNode* IntrinOf(const TensorComputeOpNode* op) {
  const auto* intrin = op->intrin.as<TensorIntrinNode>();
  ICHECK(intrin != nullptr) << "TensorComputeOp " << op->name << " has no intrinsic";
  return intrin;
}

Stmt BindRegion(const Buffer& buffer, const Tensor& tensor, const Array<PrimExpr>& tuple) {
  return AttrStmt(Array<ObjectRef>{buffer, tensor}, tir::attr::buffer_bind_scope,
                  Call(DataType::Handle(), builtin::tvm_tuple(), tuple), Evaluate(0));
}

}  // namespace

int TensorComputeOpNode::num_outputs() const { return IntrinOf(this)->op->num_outputs(); }

DataType TensorComputeOpNode::output_dtype(size_t i) const { return IntrinOf(this)->op->output_dtype(i); }

Array<Tensor> TensorComputeOpNode::InputTensors() const { return inputs; }

Operation TensorComputeOpNode::ReplaceInputs(const Operation& self, const TensorReplaceMap& rmap) const {
  Array<Tensor> new_inputs;
  bool changed = false;
  for (const Tensor& t : inputs) {
    auto it = rmap.find(t);
    changed = changed || it != rmap.end();
    new_inputs.push_back(it != rmap.end() ? it->second : t);
  }
  if (!changed) return self;
  auto n = make_object<TensorComputeOpNode>(*this);
  n->inputs = new_inputs;
  return Operation(n);
}

void TensorComputeOpNode::PropBoundToInputs(const Operation& self, arith::Analyzer* analyzer,
                                            const std::unordered_map<const VarNode*, arith::IntSet>& dom_map,
                                            TensorMap<TensorDom>* out_dom_map) const {
  for (size_t i = 0; i < inputs.size(); ++i) {
    auto it = out_dom_map->find(inputs[i]);
    if (it == out_dom_map->end()) continue;
    const Region& region = input_regions[i];
    for (size_t d = 0; d < inputs[i].ndim() && d < region.size(); ++d) {
      it->second.data[d].push_back(arith::EvalSet(region[d], dom_map));
    }
  }
}

Stmt TensorComputeOpNode::BuildProvide(const Stage& stage, const IterVarRangeMap& dom_map,
                                       bool debug_keep_trivial_loop) const {
  const TensorIntrinNode* intrin = IntrinOf(this);
  TVM_CHECK(intrin->buffers.size() == inputs.size() + static_cast<size_t>(num_outputs()), "ValueError")
      << "tensor intrinsic " << intrin->name << " of " << name << " has " << intrin->buffers.size()
      << " buffers for " << inputs.size() << " inputs and " << num_outputs() << " outputs";
  std::vector<Stmt> input_bind, output_bind;
  for (size_t i = 0; i < inputs.size(); ++i) {
    Array<PrimExpr> tuple;
    for (const Range& r : input_regions[i]) {
      tuple.push_back(r->min);
      tuple.push_back(r->extent);
    }
    input_bind.push_back(BindRegion(intrin->buffers[i], inputs[i], tuple));
  }
  for (int k = 0; k < num_outputs(); ++k) {
    Array<PrimExpr> tuple;
    for (size_t i = 0; i < axis.size(); ++i) {
      if (i < schedulable_ndim) {
        tuple.push_back(axis[i]->var);
        tuple.push_back(make_const(axis[i]->var.dtype(), 1));
      } else {
        tuple.push_back(axis[i]->dom->min);
        tuple.push_back(axis[i]->dom->extent);
      }
    }
    output_bind.push_back(BindRegion(intrin->buffers[inputs.size() + k], stage->op.output(k), tuple));
  }
  // The intrinsic's scalar parameters take the values given at the call.
  TVM_CHECK(intrin->scalar_params.size() == scalar_inputs.size(), "ValueError")
      << "tensor intrinsic " << intrin->name << " takes " << intrin->scalar_params.size() << " scalars, "
      << scalar_inputs.size() << " given";
  std::unordered_map<const VarNode*, PrimExpr> vmap;
  for (size_t i = 0; i < scalar_inputs.size(); ++i) vmap[intrin->scalar_params[i].get()] = scalar_inputs[i];

  size_t loc = stage->leaf_iter_vars.size();
  ComputeLoopNest n = ComputeLoopNest::Create(this, stage, dom_map, debug_keep_trivial_loop);
  if (reduce_axis.empty()) {
    TVM_CHECK(intrin->body.defined(), "ValueError") << "tensor intrinsic " << intrin->name << " has no body";
    std::vector<std::vector<Stmt>> nest(n.main_nest.begin(), n.main_nest.begin() + loc + 1);
    nest.push_back(MakeIfNest(n.main_predicates));
    Stmt body = MergeNest(input_bind, MergeNest(output_bind, intrin->body));
    body = Substitute(tir::Substitute(body, vmap), n.main_vmap);
    return MergeNest(nest, body);
  }
  TVM_CHECK(intrin->reduce_update.defined() && intrin->reduce_init.defined(), "ValueError")
      << "tensor intrinsic " << intrin->name << " is called inside a reduction and needs reduce_init and "
      << "reduce_update";
  std::vector<std::vector<Stmt>> common(n.main_nest.begin(), n.main_nest.begin() + n.num_common_loop + 1);
  std::vector<std::vector<Stmt>> update_nest(n.main_nest.begin() + n.num_common_loop + 1,
                                             n.main_nest.begin() + loc + 1);
  update_nest.push_back(MakeIfNest(n.main_predicates));
  std::vector<std::vector<Stmt>> init_nest(n.init_nest.begin(), n.init_nest.begin() + loc + 1);
  init_nest.push_back(MakeIfNest(n.init_predicates));
  Stmt init = Substitute(MergeNest(output_bind, intrin->reduce_init), n.init_vmap);
  init = MergeNest(init_nest, init);
  Stmt update = MergeNest(input_bind, MergeNest(output_bind, intrin->reduce_update));
  update = Substitute(tir::Substitute(update, vmap), n.main_vmap);
  update = MergeNest(update_nest, update);
  return MergeNest(common, SeqStmt::Flatten(init, update));
}

TVM_REGISTER_NODE_TYPE(TensorComputeOpNode);

namespace {
const int kTensorComputePrinter = ReprPrinter::Register<TensorComputeOpNode>([](const ObjectRef& node, ReprPrinter* p) {
  const auto* op = static_cast<const TensorComputeOpNode*>(node.get());
  p->stream << "tensor_compute_op(" << op->name << ", " << static_cast<const void*>(op) << ")";
});
}  // namespace

TVM_REGISTER_GLOBAL("te.TensorComputeOp")
    .set_body_typed([](std::string name, std::string tag, Array<IterVar> axis, Array<IterVar> reduce_axis,
                       int schedulable_ndim, TensorIntrin intrin, Array<Tensor> tensors, Array<Region> regions,
                       Array<PrimExpr> scalar_inputs) {
      TVM_CHECK(intrin.defined() && intrin->op.as<ComputeOpNode>(), "ValueError")
          << "compute " << name << ": the tensor intrinsic must be declared over a te.compute";
      TVM_CHECK(tensors.size() == regions.size(), "ValueError")
          << "compute " << name << ": one region per tensor argument of the intrinsic call";
      TVM_CHECK(tensors.size() == intrin->inputs.size(), "ValueError")
          << "compute " << name << ": intrinsic " << intrin->name << " takes " << intrin->inputs.size()
          << " tensors, " << tensors.size() << " given";
      TVM_CHECK(schedulable_ndim >= 0 && static_cast<size_t>(schedulable_ndim) <= axis.size(), "ValueError")
          << "compute " << name << ": bad number of schedulable dimensions";
      auto n = make_object<TensorComputeOpNode>();
      n->name = std::move(name);
      n->tag = std::move(tag);
      n->axis = std::move(axis);
      n->reduce_axis = std::move(reduce_axis);
      n->schedulable_ndim = static_cast<size_t>(schedulable_ndim);
      n->intrin = intrin;
      n->inputs = std::move(tensors);
      n->input_regions = std::move(regions);
      n->scalar_inputs = std::move(scalar_inputs);
      return Operation(n);
    });

}  // namespace te
}  // namespace tvm
