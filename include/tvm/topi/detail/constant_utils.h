/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/topi/detail/constant_utils.h
 * \brief Reading constants out of shapes and attributes.
 */
#ifndef TVM_TOPI_DETAIL_CONSTANT_UTILS_H_
#define TVM_TOPI_DETAIL_CONSTANT_UTILS_H_

#include <tvm/ir/repr_printer.h>
#include <tvm/tir/op.h>

#include <string>
#include <vector>

namespace tvm {
namespace topi {
namespace detail {

/*! \brief Whether every element is an integer constant. */
inline bool IsConstIntArray(const Array<PrimExpr>& array) {
  for (const PrimExpr& e : array) {
    if (!tvm::as_const_int(e)) return false;
  }
  return true;
}

/*!
 * \brief The value of an integer constant.
 * \throws Error (ValueError) naming `what` when expr is not a constant.
 */
inline int64_t GetConstInt(const PrimExpr& expr, const std::string& what = "value") {
  std::optional<int64_t> v = tvm::as_const_int(expr);
  TVM_CHECK(v.has_value(), "ValueError") << what << " must be a constant integer, got " << expr;
  return *v;
}

inline std::vector<int64_t> GetConstIntValues(const Array<PrimExpr>& exprs, const std::string& what = "value") {
  std::vector<int64_t> out;
  out.reserve(exprs.size());
  for (const PrimExpr& e : exprs) out.push_back(GetConstInt(e, what));
  return out;
}

}  // namespace detail
}  // namespace topi
}  // namespace tvm
#endif  // TVM_TOPI_DETAIL_CONSTANT_UTILS_H_
