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

#include <mutex>
#include <string>
#include <unordered_map>

namespace tvm {
namespace runtime {

// How many symbols system libraries have registered so far (defined below).
uint64_t SystemLibRegistrations();

class LibraryModuleNode final : public ModuleNode {
 public:
  explicit LibraryModuleNode(std::string path) : path_(std::move(path)) {}
  ~LibraryModuleNode() override {
    // A system library's code stays reachable through "runtime.SystemLib": never unmap it.
    if (handle_ != nullptr && !registered_system_lib_) dlclose(handle_);
  }

  const char* type_key() const final { return "library"; }
  // Loaded code runs; it cannot be written out again (export the module it came from).
  int GetPropertyMask() const final { return ModulePropertyMask::kRunnable; }

  void Open() {
    ExposeRuntime();
    uint64_t registered = SystemLibRegistrations();
    dlerror();
    handle_ = dlopen(path_.c_str(), RTLD_LAZY | RTLD_LOCAL);
    registered_system_lib_ = SystemLibRegistrations() != registered;
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

  // A library built as a system library calls TVMBackendRegisterSystemLibSymbol from its
  // constructor, during dlopen. A host that loaded this runtime with local scope (a Python
  // extension) hides it from that call, so promote the runtime (not libtvm: it carries LLVM)
  // to global scope first; RTLD_NOLOAD only changes the flags of the copy already loaded.
  static void ExposeRuntime() {
    static const bool done = [] {
      Dl_info info;
      if (dladdr(reinterpret_cast<void*>(&TVMBackendRegisterSystemLibSymbol), &info) != 0 && info.dli_fname) {
        dlopen(info.dli_fname, RTLD_LAZY | RTLD_NOLOAD | RTLD_GLOBAL);
      }
      return true;
    }();
    (void)done;
  }

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
  bool registered_system_lib_{false};
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

// ---------------------------------------------------------------------------
// The system library: code compiled with runtime=Runtime("cpp", {"system-lib": True})
// (target attr "system-lib") and linked statically into the program registers its
// functions, entry name and runtime hook variables at start-up through
// TVMBackendRegisterSystemLibSymbol; "runtime.SystemLib" serves them as one module.

namespace {

struct SystemLibTable {
  std::mutex mu;
  std::unordered_map<std::string, void*> symbols;
  uint64_t registrations{0};
};

// Constructed on first use: registrations run from static constructors in any order.
SystemLibTable& SystemLib() {
  static auto* table = new SystemLibTable();
  return *table;
}

}  // namespace

uint64_t SystemLibRegistrations() {
  SystemLibTable& t = SystemLib();
  std::lock_guard<std::mutex> lock(t.mu);
  return t.registrations;
}

namespace {

void* SystemLibSymbol(const std::string& name) {
  SystemLibTable& t = SystemLib();
  std::lock_guard<std::mutex> lock(t.mu);
  auto it = t.symbols.find(name);
  return it == t.symbols.end() ? nullptr : it->second;
}

class SystemLibModuleNode final : public ModuleNode {
 public:
  const char* type_key() const final { return "system_lib"; }
  int GetPropertyMask() const final { return ModulePropertyMask::kRunnable; }

  PackedFunc GetFunction(const String& name, const ObjectPtr<Object>& sptr_to_self) final {
    // Objects registered after the first lookup (a library loaded later) get their hooks too.
    InitBackendHooks([](const char* n) { return static_cast<void**>(SystemLibSymbol(n)); }, this);
    std::string symbol = name.str();
    if (symbol == symbol::tvm_module_main) {
      const auto* entry = static_cast<const char*>(SystemLibSymbol(symbol::tvm_module_main));
      if (entry == nullptr) return PackedFunc();
      symbol = entry;
    }
    auto fptr = reinterpret_cast<TVMBackendPackedCFunc>(SystemLibSymbol(symbol));
    if (fptr == nullptr) return PackedFunc();
    return LibraryModuleNode::WrapPackedCFunc(fptr, sptr_to_self);
  }
};

}  // namespace

// runtime.SystemLib([prefix]): the one module over every registered symbol (a prefix other
// than "" is not supported: this runtime keeps one table).
TVM_REGISTER_GLOBAL("runtime.SystemLib").set_body([](TVMArgs args, TVMRetValue* rv) {
  if (args.size() > 0) {
    std::string prefix = args[0].operator std::string();
    TVM_CHECK(prefix.empty(), "ValueError")
        << "runtime.SystemLib: symbol prefixes (system-lib-prefix) are not supported; got '" << prefix << "'";
  }
  static Module lib(make_object<SystemLibModuleNode>());
  *rv = lib;
});

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

extern "C" int TVMBackendRegisterSystemLibSymbol(const char* name, void* ptr) {
  if (name == nullptr) return -1;
  tvm::runtime::SystemLibTable& t = tvm::runtime::SystemLib();
  std::lock_guard<std::mutex> lock(t.mu);
  t.symbols[name] = ptr;
  t.registrations += 1;
  return 0;
}
