/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/tir/op.h
 * \brief Building expressions: arithmetic with type promotion and constant
 *  folding, math intrinsics, and constants. These are what Python's operator
 *  overloads and TE compute bodies call.
 *
 *   PrimExpr e = x * 4 + y;       // Mul/Add nodes, int32
 *   PrimExpr f = 2 + 3;           // folded: IntImm 5
 *   PrimExpr g = floordiv(x, 4);  // floor semantics
 */
#ifndef TVM_TIR_OP_H_
#define TVM_TIR_OP_H_

#include <tvm/tir/builtin.h>
#include <tvm/tir/expr.h>
#include <tvm/tir/stmt.h>

#include <cmath>
#include <limits>
#include <optional>

namespace tvm {

// ---------------------------------------------------------------------------
// Constants

/*! \brief A constant of `t` (broadcast when t has lanes). */
TVM_DLL PrimExpr make_const(DataType t, int64_t value);
TVM_DLL PrimExpr make_const(DataType t, double value);
inline PrimExpr make_const(DataType t, int value) { return make_const(t, static_cast<int64_t>(value)); }
inline PrimExpr make_const(DataType t, bool value) { return make_const(t, static_cast<int64_t>(value)); }
TVM_DLL PrimExpr make_zero(DataType t);
TVM_DLL PrimExpr const_true(int lanes = 1);
TVM_DLL PrimExpr const_false(int lanes = 1);
/*! \brief The largest / smallest finite value of a type. */
TVM_DLL PrimExpr max_value(const DataType& dtype);
TVM_DLL PrimExpr min_value(const DataType& dtype);
TVM_DLL PrimExpr infinity(const DataType& dtype);

/*! \brief The value of an integer constant (scalar or broadcast), if it is one. */
TVM_DLL std::optional<int64_t> as_const_int(const PrimExpr& x);
inline bool is_const_int(const PrimExpr& x, int64_t value) {
  auto v = as_const_int(x);
  return v.has_value() && *v == value;
}
inline bool is_zero(const PrimExpr& x) { return is_const_int(x, 0); }
inline bool is_one(const PrimExpr& x) { return is_const_int(x, 1); }
TVM_DLL bool is_const_number(const PrimExpr& x);
/*! \brief Whether a statement does nothing (Evaluate of a constant, empty sequence). */
TVM_DLL bool is_no_op(const tir::Stmt& stmt);

// ---------------------------------------------------------------------------
// Arithmetic. Operands of different types are promoted (int -> float, narrow
// -> wide, scalar -> vector); an int literal takes the type of the other side.

TVM_DLL PrimExpr cast(const DataType& t, PrimExpr value);
TVM_DLL PrimExpr reinterpret(const DataType& t, PrimExpr value);
TVM_DLL PrimExpr add(PrimExpr a, PrimExpr b);
TVM_DLL PrimExpr sub(PrimExpr a, PrimExpr b);
TVM_DLL PrimExpr neg(PrimExpr a);
TVM_DLL PrimExpr mul(PrimExpr a, PrimExpr b);
/*! \brief a / b for floats; throws TypeError for integers (use floordiv or truncdiv). */
TVM_DLL PrimExpr div(PrimExpr a, PrimExpr b);
TVM_DLL PrimExpr truncdiv(PrimExpr a, PrimExpr b);
TVM_DLL PrimExpr truncmod(PrimExpr a, PrimExpr b);
TVM_DLL PrimExpr floordiv(PrimExpr a, PrimExpr b);
TVM_DLL PrimExpr floormod(PrimExpr a, PrimExpr b);
/*! \brief Division of non-negative index expressions (floordiv semantics). */
TVM_DLL PrimExpr indexdiv(PrimExpr a, PrimExpr b);
TVM_DLL PrimExpr indexmod(PrimExpr a, PrimExpr b);
TVM_DLL PrimExpr ceildiv(PrimExpr a, PrimExpr b);
TVM_DLL PrimExpr min(PrimExpr a, PrimExpr b);
TVM_DLL PrimExpr max(PrimExpr a, PrimExpr b);
TVM_DLL PrimExpr greater(PrimExpr a, PrimExpr b);
TVM_DLL PrimExpr greater_equal(PrimExpr a, PrimExpr b);
TVM_DLL PrimExpr less(PrimExpr a, PrimExpr b);
TVM_DLL PrimExpr less_equal(PrimExpr a, PrimExpr b);
TVM_DLL PrimExpr equal(PrimExpr a, PrimExpr b);
TVM_DLL PrimExpr not_equal(PrimExpr a, PrimExpr b);
TVM_DLL PrimExpr logical_and(PrimExpr a, PrimExpr b);
TVM_DLL PrimExpr logical_or(PrimExpr a, PrimExpr b);
TVM_DLL PrimExpr logical_not(PrimExpr a);
TVM_DLL PrimExpr bitwise_and(PrimExpr a, PrimExpr b);
TVM_DLL PrimExpr bitwise_or(PrimExpr a, PrimExpr b);
TVM_DLL PrimExpr bitwise_xor(PrimExpr a, PrimExpr b);
TVM_DLL PrimExpr bitwise_neg(PrimExpr a);
TVM_DLL PrimExpr left_shift(PrimExpr a, PrimExpr b);
TVM_DLL PrimExpr right_shift(PrimExpr a, PrimExpr b);
/*! \brief cond ? t : f, evaluating only the chosen side. */
TVM_DLL PrimExpr if_then_else(PrimExpr cond, PrimExpr true_value, PrimExpr false_value);
TVM_DLL PrimExpr likely(PrimExpr cond);
TVM_DLL PrimExpr abs(PrimExpr x);
TVM_DLL PrimExpr pow(PrimExpr x, PrimExpr y);
TVM_DLL PrimExpr isnan(PrimExpr x);
TVM_DLL PrimExpr isinf(PrimExpr x);
TVM_DLL PrimExpr isfinite(PrimExpr x);
TVM_DLL PrimExpr fmod(PrimExpr x, PrimExpr y);
TVM_DLL PrimExpr floor(PrimExpr x);
TVM_DLL PrimExpr ceil(PrimExpr x);
TVM_DLL PrimExpr round(PrimExpr x);
TVM_DLL PrimExpr nearbyint(PrimExpr x);
TVM_DLL PrimExpr trunc(PrimExpr x);
TVM_DLL PrimExpr q_multiply_shift(PrimExpr x, PrimExpr y, PrimExpr q, PrimExpr s);

/*! \brief A call of the pure math intrinsic "tir.<name>" (exp, log, tanh, sqrt, ...). */
TVM_DLL PrimExpr CallIntrinsic(const std::string& name, Array<PrimExpr> args);
inline PrimExpr exp(PrimExpr x) { return CallIntrinsic("exp", {x}); }
inline PrimExpr exp2(PrimExpr x) { return CallIntrinsic("exp2", {x}); }
inline PrimExpr exp10(PrimExpr x) { return CallIntrinsic("exp10", {x}); }
inline PrimExpr log(PrimExpr x) { return CallIntrinsic("log", {x}); }
inline PrimExpr log2(PrimExpr x) { return CallIntrinsic("log2", {x}); }
inline PrimExpr log10(PrimExpr x) { return CallIntrinsic("log10", {x}); }
inline PrimExpr log1p(PrimExpr x) { return CallIntrinsic("log1p", {x}); }
inline PrimExpr sqrt(PrimExpr x) { return CallIntrinsic("sqrt", {x}); }
inline PrimExpr rsqrt(PrimExpr x) { return CallIntrinsic("rsqrt", {x}); }
inline PrimExpr tanh(PrimExpr x) { return CallIntrinsic("tanh", {x}); }
inline PrimExpr sigmoid(PrimExpr x) { return CallIntrinsic("sigmoid", {x}); }
inline PrimExpr erf(PrimExpr x) { return CallIntrinsic("erf", {x}); }
inline PrimExpr sin(PrimExpr x) { return CallIntrinsic("sin", {x}); }
inline PrimExpr cos(PrimExpr x) { return CallIntrinsic("cos", {x}); }
inline PrimExpr tan(PrimExpr x) { return CallIntrinsic("tan", {x}); }
inline PrimExpr atan(PrimExpr x) { return CallIntrinsic("atan", {x}); }
inline PrimExpr fabs(PrimExpr x) { return abs(x); }

// C++ operators on PrimExpr, with the same promotion and folding.
inline PrimExpr operator+(PrimExpr a, PrimExpr b) { return add(a, b); }
inline PrimExpr operator-(PrimExpr a, PrimExpr b) { return sub(a, b); }
inline PrimExpr operator-(PrimExpr a) { return neg(a); }
inline PrimExpr operator*(PrimExpr a, PrimExpr b) { return mul(a, b); }
inline PrimExpr operator/(PrimExpr a, PrimExpr b) { return div(a, b); }
inline PrimExpr operator<<(PrimExpr a, PrimExpr b) { return left_shift(a, b); }
inline PrimExpr operator>>(PrimExpr a, PrimExpr b) { return right_shift(a, b); }
inline PrimExpr operator>(PrimExpr a, PrimExpr b) { return greater(a, b); }
inline PrimExpr operator>=(PrimExpr a, PrimExpr b) { return greater_equal(a, b); }
inline PrimExpr operator<(PrimExpr a, PrimExpr b) { return less(a, b); }
inline PrimExpr operator<=(PrimExpr a, PrimExpr b) { return less_equal(a, b); }
inline PrimExpr operator==(PrimExpr a, PrimExpr b) { return equal(a, b); }
inline PrimExpr operator!=(PrimExpr a, PrimExpr b) { return not_equal(a, b); }
inline PrimExpr operator&&(PrimExpr a, PrimExpr b) { return logical_and(a, b); }
inline PrimExpr operator||(PrimExpr a, PrimExpr b) { return logical_or(a, b); }
inline PrimExpr operator!(PrimExpr a) { return logical_not(a); }
inline PrimExpr operator&(PrimExpr a, PrimExpr b) { return bitwise_and(a, b); }
inline PrimExpr operator|(PrimExpr a, PrimExpr b) { return bitwise_or(a, b); }
inline PrimExpr operator^(PrimExpr a, PrimExpr b) { return bitwise_xor(a, b); }
inline PrimExpr operator~(PrimExpr a) { return bitwise_neg(a); }
// Integer literals take the other operand's type.
#define TVM_TIR_INT_OPERATOR(OP, FUNC)                                                                 \
  inline PrimExpr operator OP(PrimExpr a, int b) { return FUNC(a, make_const(a.dtype().element_of(), b)); } \
  inline PrimExpr operator OP(int a, PrimExpr b) { return FUNC(make_const(b.dtype().element_of(), a), b); }
TVM_TIR_INT_OPERATOR(+, add)
TVM_TIR_INT_OPERATOR(-, sub)
TVM_TIR_INT_OPERATOR(*, mul)
TVM_TIR_INT_OPERATOR(<, less)
TVM_TIR_INT_OPERATOR(<=, less_equal)
TVM_TIR_INT_OPERATOR(>, greater)
TVM_TIR_INT_OPERATOR(>=, greater_equal)
TVM_TIR_INT_OPERATOR(==, equal)
TVM_TIR_INT_OPERATOR(!=, not_equal)
#undef TVM_TIR_INT_OPERATOR

}  // namespace tvm
#endif  // TVM_TIR_OP_H_
