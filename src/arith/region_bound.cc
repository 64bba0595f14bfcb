/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file region_bound.cc
 * \brief The region a loop nest touches, through iterator maps.
 *
 * Each dimension of a region is [min, min + extent) with min an index of the
 * loop iterators. When the mins form an independent, surjective iterator map,
 * dimension d is one split `s * scale + base` with s taking every value of
 * [0, split_extent), so it touches exactly
 *
 *   [base, base + (split_extent - 1) * scale + extent)        (scale >= 0)
 *
 * provided that consecutive windows leave no gap (extent >= scale). That is
 * the strict bound, also used as the lower bound (the region certainly
 * touched). The upper bound falls back, per dimension, to interval
 * evaluation where no map is found.
 */
#include <tvm/arith/iter_affine_map.h>
#include <tvm/runtime/registry.h>
#include <tvm/tir/op.h>

#include <optional>
#include <unordered_map>

namespace tvm {
namespace arith {

using namespace tir;

namespace {

/*! \brief The values the windows [sum, sum + extent) cover as sum runs over its split; nullopt on gaps. */
std::optional<IntSet> EvalIterSum(const IterSumExpr& sum, const PrimExpr& extent, Analyzer* analyzer) {
  if (analyzer->CanProve(extent == make_zero(extent.dtype()))) return IntSet::Nothing();
  if (sum->args.empty()) return IntSet::FromMinExtent(sum->base, extent);
  if (sum->args.size() != 1) return std::nullopt;
  const IterSplitExpr& split = sum->args[0];
  if (analyzer->CanProve(split->extent == make_zero(split->extent.dtype()))) return IntSet::Nothing();
  if (!analyzer->CanProve(extent >= split->scale)) return std::nullopt;
  PrimExpr span = (split->extent - 1) * split->scale;
  PrimExpr one = make_const(extent.dtype(), 1);
  // The split's extent and the sum's base often carry the same offset (a
  // predicate's lower bound); the canonical form cancels it before the rewrite
  // rules reshape the two copies differently.
  auto simplify = [analyzer](const PrimExpr& e) { return analyzer->Simplify(analyzer->canonical_simplify(e)); };
  if (analyzer->CanProve(split->scale < make_zero(split->scale.dtype()))) {
    // The split runs downwards: from base + span to base.
    return IntSet::Interval(simplify(sum->base + span), simplify(sum->base + extent - one));
  }
  if (!analyzer->CanProve(split->scale >= make_zero(split->scale.dtype()))) return std::nullopt;
  return IntSet::Interval(simplify(sum->base), simplify(sum->base + span + extent - one));
}

std::unordered_map<const VarNode*, IntSet> AsIntSets(const Map<Var, Range>& var_dom) {
  std::unordered_map<const VarNode*, IntSet> out;
  for (const auto& kv : var_dom) out[kv.first.get()] = IntSet::FromRange(kv.second);
  return out;
}

}  // namespace

std::optional<Array<IntSet>> EstimateRegionStrictBound(const Array<Range>& region, const Map<Var, Range>& var_dom,
                                                       const PrimExpr& predicate, Analyzer* analyzer) {
  Array<PrimExpr> mins;
  for (const Range& range : region) {
    // Symbolic extents are not supported: the no-gap test needs extent >= scale.
    if (!is_const_number(range->extent)) return std::nullopt;
    mins.push_back(range->min);
  }
  IterMapResult res = DetectIterMap(mins, var_dom, predicate, IterMapLevel::Surjective, analyzer);
  if (res->indices.size() != region.size()) return std::nullopt;
  Array<IntSet> result;
  for (size_t i = 0; i < region.size(); ++i) {
    std::optional<IntSet> set = EvalIterSum(res->indices[i], region[i]->extent, analyzer);
    if (!set) return std::nullopt;
    result.push_back(*set);
  }
  return result;
}

std::optional<Array<IntSet>> EstimateRegionLowerBound(const Array<Range>& region, const Map<Var, Range>& var_dom,
                                                      const PrimExpr& predicate, Analyzer* analyzer) {
  return EstimateRegionStrictBound(region, var_dom, predicate, analyzer);
}

Array<IntSet> EstimateRegionUpperBound(const Array<Range>& region, const Map<Var, Range>& var_dom,
                                       const PrimExpr& predicate, Analyzer* analyzer) {
  if (auto strict = EstimateRegionStrictBound(region, var_dom, predicate, analyzer)) return *strict;
  // Each dimension on its own, by iterator map where possible, else by intervals.
  auto dom = AsIntSets(var_dom);
  Array<IntSet> result;
  for (const Range& range : region) {
    IterMapResult res = DetectIterMap({range->min}, var_dom, predicate, IterMapLevel::Surjective, analyzer);
    if (res->indices.size() == 1) {
      PrimExpr extent = range->extent;
      if (!is_const_number(extent)) {
        // A larger extent only widens the bound.
        IntSet relaxed = EvalSet(extent, dom);
        extent = relaxed.HasUpperBound() ? relaxed.max() : PrimExpr();
      }
      if (extent.defined()) {
        if (auto set = EvalIterSum(res->indices[0], extent, analyzer)) {
          result.push_back(*set);
          continue;
        }
      }
    }
    result.push_back(EvalSet(range, dom));
  }
  return result;
}

namespace {

ObjectRef OptionalRegion(const std::optional<Array<IntSet>>& region) {
  return region ? ObjectRef(*region) : ObjectRef();
}

}  // namespace

TVM_REGISTER_GLOBAL("arith.EstimateRegionLowerBound")
    .set_body_typed([](Array<Range> region, Map<Var, Range> var_dom, PrimExpr predicate) {
      Analyzer analyzer;
      return OptionalRegion(EstimateRegionLowerBound(region, var_dom, predicate, &analyzer));
    });
TVM_REGISTER_GLOBAL("arith.EstimateRegionStrictBound")
    .set_body_typed([](Array<Range> region, Map<Var, Range> var_dom, PrimExpr predicate) {
      Analyzer analyzer;
      return OptionalRegion(EstimateRegionStrictBound(region, var_dom, predicate, &analyzer));
    });
TVM_REGISTER_GLOBAL("arith.EstimateRegionUpperBound")
    .set_body_typed([](Array<Range> region, Map<Var, Range> var_dom, PrimExpr predicate) {
      Analyzer analyzer;
      return EstimateRegionUpperBound(region, var_dom, predicate, &analyzer);
    });

}  // namespace arith
}  // namespace tvm
