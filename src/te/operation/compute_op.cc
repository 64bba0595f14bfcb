/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/te/operation/compute_op.cc
 * \brief te.compute: out[axis] = body(axis), possibly a reduction, and how
 *  such a stage propagates bounds and becomes loops.
 *
 * A reduction stage C[i, j] = sum(A[i, k] * B[k, j], k) with leaves
 * (i, j, k) becomes
 *
 *   for i:
 *     for j:
 *       C[i, j] = 0                       (initialisation)
 *       for k:
 *         C[i, j] = C[i, j] + A[i, k] * B[k, j]
 *
 * and with leaves (i, k, j) the initialisation gets its own loop:
 *
 *   for i:
 *     for j.init: C[i, j.init] = 0
 *     for k: for j: C[i, j] = C[i, j] + ...
 */
#include "compute_op.h"

#include <tvm/arith/analyzer.h>
#include <tvm/ir/repr_printer.h>
#include <tvm/runtime/registry.h>
#include <tvm/tir/op.h>
#include <tvm/tir/stmt_functor.h>

#include <sstream>
#include <string>
#include <unordered_set>

#include "../schedule/message_passing.h"

namespace tvm {
namespace te {

using arith::IntSet;

// ---------------------------------------------------------------------------
// Construction and validation

namespace {

bool ContainsReduce(const PrimExpr& e) {
  bool found = false;
  PostOrderVisit(e, [&found](const ObjectRef& n) {
    if (n.as<ReduceNode>()) found = true;
  });
  return found;
}

/*! \brief Throws naming the op unless the bodies are one plain expression per output or one tuple reduction. */
void VerifyComputeBody(const std::string& name, const Array<PrimExpr>& body) {
  const auto* first = body[0].as<ReduceNode>();
  for (size_t i = 0; i < body.size(); ++i) {
    TVM_CHECK(body[i].defined(), "ValueError") << "compute " << name << ": output " << i << " has no expression";
    const auto* reduce = body[i].as<ReduceNode>();
    if (reduce == nullptr) {
      TVM_CHECK(!ContainsReduce(body[i]), "ValueError")
          << "compute " << name << ": a reduction (te.sum, te.max, te.min, comm_reducer) must be the whole body "
          << "of the compute, not part of a larger expression; got " << body[i]
          << ". Compute the reduction in its own te.compute and use its result";
      TVM_CHECK(first == nullptr, "ValueError")
          << "compute " << name << ": output 0 is a reduction but output " << i
          << " is not; every output of a multi-output compute must come from the same tuple reduction";
      continue;
    }
    TVM_CHECK(first != nullptr, "ValueError")
        << "compute " << name << ": output " << i
        << " is a reduction but output 0 is not; a compute is either all plain expressions or one reduction";
    for (const PrimExpr& s : reduce->source) {
      TVM_CHECK(!ContainsReduce(s), "ValueError")
          << "compute " << name << ": a reduction cannot be nested inside another reduction; got " << s;
    }
    TVM_CHECK(!ContainsReduce(reduce->condition), "ValueError")
        << "compute " << name << ": a reduction condition cannot contain a reduction";
    if (i > 0) {
      TVM_CHECK(ReduceEqual(reduce, first), "ValueError")
          << "compute " << name << ": output " << i << " is a different reduction from output 0; the outputs "
          << "of a multi-output compute must be the values of one tuple reduction (same combiner, sources, "
          << "axes and condition)";
      TVM_CHECK(reduce->value_index == static_cast<int>(i), "ValueError")
          << "compute " << name << ": output " << i << " is value " << reduce->value_index
          << " of the tuple reduction; the outputs must be its values in order";
    }
  }
}

}  // namespace

Operation ComputeOp(std::string name, std::string tag, Map<String, ObjectRef> attrs, Array<IterVar> axis,
                    Array<PrimExpr> body) {
  TVM_CHECK(!body.empty(), "ValueError") << "compute " << name << ": the body has no outputs";
  for (const IterVar& iv : axis) {
    TVM_CHECK(iv.defined() && iv->dom.defined(), "ValueError")
        << "compute " << name << ": every axis needs a domain";
    TVM_CHECK(iv->iter_type == kDataPar, "ValueError")
        << "compute " << name << ": axis " << AxisName(iv) << " must be data parallel, not "
        << IterVarType2String(iv->iter_type);
  }
  VerifyComputeBody(name, body);
  auto n = make_object<ComputeOpNode>();
  n->name = std::move(name);
  n->tag = std::move(tag);
  n->attrs = std::move(attrs);
  n->axis = std::move(axis);
  n->body = std::move(body);
  if (const auto* reduce = n->body[0].as<ReduceNode>()) n->reduce_axis = reduce->axis;
  return Operation(n);
}

Tensor compute(Array<PrimExpr> shape, FCompute fcompute, std::string name, std::string tag,
               Map<String, ObjectRef> attrs) {
  return compute(
             shape, [&fcompute](const Array<Var>& i) { return Array<PrimExpr>{fcompute(i)}; }, name, tag, attrs)[0];
}

Array<Tensor> compute(Array<PrimExpr> shape, FBatchCompute fcompute, std::string name, std::string tag,
                      Map<String, ObjectRef> attrs) {
  Array<IterVar> axis;
  Array<Var> args;
  for (size_t i = 0; i < shape.size(); ++i) {
    Var v("ax" + std::to_string(i), shape[i].dtype());
    axis.push_back(IterVar(Range::FromMinExtent(make_zero(shape[i].dtype()), shape[i]), v, kDataPar));
    args.push_back(v);
  }
  Operation op = ComputeOp(name, tag, attrs, axis, fcompute(args));
  Array<Tensor> outputs;
  for (int i = 0; i < op->num_outputs(); ++i) outputs.push_back(op.output(i));
  return outputs;
}

IterVar reduce_axis(Range dom, std::string name) {
  return IterVar(dom, Var(name, dom->extent.dtype()), kCommReduce);
}

IterVar thread_axis(Range dom, std::string tag) { return IterVar(dom, Var(tag), kThreadIndex, tag); }

namespace {

PrimExpr MakeSimpleReduce(PrimExpr source, Array<IterVar> axis, PrimExpr where, Array<PrimExpr> init,
                          const std::function<PrimExpr(PrimExpr, PrimExpr)>& combine, PrimExpr identity) {
  Var x("x", source.dtype()), y("y", source.dtype());
  CommReducer combiner({x}, {y}, {combine(x, y)}, {identity});
  return Reduce(combiner, {source}, axis, where.defined() ? where : const_true(), 0, init);
}

}  // namespace

PrimExpr sum(PrimExpr source, Array<IterVar> axis, PrimExpr where, Array<PrimExpr> init) {
  return MakeSimpleReduce(source, axis, where, init, [](PrimExpr a, PrimExpr b) { return add(a, b); },
                          make_zero(source.dtype()));
}

PrimExpr max(PrimExpr source, Array<IterVar> axis, PrimExpr where, Array<PrimExpr> init) {
  return MakeSimpleReduce(source, axis, where, init, [](PrimExpr a, PrimExpr b) { return tvm::max(a, b); },
                          min_value(source.dtype()));
}

PrimExpr min(PrimExpr source, Array<IterVar> axis, PrimExpr where, Array<PrimExpr> init) {
  return MakeSimpleReduce(source, axis, where, init, [](PrimExpr a, PrimExpr b) { return tvm::min(a, b); },
                          max_value(source.dtype()));
}

PrimExpr prod(PrimExpr source, Array<IterVar> axis, PrimExpr where, Array<PrimExpr> init) {
  return MakeSimpleReduce(source, axis, where, init, [](PrimExpr a, PrimExpr b) { return mul(a, b); },
                          make_const(source.dtype(), 1));
}

// ---------------------------------------------------------------------------
// BaseComputeOpNode

Array<IterVar> BaseComputeOpNode::root_iter_vars() const {
  if (reduce_axis.empty()) return axis;
  Array<IterVar> roots = axis;
  for (const IterVar& iv : reduce_axis) roots.push_back(iv);
  return roots;
}

Array<PrimExpr> BaseComputeOpNode::output_shape(size_t i) const {
  Array<PrimExpr> shape;
  for (const IterVar& iv : axis) shape.push_back(iv->dom->extent);
  return shape;
}

void BaseComputeOpNode::GatherBound(const Operation& self, const TensorMap<TensorDom>& tensor_dom,
                                    IterVarRangeMap* out_dom_map) const {
  for (size_t i = 0; i < axis.size(); ++i) {
    Array<IntSet> sets;
    for (int k = 0; k < self->num_outputs(); ++k) {
      auto it = tensor_dom.find(self.output(k));
      if (it == tensor_dom.end()) continue;
      for (const IntSet& s : it->second.data.at(i)) sets.push_back(s);
    }
    Range r = sets.empty() ? axis[i]->dom : arith::Union(sets).CoverRange(axis[i]->dom);
    (*out_dom_map)[axis[i]] = r;
  }
  for (const IterVar& iv : reduce_axis) (*out_dom_map)[iv] = iv->dom;
}

Stmt BaseComputeOpNode::BuildRealize(const Stage& stage, const IterVarRangeMap& realize_map, const Stmt& body,
                                     String storage_scope) const {
  Array<Range> bounds;
  for (const IterVar& iv : axis) {
    auto it = realize_map.find(iv);
    TVM_CHECK(it != realize_map.end(), "InternalError")
        << "no inferred range for axis " << AxisName(iv) << " of " << name;
    bounds.push_back(it->second);
  }
  Stmt realize = body;
  for (int k = stage->op->num_outputs(); k > 0; --k) {
    Tensor t = stage->op.output(k - 1);
    realize = ProducerRealize(t, bounds, const_true(), realize, storage_scope);
    // storage_align: the dimension's stride is padded (StorageFlatten reads this).
    for (size_t i = 0; i < num_schedulable_dims(); ++i) {
      auto attr = stage->iter_var_attrs.Get(axis[i]);
      if (!attr.has_value() || (*attr)->dim_align_factor == 0) continue;
      Array<PrimExpr> tuple{make_const(DataType::Int(32), static_cast<int64_t>(i)),
                            make_const(DataType::Int(32), (*attr)->dim_align_factor),
                            make_const(DataType::Int(32), (*attr)->dim_align_offset)};
      realize = AttrStmt(t, tir::attr::buffer_dim_align, Call(DataType::Handle(), builtin::tvm_tuple(), tuple), realize);
    }
  }
  return realize;
}

// ---------------------------------------------------------------------------
// ComputeOpNode

Array<Tensor> ComputeOpNode::InputTensors() const {
  if (const auto* reduce = body[0].as<ReduceNode>()) {
    // The outputs of a tuple reduction share one source: read it once.
    Array<PrimExpr> exprs = reduce->source;
    exprs.push_back(reduce->condition);
    for (const PrimExpr& e : reduce->init) exprs.push_back(e);
    return CollectInputTensors(exprs);
  }
  return CollectInputTensors(body);
}

Operation ComputeOpNode::ReplaceInputs(const Operation& self, const TensorReplaceMap& rmap) const {
  Array<PrimExpr> new_body;
  bool changed = false;
  if (body[0].as<ReduceNode>()) {
    // The outputs of a tuple reduction stay one reduction: rewrite it once.
    PrimExpr r0 = ReplaceTensor(body[0], rmap);
    if (!r0.same_as(body[0])) {
      changed = true;
      const auto* nr = r0.as<ReduceNode>();
      for (size_t i = 0; i < body.size(); ++i) {
        new_body.push_back(Reduce(nr->combiner, nr->source, nr->axis, nr->condition, static_cast<int>(i), nr->init));
      }
    }
  } else {
    for (const PrimExpr& e : body) {
      PrimExpr ne = ReplaceTensor(e, rmap);
      changed = changed || !ne.same_as(e);
      new_body.push_back(ne);
    }
  }
  if (!changed) return self;
  auto n = make_object<ComputeOpNode>(*this);
  n->body = new_body;
  return Operation(n);
}

void ComputeOpNode::PropBoundToInputs(const Operation& self, arith::Analyzer* analyzer,
                                      const std::unordered_map<const VarNode*, IntSet>& dom_map,
                                      TensorMap<TensorDom>* out_dom_map) const {
  auto visit = [&](const ObjectRef& n) {
    const auto* load = n.as<ProducerLoadNode>();
    if (load == nullptr) return;
    Tensor t = Downcast<Tensor>(load->producer);
    auto it = out_dom_map->find(t);
    if (it == out_dom_map->end()) return;
    TensorDom& dom = it->second;
    for (size_t i = 0; i < t.ndim() && i < load->indices.size(); ++i) {
      IntSet s = arith::EvalSet(load->indices[i], dom_map);
      // A read of the whole extent or more (a padded stencil guarded by a
      // condition) needs exactly the tensor: clamp to its shape.
      PrimExpr lo = s.min(), hi = s.max();
      PrimExpr shape_max = t->shape[i] - make_const(t->shape[i].dtype(), 1);
      bool unbounded = !s.HasLowerBound() && !s.HasUpperBound();
      bool covers = s.HasLowerBound() && s.HasUpperBound() && lo.dtype() == shape_max.dtype() &&
                    hi.dtype() == shape_max.dtype() && analyzer->CanProve(lo <= 0) &&
                    analyzer->CanProve(hi >= shape_max);
      if (unbounded || covers) {
        dom.data[i].push_back(IntSet::FromMinExtent(make_zero(t->shape[i].dtype()), t->shape[i]));
      } else {
        dom.data[i].push_back(s);
      }
    }
  };
  for (const PrimExpr& e : body) PostOrderVisit(e, visit);
}

ComputeLoopNest ComputeLoopNest::Create(const BaseComputeOpNode* self, const Stage& stage,
                                        const IterVarRangeMap& dom_map, bool debug_keep_trivial_loop) {
  ComputeLoopNest ret;
  ret.main_nest = MakeLoopNest(stage, dom_map, 0, false, {}, &ret.main_vmap, debug_keep_trivial_loop);
  ret.main_predicates = MakeBoundCheck(stage, dom_map, ret.main_vmap, false, {});
  for (PrimExpr& e : ret.main_predicates) e = likely(e);
  if (stage->store_predicate.defined()) ret.main_predicates.push_back(stage->store_predicate);
  if (self->reduce_axis.empty()) {
    ret.num_common_loop = stage->leaf_iter_vars.size();
    return ret;
  }
  // 1: derived from a data-parallel axis, 2: from a reduction axis.
  IterVarIntMap kind;
  for (const IterVar& iv : self->reduce_axis) kind[iv] = 2;
  for (size_t i = 0; i < self->num_schedulable_dims(); ++i) kind[self->axis[i]] = 1;
  PassDownBitMaskOr(stage, &kind);
  size_t first_reduce = stage->leaf_iter_vars.size();
  for (size_t i = 0; i < stage->leaf_iter_vars.size(); ++i) {
    const IterVar& iv = stage->leaf_iter_vars[i];
    auto it = kind.find(iv);
    if (it != kind.end() && (it->second & 2) != 0) {
      first_reduce = i;
      break;
    }
    ret.init_vmap[iv] = ret.main_vmap.at(iv);
  }
  ret.num_common_loop = first_reduce;
  IterVarSet reduce_only;
  for (const auto& kv : kind) {
    if (kv.second == 2) reduce_only.insert(kv.first);
  }
  ret.init_nest = MakeLoopNest(stage, dom_map, first_reduce, true, reduce_only, &ret.init_vmap,
                               debug_keep_trivial_loop);
  ret.init_predicates = MakeBoundCheck(stage, dom_map, ret.init_vmap, true, reduce_only);
  for (PrimExpr& e : ret.init_predicates) e = likely(e);
  return ret;
}

void MakeReduction(const ComputeOpNode* op, const Array<Tensor>& tensors, Stmt* init, Stmt* provide) {
  Array<PrimExpr> args;
  for (const IterVar& iv : op->axis) args.push_back(iv->var);
  const auto* reduce = op->body[0].as<ReduceNode>();
  ICHECK(reduce != nullptr);
  size_t size = op->body.size();
  Array<PrimExpr> lhs;
  for (size_t i = 0; i < size; ++i) lhs.push_back(ProducerLoad(tensors[i], args));
  Array<PrimExpr> init_value = reduce->init.empty() ? reduce->combiner->identity_element : reduce->init;
  Array<PrimExpr> update = (*reduce->combiner.operator->())(lhs, reduce->source);
  std::vector<Stmt> inits, provides;
  for (size_t i = 0; i < size; ++i) inits.push_back(ProducerStore(tensors[i], init_value[i], args));
  if (size == 1) {
    provides.push_back(ProducerStore(tensors[0], update[0], args));
    *provide = provides[0];
  } else {
    // Every new value reads the old values of all outputs: compute them all before storing any.
    std::vector<Var> temps;
    for (size_t i = 0; i < size; ++i) {
      temps.emplace_back(tensors[i]->GetNameHint() + ".next", update[i].dtype());
      provides.push_back(ProducerStore(tensors[i], temps.back(), args));
    }
    Stmt body = SeqStmt::Flatten(provides);
    for (size_t i = size; i != 0; --i) body = LetStmt(temps[i - 1], update[i - 1], body);
    *provide = body;
  }
  *init = SeqStmt::Flatten(inits);
  if (!is_one(reduce->condition)) *provide = IfThenElse(reduce->condition, *provide);
}

namespace {

/*! A reduction over no axes (rfactor of a stage's only reduction axis leaves
 * one in the factored stage) combines its source once with the initial value;
 * code generation has no Reduce node, so write that value directly. */
PrimExpr ReduceOverNoAxes(const PrimExpr& body) {
  const auto* reduce = body.as<ReduceNode>();
  if (reduce == nullptr || !reduce->axis.empty()) return body;
  int index = reduce->value_index;
  if (reduce->init.empty()) {
    PrimExpr identity = reduce->combiner->identity_element[index];
    PrimExpr value = reduce->source[index];
    return is_one(reduce->condition) ? value : Select(reduce->condition, value, identity);
  }
  PrimExpr value = (*reduce->combiner.operator->())(reduce->init, reduce->source)[index];
  return is_one(reduce->condition) ? value : Select(reduce->condition, value, reduce->init[index]);
}

enum class ComputeKind { kNormal, kCrossThreadReduction, kTensorize };

ComputeKind DetectComputeKind(const ComputeOpNode* self, const Stage& stage) {
  int thread_reduce = 0, tensorize = 0;
  for (const IterVar& iv : stage->leaf_iter_vars) {
    auto attr = stage->iter_var_attrs.Get(iv);
    if (attr.has_value() && (*attr)->iter_type == kTensorized) ++tensorize;
    if (iv->iter_type == kCommReduce) {
      if (attr.has_value() && (*attr)->bind_thread.defined()) ++thread_reduce;
    } else {
      TVM_CHECK(thread_reduce == 0, "ValueError")
          << "stage " << StageName(stage) << ": data-parallel axis " << AxisName(iv)
          << " is inside a reduction axis bound to a thread; thread-bound reduction axes must be innermost";
    }
  }
  if (tensorize != 0) {
    TVM_CHECK(thread_reduce == 0, "ValueError")
        << "stage " << StageName(stage) << ": tensorize cannot be combined with a thread-bound reduction";
    return ComputeKind::kTensorize;
  }
  return thread_reduce != 0 ? ComputeKind::kCrossThreadReduction : ComputeKind::kNormal;
}

Stmt MakeComputeStmt(const ComputeOpNode* self, const Stage& stage, const IterVarRangeMap& dom_map,
                     bool debug_keep_trivial_loop) {
  ComputeLoopNest n = ComputeLoopNest::Create(self, stage, dom_map, debug_keep_trivial_loop);
  n.init_nest.push_back(MakeIfNest(n.init_predicates));
  n.main_nest.push_back(MakeIfNest(n.main_predicates));
  if (!self->reduce_axis.empty()) {
    Array<Tensor> outputs;
    for (size_t i = 0; i < self->body.size(); ++i) outputs.push_back(stage->op.output(i));
    Stmt init, provide;
    MakeReduction(self, outputs, &init, &provide);
    init = Substitute(MergeNest(n.init_nest, init), n.init_vmap);
    std::vector<std::vector<Stmt>> common(n.main_nest.begin(), n.main_nest.begin() + n.num_common_loop + 1);
    std::vector<std::vector<Stmt>> reduce(n.main_nest.begin() + n.num_common_loop + 1, n.main_nest.end());
    provide = MergeNest(reduce, provide);
    if (debug_keep_trivial_loop) {
      provide = MergeNest(common, provide);
    } else {
      provide = MergeNest(common, SeqStmt::Flatten(init, provide));
    }
    // Substitute over the whole nest: guards may read outer loops.
    return Substitute(provide, n.main_vmap);
  }
  Array<PrimExpr> args;
  for (const IterVar& iv : self->axis) args.push_back(iv->var);
  std::vector<Stmt> stores;
  for (size_t i = 0; i < self->body.size(); ++i) {
    stores.push_back(ProducerStore(stage->op.output(i), ReduceOverNoAxes(self->body[i]), args));
  }
  Stmt provide = MergeNest(n.main_nest, SeqStmt::Flatten(stores));
  return Substitute(provide, n.main_vmap);
}

}  // namespace

Stmt ComputeOpNode::BuildProvide(const Stage& stage, const IterVarRangeMap& dom_map,
                                 bool debug_keep_trivial_loop) const {
  switch (DetectComputeKind(this, stage)) {
    case ComputeKind::kCrossThreadReduction:
      return MakeCrossThreadReduction(this, stage, dom_map, debug_keep_trivial_loop);
    case ComputeKind::kTensorize:
      return MakeTensorize(this, stage, dom_map, debug_keep_trivial_loop);
    default:
      return MakeComputeStmt(this, stage, dom_map, debug_keep_trivial_loop);
  }
}

// ---------------------------------------------------------------------------
// Registration

TVM_REGISTER_NODE_TYPE(ComputeOpNode);

namespace {

const int kComputePrinter = ReprPrinter::Register<ComputeOpNode>([](const ObjectRef& node, ReprPrinter* p) {
  const auto* op = static_cast<const ComputeOpNode*>(node.get());
  p->stream << "compute(" << op->name << ", body=[";
  for (size_t i = 0; i < op->body.size(); ++i) {
    if (i) p->stream << ", ";
    p->Print(op->body[i]);
  }
  p->stream << "], axis=[";
  for (size_t i = 0; i < op->axis.size(); ++i) {
    if (i) p->stream << ", ";
    p->Print(op->axis[i]);
  }
  p->stream << "], reduce_axis=[";
  for (size_t i = 0; i < op->reduce_axis.size(); ++i) {
    if (i) p->stream << ", ";
    p->Print(op->reduce_axis[i]);
  }
  p->stream << "], tag=" << op->tag << ", attrs=";
  p->Print(op->attrs);
  p->stream << ")";
});

}  // namespace

TVM_REGISTER_GLOBAL("te.ComputeOp")
    .set_body_typed([](std::string name, std::string tag, std::optional<Map<String, ObjectRef>> attrs,
                       Array<IterVar> axis, Array<PrimExpr> body) {
      return ComputeOp(name, tag, attrs.value_or(Map<String, ObjectRef>()), axis, body);
    });

}  // namespace te
}  // namespace tvm
