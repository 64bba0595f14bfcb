/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/ir/op.h
 * \brief Op: a primitive operator (relay "nn.conv2d", tir "tir.exp"), kept in
 *  one registry, with typed attributes attached per operator by the layers
 *  that need them (type relations, compute, schedules, layouts).
 *
 *   TVM_REGISTER_OP("add").set_num_inputs(2).set_attr<int>("TOpPattern", 0);
 *   OpAttrMap<int> pattern = Op::GetAttrMap<int>("TOpPattern");
 *   int p = pattern[Op::Get("add")];
 */
#ifndef TVM_IR_OP_H_
#define TVM_IR_OP_H_

#include <tvm/ir/attrs.h>
#include <tvm/ir/expr.h>
#include <tvm/ir/type.h>
#include <tvm/ir/type_relation.h>
#include <tvm/runtime/packed_func.h>

#include <string>
#include <vector>

namespace tvm {

/*! \brief Description of one operator argument. */
class AttrFieldInfoNode : public Object {
 public:
  String name;
  String type_info;
  String description;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("name", &name);
    v->Visit("type_info", &type_info);
    v->Visit("description", &description);
  }
  static constexpr const char* _type_key = "AttrFieldInfo";
  static constexpr bool _type_final = true;
  using _type_parent = Object;
};

class AttrFieldInfo : public ObjectRef {
 public:
  using ContainerType = AttrFieldInfoNode;
  using ObjectRef::ObjectRef;
  const AttrFieldInfoNode* operator->() const { return static_cast<const AttrFieldInfoNode*>(get()); }
};

class OpNode : public RelayExprNode {
 public:
  String name;
  /*! \brief The operator's type, when it is known independently of its calls. */
  Type op_type;
  String description;
  Array<AttrFieldInfo> arguments;
  /*! \brief The type key of the operator's attribute object, if any. */
  String attrs_type_key;
  /*! \brief Number of inputs; -1 means variadic. */
  int32_t num_inputs = -1;
  /*! \brief 1 is the most basic operators; higher levels are more specialised. */
  int32_t support_level = 10;

  void VisitAttrs(AttrVisitor* v) {
    v->Visit("name", &name);
    v->Visit("op_type", &op_type);
    v->Visit("description", &description);
    v->Visit("arguments", &arguments);
    v->Visit("attrs_type_key", &attrs_type_key);
    v->Visit("num_inputs", &num_inputs);
    v->Visit("support_level", &support_level);
  }

  static constexpr const char* _type_key = "Op";
  static constexpr bool _type_final = true;
  static constexpr StructuralKind _structural_kind = StructuralKind::kUniqueInstance;
  using _type_parent = RelayExprNode;

 private:
  uint32_t index_{0};
  friend class Op;
  friend class OpRegEntry;
  friend class OpAttrMapBase;
};

class OpAttrMapBase;
template <typename ValueType>
class OpAttrMap;

class Op : public RelayExpr {
 public:
  using ContainerType = OpNode;
  using RelayExpr::RelayExpr;
  Op() = default;
  const OpNode* operator->() const { return static_cast<const OpNode*>(get()); }

  /*!
   * \brief The registered operator `name`.
   * \throws Error (AttributeError) naming the operator when it is not registered.
   */
  TVM_DLL static const Op& Get(const std::string& name);
  TVM_DLL static bool HasAttrMap(const std::string& attr_name);
  /*! \brief The map of attribute `attr_name` over all operators. */
  template <typename ValueType>
  static OpAttrMap<ValueType> GetAttrMap(const std::string& attr_name);
  /*! \brief Names of all registered operators, sorted. */
  TVM_DLL static std::vector<std::string> ListNames();
  /*! \brief The untyped map of attribute `attr_name`. */
  TVM_DLL static const OpAttrMapBase& GetAttrMapContainer(const std::string& attr_name);
};

