/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file type_relations.h
 * \brief Type relations shared by many operators: identity (elementwise) and
 *  numpy-style broadcasting, with an optional check of the element kind.
 *
 *   RELAY_REGISTER_OP("add")...add_type_rel("Broadcast", BroadcastRel);
 *   RELAY_REGISTER_OP("logical_and")...add_type_rel("Broadcast", MakeBroadcastRel(DTypeClass::kBool, ...));
 */
#ifndef TVM_RELAY_OP_TYPE_RELATIONS_H_
#define TVM_RELAY_OP_TYPE_RELATIONS_H_

#include <tvm/ir/type_relation.h>
#include <tvm/relay/op.h>

#include <string>

namespace tvm {
namespace relay {

/*! \brief The element types an operator accepts. */
enum class DTypeClass : int {
  kAny = 0,
  kFloat = 1,    // float16/32/64, bfloat16
  kInteger = 2,  // int and uint, bool included (bitwise operators)
  kBool = 3,     // bool only (logical operators)
};

/*! \brief "a float", "an integer (int or uint)", "a bool", for messages. */
const char* DTypeClassName(DTypeClass c);
/*! \brief Whether `dtype` is of class `c`. */
bool DTypeIn(DataType dtype, DTypeClass c);

/*!
 * \brief The broadcast shape of two shapes (numpy rules, aligned on the right):
 *  equal dimensions stay, 1 stretches, an Any dimension against 1 or Any stays Any,
 *  against a known n > 1 gives n. Throws TypeError naming both shapes otherwise.
 */
Array<PrimExpr> BroadcastShape(const TensorTypeNode* a, const TensorTypeNode* b);

/*! \brief All arguments and the result are the same type, of any kind (TVM's "Identity"). */
bool IdentityRel(const Array<Type>& types, int num_inputs, const Attrs& attrs, const TypeReporter& reporter);
/*! \brief out = broadcast(in0, in1), same dtype as both. */
bool BroadcastRel(const Array<Type>& types, int num_inputs, const Attrs& attrs, const TypeReporter& reporter);
/*! \brief out = broadcast(in0, in1) of dtype bool (comparisons). */
bool BroadcastCompRel(const Array<Type>& types, int num_inputs, const Attrs& attrs, const TypeReporter& reporter);

/*!
 * \brief A unary relation accepting `input` element types; the result has the
 *  input's shape and its dtype, or bool when `bool_output`.
 */
TypeRelationFn MakeUnaryRel(DTypeClass input, bool bool_output);
/*! \brief A broadcast relation accepting `input` element types (both sides the same dtype). */
TypeRelationFn MakeBroadcastRel(DTypeClass input, bool bool_output);

/*! \brief The tensor type of argument `i`, or null while unknown; TypeError naming it when not a tensor. */
const TensorTypeNode* TensorArg(const Array<Type>& types, int i, const char* name);

}  // namespace relay
}  // namespace tvm
#endif  // TVM_RELAY_OP_TYPE_RELATIONS_H_
