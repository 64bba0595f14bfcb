/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Module: function lookup through imports, loading from files, C API.
#include <tvm/runtime/c_backend_api.h>
#include <tvm/runtime/c_runtime_api.h>
#include <tvm/runtime/module.h>
#include <tvm/runtime/packed_func.h>
#include <tvm/runtime/registry.h>

#include <sys/stat.h>

#include <mutex>
#include <unordered_set>

#include "c_api_common.h"

namespace tvm {
namespace runtime {

[[maybe_unused]] static const uint32_t kModuleTypeIndex = TypeIndexOf<ModuleNode>();

ModuleNode::~ModuleNode() = default;

void ModuleNode::SaveToFile(const String& file_name, const String& format) {
  throw Error("ValueError", std::string("module of type '") + type_key() + "' cannot be saved to a file");
}

void ModuleNode::SaveToBinary(std::string* out) {
  throw Error("ValueError", std::string("module of type '") + type_key() + "' cannot be serialised to bytes");
}

String ModuleNode::GetSource(const String& format) {
  throw Error("ValueError", std::string("module of type '") + type_key() + "' has no source");
}

PackedFunc ModuleNode::GetFunction(const String& name, bool query_imports) {
  ObjectPtr<Object> self = GetObjectPtr<Object>(this);
  PackedFunc f = GetFunction(name, self);
  if (f.defined() || !query_imports) return f;
  // Depth-first through the imports, each module visited once.
  std::unordered_set<const ModuleNode*> visited{this};
  std::vector<ModuleNode*> stack;
  for (auto it = imports_.rbegin(); it != imports_.rend(); ++it) stack.push_back(it->operator->());
  while (!stack.empty()) {
    ModuleNode* m = stack.back();
    stack.pop_back();
    if (!visited.insert(m).second) continue;
    f = m->GetFunction(name, GetObjectPtr<Object>(m));
    if (f.defined()) return f;
    for (auto it = m->imports_.rbegin(); it != m->imports_.rend(); ++it) stack.push_back(it->operator->());
  }
  return PackedFunc();
}

void ModuleNode::Import(Module other) {
  TVM_CHECK(other.defined(), "ValueError") << "cannot import a null module";
  // Reject cycles: they would keep both modules alive forever.
  std::vector<const ModuleNode*> stack{other.operator->()};
  std::unordered_set<const ModuleNode*> visited;
  while (!stack.empty()) {
    const ModuleNode* m = stack.back();
    stack.pop_back();
    TVM_CHECK(m != this, "ValueError") << "importing this module would create a cycle";
    if (!visited.insert(m).second) continue;
    for (const Module& sub : m->imports_) stack.push_back(sub.operator->());
  }
  imports_.push_back(std::move(other));
}

const PackedFunc* ModuleNode::GetFuncFromEnv(const String& name) {
  // Kernels of one library may run on several threads at once (one graph executor each).
  static std::mutex cache_mutex;
  std::lock_guard<std::mutex> lock(cache_mutex);
  auto it = import_cache_.find(name);
  if (it != import_cache_.end()) return it->second.get();
  // The cache lives in this module, so this module's own functions are cached without an
  // owning reference to it: one would be a cycle, and the module would never be freed.
  PackedFunc f = GetFunction(name, ObjectPtr<Object>());
  if (!f.defined()) f = GetFunction(name, true);
  if (!f.defined()) {
    const PackedFunc* global = Registry::Get(name);
    TVM_CHECK(global != nullptr, "ValueError")
        << "cannot find function '" << name << "' in the module, its imports, or the global registry";
    f = *global;
  }
  auto owned = std::make_unique<PackedFunc>(std::move(f));
  const PackedFunc* ptr = owned.get();
  import_cache_.emplace(name, std::move(owned));
  return ptr;
}

PackedFunc Module::GetFunction(const String& name, bool query_imports) {
  TVM_CHECK(defined(), "ValueError") << "GetFunction('" << name << "') on a null module";
  return operator->()->GetFunction(name, query_imports);
}

void Module::Import(Module other) {
  TVM_CHECK(defined(), "ValueError") << "Import into a null module";
  operator->()->Import(std::move(other));
}

Module Module::LoadFromFile(const String& file_name, const String& format) {
  struct stat st;
  TVM_CHECK(stat(file_name.c_str(), &st) == 0, "FileNotFoundError")
      << "cannot load module: file '" << file_name << "' does not exist";
  std::string fmt = format;
  if (fmt.empty()) {
    std::string path = file_name;
    size_t dot = path.rfind('.');
    size_t slash = path.rfind('/');
    TVM_CHECK(dot != std::string::npos && (slash == std::string::npos || dot > slash), "ValueError")
        << "cannot tell the format of '" << file_name << "' (no file extension); pass format=";
    fmt = path.substr(dot + 1);
  }
  if (fmt == "dll" || fmt == "dylib") fmt = "so";
  std::string loader = "runtime.module.loadfile_" + fmt;
  const PackedFunc* f = Registry::Get(loader);
  TVM_CHECK(f != nullptr, "ValueError")
      << "cannot load module '" << file_name << "': no loader for format '" << fmt << "'";
  return (*f)(file_name.str(), fmt).operator Module();
}

TVM_REGISTER_GLOBAL("runtime.ModuleLoadFromFile").set_body_typed([](std::string file, std::string format) {
  return Module::LoadFromFile(file, format);
});
TVM_REGISTER_GLOBAL("runtime.ModuleGetFunction")
    .set_body_typed([](Module mod, std::string name, bool query_imports) {
      return mod.GetFunction(name, query_imports);
    });
TVM_REGISTER_GLOBAL("runtime.ModuleImport").set_body_typed([](Module mod, Module other) {
  mod.Import(other);
});
TVM_REGISTER_GLOBAL("runtime.ModuleGetPropertyMask").set_body_typed([](Module mod) {
  return mod->GetPropertyMask();
});
TVM_REGISTER_GLOBAL("runtime.ModuleGetTypeKey").set_body_typed([](Module mod) {
  return std::string(mod->type_key());
});
TVM_REGISTER_GLOBAL("runtime.ModuleGetImportsSize").set_body_typed([](Module mod) {
  return static_cast<int64_t>(mod->imports().size());
});
TVM_REGISTER_GLOBAL("runtime.ModuleGetImport").set_body_typed([](Module mod, int index) {
  TVM_CHECK(index >= 0 && index < static_cast<int>(mod->imports().size()), "IndexError")
      << "import index " << index << " out of range";
  return mod->imports()[index];
});
TVM_REGISTER_GLOBAL("runtime.ModuleGetSource").set_body_typed([](Module mod, std::string fmt) {
  return mod->GetSource(fmt).str();
});
TVM_REGISTER_GLOBAL("runtime.ModuleSaveToFile").set_body_typed([](Module mod, std::string file, std::string fmt) {
  mod->SaveToFile(file, fmt);
});
TVM_REGISTER_GLOBAL("runtime.ModuleListFunctions").set_body_typed([](Module mod) {
  Array<String> names;
  for (const auto& n : mod->ListFunctionNames()) names.push_back(n);
  return names;
});

}  // namespace runtime
}  // namespace tvm

