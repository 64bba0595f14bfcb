/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
#include <sched.h>
#include <tvm/ir/expr.h>
#include <tvm/runtime/registry.h>
#include <tvm/topi/x86/utils.h>

#include <cstdlib>
#include <fstream>
#include <set>
#include <string>

namespace tvm {
namespace topi {
namespace x86 {

namespace {

// LLVM CPU names with AVX-512F (what "-mcpu=<name>" enables without -mattr).
const std::set<std::string> kAvx512Cpus = {
    "skylake-avx512", "cascadelake", "cooperlake", "cannonlake",  "icelake-client", "icelake-server",
    "tigerlake",      "rocketlake",  "sapphirerapids", "emeraldrapids", "graniterapids", "graniterapids-d",
    "knl",            "knm",         "znver4",     "znver5",      "x86-64-v4"};
// LLVM CPU names with AVX2 but not AVX-512F.
const std::set<std::string> kAvx2Cpus = {
    "haswell",   "broadwell",  "skylake",  "alderlake", "raptorlake", "meteorlake", "arrowlake",
    "lunarlake", "gracemont",  "sierraforest", "grandridge", "znver1", "znver2", "znver3",
    "x86-64-v3", "core-avx2",  "bdver4"};

// LLVM CPU names with AVX (256-bit float vectors) but not AVX2.
const std::set<std::string> kAvxOnlyCpus = {"sandybridge", "ivybridge", "corei7-avx", "core-avx-i", "btver2"};

// The target's "+feature" names: -mattr, else what -mcpu implies when it names this host.
std::set<std::string> Features(const Target& target, std::string* mcpu) {
  std::set<std::string> features;
  for (const String& f : target->GetAttr<Array<String>>("mattr").value_or(Array<String>())) features.insert(f);
  *mcpu = target->GetAttr<String>("mcpu").value_or(String(""));
  if (!mcpu->empty() && features.empty()) {
    const runtime::PackedFunc* cpu = runtime::Registry::Get("target.llvm_get_system_cpu");
    const runtime::PackedFunc* host = runtime::Registry::Get("target.llvm_get_system_features");
    if (cpu != nullptr && host != nullptr && (*cpu)().operator std::string() == *mcpu) {
      Array<String> all = (*host)();
      for (const String& f : all) {
        if (!f.empty() && f.c_str()[0] == '+') features.insert(f);
      }
    }
  }
  return features;
}

int64_t ReadCacheSize(const std::string& text) {
  if (text.empty()) return -1;
  int64_t scale = 1;
  std::string digits = text;
  switch (text.back()) {
    case 'K': scale = int64_t{1} << 10; digits.pop_back(); break;
    case 'M': scale = int64_t{1} << 20; digits.pop_back(); break;
    case 'G': scale = int64_t{1} << 30; digits.pop_back(); break;
    default: break;
  }
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos) return -1;
  return std::stoll(digits) * scale;
}

bool ReadLine(const std::string& path, std::string* out) {
  std::ifstream f(path);
  if (!f || !std::getline(f, *out)) return false;
  while (!out->empty() && (out->back() == '\n' || out->back() == ' ' || out->back() == '\r')) out->pop_back();
  return true;
}

}  // namespace

int GetSimd32BitLanes(const Target& given) {
  Target target = given.defined() ? given : Target::Current(true);
  if (!target.defined()) return 4;
  std::string mcpu;
  std::set<std::string> features = Features(target, &mcpu);
  if (features.count("+avx512f") || (features.empty() && kAvx512Cpus.count(mcpu))) return 16;
  if (features.count("+avx2") || features.count("+avx") || (features.empty() && kAvx2Cpus.count(mcpu))) return 8;
  return 4;
}

int NumThreads() {
  if (const char* value = std::getenv("TVM_NUM_THREADS")) {
    std::string v(value);
    if (!v.empty() && v.find_first_not_of("0123456789") == std::string::npos) {
      int n = std::atoi(value);
      if (n > 0) return n;
    }
  }
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0) return CPU_COUNT(&set);
  return 1;
}

const CacheSizes& GetCacheSizes() {
  static const CacheSizes sizes = [] {
    CacheSizes s;
    const std::string base = "/sys/devices/system/cpu/cpu0/cache/index";
    for (int i = 0; i < 16; ++i) {
      std::string dir = base + std::to_string(i) + "/", level, kind, size;
      if (!ReadLine(dir + "level", &level) || !ReadLine(dir + "type", &kind) || !ReadLine(dir + "size", &size)) {
        continue;
      }
      int64_t value = ReadCacheSize(size);
      if (value < 0) continue;
      if (level == "1" && kind == "Data") s.l1d = value;
      if (level == "2" && kind == "Unified") s.l2 = value;
      if (level == "3" && kind == "Unified") s.l3 = value;
    }
    return s;
  }();
  return sizes;
}

int GetVectorBytes(const Target& target) {
  if (!target.defined()) return 16;
  std::set<std::string> features;
  for (const String& f : target->GetAttr<Array<String>>("mattr").value_or(Array<String>())) features.insert(f);
  std::string cpu = target->GetAttr<String>("mcpu").value_or(String(""));
  bool avx512_cpu = kAvx512Cpus.count(cpu) > 0;
  if (features.count("+avx512f") || (avx512_cpu && !features.count("-avx512f"))) return 64;
  bool avx_cpu = avx512_cpu || kAvx2Cpus.count(cpu) || kAvxOnlyCpus.count(cpu);
  if (features.count("+avx2") || features.count("+avx") || (avx_cpu && !features.count("-avx"))) return 32;
  return 16;
}

bool IsX86Target(const Target& target) { return target.defined() && target->HasKey("cpu"); }

TVM_REGISTER_GLOBAL("topi.x86.get_simd_32bit_lanes").set_body_typed([](ObjectRef target) {
  return GetSimd32BitLanes(target.defined() ? Downcast<Target>(target) : Target());
});
TVM_REGISTER_GLOBAL("topi.x86.vector_bytes").set_body_typed([](ObjectRef target) {
  return GetVectorBytes(target.defined() ? Downcast<Target>(target) : Target());
});
TVM_REGISTER_GLOBAL("topi.x86.num_threads").set_body_typed([]() { return NumThreads(); });
TVM_REGISTER_GLOBAL("topi.x86.cache_sizes").set_body_typed([]() {
  const CacheSizes& s = GetCacheSizes();
  DataType i64 = DataType::Int(64);
  return Array<IntImm>{IntImm(i64, s.l1d), IntImm(i64, s.l2), IntImm(i64, s.l3)};
});

}  // namespace x86
}  // namespace topi
}  // namespace tvm
