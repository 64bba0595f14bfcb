/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Relay's visitors, mutators and rewriters: each node once, copy-on-write,
// and 100,000-node chains (calls and lets) without exhausting the stack.
#include <gtest/gtest.h>
#include <tvm/ir/structural_equal.h>
#include <tvm/relay/analysis.h>
#include <tvm/relay/expr_functor.h>

#include <string>
#include <vector>

namespace {

using namespace tvm;         // NOLINT(*)
using namespace tvm::relay;  // NOLINT(*)

// Any operator serves for structure; Relay's own operators are registered elsewhere.
const Op& Exp() { return Op::Get("tir.exp"); }
const Op& Log() { return Op::Get("tir.log"); }

constexpr int kChain = 100000;

Expr CallChain(const Expr& start, int n) {
  Expr e = start;
  for (int i = 0; i < n; ++i) e = Call(Exp(), {e});
  return e;
}

// let %v0 = exp(%x); let %v1 = exp(%v0); ...; %v(n-1)
Expr LetChain(const Var& x, int n, std::vector<Var>* vars) {
  for (int i = 0; i < n; ++i) vars->push_back(Var("v" + std::to_string(i), Type()));
  Expr body = vars->back();
  for (int i = n - 1; i >= 0; --i) body = Let((*vars)[i], Call(Exp(), {i == 0 ? Expr(x) : Expr((*vars)[i - 1])}), body);
  return body;
}

class CallCounter : public ExprVisitor {
 public:
  int calls = 0;
  std::vector<std::string> order;
  void VisitExpr_(const CallNode* op) final {
    ExprVisitor::VisitExpr_(op);
    ++calls;
    order.push_back("call");
  }
  void VisitExpr_(const VarNode* op) final { order.push_back(op->name_hint); }
};

TEST(RelayExprVisitor, SharedNodesAreVisitedOnce) {
  Var x("x", Type());
  Expr a = Call(Exp(), {x});
  Expr b = Call(Log(), {a, a});
  Expr t = Tuple({b, a, x});
  CallCounter counter;
  counter.VisitExpr(t);
  EXPECT_EQ(counter.calls, 2);
  EXPECT_EQ(counter.order, (std::vector<std::string>{"x", "call", "call"}));
}

TEST(RelayExprVisitor, DeepChainPreWalksInsteadOfRecursing) {
  Var x("x", Type());
  CallCounter counter;
  counter.VisitExpr(CallChain(x, kChain));
  EXPECT_EQ(counter.calls, kChain);
  EXPECT_EQ(counter.order.front(), "x");  // post order even when deep
}

class OrderRecorder : public ExprVisitor {
 public:
  std::vector<const Object*> order;
  void VisitExpr(const Expr& e) final {
    bool first = visit_counter_.count(e.get()) == 0;
    ExprVisitor::VisitExpr(e);
    if (first) order.push_back(e.get());
  }
};

TEST(RelayExprVisitor, DeepGraphsKeepThePostOrderOfShallowOnes) {
  Var x("x", Type()), y("y", Type());
  Expr e = x;
  for (int i = 0; i < 3000; ++i) {
    Expr side = i % 7 == 0 ? Expr(Tuple({y, e})) : Expr(y);
    if (i % 3 == 0) {
      e = Let(Var("v" + std::to_string(i), Type()), e, Call(Exp(), {e}));
    } else {
      e = Call(Log(), {e, side});
    }
  }
  OrderRecorder recorder;
  recorder.VisitExpr(e);
  std::vector<const Object*> expected;
  PostOrderVisit(e, [&expected](const Expr& n) { expected.push_back(n.get()); });
  EXPECT_EQ(recorder.order, expected);
}

class ReferenceCounter : public ExprVisitor {
 public:
  size_t Count(const Expr& e) const { return visit_counter_.at(e.get()); }
};

TEST(RelayExprVisitor, VisitCounterCountsReferencesAlsoWhenDeep) {
  Var x("x", Type());
  Expr shared = Call(Exp(), {x});
  Expr e = Call(Log(), {shared, shared});
  Expr middle = e;
  for (int i = 0; i < 2000; ++i) e = Call(Exp(), {e});
  ReferenceCounter shallow, deep;
  shallow.VisitExpr(middle);
  deep.VisitExpr(e);
  EXPECT_EQ(shallow.Count(shared), 2u);
  EXPECT_EQ(deep.Count(shared), 2u);
  EXPECT_EQ(deep.Count(middle), 1u);
  EXPECT_EQ(deep.Count(x), 1u);
  EXPECT_EQ(deep.Count(Exp()), 2001u);
}

class CountingMixedVisitor : public MixedModeVisitor {
 public:
  int calls = 0, lets = 0, vars = 0;
  using MixedModeVisitor::VisitExpr_;
  void VisitExpr_(const CallNode* op) final {
    ++calls;
    MixedModeVisitor::VisitExpr_(op);
  }
  void VisitExpr_(const VarNode* op) final { ++vars; }
};

TEST(RelayMixedModeVisitor, CallAndLetChains) {
  Var x("x", Type());
  CountingMixedVisitor v1;
  v1.VisitExpr(CallChain(x, kChain));
  EXPECT_EQ(v1.calls, kChain);
  EXPECT_EQ(v1.vars, 1);

  std::vector<Var> vars;
  CountingMixedVisitor v2;
  v2.VisitExpr(LetChain(x, kChain, &vars));
  EXPECT_EQ(v2.calls, kChain);
  EXPECT_EQ(v2.vars, kChain + 1);
}

// exp -> log everywhere.
class ExpToLog : public MixedModeMutator {
 public:
  using MixedModeMutator::Rewrite_;
  Expr Rewrite_(const CallNode* pre, const Expr& post) final {
    const auto* call = post.as<CallNode>();
    if (call->op.same_as(Exp())) return Call(Log(), call->args, call->attrs, call->type_args, call->span);
    return post;
  }
};

TEST(RelayMixedModeMutator, RewritesAChainAndKeepsWhatDidNotChange) {
  Var x("x", Type());
  Expr chain = CallChain(x, kChain);
  Expr out = ExpToLog().Mutate(chain);
  int logs = 0;
  for (Expr e = out; const auto* c = e.as<CallNode>(); e = c->args[0]) {
    EXPECT_TRUE(c->op.same_as(Log()));
    ++logs;
  }
  EXPECT_EQ(logs, kChain);
  // Nothing to do: the very same object comes back.
  Expr logs_only = Call(Log(), {Call(Log(), {x})});
  EXPECT_TRUE(ExpToLog().Mutate(logs_only).same_as(logs_only));
}

TEST(RelayMixedModeMutator, LetChain) {
  Var x("x", Type());
  std::vector<Var> vars;
  Expr lets = LetChain(x, kChain, &vars);
  EXPECT_TRUE(MixedModeMutator().Mutate(lets).same_as(lets));
  Expr out = ExpToLog().Mutate(lets);
  int n = 0;
  for (Expr e = out; const auto* l = e.as<LetNode>(); e = l->body) {
    EXPECT_TRUE(l->var.same_as(vars[n]));
    EXPECT_TRUE(l->value.as<CallNode>()->op.same_as(Log()));
    ++n;
  }
  EXPECT_EQ(n, kChain);
}

TEST(RelayExprMutator, DeepChainAndSharing) {
  Var x("x", Type()), y("y", Type());
  Expr chain = CallChain(x, kChain);
  EXPECT_TRUE(ExprMutator().Mutate(chain).same_as(chain));
  // A shared node is rebuilt once and stays shared.
  Expr a = Call(Exp(), {x});
  Expr t = Tuple({a, a});
  Expr bound = Bind(t, {{x, y}});
  const auto* tuple = bound.as<TupleNode>();
  ASSERT_NE(tuple, nullptr);
  EXPECT_TRUE(tuple->fields[0].same_as(tuple->fields[1]));
  EXPECT_TRUE(tuple->fields[0].as<CallNode>()->args[0].same_as(y));
}

// A plain (recursive) ExprMutator subclass: deep chains still work.
class ExpToLogRecursive : public ExprMutator {
 public:
  Expr VisitExpr_(const CallNode* op) final {
    Expr post = ExprMutator::VisitExpr_(op);
    const auto* call = post.as<CallNode>();
    if (call->op.same_as(Exp())) return Call(Log(), call->args);
    return post;
  }
};

TEST(RelayExprMutator, SubclassOnADeepChain) {
  Var x("x", Type());
  Expr out = ExpToLogRecursive().Mutate(Tuple({CallChain(x, kChain), x}));
  int logs = 0;
  for (Expr e = out.as<TupleNode>()->fields[0]; const auto* c = e.as<CallNode>(); e = c->args[0]) {
    EXPECT_TRUE(c->op.same_as(Log()));
    ++logs;
  }
  EXPECT_EQ(logs, kChain);
}

class LimitedVisitor : public MixedModeVisitor {
 public:
  explicit LimitedVisitor(int limit) : MixedModeVisitor(limit) {}
  int vars = 0;
  using MixedModeVisitor::VisitExpr_;
  void VisitExpr_(const VarNode* op) final { ++vars; }
};

TEST(RelayMixedModeVisitor, VisitLimit) {
  Var x("x", Type());
  Expr e = Tuple({x, x, x});
  LimitedVisitor once(1), twice(2);
  once.VisitExpr(e);
  twice.VisitExpr(e);
  EXPECT_EQ(once.vars, 1);
  EXPECT_EQ(twice.vars, 2);
}

class ExpCounter : public ExprRewriter {
 public:
  int seen = 0;
  Expr Rewrite_(const CallNode* pre, const Expr& post) final {
    ++seen;
    const auto* call = post.as<CallNode>();
    return Call(Log(), call->args);
  }
  Expr Rewrite_(const LetNode* pre, const Expr& post) final {
    ++lets;
    return post;
  }
  int lets = 0;
};

TEST(RelayPostOrderRewrite, ChainsOfCallsAndLets) {
  Var x("x", Type());
  ExpCounter rewriter;
  Expr out = PostOrderRewrite(CallChain(x, kChain), &rewriter);
  EXPECT_EQ(rewriter.seen, kChain);
  EXPECT_TRUE(out.as<CallNode>()->op.same_as(Log()));

  std::vector<Var> vars;
  ExpCounter let_rewriter;
  Expr lets = PostOrderRewrite(LetChain(x, kChain, &vars), &let_rewriter);
  EXPECT_EQ(let_rewriter.seen, kChain);
  EXPECT_EQ(let_rewriter.lets, kChain);
}

TEST(RelayAnalysis, ChainsThroughBindFreeVarsAndWellFormed) {
  Var x("x", Type()), y("y", Type());
  Expr chain = CallChain(x, kChain);
  Array<Var> free = FreeVars(chain);
  ASSERT_EQ(free.size(), 1u);
  EXPECT_TRUE(free[0].same_as(x));
  Expr bound = Bind(chain, {{x, y}});
  EXPECT_TRUE(FreeVars(bound)[0].same_as(y));
  EXPECT_TRUE(WellFormed(chain));
  EXPECT_TRUE(BasicBlockNormalFormCheck(chain));

  std::vector<Var> vars;
  Expr lets = LetChain(x, kChain, &vars);
  EXPECT_EQ(FreeVars(lets).size(), 1u);
  EXPECT_EQ(BoundVars(lets).size(), static_cast<size_t>(kChain));
  EXPECT_TRUE(WellFormed(lets));
  Function fn({x}, lets);
  Expr closed = Bind(fn, {{x, y}});
  EXPECT_EQ(closed.as<FunctionNode>()->params.size(), 1u);
  EXPECT_TRUE(closed.as<FunctionNode>()->params[0].same_as(y));
  size_t nodes = 0;
  PostOrderVisit(fn, [&nodes](const Expr&) { ++nodes; });
  // fn, x, exp op, and per let: the let, its var, its call
  EXPECT_EQ(nodes, 3u + 3u * kChain);
}

TEST(RelayAnalysis, RefCountAndDtypes) {
  Var x("x", TensorType({2}, DataType::Int(8)));
  Expr a = Call(Exp(), {x});
  Expr t = Tuple({a, a, Call(Log(), {a})});
  auto count = GetExprRefCount(t);
  EXPECT_EQ(count.at(t.get()), 1u);
  EXPECT_EQ(count.at(a.get()), 3u);
  EXPECT_EQ(count.at(x.get()), 1u);
  EXPECT_EQ(count.at(Exp().get()), 1u);
  // Inferred types count once inference has filled them.
  a->checked_type_ = TensorType({2}, DataType::Float(16));
  Array<String> dtypes = AllDtypes(t);
  ASSERT_EQ(dtypes.size(), 2u);
  EXPECT_EQ(std::string(dtypes[0]), "int8");
  EXPECT_EQ(std::string(dtypes[1]), "float16");
}

// fn (%p0) { fn (%p1) { ... exp(%p0) } }: nesting no dataflow walk flattens.
TEST(RelayExprVisitor, DeeplyNestedFunctionsGoOnOnALargeStack) {
  std::vector<Var> params;
  for (int i = 0; i < kChain; ++i) params.push_back(Var("p" + std::to_string(i), Type()));
  Expr body = Call(Exp(), {params[0]});
  for (int i = kChain - 1; i >= 0; --i) body = Function({params[i]}, body);
  CallCounter counter;
  counter.VisitExpr(body);
  EXPECT_EQ(counter.calls, 1);
  EXPECT_TRUE(ExprMutator().Mutate(body).same_as(body));
  Expr renamed = ExpToLogRecursive().Mutate(body);
  EXPECT_FALSE(renamed.same_as(body));
  EXPECT_EQ(BoundVars(body).size(), static_cast<size_t>(kChain));
  EXPECT_TRUE(WellFormed(body));
  ExpCounter rewriter;
  PostOrderRewrite(body, &rewriter);
  EXPECT_EQ(rewriter.seen, 1);
}

TEST(RelayAnalysis, WellFormedReasons) {
  Var x("x", Type());
  Expr one = Tuple(Array<Expr>());
  std::string reason;
  EXPECT_FALSE(WellFormed(Let(x, one, Let(x, one, x)), &reason));
  EXPECT_NE(reason.find("%x is bound more than once"), std::string::npos) << reason;
  reason.clear();
  EXPECT_FALSE(WellFormed(Tuple({Let(x, one, x), x}), &reason));
  EXPECT_NE(reason.find("%x is used outside the scope"), std::string::npos) << reason;
}

}  // namespace
