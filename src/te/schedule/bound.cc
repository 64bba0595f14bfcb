/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/te/schedule/bound.cc
 * \brief InferBound: the range of every loop of every stage.
 *
 * Consumers come before producers (reverse topological order). For a stage
 * P, each consumer C says which part of P it reads:
 *
 *  - C's loops inside P's attach point (and all of C's loops when P is at
 *    the root) range over their whole extent; the loops outside it are
 *    fixed at their current value (P is recomputed for each of them).
 *    A consumer computed at a loop of yet another stage adds that stage's
 *    loops in the same way (the attach path).
 *  - Thread loops are relaxed by storage scope instead: a "shared" P is
 *    computed by all threads of a block together, so it covers every
 *    threadIdx but one blockIdx; a "local" P covers one thread; a "global"
 *    P covers everything.
 *
 * The region of P read (the union over consumers) gives the ranges of P's
 * root axes, and the relations give the ranges of the loops. For a 3x3 blur
 * B computed at the row-tile loop y.outer of its consumer C (tiles of 4
 * rows), B's rows range over [y.outer * 4, y.outer * 4 + 5]: 6 rows.
 */
#include <tvm/ir/repr_printer.h>
#include <tvm/arith/analyzer.h>
#include <tvm/runtime/registry.h>
#include <tvm/te/schedule.h>
#include <tvm/tir/op.h>

#include <string>
#include <unordered_set>

#include "graph.h"
#include "message_passing.h"
#include "storage_rank.h"

