/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// relay::Build, relay::Optimize and driver::ExportLibrary from C++ with no
// Python: two builds export the same bytes, the library loads and computes,
// PassContext's opt_level and disabled_pass are honoured, and bad input is an
// error naming what was written.
//
// The test registers its own operators with C++ computes (x * 2 + 1, a + b), so it
// depends on no operator whose compute is registered from Python.
#include <gtest/gtest.h>
#include <tvm/driver/export_library.h>
#include <tvm/ir/module.h>
#include <tvm/relay/build.h>
#include <tvm/relay/expr_functor.h>
#include <tvm/relay/function.h>
#include <tvm/relay/op.h>
#include <tvm/relay/parser.h>
#include <tvm/relay/transform.h>
#include <tvm/runtime/registry.h>
#include <tvm/support/with.h>
#include <tvm/te/operation.h>
#include <tvm/tir/op.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace {

using namespace tvm;         // NOLINT(*)
using namespace tvm::relay;  // NOLINT(*)

TVM_REGISTER_OP("test_build.double_plus_one")
    .set_num_inputs(1)
    .add_argument("x", "Tensor", "the input")
    .add_type_rel("TestBuildIdentity",
                  [](const Array<Type>& types, int, const Attrs&, const TypeReporter& reporter) {
                    if (!types[0].as<TensorTypeNode>()) return false;
                    reporter->Assign(types[1], types[0]);
                    return true;
                  })
    .set_attr<TOpPattern>("TOpPattern", kElemWise)
    .set_attr<FTVMCompute>("FTVMCompute", [](const Attrs&, const Array<te::Tensor>& inputs, const Type&) {
      te::Tensor x = inputs[0];
      return Array<te::Tensor>{te::compute(
          x->shape, [&](const Array<tir::Var>& i) { return x(Array<PrimExpr>(i.begin(), i.end())) * 2.0f + 1.0f; },
          "double_plus_one")};
    });

TVM_REGISTER_OP("test_build.add")
    .set_num_inputs(2)
    .add_argument("lhs", "Tensor", "the left input")
    .add_argument("rhs", "Tensor", "the right input, of the left one's type")
    .add_type_rel("TestBuildSameType",
                  [](const Array<Type>& types, int, const Attrs&, const TypeReporter& reporter) {
                    if (!types[0].as<TensorTypeNode>()) return false;
                    reporter->Assign(types[1], types[0]);
                    reporter->Assign(types[2], types[0]);
                    return true;
                  })
    .set_attr<TOpPattern>("TOpPattern", kElemWise)
    .set_attr<FTVMCompute>("FTVMCompute", [](const Attrs&, const Array<te::Tensor>& inputs, const Type&) {
      te::Tensor a = inputs[0], b = inputs[1];
      return Array<te::Tensor>{te::compute(
          a->shape,
          [&](const Array<tir::Var>& i) {
            Array<PrimExpr> index(i.begin(), i.end());
            return a(index) + b(index);
          },
          "add")};
    });

TensorType Tensor1D(int64_t n) { return TensorType({IntImm(DataType::Int(32), n)}, DataType::Float(32)); }

Expr DoublePlusOne(Expr x) { return Call(Op::Get("test_build.double_plus_one"), {x}); }

/*! \brief main(x, w) = f(f(x) + w) for the test operator f: two calls that fuse at opt_level >= 1. */
IRModule TwoCallModule(int64_t n) {
  Var x("x", Tensor1D(n)), w("w", Tensor1D(n));
  Expr body = DoublePlusOne(Call(Op::Get("test_build.add"), {DoublePlusOne(x), w}));
  return IRModule({{GlobalVar("main"), Function({x, w}, body)}});
}

runtime::NDArray Filled(int64_t n, float start) {
  runtime::NDArray a = runtime::NDArray::Empty({n}, DataType::Float(32), DLDevice{kDLCPU, 0});
  for (int64_t i = 0; i < n; ++i) static_cast<float*>(a->data)[i] = start + static_cast<float>(i);
  return a;
}

std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/tvm_build_test_XXXXXX";
    path_ = mkdtemp(tmpl);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

