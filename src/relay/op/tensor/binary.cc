/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Elementwise operators of two tensors with numpy broadcasting: arithmetic,
// comparisons (bool result), logical (bool operands) and bitwise (integer operands).
// Their computes (FTVMCompute) come from TOPI's broadcast.h.
#include <tvm/topi/broadcast.h>
#include <tvm/topi/tags.h>

#include "../op_common.h"
#include "../op_schedules.h"
#include "../type_relations.h"

namespace tvm {
namespace relay {

namespace {

OpRegEntry& Arithmetic(const char* name, const char* description, int level) {
  return RegisterBinaryOp(name, description, BroadcastRel, level);
}
OpRegEntry& Comparison(const char* name, const char* description) {
  return RegisterBinaryOp(name, description, BroadcastCompRel, 4);
}
OpRegEntry& Logical(const char* name, const char* description) {
  return RegisterBinaryOp(name, description, MakeBroadcastRel(DTypeClass::kBool, false), 4);
}
OpRegEntry& Bitwise(const char* name, const char* description) {
  return RegisterBinaryOp(name, description, MakeBroadcastRel(DTypeClass::kInteger, false), 4);
}

[[maybe_unused]] const bool registered = [] {
  Arithmetic("add", "lhs + rhs, broadcast", 1);
  Arithmetic("subtract", "lhs - rhs, broadcast", 1);
  Arithmetic("multiply", "lhs * rhs, broadcast", 1);
  Arithmetic("divide", "lhs / rhs, broadcast (truncating for integers)", 1);
  Arithmetic("floor_divide", "floor(lhs / rhs), broadcast", 1);
  Arithmetic("floor_mod", "lhs - floor(lhs / rhs) * rhs, broadcast", 1);
  Arithmetic("power", "lhs ** rhs, broadcast", 4);
  Arithmetic("mod", "lhs mod rhs with the sign of lhs (fmod), broadcast", 1);
  Arithmetic("maximum", "max(lhs, rhs), broadcast", 4);
  Arithmetic("minimum", "min(lhs, rhs), broadcast", 4);
  Logical("logical_and", "lhs and rhs of bool tensors, broadcast");
  Logical("logical_or", "lhs or rhs of bool tensors, broadcast");
  Logical("logical_xor", "lhs xor rhs of bool tensors, broadcast");
  Bitwise("bitwise_and", "lhs & rhs of integer tensors, broadcast");
  Bitwise("bitwise_or", "lhs | rhs of integer tensors, broadcast");
  Bitwise("bitwise_xor", "lhs ^ rhs of integer tensors, broadcast");
  // The shifts type-check any dtype, as in TVM (whose fusion tests shift float tensors);
  // only compiling a float shift is an error.
  Arithmetic("left_shift", "lhs << rhs, broadcast", 4);
  Arithmetic("right_shift", "lhs >> rhs, broadcast", 4);
  Comparison("equal", "lhs == rhs, broadcast, bool result");
  Comparison("not_equal", "lhs != rhs, broadcast, bool result");
  Comparison("less", "lhs < rhs, broadcast, bool result");
  Comparison("less_equal", "lhs <= rhs, broadcast, bool result");
  Comparison("greater", "lhs > rhs, broadcast, bool result");
  Comparison("greater_equal", "lhs >= rhs, broadcast, bool result");
  // Computes: the TOPI function of the same name, two tensors broadcast together; all of them
  // are scheduled as injective outputs.
  using TopiBinary = te::Tensor (*)(const te::Tensor&, const te::Tensor&, std::string, std::string);
  const std::pair<const char*, TopiBinary> computes[] = {
      {"add", topi::add},
      {"subtract", topi::subtract},
      {"multiply", topi::multiply},
      {"divide", topi::divide},
      {"floor_divide", topi::floor_divide},
      {"power", topi::power},
      {"mod", topi::mod},
      {"floor_mod", topi::floor_mod},
      {"logical_and", topi::logical_and},
      {"logical_or", topi::logical_or},
      {"logical_xor", topi::logical_xor},
      {"bitwise_and", topi::bitwise_and},
      {"bitwise_or", topi::bitwise_or},
      {"bitwise_xor", topi::bitwise_xor},
      {"equal", topi::equal},
      {"not_equal", topi::not_equal},
      {"less", topi::less},
      {"less_equal", topi::less_equal},
      {"greater", topi::greater},
      {"greater_equal", topi::greater_equal},
      {"maximum", topi::maximum},
      {"minimum", topi::minimum},
      {"right_shift", topi::right_shift},
      {"left_shift", topi::left_shift},
  };
  for (const auto& [name, fn] : computes) {
    std::string out_name = std::string("T_") + name;
    OpRegEntry::RegisterOrGet(name)
        .set_attr<FTVMCompute>("FTVMCompute",
                               [fn = fn, out_name](const Attrs&, const Array<te::Tensor>& inputs, const Type&) {
                                 return Array<te::Tensor>{fn(inputs[0], inputs[1], out_name, topi::kBroadcast)};
                               })
        .set_attr<FTVMSchedule>("FTVMSchedule", ScheduleInjective);
  }
  return true;
}();

// where(condition, x, y): x and y of one dtype; the three shapes broadcast together.
bool WhereRel(const Array<Type>& types, int, const Attrs&, const TypeReporter& reporter) {
  const TensorTypeNode* cond = TensorArg(types, 0, "the condition");
  const TensorTypeNode* x = TensorArg(types, 1, "x");
  const TensorTypeNode* y = TensorArg(types, 2, "y");
  if (cond == nullptr || x == nullptr || y == nullptr) return false;
  TVM_CHECK(x->dtype == y->dtype, "TypeError")
      << "x and y must have the same dtype, got " << runtime::DLDataType2String(x->dtype) << " and "
      << runtime::DLDataType2String(y->dtype);
  TensorType xy(BroadcastShape(x, y), x->dtype);
  reporter->Assign(types[3], TensorType(BroadcastShape(cond, xy.operator->()), x->dtype));
  return true;
}

TVM_REGISTER_GLOBAL("relay.op._make.where").set_body_typed([](Expr condition, Expr x, Expr y) {
  return Call(Op::Get("where"), {condition, x, y});
});

RELAY_REGISTER_OP("where")
    .describe("x where the condition holds, else y; the three broadcast together")
    .set_num_inputs(3)
    .add_argument("condition", "Tensor", "where to take x")
    .add_argument("x", "Tensor", "values where the condition holds")
    .add_argument("y", "Tensor", "values elsewhere")
    .set_support_level(4)
    .add_type_rel("Where", WhereRel)
    .set_attr<TOpPattern>("TOpPattern", kBroadcast);

}  // namespace

}  // namespace relay
}  // namespace tvm
