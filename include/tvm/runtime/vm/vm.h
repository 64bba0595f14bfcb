/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/runtime/vm/vm.h
 * \brief The Relay virtual machine: runs an Executable's bytecode on one device.
 *
 * Calls between VM functions push frames on a heap stack (a loop written as
 * recursion runs in constant C++ stack). Kernels are looked up in the
 * executable's library once, at Init. Packed functions (TVM v0.14's names):
 * init(device_type, device_id[, alloc_type]), set_input(func, args...),
 * set_one_input(func, index or name, arg), invoke(func), invoke_stateful(func),
 * get_output(i), get_num_outputs(), get_input_index(name, func),
 * get_function_arity(func), get_function_param_name(func, i).
 */
#ifndef TVM_RUNTIME_VM_VM_H_
#define TVM_RUNTIME_VM_VM_H_

#include <tvm/runtime/module.h>
#include <tvm/runtime/ndarray.h>
#include <tvm/runtime/packed_func.h>
#include <tvm/runtime/vm/executable.h>

#include <string>
#include <unordered_map>
#include <vector>

namespace tvm {
namespace runtime {
namespace vm {

/*! \brief A function value: a VM function and the values it captured (its first parameters). */
class VMClosureObj : public Object {
 public:
  Index func_index{0};
  std::vector<ObjectRef> free_vars;

  static constexpr const char* _type_key = "vm.Closure";
  static constexpr bool _type_final = true;
  using _type_parent = Object;
};

/*!
 * \brief Memory that AllocStorage reserved and AllocTensorReg carves tensors
 *  from: `buffer` (a pooled byte array) holds at least `size` bytes.
 */
class VMStorageObj : public Object {
 public:
  NDArray buffer;
  size_t size{0};

  static constexpr const char* _type_key = "vm.Storage";
  static constexpr bool _type_final = true;
  using _type_parent = Object;
};

class TVM_DLL VirtualMachine : public ModuleNode {
 public:
  const char* type_key() const final { return "VirtualMachine"; }
  PackedFunc GetFunction(const String& name, const ObjectPtr<Object>& sptr_to_self) final;

  /*! \brief Run on `device`: copy the constants there and find the kernels. */
  void Init(Module exec, DLDevice device);
  /*! \brief Call function `func_index` with `args` and run until it returns. */
  ObjectRef Invoke(Index func_index, const std::vector<ObjectRef>& args);
  /*!
   * \brief Reuse arrays no longer referenced (kernel outputs are allocated anew on
   *  every call otherwise). On by default; init's alloc_type 1 ("naive") turns it off.
   */
  void SetPooled(bool pooled) { pooled_ = pooled; pool_.clear(); }
  /*! \brief Check and store the arguments of function `name` (arrays are copied to the device). */
  void SetInput(const std::string& name, TVMArgs args, int offset);

 private:
  struct Frame {
    Index func_index;
    Index pc;
    std::vector<ObjectRef> registers;
    RegName caller_dst;
  };
  Index CheckedFunction(const std::string& name) const;
  ObjectRef ToDevice(const ObjectRef& value, const std::string& what) const;
  void PushFrame(Index func_index, std::vector<ObjectRef> args, RegName caller_dst);
  ObjectRef RunLoop();
  void InvokePacked(const Instruction& instr, const std::vector<ObjectRef>& regs);
  NDArray AllocTensor(const Instruction& instr);
  /*! \brief An array of `nbytes` bytes (`shape`, `dtype`) from the pool: a view of a free pooled one. */
  NDArray PooledArray(size_t nbytes, ShapeTuple shape, DLDataType dtype);
  ObjectRef AllocStorage(const Instruction& instr, const std::vector<ObjectRef>& regs);
  NDArray AllocTensorReg(const Instruction& instr, const std::vector<ObjectRef>& regs);
  NDArray ReshapeTensor(const Instruction& instr, const std::vector<ObjectRef>& regs);
  /*! \brief The integers of a 0-d or 1-d integer tensor in register `r` (a shape or a size). */
  std::vector<int64_t> ReadIntegers(const std::vector<ObjectRef>& regs, RegName r, const char* what);
  void ComputeLastReads();
  [[noreturn]] void Fail(const std::string& kind, const std::string& message) const;

  Executable* exec_{nullptr};
  Module exec_module_;
  DLDevice device_{kDLCPU, 0};
  bool initialised_{false};
  std::vector<NDArray> constants_;
  std::vector<PackedFunc> packed_;
  std::unordered_map<std::string, std::vector<ObjectRef>> inputs_;
  std::vector<Frame> frames_;
  ObjectRef last_result_;
  bool pooled_{true};
  /*!
   * \brief Per function and pc, the registers read there for the last time: they are
   *  cleared after it, so a call's dead arrays go back to the pool while it runs. Only
   *  for functions whose jumps all go forward (what the compiler emits; loops are calls).
   */
  std::vector<std::vector<std::vector<RegName>>> last_reads_;
  /*! \brief Arrays by byte size; one only the pool references is free for reuse. */
  std::unordered_map<size_t, std::vector<NDArray>> pool_;
};

}  // namespace vm
}  // namespace runtime
}  // namespace tvm
#endif  // TVM_RUNTIME_VM_VM_H_
