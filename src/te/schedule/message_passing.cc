/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/te/schedule/message_passing.cc
 * \brief Ranges, values, sets and flags carried across split/fuse/rebase.
 */
#include "message_passing.h"

#include <tvm/ir/repr_printer.h>
#include <tvm/tir/op.h>

#include <unordered_set>

namespace tvm {
namespace te {

using arith::IntSet;

namespace {

// Arithmetic that keeps the common cases (0 and 1) out of the IR.
PrimExpr AddIfNonZero(PrimExpr a, const PrimExpr& b) {
  if (is_zero(b)) return a;
  if (is_zero(a)) return b;
  return add(a, b);
}

PrimExpr MulIfNotOne(const PrimExpr& a, const PrimExpr& b) {
  if (is_one(b)) return a;
  if (is_zero(a) || is_zero(b)) return make_zero(a.dtype());
  return mul(a, b);
}

PrimExpr CastTo(DataType t, const PrimExpr& e) {
  if (e.dtype() == t) return e;
  return cast(t, e);
}

bool Has(const IterVarRangeMap& m, const IterVar& iv) { return m.count(iv) != 0; }

const Range& RangeOf(const IterVarRangeMap& m, const IterVar& iv, const Stage& stage) {
  auto it = m.find(iv);
  TVM_CHECK(it != m.end(), "InternalError")
      << "no range for axis " << AxisName(iv) << " of stage " << StageName(stage);
  return it->second;
}

/*! \brief Record the range of iv, or check it agrees with the one recorded (thread axes). */
void UpdateRange(const Stage& stage, IterVarRangeMap* state, const IterVar& iv, const Range& r,
                 arith::Analyzer* analyzer, const IterVar& bound_from) {
  auto it = state->find(iv);
  if (it == state->end()) {
    (*state)[iv] = r;
    analyzer->Bind(iv->var, r, /*allow_override=*/true);
    return;
  }
  bool same = is_zero(it->second->min) && analyzer->CanProveEqual(it->second->extent, r->extent);
  TVM_CHECK(same, "ValueError") << "thread axis " << iv->thread_tag << " (" << AxisName(iv)
                                << ") is bound to loops of different extents: " << it->second->extent << " and "
                                << r->extent << " (axis " << AxisName(bound_from) << " of stage "
                                << StageName(stage) << ")";
}

/*!
 * \brief Whether a leaf derived from `iv` (by splits, fuses, rebases) is bound to a
 *  thread: its extent then sizes a thread launch and must stay as the user split it.
 */
bool FeedsThreadBinding(const Stage& stage, const IterVar& iv) {
  std::unordered_set<const Object*> derived{iv.get()};
  auto has = [&](const IterVar& v) { return derived.count(v.get()) != 0; };
  for (const IterVarRelation& rel : stage->relations) {
    if (const auto* s = rel.as<SplitNode>()) {
      if (has(s->parent)) derived.insert({s->outer.get(), s->inner.get()});
    } else if (const auto* f = rel.as<FuseNode>()) {
      if (has(f->outer) || has(f->inner)) derived.insert(f->fused.get());
    } else if (const auto* r = rel.as<RebaseNode>()) {
      if (has(r->parent)) derived.insert(r->rebased.get());
    } else if (const auto* t = rel.as<TransformNode>()) {
      bool any = false;
      for (const IterVar& v : t->original_variables) any = any || has(v);
      if (any) {
        for (const IterVar& v : t->transformed_variables) derived.insert(v.get());
      }
    }
  }
  for (const auto& kv : stage->iter_var_attrs) {
    if (kv.second->bind_thread.defined() && has(kv.first)) return true;
  }
  return false;
}

}  // namespace

void PassDownDomain(const Stage& stage, IterVarRangeMap* p_state, arith::Analyzer* analyzer, bool allow_missing) {
  IterVarRangeMap& state = *p_state;
  auto set = [&](const IterVar& iv, PrimExpr min, PrimExpr extent) {
    Range r = Range::FromMinExtent(min, analyzer->Simplify(extent));
    state[iv] = r;
    analyzer->Bind(iv->var, r, /*allow_override=*/true);
  };
  for (const IterVarRelation& rel : stage->relations) {
    if (const auto* s = rel.as<SplitNode>()) {
      if (!Has(state, s->parent)) {
        TVM_CHECK(allow_missing, "InternalError") << "split of unknown range in stage " << StageName(stage);
        continue;
      }
      const Range parent = state.at(s->parent);
      DataType t = parent->extent.dtype();
      // A factor (or nparts) beyond the parent's extent gives a loop of the parent's
      // extent: split(x, 32) of an 8-long x is 1 x 8, not 1 x 32 guarded down to 8.
      // Not in the early passes that allow missing ranges (rfactor), not for loops that
      // size a thread launch, and not for a zero extent (kept away from empty loops).
      auto tightened = [&](const IterVar& iv, PrimExpr bound) {
        if (allow_missing || is_zero(parent->extent) || FeedsThreadBinding(stage, iv)) return bound;
        return analyzer->CanProve(parent->extent < bound) ? parent->extent : bound;
      };
      if (s->factor.defined()) {
        PrimExpr factor = CastTo(t, s->factor);
        set(s->inner, make_zero(t), tightened(s->inner, factor));
        set(s->outer, make_zero(t), ceildiv(parent->extent, factor));
      } else {
        PrimExpr nparts = CastTo(t, s->nparts);
        set(s->outer, make_zero(t), tightened(s->outer, nparts));
        set(s->inner, make_zero(t), ceildiv(parent->extent, nparts));
      }
    } else if (const auto* f = rel.as<FuseNode>()) {
      if (!Has(state, f->outer) || !Has(state, f->inner)) {
        TVM_CHECK(allow_missing, "InternalError") << "fuse of unknown range in stage " << StageName(stage);
        continue;
      }
      const Range& outer = state.at(f->outer);
      const Range& inner = state.at(f->inner);
      DataType t = f->fused->var.dtype();
      set(f->fused, make_zero(t), mul(CastTo(t, outer->extent), CastTo(t, inner->extent)));
    } else if (const auto* r = rel.as<RebaseNode>()) {
      if (!Has(state, r->parent)) {
        TVM_CHECK(allow_missing, "InternalError") << "rebase of unknown range in stage " << StageName(stage);
        continue;
      }
      const Range& parent = state.at(r->parent);
      set(r->rebased, make_zero(parent->extent.dtype()), parent->extent);
    } else if (const auto* s1 = rel.as<SingletonNode>()) {
      set(s1->iter, make_zero(s1->iter->var.dtype()), make_const(s1->iter->var.dtype(), 1));
    } else if (const auto* t = rel.as<TransformNode>()) {
      // Each transformed axis covers what its forward index takes over the original ranges.
      std::unordered_map<const VarNode*, IntSet> dom;
      bool known = true;
      for (const IterVar& v : t->original_variables) {
        if (!Has(state, v)) {
          known = false;
          break;
        }
        dom[v->var.get()] = IntSet::FromRange(state.at(v));
      }
      if (!known) {
        TVM_CHECK(allow_missing, "InternalError") << "transform of unknown range in stage " << StageName(stage);
        continue;
      }
      for (size_t j = 0; j < t->transformed_variables.size(); ++j) {
        IntSet s = arith::EvalSet(t->forward_transformation->final_indices[j], dom);
        const IterVar& iv = t->transformed_variables[j];
        if (!s.HasLowerBound() || !s.HasUpperBound()) {
          set(iv, iv->dom->min, iv->dom->extent);
        } else {
          PrimExpr lo = analyzer->Simplify(s.min());
          set(iv, lo, s.max() - lo + 1);
        }
      }
    } else {
      TVM_CHECK(false, "InternalError") << "unknown iteration relation " << rel->GetTypeKey();
    }
  }
  // A leaf bound to a thread gives the thread axis its range.
  for (const auto& kv : stage->iter_var_attrs) {
    const IterVar& thread = kv.second->bind_thread;
    if (!thread.defined()) continue;
    auto it = state.find(kv.first);
    if (it == state.end()) {
      TVM_CHECK(allow_missing, "InternalError")
          << "no range for bound axis " << AxisName(kv.first) << " of stage " << StageName(stage);
      continue;
    }
    UpdateRange(stage, p_state, thread, it->second, analyzer, kv.first);
  }
}

void PassUpIndex(const Stage& stage, const IterVarRangeMap& dom_map, IterVarExprMap* p_state, bool allow_missing) {
  IterVarExprMap& state = *p_state;
  for (size_t i = stage->relations.size(); i != 0; --i) {
    const IterVarRelation& rel = stage->relations[i - 1];
    if (const auto* s = rel.as<SplitNode>()) {
      if (!state.count(s->outer) || !state.count(s->inner)) {
        TVM_CHECK(allow_missing, "InternalError") << "split without leaf values in stage " << StageName(stage);
        continue;
      }
      PrimExpr factor = RangeOf(dom_map, s->inner, stage)->extent;
      PrimExpr parent_min = RangeOf(dom_map, s->parent, stage)->min;
      PrimExpr outer = state.at(s->outer);
      PrimExpr inner = state.at(s->inner);
      DataType t = s->parent->var.dtype();
      PrimExpr value = AddIfNonZero(MulIfNotOne(CastTo(t, outer), CastTo(t, factor)), CastTo(t, inner));
      state[s->parent] = AddIfNonZero(value, CastTo(t, parent_min));
    } else if (const auto* f = rel.as<FuseNode>()) {
      if (!state.count(f->fused)) {
        TVM_CHECK(allow_missing, "InternalError") << "fuse without a value in stage " << StageName(stage);
        continue;
      }
      PrimExpr value = state.at(f->fused);
      const Range& outer = RangeOf(dom_map, f->outer, stage);
      const Range& inner = RangeOf(dom_map, f->inner, stage);
      PrimExpr factor = CastTo(value.dtype(), inner->extent);
      PrimExpr v_outer, v_inner;
      if (is_one(factor)) {
        v_outer = value;
        v_inner = make_zero(value.dtype());
      } else {
        v_outer = floordiv(value, factor);
        v_inner = floormod(value, factor);
      }
      if (is_one(outer->extent)) v_outer = make_zero(value.dtype());
      state[f->outer] = AddIfNonZero(CastTo(f->outer->var.dtype(), v_outer), CastTo(f->outer->var.dtype(), outer->min));
      state[f->inner] = AddIfNonZero(CastTo(f->inner->var.dtype(), v_inner), CastTo(f->inner->var.dtype(), inner->min));
    } else if (const auto* r = rel.as<RebaseNode>()) {
      if (!state.count(r->rebased)) {
        TVM_CHECK(allow_missing, "InternalError") << "rebase without a value in stage " << StageName(stage);
        continue;
      }
      PrimExpr parent_min = RangeOf(dom_map, r->parent, stage)->min;
      DataType t = r->parent->var.dtype();
      state[r->parent] = AddIfNonZero(CastTo(t, state.at(r->rebased)), CastTo(t, parent_min));
    } else if (rel.as<SingletonNode>()) {
      // Nothing derives from a singleton.
    } else if (const auto* t = rel.as<TransformNode>()) {
      Array<PrimExpr> values;
      for (const IterVar& v : t->transformed_variables) {
        if (!state.count(v)) break;
        values.push_back(state.at(v));
      }
      if (values.size() != t->transformed_variables.size()) {
        TVM_CHECK(allow_missing, "InternalError") << "transform without leaf values in stage " << StageName(stage);
        continue;
      }
      Array<PrimExpr> originals = t->inverse_transformation->MapIndices(values);
      for (size_t k = 0; k < originals.size(); ++k) state[t->original_variables[k]] = originals[k];
    } else {
      TVM_CHECK(false, "InternalError") << "unknown iteration relation " << rel->GetTypeKey();
    }
  }
}

void PassDownIndex(const Stage& stage, const IterVarRangeMap& dom_map, IterVarExprMap* p_state, bool allow_missing) {
  IterVarExprMap& state = *p_state;
  for (const IterVarRelation& rel : stage->relations) {
    if (const auto* s = rel.as<SplitNode>()) {
      if (!state.count(s->parent)) {
        TVM_CHECK(allow_missing, "InternalError") << "split without a value in stage " << StageName(stage);
        continue;
      }
      const Range& inner = RangeOf(dom_map, s->inner, stage);
      PrimExpr parent = state.at(s->parent);
      PrimExpr factor = CastTo(parent.dtype(), inner->extent);
      if (is_one(factor)) {
        state[s->outer] = parent;
        state[s->inner] = make_zero(parent.dtype());
      } else {
        state[s->outer] = floordiv(parent, factor);
        state[s->inner] = floormod(parent, factor);
      }
    } else if (const auto* f = rel.as<FuseNode>()) {
      if (!state.count(f->outer) || !state.count(f->inner)) {
        TVM_CHECK(allow_missing, "InternalError") << "fuse without values in stage " << StageName(stage);
        continue;
      }
      const Range& inner = RangeOf(dom_map, f->inner, stage);
      DataType t = f->fused->var.dtype();
      state[f->fused] = AddIfNonZero(MulIfNotOne(CastTo(t, state.at(f->outer)), CastTo(t, inner->extent)),
                                     CastTo(t, state.at(f->inner)));
    } else if (const auto* r = rel.as<RebaseNode>()) {
      if (!state.count(r->parent)) {
        TVM_CHECK(allow_missing, "InternalError") << "rebase without a value in stage " << StageName(stage);
        continue;
      }
      PrimExpr parent_min = RangeOf(dom_map, r->parent, stage)->min;
      PrimExpr v = state.at(r->parent);
      state[r->rebased] = is_zero(parent_min) ? v : sub(v, CastTo(v.dtype(), parent_min));
    } else if (const auto* s1 = rel.as<SingletonNode>()) {
      state[s1->iter] = make_zero(s1->iter->var.dtype());
    } else if (const auto* t = rel.as<TransformNode>()) {
      Array<PrimExpr> values;
      for (const IterVar& v : t->original_variables) {
        if (!state.count(v)) break;
        values.push_back(state.at(v));
      }
      if (values.size() != t->original_variables.size()) {
        TVM_CHECK(allow_missing, "InternalError") << "transform without values in stage " << StageName(stage);
        continue;
      }
      Array<PrimExpr> transformed = t->forward_transformation->MapIndices(values);
      for (size_t j = 0; j < transformed.size(); ++j) state[t->transformed_variables[j]] = transformed[j];
    } else {
      TVM_CHECK(false, "InternalError") << "unknown iteration relation " << rel->GetTypeKey();
    }
  }
}

void PassUpDomain(const Stage& stage, const IterVarRangeMap& dom_map, IterVarSetMap* p_state) {
  IterVarSetMap& state = *p_state;
  arith::Analyzer analyzer;
  for (size_t i = stage->relations.size(); i != 0; --i) {
    const IterVarRelation& rel = stage->relations[i - 1];
    if (const auto* s = rel.as<SplitNode>()) {
      const IntSet& outer = state.at(s->outer);
      const IntSet& inner = state.at(s->inner);
      const Range& parent_range = RangeOf(dom_map, s->parent, stage);
      // Both halves cover their whole ranges: the parent covers its whole range.
      if (outer.MatchRange(RangeOf(dom_map, s->outer, stage)) && inner.MatchRange(RangeOf(dom_map, s->inner, stage))) {
        state[s->parent] = IntSet::FromRange(parent_range);
        continue;
      }
      // An unbounded half (a region the analysis could not bound) leaves the
      // parent anywhere in its range.
      if (!outer.HasLowerBound() || !outer.HasUpperBound() || !inner.HasLowerBound() || !inner.HasUpperBound()) {
        state[s->parent] = IntSet::FromRange(parent_range);
        continue;
      }
      // parent = outer * factor + inner + min is increasing in both halves (the
      // factor is an extent, never negative, even where it is symbolic and its
      // sign cannot be proven), so its ends come from theirs.
      PrimExpr factor = RangeOf(dom_map, s->inner, stage)->extent;
      DataType t = s->parent->var.dtype();
      auto at = [&](const PrimExpr& o, const PrimExpr& i) {
        return AddIfNonZero(add(mul(CastTo(t, o), CastTo(t, factor)), CastTo(t, i)), CastTo(t, parent_range->min));
      };
      if (outer.IsSinglePoint() && inner.IsSinglePoint()) {
        state[s->parent] = IntSet::SinglePoint(at(outer.PointValue(), inner.PointValue()));
      } else {
        state[s->parent] = IntSet::Interval(at(outer.min(), inner.min()), at(outer.max(), inner.max()));
      }
    } else if (const auto* f = rel.as<FuseNode>()) {
      const IntSet& fused = state.at(f->fused);
      const Range& outer_range = RangeOf(dom_map, f->outer, stage);
      const Range& inner_range = RangeOf(dom_map, f->inner, stage);
      if (fused.MatchRange(RangeOf(dom_map, f->fused, stage))) {
        state[f->outer] = IntSet::FromRange(outer_range);
        state[f->inner] = IntSet::FromRange(inner_range);
        continue;
      }
      if (!fused.HasLowerBound() || !fused.HasUpperBound()) {
        state[f->outer] = IntSet::FromRange(outer_range);
        state[f->inner] = IntSet::FromRange(inner_range);
        continue;
      }
      PrimExpr inner_extent = inner_range->extent;
      if (fused.IsSinglePoint()) {
        PrimExpr v = fused.PointValue();
        state[f->outer] = IntSet::SinglePoint(AddIfNonZero(floordiv(v, inner_extent), outer_range->min));
        state[f->inner] = IntSet::SinglePoint(AddIfNonZero(floormod(v, inner_extent), inner_range->min));
        continue;
      }
      PrimExpr lo = fused.min();
      PrimExpr hi = fused.max();
      state[f->outer] = IntSet::Interval(AddIfNonZero(floordiv(lo, inner_extent), outer_range->min),
                                         AddIfNonZero(floordiv(hi, inner_extent), outer_range->min));
      PrimExpr span = analyzer.Simplify(hi - lo + 1);
      // The fused range stays inside one row of the inner axis: a tight box.
      if (is_zero(analyzer.Simplify(floormod(inner_extent, span))) &&
          is_zero(analyzer.Simplify(floormod(lo, span)))) {
        state[f->inner] = IntSet::Interval(AddIfNonZero(floormod(lo, inner_extent), inner_range->min),
                                           AddIfNonZero(floormod(hi, inner_extent), inner_range->min));
      } else {
        state[f->inner] = IntSet::FromRange(inner_range);
      }
    } else if (const auto* r = rel.as<RebaseNode>()) {
      const IntSet& rebased = state.at(r->rebased);
      const Range& parent_range = RangeOf(dom_map, r->parent, stage);
      if (rebased.MatchRange(RangeOf(dom_map, r->rebased, stage))) {
        state[r->parent] = IntSet::FromRange(parent_range);
        continue;
      }
      PrimExpr value = AddIfNonZero(r->rebased->var, CastTo(r->rebased->var.dtype(), parent_range->min));
      std::unordered_map<const VarNode*, IntSet> vars{{r->rebased->var.get(), rebased}};
      state[r->parent] = arith::EvalSet(value, vars);
    } else if (rel.as<SingletonNode>()) {
      // Nothing to pass.
    } else if (const auto* t = rel.as<TransformNode>()) {
      bool all_full = true;
      std::unordered_map<const VarNode*, IntSet> vars;
      for (const IterVar& v : t->transformed_variables) {
        const IntSet& s = state.at(v);
        all_full = all_full && s.MatchRange(RangeOf(dom_map, v, stage));
        vars[v->var.get()] = s;
      }
      for (size_t k = 0; k < t->original_variables.size(); ++k) {
        const IterVar& original = t->original_variables[k];
        state[original] = all_full ? IntSet::FromRange(RangeOf(dom_map, original, stage))
                                   : arith::EvalSet(t->inverse_transformation->final_indices[k], vars);
      }
    } else {
      TVM_CHECK(false, "InternalError") << "unknown iteration relation " << rel->GetTypeKey();
    }
  }
}

void PassUpBitMaskOr(const Stage& stage, IterVarIntMap* p_state, bool allow_missing) {
  IterVarIntMap& state = *p_state;
  auto get = [&](const IterVar& iv) -> int {
    auto it = state.find(iv);
    return it == state.end() ? 0 : it->second;
  };
  for (size_t i = stage->relations.size(); i != 0; --i) {
    const IterVarRelation& rel = stage->relations[i - 1];
    if (const auto* s = rel.as<SplitNode>()) {
      if (!state.count(s->outer) && !state.count(s->inner)) {
        TVM_CHECK(allow_missing, "InternalError") << "missing split flags in stage " << StageName(stage);
        continue;
      }
      state[s->parent] = get(s->parent) | get(s->outer) | get(s->inner);
    } else if (const auto* f = rel.as<FuseNode>()) {
      if (!state.count(f->fused)) {
        TVM_CHECK(allow_missing, "InternalError") << "missing fuse flags in stage " << StageName(stage);
        continue;
      }
      state[f->outer] = get(f->outer) | state.at(f->fused);
      state[f->inner] = get(f->inner) | state.at(f->fused);
    } else if (const auto* r = rel.as<RebaseNode>()) {
      if (!state.count(r->rebased)) {
        TVM_CHECK(allow_missing, "InternalError") << "missing rebase flags in stage " << StageName(stage);
        continue;
      }
      state[r->parent] = get(r->parent) | state.at(r->rebased);
    } else if (const auto* t = rel.as<TransformNode>()) {
      int flags = 0;
      for (const IterVar& v : t->transformed_variables) flags |= get(v);
      for (const IterVar& v : t->original_variables) state[v] = get(v) | flags;
    }
  }
}

void PassDownBitMaskOr(const Stage& stage, IterVarIntMap* p_state, bool allow_missing) {
  IterVarIntMap& state = *p_state;
  auto get = [&](const IterVar& iv) -> int {
    auto it = state.find(iv);
    return it == state.end() ? 0 : it->second;
  };
  for (const IterVarRelation& rel : stage->relations) {
    if (const auto* s = rel.as<SplitNode>()) {
      if (!state.count(s->parent)) {
        TVM_CHECK(allow_missing, "InternalError") << "missing split flags in stage " << StageName(stage);
        continue;
      }
      state[s->outer] = get(s->outer) | state.at(s->parent);
      state[s->inner] = get(s->inner) | state.at(s->parent);
    } else if (const auto* f = rel.as<FuseNode>()) {
      if (!state.count(f->outer) && !state.count(f->inner)) {
        TVM_CHECK(allow_missing, "InternalError") << "missing fuse flags in stage " << StageName(stage);
        continue;
      }
      state[f->fused] = get(f->fused) | get(f->outer) | get(f->inner);
    } else if (const auto* r = rel.as<RebaseNode>()) {
      if (!state.count(r->parent)) {
        TVM_CHECK(allow_missing, "InternalError") << "missing rebase flags in stage " << StageName(stage);
        continue;
      }
      state[r->rebased] = get(r->rebased) | state.at(r->parent);
    } else if (const auto* s1 = rel.as<SingletonNode>()) {
      state[s1->iter] = 0;
    } else if (const auto* t = rel.as<TransformNode>()) {
      int flags = 0;
      for (const IterVar& v : t->original_variables) flags |= get(v);
      for (const IterVar& v : t->transformed_variables) state[v] = get(v) | flags;
    }
  }
}

namespace {

/*!
 * \brief For every variable: may its value (from the leaves) leave its range?
 *  Only splits that do not divide their extent introduce such values.
 */
void PassUpBoundCheck(const Stage& stage, const IterVarRangeMap& dom_map, std::unordered_map<IterVar, bool, ObjectPtrHash, ObjectPtrEqual>* p_state,
                      arith::Analyzer* analyzer) {
  auto& state = *p_state;
  auto get = [&](const IterVar& iv) {
    auto it = state.find(iv);
    return it != state.end() && it->second;
  };
  for (size_t i = stage->relations.size(); i != 0; --i) {
    const IterVarRelation& rel = stage->relations[i - 1];
    if (const auto* s = rel.as<SplitNode>()) {
      bool needs = get(s->outer) || get(s->inner);
      if (!needs) {
        auto pit = dom_map.find(s->parent);
        auto oit = dom_map.find(s->outer);
        auto iit = dom_map.find(s->inner);
        if (pit == dom_map.end() || oit == dom_map.end() || iit == dom_map.end()) {
          needs = true;
        } else {
          PrimExpr covered = mul(oit->second->extent, iit->second->extent);
          needs = !analyzer->CanProveEqual(pit->second->extent, covered);
        }
      }
      state[s->parent] = needs;
    } else if (const auto* f = rel.as<FuseNode>()) {
      // The fused value is checked itself when it may leave its range; within
      // it, outer = fused / extent(inner) and inner = fused % extent(inner)
      // stay in theirs, so checking them again would repeat the same guard.
      state[f->outer] = false;
      state[f->inner] = false;
    } else if (const auto* r = rel.as<RebaseNode>()) {
      state[r->parent] = get(r->rebased);
    } else if (const auto* t = rel.as<TransformNode>()) {
      // A bijection of boxes: the originals leave their ranges only if a transformed axis does.
      bool needs = false;
      for (const IterVar& v : t->transformed_variables) needs = needs || get(v);
      for (const IterVar& v : t->original_variables) state[v] = needs;
    }
  }
}

}  // namespace

std::vector<PrimExpr> MakeBoundCheck(const Stage& stage, const IterVarRangeMap& dom_map,
                                     const IterVarExprMap& value_map, bool skip_ivar_domain,
                                     const IterVarSet& skip_iter) {
  arith::Analyzer analyzer;
  std::unordered_map<IterVar, bool, ObjectPtrHash, ObjectPtrEqual> needs_check;
  for (const IterVar& iv : stage->leaf_iter_vars) needs_check[iv] = false;
  PassUpBoundCheck(stage, dom_map, &needs_check, &analyzer);

  std::unordered_map<const VarNode*, IntSet> var_sets;
  for (const auto& kv : dom_map) {
    var_sets[kv.first->var.get()] = IntSet::FromRange(kv.second);
    analyzer.Bind(kv.first->var, kv.second, /*allow_override=*/true);
  }
  std::vector<PrimExpr> preds;
  auto value_of = [&](const IterVar& iv) -> PrimExpr {
    auto it = value_map.find(iv);
    TVM_CHECK(it != value_map.end(), "InternalError")
        << "no value for axis " << AxisName(iv) << " of stage " << StageName(stage);
    return it->second;
  };
  for (const IterVar& iv : stage->all_iter_vars) {
    if (skip_iter.count(iv) || iv->iter_type == kOpaque) continue;
    auto it = needs_check.find(iv);
    if (it == needs_check.end() || !it->second) continue;
    const Range& dom = dom_map.at(iv);
    PrimExpr value = analyzer.Simplify(value_of(iv) - dom->min);
    IntSet s = arith::EvalSet(value, var_sets);
    PrimExpr vmax = s.max();
    if (!s.HasUpperBound() || vmax.dtype() != value.dtype() || !analyzer.CanProve(vmax < dom->extent)) {
      preds.push_back(value < dom->extent);
    }
  }
  if (!skip_ivar_domain) {
    for (const IterVar& iv : stage->op->root_iter_vars()) {
      if (skip_iter.count(iv) || iv->iter_type == kOpaque) continue;
      const Range& dom = dom_map.at(iv);
      if (!iv->dom.defined()) continue;
      bool same = dom.same_as(iv->dom) ||
                  (analyzer.CanProveEqual(dom->min, iv->dom->min) && analyzer.CanProveEqual(dom->extent, iv->dom->extent));
      if (same) continue;
      PrimExpr value = analyzer.Simplify(value_of(iv) - iv->dom->min);
      IntSet s = arith::EvalSet(value, var_sets);
      PrimExpr vmin = s.min();
      PrimExpr vmax = s.max();
      if (!s.HasLowerBound() || vmin.dtype() != value.dtype() || !analyzer.CanProve(vmin >= 0)) {
        preds.push_back(value >= 0);
      }
      if (!s.HasUpperBound() || vmax.dtype() != value.dtype() || !analyzer.CanProve(vmax < iv->dom->extent)) {
        preds.push_back(value < iv->dom->extent);
      }
    }
  }
  return preds;
}

}  // namespace te
}  // namespace tvm
