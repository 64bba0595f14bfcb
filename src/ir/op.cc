/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// The operator registry and per-operator attribute maps.
#include <tvm/ir/op.h>
#include <tvm/runtime/registry.h>

#include <algorithm>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace tvm {

struct OpRegistryTable {
  std::mutex mutex;
  std::vector<std::unique_ptr<OpRegEntry>> entries;
  std::unordered_map<std::string, OpRegEntry*> by_name;
  std::unordered_map<std::string, std::unique_ptr<OpAttrMapBase>> attrs;

  static OpRegistryTable* Global() {
    static OpRegistryTable* inst = new OpRegistryTable();
    return inst;
  }

  OpAttrMapBase* AttrMap(const std::string& name) {
    auto& slot = attrs[name];
    if (!slot) {
      slot = std::make_unique<OpAttrMapBase>();
      slot->attr_name_ = name;
    }
    return slot.get();
  }
};

OpRegEntry::OpRegEntry(uint32_t index, const std::string& name) {
  auto n = make_object<OpNode>();
  n->name = name;
  n->index_ = index;
  op_ = Op(ObjectPtr<Object>(std::move(n)));
}

OpRegEntry& OpRegEntry::RegisterOrGet(const std::string& name) {
  OpRegistryTable* t = OpRegistryTable::Global();
  std::lock_guard<std::mutex> lock(t->mutex);
  auto it = t->by_name.find(name);
  if (it != t->by_name.end()) return *it->second;
  auto entry = std::unique_ptr<OpRegEntry>(new OpRegEntry(static_cast<uint32_t>(t->entries.size()), name));
  OpRegEntry* ptr = entry.get();
  t->entries.push_back(std::move(entry));
  t->by_name[name] = ptr;
  return *ptr;
}

OpRegEntry& OpRegEntry::describe(const std::string& description) {
  get()->description = description;
  return *this;
}

OpRegEntry& OpRegEntry::add_argument(const std::string& name, const std::string& type,
                                     const std::string& description) {
  auto n = make_object<AttrFieldInfoNode>();
  n->name = name;
  n->type_info = type;
  n->description = description;
  get()->arguments.push_back(AttrFieldInfo(ObjectPtr<Object>(std::move(n))));
  return *this;
}

OpRegEntry& OpRegEntry::set_num_inputs(int32_t n) {
  get()->num_inputs = n;
  return *this;
}

OpRegEntry& OpRegEntry::set_support_level(int32_t level) {
  get()->support_level = level;
  return *this;
}

OpRegEntry& OpRegEntry::set_attrs_type_key(const std::string& key) {
  get()->attrs_type_key = key;
  return *this;
}

OpRegEntry& OpRegEntry::set_op_type(Type type) {
  get()->op_type = std::move(type);
  return *this;
}

OpRegEntry& OpRegEntry::add_type_rel(const std::string& rel_name, TypeRelationFn rel) {
  int n = get()->num_inputs;
  TVM_CHECK(n >= 0, "ValueError") << "operator " << get()->name
                                  << ": set_num_inputs must come before add_type_rel (a tuple input counts as one)";
  Array<TypeVar> params;
  Array<Type> inputs, all;
  for (int i = 0; i < n; ++i) {
    TypeVar t("in" + std::to_string(i), TypeKind::kType);
    params.push_back(t);
    inputs.push_back(t);
    all.push_back(t);
  }
  TypeVar out("out", TypeKind::kType);
  params.push_back(out);
  all.push_back(out);
  TypeRelation constraint(std::move(rel), rel_name, all, n, Attrs());
  get()->op_type = FuncType(inputs, out, params, {constraint});
  return *this;
}

OpRegEntry& OpRegEntry::SetAttrValue(const std::string& attr_name, const runtime::TVMRetValue& value, int plevel) {
  TVM_CHECK(plevel > 0, "ValueError") << "operator attribute priority level must be positive";
  OpRegistryTable* t = OpRegistryTable::Global();
  std::lock_guard<std::mutex> lock(t->mutex);
  OpAttrMapBase* map = t->AttrMap(attr_name);
  uint32_t index = op_->index_;
  if (map->data_.size() <= index) map->data_.resize(index + 1, std::make_pair(runtime::TVMRetValue(), 0));
  auto& slot = map->data_[index];
  if (slot.second != 0) {
    TVM_CHECK(slot.second != plevel, "ValueError")
        << "attribute '" << attr_name << "' of operator '" << op_->name << "' is already registered at level "
        << plevel;
    if (slot.second > plevel) return *this;
  }
  slot = std::make_pair(value, plevel);
  return *this;
}

