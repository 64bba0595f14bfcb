/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file simplify.cc
 * \brief Simplify: simplify every expression of a PrimFunc with the arith
 *  Analyzer, using what the statements around it tell.
 *
 * Assumes: nothing (any PrimFunc body).
 *
 * Guarantees: each expression is replaced by Analyzer::Simplify of it,
 *  where loop variables are bound to their ranges ([min, min + extent)),
 *  thread and virtual-thread variables to [0, extent), non-negative
 *  dimensions of parameter buffers are non-negative, and inside an if the
 *  condition (else: its negation) is assumed, less any part that reads
 *  memory the branch may write. So guards that always hold -- for example
 *  the if T.likely(i_outer * 32 + i_inner < 1024) of a split that divides
 *  its extent -- disappear: an if whose condition is proven true or false
 *  keeps only the taken branch, an assert proven true is dropped, and a
 *  let of a constant, a variable or pure integer arithmetic is substituted
 *  into its body unless a buffer definition uses it (a let whose variable is
 *  unused is dropped); other lets stay, their values used to prove
 *  conditions. Running it again changes nothing.
 *
 *  PassContext option "tir.Simplify" (TVM's names): transitively_prove_inequalities,
 *  convert_boolean_to_and_of_ors and apply_constraints_to_boolean_branches turn on
 *  the analyzer's extensions; propagate_knowns_to_prove_conditional follows what
 *  stores and T.assume make known about buffer contents (KnownBufferValues) to
 *  prove conditions, and propagate_knowns_to_simplify_expressions also replaces
 *  loads of known value.
 *
 *   before:  for i_inner in range(32):            after:  for i_inner in range(32):
 *                if T.likely(i_outer * 32 + i_inner < 1024):   B[i_outer * 32 + i_inner] = A[...]
 *                    B[i_outer * 32 + i_inner] = A[...]
 *            (i_outer in range(32))
 */
#include <tvm/arith/analyzer.h>
#include <tvm/ir/structural_equal.h>
#include <tvm/runtime/registry.h>
#include <tvm/tir/builtin.h>
#include <tvm/tir/transform.h>

#include <unordered_map>
#include <unordered_set>

#include "../../arith/constraint_extract.h"
#include "ir_utils.h"
#include "known_buffer_values.h"

namespace tvm {
namespace tir {
namespace {

class StmtSimplifier : public StmtExprMutator {
 public:
  /*!
   * \param known What is known about buffer contents (null: not tracked); used to prove
   *  conditions, and with simplify_with_known also to replace loads of known value.
   */
  StmtSimplifier(arith::Analyzer* analyzer, KnownBufferValues* known, bool simplify_with_known)
      : analyzer_(analyzer), known_(known), simplify_with_known_(simplify_with_known) {}

 protected:
  PrimExpr VisitExpr(const PrimExpr& e) final {
    if (e.as<IntImmNode>() || e.as<FloatImmNode>() || e.as<StringImmNode>()) return e;
    if (known_ != nullptr && simplify_with_known_) return analyzer_->Simplify(known_->SubstituteKnownValues(e));
    return analyzer_->Simplify(e);
  }

  Stmt VisitStmt_(const ForNode* op) final {
    PrimExpr min = VisitExpr(op->min);
    PrimExpr extent = VisitExpr(op->extent);
    analyzer_->Bind(op->loop_var, Range::FromMinExtent(min, extent), true);
    Stmt body = VisitLoopBody(op->loop_var, Range::FromMinExtent(min, extent), op->body);
    if (min.same_as(op->min) && extent.same_as(op->extent) && body.same_as(op->body)) return GetRef<Stmt>(op);
    auto n = make_object<ForNode>(*op);
    n->min = min;
    n->extent = extent;
    n->body = body;
    return Stmt(ObjectPtr<Object>(std::move(n)));
  }

  Stmt VisitStmt_(const AttrStmtNode* op) final {
    if (op->attr_key == attr::thread_extent || op->attr_key == attr::virtual_thread) {
      if (const auto* iv = op->node.as<IterVarNode>()) {
        PrimExpr extent = VisitExpr(op->value);
        // Nested scopes of one thread variable must agree on its extent
        // (sequential kernels may each launch it with their own).
        auto outer = thread_extents_.find(iv->var.get());
        if (outer != thread_extents_.end() && !analyzer_->CanProveEqual(outer->second, extent)) {
          TVM_CHECK(false, "ValueError") << "Inconsistent thread_extent: " << iv->var->name_hint << " is launched with extent "
                                         << extent << " inside a scope that launched it with extent " << outer->second;
        }
        Range range = Range::FromMinExtent(make_zero(extent.dtype()), extent);
        analyzer_->Bind(iv->var, range, true);
        bool added = thread_extents_.emplace(iv->var.get(), extent).second;
        // Threads run the body as iterations of a loop over the thread index.
        Stmt body;
        try {
          body = VisitLoopBody(iv->var, range, op->body);
        } catch (...) {
          if (added) thread_extents_.erase(iv->var.get());
          throw;
        }
        if (added) thread_extents_.erase(iv->var.get());
        if (extent.same_as(op->value) && body.same_as(op->body)) return GetRef<Stmt>(op);
        return AttrStmt(op->node, op->attr_key, extent, body);
      }
    }
    return StmtExprMutator::VisitStmt_(op);
  }

  Stmt VisitStmt_(const IfThenElseNode* op) final {
    PrimExpr cond = VisitExpr(op->condition);
    // The original condition, as kept lets may prove it before its simplification rewrites it.
    if (auto proven = ProveConditionWithKnowns(cond, op->condition)) {
      if (*proven) return VisitStmt(op->then_case);
      return op->else_case.defined() ? VisitStmt(op->else_case) : Evaluate(0);
    }
    // likely(c) is a hint about c: inside the branch, c holds.
    PrimExpr fact = cond;
    if (const auto* call = cond.as<CallNode>(); call != nullptr && call->op.same_as(builtin::likely())) {
      fact = call->args[0];
    }
    Stmt then_case, else_case;
    KnownBufferValues::State before, after_then;
    if (known_ != nullptr) {
      before = known_->state();
      known_->Assume(fact);
    }
    {
      With<arith::ConstraintContext> ctx(analyzer_, FactsThatStay(fact, op->then_case));
      then_case = VisitStmt(op->then_case);
    }
    if (known_ != nullptr) {
      after_then = known_->state();
      known_->set_state(before);
      known_->Assume(arith::NegateCondition(fact));
    }
    if (op->else_case.defined()) {
      With<arith::ConstraintContext> ctx(analyzer_, FactsThatStay(arith::NegateCondition(fact), op->else_case));
      else_case = VisitStmt(op->else_case);
    }
    if (known_ != nullptr) known_->Merge(after_then, known_->state(), fact);
    if (cond.same_as(op->condition) && then_case.same_as(op->then_case) && else_case.same_as(op->else_case)) {
      return GetRef<Stmt>(op);
    }
    return IfThenElse(cond, then_case, else_case);
  }

  Stmt VisitStmt_(const AssertStmtNode* op) final {
    PrimExpr cond = VisitExpr(op->condition);
    if (is_one(cond)) return op->body.defined() ? VisitStmt(op->body) : Evaluate(0);
    Stmt body;
    if (op->body.defined()) {
      With<arith::ConstraintContext> ctx(analyzer_, FactsThatStay(cond, op->body));
      body = VisitStmt(op->body);
    }
    if (cond.same_as(op->condition) && body.same_as(op->body)) return GetRef<Stmt>(op);
    return AssertStmt(cond, op->message, body);
  }

  Stmt VisitStmt_(const EvaluateNode* op) final {
    Stmt stmt = StmtExprMutator::VisitStmt_(op);
    if (known_ != nullptr) {
      const auto* call = Downcast<Evaluate>(stmt)->value.as<CallNode>();
      if (call != nullptr && call->op.same_as(builtin::assume()) && call->args.size() == 1) {
        known_->Assume(call->args[0]);
      } else {
        known_->Forget(stmt);
      }
    }
    return stmt;
  }

  Stmt VisitStmt_(const WhileNode* op) final {
    // Facts about what the loop writes hold neither in its iterations nor after it.
    if (known_ != nullptr) known_->Forget(GetRef<Stmt>(op));
    Stmt stmt = StmtExprMutator::VisitStmt_(op);
    if (known_ != nullptr) known_->Forget(GetRef<Stmt>(op));
    return stmt;
  }

  Stmt VisitStmt_(const BufferStoreNode* op) final {
    Stmt stmt = VisitBufferStore(op);
    if (known_ != nullptr) {
      if (const auto* store = stmt.as<BufferStoreNode>()) known_->Store(store);
    }
    return stmt;
  }

  Stmt VisitBufferStore(const BufferStoreNode* op) {
    Stmt stmt = StmtExprMutator::VisitStmt_(op);
    // A[i] = A[i] (after simplification) stores what is already there.
    const auto* store = stmt.as<BufferStoreNode>();
    const auto* load = store ? store->value.as<BufferLoadNode>() : nullptr;
    if (load != nullptr && SameElement(load->buffer, load->indices, store->buffer, store->indices)) {
      return Evaluate(0);
    }
    return stmt;
  }

  Stmt VisitStmt_(const LetStmtNode* op) final {
    PrimExpr value = VisitExpr(op->value);
    // Constants, variables and pure integer expressions (index arithmetic)
    // are substituted into the body; a memory read is not (the memory may
    // change between the let and a use).
    bool inline_value = value.as<IntImmNode>() || value.as<FloatImmNode>() || value.as<VarNode>() ||
                        (value.dtype().is_int() && IsPure(value));
    // Substitution does not reach into buffer definitions: a let that a buffer's
    // data, shape, strides or offset uses stays.
    if (inline_value && !UsedByBuffer(op->body, op->var.get())) {
      Stmt body = Substitute(op->body, [&](const Var& v) -> std::optional<PrimExpr> {
        if (v.same_as(op->var)) return value;
        return std::nullopt;
      });
      return VisitStmt(body);
    }
    if (value.dtype().is_int() && value.dtype().lanes() == 1) {
      analyzer_->const_int_bound.Update(op->var, analyzer_->const_int_bound(value), true);
    }
    // A kept binding still helps to prove conditions that use the variable.
    bool remembered = IsPure(value) && value.dtype().lanes() == 1;
    if (remembered) non_inlined_bindings_[op->var] = value;
    Stmt body = VisitStmt(op->body);
    if (remembered) non_inlined_bindings_.erase(op->var);
    if (known_ != nullptr) known_->ForgetVar(op->var);
    if (!HasSideEffect(value) && !UsesVar(body, op->var.get()) && !UsedByBuffer(body, op->var.get())) return body;
    if (value.same_as(op->value) && body.same_as(op->body)) return GetRef<Stmt>(op);
    return LetStmt(op->var, value, body);
  }

  /*!
   * \brief Whether a (simplified) condition is always true or false, also using the
   *  values of lets kept in the code (condition = i < 3; if condition or 3 <= i).
   */
  std::optional<bool> ProveCondition(const PrimExpr& simplified, const PrimExpr& cond) {
    if (auto c = as_const_int(simplified)) return *c != 0;
    if (non_inlined_bindings_.empty()) return std::nullopt;
    bool uses = UsesVar(cond, [&](const VarNode* v) { return non_inlined_bindings_.count(GetRef<Var>(v)) != 0; });
    if (!uses) return std::nullopt;
    PrimExpr expanded = Substitute(cond, [&](const Var& v) -> std::optional<PrimExpr> {
      auto it = non_inlined_bindings_.find(v);
      if (it == non_inlined_bindings_.end()) return std::nullopt;
      return it->second;
    });
    if (auto c = as_const_int(analyzer_->Simplify(expanded))) return *c != 0;
    return std::nullopt;
  }

  /*! \brief ProveCondition, then with what is known about buffer contents. */
  std::optional<bool> ProveConditionWithKnowns(const PrimExpr& simplified, const PrimExpr& cond) {
    if (auto proven = ProveCondition(simplified, cond)) return proven;
    if (known_ == nullptr) return std::nullopt;
    if (auto c = as_const_int(known_->SimplifyCondition(simplified))) return *c != 0;
    return std::nullopt;
  }

  Stmt VisitLoopBody(const Var& loop_var, const Range& range, const Stmt& body) {
    if (known_ == nullptr) return VisitStmt(body);
    KnownBufferValues::State before = known_->EnterLoop(loop_var, body);
    Stmt out = VisitStmt(body);
    known_->ExitLoop(loop_var, range, body, before);
    known_->ForgetVar(loop_var);
    return out;
  }

  /*!
   * \brief The part of `cond` that stays true throughout `body`: atoms reading a
   *  buffer that body may write are dropped (if A[0] == n: A[0] = A[0] + 1 ...).
   */
  static PrimExpr FactsThatStay(const PrimExpr& cond, const Stmt& body) {
    if (!ReadsMemory(cond)) return cond;
    std::unordered_set<const VarNode*> written = MayWrite(body);
    PrimExpr kept = make_const(DataType::Bool(), 1);
    for (const PrimExpr& atom : arith::ExtractConstraints(cond)) {
      bool stale = false;
      PostOrderVisit(atom, [&](const ObjectRef& n) {
        if (const auto* load = n.as<BufferLoadNode>()) stale = stale || written.count(load->buffer->data.get());
        // A call that is not pure may read state the body changes.
        if (const auto* call = n.as<CallNode>()) stale = stale || !IsPure(GetRef<PrimExpr>(call));
      });
      if (!stale) kept = is_one(kept) ? atom : And(kept, atom);
    }
    return kept;
  }

  static bool ReadsMemory(const PrimExpr& e) {
    bool reads = false;
    PostOrderVisit(e, [&](const ObjectRef& n) { reads = reads || n.as<BufferLoadNode>() || n.as<CallNode>(); });
    return reads;
  }

  /*! \brief Whether e neither reads memory nor calls anything with an effect. */
  static bool IsPure(const PrimExpr& e) {
    bool pure = true;
    PostOrderVisit(e, [&](const ObjectRef& n) {
      if (n.as<BufferLoadNode>()) pure = false;
      if (const auto* call = n.as<CallNode>()) {
        const auto* op = call->op.as<OpNode>();
        if (op == nullptr || GetCallEffectKind(GetRef<Op>(op)) > CallEffectKind::kPure) pure = false;
      }
    });
    return pure;
  }

  /*!
   * \brief Data variables of the buffers `body` may write: stored to, or whose
   *  pointer it hands on (to a call, a let, an address_of).
   */
  static std::unordered_set<const VarNode*> MayWrite(const Stmt& body) {
    std::unordered_set<const VarNode*> out;
    PostOrderVisit(body, [&](const ObjectRef& n) {
      if (const auto* store = n.as<BufferStoreNode>()) out.insert(store->buffer->data.get());
      if (const auto* var = n.as<VarNode>(); var != nullptr && var->dtype.is_handle()) out.insert(var);
      if (const auto* call = n.as<CallNode>(); call != nullptr && call->op.same_as(builtin::address_of())) {
        for (const PrimExpr& arg : call->args) {
          if (const auto* load = arg.as<BufferLoadNode>()) out.insert(load->buffer->data.get());
        }
      }
    });
    return out;
  }

 private:
  static bool UsedByBuffer(const Stmt& body, const VarNode* var) {
    bool used = false;
    auto check = [&](const Buffer& b) {
      if (used) return;
      used = b->data.get() == var || UsesVar(b->elem_offset, var);
      for (const PrimExpr& e : b->shape) used = used || UsesVar(e, var);
      for (const PrimExpr& e : b->strides) used = used || UsesVar(e, var);
    };
    PostOrderVisit(body, [&](const ObjectRef& n) {
      if (const auto* d = n.as<DeclBufferNode>()) check(d->buffer);
      if (const auto* l = n.as<BufferLoadNode>()) check(l->buffer);
      if (const auto* st = n.as<BufferStoreNode>()) check(st->buffer);
    });
    return used;
  }

  /*! \brief Whether a[ia] and b[ib] are one element: same memory, layout and indices. */
  static bool SameElement(const Buffer& a, const Array<PrimExpr>& ia, const Buffer& b, const Array<PrimExpr>& ib) {
    StructuralEqual equal;
    return a->data.same_as(b->data) && a->dtype == b->dtype && equal(ia, ib) && equal(a->shape, b->shape) &&
           equal(a->strides, b->strides) && equal(a->elem_offset, b->elem_offset);
  }

  arith::Analyzer* analyzer_;
  KnownBufferValues* known_;
  bool simplify_with_known_;
  /*! \brief Lets kept in the code, by variable: their values prove conditions. */
  std::unordered_map<Var, PrimExpr, ObjectPtrHash, ObjectPtrEqual> non_inlined_bindings_;
  // Extents of the thread variables whose scopes enclose the current statement.
  std::unordered_map<const VarNode*, PrimExpr> thread_extents_;
};

}  // namespace

namespace transform {

Pass Simplify() {
  auto fpass = [](PrimFunc f, IRModule m, PassContext ctx) {
    auto options = ctx->GetConfig<Map<String, ObjectRef>>("tir.Simplify");
    static const char* kTransitive = "transitively_prove_inequalities";
    static const char* kAndOfOrs = "convert_boolean_to_and_of_ors";
    static const char* kBranches = "apply_constraints_to_boolean_branches";
    // Known buffer contents: stores and T.assume followed through the statements.
    static const char* kKnownsProve = "propagate_knowns_to_prove_conditional";
    static const char* kKnownsSimplify = "propagate_knowns_to_simplify_expressions";
    CheckPassOptions(options, "tir.Simplify", {kTransitive, kAndOfOrs, kBranches, kKnownsProve, kKnownsSimplify},
                     {});
    int extensions = arith::RewriteSimplifier::kNone;
    if (OptionInt(options, kTransitive, 0)) extensions |= arith::RewriteSimplifier::kTransitivelyProveInequalities;
    if (OptionInt(options, kAndOfOrs, 0)) extensions |= arith::RewriteSimplifier::kConvertBooleanToAndOfOrs;
    if (OptionInt(options, kBranches, 0)) extensions |= arith::RewriteSimplifier::kApplyConstraintsToBooleanBranches;
    arith::Analyzer analyzer;
    analyzer.rewrite_simplify.SetEnabledExtensions(arith::RewriteSimplifier::Extension(extensions));
    // Dimensions of parameter buffers are sizes: never negative (n * 32 - 1 >= 0 gives n >= 1).
    for (const auto& kv : f->buffer_map) {
      for (const PrimExpr& d : kv.second->shape) {
        if (d.dtype().is_int() && !d.as<IntImmNode>()) analyzer.MarkGlobalNonNegValue(analyzer.Simplify(d));
      }
    }
    bool prove_with_known = OptionInt(options, kKnownsProve, 0);
    bool simplify_with_known = OptionInt(options, kKnownsSimplify, 0);
    std::optional<KnownBufferValues> known;
    if (prove_with_known || simplify_with_known) known.emplace(f->body, &analyzer);
    Stmt body = StmtSimplifier(&analyzer, known ? &*known : nullptr, simplify_with_known)(f->body);
    if (body.same_as(f->body)) return f;
    f.CopyOnWrite()->body = body;
    return f;
  };
  return CreatePrimFuncPass(fpass, 0, "tir.Simplify", {});
}

static const bool kSimplifyConfigRegistered = (PassContext::RegisterConfigOption("tir.Simplify", "Map"), true);

TVM_REGISTER_GLOBAL("tir.transform.Simplify").set_body_typed([]() { return Simplify(); });

}  // namespace transform
}  // namespace tir
}  // namespace tvm
