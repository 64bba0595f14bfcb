/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/runtime/object.h
 * \brief Reference-counted objects with a runtime type hierarchy.
 *
 * Every IR node, container, NDArray, Module and PackedFunc is an Object. A
 * class declares its place in the hierarchy with three static members and no
 * macro:
 *
 *   class AddNode : public PrimExprNode {
 *    public:
 *     PrimExpr a, b;
 *     static constexpr const char* _type_key = "tir.Add";
 *     static constexpr bool _type_final = true;     // optional, speeds up IsInstance
 *     using _type_parent = PrimExprNode;
 *   };
 *
 * Type indices are allocated by key in one process-wide table (in
 * libtvm_runtime.so), so every shared library agrees on them. A reference to
 * an object is an ObjectRef (or a subclass that names its ContainerType).
 */
#ifndef TVM_RUNTIME_OBJECT_H_
#define TVM_RUNTIME_OBJECT_H_

#include <tvm/runtime/logging.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <type_traits>
#include <utility>

namespace tvm {
namespace runtime {

class Object;
template <typename T>
class ObjectPtr;
class ObjectRef;

/*! \brief Type indices fixed at compile time; others are allocated by key. */
struct TypeIndex {
  enum : uint32_t {
    kRoot = 0,
    kRuntimeModule = 1,
    kRuntimeNDArray = 2,
    kRuntimeString = 3,
    kRuntimeArray = 4,
    kRuntimeMap = 5,
    kRuntimePackedFunc = 6,
    kStaticIndexEnd = 16,
  };
};

/*! \brief The base of all reference-counted objects. */
class TVM_DLL Object {
 public:
  using FDeleter = void (*)(Object* self);

  static constexpr const char* _type_key = "runtime.Object";
  static constexpr bool _type_final = false;
  static constexpr uint32_t _type_static_index = TypeIndex::kRoot;

  uint32_t type_index() const { return type_index_; }
  std::string GetTypeKey() const { return TypeIndex2Key(type_index_); }
  /*! \brief Whether this object is a T (or derives from it). */
  template <typename T>
  bool IsInstance() const;
  /*! \brief Number of references; 1 means the caller holds the only one. */
  int use_count() const { return ref_counter_.load(std::memory_order_relaxed); }

  static std::string TypeIndex2Key(uint32_t tindex);
  /*! \brief The index of `key`; throws if no such type was registered. */
  static uint32_t TypeKey2Index(const std::string& key);
  static bool TypeIsSubclass(uint32_t child_tindex, uint32_t parent_tindex);
  static uint32_t ParentTypeIndex(uint32_t tindex);
  /*!
   * \brief Find or allocate the index of a type (used by TypeIndexOf<T>()).
   * \param static_index A fixed index, or kStaticIndexEnd to allocate one.
   */
  static uint32_t GetOrAllocTypeIndex(const std::string& key, uint32_t static_index,
                                      uint32_t parent_tindex, bool is_final);
  /*! \brief Number of type indices in use (for tables indexed by type). */
  static uint32_t NumTypeIndices();

  Object() = default;
  // Copying an object copies its fields, never its identity or count.
  Object(const Object& other) : type_index_(other.type_index_) {}
  Object& operator=(const Object&) { return *this; }
  virtual ~Object() = default;

 protected:
  uint32_t type_index_{0};
  std::atomic<int32_t> ref_counter_{0};
  FDeleter deleter_{nullptr};

  void IncRef() { ref_counter_.fetch_add(1, std::memory_order_relaxed); }
  void DecRef() {
    if (ref_counter_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      if (deleter_ != nullptr) deleter_(this);
    }
  }

