/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file transitive_comparison_analyzer.cc
 * \brief Known comparisons between integer terms, as a difference-bound graph.
 *
 * Every fact is read as a bound on the difference of two terms, each term an
 * expression stripped of an additive constant (constants are the offset of
 * the empty term, "zero"):
 *
 *   i < j + 5     ->  i - j <= 4          (integers: a < b is a <= b - 1)
 *   i == j        ->  i - j <= 0, j - i <= 0
 *   i != k - 2    ->  i - k != -2         (kept apart: it does not chain)
 *
 * A fact a - b <= c is an edge a -> b of weight c; a path a -> ... -> b sums
 * to an upper bound of a - b, and the shortest one is the best bound the
 * facts prove (a negative cycle means they contradict: nothing is claimed).
 * Without propagation only edges joining the two compared terms count.
 *
 * Only signed integer scalars take part: the offsets assume the arithmetic
 * does not wrap, as everywhere in index arithmetic.
 */
#include <tvm/arith/analyzer.h>
#include <tvm/tir/op.h>

#include <limits>
#include <optional>
#include <unordered_map>

#include "constraint_extract.h"
#include "expr_equal.h"

namespace tvm {
namespace arith {

using namespace tir;  // NOLINT(build/namespaces)

namespace {

bool IsSignedScalar(const PrimExpr& e) {
  return e.defined() && e.dtype().is_int() && !e.dtype().is_bool() && e.dtype().lanes() == 1;
}

/*! \brief e as term + offset; the term is undefined (zero) for a constant. */
std::pair<PrimExpr, int64_t> SplitOffset(const PrimExpr& e) {
  if (const auto* imm = e.as<IntImmNode>()) return {PrimExpr(), imm->value};
  if (const auto* add = e.as<AddNode>()) {
    if (const auto* c = add->b.as<IntImmNode>()) return {add->a, c->value};
  }
  if (const auto* sub = e.as<SubNode>()) {
    if (const auto* c = sub->b.as<IntImmNode>(); c != nullptr && c->value != std::numeric_limits<int64_t>::min()) {
      return {sub->a, -c->value};
    }
  }
  return {e, 0};
}

std::optional<int64_t> AddChecked(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_add_overflow(a, b, &r)) return std::nullopt;
  return r;
}

}  // namespace

class TransitiveComparisonAnalyzer::Impl {
 public:
  CompareResult TryCompare(const PrimExpr& lhs, const PrimExpr& rhs, bool propagate) const;
  void BindFacts(const Var& var, const std::vector<PrimExpr>& atoms);
  std::function<void()> EnterConstraint(const PrimExpr& constraint);

 private:
  /*! \brief term[from] - term[to] <= bound. */
  struct Edge {
    int from;
    int to;
    int64_t bound;
  };
  /*! \brief term[a] - term[b] != value. */
  struct NotEqual {
    int a;
    int b;
    int64_t value;
  };
  struct Facts {
    std::vector<Edge> edges;
    std::vector<NotEqual> not_equal;
  };

  /*! \brief The id of a term (0: the zero term); -1 when unseen and create is false. */
  int TermId(const PrimExpr& term, bool create) const;
  /*! \brief Record what the comparison `atom` says; false when it is not a comparison of terms. */
  bool AddFact(const PrimExpr& atom, Facts* out);
  /*! \brief Call f on every edge in force. */
  template <typename F>
  void ForEachEdge(F f) const {
    for (const Edge& e : scoped_.edges) f(e);
    for (const auto& kv : bound_) {
      for (const Edge& e : kv.second.edges) f(e);
    }
  }
  template <typename F>
  void ForEachNotEqual(F f) const {
    for (const NotEqual& n : scoped_.not_equal) f(n);
    for (const auto& kv : bound_) {
      for (const NotEqual& n : kv.second.not_equal) f(n);
    }
  }
  /*!
   * \brief The best upper bound of term[from] - term[to]: over direct edges only, or over
   *  all paths. Nothing when none is known or the facts contradict.
   */
  std::optional<int64_t> UpperBound(int from, int to, bool propagate) const;

