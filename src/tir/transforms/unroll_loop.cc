/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file unroll_loop.cc
 * \brief UnrollLoop: replace loops by copies of their body.
 *
 * Assumes: loops to unroll have constant extents (a kUnrolled loop with a
 *  non-constant extent is an error naming the loop).
 *
 * Guarantees: with explicit_unroll (the default), every kUnrolled loop and
 *  every loop chosen for auto unrolling becomes a sequence of its body with
 *  the loop variable replaced by min, min+1, ...; with explicit_unroll off
 *  those loops are only marked kUnrolled (the code generator unrolls).
 *  Auto unrolling picks a serial constant loop when no non-unrolled loop is
 *  inside it, the nesting of unrolled loops is at most auto_max_depth, and
 *  either extent * (statements in its body) <= auto_max_step or
 *  extent <= auto_max_extent. With unroll_local_access, constant loops that
 *  index "local" or "warp" buffers are unrolled too. With auto_max_extent == 1, loops
 *  of extent 0 or 1 are always unrolled. Extents are simplified first. The AttrStmts
 *  "pragma_auto_unroll_max_step" and "pragma_unroll_explicit" override the
 *  options for their body and are removed.
 *
 * Config: "tir.UnrollLoop" = {auto_max_step (0), auto_max_depth (8),
 *  auto_max_extent (0), explicit_unroll (1), unroll_local_access (0)}.
 *
 *   before:  for j in T.unroll(3):      after:  B[0] = A[0]
 *                B[j] = A[j]                    B[1] = A[1]
 *                                               B[2] = A[2]
 */
#include <tvm/runtime/registry.h>
#include <tvm/tir/transform.h>

#include <tvm/arith/analyzer.h>

#include <limits>
#include <unordered_set>

#include "ir_utils.h"

namespace tvm {
namespace tir {
namespace {

struct UnrollOptions {
  int64_t auto_max_step = 0;
  int64_t auto_max_depth = 8;
  int64_t auto_max_extent = 0;
  bool explicit_unroll = true;
  bool unroll_local_access = false;
};

class LoopUnroller : public StmtExprMutator {
 public:
  explicit LoopUnroller(UnrollOptions opts) : opts_(opts) {}

 protected:
  // What the last visited statement contained; combined bottom-up.
  struct Summary {
    int64_t steps = 0;           // statements (stores, evaluates) executed per run
    int unrolled_depth = 0;      // nesting of unrolled loops
    bool has_normal_loop = false;
  };

  Stmt VisitStmt_(const AttrStmtNode* op) final {
    if (op->attr_key == attr::pragma_auto_unroll_max_step) {
      auto v = as_const_int(op->value);
      TVM_CHECK(v.has_value(), "ValueError") << "pragma auto_unroll_max_step needs a constant value";
      int64_t saved = opts_.auto_max_step;
      opts_.auto_max_step = *v;
      Stmt body = VisitStmt(op->body);
      opts_.auto_max_step = saved;
      return body;
    }
    if (op->attr_key == attr::pragma_unroll_explicit) {
      auto v = as_const_int(op->value);
      TVM_CHECK(v.has_value(), "ValueError") << "pragma unroll_explicit needs a constant value";
      bool saved = opts_.explicit_unroll;
      opts_.explicit_unroll = *v != 0;
      Stmt body = VisitStmt(op->body);
      opts_.explicit_unroll = saved;
      return body;
    }
    return StmtExprMutator::VisitStmt_(op);
  }

  Stmt VisitStmt_(const SeqStmtNode* op) final {
    Summary total;
    std::vector<Stmt> out;
    bool changed = false;
    for (const Stmt& s : op->seq) {
      summary_ = Summary();
      Stmt m = VisitStmt(s);
      changed = changed || !m.same_as(s);
      out.push_back(m);
      total.steps += summary_.steps;
      total.unrolled_depth = std::max(total.unrolled_depth, summary_.unrolled_depth);
      total.has_normal_loop = total.has_normal_loop || summary_.has_normal_loop;
    }
    summary_ = total;
    return changed ? SeqStmt::Flatten(out) : GetRef<Stmt>(op);
  }

  Stmt VisitStmt_(const BufferStoreNode* op) final {
    NoteLocalIndices(op->buffer, op->indices);
    summary_ = Summary();
    summary_.steps = 1;
    return StmtExprMutator::VisitStmt_(op);
  }

  PrimExpr VisitExpr_(const BufferLoadNode* op) final {
    NoteLocalIndices(op->buffer, op->indices);
    return StmtExprMutator::VisitExpr_(op);
  }

  Stmt VisitStmt_(const EvaluateNode* op) final {
    summary_ = Summary();
    summary_.steps = 1;
    return StmtExprMutator::VisitStmt_(op);
  }

