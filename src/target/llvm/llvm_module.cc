/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// LLVMModule: a compiled LLVM module that runs at once (ORC LLJIT) or is
// written out as an object file, LLVM IR, bitcode or assembly. It holds the
// module in parts (llvm_parallel_build.h) whose object files are compiled in
// parallel, once, on first use: the JIT loads them, export_library links them.
#include <llvm/Bitcode/BitcodeReader.h>
#include <llvm/Bitcode/BitcodeWriter.h>
#include <llvm/ExecutionEngine/Orc/ExecutionUtils.h>
#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/ExecutionEngine/Orc/ThreadSafeModule.h>
#include <llvm/IR/LegacyPassManager.h>
#include <llvm/MC/MCSubtargetInfo.h>
#include <llvm/MC/TargetRegistry.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/TargetParser/Host.h>
#include <llvm/TargetParser/Triple.h>
#include <llvm/Transforms/Utils/Cloning.h>
#include <tvm/runtime/c_backend_api.h>
#include <tvm/runtime/module.h>
#include <tvm/runtime/packed_func.h>
#include <tvm/runtime/registry.h>

#include <algorithm>
#include <mutex>

#include "codegen_llvm.h"
#include "llvm_parallel_build.h"

namespace tvm {
namespace codegen {

class LLVMModuleNode final : public runtime::ModuleNode {
 public:
  explicit LLVMModuleNode(std::vector<LLVMBuildResult> parts) : parts_(std::move(parts)) {
    for (const LLVMBuildResult& part : parts_) {
      function_names_.insert(function_names_.end(), part.function_names.begin(), part.function_names.end());
      if (!part.entry_name.empty()) entry_name_ = part.entry_name;
    }
    std::sort(function_names_.begin(), function_names_.end());
  }

  const char* type_key() const final { return "llvm"; }
  // Runs through the JIT; export_library links its object file.
  int GetPropertyMask() const final {
    return runtime::ModulePropertyMask::kRunnable | runtime::ModulePropertyMask::kDSOExportable;
  }

  PackedFunc GetFunction(const String& name, const ObjectPtr<Object>& sptr_to_self) final {
    if (name == "__tvm_is_system_module") return PackedFunc();
    if (name == "_get_target_triple") {
      std::string triple = parts_[0].target_info.triple;
      return PackedFunc([triple](TVMArgs, TVMRetValue* rv) { *rv = triple; });
    }
    if (name == "get_func_names") {
      std::vector<std::string> names = function_names_;
      return PackedFunc([names](TVMArgs, TVMRetValue* rv) {
        Array<String> out;
        for (const auto& n : names) out.push_back(n);
        *rv = out;
      });
    }
    if (name == "_save_object_files") {
      // export_library: one object file per part, "<prefix>.<k>.o"; returns their paths.
      ObjectPtr<Object> self = sptr_to_self;
      return PackedFunc([this, self](TVMArgs args, TVMRetValue* rv) {
        std::string prefix = args[0];
        const std::vector<std::string>& objects = Objects();
        Array<String> paths;
        for (size_t k = 0; k < objects.size(); ++k) {
          std::string path = prefix + "." + std::to_string(k) + ".o";
          WriteFile(path, objects[k]);
          paths.push_back(path);
        }
        *rv = paths;
      });
    }
    std::string symbol = name == runtime::symbol::tvm_module_main ? entry_name_ : name.str();
    if (!std::binary_search(function_names_.begin(), function_names_.end(), symbol)) return PackedFunc();
    EnsureJIT();
    auto addr = jit_->lookup(symbol);
    if (!addr) {
      // The function exists but could not be linked (an unresolved external symbol, ...): say so,
      // with the cause the JIT reported on the side.
      std::string message = llvm::toString(addr.takeError());
      std::string causes = TakeJITErrors();
      if (!causes.empty()) message = causes + "; " + message;
      throw runtime::Error("RuntimeError", "the LLVM JIT cannot link function '" + symbol + "': " + message);
    }
    auto fptr = addr->toPtr<TVMBackendPackedCFunc>();
    ObjectPtr<Object> self = sptr_to_self;
    return PackedFunc([fptr, self](TVMArgs args, TVMRetValue* rv) {
      TVMValue ret_value;
      int ret_code = kTVMNullptr;
      int status = fptr(const_cast<TVMValue*>(args.values), const_cast<int*>(args.type_codes), args.num_args,
                        &ret_value, &ret_code, nullptr);
      if (status != 0) throw runtime::LastError();
    });
  }

