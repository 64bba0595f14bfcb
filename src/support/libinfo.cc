/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Build options, visible from Python as tvm.support.libinfo().
#include <tvm/runtime/container/map.h>
#include <tvm/runtime/registry.h>

#ifndef TVM_LLVM_VERSION
#define TVM_LLVM_VERSION 0
#endif
#ifndef TVM_USE_CUDA
#define TVM_USE_CUDA 0
#endif

namespace tvm {

TVM_REGISTER_GLOBAL("support.GetLibInfo").set_body_typed([]() {
  Map<String, String> info;
  info.Set("VERSION", TVM_VERSION);
  info.Set("USE_LLVM", TVM_LLVM_VERSION > 0 ? "ON" : "OFF");
  info.Set("LLVM_VERSION", std::to_string(TVM_LLVM_VERSION));
  info.Set("USE_CUDA", TVM_USE_CUDA ? "ON" : "OFF");
  return info;
});

}  // namespace tvm
