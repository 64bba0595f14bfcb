/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// The expression visitor and mutator reach every variable an expression uses,
// including those a reduction's combiner captures.
#include <gtest/gtest.h>
#include <tvm/ir/structural_equal.h>
#include <tvm/tir/op.h>
#include <tvm/tir/stmt_functor.h>

#include <unordered_set>

namespace {

using namespace tvm;       // NOLINT(*)
using namespace tvm::tir;  // NOLINT(*)

/*! \brief fold over k in [0, n) of max(x + y, n), starting from n: n is captured by the combiner. */
PrimExpr FoldUsing(const Var& n, const Var& x_src) {
  Var x("x", DataType::Int(32)), y("y", DataType::Int(32));
  CommReducer fold({x}, {y}, {max(add(x, y), n)}, {n});
  IterVar k(Range::FromMinExtent(0, n), Var("k"), kCommReduce);
  return Reduce(fold, {add(x_src, k->var)}, {k}, const_true(), 0, {});
}

TEST(ExprFunctor, SubstituteReachesTheCombinerOfAReduction) {
  Var n("n"), m("m"), src("src");
  PrimExpr before = FoldUsing(n, src);
  PrimExpr after = Substitute(before, {{n.get(), PrimExpr(m)}});
  const auto* r = after.as<ReduceNode>();
  ASSERT_NE(r, nullptr);
  EXPECT_TRUE(StructuralEqual()(r->combiner->identity_element[0], m));
  bool uses_n = false;
  PostOrderVisit(after, [&](const ObjectRef& e) { uses_n = uses_n || e.get() == n.get(); });
  EXPECT_FALSE(uses_n);
  EXPECT_TRUE(StructuralEqual()(r->axis[0]->dom->extent, m));
}

TEST(ExprFunctor, VisitorSeesTheCombinersCapturedVariables) {
  Var n("n"), src("src");
  std::unordered_set<const VarNode*> seen;
  PostOrderVisit(FoldUsing(n, src), [&](const ObjectRef& e) {
    if (const auto* v = e.as<VarNode>()) seen.insert(v);
  });
  EXPECT_TRUE(seen.count(n.get()));
  EXPECT_TRUE(seen.count(src.get()));
}

}  // namespace
