/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/te/schedule/schedule_dataflow_rewrite.cc
 * \brief The primitives that change the dataflow rather than the loops:
 *  cache_read, cache_write and rfactor add stages and rewire consumers;
 *  normalize (run by lowering) inlines compute_inline stages into their
 *  consumers and rebases every loop to start at 0.
 *
 * Rewiring keeps one invariant: every stage's op reads the current ops of
 * its producers. When an op is replaced, its consumers are rebuilt to read
 * the new op's outputs (ReplaceDataFlow), transitively. The user's tensors
 * keep naming the original ops; Schedule::operator[] maps them to stages.
 */
#include <tvm/ir/repr_printer.h>
#include <tvm/arith/analyzer.h>
#include <tvm/te/schedule.h>
#include <tvm/tir/op.h>
#include <tvm/tir/stmt_functor.h>

#include <unordered_set>

#include "../operation/op_utils.h"
#include "message_passing.h"

namespace tvm {
namespace te {

namespace {

/*! \brief Substitutes variables everywhere a compute body may use them,
 * including inside a reduction: its combiner and identity (a reducer may
 * depend on an outer axis), its axes' ranges (a reduction over k < i), its
 * condition and initial value. tir::Substitute stops at those. */
class BodyVarReplacer : public tir::ExprMutator {
 public:
  explicit BodyVarReplacer(const std::unordered_map<const VarNode*, PrimExpr>& vmap) : vmap_(vmap) {}

  PrimExpr VisitExpr_(const VarNode* op) final {
    auto it = vmap_.find(op);
    return it == vmap_.end() ? GetRef<PrimExpr>(op) : it->second;
  }

  PrimExpr VisitExpr_(const ReduceNode* op) final {
    auto visit_all = [this](const Array<PrimExpr>& xs) {
      Array<PrimExpr> out;
      for (const PrimExpr& x : xs) out.push_back(VisitExpr(x));
      return out;
    };
    const CommReducer& c = op->combiner;
    CommReducer combiner(c->lhs, c->rhs, visit_all(c->result), visit_all(c->identity_element));
    Array<IterVar> axis;
    for (const IterVar& iv : op->axis) {
      PrimExpr min = VisitExpr(iv->dom->min), extent = VisitExpr(iv->dom->extent);
      if (min.same_as(iv->dom->min) && extent.same_as(iv->dom->extent)) {
        axis.push_back(iv);
      } else {
        axis.push_back(IterVar(Range::FromMinExtent(min, extent), iv->var, iv->iter_type, iv->thread_tag));
      }
    }
    return Reduce(combiner, visit_all(op->source), axis, VisitExpr(op->condition), op->value_index,
                  visit_all(op->init));
  }

