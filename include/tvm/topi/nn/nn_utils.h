/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/topi/nn/nn_utils.h
 * \brief Small helpers the neural-network operators share: tag strings,
 *  shape printing for error messages, constant extraction, axis normalisation.
 */
#ifndef TVM_TOPI_NN_NN_UTILS_H_
#define TVM_TOPI_NN_NN_UTILS_H_

#include <tvm/ir/repr_printer.h>
#include <tvm/runtime/logging.h>
#include <tvm/te/tensor.h>
#include <tvm/tir/op.h>

#include <sstream>
#include <string>
#include <vector>

namespace tvm {
namespace topi {
namespace nn {

// Tags as TVM spells them; schedules find stages by them.
constexpr const char* kTagElemWise = "elemwise";
constexpr const char* kTagBroadcast = "broadcast";
constexpr const char* kTagInjective = "injective";
constexpr const char* kTagCommReduce = "comm_reduce";
constexpr const char* kTagPad = "injective,pad";

/*! \brief "[1, 3, 224, 224]" for error messages. */
inline std::string ShapeString(const Array<PrimExpr>& shape) {
  std::ostringstream os;
  os << "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) os << ", ";
    if (auto v = as_const_int(shape[i])) {
      os << *v;
    } else {
      os << shape[i];
    }
  }
  os << "]";
  return os.str();
}

/*! \brief The value of a constant dimension, or an error naming op and what. */
inline int64_t ConstInt(const PrimExpr& e, const std::string& op, const std::string& what) {
  auto v = as_const_int(e);
  TVM_CHECK(v.has_value(), "ValueError") << op << ": " << what << " must be a constant integer, got " << e;
  return *v;
}

/*! \brief Axis in [-ndim, ndim) made non-negative, or an error naming op. */
inline int NormalizeAxis(int64_t axis, size_t ndim, const std::string& op) {
  int64_t n = static_cast<int64_t>(ndim);
  TVM_CHECK(axis >= -n && axis < n, "ValueError")
      << op << ": axis " << axis << " is out of range for a tensor of rank " << ndim;
  return static_cast<int>(axis < 0 ? axis + n : axis);
}

}  // namespace nn
}  // namespace topi
}  // namespace tvm
#endif  // TVM_TOPI_NN_NN_UTILS_H_