/*! \brief The values of one attribute, indexed by operator. */
class TVM_DLL OpAttrMapBase {
 public:
  const std::string& attr_name() const { return attr_name_; }
  size_t count(const Op& op) const;
  const runtime::TVMRetValue& operator[](const Op& op) const;
  const runtime::TVMRetValue* Find(const Op& op) const;

 private:
  std::string attr_name_;
  std::vector<std::pair<runtime::TVMRetValue, int>> data_;  // value and its priority level
  friend class OpRegEntry;
  friend struct OpRegistryTable;
};

template <typename ValueType>
class OpAttrMap {
 public:
  explicit OpAttrMap(const OpAttrMapBase& base) : base_(base) {}
  size_t count(const Op& op) const { return base_.count(op); }
  /*! \throws Error naming the operator and attribute when the operator lacks it. */
  ValueType operator[](const Op& op) const { return base_[op].template AsType<ValueType>(); }
  ValueType get(const Op& op, ValueType default_value) const {
    const runtime::TVMRetValue* v = base_.Find(op);
    return v != nullptr ? v->template AsType<ValueType>() : default_value;
  }

 private:
  const OpAttrMapBase& base_;
};

template <typename ValueType>
inline OpAttrMap<ValueType> Op::GetAttrMap(const std::string& attr_name) {
  return OpAttrMap<ValueType>(GetAttrMapContainer(attr_name));
}

/*! \brief Builder returned by TVM_REGISTER_OP. */
class TVM_DLL OpRegEntry {
 public:
  const Op& op() const { return op_; }
  OpRegEntry& describe(const std::string& description);
  OpRegEntry& add_argument(const std::string& name, const std::string& type, const std::string& description);
  OpRegEntry& set_num_inputs(int32_t n);
  OpRegEntry& set_support_level(int32_t level);
  OpRegEntry& set_attrs_type_key(const std::string& key);
  OpRegEntry& set_op_type(Type type);
  /*! \brief The attribute node type calls of this operator carry (e.g. Conv2DAttrs). */
  template <typename AttrsType>
  OpRegEntry& set_attrs_type() {
    return set_attrs_type_key(AttrsType::_type_key);
  }
  /*!
   * \brief The operator's type: fn<T0..Tn>(T0..Tn-1) -> Tn where rel_name(T0..Tn),
   *  for the num_inputs set before (set_num_inputs). Type inference calls
   *  `rel` for each call of the operator; see type_relation.h.
   */
  OpRegEntry& add_type_rel(const std::string& rel_name, TypeRelationFn rel);
  /*!
   * \brief Attach attribute `attr_name` to this operator.
   * \param plevel Priority: a later registration replaces an earlier one only
   *  with a higher level; equal levels are an error.
   */
  template <typename ValueType>
  OpRegEntry& set_attr(const std::string& attr_name, const ValueType& value, int plevel = 10) {
    runtime::TVMRetValue rv;
    rv = value;
    return SetAttrValue(attr_name, rv, plevel);
  }
  OpRegEntry& SetAttrValue(const std::string& attr_name, const runtime::TVMRetValue& value, int plevel);
  /*! \brief Remove attribute `attr_name` from this operator. */
  void reset_attr(const std::string& attr_name);

  /*! \brief The entry of `name`, created on first use. */
  static OpRegEntry& RegisterOrGet(const std::string& name);

 private:
  explicit OpRegEntry(uint32_t index, const std::string& name);
  OpNode* get() { return const_cast<OpNode*>(op_.operator->()); }
  Op op_;
  friend struct OpRegistryTable;
};

}  // namespace tvm

#define TVM_REGISTER_OP(OpName)                                                        \
  [[maybe_unused]] static ::tvm::OpRegEntry& TVM_REFLECTION_CONCAT(__tvm_op_reg_, __COUNTER__) = \
      ::tvm::OpRegEntry::RegisterOrGet(OpName)

#endif  // TVM_IR_OP_H_
