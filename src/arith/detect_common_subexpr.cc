/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file detect_common_subexpr.cc
 * \brief Which sub-expressions of an expression are computed at least
 *  `threshold` times.
 *
 *   c = floor(x + y + 0.5) + x + z * floor(x + y + 0.5)
 *   DetectCommonSubExpr(c, 2)   // {floor(x + y + 0.5): 2}
 *
 * Candidates are pure, non-trivial (more than one node), and not ramps or
 * broadcasts. Counting starts from the largest candidates; a candidate seen
 * fewer than `threshold` times is not worth reusing as a whole, so its count
 * passes on to the largest candidates inside it. Terms that simplify to the
 * same expression count as one.
 */
#include <tvm/arith/analyzer.h>
#include <tvm/ir/op.h>
#include <tvm/runtime/registry.h>
#include <tvm/tir/builtin.h>
#include <tvm/tir/expr.h>
#include <tvm/tir/expr_functor.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "expr_equal.h"

namespace tvm {
namespace arith {

using namespace tir;

namespace {

size_t NodeCount(const PrimExpr& e) {
  struct Counter : public ExprVisitor {
    size_t count{0};
    void VisitExpr(const PrimExpr& e) final {
      ++count;
      ExprVisitor::VisitExpr(e);
    }
  } counter;
  counter.VisitExpr(e);
  return counter.count;
}

/*! \brief Whether e reads or changes no state (only pure calls, no loads). */
bool IsPure(const PrimExpr& e) {
  struct Finder : public ExprVisitor {
    bool pure{true};
    void VisitExpr(const PrimExpr& e) final {
      if (pure) ExprVisitor::VisitExpr(e);
    }
    void VisitExpr_(const CallNode* op) final {
      const auto* callee = op->op.as<OpNode>();
      if (!callee || GetCallEffectKind(GetRef<Op>(callee)) > CallEffectKind::kPure) {
        pure = false;
        return;
      }
      ExprVisitor::VisitExpr_(op);
    }
    void VisitExpr_(const BufferLoadNode* op) final { pure = false; }
    void VisitExpr_(const ProducerLoadNode* op) final { pure = false; }
  } finder;
  finder.VisitExpr(e);
  return finder.pure;
}

bool IsCandidate(const PrimExpr& e) {
  return !e.as<RampNode>() && !e.as<BroadcastNode>() && NodeCount(e) > 1 && IsPure(e);
}

/*! \brief The largest candidates strictly inside e, left to right. */
std::vector<PrimExpr> LargestCandidatesInside(const PrimExpr& e) {
  struct Collector : public ExprVisitor {
    std::vector<PrimExpr> found;
    const Object* root{nullptr};
    void VisitExpr(const PrimExpr& e) final {
      if (e.get() != root && IsCandidate(e)) {
        found.push_back(e);
        return;
      }
      ExprVisitor::VisitExpr(e);
    }
  } collector;
  collector.root = e.get();
  collector.VisitExpr(e);
  return collector.found;
}

struct Counted {
  PrimExpr expr;
  PrimExpr normal_form;
  size_t size;
  size_t count;
};

/*! \brief Add `count` to the entry equivalent to e, or insert e keeping entries largest first. */
void AddCount(std::vector<Counted>* entries, const PrimExpr& e, size_t count, Analyzer* analyzer) {
  PrimExpr normal = analyzer->Simplify(e);
  for (Counted& entry : *entries) {
    if (ExprDeepEqual(entry.expr, e) || ExprDeepEqual(entry.normal_form, normal)) {
      entry.count += count;
      return;
    }
  }
  size_t size = NodeCount(e);
  auto pos = std::find_if(entries->begin(), entries->end(), [size](const Counted& c) { return c.size < size; });
  entries->insert(pos, Counted{e, normal, size, count});
}

}  // namespace

Map<PrimExpr, Integer> DetectCommonSubExpr(const PrimExpr& e, int threshold) {
  TVM_CHECK(e.defined(), "ValueError") << "detect_common_subexpr: the expression is undefined (None)";
  TVM_CHECK(threshold >= 0, "ValueError") << "detect_common_subexpr: the threshold " << threshold
                                          << " is negative";
  Analyzer analyzer;
  std::vector<Counted> entries;
  std::vector<PrimExpr> roots = IsCandidate(e) ? std::vector<PrimExpr>{e} : LargestCandidatesInside(e);
  for (const PrimExpr& root : roots) AddCount(&entries, root, 1, &analyzer);
  // Entries are ordered largest first and a term's parts are smaller than it,
  // so every count is final when its entry is reached.
  for (size_t i = 0; i < entries.size(); ++i) {
    if (entries[i].count >= static_cast<size_t>(threshold)) continue;
    size_t count = entries[i].count;
    for (const PrimExpr& part : LargestCandidatesInside(entries[i].expr)) {
      AddCount(&entries, part, count, &analyzer);
    }
  }
  Map<PrimExpr, Integer> result;
  for (const Counted& entry : entries) {
    if (entry.count >= static_cast<size_t>(threshold)) {
      result.Set(entry.expr, Integer(static_cast<int64_t>(entry.count)));
    }
  }
  return result;
}

TVM_REGISTER_GLOBAL("arith.DetectCommonSubExpr").set_body_typed(DetectCommonSubExpr);

}  // namespace arith
}  // namespace tvm