  // Terms seen so far, found by structural hash; mutable so that lookups can intern.
  mutable std::vector<PrimExpr> terms_{PrimExpr()};
  mutable std::unordered_multimap<size_t, int> index_;
  Facts scoped_;
  std::unordered_map<Var, Facts, ObjectPtrHash, ObjectPtrEqual> bound_;
};

namespace {
/*!
 * \brief A hash of the top levels of e, equal for deep-equal expressions
 *  (constants by value, variables by identity, as ExprDeepEqual compares).
 *  Comparisons ask for the id of every compared term, facts or not, and a
 *  full structural hash of a deep index expression made that quadratic.
 */
size_t ShallowHash(const PrimExpr& e, int depth) {
  size_t h = std::hash<uint32_t>()(e->type_index()) * 31 + std::hash<int>()(e.dtype().code() * 1000 + e.dtype().bits());
  auto mix = [&h](size_t v) { h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2); };
  if (const auto* n = e.as<IntImmNode>()) {
    mix(std::hash<int64_t>()(n->value));
  } else if (const auto* n = e.as<VarNode>()) {
    mix(std::hash<const void*>()(n));
  } else if (depth > 0) {
    auto pair = [&](const PrimExpr& a, const PrimExpr& b) {
      mix(ShallowHash(a, depth - 1));
      mix(ShallowHash(b, depth - 1));
    };
    if (const auto* n = e.as<AddNode>()) pair(n->a, n->b);
    else if (const auto* n = e.as<SubNode>()) pair(n->a, n->b);
    else if (const auto* n = e.as<MulNode>()) pair(n->a, n->b);
    else if (const auto* n = e.as<FloorDivNode>()) pair(n->a, n->b);
    else if (const auto* n = e.as<FloorModNode>()) pair(n->a, n->b);
    else if (const auto* n = e.as<MinNode>()) pair(n->a, n->b);
    else if (const auto* n = e.as<MaxNode>()) pair(n->a, n->b);
  }
  return h;
}
}  // namespace

int TransitiveComparisonAnalyzer::Impl::TermId(const PrimExpr& term, bool create) const {
  if (!term.defined()) return 0;
  if (!create && terms_.size() <= 1) return -1;  // no fact recorded yet
  size_t h = ShallowHash(term, 3);
  auto range = index_.equal_range(h);
  for (auto it = range.first; it != range.second; ++it) {
    if (ExprDeepEqual(terms_[it->second], term)) return it->second;
  }
  if (!create) return -1;
  int id = static_cast<int>(terms_.size());
  terms_.push_back(term);
  index_.emplace(h, id);
  return id;
}

bool TransitiveComparisonAnalyzer::Impl::AddFact(const PrimExpr& atom, Facts* out) {
  PrimExpr a, b;
  enum { kLE, kLT, kEQ, kNE } kind;
  if (const auto* n = atom.as<LENode>()) {
    a = n->a, b = n->b, kind = kLE;
  } else if (const auto* n = atom.as<LTNode>()) {
    a = n->a, b = n->b, kind = kLT;
  } else if (const auto* n = atom.as<GENode>()) {
    a = n->b, b = n->a, kind = kLE;
  } else if (const auto* n = atom.as<GTNode>()) {
    a = n->b, b = n->a, kind = kLT;
  } else if (const auto* n = atom.as<EQNode>()) {
    a = n->a, b = n->b, kind = kEQ;
  } else if (const auto* n = atom.as<NENode>()) {
    a = n->a, b = n->b, kind = kNE;
  } else {
    return false;
  }
  if (!IsSignedScalar(a) || !IsSignedScalar(b)) return false;
  auto [ta, oa] = SplitOffset(a);
  auto [tb, ob] = SplitOffset(b);
  if (!ta.defined() && !tb.defined()) return false;  // two constants: nothing to learn
  int ia = TermId(ta, true), ib = TermId(tb, true);
  if (ia == ib) return false;
  // a - b = (ta - tb) + (oa - ob); the fact bounds ta - tb by -(oa - ob).
  int64_t d;
  if (__builtin_sub_overflow(oa, ob, &d) || d == std::numeric_limits<int64_t>::min()) return false;
  switch (kind) {
    case kLE:  // ta - tb <= -d
      out->edges.push_back({ia, ib, -d});
      break;
    case kLT:  // ta - tb <= -d - 1
      if (-d == std::numeric_limits<int64_t>::min()) return false;
      out->edges.push_back({ia, ib, -d - 1});
      break;
    case kEQ:
      out->edges.push_back({ia, ib, -d});
      out->edges.push_back({ib, ia, d});
      break;
    case kNE:
      out->not_equal.push_back({ia, ib, -d});
      break;
  }
  return true;
}

