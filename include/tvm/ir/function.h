/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/ir/function.h
 * \brief BaseFunc: what an IRModule maps names to (tir.PrimFunc, relay.Function).
 */
#ifndef TVM_IR_FUNCTION_H_
#define TVM_IR_FUNCTION_H_

#include <tvm/ir/attrs.h>
#include <tvm/ir/expr.h>

#include <string>

namespace tvm {

/*! \brief Well-known function attribute names. */
namespace attr {
/*! \brief The symbol a function is exported under. */
constexpr const char* kGlobalSymbol = "global_symbol";
/*! \brief The target a function is compiled for. */
constexpr const char* kTarget = "target";
}  // namespace attr

class BaseFuncNode : public RelayExprNode {
 public:
  DictAttrs attrs;
  template <typename T>
  std::optional<T> GetAttr(const std::string& key, std::optional<T> default_value = std::nullopt) const {
    return attrs.GetAttr<T>(key, default_value);
  }
  static constexpr const char* _type_key = "BaseFunc";
  using _type_parent = RelayExprNode;
};

class BaseFunc : public RelayExpr {
 public:
  using ContainerType = BaseFuncNode;
  using RelayExpr::RelayExpr;
  const BaseFuncNode* operator->() const { return static_cast<const BaseFuncNode*>(get()); }
};

/*!
 * \brief A copy of `func` with attribute `key` set (copy-on-write: no copy when
 *  `func` is the only reference).
 */
template <typename TFunc>
inline TFunc WithAttr(TFunc func, const std::string& key, ObjectRef value) {
  using Node = typename TFunc::ContainerType;
  auto* node = const_cast<Node*>(static_cast<const Node*>(func.get()));
  ObjectPtr<Node> n = func.unique() ? runtime::GetObjectPtr<Node>(node) : make_object<Node>(*node);
  n->attrs = WithAttr(n->attrs, key, std::move(value));
  return TFunc(ObjectPtr<Object>(std::move(n)));
}

}  // namespace tvm
#endif  // TVM_IR_FUNCTION_H_