using namespace tvm::runtime;  // NOLINT(*)

extern "C" {

int TVMModLoadFromFile(const char* file_name, const char* format, TVMModuleHandle* out) {
  API_BEGIN();
  Module m = Module::LoadFromFile(file_name, format != nullptr ? format : "");
  *out = ObjectInternal::Release(&m);
  API_END();
}

int TVMModImport(TVMModuleHandle mod, TVMModuleHandle dep) {
  API_BEGIN();
  static_cast<ModuleNode*>(mod)->Import(Module(GetObjectPtr<Object>(static_cast<Object*>(dep))));
  API_END();
}

int TVMModGetFunction(TVMModuleHandle mod, const char* func_name, int query_imports, TVMFunctionHandle* out) {
  API_BEGIN();
  PackedFunc f = static_cast<ModuleNode*>(mod)->GetFunction(func_name, query_imports != 0);
  *out = f.defined() ? ObjectInternal::Release(&f) : nullptr;
  API_END();
}

int TVMModFree(TVMModuleHandle mod) {
  API_BEGIN();
  if (mod != nullptr) ObjectInternal::DecRef(static_cast<Object*>(mod));
  API_END();
}

int TVMBackendGetFuncFromEnv(void* mod_node, const char* func_name, TVMFunctionHandle* out) {
  API_BEGIN();
  TVM_CHECK(mod_node != nullptr, "ValueError") << "no module context to look up '" << func_name << "'";
  const PackedFunc* f = static_cast<ModuleNode*>(mod_node)->GetFuncFromEnv(func_name);
  *out = const_cast<Object*>(f->get());
  API_END();
}

}  // extern "C"