/*! \brief The number of primitive functions main calls after Optimize under `ctx`. */
int PrimitiveCalls(const IRModule& mod, tvm::transform::PassContext ctx) {
  With<tvm::transform::PassContext> scope(ctx);
  IRModule out = Optimize(mod, {});
  int count = 0;
  PostOrderVisit(out->Lookup("main"), [&count](const ObjectRef& e) {
    if (const auto* call = e.as<CallNode>()) {
      if (const auto* f = call->op.as<FunctionNode>()) count += f->attrs.HasNonzeroAttr(relay::attr::kPrimitive);
    }
  });
  return count;
}

TEST(RelayBuild, TwoBuildsExportTheSameBytesAndTheLibraryRuns) {
  TempDir dir;
  Map<String, runtime::NDArray> params{{"w", Filled(8, 10.0f)}};
  for (const char* name : {"a.so", "b.so"}) {
    runtime::Module factory = Build(TwoCallModule(8), Target("llvm"), params, "default");
    EXPECT_STREQ(factory->type_key(), "GraphExecutorFactory");
    driver::ExportLibrary(factory, dir / name);
  }
  std::string a = ReadBytes(dir / "a.so");
  ASSERT_FALSE(a.empty());
  EXPECT_EQ(a, ReadBytes(dir / "b.so"));

  runtime::Module lib = runtime::Module::LoadFromFile(dir / "a.so");
  runtime::Module gmod = lib.GetFunction("default")(DLDevice{kDLCPU, 0}).operator runtime::Module();
  runtime::NDArray x = Filled(8, 0.0f);
  gmod.GetFunction("set_input")("x", x);
  gmod.GetFunction("run")();
  runtime::NDArray out = gmod.GetFunction("get_output")(0).operator runtime::NDArray();
  for (int i = 0; i < 8; ++i) {
    float want = ((static_cast<float>(i) * 2 + 1) + (10.0f + static_cast<float>(i))) * 2 + 1;
    EXPECT_FLOAT_EQ(static_cast<float*>(out->data)[i], want) << "element " << i;
  }
}

TEST(RelayBuild, OptLevelAndDisabledPassAreHonoured) {
  tvm::transform::PassContext level0 = tvm::transform::PassContext::Create();
  level0->opt_level = 0;
  EXPECT_EQ(PrimitiveCalls(TwoCallModule(4), level0), 3);  // each call its own kernel
  tvm::transform::PassContext level2 = tvm::transform::PassContext::Create();
  level2->opt_level = 2;
  EXPECT_EQ(PrimitiveCalls(TwoCallModule(4), level2), 1);  // all three fuse
  tvm::transform::PassContext no_fuse = tvm::transform::PassContext::Create();
  no_fuse->opt_level = 3;
  no_fuse->disabled_pass = {"FuseOps"};
  EXPECT_EQ(PrimitiveCalls(TwoCallModule(4), no_fuse), 0);

  // The pass list reads top to bottom: InferType first, FuseOps then InferType last.
  Array<tvm::transform::Pass> passes = BuildPassList();
  ASSERT_GE(passes.size(), 3u);
  EXPECT_EQ(std::string(passes[0]->Info()->name), "InferType");
  EXPECT_EQ(std::string(passes[passes.size() - 2]->Info()->name), "FuseOps");
  EXPECT_EQ(std::string(passes[passes.size() - 1]->Info()->name), "InferType");
}

TEST(RelayBuild, BoundParamsFoldWithoutPython) {
  // f(w) with w bound is constant: FoldConstant evaluates it in C++ (constant_evaluator.cc).
  Var x("x", Tensor1D(4)), w("w", Tensor1D(4));
  IRModule mod({{GlobalVar("main"), Function({x, w}, Call(Op::Get("test_build.add"), {x, DoublePlusOne(w)}))}});
  IRModule out = Optimize(mod, {{"w", Filled(4, 1.0f)}});
  auto main = Downcast<Function>(out->Lookup("main"));
  ASSERT_EQ(main->params.size(), 1u);
  const auto* call = main->body.as<CallNode>();
  ASSERT_NE(call, nullptr);
  ASSERT_EQ(call->args.size(), 2u);  // the fused add's arguments: x and the folded constant
  const auto* folded = call->args[1].as<ConstantNode>();
  ASSERT_NE(folded, nullptr) << call->args[1]->GetTypeKey();
  for (int i = 0; i < 4; ++i) EXPECT_FLOAT_EQ(static_cast<float*>(folded->data->data)[i], (1.0f + i) * 2 + 1);
}

