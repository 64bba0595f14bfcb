/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Compiling Relay operators with no Python in the process: the computes, schedules
// and strategies registered from C++ (elementwise, broadcast, nn.relu, the pools,
// nn.dense, nn.conv2d) found in the op registry, a fused function lowered through the TE
// compiler (relay.backend._TECompilerLower), built for llvm and run, its numbers
// checked against plain loops.
#include <gtest/gtest.h>
#include <tvm/driver/driver_api.h>
#include <tvm/ir/module.h>
#include <tvm/ir/repr_printer.h>
#include <tvm/relay/attrs/nn.h>
#include <tvm/relay/attrs/reduce.h>
#include <tvm/relay/attrs/transform.h>
#include <tvm/relay/function.h>
#include <tvm/relay/op.h>
#include <tvm/relay/op_strategy.h>
#include <tvm/relay/transform.h>
#include <tvm/target/target.h>
#include <tvm/runtime/ndarray.h>
#include <tvm/runtime/registry.h>
#include <tvm/te/operation.h>
#include <tvm/tir/function.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace {

using namespace tvm;         // NOLINT(*)
using namespace tvm::relay;  // NOLINT(*)
using runtime::NDArray;

const DLDevice kCPU{kDLCPU, 0};

TensorType F32(std::vector<int64_t> shape) {
  Array<PrimExpr> dims;
  for (int64_t d : shape) dims.push_back(IntImm(DataType::Int(32), d));
  return TensorType(dims, DataType::Float(32));
}

NDArray Filled(const std::vector<int64_t>& shape, std::vector<float>* values, uint32_t seed) {
  NDArray a = NDArray::Empty(runtime::ShapeTuple(shape), DataType::Float(32), kCPU);
  size_t n = 1;
  for (int64_t d : shape) n *= static_cast<size_t>(d);
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(-2.0f, 2.0f);
  values->resize(n);
  for (float& v : *values) v = dist(rng);
  a.CopyFromBytes(values->data(), n * sizeof(float));
  return a;
}

const float* Data(const NDArray& a) { return static_cast<const float*>(a->data); }

// The kernel of fn(params) { body } (fused as one primitive function), built for llvm.
struct Kernel {
  std::string name;
  IRModule lowered;
  runtime::Module module;
};

Kernel Compile(const Array<Var>& params, const Expr& body, const std::string& target = "llvm") {
  IRModule mod({{GlobalVar("main"), Function(params, body)}});
  mod = relay::transform::InferType()(mod);
  Function func = WithAttr(Downcast<Function>(mod->Lookup("main")), relay::attr::kPrimitive, Integer(1));
  const runtime::PackedFunc* lower = runtime::Registry::Get("relay.backend._TECompilerLower");
  const runtime::PackedFunc* build = runtime::Registry::Get("driver.build");
  EXPECT_NE(lower, nullptr);
  EXPECT_NE(build, nullptr);
  Array<ObjectRef> out = (*lower)(func, Target(target), String("default"));
  Kernel k;
  k.name = Downcast<String>(out[0]);
  k.lowered = Downcast<IRModule>(out[1]);
  k.module = (*build)(k.lowered, Target(target)).operator runtime::Module();
  return k;
}

std::string LoweredText(const Kernel& k) {
  std::ostringstream os;
  for (const auto& kv : k.lowered->functions) os << kv.second;
  return os.str();
}

