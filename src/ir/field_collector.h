/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Collects an object's fields as values, for the generic algorithms that
// compare, hash and serialise nodes field by field.
#ifndef TVM_SRC_IR_FIELD_COLLECTOR_H_
#define TVM_SRC_IR_FIELD_COLLECTOR_H_

#include <tvm/ir/reflection.h>

#include <string>
#include <vector>

namespace tvm {
namespace detail {

struct FieldValue {
  enum Kind { kFloat, kInt, kBool, kStr, kHandle, kDType, kNDArray, kObject };
  const char* key;
  Kind kind;
  bool is_def{false};
  double f{0};
  int64_t i{0};
  std::string s;
  void* p{nullptr};
  DataType t;
  ObjectRef ref;
};

class FieldCollector final : public AttrVisitor {
 public:
  std::vector<FieldValue> fields;

  void Visit(const char* key, double* v) final { Add(key, FieldValue::kFloat).f = *v; }
  void Visit(const char* key, int64_t* v) final { Add(key, FieldValue::kInt).i = *v; }
  void Visit(const char* key, uint64_t* v) final { Add(key, FieldValue::kInt).i = static_cast<int64_t>(*v); }
  void Visit(const char* key, int* v) final { Add(key, FieldValue::kInt).i = *v; }
  void Visit(const char* key, bool* v) final { Add(key, FieldValue::kBool).i = *v; }
  void Visit(const char* key, std::string* v) final { Add(key, FieldValue::kStr).s = *v; }
  void Visit(const char* key, void** v) final { Add(key, FieldValue::kHandle).p = *v; }
  void Visit(const char* key, DataType* v) final { Add(key, FieldValue::kDType).t = *v; }
  void Visit(const char* key, NDArray* v) final { Add(key, FieldValue::kNDArray).ref = *v; }
  void Visit(const char* key, ObjectRef* v) final { Add(key, FieldValue::kObject).ref = *v; }
  void VisitDef(const char* key, ObjectRef* v) final {
    FieldValue& f = Add(key, FieldValue::kObject);
    f.ref = *v;
    f.is_def = true;
  }

  static std::vector<FieldValue> Collect(const Object* obj) {
    FieldCollector c;
    ReflectionVTable::Global()->VisitAttrs(const_cast<Object*>(obj), &c);
    return std::move(c.fields);
  }

 private:
  FieldValue& Add(const char* key, FieldValue::Kind kind) {
    fields.emplace_back();
    fields.back().key = key;
    fields.back().kind = kind;
    return fields.back();
  }
};

/*! \brief The structural kind of an object's type. */
inline StructuralKind KindOf(const Object* obj) {
  const ReflectionVTable::Entry* e = ReflectionVTable::Global()->Find(obj->type_index());
  return e != nullptr ? e->kind : StructuralKind::kTreeNode;
}

/*!
 * \brief Whether obj is a graph node (see StructuralKind::kGraphNode). The
 *  empty tuple is not: like a constant, every () is the same value.
 */
inline bool IsGraphNode(const Object* obj) {
  if (KindOf(obj) != StructuralKind::kGraphNode) return false;
  static const uint32_t tuple_index = Object::TypeKey2Index("relay.Tuple");
  if (obj->type_index() == tuple_index) {
    runtime::TVMRetValue fields = ReflectionVTable::Global()->GetAttr(obj, "fields");
    const auto* arr = fields.AsObjectRef().as<runtime::ArrayNode>();
    return arr == nullptr || arr->size() != 0;
  }
  return true;
}

/*! \brief Variables are identified by binding, so their names are not compared or hashed. */
inline bool IgnoredVarField(const FieldValue& f) { return std::string(f.key) == "name_hint"; }

/*!
 * \brief Whether structural equality and hashing skip field f of obj: a
 *  variable's name (when skip_names), a buffer's name (always, as in TVM:
 *  two declarations of one buffer may print differently), and a Relay
 *  expression's span and inferred type.
 */
inline bool IgnoredField(const Object* obj, const FieldValue& f, bool skip_names) {
  if (skip_names && IgnoredVarField(f)) return true;
  // Where an expression was written and what inference found are not part of it.
  const std::string key(f.key);
  // A Relay variable's identity is its vid (which holds the name too).
  if (key == "name_hint" && obj->GetTypeKey() == "relay.Var") return true;
  if (key == "span" || key == "_checked_type_") return true;
  // As in TVM, the type arguments inference records on a call of a primitive
  // operator are not part of it (the text format does not carry them).
  if (key == "type_args" && std::string(obj->GetTypeKey()) == "relay.Call") {
    runtime::TVMRetValue op = ReflectionVTable::Global()->GetAttr(obj, "op");
    ObjectRef callee = op.AsObjectRef();
    if (callee.defined() && std::string(callee->GetTypeKey()) == "Op") return true;
  }
  return key == "name" && std::string(obj->GetTypeKey()) == "tir.Buffer";
}

}  // namespace detail
}  // namespace tvm
#endif  // TVM_SRC_IR_FIELD_COLLECTOR_H_
