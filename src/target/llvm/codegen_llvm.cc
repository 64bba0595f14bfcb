/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// CodeGenLLVM: the loop IR to LLVM IR for CPUs.
//
// Assumes functions went through MakePackedAPI and LowerTVMBuiltin: buffers
// are flat (1-D accesses), packed arguments are read with tvm_struct_get,
// packed calls are tvm_call_packed_lowered over stack arrays.
//
// What it guarantees:
//  - Ramp indices with unit stride become vector loads/stores, aligned as far
//    as the index's modular set and the storage's known alignment prove (64
//    bytes for what the function allocates; for arguments, the alignment the
//    packed entry checked: the buffer's data_alignment, by default the
//    element size so that any DLPack view is accepted);
//  - each buffer reached through a pointer gets its own TBAA type, so LLVM
//    knows distinct buffers do not alias (functions marked tir.noalias); the
//    function's own stack arrays get none (see BufferTBAA);
//  - parallel loops are outlined into closures run by the runtime thread pool
//    (TVMBackendParallelLaunch), the tasks taking contiguous chunks of the
//    loop from a shared counter (a thread slowed by another process does less);
//  - the runtime is reached through function-pointer globals
//    (__TVMBackendParallelLaunch, __TVMAPISetLastError, ...) that the library
//    loader or the JIT fills in, so generated code never links the runtime.
#include "codegen_llvm.h"

#include <llvm/Analysis/TargetTransformInfo.h>
#include <llvm/Analysis/VectorUtils.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/IntrinsicsX86.h>
#include <llvm/IR/MDBuilder.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Transforms/Utils/ModuleUtils.h>
#include <tvm/arith/analyzer.h>
#include <tvm/runtime/c_backend_api.h>
#include <tvm/runtime/device_api.h>
#include <tvm/runtime/registry.h>
#include <tvm/tir/builtin.h>
#include <tvm/tir/function.h>
#include <tvm/tir/op.h>
#include <tvm/tir/stmt_functor.h>

#include <cctype>
#include <algorithm>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "soft_float_builtins.h"

namespace tvm {
namespace codegen {

using namespace tvm::tir;  // NOLINT(*)

namespace {

/*! \brief Stack allocations above this many bytes go through the runtime's workspace pool. */
constexpr int64_t kMaxStackAlloca = 16 * 1024;

class CodeGenLLVM : public ExprFunctor<llvm::Value*(const PrimExpr&)>, public StmtFunctor<void(const Stmt&)> {
 public:
  CodeGenLLVM(llvm::LLVMContext* ctx, llvm::Module* module, const LLVMTargetInfo& info)
      : ctx_(ctx), module_(module), builder_(*ctx), md_builder_(*ctx), info_(info) {
    t_void_ = llvm::Type::getVoidTy(*ctx);
    t_int8_ = llvm::Type::getInt8Ty(*ctx);
    t_int32_ = llvm::Type::getInt32Ty(*ctx);
    t_int64_ = llvm::Type::getInt64Ty(*ctx);
    t_ptr_ = llvm::PointerType::getUnqual(*ctx);
    tbaa_root_ = md_builder_.createTBAARoot("tvm-tbaa");
    // Like TVM, let LLVM contract a float multiply and add into one FMA
    // (otherwise a multiply-accumulate costs two instructions and a rounding);
    // -fast-math allows every other reassociation as well.
    llvm::FastMathFlags fmf;
    if (info_.fast_math) fmf.setFast();
    fmf.setAllowContract(true);
    builder_.setFastMathFlags(fmf);
    DeclareRuntimeHooks();
  }

  /*! \brief The LLVM signature of a PrimFunc: its parameters, and its return type (int32 by default). */
  llvm::FunctionType* SignatureOf(const PrimFunc& f) {
    std::vector<llvm::Type*> param_types;
    for (const Var& p : f->params) param_types.push_back(LLVMType(p.dtype()));
    llvm::Type* ret_type = t_int32_;
    if (const auto* prim = f->ret_type.as<PrimTypeNode>()) ret_type = LLVMType(prim->dtype);
    return llvm::FunctionType::get(ret_type, param_types, false);
  }

  /*!
   * \brief Declare every function of the module under its symbol first, so that
   *  a function may call one defined after it (calls name a GlobalVar).
   */
  void DeclareFunctions(const std::vector<std::tuple<GlobalVar, std::string, PrimFunc>>& funcs) {
    for (const auto& [gvar, name, f] : funcs) {
      TVM_CHECK(module_->getFunction(name) == nullptr, "ValueError")
          << "two functions of the module are named '" << name << "'";
      llvm::Function::Create(SignatureOf(f), llvm::Function::ExternalLinkage, name, module_);
      symbol_of_[gvar.operator->()] = name;
    }
  }

  /*! \brief Emit one function (packed, or a subroutine with a plain C signature). */
  void AddFunction(const std::string& name, const PrimFunc& f) {
    func_name_ = name;
    var_map_.clear();
    expr_cache_.clear();
    alias_info_.clear();
    known_alignment_.clear();
    scratch_arrays_.clear();
    live_workspaces_.clear();
    analyzer_ = std::make_unique<arith::Analyzer>();
    noalias_ = f->GetAttr<Integer>(tir::attr::kNoAlias).value_or(Integer(0)).IntValue() != 0;
    llvm::FunctionType* ftype = SignatureOf(f);
    llvm::Type* ret_type = ftype->getReturnType();
    // A call_cpacked of an earlier function may have declared it already: define that declaration.
    llvm::Function* declared = module_->getFunction(name);
    if (declared != nullptr && declared->isDeclaration() && declared->getFunctionType() == ftype) {
      function_ = declared;
    } else {
      TVM_CHECK(declared == nullptr, "ValueError")
          << "two functions of the module are named '" << name << "' (or one clashes with an extern call)";
      function_ = llvm::Function::Create(ftype, llvm::Function::ExternalLinkage, name, module_);
    }
    function_->setCallingConv(llvm::CallingConv::C);
    function_->setDLLStorageClass(llvm::GlobalValue::DefaultStorageClass);
    SetTargetAttributes(function_);
    for (size_t i = 0; i < f->params.size(); ++i) {
      llvm::Argument* arg = function_->getArg(static_cast<unsigned>(i));
      arg->setName(f->params[i]->name_hint.str());
      var_map_[f->params[i].get()] = arg;
      if (noalias_ && f->params[i].dtype().is_handle()) function_->addParamAttr(i, llvm::Attribute::NoAlias);
    }
    // Buffers bound to parameters (before MakePackedAPI) alias their data vars.
    for (const auto& kv : f->buffer_map) {
      auto it = var_map_.find(kv.first.get());
      if (it != var_map_.end()) var_map_[kv.second->data.get()] = it->second;
    }
    entry_block_ = llvm::BasicBlock::Create(*ctx_, "entry", function_);
    builder_.SetInsertPoint(entry_block_);
    nontemporal_stored_ = false;
    VisitStmt(f->body);
    // Fall off the end: success.
    if (builder_.GetInsertBlock()->getTerminator() == nullptr) {
      FenceNontemporalStores();
      if (ret_type->isVoidTy()) {
        builder_.CreateRetVoid();
      } else {
        builder_.CreateRet(llvm::Constant::getNullValue(ret_type));
      }
    }
    std::string err;
    llvm::raw_string_ostream os(err);
    if (llvm::verifyFunction(*function_, &os)) {
      throw runtime::Error("InternalError", "LLVM rejected the code generated for '" + name + "': " + os.str());
    }
  }

  /*! \brief Whether any code so far used float16 or bfloat16 (and so may need the soft-float builtins). */
  bool uses_16bit_floats() const { return uses_16bit_floats_; }

  /*!
   * \brief Emit `__tvm_main__` naming the entry function. Weak: export_library links
   *  several modules (a tvm.build module and the ones it imports) into one library,
   *  and the first one's entry wins instead of a duplicate-symbol error.
   */
  void AddEntryName(const std::string& name) {
    llvm::Constant* str = llvm::ConstantDataArray::getString(*ctx_, name);
    auto* gv = new llvm::GlobalVariable(*module_, str->getType(), true, llvm::GlobalValue::WeakAnyLinkage, str,
                                        runtime::symbol::tvm_module_main);
    gv->setAlignment(llvm::Align(1));
  }

  /*!
   * \brief For a system library: a static constructor registering the packed functions,
   *  the entry name and the runtime hook variables with TVMBackendRegisterSystemLibSymbol,
   *  so a program linking the object finds them through "runtime.SystemLib".
   */
  void AddSystemLibConstructor(const std::vector<std::string>& functions) {
    llvm::FunctionCallee reg = module_->getOrInsertFunction(
        "TVMBackendRegisterSystemLibSymbol", llvm::FunctionType::get(t_int32_, {t_ptr_, t_ptr_}, false));
    // Weak: where no runtime is visible when the constructor runs, it registers nothing
    // instead of stopping the process with an unresolved symbol.
    llvm::cast<llvm::Function>(reg.getCallee())->setLinkage(llvm::GlobalValue::ExternalWeakLinkage);
    auto* ctor = llvm::Function::Create(llvm::FunctionType::get(t_void_, false), llvm::GlobalValue::InternalLinkage,
                                        "__tvm_system_lib_register", module_);
    ctor->addFnAttr(llvm::Attribute::NoUnwind);
    llvm::IRBuilder<> b(llvm::BasicBlock::Create(*ctx_, "entry", ctor));
    llvm::BasicBlock* body = llvm::BasicBlock::Create(*ctx_, "register", ctor);
    llvm::BasicBlock* done = llvm::BasicBlock::Create(*ctx_, "done", ctor);
    b.CreateCondBr(b.CreateIsNotNull(reg.getCallee()), body, done);
    b.SetInsertPoint(body);
    auto add = [&](const std::string& name, llvm::Value* addr) {
      b.CreateCall(reg, {b.CreateGlobalString(name, "__tvm_syslib_name"), addr});
    };
    for (const std::string& name : functions) add(name, module_->getFunction(name));
    std::vector<llvm::GlobalVariable*> hooks;
    for (llvm::GlobalVariable& gv : module_->globals()) {
      llvm::StringRef n = gv.getName();
      if (n.starts_with("__TVM") || n == runtime::symbol::tvm_module_ctx || n == runtime::symbol::tvm_module_main) {
        hooks.push_back(&gv);
      }
    }
    for (llvm::GlobalVariable* gv : hooks) add(gv->getName().str(), gv);
    b.CreateBr(done);
    b.SetInsertPoint(done);
    b.CreateRetVoid();
    llvm::appendToGlobalCtors(*module_, ctor, 65535);
  }

 private:
  // ------------------------------------------------------------------ types

  llvm::Type* LLVMType(DataType t) {
    llvm::Type* elem = nullptr;
    if (t.is_handle()) return t_ptr_;
    if (t.is_void()) return t_void_;
    if (t.is_bool()) {
      elem = llvm::Type::getInt1Ty(*ctx_);
    } else if (t.is_int() || t.is_uint()) {
      elem = llvm::Type::getIntNTy(*ctx_, t.bits());
    } else if (t.is_float()) {
      switch (t.bits()) {
        case 16:
          elem = llvm::Type::getHalfTy(*ctx_);
          uses_16bit_floats_ = true;
          break;
        case 32: elem = llvm::Type::getFloatTy(*ctx_); break;
        case 64: elem = llvm::Type::getDoubleTy(*ctx_); break;
        default: throw runtime::Error("TypeError", "cannot generate code for float" + std::to_string(t.bits()));
      }
    } else if (t.is_bfloat16()) {
      elem = llvm::Type::getBFloatTy(*ctx_);
      uses_16bit_floats_ = true;
    } else {
      throw runtime::Error("TypeError", "cannot generate code for dtype " + runtime::DLDataType2String(t));
    }
    return t.lanes() == 1 ? elem : llvm::FixedVectorType::get(elem, t.lanes());
  }

  /*! \brief The type of an element in memory (bool is stored as a byte). */
  llvm::Type* StorageType(DataType t) { return t.is_bool() ? LLVMType(DataType::Int(8, t.lanes())) : LLVMType(t); }

  void SetTargetAttributes(llvm::Function* f) {
    if (!info_.cpu.empty()) f->addFnAttr("target-cpu", info_.cpu);
    if (!info_.features.empty()) f->addFnAttr("target-features", info_.features);
    f->addFnAttr(llvm::Attribute::NoUnwind);
    if (info_.fast_math) f->addFnAttr("unsafe-fp-math", "true");
  }

  // ---------------------------------------------------------- runtime hooks

  /*! \brief A global pointer variable the loader fills with a runtime function or the module context. */
  llvm::GlobalVariable* HookVar(const char* name) {
    if (llvm::GlobalVariable* gv = module_->getGlobalVariable(name)) return gv;
    auto* gv = new llvm::GlobalVariable(*module_, t_ptr_, false, llvm::GlobalValue::WeakAnyLinkage,
                                        llvm::ConstantPointerNull::get(t_ptr_), name);
    gv->setAlignment(llvm::Align(8));
    return gv;
  }

