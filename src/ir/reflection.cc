/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// The reflection table and the generic field access built on it.
#include <tvm/ir/reflection.h>
#include <tvm/runtime/registry.h>

#include <mutex>

namespace tvm {

using runtime::TVMArgs;
using runtime::TVMRetValue;

ReflectionVTable* ReflectionVTable::Global() {
  static ReflectionVTable* inst = new ReflectionVTable();
  return inst;
}

void ReflectionVTable::Set(uint32_t type_index, Entry entry) {
  if (table_.size() <= type_index) table_.resize(type_index + 1);
  table_[type_index] = entry;
}

const ReflectionVTable::Entry* ReflectionVTable::Find(uint32_t type_index) const {
  if (type_index >= table_.size() || table_[type_index].visit_attrs == nullptr) return nullptr;
  return &table_[type_index];
}

void ReflectionVTable::VisitAttrs(Object* self, AttrVisitor* v) const {
  if (const Entry* e = Find(self->type_index())) e->visit_attrs(self, v);
}

ObjectPtr<Object> ReflectionVTable::CreateInitObject(const std::string& type_key) const {
  uint32_t index = Object::TypeKey2Index(type_key);
  const Entry* e = Find(index);
  TVM_CHECK(e != nullptr && e->create != nullptr, "ValueError")
      << "cannot create an object of type '" << type_key << "' (it has no registered reflection)";
  return e->create();
}

namespace {

/*! \brief Collects field names. */
class NameCollector final : public AttrVisitor {
 public:
  std::vector<std::string> names;
  void Visit(const char* key, double*) final { names.push_back(key); }
  void Visit(const char* key, int64_t*) final { names.push_back(key); }
  void Visit(const char* key, uint64_t*) final { names.push_back(key); }
  void Visit(const char* key, int*) final { names.push_back(key); }
  void Visit(const char* key, bool*) final { names.push_back(key); }
  void Visit(const char* key, std::string*) final { names.push_back(key); }
  void Visit(const char* key, void**) final { names.push_back(key); }
  void Visit(const char* key, DataType*) final { names.push_back(key); }
  void Visit(const char* key, NDArray*) final { names.push_back(key); }
  void Visit(const char* key, ObjectRef*) final { names.push_back(key); }
};

/*! \brief Reads the field named `key` into a packed value. */
class FieldGetter final : public AttrVisitor {
 public:
  explicit FieldGetter(std::string key) : key_(std::move(key)) {}
  TVMRetValue value;
  bool found{false};

  void Visit(const char* key, double* v) final { Take(key, *v); }
  void Visit(const char* key, int64_t* v) final { Take(key, *v); }
  void Visit(const char* key, uint64_t* v) final { Take(key, static_cast<int64_t>(*v)); }
  void Visit(const char* key, int* v) final { Take(key, static_cast<int64_t>(*v)); }
  void Visit(const char* key, bool* v) final { Take(key, *v); }
  void Visit(const char* key, std::string* v) final { Take(key, *v); }
  void Visit(const char* key, void** v) final { Take(key, *v); }
  void Visit(const char* key, DataType* v) final { Take(key, *v); }
  void Visit(const char* key, NDArray* v) final { Take(key, ObjectRef(*v)); }
  void Visit(const char* key, ObjectRef* v) final { Take(key, *v); }

