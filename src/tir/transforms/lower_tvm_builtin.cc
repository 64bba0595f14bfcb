/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file lower_tvm_builtin.cc
 * \brief LowerTVMBuiltin: packed calls and run-time arrays become explicit
 *  stack memory.
 *
 * Assumes: after MakePackedAPI (AttrStmts "device_type"/"device_id" give the
 *  device of the arguments; without them the CPU is assumed).
 *
 * Guarantees:
 *  - tvm_call_packed(name, a0, ..., an-1) becomes
 *      tvm_call_packed_lowered(name, stack_value, stack_tcode, begin, begin + n)
 *    preceded by one tvm_struct_set(stack_value, begin + i, kTVMValueContent,
 *    a_i) and one store of a_i's type code into stack_tcode per argument
 *    (integers are passed as int64, floats as float64). The stacks are
 *    tvm_stack_alloca'd once at the top of the function, sized for the
 *    largest call; calls in different statements reuse them.
 *  - tvm_stack_make_shape(d...) fills the int64 stack "stack_shape" and
 *    yields the address of its first element; tvm_stack_make_array(data,
 *    shape, strides, ndim, dtype_hint, elem_offset) fills one DLTensor of
 *    "stack_array" (data, shape, strides, ndim, dtype, byte offset, device).
 *  The "device_type"/"device_id" AttrStmts are removed.
 *  - Allocations are left to the code generator (stack for small constant
 *    sizes, the runtime's workspace otherwise), except a "global" one under a
 *    constant device_type attribute naming another device than the CPU (host
 *    code allocating device memory), which becomes
 *      ptr = TVMBackendAllocWorkspace(dev_type, dev_id, nbytes, code, bits)
 *      attr [ptr] storage_alignment = 64; if isnullptr(ptr): throw
 *      body; if TVMBackendFreeWorkspace(dev_type, dev_id, ptr) != 0: throw
 *    (an allocation annotated "disable_lower_builtin" is kept). A device_id
 *    attribute without a device_type one is an error.
 *
 *   before:  T.tvm_call_packed("f", x)
 *   after:   stack_value: T.handle = T.tvm_stack_alloca("arg_value", 2)
 *            stack_tcode: T.handle("int32") = T.tvm_stack_alloca("arg_tcode", 2)
 *            T.tvm_struct_set(stack_value, 0, 12, T.Cast("int64", x))
 *            stack_tcode_1[0] = 0
 *            T.tvm_call_packed_lowered("f", stack_value, stack_tcode, 0, 1)
 */
#include <tvm/runtime/c_runtime_api.h>
#include <tvm/runtime/registry.h>
#include <tvm/tir/transform.h>

#include "ir_utils.h"

namespace tvm {
namespace tir {
namespace {

class BuiltinLowerer : public StmtExprMutator {
 public:
  /*! \brief Stack sizes known from an earlier run (so the stack buffers have their final sizes). */
  BuiltinLowerer(int64_t args, int64_t shape, int64_t array) : max_args_(args), max_shape_(shape), max_array_(array) {
    tcodes_ = FlatBufferOver(stack_tcode_, DataType::Int(32), I32(std::max<int64_t>(args, 1)), "stack_tcode");
    shapes_ = FlatBufferOver(stack_shape_, DataType::Int(64), I32(std::max<int64_t>(shape, 1)), "stack_shape");
  }

  int64_t max_args() const { return max_args_; }
  int64_t max_shape() const { return max_shape_; }
  int64_t max_array() const { return max_array_; }

  Stmt Run(const Stmt& body) {
    Stmt s = VisitStmt(body);
    using builtin::tvm_stack_alloca;
    if (max_array_ > 0) {
      s = LetStmt(stack_array_, Call(DataType::Handle(), tvm_stack_alloca(), {StringImm("array"), I32(max_array_)}), s);
    }
    if (max_shape_ > 0) {
      s = LetStmt(stack_shape_, Call(DataType::Handle(), tvm_stack_alloca(), {StringImm("shape"), I32(max_shape_)}), s);
    }
    if (max_args_ > 0) {
      s = LetStmt(stack_tcode_, Call(DataType::Handle(), tvm_stack_alloca(), {StringImm("arg_tcode"), I32(max_args_)}),
                  s);
      s = LetStmt(stack_value_, Call(DataType::Handle(), tvm_stack_alloca(), {StringImm("arg_value"), I32(max_args_)}),
                  s);
    }
    return s;
  }

 protected:
  Stmt VisitStmt(const Stmt& s) final {
    std::vector<Stmt> saved_prep = std::move(prep_);
    int64_t saved_args = args_used_, saved_shape = shape_used_, saved_array = array_used_;
    prep_.clear();
    args_used_ = shape_used_ = array_used_ = 0;
    Stmt out = StmtExprMutator::VisitStmt(s);
    if (!prep_.empty()) {
      prep_.push_back(out);
      out = SeqStmt::Flatten(prep_);
    }
    prep_ = std::move(saved_prep);
    args_used_ = saved_args;
    shape_used_ = saved_shape;
    array_used_ = saved_array;
    return out;
  }

  Stmt VisitStmt_(const AttrStmtNode* op) final {
    if (op->attr_key == attr::device_type) {
      // Consumed here: later stages take the device from the calls built below.
      PrimExpr saved = device_type_;
      device_type_ = op->value;
      Stmt s = VisitStmt(op->body);
      device_type_ = saved;
      return s;
    }
    if (op->attr_key == attr::device_id) {
      // Consumed here: later stages take the device from the calls built below.
      PrimExpr saved = device_id_;
      device_id_ = op->value;
      Stmt s = VisitStmt(op->body);
      device_id_ = saved;
      return s;
    }
    return StmtExprMutator::VisitStmt_(op);
  }

  Stmt VisitStmt_(const AllocateNode* op) final {
    Stmt stmt = StmtExprMutator::VisitStmt_(op);
    op = stmt.as<AllocateNode>();
    if (auto keep = op->annotations.Get("disable_lower_builtin"); keep.has_value()) {
      if (const auto* imm = (*keep).as<IntImmNode>(); imm != nullptr && imm->value != 0) return stmt;
    }
    TVM_CHECK(!device_id_.defined() || device_type_.defined(), "ValueError")
        << "LowerTVMBuiltin: allocation of " << op->buffer_var->name_hint
        << " is under a device_id attribute but no device_type one: its device is unknown";
    const auto* device_imm = device_type_.as<IntImmNode>();
    // On-chip scopes (shared, local) never come from the workspace pool.
    if (device_imm == nullptr || device_imm->value == kDLCPU || ScopeOfVar(op->buffer_var) != "global") return stmt;
    int device = static_cast<int>(device_imm->value);
    TVM_CHECK(device_id_.defined(), "ValueError")
        << "LowerTVMBuiltin: allocation of " << op->buffer_var->name_hint << " on device type " << device
        << " needs a device_id attribute";
    PrimExpr dev_type = I32(device);
    PrimExpr dev_id = cast(DataType::Int(32), device_id_);
    PrimExpr nbytes = make_const(DataType::UInt(64), (op->dtype.bits() * op->dtype.lanes() + 7) / 8);
    for (const PrimExpr& e : op->extents) nbytes = mul(nbytes, cast(DataType::UInt(64), e));
    Stmt throw_error = Evaluate(Call(DataType::Int(32), builtin::tvm_throw_last_error(), {}));
    Stmt null_check = IfThenElse(Call(DataType::Bool(), builtin::isnullptr(), {op->buffer_var}), throw_error);
    PrimExpr free_call = Call(DataType::Int(32), Op::Get("tir.TVMBackendFreeWorkspace"), {dev_type, dev_id, op->buffer_var});
    Stmt free_check = IfThenElse(not_equal(free_call, I32(0)), throw_error);
    // DeclBuffers of the allocation stay around the body, inside the null check.
    std::vector<Stmt> decls;
    Stmt body = op->body;
    while (const auto* decl = body.as<DeclBufferNode>()) {
      decls.push_back(DeclBuffer(decl->buffer, Evaluate(0)));
      body = decl->body;
    }
    body = SeqStmt::Flatten(body, free_check);
    for (auto it = decls.rbegin(); it != decls.rend(); ++it) body = DeclBuffer(it->as<DeclBufferNode>()->buffer, body);
    body = SeqStmt::Flatten(null_check, body);
    body = AttrStmt(op->buffer_var, attr::storage_alignment, I32(64), body);
    PrimExpr alloc = Call(op->buffer_var.dtype(), Op::Get("tir.TVMBackendAllocWorkspace"),
                          {dev_type, dev_id, nbytes, I32(op->dtype.code()), I32(op->dtype.bits())});
    return LetStmt(op->buffer_var, alloc, body);
  }

  PrimExpr VisitExpr_(const CallNode* op) final {
    if (op->op.same_as(builtin::tvm_call_packed())) return LowerPacked(op, builtin::tvm_call_packed_lowered());
    if (op->op.same_as(builtin::tvm_call_cpacked())) return LowerPacked(op, builtin::tvm_call_cpacked_lowered());
    if (op->op.same_as(builtin::tvm_stack_make_shape())) return MakeShape(op);
    if (op->op.same_as(builtin::tvm_stack_make_array())) return MakeArray(op);
    return StmtExprMutator::VisitExpr_(op);
  }

  PrimExpr LowerPacked(const CallNode* op, const Op& lowered) {
    TVM_CHECK(!op->args.empty(), "ValueError") << "tvm_call_packed needs the function name as first argument";
    int64_t n = static_cast<int64_t>(op->args.size()) - 1;
    int64_t begin = args_used_;
    args_used_ += n;
    // The return value is written into the slot after the arguments.
    max_args_ = std::max(max_args_, args_used_ + 1);
    for (int64_t i = 0; i < n; ++i) {
      PrimExpr arg = VisitExpr(op->args[i + 1]);
      int code;
      DataType t = arg.dtype();
      if (arg.as<StringImmNode>()) {
        code = kTVMStr;
      } else if (t.is_handle()) {
        const auto* call = arg.as<CallNode>();
        bool tensor = call != nullptr && call->op.same_as(builtin::tvm_struct_get()) && call->args.size() == 3 &&
                      is_const_int(call->args[2], builtin::kArrAddr);
        code = tensor ? kTVMDLTensorHandle : kTVMOpaqueHandle;
      } else if (t.is_float()) {
        code = kDLFloat;
        arg = cast(DataType::Float(64), arg);
      } else if (t.is_int() || t.is_uint() || t.is_bool()) {
        code = kDLInt;
        arg = cast(DataType::Int(64), arg);
      } else {
        TVM_CHECK(false, "TypeError") << "tvm_call_packed: argument " << i << " has unsupported type " << t;
        code = 0;
      }
      prep_.push_back(Evaluate(Call(DataType::Int(32), builtin::tvm_struct_set(),
                                    {stack_value_, I32(begin + i), I32(builtin::kTVMValueContent), arg})));
      prep_.push_back(BufferStore(tcodes_, I32(code), {I32(begin + i)}));
    }
    return Call(op->dtype, lowered, {op->args[0], stack_value_, stack_tcode_, I32(begin), I32(begin + n)});
  }

  PrimExpr MakeShape(const CallNode* op) {
    int64_t begin = shape_used_;
    shape_used_ += static_cast<int64_t>(op->args.size());
    max_shape_ = std::max(max_shape_, shape_used_);
    for (size_t i = 0; i < op->args.size(); ++i) {
      prep_.push_back(BufferStore(shapes_, cast(DataType::Int(64), VisitExpr(op->args[i])), {I32(begin + i)}));
    }
    return Call(DataType::Handle(), builtin::address_of(), {BufferLoad(shapes_, {I32(begin)})});
  }

  PrimExpr MakeArray(const CallNode* op) {
    TVM_CHECK(op->args.size() == 6, "ValueError")
        << "tvm_stack_make_array(data, shape, strides, ndim, dtype_hint, elem_offset) takes 6 arguments";
    int64_t idx = array_used_++;
    max_array_ = std::max(max_array_, array_used_);
    Array<PrimExpr> args = VisitExprs(op->args);
    DataType t = args[4].dtype();
    auto set = [&](int field, PrimExpr value) {
      prep_.push_back(Evaluate(Call(DataType::Int(32), builtin::tvm_struct_set(),
                                    {stack_array_, I32(idx), I32(field), value})));
    };
    using namespace builtin;
    set(kArrData, args[0]);
    set(kArrShape, args[1]);
    set(kArrStrides, is_zero(args[2]) ? Call(DataType::Handle(), reinterpret(), {make_const(DataType::UInt(64), 0)})
                                      : args[2]);
    set(kArrNDim, args[3]);
    set(kArrTypeCode, make_const(DataType::UInt(8), t.code()));
    set(kArrTypeBits, make_const(DataType::UInt(8), t.bits()));
    set(kArrTypeLanes, make_const(DataType::UInt(16), t.lanes()));
    set(kArrByteOffset, mul(cast(DataType::UInt(64), args[5]), make_const(DataType::UInt(64), t.bytes())));
    set(kArrDeviceType, device_type_.defined() ? device_type_ : I32(kDLCPU));
    set(kArrDeviceId, device_id_.defined() ? device_id_ : I32(0));
    return Call(DataType::Handle(), tvm_struct_get(), {stack_array_, I32(idx), I32(kArrAddr)});
  }

 private:
  Var stack_value_{"stack_value", DataType::Handle()};
  Var stack_tcode_{"stack_tcode", PointerType(PrimType(DataType::Int(32)))};
  Var stack_shape_{"stack_shape", PointerType(PrimType(DataType::Int(64)))};
  Var stack_array_{"stack_array", DataType::Handle()};
  Buffer tcodes_, shapes_;
  std::vector<Stmt> prep_;
  int64_t args_used_ = 0, shape_used_ = 0, array_used_ = 0;
  int64_t max_args_, max_shape_, max_array_;
  PrimExpr device_type_, device_id_;
};

}  // namespace

namespace transform {

Pass LowerTVMBuiltin() {
  auto fpass = [](PrimFunc f, IRModule m, PassContext ctx) {
    BuiltinLowerer sizing(0, 0, 0);
    Stmt body = sizing.Run(f->body);
    if (sizing.max_args() > 0 || sizing.max_shape() > 0) {
      // Again, with stack buffers of their final sizes.
      body = BuiltinLowerer(sizing.max_args(), sizing.max_shape(), sizing.max_array()).Run(f->body);
    }
    if (body.same_as(f->body)) return f;
    f.CopyOnWrite()->body = body;
    return f;
  };
  return CreatePrimFuncPass(fpass, 0, "tir.LowerTVMBuiltin", {});
}

TVM_REGISTER_GLOBAL("tir.transform.LowerTVMBuiltin").set_body_typed([]() { return LowerTVMBuiltin(); });

}  // namespace transform
}  // namespace tir
}  // namespace tvm