  Stmt VisitStmt_(const ForNode* op) final {
    summary_ = Summary();
    Stmt s = StmtExprMutator::VisitStmt_(op);
    op = s.as<ForNode>();
    bool local = local_index_vars_.count(op->loop_var.get()) != 0;
    Summary body = summary_;

    // Extents such as (n + 2) - n count as constant once simplified.
    auto extent = as_const_int(analyzer_.Simplify(op->extent));
    if (extent.has_value() && *extent > std::numeric_limits<int32_t>::max()) extent.reset();
    if (op->kind == ForKind::kUnrolled) {
      TVM_CHECK(extent.has_value(), "ValueError")
          << "UnrollLoop: loop " << op->loop_var->name_hint << " is marked unroll but its extent " << op->extent
          << " is not a constant";
    }
    bool unroll = op->kind == ForKind::kUnrolled;
    if (!unroll && op->kind == ForKind::kSerial && extent.has_value() && *extent >= 0 && !body.has_normal_loop &&
        body.unrolled_depth <= opts_.auto_max_depth) {
      unroll = *extent * body.steps <= opts_.auto_max_step || *extent <= opts_.auto_max_extent;
    }
    // A constant loop indexing a local buffer is unrolled so the buffer can live in registers.
    if (opts_.unroll_local_access && local && extent.has_value() && *extent > 0) unroll = true;
    // auto_max_extent == 1 asks for every single-iteration loop to disappear, even
    // loops holding non-unrolled loops and even when unrolling is not explicit.
    bool fake_loop = extent.has_value() && *extent >= 0 && *extent <= 1 && opts_.auto_max_extent == 1;
    summary_ = body;
    if (!unroll && !fake_loop) {
      summary_.has_normal_loop = true;
      return s;
    }
    if (unroll) {
      summary_.steps = body.steps * *extent;
      summary_.unrolled_depth = body.unrolled_depth + 1;
    } else {
      summary_.has_normal_loop = true;
    }
    if (!(unroll && opts_.explicit_unroll) && !fake_loop) {
      if (op->kind == ForKind::kUnrolled) return s;
      auto n = make_object<ForNode>(*op);
      n->kind = ForKind::kUnrolled;
      return Stmt(ObjectPtr<Object>(std::move(n)));
    }
    return Unroll(op, *extent);
  }

  static Stmt Unroll(const ForNode* op, int64_t extent) {
    if (extent <= 0) return Evaluate(0);
    std::vector<Stmt> copies;
    copies.reserve(extent);
    for (int64_t i = 0; i < extent; ++i) {
      // Fold constant mins so unrolled indices read as literals.
      auto min_value = as_const_int(op->min);
      PrimExpr value = min_value.has_value() ? make_const(op->loop_var.dtype(), *min_value + i)
                       : i == 0             ? op->min
                                            : add(op->min, make_const(op->loop_var.dtype(), i));
      copies.push_back(Substitute(op->body, [&](const Var& v) -> std::optional<PrimExpr> {
        if (v.same_as(op->loop_var)) return value;
        return std::nullopt;
      }));
    }
    return SeqStmt::Flatten(copies);
  }

  UnrollOptions opts_;
  arith::Analyzer analyzer_;
  Summary summary_;
  // Variables used in indices of local/warp buffers (registers once indices are constant).
  std::unordered_set<const VarNode*> local_index_vars_;

  void NoteLocalIndices(const Buffer& buffer, const Array<PrimExpr>& indices) {
    std::string scope = buffer.scope();
    if (scope != "local" && scope != "warp") return;
    for (const PrimExpr& e : indices) {
      PostOrderVisit(e, [this](const ObjectRef& n) {
        if (auto* v = n.as<VarNode>()) local_index_vars_.insert(v);
      });
    }
  }
};

}  // namespace

namespace transform {

Pass UnrollLoop() {
  auto fpass = [](PrimFunc f, IRModule m, PassContext ctx) {
    auto cfg = ctx->GetConfig<Map<String, ObjectRef>>("tir.UnrollLoop");
    UnrollOptions opts;
    opts.auto_max_step = OptionInt(cfg, "auto_max_step", 0);
    opts.auto_max_depth = OptionInt(cfg, "auto_max_depth", 8);
    opts.auto_max_extent = OptionInt(cfg, "auto_max_extent", 0);
    opts.explicit_unroll = OptionInt(cfg, "explicit_unroll", 1) != 0;
    opts.unroll_local_access = OptionInt(cfg, "unroll_local_access", 0) != 0;
    Stmt body = LoopUnroller(opts)(f->body);
    if (body.same_as(f->body)) return f;
    f.CopyOnWrite()->body = body;
    return f;
  };
  return CreatePrimFuncPass(fpass, 0, "tir.UnrollLoop", {});
}

TVM_REGISTER_GLOBAL("tir.transform.UnrollLoop").set_body_typed([]() { return UnrollLoop(); });

// {auto_max_step, auto_max_depth, auto_max_extent, explicit_unroll, unroll_local_access}
static const bool kUnrollConfigRegistered = (PassContext::RegisterConfigOption("tir.UnrollLoop", "Map"), true);

}  // namespace transform
}  // namespace tir
}  // namespace tvm