  template <typename T>
  friend class ObjectPtr;
  friend class ObjectRef;
  friend struct ObjectInternal;
  template <typename T, typename... Args>
  friend ObjectPtr<T> make_object(Args&&... args);
  template <typename T, typename ElemType>
  friend ObjectPtr<T> make_inplace_array_object(size_t num_elems);
};

namespace detail {
template <typename T, typename = void>
struct HasStaticIndex : std::false_type {};
template <typename T>
struct HasStaticIndex<T, std::enable_if_t<(T::_type_static_index != T::_type_parent::_type_static_index)>>
    : std::true_type {};
}  // namespace detail

/*! \brief The runtime type index of T, allocated on first use. */
template <typename T>
inline uint32_t TypeIndexOf() {
  if constexpr (std::is_same_v<T, Object>) {
    return TypeIndex::kRoot;
  } else {
    static_assert(std::is_base_of_v<Object, T>, "TypeIndexOf needs an Object subclass");
    static const uint32_t tindex = Object::GetOrAllocTypeIndex(
        T::_type_key,
        detail::HasStaticIndex<T>::value ? T::_type_static_index : TypeIndex::kStaticIndexEnd,
        TypeIndexOf<typename T::_type_parent>(), T::_type_final);
    return tindex;
  }
}

template <typename T>
inline bool Object::IsInstance() const {
  if constexpr (std::is_same_v<T, Object>) {
    return true;
  } else if constexpr (T::_type_final) {
    return type_index_ == TypeIndexOf<T>();
  } else {
    uint32_t target = TypeIndexOf<T>();
    return type_index_ == target || TypeIsSubclass(type_index_, target);
  }
}

/*! \brief An owning pointer to an object of type T. */
template <typename T>
class ObjectPtr {
 public:
  ObjectPtr() = default;
  ObjectPtr(std::nullptr_t) {}  // NOLINT(*)
  ObjectPtr(const ObjectPtr& other) : ObjectPtr(other.data_) {}
  template <typename U, typename = std::enable_if_t<std::is_base_of_v<T, U>>>
  ObjectPtr(const ObjectPtr<U>& other) : ObjectPtr(other.data_) {}  // NOLINT(*)
  ObjectPtr(ObjectPtr&& other) noexcept : data_(other.data_) { other.data_ = nullptr; }
  template <typename U, typename = std::enable_if_t<std::is_base_of_v<T, U>>>
  ObjectPtr(ObjectPtr<U>&& other) noexcept : data_(other.data_) {  // NOLINT(*)
    other.data_ = nullptr;
  }
  ~ObjectPtr() { reset(); }

  ObjectPtr& operator=(const ObjectPtr& other) {
    ObjectPtr(other).swap(*this);
    return *this;
  }
  ObjectPtr& operator=(ObjectPtr&& other) noexcept {
    ObjectPtr(std::move(other)).swap(*this);
    return *this;
  }
  void swap(ObjectPtr& other) noexcept { std::swap(data_, other.data_); }
  T* get() const { return static_cast<T*>(data_); }
  T* operator->() const { return get(); }
  T& operator*() const { return *get(); }
  explicit operator bool() const { return data_ != nullptr; }
  bool operator==(const ObjectPtr& other) const { return data_ == other.data_; }
  bool operator!=(const ObjectPtr& other) const { return data_ != other.data_; }
  bool operator==(std::nullptr_t) const { return data_ == nullptr; }
  bool operator!=(std::nullptr_t) const { return data_ != nullptr; }
  int use_count() const { return data_ != nullptr ? data_->use_count() : 0; }
  bool unique() const { return use_count() == 1; }
  void reset() {
    if (data_ != nullptr) {
      data_->DecRef();
      data_ = nullptr;
    }
  }

 private:
  explicit ObjectPtr(Object* data) : data_(data) {
    if (data_ != nullptr) data_->IncRef();
  }
  Object* data_{nullptr};

  template <typename>
  friend class ObjectPtr;
  friend class ObjectRef;
  friend struct ObjectInternal;
  template <typename U, typename... Args>
  friend ObjectPtr<U> make_object(Args&&... args);
  template <typename U, typename ElemType>
  friend ObjectPtr<U> make_inplace_array_object(size_t num_elems);
  template <typename U>
  friend ObjectPtr<U> GetObjectPtr(Object* obj);
};

/*! \brief A new object of type T, constructed from args. */
template <typename T, typename... Args>
inline ObjectPtr<T> make_object(Args&&... args) {
  static_assert(std::is_base_of_v<Object, T>, "make_object needs an Object subclass");
  T* ptr = new T(std::forward<Args>(args)...);
  ptr->type_index_ = TypeIndexOf<T>();
  ptr->deleter_ = [](Object* self) { delete static_cast<T*>(self); };
  return ObjectPtr<T>(static_cast<Object*>(ptr));
}

/*! \brief An ObjectPtr sharing ownership of an existing object. */
template <typename T>
inline ObjectPtr<T> GetObjectPtr(Object* obj) {
  return ObjectPtr<T>(obj);
}

template <typename SubRef, typename BaseRef = ObjectRef>
SubRef Downcast(BaseRef ref);

/*! \brief The base of all references to objects. */
class TVM_DLL ObjectRef {
 public:
  using ContainerType = Object;
  static constexpr bool _type_is_nullable = true;

