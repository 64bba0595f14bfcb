/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Building a module of many independent kernels (relay.build's) on all cores.
//
// The PrimFuncs are dealt, in the order of their names, round robin into at most
// kMaxParts parts; each part is generated and optimised in its own LLVMContext on
// a thread of its own, and later compiled to its own object file the same way.
// The split depends on the module only, never on the thread count, so the object
// files (and an exported library) are the same bytes on every build and machine.
//
//   IRModule {f0 .. fn}  ->  part k = {f_i : i mod P == k}   (P = min(n, kMaxParts))
//                        ->  BuildLLVMModule(part k) on a worker thread
//                        ->  (on first run / export) object file of part k, also in parallel
#ifndef TVM_SRC_TARGET_LLVM_LLVM_PARALLEL_BUILD_H_
#define TVM_SRC_TARGET_LLVM_LLVM_PARALLEL_BUILD_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "codegen_llvm.h"

namespace tvm {
namespace codegen {

/*! \brief The most parts a module is split into (more would only add object files). */
constexpr size_t kMaxParts = 32;

/*!
 * \brief Threads the LLVM work runs on: TVM_BUILD_THREADS when set to a positive number,
 *  else every hardware thread.
 */
size_t BuildThreads();

/*!
 * \brief Run body(0) .. body(n - 1) on up to BuildThreads() threads (the caller's among them).
 *  When several calls throw, the one with the lowest index is rethrown, so the error a user
 *  sees does not depend on thread timing.
 */
void ParallelFor(size_t n, const std::function<void(size_t)>& body);

/*!
 * \brief Generate and optimise `mod` as independent parts, in parallel. A module that is not
 *  a set of independent packed functions (an entry function, subroutines, calls between
 *  functions) or has a single function is built as one part, exactly as BuildLLVMModule does.
 * \throws Error naming the function that failed (the first by name order when several do).
 */
std::vector<LLVMBuildResult> BuildLLVMModuleParts(const IRModule& mod, const Target& target);

/*! \brief Object code (or assembly) of one part, with the target's code generation options. */
std::string EmitPart(const LLVMBuildResult& part, bool assembly);

/*!
 * \brief All parts linked into one module in `context` (for IR text, bitcode, and a single
 *  object file), definitions in the order of their names.
 */
std::unique_ptr<llvm::Module> LinkParts(const std::vector<LLVMBuildResult>& parts, llvm::LLVMContext* context);

}  // namespace codegen
}  // namespace tvm
#endif  // TVM_SRC_TARGET_LLVM_LLVM_PARALLEL_BUILD_H_
