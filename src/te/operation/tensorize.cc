/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/te/operation/tensorize.cc
 * \brief tensorize: replace the loops of a stage from one leaf inwards with
 *  a tensor intrinsic declared by te.decl_tensor_intrin.
 *
 * 1. Region: the leaves inside the tensorized one range over their whole
 *    extent, the ones outside are fixed; this gives the region of the output
 *    (out_dom) and of every input (in_region) one intrinsic call covers.
 * 2. Match: the stage's body, with its axes renamed to the intrinsic's and
 *    its reads shifted to the region's origin, must equal the intrinsic's
 *    compute (after simplification) - otherwise the intrinsic would compute
 *    something else.
 * 3. Emit: the loops outside, then the intrinsic's statement with each of
 *    its buffers bound to the region of the matching tensor:
 *
 *      for i.outer, j.outer:
 *        attr [[a_buf, A]] "buffer_bind_scope" tvm_tuple(i.outer*8, 8, 0, 64)
 *          attr [[c_buf, C]] "buffer_bind_scope" tvm_tuple(i.outer*8, 8, j.outer*8, 8)
 *            call_extern("gemm_8x8", c_buf.access_ptr("w"), ...)
 *
 *    When reduction loops stay outside, the intrinsic's reduce_init runs
 *    before them and reduce_update inside them (or, without reduce_init,
 *    the body on the first iteration and reduce_update on the others).
 */
#include <tvm/arith/analyzer.h>
#include <tvm/ir/repr_printer.h>
#include <tvm/ir/structural_equal.h>
#include <tvm/runtime/registry.h>
#include <tvm/tir/op.h>
#include <tvm/tir/stmt_functor.h>

#include <unordered_set>

#include "../schedule/message_passing.h"
#include "compute_op.h"

