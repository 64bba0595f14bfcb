/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/runtime/module.h
 * \brief Module: a unit of compiled code that hands out packed functions.
 *
 * A module may import others; GetFunction(name, query_imports=true) searches
 * the module first and then its imports depth first. Library modules (a
 * shared object opened with dlopen) are the common case; JIT and device
 * modules follow the same interface.
 */
#ifndef TVM_RUNTIME_MODULE_H_
#define TVM_RUNTIME_MODULE_H_

#include <tvm/runtime/container/string.h>
#include <tvm/runtime/object.h>

#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace tvm {
namespace runtime {

class PackedFunc;
class ModuleNode;

class TVM_DLL Module : public ObjectRef {
 public:
  using ContainerType = ModuleNode;

  Module() = default;
  explicit Module(ObjectPtr<Object> n) : ObjectRef(std::move(n)) {}

  /*!
   * \brief The function `name`, or a null PackedFunc if there is none.
   * \param query_imports Whether to search the imported modules too.
   */
  PackedFunc GetFunction(const String& name, bool query_imports = false);
  /*! \brief Make `other` reachable from this module's functions. */
  void Import(Module other);
  ModuleNode* operator->() const;
  /*!
   * \brief Load a module from a file.
   * \param format The loader to use ("so", ...); empty means by extension.
   * \throws Error naming the file when it is missing or cannot be loaded.
   */
  static Module LoadFromFile(const String& file_name, const String& format = "");
};

/*! \brief What can be done with a module (bits of ModuleNode::GetPropertyMask). */
enum ModulePropertyMask : int {
  /*! \brief SaveToFile writes it in a form a loader reads back. */
  kBinarySerializable = 0b001,
  /*! \brief Its functions can be called as it is, without compiling or linking. */
  kRunnable = 0b010,
  /*! \brief export_library can link it into a shared library (an object file). */
  kDSOExportable = 0b100,
};

/*! \brief The base of all module implementations. */
class TVM_DLL ModuleNode : public Object {
 public:
  ~ModuleNode() override;
  /*! \brief The kind of module, e.g. "library", "llvm", "cuda". */
  virtual const char* type_key() const = 0;
  /*!
   * \brief Look up a function defined by this module (not its imports).
   * \param sptr_to_self A strong reference to this module, for closures that outlive the call.
   */
  virtual PackedFunc GetFunction(const String& name, const ObjectPtr<Object>& sptr_to_self) = 0;
  /*! \brief Write the module to a file, in a format that LoadFromFile reads. */
  virtual void SaveToFile(const String& file_name, const String& format);
  /*!
   * \brief Append the module's bytes to `out`, for export_library to pack into
   *  a shared library (modules with kBinarySerializable). The global
   *  "runtime.module.loadbinary_<type_key>"(bytes) reads them back.
   */
  virtual void SaveToBinary(std::string* out);
  /*! \brief Source code of the module in `format` ("ll", "asm", "c", ...), if any. */
  virtual String GetSource(const String& format = "");
  /*! \brief The ModulePropertyMask bits that hold for this module. */
  virtual int GetPropertyMask() const { return 0; }
  /*! \brief Function names that GetFunction can find (if known). */
  virtual std::vector<std::string> ListFunctionNames() const { return {}; }

  /*! \brief The function `name` searched in this module and, if asked, its imports. */
  PackedFunc GetFunction(const String& name, bool query_imports = false);
  /*! \brief Cached lookup used by compiled code calling other functions. */
  const PackedFunc* GetFuncFromEnv(const String& name);
  void Import(Module other);
  const std::vector<Module>& imports() const { return imports_; }

  static constexpr const char* _type_key = "runtime.Module";
  static constexpr uint32_t _type_static_index = TypeIndex::kRuntimeModule;
  using _type_parent = Object;

 protected:
  std::vector<Module> imports_;

 private:
  std::unordered_map<std::string, std::unique_ptr<PackedFunc>> import_cache_;
};

inline ModuleNode* Module::operator->() const { return static_cast<ModuleNode*>(get_mutable()); }

/*!
 * \brief Connect compiled code to the runtime: for each function-pointer
 *  variable a compiled module may define (__TVMFuncCall,
 *  __TVMBackendParallelLaunch, ...) and for __tvm_module_ctx, `slot(name)`
 *  returns the variable's address (nullptr when the module lacks it) and the
 *  runtime function (or `module`) is written there. Used by the library
 *  loader after dlopen and by the JIT after compiling.
 */
TVM_DLL void InitBackendHooks(const std::function<void**(const char* name)>& slot, ModuleNode* module);

/*! \brief Names of the symbols a compiled library exports or needs. */
namespace symbol {
constexpr const char* tvm_module_ctx = "__tvm_module_ctx";
constexpr const char* tvm_dev_mblob = "__tvm_dev_mblob";
constexpr const char* tvm_module_main = "__tvm_main__";
}  // namespace symbol

}  // namespace runtime
}  // namespace tvm
#endif  // TVM_RUNTIME_MODULE_H_
