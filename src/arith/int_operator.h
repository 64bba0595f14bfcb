/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file int_operator.h
 * \brief Integer helpers shared by the arith analyzers: floor/trunc division
 *  of int64 values, greatest common divisor, and arithmetic that saturates
 *  at the infinities of ConstIntBound instead of overflowing.
 */
#ifndef TVM_ARITH_INT_OPERATOR_H_
#define TVM_ARITH_INT_OPERATOR_H_

#include <cstdint>
#include <cstdlib>
#include <limits>
#include <utility>

namespace tvm {
namespace arith {

/*! \brief +infinity of constant bounds (the negative one is its negation). */
constexpr int64_t kBoundPosInf = std::numeric_limits<int64_t>::max();
constexpr int64_t kBoundNegInf = -kBoundPosInf;

/*! \brief a / b rounded towards negative infinity; b != 0. */
inline int64_t FloorDivInt(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

/*! \brief a - b * FloorDivInt(a, b): the remainder with the sign of b; b != 0. */
inline int64_t FloorModInt(int64_t a, int64_t b) {
  int64_t r = a % b;
  if (r != 0 && ((r < 0) != (b < 0))) r += b;
  return r;
}

/*! \brief C division (rounds towards zero); b != 0. */
inline int64_t TruncDivInt(int64_t a, int64_t b) { return a / b; }
inline int64_t TruncModInt(int64_t a, int64_t b) { return a % b; }

/*! \brief Greatest common divisor of |a| and |b| (gcd(0, 0) = 0). */
inline int64_t GCD(int64_t a, int64_t b) {
  a = a < 0 ? -a : a;
  b = b < 0 ? -b : b;
  while (b != 0) {
    int64_t t = a % b;
    a = b;
    b = t;
  }
  return a;
}

/*! \brief Least common multiple; 0 when it would overflow or either is 0. */
inline int64_t LCM(int64_t a, int64_t b) {
  if (a == 0 || b == 0) return 0;
  int64_t g = GCD(a, b);
  int64_t r;
  if (__builtin_mul_overflow(a / g, b, &r)) return 0;
  return r < 0 ? -r : r;
}

inline bool IsInf(int64_t v) { return v == kBoundPosInf || v == kBoundNegInf; }

/*! \brief a + b, where an infinite operand or an overflow gives the infinity of that sign. */
inline int64_t BoundAdd(int64_t a, int64_t b) {
  if (a == kBoundPosInf || b == kBoundPosInf) {
    // +inf + -inf has no value; callers never ask for it, choose +inf.
    return kBoundPosInf;
  }
  if (a == kBoundNegInf || b == kBoundNegInf) return kBoundNegInf;
  int64_t r;
  if (__builtin_add_overflow(a, b, &r)) return a > 0 ? kBoundPosInf : kBoundNegInf;
  if (r < kBoundNegInf) return kBoundNegInf;
  return r;
}

inline int64_t BoundNeg(int64_t a) { return -a; }  // symmetric infinities; INT64_MIN never stored

/*! \brief a * b with infinities; 0 * inf is 0 (the finite side bounds the product). */
inline int64_t BoundMul(int64_t a, int64_t b) {
  if (a == 0 || b == 0) return 0;
  bool negative = (a < 0) != (b < 0);
  if (IsInf(a) || IsInf(b)) return negative ? kBoundNegInf : kBoundPosInf;
  int64_t r;
  if (__builtin_mul_overflow(a, b, &r) || r == std::numeric_limits<int64_t>::min()) {
    return negative ? kBoundNegInf : kBoundPosInf;
  }
  return r;
}

/*! \brief Floor division with infinities; b is finite and non-zero. */
inline int64_t BoundFloorDiv(int64_t a, int64_t b) {
  if (IsInf(a)) return ((a < 0) != (b < 0)) ? kBoundNegInf : kBoundPosInf;
  return FloorDivInt(a, b);
}

/*! \brief Truncating division with infinities; b is finite and non-zero. */
inline int64_t BoundTruncDiv(int64_t a, int64_t b) {
  if (IsInf(a)) return ((a < 0) != (b < 0)) ? kBoundNegInf : kBoundPosInf;
  return a / b;
}

}  // namespace arith
}  // namespace tvm
#endif  // TVM_ARITH_INT_OPERATOR_H_