namespace tvm {
namespace te {

using arith::IntSet;

namespace {

const char* kPrimitive = "tensorize";

/*! \brief The tensorized leaf's position; fills the regions one intrinsic call covers. */
size_t InferTensorizeRegion(const ComputeOpNode* self, const Stage& stage, const IterVarRangeMap& dom_map,
                            IterVarRangeMap* out_dom, TensorMap<Array<Range>>* in_region) {
  bool found = false;
  size_t loc = 0;
  IterVarSetMap up_state;
  for (size_t i = stage->leaf_iter_vars.size(); i != 0; --i) {
    const IterVar& iv = stage->leaf_iter_vars[i - 1];
    TVM_CHECK(iv->iter_type == kDataPar || iv->iter_type == kCommReduce, "ValueError")
        << kPrimitive << ": axis " << AxisName(iv) << " of stage " << StageName(stage) << " is "
        << IterVarType2String(iv->iter_type);
    const Range& r = dom_map.at(iv);
    if (is_one(r->extent)) {
      up_state[iv] = IntSet::SinglePoint(r->min);
    } else if (found) {
      up_state[iv] = IntSet::SinglePoint(iv->var);
    } else {
      up_state[iv] = IntSet::FromRange(r);
    }
    if (auto attr = stage->iter_var_attrs.Get(iv)) {
      if (!found) {
        TVM_CHECK(!(*attr)->bind_thread.defined(), "ValueError")
            << kPrimitive << ": axis " << AxisName(iv) << " of stage " << StageName(stage)
            << " is inside the tensorized region and bound to a thread";
      }
      if ((*attr)->iter_type == kTensorized) {
        TVM_CHECK(!found, "ValueError") << kPrimitive << ": stage " << StageName(stage)
                                        << " is tensorized at two axes";
        found = true;
        loc = i - 1;
      }
    }
  }
  ICHECK(found);
  PassUpDomain(stage, dom_map, &up_state);
  TensorMap<TensorDom> in_dom;
  for (const Tensor& t : self->InputTensors()) in_dom.emplace(t, TensorDom(static_cast<int>(t.ndim())));
  std::unordered_map<const VarNode*, IntSet> var_sets;
  arith::Analyzer analyzer;
  for (const IterVar& iv : self->root_iter_vars()) {
    const IntSet& s = up_state.at(iv);
    Range r = s.CoverRange(dom_map.at(iv));
    (*out_dom)[iv] = r;
    analyzer.Bind(iv->var, r, true);
    var_sets[iv->var.get()] = s;
  }
  self->PropBoundToInputs(stage->op, &analyzer, var_sets, &in_dom);
  for (const auto& kv : in_dom) {
    Array<Range> region;
    for (size_t i = 0; i < kv.first.ndim(); ++i) {
      Range r = arith::Union(kv.second.data.at(i)).CoverRange(Range());
      TVM_CHECK(r.defined(), "ValueError") << kPrimitive << ": cannot determine the region of "
                                           << kv.first->GetNameHint() << " read by one intrinsic call";
      region.push_back(Range::FromMinExtent(analyzer.Simplify(r->min), analyzer.Simplify(r->extent)));
    }
    (*in_region)[kv.first] = region;
  }
  return loc;
}

/*!
 * \brief Rewrites the stage's body into the intrinsic's terms: the axes of
 *  the tensorized region become the intrinsic's axes, reads of the stage's
 *  inputs become reads of the intrinsic's inputs relative to the region.
 */
class IntrinMatcher : public StmtExprMutator {
 public:
  IntrinMatcher(const ComputeOpNode* self, const Stage& stage, const IterVarRangeMap& out_dom,
                const TensorMap<Array<Range>>& in_region, const TensorIntrin& intrin, Map<Var, Range>* intrin_space) {
    const auto* icompute = intrin->op.as<ComputeOpNode>();
    Array<Tensor> inputs = self->InputTensors();
    TVM_CHECK(inputs.size() == intrin->inputs.size(), "ValueError")
        << kPrimitive << ": stage " << StageName(stage) << " reads " << inputs.size() << " tensors but intrinsic "
        << intrin->name << " reads " << intrin->inputs.size();
    for (size_t i = 0; i < inputs.size(); ++i) {
      const Tensor& t = inputs[i];
      const Tensor& it = intrin->inputs[i];
      const Array<Range>& region = in_region.at(t);
      TVM_CHECK(t->dtype == it->dtype, "TypeError")
          << kPrimitive << ": input " << t->GetNameHint() << " of stage " << StageName(stage) << " is "
          << runtime::DLDataType2String(t->dtype) << " but intrinsic " << intrin->name << " expects "
          << runtime::DLDataType2String(it->dtype);
      TVM_CHECK(it.ndim() <= t.ndim(), "ValueError")
          << kPrimitive << ": intrinsic " << intrin->name << " input " << it->GetNameHint() << " has more "
          << "dimensions than " << t->GetNameHint();
      size_t skip = t.ndim() - it.ndim();
      for (size_t d = 0; d < skip; ++d) {
        TVM_CHECK(is_one(region[d]->extent), "ValueError")
            << kPrimitive << ": stage " << StageName(stage) << " reads " << region[d]->extent << " elements of "
            << t->GetNameHint() << " along dimension " << d << " per intrinsic call; intrinsic " << intrin->name
            << " reads one";
      }
      inputs_[t] = InputMap{it, region, skip};
    }
    // Data-parallel axes: the last ones map to the intrinsic's axes.
    TVM_CHECK(icompute->axis.size() <= self->axis.size(), "ValueError")
        << kPrimitive << ": intrinsic " << intrin->name << " has more dimensions than stage " << StageName(stage);
    MapAxes(self->axis, icompute->axis, out_dom, stage, intrin, intrin_space, "dimension");
    TVM_CHECK(icompute->reduce_axis.size() <= self->reduce_axis.size(), "ValueError")
        << kPrimitive << ": intrinsic " << intrin->name << " reduces over more axes than stage "
        << StageName(stage);
    MapAxes(self->reduce_axis, icompute->reduce_axis, out_dom, stage, intrin, intrin_space, "reduction axis");
    intrin_reduce_axis_ = icompute->reduce_axis;
  }

