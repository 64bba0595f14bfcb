/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// The rewrite simplifier's optional boolean extensions (RewriteSimplifier::Extension):
//
// kApplyConstraintsToBooleanBranches: in a && b, each side is simplified
// assuming the other holds (in a || b, assuming the other fails), in turn,
// until neither changes:  n < 5 && n < 10  ->  n < 5. A side that reads
// memory is not: both sides are evaluated, and its indices must stay valid
// where the other side's fact fails.
//
// kConvertBooleanToAndOfOrs: the outermost && / || of an expression is put in
// conjunctive normal form, a list of clauses each a list of atoms, and
// simplified between atoms of one clause and between clauses that differ in
// one atom:
//   (A || B) && (A || C)  ->  A || D     when B && C simplifies to one D
//   (A || B || C)         ->  (A || D)   when B || C simplifies to one D
// A result replaces the later of the two, so the order of the expression is
// kept. Duplicated clauses go, so do clauses another clause implies.
//
// Both only run over pure expressions: an atom may be duplicated or assumed.
#include <tvm/tir/builtin.h>
#include <tvm/tir/stmt_functor.h>

#include <algorithm>

#include "constraint_extract.h"
#include "rewrite_simplify.h"

namespace tvm {
namespace arith {

namespace {

/*! \brief Whether e calls nothing with an effect (reads of memory are fine within one expression). */
bool IsPureExpr(const PrimExpr& e) {
  bool pure = true;
  PostOrderVisit(e, [&](const ObjectRef& n) {
    if (const auto* call = n.as<CallNode>()) {
      const auto* op = call->op.as<OpNode>();
      if (op == nullptr || GetCallEffectKind(GetRef<Op>(op)) > CallEffectKind::kReadState) pure = false;
    }
  });
  return pure;
}

bool ReadsMemory(const PrimExpr& e) {
  bool reads = false;
  PostOrderVisit(e, [&](const ObjectRef& n) { reads = reads || n.as<BufferLoadNode>() != nullptr; });
  return reads;
}

bool IsScalarBool(const PrimExpr& e) { return e.dtype().is_bool() && e.dtype().lanes() == 1; }

/*! \brief A clause: atoms joined by ||, as indices into the atom table. */
using Clause = std::vector<int>;

class AndOfOrs {
 public:
  /*! \brief The clauses of e; false when there would be too many. */
  bool Build(const PrimExpr& e, std::vector<Clause>* out) {
    if (const auto* a = e.as<AndNode>()) {
      std::vector<Clause> lhs, rhs;
      if (!Build(a->a, &lhs) || !Build(a->b, &rhs)) return false;
      *out = lhs;
      out->insert(out->end(), rhs.begin(), rhs.end());
      return out->size() <= kMaxClauses;
    }
    if (const auto* o = e.as<OrNode>()) {
      // (a1 && a2) || (b1 && b2) distributes to every pair ai || bj.
      std::vector<Clause> lhs, rhs;
      if (!Build(o->a, &lhs) || !Build(o->b, &rhs)) return false;
      if (lhs.size() * rhs.size() > kMaxClauses) return false;
      out->clear();
      for (const Clause& x : lhs) {
        for (const Clause& y : rhs) {
          Clause c = x;
          for (int atom : y) {
            if (std::find(c.begin(), c.end(), atom) == c.end()) c.push_back(atom);
          }
          out->push_back(c);
        }
      }
      return true;
    }
    if (const auto* n = e.as<NotNode>(); n != nullptr && (n->a.as<AndNode>() || n->a.as<OrNode>() || n->a.as<NotNode>())) {
      return Build(NegateCondition(n->a), out);
    }
    *out = {Clause{AtomId(e)}};
    return true;
  }

  int AtomId(const PrimExpr& e) {
    for (size_t i = 0; i < atoms_.size(); ++i) {
      if (ExprDeepEqual(atoms_[i], e)) return static_cast<int>(i);
    }
    atoms_.push_back(e);
    return static_cast<int>(atoms_.size()) - 1;
  }

