/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Identity and broadcast relations, and the named relations Python's
// Op.add_type_rel("Broadcast") / ("Identity") finds as "tvm.relation.<name>".
#include "type_relations.h"

#include <tvm/arith/analyzer.h>
#include <tvm/ir/repr_printer.h>
#include <tvm/runtime/registry.h>
#include <tvm/tir/expr.h>

#include <sstream>

#include "../transforms/type_solver.h"

namespace tvm {
namespace relay {

namespace {

std::string ShapeText(const Array<PrimExpr>& shape) {
  std::ostringstream os;
  os << "(";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) os << ", ";
    if (const auto* imm = shape[i].as<IntImmNode>()) {
      os << imm->value;
    } else if (shape[i].as<tir::AnyNode>()) {
      os << "?";
    } else {
      os << AsRepr(shape[i]);
    }
  }
  if (shape.size() == 1) os << ",";
  os << ")";
  return os.str();
}

bool IsOne(const PrimExpr& e) {
  const auto* imm = e.as<IntImmNode>();
  return imm != nullptr && imm->value == 1;
}

bool ProvablyEqual(const PrimExpr& a, const PrimExpr& b) {
  if (a.same_as(b)) return true;
  const auto* ia = a.as<IntImmNode>();
  const auto* ib = b.as<IntImmNode>();
  if (ia != nullptr && ib != nullptr) return ia->value == ib->value;
  if (ia != nullptr || ib != nullptr || a.dtype() != b.dtype()) return false;
  arith::Analyzer analyzer;
  return analyzer.CanProveEqual(a, b);
}

void CheckDType(const TensorTypeNode* t, DTypeClass c, const char* name) {
  TVM_CHECK(DTypeIn(t->dtype, c), "TypeError")
      << name << " must have " << DTypeClassName(c) << " dtype, got " << runtime::DLDataType2String(t->dtype);
}

}  // namespace

const char* DTypeClassName(DTypeClass c) {
  switch (c) {
    case DTypeClass::kFloat:
      return "a float";
    case DTypeClass::kInteger:
      return "an integer (int or uint)";
    case DTypeClass::kBool:
      return "a bool";
    default:
      return "any";
  }
}

bool DTypeIn(DataType dtype, DTypeClass c) {
  switch (c) {
    case DTypeClass::kFloat:
      return dtype.is_float() || dtype.is_bfloat16();
    case DTypeClass::kInteger:
      return dtype.is_int() || dtype.is_uint();
    case DTypeClass::kBool:
      return dtype.is_bool();
    default:
      return true;
  }
}

const TensorTypeNode* TensorArg(const Array<Type>& types, int i, const char* name) {
  if (types[i].as<IncompleteTypeNode>()) return nullptr;
  const auto* t = types[i].as<TensorTypeNode>();
  TVM_CHECK(t != nullptr, "TypeError") << name << " must be a tensor, got " << TypeText(types[i]);
  return t;
}

Array<PrimExpr> BroadcastShape(const TensorTypeNode* a, const TensorTypeNode* b) {
  size_t na = a->shape.size(), nb = b->shape.size();
  size_t n = std::max(na, nb);
  std::vector<PrimExpr> out(n);
  for (size_t k = 0; k < n; ++k) {
    // k counts from the last dimension.
    bool has_a = k < na, has_b = k < nb;
    PrimExpr da = has_a ? a->shape[na - 1 - k] : PrimExpr();
    PrimExpr db = has_b ? b->shape[nb - 1 - k] : PrimExpr();
    PrimExpr d;
    if (!has_a) {
      d = db;
    } else if (!has_b) {
      d = da;
    } else if (ProvablyEqual(da, db)) {
      d = da;
    } else if (da.as<tir::AnyNode>()) {
      d = IsOne(db) ? da : db;
    } else if (db.as<tir::AnyNode>()) {
      d = IsOne(da) ? db : da;
    } else if (IsOne(da)) {
      d = db;
    } else if (IsOne(db)) {
      d = da;
    } else {
      TVM_CHECK(false, "TypeError") << "shapes " << ShapeText(a->shape) << " and " << ShapeText(b->shape)
                                    << " do not broadcast: dimension " << -static_cast<int64_t>(k) - 1 << " is "
                                    << AsRepr(da) << " in the first and " << AsRepr(db) << " in the second (Invalid broadcast shapes)";
    }
    out[n - 1 - k] = d;
  }
  return Array<PrimExpr>(out.begin(), out.end());
}

