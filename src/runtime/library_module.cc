/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// LibraryModule: a shared library of compiled kernels opened with dlopen.
//
// A compiled library does not link the runtime. After dlopen the loader
// writes the runtime's entry points into the library's function-pointer
// variables (`__TVMAPISetLastError`, `__TVMBackendAllocWorkspace`, ...) and
// the module itself into `__tvm_module_ctx`, when the library defines them.
#include <dlfcn.h>
#include <tvm/runtime/c_backend_api.h>
#include <tvm/runtime/module.h>
#include <tvm/runtime/packed_func.h>
#include <tvm/runtime/registry.h>

#include <string>

namespace tvm {
namespace runtime {

class LibraryModuleNode final : public ModuleNode {
 public:
  explicit LibraryModuleNode(std::string path) : path_(std::move(path)) {}
  ~LibraryModuleNode() override {
    if (handle_ != nullptr) dlclose(handle_);
  }

  const char* type_key() const final { return "library"; }
  // Loaded code runs; it cannot be written out again (export the module it came from).
  int GetPropertyMask() const final { return ModulePropertyMask::kRunnable; }

  void Open() {
    dlerror();
    handle_ = dlopen(path_.c_str(), RTLD_LAZY | RTLD_LOCAL);
    if (handle_ == nullptr) {
      const char* err = dlerror();
      throw Error("OSError", "cannot load shared library '" + path_ + "': " + (err ? err : "unknown error"));
    }
    InitContext();
  }

  PackedFunc GetFunction(const String& name, const ObjectPtr<Object>& sptr_to_self) final {
    std::string symbol = name == symbol::tvm_module_main ? EntryName() : name.str();
    if (symbol.empty()) return PackedFunc();
    auto fptr = reinterpret_cast<TVMBackendPackedCFunc>(GetSymbol(symbol.c_str()));
    if (fptr == nullptr) return PackedFunc();
    return WrapPackedCFunc(fptr, sptr_to_self);
  }

  std::vector<std::string> ListFunctionNames() const final { return {}; }
  /*! \brief The address of an exported symbol, or nullptr. */
  void* Symbol(const char* name) const { return GetSymbol(name); }

  /*! \brief Call a C-ABI kernel as a PackedFunc; errors it sets become exceptions. */
  static PackedFunc WrapPackedCFunc(TVMBackendPackedCFunc fptr, const ObjectPtr<Object>& self) {
    return PackedFunc([fptr, self](TVMArgs args, TVMRetValue* rv) {
      TVMValue ret_value;
      int ret_code = kTVMNullptr;
      ret_value.v_handle = nullptr;
      int status = fptr(const_cast<TVMValue*>(args.values), const_cast<int*>(args.type_codes), args.num_args,
                        &ret_value, &ret_code, nullptr);
      if (status != 0) throw LastError();
      if (ret_code != kTVMNullptr) *rv = TVMRetValue::MoveFromCHost(ret_value, ret_code);
    });
  }

 private:
  void* GetSymbol(const char* name) const { return dlsym(handle_, name); }

  std::string EntryName() const {
    // The symbol is a NUL-terminated char array naming the entry function.
    const auto* entry = static_cast<const char*>(GetSymbol(symbol::tvm_module_main));
    return entry != nullptr ? std::string(entry) : std::string();
  }

  void InitContext() {
    InitBackendHooks([this](const char* name) { return static_cast<void**>(GetSymbol(name)); }, this);
  }

  std::string path_;
  void* handle_{nullptr};
};

void InitBackendHooks(const std::function<void**(const char* name)>& slot, ModuleNode* module) {
  auto set = [&slot](const char* name, void* value) {
    if (void** p = slot(name)) *p = value;
  };
  set(symbol::tvm_module_ctx, module);
  set("__TVMFuncCall", reinterpret_cast<void*>(&TVMFuncCall));
  set("__TVMAPISetLastError", reinterpret_cast<void*>(&TVMAPISetLastError));
  set("__TVMBackendGetFuncFromEnv", reinterpret_cast<void*>(&TVMBackendGetFuncFromEnv));
  set("__TVMBackendAllocWorkspace", reinterpret_cast<void*>(&TVMBackendAllocWorkspace));
  set("__TVMBackendFreeWorkspace", reinterpret_cast<void*>(&TVMBackendFreeWorkspace));
  set("__TVMBackendParallelLaunch", reinterpret_cast<void*>(&TVMBackendParallelLaunch));
  set("__TVMBackendParallelBarrier", reinterpret_cast<void*>(&TVMBackendParallelBarrier));
}

Module UnpackModuleTree(const char* symbol_data, Module lib);

Module LoadLibraryModule(const std::string& path) {
  auto n = make_object<LibraryModuleNode>(path);
  n->Open();
  const char* blob = static_cast<const char*>(n->Symbol(symbol::tvm_dev_mblob));
  Module lib(ObjectPtr<Object>(std::move(n)));
  // export_library packed other modules (a graph executor factory, ...) in: the root of that tree.
  if (blob != nullptr) return UnpackModuleTree(blob, lib);
  return lib;
}

TVM_REGISTER_GLOBAL("runtime.module.loadfile_so").set_body_typed([](std::string path, std::string format) {
  return LoadLibraryModule(path);
});

}  // namespace runtime
}  // namespace tvm
