/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/ir/attrs.h
 * \brief Attributes attached to functions, modules and operator calls.
 */
#ifndef TVM_IR_ATTRS_H_
#define TVM_IR_ATTRS_H_

#include <tvm/ir/expr.h>
#include <tvm/ir/reflection.h>

#include <optional>
#include <string>

namespace tvm {

/*! \brief The base of attribute objects (typed operator attributes derive from it). */
class BaseAttrsNode : public Object {
 public:
  static constexpr const char* _type_key = "Attrs";
  using _type_parent = Object;
};

class Attrs : public ObjectRef {
 public:
  using ContainerType = BaseAttrsNode;
  using ObjectRef::ObjectRef;
};

/*! \brief Attributes held in a string-keyed dictionary. */
class DictAttrsNode : public BaseAttrsNode {
 public:
  Map<String, ObjectRef> dict;
  void VisitAttrs(AttrVisitor* v) { v->Visit("__dict__", &dict); }
  static constexpr const char* _type_key = "DictAttrs";
  static constexpr bool _type_final = true;
  using _type_parent = BaseAttrsNode;
};

class DictAttrs : public Attrs {
 public:
  using ContainerType = DictAttrsNode;
  using Attrs::Attrs;
  TVM_DLL explicit DictAttrs(Map<String, ObjectRef> dict = {});
  const DictAttrsNode* operator->() const { return static_cast<const DictAttrsNode*>(get()); }

  /*! \brief The attribute `key` as T, or `default_value` when absent (or this is null). */
  template <typename T>
  std::optional<T> GetAttr(const std::string& key, std::optional<T> default_value = std::nullopt) const {
    if (!defined()) return default_value;
    auto v = operator->()->dict.Get(String(key));
    if (!v.has_value()) return default_value;
    return Downcast<T>(*v);
  }
  bool HasNonzeroAttr(const std::string& key) const {
    auto v = GetAttr<Integer>(key);
    return v.has_value() && v->defined() && v->IntValue() != 0;
  }
};

/*! \brief A copy of `attrs` with `key` set to `value`. */
TVM_DLL DictAttrs WithAttr(DictAttrs attrs, const std::string& key, ObjectRef value);

}  // namespace tvm
#endif  // TVM_IR_ATTRS_H_
