/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// See llvm_parallel_build.h: a module of independent kernels is code-generated,
// optimised and compiled in parts, one LLVMContext per part, on all cores.
#include "llvm_parallel_build.h"

#include <llvm/Bitcode/BitcodeReader.h>
#include <llvm/Bitcode/BitcodeWriter.h>
#include <llvm/IR/LegacyPassManager.h>
#include <llvm/Linker/Linker.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Transforms/Utils/Cloning.h>
#include <tvm/tir/function.h>
#include <tvm/tir/stmt_functor.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <exception>
#include <thread>
#include <tuple>

namespace tvm {
namespace codegen {

size_t BuildThreads() {
  if (const char* env = std::getenv("TVM_BUILD_THREADS")) {
    long n = std::strtol(env, nullptr, 10);
    if (n > 0) return static_cast<size_t>(n);
  }
  return std::max(1u, std::thread::hardware_concurrency());
}

void ParallelFor(size_t n, const std::function<void(size_t)>& body) {
  std::vector<std::exception_ptr> errors(n);
  std::atomic<size_t> next{0};
  auto work = [&]() {
    for (size_t i = next++; i < n; i = next++) {
      try {
        body(i);
      } catch (...) {
        errors[i] = std::current_exception();
      }
    }
  };
  size_t threads = std::min(n, BuildThreads());
  std::vector<std::thread> pool;
  for (size_t t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();
  for (const std::exception_ptr& e : errors) {
    if (e) std::rethrow_exception(e);
  }
}

namespace {

/*!
 * \brief Whether the functions can live in separate LLVM modules: all packed functions,
 *  none the module's entry, none calling another function of the module directly.
 */
bool IndependentKernels(const IRModule& mod) {
  for (const auto& kv : mod->functions) {
    const auto* f = kv.second.as<tir::PrimFuncNode>();
    if (f == nullptr) return false;
    if (f->GetAttr<Integer>(tir::attr::kCallingConv).value_or(Integer(1)).IntValue() != 1) return false;
    if (f->GetAttr<Integer>(tir::attr::kIsEntryFunc).value_or(Integer(0)).IntValue() != 0) return false;
    bool calls_function = false;
    tir::PostOrderVisit(f->body, [&calls_function](const ObjectRef& node) {
      if (const auto* call = node.as<tir::CallNode>()) calls_function |= call->op.as<GlobalVarNode>() != nullptr;
    });
    if (calls_function) return false;
  }
  return true;
}

}  // namespace

std::vector<LLVMBuildResult> BuildLLVMModuleParts(const IRModule& mod, const Target& target) {
  size_t count = mod->functions.size();
  std::vector<LLVMBuildResult> parts;
  if (count < 2 || !IndependentKernels(mod)) {
    parts.push_back(BuildLLVMModule(mod, target));
    return parts;
  }
  std::vector<std::pair<std::string, GlobalVar>> names;
  for (const auto& kv : mod->functions) {
    const auto* f = kv.second.as<tir::PrimFuncNode>();
    names.emplace_back(f->GetAttr<String>(tvm::attr::kGlobalSymbol).value_or(kv.first->name_hint), kv.first);
  }
  std::sort(names.begin(), names.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  size_t num_parts = std::min(count, kMaxParts);
  std::vector<Map<GlobalVar, BaseFunc>> funcs(num_parts);
  for (size_t i = 0; i < names.size(); ++i) funcs[i % num_parts].Set(names[i].second, mod->Lookup(names[i].second));
  std::vector<IRModule> sub;
  for (size_t k = 0; k < num_parts; ++k) sub.emplace_back(funcs[k], mod->attrs);
  parts.resize(num_parts);
  ParallelFor(num_parts, [&](size_t k) { parts[k] = BuildLLVMModule(sub[k], target, /*implicit_entry=*/false); });
  return parts;
}

std::string EmitPart(const LLVMBuildResult& part, bool assembly) {
  std::unique_ptr<llvm::TargetMachine> tm = part.target_info.CreateTargetMachine();
  // Code emission mutates the module; work on a copy so the JIT and IR dumps stay intact.
  std::unique_ptr<llvm::Module> copy = llvm::CloneModule(*part.module);
  llvm::SmallVector<char, 0> buffer;
  llvm::raw_svector_ostream os(buffer);
  llvm::legacy::PassManager pm;
  auto type = assembly ? llvm::CodeGenFileType::AssemblyFile : llvm::CodeGenFileType::ObjectFile;
  TVM_CHECK(!tm->addPassesToEmitFile(pm, os, nullptr, type), "InternalError")
      << "LLVM cannot emit this file type for " << part.target_info.triple;
  pm.run(*copy);
  return std::string(buffer.begin(), buffer.end());
}

std::unique_ptr<llvm::Module> LinkParts(const std::vector<LLVMBuildResult>& parts, llvm::LLVMContext* context) {
  std::unique_ptr<llvm::Module> linked;
  for (const LLVMBuildResult& part : parts) {
    // Modules of different contexts do not mix: each travels as bitcode.
    std::string bits;
    llvm::raw_string_ostream os(bits);
    llvm::WriteBitcodeToFile(*part.module, os);
    os.flush();
    auto buffer = llvm::MemoryBuffer::getMemBuffer(bits, "tvm_module_part", false);
    auto parsed = llvm::parseBitcodeFile(buffer->getMemBufferRef(), *context);
    TVM_CHECK(static_cast<bool>(parsed), "InternalError") << "cannot read back a part of the LLVM module";
    if (!linked) {
      linked = std::move(*parsed);
      continue;
    }
    TVM_CHECK(!llvm::Linker::linkModules(*linked, std::move(*parsed)), "InternalError")
        << "cannot link the parts of the LLVM module";
  }
  // Definitions in the order of their names, as a module built in one part has them.
  std::vector<llvm::Function*> defined;
  for (llvm::Function& fn : *linked) {
    if (!fn.isDeclaration()) defined.push_back(&fn);
  }
  std::stable_sort(defined.begin(), defined.end(),
                   [](llvm::Function* a, llvm::Function* b) { return a->getName() < b->getName(); });
  for (llvm::Function* fn : defined) {
    fn->removeFromParent();
    linked->getFunctionList().push_back(fn);
  }
  return linked;
}

}  // namespace codegen
}  // namespace tvm
