/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// A kernel library written in C++ (no compiler) and a two-node graph over it,
// shared by the graph executor and GraphModel tests.
#ifndef TVM_TESTS_CPP_RUNTIME_GRAPH_TEST_KERNELS_H_
#define TVM_TESTS_CPP_RUNTIME_GRAPH_TEST_KERNELS_H_

#include <tvm/runtime/logging.h>
#include <tvm/runtime/module.h>
#include <tvm/runtime/ndarray.h>
#include <tvm/runtime/packed_func.h>

#include <atomic>
#include <functional>
#include <string>

namespace tvm {
namespace runtime {
namespace testing {

inline int64_t Size(const DLTensor* t) {
  int64_t n = 1;
  for (int i = 0; i < t->ndim; ++i) n *= t->shape[i];
  return n;
}

inline float* Data(const DLTensor* t) { return reinterpret_cast<float*>(static_cast<char*>(t->data) + t->byte_offset); }

// Kernels over float32 arrays: "mul"(a, b, out) and "add_one"(a, out); `calls` counts them.
class KernelModule : public ModuleNode {
 public:
  const char* type_key() const final { return "test_kernels"; }
  PackedFunc GetFunction(const String& name, const ObjectPtr<Object>& self) final {
    if (name == "mul") {
      return PackedFunc([this](TVMArgs args, TVMRetValue*) {
        ++calls;
        const DLTensor *a = args[0], *b = args[1], *out = args[2];
        for (int64_t i = 0; i < Size(out); ++i) Data(out)[i] = Data(a)[i] * Data(b)[i];
      });
    }
    if (name == "add_one") {
      return PackedFunc([this](TVMArgs args, TVMRetValue*) {
        ++calls;
        const DLTensor *a = args[0], *out = args[1];
        for (int64_t i = 0; i < Size(out); ++i) Data(out)[i] = Data(a)[i] + 1;
      });
    }
    return PackedFunc();
  }
  std::atomic<int> calls{0};
};

// y = add_one(mul(x, w)), with add_one's output reusing the storage of x (dead by then).
inline const char* kGraph = R"({
  "nodes": [
    {"op": "null", "name": "x", "inputs": []},
    {"op": "null", "name": "w", "inputs": []},
    {"op": "tvm_op", "name": "m", "inputs": [[0, 0, 0], [1, 0, 0]],
     "attrs": {"func_name": "mul", "num_inputs": "2", "num_outputs": "1", "flatten_data": "0"}},
    {"op": "tvm_op", "name": "a", "inputs": [[2, 0, 0]],
     "attrs": {"func_name": "add_one", "num_inputs": "1", "num_outputs": "1", "flatten_data": "0"}}
  ],
  "arg_nodes": [0, 1],
  "heads": [[3, 0, 0]],
  "attrs": {"dltype": ["list_str", ["float32", "float32", "float32", "float32"]],
            "storage_id": ["list_int", [0, 1, 2, 0]],
            "shape": ["list_shape", [[2, 3], [2, 3], [2, 3], [2, 3]]]},
  "node_row_ptr": [0, 1, 2, 3, 4]
})";

inline NDArray Filled(float start) {
  NDArray a = NDArray::Empty({2, 3}, DataType::Float(32), DLDevice{kDLCPU, 0});
  for (int i = 0; i < 6; ++i) Data(a.operator->())[i] = start + i;
  return a;
}

inline std::string ErrorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.kind() + ": " + e.what();
  }
  return "no error";
}

}  // namespace testing
}  // namespace runtime
}  // namespace tvm
#endif  // TVM_TESTS_CPP_RUNTIME_GRAPH_TEST_KERNELS_H_
