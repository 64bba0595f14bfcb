/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/topi/broadcast.h
 * \brief Binary operators with numpy broadcasting (tag "broadcast"), their forms
 *  with a scalar operand (tag "elemwise"), broadcast_to and where.
 *
 *   C = topi::add(A, B);        // A: (4, 1, 3), B: (5, 1) -> C: (4, 5, 3)
 *
 * A scalar operand is converted to the tensor's dtype. Comparisons and logical
 * operators produce bool tensors.
 */
#ifndef TVM_TOPI_BROADCAST_H_
#define TVM_TOPI_BROADCAST_H_

#include <tvm/te/tensor.h>
#include <tvm/topi/tags.h>

#include <string>

namespace tvm {
namespace topi {

TVM_DLL te::Tensor add(const te::Tensor& a, const te::Tensor& b, std::string name = "T_add", std::string tag = kBroadcast);
TVM_DLL te::Tensor add(const te::Tensor& a, const PrimExpr& b, std::string name = "T_add", std::string tag = kElementWise);
TVM_DLL te::Tensor add(const PrimExpr& a, const te::Tensor& b, std::string name = "T_add", std::string tag = kElementWise);
TVM_DLL te::Tensor subtract(const te::Tensor& a, const te::Tensor& b, std::string name = "T_subtract", std::string tag = kBroadcast);
TVM_DLL te::Tensor subtract(const te::Tensor& a, const PrimExpr& b, std::string name = "T_subtract", std::string tag = kElementWise);
TVM_DLL te::Tensor subtract(const PrimExpr& a, const te::Tensor& b, std::string name = "T_subtract", std::string tag = kElementWise);
TVM_DLL te::Tensor multiply(const te::Tensor& a, const te::Tensor& b, std::string name = "T_multiply", std::string tag = kBroadcast);
TVM_DLL te::Tensor multiply(const te::Tensor& a, const PrimExpr& b, std::string name = "T_multiply", std::string tag = kElementWise);
TVM_DLL te::Tensor multiply(const PrimExpr& a, const te::Tensor& b, std::string name = "T_multiply", std::string tag = kElementWise);
TVM_DLL te::Tensor divide(const te::Tensor& a, const te::Tensor& b, std::string name = "T_divide", std::string tag = kBroadcast);
TVM_DLL te::Tensor divide(const te::Tensor& a, const PrimExpr& b, std::string name = "T_divide", std::string tag = kElementWise);
TVM_DLL te::Tensor divide(const PrimExpr& a, const te::Tensor& b, std::string name = "T_divide", std::string tag = kElementWise);
TVM_DLL te::Tensor floor_divide(const te::Tensor& a, const te::Tensor& b, std::string name = "T_floor_divide", std::string tag = kBroadcast);
TVM_DLL te::Tensor floor_divide(const te::Tensor& a, const PrimExpr& b, std::string name = "T_floor_divide", std::string tag = kElementWise);
TVM_DLL te::Tensor floor_divide(const PrimExpr& a, const te::Tensor& b, std::string name = "T_floor_divide", std::string tag = kElementWise);
TVM_DLL te::Tensor floor_mod(const te::Tensor& a, const te::Tensor& b, std::string name = "T_floor_mod", std::string tag = kBroadcast);
TVM_DLL te::Tensor floor_mod(const te::Tensor& a, const PrimExpr& b, std::string name = "T_floor_mod", std::string tag = kElementWise);
TVM_DLL te::Tensor floor_mod(const PrimExpr& a, const te::Tensor& b, std::string name = "T_floor_mod", std::string tag = kElementWise);
TVM_DLL te::Tensor mod(const te::Tensor& a, const te::Tensor& b, std::string name = "T_mod", std::string tag = kBroadcast);
TVM_DLL te::Tensor mod(const te::Tensor& a, const PrimExpr& b, std::string name = "T_mod", std::string tag = kElementWise);
TVM_DLL te::Tensor mod(const PrimExpr& a, const te::Tensor& b, std::string name = "T_mod", std::string tag = kElementWise);
TVM_DLL te::Tensor power(const te::Tensor& a, const te::Tensor& b, std::string name = "T_power", std::string tag = kBroadcast);
TVM_DLL te::Tensor power(const te::Tensor& a, const PrimExpr& b, std::string name = "T_power", std::string tag = kElementWise);
TVM_DLL te::Tensor power(const PrimExpr& a, const te::Tensor& b, std::string name = "T_power", std::string tag = kElementWise);
TVM_DLL te::Tensor maximum(const te::Tensor& a, const te::Tensor& b, std::string name = "T_maximum", std::string tag = kBroadcast);
TVM_DLL te::Tensor maximum(const te::Tensor& a, const PrimExpr& b, std::string name = "T_maximum", std::string tag = kElementWise);
TVM_DLL te::Tensor maximum(const PrimExpr& a, const te::Tensor& b, std::string name = "T_maximum", std::string tag = kElementWise);
TVM_DLL te::Tensor minimum(const te::Tensor& a, const te::Tensor& b, std::string name = "T_minimum", std::string tag = kBroadcast);
TVM_DLL te::Tensor minimum(const te::Tensor& a, const PrimExpr& b, std::string name = "T_minimum", std::string tag = kElementWise);
TVM_DLL te::Tensor minimum(const PrimExpr& a, const te::Tensor& b, std::string name = "T_minimum", std::string tag = kElementWise);
TVM_DLL te::Tensor logical_and(const te::Tensor& a, const te::Tensor& b, std::string name = "T_logical_and", std::string tag = kBroadcast);
TVM_DLL te::Tensor logical_and(const te::Tensor& a, const PrimExpr& b, std::string name = "T_logical_and", std::string tag = kElementWise);
TVM_DLL te::Tensor logical_and(const PrimExpr& a, const te::Tensor& b, std::string name = "T_logical_and", std::string tag = kElementWise);
TVM_DLL te::Tensor logical_or(const te::Tensor& a, const te::Tensor& b, std::string name = "T_logical_or", std::string tag = kBroadcast);
TVM_DLL te::Tensor logical_or(const te::Tensor& a, const PrimExpr& b, std::string name = "T_logical_or", std::string tag = kElementWise);
TVM_DLL te::Tensor logical_or(const PrimExpr& a, const te::Tensor& b, std::string name = "T_logical_or", std::string tag = kElementWise);
TVM_DLL te::Tensor logical_xor(const te::Tensor& a, const te::Tensor& b, std::string name = "T_logical_xor", std::string tag = kBroadcast);
TVM_DLL te::Tensor logical_xor(const te::Tensor& a, const PrimExpr& b, std::string name = "T_logical_xor", std::string tag = kElementWise);
TVM_DLL te::Tensor logical_xor(const PrimExpr& a, const te::Tensor& b, std::string name = "T_logical_xor", std::string tag = kElementWise);
TVM_DLL te::Tensor bitwise_and(const te::Tensor& a, const te::Tensor& b, std::string name = "T_bitwise_and", std::string tag = kBroadcast);
TVM_DLL te::Tensor bitwise_and(const te::Tensor& a, const PrimExpr& b, std::string name = "T_bitwise_and", std::string tag = kElementWise);
TVM_DLL te::Tensor bitwise_and(const PrimExpr& a, const te::Tensor& b, std::string name = "T_bitwise_and", std::string tag = kElementWise);
TVM_DLL te::Tensor bitwise_or(const te::Tensor& a, const te::Tensor& b, std::string name = "T_bitwise_or", std::string tag = kBroadcast);
TVM_DLL te::Tensor bitwise_or(const te::Tensor& a, const PrimExpr& b, std::string name = "T_bitwise_or", std::string tag = kElementWise);
TVM_DLL te::Tensor bitwise_or(const PrimExpr& a, const te::Tensor& b, std::string name = "T_bitwise_or", std::string tag = kElementWise);
TVM_DLL te::Tensor bitwise_xor(const te::Tensor& a, const te::Tensor& b, std::string name = "T_bitwise_xor", std::string tag = kBroadcast);
TVM_DLL te::Tensor bitwise_xor(const te::Tensor& a, const PrimExpr& b, std::string name = "T_bitwise_xor", std::string tag = kElementWise);
TVM_DLL te::Tensor bitwise_xor(const PrimExpr& a, const te::Tensor& b, std::string name = "T_bitwise_xor", std::string tag = kElementWise);
TVM_DLL te::Tensor left_shift(const te::Tensor& a, const te::Tensor& b, std::string name = "T_left_shift", std::string tag = kBroadcast);
TVM_DLL te::Tensor left_shift(const te::Tensor& a, const PrimExpr& b, std::string name = "T_left_shift", std::string tag = kElementWise);
TVM_DLL te::Tensor left_shift(const PrimExpr& a, const te::Tensor& b, std::string name = "T_left_shift", std::string tag = kElementWise);
TVM_DLL te::Tensor right_shift(const te::Tensor& a, const te::Tensor& b, std::string name = "T_right_shift", std::string tag = kBroadcast);
TVM_DLL te::Tensor right_shift(const te::Tensor& a, const PrimExpr& b, std::string name = "T_right_shift", std::string tag = kElementWise);
TVM_DLL te::Tensor right_shift(const PrimExpr& a, const te::Tensor& b, std::string name = "T_right_shift", std::string tag = kElementWise);
TVM_DLL te::Tensor equal(const te::Tensor& a, const te::Tensor& b, std::string name = "T_equal", std::string tag = kBroadcast);
TVM_DLL te::Tensor equal(const te::Tensor& a, const PrimExpr& b, std::string name = "T_equal", std::string tag = kElementWise);
TVM_DLL te::Tensor equal(const PrimExpr& a, const te::Tensor& b, std::string name = "T_equal", std::string tag = kElementWise);
TVM_DLL te::Tensor not_equal(const te::Tensor& a, const te::Tensor& b, std::string name = "T_not_equal", std::string tag = kBroadcast);
TVM_DLL te::Tensor not_equal(const te::Tensor& a, const PrimExpr& b, std::string name = "T_not_equal", std::string tag = kElementWise);
TVM_DLL te::Tensor not_equal(const PrimExpr& a, const te::Tensor& b, std::string name = "T_not_equal", std::string tag = kElementWise);
TVM_DLL te::Tensor less(const te::Tensor& a, const te::Tensor& b, std::string name = "T_less", std::string tag = kBroadcast);
TVM_DLL te::Tensor less(const te::Tensor& a, const PrimExpr& b, std::string name = "T_less", std::string tag = kElementWise);
TVM_DLL te::Tensor less(const PrimExpr& a, const te::Tensor& b, std::string name = "T_less", std::string tag = kElementWise);
TVM_DLL te::Tensor less_equal(const te::Tensor& a, const te::Tensor& b, std::string name = "T_less_equal", std::string tag = kBroadcast);
TVM_DLL te::Tensor less_equal(const te::Tensor& a, const PrimExpr& b, std::string name = "T_less_equal", std::string tag = kElementWise);
TVM_DLL te::Tensor less_equal(const PrimExpr& a, const te::Tensor& b, std::string name = "T_less_equal", std::string tag = kElementWise);
TVM_DLL te::Tensor greater(const te::Tensor& a, const te::Tensor& b, std::string name = "T_greater", std::string tag = kBroadcast);
TVM_DLL te::Tensor greater(const te::Tensor& a, const PrimExpr& b, std::string name = "T_greater", std::string tag = kElementWise);
TVM_DLL te::Tensor greater(const PrimExpr& a, const te::Tensor& b, std::string name = "T_greater", std::string tag = kElementWise);
TVM_DLL te::Tensor greater_equal(const te::Tensor& a, const te::Tensor& b, std::string name = "T_greater_equal", std::string tag = kBroadcast);
TVM_DLL te::Tensor greater_equal(const te::Tensor& a, const PrimExpr& b, std::string name = "T_greater_equal", std::string tag = kElementWise);
TVM_DLL te::Tensor greater_equal(const PrimExpr& a, const te::Tensor& b, std::string name = "T_greater_equal", std::string tag = kElementWise);
TVM_DLL te::Tensor trunc_divide(const te::Tensor& a, const te::Tensor& b, std::string name = "T_trunc_divide", std::string tag = kBroadcast);
TVM_DLL te::Tensor trunc_divide(const te::Tensor& a, const PrimExpr& b, std::string name = "T_trunc_divide", std::string tag = kElementWise);
TVM_DLL te::Tensor trunc_divide(const PrimExpr& a, const te::Tensor& b, std::string name = "T_trunc_divide", std::string tag = kElementWise);
TVM_DLL te::Tensor trunc_mod(const te::Tensor& a, const te::Tensor& b, std::string name = "T_trunc_mod", std::string tag = kBroadcast);
TVM_DLL te::Tensor trunc_mod(const te::Tensor& a, const PrimExpr& b, std::string name = "T_trunc_mod", std::string tag = kElementWise);
TVM_DLL te::Tensor trunc_mod(const PrimExpr& a, const te::Tensor& b, std::string name = "T_trunc_mod", std::string tag = kElementWise);

/*!
 * \brief x stretched to output_shape by numpy broadcasting.
 * \throws Error (ValueError) when x's shape does not broadcast to output_shape.
 */
TVM_DLL te::Tensor broadcast_to(const te::Tensor& x, const Array<PrimExpr>& output_shape,
                                std::string name = "T_broadcast_to", std::string tag = kBroadcast);
/*!
 * \brief condition ? x : y elementwise, the three broadcast together; x and y
 *  must share a dtype.
 */
TVM_DLL te::Tensor where(const te::Tensor& condition, const te::Tensor& x, const te::Tensor& y,
                         std::string name = "T_where", std::string tag = kBroadcast);

/*! \brief The scalar form of a broadcast operator by its name ("add", "less", ...). */
TVM_DLL PrimExpr BinaryScalar(const std::string& op, PrimExpr a, PrimExpr b);

}  // namespace topi
}  // namespace tvm
#endif  // TVM_TOPI_BROADCAST_H_
