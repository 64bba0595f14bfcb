/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/runtime/vm/executable.h
 * \brief What relay.vm.compile produces and the VM runs: the bytecode of every
 *  function, the constant pool, the names of the primitive kernels, and the
 *  kernel library (imported as the module's first import).
 *
 * Serialised form (Save / Load, also SaveToBinary for export_library):
 *   uint64 magic, uint64 version,
 *   constants: uint64 n, each a uint8 kind then an array (SaveDLTensor) or, for a
 *     late-bound constant, its name,
 *   primitive names: uint64 n, n strings,
 *   functions: uint64 n, each: name, params (strings), uint64 register count,
 *     uint64 instruction count, instructions (opcode, dst, a, b, c, d, dtype, args).
 * Load checks every count against the bytes left and every register, function,
 * constant, kernel and jump index against its range, so a truncated or
 * corrupted string is a ValueError, never a crash at run time.
 */
#ifndef TVM_RUNTIME_VM_EXECUTABLE_H_
#define TVM_RUNTIME_VM_EXECUTABLE_H_

#include <tvm/runtime/module.h>
#include <tvm/runtime/ndarray.h>
#include <tvm/runtime/vm/bytecode.h>

#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace tvm {
namespace runtime {
namespace vm {

struct VMFunction {
  std::string name;
  /*! \brief Parameter names; parameter i lives in register i. */
  std::vector<std::string> params;
  std::vector<Instruction> instructions;
  Index register_file_size{0};
};

class TVM_DLL Executable : public ModuleNode {
 public:
  const char* type_key() const final { return "VMExecutable"; }
  int GetPropertyMask() const final { return ModulePropertyMask::kBinarySerializable; }
  PackedFunc GetFunction(const String& name, const ObjectPtr<Object>& sptr_to_self) final;
  void SaveToBinary(std::string* out) final;

  /*! \brief The bytecode and constants as bytes (the kernels stay in the library). */
  std::string Save() const;
  /*! \brief An executable from Save's bytes, with `lib` (may be undefined) as its kernels. */
  static Module Load(const std::string& code, Module lib);
  /*! \brief Check every index an instruction holds; throws ValueError naming the function and pc. */
  void Verify() const;

  /*! \brief The kernel library: the first import, or undefined when there are no kernels. */
  Module GetLib() const { return imports_.empty() ? Module() : imports_[0]; }
  /*! \brief Index of global function `name`, or -1. */
  Index FunctionIndex(const std::string& name) const;
  /*! \brief The listing of every function's instructions. */
  std::string GetBytecode() const;
  /*! \brief Counts of functions, constants, kernels and instructions. */
  std::string Stats() const;

  std::vector<VMFunction> functions;
  /*! \brief The constant pool; a late-bound constant is undefined until loaded. */
  std::vector<NDArray> constants;
  /*! \brief Per constant, its name when it is late-bound (kept outside the bytecode), else empty. */
  std::vector<std::string> late_bound_names;
  std::vector<std::string> primitive_names;

  /*!
   * \brief Take the constants of at least `byte_limit` bytes out of the executable
   *  (they become late-bound, named const_<index>) and return them.
   */
  std::vector<std::pair<std::string, NDArray>> MoveLateBoundConstants(size_t byte_limit);
  /*! \brief Put late-bound constants back by name; every late-bound one must be given. */
  void LoadLateBoundConstants(const std::vector<std::pair<std::string, NDArray>>& consts);
};

}  // namespace vm
}  // namespace runtime
}  // namespace tvm
#endif  // TVM_RUNTIME_VM_EXECUTABLE_H_
