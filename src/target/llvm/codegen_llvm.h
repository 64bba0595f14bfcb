/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// CodeGenLLVM: lowered PrimFuncs (after MakePackedAPI and LowerTVMBuiltin)
// to one LLVM module for a CPU target.
#ifndef TVM_SRC_TARGET_LLVM_CODEGEN_LLVM_H_
#define TVM_SRC_TARGET_LLVM_CODEGEN_LLVM_H_

#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <tvm/ir/module.h>
#include <tvm/target/target.h>

#include <memory>
#include <string>
#include <vector>

#include "llvm_instance.h"

namespace tvm {
namespace codegen {

/*! \brief The result of code generation: an LLVM module and what it exports. */
struct LLVMBuildResult {
  std::unique_ptr<llvm::LLVMContext> context;
  std::unique_ptr<llvm::Module> module;
  LLVMTargetInfo target_info;
  /*! \brief Exported packed functions. */
  std::vector<std::string> function_names;
  /*! \brief The entry function (the module's main), if any. */
  std::string entry_name;
};

/*!
 * \brief Generate and optimise an LLVM module for every PrimFunc of `mod`.
 * \param implicit_entry A module of one packed function makes it the entry (`__tvm_main__`);
 *  false for one part of a larger module (llvm_parallel_build.h), whose entry is not its own.
 * \throws Error naming the function and the IR construct it cannot compile.
 */
LLVMBuildResult BuildLLVMModule(const IRModule& mod, const Target& target, bool implicit_entry = true);

/*! \brief Run LLVM's -O3 (or the target's opt-level) pipeline over the module. */
void OptimizeModule(llvm::Module* module, llvm::TargetMachine* tm, int opt_level);

}  // namespace codegen
}  // namespace tvm
#endif  // TVM_SRC_TARGET_LLVM_CODEGEN_LLVM_H_