TEST(RelayBuild, ConstantChainOf100000CallsFoldsWithoutRecursion) {
  // One kernel (cached), run 100,000 times by the evaluator's explicit stack.
  Var x("x", Tensor1D(1));
  Expr chain = Constant(Filled(1, 0.0f));
  const int n = 100000;
  for (int i = 0; i < n; ++i) chain = Call(Op::Get("test_build.add"), {chain, Constant(Filled(1, 1.0f))});
  IRModule mod({{GlobalVar("main"), Function({x}, Call(Op::Get("test_build.add"), {x, chain}))}});
  IRModule out = tvm::transform::Sequential({relay::transform::FoldConstant()})(mod);
  const auto* call = Downcast<Function>(out->Lookup("main"))->body.as<CallNode>();
  ASSERT_NE(call, nullptr);
  const auto* folded = call->args[1].as<ConstantNode>();
  ASSERT_NE(folded, nullptr);
  EXPECT_FLOAT_EQ(static_cast<float*>(folded->data->data)[0], static_cast<float>(n));
}

TEST(RelayBuild, ParamsBindByNameAndSharedNamesAreAnError) {
  Var a("a", Tensor1D(2)), b("b", Tensor1D(2));
  Function func({a, b}, Call(Op::Get("add"), {a, b}));
  Function bound = BindParamsByName(func, {{"b", Filled(2, 1.0f)}, {"unknown", Filled(2, 0.0f)}});
  ASSERT_EQ(bound->params.size(), 1u);  // names no parameter has are ignored, as TVM's
  EXPECT_EQ(std::string(bound->params[0]->name_hint), "a");

  Var a2("a", Tensor1D(2));
  Function shared({a, a2}, Call(Op::Get("add"), {a, a2}));
  try {
    BindParamsByName(shared, {{"a", Filled(2, 1.0f)}});
    FAIL() << "binding a shared name should fail";
  } catch (const runtime::Error& e) {
    EXPECT_EQ(e.kind(), "ValueError");
    EXPECT_NE(std::string(e.what()).find("several parameters are named 'a'"), std::string::npos) << e.what();
  }
}

TEST(RelayBuild, ErrorsNameWhatWasWritten) {
  IRModule no_main({{GlobalVar("helper"), Function({}, Tuple(Array<Expr>{}))}});
  try {
    Build(no_main, Target("llvm"), {}, "default");
    FAIL() << "a module without main should fail";
  } catch (const runtime::Error& e) {
    EXPECT_NE(std::string(e.what()).find("no function named main"), std::string::npos) << e.what();
  }
  TempDir dir;
  runtime::Module factory = Build(TwoCallModule(2), Target("llvm"), {}, "default");
  try {
    driver::ExportLibrary(factory, dir / "missing/dir/x.so");
    FAIL() << "exporting into a missing folder should fail";
  } catch (const runtime::Error& e) {
    EXPECT_NE(std::string(e.what()).find("does not exist"), std::string::npos) << e.what();
  }
  driver::ExportLibrary(factory, dir / "x.so");
  try {
    driver::ExportLibrary(runtime::Module::LoadFromFile(dir / "x.so"), dir / "y.so");
    FAIL() << "re-exporting a loaded library should fail";
  } catch (const runtime::Error& e) {
    EXPECT_NE(std::string(e.what()).find("cannot re-export a module loaded from a shared library"),
              std::string::npos)
        << e.what();
  }
}

TEST(RelayBuild, ParsedTextBuilds) {
  IRModule mod = ParseModule("test.relay", R"(#[version = "0.0.5"]
def @main(%x: Tensor[(3), float32]) {
  test_build.double_plus_one(%x)
}
)");
  runtime::Module factory = Build(mod, Target("llvm"), {}, "");
  runtime::Module gmod = factory.GetFunction("default")(DLDevice{kDLCPU, 0}).operator runtime::Module();
  gmod.GetFunction("set_input")("x", Filled(3, 1.0f));
  gmod.GetFunction("run")();
  runtime::NDArray out = gmod.GetFunction("get_output")(0).operator runtime::NDArray();
  EXPECT_FLOAT_EQ(static_cast<float*>(out->data)[2], 7.0f);
}

}  // namespace
