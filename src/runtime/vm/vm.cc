/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// The Relay VM's interpreter loop. Registers hold objects; every instruction
// checks the kind of object it reads (a corrupted or mistyped program is a
// TVMError naming the function and pc, never a crash). Calls push frames on
// frames_, so recursion depth costs heap, not C++ stack.
#include <tvm/runtime/container/adt.h>
#include <tvm/runtime/container/string.h>
#include <tvm/runtime/registry.h>
#include <tvm/runtime/vm/vm.h>

#include <algorithm>
#include <sstream>
#include <utility>

namespace tvm {
namespace runtime {
namespace vm {

namespace {
// Known before the first one is made: Python registers its classes by key at import.
[[maybe_unused]] const uint32_t kClosureTypeIndex = TypeIndexOf<VMClosureObj>();
[[maybe_unused]] const uint32_t kStorageTypeIndex = TypeIndexOf<VMStorageObj>();

// Deep enough for loops of a million iterations written as recursion; an
// unbounded recursion stops here with an error instead of eating all memory.
constexpr size_t kMaxFrames = size_t{1} << 21;

const NDArray::Container* AsArray(const ObjectRef& obj) {
  return obj.defined() ? obj.as<NDArray::Container>() : nullptr;
}

std::string KindOf(const ObjectRef& obj) {
  if (!obj.defined()) return "nothing (an unset register)";
  if (obj.as<ADTObj>()) return "an ADT";
  if (obj.as<VMClosureObj>()) return "a closure";
  if (obj.as<VMStorageObj>()) return "a storage";
  if (obj.as<NDArray::Container>()) return "a tensor";
  return std::string("a ") + obj->GetTypeKey();
}

std::string ShapeString(const int64_t* shape, int ndim) {
  std::string out = "[";
  for (int i = 0; i < ndim; ++i) out += (i ? ", " : "") + std::to_string(shape[i]);
  return out + "]";
}

NDArray ScalarArray(int64_t value, DLDataType dtype) {
  NDArray arr = NDArray::Empty({}, DataType(dtype), DLDevice{kDLCPU, 0});
  if (dtype.bits == 32) {
    *static_cast<int32_t*>(arr->data) = static_cast<int32_t>(value);
  } else {
    *static_cast<int64_t*>(arr->data) = value;
  }
  return arr;
}
}  // namespace

void VirtualMachine::Fail(const std::string& kind, const std::string& message) const {
  std::ostringstream os;
  if (!frames_.empty()) {
    const Frame& f = frames_.back();
    os << "VM function '" << exec_->functions[f.func_index].name << "' at instruction " << f.pc << ": ";
  } else {
    os << "VM: ";
  }
  os << message;
  throw Error(kind, os.str());
}

void VirtualMachine::Init(Module exec, DLDevice device) {
  auto* e = dynamic_cast<Executable*>(exec.operator->());
  TVM_CHECK(e != nullptr, "TypeError") << "VirtualMachine needs a VM executable (relay.vm.compile's result)";
  exec_module_ = exec;
  exec_ = e;
  device_ = device;
  constants_.clear();
  for (size_t i = 0; i < e->constants.size(); ++i) {
    const NDArray& c = e->constants[i];
    TVM_CHECK(c.defined(), "ValueError")
        << "VirtualMachine: constant " << i << " ('" << (i < e->late_bound_names.size() ? e->late_bound_names[i] : "")
        << "') is late-bound and not loaded: call load_late_bound_consts first";
    if (c->device.device_type == device.device_type && c->device.device_id == device.device_id) {
      constants_.push_back(c);
    } else {
      NDArray d = NDArray::Empty(ShapeTuple(c->shape, c->shape + c->ndim), DataType(c->dtype), device);
      d.CopyFrom(c);
      constants_.push_back(d);
    }
  }
  packed_.clear();
  Module lib = e->GetLib();
  for (const std::string& name : e->primitive_names) {
    TVM_CHECK(lib.defined(), "ValueError")
        << "VirtualMachine: the executable calls kernel '" << name << "' but has no kernel library";
    PackedFunc f = lib.GetFunction(name, true);
    TVM_CHECK(f != nullptr, "AttributeError")
        << "VirtualMachine: the kernel library has no function '" << name << "'";
    packed_.push_back(f);
  }
  ComputeLastReads();
  inputs_.clear();
  initialised_ = true;
}

void VirtualMachine::ComputeLastReads() {
  last_reads_.assign(exec_->functions.size(), {});
  for (size_t f = 0; f < exec_->functions.size(); ++f) {
    const VMFunction& func = exec_->functions[f];
    const auto& code = func.instructions;
    bool forward = true;
    for (const Instruction& i : code) {
      if ((i.op == Opcode::If && (i.c < 1 || i.d < 1)) || (i.op == Opcode::Goto && i.a < 1)) forward = false;
    }
    last_reads_[f].assign(code.size(), {});
    // With forward jumps only, no path reads a register after the largest pc that reads it.
    if (!forward) continue;
    std::vector<Index> last(static_cast<size_t>(func.register_file_size), -1);
    for (size_t pc = 0; pc < code.size(); ++pc) {
      const Instruction& i = code[pc];
      auto read = [&](Index r) { last[r] = static_cast<Index>(pc); };
      switch (i.op) {
        case Opcode::Move:
        case Opcode::Ret:  // its frame ends there: nothing to release
        case Opcode::GetField:
        case Opcode::GetTag:
        case Opcode::ShapeOf: read(i.a); break;
        case Opcode::ReshapeTensor: read(i.a); if (i.b >= 0) read(i.b); break;
        case Opcode::AllocTensorReg: read(i.a); read(i.c); break;
        case Opcode::AllocStorage: read(i.a); break;
        case Opcode::If: read(i.a); read(i.b); break;
        case Opcode::InvokeClosure: read(i.a); for (Index r : i.args) read(r); break;
        case Opcode::Invoke:
        case Opcode::InvokePacked:
        case Opcode::AllocADT:
        case Opcode::AllocClosure: for (Index r : i.args) read(r); break;
        default: break;  // the rest read no register
      }
    }
    for (size_t r = 0; r < last.size(); ++r) {
      if (last[r] >= 0) last_reads_[f][last[r]].push_back(static_cast<RegName>(r));
    }
  }
}

Index VirtualMachine::CheckedFunction(const std::string& name) const {
  TVM_CHECK(initialised_, "RuntimeError") << "VirtualMachine: call init(device) first";
  Index f = exec_->FunctionIndex(name);
  TVM_CHECK(f >= 0, "ValueError") << "VirtualMachine: the executable has no function '" << name << "'";
  return f;
}

ObjectRef VirtualMachine::ToDevice(const ObjectRef& value, const std::string& what) const {
  // Check the whole value first with an explicit stack (a list input is a chain of ADTs as
  // long as the list): most values need no copy and are passed on as they are.
  bool needs_copy = false;
  std::vector<const Object*> todo{value.get()};
  while (!todo.empty()) {
    const Object* v = todo.back();
    todo.pop_back();
    if (v != nullptr && v->IsInstance<NDArray::Container>()) {
      const DLDevice& d = static_cast<const NDArray::Container*>(v)->dl_tensor.device;
      needs_copy |= d.device_type != device_.device_type || d.device_id != device_.device_id;
    } else if (v != nullptr && v->IsInstance<ADTObj>()) {
      for (const ObjectRef& f : static_cast<const ADTObj*>(v)->fields) todo.push_back(f.get());
    } else {
      TVM_CHECK(v != nullptr && v->IsInstance<VMClosureObj>(), "TypeError")
          << "VirtualMachine: " << what << " must be a tensor, a tuple (ADT) or a closure, got "
          << (v == nullptr ? std::string("None") : std::string("a ") + v->GetTypeKey());
    }
  }
  if (!needs_copy) return value;
  if (const auto* arr = AsArray(value)) {
    const DLTensor& t = arr->dl_tensor;
    if (t.device.device_type == device_.device_type && t.device.device_id == device_.device_id) return value;
    NDArray d = NDArray::Empty(ShapeTuple(t.shape, t.shape + t.ndim), DataType(t.dtype), device_);
    d.CopyFrom(&t);
    return d;
  }
  if (const auto* adt = value.defined() ? value.as<ADTObj>() : nullptr) {
    std::vector<ObjectRef> fields;
    for (const ObjectRef& f : adt->fields) fields.push_back(ToDevice(f, what));
    return MakeADT(adt->tag, std::move(fields));
  }
  TVM_CHECK(value.defined() && value.as<VMClosureObj>(), "TypeError")
      << "VirtualMachine: " << what << " must be a tensor, a tuple (ADT) or a closure, got " << KindOf(value);
  return value;
}

void VirtualMachine::SetInput(const std::string& name, TVMArgs args, int offset) {
  Index f = CheckedFunction(name);
  const VMFunction& func = exec_->functions[f];
  int given = args.size() - offset;
  TVM_CHECK(given == static_cast<int>(func.params.size()), "TypeError")
      << "VM function '" << name << "' takes " << func.params.size() << " arguments, " << given << " given";
  std::vector<ObjectRef> values;
  for (int i = offset; i < args.size(); ++i) {
    std::string what = "argument " + std::to_string(i - offset) + " ('" + func.params[i - offset] + "') of '" + name + "'";
    ObjectRef v;
    if (args[i].type_code() == kTVMDLTensorHandle) {
      const DLTensor* t = args[i];
      NDArray d = NDArray::Empty(ShapeTuple(t->shape, t->shape + t->ndim), DataType(t->dtype), device_);
      d.CopyFrom(t);
      v = d;
    } else {
      TVM_CHECK(args[i].type_code() == kTVMNDArrayHandle || args[i].type_code() == kTVMObjectHandle, "TypeError")
          << "VirtualMachine: " << what << " must be a tensor or a tuple (ADT), got a "
          << ArgTypeCode2Str(args[i].type_code());
      v = args[i].AsObjectRef();
    }
    values.push_back(ToDevice(v, what));
  }
  inputs_[name] = std::move(values);
}

void VirtualMachine::PushFrame(Index func_index, std::vector<ObjectRef> args, RegName caller_dst) {
  if (frames_.size() >= kMaxFrames) Fail("RuntimeError", "call depth exceeds " + std::to_string(kMaxFrames) + " frames (unbounded recursion?)");
  const VMFunction& func = exec_->functions[func_index];
  if (args.size() != func.params.size()) {
    Fail("TypeError", "calls '" + func.name + "' with " + std::to_string(args.size()) + " arguments; it takes " +
                          std::to_string(func.params.size()));
  }
  Frame frame{func_index, 0, std::move(args), caller_dst};
  frame.registers.resize(func.register_file_size);
  frames_.push_back(std::move(frame));
}

ObjectRef VirtualMachine::Invoke(Index func_index, const std::vector<ObjectRef>& args) {
  TVM_CHECK(initialised_, "RuntimeError") << "VirtualMachine: call init(device) first";
  size_t base = frames_.size();
  try {
    PushFrame(func_index, args, -1);
    return RunLoop();
  } catch (...) {
    frames_.resize(base);
    throw;
  }
}

void VirtualMachine::InvokePacked(const Instruction& instr, const std::vector<ObjectRef>& regs) {
  std::vector<const DLTensor*> tensors;
  std::vector<const ObjectRef*> todo;
  for (Index r : instr.args) {
    // Tuples pass their fields, in order (nested ones too).
    todo.assign(1, &regs[r]);
    while (!todo.empty()) {
      const ObjectRef* v = todo.back();
      todo.pop_back();
      if (const auto* arr = AsArray(*v)) {
        tensors.push_back(&arr->dl_tensor);
      } else if (const auto* adt = v->defined() ? v->as<ADTObj>() : nullptr) {
        for (auto it = adt->fields.rbegin(); it != adt->fields.rend(); ++it) todo.push_back(&*it);
      } else {
        Fail("TypeError", "kernel '" + exec_->primitive_names[instr.a] + "' takes tensors, register $" +
                              std::to_string(r) + " holds " + KindOf(*v));
      }
    }
  }
  std::vector<TVMValue> values(tensors.size());
  std::vector<int> codes(tensors.size(), kTVMNDArrayHandle);
  for (size_t k = 0; k < tensors.size(); ++k) values[k].v_handle = const_cast<DLTensor*>(tensors[k]);
  TVMRetValue rv;
  try {
    packed_[instr.a].CallPacked(TVMArgs(values.data(), codes.data(), static_cast<int>(values.size())), &rv);
  } catch (const Error& e) {
    Fail(e.kind(), "kernel '" + exec_->primitive_names[instr.a] + "' failed: " + e.what());
  }
}

NDArray VirtualMachine::AllocTensor(const Instruction& instr) {
  ShapeTuple shape(instr.args.begin(), instr.args.end());
  if (!pooled_) return NDArray::Empty(std::move(shape), DataType(instr.dtype), device_);
  int64_t elements = ShapeSize(shape);
  size_t nbytes = static_cast<size_t>(elements) * ((instr.dtype.bits * instr.dtype.lanes + 7) / 8);
  return PooledArray(nbytes, std::move(shape), instr.dtype);
}

NDArray VirtualMachine::PooledArray(size_t nbytes, ShapeTuple shape, DLDataType dtype) {
  // The arrays handed out are views of pooled ones: a view keeps its base referenced, so a
  // base whose only reference is the pool's is free (a kernel output the program, the
  // caller or a closure still holds never is).
  const DLDataType instr_dtype = dtype;
  std::vector<NDArray>& bucket = pool_[nbytes];
  // Only the most recent few are looked at, and a bucket holds a bounded number of arrays, so
  // a program holding many arrays at once (deep recursion) costs neither time nor memory here.
  constexpr size_t kScan = 16, kBucketLimit = 64;
  for (size_t k = 0; k < bucket.size() && k < kScan; ++k) {
    NDArray& base = bucket[bucket.size() - 1 - k];
    if (base.use_count() == 1) return base.CreateView(std::move(shape), DataType(instr_dtype));
  }
  NDArray base = NDArray::Empty(shape, DataType(instr_dtype), device_);
  if (bucket.size() >= kBucketLimit) return base;
  bucket.push_back(base);
  return base.CreateView(std::move(shape), DataType(instr_dtype));
}

std::vector<int64_t> VirtualMachine::ReadIntegers(const std::vector<ObjectRef>& regs, RegName r, const char* what) {
  const auto* arr = AsArray(regs[r]);
  const DLTensor* t = arr ? &arr->dl_tensor : nullptr;
  if (t == nullptr || t->ndim > 1 || (t->dtype.code != kDLInt && t->dtype.code != kDLUInt) ||
      (t->dtype.bits != 32 && t->dtype.bits != 64) || t->dtype.lanes != 1) {
    Fail("TypeError", std::string(what) + " register $" + std::to_string(r) + " holds " + KindOf(regs[r]) +
                          (t ? " of dtype " + DLDataType2String(t->dtype) + " and rank " + std::to_string(t->ndim) : "") +
                          ", not a 0-d or 1-d int32/int64 tensor");
  }
  NDArray cpu = GetRef<NDArray>(arr);
  if (t->device.device_type != kDLCPU) cpu = cpu.CopyTo(DLDevice{kDLCPU, 0});
  int64_t n = t->ndim == 0 ? 1 : t->shape[0];
  std::vector<int64_t> out(static_cast<size_t>(n));
  const char* p = static_cast<const char*>(cpu->data) + cpu->byte_offset;
  for (int64_t k = 0; k < n; ++k) {
    out[k] = t->dtype.bits == 64 ? reinterpret_cast<const int64_t*>(p)[k] : reinterpret_cast<const int32_t*>(p)[k];
  }
  return out;
}

namespace {
/*!
 * \brief Dynamic sizes are pooled by size class (a quarter of a power of two), so that
 *  similar sizes, such as a tensor growing in a loop, reuse each other's storage.
 */
size_t SizeClass(size_t n) {
  if (n <= 64) return 64;
  size_t step = 1;
  while (step * 8 <= n) step <<= 1;  // step = the highest power of two <= n / 4
  return (n + step - 1) / step * step;
}

/*! \brief Bytes of `elements` elements of `dtype`, or -1 on overflow. */
int64_t CheckedBytes(int64_t elements, DLDataType dtype) {
  int64_t width = (dtype.bits * dtype.lanes + 7) / 8;
  if (elements < 0 || (width > 0 && elements > (int64_t{1} << 62) / width)) return -1;
  return elements * width;
}

/*! \brief The element count of `shape`, or -1 when a dimension is negative or it overflows. */
int64_t CheckedElements(const std::vector<int64_t>& shape) {
  int64_t n = 1;
  for (int64_t d : shape) {
    if (d < 0) return -1;
    if (d != 0 && n > (int64_t{1} << 62) / d) return -1;
    n *= d;
  }
  return n;
}
}  // namespace

ObjectRef VirtualMachine::AllocStorage(const Instruction& instr, const std::vector<ObjectRef>& regs) {
  const auto* arr = AsArray(regs[instr.a]);
  std::vector<int64_t> size = ReadIntegers(regs, instr.a, "alloc_storage's size");
  int64_t nbytes = -1;
  if (arr->dl_tensor.ndim == 0) {
    nbytes = size[0];
  } else {
    nbytes = CheckedBytes(CheckedElements(size), instr.dtype);
  }
  if (nbytes < 0) {
    Fail("ValueError", "alloc_storage: the size is negative or too large (" +
                           (arr->dl_tensor.ndim == 0 ? std::to_string(size[0]) + " bytes"
                                                     : "shape " + ShapeString(size.data(), static_cast<int>(size.size()))) +
                           ")");
  }
  if (instr.b > kAllocAlignment) {
    Fail("ValueError", "alloc_storage: alignment " + std::to_string(instr.b) + " exceeds the " +
                           std::to_string(kAllocAlignment) + " bytes arrays are aligned to");
  }
  auto storage = make_object<VMStorageObj>();
  storage->size = static_cast<size_t>(nbytes);
  size_t bytes = pooled_ ? SizeClass(storage->size) : std::max<size_t>(storage->size, 1);
  ShapeTuple shape{static_cast<int64_t>(bytes)};
  DLDataType u8{kDLUInt, 8, 1};
  storage->buffer = pooled_ ? PooledArray(bytes, shape, u8) : NDArray::Empty(shape, DataType(u8), device_);
  return ObjectRef(ObjectPtr<Object>(std::move(storage)));
}

NDArray VirtualMachine::AllocTensorReg(const Instruction& instr, const std::vector<ObjectRef>& regs) {
  const auto* storage = regs[instr.a].defined() ? regs[instr.a].as<VMStorageObj>() : nullptr;
  if (storage == nullptr) {
    Fail("TypeError", "alloc_tensor_reg reads register $" + std::to_string(instr.a) + ", which holds " +
                          KindOf(regs[instr.a]) + ", not a storage");
  }
  std::vector<int64_t> shape = ReadIntegers(regs, instr.c, "alloc_tensor_reg's shape");
  if (AsArray(regs[instr.c])->dl_tensor.ndim != 1) Fail("TypeError", "alloc_tensor_reg's shape must be a 1-d tensor");
  int64_t nbytes = CheckedBytes(CheckedElements(shape), instr.dtype);
  if (nbytes < 0) {
    Fail("ValueError", "alloc_tensor_reg: shape " + ShapeString(shape.data(), static_cast<int>(shape.size())) +
                           " has a negative dimension or is too large");
  }
  if (static_cast<uint64_t>(instr.b) + static_cast<uint64_t>(nbytes) > storage->size) {
    Fail("ValueError", "alloc_tensor_reg: a tensor of shape " + ShapeString(shape.data(), static_cast<int>(shape.size())) +
                           " and dtype " + DLDataType2String(instr.dtype) + " at offset " + std::to_string(instr.b) +
                           " does not fit a storage of " + std::to_string(storage->size) + " bytes");
  }
  NDArray view = storage->buffer.CreateView(ShapeTuple(shape.begin(), shape.end()), DataType(instr.dtype));
  // The view is new and not shared yet: placing it at its offset is safe.
  const_cast<DLTensor*>(view.operator->())->byte_offset += static_cast<uint64_t>(instr.b);
  return view;
}

NDArray VirtualMachine::ReshapeTensor(const Instruction& instr, const std::vector<ObjectRef>& regs) {
  const auto* arr = AsArray(regs[instr.a]);
  if (arr == nullptr) Fail("TypeError", "reshape_tensor reads register $" + std::to_string(instr.a) + ", which holds " + KindOf(regs[instr.a]) + ", not a tensor");
  const DLTensor& t = arr->dl_tensor;
  std::vector<int64_t> shape = instr.b >= 0 ? ReadIntegers(regs, instr.b, "reshape_tensor's new shape") : instr.args;
  if (instr.b >= 0 && AsArray(regs[instr.b])->dl_tensor.ndim != 1) {
    Fail("TypeError", "reshape_tensor's new shape must be a 1-d tensor");
  }
  int64_t elements = CheckedElements(shape);
  if (elements != ShapeSize(ShapeTuple(t.shape, t.shape + t.ndim))) {
    Fail("ValueError", "reshape_tensor cannot view a tensor of shape " + ShapeString(t.shape, t.ndim) + " as " +
                           ShapeString(shape.data(), static_cast<int>(shape.size())));
  }
  return GetRef<NDArray>(arr).CreateView(ShapeTuple(shape.begin(), shape.end()), DataType(t.dtype));
}

ObjectRef VirtualMachine::RunLoop() {
  const size_t base = frames_.size() - 1;
  while (true) {
    Frame& frame = frames_.back();
    const VMFunction& func = exec_->functions[frame.func_index];
    if (frame.pc < 0 || frame.pc >= static_cast<Index>(func.instructions.size())) {
      Fail("RuntimeError", "the program counter left the function");
    }
    const Instruction& instr = func.instructions[frame.pc];
    std::vector<ObjectRef>& regs = frame.registers;
    const std::vector<RegName>& dead = last_reads_[frame.func_index][frame.pc];
    auto release = [&dead, &regs]() {
      for (RegName r : dead) regs[r] = ObjectRef();
    };
    switch (instr.op) {
      case Opcode::Move:
        regs[instr.dst] = regs[instr.a];
        ++frame.pc;
        break;
      case Opcode::Ret: {
        ObjectRef value = regs[instr.a];
        RegName dst = frame.caller_dst;
        frames_.pop_back();
        if (frames_.size() == base) return value;
        frames_.back().registers[dst] = std::move(value);
        ++frames_.back().pc;
        continue;  // the caller released its dead registers at the call
      }
      case Opcode::Invoke: {
        std::vector<ObjectRef> args;
        for (Index r : instr.args) args.push_back(regs[r]);
        release();
        PushFrame(instr.a, std::move(args), instr.dst);  // invalidates `frame`
        continue;
      }
      case Opcode::InvokeClosure: {
        const auto* clo = regs[instr.a].defined() ? regs[instr.a].as<VMClosureObj>() : nullptr;
        if (clo == nullptr) Fail("TypeError", "calls register $" + std::to_string(instr.a) + ", which holds " + KindOf(regs[instr.a]) + ", not a closure");
        if (clo->func_index < 0 || clo->func_index >= static_cast<Index>(exec_->functions.size())) {
          Fail("ValueError", "the closure refers to no function of this executable");
        }
        std::vector<ObjectRef> args = clo->free_vars;
        for (Index r : instr.args) args.push_back(regs[r]);
        Index func_index = clo->func_index;  // release() may free the closure (its register dies here)
        release();
        PushFrame(func_index, std::move(args), instr.dst);  // invalidates `frame`
        continue;
      }
      case Opcode::InvokePacked:
        InvokePacked(instr, regs);
        ++frame.pc;
        break;
      case Opcode::AllocTensor:
        regs[instr.dst] = AllocTensor(instr);
        ++frame.pc;
        break;
      case Opcode::AllocADT: {
        std::vector<ObjectRef> fields;
        for (Index r : instr.args) fields.push_back(regs[r]);
        regs[instr.dst] = MakeADT(static_cast<int32_t>(instr.a), std::move(fields));
        ++frame.pc;
        break;
      }
      case Opcode::AllocClosure: {
        auto clo = make_object<VMClosureObj>();
        clo->func_index = instr.a;
        for (Index r : instr.args) clo->free_vars.push_back(regs[r]);
        regs[instr.dst] = ObjectRef(ObjectPtr<Object>(std::move(clo)));
        ++frame.pc;
        break;
      }
      case Opcode::GetField: {
        const auto* adt = regs[instr.a].defined() ? regs[instr.a].as<ADTObj>() : nullptr;
        if (adt == nullptr) Fail("TypeError", "get_field reads register $" + std::to_string(instr.a) + ", which holds " + KindOf(regs[instr.a]) + ", not an ADT");
        if (instr.b >= static_cast<Index>(adt->fields.size())) {
          Fail("IndexError", "field " + std::to_string(instr.b) + " of an ADT with " + std::to_string(adt->fields.size()) + " fields");
        }
        ObjectRef field = adt->fields[instr.b];
        regs[instr.dst] = std::move(field);
        ++frame.pc;
        break;
      }
      case Opcode::If: {
        auto read = [&](Index r) -> int64_t {
          const auto* arr = AsArray(regs[r]);
          if (arr == nullptr || ShapeSize(ShapeTuple(arr->dl_tensor.shape, arr->dl_tensor.shape + arr->dl_tensor.ndim)) != 1) {
            Fail("TypeError", "if tests register $" + std::to_string(r) + ", which holds " + KindOf(regs[r]) + ", not a scalar");
          }
          NDArray cpu = GetRef<NDArray>(arr);
          if (arr->dl_tensor.device.device_type != kDLCPU) {
            cpu = NDArray::Empty({}, DataType(arr->dl_tensor.dtype), DLDevice{kDLCPU, 0});
            cpu.CopyFrom(&arr->dl_tensor);
          }
          const DLDataType t = cpu->dtype;
          const void* p = static_cast<const char*>(cpu->data) + cpu->byte_offset;
          if (t.code == kDLFloat) {
            if (t.bits == 32) return static_cast<int64_t>(*static_cast<const float*>(p));
            if (t.bits == 64) return static_cast<int64_t>(*static_cast<const double*>(p));
          }
          switch (t.bits) {
            case 1:
            case 8: return t.code == kDLInt ? *static_cast<const int8_t*>(p) : *static_cast<const uint8_t*>(p);
            case 16: return *static_cast<const int16_t*>(p);
            case 32: return *static_cast<const int32_t*>(p);
            case 64: return *static_cast<const int64_t*>(p);
          }
          Fail("TypeError", "if cannot test a " + DLDataType2String(t) + " value");
        };
        bool equal = read(instr.a) == read(instr.b);
        frame.pc += equal ? instr.c : instr.d;
        break;
      }
      case Opcode::LoadConst:
        regs[instr.dst] = constants_[instr.a];
        ++frame.pc;
        break;
      case Opcode::Goto:
        frame.pc += instr.a;
        break;
      case Opcode::GetTag: {
        const auto* adt = regs[instr.a].defined() ? regs[instr.a].as<ADTObj>() : nullptr;
        if (adt == nullptr) Fail("TypeError", "get_tag reads register $" + std::to_string(instr.a) + ", which holds " + KindOf(regs[instr.a]) + ", not an ADT");
        regs[instr.dst] = ScalarArray(adt->tag, DLDataType{kDLInt, 32, 1});
        ++frame.pc;
        break;
      }
      case Opcode::LoadConsti:
        regs[instr.dst] = ScalarArray(instr.a, DLDataType{kDLInt, 64, 1});
        ++frame.pc;
        break;
      case Opcode::ReshapeTensor:
        regs[instr.dst] = ReshapeTensor(instr, regs);
        ++frame.pc;
        break;
      case Opcode::AllocStorage:
        regs[instr.dst] = AllocStorage(instr, regs);
        ++frame.pc;
        break;
      case Opcode::AllocTensorReg:
        regs[instr.dst] = AllocTensorReg(instr, regs);
        ++frame.pc;
        break;
      case Opcode::ShapeOf: {
        const auto* arr = AsArray(regs[instr.a]);
        if (arr == nullptr) Fail("TypeError", "shape_of reads register $" + std::to_string(instr.a) + ", which holds " + KindOf(regs[instr.a]) + ", not a tensor");
        const DLTensor& t = arr->dl_tensor;
        NDArray shape = NDArray::Empty({t.ndim}, DataType::Int(64), DLDevice{kDLCPU, 0});
        std::copy(t.shape, t.shape + t.ndim, static_cast<int64_t*>(shape->data));
        regs[instr.dst] = shape;
        ++frame.pc;
        break;
      }
      case Opcode::KillRegister:
        regs[instr.dst] = ObjectRef();
        ++frame.pc;
        break;
      case Opcode::Fatal:
        Fail("RuntimeError", "reached a fatal instruction: no clause of a match fits the value");
    }
    release();
  }
}

PackedFunc VirtualMachine::GetFunction(const String& name, const ObjectPtr<Object>& sptr_to_self) {
  std::string n = name;
  if (n == "init") {
    return PackedFunc([sptr_to_self, this](TVMArgs args, TVMRetValue*) {
      TVM_CHECK(exec_module_.defined(), "RuntimeError") << "VirtualMachine has no executable";
      DLDevice dev{kDLCPU, 0};
      if (args.size() >= 1 && args[0].type_code() == kDLDevice) {
        dev = args[0];
      } else {
        TVM_CHECK(args.size() >= 2, "TypeError") << "VirtualMachine.init(device_type, device_id[, alloc_type])";
        dev.device_type = static_cast<DLDeviceType>(args[0].operator int64_t());
        dev.device_id = static_cast<int>(args[1].operator int64_t());
      }
      Init(exec_module_, dev);
      if (args.size() >= 3 && args[0].type_code() != kDLDevice) SetPooled(args[2].operator int64_t() != 1);
    });
  } else if (n == "set_input") {
    return PackedFunc([sptr_to_self, this](TVMArgs args, TVMRetValue*) {
      TVM_CHECK(args.size() >= 1, "TypeError") << "set_input(func_name, args...)";
      SetInput(args[0].operator std::string(), args, 1);
    });
  } else if (n == "set_one_input") {
    return PackedFunc([sptr_to_self, this](TVMArgs args, TVMRetValue*) {
      TVM_CHECK(args.size() == 3, "TypeError") << "set_one_input(func_name, index or name, tensor)";
      std::string fname = args[0].operator std::string();
      Index f = CheckedFunction(fname);
      const auto& params = exec_->functions[f].params;
      int64_t index = -1;
      if (args[1].type_code() == kTVMStr) {
        std::string pname = args[1].operator std::string();
        for (size_t i = 0; i < params.size(); ++i) {
          if (params[i] == pname) index = static_cast<int64_t>(i);
        }
        TVM_CHECK(index >= 0, "ValueError") << "VM function '" << fname << "' has no parameter '" << pname << "'";
      } else {
        index = args[1].operator int64_t();
        TVM_CHECK(index >= 0 && index < static_cast<int64_t>(params.size()), "IndexError")
            << "VM function '" << fname << "' has " << params.size() << " parameters, no parameter " << index;
      }
      auto& in = inputs_[fname];
      in.resize(params.size());
      ObjectRef v;
      if (args[2].type_code() == kTVMDLTensorHandle) {
        const DLTensor* t = args[2];
        NDArray d = NDArray::Empty(ShapeTuple(t->shape, t->shape + t->ndim), DataType(t->dtype), device_);
        d.CopyFrom(t);
        v = d;
      } else {
        v = args[2].AsObjectRef();
      }
      in[index] = ToDevice(v, "parameter '" + params[index] + "'");
    });
  } else if (n == "invoke" || n == "invoke_stateful") {
    bool stateful = n == "invoke_stateful";
    return PackedFunc([sptr_to_self, this, stateful](TVMArgs args, TVMRetValue* rv) {
      TVM_CHECK(args.size() >= 1, "TypeError") << "invoke(func_name)";
      std::string fname = args[0].operator std::string();
      Index f = CheckedFunction(fname);
      if (args.size() > 1) SetInput(fname, args, 1);
      auto it = inputs_.find(fname);
      const size_t arity = exec_->functions[f].params.size();
      TVM_CHECK(arity == 0 || (it != inputs_.end() && it->second.size() == arity), "ValueError")
          << "VM function '" << fname << "' takes " << arity << " arguments: call set_input first";
      std::vector<ObjectRef> in = arity == 0 ? std::vector<ObjectRef>() : it->second;
      for (size_t i = 0; i < in.size(); ++i) {
        TVM_CHECK(in[i].defined(), "ValueError") << "VM function '" << fname << "': input " << i << " is not set";
      }
      ObjectRef result = Invoke(f, in);
      if (stateful) {
        last_result_ = result;
      } else {
        *rv = result;
      }
    });
  } else if (n == "get_output") {
    return PackedFunc([sptr_to_self, this](TVMArgs args, TVMRetValue* rv) {
      int64_t i = args[0];
      TVM_CHECK(last_result_.defined(), "ValueError") << "get_output: run invoke_stateful first";
      if (const auto* adt = last_result_.as<ADTObj>()) {
        TVM_CHECK(i >= 0 && i < static_cast<int64_t>(adt->fields.size()), "IndexError")
            << "get_output: output " << i << " of " << adt->fields.size();
        *rv = adt->fields[i];
      } else {
        TVM_CHECK(i == 0, "IndexError") << "get_output: output " << i << " of 1";
        *rv = last_result_;
      }
    });
  } else if (n == "get_num_outputs") {
    return PackedFunc([sptr_to_self, this](TVMArgs, TVMRetValue* rv) {
      TVM_CHECK(last_result_.defined(), "ValueError") << "get_num_outputs: run invoke_stateful first";
      const auto* adt = last_result_.as<ADTObj>();
      *rv = static_cast<int64_t>(adt ? adt->fields.size() : 1);
    });
  } else if (n == "get_input_index") {
    return PackedFunc([sptr_to_self, this](TVMArgs args, TVMRetValue* rv) {
      std::string pname = args[0].operator std::string();
      Index f = CheckedFunction(args[1].operator std::string());
      const auto& params = exec_->functions[f].params;
      int64_t index = -1;
      for (size_t i = 0; i < params.size(); ++i) {
        if (params[i] == pname) index = static_cast<int64_t>(i);
      }
      *rv = index;
    });
  } else if (n == "get_function_arity" || n == "get_function_param_name") {
    return exec_module_.GetFunction(name, false);
  }
  return PackedFunc();
}

TVM_REGISTER_GLOBAL("runtime._VirtualMachine").set_body([](TVMArgs args, TVMRetValue* rv) {
  Module exec = args[0];
  TVM_CHECK(dynamic_cast<Executable*>(exec.operator->()) != nullptr, "TypeError")
      << "VirtualMachine needs a VM executable (relay.vm.compile's result), got a " << exec->type_key() << " module";
  auto vm = make_object<VirtualMachine>();
  vm->Init(exec, DLDevice{kDLCPU, 0});
  *rv = Module(ObjectPtr<Object>(std::move(vm)));
});

TVM_REGISTER_GLOBAL("runtime.GetVMClosureIndex").set_body([](TVMArgs args, TVMRetValue* rv) {
  ObjectRef ref = args[0].AsObjectRef();
  const auto* clo = ref.defined() ? ref.as<VMClosureObj>() : nullptr;
  TVM_CHECK(clo != nullptr, "TypeError") << "runtime.GetVMClosureIndex expects a VM closure";
  *rv = clo->func_index;
});

}  // namespace vm
}  // namespace runtime
}  // namespace tvm