namespace tvm {
namespace te {

using arith::IntSet;

namespace {

bool IsThreadIdxX(const std::string& tag) { return tag == "threadIdx.x"; }

struct GraphContext {
  FeedGraph feed_graph;
  AttachPath attach_path;
  /*! \brief Leaf -> the thread it is bound to. */
  std::unordered_map<IterVar, IterVar, ObjectPtrHash, ObjectPtrEqual> bind_map;
  std::unordered_map<const Object*, Stage> op2stage;
};

std::string ThreadTagOf(const IterVar& iv, const GraphContext& ctx) {
  auto it = ctx.bind_map.find(iv);
  return it != ctx.bind_map.end() ? std::string(it->second->thread_tag) : std::string(iv->thread_tag);
}

/*! \brief Whether the loop iv must be relaxed to its whole range for a producer of storage rank `rank`. */
bool NeedRelax(const IterVar& iv, bool below_attach_point, const GraphContext& ctx, int rank) {
  std::string tag = ThreadTagOf(iv, ctx);
  if (tag.empty() || tag == "pipeline") return below_attach_point;
  if (rank == kWarp && IsThreadIdxX(tag)) return true;
  return rank <= ThreadRankOf(tag);
}

/*! \brief The storage rank of a stage: its scope, or the default for where it is computed. */
int InferStorageRank(const Stage& stage, const GraphContext& ctx) {
  if (!stage->scope.empty()) return StorageRankOf(stage->scope);
  int max_thread_rank = -1;
  for (const IterVar& iv : ctx.attach_path.at(stage->op)) {
    std::string tag = ThreadTagOf(iv, ctx);
    if (!tag.empty() && tag != "pipeline") max_thread_rank = std::max(max_thread_rank, ThreadRankOf(tag));
  }
  if (max_thread_rank < 0) return kGlobal;
  return max_thread_rank == 0 ? kShared : kLocal;
}

void InferRootBound(const Stage& stage, const GraphContext& ctx, IterVarRangeMap* rmap) {
  TVM_CHECK(stage->attach_type != kInline, "InternalError")
      << "InferBound needs a normalized schedule (call schedule.normalize first)";
  if (stage->attach_type == kInlinedAlready) return;
  if (stage->is_output || stage->op.as<PlaceholderOpNode>()) {
    if (stage->is_output) {
      TVM_CHECK(stage.GetAttachSpec()->attach_type == kGroupRoot, "ValueError")
          << "stage " << StageName(stage) << " is an output of the schedule and must be computed at the root";
    }
    for (const IterVar& iv : stage->op->root_iter_vars()) (*rmap)[iv] = iv->dom;
    return;
  }
  TensorMap<TensorDom> tmap;
  std::vector<Operation> consumers;
  std::unordered_set<const Object*> seen;
  for (int i = 0; i < stage->op->num_outputs(); ++i) {
    Tensor t = stage->op.output(i);
    tmap.emplace(t, TensorDom(static_cast<int>(t.ndim())));
    auto it = ctx.feed_graph.find(t);
    if (it == ctx.feed_graph.end()) continue;
    for (const Operation& op : it->second) {
      if (seen.insert(op.get()).second) consumers.push_back(op);
    }
  }
  int rank = InferStorageRank(stage, ctx);
  Array<IterVar> own_path = ctx.attach_path.at(stage->op);
  IterVar attach_point = own_path.empty() ? IterVar() : own_path[0];

  for (const Operation& op : consumers) {
    auto sit = ctx.op2stage.find(op.get());
    ICHECK(sit != ctx.op2stage.end());
    const Stage& consumer = sit->second;
    IterVarSetMap up_state;
    Map<Var, IntSet> relax;
    bool inside = false;
    // The consumer's own loops, innermost first.
    for (size_t i = consumer->leaf_iter_vars.size(); i != 0; --i) {
      const IterVar& iv = consumer->leaf_iter_vars[i - 1];
      if (attach_point.defined() && iv.same_as(attach_point)) inside = true;
      auto rit = rmap->find(iv);
      ICHECK(rit != rmap->end()) << "no range for " << AxisName(iv);
      const Range& r = rit->second;
      if (is_one(r->extent)) {
        up_state[iv] = IntSet::SinglePoint(r->min);
      } else if (!NeedRelax(iv, !inside, ctx, rank)) {
        TVM_CHECK(is_zero(r->min), "InternalError")
            << "InferBound needs loops that start at 0 (call schedule.normalize first)";
        auto bit = ctx.bind_map.find(iv);
        up_state[iv] = IntSet::SinglePoint(bit != ctx.bind_map.end() ? bit->second->var : iv->var);
      } else {
        up_state[iv] = IntSet::FromRange(r);
      }
    }
    // The loops the consumer is itself nested in (innermost first). The range
    // of a loop of a stage that is itself computed at another stage's loop
    // depends on that outer loop, so relax from the outside in: each range is
    // evaluated with the outer loops already relaxed, and the map ends up free
    // of relaxed variables (one EvalSet over it is then exact).
    const Array<IterVar>& path = ctx.attach_path.at(op);
    std::vector<bool> relax_loop(path.size());
    for (size_t i = 0; i < path.size(); ++i) {
      if (attach_point.defined() && path[i].same_as(attach_point)) inside = true;
      relax_loop[i] = NeedRelax(path[i], !inside, ctx, rank);
    }
    for (size_t i = path.size(); i != 0; --i) {
      if (!relax_loop[i - 1]) continue;
      const IterVar& iv = path[i - 1];
      const Range& r = rmap->at(iv);
      IntSet set = IntSet::FromRange(r);
      if (!relax.empty()) {
        set = IntSet::Interval(arith::EvalSet(r->min, relax).min(),
                               arith::EvalSet(r->min + r->extent - 1, relax).max());
      }
      relax.Set(iv->var, set);
      auto bit = ctx.bind_map.find(iv);
      if (bit != ctx.bind_map.end()) relax.Set(bit->second->var, set);
    }
    TVM_CHECK(inside || !attach_point.defined(), "ValueError")
        << "stage " << StageName(stage) << " is computed at axis " << AxisName(attach_point) << " of stage "
        << StageName(Downcast<Stage>(stage.GetAttachSpec()->attach_stage)) << ", but its consumer "
        << StageName(consumer)
        << " is not inside that loop; compute a stage at a loop of (every one of) its consumers";
    PassUpDomain(consumer, *rmap, &up_state);
    std::unordered_map<const VarNode*, IntSet> dom_map;
    arith::Analyzer analyzer;
    for (const IterVar& iv : op->root_iter_vars()) {
      Range r;
      auto uit = up_state.find(iv);
      r = uit != up_state.end() ? uit->second.CoverRange(iv->dom) : iv->dom;
      if (!relax.empty()) {
        PrimExpr lo = arith::EvalSet(r->min, relax).min();
        PrimExpr hi = arith::EvalSet(r->min + r->extent - 1, relax).max();
        dom_map[iv->var.get()] = IntSet::Interval(lo, hi);
      } else {
        dom_map[iv->var.get()] = IntSet::FromRange(r);
      }
      analyzer.Bind(iv->var, r, /*allow_override=*/true);
    }
    op->PropBoundToInputs(op, &analyzer, dom_map, &tmap);
  }
  stage->op->GatherBound(stage->op, tmap, rmap);
}

}  // namespace

BoundMap InferBound(const Schedule& sch) {
  GraphContext ctx;
  Array<Operation> roots;
  for (const Operation& op : sch->outputs) {
    auto s = sch->stage_map.Get(op);
    TVM_CHECK(s.has_value(), "ValueError") << "output " << op->name << " has no stage in the schedule";
    roots.push_back((*s)->op);
  }
  ctx.feed_graph = CreateFeedGraph(CreateReadGraph(roots));
  for (const Stage& stage : sch->stages) {
    for (const auto& kv : stage->iter_var_attrs) {
      if (kv.second->bind_thread.defined()) ctx.bind_map[kv.first] = kv.second->bind_thread;
    }
    ctx.op2stage[stage->op.get()] = stage;
  }
  ValidateComputeAt(sch);
  ctx.attach_path = CreateAttachPath(sch);
  // Stages attached to a stage that was inlined have nowhere to go.
  for (const Stage& stage : sch->stages) {
    Stage spec = stage.GetAttachSpec();
    if (spec->attach_type != kScope || stage->attach_type == kInlinedAlready) continue;
    Stage target = Downcast<Stage>(spec->attach_stage);
    TVM_CHECK(target->attach_type != kInlinedAlready, "ValueError")
        << "stage " << StageName(stage) << " is computed at a loop of stage " << StageName(target)
        << ", which is inlined";
  }

  IterVarRangeMap ranges;
  arith::Analyzer analyzer;
  for (size_t i = sch->stages.size(); i != 0; --i) {
    const Stage& stage = sch->stages[i - 1];
    InferRootBound(stage, ctx, &ranges);
    if (stage->attach_type == kInlinedAlready) continue;
    for (const IterVar& iv : stage->op->root_iter_vars()) {
      auto it = ranges.find(iv);
      if (it != ranges.end()) analyzer.Bind(iv->var, it->second, /*allow_override=*/true);
    }
    PassDownDomain(stage, &ranges, &analyzer);
    for (const IterVar& iv : stage->env_threads) ranges[iv] = iv->dom;
  }
  BoundMap result;
  for (auto& kv : ranges) {
    DataType t = kv.first->var.dtype();
    PrimExpr min = kv.second->min, extent = kv.second->extent;
    if (min.dtype() != t) min = cast(t, min);
    if (extent.dtype() != t) extent = cast(t, extent);
    result.Set(kv.first, Range::FromMinExtent(analyzer.Simplify(min), analyzer.Simplify(extent)));
  }
  return result;
}

TVM_REGISTER_GLOBAL("schedule.InferBound").set_body_typed([](Schedule sch) { return InferBound(sch); });

}  // namespace te
}  // namespace tvm
