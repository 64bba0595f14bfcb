/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// The x86 blocked-convolution path with no Python in the process: nn.conv2d's
// FTVMAlterOpLayout through relay.transform.AlterOpLayout, and nn.contrib_conv2d_NCHWc
// computed and scheduled by its registered strategy, lowered, built and run.
#include <gtest/gtest.h>
#include <tvm/driver/driver_api.h>
#include <tvm/ir/module.h>
#include <tvm/ir/structural_equal.h>
#include <tvm/ir/transform.h>
#include <tvm/relay/attrs/nn.h>
#include <tvm/relay/attrs/transform.h>
#include <tvm/relay/expr_functor.h>
#include <tvm/relay/function.h>
#include <tvm/relay/op.h>
#include <tvm/relay/op_strategy.h>
#include <tvm/relay/transform.h>
#include <tvm/runtime/ndarray.h>
#include <tvm/runtime/registry.h>
#include <tvm/support/with.h>
#include <tvm/te/operation.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

namespace {

using namespace tvm;         // NOLINT(*)
using namespace tvm::relay;  // NOLINT(*)

TensorType F32(std::vector<int64_t> shape) {
  Array<PrimExpr> dims;
  for (int64_t d : shape) dims.push_back(IntImm(DataType::Int(32), d));
  return TensorType(dims, DataType::Float(32));
}

Array<PrimExpr> Ints(std::vector<int64_t> values) {
  Array<PrimExpr> out;
  for (int64_t v : values) out.push_back(IntImm(DataType::Int(32), v));
  return out;
}

template <typename... Args>
Expr MakeCall(const char* name, Args&&... args) {
  const runtime::PackedFunc* f = runtime::Registry::Get(name);
  EXPECT_NE(f, nullptr) << name;
  return (*f)(std::forward<Args>(args)...).operator Expr();
}

Expr Conv2D(Expr data, Expr weight, const std::string& data_layout, const std::string& kernel_layout,
            const std::string& out_layout, const char* make = "relay.op.nn._make.conv2d") {
  return MakeCall(make, data, weight, Ints({1, 1}), Ints({1, 1, 1, 1}), Ints({1, 1}), 1, PrimExpr(), Ints({3, 3}),
              data_layout, kernel_layout, out_layout, DataType::Void());
}

/*! \brief The operator calls of `body`, producers first. */
std::vector<const CallNode*> Calls(const Expr& body) {
  std::vector<const CallNode*> calls;
  PostOrderVisit(body, [&](const Expr& e) {
    if (const auto* c = e.as<CallNode>()) calls.push_back(c);
  });
  return calls;
}

std::string OpName(const CallNode* c) { return c->op.as<OpNode>()->name; }

template <typename T>
std::string Attr(const CallNode* c, std::string T::*field) {
  return c->attrs.as<T>()->*field;
}

TEST(X86Conv2DNCHWc, AlterOpLayoutBlocksConvBiasRelu) {
  Var x("x", F32({1, 16, 14, 14})), w("w", F32({32, 16, 3, 3})), b("b", F32({32}));
  Expr conv = Conv2D(x, w, "NCHW", "OIHW", "");
  Expr biased = MakeCall("relay.op.nn._make.bias_add", conv, b, 1);
  Expr body = relay::Call(Op::Get("nn.relu"), {biased});
  IRModule mod({{GlobalVar("main"), Function({x, w, b}, body)}});

  tvm::transform::PassContext ctx = tvm::transform::PassContext::Create();
  ctx->opt_level = 3;
  With<tvm::transform::PassContext> scope(ctx);
  With<Target> target(Target("llvm -mcpu=haswell"));  // 8 float32 lanes: blocks of 8
  IRModule out = tvm::transform::Sequential({relay::transform::InferType(), relay::transform::AlterOpLayout()})(mod);
  auto main = Downcast<Function>(out->Lookup("main"));

  std::vector<std::string> ops;
  for (const CallNode* c : Calls(main->body)) ops.push_back(OpName(c));
  const std::vector<std::string> expected = {"layout_transform", "layout_transform", "nn.contrib_conv2d_NCHWc",
                                             "expand_dims",      "expand_dims",      "layout_transform",
                                             "add",              "nn.relu",          "layout_transform"};
  EXPECT_EQ(ops, expected);
  std::vector<const CallNode*> calls = Calls(main->body);
  const CallNode* nchwc = calls[2];
  EXPECT_EQ(Attr(nchwc, &Conv2DAttrs::data_layout), "NCHW8c");
  EXPECT_EQ(Attr(nchwc, &Conv2DAttrs::kernel_layout), "OIHW8i8o");
  EXPECT_EQ(Attr(nchwc, &Conv2DAttrs::out_layout), "NCHW8c");
  EXPECT_EQ(nchwc->attrs.as<Conv2DAttrs>()->padding.size(), 4u);
  EXPECT_TRUE(nchwc->args[0].same_as(GetRef<Expr>(calls[0])));
  EXPECT_TRUE(calls[0]->args[0].same_as(x));
  EXPECT_EQ(Attr(calls[0], &LayoutTransformAttrs::dst_layout), "NCHW8c");
  EXPECT_EQ(Attr(calls[1], &LayoutTransformAttrs::src_layout), "OIHW");
  EXPECT_EQ(Attr(calls[1], &LayoutTransformAttrs::dst_layout), "OIHW8i8o");
  EXPECT_EQ(Attr(calls[8], &LayoutTransformAttrs::src_layout), "NCHW8c");
  EXPECT_EQ(Attr(calls[8], &LayoutTransformAttrs::dst_layout), "NCHW");
  EXPECT_TRUE(StructuralEqual()(main->body->checked_type(), F32({1, 32, 14, 14})));
}

TEST(X86Conv2DNCHWc, AlterOpLayoutKeepsConvWithoutX86Target) {
  Var x("x", F32({1, 16, 14, 14})), w("w", F32({32, 16, 3, 3}));
  IRModule mod({{GlobalVar("main"), Function({x, w}, Conv2D(x, w, "NCHW", "OIHW", ""))}});
  tvm::transform::PassContext ctx = tvm::transform::PassContext::Create();
  ctx->opt_level = 3;
  With<tvm::transform::PassContext> scope(ctx);
  With<Target> target(Target("cuda"));
  IRModule out = tvm::transform::Sequential({relay::transform::InferType(), relay::transform::AlterOpLayout()})(mod);
  std::vector<const CallNode*> calls = Calls(Downcast<Function>(out->Lookup("main"))->body);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(OpName(calls[0]), "nn.conv2d");
}

TEST(X86Conv2DNCHWc, StrategyComputesSchedulesBuildsAndRuns) {
  // data [1, 2, 9, 9, 8] (16 channels in blocks of 8), kernel [3, 2, 3, 3, 8, 8] (24 outputs).
  const int N = 1, C = 16, H = 9, W = 9, O = 24, K = 3, B = 8;
  Var x("x", F32({N, C / B, H, W, B})), w("w", F32({O / B, C / B, K, K, B, B}));
  Expr call = Conv2D(x, w, "NCHW8c", "OIHW8i8o", "NCHW8c", "relay.op.nn._make.contrib_conv2d_NCHWc");
  IRModule mod({{GlobalVar("main"), Function({x, w}, call)}});
  mod = relay::transform::InferType()(mod);
  const auto* typed = Downcast<Function>(mod->Lookup("main"))->body.as<CallNode>();

  Target target("llvm");
  With<Target> scope(target);
  auto fstrategy = Op::GetAttrMap<FTVMStrategy>("FTVMStrategy");
  Op op = Op::Get("nn.contrib_conv2d_NCHWc");
  ASSERT_TRUE(fstrategy.count(op));
  Array<te::Tensor> inputs{te::placeholder(Ints({N, C / B, H, W, B}), DataType::Float(32), "data"),
                           te::placeholder(Ints({O / B, C / B, K, K, B, B}), DataType::Float(32), "kernel")};
  OpImplementation impl = fstrategy[op](typed->attrs, inputs, typed->checked_type(), target).Best();
  EXPECT_EQ(std::string(impl->name), "conv2d_NCHWc.x86");
  EXPECT_EQ(impl->plevel, 15);
  Array<te::Tensor> outs = impl.Compute(typed->attrs, inputs, typed->checked_type());
  ASSERT_EQ(outs.size(), 1u);
  te::Schedule sch = impl.Schedule(typed->attrs, outs, target);
  IRModule lowered = LowerSchedule(sch, {inputs[0], inputs[1], outs[0]}, "conv", {});
  const runtime::PackedFunc* build = runtime::Registry::Get("driver.build");
  ASSERT_NE(build, nullptr);
  runtime::Module lib = (*build)(lowered, target);
  runtime::PackedFunc f = lib.GetFunction("conv");
  ASSERT_NE(f, nullptr);

  // Random data, and the convolution by a direct loop over the unblocked indices.
  std::mt19937 gen(7);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  DLDevice cpu{kDLCPU, 0};
  runtime::NDArray data = runtime::NDArray::Empty({N, C / B, H, W, B}, DataType::Float(32), cpu);
  runtime::NDArray kernel = runtime::NDArray::Empty({O / B, C / B, K, K, B, B}, DataType::Float(32), cpu);
  runtime::NDArray out = runtime::NDArray::Empty({N, O / B, H, W, B}, DataType::Float(32), cpu);
  auto* d = static_cast<float*>(data->data);
  auto* k = static_cast<float*>(kernel->data);
  for (int i = 0; i < N * C * H * W; ++i) d[i] = dist(gen);
  for (int i = 0; i < O * C * K * K; ++i) k[i] = dist(gen);
  f(data, kernel, out);

  auto at_data = [&](int c, int y, int x) { return d[(((c / B) * H + y) * W + x) * B + c % B]; };
  auto at_kernel = [&](int o, int c, int ky, int kx) {
    return k[(((((o / B) * (C / B) + c / B) * K + ky) * K + kx) * B + c % B) * B + o % B];
  };
  const auto* result = static_cast<const float*>(out->data);
  double worst = 0;
  for (int o = 0; o < O; ++o) {
    for (int y = 0; y < H; ++y) {
      for (int x0 = 0; x0 < W; ++x0) {
        double acc = 0;
        for (int c = 0; c < C; ++c) {
          for (int ky = 0; ky < K; ++ky) {
            for (int kx = 0; kx < K; ++kx) {
              int iy = y + ky - 1, ix = x0 + kx - 1;
              if (iy >= 0 && iy < H && ix >= 0 && ix < W) acc += at_data(c, iy, ix) * at_kernel(o, c, ky, kx);
            }
          }
        }
        double got = result[(((o / B) * H + y) * W + x0) * B + o % B];
        worst = std::max(worst, std::abs(got - acc));
      }
    }
  }
  EXPECT_LT(worst, 1e-4);
}

TEST(X86Conv2DNCHWc, GenericComputeIsTheOperatorsCompute) {
  // float64: the strategy offers only the generic implementation, whose compute is C++ too.
  Var x("x", TensorType(Ints({1, 2, 6, 6, 4}), DataType::Float(64)));
  Var w("w", TensorType(Ints({2, 2, 3, 3, 4, 4}), DataType::Float(64)));
  Expr call = Conv2D(x, w, "NCHW4c", "OIHW4i4o", "NCHW4c", "relay.op.nn._make.contrib_conv2d_NCHWc");
  IRModule mod = relay::transform::InferType()(IRModule({{GlobalVar("main"), Function({x, w}, call)}}));
  const auto* typed = Downcast<Function>(mod->Lookup("main"))->body.as<CallNode>();
  Op op = Op::Get("nn.contrib_conv2d_NCHWc");
  Array<te::Tensor> inputs{te::placeholder(Ints({1, 2, 6, 6, 4}), DataType::Float(64), "data"),
                           te::placeholder(Ints({2, 2, 3, 3, 4, 4}), DataType::Float(64), "kernel")};
  Target target("llvm");
  With<Target> scope(target);
  OpStrategy strategy =
      Op::GetAttrMap<FTVMStrategy>("FTVMStrategy")[op](typed->attrs, inputs, typed->checked_type(), target);
  ASSERT_EQ(strategy->implementations.size(), 1u);
  EXPECT_EQ(std::string(strategy.Best()->name), "conv2d_NCHWc.generic");
  auto fcompute = Op::GetAttrMap<FTVMCompute>("FTVMCompute");
  ASSERT_TRUE(fcompute.count(op));
  Array<te::Tensor> outs = fcompute[op](typed->attrs, inputs, typed->checked_type());
  ASSERT_EQ(outs.size(), 1u);
  EXPECT_EQ(outs[0].op()->tag, "conv2d_NCHWc");
  EXPECT_EQ(outs[0]->dtype, DataType::Float(64));
  EXPECT_TRUE(StructuralEqual()(outs[0]->shape, Ints({1, 2, 6, 6, 4})));
}

}  // namespace