  void SaveToFile(const String& file_name, const String& format) final {
    std::string fmt = format;
    std::string path = file_name;
    if (fmt.empty()) {
      size_t dot = path.rfind('.');
      fmt = dot == std::string::npos ? "o" : path.substr(dot + 1);
    }
    if (fmt != "ll" && fmt != "bc" && fmt != "o" && fmt != "obj" && fmt != "s" && fmt != "asm") {
      throw runtime::Error("ValueError", "LLVM modules save as .o, .ll, .bc or .s, not '" + fmt + "'");
    }
    if ((fmt == "o" || fmt == "obj") && parts_.size() == 1) {
      WriteFile(path, Objects()[0]);
      return;
    }
    std::error_code ec;
    llvm::raw_fd_ostream out(path, ec, llvm::sys::fs::OF_None);
    TVM_CHECK(!ec, "OSError") << "cannot open '" << path << "' for writing: " << ec.message();
    llvm::LLVMContext context;
    WholeModule whole = Whole(&context);
    if (fmt == "ll") {
      whole.module->print(out, nullptr);
    } else if (fmt == "bc") {
      llvm::WriteBitcodeToFile(*whole.module, out);
    } else {
      out << EmitWhole(whole, fmt == "s" || fmt == "asm");
    }
  }

  String GetSource(const String& format) final {
    std::string fmt = format;
    if (fmt.empty() || fmt == "ll") {
      std::string text;
      llvm::raw_string_ostream os(text);
      llvm::LLVMContext context;
      Whole(&context).module->print(os, nullptr);
      return os.str();
    }
    if (fmt == "s" || fmt == "asm") {
      llvm::LLVMContext context;
      return EmitWhole(Whole(&context), true);
    }
    throw runtime::Error("ValueError", "LLVM module source formats are 'll' and 'asm', not '" + fmt + "'");
  }

  std::vector<std::string> ListFunctionNames() const final { return function_names_; }

 private:
  /*! \brief The whole module as one LLVM module: the only part, or the parts linked in `context`. */
  struct WholeModule {
    const llvm::Module* module;
    std::unique_ptr<llvm::Module> owned;
  };
  WholeModule Whole(llvm::LLVMContext* context) const {
    if (parts_.size() == 1) return {parts_[0].module.get(), nullptr};
    std::unique_ptr<llvm::Module> linked = LinkParts(parts_, context);
    const llvm::Module* raw = linked.get();
    return {raw, std::move(linked)};
  }

  std::string EmitWhole(const WholeModule& whole, bool assembly) const {
    if (parts_.size() == 1) return EmitPart(parts_[0], assembly);
    LLVMBuildResult linked;
    linked.target_info = parts_[0].target_info;
    linked.module = llvm::CloneModule(*whole.module);
    return EmitPart(linked, assembly);
  }

  static void WriteFile(const std::string& path, const std::string& data) {
    std::error_code ec;
    llvm::raw_fd_ostream out(path, ec, llvm::sys::fs::OF_None);
    TVM_CHECK(!ec, "OSError") << "cannot open '" << path << "' for writing: " << ec.message();
    out << data;
  }

  /*! \brief Every part's object code, compiled in parallel the first time it is asked for. */
  const std::vector<std::string>& Objects() {
    std::lock_guard<std::mutex> lock(objects_mutex_);
    if (objects_.empty()) {
      std::vector<std::string> objects(parts_.size());
      ParallelFor(parts_.size(), [&](size_t k) { objects[k] = EmitPart(parts_[k], false); });
      objects_ = std::move(objects);
    }
    return objects_;
  }

  /*!
   * \brief Refuse to run code this machine cannot execute: another architecture or OS (it
   *  would jump into foreign machine code), or CPU features the host lacks (an illegal
   *  instruction). Only instruction-set features that code generation uses on its own count.
   */
  void CheckRunsOnHost() const {
    const LLVMTargetInfo& info = parts_[0].target_info;
    llvm::Triple target(info.triple);
    llvm::Triple host(llvm::sys::getProcessTriple());
    bool same_os = target.getOS() == host.getOS() || target.getOS() == llvm::Triple::UnknownOS;
    TVM_CHECK(target.getArch() == host.getArch() && same_os, "RuntimeError")
        << "this module was compiled for '" << info.triple << "' and cannot run on this " << host.str()
        << " machine; use get_source(\"asm\"), save(\"x.o\") or export_library with a cross compiler instead";
    if (!target.isX86()) return;
    std::string err;
    const llvm::Target* llvm_target = llvm::TargetRegistry::lookupTarget(info.triple, err);
    if (llvm_target == nullptr) return;
    std::unique_ptr<llvm::MCSubtargetInfo> sti(
        llvm_target->createMCSubtargetInfo(info.triple, info.cpu.empty() ? "generic" : info.cpu, info.features));
    if (sti == nullptr) return;
    // sse4a (extrq, insertq) and the like are reached only through intrinsics: not counted, so
    // that -mcpu=znver4 code still runs on an Intel CPU with the same vector ISA.
    static const char* kUsedByCodegen[] = {"sse", "ssse3", "avx", "fma", "f16c", "amx", "bmi", "lzcnt",
                                           "popcnt", "movbe", "xop", "fma4", "cmov"};
    std::string missing;
    for (const auto& kv : llvm::sys::getHostCPUFeatures()) {
      if (kv.second) continue;
      std::string name = kv.first().str();
      bool relevant = false;
      for (const char* prefix : kUsedByCodegen) relevant = relevant || name.rfind(prefix, 0) == 0;
      relevant = relevant && name != "sse4a";
      if (relevant && sti->checkFeatures("+" + name)) missing += (missing.empty() ? "" : ", ") + name;
    }
    TVM_CHECK(missing.empty(), "RuntimeError")
        << "this module was compiled for -mcpu=" << (info.cpu.empty() ? "generic" : info.cpu)
        << (info.features.empty() ? "" : " -mattr=" + info.features) << ", which uses CPU features this machine "
        << "lacks (" << missing << "); running it would stop on an illegal instruction. Build it for "
        << "\"llvm -mcpu=native\" to run here";
  }

