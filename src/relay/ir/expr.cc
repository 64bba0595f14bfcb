/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Relay expressions and functions: constructors and reflection.
#include <tvm/relay/expr.h>
#include <tvm/relay/function.h>
#include <tvm/runtime/registry.h>

namespace tvm {
namespace relay {

namespace {
template <typename Node>
ObjectPtr<Node> New(const Span& span) {
  auto n = make_object<Node>();
  n->span = span;
  return n;
}
}  // namespace

Constant::Constant(runtime::NDArray data, Span span) {
  TVM_CHECK(data.defined(), "ValueError") << "relay.Constant needs an NDArray, got None";
  auto n = New<ConstantNode>(span);
  n->data = std::move(data);
  data_ = std::move(n);
}

TensorType ConstantNode::tensor_type() const {
  Array<PrimExpr> shape;
  for (int i = 0; i < data->ndim; ++i) shape.push_back(IntImm(DataType::Int(32), data->shape[i]));
  return TensorType(shape, DataType(data->dtype));
}

Tuple::Tuple(Array<Expr> fields, Span span) {
  for (size_t i = 0; i < fields.size(); ++i) {
    TVM_CHECK(fields[i].defined(), "ValueError") << "relay.Tuple: field " << i << " is None";
  }
  auto n = New<TupleNode>(span);
  n->fields = std::move(fields);
  data_ = std::move(n);
}

Id::Id(String name_hint) {
  auto n = make_object<IdNode>();
  n->name_hint = std::move(name_hint);
  data_ = std::move(n);
}

Var::Var(String name_hint, Type type_annotation, Span span) : Var(Id(std::move(name_hint)), std::move(type_annotation), span) {}

Var::Var(Id vid, Type type_annotation, Span span) {
  TVM_CHECK(vid.defined(), "ValueError") << "relay.Var: the vid is None";
  auto n = New<VarNode>(span);
  n->name_hint = vid->name_hint;
  n->vid = std::move(vid);
  n->type_annotation = std::move(type_annotation);
  data_ = std::move(n);
}

Call::Call(Expr op, Array<Expr> args, Attrs attrs, Array<Type> type_args, Span span) {
  TVM_CHECK(op.defined(), "ValueError") << "relay.Call: the callee is None";
  for (size_t i = 0; i < args.size(); ++i) {
    TVM_CHECK(args[i].defined(), "ValueError") << "relay.Call: argument " << i << " is None";
  }
  auto n = New<CallNode>(span);
  n->op = std::move(op);
  n->args = std::move(args);
  n->attrs = std::move(attrs);
  n->type_args = std::move(type_args);
  data_ = std::move(n);
}

Let::Let(Var var, Expr value, Expr body, Span span) {
  TVM_CHECK(var.defined() && value.defined() && body.defined(), "ValueError")
      << "relay.Let needs a variable, a value and a body";
  auto n = New<LetNode>(span);
  n->var = std::move(var);
  n->value = std::move(value);
  n->body = std::move(body);
  data_ = std::move(n);
}

If::If(Expr cond, Expr true_branch, Expr false_branch, Span span) {
  TVM_CHECK(cond.defined() && true_branch.defined() && false_branch.defined(), "ValueError")
      << "relay.If needs a condition and two branches";
  auto n = New<IfNode>(span);
  n->cond = std::move(cond);
  n->true_branch = std::move(true_branch);
  n->false_branch = std::move(false_branch);
  data_ = std::move(n);
}

TupleGetItem::TupleGetItem(Expr tuple, int index, Span span) {
  TVM_CHECK(tuple.defined(), "ValueError") << "relay.TupleGetItem: the tuple is None";
  TVM_CHECK(index >= 0, "IndexError") << "relay.TupleGetItem: index " << index << " is negative";
  auto n = New<TupleGetItemNode>(span);
  n->tuple = std::move(tuple);
  n->index = index;
  data_ = std::move(n);
}

RefCreate::RefCreate(Expr value, Span span) {
  auto n = New<RefCreateNode>(span);
  n->value = std::move(value);
  data_ = std::move(n);
}

RefRead::RefRead(Expr ref, Span span) {
  auto n = New<RefReadNode>(span);
  n->ref = std::move(ref);
  data_ = std::move(n);
}

RefWrite::RefWrite(Expr ref, Expr value, Span span) {
  auto n = New<RefWriteNode>(span);
  n->ref = std::move(ref);
  n->value = std::move(value);
  data_ = std::move(n);
}

Function::Function(Array<Var> params, Expr body, Type ret_type, Array<TypeVar> type_params, DictAttrs attrs,
                   Span span) {
  TVM_CHECK(body.defined(), "ValueError") << "relay.Function: the body is None";
  auto n = make_object<FunctionNode>();
  n->params = std::move(params);
  n->body = std::move(body);
  n->ret_type = std::move(ret_type);
  n->type_params = std::move(type_params);
  n->attrs = std::move(attrs);
  n->span = std::move(span);
  data_ = std::move(n);
}

FuncType FunctionNode::func_type_annotation() const {
  Array<Type> arg_types;
  for (const Var& p : params) {
    arg_types.push_back(p->type_annotation.defined() ? p->type_annotation : Type(IncompleteType()));
  }
  Type ret = ret_type.defined() ? ret_type : Type(IncompleteType());
  return FuncType(arg_types, ret, type_params, {});
}

TVM_REGISTER_NODE_TYPE(ConstantNode);
TVM_REGISTER_NODE_TYPE(TupleNode);
TVM_REGISTER_NODE_TYPE(IdNode);
TVM_REGISTER_NODE_TYPE(VarNode);
TVM_REGISTER_NODE_TYPE(CallNode);
TVM_REGISTER_NODE_TYPE(LetNode);
TVM_REGISTER_NODE_TYPE(IfNode);
TVM_REGISTER_NODE_TYPE(TupleGetItemNode);
TVM_REGISTER_NODE_TYPE(RefCreateNode);
TVM_REGISTER_NODE_TYPE(RefReadNode);
TVM_REGISTER_NODE_TYPE(RefWriteNode);
TVM_REGISTER_NODE_TYPE(FunctionNode);

TVM_REGISTER_GLOBAL("relay.ir.Constant").set_body_typed([](runtime::NDArray data, std::optional<Span> span) {
  return Constant(data, span.value_or(Span()));
});
TVM_REGISTER_GLOBAL("relay.ir.Tuple").set_body_typed([](Array<Expr> fields, std::optional<Span> span) {
  return Tuple(fields, span.value_or(Span()));
});
TVM_REGISTER_GLOBAL("relay.ir.Var")
    .set_body_typed([](String name, std::optional<Type> type_annotation, std::optional<Span> span) {
      return Var(name, type_annotation.value_or(Type()), span.value_or(Span()));
    });
TVM_REGISTER_GLOBAL("relay.ir.Call")
    .set_body_typed([](Expr op, Array<Expr> args, std::optional<Attrs> attrs, std::optional<Array<Type>> type_args,
                       std::optional<Span> span) {
      return Call(op, args, attrs.value_or(Attrs()), type_args.value_or(Array<Type>()), span.value_or(Span()));
    });
TVM_REGISTER_GLOBAL("relay.ir.Let").set_body_typed([](Var var, Expr value, Expr body, std::optional<Span> span) {
  return Let(var, value, body, span.value_or(Span()));
});
TVM_REGISTER_GLOBAL("relay.ir.If")
    .set_body_typed([](Expr cond, Expr true_branch, Expr false_branch, std::optional<Span> span) {
      return If(cond, true_branch, false_branch, span.value_or(Span()));
    });
TVM_REGISTER_GLOBAL("relay.ir.TupleGetItem").set_body_typed([](Expr tuple, int index, std::optional<Span> span) {
  return TupleGetItem(tuple, index, span.value_or(Span()));
});
TVM_REGISTER_GLOBAL("relay.ir.RefCreate").set_body_typed([](Expr value, std::optional<Span> span) {
  return RefCreate(value, span.value_or(Span()));
});
TVM_REGISTER_GLOBAL("relay.ir.RefRead").set_body_typed([](Expr ref, std::optional<Span> span) {
  return RefRead(ref, span.value_or(Span()));
});
TVM_REGISTER_GLOBAL("relay.ir.RefWrite").set_body_typed([](Expr ref, Expr value, std::optional<Span> span) {
  return RefWrite(ref, value, span.value_or(Span()));
});
TVM_REGISTER_GLOBAL("relay.ir.Function")
    .set_body_typed([](Array<Var> params, Expr body, std::optional<Type> ret_type,
                       std::optional<Array<TypeVar>> type_params, std::optional<DictAttrs> attrs,
                       std::optional<Span> span) {
      return Function(params, body, ret_type.value_or(Type()), type_params.value_or(Array<TypeVar>()),
                      attrs.value_or(DictAttrs()), span.value_or(Span()));
    });

TVM_REGISTER_GLOBAL("relay.ir.FunctionWithAttr").set_body_typed([](Function f, String key, ObjectRef value) {
  return WithAttr(std::move(f), key, value);
});

}  // namespace relay
}  // namespace tvm
