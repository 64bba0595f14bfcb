/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// A small JSON document model for the runtime's file formats (object graphs,
// executor graphs, tuning records). Objects keep key order.
#ifndef TVM_SRC_RUNTIME_JSON_H_
#define TVM_SRC_RUNTIME_JSON_H_

#include <tvm/runtime/c_runtime_api.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace tvm {
namespace runtime {
namespace json {

class TVM_DLL Value {
 public:
  enum Kind { kNull, kBool, kNumber, kString, kArray, kObject };

  Value() = default;
  Value(std::nullptr_t) {}  // NOLINT(*)
  Value(bool b) : kind_(kBool), number_(b) {}  // NOLINT(*)
  Value(int v) : kind_(kNumber), number_(v), is_int_(true), int_(v) {}  // NOLINT(*)
  Value(int64_t v) : kind_(kNumber), number_(static_cast<double>(v)), is_int_(true), int_(v) {}  // NOLINT(*)
  Value(double v) : kind_(kNumber), number_(v) {}  // NOLINT(*)
  Value(std::string s) : kind_(kString), string_(std::move(s)) {}  // NOLINT(*)
  Value(const char* s) : kind_(kString), string_(s) {}  // NOLINT(*)

  static Value Array() {
    Value v;
    v.kind_ = kArray;
    return v;
  }
  static Value Object() {
    Value v;
    v.kind_ = kObject;
    return v;
  }

  Kind kind() const { return kind_; }
  bool is_null() const { return kind_ == kNull; }
  bool is_string() const { return kind_ == kString; }
  bool is_array() const { return kind_ == kArray; }
  bool is_object() const { return kind_ == kObject; }
  bool is_number() const { return kind_ == kNumber; }

  /*! \throws Error (ValueError) when the value is of another kind. */
  bool AsBool() const;
  double AsDouble() const;
  int64_t AsInt() const;
  const std::string& AsString() const;
  const std::vector<Value>& AsArray() const;
  std::vector<Value>& AsArray();
  const std::vector<std::pair<std::string, Value>>& AsObject() const;

  void push_back(Value v);
  /*! \brief Set a key of an object (replacing an existing one). */
  void Set(const std::string& key, Value v);
  /*! \brief The value of `key`, or nullptr. */
  const Value* Find(const std::string& key) const;
  /*! \throws Error (ValueError) naming the key when absent. */
  const Value& At(const std::string& key) const;
  size_t size() const;

  /*! \param indent Spaces per level; negative for one line. */
  std::string Dump(int indent = -1) const;
  /*! \throws Error (ValueError) with the offset of the first syntax error. */
  static Value Parse(const std::string& text);

 private:
  Kind kind_{kNull};
  double number_{0};
  bool is_int_{false};
  int64_t int_{0};
  std::string string_;
  std::vector<Value> array_;
  std::vector<std::pair<std::string, Value>> object_;
  void DumpTo(std::string* out, int indent, int depth) const;
  friend class Parser;
};

}  // namespace json
}  // namespace runtime
}  // namespace tvm
#endif  // TVM_SRC_RUNTIME_JSON_H_