  /*! \brief Compile with the JIT on first use and fill in the runtime hooks. */
  void EnsureJIT() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (jit_) return;
    CheckRunsOnHost();
    const LLVMTargetInfo& info = parts_[0].target_info;
    llvm::orc::JITTargetMachineBuilder jtmb{llvm::Triple(info.triple)};
    jtmb.setCPU(info.cpu);
    if (!info.features.empty()) {
      std::vector<std::string> features;
      std::string f = info.features;
      size_t start = 0;
      while (start < f.size()) {
        size_t comma = f.find(',', start);
        features.push_back(f.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
      jtmb.addFeatures(features);
    }
    jtmb.setCodeGenOptLevel(llvm::CodeGenOptLevel::Aggressive);
    auto jit = llvm::orc::LLJITBuilder().setJITTargetMachineBuilder(std::move(jtmb)).create();
    if (!jit) {
      throw runtime::Error("InternalError", "cannot start the LLVM JIT: " + llvm::toString(jit.takeError()));
    }
    jit_ = std::move(*jit);
    // Materialization errors (such as "Symbols not found: [foo]") arrive here, not at the lookup.
    jit_->getExecutionSession().setErrorReporter([this](llvm::Error err) {
      std::lock_guard<std::mutex> guard(errors_mutex_);
      if (!jit_errors_.empty()) jit_errors_ += "; ";
      jit_errors_ += llvm::toString(std::move(err));
    });
    auto generator =
        llvm::orc::DynamicLibrarySearchGenerator::GetForCurrentProcess(jit_->getDataLayout().getGlobalPrefix());
    if (generator) jit_->getMainJITDylib().addGenerator(std::move(*generator));
    // The JIT links the parts' object files (compiled in parallel, the same ones export_library
    // writes); the weak hook variables they each define resolve to one definition.
    const std::vector<std::string>& objects = Objects();
    for (size_t k = 0; k < objects.size(); ++k) {
      auto buffer = llvm::MemoryBuffer::getMemBufferCopy(objects[k], "tvm_module_part" + std::to_string(k));
      llvm::Error err = jit_->addObjectFile(std::move(buffer));
      if (err) throw runtime::Error("InternalError", "the JIT rejected the module: " + llvm::toString(std::move(err)));
    }
    runtime::InitBackendHooks([this](const char* name) { return HookSlot(name); }, this);
  }

  std::string TakeJITErrors() {
    std::lock_guard<std::mutex> guard(errors_mutex_);
    std::string out;
    out.swap(jit_errors_);
    return out;
  }

  /*! \brief The address of a hook variable in the JIT-compiled code, or nullptr. */
  void** HookSlot(const char* name) {
    bool defined = false;
    for (const LLVMBuildResult& part : parts_) defined = defined || part.module->getGlobalVariable(name) != nullptr;
    if (!defined) return nullptr;
    auto addr = jit_->lookup(name);
    if (!addr) {
      llvm::consumeError(addr.takeError());
      return nullptr;
    }
    return addr->toPtr<void**>();
  }

  std::vector<LLVMBuildResult> parts_;
  /*! \brief The packed functions of all parts, sorted. */
  std::vector<std::string> function_names_;
  std::string entry_name_;
  std::mutex objects_mutex_;
  std::vector<std::string> objects_;
  // Declared before jit_ so that they outlive it: the JIT's error reporter writes here.
  std::mutex errors_mutex_;
  std::string jit_errors_;
  std::unique_ptr<llvm::orc::LLJIT> jit_;
  std::mutex mutex_;
};

TVM_REGISTER_GLOBAL("target.build.llvm").set_body_typed([](IRModule mod, Target target) {
  auto n = make_object<LLVMModuleNode>(BuildLLVMModuleParts(mod, target));
  return runtime::Module(ObjectPtr<Object>(std::move(n)));
});

}  // namespace codegen
}  // namespace tvm