  PrimExpr Match(const PrimExpr& e) { return VisitExpr(e); }

 protected:
  PrimExpr VisitExpr_(const ProducerLoadNode* op) final {
    PrimExpr e = StmtExprMutator::VisitExpr_(op);
    const auto* load = e.as<ProducerLoadNode>();
    auto it = inputs_.find(Downcast<Tensor>(load->producer));
    if (it == inputs_.end()) return e;
    const InputMap& m = it->second;
    Array<PrimExpr> indices;
    for (size_t d = m.skip; d < load->indices.size(); ++d) {
      indices.push_back(sub(load->indices[d], m.region[d]->min));
    }
    return ProducerLoad(m.intrin_tensor, indices);
  }

  PrimExpr VisitExpr_(const VarNode* op) final {
    auto it = var_map_.find(op);
    return it != var_map_.end() ? it->second : GetRef<PrimExpr>(op);
  }

  PrimExpr VisitExpr_(const ReduceNode* op) final {
    PrimExpr e = StmtExprMutator::VisitExpr_(op);
    const auto* r = e.as<ReduceNode>();
    return Reduce(r->combiner, r->source, intrin_reduce_axis_, r->condition, r->value_index, r->init);
  }

 private:
  struct InputMap {
    Tensor intrin_tensor;
    Array<Range> region;
    size_t skip;
  };

  void MapAxes(const Array<IterVar>& mine, const Array<IterVar>& theirs, const IterVarRangeMap& out_dom,
               const Stage& stage, const TensorIntrin& intrin, Map<Var, Range>* space, const char* what) {
    size_t skip = mine.size() - theirs.size();
    arith::Analyzer analyzer;
    for (size_t i = 0; i < mine.size(); ++i) {
      const Range& r = out_dom.at(mine[i]);
      if (i < skip) {
        TVM_CHECK(is_one(r->extent), "ValueError")
            << kPrimitive << ": the tensorized region of stage " << StageName(stage) << " spans " << r->extent
            << " values of " << what << " " << AxisName(mine[i]) << ", which intrinsic " << intrin->name
            << " does not have";
        var_map_[mine[i]->var.get()] = r->min;
        continue;
      }
      const IterVar& target = theirs[i - skip];
      TVM_CHECK(analyzer.CanProveEqual(r->extent, target->dom->extent), "ValueError")
          << kPrimitive << ": the tensorized region of stage " << StageName(stage) << " spans " << r->extent
          << " values of " << what << " " << AxisName(mine[i]) << " but intrinsic " << intrin->name
          << " computes " << target->dom->extent;
      var_map_[mine[i]->var.get()] = add(target->var, r->min);
      space->Set(target->var, target->dom);
    }
  }

