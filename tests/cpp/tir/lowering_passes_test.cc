/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// The lowering passes from C++: the pipeline's order, a small program
// through the whole of it, and the errors users see.
#include <gtest/gtest.h>
#include <tvm/driver/driver_api.h>
#include <tvm/ir/structural_equal.h>
#include <tvm/tir/op.h>
#include <tvm/tir/stmt_functor.h>
#include <tvm/tir/transform.h>

#include <string>
#include <vector>

namespace {

using namespace tvm;        // NOLINT(*)
using namespace tvm::tir;   // NOLINT(*)

IRModule ModuleOf(PrimFunc f) { return IRModule({{GlobalVar("main"), f}}); }

PrimFunc RunPass(tvm::transform::Pass pass, PrimFunc f) {
  return Downcast<PrimFunc>(pass(ModuleOf(f))->Lookup("main"));
}

TEST(LoweringPasses, PipelineOrder) {
  std::vector<std::string> names;
  for (const auto& p : CreatePassList(false)) names.push_back(p->Info()->name);
  std::vector<std::string> expected = {"tir.ApplyLayoutTransforms", "tir.StorageFlatten",   "tir.Simplify",           "tir.LoopPartition",
                                       "tir.VectorizeLoop",    "tir.InjectVirtualThread", "tir.InjectDoubleBuffer",
                                       "tir.StorageRewrite",   "tir.UnrollLoop",          "tir.Simplify",
                                       "tir.RemoveNoOp",       "tir.RewriteUnsafeSelect", "tir.HoistIfThenElse"};
  EXPECT_EQ(names, expected);
}

TEST(LoweringPasses, TwoDimensionalCopyIsFlattenedAndVectorized) {
  Buffer A = decl_buffer({16, 8}, DataType::Float(32), "A");
  Buffer B = decl_buffer({16, 8}, DataType::Float(32), "B");
  Var i("i"), j("j");
  Stmt store = BufferStore(B, BufferLoad(A, {i, j}), {i, j});
  Stmt body = For(i, 0, 16, ForKind::kSerial, For(j, 0, 8, ForKind::kVectorized, store));
  Var pa("A", DataType::Handle()), pb("B", DataType::Handle());
  PrimFunc f({pa, pb}, body, TupleType::Empty(), {{pa, A}, {pb, B}});
  IRModule out = LowerPrimFunc(f, "copy");
  const auto* func = out->Lookup("copy").as<PrimFuncNode>();
  ASSERT_NE(func, nullptr);
  const auto* loop = func->body.as<ForNode>();
  ASSERT_NE(loop, nullptr);
  const auto* vstore = loop->body.as<BufferStoreNode>();
  ASSERT_NE(vstore, nullptr);
  EXPECT_EQ(vstore->value.dtype(), DataType::Float(32, 8));
  Ramp expected_index(mul(i, 8), make_const(DataType::Int(32), 1), 8);
  EXPECT_TRUE(StructuralEqual()(vstore->indices[0], expected_index));
  EXPECT_TRUE(vstore->buffer->data.same_as(B->data));
}

TEST(LoweringPasses, VectorizeOfSymbolicExtentNamesTheLoop) {
  Buffer A = decl_buffer({64}, DataType::Float(32), "A");
  Var n("n"), x("x_inner");
  Stmt body = For(x, 0, n, ForKind::kVectorized, BufferStore(A, make_const(DataType::Float(32), 0.0), {x}));
  Var pa("A", DataType::Handle());
  PrimFunc f({pa, n}, body, TupleType::Empty(), {{pa, A}});
  try {
    RunPass(tir::transform::VectorizeLoop(), f);
    FAIL() << "expected an error";
  } catch (const runtime::Error& e) {
    EXPECT_NE(std::string(e.what()).find("cannot vectorize loop 'x_inner'"), std::string::npos) << e.what();
  }
}

TEST(LoweringPasses, MakePackedAPIChecksArgumentCount) {
  Buffer A = decl_buffer({4}, DataType::Float(32), "A");
  Var pa("A", DataType::Handle());
  PrimFunc f({pa}, Evaluate(0), TupleType::Empty(), {{pa, A}});
  f = WithAttr(f, "global_symbol", String("fill"));
  PrimFunc packed = RunPass(tir::transform::MakePackedAPI(), f);
  ASSERT_EQ(packed->params.size(), 6u);
  const auto* first = packed->body.as<AssertStmtNode>();
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(Downcast<StringImm>(first->message)->value, "fill: num_args should be 1");
}

}  // namespace
