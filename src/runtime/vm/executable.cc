/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// The VM executable: its packed functions, its binary form and the checks that
// make loading untrusted bytes safe (see executable.h for the layout).
#include <tvm/runtime/container/array.h>
#include <tvm/runtime/container/map.h>
#include <tvm/runtime/packed_func.h>
#include <tvm/runtime/registry.h>
#include <tvm/runtime/vm/executable.h>

#include <fstream>
#include <iterator>
#include <sstream>
#include <utility>

#include "../byte_stream.h"
#include "../param_dict.h"

namespace tvm {
namespace runtime {
namespace vm {

namespace {
constexpr uint64_t kExecutableMagic = 0x5654564d45584543ULL;  // "CEXEMVTV"
// 2: dynamic shapes (AllocTensorReg, AllocStorage, ShapeOf, KillRegister; ReshapeTensor's b).
constexpr uint64_t kExecutableVersion = 2;
constexpr Index kMaxRegisters = Index{1} << 32;
}  // namespace

Index Executable::FunctionIndex(const std::string& name) const {
  for (size_t i = 0; i < functions.size(); ++i) {
    if (functions[i].name == name) return static_cast<Index>(i);
  }
  return -1;
}

std::string Executable::GetBytecode() const {
  std::ostringstream os;
  for (size_t f = 0; f < functions.size(); ++f) {
    const VMFunction& func = functions[f];
    os << "VM Function[" << f << "]: " << func.name << "(";
    for (size_t k = 0; k < func.params.size(); ++k) os << (k ? ", " : "") << func.params[k];
    os << ")\n# reg file size = " << func.register_file_size << "\n# instruction count = "
       << func.instructions.size() << "\nopcode, fields # inst(text):\n";
    for (size_t pc = 0; pc < func.instructions.size(); ++pc) os << pc << ": " << func.instructions[pc] << ";\n";
    os << "\n";
  }
  return os.str();
}

std::string Executable::Stats() const {
  std::ostringstream os;
  size_t n_instr = 0;
  for (const auto& f : functions) n_instr += f.instructions.size();
  os << "Relay VM executable statistics:\n";
  os << "  Constant pool (# constants): " << constants.size() << "\n";
  os << "  Globals (#" << functions.size() << "): [";
  for (size_t i = 0; i < functions.size(); ++i) os << (i ? ", " : "") << "(\"" << functions[i].name << "\", " << i << ")";
  os << "]\n  Primitive ops (#" << primitive_names.size() << "): [";
  for (size_t i = 0; i < primitive_names.size(); ++i) os << (i ? ", " : "") << primitive_names[i];
  os << "]\n  Instructions: " << n_instr << "\n";
  return os.str();
}

PackedFunc Executable::GetFunction(const String& name, const ObjectPtr<Object>& sptr_to_self) {
  std::string n = name;
  if (n == "get_lib") {
    return PackedFunc([sptr_to_self, this](TVMArgs, TVMRetValue* rv) {
      Module lib = GetLib();
      if (lib.defined()) {
        *rv = lib;
      } else {
        *rv = nullptr;
      }
    });
  } else if (n == "get_bytecode") {
    return PackedFunc([sptr_to_self, this](TVMArgs, TVMRetValue* rv) { *rv = GetBytecode(); });
  } else if (n == "get_stats") {
    return PackedFunc([sptr_to_self, this](TVMArgs, TVMRetValue* rv) { *rv = Stats(); });
  } else if (n == "save") {
    return PackedFunc([sptr_to_self, this](TVMArgs, TVMRetValue* rv) {
      std::string bytes = Save();
      TVMByteArray arr{bytes.data(), bytes.size()};
      *rv = arr;
    });
  } else if (n == "get_num_functions") {
    return PackedFunc([sptr_to_self, this](TVMArgs, TVMRetValue* rv) {
      *rv = static_cast<int64_t>(functions.size());
    });
  } else if (n == "get_function_name") {
    return PackedFunc([sptr_to_self, this](TVMArgs args, TVMRetValue* rv) {
      int64_t i = args[0];
      TVM_CHECK(i >= 0 && i < static_cast<int64_t>(functions.size()), "IndexError")
          << "VM executable: function index " << i << " out of range (" << functions.size() << " functions)";
      *rv = functions[i].name;
    });
  } else if (n == "get_primitive_ops") {
    return PackedFunc([sptr_to_self, this](TVMArgs, TVMRetValue* rv) {
      Array<ObjectRef> names;
      for (const auto& p : primitive_names) names.push_back(String(p));
      *rv = names;
    });
  } else if (n == "get_num_constants") {
    return PackedFunc([sptr_to_self, this](TVMArgs, TVMRetValue* rv) {
      *rv = static_cast<int64_t>(constants.size());
    });
  } else if (n == "get_constant") {
    return PackedFunc([sptr_to_self, this](TVMArgs args, TVMRetValue* rv) {
      int64_t i = args[0];
      TVM_CHECK(i >= 0 && i < static_cast<int64_t>(constants.size()), "IndexError")
          << "VM executable: constant index " << i << " out of range (" << constants.size() << " constants)";
      *rv = constants[i];
    });
  } else if (n == "get_late_bound_consts" || n == "move_late_bound_consts") {
    bool to_file = n == "move_late_bound_consts";
    return PackedFunc([sptr_to_self, this, to_file](TVMArgs args, TVMRetValue* rv) {
      int64_t byte_limit = args[to_file ? 1 : 0];
      TVM_CHECK(byte_limit >= 0, "ValueError") << "late-bound constants: byte_limit must be >= 0, got " << byte_limit;
      auto moved = MoveLateBoundConstants(static_cast<size_t>(byte_limit));
      if (to_file) {
        std::string path = args[0].operator std::string();
        std::string blob;
        SaveParamDict(moved, &blob);
        std::ofstream out(path, std::ios::binary);
        TVM_CHECK(out.good(), "ValueError") << "move_late_bound_consts: cannot write '" << path << "'";
        out.write(blob.data(), static_cast<std::streamsize>(blob.size()));
        TVM_CHECK(out.good(), "ValueError") << "move_late_bound_consts: writing '" << path << "' failed";
        return;
      }
      Map<String, NDArray> map;
      for (const auto& kv : moved) map.Set(kv.first, kv.second);
      *rv = map;
    });
  } else if (n == "load_late_bound_consts") {
    return PackedFunc([sptr_to_self, this](TVMArgs args, TVMRetValue*) {
      std::string path = args[0].operator std::string();
      std::ifstream in(path, std::ios::binary);
      TVM_CHECK(in.good(), "ValueError") << "load_late_bound_consts: cannot read '" << path << "'";
      std::string blob((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      LoadLateBoundConstants(LoadParamDict(blob, "load_late_bound_consts('" + path + "')"));
    });
  } else if (n == "load_late_bound_consts_from_map") {
    return PackedFunc([sptr_to_self, this](TVMArgs args, TVMRetValue*) {
      Map<String, NDArray> map = args[0];
      std::vector<std::pair<std::string, NDArray>> consts;
      for (const auto& kv : map) consts.emplace_back(kv.first, kv.second);
      LoadLateBoundConstants(consts);
    });
  } else if (n == "get_function_arity" || n == "get_function_param_name") {
    bool arity = n == "get_function_arity";
    return PackedFunc([sptr_to_self, this, arity](TVMArgs args, TVMRetValue* rv) {
      std::string func = args[0].operator std::string();
      Index f = FunctionIndex(func);
      TVM_CHECK(f >= 0, "ValueError") << "VM executable has no function '" << func << "'";
      const auto& params = functions[f].params;
      if (arity) {
        *rv = static_cast<int64_t>(params.size());
        return;
      }
      int64_t i = args[1];
      TVM_CHECK(i >= 0 && i < static_cast<int64_t>(params.size()), "IndexError")
          << "VM function '" << func << "' has " << params.size() << " parameters, no parameter " << i;
      *rv = params[i];
    });
  }
  return PackedFunc();
}

std::string Executable::Save() const {
  std::string out;
  ByteWriter w(&out);
  w.Write<uint64_t>(kExecutableMagic);
  w.Write<uint64_t>(kExecutableVersion);
  w.Write<uint64_t>(constants.size());
  for (size_t i = 0; i < constants.size(); ++i) {
    bool late = i < late_bound_names.size() && !late_bound_names[i].empty();
    w.Write<uint8_t>(late ? 1 : 0);
    if (late) {
      w.WriteString(late_bound_names[i]);
    } else {
      SaveDLTensor(&out, constants[i].operator->());
    }
  }
  w.WriteStrings(primitive_names);
  w.Write<uint64_t>(functions.size());
  for (const VMFunction& f : functions) {
    w.WriteString(f.name);
    w.WriteStrings(f.params);
    w.Write<int64_t>(f.register_file_size);
    w.Write<uint64_t>(f.instructions.size());
    for (const Instruction& i : f.instructions) {
      w.Write<int32_t>(static_cast<int32_t>(i.op));
      w.Write<int64_t>(i.dst);
      w.Write<int64_t>(i.a);
      w.Write<int64_t>(i.b);
      w.Write<int64_t>(i.c);
      w.Write<int64_t>(i.d);
      w.Write<uint8_t>(i.dtype.code);
      w.Write<uint8_t>(i.dtype.bits);
      w.Write<uint16_t>(i.dtype.lanes);
      w.Write<uint64_t>(i.args.size());
      for (Index a : i.args) w.Write<int64_t>(a);
    }
  }
  return out;
}

void Executable::SaveToBinary(std::string* out) { out->append(Save()); }

std::vector<std::pair<std::string, NDArray>> Executable::MoveLateBoundConstants(size_t byte_limit) {
  late_bound_names.resize(constants.size());
  std::vector<std::pair<std::string, NDArray>> moved;
  for (size_t i = 0; i < constants.size(); ++i) {
    if (!constants[i].defined()) continue;  // already late-bound and not loaded
    if (constants[i].NBytes() < byte_limit) continue;
    std::string name = "const_" + std::to_string(i);
    moved.emplace_back(name, constants[i]);
    late_bound_names[i] = name;
    constants[i] = NDArray();
  }
  return moved;
}

void Executable::LoadLateBoundConstants(const std::vector<std::pair<std::string, NDArray>>& consts) {
  std::unordered_map<std::string, NDArray> by_name(consts.begin(), consts.end());
  late_bound_names.resize(constants.size());
  for (size_t i = 0; i < constants.size(); ++i) {
    const std::string& name = late_bound_names[i];
    if (name.empty() || constants[i].defined()) continue;
    auto it = by_name.find(name);
    TVM_CHECK(it != by_name.end(), "ValueError")
        << "VM executable: the late-bound constant '" << name << "' is not among the " << consts.size()
        << " constants given";
    TVM_CHECK(it->second.defined(), "ValueError") << "VM executable: the late-bound constant '" << name << "' is None";
    constants[i] = it->second;
  }
}

Module Executable::Load(const std::string& code, Module lib) {
  ByteReader r(code, "VM executable");
  TVM_CHECK(code.size() >= 16, "ValueError")
      << "VM executable: " << code.size() << " bytes is too short to be a serialised executable";
  uint64_t magic = r.Read<uint64_t>("the magic number");
  TVM_CHECK(magic == kExecutableMagic, "ValueError")
      << "VM executable: the bytes do not start with the executable's magic number (not a saved VM executable)";
  uint64_t version = r.Read<uint64_t>("the version");
  TVM_CHECK(version == kExecutableVersion, "ValueError")
      << "VM executable: format version " << version << " is not supported (this runtime reads "
      << kExecutableVersion << ")";
  auto exec = make_object<Executable>();
  uint64_t n_const = r.ReadCount("the constant count", 9);
  for (uint64_t i = 0; i < n_const; ++i) {
    uint8_t kind = r.Read<uint8_t>("a constant's kind");
    TVM_CHECK(kind <= 1, "ValueError") << "VM executable: corrupted data: constant " << i << " has kind " << int(kind);
    if (kind == 1) {
      exec->constants.emplace_back();
      exec->late_bound_names.push_back(r.ReadString("a late-bound constant's name"));
    } else {
      try {
        exec->constants.push_back(LoadDLTensor(r.data(), r.mutable_offset()));
      } catch (const Error& e) {
        throw Error("ValueError", "VM executable: corrupted data: constant " + std::to_string(i) + ": " + e.what());
      }
      exec->late_bound_names.emplace_back();
    }
  }
  exec->primitive_names = r.ReadStrings("the primitive names");
  uint64_t n_func = r.ReadCount("the function count", 32);
  for (uint64_t f = 0; f < n_func; ++f) {
    VMFunction func;
    func.name = r.ReadString("a function name");
    func.params = r.ReadStrings("the parameter names");
    func.register_file_size = r.Read<int64_t>("the register count");
    uint64_t n_instr = r.ReadCount("the instruction count", 56);
    func.instructions.reserve(n_instr);
    for (uint64_t k = 0; k < n_instr; ++k) {
      Instruction i;
      int32_t op = r.Read<int32_t>("an opcode");
      TVM_CHECK(OpcodeName(static_cast<Opcode>(op)) != nullptr, "ValueError")
          << "VM executable: corrupted data: function '" << func.name << "' instruction " << k
          << " has opcode " << op << ", which is no VM opcode";
      i.op = static_cast<Opcode>(op);
      i.dst = r.Read<int64_t>("a destination register");
      i.a = r.Read<int64_t>("an operand");
      i.b = r.Read<int64_t>("an operand");
      i.c = r.Read<int64_t>("an operand");
      i.d = r.Read<int64_t>("an operand");
      i.dtype.code = r.Read<uint8_t>("a dtype");
      i.dtype.bits = r.Read<uint8_t>("a dtype");
      i.dtype.lanes = r.Read<uint16_t>("a dtype");
      uint64_t n_args = r.ReadCount("an argument count", 8);
      i.args.resize(n_args);
      for (uint64_t a = 0; a < n_args; ++a) i.args[a] = r.Read<int64_t>("an argument");
      func.instructions.push_back(std::move(i));
    }
    exec->functions.push_back(std::move(func));
  }
  // Names travel into messages and to Python as text: corrupted bytes stop here.
  auto check_name = [](const std::string& name, const char* what) {
    for (char c : name) {
      TVM_CHECK(c >= 0x20 && c < 0x7f, "ValueError")
          << "VM executable: corrupted data: " << what << " has a byte that is not printable ASCII";
    }
  };
  for (const auto& n : exec->primitive_names) check_name(n, "a kernel name");
  for (const auto& n : exec->late_bound_names) check_name(n, "a late-bound constant's name");
  for (const auto& f : exec->functions) {
    check_name(f.name, "a function name");
    for (const auto& p : f.params) check_name(p, "a parameter name");
  }
  TVM_CHECK(r.remaining() == 0, "ValueError")
      << "VM executable: corrupted data: " << r.remaining() << " bytes follow the last function";
  exec->Verify();
  if (lib.defined()) exec->Import(lib);
  return Module(ObjectPtr<Object>(std::move(exec)));
}

void Executable::Verify() const {
  const Index n_func = static_cast<Index>(functions.size());
  for (const VMFunction& func : functions) {
    const Index n_reg = func.register_file_size;
    const Index n_instr = static_cast<Index>(func.instructions.size());
    auto fail = [&](Index pc, const std::string& what) {
      TVM_CHECK(false, "ValueError") << "VM executable: corrupted bytecode: function '" << func.name
                                     << "' instruction " << pc << ": " << what;
    };
    if (n_reg < static_cast<Index>(func.params.size()) || n_reg > kMaxRegisters) {
      fail(0, "register count " + std::to_string(n_reg) + " does not fit " + std::to_string(func.params.size()) +
                  " parameters");
    }
    for (Index pc = 0; pc < n_instr; ++pc) {
      const Instruction& i = func.instructions[pc];
      auto reg = [&](Index r, const char* what) {
        if (r < 0 || r >= n_reg) {
          fail(pc, std::string(what) + " register " + std::to_string(r) + " is outside the " +
                       std::to_string(n_reg) + " registers");
        }
      };
      auto regs = [&]() {
        for (Index r : i.args) reg(r, "argument");
      };
      auto func_index = [&](Index f) {
        if (f < 0 || f >= n_func) fail(pc, "function index " + std::to_string(f) + " is out of range");
      };
      auto jump = [&](Index offset) {
        if (pc + offset < 0 || pc + offset >= n_instr) fail(pc, "jump by " + std::to_string(offset) + " leaves the function");
      };
      switch (i.op) {
        case Opcode::Move: reg(i.a, "source"); reg(i.dst, "destination"); break;
        case Opcode::Ret: reg(i.a, "result"); break;
        case Opcode::Invoke:
          func_index(i.a);
          regs();
          reg(i.dst, "destination");
          if (i.args.size() != functions[i.a].params.size()) {
            fail(pc, "calls '" + functions[i.a].name + "' with " + std::to_string(i.args.size()) +
                         " arguments; it takes " + std::to_string(functions[i.a].params.size()));
          }
          break;
        case Opcode::InvokeClosure: reg(i.a, "closure"); regs(); reg(i.dst, "destination"); break;
        case Opcode::InvokePacked:
          if (i.a < 0 || i.a >= static_cast<Index>(primitive_names.size())) {
            fail(pc, "kernel index " + std::to_string(i.a) + " is out of range");
          }
          if (i.b < 1 || i.b > static_cast<Index>(i.args.size())) fail(pc, "bad output count");
          regs();
          break;
        case Opcode::AllocTensor:
          reg(i.dst, "destination");
          if (i.args.size() > 64) fail(pc, "a tensor of more than 64 dimensions");
          for (Index d : i.args) {
            if (d < 0) fail(pc, "negative dimension " + std::to_string(d));
          }
          if (i.dtype.bits == 0 || i.dtype.lanes == 0) fail(pc, "bad dtype");
          break;
        case Opcode::AllocADT: regs(); reg(i.dst, "destination"); break;
        case Opcode::AllocClosure: func_index(i.a); regs(); reg(i.dst, "destination"); break;
        case Opcode::GetField:
          reg(i.a, "object");
          reg(i.dst, "destination");
          if (i.b < 0) fail(pc, "negative field index");
          break;
        case Opcode::If: reg(i.a, "test"); reg(i.b, "target"); jump(i.c); jump(i.d); break;
        case Opcode::LoadConst:
          reg(i.dst, "destination");
          if (i.a < 0 || i.a >= static_cast<Index>(constants.size())) {
            fail(pc, "constant index " + std::to_string(i.a) + " is out of range");
          }
          break;
        case Opcode::Goto: jump(i.a); break;
        case Opcode::GetTag: reg(i.a, "object"); reg(i.dst, "destination"); break;
        case Opcode::LoadConsti: reg(i.dst, "destination"); break;
        case Opcode::Fatal: break;
        case Opcode::ReshapeTensor:
          reg(i.a, "tensor");
          reg(i.dst, "destination");
          if (i.b >= 0) {
            reg(i.b, "new shape");
            if (!i.args.empty()) fail(pc, "a reshape with both a shape register and a static shape");
          } else if (i.b != -1) {
            fail(pc, "new shape register " + std::to_string(i.b) + " is outside the " + std::to_string(n_reg) +
                         " registers");
          }
          if (i.args.size() > 64) fail(pc, "a tensor of more than 64 dimensions");
          for (Index d : i.args) {
            if (d < 0) fail(pc, "negative dimension " + std::to_string(d));
          }
          break;
        case Opcode::AllocTensorReg:
          reg(i.a, "storage");
          reg(i.c, "shape");
          reg(i.dst, "destination");
          if (i.b < 0) fail(pc, "negative offset " + std::to_string(i.b));
          if (i.dtype.bits == 0 || i.dtype.lanes == 0) fail(pc, "bad dtype");
          break;
        case Opcode::AllocStorage:
          reg(i.a, "allocation size");
          reg(i.dst, "destination");
          if (i.b < 1 || i.b > (Index{1} << 30) || (i.b & (i.b - 1)) != 0) {
            fail(pc, "alignment " + std::to_string(i.b) + " is not a power of two");
          }
          if (i.dtype.bits == 0 || i.dtype.lanes == 0) fail(pc, "bad dtype");
          break;
        case Opcode::ShapeOf: reg(i.a, "tensor"); reg(i.dst, "destination"); break;
        case Opcode::KillRegister: reg(i.dst, "killed"); break;
      }
    }
    if (n_instr == 0) fail(0, "the function has no instructions");
    Opcode last = func.instructions.back().op;
    if (last != Opcode::Ret && last != Opcode::Fatal && last != Opcode::Goto) {
      fail(n_instr - 1, "the function does not end in ret");
    }
  }
}

TVM_REGISTER_GLOBAL("runtime.Load_Executable").set_body([](TVMArgs args, TVMRetValue* rv) {
  TVM_CHECK(args.size() == 2, "TypeError") << "Load_Executable(bytecode, lib) takes 2 arguments";
  std::string code = args[0].operator std::string();
  Module lib;
  if (args[1].type_code() != kTVMNullptr) lib = args[1].operator Module();
  *rv = Executable::Load(code, lib);
});

TVM_REGISTER_GLOBAL("runtime.module.loadbinary_VMExecutable").set_body([](TVMArgs args, TVMRetValue* rv) {
  *rv = Executable::Load(args[0].operator std::string(), Module());
});

}  // namespace vm
}  // namespace runtime
}  // namespace tvm
