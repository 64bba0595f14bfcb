/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/topi/nn_elemwise.cc
 * \brief Activations (relu, leaky_relu, prelu) and padding.
 */
#include <tvm/runtime/registry.h>
#include <tvm/te/operation.h>
#include <tvm/topi/nn.h>
#include <tvm/topi/nn/nn_utils.h>

namespace tvm {
namespace topi {

using namespace tvm::te;
using namespace tvm::tir;
using nn::ShapeString;

Tensor relu(const Tensor& x, std::string name, std::string tag) {
  return compute(
      x->shape, [&](const Array<Var>& i) { return tvm::max(x(i), make_zero(x->dtype)); }, name, tag);
}

Tensor leaky_relu(const Tensor& x, double alpha, std::string name, std::string tag) {
  return compute(
      x->shape,
      [&](const Array<Var>& i) {
        PrimExpr v = x(i);
        return if_then_else(v > make_zero(x->dtype), v, v * make_const(x->dtype, alpha));
      },
      name, tag);
}

Tensor prelu(const Tensor& x, const Tensor& slope, int axis, std::string name, std::string tag) {
  int ax = nn::NormalizeAxis(axis, x->shape.size(), "prelu");
  TVM_CHECK(slope->shape.size() == 1, "ValueError")
      << "prelu: slope must be 1-d, got shape " << ShapeString(slope->shape);
  auto ns = as_const_int(slope->shape[0]);
  auto nc = as_const_int(x->shape[ax]);
  // A slope of one value serves every channel (a program typed with relay.Any() channels
  // accepts it, so the run with the exact sizes must too).
  bool shared = ns && *ns == 1;
  TVM_CHECK(!ns || !nc || *ns == *nc || shared, "ValueError")
      << "prelu: slope of shape " << ShapeString(slope->shape) << " does not match axis " << axis
      << " of data shape " << ShapeString(x->shape);
  return compute(
      x->shape,
      [&](const Array<Var>& i) {
        PrimExpr v = x(i);
        return if_then_else(v > make_zero(x->dtype), v, v * slope(shared ? PrimExpr(0) : PrimExpr(i[ax])));
      },
      name, tag);
}

// True when e is a known integer <= 0.
static bool is_const_nonpositive(const PrimExpr& e) {
  auto v = as_const_int(e);
  return v && *v <= 0;
}

Tensor pad(const Tensor& t, const Array<PrimExpr>& pad_before, Array<PrimExpr> pad_after, PrimExpr pad_value,
           std::string name, std::string tag, std::string pad_mode) {
  size_t n = t->shape.size();
  TVM_CHECK(pad_before.size() <= n, "ValueError")
      << "pad: pad_before has " << pad_before.size() << " entries for data of rank " << n;
  if (!pad_after.defined() || pad_after.empty()) pad_after = pad_before;
  TVM_CHECK(pad_after.size() <= n, "ValueError")
      << "pad: pad_after has " << pad_after.size() << " entries for data of rank " << n;
  TVM_CHECK(pad_mode == "constant" || pad_mode == "edge" || pad_mode == "reflect" || pad_mode == "symmetric",
            "ValueError")
      << "pad: pad_mode must be constant, edge, reflect or symmetric, got " << pad_mode;
  std::vector<PrimExpr> before(n, make_zero(DataType::Int(32))), after(n, make_zero(DataType::Int(32)));
  for (size_t i = 0; i < pad_before.size(); ++i) before[i] = pad_before[i];
  for (size_t i = 0; i < pad_after.size(); ++i) after[i] = pad_after[i];
  Array<PrimExpr> out_shape;
  for (size_t i = 0; i < n; ++i) {
    auto b = as_const_int(before[i]), a = as_const_int(after[i]);
    // Negative widths crop the axis (TVM's convention), but may not remove more than it has.
    auto d = as_const_int(t->shape[i]);
    TVM_CHECK(!d || !b || !a || *d + *b + *a >= 0, "ValueError")
        << "pad: padding (" << *b << ", " << *a << ") on axis " << i << " crops more than the "
        << *d << " elements of data shape " << ShapeString(t->shape);
    if (pad_mode == "reflect") {
      TVM_CHECK(!d || !b || !a || (*b < *d && *a < *d), "ValueError")
          << "pad: reflect padding on axis " << i << " must be smaller than the extent " << *d;
    }
    out_shape.push_back(t->shape[i] + before[i] + after[i]);
  }
  if (!pad_value.defined()) pad_value = make_zero(t->dtype);
  if (pad_value.dtype() != t->dtype) pad_value = cast(t->dtype, pad_value);
  return compute(
      out_shape,
      [&](const Array<Var>& idx) {
        Array<PrimExpr> src;
        PrimExpr inside = const_true();
        bool any_pad = false;
        for (size_t i = 0; i < n; ++i) {
          if (is_zero(before[i]) && is_zero(after[i])) {
            src.push_back(idx[i]);
            continue;
          }
          any_pad = true;
          PrimExpr x = idx[i] - before[i];
          PrimExpr extent = t->shape[i];
          if (pad_mode == "constant") {
            src.push_back(x);
            // A cropping (negative) side never reads outside the data: no bound check for it.
            if (!is_const_nonpositive(before[i])) inside = logical_and(inside, x >= 0);
            if (!is_const_nonpositive(after[i])) inside = logical_and(inside, x < extent);
          } else if (pad_mode == "edge") {
            src.push_back(tvm::max(tvm::min(x, extent - 1), 0));
          } else if (pad_mode == "reflect") {
            // -1 -> 1, extent -> extent - 2: mirror about the border element.
            PrimExpr lo = if_then_else(x < 0, 0 - x, x);
            src.push_back(if_then_else(lo >= extent, 2 * (extent - 1) - lo, lo));
          } else {
            // symmetric: -1 -> 0, extent -> extent - 1.
            PrimExpr lo = if_then_else(x < 0, -1 - x, x);
            src.push_back(if_then_else(lo >= extent, 2 * extent - 1 - lo, lo));
          }
        }
        if (pad_mode != "constant" || !any_pad) return t(src);
        return if_then_else(inside, t(src), pad_value);
      },
      name, tag);
}

Tensor dilate(const Tensor& x, const Array<PrimExpr>& strides, double dilation_value, std::string name) {
  TVM_CHECK(strides.size() == x->shape.size(), "ValueError")
      << "dilate: strides " << ShapeString(strides) << " must have one value per dimension of data "
      << ShapeString(x->shape);
  Array<PrimExpr> shape;
  for (size_t i = 0; i < strides.size(); ++i) {
    int64_t s = nn::ConstInt(strides[i], "dilate", "strides");
    TVM_CHECK(s >= 1, "ValueError") << "dilate: strides " << ShapeString(strides) << " must be positive";
    shape.push_back((x->shape[i] - 1) * static_cast<int>(s) + 1);
  }
  return compute(
      shape,
      [&](const Array<Var>& idx) {
        Array<PrimExpr> src;
        PrimExpr on_grid = const_true();
        for (size_t i = 0; i < strides.size(); ++i) {
          if (is_one(strides[i])) {
            src.push_back(idx[i]);
            continue;
          }
          src.push_back(indexdiv(idx[i], strides[i]));
          on_grid = logical_and(on_grid, indexmod(idx[i], strides[i]) == 0);
        }
        if (is_const_int(on_grid, 1)) return x(src);
        return if_then_else(on_grid, x(src), make_const(x->dtype, dilation_value));
      },
      name, "injective,dilate");
}

TVM_REGISTER_GLOBAL("topi.nn.dilate")
    .set_body_typed([](Tensor x, Array<PrimExpr> strides, double value, std::string name) {
      return dilate(x, strides, value, name);
    });
TVM_REGISTER_GLOBAL("topi.nn.relu").set_body_typed([](Tensor x) { return relu(x); });
TVM_REGISTER_GLOBAL("topi.nn.leaky_relu").set_body_typed([](Tensor x, double alpha) {
  return leaky_relu(x, alpha);
});
TVM_REGISTER_GLOBAL("topi.nn.prelu").set_body_typed([](Tensor x, Tensor slope, int axis) {
  return prelu(x, slope, axis);
});
TVM_REGISTER_GLOBAL("topi.nn.pad")
    .set_body_typed([](Tensor t, Array<PrimExpr> before, Array<PrimExpr> after, PrimExpr value, std::string name,
                       std::string pad_mode) { return pad(t, before, after, value, name, "injective,pad", pad_mode); });

}  // namespace topi
}  // namespace tvm
