/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/tir/expr.h
 * \brief Expressions of the loop IR.
 *
 * Constructors check their operands (matching dtypes, boolean conditions)
 * and throw a TypeError naming the node on a mismatch; the arithmetic
 * helpers of tir/op.h promote types and fold constants before building nodes.
 */
#ifndef TVM_TIR_EXPR_H_
#define TVM_TIR_EXPR_H_

#include <tvm/ir/expr.h>
#include <tvm/ir/op.h>
#include <tvm/tir/buffer.h>
#include <tvm/tir/var.h>

#include <string>

namespace tvm {
namespace tir {

using IntImmNode = tvm::IntImmNode;
using FloatImmNode = tvm::FloatImmNode;

class StringImmNode : public PrimExprNode {
 public:
  String value;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("dtype", &dtype);
    v->Visit("value", &value);
  }
  static constexpr const char* _type_key = "tir.StringImm";
  static constexpr bool _type_final = true;
  using _type_parent = PrimExprNode;
};

class StringImm : public PrimExpr {
 public:
  using ContainerType = StringImmNode;
  StringImm() = default;
  explicit StringImm(ObjectPtr<Object> n) : PrimExpr(std::move(n)) {}
  TVM_DLL explicit StringImm(String value);
  const StringImmNode* operator->() const { return static_cast<const StringImmNode*>(get()); }
};

class CastNode : public PrimExprNode {
 public:
  PrimExpr value;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("dtype", &dtype);
    v->Visit("value", &value);
  }
  static constexpr const char* _type_key = "tir.Cast";
  static constexpr bool _type_final = true;
  using _type_parent = PrimExprNode;
};

class Cast : public PrimExpr {
 public:
  using ContainerType = CastNode;
  Cast() = default;
  explicit Cast(ObjectPtr<Object> n) : PrimExpr(std::move(n)) {}
  TVM_DLL Cast(DataType dtype, PrimExpr value);
  const CastNode* operator->() const { return static_cast<const CastNode*>(get()); }
};

/*! \brief The shape of every two-operand node: fields a and b. */
class BinaryOpNodeBase : public PrimExprNode {
 public:
  PrimExpr a;
  PrimExpr b;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("dtype", &dtype);
    v->Visit("a", &a);
    v->Visit("b", &b);
  }
  static constexpr const char* _type_key = "tir.BinaryOp";
  using _type_parent = PrimExprNode;
};

/*! \brief A final two-operand node type; each subclass names its type key. */
template <typename Self>
class BinaryOpNode : public BinaryOpNodeBase {
 public:
  using _type_parent = BinaryOpNodeBase;
  static constexpr bool _type_final = true;
};

template <typename NodeType>
class BinaryOpRef : public PrimExpr {
 public:
  using ContainerType = NodeType;
  BinaryOpRef() = default;
  explicit BinaryOpRef(ObjectPtr<Object> n) : PrimExpr(std::move(n)) {}
  const NodeType* operator->() const { return static_cast<const NodeType*>(get()); }
};

