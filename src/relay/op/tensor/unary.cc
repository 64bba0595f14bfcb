/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Elementwise operators of one tensor. Transcendental functions type-check any
// dtype, as in TVM (its programs take log of int tensors); TOPI computes an
// integer input in floating point and converts back. The fast_* approximations
// exist only in float and need a float input; logical_not a bool one; bitwise_not an integer one; isnan, isfinite and
// isinf give bool; clip, cast, cast_like and reinterpret carry attributes or a
// second input. Their computes (FTVMCompute) come from TOPI's elemwise.h.
#include <tvm/relay/attrs/elemwise.h>
#include <tvm/topi/elemwise.h>
#include <tvm/topi/tags.h>

#include <cmath>

#include "../../transforms/type_solver.h"
#include "../op_common.h"
#include "../op_schedules.h"
#include "../type_relations.h"

namespace tvm {
namespace relay {

namespace {

OpRegEntry& FloatMath(const char* name, const char* description, int level = 1) {
  static const TypeRelationFn any_tensor = MakeUnaryRel(DTypeClass::kAny, false);
  return RegisterUnaryOp(name, description, any_tensor, level);
}
OpRegEntry& FloatOnlyMath(const char* name, const char* description, int level = 1) {
  return RegisterUnaryOp(name, description, MakeUnaryRel(DTypeClass::kFloat, false), level);
}
OpRegEntry& AnyMath(const char* name, const char* description, int level = 3) {
  static const TypeRelationFn any_tensor = MakeUnaryRel(DTypeClass::kAny, false);
  return RegisterUnaryOp(name, description, any_tensor, level);
}

[[maybe_unused]] const bool registered = [] {
  FloatMath("exp", "e ** x");
  FloatMath("log", "natural logarithm");
  FloatMath("log2", "base-2 logarithm");
  FloatMath("log10", "base-10 logarithm");
  FloatMath("sqrt", "square root");
  FloatMath("rsqrt", "1 / sqrt(x)");
  FloatMath("sigmoid", "1 / (1 + exp(-x))");
  FloatMath("tanh", "hyperbolic tangent");
  FloatMath("sin", "sine");
  FloatMath("cos", "cosine");
  FloatMath("tan", "tangent");
  FloatMath("sinh", "hyperbolic sine");
  FloatMath("cosh", "hyperbolic cosine");
  FloatMath("asin", "arc sine");
  FloatMath("acos", "arc cosine");
  FloatMath("atan", "arc tangent");
  FloatMath("asinh", "inverse hyperbolic sine");
  FloatMath("acosh", "inverse hyperbolic cosine");
  FloatMath("atanh", "inverse hyperbolic tangent");
  FloatMath("erf", "the Gauss error function");
  FloatOnlyMath("fast_exp", "e ** x, by a fast approximation");
  FloatOnlyMath("fast_tanh", "tanh, by a fast approximation");
  FloatOnlyMath("fast_erf", "erf, by a fast approximation");
  AnyMath("negative", "-x");
  AnyMath("abs", "|x|");
  AnyMath("floor", "round down");
  AnyMath("ceil", "round up");
  AnyMath("round", "round to nearest, halves away from zero");
  AnyMath("trunc", "round towards zero");
  AnyMath("sign", "-1, 0 or 1 as x is negative, zero or positive");
  AnyMath("copy", "a copy of the tensor");
  AnyMath("zeros_like", "zeros of the input's shape and dtype");
  AnyMath("ones_like", "ones of the input's shape and dtype");
  RegisterUnaryOp("logical_not", "not x, of a bool tensor", MakeUnaryRel(DTypeClass::kBool, false), 4);
  RegisterUnaryOp("bitwise_not", "~x, of an integer tensor", MakeUnaryRel(DTypeClass::kInteger, false), 4);
  RegisterUnaryOp("isnan", "whether x is NaN", MakeUnaryRel(DTypeClass::kAny, true), 3);
  RegisterUnaryOp("isfinite", "whether x is finite", MakeUnaryRel(DTypeClass::kAny, true), 3);
  RegisterUnaryOp("isinf", "whether x is infinite", MakeUnaryRel(DTypeClass::kAny, true), 3);
  // Computes: the TOPI function of the same name (copy is topi's identity); all of them are
  // scheduled as injective outputs.
  using TopiUnary = te::Tensor (*)(const te::Tensor&, std::string, std::string);
  const std::pair<const char*, TopiUnary> computes[] = {
      {"log", topi::log},     {"log2", topi::log2},       {"log10", topi::log10},     {"tan", topi::tan},
      {"cos", topi::cos},     {"cosh", topi::cosh},       {"sin", topi::sin},         {"sinh", topi::sinh},
      {"acos", topi::acos},   {"acosh", topi::acosh},     {"asin", topi::asin},       {"asinh", topi::asinh},
      {"atan", topi::atan},   {"atanh", topi::atanh},     {"exp", topi::exp},         {"erf", topi::erf},
      {"sqrt", topi::sqrt},   {"rsqrt", topi::rsqrt},     {"sigmoid", topi::sigmoid}, {"floor", topi::floor},
      {"ceil", topi::ceil},   {"trunc", topi::trunc},     {"round", topi::round},     {"sign", topi::sign},
      {"abs", topi::abs},     {"tanh", topi::tanh},       {"logical_not", topi::logical_not},
      {"bitwise_not", topi::bitwise_not},                 {"negative", topi::negative},
      {"isnan", topi::isnan}, {"isfinite", topi::isfinite}, {"isinf", topi::isinf},   {"fast_exp", topi::fast_exp},
      {"fast_tanh", topi::fast_tanh}, {"fast_erf", topi::fast_erf}, {"copy", topi::identity},
  };
  for (const auto& [name, fn] : computes) {
    std::string out_name = std::string("T_") + (fn == topi::identity ? "identity" : name);
    OpRegEntry::RegisterOrGet(name)
        .set_attr<FTVMCompute>("FTVMCompute",
                               [fn = fn, out_name](const Attrs&, const Array<te::Tensor>& inputs, const Type&) {
                                 return Array<te::Tensor>{fn(inputs[0], out_name, topi::kElementWise)};
                               })
        .set_attr<FTVMSchedule>("FTVMSchedule", ScheduleInjective);
  }
  return true;
}();

bool CastRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const TensorTypeNode* data = TensorArg(types, 0, "the input");
  if (data == nullptr) return false;
  const auto* param = attrs.as<CastAttrs>();
  ICHECK(param != nullptr) << "cast needs CastAttrs";
  reporter->Assign(types[1], TensorType(data->shape, param->dtype));
  return true;
}

bool ReinterpretRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const TensorTypeNode* data = TensorArg(types, 0, "the input");
  if (data == nullptr) return false;
  const auto* param = attrs.as<CastAttrs>();
  ICHECK(param != nullptr) << "reinterpret needs CastAttrs";
  TVM_CHECK(data->dtype.bits() * data->dtype.lanes() == param->dtype.bits() * param->dtype.lanes(), "TypeError")
      << "cannot reinterpret " << runtime::DLDataType2String(data->dtype) << " as "
      << runtime::DLDataType2String(param->dtype) << ": their sizes in bits differ";
  reporter->Assign(types[1], TensorType(data->shape, param->dtype));
  return true;
}

bool CastLikeRel(const Array<Type>& types, int, const Attrs&, const TypeReporter& reporter) {
  const TensorTypeNode* data = TensorArg(types, 0, "the input (data)");
  const TensorTypeNode* like = TensorArg(types, 1, "dtype_like");
  if (data == nullptr || like == nullptr) return false;
  reporter->Assign(types[2], TensorType(data->shape, like->dtype));
  return true;
}

bool ClipRel(const Array<Type>& types, int num_inputs, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* param = attrs.as<ClipAttrs>();
  ICHECK(param != nullptr) << "clip needs ClipAttrs";
  TVM_CHECK(!(param->a_min > param->a_max), "ValueError")
      << "a_min (" << param->a_min << ") is greater than a_max (" << param->a_max << ")";
  static const TypeRelationFn any_tensor = MakeUnaryRel(DTypeClass::kAny, false);
  return any_tensor(types, num_inputs, attrs, reporter);
}

Expr MakeCast(Expr data, String dtype, const char* op_name) {
  auto attrs = make_object<CastAttrs>();
  attrs->dtype = DataType(runtime::String2DLDataType(dtype));
  return Call(Op::Get(op_name), {data}, Attrs(attrs));
}

bool FixedPointMultiplyRel(const Array<Type>& types, int, const Attrs&, const TypeReporter& reporter) {
  const TensorTypeNode* data = TensorArg(types, 0, "the input");
  if (data == nullptr) return false;
  TVM_CHECK(data->dtype == DataType::Int(32), "TypeError")
      << "the input must be int32, got " << runtime::DLDataType2String(data->dtype);
  reporter->Assign(types[1], GetRef<TensorType>(data));
  return true;
}

TVM_REGISTER_NODE_TYPE(CastAttrs);
TVM_REGISTER_NODE_TYPE(FixedPointMultiplyAttrs);
TVM_REGISTER_NODE_TYPE(ClipAttrs);

TVM_REGISTER_GLOBAL("relay.op._make.cast").set_body_typed([](Expr data, String dtype) {
  return MakeCast(data, dtype, "cast");
});
TVM_REGISTER_GLOBAL("relay.op._make.reinterpret").set_body_typed([](Expr data, String dtype) {
  return MakeCast(data, dtype, "reinterpret");
});
TVM_REGISTER_GLOBAL("relay.op._make.cast_like").set_body_typed([](Expr data, Expr dtype_like) {
  return Call(Op::Get("cast_like"), {data, dtype_like});
});
TVM_REGISTER_GLOBAL("relay.op._make.clip").set_body_typed([](Expr data, double a_min, double a_max) {
  TVM_CHECK(!std::isnan(a_min) && !std::isnan(a_max), "ValueError") << "clip: the bounds must not be NaN";
  auto attrs = make_object<ClipAttrs>();
  attrs->a_min = a_min;
  attrs->a_max = a_max;
  return Call(Op::Get("clip"), {data}, Attrs(attrs));
});

TVM_REGISTER_GLOBAL("relay.op._make.fixed_point_multiply").set_body_typed([](Expr data, int multiplier, int shift) {
  auto attrs = make_object<FixedPointMultiplyAttrs>();
  attrs->multiplier = multiplier;
  attrs->shift = shift;
  return Call(Op::Get("fixed_point_multiply"), {data}, Attrs(attrs));
});

RELAY_REGISTER_OP("fixed_point_multiply")
    .describe("x * multiplier / 2^(31 - shift), rounded to nearest: a quantized rescale of int32")
    .set_num_inputs(1)
    .add_argument("data", "Tensor", "the int32 input")
    .set_attrs_type<FixedPointMultiplyAttrs>()
    .set_support_level(10)
    .add_type_rel("FixedPointMultiply", FixedPointMultiplyRel)
    .set_attr<TOpPattern>("TOpPattern", kElemWise);

RELAY_REGISTER_OP("cast")
    .describe("the input converted to another dtype")
    .set_num_inputs(1)
    .add_argument("data", "Tensor", "the input")
    .set_attrs_type<CastAttrs>()
    .set_support_level(3)
    .add_type_rel("Cast", CastRel)
    .set_attr<TOpPattern>("TOpPattern", kElemWise);

RELAY_REGISTER_OP("reinterpret")
    .describe("the input's bits read as another dtype of the same size")
    .set_num_inputs(1)
    .add_argument("data", "Tensor", "the input")
    .set_attrs_type<CastAttrs>()
    .set_support_level(3)
    .add_type_rel("Reinterpret", ReinterpretRel)
    .set_attr<TOpPattern>("TOpPattern", kElemWise);

RELAY_REGISTER_OP("cast_like")
    .describe("the input converted to the dtype of dtype_like")
    .set_num_inputs(2)
    .add_argument("data", "Tensor", "the input")
    .add_argument("dtype_like", "Tensor", "the tensor whose dtype the result takes")
    .set_support_level(3)
    .add_type_rel("CastLike", CastLikeRel)
    .set_attr<TOpPattern>("TOpPattern", kElemWise);

RELAY_REGISTER_OP("clip")
    .describe("min(max(x, a_min), a_max)")
    .set_num_inputs(1)
    .add_argument("data", "Tensor", "the input")
    .set_attrs_type<ClipAttrs>()
    .set_support_level(3)
    .add_type_rel("Clip", ClipRel)
    .set_attr<TOpPattern>("TOpPattern", kElemWise);

}  // namespace

}  // namespace relay
}  // namespace tvm
