/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// GraphModel / GraphModelExecutor and their C functions over a factory whose
// kernels are written in C++: metadata, parameter sharing with copy on write,
// caller-owned memory, N executors on N threads, and the error messages.
#include <gtest/gtest.h>
#include <tvm/runtime/graph_model.h>
#include <tvm/runtime/graph_model_c_api.h>
#include <tvm/runtime/registry.h>

#include <string>
#include <thread>
#include <vector>

#include "graph_test_kernels.h"

namespace {

using namespace tvm::runtime;           // NOLINT(*)
using namespace tvm::runtime::testing;  // NOLINT(*)

// A factory holding kGraph with parameter w = Filled(0.5).
Module Factory(NDArray w) {
  Module lib(ObjectPtr<Object>(make_object<KernelModule>()));
  return (*Registry::Get("tvm.graph_executor_factory.create"))(kGraph, lib, "default", "w", w).operator Module();
}

// A caller-owned float32 [2, 3] tensor over `data`.
struct Caller {
  float data[6];
  int64_t shape[2] = {2, 3};
  DLTensor tensor() {
    return DLTensor{data, DLDevice{kDLCPU, 0}, 2, DLDataType{kDLFloat, 32, 1}, shape, nullptr, 0};
  }
};

TEST(GraphModel, DescribesInputsWithoutParameters) {
  GraphModel model = GraphModel::FromModule(Factory(Filled(0.5f)));
  ASSERT_EQ(model.inputs().size(), 1u);
  EXPECT_EQ(model.inputs()[0].name, "x");
  EXPECT_EQ(model.inputs()[0].ToString(), "float32[2, 3]");
  EXPECT_EQ(model.inputs()[0].NumBytes(), 24u);
  ASSERT_EQ(model.outputs().size(), 1u);
  EXPECT_EQ(model.outputs()[0].name, "a");
  EXPECT_EQ(model.InputIndex("x"), 0);
  EXPECT_NE(ErrorOf([&] { model.InputIndex("data"); }).find("KeyError: GraphModel: no input named 'data'; the inputs are 'x'"),
            std::string::npos);
}

TEST(GraphModel, RunsFromCallerMemory) {
  GraphModel model = GraphModel::FromModule(Factory(Filled(0.5f)));
  GraphModelExecutor exec = model.CreateExecutor();
  Caller in, out;
  for (int i = 0; i < 6; ++i) in.data[i] = static_cast<float>(i);
  DLTensor in_t = in.tensor(), out_t = out.tensor();
  exec.SetInput("x", in_t);
  exec.Run();
  exec.GetOutput(0, &out_t);
  for (int i = 0; i < 6; ++i) EXPECT_FLOAT_EQ(out.data[i], i * (0.5f + i) + 1);
}

TEST(GraphModel, ExecutorsShareParametersAndCopyOnWrite) {
  NDArray w = Filled(0.5f);
  GraphModel model = GraphModel::FromModule(Factory(w));
  GraphModelExecutor a = model.CreateExecutor(), b = model.CreateExecutor();
  NDArray wa = a.module().GetFunction("get_input")("w"), wb = b.module().GetFunction("get_input")("w");
  // Both read the factory's array in place (one copy of the weights for any number of executors).
  EXPECT_EQ(wa->data, wb->data);
  // Writing a parameter through one executor gives it its own copy; the other is unaffected.
  a.module().GetFunction("set_input")("w", Filled(10));
  NDArray wa2 = a.module().GetFunction("get_input")("w");
  EXPECT_NE(wa2->data, wb->data);
  EXPECT_FLOAT_EQ(Data(wb.operator->())[0], 0.5f);
  a.SetInput("x", *Filled(1).operator->());
  b.SetInput("x", *Filled(1).operator->());
  a.Run();
  b.Run();
  EXPECT_FLOAT_EQ(Data(a.GetOutput(0).operator->())[0], 1 * 10 + 1);
  EXPECT_FLOAT_EQ(Data(b.GetOutput(0).operator->())[0], 1 * 0.5f + 1);
}

TEST(GraphModel, NExecutorsOnNThreads) {
  GraphModel model = GraphModel::FromModule(Factory(Filled(0.5f)));
  constexpr int kThreads = 6;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t]() {
      GraphModelExecutor exec = model.CreateExecutor();  // created on its own thread
      Caller in, out;
      DLTensor in_t = in.tensor(), out_t = out.tensor();
      for (int iter = 0; iter < 300; ++iter) {
        float start = static_cast<float>(t * 1000 + iter);
        for (int i = 0; i < 6; ++i) in.data[i] = start + i;
        exec.SetInput(0, in_t);
        exec.Run();
        exec.GetOutput(0, &out_t);
        for (int i = 0; i < 6; ++i) {
          if (out.data[i] != (start + i) * (0.5f + i) + 1) ++failures;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
}

TEST(GraphModel, ErrorsNameTheTensorAndShapes) {
  GraphModel model = GraphModel::FromModule(Factory(Filled(0.5f)));
  GraphModelExecutor exec = model.CreateExecutor();
  float data[8];
  int64_t shape[2] = {2, 4};
  DLTensor wrong{data, DLDevice{kDLCPU, 0}, 2, DLDataType{kDLFloat, 32, 1}, shape, nullptr, 0};
  EXPECT_NE(ErrorOf([&] { exec.SetInput("x", wrong); })
                .find("ValueError: set_input: input 'x' expects shape [2, 3] float32, got shape [2, 4] float32"),
            std::string::npos);
  EXPECT_NE(ErrorOf([&] { exec.GetOutput(0, &wrong); }).find("expects shape [2, 3] float32, got shape [2, 4]"),
            std::string::npos);
  EXPECT_NE(ErrorOf([&] { exec.SetInput(3, wrong); }).find("IndexError: GraphModelExecutor.SetInput: input index 3"),
            std::string::npos);
  EXPECT_NE(ErrorOf([&] { GraphModel::FromModule(Factory(Filled(0.5f)), DLDevice{kDLCPU, 0}, "resnet"); })
                .find("has no graph executor named 'resnet'"),
            std::string::npos);
  EXPECT_NE(ErrorOf([&] { GraphModel().inputs(); }).find("used before GraphModel::Load"), std::string::npos);
  EXPECT_NE(ErrorOf([&] { GraphModel::Load("/nonexistent/model.so"); }).find("/nonexistent/model.so"),
            std::string::npos);
}

TEST(GraphModel, CFunctionsReturnCodes) {
  TVMGraphModelHandle model = nullptr;
  EXPECT_EQ(TVMGraphModelLoad("/nonexistent/model.so", kDLCPU, 0, &model), -1);
  EXPECT_NE(std::string(TVMGetLastError()).find("/nonexistent/model.so"), std::string::npos);
  // A handle around a model built in memory, as TVMGraphModelLoad returns one.
  model = new GraphModel(GraphModel::FromModule(Factory(Filled(0.5f))));
  int n = 0;
  ASSERT_EQ(TVMGraphModelNumInputs(model, &n), 0);
  EXPECT_EQ(n, 1);
  const char* name = nullptr;
  int ndim = 0;
  const int64_t* shape = nullptr;
  DLDataType dtype;
  ASSERT_EQ(TVMGraphModelInputInfo(model, 0, &name, &ndim, &shape, &dtype), 0);
  EXPECT_EQ(std::string(name), "x");
  EXPECT_EQ(ndim, 2);
  EXPECT_EQ(shape[1], 3);
  EXPECT_EQ(TVMGraphModelOutputInfo(model, 5, &name, &ndim, &shape, &dtype), -1);
  EXPECT_NE(std::string(TVMGetLastError()).find("output index 5 out of range"), std::string::npos);
  TVMGraphModelExecutorHandle exec = nullptr;
  ASSERT_EQ(TVMGraphModelExecutorCreate(model, &exec), 0);
  Caller in, out;
  for (int i = 0; i < 6; ++i) in.data[i] = 2.0f;
  DLTensor in_t = in.tensor(), out_t = out.tensor();
  ASSERT_EQ(TVMGraphModelExecutorSetInput(exec, "x", &in_t), 0);
  ASSERT_EQ(TVMGraphModelExecutorRun(exec), 0);
  ASSERT_EQ(TVMGraphModelExecutorGetOutput(exec, 0, &out_t), 0);
  EXPECT_FLOAT_EQ(out.data[1], 2.0f * 1.5f + 1);
  EXPECT_EQ(TVMGraphModelExecutorSetInput(exec, "y", &in_t), -1);
  EXPECT_NE(std::string(TVMGetLastError()).find("no input named 'y'"), std::string::npos);
  EXPECT_EQ(TVMGraphModelExecutorRun(nullptr), -1);
  EXPECT_EQ(TVMGraphModelExecutorFree(exec), 0);
  EXPECT_EQ(TVMGraphModelFree(model), 0);
}

}  // namespace
