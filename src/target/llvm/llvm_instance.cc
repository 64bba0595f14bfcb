/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
#include "llvm_instance.h"

#include <llvm/MC/MCSubtargetInfo.h>
#include <llvm/MC/TargetRegistry.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/TargetParser/Host.h>
#include <llvm/TargetParser/Triple.h>

#include <mutex>

namespace tvm {
namespace codegen {

void InitializeLLVM() {
  static std::once_flag once;
  std::call_once(once, [] {
    llvm::InitializeAllTargetInfos();
    llvm::InitializeAllTargets();
    llvm::InitializeAllTargetMCs();
    llvm::InitializeAllAsmParsers();
    llvm::InitializeAllAsmPrinters();
  });
}

LLVMTargetInfo LLVMTargetInfo::FromTarget(const Target& target) {
  InitializeLLVM();
  LLVMTargetInfo info;
  info.triple = target->GetAttr<String>("mtriple").value_or(String(llvm::sys::getDefaultTargetTriple()));
  info.cpu = target->GetAttr<String>("mcpu").value_or(String(""));
  std::string features;
  for (const String& f : target->GetFeatures()) {
    features += (features.empty() ? "" : ",") + f.str();
  }
  info.features = features;
  if (auto level = target->GetAttr<Integer>("opt-level")) info.opt_level = static_cast<int>(level->IntValue());
  if (auto fast = target->GetAttr<Integer>("fast-math")) info.fast_math = fast->IntValue() != 0;
  if (auto cores = target->GetAttr<Integer>("num-cores")) info.num_cores = static_cast<int>(cores->IntValue());
  std::string err;
  const llvm::Target* llvm_target = llvm::TargetRegistry::lookupTarget(info.triple, err);
  TVM_CHECK(llvm_target != nullptr, "ValueError")
      << "LLVM does not support target triple '" << info.triple << "': " << err;
  if (!info.cpu.empty()) {
    std::unique_ptr<llvm::MCSubtargetInfo> sti(
        llvm_target->createMCSubtargetInfo(info.triple, "", ""));
    TVM_CHECK(sti == nullptr || sti->isCPUStringValid(info.cpu), "ValueError")
        << "LLVM " << LLVM_VERSION_MAJOR << " does not know the CPU '-mcpu=" << info.cpu << "' for triple "
        << info.triple;
  }
  return info;
}

std::unique_ptr<llvm::TargetMachine> LLVMTargetInfo::CreateTargetMachine() const {
  std::string err;
  const llvm::Target* llvm_target = llvm::TargetRegistry::lookupTarget(triple, err);
  TVM_CHECK(llvm_target != nullptr, "ValueError") << "LLVM does not support target triple '" << triple << "': " << err;
  llvm::TargetOptions options;
  if (fast_math) {
    options.UnsafeFPMath = true;
    options.NoInfsFPMath = true;
    options.NoNaNsFPMath = true;
    options.NoSignedZerosFPMath = true;
  }
  llvm::CodeGenOptLevel level = opt_level >= 3   ? llvm::CodeGenOptLevel::Aggressive
                                : opt_level == 2 ? llvm::CodeGenOptLevel::Default
                                : opt_level == 1 ? llvm::CodeGenOptLevel::Less
                                                 : llvm::CodeGenOptLevel::None;
  llvm::TargetMachine* tm = llvm_target->createTargetMachine(triple, cpu, features, options, llvm::Reloc::PIC_,
                                                             std::nullopt, level);
  TVM_CHECK(tm != nullptr, "ValueError") << "LLVM could not create a target machine for " << triple << " -mcpu=" << cpu;
  return std::unique_ptr<llvm::TargetMachine>(tm);
}

}  // namespace codegen
}  // namespace tvm
