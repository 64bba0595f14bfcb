/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// The builtin operators of the loop IR and the pure math intrinsics.
//
// Every op is registered from one table below: its name ("tir.<name>"), what
// a call of it may do (TCallEffectKind, read by passes that move, merge or
// drop calls), and its number of arguments when fixed. TScriptPrinterName is
// the bare name; the printer decides how to prefix it.
#include <tvm/ir/op.h>
#include <tvm/runtime/registry.h>
#include <tvm/tir/builtin.h>

#include <string>

namespace tvm {
namespace tir {

namespace {

struct OpInfo {
  const char* name;
  CallEffectKind effect;
  /*! \brief -1: variadic. */
  int num_inputs;
};

constexpr CallEffectKind kPure = CallEffectKind::kPure;
constexpr CallEffectKind kAnnotation = CallEffectKind::kExprAnnotation;
constexpr CallEffectKind kRead = CallEffectKind::kReadState;
constexpr CallEffectKind kUpdate = CallEffectKind::kUpdateState;
constexpr CallEffectKind kOpaque = CallEffectKind::kOpaque;
constexpr CallEffectKind kEmbedded = CallEffectKind::kEmbedded;
constexpr CallEffectKind kJump = CallEffectKind::kControlJump;

// The ops declared in tvm/tir/builtin.h.
const OpInfo kBuiltinOps[] = {
    {"ret", kJump, 1},
    {"reinterpret", kPure, 1},
    {"likely", kAnnotation, 1},
    {"bitwise_and", kPure, 2},
    {"bitwise_or", kPure, 2},
    {"bitwise_xor", kPure, 2},
    {"bitwise_not", kPure, 1},
    {"shift_left", kPure, 2},
    {"shift_right", kPure, 2},
    {"large_uint_imm", kPure, 2},
    {"q_multiply_shift", kPure, 4},
    {"address_of", kPure, 1},
    {"if_then_else", kPure, 3},
    {"isnullptr", kPure, 1},
    {"isnan", kPure, 1},
    {"popcount", kPure, 1},
    {"fma", kPure, 3},
    {"call_extern", kOpaque, -1},
    {"call_pure_extern", kPure, -1},
    {"call_llvm_intrin", kOpaque, -1},
    {"call_llvm_pure_intrin", kPure, -1},
    {"call_spirv_pure_glsl450", kPure, -1},
    {"prefetch", kOpaque, 4},
    {"tvm_access_ptr", kPure, 5},
    // Each call site owns a distinct handle: never merge two of them.
    {"tvm_static_handle", kOpaque, 0},
    {"tvm_context_id", kRead, 0},
    {"tvm_tuple", kEmbedded, -1},
    {"tvm_struct_get", kRead, 3},
    {"tvm_struct_set", kUpdate, 4},
    {"lookup_param", kPure, 1},
    {"tvm_throw_last_error", kOpaque, 0},
    {"tvm_stack_alloca", kOpaque, 2},
    {"tvm_stack_make_shape", kOpaque, -1},
    {"tvm_stack_make_array", kOpaque, 6},
    {"tvm_call_packed", kOpaque, -1},
    {"tvm_call_cpacked", kOpaque, -1},
    {"tvm_call_trace_packed", kOpaque, -1},
    {"tvm_call_packed_lowered", kOpaque, -1},
    {"tvm_call_cpacked_lowered", kOpaque, -1},
    {"tvm_thread_context", kOpaque, 1},
    {"tvm_thread_allreduce", kOpaque, -1},
    // Warp-level operations depend on which threads are active: keep them in place.
    {"tvm_warp_shuffle", kOpaque, 5},
    {"tvm_warp_shuffle_up", kOpaque, 5},
    {"tvm_warp_shuffle_down", kOpaque, 5},
    {"tvm_warp_activemask", kOpaque, 0},
    {"tvm_storage_sync", kOpaque, -1},
    {"tvm_global_barrier_kinit", kOpaque, 0},
    {"tvm_load_matrix_sync", kOpaque, 8},
    {"tvm_mma_sync", kOpaque, 8},
    {"tvm_fill_fragment", kOpaque, 6},
    {"tvm_store_matrix_sync", kOpaque, 8},
    {"vectorhigh", kPure, -1},
    {"vectorlow", kPure, -1},
    {"vectorcombine", kPure, 2},
    {"assume", kEmbedded, 1},
    {"undef", kRead, 0},
    {"start_profile_intrinsic", kOpaque, 1},
    {"end_profile_intrinsic", kOpaque, 1},
    {"tvm_check_return", kOpaque, 3},
    // atomic_add(address, value): adds value at address, returns the old value.
    {"atomic_add", kOpaque, 2},
};

// Pure math intrinsics; codegen maps each to a libm call or an instruction.
const OpInfo kMathOps[] = {
    {"exp", kPure, 1},       {"exp2", kPure, 1},     {"exp10", kPure, 1},     {"log", kPure, 1},
    {"log2", kPure, 1},      {"log10", kPure, 1},    {"log1p", kPure, 1},     {"sqrt", kPure, 1},
    {"rsqrt", kPure, 1},     {"tanh", kPure, 1},     {"sigmoid", kPure, 1},   {"erf", kPure, 1},
    {"sin", kPure, 1},       {"cos", kPure, 1},      {"tan", kPure, 1},       {"asin", kPure, 1},
    {"acos", kPure, 1},      {"atan", kPure, 1},     {"atan2", kPure, 2},     {"sinh", kPure, 1},
    {"cosh", kPure, 1},      {"asinh", kPure, 1},    {"acosh", kPure, 1},     {"atanh", kPure, 1},
    {"floor", kPure, 1},     {"ceil", kPure, 1},     {"round", kPure, 1},     {"nearbyint", kPure, 1},
    {"trunc", kPure, 1},     {"fabs", kPure, 1},     {"pow", kPure, 2},       {"fmod", kPure, 2},
    {"isinf", kPure, 1},     {"isfinite", kPure, 1}, {"copysign", kPure, 2},  {"hypot", kPure, 2},
    {"ldexp", kPure, 2},     {"nextafter", kPure, 2}, {"clz", kPure, 1},
};

template <size_t N>
void RegisterTable(const OpInfo (&table)[N]) {
  for (const OpInfo& info : table) {
    OpRegEntry& entry = OpRegEntry::RegisterOrGet(std::string("tir.") + info.name);
    entry.set_num_inputs(info.num_inputs);
    entry.set_attr<int>("TCallEffectKind", static_cast<int>(info.effect));
    entry.set_attr<std::string>("TScriptPrinterName", info.name);
  }
}

int RegisterTirOps() {
  RegisterTable(kBuiltinOps);
  RegisterTable(kMathOps);
  return 0;
}

/*! \brief Registers the tables once, even when asked from another file's static initializer. */
void EnsureRegistered() {
  static const int done = RegisterTirOps();
  (void)done;
}

[[maybe_unused]] const int kTirOpsRegistered = (EnsureRegistered(), 0);

Op LookupBuiltin(const char* name) {
  EnsureRegistered();
  return Op::Get(std::string("tir.") + name);
}

}  // namespace

namespace builtin {

// Each accessor looks its op up once; the registry keeps the op alive.
const Op& ret() { static const Op op = LookupBuiltin("ret"); return op; }
const Op& reinterpret() { static const Op op = LookupBuiltin("reinterpret"); return op; }
const Op& likely() { static const Op op = LookupBuiltin("likely"); return op; }
const Op& bitwise_and() { static const Op op = LookupBuiltin("bitwise_and"); return op; }
const Op& bitwise_or() { static const Op op = LookupBuiltin("bitwise_or"); return op; }
const Op& bitwise_xor() { static const Op op = LookupBuiltin("bitwise_xor"); return op; }
const Op& bitwise_not() { static const Op op = LookupBuiltin("bitwise_not"); return op; }
const Op& shift_left() { static const Op op = LookupBuiltin("shift_left"); return op; }
const Op& shift_right() { static const Op op = LookupBuiltin("shift_right"); return op; }
const Op& large_uint_imm() { static const Op op = LookupBuiltin("large_uint_imm"); return op; }
const Op& q_multiply_shift() { static const Op op = LookupBuiltin("q_multiply_shift"); return op; }
const Op& address_of() { static const Op op = LookupBuiltin("address_of"); return op; }
const Op& if_then_else() { static const Op op = LookupBuiltin("if_then_else"); return op; }
const Op& isnullptr() { static const Op op = LookupBuiltin("isnullptr"); return op; }
const Op& isnan() { static const Op op = LookupBuiltin("isnan"); return op; }
const Op& popcount() { static const Op op = LookupBuiltin("popcount"); return op; }
const Op& fma() { static const Op op = LookupBuiltin("fma"); return op; }
const Op& call_extern() { static const Op op = LookupBuiltin("call_extern"); return op; }
const Op& call_pure_extern() { static const Op op = LookupBuiltin("call_pure_extern"); return op; }
const Op& call_llvm_intrin() { static const Op op = LookupBuiltin("call_llvm_intrin"); return op; }
const Op& call_llvm_pure_intrin() { static const Op op = LookupBuiltin("call_llvm_pure_intrin"); return op; }
const Op& call_spirv_pure_glsl450() { static const Op op = LookupBuiltin("call_spirv_pure_glsl450"); return op; }
const Op& prefetch() { static const Op op = LookupBuiltin("prefetch"); return op; }
const Op& tvm_access_ptr() { static const Op op = LookupBuiltin("tvm_access_ptr"); return op; }
const Op& tvm_static_handle() { static const Op op = LookupBuiltin("tvm_static_handle"); return op; }
const Op& tvm_context_id() { static const Op op = LookupBuiltin("tvm_context_id"); return op; }
const Op& tvm_tuple() { static const Op op = LookupBuiltin("tvm_tuple"); return op; }
const Op& tvm_struct_get() { static const Op op = LookupBuiltin("tvm_struct_get"); return op; }
const Op& tvm_struct_set() { static const Op op = LookupBuiltin("tvm_struct_set"); return op; }
const Op& lookup_param() { static const Op op = LookupBuiltin("lookup_param"); return op; }
const Op& tvm_throw_last_error() { static const Op op = LookupBuiltin("tvm_throw_last_error"); return op; }
const Op& tvm_stack_alloca() { static const Op op = LookupBuiltin("tvm_stack_alloca"); return op; }
const Op& tvm_stack_make_shape() { static const Op op = LookupBuiltin("tvm_stack_make_shape"); return op; }
const Op& tvm_stack_make_array() { static const Op op = LookupBuiltin("tvm_stack_make_array"); return op; }
const Op& tvm_call_packed() { static const Op op = LookupBuiltin("tvm_call_packed"); return op; }
const Op& tvm_call_cpacked() { static const Op op = LookupBuiltin("tvm_call_cpacked"); return op; }
const Op& tvm_call_trace_packed() { static const Op op = LookupBuiltin("tvm_call_trace_packed"); return op; }
const Op& tvm_call_packed_lowered() { static const Op op = LookupBuiltin("tvm_call_packed_lowered"); return op; }
const Op& tvm_call_cpacked_lowered() { static const Op op = LookupBuiltin("tvm_call_cpacked_lowered"); return op; }
const Op& tvm_thread_context() { static const Op op = LookupBuiltin("tvm_thread_context"); return op; }
const Op& tvm_thread_allreduce() { static const Op op = LookupBuiltin("tvm_thread_allreduce"); return op; }
const Op& tvm_warp_shuffle() { static const Op op = LookupBuiltin("tvm_warp_shuffle"); return op; }
const Op& tvm_warp_shuffle_up() { static const Op op = LookupBuiltin("tvm_warp_shuffle_up"); return op; }
const Op& tvm_warp_shuffle_down() { static const Op op = LookupBuiltin("tvm_warp_shuffle_down"); return op; }
const Op& tvm_warp_activemask() { static const Op op = LookupBuiltin("tvm_warp_activemask"); return op; }
const Op& tvm_storage_sync() { static const Op op = LookupBuiltin("tvm_storage_sync"); return op; }
const Op& tvm_global_barrier_kinit() { static const Op op = LookupBuiltin("tvm_global_barrier_kinit"); return op; }
const Op& tvm_load_matrix_sync() { static const Op op = LookupBuiltin("tvm_load_matrix_sync"); return op; }
const Op& tvm_mma_sync() { static const Op op = LookupBuiltin("tvm_mma_sync"); return op; }
const Op& tvm_fill_fragment() { static const Op op = LookupBuiltin("tvm_fill_fragment"); return op; }
const Op& tvm_store_matrix_sync() { static const Op op = LookupBuiltin("tvm_store_matrix_sync"); return op; }
const Op& vectorhigh() { static const Op op = LookupBuiltin("vectorhigh"); return op; }
const Op& vectorlow() { static const Op op = LookupBuiltin("vectorlow"); return op; }
const Op& vectorcombine() { static const Op op = LookupBuiltin("vectorcombine"); return op; }
const Op& assume() { static const Op op = LookupBuiltin("assume"); return op; }
const Op& undef() { static const Op op = LookupBuiltin("undef"); return op; }
const Op& start_profile_intrinsic() { static const Op op = LookupBuiltin("start_profile_intrinsic"); return op; }
const Op& end_profile_intrinsic() { static const Op op = LookupBuiltin("end_profile_intrinsic"); return op; }
const Op& tvm_check_return() { static const Op op = LookupBuiltin("tvm_check_return"); return op; }

}  // namespace builtin

CallEffectKind GetCallEffectKind(const Op& op) {
  static const OpAttrMap<int> effect = Op::GetAttrMap<int>("TCallEffectKind");
  return static_cast<CallEffectKind>(effect.get(op, static_cast<int>(CallEffectKind::kOpaque)));
}

TVM_REGISTER_GLOBAL("tir.GetCallEffectKind").set_body_typed([](Op op) {
  return static_cast<int>(GetCallEffectKind(op));
});

}  // namespace tir
}  // namespace tvm
