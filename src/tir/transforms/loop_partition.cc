/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file loop_partition.cc
 * \brief LoopPartition: split a loop's range where its conditions are known,
 *  so that each part runs without the conditions it settles.
 *
 * Assumes: conditions that usually hold are wrapped in likely() (as TE does
 *  for the guards of splits that do not divide their extent); a loop with the
 *  attribute pragma_loop_partition_hint is partitioned on every comparison
 *  of its body, likely() or not.
 *
 * Candidates: loops (and blockIdx launches) with a non-constant range -- every
 *  range with config "tir.LoopPartition" {"partition_const_loop": 1} -- whose
 *  likely() conditions mention their variable, or which carry the hint; not
 *  around a tvm_thread_allreduce.
 *
 * Guarantees: for a candidate v in [min, max], each condition c mentioning v
 *  is solved for v (arith::DeduceBound) over every value of the loops and
 *  threadIdx launches inside: an interval where c holds and one where it
 *  fails. The intersection of the "holds" intervals (or, failing that, of
 *  the "fails" intervals) is the middle part [b, p); the loop becomes
 *
 *      for v in range(b - min): body[v + min]         (pre, if not empty)
 *      for v in range(p - b):   body'[v + b]          (c replaced by its value)
 *      for v in range(max + 1 - p): body[v + p]        (post, if not empty)
 *
 *  each part starting at 0 and keeping the loop's kind and annotations; a
 *  part of extent 1 without annotations is its body with v = 0 (unless
 *  "no_unroll_loop_with_extent_one"). The parts are partitioned again, and
 *  every variable they define twice is renamed (ConvertSSA). With a hint
 *  and no interval found, "unroll_loop_with_partition_hint_no_interval"
 *  makes the loop an unrolled one. A blockIdx launch is not split: its
 *  innermost thread launch runs `if b <= v < p: body' else: body`.
 *  The ends b and p are clamped to [min, max + 1] and b <= p whenever that
 *  cannot be proven, so the parts always cover each value exactly once.
 *  What the parts add (body copies and substituted split points, counted as
 *  trees) is capped at 8x the function plus 4096 nodes; loops past the cap
 *  keep their conditions.
 *  Finally likely() tags and partition hints are removed.
 *
 *   before (partition_const_loop):          after (with Simplify):
 *   for io in range(32):                    for io in range(31):
 *       for ii in range(32):                    for ii in range(32):
 *           if T.likely(io * 32 + ii < 1000):       B[io * 32 + ii] = ...
 *               B[io * 32 + ii] = ...       for ii in range(32):
 *                                               if ii < 8:
 *                                                   B[ii + 992] = ...
 *  (the tail's inner loop is partitioned too: ii < 8 becomes two loops).
 */
#include <tvm/arith/analyzer.h>
#include <tvm/arith/bound.h>
#include <tvm/runtime/registry.h>
#include <tvm/tir/transform.h>

#include <optional>
#include <set>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "convert_ssa.h"
#include "ir_utils.h"

namespace tvm {
namespace tir {
namespace {

constexpr const char* kPartitionHint = "pragma_loop_partition_hint";

using VarSet = std::unordered_set<const VarNode*>;
using DomainMap = std::unordered_map<const VarNode*, arith::IntSet>;

/*! \brief blockIdx launches are split; threadIdx (and others) diverge inside a block. */
bool IsBlockLaunch(const AttrStmtNode* op) {
  const auto* iv = op->node.as<IterVarNode>();
  return iv != nullptr && std::string(iv->thread_tag).compare(0, 9, "blockIdx.") == 0;
}

/*! \brief The variables a statement defines: loops, lets, allocations, thread launches. */
VarSet DefinedVars(const Stmt& body) {
  VarSet out;
  PostOrderVisit(body, [&](const ObjectRef& n) {
    if (const auto* f = n.as<ForNode>()) {
      out.insert(f->loop_var.get());
    } else if (const auto* l = n.as<LetStmtNode>()) {
      out.insert(l->var.get());
    } else if (const auto* l = n.as<LetNode>()) {
      out.insert(l->var.get());
    } else if (const auto* a = n.as<AllocateNode>()) {
      out.insert(a->buffer_var.get());
    } else if (const auto* a = n.as<AttrStmtNode>()) {
      if (const auto* iv = a->node.as<IterVarNode>()) out.insert(iv->var.get());
    }
  });
  return out;
}

/*! \brief An interval of integers; an undefined end is unbounded. */
struct Interval {
  PrimExpr lo, hi;
};

/*! \brief Loops (and blockIdx launches) worth partitioning, and the hinted variables. */
class CandidateSelector : public StmtExprVisitor {
 public:
  explicit CandidateSelector(bool partition_const_loop) : partition_const_loop_(partition_const_loop) {}

  std::unordered_set<const Object*> candidates;
  VarSet hinted;

 protected:
  void VisitStmt_(const ForNode* op) final {
    bool constant = as_const_int(op->min).has_value() && as_const_int(op->extent).has_value();
    if ((constant && !partition_const_loop_) || op->kind == ForKind::kThreadBinding) {
      StmtExprVisitor::VisitStmt_(op);
      return;
    }
    Consider(op, op->loop_var.get(), [&]() { StmtExprVisitor::VisitStmt_(op); });
  }

  void VisitStmt_(const AttrStmtNode* op) final {
    if (op->attr_key == attr::thread_extent && IsBlockLaunch(op) &&
        (partition_const_loop_ || !as_const_int(op->value).has_value())) {
      const VarNode* v = op->node.as<IterVarNode>()->var.get();
      Consider(op, v, [&]() { StmtExprVisitor::VisitStmt_(op); });
      return;
    }
    if (op->attr_key == kPartitionHint && analyzer_.CanProve(op->value)) {
      if (const auto* v = op->node.as<VarNode>()) {
        hinted.insert(v);
      } else if (const auto* iv = op->node.as<IterVarNode>()) {
        hinted.insert(iv->var.get());
      }
    }
    StmtExprVisitor::VisitStmt_(op);
  }

  void VisitStmt_(const SeqStmtNode* op) final {
    // An allreduce blocks the loops around it, not those beside it.
    bool outer = no_split_;
    bool any = false;
    for (const Stmt& s : op->seq) {
      no_split_ = outer;
      VisitStmt(s);
      any = any || no_split_;
    }
    no_split_ = outer || any;
  }

  void VisitExpr_(const CallNode* op) final {
    if (op->op.same_as(builtin::likely())) {
      bool saved = in_likely_;
      in_likely_ = true;
      StmtExprVisitor::VisitExpr_(op);
      in_likely_ = saved;
    } else if (op->op.same_as(builtin::tvm_thread_allreduce())) {
      no_split_ = true;
    } else {
      StmtExprVisitor::VisitExpr_(op);
    }
  }

  void VisitExpr_(const VarNode* op) final {
    if (in_likely_) {
      auto it = used_in_likely_.find(op);
      if (it != used_in_likely_.end()) it->second = true;
    }
  }

 private:
  template <typename F>
  void Consider(const Object* node, const VarNode* v, F visit_body) {
    if (hinted.count(v)) {
      candidates.insert(node);
      visit_body();
      return;
    }
    auto saved = used_in_likely_.find(v) != used_in_likely_.end() ? std::optional<bool>(used_in_likely_[v])
                                                                     : std::nullopt;
    used_in_likely_[v] = false;
    visit_body();
    if (used_in_likely_[v] && !no_split_) candidates.insert(node);
    if (saved) {
      used_in_likely_[v] = *saved;
    } else {
      used_in_likely_.erase(v);
    }
  }

  bool partition_const_loop_;
  bool in_likely_{false};
  bool no_split_{false};
  std::unordered_map<const VarNode*, bool> used_in_likely_;
  arith::Analyzer analyzer_;
};

/*! \brief A condition known to have `value` for v in `interval`. */
struct PartitionEntry {
  PrimExpr cond;
  bool value;
  Interval interval;
};

/*!
 * \brief For one loop variable, the intervals where each condition of the
 *  body (its likely() conditions; with a hint every comparison) is known
 *  true or known false, in the order the conditions are met.
 */
class PartitionFinder : public StmtExprVisitor {
 public:
  PartitionFinder(Var var, const DomainMap& hint_map, const DomainMap& relax_map, bool hinted,
                  arith::Analyzer* analyzer)
      : var_(var), hinted_(hinted), hint_map_(hint_map), relax_map_(relax_map), analyzer_(analyzer) {
    for (const auto& kv : hint_map) outer_.insert(kv.first);
    for (const auto& kv : relax_map) outer_.insert(kv.first);
    outer_.insert(var.get());
  }

  void Find(const Stmt& body) {
    defined_in_body_ = DefinedVars(body);
    VisitStmt(body);
    std::vector<PartitionEntry> kept;
    for (PartitionEntry& e : entries) {
      if (!failed_.count({e.cond.get(), e.value})) kept.push_back(std::move(e));
    }
    entries = std::move(kept);
  }

  std::vector<PartitionEntry> entries;
  /*! \brief How often each condition was solved (it is replaced only if that is every occurrence). */
  std::unordered_map<const Object*, int> seen;

 protected:
  void VisitStmt_(const ForNode* op) final {
    // Loops whose range depends on the partitioned (or an outer) variable,
    // or which redefine one, are not looked into.
    auto outer = [this](const VarNode* v) { return outer_.count(v) != 0; };
    if (UsesVar(op->min, outer) || UsesVar(op->extent, outer) || Known(op->loop_var.get())) return;
    PrimExpr max = analyzer_->Simplify(op->min + op->extent - make_const(op->extent.dtype(), 1));
    WithDomain(op->loop_var.get(), arith::IntSet::Interval(op->min, max),
               [&]() { StmtExprVisitor::VisitStmt_(op); });
  }

  void VisitStmt_(const AttrStmtNode* op) final {
    if (op->attr_key == attr::thread_extent) {
      if (const auto* iv = op->node.as<IterVarNode>()) {
        if (Known(iv->var.get())) return;
        PrimExpr max = op->value - make_const(op->value.dtype(), 1);
        WithDomain(iv->var.get(), arith::IntSet::Interval(make_zero(op->value.dtype()), max),
                   [&]() { StmtExprVisitor::VisitStmt_(op); });
        return;
      }
    }
    StmtExprVisitor::VisitStmt_(op);
  }

  void VisitExpr_(const CallNode* op) final {
    if (op->op.same_as(builtin::likely())) {
      Deduce(op->args[0]);
    } else {
      StmtExprVisitor::VisitExpr_(op);
    }
  }

  void VisitExpr_(const LTNode* op) final { Comparison(op); }
  void VisitExpr_(const LENode* op) final { Comparison(op); }
  void VisitExpr_(const GTNode* op) final { Comparison(op); }
  void VisitExpr_(const GENode* op) final { Comparison(op); }
  void VisitExpr_(const EQNode* op) final { Comparison(op); }
  void VisitExpr_(const NENode* op) final { Comparison(op); }

 private:
  template <typename Node>
  void Comparison(const Node* op) {
    if (hinted_) {
      Deduce(GetRef<PrimExpr>(op));
    } else {
      StmtExprVisitor::VisitExpr_(op);
    }
  }

  bool Known(const VarNode* v) const { return hint_map_.count(v) || relax_map_.count(v); }

  template <typename F>
  void WithDomain(const VarNode* v, const arith::IntSet& dom, F visit) {
    hint_map_[v] = dom;
    relax_map_[v] = dom;
    visit();
    hint_map_.erase(v);
    relax_map_.erase(v);
  }

  static PrimExpr Inverse(const PrimExpr& cond) {
    if (const auto* n = cond.as<LTNode>()) return GE(n->a, n->b);
    if (const auto* n = cond.as<GTNode>()) return LE(n->a, n->b);
    if (const auto* n = cond.as<LENode>()) return GT(n->a, n->b);
    if (const auto* n = cond.as<GENode>()) return LT(n->a, n->b);
    if (const auto* n = cond.as<EQNode>()) return NE(n->a, n->b);
    if (const auto* n = cond.as<NENode>()) return EQ(n->a, n->b);
    return PrimExpr();
  }

  /*! \brief Where `cond` holds for all values of the relaxed variables, as an interval of v. */
  std::optional<Interval> Solve(const PrimExpr& cond) {
    arith::IntSet s = arith::DeduceBound(var_, cond, hint_map_, relax_map_);
    if (s.IsNothing()) return std::nullopt;
    Interval iv;
    if (s.HasLowerBound()) iv.lo = s.min();
    if (s.HasUpperBound()) iv.hi = s.max();
    if (!iv.lo.defined() && !iv.hi.defined()) return std::nullopt;
    // The ends become loop bounds outside the body: they may use neither
    // v nor anything the body defines, and must have v's type.
    for (const PrimExpr& e : {iv.lo, iv.hi}) {
      if (!e.defined()) continue;
      if (e.dtype() != var_.dtype()) return std::nullopt;
      if (UsesVar(e, [this](const VarNode* x) { return x == var_.get() || defined_in_body_.count(x) != 0; })) {
        return std::nullopt;
      }
    }
    return iv;
  }

  void Record(const PrimExpr& cond, bool value, const Interval& iv) {
    for (PartitionEntry& e : entries) {
      if (e.cond.same_as(cond) && e.value == value) {
        // The same condition met again under other loops: it is known only
        // where both occurrences agree.
        if (!e.interval.lo.defined() || !iv.lo.defined()) {
          e.interval.lo = e.interval.lo.defined() ? e.interval.lo : iv.lo;
        } else if (!analyzer_->CanProve(e.interval.lo == iv.lo)) {
          e.interval.lo = analyzer_->Simplify(max(e.interval.lo, iv.lo));
        }
        if (!e.interval.hi.defined() || !iv.hi.defined()) {
          e.interval.hi = e.interval.hi.defined() ? e.interval.hi : iv.hi;
        } else if (!analyzer_->CanProve(e.interval.hi == iv.hi)) {
          e.interval.hi = analyzer_->Simplify(min(e.interval.hi, iv.hi));
        }
        return;
      }
    }
    entries.push_back({cond, value, iv});
  }

  void Deduce(const PrimExpr& cond) {
    if (!cond.dtype().is_bool() || cond.dtype().lanes() != 1) return;
    if (!UsesVar(cond, var_.get())) return;
    ++seen[cond.get()];
    if (auto iv = Solve(cond)) {
      Record(cond, true, *iv);
    } else {
      failed_.insert({cond.get(), true});
    }
    PrimExpr inv = Inverse(cond);
    std::optional<Interval> iv = inv.defined() ? Solve(inv) : std::nullopt;
    if (iv) {
      Record(cond, false, *iv);
    } else {
      failed_.insert({cond.get(), false});
    }
  }

  Var var_;
  bool hinted_;
  VarSet outer_;
  VarSet defined_in_body_;
  DomainMap hint_map_;
  DomainMap relax_map_;
  /*! \brief (condition, value) pairs some occurrence could not settle. */
  std::set<std::pair<const Object*, bool>> failed_;
  arith::Analyzer* analyzer_;
};

/*! \brief How often each of the given expressions occurs (by identity) in a statement. */
class OccurrenceCounter : public StmtExprVisitor {
 public:
  explicit OccurrenceCounter(const std::unordered_map<const Object*, int>& of) {
    for (const auto& kv : of) count[kv.first] = 0;
  }
  void VisitExpr(const PrimExpr& e) final {
    auto it = count.find(e.get());
    if (it != count.end()) ++it->second;
    StmtExprVisitor::VisitExpr(e);
  }
  std::unordered_map<const Object*, int> count;
};

/*! \brief Replaces the given conditions (by identity) with a constant. */
class ConditionEliminator : public StmtExprMutator {
 public:
  ConditionEliminator(const std::unordered_set<const Object*>& conds, bool value) : conds_(conds), value_(value) {}

  PrimExpr VisitExpr(const PrimExpr& e) final {
    if (conds_.count(e.get())) return value_ ? const_true() : const_false();
    return StmtExprMutator::VisitExpr(e);
  }

 private:
  const std::unordered_set<const Object*>& conds_;
  bool value_;
};

/*! \brief In the innermost thread launches, `if cond: body' else: body`. */
class ThreadPartitionInserter : public StmtMutator {
 public:
  ThreadPartitionInserter(const std::unordered_set<const Object*>& conds, bool value, PrimExpr cond)
      : conds_(conds), value_(value), cond_(cond) {}

 protected:
  Stmt VisitStmt_(const AttrStmtNode* op) final {
    if (op->attr_key != attr::thread_extent) return StmtMutator::VisitStmt_(op);
    innermost_ = true;
    Stmt s = StmtMutator::VisitStmt_(op);
    if (innermost_) {
      Stmt fast = ConditionEliminator(conds_, value_)(op->body);
      s = AttrStmt(op->node, op->attr_key, op->value, IfThenElse(cond_, fast, op->body));
    }
    innermost_ = false;
    return s;
  }

 private:
  const std::unordered_set<const Object*>& conds_;
  bool value_;
  PrimExpr cond_;
  bool innermost_{false};
};

class LoopPartitioner : public StmtMutator {
 public:
  LoopPartitioner(bool partition_const_loop, bool no_unroll_loop_with_extent_one, bool unroll_hinted_without_interval)
      : selector_(partition_const_loop),
        no_unroll_loop_with_extent_one_(no_unroll_loop_with_extent_one),
        unroll_hinted_without_interval_(unroll_hinted_without_interval) {}

  Stmt VisitAndMutate(const Stmt& s) {
    selector_(s);
    return VisitStmt(s);
  }

 protected:
  Stmt VisitStmt_(const ForNode* op) final {
    analyzer_.Bind(op->loop_var, Range::FromMinExtent(op->min, op->extent), true);
    if (selector_.candidates.count(op)) {
      PrimExpr max = op->min + op->extent - make_const(op->extent.dtype(), 1);
      Stmt s = TryPartition(GetRef<Stmt>(op), op->loop_var, op->min, max, op->body, false);
      if (s.defined()) return s;
    }
    PrimExpr max = analyzer_.Simplify(op->min + op->extent - make_const(op->extent.dtype(), 1));
    return WithDomain(&hint_map_, op->loop_var.get(), arith::IntSet::Interval(op->min, max),
                      [&]() { return StmtMutator::VisitStmt_(op); });
  }

  Stmt VisitStmt_(const AttrStmtNode* op) final {
    if (op->attr_key != attr::thread_extent) return StmtMutator::VisitStmt_(op);
    const auto* iv = op->node.as<IterVarNode>();
    if (iv == nullptr) return StmtMutator::VisitStmt_(op);
    PrimExpr zero = make_zero(op->value.dtype());
    analyzer_.Bind(iv->var, Range::FromMinExtent(zero, op->value), true);
    PrimExpr max = op->value - make_const(op->value.dtype(), 1);
    if (selector_.candidates.count(op)) {
      Stmt s = TryPartition(GetRef<Stmt>(op), iv->var, zero, max, op->body, true);
      if (s.defined()) return s;
    }
    // Threads inside a block may take any value at once: relax them.
    DomainMap* map = IsBlockLaunch(op) ? &hint_map_ : &relax_map_;
    return WithDomain(map, iv->var.get(), arith::IntSet::Interval(zero, analyzer_.Simplify(max)),
                      [&]() { return StmtMutator::VisitStmt_(op); });
  }

 private:
  template <typename F>
  static Stmt WithDomain(DomainMap* map, const VarNode* v, const arith::IntSet& dom, F visit) {
    auto it = map->find(v);
    std::optional<arith::IntSet> saved = it != map->end() ? std::optional<arith::IntSet>(it->second) : std::nullopt;
    (*map)[v] = dom;
    Stmt s = visit();
    if (saved) {
      (*map)[v] = *saved;
    } else {
      map->erase(v);
    }
    return s;
  }

  /*! \brief a intersected with b; nullopt when provably empty. */
  std::optional<Interval> Intersect(const Interval& a, const Interval& b) {
    Interval r;
    r.lo = !a.lo.defined() ? b.lo : !b.lo.defined() ? a.lo : analyzer_.Simplify(max(a.lo, b.lo));
    r.hi = !a.hi.defined() ? b.hi : !b.hi.defined() ? a.hi : analyzer_.Simplify(min(a.hi, b.hi));
    if (r.lo.defined() && r.hi.defined() && analyzer_.CanProve(r.hi < r.lo)) return std::nullopt;
    return r;
  }

  /*!
   * \brief An interval where every condition (of those with `value`) that
   *  can hold inside the loop has `value`, and those conditions. With a hint
   *  and no common interval, the longest prefix (in order met) with one.
   */
  std::optional<std::pair<Interval, std::unordered_set<const Object*>>> CommonInterval(
      const std::vector<PartitionEntry>& entries, const Interval& loop, bool value, bool hinted) {
    std::vector<const PartitionEntry*> relevant;
    for (const PartitionEntry& e : entries) {
      if (e.value == value && Intersect(e.interval, loop)) relevant.push_back(&e);
    }
    if (relevant.empty()) return std::nullopt;
    std::optional<Interval> all = Interval();
    std::unordered_set<const Object*> conds;
    for (const PartitionEntry* e : relevant) {
      if (all) all = Intersect(*all, e->interval);
      conds.insert(e->cond.get());
    }
    if (all) return std::make_pair(*all, conds);
    if (!hinted) return std::nullopt;
    Interval acc;
    conds.clear();
    for (const PartitionEntry* e : relevant) {
      auto next = Intersect(acc, e->interval);
      if (!next) break;
      acc = *next;
      conds.insert(e->cond.get());
    }
    return std::make_pair(acc, conds);
  }

  /*! \brief The loop `node` over [0, extent) with `body`, or the body itself at v = 0 for one iteration. */
  Stmt MakeFor(const ForNode* node, PrimExpr extent, const Stmt& body) {
    extent = analyzer_.Simplify(extent);
    if (analyzer_.CanProve(extent == make_const(extent.dtype(), 1)) && !no_unroll_loop_with_extent_one_ &&
        node->annotations.empty()) {
      return Substitute(body, {{node->loop_var.get(), make_zero(node->loop_var.dtype())}});
    }
    auto n = make_object<ForNode>(*node);
    n->min = make_zero(node->min.dtype());
    n->extent = extent;
    n->body = body;
    return Stmt(ObjectPtr<Object>(std::move(n)));
  }

  /*! \brief body with v shifted by `offset`. */
  static Stmt Shift(const Stmt& body, const Var& v, const PrimExpr& offset) {
    if (is_zero(offset)) return body;
    return Substitute(body, {{v.get(), v + offset}});
  }

  Stmt TryPartition(const Stmt& stmt, const Var& var, PrimExpr min, PrimExpr max, const Stmt& body,
                    bool thread_scope);

  static constexpr int kMaxDepth = 24;
  int depth_{0};

 public:
  /*!
   * \brief Node budget for the copies partitioning makes. Each split copies
   *  the loop body into its outer parts, and those are split again: nested
   *  guarded loops (deep compute_at chains) multiply the IR by 3 per level,
   *  and every later pass and LLVM pay for it (minutes for a kernel of a few
   *  hundred lines). Past the budget, loops keep their conditions.
   */
  void SetCopyBudget(int64_t nodes) { copy_budget_ = nodes; }

 private:
  int64_t copy_budget_{0};
  DomainMap hint_map_;
  DomainMap relax_map_;
  arith::Analyzer analyzer_;
  CandidateSelector selector_;
  bool no_unroll_loop_with_extent_one_;
  bool unroll_hinted_without_interval_;
};

Stmt LoopPartitioner::TryPartition(const Stmt& stmt, const Var& var, PrimExpr min, PrimExpr max, const Stmt& body,
                                   bool thread_scope) {
  bool hinted = selector_.hinted.count(var.get()) != 0;
  // Parts are partitioned again; a chain of parts whose ranges cannot be
  // shown to shrink must still end.
  if (depth_ >= kMaxDepth) return Stmt();
  struct DepthGuard {
    int* d;
    explicit DepthGuard(int* d) : d(d) { ++*d; }
    ~DepthGuard() { --*d; }
  } guard(&depth_);
  hint_map_[var.get()] = arith::IntSet::Interval(min, max);
  PartitionFinder finder(var, hint_map_, relax_map_, hinted, &analyzer_);
  hint_map_.erase(var.get());
  finder.Find(body);

  // A condition is replaced wherever it occurs: only if each occurrence was solved.
  OccurrenceCounter counter(finder.seen);
  counter(body);
  std::vector<PartitionEntry> entries;
  for (const PartitionEntry& e : finder.entries) {
    if (counter.count[e.cond.get()] == finder.seen[e.cond.get()]) entries.push_back(e);
  }
  if (entries.empty()) return Stmt();

  Interval loop{min, max};
  bool value = true;
  auto found = CommonInterval(entries, loop, true, hinted);
  if (!found) {
    value = false;
    found = CommonInterval(entries, loop, false, hinted);
  }
  if (!found) {
    if (hinted && unroll_hinted_without_interval_ && !thread_scope && analyzer_.CanProve(max - min > 0)) {
      const auto* op = stmt.as<ForNode>();
      Stmt new_body = VisitAndMutate(body);
      return For(var, min, analyzer_.Simplify(max - min + make_const(max.dtype(), 1)), ForKind::kUnrolled,
                 new_body, op->thread_binding);
    }
    return Stmt();
  }
  const Interval& middle = found->first;
  const std::unordered_set<const Object*>& conds = found->second;

  PrimExpr end = analyzer_.Simplify(max + make_const(max.dtype(), 1));
  const auto* loop_node = stmt.as<ForNode>();

  // pre = [min, begin)
  PrimExpr begin = min;
  Stmt pre;
  bool pre_recurse = true;
  if (middle.lo.defined()) {
    begin = analyzer_.Simplify(middle.lo);
    if (!analyzer_.CanProve(begin == min)) {
      PrimExpr extent = analyzer_.Simplify(begin - min);
      if (!analyzer_.CanProve(extent > 0)) {
        begin = tvm::max(begin, min);
        pre_recurse = false;
      }
      if (!analyzer_.CanProve(begin <= end)) {
        begin = tvm::min(begin, end);
        pre_recurse = false;
      }
      if (!analyzer_.CanProve(extent <= 0) && !thread_scope) {
        pre = MakeFor(loop_node, begin - min, Shift(body, var, min));
      }
    }
  }

  // post = [post_begin, max + 1)
  PrimExpr post_begin = end;
  Stmt post;
  bool post_recurse = true;
  if (middle.hi.defined()) {
    post_begin = analyzer_.Simplify(middle.hi + make_const(middle.hi.dtype(), 1));
    if (!analyzer_.CanProve(middle.hi == max)) {
      PrimExpr extent = analyzer_.Simplify(end - post_begin);
      if (!analyzer_.CanProve(extent > 0)) {
        post_begin = tvm::min(post_begin, end);
        post_recurse = false;
      }
      if (!analyzer_.CanProve(post_begin >= begin)) {
        post_begin = tvm::max(post_begin, begin);
        post_recurse = false;
      }
      if (!analyzer_.CanProve(extent <= 0) && !thread_scope) {
        post = MakeFor(loop_node, end - post_begin, Shift(body, var, post_begin));
      }
    } else {
      post_begin = end;
    }
  }

  Stmt result;
  if (!thread_scope) {
    Stmt mid;
    if (!analyzer_.CanProve(begin >= post_begin)) {
      Stmt fast = ConditionEliminator(conds, value)(body);
      Stmt mid_loop = MakeFor(loop_node, post_begin - begin, Shift(fast, var, begin));
      // Charge what the parts add, as trees (the later passes and the code
      // generator expand shared subexpressions): the copies of the body and
      // the split points substituted into them.
      // The body is counted once, up to the largest limit used below.
      int64_t body_size = TreeSize(body, 2 * copy_budget_ + 2);
      int64_t limit = copy_budget_ + std::min(body_size, copy_budget_ + 1) + 1;
      int64_t added = TreeSize(mid_loop, limit) - std::min(body_size, limit);
      if (pre.defined()) added += TreeSize(pre, limit);
      if (post.defined()) added += TreeSize(post, limit);
      if (added > copy_budget_) return Stmt();
      copy_budget_ -= std::max<int64_t>(added, 0);
      mid = VisitAndMutate(mid_loop);
      // The outer parts are partitioned again only when the loop was really split.
      if (pre.defined() || post.defined()) {
        if (pre.defined() && pre_recurse) pre = VisitAndMutate(pre);
        if (post.defined() && post_recurse) post = VisitAndMutate(post);
      }
    }
    std::vector<Stmt> parts;
    for (const Stmt& s : {pre, mid, post}) {
      if (s.defined()) parts.push_back(s);
    }
    result = SeqStmt::Flatten(parts);
  } else {
    PrimExpr cond;
    auto conj = [&](PrimExpr c) { cond = cond.defined() ? cond && c : c; };
    if (!analyzer_.CanProve(begin == min)) conj(var >= begin);
    if (!analyzer_.CanProve(post_begin == end)) conj(var < post_begin);
    result = ThreadPartitionInserter(conds, value, cond.defined() ? cond : const_true())(stmt);
  }
  return ConvertSSA(result);
}

/*! \brief Drops likely() tags and partition hints once partitioning is done. */
class LikelyAndHintRemover : public StmtExprMutator {
 protected:
  PrimExpr VisitExpr_(const CallNode* op) final {
    if (op->op.same_as(builtin::likely()) && op->args.size() == 1) return VisitExpr(op->args[0]);
    return StmtExprMutator::VisitExpr_(op);
  }
  Stmt VisitStmt_(const AttrStmtNode* op) final {
    if (op->attr_key == kPartitionHint) return VisitStmt(op->body);
    return StmtExprMutator::VisitStmt_(op);
  }
};

}  // namespace

namespace transform {

Pass LoopPartition() {
  auto fpass = [](PrimFunc f, IRModule m, PassContext ctx) {
    auto cfg = ctx->GetConfig<Map<String, ObjectRef>>("tir.LoopPartition");
    CheckPassOptions(cfg, "tir.LoopPartition",
                     {"partition_const_loop", "no_unroll_loop_with_extent_one",
                      "unroll_loop_with_partition_hint_no_interval"},
                     {});
    LoopPartitioner partitioner(OptionInt(cfg, "partition_const_loop", 0) != 0,
                                OptionInt(cfg, "no_unroll_loop_with_extent_one", 0) != 0,
                                OptionInt(cfg, "unroll_loop_with_partition_hint_no_interval", 0) != 0);
    partitioner.SetCopyBudget(8 * TreeSize(f->body, int64_t{1} << 40) + 4096);
    Stmt body = partitioner.VisitAndMutate(f->body);
    body = LikelyAndHintRemover()(body);
    if (body.same_as(f->body)) return f;
    f.CopyOnWrite()->body = body;
    return f;
  };
  return CreatePrimFuncPass(fpass, 0, "tir.LoopPartition", {});
}

TVM_REGISTER_GLOBAL("tir.transform.LoopPartition").set_body_typed([]() { return LoopPartition(); });

// {partition_const_loop, no_unroll_loop_with_extent_one, unroll_loop_with_partition_hint_no_interval}
static const bool kLoopPartitionConfigRegistered =
    (PassContext::RegisterConfigOption("tir.LoopPartition", "Map"), true);

}  // namespace transform
}  // namespace tir
}  // namespace tvm