  void DeclareRuntimeHooks() {
    t_parallel_lambda_ = llvm::FunctionType::get(t_int32_, {t_int32_, t_ptr_, t_ptr_}, false);
    t_parallel_launch_ = llvm::FunctionType::get(t_int32_, {t_ptr_, t_ptr_, t_int32_}, false);
    t_parallel_barrier_ = llvm::FunctionType::get(t_int32_, {t_int32_, t_ptr_}, false);
    t_alloc_workspace_ =
        llvm::FunctionType::get(t_ptr_, {t_int32_, t_int32_, t_int64_, t_int32_, t_int32_}, false);
    t_free_workspace_ = llvm::FunctionType::get(t_int32_, {t_int32_, t_int32_, t_ptr_}, false);
    t_set_last_error_ = llvm::FunctionType::get(t_void_, {t_ptr_}, false);
    t_func_call_ = llvm::FunctionType::get(t_int32_, {t_ptr_, t_ptr_, t_ptr_, t_int32_, t_ptr_, t_ptr_}, false);
    t_get_func_from_env_ = llvm::FunctionType::get(t_int32_, {t_ptr_, t_ptr_, t_ptr_}, false);
  }

  llvm::Value* LoadHook(const char* name) {
    llvm::GlobalVariable* gv = HookVar(name);
    return builder_.CreateAlignedLoad(t_ptr_, gv, llvm::Align(8), name);
  }

  /*! \brief A direct call of another function of the module (its C signature, see DeclareFunctions). */
  llvm::Value* CallSubroutine(const GlobalVarNode* gvar, const CallNode* op) {
    auto it = symbol_of_.find(gvar);
    TVM_CHECK(it != symbol_of_.end(), "ValueError")
        << "in '" << func_name_ << "': call of " << gvar->name_hint << ", which is not a function of this module";
    llvm::Function* callee = module_->getFunction(it->second);
    llvm::FunctionType* ftype = callee->getFunctionType();
    TVM_CHECK(ftype->getNumParams() == op->args.size(), "ValueError")
        << "in '" << func_name_ << "': " << gvar->name_hint << " takes " << ftype->getNumParams() << " arguments, "
        << op->args.size() << " given";
    std::vector<llvm::Value*> args;
    for (size_t i = 0; i < op->args.size(); ++i) {
      llvm::Value* v = MakeValue(op->args[i]);
      TVM_CHECK(v->getType() == ftype->getParamType(static_cast<unsigned>(i)), "TypeError")
          << "in '" << func_name_ << "': argument " << i << " of the call of " << gvar->name_hint << " has type "
          << op->args[i].dtype() << ", which does not match the callee's parameter";
      args.push_back(v);
    }
    llvm::CallInst* call = builder_.CreateCall(callee, args);
    if (ftype->getReturnType()->isVoidTy()) return builder_.getInt32(0);
    return call;
  }

  llvm::CallInst* CallHook(const char* name, llvm::FunctionType* type, llvm::ArrayRef<llvm::Value*> args) {
    return builder_.CreateCall(type, LoadHook(name), args);
  }

  llvm::Value* GlobalString(const std::string& s) {
    auto it = string_cache_.find(s);
    if (it != string_cache_.end()) return it->second;
    llvm::Constant* data = llvm::ConstantDataArray::getString(*ctx_, s);
    auto* gv = new llvm::GlobalVariable(*module_, data->getType(), true, llvm::GlobalValue::PrivateLinkage, data,
                                        ".str");
    gv->setAlignment(llvm::Align(1));
    string_cache_[s] = gv;
    return gv;
  }

  /*! \brief Set the error message and return -1 from the current function. */
  void EmitErrorReturn(llvm::Value* message) {
    if (message != nullptr) CallHook("__TVMAPISetLastError", t_set_last_error_, {message});
    FreeLiveWorkspaces();
    llvm::Type* ret = builder_.GetInsertBlock()->getParent()->getReturnType();
    if (ret->isVoidTy()) {
      builder_.CreateRetVoid();
    } else {
      builder_.CreateRet(llvm::ConstantInt::getSigned(ret, -1));
    }
  }

  /*!
   * \brief Give back the workspace blocks allocated so far on this path (innermost first): a
   *  return from inside their scope (a failed check, an error from a call) must not leak them.
   */
  void FreeLiveWorkspaces() {
    for (auto it = live_workspaces_.rbegin(); it != live_workspaces_.rend(); ++it) {
      CallHook("__TVMBackendFreeWorkspace", t_free_workspace_, {builder_.getInt32(kDLCPU), builder_.getInt32(0), *it});
    }
  }

  // ------------------------------------------------------------- memory

  /*!
   * \brief Type-based alias metadata: every buffer variable is its own type, except the
   *  stack arrays of this function, which get none (nullptr). LLVM reads a TBAA tag as
   *  the type of the bytes: once a copy loop between two local arrays becomes a memcpy,
   *  MemCpyOpt may merge the two allocas into one, keeping each side's tag, and DSE
   *  then drops the stores of one "type" as never read by loads of the other (fuzzer
   *  seed 16488). Distinct allocas need no TBAA: basic alias analysis already tells
   *  them apart from each other and from arguments.
   */
  llvm::MDNode* BufferTBAA(const VarNode* buffer_var) {
    if (auto v = var_map_.find(buffer_var); v != var_map_.end() && llvm::isa<llvm::AllocaInst>(v->second)) {
      return nullptr;
    }
    auto it = alias_info_.find(buffer_var);
    if (it != alias_info_.end()) return it->second;
    std::string name = "buf_" + buffer_var->name_hint.str() + "_" + std::to_string(alias_info_.size());
    llvm::MDNode* type = md_builder_.createTBAAScalarTypeNode(name, tbaa_root_);
    llvm::MDNode* tag = md_builder_.createTBAAStructTagNode(type, type, 0);
    alias_info_[buffer_var] = tag;
    return tag;
  }

  /*! \brief Alignment (bytes) of element `index` of a buffer, from the index's modular set. */
  int ProveAlignment(const PrimExpr& index, int elem_bytes, int buffer_alignment) {
    arith::ModularSet ms = analyzer_->modular_set(index);
    int64_t coeff = ms->coeff, base = ms->base;
    int64_t align = elem_bytes;
    // Largest power of two dividing both coeff*elem and base*elem.
    auto pow2 = [](int64_t v) -> int64_t {
      if (v == 0) return int64_t{1} << 20;
      return v & -v;
    };
    int64_t a = std::min(pow2(coeff * elem_bytes), pow2(base * elem_bytes));
    align = std::max<int64_t>(align, a);
    align = std::min<int64_t>(align, std::max(buffer_alignment, elem_bytes));
    return static_cast<int>(std::max<int64_t>(align, 1));
  }

  /*!
   * \brief The alignment (bytes) known for the start of a buffer's storage: 64 for what this
   *  function allocates; for arguments, what the packed entry checked (the buffer's
   *  data_alignment, an AttrStmt "storage_alignment"); else 1, so the element size wins.
   */
  int BaseAlignment(const VarNode* data) const {
    auto it = known_alignment_.find(data);
    return it == known_alignment_.end() ? 1 : it->second;
  }

  struct Access {
    llvm::Value* ptr;
    llvm::Type* type;
    int alignment;
    bool vector_contiguous;
    int lanes;
  };

  /*!
   * \brief `index` of a buffer whose element is a vector of `k` lanes, in units of
   *  its scalars: element i is scalars [i*k, i*k + k). A scalar index becomes a
   *  Ramp of k lanes, a unit-stride Ramp of L lanes one of k*L lanes, any other
   *  vector index the concatenation of a k-lane Ramp per lane (a gather).
   */
  static PrimExpr ScalarUnitIndex(const PrimExpr& index, int k) {
    if (k == 1) return index;
    PrimExpr scale = make_const(index.dtype().element_of(), k);
    PrimExpr one = make_const(index.dtype().element_of(), 1);
    int lanes = index.dtype().lanes();
    if (lanes == 1) return Ramp(mul(index, scale), one, k);
    if (const auto* ramp = index.as<RampNode>(); ramp != nullptr && is_one(ramp->stride)) {
      return Ramp(mul(ramp->base, scale), one, k * lanes);
    }
    Array<PrimExpr> pieces;
    for (int l = 0; l < lanes; ++l) pieces.push_back(Ramp(mul(Shuffle::ExtractElement(index, l), scale), one, k));
    return Shuffle::Concat(pieces);
  }

  /*!
   * \brief Address and type of buffer[index] (index may be a unit-stride Ramp). Addresses
   *  are computed in units of the buffer's scalar type, whatever its lanes.
   */
  Access MakeAccess(const Buffer& buffer, const Array<PrimExpr>& indices, DataType value_dtype) {
    TVM_CHECK(indices.size() == 1, "InternalError")
        << "code generation needs flattened buffers; " << buffer->name << " is accessed with " << indices.size()
        << " indices (did StorageFlatten run?)";
    const VarNode* data = buffer->data.get();
    auto it = var_map_.find(data);
    TVM_CHECK(it != var_map_.end(), "InternalError")
        << "buffer " << buffer->name << " has no storage (its data variable " << data->name_hint << " is unbound)";
    DataType elem = buffer->dtype.element_of();
    int elem_bytes = std::max(1, elem.bits() / 8);
    PrimExpr index = ScalarUnitIndex(indices[0], buffer->dtype.lanes());
    Access acc;
    acc.vector_contiguous = false;
    acc.lanes = value_dtype.lanes();
    if (const auto* ramp = index.as<RampNode>(); ramp != nullptr && is_one(ramp->stride)) {
      acc.vector_contiguous = true;
      llvm::Value* base = MakeValue(ramp->base);
      acc.ptr = builder_.CreateInBoundsGEP(StorageType(elem), it->second, {base});
      acc.type = StorageType(value_dtype);
      acc.alignment = ProveAlignment(ramp->base, elem_bytes, BaseAlignment(data));
      return acc;
    }
    if (index.dtype().lanes() == 1) {
      llvm::Value* idx = MakeValue(index);
      acc.ptr = builder_.CreateInBoundsGEP(StorageType(elem), it->second, {idx});
      acc.type = StorageType(value_dtype);
      acc.alignment = ProveAlignment(index, elem_bytes, BaseAlignment(data));
      if (value_dtype.lanes() > 1) acc.vector_contiguous = true;
      return acc;
    }
    // A gather/scatter: a vector of addresses.
    llvm::Value* idx = MakeValue(index);
    acc.ptr = builder_.CreateInBoundsGEP(StorageType(elem), it->second, {idx});
    acc.type = StorageType(elem);
    acc.alignment = elem_bytes;
    return acc;
  }

  /*!
   * \brief The lanes per memory access for a contiguous vector of `lanes`:
   *  all of them for a power of two (or an odd count), else the largest
   *  power of two dividing it. A local array accessed as <48 x float> is
   *  promoted to <48 x float> values, which the x86 backend widens to 64
   *  lanes: a register tile of them needs a third more registers and spills.
   *  Accessed as three <16 x float>, it becomes <16 x float> values.
   */
  static int PowerOfTwoChunk(int lanes) {
    int chunk = lanes & -lanes;
    return chunk == 1 ? lanes : chunk;
  }

  /*! \brief Address and known alignment of lane `first` of a contiguous access of type `t`. */
  std::pair<llvm::Value*, llvm::Align> LaneAddress(const Access& acc, DataType t, int first) {
    int elem_bytes = std::max(1, t.bits() / 8);
    llvm::Value* p = builder_.CreateInBoundsGEP(StorageType(t.element_of()), acc.ptr, {builder_.getInt64(first)});
    return {p, llvm::commonAlignment(llvm::Align(acc.alignment), uint64_t(first) * elem_bytes)};
  }

  /*!
   * \brief Inside pragma "nontemporal": mark a vector store of `bytes` that is
   *  proven `alignment`-aligned as streaming. Only aligned vectors qualify
   *  (an unaligned streaming store would be split into scalar ones); a vector
   *  wider than a register is split into registers, each aligned when the
   *  whole is 64-byte aligned.
   */
  void MaybeNontemporal(llvm::StoreInst* store, int bytes, int alignment) {
    if (nontemporal_scope_ == 0 || bytes < 16 || (bytes & (bytes - 1)) != 0 || alignment < std::min(bytes, 64)) {
      return;
    }
    llvm::Metadata* one = llvm::ConstantAsMetadata::get(builder_.getInt32(1));
    store->setMetadata(llvm::LLVMContext::MD_nontemporal, llvm::MDNode::get(*ctx_, {one}));
    nontemporal_stored_ = true;
  }

  /*!
   * \brief Streaming stores are weakly ordered: a function (or parallel task)
   *  that made some ends with a full fence, so whoever it signals next sees them.
   */
  void FenceNontemporalStores() {
    if (nontemporal_stored_) builder_.CreateFence(llvm::AtomicOrdering::SequentiallyConsistent);
  }

  llvm::Value* FromStorage(llvm::Value* v, DataType t) {
    if (t.is_bool()) return builder_.CreateICmpNE(v, llvm::Constant::getNullValue(v->getType()));
    return v;
  }

  llvm::Value* ToStorage(llvm::Value* v, DataType t) {
    if (t.is_bool()) return builder_.CreateZExt(v, StorageType(t));
    return v;
  }

  // --------------------------------------------------------- expressions

