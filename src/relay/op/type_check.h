/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/relay/op/type_check.h
 * \brief Small helpers the operator relations share: reading an argument's
 *  tensor type, printing shapes for messages, normalising axes, comparing
 *  dimensions that may be symbolic or relay.Any(), and building calls.
 *  Every failure is a TypeError naming the argument and the shapes; type
 *  inference puts the operator's name and the call's location in front.
 */
#ifndef TVM_RELAY_OP_TYPE_CHECK_H_
#define TVM_RELAY_OP_TYPE_CHECK_H_

#include <tvm/ir/repr_printer.h>
#include <tvm/ir/tensor_type.h>
#include <tvm/ir/type_relation.h>
#include <tvm/relay/expr.h>
#include <tvm/relay/op.h>
#include <tvm/runtime/logging.h>
#include <tvm/tir/expr.h>
#include <tvm/tir/op.h>

#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace tvm {
namespace relay {

/*! \brief "(2, 10)": a shape as users write it. */
inline std::string ShapeString(const Array<PrimExpr>& shape) {
  std::ostringstream os;
  os << "(";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) os << ", ";
    if (const auto* imm = shape[i].as<IntImmNode>()) {
      os << imm->value;
    } else if (shape[i].as<tir::AnyNode>()) {
      os << "?";
    } else {
      os << shape[i];
    }
  }
  os << (shape.size() == 1 ? ",)" : ")");
  return os.str();
}

/*!
 * \brief The tensor type of argument i, or nullptr while it is not known yet.
 *  A known type that is not a tensor (a tuple, a function) is a TypeError.
 */
inline const TensorTypeNode* TensorArg(const Array<Type>& types, size_t i, const char* arg) {
  const Type& t = types[i];
  if (!t.defined() || t.as<IncompleteTypeNode>() != nullptr) return nullptr;
  const auto* tt = t.as<TensorTypeNode>();
  TVM_CHECK(tt != nullptr, "TypeError") << "expected a tensor for " << arg << ", got " << t;
  return tt;
}

inline bool IsAny(const PrimExpr& e) { return e.as<tir::AnyNode>() != nullptr; }

inline std::optional<int64_t> ConstDim(const PrimExpr& e) {
  if (const auto* imm = e.as<IntImmNode>()) return imm->value;
  return std::nullopt;
}

/*! \brief Whether two dimensions may be equal (Any and symbolic ones may). */
inline bool DimsMayMatch(const TypeReporter& reporter, const PrimExpr& a, const PrimExpr& b) {
  if (IsAny(a) || IsAny(b)) return true;
  auto ca = ConstDim(a), cb = ConstDim(b);
  if (ca && cb) return *ca == *cb;
  return reporter->AssertEQ(a, b);
}

/*! \brief axis in [-ndim, ndim) made non-negative; out of range is a TypeError. */
inline int NormalizeAxis(int64_t axis, int64_t ndim, const char* what = "axis") {
  TVM_CHECK(axis >= -ndim && axis < ndim, "TypeError")
      << what << " " << axis << " is out of range for a tensor of rank " << ndim << " (expected "
      << -ndim << " <= " << what << " < " << ndim << ")";
  return static_cast<int>(axis < 0 ? axis + ndim : axis);
}

/*! \brief An int64 shape entry from an attribute array (Integer or IntImm). */
inline int64_t IntValue(const ObjectRef& v, const char* what) {
  const auto* imm = v.as<IntImmNode>();
  TVM_CHECK(imm != nullptr, "TypeError") << what << " must hold integers, got " << v;
  return imm->value;
}

/*! \brief The out_dtype when set, else the input's dtype. */
inline DataType OutDtypeOr(DataType out_dtype, DataType fallback) {
  return out_dtype.is_void() ? fallback : out_dtype;
}

/*! \brief A call of the registered operator `name`. */
inline Expr MakeOpCall(const char* name, Array<Expr> args, Attrs attrs = Attrs()) {
  return Call(Op::Get(name), std::move(args), std::move(attrs), {});
}

/*! \brief Spatial extent of a sliding window: (in + pad - dilated_kernel) / stride + 1. */
inline PrimExpr WindowOut(const PrimExpr& in, const PrimExpr& pad_total, const PrimExpr& kernel,
                          const PrimExpr& dilation, const PrimExpr& stride, bool ceil_mode = false) {
  if (IsAny(in)) return in;
  PrimExpr dilated = (kernel - 1) * dilation + 1;
  PrimExpr span = in + pad_total - dilated;
  if (ceil_mode) span = span + stride - 1;
  return indexdiv(span, stride) + 1;
}

}  // namespace relay
}  // namespace tvm
#endif  // TVM_RELAY_OP_TYPE_CHECK_H_
