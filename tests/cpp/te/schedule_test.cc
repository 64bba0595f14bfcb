/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Schedules: primitives and their errors, bound inference, the loop nest of
// ScheduleOps and the PrimFunc of SchedulePostProcToPrimFunc.
#include <gtest/gtest.h>
#include <tvm/runtime/logging.h>
#include <tvm/te/operation.h>
#include <tvm/te/schedule.h>
#include <tvm/tir/op.h>
#include <tvm/tir/stmt_functor.h>

#include <string>

namespace {

using namespace tvm;      // NOLINT(*)
using namespace tvm::te;  // NOLINT(*)

template <typename F>
std::string ErrorOf(F f) {
  try {
    f();
  } catch (const runtime::Error& e) {
    return e.what();
  }
  return "";
}

struct TwoStage {
  Tensor A, B, C;
  Schedule s;
  TwoStage() {
    A = placeholder({16}, DataType::Float(32), "A");
    B = compute({16}, [&](const Array<Var>& i) { return A(i[0]) + 1.0f; }, "B");
    C = compute({16}, [&](const Array<Var>& i) { return B(i[0]) * 2.0f; }, "C");
    s = create_schedule({C.op()});
  }
};

int64_t ConstExtent(const BoundMap& bounds, const IterVar& iv) {
  return bounds.at(iv)->extent.as<IntImmNode>()->value;
}

TEST(TeSchedule, StagesInTopologicalOrder) {
  TwoStage p;
  ASSERT_EQ(p.s->stages.size(), 3u);
  EXPECT_EQ(p.s->stages[0]->op->name, "A");
  EXPECT_EQ(p.s->stages[2]->op->name, "C");
  EXPECT_TRUE(p.s[p.C]->is_output);
}

TEST(TeSchedule, SplitAndInferBound) {
  TwoStage p;
  IterVar xo, xi;
  Stage c = p.s[p.C];
  c.split(p.C.op().as<ComputeOpNode>()->axis[0], 5, &xo, &xi);
  Schedule sn = p.s.normalize();
  BoundMap bounds = InferBound(sn);
  EXPECT_EQ(ConstExtent(bounds, xo), 4);
  EXPECT_EQ(ConstExtent(bounds, xi), 5);
}

TEST(TeSchedule, PrimitiveErrorsNameStageAndAxis) {
  TwoStage p;
  IterVar b_axis = p.B.op().as<ComputeOpNode>()->axis[0];
  IterVar c_axis = p.C.op().as<ComputeOpNode>()->axis[0];
  IterVar xo, xi;
  std::string msg = ErrorOf([&] { p.s[p.C].split(b_axis, 4, &xo, &xi); });
  EXPECT_NE(msg.find("split: axis ax0 is not an axis of stage C"), std::string::npos) << msg;
  msg = ErrorOf([&] { p.s[p.C].reorder({c_axis, c_axis}); });
  EXPECT_NE(msg.find("reorder: axis ax0 of stage C appears more than once"), std::string::npos) << msg;
  msg = ErrorOf([&] { p.s[p.B].compute_at(p.s[p.C], b_axis); });
  EXPECT_NE(msg.find("compute_at: axis ax0 is not a loop of stage C"), std::string::npos) << msg;
}

TEST(TeSchedule, ComputeAtNeighbourhood) {
  // A 3-tap stencil computed per tile of 4 outputs needs 6 inputs.
  Tensor A = placeholder({18}, DataType::Float(32), "A");
  Tensor B = compute({18}, [&](const Array<Var>& i) { return A(i[0]) * 2.0f; }, "B");
  Tensor C = compute({16}, [&](const Array<Var>& i) { return B(i[0]) + B(i[0] + 1) + B(i[0] + 2); }, "C");
  Schedule s = create_schedule({C.op()});
  IterVar xo, xi;
  s[C].split(C.op().as<ComputeOpNode>()->axis[0], 4, &xo, &xi);
  s[B].compute_at(s[C], xo);
  Schedule sn = s.normalize();
  BoundMap bounds = InferBound(sn);
  EXPECT_EQ(ConstExtent(bounds, B.op().as<ComputeOpNode>()->axis[0]), 6);
}

TEST(TeSchedule, ScheduleOpsAndPrimFunc) {
  TwoStage p;
  IterVar xo, xi;
  p.s[p.C].split(p.C.op().as<ComputeOpNode>()->axis[0], 4, &xo, &xi);
  p.s[p.C].vectorize(xi);
  p.s[p.B].compute_at(p.s[p.C], xo);
  Schedule sn = p.s.normalize();
  Stmt body = ScheduleOps(sn, InferBound(sn));
  int stores = 0, realizes = 0, vector_loops = 0;
  tir::PostOrderVisit(body, [&](const ObjectRef& n) {
    if (n.as<ProducerStoreNode>()) ++stores;
    if (n.as<ProducerRealizeNode>()) ++realizes;
    if (const auto* f = n.as<ForNode>()) vector_loops += f->kind == ForKind::kVectorized;
  });
  EXPECT_EQ(stores, 2);
  EXPECT_EQ(realizes, 2);
  EXPECT_EQ(vector_loops, 1);

  PrimFunc func = SchedulePostProcToPrimFunc({p.A, p.C}, body, std::nullopt);
  ASSERT_EQ(func->params.size(), 2u);
  EXPECT_EQ(func->buffer_map.at(func->params[1])->name, "C");
  int buffer_stores = 0, producer_nodes = 0;
  tir::PostOrderVisit(func->body, [&](const ObjectRef& n) {
    if (n.as<BufferStoreNode>()) ++buffer_stores;
    if (n.as<ProducerStoreNode>() || n.as<ProducerRealizeNode>() || n.as<ProducerLoadNode>()) ++producer_nodes;
  });
  EXPECT_EQ(buffer_stores, 2);
  EXPECT_EQ(producer_nodes, 0);
}

TEST(TeSchedule, VectorizeNonConstantExtentFailsAtLowering) {
  tir::Var n("n");
  Tensor A = placeholder({n}, DataType::Float(32), "A");
  Tensor B = compute({n}, [&](const Array<Var>& i) { return A(i[0]) + 1.0f; }, "B");
  Schedule s = create_schedule({B.op()});
  s[B].vectorize(B.op().as<ComputeOpNode>()->axis[0]);
  Schedule sn = s.normalize();
  std::string msg = ErrorOf([&] { ScheduleOps(sn, InferBound(sn)); });
  EXPECT_NE(msg.find("vectorize: axis ax0 of stage B has extent n, which is not a constant"), std::string::npos)
      << msg;
}

TEST(TeSchedule, CacheWriteAndRFactor) {
  Tensor A = placeholder({64}, DataType::Float(32), "A");
  IterVar k = reduce_axis(Range(0, 64), "k");
  Tensor B = compute({1}, [&](const Array<Var>& i) { return sum(A(k->var), {k}); }, "B");
  Schedule s = create_schedule({B.op()});
  IterVar ko, ki;
  s[B].split(k, 8, &ko, &ki);
  Array<Tensor> rf = s.rfactor(B, ki);
  ASSERT_EQ(rf.size(), 1u);
  EXPECT_EQ(rf[0]->shape.size(), 2u);
  EXPECT_EQ(s->stages.size(), 3u);
  Schedule sn = s.normalize();
  BoundMap bounds = InferBound(sn);
  EXPECT_EQ(ConstExtent(bounds, rf[0].op().as<ComputeOpNode>()->axis[0]), 8);

  Schedule s2 = create_schedule({B.op()});
  Tensor cache = s2.cache_write(B, "local");
  EXPECT_EQ(cache.op()->name, "B.local");
  EXPECT_EQ(s2[cache]->scope, "local");
}

}  // namespace