  const PrimExpr& Atom(int id) const { return atoms_[id]; }

  static constexpr size_t kMaxClauses = 64;

 private:
  std::vector<PrimExpr> atoms_;
};

bool IsConst(const PrimExpr& e, bool value) {
  const auto* imm = e.as<IntImmNode>();
  return imm != nullptr && (imm->value != 0) == value;
}

/*! \brief Whether every atom of a is in b. */
bool Subset(const Clause& a, const Clause& b) {
  for (int x : a) {
    if (std::find(b.begin(), b.end(), x) == b.end()) return false;
  }
  return true;
}

}  // namespace

PrimExpr RewriteSimplifier::Impl::VisitBooleanWithExtensions(const PrimExpr& e) {
  const auto* and_op = e.as<AndNode>();
  const auto* or_op = e.as<OrNode>();
  bool is_and = and_op != nullptr;
  PrimExpr a = is_and ? and_op->a : or_op->a, b = is_and ? and_op->b : or_op->b;
  PrimExpr ret;
  {
    ++boolean_depth_;
    try {
      if (enabled_extensions_ & RewriteSimplifier::kApplyConstraintsToBooleanBranches) {
        ret = SimplifyBranchesUnderEachOther(a, b, is_and);
      } else {
        PrimExpr va = VisitExpr(a), vb = VisitExpr(b);
        ret = (va.same_as(a) && vb.same_as(b)) ? e : (is_and ? PrimExpr(And(va, vb)) : PrimExpr(Or(va, vb)));
      }
    } catch (...) {
      --boolean_depth_;
      throw;
    }
    --boolean_depth_;
  }
  if ((enabled_extensions_ & RewriteSimplifier::kConvertBooleanToAndOfOrs) && boolean_depth_ == 0) {
    if (auto known = MatchConstraint(ret)) return make_const(ret.dtype(), *known);
    return SimplifyAsAndOfOrs(ret);
  }
  return is_and ? ApplyAnd(ret) : ApplyOr(ret);
}

PrimExpr RewriteSimplifier::Impl::SimplifyBranchesUnderEachOther(const PrimExpr& orig_a, const PrimExpr& orig_b,
                                                                  bool is_and) {
  PrimExpr a = orig_a, b = orig_b;
  if (!IsScalarBool(a) || !IsScalarBool(b) || !IsPureExpr(a) || !IsPureExpr(b)) {
    a = VisitExpr(a);
    b = VisitExpr(b);
  } else {
    // In a && b, a matters only where b holds (and b where a holds); in a || b, where the other fails.
    // Each turn keeps a && b (a || b) the same value, so the turns may follow one another.
    int unchanged_turns = 0;
    for (int turn = 0; turn < 4 && unchanged_turns < 2; ++turn) {
      PrimExpr& target = turn % 2 == 0 ? a : b;
      const PrimExpr& other = turn % 2 == 0 ? b : a;
      PrimExpr updated;
      if (ReadsMemory(target)) {
        // Both sides are evaluated: an index simplified under the other side's
        // fact (B[(i + 3) % 6] under i == 2 is B[i + 3]) would be read out of
        // bounds where the fact fails.
        updated = VisitExpr(target);
      } else {
        With<ConstraintContext> ctx(analyzer_, is_and ? other : NegateCondition(other));
        updated = VisitExpr(target);
      }
      if (ExprDeepEqual(updated, target)) {
        ++unchanged_turns;
      } else {
        target = updated;
        unchanged_turns = 0;
      }
    }
  }
  if (is_and) return (a.same_as(orig_a) && b.same_as(orig_b)) ? And(orig_a, orig_b) : And(a, b);
  return (a.same_as(orig_a) && b.same_as(orig_b)) ? Or(orig_a, orig_b) : Or(a, b);
}

PrimExpr RewriteSimplifier::Impl::SimplifyAsAndOfOrs(const PrimExpr& expr) {
  if (!IsScalarBool(expr) || !IsPureExpr(expr)) return expr;
  AndOfOrs table;
  std::vector<Clause> clauses;
  if (!table.Build(expr, &clauses)) return expr;
  // Simplifications below must not convert their operands again.
  struct Guard {
    int* depth;
    explicit Guard(int* d) : depth(d) { ++*depth; }
    ~Guard() { --*depth; }
  } guard(&boolean_depth_);

  bool changed = true;
  for (int round = 0; changed && round < 16; ++round) {
    changed = false;
    // Constant atoms: a true one makes its clause true, a false one drops out.
    for (size_t c = 0; c < clauses.size();) {
      Clause& clause = clauses[c];
      bool clause_true = false;
      for (size_t k = 0; k < clause.size();) {
        const PrimExpr& atom = table.Atom(clause[k]);
        if (IsConst(atom, true)) {
          clause_true = true;
          break;
        }
        if (IsConst(atom, false)) {
          clause.erase(clause.begin() + k);
          changed = true;
        } else {
          ++k;
        }
      }
      if (clause_true) {
        clauses.erase(clauses.begin() + c);
        changed = true;
        continue;
      }
      if (clause.empty()) return make_const(expr.dtype(), false);
      ++c;
    }
    // A clause that contains another is implied by it (also drops duplicates, keeping the first).
    for (size_t p = 0; p < clauses.size(); ++p) {
      for (size_t q = 0; q < clauses.size();) {
        if (p != q && Subset(clauses[p], clauses[q]) && (clauses[p].size() < clauses[q].size() || p < q)) {
          clauses.erase(clauses.begin() + q);
          if (q < p) --p;
          changed = true;
        } else {
          ++q;
        }
      }
    }
    if (changed) continue;
    // Two atoms of one clause that simplify to one expression.
    for (Clause& clause : clauses) {
      for (size_t p = 0; p < clause.size() && !changed; ++p) {
        for (size_t q = p + 1; q < clause.size() && !changed; ++q) {
          PrimExpr joined = VisitExpr(Or(table.Atom(clause[p]), table.Atom(clause[q])));
          if (joined.as<OrNode>()) continue;
          clause[q] = table.AtomId(joined);
          clause.erase(clause.begin() + p);
          changed = true;
        }
      }
      if (changed) break;
    }
    if (changed) continue;
    // Two clauses that differ in one atom: (A || x) && (A || y) is A || (x && y).
    for (size_t p = 0; p < clauses.size() && !changed; ++p) {
      for (size_t q = p + 1; q < clauses.size() && !changed; ++q) {
        const Clause& cp = clauses[p];
        Clause& cq = clauses[q];
        if (cp.size() != cq.size()) continue;
        std::vector<int> only_p, only_q;
        for (int x : cp) {
          if (std::find(cq.begin(), cq.end(), x) == cq.end()) only_p.push_back(x);
        }
        for (int y : cq) {
          if (std::find(cp.begin(), cp.end(), y) == cp.end()) only_q.push_back(y);
        }
        if (only_p.size() != 1 || only_q.size() != 1) continue;
        PrimExpr met = VisitExpr(And(table.Atom(only_p[0]), table.Atom(only_q[0])));
        if (met.as<AndNode>()) continue;
        auto it = std::find(cq.begin(), cq.end(), only_q[0]);
        *it = table.AtomId(met);
        clauses.erase(clauses.begin() + p);
        changed = true;
      }
    }
  }

  PrimExpr result;
  for (const Clause& clause : clauses) {
    PrimExpr disjunction;
    for (int atom : clause) disjunction = disjunction.defined() ? Or(disjunction, table.Atom(atom)) : table.Atom(atom);
    result = result.defined() ? And(result, disjunction) : disjunction;
  }
  if (!result.defined()) return make_const(expr.dtype(), true);
  return result;
}

}  // namespace arith
}  // namespace tvm
