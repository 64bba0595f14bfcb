/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file relay/transforms/pass_util.h
 * \brief Small helpers the rewriting passes share: building operator calls
 *  exactly as the Python constructors do, scalar constants, and running a
 *  rewrite over each optimisable Relay function of a module.
 */
#ifndef TVM_RELAY_TRANSFORMS_PASS_UTIL_H_
#define TVM_RELAY_TRANSFORMS_PASS_UTIL_H_

#include <tvm/ir/module.h>
#include <tvm/ir/tensor_type.h>
#include <tvm/relay/expr.h>
#include <tvm/relay/function.h>
#include <tvm/relay/transform.h>
#include <tvm/runtime/registry.h>

#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "../printer/scalar_text.h"

namespace tvm {
namespace relay {
namespace pass_util {

/*!
 * \brief A call built by the operator's own constructor "relay.op._make.<name>"
 *  (or "relay.op.nn._make.<name>" for "nn.<name>"), so its attributes are
 *  those relay.<name>(...) in Python would give, defaults included.
 */
template <typename... Args>
inline Expr MakeOp(const std::string& name, Args&&... args) {
  std::string key = "relay.op._make." + name;
  if (name.rfind("nn.", 0) == 0) key = "relay.op.nn._make." + name.substr(3);
  const runtime::PackedFunc* f = runtime::Registry::Get(key);
  TVM_CHECK(f != nullptr, "InternalError") << "relay pass: operator constructor " << key << " is not registered";
  runtime::TVMRetValue rv = (*f)(std::forward<Args>(args)...);
  return rv.AsType<Expr>();
}

/*! \brief A 0-d constant of `dtype` holding `value` (float16 rounded to nearest even). */
inline Expr ScalarConstant(DataType dtype, double value) {
  runtime::NDArray arr = runtime::NDArray::Empty({}, dtype, DLDevice{kDLCPU, 0});
  void* p = arr->data;
  if (dtype.is_float() && dtype.bits() == 64) {
    *static_cast<double*>(p) = value;
  } else if (dtype.is_float() && dtype.bits() == 32) {
    *static_cast<float*>(p) = static_cast<float>(value);
  } else if (dtype.is_float16()) {
    *static_cast<uint16_t*>(p) = text::FloatToHalf(static_cast<float>(value));
  } else if (dtype.is_bfloat16()) {
    float f = static_cast<float>(value);
    uint32_t bits;
    std::memcpy(&bits, &f, 4);
    bits += 0x7fff + ((bits >> 16) & 1);  // round to nearest even
    *static_cast<uint16_t*>(p) = static_cast<uint16_t>(bits >> 16);
  } else if (dtype.is_bool()) {
    *static_cast<bool*>(p) = value != 0;
  } else if (dtype.is_int() || dtype.is_uint()) {
    int64_t v = static_cast<int64_t>(value);
    switch (dtype.bits()) {
      case 8: *static_cast<int8_t*>(p) = static_cast<int8_t>(v); break;
      case 16: *static_cast<int16_t*>(p) = static_cast<int16_t>(v); break;
      case 32: *static_cast<int32_t*>(p) = static_cast<int32_t>(v); break;
      default: *static_cast<int64_t*>(p) = v; break;
    }
  } else {
    TVM_CHECK(false, "TypeError") << "relay pass: cannot make a scalar constant of type " << dtype;
  }
  return Constant(arr);
}

/*! \brief The tensor type of `e` (its checked_type), or nullptr when not known or not a tensor. */
inline const TensorTypeNode* TensorTypeOf(const Expr& e) {
  if (!e->checked_type_.defined()) return nullptr;
  return e->checked_type_.as<TensorTypeNode>();
}

/*!
 * \brief Whether a pass over functions must leave `func` alone: not a Relay
 *  function, or already lowered or owned elsewhere (Primitive, Compiler,
 *  Extern, SkipOptimization). The one predicate every function pass uses.
 */
bool SkipFunction(const BaseFunc& func);

/*!
 * \brief CreateFunctionPass for the passes written in C++: rewrites each
 *  function SkipFunction keeps, then infers types over the result. With
 *  `needs_types`, an untyped module is type-inferred first. The input module
 *  is left as it was.
 */
tvm::transform::Pass FunctionRewritePass(std::function<Function(Function, IRModule)> rewrite, int opt_level,
                                         const std::string& name, Array<String> required = {},
                                         bool needs_types = false);

}  // namespace pass_util
}  // namespace relay
}  // namespace tvm
#endif  // TVM_RELAY_TRANSFORMS_PASS_UTIL_H_