// Arithmetic: the result has the operands' dtype.
class AddNode : public BinaryOpNode<AddNode> { public: static constexpr const char* _type_key = "tir.Add"; };
class SubNode : public BinaryOpNode<SubNode> { public: static constexpr const char* _type_key = "tir.Sub"; };
class MulNode : public BinaryOpNode<MulNode> { public: static constexpr const char* _type_key = "tir.Mul"; };
/*! \brief Division rounding towards zero (C semantics) for integers. */
class DivNode : public BinaryOpNode<DivNode> { public: static constexpr const char* _type_key = "tir.Div"; };
/*! \brief Remainder with the sign of the dividend (C semantics). */
class ModNode : public BinaryOpNode<ModNode> { public: static constexpr const char* _type_key = "tir.Mod"; };
/*! \brief Division rounding towards negative infinity. */
class FloorDivNode : public BinaryOpNode<FloorDivNode> { public: static constexpr const char* _type_key = "tir.FloorDiv"; };
/*! \brief Remainder with the sign of the divisor. */
class FloorModNode : public BinaryOpNode<FloorModNode> { public: static constexpr const char* _type_key = "tir.FloorMod"; };
class MinNode : public BinaryOpNode<MinNode> { public: static constexpr const char* _type_key = "tir.Min"; };
class MaxNode : public BinaryOpNode<MaxNode> { public: static constexpr const char* _type_key = "tir.Max"; };
// Comparisons: the result is bool (with the operands' lanes).
class EQNode : public BinaryOpNode<EQNode> { public: static constexpr const char* _type_key = "tir.EQ"; };
class NENode : public BinaryOpNode<NENode> { public: static constexpr const char* _type_key = "tir.NE"; };
class LTNode : public BinaryOpNode<LTNode> { public: static constexpr const char* _type_key = "tir.LT"; };
class LENode : public BinaryOpNode<LENode> { public: static constexpr const char* _type_key = "tir.LE"; };
class GTNode : public BinaryOpNode<GTNode> { public: static constexpr const char* _type_key = "tir.GT"; };
class GENode : public BinaryOpNode<GENode> { public: static constexpr const char* _type_key = "tir.GE"; };
// Logic on booleans.
class AndNode : public BinaryOpNode<AndNode> { public: static constexpr const char* _type_key = "tir.And"; };
class OrNode : public BinaryOpNode<OrNode> { public: static constexpr const char* _type_key = "tir.Or"; };

class Add : public BinaryOpRef<AddNode> {
 public:
  using BinaryOpRef::BinaryOpRef;
  Add() = default;
  TVM_DLL Add(PrimExpr a, PrimExpr b);
};

class Sub : public BinaryOpRef<SubNode> {
 public:
  using BinaryOpRef::BinaryOpRef;
  Sub() = default;
  TVM_DLL Sub(PrimExpr a, PrimExpr b);
};

class Mul : public BinaryOpRef<MulNode> {
 public:
  using BinaryOpRef::BinaryOpRef;
  Mul() = default;
  TVM_DLL Mul(PrimExpr a, PrimExpr b);
};

class Div : public BinaryOpRef<DivNode> {
 public:
  using BinaryOpRef::BinaryOpRef;
  Div() = default;
  TVM_DLL Div(PrimExpr a, PrimExpr b);
};

class Mod : public BinaryOpRef<ModNode> {
 public:
  using BinaryOpRef::BinaryOpRef;
  Mod() = default;
  TVM_DLL Mod(PrimExpr a, PrimExpr b);
};

class FloorDiv : public BinaryOpRef<FloorDivNode> {
 public:
  using BinaryOpRef::BinaryOpRef;
  FloorDiv() = default;
  TVM_DLL FloorDiv(PrimExpr a, PrimExpr b);
};

class FloorMod : public BinaryOpRef<FloorModNode> {
 public:
  using BinaryOpRef::BinaryOpRef;
  FloorMod() = default;
  TVM_DLL FloorMod(PrimExpr a, PrimExpr b);
};

class Min : public BinaryOpRef<MinNode> {
 public:
  using BinaryOpRef::BinaryOpRef;
  Min() = default;
  TVM_DLL Min(PrimExpr a, PrimExpr b);
};

class Max : public BinaryOpRef<MaxNode> {
 public:
  using BinaryOpRef::BinaryOpRef;
  Max() = default;
  TVM_DLL Max(PrimExpr a, PrimExpr b);
};

class EQ : public BinaryOpRef<EQNode> {
 public:
  using BinaryOpRef::BinaryOpRef;
  EQ() = default;
  TVM_DLL EQ(PrimExpr a, PrimExpr b);
};

class NE : public BinaryOpRef<NENode> {
 public:
  using BinaryOpRef::BinaryOpRef;
  NE() = default;
  TVM_DLL NE(PrimExpr a, PrimExpr b);
};

class LT : public BinaryOpRef<LTNode> {
 public:
  using BinaryOpRef::BinaryOpRef;
  LT() = default;
  TVM_DLL LT(PrimExpr a, PrimExpr b);
};

class LE : public BinaryOpRef<LENode> {
 public:
  using BinaryOpRef::BinaryOpRef;
  LE() = default;
  TVM_DLL LE(PrimExpr a, PrimExpr b);
};

class GT : public BinaryOpRef<GTNode> {
 public:
  using BinaryOpRef::BinaryOpRef;
  GT() = default;
  TVM_DLL GT(PrimExpr a, PrimExpr b);
};

