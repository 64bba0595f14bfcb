/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Fast, vectorizable float32 exp, log and erf for the LLVM target.
//
// LLVM turns llvm.exp on a vector into one libm call per lane. These rules
// (op attribute "llvm.FLowerIntrinsic", priority 20, above LowerIntrin's
// generic rules) expand the functions into plain TIR arithmetic instead -
// range reduction, a polynomial, and exponent bit manipulation - which
// vectorizes with the surrounding loop. Accuracy: exp and log within a few
// ulp over the float32 range; erf within about 1e-6 relative. sigmoid and tanh
// are written with exp by LowerIntrin, so they become fast too. Other
// dtypes keep the LLVM intrinsic.
#include <tvm/ir/op.h>
#include <tvm/runtime/registry.h>
#include <tvm/tir/builtin.h>
#include <tvm/tir/op.h>

#include <limits>

namespace tvm {
namespace codegen {
namespace {

using namespace tvm::tir;  // NOLINT(*)

PrimExpr F(DataType t, double v) { return make_const(t, v); }

/*! \brief p(x) = c[0] + x * (c[1] + x * (...)) by Horner's rule. */
PrimExpr Horner(const PrimExpr& x, std::initializer_list<double> coeffs) {
  std::vector<double> c(coeffs);
  PrimExpr acc = F(x.dtype(), c.back());
  for (size_t i = c.size() - 1; i > 0; --i) acc = add(mul(acc, x), F(x.dtype(), c[i - 1]));
  return acc;
}

/*! \brief 2^n for an integral-valued float n in [-126, 127], by building the exponent bits. */
PrimExpr Pow2(const PrimExpr& n) {
  DataType f = n.dtype();
  DataType i = DataType::Int(32, f.lanes());
  PrimExpr bits = left_shift(add(cast(i, n), make_const(i, 127)), make_const(i, 23));
  return reinterpret(f, bits);
}

PrimExpr FastExp(const PrimExpr& x_in) {
  DataType t = x_in.dtype();
  DataType i = DataType::Int(32, t.lanes());
  // exp(x) = 2^n * exp(r), n = round(x / ln2), |r| <= ln2/2.
  //
  // Clamp x to [-88, 88.5], written as selects that keep a NaN x (a
  // comparison with NaN is false, so the select picks x): each becomes a
  // single min/max instruction. At the clamps n is -127 or 128, whose
  // exponent field (0 or 255) makes 2^n exactly 0 or inf - so underflow,
  // overflow and +-inf need no further selects, and NaN propagates through
  // the arithmetic.
  PrimExpr x = Select(GT(x_in, F(t, 88.5)), F(t, 88.5), x_in);
  x = Select(LT(x, F(t, -88.0)), F(t, -88.0), x);
  // Round x / ln2 to an integer by adding 1.5 * 2^23 (+ 127, the exponent
  // bias): the float's low mantissa bits then hold n + 127 as an integer.
  // n is recovered in integer arithmetic (not by subtracting the constant
  // again, which fast-math reassociation could cancel).
  const int64_t magic_bits = 0x4B40007F;  // bits of 12582912.0f + 127
  PrimExpr shifted = reinterpret(i, add(mul(x, F(t, 1.4426950408889634)), F(t, 12582912.0 + 127.0)));
  PrimExpr n = cast(t, sub(shifted, make_const(i, magic_bits)));
  // ln2 split in two so that n * ln2_hi is exact.
  PrimExpr r = sub(sub(x, mul(n, F(t, 0.693359375))), mul(n, F(t, -2.12194440e-4)));
  // exp(r) on [-ln2/2, ln2/2]: a degree-6 polynomial fitted for relative
  // error (about 2e-9 before float32 rounding).
  PrimExpr er = Horner(r, {1.0, 1.0, 0.4999999403953552, 0.16666430234909058, 0.041668009012937546,
                           0.008374236524105072, 0.001384355709888041});
  // 2^n: the low 9 bits of `shifted` are n + 127, in [0, 255].
  PrimExpr pow2 = reinterpret(t, left_shift(shifted, make_const(i, 23)));
  return mul(er, pow2);
}

PrimExpr FastLog(const PrimExpr& x) {
  DataType t = x.dtype();
  DataType i = DataType::Int(32, t.lanes());
  // x = m * 2^e with m in [sqrt(1/2), sqrt(2)); log(x) = e*ln2 + log(m), log(m) by a polynomial in m - 1.
  // Denormals are scaled up by 2^23 first (and the exponent corrected).
  PrimExpr denormal = LT(x, F(t, 1.17549435e-38));
  PrimExpr scaled = Select(denormal, mul(x, F(t, 8388608.0)), x);
  PrimExpr bits = reinterpret(i, max(scaled, F(t, 1.17549435e-38)));
  PrimExpr e = cast(t, sub(right_shift(bits, make_const(i, 23)), make_const(i, 126)));
  e = Select(denormal, sub(e, F(t, 23.0)), e);
  PrimExpr m = reinterpret(t, bitwise_or(bitwise_and(bits, make_const(i, 0x007fffff)), make_const(i, 0x3f000000)));
  PrimExpr small = LT(m, F(t, 0.707106781186547524));
  e = Select(small, sub(e, F(t, 1.0)), e);
  m = Select(small, sub(add(m, m), F(t, 1.0)), sub(m, F(t, 1.0)));
  PrimExpr z = mul(m, m);
  PrimExpr y = mul(mul(Horner(m, {3.3333331174E-1, -2.4999993993E-1, 2.0000714765E-1, -1.6668057665E-1,
                                    1.4249322787E-1, -1.2420140846E-1, 1.1676998740E-1, -1.1514610310E-1,
                                    7.0376836292E-2}),
                       m),
                   z);
  y = add(y, mul(e, F(t, -2.12194440e-4)));
  y = sub(y, mul(z, F(t, 0.5)));
  PrimExpr result = add(add(m, y), mul(e, F(t, 0.693359375)));
  const double inf = std::numeric_limits<float>::infinity();
  result = Select(EQ(x, F(t, 0.0)), F(t, -inf), result);
  result = Select(EQ(x, F(t, inf)), F(t, inf), result);
  // log of a negative number or NaN is NaN.
  return Select(logical_or(LT(x, F(t, 0.0)), NE(x, x)), F(t, std::numeric_limits<float>::quiet_NaN()), result);
}

PrimExpr FastErf(const PrimExpr& x) {
  DataType t = x.dtype();
  PrimExpr ax = abs(x);
  // |x| < 1: the Maclaurin series x * sum c_n x^(2n), c_n = 2/sqrt(pi) (-1)^n / (n! (2n + 1)),
  // to n = 10 (the first dropped term is below 1e-9 relative). It keeps the relative
  // error small near 0, where erf(x) ~ x and an absolute bound alone is not enough.
  PrimExpr x2 = mul(x, x);
  PrimExpr series = mul(x, Horner(x2, {1.1283791670955126, -0.37612638903183754, 0.11283791670955128,
                                       -0.026866170645131252, 0.005223977625442188, -0.0008548327023450853,
                                       0.00012055332981789665, -1.4925650358406252e-05, 1.6462114365889248e-06,
                                       -1.6365844691234924e-07, 1.480719281587922e-08}));
  // |x| >= 1: Abramowitz & Stegun 7.1.26 (1.5e-7 absolute, so < 2e-7 relative as
  // erf(1) = 0.84), on |x| with the sign restored.
  PrimExpr k = div(F(t, 1.0), add(F(t, 1.0), mul(F(t, 0.3275911), ax)));
  PrimExpr poly = mul(Horner(k, {0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429}), k);
  PrimExpr y = sub(F(t, 1.0), mul(poly, FastExp(neg(mul(ax, ax)))));
  PrimExpr tail = Select(LT(x, F(t, 0.0)), neg(y), y);
  return Select(LT(ax, F(t, 1.0)), series, tail);
}

/*!
 * \brief fast(x), with a non-trivial x bound to a variable first: the expansions use their
 *  argument many times, and nested ones (erf of tanh of exp) would otherwise multiply into an
 *  expression tree exponential in the nesting depth.
 */
PrimExpr BindOnce(const PrimExpr& x, PrimExpr (*fast)(const PrimExpr&)) {
  if (x.as<VarNode>() || x.as<FloatImmNode>() || x.as<IntImmNode>()) return fast(x);
  Var v("x", x.dtype());
  return Let(v, x, fast(v));
}

runtime::TVMRetValue Ret(PrimExpr e) {
  runtime::TVMRetValue rv;
  rv = e;
  return rv;
}

/*! \brief The LLVM intrinsic for types the fast rules do not cover. */
PrimExpr LLVMIntrinsic(const CallNode* call, const std::string& name) {
  Array<PrimExpr> args{StringImm("llvm." + name), make_const(DataType::UInt(32), 1)};
  for (const PrimExpr& a : call->args) args.push_back(a);
  return Call(call->dtype, builtin::call_llvm_pure_intrin(), args);
}

void Register(const char* name, PrimExpr (*fast)(const PrimExpr&), bool has_llvm_intrinsic) {
  std::string op_name = name;
  runtime::PackedFunc rule([fast, op_name, has_llvm_intrinsic](runtime::TVMArgs args, runtime::TVMRetValue* rv) {
    PrimExpr e = args[0];
    const auto* call = e.as<CallNode>();
    if (call == nullptr || call->args.size() != 1) return;
    if (call->dtype.element_of() == DataType::Float(32)) {
      *rv = Ret(BindOnce(call->args[0], fast));
    } else if (has_llvm_intrinsic && call->dtype.is_float()) {
      *rv = Ret(LLVMIntrinsic(call, op_name));
    }
    // Otherwise: no result, LowerIntrin falls back to its default rule.
  });
  OpRegEntry::RegisterOrGet(std::string("tir.") + name).set_attr<runtime::PackedFunc>("llvm.FLowerIntrinsic", rule, 20);
}

[[maybe_unused]] const bool kRegistered = [] {
  Register("exp", FastExp, true);
  Register("log", FastLog, true);
  Register("erf", FastErf, false);
  return true;
}();

}  // namespace
}  // namespace codegen
}  // namespace tvm
