/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file op_common.h
 * \brief Registering an operator together with its Python constructor
 *  "relay.op._make.<name>" (the function relay.<name> calls).
 */
#ifndef TVM_RELAY_OP_OP_COMMON_H_
#define TVM_RELAY_OP_OP_COMMON_H_

#include <tvm/relay/op.h>
#include <tvm/runtime/registry.h>

#include <string>

namespace tvm {
namespace relay {

/*! \brief Register `name` taking one tensor, and relay.op._make.<name>(data). */
inline OpRegEntry& RegisterUnaryOp(const std::string& name, const std::string& description, TypeRelationFn rel,
                                   int support_level, OpPatternKind pattern = kElemWise) {
  runtime::Registry::Register("relay.op._make." + name).set_body_typed([name](Expr data) {
    return Call(Op::Get(name), {data});
  });
  return OpRegEntry::RegisterOrGet(name)
      .describe(description)
      .set_num_inputs(1)
      .add_argument("data", "Tensor", "the input")
      .set_support_level(support_level)
      .add_type_rel("Identity", std::move(rel))
      .set_attr<TOpPattern>("TOpPattern", pattern);
}

/*! \brief Register `name` taking two broadcast tensors, and relay.op._make.<name>(lhs, rhs). */
inline OpRegEntry& RegisterBinaryOp(const std::string& name, const std::string& description, TypeRelationFn rel,
                                    int support_level, OpPatternKind pattern = kBroadcast) {
  runtime::Registry::Register("relay.op._make." + name).set_body_typed([name](Expr lhs, Expr rhs) {
    return Call(Op::Get(name), {lhs, rhs});
  });
  return OpRegEntry::RegisterOrGet(name)
      .describe(description)
      .set_num_inputs(2)
      .add_argument("lhs", "Tensor", "the left operand")
      .add_argument("rhs", "Tensor", "the right operand")
      .set_support_level(support_level)
      .add_type_rel("Broadcast", std::move(rel))
      .set_attr<TOpPattern>("TOpPattern", pattern);
}

}  // namespace relay
}  // namespace tvm
#endif  // TVM_RELAY_OP_OP_COMMON_H_
