/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Inline the stages a user did not schedule, by the shape of their operation.
//   AutoInlineElemWise:  out[i, j] = f(a[i, j], b[i, j])   (reads at the stage's own axes)
//   AutoInlineBroadcast: computes tagged "broadcast", without reduction
//   AutoInlineInjective: computes without reduction
// A stage counts as untouched while it has no relations, is a root of its
// group and its leaf axes are its axes; outputs are never inlined.
#include <tvm/runtime/registry.h>
#include <tvm/te/operation.h>
#include <tvm/te/schedule.h>
#include <tvm/tir/expr_functor.h>

#include <functional>

namespace tvm {
namespace te {

namespace {

/*! \brief Whether every tensor read in an expression indexes exactly `axis`, in order. */
class ReadsAtOwnAxes : public tir::ExprVisitor {
 public:
  explicit ReadsAtOwnAxes(const Array<IterVar>& axis) : axis_(axis) {}

  bool Check(const PrimExpr& e) {
    VisitExpr(e);
    return ok_;
  }

 private:
  void VisitExpr(const PrimExpr& e) final {
    if (ok_) tir::ExprVisitor::VisitExpr(e);
  }
  void VisitExpr_(const tir::ProducerLoadNode* op) final {
    if (op->indices.size() != axis_.size()) {
      ok_ = false;
      return;
    }
    for (size_t i = 0; i < axis_.size(); ++i) {
      if (!op->indices[i].same_as(axis_[i]->var)) {
        ok_ = false;
        return;
      }
    }
    tir::ExprVisitor::VisitExpr_(op);
  }

  const Array<IterVar>& axis_;
  bool ok_{true};
};

bool Untouched(const Stage& s) {
  const StageNode* n = s.operator->();
  if (!n->relations.empty() || n->attach_type != kGroupRoot) return false;
  if (n->leaf_iter_vars.size() != n->all_iter_vars.size()) return false;
  for (size_t i = 0; i < n->leaf_iter_vars.size(); ++i) {
    if (!n->leaf_iter_vars[i].same_as(n->all_iter_vars[i])) return false;
  }
  return true;
}

bool IsElemWise(const Operation& op) {
  const auto* compute = op.as<ComputeOpNode>();
  if (compute == nullptr) return false;
  for (const PrimExpr& e : compute->body) {
    if (!ReadsAtOwnAxes(compute->axis).Check(e)) return false;
  }
  return true;
}

bool IsInjective(const Operation& op) {
  const auto* compute = op.as<ComputeOpNode>();
  return compute != nullptr && compute->reduce_axis.empty();
}

bool IsBroadcast(const Operation& op) { return IsInjective(op) && op->tag == "broadcast"; }

void InlineWhere(Schedule sch, const std::function<bool(const Operation&)>& fits) {
  for (Stage s : sch->stages) {
    if (!s->is_output && Untouched(s) && fits(s->op)) s.compute_inline();
  }
}

}  // namespace

void AutoInlineElemWise(Schedule sch) { InlineWhere(sch, IsElemWise); }
void AutoInlineBroadcast(Schedule sch) { InlineWhere(sch, IsBroadcast); }
void AutoInlineInjective(Schedule sch) { InlineWhere(sch, IsInjective); }

TVM_REGISTER_GLOBAL("schedule.AutoInlineElemWise").set_body_typed(AutoInlineElemWise);
TVM_REGISTER_GLOBAL("schedule.AutoInlineBroadcast").set_body_typed(AutoInlineBroadcast);
TVM_REGISTER_GLOBAL("schedule.AutoInlineInjective").set_body_typed(AutoInlineInjective);

}  // namespace te
}  // namespace tvm
