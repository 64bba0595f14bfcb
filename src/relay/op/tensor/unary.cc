/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Elementwise operators of one tensor. Transcendental functions need a float
// input; logical_not a bool one; bitwise_not an integer one; isnan, isfinite and
// isinf give bool. Their computes (FTVMCompute) come from TOPI's elemwise.h.
#include "../op_common.h"
#include "../type_relations.h"

namespace tvm {
namespace relay {

namespace {

OpRegEntry& FloatMath(const char* name, const char* description, int level = 1) {
  return RegisterUnaryOp(name, description, MakeUnaryRel(DTypeClass::kFloat, false), level);
}
OpRegEntry& AnyMath(const char* name, const char* description, int level = 3) {
  return RegisterUnaryOp(name, description, IdentityRel, level);
}

[[maybe_unused]] const bool registered = [] {
  FloatMath("exp", "e ** x");
  FloatMath("log", "natural logarithm");
  FloatMath("log2", "base-2 logarithm");
  FloatMath("log10", "base-10 logarithm");
  FloatMath("sqrt", "square root");
  FloatMath("rsqrt", "1 / sqrt(x)");
  FloatMath("sigmoid", "1 / (1 + exp(-x))");
  FloatMath("tanh", "hyperbolic tangent");
  FloatMath("sin", "sine");
  FloatMath("cos", "cosine");
  FloatMath("tan", "tangent");
  FloatMath("sinh", "hyperbolic sine");
  FloatMath("cosh", "hyperbolic cosine");
  FloatMath("asin", "arc sine");
  FloatMath("acos", "arc cosine");
  FloatMath("atan", "arc tangent");
  FloatMath("asinh", "inverse hyperbolic sine");
  FloatMath("acosh", "inverse hyperbolic cosine");
  FloatMath("atanh", "inverse hyperbolic tangent");
  FloatMath("erf", "the Gauss error function");
  FloatMath("fast_exp", "e ** x, by a fast approximation");
  FloatMath("fast_tanh", "tanh, by a fast approximation");
  FloatMath("fast_erf", "erf, by a fast approximation");
  AnyMath("negative", "-x");
  AnyMath("abs", "|x|");
  AnyMath("floor", "round down");
  AnyMath("ceil", "round up");
  AnyMath("round", "round to nearest, halves away from zero");
  AnyMath("trunc", "round towards zero");
  AnyMath("sign", "-1, 0 or 1 as x is negative, zero or positive");
  AnyMath("copy", "a copy of the tensor");
  AnyMath("zeros_like", "zeros of the input's shape and dtype");
  AnyMath("ones_like", "ones of the input's shape and dtype");
  RegisterUnaryOp("logical_not", "not x, of a bool tensor", MakeUnaryRel(DTypeClass::kBool, false), 4);
  RegisterUnaryOp("bitwise_not", "~x, of an integer tensor", MakeUnaryRel(DTypeClass::kInteger, false), 4);
  RegisterUnaryOp("isnan", "whether x is NaN", MakeUnaryRel(DTypeClass::kAny, true), 3);
  RegisterUnaryOp("isfinite", "whether x is finite", MakeUnaryRel(DTypeClass::kAny, true), 3);
  RegisterUnaryOp("isinf", "whether x is infinite", MakeUnaryRel(DTypeClass::kAny, true), 3);
  return true;
}();

}  // namespace

}  // namespace relay
}  // namespace tvm
