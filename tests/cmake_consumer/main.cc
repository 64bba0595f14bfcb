// Uses the installed runtime through its public headers only: allocate an
// NDArray, call PackedFuncs created in C++ (directly and through the global
// registry), and print OK when every result is right.
#include <tvm/runtime/ndarray.h>
#include <tvm/runtime/packed_func.h>
#include <tvm/runtime/registry.h>

#include <cstdio>

using tvm::runtime::DataType;
using tvm::runtime::NDArray;
using tvm::runtime::PackedFunc;
using tvm::runtime::Registry;
using tvm::runtime::TVMArgs;
using tvm::runtime::TVMRetValue;

namespace {

int Check(bool ok, const char* what) {
  if (!ok) std::printf("FAILED: %s\n", what);
  return ok ? 0 : 1;
}

}  // namespace

int main() {
  int failures = 0;

  NDArray arr = NDArray::Empty({2, 3}, DataType::Float(32), {kDLCPU, 0});
  float* data = static_cast<float*>(arr->data);
  for (int i = 0; i < 6; ++i) data[i] = static_cast<float>(i + 1);
  failures += Check(arr->ndim == 2 && arr->shape[0] == 2 && arr->shape[1] == 3, "NDArray shape");

  PackedFunc twice([](TVMArgs args, TVMRetValue* rv) { *rv = args[0].operator int() * 2; });
  int y = twice(21);
  failures += Check(y == 42, "PackedFunc int result");

  // A function that takes the array: the sum of its elements.
  Registry::Register("consumer.sum").set_body([](TVMArgs args, TVMRetValue* rv) {
    NDArray x = args[0];
    const float* p = static_cast<const float*>(x->data);
    double total = 0;
    for (int64_t i = 0; i < x.NumElements(); ++i) total += p[i];
    *rv = total;
  });
  const PackedFunc* sum = Registry::Get("consumer.sum");
  failures += Check(sum != nullptr, "Registry::Get finds a registered function");
  if (sum != nullptr) {
    double total = (*sum)(arr);
    failures += Check(total == 21.0, "NDArray through the registry");
  }

  if (failures != 0) return 1;
  std::printf("OK\n");
  return 0;
}