void OpRegEntry::reset_attr(const std::string& attr_name) {
  OpRegistryTable* t = OpRegistryTable::Global();
  std::lock_guard<std::mutex> lock(t->mutex);
  OpAttrMapBase* map = t->AttrMap(attr_name);
  uint32_t index = op_->index_;
  if (index < map->data_.size()) map->data_[index] = std::make_pair(runtime::TVMRetValue(), 0);
}

const Op& Op::Get(const std::string& name) {
  OpRegistryTable* t = OpRegistryTable::Global();
  std::lock_guard<std::mutex> lock(t->mutex);
  auto it = t->by_name.find(name);
  TVM_CHECK(it != t->by_name.end(), "AttributeError") << "operator '" << name << "' is not registered";
  return it->second->op();
}

bool Op::HasAttrMap(const std::string& attr_name) {
  OpRegistryTable* t = OpRegistryTable::Global();
  std::lock_guard<std::mutex> lock(t->mutex);
  return t->attrs.count(attr_name) != 0;
}

const OpAttrMapBase& Op::GetAttrMapContainer(const std::string& attr_name) {
  OpRegistryTable* t = OpRegistryTable::Global();
  std::lock_guard<std::mutex> lock(t->mutex);
  return *t->AttrMap(attr_name);
}

std::vector<std::string> Op::ListNames() {
  OpRegistryTable* t = OpRegistryTable::Global();
  std::lock_guard<std::mutex> lock(t->mutex);
  std::vector<std::string> names;
  for (const auto& kv : t->by_name) names.push_back(kv.first);
  std::sort(names.begin(), names.end());
  return names;
}

const runtime::TVMRetValue* OpAttrMapBase::Find(const Op& op) const {
  TVM_CHECK(op.defined(), "ValueError") << "looking up attribute '" << attr_name_ << "' of a null operator";
  uint32_t index = op->index_;
  if (index >= data_.size() || data_[index].second == 0) return nullptr;
  return &data_[index].first;
}

size_t OpAttrMapBase::count(const Op& op) const { return Find(op) != nullptr ? 1 : 0; }

const runtime::TVMRetValue& OpAttrMapBase::operator[](const Op& op) const {
  const runtime::TVMRetValue* v = Find(op);
  TVM_CHECK(v != nullptr, "AttributeError")
      << "operator '" << op->name << "' has no attribute '" << attr_name_ << "'";
  return *v;
}

TVM_REGISTER_NODE_TYPE(OpNode);
TVM_REGISTER_NODE_TYPE(AttrFieldInfoNode);

TVM_REGISTER_GLOBAL("ir.GetOp").set_body_typed([](std::string name) { return Op::Get(name); });
TVM_REGISTER_GLOBAL("ir.ListOpNames").set_body_typed([]() {
  Array<String> names;
  for (const auto& n : Op::ListNames()) names.push_back(n);
  return names;
});
TVM_REGISTER_GLOBAL("ir.OpGetAttr").set_body([](runtime::TVMArgs args, runtime::TVMRetValue* rv) {
  Op op = args[0];
  std::string attr_name = args[1];
  if (!Op::HasAttrMap(attr_name)) return;
  if (const runtime::TVMRetValue* v = Op::GetAttrMapContainer(attr_name).Find(op)) *rv = *v;
});
TVM_REGISTER_GLOBAL("ir.OpHasAttr").set_body_typed([](Op op, std::string attr_name) {
  return Op::HasAttrMap(attr_name) && Op::GetAttrMapContainer(attr_name).count(op) != 0;
});
TVM_REGISTER_GLOBAL("ir.RegisterOp").set_body_typed([](std::string name, std::string description) {
  OpRegEntry& entry = OpRegEntry::RegisterOrGet(name);
  if (!description.empty()) entry.describe(description);
});
TVM_REGISTER_GLOBAL("ir.OpSetAttr").set_body([](runtime::TVMArgs args, runtime::TVMRetValue* rv) {
  Op op = args[0];
  std::string attr_name = args[1];
  runtime::TVMRetValue value;
  value = args[2];
  int plevel = args[3];
  OpRegEntry::RegisterOrGet(op->name).SetAttrValue(attr_name, value, plevel);
});
TVM_REGISTER_GLOBAL("ir.OpResetAttr").set_body_typed([](Op op, std::string attr_name) {
  OpRegEntry::RegisterOrGet(op->name).reset_attr(attr_name);
});

}  // namespace tvm
