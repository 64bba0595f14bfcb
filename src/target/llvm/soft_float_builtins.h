/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Conversions between float32/float64 and float16/bfloat16 that LLVM calls
// as library functions (__extendhfsf2, __truncsfhf2, __truncsfbf2, ...) on
// CPUs without hardware for them (x86-64 without F16C or AVX512-BF16).
//
// Neither the JIT's process nor a library loaded with only libtvm_runtime.so
// is guaranteed to provide them (GCC 12's libgcc has no __truncsfbf2), so
// every module that uses 16-bit floats carries its own copies: weak, hidden
// definitions written in integer LLVM IR (round to nearest even, subnormals,
// infinities and quiet NaNs as IEEE 754 says). Instruction selection
// resolves its libcalls to them; several objects of one library share one.
#ifndef TVM_SRC_TARGET_LLVM_SOFT_FLOAT_BUILTINS_H_
#define TVM_SRC_TARGET_LLVM_SOFT_FLOAT_BUILTINS_H_

#include <llvm/IR/Module.h>

namespace tvm {
namespace codegen {

/*! \brief Define the 16-bit float conversion builtins in `module` (those it does not define yet). */
void AddSoftFloatBuiltins(llvm::Module* module);

}  // namespace codegen
}  // namespace tvm
#endif  // TVM_SRC_TARGET_LLVM_SOFT_FLOAT_BUILTINS_H_
