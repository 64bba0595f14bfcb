/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// The Relay VM from C++ with hand-written bytecode and a kernel module written
// here (no compiler): closures, ADTs, If/Goto, calls, save/load, and the load
// checks that reject bad indices.
#include <gtest/gtest.h>
#include <tvm/runtime/container/adt.h>
#include <tvm/runtime/module.h>
#include <tvm/runtime/ndarray.h>
#include <tvm/runtime/packed_func.h>
#include <tvm/runtime/registry.h>
#include <tvm/runtime/vm/executable.h>
#include <tvm/runtime/vm/vm.h>

#include <string>
#include <vector>

namespace {

using namespace tvm::runtime;      // NOLINT(*)
using namespace tvm::runtime::vm;  // NOLINT(*)

// "add"(a, b, out) over float32 arrays.
class AddModule : public ModuleNode {
 public:
  const char* type_key() const final { return "test_vm_kernels"; }
  PackedFunc GetFunction(const String& name, const ObjectPtr<Object>&) final {
    if (name != "add") return PackedFunc();
    return PackedFunc([](TVMArgs args, TVMRetValue*) {
      const DLTensor *a = args[0], *b = args[1], *out = args[2];
      int64_t n = 1;
      for (int i = 0; i < out->ndim; ++i) n *= out->shape[i];
      for (int64_t i = 0; i < n; ++i) {
        static_cast<float*>(out->data)[i] = static_cast<float*>(a->data)[i] + static_cast<float*>(b->data)[i];
      }
    });
  }
};

const DLDataType kF32{kDLFloat, 32, 1};

// main(x): c = closure(add_captured, [x]); y = c(x); if 1 == 1 then t = (y, y) else fatal;
//          ret ADT(7, [t[1]])           add_captured(k, v): ret k + v
ObjectPtr<Executable> MakeProgram() {
  auto exec = make_object<Executable>();
  exec->primitive_names = {"add"};
  VMFunction main{"main", {"x"}, {}, 8};
  main.instructions = {
      Instruction::AllocClosure(1, {0}, 1),
      Instruction::InvokeClosure(1, {0}, 2),
      Instruction::LoadConsti(1, 3),
      Instruction::LoadConsti(1, 4),
      Instruction::If(3, 4, 1, 4),
      Instruction::AllocADT(0, {2, 2}, 5),
      Instruction::GetField(5, 1, 6),
      Instruction::Goto(2),
      Instruction::Fatal(),
      Instruction::AllocADT(7, {6}, 7),
      Instruction::Ret(7),
  };
  VMFunction add{"add_captured", {"k", "v"}, {}, 3};
  add.instructions = {
      Instruction::AllocTensor({4}, kF32, 2),
      Instruction::InvokePacked(0, 1, {0, 1, 2}),
      Instruction::Ret(2),
  };
  exec->functions = {main, add};
  exec->Import(Module(make_object<AddModule>()));
  return exec;
}

NDArray Input() {
  NDArray x = NDArray::Empty({4}, DataType(kF32), DLDevice{kDLCPU, 0});
  for (int i = 0; i < 4; ++i) static_cast<float*>(x->data)[i] = static_cast<float>(i) + 0.5f;
  return x;
}

void CheckResult(const ObjectRef& out) {
  const auto* adt = out.as<ADTObj>();
  ASSERT_NE(adt, nullptr);
  EXPECT_EQ(adt->tag, 7);
  ASSERT_EQ(adt->fields.size(), 1u);
  const auto* arr = adt->fields[0].as<NDArray::Container>();
  ASSERT_NE(arr, nullptr);
  for (int i = 0; i < 4; ++i) EXPECT_FLOAT_EQ(static_cast<float*>(arr->dl_tensor.data)[i], 2.0f * i + 1.0f);
}

ObjectRef RunMain(Module exec) {
  Module vm = (*Registry::Get("runtime._VirtualMachine"))(exec).operator Module();
  vm.GetFunction("init")(static_cast<int>(kDLCPU), 0);
  return vm.GetFunction("invoke")("main", Input()).operator ObjectRef();
}

TEST(VirtualMachine, RunsClosuresBranchesAndADTs) {
  auto exec = MakeProgram();
  exec->Verify();
  CheckResult(RunMain(Module(exec)));
}

TEST(VirtualMachine, SaveLoadRoundTrip) {
  auto exec = MakeProgram();
  std::string bytes = exec->Save();
  Module loaded = Executable::Load(bytes, exec->GetLib());
  auto* e = static_cast<Executable*>(loaded.operator->());
  EXPECT_EQ(e->GetBytecode(), exec->GetBytecode());
  CheckResult(RunMain(loaded));
  for (size_t n : {size_t{0}, size_t{15}, bytes.size() / 2, bytes.size() - 1}) {
    try {
      Executable::Load(bytes.substr(0, n), Module());
      FAIL() << "a truncated executable of " << n << " bytes loaded";
    } catch (const Error& err) {
      EXPECT_EQ(err.kind(), "ValueError");
      EXPECT_NE(std::string(err.what()).find("VM executable"), std::string::npos) << err.what();
    }
  }
}

TEST(VirtualMachine, VerifyNamesBadIndices) {
  auto expect_error = [](ObjectPtr<Executable> exec, const std::string& part) {
    try {
      exec->Verify();
      FAIL() << "Verify accepted a program with " << part;
    } catch (const Error& err) {
      EXPECT_NE(std::string(err.what()).find(part), std::string::npos) << err.what();
    }
  };
  auto bad_reg = MakeProgram();
  bad_reg->functions[0].instructions[6].a = 99;
  expect_error(bad_reg, "function 'main' instruction 6: object register 99");
  auto bad_jump = MakeProgram();
  bad_jump->functions[0].instructions[7].a = 100;
  expect_error(bad_jump, "jump by 100 leaves the function");
  auto bad_call = MakeProgram();
  bad_call->functions[0].instructions[0].a = 5;
  expect_error(bad_call, "function index 5 is out of range");
  auto bad_kernel = MakeProgram();
  bad_kernel->functions[1].instructions[1].a = 3;
  expect_error(bad_kernel, "kernel index 3 is out of range");
}

TEST(VirtualMachine, RuntimeKindErrorsAreExceptions) {
  auto exec = MakeProgram();
  // get_field of a tensor: the VM checks what the register holds.
  exec->functions[0].instructions[6].a = 0;
  try {
    RunMain(Module(exec));
    FAIL() << "get_field of a tensor ran";
  } catch (const Error& err) {
    EXPECT_EQ(err.kind(), "TypeError");
    EXPECT_NE(std::string(err.what()).find("holds a tensor, not an ADT"), std::string::npos) << err.what();
  }
}

}  // namespace