 public:
  /*!
   * \brief The value of `e`. A pure expression (no load, call or let inside) is emitted once
   *  per basic block: TIR shares subexpressions (one loop bound substituted into every index
   *  of a partitioned loop, nested min/max bounds of compute_at chains), and emitting each use
   *  again would expand the DAG into a tree, exponentially larger for nested bounds.
   */
  llvm::Value* MakeValue(const PrimExpr& e) {
    if (e->IsInstance<IntImmNode>() || e->IsInstance<FloatImmNode>() || e->IsInstance<VarNode>()) return VisitExpr(e);
    llvm::BasicBlock* block = builder_.GetInsertBlock();
    auto it = expr_cache_.find(e);
    if (it != expr_cache_.end() && it->second.second == block) return it->second.first;
    uint64_t impure_before = impure_count_;
    llvm::Value* v = VisitExpr(e);
    if (impure_count_ == impure_before) expr_cache_[e] = {v, builder_.GetInsertBlock()};
    return v;
  }

  /*! \brief var = v; a variable bound again makes the cached values that used it stale. */
  void BindVar(const VarNode* var, llvm::Value* v) {
    auto [it, inserted] = var_map_.emplace(var, v);
    if (!inserted && it->second != v) {
      it->second = v;
      expr_cache_.clear();
    }
  }

 private:
  llvm::Value* VisitExpr_(const VarNode* op) final {
    auto it = var_map_.find(op);
    TVM_CHECK(it != var_map_.end(), "InternalError")
        << "in '" << func_name_ << "': variable " << op->name_hint << " is used but never defined";
    return it->second;
  }
  llvm::Value* VisitExpr_(const SizeVarNode* op) final { return VisitExpr_(static_cast<const VarNode*>(op)); }

  llvm::Value* VisitExpr_(const IntImmNode* op) final {
    llvm::Type* t = LLVMType(op->dtype);
    return llvm::ConstantInt::getSigned(t, op->value);
  }

  llvm::Value* VisitExpr_(const FloatImmNode* op) final { return llvm::ConstantFP::get(LLVMType(op->dtype), op->value); }

  llvm::Value* VisitExpr_(const StringImmNode* op) final { return GlobalString(op->value); }

  llvm::Value* VisitExpr_(const CastNode* op) final { return CreateCast(op->value.dtype(), op->dtype, MakeValue(op->value)); }

  llvm::Value* CreateCast(DataType from, DataType to, llvm::Value* v) {
    llvm::Type* target = LLVMType(to);
    if (from == to) return v;
    if (to.is_bool()) {
      if (from.is_float()) return builder_.CreateFCmpUNE(v, llvm::Constant::getNullValue(v->getType()));
      return builder_.CreateICmpNE(v, llvm::Constant::getNullValue(v->getType()));
    }
    if (from.is_handle() && to.is_handle()) return v;
    if (from.is_handle()) return builder_.CreatePtrToInt(v, target);
    if (to.is_handle()) return builder_.CreateIntToPtr(v, target);
    bool from_float = from.is_float() || from.is_bfloat16();
    bool to_float = to.is_float() || to.is_bfloat16();
    if (!from_float && !to_float) {
      bool is_signed = from.is_int();
      return builder_.CreateIntCast(v, target, is_signed);
    }
    if (from_float && to_float) {
      // float16 <-> bfloat16: same width, different formats; go through float32.
      if (from.bits() == 16 && to.bits() == 16) {
        v = builder_.CreateFPExt(v, LLVMType(DataType::Float(32, from.lanes())));
        return builder_.CreateFPTrunc(v, target);
      }
      return builder_.CreateFPCast(v, target);
    }
    if (from_float) return to.is_int() ? builder_.CreateFPToSI(v, target) : builder_.CreateFPToUI(v, target);
    return from.is_int() ? builder_.CreateSIToFP(v, target) : builder_.CreateUIToFP(v, target);
  }

  bool IsFloat(DataType t) { return t.is_float() || t.is_bfloat16(); }

  llvm::Value* VisitExpr_(const AddNode* op) final {
    llvm::Value* a = MakeValue(op->a);
    llvm::Value* b = MakeValue(op->b);
    if (IsFloat(op->dtype)) return builder_.CreateFAdd(a, b);
    return op->dtype.is_int() && op->dtype.bits() >= 32 ? builder_.CreateNSWAdd(a, b) : builder_.CreateAdd(a, b);
  }
  llvm::Value* VisitExpr_(const SubNode* op) final {
    llvm::Value* a = MakeValue(op->a);
    llvm::Value* b = MakeValue(op->b);
    if (IsFloat(op->dtype)) return builder_.CreateFSub(a, b);
    return op->dtype.is_int() && op->dtype.bits() >= 32 ? builder_.CreateNSWSub(a, b) : builder_.CreateSub(a, b);
  }
  llvm::Value* VisitExpr_(const MulNode* op) final {
    llvm::Value* a = MakeValue(op->a);
    llvm::Value* b = MakeValue(op->b);
    if (IsFloat(op->dtype)) return builder_.CreateFMul(a, b);
    return op->dtype.is_int() && op->dtype.bits() >= 32 ? builder_.CreateNSWMul(a, b) : builder_.CreateMul(a, b);
  }
  llvm::Value* VisitExpr_(const DivNode* op) final {
    llvm::Value* a = MakeValue(op->a);
    llvm::Value* b = MakeValue(op->b);
    if (IsFloat(op->dtype)) return builder_.CreateFDiv(a, b);
    return op->dtype.is_int() ? builder_.CreateSDiv(a, b) : builder_.CreateUDiv(a, b);
  }
  llvm::Value* VisitExpr_(const ModNode* op) final {
    llvm::Value* a = MakeValue(op->a);
    llvm::Value* b = MakeValue(op->b);
    if (IsFloat(op->dtype)) return builder_.CreateFRem(a, b);
    return op->dtype.is_int() ? builder_.CreateSRem(a, b) : builder_.CreateURem(a, b);
  }

  bool NonNegative(const PrimExpr& e) { return e.dtype().is_uint() || analyzer_->CanProveGreaterEqual(e, 0); }

  llvm::Value* VisitExpr_(const FloorDivNode* op) final {
    llvm::Value* a = MakeValue(op->a);
    llvm::Value* b = MakeValue(op->b);
    if (IsFloat(op->dtype)) {
      llvm::Value* q = builder_.CreateFDiv(a, b);
      return builder_.CreateUnaryIntrinsic(llvm::Intrinsic::floor, q);
    }
    if (op->dtype.is_uint()) return builder_.CreateUDiv(a, b);
    if (NonNegative(op->a) && NonNegative(op->b)) return builder_.CreateSDiv(a, b);
    // q = a / b (truncated); subtract 1 when the remainder is non-zero and the signs differ.
    llvm::Value* q = builder_.CreateSDiv(a, b);
    llvm::Value* r = builder_.CreateSRem(a, b);
    llvm::Value* zero = llvm::Constant::getNullValue(a->getType());
    llvm::Value* fix = builder_.CreateAnd(builder_.CreateICmpNE(r, zero),
                                          builder_.CreateICmpNE(builder_.CreateICmpSLT(r, zero),
                                                                builder_.CreateICmpSLT(b, zero)));
    return builder_.CreateSub(q, builder_.CreateZExt(fix, a->getType()));
  }

  llvm::Value* VisitExpr_(const FloorModNode* op) final {
    llvm::Value* a = MakeValue(op->a);
    llvm::Value* b = MakeValue(op->b);
    if (IsFloat(op->dtype)) {
      llvm::Value* q = builder_.CreateUnaryIntrinsic(llvm::Intrinsic::floor, builder_.CreateFDiv(a, b));
      return builder_.CreateFSub(a, builder_.CreateFMul(q, b));
    }
    if (op->dtype.is_uint()) return builder_.CreateURem(a, b);
    if (NonNegative(op->a) && NonNegative(op->b)) return builder_.CreateSRem(a, b);
    // r = a % b (truncated); add b when r is non-zero and its sign differs from b's.
    llvm::Value* r = builder_.CreateSRem(a, b);
    llvm::Value* zero = llvm::Constant::getNullValue(a->getType());
    llvm::Value* fix = builder_.CreateAnd(builder_.CreateICmpNE(r, zero),
                                          builder_.CreateICmpNE(builder_.CreateICmpSLT(r, zero),
                                                                builder_.CreateICmpSLT(b, zero)));
    return builder_.CreateSelect(fix, builder_.CreateAdd(r, b), r);
  }

  llvm::Value* VisitExpr_(const MinNode* op) final {
    llvm::Value* a = MakeValue(op->a);
    llvm::Value* b = MakeValue(op->b);
    if (IsFloat(op->dtype)) return builder_.CreateSelect(builder_.CreateFCmpOLT(a, b), a, b);
    return builder_.CreateBinaryIntrinsic(op->dtype.is_int() ? llvm::Intrinsic::smin : llvm::Intrinsic::umin, a, b);
  }
  llvm::Value* VisitExpr_(const MaxNode* op) final {
    llvm::Value* a = MakeValue(op->a);
    llvm::Value* b = MakeValue(op->b);
    if (IsFloat(op->dtype)) return builder_.CreateSelect(builder_.CreateFCmpOGT(a, b), a, b);
    return builder_.CreateBinaryIntrinsic(op->dtype.is_int() ? llvm::Intrinsic::smax : llvm::Intrinsic::umax, a, b);
  }

  llvm::Value* Compare(const BinaryOpNodeBase* op, llvm::CmpInst::Predicate fp, llvm::CmpInst::Predicate si,
                       llvm::CmpInst::Predicate ui) {
    llvm::Value* a = MakeValue(op->a);
    llvm::Value* b = MakeValue(op->b);
    DataType t = op->a.dtype();
    if (IsFloat(t)) return builder_.CreateFCmp(fp, a, b);
    if (t.is_handle()) return builder_.CreateICmp(ui, a, b);
    return builder_.CreateICmp(t.is_int() ? si : ui, a, b);
  }
  llvm::Value* VisitExpr_(const EQNode* op) final {
    return Compare(op, llvm::CmpInst::FCMP_OEQ, llvm::CmpInst::ICMP_EQ, llvm::CmpInst::ICMP_EQ);
  }
  llvm::Value* VisitExpr_(const NENode* op) final {
    return Compare(op, llvm::CmpInst::FCMP_UNE, llvm::CmpInst::ICMP_NE, llvm::CmpInst::ICMP_NE);
  }
  llvm::Value* VisitExpr_(const LTNode* op) final {
    return Compare(op, llvm::CmpInst::FCMP_OLT, llvm::CmpInst::ICMP_SLT, llvm::CmpInst::ICMP_ULT);
  }
  llvm::Value* VisitExpr_(const LENode* op) final {
    return Compare(op, llvm::CmpInst::FCMP_OLE, llvm::CmpInst::ICMP_SLE, llvm::CmpInst::ICMP_ULE);
  }
  llvm::Value* VisitExpr_(const GTNode* op) final {
    return Compare(op, llvm::CmpInst::FCMP_OGT, llvm::CmpInst::ICMP_SGT, llvm::CmpInst::ICMP_UGT);
  }
  llvm::Value* VisitExpr_(const GENode* op) final {
    return Compare(op, llvm::CmpInst::FCMP_OGE, llvm::CmpInst::ICMP_SGE, llvm::CmpInst::ICMP_UGE);
  }
  llvm::Value* VisitExpr_(const AndNode* op) final { return builder_.CreateAnd(MakeValue(op->a), MakeValue(op->b)); }
  llvm::Value* VisitExpr_(const OrNode* op) final { return builder_.CreateOr(MakeValue(op->a), MakeValue(op->b)); }
  llvm::Value* VisitExpr_(const NotNode* op) final { return builder_.CreateNot(MakeValue(op->a)); }

  llvm::Value* VisitExpr_(const SelectNode* op) final {
    return builder_.CreateSelect(MakeValue(op->condition), MakeValue(op->true_value), MakeValue(op->false_value));
  }

  llvm::Value* VisitExpr_(const LetNode* op) final {
    ++impure_count_;  // binds a variable: not cached
    llvm::Value* v = MakeValue(op->value);
    v->setName(op->var->name_hint.str());
    BindVar(op->var.get(), v);
    // Only integer facts help the alignment and index proofs.
    if (op->var.dtype().is_int() || op->var.dtype().is_uint()) {
      analyzer_->Bind(op->var, op->value, /*allow_override=*/true);
    }
    return MakeValue(op->body);
  }

  llvm::Value* VisitExpr_(const RampNode* op) final {
    llvm::Value* base = MakeValue(op->base);
    llvm::Value* stride = MakeValue(op->stride);
    llvm::Value* vec = builder_.CreateVectorSplat(op->lanes, base);
    std::vector<llvm::Constant*> steps;
    llvm::Type* elem = base->getType();
    for (int i = 0; i < op->lanes; ++i) {
      if (elem->isFloatingPointTy()) {
        steps.push_back(llvm::ConstantFP::get(elem, i));
      } else {
        steps.push_back(llvm::ConstantInt::get(elem, i));
      }
    }
    llvm::Value* step = llvm::ConstantVector::get(steps);
    llvm::Value* strides = builder_.CreateVectorSplat(op->lanes, stride);
    if (elem->isFloatingPointTy()) return builder_.CreateFAdd(vec, builder_.CreateFMul(step, strides));
    return builder_.CreateAdd(vec, builder_.CreateMul(step, strides));
  }

  llvm::Value* VisitExpr_(const BroadcastNode* op) final {
    return builder_.CreateVectorSplat(op->lanes, MakeValue(op->value));
  }

