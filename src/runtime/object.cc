/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// The process-wide table of object types: key <-> index, parent, finality.
#include <tvm/runtime/c_runtime_api.h>
#include <tvm/runtime/object.h>

#include "c_api_common.h"

#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace tvm {
namespace runtime {
namespace {

struct TypeInfo {
  std::string key;
  uint32_t parent{0};
  bool is_final{false};
  bool allocated{false};
};

class TypeTable {
 public:
  static TypeTable* Global() {
    static TypeTable* table = new TypeTable();  // never destroyed: used by static destructors
    return table;
  }

  uint32_t GetOrAlloc(const std::string& key, uint32_t static_index, uint32_t parent, bool is_final) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = key2index_.find(key);
    if (it != key2index_.end()) {
      const TypeInfo& info = infos_[it->second];
      TVM_CHECK(info.parent == parent, "InternalError")
          << "type key '" << key << "' is registered twice with different parents ("
          << infos_[info.parent].key << " and " << infos_[parent].key
          << "); does a class forget its own _type_key?";
      return it->second;
    }
    uint32_t index = static_index;
    if (static_index == TypeIndex::kStaticIndexEnd) {
      index = next_index_++;
    }
    if (infos_.size() <= index) infos_.resize(index + 1);
    TVM_CHECK(!infos_[index].allocated, "InternalError")
        << "type index " << index << " of '" << key << "' is already taken by '" << infos_[index].key << "'";
    TVM_CHECK(parent == 0 || !infos_[parent].is_final, "InternalError")
        << "type '" << key << "' derives from final type '" << infos_[parent].key << "'";
    infos_[index] = TypeInfo{key, parent, is_final, true};
    key2index_[key] = index;
    return index;
  }

  std::string Key(uint32_t index) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (index < infos_.size() && infos_[index].allocated) return infos_[index].key;
    return "<unknown type index " + std::to_string(index) + ">";
  }

  uint32_t Index(const std::string& key) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = key2index_.find(key);
    TVM_CHECK(it != key2index_.end(), "ValueError") << "unknown object type key '" << key << "'";
    return it->second;
  }

  bool IsSubclass(uint32_t child, uint32_t parent) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (parent == TypeIndex::kRoot) return true;
    while (child != TypeIndex::kRoot && child < infos_.size()) {
      if (child == parent) return true;
      child = infos_[child].parent;
    }
    return false;
  }

  uint32_t Parent(uint32_t index) {
    std::lock_guard<std::mutex> lock(mutex_);
    return index < infos_.size() ? infos_[index].parent : 0;
  }

  uint32_t Size() {
    std::lock_guard<std::mutex> lock(mutex_);
    return static_cast<uint32_t>(infos_.size());
  }

 private:
  TypeTable() {
    infos_.resize(TypeIndex::kStaticIndexEnd);
    infos_[0] = TypeInfo{Object::_type_key, 0, false, true};
    key2index_[Object::_type_key] = 0;
  }
  std::mutex mutex_;
  std::vector<TypeInfo> infos_;
  std::unordered_map<std::string, uint32_t> key2index_;
  uint32_t next_index_{TypeIndex::kStaticIndexEnd};
};

}  // namespace

std::string Object::TypeIndex2Key(uint32_t tindex) { return TypeTable::Global()->Key(tindex); }
uint32_t Object::TypeKey2Index(const std::string& key) { return TypeTable::Global()->Index(key); }
bool Object::TypeIsSubclass(uint32_t child, uint32_t parent) {
  return TypeTable::Global()->IsSubclass(child, parent);
}
uint32_t Object::ParentTypeIndex(uint32_t tindex) { return TypeTable::Global()->Parent(tindex); }
uint32_t Object::GetOrAllocTypeIndex(const std::string& key, uint32_t static_index, uint32_t parent,
                                     bool is_final) {
  return TypeTable::Global()->GetOrAlloc(key, static_index, parent, is_final);
}
uint32_t Object::NumTypeIndices() { return TypeTable::Global()->Size(); }

}  // namespace runtime
}  // namespace tvm

using tvm::runtime::Object;
using tvm::runtime::ObjectInternal;

extern "C" {

int TVMObjectGetTypeIndex(TVMObjectHandle obj, unsigned* out_tindex) {
  API_BEGIN();
  TVM_CHECK(obj != nullptr, "ValueError") << "null object handle";
  *out_tindex = static_cast<Object*>(obj)->type_index();
  API_END();
}

int TVMObjectTypeKey2Index(const char* type_key, unsigned* out_tindex) {
  API_BEGIN();
  *out_tindex = Object::TypeKey2Index(type_key);
  API_END();
}

int TVMObjectRetain(TVMObjectHandle obj) {
  API_BEGIN();
  if (obj != nullptr) ObjectInternal::IncRef(static_cast<Object*>(obj));
  API_END();
}

int TVMObjectFree(TVMObjectHandle obj) {
  API_BEGIN();
  if (obj != nullptr) ObjectInternal::DecRef(static_cast<Object*>(obj));
  API_END();
}

}  // extern "C"
