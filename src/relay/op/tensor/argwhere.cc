/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/relay/op/tensor/argwhere.cc
 * \brief argwhere: the coordinates of the non-zero elements of a tensor, one
 *  int32 row of `ndim` indices per element, in row-major order. How many rows
 *  there are depends on the values, so the first extent is relay.Any(); the
 *  data-dependent shape function (python/tvm/relay/op/_transform_shape.py)
 *  counts them when the program runs (the VM, the debug executor). Compute and
 *  schedule: python/tvm/relay/op/_argwhere.py.
 */
#include <tvm/runtime/registry.h>

#include "../type_check.h"

namespace tvm {
namespace relay {
namespace {

bool ArgWhereRel(const Array<Type>& types, int, const Attrs&, const TypeReporter& reporter) {
  const auto* condition = TensorArg(types, 0, "condition");
  if (condition == nullptr) return false;
  // Any element type: "non-zero" is `!= 0` (false for bool), as numpy reads it.
  PrimExpr rank = Integer(static_cast<int>(condition->shape.size()));
  reporter->Assign(types[1], TensorType({tir::Any(), rank}, DataType::Int(32)));
  return true;
}

[[maybe_unused]] const int kRegistered = [] {
  runtime::Registry::Register("relay.op._make.argwhere").set_body_typed([](Expr condition) {
    return MakeOpCall("argwhere", {condition});
  });
  OpRegEntry::RegisterOrGet("argwhere")
      .describe("the int32 coordinates (count, ndim) of the non-zero elements, in row-major order")
      .set_num_inputs(1)
      .add_argument("condition", "Tensor", "the tensor whose non-zero elements are found")
      .set_support_level(10)
      .add_type_rel("ArgWhere", ArgWhereRel)
      .set_attr<TOpPattern>("TOpPattern", kOpaque);
  return 0;
}();

}  // namespace
}  // namespace relay
}  // namespace tvm
