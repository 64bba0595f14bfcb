/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/relay/expr.h
 * \brief Relay's expressions: the dataflow graph a model is imported into.
 *
 *   %x: Tensor[(1, 16), float32]
 *   %1 = nn.dense(%x, %w)             Call(Op nn.dense, [Var x, Var w], attrs)
 *   %2 = (%1, %x)                     Tuple
 *   %2.0                              TupleGetItem
 *   let %y = %1; ...                  Let
 *   if (%c) { ... } else { ... }      If
 *   fn (%x) { ... }                   Function (function.h)
 *
 * Nodes are immutable; a graph shares subexpressions (a node used twice is one
 * object). Each expression's type is filled by relay.transform.InferType.
 */
#ifndef TVM_RELAY_EXPR_H_
#define TVM_RELAY_EXPR_H_

#include <tvm/ir/attrs.h>
#include <tvm/ir/expr.h>
#include <tvm/ir/op.h>
#include <tvm/ir/tensor_type.h>
#include <tvm/ir/type.h>
#include <tvm/runtime/ndarray.h>

#include <string>

namespace tvm {
namespace relay {

using Expr = tvm::RelayExpr;
using ExprNode = tvm::RelayExprNode;
using tvm::GlobalVar;
using tvm::GlobalVarNode;
using tvm::Op;
using tvm::OpNode;
using tvm::Span;
using tvm::Type;

#define TVM_RELAY_EXPR_COMMON_FIELDS(v)   \
  v->Visit("span", &span);                \
  v->Visit("_checked_type_", &checked_type_)

/*! \brief A constant tensor (weights, folded values). */
class ConstantNode : public ExprNode {
 public:
  runtime::NDArray data;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("data", &data);
    TVM_RELAY_EXPR_COMMON_FIELDS(v);
  }
  /*! \brief The type its data has. */
  TVM_DLL TensorType tensor_type() const;
  bool is_scalar() const { return data->ndim == 0; }
  static constexpr const char* _type_key = "relay.Constant";
  static constexpr bool _type_final = true;
  using _type_parent = ExprNode;
};

class Constant : public Expr {
 public:
  using ContainerType = ConstantNode;
  using Expr::Expr;
  TVM_DLL explicit Constant(runtime::NDArray data, Span span = Span());
  const ConstantNode* operator->() const { return static_cast<const ConstantNode*>(get()); }
};

class TupleNode : public ExprNode {
 public:
  Array<Expr> fields;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("fields", &fields);
    TVM_RELAY_EXPR_COMMON_FIELDS(v);
  }
  static constexpr const char* _type_key = "relay.Tuple";
  static constexpr StructuralKind _structural_kind = StructuralKind::kGraphNode;
  static constexpr bool _type_final = true;
  using _type_parent = ExprNode;
};

class Tuple : public Expr {
 public:
  using ContainerType = TupleNode;
  using Expr::Expr;
  TVM_DLL explicit Tuple(Array<Expr> fields, Span span = Span());
  const TupleNode* operator->() const { return static_cast<const TupleNode*>(get()); }
};

/*!
 * \brief The identity of a local variable. Copies of a Var (one given a type
 *  annotation by InferType, say) keep its Id: they are the same variable.
 *  Structural equality pairs Ids up where they are bound, like TIR variables.
 */
class IdNode : public Object {
 public:
  String name_hint;
  void VisitAttrs(AttrVisitor* v) { v->Visit("name_hint", &name_hint); }
  static constexpr const char* _type_key = "relay.Id";
  static constexpr bool _type_final = true;
  static constexpr StructuralKind _structural_kind = StructuralKind::kFreeVar;
  using _type_parent = Object;
};

class Id : public ObjectRef {
 public:
  using ContainerType = IdNode;
  using ObjectRef::ObjectRef;
  Id() = default;
  TVM_DLL explicit Id(String name_hint);
  const IdNode* operator->() const { return static_cast<const IdNode*>(get()); }
};

/*!
 * \brief A local variable: a function parameter, a let binding or a pattern
 *  variable. Its vid is its identity; the name is a hint for printing, kept
 *  here as well as in vid so that C++ code reads it directly.
 */
class VarNode : public ExprNode {
 public:
  Id vid;
  /*! \brief Equal to vid->name_hint. */
  String name_hint;
  /*! \brief The type the user declared; null when inference is to find it. */
  Type type_annotation;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("vid", &vid);
    v->Visit("name_hint", &name_hint);
    v->Visit("type_annotation", &type_annotation);
    TVM_RELAY_EXPR_COMMON_FIELDS(v);
  }
  const String& name() const { return name_hint; }
  static constexpr const char* _type_key = "relay.Var";
  static constexpr bool _type_final = true;
  static constexpr StructuralKind _structural_kind = StructuralKind::kGraphNode;
  using _type_parent = ExprNode;
};

class Var : public Expr {
 public:
  using ContainerType = VarNode;
  using Expr::Expr;
  Var() = default;
  TVM_DLL Var(String name_hint, Type type_annotation, Span span = Span());
  /*! \brief Another Var of the variable vid (a copy with a different annotation or span). */
  TVM_DLL Var(Id vid, Type type_annotation, Span span = Span());
  const VarNode* operator->() const { return static_cast<const VarNode*>(get()); }
};

/*!
 * \brief A call of an operator (Op), a function, a global function (GlobalVar)
 *  or a constructor, with the operator's attributes (e.g. Conv2DAttrs).
 */
