/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/relay/op/nn/bitserial.cc
 * \brief Bit-serial operators over low-bit integers: nn.bitpack (bit planes packed
 *  into words), nn.bitserial_dense (data (..., in_dim), weight (units, in_dim) ->
 *  (..., units)) and nn.bitserial_conv2d.
 */
#include <tvm/relay/attrs/nn.h>
#include <tvm/runtime/registry.h>

#include <vector>

#include "../type_check.h"

namespace tvm {
namespace relay {

TVM_REGISTER_NODE_TYPE(BinaryDenseAttrs);
TVM_REGISTER_NODE_TYPE(BitPackAttrs);
TVM_REGISTER_NODE_TYPE(BinaryConv2DAttrs);

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

bool BitPackRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  if (data == nullptr) return false;
  const auto* p = attrs.as<BitPackAttrs>();
  int ndim = static_cast<int>(data->shape.size());
  TVM_CHECK(p->pack_type.is_uint() || p->pack_type.is_int(), "TypeError")
      << "pack_type must be an integer type, got " << p->pack_type;
  TVM_CHECK(p->bits > 0 && p->bits <= 32, "TypeError") << "bits must be in [1, 32], got " << p->bits;
  int pack_axis = NormalizeAxis(p->pack_axis, ndim, "pack_axis");
  int bit_axis = p->bit_axis < 0 ? p->bit_axis + ndim + 1 : p->bit_axis;
  TVM_CHECK(bit_axis >= 0 && bit_axis <= ndim, "TypeError")
      << "bit_axis " << p->bit_axis << " is out of range for an output of rank " << ndim + 1;
  int word = p->pack_type.bits();
  const PrimExpr& packed = data->shape[pack_axis];
  if (auto v = ConstDim(packed)) {
    TVM_CHECK(*v % word == 0, "TypeError") << "axis " << pack_axis << " of data " << ShapeString(data->shape)
                                           << " is not a multiple of the " << word << " bits of " << p->pack_type;
  }
  Array<PrimExpr> oshape;
  for (int i = 0; i < ndim; ++i) {
    if (i == bit_axis) oshape.push_back(Integer(p->bits));
    oshape.push_back(i == pack_axis ? (IsAny(packed) ? packed : indexdiv(packed, Integer(word))) : data->shape[i]);
  }
  if (bit_axis == ndim) oshape.push_back(Integer(p->bits));
  reporter->Assign(types[1], TensorType(oshape, p->pack_type));
  return true;
}

bool BitserialConv2DRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  const auto* weight = TensorArg(types, 1, "weight");
  if (data == nullptr) return false;
  const auto* p = attrs.as<BinaryConv2DAttrs>();
  TVM_CHECK(p->data_layout == "NCHW" || p->data_layout == "NHWC", "TypeError")
      << "data_layout must be NCHW or NHWC, got " << p->data_layout;
  TVM_CHECK(data->shape.size() == 4, "TypeError") << "data must be 4-D, got " << ShapeString(data->shape);
  TVM_CHECK(p->channels.defined(), "TypeError") << "channels must be given";
  TVM_CHECK(p->kernel_size.size() == 2 && p->strides.size() == 2, "TypeError")
      << "kernel_size and strides must have 2 entries";
  bool nchw = p->data_layout == "NCHW";
  if (weight != nullptr) {
    TVM_CHECK(weight->shape.size() == 4, "TypeError") << "weight must be 4-D, got " << ShapeString(weight->shape);
    bool oihw = p->kernel_layout == "OIHW";
    TVM_CHECK(oihw || p->kernel_layout == "HWIO", "TypeError")
        << "kernel_layout must be OIHW or HWIO, got " << p->kernel_layout;
    PrimExpr out_c = oihw ? weight->shape[0] : weight->shape[3];
    PrimExpr in_c = oihw ? weight->shape[1] : weight->shape[2];
    bool ok = DimsMayMatch(reporter, out_c, p->channels) &&
              DimsMayMatch(reporter, in_c, nchw ? data->shape[1] : data->shape[3]);
    TVM_CHECK(ok, "TypeError") << "weight " << ShapeString(weight->shape) << " (" << p->kernel_layout
                               << ") does not map the channels of data " << ShapeString(data->shape) << " to "
                               << p->channels;
  }
  std::vector<int64_t> pad;
  for (const PrimExpr& v : p->padding) pad.push_back(IntValue(v, "padding"));
  TVM_CHECK(pad.size() == 2 || pad.size() == 4, "TypeError") << "padding must have 2 or 4 entries";
  int64_t pad_h = pad.size() == 2 ? 2 * pad[0] : pad[0] + pad[2];
  int64_t pad_w = pad.size() == 2 ? 2 * pad[1] : pad[1] + pad[3];
  PrimExpr h = nchw ? data->shape[2] : data->shape[1], w = nchw ? data->shape[3] : data->shape[2];
  PrimExpr oh = WindowOut(h, Integer(pad_h), p->kernel_size[0], Integer(1), p->strides[0]);
  PrimExpr ow = WindowOut(w, Integer(pad_w), p->kernel_size[1], Integer(1), p->strides[1]);
  if (auto v = ConstDim(oh)) TVM_CHECK(*v > 0, "TypeError") << "the kernel is larger than data " << ShapeString(data->shape);
  Array<PrimExpr> oshape = nchw ? Array<PrimExpr>{data->shape[0], p->channels, oh, ow}
                                : Array<PrimExpr>{data->shape[0], oh, ow, p->channels};
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
  runtime::Registry::Register("relay.op.nn._make.bitpack")
      .set_body_typed([](Expr data, int bits, int pack_axis, int bit_axis, DataType pack_type, std::string name) {
        auto a = make_object<BitPackAttrs>();
        a->bits = bits;
        a->pack_axis = pack_axis;
        a->bit_axis = bit_axis;
        a->pack_type = pack_type;
        a->name = name;
        return MakeOpCall("nn.bitpack", {data}, Attrs(a));
      });
  OpRegEntry::RegisterOrGet("nn.bitpack")
      .describe("bit planes of low-bit integers packed into words")
      .set_num_inputs(1)
      .add_argument("data", "Tensor", "the input")
      .set_attrs_type<BitPackAttrs>()
      .set_support_level(2)
      .add_type_rel("BitPack", BitPackRel)
      .set_attr<TOpPattern>("TOpPattern", kInjective);
  runtime::Registry::Register("relay.op.nn._make.bitserial_conv2d")
      .set_body_typed([](Expr data, Expr weight, Array<PrimExpr> strides, Array<PrimExpr> padding, PrimExpr channels,
                         Array<PrimExpr> kernel_size, int activation_bits, int weight_bits, std::string data_layout,
                         std::string kernel_layout, DataType pack_dtype, DataType out_dtype, bool unipolar) {
        auto a = make_object<BinaryConv2DAttrs>();
        a->strides = strides;
        a->padding = padding;
        a->channels = channels;
        a->kernel_size = kernel_size;
        a->activation_bits = activation_bits;
        a->weight_bits = weight_bits;
        a->data_layout = data_layout;
        a->kernel_layout = kernel_layout;
        a->pack_dtype = pack_dtype;
        a->out_dtype = out_dtype;
        a->unipolar = unipolar;
        return MakeOpCall("nn.bitserial_conv2d", {data, weight}, Attrs(a));
      });
  OpRegEntry::RegisterOrGet("nn.bitserial_conv2d")
      .describe("conv2d over low-bit integers, bit plane by bit plane")
      .set_num_inputs(2)
      .add_argument("data", "Tensor", "the input")
      .add_argument("weight", "Tensor", "the filters")
      .set_attrs_type<BinaryConv2DAttrs>()
      .set_support_level(2)
      .add_type_rel("BinaryConv2D", BitserialConv2DRel)
      .set_attr<TOpPattern>("TOpPattern", kOutEWiseFusable);
  return 0;
}();

}  // namespace
}  // namespace relay
}  // namespace tvm
