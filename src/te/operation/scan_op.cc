/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/te/operation/scan_op.cc
 * \brief te.scan: a recurrence over the first dimension of its outputs.
 *
 *   s_init   = te.compute((1, n), lambda _, i: X[0, i])
 *   s_update = te.compute((m, n), lambda t, i: s_state[t - 1, i] + X[t, i])
 *   res      = te.scan(s_init, s_update, s_state)          # cumulative sum
 *
 * The scan's stage is one loop over its time axis t in [1, m). ScheduleOps
 * puts the init's stage before that loop (at "scan_init_scope") and the
 * stages of the body -- the ops between update and the state, grouped by
 * create_schedule -- inside it (at "scan_update_scope", whose value is t);
 * afterwards init, update and state all name the scan's output:
 *
 *   realize res[0:m, 0:n]
 *     for i: res[0, i] = X[0, i]
 *     for t in 1..m: for i: res[t, i] = res[t - 1, i] + X[t, i]
 *
 * Bound inference: the body's stages see one step (t is a point inside the
 * scan's loop). The scan's spatial axes (opaque; not loops) carry the part of
 * each non-time dimension consumers need; a dimension may be narrowed to it
 * only where step t at index i reads the state at index i alone (a "fixed
 * point", ScanFixPointAnalysis), otherwise the whole dimension is computed.
 */
#include <tvm/arith/analyzer.h>
#include <tvm/ir/repr_printer.h>
#include <tvm/runtime/registry.h>
#include <tvm/te/operation.h>
#include <tvm/te/schedule.h>
#include <tvm/tir/op.h>

#include "../schedule/graph.h"
#include "../schedule/message_passing.h"
#include "op_utils.h"

namespace tvm {
namespace te {

using arith::IntSet;

Operation ScanOp(std::string name, std::string tag, Map<String, ObjectRef> attrs, IterVar axis, Array<Tensor> init,
                 Array<Tensor> update, Array<Tensor> state_placeholder, Array<Tensor> inputs) {
  TVM_CHECK(!init.empty(), "ValueError") << "scan " << name << ": no init tensors";
  TVM_CHECK(init.size() == update.size() && init.size() == state_placeholder.size(), "ValueError")
      << "scan " << name << ": init, update and state_placeholder must have the same length, got " << init.size()
      << ", " << update.size() << " and " << state_placeholder.size();
  TVM_CHECK(axis.defined() && axis->dom.defined(), "ValueError") << "scan " << name << ": the scan axis has no range";
  arith::Analyzer analyzer;
  auto equal = [&analyzer](const PrimExpr& a, const PrimExpr& b) { return analyzer.CanProveEqual(a, b); };
  auto n = make_object<ScanOpNode>();
  for (size_t i = 0; i < init.size(); ++i) {
    const Tensor& s = state_placeholder[i];
    std::string what = "scan " + name + ": output " + std::to_string(i) + ": ";
    TVM_CHECK(init[i]->dtype == s->dtype && update[i]->dtype == s->dtype, "TypeError")
        << what << "init (" << init[i]->dtype << "), update (" << update[i]->dtype << ") and state ("
        << s->dtype << ") must have the same dtype";
    TVM_CHECK(s.ndim() >= 1 && init[i].ndim() == s.ndim() && update[i].ndim() == s.ndim(), "ValueError")
        << what << "init (" << init[i].ndim() << "-d), update (" << update[i].ndim() << "-d) and state ("
        << s.ndim() << "-d) must have the same rank, at least 1 (the first dimension is time)";
    TVM_CHECK(equal(init[i]->shape[0], axis->dom->min), "ValueError")
        << what << "init covers " << init[i]->shape[0] << " time steps but the scan starts at " << axis->dom->min;
    TVM_CHECK(equal(s->shape[0], axis->dom->min + axis->dom->extent), "ValueError")
        << what << "the state has " << s->shape[0] << " time steps but the scan ends at "
        << axis->dom->min + axis->dom->extent;
    for (size_t k = 0; k < s.ndim(); ++k) {
      TVM_CHECK(equal(update[i]->shape[k], s->shape[k]), "ValueError")
          << what << "dimension " << k << " of update (" << update[i]->shape[k] << ") and of the state ("
          << s->shape[k] << ") differ";
      if (k == 0) continue;
      TVM_CHECK(equal(init[i]->shape[k], s->shape[k]), "ValueError")
          << what << "dimension " << k << " of init (" << init[i]->shape[k] << ") and of the state (" << s->shape[k]
          << ") differ";
      std::string axis_name = name + ".out" + std::to_string(i) + ".i" + std::to_string(k);
      n->spatial_axis_.push_back(IterVar(Range::FromMinExtent(make_zero(s->shape[k].dtype()), s->shape[k]),
                                         Var(axis_name, s->shape[k].dtype()), kOpaque));
    }
  }
  n->name = std::move(name);
  n->tag = std::move(tag);
  n->attrs = std::move(attrs);
  n->scan_axis = std::move(axis);
  n->init = std::move(init);
  n->update = std::move(update);
  n->state_placeholder = std::move(state_placeholder);
  n->inputs = std::move(inputs);
  return Operation(n);
}

Array<Tensor> scan(Array<Tensor> init, Array<Tensor> update, Array<Tensor> state_placeholder, Array<Tensor> inputs,
                   std::string name, std::string tag, Map<String, ObjectRef> attrs) {
  TVM_CHECK(!init.empty() && !update.empty(), "ValueError") << "scan " << name << ": no init or update tensors";
  TVM_CHECK(init[0].ndim() >= 1 && update[0].ndim() >= 1, "ValueError")
      << "scan " << name << ": init and update need a first (time) dimension";
  PrimExpr begin = init[0]->shape[0];
  PrimExpr end = update[0]->shape[0];
  IterVar axis(Range::FromMinExtent(begin, sub(end, begin)), Var(name + ".idx", begin.dtype()), kOrdered);
  Operation op = ScanOp(name, tag, attrs, axis, init, update, state_placeholder, inputs);
  Array<Tensor> outputs;
  for (int i = 0; i < op->num_outputs(); ++i) outputs.push_back(op.output(i));
  return outputs;
}

Array<IterVar> ScanOpNode::root_iter_vars() const {
  Array<IterVar> vars{scan_axis};
  for (const IterVar& iv : spatial_axis_) vars.push_back(iv);
  return vars;
}

Array<Tensor> ScanOpNode::InputTensors() const {
  Array<Tensor> tensors = init;
  for (const Tensor& t : update) tensors.push_back(t);
  return tensors;
}

Operation ScanOpNode::ReplaceInputs(const Operation& self, const TensorReplaceMap& rmap) const {
  auto replaced = [&rmap](const Array<Tensor>& ts) {
    Array<Tensor> out;
    for (const Tensor& t : ts) {
      auto it = rmap.find(t);
      out.push_back(it != rmap.end() ? it->second : t);
    }
    return out;
  };
  Array<Tensor> new_init = replaced(init), new_update = replaced(update);
  bool same = true;
  for (size_t i = 0; i < init.size(); ++i) {
    same = same && new_init[i].same_as(init[i]) && new_update[i].same_as(update[i]);
  }
  if (same) return self;
  auto n = make_object<ScanOpNode>(*this);
  n->init = new_init;
  n->update = new_update;
  return Operation(n);
}

void ScanOpNode::PropBoundToInputs(const Operation& self, arith::Analyzer* analyzer,
                                   const std::unordered_map<const VarNode*, IntSet>& dom_map,
                                   TensorMap<TensorDom>* out_dom_map) const {
  size_t sp = 0;
  for (size_t i = 0; i < update.size(); ++i) {
    auto init_it = out_dom_map->find(init[i]);
    auto update_it = out_dom_map->find(update[i]);
    TensorDom* init_dom = init_it != out_dom_map->end() ? &init_it->second : nullptr;
    TensorDom* update_dom = update_it != out_dom_map->end() ? &update_it->second : nullptr;
    // Time: init is needed whole (the first steps), update at the scan's steps.
    if (init_dom != nullptr) {
      init_dom->data[0].push_back(IntSet::FromMinExtent(make_zero(init[i]->shape[0].dtype()), init[i]->shape[0]));
    }
    if (update_dom != nullptr) update_dom->data[0].push_back(dom_map.at(scan_axis->var.get()));
    for (size_t k = 1; k < update[i].ndim(); ++k, ++sp) {
      const IntSet& s = dom_map.at(spatial_axis_[sp]->var.get());
      if (init_dom != nullptr) init_dom->data[k].push_back(s);
      if (update_dom != nullptr) update_dom->data[k].push_back(s);
    }
  }
}

void ScanOpNode::GatherBound(const Operation& self, const TensorMap<TensorDom>& tensor_dom,
                             IterVarRangeMap* out_dom_map) const {
  arith::Analyzer analyzer;
  // Time: from the scan's first step to the last one any consumer reads.
  std::vector<IntSet> time;
  for (int i = 0; i < num_outputs(); ++i) {
    auto it = tensor_dom.find(self.output(i));
    if (it == tensor_dom.end()) continue;
    time.insert(time.end(), it->second.data[0].begin(), it->second.data[0].end());
  }
  const Range& sdom = scan_axis->dom;
  Range needed = time.empty() ? sdom : arith::Union(time).CoverRange(sdom);
  PrimExpr end = analyzer.Simplify(needed->min + needed->extent);
  (*out_dom_map)[scan_axis] = Range::FromMinExtent(sdom->min, analyzer.Simplify(end - sdom->min));
  Map<IterVar, PrimExpr> fixed = ScanFixPointAnalysis(self);
  size_t sp = 0;
  for (int i = 0; i < num_outputs(); ++i) {
    auto it = tensor_dom.find(self.output(i));
    for (size_t k = 1; k < update[i].ndim(); ++k, ++sp) {
      const IterVar& iv = spatial_axis_[sp];
      bool narrow = is_one(fixed.at(iv)) && it != tensor_dom.end() && !it->second.data[k].empty();
      (*out_dom_map)[iv] = narrow ? arith::Union(it->second.data[k]).CoverRange(iv->dom) : iv->dom;
    }
  }
}

Stmt ScanOpNode::BuildRealize(const Stage& stage, const IterVarRangeMap& realize_map, const Stmt& body,
                              String storage_scope) const {
  arith::Analyzer analyzer;
  const Range& steps = realize_map.at(scan_axis);
  // Every step from 0 is kept: step t reads step t - 1 (or earlier).
  Range time = Range::FromMinExtent(make_zero(steps->min.dtype()), analyzer.Simplify(steps->min + steps->extent));
  Stmt realize = body;
  size_t sp = spatial_axis_.size();
  for (int i = num_outputs(); i > 0; --i) {
    Array<Range> bounds;
    size_t ndim = update[i - 1].ndim();
    sp -= ndim - 1;
    bounds.push_back(time);
    for (size_t k = 1; k < ndim; ++k) bounds.push_back(realize_map.at(spatial_axis_[sp + k - 1]));
    realize = ProducerRealize(stage->op.output(i - 1), bounds, const_true(), realize, storage_scope);
  }
  return realize;
}

Stmt ScanOpNode::BuildProvide(const Stage& stage, const IterVarRangeMap& dom_map,
                              bool debug_keep_trivial_loop) const {
  // Environment threads (Stage::env_threads) come first among the leaves: the
  // init runs inside them but before the loop over time.
  size_t begin_scan = 0;
  for (size_t i = 0; i < stage->leaf_iter_vars.size(); ++i) {
    if (stage->leaf_iter_vars[i]->iter_type != kThreadIndex) break;
    begin_scan = i + 1;
  }
  IterVarExprMap value_map;
  auto nest = MakeLoopNest(stage, dom_map, 0, false, IterVarSet(), &value_map, debug_keep_trivial_loop);
  auto it = value_map.find(scan_axis);
  PrimExpr step = it != value_map.end() ? it->second : PrimExpr(scan_axis->var);
  Stmt init_scope = AttrStmt(stage->op, tir::attr::scan_init_scope, make_zero(DataType::Int(32)), Evaluate(0));
  nest[begin_scan].push_back(init_scope);
  nest.push_back(MakeIfNest(MakeBoundCheck(stage, dom_map, value_map, false, IterVarSet())));
  return MergeNest(nest, AttrStmt(stage->op, tir::attr::scan_update_scope, step, Evaluate(0)));
}

TVM_REGISTER_NODE_TYPE(ScanOpNode);

namespace {
const int kScanPrinter = ReprPrinter::Register<ScanOpNode>([](const ObjectRef& node, ReprPrinter* p) {
  const auto* op = static_cast<const ScanOpNode*>(node.get());
  p->stream << "scan(" << op->name << ", " << static_cast<const void*>(op) << ")";
});
}  // namespace

TVM_REGISTER_GLOBAL("te.ScanOp")
    .set_body_typed([](std::string name, std::string tag, std::optional<Map<String, ObjectRef>> attrs, IterVar axis,
                       Array<Tensor> init, Array<Tensor> update, Array<Tensor> state_placeholder,
                       Array<Tensor> inputs) {
      return ScanOp(name, tag, attrs.value_or(Map<String, ObjectRef>()), axis, init, update, state_placeholder,
                    inputs);
    });

}  // namespace te
}  // namespace tvm
