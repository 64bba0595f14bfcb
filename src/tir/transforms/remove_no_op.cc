/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file remove_no_op.cc
 * \brief RemoveNoOp: drop statements that have no effect.
 *
 * Assumes: nothing (any PrimFunc body).
 *
 * Guarantees: removed are Evaluate of expressions without side effects,
 *  stores of a location's own value (B[i] = B[i]), loops whose body does
 *  nothing or whose extent is provably <= 0, ifs whose branches do nothing or whose
 *  condition is constant (the taken branch stays), lets, attributes and
 *  allocations around nothing, lets whose variable is unused. Stores whose
 *  indices are proven equal to the load's (with the loop ranges and the
 *  conditions of enclosing ifs) count as a location's own value. Side effects in dropped conditions or let
 *  values are kept as Evaluate. Running it twice changes nothing more.
 *
 * With config "tir.RemoveNoOp" {"use_dataflow_analysis": 1}, in each
 *  sequence of statements, a write nest (loops and ifs around one store)
 *  also goes when
 *  - a later write nest overwrites every location it writes, and nothing
 *    in between (nor the overwriting nest) may read that memory; a single
 *    store whose value has side effects leaves them as Evaluate;
 *  - an earlier kept write nest already stored the same value at every
 *    location it writes, and nothing in between may write that memory.
 *  The nest that made another one dead is kept. Only nests whose loop
 *  bounds, conditions and indices read no memory are compared, proofs use
 *  the arith Analyzer, buffers of parameters may alias each other unless
 *  the function is tir.noalias, and anything unsure is kept.
 *
 *   before:  for i in range(16):              after:  A[0] = 1
 *                T.evaluate(0)
 *            if T.bool(True):
 *                A[0] = 1
 *            B[i] = B[i]
 */
#include <tvm/arith/analyzer.h>
#include <tvm/ir/structural_equal.h>
#include <tvm/runtime/registry.h>
#include <tvm/tir/transform.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <unordered_set>
#include <vector>

#include "ir_utils.h"

namespace tvm {
namespace tir {
namespace {


/*! \brief Loops and ifs (without else) around one store. */
struct WriteNest {
  std::vector<const ForNode*> loops;  // outermost first
  std::vector<PrimExpr> conds;
  const BufferStoreNode* store{nullptr};
};

/*!
 * \brief Finds memory accesses in statements and expressions: loads and
 *  stores (of buffers for which `match` holds), calls with effects, and
 *  pointers used as values (they may escape). Buffers' own data variables
 *  are not values.
 */
class MemoryAccessFinder : public StmtExprVisitor {
 public:
  MemoryAccessFinder(std::function<bool(const Var&)> match, bool loads, bool stores)
      : match_(std::move(match)), loads_(loads), stores_(stores) {}
  bool found{false};

 protected:
  void VisitExpr_(const BufferLoadNode* op) final {
    if (loads_ && match_(op->buffer->data)) found = true;
    StmtExprVisitor::VisitExpr_(op);
  }
  void VisitStmt_(const BufferStoreNode* op) final {
    if (stores_ && match_(op->buffer->data)) found = true;
    StmtExprVisitor::VisitStmt_(op);
  }
  void VisitExpr_(const VarNode* op) final {
    if (op->dtype.is_handle()) found = true;
  }
  void VisitExpr_(const CallNode* op) final {
    if (HasSideEffect(GetRef<PrimExpr>(op))) found = true;
    StmtExprVisitor::VisitExpr_(op);
  }