TEST(RelayOpRegistryFromCpp, ComputesSchedulesAndStrategiesAreRegistered) {
  auto compute = Op::GetAttrMap<FTVMCompute>("FTVMCompute");
  auto schedule = Op::GetAttrMap<FTVMSchedule>("FTVMSchedule");
  for (const char* name : {"add", "multiply", "exp", "sigmoid", "copy", "nn.relu", "nn.bias_add", "clip", "where",
                           "reshape", "squeeze", "expand_dims", "transpose", "layout_transform", "concatenate",
                           "strided_slice", "nn.batch_flatten", "nn.pad", "nn.max_pool2d", "nn.avg_pool2d",
                           "nn.global_avg_pool2d", "nn.adaptive_avg_pool2d", "nn.dense"}) {
    EXPECT_TRUE(compute.count(Op::Get(name))) << name;
    EXPECT_TRUE(schedule.count(Op::Get(name))) << name;
  }
  EXPECT_TRUE(Op::GetAttrMap<FTVMStrategy>("FTVMStrategy").count(Op::Get("nn.dense")));
  EXPECT_TRUE(Op::GetAttrMap<FTVMStrategy>("FTVMStrategy").count(Op::Get("nn.softmax")));
  EXPECT_TRUE(Op::GetAttrMap<FTVMStrategy>("FTVMStrategy").count(Op::Get("nn.conv2d")));
  for (const char* name : {"sum", "mean", "variance", "max", "argmax", "split", "broadcast_to"}) {
    EXPECT_TRUE(compute.count(Op::Get(name))) << name;
    EXPECT_TRUE(schedule.count(Op::Get(name))) << name;
  }
  for (const char* name : {"nn.batch_matmul", "nn.matmul", "nn.contrib_dense_pack"}) {
    EXPECT_TRUE(Op::GetAttrMap<FTVMStrategy>("FTVMStrategy").count(Op::Get(name))) << name;
  }
}

TEST(RelayOpRegistryFromCpp, AddComputeAndScheduleBuildAndRun) {
  te::Tensor a = te::placeholder({4, 16}, DataType::Float(32), "a");
  te::Tensor b = te::placeholder({16}, DataType::Float(32), "b");
  Op add = Op::Get("add");
  Array<te::Tensor> outs =
      Op::GetAttrMap<FTVMCompute>("FTVMCompute")[add](Attrs(), {a, b}, F32({4, 16}));
  ASSERT_EQ(outs.size(), 1u);
  Target target("llvm -mcpu=haswell");
  te::Schedule s = Op::GetAttrMap<FTVMSchedule>("FTVMSchedule")[add](Attrs(), outs, target);
  IRModule mod = LowerSchedule(s, Array<ObjectRef>{a, b, outs[0]}, "add_kernel", {});
  runtime::Module lib = (*runtime::Registry::Get("driver.build"))(mod, Target("llvm")).operator runtime::Module();
  std::vector<float> av, bv;
  NDArray x = Filled({4, 16}, &av, 1), y = Filled({16}, &bv, 2);
  NDArray z = NDArray::Empty({4, 16}, DataType::Float(32), kCPU);
  lib.GetFunction("add_kernel")(x, y, z);
  for (int i = 0; i < 4; ++i) {
    for (int j = 0; j < 16; ++j) EXPECT_FLOAT_EQ(Data(z)[i * 16 + j], av[i * 16 + j] + bv[j]);
  }
}

TEST(RelayOpRegistryFromCpp, FusedAddReluThroughTheTECompiler) {
  Var x("x", F32({2, 8, 6, 16})), y("y", F32({2, 8, 6, 16}));
  Kernel k = Compile({x, y}, Call(Op::Get("nn.relu"), {Call(Op::Get("add"), {x, y})}), "llvm -mcpu=haswell");
  EXPECT_EQ(k.name, "tvmgen_default_fused_add_nn_relu");
  // The x86 injective schedule: the rows in parallel, vectors along the innermost axis.
  EXPECT_NE(LoweredText(k).find("T.parallel(96)"), std::string::npos) << LoweredText(k);
  std::vector<float> xv, yv;
  NDArray a = Filled({2, 8, 6, 16}, &xv, 3), b = Filled({2, 8, 6, 16}, &yv, 4);
  NDArray out = NDArray::Empty({2, 8, 6, 16}, DataType::Float(32), kCPU);
  k.module.GetFunction(k.name)(a, b, out);
  for (size_t i = 0; i < xv.size(); ++i) EXPECT_FLOAT_EQ(Data(out)[i], std::max(xv[i] + yv[i], 0.0f)) << i;
}

