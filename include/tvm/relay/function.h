/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/relay/function.h
 * \brief A Relay function: fn (params) -> ret_type { body }, the unit an
 *  IRModule maps global names to (and a value: closures are functions too).
 */
#ifndef TVM_RELAY_FUNCTION_H_
#define TVM_RELAY_FUNCTION_H_

#include <tvm/ir/function.h>
#include <tvm/relay/expr.h>

namespace tvm {
namespace relay {

/*! \brief Function attributes the compiler sets and reads. */
namespace attr {
/*! \brief A fused group lowered as one kernel (set by FuseOps). */
constexpr const char* kPrimitive = "Primitive";
/*! \brief The compiler a function is offloaded to. */
constexpr const char* kCompiler = "Compiler";
/*! \brief Kept as a closure, not inlined. */
constexpr const char* kClosure = "Closure";
/*! \brief A function that must be inlined at its call sites. */
constexpr const char* kInline = "Inline";
}  // namespace attr

class FunctionNode : public BaseFuncNode {
 public:
  Array<Var> params;
  Expr body;
  /*! \brief The declared result type; null when inference is to find it. */
  Type ret_type;
  /*! \brief Type parameters of a polymorphic function. */
  Array<TypeVar> type_params;
  void VisitAttrs(AttrVisitor* v) {
    v->VisitDef("params", reinterpret_cast<ObjectRef*>(&params));
    v->Visit("body", &body);
    v->Visit("ret_type", &ret_type);
    v->VisitDef("type_params", reinterpret_cast<ObjectRef*>(&type_params));
    v->Visit("attrs", &attrs);
    v->Visit("span", &span);
    v->Visit("_checked_type_", &checked_type_);
  }
  /*! \brief fn(param types) -> ret_type, from the annotations (holes where missing). */
  TVM_DLL FuncType func_type_annotation() const;
  static constexpr const char* _type_key = "relay.Function";
  static constexpr StructuralKind _structural_kind = StructuralKind::kGraphNode;
  static constexpr bool _type_final = true;
  using _type_parent = BaseFuncNode;
};

class Function : public BaseFunc {
 public:
  using ContainerType = FunctionNode;
  using BaseFunc::BaseFunc;
  TVM_DLL Function(Array<Var> params, Expr body, Type ret_type = Type(), Array<TypeVar> type_params = {},
                   DictAttrs attrs = DictAttrs(), Span span = Span());
  const FunctionNode* operator->() const { return static_cast<const FunctionNode*>(get()); }
};

}  // namespace relay
}  // namespace tvm
#endif  // TVM_RELAY_FUNCTION_H_
