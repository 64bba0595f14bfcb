/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Immediates, GlobalVar, Range and the basic types.
#include <tvm/ir/expr.h>
#include <tvm/ir/type.h>
#include <tvm/runtime/registry.h>

#include <cmath>
#include <limits>

namespace tvm {

PrimExpr::PrimExpr(int64_t value)
    : PrimExpr(IntImm(value >= std::numeric_limits<int32_t>::min() && value <= std::numeric_limits<int32_t>::max()
                          ? DataType::Int(32)
                          : DataType::Int(64),
                      value)) {}
PrimExpr::PrimExpr(int value) : PrimExpr(IntImm(DataType::Int(32), value)) {}
PrimExpr::PrimExpr(float value) : PrimExpr(FloatImm(DataType::Float(32), value)) {}
PrimExpr::PrimExpr(double value) : PrimExpr(FloatImm(DataType::Float(32), value)) {}

IntImm::IntImm(DataType dtype, int64_t value) {
  TVM_CHECK(dtype.is_scalar(), "ValueError") << "IntImm needs a scalar dtype, got " << dtype;
  TVM_CHECK(dtype.is_int() || dtype.is_uint(), "TypeError")
      << "IntImm needs an integer or bool dtype, got " << dtype;
  if (dtype.is_bool()) {
    TVM_CHECK(value == 0 || value == 1, "ValueError") << "a bool immediate must be 0 or 1, got " << value;
  } else if (dtype.is_uint()) {
    TVM_CHECK(value >= 0, "ValueError") << "value " << value << " is negative for dtype " << dtype;
    if (dtype.bits() < 64) {
      TVM_CHECK(value < (int64_t{1} << dtype.bits()), "ValueError")
          << "value " << value << " does not fit in " << dtype;
    }
  } else if (dtype.bits() < 64) {
    int64_t lo = -(int64_t{1} << (dtype.bits() - 1)), hi = (int64_t{1} << (dtype.bits() - 1)) - 1;
    TVM_CHECK(value >= lo && value <= hi, "ValueError") << "value " << value << " does not fit in " << dtype;
  }
  auto n = make_object<IntImmNode>();
  n->dtype = dtype;
  n->value = value;
  data_ = std::move(n);
}

FloatImm::FloatImm(DataType dtype, double value) {
  TVM_CHECK(dtype.is_scalar(), "ValueError") << "FloatImm needs a scalar dtype, got " << dtype;
  TVM_CHECK(dtype.is_float() || dtype.is_bfloat16(), "TypeError") << "FloatImm needs a float dtype, got " << dtype;
  auto n = make_object<FloatImmNode>();
  n->dtype = dtype;
  n->value = value;
  data_ = std::move(n);
}

const Type& RelayExprNode::checked_type() const {
  TVM_CHECK(checked_type_.defined(), "ValueError")
      << "the type of this " << GetTypeKey() << " is not known yet; run relay.transform.InferType() first";
  return checked_type_;
}

GlobalVar::GlobalVar(String name_hint) {
  auto n = make_object<GlobalVarNode>();
  n->name_hint = std::move(name_hint);
  data_ = std::move(n);
}

Range::Range(PrimExpr begin, PrimExpr end) {
  auto n = make_object<RangeNode>();
  // Constant bounds fold here; symbolic ones are simplified by arith later.
  const auto* b = begin.as<IntImmNode>();
  const auto* e = end.as<IntImmNode>();
  n->extent = b != nullptr && e != nullptr ? PrimExpr(IntImm(begin.dtype(), e->value - b->value)) : PrimExpr();
  if (!n->extent.defined()) {
    static const runtime::PackedFunc* sub = runtime::Registry::Get("tir._OpSub");
    TVM_CHECK(sub != nullptr, "ValueError") << "Range(begin, end) with symbolic bounds needs the tir layer";
    n->extent = (*sub)(end, begin).AsType<PrimExpr>();
  }
  n->min = std::move(begin);
  data_ = std::move(n);
}

Range Range::FromMinExtent(PrimExpr min, PrimExpr extent) {
  auto n = make_object<RangeNode>();
  n->min = std::move(min);
  n->extent = std::move(extent);
  return Range(ObjectPtr<Object>(std::move(n)));
}

PrimType::PrimType(DataType dtype) {
  auto n = make_object<PrimTypeNode>();
  n->dtype = dtype;
  data_ = std::move(n);
}

PointerType::PointerType(Type element_type, String storage_scope) {
  auto n = make_object<PointerTypeNode>();
  n->element_type = std::move(element_type);
  n->storage_scope = std::move(storage_scope);
  data_ = std::move(n);
}

TupleType::TupleType(Array<Type> fields) {
  auto n = make_object<TupleTypeNode>();
  n->fields = std::move(fields);
  data_ = std::move(n);
}

TupleType TupleType::Empty() { return TupleType(Array<Type>()); }

FuncType::FuncType(Array<Type> arg_types, Type ret_type, Array<TypeVar> type_params,
                   Array<TypeConstraint> type_constraints) {
  auto n = make_object<FuncTypeNode>();
  n->arg_types = std::move(arg_types);
  n->ret_type = std::move(ret_type);
  n->type_params = std::move(type_params);
  n->type_constraints = std::move(type_constraints);
  data_ = std::move(n);
}

TypeVar::TypeVar(String name_hint, TypeKind kind) {
  auto n = make_object<TypeVarNode>();
  n->name_hint = std::move(name_hint);
  n->kind = kind;
  data_ = std::move(n);
}

GlobalTypeVar::GlobalTypeVar(String name_hint, TypeKind kind) {
  auto n = make_object<GlobalTypeVarNode>();
  n->name_hint = std::move(name_hint);
  n->kind = kind;
  data_ = std::move(n);
}

IncompleteType::IncompleteType(TypeKind kind) {
  auto n = make_object<IncompleteTypeNode>();
  n->kind = kind;
  data_ = std::move(n);
}

RelayRefType::RelayRefType(Type value) {
  auto n = make_object<RelayRefTypeNode>();
  n->value = std::move(value);
  data_ = std::move(n);
}

TVM_REGISTER_NODE_TYPE(IntImmNode);
TVM_REGISTER_NODE_TYPE(FloatImmNode);
TVM_REGISTER_NODE_TYPE(GlobalVarNode);
TVM_REGISTER_NODE_TYPE(RangeNode);
TVM_REGISTER_NODE_TYPE(PrimTypeNode);
TVM_REGISTER_NODE_TYPE(PointerTypeNode);
TVM_REGISTER_NODE_TYPE(TupleTypeNode);
TVM_REGISTER_NODE_TYPE(FuncTypeNode);
TVM_REGISTER_NODE_TYPE(TypeVarNode);
TVM_REGISTER_NODE_TYPE(GlobalTypeVarNode);
TVM_REGISTER_NODE_TYPE(IncompleteTypeNode);
TVM_REGISTER_NODE_TYPE(RelayRefTypeNode);

TVM_REGISTER_GLOBAL("ir.IntImm").set_body_typed([](DataType dtype, int64_t value) { return IntImm(dtype, value); });
TVM_REGISTER_GLOBAL("ir.FloatImm").set_body_typed([](DataType dtype, double value) {
  return FloatImm(dtype, value);
});
TVM_REGISTER_GLOBAL("ir.GlobalVar").set_body_typed([](String name) { return GlobalVar(name); });
TVM_REGISTER_GLOBAL("ir.Range").set_body_typed([](PrimExpr begin, std::optional<PrimExpr> end) {
  if (!end.has_value() || !end->defined()) return Range(IntImm(begin.dtype(), 0), begin);
  return Range(begin, *end);
});
TVM_REGISTER_GLOBAL("ir.Range_from_min_extent").set_body_typed([](PrimExpr min, PrimExpr extent) {
  return Range::FromMinExtent(min, extent);
});
TVM_REGISTER_GLOBAL("ir.PrimType").set_body_typed([](DataType dtype) { return PrimType(dtype); });
TVM_REGISTER_GLOBAL("ir.PointerType").set_body_typed([](Type element_type, String scope) {
  return PointerType(element_type, scope);
});
TVM_REGISTER_GLOBAL("ir.TupleType").set_body_typed([](Array<Type> fields) { return TupleType(fields); });
TVM_REGISTER_GLOBAL("ir.FuncType")
    .set_body_typed([](Array<Type> arg_types, Type ret_type, std::optional<Array<TypeVar>> type_params,
                       std::optional<Array<TypeConstraint>> type_constraints) {
      return FuncType(arg_types, ret_type, type_params.value_or(Array<TypeVar>()),
                      type_constraints.value_or(Array<TypeConstraint>()));
    });
TVM_REGISTER_GLOBAL("ir.TypeVar").set_body_typed([](String name, int kind) {
  return TypeVar(name, static_cast<TypeKind>(kind));
});
TVM_REGISTER_GLOBAL("ir.GlobalTypeVar").set_body_typed([](String name, int kind) {
  return GlobalTypeVar(name, static_cast<TypeKind>(kind));
});
TVM_REGISTER_GLOBAL("ir.IncompleteType").set_body_typed([](int kind) {
  return IncompleteType(static_cast<TypeKind>(kind));
});
TVM_REGISTER_GLOBAL("ir.RelayRefType").set_body_typed([](Type value) { return RelayRefType(value); });

}  // namespace tvm
