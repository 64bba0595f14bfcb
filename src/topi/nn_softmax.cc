/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/topi/nn_softmax.cc
 * \brief softmax and log_softmax along any axis: a max reduction, an
 *  exp-sum reduction, then the element-wise result (three stages; the
 *  numerators are recomputed so no full-size temporary is kept).
 */
#include <tvm/runtime/registry.h>
#include <tvm/te/operation.h>
#include <tvm/topi/nn/nn_utils.h>
#include <tvm/topi/nn/softmax.h>

namespace tvm {
namespace topi {
namespace nn {

using namespace tvm::te;
using namespace tvm::tir;

namespace {

/*! \brief {max over axis, sum of exp(x - max) over axis}, both with the axis removed. */
std::pair<Tensor, Tensor> MaxAndExpSum(const Tensor& x, int ax) {
  Array<PrimExpr> reduced;
  for (size_t i = 0; i < x->shape.size(); ++i) {
    if (static_cast<int>(i) != ax) reduced.push_back(x->shape[i]);
  }
  auto full_index = [&](const Array<Var>& idx, PrimExpr at) {
    Array<PrimExpr> r;
    for (size_t i = 0, j = 0; i < x->shape.size(); ++i) {
      r.push_back(static_cast<int>(i) == ax ? at : PrimExpr(idx[j++]));
    }
    return r;
  };
  IterVar k1 = reduce_axis(Range(0, x->shape[ax]), "k1");
  Tensor mx = compute(
      reduced, [&](const Array<Var>& idx) { return te::max(x(full_index(idx, k1)), {k1}); }, "T_softmax_maxelem",
      "softmax_maxelem");
  IterVar k2 = reduce_axis(Range(0, x->shape[ax]), "k2");
  Tensor sum = compute(
      reduced, [&](const Array<Var>& idx) { return te::sum(exp(x(full_index(idx, k2)) - mx(idx)), {k2}); },
      "T_softmax_expsum", "softmax_expsum");
  return {mx, sum};
}

Array<PrimExpr> DropAxis(const Array<Var>& idx, int ax) {
  Array<PrimExpr> r;
  for (size_t i = 0; i < idx.size(); ++i) {
    if (static_cast<int>(i) != ax) r.push_back(idx[i]);
  }
  return r;
}

int CheckSoftmaxInput(const Tensor& x, int axis, const std::string& op) {
  TVM_CHECK(x->dtype.is_float() || x->dtype.is_bfloat16(), "TypeError")
      << op << ": expects a floating-point tensor, got " << x->dtype;
  TVM_CHECK(!x->shape.empty(), "ValueError") << op << ": expects a tensor of rank >= 1";
  return NormalizeAxis(axis, x->shape.size(), op);
}

}  // namespace

Tensor softmax(const Tensor& x, int axis) {
  int ax = CheckSoftmaxInput(x, axis, "softmax");
  auto [mx, sum] = MaxAndExpSum(x, ax);
  return compute(
      x->shape,
      [&](const Array<Var>& idx) {
        Array<PrimExpr> r = DropAxis(idx, ax);
        return exp(x(idx) - mx(r)) / sum(r);
      },
      "T_softmax_norm", "softmax_output", {{"axis", Integer(ax)}});
}

Tensor log_softmax(const Tensor& x, int axis) {
  int ax = CheckSoftmaxInput(x, axis, "log_softmax");
  auto [mx, sum] = MaxAndExpSum(x, ax);
  return compute(
      x->shape,
      [&](const Array<Var>& idx) {
        Array<PrimExpr> r = DropAxis(idx, ax);
        return x(idx) - mx(r) - log(sum(r));
      },
      "T_log_softmax_norm", "log_softmax_output", {{"axis", Integer(ax)}});
}

TVM_REGISTER_GLOBAL("topi.nn.softmax").set_body_typed([](Tensor x, int axis) { return softmax(x, axis); });
TVM_REGISTER_GLOBAL("topi.nn.log_softmax").set_body_typed([](Tensor x, int axis) { return log_softmax(x, axis); });

}  // namespace nn
}  // namespace topi
}  // namespace tvm
