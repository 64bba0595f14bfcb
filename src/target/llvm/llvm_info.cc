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
#include <llvm/MC/MCSubtargetInfo.h>
#include <llvm/MC/TargetRegistry.h>
#include <llvm/TargetParser/Host.h>
#include <tvm/runtime/container/array.h>
#include <tvm/runtime/container/string.h>
#include <tvm/runtime/logging.h>
#include <tvm/runtime/registry.h>
#include <tvm/target/target.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "llvm_instance.h"

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

/*!
 * \brief The target a feature query is about: the one given, else the innermost `with target:`,
 * else plain "llvm" (the default triple, LLVM's generic CPU).
 */
static Target FeatureTarget(const std::optional<Target>& target) {
  if (target.has_value() && target->defined()) return *target;
  Target current = Target::Current(true);
  return current.defined() ? current : Target("llvm");
}

/*!
 * \brief What the target's -mtriple, -mcpu and -mattr enable, as LLVM's subtarget sees it
 * (features implied by others included: "-mcpu=cascadelake" enables avx512vnni and avx2).
 */
static std::unique_ptr<llvm::MCSubtargetInfo> SubtargetOf(const Target& target, const char* caller) {
  TVM_CHECK(target->kind->name == "llvm", "ValueError")
      << caller << ": the target must be an llvm target, got '" << target->str() << "'";
  LLVMTargetInfo info = LLVMTargetInfo::FromTarget(target);
  std::string err;
  const llvm::Target* llvm_target = llvm::TargetRegistry::lookupTarget(info.triple, err);
  TVM_CHECK(llvm_target != nullptr, "ValueError") << caller << ": LLVM does not know the triple '" << info.triple
                                                  << "': " << err;
  std::unique_ptr<llvm::MCSubtargetInfo> sti(
      llvm_target->createMCSubtargetInfo(info.triple, info.cpu, info.features));
  TVM_CHECK(sti != nullptr, "ValueError") << caller << ": LLVM has no subtarget for '" << target->str() << "'";
  return sti;
}

/*! \brief The names of the enabled features, sorted. */
static std::vector<std::string> EnabledFeatures(const llvm::MCSubtargetInfo& sti) {
  std::vector<std::string> out;
  for (const llvm::SubtargetFeatureKV& kv : sti.getAllProcessorFeatures()) {
    if (sti.getFeatureBits().test(kv.Value)) out.push_back(kv.Key);
  }
  std::sort(out.begin(), out.end());
  return out;
}

/*! \brief Whether `feature` ("avx512vnni", without a sign) is enabled; false for names LLVM does not know. */
static bool HasFeature(const llvm::MCSubtargetInfo& sti, const std::string& feature) {
  std::string name = !feature.empty() && (feature[0] == '+' || feature[0] == '-') ? feature.substr(1) : feature;
  for (const llvm::SubtargetFeatureKV& kv : sti.getAllProcessorFeatures()) {
    if (name == kv.Key) return sti.getFeatureBits().test(kv.Value);
  }
  return false;
}

TVM_REGISTER_GLOBAL("target.llvm_get_cpu_features").set_body_typed([](std::optional<Target> target) {
  Array<String> features;
  for (const std::string& f : EnabledFeatures(*SubtargetOf(FeatureTarget(target), "llvm_get_cpu_features"))) {
    features.push_back(f);
  }
  return features;
});
TVM_REGISTER_GLOBAL("target.llvm_cpu_has_feature").set_body_typed([](String feature, std::optional<Target> target) {
  return HasFeature(*SubtargetOf(FeatureTarget(target), "llvm_cpu_has_features"), feature);
});
// Any target kind may be asked; only llvm targets have CPU features.
TVM_REGISTER_GLOBAL("target.target_has_feature").set_body_typed([](String feature, std::optional<Target> target) {
  Target t = FeatureTarget(target);
  if (t->kind->name != "llvm") return false;
  return HasFeature(*SubtargetOf(t, "target_has_features"), feature);
});

}  // namespace codegen
}  // namespace tvm