TEST(RelayOpRegistryFromCpp, BlockedMaxPoolFusedWithReluThroughTheTECompiler) {
  // ResNet's stem pool in NCHW16c: 3x3, stride 2, padding 1.
  const int64_t C = 2, H = 10, W = 9, B = 16, OH = 5, OW = 5;
  Var x("x", F32({1, C, H, W, B}));
  auto attrs = make_object<MaxPool2DAttrs>();
  attrs->pool_size = {Integer(3), Integer(3)};
  attrs->strides = {Integer(2), Integer(2)};
  attrs->dilation = {Integer(1), Integer(1)};
  attrs->padding = {Integer(1), Integer(1), Integer(1), Integer(1)};
  attrs->layout = "NCHW16c";
  Expr pool = Call(Op::Get("nn.max_pool2d"), {x}, Attrs(attrs));
  Kernel k = Compile({x}, Call(Op::Get("nn.relu"), {pool}), "llvm -mcpu=haswell");
  std::vector<float> xv;
  NDArray a = Filled({1, C, H, W, B}, &xv, 5);
  NDArray out = NDArray::Empty({1, C, OH, OW, B}, DataType::Float(32), kCPU);
  k.module.GetFunction(k.name)(a, out);
  for (int64_t c = 0; c < C; ++c) {
    for (int64_t i = 0; i < OH; ++i) {
      for (int64_t j = 0; j < OW; ++j) {
        for (int64_t l = 0; l < B; ++l) {
          float m = -INFINITY;
          for (int64_t di = 0; di < 3; ++di) {
            for (int64_t dj = 0; dj < 3; ++dj) {
              int64_t r = i * 2 - 1 + di, s = j * 2 - 1 + dj;
              if (r >= 0 && r < H && s >= 0 && s < W) m = std::max(m, xv[((c * H + r) * W + s) * B + l]);
            }
          }
          EXPECT_FLOAT_EQ(Data(out)[((c * OH + i) * OW + j) * B + l], std::max(m, 0.0f));
        }
      }
    }
  }
}

TEST(RelayOpRegistryFromCpp, ClassifierDenseTakesDenseNopackThroughTheCppStrategy) {
  const int64_t K = 64, N = 24;
  Var x("x", F32({1, K})), w("w", F32({N, K})), bias("b", F32({N}));
  auto dense_attrs = make_object<DenseAttrs>();
  dense_attrs->units = Integer(static_cast<int>(N));
  dense_attrs->out_dtype = DataType::Float(32);
  auto bias_attrs = make_object<BiasAddAttrs>();
  bias_attrs->axis = 1;
  Expr body = Call(Op::Get("nn.bias_add"), {Call(Op::Get("nn.dense"), {x, w}, Attrs(dense_attrs)), bias},
                   Attrs(bias_attrs));
  Kernel k = Compile({x, w, bias}, body, "llvm -mcpu=haswell");
  EXPECT_NE(LoweredText(k).find("T_dense_nopack_lanes"), std::string::npos) << LoweredText(k);
  std::vector<float> xv, wv, bv;
  NDArray a = Filled({1, K}, &xv, 6), b = Filled({N, K}, &wv, 7), c = Filled({N}, &bv, 8);
  NDArray out = NDArray::Empty({1, N}, DataType::Float(32), kCPU);
  k.module.GetFunction(k.name)(a, b, c, out);
  for (int64_t j = 0; j < N; ++j) {
    double ref = bv[j];
    for (int64_t i = 0; i < K; ++i) ref += static_cast<double>(xv[i]) * wv[j * K + i];
    EXPECT_NEAR(Data(out)[j], ref, 1e-4) << j;
  }
}

