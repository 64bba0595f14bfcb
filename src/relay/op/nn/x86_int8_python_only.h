/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file x86_int8_python_only.h
 * \brief Whether Python's "cpu" strategy would pick its int8 implementation (dense_int8.x86,
 *  batch_matmul_int8.x86, registered from Python only) for a call: the C++ strategies then stop
 *  with an error naming it, rather than compile another kernel than Python's.
 */
#ifndef TVM_RELAY_OP_NN_X86_INT8_PYTHON_ONLY_H_
#define TVM_RELAY_OP_NN_X86_INT8_PYTHON_ONLY_H_

#include <tvm/ir/tensor_type.h>
#include <tvm/runtime/registry.h>
#include <tvm/target/target.h>
#include <tvm/te/tensor.h>

#include <string>

namespace tvm {
namespace relay {

/*! \brief Python's x86_int8 conditions: uint8/int8 data, int8 weight, int32 result, static shapes,
 *  an llvm target with SSE2 and SSSE3. */
inline bool PythonPicksX86Int8(const te::Tensor& data, const te::Tensor& weight, const Type& out_type,
                               const Target& target) {
  const auto* tt = out_type.as<TensorTypeNode>();
  if (tt == nullptr || tt->dtype != DataType::Int(32) || weight->dtype != DataType::Int(8)) return false;
  if (data->dtype != DataType::Int(8) && data->dtype != DataType::UInt(8)) return false;
  for (const te::Tensor& t : {data, weight}) {
    for (const PrimExpr& d : t->shape) {
      if (!d.as<IntImmNode>()) return false;
    }
  }
  if (!target.defined() || target->kind->name != "llvm") return false;
  const runtime::PackedFunc* has = runtime::Registry::Get("target.target_has_feature");
  if (has == nullptr) return false;
  return (*has)(String("sse2"), target).operator bool() && (*has)(String("ssse3"), target).operator bool();
}

/*! \brief The error for such a call in a process without Python's strategies. */
inline void RefuseX86Int8(const char* op, const char* implementation) {
  TVM_CHECK(false, "NotImplementedError")
      << op << ": Python's strategy compiles this int8 call with " << implementation
      << ", which is registered from Python only; compile the model from Python (relay.build)";
}

}  // namespace relay
}  // namespace tvm
#endif  // TVM_RELAY_OP_NN_X86_INT8_PYTHON_ONLY_H_