 private:
  const std::unordered_map<const VarNode*, PrimExpr>& vmap_;
};

size_t StagePosition(const Array<Stage>& stages, const Stage& s) {
  for (size_t i = 0; i < stages.size(); ++i) {
    if (stages[i].same_as(s)) return i;
  }
  return stages.size();
}

/*!
 * \brief Rebuild every stage's op with its inputs replaced by vmap; the new
 *  ops' outputs replace the old ones for the stages after them. rvmap maps
 *  a replacement back to the tensor it replaced, so that chains of
 *  replacements still replace the original tensor.
 */
void ReplaceDataFlow(const Array<Stage>& stages, TensorReplaceMap* vmap, TensorReplaceMap* rvmap) {
  for (Stage s : stages) {
    if (!s->op.defined()) continue;
    Operation op = s->op->ReplaceInputs(s->op, *vmap);
    if (op.same_as(s->op)) continue;
    for (int i = 0; i < op->num_outputs(); ++i) {
      Tensor old_t = s->op.output(i);
      auto it = rvmap->find(old_t);
      if (it != rvmap->end()) {
        (*vmap)[it->second] = op.output(i);
      } else {
        (*vmap)[old_t] = op.output(i);
        (*rvmap)[op.output(i)] = old_t;
      }
    }
    s->op = op;
  }
}

bool ContainsIterVar(const Array<IterVar>& vars, const IterVar& iv) {
  for (const IterVar& v : vars) {
    if (v.same_as(iv)) return true;
  }
  return false;
}

void AddToGroup(Stage stage, const ObjectRef& group) {
  stage->group = group;
  if (group.defined()) {
    Stage g = Downcast<Stage>(group);
    ++g->num_child_stages;
  }
}

}  // namespace

Tensor Schedule::cache_read(const Tensor& tensor, const std::string& scope, const Array<Operation>& readers) {
  ScheduleNode* self = operator->();
  self->InvalidateCache();
  Stage producer = (*this)[tensor.op()];
  std::string name = tensor->GetNameHint();
  // Several caches of one tensor get distinct names: A.shared, A.d.shared, ...
  for (bool clash = true; clash;) {
    clash = false;
    for (const Stage& s : self->stages) {
      if (s->op.defined() && s->op->name == name + "." + scope) {
        name += ".d";
        clash = true;
        break;
      }
    }
  }
  name += "." + scope;
  Tensor current = producer->op.output(tensor->value_index);
  Tensor cache = compute(
      current->shape, [&current](const Array<Var>& i) { return current(Array<PrimExpr>(i.begin(), i.end())); }, name);
  TensorReplaceMap to_cache{{current, cache}};
  TensorReplaceMap vmap, rvmap;
  TVM_CHECK(!readers.empty(), "ValueError")
      << "cache_read of " << tensor->GetNameHint() << ": no readers given";
  for (const Operation& reader : readers) {
    Stage s = (*this)[reader];
    Operation replaced = s->op->ReplaceInputs(s->op, to_cache);
    TVM_CHECK(!replaced.same_as(s->op), "ValueError")
        << "cache_read: stage " << StageName(s) << " does not read " << tensor->GetNameHint();
    for (int i = 0; i < s->op->num_outputs(); ++i) {
      vmap[s->op.output(i)] = replaced.output(i);
      rvmap[replaced.output(i)] = s->op.output(i);
    }
    s->op = replaced;
  }
  ReplaceDataFlow(self->stages, &vmap, &rvmap);
  Stage cache_stage(cache.op());
  cache_stage.set_scope(scope);
  size_t pos = StagePosition(self->stages, producer);
  ICHECK_LT(pos, self->stages.size());
  cache_stage->attach_sch = self;
  self->stages.insert(self->stages.begin() + pos + 1, cache_stage);
  self->stage_map.Set(cache.op(), cache_stage);
  AddToGroup(cache_stage, producer->group);
  return cache;
}

namespace {

/*! \brief Readers of the stage now read copy_op; the cache's stage goes right before it. */
Array<Tensor> InstallCacheWrite(ScheduleNode* self, Stage stage, const Operation& cache_op, const Operation& copy_op,
                                const std::string& scope) {
  TensorReplaceMap vmap, rvmap;
  for (int i = 0; i < copy_op->num_outputs(); ++i) {
    vmap[stage->op.output(i)] = copy_op.output(i);
    rvmap[copy_op.output(i)] = stage->op.output(i);
  }
  ReplaceDataFlow(self->stages, &vmap, &rvmap);
  stage->op = copy_op;
  stage->all_iter_vars = copy_op->root_iter_vars();
  stage->leaf_iter_vars = stage->all_iter_vars;
  stage->relations = Array<IterVarRelation>();
  Stage cache_stage(cache_op);
  cache_stage.set_scope(scope);
  size_t pos = StagePosition(self->stages, stage);
  ICHECK_LT(pos, self->stages.size());
  cache_stage->attach_sch = self;
  self->stages.insert(self->stages.begin() + pos, cache_stage);
  self->stage_map.Set(cache_op, cache_stage);
  AddToGroup(cache_stage, stage->group);
  Array<Tensor> outputs;
  for (int i = 0; i < cache_op->num_outputs(); ++i) outputs.push_back(cache_op.output(i));
  return outputs;
}

}  // namespace

Array<Tensor> Schedule::cache_write(const Array<Tensor>& tensors, const std::string& scope) {
  ScheduleNode* self = operator->();
  self->InvalidateCache();
  TVM_CHECK(!tensors.empty(), "ValueError") << "cache_write: no tensors given";
  Stage stage = (*this)[tensors[0].op()];
  for (const Tensor& t : tensors) {
    TVM_CHECK((*this)[t.op()].same_as(stage), "ValueError")
        << "cache_write: the tensors must be outputs of one operation (" << t->GetNameHint() << " is not an output of "
        << StageName(stage) << ")";
  }
  TVM_CHECK(static_cast<int>(tensors.size()) == stage->op->num_outputs(), "ValueError")
      << "cache_write: stage " << StageName(stage) << " has " << stage->op->num_outputs()
      << " outputs; cache all of them together";
  if (const auto* tensor_compute = stage->op.as<TensorComputeOpNode>()) {
    // The intrinsic call computes into the cache over copies of the axes; the
    // original becomes a copy out of it.
    TVM_CHECK(stage->relations.empty(), "ValueError")
        << "cache_write: stage " << StageName(stage)
        << " calls a tensor intrinsic and has been split or fused; call cache_write before scheduling its loops";
    std::unordered_map<const VarNode*, PrimExpr> to_cache;
    auto n = make_object<TensorComputeOpNode>(*tensor_compute);
    n->name = tensor_compute->name + "." + scope;
    n->axis = Array<IterVar>();
    for (const IterVar& iv : tensor_compute->axis) {
      IterVar c(iv->dom, iv->var.copy_with_suffix(".c"), iv->iter_type);
      n->axis.push_back(c);
      to_cache[iv->var.get()] = c->var;
    }
    n->input_regions = Array<Region>();
    for (const Region& region : tensor_compute->input_regions) {
      Region r;
      for (const Range& d : region) {
        r.push_back(Range::FromMinExtent(tir::Substitute(d->min, to_cache), tir::Substitute(d->extent, to_cache)));
      }
      n->input_regions.push_back(r);
    }
    n->scalar_inputs = Array<PrimExpr>();
    for (const PrimExpr& e : tensor_compute->scalar_inputs) n->scalar_inputs.push_back(tir::Substitute(e, to_cache));
    Operation cache_op(n);
    // The copy loops over every output dimension, the intrinsic's (opaque) ones included.
    Array<IterVar> copy_axis;
    Array<PrimExpr> args;
    for (const IterVar& iv : tensor_compute->axis) {
      IterVar a = iv->iter_type == kDataPar ? iv : IterVar(iv->dom, iv->var.copy_with_suffix(""), kDataPar);
      copy_axis.push_back(a);
      args.push_back(a->var);
    }
    Array<PrimExpr> copy_body;
    for (int i = 0; i < cache_op->num_outputs(); ++i) copy_body.push_back(cache_op.output(i)(args));
    Operation copy_op =
        ComputeOp(tensor_compute->name, tensor_compute->tag, tensor_compute->attrs, copy_axis, copy_body);
    return InstallCacheWrite(self, stage, cache_op, copy_op, scope);
  }
  const auto* compute = stage->op.as<ComputeOpNode>();
  TVM_CHECK(compute != nullptr, "ValueError")
      << "cache_write: stage " << StageName(stage) << " is a " << stage->op->GetTypeKey()
      << "; only te.compute stages (and intrinsic calls in te.compute) can be cached";
  // The cache computes the original body over its own axes: copies of the
  // original axes, or, when the loops were already split or fused, one axis
  // per data-parallel loop (the cache is laid out in loop order).
  Array<IterVar> cache_axis;
  std::unordered_map<const VarNode*, PrimExpr> to_cache_vars;
  std::vector<PrimExpr> predicates;
  Array<PrimExpr> args;
  if (stage->relations.empty()) {
    for (const IterVar& iv : compute->axis) {
      IterVar c(iv->dom, iv->var.copy_with_suffix(".c"), iv->iter_type);
      cache_axis.push_back(c);
      to_cache_vars[iv->var.get()] = c->var;
      args.push_back(iv->var);
    }
  } else {
    IterVarSet reduce_axes(compute->reduce_axis.begin(), compute->reduce_axis.end());
    IterVarIntMap from_reduce;
    for (const IterVar& iv : compute->reduce_axis) from_reduce[iv] = 1;
    PassDownBitMaskOr(stage, &from_reduce, true);
    arith::Analyzer analyzer;
    IterVarRangeMap dom_map;
    for (const IterVar& iv : compute->root_iter_vars()) {
      dom_map[iv] = iv->dom;
      analyzer.Bind(iv->var, iv->dom, true);
    }
    PassDownDomain(stage, &dom_map, &analyzer, true);
    IterVarExprMap value_map;
    std::unordered_map<const VarNode*, PrimExpr> leaf_to_cache;
    for (const IterVar& iv : stage->leaf_iter_vars) {
      if (reduce_axes.count(iv)) continue;
      TVM_CHECK(!from_reduce.count(iv) || from_reduce.at(iv) == 0, "ValueError")
          << "cache_write: loop " << AxisName(iv) << " of stage " << StageName(stage)
          << " was made from a reduction axis; call cache_write before splitting or fusing reduction axes";
      const Range& dom = dom_map.at(iv);
      IterVar c(dom, iv->var.copy_with_suffix(".c"), kDataPar);
      cache_axis.push_back(c);
      if (is_one(dom->extent)) {
        value_map[iv] = dom->min;
      } else {
        value_map[iv] = iv->var;
        leaf_to_cache[iv->var.get()] = c->var;
      }
    }
    PassUpIndex(stage, dom_map, &value_map, true);
    predicates = MakeBoundCheck(stage, dom_map, value_map, true, reduce_axes);
    for (PrimExpr& p : predicates) p = tir::Substitute(p, leaf_to_cache);
    for (const IterVar& iv : compute->axis) {
      to_cache_vars[iv->var.get()] = tir::Substitute(value_map.at(iv), leaf_to_cache);
    }
    // The original (now a copy) reads the cache at the loop position of each element.
    IterVarExprMap down;
    for (const IterVar& iv : compute->axis) down[iv] = iv->var;
    PassDownIndex(stage, dom_map, &down, true);
    for (const IterVar& iv : stage->leaf_iter_vars) {
      if (reduce_axes.count(iv)) continue;
      args.push_back(down.at(iv));
    }
  }
  Array<PrimExpr> cache_body;
  const ReduceNode* first = nullptr;
  PrimExpr guard;
  for (const PrimExpr& p : predicates) guard = guard.defined() ? logical_and(guard, p) : p;
  for (const PrimExpr& e : compute->body) {
    PrimExpr b = BodyVarReplacer(to_cache_vars)(e);
    if (const auto* r = b.as<ReduceNode>()) {
      if (first == nullptr) {
        PrimExpr cond = guard.defined() ? logical_and(r->condition, guard) : r->condition;
        b = Reduce(r->combiner, r->source, r->axis, cond, r->value_index, r->init);
        first = b.as<ReduceNode>();
      } else {
        b = Reduce(first->combiner, first->source, first->axis, first->condition, r->value_index, first->init);
      }
    } else if (guard.defined()) {
      // A Select, as TVM writes it; RewriteUnsafeSelect turns it into
      // if_then_else when its value reads memory (the padded tail must not).
      b = tir::Select(guard, b, make_zero(b.dtype()));
    }
    cache_body.push_back(b);
  }
  Operation cache_op = ComputeOp(compute->name + "." + scope, compute->tag, compute->attrs, cache_axis, cache_body);
  Array<PrimExpr> copy_body;
  for (int i = 0; i < cache_op->num_outputs(); ++i) copy_body.push_back(cache_op.output(i)(args));
  Operation copy_op = ComputeOp(compute->name, compute->tag, compute->attrs, compute->axis, copy_body);
  return InstallCacheWrite(self, stage, cache_op, copy_op, scope);
}


Tensor Schedule::cache_write(const Tensor& tensor, const std::string& scope) {
  Stage stage = (*this)[tensor.op()];
  TVM_CHECK(stage->op->num_outputs() == 1, "ValueError")
      << "cache_write: stage " << StageName(stage) << " has " << stage->op->num_outputs()
      << " outputs; pass all of them as a list";
  return cache_write(Array<Tensor>{tensor}, scope)[0];
}

Array<Tensor> Schedule::rfactor(const Tensor& tensor, const IterVar& axis, int factor_axis) {
  ScheduleNode* self = operator->();
  self->InvalidateCache();
  Stage stage = (*this)[tensor.op()];
  const auto* compute = stage->op.as<ComputeOpNode>();
  TVM_CHECK(compute != nullptr && !compute->reduce_axis.empty(), "ValueError")
      << "rfactor: stage " << StageName(stage) << " is not a reduction";
  TVM_CHECK(axis.defined() && axis->iter_type == kCommReduce, "ValueError")
      << "rfactor: axis " << AxisName(axis) << " of stage " << StageName(stage) << " is not a reduction axis";
  bool is_leaf = false;
  for (const IterVar& iv : stage->leaf_iter_vars) is_leaf = is_leaf || iv.same_as(axis);
  TVM_CHECK(is_leaf, "ValueError") << "rfactor: axis " << AxisName(axis) << " is not a loop of stage "
                                   << StageName(stage);
  const auto* reduce = compute->body[tensor->value_index].as<ReduceNode>();
  ICHECK(reduce != nullptr);
  TVM_CHECK(reduce->init.empty(), "ValueError")
      << "rfactor: stage " << StageName(stage) << " has an init value; rfactor needs the reducer's identity";

  // The variables related to `axis` through the relations.
  IterVarIntMap touched{{axis, 1}};
  PassUpBitMaskOr(stage, &touched, true);
  PassDownBitMaskOr(stage, &touched, true);
  IterVarSet skip_check;
  for (const IterVar& iv : compute->axis) {
    TVM_CHECK(!touched.count(iv), "ValueError")
        << "rfactor: axis " << AxisName(axis) << " of stage " << StageName(stage)
        << " is fused with the data-parallel axis " << AxisName(iv);
    skip_check.insert(iv);
  }
  arith::Analyzer analyzer;
  IterVarRangeMap dom_map;
  for (const IterVar& iv : compute->reduce_axis) {
    if (touched.count(iv)) {
      dom_map[iv] = iv->dom;
    } else {
      skip_check.insert(iv);
    }
    analyzer.Bind(iv->var, iv->dom, true);
  }
  PassDownDomain(stage, &dom_map, &analyzer, true);
  IterVarExprMap value_map;
  for (const IterVar& iv : stage->leaf_iter_vars) {
    if (!touched.count(iv)) continue;
    const Range& dom = dom_map.at(iv);
    value_map[iv] = is_one(dom->extent) ? dom->min : PrimExpr(iv->var);
  }
  PassUpIndex(stage, dom_map, &value_map, true);
  std::vector<PrimExpr> predicates = MakeBoundCheck(stage, dom_map, value_map, true, skip_check);

  int n_axis = static_cast<int>(compute->axis.size());
  int pos = factor_axis >= 0 ? factor_axis : n_axis + 1 + factor_axis;
  TVM_CHECK(pos >= 0 && pos <= n_axis, "ValueError")
      << "rfactor: factor_axis " << factor_axis << " is out of range for stage " << StageName(stage) << " with "
      << n_axis << " dimensions";
  const Range& axis_dom = dom_map.at(axis);
  TVM_CHECK(is_zero(axis_dom->min), "ValueError")
      << "rfactor: the range of axis " << AxisName(axis) << " must start at 0";

  // The factored op: the reduction over everything but `axis`, with `axis` as a new dimension.
  auto factor = make_object<ComputeOpNode>();
  factor->name = compute->name + ".rf";
  factor->tag = compute->tag;
  factor->attrs = compute->attrs;
  IterVar new_axis(axis_dom, axis->var, kDataPar);
  for (int i = 0; i < n_axis; ++i) {
    if (i == pos) factor->axis.push_back(new_axis);
    factor->axis.push_back(compute->axis[i]);
  }
  if (pos == n_axis) factor->axis.push_back(new_axis);

  std::unordered_map<const VarNode*, PrimExpr> vsub;
  for (const IterVar& iv : compute->reduce_axis) {
    if (!touched.count(iv)) {
      factor->reduce_axis.push_back(iv);
    } else {
      vsub[iv->var.get()] = value_map.at(iv);
    }
  }
  // The touched leaves other than `axis` remain reductions of the factored op.
  std::unordered_map<const Object*, IterVar> replaced;
  replaced[axis.get()] = new_axis;
  for (const IterVar& iv : stage->leaf_iter_vars) {
    if (touched.count(iv) && !iv.same_as(axis)) {
      IterVar copy(dom_map.at(iv), iv->var, kCommReduce);
      factor->reduce_axis.push_back(copy);
      replaced[iv.get()] = copy;
    }
  }
  PrimExpr cond = reduce->condition;
  for (const PrimExpr& p : predicates) cond = is_one(cond) ? p : logical_and(cond, p);
  if (!predicates.empty()) cond = likely(cond);
  Array<PrimExpr> source;
  for (const PrimExpr& s : reduce->source) source.push_back(tir::Substitute(s, vsub));
  cond = tir::Substitute(cond, vsub);
  for (size_t i = 0; i < reduce->source.size(); ++i) {
    factor->body.push_back(Reduce(reduce->combiner, source, factor->reduce_axis, cond, static_cast<int>(i), {}));
  }
  Operation factor_op(factor);

  // Relations that do not involve `axis` carry over (splits of other reduction axes).
  Array<IterVarRelation> kept;
  for (const IterVarRelation& rel : stage->relations) {
    bool t = false;
    if (const auto* s = rel.as<SplitNode>()) t = touched.count(s->parent);
    if (const auto* f = rel.as<FuseNode>()) t = touched.count(f->fused);
    if (const auto* r = rel.as<RebaseNode>()) t = touched.count(r->parent);
    if (!t) kept.push_back(rel);
  }
  Stage factor_stage(factor_op);
  if (!kept.empty()) {
    factor_stage->relations = kept;
    Array<IterVar> all = factor_op->root_iter_vars();
    for (const IterVar& iv : stage->all_iter_vars) {
      if (!touched.count(iv) && !ContainsIterVar(all, iv)) all.push_back(iv);
    }
    factor_stage->all_iter_vars = all;
    Array<IterVar> leaves;
    for (const IterVar& iv : stage->leaf_iter_vars) {
      auto it = replaced.find(iv.get());
      leaves.push_back(it != replaced.end() ? it->second : iv);
    }
    factor_stage->leaf_iter_vars = leaves;
  }
  size_t stage_pos = StagePosition(self->stages, stage);
  ICHECK_LT(stage_pos, self->stages.size());
  factor_stage->attach_sch = self;
  self->stages.insert(self->stages.begin() + stage_pos, factor_stage);
  self->stage_map.Set(factor_op, factor_stage);
  AddToGroup(factor_stage, stage->group);

  // The original stage now reduces the partial results over the new dimension.
  IterVar repl_axis = reduce_axis(axis_dom, axis->var->name_hint + ".v");
  int size = factor_op->num_outputs();
  Array<Tensor> factor_tensors, old_tensors;
  for (int i = 0; i < size; ++i) {
    factor_tensors.push_back(factor_op.output(i));
    old_tensors.push_back(stage->op.output(i));
  }
  // Fresh axes (same names): the factored stage keeps the original ones.
  Array<IterVar> new_root_axis;
  Array<Var> args;
  for (const IterVar& iv : compute->axis) {
    IterVar fresh(iv->dom, iv->var.copy_with_suffix(""), iv->iter_type);
    new_root_axis.push_back(fresh);
    args.push_back(fresh->var);
  }
  Array<PrimExpr> indices;
  for (int i = 0; i < n_axis; ++i) {
    if (i == pos) indices.push_back(repl_axis->var);
    indices.push_back(args[i]);
  }
  if (pos == n_axis) indices.push_back(repl_axis->var);
  Array<PrimExpr> partials;
  for (int i = 0; i < size; ++i) partials.push_back(factor_tensors[i](indices));
  Array<PrimExpr> repl_body;
  for (int i = 0; i < size; ++i) {
    repl_body.push_back(Reduce(reduce->combiner, partials, {repl_axis}, const_true(), i, {}));
  }
  Operation repl_op = ComputeOp(compute->name, compute->tag, compute->attrs, new_root_axis, repl_body);
  TensorReplaceMap vmap, rvmap;
  for (int i = 0; i < size; ++i) {
    vmap[old_tensors[i]] = repl_op.output(i);
    rvmap[repl_op.output(i)] = old_tensors[i];
  }
  ReplaceDataFlow(self->stages, &vmap, &rvmap);
  stage->op = repl_op;
  stage->all_iter_vars = repl_op->root_iter_vars();
  stage->leaf_iter_vars = stage->all_iter_vars;
  stage->relations = Array<IterVarRelation>();
  return factor_tensors;
}

// ---------------------------------------------------------------------------
// normalize

namespace {

/*! \brief Replace compute_inline stages by their bodies in every consumer. */
void InjectInline(ScheduleNode* sch) {
  sch->InvalidateCache();
  size_t n = sch->stages.size();
  std::vector<Array<PrimExpr>> new_body(n);
  std::vector<bool> changed(n, false);
  for (size_t i = n; i != 0; --i) {
    Stage stage = sch->stages[i - 1];
    if (stage->attach_type != kInline) continue;
    stage->attach_type = kInlinedAlready;
    const auto* compute = stage->op.as<ComputeOpNode>();
    TVM_CHECK(compute != nullptr && compute->body.size() == 1 && !compute->body[0].as<ReduceNode>(), "ValueError")
        << "compute_inline: stage " << StageName(stage) << " cannot be inlined";
    Array<Var> args;
    for (const IterVar& iv : compute->axis) args.push_back(iv->var);
    PrimExpr body = compute->body[0];
    auto inline_expr = [&](const PrimExpr& e) {
      return Inline(Evaluate(e), stage->op, args, body).as<EvaluateNode>()->value;
    };
    for (size_t j = i; j < n; ++j) {
      Stage s = sch->stages[j];
      const auto* consumer = s->op.as<ComputeOpNode>();
      if (consumer == nullptr) {
        if (!s->op.defined()) continue;
        for (const Tensor& t : s->op->InputTensors()) {
          TVM_CHECK(!t->op.same_as(stage->op), "ValueError")
              << "compute_inline: stage " << StageName(stage) << " is read by stage " << StageName(s) << " (a "
              << s->op->GetTypeKey() << "), which cannot inline it";
        }
        continue;
      }
      if (new_body[j].empty()) new_body[j] = consumer->body;
      if (new_body[j][0].as<ReduceNode>()) {
        PrimExpr updated = inline_expr(new_body[j][0]);
        if (!updated.same_as(new_body[j][0])) {
          changed[j] = true;
          const auto* r = updated.as<ReduceNode>();
          for (size_t k = 0; k < new_body[j].size(); ++k) {
            new_body[j].Set(k, Reduce(r->combiner, r->source, r->axis, r->condition, static_cast<int>(k), r->init));
          }
        }
      } else {
        for (size_t k = 0; k < new_body[j].size(); ++k) {
          PrimExpr updated = inline_expr(new_body[j][k]);
          if (!updated.same_as(new_body[j][k])) {
            new_body[j].Set(k, updated);
            changed[j] = true;
          }
        }
      }
    }
  }
  TensorReplaceMap repl;
  for (size_t i = 0; i < n; ++i) {
    Stage s = sch->stages[i];
    if (s->attach_type == kInlinedAlready || !s->op.defined()) continue;
    Operation op = s->op;
    if (changed[i]) {
      const auto* compute = op.as<ComputeOpNode>();
      op = ComputeOp(compute->name, compute->tag, compute->attrs, compute->axis, new_body[i]);
    }
    op = op->ReplaceInputs(op, repl);
    if (!op.same_as(s->op)) {
      for (int k = 0; k < op->num_outputs(); ++k) repl[s->op.output(k)] = op.output(k);
      s->op = op;
    }
  }
}

/*! \brief Every root loop that is still a loop gets a rebased copy starting at 0. */
void RebaseNonZeroMinLoop(ScheduleNode* sch) {
  std::unordered_map<const Object*, IterVar> rebased_of;
  for (Stage s : sch->stages) {
    if (s->attach_type == kInlinedAlready || !s->op.defined()) continue;
    Array<IterVar> leaves = s->leaf_iter_vars;
    bool changed = false;
    for (const IterVar& iv : s->op->root_iter_vars()) {
      auto attr = s->iter_var_attrs.Get(iv);
      // Thread-bound loops are not rebased (a thread axis starts at 0 anyway).
      if (attr.has_value() && (*attr)->bind_thread.defined()) continue;
      for (size_t i = 0; i < leaves.size(); ++i) {
        if (!leaves[i].same_as(iv)) continue;
        IterVar rebased(Range(), iv->var.copy_with_suffix(""), iv->iter_type);
        s->relations.push_back(Rebase(iv, rebased));
        s->all_iter_vars.push_back(rebased);
        if (attr.has_value()) s->iter_var_attrs.Set(rebased, *attr);
        leaves.Set(i, rebased);
        rebased_of[iv.get()] = rebased;
        changed = true;
        break;
      }
    }
    if (changed) s->leaf_iter_vars = leaves;
  }
  auto remap = [&rebased_of](Stage s) {
    if (s->attach_type != kScope) return;
    auto it = rebased_of.find(s->attach_ivar.get());
    if (it != rebased_of.end()) s->attach_ivar = it->second;
  };
  for (Stage s : sch->stages) remap(s);
  for (Stage g : sch->groups) remap(g);
}

/*! \brief A compute_at target that was split or fused later: attach at what replaced it. */
void LegalizeInvalidAttach(ScheduleNode* sch) {
  std::unordered_map<const Object*, IterVar> replace;
  auto legalize = [&](Stage s) {
    if (s->attach_type != kScope) return;
    Stage parent = Downcast<Stage>(s->attach_stage);
    IterVar target = s->attach_ivar;
    for (const IterVar& iv : parent->leaf_iter_vars) {
      if (iv.same_as(target)) return;
    }
    // Split: the inner part; fuse: the fused loop.
    bool updated = true;
    while (updated) {
      updated = false;
      for (const IterVarRelation& rel : parent->relations) {
        if (const auto* f = rel.as<FuseNode>()) {
          if (target.same_as(f->inner) || target.same_as(f->outer)) {
            target = f->fused;
            updated = true;
          }
        } else if (const auto* sp = rel.as<SplitNode>()) {
          if (target.same_as(sp->parent)) {
            target = sp->inner;
            updated = true;
          }
        } else if (const auto* rb = rel.as<RebaseNode>()) {
          if (target.same_as(rb->parent)) {
            target = rb->rebased;
            updated = true;
          }
        }
      }
    }
    s->attach_ivar = target;
  };
  for (Stage s : sch->stages) legalize(s);
  for (Stage g : sch->groups) legalize(g);
}

}  // namespace

Schedule Schedule::normalize() {
  Schedule sn = copy();
  InjectInline(sn.operator->());
  RebaseNonZeroMinLoop(sn.operator->());
  LegalizeInvalidAttach(sn.operator->());
  return sn;
}

}  // namespace te
}  // namespace tvm