TEST(RelayOpRegistryFromCpp, ResidualLayoutTransformAndGlobalPoolCompile) {
  // The tail of ResNet after AlterOpLayout: NCHW16c -> global average pool -> NCHW -> flatten.
  Var x("x", F32({1, 2, 3, 3, 16}));
  auto gp = make_object<GlobalPool2DAttrs>();
  gp->layout = "NCHW16c";
  auto lt = make_object<LayoutTransformAttrs>();
  lt->src_layout = "NCHW16c";
  lt->dst_layout = "NCHW";
  Expr pooled = Call(Op::Get("nn.global_avg_pool2d"), {x}, Attrs(gp));
  Kernel k1 = Compile({x}, pooled);
  Var p("p", F32({1, 2, 1, 1, 16}));
  Kernel k2 = Compile({p}, Call(Op::Get("nn.batch_flatten"), {Call(Op::Get("layout_transform"), {p}, Attrs(lt))}));
  std::vector<float> xv;
  NDArray a = Filled({1, 2, 3, 3, 16}, &xv, 9);
  NDArray mid = NDArray::Empty({1, 2, 1, 1, 16}, DataType::Float(32), kCPU);
  NDArray out = NDArray::Empty({1, 32}, DataType::Float(32), kCPU);
  k1.module.GetFunction(k1.name)(a, mid);
  k2.module.GetFunction(k2.name)(mid, out);
  for (int64_t c = 0; c < 32; ++c) {
    double sum = 0;
    for (int64_t s = 0; s < 9; ++s) sum += xv[((c / 16) * 9 + s) * 16 + c % 16];
    EXPECT_NEAR(Data(out)[c], sum / 9, 1e-5) << c;
  }
}

TEST(RelayOpRegistryFromCpp, ClassifierSoftmaxTakesTheX86SoftmaxThroughTheCppStrategy) {
  const int64_t R = 3, N = 40;
  Var x("x", F32({R, N}));
  auto attrs = make_object<SoftmaxAttrs>();
  attrs->axis = -1;
  Kernel k = Compile({x}, Call(Op::Get("nn.softmax"), {x}, Attrs(attrs)), "llvm -mcpu=haswell");
  EXPECT_NE(LoweredText(k).find("softmax_partial_max"), std::string::npos) << LoweredText(k);
  std::vector<float> xv;
  NDArray a = Filled({R, N}, &xv, 10);
  NDArray out = NDArray::Empty({R, N}, DataType::Float(32), kCPU);
  k.module.GetFunction(k.name)(a, out);
  for (int64_t r = 0; r < R; ++r) {
    double m = *std::max_element(xv.begin() + r * N, xv.begin() + (r + 1) * N), sum = 0;
    for (int64_t j = 0; j < N; ++j) sum += std::exp(static_cast<double>(xv[r * N + j]) - m);
    for (int64_t j = 0; j < N; ++j) {
      EXPECT_NEAR(Data(out)[r * N + j], std::exp(static_cast<double>(xv[r * N + j]) - m) / sum, 1e-6);
    }
  }
}

TEST(RelayOpRegistryFromCpp, AttentionBatchMatmulTakesThePackedGemmThroughTheCppStrategy) {
  // Attention's scores: q (B, M, K) x k (B, N, K)^T, scaled; rows and columns not multiples of a tile.
  const int64_t B = 3, M = 13, N = 24, K = 20;
  Var q("q", F32({B, M, K})), kv("k", F32({B, N, K}));
  auto attrs = make_object<BatchMatmulAttrs>();
  attrs->out_dtype = DataType::Float(32);
  attrs->transpose_b = true;
  std::vector<float> sv{0.125f};
  NDArray s = NDArray::Empty({}, DataType::Float(32), kCPU);
  s.CopyFromBytes(sv.data(), sizeof(float));
  Expr body = Call(Op::Get("multiply"), {Call(Op::Get("nn.batch_matmul"), {q, kv}, Attrs(attrs)), Constant(s)});
  Kernel k = Compile({q, kv}, body, "llvm -mcpu=haswell");
  EXPECT_NE(LoweredText(k).find("T_batch_matmul_pack_packed_b"), std::string::npos) << LoweredText(k);
  std::vector<float> qv, kvv;
  NDArray a = Filled({B, M, K}, &qv, 11), b = Filled({B, N, K}, &kvv, 12);
  NDArray out = NDArray::Empty({B, M, N}, DataType::Float(32), kCPU);
  k.module.GetFunction(k.name)(a, b, out);
  for (int64_t n = 0; n < B; ++n) {
    for (int64_t i = 0; i < M; ++i) {
      for (int64_t j = 0; j < N; ++j) {
        double ref = 0;
        for (int64_t t = 0; t < K; ++t) ref += static_cast<double>(qv[(n * M + i) * K + t]) * kvv[(n * N + j) * K + t];
        EXPECT_NEAR(Data(out)[(n * M + i) * N + j], ref * 0.125, 1e-4) << n << " " << i << " " << j;
      }
    }
  }
}

