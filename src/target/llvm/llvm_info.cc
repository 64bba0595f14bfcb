/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// What LLVM knows about the host: triple, CPU name and features. This is how
// "llvm -mcpu=native" resolves (LLVM 19 sees these Zen 4/Zen 5 and Sapphire
// Rapids CPUs with their AVX-512, VNNI and BF16 features).
#include <llvm/ADT/StringMap.h>
#include <llvm/Config/llvm-config.h>
#include <llvm/IR/Function.h>
#include <llvm/IR/Intrinsics.h>
#include <llvm/TargetParser/Host.h>
#include <tvm/runtime/container/array.h>
#include <tvm/runtime/container/string.h>
#include <tvm/runtime/logging.h>
#include <tvm/runtime/registry.h>

#include <algorithm>
#include <string>
#include <vector>

namespace tvm {
namespace codegen {

/*! \brief The host CPU's features as "+name"/"-name", sorted. */
std::vector<std::string> HostCPUFeatures() {
  std::vector<std::string> out;
  for (const auto& kv : llvm::sys::getHostCPUFeatures()) {
    out.push_back((kv.getValue() ? "+" : "-") + kv.getKey().str());
  }
  std::sort(out.begin(), out.end());
  return out;
}

TVM_REGISTER_GLOBAL("target.llvm_version_major").set_body_typed([]() { return LLVM_VERSION_MAJOR; });
TVM_REGISTER_GLOBAL("target.llvm_get_system_triple").set_body_typed([]() {
  return llvm::sys::getDefaultTargetTriple();
});
TVM_REGISTER_GLOBAL("target.llvm_get_system_cpu").set_body_typed([]() {
  return llvm::sys::getHostCPUName().str();
});
TVM_REGISTER_GLOBAL("target.llvm_get_system_features").set_body_typed([]() {
  Array<String> features;
  for (const std::string& f : HostCPUFeatures()) features.push_back(f);
  return features;
});

// Intrinsic numbers are LLVM's Intrinsic::ID of the LLVM this build links: a
// call_llvm_intrin made by one build is only meaningful to the same LLVM.
TVM_REGISTER_GLOBAL("target.llvm_lookup_intrinsic_id").set_body_typed([](std::string name) -> int64_t {
  return llvm::Function::lookupIntrinsicID(name);  // 0 (not_intrinsic) when unknown
});
TVM_REGISTER_GLOBAL("target.llvm_get_intrinsic_name").set_body_typed([](int64_t id) -> std::string {
  TVM_CHECK(id > 0 && id < static_cast<int64_t>(llvm::Intrinsic::num_intrinsics), "ValueError")
      << "llvm_get_intrinsic_name: " << id << " is not an LLVM " << LLVM_VERSION_MAJOR
      << " intrinsic id (1 to " << llvm::Intrinsic::num_intrinsics - 1 << ")";
  return llvm::Intrinsic::getBaseName(static_cast<llvm::Intrinsic::ID>(id)).str();
});

}  // namespace codegen
}  // namespace tvm
