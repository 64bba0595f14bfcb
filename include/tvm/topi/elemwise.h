/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/topi/elemwise.h
 * \brief Elementwise operators: out[i] = f(x[i]), each tagged "elemwise" so that
 *  schedules inline it and Relay fuses it.
 */
#ifndef TVM_TOPI_ELEMWISE_H_
#define TVM_TOPI_ELEMWISE_H_

#include <tvm/te/tensor.h>
#include <tvm/topi/tags.h>

#include <string>

namespace tvm {
namespace topi {

TVM_DLL te::Tensor exp(const te::Tensor& x, std::string name = "T_exp", std::string tag = kElementWise);
TVM_DLL te::Tensor erf(const te::Tensor& x, std::string name = "T_erf", std::string tag = kElementWise);
TVM_DLL te::Tensor sigmoid(const te::Tensor& x, std::string name = "T_sigmoid", std::string tag = kElementWise);
TVM_DLL te::Tensor sqrt(const te::Tensor& x, std::string name = "T_sqrt", std::string tag = kElementWise);
TVM_DLL te::Tensor log(const te::Tensor& x, std::string name = "T_log", std::string tag = kElementWise);
TVM_DLL te::Tensor log2(const te::Tensor& x, std::string name = "T_log2", std::string tag = kElementWise);
TVM_DLL te::Tensor log10(const te::Tensor& x, std::string name = "T_log10", std::string tag = kElementWise);
TVM_DLL te::Tensor floor(const te::Tensor& x, std::string name = "T_floor", std::string tag = kElementWise);
TVM_DLL te::Tensor ceil(const te::Tensor& x, std::string name = "T_ceil", std::string tag = kElementWise);
TVM_DLL te::Tensor round(const te::Tensor& x, std::string name = "T_round", std::string tag = kElementWise);
TVM_DLL te::Tensor trunc(const te::Tensor& x, std::string name = "T_trunc", std::string tag = kElementWise);
TVM_DLL te::Tensor abs(const te::Tensor& x, std::string name = "T_abs", std::string tag = kElementWise);
TVM_DLL te::Tensor cos(const te::Tensor& x, std::string name = "T_cos", std::string tag = kElementWise);
TVM_DLL te::Tensor cosh(const te::Tensor& x, std::string name = "T_cosh", std::string tag = kElementWise);
TVM_DLL te::Tensor tan(const te::Tensor& x, std::string name = "T_tan", std::string tag = kElementWise);
TVM_DLL te::Tensor sin(const te::Tensor& x, std::string name = "T_sin", std::string tag = kElementWise);
TVM_DLL te::Tensor sinh(const te::Tensor& x, std::string name = "T_sinh", std::string tag = kElementWise);
TVM_DLL te::Tensor acos(const te::Tensor& x, std::string name = "T_acos", std::string tag = kElementWise);
TVM_DLL te::Tensor acosh(const te::Tensor& x, std::string name = "T_acosh", std::string tag = kElementWise);
TVM_DLL te::Tensor asin(const te::Tensor& x, std::string name = "T_asin", std::string tag = kElementWise);
TVM_DLL te::Tensor asinh(const te::Tensor& x, std::string name = "T_asinh", std::string tag = kElementWise);
TVM_DLL te::Tensor atan(const te::Tensor& x, std::string name = "T_atan", std::string tag = kElementWise);
TVM_DLL te::Tensor atanh(const te::Tensor& x, std::string name = "T_atanh", std::string tag = kElementWise);
TVM_DLL te::Tensor isnan(const te::Tensor& x, std::string name = "T_isnan", std::string tag = kElementWise);
TVM_DLL te::Tensor tanh(const te::Tensor& x, std::string name = "T_tanh", std::string tag = kElementWise);
TVM_DLL te::Tensor isfinite(const te::Tensor& x, std::string name = "T_isfinite", std::string tag = kElementWise);
TVM_DLL te::Tensor isinf(const te::Tensor& x, std::string name = "T_isinf", std::string tag = kElementWise);
TVM_DLL te::Tensor rsqrt(const te::Tensor& x, std::string name = "T_rsqrt", std::string tag = kElementWise);
TVM_DLL te::Tensor fast_exp(const te::Tensor& x, std::string name = "T_fast_exp", std::string tag = kElementWise);
TVM_DLL te::Tensor fast_tanh(const te::Tensor& x, std::string name = "T_fast_tanh", std::string tag = kElementWise);
TVM_DLL te::Tensor fast_erf(const te::Tensor& x, std::string name = "T_fast_erf", std::string tag = kElementWise);
TVM_DLL te::Tensor negative(const te::Tensor& x, std::string name = "T_negative", std::string tag = kElementWise);
TVM_DLL te::Tensor logical_not(const te::Tensor& x, std::string name = "T_logical_not", std::string tag = kElementWise);
TVM_DLL te::Tensor bitwise_not(const te::Tensor& x, std::string name = "T_bitwise_not", std::string tag = kElementWise);
TVM_DLL te::Tensor sign(const te::Tensor& x, std::string name = "T_sign", std::string tag = kElementWise);
TVM_DLL te::Tensor identity(const te::Tensor& x, std::string name = "T_identity", std::string tag = kElementWise);

/*! \brief x clamped to [a_min, a_max] (the bounds converted to x's dtype). */
TVM_DLL te::Tensor clip(const te::Tensor& x, const PrimExpr& a_min, const PrimExpr& a_max,
                        std::string name = "T_clip", std::string tag = kElementWise);
/*! \brief x converted to dtype (numerically). */
TVM_DLL te::Tensor cast(const te::Tensor& x, DataType dtype, std::string name = "T_cast",
                        std::string tag = kElementWise);
/*! \brief x's bits read as dtype (same width). \throws ValueError when the widths differ. */
TVM_DLL te::Tensor reinterpret(const te::Tensor& x, DataType dtype, std::string name = "T_reinterpret",
                               std::string tag = kElementWise);
/*! \brief The elementwise sum of tensors of one shape and dtype. */
TVM_DLL te::Tensor elemwise_sum(const Array<te::Tensor>& xs, std::string name = "T_elemwise_sum",
                                std::string tag = kElementWise);
/*! \brief A tensor of shape filled with fill_value (converted to dtype). */
TVM_DLL te::Tensor full(const Array<PrimExpr>& shape, DataType dtype, const PrimExpr fill_value,
                        std::string name = "T_full", std::string tag = kElementWise);
TVM_DLL te::Tensor full_like(const te::Tensor& x, const PrimExpr fill_value, std::string name = "T_full_like",
                             std::string tag = kElementWise);
TVM_DLL te::Tensor zeros_like(const te::Tensor& x, std::string name = "T_zeros_like",
                              std::string tag = kElementWise);
TVM_DLL te::Tensor ones_like(const te::Tensor& x, std::string name = "T_ones_like",
                             std::string tag = kElementWise);

/*! \brief Scalar versions of the fast approximations (float32 polynomial forms). */
TVM_DLL PrimExpr fast_exp_expr(const PrimExpr& x);
TVM_DLL PrimExpr fast_tanh_expr(const PrimExpr& x);
TVM_DLL PrimExpr fast_erf_expr(const PrimExpr& x);

}  // namespace topi
}  // namespace tvm
#endif  // TVM_TOPI_ELEMWISE_H_