TEST(RelayOpRegistryFromCpp, LayerNormMeanAndVarianceTakeTheX86ReductionSchedule) {
  // What SimplifyInference makes of layer_norm's statistics: mean and (biased) variance of each row.
  const int64_t R = 5, N = 48;
  Var x("x", F32({R, N})), m("m", F32({R, 1}));
  auto mean_attrs = make_object<ReduceAttrs>();
  mean_attrs->axis = {Integer(1)};
  mean_attrs->keepdims = true;
  Kernel km = Compile({x}, Call(Op::Get("mean"), {x}, Attrs(mean_attrs)), "llvm -mcpu=haswell");
  // rows in parallel, a vector of partial sums per row
  EXPECT_NE(LoweredText(km).find("T_sum_rf_1[0:8] = T_sum_rf_1[0:8] + "), std::string::npos) << LoweredText(km);
  EXPECT_NE(LoweredText(km).find("T.parallel(5)"), std::string::npos) << LoweredText(km);
  auto var_attrs = make_object<VarianceAttrs>();
  var_attrs->axis = {Integer(1)};
  var_attrs->keepdims = true;
  Kernel kv = Compile({x, m}, Call(Op::Get("variance"), {x, m}, Attrs(var_attrs)), "llvm -mcpu=haswell");
  std::vector<float> xv;
  NDArray a = Filled({R, N}, &xv, 13);
  NDArray mean = NDArray::Empty({R, 1}, DataType::Float(32), kCPU);
  NDArray var = NDArray::Empty({R, 1}, DataType::Float(32), kCPU);
  km.module.GetFunction(km.name)(a, mean);
  kv.module.GetFunction(kv.name)(a, mean, var);
  for (int64_t r = 0; r < R; ++r) {
    double sum = 0, sq = 0;
    for (int64_t j = 0; j < N; ++j) sum += xv[r * N + j];
    double mu = sum / N;
    for (int64_t j = 0; j < N; ++j) sq += (xv[r * N + j] - mu) * (xv[r * N + j] - mu);
    EXPECT_NEAR(Data(mean)[r], mu, 1e-5) << r;
    EXPECT_NEAR(Data(var)[r], sq / N, 1e-4) << r;
  }
}

TEST(RelayOpRegistryFromCpp, DenseOfManyRowsTakesThePackedGemmThroughTheCppStrategy) {
  const int64_t M = 20, K = 36, N = 40;
  Var x("x", F32({M, K})), w("w", F32({N, K}));
  auto attrs = make_object<DenseAttrs>();
  attrs->units = Integer(static_cast<int>(N));
  attrs->out_dtype = DataType::Float(32);
  Kernel k = Compile({x, w}, Call(Op::Get("nn.relu"), {Call(Op::Get("nn.dense"), {x, w}, Attrs(attrs))}),
                     "llvm -mcpu=haswell");
  EXPECT_NE(LoweredText(k).find("T_dense_pack_packed_b"), std::string::npos) << LoweredText(k);
  std::vector<float> xv, wv;
  NDArray a = Filled({M, K}, &xv, 14), b = Filled({N, K}, &wv, 15);
  NDArray out = NDArray::Empty({M, N}, DataType::Float(32), kCPU);
  k.module.GetFunction(k.name)(a, b, out);
  for (int64_t i = 0; i < M; ++i) {
    for (int64_t j = 0; j < N; ++j) {
      double ref = 0;
      for (int64_t t = 0; t < K; ++t) ref += static_cast<double>(xv[i * K + t]) * wv[j * K + t];
      EXPECT_NEAR(Data(out)[i * N + j], std::max(ref, 0.0), 1e-4) << i << " " << j;
    }
  }
}