 private:
  std::function<bool(const Var&)> match_;
  bool loads_, stores_;
};

/*! \brief Whether e reads memory or has an effect. */
bool TouchesMemory(const PrimExpr& e) {
  MemoryAccessFinder f([](const Var&) { return true; }, true, false);
  f(e);
  return f.found;
}

std::optional<WriteNest> AsWriteNest(const Stmt& s) {
  WriteNest n;
  Stmt cur = s;
  while (true) {
    if (const auto* f = cur.as<ForNode>()) {
      if (f->kind == ForKind::kThreadBinding || TouchesMemory(f->min) || TouchesMemory(f->extent)) return std::nullopt;
      n.loops.push_back(f);
      cur = f->body;
    } else if (const auto* i = cur.as<IfThenElseNode>()) {
      if (i->else_case.defined() || TouchesMemory(i->condition)) return std::nullopt;
      n.conds.push_back(i->condition);
      cur = i->then_case;
    } else if (const auto* st = cur.as<BufferStoreNode>()) {
      for (const PrimExpr& idx : st->indices) {
        if (idx.dtype().lanes() != 1 || TouchesMemory(idx)) return std::nullopt;
      }
      n.store = st;
      return n;
    } else {
      return std::nullopt;
    }
  }
}

bool SameLayout(const Buffer& a, const Buffer& b) {
  if (a.same_as(b)) return true;
  return a->data.same_as(b->data) && a->dtype == b->dtype && StructuralEqual()(a->shape, b->shape) &&
         StructuralEqual()(a->strides, b->strides) && StructuralEqual()(a->elem_offset, b->elem_offset);
}

class NoOpRemover : public StmtMutator {
 public:
  NoOpRemover(bool dataflow, bool noalias, std::unordered_set<const VarNode*> local)
      : dataflow_(dataflow), noalias_(noalias), local_(std::move(local)) {}

 protected:
  /*! \brief An Evaluate keeping the side effects of e, or a no-op. */
  static Stmt KeepEffects(const PrimExpr& e) { return HasSideEffect(e) ? Evaluate(e) : Evaluate(0); }

  Stmt VisitStmt_(const LetStmtNode* op) final {
    if (op->value.dtype().is_int() && op->value.dtype().lanes() == 1) analyzer_.Bind(op->var, op->value, true);
    Stmt s = StmtMutator::VisitStmt_(op);
    op = s.as<LetStmtNode>();
    if (is_no_op(op->body)) return KeepEffects(op->value);
    // A binding nobody reads (and whose value does nothing) goes.
    if (!HasSideEffect(op->value) && !UsesVar(op->body, op->var.get())) return op->body;
    return s;
  }

  Stmt VisitStmt_(const AttrStmtNode* op) final {
    Stmt s = StmtMutator::VisitStmt_(op);
    op = s.as<AttrStmtNode>();
    if (is_no_op(op->body)) return Evaluate(0);
    return s;
  }

  Stmt VisitStmt_(const IfThenElseNode* op) final {
    // The condition (or its negation) holds in each branch: indices may be
    // proven equal with it.
    Stmt then_case, else_case;
    {
      With<arith::ConstraintContext> ctx(&analyzer_, op->condition);
      then_case = VisitStmt(op->then_case);
    }
    if (op->else_case.defined()) {
      With<arith::ConstraintContext> ctx(&analyzer_, logical_not(op->condition));
      else_case = VisitStmt(op->else_case);
    }
    Stmt s = then_case.same_as(op->then_case) && else_case.same_as(op->else_case)
                 ? GetRef<Stmt>(op)
                 : IfThenElse(op->condition, then_case, else_case);
    op = s.as<IfThenElseNode>();
    if (auto c = as_const_int(op->condition)) {
      if (*c) return op->then_case;
      return op->else_case.defined() ? op->else_case : Evaluate(0);
    }
    bool then_noop = is_no_op(op->then_case);
    bool else_noop = !op->else_case.defined() || is_no_op(op->else_case);
    if (then_noop && else_noop) return KeepEffects(op->condition);
    if (op->else_case.defined() && else_noop) return IfThenElse(op->condition, op->then_case);
    if (then_noop) return IfThenElse(logical_not(op->condition), op->else_case);
    return s;
  }

  Stmt VisitStmt_(const ForNode* op) final {
    // A loop that provably runs no iteration (extent <= 0) does nothing.
    if (is_zero(op->extent) || (op->extent.dtype().is_int() && analyzer_.CanProveLess(op->extent, 1))) {
      return Evaluate(0);
    }
    analyzer_.Bind(op->loop_var, Range::FromMinExtent(op->min, op->extent), true);
    Stmt s = StmtMutator::VisitStmt_(op);
    op = s.as<ForNode>();
    if (is_no_op(op->body)) return Evaluate(0);
    return s;
  }

