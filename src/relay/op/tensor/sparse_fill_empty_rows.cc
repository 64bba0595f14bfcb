/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/relay/op/tensor/sparse_fill_empty_rows.cc
 * \brief sparse_fill_empty_rows (TensorFlow's SparseFillEmptyRows): a COO
 *  sparse tensor whose indices are sorted by row gets one entry [r, 0, ...]
 *  with the default value for every row r it has none in. How many rows are
 *  empty is known only from the values, so the entry count is relay.Any();
 *  the shape function computes it when the program runs (the VM, the debug
 *  executor). Compute and shape function: python/tvm/relay/op/_sparse_fill.py.
 */
#include <tvm/runtime/registry.h>

#include "../type_check.h"

namespace tvm {
namespace relay {
namespace {

bool SparseFillEmptyRowsRel(const Array<Type>& types, int, const Attrs&, const TypeReporter& reporter) {
  const auto* indices = TensorArg(types, 0, "sparse_indices");
  const auto* values = TensorArg(types, 1, "sparse_values");
  const auto* dense_shape = TensorArg(types, 2, "dense_shape");
  const auto* deflt = TensorArg(types, 3, "default_value");
  if (indices == nullptr || values == nullptr || dense_shape == nullptr || deflt == nullptr) return false;
  TVM_CHECK(indices->shape.size() == 2, "TypeError")
      << "sparse_indices must be a 2-D (entries, rank) tensor, got shape " << ShapeString(indices->shape);
  TVM_CHECK(indices->dtype.is_int() || indices->dtype.is_uint(), "TypeError")
      << "sparse_indices must hold integers, got " << indices->dtype;
  TVM_CHECK(values->shape.size() == 1 && DimsMayMatch(reporter, values->shape[0], indices->shape[0]), "TypeError")
      << "sparse_values " << ShapeString(values->shape) << " must hold one value per row of sparse_indices "
      << ShapeString(indices->shape);
  TVM_CHECK(dense_shape->shape.size() == 1 && DimsMayMatch(reporter, dense_shape->shape[0], indices->shape[1]),
            "TypeError")
      << "dense_shape " << ShapeString(dense_shape->shape) << " must hold one extent per column of sparse_indices "
      << ShapeString(indices->shape);
  bool one_value = deflt->shape.empty() || (deflt->shape.size() == 1 && DimsMayMatch(reporter, deflt->shape[0], 1));
  TVM_CHECK(one_value, "TypeError") << "default_value must hold one value, got shape " << ShapeString(deflt->shape);
  TVM_CHECK(deflt->dtype == values->dtype, "TypeError")
      << "default_value (" << deflt->dtype << ") and sparse_values (" << values->dtype << ") differ in dtype";
  Array<Type> fields{TensorType({tir::Any(), indices->shape[1]}, indices->dtype),
                     TensorType({tir::Any()}, values->dtype), TensorType({tir::Any()}, DataType::Bool())};
  reporter->Assign(types[4], TupleType(fields));
  return true;
}

[[maybe_unused]] const int kRegistered = [] {
  runtime::Registry::Register("relay.op._make.sparse_fill_empty_rows")
      .set_body_typed([](Expr indices, Expr values, Expr dense_shape, Expr default_value) {
        return MakeOpCall("sparse_fill_empty_rows", {indices, values, dense_shape, default_value});
      });
  OpRegEntry::RegisterOrGet("sparse_fill_empty_rows")
      .describe("fill the empty rows of a row-sorted COO sparse tensor with a default value")
      .set_num_inputs(4)
      .add_argument("sparse_indices", "Tensor", "(entries, rank) indices, sorted by row")
      .add_argument("sparse_values", "Tensor", "one value per entry")
      .add_argument("dense_shape", "Tensor", "the dense tensor's extents")
      .add_argument("default_value", "Tensor", "the value of the entries added")
      .set_support_level(3)
      .add_type_rel("SparseFillEmptyRows", SparseFillEmptyRowsRel)
      .set_attr<TOpPattern>("TOpPattern", kOpaque);
  return 0;
}();

}  // namespace
}  // namespace relay
}  // namespace tvm
