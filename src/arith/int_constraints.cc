/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// The data of the integer solvers (IntGroupBounds, IntConstraints,
// IntConstraintsTransform) and the operations on them that do not solve
// anything: building bounds from a range, picking the narrowest range a set
// of bounds allows, composing transforms.
#include <tvm/arith/analyzer.h>
#include <tvm/arith/int_set.h>
#include <tvm/arith/int_solver.h>
#include <tvm/ir/repr_printer.h>
#include <tvm/runtime/registry.h>
#include <tvm/tir/op.h>
#include <tvm/tir/stmt_functor.h>

#include <optional>
#include <unordered_map>
#include <vector>

namespace tvm {
namespace arith {

using namespace tir;  // NOLINT(build/namespaces)

TVM_REGISTER_NODE_TYPE(IntGroupBoundsNode);
TVM_REGISTER_NODE_TYPE(IntConstraintsNode);
TVM_REGISTER_NODE_TYPE(IntConstraintsTransformNode);

IntGroupBounds::IntGroupBounds(PrimExpr coef, Array<PrimExpr> lower, Array<PrimExpr> equal,
                               Array<PrimExpr> upper) {
  TVM_CHECK(coef.defined() && (coef.dtype().is_int() || coef.dtype().is_uint()), "TypeError")
      << "IntGroupBounds: the coefficient must be an integer, got "
      << (coef.defined() ? coef.dtype() : DataType::Void());
  auto n = make_object<IntGroupBoundsNode>();
  n->coef = std::move(coef);
  n->lower = std::move(lower);
  n->equal = std::move(equal);
  n->upper = std::move(upper);
  data_ = std::move(n);
}

IntGroupBounds IntGroupBounds::FromRange(const Range& r) {
  TVM_CHECK(r.defined(), "ValueError") << "IntGroupBounds.from_range: the range is undefined";
  Analyzer analyzer;
  PrimExpr one = make_const(r->min.dtype(), 1);
  if (is_one(r->extent)) return IntGroupBounds(one, {}, {r->min}, {});
  return IntGroupBounds(one, {r->min}, {}, {analyzer.Simplify(r->min + r->extent - 1)});
}

IntGroupBounds IntGroupBounds::Substitute(const Map<Var, PrimExpr>& vmap) const {
  auto apply = [&vmap](const Array<PrimExpr>& exprs) {
    Array<PrimExpr> out;
    for (const PrimExpr& e : exprs) out.push_back(tir::Substitute(e, vmap));
    return out;
  };
  const IntGroupBoundsNode* n = operator->();
  return IntGroupBounds(tir::Substitute(n->coef, vmap), apply(n->lower), apply(n->equal), apply(n->upper));
}

IntGroupBounds IntGroupBounds::operator+(const Range& r) const {
  Analyzer analyzer;
  const IntGroupBoundsNode* n = operator->();
  Array<PrimExpr> lower, equal, upper;
  if (is_one(r->extent)) {
    equal.push_back(analyzer.Simplify(r->min * n->coef));
  } else {
    lower.push_back(analyzer.Simplify(r->min * n->coef));
    upper.push_back(analyzer.Simplify((r->min + r->extent - 1) * n->coef));
  }
  for (const PrimExpr& e : n->lower) lower.push_back(e);
  for (const PrimExpr& e : n->equal) equal.push_back(e);
  for (const PrimExpr& e : n->upper) upper.push_back(e);
  return IntGroupBounds(n->coef, lower, equal, upper);
}

Range IntGroupBounds::FindBestRange(const Map<Var, Range>& vranges) const {
  const IntGroupBoundsNode* n = operator->();
  Analyzer analyzer;
  analyzer.Bind(vranges);
  std::unordered_map<const VarNode*, IntSet> domains;
  for (const auto& kv : vranges) domains[kv.first.get()] = IntSet::FromRange(kv.second);

  // An equality bounds both sides.
  std::vector<PrimExpr> lowers(n->equal.begin(), n->equal.end());
  std::vector<PrimExpr> uppers(n->equal.begin(), n->equal.end());
  for (const PrimExpr& e : n->lower) lowers.push_back(e);
  for (const PrimExpr& e : n->upper) uppers.push_back(e);
  if (lowers.size() == 1 && uppers.size() == 1 && is_one(n->coef)) {
    return Range(analyzer.Simplify(lowers[0]), analyzer.Simplify(uppers[0] + 1));
  }

  // The bounds are on coef * v: v >= ceil(low / coef) and v <= floor(upp / coef).
  // Of every (low, upp) pair keep the one whose width is provably smallest;
  // widths depending on other variables are over-approximated over vranges.
  auto upper_end = [&](const PrimExpr& e) -> std::optional<PrimExpr> {
    IntSet s = EvalSet(analyzer.Simplify(e, 3), domains);
    if (!s.HasUpperBound()) return std::nullopt;
    return analyzer.Simplify(s.max(), 3);
  };
  PrimExpr best_min, best_width;
  for (const PrimExpr& low : lowers) {
    PrimExpr v_min = analyzer.Simplify(floordiv(low + n->coef - 1, n->coef), 3);
    for (const PrimExpr& upp : uppers) {
      std::optional<PrimExpr> width = upper_end(floordiv(upp - low, n->coef));
      // Rounding each end separately can be tighter.
      if (std::optional<PrimExpr> other = upper_end(floordiv(upp, n->coef) - v_min)) {
        if (!width || analyzer.CanProve(*other - *width < 0)) width = other;
      }
      // Ties keep the earlier pair, which is the simpler one.
      if (width && (!best_width.defined() || analyzer.CanProve(*width - best_width < 0))) {
        best_min = v_min;
        best_width = *width;
      }
    }
  }
  if (!best_min.defined()) return Range();
  return Range::FromMinExtent(best_min, analyzer.Simplify(best_width + 1));
}

IntConstraints::IntConstraints(Array<Var> variables, Map<Var, Range> ranges, Array<PrimExpr> relations) {
  for (const Var& v : variables) {
    TVM_CHECK(v.dtype().is_int() || v.dtype().is_uint(), "TypeError")
        << "IntConstraints: variable " << v << " has type " << v.dtype() << ", not an integer";
  }
  for (const auto& kv : ranges) {
    TVM_CHECK(kv.second.defined(), "ValueError") << "IntConstraints: the range of " << kv.first << " is undefined";
  }
  for (const PrimExpr& r : relations) {
    TVM_CHECK(r.defined(), "ValueError") << "IntConstraints: a relation is undefined (None)";
  }
  auto n = make_object<IntConstraintsNode>();
  n->variables = std::move(variables);
  n->ranges = std::move(ranges);
  n->relations = std::move(relations);
  data_ = std::move(n);
}

IntConstraintsTransform::IntConstraintsTransform(IntConstraints src, IntConstraints dst,
                                                 Map<Var, PrimExpr> src_to_dst, Map<Var, PrimExpr> dst_to_src) {
  auto n = make_object<IntConstraintsTransformNode>();
  n->src = std::move(src);
  n->dst = std::move(dst);
  n->src_to_dst = std::move(src_to_dst);
  n->dst_to_src = std::move(dst_to_src);
  data_ = std::move(n);
}

IntConstraintsTransform IntConstraintsTransform::operator+(const IntConstraintsTransform& next) const {
  const IntConstraintsTransformNode* first = operator->();
  TVM_CHECK(next->src.same_as(first->dst), "ValueError")
      << "IntConstraintsTransform: composing transforms needs the second's src to be the first's dst";
  Analyzer in_src;
  in_src.Bind(first->src->ranges);
  Map<Var, PrimExpr> dst_to_src;
  for (const auto& kv : next->dst_to_src) {
    dst_to_src.Set(kv.first, in_src.Simplify(tir::Substitute(kv.second, first->dst_to_src)));
  }
  Analyzer in_dst;
  in_dst.Bind(next->dst->ranges);
  Map<Var, PrimExpr> src_to_dst;
  for (const auto& kv : first->src_to_dst) {
    src_to_dst.Set(kv.first, in_dst.Simplify(tir::Substitute(kv.second, next->src_to_dst)));
  }
  return IntConstraintsTransform(first->src, next->dst, src_to_dst, dst_to_src);
}

Array<PrimExpr> AsConditions(const Array<Var>& variables, const Map<Var, IntGroupBounds>& bounds,
                             const Array<PrimExpr>& relations) {
  Array<PrimExpr> out;
  for (const Var& v : variables) {
    std::optional<IntGroupBounds> b = bounds.Get(v);
    TVM_CHECK(b.has_value(), "ValueError") << "AsConditions: no bounds for variable " << v;
    const IntGroupBoundsNode* n = b->operator->();
    PrimExpr lhs = is_one(n->coef) ? PrimExpr(v) : n->coef * v;
    for (const PrimExpr& e : n->equal) out.push_back(lhs == e);
    for (const PrimExpr& e : n->lower) out.push_back(lhs >= e);
    for (const PrimExpr& e : n->upper) out.push_back(lhs <= e);
  }
  for (const PrimExpr& e : relations) out.push_back(e);
  return out;
}

/*!
 * \brief The system a solver's global function was given: (IntConstraints) or
 *  (variables, ranges, relations), where None stands for an empty list or map.
 */
IntConstraints IntConstraintsFromArgs(const runtime::TVMArgs& args, const char* caller) {
  if (args.size() == 1) return args[0].AsType<IntConstraints>();
  TVM_CHECK(args.size() == 3, "TypeError")
      << caller << " takes an IntConstraints or (variables, ranges, relations), got " << args.size()
      << " arguments";
  return IntConstraints(args[0].AsType<Array<Var>>(), args[1].AsType<Map<Var, Range>>(),
                        args[2].AsType<Array<PrimExpr>>());
}

TVM_REGISTER_GLOBAL("arith.IntGroupBounds")
    .set_body_typed([](PrimExpr coef, Array<PrimExpr> lower, Array<PrimExpr> equal, Array<PrimExpr> upper) {
      return IntGroupBounds(coef, lower, equal, upper);
    });
TVM_REGISTER_GLOBAL("arith.IntGroupBounds_from_range").set_body_typed([](Range r) {
  return IntGroupBounds::FromRange(r);
});
TVM_REGISTER_GLOBAL("arith.IntGroupBounds_FindBestRange").set_body([](TVMArgs args, TVMRetValue* ret) {
  TVM_CHECK(args.size() == 1 || args.size() == 2, "TypeError")
      << "IntGroupBounds.find_best_range takes the bounds and optionally {Var: Range}, got " << args.size()
      << " arguments";
  auto bounds = args[0].AsType<IntGroupBounds>();
  Map<Var, Range> vranges = args.size() == 2 ? args[1].AsType<Map<Var, Range>>() : Map<Var, Range>();
  // An undefined range (no bound on one side) is None.
  *ret = ObjectRef(bounds.FindBestRange(vranges));
});
TVM_REGISTER_GLOBAL("arith.IntConstraints")
    .set_body_typed([](Array<Var> variables, Map<Var, Range> ranges, Array<PrimExpr> relations) {
      return IntConstraints(variables, ranges, relations);
    });
TVM_REGISTER_GLOBAL("arith.IntConstraintsTransform")
    .set_body_typed([](IntConstraints src, IntConstraints dst, Map<Var, PrimExpr> src_to_dst,
                       Map<Var, PrimExpr> dst_to_src) {
      return IntConstraintsTransform(src, dst, src_to_dst, dst_to_src);
    });

}  // namespace arith
}  // namespace tvm
