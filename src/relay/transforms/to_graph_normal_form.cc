/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file relay/transforms/to_graph_normal_form.cc
 * \brief ToGraphNormalForm: let-bindings become shared graph nodes.
 *
 *   let %y = add(%x, %x); add(%y, %y)   ->   %0 = add(%x, %x); add(%0, %0)
 *
 * Every use of a let variable is replaced by the (rewritten) value, which
 * stays one node, so sharing is kept. A function bound by a let and calling
 * itself keeps its binding (let %f = fn ... %f ...; %f), as it needs the name.
 * Let chains are rewritten in a loop; values and bodies through ExprMutator.
 */
#include <tvm/relay/expr_functor.h>

#include <unordered_set>

#include "../ir/walk.h"
#include "pass_util.h"

namespace tvm {
namespace relay {
namespace {

/*! \brief Whether `var` occurs in `expr` (walked without recursion). */
bool Uses(const Var& var, const Expr& expr) {
  bool found = false;
  std::unordered_set<const Object*> seen;
  detail::PostOrderWalk(
      expr, [&](const Expr& e) { return found || seen.count(e.get()) != 0; },
      [&](const Expr& e) {
        seen.insert(e.get());
        if (e.same_as(var)) found = true;
      },
      /*enter_functions=*/true);
  return found;
}

class GraphNormalizer : public ExprMutator {
 public:
  using ExprMutator::VisitExpr_;

  Expr VisitExpr_(const LetNode* op) final {
    Expr e = GetRef<Expr>(op);
    while (const auto* let = e.as<LetNode>()) {
      Expr value = VisitExpr(let->value);
      // A recursive function refers to itself by its let variable: keep that binding around it.
      if (value.as<FunctionNode>() && Uses(let->var, value)) value = Let(let->var, value, let->var);
      memo_[let->var] = value;
      e = let->body;
    }
    return VisitExpr(e);
  }
};

}  // namespace

namespace transform {

Pass ToGraphNormalForm() {
  return pass_util::FunctionRewritePass(
      [](Function f, IRModule) { return Downcast<Function>(GraphNormalizer().Mutate(f)); }, 1, "ToGraphNormalForm",
      {});
}

TVM_REGISTER_GLOBAL("relay._transform.ToGraphNormalForm").set_body_typed([]() { return ToGraphNormalForm(); });

}  // namespace transform
}  // namespace relay
}  // namespace tvm