 private:
  template <typename T>
  void Take(const char* key, T v) {
    if (!found && key_ == key) {
      value = v;
      found = true;
    }
  }
  std::string key_;
};

}  // namespace

std::vector<std::string> ReflectionVTable::ListAttrNames(const Object* self) const {
  NameCollector collector;
  VisitAttrs(const_cast<Object*>(self), &collector);
  return collector.names;
}

TVMRetValue ReflectionVTable::GetAttr(const Object* self, const std::string& name) const {
  FieldGetter getter(name);
  VisitAttrs(const_cast<Object*>(self), &getter);
  if (!getter.found) {
    throw runtime::Error("AttributeError",
                         "'" + self->GetTypeKey() + "' object has no attribute '" + name + "'");
  }
  return getter.value;
}

namespace {

/*! \brief Sets fields from keyword arguments (for make_node). */
class FieldSetter final : public AttrVisitor {
 public:
  explicit FieldSetter(std::unordered_map<std::string, runtime::TVMArgValue>* kwargs) : kwargs_(kwargs) {}
  void Visit(const char* key, double* v) final { Set(key, v); }
  void Visit(const char* key, int64_t* v) final { Set(key, v); }
  void Visit(const char* key, uint64_t* v) final { Set(key, v); }
  void Visit(const char* key, int* v) final { Set(key, v); }
  void Visit(const char* key, bool* v) final { Set(key, v); }
  void Visit(const char* key, std::string* v) final { Set(key, v); }
  void Visit(const char* key, void** v) final { Set(key, v); }
  void Visit(const char* key, DataType* v) final { Set(key, v); }
  void Visit(const char* key, NDArray* v) final { Set(key, v); }
  void Visit(const char* key, ObjectRef* v) final {
    auto it = kwargs_->find(key);
    if (it == kwargs_->end()) return;
    *v = it->second.AsObjectRef();
    kwargs_->erase(it);
  }

 private:
  template <typename T>
  void Set(const char* key, T* v) {
    auto it = kwargs_->find(key);
    if (it == kwargs_->end()) return;
    try {
      *v = it->second.AsType<T>();
    } catch (const runtime::Error& e) {
      throw runtime::Error(e.kind(), std::string("field '") + key + "': " + e.what());
    }
    kwargs_->erase(it);
  }
  std::unordered_map<std::string, runtime::TVMArgValue>* kwargs_;
};

}  // namespace

// make_node(type_key, key1, value1, key2, value2, ...)
TVM_REGISTER_GLOBAL("node.MakeNode").set_body([](TVMArgs args, TVMRetValue* rv) {
  std::string type_key = args[0];
  TVM_CHECK(args.size() % 2 == 1, "ValueError") << "make_node takes key, value pairs after the type key";
  std::unordered_map<std::string, runtime::TVMArgValue> kwargs;
  for (int i = 1; i < args.size(); i += 2) kwargs[args[i].operator std::string()] = args[i + 1];
  ObjectPtr<Object> obj = ReflectionVTable::Global()->CreateInitObject(type_key);
  FieldSetter setter(&kwargs);
  ReflectionVTable::Global()->VisitAttrs(obj.get(), &setter);
  if (!kwargs.empty()) {
    throw runtime::Error("AttributeError",
                         "'" + type_key + "' has no field '" + kwargs.begin()->first + "'");
  }
  *rv = ObjectRef(obj);
});

TVM_REGISTER_GLOBAL("node.NodeGetAttr").set_body([](TVMArgs args, TVMRetValue* rv) {
  ObjectRef obj = args[0].AsObjectRef();
  TVM_CHECK(obj.defined(), "AttributeError") << "None has no attributes";
  *rv = ReflectionVTable::Global()->GetAttr(obj.get(), args[1].operator std::string());
});

TVM_REGISTER_GLOBAL("node.NodeListAttrNames").set_body([](TVMArgs args, TVMRetValue* rv) {
  ObjectRef obj = args[0].AsObjectRef();
  Array<String> names;
  if (obj.defined()) {
    for (const auto& n : ReflectionVTable::Global()->ListAttrNames(obj.get())) names.push_back(n);
  }
  *rv = names;
});

TVM_REGISTER_GLOBAL("node.HasReflection").set_body_typed([](std::string type_key) {
  return ReflectionVTable::Global()->Find(Object::TypeKey2Index(type_key)) != nullptr;
});

TVM_REGISTER_GLOBAL("node.TypeKey2Index").set_body_typed([](std::string type_key) {
  return static_cast<int64_t>(Object::TypeKey2Index(type_key));
});

TVM_REGISTER_GLOBAL("node.TypeIndex2Key").set_body_typed([](int64_t index) {
  return Object::TypeIndex2Key(static_cast<uint32_t>(index));
});

TVM_REGISTER_GLOBAL("node.ParentTypeIndex").set_body_typed([](int64_t index) {
  return static_cast<int64_t>(Object::ParentTypeIndex(static_cast<uint32_t>(index)));
});

}  // namespace tvm
