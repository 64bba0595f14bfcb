/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/topi/nn_loss.cc
 * \brief nll_loss: the per-element loss, then (for "sum"/"mean") reductions to a scalar.
 */
#include <tvm/runtime/registry.h>
#include <tvm/te/operation.h>
#include <tvm/topi/nn/loss.h>
#include <tvm/topi/nn/nn_utils.h>

namespace tvm {
namespace topi {
namespace nn {

using namespace tvm::te;
using namespace tvm::tir;

Tensor nll_loss(const Tensor& predictions, const Tensor& targets, const Tensor& weights,
                const std::string& reduction, int ignore_index) {
  const std::string op = "nll_loss";
  TVM_CHECK(reduction == "none" || reduction == "sum" || reduction == "mean", "ValueError")
      << op << ": reduction must be none, sum or mean, got \"" << reduction << "\"";
  size_t rank = predictions->shape.size();
  TVM_CHECK(rank >= 1 && targets->shape.size() == rank - 1 && weights->shape.size() == 1, "ValueError")
      << op << ": expects predictions (N, C, d...) or (C,), targets (N, d...) or (), and weights (C,), got "
      << ShapeString(predictions->shape) << ", " << ShapeString(targets->shape) << ", "
      << ShapeString(weights->shape);
  TVM_CHECK(targets->dtype.is_int() || targets->dtype.is_uint(), "TypeError")
      << op << ": targets must be integers, got " << targets->dtype;
  DataType dt = predictions->dtype;
  auto weight_at = [&](const Array<Var>& idx) {
    PrimExpr t = targets(idx);
    return if_then_else(t == make_const(t.dtype(), ignore_index), make_zero(dt),
                        weights(cast(DataType::Int(32), t)));
  };
  Tensor loss = compute(
      targets->shape,
      [&](const Array<Var>& idx) {
        PrimExpr t = targets(idx);
        // Keep the prediction index in range for ignored targets (whose weight is 0).
        PrimExpr c = if_then_else(t == make_const(t.dtype(), ignore_index), make_const(DataType::Int(32), 0),
                                  cast(DataType::Int(32), t));
        // The class axis is the second, or the only one for a single unbatched sample.
        Array<PrimExpr> p;
        if (rank == 1) {
          p.push_back(c);
        } else {
          p.push_back(idx[0]);
          p.push_back(c);
          for (size_t i = 1; i < idx.size(); ++i) p.push_back(idx[i]);
        }
        return make_zero(dt) - predictions(p) * weight_at(idx);
      },
      "nll_loss", kTagInjective);
  if (reduction == "none") return loss;
  auto all_axes = [&](const char* prefix) {
    Array<IterVar> axes;
    for (size_t i = 0; i < targets->shape.size(); ++i) {
      axes.push_back(reduce_axis(Range(0, targets->shape[i]), prefix + std::to_string(i)));
    }
    return axes;
  };
  Array<IterVar> a1 = all_axes("k");
  Tensor total = compute(
      {}, [&](const Array<Var>&) { return te::sum(loss(Array<PrimExpr>(a1.begin(), a1.end())), a1); },
      "nll_loss_sum", kTagCommReduce);
  if (reduction == "sum") return total;
  Array<IterVar> a2 = all_axes("w");
  Tensor weight_sum = compute(
      {},
      [&](const Array<Var>&) {
        Array<Var> vars;
        for (const IterVar& iv : a2) vars.push_back(iv->var);
        return te::sum(weight_at(vars), a2);
      },
      "nll_loss_weight_sum", kTagCommReduce);
  return compute(
      {}, [&](const Array<Var>&) { return total(Array<PrimExpr>{}) / weight_sum(Array<PrimExpr>{}); },
      "nll_loss_mean", kTagElemWise);
}

TVM_REGISTER_GLOBAL("topi.nn.nll_loss")
    .set_body_typed([](Tensor predictions, Tensor targets, Tensor weights, std::string reduction, int ignore_index) {
      return nll_loss(predictions, targets, weights, reduction, ignore_index);
    });

}  // namespace nn
}  // namespace topi
}  // namespace tvm
