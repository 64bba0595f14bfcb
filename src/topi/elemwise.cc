/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/topi/elemwise.cc
 * \brief Elementwise operators (tvm/topi/elemwise.h) and their Python bindings
 *  (topi.exp, topi.clip, ...).
 *
 * fast_exp, fast_tanh and fast_erf are float32 polynomial approximations that
 * vectorise (no libm call per lane); other dtypes get the exact intrinsic.
 */
#include <tvm/ir/repr_printer.h>
#include <tvm/runtime/registry.h>
#include <tvm/te/operation.h>
#include <tvm/topi/elemwise.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace tvm {
namespace topi {

using te::Tensor;
using tir::Var;

namespace {

Tensor Unary(const Tensor& x, const std::function<PrimExpr(PrimExpr)>& f, const std::string& name,
             const std::string& tag) {
  return te::compute(
      x->shape, [&](const Array<Var>& i) { return f(x(i)); }, name, tag);
}

// Integer and bool inputs are computed in floating point and converted back (as a
// C cast would), so every dtype gets a defined result.
Tensor FloatUnary(const Tensor& x, PrimExpr (*f)(PrimExpr), const std::string& name, const std::string& tag) {
  DataType t = x->dtype;
  if (t.is_float() || t.is_bfloat16()) return Unary(x, f, name, tag);
  DataType wide = t.bits() > 16 ? DataType::Float(64) : DataType::Float(32);
  return Unary(x, [&](PrimExpr v) { return tvm::cast(t, f(tvm::cast(wide, v))); }, name, tag);
}

void RequireFloat(const Tensor& x, const char* op) {
  TVM_CHECK(x->dtype.is_float() || x->dtype.is_bfloat16(), "TypeError")
      << "topi." << op << " needs a floating-point tensor, but " << x.op()->name << " has dtype " << x->dtype;
}

PrimExpr F32(double v) { return tvm::make_const(DataType::Float(32), v); }

// A float32 computation applied to float16 / bfloat16 inputs by widening; exact
// intrinsic for float64, whose precision the polynomials would lose.
Tensor FastUnary(const Tensor& x, PrimExpr (*fast)(const PrimExpr&), PrimExpr (*exact)(PrimExpr),
                 const std::string& name, const std::string& tag, const char* op) {
  RequireFloat(x, op);
  DataType t = x->dtype;
  if (t.bits() == 64) return Unary(x, exact, name, tag);
  return Unary(
      x,
      [&](PrimExpr v) {
        if (t == DataType::Float(32)) return fast(v);
        return tvm::cast(t, fast(tvm::cast(DataType::Float(32), v)));
      },
      name, tag);
}

}  // namespace

// ---------------------------------------------------------------------------
// Fast approximations (float32)

PrimExpr fast_exp_expr(const PrimExpr& x_in) {
  // e^x = 2^n * e^r with n = round(x / ln 2), |r| <= ln2 / 2; e^r by its Taylor
  // polynomial to degree 7 (relative error below 1e-7 on that interval); 2^n is
  // built in the exponent bits. x is clamped to where float32 is finite and normal.
  // Let-bound intermediates: each is used several times, and the expression
  // would otherwise repeat them (and the input) once per use.
  DataType f = DataType::Float(32), i = DataType::Int(32);
  Var xv("fast_exp_x", f), nv("fast_exp_n", f), rv("fast_exp_r", f);
  PrimExpr x_clamped = tvm::max(tvm::min(xv, F32(88.3762626647949)), F32(-87.3365447505531));
  PrimExpr n = tvm::floor(x_clamped * F32(1.44269504088896341) + F32(0.5));
  PrimExpr r = x_clamped - nv * F32(0.693359375) - nv * F32(-2.12194440e-4);  // ln 2 in two parts
  PrimExpr p = F32(1.0 / 5040);
  for (double c : {1.0 / 720, 1.0 / 120, 1.0 / 24, 1.0 / 6, 0.5, 1.0, 1.0}) p = p * rv + F32(c);
  PrimExpr bits = (tvm::cast(i, nv) + tvm::make_const(i, 127)) << tvm::make_const(i, 23);
  // Below the clamp the true value is 0 (or subnormal); keep it exact at 0.
  PrimExpr result = tir::Select(xv < F32(-87.3365447505531), F32(0.0), p * tvm::reinterpret(f, bits));
  return tir::Let(xv, x_in, tir::Let(nv, n, tir::Let(rv, r, result)));
}

PrimExpr fast_tanh_expr(const PrimExpr& x) {
  // tanh(x) = sign(x) (1 - e) / (1 + e), e = exp(-2|x|); near 0 that cancels,
  // so small arguments take the odd Taylor series instead.
  PrimExpr ax = tvm::abs(x);
  PrimExpr e = fast_exp_expr(F32(-2.0) * ax);
  PrimExpr big = (F32(1.0) - e) / (F32(1.0) + e);
  PrimExpr x2 = x * x;
  PrimExpr small = x * (F32(1.0) + x2 * (F32(-1.0 / 3) + x2 * (F32(2.0 / 15) + x2 * F32(-17.0 / 315))));
  PrimExpr signed_big = tir::Select(x < F32(0.0), F32(0.0) - big, big);
  return tir::Select(ax < F32(0.0625), small, signed_big);
}

PrimExpr fast_erf_expr(const PrimExpr& x) {
  // Abramowitz & Stegun 7.1.26 (absolute error below 1.5e-7) away from 0:
  // erf(|x|) = 1 - t (a1 + t (a2 + ...)) e^{-x^2}, t = 1 / (1 + p |x|).
  PrimExpr ax = tvm::min(tvm::abs(x), F32(9.0));
  PrimExpr t = F32(1.0) / (F32(1.0) + F32(0.3275911) * ax);
  PrimExpr poly = F32(1.061405429);
  for (double c : {-1.453152027, 1.421413741, -0.284496736, 0.254829592}) poly = poly * t + F32(c);
  PrimExpr y = F32(1.0) - poly * t * fast_exp_expr(F32(0.0) - ax * ax);
  PrimExpr far = tir::Select(x < F32(0.0), F32(0.0) - y, y);
  // Near 0 that formula's absolute error is a large relative one: use the Maclaurin
  // series there (to x^11; truncation below 2e-8 for |x| < 0.5).
  PrimExpr x2 = x * x;
  PrimExpr series = F32(-1.0 / 1320);
  for (double c : {1.0 / 216, -1.0 / 42, 1.0 / 10, -1.0 / 3, 1.0}) series = series * x2 + F32(c);
  PrimExpr near = F32(1.1283791670955126) * x * series;
  return tir::Select(ax < F32(0.5), near, far);
}

// ---------------------------------------------------------------------------
// Unary operators

#define TOPI_FLOAT_UNARY(NAME, FUNC)                                            \
  Tensor NAME(const Tensor& x, std::string name, std::string tag) {             \
    return FloatUnary(x, [](PrimExpr v) { return FUNC(v); }, name, tag);        \
  }

TOPI_FLOAT_UNARY(exp, tvm::exp)
TOPI_FLOAT_UNARY(erf, tvm::erf)
TOPI_FLOAT_UNARY(sigmoid, tvm::sigmoid)
TOPI_FLOAT_UNARY(sqrt, tvm::sqrt)
TOPI_FLOAT_UNARY(rsqrt, tvm::rsqrt)
TOPI_FLOAT_UNARY(log, tvm::log)
TOPI_FLOAT_UNARY(log2, tvm::log2)
TOPI_FLOAT_UNARY(log10, tvm::log10)
TOPI_FLOAT_UNARY(tanh, tvm::tanh)
TOPI_FLOAT_UNARY(cos, tvm::cos)
TOPI_FLOAT_UNARY(sin, tvm::sin)
TOPI_FLOAT_UNARY(tan, tvm::tan)
TOPI_FLOAT_UNARY(atan, tvm::atan)
#undef TOPI_FLOAT_UNARY

#define TOPI_INTRIN_UNARY(NAME)                                                                 \
  Tensor NAME(const Tensor& x, std::string name, std::string tag) {                             \
    return FloatUnary(x, [](PrimExpr v) { return tvm::CallIntrinsic(#NAME, {v}); }, name, tag);  \
  }

TOPI_INTRIN_UNARY(cosh)
TOPI_INTRIN_UNARY(sinh)
TOPI_INTRIN_UNARY(acos)
TOPI_INTRIN_UNARY(acosh)
TOPI_INTRIN_UNARY(asin)
TOPI_INTRIN_UNARY(asinh)
TOPI_INTRIN_UNARY(atanh)
#undef TOPI_INTRIN_UNARY

// Rounding is the identity on integers.
#define TOPI_ROUNDING_UNARY(NAME, FUNC)                                             \
  Tensor NAME(const Tensor& x, std::string name, std::string tag) {                 \
    if (!x->dtype.is_float() && !x->dtype.is_bfloat16()) return identity(x, name, tag); \
    return Unary(x, [](PrimExpr v) { return FUNC(v); }, name, tag);                 \
  }

TOPI_ROUNDING_UNARY(floor, tvm::floor)
TOPI_ROUNDING_UNARY(ceil, tvm::ceil)
TOPI_ROUNDING_UNARY(round, tvm::round)
TOPI_ROUNDING_UNARY(trunc, tvm::trunc)
#undef TOPI_ROUNDING_UNARY

Tensor fast_exp(const Tensor& x, std::string name, std::string tag) {
  return FastUnary(x, fast_exp_expr, tvm::exp, name, tag, "fast_exp");
}
Tensor fast_tanh(const Tensor& x, std::string name, std::string tag) {
  return FastUnary(x, fast_tanh_expr, tvm::tanh, name, tag, "fast_tanh");
}
Tensor fast_erf(const Tensor& x, std::string name, std::string tag) {
  return FastUnary(x, fast_erf_expr, tvm::erf, name, tag, "fast_erf");
}

Tensor abs(const Tensor& x, std::string name, std::string tag) {
  if (x->dtype.is_uint() || x->dtype.is_bool()) return identity(x, name, tag);
  return Unary(x, [](PrimExpr v) { return tvm::abs(v); }, name, tag);
}

// Booleans are never NaN or infinite; integers neither.
Tensor isnan(const Tensor& x, std::string name, std::string tag) {
  return Unary(x, [](PrimExpr v) { return tvm::isnan(v); }, name, tag);
}
Tensor isfinite(const Tensor& x, std::string name, std::string tag) {
  return Unary(x, [](PrimExpr v) { return tvm::isfinite(v); }, name, tag);
}
Tensor isinf(const Tensor& x, std::string name, std::string tag) {
  return Unary(x, [](PrimExpr v) { return tvm::isinf(v); }, name, tag);
}

Tensor negative(const Tensor& x, std::string name, std::string tag) {
  return Unary(x, [](PrimExpr v) { return tvm::neg(v); }, name, tag);
}

Tensor logical_not(const Tensor& x, std::string name, std::string tag) {
  return Unary(x, [](PrimExpr v) { return tvm::logical_not(tvm::cast(DataType::Bool(), v)); }, name, tag);
}

Tensor bitwise_not(const Tensor& x, std::string name, std::string tag) {
  TVM_CHECK(x->dtype.is_int() || x->dtype.is_uint() || x->dtype.is_bool(), "TypeError")
      << "topi.bitwise_not needs an integer or bool tensor, but " << x.op()->name << " has dtype " << x->dtype;
  if (x->dtype.is_bool()) return logical_not(x, name, tag);
  return Unary(x, [](PrimExpr v) { return tvm::bitwise_neg(v); }, name, tag);
}

Tensor sign(const Tensor& x, std::string name, std::string tag) {
  DataType t = x->dtype;
  return Unary(
      x,
      [t](PrimExpr v) {
        PrimExpr zero = tvm::make_zero(t), one = tvm::make_const(t, 1);
        if (t.is_uint() || t.is_bool()) return tir::Select(v > zero, one, zero);
        PrimExpr minus_one = tvm::make_const(t, -1);
        // NaN compares false both ways and stays NaN, as in numpy.
        return tir::Select(v < zero, minus_one, tir::Select(v > zero, one, tir::Select(v == zero, zero, v)));
      },
      name, tag);
}

Tensor identity(const Tensor& x, std::string name, std::string tag) {
  return Unary(x, [](PrimExpr v) { return v; }, name, tag);
}

Tensor clip(const Tensor& x, const PrimExpr& a_min, const PrimExpr& a_max, std::string name, std::string tag) {
  DataType t = x->dtype;
  auto as_dtype = [&](const PrimExpr& v) {
    // A float bound on an integer tensor rounds inward, so the clip range does not grow.
    return tvm::cast(t, v);
  };
  if (auto lo = tvm::as_const_int(a_min), hi = tvm::as_const_int(a_max); lo && hi) {
    TVM_CHECK(*lo <= *hi, "ValueError") << "topi.clip of " << x.op()->name << ": a_min " << *lo
                                        << " is greater than a_max " << *hi;
  }
  PrimExpr lo = as_dtype(a_min), hi = as_dtype(a_max);
  return Unary(x, [&](PrimExpr v) { return tvm::max(tvm::min(v, hi), lo); }, name, tag);
}

Tensor cast(const Tensor& x, DataType dtype, std::string name, std::string tag) {
  if (dtype.is_bool()) {
    return Unary(x, [&](PrimExpr v) { return v != tvm::make_zero(v.dtype()); }, name, tag);
  }
  return Unary(x, [&](PrimExpr v) { return tvm::cast(dtype, v); }, name, tag);
}

Tensor reinterpret(const Tensor& x, DataType dtype, std::string name, std::string tag) {
  TVM_CHECK(x->dtype.bits() * x->dtype.lanes() == dtype.bits() * dtype.lanes(), "ValueError")
      << "topi.reinterpret of " << x.op()->name << " (" << x->dtype << ") as " << dtype
      << ": the element sizes differ (" << x->dtype.bits() << " vs " << dtype.bits() << " bits)";
  return Unary(x, [&](PrimExpr v) { return tvm::reinterpret(dtype, v); }, name, tag);
}

Tensor elemwise_sum(const Array<Tensor>& xs, std::string name, std::string tag) {
  TVM_CHECK(!xs.empty(), "ValueError") << "topi.elemwise_sum needs at least one tensor";
  for (const Tensor& t : xs) {
    TVM_CHECK(t->shape.size() == xs[0]->shape.size() && t->dtype == xs[0]->dtype, "ValueError")
        << "topi.elemwise_sum: " << t.op()->name << " (" << t->shape << ", " << t->dtype << ") differs from "
        << xs[0].op()->name << " (" << xs[0]->shape << ", " << xs[0]->dtype << ")";
  }
  return te::compute(
      xs[0]->shape,
      [&](const Array<Var>& i) {
        PrimExpr s = xs[0](i);
        for (size_t k = 1; k < xs.size(); ++k) s = s + xs[k](i);
        return s;
      },
      name, tag);
}

Tensor full(const Array<PrimExpr>& shape, DataType dtype, const PrimExpr fill_value, std::string name,
            std::string tag) {
  TVM_CHECK(fill_value.defined(), "ValueError") << "topi.full: fill_value is None";
  PrimExpr v = tvm::cast(dtype, fill_value);
  return te::compute(shape, [&](const Array<Var>&) { return v; }, name, tag);
}

Tensor full_like(const Tensor& x, const PrimExpr fill_value, std::string name, std::string tag) {
  TVM_CHECK(fill_value.defined(), "ValueError") << "topi.full_like: fill_value is None";
  PrimExpr v = tvm::cast(x->dtype, fill_value);
  return te::compute(x->shape, [&](const Array<Var>&) { return v; }, name, tag);
}

Tensor zeros_like(const Tensor& x, std::string name, std::string tag) {
  return full_like(x, tvm::make_zero(x->dtype), name, tag);
}

Tensor ones_like(const Tensor& x, std::string name, std::string tag) {
  return full_like(x, tvm::make_const(x->dtype, 1), name, tag);
}

// ---------------------------------------------------------------------------
// Python bindings

namespace {

using UnaryFn = Tensor (*)(const Tensor&, std::string, std::string);

struct UnaryEntry {
  const char* name;
  UnaryFn fn;
};

const int kRegisterUnary = [] {
  const UnaryEntry entries[] = {
      {"exp", exp},         {"erf", erf},           {"sigmoid", sigmoid},     {"sqrt", sqrt},
      {"log", log},         {"log2", log2},         {"log10", log10},         {"floor", floor},
      {"ceil", ceil},       {"round", round},       {"trunc", trunc},         {"abs", abs},
      {"cos", cos},         {"cosh", cosh},         {"tan", tan},             {"sin", sin},
      {"sinh", sinh},       {"acos", acos},         {"acosh", acosh},         {"asin", asin},
      {"asinh", asinh},     {"atan", atan},         {"atanh", atanh},         {"isnan", isnan},
      {"tanh", tanh},       {"isfinite", isfinite}, {"isinf", isinf},         {"rsqrt", rsqrt},
      {"fast_exp", fast_exp}, {"fast_tanh", fast_tanh}, {"fast_erf", fast_erf}, {"negative", negative},
      {"logical_not", logical_not}, {"bitwise_not", bitwise_not}, {"sign", sign}, {"identity", identity},
  };
  for (const UnaryEntry& e : entries) {
    UnaryFn fn = e.fn;
    std::string op = e.name;
    runtime::Registry::Register(std::string("topi.") + e.name)
        .set_body_typed([fn, op](Tensor x, std::optional<String> name, std::optional<String> tag) {
          return fn(x, name ? std::string(*name) : "T_" + op,
                    tag ? std::string(*tag) : std::string(kElementWise));
        });
  }
  return 0;
}();

}  // namespace

TVM_REGISTER_GLOBAL("topi.clip").set_body_typed([](Tensor x, PrimExpr a_min, PrimExpr a_max) {
  return clip(x, a_min, a_max);
});
TVM_REGISTER_GLOBAL("topi.cast").set_body_typed([](Tensor x, DataType dtype) { return cast(x, dtype); });
TVM_REGISTER_GLOBAL("topi.reinterpret").set_body_typed([](Tensor x, DataType dtype) {
  return reinterpret(x, dtype);
});
TVM_REGISTER_GLOBAL("topi.elemwise_sum").set_body_typed([](Array<Tensor> xs) { return elemwise_sum(xs); });
TVM_REGISTER_GLOBAL("topi.full").set_body_typed([](Array<PrimExpr> shape, DataType dtype, PrimExpr fill_value) {
  return full(shape, dtype, fill_value);
});
TVM_REGISTER_GLOBAL("topi.full_like").set_body_typed([](Tensor x, PrimExpr fill_value) {
  return full_like(x, fill_value);
});
TVM_REGISTER_GLOBAL("topi.zeros_like").set_body_typed([](Tensor x) { return zeros_like(x); });
TVM_REGISTER_GLOBAL("topi.ones_like").set_body_typed([](Tensor x) { return ones_like(x); });
TVM_REGISTER_GLOBAL("topi.fast_exp_expr").set_body_typed([](PrimExpr x) { return fast_exp_expr(x); });

}  // namespace topi
}  // namespace tvm
