/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/tir/builtin.h
 * \brief Builtin operators of the loop IR, used as CallNode::op. Each is a
 *  registered Op named "tir.<name>" with attribute "TCallEffectKind".
 */
#ifndef TVM_TIR_BUILTIN_H_
#define TVM_TIR_BUILTIN_H_

#include <tvm/ir/op.h>

namespace tvm {
namespace tir {

/*! \brief What a call may do, for passes that move or remove calls. */
enum class CallEffectKind : int {
  /*! \brief A constant expression (e.g. a type cast helper). */
  kExprAnnotation = 0,
  /*! \brief No side effect; may be reordered or removed. */
  kPure = 1,
  /*! \brief Reads memory (e.g. a load through a pointer). */
  kReadState = 2,
  /*! \brief Writes memory or has other effects. */
  kUpdateState = 3,
  /*! \brief Internal marker used while lowering (the call never reaches codegen). */
  kEmbedded = 4,
  /*! \brief Control flow (e.g. return). */
  kControlJump = 5,
  /*! \brief Unknown effect (extern calls). */
  kOpaque = kUpdateState,
};

namespace builtin {
/*! \brief ret(value): return from the function. */
TVM_DLL const Op& ret();
TVM_DLL const Op& reinterpret();
TVM_DLL const Op& likely();
TVM_DLL const Op& bitwise_and();
TVM_DLL const Op& bitwise_or();
TVM_DLL const Op& bitwise_xor();
TVM_DLL const Op& bitwise_not();
TVM_DLL const Op& shift_left();
TVM_DLL const Op& shift_right();
TVM_DLL const Op& large_uint_imm();
TVM_DLL const Op& q_multiply_shift();
/*! \brief address_of(buffer_load): the address of an element. */
TVM_DLL const Op& address_of();
/*! \brief if_then_else(cond, t, f): evaluates only the chosen side. */
TVM_DLL const Op& if_then_else();
TVM_DLL const Op& isnullptr();
TVM_DLL const Op& isnan();
TVM_DLL const Op& popcount();
TVM_DLL const Op& fma();
/*! \brief call_extern(name, args...): a C function. */
TVM_DLL const Op& call_extern();
TVM_DLL const Op& call_pure_extern();
/*! \brief call_llvm_intrin(intrinsic id or name, num signature args, args...). */
TVM_DLL const Op& call_llvm_intrin();
TVM_DLL const Op& call_llvm_pure_intrin();
TVM_DLL const Op& call_spirv_pure_glsl450();
TVM_DLL const Op& prefetch();
/*! \brief tvm_access_ptr(dtype, data, offset, extent, rw_mask). */
TVM_DLL const Op& tvm_access_ptr();
TVM_DLL const Op& tvm_static_handle();
TVM_DLL const Op& tvm_context_id();
TVM_DLL const Op& tvm_tuple();
TVM_DLL const Op& tvm_struct_get();
TVM_DLL const Op& tvm_struct_set();
TVM_DLL const Op& lookup_param();
TVM_DLL const Op& tvm_throw_last_error();
TVM_DLL const Op& tvm_stack_alloca();
TVM_DLL const Op& tvm_stack_make_shape();
TVM_DLL const Op& tvm_stack_make_array();
/*! \brief tvm_call_packed(name, args...): call a packed function by name. */
TVM_DLL const Op& tvm_call_packed();
TVM_DLL const Op& tvm_call_cpacked();
TVM_DLL const Op& tvm_call_trace_packed();
TVM_DLL const Op& tvm_call_packed_lowered();
TVM_DLL const Op& tvm_call_cpacked_lowered();
TVM_DLL const Op& tvm_thread_context();
TVM_DLL const Op& tvm_thread_allreduce();
TVM_DLL const Op& tvm_warp_shuffle();
TVM_DLL const Op& tvm_warp_shuffle_up();
TVM_DLL const Op& tvm_warp_shuffle_down();
TVM_DLL const Op& tvm_warp_activemask();
TVM_DLL const Op& tvm_storage_sync();
TVM_DLL const Op& tvm_global_barrier_kinit();
TVM_DLL const Op& tvm_load_matrix_sync();
TVM_DLL const Op& tvm_mma_sync();
TVM_DLL const Op& tvm_fill_fragment();
TVM_DLL const Op& tvm_store_matrix_sync();
TVM_DLL const Op& vectorhigh();
TVM_DLL const Op& vectorlow();
TVM_DLL const Op& vectorcombine();
TVM_DLL const Op& assume();
TVM_DLL const Op& undef();
TVM_DLL const Op& start_profile_intrinsic();
TVM_DLL const Op& end_profile_intrinsic();
/*! \brief Marks the body of a coprocessor dependency push/pop (VTA). */
TVM_DLL const Op& tvm_check_return();

/*! \brief Fields of tvm_struct_get/set on DLTensor and argument arrays. */
enum TVMStructFieldKind : int {
  kArrAddr = 0,
  kArrData = 1,
  kArrShape = 2,
  kArrStrides = 3,
  kArrNDim = 4,
  kArrTypeCode = 5,
  kArrTypeBits = 6,
  kArrTypeLanes = 7,
  kArrByteOffset = 8,
  kArrDeviceId = 9,
  kArrDeviceType = 10,
  kArrKindBound_ = 11,
  kTVMValueContent = 12,
  kTVMValueKindBound_ = 13,
};
}  // namespace builtin

/*! \brief The effect kind of an op (kOpaque when unregistered). */
TVM_DLL CallEffectKind GetCallEffectKind(const Op& op);

}  // namespace tir
}  // namespace tvm
#endif  // TVM_TIR_BUILTIN_H_
