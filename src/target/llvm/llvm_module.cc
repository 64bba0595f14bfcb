/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// LLVMModule: a compiled LLVM module that runs at once (ORC LLJIT) or is
// written out as an object file, LLVM IR, bitcode or assembly.
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

#include <mutex>

#include "codegen_llvm.h"

namespace tvm {
namespace codegen {

class LLVMModuleNode final : public runtime::ModuleNode {
 public:
  explicit LLVMModuleNode(LLVMBuildResult result) : result_(std::move(result)) {}

  const char* type_key() const final { return "llvm"; }
  // Runs through the JIT; export_library links its object file.
  int GetPropertyMask() const final {
    return runtime::ModulePropertyMask::kRunnable | runtime::ModulePropertyMask::kDSOExportable;
  }

  PackedFunc GetFunction(const String& name, const ObjectPtr<Object>& sptr_to_self) final {
    if (name == "__tvm_is_system_module") return PackedFunc();
    if (name == "_get_target_triple") {
      std::string triple = result_.target_info.triple;
      return PackedFunc([triple](TVMArgs, TVMRetValue* rv) { *rv = triple; });
    }
    if (name == "get_func_names") {
      std::vector<std::string> names = result_.function_names;
      return PackedFunc([names](TVMArgs, TVMRetValue* rv) {
        Array<String> out;
        for (const auto& n : names) out.push_back(n);
        *rv = out;
      });
    }
    std::string symbol = name == runtime::symbol::tvm_module_main ? result_.entry_name : name.str();
    bool known = false;
    for (const auto& n : result_.function_names) known = known || n == symbol;
    if (!known) return PackedFunc();
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
    std::error_code ec;
    llvm::raw_fd_ostream out(path, ec, llvm::sys::fs::OF_None);
    TVM_CHECK(!ec, "OSError") << "cannot open '" << path << "' for writing: " << ec.message();
    if (fmt == "ll") {
      result_.module->print(out, nullptr);
    } else if (fmt == "bc") {
      llvm::WriteBitcodeToFile(*result_.module, out);
    } else if (fmt == "o" || fmt == "obj" || fmt == "s" || fmt == "asm") {
      out << EmitCode(fmt == "s" || fmt == "asm" ? llvm::CodeGenFileType::AssemblyFile
                                                  : llvm::CodeGenFileType::ObjectFile);
    } else {
      throw runtime::Error("ValueError", "LLVM modules save as .o, .ll, .bc or .s, not '" + fmt + "'");
    }
  }

  String GetSource(const String& format) final {
    std::string fmt = format;
    if (fmt.empty() || fmt == "ll") {
      std::string text;
      llvm::raw_string_ostream os(text);
      result_.module->print(os, nullptr);
      return os.str();
    }
    if (fmt == "s" || fmt == "asm") return EmitCode(llvm::CodeGenFileType::AssemblyFile);
    throw runtime::Error("ValueError", "LLVM module source formats are 'll' and 'asm', not '" + fmt + "'");
  }

  std::vector<std::string> ListFunctionNames() const final { return result_.function_names; }

 private:
  std::string EmitCode(llvm::CodeGenFileType type) {
    std::unique_ptr<llvm::TargetMachine> tm = result_.target_info.CreateTargetMachine();
    // Code emission mutates the module; work on a copy so the JIT and IR dumps stay intact.
    std::unique_ptr<llvm::Module> copy = llvm::CloneModule(*result_.module);
    llvm::SmallVector<char, 0> buffer;
    llvm::raw_svector_ostream os(buffer);
    llvm::legacy::PassManager pm;
    TVM_CHECK(!tm->addPassesToEmitFile(pm, os, nullptr, type), "InternalError")
        << "LLVM cannot emit this file type for " << result_.target_info.triple;
    pm.run(*copy);
    return std::string(buffer.begin(), buffer.end());
  }

  /*!
   * \brief Refuse to run code this machine cannot execute: another architecture or OS (it
   *  would jump into foreign machine code), or CPU features the host lacks (an illegal
   *  instruction). Only instruction-set features that code generation uses on its own count.
   */
  void CheckRunsOnHost() const {
    const LLVMTargetInfo& info = result_.target_info;
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
    llvm::orc::JITTargetMachineBuilder jtmb{llvm::Triple(result_.target_info.triple)};
    jtmb.setCPU(result_.target_info.cpu);
    if (!result_.target_info.features.empty()) {
      std::vector<std::string> features;
      std::string f = result_.target_info.features;
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
    // The JIT owns a copy; this module keeps the original for saving and printing.
    auto context = std::make_unique<llvm::LLVMContext>();
    std::string ir;
    llvm::raw_string_ostream os(ir);
    llvm::WriteBitcodeToFile(*result_.module, os);
    os.flush();
    auto buffer = llvm::MemoryBuffer::getMemBuffer(ir, "tvm_module", false);
    auto parsed = llvm::parseBitcodeFile(buffer->getMemBufferRef(), *context);
    if (!parsed) throw runtime::Error("InternalError", "cannot copy the LLVM module for the JIT");
    llvm::Error err = jit_->addIRModule(llvm::orc::ThreadSafeModule(std::move(*parsed), std::move(context)));
    if (err) throw runtime::Error("InternalError", "the JIT rejected the module: " + llvm::toString(std::move(err)));
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
    if (result_.module->getGlobalVariable(name) == nullptr) return nullptr;
    auto addr = jit_->lookup(name);
    if (!addr) {
      llvm::consumeError(addr.takeError());
      return nullptr;
    }
    return addr->toPtr<void**>();
  }

  LLVMBuildResult result_;
  // Declared before jit_ so that they outlive it: the JIT's error reporter writes here.
  std::mutex errors_mutex_;
  std::string jit_errors_;
  std::unique_ptr<llvm::orc::LLJIT> jit_;
  std::mutex mutex_;
};

TVM_REGISTER_GLOBAL("target.build.llvm").set_body_typed([](IRModule mod, Target target) {
  auto n = make_object<LLVMModuleNode>(BuildLLVMModule(mod, target));
  return runtime::Module(ObjectPtr<Object>(std::move(n)));
});

}  // namespace codegen
}  // namespace tvm
