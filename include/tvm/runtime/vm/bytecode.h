/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/runtime/vm/bytecode.h
 * \brief The Relay VM's instruction set (TVM v0.14's opcodes and numbering).
 *
 * A VM function is a list of instructions over a register file; each register
 * holds an object (an NDArray, an ADT, a closure). One instruction struct with
 * named operands serves every opcode; which operands an opcode reads:
 *
 *   Move          dst <- reg(from)
 *   Ret           return reg(result)
 *   Invoke        dst <- functions[func_index](args...)
 *   InvokeClosure dst <- reg(closure)(args...)          captured values first
 *   InvokePacked  primitive[packed_index](args...); the last output_size args are outputs
 *   AllocTensor   dst <- empty tensor of `shape` and `dtype`
 *   AllocTensorReg dst <- tensor of `dtype` in reg(storage) at byte `offset`, its shape
 *                 read from reg(shape_register) (a 1-D integer tensor; dynamic shapes)
 *   AllocADT      dst <- ADT(tag, args...)
 *   AllocClosure  dst <- closure(func_index, captured args...)
 *   GetField      dst <- reg(object).fields[field_index]
 *   If            pc += (reg(test) == reg(target)) ? true_offset : false_offset
 *   LoadConst     dst <- constants[const_index]
 *   Goto          pc += pc_offset
 *   GetTag        dst <- reg(object).tag  (an int32 scalar)
 *   LoadConsti    dst <- value            (an int64 scalar)
 *   Fatal         raise (a match with no clause for its value)
 *   AllocStorage  dst <- storage of reg(allocation_size) bytes (a 0-d integer tensor),
 *                 aligned to `alignment`; a 1-D size register is a shape instead, the
 *                 storage then holds that many elements of `dtype` (the dtype hint)
 *   ShapeOf       dst <- reg(tensor)'s shape (a 1-D int64 tensor on the CPU)
 *   ReshapeTensor dst <- reg(tensor) seen with a new shape (a view: no copy): the
 *                 instruction's `shape`, or reg(newshape) when newshape >= 0
 *   KillRegister  dst <- nothing (drops the register's reference)
 */
#ifndef TVM_RUNTIME_VM_BYTECODE_H_
#define TVM_RUNTIME_VM_BYTECODE_H_

#include <tvm/runtime/data_type.h>

#include <cstdint>
#include <iosfwd>
#include <vector>

namespace tvm {
namespace runtime {
namespace vm {

using Index = int64_t;
using RegName = int64_t;

enum class Opcode : int32_t {
  Move = 0,
  Ret = 1,
  Invoke = 2,
  InvokeClosure = 3,
  InvokePacked = 4,
  AllocTensor = 5,
  AllocTensorReg = 6,
  AllocADT = 7,
  AllocClosure = 8,
  GetField = 9,
  If = 10,
  LoadConst = 11,
  Goto = 12,
  GetTag = 13,
  LoadConsti = 14,
  Fatal = 15,
  AllocStorage = 16,
  ShapeOf = 17,
  ReshapeTensor = 18,
  KillRegister = 20,
};

/*! \brief The opcode's name ("InvokePacked"), or nullptr for a number that is no opcode. */
TVM_DLL const char* OpcodeName(Opcode op);

struct TVM_DLL Instruction {
  Opcode op{Opcode::Fatal};
  /*! \brief The register written (-1 for none). */
  RegName dst{-1};
  /*!
   * \brief The scalar operands; by opcode: Move from; Ret result; Invoke and
   *  AllocClosure func_index; InvokeClosure closure; InvokePacked packed_index,
   *  output_size; AllocADT tag; GetField object, field_index; If test, target,
   *  true_offset, false_offset; LoadConst const_index; Goto pc_offset; GetTag
   *  object; LoadConsti value; ReshapeTensor tensor, newshape (-1: the shape
   *  is in args); AllocTensorReg storage, offset, shape_register; AllocStorage
   *  allocation_size, alignment; ShapeOf tensor.
   */
  Index a{0}, b{0}, c{0}, d{0};
  /*! \brief Argument registers (Invoke*, AllocADT, AllocClosure), or AllocTensor's and ReshapeTensor's shape. */
  std::vector<Index> args;
  /*! \brief AllocTensor's and AllocTensorReg's element type, AllocStorage's dtype hint. */
  DLDataType dtype{kDLFloat, 32, 1};

  static Instruction Move(RegName from, RegName dst);
  static Instruction Ret(RegName result);
  static Instruction Invoke(Index func_index, std::vector<RegName> args, RegName dst);
  static Instruction InvokeClosure(RegName closure, std::vector<RegName> args, RegName dst);
  static Instruction InvokePacked(Index packed_index, Index output_size, std::vector<RegName> args);
  static Instruction AllocTensor(std::vector<int64_t> shape, DLDataType dtype, RegName dst);
  static Instruction AllocADT(Index tag, std::vector<RegName> fields, RegName dst);
  static Instruction AllocClosure(Index func_index, std::vector<RegName> captured, RegName dst);
  static Instruction GetField(RegName object, Index field_index, RegName dst);
  static Instruction If(RegName test, RegName target, Index true_offset, Index false_offset);
  static Instruction LoadConst(Index const_index, RegName dst);
  static Instruction Goto(Index pc_offset);
  static Instruction GetTag(RegName object, RegName dst);
  static Instruction LoadConsti(int64_t value, RegName dst);
  static Instruction Fatal();
  static Instruction ReshapeTensor(RegName tensor, std::vector<int64_t> shape, RegName dst);
  static Instruction ReshapeTensorReg(RegName tensor, RegName newshape, RegName dst);
  static Instruction AllocTensorReg(RegName storage, Index offset, RegName shape_register, DLDataType dtype,
                                    RegName dst);
  static Instruction AllocStorage(RegName allocation_size, Index alignment, DLDataType dtype_hint, RegName dst);
  static Instruction ShapeOf(RegName tensor, RegName dst);
  static Instruction KillRegister(RegName dst);
};

/*! \brief One line of text, as the executable's bytecode listing prints it. */
TVM_DLL std::ostream& operator<<(std::ostream& os, const Instruction& instr);

}  // namespace vm
}  // namespace runtime
}  // namespace tvm
#endif  // TVM_RUNTIME_VM_BYTECODE_H_
