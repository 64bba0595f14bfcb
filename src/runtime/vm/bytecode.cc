/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Instruction constructors and the one-line text form of each opcode.
#include <tvm/runtime/vm/bytecode.h>

#include <ostream>
#include <utility>

namespace tvm {
namespace runtime {
namespace vm {

const char* OpcodeName(Opcode op) {
  switch (op) {
    case Opcode::Move: return "move";
    case Opcode::Ret: return "ret";
    case Opcode::Invoke: return "invoke";
    case Opcode::InvokeClosure: return "invoke_closure";
    case Opcode::InvokePacked: return "invoke_packed";
    case Opcode::AllocTensor: return "alloc_tensor";
    case Opcode::AllocADT: return "alloc_data";
    case Opcode::AllocClosure: return "alloc_closure";
    case Opcode::GetField: return "get_field";
    case Opcode::If: return "if";
    case Opcode::LoadConst: return "load_const";
    case Opcode::Goto: return "goto";
    case Opcode::GetTag: return "get_tag";
    case Opcode::LoadConsti: return "load_consti";
    case Opcode::Fatal: return "fatal";
    case Opcode::ReshapeTensor: return "reshape_tensor";
    case Opcode::AllocTensorReg: return "alloc_tensor_reg";
    case Opcode::AllocStorage: return "alloc_storage";
    case Opcode::ShapeOf: return "shape_of";
    case Opcode::KillRegister: return "kill";
  }
  return nullptr;
}

namespace {
Instruction Make(Opcode op, RegName dst, Index a = 0, Index b = 0, Index c = 0, Index d = 0,
                 std::vector<Index> args = {}) {
  Instruction i;
  i.op = op;
  i.dst = dst;
  i.a = a;
  i.b = b;
  i.c = c;
  i.d = d;
  i.args = std::move(args);
  return i;
}
}  // namespace

Instruction Instruction::Move(RegName from, RegName dst) { return Make(Opcode::Move, dst, from); }
Instruction Instruction::Ret(RegName result) { return Make(Opcode::Ret, -1, result); }
Instruction Instruction::Invoke(Index func_index, std::vector<RegName> args, RegName dst) {
  return Make(Opcode::Invoke, dst, func_index, 0, 0, 0, std::move(args));
}
Instruction Instruction::InvokeClosure(RegName closure, std::vector<RegName> args, RegName dst) {
  return Make(Opcode::InvokeClosure, dst, closure, 0, 0, 0, std::move(args));
}
Instruction Instruction::InvokePacked(Index packed_index, Index output_size, std::vector<RegName> args) {
  return Make(Opcode::InvokePacked, -1, packed_index, output_size, 0, 0, std::move(args));
}
Instruction Instruction::AllocTensor(std::vector<int64_t> shape, DLDataType dtype, RegName dst) {
  Instruction i = Make(Opcode::AllocTensor, dst, 0, 0, 0, 0, std::move(shape));
  i.dtype = dtype;
  return i;
}
Instruction Instruction::AllocADT(Index tag, std::vector<RegName> fields, RegName dst) {
  return Make(Opcode::AllocADT, dst, tag, 0, 0, 0, std::move(fields));
}
Instruction Instruction::AllocClosure(Index func_index, std::vector<RegName> captured, RegName dst) {
  return Make(Opcode::AllocClosure, dst, func_index, 0, 0, 0, std::move(captured));
}
Instruction Instruction::GetField(RegName object, Index field_index, RegName dst) {
  return Make(Opcode::GetField, dst, object, field_index);
}
Instruction Instruction::If(RegName test, RegName target, Index true_offset, Index false_offset) {
  return Make(Opcode::If, -1, test, target, true_offset, false_offset);
}
Instruction Instruction::LoadConst(Index const_index, RegName dst) { return Make(Opcode::LoadConst, dst, const_index); }
Instruction Instruction::Goto(Index pc_offset) { return Make(Opcode::Goto, -1, pc_offset); }
Instruction Instruction::GetTag(RegName object, RegName dst) { return Make(Opcode::GetTag, dst, object); }
Instruction Instruction::LoadConsti(int64_t value, RegName dst) { return Make(Opcode::LoadConsti, dst, value); }
Instruction Instruction::Fatal() { return Make(Opcode::Fatal, -1); }
Instruction Instruction::ReshapeTensor(RegName tensor, std::vector<int64_t> shape, RegName dst) {
  return Make(Opcode::ReshapeTensor, dst, tensor, -1, 0, 0, std::move(shape));
}
Instruction Instruction::ReshapeTensorReg(RegName tensor, RegName newshape, RegName dst) {
  return Make(Opcode::ReshapeTensor, dst, tensor, newshape);
}
Instruction Instruction::AllocTensorReg(RegName storage, Index offset, RegName shape_register, DLDataType dtype,
                                        RegName dst) {
  Instruction i = Make(Opcode::AllocTensorReg, dst, storage, offset, shape_register);
  i.dtype = dtype;
  return i;
}
Instruction Instruction::AllocStorage(RegName allocation_size, Index alignment, DLDataType dtype_hint, RegName dst) {
  Instruction i = Make(Opcode::AllocStorage, dst, allocation_size, alignment);
  i.dtype = dtype_hint;
  return i;
}
Instruction Instruction::ShapeOf(RegName tensor, RegName dst) { return Make(Opcode::ShapeOf, dst, tensor); }
Instruction Instruction::KillRegister(RegName dst) { return Make(Opcode::KillRegister, dst); }

namespace {
void Regs(std::ostream& os, const std::vector<Index>& regs) {
  for (size_t k = 0; k < regs.size(); ++k) os << (k ? " $" : "$") << regs[k];
}
}  // namespace

std::ostream& operator<<(std::ostream& os, const Instruction& instr) {
  const char* name = OpcodeName(instr.op);
  os << (name ? name : "?");
  switch (instr.op) {
    case Opcode::Move: os << " $" << instr.dst << " $" << instr.a; break;
    case Opcode::Ret: os << " $" << instr.a; break;
    case Opcode::Invoke:
      os << " $" << instr.dst << " VMFunc[" << instr.a << "](";
      Regs(os, instr.args);
      os << ")";
      break;
    case Opcode::InvokeClosure:
      os << " $" << instr.dst << " $" << instr.a << "(";
      Regs(os, instr.args);
      os << ")";
      break;
    case Opcode::InvokePacked:
      os << " PackedFunc[" << instr.a << "] (in: ";
      {
        size_t n_in = instr.args.size() - static_cast<size_t>(instr.b);
        std::vector<Index> in(instr.args.begin(), instr.args.begin() + n_in);
        std::vector<Index> out(instr.args.begin() + n_in, instr.args.end());
        Regs(os, in);
        os << ", out: ";
        Regs(os, out);
      }
      os << ")";
      break;
    case Opcode::AllocTensor:
      os << " $" << instr.dst << " [";
      for (size_t k = 0; k < instr.args.size(); ++k) os << (k ? ", " : "") << instr.args[k];
      os << "] " << DLDataType2String(instr.dtype);
      break;
    case Opcode::AllocADT:
      os << " $" << instr.dst << " tag(" << instr.a << ") [";
      Regs(os, instr.args);
      os << "]";
      break;
    case Opcode::AllocClosure:
      os << " $" << instr.dst << " VMFunc[" << instr.a << "] [";
      Regs(os, instr.args);
      os << "]";
      break;
    case Opcode::GetField: os << " $" << instr.dst << " $" << instr.a << "[" << instr.b << "]"; break;
    case Opcode::If:
      os << " $" << instr.a << " $" << instr.b << " " << instr.c << " " << instr.d;
      break;
    case Opcode::LoadConst: os << " $" << instr.dst << " Const[" << instr.a << "]"; break;
    case Opcode::Goto: os << " " << instr.a; break;
    case Opcode::GetTag: os << " $" << instr.dst << " $" << instr.a; break;
    case Opcode::LoadConsti: os << " $" << instr.dst << " " << instr.a; break;
    case Opcode::Fatal: break;
    case Opcode::ReshapeTensor:
      os << " $" << instr.dst << " $" << instr.a;
      if (instr.b >= 0) {
        os << " $" << instr.b;
      } else {
        os << " [";
        for (size_t k = 0; k < instr.args.size(); ++k) os << (k ? ", " : "") << instr.args[k];
        os << "]";
      }
      break;
    case Opcode::AllocTensorReg:
      os << " $" << instr.dst << " $" << instr.a << " " << instr.b << " $" << instr.c << " "
         << DLDataType2String(instr.dtype);
      break;
    case Opcode::AllocStorage:
      os << " $" << instr.dst << " $" << instr.a << " " << instr.b << " " << DLDataType2String(instr.dtype);
      break;
    case Opcode::ShapeOf: os << " $" << instr.dst << " $" << instr.a; break;
    case Opcode::KillRegister: os << " $" << instr.dst; break;
  }
  return os;
}

}  // namespace vm
}  // namespace runtime
}  // namespace tvm