  TensorMap<InputMap> inputs_;
  std::unordered_map<const VarNode*, PrimExpr> var_map_;
  Array<IterVar> intrin_reduce_axis_;
};

void VerifyTensorizeBody(const ComputeOpNode* self, const Stage& stage, const IterVarRangeMap& out_dom,
                         const TensorMap<Array<Range>>& in_region, const TensorIntrin& intrin,
                         const IterVarExprMap& value_map) {
  const auto* icompute = intrin->op.as<ComputeOpNode>();
  TVM_CHECK(icompute != nullptr, "ValueError") << kPrimitive << ": intrinsic " << intrin->name
                                               << " must be declared over a te.compute";
  TVM_CHECK(icompute->body.size() == self->body.size(), "ValueError")
      << kPrimitive << ": stage " << StageName(stage) << " has " << self->body.size() << " outputs but intrinsic "
      << intrin->name << " has " << icompute->body.size();
  Map<Var, Range> space;
  IntrinMatcher matcher(self, stage, out_dom, in_region, intrin, &space);
  arith::Analyzer analyzer;
  analyzer.Bind(space, true);
  StructuralEqual equal;
  for (size_t i = 0; i < self->body.size(); ++i) {
    // An intrinsic declared over the stage's own axes (a tail guard on the
    // outer axis) reads them as the loops give them, as the stage does.
    PrimExpr mine = analyzer.Simplify(Substitute(matcher.Match(self->body[i]), value_map));
    PrimExpr theirs = analyzer.Simplify(Substitute(icompute->body[i], value_map));
    TVM_CHECK(mine.dtype() == theirs.dtype(), "TypeError")
        << kPrimitive << ": stage " << StageName(stage) << " computes " << runtime::DLDataType2String(mine.dtype())
        << " but intrinsic " << intrin->name << " computes " << runtime::DLDataType2String(theirs.dtype());
    TVM_CHECK(equal(mine, theirs), "ValueError")
        << kPrimitive << ": the computation of stage " << StageName(stage) << " does not match intrinsic "
        << intrin->name << ": the stage computes " << mine << " but the intrinsic computes " << theirs;
  }
}

bool UsesAnyVar(const PrimExpr& e, const std::unordered_set<const VarNode*>& vars) {
  bool found = false;
  PostOrderVisit(e, [&](const ObjectRef& n) {
    if (const auto* v = n.as<VarNode>()) found = found || vars.count(v);
  });
  return found;
}

/*! \brief Guards may not depend on loops inside the tensorized region (the intrinsic runs them all). */
void VerifyTensorizeLoopNest(const Stage& stage, const ComputeLoopNest& n, size_t loc) {
  std::unordered_set<const VarNode*> inner;
  for (size_t i = loc; i < stage->leaf_iter_vars.size(); ++i) inner.insert(stage->leaf_iter_vars[i]->var.get());
  for (size_t i = loc + 1; i < n.main_nest.size(); ++i) {
    for (const Stmt& s : n.main_nest[i]) {
      if (const auto* f = s.as<ForNode>()) inner.insert(f->loop_var.get());
    }
  }
  for (const auto* preds : {&n.main_predicates, &n.init_predicates}) {
    for (const PrimExpr& p : *preds) {
      TVM_CHECK(!UsesAnyVar(p, inner), "ValueError")
          << kPrimitive << ": stage " << StageName(stage) << " needs the guard " << p
          << " inside the tensorized region (a split that does not divide its extent); the intrinsic "
          << "would compute out of bounds";
    }
  }
}

/*! \brief Without reduce_init: run the intrinsic's body on the first reduction step, reduce_update after. */
Stmt FirstIterationOrUpdate(const Stage& stage, const IterVarRangeMap& dom_map, const ComputeLoopNest& n, Stmt body,
                            Stmt update) {
  PrimExpr cond;
  std::unordered_set<const VarNode*> reduce_vars;
  for (const IterVar& iv : stage->leaf_iter_vars) {
    auto attr = stage->iter_var_attrs.Get(iv);
    if (attr.has_value() && (*attr)->iter_type == kTensorized) break;
    if (iv->iter_type != kCommReduce) continue;
    PrimExpr c = likely(iv->var > dom_map.at(iv)->min);
    cond = cond.defined() ? logical_or(cond, c) : c;
    reduce_vars.insert(iv->var.get());
  }
  for (const PrimExpr& p : n.main_predicates) {
    TVM_CHECK(!UsesAnyVar(p, reduce_vars), "ValueError")
        << kPrimitive << ": stage " << StageName(stage) << " needs the guard " << p
        << " over a reduction loop, which conflicts with choosing the first reduction step; declare "
        << "reduce_init for the intrinsic";
  }
  if (!cond.defined()) return body;
  return IfThenElse(cond, update, body);
}

}  // namespace

Stmt MakeTensorize(const ComputeOpNode* self, const Stage& stage, const IterVarRangeMap& dom_map,
                   bool debug_keep_trivial_loop) {
  IterVarRangeMap out_dom;
  TensorMap<Array<Range>> in_region;
  size_t loc = InferTensorizeRegion(self, stage, dom_map, &out_dom, &in_region);
  TensorIntrin intrin = Downcast<TensorIntrin>(stage->iter_var_attrs.at(stage->leaf_iter_vars[loc])->tensor_intrin);
  ComputeLoopNest n = ComputeLoopNest::Create(self, stage, dom_map, debug_keep_trivial_loop);
  VerifyTensorizeBody(self, stage, out_dom, in_region, intrin, n.main_vmap);
  VerifyTensorizeLoopNest(stage, n, loc);

  const auto* icompute = intrin->op.as<ComputeOpNode>();
  Array<Tensor> inputs = self->InputTensors();
  TVM_CHECK(intrin->buffers.size() == inputs.size() + icompute->body.size(), "ValueError")
      << kPrimitive << ": intrinsic " << intrin->name << " has " << intrin->buffers.size() << " buffers, expected "
      << inputs.size() + icompute->body.size();
  auto bind = [](const Buffer& buffer, const Tensor& tensor, const Array<Range>& region) {
    Array<PrimExpr> tuple;
    for (const Range& r : region) {
      tuple.push_back(r->min);
      tuple.push_back(r->extent);
    }
    return AttrStmt(Array<ObjectRef>{buffer, tensor}, tir::attr::buffer_bind_scope,
                    Call(DataType::Handle(), builtin::tvm_tuple(), tuple), Evaluate(0));
  };
  std::vector<Stmt> input_bind, output_bind;
  for (size_t i = 0; i < inputs.size(); ++i) input_bind.push_back(bind(intrin->buffers[i], inputs[i], in_region.at(inputs[i])));
  Array<Range> out_region;
  for (const IterVar& iv : self->axis) out_region.push_back(out_dom.at(iv));
  for (size_t i = inputs.size(); i < intrin->buffers.size(); ++i) {
    output_bind.push_back(bind(intrin->buffers[i], stage->op.output(i - inputs.size()), out_region));
  }
  // The intrinsic's reduction domain may be symbolic: bind it to the stage's.
  std::unordered_map<const VarNode*, PrimExpr> vmap;
  size_t start = self->reduce_axis.size() - icompute->reduce_axis.size();
  arith::Analyzer analyzer;
  for (size_t i = start; i < self->reduce_axis.size(); ++i) {
    const IterVar& target = icompute->reduce_axis[i - start];
    const Range& r = out_dom.at(self->reduce_axis[i]);
    if (const auto* v = target->dom->extent.as<VarNode>()) {
      vmap[v] = r->extent;
    }
    if (const auto* v = target->dom->min.as<VarNode>()) vmap[v] = make_zero(v->dtype);
  }

  if (loc <= n.num_common_loop) {
    TVM_CHECK(intrin->body.defined(), "ValueError")
        << kPrimitive << ": intrinsic " << intrin->name << " has no body (only reduce_update) but the stage's "
        << "whole reduction is inside the tensorized region";
    std::vector<std::vector<Stmt>> nest(n.main_nest.begin(), n.main_nest.begin() + loc + 1);
    nest.push_back(MakeIfNest(n.main_predicates));
    Stmt body = MergeNest(output_bind, intrin->body);
    body = MergeNest(input_bind, body);
    body = tir::Substitute(body, vmap);
    body = Substitute(body, n.main_vmap);
    return MergeNest(nest, body);
  }
  TVM_CHECK(intrin->reduce_update.defined(), "ValueError")
      << kPrimitive << ": reduction loops of stage " << StageName(stage) << " are outside the tensorized region, "
      << "so intrinsic " << intrin->name << " needs a reduce_update";
  std::vector<std::vector<Stmt>> common(n.main_nest.begin(), n.main_nest.begin() + n.num_common_loop + 1);
  std::vector<std::vector<Stmt>> update_nest(n.main_nest.begin() + n.num_common_loop + 1,
                                             n.main_nest.begin() + loc + 1);
  update_nest.push_back(MakeIfNest(n.main_predicates));
  if (intrin->reduce_init.defined()) {
    std::vector<std::vector<Stmt>> init_nest(n.init_nest.begin(), n.init_nest.begin() + loc + 1);
    init_nest.push_back(MakeIfNest(n.init_predicates));
    Stmt init = MergeNest(output_bind, intrin->reduce_init);
    init = Substitute(init, n.init_vmap);
    init = MergeNest(init_nest, init);
    Stmt update = MergeNest(output_bind, intrin->reduce_update);
    update = MergeNest(input_bind, update);
    update = tir::Substitute(update, vmap);
    update = Substitute(update, n.main_vmap);
    update = MergeNest(update_nest, update);
    return MergeNest(common, SeqStmt::Flatten(init, update));
  }
  TVM_CHECK(intrin->body.defined(), "ValueError")
      << kPrimitive << ": intrinsic " << intrin->name << " needs a body or a reduce_init to start the reduction";
  Stmt step = FirstIterationOrUpdate(stage, dom_map, n, intrin->body, intrin->reduce_update);
  step = MergeNest(output_bind, step);
  step = MergeNest(input_bind, step);
  step = tir::Substitute(step, vmap);
  step = Substitute(step, n.main_vmap);
  step = MergeNest(update_nest, step);
  return MergeNest(common, step);
}

// The two halves of tensorize that TVM exposes to its tests: the region one
// intrinsic call covers, and the stage's body rewritten onto the intrinsic's
// variables and inputs (before simplification).
namespace {
const ComputeOpNode* TensorizedCompute(const Stage& stage, const char* hook) {
  const auto* compute = stage->op.as<ComputeOpNode>();
  TVM_CHECK(compute != nullptr, "ValueError") << hook << ": stage " << StageName(stage) << " is not a te.compute stage";
  return compute;
}
}  // namespace

TVM_REGISTER_GLOBAL("test.op.InferTensorizeRegion").set_body_typed([](Stage stage, Map<IterVar, Range> dom_map) {
  const ComputeOpNode* compute = TensorizedCompute(stage, "InferTensorizeRegion");
  IterVarRangeMap dom(dom_map.begin(), dom_map.end());
  IterVarRangeMap out_dom;
  TensorMap<Array<Range>> in_region;
  InferTensorizeRegion(compute, stage, dom, &out_dom, &in_region);
  return Array<ObjectRef>{Map<IterVar, Range>(out_dom.begin(), out_dom.end()),
                          Map<Tensor, Array<Range>>(in_region.begin(), in_region.end())};
});

TVM_REGISTER_GLOBAL("test.op.MatchTensorizeBody")
    .set_body_typed([](Stage stage, Map<IterVar, Range> out_dom, Map<Tensor, Array<Range>> in_region,
                       TensorIntrin intrin) {
      const ComputeOpNode* compute = TensorizedCompute(stage, "MatchTensorizeBody");
      TVM_CHECK(intrin->op.as<ComputeOpNode>() != nullptr, "ValueError")
          << "MatchTensorizeBody: intrinsic " << intrin->name << " must be declared over a te.compute";
      IterVarRangeMap out(out_dom.begin(), out_dom.end());
      TensorMap<Array<Range>> in(in_region.begin(), in_region.end());
      Map<Var, Range> space;
      IntrinMatcher matcher(compute, stage, out, in, intrin, &space);
      Array<PrimExpr> body;
      for (const PrimExpr& e : compute->body) body.push_back(matcher.Match(e));
      return body;
    });

}  // namespace te
}  // namespace tvm