class CallNode : public ExprNode {
 public:
  Expr op;
  Array<Expr> args;
  Attrs attrs;
  /*! \brief Explicit type arguments of a polymorphic callee (filled by inference). */
  Array<Type> type_args;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("op", &op);
    v->Visit("args", &args);
    v->Visit("attrs", &attrs);
    v->Visit("type_args", &type_args);
    TVM_RELAY_EXPR_COMMON_FIELDS(v);
  }
  static constexpr const char* _type_key = "relay.Call";
  static constexpr StructuralKind _structural_kind = StructuralKind::kGraphNode;
  static constexpr bool _type_final = true;
  using _type_parent = ExprNode;
};

class Call : public Expr {
 public:
  using ContainerType = CallNode;
  using Expr::Expr;
  TVM_DLL Call(Expr op, Array<Expr> args, Attrs attrs = Attrs(), Array<Type> type_args = Array<Type>(),
               Span span = Span());
  const CallNode* operator->() const { return static_cast<const CallNode*>(get()); }
};

/*! \brief let var = value; body */
class LetNode : public ExprNode {
 public:
  Var var;
  Expr value;
  Expr body;
  void VisitAttrs(AttrVisitor* v) {
    v->VisitDef("var", reinterpret_cast<ObjectRef*>(&var));
    v->Visit("value", &value);
    v->Visit("body", &body);
    TVM_RELAY_EXPR_COMMON_FIELDS(v);
  }
  static constexpr const char* _type_key = "relay.Let";
  static constexpr StructuralKind _structural_kind = StructuralKind::kGraphNode;
  static constexpr bool _type_final = true;
  using _type_parent = ExprNode;
};

class Let : public Expr {
 public:
  using ContainerType = LetNode;
  using Expr::Expr;
  TVM_DLL Let(Var var, Expr value, Expr body, Span span = Span());
  const LetNode* operator->() const { return static_cast<const LetNode*>(get()); }
};

/*! \brief if (cond) { true_branch } else { false_branch }; cond is a bool scalar. */
class IfNode : public ExprNode {
 public:
  Expr cond;
  Expr true_branch;
  Expr false_branch;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("cond", &cond);
    v->Visit("true_branch", &true_branch);
    v->Visit("false_branch", &false_branch);
    TVM_RELAY_EXPR_COMMON_FIELDS(v);
  }
  static constexpr const char* _type_key = "relay.If";
  static constexpr StructuralKind _structural_kind = StructuralKind::kGraphNode;
  static constexpr bool _type_final = true;
  using _type_parent = ExprNode;
};

class If : public Expr {
 public:
  using ContainerType = IfNode;
  using Expr::Expr;
  TVM_DLL If(Expr cond, Expr true_branch, Expr false_branch, Span span = Span());
  const IfNode* operator->() const { return static_cast<const IfNode*>(get()); }
};

class TupleGetItemNode : public ExprNode {
 public:
  Expr tuple;
  int index{0};
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("tuple_value", &tuple);
    v->Visit("index", &index);
    TVM_RELAY_EXPR_COMMON_FIELDS(v);
  }
  static constexpr const char* _type_key = "relay.TupleGetItem";
  static constexpr bool _type_final = true;
  using _type_parent = ExprNode;
};

class TupleGetItem : public Expr {
 public:
  using ContainerType = TupleGetItemNode;
  using Expr::Expr;
  TVM_DLL TupleGetItem(Expr tuple, int index, Span span = Span());
  const TupleGetItemNode* operator->() const { return static_cast<const TupleGetItemNode*>(get()); }
};

/*! \brief A new mutable reference cell holding `value`. */
class RefCreateNode : public ExprNode {
 public:
  Expr value;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("value", &value);
    TVM_RELAY_EXPR_COMMON_FIELDS(v);
  }
  static constexpr const char* _type_key = "relay.RefCreate";
  static constexpr StructuralKind _structural_kind = StructuralKind::kGraphNode;
  static constexpr bool _type_final = true;
  using _type_parent = ExprNode;
};

class RefCreate : public Expr {
 public:
  using ContainerType = RefCreateNode;
  using Expr::Expr;
  TVM_DLL explicit RefCreate(Expr value, Span span = Span());
  const RefCreateNode* operator->() const { return static_cast<const RefCreateNode*>(get()); }
};

class RefReadNode : public ExprNode {
 public:
  Expr ref;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("ref", &ref);
    TVM_RELAY_EXPR_COMMON_FIELDS(v);
  }
  static constexpr const char* _type_key = "relay.RefRead";
  static constexpr StructuralKind _structural_kind = StructuralKind::kGraphNode;
  static constexpr bool _type_final = true;
  using _type_parent = ExprNode;
};

class RefRead : public Expr {
 public:
  using ContainerType = RefReadNode;
  using Expr::Expr;
  TVM_DLL explicit RefRead(Expr ref, Span span = Span());
  const RefReadNode* operator->() const { return static_cast<const RefReadNode*>(get()); }
};

class RefWriteNode : public ExprNode {
 public:
  Expr ref;
  Expr value;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("ref", &ref);
    v->Visit("value", &value);
    TVM_RELAY_EXPR_COMMON_FIELDS(v);
  }
  static constexpr const char* _type_key = "relay.RefWrite";
  static constexpr StructuralKind _structural_kind = StructuralKind::kGraphNode;
  static constexpr bool _type_final = true;
  using _type_parent = ExprNode;
};

class RefWrite : public Expr {
 public:
  using ContainerType = RefWriteNode;
  using Expr::Expr;
  TVM_DLL RefWrite(Expr ref, Expr value, Span span = Span());
  const RefWriteNode* operator->() const { return static_cast<const RefWriteNode*>(get()); }
};

}  // namespace relay
}  // namespace tvm
#endif  // TVM_RELAY_EXPR_H_
