/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/runtime/container/map.h
 * \brief Map<K, V>: a copy-on-write hash map of references that keeps
 *  insertion order (so printing, JSON and iteration are deterministic).
 *  String keys compare by content, every other key by identity.
 */
#ifndef TVM_RUNTIME_CONTAINER_MAP_H_
#define TVM_RUNTIME_CONTAINER_MAP_H_

#include <tvm/runtime/container/string.h>

#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

namespace tvm {
namespace runtime {

/*! \brief Key hash: content for String, identity otherwise. */
struct MapKeyHash {
  size_t operator()(const ObjectRef& key) const {
    if (const auto* s = key.as<StringObj>()) return String::HashBytes(s->data.data(), s->data.size());
    return ObjectPtrHash()(key);
  }
};
struct MapKeyEqual {
  bool operator()(const ObjectRef& a, const ObjectRef& b) const {
    if (a.same_as(b)) return true;
    const auto* sa = a.as<StringObj>();
    const auto* sb = b.as<StringObj>();
    return sa != nullptr && sb != nullptr && sa->data == sb->data;
  }
};

class MapNode : public Object {
 public:
  using KV = std::pair<ObjectRef, ObjectRef>;
  std::vector<KV> items;
  std::unordered_map<ObjectRef, size_t, MapKeyHash, MapKeyEqual> index;

  size_t size() const { return items.size(); }
  size_t count(const ObjectRef& key) const { return index.count(key); }
  const ObjectRef* Find(const ObjectRef& key) const {
    auto it = index.find(key);
    return it == index.end() ? nullptr : &items[it->second].second;
  }
  void Set(const ObjectRef& key, ObjectRef value) {
    auto it = index.find(key);
    if (it != index.end()) {
      items[it->second].second = std::move(value);
    } else {
      index.emplace(key, items.size());
      items.emplace_back(key, std::move(value));
    }
  }
  void Erase(const ObjectRef& key) {
    auto it = index.find(key);
    if (it == index.end()) return;
    items.erase(items.begin() + it->second);
    index.clear();
    for (size_t i = 0; i < items.size(); ++i) index.emplace(items[i].first, i);
  }

  static constexpr const char* _type_key = "Map";
  static constexpr bool _type_final = true;
  static constexpr uint32_t _type_static_index = TypeIndex::kRuntimeMap;
  using _type_parent = Object;
};

template <typename K, typename V>
class Map : public ObjectRef {
  static_assert(std::is_base_of_v<ObjectRef, K> && std::is_base_of_v<ObjectRef, V>,
                "Map holds ObjectRef subclasses");

 public:
  using ContainerType = MapNode;

  Map() { data_ = make_object<MapNode>(); }
  explicit Map(ObjectPtr<Object> n) : ObjectRef(std::move(n)) {}
  Map(std::initializer_list<std::pair<K, V>> init) : Map() {
    for (const auto& kv : init) Set(kv.first, kv.second);
  }
  template <typename It>
  Map(It first, It last) : Map() {
    for (; first != last; ++first) Set(first->first, first->second);
  }
  template <typename K2, typename V2,
            typename = std::enable_if_t<std::is_base_of_v<K, K2> && std::is_base_of_v<V, V2>>>
  Map(const Map<K2, V2>& other) : ObjectRef(other) {}  // NOLINT(*)

  size_t size() const { return node()->size(); }
  bool empty() const { return size() == 0; }
  size_t count(const K& key) const { return node()->count(key); }
  /*! \brief The value of `key`; throws IndexError naming the key when absent. */
  V at(const K& key) const {
    const ObjectRef* v = node()->Find(key);
    if (v == nullptr) {
      if (const auto* s = key.template as<StringObj>()) {
        throw Error("IndexError", "Map has no key '" + s->data + "'");
      }
      throw Error("IndexError", "Map has no such key");
    }
    return CastV(*v);
  }
  V operator[](const K& key) const { return at(key); }
  std::optional<V> Get(const K& key) const {
    const ObjectRef* v = node()->Find(key);
    if (v == nullptr) return std::nullopt;
    return CastV(*v);
  }
  void Set(const K& key, const V& value) { CopyOnWrite()->Set(key, value); }
  void erase(const K& key) { CopyOnWrite()->Erase(key); }

  class iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = std::pair<K, V>;
    using difference_type = std::ptrdiff_t;
    using pointer = value_type*;
    using reference = value_type;
    explicit iterator(std::vector<MapNode::KV>::const_iterator it) : it_(it) {}
    value_type operator*() const { return value_type(CastK(it_->first), CastV(it_->second)); }
    iterator& operator++() {
      ++it_;
      return *this;
    }
    bool operator==(const iterator& other) const { return it_ == other.it_; }
    bool operator!=(const iterator& other) const { return it_ != other.it_; }

   private:
    std::vector<MapNode::KV>::const_iterator it_;
  };
  iterator begin() const { return iterator(node()->items.begin()); }
  iterator end() const { return iterator(node()->items.end()); }

  MapNode* CopyOnWrite() {
    if (!data_.unique()) {
      auto n = make_object<MapNode>();
      n->items = node()->items;
      n->index = node()->index;
      data_ = std::move(n);
    }
    return static_cast<MapNode*>(get_mutable());
  }
  const MapNode* operator->() const { return node(); }

 private:
  const MapNode* node() const { return static_cast<const MapNode*>(get()); }
  static K CastK(const ObjectRef& r) {
    if constexpr (std::is_same_v<K, ObjectRef>) return r; else return Downcast<K>(r);
  }
  static V CastV(const ObjectRef& r) {
    if constexpr (std::is_same_v<V, ObjectRef>) return r; else return Downcast<V>(r);
  }
};

}  // namespace runtime
using runtime::Map;
}  // namespace tvm
#endif  // TVM_RUNTIME_CONTAINER_MAP_H_