class GE : public BinaryOpRef<GENode> {
 public:
  using BinaryOpRef::BinaryOpRef;
  GE() = default;
  TVM_DLL GE(PrimExpr a, PrimExpr b);
};

class And : public BinaryOpRef<AndNode> {
 public:
  using BinaryOpRef::BinaryOpRef;
  And() = default;
  TVM_DLL And(PrimExpr a, PrimExpr b);
};

class Or : public BinaryOpRef<OrNode> {
 public:
  using BinaryOpRef::BinaryOpRef;
  Or() = default;
  TVM_DLL Or(PrimExpr a, PrimExpr b);
};

class NotNode : public PrimExprNode {
 public:
  PrimExpr a;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("dtype", &dtype);
    v->Visit("a", &a);
  }
  static constexpr const char* _type_key = "tir.Not";
  static constexpr bool _type_final = true;
  using _type_parent = PrimExprNode;
};

class Not : public PrimExpr {
 public:
  using ContainerType = NotNode;
  Not() = default;
  explicit Not(ObjectPtr<Object> n) : PrimExpr(std::move(n)) {}
  TVM_DLL explicit Not(PrimExpr a);
  const NotNode* operator->() const { return static_cast<const NotNode*>(get()); }
};

/*! \brief condition ? true_value : false_value, evaluating both sides (no short circuit). */
class SelectNode : public PrimExprNode {
 public:
  PrimExpr condition;
  PrimExpr true_value;
  PrimExpr false_value;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("dtype", &dtype);
    v->Visit("condition", &condition);
    v->Visit("true_value", &true_value);
    v->Visit("false_value", &false_value);
  }
  static constexpr const char* _type_key = "tir.Select";
  static constexpr bool _type_final = true;
  using _type_parent = PrimExprNode;
};

class Select : public PrimExpr {
 public:
  using ContainerType = SelectNode;
  Select() = default;
  explicit Select(ObjectPtr<Object> n) : PrimExpr(std::move(n)) {}
  TVM_DLL Select(PrimExpr condition, PrimExpr true_value, PrimExpr false_value);
  const SelectNode* operator->() const { return static_cast<const SelectNode*>(get()); }
};

/*! \brief Read buffer[indices] (the last index may be a Ramp for a vector load). */
class BufferLoadNode : public PrimExprNode {
 public:
  Buffer buffer;
  Array<PrimExpr> indices;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("dtype", &dtype);
    v->Visit("buffer", &buffer);
    v->Visit("indices", &indices);
  }
  static constexpr const char* _type_key = "tir.BufferLoad";
  static constexpr bool _type_final = true;
  using _type_parent = PrimExprNode;
};

class BufferLoad : public PrimExpr {
 public:
  using ContainerType = BufferLoadNode;
  BufferLoad() = default;
  explicit BufferLoad(ObjectPtr<Object> n) : PrimExpr(std::move(n)) {}
  /*! \throws Error (ValueError) when the number of indices does not match the buffer's rank. */
  TVM_DLL BufferLoad(Buffer buffer, Array<PrimExpr> indices);
  const BufferLoadNode* operator->() const { return static_cast<const BufferLoadNode*>(get()); }
};

/*!
 * \brief Something that produces data addressed by indices before buffers
 *  exist (a te.Tensor). ProducerLoad/Store/Realize refer to it.
 */
class DataProducerNode : public Object {
 public:
  virtual Array<PrimExpr> GetShape() const = 0;
  virtual DataType GetDataType() const = 0;
  virtual String GetNameHint() const = 0;
  static constexpr const char* _type_key = "tir.DataProducer";
  using _type_parent = Object;
};

class DataProducer : public ObjectRef {
 public:
  using ContainerType = DataProducerNode;
  using ObjectRef::ObjectRef;
  DataProducer() = default;
  const DataProducerNode* operator->() const { return static_cast<const DataProducerNode*>(get()); }
};

class ProducerLoadNode : public PrimExprNode {
 public:
  DataProducer producer;
  Array<PrimExpr> indices;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("dtype", &dtype);
    v->Visit("producer", &producer);
    v->Visit("indices", &indices);
  }
  static constexpr const char* _type_key = "tir.ProducerLoad";
  static constexpr bool _type_final = true;
  using _type_parent = PrimExprNode;
};

