/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file make_packed_api.cc
 * \brief MakePackedAPI: give a PrimFunc the packed calling convention that
 *  compiled kernels export, and check every argument before the body runs.
 *
 * Assumes: a lowered PrimFunc (flat body) whose handle parameters are bound
 *  to buffers in buffer_map and whose other parameters are scalars. Its name
 *  is the "global_symbol" attribute; a function without one is private to
 *  the module (called by its other functions) and left unchanged.
 *
 * Guarantees: the parameters become
 *    (args: handle, arg_type_ids: handle, num_args: int32,
 *     out_ret_value: handle, out_ret_tcode: handle, resource_handle: handle)
 *  and buffer_map is empty; attribute "calling_conv" is 1 (packed). The
 *  body starts with checks, each an AssertStmt whose message names the
 *  function and argument, so a wrong call raises a clear error instead of
 *  reading out of bounds:
 *    - "<f>: num_args should be N"
 *    - "<f>: Expect arg[i] to be pointer|int|float" (type codes)
 *    - "<f>.A.ndim is expected to equal R"
 *    - "<f>.A.dtype is expected to be float32" (code, bits and lanes)
 *    - "<f>.A.shape[k] is expected to equal 1024" for constants; a symbolic
 *      dimension is bound at its first occurrence and every later one must
 *      agree: "<f>.B.shape[0] is expected to equal n (<f>.A.shape[0])"
 *    - "<f>.A.strides: expected to be compact array" when the buffer has no
 *      strides (checked only when the strides pointer is not NULL); symbolic
 *      strides are bound (to the compact ones when the pointer is NULL)
 *    - "<f>.A.byte_offset is expected to be 0", or a multiple of the element
 *      size when elem_offset is symbolic (then bound, and a multiple of the
 *      buffer's offset_factor: "<f>.A.elem_offset is expected to be a
 *      multiple of 4").
 *    - "<f>.A.data is expected to be 64-byte aligned" (the buffer's
 *      data_alignment, at least the element size); an AttrStmt
 *      "storage_alignment" on the data variable then tells code generation
 *      it may assume that alignment.
 *    - "<f>.B.device_type is expected to equal that of <f>.A" (and device_id)
 *  then the data pointers, shapes and scalars are bound by LetStmt, and the
 *  body runs inside AttrStmts "device_id" and "device_type" (read by
 *  LowerTVMBuiltin). A function that already has the packed convention is
 *  left as it is.
 *
 *   before:  def main(A: T.Buffer((n,), "float32")): ...
 *   after:   def main(args: T.handle, arg_type_ids: T.handle("int32"), num_args: T.int32, ...):
 *                assert num_args == 1, "main: num_args should be 1"
 *                A: T.handle = T.tvm_struct_get(args, 0, 12)
 *                ...
 *                n: T.int32 = T.Cast("int32", A_shape_1[0])
 */
#include <tvm/runtime/c_runtime_api.h>
#include <tvm/runtime/registry.h>
#include <tvm/target/target.h>
#include <tvm/tir/transform.h>

#include <algorithm>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "ir_utils.h"

namespace tvm {
namespace tir {
namespace {

class PackedArgBinder {
 public:
  explicit PackedArgBinder(std::string func_name) : name_(std::move(func_name)) {}

  std::vector<Stmt> nest;

  void Assert(PrimExpr cond, const std::string& message) {
    nest.push_back(AssertStmt(cond, StringImm(message), Evaluate(0)));
  }

  void Let(const Var& var, PrimExpr value) {
    nest.push_back(LetStmt(var, value, Evaluate(0)));
    defined_[var.get()] = "";
  }

  /*!
   * \brief field (a dimension, stride or offset expression of a buffer) takes
   *  the run-time value: binds field when it is a new variable, else checks.
   */
  void Bind(const PrimExpr& field, const PrimExpr& value, const std::string& what) {
    if (const auto* v = field.as<VarNode>()) {
      auto it = defined_.find(v);
      if (it == defined_.end()) {
        nest.push_back(LetStmt(GetRef<Var>(v), value, Evaluate(0)));
        defined_[v] = what;
        return;
      }
      std::string origin = it->second.empty() ? "" : " (" + it->second + ")";
      Assert(equal(field, value), what + " is expected to equal " + v->name_hint + origin);
      return;
    }
    std::ostringstream os;
    os << what << " is expected to equal " << field;
    Assert(equal(cast(value.dtype(), field), value), os.str());
  }

  void BindBuffer(const Buffer& buffer, const Var& handle, const std::string& prefix, bool first_buffer,
                  const Var& device_type, const Var& device_id, const std::string& first_name) {
    using namespace builtin;
    auto get = [&](DataType t, int field) {
      return Call(t, tvm_struct_get(), {handle, I32(0), I32(field)});
    };
    int rank = static_cast<int>(buffer->shape.size());
    Assert(equal(get(DataType::Int(32), kArrNDim), I32(rank)),
           prefix + ".ndim is expected to equal " + std::to_string(rank));
    DataType dt = buffer->dtype;
    PrimExpr dtype_ok = logical_and(
        logical_and(equal(get(DataType::UInt(8), kArrTypeCode), make_const(DataType::UInt(8), dt.code())),
                    equal(get(DataType::UInt(8), kArrTypeBits), make_const(DataType::UInt(8), dt.bits()))),
        equal(get(DataType::UInt(16), kArrTypeLanes), make_const(DataType::UInt(16), dt.lanes())));
    Assert(dtype_ok, prefix + ".dtype is expected to be " + runtime::DLDataType2String(dt));

    // The data pointer, read once the handle is known to be an array (its
    // alignment is checked last, after the fields that locate the data).
    Bind(buffer->data, get(DataType::Handle(), kArrData), prefix + ".data");

    // Shape: an int64 array.
    Var shape_ptr(handle->name_hint + "_shape", PointerType(PrimType(DataType::Int(64))));
    Let(shape_ptr, get(DataType::Handle(), kArrShape));
    Buffer shape_buf = FlatBufferOver(shape_ptr, DataType::Int(64), I32(rank), handle->name_hint + "_shape");
    for (int k = 0; k < rank; ++k) {
      PrimExpr dim = buffer->shape[k];
      PrimExpr value = cast(dim.dtype(), BufferLoad(shape_buf, {I32(k)}));
      Bind(dim, value, prefix + ".shape[" + std::to_string(k) + "]");
    }

    // Strides: NULL means compact.
    Var strides_ptr(handle->name_hint + "_strides", PointerType(PrimType(DataType::Int(64))));
    Let(strides_ptr, get(DataType::Handle(), kArrStrides));
    Buffer strides_buf = FlatBufferOver(strides_ptr, DataType::Int(64), I32(rank), handle->name_hint + "_strides");
    PrimExpr strides_null = Call(DataType::Bool(), isnullptr(), {strides_ptr});
    if (buffer->strides.empty()) {
      if (rank > 0) {
        // Only read the strides array when there is one.
        PrimExpr expect = make_const(DataType::Int(64), 1);
        PrimExpr compact;
        for (int k = rank - 1; k >= 0; --k) {
          PrimExpr ok = equal(BufferLoad(strides_buf, {I32(k)}), expect);
          compact = compact.defined() ? logical_and(compact, ok) : ok;
          expect = mul(expect, cast(DataType::Int(64), buffer->shape[k]));
        }
        Stmt check = AssertStmt(compact, StringImm(prefix + ".strides: expected to be compact array"), Evaluate(0));
        nest.push_back(IfThenElse(logical_not(strides_null), check));
      }
    } else {
      // NULL strides mean compact ones, computed from the shape.
      PrimExpr compact = make_const(DataType::Int(64), 1);
      std::vector<PrimExpr> compact_strides(rank);
      for (int k = rank - 1; k >= 0; --k) {
        compact_strides[k] = compact;
        compact = mul(compact, cast(DataType::Int(64), buffer->shape[k]));
      }
      for (int k = 0; k < rank; ++k) {
        PrimExpr stride = buffer->strides[k];
        PrimExpr value = if_then_else(strides_null, compact_strides[k], BufferLoad(strides_buf, {I32(k)}));
        Bind(stride, cast(stride.dtype(), value), prefix + ".strides[" + std::to_string(k) + "]");
      }
    }

    // Byte offset and element offset.
    PrimExpr byte_offset = get(DataType::UInt(64), kArrByteOffset);
    int64_t elem_bytes = dt.bytes();
    if (is_zero(buffer->elem_offset)) {
      Assert(equal(byte_offset, make_const(DataType::UInt(64), 0)), prefix + ".byte_offset is expected to be 0");
    } else {
      Assert(equal(floormod(byte_offset, make_const(DataType::UInt(64), elem_bytes)), make_const(DataType::UInt(64), 0)),
             prefix + ".byte_offset is expected to be a multiple of the element size " + std::to_string(elem_bytes));
      PrimExpr elems = cast(buffer->elem_offset.dtype(), floordiv(byte_offset, make_const(DataType::UInt(64), elem_bytes)));
      Bind(buffer->elem_offset, elems, prefix + ".elem_offset");
      if (buffer->offset_factor > 1) {
        // The body may rely on the declared alignment of the first element.
        PrimExpr factor = make_const(buffer->elem_offset.dtype(), buffer->offset_factor);
        Assert(equal(floormod(buffer->elem_offset, factor), make_zero(factor.dtype())),
               prefix + ".elem_offset is expected to be a multiple of " + std::to_string(buffer->offset_factor));
      }
    }

    // Device: all buffers live on the device of the first one.
    PrimExpr dev_type = get(DataType::Int(32), kArrDeviceType);
    PrimExpr dev_id = get(DataType::Int(32), kArrDeviceId);
    if (first_buffer) {
      Let(device_type, dev_type);
      Let(device_id, dev_id);
    } else {
      Assert(equal(device_type, dev_type), prefix + ".device_type is expected to equal that of " + first_name);
      Assert(equal(device_id, dev_id), prefix + ".device_id is expected to equal that of " + first_name);
    }

    // Alignment: the body may rely on the buffer's data_alignment (code
    // generation emits aligned vector accesses from it), so an array that does
    // not meet it is refused here rather than faulting later. Unless a buffer
    // was declared with a data_alignment, that is the element size, so
    // zero-copy views of numpy or torch arrays are accepted.
    int64_t align = std::max<int64_t>(buffer->data_alignment, elem_bytes);
    if (align > 1 && (align & (align - 1)) == 0) {
      PrimExpr addr = cast(DataType::UInt(64), buffer->data);
      PrimExpr aligned = equal(floormod(addr, make_const(DataType::UInt(64), align)), make_const(DataType::UInt(64), 0));
      std::string why = align > elem_bytes ? " (the buffer's data_alignment; tvm.nd.array and tvm.nd.empty allocate "
                                             "64-byte aligned memory)"
                                           : " (the element size)";
      Assert(aligned, prefix + ".data is expected to be " + std::to_string(align) + "-byte aligned" + why);
      nest.push_back(AttrStmt(buffer->data, attr::storage_alignment, I32(static_cast<int>(align)), Evaluate(0)));
    }
  }

 private:
  std::string name_;
  std::unordered_map<const VarNode*, std::string> defined_;
};

PrimFunc MakePacked(PrimFunc func, const std::string& name) {
  if (auto conv = func->attrs.GetAttr<Integer>(attr::kCallingConv)) {
    if ((*conv)->value == 1) return func;  // already packed
  }
  const PrimFuncNode* f = func.operator->();
  // A parameter named "device_api_context" is not packed: it is the resource handle.
  std::vector<Var> packed;
  Var resource_handle("resource_handle", DataType::Handle());
  for (const Var& p : f->params) {
    if (p->name_hint == "device_api_context" && p.dtype().is_handle() && !f->buffer_map.count(p)) {
      resource_handle = p;
    } else {
      packed.push_back(p);
    }
  }
  int num_params = static_cast<int>(packed.size());

  Var args("args", DataType::Handle());
  Buffer type_ids = decl_buffer({I32(num_params)}, DataType::Int(32), "arg_type_ids");
  Var num_args("num_args", DataType::Int(32));
  Var out_ret_value("out_ret_value", DataType::Handle());
  Var out_ret_tcode("out_ret_tcode", DataType::Handle());

  PackedArgBinder binder(name);
  binder.Assert(equal(num_args, I32(num_params)), name + ": num_args should be " + std::to_string(num_params));

  std::vector<std::pair<Var, Buffer>> buffers;
  for (int i = 0; i < num_params; ++i) {
    const Var& p = packed[i];
    PrimExpr tcode = BufferLoad(type_ids, {I32(i)});
    std::string arg = name + ": Expect arg[" + std::to_string(i) + "] to be ";
    PrimExpr raw;
    DataType t = p.dtype();
    if (t.is_handle() && f->buffer_map.count(p)) {
      // A buffer parameter needs an array: its fields are read right after.
      PrimExpr ok = logical_or(equal(tcode, I32(kTVMNDArrayHandle)), equal(tcode, I32(kTVMDLTensorHandle)));
      binder.Assert(ok, "TypeError: " + name + ": argument " + std::to_string(i) + " (" + p->name_hint +
                            ") is expected to be an array (tvm.nd.NDArray or DLTensor)");
      raw = Call(DataType::Handle(), builtin::tvm_struct_get(), {args, I32(i), I32(builtin::kTVMValueContent)});
    } else if (t.is_handle()) {
      PrimExpr ok = logical_or(logical_or(equal(tcode, I32(kTVMOpaqueHandle)), equal(tcode, I32(kTVMNDArrayHandle))),
                               logical_or(equal(tcode, I32(kTVMDLTensorHandle)), equal(tcode, I32(kTVMNullptr))));
      binder.Assert(ok, arg + "pointer");
      raw = Call(DataType::Handle(), builtin::tvm_struct_get(), {args, I32(i), I32(builtin::kTVMValueContent)});
    } else if (t.is_int() || t.is_uint() || t.is_bool()) {
      binder.Assert(equal(tcode, I32(kDLInt)), arg + "int");
      raw = cast(t, Call(DataType::Int(64), builtin::tvm_struct_get(), {args, I32(i), I32(builtin::kTVMValueContent)}));
    } else if (t.is_float()) {
      binder.Assert(equal(tcode, I32(kDLFloat)), arg + "float");
      raw = cast(t, Call(DataType::Float(64), builtin::tvm_struct_get(), {args, I32(i), I32(builtin::kTVMValueContent)}));
    } else {
      TVM_CHECK(false, "TypeError") << "MakePackedAPI: parameter " << p->name_hint << " of " << name
                                    << " has unsupported type " << t;
    }
    auto b = f->buffer_map.Get(p);
    if (b.has_value()) {
      // The handle gets a fresh variable of the parameter's name (the parameter itself may appear in the body).
      Var handle(p->name_hint, DataType::Handle());
      binder.Let(handle, raw);
      buffers.emplace_back(handle, *b);
    } else {
      binder.Let(p, raw);
    }
  }

  Var device_type("dev_type", DataType::Int(32));
  Var device_id("dev_id", DataType::Int(32));
  std::string first_name;
  for (size_t i = 0; i < buffers.size(); ++i) {
    const Buffer& b = buffers[i].second;
    std::string prefix = name + "." + b->name;
    if (i == 0) first_name = prefix;
    binder.BindBuffer(b, buffers[i].first, prefix, i == 0, device_type, device_id, first_name);
  }

  // Marks where argument handling ends and the function's own work begins.
  Stmt body = AttrStmt(make_zero(DataType::Int(32)), attr::compute_scope, StringImm(name + "_compute_"), f->body);
  if (!buffers.empty()) {
    body = AttrStmt(make_zero(DataType::Int(32)), attr::device_id, device_id, body);
    body = AttrStmt(make_zero(DataType::Int(32)), attr::device_type, device_type, body);
  }
  body = WrapNest(binder.nest, body);

  Array<Var> params{args, type_ids->data, num_args, out_ret_value, out_ret_tcode, resource_handle};
  DictAttrs attrs = WithAttr(f->attrs, attr::kCallingConv, Integer(1));
  // The packed function runs on the host: its target becomes the host target.
  if (auto target = f->attrs.GetAttr<Target>("target")) {
    if ((*target)->host.defined()) attrs = WithAttr(attrs, "target", Downcast<Target>((*target)->host));
  }
  return PrimFunc(params, body, PrimType(DataType::Int(32)), {}, attrs);
}

/*! \brief Calls of module functions that get the packed convention become tvm_call_cpacked by symbol. */
class PackedCallRewriter : public StmtExprMutator {
 public:
  explicit PackedCallRewriter(std::unordered_map<const GlobalVarNode*, std::string> packed)
      : packed_(std::move(packed)) {}

  PrimExpr VisitExpr_(const CallNode* op) final {
    PrimExpr e = StmtExprMutator::VisitExpr_(op);
    op = e.as<CallNode>();
    auto* gv = op->op.as<GlobalVarNode>();
    if (gv == nullptr) return e;
    auto it = packed_.find(gv);
    if (it == packed_.end()) return e;
    Array<PrimExpr> args{StringImm(it->second)};
    for (const PrimExpr& a : op->args) args.push_back(a);
    args.push_back(make_zero(DataType::Handle()));  // the callee's resource handle
    return Call(op->dtype, builtin::tvm_call_cpacked(), args);
  }

 private:
  std::unordered_map<const GlobalVarNode*, std::string> packed_;
};

/*! \brief The symbol of a function that gets the packed convention, if it does. */
std::optional<std::string> PackedSymbol(const PrimFunc& func) {
  if (auto conv = func->attrs.GetAttr<Integer>(attr::kCallingConv)) {
    if ((*conv)->value != 0) return std::nullopt;  // packed already, or a device kernel
  }
  auto symbol = func->attrs.GetAttr<String>("global_symbol");
  if (!symbol.has_value()) return std::nullopt;
  return std::string(*symbol);
}

}  // namespace

namespace transform {

Pass MakePackedAPI() {
  auto fpass = [](IRModule mod, PassContext ctx) {
    std::vector<std::pair<GlobalVar, PrimFunc>> updates;
    // Only functions visible outside the module (with a global symbol) get the
    // packed calling convention; private ones stay as they are and are called directly.
    std::unordered_map<const GlobalVarNode*, std::string> packed;
    for (const auto& kv : mod->functions) {
      if (const auto* f = kv.second.as<PrimFuncNode>()) {
        if (auto symbol = PackedSymbol(GetRef<PrimFunc>(f))) packed[kv.first.as<GlobalVarNode>()] = *symbol;
      }
    }
    for (const auto& kv : mod->functions) {
      if (const auto* f = kv.second.as<PrimFuncNode>()) {
        PrimFunc func = GetRef<PrimFunc>(f);
        if (!packed.empty()) {
          Stmt body = PackedCallRewriter(packed)(func->body);
          if (!body.same_as(func->body)) func.CopyOnWrite()->body = body;
        }
        auto symbol = func->attrs.GetAttr<String>("global_symbol");
        if (!symbol.has_value()) {
          if (!func.same_as(kv.second)) updates.emplace_back(kv.first, func);
          continue;
        }
        PrimFunc out = MakePacked(func, *symbol);
        if (!out.same_as(kv.second)) updates.emplace_back(kv.first, out);
      }
    }
    if (updates.empty()) return mod;
    IRModuleNode* n = mod.CopyOnWrite();
    for (const auto& kv : updates) n->Update(kv.first, kv.second);
    return mod;
  };
  return tvm::transform::CreateModulePass(fpass, 0, "tir.MakePackedAPI", {});
}

TVM_REGISTER_GLOBAL("tir.transform.MakePackedAPI").set_body_typed([]() { return MakePackedAPI(); });

}  // namespace transform
}  // namespace tir
}  // namespace tvm