  llvm::Value* VisitExpr_(const ShuffleNode* op) final {
    std::vector<llvm::Value*> vecs;
    for (const PrimExpr& v : op->vectors) vecs.push_back(MakeValue(v));
    // Concatenate into one vector, then pick lanes.
    std::vector<int> indices;
    for (const PrimExpr& i : op->indices) indices.push_back(static_cast<int>(*as_const_int(i)));
    llvm::Value* all = nullptr;
    std::vector<llvm::Value*> scalars;
    for (size_t k = 0; k < vecs.size(); ++k) {
      int lanes = op->vectors[k].dtype().lanes();
      for (int l = 0; l < lanes; ++l) {
        scalars.push_back(lanes == 1 ? vecs[k] : builder_.CreateExtractElement(vecs[k], builder_.getInt32(l)));
      }
    }
    if (indices.size() == 1) return scalars[indices[0]];
    all = llvm::UndefValue::get(LLVMType(op->dtype));
    for (size_t l = 0; l < indices.size(); ++l) {
      all = builder_.CreateInsertElement(all, scalars[indices[l]], builder_.getInt32(static_cast<int>(l)));
    }
    return all;
  }

  llvm::Value* VisitExpr_(const BufferLoadNode* op) final {
    ++impure_count_;  // memory may change between two uses: not cached
    DataType t = op->dtype;
    Access acc = MakeAccess(op->buffer, op->indices, t);
    llvm::MDNode* tbaa = BufferTBAA(op->buffer->data.get());
    if (acc.vector_contiguous || t.lanes() == 1) {
      int chunk = PowerOfTwoChunk(t.lanes());
      if (chunk == t.lanes()) {
        llvm::LoadInst* load = builder_.CreateAlignedLoad(acc.type, acc.ptr, llvm::Align(acc.alignment));
        load->setMetadata(llvm::LLVMContext::MD_tbaa, tbaa);
        return FromStorage(load, t);
      }
      // Power-of-two pieces, concatenated (see PowerOfTwoChunk).
      std::vector<llvm::Value*> parts;
      llvm::Type* part_type = StorageType(t.with_lanes(chunk));
      for (int first = 0; first < t.lanes(); first += chunk) {
        auto [p, align] = LaneAddress(acc, t, first);
        llvm::LoadInst* load = builder_.CreateAlignedLoad(part_type, p, align);
        load->setMetadata(llvm::LLVMContext::MD_tbaa, tbaa);
        parts.push_back(load);
      }
      return FromStorage(llvm::concatenateVectors(builder_, parts), t);
    }
    // Gather: one scalar load per lane.
    llvm::Value* out = llvm::UndefValue::get(LLVMType(t));
    DataType elem = t.element_of();
    for (int l = 0; l < t.lanes(); ++l) {
      llvm::Value* p = builder_.CreateExtractElement(acc.ptr, builder_.getInt32(l));
      llvm::LoadInst* load = builder_.CreateAlignedLoad(StorageType(elem), p, llvm::Align(acc.alignment));
      load->setMetadata(llvm::LLVMContext::MD_tbaa, tbaa);
      out = builder_.CreateInsertElement(out, FromStorage(load, elem), builder_.getInt32(l));
    }
    return out;
  }

  llvm::Value* VisitExpr_(const CallNode* op) final;

  llvm::Value* VisitExprDefault_(const Object* op) final {
    throw runtime::Error("InternalError", "in '" + func_name_ + "': cannot generate code for " + op->GetTypeKey() +
                                              " (it should have been lowered before code generation)");
  }

  // ----------------------------------------------------------- statements

  void VisitStmt_(const BufferStoreNode* op) final {
    DataType t = op->value.dtype();
    llvm::Value* value = ToStorage(MakeValue(op->value), t);
    Access acc = MakeAccess(op->buffer, op->indices, t);
    llvm::MDNode* tbaa = BufferTBAA(op->buffer->data.get());
    if (acc.vector_contiguous || t.lanes() == 1) {
      int chunk = PowerOfTwoChunk(t.lanes());
      int elem_bytes = std::max(1, t.bits() / 8);
      if (chunk == t.lanes()) {
        llvm::StoreInst* store = builder_.CreateAlignedStore(value, acc.ptr, llvm::Align(acc.alignment));
        store->setMetadata(llvm::LLVMContext::MD_tbaa, tbaa);
        MaybeNontemporal(store, t.lanes() * elem_bytes, acc.alignment);
        return;
      }
      for (int first = 0; first < t.lanes(); first += chunk) {
        std::vector<int> mask(chunk);
        for (int l = 0; l < chunk; ++l) mask[l] = first + l;
        llvm::Value* part = builder_.CreateShuffleVector(value, mask);
        auto [p, align] = LaneAddress(acc, t, first);
        llvm::StoreInst* store = builder_.CreateAlignedStore(part, p, align);
        store->setMetadata(llvm::LLVMContext::MD_tbaa, tbaa);
        MaybeNontemporal(store, chunk * elem_bytes, static_cast<int>(align.value()));
      }
      return;
    }
    for (int l = 0; l < t.lanes(); ++l) {
      llvm::Value* p = builder_.CreateExtractElement(acc.ptr, builder_.getInt32(l));
      llvm::Value* v = builder_.CreateExtractElement(value, builder_.getInt32(l));
      llvm::StoreInst* store = builder_.CreateAlignedStore(v, p, llvm::Align(acc.alignment));
      store->setMetadata(llvm::LLVMContext::MD_tbaa, tbaa);
    }
  }

  void VisitStmt_(const ForNode* op) final {
    analyzer_->Bind(op->loop_var, Range::FromMinExtent(op->min, op->extent), /*allow_override=*/true);
    if (op->kind == ForKind::kParallel) {
      EmitParallelFor(op);
      return;
    }
    TVM_CHECK(op->kind != ForKind::kThreadBinding, "ValueError")
        << "in '" << func_name_ << "': loop " << op->loop_var->name_hint
        << " is bound to a GPU thread; it cannot run on the CPU target";
    EmitSerialLoop(op->loop_var, MakeValue(op->min), MakeValue(add(op->min, op->extent)), op->body,
                   op->kind == ForKind::kUnrolled);
  }

  /*! \brief for (var = begin; var < end; ++var) body. */
  void EmitSerialLoop(const Var& loop_var, llvm::Value* begin, llvm::Value* end, const Stmt& body, bool unroll) {
    llvm::BasicBlock* pre = builder_.GetInsertBlock();
    llvm::Function* fn = pre->getParent();
    llvm::BasicBlock* head = llvm::BasicBlock::Create(*ctx_, "for_begin", fn);
    llvm::BasicBlock* body_block = llvm::BasicBlock::Create(*ctx_, "for_body", fn);
    llvm::BasicBlock* exit = llvm::BasicBlock::Create(*ctx_, "for_end", fn);
    builder_.CreateBr(head);
    builder_.SetInsertPoint(head);
    llvm::PHINode* iv = builder_.CreatePHI(begin->getType(), 2, loop_var->name_hint.str());
    iv->addIncoming(begin, pre);
    builder_.CreateCondBr(builder_.CreateICmpSLT(iv, end), body_block, exit);
    builder_.SetInsertPoint(body_block);
    BindVar(loop_var.get(), iv);
    VisitStmt(body);
    llvm::Value* next = builder_.CreateNSWAdd(iv, llvm::ConstantInt::get(iv->getType(), 1));
    llvm::BranchInst* back = builder_.CreateBr(head);
    if (unroll) {
      llvm::MDNode* unroll_md = llvm::MDNode::get(*ctx_, {llvm::MDString::get(*ctx_, "llvm.loop.unroll.full")});
      llvm::MDNode* loop_id = llvm::MDNode::getDistinct(*ctx_, {nullptr, unroll_md});
      loop_id->replaceOperandWith(0, loop_id);
      back->setMetadata(llvm::LLVMContext::MD_loop, loop_id);
    }
    iv->addIncoming(next, builder_.GetInsertBlock());
    builder_.SetInsertPoint(exit);
  }

  /*!
   * \brief A parallel loop: outline the body into a closure over the variables
   *  it uses, and run it on the thread pool. The loop is cut into up to
   *  kChunksPerTask contiguous chunks per task, which the tasks claim from a
   *  counter in the closure: when a core is shared with another process, its
   *  thread takes fewer chunks instead of making every other thread wait for it
   *  (a static split is only as fast as its slowest thread). Iterations are
   *  independent, so which task runs a chunk does not change the results.
   */
  void EmitParallelFor(const ForNode* op) {
    TVM_CHECK(!in_parallel_, "ValueError")
        << "in '" << func_name_ << "': Nested parallel loop is not supported (" << op->loop_var->name_hint
        << " is inside another parallel loop); parallelize only the outer loop";
    // The variables the body needs from outside.
    std::vector<const VarNode*> captured = FreeVars(GetRef<Stmt>(op), op->loop_var);
    std::vector<llvm::Type*> field_types;
    for (const VarNode* v : captured) field_types.push_back(var_map_.at(v)->getType());
    const unsigned counter_field = static_cast<unsigned>(field_types.size());  // the next chunk to claim
    field_types.push_back(t_int32_);
    llvm::StructType* closure_type = llvm::StructType::create(*ctx_, field_types, "closure");
    // Pack them on the caller's stack.
    llvm::Value* cdata = CreateEntryAlloca(closure_type, 1);
    for (size_t i = 0; i < captured.size(); ++i) {
      builder_.CreateStore(var_map_.at(captured[i]), builder_.CreateStructGEP(closure_type, cdata, i));
    }
    builder_.CreateStore(builder_.getInt32(0), builder_.CreateStructGEP(closure_type, cdata, counter_field));
    llvm::Value* begin_value = MakeValue(op->min);
    llvm::Value* extent_value = MakeValue(op->extent);
    // The closure function.
    // One name for every task body, as TVM names them (LLVM numbers the repeats).
    auto* lambda =
        llvm::Function::Create(t_parallel_lambda_, llvm::Function::PrivateLinkage, "__tvm_parallel_lambda", module_);
    SetTargetAttributes(lambda);
    // Save the caller's state.
    llvm::BasicBlock* caller_block = builder_.GetInsertBlock();
    auto saved_vars = var_map_;
    llvm::BasicBlock* saved_entry = entry_block_;
    llvm::Function* saved_function = function_;
    // Errors inside a task return from the task: it frees only what the task allocated.
    std::vector<llvm::Value*> saved_workspaces = std::move(live_workspaces_);
    live_workspaces_.clear();
    // Pass min and extent through the closure too.
    entry_block_ = llvm::BasicBlock::Create(*ctx_, "entry", lambda);
    function_ = lambda;
    builder_.SetInsertPoint(entry_block_);
    llvm::Value* task_id = lambda->getArg(0);
    llvm::Value* penv = lambda->getArg(1);
    llvm::Value* data = lambda->getArg(2);
    var_map_.clear();
    for (size_t i = 0; i < captured.size(); ++i) {
      auto scratch = scratch_arrays_.find(captured[i]);
      if (scratch != scratch_arrays_.end()) {
        // Packed-call argument stacks are scratch filled before each call: every task needs its
        // own, or concurrent tasks overwrite each other's arguments.
        var_map_[captured[i]] = MakeValue(scratch->second);
        continue;
      }
      llvm::Value* v =
          builder_.CreateLoad(field_types[i], builder_.CreateStructGEP(closure_type, data, i), captured[i]->name_hint.str());
      var_map_[captured[i]] = v;
    }
    // num_task is the second field of TVMParallelGroupEnv {void* sync_handle; int32_t num_task;}.
    llvm::Value* num_task = builder_.CreateLoad(
        t_int32_, builder_.CreateInBoundsGEP(t_int8_, penv, {builder_.getInt64(sizeof(void*))}), "num_task");
    llvm::Type* it = LLVMType(op->loop_var.dtype());
    llvm::Value* extent = RemapValue(extent_value, captured, it, op->extent);
    llvm::Value* begin = RemapValue(begin_value, captured, it, op->min);
    llvm::Value* ntask = builder_.CreateIntCast(num_task, it, true);
    llvm::Value* tid = builder_.CreateIntCast(task_id, it, true);
    (void)tid;
    // chunks = min(extent, num_task * kChunksPerTask); chunk = ceil(extent / chunks)
    llvm::Value* one = llvm::ConstantInt::get(it, 1);
    llvm::Value* chunks = builder_.CreateBinaryIntrinsic(
        llvm::Intrinsic::smin, extent, builder_.CreateMul(ntask, llvm::ConstantInt::get(it, kChunksPerTask)));
    chunks = builder_.CreateBinaryIntrinsic(llvm::Intrinsic::smax, chunks, one);
    llvm::Value* chunk = builder_.CreateSDiv(builder_.CreateSub(builder_.CreateAdd(extent, chunks), one), chunks);
    llvm::Value* counter = builder_.CreateStructGEP(closure_type, data, counter_field);
    llvm::BasicBlock* claim = llvm::BasicBlock::Create(*ctx_, "chunk_claim", lambda);
    llvm::BasicBlock* run = llvm::BasicBlock::Create(*ctx_, "chunk_run", lambda);
    llvm::BasicBlock* done = llvm::BasicBlock::Create(*ctx_, "chunks_done", lambda);
    builder_.CreateBr(claim);
    builder_.SetInsertPoint(claim);
    llvm::Value* claimed = builder_.CreateAtomicRMW(llvm::AtomicRMWInst::Add, counter, builder_.getInt32(1),
                                                    llvm::MaybeAlign(4), llvm::AtomicOrdering::Monotonic);
    llvm::Value* index = builder_.CreateIntCast(claimed, it, false);
    builder_.CreateCondBr(builder_.CreateICmpSLT(index, chunks), run, done);
    builder_.SetInsertPoint(run);
    llvm::Value* lo = builder_.CreateMul(index, chunk);
    llvm::Value* hi = builder_.CreateBinaryIntrinsic(llvm::Intrinsic::smin, builder_.CreateAdd(lo, chunk), extent);
    in_parallel_ = true;
    bool caller_stored_nontemporal = nontemporal_stored_;
    nontemporal_stored_ = false;
    EmitSerialLoop(op->loop_var, builder_.CreateAdd(begin, lo), builder_.CreateAdd(begin, hi), op->body, false);
    builder_.CreateBr(claim);
    builder_.SetInsertPoint(done);
    in_parallel_ = false;
    FenceNontemporalStores();
    nontemporal_stored_ = caller_stored_nontemporal;
    builder_.CreateRet(builder_.getInt32(0));
    // Back in the caller: launch and check.
    var_map_ = std::move(saved_vars);
    entry_block_ = saved_entry;
    function_ = saved_function;
    live_workspaces_ = std::move(saved_workspaces);
    builder_.SetInsertPoint(caller_block);
    llvm::Value* ret = CallHook("__TVMBackendParallelLaunch", t_parallel_launch_, {lambda, cdata, builder_.getInt32(0)});
    CheckCallSuccess(ret);
  }