class ProducerLoad : public PrimExpr {
 public:
  using ContainerType = ProducerLoadNode;
  ProducerLoad() = default;
  explicit ProducerLoad(ObjectPtr<Object> n) : PrimExpr(std::move(n)) {}
  TVM_DLL ProducerLoad(DataProducer producer, Array<PrimExpr> indices);
  const ProducerLoadNode* operator->() const { return static_cast<const ProducerLoadNode*>(get()); }
};

/*! \brief The vector [base, base + stride, ..., base + (lanes-1)*stride]. */
class RampNode : public PrimExprNode {
 public:
  PrimExpr base;
  PrimExpr stride;
  int lanes;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("dtype", &dtype);
    v->Visit("base", &base);
    v->Visit("stride", &stride);
    v->Visit("lanes", &lanes);
  }
  static constexpr const char* _type_key = "tir.Ramp";
  static constexpr bool _type_final = true;
  using _type_parent = PrimExprNode;
};

class Ramp : public PrimExpr {
 public:
  using ContainerType = RampNode;
  Ramp() = default;
  explicit Ramp(ObjectPtr<Object> n) : PrimExpr(std::move(n)) {}
  TVM_DLL Ramp(PrimExpr base, PrimExpr stride, int lanes);
  const RampNode* operator->() const { return static_cast<const RampNode*>(get()); }
};

/*! \brief A scalar repeated `lanes` times. */
class BroadcastNode : public PrimExprNode {
 public:
  PrimExpr value;
  int lanes;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("dtype", &dtype);
    v->Visit("value", &value);
    v->Visit("lanes", &lanes);
  }
  static constexpr const char* _type_key = "tir.Broadcast";
  static constexpr bool _type_final = true;
  using _type_parent = PrimExprNode;
};

class Broadcast : public PrimExpr {
 public:
  using ContainerType = BroadcastNode;
  Broadcast() = default;
  explicit Broadcast(ObjectPtr<Object> n) : PrimExpr(std::move(n)) {}
  TVM_DLL Broadcast(PrimExpr value, int lanes);
  const BroadcastNode* operator->() const { return static_cast<const BroadcastNode*>(get()); }
};

/*! \brief let var = value in body. */
class LetNode : public PrimExprNode {
 public:
  Var var;
  PrimExpr value;
  PrimExpr body;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("dtype", &dtype);
    v->VisitDef("var", &var);
    v->Visit("value", &value);
    v->Visit("body", &body);
  }
  static constexpr const char* _type_key = "tir.Let";
  static constexpr bool _type_final = true;
  using _type_parent = PrimExprNode;
};

class Let : public PrimExpr {
 public:
  using ContainerType = LetNode;
  Let() = default;
  explicit Let(ObjectPtr<Object> n) : PrimExpr(std::move(n)) {}
  TVM_DLL Let(Var var, PrimExpr value, PrimExpr body);
  const LetNode* operator->() const { return static_cast<const LetNode*>(get()); }
};

/*! \brief A call of an Op (builtin or intrinsic) or of a GlobalVar. */
class CallNode : public PrimExprNode {
 public:
  /*! \brief An Op or a GlobalVar. */
  RelayExpr op;
  Array<PrimExpr> args;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("dtype", &dtype);
    v->Visit("op", &op);
    v->Visit("args", &args);
  }
  static constexpr const char* _type_key = "tir.Call";
  static constexpr bool _type_final = true;
  using _type_parent = PrimExprNode;
};

class Call : public PrimExpr {
 public:
  using ContainerType = CallNode;
  Call() = default;
  explicit Call(ObjectPtr<Object> n) : PrimExpr(std::move(n)) {}
  TVM_DLL Call(DataType dtype, RelayExpr op, Array<PrimExpr> args);
  const CallNode* operator->() const { return static_cast<const CallNode*>(get()); }
};

/*! \brief Concatenate `vectors` and pick lanes by `indices`. */
class ShuffleNode : public PrimExprNode {
 public:
  Array<PrimExpr> vectors;
  Array<PrimExpr> indices;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("dtype", &dtype);
    v->Visit("vectors", &vectors);
    v->Visit("indices", &indices);
  }
  static constexpr const char* _type_key = "tir.Shuffle";
  static constexpr bool _type_final = true;
  using _type_parent = PrimExprNode;
};

