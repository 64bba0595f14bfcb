/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file loop_partition.cc
 * \brief LoopPartition: split a loop where its likely() conditions are
 *  known, so the main part runs without them.
 *
 * Assumes: conditions that usually hold are wrapped in likely() (as TE does
 *  for the guards of splits that do not divide their extent).
 *
 * Guarantees: a candidate loop v in [min, min + extent) -- by default one
 *  whose bounds are not constant; with config "tir.LoopPartition"
 *  {"partition_const_loop": 1} every loop -- is cut into up to three loops
 *  over the same variable: [min, lo), [lo, hi), [hi, min + extent), where
 *  [lo, hi) is where every likely(c) of its body that is linear in v holds
 *  for all values of the loops inside the body (c: a comparison or a
 *  conjunction of comparisons). In the middle part those likely(c) are
 *  replaced by true; the outer parts keep them and are partitioned again
 *  inside (their inner loops). Parts that are provably empty are dropped,
 *  and a part of extent 1 becomes its body with v substituted. The bounds
 *  lo and hi may be symbolic (expressions of outer variables).
 *
 *   before (partition_const_loop):          after:
 *   for io in range(32):                    for io in range(31):
 *       for ii in range(32):                    for ii in range(32):
 *           if T.likely(io * 32 + ii < 1000):       B[io * 32 + ii] = ...
 *               B[io * 32 + ii] = ...       for ii in range(8):
 *                                               B[992 + ii] = ...
 *  (after Simplify and RemoveNoOp have cleaned the tail's empty part).
 */
#include <tvm/arith/analyzer.h>
#include <tvm/runtime/registry.h>
#include <tvm/tir/transform.h>

#include <unordered_map>
#include <unordered_set>

#include "ir_utils.h"

namespace tvm {
namespace tir {
namespace {

/*! \brief e = coeff * v + rest, with rest free of v; nullopt when e is not linear in v. */
std::optional<std::pair<int64_t, PrimExpr>> LinearIn(const PrimExpr& e, const VarNode* v) {
  if (!UsesVar(e, v)) return std::make_pair(int64_t(0), e);
  if (e.get() == v) return std::make_pair(int64_t(1), make_zero(e.dtype()));
  if (const auto* add = e.as<AddNode>()) {
    auto a = LinearIn(add->a, v), b = LinearIn(add->b, v);
    if (!a || !b) return std::nullopt;
    return std::make_pair(a->first + b->first, tvm::add(a->second, b->second));
  }
  if (const auto* s = e.as<SubNode>()) {
    auto a = LinearIn(s->a, v), b = LinearIn(s->b, v);
    if (!a || !b) return std::nullopt;
    return std::make_pair(a->first - b->first, sub(a->second, b->second));
  }
  if (const auto* m = e.as<MulNode>()) {
    auto ca = as_const_int(m->a), cb = as_const_int(m->b);
    if (cb) {
      auto a = LinearIn(m->a, v);
      if (!a) return std::nullopt;
      return std::make_pair(a->first * *cb, mul(a->second, m->b));
    }
    if (ca) {
      auto b = LinearIn(m->b, v);
      if (!b) return std::nullopt;
      return std::make_pair(b->first * *ca, mul(m->a, b->second));
    }
  }
  return std::nullopt;
}

/*! \brief Replaces chosen likely() calls (by identity) with true. */
class LikelyEliminator : public StmtExprMutator {
 public:
  explicit LikelyEliminator(const std::unordered_set<const Object*>& calls) : calls_(calls) {}

 protected:
  PrimExpr VisitExpr_(const CallNode* op) final {
    if (calls_.count(op)) return const_true(op->dtype.lanes());
    return StmtExprMutator::VisitExpr_(op);
  }

 private:
  const std::unordered_set<const Object*>& calls_;
};

class LoopPartitioner : public StmtMutator {
 public:
  explicit LoopPartitioner(bool partition_const_loop) : partition_const_loop_(partition_const_loop) {}

 protected:
  Stmt VisitStmt_(const ForNode* op) final {
    bool constant = as_const_int(op->min).has_value() && as_const_int(op->extent).has_value();
    if ((partition_const_loop_ || !constant) && op->kind != ForKind::kVectorized) {
      Stmt parts = TryPartition(op);
      if (parts.defined()) return parts;
    }
    analyzer_.Bind(op->loop_var, Range::FromMinExtent(op->min, op->extent), true);
    return StmtMutator::VisitStmt_(op);
  }

  Stmt VisitStmt_(const AttrStmtNode* op) final {
    if (op->attr_key == attr::thread_extent || op->attr_key == attr::virtual_thread) {
      if (const auto* iv = op->node.as<IterVarNode>()) {
        analyzer_.Bind(iv->var, Range::FromMinExtent(make_zero(op->value.dtype()), op->value), true);
      }
    }
    return StmtMutator::VisitStmt_(op);
  }

  /*! \brief The loops inside `body`, with their ranges. */
  static Map<Var, arith::IntSet> InnerDomains(const Stmt& body) {
    Map<Var, arith::IntSet> dom;
    PostOrderVisit(body, [&](const ObjectRef& n) {
      if (const auto* loop = n.as<ForNode>()) {
        dom.Set(loop->loop_var, arith::IntSet::FromMinExtent(loop->min, loop->extent));
      } else if (const auto* attr = n.as<AttrStmtNode>()) {
        if (attr->attr_key == attr::thread_extent || attr->attr_key == attr::virtual_thread) {
          if (const auto* iv = attr->node.as<IterVarNode>()) {
            dom.Set(iv->var, arith::IntSet::FromMinExtent(make_zero(attr->value.dtype()), attr->value));
          }
        }
      }
    });
    return dom;
  }

  /*!
   * \brief Narrow [lo, hi] (inclusive bounds of v) to where cond holds for
   *  every value of the inner loops; false when cond is not of a usable form.
   */
  bool Narrow(const PrimExpr& cond, const VarNode* v, const Map<Var, arith::IntSet>& inner,
              const std::unordered_set<const VarNode*>& inner_vars, PrimExpr* lo, PrimExpr* hi) {
    if (const auto* a = cond.as<AndNode>()) {
      PrimExpr lo2 = *lo, hi2 = *hi;
      if (!Narrow(a->a, v, inner, inner_vars, &lo2, &hi2) || !Narrow(a->b, v, inner, inner_vars, &lo2, &hi2)) {
        return false;
      }
      *lo = lo2;
      *hi = hi2;
      return true;
    }
    // cond <=> g < 0
    PrimExpr g;
    if (const auto* c = cond.as<LTNode>()) {
      g = sub(c->a, c->b);
    } else if (const auto* c = cond.as<LENode>()) {
      g = sub(sub(c->a, c->b), make_const(c->a.dtype(), 1));
    } else if (const auto* c = cond.as<GTNode>()) {
      g = sub(c->b, c->a);
    } else if (const auto* c = cond.as<GENode>()) {
      g = sub(sub(c->b, c->a), make_const(c->a.dtype(), 1));
    } else {
      return false;
    }
    if (!g.dtype().is_int()) return false;
    auto lin = LinearIn(analyzer_.Simplify(g), v);
    if (!lin || lin->first == 0) return false;
    int64_t coeff = lin->first;
    // The largest value of the rest over the inner loops.
    arith::IntSet rest = arith::EvalSet(lin->second, inner);
    if (!rest.HasUpperBound()) return false;
    PrimExpr rmax = analyzer_.Simplify(rest.max());
    if (UsesVar(rmax, [&](const VarNode* x) { return x == v || inner_vars.count(x) != 0; })) return false;
    DataType t = v->dtype;
    rmax = cast(t, rmax);
    if (coeff > 0) {
      // coeff * v + rmax < 0  <=>  v <= floor((-rmax - 1) / coeff)
      PrimExpr bound = floordiv(sub(neg(rmax), make_const(t, 1)), make_const(t, coeff));
      *hi = analyzer_.Simplify(min(*hi, bound));
    } else {
      // v > rmax / |coeff|  <=>  v >= floor(rmax / |coeff|) + 1
      PrimExpr bound = add(floordiv(rmax, make_const(t, -coeff)), make_const(t, 1));
      *lo = analyzer_.Simplify(max(*lo, bound));
    }
    return true;
  }

  Stmt TryPartition(const ForNode* op) {
    const VarNode* v = op->loop_var.get();
    // likely(c) calls in the body that mention v.
    std::vector<const CallNode*> likely;
    PostOrderVisit(op->body, [&](const ObjectRef& n) {
      if (const auto* call = n.as<CallNode>()) {
        if (call->op.same_as(builtin::likely()) && UsesVar(call->args[0], v)) likely.push_back(call);
      }
    });
    if (likely.empty()) return Stmt();

    analyzer_.Bind(op->loop_var, Range::FromMinExtent(op->min, op->extent), true);
    Map<Var, arith::IntSet> inner = InnerDomains(op->body);
    std::unordered_set<const VarNode*> inner_vars;
    for (const auto& kv : inner) inner_vars.insert(kv.first.get());

    PrimExpr end = add(op->min, op->extent);
    PrimExpr lo = op->min;
    PrimExpr hi = sub(end, make_const(end.dtype(), 1));
    std::unordered_set<const Object*> used;
    for (const CallNode* call : likely) {
      PrimExpr lo2 = lo, hi2 = hi;
      if (Narrow(call->args[0], v, inner, inner_vars, &lo2, &hi2)) {
        lo = lo2;
        hi = hi2;
        used.insert(call);
      }
    }
    if (used.empty()) return Stmt();

    PrimExpr mid_begin = analyzer_.Simplify(max(op->min, lo));
    PrimExpr mid_end = analyzer_.Simplify(min(end, add(hi, make_const(hi.dtype(), 1))));
    if (!analyzer_.CanProve(GE(mid_end, mid_begin))) mid_end = analyzer_.Simplify(max(mid_end, mid_begin));
    // Nothing to gain when the middle part is empty.
    if (analyzer_.CanProve(LE(mid_end, mid_begin))) return Stmt();

    Stmt mid_body = LikelyEliminator(used)(op->body);
    std::vector<Stmt> parts;
    parts.push_back(MakePart(op, op->min, mid_begin, op->body));
    parts.push_back(MakePart(op, mid_begin, mid_end, mid_body));
    parts.push_back(MakePart(op, mid_end, end, op->body));
    return SeqStmt::Flatten(parts);
  }

  /*! \brief The loop over [begin, end) with `body`, partitioned inside; nothing if empty. */
  Stmt MakePart(const ForNode* op, const PrimExpr& begin, const PrimExpr& end, const Stmt& body) {
    PrimExpr extent = analyzer_.Simplify(sub(end, begin));
    if (analyzer_.CanProve(LE(extent, make_zero(extent.dtype())))) return Stmt();
    if (is_one(extent)) {
      Stmt s = Substitute(body, [&](const Var& x) -> std::optional<PrimExpr> {
        if (x.same_as(op->loop_var)) return begin;
        return std::nullopt;
      });
      return VisitStmt(s);
    }
    analyzer_.Bind(op->loop_var, Range::FromMinExtent(begin, extent), true);
    Stmt inner = VisitStmt(body);
    auto n = make_object<ForNode>(*op);
    n->min = begin;
    n->extent = extent;
    n->body = inner;
    return Stmt(ObjectPtr<Object>(std::move(n)));
  }

 private:
  bool partition_const_loop_;
  arith::Analyzer analyzer_;
};

}  // namespace

namespace transform {

Pass LoopPartition() {
  auto fpass = [](PrimFunc f, IRModule m, PassContext ctx) {
    auto cfg = ctx->GetConfig<Map<String, ObjectRef>>("tir.LoopPartition");
    bool partition_const_loop = OptionInt(cfg, "partition_const_loop", 0) != 0;
    Stmt body = LoopPartitioner(partition_const_loop)(f->body);
    if (body.same_as(f->body)) return f;
    f.CopyOnWrite()->body = body;
    return f;
  };
  return CreatePrimFuncPass(fpass, 0, "tir.LoopPartition", {});
}

TVM_REGISTER_GLOBAL("tir.transform.LoopPartition").set_body_typed([]() { return LoopPartition(); });

// {partition_const_loop}
static const bool kLoopPartitionConfigRegistered =
    (PassContext::RegisterConfigOption("tir.LoopPartition", "Map"), true);

}  // namespace transform
}  // namespace tir
}  // namespace tvm