  /*! \brief Values computed in the caller (min/extent) rebuilt inside the closure when they are not constants. */
  llvm::Value* RemapValue(llvm::Value* caller_value, const std::vector<const VarNode*>& captured, llvm::Type* type,
                          const PrimExpr& expr) {
    if (llvm::isa<llvm::Constant>(caller_value)) return builder_.CreateIntCast(caller_value, type, true);
    return builder_.CreateIntCast(MakeValue(expr), type, true);
  }

  /*! \brief Variables used in `s` but defined outside it (in order of first use). */
  std::vector<const VarNode*> FreeVars(const Stmt& s, const Var& loop_var) {
    std::unordered_set<const VarNode*> defined{loop_var.get()};
    std::vector<const VarNode*> out;
    std::unordered_set<const VarNode*> seen;
    PostOrderVisit(s, [&](const ObjectRef& n) {
      if (const auto* let = n.as<LetStmtNode>()) defined.insert(let->var.get());
      if (const auto* let = n.as<LetNode>()) defined.insert(let->var.get());
      if (const auto* loop = n.as<ForNode>()) defined.insert(loop->loop_var.get());
      if (const auto* alloc = n.as<AllocateNode>()) defined.insert(alloc->buffer_var.get());
    });
    auto use = [&](const VarNode* v) {
      if (!defined.count(v) && seen.insert(v).second && var_map_.count(v)) out.push_back(v);
    };
    PostOrderVisit(s, [&](const ObjectRef& n) {
      if (const auto* v = n.as<VarNode>()) use(v);
      if (const auto* load = n.as<BufferLoadNode>()) use(load->buffer->data.get());
      if (const auto* store = n.as<BufferStoreNode>()) use(store->buffer->data.get());
    });
    return out;
  }

  llvm::Value* CreateEntryAlloca(llvm::Type* type, int64_t count, int alignment = 0) {
    llvm::IRBuilderBase::InsertPointGuard guard(builder_);
    builder_.SetInsertPoint(entry_block_, entry_block_->getFirstInsertionPt());
    llvm::AllocaInst* a = builder_.CreateAlloca(type, builder_.getInt64(count));
    if (alignment > 0) a->setAlignment(llvm::Align(alignment));
    return a;
  }

  /*! \brief Return -1 from the function when a runtime call returned non-zero. */
  void CheckCallSuccess(llvm::Value* ret) {
    llvm::Function* fn = builder_.GetInsertBlock()->getParent();
    llvm::BasicBlock* fail = llvm::BasicBlock::Create(*ctx_, "call_fail", fn);
    llvm::BasicBlock* ok = llvm::BasicBlock::Create(*ctx_, "call_ok", fn);
    builder_.CreateCondBr(builder_.CreateICmpEQ(ret, builder_.getInt32(0)), ok, fail);
    builder_.SetInsertPoint(fail);
    EmitErrorReturn(nullptr);
    builder_.SetInsertPoint(ok);
  }

  void VisitStmt_(const WhileNode* op) final {
    llvm::Function* fn = builder_.GetInsertBlock()->getParent();
    llvm::BasicBlock* head = llvm::BasicBlock::Create(*ctx_, "while_cond", fn);
    llvm::BasicBlock* body = llvm::BasicBlock::Create(*ctx_, "while_body", fn);
    llvm::BasicBlock* exit = llvm::BasicBlock::Create(*ctx_, "while_end", fn);
    builder_.CreateBr(head);
    builder_.SetInsertPoint(head);
    builder_.CreateCondBr(MakeValue(op->condition), body, exit);
    builder_.SetInsertPoint(body);
    VisitStmt(op->body);
    builder_.CreateBr(head);
    builder_.SetInsertPoint(exit);
  }

  void VisitStmt_(const IfThenElseNode* op) final {
    llvm::Value* cond = MakeValue(op->condition);
    llvm::Function* fn = builder_.GetInsertBlock()->getParent();
    llvm::BasicBlock* then_block = llvm::BasicBlock::Create(*ctx_, "if_then", fn);
    llvm::BasicBlock* end_block = llvm::BasicBlock::Create(*ctx_, "if_end", fn);
    llvm::BasicBlock* else_block = op->else_case.defined() ? llvm::BasicBlock::Create(*ctx_, "if_else", fn) : end_block;
    builder_.CreateCondBr(cond, then_block, else_block);
    builder_.SetInsertPoint(then_block);
    VisitStmt(op->then_case);
    if (builder_.GetInsertBlock()->getTerminator() == nullptr) builder_.CreateBr(end_block);
    if (op->else_case.defined()) {
      builder_.SetInsertPoint(else_block);
      VisitStmt(op->else_case);
      if (builder_.GetInsertBlock()->getTerminator() == nullptr) builder_.CreateBr(end_block);
    }
    builder_.SetInsertPoint(end_block);
  }

  void VisitStmt_(const LetStmtNode* op) final {
    if (const auto* call = op->value.as<CallNode>(); call != nullptr && call->op.same_as(builtin::tvm_stack_alloca())) {
      scratch_arrays_[op->var.get()] = op->value;
    }
    llvm::Value* v = MakeValue(op->value);
    if (!llvm::isa<llvm::Constant>(v)) v->setName(op->var->name_hint.str());
    BindVar(op->var.get(), v);
    if (op->var.dtype().is_int() || op->var.dtype().is_uint()) {
      analyzer_->Bind(op->var, op->value, /*allow_override=*/true);
    }
    VisitStmt(op->body);
  }

  /*!
   * \brief The body of a compute_scope (MakePackedAPI's "<name>_compute_": the work after the
   *  argument checks) as a function of its own, called with the values it uses. Its pointer
   *  parameters carry the alignment the checks proved, and noalias under tir.noalias. It is
   *  kept out of line (as TVM does), so the kernel reads as one function in the IR and its
   *  parameter attributes stay. Whatever it returns, the caller returns when non-zero.
   */
  void EmitComputeScope(const AttrStmtNode* op, const std::string& name) {
    std::vector<const VarNode*> captured = FreeVars(op->body, Var("unused"));
    std::vector<llvm::Type*> types;
    std::vector<llvm::Value*> values;
    for (const VarNode* v : captured) {
      values.push_back(var_map_.at(v));
      types.push_back(values.back()->getType());
    }
    auto* fn = llvm::Function::Create(llvm::FunctionType::get(t_int32_, types, false),
                                      llvm::Function::InternalLinkage, name, module_);
    SetTargetAttributes(fn);
    fn->addFnAttr(llvm::Attribute::NoInline);
    llvm::Value* status = builder_.CreateCall(fn, values);
    llvm::Function* caller = builder_.GetInsertBlock()->getParent();
    llvm::BasicBlock* fail = llvm::BasicBlock::Create(*ctx_, "compute_fail", caller);
    llvm::BasicBlock* ok = llvm::BasicBlock::Create(*ctx_, "compute_ok", caller);
    builder_.CreateCondBr(builder_.CreateICmpEQ(status, builder_.getInt32(0)), ok, fail);
    builder_.SetInsertPoint(fail);
    FreeLiveWorkspaces();
    llvm::Type* ret_type = caller->getReturnType();
    if (ret_type->isVoidTy()) {
      builder_.CreateRetVoid();
    } else {
      builder_.CreateRet(builder_.CreateIntCast(status, ret_type, true));
    }
    // The callee: its own entry, the captured values as parameters.
    auto saved_vars = var_map_;
    llvm::BasicBlock* saved_entry = entry_block_;
    llvm::Function* saved_function = function_;
    std::vector<llvm::Value*> saved_workspaces = std::move(live_workspaces_);
    live_workspaces_.clear();
    bool caller_stored_nontemporal = nontemporal_stored_;
    nontemporal_stored_ = false;
    function_ = fn;
    entry_block_ = llvm::BasicBlock::Create(*ctx_, "entry", fn);
    builder_.SetInsertPoint(entry_block_);
    for (size_t i = 0; i < captured.size(); ++i) {
      llvm::Argument* arg = fn->getArg(static_cast<unsigned>(i));
      arg->setName(captured[i]->name_hint.str());
      var_map_[captured[i]] = arg;
      if (!captured[i]->dtype.is_handle()) continue;
      if (noalias_) fn->addParamAttr(static_cast<unsigned>(i), llvm::Attribute::NoAlias);
      int align = BaseAlignment(captured[i]);
      if (align > 1) {
        fn->addParamAttr(static_cast<unsigned>(i), llvm::Attribute::getWithAlignment(*ctx_, llvm::Align(align)));
      }
    }
    VisitStmt(op->body);
    if (builder_.GetInsertBlock()->getTerminator() == nullptr) {
      FenceNontemporalStores();
      builder_.CreateRet(builder_.getInt32(0));
    }
    var_map_ = std::move(saved_vars);
    entry_block_ = saved_entry;
    function_ = saved_function;
    live_workspaces_ = std::move(saved_workspaces);
    nontemporal_stored_ = caller_stored_nontemporal;
    builder_.SetInsertPoint(ok);
  }

  void VisitStmt_(const AttrStmtNode* op) final {
    if (op->attr_key == tir::attr::compute_scope && !in_parallel_ && function_ != nullptr &&
        !function_->getReturnType()->isVoidTy()) {
      if (const auto* name = op->value.as<StringImmNode>()) {
        EmitComputeScope(op, name->value);
        return;
      }
    }
    if (op->attr_key == tir::attr::thread_extent || op->attr_key == tir::attr::virtual_thread) {
      throw runtime::Error("ValueError", "in '" + func_name_ + "': a GPU thread binding (" + op->attr_key.str() +
                                             ") reached the CPU code generator; build it for a GPU target");
    }
    if (op->attr_key == tir::attr::pragma_nontemporal && !is_zero(op->value)) {
      ++nontemporal_scope_;
      VisitStmt(op->body);
      --nontemporal_scope_;
      return;
    }
    if (op->attr_key == tir::attr::storage_alignment) {
      // MakePackedAPI checked this argument's alignment at the entry.
      if (const auto* v = op->node.as<VarNode>()) {
        if (const auto* a = op->value.as<IntImmNode>()) known_alignment_[v] = static_cast<int>(a->value);
      }
    }
    VisitStmt(op->body);
  }

  void VisitStmt_(const AssertStmtNode* op) final {
    llvm::Value* cond = MakeValue(op->condition);
    llvm::Function* fn = builder_.GetInsertBlock()->getParent();
    llvm::BasicBlock* fail = llvm::BasicBlock::Create(*ctx_, "assert_fail", fn);
    llvm::BasicBlock* ok = llvm::BasicBlock::Create(*ctx_, "assert_end", fn);
    builder_.CreateCondBr(cond, ok, fail, md_builder_.createBranchWeights(1 << 20, 1));
    builder_.SetInsertPoint(fail);
    std::string message;
    if (const auto* s = op->message.as<StringImmNode>()) message = s->value;
    // Messages without a kind ("main: num_args should be 2") would lose their first word.
    if (!runtime::HasErrorKind(message)) message = "ValueError: " + message;
    EmitErrorReturn(GlobalString(message));
    builder_.SetInsertPoint(ok);
    if (op->body.defined()) VisitStmt(op->body);
  }

