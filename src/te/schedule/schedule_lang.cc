/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/te/schedule/schedule_lang.cc
 * \brief The schedule primitives: how a stage's loops are split, fused,
 *  reordered and annotated, and where the stage is computed. Nothing here
 *  builds loops; the primitives record relations and attributes that
 *  InferBound and ScheduleOps read.
 *
 * Every primitive checks its arguments first and throws an error naming the
 * primitive, the stage and the axis, leaving the schedule unchanged.
 */
#include <tvm/ir/repr_printer.h>
#include <tvm/ir/transform.h>
#include <tvm/runtime/registry.h>
#include <tvm/te/schedule.h>
#include <tvm/tir/op.h>

#include <algorithm>
#include <functional>
#include <unordered_set>

#include "../operation/op_utils.h"
#include "graph.h"

namespace tvm {
namespace te {

// ---------------------------------------------------------------------------
// Relations

Split::Split(IterVar parent, IterVar outer, IterVar inner, PrimExpr factor, PrimExpr nparts) {
  auto n = make_object<SplitNode>();
  n->parent = std::move(parent);
  n->outer = std::move(outer);
  n->inner = std::move(inner);
  n->factor = std::move(factor);
  n->nparts = std::move(nparts);
  data_ = std::move(n);
}

Fuse::Fuse(IterVar outer, IterVar inner, IterVar fused) {
  auto n = make_object<FuseNode>();
  n->outer = std::move(outer);
  n->inner = std::move(inner);
  n->fused = std::move(fused);
  data_ = std::move(n);
}

Rebase::Rebase(IterVar parent, IterVar rebased) {
  auto n = make_object<RebaseNode>();
  n->parent = std::move(parent);
  n->rebased = std::move(rebased);
  data_ = std::move(n);
}

Singleton::Singleton(IterVar iter) {
  auto n = make_object<SingletonNode>();
  n->iter = std::move(iter);
  data_ = std::move(n);
}

TensorIntrin::TensorIntrin(std::string name, Operation op, Array<Tensor> inputs, Array<Buffer> buffers,
                           Array<Var> scalar_params, Stmt body, Stmt reduce_init, Stmt reduce_update) {
  auto n = make_object<TensorIntrinNode>();
  n->name = std::move(name);
  n->op = std::move(op);
  n->inputs = std::move(inputs);
  n->buffers = std::move(buffers);
  n->scalar_params = std::move(scalar_params);
  n->body = std::move(body);
  n->reduce_init = std::move(reduce_init);
  n->reduce_update = std::move(reduce_update);
  data_ = std::move(n);
}

// ---------------------------------------------------------------------------
// Stage

bool StageNode::is_scheduled() const {
  if (!op.defined() || op.as<PlaceholderOpNode>()) return false;
  return attach_type != kInline && attach_type != kInlinedAlready;
}

namespace {

/*! \brief Record a primitive applied to `stage` in its schedule (te.keep_schedule_record). */
void RecordPrimitive(const Stage& stage, const char* name) {
  if (stage->attach_sch != nullptr) stage->attach_sch->RecordPrimitive(name);
}

}  // namespace

Stage::Stage(Operation op) {
  auto n = make_object<StageNode>();
  n->op = op;
  n->origin_op = op;
  n->all_iter_vars = op->root_iter_vars();
  Array<IterVar> leaves;
  for (const IterVar& iv : n->all_iter_vars) {
    if (iv->iter_type != kOpaque) leaves.push_back(iv);
  }
  n->leaf_iter_vars = leaves.size() == n->all_iter_vars.size() ? n->all_iter_vars : leaves;
  data_ = std::move(n);
}

Stage Stage::GetAttachSpec() const {
  Stage spec = *this;
  while (spec->attach_type == kGroupRoot && spec->group.defined()) spec = Downcast<Stage>(spec->group);
  return spec;
}

namespace {

bool Contains(const Array<IterVar>& vars, const IterVar& iv) {
  for (const IterVar& v : vars) {
    if (v.same_as(iv)) return true;
  }
  return false;
}

/*! \brief The position of iv among the stage's loops; throws naming the primitive, stage and axis. */
size_t LeafPosition(const StageNode* self, const IterVar& iv, const char* primitive) {
  Stage stage = GetRef<Stage>(self);
  TVM_CHECK(iv.defined(), "ValueError") << primitive << ": undefined axis for stage " << StageName(stage);
  for (size_t i = 0; i < self->leaf_iter_vars.size(); ++i) {
    if (self->leaf_iter_vars[i].same_as(iv)) return i;
  }
  if (Contains(self->all_iter_vars, iv)) {
    TVM_CHECK(false, "ValueError") << primitive << ": axis " << AxisName(iv) << " of stage " << StageName(stage)
                                   << " has already been split or fused; use the axes that replaced it";
  }
  TVM_CHECK(false, "ValueError") << primitive << ": axis " << AxisName(iv) << " is not an axis of stage "
                                 << StageName(stage)
                                 << " (it belongs to another stage; use s[" << StageName(stage)
                                 << "].op.axis or the axes returned by this stage's primitives)";
  return 0;
}

/*! \brief Update (a copy of) the annotation of iv. */
void UpdateIterVarAttr(StageNode* self, const IterVar& iv, const std::function<void(IterVarAttrNode*)>& update,
                       const char* primitive, bool need_leaf = true) {
  if (need_leaf) LeafPosition(self, iv, primitive);
  ObjectPtr<IterVarAttrNode> n;
  if (auto existing = self->iter_var_attrs.Get(iv)) {
    n = make_object<IterVarAttrNode>(*existing->operator->());
  } else {
    n = make_object<IterVarAttrNode>();
  }
  update(n.get());
  self->iter_var_attrs.Set(iv, IterVarAttr(n));
}

void SetLoopKind(StageNode* self, const IterVar& iv, IterVarType kind, const char* primitive) {
  Stage stage = GetRef<Stage>(self);
  LeafPosition(self, iv, primitive);
  if (kind != kUnrolled) {
    TVM_CHECK(iv->iter_type != kCommReduce, "ValueError")
        << primitive << ": axis " << AxisName(iv) << " of stage " << StageName(stage)
        << " is a reduction axis; only data-parallel axes can be " << (kind == kVectorized ? "vectorized" : "parallelized")
        << " (use rfactor to make a reduction axis data-parallel)";
  }
  if (auto a = self->iter_var_attrs.Get(iv)) {
    TVM_CHECK(!(*a)->bind_thread.defined(), "ValueError")
        << primitive << ": axis " << AxisName(iv) << " of stage " << StageName(stage) << " is bound to "
        << (*a)->bind_thread->thread_tag;
  }
  UpdateIterVarAttr(self, iv, [kind](IterVarAttrNode* n) { n->iter_type = kind; }, primitive);
}

void CheckSplittable(const StageNode* self, const IterVar& parent, const char* primitive) {
  Stage stage = GetRef<Stage>(self);
  TVM_CHECK(parent->iter_type == kDataPar || parent->iter_type == kCommReduce || parent->iter_type == kOrdered,
            "ValueError")
      << primitive << ": cannot split axis " << AxisName(parent) << " of stage " << StageName(stage) << " ("
      << IterVarType2String(parent->iter_type) << ")";
  if (auto a = self->iter_var_attrs.Get(parent)) {
    TVM_CHECK(!(*a)->bind_thread.defined(), "ValueError")
        << primitive << ": axis " << AxisName(parent) << " of stage " << StageName(stage)
        << " is bound to a thread and cannot be split";
  }
}

void CheckPositive(const PrimExpr& value, const char* what, const char* primitive, const StageNode* self,
                   const IterVar& parent) {
  Stage stage = GetRef<Stage>(self);
  TVM_CHECK(value.defined() && (value.dtype().is_int() || value.dtype().is_uint()), "TypeError")
      << primitive << ": the " << what << " for axis " << AxisName(parent) << " of stage " << StageName(stage)
      << " must be an integer";
  if (auto v = as_const_int(value)) {
    TVM_CHECK(*v > 0, "ValueError") << primitive << ": the " << what << " for axis " << AxisName(parent)
                                    << " of stage " << StageName(stage) << " must be positive, got " << *v;
  }
}

void DoSplit(StageNode* self, const IterVar& parent, PrimExpr factor, PrimExpr nparts, IterVar* p_outer,
             IterVar* p_inner) {
  size_t pos = LeafPosition(self, parent, "split");
  CheckSplittable(self, parent, "split");
  DataType t = parent->var.dtype();
  if (factor.defined() && factor.dtype() != t) factor = cast(t, factor);
  if (nparts.defined() && nparts.dtype() != t) nparts = cast(t, nparts);
  IterVar outer(Range(), parent->var.copy_with_suffix(".outer"), parent->iter_type);
  IterVar inner(Range(), parent->var.copy_with_suffix(".inner"), parent->iter_type);
  self->relations.push_back(Split(parent, outer, inner, factor, nparts));
  self->all_iter_vars.push_back(outer);
  self->all_iter_vars.push_back(inner);
  self->leaf_iter_vars.erase(self->leaf_iter_vars.begin() + pos);
  self->leaf_iter_vars.insert(self->leaf_iter_vars.begin() + pos, inner);
  self->leaf_iter_vars.insert(self->leaf_iter_vars.begin() + pos, outer);
  *p_outer = outer;
  *p_inner = inner;
}


}  // namespace

Stage& Stage::set_scope(std::string scope) {
  (*this)->scope = std::move(scope);
  RecordPrimitive(*this, "set_scope");
  return *this;
}

Stage& Stage::compute_at(Stage parent, IterVar scope) {
  StageNode* self = operator->();
  TVM_CHECK(parent.defined(), "ValueError") << "compute_at: no target stage for stage " << StageName(*this);
  TVM_CHECK(!self->op.defined() || !self->op.as<PlaceholderOpNode>(), "ValueError")
      << "compute_at: stage " << StageName(*this) << " is an input (placeholder); it is not computed";
  TVM_CHECK(self->attach_type != kScanUpdate, "ValueError")
      << "compute_at: stage " << StageName(*this) << " is a scan update";
  bool is_loop = false;
  for (const IterVar& iv : parent->leaf_iter_vars) is_loop = is_loop || iv.same_as(scope);
  if (!is_loop) {
    TVM_CHECK(!Contains(parent->all_iter_vars, scope), "ValueError")
        << "compute_at: axis " << AxisName(scope) << " of stage " << StageName(parent)
        << " has already been split or fused; compute stage " << StageName(*this)
        << " at one of the axes that replaced it";
    TVM_CHECK(false, "ValueError") << "compute_at: axis " << AxisName(scope) << " is not a loop of stage "
                                   << StageName(parent) << " (stage " << StageName(*this)
                                   << " must be computed at a loop of the stage it is attached to)";
  }
  // Whether the target is a consumer (and not the stage itself, nor the
  // stage an output) is checked when the schedule is lowered
  // (ValidateComputeAt): later primitives may still change the graph.
  // Groups: the target must be inside the stage's group.
  if (self->group.defined()) {
    Stage pg = parent->group.defined() ? Downcast<Stage>(parent->group) : Stage();
    while (pg.defined() && !pg.same_as(self->group)) pg = pg->group.defined() ? Downcast<Stage>(pg->group) : Stage();
    TVM_CHECK(pg.same_as(self->group), "ValueError")
        << "compute_at: stage " << StageName(*this) << " is in a group and can only be computed at stages of "
        << "that group";
  }
  self->attach_type = kScope;
  self->attach_ivar = scope;
  self->attach_stage = parent;
  RecordPrimitive(*this, "compute_at");
  return *this;
}

Stage& Stage::compute_inline() {
  StageNode* self = operator->();
  TVM_CHECK(self->op.defined(), "ValueError") << "compute_inline: a group cannot be inlined";
  const auto* compute = self->op.as<ComputeOpNode>();
  TVM_CHECK(compute != nullptr, "ValueError")
      << "compute_inline: stage " << StageName(*this) << " is a " << self->op->GetTypeKey()
      << "; only te.compute stages can be inlined";
  if (!compute->reduce_axis.empty()) {
    TVM_CHECK(false, "ValueError") << "compute_inline: stage " << StageName(*this) << " is a reduction (over "
                                   << AxisName(compute->reduce_axis[0])
                                   << ") and cannot be inlined; compute it at a loop of its consumer instead";
  }
  TVM_CHECK(compute->body.size() == 1, "ValueError")
      << "compute_inline: stage " << StageName(*this) << " has " << compute->body.size()
      << " outputs; only single-output computes can be inlined";
  TVM_CHECK(!self->is_output, "ValueError")
      << "compute_inline: stage " << StageName(*this) << " is an output of the schedule and cannot be inlined";
  TVM_CHECK(self->attach_type != kScanUpdate, "ValueError")
      << "compute_inline: stage " << StageName(*this) << " is a scan update";
  self->attach_type = kInline;
  RecordPrimitive(*this, "compute_inline");
  return *this;
}

Stage& Stage::compute_root() {
  StageNode* self = operator->();
  TVM_CHECK(self->attach_type != kScanUpdate, "ValueError")
      << "compute_root: stage " << StageName(*this) << " is a scan update";
  self->attach_type = kGroupRoot;
  self->attach_ivar = IterVar();
  self->attach_stage = ObjectRef();
  RecordPrimitive(*this, "compute_root");
  return *this;
}

Stage& Stage::bind(IterVar ivar, IterVar thread_ivar) {
  StageNode* self = operator->();
  LeafPosition(self, ivar, "bind");
  TVM_CHECK(thread_ivar.defined() && thread_ivar->iter_type == kThreadIndex && !thread_ivar->thread_tag.empty(),
            "ValueError")
      << "bind: axis " << AxisName(ivar) << " of stage " << StageName(*this)
      << " can only be bound to a thread axis (te.thread_axis(\"threadIdx.x\"), \"blockIdx.x\", \"vthread\", ...)";
  TVM_CHECK(ivar->iter_type == kDataPar || ivar->iter_type == kCommReduce, "ValueError")
      << "bind: axis " << AxisName(ivar) << " of stage " << StageName(*this) << " ("
      << IterVarType2String(ivar->iter_type) << ") cannot be bound to a thread";
  if (auto a = self->iter_var_attrs.Get(ivar)) {
    const IterVar& old = (*a)->bind_thread;
    TVM_CHECK(!old.defined() || old.same_as(thread_ivar), "ValueError")
        << "bind: axis " << AxisName(ivar) << " of stage " << StageName(*this) << " is already bound to "
        << old->thread_tag << "; an axis can be bound to one thread only";
    TVM_CHECK((*a)->iter_type == kDataPar || (*a)->iter_type == kCommReduce, "ValueError")
        << "bind: axis " << AxisName(ivar) << " of stage " << StageName(*this) << " is "
        << IterVarType2String((*a)->iter_type) << " and cannot also be bound to a thread";
  }
  for (const auto& kv : self->iter_var_attrs) {
    if (kv.first.same_as(ivar)) continue;
    TVM_CHECK(!kv.second->bind_thread.same_as(thread_ivar) || !Contains(self->leaf_iter_vars, kv.first), "ValueError")
        << "bind: thread " << thread_ivar->thread_tag << " is already bound to axis " << AxisName(kv.first)
        << " of stage " << StageName(*this) << "; it cannot also be bound to axis " << AxisName(ivar);
  }
  UpdateIterVarAttr(self, ivar, [&thread_ivar](IterVarAttrNode* n) { n->bind_thread = thread_ivar; }, "bind");
  RecordPrimitive(*this, "bind");
  return *this;
}

Stage& Stage::set_store_predicate(PrimExpr predicate) {
  TVM_CHECK(!predicate.defined() || predicate.dtype().is_bool(), "TypeError")
      << "set_store_predicate: the predicate of stage " << StageName(*this) << " must be a boolean expression";
  (*this)->store_predicate = std::move(predicate);
  RecordPrimitive(*this, "set_store_predicate");
  return *this;
}

Stage& Stage::env_threads(Array<IterVar> threads) {
  StageNode* self = operator->();
  TVM_CHECK(self->env_threads.empty(), "ValueError")
      << "env_threads: stage " << StageName(*this) << " already has environment threads";
  for (const IterVar& iv : threads) {
    TVM_CHECK(iv->iter_type == kThreadIndex && !iv->thread_tag.empty() && iv->dom.defined(), "ValueError")
        << "env_threads: " << AxisName(iv) << " must be a thread axis with a domain";
  }
  Array<IterVar> leaves = threads;
  for (const IterVar& iv : self->leaf_iter_vars) leaves.push_back(iv);
  self->leaf_iter_vars = leaves;
  for (const IterVar& iv : threads) self->all_iter_vars.push_back(iv);
  self->env_threads = threads;
  RecordPrimitive(*this, "env_threads");
  return *this;
}

Stage& Stage::split(IterVar parent, PrimExpr factor, IterVar* p_outer, IterVar* p_inner) {
  StageNode* self = operator->();
  LeafPosition(self, parent, "split");
  CheckPositive(factor, "factor", "split", self, parent);
  DoSplit(self, parent, factor, PrimExpr(), p_outer, p_inner);
  RecordPrimitive(*this, "split");
  return *this;
}

Stage& Stage::split_by_nparts(IterVar parent, PrimExpr nparts, IterVar* p_outer, IterVar* p_inner) {
  StageNode* self = operator->();
  LeafPosition(self, parent, "split");
  CheckPositive(nparts, "nparts", "split", self, parent);
  DoSplit(self, parent, PrimExpr(), nparts, p_outer, p_inner);
  RecordPrimitive(*this, "split");
  return *this;
}

Stage& Stage::fuse(IterVar outer, IterVar inner, IterVar* p_target) {
  StageNode* self = operator->();
  size_t pos_outer = LeafPosition(self, outer, "fuse");
  size_t pos_inner = LeafPosition(self, inner, "fuse");
  auto fusable = [](const IterVar& iv) {
    return iv->iter_type == kDataPar || iv->iter_type == kCommReduce || iv->iter_type == kOrdered;
  };
  TVM_CHECK(fusable(outer) && fusable(inner), "ValueError")
      << "fuse: axes " << AxisName(outer) << " and " << AxisName(inner) << " of stage " << StageName(*this)
      << " cannot be fused (" << IterVarType2String(outer->iter_type) << ", "
      << IterVarType2String(inner->iter_type) << ")";
  TVM_CHECK(!outer.same_as(inner), "ValueError")
      << "fuse: axis " << AxisName(outer) << " of stage " << StageName(*this) << " is given twice";
  TVM_CHECK(pos_inner == pos_outer + 1, "ValueError")
      << "fuse: axes " << AxisName(outer) << " and " << AxisName(inner) << " of stage " << StageName(*this)
      << " are not adjacent loops (" << AxisName(outer) << " is loop " << pos_outer << " and " << AxisName(inner)
      << " is loop " << pos_inner << "); only adjacent loops, outer first, can be fused (reorder first)";
  for (const IterVar& iv : {outer, inner}) {
    if (auto a = self->iter_var_attrs.Get(iv)) {
      TVM_CHECK(!(*a)->bind_thread.defined(), "ValueError")
          << "fuse: axis " << AxisName(iv) << " of stage " << StageName(*this) << " is bound to a thread";
    }
  }
  IterVarType type = outer->iter_type;
  if (inner->iter_type > type) type = inner->iter_type;
  DataType dtype = outer->var.dtype().bits() >= inner->var.dtype().bits() ? outer->var.dtype() : inner->var.dtype();
  std::string name = outer->var->name_hint + "." + inner->var->name_hint + ".fused";
  IterVar fused(Range(), Var(name, dtype), type);
  self->relations.push_back(Fuse(outer, inner, fused));
  self->all_iter_vars.push_back(fused);
  self->leaf_iter_vars.erase(self->leaf_iter_vars.begin() + pos_inner);
  self->leaf_iter_vars.Set(pos_outer, fused);
  *p_target = fused;
  RecordPrimitive(*this, "fuse");
  return *this;
}

Stage& Stage::fuse(const Array<IterVar>& axes, IterVar* p_target) {
  StageNode* self = operator->();
  if (axes.empty()) {
    IterVar singleton(Range::FromMinExtent(0, 1), Var("singleton", DataType::Int(32)), kDataPar);
    self->relations.push_back(Singleton(singleton));
    self->all_iter_vars.push_back(singleton);
    self->leaf_iter_vars.insert(self->leaf_iter_vars.begin(), singleton);
    *p_target = singleton;
    return *this;
  }
  for (size_t i = 0; i < axes.size(); ++i) {
    for (size_t j = i + 1; j < axes.size(); ++j) {
      TVM_CHECK(!axes[i].same_as(axes[j]), "ValueError")
          << "fuse: axis " << AxisName(axes[i]) << " of stage " << StageName(*this) << " is given twice";
    }
  }
  IterVar fused = axes[0];
  for (size_t i = 1; i < axes.size(); ++i) fuse(fused, axes[i], &fused);
  if (axes.size() == 1) LeafPosition(self, fused, "fuse");
  *p_target = fused;
  return *this;
}

Stage& Stage::reorder(const Array<IterVar>& order) {
  StageNode* self = operator->();
  std::vector<size_t> positions;
  for (size_t i = 0; i < order.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      TVM_CHECK(!order[i].same_as(order[j]), "ValueError")
          << "reorder: axis " << AxisName(order[i]) << " of stage " << StageName(*this)
          << " appears more than once in the new order";
    }
    positions.push_back(LeafPosition(self, order[i], "reorder"));
  }
  std::vector<size_t> sorted = positions;
  std::sort(sorted.begin(), sorted.end());
  Array<IterVar> leaves = self->leaf_iter_vars;
  for (size_t i = 0; i < sorted.size(); ++i) leaves.Set(sorted[i], order[i]);
  self->leaf_iter_vars = leaves;
  RecordPrimitive(*this, "reorder");
  return *this;
}

Stage& Stage::tile(IterVar x_parent, IterVar y_parent, PrimExpr x_factor, PrimExpr y_factor, IterVar* p_x_outer,
                   IterVar* p_y_outer, IterVar* p_x_inner, IterVar* p_y_inner) {
  TVM_CHECK(!x_parent.same_as(y_parent), "ValueError")
      << "tile: axis " << AxisName(x_parent) << " of stage " << StageName(*this) << " is given twice";
  StageNode* self = operator->();
  LeafPosition(self, x_parent, "tile");
  LeafPosition(self, y_parent, "tile");
  CheckPositive(x_factor, "factor", "tile", self, x_parent);
  CheckPositive(y_factor, "factor", "tile", self, y_parent);
  split(x_parent, x_factor, p_x_outer, p_x_inner);
  split(y_parent, y_factor, p_y_outer, p_y_inner);
  reorder({*p_x_outer, *p_y_outer, *p_x_inner, *p_y_inner});
  return *this;
}

Stage& Stage::vectorize(IterVar var) {
  SetLoopKind(operator->(), var, kVectorized, "vectorize");
  RecordPrimitive(*this, "vectorize");
  return *this;
}

Stage& Stage::unroll(IterVar var) {
  SetLoopKind(operator->(), var, kUnrolled, "unroll");
  RecordPrimitive(*this, "unroll");
  return *this;
}

Stage& Stage::parallel(IterVar var) {
  SetLoopKind(operator->(), var, kParallelized, "parallel");
  RecordPrimitive(*this, "parallel");
  return *this;
}

Stage& Stage::tensorize(IterVar var, TensorIntrin f) {
  StageNode* self = operator->();
  TVM_CHECK(f.defined(), "ValueError") << "tensorize: no intrinsic given for stage " << StageName(*this);
  bool is_tensor_compute = self->op.as<TensorComputeOpNode>() != nullptr;
  TVM_CHECK(self->op.as<ComputeOpNode>() != nullptr || is_tensor_compute, "ValueError")
      << "tensorize: stage " << StageName(*this) << " is not a te.compute stage";
  // A stage that already calls a tensor intrinsic keeps its loops (as in TVM,
  // where such a schedule lowers unchanged); say so instead of failing.
  if (is_tensor_compute) {
    TVM_LOG_WARNING << "tensorize: stage " << StageName(*this)
                    << " already computes with a tensor intrinsic; its loop " << AxisName(var) << " stays a loop";
  }
  UpdateIterVarAttr(
      self, var,
      [&f](IterVarAttrNode* n) {
        n->iter_type = kTensorized;
        n->tensor_intrin = f;
      },
      "tensorize");
  RecordPrimitive(*this, "tensorize");
  return *this;
}

Stage& Stage::pragma(IterVar var, const std::string& pragma_type, const PrimExpr& pragma_value) {
  if (pragma_type == "unroll") return unroll(var);
  if (pragma_type == "vectorize") return vectorize(var);
  UpdateIterVarAttr(
      operator->(), var,
      [&](IterVarAttrNode* n) {
        n->pragma_keys.push_back(tir::StringImm(pragma_type));
        n->pragma_values.push_back(pragma_value);
      },
      "pragma");
  RecordPrimitive(*this, "pragma");
  return *this;
}

Stage& Stage::prefetch(const Tensor& tensor, IterVar var, PrimExpr offset) {
  UpdateIterVarAttr(
      operator->(), var,
      [&](IterVarAttrNode* n) {
        n->prefetch_data.push_back(tensor);
        n->prefetch_offset.push_back(offset);
      },
      "prefetch");
  RecordPrimitive(*this, "prefetch");
  return *this;
}

Stage& Stage::storage_align(IterVar axis, int factor, int offset) {
  StageNode* self = operator->();
  const auto* compute = self->op.as<BaseComputeOpNode>();
  TVM_CHECK(compute != nullptr && Contains(compute->axis, axis), "ValueError")
      << "storage_align: axis " << AxisName(axis) << " is not a dimension of the output of stage "
      << StageName(*this) << " (use s[" << StageName(*this) << "].op.axis)";
  TVM_CHECK(factor > 0, "ValueError") << "storage_align: factor for axis " << AxisName(axis) << " of stage "
                                      << StageName(*this) << " must be positive, got " << factor;
  UpdateIterVarAttr(
      self, axis,
      [factor, offset](IterVarAttrNode* n) {
        n->dim_align_factor = factor;
        n->dim_align_offset = offset;
      },
      "storage_align", /*need_leaf=*/false);
  RecordPrimitive(*this, "storage_align");
  return *this;
}

Stage& Stage::double_buffer() {
  StageNode* self = operator->();
  TVM_CHECK(!self->is_output, "ValueError")
      << "double_buffer: stage " << StageName(*this) << " is an output; only intermediate stages can be "
      << "double buffered";
  self->double_buffer = true;
  RecordPrimitive(*this, "double_buffer");
  return *this;
}

// ---------------------------------------------------------------------------
// Schedule

Schedule::Schedule(Array<Operation> ops) {
  auto n = make_object<ScheduleNode>();
  data_ = n;
  n->outputs = ops;
  ReadGraph graph = CreateReadGraph(ops);
  Array<Operation> order = PostDFSOrder(ops, graph);
  std::unordered_set<const Object*> outputs;
  for (const Operation& op : ops) outputs.insert(op.get());
  for (const Operation& op : order) {
    Stage stage(op);
    stage->attach_sch = n.get();
    stage->is_output = outputs.count(op.get()) != 0;
    n->stages.push_back(stage);
    n->stage_map.Set(op, stage);
    if (const auto* scan = op.as<ScanOpNode>()) {
      // The body of a scan is one group, run at every step of the scan's loop.
      std::unordered_map<const Object*, bool> reads_state;
      for (const Tensor& t : scan->state_placeholder) reads_state[t->op.get()] = true;
      std::function<bool(const Operation&)> reads = [&](const Operation& o) {
        auto it = reads_state.find(o.get());
        if (it != reads_state.end()) return it->second;
        bool any = false;
        for (const Tensor& t : o->InputTensors()) any = reads(t.op()) || any;
        return reads_state[o.get()] = any;
      };
      for (const Tensor& t : scan->update) {
        TVM_CHECK(reads(t.op()), "ValueError")
            << "scan " << scan->name << ": update " << t->GetNameHint()
            << " does not read the scan's state (state_placeholder); a step must depend on the previous ones";
      }
      Array<Tensor> inputs = scan->state_placeholder;
      for (const Tensor& t : scan->inputs) inputs.push_back(t);
      Stage group = create_group(scan->update, inputs, false);
      group->attach_type = kScanUpdate;
      group->attach_stage = stage;
    }
  }
  Integer keep = transform::PassContext::Current()->GetConfig<Integer>("te.keep_schedule_record", Integer(0)).value();
  n->keep_schedule_record = keep->value != 0;
  n->RecordPrimitive("vanilla");
}

void ScheduleNode::RecordPrimitive(const std::string& primitive) const {
  if (!keep_schedule_record) return;
  auto* self = const_cast<ScheduleNode*>(this);
  self->schedule_record.push_back(GetRef<Schedule>(this).copy());
  self->primitive_record.push_back(primitive);
}

static const bool kScheduleConfigRegistered = [] {
  transform::PassContext::RegisterConfigOption("te.keep_schedule_record", "IntImm");
  return true;
}();

Stage Schedule::operator[](const Operation& op) {
  TVM_CHECK(op.defined(), "ValueError") << "schedule lookup of an undefined operation";
  if (auto s = (*this)->stage_map.Get(op)) return *s;
  // Also accept the current operation of a stage (after cache_write or rfactor replaced it).
  for (const Stage& s : (*this)->stages) {
    if (s->op.same_as(op)) return s;
  }
  TVM_CHECK(false, "ValueError") << "operation " << op->name << " is not part of this schedule";
  return Stage();
}

bool ScheduleNode::Contain(const Operation& op) const {
  if (stage_map.count(op)) return true;
  for (const Stage& s : stages) {
    if (s->op.same_as(op)) return true;
  }
  return false;
}

void ScheduleNode::InvalidateCache() { op2stage_cache_.clear(); }

void ScheduleNode::InitCache() {
  if (op2stage_cache_.size() == stages.size()) return;
  InvalidateCache();
  for (const Stage& s : stages) {
    if (s->op.defined()) op2stage_cache_[s->op.get()] = s;
  }
}

namespace {

Stage CopyStage(const Stage& s) { return Stage(make_object<StageNode>(*s.operator->())); }

}  // namespace

Schedule Schedule::copy() const {
  const ScheduleNode* self = operator->();
  std::unordered_map<const Object*, Stage> smap;
  auto n = make_object<ScheduleNode>();
  n->outputs = self->outputs;
  for (const Stage& s : self->stages) {
    Stage c = CopyStage(s);
    smap[s.get()] = c;
    n->stages.push_back(c);
  }
  for (const Stage& g : self->groups) {
    Stage c = CopyStage(g);
    smap[g.get()] = c;
    n->groups.push_back(c);
  }
  for (const auto& kv : self->stage_map) n->stage_map.Set(kv.first, smap.at(kv.second.get()));
  auto remap = [&smap](Stage s) {
    StageNode* node = s.operator->();
    if (node->attach_stage.defined()) {
      auto it = smap.find(node->attach_stage.get());
      if (it != smap.end()) node->attach_stage = it->second;
    }
    if (node->group.defined()) {
      auto it = smap.find(node->group.get());
      if (it != smap.end()) node->group = it->second;
    }
  };
  for (const Stage& s : n->stages) remap(s);
  for (const Stage& g : n->groups) remap(g);
  for (Stage s : n->stages) s->attach_sch = n.get();
  for (Stage g : n->groups) g->attach_sch = n.get();
  n->schedule_record = self->schedule_record;
  n->primitive_record = self->primitive_record;
  n->keep_schedule_record = self->keep_schedule_record;
  return Schedule(ObjectPtr<Object>(n));
}

namespace {

Stage ParentGroup(const Stage& s) { return s->group.defined() ? Downcast<Stage>(s->group) : Stage(); }

/*! \brief The innermost group containing both (undefined: the root). */
Stage LeastCommonAncestor(Stage a, Stage b) {
  std::vector<Stage> chain_a, chain_b;
  for (Stage g = a; g.defined(); g = ParentGroup(g)) chain_a.push_back(g);
  for (Stage g = b; g.defined(); g = ParentGroup(g)) chain_b.push_back(g);
  Stage common;
  auto ia = chain_a.rbegin();
  auto ib = chain_b.rbegin();
  for (; ia != chain_a.rend() && ib != chain_b.rend() && ia->same_as(*ib); ++ia, ++ib) common = *ia;
  return common;
}

}  // namespace

Stage Schedule::create_group(const Array<Tensor>& outputs, const Array<Tensor>& inputs, bool include_inputs) {
  ScheduleNode* self = operator->();
  self->InitCache();
  auto stage_of = [self](const Operation& op) {
    auto it = self->op2stage_cache_.find(op.get());
    TVM_CHECK(it != self->op2stage_cache_.end(), "ValueError")
        << "create_group: operation " << op->name << " is not part of this schedule";
    return it->second;
  };
  // Tensors the user holds may be of replaced operations: use the current ones.
  auto current = [&](const Array<Tensor>& ts) {
    Array<Tensor> out;
    for (const Tensor& t : ts) out.push_back((*this)[t.op()]->op.output(t->value_index));
    return out;
  };
  Array<Operation> ops = GetSubGraph(current(outputs), current(inputs), include_inputs);
  TVM_CHECK(!ops.empty(), "ValueError") << "create_group: no operations between the given inputs and outputs";
  Stage parent;
  std::unordered_map<const Object*, int> touched;
  std::vector<Stage> touched_groups;
  for (size_t i = 0; i < ops.size(); ++i) {
    Stage s = stage_of(ops[i]);
    Stage g = ParentGroup(s);
    parent = i == 0 ? g : LeastCommonAncestor(parent, g);
    if (g.defined()) {
      if (touched[g.get()]++ == 0) touched_groups.push_back(g);
    }
  }
  Stage group(make_object<StageNode>());
  group->attach_sch = self;
  group->group = parent;
  if (parent.defined()) ++parent->num_child_stages;
  // A sub-group all of whose members are taken moves into the new group as a whole.
  std::vector<Stage> full;
  for (const Stage& g : touched_groups) {
    if (!g.same_as(parent) && g->num_child_stages == touched[g.get()]) full.push_back(g);
  }
  while (!full.empty()) {
    Stage g = full.back();
    full.pop_back();
    Stage pg = ParentGroup(g);
    if (pg.defined() && !pg.same_as(parent)) {
      if (touched[pg.get()]++ == 0) touched_groups.push_back(pg);
      if (touched[pg.get()] == pg->num_child_stages) full.push_back(pg);
    }
  }
  for (const Stage& g : touched_groups) {
    if (g.same_as(parent)) continue;
    TVM_CHECK(g->num_child_stages == touched[g.get()], "ValueError")
        << "create_group: the region overlaps an existing group only partly";
    if (ParentGroup(g).same_as(parent)) {
      Stage gs = g;
      gs->group = group;
      ++group->num_child_stages;
      if (parent.defined()) --parent->num_child_stages;
    }
  }
  for (const Operation& op : ops) {
    Stage s = stage_of(op);
    if (ParentGroup(s).same_as(parent)) {
      s->group = group;
      ++group->num_child_stages;
      if (parent.defined()) --parent->num_child_stages;
    }
  }
  // Attachments must stay inside the group.
  for (const Operation& op : ops) {
    Stage s = stage_of(op);
    if (s->attach_type != kScope) continue;
    Stage target = Downcast<Stage>(s->attach_stage);
    if (!LeastCommonAncestor(ParentGroup(target), group).same_as(group)) s.compute_root();
  }
  self->groups.push_back(group);
  return group;
}

// ---------------------------------------------------------------------------
// Reflection, printing and the Python API

TVM_REGISTER_NODE_TYPE(SplitNode);
TVM_REGISTER_NODE_TYPE(FuseNode);
TVM_REGISTER_NODE_TYPE(RebaseNode);
TVM_REGISTER_NODE_TYPE(SingletonNode);
TVM_REGISTER_NODE_TYPE(IterVarAttrNode);
TVM_REGISTER_NODE_TYPE(StageNode);
TVM_REGISTER_NODE_TYPE(ScheduleNode);
TVM_REGISTER_NODE_TYPE(TensorIntrinNode);

namespace {

const int kStagePrinter = ReprPrinter::Register<StageNode>([](const ObjectRef& node, ReprPrinter* p) {
  const auto* s = static_cast<const StageNode*>(node.get());
  if (s->op.defined()) {
    p->stream << "stage(" << s->origin_op->name << ", ";
    p->Print(s->op);
    p->stream << ")";
  } else {
    p->stream << "group-stage(" << static_cast<const void*>(s) << ")";
  }
});

const int kSchedulePrinter = ReprPrinter::Register<ScheduleNode>([](const ObjectRef& node, ReprPrinter* p) {
  const auto* s = static_cast<const ScheduleNode*>(node.get());
  p->stream << "schedule(" << static_cast<const void*>(s) << ")";
});

const int kTensorIntrinPrinter = ReprPrinter::Register<TensorIntrinNode>([](const ObjectRef& node, ReprPrinter* p) {
  const auto* t = static_cast<const TensorIntrinNode*>(node.get());
  p->stream << "TensorIntrin(name=" << t->name << ", " << static_cast<const void*>(t) << ")";
});

Stage AsStage(Stage s) { return s; }

}  // namespace

TVM_REGISTER_GLOBAL("te.CreateSchedule").set_body_typed([](Array<Operation> ops) { return Schedule(ops); });
TVM_REGISTER_GLOBAL("te.StageSetScope").set_body_typed([](Stage s, std::string scope) {
  return AsStage(s.set_scope(scope));
});
TVM_REGISTER_GLOBAL("te.StageBind").set_body_typed([](Stage s, IterVar ivar, IterVar thread) {
  return AsStage(s.bind(ivar, thread));
});
TVM_REGISTER_GLOBAL("te.StageSplitByFactor").set_body_typed([](Stage s, IterVar parent, PrimExpr factor) {
  IterVar outer, inner;
  s.split(parent, factor, &outer, &inner);
  return Array<IterVar>{outer, inner};
});
TVM_REGISTER_GLOBAL("te.StageSplitByNParts").set_body_typed([](Stage s, IterVar parent, PrimExpr nparts) {
  IterVar outer, inner;
  s.split_by_nparts(parent, nparts, &outer, &inner);
  return Array<IterVar>{outer, inner};
});
TVM_REGISTER_GLOBAL("te.StageFuse").set_body_typed([](Stage s, Array<IterVar> axes) {
  IterVar fused;
  s.fuse(axes, &fused);
  return fused;
});
TVM_REGISTER_GLOBAL("te.StageComputeAt").set_body_typed([](Stage s, Stage parent, IterVar scope) {
  return AsStage(s.compute_at(parent, scope));
});
TVM_REGISTER_GLOBAL("te.StageComputeInline").set_body_typed([](Stage s) { return AsStage(s.compute_inline()); });
TVM_REGISTER_GLOBAL("te.StageComputeRoot").set_body_typed([](Stage s) { return AsStage(s.compute_root()); });
TVM_REGISTER_GLOBAL("te.StageReorder").set_body_typed([](Stage s, Array<IterVar> order) {
  return AsStage(s.reorder(order));
});
TVM_REGISTER_GLOBAL("te.StageTile")
    .set_body_typed([](Stage s, IterVar x, IterVar y, PrimExpr x_factor, PrimExpr y_factor) {
      IterVar xo, yo, xi, yi;
      s.tile(x, y, x_factor, y_factor, &xo, &yo, &xi, &yi);
      return Array<IterVar>{xo, yo, xi, yi};
    });
TVM_REGISTER_GLOBAL("te.StageEnvThreads").set_body_typed([](Stage s, Array<IterVar> threads) {
  return AsStage(s.env_threads(threads));
});
TVM_REGISTER_GLOBAL("te.StageSetStorePredicate").set_body_typed([](Stage s, PrimExpr predicate) {
  return AsStage(s.set_store_predicate(predicate));
});
TVM_REGISTER_GLOBAL("te.StageUnroll").set_body_typed([](Stage s, IterVar iv) { return AsStage(s.unroll(iv)); });
TVM_REGISTER_GLOBAL("te.StageVectorize").set_body_typed([](Stage s, IterVar iv) {
  return AsStage(s.vectorize(iv));
});
TVM_REGISTER_GLOBAL("te.StageParallel").set_body_typed([](Stage s, IterVar iv) {
  return AsStage(s.parallel(iv));
});
TVM_REGISTER_GLOBAL("te.StageTensorize").set_body_typed([](Stage s, IterVar iv, TensorIntrin f) {
  return AsStage(s.tensorize(iv, f));
});
TVM_REGISTER_GLOBAL("te.StagePragma")
    .set_body_typed([](Stage s, IterVar iv, std::string pragma_type, PrimExpr pragma_value) {
      return AsStage(s.pragma(iv, pragma_type, pragma_value));
    });
TVM_REGISTER_GLOBAL("te.StagePrefetch").set_body_typed([](Stage s, Tensor tensor, IterVar iv, PrimExpr offset) {
  return AsStage(s.prefetch(tensor, iv, offset));
});
TVM_REGISTER_GLOBAL("te.StageStorageAlign").set_body_typed([](Stage s, IterVar axis, int factor, int offset) {
  return AsStage(s.storage_align(axis, factor, offset));
});
TVM_REGISTER_GLOBAL("te.StageDoubleBuffer").set_body_typed([](Stage s) { return AsStage(s.double_buffer()); });
TVM_REGISTER_GLOBAL("te.StageIsScheduled").set_body_typed([](Stage s) { return s.is_scheduled(); });
TVM_REGISTER_GLOBAL("te.ScheduleGetStage").set_body_typed([](Schedule sch, Operation op) { return sch[op]; });
TVM_REGISTER_GLOBAL("te.ScheduleNormalize").set_body_typed([](Schedule sch) { return sch.normalize(); });
TVM_REGISTER_GLOBAL("te.ScheduleCopy").set_body_typed([](Schedule sch) { return sch.copy(); });
TVM_REGISTER_GLOBAL("te.ScheduleCreateGroup")
    .set_body_typed([](Schedule sch, Array<Tensor> outputs, Array<Tensor> inputs, bool include_inputs) {
      return sch.create_group(outputs, inputs, include_inputs);
    });
TVM_REGISTER_GLOBAL("te.ScheduleCacheRead")
    .set_body_typed([](Schedule sch, Tensor tensor, std::string scope, Array<Operation> readers) {
      return sch.cache_read(tensor, scope, readers);
    });
TVM_REGISTER_GLOBAL("te.ScheduleCacheWrite").set_body_typed([](Schedule sch, ObjectRef tensor, std::string scope) {
  if (const auto* t = tensor.as<TensorNode>()) return ObjectRef(sch.cache_write(GetRef<Tensor>(t), scope));
  return ObjectRef(sch.cache_write(Downcast<Array<Tensor>>(tensor), scope));
});
TVM_REGISTER_GLOBAL("te.ScheduleRFactor")
    .set_body_typed([](Schedule sch, Tensor tensor, IterVar axis, int factor_axis) {
      return sch.rfactor(tensor, axis, factor_axis);
    });
TVM_REGISTER_GLOBAL("te.TensorIntrin")
    .set_body_typed([](std::string name, Operation op, Array<Tensor> inputs, Array<Buffer> buffers,
                       Array<Var> scalar_params, Stmt body, Stmt reduce_init, Stmt reduce_update) {
      const auto* compute = op.as<ComputeOpNode>();
      TVM_CHECK(compute != nullptr, "ValueError")
          << "decl_tensor_intrin " << name << ": the operation must be a te.compute";
      TVM_CHECK(buffers.size() == inputs.size() + static_cast<size_t>(op->num_outputs()), "ValueError")
          << "decl_tensor_intrin " << name << ": expected " << inputs.size() + op->num_outputs()
          << " buffers (inputs then outputs), got " << buffers.size();
      TVM_CHECK(body.defined() || reduce_update.defined(), "ValueError")
          << "decl_tensor_intrin " << name << ": the intrinsic has neither a body nor a reduce_update";
      return TensorIntrin(name, op, inputs, buffers, scalar_params, body, reduce_init, reduce_update);
    });

}  // namespace te
}  // namespace tvm
