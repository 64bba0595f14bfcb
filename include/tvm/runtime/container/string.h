/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/runtime/container/string.h
 * \brief An immutable, reference-counted string object.
 */
#ifndef TVM_RUNTIME_CONTAINER_STRING_H_
#define TVM_RUNTIME_CONTAINER_STRING_H_

#include <tvm/runtime/object.h>

#include <cstring>
#include <string>
#include <string_view>

namespace tvm {
namespace runtime {

class StringObj : public Object {
 public:
  std::string data;

  static constexpr const char* _type_key = "runtime.String";
  static constexpr bool _type_final = true;
  static constexpr uint32_t _type_static_index = TypeIndex::kRuntimeString;
  using _type_parent = Object;
};

/*! \brief Reference to an immutable string; converts to and from std::string. */
class String : public ObjectRef {
 public:
  using ContainerType = StringObj;
  static constexpr bool _type_is_nullable = false;

  String() : String(std::string()) {}
  String(std::string other) {  // NOLINT(*)
    auto n = make_object<StringObj>();
    n->data = std::move(other);
    data_ = std::move(n);
  }
  String(const char* other) : String(std::string(other)) {}  // NOLINT(*)
  String(std::string_view other) : String(std::string(other)) {}  // NOLINT(*)
  explicit String(ObjectPtr<Object> n) : ObjectRef(std::move(n)) {}

  const std::string& str() const { return static_cast<const StringObj*>(get())->data; }
  operator std::string() const { return str(); }  // NOLINT(*)
  const char* c_str() const { return str().c_str(); }
  const char* data() const { return str().data(); }
  size_t size() const { return str().size(); }
  size_t length() const { return size(); }
  bool empty() const { return size() == 0; }
  char at(size_t i) const { return str().at(i); }
  int compare(const String& other) const { return str().compare(other.str()); }
  int compare(const std::string& other) const { return str().compare(other); }
  int compare(const char* other) const { return str().compare(other); }

  /*! \brief Content hash, shared by Map keys and structural hashing. */
  static size_t HashBytes(const char* data, size_t size) {
    return std::hash<std::string_view>()(std::string_view(data, size));
  }
  static bool CanConvertFrom(const ObjectRef& ref) {
    return ref.defined() && ref->IsInstance<StringObj>();
  }
};

inline bool operator==(const String& a, const String& b) { return a.str() == b.str(); }
inline bool operator!=(const String& a, const String& b) { return !(a == b); }
inline bool operator<(const String& a, const String& b) { return a.str() < b.str(); }
inline bool operator==(const String& a, const std::string& b) { return a.str() == b; }
inline bool operator==(const std::string& a, const String& b) { return a == b.str(); }
inline bool operator!=(const String& a, const std::string& b) { return a.str() != b; }
inline bool operator==(const String& a, const char* b) { return a.str() == b; }
inline bool operator!=(const String& a, const char* b) { return a.str() != b; }
inline std::string operator+(const String& a, const String& b) { return a.str() + b.str(); }
inline std::string operator+(const String& a, const std::string& b) { return a.str() + b; }
inline std::string operator+(const std::string& a, const String& b) { return a + b.str(); }
inline std::string operator+(const char* a, const String& b) { return a + b.str(); }
inline std::string operator+(const String& a, const char* b) { return a.str() + b; }
inline std::ostream& operator<<(std::ostream& os, const String& s) { return os << s.str(); }

}  // namespace runtime
using runtime::String;
}  // namespace tvm

namespace std {
template <>
struct hash<::tvm::runtime::String> {
  size_t operator()(const ::tvm::runtime::String& s) const {
    return ::tvm::runtime::String::HashBytes(s.data(), s.size());
  }
};
}  // namespace std
#endif  // TVM_RUNTIME_CONTAINER_STRING_H_