TEST(RelayOpRegistryFromCpp, DenseWithAConstantWeightIsAlteredToThePrepackedGemm) {
  // AlterOpLayout through nn.dense's C++ FTVMAlterOpLayout: the weight packed into 24-wide panels
  // (4 x 24 tiles of 3 AVX2 vectors divide 128 x 192), then the packed dense's C++ strategy.
  const int64_t M = 128, K = 64, N = 192;
  Var x("x", F32({M, K}));
  std::vector<float> wv;
  NDArray weight = Filled({N, K}, &wv, 16);
  auto attrs = make_object<DenseAttrs>();
  attrs->units = Integer(static_cast<int>(N));
  attrs->out_dtype = DataType::Float(32);
  IRModule mod({{GlobalVar("main"), Function({x}, Call(Op::Get("nn.dense"), {x, Constant(weight)}, Attrs(attrs)))}});
  tvm::transform::PassContext ctx = tvm::transform::PassContext::Create();
  ctx->opt_level = 3;
  With<tvm::transform::PassContext> scope(ctx);
  With<Target> target(Target("llvm -mcpu=haswell"));
  IRModule out = tvm::transform::Sequential({relay::transform::InferType(), relay::transform::AlterOpLayout()})(mod);
  const auto* call = Downcast<Function>(out->Lookup("main"))->body.as<CallNode>();
  ASSERT_NE(call, nullptr);
  EXPECT_EQ(Downcast<Op>(call->op)->name, "nn.contrib_dense_pack");
  EXPECT_EQ(call->attrs.as<DensePackAttrs>()->weight_layout, "NC24n");
  const auto* packed = call->args[1].as<CallNode>();
  ASSERT_NE(packed, nullptr);
  EXPECT_EQ(Downcast<Op>(packed->op)->name, "layout_transform");
  EXPECT_EQ(packed->attrs.as<LayoutTransformAttrs>()->dst_layout, "NC24n");
  // The packed dense itself: weight (N/24, K, 24), through nn.contrib_dense_pack's C++ strategy.
  Var xp("x", F32({M, K})), wp("w", F32({N / 24, K, 24}));
  auto pack_attrs = make_object<DensePackAttrs>();
  pack_attrs->units = Integer(static_cast<int>(N));
  pack_attrs->out_dtype = DataType::Float(32);
  pack_attrs->weight_layout = "NC24n";
  Kernel k = Compile({xp, wp}, Call(Op::Get("nn.contrib_dense_pack"), {xp, wp}, Attrs(pack_attrs)),
                     "llvm -mcpu=haswell");
  EXPECT_EQ(LoweredText(k).find("packed_b"), std::string::npos) << LoweredText(k);  // packed already
  std::vector<float> xv, packed_w(N * K);
  for (int64_t n = 0; n < N; ++n) {
    for (int64_t t = 0; t < K; ++t) packed_w[((n / 24) * K + t) * 24 + n % 24] = wv[n * K + t];
  }
  NDArray a = Filled({M, K}, &xv, 17);
  NDArray b = NDArray::Empty({N / 24, K, 24}, DataType::Float(32), kCPU);
  b.CopyFromBytes(packed_w.data(), packed_w.size() * sizeof(float));
  NDArray result = NDArray::Empty({M, N}, DataType::Float(32), kCPU);
  k.module.GetFunction(k.name)(a, b, result);
  for (int64_t i = 0; i < M; i += 7) {
    for (int64_t j = 0; j < N; ++j) {
      double ref = 0;
      for (int64_t t = 0; t < K; ++t) ref += static_cast<double>(xv[i * K + t]) * wv[j * K + t];
      EXPECT_NEAR(Data(result)[i * N + j], ref, 1e-4) << i << " " << j;
    }
  }
}

}  // namespace