std::optional<int64_t> TransitiveComparisonAnalyzer::Impl::UpperBound(int from, int to, bool propagate) const {
  std::optional<int64_t> best;
  if (!propagate) {
    ForEachEdge([&](const Edge& e) {
      if (e.from == from && e.to == to && (!best || e.bound < *best)) best = e.bound;
    });
    return best;
  }
  // Bellman-Ford from `from` over the edges in force.
  std::unordered_map<int, int64_t> dist{{from, 0}};
  size_t n_edges = 0;
  ForEachEdge([&](const Edge&) { ++n_edges; });
  if (n_edges == 0) return best;
  bool changed = true;
  for (size_t round = 0; changed; ++round) {
    if (round > n_edges) return std::nullopt;  // still improving: a negative cycle, the facts contradict
    changed = false;
    ForEachEdge([&](const Edge& e) {
      auto it = dist.find(e.from);
      if (it == dist.end()) return;
      std::optional<int64_t> d = AddChecked(it->second, e.bound);
      if (!d) return;
      auto jt = dist.find(e.to);
      if (jt == dist.end() || *d < jt->second) {
        dist[e.to] = *d;
        changed = true;
      }
    });
  }
  // A cycle through `from` of negative weight also shows as dist[from] < 0.
  if (dist[from] < 0) return std::nullopt;
  auto it = dist.find(to);
  if (it != dist.end()) best = it->second;
  return best;
}

CompareResult TransitiveComparisonAnalyzer::Impl::TryCompare(const PrimExpr& lhs, const PrimExpr& rhs,
                                                             bool propagate) const {
  if (!IsSignedScalar(lhs) || !IsSignedScalar(rhs)) return CompareResult::kUnknown;
  auto [tx, ox] = SplitOffset(lhs);
  auto [ty, oy] = SplitOffset(rhs);
  int64_t k;  // lhs - rhs = (tx - ty) + k
  if (__builtin_sub_overflow(ox, oy, &k)) return CompareResult::kUnknown;
  int ix = TermId(tx, false), iy = TermId(ty, false);
  if (ix < 0 || iy < 0) return CompareResult::kUnknown;
  if (ix == iy) return k < 0 ? CompareResult::kLT : (k > 0 ? CompareResult::kGT : CompareResult::kEQ);
  int result = static_cast<int>(CompareResult::kUnknown);
  constexpr int kLTBit = static_cast<int>(CompareResult::kLT);
  constexpr int kEQBit = static_cast<int>(CompareResult::kEQ);
  constexpr int kGTBit = static_cast<int>(CompareResult::kGT);
  std::optional<int64_t> upper = UpperBound(ix, iy, propagate);  // tx - ty <= upper
  std::optional<int64_t> neg_lower = UpperBound(iy, ix, propagate);  // ty - tx <= neg_lower
  if (upper) {
    if (auto u = AddChecked(*upper, k)) {
      if (*u < 0) result &= kLTBit;
      if (*u == 0) result &= ~kGTBit;
    }
  }
  if (neg_lower) {
    // lhs - rhs >= k - neg_lower
    int64_t low;
    if (!__builtin_sub_overflow(k, *neg_lower, &low)) {
      if (low > 0) result &= kGTBit;
      if (low == 0) result &= ~kLTBit;
    }
  }
  // tx - ty != v when a known a - b != c and tx - a, b - ty are fixed.
  auto exact = [&](int from, int to) -> std::optional<int64_t> {
    if (from == to) return 0;
    if (!propagate) return std::nullopt;
    std::optional<int64_t> up = UpperBound(from, to, true), down = UpperBound(to, from, true);
    if (up && down && *up == -*down) return up;
    return std::nullopt;
  };
  ForEachNotEqual([&](const NotEqual& n) {
    if (!(result & kEQBit)) return;
    for (int flip = 0; flip < 2; ++flip) {
      int a = flip ? n.b : n.a, b = flip ? n.a : n.b;
      int64_t c = flip ? -n.value : n.value;
      std::optional<int64_t> e1 = exact(ix, a), e2 = exact(b, iy);
      if (!e1 || !e2) continue;
      std::optional<int64_t> v = AddChecked(*e1, c);
      if (v) v = AddChecked(*v, *e2);
      if (v) v = AddChecked(*v, k);
      if (v && *v == 0) result &= ~kEQBit;
    }
  });
  if (result == 0) return CompareResult::kUnknown;  // contradicting facts: claim nothing
  return CompareResult(result);
}