  Stmt VisitStmt_(const WhileNode* op) final {
    Stmt s = StmtMutator::VisitStmt_(op);
    op = s.as<WhileNode>();
    if (is_zero(op->condition)) return Evaluate(0);
    return s;
  }

  Stmt VisitStmt_(const AllocateNode* op) final {
    Stmt s = StmtMutator::VisitStmt_(op);
    op = s.as<AllocateNode>();
    if (is_no_op(op->body)) return Evaluate(0);
    return s;
  }

  Stmt VisitStmt_(const DeclBufferNode* op) final {
    Stmt s = StmtMutator::VisitStmt_(op);
    op = s.as<DeclBufferNode>();
    if (is_no_op(op->body)) return Evaluate(0);
    return s;
  }

  Stmt VisitStmt_(const EvaluateNode* op) final {
    if (is_no_op(GetRef<Stmt>(op))) return GetRef<Stmt>(op);
    if (!HasSideEffect(op->value)) return Evaluate(0);
    return GetRef<Stmt>(op);
  }

  Stmt VisitStmt_(const BufferStoreNode* op) final {
    if (const auto* load = op->value.as<BufferLoadNode>()) {
      if (load->buffer->data.same_as(op->buffer->data) && load->indices.size() == op->indices.size()) {
        bool same = true;
        for (size_t i = 0; i < op->indices.size() && same; ++i) {
          same = StructuralEqual()(load->indices[i], op->indices[i]) ||
                 (load->indices[i].dtype() == op->indices[i].dtype() && load->indices[i].dtype().lanes() == 1 &&
                  analyzer_.CanProveEqual(load->indices[i], op->indices[i]));
        }
        if (same && !HasSideEffect(op->value)) return Evaluate(0);
      }
    }
    return GetRef<Stmt>(op);
  }

  Stmt VisitStmt_(const SeqStmtNode* op) final {
    Stmt s = StmtMutator::VisitSeqStmt_(op, true);
    if (const auto* seq = s.as<SeqStmtNode>()) {
      std::vector<Stmt> kept;
      for (const Stmt& x : seq->seq) {
        if (!is_no_op(x)) kept.push_back(x);
      }
      bool changed = kept.size() != seq->seq.size();
      if (dataflow_ && kept.size() > 1) {
        std::vector<Stmt> after = RemoveDeadAndKnownWrites(kept);
        changed = changed || after.size() != kept.size() ||
                  !std::equal(after.begin(), after.end(), kept.begin(), [](const Stmt& a, const Stmt& b) { return a.same_as(b); });
        kept = std::move(after);
      }
      if (changed) return kept.empty() ? Evaluate(0) : SeqStmt::Flatten(kept);
    }
    return s;
  }

  // ---- dataflow: writes overwritten later, writes of a value already there ----

  /*! \brief Whether memory of `data` may be read (write: written) in s. */
  bool MayAccess(const Stmt& s, const Var& data, bool write) const {
    auto may_alias = [&](const Var& other) {
      return other.same_as(data) || (!noalias_ && !local_.count(other.get()) && !local_.count(data.get()));
    };
    MemoryAccessFinder f(may_alias, !write, write);
    f(s);
    return f.found;
  }