TypeRelationFn MakeUnaryRel(DTypeClass input, bool bool_output) {
  return TypeRelationFn([input, bool_output](const Array<Type>& types, int, const Attrs&,
                                             const TypeReporter& reporter) {
    const TensorTypeNode* t = TensorArg(types, 0, "the input");
    if (t == nullptr) {
      // Same type in and out: a known output tells the input (checked once it is known).
      if (!bool_output) reporter->Assign(types[1], types[0]);
      return false;
    }
    CheckDType(t, input, "the input");
    reporter->Assign(types[1], bool_output ? TensorType(t->shape, DataType::Bool()) : GetRef<TensorType>(t));
    return true;
  });
}

TypeRelationFn MakeBroadcastRel(DTypeClass input, bool bool_output) {
  return TypeRelationFn([input, bool_output](const Array<Type>& types, int, const Attrs&,
                                             const TypeReporter& reporter) {
    const TensorTypeNode* a = TensorArg(types, 0, "the first argument (lhs)");
    const TensorTypeNode* b = TensorArg(types, 1, "the second argument (rhs)");
    if (a == nullptr || b == nullptr) return false;
    TVM_CHECK(a->dtype == b->dtype, "TypeError")
        << "the arguments' dtypes differ: " << runtime::DLDataType2String(a->dtype) << " " << TypeText(types[0])
        << " and " << runtime::DLDataType2String(b->dtype) << " " << TypeText(types[1]);
    CheckDType(a, input, "the arguments");
    Array<PrimExpr> shape = BroadcastShape(a, b);
    reporter->Assign(types[2], TensorType(shape, bool_output ? DataType::Bool() : a->dtype));
    return true;
  });
}

bool IdentityRel(const Array<Type>& types, int, const Attrs&, const TypeReporter& reporter) {
  // Every argument and the result are one type (whatever it is).
  for (size_t i = 1; i < types.size(); ++i) reporter->Assign(types[i], types[0]);
  return true;
}

bool BroadcastRel(const Array<Type>& types, int num_inputs, const Attrs& attrs, const TypeReporter& reporter) {
  static const TypeRelationFn rel = MakeBroadcastRel(DTypeClass::kAny, false);
  return rel(types, num_inputs, attrs, reporter);
}

bool BroadcastCompRel(const Array<Type>& types, int num_inputs, const Attrs& attrs, const TypeReporter& reporter) {
  static const TypeRelationFn rel = MakeBroadcastRel(DTypeClass::kAny, true);
  return rel(types, num_inputs, attrs, reporter);
}

TVM_REGISTER_GLOBAL("tvm.relation.Identity").set_body_typed(IdentityRel);
TVM_REGISTER_GLOBAL("tvm.relation.Broadcast").set_body_typed(BroadcastRel);
TVM_REGISTER_GLOBAL("tvm.relation.BroadcastComp").set_body_typed(BroadcastCompRel);
// TVM's names for the same relations (EnvFunc.get("tvm.relay.type_relation.Broadcast")).
TVM_REGISTER_GLOBAL("tvm.relay.type_relation.Identity").set_body_typed(IdentityRel);
TVM_REGISTER_GLOBAL("tvm.relay.type_relation.Broadcast").set_body_typed(BroadcastRel);
TVM_REGISTER_GLOBAL("tvm.relay.type_relation.BroadcastComp").set_body_typed(BroadcastCompRel);

}  // namespace relay
}  // namespace tvm