  void VisitStmt_(const AllocateNode* op) final {
    int64_t count = op->ConstantAllocationSize();
    DataType t = op->dtype;
    int elem_bytes = std::max(1, t.bits() * t.lanes() / 8);
    llvm::Value* ptr;
    bool workspace = count == 0 || count * elem_bytes > kMaxStackAlloca;
    llvm::Value* nbytes = nullptr;
    if (!workspace) {
      ptr = CreateEntryAlloca(StorageType(t), count, 64);
    } else {
      PrimExpr size = make_const(DataType::Int(64), elem_bytes);
      for (const PrimExpr& e : op->extents) size = mul(size, cast(DataType::Int(64), e));
      nbytes = MakeValue(size);
      ptr = CallHook("__TVMBackendAllocWorkspace", t_alloc_workspace_,
                     {builder_.getInt32(kDLCPU), builder_.getInt32(0), nbytes, builder_.getInt32(t.code()),
                      builder_.getInt32(t.bits())});
      // A failed allocation returns NULL with the error set.
      llvm::Function* fn = builder_.GetInsertBlock()->getParent();
      llvm::BasicBlock* fail = llvm::BasicBlock::Create(*ctx_, "alloc_fail", fn);
      llvm::BasicBlock* ok = llvm::BasicBlock::Create(*ctx_, "alloc_ok", fn);
      builder_.CreateCondBr(builder_.CreateIsNull(ptr), fail, ok);
      builder_.SetInsertPoint(fail);
      EmitErrorReturn(nullptr);
      builder_.SetInsertPoint(ok);
    }
    var_map_[op->buffer_var.get()] = ptr;
    // Stack slots are aligned above; the workspace pool returns 64-byte aligned blocks.
    known_alignment_[op->buffer_var.get()] = 64;
    if (workspace) live_workspaces_.push_back(ptr);
    VisitStmt(op->body);
    if (workspace) {
      live_workspaces_.pop_back();
      if (builder_.GetInsertBlock()->getTerminator() == nullptr) {
        CallHook("__TVMBackendFreeWorkspace", t_free_workspace_, {builder_.getInt32(kDLCPU), builder_.getInt32(0), ptr});
      }
    }
  }

  void VisitStmt_(const DeclBufferNode* op) final { VisitStmt(op->body); }

  void VisitStmt_(const SeqStmtNode* op) final {
    for (const Stmt& s : op->seq) {
      if (builder_.GetInsertBlock()->getTerminator() != nullptr) {
        // Code after a return is unreachable; give it a block so it still compiles.
        builder_.SetInsertPoint(
            llvm::BasicBlock::Create(*ctx_, "unreachable", builder_.GetInsertBlock()->getParent()));
      }
      VisitStmt(s);
    }
  }

  void VisitStmt_(const EvaluateNode* op) final {
    if (is_const_number(op->value)) return;
    MakeValue(op->value);
  }

  void VisitStmt_(const PrefetchNode* op) final {}

  void VisitStmtDefault_(const Object* op) final {
    throw runtime::Error("InternalError", "in '" + func_name_ + "': cannot generate code for " + op->GetTypeKey() +
                                              " (it should have been lowered before code generation)");
  }

  // -------------------------------------------------------------- calls

  llvm::Value* CallLLVMIntrinsic(llvm::Intrinsic::ID id, DataType ret, const Array<PrimExpr>& args, size_t first) {
    std::vector<llvm::Value*> values;
    for (size_t i = first; i < args.size(); ++i) values.push_back(MakeValue(args[i]));
    std::vector<llvm::Type*> overload{LLVMType(ret)};
    llvm::Function* f = llvm::Intrinsic::getDeclaration(module_, id, overload);
    return builder_.CreateCall(f, values);
  }

  /*! \brief Math functions that LLVM has intrinsics for (scalar or vector). */
  llvm::Value* MathIntrinsic(const std::string& name, const CallNode* op) {
    static const std::unordered_map<std::string, llvm::Intrinsic::ID> table = {
        {"exp", llvm::Intrinsic::exp},       {"exp2", llvm::Intrinsic::exp2},   {"log", llvm::Intrinsic::log},
        {"log2", llvm::Intrinsic::log2},     {"log10", llvm::Intrinsic::log10}, {"sqrt", llvm::Intrinsic::sqrt},
        {"fabs", llvm::Intrinsic::fabs},     {"floor", llvm::Intrinsic::floor}, {"ceil", llvm::Intrinsic::ceil},
        {"round", llvm::Intrinsic::round},   {"trunc", llvm::Intrinsic::trunc}, {"nearbyint", llvm::Intrinsic::nearbyint},
        {"sin", llvm::Intrinsic::sin},       {"cos", llvm::Intrinsic::cos},     {"pow", llvm::Intrinsic::pow},
        {"copysign", llvm::Intrinsic::copysign},
    };
    auto it = table.find(name);
    if (it == table.end()) return nullptr;
    return CallLLVMIntrinsic(it->second, op->dtype, op->args, 0);
  }

  llvm::Value* CreateCallExtern(const CallNode* op, bool skip_first) {
    const auto* name = op->args[0].as<StringImmNode>();
    TVM_CHECK(name != nullptr, "ValueError") << "call_extern needs the function name as its first argument";
    std::vector<llvm::Value*> values;
    std::vector<DataType> types;
    for (size_t i = 1; i < op->args.size(); ++i) {
      values.push_back(MakeValue(op->args[i]));
      types.push_back(op->args[i].dtype());
    }
    return CallScalarFunction(name->value, op->dtype, values, types);
  }

  /*!
   * \brief Call the C function `fname`. C functions take scalars: a vector call (the
   *  vectorizer widened it) becomes one call per lane, each given lane l of the vector
   *  arguments and the scalar arguments as they are.
   */
  llvm::Value* CallScalarFunction(const std::string& fname, DataType ret, const std::vector<llvm::Value*>& args,
                                  const std::vector<DataType>& arg_types) {
    int lanes = ret.lanes();
    std::vector<llvm::Type*> scalar_types;
    for (size_t i = 0; i < args.size(); ++i) {
      bool per_lane = lanes > 1 && arg_types[i].lanes() == lanes;
      scalar_types.push_back(per_lane ? LLVMType(arg_types[i].element_of()) : args[i]->getType());
    }
    auto* ftype = llvm::FunctionType::get(LLVMType(ret.element_of()), scalar_types, false);
    // One symbol per name in an object: a generated function named like the C
    // function it calls (a kernel named "tan" computing tan) would call itself.
    if (llvm::Function* existing = module_->getFunction(fname)) {
      TVM_CHECK(existing->isDeclaration() && existing->getFunctionType() == ftype, "ValueError")
          << "the generated function '" << fname << "' has the name of the C library function '" << fname
          << "' that the code calls; build it under another name";
    }
    llvm::FunctionCallee callee = module_->getOrInsertFunction(fname, ftype);
    if (lanes == 1) return builder_.CreateCall(callee, args);
    llvm::Value* out = llvm::UndefValue::get(LLVMType(ret));
    for (int l = 0; l < lanes; ++l) {
      std::vector<llvm::Value*> lane_args;
      for (size_t i = 0; i < args.size(); ++i) {
        bool per_lane = arg_types[i].lanes() == lanes;
        lane_args.push_back(per_lane ? builder_.CreateExtractElement(args[i], builder_.getInt32(l)) : args[i]);
      }
      out = builder_.CreateInsertElement(out, builder_.CreateCall(callee, lane_args), builder_.getInt32(l));
    }
    return out;
  }

  /*! \brief Address of field `kind` of element `index` of a DLTensor or TVMValue array. */
  llvm::Value* StructAddress(llvm::Value* base, llvm::Value* index, int kind) {
    // DLTensor layout: data(ptr) device(i32,i32) ndim(i32) dtype(i8,i8,i16) shape(ptr) strides(ptr) byte_offset(i64)
    static const int64_t kDLTensorSize = sizeof(DLTensor);
    if (kind == builtin::kTVMValueContent) {
      return builder_.CreateInBoundsGEP(t_int64_, base, {index});
    }
    llvm::Value* elem = builder_.CreateInBoundsGEP(
        t_int8_, base, {builder_.CreateMul(builder_.CreateIntCast(index, t_int64_, true), builder_.getInt64(kDLTensorSize))});
    int64_t offset = 0;
    switch (kind) {
      case builtin::kArrAddr: return elem;
      case builtin::kArrData: offset = offsetof(DLTensor, data); break;
      case builtin::kArrShape: offset = offsetof(DLTensor, shape); break;
      case builtin::kArrStrides: offset = offsetof(DLTensor, strides); break;
      case builtin::kArrNDim: offset = offsetof(DLTensor, ndim); break;
      case builtin::kArrTypeCode: offset = offsetof(DLTensor, dtype) + offsetof(DLDataType, code); break;
      case builtin::kArrTypeBits: offset = offsetof(DLTensor, dtype) + offsetof(DLDataType, bits); break;
      case builtin::kArrTypeLanes: offset = offsetof(DLTensor, dtype) + offsetof(DLDataType, lanes); break;
      case builtin::kArrByteOffset: offset = offsetof(DLTensor, byte_offset); break;
      case builtin::kArrDeviceId: offset = offsetof(DLTensor, device) + offsetof(DLDevice, device_id); break;
      case builtin::kArrDeviceType: offset = offsetof(DLTensor, device) + offsetof(DLDevice, device_type); break;
      default: throw runtime::Error("InternalError", "bad tvm_struct_get field " + std::to_string(kind));
    }
    return builder_.CreateInBoundsGEP(t_int8_, elem, {builder_.getInt64(offset)});
  }

  llvm::Type* StructFieldType(int kind, DataType call_type) {
    switch (kind) {
      case builtin::kArrData:
      case builtin::kArrShape:
      case builtin::kArrStrides: return t_ptr_;
      case builtin::kArrNDim: return t_int32_;
      case builtin::kArrTypeCode:
      case builtin::kArrTypeBits: return t_int8_;
      case builtin::kArrTypeLanes: return llvm::Type::getInt16Ty(*ctx_);
      case builtin::kArrByteOffset: return t_int64_;
      case builtin::kArrDeviceId:
      case builtin::kArrDeviceType: return t_int32_;
      default: return LLVMType(call_type);
    }
  }

  /*! \brief Cached function handle for tvm_call_packed_lowered by name. */
  llvm::Value* PackedFuncHandle(const std::string& name) {
    llvm::GlobalVariable*& cache = packed_handle_cache_[name];
    if (cache == nullptr) {
      cache = new llvm::GlobalVariable(*module_, t_ptr_, false, llvm::GlobalValue::InternalLinkage,
                                       llvm::ConstantPointerNull::get(t_ptr_), "__tvm_packed_" + name);
      cache->setAlignment(llvm::Align(8));
    }
    llvm::Value* cached = builder_.CreateAlignedLoad(t_ptr_, cache, llvm::Align(8));
    llvm::Function* fn = builder_.GetInsertBlock()->getParent();
    llvm::BasicBlock* lookup = llvm::BasicBlock::Create(*ctx_, "handle_init", fn);
    llvm::BasicBlock* done = llvm::BasicBlock::Create(*ctx_, "handle_ready", fn);
    llvm::BasicBlock* pre = builder_.GetInsertBlock();
    builder_.CreateCondBr(builder_.CreateIsNull(cached), lookup, done);
    builder_.SetInsertPoint(lookup);
    llvm::Value* out = CreateEntryAlloca(t_ptr_, 1);
    llvm::Value* ret = CallHook("__TVMBackendGetFuncFromEnv", t_get_func_from_env_,
                                {LoadHook(runtime::symbol::tvm_module_ctx), GlobalString(name), out});
    CheckCallSuccess(ret);
    llvm::Value* found = builder_.CreateLoad(t_ptr_, out);
    builder_.CreateAlignedStore(found, cache, llvm::Align(8));
    llvm::BasicBlock* lookup_end = builder_.GetInsertBlock();
    builder_.CreateBr(done);
    builder_.SetInsertPoint(done);
    llvm::PHINode* phi = builder_.CreatePHI(t_ptr_, 2);
    phi->addIncoming(cached, pre);
    phi->addIncoming(found, lookup_end);
    return phi;
  }

  std::unordered_map<const VarNode*, llvm::Value*> var_map_;
  /*! \brief Pure expressions emitted so far and the block that holds them (see MakeValue); the
   *  key keeps the expression alive, so its address is never reused for another one. */
  std::unordered_map<PrimExpr, std::pair<llvm::Value*, llvm::BasicBlock*>, ObjectPtrHash, ObjectPtrEqual>
      expr_cache_;
  /*! \brief Loads, calls and lets emitted so far: a change while emitting e means e is not pure. */
  uint64_t impure_count_{0};
  std::unordered_map<const VarNode*, llvm::MDNode*> alias_info_;
  std::unordered_map<const VarNode*, int> known_alignment_;
  /*! \brief Variables bound to tvm_stack_alloca (packed-call scratch), re-allocated per parallel task. */
  std::unordered_map<const VarNode*, PrimExpr> scratch_arrays_;
  /*! \brief The LLVM symbol of each function of the module, for direct calls. */
  std::unordered_map<const GlobalVarNode*, std::string> symbol_of_;
  /*! \brief Workspace blocks whose scope encloses the code being generated, outermost first. */
  std::vector<llvm::Value*> live_workspaces_;
  std::unordered_map<std::string, llvm::GlobalVariable*> packed_handle_cache_;
  std::unordered_map<std::string, llvm::Value*> string_cache_;
  std::unique_ptr<arith::Analyzer> analyzer_;

  llvm::LLVMContext* ctx_;
  llvm::Module* module_;
  llvm::IRBuilder<> builder_;
  llvm::MDBuilder md_builder_;
  LLVMTargetInfo info_;
  llvm::MDNode* tbaa_root_;
  llvm::Function* function_{nullptr};
  llvm::BasicBlock* entry_block_{nullptr};
  std::string func_name_;
  bool noalias_{false};
  bool in_parallel_{false};
  /*! \brief Chunks per task of a parallel loop (see EmitParallelFor). */
  static constexpr int64_t kChunksPerTask = 8;
  /*! \brief Depth of pragma "nontemporal" scopes; whether this function (or task) made streaming stores. */
  int nontemporal_scope_{0};
  bool nontemporal_stored_{false};
  bool uses_16bit_floats_{false};

