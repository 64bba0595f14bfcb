/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// LLVM set-up shared by the LLVM code generator and module: one-time
// initialisation, and a TargetMachine built from a tvm Target.
#ifndef TVM_SRC_TARGET_LLVM_LLVM_INSTANCE_H_
#define TVM_SRC_TARGET_LLVM_LLVM_INSTANCE_H_

#include <llvm/Target/TargetMachine.h>
#include <tvm/target/target.h>

#include <memory>
#include <string>
#include <vector>

namespace tvm {
namespace codegen {

/*! \brief What LLVM needs to know about a tvm Target. */
struct LLVMTargetInfo {
  std::string triple;
  std::string cpu;
  /*! \brief "+avx2,+fma,..." */
  std::string features;
  int opt_level{3};
  bool fast_math{false};
  int num_cores{0};

  /*!
   * \brief Read the llvm target's attributes (-mtriple, -mcpu, -mattr, -opt-level, -fast-math).
   * \throws Error (ValueError) naming the triple or CPU when LLVM does not know it.
   */
  static LLVMTargetInfo FromTarget(const Target& target);
  /*! \brief A target machine for code generation (position-independent code). */
  std::unique_ptr<llvm::TargetMachine> CreateTargetMachine() const;
};

/*! \brief Initialise LLVM's targets once per process. */
void InitializeLLVM();

}  // namespace codegen
}  // namespace tvm
#endif  // TVM_SRC_TARGET_LLVM_LLVM_INSTANCE_H_
