/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// The *WithFields builders (relay.expr.CallWithFields, ...): a node with some fields replaced.
//
// A field given as None keeps the node's own. When every field ends up the very object the node
// already holds, the node itself is returned, so a rewriter that changes nothing keeps the graph's
// sharing; otherwise the node is copied (with its inferred type) and the new fields set. Frontends use
// them to give expressions a span without touching their identity-relevant parts (a Var keeps its vid).
#include <tvm/ir/transform.h>
#include <tvm/relay/expr.h>
#include <tvm/relay/function.h>
#include <tvm/runtime/registry.h>

#include <optional>

namespace tvm {
namespace relay {

namespace {

template <typename T>
bool SameArray(const Array<T>& a, const Array<T>& b) {
  if (a.same_as(b)) return true;
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (!a[i].same_as(b[i])) return false;
  }
  return true;
}

// The value given, else the node's own.
template <typename T>
T Pick(const std::optional<T>& given, const T& own) {
  return given.has_value() && given->defined() ? *given : own;
}

// A copy of node (fields, span and inferred type), ready to have fields replaced.
template <typename Node>
ObjectPtr<Node> Copy(const Node* node) {
  return make_object<Node>(*node);
}

}  // namespace

// Whether the frontends give converted expressions the spans of their model nodes (default on);
// read by relay.frontend.common.set_span, switched by tvm.testing.enable/disable_span_filling.
static const bool kFillSpanConfigRegistered =
    (transform::PassContext::RegisterConfigOption("relay.frontend.fill_span", "IntImm"), true);

TVM_REGISTER_GLOBAL("relay.ir.ConstantWithFields")
    .set_body_typed([](Constant node, std::optional<runtime::NDArray> data, std::optional<Span> span) -> Constant {
      runtime::NDArray new_data = data.has_value() && data->defined() ? *data : node->data;
      Span new_span = Pick(span, node->span);
      if (new_data.same_as(node->data) && new_span.same_as(node->span)) return node;
      auto n = Copy(node.operator->());
      n->data = new_data;
      n->span = new_span;
      return Constant(ObjectPtr<Object>(std::move(n)));
    });

TVM_REGISTER_GLOBAL("relay.ir.TupleWithFields")
    .set_body_typed([](Tuple node, std::optional<Array<Expr>> fields, std::optional<Span> span) -> Tuple {
      Array<Expr> new_fields = fields.has_value() ? *fields : node->fields;
      Span new_span = Pick(span, node->span);
      if (SameArray(new_fields, node->fields) && new_span.same_as(node->span)) return node;
      auto n = Copy(node.operator->());
      n->fields = new_fields;
      n->span = new_span;
      return Tuple(ObjectPtr<Object>(std::move(n)));
    });

TVM_REGISTER_GLOBAL("relay.ir.VarWithFields")
    .set_body_typed([](Var node, std::optional<Id> vid, std::optional<Type> type_annotation,
                       std::optional<Span> span) -> Var {
      Id new_vid = Pick(vid, node->vid);
      Type new_type = Pick(type_annotation, node->type_annotation);
      Span new_span = Pick(span, node->span);
      if (new_vid.same_as(node->vid) && new_type.same_as(node->type_annotation) && new_span.same_as(node->span)) {
        return node;
      }
      auto n = Copy(node.operator->());
      n->vid = new_vid;
      n->name_hint = new_vid->name_hint;
      n->type_annotation = new_type;
      n->span = new_span;
      return Var(ObjectPtr<Object>(std::move(n)));
    });

TVM_REGISTER_GLOBAL("relay.ir.CallWithFields")
    .set_body_typed([](Call node, std::optional<Expr> op, std::optional<Array<Expr>> args, std::optional<Attrs> attrs,
                       std::optional<Array<Type>> type_args, std::optional<Span> span) -> Call {
      Expr new_op = Pick(op, node->op);
      Array<Expr> new_args = args.has_value() ? *args : node->args;
      Attrs new_attrs = Pick(attrs, node->attrs);
      Array<Type> new_type_args = type_args.has_value() ? *type_args : node->type_args;
      Span new_span = Pick(span, node->span);
      if (new_op.same_as(node->op) && SameArray(new_args, node->args) && new_attrs.same_as(node->attrs) &&
          SameArray(new_type_args, node->type_args) && new_span.same_as(node->span)) {
        return node;
      }
      for (size_t i = 0; i < new_args.size(); ++i) {
        TVM_CHECK(new_args[i].defined(), "ValueError") << "CallWithFields: argument " << i << " is None";
      }
      auto n = Copy(node.operator->());
      n->op = new_op;
      n->args = new_args;
      n->attrs = new_attrs;
      n->type_args = new_type_args;
      n->span = new_span;
      return Call(ObjectPtr<Object>(std::move(n)));
    });

TVM_REGISTER_GLOBAL("relay.ir.LetWithFields")
    .set_body_typed([](Let node, std::optional<Var> var, std::optional<Expr> value, std::optional<Expr> body,
                       std::optional<Span> span) -> Let {
      Var new_var = Pick(var, node->var);
      Expr new_value = Pick(value, node->value);
      Expr new_body = Pick(body, node->body);
      Span new_span = Pick(span, node->span);
      if (new_var.same_as(node->var) && new_value.same_as(node->value) && new_body.same_as(node->body) &&
          new_span.same_as(node->span)) {
        return node;
      }
      auto n = Copy(node.operator->());
      n->var = new_var;
      n->value = new_value;
      n->body = new_body;
      n->span = new_span;
      return Let(ObjectPtr<Object>(std::move(n)));
    });

TVM_REGISTER_GLOBAL("relay.ir.IfWithFields")
    .set_body_typed([](If node, std::optional<Expr> cond, std::optional<Expr> true_branch,
                       std::optional<Expr> false_branch, std::optional<Span> span) -> If {
      Expr new_cond = Pick(cond, node->cond);
      Expr new_true = Pick(true_branch, node->true_branch);
      Expr new_false = Pick(false_branch, node->false_branch);
      Span new_span = Pick(span, node->span);
      if (new_cond.same_as(node->cond) && new_true.same_as(node->true_branch) &&
          new_false.same_as(node->false_branch) && new_span.same_as(node->span)) {
        return node;
      }
      auto n = Copy(node.operator->());
      n->cond = new_cond;
      n->true_branch = new_true;
      n->false_branch = new_false;
      n->span = new_span;
      return If(ObjectPtr<Object>(std::move(n)));
    });

TVM_REGISTER_GLOBAL("relay.ir.TupleGetItemWithFields")
    .set_body_typed([](TupleGetItem node, std::optional<Expr> tuple, std::optional<int> index,
                       std::optional<Span> span) -> TupleGetItem {
      Expr new_tuple = Pick(tuple, node->tuple);
      int new_index = index.value_or(node->index);
      Span new_span = Pick(span, node->span);
      if (new_tuple.same_as(node->tuple) && new_index == node->index && new_span.same_as(node->span)) return node;
      TVM_CHECK(new_index >= 0, "ValueError") << "TupleGetItemWithFields: index " << new_index << " is negative";
      auto n = Copy(node.operator->());
      n->tuple = new_tuple;
      n->index = new_index;
      n->span = new_span;
      return TupleGetItem(ObjectPtr<Object>(std::move(n)));
    });

TVM_REGISTER_GLOBAL("relay.ir.RefCreateWithFields")
    .set_body_typed([](RefCreate node, std::optional<Expr> value, std::optional<Span> span) -> RefCreate {
      Expr new_value = Pick(value, node->value);
      Span new_span = Pick(span, node->span);
      if (new_value.same_as(node->value) && new_span.same_as(node->span)) return node;
      auto n = Copy(node.operator->());
      n->value = new_value;
      n->span = new_span;
      return RefCreate(ObjectPtr<Object>(std::move(n)));
    });

TVM_REGISTER_GLOBAL("relay.ir.RefReadWithFields")
    .set_body_typed([](RefRead node, std::optional<Expr> ref, std::optional<Span> span) -> RefRead {
      Expr new_ref = Pick(ref, node->ref);
      Span new_span = Pick(span, node->span);
      if (new_ref.same_as(node->ref) && new_span.same_as(node->span)) return node;
      auto n = Copy(node.operator->());
      n->ref = new_ref;
      n->span = new_span;
      return RefRead(ObjectPtr<Object>(std::move(n)));
    });

TVM_REGISTER_GLOBAL("relay.ir.RefWriteWithFields")
    .set_body_typed([](RefWrite node, std::optional<Expr> ref, std::optional<Expr> value,
                       std::optional<Span> span) -> RefWrite {
      Expr new_ref = Pick(ref, node->ref);
      Expr new_value = Pick(value, node->value);
      Span new_span = Pick(span, node->span);
      if (new_ref.same_as(node->ref) && new_value.same_as(node->value) && new_span.same_as(node->span)) return node;
      auto n = Copy(node.operator->());
      n->ref = new_ref;
      n->value = new_value;
      n->span = new_span;
      return RefWrite(ObjectPtr<Object>(std::move(n)));
    });

TVM_REGISTER_GLOBAL("relay.ir.FunctionWithFields")
    .set_body_typed([](Function node, std::optional<Array<Var>> params, std::optional<Expr> body,
                       std::optional<Type> ret_type, std::optional<Array<TypeVar>> type_params,
                       std::optional<DictAttrs> attrs, std::optional<Span> span) -> Function {
      Array<Var> new_params = params.has_value() ? *params : node->params;
      Expr new_body = Pick(body, node->body);
      Type new_ret = Pick(ret_type, node->ret_type);
      Array<TypeVar> new_type_params = type_params.has_value() ? *type_params : node->type_params;
      DictAttrs new_attrs = Pick(attrs, node->attrs);
      Span new_span = Pick(span, node->span);
      if (SameArray(new_params, node->params) && new_body.same_as(node->body) && new_ret.same_as(node->ret_type) &&
          SameArray(new_type_params, node->type_params) && new_attrs.same_as(node->attrs) &&
          new_span.same_as(node->span)) {
        return node;
      }
      auto n = Copy(node.operator->());
      n->params = new_params;
      n->body = new_body;
      n->ret_type = new_ret;
      n->type_params = new_type_params;
      n->attrs = new_attrs;
      n->span = new_span;
      return Function(ObjectPtr<Object>(std::move(n)));
    });

}  // namespace relay
}  // namespace tvm
