/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Checked little-endian reading and writing of the runtime's binary formats
// (parameter dicts, serialised modules). Every read checks the bytes left, so
// truncated or corrupted input becomes a ValueError naming `what` and the
// offset, never a read past the end.
#ifndef TVM_SRC_RUNTIME_BYTE_STREAM_H_
#define TVM_SRC_RUNTIME_BYTE_STREAM_H_

#include <tvm/runtime/logging.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>
#include <vector>

namespace tvm {
namespace runtime {

class ByteWriter {
 public:
  explicit ByteWriter(std::string* out) : out_(out) {}
  template <typename T>
  void Write(const T& value) {
    static_assert(std::is_trivially_copyable_v<T>, "Write takes plain values");
    out_->append(reinterpret_cast<const char*>(&value), sizeof(T));
  }
  /*! \brief A string as its uint64 length, then its bytes. */
  void WriteString(const std::string& s) {
    Write<uint64_t>(s.size());
    out_->append(s);
  }
  void WriteStrings(const std::vector<std::string>& v) {
    Write<uint64_t>(v.size());
    for (const auto& s : v) WriteString(s);
  }
  void WriteU64s(const std::vector<uint64_t>& v) {
    Write<uint64_t>(v.size());
    for (uint64_t x : v) Write(x);
  }
  std::string* out() { return out_; }

 private:
  std::string* out_;
};

class ByteReader {
 public:
  /*! \param what Names the data in errors ("load_param_dict", ...). */
  ByteReader(const std::string& data, std::string what) : data_(data), what_(std::move(what)) {}

  template <typename T>
  T Read(const char* field) {
    static_assert(std::is_trivially_copyable_v<T>, "Read takes plain values");
    Need(sizeof(T), field);
    T value;
    std::memcpy(&value, data_.data() + offset_, sizeof(T));
    offset_ += sizeof(T);
    return value;
  }
  std::string ReadString(const char* field) {
    uint64_t n = Read<uint64_t>(field);
    Need(n, field);
    std::string s = data_.substr(offset_, n);
    offset_ += n;
    return s;
  }
  /*! \brief A count of items that each take at least `min_item_bytes`: a corrupted count fails here. */
  uint64_t ReadCount(const char* field, size_t min_item_bytes) {
    uint64_t n = Read<uint64_t>(field);
    TVM_CHECK(min_item_bytes == 0 || n <= remaining() / min_item_bytes, "ValueError")
        << what_ << ": corrupted data: " << field << " is " << n << " at offset " << offset_ - 8
        << " but only " << remaining() << " bytes follow";
    return n;
  }
  std::vector<std::string> ReadStrings(const char* field) {
    uint64_t n = ReadCount(field, 8);
    std::vector<std::string> v;
    v.reserve(n);
    for (uint64_t i = 0; i < n; ++i) v.push_back(ReadString(field));
    return v;
  }
  std::vector<uint64_t> ReadU64s(const char* field) {
    uint64_t n = ReadCount(field, 8);
    std::vector<uint64_t> v(n);
    for (uint64_t i = 0; i < n; ++i) v[i] = Read<uint64_t>(field);
    return v;
  }
  void Need(uint64_t n, const char* field) const {
    TVM_CHECK(n <= remaining(), "ValueError")
        << what_ << ": truncated data: " << field << " needs " << n << " bytes at offset " << offset_
        << " but only " << remaining() << " remain (of " << data_.size() << ")";
  }
  size_t remaining() const { return data_.size() - offset_; }
  size_t* mutable_offset() { return &offset_; }
  size_t offset() const { return offset_; }
  const std::string& data() const { return data_; }
  const std::string& what() const { return what_; }

 private:
  const std::string& data_;
  std::string what_;
  size_t offset_{0};
};

}  // namespace runtime
}  // namespace tvm
#endif  // TVM_SRC_RUNTIME_BYTE_STREAM_H_