class Shuffle : public PrimExpr {
 public:
  using ContainerType = ShuffleNode;
  Shuffle() = default;
  explicit Shuffle(ObjectPtr<Object> n) : PrimExpr(std::move(n)) {}
  TVM_DLL Shuffle(Array<PrimExpr> vectors, Array<PrimExpr> indices);
  TVM_DLL static PrimExpr Concat(Array<PrimExpr> vectors);
  TVM_DLL static PrimExpr ExtractElement(PrimExpr vector, int index);
  const ShuffleNode* operator->() const { return static_cast<const ShuffleNode*>(get()); }
};

/*!
 * \brief A commutative reducer: result(lhs, rhs) with an identity element;
 *  tuple reducers (argmax) have several lhs/rhs/result entries.
 */
class CommReducerNode : public Object {
 public:
  Array<Var> lhs;
  Array<Var> rhs;
  Array<PrimExpr> result;
  Array<PrimExpr> identity_element;
  /*! \brief Combine two tuples of values. */
  TVM_DLL Array<PrimExpr> operator()(Array<PrimExpr> a, Array<PrimExpr> b) const;
  void VisitAttrs(AttrVisitor* v) {
    v->VisitDef("lhs", &lhs);
    v->VisitDef("rhs", &rhs);
    v->Visit("result", &result);
    v->Visit("identity_element", &identity_element);
  }
  static constexpr const char* _type_key = "tir.CommReducer";
  static constexpr bool _type_final = true;
  using _type_parent = Object;
};

class CommReducer : public ObjectRef {
 public:
  using ContainerType = CommReducerNode;
  using ObjectRef::ObjectRef;
  CommReducer() = default;
  TVM_DLL CommReducer(Array<Var> lhs, Array<Var> rhs, Array<PrimExpr> result, Array<PrimExpr> identity_element);
  const CommReducerNode* operator->() const { return static_cast<const CommReducerNode*>(get()); }
};

/*! \brief A reduction over `axis` (only inside a te.compute body). */
class ReduceNode : public PrimExprNode {
 public:
  CommReducer combiner;
  Array<PrimExpr> source;
  Array<IterVar> axis;
  /*! \brief Elements where it is false do not take part. */
  PrimExpr condition;
  /*! \brief Which output of a tuple reduction this expression is. */
  int value_index;
  /*! \brief Initial values (instead of the identity), if given. */
  Array<PrimExpr> init;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("dtype", &dtype);
    v->Visit("combiner", &combiner);
    v->Visit("source", &source);
    v->Visit("init", &init);
    v->VisitDef("axis", &axis);
    v->Visit("condition", &condition);
    v->Visit("value_index", &value_index);
  }
  static constexpr const char* _type_key = "tir.Reduce";
  static constexpr bool _type_final = true;
  using _type_parent = PrimExprNode;
};

class Reduce : public PrimExpr {
 public:
  using ContainerType = ReduceNode;
  Reduce() = default;
  explicit Reduce(ObjectPtr<Object> n) : PrimExpr(std::move(n)) {}
  TVM_DLL Reduce(CommReducer combiner, Array<PrimExpr> source, Array<IterVar> axis, PrimExpr condition,
                 int value_index, Array<PrimExpr> init);
  const ReduceNode* operator->() const { return static_cast<const ReduceNode*>(get()); }
};

/*! \brief An unknown dimension (dynamic shapes). */
class AnyNode : public PrimExprNode {
 public:
  void VisitAttrs(AttrVisitor* v) { v->Visit("dtype", &dtype); }
  static constexpr const char* _type_key = "tir.Any";
  static constexpr bool _type_final = true;
  using _type_parent = PrimExprNode;
};

class Any : public PrimExpr {
 public:
  using ContainerType = AnyNode;
  explicit Any(ObjectPtr<Object> n) : PrimExpr(std::move(n)) {}
  TVM_DLL Any();
};

}  // namespace tir
}  // namespace tvm
#endif  // TVM_TIR_EXPR_H_
