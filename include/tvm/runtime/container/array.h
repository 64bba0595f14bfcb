/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/runtime/container/array.h
 * \brief Array<T>: an immutable-by-default, copy-on-write list of references.
 */
#ifndef TVM_RUNTIME_CONTAINER_ARRAY_H_
#define TVM_RUNTIME_CONTAINER_ARRAY_H_

#include <tvm/runtime/object.h>

#include <initializer_list>
#include <iterator>
#include <vector>

namespace tvm {
namespace runtime {

class ArrayNode : public Object {
 public:
  std::vector<ObjectRef> data;

  size_t size() const { return data.size(); }
  const ObjectRef& at(int64_t i) const {
    TVM_CHECK(i >= 0 && i < static_cast<int64_t>(data.size()), "IndexError")
        << "Array index " << i << " out of range for size " << data.size();
    return data[i];
  }

  static constexpr const char* _type_key = "Array";
  static constexpr bool _type_final = true;
  static constexpr uint32_t _type_static_index = TypeIndex::kRuntimeArray;
  using _type_parent = Object;
};

/*!
 * \brief A list of T (an ObjectRef subclass). Copies share storage; a mutation
 *  copies first unless this reference is the only one.
 */
template <typename T>
class Array : public ObjectRef {
  static_assert(std::is_base_of_v<ObjectRef, T>, "Array holds ObjectRef subclasses");

 public:
  using ContainerType = ArrayNode;
  using value_type = T;

  Array() { data_ = make_object<ArrayNode>(); }
  explicit Array(ObjectPtr<Object> n) : ObjectRef(std::move(n)) {}
  Array(std::initializer_list<T> init) : Array(init.begin(), init.end()) {}
  Array(const std::vector<T>& init) : Array(init.begin(), init.end()) {}  // NOLINT(*)
  template <typename It>
  Array(It first, It last) {
    auto n = make_object<ArrayNode>();
    for (; first != last; ++first) n->data.push_back(T(*first));
    data_ = std::move(n);
  }
  /*! \brief Any Array<U> whose elements are T converts without copying. */
  template <typename U, typename = std::enable_if_t<std::is_base_of_v<T, U>>>
  Array(const Array<U>& other) : ObjectRef(other) {}  // NOLINT(*)

  size_t size() const { return node()->data.size(); }
  bool empty() const { return size() == 0; }
  T operator[](int64_t i) const { return Cast(node()->at(i)); }
  T front() const { return (*this)[0]; }
  T back() const { return (*this)[static_cast<int64_t>(size()) - 1]; }

  class iterator {
   public:
    using iterator_category = std::random_access_iterator_tag;
    using value_type = T;
    using difference_type = std::ptrdiff_t;
    using pointer = const T*;
    using reference = T;
    explicit iterator(std::vector<ObjectRef>::const_iterator it) : it_(it) {}
    T operator*() const { return Cast(*it_); }
    iterator& operator++() {
      ++it_;
      return *this;
    }
    iterator operator++(int) {
      iterator old = *this;
      ++it_;
      return old;
    }
    iterator& operator--() {
      --it_;
      return *this;
    }
    iterator operator+(difference_type n) const { return iterator(it_ + n); }
    iterator operator-(difference_type n) const { return iterator(it_ - n); }
    difference_type operator-(const iterator& other) const { return it_ - other.it_; }
    bool operator==(const iterator& other) const { return it_ == other.it_; }
    bool operator!=(const iterator& other) const { return it_ != other.it_; }

   private:
    std::vector<ObjectRef>::const_iterator it_;
  };
  iterator begin() const { return iterator(node()->data.begin()); }
  iterator end() const { return iterator(node()->data.end()); }

  void push_back(const T& item) { CopyOnWrite()->data.push_back(item); }
  void pop_back() {
    TVM_CHECK(!empty(), "IndexError") << "pop_back on an empty Array";
    CopyOnWrite()->data.pop_back();
  }
  void Set(int64_t i, T value) {
    ArrayNode* n = CopyOnWrite();
    TVM_CHECK(i >= 0 && i < static_cast<int64_t>(n->data.size()), "IndexError")
        << "Array index " << i << " out of range for size " << n->data.size();
    n->data[i] = std::move(value);
  }
  void insert(iterator pos, const T& value) {
    int64_t idx = pos - begin();
    ArrayNode* n = CopyOnWrite();
    n->data.insert(n->data.begin() + idx, value);
  }
  void erase(iterator pos) {
    int64_t idx = pos - begin();
    ArrayNode* n = CopyOnWrite();
    n->data.erase(n->data.begin() + idx);
  }
  void clear() { CopyOnWrite()->data.clear(); }
  void reserve(size_t n) { CopyOnWrite()->data.reserve(n); }

  /*! \brief Mutable node: copies the storage first if it is shared. */
  ArrayNode* CopyOnWrite() {
    if (!data_.unique()) {
      auto n = make_object<ArrayNode>();
      n->data = node()->data;
      data_ = std::move(n);
    }
    return static_cast<ArrayNode*>(get_mutable());
  }
  const ArrayNode* operator->() const { return node(); }
  std::vector<T> as_vector() const { return std::vector<T>(begin(), end()); }

  /*! \brief A new array with f applied to each element. */
  template <typename F, typename U = std::invoke_result_t<F, T>>
  Array<U> Map(F f) const {
    Array<U> out;
    out.reserve(size());
    for (const T& x : *this) out.push_back(f(x));
    return out;
  }

 private:
  const ArrayNode* node() const { return static_cast<const ArrayNode*>(get()); }
  static T Cast(const ObjectRef& ref) {
    if constexpr (std::is_same_v<T, ObjectRef>) {
      return ref;
    } else {
      return Downcast<T>(ref);
    }
  }
};

/*! \brief Concatenate two arrays. */
template <typename T>
inline Array<T> Concat(Array<T> lhs, const Array<T>& rhs) {
  for (const T& x : rhs) lhs.push_back(x);
  return lhs;
}

}  // namespace runtime
using runtime::Array;
}  // namespace tvm
#endif  // TVM_RUNTIME_CONTAINER_ARRAY_H_