  /*!
   * \brief Under the current analyzer context, whether `w` writes every
   *  location `indices` names; on success `solved` maps w's loop variables
   *  to the values naming that location.
   */
  bool Covers(const WriteNest& nest, const Array<PrimExpr>& indices, PrimExpr* value_at) {
    if (nest.store->indices.size() != indices.size()) return false;
    // w's loops on fresh variables the analyzer knows nothing about, so that
    // rewriting its index holds for every value.
    std::unordered_map<const VarNode*, PrimExpr> rename;
    struct Loop {
      Var var;
      PrimExpr min, extent;
    };
    std::vector<Loop> loops;
    for (const ForNode* f : nest.loops) {
      Var fresh = f->loop_var.copy_with_suffix("");
      loops.push_back({fresh, Substitute(f->min, rename), Substitute(f->extent, rename)});
      rename[f->loop_var.get()] = fresh;
    }
    auto renamed = [&](const PrimExpr& e) { return Substitute(e, rename); };
    std::unordered_set<const VarNode*> vars;
    for (const Loop& l : loops) vars.insert(l.var.get());
    std::unordered_map<const VarNode*, PrimExpr> solved;
    auto uses_loop = [&](const PrimExpr& e) { return UsesVar(e, [&](const VarNode* v) { return vars.count(v) != 0; }); };
    auto uses_unsolved = [&](const PrimExpr& e) {
      return UsesVar(e, [&](const VarNode* v) { return vars.count(v) != 0 && !solved.count(v); });
    };
    std::vector<std::pair<size_t, PrimExpr>> equal_dims;
    for (size_t d = 0; d < indices.size(); ++d) {
      PrimExpr e2 = renamed(nest.store->indices[d]);
      if (e2.dtype() != indices[d].dtype()) return false;
      if (!uses_loop(e2)) {
        equal_dims.emplace_back(d, e2);
        continue;
      }
      // e2 = y + r with y one of the loops and r free of them: y = index - r.
      bool done = false;
      for (const Loop& l : loops) {
        if (solved.count(l.var.get()) || !UsesVar(e2, l.var.get())) continue;
        PrimExpr r = analyzer_.Simplify(e2 - l.var);
        if (uses_loop(r)) continue;
        solved[l.var.get()] = analyzer_.Simplify(indices[d] - r);
        done = true;
        break;
      }
      if (!done) return false;
    }
    for (const auto& [d, e2] : equal_dims) {
      if (!analyzer_.CanProveEqual(indices[d], e2)) return false;
    }
    auto subst = [&](const PrimExpr& e) { return Substitute(e, solved); };
    for (const Loop& l : loops) {
      if (uses_unsolved(l.min) || uses_unsolved(l.extent)) return false;
      PrimExpr lo = subst(l.min), extent = subst(l.extent);
      auto it = solved.find(l.var.get());
      if (it == solved.end()) {
        // Not in the index: any iteration writes the location; one must run.
        if (!analyzer_.CanProve(extent > 0)) return false;
        continue;
      }
      if (!analyzer_.CanProve(it->second >= lo) || !analyzer_.CanProve(it->second < lo + extent)) return false;
    }
    for (const PrimExpr& c : nest.conds) {
      PrimExpr c2 = renamed(c);
      if (uses_unsolved(c2) || !analyzer_.CanProve(subst(c2))) return false;
    }
    if (value_at != nullptr) {
      PrimExpr v = renamed(nest.store->value);
      // Iterations not in the index all write the location: their value must agree.
      *value_at = uses_unsolved(v) ? PrimExpr() : subst(v);
    }
    return true;
  }

  /*!
   * \brief Run `check(indices, value)` for a nest's store with its loops
   *  bound to fresh variables and its conditions assumed.
   */
  template <typename F>
  bool ForEachWrite(const WriteNest& n, F check) {
    std::unordered_map<const VarNode*, PrimExpr> rename;
    for (const ForNode* f : n.loops) {
      Var fresh = f->loop_var.copy_with_suffix("");
      PrimExpr lo = Substitute(f->min, rename), extent = Substitute(f->extent, rename);
      rename[f->loop_var.get()] = fresh;
      analyzer_.Bind(fresh, Range::FromMinExtent(lo, extent), true);
    }
    std::vector<std::unique_ptr<With<arith::ConstraintContext>>> ctx;
    for (const PrimExpr& c : n.conds) {
      ctx.push_back(std::make_unique<With<arith::ConstraintContext>>(&analyzer_, Substitute(c, rename)));
    }
    Array<PrimExpr> indices = n.store->indices.Map([&](const PrimExpr& e) { return Substitute(e, rename); });
    bool ok = check(indices, Substitute(n.store->value, rename));
    while (!ctx.empty()) ctx.pop_back();
    return ok;
  }