  llvm::Type* t_void_;
  llvm::Type* t_int8_;
  llvm::Type* t_int32_;
  llvm::Type* t_int64_;
  llvm::PointerType* t_ptr_;
  llvm::FunctionType* t_parallel_lambda_;
  llvm::FunctionType* t_parallel_launch_;
  llvm::FunctionType* t_parallel_barrier_;
  llvm::FunctionType* t_alloc_workspace_;
  llvm::FunctionType* t_free_workspace_;
  llvm::FunctionType* t_set_last_error_;
  llvm::FunctionType* t_func_call_;
  llvm::FunctionType* t_get_func_from_env_;
};

llvm::Value* CodeGenLLVM::VisitExpr_(const CallNode* op) {
  ++impure_count_;  // may read memory or have effects: not cached
  if (const auto* gvar = op->op.as<GlobalVarNode>()) return CallSubroutine(gvar, op);
  const auto* op_node = op->op.as<OpNode>();
  TVM_CHECK(op_node != nullptr, "ValueError")
      << "in '" << func_name_ << "': a call of " << op->op->GetTypeKey() << " cannot be compiled";
  std::string name = op_node->name;
  if (name.rfind("tir.", 0) == 0) name = name.substr(4);

  if (name == "if_then_else") {
    llvm::Value* cond = MakeValue(op->args[0]);
    if (op->dtype.lanes() > 1 || op->args[0].dtype().lanes() > 1) {
      return builder_.CreateSelect(cond, MakeValue(op->args[1]), MakeValue(op->args[2]));
    }
    llvm::Function* fn = builder_.GetInsertBlock()->getParent();
    llvm::BasicBlock* then_block = llvm::BasicBlock::Create(*ctx_, "ite_then", fn);
    llvm::BasicBlock* else_block = llvm::BasicBlock::Create(*ctx_, "ite_else", fn);
    llvm::BasicBlock* end_block = llvm::BasicBlock::Create(*ctx_, "ite_end", fn);
    builder_.CreateCondBr(cond, then_block, else_block);
    builder_.SetInsertPoint(then_block);
    llvm::Value* t = MakeValue(op->args[1]);
    llvm::BasicBlock* then_end = builder_.GetInsertBlock();
    builder_.CreateBr(end_block);
    builder_.SetInsertPoint(else_block);
    llvm::Value* f = MakeValue(op->args[2]);
    llvm::BasicBlock* else_end = builder_.GetInsertBlock();
    builder_.CreateBr(end_block);
    builder_.SetInsertPoint(end_block);
    llvm::PHINode* phi = builder_.CreatePHI(t->getType(), 2);
    phi->addIncoming(t, then_end);
    phi->addIncoming(f, else_end);
    return phi;
  }
  if (name == "likely" || name == "assume") return MakeValue(op->args[0]);
  if (name == "reinterpret") return builder_.CreateBitCast(MakeValue(op->args[0]), LLVMType(op->dtype));
  if (name == "bitwise_and") return builder_.CreateAnd(MakeValue(op->args[0]), MakeValue(op->args[1]));
  if (name == "bitwise_or") return builder_.CreateOr(MakeValue(op->args[0]), MakeValue(op->args[1]));
  if (name == "bitwise_xor") return builder_.CreateXor(MakeValue(op->args[0]), MakeValue(op->args[1]));
  if (name == "bitwise_not") return builder_.CreateNot(MakeValue(op->args[0]));
  if (name == "shift_left") return builder_.CreateShl(MakeValue(op->args[0]), MakeValue(op->args[1]));
  if (name == "shift_right") {
    return op->args[0].dtype().is_int() ? builder_.CreateAShr(MakeValue(op->args[0]), MakeValue(op->args[1]))
                                        : builder_.CreateLShr(MakeValue(op->args[0]), MakeValue(op->args[1]));
  }
  if (name == "isnan") {
    llvm::Value* v = MakeValue(op->args[0]);
    return builder_.CreateFCmpUNO(v, v);
  }
  if (name == "isnullptr") return builder_.CreateIsNull(MakeValue(op->args[0]));
  if (name == "popcount") return CallLLVMIntrinsic(llvm::Intrinsic::ctpop, op->dtype, op->args, 0);
  if (name == "fma") return CallLLVMIntrinsic(llvm::Intrinsic::fma, op->dtype, op->args, 0);
  if (name == "large_uint_imm") {
    uint64_t lo = static_cast<uint64_t>(*as_const_int(op->args[0]));
    uint64_t hi = static_cast<uint64_t>(*as_const_int(op->args[1]));
    return llvm::ConstantInt::get(LLVMType(op->dtype), (hi << 32) | lo);
  }
  if (name == "address_of") {
    const auto* load = op->args[0].as<BufferLoadNode>();
    TVM_CHECK(load != nullptr, "ValueError") << "address_of needs a buffer load";
    return MakeAccess(load->buffer, load->indices, load->dtype).ptr;
  }
  if (name == "TVMBackendAllocWorkspace" || name == "TVMBackendFreeWorkspace") {
    // Explicit workspace calls (LowerTVMBuiltin writes them for non-CPU devices).
    bool alloc = name == "TVMBackendAllocWorkspace";
    TVM_CHECK(op->args.size() == (alloc ? 5u : 3u), "ValueError")
        << "in '" << func_name_ << "': " << name << " takes " << (alloc ? 5 : 3) << " arguments";
    std::vector<llvm::Value*> args;
    for (size_t i = 0; i < op->args.size(); ++i) {
      llvm::Value* v = MakeValue(op->args[i]);
      if (alloc && i == 2) {
        v = builder_.CreateIntCast(v, t_int64_, false);
      } else if (v->getType()->isIntegerTy()) {
        v = builder_.CreateIntCast(v, t_int32_, true);
      }
      args.push_back(v);
    }
    return alloc ? CallHook("__TVMBackendAllocWorkspace", t_alloc_workspace_, args)
                 : CallHook("__TVMBackendFreeWorkspace", t_free_workspace_, args);
  }
  if (name == "atomic_add") {
    // One read-modify-write of the addressed element: the old value comes back.
    TVM_CHECK(op->args.size() == 2, "ValueError") << "in '" << func_name_ << "': atomic_add takes (address, value)";
    DataType t = op->args[1].dtype();
    TVM_CHECK(t.lanes() == 1 && (t.is_int() || t.is_uint() || t.is_float()), "TypeError")
        << "in '" << func_name_ << "': atomic_add of a " << t << " value; scalar ints and floats are supported";
    llvm::Value* ptr = MakeValue(op->args[0]);
    llvm::Value* value = MakeValue(op->args[1]);
    auto kind = t.is_float() ? llvm::AtomicRMWInst::FAdd : llvm::AtomicRMWInst::Add;
    return builder_.CreateAtomicRMW(kind, ptr, value, llvm::MaybeAlign(std::max(1, t.bits() / 8)),
                                    llvm::AtomicOrdering::Monotonic);
  }
  if (name == "tvm_access_ptr") {
    // tvm_access_ptr(type_annotation, data, offset, extent, rw_mask)
    llvm::Value* data = MakeValue(op->args[1]);
    llvm::Value* offset = MakeValue(op->args[2]);
    DataType elem = op->args[0].dtype();
    return builder_.CreateInBoundsGEP(StorageType(elem), data, {offset});
  }
  if (name == "call_extern" || name == "call_pure_extern") return CreateCallExtern(op, true);
  if (name == "call_llvm_intrin" || name == "call_llvm_pure_intrin") {
    // call_llvm_intrin(id or name, num_signature_args, args...)
    llvm::Intrinsic::ID id;
    if (const auto* s = op->args[0].as<StringImmNode>()) {
      id = llvm::Function::lookupIntrinsicID(s->value.str());
    } else {
      id = static_cast<llvm::Intrinsic::ID>(*as_const_int(op->args[0]));
    }
    TVM_CHECK(id != llvm::Intrinsic::not_intrinsic, "ValueError") << "unknown LLVM intrinsic in call_llvm_intrin";
    int64_t num_signature = *as_const_int(op->args[1]);
    std::vector<llvm::Value*> values;
    std::vector<llvm::Type*> overload;
    for (size_t i = 2; i < op->args.size(); ++i) values.push_back(MakeValue(op->args[i]));
    if (llvm::Intrinsic::isOverloaded(id)) {
      overload.push_back(LLVMType(op->dtype));
      for (int64_t i = 0; i < num_signature && i < static_cast<int64_t>(values.size()); ++i) {
        overload.push_back(values[i]->getType());
      }
      // Keep only what the intrinsic's signature declares overloadable.
      llvm::SmallVector<llvm::Intrinsic::IITDescriptor, 8> table;
      llvm::Intrinsic::getIntrinsicInfoTableEntries(id, table);
      llvm::SmallVector<llvm::Type*, 4> matched;
      llvm::ArrayRef<llvm::Intrinsic::IITDescriptor> ref = table;
      std::vector<llvm::Type*> param_types;
      for (llvm::Value* v : values) param_types.push_back(v->getType());
      auto* ftype = llvm::FunctionType::get(LLVMType(op->dtype), param_types, false);
      if (llvm::Intrinsic::matchIntrinsicSignature(ftype, ref, matched) ==
          llvm::Intrinsic::MatchIntrinsicTypes_Match) {
        overload.assign(matched.begin(), matched.end());
      }
    }
    llvm::Function* f = llvm::Intrinsic::getDeclaration(module_, id, overload);
    // LLVM asserts (or miscompiles) on a call whose operands do not match the declaration, so
    // check here and name the intrinsic, the operand and both types.
    llvm::FunctionType* ftype = f->getFunctionType();
    std::string intrin_name = llvm::Intrinsic::getBaseName(id).str();
    TVM_CHECK(ftype->getNumParams() == values.size() || (ftype->isVarArg() && values.size() >= ftype->getNumParams()),
              "ValueError")
        << "in '" << func_name_ << "': " << intrin_name << " takes " << ftype->getNumParams() << " operands, "
        << name << " passes " << values.size();
    for (size_t i = 0; i < ftype->getNumParams(); ++i) {
      if (values[i]->getType() == ftype->getParamType(i)) continue;
      std::string want, got;
      llvm::raw_string_ostream want_os(want), got_os(got);
      ftype->getParamType(i)->print(want_os);
      values[i]->getType()->print(got_os);
      TVM_CHECK(false, "TypeError") << "in '" << func_name_ << "': operand " << i << " of " << intrin_name
                                    << " must be " << want_os.str() << ", got " << got_os.str() << " ("
                                    << op->args[i + 2].dtype() << "); reinterpret it to the intrinsic's type";
    }
    std::string ret_want, ret_got;
    llvm::raw_string_ostream ret_want_os(ret_want), ret_got_os(ret_got);
    ftype->getReturnType()->print(ret_want_os);
    LLVMType(op->dtype)->print(ret_got_os);
    // A void intrinsic may sit in an Evaluate under any dtype; a value must have the declared type.
    TVM_CHECK(ftype->getReturnType() == LLVMType(op->dtype) || op->dtype.is_void() ||
                  ftype->getReturnType()->isVoidTy(),
              "TypeError")
        << "in '" << func_name_ << "': " << intrin_name << " returns " << ret_want_os.str() << ", the call says "
        << op->dtype << " (" << ret_got_os.str() << ")";
    return builder_.CreateCall(f, values);
  }
  if (name == "tvm_struct_get") {
    llvm::Value* base = MakeValue(op->args[0]);
    llvm::Value* index = MakeValue(op->args[1]);
    int kind = static_cast<int>(*as_const_int(op->args[2]));
    llvm::Value* addr = StructAddress(base, index, kind);
    if (kind == builtin::kArrAddr) return addr;
    llvm::Type* field = StructFieldType(kind, op->dtype);
    llvm::Value* v = builder_.CreateLoad(field, addr);
    if (field != LLVMType(op->dtype)) {
      if (op->dtype.is_handle()) return v;
      return builder_.CreateIntCast(v, LLVMType(op->dtype), false);
    }
    return v;
  }
  if (name == "tvm_struct_set") {
    llvm::Value* base = MakeValue(op->args[0]);
    llvm::Value* index = MakeValue(op->args[1]);
    int kind = static_cast<int>(*as_const_int(op->args[2]));
    llvm::Value* value = MakeValue(op->args[3]);
    llvm::Value* addr = StructAddress(base, index, kind);
    llvm::Type* field = StructFieldType(kind, op->args[3].dtype());
    if (value->getType() != field) {
      if (field->isPointerTy()) {
        value = builder_.CreateIntToPtr(value, field);
      } else if (value->getType()->isIntegerTy()) {
        value = builder_.CreateIntCast(value, field, true);
      } else if (value->getType()->isPointerTy()) {
        value = builder_.CreatePtrToInt(value, field);
      } else {
        value = builder_.CreateBitCast(value, field);
      }
    }
    builder_.CreateStore(value, addr);
    return builder_.getInt32(0);
  }
  if (name == "tvm_stack_alloca") {
    const auto* kind = op->args[0].as<StringImmNode>();
    int64_t n = *as_const_int(op->args[1]);
    TVM_CHECK(kind != nullptr, "ValueError") << "tvm_stack_alloca needs a kind";
    if (kind->value == "shape") return CreateEntryAlloca(t_int64_, n, 8);
    if (kind->value == "arg_value") return CreateEntryAlloca(t_int64_, n, 8);
    if (kind->value == "arg_tcode") return CreateEntryAlloca(t_int32_, n, 4);
    if (kind->value == "array") return CreateEntryAlloca(llvm::ArrayType::get(t_int8_, sizeof(DLTensor)), n, 8);
    throw runtime::Error("ValueError", "unknown tvm_stack_alloca kind " + kind->value.str());
  }
  if (name == "tvm_call_packed_lowered") {
    // tvm_call_packed_lowered(name, values, tcodes, begin, end)
    const auto* fname = op->args[0].as<StringImmNode>();
    TVM_CHECK(fname != nullptr, "ValueError") << "tvm_call_packed_lowered needs a function name";
    llvm::Value* handle = PackedFuncHandle(fname->value);
    llvm::Value* values = MakeValue(op->args[1]);
    llvm::Value* tcodes = MakeValue(op->args[2]);
    llvm::Value* begin = builder_.CreateIntCast(MakeValue(op->args[3]), t_int32_, true);
    llvm::Value* end = builder_.CreateIntCast(MakeValue(op->args[4]), t_int32_, true);
    llvm::Value* arg_values = builder_.CreateInBoundsGEP(t_int64_, values, {begin});
    llvm::Value* arg_codes = builder_.CreateInBoundsGEP(t_int32_, tcodes, {begin});
    // The return value goes into the slot after the arguments.
    llvm::Value* ret_value = builder_.CreateInBoundsGEP(t_int64_, values, {end});
    llvm::Value* ret_code = builder_.CreateInBoundsGEP(t_int32_, tcodes, {end});
    llvm::Value* ret = CallHook("__TVMFuncCall", t_func_call_,
                                {handle, arg_values, arg_codes, builder_.CreateSub(end, begin), ret_value, ret_code});
    CheckCallSuccess(ret);
    if (op->dtype.is_void() || op->dtype == DataType::Int(32)) return builder_.getInt32(0);
    // The return slot is a TVMValue: floats come back as double, integers as int64.
    DataType t = op->dtype;
    if (t.is_float() && t.lanes() == 1) {
      llvm::Value* d = builder_.CreateLoad(builder_.getDoubleTy(), ret_value);
      return t.bits() == 64 ? d : builder_.CreateFPTrunc(d, LLVMType(t));
    }
    if ((t.is_int() || t.is_uint() || t.is_bool()) && t.lanes() == 1) {
      llvm::Value* i = builder_.CreateLoad(t_int64_, ret_value);
      return t.bits() == 64 ? i : builder_.CreateTrunc(i, LLVMType(t));
    }
    llvm::Value* rv = builder_.CreateLoad(LLVMType(op->dtype), ret_value);
    return rv;
  }
  if (name == "tvm_call_cpacked_lowered") {
    // tvm_call_cpacked_lowered(symbol, values, tcodes, begin, end): a direct call of a function
    // with the packed C signature (of this module, or resolved when the library is linked).
    const auto* fname = op->args[0].as<StringImmNode>();
    TVM_CHECK(fname != nullptr, "ValueError") << "tvm_call_cpacked_lowered needs a function name";
    llvm::Value* values = MakeValue(op->args[1]);
    llvm::Value* tcodes = MakeValue(op->args[2]);
    llvm::Value* begin = builder_.CreateIntCast(MakeValue(op->args[3]), t_int32_, true);
    llvm::Value* end = builder_.CreateIntCast(MakeValue(op->args[4]), t_int32_, true);
    auto* ftype = llvm::FunctionType::get(t_int32_, {t_ptr_, t_ptr_, t_int32_, t_ptr_, t_ptr_, t_ptr_}, false);
    llvm::FunctionCallee callee = module_->getOrInsertFunction(fname->value.str(), ftype);
    llvm::Value* ret = builder_.CreateCall(
        callee, {builder_.CreateInBoundsGEP(t_int64_, values, {begin}), builder_.CreateInBoundsGEP(t_int32_, tcodes, {begin}),
                 builder_.CreateSub(end, begin), builder_.CreateInBoundsGEP(t_int64_, values, {end}),
                 builder_.CreateInBoundsGEP(t_int32_, tcodes, {end}), llvm::ConstantPointerNull::get(t_ptr_)});
    CheckCallSuccess(ret);
    return builder_.getInt32(0);
  }
  if (name == "tvm_throw_last_error") {
    EmitErrorReturn(nullptr);
    builder_.SetInsertPoint(llvm::BasicBlock::Create(*ctx_, "after_throw", builder_.GetInsertBlock()->getParent()));
    return builder_.getInt32(-1);
  }
  if (name == "ret") {
    llvm::Value* v = MakeValue(op->args[0]);
    llvm::Type* ret_type = builder_.GetInsertBlock()->getParent()->getReturnType();
    if (v->getType() != ret_type && ret_type->isIntegerTy()) v = builder_.CreateIntCast(v, ret_type, true);
    FenceNontemporalStores();
    FreeLiveWorkspaces();
    builder_.CreateRet(v);
    builder_.SetInsertPoint(llvm::BasicBlock::Create(*ctx_, "after_ret", builder_.GetInsertBlock()->getParent()));
    return v;
  }
  if (name == "prefetch") {
    // prefetch(address, rw, locality, cache type): LLVM needs the last three as constants.
    llvm::Value* addr = MakeValue(op->args[0]);
    auto flag = [&](size_t i, int64_t fallback) {
      std::optional<int64_t> v = i < op->args.size() ? as_const_int(op->args[i]) : std::nullopt;
      return builder_.getInt32(static_cast<int32_t>(v.value_or(fallback)));
    };
    llvm::Function* f = llvm::Intrinsic::getDeclaration(module_, llvm::Intrinsic::prefetch, {addr->getType()});
    return builder_.CreateCall(f, {addr, flag(1, 0), flag(2, 3), flag(3, 1)});
  }
  if (name == "type_annotation") return llvm::Constant::getNullValue(LLVMType(op->dtype));
  if (name == "vectorhigh" || name == "vectorlow") {
    llvm::Value* v = MakeValue(op->args[0]);
    int lanes = op->dtype.lanes();
    std::vector<int> mask;
    for (int i = 0; i < lanes; ++i) mask.push_back(name == "vectorhigh" ? i + lanes : i);
    return builder_.CreateShuffleVector(v, mask);
  }
  if (name == "vectorcombine") {
    llvm::Value* a = MakeValue(op->args[0]);
    llvm::Value* b = MakeValue(op->args[1]);
    std::vector<int> mask;
    for (int i = 0; i < op->dtype.lanes(); ++i) mask.push_back(i);
    return builder_.CreateShuffleVector(a, b, mask);
  }
  if (llvm::Value* v = MathIntrinsic(name, op)) return v;
  if (name == "rsqrt") {
    llvm::Value* s = CallLLVMIntrinsic(llvm::Intrinsic::sqrt, op->dtype, op->args, 0);
    return builder_.CreateFDiv(llvm::ConstantFP::get(LLVMType(op->dtype), 1.0), s);
  }
  if (name == "sigmoid") {
    llvm::Value* x = MakeValue(op->args[0]);
    llvm::Type* t = LLVMType(op->dtype);
    llvm::Function* exp = llvm::Intrinsic::getDeclaration(module_, llvm::Intrinsic::exp, {t});
    llvm::Value* e = builder_.CreateCall(exp, {builder_.CreateFNeg(x)});
    llvm::Value* one = llvm::ConstantFP::get(t, 1.0);
    return builder_.CreateFDiv(one, builder_.CreateFAdd(one, e));
  }
  // Anything else of the math family goes to libm by name: "erff" for float32 (and for float16
  // and bfloat16, computed in float32), "erf" for float64, lane by lane for vectors.
  if (IsFloat(op->dtype)) {
    DataType compute = op->dtype.bits() == 64 ? op->dtype : DataType::Float(32, op->dtype.lanes());
    std::string fname = name + (compute.bits() == 32 ? "f" : "");
    std::vector<llvm::Value*> values;
    std::vector<DataType> types;
    for (const PrimExpr& a : op->args) {
      DataType t = IsFloat(a.dtype()) ? compute.with_lanes(a.dtype().lanes()) : a.dtype();
      values.push_back(CreateCast(a.dtype(), t, MakeValue(a)));
      types.push_back(t);
    }
    return CreateCast(compute, op->dtype, CallScalarFunction(fname, compute, values, types));
  }
  throw runtime::Error("ValueError", "in '" + func_name_ + "': the CPU code generator does not support the builtin '" +
                                         op_node->name.str() + "'");
}

}  // namespace

void OptimizeModule(llvm::Module* module, llvm::TargetMachine* tm, int opt_level) {
  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  llvm::PipelineTuningOptions pto;
  pto.LoopVectorization = true;
  pto.SLPVectorization = true;
  llvm::PassBuilder pb(tm, pto);
  pb.registerModuleAnalyses(mam);
  pb.registerCGSCCAnalyses(cgam);
  pb.registerFunctionAnalyses(fam);
  pb.registerLoopAnalyses(lam);
  pb.crossRegisterProxies(lam, fam, cgam, mam);
  llvm::OptimizationLevel level = opt_level >= 3   ? llvm::OptimizationLevel::O3
                                  : opt_level == 2 ? llvm::OptimizationLevel::O2
                                  : opt_level == 1 ? llvm::OptimizationLevel::O1
                                                   : llvm::OptimizationLevel::O0;
  llvm::ModulePassManager mpm = level == llvm::OptimizationLevel::O0 ? pb.buildO0DefaultPipeline(level)
                                                                     : pb.buildPerModuleDefaultPipeline(level);
  mpm.run(*module, mam);
}

LLVMBuildResult BuildLLVMModule(const IRModule& mod, const Target& target, bool implicit_entry) {
  LLVMBuildResult result;
  result.target_info = LLVMTargetInfo::FromTarget(target);
  result.context = std::make_unique<llvm::LLVMContext>();
  std::string module_name = "tvm_module";
  result.module = std::make_unique<llvm::Module>(module_name, *result.context);
  std::unique_ptr<llvm::TargetMachine> tm = result.target_info.CreateTargetMachine();
  result.module->setTargetTriple(result.target_info.triple);
  result.module->setDataLayout(tm->createDataLayout());
  CodeGenLLVM cg(result.context.get(), result.module.get(), result.target_info);
  // Functions in the order of their names: the same module gives the same object
  // code whatever order its map holds them in.
  std::vector<std::tuple<GlobalVar, std::string, PrimFunc>> funcs;
  for (const auto& kv : mod->functions) {
    const auto* f = kv.second.as<PrimFuncNode>();
    TVM_CHECK(f != nullptr, "TypeError") << "the LLVM code generator compiles PrimFuncs; '" << kv.first->name_hint
                                         << "' is a " << kv.second->GetTypeKey();
    funcs.emplace_back(kv.first, f->GetAttr<String>(tvm::attr::kGlobalSymbol).value_or(kv.first->name_hint),
                       GetRef<PrimFunc>(f));
  }
  std::sort(funcs.begin(), funcs.end(), [](const auto& a, const auto& b) { return std::get<1>(a) < std::get<1>(b); });
  cg.DeclareFunctions(funcs);
  for (const auto& [gvar, name, func] : funcs) {
    const PrimFuncNode* f = func.operator->();
    cg.AddFunction(name, func);
    // Only packed functions are reachable from the runtime; subroutines are called directly.
    int conv = static_cast<int>(f->GetAttr<Integer>(tir::attr::kCallingConv).value_or(Integer(1)).IntValue());
    if (conv != 1) continue;
    result.function_names.push_back(name);
    if (f->GetAttr<Integer>(tir::attr::kIsEntryFunc).value_or(Integer(0)).IntValue() != 0) result.entry_name = name;
  }
  // Definitions in the order of their names, the outlined ones (X_compute_) included: the IR
  // text of a module does not depend on the order the code generator made them in.
  std::vector<llvm::Function*> defined;
  for (llvm::Function& fn : *result.module) {
    if (!fn.isDeclaration()) defined.push_back(&fn);
  }
  std::stable_sort(defined.begin(), defined.end(),
                   [](llvm::Function* a, llvm::Function* b) { return a->getName() < b->getName(); });
  for (llvm::Function* fn : defined) {
    fn->removeFromParent();
    result.module->getFunctionList().push_back(fn);
  }
  if (implicit_entry && result.entry_name.empty() && result.function_names.size() == 1) {
    result.entry_name = result.function_names[0];
  }
  if (!result.entry_name.empty()) cg.AddEntryName(result.entry_name);
  if (cg.uses_16bit_floats()) AddSoftFloatBuiltins(result.module.get());
  if (target->GetAttr<Integer>("system-lib").value_or(Integer(0)).IntValue() != 0) {
    cg.AddSystemLibConstructor(result.function_names);
  }
  std::string err;
  llvm::raw_string_ostream os(err);
  TVM_CHECK(!llvm::verifyModule(*result.module, &os), "InternalError") << "LLVM module verification failed: " << os.str();
  OptimizeModule(result.module.get(), tm.get(), result.target_info.opt_level);
  return result;
}

}  // namespace codegen
}  // namespace tvm