void TransitiveComparisonAnalyzer::Impl::BindFacts(const Var& var, const std::vector<PrimExpr>& atoms) {
  Facts facts;
  for (const PrimExpr& atom : atoms) AddFact(atom, &facts);
  if (facts.edges.empty() && facts.not_equal.empty()) {
    bound_.erase(var);
  } else {
    bound_[var] = std::move(facts);
  }
}

std::function<void()> TransitiveComparisonAnalyzer::Impl::EnterConstraint(const PrimExpr& constraint) {
  size_t old_edges = scoped_.edges.size(), old_ne = scoped_.not_equal.size();
  for (const PrimExpr& atom : ExtractConstraints(constraint)) AddFact(atom, &scoped_);
  if (scoped_.edges.size() == old_edges && scoped_.not_equal.size() == old_ne) return nullptr;
  return [this, old_edges, old_ne]() {
    scoped_.edges.resize(old_edges);
    scoped_.not_equal.resize(old_ne);
  };
}

TransitiveComparisonAnalyzer::TransitiveComparisonAnalyzer() : impl_(std::make_unique<Impl>()) {}
TransitiveComparisonAnalyzer::~TransitiveComparisonAnalyzer() = default;

CompareResult TransitiveComparisonAnalyzer::TryCompare(const PrimExpr& lhs, const PrimExpr& rhs,
                                                       bool propagate_inequalities) {
  return impl_->TryCompare(lhs, rhs, propagate_inequalities);
}

void TransitiveComparisonAnalyzer::Bind(const Var& var, const PrimExpr& expr, bool allow_override) {
  if (!IsSignedScalar(var) || !IsSignedScalar(expr) || var.dtype() != expr.dtype()) {
    impl_->BindFacts(var, {});
    return;
  }
  impl_->BindFacts(var, {EQ(var, expr)});
}

void TransitiveComparisonAnalyzer::Bind(const Var& var, const Range& range, bool allow_override) {
  if (!IsSignedScalar(var) || !IsSignedScalar(range->min) || var.dtype() != range->min.dtype() ||
      range->extent.dtype() != var.dtype()) {
    impl_->BindFacts(var, {});
    return;
  }
  impl_->BindFacts(var, {GE(var, range->min), LT(var, range->min + range->extent)});
}

std::function<void()> TransitiveComparisonAnalyzer::EnterConstraint(const PrimExpr& constraint) {
  return impl_->EnterConstraint(constraint);
}

}  // namespace arith
}  // namespace tvm
