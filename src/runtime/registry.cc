/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// The global function registry: one table per process, shared by every
// library that links libtvm_runtime.so and by Python.
#include <tvm/runtime/registry.h>

#include <algorithm>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "c_api_common.h"

namespace tvm {
namespace runtime {

struct RegistryManager {
  std::unordered_map<std::string, std::unique_ptr<Registry>> table;
  std::mutex mutex;

  static RegistryManager* Global() {
    // Leaked on purpose: functions may be looked up from static destructors.
    static RegistryManager* inst = new RegistryManager();
    return inst;
  }
};

Registry& Registry::set_body(PackedFunc f) {
  func_ = std::move(f);
  return *this;
}

Registry& Registry::Register(const std::string& name, bool can_override) {
  RegistryManager* m = RegistryManager::Global();
  std::lock_guard<std::mutex> lock(m->mutex);
  auto it = m->table.find(name);
  if (it != m->table.end()) {
    TVM_CHECK(can_override, "ValueError")
        << "global function '" << name << "' is already registered (pass override=True to replace it)";
    return *it->second;
  }
  auto reg = std::make_unique<Registry>();
  reg->name_ = name;
  Registry& ref = *reg;
  m->table.emplace(name, std::move(reg));
  return ref;
}

bool Registry::Remove(const std::string& name) {
  RegistryManager* m = RegistryManager::Global();
  std::lock_guard<std::mutex> lock(m->mutex);
  return m->table.erase(name) > 0;
}

const PackedFunc* Registry::Get(const std::string& name) {
  RegistryManager* m = RegistryManager::Global();
  std::lock_guard<std::mutex> lock(m->mutex);
  auto it = m->table.find(name);
  if (it == m->table.end() || !it->second->func_.defined()) return nullptr;
  return &it->second->func_;
}

std::vector<std::string> Registry::ListNames() {
  RegistryManager* m = RegistryManager::Global();
  std::lock_guard<std::mutex> lock(m->mutex);
  std::vector<std::string> names;
  names.reserve(m->table.size());
  for (const auto& kv : m->table) names.push_back(kv.first);
  std::sort(names.begin(), names.end());
  return names;
}

PackedFunc GetGlobalFunc(const std::string& name) {
  const PackedFunc* f = Registry::Get(name);
  TVM_CHECK(f != nullptr, "ValueError") << "no global function named '" << name << "' is registered";
  return *f;
}

}  // namespace runtime
}  // namespace tvm

using namespace tvm::runtime;  // NOLINT(*)

extern "C" {

int TVMFuncRegisterGlobal(const char* name, TVMFunctionHandle f, int override) {
  API_BEGIN();
  TVM_CHECK(f != nullptr, "ValueError") << "registering a null function as '" << name << "'";
  Registry::Register(name, override != 0)
      .set_body(PackedFunc(GetObjectPtr<Object>(static_cast<Object*>(f))));
  API_END();
}

int TVMFuncGetGlobal(const char* name, TVMFunctionHandle* out) {
  API_BEGIN();
  const PackedFunc* f = Registry::Get(name);
  if (f != nullptr) {
    PackedFunc copy = *f;
    *out = ObjectInternal::Release(&copy);
  } else {
    *out = nullptr;
  }
  API_END();
}

int TVMFuncListGlobalNames(int* out_size, const char*** out_array) {
  API_BEGIN();
  thread_local std::vector<std::string> names;
  thread_local std::vector<const char*> ptrs;
  names = Registry::ListNames();
  ptrs.clear();
  for (const auto& n : names) ptrs.push_back(n.c_str());
  *out_size = static_cast<int>(names.size());
  *out_array = ptrs.data();
  API_END();
}

int TVMFuncRemoveGlobal(const char* name) {
  API_BEGIN();
  Registry::Remove(name);
  API_END();
}

}  // extern "C"