  ObjectRef() = default;
  explicit ObjectRef(ObjectPtr<Object> data) : data_(std::move(data)) {}

  bool same_as(const ObjectRef& other) const { return data_ == other.data_; }
  bool operator==(const ObjectRef& other) const { return data_ == other.data_; }
  bool operator!=(const ObjectRef& other) const { return data_ != other.data_; }
  bool operator<(const ObjectRef& other) const { return data_.get() < other.data_.get(); }
  bool defined() const { return data_ != nullptr; }
  const Object* get() const { return data_.get(); }
  const Object* operator->() const { return get(); }
  bool unique() const { return data_.unique(); }
  int use_count() const { return data_.use_count(); }
  /*! \brief The object as T, or nullptr if it is not a T. */
  template <typename T>
  const T* as() const {
    if (data_ != nullptr && data_->IsInstance<T>()) return static_cast<const T*>(data_.get());
    return nullptr;
  }

 protected:
  ObjectPtr<Object> data_;

  Object* get_mutable() const { return data_.get(); }
  template <typename T>
  static T DowncastNoCheck(ObjectRef ref) {
    return T(std::move(ref.data_));
  }
  friend struct ObjectInternal;
  template <typename SubRef, typename BaseRef>
  friend SubRef Downcast(BaseRef ref);
};

/*! \brief Raw access for the FFI and containers; not for general use. */
struct ObjectInternal {
  static Object* GetObjectPtr(const ObjectRef& ref) { return ref.data_.get(); }
  static ObjectPtr<Object> MoveObjectPtr(ObjectRef* ref) { return std::move(ref->data_); }
  static void IncRef(Object* obj) { obj->IncRef(); }
  static void DecRef(Object* obj) { obj->DecRef(); }
  static ObjectRef FromRaw(Object* obj) { return ObjectRef(ObjectPtr<Object>(obj)); }
  /*! \brief Take ownership of one reference that `obj` already holds for us. */
  static ObjectRef Adopt(Object* obj) {
    ObjectRef ref;
    ref.data_.data_ = obj;
    return ref;
  }
  /*! \brief Give up ownership without decrementing (the caller keeps one reference). */
  static Object* Release(ObjectRef* ref) {
    Object* obj = ref->data_.data_;
    ref->data_.data_ = nullptr;
    return obj;
  }
};

/*! \brief A reference to `ptr`, as RefType. */
template <typename RefType, typename NodeType>
inline RefType GetRef(const NodeType* ptr) {
  return RefType(ObjectPtr<Object>(GetObjectPtr<Object>(const_cast<NodeType*>(ptr))));
}

/*! \brief The name of T's type for error messages. */
template <typename T>
inline std::string TypeName() {
  return T::ContainerType::_type_key;
}

/*!
 * \brief Convert a reference to a subclass reference, checking the type.
 * \throws Error (TypeError) naming both types when `ref` is not a SubRef.
 */
template <typename SubRef, typename BaseRef>
inline SubRef Downcast(BaseRef ref) {
  using Node = typename SubRef::ContainerType;
  if (ref.defined()) {
    TVM_CHECK(ref->template IsInstance<Node>(), "TypeError")
        << "Downcast from " << ref->GetTypeKey() << " to " << Node::_type_key << " failed.";
  } else {
    TVM_CHECK(SubRef::_type_is_nullable, "TypeError")
        << "Downcast from nullptr to not-nullable " << Node::_type_key;
  }
  return ObjectRef::DowncastNoCheck<SubRef>(std::move(ref));
}

/*! \brief Hash and equality by identity, for unordered containers of references. */
struct ObjectPtrHash {
  size_t operator()(const ObjectRef& a) const { return std::hash<const Object*>()(a.get()); }
};
struct ObjectPtrEqual {
  bool operator()(const ObjectRef& a, const ObjectRef& b) const { return a.same_as(b); }
};

}  // namespace runtime

using runtime::Downcast;
using runtime::GetRef;
using runtime::make_object;
using runtime::Object;
using runtime::ObjectPtr;
using runtime::ObjectPtrEqual;
using runtime::ObjectPtrHash;
using runtime::ObjectRef;

}  // namespace tvm
#endif  // TVM_RUNTIME_OBJECT_H_
