/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/ir/expr.h
 * \brief The expression roots shared by every IR: BaseExpr, PrimExpr (scalar
 *  expressions with a dtype), RelayExpr (graph expressions), integer and
 *  float immediates, GlobalVar and Range.
 */
#ifndef TVM_IR_EXPR_H_
#define TVM_IR_EXPR_H_

#include <tvm/ir/reflection.h>
#include <tvm/ir/span.h>
#include <tvm/ir/type.h>
#include <tvm/runtime/packed_func.h>

#include <cstdint>
#include <string>

namespace tvm {

class BaseExprNode : public Object {
 public:
  static constexpr const char* _type_key = "BaseExpr";
  using _type_parent = Object;
};

class BaseExpr : public ObjectRef {
 public:
  using ContainerType = BaseExprNode;
  using ObjectRef::ObjectRef;
};

/*! \brief A scalar (or vector) expression of the loop IR. */
class PrimExprNode : public BaseExprNode {
 public:
  DataType dtype;
  static constexpr const char* _type_key = "PrimExpr";
  using _type_parent = BaseExprNode;
};

class PrimExpr : public BaseExpr {
 public:
  using ContainerType = PrimExprNode;
  using BaseExpr::BaseExpr;
  PrimExpr() = default;
  /*! \brief An int32 (or int64 when it does not fit) immediate. */
  TVM_DLL PrimExpr(int64_t value);  // NOLINT(*)
  TVM_DLL PrimExpr(int value);      // NOLINT(*)
  /*! \brief A float32 immediate. */
  TVM_DLL PrimExpr(float value);  // NOLINT(*)
  TVM_DLL PrimExpr(double value);  // NOLINT(*)
  const PrimExprNode* operator->() const { return static_cast<const PrimExprNode*>(get()); }
  DataType dtype() const { return operator->()->dtype; }
};

/*! \brief A graph-level expression (Relay); its type is filled by type inference. */
class RelayExprNode : public BaseExprNode {
 public:
  /*! \brief Set by type inference; null before it runs. */
  mutable Type checked_type_;
  /*! \brief Where the user wrote it (the text parser, a frontend); may be null. */
  Span span;
  /*! \brief The inferred type; throws (ValueError) naming the expression's kind when not inferred yet. */
  TVM_DLL const Type& checked_type() const;
  static constexpr const char* _type_key = "RelayExpr";
  using _type_parent = BaseExprNode;
};

class RelayExpr : public BaseExpr {
 public:
  using ContainerType = RelayExprNode;
  using BaseExpr::BaseExpr;
  const RelayExprNode* operator->() const { return static_cast<const RelayExprNode*>(get()); }
};

/*! \brief The name of a function in an IRModule. */
class GlobalVarNode : public RelayExprNode {
 public:
  String name_hint;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("name_hint", &name_hint);
    v->Visit("span", &span);
    v->Visit("_checked_type_", &checked_type_);
  }
  static constexpr const char* _type_key = "GlobalVar";
  static constexpr bool _type_final = true;
  static constexpr StructuralKind _structural_kind = StructuralKind::kFreeVar;
  using _type_parent = RelayExprNode;
};

class GlobalVar : public RelayExpr {
 public:
  using ContainerType = GlobalVarNode;
  using RelayExpr::RelayExpr;
  GlobalVar() = default;
  TVM_DLL explicit GlobalVar(String name_hint);
  const GlobalVarNode* operator->() const { return static_cast<const GlobalVarNode*>(get()); }
};

class IntImmNode : public PrimExprNode {
 public:
  int64_t value;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("dtype", &dtype);
    v->Visit("value", &value);
  }
  static constexpr const char* _type_key = "IntImm";
  static constexpr bool _type_final = true;
  using _type_parent = PrimExprNode;
};

/*! \brief An integer constant of an int, uint or bool dtype. */
class IntImm : public PrimExpr {
 public:
  using ContainerType = IntImmNode;
  IntImm() = default;
  explicit IntImm(ObjectPtr<Object> n) : PrimExpr(std::move(n)) {}
  /*! \throws Error (ValueError) when value does not fit in dtype or dtype is not an integer type. */
  TVM_DLL IntImm(DataType dtype, int64_t value);
  const IntImmNode* operator->() const { return static_cast<const IntImmNode*>(get()); }
};

