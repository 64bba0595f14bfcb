/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/relay/op/nn/bitserial.cc
 * \brief nn.bitserial_dense: a dense layer over low-bit integers, computed bit plane
 *  by bit plane. data (..., in_dim), weight (units, in_dim) -> (..., units).
 */
#include <tvm/relay/attrs/nn.h>
#include <tvm/runtime/registry.h>

#include "../type_check.h"

namespace tvm {
namespace relay {

TVM_REGISTER_NODE_TYPE(BinaryDenseAttrs);

namespace {

bool BitserialDenseRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  const auto* weight = TensorArg(types, 1, "weight");
  if (data == nullptr || weight == nullptr) return false;
  const auto* p = attrs.as<BinaryDenseAttrs>();
  TVM_CHECK(!data->shape.empty(), "TypeError") << "data must have rank 1 or more";
  TVM_CHECK(data->dtype.is_int() || data->dtype.is_uint(), "TypeError")
      << "data must hold integers, got " << data->dtype;
  TVM_CHECK(weight->dtype.is_int() || weight->dtype.is_uint(), "TypeError")
      << "weight must hold integers, got " << weight->dtype;
  TVM_CHECK(weight->shape.size() == 2, "TypeError") << "weight must be 2-D (units, in_dim), got "
                                                    << ShapeString(weight->shape);
  TVM_CHECK(p->data_bits > 0 && p->weight_bits > 0, "TypeError")
      << "data_bits and weight_bits must be positive, got " << p->data_bits << " and " << p->weight_bits;
  PrimExpr units = p->units.defined() ? p->units : weight->shape[0];
  // Checked where both sides are known numbers (TVM checks neither).
  auto in_w = ConstDim(weight->shape[1]), in_d = ConstDim(data->shape.back());
  auto units_w = ConstDim(weight->shape[0]), units_a = ConstDim(units);
  TVM_CHECK(!(in_w && in_d) || *in_w == *in_d, "TypeError")
      << "weight " << ShapeString(weight->shape) << " does not match the last axis of data "
      << ShapeString(data->shape);
  TVM_CHECK(!(units_w && units_a) || *units_w == *units_a, "TypeError")
      << "weight " << ShapeString(weight->shape) << " does not have units=" << units << " rows";
  Array<PrimExpr> oshape = data->shape;
  oshape.Set(oshape.size() - 1, units);
  reporter->Assign(types[2], TensorType(oshape, OutDtypeOr(p->out_dtype, data->dtype)));
  return true;
}

[[maybe_unused]] const int kRegistered = [] {
  runtime::Registry::Register("relay.op.nn._make.bitserial_dense")
      .set_body_typed([](Expr data, Expr weight, PrimExpr units, int data_bits, int weight_bits, DataType pack_dtype,
                         DataType out_dtype, bool unipolar) {
        auto a = make_object<BinaryDenseAttrs>();
        a->units = units;
        a->data_bits = data_bits;
        a->weight_bits = weight_bits;
        a->pack_dtype = pack_dtype;
        a->out_dtype = out_dtype;
        a->unipolar = unipolar;
        return MakeOpCall("nn.bitserial_dense", {data, weight}, Attrs(a));
      });
  OpRegEntry::RegisterOrGet("nn.bitserial_dense")
      .describe("dense over low-bit integers, bit plane by bit plane")
      .set_num_inputs(2)
      .add_argument("data", "Tensor", "the input")
      .add_argument("weight", "Tensor", "the weights (units, in_dim)")
      .set_attrs_type<BinaryDenseAttrs>()
      .set_support_level(1)
      .add_type_rel("BinaryDense", BitserialDenseRel)
      .set_attr<TOpPattern>("TOpPattern", kOutEWiseFusable);
  return 0;
}();

}  // namespace
}  // namespace relay
}  // namespace tvm
