/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/topi/nn_dense.cc
 * \brief dense, matmul and batch_matmul: one reduction each, the bias as a
 *  separate broadcast stage so that schedules can inline it.
 */
#include <tvm/runtime/registry.h>
#include <tvm/te/operation.h>
#include <tvm/topi/nn/dense.h>
#include <tvm/topi/nn/nn_utils.h>

namespace tvm {
namespace topi {
namespace nn {

using namespace tvm::te;
using namespace tvm::tir;

namespace {

/*! \brief Whether two dimensions are known to differ. */
bool KnownDifferent(const PrimExpr& a, const PrimExpr& b) {
  auto x = as_const_int(a), y = as_const_int(b);
  return x && y && *x != *y;
}

Tensor AddBias(const Tensor& out, const std::optional<Tensor>& bias, const std::string& op) {
  if (!bias.has_value()) return out;
  Tensor b = *bias;
  TVM_CHECK(b->shape.size() == 1 && !KnownDifferent(b->shape[0], out->shape[1]), "ValueError")
      << op << ": bias of shape " << ShapeString(b->shape) << " does not match the output's last dimension "
      << ShapeString(out->shape);
  return compute(
      out->shape, [&](const Array<Var>& i) { return out(i) + cast(out->dtype, b(i[1])); }, "T_add", kTagBroadcast);
}

}  // namespace

Tensor matmul(const Tensor& a, const Tensor& b, const std::optional<Tensor>& bias, DataType out_dtype, bool transpose_a,
              bool transpose_b) {
  std::string op = transpose_a || !transpose_b ? "matmul" : "dense";
  TVM_CHECK(a->shape.size() == 2 && b->shape.size() == 2, "ValueError")
      << op << ": operands must be 2-d, got " << ShapeString(a->shape) << " and " << ShapeString(b->shape);
  if (out_dtype.is_void()) out_dtype = a->dtype;
  PrimExpr m = transpose_a ? a->shape[1] : a->shape[0];
  PrimExpr ka = transpose_a ? a->shape[0] : a->shape[1];
  PrimExpr kb = transpose_b ? b->shape[1] : b->shape[0];
  PrimExpr n = transpose_b ? b->shape[0] : b->shape[1];
  TVM_CHECK(!KnownDifferent(ka, kb), "ValueError")
      << op << ": reduction dimensions differ: " << ShapeString(a->shape) << (transpose_a ? "^T" : "") << " x "
      << ShapeString(b->shape) << (transpose_b ? "^T" : "");
  IterVar k = reduce_axis(Range(0, ka), "k");
  Tensor out = compute(
      {m, n},
      [&](const Array<Var>& i) {
        PrimExpr x = transpose_a ? a(k, i[0]) : a(i[0], k);
        PrimExpr y = transpose_b ? b(i[1], k) : b(k, i[1]);
        return te::sum(cast(out_dtype, x) * cast(out_dtype, y), {k});
      },
      "T_" + op, op);
  return AddBias(out, bias, op);
}

Tensor dense(const Tensor& data, const Tensor& weight, const std::optional<Tensor>& bias, DataType out_dtype) {
  return matmul(data, weight, bias, out_dtype, false, true);
}

Tensor batch_matmul(const Tensor& x, const Tensor& y, DataType out_dtype, bool transpose_a, bool transpose_b) {
  TVM_CHECK(x->shape.size() == 3 && y->shape.size() == 3, "ValueError")
      << "batch_matmul: operands must be 3-d, got " << ShapeString(x->shape) << " and " << ShapeString(y->shape);
  if (out_dtype.is_void()) out_dtype = x->dtype;
  PrimExpr bx = x->shape[0], by = y->shape[0];
  bool bx1 = is_one(bx), by1 = is_one(by);
  TVM_CHECK(bx1 || by1 || !KnownDifferent(bx, by), "ValueError")
      << "batch_matmul: batch dimensions of " << ShapeString(x->shape) << " and " << ShapeString(y->shape)
      << " differ and neither is 1";
  PrimExpr batch = bx1 ? by : bx;
  PrimExpr m = transpose_a ? x->shape[2] : x->shape[1];
  PrimExpr kx = transpose_a ? x->shape[1] : x->shape[2];
  PrimExpr ky = transpose_b ? y->shape[2] : y->shape[1];
  PrimExpr n = transpose_b ? y->shape[1] : y->shape[2];
  TVM_CHECK(!KnownDifferent(kx, ky), "ValueError")
      << "batch_matmul: reduction dimensions differ: " << ShapeString(x->shape) << " and " << ShapeString(y->shape)
      << " (transpose_a=" << transpose_a << ", transpose_b=" << transpose_b << ")";
  IterVar k = reduce_axis(Range(0, kx), "k");
  return compute(
      {batch, m, n},
      [&](const Array<Var>& i) {
        PrimExpr b0 = bx1 ? PrimExpr(0) : PrimExpr(i[0]);
        PrimExpr b1 = by1 ? PrimExpr(0) : PrimExpr(i[0]);
        PrimExpr a = transpose_a ? x(b0, k, i[1]) : x(b0, i[1], k);
        PrimExpr c = transpose_b ? y(b1, i[2], k) : y(b1, k, i[2]);
        return te::sum(cast(out_dtype, a) * cast(out_dtype, c), {k});
      },
      "T_batch_matmul", "batch_matmul");
}

namespace {
DataType DType(const std::string& s) { return s.empty() ? DataType() : DataType(runtime::String2DLDataType(s)); }
}  // namespace

TVM_REGISTER_GLOBAL("topi.nn.dense")
    .set_body_typed([](Tensor data, Tensor weight, std::optional<Tensor> bias, std::string out_dtype) {
      return dense(data, weight, bias, DType(out_dtype));
    });
TVM_REGISTER_GLOBAL("topi.nn.matmul")
    .set_body_typed([](Tensor a, Tensor b, std::optional<Tensor> bias, std::string out_dtype, bool ta, bool tb) {
      return matmul(a, b, bias, DType(out_dtype), ta, tb);
    });
TVM_REGISTER_GLOBAL("topi.nn.batch_matmul")
    .set_body_typed([](Tensor x, Tensor y, std::string out_dtype, bool ta, bool tb) {
      return batch_matmul(x, y, DType(out_dtype), ta, tb);
    });

}  // namespace nn
}  // namespace topi
}  // namespace tvm