// nn.conv2d (plain NCHW x OIHW, as below opt_level 3) through the C++ strategy: conv2d_nchw.x86
// for groups 1, depthwise_conv2d_nchw.x86 for groups == channels, bias and relu fused.
void CheckConv2D(int64_t channels, int64_t out_channels, int64_t groups, int64_t stride, const char* marker) {
  const int64_t H = 9, W = 9, KH = 3, KW = 3, pad = 1;
  const int64_t icg = channels / groups, ocg = out_channels / groups;
  Var x("x", F32({1, channels, H, W})), w("w", F32({out_channels, icg, KH, KW})), bias("b", F32({out_channels}));
  const runtime::PackedFunc* make = runtime::Registry::Get("relay.op.nn._make.conv2d");
  ASSERT_NE(make, nullptr);
  auto ints = [](std::vector<int64_t> v) {
    Array<PrimExpr> out;
    for (int64_t i : v) out.push_back(IntImm(DataType::Int(32), i));
    return out;
  };
  Expr conv = (*make)(x, w, ints({stride, stride}), ints({pad, pad, pad, pad}), ints({1, 1}), static_cast<int>(groups),
                      PrimExpr(static_cast<int>(out_channels)), ints({KH, KW}), std::string("NCHW"),
                      std::string("OIHW"), std::string(""), DataType::Void());
  auto bias_attrs = make_object<BiasAddAttrs>();
  bias_attrs->axis = 1;
  Expr body = Call(Op::Get("nn.relu"), {Call(Op::Get("nn.bias_add"), {conv, bias}, Attrs(bias_attrs))});
  Kernel k = Compile({x, w, bias}, body, "llvm -mcpu=haswell");
  EXPECT_NE(LoweredText(k).find(marker), std::string::npos) << LoweredText(k);
  std::vector<float> xv, wv, bv;
  NDArray a = Filled({1, channels, H, W}, &xv, 11), b = Filled({out_channels, icg, KH, KW}, &wv, 12);
  NDArray c = Filled({out_channels}, &bv, 13);
  const int64_t OH = (H + 2 * pad - KH) / stride + 1, OW = (W + 2 * pad - KW) / stride + 1;
  NDArray out = NDArray::Empty({1, out_channels, OH, OW}, DataType::Float(32), kCPU);
  k.module.GetFunction(k.name)(a, b, c, out);
  for (int64_t o = 0; o < out_channels; ++o) {
    for (int64_t y = 0; y < OH; ++y) {
      for (int64_t xx = 0; xx < OW; ++xx) {
        double ref = bv[o];
        for (int64_t i = 0; i < icg; ++i) {
          const int64_t ic = o / ocg * icg + i;
          for (int64_t kh = 0; kh < KH; ++kh) {
            for (int64_t kw = 0; kw < KW; ++kw) {
              const int64_t iy = y * stride + kh - pad, ix = xx * stride + kw - pad;
              if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
              ref += static_cast<double>(xv[(ic * H + iy) * W + ix]) * wv[((o * icg + i) * KH + kh) * KW + kw];
            }
          }
        }
        EXPECT_NEAR(Data(out)[(o * OH + y) * OW + xx], std::max(ref, 0.0), 1e-4) << o << " " << y << " " << xx;
      }
    }
  }
}

TEST(RelayOpRegistryFromCpp, Conv2DTakesConv2DNCHWX86ThroughTheCppStrategy) {
  CheckConv2D(8, 16, 1, 2, "conv2d_NCHWc");
}

TEST(RelayOpRegistryFromCpp, DepthwiseConv2DTakesTheX86DepthwiseThroughTheCppStrategy) {
  CheckConv2D(8, 8, 8, 1, "depthwise_conv2d_nchw");
}
