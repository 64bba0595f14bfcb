/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// GraphExecutor from C++, with kernels from a module written here (no
// compiler): shared storage, parameter sharing across 8 threads, and errors.
#include <gtest/gtest.h>
#include <tvm/runtime/container/map.h>
#include <tvm/runtime/container/string.h>
#include <tvm/runtime/module.h>
#include <tvm/runtime/ndarray.h>
#include <tvm/runtime/packed_func.h>
#include <tvm/runtime/registry.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "graph_test_kernels.h"

namespace {

using namespace tvm::runtime;  // NOLINT(*)
using namespace tvm::runtime::testing;  // NOLINT(*)

Module Create(const std::string& graph, Module lib) {
  return (*Registry::Get("tvm.graph_executor.create"))(graph, lib, static_cast<int>(kDLCPU), 0).operator Module();
}

TEST(GraphExecutor, RunsKernelsInOrder) {
  auto kernels = make_object<KernelModule>();
  KernelModule* k = kernels.get();
  Module exec = Create(kGraph, Module(ObjectPtr<Object>(kernels)));
  exec.GetFunction("set_input")("x", Filled(1));
  exec.GetFunction("set_input")(1, Filled(2));
  exec.GetFunction("run")();
  EXPECT_EQ(k->calls.load(), 2);
  NDArray y = exec.GetFunction("get_output")(0);
  for (int i = 0; i < 6; ++i) EXPECT_FLOAT_EQ(Data(y.operator->())[i], (1.0f + i) * (2.0f + i) + 1);
  EXPECT_EQ(exec.GetFunction("get_num_inputs")().operator int(), 2);
  EXPECT_EQ(exec.GetFunction("get_input_index")("w").operator int(), 1);
}

TEST(GraphExecutor, EightThreadsShareParams) {
  Module lib(ObjectPtr<Object>(make_object<KernelModule>()));
  Module owner = Create(kGraph, lib);
  Map<String, NDArray> params;
  params.Set("w", Filled(0.5f));
  std::string blob = (*Registry::Get("runtime.SaveParams"))(params).operator std::string();
  TVMByteArray bytes{blob.data(), blob.size()};
  owner.GetFunction("load_params")(bytes);
  std::vector<Module> execs;
  for (int t = 0; t < 8; ++t) {
    execs.push_back(Create(kGraph, lib));
    execs.back().GetFunction("share_params")(owner, bytes);
  }
  owner = Module();  // the sharers keep the parameter storage alive
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t]() {
      PackedFunc set_input = execs[t].GetFunction("set_input");
      PackedFunc run = execs[t].GetFunction("run");
      PackedFunc get_output = execs[t].GetFunction("get_output");
      for (int iter = 0; iter < 500; ++iter) {
        float start = static_cast<float>(t * 1000 + iter);
        set_input("x", Filled(start));
        run();
        NDArray y = get_output(0);
        for (int i = 0; i < 6; ++i) {
          if (Data(y.operator->())[i] != (start + i) * (0.5f + i) + 1) ++failures;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
}

TEST(GraphExecutor, ClearErrors) {
  Module lib(ObjectPtr<Object>(make_object<KernelModule>()));
  EXPECT_NE(ErrorOf([&] { Create("{\"nodes\": ", lib); }).find("ValueError: graph JSON: cannot parse"),
            std::string::npos);
  std::string missing = kGraph;
  missing.replace(missing.find("\"add_one\""), 9, "\"sub_one\"");
  EXPECT_NE(ErrorOf([&] { Create(missing, lib); })
                .find("AttributeError: graph executor: node 3 'a' calls function 'sub_one', which the library "
                      "module (type 'test_kernels') does not define"),
            std::string::npos);
  Module exec = Create(kGraph, lib);
  NDArray wrong = NDArray::Empty({3, 2}, DataType::Float(32), DLDevice{kDLCPU, 0});
  EXPECT_NE(ErrorOf([&] { exec.GetFunction("set_input")("x", wrong); })
                .find("set_input: input 'x' expects shape [2, 3] float32, got shape [3, 2] float32"),
            std::string::npos);
  std::string junk = "not a parameter dict at all";
  TVMByteArray junk_bytes{junk.data(), junk.size()};
  EXPECT_NE(ErrorOf([&] { exec.GetFunction("load_params")(junk_bytes); }).find("load_params: not a parameter dict"),
            std::string::npos);
}

}  // namespace