  std::vector<Stmt> RemoveDeadAndKnownWrites(const std::vector<Stmt>& stmts) {
    size_t n = stmts.size();
    std::vector<std::optional<WriteNest>> nests(n);
    for (size_t k = 0; k < n; ++k) nests[k] = AsWriteNest(stmts[k]);
    std::vector<bool> removed(n, false), needed(n, false);
    std::vector<Stmt> replacement(n);
    for (size_t k = 0; k < n; ++k) {
      if (!nests[k]) continue;
      const WriteNest& cur = *nests[k];
      const Var& data = cur.store->buffer->data;
      // A value already stored by the last kept writer of this memory.
      if (!needed[k] && !TouchesMemory(cur.store->value)) {
        for (size_t j = k; j-- > 0;) {
          if (removed[j]) continue;
          if (nests[j] && SameLayout(nests[j]->store->buffer, cur.store->buffer)) {
            const WriteNest& prev = *nests[j];
            if (TouchesMemory(prev.store->value)) break;
            bool known = ForEachWrite(cur, [&](const Array<PrimExpr>& indices, const PrimExpr& value) {
              PrimExpr there;
              if (!Covers(prev, indices, &there) || !there.defined()) return false;
              return there.dtype() == value.dtype() && analyzer_.CanProveEqual(there, value);
            });
            if (known) {
              removed[k] = true;
              needed[j] = true;
            }
            break;
          }
          if (MayAccess(stmts[j], data, /*write=*/true)) break;
        }
        if (removed[k]) continue;
      }
      // Every location overwritten before anything may read it.
      bool effects = HasSideEffect(cur.store->value);
      if (effects && (!cur.loops.empty() || !cur.conds.empty())) continue;
      for (size_t j = k + 1; j < n; ++j) {
        if (MayAccess(stmts[j], data, /*write=*/false)) break;
        if (!nests[j] || !SameLayout(nests[j]->store->buffer, cur.store->buffer)) continue;
        const WriteNest& later = *nests[j];
        bool dead = ForEachWrite(cur, [&](const Array<PrimExpr>& indices, const PrimExpr&) {
          return Covers(later, indices, nullptr);
        });
        if (dead) {
          removed[k] = true;
          needed[j] = true;
          if (effects) replacement[k] = Evaluate(cur.store->value);
          break;
        }
      }
    }
    std::vector<Stmt> out;
    for (size_t k = 0; k < n; ++k) {
      if (!removed[k]) {
        out.push_back(stmts[k]);
      } else if (replacement[k].defined()) {
        out.push_back(replacement[k]);
      }
    }
    return out;
  }

 private:
  bool dataflow_;
  bool noalias_;
  std::unordered_set<const VarNode*> local_;
  arith::Analyzer analyzer_;
};

}  // namespace

namespace transform {

Pass RemoveNoOp() {
  auto fpass = [](PrimFunc f, IRModule m, PassContext ctx) {
    // max_simplification_steps bounds TVM's analyzer work; this pass has no such bound.
    auto cfg = ctx->GetConfig<Map<String, ObjectRef>>("tir.RemoveNoOp");
    CheckPassOptions(cfg, "tir.RemoveNoOp", {"use_dataflow_analysis", "max_simplification_steps"}, {});
    bool dataflow = OptionInt(cfg, "use_dataflow_analysis", 0) != 0;
    bool noalias = f->GetAttr<Integer>(attr::kNoAlias).value_or(Integer(0)).IntValue() != 0;
    // Allocations are distinct from each other and from the parameters.
    std::unordered_set<const VarNode*> local;
    PostOrderVisit(f->body, [&](const ObjectRef& n) {
      if (const auto* a = n.as<AllocateNode>()) local.insert(a->buffer_var.get());
    });
    Stmt body = NoOpRemover(dataflow, noalias, std::move(local))(f->body);
    if (body.same_as(f->body)) return f;
    f.CopyOnWrite()->body = body;
    return f;
  };
  return CreatePrimFuncPass(fpass, 0, "tir.RemoveNoOp", {});
}

static const bool kRemoveNoOpConfigRegistered = (PassContext::RegisterConfigOption("tir.RemoveNoOp", "Map"), true);

TVM_REGISTER_GLOBAL("tir.transform.RemoveNoOp").set_body_typed([]() { return RemoveNoOp(); });

}  // namespace transform
}  // namespace tir
}  // namespace tvm