class FloatImmNode : public PrimExprNode {
 public:
  double value;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("dtype", &dtype);
    v->Visit("value", &value);
  }
  static constexpr const char* _type_key = "FloatImm";
  static constexpr bool _type_final = true;
  using _type_parent = PrimExprNode;
};

class FloatImm : public PrimExpr {
 public:
  using ContainerType = FloatImmNode;
  FloatImm() = default;
  explicit FloatImm(ObjectPtr<Object> n) : PrimExpr(std::move(n)) {}
  TVM_DLL FloatImm(DataType dtype, double value);
  const FloatImmNode* operator->() const { return static_cast<const FloatImmNode*>(get()); }
};

/*! \brief An IntImm known to be an integer; converts to int64_t. */
class Integer : public IntImm {
 public:
  using IntImm::IntImm;
  Integer() = default;
  Integer(int value) : IntImm(DataType::Int(32), value) {}  // NOLINT(*)
  Integer(IntImm other) : IntImm(std::move(other)) {}       // NOLINT(*)
  int64_t IntValue() const { return operator->()->value; }
  operator int64_t() const { return IntValue(); }  // NOLINT(*)
};

/*! \brief A boolean IntImm. */
class Bool : public IntImm {
 public:
  using IntImm::IntImm;
  Bool() = default;
  explicit Bool(bool value) : IntImm(DataType::Bool(), value) {}
  operator bool() const { return operator->()->value != 0; }  // NOLINT(*)
};

/*! \brief The half-open interval [min, min + extent). */
class RangeNode : public Object {
 public:
  PrimExpr min;
  PrimExpr extent;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("min", &min);
    v->Visit("extent", &extent);
  }
  static constexpr const char* _type_key = "Range";
  static constexpr bool _type_final = true;
  using _type_parent = Object;
};

class Range : public ObjectRef {
 public:
  using ContainerType = RangeNode;
  using ObjectRef::ObjectRef;
  Range() = default;
  /*! \brief The range [begin, end). */
  TVM_DLL Range(PrimExpr begin, PrimExpr end);
  TVM_DLL static Range FromMinExtent(PrimExpr min, PrimExpr extent);
  const RangeNode* operator->() const { return static_cast<const RangeNode*>(get()); }
};

namespace detail {
/*! \brief Python numbers convert where a PrimExpr (or an integer immediate) is expected. */
template <typename T>
struct PrimExprConverter {
  static T From(const runtime::TVMArgValue& v) {
    if (v.type_code() == kDLInt) {
      if constexpr (std::is_same_v<T, Bool>) {
        return Bool(v.operator int64_t() != 0);
      } else {
        return T(PrimExpr(v.operator int64_t()));
      }
    }
    if constexpr (std::is_same_v<T, PrimExpr>) {
      if (v.type_code() == kDLFloat) return PrimExpr(v.operator double());
    }
    if (v.IsNull()) return T();
    if (!v.IsObjectRef<T>()) {
      throw runtime::Error("TypeError",
                           std::string("expected ") + T::ContainerType::_type_key + " but got " + v.TypeName());
    }
    return Downcast<T>(v.AsObjectRef());
  }
};
}  // namespace detail

namespace runtime {
template <>
struct PackedFuncValueConverter<PrimExpr> : tvm::detail::PrimExprConverter<PrimExpr> {};
template <>
struct PackedFuncValueConverter<IntImm> : tvm::detail::PrimExprConverter<IntImm> {};
template <>
struct PackedFuncValueConverter<Integer> : tvm::detail::PrimExprConverter<Integer> {};
template <>
struct PackedFuncValueConverter<Bool> : tvm::detail::PrimExprConverter<Bool> {};
}  // namespace runtime
}  // namespace tvm
#endif  // TVM_IR_EXPR_H_
